//! Every output is dated: the data date in each format of each command,
//! `unknown` or the newest object's date when the header has none, never a
//! date past the file for `cameras --at`, and each camera's version and
//! last edit as osmium reads them.

use serde_json::Value;

use crate::common::{camcount, data_dir, extract, read_csv, Workdir};
use crate::{monaco, os, run};

#[test]
fn every_format_of_every_command_carries_the_data_date() {
    let m = monaco();
    let m = m.as_os_str();
    // CSV: a last data_date column on every row.
    for args in [
        vec![m, os("-q")],
        vec![os("cameras"), m, os("-q")],
        vec![os("boundaries"), m, os("-q")],
    ] {
        let rows = read_csv(&run(&args));
        assert!(!rows.is_empty(), "{args:?}");
        assert!(
            rows.iter().all(|r| r["data_date"] == "2026-07-10"),
            "{args:?}"
        );
    }
    // JSON and GeoJSON: a metadata object.
    for args in [
        vec![m, os("-f"), os("json"), os("-q")],
        vec![m, os("-f"), os("geojson"), os("-q")],
        vec![os("cameras"), m, os("-f"), os("json"), os("-q")],
        vec![os("cameras"), m, os("-f"), os("geojson"), os("-q")],
        vec![os("boundaries"), m, os("-f"), os("geojson"), os("-q")],
    ] {
        let doc: Value = serde_json::from_str(&run(&args)).unwrap();
        let meta = &doc["metadata"];
        assert_eq!(meta["data_date"], "2026-07-10", "{args:?}");
        assert_eq!(meta["input"], "monaco-2026-07-10.osm.pbf");
        assert!(meta["generator"].as_str().unwrap().starts_with("camcount "));
    }
    // Markdown: a Sources block at the top, in both languages.
    let md = run(&[m, os("-f"), os("md"), os("-q")]);
    let head: String = md.lines().take(6).collect::<Vec<_>>().join("\n");
    assert!(head.contains("## Sources"), "{head}");
    assert!(
        head.contains("OpenStreetMap data as of 2026-07-10"),
        "{head}"
    );
    assert!(md.contains("ODbL"));
    let fr = run(&[m, os("-f"), os("md"), os("--lang"), os("fr"), os("-q")]);
    assert!(fr.contains("Données OpenStreetMap au 2026-07-10"), "{fr}");
    // The rollup CSV too.
    let wd = Workdir::new();
    let rollup = wd.path("rollup.csv");
    camcount()
        .args([m, os("--rollup"), os("departement"), os("--rollup-output")])
        .arg(&rollup)
        .args(["-o", "/dev/null", "-q"])
        .assert()
        .success();
    let rows = read_csv(&std::fs::read_to_string(&rollup).unwrap());
    assert!(rows.iter().all(|r| r["data_date"] == "2026-07-10"));
}

#[test]
fn an_undated_file_says_unknown_and_the_newest_object_date_is_used_when_present() {
    let wd = Workdir::new();
    // Our fixtures carry no dates at all.
    let case = wd.case("camera-node");
    let rows = read_csv(&run(&[os("cameras"), case.as_os_str(), os("-q")]));
    assert_eq!(rows[0]["data_date"], "unknown");
    // The JOSM-made Melun fixture has object timestamps but no header date:
    // its newest object is from 2020-09-07 (PROVENANCE.md).
    let melun = extract("mimirsbrunn-osm_fixture-idf-melun");
    let doc: Value = serde_json::from_str(&run(&[
        os("boundaries"),
        melun.as_os_str(),
        os("-f"),
        os("json"),
        os("-q"),
    ]))
    .unwrap();
    assert_eq!(doc["metadata"]["data_date"], "2020-09-07");
    assert_eq!(
        doc["metadata"]["data_date_source"],
        "newest object timestamp"
    );
}

/// `cameras --at` dates its list by the date asked, but never past the
/// day the file's data reach: at 2030-01-01 the Monaco history said "OSM
/// data as of 2030-01-01", a date its data cannot speak for. It reads
/// 2026-07-11, as `history` labels that state (its newest object is of
/// 2026-07-10 20:21; the state at 2026-07-10 00:00 is another).
#[test]
fn cameras_at_a_date_past_the_file_are_dated_by_the_file() {
    let history = data_dir().join("history/monaco-2021-2026.osh.pbf");
    let listed = |at: &str| {
        let output = camcount()
            .arg("cameras")
            .arg(&history)
            .args(["--at", at])
            .output()
            .unwrap();
        assert!(output.status.success(), "--at {at}");
        let rows = read_csv(&String::from_utf8_lossy(&output.stdout));
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (rows, stderr)
    };
    let (rows, stderr) = listed("2030-01-01");
    assert_eq!(rows.len(), 32);
    assert!(rows.iter().all(|r| r["data_date"] == "2026-07-11"));
    assert!(stderr.contains("OSM data as of 2026-07-11"), "{stderr}");
    assert!(
        stderr.contains("2030-01-01 is after the file's data"),
        "{stderr}"
    );
    let (rows, stderr) = listed("2024-01-01");
    assert_eq!(rows.len(), 16);
    assert!(rows.iter().all(|r| r["data_date"] == "2024-01-01"));
    assert!(stderr.contains("OSM data as of 2024-01-01"), "{stderr}");
}

