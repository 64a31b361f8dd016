//! Counts at several dates (or of two snapshots) in comparable zones, with
//! the cameras added and removed in each zone since the previous date.
//!
//! Why by object: a zone that kept 10 cameras may have lost 3 and gained
//! 3; a figure of growth should say so. Cameras are compared by OSM type
//! and id, so a camera that moved into another commune is removed from
//! the one and added to the other.
//!
//! Why one set of zones: communes merge and boundaries move; counting
//! every date in the zones of the last date (or of the newer snapshot)
//! compares like with like. Each date's own zones are an option, and rows
//! are then matched across dates by admin level, OSM id and code.
//!
//! In: cameras and zones per date. Out: [`DateCount`]s and
//! [`HistoryRow`]s.

use std::collections::{BTreeSet, HashMap};

use std::path::Path;

use crate::aggregate::Totals;
use crate::boundary::{self, Boundary, Status};
use crate::camera::Camera;
use crate::candidates::BoundarySelector;
use crate::dates::DataDate;
use crate::error::Result;
use crate::external::population::PopulationTable;
use crate::pbf::block::ElementType;
use crate::pipeline::{self, Count, Rollup, Zones};
use crate::scan;

use super::History;

/// A camera's identity: OSM type and id.
pub type CameraKey = (ElementType, i64);

/// What the plain scan finds in the state at one date.
#[derive(Debug)]
pub struct Snapshot {
    pub data_date: DataDate,
    /// The header's bounding box: where the file says its data lies.
    pub bbox: Option<crate::pbf::header::BBox>,
    pub cameras: Vec<Camera>,
    /// Assembled only when asked (`boundaries: true`).
    pub boundaries: Vec<Boundary>,
    /// The header says the file holds history: its newest state was read.
    pub history: bool,
}

/// Writes the state at `at` to a temporary file in `dir` and runs the plain
/// scan on it (and the boundary assembly when `boundaries`), on the
/// current rayon pool.
pub fn snapshot_at(
    history: &History,
    at: i64,
    selector: Option<&BoundarySelector>,
    boundaries: bool,
    dir: &Path,
) -> Result<Snapshot> {
    let file = crate::temp_files::LiveTempFile::create_in(dir, "camcount-state-", ".osm.pbf")
        .map_err(|e| crate::error::Error::write(dir, e))?;
    history
        .state_at(at)
        .write_to(file.as_file(), file.path(), at)?;
    scan_snapshot(file.path(), selector, boundaries)
}

/// The plain scan of one file (a state, or a snapshot given by the user).
pub fn scan_snapshot(
    path: &Path,
    selector: Option<&BoundarySelector>,
    boundaries: bool,
) -> Result<Snapshot> {
    let found = scan::scan(path, selector.filter(|_| boundaries), &|_| {})?;
    let assembled = match boundaries {
        true => boundary::assemble_boundaries(&found.relations, &found),
        false => Vec::new(),
    };
    Ok(Snapshot {
        data_date: found.data_date,
        bbox: found.bbox,
        cameras: found.cameras,
        boundaries: assembled,
        history: found.history,
    })
}

/// The count at one date, and which cameras each row's zone holds.
#[derive(Debug)]
pub struct DateCount {
    /// Unix seconds (the date asked for, or a snapshot's data date).
    pub at: Option<i64>,
    pub count: Count,
    /// Per row of `count.rows`, the cameras inside its zone.
    pub inside: Vec<BTreeSet<CameraKey>>,
    /// Every camera of the date (placed or not).
    pub cameras: Vec<Camera>,
}

impl DateCount {
    pub fn totals(&self) -> &Totals {
        &self.count.totals
    }
}

/// Counts `cameras` in `zones` as the plain count does, and records which
/// cameras each row's zone holds.
pub fn count_in(
    at: Option<i64>,
    cameras: Vec<Camera>,
    zones: &Zones,
    population: Option<&PopulationTable>,
    rollup: Option<Rollup>,
) -> DateCount {
    let count = pipeline::count(&cameras, zones, population, None, rollup);
    let mut by_zone: Vec<BTreeSet<CameraKey>> = vec![BTreeSet::new(); zones.table.len()];
    for level in &count.camera_zones {
        for (camera, zone) in cameras.iter().zip(level) {
            if let Some(zone) = zone {
                by_zone[*zone].insert(camera.sort_key());
            }
        }
    }
    let inside = count
        .rows
        .iter()
        .map(|row| std::mem::take(&mut by_zone[row.zone]))
        .collect();
    DateCount {
        at,
        count,
        inside,
        cameras,
    }
}

