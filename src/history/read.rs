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
//! The node stage holds most versions, so a dense node blob takes the
//! cheapest path that is exact: with a camera tag in its string table, it
//! is visited element by element with metadata; with wanted nodes only,
//! its ids, the wanted positions and the version, timestamp and visible
//! columns are decoded in bulk; with neither, only its ids and timestamps
//! (order and time span), and it is read again in full only when its first
//! or last id turns out to be a camera's (versions across blobs).
//!
//! In: a path and a boundary selector. Out: a [`History`].

use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::candidates::BoundarySelector;
use crate::error::{Error, Location, PbfError, Result};
use crate::pbf::block::DenseColumns;
use crate::pbf::block::{
    ElementType, ElementVisitor, Node, PrimitiveBlock, RawMeta, Relation, TagIndices, Tags, Way,
};
use crate::pbf::delta::decode_delta_sint64;
use crate::pbf::wire::{Fields, WireError};
use crate::pbf::{OsmMember, OsmMeta, OsmNode, OsmRelation, OsmWay};
use crate::per_type::PerType;
use crate::scan::frames::{FrameIndex, SectionPlan};

use super::History;

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
    let (plan, probes) = match index.header.is_sorted() {
        true => SectionPlan::probe(&index),
        // osmium writes history files in order without saying so: find
        // the sections all the same; the stages check the order.
        false => probe_sections(&index),
    }
    .map_err(|e| Error::pbf(path, e))?;
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
    let stage_ranges = [nodes, ways, relations];
    let mut order: Vec<Option<BlobOrder>> = vec![None; index.data.len()];
    let mut stats = ReadStats {
        bytes: index.file_len,
        blobs: index.data.len() as u64,
        blob_reads: probes as u64,
        ..ReadStats::default()
    };
    let fail = |e: PbfError| Error::pbf(path, e);
    let mut span = None;

    let started = Instant::now();
    let want = Want {
        kind: ElementType::Relation,
        selector,
        ids: Vec::new(),
    };
    let (found, seen, found_span) =
        stage(&index, stage_ranges[2].clone(), &want, &mut order, on_bytes).map_err(fail)?;
    let relations: Vec<OsmRelation> = (found.into_iter())
        .filter_map(|e| match e {
            Kept::Relation(r) => Some(r),
            _ => None,
        })
        .collect();
    (stats.versions_seen.relations, stats.stage_times.relations) = (seen, started.elapsed());
    span = widen(span, found_span);

    let started = Instant::now();
    let want = Want {
        kind: ElementType::Way,
        selector,
        ids: sorted_ids(
            (relations.iter())
                .flat_map(|r| r.members.iter())
                .filter(|m| m.kind == ElementType::Way)
                .map(|m| m.id),
        ),
    };
    let (found, seen, found_span) =
        stage(&index, stage_ranges[1].clone(), &want, &mut order, on_bytes).map_err(fail)?;
    let ways: Vec<OsmWay> = (found.into_iter())
        .filter_map(|e| match e {
            Kept::Way(w) => Some(w),
            _ => None,
        })
        .collect();
    (stats.versions_seen.ways, stats.stage_times.ways) = (seen, started.elapsed());
    span = widen(span, found_span);

    let started = Instant::now();
    let want = Want {
        kind: ElementType::Node,
        selector,
        ids: sorted_ids(ways.iter().flat_map(|w| w.refs.iter().copied())),
    };
    let (found, seen, found_span) =
        stage(&index, stage_ranges[0].clone(), &want, &mut order, on_bytes).map_err(fail)?;
    let nodes: Vec<OsmNode> = (found.into_iter())
        .filter_map(|e| match e {
            Kept::Node(n) => Some(n),
            _ => None,
        })
        .collect();
    (stats.versions_seen.nodes, stats.stage_times.nodes) = (seen, started.elapsed());
    span = widen(span, found_span);

    check_order(path, &order)?;
    // A blob where two sections meet is read by both stages.
    stats.blob_reads += stage_ranges.iter().map(|r| r.len() as u64).sum::<u64>();
    Ok(History {
        nodes,
        ways,
        relations,
        first_timestamp: span.map(|s| s.0),
        last_timestamp: span.map(|s| s.1),
        header_timestamp: index.header.replication_timestamp,
        is_history: index.header.is_history(),
        stats,
    })
}

