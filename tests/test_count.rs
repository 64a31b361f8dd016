//! `camcount INPUT`: the per-commune table, on real extracts (against the
//! reference tables), with IGN polygons and INSEE populations, on a large
//! synthetic case built with our PBF writer, and in every output format.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use camcount::fixtures::{node, write_elements, Seeded};
use common::{
    camcount, data_dir, extract, ogrinfo_summary, read_csv_with, reference, stdout_of, Row, Workdir,
};
use geo::{BoundingRect, Contains, Point};
use predicates::prelude::*;
use serde_json::Value;

fn count_csv(args: &[&OsStr]) -> Vec<Row> {
    let mut all = args.to_vec();
    all.push(OsStr::new("-q"));
    read_csv_with(&stdout_of(&all), b',')
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf")
}

fn alpes_maritimes() -> PathBuf {
    data_dir().join("communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson")
}

fn insee_population() -> PathBuf {
    data_dir().join("population/communes-2026-pmun2023.csv")
}

#[test]
fn monaco_has_29_cameras_and_the_reference_densities() {
    let rows = count_csv(&[extract("monaco-2026-07-10").as_os_str()]);
    let monaco = rows.iter().find(|r| r["osm_id"] == "2220322").unwrap();
    assert_eq!(monaco["cameras"], "29");
    assert_eq!(monaco["cameras_per_1000"], "0.7426");
    assert_eq!(monaco["inhabitants_per_camera"], "1347");
    let per_km2: f64 = monaco["cameras_per_km2"].parse().unwrap();
    assert_eq!(format!("{per_km2:.2}"), "12.13");
    assert_eq!(monaco["population_source"], "osm");
    for row in rows.iter().filter(|r| r["osm_id"] != "2220322") {
        assert_eq!(row["status"], "incomplete");
        assert_eq!(row["cameras"], "", "an incomplete commune never reads zero");
        assert_eq!(row["cameras_per_1000"], "");
    }
}

#[test]
fn every_extract_matches_the_reference_camera_counts() {
    for stem in [
        "monaco-2026-07-10",
        "monaco-2021-04-21",
        "andorra-2025-01-18",
        "liechtenstein-2024-03-04",
        "luxembourg-boundaries-filtered-2018",
        "mimirsbrunn-osm_fixture-idf-melun",
        "clipperton-2025-04",
    ] {
        let ours: BTreeMap<String, Row> = count_csv(&[extract(stem).as_os_str()])
            .into_iter()
            .map(|r| (r["osm_id"].clone(), r))
            .collect();
        let theirs = read_csv_with(
            &std::fs::read_to_string(reference(&format!("{stem}.admin8.csv"))).unwrap(),
            b',',
        );
        assert_eq!(ours.len(), theirs.len(), "{stem}");
        for expected in theirs {
            let row = &ours[&expected["relation_id"]];
            assert_eq!(
                row["cameras"], expected["cameras"],
                "{stem} {}",
                expected["name"]
            );
        }
    }
}

#[test]
fn clipperton_population_zero_gives_empty_rates_not_inf() {
    let rows = count_csv(&[extract("clipperton-2025-04").as_os_str()]);
    assert_eq!(rows[0]["population"], "0");
    assert_eq!(rows[0]["cameras"], "0");
    assert_eq!(rows[0]["cameras_per_1000"], "");
    assert_eq!(rows[0]["inhabitants_per_camera"], "");
    assert_eq!(rows[0]["cameras_per_km2"], "0.0000");
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
    let with_cameras: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["cameras"] != "0")
        .map(|r| (r["ref"].as_str(), r["cameras"].as_str()))
        .collect();
    assert_eq!(with_cameras, [("06012", "1"), ("06032", "1")]);
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

fn json_totals(args: &[&OsStr]) -> Value {
    let mut all = args.to_vec();
    all.extend([OsStr::new("--format"), OsStr::new("json"), OsStr::new("-q")]);
    let doc: Value = serde_json::from_str(&stdout_of(&all)).unwrap();
    doc["totals"].clone()
}

