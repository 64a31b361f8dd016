//! The spatial join: which zone holds each camera.
//!
//! Why zone by zone: each zone finds the cameras in its bounding box (an
//! R-tree over the cameras, which are few) and tests them exactly, so a
//! zone can be placed the moment it is built and its geometry dropped
//! when no output draws it ([`crate::boundary::assemble_placing`]): a
//! national run then never holds every commune's polygon at once. A zone
//! tests its candidates by one of two means, chosen by how many there are:
//! - a plain winding-number pass over its vertices (`coordinate_position`),
//!   cheap per vertex, for a zone few cameras fall in: most communes of a
//!   region;
//! - an interval tree (`geo::indexed::IntervalTreeMultiPolygon`), which
//!   answers in logarithmic time but costs many plain passes to build:
//!   worth it only when many cameras fall in the box (BUSY_SHAPE), as in a
//!   city. A camera the tree does not hold strictly is on the border only
//!   if it lies on one of the zone's segments, which `border::Border`
//!   finds among a few; the plain pass confirms it.
//!
//! Both are exact (robust predicates, the same winding rule), and the
//! choice depends only on the input, not on thread timing, so the answer is
//! the same whatever the means and the thread count.
//!
//! The border rule, deterministic and documented: a camera strictly inside a
//! boundary belongs to it (the first in boundary order if boundaries
//! overlap); a camera exactly on a border belongs to the boundary that comes
//! first in boundary order (lowest OSM relation id; first feature of an
//! external GeoJSON); a camera in none is counted as outside.
//!
//! "Exactly" needs one representation for both sides. A PBF camera arrives
//! as nanodegrees × 1e-9 and an OSM vertex as 1e-7 integers ÷ 1e7; for a
//! quarter of Monaco's cameras these two doubles differ by one ulp for the
//! same grid point, which put a camera on a shared vertex in the second zone
//! or outside (found 2026-12-04). So every coordinate, vertex and point
//! alike, is rounded to OSM's 1e-7 degree grid ([`to_grid`]) and the tests
//! run on those integers (held in `f64`, exact below 2^53, under robust
//! predicates). For OSM data this is the file's own grid, so nothing moves;
//! a GeoJSON vertex or a query point finer than 1e-7 degree (1 cm) is
//! rounded to the nearest grid point, halves away from zero.
//!
//! In: points, and zones as geometries or as what [`PointIndex::place`]
//! found in them. Out: a zone position per point.

mod border;
#[cfg(test)]
mod tests;

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::indexed::IntervalTreeMultiPolygon;
use geo::orient::{Direction, Orient};
use geo::winding_order::Winding;
use geo::MapCoords;
use geo::{BoundingRect, Contains, Coord, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};

/// A point on the grid, with its number.
type Entry = GeomWithData<[f64; 2], u32>;

/// From how many points in its box a zone gets an interval tree: about
/// as many plain passes as building the tree costs on real commune shapes
/// (measured with the `join` bench; see BENCHMARKS.md), so below it the
/// passes are cheaper, and above it building costs at most about twice the
/// cheaper choice.
const BUSY_SHAPE: usize = 24;

/// Grid units per degree: OSM's fixed 1e-7 degree precision.
const GRID: f64 = 1e7;

/// A coordinate in degrees as a whole number of 1e-7 degree grid steps,
/// rounded to the nearest (halves away from zero). Exact for OSM's own
/// vertices (`i32 / 1e7`) and nanodegree cameras (`i64 * 1e-9`) alike.
pub fn to_grid(degrees: f64) -> f64 {
    (degrees * GRID).round()
}

/// Points prepared for zones to find theirs: on the grid, in an R-tree.
pub struct PointIndex {
    tree: RTree<Entry>,
    len: usize,
}

/// The points a zone holds, by number: strictly inside, or on its border
/// (inside none of its parts). Both sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Placed {
    pub inside: Vec<u32>,
    pub border: Vec<u32>,
    /// How many points were placed (the length of the list numbered).
    pub of: usize,
}

/// What a zone keeps of a geometry dropped once built (its `geometry` is
/// then `None`): the cameras it holds, and a point inside it, for a rollup
/// that groups communes by the zones holding them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Footprint {
    pub placed: Placed,
    pub interior: Option<(f64, f64)>,
}

