//! The output format an `-o` path names by its extension.
//!
//! Why: `camcount region.osm.pbf -o communes.xlsx` wrote CSV text into a
//! file Excel refuses, exit 0 (found 2026-12-05). Without `-f`, a known
//! extension chooses the format; with `-f`, an extension naming another
//! format is a usage error, as is one the command cannot write.
//!
//! In: the `-o` path, the format given or defaulted. Out: the format to
//! write, or the usage error's text.

use std::path::Path;

use clap::ValueEnum;

/// The format an extension names (`csv`, `json`, `geojson`, `md`, `html`,
/// `svg`, `xlsx`, with `htm` and `markdown` as their usual aliases), or
/// `None` for any other (`.txt`, `.csv.gz`, none).
pub fn format_named(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    let name = match extension.as_str() {
        "csv" => "csv",
        "json" => "json",
        "geojson" => "geojson",
        "md" | "markdown" => "md",
        "html" | "htm" => "html",
        "svg" => "svg",
        "xlsx" => "xlsx",
        _ => return None,
    };
    Some(name)
}

/// What an extension names that camcount never writes, or `None`:
/// `-o communes.csv.gz` wrote plain CSV, and `.tsv` or `.jsonl` comma
/// CSV, exit 0 (found 2026-12-05); a reader of such a file expects
/// another encoding or layout.
pub fn foreign(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match extension.as_str() {
        "gz" | "bz2" | "xz" | "zst" | "zip" | "lz4" | "br" => {
            "a compressed file, and camcount writes none: write the plain file, then compress it"
        }
        "tsv" | "tab" => "tab-separated values: write CSV, with --delimiter '\\t' if you need tabs",
        "jsonl" | "ndjson" => "JSON lines: write JSON with -f json",
        "xls" | "ods" => "a spreadsheet format camcount does not write: name it .xlsx",
        "parquet" | "pdf" | "png" | "gpkg" | "shp" => "a format camcount does not write",
        "pbf" | "osm" | "osh" | "o5m" | "o5c" | "osc" => {
            "an OSM file, which camcount reads and never writes: is it the input? give the output another name"
        }
        _ => return None,
    })
}

/// Extensions that name no format: a text file, a copy, a draft.
const NEUTRAL: &[&str] = &["txt", "text", "out", "dat", "bak", "old", "new", "tmp"];

/// An extension of letters that names no format camcount writes and is
/// not [`NEUTRAL`], or `None`. Without `-f`, `-o communes.kml`, `.gpx` or
/// `.xlsm` got CSV, exit 0 (found 2026-12-06); a reader of such a file
/// expects that format. Names ending in a date (`counts.2026-12-06`) or
/// a number are no extension of a format.
pub fn unknown(path: &Path) -> Option<String> {
    // A FIFO or a device is written through whatever its name.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return None;
    }
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    // `out.` has an empty extension: no format's name.
    let letters = !extension.is_empty() && extension.bytes().all(|b| b.is_ascii_alphabetic());
    (letters && format_named(path).is_none() && !NEUTRAL.contains(&extension.as_str()))
        .then_some(extension)
}

