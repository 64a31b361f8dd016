//! Commune polygons from an external GeoJSON FeatureCollection.
//!
//! Every feature must carry the id field and a Polygon or MultiPolygon with
//! closed rings of at least four positions; anything else is an error naming
//! the feature index, since silently dropping a commune would make it read
//! zero. A self-intersecting polygon is kept (point lookups still work) and
//! warned about.
//!
//! Features that share a code are one commune drawn in pieces (an IGN
//! export of a commune with an exclave, two files concatenated): they are
//! joined into one zone at the first one's place, so the commune and its
//! département are counted once, and a warning says so (naming both names
//! when they differ). Counting each piece with the full population was
//! the silent error before 2026-12-04.
//!
//! Coordinates must be longitude/latitude (RFC 7946). A projected file
//! (a `crs` member such as EPSG:2154, or positions beyond ±180/±90) is
//! refused with the ogr2ogr command that converts it: read as degrees it
//! gave areas of millions of km². A leading UTF-8 byte-order mark, as some
//! Windows tools write, is skipped. A code stored as a JSON number (6001
//! for 06001) lost its leading zero: one of four digits gets it back, as
//! the side files' codes do ([`crate::external::code_key`]), with a
//! warning.
//!
//! Why the `geojson` crate, not a walk over a `serde_json::Value` tree (as
//! until 2026-12-04): a generic tree spends a tagged 32-byte value on every
//! coordinate, the crate's typed `FeatureCollection` does not; it was
//! measured faster and lighter on the largest département file
//! (BENCHMARKS.md, "Choices the figures made"). What the crate cannot
//! say is which feature a malformed member belongs to; its error gives the
//! line and column instead. Everything it accepts is still checked here,
//! feature by feature.
//!
//! In: a GeoJSON path and the id and name fields. Out: zones, in file order.

use std::io::{BufRead, BufReader};
use std::path::Path;

use geo::orient::{Direction, Orient};
use geo::{Area, Coord, LineString, MultiPolygon, Polygon, Validation};
use geojson::{Feature, FeatureCollection, GeometryValue, Position};
use serde_json::Value;

use crate::boundary::area::ellipsoidal_area;
use crate::boundary::Status;
use crate::error::{Error, Result};
use crate::external::code_key;
use crate::zone::Zone;

mod arrondissements;
mod merge;
use merge::{overlapping_parts_joined, Merger};

/// What a polygon whose rings cross is, and the remedy: GDAL repairs it.
const CROSSING: &str = "its rings cross or overlap, so neither its area nor its cameras are \
                        given; repair it (`ogr2ogr -makevalid OUT.geojson IN.geojson`) and count \
                        again";

/// Zones read from a GeoJSON file, and warnings about kept features.
#[derive(Debug, Clone, Default)]
pub struct ExternalZones {
    pub zones: Vec<Zone>,
    pub warnings: Vec<String>,
}

/// Reads a FeatureCollection of polygons.
pub fn read_zones(path: &Path, id_field: &str, name_field: Option<&str>) -> Result<ExternalZones> {
    let file = std::fs::File::open(path).map_err(|e| Error::read(path, e))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        // Else the first read fails inside the parser, as "invalid JSON".
        let kind = std::io::ErrorKind::IsADirectory;
        let problem = std::io::Error::new(kind, "is a directory, not a GeoJSON file");
        return Err(Error::read(path, problem));
    }
    // Streamed: a country's communes make a large file, and its parsed
    // tree is what must fit in memory.
    let mut reader = BufReader::new(file);
    let head = reader.fill_buf().map_err(|e| Error::read(path, e))?;
    if let Some(kind) = super::other_kind(head, "GeoJSON") {
        return Err(Error::input(path, kind));
    }
    skip_byte_order_mark(&mut reader).map_err(|e| Error::read(path, e))?;
    let collection = parsed(serde_json::from_reader(reader)).map_err(|m| Error::input(path, m))?;
    zones_from_collection(collection, id_field, name_field)
        .map_err(|message| Error::input(path, message))
}

