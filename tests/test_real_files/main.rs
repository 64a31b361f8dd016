//! Files as they come from the usual tools, not only as extracts are
//! published: ways carrying their nodes' locations (`osmium
//! add-locations-to-ways`), the same object twice (`osmium cat` of
//! overlapping extracts, `osmium merge` of two dates), negative ids as
//! `osmium sort` orders them, and inputs in another OSM format.
//!
//! The expected outputs come from an independent source each time: the
//! original extract, or the file osmium deduplicates or converts.
//!
//! One test binary; this file holds the helpers its modules share.

#[path = "../common/mod.rs"]
mod common;

mod locations;
mod order_and_formats;
mod twice;

use std::path::Path;
use std::process::Command as Process;

use common::camcount;

/// Runs osmium with `args`; osmium-tool is a test dependency (CI installs
/// it), and a missing osmium fails the test.
fn osmium(args: &[&std::ffi::OsStr]) {
    let output = Process::new("osmium")
        .args(args)
        .output()
        .expect("osmium-tool is installed (apt-get install osmium-tool)");
    assert!(
        output.status.success(),
        "osmium {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The three outputs of a file: the commune count CSV, the camera list and
/// the boundary table, and the stderr of the count run.
#[derive(Debug, PartialEq)]
struct Outputs {
    count: String,
    cameras: String,
    boundaries: String,
}

fn outputs(path: &Path) -> Outputs {
    let run = |args: &[&str]| {
        let output = camcount()
            .args(args)
            .arg(path)
            .arg("-q")
            .output()
            .expect("run camcount");
        assert!(
            output.status.success(),
            "camcount {args:?} {} failed: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    };
    // A file without a commune is no count (exit 1): the two files then
    // agree by both saying so.
    let count = camcount()
        .arg(path)
        .arg("-q")
        .output()
        .expect("run camcount");
    let stderr = String::from_utf8_lossy(&count.stderr);
    let count = match count.status.code() {
        Some(1) if stderr.contains("holds no boundary relation") => "no zone".to_string(),
        _ => run(&[]),
    };
    Outputs {
        count,
        cameras: run(&["cameras"]),
        boundaries: run(&["boundaries"]),
    }
}
