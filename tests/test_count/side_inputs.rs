//! The side files of a count: IGN commune polygons (`--boundaries`) and
//! INSEE populations (`--population`) on Monaco, thousands of synthetic
//! cameras placed in the Aveyron polygons, the official département names,
//! and bad or self-intersecting side files named in the error or warning.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::PathBuf;

use camcount::fixtures::{node, write_elements, Seeded};
use geo::{BoundingRect, Contains, Point};
use predicates::prelude::*;
use serde_json::Value;

use crate::common::{camcount, data_dir, extract, read_csv_with, Workdir};
use crate::{count_csv, sample};

fn alpes_maritimes() -> PathBuf {
    data_dir().join("communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson")
}

fn insee_population() -> PathBuf {
    data_dir().join("population/communes-2026-pmun2023.csv")
}

/// The Monaco extract counted in IGN commune polygons, with the INSEE
/// populations.
fn ign_with_insee(polygons: &std::path::Path) -> assert_cmd::Command {
    let mut command = camcount();
    command
        .arg(extract("monaco-2026-07-10"))
        .args(["--boundaries".as_ref(), polygons.as_os_str()])
        .args([
            "--boundary-id-field",
            "code",
            "--boundary-name-field",
            "nom",
        ])
        .args(["--population".as_ref(), insee_population().as_os_str()]);
    command
}

/// INSEE populations of current communes, read independently of camcount.
fn insee_current() -> BTreeMap<String, String> {
    read_csv_with(&std::fs::read_to_string(insee_population()).unwrap(), b',')
        .into_iter()
        .filter(|r| r["type"] == "commune-actuelle")
        .map(|r| (r["code"].clone(), r["population"].clone()))
        .collect()
}

