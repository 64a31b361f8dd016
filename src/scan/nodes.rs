//! The locations of just the nodes a run needs.
//!
//! Why not a map of every node: a country has hundreds of millions. The ids
//! we need (nodes of camera ways and boundary ways) are known before the node
//! pass, so they are kept sorted with one compact slot each (16 bytes per
//! node). Worker threads fill the slots directly as node blobs stream past:
//! each slot is an atomic, written with `fetch_min`, so no lock is taken and
//! even a file with a duplicated node id gives the same answer whatever the
//! thread order.
//!
//! In: the wanted node ids. Out: their positions, where the extract has them.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use super::ids::{Sorted, SortedIds};

/// From how many ids a list's (id, place) pairs are made in parallel.
const PARALLEL_FROM: usize = 1 << 14;

/// Marks a slot whose node has not been seen: it decodes to a longitude of
/// 214.7°, which no node has.
const MISSING: u64 = u64::MAX;

/// Wanted node ids and the positions found for them, in 1e-7 degrees.
#[derive(Debug, Default)]
pub struct NodeTable {
    ids: SortedIds,
    coords: Vec<AtomicU64>,
}

/// Packs a position so that any real one is below `MISSING`.
fn pack(lon: i32, lat: i32) -> u64 {
    let offset = |v: i32| (i64::from(v) + (1 << 31)) as u64;
    (offset(lon) << 32) | offset(lat)
}

fn unpack(packed: u64) -> (i32, i32) {
    let back = |v: u64| (v as i64 - (1 << 31)) as i32;
    (back(packed >> 32), back(packed & 0xffff_ffff))
}

impl NodeTable {
    /// A table for `ids` (any order, duplicates allowed).
    pub fn new(mut ids: Vec<i64>) -> Self {
        ids.sort_unstable();
        ids.dedup();
        Self::of_sorted(ids)
    }

