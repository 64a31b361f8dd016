//! Dense nodes: the DenseNodes messages of a block, their id and
//! coordinate columns decoded in bulk into reused [`DenseColumns`], and
//! the tagged entries among them.
//!
//! Why apart from the other elements: most of a country's nodes are dense,
//! and the node stage reads a dense-only block column by column (ids
//! first, coordinates only as far as a wanted node) rather than node by
//! node; the visitor's node-by-node walk over the same messages lives here
//! too.
//!
//! In: a [`PrimitiveBlock`]'s groups. Out: [`DenseNodes`] (the parsed
//! messages), filled [`DenseColumns`], positions and metadata by entry, and
//! [`Node`]s handed to an [`ElementVisitor`].

use super::elements::{ElementVisitor, Node};
use super::meta::DenseMeta;
use super::tags::{cut_dense_tags, take_dense_tags, TagIndices, Tags};
use super::PrimitiveBlock;
use crate::pbf::delta::{decode_delta_into, decode_delta_pair, delta_room};
use crate::pbf::wire::{count_varints, zigzag, Fields, Packed, WireError};

impl<'a> PrimitiveBlock<'a> {
    /// For a block made only of dense nodes, decodes the id column into
    /// `columns` and returns the parsed DenseNodes messages for the later
    /// passes; `None` for any other block. The node stage's path: it needs
    /// the ids of every node, but the coordinates of few blocks and the tags
    /// of fewer.
    pub fn dense_ids(
        &self,
        columns: &mut DenseColumns,
    ) -> Result<Option<DenseNodes<'a>>, WireError> {
        columns.id_count = 0;
        columns.coord_count = 0;
        columns.ids_rising = true;
        let mut messages = Vec::with_capacity(self.groups.len());
        for group in &self.groups {
            for field in Fields::new(group) {
                let (number, value) = field?;
                if number != 2 {
                    return Ok(None);
                }
                messages.push(DenseFields::parse(value.bytes()?)?);
            }
        }
        let mut groups = Vec::with_capacity(messages.len());
        for dense in messages {
            let start = columns.id_count;
            let room = delta_room(dense.ids);
            let slots = &mut reused_slots(&mut columns.ids, start + room)[start..];
            let decoded =
                decode_delta_into(dense.ids, slots).map_err(|e| e.context("dense node ids"))?;
            // Each message's deltas restart from zero: its first id must
            // still be above the last id of the message before.
            let joins =
                start == 0 || decoded.count == 0 || columns.ids[start - 1] < columns.ids[start];
            columns.ids_rising &= decoded.rising && joins;
            columns.id_count += decoded.count;
            groups.push((dense, columns.id_count));
        }
        Ok(Some(DenseNodes { groups }))
    }

    /// Decodes the coordinates of the first `through` entries of columns
    /// that [`PrimitiveBlock::dense_ids`] filled; the rest are only counted,
    /// to check that every column has one value per node (their values are
    /// not checked for overflow: nobody reads them).
    pub fn dense_coords(
        &self,
        nodes: &DenseNodes<'a>,
        columns: &mut DenseColumns,
        through: usize,
    ) -> Result<(), WireError> {
        let through = through.min(columns.id_count);
        let lats = reused_slots(&mut columns.lats, through);
        let lons = reused_slots(&mut columns.lons, through);
        let mut group_start = 0;
        for &(ref dense, group_end) in &nodes.groups {
            let len = group_end - group_start;
            if count_varints(dense.lats) != len || count_varints(dense.lons) != len {
                return Err(WireError::new("dense node arrays differ in length"));
            }
            // Empty for a message wholly past `through`.
            let wanted = group_start.min(through)..group_end.min(through);
            decode_delta_pair(
                (dense.lats, dense.lons),
                (&mut lats[wanted.clone()], &mut lons[wanted]),
            )?;
            group_start = group_end;
        }
        columns.coord_count = through;
        Ok(())
    }

    /// The position `(lon, lat)` in degrees of entry `i`, once
    /// [`PrimitiveBlock::dense_coords`] decoded it. Panics for an entry past
    /// the decoded prefix: asking for it is a bug in the caller.
    pub fn dense_position(&self, columns: &DenseColumns, i: usize) -> (f64, f64) {
        let decoded = columns.coord_count;
        (
            self.degrees(self.lon_offset, columns.lons[..decoded][i]),
            self.degrees(self.lat_offset, columns.lats[..decoded][i]),
        )
    }

    /// The entries (indices into [`DenseColumns`]) of the dense nodes
    /// carrying `tag`, with their tags.
    pub fn dense_tagged(
        &self,
        nodes: &DenseNodes<'a>,
        tag: &TagIndices,
    ) -> Result<Vec<(usize, Tags<'a>)>, WireError> {
        let mut found = Vec::new();
        let mut entry = 0;
        for &(ref dense, group_end) in &nodes.groups {
            let mut keys_vals = dense.keys_vals;
            for i in entry..group_end {
                // Most nodes carry no tags: a lone 0 ends their empty list.
                if let [0, rest @ ..] = keys_vals {
                    keys_vals = rest;
                    continue;
                }
                let (tags, holds) = cut_dense_tags(&mut keys_vals, self.table_len(), Some(tag))?;
                if holds {
                    found.push((i, tags));
                }
            }
            entry = group_end;
        }
        Ok(found)
    }

    pub(super) fn visit_dense<V: ElementVisitor<'a>>(
        &self,
        bytes: &'a [u8],
        visitor: &mut V,
    ) -> Result<(), WireError> {
        let dense = DenseFields::parse(bytes)?;
        let mut keys_vals = dense.keys_vals;
        let mut metas = match visitor.wants_metadata() && !dense.info.is_empty() {
            true => Some(DenseMeta::parse(dense.info)?),
            false => None,
        };
        for node in DenseCoords::new(&dense) {
            let (id, lat, lon) = node?;
            let tags = take_dense_tags(&mut keys_vals, self.table_len())?;
            let meta = metas.as_mut().map(DenseMeta::next).transpose()?;
            visitor.node(&Node {
                id,
                lat: self.degrees(self.lat_offset, lat),
                lon: self.degrees(self.lon_offset, lon),
                tags,
                meta,
            })?;
        }
        Ok(())
    }
}

