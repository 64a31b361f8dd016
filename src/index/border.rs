//! Which segments of a zone a point may lie on, found among a few.
//!
//! Why: an interval tree tells whether a camera is strictly inside a busy
//! zone, not whether it lies on the zone's border, and a plain pass over
//! every vertex for each camera the tree does not hold costs what the tree
//! saved: a département's box holds thousands of its neighbours' cameras.
//! The zone's segments are sorted into horizontal bands, about √n of them,
//! so a point is tested against the segments of its band only.
//!
//! In: a zone on the 1e-7 degree grid (whole numbers in `f64`). Out:
//! whether a grid point lies on one of its segments, exactly.

use geo::MultiPolygon;

/// A segment as whole grid steps: `[x0, y0, x1, y1]`.
type Segment = [i64; 4];

pub(super) struct Border {
    /// The southern edge of the first band, and each band's height.
    bottom: i64,
    height: i64,
    /// The segments crossing band `b` are `segments[first[b]..first[b + 1]]`.
    first: Vec<usize>,
    segments: Vec<Segment>,
}

impl Border {
    /// Bands every segment of every ring of `zone`, which must be on the
    /// grid.
    pub(super) fn new(zone: &MultiPolygon<f64>) -> Self {
        let all: Vec<Segment> = (zone.iter())
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .flat_map(|ring| ring.lines())
            .map(|line| {
                // Whole numbers held in f64: the cast is exact.
                let (a, b) = (line.start, line.end);
                [a.x as i64, a.y as i64, b.x as i64, b.y as i64]
            })
            .collect();
        let (bottom, top) = (all.iter())
            .flat_map(|s| [s[1], s[3]])
            .fold((i64::MAX, i64::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
        if all.is_empty() {
            return Border {
                bottom: 0,
                height: 1,
                first: vec![0, 0],
                segments: all,
            };
        }
        let bands = (all.len() as f64).sqrt().ceil() as i64;
        let height = ((top - bottom) / bands + 1).max(1);
        let band_count = ((top - bottom) / height + 1) as usize;
        let bands_of = |s: &Segment| {
            let (lo, hi) = (s[1].min(s[3]), s[1].max(s[3]));
            ((lo - bottom) / height) as usize..=((hi - bottom) / height) as usize
        };
        // Counted, then placed: one allocation for every band.
        let mut first = vec![0usize; band_count + 1];
        for s in &all {
            for b in bands_of(s) {
                first[b + 1] += 1;
            }
        }
        for b in 0..band_count {
            first[b + 1] += first[b];
        }
        let mut next = first.clone();
        let mut segments = vec![[0; 4]; first[band_count]];
        for s in &all {
            for b in bands_of(s) {
                segments[next[b]] = *s;
                next[b] += 1;
            }
        }
        Border {
            bottom,
            height,
            first,
            segments,
        }
    }

    /// Whether the grid point lies on a segment (ends included), exactly.
    pub(super) fn touches(&self, point: &geo::Coord<f64>) -> bool {
        let (x, y) = (point.x as i64, point.y as i64);
        if y < self.bottom {
            return false;
        }
        let band = ((y - self.bottom) / self.height) as usize;
        if band + 1 >= self.first.len() {
            return false;
        }
        self.segments[self.first[band]..self.first[band + 1]]
            .iter()
            .any(|s| on_segment(s, x, y))
    }
}

/// Whether `(x, y)` lies on the segment: in its box and on its line (the
/// cross product, in i128, is exact).
fn on_segment(s: &Segment, x: i64, y: i64) -> bool {
    let [x0, y0, x1, y1] = *s;
    if x < x0.min(x1) || x > x0.max(x1) || y < y0.min(y1) || y > y0.max(y1) {
        return false;
    }
    let cross = i128::from(x1 - x0) * i128::from(y - y0) - i128::from(y1 - y0) * i128::from(x - x0);
    cross == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Coord};

    #[test]
    fn points_on_edges_and_vertices_touch_others_do_not() {
        let zone = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 60.0),
            (x: 30.0, y: 90.0), (x: 0.0, y: 0.0)
        ]]);
        let border = Border::new(&zone);
        let at = |x: f64, y: f64| border.touches(&Coord { x, y });
        assert!(at(50.0, 0.0), "bottom edge");
        assert!(at(100.0, 60.0), "vertex");
        assert!(at(65.0, 75.0), "sloping edge, on a grid point");
        assert!(at(10.0, 30.0), "the closing edge");
        assert!(!at(50.0, 1.0));
        assert!(!at(65.0, 76.0));
        assert!(!at(101.0, 30.0));
        assert!(!at(50.0, -1.0));
        assert!(!at(30.0, 91.0));
        // Every point of the box, against a plain pass over every segment.
        let lines: Vec<Segment> = zone.0[0]
            .exterior()
            .lines()
            .map(|l| {
                [
                    l.start.x as i64,
                    l.start.y as i64,
                    l.end.x as i64,
                    l.end.y as i64,
                ]
            })
            .collect();
        for x in -2..=102 {
            for y in -2..=92 {
                let plain = lines.iter().any(|s| on_segment(s, x, y));
                assert_eq!(at(x as f64, y as f64), plain, "({x}, {y})");
            }
        }
    }
}
