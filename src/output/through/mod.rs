//! Counts through time as one shape, for `history` (several dates) and
//! `compare` (two snapshots): a line of counts per zone, the totals per
//! date, and what the human outputs draw and say from them.
//!
//! Why one shape for both commands: the wide table, the charts and the
//! sentences must tell the same story whether two dates or twenty were
//! counted. The wide table is a [`Table`] (its columns, one per date, are
//! known only at run time), so every format that writes rows writes it.
//! "Grew most" is the largest change from the first date to the last;
//! ties are broken by code, then name, then OSM id, so the pick does not
//! depend on the order zones were read in.
//!
//! In: [`HistoryRow`]s or [`CompareRow`]s, the dates and the totals. Out:
//! [`Through`]: its wide [`Table`], its [`Chart`]s and (in [`sentences`])
//! its sentences, in English or French. The pages themselves are in
//! [`report`].

pub mod report;
pub mod sentences;

pub use sentences::{cameras, gainers, known, rollup_sentences, totals_sentences};

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::boundary::Status;
use crate::history::through::{zone_key, CompareRow, HistoryRow, ZoneKey};
use crate::output::cell::{Cell, Table};
use crate::output::chart::{Chart, Point, Series};
use crate::output::history_rows::DateTotals;
use crate::output::lang::Lang;

/// The wide table's status of a zone that is none at the last date.
pub const ABSENT: &str = "absent";

/// How many zones the chart of growth draws.
pub const GROWERS: usize = 10;

/// One zone's counts, a value per date.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'r> {
    pub admin_level: &'r str,
    pub osm_id: Option<i64>,
    pub reference: Option<&'r str>,
    pub name: Option<&'r str>,
    pub population: Option<u64>,
    /// Per date, in date order; `None`: not built at that date, or absent.
    pub cameras: Vec<Option<u64>>,
    /// At the last date it appears.
    pub status: Status,
    /// Per date, whether the zone is one then: with each date's own zones,
    /// a commune merged or deleted since is no zone at the later dates.
    pub present: Vec<bool>,
    /// Per date, whether its count then is a floor (partly beyond the
    /// data).
    pub floors: Vec<bool>,
}

impl Line<'_> {
    /// Partly beyond the data at some date: its counts are floors.
    pub fn is_floor(&self) -> bool {
        self.floors.contains(&true)
    }

    /// Its name, else its code, else its relation: what a sentence starts
    /// with.
    pub fn name(&self) -> String {
        self.name.or(self.reference).map_or_else(
            || format!("relation {}", self.osm_id.unwrap_or(0)),
            str::to_string,
        )
    }

    /// "Beausoleil (06012)": what a chart's legend and tooltips say.
    pub fn label(&self) -> String {
        match (self.name, self.reference) {
            (Some(name), Some(code)) => format!("{name} ({code})"),
            _ => self.name(),
        }
    }

    /// Cameras at the last date less cameras at the first, when both are
    /// known.
    pub fn change(&self) -> Option<i64> {
        let first = (*self.cameras.first()?)?;
        let last = (*self.cameras.last()?)?;
        Some(last as i64 - first as i64)
    }

    fn is_commune(&self) -> bool {
        matches!(self.admin_level, "8" | "")
    }
}

/// Zones, dates and totals through time.
#[derive(Debug, Clone, PartialEq)]
pub struct Through<'r> {
    /// Date labels, as the tables show them.
    pub dates: Vec<String>,
    /// Unix seconds of each date, to place it on a time axis.
    pub instants: Vec<Option<i64>>,
    /// Cameras of the whole file at each date.
    pub totals: Vec<u64>,
    /// Zones in the order of the rows they come from.
    pub lines: Vec<Line<'r>>,
}

