//! Typed cells and the [`Row`] trait: the one shape every output shares.
//!
//! Why: a figure must read the same in a spreadsheet, a map, a script and a
//! report. Each row kind (camera, commune, rollup, boundary) says once, in
//! [`super::rows`], which columns it has and what each cell holds; each
//! format (CSV, JSON, GeoJSON, XLSX, Markdown) writes any row kind. There is
//! one rounding rule: a [`Cell::Decimal`] is rounded to its decimals once,
//! as text, and every format takes that text (JSON and XLSX parse it back),
//! so no format can show a digit another does not.
//!
//! In: values of one row. Out: cells a format renders.

use std::borrow::Cow;

use rayon::prelude::*;

/// One value, typed, before a format renders it. A value that does not
/// exist (a rate with an unknown or zero denominator, the count of an
/// unbuilt commune) is [`Cell::Empty`]: an empty cell or `null`, never 0.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    /// An identifier that may look like a number (INSEE code `06012`, an
    /// OSM type): spreadsheets must keep it as text, leading zeros and all.
    Code(Cow<'a, str>),
    Integer(i64),
    /// A day (`2026-07-10`) or an instant (`2026-07-10T08:00:00Z`), or
    /// the text that stands for an unknown one: text in every format but
    /// a workbook, where a date is a date (it sorts and filters as one).
    Date(Cow<'a, str>),
    /// A value and the decimals it is written with.
    Decimal(f64, usize),
}

impl<'a> Cell<'a> {
    /// A text cell, empty when absent.
    pub fn text(value: Option<&'a str>) -> Cell<'a> {
        value.map_or(Cell::Empty, |s| Cell::Text(Cow::Borrowed(s)))
    }

    /// A code cell, empty when absent.
    pub fn code(value: Option<&'a str>) -> Cell<'a> {
        value.map_or(Cell::Empty, |s| Cell::Code(Cow::Borrowed(s)))
    }

    /// A count, empty when unknown.
    pub fn count(value: Option<u64>) -> Cell<'a> {
        value.map_or(Cell::Empty, |n| Cell::Integer(n as i64))
    }

    /// An admin level as a number when it is one (`8`), else as written;
    /// empty for a `--boundaries` zone, which has none.
    pub fn level(value: &'a str) -> Cell<'a> {
        match value.parse::<i64>() {
            Ok(n) => Cell::Integer(n),
            Err(_) if value.is_empty() => Cell::Empty,
            Err(_) => Cell::Text(Cow::Borrowed(value)),
        }
    }

    /// A decimal, empty when unknown (or not finite: never inf or NaN).
    pub fn decimal(value: Option<f64>, decimals: usize) -> Cell<'a> {
        match value {
            Some(x) if x.is_finite() => Cell::Decimal(x, decimals),
            _ => Cell::Empty,
        }
    }

    /// The cell as plain text with a point for decimals: the one rounding.
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) | Cell::Code(s) | Cell::Date(s) => Cow::Borrowed(s),
            Cell::Integer(n) => Cow::Owned(n.to_string()),
            Cell::Decimal(..) => {
                let mut text = Vec::new();
                self.put_text(&mut text);
                Cow::Owned(String::from_utf8(text).unwrap_or_default())
            }
        }
    }

    /// Appends [`Cell::to_text`] to `out`, without allocating: a national
    /// table has a million cells.
    pub fn put_text(&self, out: &mut Vec<u8>) {
        match self {
            Cell::Empty => {}
            Cell::Text(s) | Cell::Code(s) | Cell::Date(s) => out.extend_from_slice(s.as_bytes()),
            Cell::Integer(n) => out.extend_from_slice(itoa::Buffer::new().format(*n).as_bytes()),
            Cell::Decimal(x, decimals) => put_fixed(out, *x, shown_decimals(*x, *decimals)),
        }
    }

    /// The number a numeric cell holds once rounded, for formats that store
    /// numbers (JSON, XLSX).
    pub fn number(&self) -> Option<Number> {
        match self {
            Cell::Integer(n) => Some(Number::Integer(*n)),
            Cell::Decimal(x, decimals) => match shown_decimals(*x, *decimals) {
                0 => self.to_text().parse().ok().map(Number::Integer),
                shown => {
                    (self.to_text().parse().ok()).map(|rounded| Number::Decimal(rounded, shown))
                }
            },
            _ => None,
        }
    }
}

