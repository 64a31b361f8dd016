//! Reading the IGN commune polygons and the INSEE tables.
//!
//! In: `departements/NN-name/communes-NN-name.geojson` files (properties
//! `code`, `nom`; Polygon or MultiPolygon, 1e-5° coordinates), the
//! population CSV (`code,…,region,…,population`, read by header name) and
//! `departements.json` / `regions.json` for names. Out: communes sorted by
//! code, their rings on the 1e-7 grid, outer rings counter-clockwise and
//! holes clockwise, and the index of each commune's département and région.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::topology::Point;
use super::{CorpusError, Options};

/// One commune as read.
#[derive(Debug, Clone)]
pub struct Commune {
    /// INSEE code, e.g. `12202`.
    pub code: String,
    pub name: String,
    pub departement: String,
    pub region: String,
    /// INSEE population municipale; `None` when the list has none for the code.
    pub population: Option<u64>,
    /// Open rings (last point not repeated), outer rings counter-clockwise.
    pub rings: Vec<Vec<Point>>,
    /// Approximate area, for the filler.
    pub area_km2: f64,
}

pub struct Inputs {
    pub communes: Vec<Commune>,
    pub departements: Vec<(String, String)>,
    pub regions: Vec<(String, String)>,
    pub departement_of: Vec<usize>,
    pub region_of: Vec<usize>,
}

struct PopulationEntry {
    population: Option<u64>,
    region: String,
}

pub fn load(options: &Options) -> Result<Inputs, CorpusError> {
    let population = read_population(&options.population_dir.join("communes-2026-pmun2023.csv"))?;
    let tables = options.population_dir.join("decoupage-administratif-6.0.0");
    let dep_table = read_named(&tables.join("departements.json"))?;
    let region_names = read_named(&tables.join("regions.json"))?;
    let mut communes = Vec::new();
    for (code, file) in departement_files(options)? {
        let dep_region = dep_table
            .get(&code)
            .map(|d| d.1.clone())
            .unwrap_or_default();
        for mut commune in read_communes(&file, &code)? {
            let entry = population.get(&commune.code);
            commune.population = entry.and_then(|e| e.population);
            commune.region = entry
                .map(|e| e.region.clone())
                .filter(|r| !r.is_empty())
                .unwrap_or_else(|| dep_region.clone());
            communes.push(commune);
        }
    }
    if communes.is_empty() {
        return Err(CorpusError::Empty(options.communes_dir.clone()));
    }
    communes.sort_by(|a, b| a.code.cmp(&b.code));
    let (departements, departement_of) = groups(&communes, |c| &c.departement, &dep_table);
    let (regions, region_of) = groups(&communes, |c| &c.region, &region_names);
    Ok(Inputs {
        communes,
        departements,
        regions,
        departement_of,
        region_of,
    })
}

/// Distinct group codes in code order, named from the table, and each
/// commune's group index.
fn groups(
    communes: &[Commune],
    code_of: impl Fn(&Commune) -> &String,
    names: &HashMap<String, (String, String)>,
) -> (Vec<(String, String)>, Vec<usize>) {
    let mut codes: Vec<&String> = communes.iter().map(&code_of).collect();
    codes.sort();
    codes.dedup();
    let index: HashMap<&String, usize> = codes.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let named = codes
        .iter()
        .map(|c| {
            let name = names.get(*c).map(|n| n.0.clone()).unwrap_or((*c).clone());
            ((*c).clone(), name)
        })
        .collect();
    let of = communes.iter().map(|c| index[code_of(c)]).collect();
    (named, of)
}

