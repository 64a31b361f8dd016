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
    title: &str,
    rows: &[R],
    m: &Metadata,
    mut out: W,
) -> io::Result<()> {
    writeln!(out, "# {title}\n")?;
    super::write_sources(&mut out, m, Lang::En)?;
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
        let texts: Vec<String> = row.iter().map(|c| super::escape(&c.to_text())).collect();
        writeln!(out, "| {} |", texts.join(" | "))?;
    }
    if cells.is_empty() {
        writeln!(out, "\n(none)")?;
    }
    out.flush()
}
