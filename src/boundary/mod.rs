//! Commune boundaries assembled from the extract itself.
//!
//! Why so careful: journalists quote per-commune figures, and a boundary cut
//! by the edge of an extract would silently undercount. Every candidate
//! relation therefore leaves this stage with a status: `ok` with its
//! geometry and ellipsoidal area; `incomplete` when member ways or their nodes
//! are missing from the extract (counted); `invalid` when the ways present
//! cannot make closed, non-crossing rings (with the reason and place).
//! Nothing is dropped, closed by force or guessed.
//!
//! In: the candidate relations, and their member ways' node positions
//! through [`MemberGeometry`] (the scan provides it; this module does not
//! depend on the scan).
//! Out: one [`Boundary`] per candidate, sorted by relation id; with
//! [`assemble_placing`], a boundary no output draws carries the cameras it
//! holds instead of its geometry.

pub mod area;
pub mod population;
pub mod rings;

use std::collections::BTreeSet;
use std::fmt;

use geo::{InteriorPoint, MultiPolygon};
use rayon::prelude::*;

use crate::candidates::{MemberGeometry, TAGS_READ};
use crate::index::{Footprint, PointIndex};
use crate::pbf::block::ElementType;
use crate::pbf::OsmRelation;
use area::{ellipsoidal_area, SharedExcess};
use population::parse_population;
use rings::MemberWay;

/// Whether a boundary could be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Ok,
    Incomplete,
    Invalid,
    /// A `--boundaries` polygon only partly inside the extract's bounding
    /// box: counted, but its count is a floor.
    Partial,
    /// A `--boundaries` polygon beyond the extract's bounding box: the
    /// file holds no data there, so it is not counted.
    OutsideExtract,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Incomplete => "incomplete",
            Status::Invalid => "invalid",
            Status::Partial => "partial",
            Status::OutsideExtract => "outside_extract",
        }
    }

    /// Whether a zone of this status has its cameras counted.
    pub fn is_counted(self) -> bool {
        matches!(self, Status::Ok | Status::Partial)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One candidate relation, built or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub osm_id: i64,
    pub admin_level: String,
    pub name: Option<String>,
    /// `ref:INSEE`, else `ref`.
    pub reference: Option<String>,
    pub wikidata: Option<String>,
    /// The `population` tag, parsed; `None` when absent or unparseable.
    pub population: Option<u64>,
    pub population_date: Option<String>,
    /// Area on the WGS84 ellipsoid, holes subtracted (see [`area`]).
    pub area_km2: Option<f64>,
    pub status: Status,
    /// Why it is not `ok`, or what was noticed on the way (role mismatch).
    pub reason: String,
    pub missing_ways: usize,
    pub missing_nodes: usize,
    /// Present when `status` is `ok`, unless dropped at assembly
    /// ([`assemble_placing`]), which leaves its `footprint` instead.
    pub geometry: Option<MultiPolygon<f64>>,
    pub footprint: Option<Footprint>,
    /// Problems with tags (an unparseable population).
    pub tag_warnings: Vec<String>,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BoundarySummary {
    /// Built: `ok`, or `partial` (or `outside_extract`) against the box.
    pub assembled: usize,
    /// Of those, the ones the extract's box cuts.
    pub partial: usize,
    pub incomplete: usize,
    pub invalid: usize,
    pub population_unparseable: usize,
}

impl BoundarySummary {
    pub fn of(boundaries: &[Boundary]) -> Self {
        let count = |s: Status| boundaries.iter().filter(|b| b.status == s).count();
        BoundarySummary {
            assembled: count(Status::Ok) + count(Status::Partial) + count(Status::OutsideExtract),
            partial: count(Status::Partial),
            incomplete: count(Status::Incomplete),
            invalid: count(Status::Invalid),
            population_unparseable: boundaries
                .iter()
                .filter(|b| {
                    b.population.is_none()
                        && b.tag_warnings.iter().any(|w| w.starts_with("unparseable"))
                })
                .count(),
        }
    }
}

/// Builds every candidate relation the scan found, in parallel.
pub fn assemble_boundaries(
    relations: &[OsmRelation],
    members: &impl MemberGeometry,
) -> Vec<Boundary> {
    assemble(relations, members, None)
}

/// What [`assemble_placing`] does with each geometry it builds.
pub struct Placing<'a> {
    /// The cameras, as the count will be given them.
    pub cameras: &'a PointIndex,
    /// Whether a built boundary keeps its geometry: an output draws it, a
    /// rollup groups by it, or the coverage check must measure it.
    pub keep: &'a (dyn Fn(&Boundary, &MultiPolygon<f64>) -> bool + Sync),
    /// Whether a boundary that drops its geometry keeps a point inside it
    /// (a rollup by level places communes by such points).
    pub interior: bool,
}

