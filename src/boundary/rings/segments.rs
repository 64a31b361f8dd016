//! Segments: member ways cut into straight pieces between node positions,
//! pieces drawn an even number of times cancelled, and crossings refused.
//!
//! Assembly works on segments rather than ways because ways run either way,
//! repeat and double back; a segment is direction-free and comparable.
//!
//! In: member ways. Out: sorted, normalised segments that neither cross nor
//! overlap, or where they do ([`Invalid`]).

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{Coord, Line};

use super::{Invalid, MemberWay, Point};

pub(super) type Segment = (Point, Point);

pub(super) fn collect_segments(ways: &[MemberWay]) -> Vec<Segment> {
    let mut segments = Vec::new();
    for way in ways {
        for pair in way.points.windows(2) {
            if pair[0] != pair[1] {
                segments.push(normalise(pair[0], pair[1]));
            }
        }
    }
    segments
}

pub(super) fn normalise(a: Point, b: Point) -> Segment {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Removes segments that occur an even number of times and keeps one of an
/// odd run: the same way twice cancels out; a spike (out and back) vanishes.
pub(super) fn cancel_duplicates(mut segments: Vec<Segment>) -> Vec<Segment> {
    sort_segments(&mut segments);
    let mut kept = Vec::with_capacity(segments.len());
    let mut i = 0;
    while i < segments.len() {
        let run = segments[i..]
            .iter()
            .take_while(|&&s| s == segments[i])
            .count();
        if run % 2 == 1 {
            kept.push(segments[i]);
        }
        i += run;
    }
    kept
}

/// A point as one integer ordered as the point is: (x, y), each shifted
/// from `i32` to `u32` order. Integers compare in one step, where tuples
/// branch on their first member; both of the assembly's sorts are keyed so.
pub(super) fn point_key(p: Point) -> u64 {
    let unsigned = |v: i32| u64::from((v as u32) ^ 0x8000_0000);
    unsigned(p.0) << 32 | unsigned(p.1)
}

pub(super) fn key_point(key: u64) -> Point {
    let signed = |v: u64| ((v as u32) ^ 0x8000_0000) as i32;
    (signed(key >> 32), signed(key))
}

/// Sorts segments as `sort_unstable` would, through [`point_key`].
pub(super) fn sort_segments(segments: &mut [Segment]) {
    let mut keys: Vec<u128> = segments
        .iter()
        .map(|s| u128::from(point_key(s.0)) << 64 | u128::from(point_key(s.1)))
        .collect();
    keys.sort_unstable();
    for (segment, key) in segments.iter_mut().zip(keys) {
        *segment = (key_point((key >> 64) as u64), key_point(key as u64));
    }
}

pub(super) fn to_line(segment: &Segment) -> Line<f64> {
    let coord = |p: Point| Coord {
        x: f64::from(p.0),
        y: f64::from(p.1),
    };
    Line::new(coord(segment.0), coord(segment.1))
}

/// Rejects segments that cross, overlap, or touch another segment anywhere
/// but at a shared end. A sweep along x keeps this near-linear for
/// boundaries, whose segments are short.
pub(super) fn check_crossings(segments: &[Segment]) -> Result<(), Invalid> {
    // Segments are normalised and sorted (`cancel_duplicates`), so they are
    // in order of their smaller x.
    debug_assert!(segments.is_sorted());
    for (k, a) in segments.iter().enumerate() {
        for b in &segments[k + 1..] {
            if b.0 .0 > a.1 .0 {
                break;
            }
            if let Some(at) = bad_contact(a, b) {
                return Err(Invalid(format!(
                    "self-intersection near {:.7} {:.7}",
                    f64::from(at.0) / 1e7,
                    f64::from(at.1) / 1e7
                )));
            }
        }
    }
    Ok(())
}

/// Where two segments meet other than end to end, if they do.
pub(super) fn bad_contact(a: &Segment, b: &Segment) -> Option<Point> {
    let y_overlap =
        a.0 .1.min(a.1 .1) <= b.0 .1.max(b.1 .1) && b.0 .1.min(b.1 .1) <= a.0 .1.max(a.1 .1);
    if !y_overlap {
        return None;
    }
    let shared = [a.0, a.1].iter().find(|&&p| p == b.0 || p == b.1).copied();
    if let Some(at) = shared {
        // Segments sharing an end, not on one line, meet only there: the
        // usual case (neighbours along a ring), decided exactly and
        // without computing the intersection. On one line, they meet only
        // there when they leave it in opposite directions: the next
        // vertex along a straight border (a densely drawn one has many).
        if !run_on(at, a, b) {
            return None;
        }
    }
    let shared = shared.is_some();
    // One segment's ends strictly on one side of the other's line: they
    // cannot meet. Decided exactly, in integers, before the intersection
    // is computed; most pairs the sweep compares are this.
    if strictly_one_side(a, b) || strictly_one_side(b, a) {
        return None;
    }
    match line_intersection(to_line(a), to_line(b))? {
        LineIntersection::Collinear { intersection } => {
            // Collinear segments meeting at one shared end are fine.
            (intersection.start != intersection.end).then(|| a.0.max(b.0))
        }
        LineIntersection::SinglePoint { intersection, .. } => {
            let at = (intersection.x.round() as i32, intersection.y.round() as i32);
            let at_shared_end = shared && [a.0, a.1].contains(&at) && [b.0, b.1].contains(&at);
            (!at_shared_end).then_some(at)
        }
    }
}

/// True when both ends of `b` lie strictly on one side of the line
/// through `a` (exact, see [`cross`]).
fn strictly_one_side(a: &Segment, b: &Segment) -> bool {
    let (first, second) = (side_of(a, b.0), side_of(a, b.1));
    first != 0 && first.signum() == second.signum()
}

/// The cross product of `a`'s direction and `p`'s offset from `a`'s start:
/// positive left of `a`, negative right, zero on its line.
fn side_of(a: &Segment, p: Point) -> i128 {
    cross(offset(a.1, a.0), offset(p, a.0))
}

/// For segments sharing the end `at`: whether they leave it along one line
/// in one direction (their other ends on one side of it), so that they
/// overlap beyond it. Exact, see [`cross`].
#[inline]
pub(super) fn run_on(at: Point, a: &Segment, b: &Segment) -> bool {
    let other = |s: &Segment| if s.0 == at { s.1 } else { s.0 };
    let (u, v) = (offset(other(a), at), offset(other(b), at));
    cross(u, v) == 0 && dot(u, v) >= 0
}

/// `p - from`, exact: a coordinate's difference fits in 33 bits.
pub(super) fn offset(p: Point, from: Point) -> (i64, i64) {
    let d = |v: i32, o: i32| i64::from(v) - i64::from(o);
    (d(p.0, from.0), d(p.1, from.1))
}

/// Whether every coordinate of `u` and `v` fits in 31 bits (any offset of
/// under 214°, as a ring's nearly always are): then each product of two is
/// under 2^62 in size, and a sum or difference of two fits in an `i64`.
#[inline(always)]
fn small(u: (i64, i64), v: (i64, i64)) -> bool {
    let fits = |c: i64| c.unsigned_abs() < 1 << 31;
    fits(u.0) && fits(u.1) && fits(v.0) && fits(v.1)
}

/// The cross product of two [`offset`]s, exact: in `i64` when they are
/// [`small`], else in `i128`.
#[inline(always)]
pub(super) fn cross(u: (i64, i64), v: (i64, i64)) -> i128 {
    if small(u, v) {
        return i128::from(u.0 * v.1 - v.0 * u.1);
    }
    i128::from(u.0) * i128::from(v.1) - i128::from(v.0) * i128::from(u.1)
}

/// The dot product of two [`offset`]s, exact as [`cross`] is.
#[inline(always)]
fn dot(u: (i64, i64), v: (i64, i64)) -> i128 {
    if small(u, v) {
        return i128::from(u.0 * v.0 + u.1 * v.1);
    }
    i128::from(u.0) * i128::from(v.0) + i128::from(u.1) * i128::from(v.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `run_on` against its definition in `i128`, on offsets of every size
    /// from a shared end, around the 31 bits where `cross` and `dot` leave
    /// `i64`.
    #[test]
    fn run_on_is_collinear_and_not_opposite() {
        let sizes = [
            0i64,
            1,
            2,
            3,
            1 << 20,
            (1 << 31) - 1,
            1 << 31,
            (1 << 31) + 1,
        ];
        let offsets: Vec<i64> = sizes.iter().flat_map(|&v| [v, -v]).collect();
        let mut state = 0x853c_49e6_748f_ea9bu64;
        let mut pick = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut cases, mut overlapping) = (0, 0);
        for _ in 0..200_000 {
            let at = (pick(3) as i32 - 1) * 1_000_000_000;
            let at = (at, -at / 2);
            let scale = [1, 1, 1, 2, 3][pick(5)];
            let mut offset = || offsets[pick(offsets.len())];
            let steps = [offset(), offset(), offset() * scale, offset() * scale];
            let end = |dx: i64, dy: i64| {
                let x = i32::try_from(i64::from(at.0) + dx).ok()?;
                Some((x, i32::try_from(i64::from(at.1) + dy).ok()?))
            };
            let (Some(p), Some(q)) = (end(steps[0], steps[1]), end(steps[2], steps[3])) else {
                continue;
            };
            if p == at || q == at {
                continue;
            }
            let (a, b) = (normalise(at, p), normalise(q, at));
            // Collinear, and the other ends not on opposite sides of `at`.
            let d = |r: Point, o: Point| {
                (
                    i128::from(r.0) - i128::from(o.0),
                    i128::from(r.1) - i128::from(o.1),
                )
            };
            let ((ux, uy), (vx, vy)) = (d(p, at), d(q, at));
            let want = ux * vy == vx * uy && ux * vx + uy * vy >= 0;
            assert_eq!(run_on(at, &a, &b), want, "{a:?} {b:?} at {at:?}");
            cases += 1;
            overlapping += usize::from(want);
        }
        // Both answers met often, not only the easy one.
        assert!(
            cases > 50_000 && overlapping > 1_000,
            "{cases} {overlapping}"
        );
    }
}