/// The decimals a value is shown with: `decimals`, or as many more as
/// give a value that is not zero two significant digits, so that it never
/// reads as 0. Nice's 1 camera for 357,737 inhabitants read "0.00 per
/// 1,000" in the report, and 1 mapped of 4,000 declared "0.0 %" in every
/// format (found 2026-12-05); they read 0.0028 and 0.025. Below one unit
/// of the last decimal, not half of one: Maripasoula's 0.0000537 cameras
/// per km² read 0.0001, nearly twice the figure (found 2026-12-05); it
/// reads 0.000054.
pub fn shown_decimals(x: f64, decimals: usize) -> usize {
    let unit = 10f64.powi(-(decimals.min(300) as i32));
    if x == 0.0 || x.abs() >= unit || !x.is_finite() {
        return decimals;
    }
    // The first significant digit's place, then one more; never exactly
    // three decimals, which a spreadsheet of another country reads as a
    // thousands group ("0,025" became 25 in LibreOffice set to English,
    // found 2026-12-05).
    let first = (-x.abs().log10()).ceil() as usize;
    match (first + 1).min(17).max(decimals) {
        3 => 4,
        shown => shown,
    }
}

/// Appends `x` with `decimals` decimals, rounded to nearest with a half
/// rounded away from zero, as a reader and a spreadsheet's `ROUND` do.
///
/// Why not `format!`: it rounds the exact binary value, a half to even.
/// Our figures are quotients of counts, whose halves are real: 3,245
/// inhabitants for 2 cameras is 1,622.5, which `format!` wrote 1622 where
/// 3,247 for 2 gave 1624, and 33 of 80 communes read 41.2 % (found
/// 2026-12-06). So a value within rounding error of a half is a half, and
/// goes up. Scaled by a power of ten, a value out of the float's integer
/// range, or negative and rounding to zero (`-0.00`), takes `format!`;
/// those have no half to settle. It is also about as fast as the rest of
/// a CSV row, where `format!`'s exact algorithm took as long.
pub fn put_fixed(out: &mut Vec<u8>, x: f64, decimals: usize) {
    const POWERS: [u64; 10] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
        1_000_000_000,
    ];
    if let Some(&power) = POWERS.get(decimals) {
        let scaled = x.abs() * power as f64;
        // Below 2^52 the float holds every integer and its fraction is
        // exact; the product is off by at most half a unit in its last
        // place, well within `margin`.
        if scaled < (1u64 << 52) as f64 {
            let fraction = scaled - scaled.floor();
            let margin = scaled * f64::EPSILON * 4.0 + f64::MIN_POSITIVE;
            let rounded = match (fraction - 0.5).abs() <= margin {
                true => scaled.floor() as u64 + 1,
                false => scaled.round() as u64,
            };
            if !(rounded == 0 && x.is_sign_negative()) {
                if x.is_sign_negative() {
                    out.push(b'-');
                }
                let mut digits = itoa::Buffer::new();
                out.extend_from_slice(digits.format(rounded / power).as_bytes());
                if decimals > 0 {
                    out.push(b'.');
                    let fraction = digits.format(rounded % power).as_bytes();
                    out.extend(std::iter::repeat_n(b'0', decimals - fraction.len()));
                    out.extend_from_slice(fraction);
                }
                return;
            }
        }
    }
    use std::io::Write;
    let _ = write!(out, "{x:.decimals$}");
}

/// A rounded number, as formats that store numbers receive it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    Integer(i64),
    /// Already rounded; the decimals it is shown with.
    Decimal(f64, usize),
}

