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

pub mod frames;
pub mod newest;
pub mod nodes;
pub mod per_worker;
pub mod visit;
pub mod way_lists;

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use geo::{Centroid, Coord, LineString, Polygon};
use rayon::prelude::*;

use crate::camera::Camera;
use crate::candidates::{BoundarySelector, MemberGeometry};
use crate::dates::DataDate;
use crate::error::{Error, PbfError, Result};
use crate::pbf::block::{sort_key, DenseColumns, ElementType};
use crate::pbf::{self, OsmRelation};
use crate::per_type::PerType;
use frames::{FrameIndex, SectionPlan};
use nodes::NodeTable;
use per_worker::{blobs_per_task, PerWorker};
use rustc_hash::{FxHashMap, FxHashSet};
use visit::{visit_block, BlobOrder, Findings, Located, PendingWay, Precedence, StageWants, Watch};
use way_lists::{MemberWays, WayLists};

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
    /// Blobs of a type other than OSMHeader/OSMData, skipped as the spec
    /// says; worth a warning, since a damaged type looks the same.
    pub blobs_skipped: u64,
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
    let indexing = Instant::now();
    let index = FrameIndex::build(path)?;
    let (plan, probes) = SectionPlan::probe(&index).map_err(|e| Error::pbf(path, e))?;
    let stats = ScanStats {
        bytes: index.file_len,
        blobs: index.data.len() as u64,
        blobs_skipped: index.skipped.len() as u64,
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
        second
    };
    output.data_date = data_date(&index)?;
    Ok(output)
}

/// The data date of a file: its header's, else (one more pass) the newest
/// object timestamp in it.
pub fn data_date(index: &FrameIndex) -> Result<DataDate> {
    Ok(match index.header.replication_timestamp {
        Some(timestamp) => DataDate::from_header(timestamp),
        None => DataDate::from_newest_object(
            newest::newest_timestamp(index).map_err(|e| Error::pbf(&index.path, e))?,
        ),
    })
}

/// One worker thread's buffers, reused from blob to blob.
#[derive(Default)]
struct Scratch {
    compressed: Vec<u8>,
    inflated: Vec<u8>,
    columns: DenseColumns,
}

struct Run<'a> {
    index: &'a FrameIndex,
    on_bytes: &'a (dyn Fn(u64) + Sync),
    stats: ScanStats,
    boundaries: Option<&'a BoundarySelector>,
    /// A pass that keeps the latest copy of each object (see
    /// [`StageWants::versions`]).
    versions: bool,
    watch: Option<&'a Watch>,
    /// Signs that the file holds an object twice, found on the way.
    seen_twice: u64,
}

type StageResult<T> = std::result::Result<T, PbfError>;

