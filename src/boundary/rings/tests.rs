//! Tests of ring assembly: segment keys, crossings, walks, nesting,
//! touching rings and the faces they are redrawn into, through [`assemble`]
//! and the steps it is made of.

use super::nesting::signed_area;
use super::segments::{bad_contact, key_point, point_key, sort_segments};
use super::simple::simple_rings;
use super::touch::{interior_connected, Touching};
use super::*;
use geo::{Area, Coord, LineString, Polygon};

#[test]
fn integer_keys_sort_segments_as_tuples_sort() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut coordinate = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Few distinct values, so that ties reach the later members.
        [
            i32::MIN,
            -1_800_000_000,
            -1,
            0,
            1,
            5,
            1_800_000_000,
            i32::MAX,
        ][(state % 8) as usize]
    };
    let mut segments: Vec<Segment> = (0..2000)
        .map(|_| ((coordinate(), coordinate()), (coordinate(), coordinate())))
        .collect();
    let mut expected = segments.clone();
    expected.sort_unstable();
    sort_segments(&mut segments);
    assert_eq!(segments, expected);
    for (a, _) in &expected {
        assert_eq!(key_point(point_key(*a)), *a);
    }
}

fn way(id: i64, role: &str, points: &[(i32, i32)]) -> MemberWay {
    MemberWay {
        id,
        role: role.into(),
        points: points.to_vec(),
    }
}

const SQUARE: [(i32, i32); 5] = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)];

#[test]
fn two_ways_in_opposite_directions_close_a_ring() {
    let ways = [
        way(1, "outer", &[(0, 0), (10, 0), (10, 10)]),
        way(2, "outer", &[(0, 0), (0, 10), (10, 10)]),
    ];
    let result = assemble(&ways).unwrap();
    assert_eq!(result.geometry.0.len(), 1);
    assert!((result.geometry.signed_area() - 100e-14).abs() < 1e-20);
}

