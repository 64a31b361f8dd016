//! Counts, densities and rollups: the figures journalists quote.
//!
//! Why these rules: a rate whose denominator is zero or unknown is an empty
//! cell, never 0, inf or NaN; a zone that could not be built keeps its row
//! with empty counts, so that it never silently reads zero. Cameras are
//! split by `surveillance:type` (camera, ALPR, guard, other: any other value
//! or none) and by `surveillance` (public, outdoor, indoor, unknown: any
//! other value or none).
//!
//! The parts: this file counts the cameras of each zone; `rows` makes the
//! per-commune table; `rollup` its groups and the totals.
//!
//! In: cameras, zones, an optional population table. Out: sorted
//! [`CommuneRow`]s, [`RollupRow`]s and the totals.

use crate::camera::Camera;
use crate::index;
use crate::zone::Zone;

mod rollup;
mod rows;

pub use rollup::*;
pub use rows::*;

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
