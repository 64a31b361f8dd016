//! One criterion bench per pipeline stage, on data generated here with our
//! own PBF writer (seeded, so every run measures the same bytes):
//!
//! - `inflate`: one 8000-node blob, with our zlib-rs path and with libdeflate;
//! - `decode`: the node stage's block decoding (ids only, wanted nodes,
//!   cameras);
//! - `coordinates`: a block's latitudes and longitudes, with the portable
//!   decoder and with this CPU's (SSSE3 on x86-64);
//! - `ways`: the way stage's walk over a block of 8000 ways, against the
//!   general visit;
//! - `rings`: assembling a 4000-segment boundary from 40 ways;
//! - `area`: a 2000-vertex commune's area, geodesic and ours;
//! - `join`: point-in-polygon, geo's interval tree vs a plain pass, and
//!   what the tree costs to build (how the join picks one: `BUSY_SHAPE`);
//! - `output`: 10,000 cameras as CSV and as GeoJSON.
//!
//! Run: `cargo bench --bench stages`. Figures go in BENCHMARKS.md.

use std::hint::black_box;

use camcount::boundary::area::ellipsoidal_area;
use camcount::boundary::rings::{assemble, MemberWay};
use camcount::camera::{Camera, CameraTags};
use camcount::fixtures::Seeded;
use camcount::pbf::blob::{BlobReader, RawBlob};
use camcount::pbf::block::{DenseColumns, ElementType, ElementVisitor, PrimitiveBlock, Wants, Way};
use camcount::pbf::delta::{decode_delta_pair, decode_delta_pair_scalar};
use camcount::pbf::wire::{count_varints, Fields, WireError};
use camcount::pbf::writer::{PbfWriter, WriterOptions};
use camcount::pbf::{OsmNode, OsmWay};
use camcount::per_type::PerType;
use camcount::scan::nodes::NodeTable;
use camcount::scan::visit::{visit_block, StageWants};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::indexed::IntervalTreeMultiPolygon;
use geo::{Contains, Coord, GeodesicArea, LineString, MultiPolygon, Point, Polygon};

/// One data blob of 8000 dense nodes, one in 500 a camera when `cameras`.
/// Positions walk like nodes along ways: each a few metres from the last,
/// with a jump to elsewhere in a 10 km square one time in 20.
fn node_blob(cameras: bool) -> RawBlob {
    let mut rng = Seeded::new(42);
    let mut writer = PbfWriter::new(Vec::new(), WriterOptions::default()).unwrap();
    let (mut lon, mut lat) = (7.4, 43.7);
    for id in 1..=8000 {
        let tags = if cameras && id % 500 == 0 {
            vec![("man_made".to_string(), "surveillance".to_string())]
        } else {
            vec![]
        };
        if rng.next_f64() < 0.05 {
            (lon, lat) = (7.4 + rng.next_f64() * 0.1, 43.7 + rng.next_f64() * 0.1);
        } else {
            lon += (rng.next_f64() - 0.5) * 2e-4;
            lat += (rng.next_f64() - 0.5) * 2e-4;
        }
        let node = OsmNode {
            id: id * 3,
            lon,
            lat,
            tags,
            meta: None,
        };
        writer.node(&node).unwrap();
    }
    let bytes = writer.finish().unwrap();
    let mut blobs = BlobReader::new(bytes.as_slice());
    blobs.next_blob().unwrap();
    blobs.next_blob().unwrap().unwrap()
}

/// The zlib payload and raw size of a blob, for libdeflate.
fn zlib_payload(blob: &RawBlob) -> (Vec<u8>, usize) {
    let (mut data, mut raw) = (Vec::new(), 0);
    for field in Fields::new(&blob.data) {
        match field.unwrap() {
            (2, v) => raw = v.varint().unwrap() as usize,
            (3, v) => data = v.bytes().unwrap().to_vec(),
            _ => {}
        }
    }
    (data, raw)
}

