//! History fixtures written by our own PBF writer: a camera added, moved,
//! retagged, untagged, deleted and undeleted; a way camera whose nodes
//! move; a boundary that changes; versions split over blobs; and deleted
//! versions that kept their tags.

use std::collections::BTreeSet;
use std::ffi::OsStr;

use crate::common::{stdout_of, Workdir};
use crate::{camera_ids, check_against_osmium, history_case, history_table, series};

/// The dates of the camera's life: before it, then one date after each
/// of its versions.
const CAMERA_LIFE_DATES: [&str; 7] = [
    "2019-06-01",
    "2020-03-01",
    "2020-09-01",
    "2021-03-01",
    "2021-09-01",
    "2022-06-01",
    "2023-06-01",
];

#[test]
fn a_camera_added_moved_retagged_untagged_deleted_and_undeleted() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-camera-life");
    let dates = CAMERA_LIFE_DATES;
    let sizes = check_against_osmium(&input, &dates, "8");
    assert_eq!(sizes, [0, 1, 1, 1, 0, 0, 1]);
    // Dates: before; added in A; moved to B (removed from A, added to B);
    // retagged (still the same camera); untagged; deleted; undeleted in A.
    // The last date is after the file's data: labelled with the day they
    // reach (the undeletion's, 2023-01-01).
    let mut labels = dates;
    labels[6] = "2023-01-01";
    let expected = series(
        &labels,
        &[
            ("00001", "0 1 0 0 0 0 1", "- 1 0 0 0 0 1", "- 0 1 0 0 0 0"),
            ("00002", "0 0 1 1 0 0 0", "- 0 1 0 0 0 0", "- 0 0 0 1 0 0"),
        ],
    );
    assert_eq!(history_table(&input, &dates, &[]), expected);
}

#[test]
fn a_way_camera_whose_nodes_move_changes_commune() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-way-camera-nodes-move");
    let dates = ["2019-01-01", "2020-06-01", "2021-06-01"];
    assert_eq!(check_against_osmium(&input, &dates, "8"), [0, 1, 1]);
    // The last date is after the file's data, labelled with their day.
    let labels = ["2019-01-01", "2020-06-01", "2021-01-01"];
    let expected = series(
        &labels,
        &[
            ("00001", "0 1 0", "- 1 0", "- 0 1"),
            ("00002", "0 0 1", "- 0 1", "- 0 0"),
        ],
    );
    assert_eq!(history_table(&input, &dates, &[]), expected);
}

#[test]
fn a_commune_whose_boundary_changes_counted_in_the_last_zones_or_each_dates() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-boundary-change");
    let dates = ["2020-06-01", "2021-06-01"];
    assert_eq!(check_against_osmium(&input, &dates, "8"), [1, 1]);
    // The last date is after the file's data, labelled with their day.
    let labels = ["2020-06-01", "2021-01-01"];
    // In the last date's zones, A held the camera all along.
    let last = series(&labels, &[("00001", "1 1", "- 0", "- 0")]);
    assert_eq!(history_table(&input, &dates, &[]), last);
    // In each date's own zones, A grew over it.
    let each = series(&labels, &[("00001", "0 1", "- 1", "- 0")]);
    assert_eq!(history_table(&input, &dates, &["--zones-each-date"]), each);
    // The wide table names the zone as its last date does: A was renamed
    // on 2021-01-01, and the first name stood (regression, 2026-12-05).
    let wide = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2020-06-01,2021-06-01"),
        OsStr::new("--zones-each-date"),
        OsStr::new("--wide"),
        OsStr::new("-q"),
    ]);
    let rows = crate::common::read_csv(&wide);
    assert_eq!(rows.len(), 1, "{wide}");
    assert_eq!(rows[0]["name"], "A-la-Grande", "{wide}");
}

/// Versions of one object split over several blobs give the same counts:
/// the read keeps the runs at blob edges and decides after the stage.
#[test]
fn versions_split_over_blobs_count_the_same() {
    use camcount::history::fixtures::{history_case, write_history, HISTORY_CASES};
    use camcount::pbf::writer::WriterOptions;
    let wd = Workdir::new();
    let dates = CAMERA_LIFE_DATES;
    for name in HISTORY_CASES {
        let elements = history_case(name).unwrap();
        let mut tables = Vec::new();
        for block_size in [8000, 1, 2, 3] {
            let path = wd.path(&format!("{name}-{block_size}.osh.pbf"));
            let options = WriterOptions {
                block_size,
                ..WriterOptions::default()
            };
            write_history(&elements, &path, options).unwrap();
            tables.push(history_table(&path, &dates, &["--zones-each-date"]));
        }
        assert!(
            tables.windows(2).all(|w| w[0] == w[1]),
            "{name}: {tables:?}"
        );
    }
}

