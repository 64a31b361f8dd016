//! Commune polygons from an external GeoJSON FeatureCollection.
//!
//! Every feature must carry the id field and a Polygon or MultiPolygon with
//! closed rings of at least four positions; anything else is an error naming
//! the feature index, since silently dropping a commune would make it read
//! zero. A self-intersecting polygon is kept (point lookups still work) and
//! warned about.
//!
//! In: a GeoJSON path and the id and name fields. Out: zones, in file order.

use std::io::BufReader;
use std::path::Path;

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use serde_json::Value;

use crate::boundary::area::ellipsoidal_area;
use crate::boundary::Status;
use crate::error::{Error, Result};
use crate::zone::Zone;

/// Zones read from a GeoJSON file, and warnings about kept features.
#[derive(Debug, Clone, Default)]
pub struct ExternalZones {
    pub zones: Vec<Zone>,
    pub warnings: Vec<String>,
}

/// Reads a FeatureCollection of polygons.
pub fn read_zones(path: &Path, id_field: &str, name_field: Option<&str>) -> Result<ExternalZones> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        // Else the first read fails inside the parser, as "invalid JSON".
        let kind = std::io::ErrorKind::IsADirectory;
        let problem = std::io::Error::new(kind, "is a directory, not a GeoJSON file");
        return Err(Error::read(path, problem));
    }
    // Streamed: a country's communes make a large file, and its parsed
    // tree is what must fit in memory.
    let root: Value = serde_json::from_reader(BufReader::new(file))
        .map_err(|e| Error::input(path, format!("invalid JSON: {e}")))?;
    zones_from_json(&root, id_field, name_field).map_err(|message| Error::input(path, message))
}

/// Reads zones from GeoJSON bytes; the error says what is wrong and, for a
/// feature, its index. (The fuzzer's entry point.)
pub fn zones_from_slice(
    bytes: &[u8],
    id_field: &str,
    name_field: Option<&str>,
) -> std::result::Result<ExternalZones, String> {
    let root: Value = serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))?;
    zones_from_json(&root, id_field, name_field)
}

fn zones_from_json(
    root: &Value,
    id_field: &str,
    name_field: Option<&str>,
) -> std::result::Result<ExternalZones, String> {
    let features = match (&root["type"], root["features"].as_array()) {
        (Value::String(t), Some(features)) if t == "FeatureCollection" => features,
        _ => return Err("not a GeoJSON FeatureCollection".into()),
    };
    let mut external = ExternalZones::default();
    for (index, feature) in features.iter().enumerate() {
        let zone = read_feature(feature, id_field, name_field)
            .map_err(|m| format!("feature {index}: {m}"))?;
        if let Some(geometry) = &zone.geometry {
            if !geometry.is_valid() {
                external.warnings.push(format!(
                    "feature {index} ({}): invalid polygon (self-intersection or similar); kept",
                    zone.reference.as_deref().unwrap_or("")
                ));
            }
        }
        external.zones.push(zone);
    }
    Ok(external)
}

fn read_feature(
    feature: &Value,
    id_field: &str,
    name_field: Option<&str>,
) -> std::result::Result<Zone, String> {
    let properties = &feature["properties"];
    let id = match &properties[id_field] {
        Value::String(s) if !s.trim().is_empty() => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => {
            return Err(format!(
                "no {id_field:?} property (set --boundary-id-field)"
            ))
        }
    };
    let name = name_field
        .and_then(|f| properties[f].as_str())
        .map(str::to_string);
    let geometry = read_geometry(&feature["geometry"])?.orient(Direction::Default);
    Ok(Zone {
        admin_level: String::new(),
        osm_id: None,
        reference: Some(id),
        name,
        population: None,
        area_km2: Some(ellipsoidal_area(&geometry) / 1e6),
        status: Status::Ok,
        reason: String::new(),
        geometry: Some(geometry),
    })
}

fn read_geometry(geometry: &Value) -> std::result::Result<MultiPolygon<f64>, String> {
    let coordinates = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Polygon") => Ok(MultiPolygon::new(vec![read_polygon(coordinates)?])),
        Some("MultiPolygon") => {
            let parts = coordinates
                .as_array()
                .ok_or("MultiPolygon without coordinates")?;
            Ok(MultiPolygon::new(
                parts
                    .iter()
                    .map(read_polygon)
                    .collect::<std::result::Result<_, _>>()?,
            ))
        }
        Some(other) => Err(format!(
            "geometry is a {other}, expected Polygon or MultiPolygon"
        )),
        None => Err("no geometry".into()),
    }
}

fn read_polygon(rings: &Value) -> std::result::Result<Polygon<f64>, String> {
    let rings = rings
        .as_array()
        .filter(|r| !r.is_empty())
        .ok_or("polygon without rings")?;
    let mut rings = rings.iter().map(read_ring);
    let exterior = rings.next().ok_or("polygon without rings")??;
    Ok(Polygon::new(
        exterior,
        rings.collect::<std::result::Result<_, _>>()?,
    ))
}

fn read_ring(ring: &Value) -> std::result::Result<LineString<f64>, String> {
    let positions = ring.as_array().ok_or("ring is not an array")?;
    let coords: Vec<Coord<f64>> = positions
        .iter()
        .map(|p| match (p[0].as_f64(), p[1].as_f64()) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok(Coord { x, y }),
            _ => Err(format!("bad position {p}")),
        })
        .collect::<std::result::Result<_, _>>()?;
    if coords.len() < 4 {
        return Err(format!(
            "ring of {} positions; a closed ring needs at least 4",
            coords.len()
        ));
    }
    if coords.first() != coords.last() {
        return Err("ring is not closed (first and last positions differ)".into());
    }
    Ok(LineString::new(coords))
}