#[test]
fn monaco_with_ign_communes_and_insee_populations() {
    let wd = Workdir::new();
    let rollup = wd.path("departements.csv");
    let rows = count_csv(&[
        extract("monaco-2026-07-10").as_os_str(),
        OsStr::new("--boundaries"),
        alpes_maritimes().as_os_str(),
        OsStr::new("--boundary-id-field"),
        OsStr::new("code"),
        OsStr::new("--boundary-name-field"),
        OsStr::new("nom"),
        OsStr::new("--population"),
        insee_population().as_os_str(),
        OsStr::new("--rollup"),
        OsStr::new("departement"),
        OsStr::new("--rollup-output"),
        rollup.as_os_str(),
    ]);
    assert_eq!(rows.len(), 163);
    // The extract's bounding box reaches 4 of the 163 communes, each only
    // in part: the other 159 are not counted (not 0 cameras).
    let counted: Vec<(&str, &str, &str)> = rows
        .iter()
        .filter(|r| r["status"] != "outside_extract")
        .map(|r| {
            (
                r["ref"].as_str(),
                r["cameras"].as_str(),
                r["status"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("06012", "1", "partial"),
            ("06032", "1", "partial"),
            ("06104", "0", "partial"),
            ("06150", "0", "partial"),
        ]
    );
    let beyond = rows.iter().filter(|r| r["status"] == "outside_extract");
    assert!(beyond.clone().all(|r| r["cameras"].is_empty()));
    assert_eq!(beyond.count(), 159);
    let insee = insee_current();
    for row in &rows {
        assert_eq!(row["population"], insee[&row["ref"]], "{}", row["name"]);
        assert_eq!(row["population_source"], "communes-2026-pmun2023.csv");
        assert_eq!(row["osm_id"], "");
    }
    let groups = read_csv_with(&std::fs::read_to_string(&rollup).unwrap(), b',');
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["group"], "06");
    assert_eq!(groups[0]["name"], "Alpes-Maritimes");
    assert_eq!(groups[0]["communes"], "163");
    assert_eq!(groups[0]["communes_with_cameras"], "2");
    assert_eq!(groups[0]["cameras"], "2");
    assert_eq!(groups[0]["communes_not_counted"], "159");
    assert_eq!(groups[0]["communes_partial"], "4");
}

#[test]
fn thousands_of_synthetic_cameras_in_real_ign_polygons_are_all_counted_where_placed() {
    let path = data_dir()
        .join("communes/france-geojson-2018/departements/12-aveyron/communes-12-aveyron.geojson");
    let zones = camcount::external::geojson::read_zones(&path, "code", Some("nom"))
        .unwrap()
        .zones;
    assert_eq!(zones.len(), 285);
    let shapes: Vec<_> = zones.iter().map(|z| z.geometry.clone().unwrap()).collect();
    let mut rng = Seeded::new(0x5eed_cafe);
    let mut expected: BTreeMap<String, u64> = BTreeMap::new();
    let mut elements = Vec::new();
    for (i, zone) in zones.iter().enumerate() {
        let rect = shapes[i].bounding_rect().unwrap();
        let wanted = 1 + (i % 23) as u64;
        let mut placed = 0;
        while placed < wanted {
            let p = Point::new(
                rect.min().x + rng.next_f64() * rect.width(),
                rect.min().y + rng.next_f64() * rect.height(),
            );
            // Keep points inside this polygon and no other (IGN polygons are
            // simplified and may overlap their neighbours slightly).
            let holders = shapes.iter().filter(|s| s.contains(&p)).count();
            if shapes[i].contains(&p) && holders == 1 {
                let (lon, lat) = ((p.x() * 1e7).round() / 1e7, (p.y() * 1e7).round() / 1e7);
                if shapes[i].contains(&Point::new(lon, lat))
                    && shapes
                        .iter()
                        .filter(|s| s.contains(&Point::new(lon, lat)))
                        .count()
                        == 1
                {
                    elements.push((lon, lat));
                    placed += 1;
                }
            }
        }
        expected.insert(zone.reference.clone().unwrap(), wanted);
    }
    let nodes: Vec<_> = elements
        .iter()
        .enumerate()
        .map(|(id, &(lon, lat))| {
            node(
                id as i64 + 1,
                lon,
                lat,
                &[
                    ("man_made", "surveillance"),
                    ("surveillance:type", "camera"),
                ],
            )
        })
        .collect();
    let total: u64 = expected.values().sum();
    assert!(total > 3000, "thousands of cameras: {total}");
    let wd = Workdir::new();
    let input = wd.path("aveyron-cameras.osm.pbf");
    write_elements(&nodes, &input, Default::default()).unwrap();
    let rows = count_csv(&[
        input.as_os_str(),
        OsStr::new("--boundaries"),
        path.as_os_str(),
        OsStr::new("--threads"),
        OsStr::new("2"),
    ]);
    assert_eq!(rows.len(), 285);
    for row in &rows {
        assert_eq!(
            row["cameras"],
            expected[&row["ref"]].to_string(),
            "{} {}",
            row["ref"],
            row["name"]
        );
        assert_eq!(row["type_camera"], row["cameras"]);
    }
}

#[test]
fn bad_side_inputs_are_named() {
    let wd = Workdir::new();
    let point = wd.write(
        "points.geojson",
        br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
            {"type":"Feature","properties":{"code":"2"},"geometry":{"type":"Point","coordinates":[0,0]}}]}"#,
    );
    let no_id = wd.write(
        "noid.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
    );
    let open_ring = wd.write(
        "open.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}]}"#,
    );
    let broken = wd.write(
        "broken.geojson",
        b"{\"type\": \"FeatureCollection\", \"features\": [",
    );
    let cases = [
        (&point, "feature 1: geometry is a Point"),
        (&no_id, "feature 0: no \"code\" property"),
        (&open_ring, "feature 0: ring is not closed"),
        (&broken, "invalid JSON"),
    ];
    for (path, needle) in cases {
        camcount()
            .arg(sample())
            .arg("--boundaries")
            .arg(path)
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains(path.display().to_string())
                    .and(predicate::str::contains(needle)),
            );
    }
    // A directory is a read error, not a parse error.
    for option in ["--boundaries", "--population"] {
        camcount()
            .arg(sample())
            .arg(option)
            .arg(wd.path(""))
            .assert()
            .code(1)
            .stderr(
                predicate::str::contains("s a directory")
                    .and(predicate::str::contains("invalid JSON").not()),
            );
    }
    let bad_population = wd.write("pop.csv", b"insee,pop\n99001,3\n");
    camcount()
        .arg(sample())
        .arg("--population")
        .arg(&bad_population)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no column \"code\""));
}

