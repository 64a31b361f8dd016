//! `camcount compare OLD NEW`: the added and removed cameras are those
//! `osmium derive-changes` finds, and the per-commune table adds up in the
//! new file's zones.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command as Process;

use crate::common::{extract, read_csv, stdout_of, Workdir};
use crate::{camera_ids, history_file};

/// Added and removed cameras per `osmium derive-changes OLD NEW`: created
/// or modified objects tagged as cameras in NEW that were not cameras in
/// OLD; deleted or modified objects that were cameras in OLD and are not
/// in NEW.
fn osmium_camera_changes(old: &Path, new: &Path, wd: &Workdir) -> (Vec<String>, Vec<String>) {
    let change = wd.path("changes.osc");
    let status = Process::new("osmium")
        .arg("derive-changes")
        .arg(old)
        .arg(new)
        .arg("-o")
        .arg(&change)
        .arg("--overwrite")
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success());
    let text = std::fs::read_to_string(&change).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let old_cameras = camera_ids(&stdout_of(&[OsStr::new("cameras"), old.as_os_str()]));
    let (mut added, mut removed) = (BTreeSet::new(), BTreeSet::new());
    for section in document
        .root_element()
        .children()
        .filter(|n| n.is_element())
    {
        for object in section.children().filter(|n| n.is_element()) {
            let id = format!(
                "{}/{}",
                object.tag_name().name(),
                object.attribute("id").unwrap()
            );
            let camera = object.children().any(|t| {
                t.tag_name().name() == "tag"
                    && t.attribute("k") == Some("man_made")
                    && t.attribute("v") == Some("surveillance")
            });
            let is_delete = section.tag_name().name() == "delete";
            let was = old_cameras.contains(&id);
            if !is_delete && camera && !was {
                added.insert(id);
            } else if was && (is_delete || !camera) {
                removed.insert(id);
            }
        }
    }
    (added.into_iter().collect(), removed.into_iter().collect())
}

fn sorted_ids(text: &str) -> Vec<String> {
    let set: BTreeSet<String> = text.split_whitespace().map(str::to_string).collect();
    set.into_iter().collect()
}

#[test]
fn compare_finds_the_cameras_osmium_derive_changes_finds() {
    let wd = Workdir::new();
    let pairs = [
        (extract("monaco-2021-04-21"), extract("monaco-2026-07-10")),
        (
            history_file("monaco-2015-07-07.osm.pbf"),
            extract("monaco-2026-07-10"),
        ),
    ];
    for (old, new) in &pairs {
        let json = stdout_of(&[
            OsStr::new("compare"),
            old.as_os_str(),
            new.as_os_str(),
            OsStr::new("-f"),
            OsStr::new("json"),
        ]);
        let document: serde_json::Value = serde_json::from_str(&json).unwrap();
        let totals = &document["totals"];
        let ours = (
            sorted_ids(totals["added_ids"].as_str().unwrap()),
            sorted_ids(totals["removed_ids"].as_str().unwrap()),
        );
        let theirs = osmium_camera_changes(old, new, &wd);
        assert_eq!(ours, theirs, "{} → {}", old.display(), new.display());
        assert!(!ours.0.is_empty());
        // The counts are numbers, as in the rows (the ids were under
        // `added`, regression 2026-12-05).
        assert_eq!(totals["added"].as_u64(), Some(ours.0.len() as u64));
        assert_eq!(totals["removed"].as_u64(), Some(ours.1.len() as u64));
        assert!(totals["added_before_old"].is_u64(), "{totals}");
        // Each side's data date is shown.
        let metadata = &document["metadata"];
        assert_ne!(metadata["old_data_date"], metadata["new_data_date"]);
    }
}

