//! The delta decoders (coordinates, node ids, history timestamps) on SSSE3
//! to SSE4.2, for x86-64 CPUs that have them (every one since about 2011).
//!
//! Why: on a country, the node stage decodes the latitude and longitude of
//! most nodes, because a dense block's coordinates are a running sum and
//! the wanted nodes are spread through it. The word-at-a-time decoder in
//! `delta::scalar` spends about a dozen operations per varint. Here one
//! table lookup, keyed by the continuation bits of the next 12 bytes, gives
//! a byte shuffle that puts up to four varints (of at most 4 bytes) into the
//! four 32-bit lanes of a register. Joining their 7-bit groups, the zigzag
//! and the running sum then take a few vector operations for all four.
//!
//! This is the crate's only `unsafe`: calling a function compiled for
//! SSSE3 to SSE4.2 is unsafe, since on a CPU without them it would fault.
//! [`Ssse3::detect`] is the one way to get the token that makes the call,
//! and it checks the CPU first. Everything inside is safe code: loads and
//! stores go through bounds-checked slices.
//!
//! The node ids of every block take the same path, with a step of its own
//! for sixteen one-byte deltas, the usual gap between ids in a sorted file.
//!
//! In: packed, delta-coded sint64 columns. Out: their values, exactly as
//! [`super::decode_delta_pair_scalar`] and
//! [`super::decode_delta_into_scalar`] give them.

mod extent;

use std::arch::x86_64::{
    __m128i, _mm_add_epi16, _mm_add_epi32, _mm_add_epi64, _mm_and_si128, _mm_castsi128_ps,
    _mm_cmpeq_epi8, _mm_cmpgt_epi32, _mm_cvtepi16_epi64, _mm_cvtepi32_epi64, _mm_cvtepu8_epi16,
    _mm_cvtsi128_si64, _mm_extract_epi64, _mm_madd_epi16, _mm_movemask_epi8, _mm_movemask_ps,
    _mm_or_si128, _mm_set1_epi16, _mm_set1_epi32, _mm_set1_epi64x, _mm_set1_epi8, _mm_set_epi64x,
    _mm_setzero_si128, _mm_shuffle_epi32, _mm_shuffle_epi8, _mm_slli_si128, _mm_srli_epi16,
    _mm_srli_epi32, _mm_srli_si128, _mm_sub_epi16, _mm_sub_epi32, _mm_xor_si128,
};
use std::sync::OnceLock;

use super::{Decoded, Extent};
use crate::pbf::wire::{read_varint, zigzag, WireError};

/// Bytes whose continuation bits key the table: four varints of up to 3
/// bytes fit, the usual coordinate delta.
const WINDOW: usize = 12;

/// Proof that this CPU has SSSE3, SSE4.1 and SSE4.2, with the shuffle
/// table.
#[derive(Clone, Copy)]
pub struct Ssse3 {
    table: &'static Table,
}

impl Ssse3 {
    /// The token, when the CPU has the instructions (checked once; later
    /// calls cost an atomic load).
    pub fn detect() -> Option<Self> {
        static TABLE: OnceLock<Option<Table>> = OnceLock::new();
        let table = TABLE.get_or_init(|| {
            let usable = is_x86_feature_detected!("ssse3")
                && is_x86_feature_detected!("sse4.1")
                && is_x86_feature_detected!("sse4.2");
            usable.then(Table::new)
        });
        table.as_ref().map(|table| Ssse3 { table })
    }

    /// [`super::decode_delta_pair`] on this CPU.
    pub fn decode_delta_pair(
        self,
        columns: (&[u8], &[u8]),
        slots: (&mut [i64], &mut [i64]),
    ) -> Result<(), WireError> {
        #[allow(unsafe_code)]
        // SAFETY: `decode_pair` only needs the target features it is
        // compiled with, and `self` exists only where `detect` found them.
        unsafe {
            decode_pair(self.table, columns, slots)
        }
    }

    /// [`super::decode_delta_into`] on this CPU.
    pub fn decode_delta_into(self, buf: &[u8], slots: &mut [i64]) -> Result<Decoded, WireError> {
        #[allow(unsafe_code)]
        // SAFETY: as in `decode_delta_pair`.
        unsafe {
            decode_watching(self.table, buf, slots)
        }
    }

    /// [`super::decode_delta_extent`] on this CPU.
    pub fn decode_delta_extent(self, buf: &[u8], slots: &mut [i64]) -> Result<Extent, WireError> {
        #[allow(unsafe_code)]
        // SAFETY: as in `decode_delta_pair`.
        unsafe {
            extent::decode_extent(buf, slots)
        }
    }
}

/// What a window's continuation bits say: the shuffle that puts its
/// complete varints into 32-bit lanes, how many there are (0 when the first
/// one is longer than 4 bytes or runs past the window) and their bytes.
struct Table {
    shuffles: Box<[[u8; 16]; 1 << WINDOW]>,
    steps: Box<[Step; 1 << WINDOW]>,
}

