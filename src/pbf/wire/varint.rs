//! Varints and zigzag: the integer encodings under every protobuf field.
//!
//! Why apart: they are the innermost loop of every reader (a field key, a
//! length, a string index, a packed value each start with one), so the
//! one-byte case stays inline and the rest out of line; and the writer's
//! encoders sit beside the decoders that must read them back.
//!
//! In: bytes at a position, or integers. Out: integers, appended varint
//! bytes, a count of the varints in a packed field, or a [`WireError`].

use super::WireError;

/// Reads one varint at `*pos`, advancing it.
#[inline]
pub fn read_varint(buf: &[u8], pos: &mut usize) -> Result<u64, WireError> {
    // Field keys and most lengths, counts and string indices take one byte.
    match buf.get(*pos) {
        Some(&byte) if byte < 0x80 => {
            *pos += 1;
            Ok(u64::from(byte))
        }
        _ => read_long_varint(buf, pos),
    }
}

/// [`read_varint`], read in line, without a call: a one-byte varint (a
/// field key, most lengths) by itself, and one of up to 8 bytes, when 8
/// bytes remain from `*pos`, from one load of them, its end found from
/// their top bits and its 7-bit groups joined by [`squeeze`], with no
/// branch per byte; any other through [`read_varint`], errors alike. For
/// walks that read a few varints an element and little else, such as a
/// history way stage's (its 5-byte timestamps) or a plain way stage's.
#[inline(always)]
pub fn read_varint_inline(buf: &[u8], pos: &mut usize) -> Result<u64, WireError> {
    if let Some(&byte) = buf.get(*pos).filter(|&&byte| byte < 0x80) {
        *pos += 1;
        return Ok(u64::from(byte));
    }
    if let Some(bytes) = buf.get(*pos..pos.saturating_add(8)) {
        let word = u64::from_le_bytes(bytes.try_into().unwrap_or_default());
        let ends = !word & 0x8080_8080_8080_8080;
        if ends != 0 {
            let len = ends.trailing_zeros() as usize / 8 + 1;
            *pos += len;
            return Ok(squeeze(word & (u64::MAX >> (64 - 8 * len))));
        }
    }
    read_varint(buf, pos)
}

/// Packs the 7-bit groups of a varint of at most 8 bytes, low byte first
/// (continuation bits ignored, the bytes after it zero), into one integer:
/// 7-bit groups → 14 → 28 → 56 bits.
#[inline(always)]
pub fn squeeze(bytes: u64) -> u64 {
    let mut x = bytes & 0x7f7f_7f7f_7f7f_7f7f;
    x = ((x & 0x7f00_7f00_7f00_7f00) >> 1) | (x & 0x007f_007f_007f_007f);
    x = ((x & 0x3fff_0000_3fff_0000) >> 2) | (x & 0x0000_3fff_0000_3fff);
    ((x & 0x0fff_ffff_0000_0000) >> 4) | (x & 0x0000_0000_0fff_ffff)
}

/// [`read_varint`] past its one-byte case.
fn read_long_varint(buf: &[u8], pos: &mut usize) -> Result<u64, WireError> {
    let mut value = 0u64;
    for shift in (0..70).step_by(7) {
        let Some(&byte) = buf.get(*pos) else {
            return Err(WireError::new("truncated varint"));
        };
        *pos += 1;
        if shift == 63 && byte > 1 {
            return Err(WireError::new("varint overflows 64 bits"));
        }
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err(WireError::new("varint longer than 10 bytes"))
}

/// Decodes a zigzag-encoded signed integer.
#[inline]
pub fn zigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

/// Encodes a signed integer as zigzag.
#[inline]
pub fn unzigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

/// How many varints a packed field holds, counting their last bytes; an
/// unfinished varint at the end is not counted.
pub fn count_varints(buf: &[u8]) -> usize {
    // Eight bytes at a time: a 1 in each byte that ends a varint, summed
    // into the top byte by one multiplication (at most 8, so no carry).
    let mut words = buf.chunks_exact(8);
    let mut count = 0;
    for word in &mut words {
        let word = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
        let ends = (!word & 0x8080_8080_8080_8080) >> 7;
        count += (ends.wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
    }
    count
        + words
            .remainder()
            .iter()
            .filter(|&&byte| byte < 0x80)
            .count()
}

/// Appends a varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trips_edge_values() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut buf = Vec::new();
            put_varint(&mut buf, v);
            let mut pos = 0;
            assert_eq!(read_varint(&buf, &mut pos), Ok(v));
            assert_eq!(pos, buf.len());
        }
    }

    #[test]
    fn truncated_and_overlong_varints_are_errors() {
        assert!(read_varint(&[0x80], &mut 0).is_err());
        assert!(read_varint(&[0xff; 11], &mut 0).is_err());
        assert!(read_varint(
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
            &mut 0
        )
        .is_err());
    }

    /// The in-line reader against the checked one: every length from 1 to
    /// 10 bytes, with 8 bytes or fewer left after its start, cut short,
    /// and too long.
    #[test]
    fn the_inline_reader_reads_as_the_checked_one() {
        let mut cases: Vec<Vec<u8>> = Vec::new();
        for bits in 0..64 {
            for value in [1u64 << bits, (1u64 << bits) - 1, u64::MAX >> (63 - bits)] {
                let mut buf = Vec::new();
                put_varint(&mut buf, value);
                for tail in [0, 3, 8] {
                    let mut case = buf.clone();
                    case.extend(std::iter::repeat_n(0x7f, tail));
                    cases.push(case);
                }
                cases.push(buf[..buf.len() - 1].to_vec());
            }
        }
        cases.extend([vec![0xff; 11], vec![0x80; 9], vec![0xff; 8]]);
        for case in &cases {
            for start in 0..case.len().min(2) {
                let (mut a, mut b) = (start, start);
                let (inline, checked) =
                    (read_varint_inline(case, &mut a), read_varint(case, &mut b));
                assert_eq!(inline, checked, "{case:?} from {start}");
                if checked.is_ok() {
                    assert_eq!(a, b, "{case:?} from {start}");
                }
            }
        }
    }

    #[test]
    fn zigzag_round_trips() {
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(zigzag(unzigzag(v)), v);
        }
    }
}