impl Run<'_> {
    fn sorted(
        &mut self,
        nodes: std::ops::Range<usize>,
        ways: std::ops::Range<usize>,
        relations: std::ops::Range<usize>,
    ) -> StageResult<ScanOutput> {
        let (way_start, relation_start) = (ways.start, relations.start);
        let relation_wants = StageWants {
            camera_relations: true,
            boundaries: self.boundaries,
            counts: PerType::only(ElementType::Relation),
            versions: self.versions,
            watch: self.watch,
            ..StageWants::default()
        };
        let mut found_relations = self.stage(
            ElementType::Relation,
            relations.collect(),
            &relation_wants,
            usize::MAX,
        )?;
        self.check_order(&mut found_relations, ElementType::Relation)?;
        self.keep_latest_relations(&mut found_relations);
        let member_ids = member_way_ids(&found_relations.relations);
        let way_wants = StageWants {
            camera_ways: true,
            member_ways: Some(&member_ids),
            counts: PerType::only(ElementType::Way),
            versions: self.versions,
            watch: self.watch,
            ..StageWants::default()
        };
        let mut found_ways =
            self.stage(ElementType::Way, ways.collect(), &way_wants, relation_start)?;
        self.check_order(&mut found_ways, ElementType::Way)?;
        self.keep_latest_ways(&mut found_ways);
        // The node ids of member ways are not needed once they are slots.
        let member_refs = std::mem::take(&mut found_ways.ways);
        let (table, member_ways) = self.node_table(&found_ways.camera_ways, member_refs);
        let node_wants = StageWants {
            camera_nodes: true,
            node_table: Some(&table),
            counts: PerType::only(ElementType::Node),
            versions: self.versions,
            watch: self.watch,
            ..StageWants::default()
        };
        let mut found_nodes =
            self.stage(ElementType::Node, nodes.collect(), &node_wants, way_start)?;
        self.check_order(&mut found_nodes, ElementType::Node)?;
        self.fill_latest_nodes(&table, &mut found_nodes);
        fill_from_ways(&table, &found_ways.located);
        let mut all = found_relations;
        all.append(found_ways);
        all.append(found_nodes);
        Ok(self.finish(all, table, member_ways))
    }

    fn unsorted(&mut self) -> StageResult<ScanOutput> {
        let everything = StageWants {
            camera_nodes: true,
            camera_ways: true,
            camera_relations: true,
            boundaries: self.boundaries,
            counts: PerType::all(true),
            record_layout: true,
            versions: self.versions,
            watch: self.watch,
            ..StageWants::default()
        };
        let mut found = self.stage(
            ElementType::Relation,
            (0..self.index.data.len()).collect(),
            &everything,
            usize::MAX,
        )?;
        if !self.versions {
            // Copies side by side (`osmium merge` writes versions so, with
            // no sort promise in the header), or in other blobs.
            self.seen_twice += side_by_side(&found.order);
            self.seen_twice += ids_in_two_blobs(&found);
        }
        self.keep_latest_relations(&mut found);
        let member_ids = member_way_ids(&found.relations);
        if !member_ids.is_empty() {
            let way_wants = StageWants {
                member_ways: Some(&member_ids),
                versions: self.versions,
                watch: self.watch,
                ..StageWants::default()
            };
            let mut found_ways =
                self.stage(ElementType::Way, found.way_blobs.clone(), &way_wants, 0)?;
            found.ways = found_ways.ways;
            found.versions.ways = found_ways.versions.ways;
            found.located.append(&mut found_ways.located);
        }
        self.keep_latest_ways(&mut found);
        let member_refs = std::mem::take(&mut found.ways);
        let (table, member_ways) = self.node_table(&found.camera_ways, member_refs);
        if !table.is_empty() {
            let blobs: Vec<usize> = found
                .node_ranges
                .iter()
                .filter(|&&(_, min, max)| table.wants_any_in(min, max))
                .map(|&(position, _, _)| position)
                .collect();
            let node_wants = StageWants {
                node_table: Some(&table),
                versions: self.versions,
                watch: self.watch,
                ..StageWants::default()
            };
            let mut found_nodes = self.stage(ElementType::Node, blobs, &node_wants, 0)?;
            self.seen_twice += found_nodes.refills;
            self.fill_latest_nodes(&table, &mut found_nodes);
        }
        fill_from_ways(&table, &found.located);
        Ok(self.finish(found, table, member_ways))
    }

    /// Reads and visits `positions` in parallel; findings merge in file
    /// order. Bytes of blobs below `count_below` go to the progress bar.
    fn stage(
        &mut self,
        reads: ElementType,
        positions: Vec<usize>,
        wants: &StageWants<'_>,
        count_below: usize,
    ) -> StageResult<Findings> {
        let started = Instant::now();
        let first_bad = AtomicU64::new(u64::MAX);
        let scratches: PerWorker<Scratch> = PerWorker::for_current_pool();
        let results: Vec<StageResult<Findings>> = positions
            .par_iter()
            .with_max_len(blobs_per_task(
                positions.len(),
                rayon::current_num_threads(),
            ))
            .map(|&position| {
                let frame = &self.index.data[position];
                if frame.index > first_bad.load(Ordering::Relaxed) {
                    return Ok(Findings::default());
                }
                let outcome =
                    scratches.with(|scratch| self.read_and_visit(position, wants, scratch));
                if position < count_below {
                    (self.on_bytes)(frame.frame_len());
                }
                if let Err(err) = &outcome {
                    first_bad.fetch_min(err.blob_index().unwrap_or(u64::MAX), Ordering::Relaxed);
                }
                outcome
            })
            .collect();
        self.stats.blob_reads += positions.len() as u64;
        self.stats.stage_times[reads] += started.elapsed();
        let mut merged = Findings::default();
        for result in results {
            merged.append(result?);
        }
        Ok(merged)
    }

    fn read_and_visit(
        &self,
        position: usize,
        wants: &StageWants<'_>,
        scratch: &mut Scratch,
    ) -> StageResult<Findings> {
        let Scratch {
            compressed,
            inflated,
            columns,
        } = scratch;
        let found = self
            .index
            .with_blob(&self.index.data[position], compressed, |blob| {
                pbf::with_block(blob, inflated, |block| {
                    visit_block(block, position, wants, columns)
                })
            })?;
        Ok(found.unwrap_or_default())
    }

    /// [`node_table`], its time kept for `-v`.
    fn node_table(
        &mut self,
        camera_ways: &[PendingWay],
        member_ways: WayLists<i64>,
    ) -> (NodeTable, MemberWays) {
        let started = Instant::now();
        let lists = member_ways.len();
        let built = node_table(camera_ways, member_ways);
        self.stats.node_table_time = started.elapsed();
        // The lookup by id keeps one list per way: fewer ways than lists
        // means a way found twice.
        self.seen_twice += (lists - built.1.len()) as u64;
        built
    }

    /// Checks a stage's blobs against the sort promise; objects found twice
    /// are counted, and taken off the stage's count of their type.
    fn check_order(&mut self, found: &mut Findings, kind: ElementType) -> StageResult<()> {
        match out_of_order(&found.order, kind) {
            Ok(0) => Ok(()),
            Ok(duplicates) => {
                self.seen_twice += duplicates;
                self.stats.duplicates += duplicates;
                let count = &mut found.counts[kind];
                *count = count.saturating_sub(duplicates);
                Ok(())
            }
            Err(position) => Err(PbfError::new(
                self.index.data[position].location(),
                "the header promises Sort.Type_then_ID but elements are out of order; \
                 sort the file with `osmium sort IN -o OUT.osm.pbf`",
            )),
        }
    }

    /// Counts what a pass for versions drops, where the order check did not
    /// (an unsorted file).
    fn dropped(&mut self, copies: u64) {
        if !self.stats.sorted {
            self.stats.duplicates += copies;
        }
    }

    /// Keeps the latest copy of each boundary candidate, in a pass for
    /// versions; in a first pass, notes a candidate found twice.
    fn keep_latest_relations(&mut self, found: &mut Findings) {
        if !self.versions {
            return;
        }
        let precedences = std::mem::take(&mut found.versions.relations);
        let relations = std::mem::take(&mut found.relations);
        let (kept, dropped) = keep_latest(relations, precedences, |r| r.id);
        let latest = latest_copies(&found.versions.watched);
        let (kept, superseded) = drop_superseded(kept, &latest, |r| (ElementType::Relation, r.id));
        found.relations = kept.into_iter().map(|(r, _)| r).collect();
        self.dropped(dropped + superseded);
    }

    /// Keeps the latest copy of each member way and camera way, and the
    /// node locations only the kept copies carry, in a pass for versions.
    /// (A first pass notes a member way found twice as it builds the node
    /// table, and a camera way in [`Run::finish`].)
    fn keep_latest_ways(&mut self, found: &mut Findings) {
        if !self.versions {
            return;
        }
        let ways = std::mem::take(&mut found.ways);
        let precedences = std::mem::take(&mut found.versions.ways);
        let mut latest: FxHashMap<i64, (Precedence, usize)> = FxHashMap::default();
        for (k, ((id, _), &precedence)) in ways.iter().zip(&precedences).enumerate() {
            let entry = latest.entry(id).or_insert((precedence, k));
            if precedence >= entry.0 {
                *entry = (precedence, k);
            }
        }
        let mut kept_lists = WayLists::default();
        for (k, (id, list)) in ways.iter().enumerate() {
            if latest[&id].1 == k {
                let copy = |out: &mut Vec<i64>| {
                    out.extend_from_slice(list);
                    Ok::<(), std::convert::Infallible>(())
                };
                let Ok(()) = kept_lists.push_with(id, copy);
            }
        }
        self.dropped((ways.len() - kept_lists.len()) as u64);
        found.ways = kept_lists;
        let camera_ways = std::mem::take(&mut found.camera_ways);
        let precedences = camera_ways.iter().map(|w| w.precedence).collect();
        let (kept, dropped) = keep_latest(camera_ways, precedences, |w| w.id);
        let watched = latest_copies(&found.versions.watched);
        let (kept, superseded) = drop_superseded(kept, &watched, |w| (ElementType::Way, w.id));
        found.camera_ways = kept.into_iter().map(|(w, _)| w).collect();
        self.dropped(dropped + superseded);
        let carriers: FxHashSet<(i64, Precedence)> = (latest.iter())
            .map(|(&id, &(precedence, _))| (id, precedence))
            .chain(found.camera_ways.iter().map(|w| (w.id, w.precedence)))
            .collect();
        found
            .located
            .retain(|l| carriers.contains(&(l.way, l.precedence)));
    }

    /// Fills the table with the latest copy of each wanted node, in a pass
    /// for versions (a first pass filled it as it went).
    fn fill_latest_nodes(&mut self, table: &NodeTable, found: &mut Findings) {
        let mut nodes = std::mem::take(&mut found.versions.nodes);
        nodes.sort_unstable_by_key(|&(slot, precedence, _)| (slot, precedence));
        let mut kept = 0;
        for (k, &(slot, _, (lon, lat))) in nodes.iter().enumerate() {
            if nodes.get(k + 1).is_none_or(|next| next.0 != slot) {
                table.fill(slot, lon, lat);
                kept += 1;
            }
        }
        self.dropped((nodes.len() - kept) as u64);
    }

    fn finish(&mut self, found: Findings, nodes: NodeTable, member_ways: MemberWays) -> ScanOutput {
        let PerType {
            nodes: n,
            ways: w,
            relations: r,
        } = found.counts;
        (self.stats.nodes, self.stats.ways, self.stats.relations) = (n, w, r);
        let mut cameras = found.cameras;
        if self.versions {
            let (kept, dropped) = keep_latest(cameras, found.versions.cameras, Camera::sort_key);
            let latest = latest_copies(&found.versions.watched);
            let (kept, superseded) = drop_superseded(kept, &latest, Camera::sort_key);
            cameras = kept.into_iter().map(|(c, _)| c).collect();
            self.dropped(dropped + superseded);
        }
        cameras.extend(found.camera_ways.iter().map(|way| way_camera(way, &nodes)));
        cameras.sort_by_key(Camera::sort_key);
        self.stats.ways_unlocated = cameras
            .iter()
            .filter(|c| c.osm_type == ElementType::Way && c.position.is_none())
            .count() as u64;
        let mut relations = found.relations;
        relations.sort_by_key(|r| r.id);
        // A camera or a boundary relation listed twice: the file holds it
        // twice (in a sorted file, the order check has said so already).
        self.seen_twice += repeats(cameras.iter().map(Camera::sort_key));
        self.seen_twice += repeats(relations.iter().map(|r| r.id));
        ScanOutput {
            cameras,
            relations,
            ways: member_ways,
            nodes,
            stats: self.stats.clone(),
            data_date: DataDate::default(),
        }
    }
}

