//! The block decoder's tests: blocks built by our writer or by hand, read
//! back through every view (dense columns, the visitor, the way walk, tags
//! and metadata), damaged ones among them.
//!
//! Why one file for the folder: most tests build a block and cross two or
//! more of its parts (a dense column and its tags, a way and its span), so
//! they belong to no one file; `raw_block` is shared with the scan's tests.
//!
//! In: fixtures built in code. Out: panics on any wrong value or missed
//! error.

use super::elements::parse_way;
use super::*;
use crate::pbf::blob::BlobReader;
use crate::pbf::writer::{Compression, PbfWriter, WriterOptions};
use crate::pbf::OsmNode;

/// The inflated block of a file of `count` nodes, ids from `first_id`.
fn node_block(first_id: i64, count: i64) -> Vec<u8> {
    let options = WriterOptions {
        compression: Compression::None,
        ..WriterOptions::default()
    };
    let mut writer = PbfWriter::new(Vec::new(), options).unwrap();
    for i in 0..count {
        let node = OsmNode {
            id: first_id + i,
            lon: 7.0 + i as f64 * 1e-3,
            lat: 43.0 - i as f64 * 1e-3,
            tags: vec![],
            meta: None,
        };
        writer.node(&node).unwrap();
    }
    let file = writer.finish().unwrap();
    let mut blobs = BlobReader::new(file.as_slice());
    blobs.next_blob().unwrap();
    let mut bytes = Vec::new();
    let blob = blobs.next_blob().unwrap().unwrap();
    blob.decompress(&mut bytes).unwrap();
    bytes
}

/// Counts the ways it is handed, and wants nothing else.
struct WayCounter(usize);

impl<'a> ElementVisitor<'a> for WayCounter {
    fn wants(&self) -> Wants {
        Wants {
            nodes: false,
            ways: true,
            relations: false,
        }
    }
    fn way(&mut self, _way: &Way<'a>) -> Result<(), WireError> {
        self.0 += 1;
        Ok(())
    }
}

#[test]
fn a_visit_reports_the_span_of_every_type_even_those_it_skips() {
    use crate::pbf::wire::{put_bytes, put_uint};
    // One block, as a careless writer might make it: a node group, a
    // group of two ways, a relation group.
    let message = |id: u64| {
        let mut element = Vec::new();
        put_uint(&mut element, 1, id);
        element
    };
    let group = |field: u32, ids: &[u64]| {
        let mut group = Vec::new();
        for &id in ids {
            put_bytes(&mut group, field, &message(id));
        }
        group
    };
    let mut bytes = Vec::new();
    put_bytes(&mut bytes, 1, &[]);
    put_bytes(&mut bytes, 2, &group(1, &[2]));
    put_bytes(&mut bytes, 2, &group(3, &[4, 6]));
    put_bytes(&mut bytes, 2, &group(4, &[8]));
    let block = PrimitiveBlock::parse(&bytes).unwrap();
    let mut ways = WayCounter(0);
    let span = block.visit(&mut ways).unwrap();
    assert_eq!(ways.0, 2);
    assert_eq!(span, Some((ElementType::Node, ElementType::Relation)));
    assert_eq!(span, block.type_span().unwrap());
}

