//! What the command line names: a missing file, a directory, an empty or
//! one-byte file, another format (OSM XML, GeoJSON, gzip) or a FIFO as
//! input each get exit code 1 and one line naming the file; bad options
//! get exit code 2.

use crate::common::{camcount, Workdir};
use crate::{assert_data_error, run_cameras};

#[test]
fn missing_file() {
    let wd = Workdir::new();
    let input = wd.path("nope.osm.pbf");
    assert_data_error(&run_cameras(&input, &[]), &input, "No such file");
}

#[test]
fn directory() {
    let wd = Workdir::new();
    let input = wd.path("");
    assert_data_error(&run_cameras(&input, &[]), &input, "is a directory");
}

#[test]
fn empty_file() {
    let wd = Workdir::new();
    let input = wd.write("empty.osm.pbf", b"");
    assert_data_error(&run_cameras(&input, &[]), &input, "empty file");
}

#[test]
fn one_byte_file() {
    let wd = Workdir::new();
    let input = wd.write("one.osm.pbf", b"\x00");
    assert_data_error(&run_cameras(&input, &[]), &input, "truncated");
}

#[test]
fn wrong_formats_are_named() {
    let wd = Workdir::new();
    let cases: [(&str, &[u8], &str); 3] = [
        (
            "map.osm",
            b"<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\"></osm>\n",
            "OSM XML",
        ),
        (
            "map.geojson",
            b"{\"type\":\"FeatureCollection\",\"features\":[]}",
            "GeoJSON",
        ),
        (
            "map.osm.gz",
            &[
                0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            ],
            "gzip",
        ),
    ];
    for (name, bytes, needle) in cases {
        let input = wd.write(name, bytes);
        assert_data_error(&run_cameras(&input, &[]), &input, needle);
    }
}

#[cfg(unix)]
#[test]
fn fifo_is_refused_without_hanging() {
    let wd = Workdir::new();
    let input = wd.path("pipe.osm.pbf");
    let status = std::process::Command::new("mkfifo")
        .arg(&input)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    assert_data_error(&run_cameras(&input, &[]), &input, "not a regular file");
}