/// Checks that a stage's blobs keep the `Sort.Type_then_ID` promise: only
/// the first and last blob of a section may hold another type, ids rise in
/// osmium's order ([`sort_key`]) within each blob and from blob to blob.
/// An id equal to the one before is a second copy of an object (`osmium
/// merge` of two dates keeps both versions), not a broken promise. Returns
/// how many such copies, or the first bad position.
fn out_of_order(order: &[BlobOrder], kind: ElementType) -> std::result::Result<u64, usize> {
    let mut previous: Option<(ElementType, bool, u64)> = None;
    let mut duplicates = 0;
    for (i, blob) in order.iter().enumerate() {
        let (first_type, last_type) = blob.span.unwrap_or((kind, kind));
        let at_start = i == 0;
        let at_end = i + 1 == order.len();
        let pure = (first_type == kind || (at_start && first_type < kind))
            && (last_type == kind || (at_end && last_type > kind));
        let first = blob.first.map(|(k, id)| sort_key(k, id));
        let rising = first.is_none_or(|first| previous.is_none_or(|p| p <= first));
        if !pure || !rising || !blob.sorted_within {
            return Err(blob.position);
        }
        duplicates += blob.duplicates + u64::from(first.is_some() && first == previous);
        previous = blob.last.map(|(k, id)| sort_key(k, id)).or(previous);
    }
    Ok(duplicates)
}

