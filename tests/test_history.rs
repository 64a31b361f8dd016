//! Counts through time: `camcount history`, `cameras --at` and `compare`,
//! checked object by object against osmium (`time-filter`,
//! `derive-changes`) followed by our plain count, on the real history
//! files of `history/` and on the history fixtures.

mod common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::{camcount, data_dir, extract, read_csv, stdout_of, Row, Workdir};

fn history_file(name: &str) -> PathBuf {
    data_dir().join("history").join(name)
}

/// `osmium time-filter FILE DATE -o OUT` (osmium-tool must be installed).
fn time_filter(input: &Path, date: &str, out: &Path) {
    // osmium reads only the full form.
    let date = match date.len() {
        10 => format!("{date}T00:00:00Z"),
        _ => date.to_string(),
    };
    let status = Process::new("osmium")
        .arg("time-filter")
        .arg(input)
        .arg(&date)
        .arg("-o")
        .arg(out)
        .arg("--overwrite")
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success(), "osmium time-filter {date}");
}

/// Camera ids (`node/1`) of a CSV from `camcount cameras`.
fn camera_ids(csv: &str) -> BTreeSet<String> {
    read_csv(csv)
        .iter()
        .map(|r| format!("{}/{}", r["osm_type"], r["osm_id"]))
        .collect()
}

/// Commune rows keyed by (admin_level, osm_id): (cameras, status).
fn commune_counts(rows: &[Row]) -> BTreeSet<(String, String, String, String)> {
    rows.iter()
        .map(|r| {
            (
                r["admin_level"].clone(),
                r["osm_id"].clone(),
                r["cameras"].clone(),
                r["status"].clone(),
            )
        })
        .collect()
}

/// At each date: `cameras --at` lists the ids osmium's state holds, and
/// `history --zones-each-date` counts per commune what the plain count
/// of osmium's state counts.
fn check_against_osmium(input: &Path, dates: &[&str], levels: &str) -> Vec<usize> {
    let wd = Workdir::new();
    let joined = dates.join(",");
    let history = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new(&joined),
        OsStr::new("--zones-each-date"),
        OsStr::new("--admin-level"),
        OsStr::new(levels),
    ]);
    let history = read_csv(&history);
    let mut sizes = Vec::new();
    for date in dates {
        let state = wd.path(&format!("state-{date}.osm.pbf"));
        time_filter(input, date, &state);
        let ours = stdout_of(&[
            OsStr::new("cameras"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new(date),
        ]);
        let theirs = stdout_of(&[OsStr::new("cameras"), state.as_os_str()]);
        assert_eq!(camera_ids(&ours), camera_ids(&theirs), "cameras at {date}");
        sizes.push(camera_ids(&ours).len());
        let plain = stdout_of(&[
            state.as_os_str(),
            OsStr::new("--admin-level"),
            OsStr::new(levels),
        ]);
        let day = &date[..10];
        let at_date: Vec<Row> = history
            .iter()
            .filter(|r| r["date"] == *day || r["date"] == *date)
            .cloned()
            .collect();
        assert_eq!(
            commune_counts(&at_date),
            commune_counts(&read_csv(&plain)),
            "communes at {date}"
        );
    }
    sizes
}

#[test]
fn monaco_through_time_equals_osmium_time_filter_object_by_object() {
    let sizes = check_against_osmium(
        &history_file("monaco-2021-2026.osh.pbf"),
        &["2019-01-01", "2021-04-22", "2024-01-01", "2026-07-11"],
        "8",
    );
    // PROVENANCE.md's reference counts (osmium time-filter + tags-filter).
    assert_eq!(sizes, [0, 11, 16, 32]);
}

#[test]
fn monaco_history_csv_has_added_and_removed_since_the_date_before() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let out = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2019-01-01,2021-04-22,2024-01-01,2026-07-11"),
    ]);
    assert!(out
        .starts_with("date,admin_level,osm_id,ref,name,population,cameras,added,removed,status\n"));
    let monaco: Vec<(String, String, String, String)> = read_csv(&out)
        .into_iter()
        .filter(|r| r["name"] == "Monaco")
        .map(|r| {
            (
                r["date"].clone(),
                r["cameras"].clone(),
                r["added"].clone(),
                r["removed"].clone(),
            )
        })
        .collect();
    let expected = [
        ("2019-01-01", "0", "", ""),
        ("2021-04-22", "9", "9", "0"),
        ("2024-01-01", "13", "4", "0"),
        ("2026-07-11", "29", "16", "0"),
    ];
    let expected: Vec<(String, String, String, String)> = expected
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string()))
        .collect();
    assert_eq!(monaco, expected);
}

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

