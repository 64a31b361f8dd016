//! What one blob yields to a stage: cameras, boundary relations, member
//! ways, wanted node positions, counts, and order facts to check the file's
//! sort promise.
//!
//! Why one visitor for every stage: a sorted file is read relations → ways →
//! nodes and an unsorted one all-at-once; the same visitor, told what the
//! stage wants, serves both, so the rules live in one place.
//!
//! In: a decoded block and a [`StageWants`]. Out: [`Findings`], which merge.

use crate::camera::{Camera, CameraField, CameraTags, Edit, CAMERA_KEY, CAMERA_VALUE};
use crate::candidates::{BoundarySelector, TAGS_READ};
use crate::pbf::block::{
    sort_key, utf8, DenseColumns, ElementType, ElementVisitor, Node, PrimitiveBlock, RawMeta,
    Relation, TagIndices, Tags, TypeSpan, Wants, Way,
};
use crate::pbf::wire::WireError;
use crate::pbf::{OsmMember, OsmRelation};
use crate::per_type::PerType;

use super::nodes::{seek, NodeTable};
use super::way_lists::WayLists;

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
    fn holds(&self, kind: ElementType, id: i64) -> bool {
        self.ids[kind as usize].binary_search(&id).is_ok()
    }
}

impl StageWants<'_> {
    fn decode(&self) -> Wants {
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
    fn append(&mut self, other: &mut Versions) {
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
}

impl Findings {
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
    }
}

/// Visits one block for a stage. `columns` is the calling thread's scratch
/// for the node stage's bulk decoding.
pub fn visit_block(
    block: &PrimitiveBlock<'_>,
    position: usize,
    wants: &StageWants<'_>,
    columns: &mut DenseColumns,
) -> Result<Findings, WireError> {
    if let Some(found) = visit_dense_block(block, position, wants, columns)? {
        return Ok(found);
    }
    let mut visitor = BlockVisitor {
        block,
        wants,
        camera_tag: camera_tag(block),
        candidate_values: wants.boundaries.map(|selector| {
            let necessary: Vec<&[u8]> = selector
                .necessary_values()
                .iter()
                .map(|v| v.as_bytes())
                .collect();
            block.indices_of(&necessary)
        }),
        found: Findings::default(),
        order: BlobOrder {
            position,
            span: None,
            first: None,
            last: None,
            sorted_within: true,
            duplicates: 0,
        },
        index: 0,
        ranges: [None; 3],
        has_ways: false,
        node_cursor: 0,
        member_cursor: 0,
        tag_scratch: Vec::new(),
    };
    visitor.order.span = visit_elements(block, &mut visitor)?;
    let mut found = visitor.found;
    found.order.push(visitor.order);
    if wants.record_layout {
        let [nodes, ways, relations] = visitor.ranges;
        if let Some((min, max)) = nodes {
            found.node_ranges.push((position, min, max));
        }
        for (kind, range) in [(ElementType::Way, ways), (ElementType::Relation, relations)] {
            if let Some((min, max)) = range {
                found.other_ranges.push((kind, position, min, max));
            }
        }
    }
    if wants.record_layout && visitor.has_ways {
        found.way_blobs.push(position);
    }
    Ok(found)
}

/// Visits the block's elements: a block of ways alone, when the stage wants
/// nothing else, through [`PrimitiveBlock::for_each_way`]; any other the
/// general way. Returns the block's span of element types.
fn visit_elements<'a>(
    block: &PrimitiveBlock<'a>,
    visitor: &mut BlockVisitor<'_, 'a, '_>,
) -> Result<TypeSpan, WireError> {
    let wants = visitor.wants.decode();
    if wants.ways && !wants.nodes && !wants.relations {
        let (found, order) = (std::mem::take(&mut visitor.found), visitor.order);
        let mut any = false;
        let only_ways = block.for_each_way(|way| {
            any = true;
            visitor.way(way)
        })?;
        if only_ways {
            return Ok(any.then_some((ElementType::Way, ElementType::Way)));
        }
        // Mixed: forget what the ways gave and start over. (The cursors
        // and `has_ways` need no reset: the general visit sees the same
        // ways again, and a seek goes back as well as forth.)
        (visitor.found, visitor.order) = (found, order);
    }
    block.visit(visitor)
}