#[test]
fn the_way_walk_sees_what_the_general_visit_sees_or_stands_aside() {
    use crate::pbf::wire::{put_bytes, put_packed_delta, put_uint};
    let way = |id: u64| {
        let mut message = Vec::new();
        put_uint(&mut message, 1, id);
        put_packed_delta(&mut message, 8, &[5, 6, 5]);
        message
    };
    let group = |field: u32, ids: &[u64]| {
        let mut group = Vec::new();
        ids.iter()
            .for_each(|&id| put_bytes(&mut group, field, &way(id)));
        group
    };
    let walk = |bytes: &[u8]| {
        let block = PrimitiveBlock::parse(bytes).unwrap();
        let mut ids = Vec::new();
        let whole = block.for_each_way(|way| {
            ids.push(way.id);
            Ok(())
        });
        (whole, ids)
    };
    // Ways in two groups, ids of one to five bytes: all seen, in order.
    let ids = [1, 300, 70_000, 20_000_000, 1_300_000_000];
    let mut groups = Vec::new();
    put_bytes(&mut groups, 2, &group(3, &ids[..2]));
    put_bytes(&mut groups, 2, &group(3, &ids[2..]));
    let mut bytes = Vec::new();
    put_bytes(&mut bytes, 1, &[]);
    bytes.extend_from_slice(&groups);
    let (whole, seen) = walk(&bytes);
    assert!(whole.unwrap());
    assert_eq!(seen, ids.map(|id| id as i64));
    let mut counter = WayCounter(0);
    PrimitiveBlock::parse(&bytes)
        .unwrap()
        .visit(&mut counter)
        .unwrap();
    assert_eq!(counter.0, ids.len());

    // A relation after the ways: the walk stops there and says so.
    put_bytes(&mut bytes, 2, &group(4, &[9]));
    assert_eq!(walk(&bytes).0, Ok(false));
    // A way under a key spelt in two bytes (field 3, length-delimited,
    // as the varint 0x9a 0x00): legal, left to the general visit.
    let mut odd = Vec::new();
    odd.extend_from_slice(&[0x9a, 0x00]);
    let message = way(4);
    odd.push(message.len() as u8);
    odd.extend_from_slice(&message);
    let odd = raw_block(&[""], &odd);
    assert_eq!(walk(&odd).0, Ok(false));
    let mut counter = WayCounter(0);
    PrimitiveBlock::parse(&odd)
        .unwrap()
        .visit(&mut counter)
        .unwrap();
    assert_eq!(counter.0, 1);
    // A way whose length runs past its group is an error.
    let mut cut = group(3, &[7]);
    cut.truncate(cut.len() - 1);
    assert!(walk(&raw_block(&[""], &cut)).0.is_err());
    // No groups: nothing to see, nothing refused.
    assert_eq!(walk(&raw_block(&[""], &[])), (Ok(true), vec![]));
}

#[test]
fn reused_columns_hold_only_the_current_block() {
    let (big, small) = (node_block(100, 50), node_block(1000, 3));
    let mut columns = DenseColumns::default();
    let block = PrimitiveBlock::parse(&big).unwrap();
    let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
    block.dense_coords(&nodes, &mut columns, 50).unwrap();
    assert_eq!(columns.ids().len(), 50);

    let block = PrimitiveBlock::parse(&small).unwrap();
    let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
    assert_eq!(columns.ids(), [1000, 1001, 1002]);
    assert_eq!(columns.id_summary().count, 3);
    block.dense_coords(&nodes, &mut columns, 2).unwrap();
    let (lon, lat) = block.dense_position(&columns, 1);
    assert!((lon - 7.001).abs() < 1e-9 && (lat - 42.999).abs() < 1e-9);
    let past_prefix = std::panic::catch_unwind(|| block.dense_position(&columns, 2));
    assert!(
        past_prefix.is_err(),
        "entry 2 was not decoded for this block"
    );
}

#[test]
fn ids_must_rise_across_dense_messages_too() {
    use crate::pbf::wire::{put_bytes, put_packed_delta};
    let block_of = |messages: &[&[i64]]| {
        let mut group = Vec::new();
        for ids in messages {
            let mut dense = Vec::new();
            put_packed_delta(&mut dense, 1, ids);
            put_packed_delta(&mut dense, 8, &vec![0; ids.len()]);
            put_packed_delta(&mut dense, 9, &vec![0; ids.len()]);
            put_bytes(&mut group, 2, &dense);
        }
        raw_block(&[""], &group)
    };
    assert!(DenseColumns::default().id_summary().rising);
    let rising = |messages: &[&[i64]]| {
        let bytes = block_of(messages);
        let block = PrimitiveBlock::parse(&bytes).unwrap();
        let mut columns = DenseColumns::default();
        block.dense_ids(&mut columns).unwrap().unwrap();
        columns.id_summary().rising
    };
    assert!(rising(&[&[1, 2], &[], &[3, 9]]));
    assert!(!rising(&[&[1, 5], &[], &[5, 9]]));
    assert!(!rising(&[&[1, 5], &[4]]));
    assert!(!rising(&[&[1, 5, 3], &[6]]));
}