    /// A table for every id of `first` and `more` (any order, duplicates
    /// allowed), and the slot of each id, in order, `first` then each list
    /// of `more`: the nodes of a way, to be read later without a search.
    /// One sort of (id, place) pairs gives both, in about the time sorting
    /// the ids alone took.
    ///
    /// `first` (the member ways' nodes, most of them) is taken so that it
    /// is freed before the sort: a national run's border holds 13 M refs,
    /// and this is the scan's peak of memory.
    pub fn with_slots(first: Vec<i64>, more: &[&[i64]]) -> (Self, Vec<u32>) {
        let total = first.len() + more.iter().map(|list| list.len()).sum::<usize>();
        let place_bits = usize::BITS - total.saturating_sub(1).leading_zeros();
        let highest = (first
            .par_iter()
            .chain(more.par_iter().flat_map(|l| l.par_iter())))
        .map(|&id| (id, id))
        .reduce(|| (i64::MAX, i64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)));
        let fits = total == 0 || (highest.0 >= 0 && highest.1 >> (63 - place_bits) == 0);
        match fits {
            true => Self::packed(first, more, total, place_bits),
            false => {
                let lists: Vec<&[i64]> = std::iter::once(first.as_slice())
                    .chain(more.iter().copied())
                    .collect();
                Self::paired(&lists, total)
            }
        }
    }

    /// [`Self::with_slots`] for ids that fit beside a place in one `i64`
    /// (OSM's, today under 2^34): 8 bytes a ref sorted instead of 16, and
    /// the distinct ids written over the sorted keys, so the table's ids
    /// take no memory of their own.
    fn packed(first: Vec<i64>, more: &[&[i64]], total: usize, place_bits: u32) -> (Self, Vec<u32>) {
        let key = |place: usize, id: i64| id << place_bits | place as i64;
        let mut keyed: Vec<i64> = Vec::with_capacity(total);
        keyed.par_extend(first.par_iter().enumerate().map(|(k, &id)| key(k, id)));
        let mut start = first.len();
        drop(first);
        for list in more {
            keyed.extend(list.iter().enumerate().map(|(k, &id)| key(start + k, id)));
            start += list.len();
        }
        keyed.par_sort_unstable();
        let mask = (1i64 << place_bits) - 1;
        let mut slot_at = vec![0u32; total];
        let mut distinct = 0;
        for read in 0..keyed.len() {
            let (id, place) = (keyed[read] >> place_bits, keyed[read] & mask);
            if distinct == 0 || keyed[distinct - 1] != id {
                // `distinct <= read`: the ids overwrite keys already read.
                keyed[distinct] = id;
                distinct += 1;
            }
            slot_at[place as usize] = (distinct - 1) as u32;
        }
        keyed.truncate(distinct);
        keyed.shrink_to_fit();
        (Self::of_sorted(keyed), slot_at)
    }

    /// [`Self::with_slots`] for any ids: (id, place) pairs.
    fn paired(lists: &[&[i64]], total: usize) -> (Self, Vec<u32>) {
        // Sized up front: grown by doubling, this one vector is copied again
        // and again, and every copy faults in fresh pages.
        let mut keyed: Vec<(i64, usize)> = Vec::with_capacity(total);
        for list in lists {
            let start = keyed.len();
            let pairs = |(k, &id): (usize, &i64)| (id, start + k);
            // The member ways' ids come as one long list, camera ways' as
            // many short ones, not worth a parallel job each.
            match list.len() {
                0..PARALLEL_FROM => keyed.extend(list.iter().enumerate().map(pairs)),
                _ => keyed.par_extend(list.par_iter().enumerate().map(pairs)),
            }
        }
        keyed.par_sort_unstable_by_key(|&(id, _)| id);
        let mut ids: Vec<i64> = Vec::new();
        let mut slot_at = vec![0; keyed.len()];
        for (id, place) in keyed {
            if ids.last() != Some(&id) {
                ids.push(id);
            }
            slot_at[place] = (ids.len() - 1) as u32;
        }
        (Self::of_sorted(ids), slot_at)
    }

    fn of_sorted(ids: Vec<i64>) -> Self {
        let ids = SortedIds::new(ids);
        let coords = (0..Sorted::len(&ids))
            .into_par_iter()
            .map(|_| AtomicU64::new(MISSING))
            .collect();
        NodeTable { ids, coords }
    }

    pub fn is_empty(&self) -> bool {
        self.coords.is_empty()
    }

    pub fn len(&self) -> usize {
        self.coords.len()
    }

    /// Forgets the ids once every node is found and every camera way
    /// placed: from then on only slots are read ([`Self::fixed_at`]), and
    /// the ids were half the table (8 of 16 bytes a node; 103 MB of a
    /// national run's border nodes). Lookups by id find nothing after.
    pub fn release_ids(&mut self) {
        self.ids = SortedIds::default();
    }

    /// The slot of a wanted id.
    #[inline]
    pub fn slot(&self, id: i64) -> Option<u32> {
        let at = self.ids.count_below(id);
        (at < Sorted::len(&self.ids) && self.ids.at(at) == id).then_some(at as u32)
    }

    /// The slot of `id`, searching forward from `cursor` (see [`seek`]).
    #[inline]
    pub fn seek(&self, id: i64, cursor: &mut usize) -> Option<u32> {
        let found = match &self.ids {
            SortedIds::Plain(ids) => seek(ids.as_slice(), id, cursor),
            chunked => seek(chunked, id, cursor),
        };
        found.map(|slot| slot as u32)
    }

    /// Calls `each(entry, slot)` for every entry of a block's `ids` that the
    /// table wants. With rising ids, each wanted id in the block's range is
    /// searched for (galloping forward), which costs little when a block
    /// holds few wanted nodes, the usual case; otherwise every id is sought.
    pub fn for_each_wanted(&self, ids: &[i64], rising: bool, each: impl FnMut(usize, u32)) {
        // One match, then code made for each form: the plain slice's is
        // the node stage's path on most files.
        match &self.ids {
            SortedIds::Plain(table) => for_each_wanted_in(table.as_slice(), ids, rising, each),
            chunked => for_each_wanted_in(chunked, ids, rising, each),
        }
    }

    /// True when some wanted id lies in `min..=max`: a blob spanning that id
    /// range may hold a wanted node.
    pub fn wants_any_in(&self, min: i64, max: i64) -> bool {
        let first = self.ids.count_below(min);
        first < Sorted::len(&self.ids) && self.ids.at(first) <= max
    }

    /// Records a found node (degrees, rounded to OSM's 1e-7 grid); safe
    /// from many threads. Returns true when the slot was already filled:
    /// the file holds the node twice.
    pub fn fill(&self, slot: u32, lon: f64, lat: f64) -> bool {
        let packed = pack(to_fixed(lon), to_fixed(lat));
        self.coords[slot as usize].fetch_min(packed, Ordering::Relaxed) != MISSING
    }

    /// Records a position for a slot that no node filled (a way's own
    /// location of its node); a node found in the file keeps its own.
    pub fn fill_missing(&self, slot: u32, lon: f64, lat: f64) {
        let packed = pack(to_fixed(lon), to_fixed(lat));
        let slot = &self.coords[slot as usize];
        let _ = slot.compare_exchange(MISSING, packed, Ordering::Relaxed, Ordering::Relaxed);
    }

    /// The position of `id` as `(lon, lat)` in degrees, if it was found.
    pub fn get(&self, id: i64) -> Option<(f64, f64)> {
        let (lon, lat) = self.get_fixed(id)?;
        Some((f64::from(lon) / 1e7, f64::from(lat) / 1e7))
    }

    /// The position of `id` on the 1e-7 degree grid, if it was found.
    pub fn get_fixed(&self, id: i64) -> Option<(i32, i32)> {
        self.fixed_at(self.slot(id)?)
    }

    /// The position in `slot` on the 1e-7 degree grid, if its node was
    /// found.
    pub fn fixed_at(&self, slot: u32) -> Option<(i32, i32)> {
        let packed = self.coords[slot as usize].load(Ordering::Relaxed);
        (packed != MISSING).then(|| unpack(packed))
    }

    /// How many wanted nodes were found.
    pub fn found(&self) -> usize {
        self.coords
            .iter()
            .filter(|c| c.load(Ordering::Relaxed) != MISSING)
            .count()
    }
}