/// Where `man_made=surveillance` can be in the block; `None` when no
/// element in it can be a camera.
fn camera_tag(block: &PrimitiveBlock<'_>) -> Option<TagIndices> {
    block.find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes())
}

/// The node stage's path for a block of dense nodes: the id column is
/// decoded in bulk (for the counts, the order check and the node table);
/// coordinates only when a wanted node or a camera is in the block; tags
/// only for a block whose string table holds the camera tag, and then only
/// the camera nodes' tags. `None` when the stage wants other types too or
/// the block holds anything but dense nodes: the visitor takes it.
fn visit_dense_block(
    block: &PrimitiveBlock<'_>,
    position: usize,
    wants: &StageWants<'_>,
    columns: &mut DenseColumns,
) -> Result<Option<Findings>, WireError> {
    let decode = wants.decode();
    if decode.ways || decode.relations {
        return Ok(None);
    }
    let Some(nodes) = block.dense_ids(columns)? else {
        return Ok(None);
    };
    let ids = columns.id_summary();
    let mut wanted = Vec::new();
    if let Some(table) = wants.node_table {
        table.for_each_wanted(columns.ids(), ids.rising, |entry, slot| {
            wanted.push((entry, slot));
        });
    }
    let cameras = match camera_tag(block).filter(|_| wants.camera_nodes) {
        Some(tag) => block.dense_tagged(&nodes, &tag)?,
        None => Vec::new(),
    };
    let last_wanted = wanted.iter().map(|&(entry, _)| entry).max();
    let last_camera = cameras.iter().map(|&(entry, _)| entry).max();
    if let Some(last) = last_wanted.max(last_camera) {
        block.dense_coords(&nodes, columns, last + 1)?;
    }
    let watched: Vec<usize> = match wants.watch {
        Some(watch) => (columns.ids().iter().enumerate())
            .filter(|&(_, &id)| watch.holds(ElementType::Node, id))
            .map(|(entry, _)| entry)
            .collect(),
        None => Vec::new(),
    };
    // Metadata is read for the cameras (their version and last edit) and,
    // in a pass for versions, for the copies compared.
    let mut metas = Vec::new();
    let last_read = match wants.versions {
        true => last_wanted.max(last_camera).max(watched.last().copied()),
        false => last_camera,
    };
    if let Some(last) = last_read {
        metas = block.dense_metas(&nodes, last + 1)?;
    }
    let precedence = |entry: usize| Precedence {
        version: metas.get(entry).map_or(0, |m| m.version),
        position: position as u64,
        index: entry as u32,
    };
    let mut found = Findings::default();
    for entry in watched {
        let copy = ((ElementType::Node, columns.ids()[entry]), precedence(entry));
        found.versions.watched.push(copy);
    }
    if let Some(table) = wants.node_table {
        for &(entry, slot) in &wanted {
            let (lon, lat) = block.dense_position(columns, entry);
            if wants.versions {
                (found.versions.nodes).push((slot, precedence(entry), (lon, lat)));
            } else if table.fill(slot, lon, lat) {
                found.refills += 1;
            }
        }
    }
    for (entry, tags) in cameras {
        let id = columns.ids()[entry];
        let tags = camera_tags(block, &tags).map_err(|e| e.context(format!("node {id}")))?;
        found.cameras.push(Camera {
            osm_type: ElementType::Node,
            osm_id: id,
            position: Some(block.dense_position(columns, entry)),
            tags,
            edit: metas
                .get(entry)
                .map_or_else(Default::default, |&m| block.edit(m)),
        });
        if wants.versions {
            found.versions.cameras.push(precedence(entry));
        }
    }
    if wants.counts.nodes {
        found.counts.nodes = ids.count;
    }
    if let (true, Some(min), Some(max)) = (wants.record_layout, ids.min, ids.max) {
        found.node_ranges.push((position, min, max));
    }
    // Positive ids rising as numbers are in osmium's order, the usual case.
    // Others may be too (negative ids go −1, −2, …), or repeat (several
    // versions of a node); a pass over the ids tells.
    let (sorted_within, duplicates) = match ids.rising && ids.first.is_none_or(|id| id > 0) {
        true => (true, 0),
        false => order_within(ElementType::Node, columns.ids()),
    };
    found.order.push(BlobOrder {
        position,
        span: ids.first.map(|_| (ElementType::Node, ElementType::Node)),
        first: ids.first.map(|id| (ElementType::Node, id)),
        last: ids.last.map(|id| (ElementType::Node, id)),
        sorted_within,
        duplicates,
    });
    Ok(Some(found))
}