#[test]
fn inner_ring_is_classified_by_geometry_and_role_mismatch_warned() {
    let ways = [
        way(1, "outer", &SQUARE),
        way(2, "outer", &[(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]),
    ];
    let result = assemble(&ways).unwrap();
    assert_eq!(result.geometry.0.len(), 1);
    assert_eq!(result.geometry.0[0].interiors().len(), 1);
    assert_eq!(
        result.warnings,
        ["way 2 has role outer but forms an inner ring"]
    );
}

#[test]
fn outer_rings_only_warn_just_the_ways_marked_inner() {
    let apart = [(20, 0), (24, 0), (24, 4), (20, 4), (20, 0)];
    let ways = [way(1, "outer", &SQUARE), way(2, "inner", &apart)];
    let result = assemble(&ways).unwrap();
    assert_eq!(result.geometry.0.len(), 2);
    assert_eq!(
        result.warnings,
        ["way 2 has role inner but forms an outer ring"]
    );
}

#[test]
fn segments_sharing_an_end_conflict_only_when_they_overlap() {
    let contact = |a: Segment, b: Segment| bad_contact(&a, &b);
    // Neighbours along a ring, at an angle or straight on.
    assert_eq!(contact(((0, 0), (10, 0)), ((10, 0), (10, 10))), None);
    assert_eq!(contact(((0, 0), (10, 0)), ((10, 0), (20, 0))), None);
    // Doubling back over each other.
    assert!(contact(((0, 0), (10, 0)), ((0, 0), (5, 0))).is_some());
    // Far apart ends near the limits of i32 (the cross products need
    // more than 64 bits), nearly but not quite on one line.
    let (far, farther) = ((-1_800_000_000, -900_000_000), (1_800_000_000, 900_000_000));
    assert_eq!(
        contact((far, farther), (farther, (1_799_999_999, 900_000_000))),
        None
    );
    assert!(contact((far, farther), (far, (0, 0))).is_some());
    // A straight border drawn with many vertices: each segment goes on
    // from the end of the one before, at any slope and any size.
    assert_eq!(contact(((0, 0), (5, 5)), ((5, 5), (10, 10))), None);
    assert_eq!(contact(((5, 5), (10, 10)), ((0, 0), (5, 5))), None);
    assert_eq!(contact((far, (0, 0)), ((0, 0), farther)), None);
    assert!(contact(((5, 5), (10, 10)), ((5, 5), (7, 7))).is_some());
}

#[test]
fn open_ring_is_invalid_not_closed() {
    let err = assemble(&[way(1, "outer", &[(0, 0), (10, 0), (10, 10)])]).unwrap_err();
    assert!(err.0.starts_with("open ring"), "{err:?}");
    // The smallest open end is named, not the first the segments meet:
    // (1, 9) ends the first segment, (0, 5) starts a later one.
    let two_paths = [
        way(1, "outer", &[(1, 9), (0, 0), (9, 9)]),
        way(2, "outer", &[(0, 5), (0, 6)]),
    ];
    let err = assemble(&two_paths).unwrap_err();
    assert_eq!(
        err.0,
        "open ring: ends at 0.0000000 0.0000005 with no way to close it"
    );
}

#[test]
fn crossing_ring_is_invalid() {
    let bow_tie = [(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)];
    let err = assemble(&[way(1, "outer", &bow_tie)]).unwrap_err();
    assert!(err.0.starts_with("self-intersection"), "{err:?}");
}

#[test]
fn same_way_twice_cancels_out() {
    let err = assemble(&[way(1, "outer", &SQUARE), way(1, "outer", &SQUARE)]).unwrap_err();
    assert!(err.0.starts_with("no rings"), "{err:?}");
}

#[test]
fn rings_touching_at_a_node_come_apart() {
    // Two squares sharing the corner (10, 10), drawn as one figure-eight way.
    let eight = [
        (0, 0),
        (10, 0),
        (10, 10),
        (20, 10),
        (20, 20),
        (10, 20),
        (10, 10),
        (0, 10),
        (0, 0),
    ];
    let result = assemble(&[way(1, "outer", &eight)]).unwrap();
    assert_eq!(result.geometry.0.len(), 2);
}

#[test]
fn island_in_a_hole_is_an_outer_ring() {
    let ways = [
        way(1, "outer", &[(0, 0), (30, 0), (30, 30), (0, 30), (0, 0)]),
        way(2, "inner", &[(5, 5), (25, 5), (25, 25), (5, 25), (5, 5)]),
        way(
            3,
            "outer",
            &[(10, 10), (20, 10), (20, 20), (10, 20), (10, 10)],
        ),
    ];
    let result = assemble(&ways).unwrap();
    assert_eq!(result.geometry.0.len(), 2);
    assert!(result.warnings.is_empty(), "{:?}", result.warnings);
}

/// Every polygon of the result has a connected interior and simple
/// rings, so that GEOS would call it valid.
fn assert_valid(geometry: &MultiPolygon<f64>) {
    use geo::Validation;
    assert!(geometry.is_valid(), "{:?}", geometry.validation_errors());
    for polygon in geometry {
        let ring = |l: &LineString<f64>| -> Vec<Point> {
            l.0.iter()
                .map(|c| ((c.x * 1e7).round() as i32, (c.y * 1e7).round() as i32))
                .collect()
        };
        let holes: Vec<Vec<Point>> = polygon.interiors().iter().map(ring).collect();
        let holes: Vec<&[Point]> = holes.iter().map(|h| &h[..]).collect();
        assert!(
            interior_connected(&ring(polygon.exterior()), &holes),
            "interior in pieces: {polygon:?}"
        );
    }
}

#[test]
fn holes_touching_at_two_points_become_a_hole_and_an_island() {
    // osm-testdata grid case 777 on a small grid: a square hole and a
    // C-shaped hole touch at (4, 3) and (4, 5); the square between them
    // was cut off from the rest of the interior.
    let ways = [
        way(1, "", &[(2, 3), (2, 5), (4, 5), (4, 3), (2, 3)]),
        way(
            2,
            "",
            &[
                (4, 5),
                (4, 6),
                (7, 6),
                (7, 2),
                (4, 2),
                (4, 3),
                (5, 3),
                (5, 5),
                (4, 5),
            ],
        ),
        way(3, "", &[(1, 1), (1, 7), (8, 7), (8, 1), (1, 1)]),
    ];
    let result = assemble(&ways).unwrap();
    assert_valid(&result.geometry);
    assert_eq!(result.geometry.0.len(), 2);
    let holes: Vec<usize> = result
        .geometry
        .iter()
        .map(|p| p.interiors().len())
        .collect();
    assert_eq!(holes, [1, 0]);
    // The hole is the outline of both holes and the island: 9 points.
    assert_eq!(result.geometry.0[0].interiors()[0].0.len(), 9);
    // 42 (shell) - 4 (square hole) - 10 (C-shaped hole), in 1e-14 deg².
    assert!((result.geometry.unsigned_area() - 28e-14).abs() < 1e-20);
}

#[test]
fn hole_touching_the_shell_twice_cuts_the_polygon_in_two() {
    let shell = [(0, 0), (10, 0), (10, 5), (10, 10), (0, 10), (0, 5), (0, 0)];
    let diamond = [(0, 5), (5, 2), (10, 5), (5, 8), (0, 5)];
    let result = assemble(&[way(1, "outer", &shell), way(2, "inner", &diamond)]).unwrap();
    assert_valid(&result.geometry);
    assert_eq!(result.geometry.0.len(), 2);
    assert!(result.geometry.iter().all(|p| p.interiors().is_empty()));
    assert!((result.geometry.unsigned_area() - 70e-14).abs() < 1e-20);
}

#[test]
fn the_same_area_comes_out_whichever_way_the_walk_goes() {
    // The shell and diamond above, in every order and direction: the
    // walk pairs the segments at (0, 5) and (10, 5) differently, and
    // some pairings make rings that cross there.
    let shell = [(0, 0), (10, 0), (10, 5), (10, 10), (0, 10), (0, 5), (0, 0)];
    let diamond = [(0, 5), (5, 2), (10, 5), (5, 8), (0, 5)];
    let halves = [&shell[..3], &shell[2..], &diamond[..3], &diamond[2..]];
    for order in 0..24usize {
        for flips in 0..16 {
            let mut left: Vec<&[Point]> = halves.to_vec();
            let mut ways = Vec::new();
            let mut k = order;
            for n in (1..=4).rev() {
                let points = left.remove(k % n);
                k /= n;
                let mut points = points.to_vec();
                if flips >> ways.len() & 1 == 1 {
                    points.reverse();
                }
                ways.push(way(ways.len() as i64, "", &points));
            }
            let result = assemble(&ways).unwrap();
            assert_valid(&result.geometry);
            assert_eq!(result.geometry.0.len(), 2, "{ways:?}");
            assert!((result.geometry.unsigned_area() - 70e-14).abs() < 1e-20);
        }
    }
}

/// The geometry holds exactly the points that an odd number of the
/// ways' segments enclose (the even-odd rule, which duplicates and
/// spikes do not change), sampled off the grid lines.
fn assert_even_odd_area(ways: &[MemberWay], geometry: &MultiPolygon<f64>) {
    use geo::Contains;
    for i in 0..24 {
        for j in 0..24 {
            let p = (f64::from(i) * 0.25 - 0.9123, f64::from(j) * 0.25 - 0.8771);
            let odd = ways
                .iter()
                .flat_map(|w| w.points.windows(2))
                .filter(|w| {
                    let (a, b) = (w[0], w[1]);
                    let (ay, by) = (f64::from(a.1), f64::from(b.1));
                    (ay > p.1) != (by > p.1)
                        && p.0 < f64::from(a.0) + (p.1 - ay) * f64::from(b.0 - a.0) / (by - ay)
                })
                .count()
                % 2
                == 1;
            let inside = geometry.contains(&Coord {
                x: p.0 / 1e7,
                y: p.1 / 1e7,
            });
            assert_eq!(inside, odd, "at {p:?}: {ways:?} gave {geometry:?}");
        }
    }
}

#[test]
fn random_ways_on_a_small_grid_assemble_valid_or_not_at_all() {
    // As the `rings` fuzz target draws them: few distinct points, so
    // shared nodes, touching rings and crossings are common. Seeded.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let (mut assembled, mut simple) = (0, 0);
    for _ in 0..20_000 {
        // Closed ways of three or four points.
        let ways: Vec<MemberWay> = (0..2 + next(3))
            .map(|id| {
                let mut points: Vec<Point> = (0..3 + next(2))
                    .map(|_| (next(5) as i32, next(5) as i32))
                    .collect();
                points.push(points[0]);
                way(id as i64, "", &points)
            })
            .collect();
        if let Ok(result) = assemble(&ways) {
            assert_valid(&result.geometry);
            assert_even_odd_area(&ways, &result.geometry);
            assembled += 1;
        }
        simple += usize::from(paths_agree(&ways));
    }
    assert!(assembled > 1000, "only {assembled} assembled");
    assert!(simple > 200, "only {simple} simple");
}

/// When the simple path accepts ways, the general path draws the same
/// rings, point for point, and finds no touch; false when it declines.
fn paths_agree(ways: &[MemberWay]) -> bool {
    let Some(simple) = simple_rings(ways) else {
        return false;
    };
    let (rings, touches) =
        general_rings(ways).unwrap_or_else(|e| panic!("the general path refuses {ways:?}: {e:?}"));
    assert_eq!(simple, rings, "{ways:?}");
    assert!(touches.is_empty(), "{ways:?}");
    true
}

/// A seeded xorshift, `n` values from 0.
fn seeded(mut state: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    }
}

