//! [`decode_delta_extent`](crate::pbf::delta::decode_delta_extent) on
//! SSSE3 to SSE4.2: two varints of up to 5 bytes a step, each into a
//! 64-bit lane, with the least and greatest value kept in registers.
//!
//! Why: the history read decodes the timestamps of every dense block for
//! the file's time span, and a history file's timestamps jump by years
//! from one entry to the next, so nearly every delta takes 4 or 5 bytes:
//! too long for the 32-bit lanes of the coordinate step. The word-at-a-time
//! decoder spends about thirty operations a varint; here a step's two
//! varints share one load, one shuffle and the joining of their 7-bit
//! groups, and the running sum, least and greatest never leave a register.
//!
//! In: the bytes of a packed, delta-coded sint64 field, slots for its
//! values. Out: the values and their [`Extent`], exactly as the portable
//! decoder gives them, errors included.

use std::arch::x86_64::{
    __m128i, _mm_add_epi64, _mm_and_si128, _mm_blendv_epi8, _mm_cmpgt_epi64, _mm_cvtsi128_si64,
    _mm_extract_epi64, _mm_madd_epi16, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi16,
    _mm_set1_epi32, _mm_set1_epi64x, _mm_setzero_si128, _mm_shuffle_epi32, _mm_shuffle_epi8,
    _mm_slli_epi64, _mm_slli_si128, _mm_srli_epi16, _mm_srli_epi64, _mm_sub_epi64, _mm_xor_si128,
};

use super::{checked_step, store_pair, vector};
use crate::pbf::delta::Extent;
use crate::pbf::wire::WireError;

/// The longest varint a vector step takes: 5 bytes hold 35 bits, a delta
/// of less than 2^34 either way (every timestamp delta, in seconds, of
/// the next five centuries).
const LONGEST: usize = 5;

/// For each pair of lengths `(a, b)`, at `(a - 1) * LONGEST + b - 1`: the
/// shuffle that puts the first `a` bytes of a window into the low 64-bit
/// lane and the next `b` into the high one, low byte first; 0x80 writes a
/// zero.
const SHUFFLES: [[u8; 16]; LONGEST * LONGEST] = shuffles();

const fn shuffles() -> [[u8; 16]; LONGEST * LONGEST] {
    let mut table = [[0x80u8; 16]; LONGEST * LONGEST];
    let mut a = 1;
    while a <= LONGEST {
        let mut b = 1;
        while b <= LONGEST {
            let entry = (a - 1) * LONGEST + b - 1;
            let mut byte = 0;
            while byte < a {
                table[entry][byte] = byte as u8;
                byte += 1;
            }
            let mut byte = 0;
            while byte < b {
                table[entry][8 + byte] = (a + byte) as u8;
                byte += 1;
            }
            b += 1;
        }
        a += 1;
    }
    table
}

/// Decodes `buf` into `slots` (at least one per byte), with the least and
/// greatest value.
///
/// # Safety
/// Only on a CPU with SSSE3, SSE4.1 and SSE4.2 ([`super::Ssse3::detect`]).
#[target_feature(enable = "ssse3,sse4.1,sse4.2")]
pub(super) fn decode_extent(buf: &[u8], slots: &mut [i64]) -> Result<Extent, WireError> {
    assert!(slots.len() >= buf.len(), "too few slots");
    let mut column = Column {
        buf,
        pos: 0,
        next: 0,
        sum: _mm_setzero_si128(),
        least: _mm_set1_epi64x(i64::MAX),
        greatest: _mm_set1_epi64x(i64::MIN),
        // A vector step adds less than 2^35 and takes 2 bytes at least:
        // over a column of fewer than 2^26 bytes (a block holds at most
        // 2^25) the steps add less than 2^60, and every checked value
        // leaves the sum below 2^61, so no lane's sum reaches 2^63.
        checked: buf.len() >= 1 << 26,
    };
    // The end bits of 64 bytes at once: each step's position then waits
    // on a shift of them, not on a load of its window.
    while let Some(block) = buf.get(column.pos..column.pos + 64) {
        let (base, ends) = (column.pos, end_bits(block));
        while column.pos - base <= 48 {
            let key = ends >> (column.pos - base);
            let first = key.trailing_zeros() as usize + 1;
            if column.checked || first > LONGEST {
                column.take_one(slots)?;
                continue;
            }
            let second = (key >> first).trailing_zeros() as usize + 1;
            if second > LONGEST {
                column.take_one(slots)?;
                continue;
            }
            let bytes = vector(&buf[column.pos..column.pos + 16]);
            column.push_two(bytes, first, second, slots);
        }
    }
    while let Some(window) = buf.get(column.pos..column.pos + 16) {
        let bytes = vector(window);
        // Bit i set where byte i ends a varint; the bits above the window
        // are set too, so a window without an end reads as a long varint.
        let ends = !(_mm_movemask_epi8(bytes) as u32);
        let first = ends.trailing_zeros() + 1;
        let second = (ends >> first).trailing_zeros() + 1;
        if column.checked || first as usize > LONGEST || second as usize > LONGEST {
            column.take_one(slots)?;
        } else {
            column.push_two(bytes, first as usize, second as usize, slots);
        }
    }
    while column.pos < buf.len() {
        column.take_one(slots)?;
    }
    Ok(column.extent())
}

