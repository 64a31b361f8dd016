//! Our PBF writer, read back by our reader: every element, tag, member and
//! position survives, in every compression; the header says what it should;
//! and an unsorted file gives the same answers as a sorted one.

mod common;

use std::ffi::OsStr;

use camcount::pbf::block::ElementType;
use camcount::pbf::writer::{Compression, WriterOptions};
use camcount::pbf::{read_elements, OsmElement, OsmMeta, OsmNode, OsmRelation, OsmWay, PbfFile};
use common::{stdout_of, Workdir};

fn sample_elements() -> Vec<OsmElement> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    read_elements(&path).unwrap()
}

/// Writes `elements` in every compression, in blocks of 7, and reads them
/// back unchanged.
fn assert_round_trips(elements: &[OsmElement]) {
    let wd = Workdir::new();
    for compression in [Compression::None, Compression::Zlib(6), Compression::Lz4] {
        let path = wd.path("round-trip.osm.pbf");
        let options = WriterOptions {
            compression,
            block_size: 7,
            ..Default::default()
        };
        camcount::fixtures::write_elements(elements, &path, options).unwrap();
        assert_eq!(read_elements(&path).unwrap(), elements, "{compression:?}");
    }
}

#[test]
fn elements_round_trip_in_every_compression() {
    let elements = sample_elements();
    assert_eq!(elements.len(), 85);
    assert_round_trips(&elements);
}

/// Metadata like a real extract's, different for every element: versions
/// that go up and down, timestamps and changesets that go back in time
/// (deltas of both signs), negative and large uids, users with non-ASCII
/// names and the blank user of Geofabrik's extracts.
fn with_metadata(elements: &[OsmElement]) -> Vec<OsmElement> {
    let meta = |i: usize| OsmMeta {
        version: 1 + (i % 7) as i32,
        timestamp: 1_577_558_357 - (i as i64 % 5) * 86_400 + i as i64 * 3_600,
        changeset: [0, 81_234_567, 12, 3_000_000_000][i % 4],
        uid: [0, -1, 17, i32::MAX][i % 4],
        user: ["", "Jérôme", "osm_user", ""][i % 4].to_string(),
        deleted: false,
    };
    elements
        .iter()
        .enumerate()
        .map(|(i, element)| match element.clone() {
            OsmElement::Node(n) => OsmElement::Node(OsmNode {
                meta: Some(meta(i)),
                ..n
            }),
            OsmElement::Way(w) => OsmElement::Way(OsmWay {
                meta: Some(meta(i)),
                ..w
            }),
            OsmElement::Relation(r) => OsmElement::Relation(OsmRelation {
                meta: Some(meta(i)),
                ..r
            }),
        })
        .collect()
}

#[test]
fn metadata_round_trips_in_every_compression() {
    assert_round_trips(&with_metadata(&sample_elements()));
}

#[test]
fn a_node_without_metadata_among_nodes_with_reads_as_zeros() {
    let mut elements = with_metadata(&[
        camcount::fixtures::node(1, 7.0, 43.0, &[]),
        camcount::fixtures::node(2, 7.1, 43.1, &[]),
        camcount::fixtures::node(3, 7.2, 43.2, &[]),
    ]);
    let OsmElement::Node(first) = &mut elements[0] else {
        unreachable!()
    };
    first.meta = None;
    let wd = Workdir::new();
    let path = wd.path("mixed.osm.pbf");
    camcount::fixtures::write_elements(&elements, &path, Default::default()).unwrap();
    let read = read_elements(&path).unwrap();
    let metas: Vec<Option<OsmMeta>> = read
        .iter()
        .map(|e| match e {
            OsmElement::Node(n) => n.meta.clone(),
            _ => unreachable!(),
        })
        .collect();
    let expected = |e: &OsmElement| match e {
        OsmElement::Node(n) => n.meta.clone(),
        _ => unreachable!(),
    };
    assert_eq!(metas[0], Some(OsmMeta::default()));
    assert_eq!(metas[1], expected(&elements[1]));
    assert_eq!(metas[2], expected(&elements[2]));
}

#[test]
fn header_declares_sorting_and_bbox() {
    let wd = Workdir::new();
    let path = wd.path("header.osm.pbf");
    let bbox = camcount::pbf::BBox {
        min_lon: -1.5,
        min_lat: 2.25,
        max_lon: 3.0,
        max_lat: 4.125,
    };
    let options = WriterOptions {
        bbox: Some(bbox),
        ..Default::default()
    };
    camcount::fixtures::write_elements(
        &[camcount::fixtures::node(1, 0.0, 0.0, &[])],
        &path,
        options,
    )
    .unwrap();
    let file = PbfFile::open(&path).unwrap();
    assert!(file.header.is_sorted());
    assert_eq!(file.header.bbox, Some(bbox));
    assert_eq!(
        file.header.required_features,
        ["OsmSchema-V0.6", "DenseNodes"]
    );
}

#[test]
fn sorted_writer_refuses_out_of_order_elements() {
    let wd = Workdir::new();
    let elements = [
        camcount::fixtures::way(5, &[1], &[]),
        camcount::fixtures::node(1, 0.0, 0.0, &[]),
    ];
    let err =
        camcount::fixtures::write_elements(&elements, &wd.path("bad.osm.pbf"), Default::default())
            .unwrap_err();
    assert!(
        err.to_string().contains("breaks Sort.Type_then_ID"),
        "{err}"
    );
}

/// Relations, then ways, then nodes: the worst order for a reader.
fn reversed(elements: &[OsmElement]) -> Vec<OsmElement> {
    let kind = |e: &OsmElement| match e {
        OsmElement::Node(_) => ElementType::Node,
        OsmElement::Way(_) => ElementType::Way,
        OsmElement::Relation(_) => ElementType::Relation,
    };
    let mut out = elements.to_vec();
    out.sort_by_key(|e| std::cmp::Reverse(kind(e)));
    out
}

#[test]
fn an_unsorted_file_gives_the_same_answers_as_a_sorted_one() {
    let wd = Workdir::new();
    let sorted = wd.path("sorted.osm.pbf");
    let unsorted = wd.path("unsorted.osm.pbf");
    let elements = sample_elements();
    let small = |sorted| WriterOptions {
        sorted,
        block_size: 5,
        ..Default::default()
    };
    camcount::fixtures::write_elements(&elements, &sorted, small(true)).unwrap();
    camcount::fixtures::write_elements(&reversed(&elements), &unsorted, small(false)).unwrap();
    for command in [
        &["cameras"][..],
        &["boundaries"][..],
        &[][..],
        &["--format", "md"][..],
    ] {
        let run = |input: &std::path::Path| {
            let mut args: Vec<&OsStr> = command.iter().map(OsStr::new).collect();
            args.extend([input.as_os_str(), OsStr::new("-q")]);
            stdout_of(&args)
        };
        let expected = run(&sorted);
        let got = run(&unsorted);
        // The md report names its input file.
        assert_eq!(
            got.replace("unsorted.osm.pbf", "sorted.osm.pbf"),
            expected,
            "{command:?}"
        );
    }
}
