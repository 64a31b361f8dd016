//! The node stage's bulk path: a dense node blob of a history file is
//! read column by column (ids, versions, timestamps, visible flags;
//! positions only as far as its last wanted node or camera; tags only of
//! its cameras), and kept versions are built only for the runs that need
//! them. A blob of other elements goes to the element-by-element
//! [`super::visit`].
//!
//! In: one dense node block and the stage's wanted ids. Out: the blob's
//! [`BlobFindings`], or a [`Quiet`] summary when it holds nothing to keep.

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::pbf::block::{DenseColumns, ElementType, HistoryColumns, PrimitiveBlock, Tags};
use crate::pbf::wire::WireError;
use crate::pbf::{OsmMeta, OsmNode};

use super::order::BlobOrder;
use super::visit::visit_blob;
use super::{kept_entries, wanted_entries, BlobFindings, Kept, Plausible, Read, Want};

/// A node blob without a wanted id or a camera tag: its versions are
/// counted, its order and time span kept, its edge ids remembered (they
/// may be versions of a camera whose tagged version is in a neighbour).
pub(super) struct Quiet {
    pub ids: (i64, i64),
    pub versions: u64,
    pub span: Option<(i64, i64)>,
    pub order: Option<BlobOrder>,
}

/// The node stage's path: a dense node blob's ids, versions, timestamps
/// and visible flags are decoded in bulk, column by column; positions only
/// as far as its last wanted node or camera, and tags only of its cameras.
/// A blob of other elements goes to the element visitor.
pub(super) fn quick_node_blob(
    block: &PrimitiveBlock<'_>,
    want: &Want<'_>,
    columns: &mut DenseColumns,
    history: &mut HistoryColumns,
) -> std::result::Result<Read, WireError> {
    let Some(nodes) = block.dense_ids(columns)? else {
        return visit_blob(block, want).map(Read::Found);
    };
    let ids = columns.ids();
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return visit_blob(block, want).map(Read::Found);
    };
    block.dense_history(&nodes, history)?;
    let span = history.span(Plausible::now().range());
    let order = BlobOrder::of(ElementType::Node, ids, &history.versions);
    let cameras = match block.find_tag(CAMERA_KEY.as_bytes(), CAMERA_VALUE.as_bytes()) {
        Some(tag) => block.dense_tagged(&nodes, &tag)?,
        None => Vec::new(),
    };
    let from = want.ids.partition_point(|&x| x < first);
    let wanted = match want.ids.get(from).is_some_and(|&x| x <= last) {
        true => wanted_entries(ids, &want.ids[from..]),
        false => Vec::new(),
    };
    if wanted.is_empty() && cameras.is_empty() {
        return Ok(Read::Quiet(Quiet {
            ids: (first, last),
            versions: ids.len() as u64,
            span,
            order,
        }));
    }
    let versions = ids.len() as u64;
    let through = wanted.last().max(cameras.last().map(|(i, _)| i));
    block.dense_coords(&nodes, columns, through.map_or(0, |&i| i + 1))?;
    Ok(Read::Found(BlobFindings {
        kept: dense_findings(block, columns, history, &wanted, &cameras)?,
        versions,
        span,
        order,
    }))
}

/// A dense block's findings from its bulk columns: the same runs as the
/// element visitor keeps (each run of a wanted id or a camera with a
/// relevant version, and the blob's first and last run, which may
/// continue in a neighbour). `wanted` lists, in order, the entries whose
/// id is wanted (every version of such an id); `cameras` the entries
/// tagged as cameras, with their tags. A relevant version is visible, and
/// wanted or a camera. Only cameras keep their tags: no other node tag
/// counts.
fn dense_findings(
    block: &PrimitiveBlock<'_>,
    columns: &DenseColumns,
    history: &HistoryColumns,
    wanted: &[usize],
    cameras: &[(usize, Tags<'_>)],
) -> std::result::Result<Vec<(bool, Kept)>, WireError> {
    let ids = columns.ids();
    let is_wanted = |i: usize| wanted.binary_search(&i).is_ok();
    let camera_tags =
        |i: usize| (cameras.binary_search_by_key(&i, |(entry, _)| *entry)).map(|k| &cameras[k].1);
    let mut candidates: Vec<usize> = wanted.to_vec();
    candidates.extend(cameras.iter().map(|(i, _)| *i));
    candidates.sort_unstable();
    candidates.dedup();
    let relevant = |i: usize| history.visible[i] && (is_wanted(i) || camera_tags(i).is_ok());
    let entries = kept_entries(ids, &candidates, relevant);
    let mut kept = Vec::with_capacity(entries.len());
    for (i, relevant) in entries {
        let meta = OsmMeta {
            version: history.versions[i],
            timestamp: history.timestamp(i),
            deleted: !history.visible[i],
            ..OsmMeta::default()
        };
        kept.push(match relevant {
            true => {
                let (lon, lat) = block.dense_position(columns, i);
                let tags = match camera_tags(i) {
                    Ok(tags) => block.owned_tags(tags)?,
                    Err(_) => Vec::new(),
                };
                let node = OsmNode {
                    id: ids[i],
                    lon,
                    lat,
                    tags,
                    meta: Some(meta),
                };
                (true, Kept::Node(node))
            }
            false => (false, Kept::stub(ElementType::Node, ids[i], meta)),
        });
    }
    Ok(kept)
}
