//! The row kinds and their columns: cameras, communes, rollup groups and
//! boundaries.
//!
//! Why one file: a column is added here, name and cell side by side, and
//! every format (CSV, JSON, GeoJSON properties, XLSX) carries it at once, in
//! the same order. Counts are integers, rates have fixed decimals (4, the
//! share of declared 1, people per camera 0), codes stay text.
//!
//! In: rows the stages computed. Out: [`Cell`]s via [`Row`].

use std::borrow::Cow;

use crate::aggregate::{CameraCounts, CommuneRow, RollupRow};
use crate::boundary::Boundary;
use crate::camera::Camera;
use crate::output::cell::{Cell, Row};

impl Row for Camera {
    const COLUMNS: &'static [&'static str] = &[
        "osm_type",
        "osm_id",
        "lon",
        "lat",
        "surveillance",
        "surveillance_type",
        "camera_type",
        "camera_mount",
        "surveillance_zone",
        "direction",
        "operator",
        "name",
        "version",
        "last_edit",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        let (lon, lat) = self.position.unzip();
        let mut cells = vec![
            Cell::Code(Cow::Borrowed(self.osm_type.as_str())),
            Cell::Integer(self.osm_id),
            Cell::decimal(lon, 7),
            Cell::decimal(lat, 7),
        ];
        cells.extend(self.tags.columns().into_iter().map(Cell::text));
        cells.push(Cell::count(self.edit.version.map(|v| v as u64)));
        cells.push(match self.edit.timestamp {
            Some(t) => Cell::Date(crate::dates::iso_instant(t).into()),
            None => Cell::Empty,
        });
        cells
    }
}

/// The per-commune table's columns. The splits by `surveillance:type` and
/// by `surveillance` sit between `status` and `reason`.
const COMMUNE_COLUMNS: [&str; 25] = [
    "admin_level",
    "osm_id",
    "ref",
    "name",
    "population",
    "population_source",
    "area_km2",
    "cameras",
    "cameras_per_1000",
    "inhabitants_per_camera",
    "cameras_per_km2",
    "status",
    "type_camera",
    "type_alpr",
    "type_guard",
    "type_other",
    "surveillance_public",
    "surveillance_outdoor",
    "surveillance_indoor",
    "surveillance_unknown",
    "reason",
    "declared",
    "declared_source",
    "declared_date",
    "osm_share_of_declared",
];

impl Row for CommuneRow {
    const COLUMNS: &'static [&'static str] = &COMMUNE_COLUMNS;

    fn cells(&self) -> Vec<Cell<'_>> {
        let counts = self.counts.as_ref();
        let declared = self.declared.as_ref();
        let mut cells = vec![
            Cell::level(&self.admin_level),
            self.osm_id.map_or(Cell::Empty, Cell::Integer),
            Cell::code(self.reference.as_deref()),
            Cell::text(self.name.as_deref()),
            Cell::count(self.population),
            Cell::text(self.population_source.as_deref()),
            Cell::decimal(self.area_km2, 4),
            Cell::count(self.cameras()),
            Cell::decimal(self.cameras_per_1000(), 4),
            Cell::decimal(self.inhabitants_per_camera(), 0),
            Cell::decimal(self.cameras_per_km2(), 4),
            Cell::Text(Cow::Borrowed(self.status.as_str())),
        ];
        let split = |f: fn(&CameraCounts) -> u64| Cell::count(counts.map(f));
        cells.extend([
            split(|c| c.by_type.camera),
            split(|c| c.by_type.alpr),
            split(|c| c.by_type.guard),
            split(|c| c.by_type.other),
            split(|c| c.by_place.public),
            split(|c| c.by_place.outdoor),
            split(|c| c.by_place.indoor),
            split(|c| c.by_place.unknown),
        ]);
        cells.push(Cell::Text(Cow::Borrowed(&self.reason)));
        cells.push(Cell::count(declared.map(|d| d.cameras)));
        cells.push(Cell::text(declared.and_then(|d| d.source.as_deref())));
        cells.push(Cell::text(declared.and_then(|d| d.date.as_deref())));
        cells.push(Cell::decimal(self.osm_share_of_declared(), 1));
        cells
    }
}

