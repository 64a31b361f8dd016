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

/// Streams a GeoJSON FeatureCollection, one feature per line, so that memory
/// stays flat and the bytes are the same on every run.
pub fn write_feature_collection<W: std::io::Write>(
    mut out: W,
    features: impl IntoIterator<Item = serde_json::Value>,
) -> std::io::Result<()> {
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, feature) in features.into_iter().enumerate() {
        out.write_all(if i > 0 { b",\n" } else { b"\n" })?;
        serde_json::to_writer(&mut out, &feature)?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()
}

/// Formats a coordinate with OSM's 7-decimal precision (about 1 cm).
pub fn format_degrees(value: f64) -> String {
    format!("{value:.7}")
}