impl<'r> Through<'r> {
    /// From the long history table: zones in first-seen order.
    pub fn of_history(
        rows: &'r [HistoryRow],
        instants: &[Option<i64>],
        totals: &[DateTotals],
    ) -> Self {
        let dates: Vec<String> = totals.iter().map(|t| t.date.clone()).collect();
        let column: BTreeMap<&str, usize> = (dates.iter().enumerate())
            .map(|(i, d)| (d.as_str(), i))
            .collect();
        let mut lines: Vec<Line<'r>> = Vec::new();
        let mut position: BTreeMap<ZoneKey<'r>, usize> = BTreeMap::new();
        for row in rows {
            let key = zone_key(&row.admin_level, row.osm_id, row.reference.as_deref());
            let at = *position.entry(key).or_insert_with(|| {
                lines.push(Line {
                    admin_level: &row.admin_level,
                    osm_id: row.osm_id,
                    reference: row.reference.as_deref(),
                    name: row.name.as_deref(),
                    population: row.population,
                    cameras: vec![None; dates.len()],
                    status: row.status,
                    present: vec![false; dates.len()],
                    floors: vec![false; dates.len()],
                });
                lines.len() - 1
            });
            let line = &mut lines[at];
            if let Some(&i) = column.get(row.date.as_str()) {
                line.cameras[i] = row.cameras;
                line.present[i] = true;
                line.floors[i] = row.status == Status::Partial;
            }
            // Rows come date by date: the newest name, population and
            // status stand for the zone, as its zones do (the first name
            // stood, found 2026-12-05).
            line.name = row.name.as_deref().or(line.name);
            line.reference = row.reference.as_deref().or(line.reference);
            line.population = row.population.or(line.population);
            line.status = row.status;
        }
        Through {
            dates,
            instants: instants.to_vec(),
            totals: totals.iter().map(|t| t.cameras).collect(),
            lines,
        }
    }

    /// From `compare`'s rows: two dates, the older first.
    pub fn of_compare(
        rows: &'r [CompareRow],
        dates: [String; 2],
        instants: [Option<i64>; 2],
        totals: [u64; 2],
    ) -> Self {
        let lines = rows
            .iter()
            .map(|row| Line {
                admin_level: &row.admin_level,
                osm_id: row.osm_id,
                reference: row.reference.as_deref(),
                name: row.name.as_deref(),
                population: row.population,
                cameras: vec![row.cameras_old, row.cameras_new],
                status: row.status,
                present: vec![true, true],
                floors: vec![
                    row.status_old == Status::Partial,
                    row.status == Status::Partial,
                ],
            })
            .collect();
        Through {
            dates: dates.to_vec(),
            instants: instants.to_vec(),
            totals: totals.to_vec(),
            lines,
        }
    }

    /// The wide table: one row per zone, one `cameras_DATE` column per
    /// date.
    pub fn wide(&self) -> Table<'r> {
        let mut columns: Vec<String> = ["admin_level", "osm_id", "ref", "name", "population"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        columns.extend(self.dates.iter().map(|d| format!("cameras_{d}")));
        columns.push("status".to_string());
        let rows = (self.lines.iter())
            .map(|line| {
                let mut cells = vec![
                    Cell::level(line.admin_level),
                    line.osm_id.map_or(Cell::Empty, Cell::Integer),
                    Cell::code(line.reference),
                    Cell::text(line.name),
                    Cell::count(line.population),
                ];
                cells.extend(line.cameras.iter().map(|&n| Cell::count(n)));
                // A zone gone by the last date (`--zones-each-date`) read
                // `ok` from its last status (found 2026-12-05).
                let status = match line.present.last() {
                    Some(false) => Cow::Borrowed(ABSENT),
                    _ => Cow::Owned(line.status.to_string()),
                };
                cells.push(Cell::Text(status));
                cells
            })
            .collect();
        Table { columns, rows }
    }

    /// The communes (or, when no zone is a commune, the zones) that
    /// gained the most cameras from the first date to the last, at most
    /// `n` of them, largest gain first; none that did not gain.
    pub fn growers(&self, n: usize) -> Vec<&Line<'r>> {
        let mut grew: Vec<(&Line<'r>, i64)> = (self.ranked())
            .filter_map(|l| Some((l, l.change().filter(|&c| c > 0)?)))
            .collect();
        grew.sort_by(|(a, x), (b, y)| {
            y.cmp(x)
                .then(a.reference.cmp(&b.reference))
                .then(a.name.cmp(&b.name))
                .then(a.osm_id.cmp(&b.osm_id))
        });
        grew.into_iter().take(n).map(|(l, _)| l).collect()
    }

