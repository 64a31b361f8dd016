//! Features that share a code, joined into one zone at the first one's
//! place (an IGN export of a commune with an exclave, two files
//! concatenated), and MultiPolygons whose parts overlap, read as their
//! union.
//!
//! In: the zones read so far and each later feature's polygons. Out: the
//! joined zones, with the warnings that name them.

use std::collections::{BTreeMap, HashMap};

use geo::{Area, MultiPolygon, Validation};

use crate::boundary::area::ellipsoidal_area;
use crate::boundary::Status;
use crate::zone::Zone;

use super::ExternalZones;

/// Joins features that share a code into the first one's zone.
#[derive(Default)]
pub(super) struct Merger {
    /// Code -> (position in the zones, feature index).
    seen: HashMap<String, (usize, usize)>,
    /// Position in the zones -> the polygons of the later features with
    /// its code, joined once every feature is read.
    parts: BTreeMap<usize, Vec<MultiPolygon<f64>>>,
}

impl Merger {
    pub(super) fn add(&mut self, index: usize, zone: Zone, external: &mut ExternalZones) {
        let code = zone.reference.clone().unwrap_or_default();
        let Some(&(position, first)) = self.seen.get(&code) else {
            self.seen.insert(code, (external.zones.len(), index));
            external.zones.push(zone);
            return;
        };
        let kept = &external.zones[position];
        let names = match (&kept.name, &zone.name) {
            (Some(a), Some(b)) if a != b => {
                format!(" but different names ({a:?} and {b:?}; kept {a:?})")
            }
            _ => String::new(),
        };
        external.warnings.push(format!(
            "features {first} and {index} share the code {code}{names}: \
             joined into one zone (the union of their polygons), counted once"
        ));
        if let Some(geometry) = zone.geometry {
            self.parts.entry(position).or_default().push(geometry);
        }
    }

    /// Each zone given by several features becomes the union of their
    /// polygons, measured as one. Not their rings side by side: a feature
    /// given twice (two files concatenated) had its area doubled, and its
    /// rings, by the even-odd rule, enclosed nothing: Beausoleil read
    /// "outside the extract" and lost its camera (found 2026-12-05). One
    /// union of all the parts, not one per part: 4,000 features of one
    /// code took 18 s joined one by one.
    pub(super) fn finish(self, external: &mut ExternalZones) {
        for (position, parts) in self.parts {
            let zone = &mut external.zones[position];
            let mut all: Vec<MultiPolygon<f64>> = zone.geometry.take().into_iter().collect();
            all.extend(parts);
            let count = all.len();
            let normalised: Vec<MultiPolygon<f64>> =
                all.iter().map(crate::external::normalised).collect();
            let union = geo::unary_union(&normalised);
            // The union is valid whatever its parts were (a bowtie, a part
            // enclosing nothing): it is measured, and the notes about its
            // parts no longer hold.
            if union.unsigned_area() > 0.0 {
                zone.area_km2 = Some(ellipsoidal_area(&union) / 1e6);
                zone.status = Status::Ok;
                zone.reason = format!("joined from {count} features that share the code");
            } else {
                zone.area_km2 = None;
                zone.status = Status::Invalid;
                zone.reason = "the polygon encloses no area".into();
            }
            zone.geometry = Some(union);
        }
    }
}

/// The union of a MultiPolygon's parts when each part is valid but they
/// overlap or share an edge (which OGC forbids too), else `None`; and
/// whether they overlap: parts that only share an edge lose no area to
/// the union, and a warning saying they overlap sent readers looking for
/// a mapping error that was not there (found 2026-12-06).
pub(super) fn overlapping_parts_joined(
    geometry: &MultiPolygon<f64>,
) -> Option<(MultiPolygon<f64>, bool)> {
    if geometry.0.len() < 2 || geometry.is_valid() || !geometry.0.iter().all(|p| p.is_valid()) {
        return None;
    }
    let parts: Vec<MultiPolygon<f64>> = (geometry.0.iter())
        .map(|p| MultiPolygon::new(vec![p.clone()]))
        .collect();
    let union = geo::unary_union(&parts);
    let area = union.unsigned_area();
    if !union.is_valid() || area <= 0.0 {
        return None;
    }
    let parts_area: f64 = parts.iter().map(|p| p.unsigned_area()).sum();
    let overlap = parts_area - area > parts_area * 1e-9;
    Some((union, overlap))
}
