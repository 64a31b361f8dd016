//! Any row kind as a Markdown table, after the sources: `cameras -f md`
//! and `boundaries -f md`, for a newsroom that pastes a list into an
//! article or a wiki.
//!
//! Why beside the count's report: the report speaks in sentences and
//! picks its columns; a list of rows keeps every column of its
//! [`Row`] kind, as the CSV does, with the cells' one rounding.
//!
//! In: rows and the run's metadata. Out: Markdown.

use std::io::{self, Write};

use crate::output::cell::{Cell, Row};
use crate::output::lang::Lang;
use crate::output::metadata::Metadata;

/// `# title`, the sources, then one table row per row, numbers
/// right-aligned, empty cells empty (never 0).
pub fn write_rows<R: Row, W: Write>(
    title: [&'static str; 2],
    rows: &[R],
    m: &Metadata,
    l: Lang,
    mut out: W,
) -> io::Result<()> {
    writeln!(out, "# {}\n", l.pick(title[0], title[1]))?;
    super::write_sources(&mut out, m, l)?;
    let cells: Vec<Vec<Cell<'_>>> = rows.iter().map(Row::cells).collect();
    let numeric = |column: usize| {
        let mut values = cells.iter().map(|row| &row[column]);
        values.clone().any(|c| c.number().is_some())
            && values.all(|c| matches!(c, Cell::Empty) || c.number().is_some())
    };
    writeln!(out, "| {} |", R::COLUMNS.join(" | "))?;
    let rule: Vec<&str> = (0..R::COLUMNS.len())
        .map(|i| if numeric(i) { "---:" } else { "---" })
        .collect();
    writeln!(out, "|{}|", rule.join("|"))?;
    for row in &cells {
        let texts: Vec<String> = row.iter().map(|c| super::escape(&text(c, l))).collect();
        writeln!(out, "| {} |", texts.join(" | "))?;
    }
    if cells.is_empty() {
        writeln!(out, "\n(none)")?;
    }
    out.flush()
}

/// A cell as the list shows it: decimals in the language's way (`7,4213`
/// in French, as the French CSV writes them); identifiers and counts as
/// they are, so that an OSM id is never grouped.
fn text(cell: &Cell<'_>, l: Lang) -> String {
    match cell {
        Cell::Decimal(x, decimals) if l == Lang::Fr => {
            l.dec(*x, crate::output::cell::shown_decimals(*x, *decimals))
        }
        _ => cell.to_text().into_owned(),
    }
}
