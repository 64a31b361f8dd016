//! Writes `data-samples/sample.osm.pbf`: a fictional, synthetic extract.
//!
//! Ten communes of a made-up département "99" in the mid-Atlantic (no real
//! place): a 3×3 grid of communes whose borders are shared ways, as in OSM,
//! plus an enclave inside the centre commune. The eastern commune of the
//! middle row is clipped: one of its border ways is missing, as at the edge
//! of a real extract. Cameras carry varied tags; one is a closed way, one
//! sits exactly on a shared border, one lies outside every commune.
//!
//! Run: `cargo run --example make-sample [-- OUTPUT]`.
//!
//! With `--raw-with-metadata` it writes the same elements uncompressed,
//! each with a version, timestamp, changeset, uid and user: the seed of the
//! `pbf_blobs` fuzz target (`fuzz/seeds/pbf_blobs/sample-raw-meta.osm.pbf`),
//! whose mutations then reach the block and metadata decoders instead of
//! breaking a zlib stream.

use std::collections::BTreeMap;
use std::path::PathBuf;

use camcount::fixtures::{node, relation, way, write_elements};
use camcount::pbf::block::ElementType;
use camcount::pbf::writer::{Compression, WriterOptions};
use camcount::pbf::OsmMeta;
use camcount::pbf::{BBox, OsmElement};

const WEST: f64 = -30.0;
const SOUTH: f64 = 40.0;
const CELL: f64 = 0.02;

fn main() -> std::io::Result<()> {
    let (flags, paths): (Vec<String>, Vec<String>) =
        std::env::args().skip(1).partition(|a| a.starts_with("--"));
    let raw_with_metadata = match flags.as_slice() {
        [] => false,
        [flag] if flag == "--raw-with-metadata" => true,
        _ => {
            eprintln!("usage: make-sample [--raw-with-metadata] [OUTPUT]");
            std::process::exit(2);
        }
    };
    let out = paths
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("data-samples/sample.osm.pbf"));
    let mut sample = Sample::default();
    sample.grid_communes();
    sample.enclave();
    sample.cameras();
    let mut elements = sample.sorted();
    if raw_with_metadata {
        elements.iter_mut().for_each(add_metadata);
    }
    let options = WriterOptions {
        compression: match raw_with_metadata {
            true => Compression::None,
            false => WriterOptions::default().compression,
        },
        bbox: Some(BBox {
            min_lon: WEST - 0.01,
            min_lat: SOUTH - 0.01,
            max_lon: WEST + 3.0 * CELL + 0.01,
            max_lat: SOUTH + 3.0 * CELL + 0.01,
        }),
        // A fixed data date, so that every output of the sample is dated
        // and reproducible: 2026-12-01T00:00:00Z.
        replication_timestamp: Some(1_796_083_200),
        ..WriterOptions::default()
    };
    write_elements(&elements, &out, options)?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Made-up metadata, varied so that every DenseInfo and Info column holds
/// more than one value: versions, timestamps and changesets that go down as
/// well as up, several users (one with a non-ASCII name).
fn add_metadata(element: &mut OsmElement) {
    let (id, meta) = match element {
        OsmElement::Node(n) => (n.id, &mut n.meta),
        OsmElement::Way(w) => (w.id, &mut w.meta),
        OsmElement::Relation(r) => (r.id, &mut r.meta),
    };
    let users = ["ana", "bruno", "chloé"];
    *meta = Some(OsmMeta {
        version: (id % 5 + 1) as i32,
        timestamp: 1_600_000_000 + (id % 11) * 86_400,
        changeset: 90_000 + id % 13,
        uid: (id % 3 + 1) as i32,
        user: users[(id % 3) as usize].to_string(),
        deleted: false,
    });
}

#[derive(Default)]
struct Sample {
    elements: BTreeMap<(ElementType, i64), OsmElement>,
    next_way: i64,
}

const NAMES: [&str; 9] = [
    "Port-Fictif",
    "Sainte-Brume",
    "Les Embruns",
    "Val-d'Écume",
    "Marée-Haute",
    "Bourg-Clipé",
    "Anse-Grise",
    "Roc-Salé",
    "Pointe-Nulle",
];

/// Population tags written the ways mappers really write them.
const POPULATIONS: [&str; 9] = [
    "12400",
    "2 400",
    "860",
    "1,250",
    "ca. 700",
    "3100;3050",
    "415",
    "",
    "95",
];

impl Sample {
    fn add(&mut self, element: OsmElement) {
        let key = match &element {
            OsmElement::Node(n) => (ElementType::Node, n.id),
            OsmElement::Way(w) => (ElementType::Way, w.id),
            OsmElement::Relation(r) => (ElementType::Relation, r.id),
        };
        self.elements.insert(key, element);
    }

    fn sorted(self) -> Vec<OsmElement> {
        self.elements.into_values().collect()
    }

    /// Grid node ids: 1000 + row * 10 + column, rows and columns 0..=3.
    fn grid_node(row: i64, col: i64) -> i64 {
        1000 + row * 10 + col
    }

    fn edge_way(&mut self, from: i64, to: i64) -> i64 {
        self.next_way += 1;
        let id = 2000 + self.next_way;
        self.add(way(
            id,
            &[from, to],
            &[("boundary", "administrative"), ("admin_level", "8")],
        ));
        id
    }