/// Reads zones from GeoJSON bytes; the error says what is wrong and, for a
/// feature, its index. (The fuzzer's entry point.)
pub fn zones_from_slice(
    bytes: &[u8],
    id_field: &str,
    name_field: Option<&str>,
) -> std::result::Result<ExternalZones, String> {
    let bytes = bytes.strip_prefix(BYTE_ORDER_MARK).unwrap_or(bytes);
    zones_from_collection(parsed(serde_json::from_slice(bytes))?, id_field, name_field)
}

/// Names a parse failure: broken JSON, or JSON that is not a GeoJSON
/// FeatureCollection (serde's message gives the line and column).
fn parsed(
    result: serde_json::Result<FeatureCollection>,
) -> std::result::Result<FeatureCollection, String> {
    result.map_err(|e| match e.classify() {
        serde_json::error::Category::Data if e.to_string().contains("variant `Feature`") => {
            "one GeoJSON Feature, not a FeatureCollection: wrap it as \
             {\"type\":\"FeatureCollection\",\"features\":[…]}, or convert it: ogr2ogr \
             -f GeoJSON out.geojson in.geojson"
                .to_string()
        }
        // The crate's helper type said nothing to a reader ("expected
        // struct DeserializeFeatureCollectionHelper", found 2026-12-06).
        serde_json::error::Category::Data => format!(
            "not a GeoJSON FeatureCollection: {}",
            e.to_string().replace(
                "struct DeserializeFeatureCollectionHelper",
                "a FeatureCollection object"
            )
        ),
        _ => format!("invalid JSON: {e}"),
    })
}

const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// Consumes a leading UTF-8 byte-order mark, which serde_json rejects.
fn skip_byte_order_mark(reader: &mut impl BufRead) -> std::io::Result<()> {
    if reader.fill_buf()?.starts_with(BYTE_ORDER_MARK) {
        reader.consume(BYTE_ORDER_MARK.len());
    }
    Ok(())
}

/// How to turn a projected file into one camcount reads.
const REPROJECT: &str = "convert it with: ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson";

/// Refuses a `crs` member other than WGS 84 longitude/latitude. RFC 7946
/// dropped the member; old GDAL exports still write it.
fn check_crs(collection: &FeatureCollection) -> std::result::Result<(), String> {
    let Some(crs) = collection
        .foreign_members
        .as_ref()
        .and_then(|m| m.get("crs"))
        .filter(|crs| !crs.is_null())
    else {
        return Ok(());
    };
    let name = crs["properties"]["name"].as_str().unwrap_or("");
    let upper = name.to_ascii_uppercase();
    let wgs84 = upper.ends_with("CRS84")
        || upper.ends_with("EPSG:4326")
        || upper.ends_with("EPSG::4326")
        || upper.ends_with("EPSG:0:4326");
    if wgs84 {
        return Ok(());
    }
    let shown = if name.is_empty() {
        crs.to_string()
    } else {
        name.to_string()
    };
    Err(format!(
        "coordinates are in CRS {shown}, not longitude/latitude (WGS 84); {REPROJECT}"
    ))
}

