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
//! only compared with the result, and a mismatch is a warning. Where rings
//! touch so that a polygon would be invalid in OGC terms (holes that touch
//! twice cut its interior in pieces), the touching rings are redrawn face
//! by face: the same area, as polygons PostGIS, GEOS and QGIS accept.
//!
//! Nothing is forced: an open ring or a crossing is an error with the place.
//!
//! In: way node positions in 1e-7 degrees. Out: a `MultiPolygon` (RFC 7946
//! winding: outer rings counter-clockwise, holes clockwise), or why not.

use geo::line_intersection::{line_intersection, LineIntersection};
use geo::{Coord, Line, LineString, MultiPolygon, Polygon};
// Point and segment keys are small integers that no input can choose to
// attack the table, so the cheap FxHash serves where SipHash guards.
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
    let (rings, touches) = walk_rings(&segments)?;
    let nested = nest(rings);
    let warnings = role_warnings(ways, &nested);
    Ok(Assembled {
        geometry: to_multipolygon(&nested, &touches)?,
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
fn point_key(p: Point) -> u64 {
    let unsigned = |v: i32| u64::from((v as u32) ^ 0x8000_0000);
    unsigned(p.0) << 32 | unsigned(p.1)
}

fn key_point(key: u64) -> Point {
    let signed = |v: u64| ((v as u32) ^ 0x8000_0000) as i32;
    (signed(key >> 32), signed(key))
}

/// Sorts segments as `sort_unstable` would, through [`point_key`].
fn sort_segments(segments: &mut [Segment]) {
    let mut keys: Vec<u128> = segments
        .iter()
        .map(|s| u128::from(point_key(s.0)) << 64 | u128::from(point_key(s.1)))
        .collect();
    keys.sort_unstable();
    for (segment, key) in segments.iter_mut().zip(keys) {
        *segment = (key_point((key >> 64) as u64), key_point(key as u64));
    }
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
fn bad_contact(a: &Segment, b: &Segment) -> Option<Point> {
    let y_overlap =
        a.0 .1.min(a.1 .1) <= b.0 .1.max(b.1 .1) && b.0 .1.min(b.1 .1) <= a.0 .1.max(a.1 .1);
    if !y_overlap {
        return None;
    }
    let shared = [a.0, a.1].iter().any(|p| *p == b.0 || *p == b.1);
    if shared && !collinear(a, b) {
        // Segments sharing an end, not on one line, meet only there: the
        // usual case (neighbours along a ring), decided exactly and
        // without computing the intersection.
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

/// True when both ends of `b` lie on the line through `a` (exact: the
/// cross products of coordinate differences fit in an i128).
fn collinear(a: &Segment, b: &Segment) -> bool {
    let difference = |p: Point, q: Point| {
        (
            i128::from(p.0) - i128::from(q.0),
            i128::from(p.1) - i128::from(q.1),
        )
    };
    let direction = difference(a.1, a.0);
    let cross = |p: Point| {
        let offset = difference(p, a.0);
        direction.0 * offset.1 - direction.1 * offset.0
    };
    cross(b.0) == 0 && cross(b.1) == 0
}

/// Walks segments into closed simple rings. A walk that comes back to a
/// point it already passed closes a ring there, so rings that touch at a
/// node come apart. Every point must join an even number of segments.
/// Also returns the points where rings touch (more than two segments).
fn walk_rings(segments: &[Segment]) -> Result<(Vec<Vec<Point>>, Vec<Point>), Invalid> {
    let graph = SegmentGraph::new(segments);
    if let Some(open) = graph.open_end() {
        return Err(Invalid(format!(
            "open ring: ends at {:.7} {:.7} with no way to close it",
            f64::from(open.0) / 1e7,
            f64::from(open.1) / 1e7
        )));
    }
    let mut walk = Walk {
        graph: &graph,
        used: vec![false; segments.len()],
        seen: vec![NOT_SEEN; graph.points.len()],
        rings: Vec::new(),
    };
    for start in 0..segments.len() {
        if !walk.used[start] {
            walk.from(start);
        }
    }
    let touches = (0..graph.points.len() as u32)
        .filter(|&p| graph.at(p).len() > 2)
        .map(|p| graph.points[p as usize])
        .collect();
    Ok((walk.rings, touches))
}

/// The segments as a graph on numbered points: one sort, then plain arrays
/// (no map keyed by point, no search per step of a walk).
struct SegmentGraph {
    /// The distinct end points, sorted; a point's number is its index.
    points: Vec<Point>,
    /// The two point numbers of each segment.
    ends: Vec<[u32; 2]>,
    /// The segments meeting at each point, in segment order: those of point
    /// `p` are `incident[first[p]..first[p + 1]]`.
    incident: Vec<u32>,
    first: Vec<u32>,
}

impl SegmentGraph {
    /// `segments` must be sorted, as `cancel_duplicates` leaves them.
    fn new(segments: &[Segment]) -> Self {
        let ends = sorted_ends(segments);
        let mut graph = SegmentGraph {
            points: Vec::new(),
            ends: vec![[0; 2]; segments.len()],
            incident: Vec::with_capacity(ends.len()),
            first: Vec::new(),
        };
        for run in ends.chunk_by(|a, b| a.0 == b.0) {
            let number = graph.points.len() as u32;
            graph.points.push(run[0].0);
            graph.first.push(graph.incident.len() as u32);
            for &(point, segment) in run {
                let side = usize::from(segments[segment as usize].0 != point);
                graph.ends[segment as usize][side] = number;
                graph.incident.push(segment);
            }
        }
        graph.first.push(graph.incident.len() as u32);
        graph
    }

    /// The segments meeting at point `p`, in segment order.
    fn at(&self, p: u32) -> &[u32] {
        &self.incident[self.first[p as usize] as usize..self.first[p as usize + 1] as usize]
    }

    /// The smallest point where an odd number of segments meet, if any.
    fn open_end(&self) -> Option<Point> {
        (0..self.points.len())
            .find(|&p| self.at(p as u32).len() % 2 == 1)
            .map(|p| self.points[p])
    }
}

/// Both ends of every segment, sorted by point, then segment. The first
/// ends of sorted segments are already in that order, so only the second
/// ends are sorted, then the two runs merged: the ring walk's sorting
/// halved.
fn sorted_ends(segments: &[Segment]) -> Vec<(Point, u32)> {
    debug_assert!(segments.is_sorted());
    let mut seconds: Vec<u128> = (0u32..)
        .zip(segments)
        .map(|(i, s)| u128::from(point_key(s.1)) << 32 | u128::from(i))
        .collect();
    seconds.sort_unstable();
    // Both runs are read once, in order, as they are merged.
    let mut a = (0u32..).zip(segments).map(|(i, s)| (s.0, i)).peekable();
    let mut b = seconds
        .into_iter()
        .map(|k| (key_point((k >> 32) as u64), k as u32))
        .peekable();
    let mut ends = Vec::with_capacity(2 * segments.len());
    while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
        ends.push(if x <= y {
            a.next();
            x
        } else {
            b.next();
            y
        });
    }
    ends.extend(a.chain(b));
    ends
}

/// Marks a point that the current walk has not passed.
const NOT_SEEN: u32 = u32::MAX;

/// The state of [`walk_rings`]: which segments are used, and where on the
/// current path each point lies (`seen`, cleared again after each walk).
struct Walk<'g> {
    graph: &'g SegmentGraph,
    used: Vec<bool>,
    seen: Vec<u32>,
    rings: Vec<Vec<Point>>,
}

impl Walk<'_> {
    fn from(&mut self, start: usize) {
        self.used[start] = true;
        let mut path = self.graph.ends[start].to_vec();
        self.seen[path[0] as usize] = 0;
        self.seen[path[1] as usize] = 1;
        while let Some(&here) = path.last() {
            let Some(&next) = self
                .graph
                .at(here)
                .iter()
                .find(|&&s| !self.used[s as usize])
            else {
                break;
            };
            self.used[next as usize] = true;
            let [a, b] = self.graph.ends[next as usize];
            let there = if a == here { b } else { a };
            match self.seen[there as usize] {
                NOT_SEEN => {
                    self.seen[there as usize] = path.len() as u32;
                    path.push(there);
                }
                k => {
                    self.close_ring(&mut path, there, k as usize);
                    if path.len() == 1 {
                        break;
                    }
                }
            }
        }
        for p in path {
            self.seen[p as usize] = NOT_SEEN;
        }
    }

    /// Cuts the ring that came back to `there` (at `path[k]`) off the path.
    fn close_ring(&mut self, path: &mut Vec<u32>, there: u32, k: usize) {
        let points = &self.graph.points;
        let mut ring = Vec::with_capacity(path.len() - k + 1);
        ring.push(points[there as usize]);
        for p in path.drain(k + 1..) {
            self.seen[p as usize] = NOT_SEEN;
            ring.push(points[p as usize]);
        }
        ring.push(points[there as usize]);
        self.rings.push(ring);
    }
}

/// A ring with its nesting: `parent` is the smallest ring around it.
struct NestedRing {
    points: Vec<Point>,
    area: f64,
    parent: Option<usize>,
    depth: usize,
}

impl NestedRing {
    /// A hole (odd depth), as opposed to an outer ring.
    fn is_inner(&self) -> bool {
        self.depth % 2 == 1
    }
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

/// Outer rings (even depth) become polygons, with their direct children as
/// holes.
///
/// Where rings touch (`touches`, the points where more than two segments
/// meet), two things can go wrong. The walk may pair the segments at a
/// touch point so that two rings cross there; and rings that touch twice
/// (two holes, or a hole and its shell) cut a polygon's interior in
/// pieces. Either way the polygon is not a valid OGC polygon (PostGIS,
/// GEOS and QGIS refuse it), and in the first its area is wrong. Then the
/// rings are redrawn face by face ([`faces`]): the same point set, drawn
/// validly. Otherwise, the common case, the rings stay as the walk drew
/// them.
fn to_multipolygon(rings: &[NestedRing], touches: &[Point]) -> Result<MultiPolygon<f64>, Invalid> {
    let mut polygons: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut slot_of_outer: HashMap<usize, usize> = HashMap::default();
    for (i, ring) in rings.iter().enumerate() {
        if !ring.is_inner() {
            slot_of_outer.insert(i, polygons.len());
            polygons.push((i, Vec::new()));
        } else if let Some(slot) = ring.parent.and_then(|p| slot_of_outer.get(&p)) {
            polygons[*slot].1.push(i);
        }
    }
    let as_drawn = |polygons: &[(usize, Vec<usize>)]| {
        let polygons = polygons.iter().map(|(outer, holes)| {
            let holes: Vec<&[Point]> = holes.iter().map(|&h| &rings[h].points[..]).collect();
            to_polygon(&rings[*outer].points, &holes)
        });
        MultiPolygon::new(polygons.collect())
    };
    if touches.is_empty() {
        return Ok(as_drawn(&polygons));
    }
    let points: Vec<&[Point]> = rings.iter().map(|r| &r.points[..]).collect();
    let touching = Touching::new(&points, touches);
    let connected = polygons.iter().all(|(outer, holes)| {
        let holes: Vec<&[Point]> = holes.iter().map(|&h| points[h]).collect();
        interior_connected(points[*outer], &holes)
    });
    if connected && !touching.rings_cross() {
        return Ok(as_drawn(&polygons));
    }
    let polygons = faces(&points, &touching)?
        .into_iter()
        .map(|(shell, holes)| {
            let holes: Vec<&[Point]> = holes.iter().map(|h| &h[..]).collect();
            to_polygon(&shell, &holes)
        });
    Ok(MultiPolygon::new(polygons.collect()))
}

fn to_polygon(shell: &[Point], holes: &[&[Point]]) -> Polygon<f64> {
    Polygon::new(
        oriented(shell, true),
        holes.iter().map(|h| oriented(h, false)).collect(),
    )
}

/// Whether the interior of a polygon with these (simple, non-crossing)
/// rings is connected. It is not when the rings, linked by the points they
/// share, form a cycle: two holes touching at two points, a hole touching
/// the shell twice, three holes touching in a round. Rings sharing one
/// point with several others (a star) leave the interior whole.
fn interior_connected(shell: &[Point], holes: &[&[Point]]) -> bool {
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
struct DisjointSets(Vec<u32>);

impl DisjointSets {
    fn new(n: usize) -> Self {
        DisjointSets((0..n as u32).collect())
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.0[x as usize] != x {
            let up = self.0[self.0[x as usize] as usize];
            self.0[x as usize] = up;
            x = up;
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were one already.
    fn union(&mut self, a: u32, b: u32) -> bool {
        let (a, b) = (self.find(a), self.find(b));
        self.0[a as usize] = b;
        a != b
    }
}

/// The rings that pass each touch point, and the groups of rings that
/// touch one another (directly or through others).
struct Touching {
    /// Per touch point, each ring through it with its neighbours there.
    at: HashMap<Point, Vec<(u32, [Point; 2])>>,
    /// Per ring, its group's number.
    group: Vec<u32>,
}

impl Touching {
    fn new(rings: &[&[Point]], touches: &[Point]) -> Self {
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
    fn rings_cross(&self) -> bool {
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
fn counter_clockwise(at: Point, a: Point, b: Point) -> std::cmp::Ordering {
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

/// A polygon as closed point rings: the shell, then its holes.
type PointPolygon = (Vec<Point>, Vec<Vec<Point>>);

/// Redraws the area as polygons whose rings are simple, do not cross, and
/// leave each polygon's interior in one piece.
///
/// Rings that touch no other ring keep their shape. Each group of touching
/// rings is a connected plane graph: walking its segments and, at each
/// point, leaving by the first segment clockwise from the one we came in
/// on traces the boundary of one face at a time, the outer face's
/// clockwise, the others counter-clockwise. Crossing a segment moves in or
/// out of the area, so from the outer face (in the area when an odd number
/// of other rings hold the group) the faces alternate. The area's faces'
/// boundaries, cut into simple loops where they pass a point twice, and
/// the rings that touch nothing, become shells (counter-clockwise, area
/// inside) and holes; each hole goes to the smallest shell around it.
fn faces(rings: &[&[Point]], touching: &Touching) -> Result<Vec<PointPolygon>, Invalid> {
    let mut members: HashMap<u32, Vec<usize>> = HashMap::default();
    for (r, &g) in touching.group.iter().enumerate() {
        members.entry(g).or_default().push(r);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().collect();
    groups.sort_unstable();
    let boxes: Vec<[i32; 4]> = rings.iter().map(|r| bounding_box(r)).collect();
    let mut loops: Vec<Vec<Point>> = Vec::new();
    for group in &groups {
        // Whether the face around the group is in the area.
        let probe = rings[group[0]][0];
        let around_in_area = (0..rings.len())
            .filter(|r| touching.group[*r] != touching.group[group[0]])
            .filter(|&r| {
                let [x0, y0, x1, y1] = boxes[r];
                (x0..=x1).contains(&probe.0) && (y0..=y1).contains(&probe.1)
            })
            .filter(|&r| {
                point_in_ring((f64::from(probe.0), f64::from(probe.1)), rings[r]) == Some(true)
            })
            .count()
            % 2
            == 1;
        if let [r] = group[..] {
            let mut ring = rings[r].to_vec();
            // Inside the area: an outer ring, drawn counter-clockwise.
            if (signed_area(&ring) > 0.0) == around_in_area {
                ring.reverse();
            }
            loops.push(ring);
        } else {
            let segments = group.iter().flat_map(|&r| rings[r].windows(2));
            loops.extend(group_faces(segments, around_in_area)?);
        }
    }
    let (mut shells, holes): (Vec<Vec<Point>>, Vec<Vec<Point>>) =
        loops.into_iter().partition(|l| signed_area(l) > 0.0);
    // Smallest first, so that a hole finds the smallest shell around it.
    shells.sort_by(|a, b| {
        signed_area(a)
            .total_cmp(&signed_area(b))
            .then_with(|| a.cmp(b))
    });
    let shell_boxes: Vec<[i32; 4]> = shells.iter().map(|s| bounding_box(s)).collect();
    let mut polygons: Vec<PointPolygon> = shells.into_iter().map(|s| (s, Vec::new())).collect();
    for hole in holes {
        let [x0, y0, x1, y1] = bounding_box(&hole);
        let around = (0..polygons.len()).find(|&s| {
            let [a0, b0, a1, b1] = shell_boxes[s];
            a0 <= x0 && b0 <= y0 && x1 <= a1 && y1 <= b1 && ring_inside(&hole, &polygons[s].0)
        });
        match around {
            Some(s) => polygons[s].1.push(hole),
            // Cannot happen for rings that neither cross nor overlap; said
            // rather than dropped, so no area goes missing silently.
            None => {
                return Err(Invalid(format!(
                    "touching rings: a hole near {:.7} {:.7} lies in no outer ring",
                    f64::from(hole[0].0) / 1e7,
                    f64::from(hole[0].1) / 1e7
                )))
            }
        }
    }
    // Largest first, as `nest` orders rings.
    polygons.reverse();
    Ok(polygons)
}

/// The smallest and largest x and y of a ring.
fn bounding_box(ring: &[Point]) -> [i32; 4] {
    ring.iter().fold(
        [i32::MAX, i32::MAX, i32::MIN, i32::MIN],
        |[x0, y0, x1, y1], &(x, y)| [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
    )
}

/// The boundaries of the faces in the area of one connected group of
/// rings, as simple closed loops with the area on their left.
fn group_faces<'a>(
    segments: impl Iterator<Item = &'a [Point]>,
    around_in_area: bool,
) -> Result<Vec<Vec<Point>>, Invalid> {
    // Both directions of every segment; the segments leaving each point,
    // counter-clockwise.
    let mut halves: Vec<(Point, Point)> = Vec::new();
    for w in segments {
        halves.push((w[0], w[1]));
        halves.push((w[1], w[0]));
    }
    halves.sort_unstable();
    let index: HashMap<(Point, Point), usize> =
        halves.iter().enumerate().map(|(i, &h)| (h, i)).collect();
    let mut leaving: HashMap<Point, Vec<usize>> = HashMap::default();
    for (i, &(from, _)) in halves.iter().enumerate() {
        leaving.entry(from).or_default().push(i);
    }
    for (&at, list) in leaving.iter_mut() {
        list.sort_by(|&a, &b| counter_clockwise(at, halves[a].1, halves[b].1));
    }
    // After arriving by u → v, leave v by the segment just clockwise of
    // v → u: the one before it in counter-clockwise order.
    let next = |h: usize| {
        let (u, v) = halves[h];
        let list = &leaving[&v];
        let back = list.iter().position(|&k| halves[k].1 == u).unwrap_or(0);
        list[(back + list.len() - 1) % list.len()]
    };
    let mut face_of = vec![usize::MAX; halves.len()];
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for start in 0..halves.len() {
        if face_of[start] != usize::MAX {
            continue;
        }
        let mut cycle = Vec::new();
        let mut h = start;
        while face_of[h] == usize::MAX {
            face_of[h] = cycles.len();
            cycle.push(h);
            h = next(h);
        }
        cycles.push(cycle);
    }
    // The outer face's boundary is the one clockwise cycle; from it, the
    // faces alternate in and out of the area across each segment.
    let area = |c: &[usize]| {
        let points: Vec<Point> = c
            .iter()
            .map(|&h| halves[h].0)
            .chain([halves[c[0]].0])
            .collect();
        signed_area(&points)
    };
    let mut in_area: Vec<Option<bool>> = vec![None; cycles.len()];
    let mut queue = Vec::new();
    if let Some(outer) = cycles.iter().position(|c| area(c) < 0.0) {
        in_area[outer] = Some(around_in_area);
        queue.push(outer);
    }
    while let Some(c) = queue.pop() {
        let inside = in_area[c] == Some(true);
        for &h in &cycles[c] {
            let (u, v) = halves[h];
            let twin = face_of[index[&(v, u)]];
            if in_area[twin].is_none() {
                in_area[twin] = Some(!inside);
                queue.push(twin);
            }
        }
    }
    // Every face is reached from the outer one in a connected group; a face
    // left undecided would lose area silently, so it is an error instead.
    if let Some(c) = in_area.iter().position(Option::is_none) {
        let (x, y) = halves[cycles[c][0]].0;
        return Err(Invalid(format!(
            "touching rings: cannot tell the side of the area near {:.7} {:.7}",
            f64::from(x) / 1e7,
            f64::from(y) / 1e7
        )));
    }
    let mut loops = Vec::new();
    for (c, cycle) in cycles.iter().enumerate() {
        if in_area[c] == Some(true) {
            let walk: Vec<Point> = cycle
                .iter()
                .map(|&h| halves[h].0)
                .chain([halves[cycle[0]].0])
                .collect();
            loops.extend(simple_loops(&walk));
        }
    }
    Ok(loops)
}

/// Cuts a closed walk that passes some point more than once into simple
/// closed loops, as [`Walk`] cuts paths into rings.
fn simple_loops(walk: &[Point]) -> Vec<Vec<Point>> {
    let mut loops = Vec::new();
    let mut path: Vec<Point> = Vec::with_capacity(walk.len());
    let mut at: HashMap<Point, usize> = HashMap::default();
    for &p in walk {
        if let Some(&k) = at.get(&p) {
            let mut ring: Vec<Point> = path.drain(k..).collect();
            for q in &ring {
                at.remove(q);
            }
            ring.push(p);
            loops.push(ring);
        }
        at.insert(p, path.len());
        path.push(p);
    }
    loops
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
    // When every ring is of one class (most boundaries: outer rings only),
    // a way with the matching role cannot be warned about, wherever it
    // ended; the segment map is built only for a way that could be.
    let one_class = rings
        .first()
        .map(NestedRing::is_inner)
        .filter(|&first| rings.iter().all(|r| r.is_inner() == first));
    let mut class_of_segment: Option<HashMap<Segment, bool>> = None;
    let mut warnings = Vec::new();
    for way in ways {
        let expected_inner = match way.role.as_str() {
            "inner" => true,
            "outer" => false,
            _ => continue,
        };
        if one_class == Some(expected_inner) {
            continue;
        }
        let class_of_segment = class_of_segment.get_or_insert_with(|| segment_classes(rings));
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

/// Each ring segment, with true when its ring is inner.
fn segment_classes(rings: &[NestedRing]) -> HashMap<Segment, bool> {
    let mut classes = HashMap::default();
    for ring in rings {
        for w in ring.points.windows(2) {
            classes.insert(normalise(w[0], w[1]), ring.is_inner());
        }
    }
    classes
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    #[test]
    fn integer_keys_sort_segments_as_tuples_sort() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut coordinate = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Few distinct values, so that ties reach the later members.
            [
                i32::MIN,
                -1_800_000_000,
                -1,
                0,
                1,
                5,
                1_800_000_000,
                i32::MAX,
            ][(state % 8) as usize]
        };
        let mut segments: Vec<Segment> = (0..2000)
            .map(|_| ((coordinate(), coordinate()), (coordinate(), coordinate())))
            .collect();
        let mut expected = segments.clone();
        expected.sort_unstable();
        sort_segments(&mut segments);
        assert_eq!(segments, expected);
        for (a, _) in &expected {
            assert_eq!(key_point(point_key(*a)), *a);
        }
    }

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
    fn outer_rings_only_warn_just_the_ways_marked_inner() {
        let apart = [(20, 0), (24, 0), (24, 4), (20, 4), (20, 0)];
        let ways = [way(1, "outer", &SQUARE), way(2, "inner", &apart)];
        let result = assemble(&ways).unwrap();
        assert_eq!(result.geometry.0.len(), 2);
        assert_eq!(
            result.warnings,
            ["way 2 has role inner but forms an outer ring"]
        );
    }

    #[test]
    fn segments_sharing_an_end_conflict_only_when_they_overlap() {
        let contact = |a: Segment, b: Segment| bad_contact(&a, &b);
        // Neighbours along a ring, at an angle or straight on.
        assert_eq!(contact(((0, 0), (10, 0)), ((10, 0), (10, 10))), None);
        assert_eq!(contact(((0, 0), (10, 0)), ((10, 0), (20, 0))), None);
        // Doubling back over each other.
        assert!(contact(((0, 0), (10, 0)), ((0, 0), (5, 0))).is_some());
        // Far apart ends near the limits of i32 (the cross products need
        // more than 64 bits), nearly but not quite on one line.
        let (far, farther) = ((-1_800_000_000, -900_000_000), (1_800_000_000, 900_000_000));
        assert_eq!(
            contact((far, farther), (farther, (1_799_999_999, 900_000_000))),
            None
        );
        assert!(contact((far, farther), (far, (0, 0))).is_some());
    }

    #[test]
    fn open_ring_is_invalid_not_closed() {
        let err = assemble(&[way(1, "outer", &[(0, 0), (10, 0), (10, 10)])]).unwrap_err();
        assert!(err.0.starts_with("open ring"), "{err:?}");
        // The smallest open end is named, not the first the segments meet:
        // (1, 9) ends the first segment, (0, 5) starts a later one.
        let two_paths = [
            way(1, "outer", &[(1, 9), (0, 0), (9, 9)]),
            way(2, "outer", &[(0, 5), (0, 6)]),
        ];
        let err = assemble(&two_paths).unwrap_err();
        assert_eq!(
            err.0,
            "open ring: ends at 0.0000000 0.0000005 with no way to close it"
        );
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

    /// Every polygon of the result has a connected interior and simple
    /// rings, so that GEOS would call it valid.
    fn assert_valid(geometry: &MultiPolygon<f64>) {
        use geo::Validation;
        assert!(geometry.is_valid(), "{:?}", geometry.validation_errors());
        for polygon in geometry {
            let ring = |l: &LineString<f64>| -> Vec<Point> {
                l.0.iter()
                    .map(|c| ((c.x * 1e7).round() as i32, (c.y * 1e7).round() as i32))
                    .collect()
            };
            let holes: Vec<Vec<Point>> = polygon.interiors().iter().map(ring).collect();
            let holes: Vec<&[Point]> = holes.iter().map(|h| &h[..]).collect();
            assert!(
                interior_connected(&ring(polygon.exterior()), &holes),
                "interior in pieces: {polygon:?}"
            );
        }
    }

    #[test]
    fn holes_touching_at_two_points_become_a_hole_and_an_island() {
        // osm-testdata grid case 777 on a small grid: a square hole and a
        // C-shaped hole touch at (4, 3) and (4, 5); the square between them
        // was cut off from the rest of the interior.
        let ways = [
            way(1, "", &[(2, 3), (2, 5), (4, 5), (4, 3), (2, 3)]),
            way(
                2,
                "",
                &[
                    (4, 5),
                    (4, 6),
                    (7, 6),
                    (7, 2),
                    (4, 2),
                    (4, 3),
                    (5, 3),
                    (5, 5),
                    (4, 5),
                ],
            ),
            way(3, "", &[(1, 1), (1, 7), (8, 7), (8, 1), (1, 1)]),
        ];
        let result = assemble(&ways).unwrap();
        assert_valid(&result.geometry);
        assert_eq!(result.geometry.0.len(), 2);
        let holes: Vec<usize> = result
            .geometry
            .iter()
            .map(|p| p.interiors().len())
            .collect();
        assert_eq!(holes, [1, 0]);
        // The hole is the outline of both holes and the island: 9 points.
        assert_eq!(result.geometry.0[0].interiors()[0].0.len(), 9);
        // 42 (shell) - 4 (square hole) - 10 (C-shaped hole), in 1e-14 deg².
        assert!((result.geometry.unsigned_area() - 28e-14).abs() < 1e-20);
    }

    #[test]
    fn hole_touching_the_shell_twice_cuts_the_polygon_in_two() {
        let shell = [(0, 0), (10, 0), (10, 5), (10, 10), (0, 10), (0, 5), (0, 0)];
        let diamond = [(0, 5), (5, 2), (10, 5), (5, 8), (0, 5)];
        let result = assemble(&[way(1, "outer", &shell), way(2, "inner", &diamond)]).unwrap();
        assert_valid(&result.geometry);
        assert_eq!(result.geometry.0.len(), 2);
        assert!(result.geometry.iter().all(|p| p.interiors().is_empty()));
        assert!((result.geometry.unsigned_area() - 70e-14).abs() < 1e-20);
    }

    #[test]
    fn the_same_area_comes_out_whichever_way_the_walk_goes() {
        // The shell and diamond above, in every order and direction: the
        // walk pairs the segments at (0, 5) and (10, 5) differently, and
        // some pairings make rings that cross there.
        let shell = [(0, 0), (10, 0), (10, 5), (10, 10), (0, 10), (0, 5), (0, 0)];
        let diamond = [(0, 5), (5, 2), (10, 5), (5, 8), (0, 5)];
        let halves = [&shell[..3], &shell[2..], &diamond[..3], &diamond[2..]];
        for order in 0..24usize {
            for flips in 0..16 {
                let mut left: Vec<&[Point]> = halves.to_vec();
                let mut ways = Vec::new();
                let mut k = order;
                for n in (1..=4).rev() {
                    let points = left.remove(k % n);
                    k /= n;
                    let mut points = points.to_vec();
                    if flips >> ways.len() & 1 == 1 {
                        points.reverse();
                    }
                    ways.push(way(ways.len() as i64, "", &points));
                }
                let result = assemble(&ways).unwrap();
                assert_valid(&result.geometry);
                assert_eq!(result.geometry.0.len(), 2, "{ways:?}");
                assert!((result.geometry.unsigned_area() - 70e-14).abs() < 1e-20);
            }
        }
    }

    /// The geometry holds exactly the points that an odd number of the
    /// ways' segments enclose (the even-odd rule, which duplicates and
    /// spikes do not change), sampled off the grid lines.
    fn assert_even_odd_area(ways: &[MemberWay], geometry: &MultiPolygon<f64>) {
        use geo::Contains;
        for i in 0..24 {
            for j in 0..24 {
                let p = (f64::from(i) * 0.25 - 0.9123, f64::from(j) * 0.25 - 0.8771);
                let odd = ways
                    .iter()
                    .flat_map(|w| w.points.windows(2))
                    .filter(|w| {
                        let (a, b) = (w[0], w[1]);
                        let (ay, by) = (f64::from(a.1), f64::from(b.1));
                        (ay > p.1) != (by > p.1)
                            && p.0 < f64::from(a.0) + (p.1 - ay) * f64::from(b.0 - a.0) / (by - ay)
                    })
                    .count()
                    % 2
                    == 1;
                let inside = geometry.contains(&Coord {
                    x: p.0 / 1e7,
                    y: p.1 / 1e7,
                });
                assert_eq!(inside, odd, "at {p:?}: {ways:?} gave {geometry:?}");
            }
        }
    }

    #[test]
    fn random_ways_on_a_small_grid_assemble_valid_or_not_at_all() {
        // As the `rings` fuzz target draws them: few distinct points, so
        // shared nodes, touching rings and crossings are common. Seeded.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut assembled = 0;
        for _ in 0..20_000 {
            // Closed ways of three or four points.
            let ways: Vec<MemberWay> = (0..2 + next(3))
                .map(|id| {
                    let mut points: Vec<Point> = (0..3 + next(2))
                        .map(|_| (next(5) as i32, next(5) as i32))
                        .collect();
                    points.push(points[0]);
                    way(id as i64, "", &points)
                })
                .collect();
            if let Ok(result) = assemble(&ways) {
                assert_valid(&result.geometry);
                assert_even_odd_area(&ways, &result.geometry);
                assembled += 1;
            }
        }
        assert!(assembled > 1000, "only {assembled} assembled");
    }

    #[test]
    fn rings_crossing_at_a_shared_point_are_found() {
        // Around (0, 0): ring 0 goes east and north, ring 1 west and south
        // (no crossing); then ring 1 takes north-east and south-west,
        // between ring 0's two directions (a crossing).
        let apart: [&[Point]; 2] = [
            &[(0, 0), (5, 0), (0, 5), (0, 0)],
            &[(0, 0), (-5, 0), (0, -5), (0, 0)],
        ];
        assert!(!Touching::new(&apart, &[(0, 0)]).rings_cross());
        let crossing: [&[Point]; 2] = [
            &[(0, 0), (5, 0), (0, 5), (0, 0)],
            &[(0, 0), (5, 5), (-5, -5), (0, 0)],
        ];
        assert!(Touching::new(&crossing, &[(0, 0)]).rings_cross());
    }

    #[test]
    fn three_holes_touching_in_a_round_free_the_triangle_between() {
        // Holes b, c and d meet pairwise at one point each and enclose the
        // triangle (4, 4), (8, 4), (6, 8); a touches b and d at (4, 4).
        let shell = [(0, 0), (20, 0), (20, 20), (0, 20), (0, 0)];
        let a = [(4, 4), (2, 6), (2, 2), (4, 4)];
        let b = [(4, 4), (8, 4), (6, 2), (4, 4)];
        let c = [(8, 4), (6, 8), (10, 8), (8, 4)];
        let d = [(6, 8), (4, 4), (2, 8), (6, 8)];
        let ways = [
            way(1, "outer", &shell),
            way(2, "inner", &a),
            way(3, "inner", &b),
            way(4, "inner", &c),
            way(5, "inner", &d),
        ];
        let before: f64 = 400.0
            - [&a[..], &b[..], &c[..], &d[..]]
                .iter()
                .map(|r| signed_area(r).abs())
                .sum::<f64>();
        let result = assemble(&ways).unwrap();
        assert_valid(&result.geometry);
        // The outer polygon (its two holes touch at (4, 4)) and the triangle.
        let holes: Vec<usize> = result
            .geometry
            .iter()
            .map(|p| p.interiors().len())
            .collect();
        assert_eq!(holes, [2, 0]);
        assert!((result.geometry.unsigned_area() - before * 1e-14).abs() < 1e-20);
    }

    #[test]
    fn holes_touching_the_shell_once_each_stay_one_polygon() {
        // Star-shaped contact (two holes and the shell share one point)
        // leaves the interior whole: nothing is redrawn.
        let shell = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)];
        let a = [(0, 0), (4, 1), (3, 3), (0, 0)];
        let b = [(0, 0), (2, 5), (1, 6), (0, 0)];
        let ways = [
            way(1, "outer", &shell),
            way(2, "inner", &a),
            way(3, "inner", &b),
        ];
        let result = assemble(&ways).unwrap();
        assert_valid(&result.geometry);
        assert_eq!(result.geometry.0.len(), 1);
        assert_eq!(result.geometry.0[0].interiors().len(), 2);
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
