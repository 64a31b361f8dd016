//! `camcount cameras` on the real extracts in `../shared/data/pbf`, against
//! the independent references in `pbf/reference/*.surveillance.csv`
//! (computed with pyosmium/libosmium). Ids, positions and tags are compared,
//! not only counts.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;

use common::{extract, ogr_feature_count, read_csv, reference, stdout_of, Row, Workdir};

fn keyed(rows: Vec<Row>) -> BTreeMap<(String, i64), Row> {
    rows.into_iter()
        .map(|r| ((r["osm_type"].clone(), r["osm_id"].parse().unwrap()), r))
        .collect()
}

fn check_extract(stem: &str, expected_count: usize) {
    check_against(stem, stem, expected_count);
}

fn check_against(stem: &str, reference_stem: &str, expected_count: usize) {
    let ours = keyed(read_csv(&stdout_of(&[
        OsStr::new("cameras"),
        extract(stem).as_os_str(),
        OsStr::new("-q"),
    ])));
    let theirs = keyed(read_csv(
        &std::fs::read_to_string(reference(&format!("{reference_stem}.surveillance.csv"))).unwrap(),
    ));
    assert_eq!(theirs.len(), expected_count, "reference for {stem}");
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>(),
        "{stem}: ids differ"
    );
    for (key, theirs) in &theirs {
        let ours = &ours[key];
        for axis in ["lon", "lat"] {
            let (a, b): (f64, f64) = (ours[axis].parse().unwrap(), theirs[axis].parse().unwrap());
            assert!((a - b).abs() < 1e-7, "{stem} {key:?} {axis}: {a} vs {b}");
        }
        for (our_column, their_column) in [
            ("surveillance", "surveillance"),
            ("surveillance_type", "surveillance:type"),
            ("surveillance_zone", "surveillance:zone"),
            ("camera_type", "camera:type"),
        ] {
            assert_eq!(
                ours[our_column], theirs[their_column],
                "{stem} {key:?} {our_column}"
            );
        }
    }
}

#[test]
fn monaco_2026_has_the_32_reference_cameras() {
    check_extract("monaco-2026-07-10", 32);
}

#[test]
fn andorra_has_the_9_reference_cameras() {
    check_extract("andorra-2025-01-18", 9);
}

#[test]
fn liechtenstein_has_the_3_reference_cameras() {
    check_extract("liechtenstein-2024-03-04", 3);
}

#[test]
fn monaco_2021_has_the_10_reference_cameras() {
    check_extract("monaco-2021-04-21", 10);
}

#[test]
fn camera_free_extracts_have_none() {
    for stem in [
        "luxembourg-boundaries-filtered-2018",
        "clipperton-2025-04",
        "mimirsbrunn-osm_fixture-idf-melun",
    ] {
        check_extract(stem, 0);
    }
}

#[test]
fn lz4_monaco_gives_the_same_10_cameras_as_its_zlib_twin() {
    check_against("monaco-2021-04-21.lz4", "monaco-2021-04-21", 10);
    for format in ["csv", "geojson"] {
        let run = |stem: &str| {
            stdout_of(&[
                OsStr::new("cameras"),
                extract(stem).as_os_str(),
                OsStr::new("--format"),
                OsStr::new(format),
                OsStr::new("-q"),
            ])
        };
        // The metadata names each input; the rest must be identical.
        assert_eq!(
            run("monaco-2021-04-21.lz4").replace(".lz4.osm.pbf", ".osm.pbf"),
            run("monaco-2021-04-21"),
            "{format}"
        );
    }
}

#[test]
fn andorra_is_identical_across_thread_counts() {
    let run = |threads: &str| {
        stdout_of(&[
            OsStr::new("cameras"),
            extract("andorra-2025-01-18").as_os_str(),
            OsStr::new("--threads"),
            OsStr::new(threads),
            OsStr::new("-q"),
        ])
    };
    let one = run("1");
    assert_eq!(run("2"), one);
    assert_eq!(run("8"), one);
}

#[test]
fn geojson_loads_in_gdal_with_every_camera() {
    let wd = Workdir::new();
    let out = wd.path("monaco.geojson");
    stdout_of(&[
        OsStr::new("cameras"),
        extract("monaco-2026-07-10").as_os_str(),
        OsStr::new("--format"),
        OsStr::new("geojson"),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("-q"),
    ]);
    assert_eq!(ogr_feature_count(&out), 32);
}

/// The metadata of osmium's dense nodes, ways and relations, read by our
/// reader, against what `osmium cat -f opl` prints for the same elements
/// (v, c, t, i, u); the benchmark corpus carries it over from its seeds.
#[test]
fn andorra_metadata_matches_osmium() {
    use camcount::pbf::{read_elements, OsmElement, OsmMeta};
    let elements = read_elements(&extract("andorra-2025-01-18")).unwrap();
    let meta = |version, timestamp| {
        Some(OsmMeta {
            version,
            timestamp,
            ..OsmMeta::default()
        })
    };
    let find = |kind: &str, id: i64| {
        elements
            .iter()
            .find_map(|e| match e {
                OsmElement::Node(n) if kind == "n" && n.id == id => Some(n.meta.clone()),
                OsmElement::Way(w) if kind == "w" && w.id == id => Some(w.meta.clone()),
                OsmElement::Relation(r) if kind == "r" && r.id == id => Some(r.meta.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{kind}{id} not in the extract"))
    };
    // n625025 v3 c0 t2019-12-28T18:39:17Z i0 u
    assert_eq!(find("n", 625025), meta(3, 1_577_558_357));
    // w5203906 v16 c0 t2023-12-29T22:08:22Z i0 u
    assert_eq!(find("w", 5203906), meta(16, 1_703_887_702));
    // r18523783 v1 c0 t2025-01-08T17:10:04Z i0 u
    assert_eq!(find("r", 18523783), meta(1, 1_736_356_204));
    let without = elements
        .iter()
        .filter(|e| match e {
            OsmElement::Node(n) => n.meta.is_none(),
            OsmElement::Way(w) => w.meta.is_none(),
            OsmElement::Relation(r) => r.meta.is_none(),
        })
        .count();
    assert_eq!(without, 0, "elements without metadata");
}
