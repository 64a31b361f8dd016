//! The types a stage and its blobs share: what a stage wants
//! ([`StageWants`], [`Watch`]) and what blobs yield ([`Findings`], with
//! [`Versions`] and [`BlobOrder`]), which merge in file order.
//!
//! Kept apart from the visitor so that the scan driver and the visitor
//! read the same declarations without the decoding rules between them.
//!
//! In: nothing but declarations. Out: the types, and how findings append.

use crate::camera::{Camera, CameraTags, Edit};
use crate::candidates::BoundarySelector;
use crate::pbf::block::{ElementType, Wants};
use crate::pbf::OsmRelation;
use crate::per_type::PerType;
use crate::scan::extent::CoverPart;

use super::super::nodes::NodeTable;
use super::super::way_lists::WayLists;

/// What a stage looks for.
#[derive(Default, Clone, Copy)]
pub struct StageWants<'r> {
    pub camera_nodes: bool,
    pub camera_ways: bool,
    pub camera_relations: bool,
    pub boundaries: Option<&'r BoundarySelector>,
    /// Sorted ids of boundary member ways to keep.
    pub member_ways: Option<&'r [i64]>,
    /// Nodes whose positions to record.
    pub node_table: Option<&'r NodeTable>,
    /// Element types this stage counts (each type is counted by one stage).
    pub counts: PerType<bool>,
    /// Record each node blob's id range and each way blob (unsorted files).
    pub record_layout: bool,
    /// Give everything kept its [`Precedence`], and leave the node table to
    /// be filled from [`Versions::nodes`]: the pass for a file that holds
    /// an object twice. Reads the versions of what is kept, which a file
    /// without duplicates never pays for.
    pub versions: bool,
    /// In a pass for versions, objects whose every copy is recorded (see
    /// [`Watch`]).
    pub watch: Option<&'r Watch>,
    /// Record where every node lies ([`CoverPart`]): the node stage of a
    /// count whose zones are checked against the data.
    pub cover: bool,
}

/// The ids, by type, of what a first pass kept for its tags (cameras,
/// boundary candidates). A later copy of such an object may have lost the
/// tags: a pass for versions records every copy of these ids, so that an
/// older copy is not kept when the latest is no camera or candidate.
#[derive(Debug, Default)]
pub struct Watch {
    /// Sorted ids, indexed by [`ElementType`].
    pub ids: [Vec<i64>; 3],
}

impl Watch {
    pub(super) fn holds(&self, kind: ElementType, id: i64) -> bool {
        self.ids[kind as usize].binary_search(&id).is_ok()
    }
}

impl StageWants<'_> {
    pub(super) fn decode(&self) -> Wants {
        Wants {
            nodes: self.camera_nodes
                || self.node_table.is_some()
                || self.counts.nodes
                || self.record_layout,
            ways: self.camera_ways
                || self.member_ways.is_some()
                || self.counts.ways
                || self.record_layout,
            relations: self.camera_relations || self.boundaries.is_some() || self.counts.relations,
        }
    }
}

/// A camera way waiting for its node positions.
#[derive(Debug, Clone)]
pub struct PendingWay {
    pub id: i64,
    pub refs: Vec<i64>,
    pub tags: CameraTags,
    /// Set in a pass for [versions](StageWants::versions).
    pub precedence: Precedence,
    pub edit: Edit,
}

/// Which of two copies of one object a run keeps: the higher version, and
/// on a tie the one read last (later blob, later in its blob). Files hold
/// an object twice when `osmium cat` joins overlapping extracts, or when
/// several dates are merged (`osmium merge` keeps every version).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Precedence {
    pub version: i32,
    /// The blob's position in the file's data blobs.
    pub position: u64,
    /// The element's place in its blob.
    pub index: u32,
}

/// A node position a kept way carries (`LocationsOnWays`), and which way
/// (and copy of it) carried it.
#[derive(Debug, Clone, Copy)]
pub struct Located {
    pub node: i64,
    pub lon_lat: (f64, f64),
    pub way: i64,
    pub precedence: Precedence,
}