impl Row for RollupRow {
    /// `communes_not_counted` and `population_not_counted`: communes whose
    /// boundary was not built, so their cameras are unknown; their
    /// population is not in `population`, the rate's denominator.
    /// `cameras_in_rate`: the rate's numerator, the cameras of the counted
    /// communes whose population is known, so that `cameras_per_1000` can
    /// be checked from the row itself (a département whose cameras were
    /// all in merged communes of unknown population read 6 cameras beside
    /// a rate of 0, found 2026-12-06). `communes_without_population`:
    /// counted communes of unknown population, whose cameras are left out
    /// of the rate's numerator.
    /// `communes_partial`: counted communes only partly in the extract,
    /// whose cameras are floors. `declared` and `communes_declared`: what
    /// the counted communes declare; `cameras_where_declared` and
    /// `osm_share_of_declared`: those communes' cameras, beside it;
    /// `declared_not_counted`: what the others declare.
    const COLUMNS: &'static [&'static str] = &[
        "group",
        "name",
        "communes",
        "communes_with_cameras",
        "cameras",
        "population",
        "cameras_per_1000",
        "cameras_in_rate",
        "communes_not_counted",
        "population_not_counted",
        "communes_without_population",
        "communes_partial",
        "declared",
        "communes_declared",
        "cameras_where_declared",
        "osm_share_of_declared",
        "declared_not_counted",
    ];

    fn cells(&self) -> Vec<Cell<'_>> {
        // A group where no commune was counted has unknown, not zero, cameras.
        let known = |n: u64| Cell::count(self.any_counted().then_some(n));
        vec![
            Cell::Code(Cow::Borrowed(&self.group)),
            Cell::text(self.name.as_deref()),
            Cell::Integer(self.communes as i64),
            known(self.communes_with_cameras),
            known(self.cameras),
            Cell::count(self.population),
            Cell::decimal(self.cameras_per_1000(), 4),
            known(self.cameras_in_rate),
            Cell::Integer(self.communes_unknown as i64),
            Cell::count(self.population_not_counted),
            Cell::Integer(self.communes_without_population as i64),
            Cell::Integer(self.communes_partial as i64),
            Cell::count((self.communes_declared > 0).then_some(self.declared)),
            Cell::Integer(self.communes_declared as i64),
            Cell::count((self.communes_declared > 0).then_some(self.cameras_where_declared)),
            Cell::decimal(self.osm_share_of_declared(), 1),
            Cell::count((self.declared_not_counted > 0).then_some(self.declared_not_counted)),
        ]
    }
}

impl Row for Boundary {
    const COLUMNS: &'static [&'static str] = &[
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

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Integer(self.osm_id),
            Cell::level(&self.admin_level),
            Cell::text(self.name.as_deref()),
            Cell::code(self.reference.as_deref()),
            Cell::count(self.population),
            Cell::text(self.population_date.as_deref()),
            Cell::decimal(self.area_km2, 4),
            Cell::Text(Cow::Borrowed(self.status.as_str())),
            Cell::Text(Cow::Borrowed(&self.reason)),
            Cell::Integer(self.missing_ways as i64),
            Cell::Integer(self.missing_nodes as i64),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::CameraCounts;
    use crate::boundary::Status;

    fn commune() -> CommuneRow {
        CommuneRow {
            admin_level: "8".into(),
            osm_id: Some(7),
            reference: Some("06012".into()),
            name: Some("Beausoleil".into()),
            population: Some(13_000),
            population_source: Some("osm".into()),
            area_km2: Some(2.7),
            counts: Some(CameraCounts {
                total: 3,
                ..CameraCounts::default()
            }),
            status: Status::Ok,
            reason: String::new(),
            zone: 0,
            declared: None,
        }
    }

    fn assert_one_cell_per_column<R: Row>(row: &R) {
        assert_eq!(row.cells().len(), R::COLUMNS.len());
    }

    #[test]
    fn every_row_kind_has_one_cell_per_column() {
        assert_one_cell_per_column(&commune());
        let unbuilt = CommuneRow {
            counts: None,
            status: Status::Incomplete,
            ..commune()
        };
        assert_one_cell_per_column(&unbuilt);
        assert_eq!(unbuilt.cells()[7], Cell::Empty, "unbuilt reads empty");
    }

    #[test]
    fn codes_are_codes_and_levels_numbers() {
        let row = commune();
        let cells = row.cells();
        assert_eq!(cells[0], Cell::Integer(8));
        assert_eq!(cells[2], Cell::Code("06012".into()));
    }
}
