//! The human outputs of counts through time: the HTML page of `history`
//! and `compare` (sources, key sentences, the two charts, the map of the
//! last date, the table), the charts alone as one SVG, and `compare`'s
//! Markdown.
//!
//! Why the count's page skeleton: the same style, sources line and
//! sortable table (from [`crate::output::html`]) make the pages read
//! alike, and there is one table script to keep right. Like the count's
//! page, nothing is loaded from anywhere and the body holds no time of
//! the run.
//!
//! In: a [`Page`] (or charts, or compare rows) and the metadata. Out:
//! bytes.

use std::io::{self, Write};

use crate::history::through::CompareRow;
use crate::output::cell::Table;
use crate::output::chart::{self, Chart};
use crate::output::html::{self, escape};
use crate::output::lang::Lang;
use crate::output::map;
use crate::output::metadata::{Metadata, LICENSE};

use super::Through;

/// What a page is made from.
pub struct Page<'a> {
    pub title: &'a str,
    pub metadata: &'a Metadata,
    /// The sources line, HTML.
    pub sources: String,
    pub sentences: Vec<String>,
    pub charts: Vec<Chart>,
    /// The map of the last date, and what it shows.
    pub map: Option<(map::Map, String)>,
    pub table: Table<'a>,
}

/// Writes the page.
pub fn write_page<W: Write>(page: &Page<'_>, mut out: W) -> io::Result<()> {
    let l = Lang::En;
    html::write_head(&mut out, l, page.title, page.metadata, &page.sources)?;
    html::write_sentences(&mut out, &page.sentences)?;
    writeln!(
        out,
        "<style>figure.chart{{page-break-inside:avoid}}</style>"
    )?;
    for chart in &page.charts {
        writeln!(
            out,
            "<figure class=\"chart\">\n{}</figure>",
            chart::render(chart, None)
        )?;
    }
    if let Some((drawn, caption)) = &page.map {
        writeln!(out, "<h2>{}</h2>", escape(caption))?;
        html::write_map(&mut out, drawn, l)?;
    }
    html::write_table(&mut out, &page.table)?;
    html::write_end(&mut out)
}

/// The charts, one above the other, in one standalone SVG, with the
/// `credit` (data date, sources, licence) under them, on as many lines
/// as it needs to stay inside the picture.
pub fn write_svg<W: Write>(charts: &[Chart], credit: &str, mut out: W) -> io::Result<()> {
    let mut lines: Vec<String> = Vec::new();
    for part in credit.split(" · ") {
        match lines.last_mut() {
            Some(line) if line.chars().count() + part.chars().count() < CREDIT_CHARS => {
                line.push_str(" · ");
                line.push_str(part);
            }
            _ => lines.push(part.to_string()),
        }
    }
    let top = chart::HEIGHT * charts.len() as f64;
    let height = top + 16.0 * lines.len() as f64 + 10.0;
    writeln!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" font-family=\"sans-serif\">",
        w = chart::WIDTH
    )?;
    for (i, chart) in charts.iter().enumerate() {
        out.write_all(chart::render(chart, Some((0.0, chart::HEIGHT * i as f64))).as_bytes())?;
    }
    for (i, line) in lines.iter().enumerate() {
        writeln!(
            out,
            "<text class=\"credit\" x=\"8\" y=\"{}\" font-size=\"11\" fill=\"#555\">{}</text>",
            top + 16.0 * (i + 1) as f64,
            escape(line)
        )?;
    }
    writeln!(out, "</svg>")?;
    out.flush()
}

/// About what a line of the credit holds across the picture, at 11 px.
const CREDIT_CHARS: usize = 120;

/// The two snapshots of `compare`, as its outputs name them.
pub struct Snapshots<'a> {
    pub old_input: &'a str,
    pub old_date: &'a str,
    pub new_input: &'a str,
    pub new_date: &'a str,
    /// Cameras of NEW not in OLD, and of OLD not in NEW, whatever their
    /// zone.
    pub added: usize,
    pub removed: usize,
}

/// The older snapshot, for the sources line of `compare`'s page (the
/// metadata is NEW's).
pub fn older_source(s: &Snapshots<'_>) -> String {
    format!(
        "Older snapshot: OpenStreetMap data as of {} (<code>{}</code>)",
        escape(s.old_date),
        escape(s.old_input)
    )
}

