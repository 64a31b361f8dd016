//! A delta-coded column of long varints decoded with its least and
//! greatest value: the timestamps of a history file's dense blocks.
//!
//! Why a decoder of its own: a history file's timestamps jump by years
//! from one entry to the next (the versions of one node, then the next
//! node's first), so nearly every delta takes 4 or 5 bytes. The other
//! decoders are made for short deltas: the vector one takes a 5-byte
//! varint one checked byte at a time, and the word-at-a-time one finds at
//! most one such varint in its 8-byte word, each word's position waiting
//! on the one before. Here a 16-byte window's end bits, gathered into one
//! mask, give where its varints start; each is then read from a load of
//! its own, so the window's varints are decoded side by side and the next
//! window's position waits on the mask alone. The history read visits
//! every dense block for its time span, and in a 3-version corpus (5
//! bytes a timestamp) this was the node stage's largest cost after
//! inflating. On x86-64, `ssse3::extent` takes two such varints a vector
//! step (with the one-byte shortcut of the version and visible columns,
//! the dense history columns of that corpus took 145 ms where they took
//! 305, on 2026-12-07); this one serves other CPUs, and the tests hold
//! the two to each other.
//!
//! In: the bytes of a packed, delta-coded sint64 field, slots for its
//! values. Out: the values, how many, and their least and greatest (an
//! [`Extent`]), or a [`WireError`] where the checked reader would give one.

use crate::pbf::wire::{read_varint, squeeze, zigzag, WireError};

/// What [`decode_delta_extent`] wrote: `count` values, the least and the
/// greatest among them (`None` for none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub count: usize,
    pub range: Option<(i64, i64)>,
}

/// Decodes a packed, delta-coded, zigzag sint64 field into `slots` (at
/// least one per byte of `buf`) and finds the least and greatest value.
/// The values and errors are those of [`super::decode_delta_into`]:
/// overflow, a truncated varint, one longer than 10 bytes.
///
/// On x86-64 CPUs with SSSE3 to SSE4.2, [`super::ssse3`] decodes two
/// varints a step; elsewhere [`decode_delta_extent_scalar`] does, with
/// the same results.
pub fn decode_delta_extent(buf: &[u8], slots: &mut [i64]) -> Result<Extent, WireError> {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = super::ssse3::Ssse3::detect() {
        return simd.decode_delta_extent(buf, slots);
    }
    decode_delta_extent_scalar(buf, slots)
}

/// [`decode_delta_extent`], word at a time, on any CPU.
pub fn decode_delta_extent_scalar(buf: &[u8], slots: &mut [i64]) -> Result<Extent, WireError> {
    assert!(slots.len() >= buf.len(), "too few slots");
    let mut column = Column {
        buf,
        pos: 0,
        count: 0,
        acc: 0,
        least: i64::MAX,
        greatest: i64::MIN,
    };
    // A window reads 8 bytes from where its last varint starts, so it
    // needs 24 bytes; the last ones take the checked path.
    while column.pos + 24 <= buf.len() {
        if column.acc.unsigned_abs() >= 1 << 62 || !column.window(slots) {
            column.take_one(slots)?;
        }
    }
    while column.pos < buf.len() {
        column.take_one(slots)?;
    }
    Ok(Extent {
        count: column.count,
        range: (column.count > 0).then_some((column.least, column.greatest)),
    })
}

struct Column<'b> {
    buf: &'b [u8],
    pos: usize,
    count: usize,
    acc: i64,
    least: i64,
    greatest: i64,
}

impl Column<'_> {
    /// Decodes every varint that ends in the next 16 bytes, up to the
    /// first longer than 8 bytes; false when the first one is (or none
    /// ends there), for the checked path. Needs 24 bytes left, and a
    /// running sum below 2^62: at most 16 values of at most 56 bits then
    /// add up to less than 2^63, so no sum is checked.
    #[inline]
    fn window(&mut self, slots: &mut [i64]) -> bool {
        let at = self.pos;
        let mut ends = end_bits(word_at(self.buf, at)) | end_bits(word_at(self.buf, at + 8)) << 8;
        // Each varint takes a byte at least, so its value's slot is at or
        // before its first byte's index: 16 slots from `count` exist.
        let out = &mut slots[self.count..self.count + 16];
        let (mut start, mut k) = (0u32, 0);
        while ends != 0 {
            let end = ends.trailing_zeros() + 1;
            let len = end - start;
            if len > 8 {
                break;
            }
            // The varint's bytes, low byte first, the bytes after it cut.
            let bytes = word_at(self.buf, at + start as usize) & (u64::MAX >> (64 - 8 * len));
            self.acc += zigzag(squeeze(bytes));
            out[k] = self.acc;
            self.least = self.least.min(self.acc);
            self.greatest = self.greatest.max(self.acc);
            k += 1;
            start = end;
            ends &= ends - 1;
        }
        self.count += k;
        self.pos += start as usize;
        k > 0
    }

    /// One varint the checked way.
    fn take_one(&mut self, slots: &mut [i64]) -> Result<(), WireError> {
        let delta = zigzag(read_varint(self.buf, &mut self.pos)?);
        self.acc = (self.acc)
            .checked_add(delta)
            .ok_or(WireError::new("delta-coded value overflows 64 bits"))?;
        slots[self.count] = self.acc;
        self.count += 1;
        self.least = self.least.min(self.acc);
        self.greatest = self.greatest.max(self.acc);
        Ok(())
    }
}

