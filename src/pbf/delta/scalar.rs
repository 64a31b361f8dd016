//! The portable delta decoders: the only ones on CPUs without SSSE3, and
//! the reference the vector ones ([`super::ssse3`]) are tested against.
//!
//! Why word-at-a-time: a byte-by-byte reader pays a bounds check and a
//! branch per byte and an overflow check per value. These load 8 bytes at
//! once and cut out every varint that ends inside them with bit tricks;
//! longer varints and the last bytes take the checked path.
//!
//! In: packed, delta-coded sint64 columns, one or two at a time. Out:
//! their values in caller-sized slots, or a [`WireError`].

use super::{delta_room, Decoded};
use crate::pbf::wire::{read_varint, squeeze, zigzag, WireError};

/// [`super::decode_delta_into`] in portable code, and the reference for the
/// vector decoder.
pub fn decode_delta_into_scalar(buf: &[u8], slots: &mut [i64]) -> Result<Decoded, WireError> {
    assert!(slots.len() >= delta_room(buf), "too few slots");
    let mut sink = DeltaSink {
        acc: 0,
        out: slots,
        count: 0,
        falls: false,
    };
    let mut pos = 0;
    sink.decode(buf, &mut pos)?;
    Ok(Decoded {
        count: sink.count,
        rising: !sink.falls,
    })
}

/// [`super::decode_delta_pair`] in portable code: the only one on CPUs without
/// SSSE3, and the reference the vector decoder is tested against.
///
/// Why two at once: in one column, where a varint starts depends on the
/// length of the one before, so a lone column is one long dependency chain
/// that leaves the core waiting; two interleaved chains keep it busy. Each
/// step cuts two varints of at most 4 bytes out of an 8-byte word of each
/// column and decodes both at once, one per 32-bit half; a step where they
/// do not fit (longer varints, the last bytes) takes one varint of each the
/// checked way. This is why a block's coordinates are decoded as a pair,
/// not each column alone with [`super::decode_delta_into`].
pub fn decode_delta_pair_scalar(
    (a, b): (&[u8], &[u8]),
    (slots_a, slots_b): (&mut [i64], &mut [i64]),
) -> Result<(), WireError> {
    assert_eq!(slots_a.len(), slots_b.len(), "columns of one length");
    let n = slots_a.len();
    let slots_b = &mut slots_b[..n];
    let (mut col_a, mut col_b) = (DeltaColumn::new(a), DeltaColumn::new(b));
    let mut i = 0;
    while i + 2 <= n {
        match (col_a.two_ahead(), col_b.two_ahead()) {
            (Some(pair_a), Some(pair_b)) => {
                [slots_a[i], slots_a[i + 1]] = col_a.take_two(pair_a);
                [slots_b[i], slots_b[i + 1]] = col_b.take_two(pair_b);
                i += 2;
            }
            _ => {
                slots_a[i] = col_a.take_one()?;
                slots_b[i] = col_b.take_one()?;
                i += 1;
            }
        }
    }
    if i < n {
        slots_a[i] = col_a.take_one()?;
        slots_b[i] = col_b.take_one()?;
    }
    Ok(())
}

/// One column of [`super::decode_delta_pair`]: where its next varint starts and
/// the running sum so far.
struct DeltaColumn<'b> {
    buf: &'b [u8],
    pos: usize,
    acc: i64,
}

/// The next two varints of a column, both at most 4 bytes long: their
/// bytes side by side, one in each 32-bit half, and the bytes they take.
#[derive(Clone, Copy)]
struct TwoVarints {
    lanes: u64,
    len: usize,
}

impl<'b> DeltaColumn<'b> {
    fn new(buf: &'b [u8]) -> Self {
        DeltaColumn {
            buf,
            pos: 0,
            acc: 0,
        }
    }

    /// The next two varints when both end within the next 8 bytes, neither
    /// is longer than 4 bytes (a coordinate delta nearly never is: 5 bytes
    /// means a step of over 13 degrees), and adding them cannot overflow:
    /// each is below 2^28, and the running sum is asked to be below 2^62.
    #[inline]
    fn two_ahead(&self) -> Option<TwoVarints> {
        let bytes = self.buf.get(self.pos..self.pos + 8)?;
        let word = u64::from_le_bytes(bytes.try_into().ok()?);
        let stops = !word & 0x8080_8080_8080_8080;
        let later_stops = stops & stops.wrapping_sub(1);
        // `x ^ (x - 1)`: every bit through the lowest stop bit of `x`.
        let through_first = stops ^ stops.wrapping_sub(1);
        let through_second = later_stops ^ later_stops.wrapping_sub(1);
        let first = word & through_first;
        let second = (word & through_second).wrapping_shr(stops.trailing_zeros() + 1);
        let ok = later_stops != 0 && (first | second) >> 32 == 0;
        (ok && self.acc.unsigned_abs() < 1 << 62).then_some(TwoVarints {
            lanes: first | second << 32,
            len: (later_stops.trailing_zeros() as usize + 1) / 8,
        })
    }

    #[inline]
    fn take_two(&mut self, two: TwoVarints) -> [i64; 2] {
        let (first_delta, second_delta) = zigzag_lanes(squeeze_lanes(two.lanes));
        let first = self.acc + first_delta;
        let second = first + second_delta;
        self.acc = second;
        self.pos += two.len;
        [first, second]
    }

    fn take_one(&mut self) -> Result<i64, WireError> {
        let delta = zigzag(read_varint(self.buf, &mut self.pos)?);
        self.acc = self
            .acc
            .checked_add(delta)
            .ok_or(WireError::new("delta-coded value overflows 64 bits"))?;
        Ok(self.acc)
    }
}

