//! Reading and writing OSM PBF, in layers: `wire` (protobuf) and `delta`
//! (delta-coded columns) → `blob` (framing, decompression) → `header` and
//! `block` (elements) → `writer`; `owned` holds the owned elements that
//! the writer takes and whole-file reads give.
//!
//! Why our own instead of a generic reader: the scan needs to bound every
//! allocation, name the blob and offset of damage, skip blocks that cannot
//! matter, and re-read only the blobs a later pass needs. This module adds
//! the file-level entry points on top of the layers.
//!
//! In: a path. Out: a [`PbfFile`] (header, blob iterator) or owned elements
//! for tests and tools.

pub mod blob;
pub mod block;
pub mod delta;
pub mod header;
pub mod owned;
pub mod wire;
pub mod writer;

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, PbfError, Result};
use blob::{BlobKind, BlobReader, RawBlob};
use block::{ElementVisitor, PrimitiveBlock};
pub use header::{BBox, HeaderBlock};
pub use owned::{OsmMember, OsmMeta, OsmNode, OsmRelation, OsmWay};

/// An opened PBF file whose header has been read and checked.
pub struct PbfFile {
    pub path: PathBuf,
    pub header: HeaderBlock,
    /// Size in bytes, for progress and throughput.
    pub len: u64,
    blobs: BlobReader<BufReader<File>>,
}

impl PbfFile {
    /// Opens `path`, refusing anything that is not a regular file (a FIFO
    /// would block, a directory cannot be read), and reads the header blob.
    pub fn open(path: &Path) -> Result<Self> {
        let file = open_regular_file(path)?;
        let len = file.metadata().map_err(|e| Error::read(path, e))?.len();
        let mut blobs = BlobReader::new(BufReader::with_capacity(1 << 20, file));
        let first = blobs
            .next_blob()
            .map_err(|e| Error::pbf(path, e))?
            .ok_or_else(|| Error::pbf(path, PbfError::new(Location::File, "empty file")))?;
        let header = read_header(&first).map_err(|e| Error::pbf(path, e))?;
        Ok(PbfFile {
            path: path.to_owned(),
            header,
            len,
            blobs,
        })
    }

    /// The blobs after the header, in file order.
    pub fn blobs(self) -> BlobReader<BufReader<File>> {
        self.blobs
    }
}

/// Opens a file for reading after checking that it is a regular file.
pub fn open_regular_file(path: &Path) -> Result<File> {
    let meta = std::fs::metadata(path).map_err(|e| Error::read(path, e))?;
    if meta.is_dir() {
        return Err(Error::pbf(
            path,
            PbfError::new(Location::File, "is a directory, not an OSM PBF file"),
        ));
    }
    if !meta.is_file() {
        return Err(Error::pbf(
            path,
            PbfError::new(Location::File, "is not a regular file (FIFO, socket or device); camcount reads files it can seek in"),
        ));
    }
    let mut file = File::open(path).map_err(|e| Error::read(path, e))?;
    refuse_other_formats(&mut file, path)?;
    Ok(file)
}

/// Names an input in another OSM format by its first bytes, with the
/// conversion that makes it a PBF file: `.osm` XML and `.o5m` files are
/// common, and their frames would otherwise read as a corrupt PBF frame.
/// Leaves the file at its start.
fn refuse_other_formats(file: &mut File, path: &Path) -> Result<()> {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let mut got = 0;
    while got < head.len() {
        match file.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::read(path, e)),
        }
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::read(path, e))?;
    match other_format(&head[..got]) {
        None => Ok(()),
        Some(format) => Err(Error::pbf(
            path,
            PbfError::new(
                Location::File,
                // History must be sorted for `camcount history`, and
                // `osmium sort` converts as it sorts.
                match holds_history(path, &head[..got]) {
                    true => format!(
                        "is {format} holding history, not OSM PBF; convert it with `osmium sort {} -o out.osh.pbf`",
                        path.display()
                    ),
                    false => format!(
                        "is {format}, not OSM PBF; convert it with `osmium cat {} -o out.osm.pbf`",
                        path.display()
                    ),
                },
            ),
        )),
    }
}

/// Whether a file in another format holds history, by its name (`.osh`)
/// or a deleted version (`visible="false"`; JOSM and the API write
/// `visible="true"` on snapshots too). osmium marks a PBF
/// as history by its `.osh.pbf` name: `-o out.osm.pbf`, the remedy given,
/// made a file that `camcount history` then refused as a snapshot (found
/// 2026-12-07).
fn holds_history(path: &Path, head: &[u8]) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
    let deleted = |flag: &[u8]| head.windows(flag.len()).any(|w| w == flag);
    name.is_some_and(|n| n.contains(".osh"))
        || deleted(b" visible=\"false\"")
        || deleted(b" visible='false'")
}

/// The OSM format other than PBF that a file's first bytes announce.
fn other_format(head: &[u8]) -> Option<&'static str> {
    if let [0xff, 0xe0, 0x04, b'o', b'5', kind, b'2', ..] = head {
        return match kind {
            b'm' => Some("an o5m file"),
            b'c' => Some("an o5c (OSM change) file"),
            _ => None,
        };
    }
    // XML may open with a byte-order mark and blank space.
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let text = &text[text.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    (text.starts_with(b"<?xml") || text.starts_with(b"<osm")).then_some("OSM XML")
}

#[cfg(test)]
mod tests {
    use super::{holds_history, other_format};

