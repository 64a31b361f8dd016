//! Touching rings: which rings meet at which points, whether they cross
//! there, and whether their contacts cut a polygon's interior in pieces.
//!
//! These are the tests that decide whether rings as walked make valid OGC
//! polygons or must be redrawn.
//!
//! In: closed point rings and touch points. Out: the contacts per point,
//! the groups of touching rings, and yes/no answers.

use rustc_hash::FxHashMap as HashMap;

use super::Point;

/// Whether the interior of a polygon with these (simple, non-crossing)
/// rings is connected. It is not when the rings, linked by the points they
/// share, form a cycle: two holes touching at two points, a hole touching
/// the shell twice, three holes touching in a round. Rings sharing one
/// point with several others (a star) leave the interior whole.
pub(super) fn interior_connected(shell: &[Point], holes: &[&[Point]]) -> bool {
    if holes.is_empty() {
        return true;
    }
    let rings = std::iter::once(shell).chain(holes.iter().copied());
    let mut rings_at: HashMap<Point, Vec<u32>> = HashMap::default();
    for (r, ring) in (0u32..).zip(rings) {
        // A closed ring repeats its first point last; each point once.
        for &p in &ring[1..] {
            rings_at.entry(p).or_default().push(r);
        }
    }
    let mut sets = DisjointSets::new(holes.len() + 1);
    // A cycle is found whatever the order the points come in.
    for rings in rings_at.values() {
        for &r in &rings[1..] {
            if !sets.union(rings[0], r) {
                return false;
            }
        }
    }
    true
}

/// Union-find over ring numbers.
pub(super) struct DisjointSets(Vec<u32>);

impl DisjointSets {
    pub(super) fn new(n: usize) -> Self {
        DisjointSets((0..n as u32).collect())
    }

    pub(super) fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let up = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = up;
            x = up;
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    pub(super) fn union(&mut self, a: u32, b: u32) -> bool {
        let (a, b) = (self.find(a), self.find(b));
        self.0[a as usize] = b;
        a != b
    }
}

/// The rings that pass each touch point, and the groups of rings that
/// touch one another (directly or through others).
pub(super) struct Touching {
    /// Per touch point, each ring through it with its neighbours there.
    pub(super) at: HashMap<Point, Vec<(u32, [Point; 2])>>,
    /// Per ring, its group's number.
    pub(super) group: Vec<u32>,
}

impl Touching {
    pub(super) fn new(rings: &[&[Point]], touches: &[Point]) -> Self {
        let mut at: HashMap<Point, Vec<(u32, [Point; 2])>> =
            touches.iter().map(|&p| (p, Vec::new())).collect();
        for (r, ring) in (0u32..).zip(rings) {
            // Rings are closed: ring[0] == ring[n - 1], and the points
            // before and after ring[k] are ring[k - 1] and ring[k + 1].
            let n = ring.len() - 1;
            for k in 0..n {
                if let Some(list) = at.get_mut(&ring[k]) {
                    let before = ring[(k + n - 1) % n];
                    list.push((r, [before, ring[k + 1]]));
                }
            }
        }
        let mut sets = DisjointSets::new(rings.len());
        for list in at.values() {
            for &(r, _) in &list[1..] {
                sets.union(list[0].0, r);
            }
        }
        let group = (0..rings.len() as u32).map(|r| sets.find(r)).collect();
        Touching { at, group }
    }

    /// Whether two rings cross at a touch point: around the point, their
    /// segments alternate (one ring's, the other's, the first's again).
    pub(super) fn rings_cross(&self) -> bool {
        self.at.iter().any(|(&here, list)| {
            let mut around: Vec<(Point, u32)> = list
                .iter()
                .flat_map(|&(r, ends)| ends.map(|end| (end, r)))
                .collect();
            around.sort_by(|a, b| counter_clockwise(here, a.0, b.0));
            // Non-crossing pairs nest like brackets: a ring's second
            // segment must close the innermost ring still open.
            let mut open: Vec<u32> = Vec::new();
            for (_, r) in around {
                if open.last() == Some(&r) {
                    open.pop();
                } else if open.contains(&r) {
                    return true;
                } else {
                    open.push(r);
                }
            }
            false
        })
    }
}

/// Orders the directions from `at` to `a` and to `b` counter-clockwise,
/// starting from the positive x axis. Exact on the integer grid.
pub(super) fn counter_clockwise(at: Point, a: Point, b: Point) -> std::cmp::Ordering {
    let direction = |p: Point| {
        (
            i128::from(p.0) - i128::from(at.0),
            i128::from(p.1) - i128::from(at.1),
        )
    };
    // 0: the upper half plane and the positive x axis; 1: the rest.
    let half = |d: (i128, i128)| u8::from(d.1 < 0 || (d.1 == 0 && d.0 < 0));
    let (da, db) = (direction(a), direction(b));
    half(da)
        .cmp(&half(db))
        .then_with(|| (da.1 * db.0).cmp(&(da.0 * db.1)))
}