/// What `compare` says first: the totals, cameras added and removed, and
/// how many communes gained or lost.
pub fn compare_sentences(through: &Through<'_>, s: &Snapshots<'_>) -> Vec<String> {
    let total = |i: usize| through.totals.get(i).copied().unwrap_or(0);
    let changes: Vec<i64> = through.lines.iter().filter_map(|l| l.change()).collect();
    vec![
        format!(
            "{} in {} (OSM data as of {}) → {} in {} (as of {}): {} added, {} removed.",
            super::cameras(total(0)),
            s.old_input,
            s.old_date,
            total(1),
            s.new_input,
            s.new_date,
            s.added,
            s.removed
        ),
        format!(
            "{} gained cameras, {} lost some, {} kept as many (all counted in the zones of the newer snapshot).",
            zones(changes.iter().filter(|&&c| c > 0).count()),
            zones(changes.iter().filter(|&&c| c < 0).count()),
            changes.iter().filter(|&&c| c == 0).count()
        ),
    ]
}

/// "1 zone", "3 zones".
fn zones(n: usize) -> String {
    match n {
        1 => "1 zone".to_string(),
        n => format!("{n} zones"),
    }
}

/// "Beausoleil (06012): 0 → 1 (+1: 1 added, 0 removed)".
pub fn change_sentence(row: &CompareRow) -> String {
    let n = |v: Option<u64>| v.map_or_else(|| "unknown".to_string(), |v| v.to_string());
    let name = row
        .name
        .clone()
        .or_else(|| row.reference.clone())
        .unwrap_or_else(|| format!("relation {}", row.osm_id.unwrap_or(0)));
    let label = match (&row.name, &row.reference) {
        (Some(_), Some(code)) => format!("{name} ({code})"),
        _ => name,
    };
    format!(
        "{label}: {} → {} ({}: {} added, {} removed)",
        n(row.cameras_old),
        n(row.cameras_new),
        row.change()
            .map_or_else(|| "?".to_string(), |c| format!("{c:+}")),
        n(row.added),
        n(row.removed)
    )
}

/// The rows whose cameras changed (added or removed), largest gain first,
/// then by code and name: the same order whatever order they came in.
pub fn changed(rows: &[CompareRow]) -> Vec<&CompareRow> {
    let mut changed: Vec<&CompareRow> = (rows.iter())
        .filter(|r| r.added.unwrap_or(0) + r.removed.unwrap_or(0) > 0)
        .collect();
    changed.sort_by(|a, b| {
        (b.change().cmp(&a.change()))
            .then(a.reference.cmp(&b.reference))
            .then(a.name.cmp(&b.name))
            .then(a.osm_id.cmp(&b.osm_id))
    });
    changed
}

/// `compare`'s Markdown: the totals, then a sentence per zone whose
/// cameras changed, then the sources.
pub fn write_compare_markdown<W: Write>(
    rows: &[CompareRow],
    through: &Through<'_>,
    s: &Snapshots<'_>,
    m: &Metadata,
    mut out: W,
) -> io::Result<()> {
    writeln!(
        out,
        "# Surveillance cameras: {} → {}\n",
        s.old_date, s.new_date
    )?;
    writeln!(out, "## Totals\n")?;
    for sentence in compare_sentences(through, s) {
        writeln!(out, "- {sentence}")?;
    }
    writeln!(out, "\n## Zones whose cameras changed\n")?;
    let changed = changed(rows);
    for row in &changed {
        writeln!(out, "- {}", change_sentence(row))?;
    }
    if changed.is_empty() {
        writeln!(out, "No zone gained or lost a camera.")?;
    }
    writeln!(
        out,
        "\n## Sources\n\n- Older snapshot: {} (OSM data as of {})\n- Newer snapshot: {} (OSM data as of {}); zones are its own\n- Boundaries: {}\n- Population: {}\n- Generator: {}\n- {LICENSE}",
        s.old_input,
        s.old_date,
        s.new_input,
        s.new_date,
        m.boundaries,
        m.population,
        Metadata::generator()
    )?;
    out.flush()
}
