//! Classes of the choropleth: what each commune's colour says.
//!
//! Why these rules: a reader compares colours, so a colour must never lie.
//! Zero is a class of its own (a commune with no mapped camera is not a
//! commune with few); positive values are cut at quantiles into up to five
//! classes whose bounds the legend states; a commune that could not be
//! counted is hatched grey and a commune without a value (no population
//! for a per-inhabitant rate) plain grey, neither ever drawn as zero. A
//! commune partly beyond the extract (`partial`) has a floor, not a
//! figure: drawn in its class with a dashed outline, and, when no camera
//! was mapped in the part the extract holds, in a pattern of its own,
//! never as zero.
//! Colours are ColorBrewer's YlOrRd, a sequential scheme it marks safe for
//! colour-blind readers.
//!
//! In: one value per commune. Out: a class per commune and the legend.

/// YlOrRd, 6 classes: zero, then five from low to high.
pub const COLOURS: [&str; 6] = [
    "#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026",
];
/// Counted, but the metric has no value (no population).
pub const NO_DATA: &str = "#bdbdbd";
/// How many classes positive values are cut into, at most.
pub const POSITIVE_CLASSES: usize = 5;

/// A commune's class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Zero,
    /// 1-based class of a positive value.
    Positive(usize),
    NoData,
    NotCounted,
    /// Partly beyond the extract, with no camera in the part it holds.
    FloorNone,
}

impl Class {
    /// The CSS class name the map writes on a commune's path.
    pub fn css(self) -> String {
        match self {
            Class::Zero => "c0".into(),
            Class::Positive(k) => format!("c{k}"),
            Class::NoData => "nd".into(),
            Class::NotCounted => "nc".into(),
            Class::FloorNone => "fz".into(),
        }
    }
}

/// The classes a commune's path carries: its class, and `pt` (a dashed
/// outline) when its count is a floor shown in a colour of the scale.
pub fn path_classes(class: Class, floor: bool) -> String {
    match (class, floor) {
        (Class::Zero | Class::Positive(_) | Class::NoData, true) => format!("{} pt", class.css()),
        _ => class.css(),
    }
}

/// The upper bounds of the positive classes, ascending, at quantiles of
/// the positive values (fewer when values repeat).
pub fn quantile_bounds(values: &[f64]) -> Vec<f64> {
    let mut positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    positive.sort_by(f64::total_cmp);
    let n = positive.len();
    let mut bounds: Vec<f64> = Vec::new();
    for k in 1..=POSITIVE_CLASSES.min(n) {
        let at = (k * n).div_ceil(POSITIVE_CLASSES.min(n)) - 1;
        let bound = positive[at];
        if bounds.last() != Some(&bound) {
            bounds.push(bound);
        }
    }
    bounds
}

/// The bounds as the legend writes them, each rounded up to two
/// significant digits (at least `decimals` decimals; a count stays whole),
/// with the decimals it
/// is written with; the communes are then classed by these, so that the
/// legend is true of the exact values the tables give. Classed by the
/// exact quantiles, 308 communes of the national map whose rate lay just
/// above a written bound (Hyds, 0.0532 per km²) were painted in the class
/// "> 0 – 0.05" (found 2026-12-05).
pub fn written_bounds(bounds: &[f64], decimals: usize) -> Vec<(f64, usize)> {
    let mut written: Vec<(f64, usize)> = Vec::new();
    for &bound in bounds {
        let magnitude = bound.abs().log10().floor();
        // A count (no decimals) stays whole.
        let places = match magnitude.is_finite() && decimals > 0 {
            true => (1.0 - magnitude).max(decimals as f64).min(12.0) as usize,
            false => decimals,
        };
        let scale = 10f64.powi(places as i32);
        // The product can land a hair above a whole number that the bound
        // is: it is not rounded up past it.
        let scaled = bound * scale;
        let up = match (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0) {
            true => scaled.round(),
            false => scaled.ceil(),
        };
        let value = up / scale;
        if written.last().is_none_or(|&(last, _)| value > last) {
            written.push((value, places));
        }
    }
    written
}

/// The class of one commune; `floor` when its count is one (`partial`).
pub fn classify(counted: bool, floor: bool, value: Option<f64>, bounds: &[f64]) -> Class {
    match (counted, value) {
        (false, _) => Class::NotCounted,
        (true, Some(v)) if floor && v <= 0.0 => Class::FloorNone,
        (true, None) => Class::NoData,
        (true, Some(v)) if v <= 0.0 => Class::Zero,
        (true, Some(v)) => {
            let k = bounds
                .iter()
                .position(|b| v <= *b)
                .unwrap_or(bounds.len() - 1);
            Class::Positive(k + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_cut_positive_values_and_zero_is_apart() {
        let values: Vec<f64> = (0..=10).map(f64::from).collect();
        let bounds = quantile_bounds(&values);
        assert_eq!(bounds, [2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(classify(true, false, Some(0.0), &bounds), Class::Zero);
        assert_eq!(
            classify(true, false, Some(1.0), &bounds),
            Class::Positive(1)
        );
        assert_eq!(
            classify(true, false, Some(2.5), &bounds),
            Class::Positive(2)
        );
        assert_eq!(
            classify(true, false, Some(10.0), &bounds),
            Class::Positive(5)
        );
        assert_eq!(classify(true, false, None, &bounds), Class::NoData);
        assert_eq!(
            classify(false, false, Some(3.0), &bounds),
            Class::NotCounted
        );
    }

    /// Regression (2026-12-05): a commune partly beyond the extract with
    /// no camera in the part it holds was drawn in the zero class.
    #[test]
    fn a_floor_is_never_drawn_as_zero() {
        let bounds = quantile_bounds(&[1.0, 2.0]);
        assert_eq!(classify(true, true, Some(0.0), &bounds), Class::FloorNone);
        let at_least_one = classify(true, true, Some(1.0), &bounds);
        assert_eq!(at_least_one, Class::Positive(1));
        assert_eq!(path_classes(at_least_one, true), "c1 pt");
        assert_eq!(path_classes(Class::FloorNone, true), "fz");
        assert_eq!(path_classes(Class::Zero, false), "c0");
    }

    #[test]
    fn written_bounds_are_rounded_up_and_class_the_exact_values() {
        let written = written_bounds(&[0.0028, 0.0534, 0.0536, 12.345, 40.0], 2);
        assert_eq!(
            written,
            [(0.0028, 4), (0.054, 3), (12.35, 2), (40.0, 2)],
            "0.0534 and 0.0536 both write 0.054: one class"
        );
        let bounds: Vec<f64> = written.iter().map(|w| w.0).collect();
        // Hyds's 0.0532 lies in "> 0.0028 – 0.054", as its table says.
        assert_eq!(
            classify(true, false, Some(0.0532), &bounds),
            Class::Positive(2)
        );
        assert_eq!(written_bounds(&[3.0, 7.0], 0), [(3.0, 0), (7.0, 0)]);
    }

    #[test]
    fn few_or_repeated_values_give_fewer_classes() {
        assert_eq!(quantile_bounds(&[0.0, 0.0]), Vec::<f64>::new());
        assert_eq!(quantile_bounds(&[1.0, 1.0, 1.0, 3.0]), [1.0, 3.0]);
        assert_eq!(quantile_bounds(&[5.0]), [5.0]);
    }
}
