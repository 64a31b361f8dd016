//! CSV output, for journalists and spreadsheets.
//!
//! In: sorted cameras. Out: RFC 4180 CSV with a header row; absent values are
//! empty cells, never "null".

use std::io::Write;

use crate::camera::{Camera, CAMERA_COLUMNS};
use crate::output::format_degrees;

/// Writes one row per camera, in the order given.
pub fn write_cameras<W: Write>(cameras: &[Camera], out: W) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(CAMERA_COLUMNS)?;
    for camera in cameras {
        writer.write_record(camera_record(camera))?;
    }
    writer.flush()
}

fn camera_record(camera: &Camera) -> Vec<String> {
    let (lon, lat) = match camera.position {
        Some((lon, lat)) => (format_degrees(lon), format_degrees(lat)),
        None => (String::new(), String::new()),
    };
    let mut record = vec![
        camera.osm_type.as_str().to_string(),
        camera.osm_id.to_string(),
        lon,
        lat,
    ];
    record.extend(
        camera
            .tags
            .columns()
            .iter()
            .map(|v| v.unwrap_or_default().to_string()),
    );
    record
}
