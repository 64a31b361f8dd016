//! The node table's sorted ids in half the memory.
//!
//! Why: the ids of the nodes a run needs are kept through the whole node
//! stage, beside their positions and the ways' slots: 8 bytes a node of a
//! national run's 13 M border nodes, the largest part of its peak. Sorted
//! ids lie close together, so they are kept in chunks of `CHUNK`, each
//! its first id and every id's 32-bit offset from it: 4 bytes a node. A
//! chunk that spans 2^32 ids or more (ids far apart, a handful of nodes
//! across the planet) makes the whole list keep plain `i64`s.
//!
//! In: sorted distinct ids. Out: the same list, read by position.

/// Ids a chunk holds.
const CHUNK: usize = 1024;

/// From how many ids the list is kept in chunks (8 MB of plain ids).
const CHUNKED_FROM: usize = 1 << 20;

/// A rising list read by position: the table's ids, or a plain slice (a
/// block's ids, the member ways' ids), searched the same way.
pub trait Sorted {
    fn len(&self) -> usize;
    fn at(&self, i: usize) -> i64;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many leading ids are below `target`.
    fn count_below(&self, target: i64) -> usize {
        self.count_below_in(0, self.len(), target)
    }

    /// [`Sorted::count_below`] over `low..high`, plus `low`.
    fn count_below_in(&self, low: usize, high: usize, target: i64) -> usize {
        bisect(|i| self.at(i), low, high, target)
    }
}

/// The first position of `low..high` whose id is not below `target`.
#[inline(always)]
fn bisect(at: impl Fn(usize) -> i64, mut low: usize, mut high: usize, target: i64) -> usize {
    while low < high {
        let mid = low + (high - low) / 2;
        if at(mid) < target {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

impl Sorted for [i64] {
    #[inline(always)]
    fn len(&self) -> usize {
        <[i64]>::len(self)
    }

    #[inline(always)]
    fn at(&self, i: usize) -> i64 {
        self[i]
    }

    fn count_below_in(&self, low: usize, high: usize, target: i64) -> usize {
        low + self[low..high].partition_point(|&id| id < target)
    }
}

/// Sorted distinct ids, in chunks or plain.
#[derive(Debug)]
pub enum SortedIds {
    Chunked {
        /// The first id of each chunk.
        bases: Vec<i64>,
        /// Each id less its chunk's first.
        offsets: Vec<u32>,
    },
    Plain(Vec<i64>),
}

impl Default for SortedIds {
    fn default() -> Self {
        SortedIds::Plain(Vec::new())
    }
}

impl SortedIds {
    /// `ids` must rise.
    pub fn new(ids: Vec<i64>) -> Self {
        debug_assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let fits = ids.chunks(CHUNK).all(|chunk| {
            let span = chunk[chunk.len() - 1].abs_diff(chunk[0]);
            span <= u64::from(u32::MAX)
        });
        // A small table keeps the plain slice, the fastest to search: the
        // chunks pay where the memory is (a country's border nodes).
        if !fits || ids.len() < CHUNKED_FROM {
            return SortedIds::Plain(ids);
        }
        let bases = ids.chunks(CHUNK).map(|chunk| chunk[0]).collect();
        // Sized up front: collected from chunks, it would grow by doubling.
        let mut offsets = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(CHUNK) {
            offsets.extend(chunk.iter().map(|&id| id.abs_diff(chunk[0]) as u32));
        }
        SortedIds::Chunked { bases, offsets }
    }
}

impl Sorted for SortedIds {
    #[inline(always)]
    fn len(&self) -> usize {
        match self {
            SortedIds::Chunked { offsets, .. } => offsets.len(),
            SortedIds::Plain(ids) => ids.len(),
        }
    }

    #[inline(always)]
    fn at(&self, i: usize) -> i64 {
        match self {
            SortedIds::Chunked { bases, offsets } => {
                bases[i / CHUNK].wrapping_add(i64::from(offsets[i]))
            }
            SortedIds::Plain(ids) => ids[i],
        }
    }

    fn count_below_in(&self, low: usize, high: usize, target: i64) -> usize {
        match self {
            SortedIds::Plain(ids) => ids.count_below_in(low, high, target),
            SortedIds::Chunked { bases, .. } => {
                // The last chunk starting below the target holds the
                // answer: chunks before it lie wholly below, those after
                // wholly above. A search of the bases, then of one chunk.
                let (first, last) = (low / CHUNK, high.div_ceil(CHUNK));
                let below = bases[first..last].partition_point(|&b| b < target);
                let chunk = first + below.saturating_sub(1);
                let from = (chunk * CHUNK).max(low);
                let to = ((chunk + 1) * CHUNK).min(high);
                bisect(|i| self.at(i), from, to, target)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chunked, plain (ids too far apart) and a slice answer alike.
    #[test]
    fn every_form_reads_and_searches_alike() {
        let near: Vec<i64> = (0..CHUNKED_FROM as i64 + 5000)
            .map(|i| 10_000_000_000 + i * 37 + i % 5)
            .collect();
        let far: Vec<i64> = (0..3000)
            .map(|i| i * 3_000_000_000 - 4_000_000_000)
            .collect();
        for ids in [near, far, vec![5], Vec::new()] {
            let sorted = SortedIds::new(ids.clone());
            assert_eq!(Sorted::len(&sorted), ids.len());
            for (i, &id) in ids.iter().enumerate() {
                assert_eq!(sorted.at(i), id);
            }
            let targets = (ids.iter().step_by(97))
                .flat_map(|&id| [id - 1, id, id + 1])
                .chain([i64::MIN, i64::MAX]);
            for target in targets {
                let expected = ids.partition_point(|&id| id < target);
                assert_eq!(sorted.count_below(target), expected, "{target}");
                assert_eq!(ids.as_slice().count_below(target), expected);
                let (low, high) = (ids.len() / 3, ids.len() * 2 / 3);
                let in_range = low + ids[low..high].partition_point(|&id| id < target);
                assert_eq!(
                    sorted.count_below_in(low, high, target),
                    in_range,
                    "{target}"
                );
            }
        }
        assert!(matches!(
            SortedIds::new((0..CHUNKED_FROM as i64).map(|i| i * 1_000).collect()),
            SortedIds::Chunked { .. }
        ));
        assert!(matches!(
            SortedIds::new((0..10).map(|i| i * 1_000).collect()),
            SortedIds::Plain(_)
        ));
        assert!(matches!(
            SortedIds::new(vec![0, 1 << 33]),
            SortedIds::Plain(_)
        ));
    }
}
