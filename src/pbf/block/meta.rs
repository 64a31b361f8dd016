//! Edit metadata: an element's Info message, and the DenseInfo columns
//! read node by node alongside dense coordinates.
//!
//! Why apart: nothing camcount counts depends on metadata, so it is parsed
//! only for the few elements a run reports or compares, and kept raw
//! ([`RawMeta`], string-table index for the user) until then.
//!
//! In: Info and DenseInfo bytes. Out: [`RawMeta`], and from it an owned
//! [`OsmMeta`] or a camera's [`Edit`].

use super::PrimitiveBlock;
use crate::pbf::owned::{Edit, OsmMeta};
use crate::pbf::wire::{
    read_varint_inline, skip_field, slice_at, zigzag, Fields, Packed, WireError,
};

impl<'a> PrimitiveBlock<'a> {
    /// An element's metadata with its timestamp in seconds and its user
    /// name resolved.
    pub fn owned_meta(&self, raw: RawMeta) -> Result<OsmMeta, WireError> {
        Ok(OsmMeta {
            version: raw.version,
            timestamp: raw.timestamp.saturating_mul(self.date_granularity) / 1000,
            changeset: raw.changeset,
            uid: raw.uid,
            user: self.str(raw.user_sid)?.to_string(),
            deleted: raw.deleted,
        })
    }

    /// An element's version and timestamp in seconds, without resolving
    /// its user name.
    pub fn edit(&self, raw: RawMeta) -> Edit {
        Edit::new(
            raw.version,
            raw.timestamp.saturating_mul(self.date_granularity) / 1000,
        )
    }
}

/// An element's metadata as the block stores it: the timestamp in the
/// block's date units, the user as a string table index (see
/// [`PrimitiveBlock::owned_meta`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawMeta {
    pub version: i32,
    pub timestamp: i64,
    pub changeset: i64,
    pub uid: i32,
    pub user_sid: u32,
    /// `visible=false` in a history file: this version deletes the object.
    pub deleted: bool,
}

/// An `Info` message (a way's, a relation's or a non-dense node's).
pub(super) fn parse_info(bytes: &[u8]) -> Result<RawMeta, WireError> {
    let mut meta = RawMeta::default();
    let pos = info_in_order(bytes, |key, value| match key {
        1 => meta.version = value as i32,
        2 => meta.timestamp = value as i64,
        3 => meta.changeset = value as i64,
        4 => meta.uid = value as i32,
        5 => meta.user_sid = value as u32,
        _ => meta.deleted = value == 0,
    })?;
    match pos == bytes.len() {
        true => Ok(meta),
        false => info_by_fields(&bytes[pos..], meta),
    }
}

/// The fields of an Info message laid out as every writer gives them,
/// fields 1 to 6 in order, each handed to `take` (field number, value);
/// returns where the first field out of that order starts (the field
/// iterator, [`info_by_fields`], reads on from there).
///
/// Why straight code: a history read takes the Info of every way and
/// relation version. Each field's test is a branch of its own, which the
/// CPU predicts, where one loop's branches, taken differently field after
/// field, it did not.
#[inline(always)]
fn info_in_order(bytes: &[u8], mut take: impl FnMut(u8, u64)) -> Result<usize, WireError> {
    let mut pos = 0;
    for field in 1..=6u8 {
        if bytes.get(pos) != Some(&(field << 3)) {
            break;
        }
        let value;
        (value, pos) = varint_at(bytes, pos + 1)?;
        take(field, value);
    }
    Ok(pos)
}

/// `meta` with the fields of the Info bytes `bytes` read over it, through
/// the field iterator: any layout, a field given twice read last.
fn info_by_fields(bytes: &[u8], mut meta: RawMeta) -> Result<RawMeta, WireError> {
    for field in Fields::new(bytes) {
        match field? {
            (1, v) => meta.version = v.varint()? as i32,
            (2, v) => meta.timestamp = v.varint()? as i64,
            (3, v) => meta.changeset = v.varint()? as i64,
            (4, v) => meta.uid = v.varint()? as i32,
            (5, v) => meta.user_sid = v.varint()? as u32,
            (6, v) => meta.deleted = v.varint()? == 0,
            _ => {}
        }
    }
    Ok(meta)
}

