//! The formats of counts through time beyond CSV and JSON: `history -f
//! html, svg, md, geojson, xlsx` and `compare -f md, html`. Snapshots on
//! the history fixtures (stable order, no time of the run in the body),
//! the charts parsed as XML, and the figures on Monaco's real history;
//! in French, and with the map options, in [`lang`].

mod common;
#[path = "test_history_formats/lang.rs"]
mod lang;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{camcount, data_dir, stdout_of, Workdir};

const LIFE_DATES: &str =
    "2019-06-01,2020-03-01,2020-09-01,2021-03-01,2021-09-01,2022-06-01,2023-06-01";

fn history_case(wd: &Workdir, name: &str) -> PathBuf {
    let path = wd.path(&format!("{name}.osh.pbf"));
    camcount::history::fixtures::write_history_case(name, &path).unwrap();
    path
}

/// `camcount history INPUT --at DATES -q ARGS`: stdout.
fn history(input: &Path, dates: &str, args: &[&str]) -> String {
    let at = format!("--at={dates}");
    let head = [OsStr::new("history"), input.as_os_str(), OsStr::new(&at)];
    let all: Vec<&OsStr> = head
        .into_iter()
        .chain(args.iter().map(OsStr::new))
        .chain([OsStr::new("-q")])
        .collect();
    stdout_of(&all)
}

/// The camera's life at every date of [`LIFE_DATES`], written with `ARGS
/// -o FILE`: the file's text.
fn life(args: &[&str]) -> String {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-camera-life");
    history_to_file(&wd, &input, LIFE_DATES, args, "life.out")
}

/// The same, written to `file` with `-o`: the file's text.
fn history_to_file(wd: &Workdir, input: &Path, dates: &str, args: &[&str], file: &str) -> String {
    let out = wd.path(file);
    let mut all = args.to_vec();
    all.extend(["-o", out.to_str().unwrap()]);
    history(input, dates, &all);
    std::fs::read_to_string(&out).unwrap()
}

/// `camcount ARGS` must be a usage error (exit 2); its stderr.
fn usage_error(args: &[&OsStr]) -> String {
    let output = camcount().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `camcount history INPUT --at DATES ARGS` must be a usage error: its
/// stderr.
fn history_refused(input: &Path, dates: &str, args: &[&str]) -> String {
    let mut all = vec![
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new(dates),
    ];
    all.extend(args.iter().map(OsStr::new));
    usage_error(&all)
}

/// `data-value` of each point of the chart `id` of an SVG, per series.
fn chart_points(svg: &str, id: &str) -> Vec<(String, Vec<u64>)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let chart = doc
        .descendants()
        .find(|n| n.has_tag_name("svg") && n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("a chart {id}"));
    chart
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .map(|series| {
            let values = series
                .descendants()
                .filter(|n| n.attribute("class") == Some("point"))
                .map(|p| p.attribute("data-value").unwrap().parse().unwrap())
                .collect();
            (series.attribute("data-label").unwrap().to_string(), values)
        })
        .collect()
}

#[test]
fn history_html_snapshot_of_a_fixture_with_a_rollup() {
    let html = life(&["-f", "html", "--rollup", "departement"]);
    for needle in ["src=", "href=", "@import", "<link"] {
        assert!(
            !html.contains(needle),
            "the page refers outside itself: {needle}"
        );
    }
    assert!(html.contains("id=\"chart-total\"") && html.contains("id=\"chart-growth\""));
    assert!(html.contains("© OpenStreetMap contributors"));
    insta::assert_snapshot!(html);
}

#[test]
fn history_svg_has_both_charts_placed_by_date_and_parses_as_xml() {
    let svg = life(&["-f", "svg"]);
    assert_eq!(
        chart_points(&svg, "chart-total"),
        [("All cameras".to_string(), vec![0, 1, 1, 1, 0, 0, 1])]
    );
    // A (00001) ends as it began, 0 → 1 from first to last: it grew;
    // B (00002) ends at 0: it did not.
    assert_eq!(
        chart_points(&svg, "chart-growth"),
        [("A (00001)".to_string(), vec![0, 1, 0, 0, 0, 0, 1])]
    );
    // Time, not rank: the gap of nine months (2019-06 → 2020-03) is
    // wider than that of six (2020-03 → 2020-09).
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let xs: Vec<f64> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("point"))
        .take(3)
        .map(|n| n.attribute("cx").unwrap().parse().unwrap())
        .collect();
    assert!(xs[1] - xs[0] > (xs[2] - xs[1]) * 1.3, "{xs:?}");
    // Ticks on both axes, and a tooltip on each point.
    assert!(doc
        .descendants()
        .any(|n| n.attribute("class") == Some("xtick")));
    assert!(doc
        .descendants()
        .any(|n| n.attribute("class") == Some("ytick")));
    assert!(svg.contains("<title>A (00001) — 2020-03-01: 1 camera</title>"));
    insta::assert_snapshot!(svg);
}