/// A camera untagged in a version that opens the next blob, followed by
/// another object: that version alone says the camera is gone.
#[test]
fn an_untagging_version_at_the_start_of_a_blob_is_seen() {
    use camcount::fixtures::node;
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::{OsmElement, OsmMeta};
    let v = |id: i64, version: i32, date: &str, tags: &[(&str, &str)]| {
        let OsmElement::Node(mut n) = node(id, 1.0, 1.0, tags) else {
            unreachable!()
        };
        n.meta = Some(OsmMeta {
            version,
            timestamp: camcount::history::parse_date(date).unwrap(),
            ..OsmMeta::default()
        });
        OsmElement::Node(n)
    };
    let camera = [("man_made", "surveillance")];
    let elements = [
        v(1, 1, "2020-01-01", &camera),
        v(1, 2, "2020-06-01", &camera),
        v(1, 3, "2021-01-01", &[]),
        v(2, 1, "2020-01-01", &camera),
    ];
    let wd = Workdir::new();
    for block_size in [8000, 2] {
        let path = wd.path(&format!("untag-{block_size}.osh.pbf"));
        let options = WriterOptions {
            block_size,
            ..WriterOptions::default()
        };
        camcount::history::fixtures::write_history(&elements, &path, options).unwrap();
        let listed = |date: &str| {
            camera_ids(&stdout_of(&[
                OsStr::new("cameras"),
                path.as_os_str(),
                OsStr::new("--at"),
                OsStr::new(date),
            ]))
        };
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
        assert_eq!(listed("2020-07-01"), ids(&["node/1", "node/2"]));
        assert_eq!(
            listed("2021-06-01"),
            ids(&["node/2"]),
            "blocks of {block_size}"
        );
    }
}

/// A deleted version that kept its tags (`visible=false`; some history
/// tools write them so) is no camera, in the plain commands as at a date:
/// counting it would print a camera that is gone. Nodes go through the
/// dense bulk path and, with one node a block, the visitor too.
#[test]
fn a_deleted_version_that_kept_its_tags_is_no_camera() {
    use camcount::fixtures::{node, relation, way};
    use camcount::history::fixtures::versioned;
    use camcount::pbf::block::ElementType;
    use camcount::pbf::writer::WriterOptions;
    let camera = [("man_made", "surveillance")];
    let elements = [
        versioned(node(1, 1.0, 1.0, &camera), 1, "2020-01-01", false),
        versioned(node(1, 1.0, 1.0, &camera), 2, "2021-01-01", true),
        versioned(node(2, 1.1, 1.0, &camera), 1, "2020-01-01", false),
        versioned(node(3, 1.2, 1.0, &[]), 1, "2020-01-01", false),
        versioned(node(4, 1.3, 1.0, &[]), 1, "2020-01-01", false),
        versioned(node(5, 1.3, 1.1, &[]), 1, "2020-01-01", false),
        versioned(way(10, &[3, 4, 5, 3], &camera), 1, "2020-01-01", false),
        versioned(way(10, &[3, 4, 5, 3], &camera), 2, "2021-01-01", true),
        versioned(
            relation(20, &[(ElementType::Node, 2, "")], &camera),
            1,
            "2020-01-01",
            false,
        ),
        versioned(
            relation(20, &[(ElementType::Node, 2, "")], &camera),
            2,
            "2021-01-01",
            true,
        ),
    ];
    let wd = Workdir::new();
    let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    for block_size in [8000, 1] {
        let path = wd.path(&format!("deleted-{block_size}.osh.pbf"));
        let options = WriterOptions {
            block_size,
            ..WriterOptions::default()
        };
        camcount::history::fixtures::write_history(&elements, &path, options).unwrap();
        let listed = |extra: &[&str]| {
            let mut args = vec![OsStr::new("cameras"), path.as_os_str()];
            args.extend(extra.iter().map(OsStr::new));
            camera_ids(&stdout_of(&args))
        };
        let before = ids(&["node/1", "node/2", "way/10", "relation/20"]);
        assert_eq!(
            listed(&["--at", "2020-06-01"]),
            before,
            "blocks of {block_size}"
        );
        assert_eq!(
            listed(&["--at", "2021-06-01"]),
            ids(&["node/2"]),
            "blocks of {block_size}"
        );
        assert_eq!(
            listed(&[]),
            ids(&["node/2"]),
            "newest state, blocks of {block_size}"
        );
    }
}

