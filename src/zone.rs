//! A counting zone: the unit the per-commune table has a row for.
//!
//! Why apart from `Boundary`: zones come from OSM relations or from an
//! external GeoJSON (which has no OSM id, no admin level and is never
//! incomplete). The join and the table only need what both share.
//!
//! In: boundaries or GeoJSON features. Out: zones.

use geo::MultiPolygon;

use crate::boundary::{Boundary, Status};

/// One area cameras are counted in.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub admin_level: String,
    pub osm_id: Option<i64>,
    /// The commune code (`ref:INSEE`, `ref`, or the GeoJSON id field).
    pub reference: Option<String>,
    pub name: Option<String>,
    /// From the OSM `population` tag; a population file may override it.
    pub population: Option<u64>,
    pub area_km2: Option<f64>,
    pub status: Status,
    pub reason: String,
    pub geometry: Option<MultiPolygon<f64>>,
}

impl From<Boundary> for Zone {
    fn from(b: Boundary) -> Zone {
        Zone {
            admin_level: b.admin_level,
            osm_id: Some(b.osm_id),
            reference: b.reference,
            name: b.name,
            population: b.population,
            area_km2: b.area_km2,
            status: b.status,
            reason: b.reason,
            geometry: b.geometry,
        }
    }
}
