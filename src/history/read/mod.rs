//! The staged read of a history file: every version of the objects a count
//! can need, and of nothing else.
//!
//! Why staged, like the plain scan: which ways and nodes matter is known
//! only once the relations (boundaries) and the ways (their members) are
//! read. In a file sorted by type, id and version each stage reads its own
//! section, every blob once, in parallel; an unsorted file is refused
//! (`osmium sort` makes one).
//!
//! Kept, with all their versions:
//! - relations that are, in any version, a boundary candidate of the
//!   selector or a camera;
//! - ways that are, in any version, a camera or a member of a kept
//!   relation version;
//! - nodes that are, in any version, a camera or a node of a kept way
//!   version.
//!
//! A version of a kept object that is neither (a camera untagged, an
//! `admin_level` changed) is kept as a stub marked deleted: at a date where
//! it is the newest version, the object is absent from the count, exactly
//! as `osmium time-filter` followed by the plain scan would leave it out.
//!
//! The node stage holds most versions, so a dense node blob is read column
//! by column: its ids, version, timestamp and visible columns in bulk
//! (order, time span, deletions), positions only as far as its last wanted
//! node or camera, tags only of its cameras. A blob with neither keeps
//! only its edge ids, and is read again in full when one of them turns out
//! to be relevant in a neighbour (versions across blobs).
//!
//! The parts: this file runs the stages and merges each stage's blobs;
//! `order` checks the file's order; `nodes` and `ways` are the node and
//! way stages' lean paths; `visit` follows a blob element by element.
//!
//! In: a path and a boundary selector. Out: a [`History`].
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use crate::candidates::BoundarySelector;
use crate::error::{Error, Location, PbfError, Result};
use crate::pbf::block::{DenseColumns, ElementType, HistoryColumns};
use crate::pbf::{OsmMeta, OsmNode, OsmRelation, OsmWay};
use crate::per_type::PerType;
use crate::scan::frames::{FrameIndex, SectionPlan};

use super::History;

mod nodes;
mod order;
mod visit;
mod ways;

use nodes::{quick_node_blob, Quiet};
use order::{check_order, not_sorted, versions_signs, without_metadata, BlobOrder};
use visit::visit_blob;
use ways::{quick_way_blob, WayColumns};

type IdSet = HashSet<i64, FxBuildHasher>;

/// What the read did, for `-v` and the benchmark.
#[derive(Debug, Clone, Default)]
pub struct ReadStats {
    pub bytes: u64,
    pub blobs: u64,
    /// Blob reads, counting the section probes.
    pub blob_reads: u64,
    /// Versions seen, per type (nodes, ways, relations).
    pub versions_seen: PerType<u64>,
    pub stage_times: PerType<Duration>,
}

