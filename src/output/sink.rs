//! Where an output goes: stdout, or a file that appears whole or not at all.
//!
//! Why: a run that fails half-way must not leave a half-written table that a
//! newsroom then publishes, nor clobber yesterday's good file. A file output
//! is written to a temporary file in the same folder (so the final rename is
//! atomic) and renamed into place only on success. The temporary file is
//! created before the scan starts, so an unwritable path fails at once.
//! SIGINT, SIGTERM and SIGHUP remove it too, then exit 128 + the signal as
//! shells do, and so does an allocation failure (see
//! [`crate::temp_files`]).
//!
//! A new output gets 0666 less the umask, as `>` in a shell would give it;
//! a replaced file keeps its permissions. A symlink is written through,
//! dangling or not: the file it names is replaced or created, and the link
//! stays.
//!
//! In: an optional path. Out: a `Write` and a `commit`.

use std::fs;
use std::io::{self, BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::temp_files;

/// An output being written.
pub struct Sink {
    /// Always `Some` until `commit` takes it.
    target: Option<Target>,
}

enum Target {
    Stdout(BufWriter<Stdout>),
    /// A device or FIFO (`-o /dev/null`): written in place, since renaming a
    /// file over it would replace the device.
    Stream {
        out: BufWriter<fs::File>,
        path: PathBuf,
    },
    File {
        temp: BufWriter<NamedTempFile>,
        /// Where the temporary file is renamed to: the path given, or the
        /// file a symlink points to (so the link survives).
        destination: PathBuf,
        /// The path as given, for messages.
        path: PathBuf,
    },
}

impl Sink {
    /// Opens stdout (`None` or `-`) or a temporary file beside `path`.
    pub fn create(path: Option<&Path>) -> Result<Sink> {
        let target = match path {
            None => stdout()?,
            Some(p) if p.as_os_str() == "-" => stdout()?,
            Some(p) => open_path(p)?,
        };
        Ok(Sink {
            target: Some(target),
        })
    }

    /// The path errors should name: the file, or `<stdout>`.
    pub fn display_path(&self) -> PathBuf {
        match &self.target {
            Some(Target::File { path, .. } | Target::Stream { path, .. }) => path.clone(),
            _ => PathBuf::from("<stdout>"),
        }
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match self.target.as_mut() {
            Some(Target::Stdout(out)) => out,
            Some(Target::Stream { out, .. }) => out,
            Some(Target::File { temp, .. }) => temp,
            None => unreachable!("a committed sink is consumed"),
        }
    }

    /// Runs `render` on the sink and maps its I/O errors to this output.
    pub fn render(&mut self, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
        let path = self.display_path();
        render(self.writer()).map_err(|e| Error::write(&path, e))
    }

    /// Flushes, and for a file renames the temporary file into place.
    pub fn commit(mut self) -> Result<()> {
        match self.target.take() {
            Some(Target::Stdout(mut out)) => out
                .flush()
                .map_err(|e| Error::write(Path::new("<stdout>"), e)),
            Some(Target::Stream { mut out, path }) => {
                out.flush().map_err(|e| Error::write(&path, e))
            }
            Some(Target::File {
                temp,
                destination,
                path,
            }) => persist(temp, &destination).map_err(|e| Error::write(&path, e)),
            None => Ok(()),
        }
    }
}

/// Chooses how to write `path`: in place for a device or FIFO, else through
/// a temporary file beside the real file (following a symlink).
fn open_path(path: &Path) -> Result<Target> {
    let destination = match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(Error::write(path, io::Error::other("is a directory")))
        }
        Ok(meta) if !meta.is_file() => {
            let file = fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::write(path, e))?;
            return Ok(Target::Stream {
                out: BufWriter::with_capacity(1 << 16, file),
                path: path.to_owned(),
            });
        }
        Ok(_) => fs::canonicalize(path).map_err(|e| Error::write(path, e))?,
        Err(_) => link_target(path).map_err(|e| Error::write(path, e))?,
    };
    let temp = create_temp_beside(&destination).map_err(|e| Error::write(path, e))?;
    Ok(Target::File {
        temp: BufWriter::with_capacity(1 << 16, temp),
        destination,
        path: path.to_owned(),
    })
}

