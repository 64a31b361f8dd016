//! Writes a benchmark corpus by tiling real extracts side by side.
//!
//! Each seed's ids are renumbered compactly per type (1, 2, 3, …, as on the
//! planet), then shifted by a per-tile offset, references included, so every
//! relation stays exactly as complete as in its seed. Each copy is moved to
//! its own cell of a 1.1° grid. The output is sorted nodes → ways →
//! relations with the `Sort.Type_then_ID` header, 8000 entities per blob,
//! dense nodes, zlib level 6 (osmium's). Every element keeps its seed's
//! metadata (version, timestamp, and the blanked changeset, uid and user of
//! Geofabrik's extracts), as real files do: the corpus is 13 % larger with
//! it. Same inputs, same bytes.
//!
//! Run: `cargo run --release --example make-corpus -- --seed A.osm.pbf
//! [--seed B.osm.pbf …] --tiles N -o corpus.osm.pbf [--drop-metadata]
//! [--history V]`
//! `--history V` writes a history file (`.osh.pbf`, for the benchmark of
//! `camcount history`): every element in V versions spread from 2012 to
//! 2026, the last one the seed's; a camera's tag appears at a version
//! chosen by its id (so cameras appear over the years), and nodes move a
//! little from version to version. Its newest state is the plain corpus.
//! `--drop-metadata` writes the leaner tiles of corpora made before
//! 2026-12-01, for comparing with their figures.
//! A tiling of N tiles holds N times each seed's cameras and boundaries,
//! which `scripts/bench.sh` checks.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use camcount::pbf::OsmMeta;

use camcount::pbf::writer::{PbfWriter, WriterOptions};
use camcount::pbf::{read_elements, OsmElement, OsmNode, OsmRelation, OsmWay};

const CELL: f64 = 1.1;
const CELLS_PER_ROW: usize = 300;

struct Args {
    seeds: Vec<PathBuf>,
    tiles: usize,
    output: PathBuf,
    drop_metadata: bool,
    /// Versions per element; 0 writes a plain extract.
    history: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seeds: Vec::new(),
        tiles: 1,
        output: PathBuf::from("corpus.osm.pbf"),
        drop_metadata: false,
        history: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--drop-metadata" {
            args.drop_metadata = true;
            continue;
        }
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--seed" => args.seeds.push(value.into()),
            "--tiles" => args.tiles = value.parse().map_err(|_| "--tiles takes a number")?,
            "-o" | "--output" => args.output = value.into(),
            "--history" => args.history = value.parse().map_err(|_| "--history takes a number")?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if args.seeds.is_empty() || args.tiles == 0 {
        return Err(
            "usage: make-corpus --seed A.osm.pbf [--seed B …] --tiles N -o OUT [--drop-metadata]"
                .into(),
        );
    }
    Ok(args)
}

/// One seed, renumbered: ids are 0-based positions in each list.
struct Seed {
    nodes: Vec<OsmNode>,
    ways: Vec<OsmWay>,
    relations: Vec<OsmRelation>,
    min_lon: f64,
    min_lat: f64,
}