/// Regression (2026-12-07): a `--boundaries` polygon whose rings cross
/// read `ok`, its cameras counted in its lobes, while its reason called it
/// invalid and the README says a crossing makes a zone `invalid`. Now as a
/// relation whose rings cross: `invalid`, no figure, and the remedy.
#[test]
fn crossing_external_polygon_is_invalid_and_not_counted() {
    let wd = Workdir::new();
    let bowtie = wd.write(
        "bowtie.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"06012","nom":"Noeud"},"geometry":{"type":"Polygon","coordinates":[[[7.4,43.72],[7.44,43.76],[7.44,43.72],[7.4,43.76],[7.4,43.72]]]}}]}"#,
    );
    let output = camcount()
        .arg(extract("monaco-2026-07-10"))
        .arg("--boundaries")
        .arg(&bowtie)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("feature 0 (06012): invalid polygon")
            && stderr.contains("status invalid, not counted"),
        "{stderr}"
    );
    let csv = String::from_utf8(output.stdout).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let field = |name: &str| &row[header.iter().position(|h| h == name).unwrap()];
    assert_eq!(field("status"), "invalid");
    assert_eq!(field("cameras"), "");
    assert_eq!(field("area_km2"), "");
    assert!(field("reason").contains("ogr2ogr -makevalid"), "{csv}");
}

/// Regression (2026-12-05): a `--boundaries` polygon read `invalid` (a
/// hole given before its exterior; a bowtie whose lobes are mirror images,
/// said to "enclose no area") still took cameras in the join: Monaco's
/// totals said 12 cameras inside communes that no row showed. The cameras
/// inside communes are those of the rows, whatever the polygon: a crossing
/// polygon is `invalid` too (2026-12-07), and a square beside it `partial`.
#[test]
fn cameras_inside_communes_are_those_the_rows_count() {
    let wd = Workdir::new();
    let polygon = |name: &str, rings: &str| {
        wd.write(
            &format!("{name}.geojson"),
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"A","nom":"A"}},"geometry":{{"type":"Polygon","coordinates":{rings}}}}}]}}"#
            )
            .as_bytes(),
        )
    };
    let bowtie = polygon(
        "bowtie",
        "[[[7.4,43.72],[7.44,43.76],[7.44,43.72],[7.4,43.76],[7.4,43.72]]]",
    );
    let hole_first = polygon(
        "hole-first",
        "[[[7.41,43.73],[7.42,43.73],[7.42,43.74],[7.41,43.73]],[[7.3,43.6],[7.6,43.6],[7.6,43.9],[7.3,43.9],[7.3,43.6]]]",
    );
    let square = polygon(
        "square",
        "[[[7.4,43.72],[7.44,43.72],[7.44,43.76],[7.4,43.76],[7.4,43.72]]]",
    );
    for (file, status) in [
        (&bowtie, "invalid"),
        (&hole_first, "invalid"),
        (&square, "partial"),
    ] {
        let output = camcount()
            .arg(extract("monaco-2026-07-10"))
            .args(["-f", "json", "-q", "--boundaries"])
            .arg(file)
            .output()
            .unwrap();
        assert!(output.status.success());
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        let row = &doc["communes"][0];
        assert_eq!(row["status"], status, "{file:?}");
        let level = &doc["totals"]["levels"][0];
        let in_rows = row["cameras"].as_u64().unwrap_or(0);
        assert_eq!(level["cameras_in_communes"], in_rows, "{file:?}");
        assert_eq!(
            level["cameras_outside_communes"],
            doc["totals"]["cameras"].as_u64().unwrap() - in_rows,
            "{file:?}"
        );
        if status == "partial" {
            // Counted: the square holds cameras.
            assert!(in_rows > 0);
            assert!(!row["reason"].as_str().unwrap().contains("encloses no area"));
        }
    }
}