fn inflate(c: &mut Criterion) {
    let blob = node_blob(true);
    let (payload, raw_size) = zlib_payload(&blob);
    let mut group = c.benchmark_group("inflate");
    group.throughput(Throughput::Bytes(raw_size as u64));
    let mut zlib_rs = flate2::Decompress::new(true);
    let mut into = vec![0u8; raw_size];
    group.bench_function("zlib-rs (flate2)", |b| {
        b.iter(|| {
            zlib_rs.reset(true);
            zlib_rs
                .decompress(
                    black_box(&payload),
                    &mut into,
                    flate2::FlushDecompress::Finish,
                )
                .unwrap()
        })
    });
    let mut inflater = libdeflater::Decompressor::new();
    let mut buffer = vec![0u8; raw_size];
    group.bench_function("libdeflate", |b| {
        b.iter(|| {
            inflater
                .zlib_decompress(black_box(&payload), &mut buffer)
                .unwrap()
        })
    });
    let mut out = Vec::new();
    group.bench_function("our blob layer (libdeflate)", |b| {
        b.iter(|| blob.decompress(black_box(&mut out)).unwrap())
    });
    group.finish();
}

/// The node stage on one 8000-node block, three ways: a block nobody needs
/// (ids only), one holding 80 wanted nodes (ids, then coordinates), and one
/// holding cameras (ids, tags of the tagged nodes, coordinates).
fn decode(c: &mut Criterion) {
    let inflate = |blob: RawBlob| {
        let mut bytes = Vec::new();
        blob.decompress(&mut bytes).unwrap();
        bytes
    };
    let plain = inflate(node_blob(false));
    let with_cameras = inflate(node_blob(true));
    let table = NodeTable::new((1..=80).map(|i| i * 300).collect());
    let ids_only = StageWants {
        camera_nodes: true,
        counts: PerType::only(ElementType::Node),
        ..StageWants::default()
    };
    let wanted = StageWants {
        node_table: Some(&table),
        ..ids_only
    };
    let mut columns = DenseColumns::default();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(8000));
    for (name, bytes, wants) in [
        ("node stage, ids only, 8000 dense nodes", &plain, &ids_only),
        ("node stage, 80 wanted of 8000 dense nodes", &plain, &wanted),
        (
            "node stage, 16 cameras in 8000 dense nodes",
            &with_cameras,
            &ids_only,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let block = PrimitiveBlock::parse(black_box(bytes)).unwrap();
                visit_block(&block, 0, wants, &mut columns).unwrap()
            })
        });
    }
    group.finish();
}

/// The latitude and longitude columns of a block of one DenseNodes.
fn coordinate_columns(block: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (_, group) = Fields::new(block)
        .find(|f| f.as_ref().unwrap().0 == 2)
        .unwrap()
        .unwrap();
    let (_, dense) = Fields::new(group.bytes().unwrap()).next().unwrap().unwrap();
    let (mut lats, mut lons) = (Vec::new(), Vec::new());
    for field in Fields::new(dense.bytes().unwrap()) {
        match field.unwrap() {
            (8, v) => lats = v.bytes().unwrap().to_vec(),
            (9, v) => lons = v.bytes().unwrap().to_vec(),
            _ => {}
        }
    }
    (lats, lons)
}

/// Every coordinate of one 8000-node block, both decoders.
fn coordinates(c: &mut Criterion) {
    let mut block = Vec::new();
    node_blob(false).decompress(&mut block).unwrap();
    let (lats, lons) = coordinate_columns(&block);
    let n = count_varints(&lats);
    assert_eq!(n, 8000);
    let (mut out_lats, mut out_lons) = (vec![0; n], vec![0; n]);
    let mut group = c.benchmark_group("coordinates");
    group.throughput(Throughput::Elements(n as u64));
    type PairDecoder = fn((&[u8], &[u8]), (&mut [i64], &mut [i64])) -> Result<(), WireError>;
    let decoders: [(&str, PairDecoder); 2] = [
        (
            "pair decoder, portable, 8000 nodes",
            decode_delta_pair_scalar,
        ),
        ("pair decoder, this CPU's, 8000 nodes", decode_delta_pair),
    ];
    for (name, decode) in decoders {
        group.bench_function(name, |b| {
            b.iter(|| {
                decode(
                    (black_box(&lats[..]), &lons[..]),
                    (&mut out_lats, &mut out_lons),
                )
            })
        });
    }
    group.finish();
}

