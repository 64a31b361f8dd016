//! Shared borders: deduplicated nodes, ways split where their neighbours
//! change, and the members of every group built from them.
//!
//! Why like this: in OSM a border between two communes is one way, used by
//! both relations, and the département, région and country reuse the ways
//! of their communes. A reader that assembles such files must meet the
//! same node shared by four relations, the same way used by two, and rings
//! that touch; a corpus with one closed way per commune would hide all of
//! that.
//!
//! In: oriented commune rings on the 1e-7 grid. Out: points (node id =
//! index + 1), chains (way id = index + 1) with the communes that use them,
//! and per group the member chains with their `outer`/`inner` role.

use std::collections::HashMap;

use super::input::Commune;

/// A position on the 1e-7 degree grid: `(lon, lat)`.
pub type Point = (i32, i32);

/// One commune's use of a chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Use {
    pub commune: u32,
    /// The commune's ring runs along the chain in its node order.
    pub forward: bool,
}

/// A border way: a run of edges used by the same communes.
#[derive(Debug, Clone)]
pub struct Chain {
    /// Indices into the points; closed chains repeat their first node.
    pub nodes: Vec<u32>,
    pub users: Vec<Use>,
}

/// A relation member: a chain and its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub chain: u32,
    pub inner: bool,
}

#[derive(Debug)]
struct Edge {
    a: u32,
    b: u32,
    /// `forward` is relative to `a → b`.
    users: Vec<Use>,
}

pub struct Topology {
    pub points: Vec<Point>,
    pub chains: Vec<Chain>,
    index: HashMap<Point, u32>,
}

impl Topology {
    /// Cuts the commune rings into chains.
    pub fn build(communes: &[Commune]) -> Topology {
        let mut topology = Topology {
            points: Vec::new(),
            chains: Vec::new(),
            index: HashMap::new(),
        };
        let (edges, ring_edges) = topology.edges(communes);
        let mut adjacent: Vec<Vec<u32>> = vec![Vec::new(); topology.points.len()];
        for (e, edge) in edges.iter().enumerate() {
            if !edge.users.is_empty() {
                adjacent[edge.a as usize].push(e as u32);
                adjacent[edge.b as usize].push(e as u32);
            }
        }
        let mut walker = Walker {
            edges: &edges,
            adjacent: &adjacent,
            visited: vec![false; edges.len()],
        };
        // Ring order makes the output the same on every run.
        for (e, from) in ring_edges {
            if !walker.visited[e as usize] && !edges[e as usize].users.is_empty() {
                topology.chains.push(walker.chain(e, from));
            }
        }
        topology
    }

    fn intern(&mut self, point: Point) -> u32 {
        let next = self.points.len() as u32;
        *self.index.entry(point).or_insert_with(|| {
            self.points.push(point);
            next
        })
    }

    /// Every edge with its users, and the edges in ring order with the
    /// node each ring leaves them from.
    fn edges(&mut self, communes: &[Commune]) -> (Vec<Edge>, Vec<(u32, u32)>) {
        let mut edges: Vec<Edge> = Vec::new();
        let mut by_ends: HashMap<(u32, u32), u32> = HashMap::new();
        let mut ring_edges = Vec::new();
        for (c, commune) in communes.iter().enumerate() {
            for ring in &commune.rings {
                let ids: Vec<u32> = ring.iter().map(|p| self.intern(*p)).collect();
                for i in 0..ids.len() {
                    let (p, q) = (ids[i], ids[(i + 1) % ids.len()]);
                    if p == q {
                        continue;
                    }
                    let key = (p.min(q), p.max(q));
                    let e = *by_ends.entry(key).or_insert_with(|| {
                        edges.push(Edge {
                            a: key.0,
                            b: key.1,
                            users: Vec::new(),
                        });
                        edges.len() as u32 - 1
                    });
                    add_use(&mut edges[e as usize].users, c as u32, p < q);
                    ring_edges.push((e, p));
                }
            }
        }
        (edges, ring_edges)
    }

    /// Inserts vertices every `spacing` metres or less along every chain.
    /// Each chain is written once, so both neighbours get the same nodes.
    ///
    /// New vertices sit on grid points of the segment itself wherever the
    /// grid has them close enough (IGN vertices are on a 1e-5° grid, so a
    /// 320 m edge has one every 3.2 m or closer): the densified border is
    /// then the very same line, and an IGN ring that runs back along
    /// itself (a zero-width spike, as in 76646 Saint-Riquier-ès-Plains)
    /// cannot turn into a crossing. Only on edges too long for that are
    /// vertices rounded to the grid, within 1 cm of the line.
    pub fn densify(&mut self, spacing: f64) {
        let mut chains = std::mem::take(&mut self.chains);
        for chain in &mut chains {
            let mut nodes = vec![chain.nodes[0]];
            for pair in chain.nodes.windows(2) {
                let (p, q) = (self.points[pair[0] as usize], self.points[pair[1] as usize]);
                for point in between(p, q, spacing) {
                    let id = self.intern(point);
                    if nodes.last() != Some(&id) {
                        nodes.push(id);
                    }
                }
                if nodes.last() != Some(&pair[1]) {
                    nodes.push(pair[1]);
                }
            }
            chain.nodes = nodes;
        }
        self.chains = chains;
    }

