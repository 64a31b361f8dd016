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
//! [`Through`]: its wide [`Table`], [`Chart`]s and sentences. The pages
//! themselves are in [`report`].

pub mod report;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::aggregate::RollupRow;
use crate::history::through::{CompareRow, HistoryRow};
use crate::output::cell::{Cell, Table};
use crate::output::chart::{Chart, Point, Series};
use crate::output::history_rows::{level, DateTotals};

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
}

impl Line<'_> {
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
        let mut position: BTreeMap<(&str, Option<i64>, Option<&str>), usize> = BTreeMap::new();
        for row in rows {
            let key = (
                row.admin_level.as_str(),
                row.osm_id,
                row.reference.as_deref(),
            );
            let at = *position.entry(key).or_insert_with(|| {
                lines.push(Line {
                    admin_level: &row.admin_level,
                    osm_id: row.osm_id,
                    reference: row.reference.as_deref(),
                    name: row.name.as_deref(),
                    population: row.population,
                    cameras: vec![None; dates.len()],
                });
                lines.len() - 1
            });
            if let Some(&i) = column.get(row.date.as_str()) {
                lines[at].cameras[i] = row.cameras;
            }
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
        let rows = (self.lines.iter())
            .map(|line| {
                let mut cells = vec![
                    level(line.admin_level),
                    line.osm_id.map_or(Cell::Empty, Cell::Integer),
                    Cell::code(line.reference),
                    Cell::text(line.name),
                    Cell::count(line.population),
                ];
                cells.extend(line.cameras.iter().map(|&n| Cell::count(n)));
                cells
            })
            .collect();
        Table { columns, rows }
    }

    /// The communes (or, when no zone is a commune, the zones) that
    /// gained the most cameras from the first date to the last, at most
    /// `n` of them, largest gain first; none that did not gain.
    pub fn growers(&self, n: usize) -> Vec<&Line<'r>> {
        let communes = self.lines.iter().any(Line::is_commune);
        let mut grew: Vec<(&Line<'r>, i64)> = (self.lines.iter())
            .filter(|l| !communes || l.is_commune())
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

    fn points(&self, values: impl Iterator<Item = Option<u64>>) -> Vec<Point> {
        (self.instants.iter().zip(&self.dates).zip(values))
            .map(|((&at, date), value)| Point {
                at,
                date: date.clone(),
                value,
            })
            .collect()
    }

    fn span(&self) -> String {
        format!(
            "{} → {}",
            self.dates.first().map_or("", String::as_str),
            self.dates.last().map_or("", String::as_str)
        )
    }

    /// The chart of the cameras of the whole file at each date.
    pub fn total_chart(&self) -> Chart {
        Chart {
            id: "chart-total".into(),
            title: format!("Surveillance cameras in the file, {}", self.span()),
            y_label: "Cameras".into(),
            series: vec![Series {
                label: "All cameras".into(),
                points: self.points(self.totals.iter().map(|&t| Some(t))),
            }],
            empty: "No date was counted.".into(),
        }
    }

    /// The chart of the communes that grew most.
    pub fn growth_chart(&self) -> Chart {
        let series: Vec<Series> = (self.growers(GROWERS).into_iter())
            .map(|line| Series {
                label: line.label(),
                points: self.points(line.cameras.iter().copied()),
            })
            .collect();
        let which = match series.len() {
            0 => "Communes that gained cameras".to_string(),
            1 => "The commune that gained the most cameras".to_string(),
            n => format!("The {n} communes that gained the most cameras"),
        };
        Chart {
            id: "chart-growth".into(),
            title: format!("{which}, {}", self.span()),
            y_label: "Cameras".into(),
            series,
            empty: format!("No commune gained cameras, {}.", self.span()),
        }
    }

    /// "Monaco: 0 (2019-01-01) → 11 (2021-04-22) → 32 (2026-07-11)".
    pub fn sentence(&self, line: &Line<'_>) -> String {
        let steps: Vec<String> = (line.cameras.iter().zip(&self.dates))
            .map(|(n, d)| {
                let n = n.map_or_else(|| "unknown".to_string(), |n| n.to_string());
                format!("{n} ({d})")
            })
            .collect();
        format!("{}: {}", line.name(), steps.join(" → "))
    }

    /// The key sentences of the pages: the change of the total, then a
    /// sentence per zone that grew most.
    pub fn key_sentences(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        if let (Some(first), Some(last)) = (self.totals.first(), self.totals.last()) {
            sentences.push(format!(
                "{} in the file on {}, {} on {} ({:+}).",
                cameras(*first),
                self.dates[0],
                last,
                self.dates[self.dates.len() - 1],
                *last as i64 - *first as i64
            ));
        }
        let growers = self.growers(GROWERS);
        if !growers.is_empty() {
            sentences.push(format!(
                "The {} that gained the most cameras:",
                match growers.len() {
                    1 => "commune".to_string(),
                    n => format!("{n} communes"),
                }
            ));
        }
        sentences.extend(growers.into_iter().map(|l| self.sentence(l)));
        sentences
    }
}

