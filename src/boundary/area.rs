//! Areas of commune polygons on the WGS84 ellipsoid.
//!
//! Why not geographiclib's geodesic polygon area: it solves an inverse
//! geodesic problem for every edge, and on a country's boundaries that was
//! the largest cost of the boundary stage. Here each vertex is mapped once
//! to the authalic sphere (the sphere of the ellipsoid's area, latitudes
//! moved so that every band between two parallels keeps its area), and the
//! ring's area is its spherical excess, one `atan2` per edge (short
//! series, not library calls, for the small angles of real edges). The one
//! difference from the geodesic area is that an edge is a great circle on
//! that sphere instead of a geodesic on the ellipsoid, which moves the area
//! by a negligible amount for boundary edges; the tests compare both on
//! every real boundary and IGN commune we have.
//!
//! In: polygons in degrees (lon, lat). Out: square metres.

use std::f64::consts::PI;
use std::sync::atomic::{AtomicU64, Ordering};

use geo::{LineString, MultiPolygon, Polygon};

/// WGS84 semi-major axis, metres.
const A: f64 = 6_378_137.0;
/// WGS84 flattening.
const F: f64 = 1.0 / 298.257_223_563;

/// The area of a multipolygon in m²: each polygon's exterior less its holes,
/// whatever the winding.
pub fn ellipsoidal_area(shape: &MultiPolygon<f64>) -> f64 {
    let authalic = Authalic::wgs84();
    shape.0.iter().map(|p| polygon_area(p, &authalic)).sum()
}

fn polygon_area(polygon: &Polygon<f64>, authalic: &Authalic) -> f64 {
    let ring = |r: &LineString<f64>| ring_area(r, authalic);
    let holes: f64 = polygon.interiors().iter().map(ring).sum();
    (ring(polygon.exterior()) - holes).max(0.0)
}

/// The unsigned area of one closed ring, m².
fn ring_area(ring: &LineString<f64>, authalic: &Authalic) -> f64 {
    let mut vertices = ring.0.iter().map(|c| (c.x, c.y));
    let Some(start) = vertices.next() else {
        return 0.0;
    };
    let closed = std::iter::once(start).chain(vertices).chain([start]);
    path_excess_with(closed, authalic).abs() * authalic.radius_squared
}

/// The signed spherical excess of a path of OSM grid points (1e-7°), edge
/// by edge from first to last: reversed, the path has the opposite excess,
/// and a closed ring's excess is the sum of its parts'. So a way shared by
/// two communes is measured once and each ring adds its ways' excesses
/// ([`SharedExcess`], [`area_of_excess`]) instead of measuring every
/// border vertex twice.
pub fn path_excess(points: &[(i32, i32)]) -> f64 {
    let degrees = points
        .iter()
        .map(|&(x, y)| (f64::from(x) / 1e7, f64::from(y) / 1e7));
    path_excess_with(degrees, &Authalic::wgs84())
}

/// The area in m² of a ring whose signed excess (the sum of its parts'
/// [`path_excess`]) is `excess`.
pub fn area_of_excess(excess: f64) -> f64 {
    excess.abs() * Authalic::wgs84().radius_squared
}

/// The sum of each edge's signed excess along `vertices` (lon, lat in
/// degrees).
fn path_excess_with(vertices: impl Iterator<Item = (f64, f64)>, authalic: &Authalic) -> f64 {
    let mut vertices = vertices.map(|(lon, lat)| (lon.to_radians(), authalic.half_tan(lat)));
    let Some(start) = vertices.next() else {
        return 0.0;
    };
    // Each edge adds the signed excess of the trapezoid between it and the
    // equator (tangent half-angle form, stable for short edges); the sum is
    // the ring's excess. Longitude steps are folded into ±π, so a ring
    // across the antimeridian stays whole. An edge's term is odd in its
    // direction: reversed, it is exactly the opposite, but for a step
    // folded across the antimeridian, where the two differ by rounding.
    let (mut excess, mut previous) = (0.0, start);
    for vertex in vertices {
        let step = fold(vertex.0 - previous.0);
        let (t1, t2) = (previous.1, vertex.1);
        excess += 2.0 * atan2_small(tan_small(step / 2.0) * (t1 + t2), 1.0 + t1 * t2);
        previous = vertex;
    }
    excess
}

/// Each member way's [`path_excess`], measured by the first relation that
/// needs it and shared with the others (a border way bounds two communes,
/// so half the measuring of a country's boundaries is spared). Safe to
/// share between threads: a way measured twice at once gives the same
/// bits both times.
pub struct SharedExcess {
    /// Sorted, distinct way ids.
    ids: Vec<i64>,
    /// The excess's bits per id, [`UNMEASURED`] until measured.
    bits: Vec<AtomicU64>,
}

