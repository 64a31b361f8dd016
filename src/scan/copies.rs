//! Objects a file holds twice: the signs of them a first pass notices, and
//! the pass for versions that keeps the latest copy of each.
//!
//! Why a pass of its own: reading versions costs every file, and most files
//! hold no copies; so the first pass only counts signs (equal ids side by
//! side, an id inside two blobs' ranges, an object found twice), and only
//! then a second pass keeps, per object, the copy of highest [`Precedence`].
//!
//! In: a stage's [`Findings`] with their precedences. Out: the findings
//! with one copy per object, and counts of what was dropped.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::camera::Camera;
use crate::pbf::block::{sort_key, ElementType};

use super::nodes::NodeTable;
use super::run::Run;
use super::visit::{BlobOrder, Findings, Precedence, Watch};
use super::way_lists::WayLists;
use super::ScanOutput;

impl Run<'_> {
    /// Counts what a pass for versions drops, where the order check did not
    /// (an unsorted file).
    pub(super) fn dropped(&mut self, copies: u64) {
        if !self.stats.sorted {
            self.stats.duplicates += copies;
        }
    }

    /// Keeps the latest copy of each boundary candidate, in a pass for
    /// versions; in a first pass, notes a candidate found twice.
    pub(super) fn keep_latest_relations(&mut self, found: &mut Findings) {
        if !self.versions {
            return;
        }
        let precedences = std::mem::take(&mut found.versions.relations);
        let relations = std::mem::take(&mut found.relations);
        let (kept, dropped) = keep_latest(relations, precedences, |r| r.id);
        let latest = latest_copies(&found.versions.watched);
        let (kept, superseded) = drop_superseded(kept, &latest, |r| (ElementType::Relation, r.id));
        found.relations = kept.into_iter().map(|(r, _)| r).collect();
        self.dropped(dropped + superseded);
    }

    /// Keeps the latest copy of each member way and camera way, and the
    /// node locations only the kept copies carry, in a pass for versions.
    /// (A first pass notes a member way found twice as it builds the node
    /// table, and a camera way in [`Run::finish`].)
    pub(super) fn keep_latest_ways(&mut self, found: &mut Findings) {
        if !self.versions {
            return;
        }
        let ways = std::mem::take(&mut found.ways);
        let precedences = std::mem::take(&mut found.versions.ways);
        let mut latest: FxHashMap<i64, (Precedence, usize)> = FxHashMap::default();
        for (k, ((id, _), &precedence)) in ways.iter().zip(&precedences).enumerate() {
            let entry = latest.entry(id).or_insert((precedence, k));
            if precedence >= entry.0 {
                *entry = (precedence, k);
            }
        }
        let mut kept_lists = WayLists::default();
        for (k, (id, list)) in ways.iter().enumerate() {
            if latest[&id].1 == k {
                let copy = |out: &mut Vec<i64>| {
                    out.extend_from_slice(list);
                    Ok::<(), std::convert::Infallible>(())
                };
                let Ok(()) = kept_lists.push_with(id, copy);
            }
        }
        self.dropped((ways.len() - kept_lists.len()) as u64);
        found.ways = kept_lists;
        let camera_ways = std::mem::take(&mut found.camera_ways);
        let precedences = camera_ways.iter().map(|w| w.precedence).collect();
        let (kept, dropped) = keep_latest(camera_ways, precedences, |w| w.id);
        let watched = latest_copies(&found.versions.watched);
        let (kept, superseded) = drop_superseded(kept, &watched, |w| (ElementType::Way, w.id));
        found.camera_ways = kept.into_iter().map(|(w, _)| w).collect();
        self.dropped(dropped + superseded);
        let carriers: FxHashSet<(i64, Precedence)> = (latest.iter())
            .map(|(&id, &(precedence, _))| (id, precedence))
            .chain(found.camera_ways.iter().map(|w| (w.id, w.precedence)))
            .collect();
        found
            .located
            .retain(|l| carriers.contains(&(l.way, l.precedence)));
    }

    /// Fills the table with the latest copy of each wanted node, in a pass
    /// for versions (a first pass filled it as it went).
    pub(super) fn fill_latest_nodes(&mut self, table: &NodeTable, found: &mut Findings) {
        let mut nodes = std::mem::take(&mut found.versions.nodes);
        nodes.sort_unstable_by_key(|&(slot, precedence, _)| (slot, precedence));
        let mut kept = 0;
        for (k, &(slot, _, (lon, lat))) in nodes.iter().enumerate() {
            if nodes.get(k + 1).is_none_or(|next| next.0 != slot) {
                table.fill(slot, lon, lat);
                kept += 1;
            }
        }
        self.dropped((nodes.len() - kept) as u64);
    }
}

/// Checks that a stage's blobs keep the `Sort.Type_then_ID` promise: only
/// the first and last blob of a section may hold another type, ids rise in
/// osmium's order ([`sort_key`]) within each blob and from blob to blob.
/// An id equal to the one before is a second copy of an object (`osmium
/// merge` of two dates keeps both versions), not a broken promise. Returns
/// how many such copies, or the first bad position.
pub(super) fn out_of_order(
    order: &[BlobOrder],
    kind: ElementType,
) -> std::result::Result<u64, usize> {
    let mut previous: Option<(ElementType, bool, u64)> = None;
    let mut duplicates = 0;
    for (i, blob) in order.iter().enumerate() {
        let (first_type, last_type) = blob.span.unwrap_or((kind, kind));
        let at_start = i == 0;
        let at_end = i + 1 == order.len();
        let pure = (first_type == kind || (at_start && first_type < kind))
            && (last_type == kind || (at_end && last_type > kind));
        let first = blob.first.map(|(k, id)| sort_key(k, id));
        let rising = first.is_none_or(|first| previous.is_none_or(|p| p <= first));
        if !pure || !rising || !blob.sorted_within {
            return Err(blob.position);
        }
        duplicates += blob.duplicates + u64::from(first.is_some() && first == previous);
        previous = blob.last.map(|(k, id)| sort_key(k, id)).or(previous);
    }
    Ok(duplicates)
}