#[test]
fn departement_names_match_the_official_list() {
    let path = data_dir().join("population/decoupage-administratif-6.0.0/departements.json");
    let official: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(official.len(), camcount::departements::DEPARTEMENTS.len());
    for d in &official {
        let code = d["code"].as_str().unwrap();
        assert_eq!(
            camcount::departements::departement_name(code),
            d["nom"].as_str(),
            "{code}"
        );
    }
}

/// Regression (2026-12-05): IGN 2018 polygons joined to the 2026
/// populations gave 49080 Châteauneuf-sur-Sarthe (14.6 km²) the 8,751
/// inhabitants of Les Hauts-d'Anjou, and 49060 Chacé the 3,435 of
/// Bellevigne-les-Châteaux, with exit 0.
#[test]
fn older_boundaries_leave_communes_merged_since_without_a_population() {
    let maine_et_loire = data_dir()
        .join("communes/france-geojson-2018/departements/49-maine-et-loire/communes-49-maine-et-loire.geojson");
    let output = ign_with_insee(&maine_et_loire).output().unwrap();
    assert!(output.status.success());
    let rows = read_csv_with(&String::from_utf8(output.stdout).unwrap(), b',');
    assert_eq!(rows.len(), 183);
    let by_code: BTreeMap<&str, &BTreeMap<String, String>> =
        rows.iter().map(|r| (r["ref"].as_str(), r)).collect();
    // Former communes of Les Hauts-d'Anjou (49080, 49065) and of
    // Bellevigne-les-Châteaux (49060, 49046, 49274).
    for code in ["49080", "49065", "49060", "49046", "49274"] {
        let row = by_code[code];
        assert_eq!(row["population"], "", "{code} {}", row["name"]);
        assert_eq!(row["population_source"], "", "{code}");
        assert_eq!(row["cameras_per_1000"], "", "{code}");
    }
    let insee = insee_current();
    assert_eq!(by_code["49007"]["population"], insee["49007"], "Angers");
    assert_eq!(by_code["49007"]["population"], "159022");
    // The 2018 polygon 49069 "Orée d'Anjou" is that commune whole, drawn
    // under its code before it became 49126 (found 2026-12-06).
    assert_eq!(by_code["49069"]["name"], "Orée d'Anjou");
    assert_eq!(by_code["49069"]["population"], insee["49126"]);
    // Every other figure given is the INSEE figure of that very code.
    let given = rows.iter().filter(|r| !r["population"].is_empty());
    let own = given.clone().filter(|r| r["ref"] != "49069");
    assert!(own.clone().all(|r| r["population"] == insee[&r["ref"]]));
    assert_eq!((given.count(), own.count()), (170, 169));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("population file: 170 communes matched, 0 not found in it or without a usable population, 13 merged since (no population)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "zone 49069 is 49126 Orée d'Anjou, under the code it had before a change of code"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: 49060 Chacé and 12 other zones are former communes of a commune merged since, or share a code (e.g. 49060 Bellevigne-les-Châteaux): a commune's population cannot be split, so the file gives them none; an OSM boundary keeps its own population tag, if any (see population_source); use boundaries of the population file's year"),
        "{stderr}"
    );
}

/// Regression (2026-12-06): the IGN 2018 polygon of Neussargues en
/// Pinatelle (15141), a merger undone since, took the 824 inhabitants of
/// today's Neussargues-Moissac, not the 1,555 of the five communes it
/// covers, with no word: the four communes re-created since have no zone,
/// and the file links them to nothing. The run now names them. An OSM
/// extract, whose relations are today's communes and which a cut leaves
/// without most of a département, is not warned.
#[test]
fn communes_without_a_zone_in_covered_departements_are_named() {
    let cantal = data_dir()
        .join("communes/france-geojson-2018/departements/15-cantal/communes-15-cantal.geojson");
    let output = ign_with_insee(&cantal).args(["-f", "md"]).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let warning = "4 communes of the population file have no zone, though other communes of \
                   their départements have (e.g. 15031 Celles): if the boundaries cover those \
                   départements whole, they are older than these communes";
    assert!(stderr.contains(warning), "{stderr}");
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(md.contains(&format!("- Note: {warning}")), "{md}");

    let osm = camcount()
        .arg(extract("monaco-2026-07-10"))
        .args(["--population".as_ref(), insee_population().as_os_str()])
        .output()
        .unwrap();
    assert!(osm.status.success());
    let stderr = String::from_utf8(osm.stderr).unwrap();
    assert!(stderr.contains("population file:"), "{stderr}");
    assert!(!stderr.contains("have no zone"), "{stderr}");
}