#[test]
fn compare_per_commune_adds_up_and_uses_the_new_zones() {
    let old = extract("monaco-2021-04-21");
    let new = extract("monaco-2026-07-10");
    let out = stdout_of(&[OsStr::new("compare"), old.as_os_str(), new.as_os_str()]);
    let rows = read_csv(&out);
    let monaco = rows.iter().find(|r| r["name"] == "Monaco").unwrap();
    let n = |k: &str| monaco[k].parse::<i64>().unwrap();
    assert_eq!(n("cameras_new") - n("cameras_old"), n("change"));
    assert_eq!(n("change"), n("added") - n("removed"));
    assert_eq!(n("cameras_new"), 29, "the plain count of 2026 in Monaco");
    assert_eq!(monaco["old_data_date"], "2021-04-21");
    assert_eq!(monaco["new_data_date"], "2026-07-10");
}

/// Regression: Monaco's 2021 extract lacks a Cap-d'Ail camera last edited
/// in 2019 (it lay beyond that extract's bounding box). It is still in
/// `added`, as `osmium derive-changes` has it, but it is said not to be
/// new, and the communes the 2021 box cuts are marked `status_old`.
#[test]
fn an_added_camera_older_than_the_old_file_is_said_not_to_be_new() {
    let old = extract("monaco-2021-04-21");
    let new = extract("monaco-2026-07-10");
    let communes = crate::common::data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    let args = |extra: &[&str]| {
        let mut args = vec![
            OsStr::new("compare"),
            old.as_os_str(),
            new.as_os_str(),
            OsStr::new("--boundaries"),
            communes.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        stdout_of(&args)
    };
    let rows = read_csv(&args(&[]));
    let cap = rows.iter().find(|r| r["ref"] == "06032").unwrap();
    assert_eq!(cap["added_ids"], "node/6482706094");
    assert_eq!(
        (cap["added"].as_str(), cap["added_before_old"].as_str()),
        ("1", "1")
    );
    assert_eq!(cap["status_old"], "partial");
    let beausoleil = rows.iter().find(|r| r["ref"] == "06012").unwrap();
    assert_eq!(beausoleil["added_before_old"], "0");
    // Nice lies beyond both files: nothing compared, nothing said.
    let nice = rows.iter().find(|r| r["ref"] == "06088").unwrap();
    assert_eq!(nice["status_old"], "outside_extract");
    assert!(nice["cameras_old"].is_empty() && nice["added"].is_empty());
    let report = args(&["-f", "md"]);
    assert!(
        report.contains("(1 of them last edited before 2021-04-21: OSM had it then, the older file did not, so it is not new)"),
        "{report}"
    );
    // Both boxes cut Cap-d'Ail: its counts are floors, and the report says so.
    assert!(
        report.contains(
            "- Cap-d'Ail (06032): 0 → 1 (+1: 1 added (1 of them not new: in OSM before the \
             older file), 0 removed, both counts are floors)"
        ),
        "{report}"
    );
    assert!(
        report.contains("4 zones lie partly beyond the data of monaco-2026-07-10.osm.pbf"),
        "{report}"
    );
}

/// Regression: the snapshots given newest first used to be compared as
/// given, every camera "removed", exit 0.
#[test]
fn snapshots_given_newest_first_are_refused() {
    let out = crate::common::camcount()
        .arg("compare")
        .arg(extract("monaco-2026-07-10"))
        .arg(extract("monaco-2021-04-21"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("monaco-2026-07-10.osm.pbf (OSM data as of 2026-07-10) is newer than monaco-2021-04-21.osm.pbf (as of 2021-04-21): give the older snapshot first"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
    // Two snapshots of one day, the later first: their instants are told
    // apart, where "(as of 2026-04-27) is newer than (as of 2026-04-27)"
    // read as nonsense (regression, 2026-12-05).
    let wd = Workdir::new();
    let snapshot = |name: &str, at: i64| {
        let path = wd.path(name);
        let mut elements = vec![camcount::fixtures::node(
            1,
            7.42,
            43.73,
            &[("man_made", "surveillance")],
        )];
        elements.extend(camcount::fixtures::commune_around(7.42, 43.73));
        let options = camcount::pbf::writer::WriterOptions {
            replication_timestamp: Some(at),
            ..Default::default()
        };
        camcount::fixtures::write_elements(&elements, &path, options).unwrap();
        path
    };
    let morning = snapshot("morning.osm.pbf", 1_777_248_000 + 3_600);
    let evening = snapshot("evening.osm.pbf", 1_777_248_000 + 72_000);
    let out = crate::common::camcount()
        .arg("compare")
        .arg(&evening)
        .arg(&morning)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("evening.osm.pbf (OSM data as of 2026-04-27T20:00:00Z) is newer than morning.osm.pbf (as of 2026-04-27T01:00:00Z)"),
        "{stderr}"
    );
}

/// Regression (2026-12-05): `compare -f geojson` named only the newer
/// snapshot and its date: the older counts in it were undated.
#[test]
fn compare_geojson_dates_both_snapshots() {
    let old = extract("monaco-2021-04-21");
    let new = extract("monaco-2026-07-10");
    let out = stdout_of(&[
        OsStr::new("compare"),
        old.as_os_str(),
        new.as_os_str(),
        OsStr::new("-f"),
        OsStr::new("geojson"),
    ]);
    let document: serde_json::Value = serde_json::from_str(&out).unwrap();
    let m = &document["metadata"];
    assert_eq!(m["old_input"], "monaco-2021-04-21.osm.pbf");
    assert_eq!(m["old_data_date"], "2021-04-21");
    assert_eq!(m["new_input"], "monaco-2026-07-10.osm.pbf");
    assert_eq!(m["new_data_date"], "2026-07-10");
    assert_eq!(m["data_date"], "2026-07-10");
}

/// Regression (2026-12-05): with a snapshot of unknown date, `compare`
/// said nothing of the order it could not check, and gave
/// `added_before_old` as 0 where it cannot be told.
#[test]
fn compare_says_when_it_cannot_check_the_order() {
    let wd = Workdir::new();
    let undated = wd.path("undated.osm.pbf");
    let status = Process::new("osmium")
        .args(["cat", "--clean", "timestamp", "-o"])
        .arg(&undated)
        .arg(history_file("monaco-2012-07-06.osm.pbf"))
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success());
    let new = extract("monaco-2026-07-10");
    let output = crate::common::camcount()
        .arg("compare")
        .arg(&undated)
        .arg(&new)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the data date of undated.osm.pbf is unknown")
            && stderr.contains("cannot check that undated.osm.pbf is the older snapshot"),
        "{stderr}"
    );
    let rows = read_csv(&String::from_utf8_lossy(&output.stdout));
    let monaco = rows.iter().find(|r| r["name"] == "Monaco").unwrap();
    assert_eq!(monaco["added_before_old"], "", "unknown, not 0");
    assert_eq!(monaco["old_data_date"], "unknown");
    // The report says so too, not stderr alone (found 2026-12-05).
    let md = crate::common::camcount()
        .arg("compare")
        .arg(&undated)
        .arg(&new)
        .args(["-f", "md", "-q"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains(
            "Note: The data date of undated.osm.pbf is unknown: camcount could not check \
             that undated.osm.pbf is the older snapshot."
        ),
        "{md}"
    );
    assert!(md.contains("(OSM data of unknown date)"), "{md}");
    assert!(
        md.starts_with("# Surveillance cameras: unknown date → 2026-07-10"),
        "{md}"
    );
}

/// Regression (2026-12-05): a newer snapshot written without metadata
/// (`osmium cat --clean timestamp`, but its header still dated) gave
/// `added_before_old` as 0: Cap-d'Ail's camera, edited in 2019, "new".
/// Unknown, then, with a warning.
#[test]
fn compare_leaves_added_before_old_empty_when_the_newer_file_has_no_timestamps() {
    let wd = Workdir::new();
    let undated = wd.path("m26-undated.osm.pbf");
    let status = Process::new("osmium")
        .args(["cat", "--clean", "timestamp", "-o"])
        .arg(&undated)
        .arg(extract("monaco-2026-07-10"))
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success());
    let communes = crate::common::data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    let output = crate::common::camcount()
        .arg("compare")
        .arg(extract("monaco-2021-04-21"))
        .arg(&undated)
        .arg("--boundaries")
        .arg(&communes)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cameras of m26-undated.osm.pbf carry no timestamp"),
        "{stderr}"
    );
    let rows = read_csv(&String::from_utf8_lossy(&output.stdout));
    let cap = rows.iter().find(|r| r["ref"] == "06032").unwrap();
    assert_eq!(cap["added"], "1");
    assert_eq!(cap["added_before_old"], "", "unknown, not 0");
    assert_eq!(
        cap["new_data_date"], "2026-07-10",
        "the header still dates it"
    );
}

