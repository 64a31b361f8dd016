//! The row kinds of counts through time (`camcount history`, `compare`)
//! and the shapes only they have: the wide table (one column per date)
//! and the sentences of the Markdown report.
//!
//! Why apart from [`super::rows`]: these rows carry their own date (the
//! long table has one per row), so their CSV has no trailing `data_date`
//! column; their JSON and Markdown name the input and every date instead.
//!
//! In: [`HistoryRow`]s and [`CompareRow`]s. Out: bytes.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::history::through::{CameraKey, CompareRow, HistoryRow};
use crate::output::cell::{Cell, Row};
use crate::output::csv::{self, CsvOptions};
use crate::output::json;
use crate::output::metadata::{Metadata, LICENSE};

fn level(value: &str) -> Cell<'_> {
    match value.parse::<i64>() {
        Ok(n) => Cell::Integer(n),
        Err(_) if value.is_empty() => Cell::Empty,
        Err(_) => Cell::Text(Cow::Borrowed(value)),
    }
}

impl Row for HistoryRow {
    const COLUMNS: &'static [&'static str] = &[
        "date",
        "admin_level",
        "osm_id",
        "ref",
        "name",
        "population",
        "cameras",
        "added",
        "removed",
        "status",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Code(Cow::Borrowed(&self.date)),
            level(&self.admin_level),
            self.osm_id.map_or(Cell::Empty, Cell::Integer),
            Cell::code(self.reference.as_deref()),
            Cell::text(self.name.as_deref()),
            Cell::count(self.population),
            Cell::count(self.cameras),
            Cell::count(self.added),
            Cell::count(self.removed),
            Cell::Text(Cow::Borrowed(self.status.as_str())),
        ]
    }
}

impl Row for CompareRow {
    const COLUMNS: &'static [&'static str] = &[
        "admin_level",
        "osm_id",
        "ref",
        "name",
        "population",
        "cameras_old",
        "cameras_new",
        "change",
        "added",
        "removed",
        "status",
        "added_ids",
        "removed_ids",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            level(&self.admin_level),
            self.osm_id.map_or(Cell::Empty, Cell::Integer),
            Cell::code(self.reference.as_deref()),
            Cell::text(self.name.as_deref()),
            Cell::count(self.population),
            Cell::count(self.cameras_old),
            Cell::count(self.cameras_new),
            self.change().map_or(Cell::Empty, Cell::Integer),
            Cell::count(self.added),
            Cell::count(self.removed),
            Cell::Text(Cow::Borrowed(self.status.as_str())),
            Cell::Text(Cow::Owned(ids(&self.added_ids))),
            Cell::Text(Cow::Owned(ids(&self.removed_ids))),
        ]
    }
}

/// `node/1 way/2`, the way osmium and the OSM website name objects.
pub fn ids(keys: &[CameraKey]) -> String {
    keys.iter()
        .map(|(kind, id)| format!("{}/{id}", kind.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// One zone through time, for the wide table and the sentences.
struct Series<'r> {
    first: &'r HistoryRow,
    /// Cameras per date label (`None`: not built at that date, or absent).
    cameras: BTreeMap<&'r str, Option<u64>>,
}

/// Zones in first-seen order, each with its counts per date.
fn series<'r>(rows: &'r [HistoryRow]) -> Vec<Series<'r>> {
    let mut order: Vec<Series<'r>> = Vec::new();
    let mut position: BTreeMap<(&str, Option<i64>, Option<&str>), usize> = BTreeMap::new();
    for row in rows {
        let key = (
            row.admin_level.as_str(),
            row.osm_id,
            row.reference.as_deref(),
        );
        let at = *position.entry(key).or_insert_with(|| {
            order.push(Series {
                first: row,
                cameras: BTreeMap::new(),
            });
            order.len() - 1
        });
        order[at].cameras.insert(&row.date, row.cameras);
    }
    order
}

/// The wide table: one row per zone, one `cameras_DATE` column per date.
pub fn write_wide<W: Write>(
    rows: &[HistoryRow],
    dates: &[String],
    options: &CsvOptions,
    mut out: W,
) -> io::Result<()> {
    if options.bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(options.delimiter)
        .from_writer(out);
    let mut header: Vec<String> = ["admin_level", "osm_id", "ref", "name", "population"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(dates.iter().map(|d| format!("cameras_{d}")));
    writer.write_record(&header)?;
    for zone in series(rows) {
        let r = zone.first;
        let mut fields = vec![
            r.admin_level.clone(),
            r.osm_id.map_or_else(String::new, |id| id.to_string()),
            r.reference.clone().unwrap_or_default(),
            r.name.clone().unwrap_or_default(),
            r.population.map_or_else(String::new, |p| p.to_string()),
        ];
        fields.extend(dates.iter().map(|d| {
            zone.cameras
                .get(d.as_str())
                .copied()
                .flatten()
                .map_or_else(String::new, |n| n.to_string())
        }));
        writer.write_record(&fields)?;
    }
    writer.flush()
}

/// Per date: the cameras of the whole file, and those inside a zone of
/// each level.
#[derive(Debug, Clone, PartialEq)]
pub struct DateTotals {
    pub date: String,
    pub cameras: u64,
    /// `(admin_level, inside, outside, unplaced)`.
    pub levels: Vec<(String, u64, u64, u64)>,
}

/// What the history's JSON and Markdown say about where figures come from.
pub struct HistorySources<'a> {
    pub metadata: &'a Metadata,
    pub dates: &'a [String],
    /// How zones were chosen, in a sentence.
    pub zones: &'a str,
}

