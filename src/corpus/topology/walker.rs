//! Chain walking: edges used by the same communes joined into border ways,
//! cut where a node has other than two edges or its users change.
//!
//! Why a walker: following a border from edge to edge needs the edges seen
//! so far, so that each edge lands in exactly one chain.
//!
//! In: the edges with their users and each node's edges. Out: one
//! [`Chain`] at a time, directed as the ring that met it first.

use super::{Chain, Edge, Use};

pub(super) struct Walker<'a> {
    pub(super) edges: &'a [Edge],
    pub(super) adjacent: &'a [Vec<u32>],
    pub(super) visited: Vec<bool>,
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
    pub(super) fn chain(&mut self, e: u32, from: u32) -> Chain {
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
