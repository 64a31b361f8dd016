//! The ordinary commands: an output that is an input refused before
//! reading, CSV options with a format they do not apply to, the French
//! locale, global options on either side of the subcommand, completions and
//! the man page, and snapshots of the sample's boundaries and cameras.

use predicates::prelude::*;

use crate::common::{camcount, read_csv_with, Workdir};
use crate::{monaco, os, run, sample, sample_run, ROLLUP_ONLY_TO};

#[test]
fn an_output_that_is_an_input_is_refused_before_reading() {
    let wd = Workdir::new();
    let input = wd.path("in.osm.pbf");
    std::fs::copy(sample(), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    // Links without an extension: `-o x.osm.pbf` is refused by its name
    // alone (camcount writes no OSM file), before the paths are compared.
    let link = wd.path("link");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let hard = wd.path("hard");
    std::fs::hard_link(&input, &hard).unwrap();
    let population = wd.write("pop.csv", b"code,population\n99001,1\n");
    for args in [vec![], vec!["cameras"]] {
        camcount()
            .args(&args)
            .arg(&input)
            .arg("-o")
            .arg(&input)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "names an OSM file, which camcount reads and never writes",
            ));
    }
    for (args, output) in [
        (vec![], &link),
        (vec![], &hard),
        (vec!["cameras"], &hard),
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
    // The option named is the one given (it said -o, found 2026-12-06).
    camcount()
        .arg(&input)
        .arg("--population")
        .arg(&population)
        .args(["--rollup", "departement", "--rollup-output"])
        .arg(&population)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "choose another --rollup-output path",
        ));
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
    // Regression (2026-12-05): through `..`, a linked folder or a link
    // to the other, new files were not seen to be one, and the table was
    // written over the rollup, exit 0.
    std::fs::create_dir(wd.path("sub")).unwrap();
    std::os::unix::fs::symlink(wd.path("sub"), wd.path("linked")).unwrap();
    std::os::unix::fs::symlink(wd.path("x.csv"), wd.path("to-x.csv")).unwrap();
    for (table, rollup) in [
        ("sub/../y.csv", "y.csv"),
        ("linked/y.csv", "sub/y.csv"),
        ("x.csv", "to-x.csv"),
    ] {
        camcount()
            .arg(&input)
            .args(["--rollup", "departement", "-o"])
            .arg(wd.path(table))
            .arg("--rollup-output")
            .arg(wd.path(rollup))
            .assert()
            .code(2)
            .stderr(predicate::str::contains("both name"));
        assert!(
            !wd.path(rollup).exists() && !wd.path(table).exists(),
            "{table}"
        );
    }
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

/// Regression (2026-12-06): `man -o camcount.1` and `completions bash -o
/// f` printed to stdout, exit 0, and made no file.
#[test]
fn completions_and_man_page_go_to_o() {
    let dir = tempfile::tempdir().unwrap();
    for (args, file) in [
        (&["man"][..], "camcount.1"),
        (&["completions", "bash"], "camcount.bash"),
    ] {
        let path = dir.path().join(file);
        let output = camcount().args(args).arg("-o").arg(&path).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("camcount") && text.len() > 1000, "{args:?}");
    }
}

/// Regression: `camcount completions bash | head -1` panicked (exit 101)
/// when the reader went away; like every other output, it is exit 0.
#[test]
fn completions_to_a_reader_that_goes_away_exit_0() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_camcount"))
            .args(["completions", shell])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}: {out:?}");
        assert!(out.stderr.is_empty(), "{shell}: {out:?}");
    }
}

#[test]
fn boundaries_snapshots_of_the_sample() {
    insta::assert_snapshot!("boundaries_csv", sample_run(&["boundaries"]));
    insta::assert_snapshot!(
        "boundaries_geojson",
        sample_run(&["boundaries", "-f", "geojson"])
    );
    insta::assert_snapshot!("boundaries_json", sample_run(&["boundaries", "-f", "json"]));
    insta::assert_snapshot!("boundaries_md", sample_run(&["boundaries", "-f", "md"]));
}

/// Markdown writes any row kind: every column of the CSV, the cells'
/// one rounding, dated by its sources.
#[test]
fn cameras_markdown_snapshot_of_the_sample() {
    let md = sample_run(&["cameras", "-f", "md"]);
    assert!(md.contains("OpenStreetMap data as of 2026-12-01"), "{md}");
    let header = md.lines().find(|l| l.starts_with("| osm_type")).unwrap();
    let csv = sample_run(&["cameras"]);
    let columns = csv.lines().next().unwrap().replace(",data_date", "");
    assert_eq!(header, format!("| {} |", columns.replace(',', " | ")));
    insta::assert_snapshot!(md);
}

#[test]
fn cameras_json_snapshot_of_the_sample() {
    insta::assert_snapshot!(sample_run(&["cameras", "-f", "json"]));
}