#[test]
fn history_markdown_with_the_rollup_through_time() {
    let md = life(&["--rollup", "departement", "-f", "md"]);
    assert!(md.contains("## By group through time"));
    insta::assert_snapshot!(md);
}

#[test]
fn history_geojson_has_a_feature_per_zone_with_the_wide_columns() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-boundary-change");
    let dates = "2020-06-01,2021-06-01";
    let text = history(&input, dates, &["--zones-each-date", "-f", "geojson"]);
    let document: serde_json::Value = serde_json::from_str(&text).unwrap();
    let features = document["features"].as_array().unwrap();
    assert_eq!(features.len(), 1);
    let properties = &features[0]["properties"];
    assert_eq!(properties["ref"], "00001");
    assert_eq!(properties["cameras_2020-06-01"], 0);
    // 2021-06-01 is after the file's data: labelled with their day.
    assert_eq!(properties["cameras_2021-01-01"], 1);
    assert!(properties.get("cameras_2021-06-01").is_none());
    // The last date's zone: A grown east to lon 4.
    let ring = &features[0]["geometry"]["coordinates"][0][0];
    assert!(ring
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c[0].as_f64() == Some(4.0)));
    assert!(document["metadata"]["geometry"]
        .as_str()
        .unwrap()
        .contains("last date, 2021-01-01"));
    insta::assert_snapshot!(text);
}

#[test]
fn history_pages_need_a_file_and_a_rollup_needs_a_format_that_holds_it() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-boundary-change");
    let run = |args: &[&str]| history_refused(&input, "2021-06-01", args);
    for format in ["html", "xlsx"] {
        let stderr = run(&["-f", format]);
        assert!(
            stderr.contains(&format!("add -o FILE.{format}")),
            "{stderr}"
        );
    }
    let stderr = run(&["-f", "svg", "--rollup", "departement"]);
    assert!(stderr.contains("--rollup-output"), "{stderr}");
}

#[test]
fn history_html_is_the_same_whatever_the_threads() {
    let one = life(&["-f", "html", "-j", "1"]);
    let two = life(&["-f", "html", "-j", "2"]);
    assert_eq!(one, two);
}

/// The states of the camera's life at two dates, as two snapshots.
fn snapshots(wd: &Workdir) -> (PathBuf, PathBuf) {
    let input = history_case(wd, "history-camera-life");
    let communes = camcount::candidates::BoundarySelector {
        admin_levels: vec!["8".into()],
        all_areas: false,
    };
    let history = camcount::history::read_history(&input, Some(&communes), &|_| {}).unwrap();
    let write = |date: &str| {
        let at = camcount::history::parse_date(date).unwrap();
        let path = wd.path(&format!("state-{date}.osm.pbf"));
        history.state_at(at).write(&path, at).unwrap();
        path
    };
    (write("2020-03-01"), write("2020-09-01"))
}

/// `camcount compare OLD NEW -q ARGS`: stdout.
fn compare(old: &Path, new: &Path, args: &[&str]) -> String {
    let mut all = vec![
        OsStr::new("compare"),
        old.as_os_str(),
        new.as_os_str(),
        OsStr::new("-q"),
    ];
    all.extend(args.iter().map(OsStr::new));
    stdout_of(&all)
}

#[test]
fn compare_markdown_snapshot_of_a_camera_that_moved() {
    let wd = Workdir::new();
    let (old, new) = snapshots(&wd);
    let md = compare(&old, &new, &["-f", "md"]);
    // Moved from A to B: removed from the one, added to the other, and
    // said to have moved in, not to be new (regression, 2026-12-05).
    assert!(
        md.contains(
            "- B (00002): 0 → 1 (+1: 1 added (1 of them moved in: the older file held it elsewhere), 0 removed)"
        ),
        "{md}"
    );
    assert!(md.contains("- A (00001): 1 → 0 (-1: 0 added, 1 removed)"));
    insta::assert_snapshot!(md);
}