#[test]
fn inside_plus_outside_plus_unplaced_is_the_total_at_every_level() {
    for (input, levels) in [
        (extract("monaco-2026-07-10"), "8,6,2"),
        (extract("andorra-2025-01-18"), "8,7,2"),
        (extract("liechtenstein-2024-03-04"), "8,6"),
        (sample(), "8"),
    ] {
        let totals = json_totals(&[
            input.as_os_str(),
            OsStr::new("--admin-level"),
            OsStr::new(levels),
        ]);
        let cameras = totals["cameras"].as_u64().unwrap();
        assert!(!totals["levels"].as_array().unwrap().is_empty());
        for level in totals["levels"].as_array().unwrap() {
            let sum = [
                "cameras_in_communes",
                "cameras_outside_communes",
                "cameras_without_position",
            ]
            .iter()
            .map(|k| level[k].as_u64().unwrap())
            .sum::<u64>();
            assert_eq!(
                sum,
                cameras,
                "{} level {}",
                input.display(),
                level["admin_level"]
            );
        }
    }
}

#[test]
fn levels_are_counted_each_on_their_own() {
    let rows = count_csv(&[
        extract("andorra-2025-01-18").as_os_str(),
        OsStr::new("--admin-level"),
        OsStr::new("7,8"),
    ]);
    let parishes: u64 = rows
        .iter()
        .filter(|r| r["admin_level"] == "7")
        .filter_map(|r| r["cameras"].parse::<u64>().ok())
        .sum();
    assert_eq!(
        parishes, 9,
        "all 9 Andorran cameras are in admin_level 7 parishes"
    );
    let communes: u64 = rows
        .iter()
        .filter(|r| r["admin_level"] == "8")
        .filter_map(|r| r["cameras"].parse::<u64>().ok())
        .sum();
    assert_eq!(communes, 0);
}

