//! JSON: any row kind as objects keyed by column, and the count's document
//! (metadata, totals, communes, rollup).
//!
//! Why numbers stay numbers: scripts read JSON, and a rate as a string
//! breaks a sort. Each number is the CSV's rounded text parsed back, so
//! both show the same digits; a value that does not exist is `null`.
//!
//! In: rows, metadata, totals. Out: one pretty-printed JSON document.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::aggregate::{CommuneRow, RollupRow, Totals};
use crate::history::through::HistoryRow;
use crate::output::cell::{Cell, Number, Row};
use crate::output::history_rows::{DateTotals, HistorySources};
use crate::output::lang::Lang;
use crate::output::metadata::{Metadata, LICENSE};

/// A cell as a JSON value.
pub fn value(cell: &Cell<'_>) -> Value {
    match cell.number() {
        Some(Number::Integer(n)) => Value::from(n),
        Some(Number::Decimal(x, _)) => Value::from(x),
        None => match cell {
            Cell::Empty => Value::Null,
            other => Value::from(other.to_text().into_owned()),
        },
    }
}

/// One row as an object, keys in column order.
pub fn object<R: Row>(row: &R) -> Map<String, Value> {
    object_of(R::COLUMNS, &row.cells())
}

/// Cells as an object keyed by their columns, in column order.
pub fn object_of(columns: &[impl AsRef<str>], cells: &[Cell<'_>]) -> Map<String, Value> {
    (columns.iter())
        .map(|c| c.as_ref().to_string())
        .zip(cells.iter().map(value))
        .collect()
}

/// A document holding the metadata and the rows of one kind under `key`.
pub fn write_rows<R: Row, W: Write>(
    key: &str,
    rows: &[R],
    metadata: &Metadata,
    out: W,
) -> io::Result<()> {
    let mut document = Map::new();
    document.insert("metadata".into(), metadata.to_json());
    document.insert(
        key.into(),
        rows.iter().map(|r| Value::Object(object(r))).collect(),
    );
    write_document(&Value::Object(document), out)
}

/// The count's document: metadata, totals, every commune, the rollup.
pub fn write_count<W: Write>(
    rows: &[CommuneRow],
    rollup: &[RollupRow],
    totals: &Totals,
    metadata: &Metadata,
    out: W,
) -> io::Result<()> {
    let document = json!({
        "metadata": metadata.to_json(),
        "totals": totals_json(totals),
        "communes": rows.iter().map(object).collect::<Vec<_>>(),
        "rollup": rollup.iter().map(object).collect::<Vec<_>>(),
    });
    write_document(&document, out)
}

fn write_document<W: Write>(document: &Value, mut out: W) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut out, document)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn totals_json(totals: &Totals) -> Value {
    let levels: Vec<Value> = totals
        .levels
        .iter()
        .map(|l| {
            json!({
                "admin_level": l.admin_level.parse::<u8>().ok(),
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

// Counts through time (`history`).

/// The `metadata` object of the history's JSON and GeoJSON.
pub fn sources_json(sources: &HistorySources<'_>) -> Value {
    let m = sources.metadata;
    json!({
        "input": m.input,
        "dates": sources.dates,
        "zones": sources.zones.sentence(Lang::En),
        "generator": Metadata::generator(),
        "boundaries": m.boundaries.label(),
        "population": m.population.label(),
        "admin_levels": m.admin_levels,
        "data_date": m.data_date.day(),
        "data_timestamp": m.data_date.instant(),
        "data_date_source": m.data_date.source.as_str(),
        "license": LICENSE,
        "notes": m.notes.iter().map(|n| n.en.as_str()).collect::<Vec<_>>(),
    })
}

/// The JSON document: metadata (input, dates, zones), totals per date,
/// every row, then the rollup through time when asked.
pub fn write_history<W: Write>(
    rows: &[HistoryRow],
    totals: &[DateTotals],
    rollup: Option<Value>,
    sources: &HistorySources<'_>,
    mut out: W,
) -> io::Result<()> {
    let mut document = Map::new();
    document.insert("metadata".into(), sources_json(sources));
    document.insert("totals".into(), date_totals_json(totals));
    document.insert(
        "rows".into(),
        rows.iter().map(|r| Value::Object(object(r))).collect(),
    );
    if let Some(rollup) = rollup {
        document.insert("rollup".into(), rollup);
    }
    serde_json::to_writer_pretty(&mut out, &Value::Object(document))?;
    out.write_all(b"\n")?;
    out.flush()
}

fn date_totals_json(totals: &[DateTotals]) -> Value {
    totals
        .iter()
        .map(|t| {
            json!({
                "date": t.date,
                "cameras": t.cameras,
                // The file's data date when this date is after it (the
                // file's newest state was counted), else null.
                "after_data": t.after_data,
                "levels": t.levels.iter().map(|l| json!({
                    "admin_level": l.admin_level.parse::<u8>().ok(),
                    "inside": l.inside,
                    "outside": l.outside,
                    "unplaced": l.unplaced,
                    "zones_not_built": l.not_built,
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// The rollup through time as JSON rows, each with its date.
pub fn dated_json<R: Row>(dated: &[(String, &R)]) -> Value {
    dated
        .iter()
        .map(|(date, row)| {
            let mut dated = Map::new();
            dated.insert("date".into(), Value::from(date.clone()));
            dated.extend(object(*row));
            Value::Object(dated)
        })
        .collect()
}