/// How many items of a sorted sequence equal the one before.
fn repeats<T: PartialEq>(sorted: impl Iterator<Item = T>) -> u64 {
    let mut previous = None;
    let mut count = 0;
    for item in sorted {
        count += u64::from(previous.as_ref() == Some(&item));
        previous = Some(item);
    }
    count
}

/// Keeps one item per key: the one of highest precedence. `precedences`
/// holds one per item. Returns the kept items with their precedence, by
/// key, and how many were dropped.
fn keep_latest<T, K: Ord>(
    items: Vec<T>,
    precedences: Vec<Precedence>,
    key: impl Fn(&T) -> K,
) -> (Vec<(T, Precedence)>, u64) {
    assert_eq!(items.len(), precedences.len(), "a precedence per item");
    let total = items.len();
    let mut paired: Vec<(T, Precedence)> = items.into_iter().zip(precedences).collect();
    paired.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)).then(a.1.cmp(&b.1)));
    let mut kept = Vec::with_capacity(total);
    let mut rest = paired.into_iter().peekable();
    while let Some((item, precedence)) = rest.next() {
        if rest.peek().is_none_or(|(next, _)| key(next) != key(&item)) {
            kept.push((item, precedence));
        }
    }
    let dropped = (total - kept.len()) as u64;
    (kept, dropped)
}

