//! The general visitor: one element at a time, for blocks the dense path
//! does not take (plain nodes, ways, relations, mixed blocks).
//!
//! Why a struct: the visit keeps state across elements (the order facts,
//! id ranges, cursors into the sorted wants), which the callbacks of
//! [`ElementVisitor`] share.
//!
//! In: elements of one block and the stage's wants. Out: its [`Findings`]
//! and [`BlobOrder`].

use crate::camera::Camera;
use crate::candidates::TAGS_READ;
use crate::pbf::block::{
    sort_key, utf8, ElementType, ElementVisitor, Node, PrimitiveBlock, RawMeta, Relation,
    TagIndices, Tags, TypeSpan, Wants, Way,
};
use crate::pbf::wire::WireError;
use crate::pbf::{OsmMember, OsmRelation};

use super::super::nodes::seek;
use super::{camera_tags, locate, BlobOrder, Findings, PendingWay, Precedence, StageWants};

pub(super) struct BlockVisitor<'b, 'a, 'r> {
    pub(super) block: &'b PrimitiveBlock<'a>,
    pub(super) wants: &'b StageWants<'r>,
    /// See [`super::camera_tag`].
    pub(super) camera_tag: Option<TagIndices>,
    /// Where the block's strings hold a value every boundary candidate
    /// carries (`BoundarySelector::necessary_values`); `None` when no
    /// boundary is wanted.
    pub(super) candidate_values: Option<Vec<u32>>,
    pub(super) found: Findings,
    pub(super) order: BlobOrder,
    /// How many elements the block has shown so far.
    pub(super) index: u32,
    /// The lowest and highest id of each type, when the stage records the
    /// file's layout.
    pub(super) ranges: [Option<(i64, i64)>; 3],
    pub(super) has_ways: bool,
    /// Where the last node table lookup ended (see [`seek`]).
    pub(super) node_cursor: usize,
    /// Where the last member way lookup ended.
    pub(super) member_cursor: usize,
    /// A relation's tags as borrowed strings (see `boundary_candidate`).
    pub(super) tag_scratch: Vec<(&'a [u8], &'a [u8])>,
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

    /// Whether the object is watched (see [`super::Watch`]): a pass for versions
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

    /// Whether the stage wants of this block's ways only what their ids
    /// tell (order, count, id range) and its member ways: no camera can be
    /// among them, and no copy is watched or version compared.
    pub(super) fn ids_suffice(&self) -> bool {
        self.wants.watch.is_none()
            && !self.wants.versions
            && !(self.wants.camera_ways && self.camera_tag.is_some())
    }

    /// What [`ElementVisitor::way`] records, for a fresh visitor of a block
    /// of ways alone when [`Self::ids_suffice`]: the order facts, count and
    /// range kept in locals through the walk and stored once, and only the
    /// member ways given a [`Way`] view. `None` when the block holds
    /// anything but ways; the caller then drops what was found.
    pub(super) fn walk_way_ids(&mut self) -> Result<Option<TypeSpan>, WireError> {
        debug_assert!(self.order.last.is_none() && self.index == 0);
        let block = self.block;
        let members = self.wants.member_ways;
        let mut cursor = self.member_cursor;
        let (mut count, mut first, mut last) = (0u32, None, 0i64);
        let (mut min, mut max) = (i64::MAX, i64::MIN);
        let (mut sorted_within, mut duplicates) = (true, 0u64);
        let only_ways = block.for_each_way_id(|id, bytes| {
            match first {
                None => first = Some(id),
                // Positive ids rising: osmium's order, and the usual case.
                Some(_) if last > 0 && id > last => {}
                Some(_) => {
                    match sort_key(ElementType::Way, last).cmp(&sort_key(ElementType::Way, id)) {
                        std::cmp::Ordering::Less => {}
                        std::cmp::Ordering::Equal => duplicates += 1,
                        std::cmp::Ordering::Greater => sorted_within = false,
                    }
                }
            }
            (last, count) = (id, count + 1);
            (min, max) = (min.min(id), max.max(id));
            if members.is_some_and(|ids| seek(ids, id, &mut cursor).is_some()) {
                self.keep_way(&block.way_of(bytes)?, true)
                    .map_err(|e| e.context(format!("way {id}")))?;
            }
            Ok(())
        })?;
        if !only_ways {
            return Ok(None);
        }
        self.member_cursor = cursor;
        self.index = count;
        self.order.sorted_within = sorted_within;
        self.order.duplicates = duplicates;
        let Some(first) = first else {
            return Ok(Some(None));
        };
        self.order.first = Some((ElementType::Way, first));
        self.order.last = Some((ElementType::Way, last));
        self.has_ways = true;
        if self.wants.counts[ElementType::Way] {
            self.found.counts[ElementType::Way] += u64::from(count);
        }
        if self.wants.record_layout {
            self.ranges[ElementType::Way as usize] = Some((min, max));
        }
        Ok(Some(Some((ElementType::Way, ElementType::Way))))
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
        let meta = way.meta()?;
        if is_deleted(meta) {
            return Ok(());
        }
        let tags = camera_tags(self.block, &way_tags)?;
        let mut refs = Vec::new();
        way.refs(&mut refs)?;
        if !member {
            locate(self.block, way, precedence, &refs, &mut self.found.located)?;
        }
        let edit = meta.map_or_else(Default::default, |m| self.block.edit(m));
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
        (self.block).borrowed_tags(&relation.tags, &mut self.tag_scratch)?;
        let borrowed = &self.tag_scratch;
        if !selector.matches_borrowed(borrowed) {
            return Ok(None);
        }
        // A deleted version (a history file's) is no boundary, whatever
        // tags it kept: it is a copy that ends the ones before.
        if is_deleted(relation.meta()?) {
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
        let camera =
            self.wants.camera_nodes && !is_deleted(node.meta) && self.is_camera(&node.tags)?;
        if self.wants.cover && !is_deleted(node.meta) {
            self.found.cover.add((node.lon, node.lat));
            self.found.cover.add_cameras(u64::from(camera));
        }
        if camera {
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
        let camera = self.wants.camera_relations && self.is_camera(&relation.tags)?;
        let edit = match camera {
            true => relation.meta().map_err(context)?,
            false => None,
        };
        if camera && !is_deleted(edit) {
            let tags = camera_tags(self.block, &relation.tags).map_err(context)?;
            // A relation has no position of its own; it is listed, unplaced.
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

/// Whether a version is a deletion (`visible=false`, history files only).
/// It counts as nothing, whatever tags it kept; in a pass for versions it
/// is still a copy that ends the ones before.
fn is_deleted(meta: Option<RawMeta>) -> bool {
    meta.is_some_and(|m| m.deleted)
}
