//! What counts as a camera, and how its tags are normalised.
//!
//! Why a module: the rule is the heart of every figure camcount prints, so it
//! lives in one place. An object counts when it carries `man_made=surveillance`
//! (<https://wiki.openstreetmap.org/wiki/Tag:man_made=surveillance>), whatever
//! its other tags say; a mapped guard or an ALPR reader counts too, and the
//! `surveillance_type` column lets users split them.
//!
//! In: tag keys and values of one element. Out: a [`Camera`] with the fields
//! every output shares.

use crate::pbf::block::ElementType;
pub use crate::pbf::owned::Edit;

/// The tag that makes an object a camera.
pub const CAMERA_KEY: &str = "man_made";
pub const CAMERA_VALUE: &str = "surveillance";

/// Whether owned tags (a version read in full) mark a camera.
pub fn tagged_camera(tags: &[(String, String)]) -> bool {
    (tags.iter()).any(|(k, v)| k == CAMERA_KEY && v == CAMERA_VALUE)
}

/// One surveillance object, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Camera {
    pub osm_type: ElementType,
    pub osm_id: i64,
    /// `(lon, lat)` in degrees: a node's position, a way's centroid; `None`
    /// for relations and for ways whose nodes are missing from the extract.
    pub position: Option<(f64, f64)>,
    pub tags: CameraTags,
    /// The object's version and last edit, when the file carries them.
    pub edit: Edit,
}

impl Camera {
    /// Sort key for every camera list: type (node, way, relation), then id.
    pub fn sort_key(&self) -> (ElementType, i64) {
        (self.osm_type, self.osm_id)
    }
}

/// The tags we report, as written in OSM (trimmed), `None` when absent.
///
/// Held as one string of the eight values side by side, with where each
/// ends: a national file lists 70,000 cameras, copied from the blobs'
/// findings into one list and sorted, and nine separate strings made each
/// camera 280 bytes and three allocations (one string and 112 bytes now).
/// A blank value is absent, so an empty span means `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CameraTags {
    text: Box<str>,
    /// End of each column's value in `text`, in [`CameraTags::columns`] order.
    ends: [u32; COLUMNS],
}

/// The reported columns: surveillance, surveillance:type, camera:type,
/// camera:mount, surveillance:zone, direction, operator, name.
const COLUMNS: usize = 8;

/// A reported tag, as a key the scan can match on raw bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraField {
    Surveillance,
    SurveillanceType,
    CameraType,
    CameraMount,
    SurveillanceZone,
    CameraDirection,
    Direction,
    Operator,
    Name,
}

impl CameraField {
    /// The field a tag key fills, if we report it.
    pub fn for_key(key: &[u8]) -> Option<Self> {
        Some(match key {
            b"surveillance" => CameraField::Surveillance,
            b"surveillance:type" => CameraField::SurveillanceType,
            b"camera:type" => CameraField::CameraType,
            b"camera:mount" => CameraField::CameraMount,
            b"surveillance:zone" => CameraField::SurveillanceZone,
            b"camera:direction" => CameraField::CameraDirection,
            b"direction" => CameraField::Direction,
            b"operator" => CameraField::Operator,
            b"name" => CameraField::Name,
            _ => return None,
        })
    }
}

/// Gathers one element's tag values as the scan meets them; [`finish`]
/// applies the `camera:direction`-over-`direction` rule once all are in.
///
/// [`finish`]: CameraTagsBuilder::finish
#[derive(Debug, Default)]
pub struct CameraTagsBuilder<'a> {
    values: [Option<&'a str>; COLUMNS],
    /// `direction=*`, held apart so that `camera:direction` wins whatever
    /// the tag order.
    fallback_direction: Option<&'a str>,
}

