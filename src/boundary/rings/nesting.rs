//! Nesting: which ring lies inside which, from areas and point-in-ring
//! tests, so that outer and inner rings are told apart by geometry.
//!
//! Roles on member ways are not trusted for this: a ring nested in an odd
//! number of rings is a hole whatever its ways say.
//!
//! In: closed point rings. Out: the rings with area, parent and depth.

use super::segments::{cross, offset};
use super::Point;

/// A ring with its nesting: `parent` is the smallest ring around it.
pub(super) struct NestedRing {
    pub(super) points: Vec<Point>,
    /// The ring's spherical excess, when its ways' were summed (see
    /// [`super::simple::simple_rings_measured`]); 0 otherwise.
    pub(super) excess: f64,
    pub(super) area: f64,
    pub(super) parent: Option<usize>,
    pub(super) depth: usize,
}

impl NestedRing {
    /// A hole (odd depth), as opposed to an outer ring.
    pub(super) fn is_inner(&self) -> bool {
        self.depth % 2 == 1
    }
}

/// Sorts rings (each with its excess) by size and finds, for each, the
/// smallest ring holding it.
pub(super) fn nest(rings: Vec<(Vec<Point>, f64)>) -> Vec<NestedRing> {
    let mut nested: Vec<NestedRing> = rings
        .into_iter()
        .map(|(points, excess)| NestedRing {
            area: signed_area(&points).abs(),
            points,
            excess,
            parent: None,
            depth: 0,
        })
        .collect();
    nested.sort_by(|a, b| {
        b.area
            .total_cmp(&a.area)
            .then_with(|| a.points.cmp(&b.points))
    });
    for i in 0..nested.len() {
        let parent = (0..i)
            .rev()
            .find(|&j| ring_inside(&nested[i].points, &nested[j].points));
        nested[i].parent = parent;
        nested[i].depth = parent.map_or(0, |j| nested[j].depth + 1);
    }
    nested
}

/// A closed ring's signed area in square grid units, positive when it winds
/// counter-clockwise. Its sign is exact: summed in integers from the first
/// point, so that drawing a ring the right way round ([`super::polygons`])
/// agrees with the robust winding test the join makes of it.
pub(super) fn signed_area(points: &[Point]) -> f64 {
    let Some(&origin) = points.first() else {
        return 0.0;
    };
    let twice: i128 = (points.windows(2))
        .map(|w| cross(offset(w[0], origin), offset(w[1], origin)))
        .sum();
    twice as f64 / 2.0
}

/// True when `inner` lies inside `outer`. Rings do not cross (checked), so
/// one segment midpoint of `inner` that is not on `outer` decides.
pub(super) fn ring_inside(inner: &[Point], outer: &[Point]) -> bool {
    for w in inner.windows(2) {
        let mid = (
            (f64::from(w[0].0) + f64::from(w[1].0)) / 2.0,
            (f64::from(w[0].1) + f64::from(w[1].1)) / 2.0,
        );
        match point_in_ring(mid, outer) {
            Some(inside) => return inside,
            None => continue,
        }
    }
    false
}

/// Even-odd test; `None` when the point lies on the ring itself.
pub(super) fn point_in_ring(p: (f64, f64), ring: &[Point]) -> Option<bool> {
    let mut inside = false;
    for w in ring.windows(2) {
        let (a, b) = (
            (f64::from(w[0].0), f64::from(w[0].1)),
            (f64::from(w[1].0), f64::from(w[1].1)),
        );
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        let within = p.0 >= a.0.min(b.0)
            && p.0 <= a.0.max(b.0)
            && p.1 >= a.1.min(b.1)
            && p.1 <= a.1.max(b.1);
        if cross == 0.0 && within {
            return None;
        }
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < a.0 + (p.1 - a.1) * (b.0 - a.0) / (b.1 - a.1) {
            inside = !inside;
        }
    }
    Some(inside)
}
