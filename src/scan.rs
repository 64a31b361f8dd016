//! The parallel camera scan.
//!
//! Why two passes, and why not more: nodes carry their position, but a way
//! only lists node ids, and a whole-file location index would cost gigabytes
//! on a country. Pass 1 reads every blob once, in parallel, keeping camera
//! nodes, camera ways (with their node ids), camera relations, and each
//! node blob's id range. Pass 2 re-reads only the node blobs whose id range
//! can hold a node of a camera way, and keeps just those locations.
//!
//! Each rayon task folds blobs into its own [`PassOne`] accumulator; the
//! accumulators merge at the end, so no lock is taken per element. Results
//! are sorted before they leave, so the output does not depend on threads.
//!
//! In: a PBF path. Out: [`CameraScan`], the sorted cameras and the counts.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use geo::{Centroid, Coord, LineString, Polygon};
use rayon::prelude::*;

use crate::camera::{Camera, CameraField, CameraTags, CAMERA_KEY, CAMERA_VALUE};
use crate::error::{Error, PbfError, Result};
use crate::pbf::blob::{BlobKind, RawBlob};
use crate::pbf::block::{
    ElementType, ElementVisitor, Node, PrimitiveBlock, Relation, Tags, Wants, Way,
};
use crate::pbf::wire::WireError;
use crate::pbf::{self, PbfFile};

/// Counts reported in the summary line and under `-v`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    pub bytes: u64,
    pub blobs: u64,
    pub nodes: u64,
    pub ways: u64,
    pub relations: u64,
    /// Node blobs read again in pass 2 to place camera ways.
    pub blobs_reread: u64,
    /// Blobs of a type other than OSMHeader/OSMData, skipped as the spec
    /// says; worth a warning, since a damaged type looks the same.
    pub blobs_skipped: u64,
    /// Camera ways left without a position because nodes are missing.
    pub ways_unlocated: u64,
    pub pass_one: Duration,
    pub pass_two: Duration,
}

impl ScanStats {
    pub fn elements(&self) -> u64 {
        self.nodes + self.ways + self.relations
    }
}

/// The result of a camera scan.
#[derive(Debug, Clone)]
pub struct CameraScan {
    /// Sorted by type, then id.
    pub cameras: Vec<Camera>,
    pub stats: ScanStats,
}

impl CameraScan {
    /// How many cameras of one element type were found.
    pub fn count(&self, kind: ElementType) -> usize {
        self.cameras.iter().filter(|c| c.osm_type == kind).count()
    }
}