#[test]
fn a_way_id_is_read_first_or_later_in_its_message() {
    use crate::pbf::wire::{put_packed, put_packed_delta, put_uint};
    let mut id_first = Vec::new();
    put_uint(&mut id_first, 1, 300);
    put_packed(&mut id_first, 2, [1]);
    put_packed(&mut id_first, 3, [2]);
    put_packed_delta(&mut id_first, 8, &[7, 9]);
    let mut id_later = Vec::new();
    put_packed(&mut id_later, 2, [1]);
    put_uint(&mut id_later, 1, 300);
    put_packed_delta(&mut id_later, 8, &[7, 9]);
    for bytes in [&id_first, &id_later] {
        let way = parse_way(bytes, 3).unwrap();
        assert_eq!(way.id, 300);
        let mut refs = Vec::new();
        way.refs(&mut refs).unwrap();
        assert_eq!(refs, [7, 9]);
    }
    // An id cut short is an error, not a wrong id.
    assert!(parse_way(&id_first[..2], 3).is_err());
}

#[test]
fn has_value_in_looks_at_values_not_keys() {
    use crate::pbf::wire::put_varint;
    let packed = |values: &[u64]| {
        let mut out = Vec::new();
        values.iter().for_each(|&v| put_varint(&mut out, v));
        out
    };
    // Keys 3 and 200 (two bytes); values 5 and 300 (two bytes).
    let (keys, vals) = (packed(&[3, 200]), packed(&[5, 300]));
    let tags = Tags::parallel(&keys, &vals, 400);
    assert!(tags.has_value_in(&[5]).unwrap());
    assert!(tags.has_value_in(&[1, 300]).unwrap());
    assert!(
        !tags.has_value_in(&[3, 200]).unwrap(),
        "keys are not values"
    );
    assert!(!tags.has_value_in(&[]).unwrap());
    // Interleaved (dense) tags: key, value, key, value.
    let interleaved = packed(&[3, 5, 200, 300]);
    let dense = Tags {
        keys: &interleaved,
        vals: &[],
        interleaved: true,
        table_len: 400,
    };
    assert!(dense.has_value_in(&[300]).unwrap());
    assert!(!dense.has_value_in(&[200]).unwrap());
    let truncated = [0x80];
    let broken = Tags::parallel(&keys, &truncated, 400);
    assert!(broken.has_value_in(&[7]).is_err());
}

/// The bytes of a block whose string table is `strings` and whose one
/// group is `group` (a PrimitiveGroup's bytes).
pub(crate) fn raw_block(strings: &[&str], group: &[u8]) -> Vec<u8> {
    use crate::pbf::wire::put_bytes;
    let mut table = Vec::new();
    for string in strings {
        put_bytes(&mut table, 1, string.as_bytes());
    }
    let mut block = Vec::new();
    put_bytes(&mut block, 1, &table);
    put_bytes(&mut block, 2, group);
    block
}

#[test]
fn a_tag_is_found_under_every_copy_of_its_strings() {
    use crate::pbf::wire::{put_bytes, put_packed, put_packed_delta};
    let strings = [
        "",
        "man_made",
        "surveillance",
        "name",
        "man_made",
        "surveillance",
    ];
    // Node 11 is untagged, 12 uses the second copies, 13 the first
    // (after another tag), 14 the first (before another tag); 15 has
    // the key and the value, but in two different tags.
    let mut dense = Vec::new();
    put_packed_delta(&mut dense, 1, &[11, 12, 13, 14, 15]);
    put_packed_delta(&mut dense, 8, &[0; 5]);
    put_packed_delta(&mut dense, 9, &[0; 5]);
    let keys_vals = [0, 4, 5, 0, 3, 2, 1, 2, 0, 1, 2, 3, 3, 0, 1, 3, 3, 2, 0];
    put_packed(&mut dense, 10, keys_vals);
    let mut group = Vec::new();
    put_bytes(&mut group, 2, &dense);
    let bytes = raw_block(&strings, &group);
    let block = PrimitiveBlock::parse(&bytes).unwrap();
    assert_eq!(block.find_tag(b"man_made", b"tower"), None);
    let tag = block.find_tag(b"man_made", b"surveillance").unwrap();
    assert_eq!(
        (tag.keys.as_slice(), tag.values.as_slice()),
        (&[1, 4][..], &[2, 5][..])
    );
    // A key that is also its value is found as both.
    let same = block.find_tag(b"name", b"name").unwrap();
    assert_eq!((same.keys, same.values), (vec![3], vec![3]));
    let mut columns = DenseColumns::default();
    let nodes = block.dense_ids(&mut columns).unwrap().unwrap();
    let tagged: Vec<usize> = block
        .dense_tagged(&nodes, &tag)
        .unwrap()
        .into_iter()
        .map(|(entry, _)| entry)
        .collect();
    assert_eq!(tagged, [1, 2, 3]);
}