    fn grid_communes(&mut self) {
        for row in 0..=3 {
            for col in 0..=3 {
                let (lon, lat) = (WEST + col as f64 * CELL, SOUTH + row as f64 * CELL);
                self.add(node(Self::grid_node(row, col), lon, lat, &[]));
            }
        }
        let mut horizontal = BTreeMap::new();
        let mut vertical = BTreeMap::new();
        for row in 0..=3 {
            for col in 0..3 {
                let id = self.edge_way(Self::grid_node(row, col), Self::grid_node(row, col + 1));
                horizontal.insert((row, col), id);
            }
        }
        for row in 0..3 {
            for col in 0..=3 {
                let id = self.edge_way(Self::grid_node(row, col), Self::grid_node(row + 1, col));
                vertical.insert((row, col), id);
            }
        }
        for (index, (row, col)) in (0..3).flat_map(|r| (0..3).map(move |c| (r, c))).enumerate() {
            let ways = [
                horizontal[&(row, col)],
                vertical[&(row, col + 1)],
                horizontal[&(row + 1, col)],
                vertical[&(row, col)],
            ];
            self.commune(index, &ways);
        }
    }

    fn commune(&mut self, index: usize, ways: &[i64; 4]) {
        let code = format!("99{:03}", index + 1);
        let clipped = NAMES[index] == "Bourg-Clipé";
        let mut members: Vec<(ElementType, i64, &str)> = ways
            .iter()
            .map(|&w| (ElementType::Way, w, "outer"))
            .collect();
        if clipped {
            // This way is left out of the extract, as at a real clip edge.
            members.push((ElementType::Way, 9999, "outer"));
            self.elements.remove(&(ElementType::Way, ways[1]));
        }
        if NAMES[index] == "Marée-Haute" {
            members.push((ElementType::Way, 3001, "inner"));
        }
        let mut tags = vec![
            ("type", "boundary"),
            ("boundary", "administrative"),
            ("admin_level", "8"),
            ("name", NAMES[index]),
            ("ref:INSEE", code.as_str()),
        ];
        if !POPULATIONS[index].is_empty() {
            tags.push(("population", POPULATIONS[index]));
            tags.push(("population:date", "2023"));
        }
        self.add(relation(100 + index as i64, &members, &tags));
    }

    /// "Îlot-Perdu", an enclave in the centre commune, built from one closed way.
    fn enclave(&mut self) {
        let (x0, y0) = (WEST + 1.3 * CELL, SOUTH + 1.3 * CELL);
        let corners = [
            (x0, y0),
            (x0 + 0.4 * CELL, y0),
            (x0 + 0.4 * CELL, y0 + 0.4 * CELL),
            (x0, y0 + 0.4 * CELL),
        ];
        for (i, (lon, lat)) in corners.iter().enumerate() {
            self.add(node(1100 + i as i64, *lon, *lat, &[]));
        }
        self.add(way(
            3001,
            &[1100, 1101, 1102, 1103, 1100],
            &[("boundary", "administrative")],
        ));
        self.add(relation(
            110,
            &[(ElementType::Way, 3001, "outer")],
            &[
                ("type", "boundary"),
                ("boundary", "administrative"),
                ("admin_level", "8"),
                ("name", "Îlot-Perdu"),
                ("ref:INSEE", "99010"),
                ("population", "42"),
            ],
        ));
    }

    fn cameras(&mut self) {
        const KINDS: [(&str, &str, &str, &str); 6] = [
            ("public", "camera", "dome", "town"),
            ("outdoor", "camera", "fixed", "traffic"),
            ("public", "ALPR", "fixed", "traffic"),
            ("indoor", "camera", "dome", "shop"),
            ("outdoor", "guard", "", ""),
            ("", "camera", "panning", "parking"),
        ];
        // A deterministic scatter: a fixed stride walk over the grid.
        for i in 0..24i64 {
            let (s, t, c, z) = KINDS[i as usize % KINDS.len()];
            let lon = WEST + 0.003 + ((i * 37) % 58) as f64 * 0.001;
            let lat = SOUTH + 0.002 + ((i * 23) % 57) as f64 * 0.001;
            let direction = format!("{}", (i * 45) % 360);
            let pairs: Vec<(&str, &str)> = [
                ("man_made", "surveillance"),
                ("surveillance", s),
                ("surveillance:type", t),
                ("camera:type", c),
                ("surveillance:zone", z),
                ("camera:direction", direction.as_str()),
            ]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
            self.add(node(5000 + i, lon, lat, &pairs));
        }
        // Exactly on the shared border of the two southern-left communes.
        self.add(node(
            5100,
            WEST + CELL,
            SOUTH + 0.5 * CELL,
            &[("man_made", "surveillance"), ("operator", "Mairie")],
        ));
        // Out at sea, in no commune.
        self.add(node(
            5101,
            WEST - 0.005,
            SOUTH - 0.005,
            &[("man_made", "surveillance"), ("surveillance", "outdoor")],
        ));
        // A camera mapped as a small closed way (a camera housing).
        let (x, y) = (WEST + 2.5 * CELL, SOUTH + 2.5 * CELL);
        for (i, (dx, dy)) in [(0.0, 0.0), (0.0002, 0.0), (0.0002, 0.0002), (0.0, 0.0002)]
            .iter()
            .enumerate()
        {
            self.add(node(5200 + i as i64, x + dx, y + dy, &[]));
        }
        self.add(way(
            4001,
            &[5200, 5201, 5202, 5203, 5200],
            &[
                ("man_made", "surveillance"),
                ("surveillance:type", "camera"),
                ("name", "Caméra du port"),
            ],
        ));
    }
}
