//! `camcount boundaries` on the real extracts, against the independent
//! references in `pbf/reference/*.admin8.csv` (libosmium assembler, pyproj
//! geodesic areas), the cosmogony Île-de-France polygons, and hostile
//! relations written with our own PBF writer.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;

use camcount::fixtures::{node, relation, way, write_elements};
use camcount::pbf::block::ElementType;
use common::{extract, ogr_feature_count, read_csv, reference, stdout_of, Row, Workdir};
use geo::orient::{Direction, Orient};
use geo::{Coord, GeodesicArea, LineString, MultiPolygon, Polygon};
use serde_json::Value;

fn boundaries_csv(stem: &str) -> BTreeMap<String, Row> {
    let csv = stdout_of(&[
        OsStr::new("boundaries"),
        extract(stem).as_os_str(),
        OsStr::new("-q"),
    ]);
    read_csv(&csv)
        .into_iter()
        .map(|r| (r["osm_id"].clone(), r))
        .collect()
}

fn boundaries_geojson(stem: &str) -> Value {
    let text = stdout_of(&[
        OsStr::new("boundaries"),
        extract(stem).as_os_str(),
        OsStr::new("--format"),
        OsStr::new("geojson"),
        OsStr::new("-q"),
    ]);
    serde_json::from_str(&text).expect("valid GeoJSON")
}

/// Compares every admin_level=8 relation with the reference table.
fn check_against_reference(stem: &str) -> (usize, usize) {
    let ours = boundaries_csv(stem);
    let theirs =
        read_csv(&std::fs::read_to_string(reference(&format!("{stem}.admin8.csv"))).unwrap());
    assert_eq!(ours.len(), theirs.len(), "{stem}: candidate count");
    let mut assembled = 0;
    for expected in &theirs {
        let id = &expected["relation_id"];
        let row = ours
            .get(id)
            .unwrap_or_else(|| panic!("{stem}: relation {id} missing"));
        let should_assemble = expected["assembled"] == "1";
        // Built: `ok`, or `partial` where the extract's box cuts it.
        assert_eq!(
            row["status"] == "ok" || row["status"] == "partial",
            should_assemble,
            "{stem} {id}: {row:?}"
        );
        assert_eq!(
            row["missing_ways"], expected["missing_way_members"],
            "{stem} {id}"
        );
        assert_eq!(row["name"], expected["name"], "{stem} {id}");
        assert_eq!(row["ref"], expected["ref_INSEE"], "{stem} {id}");
        if should_assemble {
            assembled += 1;
            let (a, b): (f64, f64) = (
                row["area_km2"].parse().unwrap(),
                expected["area_km2"].parse().unwrap(),
            );
            assert!((a - b).abs() <= b * 0.003, "{stem} {id}: area {a} vs {b}");
        } else {
            assert_eq!(row["status"], "incomplete", "{stem} {id}: {row:?}");
            assert!(
                row["reason"].contains("missing from the extract"),
                "{stem} {id}"
            );
            assert_eq!(row["area_km2"], "", "no area for an unbuilt boundary");
        }
    }
    (theirs.len(), assembled)
}

#[test]
fn monaco_2026_is_ok_at_2_3915_km2_and_its_neighbours_incomplete() {
    assert_eq!(check_against_reference("monaco-2026-07-10"), (5, 1));
    let rows = boundaries_csv("monaco-2026-07-10");
    let monaco = &rows["2220322"];
    assert_eq!(monaco["status"], "ok");
    let area: f64 = monaco["area_km2"].parse().unwrap();
    assert!((area - 2.3915).abs() <= 2.3915 * 0.003);
    for (id, missing) in [
        ("174562", "1"),
        ("174956", "6"),
        ("174558", "5"),
        ("174958", "3"),
    ] {
        assert_eq!(rows[id]["status"], "incomplete");
        assert_eq!(rows[id]["missing_ways"], missing, "{id}");
    }
}

#[test]
fn luxembourg_has_160_candidates_of_which_105_assemble() {
    assert_eq!(
        check_against_reference("luxembourg-boundaries-filtered-2018"),
        (160, 105)
    );
}