#[test]
fn bad_options_exit_2() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    for args in [
        vec!["--threads", "0"],
        vec!["--format", "xml"],
        vec!["--no-such-flag"],
        vec!["-q", "-v"],
        // Characters figures are written with (found 2026-12-05:
        // `--delimiter 0` wrote `80"2220322"00Monaco`).
        vec!["--delimiter", "0"],
        vec!["--delimiter", "."],
        vec!["--delimiter", "-"],
        vec!["--delimiter", "a"],
    ] {
        let output = run_cameras(&input, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        // One line, as every other error (clap's ran to eight, with the
        // usage block, until 2026-12-06).
        assert!(
            stderr.starts_with("camcount: error: "),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
    // The possible values stay on that line.
    let output = run_cameras(&input, &["--format", "xml"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("[possible values: csv,"), "{stderr}");
    // Help to a stdout that takes no byte is an error; to a reader that
    // goes away, none.
    for args in [&["--help"][..], &["-V"], &["help", "history"]] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("camcount"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
    }
    let output = camcount().output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    // With --boundaries the zones are the file's features: a level was
    // ignored without a word (found 2026-12-05).
    let zones = wd.write(
        "zones.geojson",
        br#"{"type":"FeatureCollection","features":[]}"#,
    );
    let output = camcount()
        .arg(&input)
        .args(["--admin-level", "6", "--boundaries"])
        .arg(&zones)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--admin-level"));
    // The rollup file is CSV whatever its name said (found 2026-12-05:
    // `--rollup-output dep.xlsx` wrote CSV text).
    let output = camcount()
        .arg(&input)
        .args(["--rollup", "departement", "--rollup-output"])
        .arg(wd.path("dep.xlsx"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--rollup-output writes CSV, not xlsx")
    );
    assert!(!wd.path("dep.xlsx").exists());
    // One column for the code and the figure: each commune's code read
    // as its population, exit 0 (found 2026-12-06).
    let side = wd.write("side.csv", b"code,population,cameras\n99001,100,3\n");
    for (option, key) in [
        ("--population", "--population-field"),
        ("--declared", "--declared-field"),
    ] {
        let output = camcount()
            .arg(&input)
            .arg(option)
            .arg(&side)
            .args([key, "code"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{option}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("both name the column \"code\""), "{stderr}");
    }
}

/// Regression (2026-12-05): `-f svg --rollup departement` without
/// `--rollup-output` dropped the rollup, exit 0. Formats that hold no
/// rollup need the file; those that hold it run.
#[test]
fn a_rollup_with_no_place_to_go_is_a_usage_error() {
    let wd = Workdir::new();
    let input =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    for (format, code) in [
        ("csv", 2),
        ("geojson", 2),
        ("svg", 2),
        ("md", 0),
        ("json", 0),
        ("html", 0),
    ] {
        let output = camcount()
            .arg(&input)
            .args(["--rollup", "departement", "-f", format, "-o"])
            .arg(wd.path(&format!("out.{format}")))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{format}: {stderr}");
        if code == 2 {
            assert!(
                stderr.contains("a rollup needs --rollup-output FILE"),
                "{stderr}"
            );
        }
    }
}

/// Regression (2026-12-05): `--rollup-level 10` on Monaco filed the whole
/// commune under Monte-Carlo, one of its quartiers (29 cameras and
/// Monaco's population, where Monte-Carlo holds 6), exit 0. A level that
/// cannot hold a commune is a usage error; 7 and coarser run.
#[test]
fn a_rollup_level_finer_than_communes_is_a_usage_error() {
    let wd = Workdir::new();
    let input =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    // The sample holds communes alone: 6 and 7 are refused as absent
    // (exit 1), not as impossible.
    for (level, code) in [("8", 2), ("10", 2), ("6", 1), ("7", 1)] {
        let output = camcount()
            .arg(&input)
            .args(["--rollup-level", level, "-q", "--rollup-output"])
            .arg(wd.path(&format!("rollup-{level}.csv")))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{level}: {stderr}");
        if code == 2 {
            assert!(stderr.contains("--rollup-level"), "{stderr}");
            assert!(stderr.contains("1..=7"), "{stderr}");
        }
        if code == 1 {
            assert!(
                stderr.contains(&format!(
                    "holds no boundary relation of admin_level {level} to group the communes by"
                )),
                "{stderr}"
            );
            assert!(!wd.path(&format!("rollup-{level}.csv")).exists());
        }
    }
}

/// Regression (2026-12-05): `--rollup-output -` beside a table on stdout
/// wrote both into one stream, exit 0: a CSV reader took the rollup's
/// header and rows for communes, and JSON was invalid. Refused; a table
/// given its own file leaves stdout to the rollup.
#[test]
fn two_outputs_on_stdout_are_a_usage_error() {
    let wd = Workdir::new();
    let input = crate::common::extract("monaco-2026-07-10");
    for main in [None, Some("-")] {
        let mut command = camcount();
        command
            .arg(&input)
            .args(["--rollup-level", "2", "--rollup-output", "-"]);
        if let Some(main) = main {
            command.args(["-o", main]);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{main:?}: {stderr}");
        assert!(stderr.contains("would both go to stdout"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
    // /dev/stdout is stdout by another name.
    let output = camcount()
        .arg(&input)
        .args(["--rollup-level", "2", "--rollup-output", "/dev/stdout"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty());
    let table = wd.path("communes.csv");
    let output = camcount()
        .arg(&input)
        .args(["--rollup-level", "2", "--rollup-output", "-", "-q", "-o"])
        .arg(&table)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let rollup = String::from_utf8(output.stdout).unwrap();
    assert!(rollup.starts_with("group,name,communes,"), "{rollup}");
    assert!(std::fs::read_to_string(&table)
        .unwrap()
        .starts_with("admin_level,osm_id,"));
}

/// Regression (2026-12-05): `-o communes.xlsx` without `-f` wrote CSV
/// text that Excel refuses, exit 0. The extension now chooses the format;
/// an `-f` it contradicts, or a format the command lacks, exits 2 and
/// leaves the path alone.
#[test]
fn the_output_extension_chooses_the_format_and_a_contradiction_is_refused() {
    let wd = Workdir::new();
    let sample = crate::common::extract("monaco-2026-07-10");
    let xlsx = wd.path("communes.XLSX");
    camcount()
        .arg(&sample)
        .args(["-q", "-o"])
        .arg(&xlsx)
        .assert()
        .success();
    assert!(
        std::fs::read(&xlsx).unwrap().starts_with(b"PK\x03\x04"),
        "a zip"
    );
    let geojson = wd.path("cameras.geojson");
    camcount()
        .args(["cameras", "-q"])
        .arg(&sample)
        .arg("-o")
        .arg(&geojson)
        .assert()
        .success();
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&geojson).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    for (args, needle) in [
        (vec!["-f", "csv", "-o"], "-f csv contradicts -o"),
        (vec!["cameras", "-o"], "which `cameras` does not write"),
    ] {
        let target = wd.write("map.html", b"yesterday's map\n");
        let output = camcount()
            .args(&args)
            .arg(&target)
            .arg(&sample)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{stderr}");
        assert_eq!(std::fs::read(&target).unwrap(), b"yesterday's map\n");
    }
}

/// Regression (2026-12-05): `-o communes.csv.gz` wrote plain CSV, and
/// `.tsv` and `.jsonl` comma CSV, exit 0. An extension naming what
/// camcount never writes is a usage error, and the path is left alone.
#[test]
fn an_output_named_for_a_format_camcount_does_not_write_is_refused() {
    let wd = Workdir::new();
    let input =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    for (name, says) in [
        ("communes.csv.gz", "compressed"),
        ("communes.tsv", "tab-separated"),
        ("communes.jsonl", "JSON lines"),
    ] {
        let path = wd.path(name);
        let output = camcount()
            .arg(&input)
            .arg("-o")
            .arg(&path)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!path.exists());
    }
}

/// Regression (2026-12-05): `--decimal-comma -f json --rollup-output r.csv`
/// was refused as "CSV options with a format that writes no CSV", though
/// the rollup file is CSV, while `--locale fr` applied them to it. CSV
/// options apply to a rollup CSV whatever the table's format.
#[test]
fn csv_options_apply_to_a_rollup_csv_beside_another_format() {
    let wd = Workdir::new();
    let input =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    let rollup = wd.path("rollup.csv");
    let output = camcount()
        .arg(&input)
        .args(["--decimal-comma", "--delimiter", ";", "-f", "json", "-q"])
        .args(["--rollup", "departement", "--rollup-output"])
        .arg(&rollup)
        .arg("-o")
        .arg(wd.path("communes.json"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = std::fs::read_to_string(&rollup).unwrap();
    assert!(text.starts_with("group;name;communes;"), "{text}");
    assert!(text.lines().nth(1).unwrap().contains(','), "{text}");
}
