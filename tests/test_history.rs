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

#[test]
fn plain_commands_on_a_history_file_say_they_count_the_newest_state() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let output = camcount().arg("cameras").arg(&input).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("counted the newest state"), "{stderr}");
    let _ = extract;
}
