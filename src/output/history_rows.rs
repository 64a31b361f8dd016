//! The row kinds of counts through time (`camcount history`, `compare`),
//! and the history's JSON and Markdown documents (the wide table, charts
//! and sentences they share with the pages are in [`super::through`]).
//!
//! Why apart from [`super::rows`]: these rows carry their own date (the
//! long table has one per row), so their CSV has no trailing `data_date`
//! column; their JSON and Markdown name the input and every date instead.
//! The Markdown is in the report's language; the JSON keeps English, as
//! every machine-readable output does.
//!
//! In: [`HistoryRow`]s and [`CompareRow`]s. Out: bytes.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::aggregate::RollupRow;
use crate::history::through::{CameraKey, CompareRow, HistoryRow};
use crate::output::cell::{Cell, Row};
use crate::output::json;
use crate::output::lang::Lang;
use crate::output::metadata::{Metadata, LICENSE, LICENSE_FR};
use crate::output::through::{rollup_sentences, totals_sentences, Through};

/// An admin level as a number when it is one (a `--boundaries` zone has
/// none: empty).
pub fn level(value: &str) -> Cell<'_> {
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
        "status_old",
        "added_before_old",
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
            Cell::Text(Cow::Borrowed(self.status_old.as_str())),
            Cell::count(self.added_before_old),
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

/// Per date: the cameras of the whole file, and those inside a zone of
/// each level.
#[derive(Debug, Clone, PartialEq)]
pub struct DateTotals {
    pub date: String,
    /// The file's data date, when this date is after it: what was counted
    /// is the file's newest state, not the state on that date.
    pub after_data: Option<String>,
    pub cameras: u64,
    /// `(admin_level, inside, outside, unplaced)`.
    pub levels: Vec<(String, u64, u64, u64)>,
}

/// What the history's JSON and Markdown say about where figures come from.
pub struct HistorySources<'a> {
    pub metadata: &'a Metadata,
    pub dates: &'a [String],
    pub zones: &'a Zoning,
}

/// How the zones of a count through time were chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum Zoning {
    /// Each date's own OSM boundaries (`--zones-each-date`).
    EachDate,
    /// The polygons of this `--boundaries` file, at every date.
    File(String),
    /// The OSM boundaries of the last date (this one), at every date.
    LastDate(String),
}

impl Zoning {
    /// In a sentence: English in the JSON, the report's language elsewhere.
    pub fn sentence(&self, l: Lang) -> String {
        match (self, l) {
            (Zoning::EachDate, Lang::En) => "Zones are built from each date's own boundaries.".into(),
            (Zoning::EachDate, Lang::Fr) => {
                "Les zones sont construites à chaque date à partir de ses propres limites.".into()
            }
            (Zoning::File(file), Lang::En) => format!("Every date is counted in the zones of {file}."),
            (Zoning::File(file), Lang::Fr) => {
                format!("Chaque date est comptée dans les zones de {file}.")
            }
            (Zoning::LastDate(date), Lang::En) => format!(
                "Every date is counted in the zones (boundaries) of the last date, {date}, so that figures compare like with like."
            ),
            (Zoning::LastDate(date), Lang::Fr) => format!(
                "Chaque date est comptée dans les zones (limites) de la dernière date, {date}, pour que les chiffres soient comparables."
            ),
        }
    }
}

/// The end of the Markdown sources of `history` and `compare`: boundaries,
/// population, generator and licence, a line each.
pub fn sources_tail(m: &Metadata, l: Lang) -> String {
    let colon = l.colon();
    format!(
        "- {}{colon} {}\n- Population{colon} {}\n- {}{colon} {}\n- {}",
        l.pick("Boundaries", "Limites"),
        m.boundaries,
        m.population,
        l.pick("Generator", "Générateur"),
        Metadata::generator(),
        l.pick(LICENSE, LICENSE_FR)
    )
}

/// The `metadata` object of the history's JSON and GeoJSON.
pub fn sources_json(sources: &HistorySources<'_>) -> Value {
    let m = sources.metadata;
    json!({
        "input": m.input,
        "dates": sources.dates,
        "zones": sources.zones.sentence(Lang::En),
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
                // The file's data date when this date is after it (the
                // file's newest state was counted), else null.
                "after_data": t.after_data,
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
/// "Monaco: 0 (2019-01-01) → 11 (2021-04-22) → 32 (2026-07-11)", then the
/// rollup through time when there is one.
pub fn write_markdown<W: Write>(
    through: &Through<'_>,
    totals: &[DateTotals],
    rollup: &[(String, &RollupRow)],
    sources: &HistorySources<'_>,
    l: Lang,
    mut out: W,
) -> io::Result<()> {
    let m = sources.metadata;
    writeln!(out, "# {}\n", title(l))?;
    let n = sources.dates.len() as u64;
    let (dates, zones) = (sources.dates.join(", "), sources.zones.sentence(l));
    match l {
        Lang::En => writeln!(
            out,
            "Counted from {} at {n} dates: {dates}. {zones}\n",
            m.input
        )?,
        Lang::Fr => writeln!(
            out,
            "Caméras comptées dans {} à {} : {dates}. {zones}\n",
            m.input,
            l.count(n, ["date", "dates"], ["date", "dates"])
        )?,
    }
    writeln!(out, "## {}\n", l.pick("Totals", "Totaux"))?;
    for sentence in totals_sentences(totals, l) {
        writeln!(out, "- {sentence}")?;
    }
    writeln!(
        out,
        "\n## {}\n",
        l.pick("Zones with cameras", "Zones avec des caméras")
    )?;
    let mut any = false;
    for line in &through.lines {
        if !line.cameras.iter().any(|c| c.is_some_and(|n| n > 0)) {
            continue;
        }
        any = true;
        writeln!(out, "- {}", through.sentence(line, l))?;
    }
    if !any {
        let none = l.pick(
            "No zone held a camera at any of these dates.",
            "Aucune zone n'avait de caméra à ces dates.",
        );
        writeln!(out, "{none}")?;
    }
    if !rollup.is_empty() {
        let heading = l.pick("By group through time", "Par groupe au fil du temps");
        writeln!(out, "\n## {heading}\n")?;
        for sentence in rollup_sentences(rollup, l) {
            writeln!(out, "- {sentence}")?;
        }
    }
    writeln!(
        out,
        "\n## Sources\n\n- {}{} {} ({} {})\n{}",
        l.pick("Input", "Fichier"),
        l.colon(),
        m.input,
        l.pick("OSM data as of", "données OSM au"),
        m.data_date.day(),
        sources_tail(m, l)
    )?;
    out.flush()
}

/// The title of the history's report and page.
pub fn title(l: Lang) -> &'static str {
    l.pick(
        "Surveillance cameras through time",
        "Caméras de surveillance au fil du temps",
    )
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
