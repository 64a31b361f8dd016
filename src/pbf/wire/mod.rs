//! The Protocol Buffers wire format, reduced to what OSM PBF uses.
//!
//! Why our own: OSM PBF needs five wire features (varints, zigzag, length-
//! delimited fields, packed repeated varints, skipping unknown fields). Owning
//! them lets the reader stay zero-copy, bound every length by the bytes that
//! are really there, and report *what* is wrong instead of panicking. The
//! writer half serves our own PBF writer (fixtures, samples, the benchmark
//! corpus).
//!
//! This file holds [`WireError`], which every reader here returns; the parts
//! are `varint` (varints and zigzag, read and written, and counting the
//! varints of a packed field), `fields` (a message's fields, packed fields and
//! length-delimited values, read in place) and `write` (fields appended to a
//! buffer, for the writer).
//!
//! In: byte slices. Out: fields and integers, or a [`WireError`].

use std::borrow::Cow;
use std::fmt;

mod fields;
mod varint;
mod write;

pub use fields::{read_length_delimited, skip_field, slice_at, Fields, Packed, Value};
pub use varint::{
    count_varints, put_varint, read_varint, read_varint_inline, squeeze, unzigzag, zigzag,
};
pub use write::{put_bytes, put_packed, put_packed_delta, put_sint, put_uint};

/// What went wrong while reading protobuf bytes. Carries no location: the
/// caller adds the blob index and byte offset it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub Cow<'static, str>);

impl WireError {
    pub const fn new(problem: &'static str) -> Self {
        WireError(Cow::Borrowed(problem))
    }

    /// Prefixes the problem with the element it was found in.
    pub fn context(self, what: impl fmt::Display) -> Self {
        WireError(Cow::Owned(format!("{what}: {}", self.0)))
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}