/// Scans `path` for cameras on the current rayon pool. `on_bytes` is told how
/// many bytes each blob frame took, for a progress bar.
pub fn scan_cameras(path: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<CameraScan> {
    let started = Instant::now();
    let file = PbfFile::open(path)?;
    let first = pass_one(file, on_bytes).map_err(|e| Error::pbf(path, e))?;
    let pass_one_time = started.elapsed();
    let mut stats = first.stats.clone();
    stats.pass_one = pass_one_time;

    let started = Instant::now();
    let (ways, reread) = place_ways(path, &first.ways, &first.node_blobs)?;
    stats.blobs_reread = reread;
    stats.pass_two = started.elapsed();
    stats.ways_unlocated = ways.iter().filter(|c| c.position.is_none()).count() as u64;

    let mut cameras = first.cameras;
    cameras.extend(ways);
    cameras.sort_by_key(Camera::sort_key);
    Ok(CameraScan { cameras, stats })
}

/// A camera way waiting for its node locations.
#[derive(Debug, Clone)]
struct PendingWay {
    id: i64,
    refs: Vec<i64>,
    tags: CameraTags,
}

/// Where a node blob sits and which node ids it spans.
#[derive(Debug, Clone, Copy)]
struct NodeBlob {
    index: u64,
    offset: u64,
    min_id: i64,
    max_id: i64,
}

/// One task's share of pass 1; merged with the others at the end.
#[derive(Default)]
struct PassOne {
    cameras: Vec<Camera>,
    ways: Vec<PendingWay>,
    node_blobs: Vec<NodeBlob>,
    stats: ScanStats,
    error: Option<PbfError>,
    scratch: Vec<u8>,
}

impl PassOne {
    fn merge(mut self, other: PassOne) -> PassOne {
        self.cameras.extend(other.cameras);
        self.ways.extend(other.ways);
        self.node_blobs.extend(other.node_blobs);
        let s = &mut self.stats;
        s.bytes += other.stats.bytes;
        s.blobs += other.stats.blobs;
        s.nodes += other.stats.nodes;
        s.ways += other.stats.ways;
        s.relations += other.stats.relations;
        s.blobs_skipped += other.stats.blobs_skipped;
        self.error = first_error(self.error, other.error);
        self
    }

    fn absorb(&mut self, blob: &RawBlob) -> std::result::Result<(), PbfError> {
        self.stats.blobs += 1;
        self.stats.bytes += blob.frame_len;
        if matches!(blob.kind, BlobKind::Other(_)) {
            self.stats.blobs_skipped += 1;
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        let found = pbf::with_block(blob, &mut scratch, |block| {
            let mut visitor = CameraVisitor::new(block);
            block.visit(&mut visitor)?;
            Ok(visitor.found)
        });
        self.scratch = scratch;
        if let Some(found) = found? {
            self.keep(blob, found);
        }
        Ok(())
    }

    fn keep(&mut self, blob: &RawBlob, found: BlobFindings) {
        self.stats.nodes += found.nodes;
        self.stats.ways += found.ways;
        self.stats.relations += found.relations;
        self.cameras.extend(found.cameras);
        self.ways.extend(found.pending_ways);
        if let Some((min_id, max_id)) = found.node_range {
            self.node_blobs.push(NodeBlob {
                index: blob.index,
                offset: blob.offset,
                min_id,
                max_id,
            });
        }
    }
}

/// Keeps the error that comes first in the file, whichever thread saw it.
fn first_error(a: Option<PbfError>, b: Option<PbfError>) -> Option<PbfError> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if rank(&b) < rank(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn rank(err: &PbfError) -> u64 {
    err.blob_index().unwrap_or(u64::MAX)
}

fn pass_one(
    file: PbfFile,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> std::result::Result<PassOne, PbfError> {
    // Blobs after the first damaged one need no work: that error is the answer.
    let first_bad = AtomicU64::new(u64::MAX);
    let merged = file
        .blobs()
        .par_bridge()
        .fold(PassOne::default, |mut acc, blob| {
            let outcome = blob.and_then(|blob| {
                on_bytes(blob.frame_len);
                if blob.index > first_bad.load(Ordering::Relaxed) {
                    return Ok(());
                }
                acc.absorb(&blob)
            });
            if let Err(err) = outcome {
                first_bad.fetch_min(err.blob_index().unwrap_or(u64::MAX), Ordering::Relaxed);
                acc.error = first_error(acc.error.take(), Some(err));
            }
            acc
        })
        .reduce(PassOne::default, PassOne::merge);
    match merged.error {
        Some(err) => Err(err),
        None => Ok(merged),
    }
}

/// What one block holds for the camera scan.
#[derive(Default)]
struct BlobFindings {
    cameras: Vec<Camera>,
    pending_ways: Vec<PendingWay>,
    node_range: Option<(i64, i64)>,
    nodes: u64,
    ways: u64,
    relations: u64,
}

/// Finds cameras in one block, and the id range of its nodes.
struct CameraVisitor<'b, 'a> {
    block: &'b PrimitiveBlock<'a>,
    /// String indices of `man_made` and `surveillance`; `None` when the
    /// block lacks one, so no element in it can be a camera.
    camera_tag: Option<(u32, u32)>,
    found: BlobFindings,
}

impl<'b, 'a> CameraVisitor<'b, 'a> {
    fn new(block: &'b PrimitiveBlock<'a>) -> Self {
        let key = block.find_string(CAMERA_KEY.as_bytes());
        let value = block.find_string(CAMERA_VALUE.as_bytes());
        CameraVisitor {
            block,
            camera_tag: key.zip(value),
            found: BlobFindings::default(),
        }
    }

    fn is_camera(&self, tags: &Tags<'a>) -> std::result::Result<bool, WireError> {
        match self.camera_tag {
            Some((key, value)) if !tags.is_empty() => tags.contains(key, value),
            _ => Ok(false),
        }
    }

    fn camera_tags(&self, tags: &Tags<'a>) -> std::result::Result<CameraTags, WireError> {
        let mut camera = CameraTags::default();
        for pair in tags.iter() {
            let (key, value) = pair?;
            if let Some(field) = CameraField::for_key(self.block.string(key)?) {
                camera.set(field, self.block.str(value)?);
            }
        }
        Ok(camera.finish())
    }
}

impl<'b, 'a> ElementVisitor<'a> for CameraVisitor<'b, 'a> {
    fn wants(&self) -> Wants {
        Wants::ALL
    }

    fn node(&mut self, node: &Node<'a>) -> std::result::Result<(), WireError> {
        self.found.nodes += 1;
        self.found.node_range = Some(match self.found.node_range {
            None => (node.id, node.id),
            Some((lo, hi)) => (lo.min(node.id), hi.max(node.id)),
        });
        if self.is_camera(&node.tags)? {
            let tags = self
                .camera_tags(&node.tags)
                .map_err(|e| e.context(format!("node {}", node.id)))?;
            self.found.cameras.push(Camera {
                osm_type: ElementType::Node,
                osm_id: node.id,
                position: Some((node.lon, node.lat)),
                tags,
            });
        }
        Ok(())
    }

    fn way(&mut self, way: &Way<'a>) -> std::result::Result<(), WireError> {
        self.found.ways += 1;
        if self.is_camera(&way.tags)? {
            let context = |e: WireError| e.context(format!("way {}", way.id));
            let tags = self.camera_tags(&way.tags).map_err(context)?;
            let mut refs = Vec::new();
            way.refs(&mut refs).map_err(context)?;
            self.found.pending_ways.push(PendingWay {
                id: way.id,
                refs,
                tags,
            });
        }
        Ok(())
    }

    fn relation(&mut self, relation: &Relation<'a>) -> std::result::Result<(), WireError> {
        self.found.relations += 1;
        if self.is_camera(&relation.tags)? {
            let tags = self
                .camera_tags(&relation.tags)
                .map_err(|e| e.context(format!("relation {}", relation.id)))?;
            // A relation has no position of its own; it is listed, unplaced.
            self.found.cameras.push(Camera {
                osm_type: ElementType::Relation,
                osm_id: relation.id,
                position: None,
                tags,
            });
        }
        Ok(())
    }
}

/// Pass 2: locates camera ways from the nodes of the blobs that can hold them.
/// Returns the way cameras and the number of blobs re-read.
fn place_ways(
    path: &Path,
    ways: &[PendingWay],
    node_blobs: &[NodeBlob],
) -> Result<(Vec<Camera>, u64)> {
    if ways.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let mut wanted: Vec<i64> = ways.iter().flat_map(|w| w.refs.iter().copied()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let blobs: Vec<NodeBlob> = node_blobs
        .iter()
        .copied()
        .filter(|b| range_holds_any(&wanted, b.min_id, b.max_id))
        .collect();
    let locations = read_locations(path, &blobs, &wanted)?;
    let cameras = ways.iter().map(|way| way_camera(way, &locations)).collect();
    Ok((cameras, blobs.len() as u64))
}

fn range_holds_any(sorted_ids: &[i64], min_id: i64, max_id: i64) -> bool {
    let first = sorted_ids.partition_point(|&id| id < min_id);
    sorted_ids.get(first).is_some_and(|&id| id <= max_id)
}

type Locations = HashMap<i64, (f64, f64)>;

fn read_locations(path: &Path, blobs: &[NodeBlob], wanted: &[i64]) -> Result<Locations> {
    blobs
        .par_iter()
        .map(|b| {
            let blob = pbf::read_blob_at(path, b.offset, b.index)?;
            let mut scratch = Vec::new();
            let found = pbf::with_block(&blob, &mut scratch, |block| {
                let mut collector = LocationCollector {
                    wanted,
                    found: HashMap::new(),
                };
                block.visit(&mut collector)?;
                Ok(collector.found)
            });
            found
                .map(Option::unwrap_or_default)
                .map_err(|e| Error::pbf(path, e))
        })
        .try_reduce(HashMap::new, |mut a, b| {
            a.extend(b);
            Ok(a)
        })
}

struct LocationCollector<'w> {
    wanted: &'w [i64],
    found: Locations,
}

impl<'a> ElementVisitor<'a> for LocationCollector<'_> {
    fn wants(&self) -> Wants {
        Wants {
            nodes: true,
            ways: false,
            relations: false,
        }
    }

    fn node(&mut self, node: &Node<'a>) -> std::result::Result<(), WireError> {
        if self.wanted.binary_search(&node.id).is_ok() {
            self.found.insert(node.id, (node.lon, node.lat));
        }
        Ok(())
    }
}

fn way_camera(way: &PendingWay, locations: &Locations) -> Camera {
    let coords: Option<Vec<(f64, f64)>> = way
        .refs
        .iter()
        .map(|id| locations.get(id).copied())
        .collect();
    Camera {
        osm_type: ElementType::Way,
        osm_id: way.id,
        position: coords.and_then(|c| way_centroid(&c)),
        tags: way.tags.clone(),
    }
}

/// The centroid of a way: a closed way as an area, an open one as a line.
/// A degenerate area (zero surface) falls back to its outline.
pub fn way_centroid(coords: &[(f64, f64)]) -> Option<(f64, f64)> {
    let line: LineString<f64> = coords.iter().map(|&(x, y)| Coord { x, y }).collect();
    let closed = coords.len() >= 4 && coords.first() == coords.last();
    let centroid = if closed {
        Polygon::new(line, vec![]).centroid()
    } else {
        line.centroid()
    };
    centroid.map(|p| (p.x(), p.y()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_square_centroid_is_its_middle() {
        let square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)];
        assert_eq!(way_centroid(&square), Some((1.0, 1.0)));
    }

    #[test]
    fn open_line_centroid_is_length_weighted() {
        let line = [(0.0, 0.0), (4.0, 0.0)];
        assert_eq!(way_centroid(&line), Some((2.0, 0.0)));
    }

    #[test]
    fn id_ranges_select_blobs() {
        let ids = [5, 20, 40];
        assert!(range_holds_any(&ids, 1, 5));
        assert!(!range_holds_any(&ids, 6, 19));
        assert!(range_holds_any(&ids, 30, 100));
        assert!(!range_holds_any(&ids, 41, 100));
    }
}