/// Reads the versions of `path` a count needs; `selector` chooses the
/// boundary relations (`None`: cameras only). `on_bytes` is told the bytes
/// of each blob as it is read.
pub fn read_history(
    path: &Path,
    selector: Option<&BoundarySelector>,
    on_bytes: &(dyn Fn(u64) + Sync),
) -> Result<History> {
    let index = FrameIndex::build(path)?;
    // A snapshot holds each object's newest version only: an object edited
    // or deleted since a date would be missing at that date, and every
    // count then too low, with nothing to say so.
    if !index.header.is_history() {
        return Err(Error::input(
            path,
            "not a history file (its header does not list HistoricalInformation): a snapshot \
             cannot tell what stood at an earlier date; count it as it is with `camcount FILE`, \
             compare two dated snapshots with `camcount compare OLD NEW`, or give a history \
             file (.osh.pbf)",
        ));
    }
    // osmium writes history files in order without saying so: the
    // sections are found all the same, and the stages check the order.
    let (plan, probes) = SectionPlan::probe_unpromised(&index).map_err(|e| Error::pbf(path, e))?;
    let SectionPlan::Sorted {
        nodes,
        ways,
        relations,
    } = plan
    else {
        return Err(not_sorted(
            path,
            "its blobs do not hold nodes, then ways, then relations",
        ));
    };
    let sections = PerType {
        nodes,
        ways,
        relations,
    };
    let mut order: Vec<Option<BlobOrder>> = vec![None; index.data.len()];
    let mut stats = ReadStats {
        bytes: index.file_len,
        blobs: index.data.len() as u64,
        // A blob where two sections meet is read by both stages.
        blob_reads: (probes + sections.nodes.len() + sections.ways.len() + sections.relations.len())
            as u64,
        ..ReadStats::default()
    };
    let mut stages = Stages {
        index: &index,
        sections,
        selector,
        on_bytes,
        order: &mut order,
        stats: &mut stats,
        span: None,
    };
    // Relations first, then the ways they need, then those ways' nodes.
    let relations = (stages.read(ElementType::Relation, Vec::new(), Kept::into_relation))
        .map_err(|e| Error::pbf(path, e))?;
    let member_ways = (relations.iter())
        .flat_map(|r| r.members.iter())
        .filter(|m| m.kind == ElementType::Way)
        .map(|m| m.id);
    let ways = (stages.read(ElementType::Way, sorted_ids(member_ways), Kept::into_way))
        .map_err(|e| Error::pbf(path, e))?;
    let way_nodes = ways.iter().flat_map(|w| w.refs.iter().copied());
    let nodes = (stages.read(ElementType::Node, sorted_ids(way_nodes), Kept::into_node))
        .map_err(|e| Error::pbf(path, e))?;
    let span = stages.span;
    check_order(path, &order)?;
    let (any_object_twice, max_version) = versions_signs(&order);
    Ok(History {
        any_object_twice,
        max_version,
        nodes,
        ways,
        relations,
        first_timestamp: span.map(|s| s.0),
        last_timestamp: span.map(|s| s.1),
        header_timestamp: index.header.replication_timestamp,
        bbox: index.header.bbox,
        stats,
    })
}

/// What the stages share: the file's blobs and sections, each blob's
/// order, the statistics and the time span so far.
struct Stages<'r> {
    index: &'r FrameIndex,
    sections: PerType<std::ops::Range<usize>>,
    selector: Option<&'r BoundarySelector>,
    on_bytes: &'r (dyn Fn(u64) + Sync),
    order: &'r mut [Option<BlobOrder>],
    stats: &'r mut ReadStats,
    span: Option<(i64, i64)>,
}

impl Stages<'_> {
    /// Reads the stage of `kind`, keeping every version of `ids` and of
    /// the relevant objects; `into` takes a kept version's element.
    fn read<T: Send + Default>(
        &mut self,
        kind: ElementType,
        ids: Vec<i64>,
        into: fn(Kept) -> Option<T>,
    ) -> std::result::Result<Vec<T>, PbfError> {
        let started = Instant::now();
        let want = Want {
            kind,
            selector: self.selector,
            ids,
        };
        let range = self.sections[kind].clone();
        let (found, seen, span) = stage(self.index, range, &want, self.order, self.on_bytes, into)?;
        (self.stats.versions_seen[kind], self.stats.stage_times[kind]) = (seen, started.elapsed());
        self.span = widen(self.span, span);
        Ok(found)
    }
}

fn sorted_ids(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// What one stage keeps.
struct Want<'a> {
    kind: ElementType,
    selector: Option<&'a BoundarySelector>,
    /// Ids whose every version is kept (member ways, way nodes), sorted.
    ids: Vec<i64>,
}

/// One kept version: relevant, or the stub of a version of no interest.
enum Kept {
    Node(OsmNode),
    Way(OsmWay),
    Relation(OsmRelation),
}

impl Kept {
    fn key(&self) -> (i64, i32) {
        let (id, meta) = match self {
            Kept::Node(n) => (n.id, &n.meta),
            Kept::Way(w) => (w.id, &w.meta),
            Kept::Relation(r) => (r.id, &r.meta),
        };
        (id, meta.as_ref().map_or(0, |m| m.version))
    }

