//! The per-commune CSV opens in LibreOffice Calc with its UTF-8 names intact,
//! comma- or semicolon-separated, as a journalist would open it: the Text
//! Import settings UTF-8 and the delimiter (given headless as the CSV filter
//! options), saved as a spreadsheet and read back. LibreOffice must be
//! installed (`.ci/run` installs Debian's libreoffice-calc-nogui).

mod common;

use std::path::Path;
use std::process::Command;

use common::{read_csv_with, Workdir};

/// Opens `csv` in LibreOffice with `filter` options, saves it as .xlsx,
/// converts that back to a `|`-separated UTF-8 file and returns its text.
fn through_libreoffice(wd: &Workdir, csv: &Path, filter: &str) -> String {
    let soffice = |args: &[&str]| {
        let status = Command::new("soffice")
            .env("HOME", wd.path("home"))
            .args(["--headless", "--norestore"])
            .args(args)
            .status()
            .expect("soffice (Debian libreoffice-calc-nogui) must be installed");
        assert!(status.success());
    };
    let out = wd.path("out");
    soffice(&[
        &format!("--infilter=CSV:{filter}"),
        "--convert-to",
        "xlsx",
        "--outdir",
        out.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    let xlsx = out.join(csv.with_extension("xlsx").file_name().unwrap());
    let back = wd.path("back");
    soffice(&[
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):124,34,76",
        "--outdir",
        back.to_str().unwrap(),
        xlsx.to_str().unwrap(),
    ]);
    std::fs::read_to_string(back.join(csv.file_name().unwrap()))
        .expect("LibreOffice wrote the file back")
}

#[test]
fn names_survive_libreoffice_with_comma_and_semicolon() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    let wd = Workdir::new();
    for (delimiter, filter, bom) in [(",", "44,34,76", false), (";", "59,34,76", true)] {
        let csv = wd.path(if bom { "semicolon.csv" } else { "comma.csv" });
        let mut args = vec![
            sample.to_str().unwrap(),
            "-q",
            "--delimiter",
            delimiter,
            "-o",
            csv.to_str().unwrap(),
        ];
        if bom {
            args.push("--bom");
        }
        common::camcount().args(&args).assert().success();
        let ours = read_csv_with(
            std::str::from_utf8(&std::fs::read(&csv).unwrap())
                .unwrap()
                .trim_start_matches('\u{feff}'),
            delimiter.as_bytes()[0],
        );
        let calc = read_csv_with(&through_libreoffice(&wd, &csv, filter), b'|');
        assert_eq!(calc.len(), ours.len(), "{delimiter}: rows");
        for (mine, theirs) in ours.iter().zip(&calc) {
            assert_eq!(theirs["name"], mine["name"], "{delimiter}");
            assert_eq!(theirs["ref"], mine["ref"], "{delimiter}");
        }
        assert!(calc.iter().any(|r| r["name"] == "Val-d'Écume"));
    }
}

/// A cell as LibreOffice took it: `(value type, value)`.
type OdfCell = (String, String);
/// A sheet's name and rows.
type Sheet = (String, Vec<Vec<OdfCell>>);

/// Converts `file` with LibreOffice (`infilter` for a CSV's import options)
/// to flat ODF and returns, per sheet name, its rows of `(value type,
/// value)`: what LibreOffice took each cell to be.
fn sheets_in_libreoffice(wd: &Workdir, file: &Path, infilter: Option<&str>) -> Vec<Sheet> {
    let out = wd.path("fods");
    let mut command = Command::new("soffice");
    command
        .env("HOME", wd.path("home"))
        .args(["--headless", "--norestore"]);
    if let Some(filter) = infilter {
        command.arg(format!("--infilter=CSV:{filter}"));
    }
    let status = command
        .args(["--convert-to", "fods", "--outdir"])
        .arg(&out)
        .arg(file)
        .status()
        .expect("soffice (Debian libreoffice-calc-nogui) must be installed");
    assert!(status.success());
    let fods = std::fs::read_to_string(out.join(file.with_extension("fods").file_name().unwrap()))
        .expect("LibreOffice wrote the flat ODF file");
    parse_fods(&fods)
}

