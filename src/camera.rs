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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CameraTags {
    /// `surveillance=*`: public, outdoor, indoor, …
    pub surveillance: Option<String>,
    /// `surveillance:type=*`: camera, ALPR, guard, …
    pub surveillance_type: Option<String>,
    /// `camera:type=*`: fixed, dome, panning.
    pub camera_type: Option<String>,
    /// `camera:mount=*`: wall, pole, ceiling, …
    pub camera_mount: Option<String>,
    /// `surveillance:zone=*`: traffic, parking, town, …
    pub surveillance_zone: Option<String>,
    /// `camera:direction=*`, else `direction=*`, kept as written.
    pub direction: Option<String>,
    pub operator: Option<String>,
    pub name: Option<String>,
    /// `direction=*`, held apart so that `camera:direction` wins whatever
    /// the tag order.
    fallback_direction: Option<String>,
}

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

impl CameraTags {
    /// Records one tag value; empty values count as absent.
    pub fn set(&mut self, field: CameraField, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let slot = match field {
            CameraField::Surveillance => &mut self.surveillance,
            CameraField::SurveillanceType => &mut self.surveillance_type,
            CameraField::CameraType => &mut self.camera_type,
            CameraField::CameraMount => &mut self.camera_mount,
            CameraField::SurveillanceZone => &mut self.surveillance_zone,
            CameraField::CameraDirection => &mut self.direction,
            CameraField::Direction => &mut self.fallback_direction,
            CameraField::Operator => &mut self.operator,
            CameraField::Name => &mut self.name,
        };
        *slot = Some(value.to_string());
    }

    /// Applies the `camera:direction`-over-`direction` rule once all tags are in.
    pub fn finish(mut self) -> Self {
        if self.direction.is_none() {
            self.direction = self.fallback_direction.take();
        }
        self.fallback_direction = None;
        self
    }

    /// Builds tags from string pairs; for tests and callers with owned tags.
    ///
    /// # Examples
    /// ```
    /// use camcount::camera::CameraTags;
    /// let tags = CameraTags::from_pairs([("direction", "90"), ("camera:direction", "NE")]);
    /// assert_eq!(tags.direction.as_deref(), Some("NE"));
    /// ```
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut tags = CameraTags::default();
        for (key, value) in pairs {
            if let Some(field) = CameraField::for_key(key.as_bytes()) {
                tags.set(field, value);
            }
        }
        tags.finish()
    }

    /// The reported fields in column order (after osm_type, osm_id, lon, lat).
    pub fn columns(&self) -> [Option<&str>; 8] {
        [
            self.surveillance.as_deref(),
            self.surveillance_type.as_deref(),
            self.camera_type.as_deref(),
            self.camera_mount.as_deref(),
            self.surveillance_zone.as_deref(),
            self.direction.as_deref(),
            self.operator.as_deref(),
            self.name.as_deref(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_direction_wins_over_direction_in_any_order() {
        let a = CameraTags::from_pairs([("camera:direction", "45"), ("direction", "90")]);
        let b = CameraTags::from_pairs([("direction", "90"), ("camera:direction", "45")]);
        assert_eq!(a.direction.as_deref(), Some("45"));
        assert_eq!(b.direction.as_deref(), Some("45"));
    }

    #[test]
    fn direction_is_the_fallback_and_kept_as_written() {
        let tags = CameraTags::from_pairs([("direction", "N;SW")]);
        assert_eq!(tags.direction.as_deref(), Some("N;SW"));
    }

    #[test]
    fn blank_values_are_absent_and_others_trimmed() {
        let tags = CameraTags::from_pairs([("operator", "  "), ("name", " Gare ")]);
        assert_eq!(tags.operator, None);
        assert_eq!(tags.name.as_deref(), Some("Gare"));
    }
}
