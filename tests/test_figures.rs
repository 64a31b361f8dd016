//! Figures a newsroom can print: every output dated and sourced, declared
//! counts set beside mapped ones, French spreadsheet conventions, and the
//! ordinary commands that once gave a wrong figure with exit code 0.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{camcount, data_dir, extract, read_csv, read_csv_with, stdout_of, Workdir};
use predicates::prelude::*;
use serde_json::Value;

fn monaco() -> PathBuf {
    extract("monaco-2026-07-10")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf")
}

fn declared_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/declared-occitanie.csv")
}

fn insee_population() -> PathBuf {
    data_dir().join("population/communes-2026-pmun2023.csv")
}

fn run(args: &[&OsStr]) -> String {
    stdout_of(args)
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

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
/// file's own date: at 2030-01-01 the Monaco history said "OSM data as of
/// 2030-01-01", a date its data cannot speak for.
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
    assert!(rows.iter().all(|r| r["data_date"] == "2026-07-10"));
    assert!(stderr.contains("OSM data as of 2026-07-10"), "{stderr}");
    assert!(
        stderr.contains("2030-01-01 is after the newest object"),
        "{stderr}"
    );
    let (rows, stderr) = listed("2024-01-01");
    assert_eq!(rows.len(), 16);
    assert!(rows.iter().all(|r| r["data_date"] == "2024-01-01"));
    assert!(stderr.contains("OSM data as of 2024-01-01"), "{stderr}");
}