impl PointIndex {
    /// Indexes the points that have a position; a point's number is its
    /// place in `points`.
    pub fn new(points: &[Option<(f64, f64)>]) -> Self {
        let entries = (0u32..)
            .zip(points)
            .filter_map(|(number, point)| {
                let (lon, lat) = (*point)?;
                let at = grid(lon, lat);
                Some(Entry::new([at.x, at.y], number))
            })
            .collect();
        PointIndex {
            tree: RTree::bulk_load(entries),
            len: points.len(),
        }
    }

    /// The points `geometry` holds, by the rules above. A zone no point's
    /// box reaches costs one R-tree query: no copy of its geometry is made.
    pub fn place(&self, geometry: &MultiPolygon<f64>) -> Placed {
        self.place_in(geometry, false)
    }

    /// [`Self::place`] for a geometry whose exteriors already wind
    /// counter-clockwise and holes clockwise on the grid, as ring assembly
    /// draws them (its sign of area is exact): the winding check of every
    /// ring is spared.
    pub fn place_oriented(&self, geometry: &MultiPolygon<f64>) -> Placed {
        self.place_in(geometry, true)
    }

    fn place_in(&self, geometry: &MultiPolygon<f64>, oriented: bool) -> Placed {
        let mut placed = Placed {
            of: self.len,
            ..Placed::default()
        };
        let Some(rect) = geometry.bounding_rect() else {
            return placed;
        };
        // Rounding to the grid keeps order, so the box of the rounded
        // vertices is the rounded box.
        let (min, max) = (
            grid(rect.min().x, rect.min().y),
            grid(rect.max().x, rect.max().y),
        );
        let envelope = AABB::from_corners([min.x, min.y], [max.x, max.y]);
        let mut candidates: Vec<(u32, Coord<f64>)> = (self.tree)
            .locate_in_envelope_intersecting(envelope)
            .map(|entry| {
                let [x, y] = *entry.geom();
                (entry.data, Coord { x, y })
            })
            .collect();
        if candidates.is_empty() {
            return placed;
        }
        candidates.sort_unstable_by_key(|&(number, _)| number);
        let exact = on_grid(geometry, oriented);
        if candidates.len() < BUSY_SHAPE {
            for (number, point) in candidates {
                match position_in(&exact, &point) {
                    CoordPos::Inside => placed.inside.push(number),
                    CoordPos::OnBoundary => placed.border.push(number),
                    CoordPos::Outside => {}
                }
            }
            return placed;
        }
        let tree = IntervalTreeMultiPolygon::new(&exact);
        let mut segments: Option<border::Border> = None;
        for (number, point) in candidates {
            if tree.contains(&point) {
                placed.inside.push(number);
            } else if segments
                .get_or_insert_with(|| border::Border::new(&exact))
                .touches(&point)
                && position_in(&exact, &point) == CoordPos::OnBoundary
            {
                placed.border.push(number);
            }
        }
        placed
    }
}

/// Zones of one level that both hold cameras strictly inside: the zone
/// that counts them (the first), the zone that does not, and how many.
/// Zones of one level should not overlap; where they do (a commune
/// relation that lost its `inner` members and covers its neighbour's
/// exclave, a GeoJSON of communes and of communes déléguées), the second
/// read 0 with no word (found 2026-12-05).
pub type Overlaps = Vec<(usize, usize, u64)>;

/// The zone of each of `len` points by the border rule, from what each
/// zone (in zone order; `None` for one that holds nothing) found: the
/// first zone holding the point strictly, else the first with it on its
/// border; with the [`Overlaps`] it met.
pub fn resolve_overlapping(
    len: usize,
    zones: &[Option<&Placed>],
) -> (Vec<Option<usize>>, Overlaps) {
    let mut inside: Vec<Option<usize>> = vec![None; len];
    let mut border: Vec<Option<usize>> = vec![None; len];
    let mut overlaps: std::collections::BTreeMap<(usize, usize), u64> = Default::default();
    for (zone, placed) in zones.iter().enumerate() {
        let Some(placed) = placed else {
            continue;
        };
        for &number in &placed.inside {
            let first = *inside[number as usize].get_or_insert(zone);
            if first != zone {
                *overlaps.entry((first, zone)).or_default() += 1;
            }
        }
        for &number in &placed.border {
            border[number as usize].get_or_insert(zone);
        }
    }
    // A point on a zone's border and strictly inside an earlier or later
    // one is lost to the first as surely as one inside both: the zone it
    // would go to by the border rule does not count it. Only those inside
    // both were said, so a commune short of its border cameras read 0
    // with no word (found 2026-12-05).
    for (a, b) in inside.iter().zip(&border) {
        if let (Some(first), Some(edge)) = (*a, *b) {
            if first != edge {
                *overlaps.entry((first, edge)).or_default() += 1;
            }
        }
    }
    let located = inside
        .into_iter()
        .zip(border)
        .map(|(a, b)| a.or(b))
        .collect();
    let overlaps = overlaps.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    (located, overlaps)
}

