//! GeoJSON output (RFC 7946), for maps: QGIS, uMap, GDAL.
//!
//! Why by hand on serde_json: feature by feature streaming keeps memory flat,
//! and we control the property order and number formatting, so the bytes are
//! stable. A camera without a position keeps its feature, with
//! `"geometry": null`, as RFC 7946 section 3.2 allows.
//!
//! In: sorted cameras. Out: one FeatureCollection of Points.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::camera::{Camera, CAMERA_COLUMNS};

/// Writes a FeatureCollection with one Point feature per camera.
pub fn write_cameras<W: Write>(cameras: &[Camera], out: W) -> io::Result<()> {
    super::write_feature_collection(out, cameras.iter().map(camera_feature))
}

fn camera_feature(camera: &Camera) -> Value {
    let geometry = match camera.position {
        Some((lon, lat)) => json!({"type": "Point", "coordinates": [round7(lon), round7(lat)]}),
        None => Value::Null,
    };
    let mut properties = Map::new();
    properties.insert(CAMERA_COLUMNS[0].into(), camera.osm_type.as_str().into());
    properties.insert(CAMERA_COLUMNS[1].into(), camera.osm_id.into());
    let (lon, lat) = camera
        .position
        .map_or((Value::Null, Value::Null), |(lon, lat)| {
            (round7(lon).into(), round7(lat).into())
        });
    properties.insert(CAMERA_COLUMNS[2].into(), lon);
    properties.insert(CAMERA_COLUMNS[3].into(), lat);
    for (name, value) in CAMERA_COLUMNS[4..].iter().zip(camera.tags.columns()) {
        properties.insert((*name).into(), value.map_or(Value::Null, Value::from));
    }
    json!({
        "type": "Feature",
        "id": format!("{}/{}", camera.osm_type.as_str(), camera.osm_id),
        "geometry": geometry,
        "properties": properties,
    })
}

/// Rounds to OSM's 7 decimals, so that no float noise reaches the file.
fn round7(value: f64) -> f64 {
    (value * 1e7).round() / 1e7
}
