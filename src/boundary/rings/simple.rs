//! Simple rings: member ways that join end to end into rings which pass no
//! point twice and cross nothing, recognised without the segment graph.
//!
//! Why: nearly every commune is this case, yet the general assembly sorts
//! its segments twice (to cancel repeats, then to find each point's
//! segments) and walks a graph, most of the boundary stage on a country's
//! densely drawn borders. Here the ways are chained at their ends, one sort
//! by x orders the segments for the crossing sweep, and the same sweep
//! proves that no point is passed twice: two segments that meet anywhere
//! but at the ring vertex between them are a contact. What this cannot
//! prove goes to the general path, which then gives its own answer and its
//! own words; for everything this accepts, the general path gives the same
//! rings, point for point (the tests compare them on random rings, and the
//! `rings` fuzz target the whole assembly both ways).
//!
//! In: member ways. Out: the rings as the general walk draws them (each
//! closed, from its smallest point towards the smaller of that point's
//! neighbours, in order of their smallest point), or `None`.

use super::segments::{bad_contact, normalise, point_key, run_on, Segment};
use super::{MemberWay, Point};

/// The rings of `ways` when they are simple (see the module header).
#[cfg(test)]
pub(super) fn simple_rings(ways: &[MemberWay]) -> Option<Vec<Vec<Point>>> {
    let rings = simple_rings_measured(ways, &[])?;
    Some(rings.into_iter().map(|(ring, _)| ring).collect())
}

/// [`simple_rings`], each with the sum of its ways' `excess` (one value a
/// way, in the way's direction, as [`crate::boundary::area::path_excess`]
/// gives it): the ring's excess, whose sign depends on the direction the
/// ring is drawn in. Zero for every ring when `excess` is empty.
pub(super) fn simple_rings_measured(
    ways: &[MemberWay],
    excess: &[f64],
) -> Option<Vec<(Vec<Point>, f64)>> {
    let (cycles, sums) = chain(ways, excess)?;
    crossing_free(&cycles).then(|| canonical(cycles, sums))
}