/// [`NodeTable::for_each_wanted`] over the table's ids in one form.
#[inline(always)]
fn for_each_wanted_in<S: Sorted + ?Sized>(
    table: &S,
    ids: &[i64],
    rising: bool,
    mut each: impl FnMut(usize, u32),
) {
    let (Some(&first), Some(&last)) = (ids.first(), ids.last()) else {
        return;
    };
    if !rising {
        let mut cursor = 0;
        for (entry, &id) in ids.iter().enumerate() {
            if let Some(slot) = seek(table, id, &mut cursor) {
                each(entry, slot as u32);
            }
        }
        return;
    }
    let start = table.count_below(first);
    let end = table.count_below(last.saturating_add(1));
    let mut entry = 0;
    for slot in start..end {
        let wanted = table.at(slot);
        entry += gallop(&ids[entry..], wanted);
        if ids.get(entry) == Some(&wanted) {
            each(entry, slot as u32);
        }
    }
}

/// The position of `id` in the sorted `ids`, searching from `cursor` (the
/// position the previous lookup left) forward or backward, so that ids
/// near each other, such as a block's rising ids or the nodes of one way,
/// cost a step or two each instead of a binary search of the whole table.
#[inline(always)]
pub fn seek<S: Sorted + ?Sized>(ids: &S, id: i64, cursor: &mut usize) -> Option<usize> {
    let len = ids.len();
    let at = (*cursor).min(len);
    let after_previous = at == 0 || ids.at(at - 1) < id;
    if after_previous && (at == len || id < ids.at(at)) {
        // Between the wanted ids either side of the cursor, the common
        // case when most ids are not wanted: nothing to search. Inlined
        // for that case (a way stage asks once per way).
        return None;
    }
    seek_from(ids, id, cursor, at, after_previous)
}

/// [`seek`] past its common case: gallop to `id` from `at`.
fn seek_from<S: Sorted + ?Sized>(
    ids: &S,
    id: i64,
    cursor: &mut usize,
    at: usize,
    after_previous: bool,
) -> Option<usize> {
    *cursor = if !after_previous {
        gallop_back_in(ids, at, id)
    } else {
        gallop_in(ids, at, id)
    };
    (*cursor < ids.len() && ids.at(*cursor) == id).then_some(*cursor)
}

