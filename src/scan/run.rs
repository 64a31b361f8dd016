//! One run of the scan: the stages in order (sorted file) or the pass over
//! everything and its re-reads (unsorted file), each stage's blobs read and
//! visited in parallel, and their findings turned into a [`ScanOutput`].
//!
//! Why apart from `mod.rs`: this is the machinery under [`super::scan`],
//! which only decides whether one pass is enough.
//!
//! In: the frame index, what to look for, and the watch list of a pass for
//! versions. Out: the findings as a [`ScanOutput`], and the signs that the
//! file holds an object twice.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::camera::Camera;
use crate::candidates::BoundarySelector;
use crate::dates::DataDate;
use crate::error::PbfError;
use crate::pbf::block::{DenseColumns, ElementType};
use crate::pbf::{self, OsmRelation};
use crate::per_type::PerType;

use super::copies::{drop_superseded, keep_latest, latest_copies, out_of_order, repeats};
use super::copies::{ids_in_two_blobs, side_by_side};
use super::frames::FrameIndex;
use super::nodes::NodeTable;
use super::per_worker::{blobs_per_task, PerWorker};
use super::visit::{visit_block, Findings, Located, PendingWay, StageWants, Watch};
use super::way_lists::{MemberWays, WayLists};
use super::{way_centroid, ScanOutput, ScanStats};

/// One worker thread's buffers, reused from blob to blob.
#[derive(Default)]
pub(super) struct Scratch {
    compressed: Vec<u8>,
    inflated: Vec<u8>,
    columns: DenseColumns,
}

pub(super) struct Run<'a> {
    pub(super) index: &'a FrameIndex,
    pub(super) on_bytes: &'a (dyn Fn(u64) + Sync),
    pub(super) stats: ScanStats,
    pub(super) boundaries: Option<&'a BoundarySelector>,
    /// A pass that keeps the latest copy of each object (see
    /// [`StageWants::versions`]).
    pub(super) versions: bool,
    pub(super) watch: Option<&'a Watch>,
    /// Signs that the file holds an object twice, found on the way.
    pub(super) seen_twice: u64,
    /// Record where every node lies (see [`StageWants::cover`]); a pass
    /// for versions leaves it to the first.
    pub(super) cover: bool,
}

pub(super) type StageResult<T> = std::result::Result<T, PbfError>;