/// `(code, path)` of each selected département file, in code order.
fn departement_files(options: &Options) -> Result<Vec<(String, PathBuf)>, CorpusError> {
    let root = options.communes_dir.join("departements");
    let entries = fs::read_dir(&root).map_err(|source| CorpusError::Read {
        path: root.clone(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let dir = entry.file_name().to_string_lossy().into_owned();
        let code = dir.split('-').next().unwrap_or_default().to_string();
        let wanted = options
            .departements
            .as_ref()
            .is_none_or(|list| list.iter().any(|d| d.eq_ignore_ascii_case(&code)));
        if wanted {
            files.push((code, entry.path().join(format!("communes-{dir}.geojson"))));
        }
    }
    files.sort();
    if let Some(list) = &options.departements {
        for wanted in list {
            if !files.iter().any(|(c, _)| c.eq_ignore_ascii_case(wanted)) {
                return Err(CorpusError::Format {
                    path: root,
                    message: format!(
                        "no folder for département {wanted:?} (folders are named NN-name)"
                    ),
                });
            }
        }
    }
    Ok(files)
}

fn read_text(path: &Path) -> Result<String, CorpusError> {
    fs::read_to_string(path).map_err(|source| CorpusError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn format_error(path: &Path, message: impl Into<String>) -> CorpusError {
    CorpusError::Format {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// `code → (population, region)` from the INSEE list; a commune-actuelle
/// row wins over a déléguée of the same code.
fn read_population(path: &Path) -> Result<HashMap<String, PopulationEntry>, CorpusError> {
    let text = read_text(path)?;
    let mut csv = csv::Reader::from_reader(text.as_bytes());
    let headers = csv
        .headers()
        .map_err(|e| format_error(path, e.to_string()))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format_error(path, format!("no column {name:?}")))
    };
    let (code, kind, region, population) = (
        column("code")?,
        column("type")?,
        column("region")?,
        column("population")?,
    );
    let mut table: HashMap<String, PopulationEntry> = HashMap::new();
    for record in csv.records() {
        let record = record.map_err(|e| format_error(path, e.to_string()))?;
        let entry = PopulationEntry {
            population: record[population].trim().parse().ok(),
            region: record[region].trim().to_string(),
        };
        let current = &record[kind] == "commune-actuelle";
        if current || !table.contains_key(&record[code]) {
            table.insert(record[code].to_string(), entry);
        }
    }
    Ok(table)
}

/// `code → (nom, region)` from a decoupage-administratif JSON list.
fn read_named(path: &Path) -> Result<HashMap<String, (String, String)>, CorpusError> {
    let list: Value =
        serde_json::from_str(&read_text(path)?).map_err(|e| format_error(path, e.to_string()))?;
    let items = list
        .as_array()
        .ok_or_else(|| format_error(path, "expected a JSON list"))?;
    let text = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(items
        .iter()
        .filter_map(|item| {
            let code = text(item, "code")?;
            let name = text(item, "nom").unwrap_or_else(|| code.clone());
            Some((code, (name, text(item, "region").unwrap_or_default())))
        })
        .collect())
}

fn read_communes(path: &Path, departement: &str) -> Result<Vec<Commune>, CorpusError> {
    let doc: Value =
        serde_json::from_str(&read_text(path)?).map_err(|e| format_error(path, e.to_string()))?;
    let features = doc
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| format_error(path, "not a GeoJSON FeatureCollection"))?;
    let mut communes = Vec::new();
    for feature in features {
        let property = |key: &str| {
            feature
                .pointer(&format!("/properties/{key}"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let code = property("code").ok_or_else(|| format_error(path, "a feature has no code"))?;
        let geometry = feature.get("geometry").unwrap_or(&Value::Null);
        let rings = polygon_rings(geometry)
            .ok_or_else(|| format_error(path, format!("commune {code}: not a (Multi)Polygon")))?;
        if rings.is_empty() {
            continue;
        }
        let area_km2 = rings.iter().map(|r| ring_area_km2(r)).sum::<f64>().abs();
        communes.push(Commune {
            name: property("nom").unwrap_or_else(|| code.clone()),
            code,
            departement: departement.to_string(),
            region: String::new(),
            population: None,
            rings,
            area_km2,
        });
    }
    Ok(communes)
}

/// Every ring of a Polygon or MultiPolygon, cleaned and oriented.
fn polygon_rings(geometry: &Value) -> Option<Vec<Vec<Point>>> {
    let coordinates = geometry.get("coordinates")?.as_array()?;
    let polygons: Vec<&Value> = match geometry.get("type")?.as_str()? {
        "Polygon" => vec![geometry.get("coordinates")?],
        "MultiPolygon" => coordinates.iter().collect(),
        _ => return None,
    };
    let mut rings = Vec::new();
    for polygon in polygons {
        for (i, ring) in polygon.as_array()?.iter().enumerate() {
            let mut points: Vec<Point> = Vec::new();
            for position in ring.as_array()? {
                let lon = position.get(0)?.as_f64()?;
                let lat = position.get(1)?.as_f64()?;
                let point = ((lon * 1e7).round() as i32, (lat * 1e7).round() as i32);
                if points.last() != Some(&point) {
                    points.push(point);
                }
            }
            if points.len() > 1 && points.first() == points.last() {
                points.pop();
            }
            if points.len() < 3 {
                continue;
            }
            // Outer rings counter-clockwise, holes clockwise: the interior is
            // then on the left of every edge, at every level built from them.
            if (signed_area2(&points) > 0) != (i == 0) {
                points.reverse();
            }
            rings.push(points);
        }
    }
    Some(rings)
}

/// Twice the signed area of an open ring, in grid units.
pub fn signed_area2(points: &[Point]) -> i128 {
    let n = points.len();
    (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a.0 as i128 * b.1 as i128 - b.0 as i128 * a.1 as i128
        })
        .sum()
}

fn ring_area_km2(points: &[Point]) -> f64 {
    let lat = points.iter().map(|p| p.1 as f64).sum::<f64>() / points.len() as f64 / 1e7;
    let degrees2 = signed_area2(points) as f64 / 2.0 / 1e14;
    degrees2 * 111.32 * 111.32 * lat.to_radians().cos()
}
