//! The external GeoJSON boundary reader on arbitrary bytes: zones or an
//! error naming what is wrong, never a panic.
#![no_main]

use camcount::external::geojson::zones_from_slice;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zones_from_slice(data, "code", Some("nom"));
});
