//! Blob framing and decompression: the outer layer of an `.osm.pbf` file.
//!
//! Why our own: framing is where hostile and damaged files show up first
//! (truncation, lying sizes, zlib bombs, wrong formats). Owning it lets us
//! bound every allocation by the limits of the format (64 KiB headers,
//! 32 MiB blobs), name the blob index and byte offset of any damage, and pick
//! the decompression backend ourselves.
//!
//! In: a byte stream. Out: [`RawBlob`]s (still compressed) in file order, and
//! [`RawBlob::decompress`] (in `inflate`) to turn one into the bytes of a
//! block.

mod inflate;
#[cfg(test)]
mod tests;

use std::io::{self, Read};

use super::wire::{Fields, Value};
use crate::error::{Location, PbfError};

/// The format's limit on a BlobHeader (OSM PBF spec: "should be less than 32
/// KiB and must be less than 64 KiB").
pub const MAX_BLOB_HEADER_SIZE: u32 = 64 * 1024;
/// The format's limit on a blob, compressed or not.
pub const MAX_BLOB_SIZE: u64 = 32 * 1024 * 1024;

/// What a blob holds, from its BlobHeader `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobKind {
    Header,
    Data,
    /// Any other type. The spec lets readers skip these; the reader
    /// refuses them, as libosmium does: one flipped byte in "OSMData" left
    /// Monaco 15 cameras of 29, exit 0 (found 2026-12-06), and no writer
    /// we know of puts other types in a file.
    Other(String),
}

impl std::fmt::Display for BlobKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BlobKind::Header => f.write_str("OSMHeader"),
            BlobKind::Data => f.write_str("OSMData"),
            // A damaged type can be long: its first characters say enough.
            BlobKind::Other(name) => {
                write!(f, "{:?}", name.chars().take(24).collect::<String>())
            }
        }
    }
}

/// One blob as framed in the file, not yet decompressed.
#[derive(Debug, Clone)]
pub struct RawBlob {
    /// Position in the file, counted from 0.
    pub index: u64,
    /// Byte offset of the frame's length prefix.
    pub offset: u64,
    /// Bytes the whole frame takes (prefix, BlobHeader and Blob).
    pub frame_len: u64,
    pub kind: BlobKind,
    /// The encoded `Blob` message.
    pub data: Vec<u8>,
}

impl RawBlob {
    /// The blob of a frame, with its data read.
    pub fn from_frame(frame: &Frame, data: Vec<u8>) -> RawBlob {
        RawBlob {
            index: frame.index,
            offset: frame.offset,
            frame_len: frame.frame_len(),
            kind: frame.kind.clone(),
            data,
        }
    }

    pub fn location(&self) -> Location {
        Location::Blob {
            index: self.index,
            offset: self.offset,
        }
    }
}

/// Where a blob frame sits in a file, read from its BlobHeader alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub index: u64,
    /// Byte offset of the length prefix.
    pub offset: u64,
    /// Byte offset of the Blob message.
    pub data_offset: u64,
    pub data_len: u64,
    pub kind: BlobKind,
}

impl Frame {
    pub fn frame_len(&self) -> u64 {
        self.data_offset + self.data_len - self.offset
    }

    pub fn location(&self) -> Location {
        Location::Blob {
            index: self.index,
            offset: self.offset,
        }
    }
}

impl<R: Read + std::io::Seek> BlobReader<R> {
    /// Skips the data of the frame just read by [`BlobReader::next_frame`],
    /// checking against the file length that it is really there.
    pub fn skip_data(&mut self, frame: &Frame, file_len: u64) -> Result<(), PbfError> {
        let end = frame.data_offset + frame.data_len;
        if end > file_len {
            return Err(PbfError::new(
                Location::Blob {
                    index: frame.index,
                    offset: file_len,
                },
                format!(
                    "file ends inside a Blob ({} of {} bytes): the file is truncated; download it again",
                    file_len - frame.data_offset,
                    frame.data_len
                ),
            ));
        }
        let jump = i64::try_from(frame.data_len)
            .map_err(|_| PbfError::new(frame.location(), "blob too large"))?;
        self.reader
            .seek_relative(jump)
            .map_err(|e| self.io_error(e))?;
        self.offset = end;
        Ok(())
    }
}

/// Reads blob frames one after another from any byte stream.
pub struct BlobReader<R> {
    reader: R,
    offset: u64,
    index: u64,
    finished: bool,
}

impl<R: Read> BlobReader<R> {
    pub fn new(reader: R) -> Self {
        BlobReader {
            reader,
            offset: 0,
            index: 0,
            finished: false,
        }
    }

    /// Reads the next frame, `Ok(None)` at a clean end of file.
    pub fn next_blob(&mut self) -> Result<Option<RawBlob>, PbfError> {
        let Some(frame) = self.next_frame()? else {
            return Ok(None);
        };
        // The frame is counted already: its data is still blob `frame.index`.
        let data = self.read_exactly(frame.data_len, "Blob", frame.index)?;
        Ok(Some(RawBlob {
            index: frame.index,
            offset: frame.offset,
            frame_len: frame.frame_len(),
            kind: frame.kind,
            data,
        }))
    }