fn load_seed(path: &Path, drop_metadata: bool) -> Result<Seed, String> {
    let elements = read_elements(path).map_err(|e| e.to_string())?;
    let (mut nodes, mut ways, mut relations) = (Vec::new(), Vec::new(), Vec::new());
    for element in elements {
        match element {
            OsmElement::Node(n) => nodes.push(OsmNode {
                meta: n.meta.filter(|_| !drop_metadata),
                ..n
            }),
            OsmElement::Way(w) => ways.push(OsmWay {
                meta: w.meta.filter(|_| !drop_metadata),
                ..w
            }),
            OsmElement::Relation(r) => relations.push(OsmRelation {
                meta: r.meta.filter(|_| !drop_metadata),
                ..r
            }),
        }
    }
    nodes.sort_by_key(|n| n.id);
    ways.sort_by_key(|w| w.id);
    relations.sort_by_key(|r| r.id);
    let index = |ids: Vec<i64>| -> HashMap<i64, i64> {
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id, i as i64))
            .collect()
    };
    let node_ix = index(nodes.iter().map(|n| n.id).collect());
    let way_ix = index(ways.iter().map(|w| w.id).collect());
    let rel_ix = index(relations.iter().map(|r| r.id).collect());
    // References to elements outside the extract get ids past the seed's
    // range, so they stay missing in every tile.
    let missing = |ix: &HashMap<i64, i64>, id: i64, extra: &mut HashMap<i64, i64>| -> i64 {
        ix.get(&id).copied().unwrap_or_else(|| {
            let next = ix.len() as i64 + extra.len() as i64;
            *extra.entry(id).or_insert(next)
        })
    };
    let (mut extra_nodes, mut extra_ways, mut extra_rels) =
        (HashMap::new(), HashMap::new(), HashMap::new());
    for n in &mut nodes {
        n.id = node_ix[&n.id];
    }
    for w in &mut ways {
        w.id = way_ix[&w.id];
        for r in &mut w.refs {
            *r = missing(&node_ix, *r, &mut extra_nodes);
        }
    }
    for rel in &mut relations {
        rel.id = rel_ix[&rel.id];
        for m in &mut rel.members {
            let (ix, extra) = match m.kind {
                camcount::pbf::block::ElementType::Node => (&node_ix, &mut extra_nodes),
                camcount::pbf::block::ElementType::Way => (&way_ix, &mut extra_ways),
                camcount::pbf::block::ElementType::Relation => (&rel_ix, &mut extra_rels),
            };
            m.id = missing(ix, m.id, extra);
        }
    }
    let min_lon = nodes.iter().map(|n| n.lon).fold(f64::INFINITY, f64::min);
    let min_lat = nodes.iter().map(|n| n.lat).fold(f64::INFINITY, f64::min);
    Ok(Seed {
        nodes,
        ways,
        relations,
        min_lon,
        min_lat,
    })
}

