//! Named, tiny history files (`.osh.pbf`) with known answers, written
//! with our own writer ([`PbfWriter::history`]).
//!
//! Why: the real history files hold no camera that is moved, deleted and
//! undeleted, no way camera whose nodes move; these do, one case each, in
//! round coordinates. Two communes share the world: A (`00001`, lon 0–2)
//! and B (`00002`, lon 2–4), lat 0–2, admin_level 8.
//!
//! In: a case name. Out: elements with their versions, or a file.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;

use crate::fixtures::{node, relation, way};
use crate::pbf::block::ElementType;
use crate::pbf::writer::{PbfWriter, WriterOptions};
use crate::pbf::OsmElement;
use crate::pbf::OsmMeta;

/// The named cases.
pub const HISTORY_CASES: &[&str] = &[
    "history-camera-life",
    "history-way-camera-nodes-move",
    "history-boundary-change",
];

const CAMERA: (&str, &str) = ("man_made", "surveillance");

/// Unix seconds of a `YYYY-MM-DD` (00:00 UTC).
fn day(text: &str) -> i64 {
    super::parse_date(text).unwrap_or(0)
}

/// `element` as version `version` at `date` (`YYYY-MM-DD`), deleted or
/// not, its tags as given: a deleted version that keeps its tags is a
/// case of its own.
pub fn versioned(element: OsmElement, version: i32, date: &str, deleted: bool) -> OsmElement {
    let meta = Some(OsmMeta {
        version,
        timestamp: day(date),
        changeset: i64::from(version),
        uid: 1,
        user: "fixture".into(),
        deleted,
    });
    match element {
        OsmElement::Node(mut n) => {
            n.meta = meta;
            OsmElement::Node(n)
        }
        OsmElement::Way(mut w) => {
            w.meta = meta;
            OsmElement::Way(w)
        }
        OsmElement::Relation(mut r) => {
            r.meta = meta;
            OsmElement::Relation(r)
        }
    }
}

/// `element` as version `version` at `date`; a deleted node loses its
/// tags, as the OSM API writes deletions.
fn at(element: OsmElement, version: i32, date: &str, deleted: bool) -> OsmElement {
    match versioned(element, version, date, deleted) {
        OsmElement::Node(mut n) if deleted => {
            n.tags.clear();
            OsmElement::Node(n)
        }
        other => other,
    }
}

fn commune(id: i64, way_id: i64, code: &str, name: &str) -> OsmElement {
    relation(
        id,
        &[(ElementType::Way, way_id, "outer")],
        &[
            ("type", "boundary"),
            ("boundary", "administrative"),
            ("admin_level", "8"),
            ("ref:INSEE", code),
            ("name", name),
        ],
    )
}

/// The corners of A (nodes 1001–1004) and B (1005–1008), their closed
/// ways 200 and 201; all version 1 of 2010-01-01.
fn communes_nodes(with_b: bool) -> Vec<OsmElement> {
    let mut nodes = vec![
        node(1001, 0.0, 0.0, &[]),
        node(1002, 2.0, 0.0, &[]),
        node(1003, 2.0, 2.0, &[]),
        node(1004, 0.0, 2.0, &[]),
    ];
    if with_b {
        nodes.extend([
            node(1005, 2.0, 0.0, &[]),
            node(1006, 4.0, 0.0, &[]),
            node(1007, 4.0, 2.0, &[]),
            node(1008, 2.0, 2.0, &[]),
        ]);
    }
    nodes
        .into_iter()
        .map(|n| at(n, 1, "2010-01-01", false))
        .collect()
}

fn communes_ways_relations(with_b: bool) -> (Vec<OsmElement>, Vec<OsmElement>) {
    let mut ways = vec![at(
        way(200, &[1001, 1002, 1003, 1004, 1001], &[]),
        1,
        "2010-01-01",
        false,
    )];
    let mut relations = vec![at(commune(100, 200, "00001", "A"), 1, "2010-01-01", false)];
    if with_b {
        ways.push(at(
            way(201, &[1005, 1006, 1007, 1008, 1005], &[]),
            1,
            "2010-01-01",
            false,
        ));
        relations.push(at(commune(101, 201, "00002", "B"), 1, "2010-01-01", false));
    }
    (ways, relations)
}

