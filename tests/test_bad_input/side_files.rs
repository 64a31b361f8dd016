//! The side files of the bad-input corpus (`--boundaries` GeoJSON with a
//! BOM, a projected CRS, points, lines, duplicate or numeric codes;
//! a ragged `--population` CSV): each fails with one line naming the file
//! or runs and warns.

use crate::assert_data_error;
use crate::common::{camcount, extract, Workdir};

/// A side file's case: the option it goes to, its name and bytes, and
/// what the run must say: `Err(needle)` for exit 1 naming the file, or
/// `Ok(needle)` for exit 0 with a warning holding the needle.
struct SideInput {
    option: &'static str,
    name: &'static str,
    bytes: Vec<u8>,
    expect: Result<&'static str, &'static str>,
}

/// A FeatureCollection of Monaco squares; `features` are `(properties,
/// x0, y0)` with sides of 0.01 degree, and `extra` goes before them.
fn monaco_squares(extra: &str, features: &[(&str, f64, f64)]) -> Vec<u8> {
    let features: Vec<String> = features
        .iter()
        .map(|(properties, x, y)| {
            let (x1, y1) = (x + 0.01, y + 0.01);
            format!(
                r#"{{"type":"Feature","properties":{properties},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection",{extra}"features":[{}]}}"#,
        features.join(",")
    )
    .into_bytes()
}

fn side_inputs() -> Vec<SideInput> {
    let geojson = |name, bytes, expect| SideInput {
        option: "--boundaries",
        name,
        bytes,
        expect,
    };
    let lambert = r#""crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"#;
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend(monaco_squares("", &[(r#"{"code":"99001"}"#, 7.41, 43.72)]));
    let projected = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[1044000,6298000],[1045000,6298000],[1045000,6299000],[1044000,6298000]]]}}]}"#;
    let point = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[7.42,43.73]}}]}"#;
    let line = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[7.42,43.73],[7.43,43.74]]}}]}"#;
    vec![
        geojson("bom.geojson", bom, Ok("")),
        geojson(
            "lambert93.geojson",
            monaco_squares(lambert, &[(r#"{"code":"1"}"#, 7.41, 43.72)]),
            Err("EPSG::2154, not longitude/latitude (WGS 84); convert it with: ogr2ogr -t_srs EPSG:4326"),
        ),
        geojson(
            "projected.geojson",
            projected.to_vec(),
            Err("feature 0: position [1044000,6298000] is beyond longitude"),
        ),
        geojson("point.geojson", point.to_vec(), Err("feature 0: geometry is a Point")),
        geojson("line.geojson", line.to_vec(), Err("feature 0: geometry is a LineString")),
        geojson(
            "duplicate.geojson",
            monaco_squares(
                "",
                &[
                    (r#"{"code":"99001","nom":"Une"}"#, 7.41, 43.72),
                    (r#"{"code":"99001","nom":"Autre"}"#, 7.42, 43.73),
                ],
            ),
            Ok("features 0 and 1 share the code 99001 but different names"),
        ),
        geojson(
            "numeric.geojson",
            monaco_squares("", &[(r#"{"code":6001}"#, 7.41, 43.72)]),
            Ok("feature 0: \"code\" is the number 6001, not a string"),
        ),
        // Regression (2026-12-05): compare and history read "no zone
        // gained a camera", exit 0.
        geojson(
            "empty.geojson",
            br#"{"type":"FeatureCollection","features":[]}"#.to_vec(),
            Err("the FeatureCollection holds no feature: no zone to count in"),
        ),
        // Regression (2026-12-05): the message listed the "columns" of the
        // JSON, the whole file on one line (55 MB for France).
        SideInput {
            option: "--population",
            name: "communes.geojson",
            bytes: monaco_squares("", &[(r#"{"code":"99001"}"#, 7.41, 43.72)]),
            expect: Err("no column \"code\": the file looks like JSON, not CSV"),
        },
        // Regression (2026-12-05): what the bytes are instead, with the
        // remedy, where the readers said "not UTF-8 text (byte 1)" or
        // "invalid JSON"; a header alone read "0 communes matched", exit 0.
        geojson(
            "communes.geojson.gz",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00".to_vec(),
            Err("is gzip-compressed: gunzip it first"),
        ),
        geojson(
            "extract.osm.pbf",
            std::fs::read(extract("monaco-2026-07-10")).unwrap()[..64].to_vec(),
            Err("is an OSM PBF file, not GeoJSON"),
        ),
        geojson(
            "feature.geojson",
            br#"{"type":"Feature","properties":{"code":"1"},"geometry":{"type":"Polygon","coordinates":[[[7.41,43.72],[7.42,43.72],[7.42,43.73],[7.41,43.72]]]}}"#.to_vec(),
            Err("one GeoJSON Feature, not a FeatureCollection"),
        ),
        geojson(
            "empty-code.geojson",
            monaco_squares("", &[(r#"{"code":" "}"#, 7.41, 43.72)]),
            Err("feature 0: its \"code\" property is empty"),
        ),
        SideInput {
            option: "--population",
            name: "latin1.csv",
            bytes: b"code,nom,population\n06012,Beausoleil,100\n06032,Cap-d'Ail,\xc8ze\n".to_vec(),
            expect: Err("not UTF-8 text (line 3, byte 57): Latin-1 or Windows-1252"),
        },
        SideInput {
            option: "--population",
            name: "unicode.csv",
            bytes: b"\xff\xfec\x00o\x00d\x00e\x00".to_vec(),
            expect: Err("is UTF-16 text (Excel's \"Unicode text\"), not UTF-8"),
        },
        // Regression (2026-12-06): a workbook read "not UTF-8 text …
        // iconv", a remedy that garbles a zip; two columns of one name
        // were read, the first, without a word.
        SideInput {
            option: "--population",
            name: "communes.xlsx",
            bytes: b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec(),
            expect: Err("is a zip archive, as a spreadsheet workbook (.xlsx, .ods) is, not a CSV"),
        },
        SideInput {
            option: "--declared",
            name: "declared.xls",
            bytes: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00".to_vec(),
            expect: Err("is an Office binary file, as an .xls workbook is, not a CSV"),
        },
        geojson(
            "communes.zip",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec(),
            Err("is a zip archive, not GeoJSON: unzip it"),
        ),
        SideInput {
            option: "--declared",
            name: "two-counts.csv",
            bytes: b"code,cameras,source,cameras\n06012,40,mairie,999\n".to_vec(),
            expect: Err("two columns are named \"cameras\" (columns 2 and 4)"),
        },
        SideInput {
            option: "--population",
            name: "two-codes.csv",
            bytes: b"code,code,population\n06012,06032,100\n".to_vec(),
            expect: Err("two columns are named \"code\" (columns 1 and 2)"),
        },
        SideInput {
            option: "--population",
            name: "header.csv",
            bytes: b"code,population\n".to_vec(),
            expect: Err("holds a header line and no row"),
        },
        SideInput {
            option: "--declared",
            name: "declared-header.csv",
            bytes: b"code,cameras\n".to_vec(),
            expect: Err("holds a header line and no row"),
        },
        SideInput {
            option: "--population",
            name: "ragged.csv",
            bytes: b"code,population\n06012,100\n\n06032\n06150,1,2\n".to_vec(),
            expect: Ok("line 5: 3 fields where the header has 2 (row skipped)"),
        },
    ]
}

/// The side files (`--boundaries`, `--population`) in the corpus: each
/// either fails with one line naming the file, or runs and warns. Never a
/// panic or a hang.
#[test]
fn bad_input_corpus_of_side_files() {
    let wd = Workdir::new();
    let monaco = extract("monaco-2026-07-10");
    let cases = side_inputs();
    for case in &cases {
        let path = wd.write(case.name, &case.bytes);
        let output = camcount()
            .arg(&monaco)
            .arg(case.option)
            .arg(&path)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        match case.expect {
            Err(needle) => assert_data_error(&output, &path, needle),
            Ok(needle) => {
                assert_eq!(output.status.code(), Some(0), "{}: {stderr}", case.name);
                assert!(stderr.contains(needle), "{}: {stderr}", case.name);
                assert!(!stderr.contains("error"), "{}: {stderr}", case.name);
            }
        }
    }
    eprintln!("bad-input corpus: {} side files", cases.len());
}

/// Regression (2026-12-05): an empty FeatureCollection let `compare` say
/// "No zone gained or lost a camera" and `history` "No zone held a
/// camera", exit 0. Every command refuses it, naming the file.
#[test]
fn an_empty_collection_of_zones_is_refused_by_every_command() {
    let wd = Workdir::new();
    let empty = wd.write(
        "empty.geojson",
        br#"{"type":"FeatureCollection","features":[]}"#,
    );
    let old = extract("monaco-2021-04-21");
    let new = extract("monaco-2026-07-10");
    let history = crate::common::data_dir().join("history/monaco-2021-2026.osh.pbf");
    let runs: [Vec<&std::ffi::OsStr>; 3] = [
        vec![new.as_os_str()],
        vec!["compare".as_ref(), old.as_os_str(), new.as_os_str()],
        vec![
            "history".as_ref(),
            history.as_os_str(),
            "--at".as_ref(),
            "2024-01-01".as_ref(),
        ],
    ];
    for args in runs {
        let output = camcount()
            .args(&args)
            .arg("--boundaries")
            .arg(&empty)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_data_error(&output, &empty, "holds no feature");
    }
}
