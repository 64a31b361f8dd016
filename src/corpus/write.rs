//! Writing the corpus and its answers.
//!
//! Ids, in the order the writer needs them: border nodes (1 … P), camera
//! and decoy nodes, then filler nodes; border ways (1 … C), camera ways,
//! filler ways; relations: communes, départements, régions, the country.
//! The filler is drawn commune by commune from its own seed while the file
//! is written, so a national file never holds it in memory.
//!
//! In: a built [`Corpus`]. Out: the `.osm.pbf` and four CSV files of
//! answers, taken from the corpus' own bookkeeping.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::aggregate::RollupRow;
use crate::output::cell::Row;
use crate::pbf::block::ElementType;
use crate::pbf::writer::{PbfWriter, WriterOptions};
use crate::pbf::{OsmMember, OsmMeta, OsmNode, OsmRelation, OsmWay};

use super::cameras::{CameraKind, PlacedCamera, SplitMix64};
use super::topology::{Member, Point};
use super::{answers_file, Corpus, CorpusError, Options, Report};

/// Nodes per filler road, and one tagged node after each road.
const ROAD_NODES: u64 = 8;
const FILLER_UNIT: u64 = ROAD_NODES + 1;

fn write_error(path: &Path) -> impl Fn(std::io::Error) -> CorpusError + '_ {
    move |source| CorpusError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// The corpus's data date, 2025-12-01T00:00:00Z: the header's replication
/// timestamp, as Geofabrik writes one, and the newest object's.
const DATA_DATE: i64 = 1_764_547_200;

/// Edit metadata as Geofabrik's extracts carry it: version and timestamp.
fn meta(id: i64) -> Option<OsmMeta> {
    Some(OsmMeta {
        version: 1 + (id % 7) as i32,
        timestamp: DATA_DATE - (id % 100_000) * 3_600,
        ..OsmMeta::default()
    })
}

