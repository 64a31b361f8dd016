//! A human report in Markdown: totals, the top communes, rollup sentences,
//! and the communes that could not be counted, with the reason.
//!
//! In: sorted rows, the rollup, the totals and the input's name. Out: Markdown.

use std::io::{self, Write};

use crate::aggregate::{CommuneRow, RollupRow, Totals};
use crate::boundary::Status;

/// How many communes each "top" list shows.
const TOP: usize = 10;

pub fn write_report<W: Write>(
    source: &str,
    rows: &[CommuneRow],
    rollup: &[RollupRow],
    totals: &Totals,
    mut out: W,
) -> io::Result<()> {
    writeln!(out, "# Surveillance cameras per commune\n")?;
    writeln!(
        out,
        "Source: `{source}`, OpenStreetMap objects tagged `man_made=surveillance`."
    )?;
    writeln!(
        out,
        "Data © OpenStreetMap contributors, under the ODbL 1.0; this report is ODbL too.\n"
    )?;
    write_totals(&mut out, totals)?;
    write_top(&mut out, "Top communes by cameras", rows, |r| {
        r.cameras().map(|c| c as f64)
    })?;
    write_top(
        &mut out,
        "Top communes by cameras per 1,000 inhabitants",
        rows,
        CommuneRow::cameras_per_1000,
    )?;
    if !rollup.is_empty() {
        writeln!(out, "## By group\n")?;
        for group in rollup {
            writeln!(out, "- {}", group.sentence())?;
        }
        writeln!(out)?;
    }
    write_uncounted(&mut out, rows)?;
    out.flush()
}

fn write_totals(out: &mut impl Write, t: &Totals) -> io::Result<()> {
    writeln!(out, "## Totals\n")?;
    writeln!(out, "- {} cameras in the extract.", t.cameras)?;
    for level in &t.levels {
        let zones = if level.admin_level.is_empty() {
            "communes".to_string()
        } else {
            format!("admin_level {} zones", level.admin_level)
        };
        writeln!(
            out,
            "- {zones}: {} cameras inside, {} outside every one, {} without a position; \
             {} of {} counted have cameras ({} could not be built from the extract).",
            level.inside,
            level.outside,
            level.unplaced,
            level.zones_with_cameras,
            level.zones_ok,
            level.zones - level.zones_ok
        )?;
    }
    writeln!(out)
}

fn label(row: &CommuneRow) -> String {
    let name = row.name.as_deref().unwrap_or("(no name)");
    match &row.reference {
        Some(code) => format!("{} ({code})", escape(name)),
        None => escape(name),
    }
}

/// Keeps a name from breaking the table.
fn escape(text: &str) -> String {
    text.replace('|', "\\|")
}

fn write_top(
    out: &mut impl Write,
    title: &str,
    rows: &[CommuneRow],
    key: impl Fn(&CommuneRow) -> Option<f64>,
) -> io::Result<()> {
    let mut ranked: Vec<(&CommuneRow, f64)> = rows
        .iter()
        .filter_map(|r| key(r).filter(|&v| v > 0.0).map(|v| (r, v)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.reference.cmp(&b.0.reference)));
    writeln!(out, "## {title}\n")?;
    if ranked.is_empty() {
        return writeln!(out, "No commune with cameras.\n");
    }
    writeln!(out, "| Commune | Cameras | Population | Per 1,000 inhabitants | Inhabitants per camera | Per km² |")?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|")?;
    for (row, _) in ranked.into_iter().take(TOP) {
        let opt = |v: Option<f64>, d: usize| v.map_or(String::new(), |v| format!("{v:.d$}"));
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            label(row),
            row.cameras().unwrap_or(0),
            row.population.map_or(String::new(), |p| p.to_string()),
            opt(row.cameras_per_1000(), 2),
            opt(row.inhabitants_per_camera(), 0),
            opt(row.cameras_per_km2(), 2),
        )?;
    }
    writeln!(out)
}

fn write_uncounted(out: &mut impl Write, rows: &[CommuneRow]) -> io::Result<()> {
    let uncounted: Vec<&CommuneRow> = rows.iter().filter(|r| r.status != Status::Ok).collect();
    if uncounted.is_empty() {
        return Ok(());
    }
    writeln!(out, "## Communes that could not be counted\n")?;
    writeln!(out, "Their boundaries could not be built from the extract, so cameras inside them count as outside every commune.\n")?;
    writeln!(out, "| Commune | Status | Reason |")?;
    writeln!(out, "|---|---|---|")?;
    for row in uncounted {
        writeln!(
            out,
            "| {} | {} | {} |",
            label(row),
            row.status,
            escape(&row.reason)
        )?;
    }
    writeln!(out)
}
