//! `camcount cameras` on named fixtures written by our own PBF writer.

mod common;

use std::ffi::OsStr;

use common::{camcount, stdout_of, Workdir};
use predicates::prelude::*;

fn cameras_csv(wd: &Workdir, case: &str) -> String {
    let input = wd.case(case);
    stdout_of(&[OsStr::new("cameras"), input.as_os_str(), OsStr::new("-q")])
}

const HEADER: &str = "osm_type,osm_id,lon,lat,surveillance,surveillance_type,camera_type,camera_mount,surveillance_zone,direction,operator,name,version,last_edit,data_date\n";
/// The fixtures carry no dates nor versions: every row says so.
const UNDATED: &str = "unknown";

#[test]
fn camera_node_gives_every_field() {
    let wd = Workdir::new();
    let expected = format!(
        "{HEADER}node,2,2.3522219,48.8566140,public,camera,dome,pole,town,135,Ville de Paris,Hôtel de Ville,,,{UNDATED}\n"
    );
    assert_eq!(cameras_csv(&wd, "camera-node"), expected);
}

#[test]
fn lz4_blobs_read_like_zlib_blobs() {
    let wd = Workdir::new();
    assert_eq!(
        cameras_csv(&wd, "lz4-blob"),
        cameras_csv(&wd, "camera-node")
    );
}

#[test]
fn closed_way_is_placed_at_its_area_centroid() {
    let wd = Workdir::new();
    assert_eq!(
        cameras_csv(&wd, "camera-way-closed"),
        format!("{HEADER}way,10,2.0000000,2.0000000,,camera,,,,,,,,,{UNDATED}\n")
    );
}

#[test]
fn open_way_is_placed_at_its_line_centroid() {
    // 1,1 -> 3,1 -> 3,3: two legs of length 2, midpoints (2,1) and (3,2).
    let wd = Workdir::new();
    assert_eq!(
        cameras_csv(&wd, "camera-way-open"),
        format!("{HEADER}way,10,2.5000000,1.5000000,,camera,,,,,,,,,{UNDATED}\n")
    );
}

#[test]
fn relation_is_listed_without_position_and_warned_about() {
    let wd = Workdir::new();
    let input = wd.case("camera-relation");
    camcount()
        .args([OsStr::new("cameras"), input.as_os_str()])
        .assert()
        .success()
        .stdout(format!("{HEADER}relation,20,,,,guard,,,,,,,,,{UNDATED}\n"))
        .stderr(predicate::str::contains("0 nodes, 0 ways, 1 relation)"))
        .stderr(predicate::str::contains(
            "1 camera relation is listed without a position",
        ));
}

#[test]
fn no_cameras_gives_only_the_header() {
    let wd = Workdir::new();
    assert_eq!(cameras_csv(&wd, "no-cameras"), HEADER);
}

#[test]
fn camera_direction_beats_direction() {
    let wd = Workdir::new();
    let csv = cameras_csv(&wd, "direction-vs-camera-direction");
    let directions: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(9).unwrap())
        .collect();
    assert_eq!(directions, ["90", "NE", "10-80"]);
}

#[test]
fn way_with_missing_nodes_is_listed_unplaced_with_a_warning() {
    let wd = Workdir::new();
    let input = wd.case("way-missing-nodes");
    camcount()
        .args([OsStr::new("cameras"), input.as_os_str()])
        .assert()
        .success()
        .stdout(format!(
            "{HEADER}way,10,,,,,,,,,,,,,{UNDATED}\nway,11,2.0000000,2.0000000,,,,,,,,,,,{UNDATED}\n"
        ))
        .stderr(predicate::str::contains("1 camera way has nodes missing"));
}

#[test]
fn rows_are_sorted_by_type_then_id() {
    let wd = Workdir::new();
    let elements = vec![
        camcount::fixtures::node(7, 1.0, 1.0, &[("man_made", "surveillance")]),
        camcount::fixtures::node(8, 1.0, 2.0, &[]),
        camcount::fixtures::node(9, 2.0, 2.0, &[("man_made", "surveillance")]),
        camcount::fixtures::way(3, &[8, 9], &[("man_made", "surveillance")]),
        camcount::fixtures::node(2, 0.5, 0.5, &[("man_made", "surveillance")]),
    ];
    let input = wd.path("unsorted.osm.pbf");
    let options = camcount::pbf::writer::WriterOptions {
        sorted: false,
        block_size: 2,
        ..Default::default()
    };
    camcount::fixtures::write_elements(&elements, &input, options).unwrap();
    let csv = stdout_of(&[OsStr::new("cameras"), input.as_os_str(), OsStr::new("-q")]);
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| &l[..l.find(',').unwrap() + 2])
        .collect();
    assert_eq!(ids, ["node,2", "node,7", "node,9", "way,3"]);
}