/// With each date's own zones, commune B deleted on 2021-06-01 read `ok`
/// in the wide table (its status where it last appears) and "unknown" in
/// the report at the dates it was no zone (found 2026-12-05). It is
/// `absent` and "no zone".
#[test]
fn a_commune_gone_by_the_last_date_is_absent_not_ok() {
    use camcount::pbf::OsmElement;
    let wd = Workdir::new();
    let mut elements = camcount::history::fixtures::history_case("history-camera-life").unwrap();
    let b = (elements.iter())
        .find_map(|e| match e {
            OsmElement::Relation(r) if r.id == 101 => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    elements.push(camcount::history::fixtures::versioned(
        OsmElement::Relation(b),
        2,
        "2021-06-01",
        true,
    ));
    let input = wd.path("b-deleted.osh.pbf");
    let options = camcount::pbf::writer::WriterOptions::default();
    camcount::history::fixtures::write_history(&elements, &input, options).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new("2020-09-01,2022-06-01"),
            OsStr::new("--zones-each-date"),
            OsStr::new("-q"),
        ];
        args.extend(extra.iter().map(OsStr::new));
        stdout_of(&args)
    };
    let wide = crate::common::read_csv(&run(&["--wide"]));
    let status: Vec<(&str, &str, &str)> = (wide.iter())
        .map(|r| {
            (
                r["name"].as_str(),
                r["cameras_2020-09-01"].as_str(),
                r["status"].as_str(),
            )
        })
        .collect();
    assert_eq!(status, [("A", "0", "ok"), ("B", "1", "absent")]);
    let md = run(&["-f", "md"]);
    assert!(
        md.contains("- B: 1 (2020-09-01) → no zone (2022-06-01)"),
        "{md}"
    );
}

/// Regression (2026-12-07): with each date's own zones, a run whose last
/// date holds no commune was refused ("holds no boundary relation of
/// admin_level 8 at any of the dates asked for"), though its first date
/// holds two: only the last date's zones were looked at.
#[test]
fn zones_each_date_counts_when_only_the_last_date_has_no_commune() {
    use camcount::pbf::OsmElement;
    let wd = Workdir::new();
    let mut elements = camcount::history::fixtures::history_case("history-camera-life").unwrap();
    let communes: Vec<OsmElement> = (elements.iter())
        .filter(|e| matches!(e, OsmElement::Relation(_)))
        .cloned()
        .collect();
    for commune in communes {
        elements.push(camcount::history::fixtures::versioned(
            commune,
            2,
            "2021-06-01",
            true,
        ));
    }
    elements.sort_by_key(camcount::history::fixtures::order_key);
    let input = wd.path("communes-deleted.osh.pbf");
    let options = camcount::pbf::writer::WriterOptions::default();
    camcount::history::fixtures::write_history(&elements, &input, options).unwrap();
    let run = |extra: &[&OsStr]| {
        let mut args = vec![
            OsStr::new("history"),
            input.as_os_str(),
            OsStr::new("--at"),
            OsStr::new("2020-09-01,2022-06-01"),
            OsStr::new("--zones-each-date"),
            OsStr::new("-q"),
        ];
        args.extend(extra);
        stdout_of(&args)
    };
    let wide = crate::common::read_csv(&run(&[OsStr::new("--wide")]));
    let cells: Vec<(&str, &str, &str, &str)> = (wide.iter())
        .map(|r| {
            (
                r["name"].as_str(),
                r["cameras_2020-09-01"].as_str(),
                r["cameras_2022-06-01"].as_str(),
                r["status"].as_str(),
            )
        })
        .collect();
    assert_eq!(cells, [("A", "0", "", "absent"), ("B", "1", "", "absent")]);
    // The map and the GeoJSON are of the newest date that has zones: the
    // page drew an empty map of the last date.
    let geojson = run(&[OsStr::new("-f"), OsStr::new("geojson")]);
    let geojson: serde_json::Value = serde_json::from_str(&geojson).unwrap();
    let geometry = geojson["metadata"]["geometry"].as_str().unwrap();
    assert!(
        geometry.starts_with("the zones of 2020-09-01, the newest date that has any"),
        "{geometry}"
    );
    let features = geojson["features"].as_array().unwrap();
    assert!(
        features.iter().all(|f| !f["geometry"].is_null()),
        "{geojson}"
    );
    let page = wd.path("page.html");
    run(&[OsStr::new("-o"), page.as_os_str()]);
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("The map on 2020-09-01"),
        "no map of 2020-09-01"
    );
}

