//! The share of a polygon's area inside a box, for a zone the extract's
//! bounding box cuts: each ring clipped to the box (Sutherland–Hodgman,
//! exact for the area of a convex clip window), holes subtracted.
//!
//! In: a multipolygon and a box, in degrees. Out: a share in [0, 1].

use geo::{Area, Coord, LineString, MultiPolygon};

use crate::pbf::header::BBox;

/// The share of a multipolygon's (planar, in degrees) area inside the box:
/// each ring clipped to the box (Sutherland–Hodgman, exact for the area of
/// a convex clip window), holes subtracted.
pub(super) fn share_inside(geometry: &MultiPolygon<f64>, bbox: &BBox) -> f64 {
    let total = geometry.unsigned_area();
    if total <= 0.0 {
        return 0.0;
    }
    let inside: f64 = (geometry.iter())
        .map(|polygon| {
            let outer = clipped_area(polygon.exterior(), bbox);
            let holes: f64 = polygon
                .interiors()
                .iter()
                .map(|r| clipped_area(r, bbox))
                .sum();
            (outer - holes).max(0.0)
        })
        .sum();
    (inside / total).clamp(0.0, 1.0)
}

/// The area of the part of a ring inside the box.
fn clipped_area(ring: &LineString<f64>, bbox: &BBox) -> f64 {
    // A point is kept by an edge of the box when `side` is not negative;
    // `cross` is where a segment meets that edge.
    type Edge = (fn(Coord, &BBox) -> f64, fn(Coord, Coord, &BBox) -> Coord);
    let edges: [Edge; 4] = [
        (|c, b| c.x - b.min_lon, |p, q, b| at_x(p, q, b.min_lon)),
        (|c, b| b.max_lon - c.x, |p, q, b| at_x(p, q, b.max_lon)),
        (|c, b| c.y - b.min_lat, |p, q, b| at_y(p, q, b.min_lat)),
        (|c, b| b.max_lat - c.y, |p, q, b| at_y(p, q, b.max_lat)),
    ];
    let mut points: Vec<Coord> = ring.coords().copied().collect();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    for (side, cross) in edges {
        let mut kept = Vec::with_capacity(points.len() + 4);
        for (i, &q) in points.iter().enumerate() {
            let p = points[(i + points.len() - 1) % points.len()];
            let (p_in, q_in) = (side(p, bbox) >= 0.0, side(q, bbox) >= 0.0);
            if q_in != p_in {
                kept.push(cross(p, q, bbox));
            }
            if q_in {
                kept.push(q);
            }
        }
        points = kept;
        if points.is_empty() {
            return 0.0;
        }
    }
    let n = points.len();
    let twice: f64 = (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.x * b.y - b.x * a.y
        })
        .sum();
    twice.abs() / 2.0
}

fn at_x(p: Coord, q: Coord, x: f64) -> Coord {
    let t = (x - p.x) / (q.x - p.x);
    Coord {
        x,
        y: p.y + t * (q.y - p.y),
    }
}

fn at_y(p: Coord, q: Coord, y: f64) -> Coord {
    let t = (y - p.y) / (q.y - p.y);
    Coord {
        x: p.x + t * (q.x - p.x),
        y,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::BOX;
    use super::*;

    #[test]
    fn a_hole_outside_the_box_does_not_count_against_it() {
        let ring = |pts: &[(f64, f64)]| LineString::from(pts.to_vec());
        let polygon = geo::Polygon::new(
            ring(&[(0.0, 0.0), (4.0, 0.0), (4.0, 1.0), (0.0, 1.0), (0.0, 0.0)]),
            vec![ring(&[
                (3.0, 0.25),
                (3.5, 0.25),
                (3.5, 0.75),
                (3.0, 0.75),
                (3.0, 0.25),
            ])],
        );
        let geometry = MultiPolygon(vec![polygon]);
        // 2 of the 3.75 square degrees lie in the box.
        let share = share_inside(&geometry, &BOX);
        assert!((share - 2.0 / 3.75).abs() < 1e-12, "{share}");
    }
}