/// How many varints a window's vector step takes, and how many bytes.
#[derive(Clone, Copy, Default)]
struct Step {
    count: u8,
    bytes: u8,
}

impl Table {
    fn new() -> Self {
        let mut shuffles = Vec::with_capacity(1 << WINDOW);
        let mut steps = Vec::with_capacity(1 << WINDOW);
        for continues in 0..1u32 << WINDOW {
            let (shuffle, step) = window_layout(continues);
            shuffles.push(shuffle);
            steps.push(step);
        }
        Table {
            shuffles: shuffles.try_into().unwrap_or_else(|_| unreachable!()),
            steps: steps.try_into().unwrap_or_else(|_| unreachable!()),
        }
    }
}

/// The byte shuffle and step for a window whose bit `i` of `continues` is
/// set when byte `i` continues its varint. Lane `k` gets the bytes of the
/// `k`-th varint, low byte first; a shuffle index of 0x80 writes a zero.
fn window_layout(continues: u32) -> ([u8; 16], Step) {
    let mut shuffle = [0x80u8; 16];
    let (mut start, mut count) = (0, 0);
    while count < 4 {
        let len = (start..WINDOW)
            .position(|byte| continues >> byte & 1 == 0)
            .map(|last| last + 1);
        let Some(len) = len.filter(|&len| len <= 4) else {
            break;
        };
        for byte in 0..len {
            shuffle[count * 4 + byte] = (start + byte) as u8;
        }
        start += len;
        count += 1;
    }
    let step = Step {
        count: count as u8,
        bytes: start as u8,
    };
    (shuffle, step)
}

/// The two columns decoded side by side: each is a chain of steps that
/// waits on its own last one, so two chains keep the core busy.
#[target_feature(enable = "ssse3,sse4.1")]
fn decode_pair(
    table: &Table,
    (a, b): (&[u8], &[u8]),
    (slots_a, slots_b): (&mut [i64], &mut [i64]),
) -> Result<(), WireError> {
    assert_eq!(slots_a.len(), slots_b.len(), "columns of one length");
    let (mut col_a, mut col_b) = (Column::new(a), Column::new(b));
    loop {
        let stepped_a = col_a.step::<false>(table, slots_a)?.is_some();
        let stepped_b = col_b.step::<false>(table, slots_b)?.is_some();
        if !(stepped_a || stepped_b) {
            break;
        }
    }
    col_a.finish(slots_a)?;
    col_b.finish(slots_b)
}

/// One column, judging on the way whether every delta after the first is
/// positive (ids in a sorted file). Ids mostly differ by one byte's worth,
/// so a window of sixteen one-byte varints takes its own step.
#[target_feature(enable = "ssse3,sse4.1")]
fn decode_watching(table: &Table, buf: &[u8], slots: &mut [i64]) -> Result<Decoded, WireError> {
    assert!(slots.len() >= buf.len(), "too few slots");
    let mut column = Column::new(buf);
    let mut falls = false;
    if !buf.is_empty() {
        // The first value is absolute, whatever its sign.
        column.take_one(slots)?;
    }
    while let Some(positive) = column.step::<true>(table, slots)? {
        falls |= !positive;
    }
    while column.pos < buf.len() {
        falls |= column.take_one(slots)? <= 0;
    }
    Ok(Decoded {
        count: column.next,
        rising: !falls,
    })
}

/// One column: where its next varint starts, which value comes next, and
/// the running sum, in both 64-bit lanes of a register.
struct Column<'b> {
    buf: &'b [u8],
    pos: usize,
    next: usize,
    sum: __m128i,
    /// Set once the running sum is so large that a vector step might
    /// overflow it: from then on every value takes the checked path.
    checked: bool,
}

impl<'b> Column<'b> {
    #[target_feature(enable = "ssse3,sse4.1")]
    fn new(buf: &'b [u8]) -> Self {
        Column {
            buf,
            pos: 0,
            next: 0,
            sum: _mm_setzero_si128(),
            // A vector step adds less than 2^29; the sum stays below 2^63
            // as long as the column has fewer than 2^32 bytes and each
            // checked step leaves it below 2^62.
            checked: buf.len() >= 1 << 32,
        }
    }