    fn into_node(self) -> Option<OsmNode> {
        match self {
            Kept::Node(n) => Some(n),
            _ => None,
        }
    }

    fn into_way(self) -> Option<OsmWay> {
        match self {
            Kept::Way(w) => Some(w),
            _ => None,
        }
    }

    fn into_relation(self) -> Option<OsmRelation> {
        match self {
            Kept::Relation(r) => Some(r),
            _ => None,
        }
    }

    fn stub(kind: ElementType, id: i64, meta: OsmMeta) -> Kept {
        let meta = Some(OsmMeta {
            deleted: true,
            ..meta
        });
        match kind {
            ElementType::Node => Kept::Node(OsmNode {
                id,
                lon: 0.0,
                lat: 0.0,
                tags: Vec::new(),
                meta,
            }),
            ElementType::Way => Kept::Way(OsmWay {
                id,
                refs: Vec::new(),
                tags: Vec::new(),
                meta,
            }),
            ElementType::Relation => Kept::Relation(OsmRelation {
                id,
                members: Vec::new(),
                tags: Vec::new(),
                meta,
            }),
        }
    }
}

/// One blob's findings.
struct BlobFindings {
    /// `(relevant, version)` in file order: the versions of the blob's
    /// first and last object of the stage's type (which may continue in a
    /// neighbour), and of each other object with a relevant version.
    kept: Vec<(bool, Kept)>,
    versions: u64,
    /// Oldest and newest timestamp, Unix seconds.
    span: Option<(i64, i64)>,
    order: Option<BlobOrder>,
}

impl BlobFindings {
    /// The ids of the blob's first and last kept run: its first and last
    /// object of the stage's type, which its reader always keeps.
    fn edge_ids(&self) -> Option<(i64, i64)> {
        let first = self.kept.first()?.1.key().0;
        let last = self.kept.last()?.1.key().0;
        Some((first, last))
    }

    /// The edge ids with a relevant version in this blob.
    fn relevant_edges(&self) -> impl Iterator<Item = i64> + '_ {
        let edges = self.edge_ids();
        (self.kept.iter())
            .filter(|(relevant, _)| *relevant)
            .map(|(_, kept)| kept.key().0)
            .filter(move |&id| edges.is_some_and(|(first, last)| id == first || id == last))
    }
}

/// A stage's kept versions, versions seen, and time span.
type StageFound<T> = (Vec<T>, u64, Option<(i64, i64)>);

