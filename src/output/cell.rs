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
            Cell::Text(s) | Cell::Code(s) => Cow::Borrowed(s),
            Cell::Integer(n) => Cow::Owned(n.to_string()),
            Cell::Decimal(x, decimals) => Cow::Owned(format!("{x:.decimals$}")),
        }
    }

    /// The number a numeric cell holds once rounded, for formats that store
    /// numbers (JSON, XLSX).
    pub fn number(&self) -> Option<Number> {
        match self {
            Cell::Integer(n) => Some(Number::Integer(*n)),
            Cell::Decimal(_, 0) => self.to_text().parse().ok().map(Number::Integer),
            Cell::Decimal(_, decimals) => self
                .to_text()
                .parse()
                .ok()
                .map(|x| Number::Decimal(x, *decimals)),
            _ => None,
        }
    }
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

    /// The table with one more column holding `value` on every row (the
    /// data date of a pasted table).
    pub fn with_column(mut self, name: &str, value: &'a str) -> Self {
        self.columns.push(name.to_string());
        for row in &mut self.rows {
            row.push(Cell::Code(Cow::Borrowed(value)));
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

    #[test]
    fn codes_stay_text() {
        let code = Cell::code(Some("06012"));
        assert_eq!(code.to_text(), "06012");
        assert_eq!(code.number(), None);
    }
}
