//! The owned OSM elements: what the writer takes and what
//! [`super::read_elements`] gives back.
//!
//! Why a module of their own: the reader builds them too (a block's edit
//! metadata, tests' and tools' whole-file reads), and it should not import
//! the writer for them.
//!
//! In: nothing; plain data. Out: [`OsmNode`], [`OsmWay`], [`OsmRelation`]
//! with their [`OsmMember`]s, their edit metadata [`OsmMeta`], and the
//! part of it a camera keeps, [`Edit`].

use super::block::ElementType;

/// An element's edit metadata. Extracts carry it: Geofabrik's public ones
/// keep the version and timestamp and blank the changeset, uid and user.
/// Nothing camcount counts depends on it, but it takes room in every
/// block (the benchmark corpus is 13 % larger with it), so a corpus
/// without it would be unlike the files users run on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsmMeta {
    pub version: i32,
    /// Seconds since 1970-01-01 UTC.
    pub timestamp: i64,
    pub changeset: i64,
    pub uid: i32,
    pub user: String,
    /// `visible=false` of a history file: this version deletes the object.
    /// Written only by [`super::writer::PbfWriter::history`].
    pub deleted: bool,
}

/// An object's version and the time of its last edit, as the file gives
/// them (extracts without metadata have neither). Cameras keep it; it
/// lives here because the block reader builds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Edit {
    pub version: Option<i32>,
    /// Unix seconds, UTC.
    pub timestamp: Option<i64>,
}

impl Edit {
    /// From a block's metadata: 0 means absent for both fields.
    pub fn new(version: i32, timestamp: i64) -> Self {
        Edit {
            version: (version > 0).then_some(version),
            timestamp: (timestamp > 0).then_some(timestamp),
        }
    }
}

/// An owned node, positioned in degrees.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmNode {
    pub id: i64,
    pub lon: f64,
    pub lat: f64,
    pub tags: Vec<(String, String)>,
    /// `None` when the file has none, or when it was not read.
    pub meta: Option<OsmMeta>,
}

/// An owned way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmWay {
    pub id: i64,
    pub refs: Vec<i64>,
    pub tags: Vec<(String, String)>,
    /// `None` when the file has none, or when it was not read.
    pub meta: Option<OsmMeta>,
}

/// An owned relation member.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmMember {
    pub kind: ElementType,
    pub id: i64,
    pub role: String,
}

/// An owned relation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OsmRelation {
    pub id: i64,
    pub members: Vec<OsmMember>,
    pub tags: Vec<(String, String)>,
    /// `None` when the file has none, or when it was not read (the scan
    /// never reads it).
    pub meta: Option<OsmMeta>,
}