/// Reads `range`'s blobs in parallel and returns, in file order, every
/// version of each object with at least one relevant version.
fn stage<T: Send + Default>(
    index: &FrameIndex,
    range: std::ops::Range<usize>,
    want: &Want<'_>,
    order: &mut [Option<BlobOrder>],
    on_bytes: &(dyn Fn(u64) + Sync),
    into: fn(Kept) -> Option<T>,
) -> std::result::Result<StageFound<T>, PbfError> {
    let read = |frame, force, buffers: &mut Buffers| {
        let Buffers(compressed, inflated, columns, history, ways) = buffers;
        index.with_blob(frame, compressed, |blob| {
            crate::pbf::with_block(blob, inflated, |block| match (force, want.kind) {
                (false, ElementType::Node) => quick_node_blob(block, want, columns, history),
                (false, ElementType::Way) => match quick_way_blob(block, want, ways)? {
                    Some(found) => Ok(Read::Found(found)),
                    None => visit_blob(block, want).map(Read::Found),
                },
                _ => visit_blob(block, want).map(Read::Found),
            })
        })
    };
    let mut per_blob: Vec<Option<Read>> = index.data[range.clone()]
        .par_iter()
        .map_init(Buffers::default, |buffers, frame| {
            on_bytes(frame.data_len);
            read(frame, false, buffers)
        })
        .collect::<std::result::Result<_, _>>()?;
    // An object's versions may straddle blobs, and it is kept when any of
    // them, in any blob, is relevant. An id found in two blobs is the last
    // run of one and the first of the next (ids never fall), so only the
    // runs at a blob's edges need the others; a run inside a blob was kept
    // by its reader only if relevant there.
    let mut relevant_edges = IdSet::default();
    for found in per_blob.iter().flatten() {
        if let Read::Found(found) = found {
            relevant_edges.extend(found.relevant_edges());
        }
    }
    // Quiet blobs whose first or last object is relevant elsewhere (a
    // camera's versions across blobs): read again, in full.
    let mut buffers = Buffers::default();
    for (i, slot) in per_blob.iter_mut().enumerate() {
        if let Some(Read::Quiet(quiet)) = slot {
            let (a, b) = quiet.ids;
            if relevant_edges.contains(&a) || relevant_edges.contains(&b) {
                *slot = read(&index.data[range.start + i], true, &mut buffers)?;
                if let Some(Read::Found(found)) = slot {
                    relevant_edges.extend(found.relevant_edges());
                }
            }
        }
    }
    let mut versions = 0;
    let mut span: Option<(i64, i64)> = None;
    let mut found_in_blobs = Vec::with_capacity(per_blob.len());
    for (slot, read) in order[range].iter_mut().zip(per_blob) {
        let found = match read {
            Some(Read::Found(found)) => found,
            Some(Read::Quiet(quiet)) => BlobFindings {
                kept: Vec::new(),
                versions: quiet.versions,
                span: quiet.span,
                order: quiet.order,
            },
            None => continue,
        };
        *slot = found.order;
        versions += found.versions;
        span = widen(span, found.span);
        found_in_blobs.push(found);
    }
    // The kept versions, in parallel: those of a node stage run to
    // hundreds of thousands, and moving them through one thread (and
    // faulting in the pages of the stage's vector) took longer than
    // reading their blobs' ids (about 50 ms of the corpus's 0.5 s stage).
    let runs: Vec<KeptRun<T>> = found_in_blobs
        .into_par_iter()
        .map(|found| KeptRun::of(found, &relevant_edges, into))
        .collect();
    let mut last: Option<(i64, i32)> = None;
    for run in &runs {
        let pairs = last.zip(run.first).into_iter().chain(run.disorder);
        if let Some((before, key)) = pairs.into_iter().find(|(before, key)| before >= key) {
            if before.0 == key.0 && before.1 <= 0 && key.1 <= 0 {
                let object = format!("{} {}", want.kind.as_str(), key.0);
                return Err(PbfError::new(Location::File, without_metadata(&object)));
            }
            return Err(PbfError::new(
                Location::File,
                format!(
                    "{kind} {} version {} comes after {kind} {} version {}: the history file is not sorted by type, id and version; sort it with `osmium sort`",
                    key.0,
                    key.1,
                    before.0,
                    before.1,
                    kind = want.kind.as_str(),
                ),
            ));
        }
        last = run.last.or(last);
    }
    let total = runs.iter().map(|run| run.kept.len()).sum();
    let mut out: Vec<T> = (0..total).into_par_iter().map(|_| T::default()).collect();
    let mut slots = Vec::with_capacity(runs.len());
    let mut rest = out.as_mut_slice();
    for run in &runs {
        let (slot, after) = rest.split_at_mut(run.kept.len());
        slots.push(slot);
        rest = after;
    }
    // Each slice is as long as its run: every placeholder is replaced.
    runs.into_par_iter().zip(slots).for_each(|(run, slot)| {
        for (place, kept) in slot.iter_mut().zip(run.kept) {
            *place = kept;
        }
    });
    Ok((out, versions, span))
}

/// One blob's kept versions as the stage's type, the edge runs that no
/// blob found relevant dropped; the first and last key kept, and the
/// first pair of keys out of order, if any.
struct KeptRun<T> {
    kept: Vec<T>,
    first: Option<(i64, i32)>,
    last: Option<(i64, i32)>,
    disorder: Option<((i64, i32), (i64, i32))>,
}

