//! The way stage's lean path: a way blob whose string table holds no
//! camera tag can keep only member ways, so it is walked with the way
//! loop of the plain scan (each way's id and edit: version, timestamp,
//! visible flag; no tags), then again for the kept runs alone, whose refs,
//! tags and metadata are decoded.
//!
//! Why: a history file holds every version of every way; the element
//! visitor follows each with its tags, its metadata and a run of items,
//! where most are only counted and checked for order.
//!
//! In: one way block and the stage's wanted ids. Out: the blob's
//! [`BlobFindings`], the same runs as [`super::visit`] keeps; `None` for a
//! block it does not take (a camera tag, or another element type).

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::pbf::block::{ElementType, PrimitiveBlock, RawMeta};
use crate::pbf::wire::WireError;
use crate::pbf::OsmWay;

use super::order::BlobOrder;
use super::{kept_entries, wanted_entries, BlobFindings, Kept, Plausible, Want};

/// One worker's columns of a way blob's versions, reused from blob to
/// blob: a history file's way blobs hold thousands of versions each, and
/// vectors built afresh for each blob cost more than reading them.
#[derive(Default)]
pub(super) struct WayColumns {
    ids: Vec<i64>,
    versions: Vec<i32>,
    deleted: Vec<bool>,
}

pub(super) fn quick_way_blob(
    block: &PrimitiveBlock<'_>,
    want: &Want<'_>,
    columns: &mut WayColumns,
) -> Result<Option<BlobFindings>, WireError> {
    if block
        .find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes())
        .is_some()
    {
        return Ok(None);
    }
    let WayColumns {
        ids,
        versions,
        deleted,
    } = columns;
    ids.clear();
    versions.clear();
    deleted.clear();
    let plausible = Plausible::now();
    let mut span = None;
    let only_ways = block.for_each_way_id(|id, bytes| {
        let edit = block.element_edit(bytes)?;
        ids.push(id);
        versions.push(edit.version);
        deleted.push(edit.deleted);
        span = plausible.widen(span, Some(block.seconds(edit.timestamp)));
        Ok(())
    })?;
    if !only_ways || ids.is_empty() {
        return Ok(None);
    }
    let from = want.ids.partition_point(|&x| x < ids[0]);
    let wanted = wanted_entries(ids, &want.ids[from..]);
    let relevant = |i: usize| wanted.binary_search(&i).is_ok() && !deleted[i];
    let entries = kept_entries(ids, &wanted, relevant);
    // The kept versions in full: a second walk, through the whole blob
    // (the walk cannot stop early), building a way only where one is kept.
    let mut kept = Vec::with_capacity(entries.len());
    let mut next = entries.iter().peekable();
    let mut at = 0;
    block.for_each_way_id(|_, bytes| {
        if let Some(&&(_, relevant)) = next.peek().filter(|(entry, _)| *entry == at) {
            next.next();
            kept.push(kept_way(block, bytes, relevant)?);
        }
        at += 1;
        Ok(())
    })?;
    Ok(Some(BlobFindings {
        kept,
        versions: ids.len() as u64,
        span,
        order: BlobOrder::of(ElementType::Way, ids, versions),
    }))
}

/// A kept way version: in full when relevant, else a stub.
fn kept_way<'a>(
    block: &PrimitiveBlock<'a>,
    bytes: &'a [u8],
    relevant: bool,
) -> Result<(bool, Kept), WireError> {
    let way = block.way_of(bytes)?;
    let raw = way.meta()?;
    Ok(match relevant {
        true => {
            let mut refs = Vec::new();
            way.refs(&mut refs)?;
            let way = OsmWay {
                id: way.id,
                refs,
                tags: block.owned_tags(&way.tags()?)?,
                meta: raw.map(|raw| block.owned_meta(raw)).transpose()?,
            };
            (true, Kept::Way(way))
        }
        false => {
            // As the element visitor writes a stub: no user name.
            let raw = RawMeta {
                user_sid: 0,
                ..raw.unwrap_or_default()
            };
            (
                false,
                Kept::stub(ElementType::Way, way.id, block.owned_meta(raw)?),
            )
        }
    })
}
