//! The département rollup: over communes whatever levels are counted,
//! Monaco in a group of its own, and the group's population as the
//! denominator of its rate.

use predicates::prelude::*;
use serde_json::Value;

use crate::common::{camcount, extract, read_csv, Workdir};
use crate::{monaco, os, run, sample};

#[test]
fn a_rollup_is_over_communes_whatever_levels_are_counted() {
    // Luxembourg's extract holds French communes (admin_level 8) and
    // their départements (6), as in France.
    let lux = extract("luxembourg-boundaries-filtered-2018");
    let wd = Workdir::new();
    let rollup = |levels: &str| {
        let out = wd.path(&format!("rollup-{levels}.csv"));
        camcount()
            .arg(&lux)
            .args([
                "--admin-level",
                levels,
                "--rollup",
                "departement",
                "-q",
                "-o",
                "/dev/null",
            ])
            .arg("--rollup-output")
            .arg(&out)
            .assert()
            .success();
        std::fs::read_to_string(out).unwrap()
    };
    let communes_only = rollup("8");
    assert_eq!(rollup("8,6"), communes_only);
    assert_eq!(rollup("6,8,4"), communes_only);
    // No level-6 zone was taken for a commune.
    let rows = read_csv(&communes_only);
    let total: u64 = rows
        .iter()
        .map(|r| r["communes"].parse::<u64>().unwrap())
        .sum();
    let level8 = read_csv(&run(&[lux.as_os_str(), os("-q")])).len() as u64;
    assert_eq!(total, level8);
    // A rollup without the commune level is refused.
    camcount()
        .arg(&lux)
        .args([
            "--admin-level",
            "6",
            "--rollup",
            "departement",
            "-f",
            "json",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add 8 to --admin-level"));
}

#[test]
fn monaco_has_its_own_group_not_the_unbuilt_one() {
    let doc: Value = serde_json::from_str(&run(&[
        monaco().as_os_str(),
        os("--rollup"),
        os("departement"),
        os("-f"),
        os("json"),
        os("-q"),
    ]))
    .unwrap();
    let groups = doc["rollup"].as_array().unwrap();
    let no_code = groups
        .iter()
        .find(|g| g["name"] == "(no INSEE code)")
        .unwrap();
    assert_eq!(
        (no_code["communes"].as_u64(), no_code["cameras"].as_u64()),
        (Some(1), Some(29))
    );
    assert!(groups
        .iter()
        .all(|g| g["name"] != camcount::aggregate::UNPLACED_GROUP));
    // The four French communes are placed by their code, not counted.
    let am = groups.iter().find(|g| g["group"] == "06").unwrap();
    assert_eq!(am["communes_not_counted"], 4);
    assert!(am["cameras"].is_null() && am["population"].is_null());
    assert_eq!(am["population_not_counted"], 12674 + 4508 + 3015 + 12371);
}

/// The rate speaks of the communes counted whose population is known, on
/// both sides: the sample's commune 99010 has a camera and no population,
/// and that camera once inflated the rate (1.2664 for 22 cameras' 1.2113).
#[test]
fn the_rollup_rate_is_over_the_communes_with_a_population() {
    let wd = Workdir::new();
    let (out, communes) = (wd.path("rollup.csv"), wd.path("communes.csv"));
    camcount()
        .arg(sample())
        .args(["--rollup", "departement", "-q", "--rollup-output"])
        .arg(&out)
        .arg("-o")
        .arg(&communes)
        .assert()
        .success();
    let group = &read_csv(&std::fs::read_to_string(out).unwrap())[0];
    let communes = read_csv(&std::fs::read_to_string(communes).unwrap());
    let with_population =
        (communes.iter()).filter(|c| c["status"] == "ok" && !c["population"].is_empty());
    let (cameras, population) = with_population.fold((0.0, 0.0), |(c, p), row| {
        let n = |k: &str| row[k].parse::<f64>().unwrap();
        (c + n("cameras"), p + n("population"))
    });
    assert_eq!(group["population"].parse::<f64>().unwrap(), population);
    let rate: f64 = group["cameras_per_1000"].parse().unwrap();
    assert!(
        (cameras * 1000.0 / population - rate).abs() < 5e-5,
        "{group:?}"
    );
    let unpopulated = (communes.iter())
        .filter(|c| c["status"] == "ok" && c["population"].is_empty())
        .count();
    assert!(unpopulated > 0, "the sample must hold such a commune");
    assert_eq!(
        group["communes_without_population"],
        unpopulated.to_string()
    );
    assert!(group["population_not_counted"].parse::<u64>().unwrap() > 0);
}

/// A file holding Paris and arrondissements municipaux (IGN's COMMUNE and
/// ARRONDISSEMENT_MUNICIPAL layers in one file) drew them as one level of
/// overlapping zones: a camera counted in the first drawn only, and the
/// rollup added the arrondissements' inhabitants to Paris's and counted
/// them as communes (found 2026-12-06).
#[test]
fn arrondissements_beside_their_city_are_a_level_of_their_own() {
    use camcount::fixtures::{node, write_elements};
    let wd = Workdir::new();
    let paris = crate::common::data_dir()
        .join("communes/france-geojson-2018/departements/75-paris/communes-75-paris.geojson");
    let mut collection: Value =
        serde_json::from_str(&std::fs::read_to_string(paris).unwrap()).unwrap();
    // Two squares well inside Paris, given before it as a merged file may.
    let square = |code: &str, x: f64, y: f64| {
        let ring = [
            [x, y],
            [x + 0.01, y],
            [x + 0.01, y + 0.01],
            [x, y + 0.01],
            [x, y],
        ];
        serde_json::json!({"type": "Feature", "properties": {"code": code, "nom": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}})
    };
    let features = collection["features"].as_array_mut().unwrap();
    features.insert(0, square("75101", 2.33, 48.86));
    features.push(square("75115", 2.28, 48.83));
    let polygons = wd.write("paris.geojson", collection.to_string().as_bytes());
    let camera = [("man_made", "surveillance")];
    let cameras = [
        node(1, 2.335, 48.865, &camera), // 75101
        node(2, 2.336, 48.866, &camera), // 75101
        node(3, 2.285, 48.835, &camera), // 75115
        node(4, 2.36, 48.85, &camera),   // Paris only
    ];
    let input = wd.path("paris.osm.pbf");
    write_elements(&cameras, &input, Default::default()).unwrap();
    let (table, rollup) = (wd.path("communes.csv"), wd.path("rollup.csv"));
    let population = crate::common::data_dir().join("population/communes-2026-pmun2023.csv");
    let run = camcount()
        .arg(&input)
        .args([os("--boundaries"), polygons.as_os_str()])
        .args([
            "--boundary-id-field",
            "code",
            "--boundary-name-field",
            "nom",
        ])
        .args([os("--population"), population.as_os_str()])
        .args([
            os("-o"),
            table.as_os_str(),
            os("--rollup-output"),
            rollup.as_os_str(),
        ])
        .args(["--rollup", "departement"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "holds Paris (75056) and 2 of its arrondissements municipaux",
        ))
        .stderr(predicate::str::contains("overlap: ").not());
    drop(run);
    let rows = read_csv(&std::fs::read_to_string(table).unwrap());
    let row = |code: &str| rows.iter().find(|r| r["ref"] == code).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (
            row("75056")["admin_level"].as_str(),
            row("75056")["cameras"].as_str()
        ),
        ("", "4")
    );
    assert_eq!(
        (
            row("75101")["admin_level"].as_str(),
            row("75101")["cameras"].as_str()
        ),
        ("9", "2")
    );
    assert_eq!(
        (
            row("75115")["admin_level"].as_str(),
            row("75115")["cameras"].as_str()
        ),
        ("9", "1")
    );
    assert_eq!(
        rows.last().unwrap()["ref"],
        "75115",
        "level 9 after the communes"
    );
    let groups = read_csv(&std::fs::read_to_string(rollup).unwrap());
    assert_eq!(groups.len(), 1);
    let paris = &groups[0];
    // Paris's own population, once, and one commune.
    assert_eq!(paris["population"], row("75056")["population"]);
    assert_eq!(
        (paris["communes"].as_str(), paris["cameras"].as_str()),
        ("1", "4")
    );
    // The report says why a level 9 appears.
    let report = camcount()
        .arg(&input)
        .args([os("--boundaries"), polygons.as_os_str()])
        .args(["--boundary-id-field", "code", "-f", "md", "-q"])
        .output()
        .unwrap();
    let report = String::from_utf8(report.stdout).unwrap();
    assert!(
        report.contains("holds cities and 2 of their arrondissements municipaux"),
        "{report}"
    );
}

/// Regression (2026-12-06): two OSM relations tagged with one
/// `ref:INSEE` were two communes in the rollup, their population added
/// twice, with no word beside the département's figure. The run warns,
/// and the outputs' notes name the code.
#[test]
fn zones_sharing_a_code_are_named_beside_the_rollup() {
    use camcount::fixtures::{commune_around, node, relation, write_elements};
    use camcount::pbf::block::ElementType;
    let wd = Workdir::new();
    let mut elements = vec![node(1, 7.42, 43.73, &[("man_made", "surveillance")])];
    elements.extend(commune_around(7.42, 43.73));
    elements.push(relation(
        1_000_002,
        &[(ElementType::Way, 1_000_001, "outer")],
        &[
            ("type", "boundary"),
            ("boundary", "administrative"),
            ("admin_level", "8"),
            ("ref:INSEE", "99999"),
            ("name", "Carré"),
        ],
    ));
    let input = wd.path("twice.osm.pbf");
    write_elements(&elements, &input, Default::default()).unwrap();
    let rollup = wd.path("rollup.csv");
    let output = camcount()
        .arg(&input)
        .args(["--rollup", "departement", "-f", "json", "--rollup-output"])
        .arg(&rollup)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warning =
        "zones of one level share a code: 99999 (admin_level 8: Carré (99999), Carré (99999))";
    assert!(stderr.contains(warning), "{stderr}");
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = json["metadata"]["notes"].to_string();
    assert!(notes.contains("share a code: 99999"), "{notes}");
    // What the note warns of: the two relations are two communes.
    let rows = read_csv(&std::fs::read_to_string(&rollup).unwrap());
    assert_eq!(rows[0]["communes"], "2");
}

/// Regression (2026-12-06): a rollup by a level put the communes of a
/// relation the extract could not build under "(not placed …)", without
/// naming it. The run warns, naming the relation and its status, and the
/// outputs carry the note.
#[test]
fn a_rollup_names_the_zones_it_could_not_place_communes_in() {
    let wd = Workdir::new();
    let rollup = wd.path("rollup.csv");
    let output = camcount()
        .arg(extract("monaco-2026-07-10"))
        .args(["--rollup-level", "6", "-f", "json", "--rollup-output"])
        .arg(&rollup)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("communes are in no built admin_level 6 zone")
            && stderr.contains("Alpes-Maritimes (relation 7385, incomplete)"),
        "{stderr}"
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let notes = json["metadata"]["notes"].to_string();
    assert!(
        notes.contains("Alpes-Maritimes (relation 7385, incomplete)"),
        "{notes}"
    );
}
