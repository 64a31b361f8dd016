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
use crate::pbf::wire::{zigzag, Fields, Packed, WireError};

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
