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
