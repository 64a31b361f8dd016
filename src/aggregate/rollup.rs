//! Rollups and totals: communes grouped by département or by the zones of
//! another level ("Aveyron: 13 of 285 communes have cameras"), and the
//! totals of each level.
//!
//! In: [`CommuneRow`]s. Out: [`RollupRow`]s, [`LevelTotals`], [`Totals`].

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::boundary::Status;
use crate::departements::{departement_name, departement_of};
use crate::index;
use crate::zone::Zone;

use super::{CommuneRow, LevelJoin};

/// One group of communes: "Aveyron: 13 of 285 communes have cameras".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RollupRow {
    pub group: String,
    pub name: Option<String>,
    pub communes: u64,
    pub communes_with_cameras: u64,
    /// Communes in the group whose boundary could not be built.
    pub communes_unknown: u64,
    pub cameras: u64,
    /// Cameras of the counted communes whose population is known: the
    /// rate's numerator, so that it speaks of the same communes as its
    /// denominator.
    pub cameras_in_rate: u64,
    /// Counted communes whose population is unknown: their cameras are in
    /// `cameras` but not in the rate.
    pub communes_without_population: u64,
    /// Counted communes only partly in the extract (`partial`): their
    /// cameras, in `cameras` and the rate, are floors.
    pub communes_partial: u64,
    /// Sum over the communes that were counted and whose population is
    /// known: exactly the denominator of the rate, so uncounted communes
    /// never dilute it.
    pub population: Option<u64>,
    /// Sum over the communes not counted; `None` when one of them has no
    /// known population (the sum would be a floor).
    pub population_not_counted: Option<u64>,
    /// Sum of the declared figures of the counted communes that declared
    /// one.
    pub declared: u64,
    pub communes_declared: u64,
    /// The cameras of those communes: the figure to set beside `declared`.
    /// `cameras` is of every commune, and cameras ÷ declared read 71 %
    /// where the one commune that declared maps 29 % (found 2026-12-05).
    pub cameras_where_declared: u64,
    /// Sum of the declared figures of communes not counted: beside no
    /// mapped figure (Nice's 4,000 beside 2 cameras counted elsewhere in
    /// the group read as 0.05 %, found 2026-12-05).
    pub declared_not_counted: u64,
}

/// The group of communes a rollup by zones could not place: their own
/// boundary was not built, or no built zone of the rollup level holds
/// them (Monaco, whose département relation is cut by the extract).
pub const UNPLACED_GROUP: &str = "(not placed: no built boundary holds it)";
/// The group of communes a rollup by département could not place (they
/// carry no INSEE code, as Monaco does).
pub const NO_CODE_GROUP: &str = "(no INSEE code)";

impl RollupRow {
    /// Cameras per 1,000 inhabitants of the counted communes whose
    /// population is known (a commune without one is in neither side);
    /// empty when there are none or their population is zero.
    pub fn cameras_per_1000(&self) -> Option<f64> {
        let population = self.population.filter(|&p| p > 0)?;
        Some(self.cameras_in_rate as f64 * 1000.0 / population as f64)
    }

    /// True when at least one commune of the group was counted.
    pub fn any_counted(&self) -> bool {
        self.communes > self.communes_unknown
    }

    /// The cameras of the counted communes that declared, as a percentage
    /// of what they declared; empty when they declared none (or zero).
    pub fn osm_share_of_declared(&self) -> Option<f64> {
        (self.declared > 0)
            .then(|| self.cameras_where_declared as f64 * 100.0 / self.declared as f64)
    }
}

/// Groups communes by the département part of their INSEE code; those
/// without one form the group "" named [`NO_CODE_GROUP`].
pub fn rollup_by_departement(rows: &[CommuneRow]) -> Vec<RollupRow> {
    rollup(rows, |_, row| {
        let Some(code) = row.reference.as_deref().and_then(departement_of) else {
            return (String::new(), Some(NO_CODE_GROUP.to_string()));
        };
        (code.to_string(), departement_name(code).map(str::to_string))
    })
}

