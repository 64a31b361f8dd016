//! XLSX, for newsrooms whose spreadsheets misread CSV: codes such as
//! `06012` stay text, counts and rates are numbers with fixed decimals,
//! the header row is frozen, and a "Sources" sheet dates the figures.
//!
//! Why a workbook and not only CSV: a French spreadsheet reads `0.74` from
//! a CSV as text and `06012` as the number 6012; a workbook says what each
//! cell is. The bytes are reproducible: the document's creation time is the
//! data date, never the time of the run (rust_xlsxwriter fixes the zip
//! entries' times).
//!
//! In: sheets of rows of any kind, and the run's metadata. Out: XLSX bytes.

use std::io::{self, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::output::cell::{Cell, Number, Row, Table};
use crate::output::csv::DATE_COLUMN;
use crate::output::metadata::Metadata;

/// One sheet: a name, column names and rows of cells.
pub struct Sheet<'a> {
    name: &'static str,
    table: Table<'a>,
}

impl<'a> Sheet<'a> {
    /// A sheet of rows of one kind, each ending with `data_date`.
    pub fn of<R: Row>(name: &'static str, rows: &'a [R], date: &'a str) -> Self {
        Sheet::table(name, Table::of(rows).with_date(DATE_COLUMN, date))
    }

    /// A sheet of a table as it is: rows that carry their own date (counts
    /// through time) take no `data_date`.
    pub fn table(name: &'static str, table: Table<'a>) -> Self {
        Sheet { name, table }
    }
}

/// Writes a workbook: the sheets given, then "Sources".
pub fn write<W: Write>(sheets: &[Sheet<'_>], metadata: &Metadata, out: W) -> io::Result<()> {
    write_with(sheets, metadata, &[], out)
}

/// The same, with `more` lines (label, value) at the end of "Sources":
/// the dates and the zones of a count through time.
pub fn write_with<W: Write>(
    sheets: &[Sheet<'_>],
    metadata: &Metadata,
    more: &[(&str, String)],
    mut out: W,
) -> io::Result<()> {
    let bytes = workbook(sheets, metadata, more).map_err(io::Error::other)?;
    out.write_all(&bytes)?;
    out.flush()
}

fn workbook(
    sheets: &[Sheet<'_>],
    metadata: &Metadata,
    more: &[(&str, String)],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_timestamp(metadata.data_date.timestamp.unwrap_or(0))?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_author(Metadata::generator())
            .set_comment(super::metadata::LICENSE),
    );
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let page = book.add_worksheet();
        page.set_name(sheet.name)?;
        for (col, name) in sheet.table.columns.iter().enumerate() {
            page.write_string_with_format(0, col as u16, name, &bold)?;
        }
        for (i, cells) in sheet.table.rows.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, cell) in cells.iter().enumerate() {
                write_cell(page, row, col as u16, cell)?;
            }
        }
        page.set_freeze_panes(1, 0)?;
        page.autofit();
    }
    let sources = book.add_worksheet();
    sources.set_name("Sources")?;
    let lines = metadata.lines().into_iter();
    let more = more.iter().map(|(label, value)| (*label, value.clone()));
    for (row, (label, value)) in lines.chain(more).enumerate() {
        sources.write_string_with_format(row as u32, 0, label, &bold)?;
        sources.write_string(row as u32, 1, fitted(&value))?;
    }
    sources.autofit();
    book.save_to_buffer()
}

fn write_cell(page: &mut Worksheet, row: u32, col: u16, cell: &Cell<'_>) -> Result<(), XlsxError> {
    match cell.number() {
        Some(Number::Integer(n)) => {
            page.write_number_with_format(row, col, n as f64, &Format::new().set_num_format("0"))?;
        }
        Some(Number::Decimal(x, decimals)) => {
            let pattern = format!("0.{}", "0".repeat(decimals));
            page.write_number_with_format(row, col, x, &Format::new().set_num_format(pattern))?;
        }
        None => match cell {
            Cell::Empty => {}
            Cell::Date(text) => match excel_date(text) {
                Some((date, pattern)) => {
                    let format = Format::new().set_num_format(pattern);
                    page.write_datetime_with_format(row, col, &date, &format)?;
                }
                None => {
                    page.write_string(row, col, fitted(text))?;
                }
            },
            other => {
                page.write_string(row, col, fitted(&other.to_text()))?;
            }
        },
    }
    Ok(())
}

