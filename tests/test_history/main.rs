//! Counts through time: `camcount history`, `cameras --at` and `compare`,
//! checked object by object against osmium (`time-filter`,
//! `derive-changes`) followed by our plain count, on the real history
//! files of `history/` and on the history fixtures.
//!
//! One test binary; this file holds the helpers its modules share.

#[path = "../common/mod.rs"]
mod common;

mod compare;
mod fixtures;
mod real_files;
mod refusals;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::{camcount, data_dir, read_csv, stdout_of, Row, Workdir};

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
    // One run a date: a date after the file's data is labelled with the
    // day the data reach, so rows are not matched by their label.
    // A state that holds no zone of the levels is no count (exit 1).
    let table = |args: &[&OsStr]| {
        let output = camcount().args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => Some(read_csv(&String::from_utf8(output.stdout).unwrap())),
            Some(1) if stderr.contains("holds no boundary relation of admin_level") => None,
            _ => panic!("camcount {args:?} failed: {stderr}"),
        }
    };
    let history_at = |date: &str| {
        table(&[
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new(date),
            OsStr::new("--zones-each-date"),
            OsStr::new("--admin-level"),
            OsStr::new(levels),
        ])
    };
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
        let plain = table(&[
            state.as_os_str(),
            OsStr::new("--admin-level"),
            OsStr::new(levels),
        ]);
        // A state without zones is refused by both.
        assert_eq!(
            history_at(date).as_deref().map(commune_counts),
            plain.as_deref().map(commune_counts),
            "communes at {date}"
        );
    }
    sizes
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

/// The `(date, ref, cameras, added, removed)` rows, in the CSV's order,
/// from each commune's series: `(ref, cameras, added, removed)`, each a
/// space-separated value per date, `-` where the CSV leaves it empty.
fn series(dates: &[&str], communes: &[(&str, &str, &str, &str)]) -> Vec<[String; 5]> {
    let split = |values: &str| -> Vec<String> {
        let values: Vec<String> = (values.split(' '))
            .map(|v| {
                if v == "-" {
                    String::new()
                } else {
                    v.to_string()
                }
            })
            .collect();
        assert_eq!(values.len(), dates.len(), "one value per date: {values:?}");
        values
    };
    let columns: Vec<[Vec<String>; 3]> = (communes.iter())
        .map(|c| [split(c.1), split(c.2), split(c.3)])
        .collect();
    let mut rows = Vec::new();
    for (d, date) in dates.iter().enumerate() {
        for (commune, [cameras, added, removed]) in communes.iter().zip(&columns) {
            rows.push([
                date.to_string(),
                commune.0.to_string(),
                cameras[d].clone(),
                added[d].clone(),
                removed[d].clone(),
            ]);
        }
    }
    rows
}
