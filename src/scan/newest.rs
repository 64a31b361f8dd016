//! The newest object timestamp of a file, for extracts whose header
//! carries no replication timestamp (JOSM files, some tools' outputs).
//!
//! Why a pass of its own: the scan never reads metadata, and a file with a
//! header date (Geofabrik, osmium, planet dumps) must not pay for it. Only
//! an undated file is read once more, every blob in parallel, keeping the
//! largest timestamp. A block of dense nodes, most of a file, is read
//! column by column (ids, then the timestamp column); other blocks element
//! by element.
//!
//! In: a frame index. Out: Unix seconds, or `None` when no object has one.

use crate::error::PbfError;
use crate::pbf::block::{
    DenseColumns, ElementVisitor, HistoryColumns, Node, PrimitiveBlock, Relation, Way,
};
use crate::pbf::wire::WireError;

use super::frames::FrameIndex;

/// The largest object timestamp in the file, in Unix seconds. Timestamps
/// past tomorrow are damage (a flipped byte), not dates, and are passed
/// over: one such object dated a 2021 file 2037 (found 2026-12-05).
pub fn newest_timestamp(index: &FrameIndex) -> Result<Option<i64>, PbfError> {
    let limit = crate::dates::tomorrow();
    let newest = index.fold_blocks(
        0..index.data.len(),
        || (DenseColumns::default(), HistoryColumns::default()),
        |block, (ids, columns)| newest_in_block(block, ids, columns, limit),
        Ord::max,
    )?;
    Ok(newest)
}

fn newest_in_block(
    block: &PrimitiveBlock<'_>,
    ids: &mut DenseColumns,
    columns: &mut HistoryColumns,
    limit: i64,
) -> Result<Option<i64>, WireError> {
    if let Some(nodes) = block.dense_ids(ids)? {
        block.dense_history(&nodes, columns)?;
        // A missing timestamp is stored as 0 (1970): not a date.
        return Ok(columns.span(1..=limit).map(|(_, newest)| newest));
    }
    let mut visitor = Newest {
        block,
        newest: None,
        limit,
    };
    block.visit(&mut visitor)?;
    Ok(visitor.newest)
}

struct Newest<'b, 'a> {
    block: &'b PrimitiveBlock<'a>,
    newest: Option<i64>,
    limit: i64,
}

impl Newest<'_, '_> {
    fn see(&mut self, meta: Option<crate::pbf::block::RawMeta>) -> Result<(), WireError> {
        // A missing timestamp is stored as 0 (1970): not a date.
        let seconds = meta.and_then(|raw| self.block.edit(raw).timestamp);
        let seconds = seconds.filter(|&t| t <= self.limit);
        self.newest = self.newest.max(seconds);
        Ok(())
    }
}

impl<'a> ElementVisitor<'a> for Newest<'_, 'a> {
    fn wants_metadata(&self) -> bool {
        true
    }

    fn node(&mut self, node: &Node<'a>) -> Result<(), WireError> {
        self.see(node.meta)
    }

    fn way(&mut self, way: &Way<'a>) -> Result<(), WireError> {
        self.see(way.meta()?)
    }

    fn relation(&mut self, relation: &Relation<'a>) -> Result<(), WireError> {
        self.see(relation.meta()?)
    }
}
