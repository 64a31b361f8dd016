//! Ring assembly: member ways → closed rings → polygons with holes.
//!
//! Why segments, not ways: OSM boundaries are drawn by many hands. Ways run
//! in either direction, appear twice, double back in spikes, and rings touch
//! at nodes. Like libosmium's assembler, we cut every way into segments
//! between node locations, cancel segments that occur an even number of
//! times (a way listed twice, a spike), refuse crossings and overlaps, walk
//! the rest into rings (splitting where a walk meets itself, so rings that
//! touch at a node come apart), and classify rings as outer or inner by
//! geometry: a ring nested in an odd number of rings is a hole. Roles are
//! only compared with the result, and a mismatch is a warning.
//!
//! Nothing is forced: an open ring or a crossing is an error with the place.
//!
//! In: way node positions in 1e-7 degrees. Out: a `MultiPolygon` (RFC 7946
//! winding: outer rings counter-clockwise, holes clockwise), or why not.

use geo::line_intersection::{line_intersection, LineIntersection};
// Point and segment keys are small integers: FxHash is several times faster
// than SipHash here, and no input can choose them to attack the table.
use geo::{Coord, Line, LineString, MultiPolygon, Polygon};
use rustc_hash::FxHashMap as HashMap;

/// A position on OSM's 1e-7 degree grid: exact, hashable, ordered.
pub type Point = (i32, i32);

/// One member way: its role and node positions.
#[derive(Debug, Clone)]
pub struct MemberWay {
    pub id: i64,
    pub role: String,
    pub points: Vec<Point>,
}

/// An assembled geometry and the warnings met on the way.
#[derive(Debug, Clone)]
pub struct Assembled {
    pub geometry: MultiPolygon<f64>,
    pub warnings: Vec<String>,
}

/// Why a geometry cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

/// Assembles member ways into polygons.
pub fn assemble(ways: &[MemberWay]) -> Result<Assembled, Invalid> {
    let segments = cancel_duplicates(collect_segments(ways));
    if segments.is_empty() {
        return Err(Invalid("no rings: the member ways enclose no area".into()));
    }
    check_crossings(&segments)?;
    let rings = walk_rings(&segments)?;
    let nested = nest(rings);
    let warnings = role_warnings(ways, &nested);
    Ok(Assembled {
        geometry: to_multipolygon(&nested),
        warnings,
    })
}

type Segment = (Point, Point);