/// How many items of a sorted sequence equal the one before.
pub(super) fn repeats<T: PartialEq>(sorted: impl Iterator<Item = T>) -> u64 {
    let mut previous = None;
    let mut count = 0;
    for item in sorted {
        count += u64::from(previous.as_ref() == Some(&item));
        previous = Some(item);
    }
    count
}

/// Keeps one item per key: the one of highest precedence. `precedences`
/// holds one per item. Returns the kept items with their precedence, by
/// key, and how many were dropped.
pub(super) fn keep_latest<T, K: Ord>(
    items: Vec<T>,
    precedences: Vec<Precedence>,
    key: impl Fn(&T) -> K,
) -> (Vec<(T, Precedence)>, u64) {
    assert_eq!(items.len(), precedences.len(), "a precedence per item");
    let total = items.len();
    let mut paired: Vec<(T, Precedence)> = items.into_iter().zip(precedences).collect();
    paired.sort_by(|a, b| key(&a.0).cmp(&key(&b.0)).then(a.1.cmp(&b.1)));
    let mut kept = Vec::with_capacity(total);
    let mut rest = paired.into_iter().peekable();
    while let Some((item, precedence)) = rest.next() {
        if rest.peek().is_none_or(|(next, _)| key(next) != key(&item)) {
            kept.push((item, precedence));
        }
    }
    let dropped = (total - kept.len()) as u64;
    (kept, dropped)
}

/// The highest precedence of each watched object's copies.
pub(super) fn latest_copies(
    watched: &[((ElementType, i64), Precedence)],
) -> FxHashMap<(ElementType, i64), Precedence> {
    let mut latest = FxHashMap::default();
    for &(key, precedence) in watched {
        let entry = latest.entry(key).or_insert(precedence);
        *entry = (*entry).max(precedence);
    }
    latest
}

/// Drops the kept items that a later copy of their object supersedes (a
/// copy that is no longer a camera or a candidate). Returns the rest and
/// how many were dropped.
pub(super) fn drop_superseded<T>(
    kept: Vec<(T, Precedence)>,
    latest: &FxHashMap<(ElementType, i64), Precedence>,
    key: impl Fn(&T) -> (ElementType, i64),
) -> (Vec<(T, Precedence)>, u64) {
    let total = kept.len();
    let rest: Vec<(T, Precedence)> = kept
        .into_iter()
        .filter(|(item, precedence)| latest.get(&key(item)).is_none_or(|l| l <= precedence))
        .collect();
    let dropped = (total - rest.len()) as u64;
    (rest, dropped)
}

/// What a pass for versions must follow every copy of: the objects the
/// first pass kept for their tags.
pub(super) fn watch_list(first: &ScanOutput) -> Watch {
    let mut watch = Watch::default();
    for camera in &first.cameras {
        watch.ids[camera.osm_type as usize].push(camera.osm_id);
    }
    let relations = &mut watch.ids[ElementType::Relation as usize];
    relations.extend(first.relations.iter().map(|r| r.id));
    for ids in &mut watch.ids {
        ids.sort_unstable();
        ids.dedup();
    }
    watch
}

/// How many elements repeat the type and id of the element before them,
/// within a blob or across two blobs in file order.
pub(super) fn side_by_side(order: &[BlobOrder]) -> u64 {
    let within: u64 = order.iter().map(|blob| blob.duplicates).sum();
    let across = order
        .windows(2)
        .filter(|pair| pair[0].last.is_some() && pair[0].last == pair[1].first)
        .count() as u64;
    within + across
}

/// In an unsorted file, how many of the objects kept for their tags
/// (cameras, candidates) have their id inside the id range of more than one
/// blob of their type: a sign that another blob may hold a copy (`osmium
/// cat` of overlapping extracts), perhaps one without the tags.
pub(super) fn ids_in_two_blobs(found: &Findings) -> u64 {
    // The blobs whose range holds an id: those starting at or below it,
    // less those ending below it. Two binary searches an id, however many
    // blobs and kept objects a country has.
    let mut starts: [Vec<i64>; 3] = Default::default();
    let mut ends: [Vec<i64>; 3] = Default::default();
    let node_ranges =
        (found.node_ranges.iter()).map(|&(_, min, max)| (ElementType::Node, min, max));
    let other_ranges = (found.other_ranges.iter()).map(|&(kind, _, min, max)| (kind, min, max));
    for (kind, min, max) in node_ranges.chain(other_ranges) {
        starts[kind as usize].push(min);
        ends[kind as usize].push(max);
    }
    starts
        .iter_mut()
        .chain(&mut ends)
        .for_each(|v| v.sort_unstable());
    let blobs_holding = |kind: ElementType, id: i64| {
        let (starts, ends) = (&starts[kind as usize], &ends[kind as usize]);
        starts.partition_point(|&min| min <= id) - ends.partition_point(|&max| max < id)
    };
    let kept = (found.cameras.iter())
        .map(Camera::sort_key)
        .chain(found.camera_ways.iter().map(|w| (ElementType::Way, w.id)))
        .chain(
            found
                .relations
                .iter()
                .map(|r| (ElementType::Relation, r.id)),
        );
    kept.filter(|&(kind, id)| blobs_holding(kind, id) > 1)
        .count() as u64
}