/// A small reader of flat ODF tables: enough for the cells we write.
fn parse_fods(fods: &str) -> Vec<Sheet> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[start..start + tag[start..].find('"')?].to_string())
    };
    let mut sheets = Vec::new();
    for table in fods.split("<table:table ").skip(1) {
        let name = attribute(table, "table:name").unwrap_or_default();
        let mut rows = Vec::new();
        for row in table.split("<table:table-row").skip(1) {
            let mut cells = Vec::new();
            for cell in row.split("<table:table-cell").skip(1) {
                let tag = &cell[..cell.find('>').unwrap_or(cell.len())];
                let repeat: usize = attribute(tag, "table:number-columns-repeated")
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(1)
                    .min(64);
                let kind = attribute(tag, "office:value-type").unwrap_or_default();
                let value = match kind.as_str() {
                    "float" => attribute(tag, "office:value").unwrap_or_default(),
                    _ => cell
                        .find("<text:p>")
                        .and_then(|s| {
                            let rest = &cell[s + 8..];
                            rest.find("</text:p>").map(|e| rest[..e].to_string())
                        })
                        .unwrap_or_default(),
                };
                cells.extend(std::iter::repeat_n((kind.clone(), value.clone()), repeat));
            }
            rows.push(cells);
        }
        sheets.push((name, rows));
    }
    sheets
}

