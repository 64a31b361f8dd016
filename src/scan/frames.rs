//! The frame index and the section plan.
//!
//! Why: reading BlobHeaders and seeking over the data costs a few reads per
//! blob, not an inflate. With every frame's position known, a pass can read
//! exactly the blobs it needs, in parallel, by position. When the header
//! says `Sort.Type_then_ID`, a binary search that inflates a few blobs finds
//! where the node, way and relation sections start, so the whole run reads
//! relations, then ways, then nodes, and inflates each blob once.
//!
//! In: a PBF path. Out: a [`FrameIndex`] and a [`SectionPlan`].

use std::fs::File;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, PbfError, Result};
use crate::pbf::blob::{BlobKind, BlobReader, Frame, RawBlob};
use crate::pbf::block::{ElementType, TypeSpan};
use crate::pbf::{self, HeaderBlock};

/// Every frame of a file, read without inflating any data blob.
pub struct FrameIndex {
    pub path: PathBuf,
    pub header: HeaderBlock,
    pub file_len: u64,
    /// The `OSMData` frames, in file order (the reader refuses other
    /// types).
    pub data: Vec<Frame>,
    file: File,
}

impl FrameIndex {
    /// Reads the header blob, then every BlobHeader, seeking over the data.
    pub fn build(path: &Path) -> Result<FrameIndex> {
        let file = pbf::open_regular_file(path)?;
        let file_len = file.metadata().map_err(|e| Error::read(path, e))?.len();
        let mut frames = BlobReader::new(HeaderReader::new(&file));
        let fail = |e: PbfError| Error::pbf(path, e);
        let first = frames
            .next_blob()
            .map_err(fail)?
            .ok_or_else(|| fail(empty_file()))?;
        let header = pbf::read_header(&first).map_err(fail)?;
        let mut data = Vec::new();
        while let Some(frame) = frames.next_frame().map_err(fail)? {
            frames.skip_data(&frame, file_len).map_err(fail)?;
            // Two files joined end to end (`cat a.pbf b.pbf`) read as one
            // whose second header was skipped: its bounding box and date
            // were the first file's (found 2026-12-05).
            if frame.kind == BlobKind::Header {
                return Err(fail(PbfError::new(
                    frame.location(),
                    "a second OSMHeader: two files joined end to end (`cat a.pbf b.pbf`)? \
                     merge them with `osmium merge a.pbf b.pbf -o merged.osm.pbf`",
                )));
            }
            data.push(frame);
        }
        Ok(FrameIndex {
            path: path.to_owned(),
            header,
            file_len,
            data,
            file,
        })
    }

    /// Reads one frame's blob by position; safe to call from many threads.
    pub fn read(&self, frame: &Frame) -> std::result::Result<RawBlob, PbfError> {
        self.read_into(frame, Vec::new())
    }

    /// Reads one frame's blob into `buffer`'s allocation, hands it to
    /// `work`, and keeps the allocation in `buffer` for the next blob: a
    /// thread that reads many blobs allocates, and zeroes, only when a blob
    /// is larger than any before.
    pub fn with_blob<T>(
        &self,
        frame: &Frame,
        buffer: &mut Vec<u8>,
        work: impl FnOnce(&RawBlob) -> std::result::Result<T, PbfError>,
    ) -> std::result::Result<T, PbfError> {
        let blob = self.read_into(frame, std::mem::take(buffer))?;
        let outcome = work(&blob);
        *buffer = blob.data;
        outcome
    }

    /// Folds the data blocks at `positions` (all: `0..data.len()`), in
    /// parallel, into one value: `each` reads a block with its thread's
    /// scratch state (from `scratch`), `combine` merges two results (a
    /// block with nothing to say gives `None`). The passes a count pays
    /// only on some files (the newest object, where the nodes lie) are this.
    pub fn fold_blocks<S, T: Send>(
        &self,
        positions: Range<usize>,
        scratch: impl Fn() -> S + Sync + Send,
        each: impl Fn(
                &pbf::block::PrimitiveBlock<'_>,
                &mut S,
            ) -> std::result::Result<Option<T>, pbf::wire::WireError>
            + Sync
            + Send,
        combine: impl Fn(Option<T>, Option<T>) -> Option<T> + Sync + Send,
    ) -> std::result::Result<Option<T>, PbfError> {
        use rayon::prelude::*;
        self.data[positions]
            .par_iter()
            .map_init(
                || (Vec::new(), Vec::new(), scratch()),
                |(compressed, inflated, state), frame| {
                    self.with_blob(frame, compressed, |blob| {
                        pbf::with_block(blob, inflated, |block| each(block, state))
                            .map(Option::flatten)
                    })
                },
            )
            .try_reduce(|| None, |a, b| Ok(combine(a, b)))
    }