/// Regression (2026-12-05): a feature given twice (two files
/// concatenated) had its rings put side by side. Its area doubled (5.5398
/// km² for Beausoleil's 2.7699), and by the even-odd rule the doubled rings
/// enclosed nothing: Beausoleil read `outside_extract` and its camera went
/// "outside every one". A copy overlapping half of it read 4.2601 km². The
/// features are now joined as the union of their polygons.
#[test]
fn a_feature_given_twice_or_overlapping_is_joined_as_its_union() {
    let wd = Workdir::new();
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(alpes_maritimes()).unwrap()).unwrap();
    let feature = |code: &str| {
        let features = all["features"].as_array().unwrap();
        let found = features.iter().find(|f| f["properties"]["code"] == code);
        found.unwrap().clone()
    };
    let beausoleil = feature("06012");
    // The western half of Beausoleil's box, cut as a rectangle: it overlaps
    // the commune, and lies inside its box.
    fn positions(value: &Value, out: &mut Vec<(f64, f64)>) {
        match value.as_array() {
            Some(pair) if pair.first().is_some_and(Value::is_number) => {
                out.push((pair[0].as_f64().unwrap(), pair[1].as_f64().unwrap()))
            }
            Some(items) => items.iter().for_each(|item| positions(item, out)),
            None => {}
        }
    }
    let mut points = Vec::new();
    positions(&beausoleil["geometry"]["coordinates"], &mut points);
    let b = geo::MultiPoint::from(points).bounding_rect().unwrap();
    let mid = (b.min().x + b.max().x) / 2.0;
    let mut half = beausoleil.clone();
    half["geometry"] = serde_json::json!({"type": "Polygon", "coordinates": [[
        [b.min().x, b.min().y], [mid, b.min().y], [mid, b.max().y],
        [b.min().x, b.max().y], [b.min().x, b.min().y]]]});
    let run = |features: Vec<Value>| {
        let collection = serde_json::json!({"type": "FeatureCollection", "features": features});
        let path = wd.write("zones.geojson", collection.to_string().as_bytes());
        let rows = count_csv(&[
            extract("monaco-2026-07-10").as_os_str(),
            OsStr::new("--boundaries"),
            path.as_os_str(),
        ]);
        let row = rows.iter().find(|r| r["ref"] == "06012").unwrap().clone();
        (
            row["area_km2"].clone(),
            row["cameras"].clone(),
            row["status"].clone(),
        )
    };
    let once = run(vec![beausoleil.clone()]);
    assert_eq!(once, ("2.7699".into(), "1".into(), "partial".into()));
    assert_eq!(run(vec![beausoleil.clone(), beausoleil.clone()]), once);
    // A part enclosing no area (all its points on one line), before or
    // after: the union is Beausoleil, measured (its area was lost).
    let mut flat = beausoleil.clone();
    flat["geometry"] = serde_json::json!({"type": "Polygon", "coordinates": [[
        [7.42, 43.74], [7.43, 43.74], [7.44, 43.74], [7.42, 43.74]]]});
    assert_eq!(run(vec![beausoleil.clone(), flat.clone()]), once);
    assert_eq!(run(vec![flat, beausoleil.clone()]), once);
    let (half_alone, half_cameras, _) = run(vec![half.clone()]);
    let half_alone: f64 = half_alone.parse().unwrap();
    let (area, cameras, status) = run(vec![beausoleil.clone(), half]);
    // The union is more than either, and less than the two summed (what
    // rings side by side measured): they overlap.
    let area: f64 = area.parse().unwrap();
    assert!(area > half_alone.max(2.7699), "{area} {half_alone}");
    assert!(area < half_alone + 2.7699 - 0.1, "{area} {half_alone}");
    // The union holds each one's cameras, a camera in both once.
    let (half_cameras, cameras): (u32, u32) =
        (half_cameras.parse().unwrap(), cameras.parse().unwrap());
    assert!(cameras >= half_cameras.max(1) && cameras <= half_cameras + 1);
    assert_eq!(status, "partial");
}

