//! One module per subcommand; each owns its `run`. Shared here: the thread
//! pool every command runs its stages in.

pub mod cameras;

use camcount::error::{Error, Result};

use crate::cli::CommonArgs;

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