    /// Reads the next frame's length prefix and BlobHeader, leaving the
    /// reader at the start of its blob data; `Ok(None)` at a clean end.
    pub fn next_frame(&mut self) -> Result<Option<Frame>, PbfError> {
        let start = self.offset;
        let Some(header_len) = self.read_header_len()? else {
            return Ok(None);
        };
        let header_bytes = self.read_exactly(u64::from(header_len), "BlobHeader", self.index)?;
        let (kind, data_len) =
            parse_blob_header(&header_bytes).map_err(|p| self.frame_error(start, p))?;
        if self.index == 0 && kind != BlobKind::Header {
            return Err(self.frame_error(
                start,
                format!("the first blob is of type {kind}, not OSMHeader: not an OSM PBF file, or a damaged one"),
            ));
        }
        if let BlobKind::Other(_) = kind {
            return Err(self.frame_error(
                start,
                format!(
                    "a blob of type {kind}, neither OSMHeader nor OSMData: the file is damaged \
                     (download it again), or holds a kind of blob camcount does not read"
                ),
            ));
        }
        if data_len > MAX_BLOB_SIZE {
            return Err(self.frame_error(
                start,
                format!("blob of {data_len} bytes exceeds the format's 32 MiB limit"),
            ));
        }
        let frame = Frame {
            index: self.index,
            offset: start,
            data_offset: self.offset,
            data_len,
            kind,
        };
        self.index += 1;
        Ok(Some(frame))
    }

    fn frame_error(&self, start: u64, problem: impl Into<String>) -> PbfError {
        PbfError::new(
            Location::Blob {
                index: self.index,
                offset: start,
            },
            problem,
        )
    }

    fn read_header_len(&mut self) -> Result<Option<u32>, PbfError> {
        let mut prefix = [0u8; 4];
        let got = read_up_to(&mut self.reader, &mut prefix).map_err(|e| self.io_error(e))?;
        self.offset += got as u64;
        if got == 0 && self.index > 0 {
            return Ok(None);
        }
        if got < 4 {
            return Err(self.short_prefix_error(got));
        }
        let len = u32::from_be_bytes(prefix);
        if len > MAX_BLOB_HEADER_SIZE {
            let problem = if self.index == 0 {
                sniff_format(&prefix)
            } else {
                format!("BlobHeader length {len} exceeds the format's 64 KiB limit (corrupt frame)")
            };
            return Err(self.frame_error(self.offset - 4, problem));
        }
        Ok(Some(len))
    }

    fn short_prefix_error(&self, got: usize) -> PbfError {
        if self.index == 0 && got == 0 {
            return PbfError::new(Location::File, "empty file, not an OSM PBF file");
        }
        PbfError::new(
            Location::Offset(self.offset),
            format!(
                "file ends inside a frame length ({got} of 4 bytes): the file is truncated; \
                 download it again"
            ),
        )
    }

    /// Reads `len` bytes of blob `index`'s `what`.
    fn read_exactly(&mut self, len: u64, what: &str, index: u64) -> Result<Vec<u8>, PbfError> {
        // Grow with what the file really holds, not with what the frame claims.
        let mut buf = Vec::with_capacity(len.min(1 << 20) as usize);
        let got = (&mut self.reader)
            .take(len)
            .read_to_end(&mut buf)
            .map_err(|e| self.io_error(e))?;
        self.offset += got as u64;
        if (got as u64) < len {
            return Err(PbfError::new(
                Location::Blob {
                    index,
                    offset: self.offset,
                },
                format!(
                    "file ends inside a {what} ({got} of {len} bytes): the file is truncated; \
                     download it again"
                ),
            ));
        }
        Ok(buf)
    }

    fn io_error(&self, err: io::Error) -> PbfError {
        PbfError::new(Location::Offset(self.offset), format!("read failed: {err}"))
    }
}

impl<R: Read> Iterator for BlobReader<R> {
    type Item = Result<RawBlob, PbfError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let item = self.next_blob().transpose();
        if !matches!(item, Some(Ok(_))) {
            self.finished = true;
        }
        item
    }
}

/// Fills `buf` as far as the stream allows, returning how many bytes came.
fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

fn parse_blob_header(bytes: &[u8]) -> Result<(BlobKind, u64), String> {
    let mut kind = None;
    let mut data_len = None;
    for field in Fields::new(bytes) {
        let (number, value) = field.map_err(|e| format!("corrupt BlobHeader: {e}"))?;
        match (number, value) {
            (1, Value::Bytes(b)) => kind = Some(blob_kind(b)),
            (3, Value::Varint(v)) => data_len = Some(v),
            (1 | 3, _) => return Err("corrupt BlobHeader: field of the wrong type".into()),
            _ => {}
        }
    }
    let kind = kind.ok_or("corrupt BlobHeader: no type")?;
    let data_len = data_len.ok_or("corrupt BlobHeader: no datasize")?;
    Ok((kind, data_len))
}

fn blob_kind(bytes: &[u8]) -> BlobKind {
    match bytes {
        b"OSMHeader" => BlobKind::Header,
        b"OSMData" => BlobKind::Data,
        other => BlobKind::Other(String::from_utf8_lossy(other).into_owned()),
    }
}

/// Names the format of a file that is not PBF, from its first bytes.
fn sniff_format(prefix: &[u8; 4]) -> String {
    let guess = match prefix {
        [b'<', ..] => "it looks like OSM XML; convert it with `osmium cat IN.osm -o OUT.osm.pbf`",
        [b'{' | b'[', ..] => "it looks like JSON or GeoJSON",
        [0x1f, 0x8b, ..] => "it looks like a gzip file; decompress it first",
        [b'B', b'Z', b'h', _] => "it looks like a bzip2 file; decompress it first",
        [0x28, 0xb5, 0x2f, 0xfd] => "it looks like a zstd file; decompress it first",
        _ => "its first frame claims a BlobHeader over 64 KiB",
    };
    format!("not an OSM PBF file: {guess}")
}