/// Rows of a sheet as header → (type, value), header from the first row.
fn keyed(
    rows: &[Vec<(String, String)>],
) -> Vec<std::collections::BTreeMap<String, (String, String)>> {
    let header: Vec<String> = rows[0]
        .iter()
        .map(|(_, v)| v.clone())
        .take_while(|v| !v.is_empty())
        .collect();
    rows[1..]
        .iter()
        .filter(|r| r.iter().any(|(kind, _)| !kind.is_empty()))
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[test]
fn xlsx_keeps_codes_as_text_and_numbers_as_numbers_in_libreoffice() {
    let wd = Workdir::new();
    let xlsx = wd.path("communes.xlsx");
    common::camcount()
        .arg(common::extract("monaco-2026-07-10"))
        .arg("--boundaries")
        .arg(common::data_dir().join("communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson"))
        .args(["--rollup", "departement", "-f", "xlsx", "-q", "-o"])
        .arg(&xlsx)
        .assert()
        .success();
    let sheets = sheets_in_libreoffice(&wd, &xlsx, None);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Communes", "Rollup", "Sources"]);
    let communes = keyed(&sheets[0].1);
    assert_eq!(communes.len(), 163, "Alpes-Maritimes has 163 communes");
    let beausoleil = communes
        .iter()
        .find(|r| r["name"].1 == "Beausoleil")
        .unwrap();
    assert_eq!(beausoleil["ref"], ("string".into(), "06012".into()));
    assert_eq!(beausoleil["cameras"], ("float".into(), "1".into()));
    // A date, shown as written (it was text until 2026-12-06: it neither
    // sorted nor filtered as a date).
    assert_eq!(
        beausoleil["data_date"],
        ("date".into(), "2026-07-10".into())
    );
    // Communes beyond the extract are not counted: their cells are empty.
    let counted = communes
        .iter()
        .filter(|r| r["status"].1 != "outside_extract");
    assert_eq!(counted.clone().count(), 4);
    for row in counted {
        for column in ["area_km2", "cameras", "cameras_per_km2"] {
            assert_eq!(row[column].0, "float", "{column} of {:?}", row["name"]);
        }
    }
    for row in &communes {
        assert_eq!(row["area_km2"].0, "float", "area of {:?}", row["name"]);
        assert_eq!(row["ref"].0, "string");
    }
    let rollup = keyed(&sheets[1].1);
    assert_eq!(rollup[0]["group"], ("string".into(), "06".into()));
    assert_eq!(rollup[0]["communes"].0, "float");
    let sources = &sheets[2].1;
    assert!(sources
        .iter()
        .any(|r| r.len() > 1 && r[0].1 == "OSM data as of" && r[1].1 == "2026-07-10"));
}

#[test]
fn csv_with_locale_fr_reads_as_numbers_in_a_french_libreoffice() {
    let wd = Workdir::new();
    let csv = wd.path("communes-fr.csv");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf");
    common::camcount()
        .arg(&sample)
        .args(["--locale", "fr", "-q", "-o"])
        .arg(&csv)
        .assert()
        .success();
    // Separator ';', quote '"', UTF-8, from line 1, standard columns, and
    // the language French (1036): a French user's import.
    let sheets = sheets_in_libreoffice(&wd, &csv, Some("59,34,76,1,,1036"));
    let rows = keyed(&sheets[0].1);
    let port = rows.iter().find(|r| r["name"].1 == "Port-Fictif").unwrap();
    assert_eq!(port["cameras_per_1000"], ("float".into(), "0.4032".into()));
    assert_eq!(port["area_km2"], ("float".into(), "3.7921".into()));
    assert_eq!(port["cameras"], ("float".into(), "5".into()));
    // Every number is a number: a decimal read as text would show here.
    for row in &rows {
        for column in ["cameras_per_1000", "cameras_per_km2", "area_km2"] {
            assert_ne!(row[column].0, "string", "{column} of {:?}", row["name"]);
        }
    }
    let numbers = rows
        .iter()
        .filter(|r| r["cameras_per_km2"].0 == "float")
        .count();
    assert_eq!(numbers, 9, "the 9 counted communes of the sample");
}

#[test]
fn history_xlsx_keeps_codes_as_text_and_counts_as_numbers_in_libreoffice() {
    let wd = Workdir::new();
    let xlsx = wd.path("history.xlsx");
    let data = common::data_dir();
    let input = data.join("history/monaco-2021-2026.osh.pbf");
    let communes = data.join("communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson");
    let args = [
        "history".as_ref(),
        input.as_os_str(),
        "--at".as_ref(),
        "2019-01-01,2021-04-22,2024-01-01,2026-07-11".as_ref(),
        "--boundaries".as_ref(),
        communes.as_os_str(),
        "--rollup=departement".as_ref(),
        "--format=xlsx".as_ref(),
        "--output".as_ref(),
        xlsx.as_os_str(),
    ];
    common::stdout_of(&args);
    let sheets = sheets_in_libreoffice(&wd, &xlsx, None);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Communes", "Long", "Totals", "Rollup", "Sources"]);
    let communes = keyed(&sheets[0].1);
    assert_eq!(communes.len(), 163);
    let beausoleil = communes
        .iter()
        .find(|r| r["name"].1 == "Beausoleil")
        .unwrap();
    assert_eq!(beausoleil["ref"], ("string".into(), "06012".into()));
    assert_eq!(
        beausoleil["cameras_2019-01-01"],
        ("float".into(), "0".into())
    );
    assert_eq!(
        beausoleil["cameras_2026-07-11"],
        ("float".into(), "1".into())
    );
    let mut counted = 0;
    for row in &communes {
        assert_eq!(row["ref"].0, "string");
        // A commune beyond the file's data is not counted: an empty cell.
        if !row["cameras_2024-01-01"].1.is_empty() {
            assert_eq!(row["cameras_2024-01-01"].0, "float");
            counted += 1;
        }
    }
    assert!(counted >= 4, "{counted} communes counted");
    let long = keyed(&sheets[1].1);
    assert_eq!(long.len(), 4 * 163);
    assert_eq!(long[0]["date"], ("date".into(), "2019-01-01".into()));
    assert_eq!(long[0]["ref"].0, "string");
    let totals: Vec<(String, String)> = keyed(&sheets[2].1)
        .iter()
        .map(|r| (r["date"].1.clone(), r["cameras"].1.clone()))
        .collect();
    assert_eq!(
        totals,
        [
            ("2019-01-01".into(), "0".into()),
            ("2021-04-22".into(), "11".into()),
            ("2024-01-01".into(), "16".into()),
            ("2026-07-11".into(), "32".into())
        ]
    );
    assert_eq!(keyed(&sheets[2].1)[0]["cameras"].0, "float");
    let rollup = keyed(&sheets[3].1);
    assert_eq!(rollup[0]["group"], ("string".into(), "06".into()));
    assert!(sheets[4]
        .1
        .iter()
        .any(|r| r.len() > 1 && r[0].1 == "OSM data as of" && r[1].1 == "2026-07-10"));
}

/// Regression (2026-12-05): `compare -f xlsx` dated every row, the older
/// snapshot's counts too, with the newer file's date, and its "Sources"
/// named only the newer file.
#[test]
fn compare_xlsx_dates_both_snapshots() {
    let wd = Workdir::new();
    let xlsx = wd.path("compare.xlsx");
    let old = common::extract("monaco-2021-04-21");
    let new = common::extract("monaco-2026-07-10");
    let args = [
        "compare".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "-f".as_ref(),
        "xlsx".as_ref(),
        "-o".as_ref(),
        xlsx.as_os_str(),
    ];
    common::stdout_of(&args);
    let sheets = sheets_in_libreoffice(&wd, &xlsx, None);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Compare", "Sources"]);
    let monaco = keyed(&sheets[0].1)
        .into_iter()
        .find(|r| r["name"].1 == "Monaco")
        .unwrap();
    assert_eq!(monaco["cameras_old"].1, "9");
    assert_eq!(
        monaco["old_data_date"],
        ("date".into(), "2021-04-21".into())
    );
    assert_eq!(
        monaco["new_data_date"],
        ("date".into(), "2026-07-10".into())
    );
    assert!(!monaco.contains_key("data_date"), "{monaco:?}");
    let sources: Vec<String> = (sheets[1].1.iter())
        .flat_map(|row| row.iter().map(|(_, v)| v.clone()))
        .collect();
    for needle in [
        "monaco-2021-04-21.osm.pbf",
        "2021-04-21",
        "monaco-2026-07-10.osm.pbf",
    ] {
        assert!(sources.iter().any(|v| v == needle), "{needle}: {sources:?}");
    }
}
