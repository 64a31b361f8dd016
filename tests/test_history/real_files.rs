//! `history`, `cameras --at` and the plain commands on the real history
//! files of `history/` (Monaco 2021-2026, Andorra 2006-2017): equal to
//! osmium's `time-filter` state, with added and removed cameras, dates
//! outside the file, `--every`, `--wide`, Markdown, `--boundaries`,
//! `--population` and rollups.

use std::collections::BTreeSet;
use std::ffi::OsStr;

use crate::common::{camcount, data_dir, extract, read_csv, stdout_of, Row, Workdir};
use crate::{check_against_osmium, history_file, time_filter};

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
    // Many such dates, one line (found 2026-12-05: one a month, 1,287).
    let wd = Workdir::new();
    let monthly = camcount()
        .arg("history")
        .arg(&input)
        .args(["--every", "month", "--from", "1900-01-01", "-o"])
        .arg(wd.path("monthly.csv"))
        .output()
        .unwrap();
    assert!(monthly.status.success());
    let monthly = String::from_utf8_lossy(&monthly.stderr);
    let early: Vec<&str> = (monthly.lines())
        .filter(|l| l.contains("before the oldest object"))
        .collect();
    assert_eq!(
        early,
        [
            "camcount: warning: 1284 dates, 1900-01-01 to 2006-12-01, are before the oldest \
          object of the file (2006-12-29T12:52:42Z): nothing existed yet, every count is 0"
        ]
    );
    assert!(
        stderr.contains(
            "2030-01-01 is after the file's data (newest object 2026-07-10T20:21:01Z): \
             counted and labelled as 2026-07-11"
        ),
        "{stderr}"
    );
    let rows = read_csv(&String::from_utf8(output.stdout).unwrap());
    let monaco: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| r["name"] == "Monaco")
        .map(|r| (r["date"].as_str(), r["cameras"].as_str()))
        .collect();
    // Nothing existed yet; then the newest state (29 in Monaco, as in
    // 2026), labelled with the day the data reach, never with 2030.
    assert_eq!(monaco, [("1990-01-01", "0"), ("2026-07-11", "29")]);
    // Regression: the wide table's column and the Markdown's sentence
    // carried 2030-01-01, a date the file knows nothing of.
    for (format, wanted) in [
        ("--wide", "cameras_2026-07-11"),
        ("-fmd", "29 (2026-07-11)"),
    ] {
        let output = camcount()
            .arg("history")
            .arg(&input)
            .args(["--at", "2024-01-01,2027-01-01,2030-01-01", format])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains(wanted), "{format}: {text}");
        assert!(
            !text.contains("2030") && !text.contains("2027"),
            "{format}: {text}"
        );
    }
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
         cameras_2026-07-10T20:21:01Z,status"
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
    // Neither file states a bounding box: each is checked against the box
    // around its own nodes and the cells that hold them, and the history's
    // hold every version's, so it counts every zone the snapshot counts,
    // and maybe more.
    let key = |r: &Row| {
        (
            r["ref"].clone(),
            r["population"].clone(),
            r["cameras"].clone(),
        )
    };
    let counted = |r: &&Row| !r["cameras"].is_empty();
    let ours: BTreeSet<_> = history
        .iter()
        .filter(|r| r["date"] == "2026-07-11")
        .filter(counted)
        .map(key)
        .collect();
    let theirs: BTreeSet<_> = plain.iter().filter(counted).map(key).collect();
    assert!(theirs.len() >= 4, "{theirs:?}");
    assert!(theirs.is_subset(&ours), "{theirs:?} not in {ours:?}");
    let with_cameras: Vec<_> = history
        .iter()
        .filter(|r| !["0", ""].contains(&r["cameras"].as_str()))
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
    // Beausoleil reads ok here where the count of the 2026 snapshot, which
    // states a box, says partial: the report says why (regression,
    // 2026-12-05).
    let mut args = vec![
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2021-04-22,2026-07-11"),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("-q"),
    ];
    args.extend(side);
    let md = stdout_of(&args);
    assert!(
        md.contains("- Note: monaco-2021-2026.osh.pbf states no bounding box: the zones were checked against the box around its nodes"),
        "{md}"
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

/// Regression: a zone partly beyond the file's data read "Monaco: 0 → 11
/// → 32" in the report and showed no status in the wide table, as if
/// counted whole.
#[test]
fn a_zone_partly_beyond_the_data_says_its_counts_are_floors() {
    let wd = Workdir::new();
    // Monaco and the sea east of it, far past the file's nodes.
    let zone = wd.write(
        "zone.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"M","nom":"Monaco and sea"},"geometry":{"type":"Polygon","coordinates":[[[7.40,43.72],[7.80,43.72],[7.80,43.76],[7.40,43.76],[7.40,43.72]]]}}]}"#,
    );
    let input = history_file("monaco-2021-2026.osh.pbf");
    let run = |extra: &[&str]| {
        let mut args = vec![
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new("2021-04-22,2026-07-11"),
            OsStr::new("--boundaries"),
            zone.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        stdout_of(&args)
    };
    let report = run(&["-f", "md"]);
    assert!(
        report.contains("- Monaco and sea: 11 (2021-04-22) → 32 (2026-07-11) (counts are floors: the file holds only part of it)"),
        "{report}"
    );
    let wide = read_csv(&run(&["--wide"]));
    assert_eq!(wide.len(), 1);
    assert_eq!(wide[0]["status"], "partial");
    assert_eq!(wide[0]["cameras_2026-07-11"], "32");
}

/// Regression: with zones of each date, the wide table gave Monaco the
/// population of its first date (35,881 in 2021) beside its 2026 count;
/// it now gives the newest (39,050), as the long table does at that date.
#[test]
fn the_wide_table_gives_the_newest_population() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let args = |wide: bool| {
        let mut args = vec![
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new("2021-04-22,2026-07-11"),
            OsStr::new("--zones-each-date"),
        ];
        if wide {
            args.push(OsStr::new("--wide"));
        }
        read_csv(&stdout_of(&args))
    };
    let long = args(false);
    let populations: Vec<&str> = (long.iter())
        .filter(|r| r["osm_id"] == "2220322")
        .map(|r| r["population"].as_str())
        .collect();
    assert_eq!(populations, ["35881", "39050"]);
    let wide = args(true);
    let monaco = wide.iter().find(|r| r["osm_id"] == "2220322").unwrap();
    assert_eq!(monaco["population"], "39050");
}

/// Regression (2026-12-05): with zones of each date's own, Monaco (not
/// built at 2024-01-01: 3 of its 26 member ways missing then) read "29
/// added" at 2026-07-10, as if none of its cameras had been there; 13
/// were. A zone not counted the date before has no added or removed
/// figure, and the report says why cameras in it count as outside.
#[test]
fn a_zone_not_built_the_date_before_has_no_added_figure() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let run = |format: &str| {
        stdout_of(&[
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new("2024-01-01,2026-07-10"),
            OsStr::new("--zones-each-date"),
            OsStr::new("-f"),
            OsStr::new(format),
        ])
    };
    let rows = read_csv(&run("csv"));
    let monaco: Vec<(&str, &str, &str, &str, &str)> = (rows.iter())
        .filter(|r| r["name"] == "Monaco")
        .map(|r| {
            let f = |k: &str| r[k].as_str();
            (
                f("date"),
                f("cameras"),
                f("added"),
                f("removed"),
                f("status"),
            )
        })
        .collect();
    assert_eq!(
        monaco,
        [
            ("2024-01-01", "", "", "", "incomplete"),
            ("2026-07-10", "29", "", "", "ok"),
        ]
    );
    let report = run("md");
    assert!(
        report.contains(
            "2024-01-01: 16 cameras (0 inside admin_level 8 zones, 16 outside; \
             5 zones could not be built: cameras in them count as outside)"
        ),
        "{report}"
    );
}

