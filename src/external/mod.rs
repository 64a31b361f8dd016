//! Side inputs that replace what OSM provides: commune polygons from any
//! GeoJSON (IGN Admin Express, say) and populations from any CSV (INSEE).
//!
//! Why: OSM boundaries are only as complete as the extract, and OSM
//! population tags age. Newsrooms hold official files; camcount joins them
//! on the commune code. Problems name the file and the feature index or
//! line number.

pub mod geojson;
pub mod population;