#[test]
fn compare_html_snapshot_with_the_two_point_charts() {
    let wd = Workdir::new();
    let (old, new) = snapshots(&wd);
    let out = wd.path("compare.html");
    compare(&old, &new, &["-f", "html", "-o", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        html.matches("class=\"point\"").count(),
        4,
        "total and B, two dates each"
    );
    assert!(html.contains("Older snapshot: OpenStreetMap data as of 2020-03-01"));
    insta::assert_snapshot!(html);
}

fn monaco_args() -> Vec<std::ffi::OsString> {
    let input = data_dir().join("history/monaco-2021-2026.osh.pbf");
    let communes = data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    vec![
        "history".into(),
        input.into(),
        "--at".into(),
        "2019-01-01,2021-04-22,2024-01-01,2026-07-11".into(),
        "--boundaries".into(),
        communes.into(),
        "-q".into(),
    ]
}

#[test]
fn monaco_total_chart_carries_0_11_16_32_and_the_communes_that_grew() {
    let mut args = monaco_args();
    args.extend(["-f".into(), "svg".into()]);
    let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let svg = stdout_of(&args);
    // PROVENANCE.md's counts (osmium time-filter + tags-filter).
    assert_eq!(
        chart_points(&svg, "chart-total"),
        [("All cameras".to_string(), vec![0, 11, 16, 32])]
    );
    // IGN's polygons hold two of Monaco's cameras: Cap-d'Ail's since
    // 2021, Beausoleil's since 2024; equal gains go by code.
    assert_eq!(
        chart_points(&svg, "chart-growth"),
        [
            ("Beausoleil (06012)".to_string(), vec![0, 0, 1, 1]),
            ("Cap-d'Ail (06032)".to_string(), vec![0, 1, 1, 1]),
        ]
    );
    assert!(svg.contains("OpenStreetMap data as of 2026-07-10"));
}

/// Way 300 keeps its version while its nodes move from A to B: in the
/// newer snapshot it is added to B, edited before the older one, which
/// holds it (in A). The report said it was "in OSM before the older file",
/// and `added_before_old` counted it, as if the older file had not held it
/// (found 2026-12-05): it moved in.
#[test]
fn a_camera_that_moved_in_is_not_counted_as_held_by_no_file() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-way-camera-nodes-move");
    let communes = camcount::candidates::BoundarySelector {
        admin_levels: vec!["8".into()],
        all_areas: false,
    };
    let history = camcount::history::read_history(&input, Some(&communes), &|_| {}).unwrap();
    let write = |date: &str| {
        let at = camcount::history::parse_date(date).unwrap();
        let path = wd.path(&format!("state-{date}.osm.pbf"));
        history.state_at(at).write(&path, at).unwrap();
        path
    };
    let (old, new) = (write("2020-06-01"), write("2021-06-01"));
    let rows = common::read_csv(&compare(&old, &new, &[]));
    let b = rows.iter().find(|r| r["name"] == "B").unwrap();
    assert_eq!(
        (
            b["added"].as_str(),
            b["added_before_old"].as_str(),
            b["moved_in"].as_str()
        ),
        ("1", "0", "1")
    );
    let a = rows.iter().find(|r| r["name"] == "A").unwrap();
    assert_eq!((a["removed"].as_str(), a["moved_in"].as_str()), ("1", "0"));
    let md = compare(&old, &new, &["-f", "md"]);
    assert!(
        md.contains("(1 of them moved in: the older file held it elsewhere)"),
        "{md}"
    );
    assert!(!md.contains("not new"), "{md}");
}

/// Regression (2026-12-06): with zones of each date's own, Monaco was not
/// built at 2019-01-01, so its 0 → 32 had no known change, and the empty
/// growth chart said "No commune gained cameras" beside a total of 0 → 32.
/// It says which communes it could not compare.
#[test]
fn an_empty_growth_chart_says_when_changes_are_unknown() {
    let input = data_dir().join("history/monaco-2021-2026.osh.pbf");
    let svg = history(
        &input,
        "2019-01-01,2021-04-22,2024-01-01,2026-07-11",
        &["--zones-each-date", "-f", "svg"],
    );
    assert!(!svg.contains("No commune gained cameras"), "{svg}");
    assert!(
        svg.contains("No commune counted at both dates gained cameras, 2019-01-01 → 2026-07-11; 5 communes not counted at both, their change unknown."),
        "{svg}"
    );
}

