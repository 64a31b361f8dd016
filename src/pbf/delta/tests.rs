//! The delta decoders held to each other and to the checked reader: the
//! portable ones, and the vector ones where this CPU runs them.
//!
//! Why a file of its own: the agreement tests span both decoders and
//! the dispatch, and outweigh the dispatch code itself.
//!
//! In: hand-built and seeded columns, damaged ones among them. Out:
//! panics on any disagreement.

use std::fmt;

use super::*;
use crate::pbf::wire::{
    count_varints, put_packed_delta, put_varint, unzigzag, zigzag, Fields, Packed, WireError,
};

#[test]
fn delta_decoding_rejects_overflow() {
    let mut buf = Vec::new();
    put_varint(&mut buf, unzigzag(i64::MAX));
    put_varint(&mut buf, unzigzag(1));
    let mut out = Vec::new();
    assert!(decode_delta_sint64(&buf, &mut out).is_err());
}

#[test]
fn fast_delta_decoding_agrees_with_the_checked_reader() {
    // Deltas of every varint length, from 1 to 10 bytes, in a mixed run
    // longer than the 8-byte window, so both paths and the tail are used.
    let mut values = Vec::new();
    let mut acc = 0i64;
    for shift in (0..62).chain((0..62).rev()) {
        let delta = (1i64 << shift) + shift;
        let delta = if shift % 3 == 0 { -delta } else { delta };
        acc = acc.wrapping_add(delta);
        values.push(acc);
        values.push(acc);
    }
    let mut buf = Vec::new();
    let mut previous = 0i64;
    for &v in &values {
        put_varint(&mut buf, unzigzag(v.wrapping_sub(previous)));
        previous = v;
    }
    let mut expected = Vec::new();
    let mut running = 0i64;
    for delta in Packed::new(&buf) {
        running = running.wrapping_add(zigzag(delta.unwrap()));
        expected.push(running);
    }
    let mut out = Vec::new();
    decode_delta_sint64(&buf, &mut out).unwrap();
    assert_eq!(out, expected);
}

#[test]
fn a_decoded_prefix_is_the_start_of_the_whole() {
    let values: Vec<i64> = (0..100)
        .map(|i| (i * i * 1_000_003) % 70_000 - 30_000)
        .collect();
    let mut buf = Vec::new();
    put_packed_delta(&mut buf, 8, &values);
    let (_, value) = Fields::new(&buf).next().unwrap().unwrap();
    let column = value.bytes().unwrap();
    assert_eq!(count_varints(column), 100);
    for cut in 0..column.len() {
        let ends = column[..cut].iter().filter(|&&b| b < 0x80).count();
        assert_eq!(count_varints(&column[..cut]), ends, "cut {cut}");
    }
    for (name, decode) in pair_decoders() {
        for limit in [0, 1, 7, 8, 9, 50, 99, 100] {
            let (mut a, mut b) = (vec![-1; limit], vec![-1; limit]);
            decode((column, column), (&mut a, &mut b)).unwrap();
            assert_eq!(a, values[..limit], "{name}, limit {limit}");
            assert_eq!(b, values[..limit], "{name}, limit {limit}");
        }
        let mut past_the_end = (vec![0; 101], vec![0; 101]);
        let (a, b) = (&mut past_the_end.0, &mut past_the_end.1);
        assert!(decode((column, column), (a, b)).is_err(), "{name}");
    }
}

