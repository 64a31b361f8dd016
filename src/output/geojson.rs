//! GeoJSON (RFC 7946), for maps: QGIS, uMap, GDAL. Any row kind becomes a
//! feature's properties; the caller gives each row its geometry.
//!
//! Why by hand on serde_json: feature by feature streaming keeps memory
//! flat, and we control the property order and number formatting, so the
//! bytes are stable. A row without a geometry keeps its feature, with
//! `"geometry": null`, as RFC 7946 section 3.2 allows: an unbuilt commune
//! is never silently missing from the map. The run's [`Metadata`] is a
//! foreign member `metadata` of the FeatureCollection (section 6.1), and
//! each feature carries the data date as a property, as each CSV record
//! does: GDAL, QGIS and uMap drop foreign members, and a layer lost its
//! date once opened (found 2026-12-05).
//!
//! In: rows and their geometries. Out: one FeatureCollection.

use std::io::{self, Write};

use geo::MultiPolygon;
use serde_json::{json, Value};

use crate::output::cell::{Cell, Row};
use crate::output::json;
use crate::output::metadata::{Metadata, LICENSE};

/// A feature's id and geometry (`Value::Null` when it has none).
pub struct Shape {
    pub id: Option<String>,
    pub geometry: Value,
}

/// Streams a FeatureCollection, one feature per line.
pub fn write<'r, R: Row + 'r, W: Write>(
    rows: impl IntoIterator<Item = &'r R>,
    shape: impl Fn(&R) -> Shape,
    metadata: &Metadata,
    out: W,
) -> io::Result<()> {
    let features = rows.into_iter().map(|row| (shape(row), row.cells()));
    let new_day = metadata.data_date.day();
    let dates: Vec<(&str, String)> = match &metadata.older {
        Some((_, old)) => vec![("old_data_date", old.day()), ("new_data_date", new_day)],
        None => vec![(crate::output::csv::DATE_COLUMN, new_day)],
    };
    let dates: Vec<(&str, &str)> = dates.iter().map(|(k, v)| (*k, v.as_str())).collect();
    write_features(R::COLUMNS, features, &dates, &metadata.to_json(), out)
}

/// Streams a FeatureCollection of shapes and their cells, keyed by
/// `columns`, each with the properties `dates` after them, under a
/// `metadata` foreign member.
pub fn write_features<'c, W: Write>(
    columns: &[impl AsRef<str>],
    features: impl IntoIterator<Item = (Shape, Vec<Cell<'c>>)>,
    dates: &[(&str, &str)],
    metadata: &Value,
    mut out: W,
) -> io::Result<()> {
    out.write_all(b"{\"type\":\"FeatureCollection\",\"metadata\":")?;
    serde_json::to_writer(&mut out, metadata)?;
    out.write_all(b",\"features\":[")?;
    for (i, (Shape { id, geometry }, cells)) in features.into_iter().enumerate() {
        out.write_all(if i > 0 { b",\n" } else { b"\n" })?;
        let mut feature = json!({"type": "Feature"});
        if let Some(id) = id {
            feature["id"] = Value::from(id);
        }
        feature["geometry"] = geometry;
        let mut properties = json::object_of(columns, &cells);
        for (key, value) in dates {
            properties.insert(key.to_string(), Value::from(*value));
        }
        // GDAL, QGIS and uMap drop the top-level `metadata`, and a layer
        // lost its credit with it (found 2026-12-05): every feature
        // carries it, as it carries its date.
        properties.insert("license".into(), Value::from(LICENSE));
        feature["properties"] = Value::Object(properties);
        serde_json::to_writer(&mut out, &feature)?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()
}

/// A point, rounded to OSM's 7 decimals (about 1 cm).
pub fn point(position: Option<(f64, f64)>) -> Value {
    position.map_or(
        Value::Null,
        |(lon, lat)| json!({"type": "Point", "coordinates": [round7(lon), round7(lat)]}),
    )
}

/// A MultiPolygon, coordinates rounded to OSM's 7 decimals.
pub fn multipolygon(geometry: Option<&MultiPolygon<f64>>) -> Value {
    let Some(geometry) = geometry else {
        return Value::Null;
    };
    let ring = |ring: &geo::LineString<f64>| -> Value {
        ring.coords()
            .map(|c| json!([round7(c.x), round7(c.y)]))
            .collect()
    };
    let polygons: Vec<Value> = geometry
        .iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring)
                .collect()
        })
        .collect();
    json!({"type": "MultiPolygon", "coordinates": polygons})
}

/// Rounds to OSM's 7 decimals, so that no float noise reaches the file.
fn round7(value: f64) -> f64 {
    (value * 1e7).round() / 1e7
}
