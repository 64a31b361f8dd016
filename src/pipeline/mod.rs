//! The count, from what the scan found to the rows every output writes:
//! zones per admin level → join per level → rows, totals → declared
//! figures → rollup over communes.
//!
//! Why in the library: these steps decide every figure, so they are tested
//! here, apart from the command line that only reads options, shows
//! progress and renders.
//!
//! In: boundaries (or external zones), cameras, side tables. Out: a
//! [`Count`]: rows of all levels in level order, totals, rollup.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::aggregate::{self, CommuneRow, LevelTotals, RollupRow, Totals};
use crate::boundary::Boundary;
use crate::camera::Camera;
use crate::external::declared::DeclaredTable;
use crate::external::population::{PopulationJoin, PopulationTable};
use crate::zone::Zone;

/// How communes are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rollup {
    /// By the département part of the INSEE code.
    Departement,
    /// By the OSM boundaries of this admin level that hold each commune.
    Level(u8),
}

/// The zones a run counts in, and those its rollup groups by.
#[derive(Debug, Default)]
pub struct Zones {
    /// Every counted level's zones, level after level, in ascending order.
    pub table: Vec<Zone>,
    /// The zones of a `Rollup::Level`.
    pub rollup: Option<Vec<Zone>>,
    /// `(relation id, warning)` about tags, for the report.
    pub tag_warnings: Vec<(i64, String)>,
}

/// Sorts assembled boundaries into the zones of `levels` (or takes the
/// external zones instead) and those of the rollup level, moving
/// geometries rather than copying them: they are most of the memory.
pub fn zones_by_level(
    boundaries: Vec<Boundary>,
    external: Option<Vec<Zone>>,
    levels: &[u8],
    rollup: Option<Rollup>,
) -> Zones {
    let tag_warnings = boundaries
        .iter()
        .flat_map(|b| b.tag_warnings.iter().map(|w| (b.osm_id, w.clone())))
        .collect();
    let mut by_level: BTreeMap<String, Vec<Zone>> = BTreeMap::new();
    for boundary in boundaries {
        by_level
            .entry(boundary.admin_level.clone())
            .or_default()
            .push(Zone::from(boundary));
    }
    let mut levels = levels.to_vec();
    levels.sort_unstable();
    levels.dedup();
    let rollup = match rollup {
        Some(Rollup::Level(level)) => {
            let key = level.to_string();
            let counted_too = external.is_none() && levels.contains(&level);
            Some(match counted_too {
                true => by_level.get(&key).cloned().unwrap_or_default(),
                false => by_level.remove(&key).unwrap_or_default(),
            })
        }
        _ => None,
    };
    let table = match external {
        Some(zones) => zones,
        None => levels
            .iter()
            .flat_map(|level| by_level.remove(&level.to_string()).unwrap_or_default())
            .collect(),
    };
    Zones {
        table,
        rollup,
        tag_warnings,
    }
}

/// What a count yields.
#[derive(Debug, Default)]
pub struct Count {
    /// Rows of all levels, level after level, each level sorted by code.
    pub rows: Vec<CommuneRow>,
    pub totals: Totals,
    /// The population file's coverage (empty without one).
    pub population: PopulationJoin,
    /// Declared figures set beside no commune: matching none, or a
    /// commune merged since that the zones hold in parts.
    pub declared: aggregate::DeclaredJoin,
    pub rollup: Vec<RollupRow>,
    /// Per counted level, per camera (in the order given), its zone's
    /// place in the whole zone table.
    pub camera_zones: Vec<Vec<Option<usize>>>,
    /// Zones of one level that overlap, each pair once.
    pub overlaps: Vec<Overlap>,
}

/// Two zones of one level holding the same cameras strictly inside: they
/// count in the first only (the border rule's order), and the second's
/// figure is short of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    pub admin_level: String,
    /// "Schaan (relation 1155952)": the zone that counts them.
    pub counted_in: String,
    /// The zone that holds them too and does not count them.
    pub left_out: String,
    pub cameras: u64,
}

