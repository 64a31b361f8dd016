//! A history blob element by element: relation and way blobs, and node
//! blobs with a camera tag. Versions of one id follow each other; a run is
//! kept when one of its versions is a camera, a boundary candidate or a
//! wanted member, and stubs mark the versions of no interest.
//!
//! In: one block and the stage's [`Want`]. Out: its [`BlobFindings`].

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::pbf::block::{
    ElementType, ElementVisitor, Node, PrimitiveBlock, RawMeta, Relation, TagIndices, Tags, Way,
};
use crate::pbf::wire::WireError;
use crate::pbf::{OsmMeta, OsmNode, OsmRelation, OsmWay};

use super::order::BlobOrder;
use super::{BlobFindings, Kept, Plausible, Want};

pub(super) fn visit_blob(
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
        tag_scratch: Vec::new(),
        cursor: None,
        run_id: None,
        run: Vec::new(),
        run_relevant: false,
        first_run: true,
        kept: Vec::new(),
        versions: 0,
        span: None,
        plausible: Plausible::now(),
        order: None,
    };
    block.visit(&mut visitor)?;
    // The blob's last run may continue in the next blob: kept.
    visitor.close_run(true)?;
    Ok(BlobFindings {
        kept: visitor.kept,
        versions: visitor.versions,
        span: visitor.span,
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
    /// A relation's tags, borrowed, reused from relation to relation.
    tag_scratch: Vec<(&'a [u8], &'a [u8])>,
    /// Position in `want.ids` of the first id not below the last seen.
    cursor: Option<usize>,
    run_id: Option<i64>,
    run: Vec<Item>,
    run_relevant: bool,
    first_run: bool,
    kept: Vec<(bool, Kept)>,
    versions: u64,
    /// Oldest and newest timestamp, Unix seconds.
    span: Option<(i64, i64)>,
    plausible: Plausible,
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
                repeats: false,
                max_version: key.2,
            },
            Some(o) => BlobOrder {
                first: o.first,
                last: key,
                in_order: o.in_order && o.last < key,
                repeats: o.repeats || (o.last.0, o.last.1) == (kind, id),
                max_version: o.max_version.max(key.2),
            },
        });
        kind == self.want.kind
    }

    fn see(&mut self, raw: Option<RawMeta>) {
        if let Some(raw) = raw {
            self.span = self
                .plausible
                .widen(self.span, self.block.edit(raw).timestamp);
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
            (self.block).borrowed_tags(&relation.tags, &mut self.tag_scratch)?;
            let boundary = (self.want.selector)
                .is_some_and(|selector| selector.matches_borrowed(&self.tag_scratch));
            if camera || boundary {
                found = Some(Kept::Relation(OsmRelation {
                    id: relation.id,
                    members: self.block.owned_members(relation)?,
                    tags: self.block.owned_tags(&relation.tags)?,
                    meta: self.meta(raw)?,
                }));
            }
        }
        self.push(found.map_or(Item::Stub(raw), Item::Relevant));
        Ok(())
    }
}
