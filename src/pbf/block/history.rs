//! The DenseInfo columns a count through time needs (version, timestamp,
//! visible flag), decoded in bulk for a whole dense-only block.
//!
//! Why apart from [`super::meta`]: the history read visits most node
//! blocks of a history file only to learn which versions of which nodes
//! they hold and when. Its node-by-node reader ([`super::meta`]'s
//! `DenseMeta`) also decodes changesets and users, one varint at a time;
//! here each column is read on its own, and the version and visible
//! columns, almost always one byte a value, are copied byte by byte.
//!
//! In: the [`DenseNodes`] of [`PrimitiveBlock::dense_ids`]. Out: filled
//! [`HistoryColumns`], one entry per node id.

use std::ops::RangeInclusive;

use super::dense::DenseNodes;
use super::PrimitiveBlock;
use crate::pbf::delta::decode_delta_extent;
use crate::pbf::wire::{Fields, Packed, WireError};

/// A dense-only block's versions, timestamps and visible flags, by entry;
/// reused from block to block.
#[derive(Debug, Default)]
pub struct HistoryColumns {
    pub versions: Vec<i32>,
    pub visible: Vec<bool>,
    /// Timestamps in the block's date units (0 where the block has none):
    /// the first `count` slots; the others are left from earlier blocks.
    stamps: Vec<i64>,
    count: usize,
    /// Milliseconds per date unit.
    granularity: i64,
    /// The least and greatest of the timestamps, in date units.
    extent: Option<(i64, i64)>,
}

impl HistoryColumns {
    /// Entry `i`'s timestamp in Unix seconds (0 where the block has none).
    pub fn timestamp(&self, i: usize) -> i64 {
        self.seconds(self.stamps[..self.count][i])
    }

    /// Entry `i`'s timestamp, `None` past the last entry.
    pub fn get_timestamp(&self, i: usize) -> Option<i64> {
        (i < self.count).then(|| self.timestamp(i))
    }

    /// The oldest and newest timestamps, in Unix seconds, among those in
    /// `within`.
    ///
    /// Why not a fold over [`HistoryColumns::timestamp`]: the history read
    /// asks this of every block. The least and greatest were found while
    /// decoding; when both are in `within`, so is every timestamp between,
    /// and they are the answer. Otherwise (missing or damaged timestamps,
    /// a block without a date unit) each one is looked at.
    pub fn span(&self, within: RangeInclusive<i64>) -> Option<(i64, i64)> {
        let (least, greatest) = self.extent?;
        let (oldest, newest) = (self.seconds(least), self.seconds(greatest));
        // With a positive date unit, seconds never fall as units rise.
        if self.granularity > 0 && within.contains(&oldest) && within.contains(&newest) {
            return Some((oldest, newest));
        }
        (self.stamps[..self.count].iter())
            .map(|&t| self.seconds(t))
            .filter(|t| within.contains(t))
            .fold(None, |span, t| match span {
                None => Some((t, t)),
                Some((a, b)) => Some((t.min(a), t.max(b))),
            })
    }

    fn seconds(&self, stamp: i64) -> i64 {
        stamp.saturating_mul(self.granularity) / 1000
    }
}

impl<'a> PrimitiveBlock<'a> {
    /// Fills `out` with the history columns of the block whose ids
    /// [`PrimitiveBlock::dense_ids`] decoded into `nodes`. A missing column
    /// reads as zeros (visible: true, as in a file without history); a
    /// column of another length than the ids is an error.
    pub fn dense_history(
        &self,
        nodes: &DenseNodes<'a>,
        out: &mut HistoryColumns,
    ) -> Result<(), WireError> {
        out.versions.clear();
        out.visible.clear();
        out.count = 0;
        out.granularity = self.date_granularity;
        out.extent = None;
        let mut group_start = 0;
        for (info, group_end) in nodes.infos() {
            let count = group_end - group_start;
            let (mut versions, mut timestamps, mut visibles): (&[u8], &[u8], &[u8]) =
                (&[], &[], &[]);
            for field in Fields::new(info) {
                match field? {
                    (1, v) => versions = v.bytes()?,
                    (2, v) => timestamps = v.bytes()?,
                    (6, v) => visibles = v.bytes()?,
                    _ => {}
                }
            }
            out.timestamp_column(timestamps, count)?;
            plain_column(versions, count, 0, &mut out.versions, |v| v as i32)?;
            plain_column(visibles, count, 1, &mut out.visible, |v| v != 0)?;
            group_start = group_end;
        }
        Ok(())
    }
}

