//! The Protocol Buffers wire format, reduced to what OSM PBF uses.
//!
//! Why our own: OSM PBF needs five wire features (varints, zigzag, length-
//! delimited fields, packed repeated varints, skipping unknown fields). Owning
//! them lets the reader stay zero-copy, bound every length by the bytes that
//! are really there, and report *what* is wrong instead of panicking. The
//! writer half serves our own PBF writer (fixtures, samples, the benchmark
//! corpus).
//!
//! In: byte slices. Out: fields and integers, or a [`WireError`].

use std::borrow::Cow;
use std::fmt;

/// What went wrong while reading protobuf bytes. Carries no location: the
/// caller adds the blob index and byte offset it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub Cow<'static, str>);

impl WireError {
    pub const fn new(problem: &'static str) -> Self {
        WireError(Cow::Borrowed(problem))
    }

    /// Prefixes the problem with the element it was found in.
    pub fn context(self, what: impl fmt::Display) -> Self {
        WireError(Cow::Owned(format!("{what}: {}", self.0)))
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

/// One field value as it appears on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    Bytes(&'a [u8]),
    Fixed32(u32),
}

impl<'a> Value<'a> {
    /// The value as a varint, or an error naming the field's wire mismatch.
    pub fn varint(self) -> Result<u64, WireError> {
        match self {
            Value::Varint(v) => Ok(v),
            _ => Err(WireError::new("expected a varint field")),
        }
    }

    /// The value as length-delimited bytes.
    pub fn bytes(self) -> Result<&'a [u8], WireError> {
        match self {
            Value::Bytes(b) => Ok(b),
            _ => Err(WireError::new("expected a length-delimited field")),
        }
    }
}

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

/// Iterates the fields of one message, in wire order.
pub struct Fields<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Fields<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Fields { buf, pos: 0 }
    }

    fn read_field(&mut self) -> Result<(u32, Value<'a>), WireError> {
        let key = read_varint(self.buf, &mut self.pos)?;
        let number =
            u32::try_from(key >> 3).map_err(|_| WireError::new("field number too large"))?;
        // OSM data uses only lengths and varints: two plain branches, with
        // the fixed-width types out of line. A five-way match compiled to
        // a jump table, an indirect jump per field (millions of ways, each a
        // field holding one), which the field walk paid for on every field.
        let value = match key & 7 {
            2 => Value::Bytes(read_length_delimited(self.buf, &mut self.pos)?),
            0 => Value::Varint(read_varint(self.buf, &mut self.pos)?),
            wire => self.read_fixed(wire)?,
        };
        Ok((number, value))
    }

    #[cold]
    #[inline(never)]
    fn read_fixed(&mut self, wire: u64) -> Result<Value<'a>, WireError> {
        match wire {
            1 => Ok(Value::Fixed64(u64::from_le_bytes(
                self.take(8)?.try_into().unwrap_or([0; 8]),
            ))),
            5 => Ok(Value::Fixed32(u32::from_le_bytes(
                self.take(4)?.try_into().unwrap_or([0; 4]),
            ))),
            _ => Err(WireError::new("unsupported wire type")),
        }
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], WireError> {
        take(self.buf, &mut self.pos, len)
    }
}

/// The bytes of a length-delimited value whose length is the varint at
/// `*pos`, moving `*pos` past them: what [`Fields`] does for wire type 2,
/// for a caller that walks a message itself.
#[inline]
pub fn read_length_delimited<'a>(buf: &'a [u8], pos: &mut usize) -> Result<&'a [u8], WireError> {
    let len = read_varint(buf, pos)?;
    let len = usize::try_from(len).map_err(|_| WireError::new("length too large"))?;
    take(buf, pos, len)
}

/// The next `len` bytes of `buf` from `*pos`, moving `*pos` past them.
#[inline]
fn take<'a>(buf: &'a [u8], pos: &mut usize, len: usize) -> Result<&'a [u8], WireError> {
    let end = pos
        .checked_add(len)
        .filter(|&end| end <= buf.len())
        .ok_or(WireError::new(
            "field length runs past the end of its message",
        ))?;
    let slice = &buf[*pos..end];
    *pos = end;
    Ok(slice)
}

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u32, Value<'a>), WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let item = self.read_field();
        if item.is_err() {
            self.pos = self.buf.len();
        }
        Some(item)
    }
}