fn zones_from_collection(
    collection: FeatureCollection,
    id_field: &str,
    name_field: Option<&str>,
) -> std::result::Result<ExternalZones, String> {
    check_crs(&collection)?;
    // Every commune would read as none, and a comparison or a history "no
    // zone gained a camera", with exit 0.
    if collection.features.is_empty() {
        return Err(
            "the FeatureCollection holds no feature: no zone to count in; give a file of \
             commune polygons"
                .into(),
        );
    }
    let mut external = ExternalZones::default();
    // (feature index, the code as written), for the first numeric code.
    let mut numeric_codes: Vec<(usize, String)> = Vec::new();
    // The same, for codes written as strings of four digits.
    let mut short_codes: Vec<(usize, String)> = Vec::new();
    let mut merger = Merger::default();
    // The properties the first feature has, for a name field none has.
    let first_properties: Vec<String> = (collection.features.first())
        .and_then(|f| f.properties.as_ref())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let mut named = false;
    // Consumed feature by feature: each one's positions are freed once its
    // polygons are built.
    for (index, feature) in collection.features.into_iter().enumerate() {
        let zone = read_feature(&feature, id_field, name_field)
            .map_err(|m| format!("feature {index}: {m}"))?;
        named |= zone.name.is_some();
        match feature.property(id_field) {
            Some(Value::Number(code)) => numeric_codes.push((index, whole_text(code))),
            Some(Value::String(code)) if crate::external::lost_its_zero(code) => {
                short_codes.push((index, code.trim().to_string()));
            }
            _ => {}
        }
        let mut zone = zone;
        let mut crossing = false;
        if let Some((union, overlap)) = zone.geometry.as_ref().and_then(overlapping_parts_joined) {
            // Parts that are each valid but overlap (one part given twice)
            // cancelled out by the even-odd rule: a polygon inside the
            // extract read "outside the extract" (found 2026-12-05). The
            // region meant is their union.
            external.warnings.push(format!(
                "feature {index} ({}): the parts of its MultiPolygon {}",
                zone.reference.as_deref().unwrap_or(""),
                match overlap {
                    true => "overlap; joined as their union",
                    false => "share an edge; joined as one polygon, of the same area",
                },
            ));
            zone.area_km2 = Some(ellipsoidal_area(&union) / 1e6);
            zone.geometry = Some(union);
        }
        if let Some(geometry) = &zone.geometry {
            if !geometry.is_valid() {
                let measured = super::has_one_area(geometry);
                external.warnings.push(format!(
                    "feature {index} ({}): invalid polygon (self-intersection or similar); {}",
                    zone.reference.as_deref().unwrap_or(""),
                    match measured {
                        true => "kept".to_string(),
                        false => format!("{CROSSING}: status invalid, not counted"),
                    }
                ));
                if !measured {
                    crossing = true;
                    // A bowtie whose lobes wind apart measured 6.7 km² for
                    // 7.6 (found 2026-12-05), and its cameras were counted
                    // in its lobes with status `ok`, which the README
                    // says of no crossing ring (found 2026-12-07). As for
                    // a relation whose rings cross: neither figure.
                    zone.status = Status::Invalid;
                    zone.area_km2 = None;
                    zone.reason = format!("invalid polygon: {CROSSING}");
                }
            }
        }
        // Not a bowtie's: a mirror-image bowtie's lobes sum to 0 yet
        // enclose an area, and its crossing is its reason (it read
        // "encloses no area", found 2026-12-05).
        let encloses_nothing =
            !crossing && (zone.geometry.as_ref()).is_some_and(|g| g.unsigned_area() <= 0.0);
        if let Some(ring) = zone.geometry.as_ref().and_then(hole_outside_its_exterior) {
            // A hole given before its exterior (RFC 7946 puts the exterior
            // first) enclosed nothing: the commune read ok with 0 cameras
            // (found 2026-12-05). Not counted, with the reason.
            zone.status = Status::Invalid;
            zone.reason = format!(
                "ring {ring} of its polygon reaches beyond the first ring, which GeoJSON takes \
                 for the exterior: give the exterior ring first, then its holes"
            );
            zone.area_km2 = None;
            external.warnings.push(format!(
                "feature {index} ({}): {} (status invalid, not counted)",
                zone.reference.as_deref().unwrap_or(""),
                zone.reason
            ));
        } else if encloses_nothing {
            // No camera can be inside it, and no share of it in the data.
            zone.status = Status::Invalid;
            zone.reason = "the polygon encloses no area".into();
            zone.area_km2 = None;
        }
        merger.add(index, zone, &mut external);
    }
    merger.finish(&mut external);
    external
        .warnings
        .extend(arrondissements::set_apart(&mut external.zones));
    // No feature had the name field: every name column read empty and the
    // report "(no name)", without a word (found 2026-12-06).
    if let (Some(field), false) = (name_field, named) {
        external.warnings.insert(
            0,
            format!(
                "no feature has a {field:?} property holding a name, so the communes have none: \
                 name the field with --boundary-name-field (feature 0 has: {})",
                first_properties.join(", ")
            ),
        );
    }
    if let Some((first, code)) = short_codes.first() {
        let others = match short_codes.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        external.warnings.insert(
            0,
            format!(
                "feature {first}: {id_field:?} is {code:?}, of four digits{others}: read as an \
                 INSEE code that lost its leading zero ({code} as {}), as the population and \
                 declared files' codes are; write the codes with five digits",
                code_key(code)
            ),
        );
    }
    if let Some((first, code)) = numeric_codes.first() {
        let warning = numeric_code_warning(*first, code, &numeric_codes, id_field);
        // File-wide warnings first: a file's warnings stop after ten.
        external.warnings.insert(0, warning);
    }
    Ok(external)
}