impl<'a> Run<'a> {
    /// What every stage of this pass wants whatever it reads: in a pass for
    /// versions, the versions of what it keeps and every copy of what the
    /// first pass kept.
    fn pass_wants(&self) -> StageWants<'a> {
        StageWants {
            versions: self.versions,
            watch: self.watch,
            ..StageWants::default()
        }
    }

    /// A section of a sorted file read as one stage, then checked against
    /// the sort promise.
    fn section(
        &mut self,
        reads: ElementType,
        section: std::ops::Range<usize>,
        wants: &StageWants<'_>,
        count_below: usize,
    ) -> StageResult<Findings> {
        let mut found = self.stage(reads, section.collect(), wants, count_below)?;
        self.check_order(&mut found, reads)?;
        Ok(found)
    }

    pub(super) fn sorted(
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
            ..self.pass_wants()
        };
        let mut found_relations = self.section(
            ElementType::Relation,
            relations,
            &relation_wants,
            usize::MAX,
        )?;
        self.keep_latest_relations(&mut found_relations);
        let member_ids = member_way_ids(&found_relations.relations);
        let way_wants = StageWants {
            camera_ways: true,
            member_ways: Some(&member_ids),
            counts: PerType::only(ElementType::Way),
            ..self.pass_wants()
        };
        let mut found_ways = self.section(ElementType::Way, ways, &way_wants, relation_start)?;
        self.keep_latest_ways(&mut found_ways);
        // The node ids of member ways are not needed once they are slots.
        let member_refs = std::mem::take(&mut found_ways.ways);
        let (table, member_ways) = self.node_table(&found_ways.camera_ways, member_refs);
        let node_wants = StageWants {
            camera_nodes: true,
            node_table: Some(&table),
            counts: PerType::only(ElementType::Node),
            cover: self.cover,
            ..self.pass_wants()
        };
        let mut found_nodes = self.section(ElementType::Node, nodes, &node_wants, way_start)?;
        self.fill_latest_nodes(&table, &mut found_nodes);
        fill_from_ways(&table, &found_ways.located);
        // Nearly every camera is a node: the other stages' findings join
        // the node stage's rather than all three being copied anew (12 ms
        // of a national `cameras` run, 2026-12-05). `finish` sorts.
        let mut all = found_nodes;
        all.append(found_relations);
        all.append(found_ways);
        Ok(self.finish(all, table, member_ways))
    }

    pub(super) fn unsorted(&mut self) -> StageResult<ScanOutput> {
        let everything = StageWants {
            camera_nodes: true,
            camera_ways: true,
            camera_relations: true,
            boundaries: self.boundaries,
            counts: PerType::all(true),
            record_layout: true,
            cover: self.cover,
            ..self.pass_wants()
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
                ..self.pass_wants()
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
                ..self.pass_wants()
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
    pub(super) fn stage(
        &mut self,
        reads: ElementType,
        positions: Vec<usize>,
        wants: &StageWants<'_>,
        count_below: usize,
    ) -> StageResult<Findings> {
        let started = Instant::now();
        let first_bad = AtomicU64::new(u64::MAX);
        let scratches: PerWorker<Scratch> = PerWorker::for_current_pool();
        let visit = |position: usize| -> StageResult<Findings> {
            let frame = &self.index.data[position];
            if frame.index > first_bad.load(Ordering::Relaxed) {
                return Ok(Findings::default());
            }
            let outcome = scratches.with(|scratch| self.read_and_visit(position, wants, scratch));
            if position < count_below {
                (self.on_bytes)(frame.frame_len());
            }
            if let Err(err) = &outcome {
                first_bad.fetch_min(err.blob_index().unwrap_or(u64::MAX), Ordering::Relaxed);
            }
            outcome
        };
        // A task's blobs are merged as they come, in order, the first
        // error ending it: one `Findings` a blob, each with its lists, held
        // 40 MB at once for the 90,389 blobs of a 3 GB national file
        // (2026-12-06). Merging whole tasks grew the lists by doubling, up
        // to twice the member ways' refs.
        let per_task = blobs_per_task(positions.len(), rayon::current_num_threads());
        let results: Vec<StageResult<Findings>> = positions
            .par_chunks(per_task)
            .map(|task| {
                let mut merged = Findings::default();
                for &position in task {
                    merged.append(visit(position)?);
                }
                Ok(merged)
            })
            .collect();
        self.stats.blob_reads += positions.len() as u64;
        self.stats.stage_times[reads] += started.elapsed();
        let parts = results
            .into_iter()
            .collect::<StageResult<Vec<Findings>>>()?;
        Ok(Findings::concat(parts))
    }

    pub(super) fn read_and_visit(
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
    pub(super) fn node_table(
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
    pub(super) fn check_order(
        &mut self,
        found: &mut Findings,
        kind: ElementType,
    ) -> StageResult<()> {
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

    pub(super) fn finish(
        &mut self,
        found: Findings,
        mut nodes: NodeTable,
        member_ways: MemberWays,
    ) -> ScanOutput {
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
        // Boundaries read the table by slot from here on.
        nodes.release_ids();
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
            bbox: None,
            cover: self.cover.then(|| found.cover.finish()),
            history: false,
        }
    }
}

pub(super) fn member_way_ids(relations: &[OsmRelation]) -> Vec<i64> {
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
pub(super) fn node_table(
    camera_ways: &[PendingWay],
    member_ways: WayLists<i64>,
) -> (NodeTable, MemberWays) {
    // All member ways' ids are one list: their slots come first, in order.
    let mut member_ways = member_ways;
    let member_refs = member_ways.take_values();
    let camera_refs: Vec<&[i64]> = camera_ways.iter().map(|way| way.refs.as_slice()).collect();
    let (table, slots) = NodeTable::with_slots(member_refs, &camera_refs);
    (table, MemberWays::new(member_ways.with_values(slots)))
}

/// Fills the table with the positions the kept ways carried themselves
/// (`LocationsOnWays`). A node that the node stage also finds gets the same
/// position from it, rounded the same way.
pub(super) fn fill_from_ways(table: &NodeTable, located: &[Located]) {
    let mut cursor = 0;
    for l in located {
        if let Some(slot) = table.seek(l.node, &mut cursor) {
            let (lon, lat) = l.lon_lat;
            table.fill_missing(slot, lon, lat);
        }
    }
}

pub(super) fn way_camera(way: &PendingWay, nodes: &NodeTable) -> Camera {
    let coords: Option<Vec<(f64, f64)>> = way.refs.iter().map(|&id| nodes.get(id)).collect();
    Camera {
        osm_type: ElementType::Way,
        osm_id: way.id,
        position: coords.and_then(|c| way_centroid(&c)),
        tags: way.tags.clone(),
        edit: way.edit,
    }
}
