//! Named, tiny OSM cases written with our own PBF writer.
//!
//! Why in the library: the integration tests, the benches and the sample
//! generator all need the same small files with known answers, and osmium's
//! habit of one named fixture per case (`input-missing-node.osm`) makes a
//! failing test say what broke. Coordinates are round numbers so that
//! expected centroids can be written by hand.
//!
//! In: a case name. Out: owned elements, or a `.osm.pbf` on disk.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::Path;

use crate::pbf::block::ElementType;
use crate::pbf::writer::{tags, Compression, PbfWriter, WriterOptions};
use crate::pbf::OsmElement;
use crate::pbf::{OsmMember, OsmNode, OsmRelation, OsmWay};

/// The named cases, for tests that loop over all of them.
pub const CASES: &[&str] = &[
    "camera-node",
    "camera-way-closed",
    "camera-way-open",
    "camera-relation",
    "no-cameras",
    "direction-vs-camera-direction",
    "lz4-blob",
    "way-missing-nodes",
];

/// The elements of a named case, sorted by type then id; `None` for an unknown name.
pub fn case(name: &str) -> Option<Vec<OsmElement>> {
    Some(match name {
        "camera-node" | "lz4-blob" => camera_node(),
        "camera-way-closed" => camera_way(true),
        "camera-way-open" => camera_way(false),
        "camera-relation" => camera_relation(),
        "no-cameras" => vec![node(1, 1.0, 1.0, &[("amenity", "bench")])],
        "direction-vs-camera-direction" => directions(),
        "way-missing-nodes" => way_missing_nodes(),
        _ => return None,
    })
}

/// The compression a case is written with.
pub fn case_compression(name: &str) -> Compression {
    match name {
        "lz4-blob" => Compression::Lz4,
        _ => Compression::Zlib(6),
    }
}

/// Writes a named case to `path`.
pub fn write_case(name: &str, path: &Path) -> io::Result<()> {
    let elements =
        case(name).ok_or_else(|| io::Error::other(format!("no fixture named {name}")))?;
    let options = WriterOptions {
        compression: case_compression(name),
        ..WriterOptions::default()
    };
    write_elements(&elements, path, options)
}

/// Writes elements, in the order given, to a PBF file.
pub fn write_elements(
    elements: &[OsmElement],
    path: &Path,
    options: WriterOptions,
) -> io::Result<()> {
    let out = BufWriter::new(File::create(path)?);
    let mut writer = PbfWriter::new(out, options)?;
    writer.elements(elements)?;
    writer.finish()?;
    Ok(())
}

/// A node element.
pub fn node(id: i64, lon: f64, lat: f64, pairs: &[(&str, &str)]) -> OsmElement {
    OsmElement::Node(OsmNode {
        id,
        lon,
        lat,
        tags: tags(pairs),
        meta: None,
    })
}

/// Land mapped over longitudes 0 to 0.2 and latitudes 0 to 0.1: a
/// hundred untagged nodes in every cell of 0.01°, as towns and roads fill
/// an extract, with ids from `first_id`. The coverage tests put zones
/// beside it, in the box but beyond the data.
pub fn mapped_land(first_id: i64) -> Vec<OsmElement> {
    let mut land = Vec::with_capacity(20_000);
    for i in 0..20 {
        for j in 0..10 {
            for k in 0..100 {
                let lon = 0.0005 + f64::from(i) * 0.01 + f64::from(k % 10) * 0.001;
                let lat = 0.0005 + f64::from(j) * 0.01 + f64::from(k / 10) * 0.001;
                land.push(node(first_id + land.len() as i64, lon, lat, &[]));
            }
        }
    }
    land
}

/// A way element.
pub fn way(id: i64, refs: &[i64], pairs: &[(&str, &str)]) -> OsmElement {
    OsmElement::Way(OsmWay {
        id,
        refs: refs.to_vec(),
        tags: tags(pairs),
        meta: None,
    })
}