/// Iterates a packed repeated varint field.
#[derive(Clone)]
pub struct Packed<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Packed<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Packed { buf, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The bytes not yet read; lets a caller slice out a run of values.
    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.buf
    }
}

impl Iterator for Packed<'_> {
    type Item = Result<u64, WireError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let item = read_varint(self.buf, &mut self.pos);
        if item.is_err() {
            self.pos = self.buf.len();
        }
        Some(item)
    }
}

/// Decodes a packed, delta-coded, zigzag sint64 field (ids, coordinates,
/// way node references) into absolute values appended to `out`, rejecting
/// overflow.
///
/// Why not [`Packed`]: this loop runs over every node of a country, and a
/// byte-by-byte reader pays a bounds check and a branch per byte and an
/// overflow check per value. The portable path ([`decode_delta_into_scalar`])
/// loads 8 bytes at once, cuts out every varint that ends inside them with
/// bit tricks (eight one-byte varints, the usual id delta, in one straight
/// run), and checks the running sum once per word; varints running past 8
/// bytes and the last bytes take the checked byte-by-byte path. On x86-64
/// with SSSE3, [`super::delta_simd`] takes four varints a step, or sixteen
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
/// On x86-64 CPUs with SSSE3 and SSE4.1, [`super::delta_simd`] decodes;
/// elsewhere [`decode_delta_into_scalar`] does, with the same results.
pub fn decode_delta_into(buf: &[u8], slots: &mut [i64]) -> Result<Decoded, WireError> {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = super::delta_simd::Ssse3::detect() {
        return simd.decode_delta_into(buf, slots);
    }
    decode_delta_into_scalar(buf, slots)
}

/// [`decode_delta_into`] in portable code, and the reference for the
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
/// On x86-64 CPUs with SSSE3 and SSE4.1, [`super::delta_simd`] decodes
/// four varints per step; elsewhere [`decode_delta_pair_scalar`] does.
/// Both give the same values and fail on the same input (when both
/// columns are damaged, the message may name another problem).
pub fn decode_delta_pair(
    columns: (&[u8], &[u8]),
    slots: (&mut [i64], &mut [i64]),
) -> Result<(), WireError> {
    #[cfg(target_arch = "x86_64")]
    if let Some(simd) = super::delta_simd::Ssse3::detect() {
        return simd.decode_delta_pair(columns, slots);
    }
    decode_delta_pair_scalar(columns, slots)
}

/// Which delta decoders this CPU runs, for `-v` and bug reports: the
/// vector ones ([`super::delta_simd`]) or the portable ones.
pub fn delta_decoders() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if super::delta_simd::Ssse3::detect().is_some() {
        return "SSSE3 and SSE4.1";
    }
    "portable"
}

/// [`decode_delta_pair`] in portable code: the only one on CPUs without
/// SSSE3, and the reference the vector decoder is tested against.
///
/// Why two at once: in one column, where a varint starts depends on the
/// length of the one before, so a lone column is one long dependency chain
/// that leaves the core waiting; two interleaved chains keep it busy. Each
/// step cuts two varints of at most 4 bytes out of an 8-byte word of each
/// column and decodes both at once, one per 32-bit half; a step where they
/// do not fit (longer varints, the last bytes) takes one varint of each the
/// checked way. This is why a block's coordinates are decoded as a pair,
/// not each column alone with [`decode_delta_into`].
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

/// One column of [`decode_delta_pair`]: where its next varint starts and
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

