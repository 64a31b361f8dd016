//! Counts, densities and rollups: the figures journalists quote.
//!
//! Why these rules: a rate whose denominator is zero or unknown is an empty
//! cell, never 0, inf or NaN; a zone that could not be built keeps its row
//! with empty counts, so that it never silently reads zero. Cameras are
//! split by `surveillance:type` (camera, ALPR, guard, other: any other value
//! or none) and by `surveillance` (public, outdoor, indoor, unknown: any
//! other value or none).
//!
//! In: cameras, zones, an optional population table. Out: sorted
//! [`CommuneRow`]s, [`RollupRow`]s and the totals.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::boundary::Status;
use crate::camera::Camera;
use crate::departements::{departement_name, departement_of};
use crate::external::code_key;
use crate::external::declared::{Declared, DeclaredTable};
use crate::external::population::{PopulationJoin, PopulationTable};
use crate::index;
use crate::zone::Zone;

/// Cameras counted in one zone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CameraCounts {
    pub total: u64,
    /// Split by `surveillance:type`.
    pub by_type: TypeCounts,
    /// Split by `surveillance`.
    pub by_place: PlaceCounts,
}

/// Cameras by `surveillance:type`; `other` is any other value or none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TypeCounts {
    pub camera: u64,
    pub alpr: u64,
    pub guard: u64,
    pub other: u64,
}

/// Cameras by `surveillance`; `unknown` is any other value or none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlaceCounts {
    pub public: u64,
    pub outdoor: u64,
    pub indoor: u64,
    pub unknown: u64,
}

impl CameraCounts {
    pub fn add(&mut self, camera: &Camera) {
        self.total += 1;
        let t = &mut self.by_type;
        tally(
            camera.tags.surveillance_type(),
            [
                ("camera", &mut t.camera),
                ("alpr", &mut t.alpr),
                ("guard", &mut t.guard),
            ],
            &mut t.other,
        );
        let p = &mut self.by_place;
        tally(
            camera.tags.surveillance(),
            [
                ("public", &mut p.public),
                ("outdoor", &mut p.outdoor),
                ("indoor", &mut p.indoor),
            ],
            &mut p.unknown,
        );
    }
}

/// Adds one to the counter of the word `value` is (ASCII case aside), else
/// to `other`: without a lowercased copy of the tag, as this runs for
/// every camera of every zone.
fn tally(value: Option<&str>, named: [(&str, &mut u64); 3], other: &mut u64) {
    let is = |word: &str| value.is_some_and(|v| v.eq_ignore_ascii_case(word));
    match named.into_iter().find(|(word, _)| is(word)) {
        Some((_, counter)) => *counter += 1,
        None => *other += 1,
    }
}

/// Where the cameras of one admin level went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LevelJoin {
    /// Per zone, in the order the zones were given.
    pub counts: Vec<CameraCounts>,
    /// Per camera, in the order they were given, the zone it fell in.
    pub zone_of_camera: Vec<Option<usize>>,
    /// Placed cameras inside no built zone of this level.
    pub outside: u64,
    /// Cameras without a position (relations, ways with missing nodes).
    pub unplaced: u64,
    /// Counted zones that overlap: the zone that counts the cameras inside
    /// both, the zone that does not, and how many ([`index::Overlaps`]).
    pub overlaps: index::Overlaps,
}

impl LevelJoin {
    /// Cameras counted inside a zone.
    pub fn inside(&self) -> u64 {
        self.counts.iter().map(|c| c.total).sum()
    }
}

/// Counts cameras per zone with an R-tree join, in parallel.
pub fn join_cameras(cameras: &[Camera], zones: &[Zone]) -> LevelJoin {
    // Locating is the work, done in parallel; counting is cheap and done in
    // camera order, so no per-thread table of every zone is made and merged.
    let points: Vec<Option<(f64, f64)>> = cameras.iter().map(|c| c.position).collect();
    // Only counted zones hold cameras. A zone beyond the extract is drawn,
    // not counted: a camera in it (a node of a way the extract completed)
    // is outside every counted zone, or in the counted zone that overlaps
    // it. An invalid `--boundaries` polygon (a bowtie) kept its geometry
    // and took 12 Monaco cameras that no row showed and no total called
    // outside (found 2026-12-05).
    let zone_shapes: Vec<_> = (zones.iter())
        .map(|zone| match zone.status.is_counted() {
            true => zone.as_placeable(),
            false => (None, None),
        })
        .collect();
    let (located, overlaps) = index::locate_overlapping(&points, &zone_shapes);
    let mut join = LevelJoin {
        counts: vec![CameraCounts::default(); zones.len()],
        zone_of_camera: located,
        outside: 0,
        unplaced: 0,
        overlaps,
    };
    for (camera, zone) in cameras.iter().zip(&join.zone_of_camera) {
        match (camera.position, zone) {
            (Some(_), Some(zone)) => join.counts[*zone].add(camera),
            (Some(_), None) => join.outside += 1,
            (None, _) => join.unplaced += 1,
        }
    }
    join
}