fn sorted_ids(ids: impl Iterator<Item = i64>) -> Vec<i64> {
    let mut ids: Vec<i64> = ids.collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// `(type, id, version)`: the order of a sorted history file.
type Key = (ElementType, i64, i32);

/// A blob's first and last element, and whether it is in order inside.
#[derive(Debug, Clone, Copy)]
struct BlobOrder {
    first: Key,
    last: Key,
    in_order: bool,
}

fn not_sorted(path: &Path, why: &str) -> Error {
    Error::pbf(
        path,
        PbfError::new(
            Location::File,
            format!("not a history file sorted by type, id and version ({why}); sort it with `osmium sort`"),
        ),
    )
}

/// Every blob was read by some stage, each is in order, and each starts
/// at or after the end of the one before.
fn check_order(path: &Path, order: &[Option<BlobOrder>]) -> Result<()> {
    let mut before: Option<Key> = None;
    for (i, blob) in order.iter().enumerate() {
        let Some(blob) = blob else {
            return Err(not_sorted(
                path,
                &format!("blob {i} lies outside every section"),
            ));
        };
        let describe = |k: Key| format!("{} {} version {}", k.0.as_str(), k.1, k.2);
        if !blob.in_order {
            return Err(not_sorted(
                path,
                &format!("blob {i} holds its elements out of order"),
            ));
        }
        if let Some(b) = before.filter(|b| *b >= blob.first) {
            return Err(not_sorted(
                path,
                &format!(
                    "blob {i} starts with {} after {}",
                    describe(blob.first),
                    describe(b)
                ),
            ));
        }
        before = Some(blob.last);
    }
    Ok(())
}

/// The sections of a file that does not declare its order, found as
/// `SectionPlan::probe` finds them in one that does (binary searches on
/// the element types of a few blobs).
fn probe_sections(index: &FrameIndex) -> std::result::Result<(SectionPlan, usize), PbfError> {
    let n = index.data.len();
    if n == 0 {
        return Ok((
            SectionPlan::Sorted {
                nodes: 0..0,
                ways: 0..0,
                relations: 0..0,
            },
            0,
        ));
    }
    let mut spans: std::collections::HashMap<usize, Option<(ElementType, ElementType)>> =
        std::collections::HashMap::new();
    let mut span = |position: usize| -> std::result::Result<_, PbfError> {
        if let Some(&s) = spans.get(&position) {
            return Ok(s);
        }
        let blob = index.read(&index.data[position])?;
        let mut scratch = Vec::new();
        let s = crate::pbf::with_block(&blob, &mut scratch, |block| block.type_span())?.flatten();
        spans.insert(position, s);
        Ok(s)
    };
    let mut first_where = |test: fn((ElementType, ElementType)) -> bool| -> std::result::Result<Option<usize>, PbfError> {
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let Some(s) = span(mid)? else {
                return Ok(None);
            };
            if test(s) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Ok(Some(lo))
    };
    let found = (
        first_where(|(first, _)| first > ElementType::Node)?,
        first_where(|(_, last)| last >= ElementType::Way)?,
        first_where(|(first, _)| first > ElementType::Way)?,
        first_where(|(_, last)| last >= ElementType::Relation)?,
    );
    let probes = spans.len();
    let (Some(node_end), Some(way_start), Some(way_end), Some(relation_start)) = found else {
        return Ok((SectionPlan::Unsorted, probes));
    };
    if way_start > node_end || relation_start > way_end {
        return Ok((SectionPlan::Unsorted, probes));
    }
    Ok((
        SectionPlan::Sorted {
            nodes: 0..node_end,
            ways: way_start..way_end,
            relations: relation_start..n,
        },
        probes,
    ))
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
    /// `(relevant, version)` in file order.
    kept: Vec<(bool, Kept)>,
    versions: u64,
    /// Oldest and newest timestamp, Unix seconds.
    span: Option<(i64, i64)>,
    order: Option<BlobOrder>,
}

/// A stage's kept versions, versions seen, and time span.
type StageFound = (Vec<Kept>, u64, Option<(i64, i64)>);

/// Reads `range`'s blobs in parallel and returns, in file order, every
/// version of each object with at least one relevant version.
fn stage(
    index: &FrameIndex,
    range: std::ops::Range<usize>,
    want: &Want<'_>,
    order: &mut [Option<BlobOrder>],
    on_bytes: &(dyn Fn(u64) + Sync),
) -> std::result::Result<StageFound, PbfError> {
    let start = range.start;
    let read = |frame, force, buffers: &mut Buffers| {
        let Buffers(compressed, inflated, columns) = buffers;
        index.with_blob(frame, compressed, |blob| {
            let found = crate::pbf::with_block(blob, inflated, |block| {
                match force || want.kind != ElementType::Node {
                    true => visit_blob(block, want).map(Read::Found),
                    false => quick_node_blob(block, want, columns),
                }
            })?;
            Ok(match found {
                Some(Read::Dense(members)) => {
                    Some(Read::Found(dense_findings(inflated, &members).map_err(
                        |e| PbfError::new(blob.location(), format!("corrupt block: {e}")),
                    )?))
                }
                Some(Read::Quiet(mut quiet)) => {
                    quiet.span = timestamp_span(inflated).map_err(|e| {
                        PbfError::new(blob.location(), format!("corrupt block: {e}"))
                    })?;
                    Some(Read::Quiet(quiet))
                }
                other => other,
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
    // Quiet blobs whose first or last object is relevant elsewhere (a
    // camera's versions across blobs): read again, in full.
    let relevant_elsewhere: IdSet = (per_blob.iter().flatten())
        .filter_map(|r| match r {
            Read::Found(found) => Some(found),
            Read::Quiet(_) | Read::Dense(_) => None,
        })
        .flat_map(|found| found.kept.iter())
        .filter(|(relevant, _)| *relevant)
        .map(|(_, kept)| kept.key().0)
        .collect();
    let mut buffers = Buffers::default();
    for (i, slot) in per_blob.iter_mut().enumerate() {
        if let Some(Read::Quiet(quiet)) = slot {
            let (a, b) = quiet.ids;
            if relevant_elsewhere.contains(&a) || relevant_elsewhere.contains(&b) {
                *slot = read(&index.data[range.start + i], true, &mut buffers)?;
            }
        }
    }
    let per_blob: Vec<Option<BlobFindings>> = per_blob
        .into_iter()
        .map(|r| {
            r.map(|r| match r {
                Read::Found(found) => found,
                Read::Dense(_) => unreachable_dense(),
                Read::Quiet(quiet) => BlobFindings {
                    kept: Vec::new(),
                    versions: quiet.versions,
                    span: quiet.span,
                    order: quiet.order,
                },
            })
        })
        .collect();
    for (i, found) in per_blob.iter().enumerate() {
        if let Some(found) = found {
            order[start + i] = found.order;
        }
    }
    // Versions of one object may straddle blobs: an object is kept when
    // any of its versions, in any blob, is relevant.
    let relevant_ids: IdSet = (per_blob.iter().flatten())
        .flat_map(|found| found.kept.iter())
        .filter(|(relevant, _)| *relevant)
        .map(|(_, kept)| kept.key().0)
        .collect();
    let mut versions = 0;
    let mut span: Option<(i64, i64)> = None;
    let mut out: Vec<Kept> = Vec::new();
    let mut last: Option<(i64, i32)> = None;
    for found in per_blob.into_iter().flatten() {
        versions += found.versions;
        span = widen(span, found.span);
        for (_, kept) in found.kept {
            let key = kept.key();
            if !relevant_ids.contains(&key.0) {
                continue;
            }
            if let Some(before) = last.filter(|l| *l >= key) {
                return Err(PbfError::new(
                    Location::File,
                    format!(
                        "{} {} version {} comes after version {}: the history file is not sorted by type, id and version; sort it with `osmium sort`",
                        want.kind.as_str(),
                        key.0,
                        key.1,
                        before.1
                    ),
                ));
            }
            last = Some(key);
            out.push(kept);
        }
    }
    Ok((out, versions, span))
}

/// One worker's reused buffers.
#[derive(Default)]
struct Buffers(Vec<u8>, Vec<u8>, DenseColumns);

/// A blob read in full, or found to hold nothing the count needs.
enum Read {
    Found(BlobFindings),
    Quiet(Quiet),
    /// A node blob with wanted nodes but no camera: its ids and the
    /// positions of the wanted ones; metadata is read from its bytes.
    Dense(DenseMembers),
}

/// A dense block's ids, and `(index, lon, lat)` of its wanted nodes.
struct DenseMembers {
    ids: Vec<i64>,
    wanted: Vec<(usize, f64, f64)>,
}

/// `Read::Dense` is turned into findings where it is read.
fn unreachable_dense() -> BlobFindings {
    BlobFindings {
        kept: Vec::new(),
        versions: 0,
        span: None,
        order: None,
    }
}

/// A node blob without a wanted id or a camera tag: its versions are
/// counted, its order and time span kept, its edge ids remembered (they
/// may be versions of a camera whose tagged version is in a neighbour).
struct Quiet {
    ids: (i64, i64),
    versions: u64,
    span: Option<(i64, i64)>,
    order: Option<BlobOrder>,
}

/// The node stage's path: many node blobs of a history file hold no
/// camera and no node of a kept way. Their ids are decoded in bulk and
/// checked against the wanted ids; only a blob with something to keep is
/// visited element by element, with metadata.
fn quick_node_blob(
    block: &PrimitiveBlock<'_>,
    want: &Want<'_>,
    columns: &mut DenseColumns,
) -> std::result::Result<Read, WireError> {
    let camera = block.find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes());
    if camera.is_some() {
        return visit_blob(block, want).map(Read::Found);
    }
    let Some(nodes) = block.dense_ids(columns)? else {
        return visit_blob(block, want).map(Read::Found);
    };
    let ids = columns.ids();
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return visit_blob(block, want).map(Read::Found);
    };
    let from = want.ids.partition_point(|&x| x < first);
    let wanted_here = want.ids.get(from).is_some_and(|&x| x <= last);
    if wanted_here {
        // Ids never fall in a sorted blob: one walk finds the wanted ones.
        let (mut at, mut wanted) = (from, Vec::new());
        for (i, &id) in ids.iter().enumerate() {
            while at < want.ids.len() && want.ids[at] < id {
                at += 1;
            }
            if want.ids.get(at) == Some(&id) {
                wanted.push(i);
            }
        }
        let ids = ids.to_vec();
        let through = wanted.last().map_or(0, |&i| i + 1);
        block.dense_coords(&nodes, columns, through)?;
        let wanted = wanted
            .into_iter()
            .map(|i| {
                let (lon, lat) = block.dense_position(columns, i);
                (i, lon, lat)
            })
            .collect();
        return Ok(Read::Dense(DenseMembers { ids, wanted }));
    }
    // Versions of one node share its id: ids never fall. The versions
    // inside a quiet blob are not checked; its edges compare as any
    // version of their id.
    let in_order = ids.windows(2).all(|w| w[0] <= w[1]);
    Ok(Read::Quiet(Quiet {
        ids: (first, last),
        versions: ids.len() as u64,
        span: None,
        order: Some(BlobOrder {
            first: (ElementType::Node, first, i32::MAX),
            last: (ElementType::Node, last, 0),
            in_order,
        }),
    }))
}

/// The DenseInfo columns a history needs (versions, timestamps in
/// seconds, visible flags), read in bulk from a dense-only block's bytes.
fn dense_info(bytes: &[u8], count: usize) -> std::result::Result<Vec<(i32, i64, bool)>, WireError> {
    let mut granularity = 1000i64;
    let mut groups = Vec::new();
    for field in Fields::new(bytes) {
        match field? {
            (2, v) => groups.push(v.bytes()?),
            (18, v) => granularity = v.varint()? as i64,
            _ => {}
        }
    }
    let mut out = Vec::with_capacity(count);
    let mut timestamps = Vec::new();
    for group in groups {
        for field in Fields::new(group) {
            let (2, dense) = field? else { continue };
            let (mut ids, mut info): (&[u8], &[u8]) = (&[], &[]);
            for field in Fields::new(dense.bytes()?) {
                match field? {
                    (1, v) => ids = v.bytes()?,
                    (5, v) => info = v.bytes()?,
                    _ => {}
                }
            }
            let len = crate::pbf::wire::Packed::new(ids).count();
            let (mut versions, mut visibles): (&[u8], &[u8]) = (&[], &[]);
            timestamps.clear();
            for field in Fields::new(info) {
                match field? {
                    (1, v) => versions = v.bytes()?,
                    (2, v) => decode_delta_sint64(v.bytes()?, &mut timestamps)?,
                    (6, v) => visibles = v.bytes()?,
                    _ => {}
                }
            }
            let mut versions = crate::pbf::wire::Packed::new(versions);
            let mut visibles = crate::pbf::wire::Packed::new(visibles);
            for i in 0..len {
                let version = versions.next().transpose()?.unwrap_or(0) as i32;
                let timestamp = timestamps.get(i).copied().unwrap_or(0);
                let visible = visibles.next().transpose()? != Some(0);
                out.push((
                    version,
                    timestamp.saturating_mul(granularity) / 1000,
                    visible,
                ));
            }
        }
    }
    if out.len() != count {
        return Err(WireError::new(
            "dense node metadata differs in length from the ids",
        ));
    }
    Ok(out)
}

/// A dense block's findings from its bulk columns: the same runs as
/// [`BlobVisitor`] keeps (relevant versions, stubs of relevant runs and
/// of the blob's first and last run). Wanted nodes are kept without tags:
/// the block holds no camera, and no other node tag counts.
fn dense_findings(
    bytes: &[u8],
    members: &DenseMembers,
) -> std::result::Result<BlobFindings, WireError> {
    let ids = &members.ids;
    let info = dense_info(bytes, ids.len())?;
    let mut wanted = members.wanted.iter().peekable();
    let mut kept = Vec::new();
    let mut run: Vec<(bool, Kept)> = Vec::new();
    let (mut run_relevant, mut first_run) = (false, true);
    let mut span = None;
    let mut order: Option<BlobOrder> = None;
    let close =
        |run: &mut Vec<(bool, Kept)>, relevant: bool, edge: bool, kept: &mut Vec<(bool, Kept)>| {
            for item in run.drain(..) {
                if item.0 || relevant || edge {
                    kept.push(item);
                }
            }
        };
    for (i, (&id, &(version, timestamp, visible))) in ids.iter().zip(&info).enumerate() {
        if i > 0 && ids[i - 1] != id {
            close(&mut run, run_relevant, first_run, &mut kept);
            run_relevant = false;
            first_run = false;
        }
        let key = (ElementType::Node, id, version);
        order = Some(match order {
            None => BlobOrder {
                first: key,
                last: key,
                in_order: true,
            },
            Some(o) => BlobOrder {
                first: o.first,
                last: key,
                in_order: o.in_order && o.last < key,
            },
        });
        if timestamp > 0 {
            span = widen(span, Some((timestamp, timestamp)));
        }
        let meta = OsmMeta {
            version,
            timestamp,
            deleted: !visible,
            ..OsmMeta::default()
        };
        let position = match wanted.peek() {
            Some(&&(at, lon, lat)) if at == i => {
                wanted.next();
                Some((lon, lat))
            }
            _ => None,
        };
        match position.filter(|_| visible) {
            Some((lon, lat)) => {
                run_relevant = true;
                run.push((
                    true,
                    Kept::Node(OsmNode {
                        id,
                        lon,
                        lat,
                        tags: Vec::new(),
                        meta: Some(meta),
                    }),
                ));
            }
            None => run.push((false, Kept::stub(ElementType::Node, id, meta))),
        }
    }
    close(&mut run, run_relevant, true, &mut kept);
    Ok(BlobFindings {
        kept,
        versions: ids.len() as u64,
        span,
        order,
    })
}

/// The oldest and newest timestamps of a dense node block's DenseInfo,
/// in seconds, read from the block's bytes (the timestamp column alone).
fn timestamp_span(bytes: &[u8]) -> std::result::Result<Option<(i64, i64)>, WireError> {
    let mut granularity = 1000i64;
    let mut groups = Vec::new();
    for field in Fields::new(bytes) {
        match field? {
            (2, v) => groups.push(v.bytes()?),
            (18, v) => granularity = v.varint()? as i64,
            _ => {}
        }
    }
    let mut span = None;
    let mut timestamps = Vec::new();
    for group in groups {
        for field in Fields::new(group) {
            let (2, dense) = field? else { continue };
            for field in Fields::new(dense.bytes()?) {
                let (5, info) = field? else { continue };
                for field in Fields::new(info.bytes()?) {
                    let (2, column) = field? else { continue };
                    timestamps.clear();
                    decode_delta_sint64(column.bytes()?, &mut timestamps)?;
                    for &t in timestamps.iter().filter(|&&t| t > 0) {
                        let t = t.saturating_mul(granularity) / 1000;
                        span = widen(span, Some((t, t)));
                    }
                }
            }
        }
    }
    Ok(span)
}

fn widen(a: Option<(i64, i64)>, b: Option<(i64, i64)>) -> Option<(i64, i64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, b) => a.or(b),
    }
}

fn visit_blob(
    block: &PrimitiveBlock<'_>,
    want: &Want<'_>,
) -> std::result::Result<BlobFindings, WireError> {
    let camera = block.find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes());
    let necessary: Option<Vec<u32>> = want.selector.map(|s| {
        let values: Vec<&[u8]> = s.necessary_values().iter().map(|v| v.as_bytes()).collect();
        block.indices_of(&values)
    });
    let mut visitor = BlobVisitor {
        block,
        want,
        camera,
        necessary,
        cursor: None,
        run_id: None,
        run: Vec::new(),
        run_relevant: false,
        first_run: true,
        kept: Vec::new(),
        versions: 0,
        raw_span: None,
        order: None,
    };
    block.visit(&mut visitor)?;
    // The blob's last run may continue in the next blob: kept.
    visitor.close_run(true)?;
    let seconds = |t: i64| {
        block
            .owned_meta(RawMeta {
                timestamp: t,
                ..RawMeta::default()
            })
            .map(|m| m.timestamp)
    };
    let span = match visitor.raw_span {
        Some((a, b)) => Some((seconds(a)?, seconds(b)?)),
        None => None,
    };
    Ok(BlobFindings {
        kept: visitor.kept,
        versions: visitor.versions,
        span,
        order: visitor.order,
    })
}

/// A version in the current run (the versions of one id).
enum Item {
    Relevant(Kept),
    Stub(Option<RawMeta>),
}

/// Follows a blob's versions run by run (the versions of one id follow
/// each other): a run is kept when one of its versions is relevant, or
/// when it is the blob's first or last (it may continue in a neighbour;
/// the stage's merge decides). Other runs cost a comparison and a push.
struct BlobVisitor<'b, 'a, 'w> {
    block: &'b PrimitiveBlock<'a>,
    want: &'w Want<'w>,
    camera: Option<TagIndices>,
    necessary: Option<Vec<u32>>,
    /// Position in `want.ids` of the first id not below the last seen.
    cursor: Option<usize>,
    run_id: Option<i64>,
    run: Vec<Item>,
    run_relevant: bool,
    first_run: bool,
    kept: Vec<(bool, Kept)>,
    versions: u64,
    /// Oldest and newest timestamp, in the block's units (0 is no date).
    raw_span: Option<(i64, i64)>,
    order: Option<BlobOrder>,
}

