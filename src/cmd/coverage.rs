//! Where each command's zones stand against the data of its file: the
//! `--boundaries` polygons against the box and the cells, OSM boundaries
//! against the box; the warnings that say how many are beyond it.
//!
//! In: zones, the file, its header box and (from the count's scan) where
//! its nodes lie. Out: the zones marked, warnings through the reporter.

use std::path::Path;

use camcount::boundary::Status;
use camcount::error::Result;
use camcount::external::coverage::{self, DataCover};
use camcount::output::metadata::{file_name, Note};
use camcount::pbf::header::BBox;
use camcount::scan::extent::NodeCover;
use camcount::zone::Zone;

use crate::progress::Reporter;

/// Marks the `--boundaries` zones the extract does not cover, and says
/// how many: a town beyond the data must not read as one without cameras.
/// `held`: positions known to hold data (cameras), as the count gives
/// them (see [`DataCover::held`]).
pub fn cover(
    zones: Option<&mut Vec<Zone>>,
    bbox: Option<BBox>,
    input: &Path,
    held: impl IntoIterator<Item = (f64, f64)>,
    reporter: &Reporter,
) -> Result<Vec<Note>> {
    let Some(zones) = zones else {
        return Ok(Vec::new());
    };
    let (data, notes) = data_cover(input, bbox, None, reporter)?;
    cover_in(zones, &data.holding(held), input, reporter);
    Ok(notes)
}

/// [`cover`] with where the data lies already known.
pub fn cover_in(zones: &mut [Zone], data: &DataCover, input: &Path, reporter: &Reporter) {
    let name = input.display();
    let coverage = coverage::mark_coverage(zones, data);
    if coverage.outside > 0 {
        reporter.warn(&format!(
            "{} of {} --boundaries polygons lie beyond the data of {name}: \
             not counted (status outside_extract)",
            coverage.outside,
            zones.len()
        ));
    }
    if coverage.partial > 0 {
        reporter.warn(&format!(
            "{} --boundaries polygons lie partly beyond the data of {name}: \
             their counts are floors (status partial)",
            coverage.partial
        ));
    }
}

/// Marks the OSM boundaries the extract's bounding box does not hold
/// whole. A relation the extract completed (Geofabrik keeps boundary
/// relations whole) may reach beyond the data: L'Hospitalet-près-l'Andorre
/// in Andorra's extract, 61 % of it in the box. Only the header's box is
/// asked: it costs nothing, where the cells would cost the count a decode
/// of every node. Returns the note of [`warn_without_box`], if any.
pub fn cover_osm(
    zones: &mut camcount::pipeline::Zones,
    bbox: Option<BBox>,
    input: &Path,
    reporter: &Reporter,
) -> Option<Note> {
    let unchecked = warn_without_box(&zones.table, bbox, input, reporter);
    let coverage = mark_osm(zones, bbox);
    let (partial, outside) = (coverage.partial, coverage.outside);
    if partial + outside > 0 {
        let relations = |n: usize| match n {
            1 => "1 boundary relation".to_string(),
            n => format!("{n} boundary relations"),
        };
        reporter.warn(&format!(
            "{} of {} {} beyond its bounding box: the extract holds the relations, not all \
             their land ({partial} counted as floors, status partial; {outside} not counted, \
             outside_extract)",
            relations(partial + outside),
            input.display(),
            if partial + outside == 1 {
                "reaches"
            } else {
                "reach"
            }
        ));
    }
    unchecked
}

