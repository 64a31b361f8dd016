//! Declared camera counts: what towns, prefectures or a citizen group say,
//! from a CSV, to set beside what OpenStreetMap maps.
//!
//! Why its own table: the figures journalists compare ("Montpellier
//! declares 650 cameras") come from calls and reports, each with a source
//! and a date that must travel with it. A declared figure is never dropped
//! silently: a code that matches no commune is reported with its line.
//!
//! Accepts `,`, `;` or tab delimiters and a UTF-8 byte-order mark, like the
//! population file. Optional columns `source` and `date` are carried
//! through.
//!
//! In: a CSV path, the key and value columns. Out: a [`DeclaredTable`].

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// A declared count beyond any town's: a million cameras.
pub const MAX_DECLARED: u64 = 1_000_000;

/// One declared figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// The code as the file gives it (before any merge is followed).
    pub code: String,
    pub cameras: u64,
    pub source: Option<String>,
    pub date: Option<String>,
    /// Line in the file, counting the header as 1.
    pub line: usize,
}

/// Declared figures by code.
#[derive(Debug, Clone, Default)]
pub struct DeclaredTable {
    /// The file name, for the outputs' sources.
    pub source: String,
    pub entries: BTreeMap<String, Declared>,
    /// Line-numbered problems that did not stop the read.
    pub warnings: Vec<String>,
}