/// The first hole (numbered from 1, the exterior being ring 0) that
/// reaches beyond its polygon's exterior ring's bounding box.
fn hole_outside_its_exterior(geometry: &MultiPolygon<f64>) -> Option<usize> {
    use geo::BoundingRect;
    geometry.iter().find_map(|polygon| {
        let outer = polygon.exterior().bounding_rect()?;
        polygon
            .interiors()
            .iter()
            .position(|hole| {
                hole.bounding_rect().is_some_and(|b| {
                    b.min().x < outer.min().x
                        || b.min().y < outer.min().y
                        || b.max().x > outer.max().x
                        || b.max().y > outer.max().y
                })
            })
            .map(|i| i + 1)
    })
}

/// One warning for every code stored as a JSON number.
/// The example of a restored zero is the first code of four digits, not
/// the first code: a file whose first code was 75056 did not say its
/// others were read 06002 and so on (found 2026-12-06).
fn numeric_code_warning(
    first: usize,
    code: &str,
    codes: &[(usize, String)],
    field: &str,
) -> String {
    let others = match codes.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    let restored = codes.iter().find_map(|(_, code)| {
        let restored = crate::external::code_key(code);
        (restored != code.as_str()).then(|| (code, restored.into_owned()))
    });
    let read = match restored {
        Some((code, restored)) => {
            format!("; codes of four digits lost their leading zero and are read as INSEE codes ({code} as {restored})")
        }
        None => String::new(),
    };
    format!(
        "feature {first}: {field:?} is the number {code}, not a string{others}{read}: \
         store the codes as strings"
    )
}

/// A number as a code's text: a whole number stored as a decimal
/// (82107.0, as a table whose codes were read as floats writes them) is
/// that number; kept as "82107.0", it matched no side file and no
/// département (found 2026-12-06). Other decimals stay as written.
fn whole_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(x) if n.is_f64() && x.fract() == 0.0 && (0.0..1e9).contains(&x) => {
            (x as u64).to_string()
        }
        _ => n.to_string(),
    }
}