/// The file a missing path should be created as: the path itself, or, for
/// a dangling symlink, the missing file at the end of its chain, so that
/// the rename creates it and leaves the link (renaming over the link
/// replaced it with a regular file before 2026-12-04).
fn link_target(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_owned();
    // Linux gives up after 40 links; so do we, rather than loop forever.
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(folder) => folder.join(next),
                    None => next,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn create_temp_beside(path: &Path) -> io::Result<NamedTempFile> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".camcount-").suffix(".tmp");
    // Created 0666 less the umask (the kernel applies it), as a new output
    // should be; tempfile's default is 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    temp_files::create_listed(|| builder.tempfile_in(folder))
}

/// Flushes the temporary file and renames it over `destination`, keeping
/// the permissions of the file it replaces.
fn persist(temp: BufWriter<NamedTempFile>, destination: &Path) -> io::Result<()> {
    let temp = temp.into_inner().map_err(|e| e.into_error())?;
    temp.as_file().sync_all()?;
    let temp_path = temp.path().to_owned();
    set_permissions_like(temp.as_file(), destination);
    temp.persist(destination).map_err(|e| e.error)?;
    temp_files::forget(&temp_path);
    Ok(())
}

impl Drop for Sink {
    fn drop(&mut self) {
        // A sink dropped without commit is a failed run: NamedTempFile
        // deletes the file; forget it so the signal handler does not try.
        if let Some(Target::File { temp, .. }) = &self.target {
            temp_files::forget(temp.get_ref().path());
        }
    }
}

/// Gives the output the permissions of the file it replaces; a new file
/// keeps those it was created with (0666 less the umask).
fn set_permissions_like(file: &fs::File, destination: &Path) {
    if let Ok(meta) = fs::metadata(destination) {
        let _ = file.set_permissions(meta.permissions());
    }
}

/// Whether standard output cannot be written, noted before any file is
/// opened.
static STDOUT_UNWRITABLE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Notes whether standard output can be written. Call it first thing in
/// `main`.
pub fn check_stdout() {
    STDOUT_UNWRITABLE.get_or_init(stdout_unwritable);
}

/// A stdout opened for reading only (`camcount x.pbf 1</dev/null`): its
/// writes fail with EBADF, which Rust's stdout takes for a success. (A
/// closed stdout is /dev/null by the time `main` runs: the runtime opens
/// it there.) A write of no bytes on a copy of the descriptor tells,
/// without writing anything.
#[cfg(unix)]
fn stdout_unwritable() -> bool {
    use std::io::Write as _;
    use std::os::fd::AsFd;
    let Ok(copy) = io::stdout().as_fd().try_clone_to_owned() else {
        return true;
    };
    // EBADF only: a full disk (`> /dev/full`) refuses even no bytes, and
    // its own error says so when the table is written.
    const EBADF: i32 = 9;
    let refused = std::fs::File::from(copy).write(&[]);
    refused.is_err_and(|e| e.raw_os_error() == Some(EBADF))
}

#[cfg(not(unix))]
fn stdout_unwritable() -> bool {
    false
}

/// The error of a standard output that takes no writes (see
/// [`check_stdout`]): the tables' sink and `--help` say it alike.
pub fn require_stdout() -> Result<()> {
    if !*STDOUT_UNWRITABLE.get_or_init(stdout_unwritable) {
        return Ok(());
    }
    let unwritable = io::Error::other(
        "standard output is not open for writing: nothing could be written; give -o FILE, or a \
         stdout that takes writes",
    );
    Err(Error::write(Path::new("<stdout>"), unwritable))
}

/// Standard output, once it is known to take writes: `camcount x.pbf
/// 1</dev/null` wrote nothing, printed its summary and exited 0 (found
/// 2026-12-06).
fn stdout() -> Result<Target> {
    require_stdout()?;
    Ok(Target::Stdout(BufWriter::with_capacity(
        1 << 16,
        io::stdout(),
    )))
}
