//! What every output says about where its figures come from.
//!
//! Why: a figure that is printed must be traceable: the date of the OSM
//! data, the file it was read from, and the files that gave boundaries,
//! populations and declared counts. CSV carries the date as a last column
//! (a pasted table keeps it), JSON and GeoJSON a `metadata` object, XLSX a
//! "Sources" sheet, Markdown a "Sources" block. A [`Note`] is a caveat
//! that changes how a figure reads (a file lacking versions, declared
//! figures set beside no commune): it goes with the figures into every
//! output that has room for words, not only to stderr.
//!
//! In: what the run read. Out: [`Metadata`], and its JSON form.

use serde_json::{json, Value};

use crate::dates::DataDate;
use crate::output::lang::Lang;

/// The licence line every output carries.
pub const LICENSE: &str = "Data © OpenStreetMap contributors, ODbL 1.0";
/// The same in the French reports.
pub const LICENSE_FR: &str = "Données © les contributeurs d'OpenStreetMap, sous licence ODbL 1.0";

/// Where a run's figures come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub data_date: DataDate,
    /// The input file's name (not its folder: outputs are shared).
    pub input: String,
    /// Where the zones come from: OSM relations or a GeoJSON file.
    pub boundaries: Source,
    /// Where the populations come from: OSM tags, a CSV file, or nothing
    /// (polygons of a file and no population file).
    pub population: Source,
    /// Declared counts: the CSV file's name, when given.
    pub declared: Option<String>,
    /// Admin levels counted (empty for commands that count none).
    pub admin_levels: Vec<u8>,
    /// `compare`'s older snapshot: its file's name and data date, which
    /// every output states beside the newer's (`input`, `data_date`).
    pub older: Option<(String, DataDate)>,
    /// Caveats the figures carry, in the order found.
    pub notes: Vec<Note>,
    /// The OSM objects the output lists or counts.
    pub objects: Objects,
}

/// The OSM objects an output is about: its sources say which were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Objects {
    /// Objects tagged `man_made=surveillance` (counts, camera lists).
    #[default]
    Cameras,
    /// Boundary relations (`camcount boundaries`): a boundary table
    /// reads no camera.
    Boundaries,
}

impl Objects {
    /// "objects tagged `man_made=surveillance`", as a report's sources
    /// say it.
    pub fn described(self, l: Lang) -> &'static str {
        match self {
            Objects::Cameras => l.pick(
                "objects tagged `man_made=surveillance`",
                "objets étiquetés `man_made=surveillance`",
            ),
            Objects::Boundaries => l.pick(
                "boundary relations (`boundary=administrative`)",
                "relations de limites (`boundary=administrative`)",
            ),
        }
    }
}

/// Where a run's boundaries or populations come from. An enum, not a
/// label: a population file named `none` or `osm` once read as the
/// sentinel it spelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// OpenStreetMap: boundary relations, `population` tags.
    Osm,
    /// A file given on the command line, by its name.
    File(String),
    /// Nothing supplies it: polygons of a file carry no population.
    None,
    /// The output draws on none: a camera list has no zone and no
    /// population ("Boundaries: OpenStreetMap boundary relations" stood
    /// above one, found 2026-12-06).
    Unused,
}

impl Source {
    /// As the JSON metadata and the Sources sheet write it: `osm`,
    /// `none`, or the file's name.
    pub fn label(&self) -> &str {
        match self {
            Source::Osm => "osm",
            Source::File(name) => name,
            Source::None => "none",
            Source::Unused => "unused",
        }
    }
}

/// A caveat, in English and in French.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub en: String,
    pub fr: String,
}

impl Note {
    /// What a stale header (see [`crate::dates::DateSource::PastHeader`])
    /// means for the figures of `input`, or `None`: the date printed is
    /// not the one the file states.
    pub fn of_date(input: &str, date: &DataDate) -> Option<Note> {
        let crate::dates::DateSource::PastHeader { header, by } = date.source else {
            return None;
        };
        let (stated, taken) = (crate::dates::iso_day(header), date.day());
        let holds = by.holding(&taken);
        let (newest, contient, recente) = match by {
            crate::dates::Newest::Camera => (
                "its newest camera edit",
                format!("une caméra modifiée le {taken}"),
                "la modification de caméra la plus récente",
            ),
            crate::dates::Newest::Object => (
                "the newest edit read",
                format!("des objets modifiés jusqu'au {taken}"),
                "la modification la plus récente lue",
            ),
        };
        Some(Note {
            en: format!(
                "{input}'s header dates its data {stated}, but it holds {holds}: \
                 the file was changed after it was cut. Its figures are dated {taken}, {newest}; \
                 the data may be newer still."
            ),
            fr: format!(
                "L'en-tête de {input} date ses données du {stated}, mais le fichier contient {contient} : \
                 le fichier a été modifié après son extraction. Ses chiffres sont datés du {taken}, \
                 {recente} ; les données peuvent être plus récentes encore."
            ),
        })
    }

    /// The note in the report's language.
    pub fn text(&self, l: crate::output::lang::Lang) -> &str {
        match l {
            crate::output::lang::Lang::En => &self.en,
            crate::output::lang::Lang::Fr => &self.fr,
        }
    }
}

impl Metadata {
    /// Where the boundaries come from, as a report says it: words for
    /// OpenStreetMap, else the file's name as `file` writes it (Markdown
    /// backticks, an HTML `<code>`). History reports printed a bare "osm"
    /// (found 2026-12-05).
    pub fn boundaries_source(&self, l: Lang, file: impl Fn(&str) -> String) -> String {
        match &self.boundaries {
            Source::Unused => l.pick("none used", "aucune utilisée").to_string(),
            Source::Osm | Source::None => l
                .pick(
                    "OpenStreetMap boundary relations",
                    "relations de limites d'OpenStreetMap",
                )
                .to_string(),
            Source::File(name) => file(name),
        }
    }

