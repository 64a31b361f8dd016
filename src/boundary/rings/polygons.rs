//! Polygons: nested rings become the `MultiPolygon`, oriented as RFC 7946
//! wants (outer rings counter-clockwise, holes clockwise).
//!
//! Kept apart from nesting because here rings that touch decide whether
//! the rings stay as walked or are redrawn face by face ([`super::faces`]).
//!
//! In: nested rings and touch points. Out: the geometry in degrees.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use rustc_hash::FxHashMap as HashMap;

use super::faces::faces;
use super::nesting::{signed_area, NestedRing};
use super::touch::{interior_connected, Touching};
use super::{Invalid, Point};

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
pub(super) fn to_multipolygon(
    rings: &[NestedRing],
    touches: &[Point],
) -> Result<MultiPolygon<f64>, Invalid> {
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

pub(super) fn to_polygon(shell: &[Point], holes: &[&[Point]]) -> Polygon<f64> {
    Polygon::new(
        oriented(shell, true),
        holes.iter().map(|h| oriented(h, false)).collect(),
    )
}

/// A ring in degrees, counter-clockwise when `ccw`, else clockwise.
pub(super) fn oriented(points: &[Point], ccw: bool) -> LineString<f64> {
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