/// Reads `path`, keyed by column `key`, with counts from column `field`.
pub fn read_declared(path: &Path, key: &str, field: &str) -> Result<DeclaredTable> {
    let bytes = std::fs::read(path).map_err(|e| Error::read(path, e))?;
    let text = super::csv_text(&bytes).map_err(|m| Error::input(path, m))?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(super::sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::input(path, format!("cannot read the header line: {e}")))?
        .clone();
    let find =
        |name: &str| super::column_named(&headers, &[name]).map_err(|m| Error::input(path, m));
    let column = |name: &str, option: &str| {
        find(name)?.ok_or_else(|| {
            let missing = super::missing_column(name, &headers, text);
            Error::input(path, format!("{missing}; name the column with {option}"))
        })
    };
    if key.trim() == field.trim() {
        return Err(Error::Usage(format!(
            "--declared-key and --declared-field both name the column {key:?}: name the column \
             of declared counts with --declared-field"
        )));
    }
    let key_at = column(key, "--declared-key")?;
    let field_at = column(field, "--declared-field")?;
    let (source_at, date_at) = (find("source")?, find("date")?);
    let mut table = DeclaredTable {
        source: super::file_name(path),
        ..DeclaredTable::default()
    };
    let line_of = super::csv_lines(text);
    let line_at = |position: Option<&csv::Position>| position.map_or(0, |p| line_of(p.byte()));
    let (mut restored, mut rows) = (Vec::new(), 0);
    let mut grouped = super::Grouped::default();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = line_at(e.position());
            Error::input(path, format!("line {line}: {e}"))
        })?;
        rows += 1;
        let line = line_at(record.position()) as usize;
        let cell = |at: usize| record.get(at).unwrap_or("").trim();
        let code = cell(key_at);
        if code.is_empty() && record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if code.is_empty() {
            return Err(Error::input(path, format!("line {line}: empty {key}")));
        }
        let raw = cell(field_at);
        if raw.is_empty() {
            table.warnings.push(format!(
                "line {line}: no {field} for {code} (row skipped: nothing declared)"
            ));
            continue;
        }
        let cameras = super::whole_number(raw).map_err(|why| {
            Error::input(
                path,
                format!("line {line}: {field} {raw:?} for {code} {why}"),
            )
        })?;
        grouped.note(line as u64, raw, cameras);
        // Sums of absurd figures wrapped into small ones (found 2026-12-05).
        if cameras > MAX_DECLARED {
            return Err(Error::input(
                path,
                format!(
                    "line {line}: {field} {raw:?} for {code} is more than any town declares \
                     (over {MAX_DECLARED}); check the column"
                ),
            ));
        }
        let optional =
            |at: Option<usize>| at.map(cell).filter(|v| !v.is_empty()).map(str::to_string);
        let entry = Declared {
            code: code.to_string(),
            cameras,
            source: optional(source_at),
            date: optional(date_at),
            line,
        };
        let key = super::code_key(code).into_owned();
        if super::lost_its_zero(code) {
            restored.push((line as u64, code.to_string()));
        }
        if let Some(first) = table.entries.get(&key) {
            return Err(Error::input(
                path,
                format!(
                    "line {line}: {code} is declared twice (first on line {}); keep one line per commune",
                    first.line
                ),
            ));
        }
        table.entries.insert(key, entry);
    }
    super::rows_read(path, rows, &restored, &mut table.warnings)?;
    if let Some(warning) = grouped.warning(
        ["figure is", "figures are"],
        "the column holds whole counts of cameras, not decimals (12.000 for 12)",
    ) {
        table.warnings.insert(0, warning);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<DeclaredTable> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("declared.csv");
        std::fs::write(&path, text).unwrap();
        read_declared(&path, "code", "cameras")
    }

    /// Regression (2026-12-05): Nice's figure saved from a spreadsheet as
    /// 6088 matched no commune; the report left it out without a word.
    #[test]
    fn a_code_that_lost_its_leading_zero_is_read_with_it() {
        let t = read("code;cameras\n6088;4200\n2A004;30\n").unwrap();
        assert_eq!(t.entries["06088"].cameras, 4200);
        assert_eq!(
            t.entries["06088"].code, "6088",
            "messages name the line as written"
        );
        assert_eq!(t.entries["2A004"].cameras, 30);
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        assert!(t.warnings[0].contains("line 2: 6088 as 06088"));
    }

    /// Regression (2026-12-05): 18446744073709551615 was printed as -1 and
    /// wrapped the rollup's sum into a small figure.
    #[test]
    fn a_figure_beyond_any_town_is_an_error() {
        assert_eq!(
            read("code,cameras\n34172,1000000\n").unwrap().entries["34172"].cameras,
            1_000_000
        );
        let err = read("code,cameras\n34172,18446744073709551615\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "line 2: cameras \"18446744073709551615\" for 34172 is more than any town declares"
            ),
            "{err}"
        );
    }

    /// Regression (2026-12-06): "12.000", a spreadsheet's column of
    /// three decimals, was read as 12,000 cameras without a word, where
    /// the population reader warns.
    #[test]
    fn a_figure_written_with_thousands_separators_is_warned_about() {
        let t = read("code;cameras\n09030;12.000\n09122;4\n06088;1,200\n").unwrap();
        assert_eq!(t.entries["09030"].cameras, 12_000);
        assert_eq!(
            t.warnings[0],
            "2 figures are written with '.' or ',' between thousands, read as such (line 2: \
             \"12.000\" as 12000): check that the column holds whole counts of cameras, not \
             decimals (12.000 for 12)"
        );
        assert!(read("code;cameras\n09122;4\n09030;12.0\n")
            .unwrap()
            .warnings
            .is_empty());
    }

    #[test]
    fn figures_with_source_and_date() {
        let t = read("\u{feff}code;nom;cameras;source;date\n34172;Montpellier;650;Technopolice;2023-01\n31555;Toulouse;545;;\n").unwrap();
        let m = &t.entries["34172"];
        assert_eq!((m.cameras, m.line), (650, 2));
        assert_eq!(m.source.as_deref(), Some("Technopolice"));
        assert_eq!(t.entries["31555"].source, None);
    }

    #[test]
    fn bad_rows_are_named_by_line() {
        let err = read("code,cameras\n34172,about 650\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2:") && err.contains("about 650"),
            "{err}"
        );
        let err = read("code,cameras\n34172,650\n34172,600\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 3: 34172 is declared twice (first on line 2)"),
            "{err}"
        );
        let err = read("insee,n\n1,2\n").unwrap_err().to_string();
        assert!(err.contains("--declared-key"), "{err}");
        // Regression (2026-12-05): lines were counted as records, so a
        // blank line or CRLF endings named the wrong line.
        for text in [
            "code,cameras\n34172,650\n\n34172,600\n",
            "code,cameras\r\n34172,650\r\n\r\n34172,600\r\n",
        ] {
            let err = read(text).unwrap_err().to_string();
            assert!(
                err.contains("line 4: 34172 is declared twice (first on line 2)"),
                "{err}"
            );
        }
        let t = read("code,cameras\n34172,\n").unwrap();
        assert!(t.entries.is_empty());
        assert!(t.warnings[0].starts_with("line 2:"), "{:?}", t.warnings);
    }
}