#[test]
fn rising_is_judged_on_every_path_of_the_decoder() {
    // A long rising run of one-byte deltas (the eight-byte path), then
    // longer deltas (the general word path), then the tail; one
    // stumble planted at each place in turn must be seen, and a first
    // value of any sign must not count as one.
    let mut rising: Vec<i64> = (0..40).map(|i| -5 + i).collect();
    let mut last = *rising.last().unwrap();
    for i in 0..40 {
        last += 1 + (i % 7) * 300;
        rising.push(last);
    }
    for (name, decode_into) in into_decoders() {
        let decode = |values: &[i64]| {
            let column = match values {
                [] => Vec::new(),
                _ => delta_column(values),
            };
            let mut slots = vec![0; delta_room(&column)];
            let decoded = decode_into(&column, &mut slots).unwrap();
            assert_eq!(&slots[..decoded.count], values, "{name}");
            decoded.rising
        };
        assert!(decode(&rising), "{name}");
        assert!(decode(&[-9]) && decode(&[]) && decode(&[7, 8]), "{name}");
        for at in 1..rising.len() {
            for stumble in [0, -1, -1000] {
                let mut values = rising.clone();
                values[at] = values[at - 1] + stumble;
                assert!(!decode(&values), "{name}: stumble {stumble} at {at}");
            }
        }
    }
}

type IntoDecoder = fn(&[u8], &mut [i64]) -> Result<Decoded, WireError>;

/// Every single-column decoder this CPU runs, named.
fn into_decoders() -> Vec<(&'static str, IntoDecoder)> {
    decoders(decode_delta_into_scalar, decode_delta_into)
}

#[test]
fn the_id_decoders_agree_on_hard_and_damaged_columns() {
    let decoders = into_decoders();
    let mut columns = hard_columns();
    // Ids: runs of one-byte deltas longer than a 16-byte step, with a
    // zero, a fall or a two-byte gap planted at each place in turn.
    for at in (1..60).step_by(3) {
        for stumble in [0, -1, 70, 1] {
            let mut deltas = vec![5_000_000_000, 1, 2, 3];
            deltas.extend((0..56).map(|k| 1 + k % 30));
            deltas[at] = stumble;
            columns.push(column_of_deltas(&deltas));
        }
    }
    // Sixteen-delta steps that carry the sum past 2^62.
    let near_the_edge: Vec<i64> = std::iter::once((1 << 62) - 40).chain([2; 60]).collect();
    columns.push(column_of_deltas(&near_the_edge));
    let mut compared = 0;
    for (k, column) in columns.iter().enumerate() {
        for cut in [0, 1, 2, 5, 17] {
            let column = &column[..column.len().saturating_sub(cut)];
            let outcomes: Vec<_> = decoders
                .iter()
                .map(|(_, decode)| {
                    let mut slots = vec![0; delta_room(column)];
                    let decoded = decode(column, &mut slots)?;
                    slots.truncate(decoded.count);
                    Ok::<_, WireError>((decoded, slots))
                })
                .collect();
            let names: Vec<_> = decoders.iter().map(|(name, _)| *name).collect();
            compared += assert_agree(&names, &outcomes, &format!("column {k}, cut {cut}"));
        }
    }
    assert!(compared > 0 || decoders.len() == 1);
}

#[test]
fn fast_delta_decoding_reports_a_truncated_varint() {
    let mut buf = vec![0x02; 9];
    buf.extend([0x80, 0x80]);
    let overlong = [0xffu8; 12];
    for (name, decode) in into_decoders() {
        for bad in [&buf[..], &overlong] {
            let mut slots = vec![0; delta_room(bad)];
            assert!(decode(bad, &mut slots).is_err(), "{name}");
        }
    }
}

#[test]
fn packed_delta_round_trips() {
    let values = [5i64, 3, 1000, -7, -7];
    let mut buf = Vec::new();
    put_packed_delta(&mut buf, 8, &values);
    let (field, value) = Fields::new(&buf).next().unwrap().unwrap();
    assert_eq!(field, 8);
    let mut out = Vec::new();
    decode_delta_sint64(value.bytes().unwrap(), &mut out).unwrap();
    assert_eq!(out, values);
}

/// A delta-coded column of `values` (the bytes of its packed field).
fn delta_column(values: &[i64]) -> Vec<u8> {
    let mut buf = Vec::new();
    put_packed_delta(&mut buf, 8, values);
    let (_, value) = Fields::new(&buf).next().unwrap().unwrap();
    value.bytes().unwrap().to_vec()
}

