//! Blob decompression: a framed blob's `Blob` message read for its
//! payload, and the payload inflated into the bytes of a block.
//!
//! Why apart from framing: here the limits are the declared `raw_size`
//! and the format's 32 MiB, enforced before any inflater runs, and the
//! choice of backend per compression.
//!
//! In: a [`RawBlob`]. Out: its block bytes in a reusable buffer, or the
//! damage named with the blob's index and offset.

use std::cell::RefCell;

use libdeflater::{DecompressionError, Decompressor};

use super::super::wire::Fields;
use super::{RawBlob, MAX_BLOB_SIZE};
use crate::error::PbfError;

thread_local! {
    /// One inflater per thread: its tables are worth keeping between blobs.
    static INFLATER: RefCell<Decompressor> = RefCell::new(Decompressor::new());
}

impl RawBlob {
    fn error(&self, problem: impl Into<String>) -> PbfError {
        PbfError::new(self.location(), problem)
    }

    /// Decompresses the blob into `out` (cleared first), so that a caller can
    /// reuse one buffer for many blobs.
    pub fn decompress(&self, out: &mut Vec<u8>) -> Result<(), PbfError> {
        let payload = self.payload()?;
        match payload.compression {
            Compression::Raw => {
                out.clear();
                out.extend_from_slice(payload.bytes);
                Ok(())
            }
            Compression::Zlib => self.inflate("zlib", &payload, out, Self::zlib),
            Compression::Lz4 => self.inflate("lz4", &payload, out, Self::lz4),
            Compression::Unsupported(name) => Err(self.error(format!(
                "blob uses {name} compression, which camcount does not support; \
                 re-encode the file with zlib, e.g. `osmium cat IN -o OUT.osm.pbf`"
            ))),
        }
    }

    /// Inflates only as much of the blob as `answer` needs: it is asked,
    /// with the bytes inflated so far, after each step (16 KiB, then
    /// doubling), and its first `Some` is returned. `None` when the blob is
    /// not zlib, its data is damaged, or all of it gave no answer: the
    /// caller then decompresses it whole, which names any damage. For the
    /// section probes, which ask what a block starts with.
    pub fn inflate_prefix<T>(&self, mut answer: impl FnMut(&[u8]) -> Option<T>) -> Option<T> {
        let payload = self.payload().ok()?;
        if !matches!(payload.compression, Compression::Zlib) {
            return None;
        }
        let limit = self.raw_size(&payload).ok()?;
        let mut inflater = flate2::Decompress::new(true);
        let mut out = Vec::new();
        let mut step = 16 * 1024;
        while out.len() < limit {
            out.reserve_exact(step.min(limit - out.len()));
            let (before_in, before_out) = (inflater.total_in(), out.len());
            let rest = payload.bytes.get(usize::try_from(before_in).ok()?..)?;
            let status = inflater
                .decompress_vec(rest, &mut out, flate2::FlushDecompress::None)
                .ok()?;
            if let Some(found) = answer(&out) {
                return Some(found);
            }
            let stuck = inflater.total_in() == before_in && out.len() == before_out;
            if status == flate2::Status::StreamEnd || stuck {
                return None;
            }
            step *= 2;
        }
        None
    }

    fn payload(&self) -> Result<Payload<'_>, PbfError> {
        let mut payload: Option<Payload<'_>> = None;
        let mut raw_size = None;
        for field in Fields::new(&self.data) {
            let (number, value) = field.map_err(|e| self.error(format!("corrupt Blob: {e}")))?;
            let compression = match number {
                1 => Compression::Raw,
                2 => {
                    raw_size = Some(
                        value
                            .varint()
                            .map_err(|e| self.error(format!("corrupt Blob raw_size: {e}")))?,
                    );
                    continue;
                }
                3 => Compression::Zlib,
                4 => Compression::Unsupported("lzma"),
                5 => Compression::Unsupported("bzip2"),
                6 => Compression::Lz4,
                7 => Compression::Unsupported("zstd"),
                _ => continue,
            };
            let bytes = value
                .bytes()
                .map_err(|e| self.error(format!("corrupt Blob: {e}")))?;
            payload = Some(Payload {
                compression,
                bytes,
                raw_size: None,
            });
        }
        let mut payload = payload.ok_or_else(|| self.error("Blob has no data field"))?;
        payload.raw_size = raw_size;
        Ok(payload)
    }

    fn raw_size(&self, payload: &Payload<'_>) -> Result<usize, PbfError> {
        let size = payload
            .raw_size
            .ok_or_else(|| self.error("compressed Blob has no raw_size"))?;
        if size > MAX_BLOB_SIZE {
            return Err(self.error(format!(
                "Blob raw_size {size} exceeds the format's 32 MiB limit"
            )));
        }
        Ok(size as usize)
    }

    /// Inflates a compressed payload into `out` with `codec`, which returns
    /// how many bytes it wrote; fewer than `raw_size` is an error.
    fn inflate(
        &self,
        name: &str,
        payload: &Payload<'_>,
        out: &mut Vec<u8>,
        codec: impl FnOnce(&Self, &[u8], &mut [u8]) -> Result<usize, PbfError>,
    ) -> Result<(), PbfError> {
        let raw_size = self.raw_size(payload)?;
        // The inflaters write into a buffer of exactly raw_size, so a lying
        // header or a zlib bomb cannot make them allocate more. `resize`
        // keeps the bytes a reused buffer already holds, for the inflater to
        // overwrite rather than zeroing them first (a short result is an
        // error below, so no stale byte is ever read).
        out.resize(raw_size, 0);
        let produced = codec(self, payload.bytes, out)?;
        if produced != raw_size {
            return Err(self.error(format!(
                "{name} data inflates to {produced} bytes, but raw_size says {raw_size}"
            )));
        }
        Ok(())
    }

    /// zlib through libdeflate, which refuses to write past `out`.
    fn zlib(&self, input: &[u8], out: &mut [u8]) -> Result<usize, PbfError> {
        let produced = INFLATER.with_borrow_mut(|inflater| inflater.zlib_decompress(input, out));
        produced.map_err(|e| match e {
            DecompressionError::InsufficientSpace => self.error(format!(
                "zlib data inflates past its declared raw_size of {} bytes",
                out.len()
            )),
            DecompressionError::BadData => {
                self.error("corrupt zlib data (truncated or damaged blob)")
            }
        })
    }

    fn lz4(&self, input: &[u8], out: &mut [u8]) -> Result<usize, PbfError> {
        lz4_flex::block::decompress_into(input, out)
            .map_err(|e| self.error(format!("corrupt lz4 data: {e}")))
    }
}

enum Compression {
    Raw,
    Zlib,
    Lz4,
    Unsupported(&'static str),
}

struct Payload<'a> {
    compression: Compression,
    bytes: &'a [u8],
    raw_size: Option<u64>,
}