/// The id span each seed takes in a tile, per type, including missing refs.
fn spans(seeds: &[Seed]) -> Vec<[i64; 3]> {
    seeds
        .iter()
        .map(|s| {
            let max_ref = |ids: &mut dyn Iterator<Item = i64>| ids.max().unwrap_or(0) + 1;
            let nodes = max_ref(
                &mut s
                    .ways
                    .iter()
                    .flat_map(|w| w.refs.iter().copied())
                    .chain(s.nodes.iter().map(|n| n.id)),
            );
            let members = |kind| {
                s.relations.iter().flat_map(move |r| {
                    r.members
                        .iter()
                        .filter(move |m| m.kind == kind)
                        .map(|m| m.id)
                })
            };
            let ways = max_ref(
                &mut s
                    .ways
                    .iter()
                    .map(|w| w.id)
                    .chain(members(camcount::pbf::block::ElementType::Way)),
            );
            let relations = max_ref(
                &mut s
                    .relations
                    .iter()
                    .map(|r| r.id)
                    .chain(members(camcount::pbf::block::ElementType::Relation)),
            );
            [nodes.max(1), ways.max(1), relations.max(1)]
        })
        .collect()
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    let seeds: Vec<Seed> = args
        .seeds
        .iter()
        .map(|p| load_seed(p, args.drop_metadata))
        .collect::<Result<_, _>>()?;
    let spans = spans(&seeds);
    let per_tile: [i64; 3] = [0, 1, 2].map(|t| spans.iter().map(|s| s[t]).sum());
    // offset(tile, seed, type) = 1 + tile * per_tile + sum of earlier seeds' spans
    let offset = |tile: usize, seed: usize, kind: usize| -> i64 {
        1 + tile as i64 * per_tile[kind] + spans[..seed].iter().map(|s| s[kind]).sum::<i64>()
    };
    let shift = |tile: usize, seed: usize| -> (f64, f64) {
        let cell = tile * seeds.len() + seed;
        let x = -170.0 + (cell % CELLS_PER_ROW) as f64 * CELL;
        let y = -60.0 + (cell / CELLS_PER_ROW) as f64 * CELL;
        (x - seeds[seed].min_lon, y - seeds[seed].min_lat)
    };
    let out = BufWriter::with_capacity(
        1 << 20,
        File::create(&args.output).map_err(|e| e.to_string())?,
    );
    // The corpus is as recent as its newest seed, and says so in its header
    // as Geofabrik's extracts do: without a header date, every count would
    // read the file once more for its newest object.
    let mut dates = Vec::new();
    for path in &args.seeds {
        let header = camcount::pbf::PbfFile::open(path)
            .map_err(|e| e.to_string())?
            .header;
        dates.extend(header.replication_timestamp);
    }
    let options = WriterOptions {
        replication_timestamp: dates.into_iter().max(),
        ..WriterOptions::default()
    };
    let mut writer = match args.history {
        0 => PbfWriter::new(out, options),
        _ => PbfWriter::history(out, options),
    }
    .map_err(|e| e.to_string())?;
    let versions = args.history.max(1);
    for tile in 0..args.tiles {
        for (s, seed) in seeds.iter().enumerate() {
            let (dx, dy) = shift(tile, s);
            for n in &seed.nodes {
                let moved = OsmNode {
                    id: n.id + offset(tile, s, 0),
                    lon: ((n.lon + dx) * 1e7).round() / 1e7,
                    lat: ((n.lat + dy) * 1e7).round() / 1e7,
                    tags: n.tags.clone(),
                    meta: n.meta.clone(),
                };
                for v in 1..=versions {
                    let version = match args.history {
                        0 => moved.clone(),
                        _ => OsmNode {
                            lon: moved.lon + (versions - v) as f64 * 1e-5,
                            tags: tags_at(&moved.tags, moved.id, v, versions),
                            meta: Some(meta_at(moved.id, v, versions)),
                            ..moved.clone()
                        },
                    };
                    writer.node(&version).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    for tile in 0..args.tiles {
        for (s, seed) in seeds.iter().enumerate() {
            for w in &seed.ways {
                let moved = OsmWay {
                    id: w.id + offset(tile, s, 1),
                    refs: w.refs.iter().map(|r| r + offset(tile, s, 0)).collect(),
                    tags: w.tags.clone(),
                    meta: w.meta.clone(),
                };
                for v in 1..=versions {
                    let version = match args.history {
                        0 => moved.clone(),
                        _ => OsmWay {
                            tags: tags_at(&moved.tags, moved.id, v, versions),
                            meta: Some(meta_at(moved.id, v, versions)),
                            ..moved.clone()
                        },
                    };
                    writer.way(&version).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    for tile in 0..args.tiles {
        for (s, seed) in seeds.iter().enumerate() {
            for r in &seed.relations {
                let mut moved = r.clone();
                moved.id += offset(tile, s, 2);
                for m in &mut moved.members {
                    m.id += offset(tile, s, m.kind as usize);
                }
                for v in 1..=versions {
                    let version = match args.history {
                        0 => moved.clone(),
                        _ => OsmRelation {
                            tags: tags_at(&moved.tags, moved.id, v, versions),
                            meta: Some(meta_at(moved.id, v, versions)),
                            ..moved.clone()
                        },
                    };
                    writer.relation(&version).map_err(|e| e.to_string())?;
                }
            }
        }
    }
    writer.finish().map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} ({} tiles of {} seeds)",
        args.output.display(),
        args.tiles,
        seeds.len()
    );
    Ok(())
}

/// 2012-01-01 and the step between versions: 14 years over `versions`.
const HISTORY_START: i64 = 1_325_376_000;
const HISTORY_YEARS: i64 = 14 * 365 * 86_400;

/// Version `v` of `versions`: its timestamps rise with `v`, the id
/// spreading elements within each step.
fn meta_at(id: i64, v: usize, versions: usize) -> OsmMeta {
    let step = HISTORY_YEARS / versions as i64;
    OsmMeta {
        version: v as i32,
        timestamp: HISTORY_START + (v as i64 - 1) * step + id.rem_euclid(step.max(2) / 2),
        ..OsmMeta::default()
    }
}

/// A camera's tags before the version its tag appears at lack
/// `man_made=surveillance`; other tags are the seed's at every version.
fn tags_at(tags: &[(String, String)], id: i64, v: usize, versions: usize) -> Vec<(String, String)> {
    let appears = 1 + id.rem_euclid(versions as i64) as usize;
    match v < appears {
        true => tags
            .iter()
            .filter(|(k, val)| !(k == "man_made" && val == "surveillance"))
            .cloned()
            .collect(),
        false => tags.to_vec(),
    }
}