    /// Members of each group: the chains used by exactly one commune of
    /// the group, with roles from the rings they form.
    pub fn borders(&self, groups: usize, group_of: impl Fn(usize) -> usize) -> Vec<Vec<Member>> {
        let mut directed: Vec<Vec<(u32, bool)>> = vec![Vec::new(); groups];
        for (i, chain) in self.chains.iter().enumerate() {
            for user in &chain.users {
                let g = group_of(user.commune as usize);
                let same = chain
                    .users
                    .iter()
                    .filter(|u| group_of(u.commune as usize) == g)
                    .count();
                if same == 1 {
                    directed[g].push((i as u32, user.forward));
                }
            }
        }
        directed.iter().map(|d| self.rings_of(d)).collect()
    }

    /// Walks directed chains into rings and gives each ring's chains the
    /// role its winding says: interior on the left, so a clockwise walk is
    /// a hole. Where rings touch at a node, the walk takes the rightmost
    /// turn: a hole touching its outer ring (14174 Condé-en-Normandie)
    /// then comes apart from it, where the leftmost turn would walk both
    /// as one outer ring; two outer (or two inner) rings touching may be
    /// walked as one, which keeps their common role.
    fn rings_of(&self, directed: &[(u32, bool)]) -> Vec<Member> {
        let ends = |&(c, forward): &(u32, bool)| {
            let nodes = &self.chains[c as usize].nodes;
            if forward {
                (nodes[0], nodes[nodes.len() - 1])
            } else {
                (nodes[nodes.len() - 1], nodes[0])
            }
        };
        let mut leaving: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, d) in directed.iter().enumerate() {
            leaving.entry(ends(d).0).or_default().push(i);
        }
        let mut used = vec![false; directed.len()];
        let mut members = Vec::with_capacity(directed.len());
        for first in 0..directed.len() {
            if used[first] {
                continue;
            }
            used[first] = true;
            let mut ring = vec![first];
            let start = ends(&directed[first]).0;
            let mut at = ends(&directed[first]).1;
            while at != start {
                let before = self.point_before_end(directed[*ring.last().unwrap_or(&first)]);
                let next = leaving.get(&at).and_then(|out| {
                    out.iter().copied().filter(|&i| !used[i]).max_by(|&x, &y| {
                        let turn = |i: usize| self.turn(before, at, directed[i]);
                        turn(x).total_cmp(&turn(y))
                    })
                });
                let Some(next) = next else { break };
                used[next] = true;
                ring.push(next);
                at = ends(&directed[next]).1;
            }
            let area: i128 = ring.iter().map(|&i| self.cross_sum(directed[i])).sum();
            members.extend(ring.iter().map(|&i| Member {
                chain: directed[i].0,
                inner: area < 0,
            }));
        }
        members
    }

    fn directed_nodes(&self, (c, forward): (u32, bool)) -> Vec<u32> {
        let mut nodes = self.chains[c as usize].nodes.clone();
        if !forward {
            nodes.reverse();
        }
        nodes
    }

    fn point_before_end(&self, (c, forward): (u32, bool)) -> Point {
        let nodes = &self.chains[c as usize].nodes;
        let i = if forward { nodes.len() - 2 } else { 1 };
        self.points[nodes[i] as usize]
    }

    /// Clockwise angle from the way back to the first step of `next`.
    fn turn(&self, before: Point, at: u32, next: (u32, bool)) -> f64 {
        let nodes = &self.chains[next.0 as usize].nodes;
        let after = self.points[nodes[if next.1 { 1 } else { nodes.len() - 2 }] as usize];
        let v = self.points[at as usize];
        let angle = |p: Point| ((p.1 - v.1) as f64).atan2((p.0 - v.0) as f64);
        // Going straight back (0) is the last choice.
        (angle(before) - angle(after)).rem_euclid(std::f64::consts::TAU)
    }

    /// Twice the signed area swept by one directed chain (shoelace terms).
    fn cross_sum(&self, directed: (u32, bool)) -> i128 {
        self.directed_nodes(directed)
            .windows(2)
            .map(|w| {
                let (a, b) = (self.points[w[0] as usize], self.points[w[1] as usize]);
                a.0 as i128 * b.1 as i128 - b.0 as i128 * a.1 as i128
            })
            .sum()
    }
}

