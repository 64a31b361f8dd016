//! `camcount INPUT`: the per-commune table, on real extracts (against the
//! reference tables), with IGN polygons and INSEE populations, on a large
//! synthetic case built with our PBF writer, and in every output format.
//!
//! One test binary; this file holds the helpers its modules share.

#[path = "../common/mod.rs"]
mod common;

mod coverage;
mod extracts;
mod formats;
mod placing;
mod side_inputs;
mod totals;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{read_csv_with, stdout_of, Row};

fn count_csv(args: &[&OsStr]) -> Vec<Row> {
    let mut all = args.to_vec();
    all.push(OsStr::new("-q"));
    read_csv_with(&stdout_of(&all), b',')
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf")
}
