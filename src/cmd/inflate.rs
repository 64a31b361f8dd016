//! `camcount inflate INPUT` (hidden): the decompression floor. Reads the
//! frame index, then reads and inflates every data blob on all threads and
//! does nothing else, so benchmarks can say how close a real run comes.

use std::time::Instant;

use camcount::error::{Error, Result};
use camcount::scan::frames::FrameIndex;
use rayon::prelude::*;

use crate::cli::InflateArgs;
use crate::progress::{megabytes_per_second, Reporter};

pub fn run(args: &InflateArgs) -> Result<()> {
    let reporter = Reporter::new(&args.common);
    let started = Instant::now();
    let inflated = super::with_threads(&args.common, || {
        let index = FrameIndex::build(&args.input)?;
        index
            .data
            .par_iter()
            .map_init(Vec::new, |scratch, frame| {
                let blob = index.read(frame)?;
                blob.decompress(scratch)?;
                Ok(scratch.len() as u64)
            })
            .try_reduce(|| 0, |a, b| Ok(a + b))
            .map_err(|e| Error::pbf(&args.input, e))
    })?;
    let size = std::fs::metadata(&args.input).map(|m| m.len()).unwrap_or(0);
    let elapsed = started.elapsed();
    reporter.summary(&format!(
        "inflated {:.1} MB into {:.1} MB in {:.3} s ({:.0} MB/s of file)",
        size as f64 / 1e6,
        inflated as f64 / 1e6,
        elapsed.as_secs_f64(),
        megabytes_per_second(size, elapsed)
    ));
    Ok(())
}
