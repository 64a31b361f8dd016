//! The per-commune table in CSV, JSON and GeoJSON, and the rollup CSV.
//!
//! Why one column list: every format carries the same columns in the same
//! order, so a figure read in a spreadsheet, a map or a script is the same
//! figure. Numbers are JSON numbers; a value that does not exist (a rate
//! with an unknown or zero denominator, the counts of an unbuilt commune) is
//! an empty cell or `null`, never 0, inf or NaN.
//!
//! In: sorted [`CommuneRow`]s (with their zones for geometry) and
//! [`RollupRow`]s. Out: bytes.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::aggregate::{CommuneRow, RollupRow, Totals, SURVEILLANCE_COLUMNS, TYPE_COLUMNS};
use crate::output::boundaries::multipolygon_json;
use crate::zone::Zone;

/// The leading columns; the type and surveillance counts and `reason` follow.
pub const TABLE_COLUMNS: [&str; 12] = [
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
];

/// Every column of the table, in order.
pub fn table_columns() -> Vec<&'static str> {
    let mut columns = TABLE_COLUMNS.to_vec();
    columns.extend(TYPE_COLUMNS);
    columns.extend(SURVEILLANCE_COLUMNS);
    columns.push("reason");
    columns
}

/// One cell, typed, before a format renders it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Integer(i64),
    /// A value and the decimals to print it with.
    Decimal(f64, usize),
}

impl Cell {
    fn text(value: &Option<String>) -> Cell {
        value.clone().map_or(Cell::Empty, Cell::Text)
    }

    fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Integer(n) => n.to_string(),
            Cell::Decimal(x, decimals) => format!("{x:.decimals$}"),
        }
    }

    fn json(&self) -> Value {
        match self {
            Cell::Empty => Value::Null,
            Cell::Text(s) => Value::from(s.as_str()),
            Cell::Integer(n) => Value::from(*n),
            Cell::Decimal(x, decimals) => {
                let scale = 10f64.powi(*decimals as i32);
                Value::from((x * scale).round() / scale)
            }
        }
    }
}

fn cells(row: &CommuneRow) -> Vec<Cell> {
    let count = |n: Option<u64>| n.map_or(Cell::Empty, |n| Cell::Integer(n as i64));
    let decimal = |x: Option<f64>, d: usize| x.map_or(Cell::Empty, |x| Cell::Decimal(x, d));
    let mut cells = vec![
        Cell::Text(row.admin_level.clone()),
        row.osm_id.map_or(Cell::Empty, Cell::Integer),
        Cell::text(&row.reference),
        Cell::text(&row.name),
        count(row.population),
        Cell::text(&row.population_source),
        decimal(row.area_km2, 4),
        count(row.cameras()),
        decimal(row.cameras_per_1000(), 4),
        decimal(row.inhabitants_per_camera(), 0),
        decimal(row.cameras_per_km2(), 4),
        Cell::Text(row.status.to_string()),
    ];
    for i in 0..4 {
        cells.push(count(row.counts.map(|c| c.by_type[i])));
    }
    for i in 0..4 {
        cells.push(count(row.counts.map(|c| c.by_surveillance[i])));
    }
    cells.push(Cell::Text(row.reason.clone()));
    cells
}

/// Writes the table as CSV with the given delimiter.
pub fn write_csv<W: Write>(rows: &[CommuneRow], delimiter: u8, out: W) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    writer.write_record(table_columns())?;
    for row in rows {
        writer.write_record(cells(row).iter().map(Cell::csv))?;
    }
    writer.flush()
}

fn properties(row: &CommuneRow) -> Map<String, Value> {
    table_columns()
        .into_iter()
        .map(String::from)
        .zip(cells(row).iter().map(Cell::json))
        .collect()
}

/// Writes the table as one JSON document: the rows, the rollup and the totals.
pub fn write_json<W: Write>(
    rows: &[CommuneRow],
    rollup: &[RollupRow],
    totals: &Totals,
    mut out: W,
) -> io::Result<()> {
    let document = json!({
        "license": "Data © OpenStreetMap contributors, ODbL 1.0",
        "totals": totals_json(totals),
        "communes": rows.iter().map(properties).collect::<Vec<_>>(),
        "rollup": rollup.iter().map(rollup_json).collect::<Vec<_>>(),
    });
    serde_json::to_writer_pretty(&mut out, &document)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn totals_json(totals: &Totals) -> Value {
    let levels: Vec<Value> = totals
        .levels
        .iter()
        .map(|l| {
            json!({
                "admin_level": l.admin_level,
                "cameras_in_communes": l.inside,
                "cameras_outside_communes": l.outside,
                "cameras_without_position": l.unplaced,
                "communes": l.zones,
                "communes_counted": l.zones_ok,
                "communes_with_cameras": l.zones_with_cameras,
            })
        })
        .collect();
    json!({"cameras": totals.cameras, "levels": levels})
}

/// Writes commune polygons carrying every column (null geometry when unbuilt).
pub fn write_geojson<W: Write>(rows: &[CommuneRow], zones: &[Zone], out: W) -> io::Result<()> {
    let features = rows.iter().map(|row| {
        let geometry = zones[row.zone]
            .geometry
            .as_ref()
            .map_or(Value::Null, multipolygon_json);
        json!({"type": "Feature", "geometry": geometry, "properties": properties(row)})
    });
    super::write_feature_collection(out, features)
}

/// The rollup columns, in order.
/// `communes_not_counted` follows the columns: communes whose
/// boundary was not built, so their cameras are unknown.
pub const ROLLUP_COLUMNS: [&str; 8] = [
    "group",
    "name",
    "communes",
    "communes_with_cameras",
    "cameras",
    "population",
    "cameras_per_1000",
    "communes_not_counted",
];

fn rollup_cells(row: &RollupRow) -> Vec<Cell> {
    // A group where no commune was counted has unknown, not zero, cameras.
    let counted = row.communes > row.communes_unknown;
    let known = |n: u64| {
        if counted {
            Cell::Integer(n as i64)
        } else {
            Cell::Empty
        }
    };
    vec![
        Cell::Text(row.group.clone()),
        Cell::text(&row.name),
        Cell::Integer(row.communes as i64),
        known(row.communes_with_cameras),
        known(row.cameras),
        row.population
            .map_or(Cell::Empty, |p| Cell::Integer(p as i64)),
        row.cameras_per_1000()
            .map_or(Cell::Empty, |x| Cell::Decimal(x, 4)),
        Cell::Integer(row.communes_unknown as i64),
    ]
}

fn rollup_json(row: &RollupRow) -> Value {
    let map: Map<String, Value> = ROLLUP_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .zip(rollup_cells(row).iter().map(Cell::json))
        .collect();
    Value::Object(map)
}

/// Writes the rollup as CSV.
pub fn write_rollup_csv<W: Write>(rows: &[RollupRow], delimiter: u8, out: W) -> io::Result<()> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    writer.write_record(ROLLUP_COLUMNS)?;
    for row in rows {
        writer.write_record(rollup_cells(row).iter().map(Cell::csv))?;
    }
    writer.flush()
}