#[test]
fn cameras_carry_their_version_and_last_edit_as_osmium_reads_them() {
    let m = monaco();
    let rows = read_csv(&run(&[os("cameras"), m.as_os_str(), os("-q")]));
    assert_eq!(rows.len(), 32);
    // osmium's OPL gives each node's version (v) and timestamp (t).
    let opl = std::process::Command::new("osmium")
        .args(["cat", "-f", "opl"])
        .arg(&m)
        .output()
        .expect("osmium (Debian's osmium-tool) must be installed");
    assert!(opl.status.success());
    let opl = String::from_utf8_lossy(&opl.stdout);
    let mut checked = 0;
    for line in opl.lines().filter(|l| l.contains("man_made=surveillance")) {
        let field = |p: char| {
            line.split(' ')
                .find(|f| f.starts_with(p))
                .map(|f| f[1..].to_string())
                .unwrap()
        };
        let id = field('n');
        let row = rows.iter().find(|r| r["osm_id"] == id).unwrap();
        assert_eq!(row["version"], field('v'), "node {id}");
        assert_eq!(row["last_edit"], field('t'), "node {id}");
        checked += 1;
    }
    assert_eq!(checked, 32);
}

/// Regression (2026-12-05): a damaged or hand-made header's replication
/// timestamp was printed as the data date whatever it said (year 5138,
/// year -292277022657). One before 1970 or after tomorrow is set aside for
/// the objects' own dates.
#[test]
fn an_implausible_header_date_gives_way_to_the_objects_dates() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::{OsmElement, OsmMeta};
    let wd = Workdir::new();
    let OsmElement::Node(mut camera) = node(1, 7.42, 43.73, &[("man_made", "surveillance")]) else {
        unreachable!()
    };
    camera.meta = Some(OsmMeta {
        version: 1,
        timestamp: 1_700_000_000,
        ..OsmMeta::default()
    });
    for (header, day, source) in [
        (100_000_000_000, "2023-11-14", "newest object timestamp"),
        (-1_000, "2023-11-14", "newest object timestamp"),
        (1_750_000_000, "2025-06-15", "header replication timestamp"),
    ] {
        let input = wd.path(&format!("header-{header}.osm.pbf"));
        let options = WriterOptions {
            replication_timestamp: Some(header),
            ..WriterOptions::default()
        };
        let mut elements = vec![OsmElement::Node(camera.clone())];
        elements.extend(camcount::fixtures::commune_around(7.42, 43.73));
        write_elements(&elements, &input, options).unwrap();
        let rows = read_csv(&run(&[os("cameras"), input.as_os_str(), os("-q")]));
        assert_eq!(rows[0]["data_date"], day, "{header}");
        let doc: Value =
            serde_json::from_str(&run(&[input.as_os_str(), os("-f"), os("json"), os("-q")]))
                .unwrap();
        assert_eq!(doc["metadata"]["data_date_source"], source, "{header}");
    }
}

/// A file with no date at all (no header timestamp, no object timestamp)
/// dates every figure "unknown": said on stderr, not left to be noticed.
#[test]
fn an_undated_file_is_warned_of() {
    use camcount::fixtures::{node, write_elements};
    let wd = Workdir::new();
    let input = wd.path("undated.osm.pbf");
    let mut elements = vec![node(1, 7.42, 43.73, &[("man_made", "surveillance")])];
    elements.extend(camcount::fixtures::commune_around(7.42, 43.73));
    write_elements(&elements, &input, Default::default()).unwrap();
    for command in [vec![], vec!["cameras"], vec!["boundaries"]] {
        let output = camcount().args(&command).arg(&input).output().unwrap();
        assert!(output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("warning: the file states no date"),
            "{command:?}: {stderr}"
        );
        if command == ["cameras"] {
            assert!(String::from_utf8_lossy(&output.stdout).contains(",unknown\n"));
        }
    }
    // Regression (2026-12-05): the reports read "données OSM au unknown".
    for (lang, words) in [
        ("fr", "Données OpenStreetMap à une date inconnue"),
        ("en", "OpenStreetMap data of unknown date"),
    ] {
        for format in ["md", "html"] {
            let page = run(&[
                input.as_os_str(),
                os("-f"),
                os(format),
                os("--lang"),
                os(lang),
                os("-q"),
            ]);
            assert!(page.contains(words), "{lang} {format}: {page}");
            assert!(!page.contains("unknown ("), "{lang} {format}");
        }
    }
}

