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

use super::dense::DenseNodes;
use super::PrimitiveBlock;
use crate::pbf::delta::decode_delta_sint64;
use crate::pbf::wire::{Fields, Packed, WireError};

/// A dense-only block's versions, timestamps (Unix seconds; 0 where the
/// block has none) and visible flags, by entry; reused from block to block.
#[derive(Debug, Default)]
pub struct HistoryColumns {
    pub versions: Vec<i32>,
    pub timestamps: Vec<i64>,
    pub visible: Vec<bool>,
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
        out.timestamps.clear();
        out.visible.clear();
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
            let start = out.timestamps.len();
            if timestamps.is_empty() {
                out.timestamps.resize(start + count, 0);
            } else {
                decode_delta_sint64(timestamps, &mut out.timestamps)
                    .map_err(|e| e.context("dense node timestamps"))?;
                let granularity = self.date_granularity;
                for t in &mut out.timestamps[start..] {
                    *t = t.saturating_mul(granularity) / 1000;
                }
            }
            plain_column(versions, count, 0, &mut out.versions, |v| v as i32)?;
            plain_column(visibles, count, 1, &mut out.visible, |v| v != 0)?;
            if out.timestamps.len() != start + count {
                return Err(length_error());
            }
            group_start = group_end;
        }
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
    if bytes.len() == count && bytes.iter().all(|&b| b < 0x80) {
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
        let mut table = Vec::new();
        put_bytes(&mut table, 1, b"");
        let mut block = Vec::new();
        put_bytes(&mut block, 1, &table);
        put_bytes(&mut block, 2, &group);
        block
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
        assert_eq!(out.timestamps, [1_000_000, 1_000_010, 1_000_020]);
        assert_eq!(out.visible, [true, false, true]);
    }

    #[test]
    fn missing_columns_read_as_zero_and_visible() {
        let out = read(&[1, 2], &[]).unwrap();
        assert_eq!(out.versions, [0, 0]);
        assert_eq!(out.timestamps, [0, 0]);
        assert_eq!(out.visible, [true, true]);
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