/// A zone's identity across dates: an OSM zone is its relation at its
/// level, whatever code its tags give at each date; a zone of a boundary
/// file, which has no id, is its code. Keyed by the code too, a relation
/// whose `ref:INSEE` was added between two dates (all seven parishes of
/// Andorra in 2014) became two zones under `--zones-each-date`, the older
/// one "absent", its cameras neither added nor removed (found 2026-12-06).
pub fn zone_key<'a>(
    admin_level: &'a str,
    osm_id: Option<i64>,
    reference: Option<&'a str>,
) -> ZoneKey<'a> {
    (admin_level, osm_id, reference.filter(|_| osm_id.is_none()))
}

/// What [`zone_key`] gives.
pub type ZoneKey<'a> = (&'a str, Option<i64>, Option<&'a str>);

/// One row of the long history table: one zone at one date.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    /// `YYYY-MM-DD`, or the full instant when the date is not midnight.
    pub date: String,
    pub admin_level: String,
    pub osm_id: Option<i64>,
    pub reference: Option<String>,
    pub name: Option<String>,
    pub population: Option<u64>,
    /// `None` when the zone could not be built.
    pub cameras: Option<u64>,
    /// Cameras in the zone now that were not in it at the previous date;
    /// `None` at the first date, and when the zone was not counted at
    /// either date (not built, or not yet a zone).
    pub added: Option<u64>,
    pub removed: Option<u64>,
    pub status: Status,
}

/// `YYYY-MM-DD` for a midnight, else the full instant.
pub fn date_label(at: Option<i64>) -> String {
    match at {
        Some(t) if t.rem_euclid(86_400) == 0 => crate::dates::iso_day(t),
        Some(t) => crate::dates::iso_instant(t),
        None => "unknown".into(),
    }
}

/// The long table: for each date, one row per zone, with the cameras
/// added and removed since the previous date (by OSM type and id).
pub fn history_rows(dates: &[DateCount], labels: &[String]) -> Vec<HistoryRow> {
    let mut rows = Vec::new();
    let mut previous: Option<HashMap<ZoneKey, &BTreeSet<CameraKey>>> = None;
    for (date, label) in dates.iter().zip(labels) {
        let mut now = HashMap::new();
        for (row, inside) in date.count.rows.iter().zip(&date.inside) {
            let key = zone_key(&row.admin_level, row.osm_id, row.reference.as_deref());
            let built = row.counts.is_some();
            // Unknown unless the zone was counted at both dates: with
            // zones of each date's own, a zone may be new, or not built
            // the date before (its cameras were not "added").
            let before = previous.as_ref().and_then(|p| p.get(&key));
            let (added, removed) = match (before, built) {
                (Some(before), true) => (
                    Some(inside.difference(before).count() as u64),
                    Some(before.difference(inside).count() as u64),
                ),
                _ => (None, None),
            };
            rows.push(HistoryRow {
                date: label.clone(),
                admin_level: row.admin_level.clone(),
                osm_id: row.osm_id,
                reference: row.reference.clone(),
                name: row.name.clone(),
                population: row.population,
                cameras: row.cameras(),
                added,
                removed,
                status: row.status,
            });
            if built {
                now.insert(key, inside);
            }
        }
        previous = Some(now);
    }
    rows
}

/// One row of `camcount compare`: a zone of the newer snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    pub admin_level: String,
    pub osm_id: Option<i64>,
    pub reference: Option<String>,
    pub name: Option<String>,
    pub population: Option<u64>,
    pub cameras_old: Option<u64>,
    pub cameras_new: Option<u64>,
    pub added: Option<u64>,
    pub removed: Option<u64>,
    pub status: Status,
    /// How the zone stands in OLD's coverage: `outside_extract` leaves the
    /// old side unknown, `partial` makes it a floor.
    pub status_old: Status,
    /// Of `added`, the cameras last edited before OLD's data date that OLD
    /// does not hold (beyond its extract, or filtered out): they existed
    /// then, so they are not new.
    pub added_before_old: Option<u64>,
    /// Of `added`, the cameras OLD holds elsewhere: moved in (the camera
    /// or its nodes moved, or the zone did), not new. For the report.
    pub moved_in: u64,
    /// The cameras added and removed, `node/123` etc., for the report.
    pub added_ids: Vec<CameraKey>,
    pub removed_ids: Vec<CameraKey>,
}