/// How many leading entries of the rising `ids` are below `target`,
/// probing 1, 2, 4… entries ahead before a binary search.
fn gallop(ids: &[i64], target: i64) -> usize {
    gallop_in(ids, 0, target)
}

/// The first position from `from` on whose id is not below `target`,
/// probing 1, 2, 4… entries ahead of `from` before a binary search.
fn gallop_in<S: Sorted + ?Sized>(ids: &S, from: usize, target: i64) -> usize {
    let len = ids.len() - from;
    let mut bound = 1;
    while bound < len && ids.at(from + bound - 1) < target {
        bound *= 2;
    }
    let (low, high) = (from + bound / 2, from + bound.min(len));
    ids.count_below_in(low, high, target)
}

/// Like [`gallop_in`] over `..end`, probing from `end` backward: for a
/// target near it.
fn gallop_back_in<S: Sorted + ?Sized>(ids: &S, end: usize, target: i64) -> usize {
    let mut bound = 1;
    while bound < end && ids.at(end - bound) >= target {
        bound *= 2;
    }
    let (low, high) = (end.saturating_sub(bound), end - bound / 2);
    ids.count_below_in(low, high, target)
}

fn to_fixed(degrees: f64) -> i32 {
    (degrees * 1e7)
        .round()
        .clamp(f64::from(i32::MIN + 1), f64::from(i32::MAX)) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_nodes_are_found_and_others_ignored() {
        let table = NodeTable::new(vec![30, 10, 20, 10]);
        assert_eq!(table.len(), 3);
        let slot = table.slot(20).unwrap();
        table.fill(slot, 7.4155145, 43.7332957);
        assert_eq!(table.get(20), Some((7.4155145, 43.7332957)));
        assert_eq!(table.get(10), None);
        assert_eq!(table.slot(15), None);
        assert_eq!(table.found(), 1);
    }

    #[test]
    fn seeking_forward_and_backward_finds_the_same_slots() {
        let table = NodeTable::new((0..1000).map(|i| i * 7).collect());
        let mut cursor = 0;
        for id in (0..7000).chain((0..7000).rev()) {
            assert_eq!(table.seek(id, &mut cursor), table.slot(id), "{id}");
        }
        let jumps = [6993, 7, 3500, 3493, 3507, 0, 9999, -5, 14, 13];
        for (cursor_at, id) in [0, 1, 500, 999, 1000, 5000].iter().zip(jumps) {
            let mut cursor = *cursor_at;
            assert_eq!(
                table.seek(id, &mut cursor),
                table.slot(id),
                "{id} from {cursor_at}"
            );
        }
    }

    /// Ids packed beside their place (small, positive), and ids that do
    /// not fit (negative, or too large): the same tables and slots.
    #[test]
    fn packed_and_paired_slots_agree() {
        for (offset, sign) in [(0i64, 1i64), (1 << 40, 1), (1 << 61, 1), (0, -1)] {
            let lists: Vec<Vec<i64>> = (0..300)
                .map(|i| {
                    (0..i % 11)
                        .map(|j| offset + sign * ((i * 7919 + j * 104_729) % 2003))
                        .collect()
                })
                .collect();
            let borrowed: Vec<&[i64]> = lists.iter().map(Vec::as_slice).collect();
            let total = lists.iter().map(Vec::len).sum();
            let (paired, paired_slots) = NodeTable::paired(&borrowed, total);
            let (table, slots) = NodeTable::with_slots(lists[0].clone(), &borrowed[1..]);
            let ids = |t: &NodeTable| (0..t.len()).map(|i| t.ids.at(i)).collect::<Vec<i64>>();
            assert_eq!(ids(&table), ids(&paired), "offset {offset}, sign {sign}");
            assert_eq!(slots, paired_slots, "offset {offset}, sign {sign}");
        }
    }

    #[test]
    fn lists_become_slots_of_one_table() {
        /// Each list's slots, cut from the flat slots.
        fn split(lists: &[&[i64]], mut slots: &[u32]) -> Vec<Vec<u32>> {
            let cut = lists.iter().map(|list| {
                let (head, tail) = slots.split_at(list.len());
                slots = tail;
                head.to_vec()
            });
            let cut: Vec<Vec<u32>> = cut.collect();
            assert!(slots.is_empty(), "one slot per id");
            cut
        }
        let ways: [&[i64]; 3] = [&[30, 10, 20, 30], &[], &[10, 40]];
        let (table, flat) = NodeTable::with_slots(ways[0].to_vec(), &ways[1..]);
        let slots = split(&ways, &flat);
        assert_eq!(table.len(), 4);
        for (list, list_slots) in ways.iter().zip(&slots) {
            let expected: Vec<u32> = list.iter().map(|&id| table.slot(id).unwrap()).collect();
            assert_eq!(list_slots, &expected);
        }
        table.fill(table.slot(40).unwrap(), 1.0, 2.0);
        assert_eq!(table.fixed_at(slots[2][1]), Some((10_000_000, 20_000_000)));
        assert_eq!(table.fixed_at(slots[2][0]), None);

        // Many lists, sharing ids, some empty.
        let many: Vec<Vec<i64>> = (0..500)
            .map(|i| {
                (0..i % 13)
                    .map(|j| (i * 7919 + j * 104_729) % 3001 - 1500)
                    .collect()
            })
            .collect();
        let borrowed: Vec<&[i64]> = many.iter().map(Vec::as_slice).collect();
        let (table, flat) = NodeTable::with_slots(many[0].clone(), &borrowed[1..]);
        let mut distinct: Vec<i64> = many.iter().flatten().copied().collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(table.len(), distinct.len());
        for (list, list_slots) in many.iter().zip(split(&borrowed, &flat)) {
            let expected: Vec<u32> = list.iter().map(|&id| table.slot(id).unwrap()).collect();
            assert_eq!(list_slots, expected);
        }
    }

    #[test]
    fn packing_round_trips_the_whole_range() {
        for (lon, lat) in [
            (0, 0),
            (-1, -1),
            (1_800_000_000, -900_000_000),
            (-1_800_000_000, 900_000_000),
        ] {
            assert_eq!(unpack(pack(lon, lat)), (lon, lat));
            assert!(pack(lon, lat) < MISSING);
        }
    }

    #[test]
    fn wanted_entries_of_a_block_are_found_rising_or_not() {
        let table = NodeTable::new(vec![3, 8, 9, 40, 41, 100]);
        let rising: Vec<i64> = (1..=50).collect();
        let mut found = Vec::new();
        table.for_each_wanted(&rising, true, |entry, slot| found.push((entry, slot)));
        assert_eq!(found, [(2, 0), (7, 1), (8, 2), (39, 3), (40, 4)]);
        let shuffled = [41, 2, 100, 8, 7];
        let mut found = Vec::new();
        table.for_each_wanted(&shuffled, false, |entry, slot| found.push((entry, slot)));
        assert_eq!(found, [(0, 4), (2, 5), (3, 1)]);
        for len in 0..70 {
            let ids: Vec<i64> = (0..len).map(|i| i * 3).collect();
            for target in -1..len * 3 + 2 {
                let below = ids.iter().filter(|&&id| id < target).count();
                assert_eq!(gallop(&ids, target), below, "len {len} target {target}");
                let at = ids.len();
                assert_eq!(
                    gallop_back_in(ids.as_slice(), at, target),
                    below,
                    "len {len} target {target}"
                );
                // The same from the middle, on the table's chunked ids.
                let chunked = SortedIds::new(ids.clone());
                let from = ids.len() / 2;
                let below_from = from.max(below);
                assert_eq!(gallop_in(&chunked, from, target), below_from);
                assert_eq!(gallop_back_in(&chunked, at, target), below);
            }
        }
    }

    #[test]
    fn id_ranges_select_blobs() {
        let table = NodeTable::new(vec![5, 20, 40]);
        assert!(table.wants_any_in(1, 5));
        assert!(!table.wants_any_in(6, 19));
        assert!(table.wants_any_in(30, 100));
        assert!(!table.wants_any_in(41, 100));
    }
}
