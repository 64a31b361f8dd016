//! Declared counts set beside mapped ones (`--declared`): the sample of
//! declared figures joined to IGN communes and INSEE populations, codes that
//! match no commune listed with their lines, and the English and French
//! reports snapshotted.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{camcount, data_dir, Workdir};
use crate::{monaco, sample, sample_run};

fn declared_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/declared-occitanie.csv")
}

fn insee_population() -> PathBuf {
    data_dir().join("population/communes-2026-pmun2023.csv")
}

/// The IGN communes of the départements the declared sample names, as one
/// GeoJSON.
fn occitanie_communes(wd: &Workdir) -> PathBuf {
    let mut features = Vec::new();
    let folder = data_dir().join("communes/france-geojson-2018/departements");
    for prefix in [
        "09-", "11-", "12-", "30-", "31-", "34-", "46-", "65-", "82-",
    ] {
        let dir = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .unwrap();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let file = dir.join(format!("communes-{name}.geojson"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        features.extend(doc["features"].as_array().unwrap().iter().cloned());
    }
    let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
    wd.write("occitanie.geojson", doc.to_string().as_bytes())
}

#[test]
fn the_declared_sample_joins_ign_and_insee_with_no_unmatched_code() {
    let wd = Workdir::new();
    let communes = occitanie_communes(&wd);
    let out = camcount()
        .arg(monaco())
        .arg("--boundaries")
        .arg(&communes)
        .arg("--population")
        .arg(insee_population())
        .arg("--declared")
        .arg(declared_sample())
        .args(["-f", "json", "--rollup", "departement"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("declared file: 19 communes matched, 0 codes match no commune"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["metadata"]["declared"], "declared-occitanie.csv");
    let communes = doc["communes"].as_array().unwrap();
    let montpellier = communes.iter().find(|c| c["ref"] == "34172").unwrap();
    assert_eq!(montpellier["declared"], 650);
    assert_eq!(
        montpellier["declared_source"],
        "Technopolice (La Quadrature du Net)"
    );
    // Montpellier lies beyond Monaco's extract: its cameras are unknown,
    // not "0 of 650 mapped".
    assert_eq!(montpellier["status"], "outside_extract");
    assert!(montpellier["cameras"].is_null());
    assert!(montpellier["osm_share_of_declared"].is_null());
    let without: Vec<_> = communes
        .iter()
        .filter(|c| c["declared"].is_null())
        .collect();
    assert!(without.iter().all(|c| c["osm_share_of_declared"].is_null()));
    // The rollup sums declared figures beside the cameras counted:
    // Hérault's communes declare 650 + 400 + 42, but none is counted
    // (beyond the extract), so its 1,092 stand apart (regression,
    // 2026-12-05: they stood beside the cameras of counted communes).
    let herault = doc["rollup"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "34")
        .unwrap();
    assert_eq!(
        (
            herault["declared"].as_u64(),
            herault["communes_declared"].as_u64(),
            herault["declared_not_counted"].as_u64()
        ),
        (None, Some(0), Some(1092))
    );
}

/// Regression: Nice, beyond Monaco's extract, read "its boundary could
/// not be built", and Beausoleil, only partly in it, "OpenStreetMap maps 1
/// there, 2.5 % of that figure", as if counted whole; the top table gave
/// its 1 camera as a plain figure.
#[test]
fn declared_figures_of_communes_beyond_or_partly_in_the_extract_say_so() {
    let wd = Workdir::new();
    let declared = wd.write(
        "declared.csv",
        b"code,cameras,source,date\n06012,40,test,2024\n06088,650,test,2024\n",
    );
    let communes = data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    let report = |lang: &str| {
        let out = camcount()
            .arg(monaco())
            .arg("--boundaries")
            .arg(&communes)
            .arg("--declared")
            .arg(&declared)
            .args(["-f", "md", "--lang", lang])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let en = report("en");
    for expected in [
        "- Nice (06088) declares 650 cameras (test, 2024); it lies beyond the extract, so OpenStreetMap's count there is unknown.",
        "- Beausoleil (06012) declares 40 cameras (test, 2024); OpenStreetMap maps at least 1 there, at least 2.5 % of that figure (the extract holds only part of the commune).",
        "| Beausoleil (06012) | ≥ 1 |  |  |  | ≥ 0.36 |",
        "≥, ≤: the extract holds only part of the commune (status `partial`), so its count is a floor.",
        "No commune with cameras and a known population.",
    ] {
        assert!(en.contains(expected), "{expected}\n{en}");
    }
    let fr = report("fr");
    for expected in [
        "- Nice (06088) déclare 650 caméras (test, 2024) ; elle est hors de l'extrait",
        "OpenStreetMap en recense au moins 1, soit au moins 2,5 % de ce chiffre",
    ] {
        assert!(fr.contains(expected), "{expected}\n{fr}");
    }
}

#[test]
fn declared_codes_that_match_no_commune_are_listed_with_their_lines() {
    let wd = Workdir::new();
    let declared = wd.write(
        "declared.csv",
        "code,cameras,source\n99001,10,town hall\n12202,40,x\n99002,0,\n".as_bytes(),
    );
    let out = camcount()
        .arg(sample())
        .arg("--declared")
        .arg(&declared)
        .args(["-f", "md"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "codes that match no commune of this run, not counted anywhere: 12202 (line 3)"
        ),
        "{stderr}"
    );
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("Port-Fictif (99001) declares 10 cameras (town hall); OpenStreetMap maps 5 there, 50.0 % of that figure."),
        "{md}"
    );
    // The report itself says which figures went nowhere, not stderr alone
    // (regression, 2026-12-05).
    assert!(
        md.contains("- Note: 1 declared figure matches no commune of this run and is set beside none: 12202 (40)."),
        "{md}"
    );
    // Declared 0: no share (no division by zero), the mapped count said.
    assert!(
        md.contains("Sainte-Brume (99002) declares 0 cameras; OpenStreetMap maps 3 there."),
        "{md}"
    );
    // One camera is one ("declares 1 cameras", regression 2026-12-05).
    let one = wd.write("declared-one.csv", "code,cameras\n99001,1\n".as_bytes());
    let one = one.to_str().unwrap();
    let en = sample_run(&["--declared", one, "-f", "md"]);
    assert!(
        en.contains("Port-Fictif (99001) declares 1 camera; "),
        "{en}"
    );
    let fr = sample_run(&["--declared", one, "-f", "md", "--lang", "fr"]);
    assert!(
        fr.contains("Port-Fictif (99001) déclare 1 caméra ; "),
        "{fr}"
    );
}

#[test]
fn french_report_snapshot_with_declared_figures() {
    let wd = Workdir::new();
    let declared = wd.write(
        "declared-99.csv",
        "code;cameras;source;date\n99001;12;Mairie de Port-Fictif;2025-03-01\n99006;40;Préfecture;2024\n"
            .as_bytes(),
    );
    let declared = declared.to_str().unwrap();
    insta::assert_snapshot!(
        "report_fr_declared",
        sample_run(&[
            "-f",
            "md",
            "--lang",
            "fr",
            "--declared",
            declared,
            "--rollup",
            "departement"
        ])
    );
    insta::assert_snapshot!(
        "report_en_declared",
        sample_run(&["-f", "md", "--declared", declared])
    );
}

/// Regression (2026-12-05): a big city with a large declared figure and
/// one camera mapped read "0.00 per 1,000" and "0.0 %" (CSV and JSON gave
/// the share as 0.0), figures the tables keep for none at all. Nice's one
/// camera for its INSEE population, beside 4,000 declared, now reads with
/// the digits it needs in every format.
#[test]
fn a_rate_or_share_that_is_not_zero_never_reads_as_zero() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::header::BBox;
    use camcount::pbf::writer::WriterOptions;
    let wd = Workdir::new();
    let input = wd.path("nice.osm.pbf");
    let camera = node(1, 7.2700, 43.6975, &[("man_made", "surveillance")]);
    let options = WriterOptions {
        bbox: Some(BBox {
            min_lon: 7.18,
            min_lat: 43.64,
            max_lon: 7.33,
            max_lat: 43.77,
        }),
        replication_timestamp: Some(1_764_547_200),
        ..WriterOptions::default()
    };
    write_elements(&[camera], &input, options).unwrap();
    let alpes_maritimes = data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    let declared = wd.write(
        "declared.csv",
        b"code,nom,cameras,source,date\n06088,Nice,4000,Mairie de Nice,2024\n",
    );
    let run = |format: &str| {
        let output = camcount()
            .arg(&input)
            .arg("--boundaries")
            .arg(&alpes_maritimes)
            .arg("--population")
            .arg(insee_population())
            .arg("--declared")
            .arg(&declared)
            .args(["-f", format])
            .output()
            .unwrap();
        assert!(output.status.success(), "{format}");
        String::from_utf8(output.stdout).unwrap()
    };
    // Nice's population, read independently of camcount.
    let population: f64 = std::fs::read_to_string(insee_population())
        .unwrap()
        .lines()
        .find(|l| l.starts_with("06088,") && l.contains("commune-actuelle"))
        .and_then(|l| {
            l.split(',')
                .find_map(|f| f.parse::<f64>().ok().filter(|&p| p > 1e5))
        })
        .unwrap();
    let per_1000 = 1000.0 / population;
    assert!(per_1000 < 0.005, "{per_1000}");
    let csv = run("csv");
    let nice = csv.lines().find(|l| l.contains(",06088,")).unwrap();
    assert!(nice.contains(&format!(",{per_1000:.4},")), "{nice}");
    assert!(nice.contains(",0.0250,"), "{nice}");
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let rows = json["rows"]
        .as_array()
        .or(json["communes"].as_array())
        .unwrap();
    let row = rows.iter().find(|r| r["ref"] == "06088").unwrap();
    assert_eq!(row["osm_share_of_declared"], 0.025, "{row}");
    let md = run("md");
    assert!(md.contains("0.0250 % of that figure"), "{md}");
    assert!(md.contains(&format!("| {per_1000:.4} |")), "{md}");
    assert!(!md.contains("| 0.00 |"), "{md}");
}

/// Regression (2026-12-06): the warning of codes that match no commune
/// named the declared file by its bare name where the reader's own
/// warnings name it as given, and the summary read "1 communes matched".
#[test]
fn the_no_match_warning_names_the_file_as_given_and_counts_agree() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("dc")).unwrap();
    let declared = wd.write("dc/few.csv", b"code,cameras\n99001,3\n99999,4\n");
    let out = camcount()
        .arg(sample())
        .arg("--declared")
        .arg(&declared)
        .args(["--declared-key", "code", "-o"])
        .arg(wd.path("out.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: codes that match no commune of this run",
            declared.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("declared file: 1 commune matched, 1 code matches no commune"),
        "{stderr}"
    );
}

/// Regression (2026-12-06): the 2015 figure of one former commune of
/// Valserhône (Châtillon-en-Michaille, 01091) read as Valserhône's own,
/// "OSM maps … there, 200 %", where the commune is Bellegarde, Châtillon
/// and Lancrans (its communes déléguées in the INSEE list). Set beside
/// none, with a warning and a note. A figure under the commune's own code
/// stays its own.
#[test]
fn a_former_communes_figure_is_not_the_merged_communes() {
    let wd = Workdir::new();
    let ain =
        data_dir().join("communes/france-geojson-2018/departements/01-ain/communes-01-ain.geojson");
    let ain: Value = serde_json::from_str(&std::fs::read_to_string(ain).unwrap()).unwrap();
    // The three 2018 polygons drawn as today's commune, one code.
    let parts: Vec<Value> = (ain["features"].as_array().unwrap().iter())
        .filter(|f| {
            ["01033", "01091", "01205"].contains(&f["properties"]["code"].as_str().unwrap())
        })
        .map(|f| {
            let mut f = f.clone();
            f["properties"] = serde_json::json!({"code": "01033", "nom": "Valserhône"});
            f
        })
        .collect();
    assert_eq!(parts.len(), 3);
    let collection = serde_json::json!({"type": "FeatureCollection", "features": parts});
    let polygons = wd.write("valserhone.geojson", collection.to_string().as_bytes());
    let run = |declared: &str| {
        let declared = wd.write("declared.csv", declared.as_bytes());
        let output = camcount()
            .arg(monaco())
            .arg("--boundaries")
            .arg(&polygons)
            .args([
                "--boundary-id-field",
                "code",
                "--boundary-name-field",
                "nom",
            ])
            .arg("--population")
            .arg(insee_population())
            .arg("--declared")
            .arg(&declared)
            .args(["-f", "json"])
            .output()
            .unwrap();
        assert!(output.status.success());
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        let row = json["communes"][0].clone();
        (row, String::from_utf8(output.stderr).unwrap(), json)
    };
    let (row, stderr, json) = run("code,cameras,source,date\n01091,5,Le Progrès,2015\n");
    assert_eq!(row["ref"], "01033");
    assert!(row["declared"].is_null(), "{row}");
    assert!(row["osm_share_of_declared"].is_null(), "{row}");
    assert!(
        stderr.contains("01091 (line 2, now part of 01033)") && stderr.contains("set beside none"),
        "{stderr}"
    );
    let notes = json["metadata"]["notes"].to_string();
    assert!(notes.contains("01091 (5, now part of 01033)"), "{notes}");
    let (row, stderr, _) = run("code,cameras\n01091,5\n01205,7\n01033,3\n");
    assert_eq!(row["declared"], 3, "the commune's own code: its own figure");
    assert!(!stderr.contains("now part of"), "{stderr}");
}
