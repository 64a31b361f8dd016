//! Output formats, one file each, and the sink they write to.
//!
//! Why apart from the stages: formats only render rows that are already
//! computed and sorted, so that every format tells the same story and the
//! bytes do not depend on thread count. The [`sink`] makes each output
//! appear whole or not at all.
//!
//! In: sorted rows. Out: bytes on a `Write`.

pub mod boundaries;
pub mod csv;
pub mod geojson;
pub mod markdown;
pub mod sink;
pub mod table;

/// Formats a coordinate with OSM's 7-decimal precision (about 1 cm).
pub fn format_degrees(value: f64) -> String {
    format!("{value:.7}")
}