fn read_feature(
    feature: &Feature,
    id_field: &str,
    name_field: Option<&str>,
) -> std::result::Result<Zone, String> {
    // A point or line can never hold a camera: say so before anything else
    // about the feature.
    let geometry = read_geometry(feature)?.orient(Direction::Default);
    let id = match feature.property(id_field) {
        // Four digits: read as the number is (below), as the side files
        // read it ("6104" joined the population file as 06104 and the
        // rollup as "(no INSEE code)", found 2026-12-06).
        Some(Value::String(s)) if !s.trim().is_empty() => code_key(s).into_owned(),
        // Kept as written, it matched the side files (which restore the
        // zero) but no département, so a rollup put all 163 communes of
        // the Alpes-Maritimes under "(no INSEE code)" (found 2026-12-06).
        // A whole number stored as a decimal (82107.0, as a table whose
        // codes were read as floats writes them) is that number: kept as
        // "82107.0", it matched no side file and no département (found
        // 2026-12-06).
        Some(Value::Number(n)) if n.is_f64() && whole_text(n) == n.to_string() => {
            return Err(format!(
                "its {id_field:?} property is {n}, not a code (a whole number or a string)"
            ))
        }
        Some(Value::Number(n)) => code_key(&whole_text(n)).into_owned(),
        Some(Value::String(_)) => {
            return Err(format!(
                "its {id_field:?} property is empty: give every feature its code"
            ))
        }
        Some(other) if !other.is_null() => {
            return Err(format!(
                "its {id_field:?} property is {other}, not a code (a string or a number)"
            ))
        }
        _ => {
            return Err(format!(
                "no {id_field:?} property (set --boundary-id-field)"
            ))
        }
    };
    let name = name_field
        .and_then(|f| feature.property(f))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Zone {
        admin_level: String::new(),
        osm_id: None,
        reference: Some(id),
        name,
        population: None,
        area_km2: Some(ellipsoidal_area(&geometry) / 1e6),
        status: Status::Ok,
        reason: String::new(),
        geometry: Some(geometry),
        footprint: None,
    })
}

fn read_geometry(feature: &Feature) -> std::result::Result<MultiPolygon<f64>, String> {
    let geometry = feature.geometry.as_ref().ok_or("no geometry")?;
    match &geometry.value {
        GeometryValue::Polygon { coordinates } => {
            Ok(MultiPolygon::new(vec![read_polygon(coordinates)?]))
        }
        GeometryValue::MultiPolygon { coordinates } => Ok(MultiPolygon::new(
            coordinates
                .iter()
                .map(|polygon| read_polygon(polygon))
                .collect::<std::result::Result<_, _>>()?,
        )),
        other => Err(format!(
            "geometry is a {}, expected Polygon or MultiPolygon",
            other.type_name()
        )),
    }
}

fn read_polygon(rings: &[Vec<Position>]) -> std::result::Result<Polygon<f64>, String> {
    if rings.is_empty() {
        return Err("polygon without rings".into());
    }
    let mut rings = rings.iter().map(|ring| read_ring(ring));
    let exterior = rings.next().ok_or("polygon without rings")??;
    Ok(Polygon::new(
        exterior,
        rings.collect::<std::result::Result<_, _>>()?,
    ))
}

fn read_ring(positions: &[Position]) -> std::result::Result<LineString<f64>, String> {
    let coords: Vec<Coord<f64>> = positions
        .iter()
        .map(|p| match *p.as_slice() {
            [x, y, ..] if x.abs() <= 180.0 && y.abs() <= 90.0 => Ok(Coord { x, y }),
            [x, y, ..] if x.is_finite() && y.is_finite() => Err(format!(
                "position [{x},{y}] is beyond longitude ±180 or latitude ±90: \
                 projected coordinates, not longitude/latitude; {REPROJECT}"
            )),
            ref other => Err(format!("bad position {other:?}")),
        })
        .collect::<std::result::Result<_, _>>()?;
    if coords.len() < 4 {
        return Err(format!(
            "ring of {} positions; a closed ring needs at least 4",
            coords.len()
        ));
    }
    if coords.first() != coords.last() {
        return Err("ring is not closed (first and last positions differ)".into());
    }
    // An edge longer than half the globe is one that crosses the
    // antimeridian the short way: the area was measured on the small
    // polygon and the cameras placed in the one wrapping the globe, so
    // the two cameras of a cell read 0 (found 2026-12-05). RFC 7946
    // (3.1.9) asks such polygons to be cut at ±180°.
    if let Some(w) = coords.windows(2).find(|w| (w[1].x - w[0].x).abs() > 180.0) {
        return Err(format!(
            "ring crosses the antimeridian (an edge from longitude {} to {}): cut it at ±180° \
             as RFC 7946 asks, e.g. with: ogr2ogr -wrapdateline out.geojson in.geojson",
            w[0].x, w[1].x
        ));
    }
    Ok(LineString::new(coords))
}

#[cfg(test)]
mod tests;
