//! CSV, for journalists and spreadsheets: any row kind, plus a last
//! `data_date` column so that a pasted table keeps its date.
//!
//! Why these options: French spreadsheets split on `;` and read `0,74` as a
//! number but `0.74` as text, and Excel picks UTF-8 only after a byte-order
//! mark; `--locale fr` sets all three. Absent values are empty cells, never
//! "null" or 0. A text that a spreadsheet would run as a formula (anyone
//! can tag a camera `name==HYPERLINK(…)`) is written after an apostrophe:
//! a spreadsheet opening the file shows it as text, apostrophe and all,
//! and runs nothing (see [`formula_like`]).
//!
//! In: rows of one kind. Out: RFC 4180 CSV with a header row.

use std::borrow::Cow;
use std::io::{self, Write};

use rayon::prelude::*;

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
pub fn write<R: Row, W: Write>(
    rows: &[R],
    options: &CsvOptions,
    data_date: &str,
    out: W,
) -> io::Result<()> {
    write_with(rows, &[(DATE_COLUMN, data_date)], options, out)
}

/// Writes a header and one record per row, each ending with the `extra`
/// columns' values (`(name, value)`, the same on every row): rows that
/// carry their own dates (counts through time) take none or others.
pub fn write_with<'a, R: Row, W: Write>(
    rows: &'a [R],
    extra: &'a [(&'a str, &'a str)],
    options: &CsvOptions,
    out: W,
) -> io::Result<()> {
    let names = extra.iter().map(|(name, _)| *name);
    let cells = |row: &'a R| -> Vec<Cell<'a>> {
        let mut cells = row.cells();
        cells.extend(
            extra
                .iter()
                .map(|(_, value)| Cell::Text(Cow::Borrowed(*value))),
        );
        cells
    };
    write_records(
        R::COLUMNS.iter().copied().chain(names),
        rows,
        cells,
        options,
        out,
    )
}

/// Writes a table whose columns are known only at run time (the wide
/// table of counts through time).
pub fn write_table<W: Write>(table: &Table<'_>, options: &CsvOptions, out: W) -> io::Result<()> {
    let header = table.columns.iter().map(String::as_str);
    write_records(header, &table.rows, Vec::clone, options, out)
}

/// Rows a chunk of records holds, formatted on one thread.
const CHUNK: usize = 4096;

/// The one writer of every CSV: a header, then a record of cells a row.
/// Records are formatted in parallel, a chunk at a time, and written in
/// order (a national table has tens of thousands): the bytes are those
/// of one writer, as a record's quoting depends on its own fields only.
///
/// The records are those of the `csv` crate's default writer (RFC 4180,
/// quotes only where a field holds the delimiter, a quote or a line
/// break, `\n` after each record); a test holds the two together. Written
/// here because its per-field strings cost more than the scan's last
/// stage on a national list of cameras.
pub fn write_records<'h, 'c, T: Sync, W: Write>(
    header: impl IntoIterator<Item = &'h str>,
    rows: &'c [T],
    cells: impl Fn(&'c T) -> Vec<Cell<'c>> + Sync,
    options: &CsvOptions,
    mut out: W,
) -> io::Result<()> {
    if options.bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut head = Records::new(options);
    let names: Vec<&str> = header.into_iter().collect();
    head.put(names.iter().map(|name| Cell::Text(Cow::Borrowed(*name))));
    out.write_all(&head.bytes)?;
    let chunks: Vec<Vec<u8>> = rows
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut records = Records::new(options);
            for row in chunk {
                records.put(cells(row));
            }
            records.bytes
        })
        .collect();
    for chunk in chunks {
        out.write_all(&chunk)?;
    }
    out.flush()
}

/// Whether a spreadsheet opening the CSV would read `text` as a formula:
/// it starts with `=`, `+`, `-` or `@` (or a tab or carriage return before
/// one, which Excel skips), and is not a plain number ("-45" stays as it
/// is). OSM tag values are anyone's to write; a camera named
/// `=HYPERLINK("http://…")` went into the CSV raw (found 2026-12-05).
pub fn formula_like(text: &str) -> bool {
    let start = text.trim_start_matches(['\t', '\r']);
    // "-Infinity" and "+NaN" parse as floats but are no numbers to a
    // spreadsheet, which reads them as formulas (found 2026-12-06).
    let number = text.trim().parse::<f64>().is_ok_and(f64::is_finite);
    start.starts_with(['=', '+', '-', '@']) && !number
}

/// Records appended to one buffer.
struct Records<'o> {
    options: &'o CsvOptions,
    bytes: Vec<u8>,
    field: Vec<u8>,
}

impl<'o> Records<'o> {
    fn new(options: &'o CsvOptions) -> Self {
        Records {
            options,
            bytes: Vec::new(),
            field: Vec::new(),
        }
    }

