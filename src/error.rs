//! Error kinds, their messages and their exit codes.
//!
//! Why one place: every error a user can hit must be one line naming the file
//! and what is wrong (with the blob and byte offset for PBF damage), and must
//! map to a documented exit code: 0 ok, 1 data or I/O error, 2 usage. The
//! library returns these; `main` prints them and exits.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Exit code for bad data or a failed read or write.
pub const EXIT_DATA: u8 = 1;
/// Exit code for a command line that cannot run.
pub const EXIT_USAGE: u8 = 2;

/// Where in a PBF file a problem sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The whole file (empty, wrong format).
    File,
    /// A byte offset outside any complete blob (framing).
    Offset(u64),
    /// A blob, counted from 0, and the byte offset where its frame starts.
    Blob { index: u64, offset: u64 },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Offset(offset) => write!(f, "at byte {offset}: "),
            Location::Blob { index, offset } => write!(f, "blob {index} at byte {offset}: "),
        }
    }
}

/// A problem found in PBF data: where, and what (with a remedy when one helps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PbfError {
    pub location: Location,
    pub problem: String,
}

impl PbfError {
    pub fn new(location: Location, problem: impl Into<String>) -> Self {
        PbfError {
            location,
            problem: problem.into(),
        }
    }

    /// The blob index this error points at, if any; used to report the
    /// first error in file order whatever thread found it.
    pub fn blob_index(&self) -> Option<u64> {
        match self.location {
            Location::Blob { index, .. } => Some(index),
            _ => None,
        }
    }
}

impl fmt::Display for PbfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.location, self.problem)
    }
}

impl std::error::Error for PbfError {}

/// Every error the library can return.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading an input failed at the OS level.
    #[error("{}: {}", path.display(), describe_io(source))]
    Read { path: PathBuf, source: io::Error },

    /// An input PBF is not valid.
    #[error("{}: {source}", path.display())]
    Pbf { path: PathBuf, source: PbfError },

    /// A side input (GeoJSON boundaries, population CSV) is not usable.
    #[error("{}: {message}", path.display())]
    Input { path: PathBuf, message: String },

    /// An output cannot be created or written.
    #[error("{}: cannot write output: {}", path.display(), describe_io(source))]
    Write { path: PathBuf, source: io::Error },

    /// The reader of our stdout went away (`| head`); not a failure.
    #[error("broken pipe")]
    BrokenPipe,

    /// The options cannot run as given.
    #[error("{0}")]
    Usage(String),

    /// The system refused what the run needs (threads, under a process
    /// or memory limit).
    #[error("{0}")]
    Resource(String),
}

impl Error {
    pub fn read(path: &Path, source: io::Error) -> Self {
        Error::Read {
            path: path.to_owned(),
            source,
        }
    }

    pub fn pbf(path: &Path, source: PbfError) -> Self {
        Error::Pbf {
            path: path.to_owned(),
            source,
        }
    }

    pub fn input(path: &Path, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    /// A write error, with a broken pipe singled out so it can end quietly.
    pub fn write(path: &Path, source: io::Error) -> Self {
        if is_broken_pipe(&source) {
            return Error::BrokenPipe;
        }
        Error::Write {
            path: path.to_owned(),
            source,
        }
    }

    /// The documented exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::BrokenPipe => 0,
            Error::Usage(_) => EXIT_USAGE,
            _ => EXIT_DATA,
        }
    }
}

/// True when `err`, or an error it wraps (the csv crate wraps I/O errors),
/// is a broken pipe.
fn is_broken_pipe(err: &io::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
        {
            return true;
        }
        if let Some(csv_err) = e.downcast_ref::<csv::Error>() {
            if let csv::ErrorKind::Io(io) = csv_err.kind() {
                return io.kind() == io::ErrorKind::BrokenPipe;
            }
        }
        current = e.source().or_else(|| {
            e.downcast_ref::<io::Error>()
                .and_then(|io| io.get_ref().map(|inner| inner as _))
        });
    }
    false
}

/// The OS message without Rust's "(os error N)" suffix, which users don't need.
fn describe_io(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_string(),
        None => text,
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
