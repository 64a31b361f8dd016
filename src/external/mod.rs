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

/// Whether an invalid polygon's area is the area it encloses: true when its
/// rings only touch (IGN's Condé-en-Normandie, 14174, one ring through a
/// point twice), false when they cross or overlap (a bowtie, a hole beyond
/// its shell), where the signed sum of its rings is no area at all. Told by
/// rebuilding it with an even-odd overlay and comparing the areas.
pub fn has_one_area(geometry: &geo::MultiPolygon<f64>) -> bool {
    use geo::Area;
    let rebuilt = normalised(geometry).unsigned_area();
    let summed = geometry.unsigned_area();
    (rebuilt - summed).abs() <= 1e-9 * rebuilt.max(summed).max(f64::MIN_POSITIVE)
}

/// A polygon's region by the even-odd rule, as valid polygons: what a
/// plain pass counts a point inside of.
pub fn normalised(geometry: &geo::MultiPolygon<f64>) -> geo::MultiPolygon<f64> {
    use geo::BooleanOps;
    geometry.union(&geo::MultiPolygon::<f64>::new(Vec::new()))
}