#[test]
fn melun_fixture_assembles_its_7_communes_with_reference_areas() {
    assert_eq!(
        check_against_reference("mimirsbrunn-osm_fixture-idf-melun"),
        (7, 7)
    );
}

#[test]
fn liechtenstein_assembles_11_communes_and_vaduz_has_7_polygons() {
    assert_eq!(
        check_against_reference("liechtenstein-2024-03-04"),
        (22, 11)
    );
    let geojson = boundaries_geojson("liechtenstein-2024-03-04");
    let theirs = read_csv(
        &std::fs::read_to_string(reference("liechtenstein-2024-03-04.admin8.csv")).unwrap(),
    );
    let mut checked = 0;
    for feature in geojson["features"].as_array().unwrap() {
        let id = feature["properties"]["osm_id"].to_string();
        let expected = theirs.iter().find(|r| r["relation_id"] == id).unwrap();
        if expected["assembled"] == "1" {
            let parts = feature["geometry"]["coordinates"].as_array().unwrap().len();
            assert_eq!(
                parts.to_string(),
                expected["polygons"],
                "{}",
                expected["name"]
            );
            checked += 1;
        } else {
            assert!(feature["geometry"].is_null());
        }
        if expected["name"] == "Vaduz" {
            assert_eq!(feature["geometry"]["type"], "MultiPolygon");
            assert_eq!(
                feature["geometry"]["coordinates"].as_array().unwrap().len(),
                7
            );
        }
    }
    assert_eq!(checked, 11);
}

#[test]
fn clipperton_is_8_853_km2_with_population_0() {
    check_against_reference("clipperton-2025-04");
    let row = &boundaries_csv("clipperton-2025-04")["2573010"];
    assert_eq!(row["area_km2"], "8.8530");
    assert_eq!(row["population"], "0");
    assert_eq!(row["ref"], "98901");
}

#[test]
fn andorra_and_monaco_2021_match_their_references() {
    assert_eq!(check_against_reference("andorra-2025-01-18"), (12, 1));
    assert_eq!(check_against_reference("monaco-2021-04-21"), (5, 0));
}

/// Geodesic areas of the cosmogony Île-de-France cities, by INSEE code.
fn cosmogony_areas() -> BTreeMap<String, f64> {
    let path = common::data_dir().join("communes/osm-cosmogony-idf-2020/ile-de-france.jsonl.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .filter_map(|line| {
            let zone: Value = serde_json::from_str(line).unwrap();
            let code = zone["tags"]["ref:INSEE"].as_str()?.to_string();
            (zone["zone_type"] == "city").then(|| {
                // Geodesic area follows winding; cosmogony's rings wind either way.
                let shape = multipolygon(&zone["geometry"]).orient(Direction::Default);
                (code, shape.geodesic_area_unsigned() / 1e6)
            })
        })
        .collect()
}

fn multipolygon(geometry: &Value) -> MultiPolygon<f64> {
    let ring = |r: &Value| -> LineString<f64> {
        r.as_array()
            .unwrap()
            .iter()
            .map(|c| Coord {
                x: c[0].as_f64().unwrap(),
                y: c[1].as_f64().unwrap(),
            })
            .collect()
    };
    let polygon = |p: &Value| {
        let rings = p.as_array().unwrap();
        Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect())
    };
    match geometry["type"].as_str().unwrap() {
        "Polygon" => MultiPolygon::new(vec![polygon(&geometry["coordinates"])]),
        _ => MultiPolygon::new(
            geometry["coordinates"]
                .as_array()
                .unwrap()
                .iter()
                .map(polygon)
                .collect(),
        ),
    }
}

#[test]
fn areas_agree_with_cosmogony_full_resolution_polygons_within_half_a_percent() {
    let cosmogony = cosmogony_areas();
    let ours = boundaries_csv("mimirsbrunn-osm_fixture-idf-melun");
    let mut compared = 0;
    for row in ours.values().filter(|r| r["status"] == "ok") {
        let Some(&theirs) = cosmogony.get(&row["ref"]) else {
            continue;
        };
        let area: f64 = row["area_km2"].parse().unwrap();
        assert!(
            (area - theirs).abs() <= theirs * 0.005,
            "{}: {area} vs cosmogony {theirs}",
            row["name"]
        );
        compared += 1;
    }
    assert_eq!(compared, 6, "the six Île-de-France communes of the fixture");
}

