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
}