/// Bit `i` set where byte `i` of `block` (64 bytes) ends a varint.
#[target_feature(enable = "ssse3,sse4.1,sse4.2")]
#[inline]
fn end_bits(block: &[u8]) -> u64 {
    let continues = |at: usize| _mm_movemask_epi8(vector(&block[at..at + 16])) as u16 as u64;
    !(continues(0) | continues(16) << 16 | continues(32) << 32 | continues(48) << 48)
}

/// One column: where its next varint starts, which value comes next, and
/// the running sum (in both lanes), least and greatest (per lane).
struct Column<'b> {
    buf: &'b [u8],
    pos: usize,
    next: usize,
    sum: __m128i,
    least: __m128i,
    greatest: __m128i,
    /// Set once a vector step might overflow the sum: from then on every
    /// value takes the checked path.
    checked: bool,
}

impl Column<'_> {
    /// The two varints at the start of `bytes`, of `first` and `second`
    /// bytes (each at most [`LONGEST`]): their sums to `out`, which has
    /// room (a value per byte, and 16 bytes are left).
    #[target_feature(enable = "ssse3,sse4.1,sse4.2")]
    #[inline]
    fn push_two(&mut self, bytes: __m128i, first: usize, second: usize, out: &mut [i64]) {
        let shuffle = vector(&SHUFFLES[(first - 1) * LONGEST + second - 1]);
        let lanes = _mm_shuffle_epi8(bytes, shuffle);
        // 7-bit groups joined: in 16-bit halves (14 bits), 32-bit lanes
        // (28 bits, and the fifth byte's 7 above), then 64-bit lanes.
        let low = _mm_and_si128(lanes, _mm_set1_epi16(0x7f));
        let high = _mm_and_si128(_mm_srli_epi16::<1>(lanes), _mm_set1_epi16(0x3f80));
        let joined = _mm_madd_epi16(_mm_or_si128(low, high), _mm_set1_epi32(0x4000_0001));
        let value = _mm_or_si128(
            _mm_and_si128(joined, _mm_set1_epi64x(0xffff_ffff)),
            _mm_slli_epi64::<28>(_mm_srli_epi64::<32>(joined)),
        );
        let negative = _mm_and_si128(value, _mm_set1_epi64x(1));
        let deltas = _mm_xor_si128(
            _mm_srli_epi64::<1>(value),
            _mm_sub_epi64(_mm_setzero_si128(), negative),
        );
        let sums = _mm_add_epi64(_mm_add_epi64(deltas, _mm_slli_si128::<8>(deltas)), self.sum);
        store_pair(sums, &mut out[self.next..self.next + 2]);
        self.least = _mm_blendv_epi8(self.least, sums, _mm_cmpgt_epi64(self.least, sums));
        self.greatest = _mm_blendv_epi8(self.greatest, sums, _mm_cmpgt_epi64(sums, self.greatest));
        self.sum = _mm_shuffle_epi32::<0xee>(sums);
        self.next += 2;
        self.pos += first + second;
    }

    /// One value the checked way: any length, overflow reported.
    #[target_feature(enable = "ssse3,sse4.1,sse4.2")]
    fn take_one(&mut self, out: &mut [i64]) -> Result<(), WireError> {
        let (_, sum) = checked_step(self.buf, &mut self.pos, _mm_cvtsi128_si64(self.sum))?;
        out[self.next] = sum;
        self.next += 1;
        self.sum = _mm_set1_epi64x(sum);
        self.least = _mm_blendv_epi8(self.least, self.sum, _mm_cmpgt_epi64(self.least, self.sum));
        self.greatest = _mm_blendv_epi8(
            self.greatest,
            self.sum,
            _mm_cmpgt_epi64(self.sum, self.greatest),
        );
        self.checked |= sum.unsigned_abs() >= 1 << 61;
        Ok(())
    }

    #[target_feature(enable = "ssse3,sse4.1,sse4.2")]
    fn extent(&self) -> Extent {
        let least = _mm_cvtsi128_si64(self.least).min(_mm_extract_epi64::<1>(self.least));
        let greatest = _mm_cvtsi128_si64(self.greatest).max(_mm_extract_epi64::<1>(self.greatest));
        Extent {
            count: self.next,
            range: (self.next > 0).then_some((least, greatest)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_shuffle_puts_one_varint_in_each_lane() {
        let entry = SHUFFLES[(3 - 1) * LONGEST + 5 - 1];
        assert_eq!(entry[..8], [0, 1, 2, 0x80, 0x80, 0x80, 0x80, 0x80]);
        assert_eq!(entry[8..], [3, 4, 5, 6, 7, 0x80, 0x80, 0x80]);
        let entry = SHUFFLES[0];
        assert_eq!((entry[0], entry[1], entry[8], entry[9]), (0, 0x80, 1, 0x80));
    }
}
