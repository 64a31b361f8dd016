//! Faces: touching rings redrawn face by face, so that each polygon's
//! rings are simple, do not cross, and leave its interior in one piece.
//!
//! Only reached when rings touch so that the polygons as walked would be
//! invalid (PostGIS, GEOS and QGIS refuse them); the area stays the same.
//!
//! In: closed point rings and their contacts. Out: shells with their holes
//! as point rings, or why not ([`Invalid`]).

use rustc_hash::FxHashMap as HashMap;

use super::nesting::{point_in_ring, ring_inside, signed_area};
use super::touch::{counter_clockwise, Touching};
use super::{Invalid, Point};

/// A polygon as closed point rings: the shell, then its holes.
pub(super) type PointPolygon = (Vec<Point>, Vec<Vec<Point>>);

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
pub(super) fn faces(rings: &[&[Point]], touching: &Touching) -> Result<Vec<PointPolygon>, Invalid> {
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
pub(super) fn bounding_box(ring: &[Point]) -> [i32; 4] {
    ring.iter().fold(
        [i32::MAX, i32::MAX, i32::MIN, i32::MIN],
        |[x0, y0, x1, y1], &(x, y)| [x0.min(x), y0.min(y), x1.max(x), y1.max(y)],
    )
}

/// The boundaries of the faces in the area of one connected group of
/// rings, as simple closed loops with the area on their left.
pub(super) fn group_faces<'a>(
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
/// closed loops, as [`super::walk::Walk`] cuts paths into rings.
pub(super) fn simple_loops(walk: &[Point]) -> Vec<Vec<Point>> {
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