/// A star-shaped ring around `centre` (simple by construction), closed.
fn star(next: &mut impl FnMut(u64) -> u64, centre: Point, radius: f64, n: usize) -> Vec<Point> {
    let mut ring: Vec<Point> = (0..n)
        .map(|k| {
            let angle = std::f64::consts::TAU * k as f64 / n as f64;
            let r = radius * (0.5 + next(1000) as f64 / 2000.0);
            (
                centre.0 + (r * angle.cos()).round() as i32,
                centre.1 + (r * angle.sin()).round() as i32,
            )
        })
        .collect();
    ring.dedup();
    ring.push(ring[0]);
    ring
}

/// A closed ring cut into ways at random vertices, each way drawn in a
/// random direction, some points doubled, the ways shuffled.
fn cut(next: &mut impl FnMut(u64) -> u64, ring: &[Point], first_id: i64) -> Vec<MemberWay> {
    let n = ring.len() - 1;
    let offset = next(n as u64) as usize;
    let mut cuts: Vec<usize> = (1..n).filter(|_| next(8) == 0).collect();
    cuts.insert(0, 0);
    cuts.push(n);
    let mut ways: Vec<MemberWay> = cuts
        .windows(2)
        .zip(first_id..)
        .map(|(w, id)| {
            let mut points: Vec<Point> = (w[0]..=w[1]).map(|k| ring[(k + offset) % n]).collect();
            if next(10) == 0 {
                let at = next(points.len() as u64) as usize;
                points.insert(at, points[at]);
            }
            if next(2) == 0 {
                points.reverse();
            }
            way(id, "outer", &points)
        })
        .collect();
    for i in (1..ways.len()).rev() {
        ways.swap(i, next(i as u64 + 1) as usize);
    }
    ways
}