    /// The lines [`Through::growers`] ranks: the communes, or, when no
    /// zone is a commune, every zone.
    fn ranked(&self) -> impl Iterator<Item = &Line<'r>> {
        let communes = self.has_communes();
        (self.lines.iter()).filter(move |l| !communes || l.is_commune())
    }

    /// Whether some zone is a commune: the others are then left out of
    /// the rankings, and the sentences speak of communes.
    fn has_communes(&self) -> bool {
        self.lines.iter().any(Line::is_commune)
    }

    /// The points of one line: its values, and per date whether each is
    /// a floor (none for the file's totals).
    fn points(
        &self,
        values: impl Iterator<Item = Option<u64>>,
        floors: &[bool],
        l: Lang,
    ) -> Vec<Point> {
        (self
            .instants
            .iter()
            .zip(&self.dates)
            .zip(values)
            .enumerate())
        .map(|(i, ((&at, date), value))| Point {
            at,
            date: l.day(date),
            value,
            floor: floors.get(i).copied().unwrap_or(false),
        })
        .collect()
    }

    fn span(&self, l: Lang) -> String {
        format!(
            "{} → {}",
            l.day(self.dates.first().map_or("", String::as_str)),
            l.day(self.dates.last().map_or("", String::as_str))
        )
    }

    /// The chart of the cameras of the whole file at each date.
    pub fn total_chart(&self, l: Lang) -> Chart {
        Chart {
            id: "chart-total".into(),
            title: format!(
                "{}, {}",
                l.pick(
                    "Surveillance cameras in the file",
                    "Caméras de surveillance dans le fichier"
                ),
                self.span(l)
            ),
            y_label: l.pick("Cameras", "Caméras").into(),
            series: vec![Series {
                label: l.pick("All cameras", "Toutes les caméras").into(),
                points: self.points(self.totals.iter().map(|&t| Some(t)), &[], l),
            }],
            empty: l
                .pick("No date was counted.", "Aucune date n'a été comptée.")
                .into(),
            lang: l,
        }
    }

    /// The chart of the communes that grew most.
    pub fn growth_chart(&self, l: Lang) -> Chart {
        let series: Vec<Series> = (self.growers(GROWERS).into_iter())
            .map(|line| Series {
                label: line.label(),
                points: self.points(line.cameras.iter().copied(), &line.floors, l),
            })
            .collect();
        let which = match series.len() {
            0 => l
                .pick(
                    "Communes that gained cameras",
                    "Communes qui ont gagné des caméras",
                )
                .to_string(),
            n => gainers(n, l),
        };
        // A commune not counted at the first or the last date has no
        // known change: "No commune gained cameras" stood beside a total
        // of 0 → 32, Monaco not built at the first date (found
        // 2026-12-06).
        let unknown = self.ranked().filter(|l| l.change().is_none()).count();
        let span = self.span(l);
        // Zones when none is a commune (Andorra's parishes).
        let noun = match self.has_communes() {
            true => ["commune", "communes"],
            false => ["zone", "zones"],
        };
        let empty = match (unknown, l) {
            (0, Lang::En) => format!("No {} gained cameras, {span}.", noun[0]),
            (0, Lang::Fr) => format!("Aucune {} n'a gagné de caméras, {span}.", noun[0]),
            (n, Lang::En) => format!(
                "No {} counted at both dates gained cameras, {span}; {} not counted at both, {} change unknown.",
                noun[0],
                l.count(n as u64, noun, noun),
                if n == 1 { "its" } else { "their" }
            ),
            (n, Lang::Fr) => format!(
                "Aucune {} comptée aux deux dates n'a gagné de caméras, {span} ; {} {} aux deux dates, {} évolution inconnue.",
                noun[0],
                l.count(n as u64, noun, noun),
                if n < 2 { "non comptée" } else { "non comptées" },
                if n == 1 { "son" } else { "leur" }
            ),
        };
        Chart {
            id: "chart-growth".into(),
            title: format!("{which}, {span}"),
            y_label: l.pick("Cameras", "Caméras").into(),
            series,
            empty,
            lang: l,
        }
    }
}

/// Rows of any kind, each with its date as a first column: the rollup
/// through time.
pub fn dated_table<'r, R: crate::output::cell::Row>(dated: &'r [(String, &'r R)]) -> Table<'r> {
    let mut columns = vec!["date".to_string()];
    columns.extend(R::COLUMNS.iter().map(|c| c.to_string()));
    let rows = (dated.iter())
        .map(|(date, row)| {
            let mut cells = vec![Cell::Date(Cow::Borrowed(date.as_str()))];
            cells.extend(row.cells());
            cells
        })
        .collect();
    Table { columns, rows }
}
