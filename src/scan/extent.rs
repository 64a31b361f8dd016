//! Where a file's nodes lie: the box around them, for extracts whose header
//! states none, and the grid cells that hold them. A count in zones of
//! `--boundaries` needs both: a zone with no data of the file in it must not
//! read as a town without cameras.
//!
//! Why here and in the scan: the count's scan records it as the node blobs
//! pass ([`crate::scan::scan_covering`], through [`CoverPart`]), since it
//! inflates them anyway; `history` and `compare` read their files their
//! own way and pay [`node_cover`], a pass of its own over the node section.
//! Blocks of dense nodes are read column by column; other blocks element
//! by element.
//!
//! In: a file, or the node blocks of a scan. Out: the box of the node
//! positions (`None` without nodes), their cells, how many nodes and how
//! many cameras.

use std::path::Path;

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::cells::{cell_of, Cell, DataCells};
use crate::error::{Error, Result};
use crate::pbf::block::{
    DenseColumns, DenseNodes, ElementVisitor, Node, PrimitiveBlock, TagIndices, Tags, Wants,
};
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
            DenseColumns::default,
            |block, columns| cover_of_block(block, columns).map(Some),
            |a, b| match (a, b) {
                (Some(mut a), Some(b)) => {
                    a.append(b);
                    Some(a)
                }
                (a, b) => a.or(b),
            },
        )
        .map_err(|e| Error::pbf(path, e))?;
    Ok(cover.unwrap_or_default().finish())
}

fn cover_of_block(
    block: &PrimitiveBlock<'_>,
    columns: &mut DenseColumns,
) -> std::result::Result<CoverPart, WireError> {
    let camera = block.find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes());
    let mut part = CoverPart::default();
    if let Some(nodes) = block.dense_ids(columns)? {
        block.dense_coords(&nodes, columns, columns.ids().len())?;
        let cameras = match &camera {
            Some(tag) => block.dense_tagged(&nodes, tag)?,
            None => Vec::new(),
        };
        part.add_dense(block, &nodes, columns, &cameras)?;
    } else {
        let mut visitor = Positions {
            part: &mut part,
            camera: camera.as_ref(),
        };
        block.visit(&mut visitor)?;
    }
    Ok(part)
}

/// Node positions as a pass meets them: their box, their cells, how many,
/// how many are cameras. The scan's node stage and [`node_cover`] fill one
/// per block; parts merge in any order.
#[derive(Debug, Clone)]
pub struct CoverPart {
    min: (f64, f64),
    max: (f64, f64),
    /// Sorted and unique up to `compacted`, anything after.
    cells: Vec<Cell>,
    compacted: usize,
    nodes: u64,
    camera_nodes: u64,
}

impl Default for CoverPart {
    fn default() -> Self {
        CoverPart {
            min: (f64::INFINITY, f64::INFINITY),
            max: (f64::NEG_INFINITY, f64::NEG_INFINITY),
            cells: Vec::new(),
            compacted: 0,
            nodes: 0,
            camera_nodes: 0,
        }
    }
}

impl CoverPart {
    /// A node's position (deleted versions are not given); positions off
    /// the globe are left out.
    pub fn add(&mut self, (lon, lat): (f64, f64)) {
        if !on_earth((lon, lat)) {
            return;
        }
        self.nodes += 1;
        self.min = (self.min.0.min(lon), self.min.1.min(lat));
        self.max = (self.max.0.max(lon), self.max.1.max(lat));
        let cell = cell_of((lon, lat));
        // Nodes of one block often lie together: most repeats go here.
        if self.cells.last() != Some(&cell) {
            self.cells.push(cell);
        }
    }

    /// `n` more of the nodes given were cameras.
    pub fn add_cameras(&mut self, n: u64) {
        self.camera_nodes += n;
    }

