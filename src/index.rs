//! The spatial join: which boundary holds each camera.
//!
//! Why this shape: an R-tree over boundary bounding boxes narrows a camera
//! to a few candidates. A candidate is then tested exactly, by one of two
//! means, chosen per boundary by how many cameras fall in its box:
//! - a plain winding-number pass over its vertices (`coordinate_position`),
//!   cheap per vertex, for a boundary few cameras fall in: most communes
//!   of a region;
//! - an interval tree (`geo::indexed::IntervalTreeMultiPolygon`), which
//!   answers in logarithmic time but costs many plain passes to build:
//!   worth it only when many cameras fall in the box (BUSY_SHAPE), as in a
//!   city.
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
//! In: boundaries with geometry, and points. Out: a boundary position per point.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::indexed::IntervalTreeMultiPolygon;
use geo::orient::{Direction, Orient};
use geo::MapCoords;
use std::sync::OnceLock;

use geo::winding_order::Winding;
use geo::{BoundingRect, Contains, Coord, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// From how many points in its box a boundary gets an interval tree: about
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

/// Boundaries prepared for point lookups, on the 1e-7 degree grid.
pub struct BoundaryIndex<'a> {
    tree: RTree<Entry>,
    shapes: Vec<Option<Shape<'a>>>,
}

struct Shape<'a> {
    source: &'a MultiPolygon<f64>,
    /// The geometry on the grid, oriented: made for a boundary whose box
    /// holds a point, the first time one does. A national run has tens of
    /// thousands of communes, most without a camera: their copies would
    /// double the polygons' memory for nothing.
    exact: OnceLock<MultiPolygon<f64>>,
    /// Built by [`BoundaryIndex::locate_all`] for a busy shape.
    fast: Option<IntervalTreeMultiPolygon<f64>>,
}

impl Shape<'_> {
    fn exact(&self) -> &MultiPolygon<f64> {
        self.exact.get_or_init(|| on_grid(self.source))
    }

    /// Whether `point` is strictly inside, by the tree; `None` without a
    /// tree, when the plain pass (which tells the border too) must answer.
    fn strictly_contains(&self, point: &Coord<f64>) -> Option<bool> {
        self.fast.as_ref().map(|tree| tree.contains(point))
    }
}

impl<'a> BoundaryIndex<'a> {
    /// Indexes the geometries' boxes, keeping their positions; `None`
    /// entries (unbuilt boundaries) can never hold a point.
    pub fn new(geometries: impl IntoIterator<Item = Option<&'a MultiPolygon<f64>>>) -> Self {
        let geometries: Vec<Option<&'a MultiPolygon<f64>>> = geometries.into_iter().collect();
        // Each box is found on its own: in parallel.
        let shapes: Vec<Option<(Rectangle<[f64; 2]>, Shape<'a>)>> = geometries
            .into_par_iter()
            .map(|geometry| geometry.and_then(prepare))
            .collect();
        let entries = shapes
            .iter()
            .enumerate()
            .filter_map(|(position, shape)| {
                let (corners, _) = shape.as_ref()?;
                Some(GeomWithData::new(*corners, position))
            })
            .collect();
        BoundaryIndex {
            tree: RTree::bulk_load(entries),
            shapes: shapes
                .into_iter()
                .map(|shape| shape.map(|(_, shape)| shape))
                .collect(),
        }
    }

    /// The position of the boundary holding each `(lon, lat)`, by the border
    /// rule, in parallel; `None` for a point in none, or no point. Busy
    /// boundaries (24 or more points in their box: `BUSY_SHAPE`) get their
    /// interval tree first.
    pub fn locate_all(mut self, points: &[Option<(f64, f64)>]) -> Vec<Option<usize>> {
        let candidates: Vec<Vec<usize>> = points
            .par_iter()
            .map(|point| point.map_or_else(Vec::new, |(lon, lat)| self.candidates(grid(lon, lat))))
            .collect();
        let mut hits = vec![0usize; self.shapes.len()];
        for &position in candidates.iter().flatten() {
            hits[position] += 1;
        }
        // Every shape a point may fall in is put on the grid (in parallel,
        // not one at a time as points first reach it).
        self.shapes
            .par_iter_mut()
            .zip(hits)
            .filter(|(shape, hits)| shape.is_some() && *hits > 0)
            .for_each(|(shape, hits)| {
                if let Some(shape) = shape {
                    if hits >= BUSY_SHAPE {
                        shape.fast = Some(IntervalTreeMultiPolygon::new(shape.exact()));
                    } else {
                        shape.exact();
                    }
                }
            });
        points
            .par_iter()
            .zip(&candidates)
            .map(|(point, candidates)| {
                let (lon, lat) = (*point)?;
                self.locate_among(grid(lon, lat), candidates)
            })
            .collect()
    }

    /// The position of the boundary holding `(lon, lat)`, by the border rule.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        let point = grid(lon, lat);
        self.locate_among(point, &self.candidates(point))
    }

