//! The box around a file's nodes, for extracts whose header states no
//! bounding box, when a count needs to know where the data lies (zones of
//! `--boundaries` beyond it must not read as towns without cameras).
//!
//! Why a pass of its own: the scan decodes positions only of the nodes it
//! wants; only a file without a header box, counted in outside polygons,
//! pays for reading every position. Blocks of dense nodes are read column
//! by column; other blocks element by element.
//!
//! In: a file. Out: the box of its node positions, or `None` without nodes.

use std::path::Path;

use crate::error::{Error, Result};
use crate::pbf::block::{
    DenseColumns, ElementVisitor, HistoryColumns, Node, PrimitiveBlock, Wants,
};
use crate::pbf::header::BBox;
use crate::pbf::wire::WireError;

use super::frames::FrameIndex;

/// The box around every node position of the file.
pub fn node_extent(path: &Path) -> Result<Option<BBox>> {
    let index = FrameIndex::build(path)?;
    let extent = index
        .fold_blocks(
            || (DenseColumns::default(), HistoryColumns::default()),
            |block, (columns, history)| extent_of_block(block, columns, history),
            union,
        )
        .map_err(|e| Error::pbf(path, e))?;
    Ok(extent)
}

fn extent_of_block(
    block: &PrimitiveBlock<'_>,
    columns: &mut DenseColumns,
    history: &mut HistoryColumns,
) -> std::result::Result<Option<BBox>, WireError> {
    if let Some(nodes) = block.dense_ids(columns)? {
        let n = columns.ids().len();
        block.dense_coords(&nodes, columns, n)?;
        block.dense_history(&nodes, history)?;
        let extent = (0..n)
            .filter(|&i| history.visible[i])
            .map(|i| block.dense_position(columns, i))
            .filter(|&point| on_earth(point))
            .fold(None, |extent, point| union(extent, Some(point_box(point))));
        return Ok(extent);
    }
    let mut visitor = Extent(None);
    block.visit(&mut visitor)?;
    Ok(visitor.0)
}

/// A deleted version of a history file has no position: osmium writes it
/// as the undefined location (214.7°), other writers as 0, 0. Neither is
/// data, so deleted versions and positions off the globe are left out.
fn on_earth((lon, lat): (f64, f64)) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

fn point_box((lon, lat): (f64, f64)) -> BBox {
    BBox {
        min_lon: lon,
        min_lat: lat,
        max_lon: lon,
        max_lat: lat,
    }
}

fn union(a: Option<BBox>, b: Option<BBox>) -> Option<BBox> {
    match (a, b) {
        (Some(a), Some(b)) => Some(BBox {
            min_lon: a.min_lon.min(b.min_lon),
            min_lat: a.min_lat.min(b.min_lat),
            max_lon: a.max_lon.max(b.max_lon),
            max_lat: a.max_lat.max(b.max_lat),
        }),
        (a, b) => a.or(b),
    }
}

struct Extent(Option<BBox>);

impl<'a> ElementVisitor<'a> for Extent {
    fn wants(&self) -> Wants {
        Wants {
            nodes: true,
            ways: false,
            relations: false,
        }
    }

    fn wants_metadata(&self) -> bool {
        true
    }

    fn node(&mut self, node: &Node<'a>) -> std::result::Result<(), WireError> {
        let deleted = node.meta.is_some_and(|m| m.deleted);
        if !deleted && on_earth((node.lon, node.lat)) {
            self.0 = union(self.0, Some(point_box((node.lon, node.lat))));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::node;
    use crate::history::fixtures::{versioned, write_history};
    use crate::pbf::writer::WriterOptions;

    /// Regression: a history file's deleted versions (osmium's undefined
    /// location, 214.7°; or 0, 0) once stretched the box over half the
    /// globe, and every commune of a boundary file counted as covered.
    #[test]
    fn deleted_versions_and_positions_off_the_globe_are_not_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.osh.pbf");
        let elements = [
            versioned(node(1, 7.40, 43.70, &[]), 1, "2020-01-01", false),
            versioned(node(1, 0.0, 0.0, &[]), 2, "2021-01-01", true),
            versioned(node(2, 7.45, 43.75, &[]), 1, "2020-01-01", false),
            versioned(
                node(3, 214.748_364_7, 214.748_364_7, &[]),
                1,
                "2020-01-01",
                false,
            ),
        ];
        for block_size in [8000, 1] {
            let options = WriterOptions {
                block_size,
                ..WriterOptions::default()
            };
            write_history(&elements, &path, options).unwrap();
            let extent = node_extent(&path).unwrap().unwrap();
            let corners = [
                extent.min_lon,
                extent.min_lat,
                extent.max_lon,
                extent.max_lat,
            ];
            let expected = [7.40, 43.70, 7.45, 43.75];
            for (got, want) in corners.iter().zip(expected) {
                assert!((got - want).abs() < 1e-7, "{corners:?}");
            }
        }
    }
}
