//! Tests of the blob visitor: general and dense paths, order facts, and
//! boundary candidates under their strings.

use super::*;
use crate::candidates::BoundarySelector;
use crate::pbf::block::tests::raw_block;
use crate::pbf::wire::{put_bytes, put_packed, put_packed_delta, put_uint};
use crate::per_type::PerType;

/// A Relation message: `tags` as string indices, one way member.
fn relation(id: u64, tags: &[(u64, u64)], role: u64) -> Vec<u8> {
    let mut message = Vec::new();
    put_uint(&mut message, 1, id);
    put_packed(&mut message, 2, tags.iter().map(|t| t.0));
    put_packed(&mut message, 3, tags.iter().map(|t| t.1));
    put_packed(&mut message, 8, [role]);
    put_packed_delta(&mut message, 9, &[100]);
    put_packed(&mut message, 10, [1]);
    message
}

#[test]
fn a_block_of_ways_and_more_is_visited_once_the_general_way() {
    let way = |id: u64| {
        let mut message = Vec::new();
        put_uint(&mut message, 1, id);
        put_packed_delta(&mut message, 8, &[id as i64 * 10, id as i64 * 10 + 1]);
        message
    };
    let mut ways = Vec::new();
    for id in [10, 20, 30] {
        put_bytes(&mut ways, 3, &way(id));
    }
    let member_ways = [20];
    let wants = StageWants {
        camera_ways: true,
        member_ways: Some(&member_ways),
        counts: PerType::only(ElementType::Way),
        ..StageWants::default()
    };
    let visit = |bytes: &[u8]| {
        let block = PrimitiveBlock::parse(bytes).unwrap();
        let found = visit_block(&block, 7, &wants, &mut DenseColumns::default()).unwrap();
        (found, block.type_span().unwrap())
    };
    // Ways alone take the way walk; ways then a relation in the same
    // group take the general visit, after the walk has begun.
    let alone = raw_block(&[""], &ways);
    let mut mixed_group = ways.clone();
    put_bytes(&mut mixed_group, 4, &relation(40, &[], 0));
    let mixed = raw_block(&[""], &mixed_group);
    for bytes in [alone, mixed] {
        let (found, span) = visit(&bytes);
        assert_eq!(
            found.counts,
            PerType {
                nodes: 0,
                ways: 3,
                relations: 0
            }
        );
        let ways: Vec<(i64, &[i64])> = found.ways.iter().collect();
        assert_eq!(ways, [(20, &[200, 201][..])]);
        assert_eq!(found.order.len(), 1);
        let order = found.order[0];
        assert_eq!(order.span, span);
        assert_eq!(order.first, Some((ElementType::Way, 10)));
        assert_eq!(order.last, Some((ElementType::Way, 30)));
        assert!(order.sorted_within);
    }
}

#[test]
fn dense_ids_in_osmium_order_pass_and_repeats_are_counted() {
    assert_eq!(
        order_within(ElementType::Node, &[-1, -2, -9, 1, 4]),
        (true, 0)
    );
    assert_eq!(
        order_within(ElementType::Node, &[-1, -1, 2, 2, 2]),
        (true, 3)
    );
    assert_eq!(order_within(ElementType::Node, &[-2, -1, 3]), (false, 0));
    assert_eq!(order_within(ElementType::Node, &[1, -1]), (false, 0));
}

/// The start of a string table that can tag a commune: `type=boundary`
/// (1, 2), `boundary=administrative` (2, 3), `admin_level=8` (4, 5).
const COMMUNE_TAGS: [&str; 6] = ["", "type", "boundary", "administrative", "admin_level", "8"];

/// What the relation stage finds of commune candidates in a block of
/// `strings` and one group of elements.
fn communes_found(strings: &[&str], group: &[u8]) -> Findings {
    let bytes = raw_block(strings, group);
    let block = PrimitiveBlock::parse(&bytes).unwrap();
    let communes = BoundarySelector::communes();
    let wants = StageWants {
        boundaries: Some(&communes),
        ..StageWants::default()
    };
    visit_block(&block, 0, &wants, &mut DenseColumns::default()).unwrap()
}