    fn read_into(
        &self,
        frame: &Frame,
        mut data: Vec<u8>,
    ) -> std::result::Result<RawBlob, PbfError> {
        data.resize(frame.data_len as usize, 0);
        read_exact_at(&self.file, &mut data, frame.data_offset)
            .map_err(|e| PbfError::new(frame.location(), format!("read failed: {e}")))?;
        Ok(RawBlob::from_frame(frame, data))
    }

    /// What a data blob starts with, from as little of it as that takes
    /// ([`pbf::block::first_type_in_prefix`]); when a part gives no answer
    /// (not zlib, no elements, or damage), the whole blob's span. The blob
    /// is read from the file once either way. A part's zlib checksum goes
    /// unchecked, but the three sections together cover every blob, so a
    /// stage reads each probed blob whole, checksum and all, before any
    /// figure is given.
    fn probe_first(&self, position: usize) -> std::result::Result<Probe, PbfError> {
        let blob = self.read(&self.data[position])?;
        let first = (blob.kind == BlobKind::Data)
            .then(|| blob.inflate_prefix(pbf::block::first_type_in_prefix))
            .flatten();
        match first {
            Some(first) => Ok(Probe::First(first)),
            None => Ok(Probe::Whole(Self::span_of(&blob)?)),
        }
    }

    /// The element types a data blob starts and ends with (inflates it).
    fn type_span(&self, position: usize) -> std::result::Result<TypeSpan, PbfError> {
        Self::span_of(&self.read(&self.data[position])?)
    }

    fn span_of(blob: &RawBlob) -> std::result::Result<TypeSpan, PbfError> {
        let mut scratch = Vec::new();
        Ok(pbf::with_block(blob, &mut scratch, |block| block.type_span())?.flatten())
    }
}

/// What a section probe learnt of a blob.
enum Probe {
    /// The type it starts with, from a part of it.
    First(ElementType),
    /// Its whole span, from all of it.
    Whole(TypeSpan),
}

fn empty_file() -> PbfError {
    PbfError::new(crate::error::Location::File, "empty file")
}

/// Reads frame headers by position: a seek over a blob only moves the
/// position, and a read past the buffer fills it with one positioned read,
/// so each frame costs one system call where a `BufReader` took a seek and
/// a read. Small, because the buffer is refilled at every frame.
struct HeaderReader<'f> {
    file: &'f File,
    position: u64,
    buffer: Vec<u8>,
    buffer_start: u64,
}

impl<'f> HeaderReader<'f> {
    /// A frame's length prefix and BlobHeader nearly always fit.
    const CAPACITY: usize = 256;

    fn new(file: &'f File) -> Self {
        HeaderReader {
            file,
            position: 0,
            buffer: Vec::with_capacity(Self::CAPACITY),
            buffer_start: 0,
        }
    }

    fn buffered(&self) -> Option<&[u8]> {
        let skip = self.position.checked_sub(self.buffer_start)?;
        let skip = usize::try_from(skip).ok()?;
        self.buffer.get(skip..).filter(|rest| !rest.is_empty())
    }

    fn fill(&mut self) -> std::io::Result<()> {
        self.buffer.resize(Self::CAPACITY, 0);
        let got = read_at(self.file, &mut self.buffer, self.position)?;
        self.buffer.truncate(got);
        self.buffer_start = self.position;
        Ok(())
    }
}

impl std::io::Read for HeaderReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.buffered().is_none() {
            self.fill()?;
        }
        let available = self.buffered().unwrap_or_default();
        let n = out.len().min(available.len());
        out[..n].copy_from_slice(&available[..n]);
        self.position += n as u64;
        Ok(n)
    }
}

impl std::io::Seek for HeaderReader<'_> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let moved = match to {
            std::io::SeekFrom::Start(offset) => Some(offset),
            std::io::SeekFrom::Current(delta) => self.position.checked_add_signed(delta),
            std::io::SeekFrom::End(_) => None,
        };
        self.position = moved.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "unsupported seek")
        })?;
        Ok(self.position)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// Which data blobs (positions in [`FrameIndex::data`]) hold which types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SectionPlan {
    /// A sorted file: each range holds every element of its type. A blob
    /// where two sections meet belongs to both.
    Sorted {
        nodes: Range<usize>,
        ways: Range<usize>,
        relations: Range<usize>,
    },
    /// No usable order: the first pass reads everything.
    Unsorted,
}

