//! `camcount inflate INPUT` (hidden): the decompression floor. Reads the
//! frame index, then reads and inflates every data blob on all threads and
//! does nothing else, so benchmarks can say how close a real run comes.
//! With `-v` on a sorted file it also inflates each section on its own
//! (relations, ways, nodes), the floor of each scan stage.

use std::ops::Range;
use std::time::{Duration, Instant};

use camcount::error::{Error, Result};
use camcount::scan::frames::{FrameIndex, SectionPlan};
use camcount::scan::per_worker::{blobs_per_task, PerWorker};
use rayon::prelude::*;

use crate::cli::{CommonArgs, InflateArgs};
use crate::progress::{megabytes_per_second, Reporter};

pub fn run(args: &InflateArgs, common: &CommonArgs) -> Result<()> {
    let reporter = Reporter::new(common);
    let started = Instant::now();
    let index = FrameIndex::build(&args.input)?;
    let inflated = inflate_all(&index, 0..index.data.len())?;
    let elapsed = started.elapsed();
    let sections = match reporter.verbose() {
        true => section_floors(&index)?,
        false => Vec::new(),
    };
    for (name, bytes, took) in sections {
        reporter.stage(
            &format!("inflate {name}"),
            took,
            &format!("{:.1} MB of file", bytes as f64 / 1e6),
        );
    }
    let size = std::fs::metadata(&args.input).map(|m| m.len()).unwrap_or(0);
    reporter.summary(&format!(
        "inflated {:.1} MB into {:.1} MB in {:.3} s ({:.0} MB/s of file)",
        size as f64 / 1e6,
        inflated as f64 / 1e6,
        elapsed.as_secs_f64(),
        megabytes_per_second(size, elapsed)
    ));
    Ok(())
}

/// Reads and inflates the blobs at `positions` on all threads; returns the
/// inflated bytes.
fn inflate_all(index: &FrameIndex, positions: Range<usize>) -> Result<u64> {
    let buffers: PerWorker<(Vec<u8>, Vec<u8>)> = PerWorker::for_current_pool();
    let per_task = blobs_per_task(positions.len(), rayon::current_num_threads());
    index.data[positions]
        .par_iter()
        .with_max_len(per_task)
        .map(|frame| {
            buffers.with(|(compressed, inflated)| {
                index.with_blob(frame, compressed, |blob| blob.decompress(inflated))?;
                Ok(inflated.len() as u64)
            })
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))
        .map_err(|e| Error::pbf(&index.path, e))
}

/// Each section of a sorted file inflated on its own: name, file bytes, time.
fn section_floors(index: &FrameIndex) -> Result<Vec<(&'static str, u64, Duration)>> {
    let plan = SectionPlan::probe(index).map_err(|e| Error::pbf(&index.path, e))?;
    let SectionPlan::Sorted {
        nodes,
        ways,
        relations,
    } = plan.0
    else {
        return Ok(Vec::new());
    };
    let mut floors = Vec::new();
    for (name, range) in [("relations", relations), ("ways", ways), ("nodes", nodes)] {
        let bytes = index.data[range.clone()]
            .iter()
            .map(|f| f.frame_len())
            .sum();
        let started = Instant::now();
        inflate_all(index, range)?;
        floors.push((name, bytes, started.elapsed()));
    }
    Ok(floors)
}