impl<'a> CameraTagsBuilder<'a> {
    /// Records one tag value; empty values count as absent.
    pub fn set(&mut self, field: CameraField, value: &'a str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let slot = match field {
            CameraField::Surveillance => &mut self.values[0],
            CameraField::SurveillanceType => &mut self.values[1],
            CameraField::CameraType => &mut self.values[2],
            CameraField::CameraMount => &mut self.values[3],
            CameraField::SurveillanceZone => &mut self.values[4],
            CameraField::CameraDirection => &mut self.values[5],
            CameraField::Direction => &mut self.fallback_direction,
            CameraField::Operator => &mut self.values[6],
            CameraField::Name => &mut self.values[7],
        };
        *slot = Some(value);
    }

    /// The tags, with `direction=*` where `camera:direction` is absent.
    pub fn finish(mut self) -> CameraTags {
        if self.values[5].is_none() {
            self.values[5] = self.fallback_direction;
        }
        let mut text = String::with_capacity(self.values.iter().flatten().map(|v| v.len()).sum());
        let mut ends = [0; COLUMNS];
        for (end, value) in ends.iter_mut().zip(self.values) {
            text.push_str(value.unwrap_or(""));
            // A value past 4 GiB cannot come out of a blob (32 MiB at most).
            *end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        }
        CameraTags {
            text: text.into_boxed_str(),
            ends,
        }
    }
}

impl CameraTags {
    /// Builds tags from string pairs; for tests and callers with owned tags.
    ///
    /// # Examples
    /// ```
    /// use camcount::camera::CameraTags;
    /// let tags = CameraTags::from_pairs([("direction", "90"), ("camera:direction", "NE")]);
    /// assert_eq!(tags.direction(), Some("NE"));
    /// ```
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut tags = CameraTagsBuilder::default();
        for (key, value) in pairs {
            if let Some(field) = CameraField::for_key(key.as_bytes()) {
                tags.set(field, value);
            }
        }
        tags.finish()
    }

    /// The reported fields in column order (after osm_type, osm_id, lon, lat).
    pub fn columns(&self) -> [Option<&str>; COLUMNS] {
        std::array::from_fn(|i| self.column(i))
    }

    fn column(&self, i: usize) -> Option<&str> {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends[i] as usize;
        (end > start).then(|| self.text.get(start..end)).flatten()
    }

    /// `surveillance=*`: public, outdoor, indoor, …
    pub fn surveillance(&self) -> Option<&str> {
        self.column(0)
    }

    /// `surveillance:type=*`: camera, ALPR, guard, …
    pub fn surveillance_type(&self) -> Option<&str> {
        self.column(1)
    }

    /// `camera:direction=*`, else `direction=*`, kept as written.
    pub fn direction(&self) -> Option<&str> {
        self.column(5)
    }

    /// `operator=*`.
    pub fn operator(&self) -> Option<&str> {
        self.column(6)
    }

    /// `name=*`.
    pub fn name(&self) -> Option<&str> {
        self.column(7)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_direction_wins_over_direction_in_any_order() {
        let a = CameraTags::from_pairs([("camera:direction", "45"), ("direction", "90")]);
        let b = CameraTags::from_pairs([("direction", "90"), ("camera:direction", "45")]);
        assert_eq!(a.direction(), Some("45"));
        assert_eq!(b.direction(), Some("45"));
    }

    #[test]
    fn direction_is_the_fallback_and_kept_as_written() {
        let tags = CameraTags::from_pairs([("direction", "N;SW")]);
        assert_eq!(tags.direction(), Some("N;SW"));
    }

    #[test]
    fn blank_values_are_absent_and_others_trimmed() {
        let tags = CameraTags::from_pairs([("operator", "  "), ("name", " Gare ")]);
        assert_eq!(tags.operator(), None);
        assert_eq!(tags.name(), Some("Gare"));
    }

    #[test]
    fn every_column_comes_back_in_its_place() {
        let tags = CameraTags::from_pairs([
            ("name", "Gare"),
            ("surveillance", "public"),
            ("camera:mount", "pole"),
            ("surveillance:zone", ""),
            ("operator", "Mairie"),
            ("camera:type", "dome"),
            ("surveillance:type", "ALPR"),
            ("direction", "90"),
        ]);
        assert_eq!(
            tags.columns(),
            [
                Some("public"),
                Some("ALPR"),
                Some("dome"),
                Some("pole"),
                None,
                Some("90"),
                Some("Mairie"),
                Some("Gare"),
            ]
        );
        assert_eq!(CameraTags::default().columns(), [None; COLUMNS]);
        assert_eq!(CameraTags::from_pairs([("name", "é")]).name(), Some("é"));
    }

    #[test]
    fn a_camera_stays_small() {
        // Copied and sorted by the tens of thousands: see CameraTags.
        assert!(std::mem::size_of::<Camera>() <= 112);
    }
}
