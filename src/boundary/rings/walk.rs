//! Ring walking: segments joined end to end into closed simple rings.
//!
//! A walk that comes back to a point it passed closes a ring there, so
//! rings that touch at a node come apart here rather than later.
//!
//! In: crossing-free segments. Out: closed point rings and the points where
//! rings touch, or an open end ([`Invalid`]).

use super::segments::{key_point, point_key, Segment};
use super::{Invalid, Point};

/// Walks segments into closed simple rings. A walk that comes back to a
/// point it already passed closes a ring there, so rings that touch at a
/// node come apart. Every point must join an even number of segments.
/// Also returns the points where rings touch (more than two segments).
pub(super) fn walk_rings(segments: &[Segment]) -> Result<(Vec<Vec<Point>>, Vec<Point>), Invalid> {
    let graph = SegmentGraph::new(segments);
    if let Some(open) = graph.open_end() {
        return Err(Invalid(format!(
            "open ring: ends at {:.7} {:.7} with no way to close it",
            f64::from(open.0) / 1e7,
            f64::from(open.1) / 1e7
        )));
    }
    let mut walk = Walk {
        graph: &graph,
        used: vec![false; segments.len()],
        seen: vec![NOT_SEEN; graph.points.len()],
        rings: Vec::new(),
    };
    for start in 0..segments.len() {
        if !walk.used[start] {
            walk.from(start);
        }
    }
    let touches = (0..graph.points.len() as u32)
        .filter(|&p| graph.at(p).len() > 2)
        .map(|p| graph.points[p as usize])
        .collect();
    Ok((walk.rings, touches))
}

/// The segments as a graph on numbered points: one sort, then plain arrays
/// (no map keyed by point, no search per step of a walk).
pub(super) struct SegmentGraph {
    /// The distinct end points, sorted; a point's number is its index.
    points: Vec<Point>,
    /// The two point numbers of each segment.
    ends: Vec<[u32; 2]>,
    /// The segments meeting at each point, in segment order: those of point
    /// `p` are `incident[first[p]..first[p + 1]]`.
    incident: Vec<u32>,
    first: Vec<u32>,
}

impl SegmentGraph {
    /// `segments` must be sorted, as `cancel_duplicates` leaves them.
    pub(super) fn new(segments: &[Segment]) -> Self {
        let ends = sorted_ends(segments);
        let mut graph = SegmentGraph {
            points: Vec::new(),
            ends: vec![[0; 2]; segments.len()],
            incident: Vec::with_capacity(ends.len()),
            first: Vec::new(),
        };
        for run in ends.chunk_by(|a, b| a.0 == b.0) {
            let number = graph.points.len() as u32;
            graph.points.push(run[0].0);
            graph.first.push(graph.incident.len() as u32);
            for &(point, segment) in run {
                let side = usize::from(segments[segment as usize].0 != point);
                graph.ends[segment as usize][side] = number;
                graph.incident.push(segment);
            }
        }
        graph.first.push(graph.incident.len() as u32);
        graph
    }

    /// The segments meeting at point `p`, in segment order.
    pub(super) fn at(&self, p: u32) -> &[u32] {
        &self.incident[self.first[p as usize] as usize..self.first[p as usize + 1] as usize]
    }

    /// The smallest point where an odd number of segments meet, if any.
    pub(super) fn open_end(&self) -> Option<Point> {
        (0..self.points.len())
            .find(|&p| self.at(p as u32).len() % 2 == 1)
            .map(|p| self.points[p])
    }
}

/// Both ends of every segment, sorted by point, then segment. The first
/// ends of sorted segments are already in that order, so only the second
/// ends are sorted, then the two runs merged: the ring walk's sorting
/// halved.
pub(super) fn sorted_ends(segments: &[Segment]) -> Vec<(Point, u32)> {
    debug_assert!(segments.is_sorted());
    let mut seconds: Vec<u128> = (0u32..)
        .zip(segments)
        .map(|(i, s)| u128::from(point_key(s.1)) << 32 | u128::from(i))
        .collect();
    seconds.sort_unstable();
    // Both runs are read once, in order, as they are merged.
    let mut a = (0u32..).zip(segments).map(|(i, s)| (s.0, i)).peekable();
    let mut b = seconds
        .into_iter()
        .map(|k| (key_point((k >> 32) as u64), k as u32))
        .peekable();
    let mut ends = Vec::with_capacity(2 * segments.len());
    while let (Some(&x), Some(&y)) = (a.peek(), b.peek()) {
        ends.push(if x <= y {
            a.next();
            x
        } else {
            b.next();
            y
        });
    }
    ends.extend(a.chain(b));
    ends
}

/// Marks a point that the current walk has not passed.
pub(super) const NOT_SEEN: u32 = u32::MAX;

/// The state of [`walk_rings`]: which segments are used, and where on the
/// current path each point lies (`seen`, cleared again after each walk).
pub(super) struct Walk<'g> {
    graph: &'g SegmentGraph,
    used: Vec<bool>,
    seen: Vec<u32>,
    rings: Vec<Vec<Point>>,
}

impl Walk<'_> {
    pub(super) fn from(&mut self, start: usize) {
        self.used[start] = true;
        let mut path = self.graph.ends[start].to_vec();
        self.seen[path[0] as usize] = 0;
        self.seen[path[1] as usize] = 1;
        while let Some(&here) = path.last() {
            let Some(&next) = self
                .graph
                .at(here)
                .iter()
                .find(|&&s| !self.used[s as usize])
            else {
                break;
            };
            self.used[next as usize] = true;
            let [a, b] = self.graph.ends[next as usize];
            let there = if a == here { b } else { a };
            match self.seen[there as usize] {
                NOT_SEEN => {
                    self.seen[there as usize] = path.len() as u32;
                    path.push(there);
                }
                k => {
                    self.close_ring(&mut path, there, k as usize);
                    if path.len() == 1 {
                        break;
                    }
                }
            }
        }
        for p in path {
            self.seen[p as usize] = NOT_SEEN;
        }
    }

    /// Cuts the ring that came back to `there` (at `path[k]`) off the path.
    pub(super) fn close_ring(&mut self, path: &mut Vec<u32>, there: u32, k: usize) {
        let points = &self.graph.points;
        let mut ring = Vec::with_capacity(path.len() - k + 1);
        ring.push(points[there as usize]);
        for p in path.drain(k + 1..) {
            self.seen[p as usize] = NOT_SEEN;
            ring.push(points[p as usize]);
        }
        ring.push(points[there as usize]);
        self.rings.push(ring);
    }
}