/// The notes on populations the file did not give, read from the rows
/// (regression, 2026-12-05). Monaco has no code: its population is its
/// OSM tag, which no note said beside the INSEE file's name. IGN polygons
/// the file misses have no tag: "their population is the OSM tag's" was
/// false; they have none.
#[test]
fn population_notes_say_where_each_population_came_from() {
    let notes = |args: &[&OsStr]| -> Vec<String> {
        let output = camcount()
            .arg(extract("monaco-2026-07-10"))
            .args(args)
            .args(["-f", "json", "-q"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        (json["metadata"]["notes"].as_array().unwrap().iter())
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let insee = insee_population();
    let osm = notes(&[OsStr::new("--population"), insee.as_os_str()]);
    assert!(
        osm.iter().any(|n| n.starts_with(
            "1 zone takes its population from the OSM tag, not from the population file"
        )),
        "{osm:?}"
    );
    let wd = Workdir::new();
    let partial = wd.path("partial.csv");
    std::fs::write(&partial, "code,population\n06012,12674\n").unwrap();
    let ign = alpes_maritimes();
    let missing = notes(&[
        OsStr::new("--boundaries"),
        ign.as_os_str(),
        OsStr::new("--population"),
        partial.as_os_str(),
    ]);
    assert!(
        missing.iter().any(|n| n.starts_with(
            "162 zones are not found in the population file (or without a usable figure) and have no population"
        )),
        "{missing:?}"
    );
    assert!(
        !missing.iter().any(|n| n.contains("OSM tag")),
        "{missing:?}"
    );
}

/// Regression (2026-12-05): the INSEE file saved with "11.936"-style
/// thousands gave one warning per row (10,148 lines) and kept only the
/// communes under 1,000 inhabitants, whose rates then stood alone; "1 2 3"
/// read as 123. Thousands grouped by threes are read, with one warning;
/// other values are refused, and a file's warnings stop after ten.
#[test]
fn populations_with_grouped_thousands_are_read_and_warnings_stay_few() {
    let wd = Workdir::new();
    let text = std::fs::read_to_string(insee_population()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let at = header.split(',').position(|h| h == "population").unwrap();
    let mut dotted = vec![header.to_string()];
    for line in lines {
        // The file has no quoted field with a comma in its first columns.
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if let Ok(n) = cells[at].parse::<u64>() {
            if n >= 1000 {
                cells[at] = format!("{}.{:03}", n / 1000, n % 1000);
            }
        }
        dotted.push(cells.join(","));
    }
    // Beausoleil (06012) in groups that are no number.
    let beausoleil = dotted.iter().position(|l| l.starts_with("06012,")).unwrap();
    let mut cells: Vec<String> = dotted[beausoleil].split(',').map(str::to_string).collect();
    cells[at] = "1 2 3".into();
    dotted[beausoleil] = cells.join(",");
    // Thirty rows of the Ain (01…, none in the Alpes-Maritimes) unreadable.
    for line in dotted.iter_mut().skip(1).take(30) {
        assert!(line.starts_with("01"), "{line}");
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        cells[at] = "n/a".into();
        *line = cells.join(",");
    }
    let dotted_file = wd.write("dotted.csv", dotted.join("\n").as_bytes());
    let run = |population: &std::path::Path| {
        let output = camcount()
            .arg(extract("monaco-2026-07-10"))
            .arg("--boundaries")
            .arg(alpes_maritimes())
            .args(["--boundary-id-field", "code", "--population"])
            .arg(population)
            .output()
            .unwrap();
        assert!(output.status.success());
        let rows = crate::common::read_csv(&String::from_utf8(output.stdout).unwrap());
        (rows, String::from_utf8(output.stderr).unwrap())
    };
    let (plain, _) = run(&insee_population());
    let (read, stderr) = run(&dotted_file);
    for (a, b) in plain.iter().zip(&read) {
        if a["ref"] == "06012" {
            assert_eq!(b["population"], "", "\"1 2 3\" is no population");
        } else {
            assert_eq!(a["population"], b["population"], "{}", a["ref"]);
        }
    }
    assert!(stderr.contains("populations are written with '.' or ',' between thousands"));
    let file_lines = stderr.lines().filter(|l| l.contains("dotted.csv: "));
    assert_eq!(file_lines.count(), 11, "ten, then how many more: {stderr}");
    assert!(
        stderr.contains(" more warnings like these (-v shows them all)"),
        "{stderr}"
    );
}

/// Regression (2026-12-05): a MultiPolygon whose parts overlap (one part
/// given twice) cancelled out by the even-odd rule and read "outside the
/// extract" over Monaco. Its region is the union of its parts: the same
/// figures as the part alone, with a warning.
#[test]
fn a_multipolygon_whose_parts_overlap_counts_as_their_union() {
    let wd = Workdir::new();
    let part = "[[[7.4,43.72],[7.42,43.72],[7.42,43.76],[7.4,43.76],[7.4,43.72]]]";
    let file = |name: &str, kind: &str, coordinates: String| {
        wd.write(
            name,
            format!(
                r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"A"}},"geometry":{{"type":"{kind}","coordinates":{coordinates}}}}}]}}"#
            )
            .as_bytes(),
        )
    };
    let single = file("single.geojson", "Polygon", part.to_string());
    let twice = file("twice.geojson", "MultiPolygon", format!("[{part},{part}]"));
    let run = |path: &std::path::Path| {
        let output = camcount()
            .arg(extract("monaco-2026-07-10"))
            .arg("--boundaries")
            .arg(path)
            .output()
            .unwrap();
        assert!(output.status.success());
        let rows = crate::common::read_csv(&String::from_utf8(output.stdout).unwrap());
        (rows, String::from_utf8(output.stderr).unwrap())
    };
    let (one, _) = run(&single);
    let (two, stderr) = run(&twice);
    assert!(
        stderr.contains("the parts of its MultiPolygon overlap; joined as their union"),
        "{stderr}"
    );
    for column in ["area_km2", "cameras", "status"] {
        assert_eq!(one[0][column], two[0][column], "{column}");
    }
    assert_eq!(two[0]["status"], "partial");
    assert!(two[0]["cameras"].parse::<u64>().unwrap() > 0);
}

