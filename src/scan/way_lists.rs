//! Many short lists, one per way, kept in one vector: the node ids of the
//! member ways a scan keeps, and then the node slots that replace them.
//!
//! Why not a vector per way: a run on boundaries keeps tens of thousands of
//! member ways. A vector each cost an allocation as the way stage found it,
//! another as its ids became slots, and a free of each on one thread when
//! the boundaries were built, while the other core had nothing to do. Here
//! a list is a range of one vector.
//!
//! In: `(way id, values)` as the stages find them. Out: the lists in the
//! order they were pushed, and a lookup by way id ([`MemberWays`]).

use rustc_hash::FxHashMap;

/// Lists of values, each under a way id, in the order pushed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WayLists<T> {
    ids: Vec<i64>,
    /// Where each list ends in `values`; it starts where the one before ends.
    ends: Vec<usize>,
    values: Vec<T>,
}

impl<T> Default for WayLists<T> {
    fn default() -> Self {
        WayLists {
            ids: Vec::new(),
            ends: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T: Copy> WayLists<T> {
    /// Adds a list for `id`, its values appended by `fill`. When `fill`
    /// fails, what it appended is taken back and no list is added.
    pub fn push_with<E>(
        &mut self,
        id: i64,
        fill: impl FnOnce(&mut Vec<T>) -> Result<(), E>,
    ) -> Result<(), E> {
        let start = self.values.len();
        if let Err(e) = fill(&mut self.values) {
            self.values.truncate(start);
            return Err(e);
        }
        self.ids.push(id);
        self.ends.push(self.values.len());
        Ok(())
    }

    /// Moves `other`'s lists after these.
    pub fn append(&mut self, other: &mut WayLists<T>) {
        let offset = self.values.len();
        self.ids.append(&mut other.ids);
        self.ends
            .extend(other.ends.drain(..).map(|end| end + offset));
        self.values.append(&mut other.values);
    }

    /// Room for every list of `parts`, so that appending them allocates
    /// once.
    pub fn reserve_for<'a>(&mut self, parts: impl Iterator<Item = &'a WayLists<T>> + Clone)
    where
        T: 'a,
    {
        self.ids
            .reserve_exact(parts.clone().map(|p| p.ids.len()).sum());
        self.ends
            .reserve_exact(parts.clone().map(|p| p.ends.len()).sum());
        self.values
            .reserve_exact(parts.map(|p| p.values.len()).sum());
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Every value of every list, in order.
    pub fn values(&self) -> &[T] {
        &self.values
    }

    /// Takes every value out, in order, to be replaced by
    /// [`Self::with_values`]: the lists keep their ids and ends, and the
    /// values can be freed before their replacements are made.
    pub fn take_values(&mut self) -> Vec<T> {
        std::mem::take(&mut self.values)
    }

    /// The `k`th list.
    pub fn list(&self, k: usize) -> &[T] {
        let start = k.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.values[start..self.ends[k]]
    }

    /// `(way id, list)` in the order pushed.
    pub fn iter(&self) -> impl Iterator<Item = (i64, &[T])> {
        (0..self.len()).map(|k| (self.ids[k], self.list(k)))
    }

    /// The same lists, each value replaced: `values` holds the new values of
    /// every list, in order, and may run on past the last (the rest is
    /// dropped).
    /// [`Self::take_values`] may have emptied `self.values` first: the
    /// lists' ends still say how many values they hold.
    pub fn with_values<U>(self, mut values: Vec<U>) -> WayLists<U> {
        let len = self.ends.last().copied().unwrap_or(0);
        values.truncate(len);
        assert_eq!(values.len(), len, "a value for each value");
        WayLists {
            ids: self.ids,
            ends: self.ends,
            values,
        }
    }
}

/// Member ways' nodes as slots of the node table, looked up by way id. A
/// way found twice (a file with a duplicated id) keeps its last list.
#[derive(Debug, Default)]
pub struct MemberWays {
    lists: WayLists<u32>,
    by_id: FxHashMap<i64, usize>,
}

impl MemberWays {
    pub fn new(lists: WayLists<u32>) -> Self {
        let by_id = lists
            .ids
            .iter()
            .enumerate()
            .map(|(k, &id)| (id, k))
            .collect();
        MemberWays { lists, by_id }
    }

    /// The node slots of way `id`, if the extract holds it.
    pub fn get(&self, id: i64) -> Option<&[u32]> {
        self.by_id.get(&id).map(|&k| self.lists.list(k))
    }

    /// How many node refs the distinct ways hold.
    pub fn node_refs(&self) -> usize {
        self.by_id.values().map(|&k| self.lists.list(k).len()).sum()
    }

    /// How many distinct ways.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(entries: &[(i64, &[i64])]) -> WayLists<i64> {
        let mut lists = WayLists::default();
        for &(id, values) in entries {
            lists
                .push_with(id, |out| {
                    out.extend_from_slice(values);
                    Ok::<(), ()>(())
                })
                .unwrap();
        }
        lists
    }

    #[test]
    fn lists_keep_their_order_and_values_across_appends() {
        let mut first = lists(&[(7, &[1, 2, 3]), (8, &[])]);
        let mut second = lists(&[(9, &[4]), (3, &[5, 6])]);
        first.append(&mut second);
        assert!(second.is_empty() && second.values().is_empty());
        let seen: Vec<(i64, Vec<i64>)> = first.iter().map(|(id, l)| (id, l.to_vec())).collect();
        assert_eq!(
            seen,
            [
                (7, vec![1, 2, 3]),
                (8, vec![]),
                (9, vec![4]),
                (3, vec![5, 6])
            ]
        );
        assert_eq!(first.values(), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn a_failed_fill_adds_nothing() {
        let mut lists = lists(&[(1, &[10])]);
        let failed = lists.push_with(2, |out| {
            out.push(20);
            Err("broken")
        });
        assert_eq!(failed, Err("broken"));
        assert_eq!(lists.len(), 1);
        assert_eq!(lists.values(), [10]);
    }

    #[test]
    fn new_values_keep_the_lists_and_the_last_duplicate_wins() {
        let refs = lists(&[(5, &[100, 200]), (6, &[300]), (5, &[400])]);
        // Values for the lists, then more (a camera way's) to drop.
        let ways = MemberWays::new(refs.with_values(vec![0u32, 1, 2, 3, 99]));
        assert_eq!(ways.get(6), Some(&[2][..]));
        assert_eq!(ways.get(5), Some(&[3][..]));
        assert_eq!(ways.get(4), None);
        assert_eq!(ways.len(), 2);
        assert_eq!(ways.node_refs(), 2);
    }
}
