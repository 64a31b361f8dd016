//! A conformal projection fit to the data: Lambert conformal conic on the
//! sphere, with standard parallels at one sixth and five sixths of the
//! data's latitude span and the central meridian in its middle.
//!
//! Why this one: on metropolitan France (41.3°–51.1° N) it gives parallels
//! near 43° and 49.5° N, close to Lambert-93's 44° and 49° N, so the map
//! looks like the IGN's; on any other region it keeps shapes, north up. An
//! area that straddles the equator (where a cone degenerates) falls back to
//! Mercator. Distances come out in kilometres on a sphere of 6,371 km,
//! which is exact enough for a scale bar.
//!
//! In: a bounding box in degrees. Out: `(lon, lat)` → `(x, y)` km, y up.

const EARTH_RADIUS_KM: f64 = 6371.0;

/// A projection fit to one bounding box.
#[derive(Debug, Clone)]
pub enum Projection {
    Conic {
        n: f64,
        rho0: f64,
        lon0: f64,
        /// ρ(φ) over the fitted latitudes.
        rho: Tabulated<f64>,
        /// sin and cos of the cone's angle over the fitted longitudes.
        angle: Tabulated<(f64, f64)>,
    },
    Mercator {
        lon0: f64,
    },
}

/// A function of latitude or longitude tabulated at evenly spaced
/// degrees and read by linear interpolation: a national map projects tens
/// of millions of vertices, and `powf`, `tan` and `sin_cos` per vertex were
/// most of the drawing's time. 16,384 steps over the data's span (and half
/// a degree each side, since vertices pass a fitted box's edges only by
/// rounding) keep the error far below a thousandth of a pixel; beyond the
/// span, the exact function is used.
#[derive(Debug, Clone)]
pub struct Tabulated<T> {
    start: f64,
    step: f64,
    values: Vec<T>,
    /// The function, and its two parameters (the cone's constants).
    exact: fn([f64; 2], f64) -> T,
    params: [f64; 2],
}

impl<T: Lerp> Tabulated<T> {
    const STEPS: usize = 16_384;

    fn new(min: f64, max: f64, exact: fn([f64; 2], f64) -> T, params: [f64; 2]) -> Self {
        let (start, end) = (min - 0.5, max + 0.5);
        let step = (end - start) / Self::STEPS as f64;
        let values = (0..=Self::STEPS)
            .map(|i| exact(params, start + step * i as f64))
            .collect();
        Tabulated {
            start,
            step,
            values,
            exact,
            params,
        }
    }

    fn at(&self, x: f64) -> T {
        let t = (x - self.start) / self.step;
        // In range, `t` is not negative: truncation is its floor, without
        // the library call `floor` is on x86-64.
        if !(0.0..Self::STEPS as f64).contains(&t) {
            return (self.exact)(self.params, x);
        }
        let i = t as usize;
        T::lerp(self.values[i], self.values[i + 1], t - i as f64)
    }
}

/// Values a [`Tabulated`] interpolates.
pub trait Lerp: Copy {
    fn lerp(a: Self, b: Self, u: f64) -> Self;
}

impl Lerp for f64 {
    fn lerp(a: f64, b: f64, u: f64) -> f64 {
        a + (b - a) * u
    }
}

impl Lerp for (f64, f64) {
    fn lerp(a: Self, b: Self, u: f64) -> Self {
        (f64::lerp(a.0, b.0, u), f64::lerp(a.1, b.1, u))
    }
}