/// One snapshot given twice read "0 added, 0 removed" in every commune,
/// exit 0, without a word (found 2026-12-05).
#[test]
fn one_snapshot_given_twice_is_warned_of() {
    let monaco = extract("monaco-2026-07-10");
    let run = |old: &Path, new: &Path| {
        let output = crate::common::camcount()
            .arg("compare")
            .arg(old)
            .arg(new)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let twice = run(&monaco, &monaco);
    assert!(
        twice.contains("hold the same data (date 2026-07-10, the same cameras)"),
        "{twice}"
    );
    let two = run(&extract("monaco-2021-04-21"), &monaco);
    assert!(!two.contains("hold the same data"), "{two}");
}

/// Regression (2026-12-06): an older file cut narrower than the newer one
/// had its headline "5 added" count the cameras of zones it never covered,
/// where the reverse case said "not known to be gone". Both are said now,
/// in the report, the JSON totals and the summary line.
#[test]
fn cameras_beyond_either_files_data_are_not_known_to_be_new_or_gone() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::{writer::WriterOptions, BBox};
    let wd = Workdir::new();
    let camera = [("man_made", "surveillance")];
    // A file cut at lon 0–`east`, dated at the start of `year`.
    let write = |name: &str, east: f64, year: i64, ids: &[(i64, f64)]| {
        let nodes: Vec<_> = (ids.iter())
            .map(|&(id, lon)| node(id, lon, 0.5, &camera))
            .collect();
        let options = WriterOptions {
            bbox: Some(BBox {
                min_lon: 0.0,
                min_lat: 0.0,
                max_lon: east,
                max_lat: 1.0,
            }),
            replication_timestamp: Some((year - 1970) * 31_556_952),
            ..WriterOptions::default()
        };
        let path = wd.path(name);
        write_elements(&nodes, &path, options).unwrap();
        path
    };
    let square = |code: &str, west: f64| {
        let ring = [
            [west, 0.0],
            [west + 1.0, 0.0],
            [west + 1.0, 1.0],
            [west, 1.0],
            [west, 0.0],
        ];
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
            serde_json::to_string(&ring).unwrap()
        )
    };
    let zones = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        square("99001", 0.0),
        square("99002", 1.0)
    );
    let zones = wd.write("zones.geojson", zones.as_bytes());
    // Node 3 is new in the west; node 4 lies east, where only the wide
    // file has data.
    let narrow_old = write("narrow-old.osm.pbf", 1.0, 2020, &[(1, 0.5), (2, 0.6)]);
    let wide_new = write(
        "wide-new.osm.pbf",
        2.0,
        2021,
        &[(1, 0.5), (2, 0.6), (3, 0.7), (4, 1.5)],
    );
    let compare = |old: &Path, new: &Path, format: &str| {
        let output = crate::common::camcount()
            .args([OsStr::new("compare"), old.as_os_str(), new.as_os_str()])
            .args([OsStr::new("--boundaries"), zones.as_os_str()])
            .args(["--boundary-id-field", "code", "-f", format])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        (stdout, String::from_utf8(output.stderr).unwrap())
    };
    let (json, stderr) = compare(&narrow_old, &wide_new, "json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let totals = &json["totals"];
    assert_eq!(
        (
            totals["added"].as_u64(),
            totals["added_beyond_old"].as_u64()
        ),
        (Some(2), Some(1))
    );
    assert!(
        stderr.contains("2 added (1 beyond the data of narrow-old.osm.pbf, not known to be new)"),
        "{stderr}"
    );
    assert_eq!(json["metadata"]["zones"], "those of zones.geojson");
    let (report, _) = compare(&narrow_old, &wide_new, "md");
    assert!(
        report.contains(
            "2 added (1 of them beyond the data of narrow-old.osm.pbf: not known to be new)"
        ),
        "{report}"
    );
    // The other way round: a narrower newer file.
    let wide_old = write("wide-old.osm.pbf", 2.0, 2020, &[(1, 0.5), (4, 1.5)]);
    let narrow_new = write("narrow-new.osm.pbf", 1.0, 2021, &[(1, 0.5)]);
    let (report, stderr) = compare(&wide_old, &narrow_new, "md");
    assert!(
        report.contains(
            "1 removed (1 of them beyond the data of narrow-new.osm.pbf: not known to be gone)"
        ),
        "{report}"
    );
    assert!(
        stderr.contains("(1 beyond the data of narrow-new.osm.pbf, not known to be gone)"),
        "{stderr}"
    );
}