/// Values whose deltas take 1 to 10 bytes, mostly 2 or 3, seeded.
fn mixed_values(seed: u64, len: usize) -> Vec<i64> {
    let mut state = seed;
    let mut value = 0i64;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let bits = [6, 13, 13, 20, 20, 27, 34, 45, 58, 61][(state >> 60) as usize % 10];
            let step = ((state >> 3) & ((1 << bits) - 1)) as i64;
            value = (value + if state & 4 == 0 { step } else { -step }).clamp(-(1 << 61), 1 << 61);
            value
        })
        .collect()
}

type PairDecoder = fn((&[u8], &[u8]), (&mut [i64], &mut [i64])) -> Result<(), WireError>;

/// Every pair decoder this CPU runs, named.
fn pair_decoders() -> Vec<(&'static str, PairDecoder)> {
    decoders(decode_delta_pair_scalar, decode_delta_pair)
}

/// The portable decoder of a kind, and the dispatching one when it
/// runs the vector decoder (x86-64 with SSSE3 to SSE4.2).
fn decoders<D>(scalar: D, dispatching: D) -> Vec<(&'static str, D)> {
    let mut all = vec![("scalar", scalar)];
    #[cfg(target_arch = "x86_64")]
    if super::ssse3::Ssse3::detect().is_some() {
        all.push(("ssse3", dispatching));
    }
    #[cfg(not(target_arch = "x86_64"))]
    drop(dispatching);
    all
}

/// Panics unless each decoder's outcome matches the portable one's
/// (first): the same values, or an error for both. Returns how many
/// outcomes were compared.
fn assert_agree<T: PartialEq + fmt::Debug>(
    names: &[&str],
    outcomes: &[Result<T, WireError>],
    case: &str,
) -> usize {
    let first = &outcomes[0];
    for (name, this) in names.iter().zip(outcomes).skip(1) {
        let same = match (first, this) {
            (Ok(expected), Ok(got)) => expected == got,
            (Err(_), Err(_)) => true,
            _ => false,
        };
        assert!(same, "{name} vs scalar, {case}: {first:?} {this:?}");
    }
    outcomes.len() - 1
}

#[test]
fn a_pair_of_columns_decodes_as_each_column_alone() {
    for (name, decode) in pair_decoders() {
        for seed in 0..40 {
            let (lats, lons) = (mixed_values(seed, 61), mixed_values(seed + 1000, 61));
            let (a, b) = (delta_column(&lats), delta_column(&lons));
            for n in 0..=61 {
                let (mut out_a, mut out_b) = (vec![7; n], vec![8; n]);
                decode((&a, &b), (&mut out_a, &mut out_b)).unwrap();
                assert_eq!(out_a, lats[..n], "{name}, seed {seed}, n {n}");
                assert_eq!(out_b, lons[..n], "{name}, seed {seed}, n {n}");
            }
        }
    }
}

/// A column of raw zigzag deltas, the first one absolute, as a writer
/// that let the running sum overflow would write it.
fn column_of_deltas(deltas: &[i64]) -> Vec<u8> {
    let mut column = Vec::new();
    for &delta in deltas {
        put_varint(&mut column, unzigzag(delta));
    }
    column
}

/// Columns that hit every path of both decoders: long runs of one
/// byte deltas, deltas of 1 to 10 bytes, sums near 2^62 and past
/// `i64::MAX`, overlong varints, and the end of the column.
fn hard_columns() -> Vec<Vec<u8>> {
    let mut columns = Vec::new();
    for seed in 0..24 {
        columns.push(delta_column(&mixed_values(seed, 90)));
    }
    columns.push(column_of_deltas(&[1; 70]));
    columns.push(column_of_deltas(&[-1; 70]));
    let near = |first: i64, step: i64| {
        column_of_deltas(&std::iter::once(first).chain([step; 60]).collect::<Vec<_>>())
    };
    for first in [
        (1 << 62) - 10,
        -(1 << 62) + 10,
        i64::MAX - 20,
        i64::MIN + 20,
    ] {
        for step in [1, -1, (1 << 27) - 1, -(1 << 27), 1 << 40] {
            columns.push(near(first, step));
        }
    }
    // A zero written in five bytes, and a varint of eleven.
    let mut overlong = column_of_deltas(&[3; 20]);
    overlong.extend([0x80, 0x80, 0x80, 0x80, 0x00]);
    overlong.extend(column_of_deltas(&[5; 20]));
    columns.push(overlong.clone());
    overlong.extend([0xff; 11]);
    columns.push(overlong);
    columns
}