/// The most characters (UTF-16 units) a workbook cell holds.
const CELL_LIMIT: usize = 32_767;

/// `text`, cut to what a workbook cell holds, saying so: the `added_ids`
/// of a commune that gained 3,000 cameras failed the whole workbook,
/// exit 1, where every other format wrote it (found 2026-12-06). A list
/// is cut between two items.
fn fitted(text: &str) -> std::borrow::Cow<'_, str> {
    const CUT: &str = " … (cut: a workbook cell holds 32,767 characters; the CSV and JSON \
                       hold it whole)";
    let units = |s: &str| s.encode_utf16().count();
    if units(text) <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    let room = CELL_LIMIT - units(CUT);
    let (mut end, mut used) = (0, 0);
    for (at, c) in text.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = at + c.len_utf8();
    }
    let kept = &text[..end];
    let kept = kept.rfind(' ').map_or(kept, |space| &kept[..space]);
    std::borrow::Cow::Owned(format!("{kept}{CUT}"))
}

/// A day (`2026-07-10`) or an instant (`2026-07-10T08:00:00Z`) as a
/// workbook date, with the pattern that shows it as written; `None` for
/// any other text ("unknown"), which stays text.
fn excel_date(text: &str) -> Option<(ExcelDateTime, &'static str)> {
    let shape = |pattern: &str| {
        text.len() == pattern.len()
            && (text.bytes().zip(pattern.bytes())).all(|(c, p)| {
                if p == b'9' {
                    c.is_ascii_digit()
                } else {
                    c == p
                }
            })
    };
    let pattern = match () {
        _ if shape("9999-99-99") => "yyyy-mm-dd",
        // The zone goes with the time: the CSV's `…T07:00:00Z` read
        // "2026-04-27 07:00:00" in a sheet, a local time to any reader
        // (found 2026-12-06).
        _ if shape("9999-99-99T99:99:99Z") => "yyyy-mm-dd hh:mm:ss \"UTC\"",
        _ => return None,
    };
    Some((ExcelDateTime::parse_from_str(text).ok()?, pattern))
}

#[cfg(test)]
mod tests {
    use super::{excel_date, fitted, CELL_LIMIT};

    #[test]
    fn days_and_instants_are_dates_and_other_text_is_not() {
        let pattern = |text: &str| excel_date(text).map(|(_, p)| p);
        assert_eq!(pattern("2026-07-10"), Some("yyyy-mm-dd"));
        assert_eq!(
            pattern("2021-04-22T10:15:00Z"),
            Some("yyyy-mm-dd hh:mm:ss \"UTC\"")
        );
        // "unknown", a declared period, a day that does not exist.
        for text in ["unknown", "2022-2023", "2026-13-40", "2026-07-10 ", ""] {
            assert_eq!(pattern(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_text_longer_than_a_cell_is_cut_between_items_and_says_so() {
        assert_eq!(fitted("node/1 node/2"), "node/1 node/2");
        let ids: Vec<String> = (0..5000).map(|i| format!("node/{i}")).collect();
        let ids = ids.join(" ");
        let cell = fitted(&ids);
        assert!(cell.encode_utf16().count() <= CELL_LIMIT);
        let (kept, said) = cell.split_once(" … (cut:").unwrap();
        assert!(ids.starts_with(&format!("{kept} ")), "cut between two ids");
        assert!(said.ends_with("the CSV and JSON hold it whole)"));
        // Characters of two UTF-16 units count twice.
        let wide = "😀".repeat(20_000);
        assert!(fitted(&wide).encode_utf16().count() <= CELL_LIMIT);
    }
}
