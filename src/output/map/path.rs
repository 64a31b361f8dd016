//! A commune's SVG path data: its projected rings snapped to the map's
//! pixel grid, each point written relative to the one before.
//!
//! In: a multipolygon and the projection to pixels. Out: the path's `d`.

use std::fmt::Write as _;

use geo::MultiPolygon;

/// Path coordinates are integers in this fraction of a pixel: the grid
/// the display geometry is snapped to.
pub(super) const SUBPIXELS: f64 = 1.0;

/// The `d` of a path, simplified for display by snapping every vertex to a
/// half-pixel grid and dropping the vertices that fall on the one before.
/// Why not Visvalingam–Whyatt (geo's topology-preserving variant was tried
/// first): it simplifies each commune on its own, so neighbours' shared
/// borders drift apart into slivers, and on the national corpus it took
/// longer than the whole count. Snapping is one pass, and a vertex two communes share lands on
/// the same grid point in both, so borders stay shared. Each point is
/// written relative to the one before: the shortest text.
pub(super) fn path_data(
    geometry: &MultiPolygon<f64>,
    to_px: impl Fn(f64, f64) -> (f64, f64),
) -> String {
    let mut d = String::new();
    let mut digits = itoa::Buffer::new();
    let mut flush = |d: &mut String, (dx, dy): (i64, i64)| {
        if (dx, dy) != (0, 0) {
            d.push('l');
            d.push_str(digits.format(dx));
            if dy >= 0 {
                d.push(' ');
            }
            d.push_str(digits.format(dy));
        }
    };
    for polygon in geometry.iter() {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            let mut previous: Option<(i64, i64)> = None;
            // A run of steps in one direction is written as one step.
            let mut pending = (0i64, 0i64);
            for c in ring.coords() {
                let (x, y) = to_px(c.x, c.y);
                let point = (round(x * SUBPIXELS), round(y * SUBPIXELS));
                let Some((px, py)) = previous else {
                    let _ = write!(d, "M{} {}", point.0, point.1);
                    previous = Some(point);
                    continue;
                };
                let step = (point.0 - px, point.1 - py);
                if step == (0, 0) {
                    continue;
                }
                let same_way = pending.0 * step.1 == pending.1 * step.0
                    && pending.0 * step.0 + pending.1 * step.1 > 0;
                if same_way {
                    pending = (pending.0 + step.0, pending.1 + step.1);
                } else {
                    flush(&mut d, pending);
                    pending = step;
                }
                previous = Some(point);
            }
            flush(&mut d, pending);
            d.push('Z');
        }
    }
    d
}

/// `x.round() as i64`, exactly (halves away from zero), without the
/// library call `round` is on x86-64 without SSE4.1: a national map rounds
/// tens of millions of coordinates. `x - trunc(x)` is exact for any
/// finite `x` (Sterbenz), so the comparison with one half is too.
pub(super) fn round(x: f64) -> i64 {
    // From 2^52 on every float is an integer (and NaN casts to 0, as the
    // rounded NaN does).
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x as i64;
    }
    let t = x as i64;
    let fraction = x - t as f64;
    if fraction >= 0.5 {
        t + 1
    } else if fraction <= -0.5 {
        t - 1
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::round;

    #[test]
    fn round_is_the_standard_rounding() {
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
        ];
        values.extend([
            -0.49999999999999994,
            4503599627370495.5,
            -4503599627370495.5,
        ]);
        values.extend([9007199254740993.0, 1e18, -1e18, 1e300, f64::NAN]);
        // A deterministic spread of magnitudes and fractions.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 2_000_000) as f64 / 7.0 - 140_000.0;
            values.push(v);
            values.push(v.trunc() + 0.5);
        }
        for v in values {
            assert_eq!(round(v), v.round() as i64, "{v:?}");
        }
    }
}
