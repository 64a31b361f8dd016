//! The node stage's bulk path: most node blobs of a history file hold no
//! camera, and many no node of a kept way either. Such a blob is read
//! column by column (ids, versions, timestamps, visible flags; positions
//! only as far as its last wanted node); a blob with a camera tag goes to
//! the element-by-element [`super::visit`].
//!
//! In: one dense node block and the stage's wanted ids. Out: the blob's
//! [`BlobFindings`], or a [`Quiet`] summary when it holds nothing to keep.

use crate::camera::{CAMERA_KEY, CAMERA_VALUE};
use crate::pbf::block::{DenseColumns, ElementType, HistoryColumns, PrimitiveBlock};
use crate::pbf::wire::WireError;
use crate::pbf::{OsmMeta, OsmNode};

use super::order::BlobOrder;
use super::visit::visit_blob;
use super::{kept_entries, wanted_entries, widen, BlobFindings, Kept, Read, Want};

/// A node blob without a wanted id or a camera tag: its versions are
/// counted, its order and time span kept, its edge ids remembered (they
/// may be versions of a camera whose tagged version is in a neighbour).
pub(super) struct Quiet {
    pub ids: (i64, i64),
    pub versions: u64,
    pub span: Option<(i64, i64)>,
    pub order: Option<BlobOrder>,
}

/// The node stage's path: many node blobs of a history file hold no
/// camera and no node of a kept way. Their ids, versions, timestamps and
/// visible flags are decoded in bulk, column by column; only a blob with a
/// camera tag is visited element by element.
pub(super) fn quick_node_blob(
    block: &PrimitiveBlock<'_>,
    want: &Want<'_>,
    columns: &mut DenseColumns,
    history: &mut HistoryColumns,
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
    block.dense_history(&nodes, history)?;
    let span = history
        .timestamps
        .iter()
        .filter(|&&t| t > 0)
        .fold(None, |span, &t| widen(span, Some((t, t))));
    let from = want.ids.partition_point(|&x| x < first);
    if want.ids.get(from).is_some_and(|&x| x <= last) {
        let wanted = wanted_entries(ids, &want.ids[from..]);
        let through = wanted.last().map_or(0, |&i| i + 1);
        block.dense_coords(&nodes, columns, through)?;
        return Ok(Read::Found(dense_findings(
            block, columns, history, &wanted, span,
        )));
    }
    // Versions of one node share its id: ids never fall. The versions
    // inside a quiet blob are not checked; its edges compare as any
    // version of their id.
    let in_order = ids.windows(2).all(|w| w[0] <= w[1]);
    Ok(Read::Quiet(Quiet {
        ids: (first, last),
        versions: ids.len() as u64,
        span,
        order: Some(BlobOrder {
            first: (ElementType::Node, first, i32::MAX),
            last: (ElementType::Node, last, 0),
            in_order,
        }),
    }))
}

/// A dense block's findings from its bulk columns: the same runs as
/// [`BlobVisitor`] keeps (the versions of each wanted id with a visible
/// version, and the blob's first and last run, which may continue in a
/// neighbour). `wanted` lists, in order, the entries whose id is wanted:
/// every version of such an id. Wanted nodes are kept without tags: the
/// block holds no camera, and no other node tag counts.
fn dense_findings(
    block: &PrimitiveBlock<'_>,
    columns: &DenseColumns,
    history: &HistoryColumns,
    wanted: &[usize],
    span: Option<(i64, i64)>,
) -> BlobFindings {
    let ids = columns.ids();
    let n = ids.len();
    let versions = &history.versions;
    let key = |i: usize| (ElementType::Node, ids[i], versions[i]);
    let kept = kept_entries(ids, wanted, |i| history.visible[i])
        .into_iter()
        .map(|(i, is_wanted)| {
            let meta = OsmMeta {
                version: versions[i],
                timestamp: history.timestamps[i],
                deleted: !history.visible[i],
                ..OsmMeta::default()
            };
            match is_wanted && history.visible[i] {
                true => {
                    let (lon, lat) = block.dense_position(columns, i);
                    let node = OsmNode {
                        id: ids[i],
                        lon,
                        lat,
                        tags: Vec::new(),
                        meta: Some(meta),
                    };
                    (true, Kept::Node(node))
                }
                false => (false, Kept::stub(ElementType::Node, ids[i], meta)),
            }
        })
        .collect();
    BlobFindings {
        kept,
        versions: n as u64,
        span,
        order: BlobOrder::of(n, key),
    }
}