/// Polygons of a file carry no population: the Sources line named
/// "OpenStreetMap `population` tags", a source that gave nothing, and the
/// map credit and JSON said "osm" (found 2026-12-05). They say "none", and
/// name the file when one is given.
#[test]
fn boundaries_from_a_file_without_populations_name_no_population_source() {
    let run = |extra: &[&OsStr], format: &str| {
        let output = camcount()
            .arg(extract("monaco-2026-07-10"))
            .args(["--boundaries".as_ref(), alpes_maritimes().as_os_str()])
            .args(extra)
            .args(["-f", format, "-q"])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    let md = run(&[], "md");
    assert!(
        md.contains("- Population: none (the polygons carry none; see `--population`)."),
        "{md}"
    );
    assert!(!md.contains("`population` tags"), "{md}");
    let json: Value = serde_json::from_str(&run(&[], "json")).unwrap();
    assert_eq!(json["metadata"]["population"], "none");
    let fr = run(&["--lang".as_ref(), "fr".as_ref()], "html");
    assert!(fr.contains("Population: aucune"), "{fr}");
    assert!(fr.contains("population : aucune"), "the map's credit: {fr}");
    assert!(fr.contains("les contributeurs d'OpenStreetMap"), "{fr}");
    let md = run(
        &["--population".as_ref(), insee_population().as_os_str()],
        "md",
    );
    assert!(
        md.contains("- Population: `communes-2026-pmun2023.csv`."),
        "{md}"
    );
}

/// The summary line's "2 in 2 of 163 communes" read as a figure for all
/// 163, though the extract reaches 4 of them (found 2026-12-05).
#[test]
fn the_summary_counts_communes_of_the_counted_ones() {
    let output = camcount()
        .arg(extract("monaco-2026-07-10"))
        .args(["--boundaries".as_ref(), alpes_maritimes().as_os_str()])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("32 cameras: 2 in 2 of the 4 communes counted, 30 outside every commune counted, 0 without a position; 159 beyond the extract, not counted;"),
        "{stderr}"
    );
    // None counted: no "0 in 0 of the 0 zones counted".
    let output = camcount()
        .arg(extract("liechtenstein-2024-03-04"))
        .args(["--admin-level", "4,8", "-o"])
        .arg(Workdir::new().path("out.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("3 cameras: no admin_level 4 zone could be counted, 0 without a position; 3 admin_level 4 zones could not be built;"),
        "{stderr}"
    );
}

/// Regression (2026-12-05): sources were labels, so a population file
/// named `none` read as "none (the polygons carry none)" in the report and
/// a boundaries file named `osm` as OpenStreetMap relations, though both
/// gave every figure. The reports name the files.
#[test]
fn side_files_named_like_a_source_label_are_named_as_files() {
    let wd = Workdir::new();
    let boundaries = wd.path("osm");
    std::fs::copy(alpes_maritimes(), &boundaries).unwrap();
    let population = wd.path("none");
    std::fs::write(&population, "code,population\n06012,12674\n").unwrap();
    let output = camcount()
        .arg(extract("monaco-2026-07-10"))
        .args(["--boundaries".as_ref(), boundaries.as_os_str()])
        .args(["--population".as_ref(), population.as_os_str()])
        .args(["-f", "md", "-q"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(md.contains("Boundaries: `osm`"), "{md}");
    assert!(md.contains("Population: `none`"), "{md}");
    assert!(!md.contains("OpenStreetMap boundary relations"), "{md}");
    assert!(!md.contains("the polygons carry none"), "{md}");
}

/// Regression (2026-12-06): zones that are former communes of a commune
/// merged since keep their OSM tag, and the note gave only "not found in
/// it, without a code, or without a usable figure", where the file lists
/// them (316 in the national run). It says how many are such parts.
#[test]
fn the_population_note_counts_the_parts_of_merged_communes() {
    let wd = Workdir::new();
    let merged = wd.write(
        "merged.csv",
        b"code,type,population,anciens_codes\n99100,commune-actuelle,5000,99001;99002\n",
    );
    let output = camcount()
        .arg(crate::sample())
        .arg("--population")
        .arg(&merged)
        .args(["-f", "md", "-q"])
        .output()
        .unwrap();
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(
        report.contains(
            "take their population from the OSM tag, not from the population file (2 former \
             communes of communes merged since, whose population cannot be split; 7 not found in \
             it, without a code, or without a usable figure)"
        ),
        "{report}"
    );
}

/// Regression (2026-12-06): the ranking per 1,000 inhabitants was led by
/// villages of 2 to 27 inhabitants, without a word. The report says how
/// many of the communes shown are that small.
#[test]
fn the_ranking_by_rate_says_when_small_communes_lead_it() {
    let output = camcount()
        .arg(crate::sample())
        .args(["-f", "md", "-q"])
        .output()
        .unwrap();
    let report = String::from_utf8(output.stdout).unwrap();
    let by_rate = report.split("## Top").nth(2).expect("a ranking by rate");
    assert!(
        by_rate
            .contains("4 of these 7 have under 1,000 inhabitants: there one camera moves the rate"),
        "{by_rate}"
    );
    let by_count = report.split("## Top").nth(1).unwrap();
    assert!(!by_count.contains("under 1,000 inhabitants"), "{by_count}");
}
