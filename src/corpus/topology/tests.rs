//! Tests of the shared-border topology: shared ways, enclaves, touching
//! holes, and densified borders.

use super::*;

fn commune(code: &str, rings: Vec<Vec<Point>>) -> Commune {
    Commune {
        code: code.into(),
        name: code.into(),
        departement: "12".into(),
        region: "76".into(),
        population: None,
        rings,
        area_km2: 1.0,
    }
}

fn square(x0: i32, y0: i32, size: i32) -> Vec<Point> {
    vec![
        (x0, y0),
        (x0 + size, y0),
        (x0 + size, y0 + size),
        (x0, y0 + size),
    ]
}

#[test]
fn neighbours_share_one_way_and_the_group_keeps_the_rest() {
    let communes = [
        commune("a", vec![square(0, 0, 10)]),
        commune("b", vec![square(10, 0, 10)]),
    ];
    let topology = Topology::build(&communes);
    assert_eq!(topology.points.len(), 6);
    assert_eq!(topology.chains.len(), 3);
    let shared: Vec<&Chain> = topology
        .chains
        .iter()
        .filter(|c| c.users.len() == 2)
        .collect();
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].nodes.len(), 2);
    // The two communes run along the shared way in opposite directions.
    assert_ne!(shared[0].users[0].forward, shared[0].users[1].forward);
    let each = topology.borders(2, |c| c);
    assert_eq!(each.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2]);
    let both = topology.borders(1, |_| 0);
    assert_eq!(both[0].len(), 2);
    assert!(both[0]
        .iter()
        .all(|m| !m.inner && topology.chains[m.chain as usize].users.len() == 1));
}

#[test]
fn an_enclave_is_an_inner_member_of_its_host_only() {
    let mut hole = square(10, 10, 10);
    hole.reverse();
    let communes = [
        commune("host", vec![square(0, 0, 30), hole]),
        commune("enclave", vec![square(10, 10, 10)]),
    ];
    let topology = Topology::build(&communes);
    let each = topology.borders(2, |c| c);
    let roles = |list: &[Member]| list.iter().map(|m| m.inner).collect::<Vec<_>>();
    assert_eq!(roles(&each[0]), [false, true]);
    assert_eq!(roles(&each[1]), [false]);
    let closed = &topology.chains[each[1][0].chain as usize].nodes;
    assert_eq!(closed.first(), closed.last());
    let group = topology.borders(1, |_| 0);
    assert_eq!(roles(&group[0]), [false]);
}

#[test]
fn a_hole_touching_its_outer_ring_is_inner() {
    let outer = vec![(0, 0), (15, 0), (30, 0), (30, 30), (0, 30)];
    let hole = vec![(15, 0), (10, 10), (20, 10)];
    // The neighbour on the right cuts the outer ring into chains, so
    // the walk reaches the touching node in its middle.
    let communes = [
        commune("host", vec![outer, hole]),
        commune("enclave", vec![vec![(15, 0), (20, 10), (10, 10)]]),
        commune("right", vec![square(30, 0, 30)]),
    ];
    let topology = Topology::build(&communes);
    let host = &topology.borders(3, |c| c)[0];
    for member in host {
        let users = &topology.chains[member.chain as usize].users;
        let with_enclave = users.iter().any(|u| u.commune == 1);
        assert_eq!(member.inner, with_enclave, "{member:?}");
    }
    assert!(host.iter().any(|m| m.inner));
}

#[test]
fn densify_inserts_shared_vertices_at_the_spacing() {
    // 0.001° of latitude is about 111 m: 4 steps of at most 30 m.
    let communes = [
        commune("a", vec![square(0, 0, 10_000)]),
        commune("b", vec![square(10_000, 0, 10_000)]),
    ];
    let mut topology = Topology::build(&communes);
    topology.densify(30.0);
    for chain in &topology.chains {
        for w in chain.nodes.windows(2) {
            let d = metres(
                topology.points[w[0] as usize],
                topology.points[w[1] as usize],
            );
            assert!(d <= 30.0 && d > 20.0, "{d} m");
        }
    }
    let shared = topology.chains.iter().find(|c| c.users.len() == 2).unwrap();
    assert_eq!(shared.nodes.len(), 5);
}

#[test]
fn densified_vertices_stay_on_the_segment() {
    // The two segments of the 76646 spike, in 1e-7 degrees.
    for (p, q) in [
        ((6_806_100, 498_246_300), (6_847_200, 498_237_400)),
        ((6_847_200, 498_237_400), (6_821_800, 498_242_900)),
    ] {
        let points = between(p, q, 30.0);
        assert!(points.len() >= 5, "{}", points.len());
        for r in points {
            let cross = (q.0 as i64 - p.0 as i64) * (r.1 as i64 - p.1 as i64)
                - (q.1 as i64 - p.1 as i64) * (r.0 as i64 - p.0 as i64);
            assert_eq!(cross, 0, "{r:?} is off the line {p:?} {q:?}");
        }
    }
}