impl CompareRow {
    pub fn change(&self) -> Option<i64> {
        Some(self.cameras_new? as i64 - self.cameras_old? as i64)
    }
}

/// What `compare` knows of the older snapshot beyond its count: how each
/// zone (by its place in the zone table) stands in its coverage, and which
/// of NEW's cameras already existed at its date ([`edited_by`]).
pub struct OldSide<'a> {
    pub status_of_zone: &'a [Status],
    /// `None` when OLD's date is unknown: whether a camera existed then
    /// cannot be told.
    pub existed: Option<&'a BTreeSet<CameraKey>>,
}

/// Rows of `compare`: both counts were made in the same zones (NEW's). A
/// zone beyond OLD's coverage has no old count and no changes.
pub fn compare_rows(old: &DateCount, new: &DateCount, side: &OldSide<'_>) -> Vec<CompareRow> {
    let held: BTreeSet<CameraKey> = old.cameras.iter().map(Camera::sort_key).collect();
    new.count
        .rows
        .iter()
        .zip(&new.inside)
        .zip(old.count.rows.iter().zip(&old.inside))
        .map(|((row, now), (old_row, before))| {
            let status_old = side.status_of_zone[row.zone];
            let compared = row.counts.is_some() && status_old.is_counted();
            let (added, removed): (Vec<CameraKey>, Vec<CameraKey>) = match compared {
                true => (
                    now.difference(before).copied().collect(),
                    before.difference(now).copied().collect(),
                ),
                false => (Vec::new(), Vec::new()),
            };
            // Not new, yet not in OLD: a camera OLD holds elsewhere moved
            // in, and is told apart (`moved_in`); it was counted here too
            // (found 2026-12-05).
            let added_before_old = (side.existed).map(|existed| {
                (added.iter())
                    .filter(|k| existed.contains(k) && !held.contains(k))
                    .count() as u64
            });
            CompareRow {
                admin_level: row.admin_level.clone(),
                osm_id: row.osm_id,
                reference: row.reference.clone(),
                name: row.name.clone(),
                population: row.population,
                cameras_old: old_row.cameras().filter(|_| status_old.is_counted()),
                cameras_new: row.cameras(),
                added: compared.then_some(added.len() as u64),
                removed: compared.then_some(removed.len() as u64),
                status: row.status,
                status_old,
                added_before_old: added_before_old.filter(|_| compared),
                moved_in: added.iter().filter(|k| held.contains(k)).count() as u64,
                added_ids: added,
                removed_ids: removed,
            }
        })
        .collect()
}

/// The cameras last edited at or before `date`: in NEW but not in OLD,
/// such a camera existed when OLD was made, so it is not new.
/// `None` when the date is unknown, or a camera carries no timestamp (a
/// file written without metadata): no camera could then be told new or
/// not, and a count of 0 would call every one new.
pub fn edited_by(cameras: &[Camera], date: Option<i64>) -> Option<BTreeSet<CameraKey>> {
    let date = date?;
    if cameras.iter().any(|c| c.edit.timestamp.is_none()) {
        return None;
    }
    let edited = (cameras.iter())
        .filter(|c| c.edit.timestamp.is_some_and(|t| t <= date))
        .map(Camera::sort_key)
        .collect();
    Some(edited)
}

/// The cameras placed where `data` has none (beyond its box, or with no
/// node in their cell or the eight around it): of OLD's, those NEW cannot
/// hold whatever became of them.
pub fn beyond(
    cameras: &[Camera],
    data: &crate::external::coverage::DataCover,
) -> BTreeSet<CameraKey> {
    (cameras.iter())
        .filter(|c| c.position.is_some_and(|p| !data.near(p)))
        .map(Camera::sort_key)
        .collect()
}

/// Cameras of NEW not in OLD, and of OLD not in NEW, by type and id,
/// whatever their zone.
pub fn camera_changes(old: &[Camera], new: &[Camera]) -> (Vec<CameraKey>, Vec<CameraKey>) {
    let old: BTreeSet<CameraKey> = old.iter().map(Camera::sort_key).collect();
    let new: BTreeSet<CameraKey> = new.iter().map(Camera::sort_key).collect();
    (
        new.difference(&old).copied().collect(),
        old.difference(&new).copied().collect(),
    )
}
