//! The temporary files a run has alive, and their removal when the run is
//! interrupted or runs out of memory.
//!
//! Why one list: a run writes an output beside its destination (renamed
//! into place on success), and `history` writes the state at each date to
//! a file it scans. A signal ends the process without running destructors,
//! so each of these files is listed here while it lives, and the signal
//! thread (or the allocator, on failure) removes what is listed. An
//! interrupted `history --every month` left its state files in the
//! temporary folder (found 2026-12-07).
//!
//! In: files created through [`LiveTempFile`] or [`create_listed`]. Out:
//! their removal on SIGINT, SIGTERM, SIGHUP (then exit 128 + the signal, as
//! shells do) and on an allocation failure.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tempfile::NamedTempFile;

/// Temporary files alive right now, for the signal handler to remove.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes live temporary files when the process is interrupted, then
/// exits with 128 + the signal as shells expect: 130 for SIGINT, 143 for
/// SIGTERM, 129 for SIGHUP.
pub fn install_signal_cleanup() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    // Failing to install only loses the cleanup; the default action (exit
    // by the signal) remains.
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    // The handler only wakes this thread, where removing files is safe.
    // The run waits for it to be up: a thread sets up its own signal stack
    // as it starts, and Rust aborts the process when that allocation fails,
    // so a thread starting late, under a tight `ulimit -v`, aborted a run
    // that would have succeeded or failed cleanly (found 2026-12-06).
    let (started, up) = std::sync::mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let _ = started.send(());
            if let Some(signal) = signals.forever().next() {
                // The list stays locked to the exit: a file is created
                // under the lock (see [`create_listed`]), so none is
                // created after these are removed.
                let files = LIVE.lock().unwrap_or_else(|e| e.into_inner());
                for path in files.iter() {
                    let _ = fs::remove_file(path);
                }
                std::process::exit(128 + signal);
            }
        });
    if spawned.is_ok() {
        let _ = up.recv();
    }
}

/// Removes the live temporary files without allocating (paths this short
/// go through a stack buffer), for an allocation failure. Skips them if
/// the list is locked: its holder may be the allocation that failed.
pub fn remove_on_failure() {
    if let Ok(files) = LIVE.try_lock() {
        for path in files.iter() {
            let _ = fs::remove_file(path);
        }
    }
}

/// Creates a temporary file with `create` and lists it, under the list's
/// lock: a signal that comes meanwhile finds it listed, or finds it not
/// yet created. (A creation that hangs in the kernel, on a dead network
/// mount, holds the signal back with it.)
pub fn create_listed(
    create: impl FnOnce() -> io::Result<NamedTempFile>,
) -> io::Result<NamedTempFile> {
    let mut files = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    let file = create()?;
    files.push(file.path().to_owned());
    Ok(file)
}

/// Takes `path` off the list: renamed into place, or removed already.
pub fn forget(path: &Path) {
    let mut files = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    files.retain(|p| p != path);
}

/// A temporary file that is removed when dropped, and listed while it
/// lives so that a signal removes it too.
pub struct LiveTempFile(Option<NamedTempFile>);

impl LiveTempFile {
    /// Creates `dir/{prefix}XXXXXX{suffix}`.
    pub fn create_in(dir: &Path, prefix: &str, suffix: &str) -> io::Result<Self> {
        create_listed(|| {
            tempfile::Builder::new()
                .prefix(prefix)
                .suffix(suffix)
                .tempfile_in(dir)
        })
        .map(|file| LiveTempFile(Some(file)))
    }

    fn file(&self) -> &NamedTempFile {
        self.0.as_ref().expect("a live file until dropped")
    }

    pub fn path(&self) -> &Path {
        self.file().path()
    }

    /// The open file, to write through: opening the path again could
    /// create it anew after a signal removed it, and leave it behind.
    pub fn as_file(&self) -> &fs::File {
        self.file().as_file()
    }
}

impl Drop for LiveTempFile {
    fn drop(&mut self) {
        // Removed, then taken off the list: a signal in between finds the
        // file listed and already gone, never unlisted and still there.
        if let Some(file) = self.0.take() {
            let path = file.path().to_owned();
            let _ = file.close();
            forget(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(path: &Path) -> bool {
        LIVE.lock().unwrap().iter().any(|p| p == path)
    }

    /// One test, not two: the list is the process's, and removal on
    /// failure removes every file on it, another test's too.
    #[test]
    fn a_live_file_is_listed_until_dropped_and_removed_on_failure() {
        let dir = tempfile::tempdir().unwrap();
        let file = LiveTempFile::create_in(dir.path(), "camcount-state-", ".osm.pbf").unwrap();
        let path = file.path().to_owned();
        assert!(path.exists() && listed(&path));
        drop(file);
        assert!(!path.exists() && !listed(&path));
        let file = LiveTempFile::create_in(dir.path(), "camcount-state-", ".tmp").unwrap();
        remove_on_failure();
        assert!(!file.path().exists());
    }
}