    /// The boundaries whose box holds the grid point, in boundary order.
    fn candidates(&self, point: Coord<f64>) -> Vec<usize> {
        let mut candidates: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(AABB::from_point([point.x, point.y]))
            .map(|entry| entry.data)
            .collect();
        candidates.sort_unstable();
        candidates
    }

    /// The border rule over `candidates` (in boundary order): the first
    /// that holds the point strictly, else the first with it on its border.
    /// A plain pass answers both at once; a tree answers only the first, so
    /// the border is looked for (exactly) only when no candidate holds it.
    fn locate_among(&self, point: Coord<f64>, candidates: &[usize]) -> Option<usize> {
        // Each shape not holding the point, with what a plain pass said of
        // it (`None` for a tree's "not strictly inside").
        let mut outside_or_on = Vec::with_capacity(candidates.len());
        for &p in candidates {
            let Some(shape) = self.shapes[p].as_ref() else {
                continue;
            };
            let plain = match shape.strictly_contains(&point) {
                Some(true) => return Some(p),
                Some(false) => None,
                None => Some(position_in(shape.exact(), &point)),
            };
            if plain == Some(CoordPos::Inside) {
                return Some(p);
            }
            outside_or_on.push((p, shape, plain));
        }
        outside_or_on.into_iter().find_map(|(p, shape, plain)| {
            let position = plain.unwrap_or_else(|| position_in(shape.exact(), &point));
            (position == CoordPos::OnBoundary).then_some(p)
        })
    }
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

/// A geometry's bounding box on the grid, and its shape to prepare;
/// `None` when it is empty. Rounding to the grid keeps order, so the box
/// of the rounded vertices is the rounded box.
fn prepare(geometry: &MultiPolygon<f64>) -> Option<(Rectangle<[f64; 2]>, Shape<'_>)> {
    let rect = geometry.bounding_rect()?;
    let (min, max) = (
        grid(rect.min().x, rect.min().y),
        grid(rect.max().x, rect.max().y),
    );
    let corners = Rectangle::from_corners([min.x, min.y], [max.x, max.y]);
    let shape = Shape {
        source: geometry,
        exact: OnceLock::new(),
        fast: None,
    };
    Some((corners, shape))
}

/// A geometry on the grid, oriented: the interval tree counts winding
/// numbers, so holes must wind against their exterior, whatever the
/// source did.
fn on_grid(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let exact = geometry.map_coords(|c| grid(c.x, c.y));
    if is_oriented(&exact) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![polygon![
            (x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size), (x: x0, y: y0)
        ]])
    }

    #[test]
    fn points_inside_on_shared_border_and_outside() {
        let west = square(0.0, 0.0, 1.0);
        let east = square(1.0, 0.0, 1.0);
        let index = BoundaryIndex::new([Some(&west), None, Some(&east)]);
        assert_eq!(index.locate(0.5, 0.5), Some(0));
        assert_eq!(index.locate(1.5, 0.5), Some(2));
        // Exactly on the shared border: the first in boundary order.
        assert_eq!(index.locate(1.0, 0.5), Some(0));
        assert_eq!(index.locate(2.0, 0.5), Some(2));
        assert_eq!(index.locate(3.0, 0.5), None);
    }

    /// Points inside, on borders (shared and of a hole), in a hole and
    /// outside, many per shape so that each gets its interval tree: the
    /// trees must answer as the plain passes do.
    #[test]
    fn busy_shapes_answer_as_the_plain_passes() {
        let holed = MultiPolygon::new(vec![geo::Polygon::new(
            square(0.0, 0.0, 4.0).0[0].exterior().clone(),
            vec![square(1.0, 1.0, 2.0).0[0].exterior().clone()],
        )]);
        let east = square(4.0, 0.0, 4.0);
        let shapes = [Some(&holed), None, Some(&east)];
        let points: Vec<(f64, f64)> = (0..=40)
            .flat_map(|i| (0..=20).map(move |j| (f64::from(i) * 0.25 - 1.0, f64::from(j) * 0.25)))
            .collect();
        let plain = BoundaryIndex::new(shapes);
        let expected: Vec<Option<usize>> =
            points.iter().map(|&(x, y)| plain.locate(x, y)).collect();
        let busy = BoundaryIndex::new(shapes);
        let found = busy.locate_all(&points.iter().copied().map(Some).collect::<Vec<_>>());
        assert_eq!(found, expected);
        // Each box holds enough points for its shape to get a tree.
        for (x0, x1) in [(0.0, 4.0), (4.0, 8.0)] {
            let in_box = points
                .iter()
                .filter(|&&(x, y)| (x0..=x1).contains(&x) && (0.0..=4.0).contains(&y))
                .count();
            assert!(in_box >= BUSY_SHAPE, "{in_box} points in the box at {x0}");
        }
        // The shared border x = 4 goes to the first shape; the hole is out.
        assert_eq!(plain.locate(4.0, 2.0), Some(0));
        assert_eq!(plain.locate(2.0, 2.0), None);
        assert_eq!(plain.locate(6.0, 2.0), Some(2));
    }

    /// Regression (2026-12-04): a point where two parts of one zone touch
    /// was outside it, by the "mod 2" boundary rule of simple features.
    #[test]
    fn a_vertex_shared_by_two_parts_of_one_zone_is_on_its_border() {
        let mut parts = square(0.0, 0.0, 1.0);
        parts.0.extend(square(1.0, 1.0, 1.0).0);
        parts.0.extend(square(3.0, 0.0, 1.0).0);
        parts.0.extend(square(4.0, 0.0, 1.0).0);
        let index = BoundaryIndex::new([Some(&parts)]);
        assert_eq!(index.locate(1.0, 1.0), Some(0), "shared vertex");
        assert_eq!(index.locate(4.0, 0.5), Some(0), "shared edge");
        assert_eq!(index.locate(2.0, 0.5), None);
        let busy = BoundaryIndex::new([Some(&parts)]);
        let points = vec![Some((1.0, 1.0)); BUSY_SHAPE + 1];
        assert!(busy.locate_all(&points).iter().all(|&z| z == Some(0)));
    }

    #[test]
    fn holes_are_outside() {
        let holed = MultiPolygon::new(vec![geo::Polygon::new(
            square(0.0, 0.0, 4.0).0[0].exterior().clone(),
            vec![square(1.0, 1.0, 2.0).0[0].exterior().clone()],
        )]);
        let index = BoundaryIndex::new([Some(&holed)]);
        assert_eq!(index.locate(2.0, 2.0), None);
        assert_eq!(index.locate(0.5, 0.5), Some(0));
        assert_eq!(
            index.locate(1.0, 2.0),
            Some(0),
            "on the hole's edge is on the border"
        );
    }

    /// An OSM vertex: 1e-7 degree integers divided, as `boundary::rings`.
    fn osm(grid: i32) -> f64 {
        f64::from(grid) / 1e7
    }

    /// A PBF camera on the same grid point: nanodegrees times 1e-9, as
    /// `pbf::block` decodes them.
    fn nano(grid: i32) -> f64 {
        (i64::from(grid) * 100) as f64 * 1e-9
    }

    fn osm_square(x0: i32, y0: i32, size: i32) -> MultiPolygon<f64> {
        let (x1, y1) = (x0 + size, y0 + size);
        MultiPolygon::new(vec![polygon![
            (x: osm(x0), y: osm(y0)), (x: osm(x1), y: osm(y0)), (x: osm(x1), y: osm(y1)),
            (x: osm(x0), y: osm(y1)), (x: osm(x0), y: osm(y0))
        ]])
    }

    // Grid points where the two decodings differ by an ulp (the camera's
    // double is the larger): a lon near Monaco, a lat near Monaco.
    const X: i32 = 74_200_000;
    const Y: i32 = 437_300_000;

    #[test]
    fn the_two_decodings_differ_where_these_tests_look() {
        for k in [X, Y] {
            assert!(nano(k) > osm(k), "{k}: {} vs {}", nano(k), osm(k));
            assert_eq!(to_grid(nano(k)), to_grid(osm(k)));
        }
    }

    /// Regression (2026-12-04): a camera on a shared edge went to the
    /// second zone, the one its one-ulp-larger longitude fell in.
    #[test]
    fn camera_on_a_shared_edge_goes_to_the_first_zone() {
        let west = osm_square(X - 1000, Y, 1000);
        let east = osm_square(X, Y, 1000);
        let index = BoundaryIndex::new([Some(&west), Some(&east)]);
        assert_eq!(index.locate(nano(X), nano(Y + 500)), Some(0));
        let reversed = BoundaryIndex::new([Some(&east), Some(&west)]);
        assert_eq!(reversed.locate(nano(X), nano(Y + 500)), Some(0));
    }

    /// Regression (2026-12-04): on a vertex shared by four zones the camera
    /// fell strictly inside the north-east one, listed last.
    #[test]
    fn camera_on_a_shared_vertex_goes_to_the_first_zone() {
        let squares = [
            osm_square(X - 1000, Y - 1000, 1000),
            osm_square(X, Y - 1000, 1000),
            osm_square(X - 1000, Y, 1000),
            osm_square(X, Y, 1000),
        ];
        let index = BoundaryIndex::new(squares.iter().map(Some));
        assert_eq!(index.locate(nano(X), nano(Y)), Some(0));
        let busy = BoundaryIndex::new(squares.iter().map(Some));
        let points = vec![Some((nano(X), nano(Y))); BUSY_SHAPE + 1];
        assert!(busy.locate_all(&points).iter().all(|&z| z == Some(0)));
    }

    /// Regression (2026-12-04): a camera on a zone's eastern or northern
    /// outer border was counted outside.
    #[test]
    fn camera_on_an_outer_border_is_inside() {
        let zone = osm_square(X - 1000, Y - 1000, 1000);
        let index = BoundaryIndex::new([Some(&zone)]);
        assert_eq!(index.locate(nano(X), nano(Y - 500)), Some(0));
        assert_eq!(index.locate(nano(X - 500), nano(Y)), Some(0));
        assert_eq!(index.locate(nano(X), nano(Y)), Some(0));
        assert_eq!(index.locate(nano(X + 1), nano(Y - 500)), None);
        // The same with the interval tree answering.
        let points = vec![Some((nano(X), nano(Y - 500))); BUSY_SHAPE + 1];
        let busy = BoundaryIndex::new([Some(&zone)]);
        assert!(busy.locate_all(&points).iter().all(|&z| z == Some(0)));
    }

    /// A GeoJSON vertex at 1e-5 degrees and a point finer than the grid
    /// both round to the grid: the documented rounding.
    #[test]
    fn coordinates_round_to_the_grid() {
        assert_eq!(to_grid(7.41234), 74_123_400.0);
        assert_eq!(to_grid(7.412_345_64), 74_123_456.0);
        assert_eq!(to_grid(-0.000_000_05), -1.0);
        let zone = square(7.41, 43.73, 0.01);
        let index = BoundaryIndex::new([Some(&zone)]);
        // 4 nanodegrees east of the edge rounds onto it.
        assert_eq!(index.locate(7.420_000_004, 43.735), Some(0));
        assert_eq!(index.locate(7.420_000_06, 43.735), None);
    }
}
