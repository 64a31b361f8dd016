//! The way stage's lean path: a way blob whose string table holds no
//! camera tag can keep only member ways, so it is walked with the way
//! loop of the plain scan (each way's id and metadata, no tags), and only
//! the kept runs' refs and tags are decoded.
//!
//! Why: a history file holds every version of every way; the element
//! visitor follows each with its tags, its metadata and a run of items,
//! where most are only counted and checked for order.
//!
//! In: one way block and the stage's wanted ids. Out: the blob's
//! [`BlobFindings`], the same runs as [`super::visit`] keeps; `None` for a
//! block it does not take (a camera tag, or another element type).

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::pbf::block::{ElementType, PrimitiveBlock, RawMeta, Way};
use crate::pbf::wire::WireError;
use crate::pbf::OsmWay;

use super::order::BlobOrder;
use super::{kept_entries, wanted_entries, BlobFindings, Kept, Plausible, Want};

pub(super) fn quick_way_blob(
    block: &PrimitiveBlock<'_>,
    want: &Want<'_>,
) -> Result<Option<BlobFindings>, WireError> {
    if block
        .find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes())
        .is_some()
    {
        return Ok(None);
    }
    let mut ways: Vec<(Way<'_>, Option<RawMeta>)> = Vec::new();
    let only_ways = block.for_each_way(|way| {
        ways.push((*way, way.meta()?));
        Ok(())
    })?;
    if !only_ways || ways.is_empty() {
        return Ok(None);
    }
    let ids: Vec<i64> = ways.iter().map(|(w, _)| w.id).collect();
    let version = |i: usize| ways[i].1.map_or(0, |m| m.version);
    let key = |i: usize| (ElementType::Way, ids[i], version(i));
    let n = ids.len();
    let plausible = Plausible::now();
    let span = (ways.iter()).filter_map(|(_, m)| *m).fold(None, |span, m| {
        plausible.widen(span, block.edit(m).timestamp)
    });
    let deleted = |i: usize| ways[i].1.is_some_and(|m| m.deleted);
    let wanted = wanted_entries(&ids, &want.ids);
    let mut is_wanted = vec![false; n];
    wanted.iter().for_each(|&i| is_wanted[i] = true);
    let mut kept = Vec::new();
    for (i, relevant) in kept_entries(&ids, &wanted, |i| is_wanted[i] && !deleted(i)) {
        let (way, raw) = ways[i];
        kept.push(match relevant {
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
        });
    }
    Ok(Some(BlobFindings {
        kept,
        versions: n as u64,
        span,
        order: BlobOrder::of(n, key),
    }))
}