/// Regression (2026-12-06): `compare` of Monaco 2021 and 2026 said "22
/// added" and "Monaco: +20", and never which zones it could not build,
/// whose cameras are in no zone's figure.
#[test]
fn compare_names_the_zones_it_could_not_build() {
    let old = data_dir().join("pbf/monaco-2021-04-21.osm.pbf");
    let new = data_dir().join("pbf/monaco-2026-07-10.osm.pbf");
    let md = compare(&old, &new, &["-f", "md"]);
    assert!(
        md.contains(
            "- 4 zones could not be built from the newer file, so their cameras are in no zone's \
             figure: Beausoleil (06012), Cap-d'Ail (06032), Roquebrune-Cap-Martin (06104), La \
             Turbie (06150)."
        ),
        "{md}"
    );
    let fr = compare(&old, &new, &["-f", "md", "--lang", "fr"]);
    assert!(
        fr.contains("- 4 zones n'ont pas pu être construites depuis le fichier le plus récent"),
        "{fr}"
    );
}

/// Regression (2026-12-06): the history map of 2019-01-01, where
/// Beausoleil and Cap-d'Ail had no camera, read "OpenStreetMap data as of
/// 2026-07-10" and named no other date: the picture alone dated its 2019
/// figures 2026. Its credit line now opens with the date it shows.
#[test]
fn a_history_map_names_the_date_it_shows() {
    let wd = Workdir::new();
    let out = wd.path("m2019.html");
    let mut args = monaco_args();
    args[3] = "2019-01-01".into();
    args.extend(["-o".into(), out.clone().into()]);
    let args: Vec<&OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    stdout_of(&args);
    let html = std::fs::read_to_string(&out).unwrap();
    let svg = &html[html.find("<figure class=\"map\">").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap()];
    assert!(svg.contains("Beausoleil (06012): 0 cameras"), "{svg}");
    let credit: Vec<&str> = (svg.lines())
        .filter(|line| line.contains("class=\"credit\""))
        .collect();
    assert!(
        credit[0].contains("Cameras on 2019-01-01"),
        "the map's credit: {credit:?}"
    );
}

/// Regression (2026-12-06): the workbook of a count through time named
/// neither its dates nor how its zones were chosen (9 cameras in 2021 in
/// the last date's zones, none in the 2021 zones), nor that a date after
/// the file's data is its newest state; every other format did.
#[test]
fn a_history_workbook_names_its_dates_zones_and_dates_after_the_data() {
    let wd = Workdir::new();
    let input = data_dir().join("history/monaco-2021-2026.osh.pbf");
    let strings = |extra: &[&str], name: &str| {
        let out = wd.path(name);
        common::camcount()
            .args([OsStr::new("history"), input.as_os_str()])
            .args(["--at", "2021-04-22,2030-01-01", "-q", "-o"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        let unzip = std::process::Command::new("unzip")
            .args(["-p"])
            .arg(&out)
            .arg("xl/sharedStrings.xml")
            .output()
            .expect("unzip is installed");
        String::from_utf8(unzip.stdout).unwrap()
    };
    let last = strings(&[], "last.xlsx");
    assert!(last.contains("2021-04-22, 2026-07-11"), "{last}");
    assert!(last.contains("in the zones (boundaries) of the last date, 2026-07-11"));
    assert!(last.contains("2026-07-11 is after the file's data (2026-07-10)"));
    let each = strings(&["--zones-each-date"], "each.xlsx");
    assert!(each.contains("Zones are built from each date's own boundaries."));
}

/// Regression (2026-12-06): with a population file, the history outputs
/// carried the population join's notes twice ("540 communes of the
/// population file have no zone …", on the 2017 Andorra history).
#[test]
fn a_history_with_a_population_file_says_each_note_once() {
    let input = data_dir().join("history/andorra-2017.osh.pbf");
    let people = data_dir().join("population/communes-2026-pmun2023.csv");
    let people = people.to_str().expect("a UTF-8 path");
    let json = history(
        &input,
        "2017-01-01",
        &["--population", people, "-f", "json"],
    );
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let notes: Vec<&str> = (value["metadata"]["notes"].as_array())
        .expect("notes")
        .iter()
        .map(|note| {
            note.as_str()
                .or(note["en"].as_str())
                .expect("a note's text")
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("of the population file have no zone")),
        "{notes:?}"
    );
    let mut seen = std::collections::BTreeSet::new();
    for note in &notes {
        assert!(seen.insert(note), "said twice: {note}");
    }
}
