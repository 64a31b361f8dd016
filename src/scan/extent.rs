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

use rayon::prelude::*;

use crate::error::{Error, PbfError, Result};
use crate::pbf::block::{DenseColumns, ElementVisitor, Node, PrimitiveBlock, Wants};
use crate::pbf::header::BBox;
use crate::pbf::wire::WireError;

use super::frames::FrameIndex;

/// The box around every node position of the file.
pub fn node_extent(path: &Path) -> Result<Option<BBox>> {
    let index = FrameIndex::build(path)?;
    let extent = index
        .data
        .par_iter()
        .map_init(
            || (Vec::new(), Vec::new(), DenseColumns::default()),
            |(compressed, inflated, columns), frame| {
                index.with_blob(frame, compressed, |blob| {
                    crate::pbf::with_block(blob, inflated, |block| extent_of_block(block, columns))
                        .map(Option::flatten)
                })
            },
        )
        .try_reduce(|| None, |a, b| Ok::<_, PbfError>(union(a, b)))
        .map_err(|e| Error::pbf(path, e))?;
    Ok(extent)
}

fn extent_of_block(
    block: &PrimitiveBlock<'_>,
    columns: &mut DenseColumns,
) -> std::result::Result<Option<BBox>, WireError> {
    if let Some(nodes) = block.dense_ids(columns)? {
        let n = columns.ids().len();
        block.dense_coords(&nodes, columns, n)?;
        let extent = (0..n)
            .map(|i| block.dense_position(columns, i))
            .fold(None, |extent, point| union(extent, Some(point_box(point))));
        return Ok(extent);
    }
    let mut visitor = Extent(None);
    block.visit(&mut visitor)?;
    Ok(visitor.0)
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

    fn node(&mut self, node: &Node<'a>) -> std::result::Result<(), WireError> {
        self.0 = union(self.0, Some(point_box((node.lon, node.lat))));
        Ok(())
    }
}
