//! The output file: a failed or interrupted run (SIGINT, SIGTERM, SIGHUP)
//! keeps the existing output and leaves no temporary file, an unwritable
//! output fails before the scan, a broken pipe exits 0 quietly, and FIFOs
//! and symlinks given to `-o` are written through, never replaced.

use crate::common::Workdir;
use crate::{assert_data_error, assert_success, run_cameras};

#[test]
fn failed_run_keeps_the_existing_output_and_leaves_no_temp_file() {
    let wd = Workdir::new();
    let out = wd.write("cameras.csv", b"yesterday's good table\n");
    let input = wd.write("broken.osm.pbf", b"<osm/>");
    let output = run_cameras(&input, &["-o", out.to_str().unwrap()]);
    assert_data_error(&output, &input, "OSM XML");
    assert_eq!(std::fs::read(&out).unwrap(), b"yesterday's good table\n");
    assert_eq!(wd.listing(), ["broken.osm.pbf", "cameras.csv"]);
}

#[test]
fn unwritable_output_fails_before_the_scan() {
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let out = wd.path("no-such-dir/cameras.csv");
    let output = run_cameras(&input, &["-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("no-such-dir/cameras.csv: cannot write output"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("cameras ("),
        "no summary: the scan never ran: {stderr}"
    );
}

#[test]
fn broken_pipe_exits_zero_quietly() {
    let wd = Workdir::new();
    let mut elements: Vec<_> = (1..=50_000)
        .map(|id| camcount::fixtures::node(id, 1.0, 1.0, &[("man_made", "surveillance")]))
        .collect();
    // A way too, as a whole extract has: a file of nodes only is warned of.
    elements.push(camcount::fixtures::way(1, &[1, 2], &[("highway", "path")]));
    let input = wd.path("many.osm.pbf");
    // Dated, so that the run has nothing to warn of.
    let options = camcount::pbf::writer::WriterOptions {
        replication_timestamp: Some(1_764_547_200),
        ..Default::default()
    };
    camcount::fixtures::write_elements(&elements, &input, options).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("camcount");
    let script = format!(
        "set -o pipefail; '{}' cameras '{}' | head -1",
        binary.display(),
        input.display()
    );
    let output = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
#[test]
fn interrupted_runs_leave_no_partial_file_and_keep_the_old_one() {
    use camcount::fixtures::{node, write_elements};
    let wd = Workdir::new();
    let input = wd.path("big.osm.pbf");
    let nodes: Vec<_> = (1..=3_000_000)
        .map(|id| {
            node(
                id,
                (id % 3600) as f64 * 0.1 - 180.0,
                (id % 1700) as f64 * 0.1 - 85.0,
                &[("man_made", "surveillance")],
            )
        })
        .collect();
    write_elements(&nodes, &input, Default::default()).unwrap();
    drop(nodes);
    // 128 + the signal, as shells report it (SIGTERM and SIGHUP exited
    // 130 like SIGINT before 2026-12-04).
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let out = wd.write("cameras.csv", b"the good old table\n");
        let binary = assert_cmd::cargo::cargo_bin("camcount");
        let mut child = std::process::Command::new(binary)
            .args(["cameras", "--threads", "1", "-q", "-o"])
            .arg(&out)
            .arg(&input)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(300));
        let still_running = child.try_wait().unwrap().is_none();
        std::process::Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(
            std::fs::read(&out).unwrap(),
            b"the good old table\n",
            "SIG{signal}"
        );
        let leftovers: Vec<String> = wd
            .listing()
            .into_iter()
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "SIG{signal} left {leftovers:?}");
        assert!(
            still_running,
            "the run must still be going when the signal comes"
        );
        assert_eq!(status.code(), Some(code), "SIG{signal}");
    }
}

/// Regression: `-o /dev/null` once renamed a temporary file over /dev/null,
/// replacing the device with a regular file. Devices and FIFOs are written
/// in place; a FIFO stands in for the device here.
#[cfg(unix)]
#[test]
fn output_to_a_fifo_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let fifo = wd.path("out.fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let output = run_cameras(&input, &["-q", "-o", fifo.to_str().unwrap()]);
    assert_success(&output);
    assert!(reader.join().unwrap().starts_with("osm_type,"));
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "still a FIFO"
    );
    assert!(!wd.listing().iter().any(|n| n.ends_with(".tmp")));
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_keeps_the_link_and_the_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::new();
    let input = wd.case("camera-node");
    let real = wd.write("real.csv", b"old\n");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = wd.path("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let output = run_cameras(&input, &["-q", "-o", link.to_str().unwrap()]);
    assert_success(&output);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "still a link"
    );
    assert!(std::fs::read_to_string(&real)
        .unwrap()
        .starts_with("osm_type,"));
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