/// A relation element; members are `(type, id, role)`.
pub fn relation(
    id: i64,
    members: &[(ElementType, i64, &str)],
    pairs: &[(&str, &str)],
) -> OsmElement {
    OsmElement::Relation(OsmRelation {
        id,
        members: members
            .iter()
            .map(|&(kind, id, role)| OsmMember {
                kind,
                id,
                role: role.to_string(),
            })
            .collect(),
        tags: tags(pairs),
        meta: None,
    })
}

/// A square commune (admin_level 8, `ref:INSEE` 99999) of 0.02° around
/// `(lon, lat)`: four nodes, one closed way and its relation, with ids
/// from 1,000,001 so that they follow a fixture's own. For tests whose
/// file must hold a zone to count in.
pub fn commune_around(lon: f64, lat: f64) -> Vec<OsmElement> {
    let (id, d) = (1_000_000, 0.01);
    vec![
        node(id + 1, lon - d, lat - d, &[]),
        node(id + 2, lon + d, lat - d, &[]),
        node(id + 3, lon + d, lat + d, &[]),
        node(id + 4, lon - d, lat + d, &[]),
        way(id + 1, &[id + 1, id + 2, id + 3, id + 4, id + 1], &[]),
        relation(
            id + 1,
            &[(ElementType::Way, id + 1, "outer")],
            &[
                ("type", "boundary"),
                ("boundary", "administrative"),
                ("admin_level", "8"),
                ("ref:INSEE", "99999"),
                ("name", "Carré"),
            ],
        ),
    ]
}

const CAMERA: (&str, &str) = ("man_made", "surveillance");

fn camera_node() -> Vec<OsmElement> {
    vec![
        node(1, 2.0, 48.0, &[]),
        node(
            2,
            2.3522219,
            48.856614,
            &[
                CAMERA,
                ("surveillance", "public"),
                ("surveillance:type", "camera"),
                ("camera:type", "dome"),
                ("camera:mount", "pole"),
                ("surveillance:zone", "town"),
                ("camera:direction", "135"),
                ("operator", "Ville de Paris"),
                ("name", "Hôtel de Ville"),
            ],
        ),
    ]
}

fn square_nodes() -> Vec<OsmElement> {
    vec![
        node(1, 1.0, 1.0, &[]),
        node(2, 3.0, 1.0, &[]),
        node(3, 3.0, 3.0, &[]),
        node(4, 1.0, 3.0, &[]),
    ]
}

fn camera_way(closed: bool) -> Vec<OsmElement> {
    let refs: &[i64] = if closed { &[1, 2, 3, 4, 1] } else { &[1, 2, 3] };
    let mut elements = square_nodes();
    elements.push(way(10, refs, &[CAMERA, ("surveillance:type", "camera")]));
    elements
}

fn camera_relation() -> Vec<OsmElement> {
    let mut elements = square_nodes();
    elements.push(relation(
        20,
        &[
            (ElementType::Node, 1, "camera"),
            (ElementType::Node, 2, "camera"),
        ],
        &[CAMERA, ("surveillance:type", "guard")],
    ));
    elements
}

fn directions() -> Vec<OsmElement> {
    vec![
        node(1, 1.0, 1.0, &[CAMERA, ("direction", "90")]),
        node(
            2,
            2.0,
            2.0,
            &[("direction", "90"), CAMERA, ("camera:direction", "NE")],
        ),
        node(3, 3.0, 3.0, &[CAMERA, ("camera:direction", "10-80")]),
    ]
}

fn way_missing_nodes() -> Vec<OsmElement> {
    let mut elements = square_nodes();
    elements.push(way(10, &[1, 2, 99, 1], &[CAMERA]));
    elements.push(way(11, &[1, 2, 3, 4, 1], &[CAMERA]));
    elements
}

/// A seeded xorshift generator: tests, benches and fuzz seeds that need
/// "random" data get the same data on every run (as rstar seeds its tests).
#[derive(Debug, Clone)]
pub struct Seeded(u64);

impl Seeded {
    /// A generator from a non-zero seed (zero is replaced, as xorshift needs a bit set).
    pub fn new(seed: u64) -> Self {
        Seeded(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}
