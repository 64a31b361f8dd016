//! What `history` and `--at` refuse: a malformed date (usage, exit 2), a
//! snapshot given as a history file, and an unsorted history file (exit 1,
//! one line with the remedy).

use crate::common::{camcount, extract, Workdir};
use crate::history_file;

#[test]
fn a_malformed_date_is_a_usage_error() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    for bad in ["2021-13-01", "yesterday", "2021-02-30", "21-04-22"] {
        let output = camcount()
            .arg("history")
            .arg(&input)
            .args(["--at", bad])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--at {bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
    }
}

/// Regression (2026-12-06): `--from` beside `--at` was ignored, exit 0.
#[test]
fn from_beside_at_is_a_usage_error() {
    let output = camcount()
        .arg("history")
        .arg(history_file("monaco-2021-2026.osh.pbf"))
        .args(["--at", "2021-04-22", "--from", "2020-01-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("'--from <DATE>'"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// A snapshot holds each object's newest version only: counted "at" an
/// earlier date it gave Monaco 7 cameras on 2020-01-01 where the history
/// file has none, with exit 0. Refused, with the remedies, and nothing
/// written.
#[test]
fn a_snapshot_is_no_history_file() {
    let snapshot = extract("monaco-2026-07-10");
    refused_at(
        &snapshot,
        "2020-01-01",
        &[
            "monaco-2026-07-10.osm.pbf: not a history file",
            "camcount compare OLD NEW",
        ],
    );
}

#[test]
fn an_unsorted_history_file_is_refused_with_a_remedy() {
    use camcount::fixtures::node;
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::{OsmElement, OsmMeta};
    let v = |id: i64, version: i32, tags: &[(&str, &str)]| {
        let OsmElement::Node(mut n) = node(id, 1.0, 1.0, tags) else {
            unreachable!()
        };
        n.meta = Some(OsmMeta {
            version,
            timestamp: 1_600_000_000 + i64::from(version),
            ..OsmMeta::default()
        });
        OsmElement::Node(n)
    };
    let camera = [("man_made", "surveillance")];
    let wd = Workdir::new();
    // Out of order inside a blob, then across blobs.
    for block_size in [8000, 1] {
        let input = wd.path(&format!("unsorted-{block_size}.osh.pbf"));
        let elements = [v(5, 1, &camera), v(1, 1, &camera), v(5, 2, &[])];
        let options = WriterOptions {
            sorted: false,
            block_size,
            ..WriterOptions::default()
        };
        camcount::history::fixtures::write_history(&elements, &input, options).unwrap();
        let output = camcount()
            .arg("history")
            .arg(&input)
            .args(["--at", "2021-01-01"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("osmium sort"), "{stderr}");
        assert!(stderr.contains(&input.display().to_string()), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        // Both objects named: "node 1 version 1 comes after version 1"
        // named one (found 2026-12-05).
        if block_size == 8000 {
            assert!(
                stderr.contains("node 1 version 1 comes after node 5 version 1"),
                "{stderr}"
            );
        }
    }
}

/// A history file whose objects carry no timestamp cannot tell what stood
/// at a date. `history --at 2000-01-01` counted every version there, each
/// figure labelled 2000-01-01, and `cameras --at` dated its list so, with
/// exit 0. Refused, with the remedy, and nothing written.
#[test]
fn a_history_file_without_timestamps_is_refused() {
    use camcount::fixtures::node;
    use camcount::pbf::{OsmElement, OsmMeta};
    let camera = [("man_made", "surveillance")];
    let elements: Vec<OsmElement> = (1..=3)
        .map(|id| {
            let OsmElement::Node(mut n) = node(id, 1.0, 1.0, &camera) else {
                unreachable!()
            };
            n.meta = Some(OsmMeta {
                version: 1,
                timestamp: 0,
                ..OsmMeta::default()
            });
            OsmElement::Node(n)
        })
        .collect();
    let wd = Workdir::new();
    let input = wd.path("undated.osh.pbf");
    let options = camcount::pbf::writer::WriterOptions::default();
    camcount::history::fixtures::write_history(&elements, &input, options).unwrap();
    refused_at(
        &input,
        "2000-01-01",
        &[
            "undated.osh.pbf: no object carries a timestamp",
            "camcount FILE",
        ],
    );
    // The newest state is still listed, and said to be undated.
    let output = camcount().arg("cameras").arg(&input).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the file states no date"), "{stderr}");
}

/// `history` and `cameras --at DATE` on `input` each fail with exit 1 and
/// one line holding every needle, and write nothing.
fn refused_at(input: &std::path::Path, date: &str, needles: &[&str]) {
    let wd = Workdir::new();
    let out = wd.path("at.csv");
    for command in ["history", "cameras"] {
        let output = camcount()
            .arg(command)
            .arg(input)
            .args(["--at", date, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        for needle in needles {
            assert!(stderr.contains(needle), "{command}: {stderr}");
        }
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!out.exists(), "{command} wrote an output");
    }
}

/// Cameras at one position, each a single version (`version`), dated.
fn one_version_each(version: i32) -> Vec<camcount::pbf::OsmElement> {
    use camcount::fixtures::node;
    use camcount::pbf::{OsmElement, OsmMeta};
    let camera = [("man_made", "surveillance")];
    (1..=3)
        .map(|id| {
            let OsmElement::Node(mut n) = node(id, 1.0, 1.0, &camera) else {
                unreachable!()
            };
            n.meta = Some(OsmMeta {
                version,
                timestamp: 1_600_000_000 + id,
                ..OsmMeta::default()
            });
            OsmElement::Node(n)
        })
        .collect()
}

/// A snapshot whose header says history (`osmium cat x.osm.pbf -o
/// x.osh.pbf` writes one) holds each object's newest version only: Monaco's
/// 2026 snapshot so marked read 9 cameras on 2021-04-22 where the history
/// holds 11, with exit 0 (found 2026-12-05). Refused; a file whose objects
/// are all at version 1 is a whole history and is taken.
#[test]
fn a_snapshot_marked_as_history_is_refused() {
    let wd = Workdir::new();
    let input = wd.path("marked.osh.pbf");
    let options = camcount::pbf::writer::WriterOptions::default();
    camcount::history::fixtures::write_history(&one_version_each(3), &input, options).unwrap();
    refused_at(
        &input,
        "2020-01-01",
        &[
            "marked.osh.pbf: holds one version of each object",
            "node/1 only at version 3",
            "camcount compare OLD NEW",
        ],
    );
    let whole = wd.path("whole.osh.pbf");
    let options = camcount::pbf::writer::WriterOptions::default();
    camcount::history::fixtures::write_history(&one_version_each(1), &whole, options).unwrap();
    let output = camcount()
        .arg("cameras")
        .arg(&whole)
        .args(["--at", "2020-09-13T12:26:42Z", "-q"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let listed = String::from_utf8_lossy(&output.stdout);
    // Created at 1_600_000_001..=3: two stood then.
    assert_eq!(listed.lines().count(), 1 + 2, "{listed}");
}

/// The 2021 Monaco snapshot marked as history (`osmium cat -o x.osh.pbf`):
/// its cameras are all at version 1, so the check on cameras alone let it
/// through, and `history` read 10 cameras in 2019 and no deleted camera,
/// exit 0 (found 2026-12-05). Its boundaries are past version 1: refused.
#[test]
fn a_snapshot_whose_cameras_are_all_at_version_one_is_refused() {
    let wd = Workdir::new();
    let marked = wd.path("snap21.osh.pbf");
    let status = std::process::Command::new("osmium")
        .arg("cat")
        .arg(extract("monaco-2021-04-21"))
        .arg("-o")
        .arg(&marked)
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success());
    refused_at(
        &marked,
        "2019-01-01",
        &[
            "snap21.osh.pbf: holds one version of each object",
            "camcount compare OLD NEW",
        ],
    );
}

/// Versions without a timestamp stand at every date (as `osmium
/// time-filter` reads them): a camera of no date counted in 2000 while the
/// warning said every count then was 0 (found 2026-12-05). The warning
/// and a note say so.
#[test]
fn versions_without_a_timestamp_are_said_to_stand_at_every_date() {
    use camcount::fixtures::node;
    use camcount::pbf::OsmElement;
    let wd = Workdir::new();
    let input = wd.path("undated.osh.pbf");
    let mut elements = one_version_each(1);
    let OsmElement::Node(mut undated) = node(9, 1.0, 1.0, &[("man_made", "surveillance")]) else {
        unreachable!()
    };
    undated.meta = None;
    elements.push(OsmElement::Node(undated));
    let options = camcount::pbf::writer::WriterOptions::default();
    camcount::history::fixtures::write_history(&elements, &input, options).unwrap();
    let output = camcount()
        .arg("cameras")
        .arg(&input)
        .args(["--at", "2000-01-01", "-f", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let listed: Vec<i64> = (json["cameras"].as_array().unwrap().iter())
        .map(|c| c["osm_id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [9], "only the undated camera stands in 2000");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("only the version without a timestamp stands then"),
        "{stderr}"
    );
    assert!(!stderr.contains("every count is 0"), "{stderr}");
    let notes = json["metadata"]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("1 version of undated.osh.pbf carries no timestamp")),
        "{notes:?}"
    );
}

/// `history --admin-level 9` on Monaco (no such zone at the last date)
/// wrote a table of no rows and "No zone held a camera at any of these
/// dates", exit 0 (found 2026-12-05). Refused, as the count refuses it.
#[test]
fn a_history_with_no_zone_is_refused() {
    let output = camcount()
        .arg("history")
        .arg(history_file("monaco-2021-2026.osh.pbf"))
        .args(["--at", "2021-04-22,2026-07-11", "--admin-level", "9", "-q"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds no boundary relation of admin_level 9 to count cameras in"),
        "{stderr}"
    );
    // Held at no date: the file's advice, not "end with a later date"
    // (regression, 2026-12-05).
    assert!(stderr.contains("other --admin-level values"), "{stderr}");
    assert!(!stderr.contains("later date"), "{stderr}");
    assert!(output.stdout.is_empty());
}

/// The Monaco history holds boundaries from 2019 on: counted to
/// 2019-01-01, "holds no boundary relation of admin_level 8" read false
/// of the file (found 2026-12-05). The error names the date whose zones
/// count; with each date's own zones, a date without any is said in the
/// outputs, where it had no row and no word.
#[test]
fn no_zone_is_said_of_the_date_not_of_the_file() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let output = camcount()
        .arg("history")
        .arg(&input)
        .args(["--at", "2018-01-01,2019-01-01", "-q"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds no boundary relation of admin_level 8 at 2019-01-01, the last date"),
        "{stderr}"
    );
    let output = camcount()
        .arg("history")
        .arg(&input)
        .args([
            "--at",
            "2019-05-17T07:25:50Z,2021-04-22",
            "--zones-each-date",
        ])
        .args(["-f", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let said = "monaco-2021-2026.osh.pbf holds no boundary relation at 2019-05-17T07:25:50Z: that date has no zone row, and the cameras of that date are in the totals only.";
    assert!(String::from_utf8_lossy(&output.stderr).contains(said));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = json["metadata"]["notes"].to_string();
    assert!(notes.contains(said), "{notes}");
}

/// Regression (2026-12-07): a history file written without metadata
/// (`osmium cat … -f osh.pbf,add_metadata=false`) was refused as "node 2
/// version 0 comes after node 2 version 0 … sort it with `osmium sort`",
/// and the sorted file read the same. Its versions carry no number and no
/// date: that is what is said, by `history` and by `cameras --at`.
#[test]
fn a_history_file_without_metadata_is_refused_as_such() {
    let wd = Workdir::new();
    let bare = wd.path("bare.osh.pbf");
    let status = std::process::Command::new("osmium")
        .arg("cat")
        .arg(history_file("monaco-2021-2026.osh.pbf"))
        .args(["-f", "osh.pbf,add_metadata=false", "-o"])
        .arg(&bare)
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success());
    for command in [&["history"][..], &["cameras"]] {
        let output = camcount()
            .args(command)
            .arg(&bare)
            .args(["--at", "2024-01-01"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("bare.osh.pbf")
                && stderr.contains("carries no metadata")
                && !stderr.contains("osmium sort"),
            "{stderr}"
        );
    }
}
