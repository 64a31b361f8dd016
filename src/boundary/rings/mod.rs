//! Ring assembly: member ways → closed rings → polygons with holes.
//!
//! Why segments, not ways: OSM boundaries are drawn by many hands. Ways run
//! in either direction, appear twice, double back in spikes, and rings touch
//! at nodes. Like libosmium's assembler, we cut every way into segments
//! between node locations, cancel segments that occur an even number of
//! times (a way listed twice, a spike), refuse crossings and overlaps, walk
//! the rest into rings (splitting where a walk meets itself, so rings that
//! touch at a node come apart), and classify rings as outer or inner by
//! geometry: a ring nested in an odd number of rings is a hole. Roles are
//! only compared with the result, and a mismatch is a warning. Where rings
//! touch so that a polygon would be invalid in OGC terms (holes that touch
//! twice cut its interior in pieces), the touching rings are redrawn face
//! by face: the same area, as polygons PostGIS, GEOS and QGIS accept.
//!
//! Nothing is forced: an open ring or a crossing is an error with the place.
//!
//! Most relations need none of the segment work: their ways join end to
//! end into rings that pass no point twice and cross nothing. `simple`
//! recognises those and draws them exactly as the walk would; the segments
//! are cut only where it cannot prove that.
//!
//! In: way node positions in 1e-7 degrees. Out: a `MultiPolygon` (RFC 7946
//! winding: outer rings counter-clockwise, holes clockwise), or why not.

mod faces;
mod nesting;
mod polygons;
mod segments;
mod simple;
#[cfg(test)]
mod tests;
mod touch;
mod walk;

use geo::MultiPolygon;

use super::area::area_of_excess;
// Point and segment keys are small integers that no input can choose to
// attack the table, so the cheap FxHash serves where SipHash guards.
use rustc_hash::FxHashMap as HashMap;

use nesting::{nest, NestedRing};
use polygons::to_multipolygon;
use segments::{cancel_duplicates, check_crossings, collect_segments, normalise, Segment};
use simple::simple_rings_measured;
use walk::walk_rings;

/// A position on OSM's 1e-7 degree grid: exact, hashable, ordered.
pub type Point = (i32, i32);

/// One member way: its role and node positions.
#[derive(Debug, Clone)]
pub struct MemberWay {
    pub id: i64,
    pub role: String,
    pub points: Vec<Point>,
}

/// An assembled geometry and the warnings met on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Assembled {
    pub geometry: MultiPolygon<f64>,
    pub warnings: Vec<String>,
}

/// Why a geometry cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid(pub String);

/// Assembles member ways into polygons.
pub fn assemble(ways: &[MemberWay]) -> Result<Assembled, Invalid> {
    assemble_measuring(ways, &[]).map(|(assembled, _)| assembled)
}

/// [`assemble`], and the geometry's area in m² when `excess` holds each
/// way's [`path_excess`](crate::boundary::area::path_excess) (in the
/// order of `ways`) and the ways make simple rings: each ring's area is
/// then the sum of its ways' excesses, so that a way two relations share
/// is measured once. `None` otherwise: the caller measures the geometry.
pub fn assemble_measuring(
    ways: &[MemberWay],
    excess: &[f64],
) -> Result<(Assembled, Option<f64>), Invalid> {
    if let Some(rings) = simple_rings_measured(ways, excess) {
        let nested = nest(rings);
        let area = (excess.len() == ways.len()).then(|| area_of(&nested));
        return Ok((polygons(ways, nested, &[])?, area));
    }
    let (rings, touches) = general_rings(ways)?;
    Ok((polygons(ways, nest(unmeasured(rings)), &touches)?, None))
}

/// [`assemble`] with every relation taken through the segments, for the
/// `rings` fuzz target, which checks that both give the same answer.
#[doc(hidden)]
pub fn assemble_general(ways: &[MemberWay]) -> Result<Assembled, Invalid> {
    let (rings, touches) = general_rings(ways)?;
    polygons(ways, nest(unmeasured(rings)), &touches)
}

/// Rings with no excess summed.
fn unmeasured(rings: Vec<Vec<Point>>) -> Vec<(Vec<Point>, f64)> {
    rings.into_iter().map(|ring| (ring, 0.0)).collect()
}

/// The area in m² of the polygons [`to_multipolygon`] draws from simple
/// rings (no touches): each outer ring's less its holes', as
/// [`ellipsoidal_area`](crate::boundary::area::ellipsoidal_area) measures
/// them, from the rings' summed excesses.
fn area_of(rings: &[NestedRing]) -> f64 {
    let mut holes = vec![0.0; rings.len()];
    for ring in rings.iter().filter(|r| r.is_inner()) {
        if let Some(parent) = ring.parent {
            holes[parent] += area_of_excess(ring.excess);
        }
    }
    (rings.iter().zip(&holes))
        .filter(|(ring, _)| !ring.is_inner())
        .map(|(ring, holes)| (area_of_excess(ring.excess) - holes).max(0.0))
        .sum()
}

/// Nested rings, drawn as polygons.
fn polygons(
    ways: &[MemberWay],
    nested: Vec<NestedRing>,
    touches: &[Point],
) -> Result<Assembled, Invalid> {
    let warnings = role_warnings(ways, &nested);
    Ok(Assembled {
        geometry: to_multipolygon(&nested, touches)?,
        warnings,
    })
}

/// Rings from any member ways: cut into segments, repeats cancelled,
/// crossings refused, walked into rings that come apart where they touch.
/// Also returns the points where rings touch.
fn general_rings(ways: &[MemberWay]) -> Result<(Vec<Vec<Point>>, Vec<Point>), Invalid> {
    let segments = cancel_duplicates(collect_segments(ways));
    if segments.is_empty() {
        return Err(Invalid("no rings: the member ways enclose no area".into()));
    }
    check_crossings(&segments)?;
    walk_rings(&segments)
}

/// Compares each way's role with the ring class it ended in.
fn role_warnings(ways: &[MemberWay], rings: &[NestedRing]) -> Vec<String> {
    // When every ring is of one class (most boundaries: outer rings only),
    // a way with the matching role cannot be warned about, wherever it
    // ended; the segment map is built only for a way that could be.
    let one_class = rings
        .first()
        .map(NestedRing::is_inner)
        .filter(|&first| rings.iter().all(|r| r.is_inner() == first));
    let mut class_of_segment: Option<HashMap<Segment, bool>> = None;
    let mut warnings = Vec::new();
    for way in ways {
        let expected_inner = match way.role.as_str() {
            "inner" => true,
            "outer" => false,
            _ => continue,
        };
        if one_class == Some(expected_inner) {
            continue;
        }
        let class_of_segment = class_of_segment.get_or_insert_with(|| segment_classes(rings));
        let class = way
            .points
            .windows(2)
            .find_map(|w| class_of_segment.get(&normalise(w[0], w[1])));
        if let Some(&is_inner) = class {
            if is_inner != expected_inner {
                let found = if is_inner { "an inner" } else { "an outer" };
                warnings.push(format!(
                    "way {} has role {} but forms {found} ring",
                    way.id, way.role
                ));
            }
        }
    }
    warnings
}

/// Each ring segment, with true when its ring is inner.
fn segment_classes(rings: &[NestedRing]) -> HashMap<Segment, bool> {
    let mut classes = HashMap::default();
    for ring in rings {
        for w in ring.points.windows(2) {
            classes.insert(normalise(w[0], w[1]), ring.is_inner());
        }
    }
    classes
}