    /// Every visible node of a dense block whose coordinates are decoded,
    /// and how many of them are among `cameras` (entries of the block).
    pub fn add_dense(
        &mut self,
        block: &PrimitiveBlock<'_>,
        nodes: &DenseNodes<'_>,
        columns: &DenseColumns,
        cameras: &[(usize, Tags<'_>)],
    ) -> std::result::Result<(), WireError> {
        let mut visible = Vec::new();
        block.dense_visible(nodes, &mut visible)?;
        for (i, _) in visible.iter().enumerate().filter(|(_, &v)| v) {
            self.add(block.dense_position(columns, i));
        }
        let visible_cameras = cameras.iter().filter(|&&(i, _)| visible[i]).count();
        self.add_cameras(visible_cameras as u64);
        Ok(())
    }

    /// Takes in another part. The cells are sorted again only once they
    /// have doubled, so merging many parts one by one stays linear.
    pub fn append(&mut self, other: CoverPart) {
        self.min = (self.min.0.min(other.min.0), self.min.1.min(other.min.1));
        self.max = (self.max.0.max(other.max.0), self.max.1.max(other.max.1));
        self.nodes += other.nodes;
        self.camera_nodes += other.camera_nodes;
        self.cells.extend(other.cells);
        if self.cells.len() > 2 * self.compacted + 4096 {
            self.compact();
        }
    }

    fn compact(&mut self) {
        self.cells.sort_unstable();
        self.cells.dedup();
        self.compacted = self.cells.len();
    }

    pub fn finish(mut self) -> NodeCover {
        self.compact();
        NodeCover {
            extent: (self.nodes > 0).then_some(BBox {
                min_lon: self.min.0,
                min_lat: self.min.1,
                max_lon: self.max.0,
                max_lat: self.max.1,
            }),
            cells: DataCells::from_cells(self.cells),
            nodes: self.nodes,
            camera_nodes: self.camera_nodes,
        }
    }
}

/// A deleted version of a history file has no position: osmium writes it
/// as the undefined location (214.7°), other writers as 0, 0. Neither is
/// data, so deleted versions and positions off the globe are left out.
fn on_earth((lon, lat): (f64, f64)) -> bool {
    (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)
}

struct Positions<'p> {
    part: &'p mut CoverPart,
    camera: Option<&'p TagIndices>,
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
        if !deleted {
            self.part.add((node.lon, node.lat));
            if let Some(tag) = self.camera {
                self.part.add_cameras(u64::from(node.tags.contains(tag)?));
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

    /// The scan's node stage records the same cover as the pass of its
    /// own, whether it reads a sorted file section by section, an unsorted
    /// one all at once, or blocks of one element each.
    #[test]
    fn the_scan_records_the_cover_this_pass_finds() {
        use crate::fixtures::{node, way, Seeded};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.osm.pbf");
        let mut rng = Seeded::new(7);
        let mut elements: Vec<_> = (1..=500)
            .map(|id| {
                let tags: &[(&str, &str)] = match id % 50 {
                    0 => &[("man_made", "surveillance")],
                    _ => &[],
                };
                node(id, rng.next_f64() * 2.0, 40.0 + rng.next_f64(), tags)
            })
            .collect();
        elements.push(way(1, &[1, 2, 3], &[("highway", "path")]));
        for (block_size, sorted) in [(8000, true), (7, true), (8000, false), (3, false)] {
            let mut these = elements.clone();
            if !sorted {
                these.reverse();
            }
            let options = WriterOptions {
                block_size,
                sorted,
                ..WriterOptions::default()
            };
            crate::fixtures::write_elements(&these, &path, options).unwrap();
            let alone = node_cover(&path).unwrap();
            let scanned = crate::scan::scan_covering(&path, None, &|_| {}).unwrap();
            assert_eq!(
                scanned.cover.as_ref(),
                Some(&alone),
                "{block_size} {sorted}"
            );
            assert_eq!((alone.nodes, alone.camera_nodes), (500, 10));
            assert!(crate::scan::scan(&path, None, &|_| {})
                .unwrap()
                .cover
                .is_none());
        }
    }

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
            let scanned = crate::scan::scan_covering(&path, None, &|_| {}).unwrap();
            assert_eq!(scanned.cover.as_ref(), Some(&cover));
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