impl BlobVisitor<'_, '_, '_> {
    /// Whether every version of `id` is wanted (a member way, a way's
    /// node): ids rise through a sorted blob, so a cursor walks the sorted
    /// list (an unsorted file is refused after the stage).
    fn member(&mut self, id: i64) -> bool {
        let ids = &self.want.ids;
        let mut at = match self.cursor {
            Some(at) => at,
            None => ids.partition_point(|&x| x < id),
        };
        while at < ids.len() && ids[at] < id {
            at += 1;
        }
        self.cursor = Some(at);
        at < ids.len() && ids[at] == id
    }

    /// Starts the run of `id` if it is a new one, closing the one before.
    fn enter(&mut self, id: i64) -> std::result::Result<(), WireError> {
        self.versions += 1;
        if self.run_id != Some(id) {
            if self.run_id.is_some() {
                self.close_run(false)?;
            }
            self.run_id = Some(id);
        }
        Ok(())
    }

    fn close_run(&mut self, last: bool) -> std::result::Result<(), WireError> {
        let Some(id) = self.run_id else {
            return Ok(());
        };
        let keep = self.run_relevant || self.first_run || last;
        for item in self.run.drain(..) {
            match item {
                Item::Relevant(kept) => self.kept.push((true, kept)),
                Item::Stub(raw) if keep => {
                    let meta = self.block.owned_meta(RawMeta {
                        user_sid: 0,
                        ..raw.unwrap_or_default()
                    })?;
                    self.kept
                        .push((false, Kept::stub(self.want.kind, id, meta)));
                }
                Item::Stub(_) => {}
            }
        }
        self.run_relevant = false;
        self.first_run = false;
        Ok(())
    }

    fn push(&mut self, item: Item) {
        self.run_relevant |= matches!(item, Item::Relevant(_));
        self.run.push(item);
    }
}