impl<T> KeptRun<T> {
    fn of(found: BlobFindings, relevant_edges: &IdSet, into: fn(Kept) -> Option<T>) -> Self {
        let edges = found.edge_ids();
        let mut run = KeptRun {
            kept: Vec::with_capacity(found.kept.len()),
            first: None,
            last: None,
            disorder: None,
        };
        for (_, kept) in found.kept {
            let key = kept.key();
            let edge = edges.is_some_and(|(first, last)| key.0 == first || key.0 == last);
            if edge && !relevant_edges.contains(&key.0) {
                continue;
            }
            if let Some(before) = run.last.filter(|l| *l >= key) {
                run.disorder = run.disorder.or(Some((before, key)));
            }
            run.first = run.first.or(Some(key));
            run.last = Some(key);
            run.kept.extend(into(kept));
        }
        run
    }
}

/// One worker's reused buffers.
#[derive(Default)]
struct Buffers(Vec<u8>, Vec<u8>, DenseColumns, HistoryColumns, WayColumns);

/// A blob read in full, or found to hold nothing the count needs.
enum Read {
    Found(BlobFindings),
    Quiet(Quiet),
}

fn widen(a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> Option<(i64, i64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    }
}

/// The timestamps that can date data: after 1970, not after tomorrow
/// ([`crate::dates::tomorrow`], asked once a blob). One flipped byte dated
/// an object of the Monaco history 2037: taken as the file's newest, it
/// left `history` undated and counting dates the file never reaches
/// (found 2026-12-05). Such a version still counts at its own date.
#[derive(Debug, Clone, Copy)]
struct Plausible(i64);

impl Plausible {
    fn now() -> Self {
        Plausible(crate::dates::tomorrow())
    }

    /// The timestamps that can date data, as a range.
    fn range(self) -> std::ops::RangeInclusive<i64> {
        1..=self.0
    }

    /// The span of `span` and `seconds`, when `seconds` can date data.
    fn widen(self, span: Option<(i64, i64)>, seconds: Option<i64>) -> Option<(i64, i64)> {
        match seconds.filter(|&t| t > 0 && t <= self.0) {
            Some(t) => widen(span, Some((t, t))),
            None => span,
        }
    }
}

/// The entries of a blob whose id is in `wanted_ids` (sorted), in order:
/// ids never fall in a sorted blob, so one walk finds them, and every
/// version of a wanted id is wanted.
fn wanted_entries(ids: &[i64], wanted_ids: &[i64]) -> Vec<usize> {
    let Some(&last) = ids.last() else {
        return Vec::new();
    };
    let wanted_ids = &wanted_ids[..wanted_ids.partition_point(|&x| x <= last)];
    // A way's nodes are spread thin over a node blob's thousands of
    // entries: each found by a binary search, not by walking every entry.
    if wanted_ids.len() * 16 < ids.len() {
        let (mut from, mut wanted) = (0, Vec::new());
        for &id in wanted_ids {
            let start = from + ids[from..].partition_point(|&x| x < id);
            let end = start + ids[start..].iter().take_while(|&&x| x == id).count();
            wanted.extend(start..end);
            from = end;
        }
        return wanted;
    }
    let (mut at, mut wanted) = (0, Vec::new());
    for (i, &id) in ids.iter().enumerate() {
        while at < wanted_ids.len() && wanted_ids[at] < id {
            at += 1;
        }
        if wanted_ids.get(at) == Some(&id) {
            wanted.push(i);
        }
    }
    wanted
}