/// Regression (2026-12-05): `cameras --at` said its date came from a
/// "header replication timestamp" the history file does not have.
#[test]
fn cameras_at_a_date_name_where_their_date_comes_from() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let metadata = |at: &str| {
        let out = stdout_of(&[
            OsStr::new("cameras"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new(at),
            OsStr::new("-f"),
            OsStr::new("json"),
        ]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        let m = &json["metadata"];
        (
            m["data_date"].as_str().unwrap().to_string(),
            m["data_date_source"].as_str().unwrap().to_string(),
        )
    };
    assert_eq!(
        metadata("2024-01-01"),
        (
            "2024-01-01".into(),
            "--at date (the history file's state then)".into()
        )
    );
    // After the file's data: its newest state, dated the day the data
    // reach, as `history` labels it (the newest object's day, 2026-07-10,
    // also labelled the different state at 2026-07-10 00:00).
    assert_eq!(
        metadata("2030-01-01"),
        (
            "2026-07-11".into(),
            "the day the history file's data reach (the --at date is past them: its newest state)"
                .into()
        )
    );
}

/// Monaco's history file, built from two snapshots, holds three cameras
/// from their version 2 only: before their first version here they count
/// nowhere, and nothing said so. The real full-history file of 2017 holds
/// every camera from version 1, and no warning.
#[test]
fn cameras_without_their_first_versions_are_warned_of() {
    let warning = |name: &str| {
        let output = camcount()
            .arg("history")
            .arg(history_file(name))
            .args(["--at", "2020-01-01,2026-07-11"])
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .find(|l| l.contains("at a later version than 1"))
            .map(str::to_string)
    };
    // The outputs carry it too, not stderr alone (regression, 2026-12-05).
    let md = stdout_of(&[
        OsStr::new("history"),
        history_file("monaco-2021-2026.osh.pbf").as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2020-01-01,2026-07-11"),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("-q"),
    ]);
    assert!(
        md.contains(
            "- Note: 3 cameras of monaco-2021-2026.osh.pbf start at a later version than 1"
        ),
        "{md}"
    );
    // The file states no box: its `ok` communes are not checked against
    // it, which the report says, not stderr alone (regression, 2026-12-05).
    assert!(
        md.contains("- Note: monaco-2021-2026.osh.pbf states no bounding box: its boundary relations were not checked"),
        "{md}"
    );
    // Monaco's 2026 tag (39,050) stands beside its 2020 cameras: said
    // (regression, 2026-12-05).
    assert!(
        md.contains("- Note: Populations are the OSM tags of the boundaries of the last date, 2026-07-11, at every date"),
        "{md}"
    );
    let monaco = warning("monaco-2021-2026.osh.pbf").expect("a warning");
    assert!(
        monaco.contains("3 cameras of monaco-2021-2026.osh.pbf")
            && monaco.contains("node/11148498511 at version 2, 2023-08-27"),
        "{monaco}"
    );
    // To the second: `cameras --at 2026-04-27T07:31:50Z` misses the last
    // of them, which "before 2026-04-27" did not say (regression,
    // 2026-12-05).
    assert!(
        monaco.contains("counts before 2026-04-27T07:31:54Z may miss them"),
        "{monaco}"
    );
    assert_eq!(warning("andorra-2017.osh.pbf"), None);
}

/// `cameras --at` before those three cameras' first version here lists
/// 11 of them and said nothing of what the file lacks; its JSON carries
/// the note now (regression, 2026-12-05).
#[test]
fn a_camera_list_at_a_date_carries_the_late_versions_note() {
    let json = stdout_of(&[
        OsStr::new("cameras"),
        history_file("monaco-2021-2026.osh.pbf").as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2021-04-22"),
        OsStr::new("-f"),
        OsStr::new("json"),
        OsStr::new("-q"),
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["cameras"].as_array().unwrap().len(), 11);
    let notes = value["metadata"]["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0]
            .as_str()
            .unwrap()
            .starts_with("3 cameras of monaco-2021-2026.osh.pbf start at a later version than 1"),
        "{notes:?}"
    );
}

/// `cameras --at` with a time of day lists the state then, and labels it
/// with that time: the lists at 00:00, 16:07:12 and 16:30:56 on 2023-08-27
/// (12, 14 and 16 cameras) were all labelled "2023-08-27" (found
/// 2026-12-05).
#[test]
fn a_list_at_a_time_of_day_is_labelled_with_it() {
    let list = |at: &str| {
        read_csv(&stdout_of(&[
            OsStr::new("cameras"),
            history_file("monaco-2021-2026.osh.pbf").as_os_str(),
            OsStr::new("--at"),
            OsStr::new(at),
            OsStr::new("-q"),
        ]))
    };
    let midnight = list("2023-08-27");
    let afternoon = list("2023-08-27T16:07:12Z");
    assert!(
        midnight.len() < afternoon.len(),
        "{} {}",
        midnight.len(),
        afternoon.len()
    );
    assert!(midnight.iter().all(|r| r["data_date"] == "2023-08-27"));
    assert!(afternoon
        .iter()
        .all(|r| r["data_date"] == "2023-08-27T16:07:12Z"));
}

/// At 2021-04-22 none of Monaco's 5 communes can be built from the
/// history: "No zone held a camera at any of these dates" read as Monaco
/// having none (found 2026-12-05). The report names them and why; and
/// its sources read as words, not a bare "osm".
#[test]
fn a_history_whose_zones_could_not_be_built_says_so_not_no_camera() {
    let md = stdout_of(&[
        OsStr::new("history"),
        history_file("monaco-2021-2026.osh.pbf").as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2019-06-01,2021-04-22"),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("-q"),
    ]);
    assert!(!md.contains("No zone held a camera"), "{md}");
    assert!(
        md.contains("No zone could be counted at any of these dates, so nothing is known of their cameras: 5 zones: Monaco (incomplete), Beausoleil (incomplete)"),
        "{md}"
    );
    assert!(
        md.contains("- Boundaries: OpenStreetMap boundary relations\n"),
        "{md}"
    );
}

/// Regression (2026-12-05): `cameras --at` labelled a state after the
/// newest object with the file's date: Monaco at 2026-07-11 read
/// 2026-07-10, where `history` labels the same state 2026-07-11, and two
/// different lists could carry one date. The rows carry the date counted,
/// a date past the data the day the data reach, as `history` has it.
#[test]
fn cameras_at_a_date_is_labelled_as_history_labels_it() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    for (at, label) in [
        ("2024-01-01", "2024-01-01"),
        ("2026-07-11", "2026-07-11"),
        ("2030-01-01", "2026-07-11"),
    ] {
        let csv = stdout_of(&[
            OsStr::new("cameras"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new(at),
            OsStr::new("-q"),
        ]);
        let rows = read_csv(&csv);
        assert!(!rows.is_empty(), "{at}");
        assert!(rows.iter().all(|r| r["data_date"] == label), "{at}: {csv}");
        let history = stdout_of(&[
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new(at),
            OsStr::new("-q"),
        ]);
        assert!(
            read_csv(&history).iter().all(|r| r["date"] == label),
            "{history}"
        );
    }
}

/// Regression (2026-12-06): with zones of each date's own, a relation
/// whose `ref` was added between two dates became two zones: each of
/// Andorra's seven parishes got `ref` in November 2014, and read as a zone
/// "absent" in 2016 beside a new one with no count in 2014. A relation is
/// one zone through time, shown with its newest code.
#[test]
fn a_relation_whose_code_changes_stays_one_zone() {
    let input = history_file("andorra-2017.osh.pbf");
    let run = |wide: bool| {
        let mut args = vec![
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new("2014-03-01,2016-01-01"),
            OsStr::new("--zones-each-date"),
            OsStr::new("--admin-level"),
            OsStr::new("7"),
        ];
        if wide {
            args.push(OsStr::new("--wide"));
        }
        read_csv(&stdout_of(&args))
    };
    let long = run(false);
    let canillo: Vec<(&str, &str, &str, &str)> = (long.iter())
        .filter(|r| r["osm_id"] == "2804754")
        .map(|r| {
            let f = |k: &str| r[k].as_str();
            (f("date"), f("ref"), f("added"), f("status"))
        })
        .collect();
    // The code as each date gave it; the second date compared with the
    // first (nothing added, the zone the same).
    assert_eq!(
        canillo,
        [("2014-03-01", "", "", "ok"), ("2016-01-01", "1", "0", "ok")]
    );
    let wide = run(true);
    let parishes: Vec<&Row> = wide.iter().filter(|r| r["status"] == "ok").collect();
    assert_eq!(parishes.len(), 7, "{wide:?}");
    for parish in parishes {
        assert!(!parish["ref"].is_empty(), "{parish:?}");
        assert_eq!(parish["cameras_2014-03-01"], "0", "{parish:?}");
    }
    assert!(wide.iter().all(|r| r["status"] != "absent"), "{wide:?}");
}

/// Regression (2026-12-06): with `--population`, Monaco, which the INSEE
/// file does not list, kept its OSM tag (39,050) and `history` and
/// `compare` credited its rate to the file: their sources named the file
/// alone. Their notes now name the zones whose population is the tag, as
/// the count's `population_source` column does.
#[test]
fn history_and_compare_name_the_zones_whose_population_is_the_osm_tag() {
    let population = data_dir().join("population/communes-2026-pmun2023.csv");
    let notes_of = |args: &[&OsStr]| -> Vec<String> {
        let mut all = args.to_vec();
        all.extend([
            OsStr::new("--population"),
            population.as_os_str(),
            OsStr::new("-f"),
            OsStr::new("json"),
            OsStr::new("-q"),
        ]);
        let json: serde_json::Value = serde_json::from_str(&stdout_of(&all)).unwrap();
        (json["metadata"]["notes"].as_array().unwrap().iter())
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let tag_note = |notes: &[String]| {
        notes.iter().any(|n| {
            n.contains("1 zone takes its population from the OSM tag") && n.ends_with(": Monaco.")
        })
    };
    let history = history_file("monaco-2021-2026.osh.pbf");
    let notes = notes_of(&[
        OsStr::new("history"),
        history.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2021-04-22,2026-07-11"),
    ]);
    assert!(tag_note(&notes), "{notes:?}");
    let (old, new) = (extract("monaco-2021-04-21"), extract("monaco-2026-07-10"));
    let notes = notes_of(&[OsStr::new("compare"), old.as_os_str(), new.as_os_str()]);
    assert!(tag_note(&notes), "{notes:?}");
}

/// Regression (2026-12-06): with two levels, the report said "Monaco: 9
/// (2021-04-22) → 29 (2026-07-11)" twice, the commune and the country
/// alike; each sentence now names its level.
#[test]
fn history_sentences_name_their_level_when_there_are_several() {
    let input = history_file("monaco-2021-2026.osh.pbf");
    let md = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2021-04-22,2026-07-11"),
        OsStr::new("--admin-level"),
        OsStr::new("8,2"),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("-q"),
    ]);
    for level in ["2", "8"] {
        let sentence = format!("- Monaco (admin_level {level}): 9 (2021-04-22) → 29 (2026-07-11)");
        assert!(md.contains(&sentence), "{md}");
    }
}

/// The dates are counted side by side: with one worker or three, each
/// date's rows are the same and come in date order, for the last date's
/// zones, each date's own, and the wide form.
#[test]
fn every_quarter_is_the_same_whatever_the_threads() {
    for name in ["monaco-2021-2026.osh.pbf", "andorra-2017.osh.pbf"] {
        let input = history_file(name);
        for extra in [&[][..], &["--zones-each-date"][..], &["--wide"][..]] {
            let run = |threads: &str| {
                let mut args = vec![
                    OsStr::new("history"),
                    input.as_os_str(),
                    OsStr::new("--every"),
                    OsStr::new("quarter"),
                    OsStr::new("--from"),
                    OsStr::new("2010-01-01"),
                    OsStr::new("-q"),
                    OsStr::new("-j"),
                    OsStr::new(threads),
                ];
                args.extend(extra.iter().map(OsStr::new));
                stdout_of(&args)
            };
            let one = run("1");
            assert_eq!(one, run("3"), "{name} {extra:?}");
            if extra.is_empty() {
                let dates: Vec<String> = read_csv(&one).iter().map(|r| r["date"].clone()).collect();
                assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{name}: {dates:?}");
                let distinct: BTreeSet<&String> = dates.iter().collect();
                assert!(distinct.len() > 20, "{name}: {} dates", distinct.len());
            }
        }
    }
}

/// Regression (2026-12-07): `history` writes the state at each date to a
/// temporary file, and an interrupted run left them in the temporary
/// folder (2 of 3 SIGINTs). They are removed as the outputs are. The run
/// is stopped (SIGSTOP) with a state file present, then sent the signal
/// and continued, so the signal comes while that file is being used.
#[cfg(unix)]
#[test]
fn an_interrupted_history_leaves_no_state_file() {
    let wd = Workdir::new();
    let tmp = wd.path("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let states = || -> Vec<String> {
        (std::fs::read_dir(&tmp).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("camcount-state-"))
            .collect()
    };
    let kill = |signal: &str, pid: u32| {
        let sent = std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(pid.to_string())
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal}");
    };
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("camcount"))
            .env("TMPDIR", &tmp)
            .args(["history", "--every", "month", "--from", "1900-01-01"])
            .args(["--threads", "1", "-q", "-o"])
            .arg(wd.path("months.csv"))
            .arg(history_file("monaco-2021-2026.osh.pbf"))
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        loop {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the run ended before it was stopped with a state file"
            );
            assert!(started.elapsed().as_secs() < 60, "no state file seen");
            if states().is_empty() {
                std::thread::sleep(std::time::Duration::from_millis(1));
                continue;
            }
            kill("STOP", child.id());
            if !states().is_empty() {
                break;
            }
            kill("CONT", child.id());
        }
        kill(signal, child.id());
        kill("CONT", child.id());
        assert_eq!(child.wait().unwrap().code(), Some(code), "SIG{signal}");
        assert_eq!(states(), Vec::<String>::new(), "SIG{signal}");
        assert!(!wd.path("months.csv").exists());
    }
}