/// One version dated past tomorrow (a flipped byte dated an object of the
/// Monaco history 2037) was taken as the file's newest: `history` printed
/// "OSM data as of unknown", counted 2030 as a date inside the data, and
/// `--every year` ran to 2037, with exit 0 (found 2026-12-05). It is
/// damage: the file is dated by its other objects, and dates after them
/// are relabelled as ever.
#[test]
fn a_version_dated_in_the_future_neither_dates_the_file_nor_stretches_it() {
    use camcount::history::fixtures::{history_case, versioned, write_history};
    use camcount::pbf::{OsmElement, OsmNode};

    let wd = Workdir::new();
    let input = wd.path("future-version.osh.pbf");
    let mut elements = history_case("history-camera-life").unwrap();
    let bench = OsmNode {
        id: 2,
        lat: 0.5,
        lon: 0.6,
        tags: vec![("amenity".into(), "bench".into())],
        meta: None,
    };
    let mut future = versioned(OsmElement::Node(bench), 1, "2020-01-01", false);
    if let OsmElement::Node(node) = &mut future {
        node.meta.as_mut().unwrap().timestamp = 2_124_000_000; // 2037-04
    }
    // After node 1's versions, before the communes' nodes.
    let at = elements
        .iter()
        .position(|e| matches!(e, OsmElement::Node(n) if n.id > 2))
        .unwrap();
    elements.insert(at, future);
    write_history(&elements, &input, Default::default()).unwrap();

    let json = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2022-06-01,2030-01-01"),
        OsStr::new("-f"),
        OsStr::new("json"),
        OsStr::new("-q"),
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let metadata = &value["metadata"];
    assert_eq!(metadata["data_date"], "2023-01-01", "{metadata}");
    assert!(json.contains("\"2023-01-01\""), "{json}");
    assert!(!json.contains("2030-01-01\""), "{json}");
    let wide = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--every"),
        OsStr::new("year"),
        OsStr::new("--from"),
        OsStr::new("2022-01-01"),
        OsStr::new("--wide"),
        OsStr::new("-q"),
    ]);
    let header = wide.lines().next().unwrap();
    assert!(
        header.contains("cameras_2022-01-01,cameras_2023-01-01,status"),
        "{header}"
    );
}

/// Regression (2026-12-05): `history --boundaries` judged a zone too
/// small to hold a cell centre with data `outside_extract`, its camera
/// inside it counted nowhere, as the count did before. The camera's
/// versions are data: the zone is counted, `partial`.
#[test]
fn a_small_zone_holding_a_camera_is_counted_through_time() {
    use camcount::fixtures::node;
    use camcount::history::fixtures::{versioned, write_history};
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::BBox;
    let wd = Workdir::new();
    let camera = &[("man_made", "surveillance")];
    let mut elements = vec![
        versioned(node(1, 0.05, 0.05, camera), 1, "2021-01-01", false),
        versioned(node(2, 0.206, 0.041, camera), 1, "2021-01-01", false),
    ];
    // Land mapped over x in [0, 0.2], a hundred nodes a cell of 0.01°.
    let land = camcount::fixtures::mapped_land(10).into_iter();
    elements.extend(land.map(|n| versioned(n, 1, "2020-01-01", false)));
    let input = wd.path("region.osh.pbf");
    let options = WriterOptions {
        bbox: Some(BBox {
            min_lon: 0.0,
            min_lat: 0.0,
            max_lon: 0.3,
            max_lat: 0.1,
        }),
        ..WriterOptions::default()
    };
    write_history(&elements, &input, options).unwrap();
    // S holds one cell centre, (0.205, 0.035), in a cell without data;
    // its camera lies in the cell above. B lies in the box, with no data.
    let square = |code: &str, [x0, y0, x1, y1]: [f64; 4]| {
        serde_json::json!({
            "type": "Feature",
            "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [[
                [x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]
            ]]}
        })
    };
    let zones = serde_json::json!({"type": "FeatureCollection", "features": [
        square("A", [0.0, 0.0, 0.1, 0.1]),
        square("S", [0.203, 0.033, 0.208, 0.043]),
        square("B", [0.285, 0.0, 0.3, 0.1]),
    ]});
    let geojson = wd.write("zones.geojson", zones.to_string().as_bytes());
    let csv = stdout_of(&[
        OsStr::new("history"),
        input.as_os_str(),
        OsStr::new("--at"),
        OsStr::new("2022-01-01"),
        OsStr::new("--boundaries"),
        geojson.as_os_str(),
        OsStr::new("--boundary-id-field"),
        OsStr::new("code"),
        OsStr::new("-q"),
    ]);
    let rows: Vec<(String, String, String)> = crate::common::read_csv(&csv)
        .into_iter()
        .map(|r| (r["ref"].clone(), r["cameras"].clone(), r["status"].clone()))
        .collect();
    let expected = [
        ("A", "1", "ok"),
        ("B", "", "outside_extract"),
        ("S", "1", "partial"),
    ];
    let expected: Vec<(String, String, String)> = (expected.iter())
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(rows, expected, "{csv}");
}