impl BlobVisitor<'_, '_, '_> {
    fn meta(&self, raw: Option<RawMeta>) -> std::result::Result<Option<OsmMeta>, WireError> {
        raw.map(|raw| self.block.owned_meta(raw)).transpose()
    }

    fn is_camera(&self, tags: &Tags<'_>) -> std::result::Result<bool, WireError> {
        match &self.camera {
            Some(indices) => tags.contains(indices),
            None => Ok(false),
        }
    }

    /// Follows the order of every element of the blob, of any type;
    /// true when the element is of the stage's type.
    fn mine(&mut self, kind: ElementType, id: i64, raw: Option<RawMeta>) -> bool {
        let key = (kind, id, raw.map_or(0, |r| r.version));
        self.order = Some(match self.order {
            None => BlobOrder {
                first: key,
                last: key,
                in_order: true,
            },
            Some(o) => BlobOrder {
                first: o.first,
                last: key,
                in_order: o.in_order && o.last < key,
            },
        });
        kind == self.want.kind
    }

    fn see(&mut self, raw: Option<RawMeta>) {
        if let Some(t) = raw.map(|r| r.timestamp).filter(|&t| t > 0) {
            self.raw_span = widen(self.raw_span, Some((t, t)));
        }
    }
}

fn deleted(raw: Option<RawMeta>) -> bool {
    raw.is_some_and(|r| r.deleted)
}