impl SectionPlan {
    /// Plans from the header's promise, checked by probing a few blobs.
    /// Also returns how many blobs were inflated to probe.
    pub fn probe(index: &FrameIndex) -> std::result::Result<(SectionPlan, usize), PbfError> {
        if !index.header.is_sorted() || index.data.is_empty() {
            return Ok((SectionPlan::Unsorted, 0));
        }
        Self::probe_unpromised(index)
    }

    /// Plans by probing whatever the header promises: osmium writes
    /// history files in order without saying so, and the history read
    /// checks the order of every blob it reads.
    pub fn probe_unpromised(
        index: &FrameIndex,
    ) -> std::result::Result<(SectionPlan, usize), PbfError> {
        let mut spans = SpanCache::default();
        let plan = Self::search(index, &mut spans)?;
        Ok((plan, spans.reads))
    }

    /// Two binary searches on what blobs start with find where the way
    /// and relation sections end; a section starts at its predecessor's
    /// end, or one blob before when that blob also holds its type. So all
    /// but two probes only ask what a blob starts with
    /// ([`FrameIndex::probe_first`]), and the two that ask what a blob ends
    /// with run side by side. Whole probes, one after another, took 26 ms
    /// of a 0.30 s `cameras` run on the tiled corpus (2026-12-06).
    fn search(
        index: &FrameIndex,
        spans: &mut SpanCache,
    ) -> std::result::Result<SectionPlan, PbfError> {
        let n = index.data.len();
        let mut first_after = |kind: ElementType| -> std::result::Result<Option<usize>, PbfError> {
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let Some(first) = spans.first(index, mid)? else {
                    return Ok(None);
                };
                if first > kind {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            Ok(Some(lo))
        };
        let (Some(node_end), Some(way_end)) = (
            first_after(ElementType::Node)?,
            first_after(ElementType::Way)?,
        ) else {
            return Ok(SectionPlan::Unsorted);
        };
        if node_end > way_end {
            return Ok(SectionPlan::Unsorted);
        }
        // The blobs before each end: whether they also hold the next type.
        let before = |end: usize| end.checked_sub(1);
        let [node_last, way_last] = spans.lasts(index, [before(node_end), before(way_end)])?;
        let start = |end: usize, last: Option<ElementType>, kind: ElementType| match last {
            Some(last) if last >= kind => end - 1,
            _ => end,
        };
        if node_last.is_none() && node_end > 0 || way_last.is_none() && way_end > 0 {
            return Ok(SectionPlan::Unsorted);
        }
        Ok(SectionPlan::Sorted {
            nodes: 0..node_end,
            ways: start(node_end, node_last, ElementType::Way)..way_end,
            relations: start(way_end, way_last, ElementType::Relation)..n,
        })
    }
}

/// Probed blobs, so the searches share their inflates: what a blob starts
/// with (inflated as far as that), and the whole span of those inflated
/// whole.
#[derive(Default)]
struct SpanCache {
    firsts: std::collections::HashMap<usize, ElementType>,
    spans: std::collections::HashMap<usize, TypeSpan>,
    /// Blobs read, to inflate them in part or whole.
    reads: usize,
}

impl SpanCache {
    /// The type the blob at `position` starts with; `None` for a blob
    /// without elements.
    fn first(
        &mut self,
        index: &FrameIndex,
        position: usize,
    ) -> std::result::Result<Option<ElementType>, PbfError> {
        if let Some(&span) = self.spans.get(&position) {
            return Ok(span.map(|(first, _)| first));
        }
        if let Some(&first) = self.firsts.get(&position) {
            return Ok(Some(first));
        }
        self.reads += 1;
        match index.probe_first(position)? {
            Probe::First(first) => {
                self.firsts.insert(position, first);
                Ok(Some(first))
            }
            Probe::Whole(span) => {
                self.spans.insert(position, span);
                Ok(span.map(|(first, _)| first))
            }
        }
    }

