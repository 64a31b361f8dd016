use super::*;

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;
const EAST: &str = r#"{"type":"Polygon","coordinates":[[[2,0],[3,0],[3,1],[2,1],[2,0]]]}"#;

fn collection(extra: &str, features: &[(&str, &str)]) -> String {
    let features: Vec<String> = features
        .iter()
        .map(|(properties, geometry)| {
            format!(r#"{{"type":"Feature","properties":{properties},"geometry":{geometry}}}"#)
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection",{extra}"features":[{}]}}"#,
        features.join(",")
    )
}

/// The zones of a collection of `(properties, geometry)` features that
/// must read.
fn zones(features: &[(&str, &str)]) -> ExternalZones {
    read(&collection("", features)).unwrap()
}

fn read(text: &str) -> std::result::Result<ExternalZones, String> {
    zones_from_slice(text.as_bytes(), "code", Some("nom"))
}

/// Regression (2026-12-05): a cell across the antimeridian was
/// measured as the small polygon and counted as the one wrapping the
/// globe. It is refused with the remedy; a polygon beside ±180° reads.
#[test]
fn a_polygon_across_the_antimeridian_is_refused() {
    let across = r#"{"type":"Polygon","coordinates":[[[179.95,-17],[-179.95,-17],[-179.95,-16.9],[179.95,-16.9],[179.95,-17]]]}"#;
    let err = read(&collection("", &[(r#"{"code":"98701"}"#, across)])).unwrap_err();
    assert!(err.contains("crosses the antimeridian"), "{err}");
    assert!(err.contains("ogr2ogr -wrapdateline"), "{err}");
    let beside = r#"{"type":"Polygon","coordinates":[[[179.9,-17],[180,-17],[180,-16.9],[179.9,-16.9],[179.9,-17]]]}"#;
    assert_eq!(zones(&[(r#"{"code":"98701"}"#, beside)]).zones.len(), 1);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let text = collection("", &[(r#"{"code":"06001"}"#, SQUARE)]);
    let with_bom = format!("\u{feff}{text}");
    assert_eq!(read(&with_bom).unwrap().zones.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.geojson");
    std::fs::write(&path, with_bom).unwrap();
    assert_eq!(read_zones(&path, "code", None).unwrap().zones.len(), 1);
}

#[test]
fn a_projected_crs_is_refused_with_the_remedy() {
    for name in ["EPSG:2154", "urn:ogc:def:crs:EPSG::2154"] {
        let crs = format!(r#""crs":{{"type":"name","properties":{{"name":"{name}"}}}},"#);
        let err = read(&collection(&crs, &[(r#"{"code":"1"}"#, SQUARE)])).unwrap_err();
        assert!(err.contains(name), "{err}");
        assert!(err.contains("ogr2ogr -t_srs EPSG:4326"), "{err}");
    }
}

#[test]
fn a_wgs84_crs_is_accepted() {
    for name in [
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "EPSG:4326",
        "urn:ogc:def:crs:EPSG::4326",
    ] {
        let crs = format!(r#""crs":{{"type":"name","properties":{{"name":"{name}"}}}},"#);
        let zones = read(&collection(&crs, &[(r#"{"code":"1"}"#, SQUARE)])).unwrap();
        assert_eq!(zones.zones.len(), 1, "{name}");
    }
}

#[test]
fn projected_positions_are_refused_with_the_remedy() {
    let lambert = r#"{"type":"Polygon","coordinates":[[[1044000,6298000],[1045000,6298000],[1045000,6299000],[1044000,6298000]]]}"#;
    let err = read(&collection("", &[(r#"{"code":"1"}"#, lambert)])).unwrap_err();
    assert!(
        err.starts_with("feature 0: position [1044000,6298000]"),
        "{err}"
    );
    assert!(err.contains("ogr2ogr -t_srs EPSG:4326"), "{err}");
}

#[test]
fn a_point_or_line_is_named_before_a_missing_property() {
    let point = r#"{"type":"Point","coordinates":[0,0]}"#;
    let line = r#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#;
    for (geometry, kind) in [(point, "Point"), (line, "LineString")] {
        let text = collection("", &[(r#"{"code":"1"}"#, SQUARE), ("{}", geometry)]);
        let err = read(&text).unwrap_err();
        assert!(
            err.starts_with(&format!("feature 1: geometry is a {kind}")),
            "{err}"
        );
    }
}

/// Regression (2026-12-05): a bowtie whose lobes wind apart measured
/// the difference of its lobes, and a polygon enclosing no area read
/// "outside the extract: its bounding box does not reach it".
#[test]
fn crossing_rings_give_no_area_and_a_flat_polygon_is_invalid() {
    const BOWTIE: &str =
        r#"{"type":"Polygon","coordinates":[[[0,0],[2,1],[3,2],[3,0],[2,1],[0,2],[0,0]]]}"#;
    const FLAT: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}"#;
    // One ring through a point twice (IGN's 14174): its area is right.
    const TOUCHING: &str =
        r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[1,1],[2,2],[0,2],[1,1],[0,0]]]}"#;
    let external = zones(&[
        (r#"{"code":"1","nom":"A"}"#, BOWTIE),
        (r#"{"code":"2"}"#, FLAT),
        (r#"{"code":"3"}"#, TOUCHING),
    ]);
    let [bowtie, flat, touching] = &external.zones[..] else {
        panic!("three zones")
    };
    assert_eq!((bowtie.status, bowtie.area_km2), (Status::Invalid, None));
    assert!(
        bowtie.reason.contains("neither its area nor its cameras")
            && bowtie.reason.contains("ogr2ogr -makevalid"),
        "{}",
        bowtie.reason
    );
    assert_eq!((flat.status, flat.area_km2), (Status::Invalid, None));
    assert_eq!(flat.reason, "the polygon encloses no area");
    assert_eq!(touching.status, Status::Ok);
    let square = zones(&[(r#"{"code":"4"}"#, SQUARE)]).zones[0]
        .area_km2
        .unwrap();
    let touching_area = touching.area_km2.unwrap();
    assert!(
        (touching_area / square - 2.0).abs() < 1e-3,
        "{touching_area} {square}"
    );
    assert!(external.warnings[0].contains("status invalid, not counted"));
}

/// Regression (2026-12-05): a polygon given its hole first read `ok`,
/// no area, 0 cameras, where the camera lay inside the commune.
#[test]
fn a_hole_given_before_its_exterior_is_invalid() {
    const HOLE_FIRST: &str = r#"{"type":"Polygon","coordinates":[[[1,1],[1,2],[2,2],[2,1],[1,1]],[[0,0],[3,0],[3,3],[0,3],[0,0]]]}"#;
    const RIGHT: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[0,3],[0,0]],[[1,1],[1,2],[2,2],[2,1],[1,1]]]}"#;
    let external = zones(&[(r#"{"code":"1"}"#, HOLE_FIRST), (r#"{"code":"2"}"#, RIGHT)]);
    let [swapped, right] = &external.zones[..] else {
        panic!("two zones")
    };
    assert_eq!((swapped.status, swapped.area_km2), (Status::Invalid, None));
    assert!(
        swapped.reason.contains("give the exterior ring first"),
        "{}",
        swapped.reason
    );
    assert_eq!(right.status, Status::Ok);
    assert!(right.area_km2.is_some_and(|a| a > 0.0));
    assert!(external
        .warnings
        .iter()
        .any(|w| w.starts_with("feature 0 (1): ring 1")));
}

#[test]
fn features_sharing_a_code_are_one_zone() {
    let external = zones(&[
        (r#"{"code":"06001","nom":"Aiglun"}"#, SQUARE),
        (r#"{"code":"06002","nom":"Amirat"}"#, SQUARE),
        (r#"{"code":"06001","nom":"Aiglun"}"#, EAST),
    ]);
    assert_eq!(external.zones.len(), 2);
    let joined = &external.zones[0];
    assert_eq!(joined.reference.as_deref(), Some("06001"));
    assert_eq!(joined.geometry.as_ref().unwrap().0.len(), 2);
    let one = external.zones[1].area_km2.unwrap();
    assert!((joined.area_km2.unwrap() / one - 2.0).abs() < 1e-3);
    assert_eq!(external.warnings.len(), 1, "{:?}", external.warnings);
    assert!(external.warnings[0].contains("features 0 and 2 share the code 06001"));
    assert!(!external.warnings[0].contains("different names"));
}

#[test]
fn features_sharing_a_code_with_other_names_are_warned_about() {
    let external = zones(&[
        (r#"{"code":"06088","nom":"Nice"}"#, SQUARE),
        (r#"{"code":"06088","nom":"Nizza"}"#, EAST),
    ]);
    assert_eq!(external.zones.len(), 1);
    assert_eq!(external.zones[0].name.as_deref(), Some("Nice"));
    assert!(
        external.warnings[0].contains("different names (\"Nice\" and \"Nizza\""),
        "{:?}",
        external.warnings
    );
}

/// Regression (2026-12-06): a numeric code of four digits was kept as
/// written, so it had no département, and the warning said it would not
/// match INSEE codes, which the side files' join did match.
#[test]
fn a_numeric_code_gets_its_zero_back_and_a_warning() {
    let external = zones(&[
        (r#"{"code":"06002","nom":"Amirat"}"#, SQUARE),
        (r#"{"code":6001}"#, EAST),
        (r#"{"code":6003}"#, EAST),
        (r#"{"code":75056}"#, EAST),
    ]);
    assert_eq!(external.zones[1].reference.as_deref(), Some("06001"));
    assert_eq!(external.zones[3].reference.as_deref(), Some("75056"));
    assert_eq!(external.warnings.len(), 1, "{:?}", external.warnings);
    let warning = &external.warnings[0];
    assert!(
        warning.starts_with("feature 1: \"code\" is the number 6001"),
        "{warning}"
    );
    assert!(warning.contains("(and 2 more)"), "{warning}");
    assert!(warning.contains("(6001 as 06001)"), "{warning}");
}

/// Regression (2026-12-06): a code written as a string of four digits
/// ("6104") joined the population file as 06104 but the rollup as "(no
/// INSEE code)", without a word. Read as the number is, with a warning.
#[test]
fn a_string_code_of_four_digits_gets_its_zero_back_and_a_warning() {
    let external = zones(&[
        (r#"{"code":"06002","nom":"Amirat"}"#, SQUARE),
        (r#"{"code":" 6104 ","nom":"Roquebrune-Cap-Martin"}"#, EAST),
        (r#"{"code":"75056"}"#, EAST),
        (r#"{"code":"2A004"}"#, EAST),
    ]);
    let codes: Vec<_> = (external.zones.iter())
        .map(|z| z.reference.as_deref().unwrap())
        .collect();
    assert_eq!(codes, ["06002", "06104", "75056", "2A004"]);
    assert_eq!(external.warnings.len(), 1, "{:?}", external.warnings);
    assert!(
        external.warnings[0].starts_with(
            "feature 1: \"code\" is \"6104\", of four digits: read as an INSEE code that lost \
             its leading zero (6104 as 06104)"
        ),
        "{:?}",
        external.warnings
    );
}

/// Regression (2026-12-06): codes stored as decimals (82107.0, 9126.0)
/// were kept as "82107.0" and matched nothing; Corsica's "2a004" matched
/// nothing and rolled up under "(no INSEE code)". Both read as the
/// codes they are; a decimal that is no whole number is refused.
#[test]
fn codes_stored_as_decimals_or_in_small_letters_read_as_codes() {
    let external = zones(&[
        (r#"{"code":82107.0}"#, SQUARE),
        (r#"{"code":9126.0}"#, EAST),
        (r#"{"code":"2a004"}"#, EAST),
        (r#"{"code":"2B033"}"#, EAST),
    ]);
    let codes: Vec<_> = (external.zones.iter())
        .map(|z| z.reference.as_deref().unwrap())
        .collect();
    assert_eq!(codes, ["82107", "09126", "2A004", "2B033"]);
    assert!(
        external.warnings[0].contains("the number 82107")
            && external.warnings[0].contains("(9126 as 09126)"),
        "{:?}",
        external.warnings
    );
    let err = read(&collection("", &[(r#"{"code":82107.5}"#, SQUARE)])).unwrap_err();
    assert!(err.contains("is 82107.5, not a code"), "{err}");
}

/// Regression (2026-12-06): parts that share an edge were said to
/// overlap. They are joined all the same (OGC forbids both), with the
/// same area, and the warning says what they do.
#[test]
fn parts_sharing_an_edge_are_not_said_to_overlap() {
    let part = |x0: u32, x1: u32| format!("[[[{x0},0],[{x1},0],[{x1},1],[{x0},1],[{x0},0]]]");
    let multipolygon = |parts: &[String]| {
        format!(
            r#"{{"type":"MultiPolygon","coordinates":[{}]}}"#,
            parts.join(",")
        )
    };
    let beside = zones(&[(
        r#"{"code":"A","nom":"A"}"#,
        &multipolygon(&[part(0, 1), part(1, 2)]),
    )]);
    assert_eq!(beside.warnings.len(), 1, "{:?}", beside.warnings);
    assert!(
        beside.warnings[0].contains("share an edge; joined as one polygon"),
        "{:?}",
        beside.warnings
    );
    let over = zones(&[(
        r#"{"code":"A","nom":"A"}"#,
        &multipolygon(&[part(0, 2), part(1, 3)]),
    )]);
    assert!(
        over.warnings[0].contains("overlap; joined as their union"),
        "{:?}",
        over.warnings
    );
    let (whole, _) = (
        zones(&[(r#"{"code":"A","nom":"A"}"#, &multipolygon(&[part(0, 2)]))]),
        (),
    );
    let area = |z: &ExternalZones| z.zones[0].area_km2.unwrap();
    assert!((area(&beside) - area(&whole)).abs() < 1e-6 * area(&whole));
}

/// Regression (2026-12-06): a name field no feature has gave every
/// commune an empty name, "(no name)" in the report, without a word.
#[test]
fn a_name_field_no_feature_has_is_warned_about() {
    let external = zones(&[(r#"{"code":"1","NOM_COM":"A"}"#, SQUARE)]);
    assert_eq!(external.zones[0].name, None);
    assert_eq!(
        external.warnings,
        ["no feature has a \"nom\" property holding a name, so the communes have none: name the field with --boundary-name-field (feature 0 has: code, NOM_COM)"]
    );
    let named = zones(&[
        (r#"{"code":"1"}"#, SQUARE),
        (r#"{"code":"2","nom":"B"}"#, EAST),
    ]);
    assert!(named.warnings.is_empty(), "{:?}", named.warnings);
}

/// Regression (2026-12-06): with a first numeric code of five digits,
/// the warning did not say that the others, of four, were read with a
/// leading zero.
#[test]
fn the_restored_zero_is_shown_on_a_code_of_four_digits() {
    let external = zones(&[
        (r#"{"code":75056,"nom":"Paris"}"#, SQUARE),
        (r#"{"code":6002}"#, EAST),
    ]);
    assert_eq!(external.zones[1].reference.as_deref(), Some("06002"));
    assert!(
        external.warnings[0].starts_with("feature 0: \"code\" is the number 75056")
            && external.warnings[0].contains("(6002 as 06002)"),
        "{:?}",
        external.warnings
    );
}

/// Regression (2026-12-06): a document of the wrong shape was described
/// by the GeoJSON crate's helper type.
#[test]
fn a_document_of_the_wrong_shape_is_described_plainly() {
    let err = read("[[[1,2]]]").unwrap_err();
    assert!(
        err.starts_with("not a GeoJSON FeatureCollection: ")
            && err.contains("a FeatureCollection object")
            && !err.contains("Helper"),
        "{err}"
    );
}
