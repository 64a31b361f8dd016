//! Writing protobuf fields: varint, zigzag, length-delimited and packed
//! fields appended to a buffer.
//!
//! Why apart: only our own PBF writer (fixtures, samples, the benchmark
//! corpus) and tests write; the readers never need this half.
//!
//! In: field numbers and values. Out: their bytes, appended to a `Vec<u8>`.

use super::{put_varint, unzigzag};

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