/// A download cut at a block boundary is a smaller valid file holding
/// nodes only. The count wrote a table of no rows over the good one, with
/// "no zone to count" on stderr and exit 0; `history` and `compare` gave
/// counts too low without a word (found 2026-12-05). The count now fails
/// and keeps the good file; every command warns of a file of nodes only.
#[test]
fn a_file_of_nodes_only_is_no_count_and_is_warned_of() {
    let wd = Workdir::new();
    let elements: Vec<_> = (1..=3)
        .map(|id| camcount::fixtures::node(id, 1.0, 1.0, &[("man_made", "surveillance")]))
        .collect();
    let input = wd.path("cut.osm.pbf");
    let options = camcount::pbf::writer::WriterOptions {
        replication_timestamp: Some(1_764_547_200),
        ..Default::default()
    };
    camcount::fixtures::write_elements(&elements, &input, options).unwrap();
    let out = wd.write("communes.csv", b"yesterday's good table\n");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("camcount"))
        .arg(&input)
        .args(["-q", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_data_error(
        &output,
        &input,
        "holds no boundary relation of admin_level 8",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--boundaries"), "{stderr}");
    assert_eq!(std::fs::read(&out).unwrap(), b"yesterday's good table\n");
    let listed = run_cameras(&input, &[]);
    assert_success(&listed);
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(
        stderr.contains("the file holds nodes only, no way and no relation"),
        "{stderr}"
    );
    // The caveat goes with the figures too: a list or a count over
    // `--boundaries` said it on stderr alone (found 2026-12-05).
    let listed = run_cameras(&input, &["-f", "json", "-q"]);
    assert_success(&listed);
    let doc: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(
        doc["metadata"]["notes"][0]
            .as_str()
            .is_some_and(|n| n.starts_with("The file holds nodes only")),
        "{doc}"
    );
    let zone = wd.write(
        "zone.geojson",
        br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0.5,0.5],[1.5,0.5],[1.5,1.5],[0.5,1.5],[0.5,0.5]]]}}]}"#,
    );
    let counted = std::process::Command::new(assert_cmd::cargo::cargo_bin("camcount"))
        .arg(&input)
        .args(["-q", "-f", "md", "--boundaries"])
        .arg(&zone)
        .output()
        .unwrap();
    assert_success(&counted);
    let md = String::from_utf8_lossy(&counted.stdout);
    assert!(md.contains("Note: The file holds nodes only"), "{md}");
}

/// Regression (2026-12-06): `camcount a.pbf >> a.pbf` appended the table
/// to the extract, exit 0, and the extract no longer read. A stdout that is
/// an input is refused before anything is written; with the table in a
/// file, stdout is not written, and the run goes on.
#[test]
fn stdout_appended_to_an_input_is_refused() {
    let wd = Workdir::new();
    let input = wd.write(
        "app.osm.pbf",
        &std::fs::read(crate::common::extract("monaco-2026-07-10")).unwrap(),
    );
    let before = std::fs::read(&input).unwrap();
    let append = || {
        std::fs::OpenOptions::new()
            .append(true)
            .open(&input)
            .unwrap()
    };
    for args in [&[][..], &["cameras"], &["history", "--at", "2024-01-01"]] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_camcount"))
            .args(args)
            .arg(&input)
            .stdout(append())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("camcount: error: stdout is the input ")
                && stderr.contains("app.osm.pbf")
                && stderr.lines().count() == 1,
            "{stderr}"
        );
        assert_eq!(std::fs::read(&input).unwrap(), before, "{args:?}");
    }
    let table = wd.path("table.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_camcount"))
        .arg(&input)
        .arg("-o")
        .arg(&table)
        .stdout(append())
        .output()
        .unwrap();
    assert_success(&output);
    assert_eq!(std::fs::read(&input).unwrap(), before);
    // Nor the file another output names: the rollup took the place of
    // the stdout the table went to, and the table was lost, exit 0.
    let rollup = wd.path("r.csv");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_camcount"))
        .arg(&input)
        .args(["--rollup", "departement", "--rollup-output"])
        .arg(&rollup)
        .stdout(std::fs::File::create(&rollup).unwrap())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "which --rollup-output names too: the table and that output would be one file"
        ),
        "{stderr}"
    );
}

/// Regression (2026-12-06): a stdout open for reading only (`1</dev/null`)
/// took no byte, and Rust's stdout counts such a write a success: the run
/// printed its summary and exited 0 with the table lost. It is exit 1,
/// naming stdout; a file given with `-o` is still written.
#[test]
fn a_stdout_that_takes_no_writes_is_an_error() {
    let wd = Workdir::new();
    let read_only = wd.write("stdin-like", b"");
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    let camcount = || std::process::Command::new(assert_cmd::cargo::cargo_bin("camcount"));
    let output = camcount()
        .arg(&sample)
        .stdout(std::fs::File::open(&read_only).unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("camcount: error: <stdout>: cannot write output: standard output is not open for writing"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("27 cameras"),
        "no summary of a table not written: {stderr}"
    );
    // A full disk takes no byte either, and says so itself.
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = camcount()
        .arg(&sample)
        .arg("-q")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("No space left on device"), "{stderr}");
    let table = wd.path("communes.csv");
    let output = camcount()
        .arg(&sample)
        .args(["-q", "-o"])
        .arg(&table)
        .stdout(std::fs::File::open(&read_only).unwrap())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(std::fs::read_to_string(&table)
        .unwrap()
        .starts_with("admin_level,"));
}