/// Whether `ids` keep osmium's order ([`sort_key`]), and how many repeat
/// the id before them. Stops at the first id out of order.
fn order_within(kind: ElementType, ids: &[i64]) -> (bool, u64) {
    let mut duplicates = 0;
    for pair in ids.windows(2) {
        match sort_key(kind, pair[0]).cmp(&sort_key(kind, pair[1])) {
            std::cmp::Ordering::Less => {}
            std::cmp::Ordering::Equal => duplicates += 1,
            std::cmp::Ordering::Greater => return (false, duplicates),
        }
    }
    (true, duplicates)
}

/// The camera fields of an element's tags.
fn camera_tags(block: &PrimitiveBlock<'_>, tags: &Tags<'_>) -> Result<CameraTags, WireError> {
    let mut camera = CameraTags::default();
    for pair in tags.iter() {
        let (key, value) = pair?;
        if let Some(field) = CameraField::for_key(block.string(key)?) {
            camera.set(field, block.str(value)?);
        }
    }
    Ok(camera.finish())
}

/// Adds to `located` the positions a kept way carries for its nodes
/// (`refs`), if the file was written with `LocationsOnWays`. The node
/// stage still runs: a file may hold the nodes too (`osmium
/// add-locations-to-ways -n`), and they give the same positions.
fn locate<'a>(
    block: &PrimitiveBlock<'a>,
    way: &Way<'a>,
    precedence: Precedence,
    refs: &[i64],
    located: &mut Vec<Located>,
) -> Result<(), WireError> {
    let mut positions = Vec::new();
    if block.way_positions(way, refs.len(), &mut positions)? {
        let each = |(&node, lon_lat)| Located {
            node,
            lon_lat,
            way: way.id,
            precedence,
        };
        located.extend(refs.iter().zip(positions).map(each));
    }
    Ok(())
}

struct BlockVisitor<'b, 'a, 'r> {
    block: &'b PrimitiveBlock<'a>,
    wants: &'b StageWants<'r>,
    /// See [`camera_tag`].
    camera_tag: Option<TagIndices>,
    /// Where the block's strings hold a value every boundary candidate
    /// carries (`BoundarySelector::necessary_values`); `None` when no
    /// boundary is wanted.
    candidate_values: Option<Vec<u32>>,
    found: Findings,
    order: BlobOrder,
    /// How many elements the block has shown so far.
    index: u32,
    /// The lowest and highest id of each type, when the stage records the
    /// file's layout.
    ranges: [Option<(i64, i64)>; 3],
    has_ways: bool,
    /// Where the last node table lookup ended (see [`seek`]).
    node_cursor: usize,
    /// Where the last member way lookup ended.
    member_cursor: usize,
    /// A relation's tags as borrowed strings (see `boundary_candidate`).
    tag_scratch: Vec<(&'a [u8], &'a [u8])>,
}

