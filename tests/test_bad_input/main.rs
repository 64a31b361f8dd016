//! Bad input gets exit code 1 and one line naming the file and, where it
//! applies, the blob and byte offset; never a panic or a hang. Bad options get
//! exit code 2. A failed run leaves no output and never clobbers a good one.
//!
//! One test binary; this file holds the helpers its modules share.

#[path = "../common/mod.rs"]
mod common;

mod arguments;
mod corpus;
mod output;
mod pbf;
mod side_files;

use std::path::Path;
use std::process::Output;

use camcount::pbf::wire::put_bytes;
use camcount::pbf::writer::{blob_message, frame, Compression};
use common::camcount;

fn run_cameras(input: &Path, extra: &[&str]) -> Output {
    camcount()
        .arg("cameras")
        .arg(input)
        .args(extra)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("run camcount")
}

/// Asserts that a run succeeded, showing what it said if not.
fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Asserts exit 1 and a single error line that names the file and contains `needle`.
fn assert_data_error(output: &Output, input: &Path, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(stderr.starts_with("camcount: error: "), "{stderr}");
    assert!(
        stderr.contains(&input.display().to_string()),
        "names the file: {stderr}"
    );
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert!(output.stdout.is_empty(), "no output on failure");
}

/// Frame boundaries of a PBF file: where each blob frame starts, and the end.
fn frame_boundaries(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = vec![0];
    let mut pos = 0;
    while pos < bytes.len() {
        let header_len = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        let header = &bytes[pos + 4..pos + 4 + header_len];
        let mut data_len = 0;
        for field in camcount::pbf::wire::Fields::new(header) {
            if let (3, value) = field.unwrap() {
                data_len = value.varint().unwrap() as usize;
            }
        }
        pos += 4 + header_len + data_len;
        offsets.push(pos);
    }
    offsets
}

fn header_blob(required: &[&str]) -> Vec<u8> {
    let mut header = Vec::new();
    for feature in required {
        put_bytes(&mut header, 4, feature.as_bytes());
    }
    frame(
        "OSMHeader",
        &blob_message(&header, Compression::Zlib(6)).unwrap(),
    )
}
