//! Tests of the scan driver: way centroids, the sort promise check, and
//! the signs and keeping of copies.

use super::copies::{ids_in_two_blobs, keep_latest, out_of_order, repeats};
use super::visit::{BlobOrder, Findings, Precedence};
use super::*;

#[test]
fn closed_square_centroid_is_its_middle() {
    let square = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)];
    assert_eq!(way_centroid(&square), Some((1.0, 1.0)));
}

#[test]
fn open_line_centroid_is_length_weighted() {
    let line = [(0.0, 0.0), (4.0, 0.0)];
    assert_eq!(way_centroid(&line), Some((2.0, 0.0)));
}

#[test]
fn out_of_order_blobs_break_the_sort_promise() {
    let blob = |position, first: i64, last: i64| BlobOrder {
        position,
        span: Some((ElementType::Node, ElementType::Node)),
        first: Some((ElementType::Node, first)),
        last: Some((ElementType::Node, last)),
        sorted_within: true,
        duplicates: 0,
    };
    let check = |blobs: &[BlobOrder]| out_of_order(blobs, ElementType::Node);
    assert_eq!(check(&[blob(0, 1, 5), blob(1, 6, 9)]), Ok(0));
    assert_eq!(check(&[blob(0, 1, 5), blob(1, 4, 9)]), Err(1));
    // The same id at the end of one blob and the start of the next: a
    // second copy of the object, counted with those inside the blobs.
    let mut twice = blob(1, 5, 9);
    twice.duplicates = 2;
    assert_eq!(check(&[blob(0, 1, 5), twice]), Ok(3));
}

// Issue: files with negative ids, as `osmium sort` writes them, were
// refused as out of order.
#[test]
fn negative_ids_come_first_by_absolute_value_as_osmium_sorts_them() {
    let blob = |position, first: i64, last: i64| BlobOrder {
        position,
        span: Some((ElementType::Way, ElementType::Way)),
        first: Some((ElementType::Way, first)),
        last: Some((ElementType::Way, last)),
        sorted_within: true,
        duplicates: 0,
    };
    let check = |blobs: &[BlobOrder]| out_of_order(blobs, ElementType::Way);
    assert_eq!(check(&[blob(0, -1, -7), blob(1, -8, 3)]), Ok(0));
    assert_eq!(check(&[blob(0, 0, -7), blob(1, 1, 3)]), Ok(0));
    assert_eq!(check(&[blob(0, -1, 2), blob(1, -3, 3)]), Err(1));
    assert_eq!(check(&[blob(0, 1, 2), blob(1, -3, -4)]), Err(1));
}

#[test]
fn a_kept_id_inside_two_blobs_ranges_is_a_sign_of_a_copy() {
    let camera = |id| Camera {
        osm_type: ElementType::Node,
        osm_id: id,
        position: None,
        tags: Default::default(),
        edit: Default::default(),
    };
    let found = Findings {
        cameras: vec![camera(5), camera(15), camera(30)],
        node_ranges: vec![(0, 1, 10), (1, 11, 20), (2, 4, 12), (3, 30, 30)],
        other_ranges: vec![(ElementType::Way, 4, 1, 100)],
        ..Findings::default()
    };
    // 5 lies in blobs 0 and 2; 15 in blob 1 alone; 30 in blob 3 alone
    // (the way blob's range is of another type).
    assert_eq!(ids_in_two_blobs(&found), 1);
}

#[test]
fn the_latest_copy_is_kept_whatever_the_order_read() {
    let at = |version, position, index| Precedence {
        version,
        position,
        index,
    };
    let items = vec![("a", 1), ("b", 2), ("a", 3), ("a", 4), ("b", 5)];
    let precedences = vec![
        at(2, 0, 0),
        at(1, 0, 1),
        at(1, 1, 0),
        at(2, 0, 5),
        at(1, 2, 0),
    ];
    let (kept, dropped) = keep_latest(items, precedences, |item| item.0);
    // "a": version 2 twice, the later one read wins; "b": a tie in
    // version, the later blob wins.
    let kept: Vec<_> = kept.into_iter().map(|(item, _)| item).collect();
    assert_eq!(kept, [("a", 4), ("b", 5)]);
    assert_eq!(dropped, 3);
    assert_eq!(repeats([1, 1, 2, 3, 3, 3].into_iter()), 3);
}
