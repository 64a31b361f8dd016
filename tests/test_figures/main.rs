//! Figures a newsroom can print: every output dated and sourced, declared
//! counts set beside mapped ones, French spreadsheet conventions, and the
//! ordinary commands that once gave a wrong figure with exit code 0.
//!
//! One test binary; this file holds the helpers its modules share.

#[path = "../common/mod.rs"]
mod common;

mod commands;
mod dates;
mod declared;
mod rollups;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{extract, stdout_of};

fn monaco() -> PathBuf {
    extract("monaco-2026-07-10")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf")
}

fn run(args: &[&OsStr]) -> String {
    stdout_of(args)
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
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
