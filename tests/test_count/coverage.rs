//! Whether the extract covers each `--boundaries` polygon: an extract is
//! cut along a region's outline, and its bounding box also holds the
//! neighbours' land, where the file has no data. A commune there must not
//! read "0 cameras, ok".
//!
//! Written with our PBF writer (a région-like extract and the same cameras
//! filtered out of it), and on Luxembourg's real extract with the
//! communes of Meurthe-et-Moselle, checked against osmium's node list.

use std::path::Path;

use camcount::fixtures::{mapped_land, node, write_elements};
use camcount::pbf::writer::WriterOptions;
use camcount::pbf::BBox;
use geo::{Contains, MultiPolygon, Point};
use predicates::prelude::*;
use serde_json::json;

use crate::common::{camcount, data_dir, extract, read_csv_with, Row, Workdir};

/// A zone `[x0, x1] × [0, 0.1]` as a GeoJSON feature.
fn square(code: &str, x0: f64, x1: f64) -> serde_json::Value {
    json!({
        "type": "Feature",
        "properties": {"code": code, "nom": format!("zone {code}")},
        "geometry": {"type": "Polygon", "coordinates": [[
            [x0, 0.0], [x1, 0.0], [x1, 0.1], [x0, 0.1], [x0, 0.0]
        ]]}
    })
}

/// Three zones: A wholly in the data, C a fifth in it, B in the box only.
fn zones(path: &Path) {
    let collection = json!({
        "type": "FeatureCollection",
        "features": [square("A", 0.0, 0.1), square("C", 0.18, 0.28), square("B", 0.285, 0.3)]
    });
    std::fs::write(path, collection.to_string()).unwrap();
}

const CAMERA: &[(&str, &str)] = &[("man_made", "surveillance")];

/// The cameras: one in A, one in C's covered part.
fn cameras() -> Vec<camcount::pbf::OsmElement> {
    vec![node(1, 0.05, 0.05, CAMERA), node(2, 0.19, 0.05, CAMERA)]
}

fn write(path: &Path, elements: &[camcount::pbf::OsmElement]) {
    // The box of the cut reaches x = 0.3: B lies in it, with no data.
    let options = WriterOptions {
        bbox: Some(BBox {
            min_lon: 0.0,
            min_lat: 0.0,
            max_lon: 0.3,
            max_lat: 0.1,
        }),
        ..WriterOptions::default()
    };
    write_elements(elements, path, options).unwrap();
}