    /// Decodes the next values into `out`: up to four at once, sixteen
    /// one-byte ones when `IDS`, or one the checked way. Returns whether
    /// every delta it took was positive, worked out only when `IDS` (the
    /// rising-ids check); `None` when fewer than 16 bytes or too few slots
    /// are left: [`Column::finish`] takes the rest.
    #[target_feature(enable = "ssse3,sse4.1")]
    #[inline]
    fn step<const IDS: bool>(
        &mut self,
        table: &Table,
        out: &mut [i64],
    ) -> Result<Option<bool>, WireError> {
        let Some(window) = self.buf.get(self.pos..self.pos + 16) else {
            return Ok(None);
        };
        let room = if IDS { 16 } else { 4 };
        if self.next + room > out.len() {
            return Ok(None);
        }
        let bytes = vector(window);
        let continues = _mm_movemask_epi8(bytes) as usize;
        if IDS && continues == 0 && !self.checked {
            return Ok(Some(self.push_sixteen(bytes, out)));
        }
        let key = continues & ((1 << WINDOW) - 1);
        let step = table.steps[key];
        if step.count == 0 || self.checked {
            return self.take_one(out).map(|delta| Some(delta > 0));
        }
        let deltas = deltas(_mm_shuffle_epi8(bytes, vector(&table.shuffles[key])));
        let positive = !IDS || {
            let above_zero = _mm_cmpgt_epi32(deltas, _mm_setzero_si128());
            let taken = (1 << step.count) - 1;
            _mm_movemask_ps(_mm_castsi128_ps(above_zero)) & taken == taken
        };
        self.push_four(deltas, step, out);
        Ok(Some(positive))
    }

    /// Adds the first `step.count` of four deltas to the running sum,
    /// writing each sum to `out`; all four slots must exist.
    #[target_feature(enable = "ssse3,sse4.1")]
    #[inline]
    fn push_four(&mut self, deltas: __m128i, step: Step, out: &mut [i64]) {
        // Running sums within the four lanes; unused lanes hold zero deltas,
        // so the last lane is the sum of the step.
        let sums = _mm_add_epi32(deltas, _mm_slli_si128::<4>(deltas));
        let sums = _mm_add_epi32(sums, _mm_slli_si128::<8>(sums));
        let low = _mm_add_epi64(_mm_cvtepi32_epi64(sums), self.sum);
        let high = _mm_add_epi64(_mm_cvtepi32_epi64(_mm_srli_si128::<8>(sums)), self.sum);
        // One bounds check for the four stores: with one per pair, `step`
        // grew past what the compiler inlines into `decode_pair` (which a
        // target-feature function cannot force), and the decoder slowed.
        let slots = &mut out[self.next..self.next + 4];
        store_pair(low, &mut slots[..2]);
        store_pair(high, &mut slots[2..]);
        let total = _mm_cvtepi32_epi64(_mm_shuffle_epi32::<0xff>(sums));
        self.sum = _mm_add_epi64(self.sum, total);
        self.next += usize::from(step.count);
        self.pos += usize::from(step.bytes);
    }

    /// Sixteen one-byte varints (the continuation bits of `bytes` all
    /// clear): their running sums to `out`, which must have 16 slots.
    /// Returns whether every delta was positive: an even, nonzero byte.
    #[target_feature(enable = "ssse3,sse4.1")]
    #[inline]
    fn push_sixteen(&mut self, bytes: __m128i, out: &mut [i64]) -> bool {
        let one = _mm_set1_epi8(1);
        let zero_or_odd = _mm_or_si128(
            _mm_cmpeq_epi8(bytes, _mm_setzero_si128()),
            _mm_cmpeq_epi8(_mm_and_si128(bytes, one), one),
        );
        // Sums of at most 16 deltas of at most 64 fit 16-bit lanes.
        let low = running_sums16(zigzag16(_mm_cvtepu8_epi16(bytes)));
        let high = running_sums16(zigzag16(_mm_cvtepu8_epi16(_mm_srli_si128::<8>(bytes))));
        let last_of_low = _mm_shuffle_epi8(low, _mm_set1_epi16(0x0f0e));
        let high = _mm_add_epi16(high, last_of_low);
        let slots = &mut out[self.next..self.next + 16];
        for (half, slots) in [low, high].into_iter().zip(slots.chunks_exact_mut(8)) {
            let quarters = [half, _mm_srli_si128::<8>(half)];
            for (quarter, slots) in quarters.into_iter().zip(slots.chunks_exact_mut(4)) {
                let first = _mm_add_epi64(_mm_cvtepi16_epi64(quarter), self.sum);
                let second = _mm_cvtepi16_epi64(_mm_srli_si128::<4>(quarter));
                store_pair(first, &mut slots[..2]);
                store_pair(_mm_add_epi64(second, self.sum), &mut slots[2..]);
            }
        }
        let total = _mm_shuffle_epi8(high, _mm_set1_epi16(0x0f0e));
        self.sum = _mm_add_epi64(self.sum, _mm_cvtepi16_epi64(total));
        self.next += 16;
        self.pos += 16;
        _mm_movemask_epi8(zero_or_odd) == 0
    }