/// The elements of a case, every version, sorted by type, id and version.
pub fn history_case(name: &str) -> Option<Vec<OsmElement>> {
    Some(match name {
        // Node 1: added in A, moved to B, retagged, untagged, deleted,
        // undeleted in A.
        "history-camera-life" => {
            let mut elements = vec![
                at(node(1, 0.5, 0.5, &[CAMERA]), 1, "2020-01-01", false),
                at(node(1, 2.5, 0.5, &[CAMERA]), 2, "2020-06-01", false),
                at(
                    node(1, 2.5, 0.5, &[CAMERA, ("surveillance:type", "ALPR")]),
                    3,
                    "2021-01-01",
                    false,
                ),
                at(
                    node(1, 2.5, 0.5, &[("surveillance:type", "ALPR")]),
                    4,
                    "2021-06-01",
                    false,
                ),
                at(node(1, 2.5, 0.5, &[]), 5, "2022-01-01", true),
                at(node(1, 0.5, 1.5, &[CAMERA]), 6, "2023-01-01", false),
            ];
            elements.extend(communes_nodes(true));
            let (ways, relations) = communes_ways_relations(true);
            elements.extend(ways);
            elements.extend(relations);
            elements
        }
        // Way 300, a camera since 2020-01-01, never edited; its four
        // nodes move from A to B on 2021-01-01.
        "history-way-camera-nodes-move" => {
            let mut elements = Vec::new();
            for (id, lon, lat) in [
                (11, 0.5, 0.5),
                (12, 1.0, 0.5),
                (13, 1.0, 1.0),
                (14, 0.5, 1.0),
            ] {
                elements.push(at(node(id, lon, lat, &[]), 1, "2020-01-01", false));
                elements.push(at(node(id, lon + 2.0, lat, &[]), 2, "2021-01-01", false));
            }
            elements.extend(communes_nodes(true));
            let (ways, relations) = communes_ways_relations(true);
            elements.push(at(
                way(300, &[11, 12, 13, 14, 11], &[CAMERA]),
                1,
                "2020-01-01",
                false,
            ));
            elements.extend(ways);
            elements.extend(relations);
            elements.sort_by_key(order_key);
            elements
        }
        // Commune A grows east on 2021-01-01 (its corners 1002 and 1003
        // move from lon 2 to lon 4, and it is renamed): camera node 5 at
        // lon 3 is outside it before, inside after.
        "history-boundary-change" => {
            let mut elements = vec![at(node(5, 3.0, 1.0, &[CAMERA]), 1, "2015-01-01", false)];
            for n in communes_nodes(false) {
                let OsmElement::Node(first) = &n else {
                    continue;
                };
                let (id, lon, lat) = (first.id, first.lon, first.lat);
                elements.push(n);
                if id == 1002 || id == 1003 {
                    elements.push(at(node(id, 4.0, lat, &[]), 2, "2021-01-01", false));
                }
                let _ = lon;
            }
            let (ways, _) = communes_ways_relations(false);
            elements.extend(ways);
            elements.push(at(commune(100, 200, "00001", "A"), 1, "2010-01-01", false));
            elements.push(at(
                commune(100, 200, "00001", "A-la-Grande"),
                2,
                "2021-01-01",
                false,
            ));
            elements
        }
        _ => return None,
    })
}

/// An element's place in a history file: type, id, version.
pub fn order_key(element: &OsmElement) -> (ElementType, i64, i32) {
    let (kind, id, meta) = match element {
        OsmElement::Node(n) => (ElementType::Node, n.id, &n.meta),
        OsmElement::Way(w) => (ElementType::Way, w.id, &w.meta),
        OsmElement::Relation(r) => (ElementType::Relation, r.id, &r.meta),
    };
    (kind, id, meta.as_ref().map_or(0, |m| m.version))
}

/// Writes a named history case to `path`.
pub fn write_history_case(name: &str, path: &Path) -> io::Result<()> {
    let elements = history_case(name)
        .ok_or_else(|| io::Error::other(format!("no history fixture named {name}")))?;
    write_history(&elements, path, WriterOptions::default())
}

/// Writes elements, every version, to a history file.
pub fn write_history(
    elements: &[OsmElement],
    path: &Path,
    options: WriterOptions,
) -> io::Result<()> {
    let out = BufWriter::new(File::create(path)?);
    let mut writer = PbfWriter::history(out, options)?;
    writer.elements(elements)?;
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_sorted_by_type_id_and_version() {
        for name in HISTORY_CASES {
            let elements = history_case(name).unwrap();
            let keys: Vec<_> = elements.iter().map(order_key).collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "{name}: {keys:?}");
        }
    }

    #[test]
    fn the_reader_gives_back_every_version_and_visible_flag() {
        let dir = tempfile::tempdir().unwrap();
        for name in HISTORY_CASES {
            let path = dir.path().join(format!("{name}.osh.pbf"));
            write_history_case(name, &path).unwrap();
            let read = crate::pbf::read_elements(&path).unwrap();
            assert_eq!(read, history_case(name).unwrap(), "{name}");
            let file = crate::pbf::PbfFile::open(&path).unwrap();
            assert!(file.header.is_history());
        }
    }
}