/// Groups communes by the zone of another level that holds them (tested at
/// an interior point of each commune). Unbuilt communes cannot be placed
/// and form the group "" named [`UNPLACED_GROUP`].
pub fn rollup_by_zones(rows: &[CommuneRow], communes: &[Zone], groups: &[Zone]) -> Vec<RollupRow> {
    // One point inside each built commune; all located at once.
    let points: Vec<Option<(f64, f64)>> = rows
        .par_iter()
        .map(|row| communes[row.zone].interior_point())
        .collect();
    // Groups keep their geometry (`boundary::Placing::keep`): what they
    // were placed against at assembly were cameras, not these points.
    assert!(
        groups
            .iter()
            .all(|g| g.footprint.is_none() || g.geometry.is_some()),
        "rollup groups must keep their geometry"
    );
    let group_shapes: Vec<_> = groups.iter().map(|g| (g.geometry.as_ref(), None)).collect();
    let group_of_row = index::locate(&points, &group_shapes);
    rollup(rows, |i, _| match group_of_row[i] {
        Some(g) => {
            let group = &groups[g];
            let key = group
                .reference
                .clone()
                .or_else(|| group.osm_id.map(|id| id.to_string()))
                .unwrap_or_default();
            (key, group.name.clone())
        }
        None => (String::new(), Some(UNPLACED_GROUP.to_string())),
    })
}

fn rollup(
    rows: &[CommuneRow],
    group_of: impl Fn(usize, &CommuneRow) -> (String, Option<String>),
) -> Vec<RollupRow> {
    let add = |sum: &mut Option<u64>, n: u64| *sum = Some(sum.unwrap_or(0) + n);
    let mut groups: BTreeMap<String, RollupRow> = BTreeMap::new();
    // Groups with a commune not counted whose population is unknown too.
    let mut unknown_left_out: BTreeSet<String> = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let (key, name) = group_of(i, row);
        let group = groups.entry(key.clone()).or_insert_with(|| RollupRow {
            group: key,
            name,
            communes: 0,
            communes_with_cameras: 0,
            communes_unknown: 0,
            cameras: 0,
            cameras_in_rate: 0,
            communes_without_population: 0,
            communes_partial: 0,
            population: None,
            population_not_counted: None,
            declared: 0,
            communes_declared: 0,
            cameras_where_declared: 0,
            declared_not_counted: 0,
        });
        group.communes += 1;
        group.communes_partial += u64::from(row.status == Status::Partial);
        match (row.cameras(), row.population) {
            (Some(cameras), population) => {
                group.cameras += cameras;
                group.communes_with_cameras += u64::from(cameras > 0);
                match population {
                    Some(population) => {
                        group.cameras_in_rate += cameras;
                        add(&mut group.population, population);
                    }
                    None => group.communes_without_population += 1,
                }
            }
            (None, population) => {
                group.communes_unknown += 1;
                match population {
                    Some(population) => add(&mut group.population_not_counted, population),
                    None => {
                        unknown_left_out.insert(group.group.clone());
                    }
                }
            }
        }
        match (&row.declared, row.cameras()) {
            (Some(declared), Some(cameras)) => {
                group.declared += declared.cameras;
                group.communes_declared += 1;
                group.cameras_where_declared += cameras;
            }
            (Some(declared), None) => group.declared_not_counted += declared.cameras,
            (None, _) => {}
        }
    }
    // Every commune counted: the population left out is none, a true 0,
    // where an empty cell read as unknown (found 2026-12-05).
    // A commune left out whose population is unknown too: the sum of the
    // others' is a floor that no column marked (Ariège read 153,304, ten
    // merged communes' populations silently 0, found 2026-12-05). Unknown.
    (groups.into_values())
        .map(|mut group| {
            if group.communes_unknown == 0 {
                group.population_not_counted.get_or_insert(0);
            }
            if unknown_left_out.contains(&group.group) {
                group.population_not_counted = None;
            }
            group
        })
        .collect()
}

/// Totals of one admin level: every camera is inside a zone, outside
/// all of them, or without a position, at each level on its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelTotals {
    pub admin_level: String,
    pub inside: u64,
    pub outside: u64,
    pub unplaced: u64,
    pub zones: usize,
    /// Zones counted (`ok` or `partial`).
    pub zones_ok: usize,
    /// Zones of `--boundaries` beyond the extract (`outside_extract`).
    pub zones_beyond: usize,
    pub zones_with_cameras: usize,
}

impl LevelTotals {
    pub fn of(admin_level: &str, rows: &[CommuneRow], join: &LevelJoin) -> LevelTotals {
        LevelTotals {
            admin_level: admin_level.to_string(),
            inside: join.inside(),
            outside: join.outside,
            unplaced: join.unplaced,
            zones: rows.len(),
            zones_ok: rows.iter().filter(|r| r.status.is_counted()).count(),
            zones_beyond: (rows.iter())
                .filter(|r| r.status == Status::OutsideExtract)
                .count(),
            zones_with_cameras: rows
                .iter()
                .filter(|r| r.cameras().is_some_and(|c| c > 0))
                .count(),
        }
    }
}

/// Totals of a run, for the summary and the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub cameras: u64,
    pub levels: Vec<LevelTotals>,
}
