//! Counts the elements (nodes, ways, relations) tagged
//! `man_made=surveillance` in one PBF file with a peer crate's parallel
//! reader, and prints the count: the work `camcount cameras` does before it
//! writes rows, done the way each crate's documentation suggests
//! (`par_map_reduce` over blobs).
//!
//! Usage: camcount-peers osmpbf|pbfhogg FILE.osm.pbf

use std::process::ExitCode;

const KEY: &str = "man_made";
const VALUE: &str = "surveillance";

fn is_camera<'t>(mut tags: impl Iterator<Item = (&'t str, &'t str)>) -> bool {
    tags.any(|(k, v)| k == KEY && v == VALUE)
}

/// The count with one crate's reader. pbfhogg keeps osmpbf's API but has
/// its own types, so one body serves both as a macro.
macro_rules! count_with {
    ($krate:ident, $path:expr) => {{
        use $krate::{Element, ElementReader};
        let reader = ElementReader::from_path($path).map_err(|e| e.to_string())?;
        reader
            .par_map_reduce(
                |element| {
                    // pbfhogg's enum is non-exhaustive: a kind added later
                    // is no camera we know of. osmpbf's is exhaustive, so
                    // there the last arm is never reached.
                    #[allow(unreachable_patterns)]
                    let camera = match element {
                        Element::Node(n) => is_camera(n.tags()),
                        Element::DenseNode(n) => is_camera(n.tags()),
                        Element::Way(w) => is_camera(w.tags()),
                        Element::Relation(r) => is_camera(r.tags()),
                        _ => false,
                    };
                    u64::from(camera)
                },
                || 0,
                |a, b| a + b,
            )
            .map_err(|e| e.to_string())
    }};
}

fn count_osmpbf(path: &str) -> Result<u64, String> {
    count_with!(osmpbf, path)
}

fn count_pbfhogg(path: &str) -> Result<u64, String> {
    count_with!(pbfhogg, path)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = match args.as_slice() {
        [peer, path] if peer == "osmpbf" => count_osmpbf(path),
        [peer, path] if peer == "pbfhogg" => count_pbfhogg(path),
        _ => {
            eprintln!("usage: camcount-peers osmpbf|pbfhogg FILE.osm.pbf");
            return ExitCode::from(2);
        }
    };
    match count {
        Ok(n) => {
            println!("{n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