/// The [`Precedence`] of what a pass for [versions](StageWants::versions)
/// keeps, each vector parallel to its findings.
#[derive(Debug, Default)]
pub struct Versions {
    /// One per [`Findings::cameras`].
    pub cameras: Vec<Precedence>,
    /// One per [`Findings::relations`].
    pub relations: Vec<Precedence>,
    /// One per list of [`Findings::ways`].
    pub ways: Vec<Precedence>,
    /// Wanted nodes found: node table slot, precedence, `(lon, lat)`.
    pub nodes: Vec<(u32, Precedence, (f64, f64))>,
    /// Every copy of a [`Watch`]ed object, kept or not.
    pub watched: Vec<((ElementType, i64), Precedence)>,
}

impl Versions {
    pub(super) fn append(&mut self, other: &mut Versions) {
        self.cameras.append(&mut other.cameras);
        self.relations.append(&mut other.relations);
        self.ways.append(&mut other.ways);
        self.nodes.append(&mut other.nodes);
        self.watched.append(&mut other.watched);
    }
}

/// Facts about one blob's order, to check `Sort.Type_then_ID`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobOrder {
    pub position: usize,
    /// First and last element types in the block, from its group fields.
    pub span: Option<(ElementType, ElementType)>,
    pub first: Option<(ElementType, i64)>,
    pub last: Option<(ElementType, i64)>,
    /// False when ids went down inside the blob.
    pub sorted_within: bool,
    /// Elements whose type and id equal the element's before them.
    pub duplicates: u64,
}

/// What blobs yielded; findings of many blobs concatenate.
#[derive(Debug, Default)]
pub struct Findings {
    pub cameras: Vec<Camera>,
    pub camera_ways: Vec<PendingWay>,
    pub relations: Vec<OsmRelation>,
    /// Member ways' node ids.
    pub ways: WayLists<i64>,
    /// Node positions read from the kept ways themselves, in a file
    /// written with `LocationsOnWays`.
    pub located: Vec<Located>,
    /// Wanted nodes found when their slot was already filled: the same node
    /// twice in the file.
    pub refills: u64,
    pub versions: Versions,
    /// `(position, min id, max id)` of blobs holding nodes.
    pub node_ranges: Vec<(usize, i64, i64)>,
    /// `(type, position, min id, max id)` of blobs holding ways or relations.
    pub other_ranges: Vec<(ElementType, usize, i64, i64)>,
    /// Positions of blobs holding ways.
    pub way_blobs: Vec<usize>,
    pub counts: PerType<u64>,
    pub order: Vec<BlobOrder>,
    /// Where the nodes lie, when the stage [wants it](StageWants::cover).
    pub cover: CoverPart,
}

impl Findings {
    /// The parts' findings, in order, each list allocated once at its
    /// final size: appended part by part, lists grow by doubling and may
    /// end up to twice their length (the cameras of a national run's node
    /// stage took 34 MB for 19), at the scan's peak of memory.
    pub fn concat(parts: Vec<Findings>) -> Findings {
        let mut all = Findings::default();
        macro_rules! reserve {
            ($($field:ident).+) => {
                all.$($field).+.reserve_exact(parts.iter().map(|p| p.$($field).+.len()).sum())
            };
        }
        reserve!(cameras);
        reserve!(camera_ways);
        reserve!(relations);
        reserve!(located);
        reserve!(versions.cameras);
        reserve!(versions.relations);
        reserve!(versions.ways);
        reserve!(versions.nodes);
        reserve!(versions.watched);
        reserve!(node_ranges);
        reserve!(other_ranges);
        reserve!(way_blobs);
        reserve!(order);
        all.ways.reserve_for(parts.iter().map(|p| &p.ways));
        for part in parts {
            all.append(part);
        }
        all
    }

    pub fn append(&mut self, mut other: Findings) {
        self.cameras.append(&mut other.cameras);
        self.camera_ways.append(&mut other.camera_ways);
        self.relations.append(&mut other.relations);
        self.ways.append(&mut other.ways);
        self.located.append(&mut other.located);
        self.refills += other.refills;
        self.versions.append(&mut other.versions);
        self.node_ranges.append(&mut other.node_ranges);
        self.other_ranges.append(&mut other.other_ranges);
        self.way_blobs.append(&mut other.way_blobs);
        for (kind, theirs) in other.counts.iter() {
            self.counts[kind] += theirs;
        }
        self.order.append(&mut other.order);
        self.cover.append(std::mem::take(&mut other.cover));
    }
}
