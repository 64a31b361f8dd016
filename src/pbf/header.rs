//! The OSMHeader block: what a file promises about itself.
//!
//! Why it matters: `required_features` is the file telling us what a reader
//! must understand; a reader that ignores a requirement it cannot meet gives
//! wrong answers silently. `Sort.Type_then_ID` lets later passes read only
//! the blobs they need.
//!
//! In: the decompressed bytes of the first blob. Out: a [`HeaderBlock`], or
//! the reason we cannot read this file.

use super::wire::{Fields, Value};

/// Required features this reader understands.
const SUPPORTED_FEATURES: &[&str] = &[
    "OsmSchema-V0.6",
    "DenseNodes",
    "LocationsOnWays",
    HISTORY_FEATURE,
];

/// The required feature of a history file: several versions of an object,
/// with `visible` flags (`camcount history` reads them through time).
pub const HISTORY_FEATURE: &str = "HistoricalInformation";

/// The optional feature that declares nodes, then ways, then relations, each by id.
pub const SORTED_FEATURE: &str = "Sort.Type_then_ID";

/// A bounding box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl BBox {
    /// Whether the box can say where data lies: a box of no width or
    /// height (fields left out read as 0), upside down or across the
    /// antimeridian (west above east) cannot.
    pub fn is_usable(&self) -> bool {
        self.min_lon < self.max_lon && self.min_lat < self.max_lat
    }

    /// Whether a position (edges included) lies in the box.
    pub fn contains(&self, (lon, lat): (f64, f64)) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }
}

/// The parts of the OSMHeader we use or report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderBlock {
    pub bbox: Option<BBox>,
    pub required_features: Vec<String>,
    pub optional_features: Vec<String>,
    pub writing_program: Option<String>,
    pub replication_timestamp: Option<i64>,
}

impl HeaderBlock {
    /// Parses a header block and checks that we can honour its requirements.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut header = HeaderBlock::default();
        for field in Fields::new(bytes) {
            let (number, value) = field.map_err(|e| format!("corrupt OSMHeader: {e}"))?;
            header.apply_field(number, value)?;
        }
        header.check_required_features()?;
        Ok(header)
    }

    fn apply_field(&mut self, number: u32, value: Value<'_>) -> Result<(), String> {
        let text = |v: Value<'_>| -> Result<String, String> {
            let bytes = v.bytes().map_err(|e| format!("corrupt OSMHeader: {e}"))?;
            String::from_utf8(bytes.to_vec())
                .map_err(|_| "OSMHeader string is not UTF-8".to_string())
        };
        match number {
            1 => self.bbox = Some(parse_bbox(value.bytes().map_err(|e| e.to_string())?)?),
            4 => self.required_features.push(text(value)?),
            5 => self.optional_features.push(text(value)?),
            16 => self.writing_program = Some(text(value)?),
            32 => {
                self.replication_timestamp = Some(value.varint().map_err(|e| e.to_string())? as i64)
            }
            _ => {}
        }
        Ok(())
    }

    fn check_required_features(&self) -> Result<(), String> {
        for feature in &self.required_features {
            if !SUPPORTED_FEATURES.contains(&feature.as_str()) {
                return Err(format!(
                    "file requires feature {feature:?}, which camcount does not support"
                ));
            }
        }
        Ok(())
    }

    /// True when the file holds history: several versions of an object.
    pub fn is_history(&self) -> bool {
        self.required_features.iter().any(|f| f == HISTORY_FEATURE)
    }

    /// True when the file declares nodes, then ways, then relations, by id.
    pub fn is_sorted(&self) -> bool {
        self.optional_features.iter().any(|f| f == SORTED_FEATURE)
    }
}

fn parse_bbox(bytes: &[u8]) -> Result<BBox, String> {
    let mut sides = [0i64; 4];
    for field in Fields::new(bytes) {
        let (number, value) = field.map_err(|e| format!("corrupt OSMHeader bbox: {e}"))?;
        if (1..=4).contains(&number) {
            let raw = value
                .varint()
                .map_err(|e| format!("corrupt OSMHeader bbox: {e}"))?;
            sides[number as usize - 1] = super::wire::zigzag(raw);
        }
    }
    // Header bbox fields are left, right, top, bottom in nanodegrees.
    let deg = |v: i64| v as f64 * 1e-9;
    Ok(BBox {
        min_lon: deg(sides[0]),
        max_lon: deg(sides[1]),
        max_lat: deg(sides[2]),
        min_lat: deg(sides[3]),
    })
}

#[cfg(test)]
mod bbox_tests {
    use super::BBox;

    #[test]
    fn only_a_box_with_width_and_height_is_usable() {
        let b = |min_lon, min_lat, max_lon, max_lat| BBox {
            min_lon,
            min_lat,
            max_lon,
            max_lat,
        };
        assert!(b(7.4, 43.7, 7.5, 43.8).is_usable());
        assert!(!b(0.0, 0.0, 0.0, 0.0).is_usable());
        assert!(!b(179.0, -20.0, -179.0, -10.0).is_usable());
        let monaco = b(7.4, 43.7, 7.5, 43.8);
        assert!(monaco.contains((7.4, 43.8)) && monaco.contains((7.45, 43.75)));
        assert!(!monaco.contains((7.39, 43.75)) && !monaco.contains((7.45, 43.81)));
    }
}