/// The highest precedence of each watched object's copies.
fn latest_copies(
    watched: &[((ElementType, i64), Precedence)],
) -> FxHashMap<(ElementType, i64), Precedence> {
    let mut latest = FxHashMap::default();
    for &(key, precedence) in watched {
        let entry = latest.entry(key).or_insert(precedence);
        *entry = (*entry).max(precedence);
    }
    latest
}

/// Drops the kept items that a later copy of their object supersedes (a
/// copy that is no longer a camera or a candidate). Returns the rest and
/// how many were dropped.
fn drop_superseded<T>(
    kept: Vec<(T, Precedence)>,
    latest: &FxHashMap<(ElementType, i64), Precedence>,
    key: impl Fn(&T) -> (ElementType, i64),
) -> (Vec<(T, Precedence)>, u64) {
    let total = kept.len();
    let rest: Vec<(T, Precedence)> = kept
        .into_iter()
        .filter(|(item, precedence)| latest.get(&key(item)).is_none_or(|l| l <= precedence))
        .collect();
    let dropped = (total - rest.len()) as u64;
    (rest, dropped)
}

/// What a pass for versions must follow every copy of: the objects the
/// first pass kept for their tags.
fn watch_list(first: &ScanOutput) -> Watch {
    let mut watch = Watch::default();
    for camera in &first.cameras {
        watch.ids[camera.osm_type as usize].push(camera.osm_id);
    }
    let relations = &mut watch.ids[ElementType::Relation as usize];
    relations.extend(first.relations.iter().map(|r| r.id));
    for ids in &mut watch.ids {
        ids.sort_unstable();
        ids.dedup();
    }
    watch
}

