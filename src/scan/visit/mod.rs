//! What one blob yields to a stage: cameras, boundary relations, member
//! ways, wanted node positions, counts, and order facts to check the file's
//! sort promise.
//!
//! Why one visitor for every stage: a sorted file is read relations → ways →
//! nodes and an unsorted one all-at-once; the same visitor, told what the
//! stage wants, serves both, so the rules live in one place.
//!
//! In: a decoded block and a [`StageWants`]. Out: [`Findings`], which merge.

mod findings;
#[cfg(test)]
mod tests;
mod visitor;

use crate::camera::{
    Camera, CameraField, CameraTags, CameraTagsBuilder, Edit, CAMERA_KEY, CAMERA_VALUE,
};
use crate::pbf::block::{
    sort_key, DenseColumns, ElementType, ElementVisitor, HistoryColumns, PrimitiveBlock,
    TagIndices, Tags, TypeSpan, Way,
};
use crate::pbf::wire::WireError;

pub use findings::{
    BlobOrder, Findings, Located, PendingWay, Precedence, StageWants, Versions, Watch,
};
use visitor::BlockVisitor;

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
/// nothing else, through [`BlockVisitor::walk_way_ids`] when their ids
/// suffice, else through [`PrimitiveBlock::for_each_way`]; any other the
/// general way. Returns the block's span of element types.
fn visit_elements<'a>(
    block: &PrimitiveBlock<'a>,
    visitor: &mut BlockVisitor<'_, 'a, '_>,
) -> Result<TypeSpan, WireError> {
    let wants = visitor.wants.decode();
    let ways_alone = wants.ways && !wants.nodes && !wants.relations;
    if ways_alone && visitor.ids_suffice() {
        let found = std::mem::take(&mut visitor.found);
        if let Some(span) = visitor.walk_way_ids()? {
            return Ok(span);
        }
        // Mixed: forget what the member ways gave, and visit the block the
        // general way (the walk wrote no order fact or cursor).
        visitor.found = found;
        return block.visit(visitor);
    }
    if ways_alone {
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
    let n = columns.ids().len();
    if wants.cover && n > 0 {
        block.dense_coords(&nodes, columns, n)?;
    } else if let Some(last) = last_wanted.max(last_camera) {
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
    let mut meta = HistoryColumns::default();
    let read = match wants.versions {
        true => last_wanted.max(last_camera).max(watched.last().copied()),
        false => last_camera,
    };
    if read.is_some() {
        block.dense_history(&nodes, &mut meta)?;
    }
    let precedence = |entry: usize| Precedence {
        version: meta.versions.get(entry).copied().unwrap_or(0),
        position: position as u64,
        index: entry as u32,
    };
    let mut found = Findings::default();
    if wants.cover {
        found.cover.add_dense(block, &nodes, columns, &cameras)?;
    }
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
        // A deleted version (a history file's) is no camera, whatever tags
        // it kept; it is still a watched copy, which ends the ones before.
        if !meta.visible.get(entry).copied().unwrap_or(true) {
            continue;
        }
        let id = columns.ids()[entry];
        let tags = camera_tags(block, &tags).map_err(|e| e.context(format!("node {id}")))?;
        found.cameras.push(Camera {
            osm_type: ElementType::Node,
            osm_id: id,
            position: Some(block.dense_position(columns, entry)),
            tags,
            edit: Edit::new(
                meta.versions.get(entry).copied().unwrap_or(0),
                meta.get_timestamp(entry).unwrap_or(0),
            ),
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
    let mut camera = CameraTagsBuilder::default();
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
