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

#[cfg(test)]
mod tests;
mod walker;

use std::collections::HashMap;

use super::input::Commune;

use walker::Walker;

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