/// Running sums of zigzag deltas, written to a slice large enough for them.
struct DeltaSink<'s> {
    acc: i64,
    out: &'s mut [i64],
    count: usize,
    /// Set when a delta after the first is zero or negative.
    falls: bool,
}

/// The low bit of each byte (odd: a negative zigzag delta).
const LOW_BITS: u64 = 0x0101_0101_0101_0101;

/// True when a zigzag-encoded delta is above zero: even (not negative) and
/// not zero.
#[inline]
fn positive_delta(zigzagged: u64) -> bool {
    zigzagged != 0 && zigzagged & 1 == 0
}

impl DeltaSink<'_> {
    fn decode(&mut self, buf: &[u8], pos: &mut usize) -> Result<(), WireError> {
        // The first value is absolute, whatever its sign: it takes the
        // checked path, so the loops below judge every value they see.
        if *pos < buf.len() {
            let first = read_varint(buf, pos)?;
            self.push(first)?;
        }
        while let Some(window) = buf.get(*pos..*pos + 8) {
            let word = u64::from_le_bytes(window.try_into().unwrap_or([0; 8]));
            match self.all_in_word(word)? {
                0 => self.push(read_varint(buf, pos)?)?,
                used => *pos += used,
            }
        }
        while *pos < buf.len() {
            self.push(read_varint(buf, pos)?)?;
        }
        Ok(())
    }

    #[inline]
    fn push(&mut self, value: u64) -> Result<(), WireError> {
        self.falls |= self.count > 0 && !positive_delta(value);
        self.acc = self
            .acc
            .checked_add(zigzag(value))
            .ok_or(WireError::new("delta-coded value overflows 64 bits"))?;
        if let Some(slot) = self.out.get_mut(self.count) {
            *slot = self.acc;
        }
        self.count += 1;
        Ok(())
    }

    /// Decodes every varint that ends within `word` (8 bytes, little-endian)
    /// and returns how many bytes they took: 0 when the first varint runs
    /// past the 8 bytes.
    #[inline]
    fn all_in_word(&mut self, word: u64) -> Result<usize, WireError> {
        // At most 8 values of at most 56 bits: from a running sum below 2^62
        // no overflow is possible, so the sums need no check, and a slice of
        // 8 slots takes the stores without a bounds check each.
        let (safe, slots) = match self.out.get_mut(self.count..self.count + 8) {
            Some(slots) if self.acc.unsigned_abs() < 1 << 62 => (true, slots),
            _ => (false, &mut [][..]),
        };
        if !safe {
            return self.all_in_word_checked(word);
        }
        let mut acc = self.acc;
        let used = if word & 0x8080_8080_8080_8080 == 0 {
            // Eight one-byte varints: small deltas, such as ids. A delta
            // that is not positive is an odd or a zero byte.
            let zero_byte = word.wrapping_sub(LOW_BITS) & !word & 0x8080_8080_8080_8080;
            self.falls |= word & LOW_BITS != 0 || zero_byte != 0;
            for (slot, byte) in slots.iter_mut().zip(word.to_le_bytes()) {
                acc += zigzag(u64::from(byte));
                *slot = acc;
            }
            self.count += 8;
            8
        } else {
            let mut stops = !word & 0x8080_8080_8080_8080;
            let (mut start, mut n) = (0, 0);
            while stops != 0 {
                // Every bit through the lowest stop bit, less the varints before.
                let through = stops ^ (stops - 1);
                let value = squeeze((word & through) >> start);
                self.falls |= !positive_delta(value);
                acc += zigzag(value);
                slots[n & 7] = acc;
                n += 1;
                start = stops.trailing_zeros() + 1;
                stops &= stops - 1;
            }
            self.count += n;
            (start / 8) as usize
        };
        self.acc = acc;
        Ok(used)
    }

    /// [`Self::all_in_word`] one checked value at a time, near the end of
    /// the slice or near overflow.
    fn all_in_word_checked(&mut self, word: u64) -> Result<usize, WireError> {
        let mut stops = !word & 0x8080_8080_8080_8080;
        let mut start = 0;
        while stops != 0 {
            let through = stops ^ (stops - 1);
            self.push(squeeze((word & through) >> start))?;
            start = stops.trailing_zeros() + 1;
            stops &= stops - 1;
        }
        Ok((start / 8) as usize)
    }
}

/// [`squeeze`] for two varints of at most 4 bytes each, one in each 32-bit
/// half of `bytes`: 7-bit groups → 14 → 28 bits, each half on its own.
/// Coordinate deltas nearly always fit, and one pass for both costs half.
#[inline]
fn squeeze_lanes(bytes: u64) -> u64 {
    let mut x = bytes & 0x7f7f_7f7f_7f7f_7f7f;
    x = ((x & 0x7f00_7f00_7f00_7f00) >> 1) | (x & 0x007f_007f_007f_007f);
    ((x & 0x3fff_0000_3fff_0000) >> 2) | (x & 0x0000_3fff_0000_3fff)
}

/// [`zigzag`] for the two 28-bit values in the halves of `lanes`.
#[inline]
fn zigzag_lanes(lanes: u64) -> (i64, i64) {
    // A 1 in the low bit of a half becomes all ones in that half.
    let negate = (lanes & 0x0000_0001_0000_0001).wrapping_mul(0xffff_ffff);
    let zigzagged = ((lanes >> 1) & 0x7fff_ffff_7fff_ffff) ^ negate;
    (
        i64::from(zigzagged as u32 as i32),
        i64::from((zigzagged >> 32) as u32 as i32),
    )
}