/// The delta-decoded `(id, lat, lon)` columns of a DenseNodes message, in
/// raw units, checking that the three columns agree and nothing overflows.
struct DenseCoords<'a> {
    ids: Packed<'a>,
    lats: Packed<'a>,
    lons: Packed<'a>,
    current: (i64, i64, i64),
    finished: bool,
}

impl<'a> DenseCoords<'a> {
    fn new(dense: &DenseFields<'a>) -> Self {
        DenseCoords {
            ids: Packed::new(dense.ids),
            lats: Packed::new(dense.lats),
            lons: Packed::new(dense.lons),
            current: (0, 0, 0),
            finished: false,
        }
    }

    fn step(&mut self, id: u64) -> Result<(i64, i64, i64), WireError> {
        let mismatch = || WireError::new("dense node arrays differ in length");
        let lat = self.lats.next().ok_or_else(mismatch)??;
        let lon = self.lons.next().ok_or_else(mismatch)??;
        let add = |acc: i64, delta: u64, what: &'static str| {
            acc.checked_add(zigzag(delta)).ok_or(WireError::new(what))
        };
        let (id0, lat0, lon0) = self.current;
        self.current = (
            add(id0, id, "dense node id overflows")?,
            add(lat0, lat, "dense node latitude overflows")?,
            add(lon0, lon, "dense node longitude overflows")?,
        );
        Ok(self.current)
    }
}

impl Iterator for DenseCoords<'_> {
    type Item = Result<(i64, i64, i64), WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let item = match self.ids.next() {
            Some(id) => id.and_then(|id| self.step(id)),
            None if self.lats.is_empty() && self.lons.is_empty() => {
                self.finished = true;
                return None;
            }
            None => Err(WireError::new("dense node arrays differ in length")),
        };
        self.finished = item.is_err();
        Some(item)
    }
}

/// The columns of a dense-only block, decoded in bulk: ids always, raw
/// coordinates of a prefix when asked. Reused from block to block by one
/// thread: the vectors only grow, and the counts say how much of them is
/// this block's, so no block pays for zeroing them.
#[derive(Debug, Default)]
pub struct DenseColumns {
    ids: Vec<i64>,
    lats: Vec<i64>,
    lons: Vec<i64>,
    id_count: usize,
    coord_count: usize,
    /// Whether the ids rise, found while decoding them.
    ids_rising: bool,
}