/// One row of the per-commune table.
#[derive(Debug, Clone, PartialEq)]
pub struct CommuneRow {
    pub admin_level: String,
    pub osm_id: Option<i64>,
    pub reference: Option<String>,
    pub name: Option<String>,
    pub population: Option<u64>,
    /// `osm` or the population file's name; empty without a population.
    pub population_source: Option<String>,
    pub area_km2: Option<f64>,
    /// `None` when the zone could not be built: unknown, not zero.
    pub counts: Option<CameraCounts>,
    pub status: Status,
    pub reason: String,
    /// Position of the zone in the list it came from (for its geometry).
    pub zone: usize,
    /// What the commune declares, from `--declared`.
    pub declared: Option<Declared>,
}

impl CommuneRow {
    pub fn cameras(&self) -> Option<u64> {
        self.counts.map(|c| c.total)
    }

    /// Cameras per 1,000 inhabitants; empty without a positive population.
    pub fn cameras_per_1000(&self) -> Option<f64> {
        let population = self.population.filter(|&p| p > 0)?;
        Some(self.cameras()? as f64 * 1000.0 / population as f64)
    }

    /// Inhabitants per camera; empty without cameras or population.
    pub fn inhabitants_per_camera(&self) -> Option<f64> {
        let cameras = self.cameras().filter(|&c| c > 0)?;
        Some(self.population? as f64 / cameras as f64)
    }

    /// Cameras per km²; empty without a positive area.
    pub fn cameras_per_km2(&self) -> Option<f64> {
        let area = self.area_km2.filter(|&a| a > 0.0)?;
        Some(self.cameras()? as f64 / area)
    }

    /// Mapped cameras as a percentage of the declared figure; empty when
    /// nothing (or zero) is declared, or the commune was not counted.
    pub fn osm_share_of_declared(&self) -> Option<f64> {
        let declared = self
            .declared
            .as_ref()
            .map(|d| d.cameras)
            .filter(|&d| d > 0)?;
        Some(self.cameras()? as f64 * 100.0 / declared as f64)
    }

    /// True for a row of the commune level: admin_level 8, or a polygon of
    /// a `--boundaries` file (which has no level).
    pub fn is_commune(&self) -> bool {
        matches!(self.admin_level.as_str(), "8" | "")
    }
}

/// The rows the human outputs (the report's rankings, the map) speak of:
/// the communes, or, when no level counted is communes, the finest level
/// counted (Andorra's parishes, level 7). With `--admin-level 8,6,4,2`
/// the report ranked Île-de-France and France among the "communes", and a
/// run of level 7 drew an empty map (found 2026-12-05).
pub fn shown_rows(rows: &[CommuneRow]) -> Vec<&CommuneRow> {
    if rows.iter().any(CommuneRow::is_commune) {
        return rows.iter().filter(|r| r.is_commune()).collect();
    }
    let level = |r: &CommuneRow| r.admin_level.parse::<u8>().ok();
    let finest = rows.iter().filter_map(level).max();
    rows.iter().filter(|r| level(r) == finest).collect()
}

/// What a declared file gave the communes, for the summary.
#[derive(Debug, Clone, Default)]
pub struct DeclaredJoin {
    /// Figures whose code names no commune of the run, in file order.
    pub unmatched: Vec<Declared>,
    /// Figures of a commune merged since that the zones hold in parts (or
    /// under another former code), so that no zone is that commune: set
    /// beside none, in file order, with the current commune's code.
    pub split: Vec<(Declared, String)>,
    /// Figures under a former code of a commune that declares under its
    /// own code too: the commune's own figure covers it, so they are set
    /// beside none, in file order, with the commune's code.
    pub superseded: Vec<(Declared, String)>,
}

