//! A counting zone: the unit the per-commune table has a row for.
//!
//! Why apart from `Boundary`: zones come from OSM relations or from an
//! external GeoJSON (which has no OSM id, no admin level and is never
//! incomplete). The join and the table only need what both share.
//!
//! In: boundaries or GeoJSON features. Out: zones.

use geo::{InteriorPoint, MultiPolygon};

use crate::boundary::{Boundary, Status};
use crate::index::{Footprint, Placed};

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
    /// What is kept of a geometry dropped at assembly, when no output
    /// draws it (see [`crate::boundary::assemble_placing`]).
    pub footprint: Option<Footprint>,
}

impl Zone {
    /// A point inside the zone: kept at assembly, else found on its
    /// geometry; `None` for a zone not built.
    pub fn interior_point(&self) -> Option<(f64, f64)> {
        if let Some(footprint) = &self.footprint {
            return footprint.interior;
        }
        let point = self.geometry.as_ref()?.interior_point()?;
        Some((point.x(), point.y()))
    }

    /// The zone as the join takes it.
    pub fn as_placeable(&self) -> (Option<&MultiPolygon<f64>>, Option<&Placed>) {
        (
            self.geometry.as_ref(),
            self.footprint.as_ref().map(|f| &f.placed),
        )
    }
}

#[cfg(test)]
impl Zone {
    /// A counted zone with a code and a name and no geometry, for the
    /// tests of what is joined on the code.
    pub(crate) fn named(code: &str, name: &str) -> Zone {
        Zone {
            admin_level: String::new(),
            osm_id: None,
            reference: Some(code.to_string()),
            name: Some(name.to_string()),
            population: None,
            area_km2: None,
            status: Status::Ok,
            reason: String::new(),
            geometry: None,
            footprint: None,
        }
    }
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
            footprint: b.footprint,
        }
    }
}