/// A square boundary relation around the origin, plus extra members.
fn hostile_file(wd: &Workdir) -> std::path::PathBuf {
    let boundary = |name: &str| {
        vec![
            ("type".to_string(), "boundary".to_string()),
            ("boundary".to_string(), "administrative".to_string()),
            ("admin_level".to_string(), "8".to_string()),
            ("name".to_string(), name.to_string()),
        ]
    };
    let tags = |name: &str| boundary(name);
    let mut elements = vec![
        node(1, 0.0, 0.0, &[]),
        node(2, 0.01, 0.0, &[]),
        node(3, 0.01, 0.01, &[]),
        node(4, 0.0, 0.01, &[]),
        way(10, &[1, 2, 3, 4, 1], &[]),
        way(11, &[1], &[]),
    ];
    let mut add = |id: i64, members: Vec<(ElementType, i64, &str)>, name: &str| {
        let mut r = relation(id, &members, &[]);
        if let camcount::pbf::OsmElement::Relation(rel) = &mut r {
            rel.tags = tags(name);
        }
        elements.push(r);
    };
    add(
        100,
        vec![
            (ElementType::Way, 10, "outer"),
            (ElementType::Relation, 100, "subarea"),
        ],
        "lists itself",
    );
    add(101, vec![(ElementType::Way, 11, "outer")], "one-node way");
    add(
        102,
        vec![
            (ElementType::Way, 10, "outer"),
            (ElementType::Way, 11, "outer"),
        ],
        "square and one-node way",
    );
    add(
        103,
        vec![(ElementType::Node, 1, "admin_centre")],
        "node member only",
    );
    add(104, vec![], "empty");
    let many: Vec<(ElementType, i64, &str)> = (0..10_000)
        .map(|i| (ElementType::Way, 1_000 + i, "outer"))
        .collect();
    add(105, many, "ten thousand members");
    let path = wd.path("hostile.osm.pbf");
    write_elements(&elements, &path, Default::default()).unwrap();
    path
}

#[test]
fn bad_relations_each_get_a_status_and_a_reason() {
    let wd = Workdir::new();
    let input = hostile_file(&wd);
    let csv = stdout_of(&[
        OsStr::new("boundaries"),
        input.as_os_str(),
        OsStr::new("-q"),
    ]);
    let rows: BTreeMap<String, Row> = read_csv(&csv)
        .into_iter()
        .map(|r| (r["name"].clone(), r))
        .collect();
    let expect = |name: &str, status: &str, reason: &str| {
        let row = &rows[name];
        assert_eq!(row["status"], status, "{name}: {row:?}");
        assert!(row["reason"].contains(reason), "{name}: {row:?}");
    };
    expect("lists itself", "ok", "lists itself");
    expect("one-node way", "invalid", "no rings");
    expect("square and one-node way", "ok", "");
    expect("node member only", "invalid", "no way members");
    expect("empty", "invalid", "no way members");
    expect(
        "ten thousand members",
        "incomplete",
        "10000 of 10000 member ways missing",
    );
    assert_eq!(rows["ten thousand members"]["missing_ways"], "10000");
}

#[test]
fn boundaries_geojson_loads_in_gdal_with_every_candidate() {
    let wd = Workdir::new();
    let out = wd.path("lux.geojson");
    stdout_of(&[
        OsStr::new("boundaries"),
        extract("luxembourg-boundaries-filtered-2018").as_os_str(),
        OsStr::new("--format"),
        OsStr::new("geojson"),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("-q"),
    ]);
    assert_eq!(ogr_feature_count(&out), 160);
}

/// The largest relative difference between our area and geographiclib's
/// geodesic area, over shapes whose edges are all under 0.1° (10 km) and
/// over all shapes, and how many shapes were seen.
fn worst_area_difference<'a>(
    shapes: impl Iterator<Item = &'a MultiPolygon<f64>>,
) -> (f64, f64, usize) {
    let (mut short_edged, mut all, mut seen) = (0.0f64, 0.0f64, 0);
    for shape in shapes {
        let geodesic = shape.geodesic_area_unsigned();
        let ours = camcount::boundary::area::ellipsoidal_area(shape);
        let difference = (ours - geodesic).abs() / geodesic;
        let longest_edge = shape
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|ring| ring.lines())
            .map(|l| l.dx().hypot(l.dy()))
            .fold(0.0, f64::max);
        if longest_edge < 0.1 {
            short_edged = short_edged.max(difference);
        }
        all = all.max(difference);
        seen += 1;
    }
    (short_edged, all, seen)
}

