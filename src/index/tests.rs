//! The join's rules, each zone placed alone or many points at once (busy
//! zones answer through their interval tree and border bands).

use super::*;
use geo::{polygon, MultiPolygon};

/// Shapes in zone order, located as the join locates them.
struct Index<'a>(Vec<Option<&'a MultiPolygon<f64>>>);

impl<'a> Index<'a> {
    fn new(shapes: impl IntoIterator<Item = Option<&'a MultiPolygon<f64>>>) -> Self {
        Index(shapes.into_iter().collect())
    }

    /// One point alone: never busy, so every zone takes the plain pass.
    fn locate(&self, x: f64, y: f64) -> Option<usize> {
        self.locate_all(&[Some((x, y))])[0]
    }

    fn locate_all(&self, points: &[Option<(f64, f64)>]) -> Vec<Option<usize>> {
        let zones: Vec<_> = self.0.iter().map(|&g| (g, None)).collect();
        locate(points, &zones)
    }
}

fn square(x0: f64, y0: f64, size: f64) -> MultiPolygon<f64> {
    MultiPolygon::new(vec![polygon![
        (x: x0, y: y0), (x: x0 + size, y: y0), (x: x0 + size, y: y0 + size), (x: x0, y: y0 + size), (x: x0, y: y0)
    ]])
}

#[test]
fn points_inside_on_shared_border_and_outside() {
    let west = square(0.0, 0.0, 1.0);
    let east = square(1.0, 0.0, 1.0);
    let index = Index::new([Some(&west), None, Some(&east)]);
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
    let plain = Index::new(shapes);
    let expected: Vec<Option<usize>> = points.iter().map(|&(x, y)| plain.locate(x, y)).collect();
    let busy = Index::new(shapes);
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
    let index = Index::new([Some(&parts)]);
    assert_eq!(index.locate(1.0, 1.0), Some(0), "shared vertex");
    assert_eq!(index.locate(4.0, 0.5), Some(0), "shared edge");
    assert_eq!(index.locate(2.0, 0.5), None);
    let busy = Index::new([Some(&parts)]);
    let points = vec![Some((1.0, 1.0)); BUSY_SHAPE + 1];
    assert!(busy.locate_all(&points).iter().all(|&z| z == Some(0)));
}

#[test]
fn holes_are_outside() {
    let holed = MultiPolygon::new(vec![geo::Polygon::new(
        square(0.0, 0.0, 4.0).0[0].exterior().clone(),
        vec![square(1.0, 1.0, 2.0).0[0].exterior().clone()],
    )]);
    let index = Index::new([Some(&holed)]);
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
    let index = Index::new([Some(&west), Some(&east)]);
    assert_eq!(index.locate(nano(X), nano(Y + 500)), Some(0));
    let reversed = Index::new([Some(&east), Some(&west)]);
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
    let index = Index::new(squares.iter().map(Some));
    assert_eq!(index.locate(nano(X), nano(Y)), Some(0));
    let busy = Index::new(squares.iter().map(Some));
    let points = vec![Some((nano(X), nano(Y))); BUSY_SHAPE + 1];
    assert!(busy.locate_all(&points).iter().all(|&z| z == Some(0)));
}

/// Regression (2026-12-04): a camera on a zone's eastern or northern
/// outer border was counted outside.
#[test]
fn camera_on_an_outer_border_is_inside() {
    let zone = osm_square(X - 1000, Y - 1000, 1000);
    let index = Index::new([Some(&zone)]);
    assert_eq!(index.locate(nano(X), nano(Y - 500)), Some(0));
    assert_eq!(index.locate(nano(X - 500), nano(Y)), Some(0));
    assert_eq!(index.locate(nano(X), nano(Y)), Some(0));
    assert_eq!(index.locate(nano(X + 1), nano(Y - 500)), None);
    // The same with the interval tree answering.
    let points = vec![Some((nano(X), nano(Y - 500))); BUSY_SHAPE + 1];
    let busy = Index::new([Some(&zone)]);
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
    let index = Index::new([Some(&zone)]);
    // 4 nanodegrees east of the edge rounds onto it.
    assert_eq!(index.locate(7.420_000_004, 43.735), Some(0));
    assert_eq!(index.locate(7.420_000_06, 43.735), None);
}

/// Many zones sharing edges and vertices, with holes, and a grid of points
/// on and between their edges: every point placed alone (plain passes)
/// and all at once (busy zones: trees and border bands) agree, and a zone
/// placed ahead of time answers as its geometry does.
#[test]
fn busy_and_plain_agree_on_a_patchwork() {
    let mut shapes = Vec::new();
    for i in 0..4 {
        for j in 0..3 {
            let (x, y) = (f64::from(i) * 3.0, f64::from(j) * 3.0);
            let outer = square(x, y, 3.0).0[0].exterior().clone();
            let holes = match (i + j) % 2 {
                0 => vec![square(x + 1.0, y + 1.0, 1.0).0[0].exterior().clone()],
                _ => Vec::new(),
            };
            shapes.push(MultiPolygon::new(vec![geo::Polygon::new(outer, holes)]));
        }
    }
    // A triangle over several squares, overlapping them.
    shapes.push(MultiPolygon::new(vec![polygon![
        (x: 1.0, y: 1.0), (x: 10.0, y: 2.0), (x: 4.0, y: 8.0), (x: 1.0, y: 1.0)
    ]]));
    let points: Vec<Option<(f64, f64)>> = (0..=52)
        .flat_map(|i| {
            (0..=40).map(move |j| Some((f64::from(i) * 0.25 - 0.5, f64::from(j) * 0.25 - 0.5)))
        })
        .collect();
    let index = Index::new(shapes.iter().map(Some));
    let alone: Vec<Option<usize>> = points
        .iter()
        .map(|p| p.and_then(|(x, y)| index.locate(x, y)))
        .collect();
    let together = index.locate_all(&points);
    assert_eq!(together, alone);
    assert!(
        alone.iter().any(Option::is_none),
        "some points in holes or beyond"
    );
    // Placed ahead of time (as at assembly), with the geometry dropped.
    let points_index = PointIndex::new(&points);
    let placed: Vec<Placed> = shapes.iter().map(|s| points_index.place(s)).collect();
    let ahead: Vec<_> = placed.iter().map(|p| (None, Some(p))).collect();
    assert_eq!(locate(&points, &ahead), alone);
}

#[test]
#[should_panic(expected = "another list of points")]
fn a_zone_placed_against_other_points_is_refused() {
    let zone = square(0.0, 0.0, 1.0);
    let placed = PointIndex::new(&[Some((0.5, 0.5))]).place(&zone);
    locate(&[Some((0.5, 0.5)), None], &[(None, Some(&placed))]);
}

/// Regression (2026-12-05): a camera on A's border, strictly inside a
/// zone Z that overlaps A, went to Z with no word: only cameras strictly
/// inside both were said. Z is first here, then A with the camera 0 on
/// its border and camera 1 inside.
#[test]
fn a_border_camera_taken_by_an_overlapping_zone_is_said() {
    let z = Placed {
        inside: vec![0, 1],
        border: vec![],
        of: 3,
    };
    let a = Placed {
        inside: vec![1, 2],
        border: vec![0],
        of: 3,
    };
    let (located, overlaps) = resolve_overlapping(3, &[Some(&z), Some(&a)]);
    assert_eq!(located, [Some(0), Some(0), Some(1)]);
    assert_eq!(overlaps, [(0, 1, 2)]);
}