/// "Vaduz (1138)", "Vaduz (relation 1155955)": a zone in a sentence.
fn zone_label(zone: &Zone) -> String {
    let name = zone.name.as_deref().unwrap_or("unnamed");
    match (&zone.reference, zone.osm_id) {
        (Some(code), _) => format!("{name} ({code})"),
        (None, Some(id)) => format!("{name} (relation {id})"),
        (None, None) => name.to_string(),
    }
}

/// Joins cameras into each admin level on its own, attaches populations
/// and declared figures, and rolls communes up. The rollup is over the
/// commune level only (admin_level 8, or the external zones), whatever
/// other levels are counted.
pub fn count(
    cameras: &[Camera],
    zones: &Zones,
    population: Option<&PopulationTable>,
    declared: Option<&DeclaredTable>,
    rollup: Option<Rollup>,
) -> Count {
    let mut result = Count {
        totals: Totals {
            cameras: cameras.len() as u64,
            levels: Vec::new(),
        },
        ..Count::default()
    };
    for range in split_by_level(&zones.table) {
        let level_zones = &zones.table[range.clone()];
        let mut join = aggregate::join_cameras(cameras, level_zones);
        let (mut rows, coverage) = aggregate::commune_rows(level_zones, &join, population);
        for &(kept, lost_at, cameras) in &join.overlaps {
            let (kept, lost) = (&level_zones[kept], &level_zones[lost_at]);
            if let Some(row) = rows.iter_mut().find(|r| r.zone == lost_at) {
                let why = format!(
                    "overlaps {}: {cameras} {} inside both {} counted there, not here",
                    zone_label(kept),
                    if cameras == 1 { "camera" } else { "cameras" },
                    if cameras == 1 { "is" } else { "are" },
                );
                row.reason = match row.reason.is_empty() {
                    true => why,
                    false => format!("{}; {why}", row.reason),
                };
            }
            result.overlaps.push(Overlap {
                admin_level: kept.admin_level.clone(),
                counted_in: zone_label(kept),
                left_out: zone_label(lost),
                cameras,
            });
        }
        // Rows and cameras point at their zone in the whole table.
        rows.iter_mut().for_each(|r| r.zone += range.start);
        let zone_of_camera = std::mem::take(&mut join.zone_of_camera);
        (result.camera_zones).push(
            zone_of_camera
                .into_iter()
                .map(|z| z.map(|z| z + range.start))
                .collect(),
        );
        result
            .totals
            .levels
            .push(LevelTotals::of(&level_zones[0].admin_level, &rows, &join));
        result.rows.extend(rows);
        result.population.absorb(coverage);
    }
    if let Some(declared) = declared {
        result.declared = aggregate::attach_declared(&mut result.rows, declared, population);
    }
    // Levels are apart and in order, so the commune rows are one run.
    let first = (result.rows.iter())
        .position(CommuneRow::is_commune)
        .unwrap_or(0);
    let len = (result.rows[first..].iter())
        .take_while(|r| r.is_commune())
        .count();
    let communes = &result.rows[first..first + len];
    result.rollup = match (rollup, &zones.rollup) {
        (Some(Rollup::Departement), _) => aggregate::rollup_by_departement(communes),
        (Some(Rollup::Level(_)), Some(groups)) => {
            aggregate::rollup_by_zones(communes, &zones.table, groups)
        }
        _ => Vec::new(),
    };
    result
}

/// Ranges of consecutive zones sharing an admin level (levels stay apart).
pub(crate) fn split_by_level(zones: &[Zone]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for i in 1..=zones.len() {
        if i == zones.len() || zones[i].admin_level != zones[start].admin_level {
            ranges.push(start..i);
            start = i;
        }
    }
    ranges
}

#[cfg(test)]
mod tests;
