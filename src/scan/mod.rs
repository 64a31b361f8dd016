//! The parallel scan: cameras, and the raw material of boundaries.
//!
//! Why stages: a way lists node ids and a relation lists way ids, so what a
//! run needs from the node blobs is only known after the way and relation
//! blobs are read. A whole-file location index would cost gigabytes on a
//! country. So the scan reads, in this order:
//!
//! 1. relations: camera relations and boundary candidates;
//! 2. ways: camera ways and the member ways of candidates;
//! 3. nodes: camera nodes, and the positions of the nodes those ways need.
//!
//! In a file sorted `Type_then_ID` each stage reads only its own section,
//! found by probing a few blobs, so every blob is inflated once. Otherwise
//! stage 1 reads every blob and stages 2 and 3 re-read only the blobs that
//! can hold what they need (way blobs; node blobs by id range).
//!
//! Within a stage, rayon tasks decode blobs independently; their findings
//! are merged in file order, and everything is sorted before it leaves, so
//! no output depends on the thread count. The first error in file order is
//! the one reported.
//!
//! Files as tools leave them: ways that carry their nodes' locations
//! (`osmium add-locations-to-ways`, which drops the untagged nodes) fill the
//! node table themselves. A file may hold an object twice (`osmium cat` of
//! overlapping extracts, `osmium merge` of two dates): the first pass
//! notices it where it already looks (equal ids in the order check, a node
//! found twice, a kept object listed twice or inside two blobs' id ranges),
//! and only then a second pass reads versions and keeps the latest copy of
//! each object, so files without copies pay nothing for them.
//!
//! In: a PBF path and what to look for. Out: [`ScanOutput`].

mod copies;
pub mod extent;
pub mod frames;
pub mod ids;
pub mod newest;
pub mod nodes;
pub mod per_worker;
mod run;
#[cfg(test)]
mod tests;
pub mod visit;
pub mod way_lists;

use std::path::Path;
use std::time::{Duration, Instant};

use geo::{Centroid, Coord, LineString, Polygon};

use crate::camera::Camera;
use crate::candidates::{BoundarySelector, MemberGeometry};
use crate::dates::{DataDate, Newest};
use crate::error::{Error, Result};
use crate::pbf::block::ElementType;
use crate::pbf::header::BBox;
use crate::pbf::OsmRelation;
use crate::per_type::PerType;
use copies::watch_list;
use frames::{FrameIndex, SectionPlan};
use nodes::NodeTable;
use run::Run;
use visit::Watch;
use way_lists::MemberWays;

/// Counts reported in the summary line and under `-v`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Bytes of the file.
    pub bytes: u64,
    /// Data blobs in the file.
    pub blobs: u64,
    /// Blob reads, counting the section probes and the re-reads of an
    /// unsorted file.
    pub blob_reads: u64,
    pub nodes: u64,
    pub ways: u64,
    pub relations: u64,
    /// Camera ways left without a position because nodes are missing.
    pub ways_unlocated: u64,
    /// True when the file's sort order let each blob be read once.
    pub sorted: bool,
    /// Copies of objects the file holds more than once (same type and id),
    /// dropped for the highest version (on a tie, the copy read last). In
    /// a sorted file every duplicate is counted; in an unsorted one, those
    /// among the objects the run keeps (cameras, boundary relations, their
    /// ways and nodes). Nonzero means the file was read a second time.
    pub duplicates: u64,
    /// By the type each stage reads (an unsorted file's first pass reads
    /// everything, and counts as the relations stage).
    pub stage_times: PerType<Duration>,
    /// Reading the frame headers and probing the sections.
    pub index_time: Duration,
    /// Building the node table between the way and node stages.
    pub node_table_time: Duration,
}

impl ScanStats {
    pub fn elements(&self) -> u64 {
        self.nodes + self.ways + self.relations
    }
}

/// What the scan gathered.
#[derive(Debug, Default)]
pub struct ScanOutput {
    /// Sorted by type, then id.
    pub cameras: Vec<Camera>,
    /// Boundary candidates, sorted by id.
    pub relations: Vec<OsmRelation>,
    /// Member ways of the candidates that the extract holds: id → the
    /// slots of its nodes in `nodes`, in order.
    pub ways: MemberWays,
    /// Positions of the member ways' nodes that the extract holds.
    pub nodes: NodeTable,
    pub stats: ScanStats,
    /// How old the data is: the header's replication timestamp, else the
    /// newest object timestamp, else unknown.
    pub data_date: DataDate,
    /// The header's bounding box: where the extract says its data lies.
    pub bbox: Option<BBox>,
    /// Where the file's nodes lie, when asked ([`scan_covering`]).
    pub cover: Option<extent::NodeCover>,
    /// The header says the file holds history (several versions of an
    /// object): its copies are versions, not damage.
    pub history: bool,
}