fn node(id: i64, p: Point, tags: Vec<(String, String)>) -> OsmNode {
    OsmNode {
        id,
        lon: p.0 as f64 / 1e7,
        lat: p.1 as f64 / 1e7,
        tags,
        meta: meta(id),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    crate::pbf::writer::tags(list)
}

/// Filler roads per commune, from its area.
fn roads_per_commune(corpus: &Corpus, options: &Options) -> Vec<u64> {
    corpus
        .communes
        .iter()
        .map(|c| (c.area_km2 * options.filler_per_km2 / FILLER_UNIT as f64).round() as u64)
        .collect()
}

pub fn write_all(corpus: &Corpus, options: &Options) -> Result<Report, CorpusError> {
    let path = &options.output;
    let file = File::create(path).map_err(write_error(path))?;
    let mut writer = PbfWriter::new(
        BufWriter::with_capacity(1 << 20, file),
        WriterOptions {
            replication_timestamp: Some(DATA_DATE),
            ..WriterOptions::default()
        },
    )
    .map_err(write_error(path))?;
    let roads = roads_per_commune(corpus, options);
    let mut report = Report {
        communes: corpus.communes.len(),
        departements: corpus.departements.len(),
        regions: corpus.regions.len(),
        border_nodes: corpus.points.len(),
        border_ways: corpus.chains.len(),
        ..Report::default()
    };
    let filler_first = write_nodes(&mut writer, corpus, options, &roads, &mut report)
        .map_err(write_error(path))?;
    write_ways(&mut writer, corpus, &roads, filler_first, &mut report)
        .map_err(write_error(path))?;
    write_relations(&mut writer, corpus, &mut report).map_err(write_error(path))?;
    writer.finish().map_err(write_error(path))?;
    report.bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    write_answers(corpus, options, &mut report)?;
    Ok(report)
}

/// The corners of a camera way: a square of about 6 m around its centre,
/// whose centroid is the centre exactly.
fn square(centre: Point) -> [Point; 4] {
    let dy = 270;
    let dx = (270.0 / (centre.1 as f64 * 1e-7).to_radians().cos()).round() as i32;
    let (x, y) = centre;
    [
        (x - dx, y - dy),
        (x + dx, y - dy),
        (x + dx, y + dy),
        (x - dx, y + dy),
    ]
}

fn camera_tags(camera: &PlacedCamera) -> Vec<(String, String)> {
    let mut tags = match camera.kind {
        CameraKind::Node | CameraKind::Way => pairs(&[("man_made", "surveillance")]),
        CameraKind::SpeedCamera => pairs(&[("highway", "speed_camera")]),
        CameraKind::Disused => pairs(&[("disused:man_made", "surveillance")]),
        CameraKind::TypeOnly => Vec::new(),
    };
    if let Some(kind) = camera.surveillance_type {
        tags.push(("surveillance:type".into(), kind.into()));
    }
    tags.push(("surveillance".into(), camera.surveillance.into()));
    tags
}

/// Writes every node; returns the id of the first filler node.
fn write_nodes<W: Write>(
    writer: &mut PbfWriter<W>,
    corpus: &Corpus,
    options: &Options,
    roads: &[u64],
    report: &mut Report,
) -> std::io::Result<i64> {
    let mut id = 0i64;
    for p in &corpus.points {
        id += 1;
        writer.node(&node(id, *p, Vec::new()))?;
    }
    for camera in &corpus.cameras {
        if camera.kind == CameraKind::Way {
            for corner in square(camera.position) {
                id += 1;
                writer.node(&node(id, corner, Vec::new()))?;
            }
        } else {
            id += 1;
            writer.node(&node(id, camera.position, camera_tags(camera)))?;
        }
    }
    let filler_first = id + 1;
    let amenities = [
        ("amenity", "bench"),
        ("natural", "tree"),
        ("shop", "bakery"),
        ("amenity", "post_box"),
        ("highway", "street_lamp"),
    ];
    for (c, commune) in corpus.communes.iter().enumerate() {
        let mut rng = SplitMix64::new(options.seed ^ (c as u64 + 1).wrapping_mul(0x9E37_79B9));
        let (low, high) = ring_box(&commune.rings);
        for _ in 0..roads[c] {
            let mut at = (
                low.0 + (rng.unit() * (high.0 - low.0) as f64) as i32,
                low.1 + (rng.unit() * (high.1 - low.1) as f64) as i32,
            );
            for _ in 0..ROAD_NODES {
                id += 1;
                writer.node(&node(id, at, Vec::new()))?;
                // About 40 m in a random direction.
                let angle = rng.unit() * std::f64::consts::TAU;
                at.0 += (3_600.0 * angle.cos()) as i32;
                at.1 += (3_600.0 * angle.sin()) as i32;
            }
            id += 1;
            let (key, value) = amenities[rng.below(amenities.len())];
            writer.node(&node(id, at, pairs(&[(key, value)])))?;
        }
    }
    report.nodes = id as u64;
    Ok(filler_first)
}

fn ring_box(rings: &[Vec<Point>]) -> (Point, Point) {
    let mut low = (i32::MAX, i32::MAX);
    let mut high = (i32::MIN, i32::MIN);
    for p in rings.iter().flatten() {
        low = (low.0.min(p.0), low.1.min(p.1));
        high = (high.0.max(p.0), high.1.max(p.1));
    }
    (low, high)
}

fn write_ways<W: Write>(
    writer: &mut PbfWriter<W>,
    corpus: &Corpus,
    roads: &[u64],
    filler_first: i64,
    report: &mut Report,
) -> std::io::Result<()> {
    let mut id = 0i64;
    let border = pairs(&[("boundary", "administrative")]);
    for chain in &corpus.chains {
        id += 1;
        writer.way(&OsmWay {
            id,
            refs: chain.nodes.iter().map(|&n| n as i64 + 1).collect(),
            tags: border.clone(),
            meta: meta(id),
        })?;
    }
    // Camera ways own the four nodes written for them, in camera order.
    let mut node_id = corpus.points.len() as i64;
    for camera in &corpus.cameras {
        if camera.kind == CameraKind::Way {
            id += 1;
            let first = node_id + 1;
            node_id += 4;
            writer.way(&OsmWay {
                id,
                refs: vec![first, first + 1, first + 2, first + 3, first],
                tags: camera_tags(camera),
                meta: meta(id),
            })?;
        } else {
            node_id += 1;
        }
    }
    let kinds = ["residential", "service", "track", "unclassified"];
    let total: u64 = roads.iter().sum();
    for road in 0..total {
        id += 1;
        let first = filler_first + (road * FILLER_UNIT) as i64;
        writer.way(&OsmWay {
            id,
            refs: (first..first + ROAD_NODES as i64).collect(),
            tags: pairs(&[("highway", kinds[(road % 4) as usize])]),
            meta: meta(id),
        })?;
    }
    report.ways = id as u64;
    Ok(())
}

fn members(list: &[Member]) -> Vec<OsmMember> {
    list.iter()
        .map(|m| OsmMember {
            kind: ElementType::Way,
            id: m.chain as i64 + 1,
            role: if m.inner { "inner" } else { "outer" }.into(),
        })
        .collect()
}

fn boundary_tags(level: &str, code: Option<&str>, name: &str) -> Vec<(String, String)> {
    let mut tags = pairs(&[
        ("type", "boundary"),
        ("boundary", "administrative"),
        ("admin_level", level),
        ("name", name),
    ]);
    if let Some(code) = code {
        tags.push(("ref:INSEE".into(), code.into()));
    }
    tags
}

fn write_relations<W: Write>(
    writer: &mut PbfWriter<W>,
    corpus: &Corpus,
    report: &mut Report,
) -> std::io::Result<()> {
    let mut id = 0i64;
    let mut relation = |tags: Vec<(String, String)>, list: &[Member]| {
        id += 1;
        writer.relation(&OsmRelation {
            id,
            members: members(list),
            tags,
            meta: meta(id),
        })
    };
    for (commune, list) in corpus.communes.iter().zip(&corpus.commune_members) {
        let mut tags = boundary_tags("8", Some(&commune.code), &commune.name);
        if let Some(population) = commune.population {
            tags.push(("population".into(), population.to_string()));
        }
        relation(tags, list)?;
    }
    for ((code, name), list) in corpus.departements.iter().zip(&corpus.departement_members) {
        relation(boundary_tags("6", Some(code), name), list)?;
    }
    for ((code, name), list) in corpus.regions.iter().zip(&corpus.region_members) {
        relation(boundary_tags("4", Some(code), name), list)?;
    }
    let mut country = boundary_tags("2", None, "France");
    country.push(("ISO3166-1".into(), "FR".into()));
    relation(country, &corpus.country_members)?;
    report.relations = id as u64;
    Ok(())
}

/// Cameras counted per commune, from the placement bookkeeping.
pub fn cameras_per_commune(corpus: &Corpus) -> Vec<u64> {
    let mut counts = vec![0u64; corpus.communes.len()];
    for camera in corpus.cameras.iter().filter(|c| c.kind.counts()) {
        if let Some(c) = camera.commune {
            counts[c as usize] += 1;
        }
    }
    counts
}

fn write_answers(
    corpus: &Corpus,
    options: &Options,
    report: &mut Report,
) -> Result<(), CorpusError> {
    let counts = cameras_per_commune(corpus);
    let csv_error = |path: &Path| {
        let path = path.to_path_buf();
        move |e: csv::Error| CorpusError::Write {
            path: path.clone(),
            source: e.into(),
        }
    };
    let path = answers_file(&options.output, "communes");
    let mut out = csv::Writer::from_path(&path).map_err(csv_error(&path))?;
    out.write_record([
        "ref",
        "name",
        "departement",
        "region",
        "osm_id",
        "population",
        "cameras",
    ])
    .map_err(csv_error(&path))?;
    for (i, c) in corpus.communes.iter().enumerate() {
        let population = c.population.map(|p| p.to_string()).unwrap_or_default();
        out.write_record([
            c.code.as_str(),
            &c.name,
            &c.departement,
            &c.region,
            &(i + 1).to_string(),
            &population,
            &counts[i].to_string(),
        ])
        .map_err(csv_error(&path))?;
    }
    out.flush().map_err(write_error(&path))?;
    let by_departement = |c: usize| &corpus.communes[c].departement;
    let by_region = |c: usize| &corpus.communes[c].region;
    write_rollup(
        corpus,
        &counts,
        "departements",
        &corpus.departements,
        by_departement,
        options,
    )?;
    write_rollup(
        corpus,
        &counts,
        "regions",
        &corpus.regions,
        by_region,
        options,
    )?;
    let counted: Vec<&PlacedCamera> = corpus.cameras.iter().filter(|c| c.kind.counts()).collect();
    report.cameras = counted.len() as u64;
    report.cameras_outside = counted.iter().filter(|c| c.commune.is_none()).count() as u64;
    report.decoys = (corpus.cameras.len() - counted.len()) as u64;
    let path = answers_file(&options.output, "totals");
    let mut out = csv::Writer::from_path(&path).map_err(csv_error(&path))?;
    let ways = counted.iter().filter(|c| c.kind == CameraKind::Way).count();
    let rows: [(&str, u64); 11] = [
        ("communes", report.communes as u64),
        ("departements", report.departements as u64),
        ("regions", report.regions as u64),
        ("cameras", report.cameras),
        ("cameras_inside", report.cameras - report.cameras_outside),
        ("cameras_outside", report.cameras_outside),
        ("camera_ways", ways as u64),
        ("decoys", report.decoys),
        ("nodes", report.nodes),
        ("ways", report.ways),
        ("relations", report.relations),
    ];
    out.write_record(["total", "value"])
        .map_err(csv_error(&path))?;
    for (name, value) in rows {
        out.write_record([name, &value.to_string()])
            .map_err(csv_error(&path))?;
    }
    out.flush().map_err(write_error(&path))
}

/// How many of the rollup's columns the answers give: group, name,
/// communes, communes_with_cameras, cameras, population.
const ROLLUP_COLUMNS_ANSWERED: usize = 6;

fn write_rollup<'a>(
    corpus: &'a Corpus,
    counts: &[u64],
    table: &str,
    groups: &[(String, String)],
    group_of: impl Fn(usize) -> &'a String,
    options: &Options,
) -> Result<(), CorpusError> {
    let path = answers_file(&options.output, table);
    let mut rows: Vec<(u64, u64, u64, Option<u64>)> = vec![(0, 0, 0, None); groups.len()];
    for (c, commune) in corpus.communes.iter().enumerate() {
        let g = groups
            .iter()
            .position(|(code, _)| code == group_of(c))
            .unwrap_or(0);
        let row = &mut rows[g];
        row.0 += 1;
        row.1 += u64::from(counts[c] > 0);
        row.2 += counts[c];
        if let Some(p) = commune.population {
            row.3 = Some(row.3.unwrap_or(0) + p);
        }
    }
    let to_error = |e: csv::Error| CorpusError::Write {
        path: path.clone(),
        source: e.into(),
    };
    let mut out = csv::Writer::from_path(&path).map_err(to_error)?;
    // The answers are the rollup's leading columns under the rollup's own
    // names, so that a run's rollup compares with them column by column.
    out.write_record(&RollupRow::COLUMNS[..ROLLUP_COLUMNS_ANSWERED])
        .map_err(to_error)?;
    for ((code, name), row) in groups.iter().zip(rows) {
        let population = row.3.map(|p| p.to_string()).unwrap_or_default();
        out.write_record([
            code.as_str(),
            name,
            &row.0.to_string(),
            &row.1.to_string(),
            &row.2.to_string(),
            &population,
        ])
        .map_err(to_error)?;
    }
    out.flush().map_err(write_error(&path))
}