/// One to three star-shaped islands, each with a hole one time in two,
/// every ring [`cut`] into ways.
fn random_islands(next: &mut impl FnMut(u64) -> u64) -> Vec<MemberWay> {
    let mut ways = Vec::new();
    let islands = 1 + next(3) as i32;
    for island in 0..islands {
        let centre = (island * 10_000 + next(50) as i32, next(50) as i32);
        let n = 3 + next(40) as usize;
        let shell = star(next, centre, 4_000.0, n);
        ways.extend(cut(next, &shell, ways.len() as i64));
        if next(2) == 0 {
            let n = 3 + next(20) as usize;
            let hole = star(next, centre, 1_000.0, n);
            ways.extend(cut(next, &hole, ways.len() as i64));
        }
    }
    ways
}

#[test]
fn rings_cut_into_ways_take_the_simple_path_and_come_out_as_walked() {
    let mut next = seeded(0x2545_f491_4f6c_dd1d);
    for round in 0..3_000 {
        let ways = random_islands(&mut next);
        assert!(paths_agree(&ways), "round {round}: declined {ways:?}");
    }
}

#[test]
fn the_simple_path_declines_what_it_cannot_prove() {
    // A point passed twice (a figure of eight), rings touching at a way's
    // end, a way listed twice, a spike, a crossing, an open end, an end
    // met inside another way: each left to the general path.
    let eight = [(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 1), (0, 0)];
    let spike = [(0, 0), (4, 0), (4, 4), (6, 4), (4, 4), (0, 4), (0, 0)];
    let bow_tie = [(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)];
    let cases: Vec<Vec<MemberWay>> = vec![
        vec![way(1, "outer", &eight)],
        vec![
            way(1, "outer", &[(0, 0), (2, 0), (2, 2), (0, 0)]),
            way(2, "outer", &[(0, 0), (-2, 0), (-2, -2), (0, 0)]),
        ],
        vec![way(1, "outer", &SQUARE), way(1, "outer", &SQUARE)],
        vec![way(1, "outer", &spike)],
        vec![way(1, "outer", &bow_tie)],
        vec![way(1, "outer", &[(0, 0), (10, 0), (10, 10)])],
        vec![
            way(1, "outer", &SQUARE),
            way(2, "outer", &[(10, 5), (20, 5), (20, 8), (10, 5)]),
        ],
        vec![way(1, "outer", &[(0, 0), (0, 0)])],
        // No ways at all (a relation of nodes only never gets here, but
        // `assemble` is public): "no rings", not an empty geometry.
        vec![],
    ];
    for ways in &cases {
        assert_eq!(simple_rings(ways), None, "{ways:?}");
        assert_eq!(assemble(ways), assemble_general(ways), "{ways:?}");
    }
}