/// The vertices to insert strictly between `p` and `q`.
fn between(p: Point, q: Point, spacing: f64) -> Vec<Point> {
    let length = metres(p, q);
    let (dx, dy) = (q.0 as i64 - p.0 as i64, q.1 as i64 - p.1 as i64);
    let g = gcd(dx.unsigned_abs(), dy.unsigned_abs()).max(1) as i64;
    // Grid steps of the segment per gap, at most.
    let per_gap = (spacing * g as f64 / length).floor() as i64;
    if per_gap >= 1 {
        let gaps = (g + per_gap - 1) / per_gap;
        return (1..gaps)
            .map(|k| {
                let j = k * g / gaps;
                (
                    (p.0 as i64 + dx / g * j) as i32,
                    (p.1 as i64 + dy / g * j) as i32,
                )
            })
            .collect();
    }
    let gaps = (length / spacing).ceil().max(1.0) as i64;
    (1..gaps)
        .map(|k| {
            let t = k as f64 / gaps as f64;
            let at = |a: i32, b: i32| (a as f64 + (b as f64 - a as f64) * t).round() as i32;
            (at(p.0, q.0), at(p.1, q.1))
        })
        .collect()
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Records that commune `c` runs along an edge; the same commune running
/// back along it cancels both (a spike, or a cut into a hole).
fn add_use(users: &mut Vec<Use>, commune: u32, forward: bool) {
    if let Some(i) = users.iter().position(|u| u.commune == commune) {
        if users[i].forward != forward {
            users.remove(i);
        }
        return;
    }
    users.push(Use { commune, forward });
}

/// Distance in metres on a local flat approximation (good to 0.5 % at
/// the scale of one edge).
pub fn metres(p: Point, q: Point) -> f64 {
    let lat = ((p.1 as f64 + q.1 as f64) / 2e7).to_radians();
    let dx = (q.0 - p.0) as f64 * 1e-7 * 111_320.0 * lat.cos();
    let dy = (q.1 - p.1) as f64 * 1e-7 * 111_320.0;
    dx.hypot(dy)
}

struct Walker<'a> {
    edges: &'a [Edge],
    adjacent: &'a [Vec<u32>],
    visited: Vec<bool>,
}

impl Walker<'_> {
    fn communes(&self, e: u32) -> Vec<u32> {
        let mut list: Vec<u32> = self.edges[e as usize]
            .users
            .iter()
            .map(|u| u.commune)
            .collect();
        list.sort_unstable();
        list
    }

    /// A chain ends where the node does not have exactly two edges, or where
    /// its two edges are used by different communes.
    fn is_break(&self, node: u32) -> bool {
        match self.adjacent[node as usize].as_slice() {
            [x, y] => self.communes(*x) != self.communes(*y),
            _ => true,
        }
    }

    fn other(&self, e: u32, node: u32) -> u32 {
        let edge = &self.edges[e as usize];
        if edge.a == node {
            edge.b
        } else {
            edge.a
        }
    }

    /// Follows edges from `node` (reached through `e`) until a break;
    /// returns the nodes passed, and whether the walk came back to `stop`.
    fn follow(&mut self, mut e: u32, mut node: u32, stop: u32) -> (Vec<u32>, bool) {
        let mut nodes = Vec::new();
        while !self.is_break(node) {
            let next = self.adjacent[node as usize]
                .iter()
                .copied()
                .find(|&x| x != e)
                .unwrap_or(e);
            if next == stop {
                return (nodes, true);
            }
            self.visited[next as usize] = true;
            node = self.other(next, node);
            nodes.push(node);
            e = next;
        }
        (nodes, false)
    }

    /// The chain through edge `e`, directed as the ring that met it first
    /// (leaving `from`).
    fn chain(&mut self, e: u32, from: u32) -> Chain {
        self.visited[e as usize] = true;
        let to = self.other(e, from);
        let (ahead, closed) = self.follow(e, to, e);
        let mut nodes = vec![from, to];
        // A closed walk ends on `from` already.
        nodes.extend(ahead);
        if !closed {
            let (behind, _) = self.follow(e, from, e);
            nodes.splice(0..0, behind.into_iter().rev());
        }
        let edge = &self.edges[e as usize];
        let along = from == edge.a;
        let users = edge
            .users
            .iter()
            .map(|u| Use {
                commune: u.commune,
                forward: u.forward == along,
            })
            .collect();
        Chain { nodes, users }
    }
}

#[cfg(test)]
mod tests {
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
}
