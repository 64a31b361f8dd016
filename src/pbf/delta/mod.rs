//! The delta-coded columns of a block: node ids, coordinates, way refs,
//! the locations on ways and history timestamps, each a packed sint64
//! field whose values are the running sum of its varints.
//!
//! Why a module of their own: these loops run over every node of a
//! country, so they have a portable decoder made for speed (`scalar`)
//! and a vector one for x86-64 ([`ssse3`]) that must agree with it on
//! every input. This file picks one per CPU; the tests hold them to each
//! other.
//!
//! In: the bytes of packed, delta-coded sint64 fields. Out: their values
//! (into a vector or caller-kept slots), whether ids rise, or a
//! [`WireError`].

mod extent;
mod scalar;
#[cfg(target_arch = "x86_64")]
pub mod ssse3;
#[cfg(test)]
mod tests;

pub use extent::{decode_delta_extent, decode_delta_extent_scalar, Extent};
pub use scalar::{decode_delta_into_scalar, decode_delta_pair_scalar};

use crate::pbf::wire::WireError;

/// Decodes a packed, delta-coded, zigzag sint64 field (ids, coordinates,
/// way node references) into absolute values appended to `out`, rejecting
/// overflow.
///
/// Why not [`Packed`](crate::pbf::wire::Packed): this loop runs over every
/// node of a country, and a byte-by-byte reader pays a bounds check and a
/// branch per byte and an overflow check per value. The portable path ([`decode_delta_into_scalar`])
/// loads 8 bytes at once, cuts out every varint that ends inside them with
/// bit tricks (eight one-byte varints, the usual id delta, in one straight
/// run), and checks the running sum once per word; varints running past 8
/// bytes and the last bytes take the checked byte-by-byte path. On x86-64
/// with SSSE3, [`ssse3`] takes four varints a step, or sixteen
/// one-byte ones.
pub fn decode_delta_sint64(buf: &[u8], out: &mut Vec<i64>) -> Result<(), WireError> {
    let start = out.len();
    out.resize(start + delta_room(buf), 0);
    let decoded = decode_delta_into(buf, &mut out[start..]);
    out.truncate(start + decoded.as_ref().map_or(0, |d| d.count));
    decoded.map(|_| ())
}

/// The slots [`decode_delta_into`] needs for `buf`: every varint takes at
/// least one byte, so `buf.len()` values at most.
pub fn delta_room(buf: &[u8]) -> usize {
    buf.len()
}

/// Like [`decode_delta_sint64`], but into `slots`, which must hold
/// [`delta_room`] values. For callers that keep their buffers from block to
/// block: writing into a slice, not pushing, keeps a vector's length out of
/// the loop's dependency chain, and the slots need no zeroing first.
///
/// On x86-64 CPUs with SSSE3 to SSE4.2, [`ssse3`] decodes;
/// elsewhere [`decode_delta_into_scalar`] does, with the same results.
pub fn decode_delta_into(buf: &[u8], slots: &mut [i64]) -> Result<Decoded, WireError> {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = ssse3::Ssse3::detect() {
        return simd.decode_delta_into(buf, slots);
    }
    decode_delta_into_scalar(buf, slots)
}

/// What [`decode_delta_into`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    /// How many values.
    pub count: usize,
    /// True when each value is above the one before (every delta after the
    /// first is positive): ids in a sorted file. Found while decoding, at
    /// the cost of a mask per word, where a second pass over the values
    /// would walk every id again (64-bit compares, emulated in SSE2).
    pub rising: bool,
}

/// Fills `out_a` and `out_b` (of one length, `n`) with the first `n`
/// values of two packed, delta-coded sint64 columns, such as a block's
/// latitudes and longitudes; errors as [`decode_delta_sint64`] does, and
/// when a column holds fewer than `n` values.
///
/// On x86-64 CPUs with SSSE3 to SSE4.2, [`ssse3`] decodes
/// four varints per step; elsewhere [`decode_delta_pair_scalar`] does.
/// Both give the same values and fail on the same input (when both
/// columns are damaged, the message may name another problem).
pub fn decode_delta_pair(
    columns: (&[u8], &[u8]),
    slots: (&mut [i64], &mut [i64]),
) -> Result<(), WireError> {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = ssse3::Ssse3::detect() {
        return simd.decode_delta_pair(columns, slots);
    }
    decode_delta_pair_scalar(columns, slots)
}

/// Which delta decoders this CPU runs, for `-v` and bug reports: the
/// vector ones ([`ssse3`]) or the portable ones.
pub fn delta_decoders() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if ssse3::Ssse3::detect().is_some() {
        return "SSSE3 to SSE4.2";
    }
    "portable"
}