/// The cone's radius ρ(φ) = F / tan(π/4 + φ/2)^n, for `[n, F]`.
fn exact_rho([n, f]: [f64; 2], lat: f64) -> f64 {
    let phi = lat.clamp(-89.9, 89.9).to_radians();
    f / (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().powf(n)
}

/// sin and cos of the cone's angle θ = n (λ − λ0), for `[n, λ0]`.
fn exact_angle([n, centre]: [f64; 2], lon: f64) -> (f64, f64) {
    (n * (lon - centre).to_radians()).sin_cos()
}

impl Projection {
    /// Fits a projection to `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn fit(bbox: [f64; 4]) -> Projection {
        let [min_lon, min_lat, max_lon, max_lat] = bbox;
        let lon0 = (min_lon + max_lon) / 2.0;
        let lat0 = (min_lat + max_lat) / 2.0;
        let span = max_lat - min_lat;
        let (p1, p2) = (
            (min_lat + span / 6.0).to_radians(),
            (max_lat - span / 6.0).to_radians(),
        );
        let t = |phi: f64| (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan();
        let n = if (p1 - p2).abs() < 1e-9 {
            p1.sin()
        } else {
            (p1.cos() / p2.cos()).ln() / (t(p2) / t(p1)).ln()
        };
        if n.abs() < 0.05 || !n.is_finite() {
            return Projection::Mercator { lon0 };
        }
        let f = p1.cos() * t(p1).powf(n) / n;
        let rho0 = f / t(lat0.to_radians()).powf(n);
        Projection::Conic {
            n,
            rho0,
            lon0,
            rho: Tabulated::new(min_lat, max_lat, exact_rho, [n, f]),
            angle: Tabulated::new(min_lon, max_lon, exact_angle, [n, lon0]),
        }
    }

    /// Projects a point to kilometres, x east, y north.
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        match *self {
            Projection::Conic {
                rho0,
                ref rho,
                ref angle,
                ..
            } => {
                let rho = rho.at(lat);
                let (sin, cos) = angle.at(lon);
                (
                    EARTH_RADIUS_KM * rho * sin,
                    EARTH_RADIUS_KM * (rho0 - rho * cos),
                )
            }
            Projection::Mercator { lon0 } => {
                let phi = lat.clamp(-85.0, 85.0).to_radians();
                (
                    EARTH_RADIUS_KM * (lon - lon0).to_radians(),
                    EARTH_RADIUS_KM * (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
        ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
    }

    #[test]
    fn france_is_north_up_and_to_scale() {
        let p = Projection::fit([-5.2, 41.3, 9.6, 51.1]);
        let paris = p.project(2.35, 48.86);
        let marseille = p.project(5.37, 43.30);
        let brest = p.project(-4.49, 48.39);
        // Paris is north of Marseille, Brest west of Paris.
        assert!(paris.1 > marseille.1 && brest.0 < paris.0);
        // Great-circle distances: Paris–Marseille 661 km, Paris–Brest 505 km.
        assert!((distance(paris, marseille) - 661.0).abs() < 661.0 * 0.01);
        assert!((distance(paris, brest) - 505.0).abs() < 505.0 * 0.01);
    }

    #[test]
    fn the_table_agrees_with_the_formula() {
        let p = Projection::fit([-5.2, 41.3, 9.6, 51.1]);
        let Projection::Conic { n, rho, .. } = &p else {
            panic!("France gets a cone");
        };
        let f = rho.params[1];
        for i in 0..1000 {
            let lat = 40.0 + i as f64 * 0.0123;
            let (table, exact) = (rho.at(lat), exact_rho([*n, f], lat));
            // Kilometres on the map: under a micrometre of difference.
            assert!((table - exact).abs() * EARTH_RADIUS_KM < 1e-6, "{lat}");
        }
    }

    #[test]
    fn the_angle_table_agrees_with_the_formula() {
        let p = Projection::fit([-5.2, 41.3, 9.6, 51.1]);
        let Projection::Conic { n, lon0, angle, .. } = &p else {
            panic!("France gets a cone");
        };
        // Inside the fitted longitudes, past them, and far past them.
        for i in 0..2000 {
            let lon = -7.0 + i as f64 * 0.0123;
            let (table, exact) = (angle.at(lon), exact_angle([*n, *lon0], lon));
            // Kilometres on the map, at the cone's largest radius here.
            let km = EARTH_RADIUS_KM * 1.5;
            assert!((table.0 - exact.0).abs() * km < 1e-6, "{lon}");
            assert!((table.1 - exact.1).abs() * km < 1e-6, "{lon}");
        }
    }

    #[test]
    fn the_equator_falls_back_to_mercator() {
        assert!(matches!(
            Projection::fit([-10.0, -5.0, 10.0, 5.0]),
            Projection::Mercator { .. }
        ));
        assert!(matches!(
            Projection::fit([7.4, 43.7, 7.5, 43.8]),
            Projection::Conic { .. }
        ));
    }
}