#[test]
fn rings_crossing_at_a_shared_point_are_found() {
    // Around (0, 0): ring 0 goes east and north, ring 1 west and south
    // (no crossing); then ring 1 takes north-east and south-west,
    // between ring 0's two directions (a crossing).
    let apart: [&[Point]; 2] = [
        &[(0, 0), (5, 0), (0, 5), (0, 0)],
        &[(0, 0), (-5, 0), (0, -5), (0, 0)],
    ];
    assert!(!Touching::new(&apart, &[(0, 0)]).rings_cross());
    let crossing: [&[Point]; 2] = [
        &[(0, 0), (5, 0), (0, 5), (0, 0)],
        &[(0, 0), (5, 5), (-5, -5), (0, 0)],
    ];
    assert!(Touching::new(&crossing, &[(0, 0)]).rings_cross());
}

#[test]
fn three_holes_touching_in_a_round_free_the_triangle_between() {
    // Holes b, c and d meet pairwise at one point each and enclose the
    // triangle (4, 4), (8, 4), (6, 8); a touches b and d at (4, 4).
    let shell = [(0, 0), (20, 0), (20, 20), (0, 20), (0, 0)];
    let a = [(4, 4), (2, 6), (2, 2), (4, 4)];
    let b = [(4, 4), (8, 4), (6, 2), (4, 4)];
    let c = [(8, 4), (6, 8), (10, 8), (8, 4)];
    let d = [(6, 8), (4, 4), (2, 8), (6, 8)];
    let ways = [
        way(1, "outer", &shell),
        way(2, "inner", &a),
        way(3, "inner", &b),
        way(4, "inner", &c),
        way(5, "inner", &d),
    ];
    let before: f64 = 400.0
        - [&a[..], &b[..], &c[..], &d[..]]
            .iter()
            .map(|r| signed_area(r).abs())
            .sum::<f64>();
    let result = assemble(&ways).unwrap();
    assert_valid(&result.geometry);
    // The outer polygon (its two holes touch at (4, 4)) and the triangle.
    let holes: Vec<usize> = result
        .geometry
        .iter()
        .map(|p| p.interiors().len())
        .collect();
    assert_eq!(holes, [2, 0]);
    assert!((result.geometry.unsigned_area() - before * 1e-14).abs() < 1e-20);
}

#[test]
fn holes_touching_the_shell_once_each_stay_one_polygon() {
    // Star-shaped contact (two holes and the shell share one point)
    // leaves the interior whole: nothing is redrawn.
    let shell = [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)];
    let a = [(0, 0), (4, 1), (3, 3), (0, 0)];
    let b = [(0, 0), (2, 5), (1, 6), (0, 0)];
    let ways = [
        way(1, "outer", &shell),
        way(2, "inner", &a),
        way(3, "inner", &b),
    ];
    let result = assemble(&ways).unwrap();
    assert_valid(&result.geometry);
    assert_eq!(result.geometry.0.len(), 1);
    assert_eq!(result.geometry.0[0].interiors().len(), 2);
}