/// How many elements repeat the type and id of the element before them,
/// within a blob or across two blobs in file order.
fn side_by_side(order: &[BlobOrder]) -> u64 {
    let within: u64 = order.iter().map(|blob| blob.duplicates).sum();
    let across = order
        .windows(2)
        .filter(|pair| pair[0].last.is_some() && pair[0].last == pair[1].first)
        .count() as u64;
    within + across
}

/// In an unsorted file, how many of the objects kept for their tags
/// (cameras, candidates) have their id inside the id range of more than one
/// blob of their type: a sign that another blob may hold a copy (`osmium
/// cat` of overlapping extracts), perhaps one without the tags.
fn ids_in_two_blobs(found: &Findings) -> u64 {
    // The blobs whose range holds an id: those starting at or below it,
    // less those ending below it. Two binary searches an id, however many
    // blobs and kept objects a country has.
    let mut starts: [Vec<i64>; 3] = Default::default();
    let mut ends: [Vec<i64>; 3] = Default::default();
    let node_ranges =
        (found.node_ranges.iter()).map(|&(_, min, max)| (ElementType::Node, min, max));
    let other_ranges = (found.other_ranges.iter()).map(|&(kind, _, min, max)| (kind, min, max));
    for (kind, min, max) in node_ranges.chain(other_ranges) {
        starts[kind as usize].push(min);
        ends[kind as usize].push(max);
    }
    starts
        .iter_mut()
        .chain(&mut ends)
        .for_each(|v| v.sort_unstable());
    let blobs_holding = |kind: ElementType, id: i64| {
        let (starts, ends) = (&starts[kind as usize], &ends[kind as usize]);
        starts.partition_point(|&min| min <= id) - ends.partition_point(|&max| max < id)
    };
    let kept = (found.cameras.iter())
        .map(Camera::sort_key)
        .chain(found.camera_ways.iter().map(|w| (ElementType::Way, w.id)))
        .chain(
            found
                .relations
                .iter()
                .map(|r| (ElementType::Relation, r.id)),
        );
    kept.filter(|&(kind, id)| blobs_holding(kind, id) > 1)
        .count() as u64
}