/// A row kind: its column names, and the cells of one row in that order.
///
/// To add a column: add its name to `COLUMNS` and its cell to `cells`, in
/// the same place, in [`super::rows`]; every format picks it up.
pub trait Row: Sync {
    const COLUMNS: &'static [&'static str];

    fn cells(&self) -> Vec<Cell<'_>>;
}

/// Rows whose columns are known only at run time, such as the wide table
/// of counts through time (a `cameras_DATE` column per date). Formats that
/// take a [`Row`] kind take this too: the columns are still named once,
/// beside the cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table<'a> {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell<'a>>>,
}

impl<'a> Table<'a> {
    /// The rows of one kind, columns and all.
    pub fn of<R: Row>(rows: &'a [R]) -> Self {
        Table {
            columns: R::COLUMNS.iter().map(|c| c.to_string()).collect(),
            // A national table has tens of thousands of rows.
            rows: rows.par_iter().map(Row::cells).collect(),
        }
    }

    /// The table with one more column holding the date `value` on every
    /// row (the data date of a pasted table).
    pub fn with_date(mut self, name: &str, value: &'a str) -> Self {
        self.columns.push(name.to_string());
        for row in &mut self.rows {
            row.push(Cell::Date(Cow::Borrowed(value)));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_rounded_once_and_formats_agree() {
        let cell = Cell::Decimal(0.40322580645, 4);
        assert_eq!(cell.to_text(), "0.4032");
        assert_eq!(cell.number(), Some(Number::Decimal(0.4032, 4)));
        // Zero decimals is an integer, not 2480.0.
        assert_eq!(
            Cell::Decimal(2479.6, 0).number(),
            Some(Number::Integer(2480))
        );
    }

    #[test]
    fn absent_and_non_finite_values_are_empty_never_zero() {
        assert_eq!(Cell::decimal(None, 4), Cell::Empty);
        assert_eq!(Cell::decimal(Some(f64::INFINITY), 4), Cell::Empty);
        assert_eq!(Cell::decimal(Some(f64::NAN), 4), Cell::Empty);
        assert_eq!(Cell::count(None), Cell::Empty);
        assert_eq!(Cell::Empty.to_text(), "");
        assert_eq!(Cell::Empty.number(), None);
    }

    /// `format!`'s digits, except at a half, which goes away from zero:
    /// on values near halves, negatives rounding to zero, huge and tiny
    /// values, and a million pseudo-random ones at every precision. Where
    /// the two differ, `x` must lie at the midpoint of the two readings.
    #[test]
    fn fixed_decimals_are_formats_digits_but_halves_go_up() {
        let check = |x: f64, decimals: usize| {
            let mut ours = Vec::new();
            put_fixed(&mut ours, x, decimals);
            let ours = String::from_utf8(ours).unwrap();
            let theirs = format!("{x:.decimals$}");
            if ours != theirs {
                let (a, b): (f64, f64) = (ours.parse().unwrap(), theirs.parse().unwrap());
                let midpoint = (a + b) / 2.0;
                assert!(
                    a.abs() > b.abs() && (x - midpoint).abs() <= 1e-12 * x.abs().max(1.0),
                    "{x:e} with {decimals} decimals: {ours}, format! {theirs}"
                );
            }
        };
        let edges = [
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            -0.5,
            0.125,
            0.375,
            1e-9,
            -1e-9,
            -0.004,
            0.005,
            0.015,
            1.005,
            2.675,
            7.4246,
            43.7311,
            -1.2345675,
            1e15,
            4.5e15,
            9.1e15,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            123456.5,
            0.05,
            0.95,
            9.995,
            99.5,
        ];
        for x in edges {
            for decimals in 0..12 {
                check(x, decimals);
            }
        }
        // A fixed xorshift: no dependency, the same values every run.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for i in 0..1_000_000 {
            let bits = next();
            let x = match i % 4 {
                // Coordinates on the OSM 1e-7 grid, as lon and lat are.
                0 => ((bits % 3_600_000_000) as i64 - 1_800_000_000) as f64 * 1e-7,
                // Rates and shares near a half in the last decimal.
                1 => (bits % 2_000_000) as f64 / 1000.0 + 0.0005,
                2 => f64::from_bits(bits) % 1e6,
                _ => (bits % 10_000_000) as f64 / 7.0,
            };
            if x.is_finite() {
                check(x, (bits >> 60) as usize % 10);
            }
        }
    }

    /// Regression (2026-12-06): a half went to the even digit, as
    /// `format!` rounds: 3,245 inhabitants for 2 cameras read 1622 and
    /// 3,247 for 2 read 1624; 33 of 80 read 41.2 %.
    #[test]
    fn halves_round_away_from_zero() {
        let text = |x: f64, decimals: usize| Cell::Decimal(x, decimals).to_text().into_owned();
        assert_eq!(text(3245.0 / 2.0, 0), "1623");
        assert_eq!(text(3247.0 / 2.0, 0), "1624");
        assert_eq!(text(33.0 * 100.0 / 80.0, 1), "41.3");
        // 0.15 and 2.675 lie a hair below the half in binary.
        assert_eq!(text(3.0 / 20.0, 1), "0.2");
        assert_eq!(text(2.675, 2), "2.68");
        assert_eq!(text(0.125, 2), "0.13");
        assert_eq!(text(-0.125, 2), "-0.13");
        assert_eq!(text(1.5, 0), "2");
        assert_eq!(text(2.5, 0), "3");
        // Not a half: the nearest, either way.
        assert_eq!(text(0.1249, 2), "0.12");
        assert_eq!(text(1622.49, 0), "1622");
    }

    /// Regression (2026-12-05): a positive rate or share rounded to zero
    /// read as 0 ("0.00 per 1,000", "0.0 %"), which the tables keep for
    /// none at all.
    #[test]
    fn a_value_that_is_not_zero_never_reads_as_zero() {
        assert_eq!(Cell::Decimal(1.0 / 357.737, 2).to_text(), "0.0028");
        // Never three decimals, which reads as a thousands group abroad.
        assert_eq!(Cell::Decimal(100.0 / 4000.0, 1).to_text(), "0.0250");
        assert_eq!(Cell::Decimal(0.04, 1).to_text(), "0.0400");
        assert_eq!(Cell::Decimal(-0.001, 1).to_text(), "-0.0010");
        assert_eq!(
            Cell::Decimal(1.0 / 357.737, 2).number(),
            Some(Number::Decimal(0.0028, 4))
        );
        // Below one unit of the last decimal, not only below half of one:
        // 0.0000537 read 0.0001 (regression, 2026-12-05).
        assert_eq!(Cell::Decimal(1.0 / 18617.5405, 4).to_text(), "0.000054");
        assert_eq!(Cell::Decimal(0.00009, 4).to_text(), "0.000090");
        assert_eq!(Cell::Decimal(0.05, 1).to_text(), "0.0500");
        // Values of a unit or more keep their decimals.
        assert_eq!(Cell::Decimal(0.0001, 4).to_text(), "0.0001");
        assert_eq!(Cell::Decimal(0.15, 1).to_text(), "0.2");
        assert_eq!(Cell::Decimal(0.0028, 4).to_text(), "0.0028");
        assert_eq!(Cell::Decimal(0.0, 2).to_text(), "0.00");
        assert_eq!(Cell::Decimal(0.4, 0).to_text(), "0.40");
        // Stored as a number still (1 inhabitant for 32 cameras gave the
        // text "0.031" in JSON and XLSX).
        assert_eq!(
            Cell::Decimal(1.0 / 32.0, 0).number(),
            Some(Number::Decimal(0.0313, 4))
        );
        assert_eq!(Cell::Decimal(1e-30, 20).to_text().len(), 22);
    }

    #[test]
    fn codes_stay_text() {
        let code = Cell::code(Some("06012"));
        assert_eq!(code.to_text(), "06012");
        assert_eq!(code.number(), None);
    }
}
