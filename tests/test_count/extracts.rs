//! The per-commune table of the real extracts: camera counts equal to the
//! reference tables, Monaco's densities, empty rates where nobody lives or
//! a commune is incomplete, each admin level counted on its own, and a
//! rollup by a higher level.

use std::collections::BTreeMap;
use std::ffi::OsStr;

use crate::common::{extract, read_csv_with, reference, Row, Workdir};
use crate::count_csv;

#[test]
fn monaco_has_29_cameras_and_the_reference_densities() {
    let rows = count_csv(&[extract("monaco-2026-07-10").as_os_str()]);
    let monaco = rows.iter().find(|r| r["osm_id"] == "2220322").unwrap();
    assert_eq!(monaco["cameras"], "29");
    assert_eq!(monaco["cameras_per_1000"], "0.7426");
    assert_eq!(monaco["inhabitants_per_camera"], "1347");
    let per_km2: f64 = monaco["cameras_per_km2"].parse().unwrap();
    assert_eq!(format!("{per_km2:.2}"), "12.13");
    assert_eq!(monaco["population_source"], "osm");
    for row in rows.iter().filter(|r| r["osm_id"] != "2220322") {
        assert_eq!(row["status"], "incomplete");
        assert_eq!(row["cameras"], "", "an incomplete commune never reads zero");
        assert_eq!(row["cameras_per_1000"], "");
    }
}

/// Regression: Andorra's extract holds the whole relation of
/// L'Hospitalet-près-l'Andorre, but 39 % of its land lies beyond the
/// extract's bounding box, where the file holds no data: it read "0
/// cameras, ok". Its count is now a floor, and stderr says so.
#[test]
fn a_complete_relation_reaching_beyond_the_box_is_partial() {
    let output = crate::common::camcount()
        .arg(extract("andorra-2025-01-18"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let rows = read_csv_with(&String::from_utf8(output.stdout).unwrap(), b',');
    let hospitalet = rows.iter().find(|r| r["osm_id"] == "1837358").unwrap();
    assert_eq!(hospitalet["status"], "partial");
    assert_eq!(hospitalet["cameras"], "0");
    assert!(
        hospitalet["reason"]
            .starts_with("only 61 % of its area lies in the extract's bounding box"),
        "{}",
        hospitalet["reason"]
    );
    let others = rows.iter().filter(|r| r["osm_id"] != "1837358");
    assert!(others.clone().count() > 10);
    assert!(others.clone().all(|r| r["status"] != "partial"));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("1 boundary relation of"), "{stderr}");
    assert!(
        stderr.contains("reaches beyond its bounding box"),
        "{stderr}"
    );
}

#[test]
fn every_extract_matches_the_reference_camera_counts() {
    for stem in [
        "monaco-2026-07-10",
        "monaco-2021-04-21",
        "andorra-2025-01-18",
        "liechtenstein-2024-03-04",
        "luxembourg-boundaries-filtered-2018",
        "mimirsbrunn-osm_fixture-idf-melun",
        "clipperton-2025-04",
    ] {
        let ours: BTreeMap<String, Row> = count_csv(&[extract(stem).as_os_str()])
            .into_iter()
            .map(|r| (r["osm_id"].clone(), r))
            .collect();
        let theirs = read_csv_with(
            &std::fs::read_to_string(reference(&format!("{stem}.admin8.csv"))).unwrap(),
            b',',
        );
        assert_eq!(ours.len(), theirs.len(), "{stem}");
        for expected in theirs {
            let row = &ours[&expected["relation_id"]];
            assert_eq!(
                row["cameras"], expected["cameras"],
                "{stem} {}",
                expected["name"]
            );
        }
    }
}

#[test]
fn levels_are_counted_each_on_their_own() {
    let rows = count_csv(&[
        extract("andorra-2025-01-18").as_os_str(),
        OsStr::new("--admin-level"),
        OsStr::new("7,8"),
    ]);
    let parishes: u64 = rows
        .iter()
        .filter(|r| r["admin_level"] == "7")
        .filter_map(|r| r["cameras"].parse::<u64>().ok())
        .sum();
    assert_eq!(
        parishes, 9,
        "all 9 Andorran cameras are in admin_level 7 parishes"
    );
    let communes: u64 = rows
        .iter()
        .filter(|r| r["admin_level"] == "8")
        .filter_map(|r| r["cameras"].parse::<u64>().ok())
        .sum();
    assert_eq!(communes, 0);
}

#[test]
fn rollup_by_a_higher_admin_level_groups_communes_inside_it() {
    let wd = Workdir::new();
    let out = wd.path("countries.csv");
    count_csv(&[
        extract("liechtenstein-2024-03-04").as_os_str(),
        OsStr::new("--rollup-level"),
        OsStr::new("2"),
        OsStr::new("--rollup-output"),
        out.as_os_str(),
    ]);
    let groups = read_csv_with(&std::fs::read_to_string(&out).unwrap(), b',');
    let liechtenstein = groups
        .iter()
        .find(|g| g["name"] == "Liechtenstein")
        .unwrap();
    assert_eq!(liechtenstein["communes"], "11");
    assert_eq!(liechtenstein["communes_with_cameras"], "2");
    assert_eq!(liechtenstein["cameras"], "3");
    assert_eq!(liechtenstein["communes_not_counted"], "0");
    let unplaced = groups.iter().find(|g| g["group"].is_empty()).unwrap();
    assert_eq!(
        unplaced["communes_not_counted"], "11",
        "the Swiss and Austrian neighbours"
    );
    assert_eq!(unplaced["cameras"], "", "unknown, not zero");
}

#[test]
fn clipperton_population_zero_gives_empty_rates_not_inf() {
    let rows = count_csv(&[extract("clipperton-2025-04").as_os_str()]);
    assert_eq!(rows[0]["population"], "0");
    assert_eq!(rows[0]["cameras"], "0");
    assert_eq!(rows[0]["cameras_per_1000"], "");
    assert_eq!(rows[0]["inhabitants_per_camera"], "");
    assert_eq!(rows[0]["cameras_per_km2"], "0.0000");
}

/// `--admin-level 8,7` on Liechtenstein (no level 7) left level 7 out
/// without a word (found 2026-12-05).
#[test]
fn a_level_asked_for_and_missing_is_warned_of() {
    let output = crate::common::camcount()
        .arg(crate::common::extract("liechtenstein-2024-03-04"))
        .args(["--admin-level", "8,7"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("holds no boundary relation of admin_level 7: that level is left out"),
        "{stderr}"
    );
    assert!(!stderr.contains("admin_level 8:"), "{stderr}");
}

/// A file of no camera at all (Luxembourg's, filtered down to its
/// boundaries) gave 105 communes at 0, `ok`, with no word (found
/// 2026-12-05): a note says the file holds no camera. Monaco's has none.
#[test]
fn a_file_without_any_camera_says_so_beside_its_zeros() {
    let notes = |stem: &str| -> Vec<String> {
        let output = crate::common::camcount()
            .arg(extract(stem))
            .args(["-f", "json", "-q"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        (json["metadata"]["notes"].as_array().unwrap().iter())
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    let none = "The file holds no object tagged man_made=surveillance";
    let luxembourg = notes("luxembourg-boundaries-filtered-2018");
    assert!(
        luxembourg.iter().any(|n| n.starts_with(none)),
        "{luxembourg:?}"
    );
    let monaco = notes("monaco-2026-07-10");
    assert!(!monaco.iter().any(|n| n.starts_with(none)), "{monaco:?}");
}
