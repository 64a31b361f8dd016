//! One module per subcommand; each owns its `run`. Shared here: the thread
//! pool every command runs its stages in.

pub mod boundaries;
pub mod cameras;
pub mod count;
pub mod inflate;

use camcount::error::{Error, Result};

use camcount::scan::ScanOutput;

use crate::cli::CommonArgs;
use crate::progress::Reporter;

/// Runs `work` on a rayon pool of `--threads` workers (default: all cores).
pub fn with_threads<T: Send>(
    args: &CommonArgs,
    work: impl FnOnce() -> Result<T> + Send,
) -> Result<T> {
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        builder = builder.num_threads(usize::from(n));
    }
    let pool = builder.build().map_err(|e| {
        Error::Usage(format!(
            "cannot start {} threads: {e}",
            args.threads.unwrap_or(0)
        ))
    })?;
    pool.install(work)
}

/// Logs the scan's counts and stage times under `-v`.
pub fn log_scan(reporter: &Reporter, found: &ScanOutput) {
    let s = &found.stats;
    if s.duplicates > 0 {
        reporter.warn(&format!(
            "dropped {} copies of objects the file holds more than once (same type and id), \
             keeping the highest version of each (on a tie, the copy read last); `osmium \
             merge` of sorted inputs writes each version once, `osmium time-filter IN -o \
             OUT.osm.pbf` keeps only the latest",
            s.duplicates
        ));
    }
    let order = if s.sorted {
        "sorted: each blob read once"
    } else {
        "unsorted: targeted re-reads"
    };
    let detail = format!(
        "{} blobs, {} blob reads ({order}), {} elements, {:.1} MB",
        s.blobs,
        s.blob_reads,
        s.elements(),
        s.bytes as f64 / 1e6
    );
    reporter.stage("scan", s.stage_times.iter().sum(), &detail);
    reporter.stage(
        "scan index",
        s.index_time,
        "frame headers and section probes",
    );
    reporter.detail(&format!(
        "delta decoders (node ids, coordinates): {}",
        camcount::pbf::wire::delta_decoders()
    ));
    let refs = found.ways.node_refs();
    reporter.detail(&format!(
        "kept {} boundary relations, {} member ways ({refs} node refs), {} of {} wanted nodes found",
        found.relations.len(),
        found.ways.len(),
        found.nodes.found(),
        found.nodes.len()
    ));
    for (name, time) in ["relations", "ways", "nodes"].iter().zip(s.stage_times) {
        reporter.stage(&format!("scan {name}"), time, "stage");
    }
    reporter.stage(
        "scan node table",
        s.node_table_time,
        &format!("{} wanted nodes", found.nodes.len()),
    );
}
