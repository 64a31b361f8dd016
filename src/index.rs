//! The spatial join: which boundary holds each camera.
//!
//! Why this shape: an R-tree over boundary bounding boxes narrows a camera to
//! a few candidates; an interval tree per boundary
//! (`geo::indexed::IntervalTreeMultiPolygon`, built the first time a point
//! falls in the boundary's box) answers "strictly inside?" in logarithmic
//! time per polygon, holes included. Only a point inside no
//! candidate takes the slow exact path, which tells a point on a border from
//! one outside (see the join bench in `benches/stages.rs`).
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
use std::sync::OnceLock;

use geo::winding_order::Winding;
use geo::{BoundingRect, Contains, Coord, MultiPolygon};
use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Boundaries prepared for point lookups; borrows the geometries.
pub struct BoundaryIndex<'a> {
    tree: RTree<Entry>,
    shapes: Vec<Option<Shape<'a>>>,
}

struct Shape<'a> {
    /// Borrowed when already oriented (ours always are), else a copy.
    exact: Cow<'a, MultiPolygon<f64>>,
    /// Built when a point first falls in the shape's bounding box: most
    /// communes of a region hold no camera, and their trees would go unused.
    fast: OnceLock<IntervalTreeMultiPolygon<f64>>,
}

impl Shape<'_> {
    fn strictly_contains(&self, point: &Coord<f64>) -> bool {
        self.fast
            .get_or_init(|| IntervalTreeMultiPolygon::new(&self.exact))
            .contains(point)
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

    /// The position of the boundary holding `(lon, lat)`, by the border rule.
    pub fn locate(&self, lon: f64, lat: f64) -> Option<usize> {
        let point = Coord { x: lon, y: lat };
        let mut candidates: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(AABB::from_point([lon, lat]))
            .map(|entry| entry.data)
            .collect();
        candidates.sort_unstable();
        let shape = |position: usize| self.shapes[position].as_ref();
        let inside = candidates
            .iter()
            .copied()
            .find(|&p| shape(p).is_some_and(|s| s.strictly_contains(&point)));
        inside.or_else(|| {
            candidates.iter().copied().find(|&p| {
                shape(p)
                    .is_some_and(|s| s.exact.coordinate_position(&point) == CoordPos::OnBoundary)
            })
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
    let fast = OnceLock::new();
    Some((corners, Shape { exact, fast }))
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