fn collect_segments(ways: &[MemberWay]) -> Vec<Segment> {
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

fn normalise(a: Point, b: Point) -> Segment {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Removes segments that occur an even number of times and keeps one of an
/// odd run: the same way twice cancels out; a spike (out and back) vanishes.
fn cancel_duplicates(mut segments: Vec<Segment>) -> Vec<Segment> {
    segments.sort_unstable();
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

fn to_line(segment: &Segment) -> Line<f64> {
    let coord = |p: Point| Coord {
        x: f64::from(p.0),
        y: f64::from(p.1),
    };
    Line::new(coord(segment.0), coord(segment.1))
}

/// Rejects segments that cross, overlap, or touch another segment anywhere
/// but at a shared end. A sweep along x keeps this near-linear for
/// boundaries, whose segments are short.
fn check_crossings(segments: &[Segment]) -> Result<(), Invalid> {
    // Segments are normalised, so the sort by first point sorts by min x.
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_unstable_by_key(|&i| segments[i].0);
    for (k, &i) in order.iter().enumerate() {
        let a = segments[i];
        for &j in &order[k + 1..] {
            let b = segments[j];
            if b.0 .0 > a.1 .0 {
                break;
            }
            if let Some(at) = bad_contact(&a, &b) {
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
fn bad_contact(a: &Segment, b: &Segment) -> Option<Point> {
    let y_overlap =
        a.0 .1.min(a.1 .1) <= b.0 .1.max(b.1 .1) && b.0 .1.min(b.1 .1) <= a.0 .1.max(a.1 .1);
    if !y_overlap {
        return None;
    }
    let shared = [a.0, a.1].iter().any(|p| *p == b.0 || *p == b.1);
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

/// Walks segments into closed simple rings. A walk that comes back to a
/// point it already passed closes a ring there, so rings touching at a node
/// come apart. Every point must join an even number of segments.
fn walk_rings(segments: &[Segment]) -> Result<Vec<Vec<Point>>, Invalid> {
    let ends = SegmentEnds::new(segments);
    if let Some(open) = ends.open_end() {
        return Err(Invalid(format!(
            "open ring: ends at {:.7} {:.7} with no way to close it",
            f64::from(open.0) / 1e7,
            f64::from(open.1) / 1e7
        )));
    }
    let mut used = vec![false; segments.len()];
    let mut rings = Vec::new();
    for start in 0..segments.len() {
        if !used[start] {
            walk_from(start, segments, &ends, &mut used, &mut rings);
        }
    }
    Ok(rings)
}

/// Both ends of every segment, sorted by point, so the segments meeting at
/// a point are one run, in segment order. One sort instead of a map of
/// vectors: no allocation per point.
struct SegmentEnds(Vec<(Point, usize)>);

impl SegmentEnds {
    fn new(segments: &[Segment]) -> Self {
        let mut ends: Vec<(Point, usize)> = segments
            .iter()
            .enumerate()
            .flat_map(|(i, s)| [(s.0, i), (s.1, i)])
            .collect();
        ends.sort_unstable();
        SegmentEnds(ends)
    }

    /// The segments meeting at `point`, in segment order.
    fn at(&self, point: Point) -> impl Iterator<Item = usize> + '_ {
        let start = self.0.partition_point(|&(p, _)| p < point);
        self.0[start..]
            .iter()
            .take_while(move |&&(p, _)| p == point)
            .map(|&(_, segment)| segment)
    }

    /// The smallest point where an odd number of segments meet, if any.
    fn open_end(&self) -> Option<Point> {
        self.0
            .chunk_by(|a, b| a.0 == b.0)
            .find(|run| run.len() % 2 == 1)
            .map(|run| run[0].0)
    }
}

fn walk_from(
    start: usize,
    segments: &[Segment],
    ends: &SegmentEnds,
    used: &mut [bool],
    rings: &mut Vec<Vec<Point>>,
) {
    used[start] = true;
    let mut path = vec![segments[start].0, segments[start].1];
    let mut seen: HashMap<Point, usize> = HashMap::from_iter([(path[0], 0), (path[1], 1)]);
    loop {
        let here = *path.last().unwrap_or(&segments[start].0);
        let Some(next) = ends.at(here).find(|&s| !used[s]) else {
            return;
        };
        used[next] = true;
        let s = segments[next];
        let there = if s.0 == here { s.1 } else { s.0 };
        if let Some(&k) = seen.get(&there) {
            let mut ring: Vec<Point> = path.drain(k + 1..).collect();
            ring.insert(0, there);
            ring.push(there);
            for p in &ring[1..ring.len() - 1] {
                seen.remove(p);
            }
            rings.push(ring);
            if path.len() == 1 {
                return;
            }
        } else {
            seen.insert(there, path.len());
            path.push(there);
        }
    }
}

/// A ring with its nesting: `parent` is the smallest ring around it.
struct NestedRing {
    points: Vec<Point>,
    area: f64,
    parent: Option<usize>,
    depth: usize,
}

/// Sorts rings by size and finds, for each, the smallest ring holding it.
fn nest(rings: Vec<Vec<Point>>) -> Vec<NestedRing> {
    let mut nested: Vec<NestedRing> = rings
        .into_iter()
        .map(|points| NestedRing {
            area: signed_area(&points).abs(),
            points,
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

fn signed_area(points: &[Point]) -> f64 {
    points
        .windows(2)
        .map(|w| f64::from(w[0].0) * f64::from(w[1].1) - f64::from(w[1].0) * f64::from(w[0].1))
        .sum::<f64>()
        / 2.0
}

/// True when `inner` lies inside `outer`. Rings do not cross (checked), so
/// one segment midpoint of `inner` that is not on `outer` decides.
fn ring_inside(inner: &[Point], outer: &[Point]) -> bool {
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
fn point_in_ring(p: (f64, f64), ring: &[Point]) -> Option<bool> {
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

/// Outer rings (even depth) become polygons, with their direct children as holes.
fn to_multipolygon(rings: &[NestedRing]) -> MultiPolygon<f64> {
    let mut polygons: Vec<(usize, Vec<LineString<f64>>)> = Vec::new();
    let mut slot_of_outer: HashMap<usize, usize> = HashMap::default();
    for (i, ring) in rings.iter().enumerate() {
        if ring.depth % 2 == 0 {
            slot_of_outer.insert(i, polygons.len());
            polygons.push((i, Vec::new()));
        } else if let Some(slot) = ring.parent.and_then(|p| slot_of_outer.get(&p)) {
            polygons[*slot].1.push(oriented(&ring.points, false));
        }
    }
    let polygons = polygons
        .into_iter()
        .map(|(outer, holes)| Polygon::new(oriented(&rings[outer].points, true), holes))
        .collect();
    MultiPolygon::new(polygons)
}

/// A ring in degrees, counter-clockwise when `ccw`, else clockwise.
fn oriented(points: &[Point], ccw: bool) -> LineString<f64> {
    let mut coords: Vec<Coord<f64>> = points
        .iter()
        .map(|p| Coord {
            x: f64::from(p.0) / 1e7,
            y: f64::from(p.1) / 1e7,
        })
        .collect();
    if (signed_area(points) > 0.0) != ccw {
        coords.reverse();
    }
    LineString::new(coords)
}

/// Compares each way's role with the ring class it ended in.
fn role_warnings(ways: &[MemberWay], rings: &[NestedRing]) -> Vec<String> {
    let mut class_of_segment: HashMap<Segment, bool> = HashMap::default();
    for ring in rings {
        for w in ring.points.windows(2) {
            class_of_segment.insert(normalise(w[0], w[1]), ring.depth % 2 == 1);
        }
    }
    let mut warnings = Vec::new();
    for way in ways {
        let expected_inner = match way.role.as_str() {
            "inner" => true,
            "outer" => false,
            _ => continue,
        };
        let class = way
            .points
            .windows(2)
            .find_map(|w| class_of_segment.get(&normalise(w[0], w[1])));
        if let Some(&is_inner) = class {
            if is_inner != expected_inner {
                let found = if is_inner { "an inner" } else { "an outer" };
                warnings.push(format!(
                    "way {} has role {} but forms {found} ring",
                    way.id, way.role
                ));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn way(id: i64, role: &str, points: &[(i32, i32)]) -> MemberWay {
        MemberWay {
            id,
            role: role.into(),
            points: points.to_vec(),
        }
    }

    const SQUARE: [(i32, i32); 5] = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)];

    #[test]
    fn two_ways_in_opposite_directions_close_a_ring() {
        let ways = [
            way(1, "outer", &[(0, 0), (10, 0), (10, 10)]),
            way(2, "outer", &[(0, 0), (0, 10), (10, 10)]),
        ];
        let result = assemble(&ways).unwrap();
        assert_eq!(result.geometry.0.len(), 1);
        assert!((result.geometry.signed_area() - 100e-14).abs() < 1e-20);
    }

    #[test]
    fn inner_ring_is_classified_by_geometry_and_role_mismatch_warned() {
        let ways = [
            way(1, "outer", &SQUARE),
            way(2, "outer", &[(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]),
        ];
        let result = assemble(&ways).unwrap();
        assert_eq!(result.geometry.0.len(), 1);
        assert_eq!(result.geometry.0[0].interiors().len(), 1);
        assert_eq!(
            result.warnings,
            ["way 2 has role outer but forms an inner ring"]
        );
    }

    #[test]
    fn open_ring_is_invalid_not_closed() {
        let err = assemble(&[way(1, "outer", &[(0, 0), (10, 0), (10, 10)])]).unwrap_err();
        assert!(err.0.starts_with("open ring"), "{err:?}");
    }

    #[test]
    fn crossing_ring_is_invalid() {
        let bow_tie = [(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)];
        let err = assemble(&[way(1, "outer", &bow_tie)]).unwrap_err();
        assert!(err.0.starts_with("self-intersection"), "{err:?}");
    }

    #[test]
    fn same_way_twice_cancels_out() {
        let err = assemble(&[way(1, "outer", &SQUARE), way(1, "outer", &SQUARE)]).unwrap_err();
        assert!(err.0.starts_with("no rings"), "{err:?}");
    }

    #[test]
    fn rings_touching_at_a_node_come_apart() {
        // Two squares sharing the corner (10, 10), drawn as one figure-eight way.
        let eight = [
            (0, 0),
            (10, 0),
            (10, 10),
            (20, 10),
            (20, 20),
            (10, 20),
            (10, 10),
            (0, 10),
            (0, 0),
        ];
        let result = assemble(&[way(1, "outer", &eight)]).unwrap();
        assert_eq!(result.geometry.0.len(), 2);
    }

    #[test]
    fn island_in_a_hole_is_an_outer_ring() {
        let ways = [
            way(1, "outer", &[(0, 0), (30, 0), (30, 30), (0, 30), (0, 0)]),
            way(2, "inner", &[(5, 5), (25, 5), (25, 25), (5, 25), (5, 5)]),
            way(
                3,
                "outer",
                &[(10, 10), (20, 10), (20, 20), (10, 20), (10, 10)],
            ),
        ];
        let result = assemble(&ways).unwrap();
        assert_eq!(result.geometry.0.len(), 2);
        assert!(result.warnings.is_empty(), "{:?}", result.warnings);
    }

    #[test]
    fn winding_follows_rfc_7946() {
        let clockwise: Vec<(i32, i32)> = SQUARE.iter().rev().copied().collect();
        let result = assemble(&[way(1, "outer", &clockwise)]).unwrap();
        let exterior = Polygon::new(result.geometry.0[0].exterior().clone(), vec![]);
        assert!(
            exterior.signed_area() > 0.0,
            "exterior must be counter-clockwise"
        );
    }
}
