//! Side inputs that replace or check what OSM provides: commune polygons
//! from any GeoJSON (IGN Admin Express, say), populations from any CSV
//! (INSEE), and the camera counts towns declare, from any CSV.
//!
//! Why: OSM boundaries are only as complete as the extract, and OSM
//! population tags age. Newsrooms hold official files; camcount joins them
//! on the commune code. Problems name the file and the feature index or
//! line number.

pub mod coverage;
pub mod declared;
pub mod geojson;
pub mod population;

/// A path's file name: how outputs and side tables name their sources
/// (not the folder: outputs are shared).
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