/// A snapshot holds each object's newest version only: counted "at" an
/// earlier date it gave Monaco 7 cameras on 2020-01-01 where the history
/// file has none, with exit 0. Refused, with the remedies, and nothing
/// written.
#[test]
fn a_snapshot_is_no_history_file() {
    let wd = Workdir::new();
    let snapshot = extract("monaco-2026-07-10");
    let out = wd.path("at.csv");
    for command in ["history", "cameras"] {
        let output = camcount()
            .arg(command)
            .arg(&snapshot)
            .args(["--at", "2020-01-01", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("monaco-2026-07-10.osm.pbf: not a history file"),
            "{stderr}"
        );
        assert!(stderr.contains("camcount compare OLD NEW"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(!out.exists(), "{command} wrote an output");
    }
}

#[test]
fn plain_commands_on_a_history_file_say_they_count_the_newest_state() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let output = camcount().arg("cameras").arg(&input).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("counted the newest state"), "{stderr}");
    // The newest state is the 2026 extract's: the same 32 cameras, each
    // once, though the file holds several versions of many of them.
    let ids = |csv: &[u8]| {
        let mut ids: Vec<String> = String::from_utf8_lossy(csv)
            .lines()
            .skip(1)
            .map(|l| l.split(',').take(2).collect::<Vec<_>>().join("/"))
            .collect();
        ids.sort();
        ids
    };
    let newest = camcount()
        .arg("cameras")
        .arg(extract("monaco-2026-07-10"))
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(ids(&output.stdout).len(), 32);
    assert_eq!(ids(&output.stdout), ids(&newest.stdout));
}

/// Andorra's 2006-2017 history holds no camera, but communes whose
/// boundaries change: the zones built at each date, and their status,
/// are those of the plain count of osmium's state.
#[test]
fn andorra_boundaries_through_time_equal_osmium_time_filter() {
    let dates = [
        "2008-01-01",
        "2010-06-01",
        "2012-01-01",
        "2015-01-01",
        "2017-02-20",
    ];
    let sizes = check_against_osmium(&history_file("andorra-2017.osh.pbf"), &dates, "8");
    assert_eq!(sizes, [0, 0, 0, 0, 0]);
    let input = history_file("andorra-2017.osh.pbf");
    let out = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new(&dates.join(",")),
        OsStr::new("--zones-each-date"),
    ]);
    let ok_per_date: Vec<usize> = dates
        .iter()
        .map(|d| {
            read_csv(&out)
                .iter()
                .filter(|r| r["date"] == *d && r["status"] == "ok")
                .count()
        })
        .collect();
    // The boundaries change: more communes close as they are mapped.
    assert!(ok_per_date.first() < ok_per_date.last(), "{ok_per_date:?}");
}

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
        let ours = (
            sorted_ids(document["totals"]["added"].as_str().unwrap()),
            sorted_ids(document["totals"]["removed"].as_str().unwrap()),
        );
        let theirs = osmium_camera_changes(old, new, &wd);
        assert_eq!(ours, theirs, "{} → {}", old.display(), new.display());
        assert!(!ours.0.is_empty());
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

fn history_case(wd: &Workdir, name: &str) -> PathBuf {
    let path = wd.path(&format!("{name}.osh.pbf"));
    camcount::history::fixtures::write_history_case(name, &path).unwrap();
    path
}

/// `(date, ref, cameras, added, removed)` of a history CSV.
fn history_table(input: &Path, dates: &[&str], extra: &[&str]) -> Vec<[String; 5]> {
    let mut args: Vec<&OsStr> = vec![OsStr::new("history"), input.as_os_str(), OsStr::new("--at")];
    let joined = dates.join(",");
    args.push(OsStr::new(&joined));
    args.extend(extra.iter().map(OsStr::new));
    read_csv(&stdout_of(&args))
        .into_iter()
        .map(|r| {
            [
                r["date"].clone(),
                r["ref"].clone(),
                r["cameras"].clone(),
                r["added"].clone(),
                r["removed"].clone(),
            ]
        })
        .collect()
}

fn table(rows: &[(&str, &str, &str, &str, &str)]) -> Vec<[String; 5]> {
    rows.iter()
        .map(|r| [r.0, r.1, r.2, r.3, r.4].map(str::to_string))
        .collect()
}

