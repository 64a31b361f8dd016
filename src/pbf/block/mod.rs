//! PrimitiveBlock decoding: zero-copy elements over one decompressed blob.
//!
//! Why our own: the scan looks at every element of a country, but keeps a
//! handful. Elements here borrow the block's bytes and decode tags, refs and
//! members only when asked, and a block whose string table lacks a string can
//! be dismissed without touching its elements. Every index and length is
//! checked against the bytes that are really there.
//!
//! This file holds [`PrimitiveBlock`] itself (its string table, groups and
//! coordinate scale) and what its parts share; the parts are `dense` (dense
//! nodes in columns), `elements` (the node, way and relation views and the
//! visitor), `tags` (tag indices and string-table lookups), `meta` (edit
//! metadata), `prefix` (a block's first element type from its first
//! bytes) and `history` (the version, timestamp and visible columns of
//! dense nodes in bulk).
//!
//! In: the bytes of one `OSMData` blob. Out: [`Node`], [`Way`] and
//! [`Relation`] views handed to an [`ElementVisitor`].

use super::wire::{Fields, Value, WireError};

mod dense;
mod elements;
mod history;
mod meta;
mod prefix;
mod tags;
#[cfg(test)]
pub(crate) mod tests;

pub use dense::{DenseColumns, DenseNodes, IdSummary};
pub use elements::{ElementVisitor, Member, Node, Relation, Wants, Way};
pub use history::HistoryColumns;
pub use meta::{RawEdit, RawMeta};
pub use prefix::first_type_in_prefix;
pub use tags::{TagIndices, Tags};

/// The three OSM element types, in the order a sorted file holds them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementType {
    Node,
    Way,
    Relation,
}

impl ElementType {
    pub fn as_str(self) -> &'static str {
        match self {
            ElementType::Node => "node",
            ElementType::Way => "way",
            ElementType::Relation => "relation",
        }
    }
}

/// Where an element sorts in a file sorted `Type_then_ID`, as osmium sorts
/// it (libosmium's object order): by type, then ids 0 and below before the
/// positive ones, each group by absolute value (−1, −2, …, then 1, 2, …).
/// JOSM files and test files use negative ids; `osmium sort` writes them
/// first, and a sorted file with them is valid.
pub fn sort_key(kind: ElementType, id: i64) -> (ElementType, bool, u64) {
    (kind, id > 0, id.unsigned_abs())
}

/// One decoded PrimitiveBlock, borrowing the decompressed bytes.
pub struct PrimitiveBlock<'a> {
    strings: Vec<&'a [u8]>,
    groups: Vec<&'a [u8]>,
    granularity: i64,
    lat_offset: i64,
    lon_offset: i64,
    /// Milliseconds per timestamp unit.
    date_granularity: i64,
}

impl<'a> PrimitiveBlock<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Self, WireError> {
        let mut block = PrimitiveBlock {
            strings: Vec::new(),
            groups: Vec::new(),
            granularity: 100,
            lat_offset: 0,
            lon_offset: 0,
            date_granularity: 1000,
        };
        for field in Fields::new(bytes) {
            match field? {
                (1, value) => block.strings = parse_string_table(value.bytes()?)?,
                (2, value) => block.groups.push(value.bytes()?),
                (17, value) => block.granularity = value.varint()? as i64,
                (18, value) => block.date_granularity = value.varint()? as i64,
                (19, value) => block.lat_offset = value.varint()? as i64,
                (20, value) => block.lon_offset = value.varint()? as i64,
                _ => {}
            }
        }
        if block.granularity <= 0 {
            return Err(WireError::new("granularity is not positive"));
        }
        Ok(block)
    }

    fn table_len(&self) -> u32 {
        u32::try_from(self.strings.len()).unwrap_or(u32::MAX)
    }

    /// The string at `index`, as raw bytes.
    pub fn string(&self, index: u32) -> Result<&'a [u8], WireError> {
        self.strings
            .get(index as usize)
            .copied()
            .ok_or(WireError::new("string table index out of range"))
    }

    /// The string at `index`, checked to be UTF-8 as the format requires.
    pub fn str(&self, index: u32) -> Result<&'a str, WireError> {
        utf8(self.string(index)?)
    }

    fn degrees(&self, offset: i64, raw: i64) -> f64 {
        // Coordinates are nanodegrees: offset + granularity * value.
        offset.wrapping_add(self.granularity.wrapping_mul(raw)) as f64 * 1e-9
    }

    /// The first and last element types in the block, read from the group
    /// field numbers alone (no element is decoded); `None` for an empty block.
    pub fn type_span(&self) -> Result<TypeSpan, WireError> {
        let mut span = None;
        for group in &self.groups {
            for field in Fields::new(group) {
                widen_span(&mut span, field?.0);
            }
        }
        Ok(span)
    }
}

/// A string of the table as text; OSM strings are UTF-8.
pub fn utf8(bytes: &[u8]) -> Result<&str, WireError> {
    std::str::from_utf8(bytes).map_err(|_| WireError::new("string is not valid UTF-8"))
}

fn parse_string_table(bytes: &[u8]) -> Result<Vec<&[u8]>, WireError> {
    let mut strings = Vec::new();
    for field in Fields::new(bytes) {
        if let (1, value) = field? {
            strings.push(value.bytes()?);
        }
    }
    Ok(strings)
}

/// The element types a block starts and ends with (the first type, then
/// the greatest); `None` for a block without elements.
pub type TypeSpan = Option<(ElementType, ElementType)>;

/// The element type a PrimitiveGroup field number holds, if any.
fn group_field_type(field: u32) -> Option<ElementType> {
    match field {
        1 | 2 => Some(ElementType::Node),
        3 => Some(ElementType::Way),
        4 => Some(ElementType::Relation),
        _ => None,
    }
}

/// Widens `span` by the element type of a PrimitiveGroup field number.
fn widen_span(span: &mut TypeSpan, field: u32) {
    let Some(kind) = group_field_type(field) else {
        return;
    };
    *span = Some(match *span {
        None => (kind, kind),
        Some((first, last)) => (first, last.max(kind)),
    });
}

fn packed_bytes(value: Value<'_>) -> Result<&[u8], WireError> {
    value.bytes()
}