/// What the history read needs of every way version it passes: the
/// version, the timestamp in the block's date units and whether the
/// version deletes the way (0, 0 and false without an Info).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RawEdit {
    pub version: i32,
    pub timestamp: i64,
    pub deleted: bool,
}

impl<'a> PrimitiveBlock<'a> {
    /// The [`RawEdit`] of a way message (or a relation's, or a non-dense
    /// node's): the fields of its Info that a count through time reads.
    ///
    /// Why not the element parser: a history file holds every version of
    /// every way, and the way stage reads each one's edit. Here the way's
    /// fields before its Info are passed over by their keys alone (its
    /// tags and refs are not looked at), and the Info is `parse_info`'s,
    /// errors included. Inlined into the way stage's walk: called there,
    /// its edit came back through memory, way after way (way stage
    /// 0.200 → 0.190 s, medians of seven interleaved runs, 2026-12-07).
    #[inline]
    pub fn element_edit(&self, message: &[u8]) -> Result<RawEdit, WireError> {
        let mut pos = 0;
        while pos < message.len() {
            let key;
            (key, pos) = varint_at(message, pos)?;
            if key == 0x22 {
                let (len, at) = varint_at(message, pos)?;
                return info_edit(slice_at(message, at, len)?.0);
            } else if key >> 3 == 4 {
                return Err(WireError::new("expected a length-delimited field"));
            }
            pos = skip_field(message, pos, key)?;
        }
        Ok(RawEdit::default())
    }

    /// A date in the block's date units, in Unix seconds.
    pub fn seconds(&self, timestamp: i64) -> i64 {
        timestamp.saturating_mul(self.date_granularity) / 1000
    }
}

/// The [`RawEdit`] of an Info message: [`parse_info`] with only the
/// version, timestamp and visible flag kept.
#[inline]
fn info_edit(info: &[u8]) -> Result<RawEdit, WireError> {
    let mut edit = RawEdit::default();
    let pos = info_in_order(info, |key, value| match key {
        1 => edit.version = value as i32,
        2 => edit.timestamp = value as i64,
        6 => edit.deleted = value == 0,
        _ => {}
    })?;
    if pos == info.len() {
        return Ok(edit);
    }
    let so_far = RawMeta {
        version: edit.version,
        timestamp: edit.timestamp,
        deleted: edit.deleted,
        ..RawMeta::default()
    };
    let meta = info_by_fields(&info[pos..], so_far)?;
    Ok(RawEdit {
        version: meta.version,
        timestamp: meta.timestamp,
        deleted: meta.deleted,
    })
}

/// The varint at `pos` and where the next field starts. By value, not
/// through `&mut pos`: the walk's position then stays in a register, where
/// a position passed by reference to the long-varint reader is kept in
/// memory, and each field waits on a store and a load.
#[inline(always)]
fn varint_at(buf: &[u8], pos: usize) -> Result<(u64, usize), WireError> {
    let mut at = pos;
    let value = read_varint_inline(buf, &mut at)?;
    Ok((value, at))
}

/// The DenseInfo columns, read node by node alongside the coordinates.
/// Versions are plain; the other columns are delta-coded. A writer may
/// leave a column out (it then reads as zeros), but not cut one short.
pub(super) struct DenseMeta<'a> {
    versions: Packed<'a>,
    timestamps: Packed<'a>,
    changesets: Packed<'a>,
    uids: Packed<'a>,
    user_sids: Packed<'a>,
    /// Field 6, packed bools, present only in history files.
    visibles: Packed<'a>,
    current: RawMeta,
    present: PresentColumns,
}

/// Which DenseInfo columns a message holds (a missing one reads as zeros).
#[derive(Clone, Copy)]
struct PresentColumns {
    version: bool,
    timestamp: bool,
    changeset: bool,
    uid: bool,
    user_sid: bool,
}