    #[test]
    fn other_formats_are_named_by_their_first_bytes() {
        let o5m = [0xff, 0xe0, 0x04, b'o', b'5', b'm', b'2', 0xff];
        let o5c = [0xff, 0xe0, 0x04, b'o', b'5', b'c', b'2'];
        assert_eq!(other_format(&o5m), Some("an o5m file"));
        assert_eq!(other_format(&o5c), Some("an o5c (OSM change) file"));
        assert_eq!(other_format(b"<?xml version='1.0'?>"), Some("OSM XML"));
        assert_eq!(
            other_format(b"\xef\xbb\xbf\n  <osm version"),
            Some("OSM XML")
        );
        assert_eq!(other_format(b"<osmChange version"), Some("OSM XML"));
        // A PBF file: a length prefix, then `OSMHeader`.
        assert_eq!(other_format(b"\0\0\0\x0e\n\tOSMHeader"), None);
        assert_eq!(other_format(b""), None);
        assert_eq!(other_format(&o5m[..5]), None);
    }

    #[test]
    fn history_in_another_format_converts_to_osh_pbf() {
        use std::path::Path;
        let xml = b"<?xml version='1.0'?>\n<osm>\n<node id=\"1\" version=\"2\" visible=\"false\"";
        assert!(holds_history(Path::new("a.osm"), xml));
        // JOSM writes the flag on every object of a snapshot.
        let josm = b"<?xml version='1.0'?>\n<osm>\n<node id='1' version='2' visible='true'";
        assert!(!holds_history(Path::new("a.osm"), josm));
        assert!(holds_history(
            Path::new("a.osm"),
            b"<node id='1' version='3' visible='false'"
        ));
        assert!(holds_history(
            Path::new("dir/A.OSH"),
            b"<?xml version='1.0'?>"
        ));
        assert!(holds_history(Path::new("a.osh.bz2"), b""));
        assert!(!holds_history(
            Path::new("a.osm"),
            b"<?xml version='1.0'?>\n<osm>\n<node id=\"1\" version=\"2\""
        ));
    }
}

pub(crate) fn read_header(blob: &RawBlob) -> Result<HeaderBlock, PbfError> {
    let mut bytes = Vec::new();
    blob.decompress(&mut bytes)?;
    HeaderBlock::parse(&bytes).map_err(|problem| PbfError::new(blob.location(), problem))
}

/// Decompresses a data blob, parses its block and runs `work` on it; header
/// and unknown blobs give `None`. Decoding errors get the blob's location.
pub fn with_block<T>(
    blob: &RawBlob,
    scratch: &mut Vec<u8>,
    work: impl FnOnce(&PrimitiveBlock<'_>) -> Result<T, wire::WireError>,
) -> Result<Option<T>, PbfError> {
    if blob.kind != BlobKind::Data {
        return Ok(None);
    }
    blob.decompress(scratch)?;
    let corrupt =
        |e: wire::WireError| PbfError::new(blob.location(), format!("corrupt block: {e}"));
    let block = PrimitiveBlock::parse(scratch).map_err(corrupt)?;
    work(&block).map(Some).map_err(corrupt)
}

/// Every element of a file, owned, in file order. For tests and tools on
/// small files; the scan never materialises a file like this.
#[derive(Debug, Clone, PartialEq)]
pub enum OsmElement {
    Node(OsmNode),
    Way(OsmWay),
    Relation(OsmRelation),
}

/// Reads a whole (small) file into owned elements.
pub fn read_elements(path: &Path) -> Result<Vec<OsmElement>> {
    let file = PbfFile::open(path)?;
    let mut elements = Vec::new();
    let mut scratch = Vec::new();
    for blob in file.blobs() {
        let blob = blob.map_err(|e| Error::pbf(path, e))?;
        let collected = with_block(&blob, &mut scratch, |block| {
            let mut collector = OwnedCollector {
                block,
                elements: Vec::new(),
            };
            block.visit(&mut collector)?;
            Ok(collector.elements)
        })
        .map_err(|e| Error::pbf(path, e))?;
        elements.extend(collected.unwrap_or_default());
    }
    Ok(elements)
}

struct OwnedCollector<'b, 'a> {
    block: &'b PrimitiveBlock<'a>,
    elements: Vec<OsmElement>,
}

impl<'b, 'a> OwnedCollector<'b, 'a> {
    fn meta(&self, raw: Option<block::RawMeta>) -> Result<Option<OsmMeta>, wire::WireError> {
        raw.map(|raw| self.block.owned_meta(raw)).transpose()
    }
}

impl<'b, 'a> ElementVisitor<'a> for OwnedCollector<'b, 'a> {
    fn wants_metadata(&self) -> bool {
        true
    }

    fn node(&mut self, node: &block::Node<'a>) -> Result<(), wire::WireError> {
        let tags = self.block.owned_tags(&node.tags)?;
        let meta = self.meta(node.meta)?;
        self.elements.push(OsmElement::Node(OsmNode {
            id: node.id,
            lon: node.lon,
            lat: node.lat,
            tags,
            meta,
        }));
        Ok(())
    }

    fn way(&mut self, way: &block::Way<'a>) -> Result<(), wire::WireError> {
        let mut refs = Vec::new();
        way.refs(&mut refs)?;
        let tags = self.block.owned_tags(&way.tags()?)?;
        let meta = self.meta(way.meta()?)?;
        self.elements.push(OsmElement::Way(OsmWay {
            id: way.id,
            refs,
            tags,
            meta,
        }));
        Ok(())
    }

    fn relation(&mut self, relation: &block::Relation<'a>) -> Result<(), wire::WireError> {
        let members = self.block.owned_members(relation)?;
        let tags = self.block.owned_tags(&relation.tags)?;
        let meta = self.meta(relation.meta()?)?;
        self.elements.push(OsmElement::Relation(OsmRelation {
            id: relation.id,
            members,
            tags,
            meta,
        }));
        Ok(())
    }
}