/// The IGN communes of the départements the declared sample names, as one
/// GeoJSON.
fn occitanie_communes(wd: &Workdir) -> PathBuf {
    let mut features = Vec::new();
    let folder = data_dir().join("communes/france-geojson-2018/departements");
    for prefix in [
        "09-", "11-", "12-", "30-", "31-", "34-", "46-", "65-", "82-",
    ] {
        let dir = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let file = dir.join(format!("communes-{name}.geojson"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        features.extend(doc["features"].as_array().unwrap().iter().cloned());
    }
    let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
    wd.write("occitanie.geojson", doc.to_string().as_bytes())
}

#[test]
fn the_declared_sample_joins_ign_and_insee_with_no_unmatched_code() {
    let wd = Workdir::new();
    let communes = occitanie_communes(&wd);
    let out = camcount()
        .arg(monaco())
        .arg("--boundaries")
        .arg(&communes)
        .arg("--population")
        .arg(insee_population())
        .arg("--declared")
        .arg(declared_sample())
        .args(["-f", "json", "--rollup", "departement"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("declared file: 19 communes matched, 0 codes match no commune"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["metadata"]["declared"], "declared-occitanie.csv");
    let communes = doc["communes"].as_array().unwrap();
    let montpellier = communes.iter().find(|c| c["ref"] == "34172").unwrap();
    assert_eq!(montpellier["declared"], 650);
    assert_eq!(
        montpellier["declared_source"],
        "Technopolice (La Quadrature du Net)"
    );
    // Monaco's cameras are nowhere near Montpellier: 0 of 650 mapped.
    assert_eq!(montpellier["cameras"], 0);
    assert_eq!(montpellier["osm_share_of_declared"], 0.0);
    let without: Vec<_> = communes
        .iter()
        .filter(|c| c["declared"].is_null())
        .collect();
    assert!(without.iter().all(|c| c["osm_share_of_declared"].is_null()));
    // The rollup sums declared figures: Hérault declares 650 + 400 + 42.
    let herault = doc["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "34")
        .unwrap();
    assert_eq!(
        (
            herault["declared"].as_u64(),
            herault["communes_declared"].as_u64()
        ),
        (Some(1092), Some(3))
    );
}

#[test]
fn declared_codes_that_match_no_commune_are_listed_with_their_lines() {
    let wd = Workdir::new();
    let declared = wd.write(
        "declared.csv",
        "code,cameras,source\n99001,10,town hall\n12202,40,x\n99002,0,\n".as_bytes(),
    );
    let out = camcount()
        .arg(sample())
        .arg("--declared")
        .arg(&declared)
        .args(["-f", "md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "codes that match no commune of this run, not counted anywhere: 12202 (line 3)"
        ),
        "{stderr}"
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("Port-Fictif declares 10 cameras (town hall); OpenStreetMap maps 5 there, 50.0 % of that figure."),
        "{md}"
    );
    // Declared 0: no share (no division by zero), the mapped count said.
    assert!(
        md.contains("Sainte-Brume declares 0 cameras; OpenStreetMap maps 3 there."),
        "{md}"
    );
}

#[test]
fn a_rollup_is_over_communes_whatever_levels_are_counted() {
    // Luxembourg's extract holds French communes (admin_level 8) and
    // their départements (6), as in France.
    let lux = extract("luxembourg-boundaries-filtered-2018");
    let wd = Workdir::new();
    let rollup = |levels: &str| {
        let out = wd.path(&format!("rollup-{levels}.csv"));
        camcount()
            .arg(&lux)
            .args([
                "--admin-level",
                levels,
                "--rollup",
                "departement",
                "-q",
                "-o",
                "/dev/null",
            ])
            .arg("--rollup-output")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out).unwrap()
    };
    let communes_only = rollup("8");
    assert_eq!(rollup("8,6"), communes_only);
    assert_eq!(rollup("6,8,4"), communes_only);
    // No level-6 zone was taken for a commune.
    let rows = read_csv(&communes_only);
    let total: u64 = rows
        .iter()
        .map(|r| r["communes"].parse::<u64>().unwrap())
        .sum();
    let level8 = read_csv(&run(&[lux.as_os_str(), os("-q")])).len() as u64;
    assert_eq!(total, level8);
    // A rollup without the commune level is refused.
    camcount()
        .arg(&lux)
        .args([
            "--admin-level",
            "6",
            "--rollup",
            "departement",
            "-f",
            "json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add 8 to --admin-level"));
}

#[test]
fn monaco_has_its_own_group_not_the_unbuilt_one() {
    let doc: Value = serde_json::from_str(&run(&[
        monaco().as_os_str(),
        os("--rollup"),
        os("departement"),
        os("-f"),
        os("json"),
        os("-q"),
    ]))
    .unwrap();
    let groups = doc["rollup"].as_array().unwrap();
    let no_code = groups
        .iter()
        .find(|g| g["name"] == "(no INSEE code)")
        .unwrap();
    assert_eq!(
        (no_code["communes"].as_u64(), no_code["cameras"].as_u64()),
        (Some(1), Some(29))
    );
    assert!(groups
        .iter()
        .all(|g| g["name"] != "(not placed: boundary not built)"));
    // The four French communes are placed by their code, not counted.
    let am = groups.iter().find(|g| g["group"] == "06").unwrap();
    assert_eq!(am["communes_not_counted"], 4);
    assert!(am["cameras"].is_null() && am["population"].is_null());
    assert_eq!(am["population_not_counted"], 12674 + 4508 + 3015 + 12371);
}

/// A quiet run that writes only its département rollup, to the path that
/// follows.
const ROLLUP_ONLY_TO: [&str; 6] = [
    "--rollup",
    "departement",
    "-q",
    "-o",
    "/dev/null",
    "--rollup-output",
];

#[test]
fn the_rollup_population_is_the_rate_denominator() {
    let wd = Workdir::new();
    let out = wd.path("rollup.csv");
    camcount()
        .arg(sample())
        .args(ROLLUP_ONLY_TO)
        .arg(&out)
        .assert()
        .success();
    let group = &read_csv(&std::fs::read_to_string(out).unwrap())[0];
    let population: f64 = group["population"].parse().unwrap();
    let cameras: f64 = group["cameras"].parse().unwrap();
    let rate: f64 = group["cameras_per_1000"].parse().unwrap();
    assert!(
        (cameras * 1000.0 / population - rate).abs() < 5e-5,
        "{group:?}"
    );
    assert!(group["population_not_counted"].parse::<u64>().unwrap() > 0);
}

#[test]
fn an_output_that_is_an_input_is_refused_before_reading() {
    let wd = Workdir::new();
    let input = wd.path("in.osm.pbf");
    std::fs::copy(sample(), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let link = wd.path("link.osm.pbf");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let hard = wd.path("hard.osm.pbf");
    std::fs::hard_link(&input, &hard).unwrap();
    let population = wd.write("pop.csv", b"code,population\n99001,1\n");
    for (args, output) in [
        (vec![], &input),
        (vec![], &link),
        (vec![], &hard),
        (vec!["cameras"], &input),
        (vec!["boundaries"], &link),
    ] {
        camcount()
            .args(&args)
            .arg(&input)
            .arg("-o")
            .arg(output)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is the input"));
    }
    camcount()
        .arg(&input)
        .arg("--population")
        .arg(&population)
        .arg("-o")
        .arg(&population)
        .assert()
        .code(2);
    let same = wd.path("same.csv");
    camcount()
        .arg(&input)
        .args(["--rollup", "departement", "-o"])
        .arg(&same)
        .arg("--rollup-output")
        .arg(wd.path("./same.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("both name"));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(!same.exists());
    // Two outputs to a device clobber nothing.
    camcount()
        .arg(&input)
        .args(ROLLUP_ONLY_TO)
        .arg("/dev/null")
        .assert()
        .success();
    camcount()
        .args(["-", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("seekable file"));
}

#[test]
fn csv_options_with_a_format_they_do_not_apply_to_are_usage_errors() {
    let s = sample();
    for args in [
        vec!["-f", "json", "--bom"],
        vec!["-f", "md", "--delimiter", ";"],
        vec!["-f", "geojson", "--decimal-comma"],
        vec!["-f", "json", "--lang", "fr"],
        vec!["-f", "xlsx"],
    ] {
        camcount().arg(&s).args(&args).assert().code(2);
    }
    camcount()
        .args(["cameras"])
        .arg(&s)
        .args(["-f", "geojson", "--delimiter", ";"])
        .assert()
        .code(2);
    // Wherever a CSV is written, they apply: cameras too.
    let cameras = run(&[
        os("cameras"),
        s.as_os_str(),
        os("--delimiter"),
        os(";"),
        os("-q"),
    ]);
    assert!(cameras.starts_with("osm_type;osm_id;lon;lat"), "{cameras}");
}

#[test]
fn locale_fr_is_semicolons_decimal_commas_and_a_bom() {
    let text = run(&[sample().as_os_str(), os("--locale"), os("fr"), os("-q")]);
    assert!(text.starts_with('\u{feff}'));
    let rows = read_csv_with(text.trim_start_matches('\u{feff}'), b';');
    let port = rows.iter().find(|r| r["ref"] == "99001").unwrap();
    assert_eq!(port["cameras_per_1000"], "0,4032");
    assert_eq!(port["area_km2"], "3,7921");
    assert_eq!(port["data_date"], "2026-12-01");
    let md = run(&[
        sample().as_os_str(),
        os("-f"),
        os("md"),
        os("--lang"),
        os("fr"),
        os("-q"),
    ]);
    assert!(
        md.contains("| Port-Fictif (99001) | 5 | 12\u{a0}400 | 0,40 | 2\u{a0}480 | 1,32 |"),
        "{md}"
    );
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let m = monaco();
    for args in [
        vec![os("-v"), os("cameras"), m.as_os_str()],
        vec![os("cameras"), m.as_os_str(), os("-v")],
        vec![os("-j"), os("1"), os("cameras"), m.as_os_str(), os("-v")],
    ] {
        camcount()
            .args(&args)
            .args(["-o", "/dev/null"])
            .assert()
            .success()
            .stderr(predicate::str::contains("[scan]"));
    }
    // The count's own options before a subcommand would be ignored by it.
    camcount()
        .args(["-f", "md", "cameras"])
        .arg(&m)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("belongs to the count"));
}

#[test]
fn completions_and_man_page() {
    let bash = run(&[os("completions"), os("bash")]);
    assert!(
        bash.contains("camcount") && bash.contains("--declared"),
        "bash"
    );
    let man = run(&[os("man")]);
    assert!(
        man.starts_with(".ie") || man.contains(".TH camcount"),
        "{}",
        &man[..200]
    );
}

fn sample_run(args: &[&str]) -> String {
    let sample = sample();
    let mut all: Vec<&OsStr> = Vec::new();
    let (sub, rest) = match args.first() {
        Some(&c) if c == "boundaries" || c == "cameras" => (Some(os(c)), &args[1..]),
        _ => (None, args),
    };
    all.extend(sub);
    all.push(sample.as_os_str());
    all.extend(rest.iter().map(|a| os(a)));
    all.push(os("-q"));
    run(&all)
}

#[test]
fn boundaries_snapshots_of_the_sample() {
    insta::assert_snapshot!("boundaries_csv", sample_run(&["boundaries"]));
    insta::assert_snapshot!(
        "boundaries_geojson",
        sample_run(&["boundaries", "-f", "geojson"])
    );
    insta::assert_snapshot!("boundaries_json", sample_run(&["boundaries", "-f", "json"]));
}

#[test]
fn cameras_json_snapshot_of_the_sample() {
    insta::assert_snapshot!(sample_run(&["cameras", "-f", "json"]));
}

#[test]
fn french_report_snapshot_with_declared_figures() {
    let wd = Workdir::new();
    let declared = wd.write(
        "declared-99.csv",
        "code;cameras;source;date\n99001;12;Mairie de Port-Fictif;2025-03-01\n99006;40;Préfecture;2024\n"
            .as_bytes(),
    );
    let declared = declared.to_str().unwrap();
    insta::assert_snapshot!(
        "report_fr_declared",
        sample_run(&[
            "-f",
            "md",
            "--lang",
            "fr",
            "--declared",
            declared,
            "--rollup",
            "departement"
        ])
    );
    insta::assert_snapshot!(
        "report_en_declared",
        sample_run(&["-f", "md", "--declared", declared])
    );
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