#[test]
fn a_camera_added_moved_retagged_untagged_deleted_and_undeleted() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-camera-life");
    let dates = [
        "2019-06-01",
        "2020-03-01",
        "2020-09-01",
        "2021-03-01",
        "2021-09-01",
        "2022-06-01",
        "2023-06-01",
    ];
    let sizes = check_against_osmium(&input, &dates, "8");
    assert_eq!(sizes, [0, 1, 1, 1, 0, 0, 1]);
    let expected = table(&[
        ("2019-06-01", "00001", "0", "", ""),
        ("2019-06-01", "00002", "0", "", ""),
        ("2020-03-01", "00001", "1", "1", "0"),
        ("2020-03-01", "00002", "0", "0", "0"),
        // Moved: removed from A, added to B.
        ("2020-09-01", "00001", "0", "0", "1"),
        ("2020-09-01", "00002", "1", "1", "0"),
        // Retagged: still the same camera.
        ("2021-03-01", "00001", "0", "0", "0"),
        ("2021-03-01", "00002", "1", "0", "0"),
        // Untagged.
        ("2021-09-01", "00001", "0", "0", "0"),
        ("2021-09-01", "00002", "0", "0", "1"),
        // Deleted.
        ("2022-06-01", "00001", "0", "0", "0"),
        ("2022-06-01", "00002", "0", "0", "0"),
        // Undeleted, in A.
        ("2023-06-01", "00001", "1", "1", "0"),
        ("2023-06-01", "00002", "0", "0", "0"),
    ]);
    assert_eq!(history_table(&input, &dates, &[]), expected);
}

#[test]
fn a_way_camera_whose_nodes_move_changes_commune() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-way-camera-nodes-move");
    let dates = ["2019-01-01", "2020-06-01", "2021-06-01"];
    assert_eq!(check_against_osmium(&input, &dates, "8"), [0, 1, 1]);
    let expected = table(&[
        ("2019-01-01", "00001", "0", "", ""),
        ("2019-01-01", "00002", "0", "", ""),
        ("2020-06-01", "00001", "1", "1", "0"),
        ("2020-06-01", "00002", "0", "0", "0"),
        ("2021-06-01", "00001", "0", "0", "1"),
        ("2021-06-01", "00002", "1", "1", "0"),
    ]);
    assert_eq!(history_table(&input, &dates, &[]), expected);
}

#[test]
fn a_commune_whose_boundary_changes_counted_in_the_last_zones_or_each_dates() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-boundary-change");
    let dates = ["2020-06-01", "2021-06-01"];
    assert_eq!(check_against_osmium(&input, &dates, "8"), [1, 1]);
    // In the last date's zones, A held the camera all along.
    let last = table(&[
        ("2020-06-01", "00001", "1", "", ""),
        ("2021-06-01", "00001", "1", "0", "0"),
    ]);
    assert_eq!(history_table(&input, &dates, &[]), last);
    // In each date's own zones, A grew over it.
    let each = table(&[
        ("2020-06-01", "00001", "0", "", ""),
        ("2021-06-01", "00001", "1", "1", "0"),
    ]);
    assert_eq!(history_table(&input, &dates, &["--zones-each-date"]), each);
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
    }
}

#[test]
fn dates_before_the_first_and_after_the_last_object_are_documented_results() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let output = camcount()
        .arg("history")
        .arg(&input)
        .args(["--at", "1990-01-01,2030-01-01"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1990-01-01 is before the oldest object"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2030-01-01 is after the newest object"),
        "{stderr}"
    );
    let rows = read_csv(&String::from_utf8(output.stdout).unwrap());
    let monaco: Vec<&str> = rows
        .iter()
        .filter(|r| r["name"] == "Monaco")
        .map(|r| r["cameras"].as_str())
        .collect();
    // Nothing existed yet; then the newest state (29 in Monaco, as in 2026).
    assert_eq!(monaco, ["0", "29"]);
    // --every from after the last object has nothing to count: usage.
    let output = camcount()
        .arg("history")
        .arg(&input)
        .args(["--every", "year", "--from", "2030-01-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn every_year_runs_to_the_newest_object_and_wide_has_a_column_per_date() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let out = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--every"),
        OsStr::new("year"),
        OsStr::new("--from"),
        OsStr::new("2021-01-01"),
        OsStr::new("--wide"),
    ]);
    let header = out.lines().next().unwrap();
    assert_eq!(
        header,
        "admin_level,osm_id,ref,name,population,cameras_2021-01-01,cameras_2022-01-01,\
         cameras_2023-01-01,cameras_2024-01-01,cameras_2025-01-01,cameras_2026-01-01,\
         cameras_2026-07-10T20:21:01Z"
    );
    let md = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2019-01-01,2024-01-01,2026-07-11"),
        OsStr::new("-f"),
        OsStr::new("md"),
    ]);
    assert!(
        md.contains("- Monaco: 0 (2019-01-01) → 13 (2024-01-01) → 29 (2026-07-11)"),
        "{md}"
    );
    assert!(md.contains("- 2026-07-11: 32 cameras"), "{md}");
}