    /// Appends one record of `cells` and its line end.
    fn put<'c>(&mut self, cells: impl IntoIterator<Item = Cell<'c>>) {
        let delimiter = self.options.delimiter;
        let start = self.bytes.len();
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.bytes.push(delimiter);
            }
            self.field.clear();
            if matches!(cell, Cell::Text(ref t) | Cell::Code(ref t) if formula_like(t)) {
                self.field.push(b'\'');
            }
            cell.put_text(&mut self.field);
            if self.options.decimal_comma && matches!(cell, Cell::Decimal(..)) {
                self.field
                    .iter_mut()
                    .filter(|b| **b == b'.')
                    .for_each(|b| *b = b',');
            }
            let quoted = self
                .field
                .iter()
                .any(|&b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
            if quoted {
                self.bytes.push(b'"');
                for &b in &self.field {
                    if b == b'"' {
                        self.bytes.push(b'"');
                    }
                    self.bytes.push(b);
                }
                self.bytes.push(b'"');
            } else {
                self.bytes.extend_from_slice(&self.field);
            }
        }
        // A record of one empty field would read as an empty line.
        if self.bytes.len() == start {
            self.bytes.extend_from_slice(b"\"\"");
        }
        self.bytes.push(b'\n');
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

    /// A record of one empty field is quoted, as the `csv` crate writes
    /// it, so that it does not read as a blank line.
    #[test]
    fn a_lone_empty_field_is_quoted() {
        let table = Table {
            columns: vec!["name".into()],
            rows: vec![vec![Cell::Empty], vec![Cell::Text("x".into())]],
        };
        let mut out = Vec::new();
        write_table(&table, &CsvOptions::default(), &mut out).unwrap();
        let mut expected = Vec::new();
        let mut one = ::csv::Writer::from_writer(&mut expected);
        for record in [["name"], [""], ["x"]] {
            one.write_record(record).unwrap();
        }
        drop(one);
        assert_eq!(out, expected);
        assert_eq!(String::from_utf8(out).unwrap(), "name\n\"\"\nx\n");
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

    #[test]
    fn texts_a_spreadsheet_would_run_are_written_after_an_apostrophe() {
        struct Named(&'static str);
        impl Row for Named {
            const COLUMNS: &'static [&'static str] = &["name"];
            fn cells(&self) -> Vec<Cell<'_>> {
                vec![Cell::Text(self.0.into())]
            }
        }
        let rows = [
            Named("=HYPERLINK(\"http://x\")"),
            Named("@SUM(1)"),
            Named("-2+3+cmd|' /C calc'!A0"),
            Named("+33 1 23"),
            Named("\t=1"),
            Named("-45"),
            Named("+3"),
            Named("Mairie = ville"),
            Named("-Infinity"),
            Named("+NaN"),
        ];
        let mut out = Vec::new();
        write(&rows, &CsvOptions::default(), "2026-07-10", &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,data_date\n\"'=HYPERLINK(\"\"http://x\"\")\",2026-07-10\n'@SUM(1),2026-07-10\n\
             '-2+3+cmd|' /C calc'!A0,2026-07-10\n'+33 1 23,2026-07-10\n'\t=1,2026-07-10\n\
             -45,2026-07-10\n+3,2026-07-10\nMairie = ville,2026-07-10\n'-Infinity,2026-07-10\n\
             '+NaN,2026-07-10\n"
        );
    }

    /// Chunks formatted in parallel give the bytes of one writer, across
    /// chunk edges and with fields that need quotes.
    #[test]
    fn chunked_records_are_one_writers_bytes() {
        struct Named(String, f64);
        impl Row for Named {
            const COLUMNS: &'static [&'static str] = &["name", "rate"];
            fn cells(&self) -> Vec<Cell<'_>> {
                vec![Cell::Text(self.0.as_str().into()), Cell::Decimal(self.1, 2)]
            }
        }
        // Fields that need quotes (delimiter, quote, line breaks) and
        // fields that do not (the other delimiter, empty, spaces).
        let names = [
            "Saint-{i}, \"le\" bourg\n{i}",
            "",
            " Èze ",
            "a;b",
            "cr\r{i}",
            "plain",
            "\"",
        ];
        let rows: Vec<Named> = (0..CHUNK * 2 + 7)
            .map(|i| {
                Named(
                    names[i % names.len()].replace("{i}", &i.to_string()),
                    i as f64 / 3.0,
                )
            })
            .collect();
        let options = CsvOptions {
            delimiter: b';',
            decimal_comma: true,
            bom: true,
        };
        let mut ours = Vec::new();
        write(&rows, &options, "2026-07-10", &mut ours).unwrap();
        let mut expected = b"\xef\xbb\xbf".to_vec();
        let mut one = ::csv::WriterBuilder::new()
            .delimiter(b';')
            .from_writer(&mut expected);
        one.write_record(["name", "rate", "data_date"]).unwrap();
        for row in &rows {
            let rate = format!("{:.2}", row.1).replace('.', ",");
            one.write_record([row.0.as_str(), &rate, "2026-07-10"])
                .unwrap();
        }
        drop(one);
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