/// The ways joined at their ends into cycles (no point repeated at the
/// end), when every end meets exactly one other end and each cycle has at
/// least three points; and each cycle's sum of `excess` (see
/// [`simple_rings_measured`]).
fn chain(ways: &[MemberWay], excess: &[f64]) -> Option<(Vec<Vec<Point>>, Vec<f64>)> {
    // No ways make no ring: the general path says so.
    if ways.is_empty() {
        return None;
    }
    // An end is `way << 1 | side`, side 1 for the last point.
    let mut ends: Vec<(u64, u32)> = Vec::with_capacity(2 * ways.len());
    for (w, way) in (0u32..).zip(ways) {
        let (first, last) = (way.points.first()?, way.points.last()?);
        ends.push((point_key(*first), w << 1));
        ends.push((point_key(*last), w << 1 | 1));
    }
    ends.sort_unstable();
    let mut partner = vec![0u32; ends.len()];
    for pair in ends.chunks(2) {
        let [a, b] = pair else { return None };
        if a.0 != b.0 {
            return None;
        }
        partner[a.1 as usize] = b.1;
        partner[b.1 as usize] = a.1;
    }
    // Four ends at one point: rings touch there, or one passes it twice.
    if ends.windows(2).skip(1).step_by(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    let mut used = vec![false; ways.len()];
    let (mut cycles, mut sums) = (Vec::new(), Vec::new());
    for start in 0..ways.len() {
        if used[start] {
            continue;
        }
        let mut cycle: Vec<Point> = Vec::new();
        let mut sum = 0.0;
        let mut entry = (start as u32) << 1;
        loop {
            let w = (entry >> 1) as usize;
            if std::mem::replace(&mut used[w], true) {
                // Cannot happen once every end has one partner (the walk
                // returns to its start first); refused, not trusted.
                return None;
            }
            let points = &ways[w].points;
            // Every point but the last, which the next way starts with.
            let mut push = |p: Point| {
                if cycle.last() != Some(&p) {
                    cycle.push(p);
                }
            };
            // A way walked backwards adds the opposite of its excess.
            let way_excess = excess.get(w).copied().unwrap_or(0.0);
            match entry & 1 {
                0 => {
                    points[..points.len() - 1].iter().for_each(|&p| push(p));
                    sum += way_excess;
                }
                _ => {
                    points[1..].iter().rev().for_each(|&p| push(p));
                    sum -= way_excess;
                }
            }
            entry = partner[(entry ^ 1) as usize];
            if entry == (start as u32) << 1 {
                break;
            }
        }
        while cycle.len() > 1 && cycle.first() == cycle.last() {
            cycle.pop();
        }
        if cycle.len() < 3 {
            return None;
        }
        cycles.push(cycle);
        sums.push(sum);
    }
    Some((cycles, sums))
}

/// Whether the cycles' segments meet only where each meets the next one
/// of its cycle, and there only end to end: then no point is passed twice
/// (a point passed twice has two segments meeting there that are not
/// neighbours) and nothing crosses or overlaps.
fn crossing_free(cycles: &[Vec<Point>]) -> bool {
    let total: usize = cycles.iter().map(Vec::len).sum();
    let mut segments: Vec<Segment> = Vec::with_capacity(total);
    // The number of the segment after each one along its cycle.
    let mut next: Vec<u32> = Vec::with_capacity(total);
    for cycle in cycles {
        let start = segments.len();
        for (i, &p) in cycle.iter().enumerate() {
            let following = if i + 1 == cycle.len() { 0 } else { i + 1 };
            segments.push(normalise(p, cycle[following]));
            next.push((start + following) as u32);
        }
    }
    // In order of the smaller x, as the general sweep has them; the order
    // among equal x does not change which pairs are compared.
    let mut order: Vec<u64> = (0u32..)
        .zip(&segments)
        .map(|(i, s)| u64::from((s.0 .0 as u32) ^ 0x8000_0000) << 32 | u64::from(i))
        .collect();
    order.sort_unstable();
    // Each segment's box, in that order, beside its number: the sweep
    // reads one array front to back and compares boxes before segments.
    let extents: Vec<Extent> = order
        .iter()
        .map(|&key| Extent::of(&segments[key as u32 as usize], key as u32))
        .collect();
    for (k, a) in extents.iter().enumerate() {
        for b in &extents[k + 1..] {
            if b.x.0 > a.x.1 {
                break;
            }
            if b.y.0 > a.y.1 || a.y.0 > b.y.1 {
                continue;
            }
            let (i, j) = (a.number, b.number);
            let (sa, sb) = (&segments[i as usize], &segments[j as usize]);
            let shared = [sa.0, sa.1].into_iter().find(|&p| p == sb.0 || p == sb.1);
            if let Some(at) = shared {
                if next[i as usize] != j && next[j as usize] != i {
                    return false;
                }
                // Neighbours along a cycle, meeting at the point between
                // them: they overlap only when they run on from it along
                // one line in one direction, as `bad_contact` decides.
                if run_on(at, sa, sb) {
                    return false;
                }
                continue;
            }
            // In the general sweep's order, so that both ask the same.
            let (first, second) = if sa <= sb { (sa, sb) } else { (sb, sa) };
            if bad_contact(first, second).is_some() {
                return false;
            }
        }
    }
    true
}

/// A segment's smallest and largest x and y, and its number.
struct Extent {
    x: (i32, i32),
    y: (i32, i32),
    number: u32,
}

impl Extent {
    fn of(segment: &Segment, number: u32) -> Self {
        let ((x0, y0), (x1, y1)) = *segment;
        Extent {
            x: (x0, x1),
            y: (y0.min(y1), y0.max(y1)),
            number,
        }
    }
}

/// Each cycle as the general walk draws it: closed, from its smallest
/// point towards the smaller of that point's neighbours; the rings in
/// order of their smallest point, each with its sum.
fn canonical(cycles: Vec<Vec<Point>>, sums: Vec<f64>) -> Vec<(Vec<Point>, f64)> {
    let mut rings: Vec<(Vec<Point>, f64)> = cycles
        .into_iter()
        .zip(sums)
        .map(|(cycle, sum)| {
            let n = cycle.len();
            let m = (0..n).min_by_key(|&i| cycle[i]).unwrap_or(0);
            let (before, after) = (cycle[(m + n - 1) % n], cycle[(m + 1) % n]);
            let mut ring = Vec::with_capacity(n + 1);
            if after < before {
                ring.extend_from_slice(&cycle[m..]);
                ring.extend_from_slice(&cycle[..m]);
            } else {
                ring.extend(cycle[..=m].iter().rev());
                ring.extend(cycle[m + 1..].iter().rev());
            }
            ring.push(cycle[m]);
            (ring, sum)
        })
        .collect();
    rings.sort_unstable_by_key(|(ring, _)| ring[0]);
    rings
}