/// One inflated block of 8000 ways of 2 to 12 nodes each, with a tag or
/// two, ids and node ids in the range of today's OSM.
fn way_block() -> Vec<u8> {
    let mut rng = Seeded::new(7);
    let mut writer = PbfWriter::new(Vec::new(), WriterOptions::default()).unwrap();
    let mut node = 9_000_000_000_i64;
    for k in 0..8000 {
        let len = 2 + (rng.next_u64() % 11) as i64;
        let tags = [("highway", "residential"), ("building", "yes")]
            .iter()
            .take(1 + k % 2)
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        let way = OsmWay {
            id: 1_200_000_000 + k as i64 * 7,
            refs: (node..node + len).collect(),
            tags,
            meta: None,
        };
        node += len;
        writer.way(&way).unwrap();
    }
    let bytes = writer.finish().unwrap();
    let mut blobs = BlobReader::new(bytes.as_slice());
    blobs.next_blob().unwrap();
    let mut block = Vec::new();
    let blob = blobs.next_blob().unwrap().unwrap();
    blob.decompress(&mut block).unwrap();
    block
}

/// The way stage on one block of 8000 ways, 27 of them member ways (the
/// scan's visit), and the two walks it can take: the one made for blocks
/// of ways alone, and the general visit.
fn ways(c: &mut Criterion) {
    let bytes = way_block();
    let member_ways: Vec<i64> = (0..27).map(|k| 1_200_000_000 + k * 300 * 7).collect();
    let wants = StageWants {
        camera_ways: true,
        member_ways: Some(&member_ways),
        counts: PerType::only(ElementType::Way),
        ..StageWants::default()
    };
    let mut columns = DenseColumns::default();
    let mut group = c.benchmark_group("ways");
    group.throughput(Throughput::Elements(8000));
    group.bench_function("way stage, 27 member ways of 8000", |b| {
        b.iter(|| {
            let block = PrimitiveBlock::parse(black_box(&bytes)).unwrap();
            let found = visit_block(&block, 0, &wants, &mut columns).unwrap();
            assert_eq!(found.ways.len(), 27);
            found
        })
    });
    let block = PrimitiveBlock::parse(&bytes).unwrap();
    group.bench_function("walk made for ways (ids only)", |b| {
        b.iter(|| {
            let mut last = 0;
            black_box(&block)
                .for_each_way(|way| {
                    last = way.id;
                    Ok(())
                })
                .unwrap();
            last
        })
    });
    group.bench_function("general visit (ids only)", |b| {
        b.iter(|| {
            let mut ids = LastWay(0);
            black_box(&block).visit(&mut ids).unwrap();
            ids.0
        })
    });
    group.finish();
}

/// Keeps the last way id it is handed, and wants nothing else.
struct LastWay(i64);

impl<'a> ElementVisitor<'a> for LastWay {
    fn wants(&self) -> Wants {
        Wants {
            nodes: false,
            ways: true,
            relations: false,
        }
    }
    fn way(&mut self, way: &Way<'a>) -> Result<(), WireError> {
        self.0 = way.id;
        Ok(())
    }
}

/// A circle of 4000 points cut into 40 ways, every other one reversed.
fn circle_ways() -> Vec<MemberWay> {
    let points: Vec<(i32, i32)> = (0..4000)
        .map(|i| {
            let angle = i as f64 / 4000.0 * std::f64::consts::TAU;
            ((angle.cos() * 1e6) as i32, (angle.sin() * 1e6) as i32)
        })
        .collect();
    (0..40)
        .map(|w| {
            let mut chunk: Vec<(i32, i32)> =
                (0..=100).map(|k| points[(w * 100 + k) % 4000]).collect();
            if w % 2 == 1 {
                chunk.reverse();
            }
            MemberWay {
                id: w as i64,
                role: "outer".into(),
                points: chunk,
            }
        })
        .collect()
}

fn rings(c: &mut Criterion) {
    let ways = circle_ways();
    c.bench_function("rings/assemble 4000 segments", |b| {
        b.iter(|| assemble(black_box(&ways)).unwrap())
    });
}