/// Versions of one object split over several blobs give the same counts:
/// the read keeps the runs at blob edges and decides after the stage.
#[test]
fn versions_split_over_blobs_count_the_same() {
    use camcount::history::fixtures::{history_case, write_history, HISTORY_CASES};
    use camcount::pbf::writer::WriterOptions;
    let wd = Workdir::new();
    let dates = [
        "2019-06-01",
        "2020-03-01",
        "2020-09-01",
        "2021-03-01",
        "2021-09-01",
        "2022-06-01",
        "2023-06-01",
    ];
    for name in HISTORY_CASES {
        let elements = history_case(name).unwrap();
        let mut tables = Vec::new();
        for block_size in [8000, 1, 2, 3] {
            let path = wd.path(&format!("{name}-{block_size}.osh.pbf"));
            let options = WriterOptions {
                block_size,
                ..WriterOptions::default()
            };
            write_history(&elements, &path, options).unwrap();
            tables.push(history_table(&path, &dates, &["--zones-each-date"]));
        }
        assert!(
            tables.windows(2).all(|w| w[0] == w[1]),
            "{name}: {tables:?}"
        );
    }
}

/// A camera untagged in a version that opens the next blob, followed by
/// another object: that version alone says the camera is gone.
#[test]
fn an_untagging_version_at_the_start_of_a_blob_is_seen() {
    use camcount::fixtures::node;
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::{OsmElement, OsmMeta};
    let v = |id: i64, version: i32, date: &str, tags: &[(&str, &str)]| {
        let OsmElement::Node(mut n) = node(id, 1.0, 1.0, tags) else {
            unreachable!()
        };
        n.meta = Some(OsmMeta {
            version,
            timestamp: camcount::history::parse_date(date).unwrap(),
            ..OsmMeta::default()
        });
        OsmElement::Node(n)
    };
    let camera = [("man_made", "surveillance")];
    let elements = [
        v(1, 1, "2020-01-01", &camera),
        v(1, 2, "2020-06-01", &camera),
        v(1, 3, "2021-01-01", &[]),
        v(2, 1, "2020-01-01", &camera),
    ];
    let wd = Workdir::new();
    for block_size in [8000, 2] {
        let path = wd.path(&format!("untag-{block_size}.osh.pbf"));
        let options = WriterOptions {
            block_size,
            ..WriterOptions::default()
        };
        camcount::history::fixtures::write_history(&elements, &path, options).unwrap();
        let listed = |date: &str| {
            camera_ids(&stdout_of(&[
                OsStr::new("cameras"),
                path.as_os_str(),
                OsStr::new("--at"),
                OsStr::new(date),
            ]))
        };
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(listed("2020-07-01"), ids(&["node/1", "node/2"]));
        assert_eq!(
            listed("2021-06-01"),
            ids(&["node/2"]),
            "blocks of {block_size}"
        );
    }
}

/// `--boundaries` and `--population` work as in the count: at the last
/// date, the counts per commune code are those of the plain count of
/// osmium's state in the same GeoJSON.
#[test]
fn history_takes_the_counts_boundaries_and_population() {
    let wd = Workdir::new();
    let input = history_file("monaco-2021-2026.osh.pbf");
    let geojson = data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    let population = data_dir().join("population/communes-2026-pmun2023.csv");
    let side = [
        OsStr::new("--boundaries"),
        geojson.as_os_str(),
        OsStr::new("--population"),
        population.as_os_str(),
    ];
    let mut args = vec![
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2021-04-22,2026-07-11"),
    ];
    args.extend(side);
    let history = read_csv(&stdout_of(&args));
    let state = wd.path("state.osm.pbf");
    time_filter(&input, "2026-07-11", &state);
    let mut args = vec![state.as_os_str()];
    args.extend(side);
    let plain = read_csv(&stdout_of(&args));
    let key = |r: &Row| {
        (
            r["ref"].clone(),
            r["population"].clone(),
            r["cameras"].clone(),
        )
    };
    let ours: BTreeSet<_> = history
        .iter()
        .filter(|r| r["date"] == "2026-07-11")
        .map(key)
        .collect();
    let theirs: BTreeSet<_> = plain.iter().map(key).collect();
    assert_eq!(ours, theirs);
    let with_cameras: Vec<_> = history
        .iter()
        .filter(|r| r["cameras"] != "0")
        .map(|r| (r["date"].as_str(), r["ref"].as_str(), r["cameras"].as_str()))
        .collect();
    assert_eq!(
        with_cameras,
        [
            ("2021-04-22", "06032", "1"),
            ("2026-07-11", "06012", "1"),
            ("2026-07-11", "06032", "1")
        ]
    );
}

