//! The per-commune table: each zone's counts beside its population, area
//! and declared figure, and the rows shown in reports.
//!
//! In: the zones of a level, its [`super::LevelJoin`], the population and
//! declared tables. Out: sorted [`CommuneRow`]s.

use std::collections::{BTreeMap, BTreeSet};

use crate::boundary::Status;
use crate::external::code_key;
use crate::external::declared::{Declared, DeclaredTable};
use crate::external::population::{PopulationJoin, PopulationTable};
use crate::zone::Zone;

use super::{CameraCounts, LevelJoin};

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

    /// Its name and code, "Valence (82186)", as the map, its notes and the
    /// sentences name a commune: two communes share a name.
    pub fn label(&self) -> String {
        let name = self.name.as_deref().unwrap_or("(no name)");
        match &self.reference {
            Some(code) => format!("{name} ({code})"),
            None => name.to_string(),
        }
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
    /// Figures under former codes of a commune merged since that cover
    /// only some of the communes it is made of: no figure of the whole
    /// commune, so they are set beside none, in file order, with the
    /// commune's code.
    pub partial: Vec<(Declared, String)>,
}

/// Sets each commune's declared figure. A code that names no commune is
/// looked up in the population file's former codes (a commune merged since
/// the declaration); figures of several former communes of one commune
/// add up when they cover every commune it is made of
/// (`whole_communes_only`), unless the commune declares under its own
/// code: its figure covers its former communes, and theirs are set aside
/// (12218's 10 and its former 12076's 4 read "14", found 2026-12-05).
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
    // Names copied: the rows are written below.
    let names: Vec<Option<String>> = (by_code.values())
        .map(|at| rows[at[0]].name.clone())
        .collect();
    let (parts, renumbered) = population.map_or_else(Default::default, |p| {
        let zones = by_code.keys().zip(&names);
        p.merged_parts(zones.map(|(code, name)| (code.as_str(), name.as_deref())))
    });
    // A commune's figure reaches the zone that is that commune under its
    // former code (12218's, the IGN 2018 polygon 12076), and so do its
    // former communes' figures; the figure under the zone's own code is
    // one of those (Conques's, 12076), not the commune's: as the
    // commune's too, 12218's 10 and 12076's 4 read "14" (found
    // 2026-12-06).
    let renumbered_zones: BTreeSet<&str> = renumbered.keys().copied().collect();
    let renumbered: BTreeMap<&str, &str> = renumbered.into_iter().map(|(z, c)| (c, z)).collect();
    // Each figure set, with whether it is under the commune's own code
    // (or its code of today, for a zone under its former code).
    let mut found: Vec<(usize, &Declared, bool)> = Vec::new();
    let mut join = DeclaredJoin::default();
    for (figure_key, figure) in &declared.entries {
        let current = population.and_then(|p| p.current_code(&figure.code));
        let today = renumbered.get(figure_key.as_str()).copied();
        let Some((code, matched)) = (by_code.get_key_value(figure_key.as_str()))
            .or_else(|| by_code.get_key_value(today?))
            .or_else(|| by_code.get_key_value(current?))
            .or_else(|| by_code.get_key_value(*renumbered.get(current?)?))
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
        // A zone the population file names otherwise may be a commune
        // merged since under the code the merged one kept: the merged
        // commune's figure is not its own (Val-de-Sos's 12 stood beside
        // the IGN 2018 Vicdessos, found 2026-12-06).
        let zone_name = rows[matched[0]].name.as_deref();
        if population.is_some_and(|p| p.names_otherwise(code, zone_name).is_some()) {
            join.split.push((figure.clone(), code.to_string()));
            continue;
        }
        let own_former = code == figure_key && !population.is_some_and(|p| p.is_current(code));
        match parts.get(code) {
            Some(commune) if !own_former => join.split.push((figure.clone(), commune.to_string())),
            _ => {
                let own_code = code == figure_key && !renumbered_zones.contains(code);
                let direct = own_code || today.is_some();
                found.extend(matched.iter().map(|&i| (i, figure, direct)));
            }
        }
    }
    // The rows with a figure under their own code: setting aside former
    // figures below leaves these as they are.
    let own: BTreeSet<usize> = (found.iter()).filter(|f| f.2).map(|f| f.0).collect();
    let found = whole_communes_only(found, &own, population, &mut join);
    for (i, figure, direct) in found {
        if !direct && own.contains(&i) {
            // The commune of today ("12076, now 12218"), else the zone's.
            let today = population.and_then(|p| p.current_code(&figure.code));
            let code = match today {
                Some(commune) => commune.to_string(),
                None => (rows[i].reference.as_deref().map(code_key))
                    .unwrap_or_default()
                    .into_owned(),
            };
            join.superseded.push((figure.clone(), code));
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
    join.partial.sort_by_key(|(d, _)| d.line);
    join
}

/// Sets aside the figures under former codes of a commune merged since
/// that do not cover every commune it is made of
/// ([`PopulationTable::parts_of`]): Châtillon-en-Michaille's 5 (01091,
/// 2015) read as Valserhône's, "OSM maps 10 there, 200 %", with the
/// cameras of Bellegarde and Lancrans set against it (found 2026-12-06).
/// A commune declaring under its own code (a row of `direct`) keeps its
/// figures as they are.
fn whole_communes_only<'a>(
    found: Vec<(usize, &'a Declared, bool)>,
    direct: &BTreeSet<usize>,
    population: Option<&PopulationTable>,
    join: &mut DeclaredJoin,
) -> Vec<(usize, &'a Declared, bool)> {
    let Some(population) = population else {
        return found;
    };
    // Row → (the commune, the codes its former figures are under).
    let mut former: BTreeMap<usize, (&str, BTreeSet<String>)> = BTreeMap::new();
    for &(i, figure, _) in found.iter().filter(|f| !f.2 && !direct.contains(&f.0)) {
        if let Some(commune) = population.current_code(&figure.code) {
            let entry = former.entry(i).or_insert((commune, BTreeSet::new()));
            entry.1.insert(code_key(&figure.code).into_owned());
        }
    }
    let short: BTreeMap<usize, &str> = (former.into_iter())
        .filter(|(_, (commune, codes))| !population.parts_of(commune).is_subset(codes))
        .map(|(i, (commune, _))| (i, commune))
        .collect();
    let (kept, set_aside): (Vec<_>, Vec<_>) =
        (found.into_iter()).partition(|f| f.2 || !short.contains_key(&f.0));
    let set_aside = set_aside
        .into_iter()
        .map(|(i, f, _)| (f.clone(), short[&i].to_string()));
    join.partial.extend(set_aside);
    kept
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
