//! Whether the extract covers each zone given from outside
//! (`--boundaries`): a commune polygon beyond the file's bounding box has
//! no data in the file, and counting it would print 0 cameras for a town
//! nobody looked at.
//!
//! Why the header's bounding box: it is the extract's own statement of
//! where its data lies (osmium and Geofabrik write it), and reading it
//! costs nothing. It is a box around the cut, so a zone inside it may
//! still be partly uncovered; a zone beyond it certainly is. OSM
//! boundaries need no such check: a relation the extract cut is already
//! `incomplete`.
//!
//! In: the zones and the header's box. Out: zones marked
//! `outside_extract` (not counted) or `partial` (counted, a floor), and
//! how many of each.

use geo::{Area, BoundingRect, Coord, LineString, MultiPolygon};

use crate::boundary::Status;
use crate::pbf::header::BBox;
use crate::zone::Zone;

/// How many zones the box leaves out or cuts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub outside: usize,
    pub partial: usize,
}

/// Marks the counted zones the box does not hold whole: those it does not
/// reach become `outside_extract`, those it cuts `partial`, with the share
/// of their area inside it in the reason.
pub fn mark_coverage(zones: &mut [Zone], bbox: &BBox) -> Coverage {
    let mut coverage = Coverage::default();
    for zone in zones.iter_mut().filter(|z| z.status == Status::Ok) {
        let Some(geometry) = &zone.geometry else {
            continue;
        };
        match covered(geometry, bbox) {
            (Status::OutsideExtract, _) => {
                zone.status = Status::OutsideExtract;
                zone.reason = "outside the extract: its bounding box does not reach this \
                               polygon, so the file holds no data there"
                    .to_string();
                coverage.outside += 1;
            }
            (Status::Partial, share) => {
                zone.status = Status::Partial;
                zone.reason = format!(
                    "only {} of its area lies in the extract's bounding box: \
                     cameras beyond it are not in the file, so the count is a floor",
                    percent(share)
                );
                coverage.partial += 1;
            }
            _ => {}
        }
    }
    coverage
}

/// How each zone stands against another file's box, as [`mark_coverage`]
/// would mark it (an unbuilt zone keeps its status), the zones left as
/// they are: `compare` counts both snapshots in the same zones.
pub fn statuses_in(zones: &[Zone], bbox: &BBox) -> Vec<Status> {
    (zones.iter())
        .map(|zone| match (&zone.geometry, zone.status) {
            (Some(geometry), Status::Ok | Status::Partial | Status::OutsideExtract) => {
                covered(geometry, bbox).0
            }
            _ => zone.status,
        })
        .collect()
}

/// `Ok` when the box holds the polygon whole, else `Partial` or
/// `OutsideExtract`, with the share of its area inside the box.
fn covered(geometry: &MultiPolygon<f64>, bbox: &BBox) -> (Status, f64) {
    let Some(rect) = geometry.bounding_rect() else {
        return (Status::Ok, 1.0);
    };
    let within = bbox.contains(rect.min().x_y()) && bbox.contains(rect.max().x_y());
    if within {
        return (Status::Ok, 1.0);
    }
    let share = share_inside(geometry, bbox);
    let status = match share {
        s if s <= 0.0 => Status::OutsideExtract,
        s if s < 1.0 => Status::Partial,
        _ => Status::Ok,
    };
    (status, share)
}

/// "15 %", never "0 %" or "100 %" for a share strictly between.
fn percent(share: f64) -> String {
    let p = (share * 100.0).round().clamp(1.0, 99.0);
    format!("{p} %")
}

/// The share of a multipolygon's (planar, in degrees) area inside the box:
/// each ring clipped to the box (Sutherland–Hodgman, exact for the area of
/// a convex clip window), holes subtracted.
fn share_inside(geometry: &MultiPolygon<f64>, bbox: &BBox) -> f64 {
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
    use super::*;
    use geo::polygon;

    fn zone(x: f64, y: f64) -> Zone {
        let square = polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)
        ];
        Zone {
            admin_level: "8".into(),
            osm_id: None,
            reference: Some(format!("{x}")),
            name: None,
            population: None,
            area_km2: None,
            status: Status::Ok,
            reason: String::new(),
            geometry: Some(MultiPolygon(vec![square])),
        }
    }

    const BOX: BBox = BBox {
        min_lon: 0.0,
        min_lat: 0.0,
        max_lon: 2.0,
        max_lat: 1.0,
    };

    #[test]
    fn zones_are_inside_cut_or_outside_the_box() {
        let mut zones = vec![zone(0.5, 0.0), zone(1.75, 0.0), zone(5.0, 5.0)];
        let coverage = mark_coverage(&mut zones, &BOX);
        assert_eq!(
            coverage,
            Coverage {
                outside: 1,
                partial: 1
            }
        );
        let status: Vec<_> = zones.iter().map(|z| z.status).collect();
        assert_eq!(
            status,
            [Status::Ok, Status::Partial, Status::OutsideExtract]
        );
        assert!(zones[1].reason.contains("only 25 %"), "{}", zones[1].reason);
    }

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
