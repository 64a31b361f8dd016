//! Where a file's nodes lie: the box around them, for extracts whose header
//! states none, and the grid cells that hold them. A count in zones of
//! `--boundaries` needs both: a zone with no data of the file in it must not
//! read as a town without cameras.
//!
//! Why a pass of its own: the scan decodes positions only of the nodes it
//! wants; only a count in outside polygons pays for reading every position.
//! Blocks of dense nodes are read column by column; other blocks element by
//! element.
//!
//! In: a file. Out: the box of its node positions (`None` without nodes)
//! and their cells.

use std::path::Path;

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::cells::{cell_of, Cell, DataCells};
use crate::error::{Error, Result};
use crate::pbf::block::{DenseColumns, ElementVisitor, Node, PrimitiveBlock, TagIndices, Wants};
use crate::pbf::header::BBox;
use crate::pbf::wire::WireError;

use super::frames::{FrameIndex, SectionPlan};

/// Where a file's nodes lie.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeCover {
    /// The box around every node position, `None` without nodes.
    pub extent: Option<BBox>,
    /// The grid cells that hold a node.
    pub cells: DataCells,
    /// How many node positions (deleted versions left out) fall in them.
    pub nodes: u64,
    /// How many of those nodes are tagged `man_made=surveillance`: a file
    /// of nothing else tells nothing of where land without cameras lies.
    pub camera_nodes: u64,
}

/// The box and cells of every node position of the file. A sorted file
/// is read only in its node section.
pub fn node_cover(path: &Path) -> Result<NodeCover> {
    let index = FrameIndex::build(path)?;
    let positions = match SectionPlan::probe(&index).map_err(|e| Error::pbf(path, e))? {
        (SectionPlan::Sorted { nodes, .. }, _) => nodes,
        (SectionPlan::Unsorted, _) => 0..index.data.len(),
    };
    let cover = index
        .fold_blocks(
            positions,
            || (DenseColumns::default(), Vec::new()),
            |block, (columns, visible)| cover_of_block(block, columns, visible).map(Some),
            |a, b| match (a, b) {
                (Some(a), Some(b)) => Some(NodeCover {
                    extent: union(a.extent, b.extent),
                    cells: a.cells.union(b.cells),
                    nodes: a.nodes + b.nodes,
                    camera_nodes: a.camera_nodes + b.camera_nodes,
                }),
                (a, b) => a.or(b),
            },
        )
        .map_err(|e| Error::pbf(path, e))?;
    Ok(cover.unwrap_or_default())
}

fn cover_of_block(
    block: &PrimitiveBlock<'_>,
    columns: &mut DenseColumns,
    visible: &mut Vec<bool>,
) -> std::result::Result<NodeCover, WireError> {
    let camera = block.find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes());
    let mut points = Points::default();
    let mut camera_nodes = 0;
    if let Some(nodes) = block.dense_ids(columns)? {
        let n = columns.ids().len();
        block.dense_coords(&nodes, columns, n)?;
        block.dense_visible(&nodes, visible)?;
        for i in (0..n).filter(|&i| visible[i]) {
            points.add(block.dense_position(columns, i));
        }
        if let Some(tag) = &camera {
            camera_nodes = block.dense_tagged(&nodes, tag)?.len() as u64;
        }
    } else {
        let mut visitor = Positions {
            points: &mut points,
            camera: camera.as_ref(),
            camera_nodes: 0,
        };
        block.visit(&mut visitor)?;
        camera_nodes = visitor.camera_nodes;
    }
    Ok(NodeCover {
        extent: points.extent(),
        nodes: points.count,
        camera_nodes,
        cells: DataCells::from_cells(points.cells),
    })
}

/// The positions of one block, as they come: their box, their cells (a
/// cell repeated at once kept once), how many.
struct Points {
    min: (f64, f64),
    max: (f64, f64),
    cells: Vec<Cell>,
    count: u64,
}

impl Default for Points {
    fn default() -> Self {
        Points {
            min: (f64::INFINITY, f64::INFINITY),
            max: (f64::NEG_INFINITY, f64::NEG_INFINITY),
            cells: Vec::new(),
            count: 0,
        }
    }
}

impl Points {
    fn add(&mut self, (lon, lat): (f64, f64)) {
        if !on_earth((lon, lat)) {
            return;
        }
        self.count += 1;
        self.min = (self.min.0.min(lon), self.min.1.min(lat));
        self.max = (self.max.0.max(lon), self.max.1.max(lat));
        let cell = cell_of((lon, lat));
        if self.cells.last() != Some(&cell) {
            self.cells.push(cell);
        }
    }

    fn extent(&self) -> Option<BBox> {
        (self.count > 0).then_some(BBox {
            min_lon: self.min.0,
            min_lat: self.min.1,
            max_lon: self.max.0,
            max_lat: self.max.1,
        })
    }
}

/// A deleted version of a history file has no position: osmium writes it
/// as the undefined location (214.7°), other writers as 0, 0. Neither is
/// data, so deleted versions and positions off the globe are left out.
fn on_earth((lon, lat): (f64, f64)) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
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

struct Positions<'p> {
    points: &'p mut Points,
    camera: Option<&'p TagIndices>,
    camera_nodes: u64,
}

impl<'a> ElementVisitor<'a> for Positions<'_> {
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
            self.points.add((node.lon, node.lat));
            if let Some(tag) = self.camera {
                self.camera_nodes += u64::from(node.tags.contains(tag)?);
            }
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
            let cover = node_cover(&path).unwrap();
            let extent = cover.extent.unwrap();
            assert_eq!(
                cover.cells,
                DataCells::of_points([(7.40, 43.70), (7.45, 43.75)])
            );
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