    /// One value the checked way: any length, overflow reported. Returns
    /// its delta.
    #[target_feature(enable = "ssse3,sse4.1")]
    fn take_one(&mut self, out: &mut [i64]) -> Result<i64, WireError> {
        let (delta, sum) = checked_step(self.buf, &mut self.pos, _mm_cvtsi128_si64(self.sum))?;
        out[self.next] = sum;
        self.next += 1;
        self.sum = _mm_set1_epi64x(sum);
        self.checked |= sum.unsigned_abs() >= 1 << 62;
        Ok(delta)
    }

    /// The values after the last vector step.
    #[target_feature(enable = "ssse3,sse4.1")]
    fn finish(&mut self, out: &mut [i64]) -> Result<(), WireError> {
        while self.next < out.len() {
            self.take_one(out)?;
        }
        Ok(())
    }
}

/// The varint at `*pos` (any length, checked) as a delta after `sum`:
/// the delta and the new sum, or the error of an overflowing sum.
fn checked_step(buf: &[u8], pos: &mut usize, sum: i64) -> Result<(i64, i64), WireError> {
    let delta = zigzag(read_varint(buf, pos)?);
    let sum =
        (sum.checked_add(delta)).ok_or(WireError::new("delta-coded value overflows 64 bits"))?;
    Ok((delta, sum))
}

/// The first 16 bytes of `bytes` in a register (the compiler makes the two
/// halves one load).
#[target_feature(enable = "ssse3,sse4.1")]
#[inline]
fn vector(bytes: &[u8]) -> __m128i {
    let half = |at: usize| i64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default());
    _mm_set_epi64x(half(8), half(0))
}

/// Writes the two 64-bit lanes of `pair` to `slots` (two of them).
#[target_feature(enable = "ssse3,sse4.1")]
#[inline]
fn store_pair(pair: __m128i, slots: &mut [i64]) {
    slots.copy_from_slice(&[_mm_cvtsi128_si64(pair), _mm_extract_epi64::<1>(pair)]);
}

/// Zigzag decoding of eight 16-bit lanes.
#[target_feature(enable = "ssse3,sse4.1")]
#[inline]
fn zigzag16(lanes: __m128i) -> __m128i {
    let negative = _mm_and_si128(lanes, _mm_set1_epi16(1));
    _mm_xor_si128(
        _mm_srli_epi16::<1>(lanes),
        _mm_sub_epi16(_mm_setzero_si128(), negative),
    )
}

/// Running sums across eight 16-bit lanes.
#[target_feature(enable = "ssse3,sse4.1")]
#[inline]
fn running_sums16(lanes: __m128i) -> __m128i {
    let lanes = _mm_add_epi16(lanes, _mm_slli_si128::<2>(lanes));
    let lanes = _mm_add_epi16(lanes, _mm_slli_si128::<4>(lanes));
    _mm_add_epi16(lanes, _mm_slli_si128::<8>(lanes))
}

/// Decodes four varints laid out one per 32-bit lane (low byte first,
/// continuation bits still set) into their deltas: the 7-bit groups
/// joined, then zigzag decoded.
#[target_feature(enable = "ssse3,sse4.1")]
#[inline]
fn deltas(lanes: __m128i) -> __m128i {
    // Each 16-bit half: low 7 bits, plus the next byte's 7 bits above them;
    // then each 32-bit lane: low half plus high half shifted by 14.
    let low = _mm_and_si128(lanes, _mm_set1_epi16(0x7f));
    let high = _mm_and_si128(_mm_srli_epi16::<1>(lanes), _mm_set1_epi16(0x3f80));
    let joined = _mm_madd_epi16(_mm_or_si128(low, high), _mm_set1_epi32(0x4000_0001));
    let negative = _mm_and_si128(joined, _mm_set1_epi32(1));
    _mm_xor_si128(
        _mm_srli_epi32::<1>(joined),
        _mm_sub_epi32(_mm_setzero_si128(), negative),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_of_short_varints_takes_four() {
        // Bytes 0-1, 2, 3-5 and 6 form four varints; 7.. do not matter.
        let continues = 0b0001_1001;
        let (shuffle, step) = window_layout(continues);
        assert_eq!((step.count, step.bytes), (4, 7));
        assert_eq!(&shuffle[..4], &[0, 1, 0x80, 0x80]);
        assert_eq!(&shuffle[4..8], &[2, 0x80, 0x80, 0x80]);
        assert_eq!(&shuffle[8..12], &[3, 4, 5, 0x80]);
        assert_eq!(&shuffle[12..], &[6, 0x80, 0x80, 0x80]);
    }

    #[test]
    fn a_long_or_unfinished_varint_ends_the_step() {
        // A 5-byte varint first: nothing for the vector step.
        assert_eq!(window_layout(0b1111).1.count, 0);
        // One short varint, then one running past the window.
        let (_, step) = window_layout(0b1111_1111_1110);
        assert_eq!((step.count, step.bytes), (1, 1));
    }
}