/// Says that OSM boundaries counted from a file whose header states no
/// bounding box were not checked against it: `osmium extract` writes none
/// without `--set-bounds`, keeps boundary relations whole with its smart
/// strategy, and a commune it cut in two then reads `ok` with the cameras
/// of its half (Monaco cut at 7.4225° E: 14 of its 29, found 2026-12-05).
/// The cells of the file's nodes cannot tell: the kept boundary's own
/// nodes lie along the whole commune. Returns the same caveat as a note
/// for the outputs: stderr alone left an `ok` printable as whole (found
/// 2026-12-05, `history` on Monaco's history file).
pub fn warn_without_box(
    zones: &[Zone],
    bbox: Option<BBox>,
    input: &Path,
    reporter: &Reporter,
) -> Option<Note> {
    let counted = (zones.iter()).any(|z| z.osm_id.is_some() && z.status == Status::Ok);
    warn_unchecked(counted, bbox, input, reporter).then(|| unchecked_note(input))
}

/// The caveat of [`warn_without_box`] in the outputs' words.
fn unchecked_note(input: &Path) -> Note {
    let name = file_name(input);
    Note {
        en: format!(
            "{name} states no bounding box: its boundary relations were not checked against its data, so a commune the extract cut but kept whole may read ok with part of its cameras."
        ),
        fr: format!(
            "{name} n'indique pas son emprise : ses limites OSM n'ont pas été vérifiées sur ses données, et une commune que l'extrait a coupée mais gardée entière peut être marquée ok avec une partie seulement de ses caméras."
        ),
    }
}

/// [`warn_without_box`] for `camcount boundaries`, whose `ok` is the same
/// claim as the count's.
pub fn warn_boundaries_without_box(
    boundaries: &[camcount::boundary::Boundary],
    bbox: Option<BBox>,
    input: &Path,
    reporter: &Reporter,
) {
    let built = boundaries.iter().any(|b| b.status == Status::Ok);
    warn_unchecked(built, bbox, input, reporter);
}

fn warn_unchecked(built: bool, bbox: Option<BBox>, input: &Path, reporter: &Reporter) -> bool {
    let checked = bbox.is_some_and(|b| b.is_usable());
    let unchecked = !checked && built;
    if unchecked {
        reporter.warn(&format!(
            "{} states no bounding box, so its boundary relations are not checked against it: \
             a commune the extract cut but kept whole may be counted in part, status ok \
             (cut extracts with `osmium extract --set-bounds` to have them checked)",
            input.display()
        ));
    }
    unchecked
}

/// [`cover_osm`] without a word: `history` marks the zones of each date.
pub fn mark_osm(zones: &mut camcount::pipeline::Zones, bbox: Option<BBox>) -> coverage::Coverage {
    let Some(data) = box_cover(bbox) else {
        return coverage::Coverage::default();
    };
    let mut coverage = coverage::mark_coverage(&mut zones.table, &data);
    if let Some(rollup) = zones.rollup.as_mut() {
        let more = coverage::mark_coverage(rollup, &data);
        coverage.outside += more.outside;
        coverage.partial += more.partial;
    }
    coverage
}

/// Marks the built boundaries the extract's box cuts `partial`, as the
/// count does: `camcount boundaries` read L'Hospitalet-près-l'Andorre
/// `ok` where the count of the same file said `partial`, 39 % of it beyond
/// Andorra's box (found 2026-12-05).
pub fn mark_boundaries(boundaries: &mut [camcount::boundary::Boundary], bbox: Option<BBox>) {
    let Some(data) = box_cover(bbox) else {
        return;
    };
    // The geometries are lent to the zones and given back.
    let mut zones: Vec<Zone> = (boundaries.iter_mut())
        .map(|b| Zone {
            admin_level: b.admin_level.clone(),
            osm_id: Some(b.osm_id),
            reference: None,
            name: None,
            population: None,
            area_km2: b.area_km2,
            status: b.status,
            reason: b.reason.clone(),
            geometry: b.geometry.take(),
            footprint: None,
        })
        .collect();
    coverage::mark_coverage(&mut zones, &data);
    for (boundary, zone) in boundaries.iter_mut().zip(zones) {
        boundary.geometry = zone.geometry;
        if zone.status != boundary.status {
            (boundary.status, boundary.reason) = (zone.status, zone.reason);
        }
    }
}