/// No excess is this NaN's bits (a measured path is a sum of finite terms).
const UNMEASURED: u64 = u64::MAX;

impl SharedExcess {
    /// A cache for the ways `ids` (any order, repeats allowed).
    pub fn new(mut ids: Vec<i64>) -> Self {
        ids.sort_unstable();
        ids.dedup();
        let bits = ids.iter().map(|_| AtomicU64::new(UNMEASURED)).collect();
        SharedExcess { ids, bits }
    }

    /// The excess of way `id` drawn through `points`, measured now unless
    /// a relation measured it before. A way the cache was not made for is
    /// measured each time.
    pub fn of(&self, id: i64, points: &[(i32, i32)]) -> f64 {
        let Ok(at) = self.ids.binary_search(&id) else {
            return path_excess(points);
        };
        let cell = &self.bits[at];
        match cell.load(Ordering::Relaxed) {
            UNMEASURED => {
                let excess = path_excess(points);
                cell.store(excess.to_bits(), Ordering::Relaxed);
                excess
            }
            bits => f64::from_bits(bits),
        }
    }
}

/// Below this, [`tan_small`] and [`atan2_small`] use their series: the
/// first term left out is under 1e-17 of the result.
const SMALL: f64 = 1e-2;

/// `x.tan()`, by its Taylor series for the small angles of boundary edges
/// (a commune's edge spans well under 0.01 rad of longitude).
fn tan_small(x: f64) -> f64 {
    if x.abs() >= SMALL {
        return x.tan();
    }
    let x2 = x * x;
    x * (1.0 + x2 * (1.0 / 3.0 + x2 * (2.0 / 15.0 + x2 * (17.0 / 315.0))))
}

/// `y.atan2(x)`, by the series of `atan(y / x)` when `x > 0` and the
/// ratio is small, as it is for a boundary edge's excess.
fn atan2_small(y: f64, x: f64) -> f64 {
    let z = y / x;
    if x <= 0.0 || z.abs() >= SMALL {
        return y.atan2(x);
    }
    let z2 = z * z;
    z * (1.0 - z2 * (1.0 / 3.0 - z2 * (1.0 / 5.0 - z2 * (1.0 / 7.0))))
}

/// A longitude step folded into ±π; a short step is left exact (adding π
/// to it would round it).
fn fold(step: f64) -> f64 {
    if step.abs() <= PI {
        step
    } else {
        (step + 3.0 * PI).rem_euclid(2.0 * PI) - PI
    }
}

/// The WGS84 ellipsoid's authalic sphere.
struct Authalic {
    e2: f64,
    /// q at the pole: the authalic function's largest value.
    q_pole: f64,
    radius_squared: f64,
}

impl Authalic {
    fn wgs84() -> Self {
        let e2 = F * (2.0 - F);
        let e = e2.sqrt();
        let q_pole = 1.0 + (1.0 - e2) * e.atanh() / e;
        Authalic {
            e2,
            q_pole,
            radius_squared: A * A * q_pole / 2.0,
        }
    }

    /// tan(β/2) for the authalic latitude β of a geodetic latitude in
    /// degrees, from sin β = q(φ) / q(90°) without an arcsine.
    fn half_tan(&self, lat: f64) -> f64 {
        let s = lat.to_radians().sin();
        let q = (1.0 - self.e2) * (s / (1.0 - self.e2 * s * s) + s * atanh_ratio(self.e2 * s * s));
        let sin_beta = (q / self.q_pole).clamp(-1.0, 1.0);
        sin_beta / (1.0 + (1.0 - sin_beta * sin_beta).sqrt())
    }
}