/// Regression (2026-12-06): a zone that gained 3,000 cameras has an
/// `added_ids` cell longer than a workbook cell holds, and the whole
/// workbook failed, exit 1. The cell is cut between two ids and says so.
#[test]
fn a_workbook_takes_a_list_of_ids_longer_than_a_cell() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::{writer::WriterOptions, BBox};
    let wd = Workdir::new();
    // Both files cut to the zone, a year apart.
    let dated = |year: i64| WriterOptions {
        replication_timestamp: Some((year - 1970) * 31_556_952),
        bbox: Some(BBox {
            min_lon: 0.0,
            min_lat: 0.0,
            max_lon: 1.0,
            max_lat: 1.0,
        }),
        ..WriterOptions::default()
    };
    let land = node(1, 0.5, 0.5, &[]);
    let old = wd.path("old.osm.pbf");
    write_elements(std::slice::from_ref(&land), &old, dated(2020)).unwrap();
    let mut cameras = vec![land];
    cameras.extend((0..3000).map(|i| {
        let x = 0.1 + (i % 60) as f64 * 0.01;
        let y = 0.1 + (i / 60) as f64 * 0.01;
        node(1_000_000 + i, x, y, &[("man_made", "surveillance")])
    }));
    let new = wd.path("new.osm.pbf");
    write_elements(&cameras, &new, dated(2021)).unwrap();
    let ring = "[[0,0],[1,0],[1,1],[0,1],[0,0]]";
    let zones = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"code":"99001"}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}]}}"#
    );
    let zones = wd.write("zones.geojson", zones.as_bytes());
    let xlsx = wd.path("compare.xlsx");
    crate::common::camcount()
        .args([OsStr::new("compare"), old.as_os_str(), new.as_os_str()])
        .args([OsStr::new("--boundaries"), zones.as_os_str()])
        .args(["--boundary-id-field", "code", "-q", "-o"])
        .arg(&xlsx)
        .assert()
        .success();
    // The cell, read back from the workbook's shared strings.
    let unzip = Process::new("unzip")
        .args(["-p"])
        .arg(&xlsx)
        .arg("xl/sharedStrings.xml")
        .output()
        .expect("unzip is installed");
    let strings = String::from_utf8(unzip.stdout).unwrap();
    let head: String = strings.chars().take(3000).collect();
    assert!(strings.contains("node/1000000 node/1000001"), "{head}");
    assert!(
        strings.contains(
            " … (cut: a workbook cell holds 32,767 characters; the CSV and JSON hold it whole)"
        ),
        "the cut is said"
    );
}