    /// Where the populations come from, as a report says it (see
    /// [`Metadata::boundaries_source`]).
    pub fn population_source(&self, l: Lang, file: impl Fn(&str) -> String) -> String {
        match &self.population {
            Source::Osm => l
                .pick(
                    "OpenStreetMap `population` tags",
                    "étiquettes `population` d'OpenStreetMap",
                )
                .to_string(),
            Source::None => l
                .pick(
                    "none (the polygons carry none; see `--population`)",
                    "aucune (les polygones n'en portent pas ; voir `--population`)",
                )
                .to_string(),
            Source::Unused => l.pick("none used", "aucune utilisée").to_string(),
            Source::File(name) => file(name),
        }
    }

    /// Metadata of a run that reads only `input` and lists `objects`
    /// (cameras, boundaries): a camera list uses no zone and no
    /// population.
    pub fn of_input(input: &std::path::Path, data_date: DataDate, objects: Objects) -> Self {
        let used = match objects {
            Objects::Cameras => Source::Unused,
            Objects::Boundaries => Source::Osm,
        };
        let input = file_name(input);
        Metadata {
            data_date,
            notes: Note::of_date(&input, &data_date).into_iter().collect(),
            input,
            boundaries: used.clone(),
            population: used,
            declared: None,
            admin_levels: Vec::new(),
            older: None,
            objects,
        }
    }

    /// `camcount 0.1.0`.
    pub fn generator() -> &'static str {
        concat!("camcount ", env!("CARGO_PKG_VERSION"))
    }

    /// The top-level `metadata` object of JSON and GeoJSON outputs.
    pub fn to_json(&self) -> Value {
        let mut value = json!({
            "data_date": self.data_date.day(),
            "data_timestamp": self.data_date.instant(),
            "data_date_source": self.data_date.source.as_str(),
            "input": self.input,
            "generator": Self::generator(),
            "boundaries": self.boundaries.label(),
            "population": self.population.label(),
            "declared": self.declared,
            "admin_levels": self.admin_levels,
            "license": LICENSE,
            "notes": self.notes.iter().map(|n| n.en.as_str()).collect::<Vec<_>>(),
        });
        if let (Some((input, date)), Some(m)) = (&self.older, value.as_object_mut()) {
            m.insert("old_input".into(), input.clone().into());
            m.insert("old_data_date".into(), date.day().into());
            m.insert("new_input".into(), self.input.clone().into());
            m.insert("new_data_date".into(), self.data_date.day().into());
            m.insert("zones".into(), self.compared_zones().into());
        }
        value
    }

    /// Which zones both snapshots of a comparison were counted in: a
    /// `--boundaries` file's ("those of the newer snapshot" was said of
    /// them too, found 2026-12-06), else the newer snapshot's own.
    fn compared_zones(&self) -> String {
        match &self.boundaries {
            Source::File(file) => format!("those of {file}"),
            _ => "those of the newer snapshot".to_string(),
        }
    }

    /// `(label, value)` lines, for the XLSX "Sources" sheet.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let mut lines = vec![
            ("OSM data as of", self.data_date.day()),
            ("Data timestamp", self.data_date.instant()),
            (
                "Date taken from",
                self.data_date.source.as_str().to_string(),
            ),
            ("Input", self.input.clone()),
            ("Boundaries", self.boundaries.label().to_string()),
            ("Population", self.population.label().to_string()),
            // "none", not an empty cell a reader takes for a gap (found
            // 2026-12-06).
            (
                "Declared counts",
                self.declared.clone().unwrap_or_else(|| "none".into()),
            ),
            ("Admin levels", {
                let levels: Vec<String> = self.admin_levels.iter().map(u8::to_string).collect();
                match (levels.is_empty(), &self.boundaries) {
                    (false, _) => levels.join(","),
                    (true, Source::File(_)) => "none: the zones are the boundary file's".into(),
                    (true, _) => "none".into(),
                }
            }),
            ("Generator", Self::generator().to_string()),
            ("Licence", LICENSE.to_string()),
        ];
        lines.extend(self.notes.iter().map(|n| ("Note", n.en.clone())));
        if let Some((input, date)) = &self.older {
            // The newer snapshot's lines are those above; the older's go
            // first, as the table reads old → new.
            let older = [
                ("Older snapshot", input.clone()),
                ("Older snapshot's OSM data as of", date.day()),
                (
                    "Older snapshot's date taken from",
                    date.source.as_str().to_string(),
                ),
                ("Zones", self.compared_zones()),
            ];
            lines.splice(0..0, older);
        }
        lines
    }
}

/// A path's file name, for outputs that name their sources.
pub use crate::external::file_name;

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (2026-12-06): the Sources sheet of a run without a
    /// declared file, or over a boundary file's zones, had empty cells
    /// where it meant "none".
    #[test]
    fn the_sources_lines_say_none_rather_than_nothing() {
        let mut m = Metadata::of_input(
            std::path::Path::new("x.osm.pbf"),
            DataDate::default(),
            Objects::Cameras,
        );
        m.boundaries = Source::File("communes.geojson".into());
        let lines: std::collections::BTreeMap<&str, String> = m.lines().into_iter().collect();
        assert_eq!(lines["Declared counts"], "none");
        assert_eq!(
            lines["Admin levels"],
            "none: the zones are the boundary file's"
        );
        m.admin_levels = vec![8, 6];
        m.boundaries = Source::Osm;
        assert_eq!(
            m.lines().iter().find(|l| l.0 == "Admin levels").unwrap().1,
            "8,6"
        );
    }
}