impl<'a> ElementVisitor<'a> for BlobVisitor<'_, 'a, '_> {
    fn wants_metadata(&self) -> bool {
        true
    }

    fn node(&mut self, node: &Node<'a>) -> std::result::Result<(), WireError> {
        if !self.mine(ElementType::Node, node.id, node.meta) {
            return Ok(());
        }
        self.see(node.meta);
        self.enter(node.id)?;
        let relevant =
            !deleted(node.meta) && (self.member(node.id) || self.is_camera(&node.tags)?);
        let found = match relevant {
            true => Some(Kept::Node(OsmNode {
                id: node.id,
                lon: node.lon,
                lat: node.lat,
                tags: self.block.owned_tags(&node.tags)?,
                meta: self.meta(node.meta)?,
            })),
            false => None,
        };
        self.push(found.map_or(Item::Stub(node.meta), Item::Relevant));
        Ok(())
    }

    fn way(&mut self, way: &Way<'a>) -> std::result::Result<(), WireError> {
        let raw = way.meta()?;
        if !self.mine(ElementType::Way, way.id, raw) {
            return Ok(());
        }
        self.see(raw);
        let tags = way.tags()?;
        self.enter(way.id)?;
        let relevant = !deleted(raw) && (self.member(way.id) || self.is_camera(&tags)?);
        let found = match relevant {
            true => {
                let mut refs = Vec::new();
                way.refs(&mut refs)?;
                Some(Kept::Way(OsmWay {
                    id: way.id,
                    refs,
                    tags: self.block.owned_tags(&tags)?,
                    meta: self.meta(raw)?,
                }))
            }
            false => None,
        };
        self.push(found.map_or(Item::Stub(raw), Item::Relevant));
        Ok(())
    }

    fn relation(&mut self, relation: &Relation<'a>) -> std::result::Result<(), WireError> {
        let raw = relation.meta()?;
        if !self.mine(ElementType::Relation, relation.id, raw) {
            return Ok(());
        }
        self.see(raw);
        self.enter(relation.id)?;
        let camera = self.is_camera(&relation.tags)?;
        let maybe_boundary = match &self.necessary {
            Some(necessary) => relation.tags.has_value_in(necessary)?,
            None => false,
        };
        let mut found = None;
        if !deleted(raw) && (camera || maybe_boundary) {
            let tags = self.block.owned_tags(&relation.tags)?;
            let boundary = self.want.selector.is_some_and(|selector| {
                selector.matches(|k| {
                    tags.iter()
                        .find(|(key, _)| key == k)
                        .map(|(_, v)| v.as_str())
                })
            });
            if camera || boundary {
                let mut members = Vec::new();
                for member in relation.members() {
                    let member = member?;
                    members.push(OsmMember {
                        kind: member.kind,
                        id: member.id,
                        role: self.block.str(member.role)?.to_string(),
                    });
                }
                found = Some(Kept::Relation(OsmRelation {
                    id: relation.id,
                    members,
                    tags,
                    meta: self.meta(raw)?,
                }));
            }
        }
        self.push(found.map_or(Item::Stub(raw), Item::Relevant));
        Ok(())
    }
}