#[test]
fn geojson_output_snapshot() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let geojson = stdout_of(&[
        OsStr::new("cameras"),
        input.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("geojson"),
        OsStr::new("-q"),
    ]);
    let parsed: serde_json::Value = serde_json::from_str(&geojson).expect("valid JSON");
    assert_eq!(
        parsed["features"][0]["geometry"]["coordinates"][0],
        2.3522219
    );
    insta::assert_snapshot!(geojson);
}

#[test]
fn csv_output_snapshot_of_the_sample() {
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    let csv = stdout_of(&[OsStr::new("cameras"), sample.as_os_str(), OsStr::new("-q")]);
    insta::assert_snapshot!(csv);
}

#[test]
fn output_is_identical_across_thread_counts() {
    let wd = Workdir::new();
    let elements: Vec<_> = (1..=20_000)
        .map(|id| {
            let tags: &[(&str, &str)] = if id % 97 == 0 {
                &[("man_made", "surveillance")]
            } else {
                &[]
            };
            camcount::fixtures::node(
                id,
                (id % 360) as f64 * 0.5 - 90.0,
                (id % 170) as f64 * 0.5 - 42.0,
                tags,
            )
        })
        .collect();
    let input = wd.path("many.osm.pbf");
    let options = camcount::pbf::writer::WriterOptions {
        block_size: 500,
        ..Default::default()
    };
    camcount::fixtures::write_elements(&elements, &input, options).unwrap();
    for format in ["csv", "geojson"] {
        let run = |threads: &str| {
            stdout_of(&[
                OsStr::new("cameras"),
                input.as_os_str(),
                OsStr::new("--format"),
                OsStr::new(format),
                OsStr::new("--threads"),
                OsStr::new(threads),
                OsStr::new("-q"),
            ])
        };
        let one = run("1");
        assert_eq!(one.lines().count(), if format == "csv" { 207 } else { 208 });
        assert_eq!(run("2"), one);
        assert_eq!(run("8"), one);
    }
}

#[test]
fn output_file_is_written_whole() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let out = wd.path("cameras.csv");
    camcount()
        .args([
            OsStr::new("cameras"),
            input.as_os_str(),
            OsStr::new("-o"),
            out.as_os_str(),
        ])
        .assert()
        .success()
        .stdout("");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("osm_type,"));
    assert_eq!(wd.listing(), ["camera-node.osm.pbf", "cameras.csv"]);
}

#[test]
fn markdown_list_speaks_french_with_the_locale() {
    // Regression (2026-12-05): `cameras -f md --locale fr` wrote an English
    // list with decimal points; JSON took the locale silently.
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    let md = stdout_of(&[
        OsStr::new("cameras"),
        sample.as_os_str(),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("--locale"),
        OsStr::new("fr"),
        OsStr::new("-q"),
    ]);
    assert!(md.starts_with("# Caméras de surveillance\n"), "{md}");
    assert!(md.contains("Données OpenStreetMap au 2026-12-01"), "{md}");
    assert!(
        md.contains("| node | 5000 | -29,9970000 | 40,0020000 |"),
        "{md}"
    );
    let english = stdout_of(&[
        OsStr::new("cameras"),
        sample.as_os_str(),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("-q"),
    ]);
    assert!(english.contains("| node | 5000 | -29.9970000 | 40.0020000 |"));
    camcount()
        .arg("cameras")
        .arg(&sample)
        .args(["-f", "json", "--locale", "fr"])
        .assert()
        .code(2);
}

/// Regression (2026-12-05): a tag value a spreadsheet runs as a formula
/// (anyone can name a camera `=HYPERLINK(…)`) went into the CSV raw. The
/// CSV writes it after an apostrophe; JSON keeps it as tagged.
#[test]
fn tag_values_a_spreadsheet_would_run_are_defused_in_csv_only() {
    let wd = Workdir::new();
    let input = wd.path("formula.osm.pbf");
    let elements = vec![camcount::fixtures::node(
        1,
        7.42,
        43.73,
        &[
            ("man_made", "surveillance"),
            ("name", "=HYPERLINK(\"http://example.com\",\"x\")"),
            ("operator", "@SUM(1)"),
            ("direction", "-45"),
        ],
    )];
    camcount::fixtures::write_elements(&elements, &input, Default::default()).unwrap();
    let csv = stdout_of(&[OsStr::new("cameras"), input.as_os_str(), OsStr::new("-q")]);
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.contains(r#""'=HYPERLINK(""http://example.com"",""x"")""#),
        "{row}"
    );
    assert!(row.contains(",'@SUM(1),"), "{row}");
    assert!(row.contains(",-45,"), "a number stays as it is: {row}");
    let json = stdout_of(&[
        OsStr::new("cameras"),
        input.as_os_str(),
        OsStr::new("-f"),
        OsStr::new("json"),
        OsStr::new("-q"),
    ]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["cameras"][0]["operator"], "@SUM(1)");
}