impl<'a> DenseMeta<'a> {
    pub(super) fn parse(bytes: &'a [u8]) -> Result<Self, WireError> {
        let mut columns: [&[u8]; 5] = [&[]; 5];
        let mut visibles: &[u8] = &[];
        for field in Fields::new(bytes) {
            let (number, value) = field?;
            match number {
                n @ 1..=5 => columns[n as usize - 1] = value.bytes()?,
                6 => visibles = value.bytes()?,
                _ => {}
            }
        }
        let [versions, timestamps, changesets, uids, user_sids] = columns;
        Ok(DenseMeta {
            versions: Packed::new(versions),
            timestamps: Packed::new(timestamps),
            changesets: Packed::new(changesets),
            uids: Packed::new(uids),
            user_sids: Packed::new(user_sids),
            visibles: Packed::new(visibles),
            current: RawMeta::default(),
            present: PresentColumns {
                version: !versions.is_empty(),
                timestamp: !timestamps.is_empty(),
                changeset: !changesets.is_empty(),
                uid: !uids.is_empty(),
                user_sid: !user_sids.is_empty(),
            },
        })
    }

    pub(super) fn next(&mut self) -> Result<RawMeta, WireError> {
        fn take(column: &mut Packed<'_>, present: bool) -> Result<u64, WireError> {
            match (present, column.next()) {
                (false, _) => Ok(0),
                (true, Some(value)) => value,
                (true, None) => Err(WireError::new(
                    "dense node metadata is shorter than the id column",
                )),
            }
        }
        let present = self.present;
        let m = &mut self.current;
        m.version = take(&mut self.versions, present.version)? as i32;
        m.timestamp = m
            .timestamp
            .wrapping_add(zigzag(take(&mut self.timestamps, present.timestamp)?));
        m.changeset = m
            .changeset
            .wrapping_add(zigzag(take(&mut self.changesets, present.changeset)?));
        m.uid = m
            .uid
            .wrapping_add(zigzag(take(&mut self.uids, present.uid)?) as i32);
        m.user_sid = m
            .user_sid
            .wrapping_add(zigzag(take(&mut self.user_sids, present.user_sid)?) as u32);
        // Without the column every node is visible (a non-history file).
        m.deleted = self.visibles.next().transpose()? == Some(0);
        Ok(*m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pbf::wire::{put_bytes, put_uint};

    /// A block of no elements: only its date unit matters here.
    fn block(bytes: &[u8]) -> PrimitiveBlock<'_> {
        PrimitiveBlock::parse(bytes).unwrap()
    }

    /// An Info message of the given fields, in the given order.
    fn info(fields: &[(u32, u64)]) -> Vec<u8> {
        let mut out = Vec::new();
        fields.iter().for_each(|&(n, v)| put_uint(&mut out, n, v));
        out
    }

    /// A way message: id, tags, the Info, refs.
    fn way(info: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        put_uint(&mut out, 1, 77);
        put_bytes(&mut out, 2, &[1, 2]);
        put_bytes(&mut out, 3, &[3, 4]);
        put_bytes(&mut out, 4, info);
        put_bytes(&mut out, 8, &[2, 2, 2]);
        out
    }

    /// An Info read through the field iterator alone: the reference for
    /// `parse_info`'s straight code (and so `element_edit`'s).
    fn reference_info(bytes: &[u8]) -> Result<RawMeta, WireError> {
        info_by_fields(bytes, RawMeta::default())
    }

    #[test]
    fn parse_info_reads_as_the_field_iterator() {
        let full = info(&[
            (1, 3),
            (2, 1 << 33),
            (3, 9_999_999),
            (4, 4242),
            (5, 7),
            (6, 0),
        ]);
        let cases = [
            full.clone(),
            info(&[(1, 3), (2, 1_600_000_000), (6, 1), (1, 4), (5, 2)]),
            info(&[(6, 0), (9, 1 << 40), (2, 1 << 33), (1, 300)]),
            [full.clone(), info(&[(3, 5), (4, 6)])].concat(),
            info(&[]),
        ];
        for case in &cases {
            assert_eq!(parse_info(case), reference_info(case), "{case:?}");
        }
        for cut in 0..full.len() {
            let (fast, reference) = (parse_info(&full[..cut]), reference_info(&full[..cut]));
            assert_eq!(fast.is_ok(), reference.is_ok(), "cut at {cut}");
            if fast.is_ok() {
                assert_eq!(fast, reference, "cut at {cut}");
            }
        }
        let mut version_as_bytes = Vec::new();
        put_bytes(&mut version_as_bytes, 1, &[3]);
        assert!(parse_info(&version_as_bytes).is_err());
    }

    /// What the field iterator reads of the same message.
    fn by_fields(message: &[u8]) -> Result<RawEdit, WireError> {
        for field in Fields::new(message) {
            if let (4, v) = field? {
                let raw = reference_info(v.bytes()?)?;
                return Ok(RawEdit {
                    version: raw.version,
                    timestamp: raw.timestamp,
                    deleted: raw.deleted,
                });
            }
        }
        Ok(RawEdit::default())
    }

    #[test]
    fn the_edit_is_what_the_field_iterator_reads() {
        let empty = Vec::new();
        let block = block(&empty);
        let cases = [
            // As osmium writes it: every field, visible last.
            info(&[
                (1, 3),
                (2, 1_600_000_000),
                (3, 9_999_999),
                (4, 4242),
                (5, 7),
                (6, 1),
            ]),
            info(&[(1, 2), (2, 1_600_000_000), (6, 0)]),
            // Another order, a field unknown to both, long varints.
            info(&[(6, 0), (9, 1 << 40), (2, 1 << 33), (1, 300)]),
            info(&[]),
            // In order, then given again: the last one holds.
            info(&[(1, 3), (2, 1_600_000_000), (6, 1), (1, 4), (6, 0)]),
            // All six in order, the version deleted.
            info(&[(1, 5), (2, 1_600_000_000), (3, 1), (4, 2), (5, 3), (6, 0)]),
            // In order up to a field out of place.
            info(&[(1, 3), (2, 1_600_000_000), (5, 7), (4, 9), (6, 0)]),
        ];
        for info in &cases {
            let message = way(info);
            assert_eq!(
                block.element_edit(&message),
                by_fields(&message),
                "{info:?}"
            );
        }
        // Without an Info.
        let mut bare = Vec::new();
        put_uint(&mut bare, 1, 5);
        assert_eq!(block.element_edit(&bare), Ok(RawEdit::default()));
        assert_eq!(block.seconds(1_600_000_000), 1_600_000_000);
    }

    #[test]
    fn a_damaged_edit_is_an_error_as_through_the_field_iterator() {
        let empty = Vec::new();
        let block = block(&empty);
        let good = way(&info(&[(1, 3), (2, 1_600_000_000), (6, 1)]));
        // Cut anywhere, the message is read the same or refused by both.
        for cut in 0..good.len() {
            let message = &good[..cut];
            let (lean, full) = (block.element_edit(message), by_fields(message));
            assert_eq!(
                lean.is_ok(),
                full.is_ok(),
                "cut at {cut}: {lean:?} {full:?}"
            );
            if lean.is_ok() {
                assert_eq!(lean, full, "cut at {cut}");
            }
        }
        // A version as bytes, an Info as a varint.
        let mut version_as_bytes = Vec::new();
        put_bytes(&mut version_as_bytes, 1, &[3]);
        assert!(block.element_edit(&way(&version_as_bytes)).is_err());
        assert!(by_fields(&way(&version_as_bytes)).is_err());
        let mut info_as_varint = Vec::new();
        put_uint(&mut info_as_varint, 4, 3);
        assert!(block.element_edit(&info_as_varint).is_err());
        assert!(by_fields(&info_as_varint).is_err());
        // A changeset as bytes, a field number past 2^32: refused by both,
        // though the edit does not read them.
        let mut changeset_as_bytes = Vec::new();
        put_bytes(&mut changeset_as_bytes, 3, &[3]);
        assert!(block.element_edit(&way(&changeset_as_bytes)).is_err());
        assert!(by_fields(&way(&changeset_as_bytes)).is_err());
        let mut huge_field = Vec::new();
        crate::pbf::wire::put_varint(&mut huge_field, (1u64 << 35) << 3);
        crate::pbf::wire::put_varint(&mut huge_field, 1);
        assert!(block.element_edit(&huge_field).is_err());
        assert!(by_fields(&huge_field).is_err());
    }
}
