//! The count's output formats and options: snapshots of the sample in
//! CSV, semicolon CSV, JSON, Markdown, GeoJSON (read by GDAL) and the rollup
//! CSV; the same bytes whatever the thread count; the decoder line of `-v`;
//! and options that do not go together (exit 2).

use std::ffi::OsStr;

use crate::common::{camcount, extract, ogrinfo_summary, stdout_of, Workdir};
use crate::sample;

fn sample_output(extra: &[&str]) -> String {
    let input = sample();
    let mut args: Vec<&OsStr> = vec![input.as_os_str()];
    args.extend(extra.iter().map(OsStr::new));
    args.push(OsStr::new("-q"));
    stdout_of(&args)
}

#[test]
fn sample_csv_snapshot() {
    insta::assert_snapshot!(sample_output(&[]));
}

#[test]
fn sample_semicolon_csv_snapshot() {
    insta::assert_snapshot!(sample_output(&["--delimiter", ";"]));
}

#[test]
fn sample_json_snapshot() {
    insta::assert_snapshot!(sample_output(&[
        "--format",
        "json",
        "--rollup",
        "departement"
    ]));
}

#[test]
fn sample_markdown_snapshot() {
    insta::assert_snapshot!(sample_output(&[
        "--format",
        "md",
        "--rollup",
        "departement"
    ]));
}

#[test]
fn sample_geojson_snapshot_and_gdal() {
    let geojson = sample_output(&["--format", "geojson"]);
    let wd = Workdir::new();
    let path = wd.write("communes.geojson", geojson.as_bytes());
    let info = ogrinfo_summary(&path);
    assert!(info.contains("Feature Count: 10"), "{info}");
    assert!(
        info.contains("cameras_per_1000: Real"),
        "numbers are JSON numbers: {info}"
    );
    // GDAL drops the foreign member `metadata`: each feature keeps the
    // data date (regression, 2026-12-05).
    assert!(info.contains("data_date: Date"), "{info}");
    insta::assert_snapshot!(geojson);
}

#[test]
fn sample_rollup_csv_snapshot() {
    let wd = Workdir::new();
    let out = wd.path("rollup.csv");
    sample_output(&[
        "--rollup",
        "departement",
        "--rollup-output",
        out.to_str().unwrap(),
    ]);
    insta::assert_snapshot!(std::fs::read_to_string(out).unwrap());
}

#[test]
fn output_is_identical_across_thread_counts_for_every_format() {
    for format in ["csv", "geojson", "json", "md", "html", "svg"] {
        let run = |threads: &str| sample_output(&["--format", format, "--threads", threads]);
        let one = run("1");
        for threads in ["2", "8", "64"] {
            assert_eq!(run(threads), one, "{format}, {threads} threads");
        }
    }
    // The workbook, byte for byte (its creation time is the data date).
    let wd = Workdir::new();
    let xlsx = |threads: &str| {
        let out = wd.path(&format!("t{threads}.xlsx"));
        camcount()
            .arg(sample())
            .args(["-f", "xlsx", "-q", "-j", threads, "-o"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(out).unwrap()
    };
    let one = xlsx("1");
    for threads in ["2", "8", "64"] {
        assert!(xlsx(threads) == one, "xlsx, {threads} threads");
    }
    let luxembourg = |threads: &str| {
        stdout_of(&[
            OsStr::new("boundaries"),
            extract("luxembourg-boundaries-filtered-2018").as_os_str(),
            OsStr::new("--format"),
            OsStr::new("geojson"),
            OsStr::new("--threads"),
            OsStr::new(threads),
            OsStr::new("-q"),
        ])
    };
    assert_eq!(luxembourg("1"), luxembourg("2"));
}

#[test]
fn verbose_names_the_delta_decoders_this_cpu_runs() {
    let output = camcount().arg("-v").arg(sample()).output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let line = stderr
        .lines()
        .find(|line| line.contains("delta decoders (node ids, coordinates): "))
        .unwrap_or_else(|| panic!("no decoder line in:\n{stderr}"));
    #[cfg(target_arch = "x86_64")]
    let vector = std::is_x86_feature_detected!("ssse3")
        && std::is_x86_feature_detected!("sse4.1")
        && std::is_x86_feature_detected!("sse4.2");
    #[cfg(not(target_arch = "x86_64"))]
    let vector = false;
    let expected = if vector {
        "SSSE3 to SSE4.2"
    } else {
        "portable"
    };
    assert!(line.ends_with(expected), "{line}");
}

#[test]
fn bad_count_options_exit_2() {
    for args in [
        vec!["--delimiter", "::"],
        vec!["--rollup", "departement"],
        vec!["--rollup-output", "x.csv"],
        vec!["--rollup", "region"],
        vec!["--format", "xlsx"],
        vec!["--boundary-id-field", "code"],
    ] {
        camcount().arg(sample()).args(&args).assert().code(2);
    }
}

/// The README shows the sample's table and summary as `cargo run` prints
/// them; its summary line went stale when the wording changed (found
/// 2026-12-05). Every line it shows under "The per-commune table" must
/// be one the sample prints.
#[test]
fn the_readme_shows_the_samples_own_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("### The per-commune table")
        .nth(1)
        .and_then(|rest| rest.split("\nColumns:").next())
        .expect("the README's per-commune table section");
    let output = crate::common::camcount().arg(sample()).output().unwrap();
    assert!(output.status.success());
    let (stdout, stderr) = (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    );
    let shown: Vec<&str> = (section.lines())
        .filter_map(|line| line.strip_prefix("    "))
        .filter(|line| !line.starts_with('$') && *line != "...")
        .collect();
    assert!(shown.len() >= 6, "{section}");
    for line in shown {
        let printed = match line.starts_with("camcount: ") {
            true => stderr.lines().any(|l| l == line),
            false => stdout.lines().any(|l| l == line),
        };
        assert!(printed, "README shows a line the sample does not print:\n{line}\n--- stdout:\n{stdout}\n--- stderr:\n{stderr}");
    }
}