/// The header's box as the only word on where a file's data lie: OSM
/// boundaries are judged by it alone (their own nodes line them whole).
fn box_cover(bbox: Option<BBox>) -> Option<DataCover> {
    bbox.filter(BBox::is_usable).map(|bbox| DataCover {
        held: Vec::new(),
        bbox,
        cells: None,
        nodes: 0,
    })
}

/// Where a file's data lies: its header's bounding box, else, with a
/// warning, the box around its nodes; and the grid cells its nodes fall
/// in. `nodes` is where the scan found them, else one more pass finds it.
/// Also the notes the outputs carry when the check is weaker than the
/// box: `history` on a file of no box read Beausoleil `ok` where the
/// count of the snapshot said `partial`, a warning on stderr alone (found
/// 2026-12-05).
pub fn data_cover(
    input: &Path,
    bbox: Option<BBox>,
    nodes: Option<NodeCover>,
    reporter: &Reporter,
) -> Result<(DataCover, Vec<Note>)> {
    let name = file_name(input);
    let mut notes = Vec::new();
    let nodes = match nodes {
        Some(nodes) => nodes,
        None => {
            let started = std::time::Instant::now();
            let nodes = camcount::scan::extent::node_cover(input)?;
            reporter.stage(
                "coverage",
                started.elapsed(),
                &format!(
                    "{} nodes in {} cells of 0.01°",
                    nodes.nodes,
                    nodes.cells.len()
                ),
            );
            nodes
        }
    };
    let bbox = match bbox.filter(BBox::is_usable) {
        Some(bbox) => bbox,
        None => {
            reporter.warn(&format!(
                "{} states no usable bounding box: zones are checked against the box around \
                 its nodes and the cells that hold them, so a zone the extract cut may read ok \
                 with part of its cameras (cut extracts with `osmium extract --set-bounds` to \
                 have them checked)",
                input.display()
            ));
            notes.push(Note {
                en: format!("{name} states no bounding box: the zones were checked against the box around its nodes, which ways kept whole carry beyond where the file was cut, so a zone near its edge may read ok with part of its cameras."),
                fr: format!("{name} n'indique pas son emprise : les zones ont été vérifiées sur l'emprise de ses nœuds, que les chemins gardés entiers étendent au-delà de la découpe, et une zone près du bord peut être marquée ok avec une partie seulement de ses caméras."),
            });
            // No node, no data anywhere: every zone is beyond it.
            nodes.extent.unwrap_or(BBox {
                min_lon: f64::INFINITY,
                min_lat: f64::INFINITY,
                max_lon: f64::NEG_INFINITY,
                max_lat: f64::NEG_INFINITY,
            })
        }
    };
    // Untagged way nodes are most of any extract; a file of little but
    // cameras was filtered down to them.
    let only_cameras = nodes.camera_nodes > 0 && nodes.camera_nodes * 2 >= nodes.nodes;
    if only_cameras {
        reporter.warn(&format!(
            "{} holds little but cameras ({} of its {} nodes): it cannot show where it has no \
             data, so zones are checked against its bounding box only; a commune in that box \
             reads 0 cameras even where the file was never cut to cover it",
            input.display(),
            nodes.camera_nodes,
            nodes.nodes
        ));
        notes.push(Note {
            en: format!("{name} holds little but cameras: the zones were checked against its bounding box only, so a zone in that box reads 0 cameras even where the file was never cut to cover it."),
            fr: format!("{name} ne contient guère que des caméras : les zones n'ont été vérifiées que sur son emprise, et une zone de cette emprise compte 0 caméra même là où le fichier n'a jamais été découpé pour la couvrir."),
        });
    }
    let cover = DataCover {
        held: Vec::new(),
        bbox,
        nodes: nodes.nodes,
        cells: (!only_cameras).then_some(nodes.cells),
    };
    Ok((cover, notes))
}