impl<'a> BlockVisitor<'_, 'a, '_> {
    fn see(&mut self, kind: ElementType, id: i64) {
        let key = (kind, id);
        if let Some((last_kind, last_id)) = self.order.last {
            match sort_key(last_kind, last_id).cmp(&sort_key(kind, id)) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => self.order.duplicates += 1,
                std::cmp::Ordering::Greater => self.order.sorted_within = false,
            }
        }
        self.order.first.get_or_insert(key);
        self.order.last = Some(key);
        self.index += 1;
        if self.wants.counts[kind] {
            self.found.counts[kind] += 1;
        }
        if self.wants.record_layout {
            let range = &mut self.ranges[kind as usize];
            *range = Some(range.map_or((id, id), |(lo, hi)| (lo.min(id), hi.max(id))));
        }
    }

    /// Whether the object is watched (see [`Watch`]): a pass for versions
    /// records every copy of it.
    fn watched(&self, kind: ElementType, id: i64) -> bool {
        self.wants.watch.is_some_and(|watch| watch.holds(kind, id))
    }

    /// The precedence of the element just seen, with its metadata.
    fn precedence(&self, meta: Option<RawMeta>) -> Precedence {
        Precedence {
            version: meta.map_or(0, |m| m.version),
            position: self.order.position as u64,
            index: self.index,
        }
    }

    fn is_camera(&self, tags: &Tags<'a>) -> Result<bool, WireError> {
        match &self.camera_tag {
            Some(tag) if !tags.is_empty() => tags.contains(tag),
            _ => Ok(false),
        }
    }

    /// Keeps a member way's node ids, and a camera way.
    #[inline(never)]
    fn keep_way(&mut self, way: &Way<'a>, member: bool) -> Result<(), WireError> {
        let precedence = match self.wants.versions {
            true => self.precedence(way.meta()?),
            false => Precedence::default(),
        };
        if member {
            let Findings {
                ways,
                located,
                versions,
                ..
            } = &mut self.found;
            ways.push_with(way.id, |refs| way.refs(refs))?;
            let refs = ways.list(ways.len() - 1);
            locate(self.block, way, precedence, refs, located)?;
            if self.wants.versions {
                versions.ways.push(precedence);
            }
        }
        if !(self.wants.camera_ways && self.camera_tag.is_some()) {
            return Ok(());
        }
        let way_tags = way.tags()?;
        if !self.is_camera(&way_tags)? {
            return Ok(());
        }
        let tags = camera_tags(self.block, &way_tags)?;
        let mut refs = Vec::new();
        way.refs(&mut refs)?;
        if !member {
            locate(self.block, way, precedence, &refs, &mut self.found.located)?;
        }
        let edit = way
            .meta()?
            .map_or_else(Default::default, |m| self.block.edit(m));
        self.found.camera_ways.push(PendingWay {
            id: way.id,
            refs,
            tags,
            precedence,
            edit,
        });
        Ok(())
    }

    fn boundary_candidate(
        &mut self,
        relation: &Relation<'a>,
    ) -> Result<Option<OsmRelation>, WireError> {
        let (Some(selector), Some(necessary)) =
            (self.wants.boundaries, self.candidate_values.as_deref())
        else {
            return Ok(None);
        };
        if !relation.tags.has_value_in(necessary)? {
            return Ok(None);
        }
        // Borrowed strings first, in a buffer reused from relation to
        // relation: most relations are not candidates, and only a
        // candidate's tags are worth owning.
        let borrowed = &mut self.tag_scratch;
        borrowed.clear();
        for pair in relation.tags.iter() {
            let (k, v) = pair?;
            borrowed.push((self.block.string(k)?, self.block.string(v)?));
        }
        let borrowed = &self.tag_scratch;
        let lookup = |key: &str| {
            borrowed
                .iter()
                .find(|(k, _)| *k == key.as_bytes())
                .and_then(|(_, v)| std::str::from_utf8(v).ok())
        };
        if !selector.matches(lookup) {
            return Ok(None);
        }
        let mut tags = Vec::new();
        for &(key, value) in borrowed {
            if TAGS_READ.iter().any(|kept| kept.as_bytes() == key) {
                tags.push((utf8(key)?.to_string(), utf8(value)?.to_string()));
            }
        }
        let members = relation
            .members()
            .map(|m| {
                let m = m?;
                Ok(OsmMember {
                    kind: m.kind,
                    id: m.id,
                    role: self.block.str(m.role)?.to_string(),
                })
            })
            .collect::<Result<Vec<_>, WireError>>()?;
        Ok(Some(OsmRelation {
            id: relation.id,
            members,
            tags,
            meta: None,
        }))
    }
}