/// A 2000-vertex ring around `center`, its radius wobbling by 10 % (17
/// waves), as a one-polygon shape: a commune-like outline.
fn wobbly_ring(center: (f64, f64), radius: f64) -> MultiPolygon<f64> {
    let ring: LineString<f64> = (0..=2000)
        .map(|i| {
            let angle = i as f64 / 2000.0 * std::f64::consts::TAU;
            let r = radius * (1.0 + 0.1 * (angle * 17.0).sin());
            Coord {
                x: center.0 + angle.cos() * r,
                y: center.1 + angle.sin() * r,
            }
        })
        .collect();
    MultiPolygon::new(vec![Polygon::new(ring, vec![])])
}

/// A commune-sized ring near Monaco, about 10 km across: geographiclib's
/// geodesic area against ours.
fn area(c: &mut Criterion) {
    let shape = wobbly_ring((7.4, 43.7), 0.05);
    let mut group = c.benchmark_group("area");
    group.throughput(Throughput::Elements(2000));
    group.bench_function("geodesic (geographiclib), 2000 vertices", |b| {
        b.iter(|| black_box(&shape).geodesic_area_unsigned())
    });
    group.bench_function("authalic sphere (ours), 2000 vertices", |b| {
        b.iter(|| ellipsoidal_area(black_box(&shape)))
    });
    group.finish();
}

fn join(c: &mut Criterion) {
    let shape = wobbly_ring((0.0, 0.0), 1.0);
    let indexed = IntervalTreeMultiPolygon::new(&shape);
    let mut rng = Seeded::new(7);
    let points: Vec<Point<f64>> = (0..1000)
        .map(|_| Point::new(rng.next_f64() * 2.4 - 1.2, rng.next_f64() * 2.4 - 1.2))
        .collect();
    let mut group = c.benchmark_group("join");
    group.throughput(Throughput::Elements(points.len() as u64));
    group.bench_function("plain Contains, 2000-vertex polygon", |b| {
        b.iter(|| points.iter().filter(|p| shape.contains(*p)).count())
    });
    group.bench_function("IntervalTreeMultiPolygon, 2000-vertex polygon", |b| {
        b.iter(|| points.iter().filter(|p| indexed.contains(*p)).count())
    });
    group.bench_function("plain coordinate_position, 2000-vertex polygon", |b| {
        b.iter(|| {
            points
                .iter()
                .filter(|p| shape.coordinate_position(&p.0) == CoordPos::Inside)
                .count()
        })
    });
    group.finish();
    let mut group = c.benchmark_group("join-prepare");
    group.throughput(Throughput::Elements(1));
    group.bench_function("IntervalTreeMultiPolygon::new, 2000-vertex polygon", |b| {
        b.iter(|| IntervalTreeMultiPolygon::new(black_box(&shape)))
    });
    group.finish();
}

fn output(c: &mut Criterion) {
    let cameras: Vec<Camera> = (0..10_000)
        .map(|i| Camera {
            osm_type: ElementType::Node,
            osm_id: i,
            position: Some((7.0 + i as f64 * 1e-5, 43.0)),
            tags: CameraTags::from_pairs([
                ("surveillance", "public"),
                ("surveillance:type", "camera"),
            ]),
            edit: Default::default(),
        })
        .collect();
    let mut group = c.benchmark_group("output");
    group.throughput(Throughput::Elements(cameras.len() as u64));
    group.bench_function("CSV, 10k cameras", |b| {
        b.iter(|| {
            let options = camcount::output::csv::CsvOptions::default();
            camcount::output::csv::write(
                black_box(&cameras),
                &options,
                "2026-12-01",
                std::io::sink(),
            )
            .unwrap()
        })
    });
    group.bench_function("GeoJSON, 10k cameras", |b| {
        b.iter(|| {
            use camcount::output::{geojson, metadata::Metadata};
            let metadata = Metadata::of_input(
                std::path::Path::new("bench"),
                Default::default(),
                Default::default(),
            );
            let shape = |c: &camcount::camera::Camera| geojson::Shape {
                id: Some(format!("{}/{}", c.osm_type.as_str(), c.osm_id)),
                geometry: geojson::point(c.position),
            };
            geojson::write(black_box(&cameras), shape, &metadata, std::io::sink()).unwrap()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    inflate,
    decode,
    coordinates,
    ways,
    rings,
    area,
    join,
    output
);
criterion_main!(benches);