/// Settles a command's format against its `-o` path. `given` is whether
/// `-f` was on the command line.
pub fn settle<F: ValueEnum + Copy + PartialEq>(
    format: &mut F,
    given: bool,
    output: Option<&Path>,
    command: &str,
) -> Result<(), String> {
    if let Some((path, what)) = output.and_then(|p| Some((p, foreign(p)?))) {
        return Err(format!("-o {} names {what}", path.display()));
    }
    let shown = |f: &F| {
        f.to_possible_value()
            .map_or_else(String::new, |v| v.get_name().to_string())
    };
    let formats = || {
        (F::value_variants().iter())
            .map(shown)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some((path, extension)) = output.and_then(|p| Some((p, unknown(p)?))) {
        if !given {
            return Err(format!(
                "-o {}: camcount does not write .{extension} files, and would write {} into it; \
                 name it after one of `{command}`'s formats ({}), or give -f to write one under \
                 this name",
                path.display(),
                shown(format),
                formats()
            ));
        }
    }
    let Some((path, named)) = output.and_then(|p| Some((p, format_named(p)?))) else {
        return Ok(());
    };
    match F::from_str(named, true) {
        Ok(wanted) if !given => {
            *format = wanted;
            Ok(())
        }
        Ok(wanted) if wanted == *format => Ok(()),
        // GeoJSON is JSON: `-f geojson -o communes.json` is a common name.
        Ok(_) if named == "json" && shown(format) == "geojson" => Ok(()),
        Ok(_) => Err(format!(
            "-f {} contradicts -o {}, whose extension names {named}: give one or the other",
            shown(format),
            path.display()
        )),
        Err(_) => Err(format!(
            "-o {} names the {named} format, which `{command}` does not write: give -o a file \
             of one of its formats ({})",
            path.display(),
            formats()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::RowFormat;

    #[test]
    fn the_extension_chooses_the_format_unless_f_was_given() {
        let mut format = RowFormat::Csv;
        settle(
            &mut format,
            false,
            Some(Path::new("out/cams.XLSX")),
            "cameras",
        )
        .unwrap();
        assert_eq!(format, RowFormat::Xlsx);
        // A neutral extension, a date, or none, leaves the format alone.
        let mut format = RowFormat::Csv;
        for path in ["cams.txt", "cams", "cams.2026-12-06", "cams.csv.bak"] {
            settle(&mut format, false, Some(Path::new(path)), "cameras").unwrap();
            assert_eq!(format, RowFormat::Csv, "{path}");
        }
        settle(&mut format, false, None, "cameras").unwrap();
        assert_eq!(format, RowFormat::Csv);
        // One that names what camcount never writes is refused, -f or not.
        for (path, given) in [("cams.csv.gz", false), ("cams.tsv", true)] {
            let err = settle(&mut format, given, Some(Path::new(path)), "cameras").unwrap_err();
            assert!(err.starts_with(&format!("-o {path} names ")), "{err}");
        }
    }

    /// Regression (2026-12-06): `-o communes.kml`, `.gpx` or `.xlsm` got
    /// CSV, exit 0. Without -f an extension of no format is refused; with
    /// -f the name is the user's to choose.
    #[test]
    fn an_extension_of_no_format_needs_f() {
        for path in ["communes.kml", "c.gpx", "c.XLSM", "c.topojson", "c.xml"] {
            let mut format = RowFormat::Csv;
            let err = settle(&mut format, false, Some(Path::new(path)), "cameras").unwrap_err();
            assert!(
                err.starts_with(&format!("-o {path}: camcount does not write ."))
                    && err.contains("would write csv into it")
                    && err.contains("(csv, geojson, json, xlsx, md)"),
                "{err}"
            );
            settle(&mut format, true, Some(Path::new(path)), "cameras").unwrap();
            assert_eq!(format, RowFormat::Csv);
        }
    }

    #[test]
    fn a_contradiction_or_a_format_the_command_lacks_is_refused() {
        let mut format = RowFormat::Csv;
        let error = settle(&mut format, true, Some(Path::new("a.xlsx")), "cameras").unwrap_err();
        assert_eq!(
            error,
            "-f csv contradicts -o a.xlsx, whose extension names xlsx: give one or the other"
        );
        settle(&mut format, true, Some(Path::new("a.csv")), "cameras").unwrap();
        let mut geojson = RowFormat::Geojson;
        settle(&mut geojson, true, Some(Path::new("a.json")), "cameras").unwrap();
        assert_eq!(geojson, RowFormat::Geojson);
        let error = settle(&mut format, false, Some(Path::new("a.html")), "cameras").unwrap_err();
        assert_eq!(
            error,
            "-o a.html names the html format, which `cameras` does not write: give -o a file of \
             one of its formats (csv, geojson, json, xlsx, md)"
        );
    }
}