impl<'a> ElementVisitor<'a> for BlockVisitor<'_, 'a, '_> {
    fn wants(&self) -> Wants {
        self.wants.decode()
    }

    // Plain (not dense) nodes carry their metadata for a camera's version
    // and last edit; such files are rare, and their nodes few.
    fn wants_metadata(&self) -> bool {
        self.wants.versions || self.wants.camera_nodes
    }

    fn node(&mut self, node: &Node<'a>) -> Result<(), WireError> {
        self.see(ElementType::Node, node.id);
        if self.watched(ElementType::Node, node.id) {
            let copy = ((ElementType::Node, node.id), self.precedence(node.meta));
            self.found.versions.watched.push(copy);
        }
        if let Some(table) = self.wants.node_table {
            if let Some(slot) = table.seek(node.id, &mut self.node_cursor) {
                let lon_lat = (node.lon, node.lat);
                if self.wants.versions {
                    let precedence = self.precedence(node.meta);
                    (self.found.versions.nodes).push((slot, precedence, lon_lat));
                } else if table.fill(slot, node.lon, node.lat) {
                    self.found.refills += 1;
                }
            }
        }
        if self.wants.camera_nodes && self.is_camera(&node.tags)? {
            let tags = camera_tags(self.block, &node.tags)
                .map_err(|e| e.context(format!("node {}", node.id)))?;
            self.found.cameras.push(Camera {
                osm_type: ElementType::Node,
                osm_id: node.id,
                position: Some((node.lon, node.lat)),
                tags,
                edit: node
                    .meta
                    .map_or_else(Default::default, |m| self.block.edit(m)),
            });
            if self.wants.versions {
                let precedence = self.precedence(node.meta);
                self.found.versions.cameras.push(precedence);
            }
        }
        Ok(())
    }

    // Inlined into the way walk: most ways are only seen and counted; the
    // few a stage keeps take the out-of-line `keep_way`.
    #[inline(always)]
    fn way(&mut self, way: &Way<'a>) -> Result<(), WireError> {
        self.see(ElementType::Way, way.id);
        self.has_ways = true;
        if self.watched(ElementType::Way, way.id) {
            let meta = way
                .meta()
                .map_err(|e| e.context(format!("way {}", way.id)))?;
            let copy = ((ElementType::Way, way.id), self.precedence(meta));
            self.found.versions.watched.push(copy);
        }
        let cursor = &mut self.member_cursor;
        let member =
            (self.wants.member_ways).is_some_and(|ids| seek(ids, way.id, cursor).is_some());
        let maybe_camera = self.wants.camera_ways && self.camera_tag.is_some();
        if member || maybe_camera {
            self.keep_way(way, member)
                .map_err(|e| e.context(format!("way {}", way.id)))?;
        }
        Ok(())
    }

    fn relation(&mut self, relation: &Relation<'a>) -> Result<(), WireError> {
        self.see(ElementType::Relation, relation.id);
        let context = |e: WireError| e.context(format!("relation {}", relation.id));
        let precedence = match self.wants.versions {
            true => self.precedence(relation.meta().map_err(context)?),
            false => Precedence::default(),
        };
        if self.watched(ElementType::Relation, relation.id) {
            let copy = ((ElementType::Relation, relation.id), precedence);
            self.found.versions.watched.push(copy);
        }
        if let Some(candidate) = self.boundary_candidate(relation).map_err(context)? {
            self.found.relations.push(candidate);
            if self.wants.versions {
                self.found.versions.relations.push(precedence);
            }
        }
        if self.wants.camera_relations && self.is_camera(&relation.tags)? {
            let tags = camera_tags(self.block, &relation.tags).map_err(context)?;
            // A relation has no position of its own; it is listed, unplaced.
            let edit = relation.meta().map_err(context)?;
            self.found.cameras.push(Camera {
                osm_type: ElementType::Relation,
                osm_id: relation.id,
                position: None,
                tags,
                edit: edit.map_or_else(Default::default, |m| self.block.edit(m)),
            });
            if self.wants.versions {
                self.found.versions.cameras.push(precedence);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::block::tests::raw_block;
    use crate::pbf::wire::{put_bytes, put_packed, put_packed_delta, put_uint};

    /// A Relation message: `tags` as string indices, one way member.
    fn relation(id: u64, tags: &[(u64, u64)], role: u64) -> Vec<u8> {
        let mut message = Vec::new();
        put_uint(&mut message, 1, id);
        put_packed(&mut message, 2, tags.iter().map(|t| t.0));
        put_packed(&mut message, 3, tags.iter().map(|t| t.1));
        put_packed(&mut message, 8, [role]);
        put_packed_delta(&mut message, 9, &[100]);
        put_packed(&mut message, 10, [1]);
        message
    }

    #[test]
    fn a_block_of_ways_and_more_is_visited_once_the_general_way() {
        let way = |id: u64| {
            let mut message = Vec::new();
            put_uint(&mut message, 1, id);
            put_packed_delta(&mut message, 8, &[id as i64 * 10, id as i64 * 10 + 1]);
            message
        };
        let mut ways = Vec::new();
        for id in [10, 20, 30] {
            put_bytes(&mut ways, 3, &way(id));
        }
        let member_ways = [20];
        let wants = StageWants {
            camera_ways: true,
            member_ways: Some(&member_ways),
            counts: PerType::only(ElementType::Way),
            ..StageWants::default()
        };
        let visit = |bytes: &[u8]| {
            let block = PrimitiveBlock::parse(bytes).unwrap();
            let found = visit_block(&block, 7, &wants, &mut DenseColumns::default()).unwrap();
            (found, block.type_span().unwrap())
        };
        // Ways alone take the way walk; ways then a relation in the same
        // group take the general visit, after the walk has begun.
        let alone = raw_block(&[""], &ways);
        let mut mixed_group = ways.clone();
        put_bytes(&mut mixed_group, 4, &relation(40, &[], 0));
        let mixed = raw_block(&[""], &mixed_group);
        for bytes in [alone, mixed] {
            let (found, span) = visit(&bytes);
            assert_eq!(
                found.counts,
                PerType {
                    nodes: 0,
                    ways: 3,
                    relations: 0
                }
            );
            let ways: Vec<(i64, &[i64])> = found.ways.iter().collect();
            assert_eq!(ways, [(20, &[200, 201][..])]);
            assert_eq!(found.order.len(), 1);
            let order = found.order[0];
            assert_eq!(order.span, span);
            assert_eq!(order.first, Some((ElementType::Way, 10)));
            assert_eq!(order.last, Some((ElementType::Way, 30)));
            assert!(order.sorted_within);
        }
    }

    #[test]
    fn dense_ids_in_osmium_order_pass_and_repeats_are_counted() {
        assert_eq!(
            order_within(ElementType::Node, &[-1, -2, -9, 1, 4]),
            (true, 0)
        );
        assert_eq!(
            order_within(ElementType::Node, &[-1, -1, 2, 2, 2]),
            (true, 3)
        );
        assert_eq!(order_within(ElementType::Node, &[-2, -1, 3]), (false, 0));
        assert_eq!(order_within(ElementType::Node, &[1, -1]), (false, 0));
    }

    /// What the relation stage finds of commune candidates in a block of
    /// `strings` and one group of elements.
    fn communes_found(strings: &[&str], group: &[u8]) -> Findings {
        let bytes = raw_block(strings, group);
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        let communes = BoundarySelector::communes();
        let wants = StageWants {
            boundaries: Some(&communes),
            ..StageWants::default()
        };
        visit_block(&block, 0, &wants, &mut DenseColumns::default()).unwrap()
    }

    #[test]
    fn boundary_candidates_are_found_under_any_copy_of_their_strings() {
        let strings = [
            "",
            "type",
            "boundary",
            "administrative",
            "admin_level",
            "8",
            "6",
            "outer",
            "administrative",
        ];
        let mut group = Vec::new();
        let first_copy = [(1, 2), (2, 3), (4, 5)];
        let second_copy = [(1, 2), (2, 8), (4, 5)];
        let other_level = [(1, 2), (2, 3), (4, 6)];
        // `boundary=outer`: no `administrative` value, passed over unread.
        let not_administrative = [(1, 2), (2, 7), (4, 5)];
        for (id, tags) in [
            (1, &first_copy),
            (2, &second_copy),
            (3, &other_level),
            (4, &not_administrative),
        ] {
            put_bytes(&mut group, 4, &relation(id, tags, 7));
        }
        let found = communes_found(&strings, &group);
        let ids: Vec<i64> = found.relations.iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 2]);
        assert_eq!(found.relations[1].members[0].role, "outer");
    }

    #[test]
    fn a_candidate_keeps_only_the_tags_boundaries_read() {
        let strings = [
            "",
            "type",
            "boundary",
            "administrative",
            "admin_level",
            "8",
            "name",
            "Vaduz",
            "name:de",
            "wikidata",
            "Q1844",
        ];
        let tags = [(1, 2), (2, 3), (4, 5), (8, 7), (6, 7), (9, 10)];
        let mut group = Vec::new();
        put_bytes(&mut group, 4, &relation(1, &tags, 0));
        let found = communes_found(&strings, &group);
        let kept: Vec<(&str, &str)> = found.relations[0]
            .tags
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            kept,
            [
                ("admin_level", "8"),
                ("name", "Vaduz"),
                ("wikidata", "Q1844")
            ]
        );
    }
}