fn sample_output(extra: &[&str]) -> String {
    let input = sample();
    let mut args: Vec<&OsStr> = vec![input.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    args.push(OsStr::new("-q"));
    stdout_of(&args)
}

#[test]
fn sample_csv_snapshot() {
    insta::assert_snapshot!(sample_output(&[]));
}

#[test]
fn sample_semicolon_csv_snapshot() {
    insta::assert_snapshot!(sample_output(&["--delimiter", ";"]));
}

#[test]
fn sample_json_snapshot() {
    insta::assert_snapshot!(sample_output(&[
        "--format",
        "json",
        "--rollup",
        "departement"
    ]));
}

#[test]
fn sample_markdown_snapshot() {
    insta::assert_snapshot!(sample_output(&[
        "--format",
        "md",
        "--rollup",
        "departement"
    ]));
}

#[test]
fn sample_geojson_snapshot_and_gdal() {
    let geojson = sample_output(&["--format", "geojson"]);
    let wd = Workdir::new();
    let path = wd.write("communes.geojson", geojson.as_bytes());
    let info = ogrinfo_summary(&path);
    assert!(info.contains("Feature Count: 10"), "{info}");
    assert!(
        info.contains("cameras_per_1000: Real"),
        "numbers are JSON numbers: {info}"
    );
    insta::assert_snapshot!(geojson);
}

#[test]
fn sample_rollup_csv_snapshot() {
    let wd = Workdir::new();
    let out = wd.path("rollup.csv");
    sample_output(&[
        "--rollup",
        "departement",
        "--rollup-output",
        out.to_str().unwrap(),
    ]);
    insta::assert_snapshot!(std::fs::read_to_string(out).unwrap());
}

#[test]
fn output_is_identical_across_thread_counts_for_every_format() {
    for format in ["csv", "geojson", "json", "md", "html", "svg"] {
        let run = |threads: &str| sample_output(&["--format", format, "--threads", threads]);
        let one = run("1");
        for threads in ["2", "8", "64"] {
            assert_eq!(run(threads), one, "{format}, {threads} threads");
        }
    }
    // The workbook, byte for byte (its creation time is the data date).
    let wd = Workdir::new();
    let xlsx = |threads: &str| {
        let out = wd.path(&format!("t{threads}.xlsx"));
        camcount()
            .arg(sample())
            .args(["-f", "xlsx", "-q", "-j", threads, "-o"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(out).unwrap()
    };
    let one = xlsx("1");
    for threads in ["2", "8", "64"] {
        assert!(xlsx(threads) == one, "xlsx, {threads} threads");
    }
    let luxembourg = |threads: &str| {
        stdout_of(&[
            OsStr::new("boundaries"),
            extract("luxembourg-boundaries-filtered-2018").as_os_str(),
            OsStr::new("--format"),
            OsStr::new("geojson"),
            OsStr::new("--threads"),
            OsStr::new(threads),
            OsStr::new("-q"),
        ])
    };
    assert_eq!(luxembourg("1"), luxembourg("2"));
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

#[test]
fn verbose_names_the_delta_decoders_this_cpu_runs() {
    let output = camcount().arg("-v").arg(sample()).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let line = stderr
        .lines()
        .find(|line| line.contains("delta decoders (node ids, coordinates): "))
        .unwrap_or_else(|| panic!("no decoder line in:\n{stderr}"));
    #[cfg(target_arch = "x86_64")]
    let vector = std::is_x86_feature_detected!("ssse3") && std::is_x86_feature_detected!("sse4.1");
    #[cfg(not(target_arch = "x86_64"))]
    let vector = false;
    let expected = if vector {
        "SSSE3 and SSE4.1"
    } else {
        "portable"
    };
    assert!(line.ends_with(expected), "{line}");
}

#[test]
fn bad_count_options_exit_2() {
    for args in [
        vec!["--delimiter", "::"],
        vec!["--rollup", "departement"],
        vec!["--rollup-output", "x.csv"],
        vec!["--rollup", "region"],
        vec!["--format", "xlsx"],
        vec!["--boundary-id-field", "code"],
    ] {
        camcount().arg(sample()).args(&args).assert().code(2);
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

#[test]
fn rollup_by_a_higher_admin_level_groups_communes_inside_it() {
    let wd = Workdir::new();
    let out = wd.path("countries.csv");
    count_csv(&[
        extract("liechtenstein-2024-03-04").as_os_str(),
        OsStr::new("--rollup-level"),
        OsStr::new("2"),
        OsStr::new("--rollup-output"),
        out.as_os_str(),
    ]);
    let groups = read_csv_with(&std::fs::read_to_string(&out).unwrap(), b',');
    let liechtenstein = groups
        .iter()
        .find(|g| g["name"] == "Liechtenstein")
        .unwrap();
    assert_eq!(liechtenstein["communes"], "11");
    assert_eq!(liechtenstein["communes_with_cameras"], "2");
    assert_eq!(liechtenstein["cameras"], "3");
    assert_eq!(liechtenstein["communes_not_counted"], "0");
    let unplaced = groups.iter().find(|g| g["group"].is_empty()).unwrap();
    assert_eq!(
        unplaced["communes_not_counted"], "11",
        "the Swiss and Austrian neighbours"
    );
    assert_eq!(unplaced["cameras"], "", "unknown, not zero");
}

#[test]
fn self_intersecting_external_polygon_is_kept_with_a_warning() {
    let wd = Workdir::new();
    let bowtie = wd.write(
        "bowtie.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"99001","nom":"Noeud"},"geometry":{"type":"Polygon","coordinates":[[[-30,40],[-29.9,40.1],[-29.9,40],[-30,40.1],[-30,40]]]}}]}"#,
    );
    camcount()
        .arg(sample())
        .arg("--boundaries")
        .arg(&bowtie)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "feature 0 (99001): invalid polygon",
        ));
}

/// Seeded random cameras around the sample, many exactly on borders and
/// corners: at every level, inside + outside + unplaced is the total, and
/// each camera is counted in at most one zone.
#[test]
fn property_every_camera_is_counted_once_at_every_level() {
    use camcount::aggregate::join_cameras;
    use camcount::boundary::assemble_boundaries;
    use camcount::camera::{Camera, CameraTags};
    use camcount::pbf::block::ElementType;
    use camcount::zone::Zone;
    let selector = camcount::candidates::BoundarySelector::communes();
    let scan = camcount::scan::scan(&sample(), Some(&selector), &|_| {}).unwrap();
    let zones: Vec<Zone> = assemble_boundaries(&scan.relations, &scan)
        .into_iter()
        .map(Zone::from)
        .collect();
    for seed in 1..=50u64 {
        let mut rng = Seeded::new(seed * 0x9e37_79b9);
        let cameras: Vec<Camera> = (0..200)
            .map(|i| {
                // A third of the cameras snap to the 0.01° grid the borders lie on.
                let snap = |v: f64| {
                    if i % 3 == 0 {
                        (v * 100.0).round() / 100.0
                    } else {
                        v
                    }
                };
                Camera {
                    osm_type: ElementType::Node,
                    osm_id: i,
                    position: (i % 50 != 0).then(|| {
                        (
                            snap(-30.02 + rng.next_f64() * 0.1),
                            snap(39.98 + rng.next_f64() * 0.1),
                        )
                    }),
                    tags: CameraTags::default(),
                    edit: Default::default(),
                }
            })
            .collect();
        let join = join_cameras(&cameras, &zones);
        assert_eq!(
            join.inside() + join.outside + join.unplaced,
            cameras.len() as u64,
            "seed {seed}"
        );
        assert_eq!(join.unplaced, 4, "seed {seed}");
    }
}
