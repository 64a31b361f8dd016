//! CSV, for journalists and spreadsheets: any row kind, plus a last
//! `data_date` column so that a pasted table keeps its date.
//!
//! Why these options: French spreadsheets split on `;` and read `0,74` as a
//! number but `0.74` as text, and Excel picks UTF-8 only after a byte-order
//! mark; `--locale fr` sets all three. Absent values are empty cells, never
//! "null" or 0.
//!
//! In: rows of one kind. Out: RFC 4180 CSV with a header row.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::output::cell::{Cell, Row, Table};

/// How a CSV is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    pub delimiter: u8,
    /// `0,7426` instead of `0.7426`.
    pub decimal_comma: bool,
    /// Start with a UTF-8 byte-order mark.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: b',',
            decimal_comma: false,
            bom: false,
        }
    }
}

/// The name of the date column every CSV ends with.
pub const DATE_COLUMN: &str = "data_date";

/// Writes a header and one record per row, each ending with `data_date`.
pub fn write<'r, R: Row + 'r, W: Write>(
    rows: impl IntoIterator<Item = &'r R>,
    options: &CsvOptions,
    data_date: &str,
    out: W,
) -> io::Result<()> {
    write_with(rows, &[(DATE_COLUMN, data_date)], options, out)
}

/// Writes a header and one record per row, each ending with the `extra`
/// columns' values (`(name, value)`, the same on every row): rows that
/// carry their own dates (counts through time) take none or others.
pub fn write_with<'r, R: Row + 'r, W: Write>(
    rows: impl IntoIterator<Item = &'r R>,
    extra: &[(&str, &str)],
    options: &CsvOptions,
    out: W,
) -> io::Result<()> {
    let names = extra.iter().map(|(name, _)| *name);
    let records = rows.into_iter().map(|row| {
        let mut cells = row.cells();
        cells.extend(
            extra
                .iter()
                .map(|(_, value)| Cell::Text(Cow::Borrowed(*value))),
        );
        cells
    });
    write_records(
        R::COLUMNS.iter().copied().chain(names),
        records,
        options,
        out,
    )
}

/// Writes a table whose columns are known only at run time (the wide
/// table of counts through time).
pub fn write_table<W: Write>(table: &Table<'_>, options: &CsvOptions, out: W) -> io::Result<()> {
    let header = table.columns.iter().map(String::as_str);
    write_records(header, table.rows.iter().cloned(), options, out)
}

/// The one writer of every CSV: a header, then a record of cells a row,
/// streamed.
pub fn write_records<'h, 'c, W: Write>(
    header: impl IntoIterator<Item = &'h str>,
    records: impl IntoIterator<Item = Vec<Cell<'c>>>,
    options: &CsvOptions,
    mut out: W,
) -> io::Result<()> {
    if options.bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(options.delimiter)
        .from_writer(out);
    writer.write_record(header)?;
    for cells in records {
        let fields: Vec<Cow<'_, str>> = cells
            .iter()
            .map(|cell| text(cell, options.decimal_comma))
            .collect();
        writer.write_record(fields.iter().map(|f| f.as_bytes()))?;
    }
    writer.flush()
}

/// A cell's CSV text: decimals with a comma when asked (codes and text
/// are never touched).
pub fn text<'c>(cell: &'c Cell<'_>, decimal_comma: bool) -> Cow<'c, str> {
    match cell {
        Cell::Decimal(..) if decimal_comma => cell.to_text().replace('.', ",").into(),
        _ => cell.to_text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pair(&'static str, f64);

    impl Row for Pair {
        const COLUMNS: &'static [&'static str] = &["code", "rate"];
        fn cells(&self) -> Vec<Cell<'_>> {
            vec![Cell::Code(self.0.into()), Cell::Decimal(self.1, 4)]
        }
    }

    fn written(options: CsvOptions) -> String {
        let mut out = Vec::new();
        write(&[Pair("06012", 0.74262)], &options, "2026-07-10", &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_date_is_the_last_column() {
        assert_eq!(
            written(CsvOptions::default()),
            "code,rate,data_date\n06012,0.7426,2026-07-10\n"
        );
    }

    #[test]
    fn french_spreadsheets_get_semicolons_commas_and_a_bom() {
        let fr = CsvOptions {
            delimiter: b';',
            decimal_comma: true,
            bom: true,
        };
        assert_eq!(
            written(fr),
            "\u{feff}code;rate;data_date\n06012;0,7426;2026-07-10\n"
        );
    }
}