/// `atanh(x) / x` for `u = x²` at most the eccentricity squared (0.0067),
/// by its series Σ uᵏ / (2k + 1): the terms left out are under 1e-18.
fn atanh_ratio(u: f64) -> f64 {
    const TERMS: usize = 9;
    (0..TERMS)
        .rev()
        .fold(0.0, |sum, k| sum * u + 1.0 / (2 * k + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, GeodesicArea};

    fn relative_difference(shape: &MultiPolygon<f64>) -> f64 {
        let geodesic = shape.geodesic_area_unsigned();
        (ellipsoidal_area(shape) - geodesic).abs() / geodesic
    }

    fn assert_close(ours: f64, reference: f64, what: &str) {
        let tolerance = 4.0 * f64::EPSILON * reference.abs();
        assert!(
            (ours - reference).abs() <= tolerance,
            "{what}: {ours} against {reference}"
        );
    }

    #[test]
    fn series_agree_with_the_library_functions() {
        for i in -1000..=1000 {
            // Up to twice the series' limit, so both branches are checked.
            let x = f64::from(i) * 2e-5;
            assert_close(tan_small(x), x.tan(), &format!("tan {x}"));
            for x_side in [0.3, 1.0, 1.9] {
                let y = x * x_side;
                assert_close(
                    atan2_small(y, x_side),
                    y.atan2(x_side),
                    &format!("atan2 {y}"),
                );
            }
            let e2 = F * (2.0 - F);
            let x = f64::from(i) / 1000.0 * e2.sqrt();
            if x != 0.0 {
                assert_close(atanh_ratio(x * x), x.atanh() / x, &format!("atanh {x}"));
            }
        }
        assert_close(atan2_small(1e-3, -0.5), 1e-3f64.atan2(-0.5), "atan2, x < 0");
    }

    #[test]
    fn a_commune_sized_square_matches_the_geodesic_area() {
        let square = polygon![
            (x: 2.30, y: 48.80), (x: 2.40, y: 48.80), (x: 2.40, y: 48.90),
            (x: 2.30, y: 48.90), (x: 2.30, y: 48.80),
        ];
        let shape = MultiPolygon::new(vec![square]);
        assert!(
            relative_difference(&shape) < 1e-6,
            "{}",
            relative_difference(&shape)
        );
    }

    #[test]
    fn holes_are_subtracted_whatever_the_winding() {
        let outer = LineString::from(vec![
            (0.0, 0.0),
            (0.2, 0.0),
            (0.2, 0.2),
            (0.0, 0.2),
            (0.0, 0.0),
        ]);
        let hole = LineString::from(vec![
            (0.05, 0.05),
            (0.05, 0.1),
            (0.1, 0.1),
            (0.1, 0.05),
            (0.05, 0.05),
        ]);
        let with_hole = MultiPolygon::new(vec![Polygon::new(outer.clone(), vec![hole.clone()])]);
        let reversed = MultiPolygon::new(vec![Polygon::new(
            outer.0.iter().rev().copied().collect(),
            vec![hole.0.iter().rev().copied().collect()],
        )]);
        let whole = ellipsoidal_area(&MultiPolygon::new(vec![Polygon::new(outer, vec![])]));
        let hole_alone = ellipsoidal_area(&MultiPolygon::new(vec![Polygon::new(hole, vec![])]));
        assert!((ellipsoidal_area(&with_hole) - (whole - hole_alone)).abs() < 1e-3);
        assert!((ellipsoidal_area(&reversed) - ellipsoidal_area(&with_hole)).abs() < 1e-3);
        // Edges of 22 km, far longer than a boundary's: 1.1e-6 measured.
        assert!(relative_difference(&with_hole) < 1e-5);
    }

    #[test]
    fn a_ring_cut_into_paths_has_the_excess_of_its_parts() {
        // Around Toulouse, in 1e-7°: three paths, the last one drawn back.
        let ring = [
            (14_000_000, 436_000_000),
            (14_900_000, 436_100_000),
            (15_000_000, 436_900_000),
            (14_500_000, 437_200_000),
            (14_100_000, 436_800_000),
            (14_000_000, 436_000_000),
        ];
        let mut third = ring[4..].to_vec();
        third.reverse();
        let parts = path_excess(&ring[..3]) + path_excess(&ring[2..5]) - path_excess(&third);
        let line: LineString<f64> = ring
            .iter()
            .map(|&(x, y)| (f64::from(x) / 1e7, f64::from(y) / 1e7))
            .collect();
        let whole = ellipsoidal_area(&MultiPolygon::new(vec![Polygon::new(line, vec![])]));
        assert!((area_of_excess(parts) - whole).abs() <= 1e-9 * whole);
        // Reversed, a path's excess changes sign and nothing else.
        assert_eq!(path_excess(&third), -path_excess(&ring[4..]));
    }

    #[test]
    fn a_shared_excess_is_measured_once_and_given_back_unchanged() {
        let path = [(0, 0), (1_000, 20), (2_000, -30)];
        let shared = SharedExcess::new(vec![7, 3, 7]);
        let first = shared.of(7, &path);
        assert_eq!(first, path_excess(&path));
        // Asked again, even with other points, the way keeps its measure.
        assert_eq!(shared.of(7, &path[..2]).to_bits(), first.to_bits());
        // A way the cache was not made for is measured each time.
        assert_eq!(shared.of(5, &path[..2]), path_excess(&path[..2]));
    }

    #[test]
    fn a_ring_across_the_antimeridian_is_one_small_area() {
        let across = polygon![
            (x: 179.95, y: -17.0), (x: -179.95, y: -17.0), (x: -179.95, y: -16.9),
            (x: 179.95, y: -16.9), (x: 179.95, y: -17.0),
        ];
        let area = ellipsoidal_area(&MultiPolygon::new(vec![across]));
        // About 0.1° × 0.1° near 17° S: some 113 km².
        assert!((100e6..130e6).contains(&area), "{area}");
    }
}