#[test]
fn the_pair_decoders_agree_on_hard_and_damaged_columns() {
    let decoders = pair_decoders();
    let columns = hard_columns();
    let mut compared = 0;
    for (k, a) in columns.iter().enumerate() {
        let b = &columns[(k * 7 + 3) % columns.len()];
        for cut in [0, 1, 2, 5, 17] {
            let a = &a[..a.len().saturating_sub(cut)];
            let most = count_varints(a).max(count_varints(b)) + 1;
            for n in (0..=most).step_by(3).chain([most - 1, most]) {
                let outcomes: Vec<_> = decoders
                    .iter()
                    .map(|(_, decode)| {
                        let (mut out_a, mut out_b) = (vec![0; n], vec![0; n]);
                        decode((a, b), (&mut out_a, &mut out_b)).map(|()| (out_a, out_b))
                    })
                    .collect();
                let names: Vec<_> = decoders.iter().map(|(name, _)| *name).collect();
                let case = format!("column {k}, cut {cut}, n {n}");
                compared += assert_agree(&names, &outcomes, &case);
            }
        }
    }
    // On a CPU without the vector decoder there is nothing to compare.
    assert!(compared > 0 || decoders.len() == 1);
}

#[test]
fn deltas_at_the_edge_of_four_bytes_decode_exactly() {
    // Zigzagged, ±(2^27 - 1) and -2^27 take four bytes and go through
    // the two-at-once path; 2^27 takes five and goes the long way.
    let edges = [
        0,
        1,
        -1,
        63,
        -64,
        64,
        (1 << 27) - 1,
        -((1 << 27) - 1),
        -(1 << 27),
        1 << 27,
    ];
    for &first in &edges {
        for &second in &edges {
            let deltas = [first, second, second, first, -first, -second];
            let values: Vec<i64> = deltas
                .iter()
                .scan(0, |sum, d| {
                    *sum += d;
                    Some(*sum)
                })
                .collect();
            let column = delta_column(&values);
            for (name, decode) in pair_decoders() {
                let (mut a, mut b) = (vec![0; 6], vec![0; 6]);
                decode((&column, &column), (&mut a, &mut b)).unwrap();
                assert_eq!(a, values, "{name}: deltas {first}, {second}");
                assert_eq!(b, values, "{name}: deltas {first}, {second}");
            }
        }
    }
}

#[test]
fn a_pair_of_columns_reports_a_short_truncated_or_overflowing_column() {
    let values = mixed_values(3, 20);
    let (whole, shorter) = (delta_column(&values), delta_column(&values[..19]));
    for (name, decode) in pair_decoders() {
        let run = |a: &[u8], b: &[u8], n| decode((a, b), (&mut vec![0; n], &mut vec![0; n]));
        assert!(run(&whole, &whole, 20).is_ok(), "{name}");
        assert!(run(&whole, &shorter, 20).is_err(), "{name}");
        assert!(run(&shorter, &whole, 20).is_err(), "{name}");
        assert!(
            run(&whole, &whole[..whole.len() - 1], 20).is_err(),
            "{name}"
        );
        let overflowing = delta_column(&[i64::MAX - 1, i64::MIN]);
        let fine = delta_column(&[1, 2]);
        assert!(run(&fine, &overflowing, 2).is_err(), "{name}");
    }
}
