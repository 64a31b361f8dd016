//! The coordinate decoders against each other: on any two columns and any
//! count, this CPU's pair decoder (SSSE3 on x86-64) must give the values
//! the portable one gives, or fail where it fails. Input: the count (first
//! byte, times 4), where the columns split (second byte, as a fraction of
//! the rest), then the column bytes.
#![no_main]

use camcount::pbf::wire::{decode_delta_pair, decode_delta_pair_scalar, WireError};
use libfuzzer_sys::fuzz_target;

type PairDecoder = fn((&[u8], &[u8]), (&mut [i64], &mut [i64])) -> Result<(), WireError>;

fuzz_target!(|data: &[u8]| {
    let [count, split, columns @ ..] = data else {
        return;
    };
    let n = usize::from(*count) * 4;
    let (a, b) = columns.split_at(columns.len() * usize::from(*split) / 256);
    let run = |decode: PairDecoder| {
        let (mut out_a, mut out_b) = (vec![0; n], vec![0; n]);
        decode((a, b), (&mut out_a, &mut out_b)).map(|()| (out_a, out_b))
    };
    match (run(decode_delta_pair_scalar), run(decode_delta_pair)) {
        (Ok(expected), Ok(got)) => assert_eq!(expected, got),
        (Err(_), Err(_)) => {}
        (expected, got) => panic!("portable {expected:?}, this CPU's {got:?}"),
    }
});
