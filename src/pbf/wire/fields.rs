//! The fields of one message, read in place: a message's fields in wire
//! order, a packed repeated varint field, and a length-delimited value for
//! a caller that walks a message itself.
//!
//! Why apart: these borrow the message's bytes, so every block view built on
//! them stays zero-copy; every length is checked against the bytes that are
//! really there before a slice is taken.
//!
//! In: the bytes of one message or one packed field. Out: [`Value`]s by
//! field number, varints, or a [`WireError`].

use super::{read_varint, read_varint_inline, WireError};

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
    let (slice, end) = slice_at(buf, *pos, len as u64)?;
    *pos = end;
    Ok(slice)
}

/// The `len` bytes of `buf` at `pos`, and the position after them; an error
/// when they run past its end. By value, not through `&mut pos`, for the
/// walks that keep their position in a register (a block's ways, a way's
/// edit).
#[inline(always)]
pub fn slice_at(buf: &[u8], pos: usize, len: u64) -> Result<(&[u8], usize), WireError> {
    let end = usize::try_from(len)
        .ok()
        .and_then(|len| pos.checked_add(len))
        .filter(|&end| end <= buf.len())
        .ok_or(WireError::new(
            "field length runs past the end of its message",
        ))?;
    Ok((&buf[pos..end], end))
}

/// Where the field whose key was `key` and whose value starts at `pos`
/// ends: the walks that read a key themselves skip the fields they do not
/// want with this (a way's edit, a block's start for the section probes).
///
/// Compares in the order wire types come in OSM data (length-delimited,
/// then varint), not a match on the wire type: the match compiled to a
/// jump through a table, and in the way stage of a history read, where
/// this runs for each field of 3.3 M way versions, that jump, mispredicted
/// way after way, was most of the walk (2026-12-07).
#[inline(always)]
pub fn skip_field(buf: &[u8], pos: usize, key: u64) -> Result<usize, WireError> {
    if key >> 35 != 0 {
        return Err(WireError::new("field number too large"));
    }
    let varint_end = |pos: usize| {
        let mut at = pos;
        read_varint_inline(buf, &mut at).map(|value| (value, at))
    };
    let wire_type = key & 7;
    if wire_type == 2 {
        let (len, at) = varint_end(pos)?;
        slice_at(buf, at, len).map(|(_, end)| end)
    } else if wire_type == 0 {
        varint_end(pos).map(|(_, at)| at)
    } else if wire_type == 1 {
        slice_at(buf, pos, 8).map(|(_, end)| end)
    } else if wire_type == 5 {
        slice_at(buf, pos, 4).map(|(_, end)| end)
    } else {
        Err(WireError::new("unsupported wire type"))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::wire::{put_bytes, put_uint};

    /// Fields 1 to 4: a varint (300), a fixed64, bytes ("abc"), a fixed32.
    fn every_wire_type() -> Vec<u8> {
        let mut buf = Vec::new();
        put_uint(&mut buf, 1, 300);
        buf.push(2 << 3 | 1);
        buf.extend(0x0102_0304_0506_0708u64.to_le_bytes());
        put_bytes(&mut buf, 3, b"abc");
        buf.push(4 << 3 | 5);
        buf.extend(0x0a0b_0c0du32.to_le_bytes());
        buf
    }

    #[test]
    fn every_wire_type_is_read_and_groups_are_refused() {
        let buf = every_wire_type();
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

    /// `skip_field` ends each field where the field iterator does, and
    /// fails where it fails: every wire type, a fixed value cut short, a
    /// length past the end, a group, a field number past 32 bits.
    #[test]
    fn skip_field_ends_fields_as_the_iterator_does() {
        let buf = every_wire_type();
        let skip = |buf: &[u8], pos: usize| {
            let mut at = pos;
            let key = read_varint(buf, &mut at)?;
            skip_field(buf, at, key)
        };
        let (mut pos, mut fields) = (0, Fields::new(&buf));
        while pos < buf.len() {
            pos = skip(&buf, pos).unwrap();
            fields.next().unwrap().unwrap();
            assert_eq!(pos, fields.pos);
        }
        assert_eq!(pos, buf.len());
        let mut too_large = Vec::new();
        crate::pbf::wire::put_varint(&mut too_large, (1u64 << 35) | 2);
        too_large.push(0);
        for bad in [
            &[2 << 3 | 1, 1, 2, 3][..],
            &[4 << 3 | 5, 1][..],
            &[3 << 3 | 2, 5, 1][..],
            &[5 << 3 | 3, 0][..],
            &[5 << 3 | 7, 0][..],
            &too_large[..],
        ] {
            assert!(skip(bad, 0).is_err(), "{bad:?}");
            assert!(Fields::new(bad).next().unwrap().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn field_length_past_end_is_an_error() {
        let buf = [0x0a, 0x05, 1, 2];
        let err = Fields::new(&buf).next().unwrap().unwrap_err();
        assert!(err.0.contains("runs past"));
    }
}