/// Regression (2026-12-05): a header older than the cameras it holds (a
/// 2019 extract edited in JOSM and saved, or merged with newer data) dated
/// every figure by the header, with no word. The newest camera's date is
/// taken, and stderr and every output say why.
#[test]
fn a_header_older_than_a_camera_gives_way_to_it() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::{OsmElement, OsmMeta};
    let wd = Workdir::new();
    let OsmElement::Node(mut camera) = node(1, 7.42, 43.73, &[("man_made", "surveillance")]) else {
        unreachable!()
    };
    camera.meta = Some(OsmMeta {
        version: 2,
        timestamp: 1_700_000_000, // 2023-11-14
        ..OsmMeta::default()
    });
    for (header, day, stale) in [
        (1_600_000_000, "2023-11-14", true),  // 2020-09-13: stale
        (1_700_000_000, "2023-11-14", false), // the camera's own second
        (1_750_000_000, "2025-06-15", false),
    ] {
        let input = wd.path(&format!("header-{header}.osm.pbf"));
        let options = WriterOptions {
            replication_timestamp: Some(header),
            ..WriterOptions::default()
        };
        let mut elements = vec![OsmElement::Node(camera.clone())];
        elements.extend(camcount::fixtures::commune_around(7.42, 43.73));
        write_elements(&elements, &input, options).unwrap();
        let cameras = camcount().arg("cameras").arg(&input).output().unwrap();
        assert!(cameras.status.success());
        let rows = read_csv(&String::from_utf8(cameras.stdout).unwrap());
        assert_eq!(rows[0]["data_date"], day, "{header}");
        let stderr = String::from_utf8_lossy(&cameras.stderr);
        assert_eq!(
            stderr.contains(
                "warning: the file's header dates its data 2020-09-13, but it holds a camera edited on 2023-11-14"
            ),
            stale,
            "{header}: {stderr}"
        );
        let doc: Value =
            serde_json::from_str(&run(&[input.as_os_str(), os("-f"), os("json"), os("-q")]))
                .unwrap();
        let metadata = &doc["metadata"];
        assert_eq!(metadata["data_date"], day, "{header}");
        let notes = metadata["notes"].to_string();
        assert_eq!(notes.contains("header dates its data 2020-09-13"), stale);
        // A count dates by its cameras alone, and says so: "the newest edit
        // read" and "objects edited up to" claimed more than was read
        // (regression, 2026-12-05).
        assert_eq!(
            notes.contains("but it holds a camera edited on 2023-11-14")
                && notes.contains("dated 2023-11-14, its newest camera edit"),
            stale,
            "{notes}"
        );
        assert!(!notes.contains("newest edit read"), "{notes}");
        assert_eq!(
            metadata["data_date_source"].as_str().unwrap(),
            if stale {
                "newest camera timestamp (the header's replication timestamp is older)"
            } else {
                "header replication timestamp"
            }
        );
        let md = run(&[
            input.as_os_str(),
            os("-f"),
            os("md"),
            os("--lang"),
            os("fr"),
            os("-q"),
        ]);
        assert_eq!(md.contains("L'en-tête de"), stale, "{md}");
    }
    // A camera dated past tomorrow is damage (a flipped byte dated a 2021
    // file 2037, found 2026-12-05): the header's date holds.
    let input = wd.path("future-camera.osm.pbf");
    let mut future = camera.clone();
    future.id = 2;
    future.meta.as_mut().unwrap().timestamp = 2_126_000_000; // 2037
    let mut elements = vec![OsmElement::Node(camera), OsmElement::Node(future)];
    elements.extend(camcount::fixtures::commune_around(7.42, 43.73));
    let options = WriterOptions {
        replication_timestamp: Some(1_750_000_000),
        ..WriterOptions::default()
    };
    write_elements(&elements, &input, options).unwrap();
    let rows = read_csv(&run(&[os("cameras"), input.as_os_str(), os("-q")]));
    assert_eq!(rows[0]["data_date"], "2025-06-15");
}