    /// The type each blob of `positions` ends with (`None` for no blob, or
    /// a blob without elements), the blobs inflated in parallel.
    fn lasts(
        &mut self,
        index: &FrameIndex,
        positions: [Option<usize>; 2],
    ) -> std::result::Result<[Option<ElementType>; 2], PbfError> {
        let span = |position: Option<usize>| match position {
            Some(p) if !self.spans.contains_key(&p) => index.type_span(p).map(|s| Some((p, s))),
            _ => Ok(None),
        };
        let [a, b] = positions;
        let inflated = match a == b {
            true => [span(a)?, None],
            false => {
                let (x, y) = rayon::join(|| span(a), || span(b));
                [x?, y?]
            }
        };
        for (p, s) in inflated.into_iter().flatten() {
            self.reads += 1;
            self.spans.insert(p, s);
        }
        let last = |p: Option<usize>| p.and_then(|p| self.spans[&p]).map(|(_, last)| last);
        Ok([last(a), last(b)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, SeekFrom, Write};

    use crate::pbf::wire::put_bytes;
    use crate::pbf::writer::{blob_message, frame, Compression, PbfWriter, WriterOptions};
    use ElementType::{Node as N, Relation as R, Way as W};

    /// A sorted file whose data blobs hold groups of the given types, each
    /// block behind a string table of 40 KB, so that a probe inflates its
    /// part in more than one step.
    fn file_of(blobs: &[&[ElementType]], compression: Compression) -> tempfile::NamedTempFile {
        let options = WriterOptions {
            compression,
            ..WriterOptions::default()
        };
        let mut bytes = PbfWriter::new(Vec::new(), options)
            .unwrap()
            .finish()
            .unwrap();
        let mut table = Vec::new();
        for i in 0..2000u32 {
            put_bytes(
                &mut table,
                1,
                format!("{:020}", i.wrapping_mul(2_654_435_761)).as_bytes(),
            );
        }
        for kinds in blobs {
            let mut block = Vec::new();
            put_bytes(&mut block, 1, &table);
            for kind in *kinds {
                let number = match kind {
                    N => 2,
                    W => 3,
                    R => 4,
                };
                let mut group = Vec::new();
                put_bytes(&mut group, number, b"element");
                put_bytes(&mut block, 2, &group);
            }
            bytes.extend(frame(
                "OSMData",
                &blob_message(&block, compression).unwrap(),
            ));
        }
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(&bytes).unwrap();
        file
    }

    /// The plan by its definition, from every blob inflated whole.
    fn plan_of_every_span(index: &FrameIndex) -> SectionPlan {
        let spans: Vec<_> = (0..index.data.len())
            .map(|p| index.type_span(p).unwrap().unwrap())
            .collect();
        let first = |test: &dyn Fn((ElementType, ElementType)) -> bool| {
            spans.iter().position(|&s| test(s)).unwrap_or(spans.len())
        };
        SectionPlan::Sorted {
            nodes: 0..first(&|(f, _)| f > N),
            ways: first(&|(_, l)| l >= W)..first(&|(f, _)| f > W),
            relations: first(&|(_, l)| l >= R)..spans.len(),
        }
    }

    // 2026-12-06: the probes ask most blobs only what they start with, from
    // a part inflated; the plan must be the one every span gives.
    #[test]
    fn the_plan_from_parts_is_the_plan_from_every_span() {
        let layouts: &[&[&[ElementType]]] = &[
            &[&[N], &[N], &[N], &[W], &[W], &[R], &[R]],
            &[&[N], &[N], &[N, W], &[W], &[W, R], &[R]],
            &[&[N], &[N, W, R], &[R]],
            &[&[N], &[N], &[N]],
            &[&[N], &[N], &[R], &[R]],
            &[&[N], &[N, R], &[R]],
            &[&[W], &[W], &[R]],
            &[&[N], &[N], &[N, W], &[W]],
            &[&[R]],
            &[&[N, W]],
        ];
        for compression in [Compression::Zlib(6), Compression::None, Compression::Lz4] {
            for blobs in layouts {
                let file = file_of(blobs, compression);
                let index = FrameIndex::build(file.path()).unwrap();
                let (plan, probes) = SectionPlan::probe(&index).unwrap();
                assert_eq!(
                    plan,
                    plan_of_every_span(&index),
                    "{blobs:?} {compression:?}"
                );
                assert!(probes > 0);
            }
        }
    }

    #[test]
    fn the_header_reader_reads_what_a_plain_file_reads() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let mut reader = HeaderReader::new(&file);
        let mut head = [0u8; 10];
        reader.read_exact(&mut head).unwrap();
        assert_eq!(head, bytes[..10]);
        // Past the buffer, then across its end.
        assert_eq!(reader.seek(SeekFrom::Current(300)).unwrap(), 310);
        let mut long = Vec::new();
        (&mut reader).take(500).read_to_end(&mut long).unwrap();
        assert_eq!(long, bytes[310..810]);
        // Back inside what is buffered, then to the end.
        reader.seek(SeekFrom::Start(805)).unwrap();
        let mut rest = Vec::new();
        reader.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, bytes[805..]);
        assert_eq!(reader.read(&mut head).unwrap(), 0);
        assert!(reader.seek(SeekFrom::Current(-2000)).is_err());
    }
}