/// [`assemble_boundaries`] for a count: each boundary is placed against
/// the cameras as soon as it is built (its [`Footprint`]), and its
/// geometry dropped unless `placing.keep` wants it. When no output draws
/// the boundaries, peak memory then follows one polygon a thread, not
/// every polygon of the run (each border vertex twice, 16 bytes each).
pub fn assemble_placing(
    relations: &[OsmRelation],
    members: &impl MemberGeometry,
    placing: &Placing<'_>,
) -> Vec<Boundary> {
    assemble(relations, members, Some(placing))
}

fn assemble(
    relations: &[OsmRelation],
    members: &impl MemberGeometry,
    placing: Option<&Placing<'_>>,
) -> Vec<Boundary> {
    let way_ids = relations.iter().flat_map(|r| r.members.iter());
    let way_ids = way_ids.filter(|m| m.kind == ElementType::Way).map(|m| m.id);
    let excess = SharedExcess::new(way_ids.collect());
    let mut boundaries: Vec<Boundary> = relations
        .par_iter()
        .map(|r| {
            let mut boundary = build(r, members, &excess);
            if let Some(placing) = placing {
                place(&mut boundary, placing);
            }
            boundary
        })
        .collect();
    boundaries.sort_by_key(|b| b.osm_id);
    boundaries
}

/// Places a built boundary against the cameras, and drops its geometry
/// unless `placing.keep` wants it.
fn place(boundary: &mut Boundary, placing: &Placing<'_>) {
    let Some(geometry) = boundary.geometry.as_ref() else {
        return;
    };
    let interior = placing
        .interior
        .then(|| geometry.interior_point().map(|p| (p.x(), p.y())))
        .flatten();
    let keep = (placing.keep)(boundary, geometry);
    boundary.footprint = Some(Footprint {
        placed: placing.cameras.place_oriented(geometry),
        interior,
    });
    if !keep {
        boundary.geometry = None;
    }
}

fn build(relation: &OsmRelation, scan: &impl MemberGeometry, shared: &SharedExcess) -> Boundary {
    let mut boundary = from_tags(relation);
    match gather_members(relation, scan) {
        Members::Complete(ways) => match measure(&ways, shared) {
            Ok((assembled, area)) => {
                let area = area.unwrap_or_else(|| ellipsoidal_area(&assembled.geometry));
                boundary.area_km2 = Some(area / 1e6);
                boundary.geometry = Some(assembled.geometry);
                boundary.reason = notes(relation, &assembled.warnings);
            }
            Err(invalid) => {
                boundary.status = Status::Invalid;
                boundary.reason = invalid.0;
            }
        },
        Members::Missing { ways, nodes, total } => {
            boundary.status = Status::Incomplete;
            boundary.missing_ways = ways;
            boundary.missing_nodes = nodes;
            boundary.reason = missing_reason(ways, nodes, total);
        }
        Members::NoWays => {
            boundary.status = Status::Invalid;
            boundary.reason = "relation has no way members".into();
        }
    }
    boundary
}

/// The ways assembled, and the area of their rings from the ways' shared
/// excesses when that is how it can be measured (see
/// [`rings::assemble_measuring`]).
fn measure(
    ways: &[MemberWay],
    shared: &SharedExcess,
) -> Result<(rings::Assembled, Option<f64>), rings::Invalid> {
    let excess: Vec<f64> = ways.iter().map(|w| shared.of(w.id, &w.points)).collect();
    rings::assemble_measuring(ways, &excess)
}

fn from_tags(relation: &OsmRelation) -> Boundary {
    let tag = |key: &str| {
        debug_assert!(TAGS_READ.contains(&key), "{key} is read but not kept");
        relation
            .tags
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
    };
    let parsed = tag("population").map(|raw| parse_population(&raw));
    Boundary {
        osm_id: relation.id,
        admin_level: tag("admin_level").unwrap_or_default(),
        name: tag("name"),
        reference: tag("ref:INSEE").or_else(|| tag("ref")),
        wikidata: tag("wikidata"),
        population: parsed.as_ref().and_then(|p| p.value),
        population_date: tag("population:date"),
        area_km2: None,
        status: Status::Ok,
        reason: String::new(),
        missing_ways: 0,
        missing_nodes: 0,
        geometry: None,
        footprint: None,
        tag_warnings: parsed.and_then(|p| p.warning).into_iter().collect(),
    }
}

enum Members {
    Complete(Vec<MemberWay>),
    Missing {
        ways: usize,
        nodes: usize,
        total: usize,
    },
    NoWays,
}