/// The first `len` slots of a reused column, grown (and zeroed) only where
/// no earlier block reached.
fn reused_slots(column: &mut Vec<i64>, len: usize) -> &mut [i64] {
    if column.len() < len {
        column.resize(len, 0);
    }
    &mut column[..len]
}

/// The DenseNodes messages of a dense-only block, each with where its
/// entries end in the [`DenseColumns`]: parsed once by
/// [`PrimitiveBlock::dense_ids`], for every later pass over the block.
pub struct DenseNodes<'a> {
    groups: Vec<(DenseFields<'a>, usize)>,
}

impl<'a> DenseNodes<'a> {
    /// Each message's DenseInfo bytes, with the entry count through it.
    pub(super) fn infos(&self) -> impl Iterator<Item = (&'a [u8], usize)> + '_ {
        self.groups.iter().map(|(dense, end)| (dense.info, *end))
    }
}

impl DenseColumns {
    /// The block's node ids, in file order.
    pub fn ids(&self) -> &[i64] {
        &self.ids[..self.id_count]
    }

    /// Count, first, last, min and max id, and whether ids rise (min and
    /// max take a pass only when they do not).
    pub fn id_summary(&self) -> IdSummary {
        let ids = self.ids();
        let mut summary = IdSummary {
            count: ids.len() as u64,
            first: ids.first().copied(),
            last: ids.last().copied(),
            min: None,
            max: None,
            // No ids rise trivially, even in columns no block has filled.
            rising: self.ids_rising || ids.is_empty(),
        };
        if let (Some(&first), Some(&last)) = (ids.first(), ids.last()) {
            (summary.min, summary.max) = match summary.rising {
                true => (Some(first), Some(last)),
                false => (ids.iter().min().copied(), ids.iter().max().copied()),
            };
        }
        summary
    }
}

/// Count and id range of a block's dense nodes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdSummary {
    pub count: u64,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// False when ids went down inside the block.
    pub rising: bool,
}

struct DenseFields<'a> {
    ids: &'a [u8],
    info: &'a [u8],
    lats: &'a [u8],
    lons: &'a [u8],
    keys_vals: &'a [u8],
}

impl<'a> DenseFields<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, WireError> {
        let mut dense = DenseFields {
            ids: &[],
            info: &[],
            lats: &[],
            lons: &[],
            keys_vals: &[],
        };
        for field in Fields::new(bytes) {
            match field? {
                (1, v) => dense.ids = v.bytes()?,
                (5, v) => dense.info = v.bytes()?,
                (8, v) => dense.lats = v.bytes()?,
                (9, v) => dense.lons = v.bytes()?,
                (10, v) => dense.keys_vals = v.bytes()?,
                _ => {}
            }
        }
        Ok(dense)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::wire::{put_bytes, put_packed_delta};

    /// A block of one primitive group holding one DenseNodes message per
    /// list of ids (coordinates: the id, in both columns).
    fn block_of_groups(groups: &[&[i64]]) -> Vec<u8> {
        let mut group = Vec::new();
        for ids in groups {
            let mut dense = Vec::new();
            put_packed_delta(&mut dense, 1, ids);
            put_packed_delta(&mut dense, 8, ids);
            put_packed_delta(&mut dense, 9, ids);
            put_bytes(&mut group, 2, &dense);
        }
        crate::pbf::block::tests::raw_block(&[""], &group)
    }

    /// Regression (2026-12-06): a block of several DenseNodes messages
    /// (the format allows it; osmium writes one) panicked when the wanted
    /// entries ended before the last message: the count and `history`
    /// exited 101 on such a file.
    #[test]
    fn coordinates_through_an_entry_of_an_earlier_message() {
        let bytes = block_of_groups(&[&[1, 2, 3], &[4, 5], &[6, 7, 8]]);
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        for through in 0..=9 {
            let mut columns = DenseColumns::default();
            let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
            block.dense_coords(&nodes, &mut columns, through).unwrap();
            for i in 0..through.min(8) {
                let (lon, _) = block.dense_position(&columns, i);
                assert!(
                    (lon - (i as f64 + 1.0) * 1e-7).abs() < 1e-12,
                    "{through}, {i}"
                );
            }
        }
    }
}