/// Our area (spherical excess on the authalic sphere) against the geodesic
/// area: within 1e-6 for boundaries drawn with edges under 10 km, within
/// 1e-5 for the rest (the Melun fixture's France outline has 7° edges).
#[test]
fn areas_equal_the_geodesic_area_on_every_real_boundary_and_ign_commune() {
    let no_progress = |_| {};
    let selector = camcount::candidates::BoundarySelector {
        admin_levels: vec![],
        all_areas: true,
    };
    let mut built = Vec::new();
    for stem in [
        "monaco-2026-07-10",
        "andorra-2025-01-18",
        "liechtenstein-2024-03-04",
        "luxembourg-boundaries-filtered-2018",
        "mimirsbrunn-osm_fixture-idf-melun",
        "clipperton-2025-04",
    ] {
        let scan = camcount::scan(&extract(stem), Some(&selector), &no_progress).unwrap();
        let boundaries = camcount::assemble_boundaries(&scan.relations, &scan);
        built.extend(boundaries.into_iter().filter_map(|b| b.geometry));
    }
    let (short_edged, all, seen) = worst_area_difference(built.iter());
    eprintln!("OSM: {seen} boundaries, worst {short_edged:e} / {all:e}");
    assert!(seen > 100, "only {seen} boundaries built");
    assert!(short_edged < 1e-6, "OSM boundaries: {short_edged:e}");
    assert!(all < 1e-5, "OSM boundaries: {all:e}");
    for departement in [
        "06-alpes-maritimes",
        "12-aveyron",
        "33-gironde",
        "2A-corse-du-sud",
    ] {
        let path = common::data_dir().join(format!(
            "communes/france-geojson-2018/departements/{departement}/communes-{departement}.geojson"
        ));
        let zones = camcount::external::geojson::read_zones(&path, "code", None).unwrap();
        let shapes = zones.zones.iter().filter_map(|z| z.geometry.as_ref());
        let (short_edged, all, seen) = worst_area_difference(shapes);
        eprintln!("{departement}: {seen} communes, worst {short_edged:e} / {all:e}");
        assert!(seen > 15, "{departement}: {seen} communes");
        assert!(short_edged < 1e-6, "{departement}: {short_edged:e}");
        assert!(all < 1e-5, "{departement}: {all:e}");
    }
}

/// Regression (2026-12-05): `camcount boundaries` read
/// L'Hospitalet-près-l'Andorre `ok` where the count of the same file says
/// `partial` (39 % of it lies beyond Andorra's bounding box). The two
/// commands now give each relation the same status and reason.
#[test]
fn boundaries_and_the_count_give_the_same_status() {
    let boundaries = boundaries_csv("andorra-2025-01-18");
    let count = read_csv(&stdout_of(&[
        extract("andorra-2025-01-18").as_os_str(),
        OsStr::new("-q"),
    ]));
    for row in &count {
        let b = &boundaries[&row["osm_id"]];
        assert_eq!(
            (&b["status"], &b["reason"]),
            (&row["status"], &row["reason"])
        );
    }
    let hospitalet = &boundaries["1837358"];
    assert_eq!(hospitalet["status"], "partial");
    assert!(
        hospitalet["reason"].starts_with("only 61 %"),
        "{hospitalet:?}"
    );
}

/// `camcount boundaries` on a file without a bounding box warns, as the
/// count does, that its `ok` relations were not checked against one.
#[test]
fn boundaries_of_a_file_without_a_box_say_they_were_not_checked() {
    let output = common::camcount()
        .arg("boundaries")
        .arg(extract("mimirsbrunn-osm_fixture-idf-melun"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("states no bounding box, so its boundary relations are not checked"),
        "{stderr}"
    );
}