/// The member ways with their node positions, or what is missing.
fn gather_members(relation: &OsmRelation, scan: &impl MemberGeometry) -> Members {
    let way_members = unique_way_members(relation);
    if way_members.is_empty() {
        return Members::NoWays;
    }
    let found: Vec<Option<&[u32]>> = way_members.iter().map(|m| scan.way_slots(m.id)).collect();
    let missing_ways = found.iter().filter(|slots| slots.is_none()).count();
    if missing_ways > 0 {
        // Incomplete whatever the nodes say: they are counted for the
        // report, and no positions are copied out.
        return Members::Missing {
            ways: missing_ways,
            nodes: missing_nodes(found.iter().flatten(), scan),
            total: way_members.len(),
        };
    }
    // Every way is there.
    let found: Vec<&[u32]> = found.into_iter().flatten().collect();
    let ways: Vec<MemberWay> = way_members
        .iter()
        .zip(&found)
        .map(|(member, slots)| MemberWay {
            id: member.id,
            role: member.role.clone(),
            points: slots
                .iter()
                .filter_map(|&s| scan.slot_position(s))
                .collect(),
        })
        .collect();
    let located: usize = ways.iter().map(|w| w.points.len()).sum();
    let wanted: usize = found.iter().map(|slots| slots.len()).sum();
    if located == wanted {
        return Members::Complete(ways);
    }
    Members::Missing {
        ways: 0,
        nodes: missing_nodes(found.iter(), scan),
        total: way_members.len(),
    }
}

/// How many distinct nodes of these ways the extract lacks (one slot per
/// node id, so distinct slots count nodes).
fn missing_nodes<'s>(
    ways: impl Iterator<Item = &'s &'s [u32]>,
    scan: &impl MemberGeometry,
) -> usize {
    let missing: BTreeSet<u32> = ways
        .flat_map(|slots| slots.iter().copied())
        .filter(|&slot| scan.slot_position(slot).is_none())
        .collect();
    missing.len()
}

/// Way members, each way once (the first role wins). A way listed twice is
/// a mapping slip meaning one boundary; counting it twice would cancel it.
fn unique_way_members(relation: &OsmRelation) -> Vec<&crate::pbf::OsmMember> {
    let mut seen = BTreeSet::new();
    relation
        .members
        .iter()
        .filter(|m| m.kind == ElementType::Way && seen.insert(m.id))
        .collect()
}

fn missing_reason(ways: usize, nodes: usize, total: usize) -> String {
    let mut parts = Vec::new();
    if ways > 0 {
        parts.push(format!(
            "{ways} of {total} member ways missing from the extract"
        ));
    }
    if nodes > 0 {
        parts.push(format!(
            "{nodes} nodes of member ways missing from the extract"
        ));
    }
    format!("{} (clipped at the extract's edge?)", parts.join(", "))
}

/// Notes worth keeping on an `ok` boundary: role mismatches, odd members.
fn notes(relation: &OsmRelation, warnings: &[String]) -> String {
    let mut notes: Vec<String> = warnings.to_vec();
    let way_members = relation
        .members
        .iter()
        .filter(|m| m.kind == ElementType::Way)
        .count();
    let repeats = way_members - unique_way_members(relation).len();
    if repeats > 0 {
        notes.push(format!(
            "{repeats} way members listed more than once (each used once)"
        ));
    }
    if relation
        .members
        .iter()
        .any(|m| m.kind == ElementType::Relation && m.id == relation.id)
    {
        notes.push("relation lists itself as a member (ignored)".into());
    }
    notes.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::OsmMember;
    use std::collections::HashMap;

    /// Member geometry holding ways 1 (nodes 10, 11, 12) and 2 (12, 13),
    /// and every node but 13; a slot is the node id.
    struct Found {
        ways: HashMap<i64, Vec<u32>>,
        nodes: HashMap<u32, (i32, i32)>,
    }

    impl MemberGeometry for Found {
        fn way_slots(&self, way: i64) -> Option<&[u32]> {
            self.ways.get(&way).map(Vec::as_slice)
        }
        fn slot_position(&self, slot: u32) -> Option<(i32, i32)> {
            self.nodes.get(&slot).copied()
        }
    }

    fn found() -> Found {
        Found {
            ways: HashMap::from([(1, vec![10, 11, 12]), (2, vec![12, 13])]),
            nodes: [10, 11, 12]
                .into_iter()
                .map(|id| (id, (id as i32 * 100_000, 5_000_000)))
                .collect(),
        }
    }

    fn relation(id: i64, ways: &[i64]) -> OsmRelation {
        let member = |&id: &i64| OsmMember {
            kind: ElementType::Way,
            id,
            role: "outer".into(),
        };
        OsmRelation {
            id,
            members: ways.iter().map(member).collect(),
            tags: vec![("admin_level".into(), "8".into())],
            meta: None,
        }
    }

    #[test]
    fn missing_ways_and_nodes_are_both_counted() {
        let relations = vec![relation(7, &[1, 2, 3]), relation(8, &[1, 2])];
        let boundaries = assemble_boundaries(&relations, &found());
        let missing: Vec<(i64, Status, usize, usize)> = boundaries
            .iter()
            .map(|b| (b.osm_id, b.status, b.missing_ways, b.missing_nodes))
            .collect();
        assert_eq!(
            missing,
            [(7, Status::Incomplete, 1, 1), (8, Status::Incomplete, 0, 1)]
        );
        assert_eq!(
            boundaries[0].reason,
            "1 of 3 member ways missing from the extract, \
             1 nodes of member ways missing from the extract \
             (clipped at the extract's edge?)"
        );
    }
}