impl ScanOutput {
    /// How many cameras of one element type were found.
    pub fn count(&self, kind: ElementType) -> usize {
        self.cameras.iter().filter(|c| c.osm_type == kind).count()
    }
}

/// Boundary building reads the member ways and node positions found.
impl MemberGeometry for ScanOutput {
    fn way_slots(&self, way: i64) -> Option<&[u32]> {
        self.ways.get(way)
    }

    fn slot_position(&self, slot: u32) -> Option<(i32, i32)> {
        self.nodes.fixed_at(slot)
    }
}

/// Scans `path` for cameras only.
pub fn scan_cameras(path: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<ScanOutput> {
    scan(path, None, on_bytes)
}

/// Scans `path` for cameras and, with a selector, boundary candidates and
/// their geometry, on the current rayon pool. `on_bytes` is told the bytes
/// of each blob as it is first read, for a progress bar.
pub fn scan(
    path: &Path,
    boundaries: Option<&BoundarySelector>,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<ScanOutput> {
    scan_with(path, boundaries, false, on_bytes)
}

/// [`scan`], also recording where every node lies ([`ScanOutput::cover`])
/// as the node blobs pass: a count checks its zones against the data
/// without a pass of its own.
pub fn scan_covering(
    path: &Path,
    boundaries: Option<&BoundarySelector>,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<ScanOutput> {
    scan_with(path, boundaries, true, on_bytes)
}

fn scan_with(
    path: &Path,
    boundaries: Option<&BoundarySelector>,
    cover: bool,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<ScanOutput> {
    let indexing = Instant::now();
    let index = FrameIndex::build(path)?;
    let (plan, probes) = SectionPlan::probe(&index).map_err(|e| Error::pbf(path, e))?;
    let stats = ScanStats {
        bytes: index.file_len,
        blobs: index.data.len() as u64,
        blob_reads: probes as u64,
        index_time: indexing.elapsed(),
        sorted: matches!(plan, SectionPlan::Sorted { .. }),
        ..ScanStats::default()
    };
    let run = |stats, watch: Option<&Watch>, on_bytes| {
        let mut run = Run {
            index: &index,
            on_bytes,
            stats,
            boundaries,
            versions: watch.is_some(),
            watch,
            seen_twice: 0,
            cover: cover && watch.is_none(),
        };
        let output = match plan.clone() {
            SectionPlan::Sorted {
                nodes,
                ways,
                relations,
            } => run.sorted(nodes, ways, relations),
            SectionPlan::Unsorted => run.unsorted(),
        };
        output
            .map(|output| (output, run.seen_twice))
            .map_err(|e| Error::pbf(path, e))
    };
    let (first, seen_twice) = run(stats, None, on_bytes)?;
    let mut output = if seen_twice == 0 {
        first
    } else {
        // The file holds some object twice. The first pass found that out
        // cheaply (equal ids side by side, a node found twice, a camera or
        // a relation listed twice); this one reads the versions of what it
        // keeps and keeps the latest copy of each. The progress bar has had
        // its bytes. Its stats add to the first's: reads and times, not
        // counts.
        let stats = ScanStats {
            index_time: Duration::ZERO,
            duplicates: 0,
            ..first.stats.clone()
        };
        let watch = watch_list(&first);
        let (mut second, _) = run(stats, Some(&watch), &|_| {})?;
        second.stats.index_time += first.stats.index_time;
        second.cover = first.cover;
        second
    };
    let tomorrow = crate::dates::tomorrow();
    let newest_camera = (output.cameras.iter())
        .filter_map(|c| c.edit.timestamp)
        .filter(|&t| t <= tomorrow)
        .max();
    output.data_date = data_date(&index, newest_camera)?;
    output.bbox = index.header.bbox;
    output.history = index.header.is_history();
    Ok(output)
}

/// The data date of a file: its header's, unless a camera read is newer
/// (see [`DataDate::of_file`]); else (one more pass) the newest object
/// timestamp in it (also when the header's is implausible, see
/// [`crate::dates::plausible`]).
pub fn data_date(index: &FrameIndex, newest_camera: Option<i64>) -> Result<DataDate> {
    let header = crate::dates::plausible(index.header.replication_timestamp);
    let (newest, by) = match header {
        Some(_) => (newest_camera, Newest::Camera),
        None => (
            newest::newest_timestamp(index).map_err(|e| Error::pbf(&index.path, e))?,
            Newest::Object,
        ),
    };
    Ok(DataDate::of_file(header, newest, by))
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
