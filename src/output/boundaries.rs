//! Boundary outputs: a CSV row or a GeoJSON feature per candidate relation.
//!
//! Every candidate is written, built or not: an `incomplete` or `invalid`
//! boundary keeps its row (and a feature with `"geometry": null`) with its
//! reason, so that nobody mistakes a missing commune for an empty one.
//!
//! In: boundaries sorted by relation id. Out: CSV or GeoJSON (RFC 7946).

use std::io::{self, Write};

use geo::MultiPolygon;
use serde_json::{json, Map, Value};

use crate::boundary::Boundary;

/// The columns, in order, shared by the CSV and the GeoJSON properties.
pub const BOUNDARY_COLUMNS: [&str; 11] = [
    "osm_id",
    "admin_level",
    "name",
    "ref",
    "population",
    "population_date",
    "area_km2",
    "status",
    "reason",
    "missing_ways",
    "missing_nodes",
];

/// Writes one CSV row per boundary.
pub fn write_csv<W: Write>(boundaries: &[Boundary], out: W) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(BOUNDARY_COLUMNS)?;
    for b in boundaries {
        writer.write_record([
            b.osm_id.to_string(),
            b.admin_level.clone(),
            b.name.clone().unwrap_or_default(),
            b.reference.clone().unwrap_or_default(),
            b.population.map(|p| p.to_string()).unwrap_or_default(),
            b.population_date.clone().unwrap_or_default(),
            b.area_km2.map(format_area).unwrap_or_default(),
            b.status.to_string(),
            b.reason.clone(),
            b.missing_ways.to_string(),
            b.missing_nodes.to_string(),
        ])?;
    }
    writer.flush()
}

/// Areas in km² with four decimals (100 m²), as in the reference tables.
pub fn format_area(km2: f64) -> String {
    format!("{km2:.4}")
}

/// Writes a FeatureCollection with one feature per boundary.
pub fn write_geojson<W: Write>(boundaries: &[Boundary], out: W) -> io::Result<()> {
    let features = boundaries.iter().map(|b| {
        json!({
            "type": "Feature",
            "id": format!("relation/{}", b.osm_id),
            "geometry": b.geometry.as_ref().map_or(Value::Null, multipolygon_json),
            "properties": properties(b),
        })
    });
    super::write_feature_collection(out, features)
}

fn properties(b: &Boundary) -> Map<String, Value> {
    let text = |v: &Option<String>| v.as_deref().map_or(Value::Null, Value::from);
    let values = [
        Value::from(b.osm_id),
        Value::from(b.admin_level.as_str()),
        text(&b.name),
        text(&b.reference),
        b.population.map_or(Value::Null, Value::from),
        text(&b.population_date),
        b.area_km2
            .map_or(Value::Null, |a| Value::from(round_to(a, 1e4))),
        Value::from(b.status.as_str()),
        Value::from(b.reason.as_str()),
        Value::from(b.missing_ways),
        Value::from(b.missing_nodes),
    ];
    BOUNDARY_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .zip(values)
        .collect()
}

/// A MultiPolygon as GeoJSON, coordinates rounded to OSM's 7 decimals.
pub fn multipolygon_json(geometry: &MultiPolygon<f64>) -> Value {
    let ring = |ring: &geo::LineString<f64>| -> Value {
        ring.coords()
            .map(|c| json!([round_to(c.x, 1e7), round_to(c.y, 1e7)]))
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

fn round_to(value: f64, scale: f64) -> f64 {
    (value * scale).round() / scale
}