fn run(input: &Path, boundaries: &Path) -> (Vec<Row>, String) {
    let output = camcount()
        .arg(input)
        .arg("--boundaries")
        .arg(boundaries)
        .args(["--boundary-id-field", "code"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows = read_csv_with(&String::from_utf8(output.stdout).unwrap(), b',');
    // The French report gives every reason in French (its sentences
    // stayed English until 2026-12-06).
    for row in &rows {
        let left = camcount::output::markdown::reasons::untranslated(&row["reason"]);
        assert!(left.is_empty(), "no French for {left:?}");
    }
    (rows, String::from_utf8(output.stderr).unwrap())
}

/// Each zone's code, cameras and status, by code.
fn standing(rows: &[Row]) -> Vec<(&str, &str, &str)> {
    let mut standing: Vec<_> = (rows.iter())
        .map(|r| {
            (
                r["ref"].as_str(),
                r["cameras"].as_str(),
                r["status"].as_str(),
            )
        })
        .collect();
    standing.sort();
    standing
}

/// Regression: B, in the box but with no data, read "0 cameras, ok", and
/// C, four fifths beyond the data, read as counted whole.
#[test]
fn a_zone_the_extract_holds_no_data_of_is_not_counted() {
    let wd = Workdir::new();
    let (input, geojson) = (wd.path("region.osm.pbf"), wd.path("zones.geojson"));
    zones(&geojson);
    let mut elements = cameras();
    elements.extend(mapped_land(10));
    write(&input, &elements);
    let (rows, stderr) = run(&input, &geojson);
    assert_eq!(
        standing(&rows),
        [
            ("A", "1", "ok"),
            ("B", "", "outside_extract"),
            ("C", "1", "partial")
        ]
    );
    let reason = |code: &str| rows.iter().find(|r| r["ref"] == code).unwrap()["reason"].clone();
    assert!(
        reason("B").contains("no node of the file"),
        "{}",
        reason("B")
    );
    assert!(reason("C").contains("only about 20 %"), "{}", reason("C"));
    assert!(
        stderr.contains("1 of 3 --boundaries polygons lie beyond the data"),
        "{stderr}"
    );
}

/// A file filtered down to its cameras cannot show where it has no data:
/// the box alone judges, and a warning says what that means.
#[test]
fn a_file_of_cameras_alone_is_judged_by_its_box_and_says_so() {
    let wd = Workdir::new();
    let (input, geojson) = (wd.path("cameras.osm.pbf"), wd.path("zones.geojson"));
    zones(&geojson);
    write(&input, &cameras());
    let (rows, stderr) = run(&input, &geojson);
    assert_eq!(
        standing(&rows),
        [("A", "1", "ok"), ("B", "0", "ok"), ("C", "1", "ok")]
    );
    assert!(
        predicate::str::contains("holds little but cameras (2 of its 2 nodes)").eval(&stderr),
        "{stderr}"
    );
}

/// Every node position of a file, from osmium's OPL (an independent reader).
fn osmium_nodes(input: &Path) -> Vec<Point> {
    let output = std::process::Command::new("osmium")
        .args(["cat", "-f", "opl", "-t", "node"])
        .arg(input)
        .output()
        .expect("osmium-tool is installed (apt-get install osmium-tool)");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    (text.lines())
        .filter_map(|line| {
            let field = |c: char| line.split(' ').find_map(|f| f.strip_prefix(c));
            Some(Point::new(
                field('x')?.parse().ok()?,
                field('y')?.parse().ok()?,
            ))
        })
        .collect()
}

/// The IGN polygons of a département file, by code (read as the count
/// reads them; what is checked is where osmium puts the nodes).
fn polygons(path: &Path) -> Vec<(String, MultiPolygon)> {
    let zones = camcount::external::geojson::read_zones(path, "code", Some("nom")).unwrap();
    (zones.zones.into_iter())
        .map(|z| (z.reference.unwrap(), z.geometry.unwrap()))
        .collect()
}

/// Regression on real data: Luxembourg's extract with the communes of
/// Meurthe-et-Moselle. Chenières, Mexy and Réhon lie in the extract's box,
/// but osmium finds no node of the file in them: they read "0 cameras,
/// ok". No commune with a node in it is now set beyond the data.
#[test]
fn luxembourg_does_not_count_french_communes_it_holds_no_data_of() {
    let input = extract("luxembourg-boundaries-filtered-2018");
    let communes = data_dir().join(
        "communes/france-geojson-2018/departements/54-meurthe-et-moselle/communes-54-meurthe-et-moselle.geojson",
    );
    let (rows, _) = run(&input, &communes);
    let nodes = osmium_nodes(&input);
    assert!(nodes.len() > 100_000, "{} nodes", nodes.len());
    let status = |code: &str| {
        (rows.iter())
            .find(|r| r["ref"] == code)
            .map_or_else(|| panic!("{code} missing"), |r| r["status"].clone())
    };
    let mut with_nodes = 0;
    for (code, polygon) in polygons(&communes) {
        let holds_a_node = nodes.iter().any(|p| polygon.contains(p));
        if holds_a_node {
            with_nodes += 1;
            assert_ne!(status(&code), "outside_extract", "{code} holds nodes");
        }
        if ["54127", "54367", "54451"].contains(&code.as_str()) {
            assert!(!holds_a_node, "{code} holds a node");
            assert_eq!(status(&code), "outside_extract", "{code}");
        }
    }
    assert!(with_nodes >= 5, "{with_nodes} communes hold nodes");
}

/// Regression (2026-12-05): `osmium extract` without `--set-bounds`
/// writes no bounding box, keeps boundary relations whole, and Monaco cut
/// at 7.4225° E read "14 cameras, ok" with no word. With the box it is
/// `partial`; without, the count says it could not check.
#[test]
fn an_extract_without_a_box_says_its_relations_are_not_checked() {
    let wd = Workdir::new();
    let cut = |name: &str, bounds: bool| {
        let out = wd.path(name);
        let mut osmium = std::process::Command::new("osmium");
        osmium.args([
            "extract",
            "-s",
            "smart",
            "-S",
            "types=multipolygon,boundary",
        ]);
        if bounds {
            osmium.arg("--set-bounds");
        }
        let status = osmium
            .args(["-b", "7.41,43.72,7.4225,43.76"])
            .arg(extract("monaco-2026-07-10"))
            .arg("-o")
            .arg(&out)
            .status()
            .expect("osmium-tool is installed (apt-get install osmium-tool)");
        assert!(status.success());
        let run = camcount().arg(&out).assert().success();
        let output = run.get_output();
        let rows = read_csv_with(&String::from_utf8_lossy(&output.stdout), b',');
        let monaco = rows.into_iter().find(|r| r["name"] == "Monaco").unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (monaco["cameras"].clone(), monaco["status"].clone(), stderr)
    };
    let (cameras, status, stderr) = cut("boxed.osm.pbf", true);
    assert_eq!((cameras.as_str(), status.as_str()), ("14", "partial"));
    assert!(!stderr.contains("states no bounding box"), "{stderr}");
    let (cameras, status, stderr) = cut("unboxed.osm.pbf", false);
    assert_eq!((cameras.as_str(), status.as_str()), ("14", "ok"));
    assert!(
        stderr.contains("states no bounding box, so its boundary relations are not checked"),
        "{stderr}"
    );
    assert!(stderr.contains("--set-bounds"), "{stderr}");
    // The outputs carry it too: -q hides stderr, and a JSON or a report
    // read `ok` as whole (regression, 2026-12-05).
    let notes = |name: &str| {
        let out = camcount()
            .arg(wd.path(name))
            .args(["-f", "json", "-q"])
            .assert()
            .success();
        let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        json["metadata"]["notes"].as_array().unwrap().clone()
    };
    let unboxed = notes("unboxed.osm.pbf");
    assert!(
        unboxed.iter().any(|n| n.as_str().unwrap().starts_with(
            "unboxed.osm.pbf states no bounding box: its boundary relations were not checked"
        )),
        "{unboxed:?}"
    );
    let boxed = notes("boxed.osm.pbf");
    assert!(
        !boxed
            .iter()
            .any(|n| n.as_str().unwrap().contains("bounding box")),
        "{boxed:?}"
    );
}

/// Zones of one level that overlap (a commune file and its communes
/// déléguées, a relation that lost its inner members): a camera inside
/// both counted in the first only, and the second read 0, `ok`, with no
/// word (found 2026-12-05). Its reason, a warning and a note say so.
#[test]
fn overlapping_zones_of_one_level_are_said_to_overlap() {
    let wd = Workdir::new();
    let input = wd.path("data.osm.pbf");
    write(&input, &cameras());
    let geojson = wd.path("overlap.geojson");
    let collection = json!({
        "type": "FeatureCollection",
        "features": [square("A", 0.0, 0.1), square("D", 0.04, 0.06)]
    });
    std::fs::write(&geojson, collection.to_string()).unwrap();
    let run = |format: &str| {
        camcount()
            .arg(&input)
            .arg("--boundaries")
            .arg(&geojson)
            .args(["-f", format])
            .output()
            .unwrap()
    };
    let csv = run("csv");
    assert!(csv.status.success());
    let rows = read_csv_with(&String::from_utf8_lossy(&csv.stdout), b',');
    let d = rows.iter().find(|r| r["ref"] == "D").unwrap();
    assert_eq!(d["cameras"], "0", "the border rule's order is kept");
    assert_eq!(
        d["reason"],
        "overlaps zone A (A): 1 camera inside both is counted there, not here"
    );
    let stderr = String::from_utf8_lossy(&csv.stderr);
    assert!(
        stderr.contains("zone A (A) and zone D (D) (--boundaries polygons) overlap"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).unwrap();
    let notes = json["metadata"]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("Zones of one level overlap, and the cameras inside both count in the first only: zone D (D) in zone A (A) (1).")),
        "{notes:?}"
    );
}

/// A camera mapped as a relation has no position: it is in no zone's
/// count, and the zone that holds it read short of it, `ok`, with the
/// figure in the summary alone (found 2026-12-05). A note says so.
#[test]
fn cameras_without_a_position_are_noted_beside_the_figures() {
    let wd = Workdir::new();
    let input = wd.path("relation-camera.osm.pbf");
    // In file order: nodes, the way, then relation 5 before the commune's.
    let mut elements = vec![node(1, 7.42, 43.73, CAMERA)];
    let mut commune = camcount::fixtures::commune_around(7.42, 43.73);
    let commune_relation = commune.pop().unwrap();
    elements.extend(commune);
    elements.push(camcount::fixtures::relation(5, &[], CAMERA));
    elements.push(commune_relation);
    write_elements(&elements, &input, Default::default()).unwrap();
    let output = camcount()
        .arg(&input)
        .args(["-f", "json", "-q"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = json["metadata"]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().starts_with(
            "1 camera has no position (a relation, or a way whose nodes the extract lacks)"
        )),
        "{notes:?}"
    );
}

/// Regression (2026-12-05): a commune too small to hold the centre of a
/// cell with data was put `outside_extract`, its camera dropped as
/// "outside every commune", though the camera lay inside it. A zone that
/// holds a camera holds data: it is counted, as a floor.
#[test]
fn a_small_zone_holding_a_camera_is_counted() {
    let wd = Workdir::new();
    let (input, geojson) = (wd.path("region.osm.pbf"), wd.path("zones.geojson"));
    // S holds one cell centre, (0.205, 0.035), in a cell without data;
    // its camera lies in the cell above, whose centre is outside S.
    let small = json!({
        "type": "Feature",
        "properties": {"code": "S", "nom": "small"},
        "geometry": {"type": "Polygon", "coordinates": [[
            [0.203, 0.033], [0.208, 0.033], [0.208, 0.043], [0.203, 0.043], [0.203, 0.033]
        ]]}
    });
    let collection = json!({
        "type": "FeatureCollection",
        "features": [square("A", 0.0, 0.1), small, square("B", 0.285, 0.3)]
    });
    std::fs::write(&geojson, collection.to_string()).unwrap();
    let mut elements = vec![node(1, 0.05, 0.05, CAMERA), node(2, 0.206, 0.041, CAMERA)];
    elements.extend(mapped_land(10));
    write(&input, &elements);
    let (rows, stderr) = run(&input, &geojson);
    assert_eq!(
        standing(&rows),
        [
            ("A", "1", "ok"),
            ("B", "", "outside_extract"),
            ("S", "1", "partial")
        ]
    );
    let reason = &rows.iter().find(|r| r["ref"] == "S").unwrap()["reason"];
    assert!(reason.contains("holds a camera in it"), "{reason}");
    assert!(stderr.contains("0 outside every commune"), "{stderr}");
}