fn sources_json(sources: &HistorySources<'_>) -> Value {
    let m = sources.metadata;
    json!({
        "input": m.input,
        "dates": sources.dates,
        "zones": sources.zones,
        "generator": Metadata::generator(),
        "boundaries": m.boundaries,
        "population": m.population,
        "admin_levels": m.admin_levels,
        "data_date": m.data_date.day(),
        "data_timestamp": m.data_date.instant(),
        "data_date_source": m.data_date.source.as_str(),
        "license": LICENSE,
    })
}

/// The JSON document: metadata (input, dates, zones), totals per date,
/// every row, then the rollup through time when asked.
pub fn write_json<W: Write>(
    rows: &[HistoryRow],
    totals: &[DateTotals],
    rollup: Option<Value>,
    sources: &HistorySources<'_>,
    mut out: W,
) -> io::Result<()> {
    let mut document = Map::new();
    document.insert("metadata".into(), sources_json(sources));
    document.insert("totals".into(), totals_json(totals));
    document.insert(
        "rows".into(),
        rows.iter()
            .map(|r| Value::Object(json::object(r)))
            .collect(),
    );
    if let Some(rollup) = rollup {
        document.insert("rollup".into(), rollup);
    }
    serde_json::to_writer_pretty(&mut out, &Value::Object(document))?;
    out.write_all(b"\n")?;
    out.flush()
}

fn totals_json(totals: &[DateTotals]) -> Value {
    totals
        .iter()
        .map(|t| {
            json!({
                "date": t.date,
                "cameras": t.cameras,
                "levels": t.levels.iter().map(|(level, inside, outside, unplaced)| json!({
                    "admin_level": level.parse::<u8>().ok(),
                    "inside": inside,
                    "outside": outside,
                    "unplaced": unplaced,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The Markdown report: sources, totals per date, then one sentence per
/// zone that had a camera at some date:
/// "Monaco: 0 (2019-01-01) → 11 (2021-04-22) → 32 (2026-07-11)".
pub fn write_markdown<W: Write>(
    rows: &[HistoryRow],
    totals: &[DateTotals],
    sources: &HistorySources<'_>,
    mut out: W,
) -> io::Result<()> {
    let m = sources.metadata;
    writeln!(out, "# Surveillance cameras through time\n")?;
    writeln!(
        out,
        "Counted from {} at {} dates: {}. {}\n",
        m.input,
        sources.dates.len(),
        sources.dates.join(", "),
        sources.zones
    )?;
    writeln!(out, "## Totals\n")?;
    for t in totals {
        let levels: Vec<String> = t
            .levels
            .iter()
            .map(|(level, inside, outside, _)| {
                format!("{inside} inside admin_level {level} zones, {outside} outside")
            })
            .collect();
        let detail = match levels.is_empty() {
            true => String::new(),
            false => format!(" ({})", levels.join("; ")),
        };
        writeln!(out, "- {}: {} cameras{detail}", t.date, t.cameras)?;
    }
    writeln!(out, "\n## Zones with cameras\n")?;
    let mut any = false;
    for zone in series(rows) {
        if !zone.cameras.values().any(|c| c.is_some_and(|n| n > 0)) {
            continue;
        }
        any = true;
        let name = zone
            .first
            .name
            .clone()
            .or_else(|| zone.first.reference.clone())
            .unwrap_or_else(|| format!("relation {}", zone.first.osm_id.unwrap_or(0)));
        let steps: Vec<String> = sources
            .dates
            .iter()
            .map(|d| {
                let n = zone.cameras.get(d.as_str()).copied().flatten();
                format!(
                    "{} ({d})",
                    n.map_or_else(|| "unknown".to_string(), |n| n.to_string())
                )
            })
            .collect();
        writeln!(out, "- {}: {}", name, steps.join(" → "))?;
    }
    if !any {
        writeln!(out, "No zone held a camera at any of these dates.")?;
    }
    writeln!(
        out,
        "\n## Sources\n\n- Input: {}\n- Boundaries: {}\n- Population: {}\n- Generator: {}\n- {LICENSE}",
        m.input,
        m.boundaries,
        m.population,
        Metadata::generator()
    )?;
    out.flush()
}

/// Rows of any kind, each with its date as a first column: the rollup
/// through time.
pub fn write_dated_csv<R: Row, W: Write>(
    dated: &[(String, &R)],
    options: &CsvOptions,
    mut out: W,
) -> io::Result<()> {
    if options.bom {
        out.write_all(b"\xef\xbb\xbf")?;
    }
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(options.delimiter)
        .from_writer(out);
    let header: Vec<&str> = std::iter::once("date")
        .chain(R::COLUMNS.iter().copied())
        .collect();
    writer.write_record(&header)?;
    for (date, row) in dated {
        let cells = row.cells();
        let fields: Vec<String> = std::iter::once(date.clone())
            .chain(
                cells
                    .iter()
                    .map(|c| csv::text(c, options.decimal_comma).into_owned()),
            )
            .collect();
        writer.write_record(&fields)?;
    }
    writer.flush()
}

/// The rollup through time as JSON rows, each with its date.
pub fn dated_json<R: Row>(dated: &[(String, &R)]) -> Value {
    dated
        .iter()
        .map(|(date, row)| {
            let mut object = Map::new();
            object.insert("date".into(), Value::from(date.clone()));
            object.extend(json::object(*row));
            Value::Object(object)
        })
        .collect()
}
