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

use crate::history::through::{CameraKey, CompareRow, HistoryRow};
use crate::output::cell::{Cell, Row};
use crate::output::lang::Lang;
use crate::output::metadata::{Metadata, LICENSE, LICENSE_FR};

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
            Cell::Date(Cow::Borrowed(&self.date)),
            Cell::level(&self.admin_level),
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
        "moved_in",
        "added_ids",
        "removed_ids",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::level(&self.admin_level),
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
            Cell::count(self.added.map(|_| self.moved_in)),
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
    pub levels: Vec<LevelAtDate>,
}

/// One counted level's cameras at a date.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelAtDate {
    pub admin_level: String,
    pub inside: u64,
    /// In no counted zone: beyond every zone, or in one that could not be
    /// built at that date.
    pub outside: u64,
    pub unplaced: u64,
    /// Zones of the level that could not be built (at that date, or at
    /// the last date when zones are the last date's).
    pub not_built: u64,
}

/// What the history's JSON and Markdown say about where figures come from.
pub struct HistorySources<'a> {
    pub metadata: &'a Metadata,
    pub dates: &'a [String],
    pub zones: &'a Zoning,
}

impl HistorySources<'_> {
    /// What a workbook's "Sources" adds for a count through time: the
    /// dates, how the zones were chosen, and the dates after the file's
    /// data. The sheet said none of these, where every other format did
    /// (found 2026-12-06).
    pub fn lines(&self, totals: &[DateTotals]) -> Vec<(&'static str, String)> {
        let mut lines = vec![
            ("Dates", self.dates.join(", ")),
            ("Zones", self.zones.sentence(Lang::En)),
        ];
        lines.extend(totals.iter().filter_map(|t| {
            let day = t.after_data.as_ref()?;
            Some((
                "Note",
                format!(
                    "{} is after the file's data ({day}): its figures are the file's newest state",
                    t.date
                ),
            ))
        }));
        lines
    }
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
    let notes: String = (m.notes.iter())
        .map(|n| format!("- Note{colon} {}\n", n.text(l)))
        .collect();
    format!(
        "- {}{colon} {}\n- Population{colon} {}\n{notes}- {}{colon} {}\n- {}",
        l.pick("Boundaries", "Limites"),
        m.boundaries_source(l, |name| format!("`{name}`")),
        m.population_source(l, |name| format!("`{name}`")),
        l.pick("Generator", "Générateur"),
        Metadata::generator(),
        l.pick(LICENSE, LICENSE_FR)
    )
}

/// The title of the history's report and page.
pub fn title(l: Lang) -> &'static str {
    l.pick(
        "Surveillance cameras through time",
        "Caméras de surveillance au fil du temps",
    )
}