#[test]
fn a_rollup_through_time_has_a_row_per_date_and_group() {
    let wd = Workdir::new();
    let input = history_file("monaco-2021-2026.osh.pbf");
    let rollup = wd.path("rollup.csv");
    stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2021-04-22,2026-07-11"),
        OsStr::new("--rollup"),
        OsStr::new("departement"),
        OsStr::new("--rollup-output"),
        rollup.as_os_str(),
    ]);
    let rows = read_csv(&std::fs::read_to_string(&rollup).unwrap());
    let cells: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["date"].as_str(),
                r["group"].as_str(),
                r["cameras"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("2021-04-22", "", "9"),
            ("2021-04-22", "06", ""),
            ("2026-07-11", "", "29"),
            ("2026-07-11", "06", "")
        ]
    );
    // Without a file for it, the rollup is a usage error (JSON includes it).
    let output = camcount()
        .arg("history")
        .arg(&input)
        .args(["--at", "2021-04-22", "--rollup", "departement"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// A deleted version that kept its tags (`visible=false`; some history
/// tools write them so) is no camera, in the plain commands as at a date:
/// counting it would print a camera that is gone. Nodes go through the
/// dense bulk path and, with one node a block, the visitor too.
#[test]
fn a_deleted_version_that_kept_its_tags_is_no_camera() {
    use camcount::fixtures::{node, relation, way};
    use camcount::history::fixtures::versioned;
    use camcount::pbf::block::ElementType;
    use camcount::pbf::writer::WriterOptions;
    let camera = [("man_made", "surveillance")];
    let elements = [
        versioned(node(1, 1.0, 1.0, &camera), 1, "2020-01-01", false),
        versioned(node(1, 1.0, 1.0, &camera), 2, "2021-01-01", true),
        versioned(node(2, 1.1, 1.0, &camera), 1, "2020-01-01", false),
        versioned(node(3, 1.2, 1.0, &[]), 1, "2020-01-01", false),
        versioned(node(4, 1.3, 1.0, &[]), 1, "2020-01-01", false),
        versioned(node(5, 1.3, 1.1, &[]), 1, "2020-01-01", false),
        versioned(way(10, &[3, 4, 5, 3], &camera), 1, "2020-01-01", false),
        versioned(way(10, &[3, 4, 5, 3], &camera), 2, "2021-01-01", true),
        versioned(
            relation(20, &[(ElementType::Node, 2, "")], &camera),
            1,
            "2020-01-01",
            false,
        ),
        versioned(
            relation(20, &[(ElementType::Node, 2, "")], &camera),
            2,
            "2021-01-01",
            true,
        ),
    ];
    let wd = Workdir::new();
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    for block_size in [8000, 1] {
        let path = wd.path(&format!("deleted-{block_size}.osh.pbf"));
        let options = WriterOptions {
            block_size,
            ..WriterOptions::default()
        };
        camcount::history::fixtures::write_history(&elements, &path, options).unwrap();
        let listed = |extra: &[&str]| {
            let mut args = vec![OsStr::new("cameras"), path.as_os_str()];
            args.extend(extra.iter().map(OsStr::new));
            camera_ids(&stdout_of(&args))
        };
        let before = ids(&["node/1", "node/2", "way/10", "relation/20"]);
        assert_eq!(
            listed(&["--at", "2020-06-01"]),
            before,
            "blocks of {block_size}"
        );
        assert_eq!(
            listed(&["--at", "2021-06-01"]),
            ids(&["node/2"]),
            "blocks of {block_size}"
        );
        assert_eq!(
            listed(&[]),
            ids(&["node/2"]),
            "newest state, blocks of {block_size}"
        );
    }
}
