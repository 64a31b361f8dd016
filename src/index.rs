//! The spatial join: which boundary holds each camera.
//!
//! Why this shape: an R-tree over boundary bounding boxes narrows a camera
//! to a few candidates. A candidate is then tested exactly, by one of two
//! means, chosen per boundary by how many cameras fall in its box:
//! - a plain winding-number pass over its vertices (`coordinate_position`,
//!   about 3 ns a vertex), for a boundary few cameras fall in: most
//!   communes of a region;
//! - an interval tree (`geo::indexed::IntervalTreeMultiPolygon`), which
//!   answers in logarithmic time but costs about 71 ns a vertex to build:
//!   worth it from about 24 cameras on (BUSY_SHAPE), as in a city.
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
//! In: boundaries with geometry, and points. Out: a boundary position per point.

use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::indexed::IntervalTreeMultiPolygon;
use geo::orient::{Direction, Orient};
use std::borrow::Cow;

use geo::winding_order::Winding;
use geo::{BoundingRect, Contains, Coord, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// From how many points in its box a boundary gets an interval tree. The
/// tree costs about 24 plain passes to build on real commune shapes (71
/// against 3 ns a vertex, the 2,288 communes of the 1 GiB corpus; 45 on the
/// `join` bench's 2000-vertex ring), so below this the passes are cheaper,
/// and above it building costs at most about twice the cheaper choice.
const BUSY_SHAPE: usize = 24;

/// Boundaries prepared for point lookups; borrows the geometries.
pub struct BoundaryIndex<'a> {
    tree: RTree<Entry>,
    shapes: Vec<Option<Shape<'a>>>,
}

struct Shape<'a> {
    /// Borrowed when already oriented (ours always are), else a copy.
    exact: Cow<'a, MultiPolygon<f64>>,
    /// Built by [`BoundaryIndex::locate_all`] for a busy shape.
    fast: Option<IntervalTreeMultiPolygon<f64>>,
}

impl Shape<'_> {
    /// Whether `point` is strictly inside, by the tree; `None` without a
    /// tree, when the plain pass (which tells the border too) must answer.
    fn strictly_contains(&self, point: &Coord<f64>) -> Option<bool> {
        self.fast.as_ref().map(|tree| tree.contains(point))
    }
}

impl<'a> BoundaryIndex<'a> {
    /// Indexes the geometries, keeping their positions; `None` entries
    /// (unbuilt boundaries) can never hold a point.
    pub fn new(geometries: impl IntoIterator<Item = Option<&'a MultiPolygon<f64>>>) -> Self {
        let geometries: Vec<Option<&'a MultiPolygon<f64>>> = geometries.into_iter().collect();
        // Each shape is prepared on its own: in parallel.
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
            .map(|point| point.map_or_else(Vec::new, |(lon, lat)| self.candidates(lon, lat)))
            .collect();
        let mut hits = vec![0usize; self.shapes.len()];
        for &position in candidates.iter().flatten() {
            hits[position] += 1;
        }
        self.shapes
            .par_iter_mut()
            .zip(hits)
            .filter(|(shape, hits)| shape.is_some() && *hits >= BUSY_SHAPE)
            .for_each(|(shape, _)| {
                if let Some(shape) = shape {
                    shape.fast = Some(IntervalTreeMultiPolygon::new(&shape.exact));
                }
            });
        points
            .par_iter()
            .zip(&candidates)
            .map(|(point, candidates)| {
                let (x, y) = (*point)?;
                self.locate_among(Coord { x, y }, candidates)
            })
            .collect()
    }

    /// The position of the boundary holding `(lon, lat)`, by the border rule.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        self.locate_among(Coord { x: lon, y: lat }, &self.candidates(lon, lat))
    }

    /// The boundaries whose box holds the point, in boundary order.
    fn candidates(&self, lon: f64, lat: f64) -> Vec<usize> {
        let mut candidates: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(AABB::from_point([lon, lat]))
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
                None => Some(shape.exact.coordinate_position(&point)),
            };
            if plain == Some(CoordPos::Inside) {
                return Some(p);
            }
            outside_or_on.push((p, shape, plain));
        }
        outside_or_on.into_iter().find_map(|(p, shape, plain)| {
            let position = plain.unwrap_or_else(|| shape.exact.coordinate_position(&point));
            (position == CoordPos::OnBoundary).then_some(p)
        })
    }
}

/// A geometry's bounding box and prepared shape; `None` when it is empty.
fn prepare(geometry: &MultiPolygon<f64>) -> Option<(Rectangle<[f64; 2]>, Shape<'_>)> {
    let rect = geometry.bounding_rect()?;
    let corners =
        Rectangle::from_corners([rect.min().x, rect.min().y], [rect.max().x, rect.max().y]);
    // The interval tree counts winding numbers, so holes must wind against
    // their exterior; orient whatever the source did.
    let exact = if is_oriented(geometry) {
        Cow::Borrowed(geometry)
    } else {
        Cow::Owned(geometry.orient(Direction::Default))
    };
    Some((corners, Shape { exact, fast: None }))
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
}