#[test]
fn boundary_candidates_are_found_under_any_copy_of_their_strings() {
    let strings = [&COMMUNE_TAGS[..], &["6", "outer", "administrative"]].concat();
    let mut group = Vec::new();
    let first_copy = [(1, 2), (2, 3), (4, 5)];
    let second_copy = [(1, 2), (2, 8), (4, 5)];
    let other_level = [(1, 2), (2, 3), (4, 6)];
    // `boundary=outer`: no `administrative` value, passed over unread.
    let not_administrative = [(1, 2), (2, 7), (4, 5)];
    for (id, tags) in [
        (1, &first_copy),
        (2, &second_copy),
        (3, &other_level),
        (4, &not_administrative),
    ] {
        put_bytes(&mut group, 4, &relation(id, tags, 7));
    }
    let found = communes_found(&strings, &group);
    let ids: Vec<i64> = found.relations.iter().map(|r| r.id).collect();
    assert_eq!(ids, [1, 2]);
    assert_eq!(found.relations[1].members[0].role, "outer");
}

#[test]
fn a_candidate_keeps_only_the_tags_boundaries_read() {
    let strings = [
        &COMMUNE_TAGS[..],
        &["name", "Vaduz", "name:de", "wikidata", "Q1844"],
    ]
    .concat();
    let tags = [(1, 2), (2, 3), (4, 5), (8, 7), (6, 7), (9, 10)];
    let mut group = Vec::new();
    put_bytes(&mut group, 4, &relation(1, &tags, 0));
    let found = communes_found(&strings, &group);
    let kept: Vec<(&str, &str)> = found.relations[0]
        .tags
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        kept,
        [
            ("admin_level", "8"),
            ("name", "Vaduz"),
            ("wikidata", "Q1844")
        ]
    );
}

#[test]
fn the_way_id_walk_records_what_the_general_visit_records() {
    // Ways in every order the check must tell apart: rising, repeated,
    // falling, negative, ids past five varint bytes (2^35) and bodies
    // longer than one length byte.
    let sequences: [&[i64]; 5] = [
        &[3, 5, 9, 1 << 40],
        &[4, 4, 4, 8],
        &[9, 2, 10],
        &[-1, -3, 1, 2],
        &[-2, -1, 7],
    ];
    let way = |id: i64, refs: usize| {
        let mut message = Vec::new();
        put_uint(&mut message, 1, id as u64);
        let refs: Vec<i64> = (0..refs as i64).map(|k| id.abs() * 100 + k).collect();
        put_packed_delta(&mut message, 8, &refs);
        message
    };
    let watch_nothing = Watch::default();
    for ids in sequences {
        let mut group = Vec::new();
        for (k, &id) in ids.iter().enumerate() {
            put_bytes(&mut group, 3, &way(id, 1 + 60 * k));
        }
        let bytes = raw_block(&[""], &group);
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        let member_ways = [ids[1], 1 << 40];
        let visit = |watch: Option<&Watch>| {
            let wants = StageWants {
                camera_ways: true,
                member_ways: Some(&member_ways),
                counts: PerType::only(ElementType::Way),
                // An empty watch changes no finding, but asks the visitor
                // for every way's copy: the general walk.
                watch,
                ..StageWants::default()
            };
            visit_block(&block, 3, &wants, &mut DenseColumns::default()).unwrap()
        };
        let (walked, general) = (visit(None), visit(Some(&watch_nothing)));
        assert_eq!(walked.order, general.order, "{ids:?}");
        assert_eq!(walked.counts, general.counts, "{ids:?}");
        let lists = |f: &Findings| -> Vec<(i64, Vec<i64>)> {
            f.ways
                .iter()
                .map(|(id, refs)| (id, refs.to_vec()))
                .collect()
        };
        assert_eq!(lists(&walked), lists(&general), "{ids:?}");
        assert!(!lists(&walked).is_empty(), "{ids:?}");
    }
    // A way whose length runs past its group, and one whose id is cut
    // short: the same error either way.
    for tail in [&[0x1a, 0x50][..], &[0x1a, 0x03, 0x08, 0x80, 0x80][..]] {
        let mut group = Vec::new();
        put_bytes(&mut group, 3, &way(5, 3));
        group.extend_from_slice(tail);
        let bytes = raw_block(&[""], &group);
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        let visit = |watch: Option<&Watch>| {
            let wants = StageWants {
                counts: PerType::only(ElementType::Way),
                watch,
                ..StageWants::default()
            };
            let found = visit_block(&block, 0, &wants, &mut DenseColumns::default());
            found.map(|_| ()).map_err(|e| e.to_string())
        };
        let walked = visit(None);
        assert!(walked.is_err(), "{tail:?}");
        assert_eq!(walked, visit(Some(&watch_nothing)), "{tail:?}");
    }
}