/// "1 camera", "3 cameras".
pub fn cameras(n: u64) -> String {
    match n {
        1 => "1 camera".to_string(),
        n => format!("{n} cameras"),
    }
}

/// A sentence per date: "2021-04-22: 11 cameras (9 inside admin_level 8
/// zones, 2 outside)".
pub fn totals_sentences(totals: &[DateTotals]) -> Vec<String> {
    totals
        .iter()
        .map(|t| {
            let levels: Vec<String> = (t.levels.iter())
                .map(|(level, inside, outside, _)| match level.as_str() {
                    // `--boundaries` zones have no level.
                    "" => format!("{inside} inside a zone, {outside} outside"),
                    level => {
                        format!("{inside} inside admin_level {level} zones, {outside} outside")
                    }
                })
                .collect();
            let detail = match levels.is_empty() {
                true => String::new(),
                false => format!(" ({})", levels.join("; ")),
            };
            format!("{}: {}{detail}", t.date, cameras(t.cameras))
        })
        .collect()
}

/// A sentence per rollup group through time: "06 (Alpes-Maritimes): 9
/// cameras in 2 of 163 communes (2021-04-22) → 29 cameras in 3 of 163
/// communes (2026-07-11)".
pub fn rollup_sentences(dated: &[(String, &RollupRow)]) -> Vec<String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (date, group) in dated {
        let label = match (&group.name, group.group.as_str()) {
            (Some(name), "") => name.clone(),
            (Some(name), code) if name != code => format!("{code} ({name})"),
            (_, "") => crate::aggregate::NO_CODE_GROUP.to_string(),
            (_, code) => code.to_string(),
        };
        let step = match group.any_counted() {
            true => format!(
                "{} in {} of {} communes ({date})",
                cameras(group.cameras),
                group.communes_with_cameras,
                group.communes
            ),
            false => format!("{} communes not counted ({date})", group.communes),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, steps)) => steps.push(step),
            None => groups.push((label, vec![step])),
        }
    }
    groups
        .into_iter()
        .map(|(label, steps)| format!("{label}: {}", steps.join(" → ")))
        .collect()
}

/// Rows of any kind, each with its date as a first column: the rollup
/// through time.
pub fn dated_table<'r, R: crate::output::cell::Row>(dated: &'r [(String, &'r R)]) -> Table<'r> {
    let mut columns = vec!["date".to_string()];
    columns.extend(R::COLUMNS.iter().map(|c| c.to_string()));
    let rows = (dated.iter())
        .map(|(date, row)| {
            let mut cells = vec![Cell::Code(Cow::Borrowed(date.as_str()))];
            cells.extend(row.cells());
            cells
        })
        .collect();
    Table { columns, rows }
}