#[test]
fn winding_follows_rfc_7946() {
    let clockwise: Vec<(i32, i32)> = SQUARE.iter().rev().copied().collect();
    let result = assemble(&[way(1, "outer", &clockwise)]).unwrap();
    let exterior = Polygon::new(result.geometry.0[0].exterior().clone(), vec![]);
    assert!(
        exterior.signed_area() > 0.0,
        "exterior must be counter-clockwise"
    );
}

/// Thin rings far from the origin, where a shoelace sum in `f64` loses
/// the sign of the area: the exterior still winds counter-clockwise by the
/// robust test on the grid, which the join relies on without checking
/// (`PointIndex::place_oriented`).
#[test]
fn winding_is_exact_far_from_the_origin() {
    use geo::winding_order::Winding;
    use geo::MapCoords;
    // (x, y, rise, run): twice the area is the rise, next to terms of 1e18.
    let cases = [
        (1_144_272_509, 373_878_287, 4, 1_886_302),
        (1_774_747_711, 734_746_160, 3, 129_303),
        (1_726_760_591, -593_495_461, 1, 1_746_585),
        (-1_660_147_977, 794_878_646, 2, 2_107_541),
    ];
    for (x, y, rise, run) in cases {
        let thin = [
            (x, y),
            (x + run, y + rise),
            (x + 2 * run + 1, y + 2 * rise),
            (x, y),
        ];
        for ring in [thin.to_vec(), thin.iter().rev().copied().collect()] {
            let result = assemble(&[way(1, "outer", &ring)]).unwrap();
            let grid = result.geometry.map_coords(|c| Coord {
                x: (c.x * 1e7).round(),
                y: (c.y * 1e7).round(),
            });
            assert!(grid.0[0].exterior().is_ccw(), "{ring:?}");
        }
    }
}

#[test]
fn rings_measured_from_their_ways_have_the_area_of_their_geometry() {
    use crate::boundary::area::{ellipsoidal_area, path_excess};
    let mut next = seeded(0x9e37_79b9_7f4a_7c15);
    // Near Paris, where every edge's term is large next to the ring's area
    // (trapezoids down to the equator): the sums must still agree.
    let paris = |ways: Vec<MemberWay>| -> Vec<MemberWay> {
        let moved = |&(x, y): &Point| (x + 23_000_000, y + 488_000_000);
        (ways.into_iter())
            .map(|w| {
                way(
                    w.id,
                    &w.role,
                    &w.points.iter().map(moved).collect::<Vec<_>>(),
                )
            })
            .collect()
    };
    let mut cases = vec![paris(vec![
        way(
            1,
            "outer",
            &[(0, 0), (30_000, 0), (30_000, 30_000), (0, 30_000), (0, 0)],
        ),
        way(
            2,
            "inner",
            &[(5_000, 5_000), (5_000, 25_000), (25_000, 25_000)],
        ),
        way(
            3,
            "inner",
            &[(25_000, 25_000), (25_000, 5_000), (5_000, 5_000)],
        ),
        way(
            4,
            "outer",
            &[
                (10_000, 10_000),
                (20_000, 10_000),
                (20_000, 20_000),
                (10_000, 20_000),
                (10_000, 10_000),
            ],
        ),
    ])];
    for _ in 0..500 {
        cases.push(paris(random_islands(&mut next)));
    }
    for ways in &cases {
        let excess: Vec<f64> = ways.iter().map(|w| path_excess(&w.points)).collect();
        let (assembled, area) = assemble_measuring(ways, &excess).unwrap();
        let area = area.unwrap_or_else(|| panic!("not measured from its ways: {ways:?}"));
        let measured = ellipsoidal_area(&assembled.geometry);
        assert!(
            (area - measured).abs() <= 1e-9 * measured,
            "{area} against {measured}: {ways:?}"
        );
        assert_eq!(assembled, assemble(ways).unwrap());
        // Without the ways' excesses, the caller measures the geometry.
        assert_eq!(assemble_measuring(ways, &[]).unwrap().1, None);
    }
}