/// The entries of a blob to keep, in order, each with whether it is
/// relevant (a version that counts: a wanted member or a camera, visible):
/// the runs (versions of one id) of the blob's first and last id, which
/// may continue in a neighbour, and each run of a `candidates` entry
/// (sorted; where `relevant` may hold) with a relevant version. The blob
/// is not empty.
fn kept_entries(
    ids: &[i64],
    candidates: &[usize],
    relevant: impl Fn(usize) -> bool,
) -> Vec<(usize, bool)> {
    let n = ids.len();
    let run_start = |i: usize| i - ids[..i].iter().rev().take_while(|&&x| x == ids[i]).count();
    let run_end = |i: usize| i + ids[i..].iter().take_while(|&&x| x == ids[i]).count();
    let mut runs = vec![(0, run_end(0))];
    let mut k = 0;
    while k < candidates.len() {
        let (start, end) = (run_start(candidates[k]), run_end(candidates[k]));
        k += candidates[k..].iter().take_while(|&&i| i < end).count();
        if (start..end).any(&relevant) {
            runs.push((start, end));
        }
    }
    runs.push((run_start(n - 1), n));
    let mut kept = Vec::new();
    let mut done = 0;
    for (start, end) in runs {
        kept.extend((start.max(done)..end).map(|i| (i, relevant(i))));
        done = done.max(end);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_entries_are_every_version_of_a_wanted_id() {
        let ids = [1, 1, 2, 3, 3, 5, 7, 7];
        assert_eq!(wanted_entries(&ids, &[0, 3, 6, 7]), [3, 4, 6, 7]);
        assert_eq!(wanted_entries(&ids, &[]), Vec::<usize>::new());
        assert_eq!(wanted_entries(&[], &[1]), Vec::<usize>::new());
    }

    /// The binary searches (few wanted ids) and the walk (many) find the
    /// same entries: every version of each wanted id, in order.
    #[test]
    fn wanted_entries_are_found_alike_by_search_and_by_walk() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        for round in 0..200 {
            // Ids rising, each with 1 to 3 versions.
            let mut ids = Vec::new();
            let mut id = next(5) as i64;
            for _ in 0..(round % 50 + 1) * 20 {
                id += 1 + next(3) as i64;
                ids.extend(std::iter::repeat_n(id, 1 + next(3) as usize));
            }
            let few = round % 2 == 0;
            let mut wanted: Vec<i64> = (0..if few { 1 + next(4) } else { ids.len() as u64 })
                .map(|_| next(id as u64 + 10) as i64)
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            let expected: Vec<usize> = (0..ids.len())
                .filter(|&i| wanted.binary_search(&ids[i]).is_ok())
                .collect();
            assert_eq!(wanted_entries(&ids, &wanted), expected, "round {round}");
        }
    }

    #[test]
    fn kept_entries_are_the_edge_runs_and_the_runs_with_a_relevant_version() {
        let ids = [1, 1, 2, 3, 3, 4, 5, 6, 6];
        // Id 3 has a relevant version, id 5 none: only 3's run is kept in
        // the middle; the first (1) and last (6) runs always are.
        let wanted = wanted_entries(&ids, &[3, 5]);
        let kept = kept_entries(&ids, &wanted, |i| wanted.contains(&i) && i != 6);
        assert_eq!(
            kept,
            [
                (0, false),
                (1, false),
                (3, true),
                (4, true),
                (7, false),
                (8, false)
            ]
        );
        // A relevant first run is kept once.
        let wanted = wanted_entries(&ids, &[1]);
        let kept = kept_entries(&ids, &wanted, |i| wanted.contains(&i));
        assert_eq!(kept, [(0, true), (1, true), (7, false), (8, false)]);
        // One run: the blob's first and last at once.
        assert_eq!(
            kept_entries(&[9, 9], &[], |_| false),
            [(0, false), (1, false)]
        );
        // A camera version in the middle of its run: the whole run is
        // kept, the versions before it too.
        let ids = [1, 2, 2, 2, 3];
        let kept = kept_entries(&ids, &[2], |i| i == 2);
        assert_eq!(
            kept,
            [(0, false), (1, false), (2, true), (3, false), (4, false)]
        );
    }
}