fn member_way_ids(relations: &[OsmRelation]) -> Vec<i64> {
    let mut ids: Vec<i64> = relations
        .iter()
        .flat_map(|r| r.members.iter())
        .filter(|m| m.kind == ElementType::Way)
        .map(|m| m.id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The table of every node the camera ways and member ways need, and each
/// member way's nodes as slots of it (camera ways, few, look theirs up).
fn node_table(camera_ways: &[PendingWay], member_ways: WayLists<i64>) -> (NodeTable, MemberWays) {
    // All member ways' ids are one list: their slots come first, in order.
    let camera_refs = camera_ways.iter().map(|way| way.refs.as_slice());
    let lists: Vec<&[i64]> = std::iter::once(member_ways.values())
        .chain(camera_refs)
        .collect();
    let (table, slots) = NodeTable::with_slots(&lists);
    (table, MemberWays::new(member_ways.with_values(slots)))
}

/// Fills the table with the positions the kept ways carried themselves
/// (`LocationsOnWays`). A node that the node stage also finds gets the same
/// position from it, rounded the same way.
fn fill_from_ways(table: &NodeTable, located: &[Located]) {
    let mut cursor = 0;
    for l in located {
        if let Some(slot) = table.seek(l.node, &mut cursor) {
            let (lon, lat) = l.lon_lat;
            table.fill_missing(slot, lon, lat);
        }
    }
}

fn way_camera(way: &PendingWay, nodes: &NodeTable) -> Camera {
    let coords: Option<Vec<(f64, f64)>> = way.refs.iter().map(|&id| nodes.get(id)).collect();
    Camera {
        osm_type: ElementType::Way,
        osm_id: way.id,
        position: coords.and_then(|c| way_centroid(&c)),
        tags: way.tags.clone(),
        edit: way.edit,
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
    fn out_of_order_blobs_break_the_sort_promise() {
        let blob = |position, first: i64, last: i64| BlobOrder {
            position,
            span: Some((ElementType::Node, ElementType::Node)),
            first: Some((ElementType::Node, first)),
            last: Some((ElementType::Node, last)),
            sorted_within: true,
            duplicates: 0,
        };
        let check = |blobs: &[BlobOrder]| out_of_order(blobs, ElementType::Node);
        assert_eq!(check(&[blob(0, 1, 5), blob(1, 6, 9)]), Ok(0));
        assert_eq!(check(&[blob(0, 1, 5), blob(1, 4, 9)]), Err(1));
        // The same id at the end of one blob and the start of the next: a
        // second copy of the object, counted with those inside the blobs.
        let mut twice = blob(1, 5, 9);
        twice.duplicates = 2;
        assert_eq!(check(&[blob(0, 1, 5), twice]), Ok(3));
    }

    // Issue: files with negative ids, as `osmium sort` writes them, were
    // refused as out of order.
    #[test]
    fn negative_ids_come_first_by_absolute_value_as_osmium_sorts_them() {
        let blob = |position, first: i64, last: i64| BlobOrder {
            position,
            span: Some((ElementType::Way, ElementType::Way)),
            first: Some((ElementType::Way, first)),
            last: Some((ElementType::Way, last)),
            sorted_within: true,
            duplicates: 0,
        };
        let check = |blobs: &[BlobOrder]| out_of_order(blobs, ElementType::Way);
        assert_eq!(check(&[blob(0, -1, -7), blob(1, -8, 3)]), Ok(0));
        assert_eq!(check(&[blob(0, 0, -7), blob(1, 1, 3)]), Ok(0));
        assert_eq!(check(&[blob(0, -1, 2), blob(1, -3, 3)]), Err(1));
        assert_eq!(check(&[blob(0, 1, 2), blob(1, -3, -4)]), Err(1));
    }

    #[test]
    fn a_kept_id_inside_two_blobs_ranges_is_a_sign_of_a_copy() {
        let camera = |id| Camera {
            osm_type: ElementType::Node,
            osm_id: id,
            position: None,
            tags: Default::default(),
            edit: Default::default(),
        };
        let found = Findings {
            cameras: vec![camera(5), camera(15), camera(30)],
            node_ranges: vec![(0, 1, 10), (1, 11, 20), (2, 4, 12), (3, 30, 30)],
            other_ranges: vec![(ElementType::Way, 4, 1, 100)],
            ..Findings::default()
        };
        // 5 lies in blobs 0 and 2; 15 in blob 1 alone; 30 in blob 3 alone
        // (the way blob's range is of another type).
        assert_eq!(ids_in_two_blobs(&found), 1);
    }

    #[test]
    fn the_latest_copy_is_kept_whatever_the_order_read() {
        let at = |version, position, index| Precedence {
            version,
            position,
            index,
        };
        let items = vec![("a", 1), ("b", 2), ("a", 3), ("a", 4), ("b", 5)];
        let precedences = vec![
            at(2, 0, 0),
            at(1, 0, 1),
            at(1, 1, 0),
            at(2, 0, 5),
            at(1, 2, 0),
        ];
        let (kept, dropped) = keep_latest(items, precedences, |item| item.0);
        // "a": version 2 twice, the later one read wins; "b": a tie in
        // version, the later blob wins.
        let kept: Vec<_> = kept.into_iter().map(|(item, _)| item).collect();
        assert_eq!(kept, [("a", 4), ("b", 5)]);
        assert_eq!(dropped, 3);
        assert_eq!(repeats([1, 1, 2, 3, 3, 3].into_iter()), 3);
    }
}