/// Sets each commune's declared figure. A code that names no commune is
/// looked up in the population file's former codes (a commune merged since
/// the declaration); figures of several former communes of one commune
/// add up, unless the commune declares under its own code: its figure
/// covers its former communes, and theirs are set aside (12218's 10 and
/// its former 12076's 4 read "14", found 2026-12-05).
///
/// The population join's rule for merged communes holds here too: where
/// the zones hold a commune merged since in parts (older boundaries), a
/// figure for that commune is no part's. Les Hauts-d'Anjou's 20 (49080)
/// stood beside the 3 cameras of Châteauneuf-sur-Sarthe, the old polygon
/// that kept the code, "15 %" where the commune maps 5 (found 2026-12-05).
/// Only a figure under a former code that a zone has as its own is set:
/// that zone is that former commune.
pub fn attach_declared(
    rows: &mut [CommuneRow],
    declared: &DeclaredTable,
    population: Option<&PopulationTable>,
) -> DeclaredJoin {
    // By the key side files are joined on (a code that lost its leading
    // zero in a spreadsheet still matches).
    let mut by_code: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        if let (true, Some(code)) = (row.is_commune(), row.reference.as_deref()) {
            by_code
                .entry(code_key(code).into_owned())
                .or_default()
                .push(i);
        }
    }
    let parts = population.map_or_else(BTreeMap::new, |p| {
        p.merged_parts(by_code.keys().map(String::as_str))
    });
    // Each figure set, with whether it is under the commune's own code.
    let mut found: Vec<(usize, &Declared, bool)> = Vec::new();
    let mut join = DeclaredJoin::default();
    for (figure_key, figure) in &declared.entries {
        let current = population.and_then(|p| p.current_code(&figure.code));
        let Some((code, matched)) = (by_code.get_key_value(figure_key.as_str()))
            .or_else(|| by_code.get_key_value(current?))
        else {
            join.unmatched.push(figure.clone());
            continue;
        };
        let code = code.as_str();
        // Two communes of the run carrying one code: the figure is no
        // more one's than the other's (each took it whole, and a rollup
        // added it twice, found 2026-12-05).
        if matched.len() > 1 {
            join.split.push((figure.clone(), code.to_string()));
            continue;
        }
        let own_former = code == figure_key && !population.is_some_and(|p| p.is_current(code));
        match parts.get(code) {
            Some(commune) if !own_former => join.split.push((figure.clone(), commune.to_string())),
            _ => found.extend(matched.iter().map(|&i| (i, figure, code == figure_key))),
        }
    }
    let own: BTreeSet<usize> = (found.iter()).filter(|f| f.2).map(|f| f.0).collect();
    for (i, figure, direct) in found {
        if !direct && own.contains(&i) {
            let code = rows[i]
                .reference
                .as_deref()
                .map(code_key)
                .unwrap_or_default();
            join.superseded.push((figure.clone(), code.into_owned()));
            continue;
        }
        let slot = &mut rows[i].declared;
        *slot = Some(match slot.take() {
            None => figure.clone(),
            Some(first) => Declared {
                cameras: first.cameras + figure.cameras,
                source: join_texts(first.source, &figure.source),
                date: join_texts(first.date, &figure.date),
                ..first
            },
        });
    }
    join.unmatched.sort_by_key(|d| d.line);
    join.split.sort_by_key(|(d, _)| d.line);
    join.superseded.sort_by_key(|(d, _)| d.line);
    join
}

fn join_texts(first: Option<String>, second: &Option<String>) -> Option<String> {
    match (first, second) {
        (Some(a), Some(b)) if a != *b => Some(format!("{a}; {b}")),
        (a, b) => a.or_else(|| b.clone()),
    }
}

/// Builds the table rows of one level, sorted by ref, then osm_id. A zone
/// the population file gives no figure keeps its OSM `population` tag.
pub fn commune_rows(
    zones: &[Zone],
    join: &LevelJoin,
    population: Option<&PopulationTable>,
) -> (Vec<CommuneRow>, PopulationJoin) {
    let (external, coverage) = match population {
        Some(table) => table.join(zones),
        None => (vec![None; zones.len()], PopulationJoin::default()),
    };
    let mut rows: Vec<CommuneRow> = zones
        .iter()
        .zip(external)
        .enumerate()
        .map(|(position, (zone, external))| {
            let (population, source) = match (external, population, zone.population) {
                (Some(value), Some(table), _) => (Some(value), Some(table.source.clone())),
                (_, _, Some(value)) => (Some(value), Some("osm".to_string())),
                _ => (None, None),
            };
            CommuneRow {
                admin_level: zone.admin_level.clone(),
                osm_id: zone.osm_id,
                reference: zone.reference.clone(),
                name: zone.name.clone(),
                population,
                population_source: source,
                area_km2: zone.area_km2,
                counts: zone.status.is_counted().then(|| join.counts[position]),
                status: zone.status,
                reason: zone.reason.clone(),
                zone: position,
                declared: None,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.reference
            .cmp(&b.reference)
            .then(a.osm_id.cmp(&b.osm_id))
            .then(a.zone.cmp(&b.zone))
    });
    (rows, coverage)
}

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
