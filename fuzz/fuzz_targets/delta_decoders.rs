//! The delta decoders against each other: on any input, this CPU's
//! decoders (SSSE3 on x86-64) must give the values the portable ones give,
//! or fail where they fail. Input: a count (first byte, times 4), where
//! two columns split (second byte, as a fraction of the rest), then the
//! column bytes. The pair decoder takes both columns; the single-column
//! decoder (node ids) and the extent decoder (history timestamps) take the
//! whole rest, and the portable extent decoder must give the values the
//! portable single-column one gives.
#![no_main]

use camcount::pbf::delta::{
    decode_delta_extent, decode_delta_extent_scalar, decode_delta_into, decode_delta_into_scalar,
    decode_delta_pair, decode_delta_pair_scalar, delta_room, Extent,
};
use camcount::pbf::wire::WireError;
use libfuzzer_sys::fuzz_target;

type PairDecoder = fn((&[u8], &[u8]), (&mut [i64], &mut [i64])) -> Result<(), WireError>;
type IntoDecoder = fn(&[u8], &mut [i64]) -> Result<camcount::pbf::delta::Decoded, WireError>;
type ExtentDecoder = fn(&[u8], &mut [i64]) -> Result<Extent, WireError>;

fuzz_target!(|data: &[u8]| {
    let [count, split, columns @ ..] = data else {
        return;
    };
    let n = usize::from(*count) * 4;
    let (a, b) = columns.split_at(columns.len() * usize::from(*split) / 256);
    let pair = |decode: PairDecoder| {
        let (mut out_a, mut out_b) = (vec![0; n], vec![0; n]);
        decode((a, b), (&mut out_a, &mut out_b)).map(|()| (out_a, out_b))
    };
    match (pair(decode_delta_pair_scalar), pair(decode_delta_pair)) {
        (Ok(expected), Ok(got)) => assert_eq!(expected, got),
        (Err(_), Err(_)) => {}
        (expected, got) => panic!("pair: portable {expected:?}, this CPU's {got:?}"),
    }
    let single = |decode: IntoDecoder| {
        let mut slots = vec![0; delta_room(columns)];
        decode(columns, &mut slots).map(|decoded| {
            slots.truncate(decoded.count);
            (decoded, slots)
        })
    };
    match (single(decode_delta_into_scalar), single(decode_delta_into)) {
        (Ok(expected), Ok(got)) => assert_eq!(expected, got),
        (Err(_), Err(_)) => {}
        (expected, got) => panic!("single: portable {expected:?}, this CPU's {got:?}"),
    }
    let extent = |decode: ExtentDecoder| {
        let mut slots = vec![0; delta_room(columns)];
        decode(columns, &mut slots).map(|extent| {
            slots.truncate(extent.count);
            (extent, slots)
        })
    };
    let portable = extent(decode_delta_extent_scalar);
    match (&portable, extent(decode_delta_extent)) {
        (Ok(expected), Ok(got)) => assert_eq!(*expected, got),
        (Err(_), Err(_)) => {}
        (expected, got) => panic!("extent: portable {expected:?}, this CPU's {got:?}"),
    }
    match (single(decode_delta_into_scalar), portable) {
        (Ok((_, values)), Ok((extent, got))) => {
            assert_eq!(values, got);
            let range = values.iter().min().zip(values.iter().max());
            assert_eq!(extent.range, range.map(|(a, b)| (*a, *b)));
        }
        (Err(_), Err(_)) => {}
        (expected, got) => panic!("extent: single-column {expected:?}, extent {got:?}"),
    }
});