impl HistoryColumns {
    /// Appends one DenseInfo message's `count` timestamps (zeros when
    /// `bytes` is empty), widening the extent.
    fn timestamp_column(&mut self, bytes: &[u8], count: usize) -> Result<(), WireError> {
        let start = self.count;
        // A varint takes a byte at least: `bytes.len()` slots hold them.
        let room = start + bytes.len().max(count);
        if self.stamps.len() < room {
            self.stamps.resize(room, 0);
        }
        let (decoded, range) = match bytes.is_empty() {
            true => {
                self.stamps[start..start + count].fill(0);
                (count, (count > 0).then_some((0, 0)))
            }
            false => {
                let extent = decode_delta_extent(bytes, &mut self.stamps[start..room])
                    .map_err(|e| e.context("dense node timestamps"))?;
                (extent.count, extent.range)
            }
        };
        if decoded != count {
            return Err(length_error());
        }
        self.count += count;
        self.extent = match (self.extent, range) {
            (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
            (a, b) => a.or(b),
        };
        Ok(())
    }
}

impl<'a> PrimitiveBlock<'a> {
    /// Fills `out` with the visible flags alone of the block whose ids
    /// [`PrimitiveBlock::dense_ids`] decoded into `nodes` (all `true` in a
    /// file without history): the timestamps, the costly column, are not
    /// decoded.
    pub fn dense_visible(
        &self,
        nodes: &DenseNodes<'a>,
        out: &mut Vec<bool>,
    ) -> Result<(), WireError> {
        out.clear();
        let mut group_start = 0;
        for (info, group_end) in nodes.infos() {
            let mut visibles: &[u8] = &[];
            for field in Fields::new(info) {
                if let (6, v) = field? {
                    visibles = v.bytes()?;
                }
            }
            let start = out.len();
            plain_column(visibles, group_end - group_start, 1, out, |v| v != 0)?;
            if out.len() != start + group_end - group_start {
                return Err(length_error());
            }
            group_start = group_end;
        }
        Ok(())
    }
}

fn length_error() -> WireError {
    WireError::new("dense node metadata differs in length from the ids")
}

/// Appends `count` values of a packed, not delta-coded column (`absent`
/// when the block leaves it out). Where every value takes one byte, as
/// versions below 128 and visible flags do, the bytes are the values.
fn plain_column<T>(
    bytes: &[u8],
    count: usize,
    absent: u64,
    out: &mut Vec<T>,
    convert: impl Fn(u64) -> T,
) -> Result<(), WireError> {
    if bytes.is_empty() {
        out.extend((0..count).map(|_| convert(absent)));
        return Ok(());
    }
    // An OR of every byte, not `all`: without an early exit the check
    // runs a vector at a time.
    if bytes.len() == count && bytes.iter().fold(0, |any, &b| any | b) < 0x80 {
        out.extend(bytes.iter().map(|&b| convert(u64::from(b))));
        return Ok(());
    }
    let start = out.len();
    for value in Packed::new(bytes) {
        out.push(convert(value?));
    }
    match out.len() - start == count {
        true => Ok(()),
        false => Err(length_error()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::block::DenseColumns;
    use crate::pbf::wire::{put_bytes, put_packed, put_packed_delta};

    /// A block of one DenseNodes message with the given ids and info.
    fn block_bytes(ids: &[i64], info: &[u8]) -> Vec<u8> {
        let mut dense = Vec::new();
        put_packed_delta(&mut dense, 1, ids);
        put_bytes(&mut dense, 5, info);
        put_packed_delta(&mut dense, 8, &vec![0; ids.len()]);
        put_packed_delta(&mut dense, 9, &vec![0; ids.len()]);
        let mut group = Vec::new();
        put_bytes(&mut group, 2, &dense);
        crate::pbf::block::tests::raw_block(&[""], &group)
    }

    fn read(ids: &[i64], info: &[u8]) -> Result<HistoryColumns, WireError> {
        let bytes = block_bytes(ids, info);
        let block = PrimitiveBlock::parse(&bytes)?;
        let mut columns = DenseColumns::default();
        let nodes = block.dense_ids(&mut columns)?.expect("a dense block");
        let mut out = HistoryColumns::default();
        block.dense_history(&nodes, &mut out)?;
        Ok(out)
    }

    #[test]
    fn columns_come_out_per_entry_in_seconds() {
        let mut info = Vec::new();
        put_packed(&mut info, 1, [1, 2, 300]);
        put_packed_delta(&mut info, 2, &[1_000_000, 1_000_010, 1_000_020]);
        put_packed(&mut info, 6, [1, 0, 1]);
        let out = read(&[5, 5, 5], &info).unwrap();
        assert_eq!(out.versions, [1, 2, 300]);
        let timestamps: Vec<i64> = (0..3).map(|i| out.timestamp(i)).collect();
        assert_eq!(timestamps, [1_000_000, 1_000_010, 1_000_020]);
        assert_eq!(out.get_timestamp(3), None);
        assert_eq!(out.visible, [true, false, true]);
    }

    /// Regression guard for the one-byte shortcut: as many bytes as ids,
    /// but one of them continues a varint (two versions for three ids).
    #[test]
    fn a_column_short_of_values_is_an_error_even_at_one_byte_per_id() {
        let mut info = Vec::new();
        put_bytes(&mut info, 1, &[0xac, 0x02, 0x01]);
        assert!(read(&[5, 5, 5], &info).is_err());
        let mut info = Vec::new();
        put_bytes(&mut info, 1, &[0x01, 0x02, 0x03]);
        assert_eq!(read(&[5, 5, 5], &info).unwrap().versions, [1, 2, 3]);
    }

    #[test]
    fn missing_columns_read_as_zero_and_visible() {
        let out = read(&[1, 2], &[]).unwrap();
        assert_eq!(out.versions, [0, 0]);
        assert_eq!((out.timestamp(0), out.timestamp(1)), (0, 0));
        assert_eq!(out.span(0..=i64::MAX), Some((0, 0)));
        assert_eq!(out.span(1..=i64::MAX), None);
        assert_eq!(out.visible, [true, true]);
    }

    #[test]
    fn the_span_passes_over_timestamps_outside_the_range() {
        let mut info = Vec::new();
        put_packed_delta(&mut info, 2, &[1_000_000, 0, 3_000_000_000, 1_000_020]);
        let out = read(&[1, 2, 3, 4], &info).unwrap();
        assert_eq!(out.span(1..=2_000_000_000), Some((1_000_000, 1_000_020)));
        assert_eq!(out.span(0..=i64::MAX), Some((0, 3_000_000_000)));
        assert_eq!(out.span(5..=6), None);
        // In milliseconds (a date unit of 1 ms): the span is in seconds.
        let bytes = block_bytes(&[1, 2], &{
            let mut info = Vec::new();
            put_packed_delta(&mut info, 2, &[1_000_000_999, 1_000_010_000]);
            info
        });
        let mut with_unit = bytes.clone();
        crate::pbf::wire::put_uint(&mut with_unit, 18, 1);
        let block = PrimitiveBlock::parse(&with_unit).unwrap();
        let mut columns = DenseColumns::default();
        let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
        let mut out = HistoryColumns::default();
        block.dense_history(&nodes, &mut out).unwrap();
        assert_eq!(out.span(1..=i64::MAX), Some((1_000_000, 1_000_010)));
        assert_eq!(out.timestamp(0), 1_000_000);
    }

    #[test]
    fn a_column_cut_short_is_an_error() {
        let mut info = Vec::new();
        put_packed(&mut info, 1, [1]);
        assert!(read(&[1, 2], &info).is_err());
        let mut info = Vec::new();
        put_packed_delta(&mut info, 2, &[7]);
        assert!(read(&[1, 2], &info).is_err());
    }
}