/// The zone holding each point (`None` for a point in none, or without a
/// position), by the border rule: each zone is placed from what it
/// carries (placed at assembly; see [`Placed::of`]) or from its geometry,
/// in parallel; a zone with neither holds nothing.
///
/// Panics when a zone was placed against another list of points: its
/// numbers would name other cameras, a wrong figure.
pub fn locate(
    points: &[Option<(f64, f64)>],
    zones: &[(Option<&MultiPolygon<f64>>, Option<&Placed>)],
) -> Vec<Option<usize>> {
    locate_overlapping(points, zones).0
}

/// [`locate`], with the [`Overlaps`] it met.
pub fn locate_overlapping(
    points: &[Option<(f64, f64)>],
    zones: &[(Option<&MultiPolygon<f64>>, Option<&Placed>)],
) -> (Vec<Option<usize>>, Overlaps) {
    let index = zones
        .iter()
        .any(|(geometry, placed)| placed.is_none() && geometry.is_some())
        .then(|| PointIndex::new(points));
    let found: Vec<Option<std::borrow::Cow<'_, Placed>>> = zones
        .par_iter()
        .map(|&(geometry, placed)| match (placed, geometry, &index) {
            (Some(placed), _, _) => {
                assert_eq!(
                    placed.of,
                    points.len(),
                    "a zone placed against another list of points"
                );
                Some(std::borrow::Cow::Borrowed(placed))
            }
            (None, Some(geometry), Some(index)) => {
                Some(std::borrow::Cow::Owned(index.place(geometry)))
            }
            _ => None,
        })
        .collect();
    let found: Vec<Option<&Placed>> = found.iter().map(|p| p.as_deref()).collect();
    resolve_overlapping(points.len(), &found)
}

/// Where `point` lies against the polygons' union: inside one, else on the
/// border of one, else outside. Not geo's `coordinate_position` on the
/// multipolygon: its "mod 2" rule puts a vertex or edge shared by two of
/// its parts (exclaves touching at a point, features joined by code)
/// outside.
fn position_in(shape: &MultiPolygon<f64>, point: &Coord<f64>) -> CoordPos {
    let mut position = CoordPos::Outside;
    for polygon in shape {
        match polygon.coordinate_position(point) {
            CoordPos::Inside => return CoordPos::Inside,
            CoordPos::OnBoundary => position = CoordPos::OnBoundary,
            CoordPos::Outside => {}
        }
    }
    position
}

/// A point in degrees on the grid.
fn grid(lon: f64, lat: f64) -> Coord<f64> {
    Coord {
        x: to_grid(lon),
        y: to_grid(lat),
    }
}

/// A geometry on the grid, oriented: the interval tree counts winding
/// numbers, so holes must wind against their exterior, whatever the
/// source did. `oriented` says the source did (the grid keeps every
/// vertex's order, so it keeps each ring's winding).
fn on_grid(geometry: &MultiPolygon<f64>, oriented: bool) -> MultiPolygon<f64> {
    let exact = geometry.map_coords(|c| grid(c.x, c.y));
    debug_assert!(!oriented || is_oriented(&exact), "not oriented");
    if oriented || is_oriented(&exact) {
        exact
    } else {
        exact.orient(Direction::Default)
    }
}

/// True when every exterior winds counter-clockwise and every hole clockwise.
fn is_oriented(geometry: &MultiPolygon<f64>) -> bool {
    geometry
        .iter()
        .all(|p| p.exterior().is_ccw() && p.interiors().iter().all(|hole| hole.is_cw()))
}