/// Packs the 7-bit groups of a varint's bytes (continuation bits ignored)
/// into one integer: 7-bit groups → 14 → 28 → 56 bits.
#[inline]
fn squeeze(bytes: u64) -> u64 {
    let mut x = bytes & 0x7f7f_7f7f_7f7f_7f7f;
    x = ((x & 0x7f00_7f00_7f00_7f00) >> 1) | (x & 0x007f_007f_007f_007f);
    x = ((x & 0x3fff_0000_3fff_0000) >> 2) | (x & 0x0000_3fff_0000_3fff);
    ((x & 0x0fff_ffff_0000_0000) >> 4) | (x & 0x0000_0000_0fff_ffff)
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

// ---- writing -------------------------------------------------------------

/// Appends a varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a varint field.
pub fn put_uint(out: &mut Vec<u8>, field: u32, v: u64) {
    put_varint(out, u64::from(field) << 3);
    put_varint(out, v);
}

/// Appends a zigzag sint64 field.
pub fn put_sint(out: &mut Vec<u8>, field: u32, v: i64) {
    put_uint(out, field, unzigzag(v));
}

/// Appends a length-delimited field.
pub fn put_bytes(out: &mut Vec<u8>, field: u32, bytes: &[u8]) {
    put_varint(out, (u64::from(field) << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a packed varint field; writes nothing for an empty list.
pub fn put_packed(out: &mut Vec<u8>, field: u32, values: impl IntoIterator<Item = u64>) {
    let mut body = Vec::new();
    for v in values {
        put_varint(&mut body, v);
    }
    if !body.is_empty() {
        put_bytes(out, field, &body);
    }
}

/// Appends a packed, delta-coded sint64 field.
pub fn put_packed_delta(out: &mut Vec<u8>, field: u32, values: &[i64]) {
    let mut prev = 0i64;
    put_packed(
        out,
        field,
        values.iter().map(|&v| {
            let delta = v.wrapping_sub(prev);
            prev = v;
            unzigzag(delta)
        }),
    );
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

    #[test]
    fn zigzag_round_trips() {
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(zigzag(unzigzag(v)), v);
        }
    }

    #[test]
    fn every_wire_type_is_read_and_groups_are_refused() {
        let mut buf = Vec::new();
        put_uint(&mut buf, 1, 300);
        buf.push(2 << 3 | 1);
        buf.extend(0x0102_0304_0506_0708u64.to_le_bytes());
        put_bytes(&mut buf, 3, b"abc");
        buf.push(4 << 3 | 5);
        buf.extend(0x0a0b_0c0du32.to_le_bytes());
        let fields: Vec<(u32, Value<'_>)> = Fields::new(&buf).map(Result::unwrap).collect();
        assert_eq!(fields.len(), 4);
        assert!(matches!(fields[0], (1, Value::Varint(300))));
        assert!(matches!(
            fields[1],
            (2, Value::Fixed64(0x0102_0304_0506_0708))
        ));
        assert!(matches!(fields[2], (3, Value::Bytes(b"abc"))));
        assert!(matches!(fields[3], (4, Value::Fixed32(0x0a0b_0c0d))));
        let short_fixed = [2 << 3 | 1, 1, 2, 3];
        assert!(Fields::new(&short_fixed).next().unwrap().is_err());
        for wire in [3, 4, 6, 7] {
            let group = [5 << 3 | wire, 0];
            let err = Fields::new(&group).next().unwrap().unwrap_err();
            assert!(err.0.contains("unsupported wire type"), "{wire}: {err:?}");
        }
    }

    #[test]
    fn field_length_past_end_is_an_error() {
        let buf = [0x0a, 0x05, 1, 2];
        let err = Fields::new(&buf).next().unwrap().unwrap_err();
        assert!(err.0.contains("runs past"));
    }

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
                value =
                    (value + if state & 4 == 0 { step } else { -step }).clamp(-(1 << 61), 1 << 61);
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
    /// runs the vector decoder (x86-64 with SSSE3 and SSE4.1).
    fn decoders<D>(scalar: D, dispatching: D) -> Vec<(&'static str, D)> {
        let mut all = vec![("scalar", scalar)];
        #[cfg(target_arch = "x86_64")]
        if crate::pbf::delta_simd::Ssse3::detect().is_some() {
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
}