/// The 8 bytes at `at`, little-endian; the caller has checked that they
/// exist.
#[inline]
fn word_at(buf: &[u8], at: usize) -> u64 {
    let mut bytes = [0; 8];
    bytes.copy_from_slice(&buf[at..at + 8]);
    u64::from_le_bytes(bytes)
}

/// Bit `i` set where byte `i` of `word` ends a varint (its top bit clear).
#[inline]
fn end_bits(word: u64) -> u32 {
    // A 1 at bit 0 of each ending byte; the multiplication moves byte i's
    // bit to bit 56 + i, with no carries (every product bit is distinct).
    let ones = (!word & 0x8080_8080_8080_8080) >> 7;
    (ones.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::delta::decode_delta_into_scalar;
    use crate::pbf::wire::{put_varint, unzigzag};

    /// The decoder against the portable one, on `buf` whole and on every
    /// prefix near its end (truncated varints among them).
    fn agree(buf: &[u8]) {
        for cut in (buf.len().saturating_sub(30)..=buf.len()).chain([buf.len() / 2]) {
            let buf = &buf[..cut];
            let mut expected = vec![0; buf.len()];
            let reference = decode_delta_into_scalar(buf, &mut expected);
            for (name, decode) in extent_decoders() {
                let mut got = vec![0; buf.len()];
                let extent = decode(buf, &mut got);
                match (&reference, extent) {
                    (Ok(r), Ok(e)) => {
                        assert_eq!(e.count, r.count, "{name}: count, {cut} bytes");
                        assert_eq!(
                            got[..e.count],
                            expected[..r.count],
                            "{name}: values, {cut} bytes"
                        );
                        let values = &expected[..r.count];
                        let range = values.iter().min().zip(values.iter().max());
                        assert_eq!(
                            e.range,
                            range.map(|(a, b)| (*a, *b)),
                            "{name}: extent, {cut} bytes"
                        );
                    }
                    (Err(_), Err(_)) => {}
                    (r, e) => panic!("{name}, {cut} bytes: portable {r:?}, extent {e:?}"),
                }
            }
        }
    }

    type ExtentDecoder = fn(&[u8], &mut [i64]) -> Result<Extent, WireError>;

    /// The word-at-a-time decoder, and the vector one where this CPU runs
    /// it.
    fn extent_decoders() -> Vec<(&'static str, ExtentDecoder)> {
        let mut all: Vec<(&'static str, ExtentDecoder)> =
            vec![("word at a time", decode_delta_extent_scalar)];
        #[cfg(target_arch = "x86_64")]
        if crate::pbf::delta::ssse3::Ssse3::detect().is_some() {
            all.push(("vector", decode_delta_extent));
        }
        all
    }

    fn column(deltas: &[i64]) -> Vec<u8> {
        let mut buf = Vec::new();
        deltas
            .iter()
            .for_each(|&d| put_varint(&mut buf, unzigzag(d)));
        buf
    }

    #[test]
    fn history_timestamps_come_out_with_their_extent() {
        // Versions of a node years apart, then the next node's first
        // version years back: 4- and 5-byte deltas.
        let mut deltas = vec![1_335_000_000];
        for i in 0..500i64 {
            deltas.extend([90_000_000 + i, 40_000_000 - i * 7, -(130_000_000 + i * 13)]);
        }
        let buf = column(&deltas);
        agree(&buf);
        let mut slots = vec![0; buf.len()];
        let extent = decode_delta_extent(&buf, &mut slots).unwrap();
        let sums: Vec<i64> = (deltas.iter())
            .scan(0, |sum, d| {
                *sum += d;
                Some(*sum)
            })
            .collect();
        assert_eq!(extent.count, deltas.len());
        assert_eq!(slots[..sums.len()], sums);
        let range = (sums.iter().min().copied()).zip(sums.iter().max().copied());
        assert_eq!(extent.range, range);
        assert_eq!(range, Some((1_332_629_750, 1_465_000_000)));
    }

    #[test]
    fn every_varint_length_agrees_with_the_portable_decoder() {
        // Deltas of 1 to 10 bytes, mixed so that windows hold a varint of
        // 9 or 10 bytes first, in the middle and at the end.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..300 {
            let deltas: Vec<i64> = (0..(round % 40 + 1) * 3)
                .map(|_| {
                    let bits = next() % 64;
                    let value = (next() >> (63 - bits)) as i64;
                    if next() % 2 == 0 {
                        value
                    } else {
                        value.wrapping_neg()
                    }
                })
                .collect();
            agree(&column(&deltas));
        }
    }

    #[test]
    fn overflow_and_damage_are_errors() {
        // The running sum past i64::MAX, behind enough bytes for windows.
        let mut deltas = vec![1 << 61; 20];
        deltas.extend([i64::MAX, 1]);
        let buf = column(&deltas);
        agree(&buf);
        let mut slots = vec![0; buf.len()];
        assert!(decode_delta_extent(&buf, &mut slots).is_err());
        // Eleven bytes that all continue: no varint ends.
        let mut buf = column(&[5; 30]);
        buf.extend([0x80; 11]);
        buf.extend(column(&[5; 30]));
        agree(&buf);
        let mut slots = vec![0; buf.len()];
        assert!(decode_delta_extent(&buf, &mut slots).is_err());
    }

    #[test]
    fn end_bits_mark_each_byte_below_0x80() {
        assert_eq!(end_bits(0), 0xff);
        assert_eq!(end_bits(u64::MAX), 0);
        assert_eq!(end_bits(0x80ff_00ff_8000_7f81), 0b0010_0110);
    }
}
