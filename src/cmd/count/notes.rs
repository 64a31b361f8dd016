//! The caveats a count's outputs carry beside its figures (JSON and
//! GeoJSON `metadata.notes`, the Markdown sources, the HTML header, the
//! XLSX Sources sheet), each in English and French: what changes how a
//! figure reads and was on stderr alone, which `-q` hides.
//!
//! In: the count. Out: notes, in the order a reader meets the figures.

use std::collections::BTreeSet;

use camcount::aggregate::CommuneRow;
use camcount::aggregate::UNPLACED_GROUP;
use camcount::boundary;
use camcount::output::metadata::Note;
use camcount::pipeline::{Count, Zones};

use super::population_notes::sentence;
pub(crate) use super::population_notes::{join_notes, osm_population_note};

/// The caveats the outputs carry beside the figures: declared figures set
/// beside no commune (Nice's saved without its leading zero vanished from
/// the report, found 2026-12-05), communes the population file does not
/// give (their rate is from the OSM tag), communes merged since.
pub(super) fn notes(count: &Count, population_file: bool) -> Vec<Note> {
    let mut notes = Vec::new();
    // A floor reads as a figure in a table: only `status` tells (a
    // spreadsheet review found Roquebrune's 0 cameras, 6 % of it in the
    // extract, printable as 0.0000 per 1,000, 2026-12-05).
    let partial = (count.rows.iter())
        .filter(|r| r.status == boundary::Status::Partial)
        .count();
    notes.extend(partial_note(partial));
    let join = &count.declared;
    if !join.unmatched.is_empty() {
        let codes: Vec<String> = (join.unmatched.iter())
            .map(|d| format!("{} ({})", d.code, d.cameras))
            .collect();
        let n = codes.len();
        notes.push(Note {
            en: format!(
                "{n} declared {} no commune of this run and {} set beside none: {}.",
                if n == 1 {
                    "figure matches"
                } else {
                    "figures match"
                },
                if n == 1 { "is" } else { "are" },
                codes.join(", ")
            ),
            fr: format!(
                "{n} {} ne {} à aucune commune de ce comptage : {}.",
                if n == 1 {
                    "nombre déclaré"
                } else {
                    "nombres déclarés"
                },
                if n == 1 {
                    "correspond"
                } else {
                    "correspondent"
                },
                codes.join(", ")
            ),
        });
    }
    if !join.split.is_empty() {
        let codes: Vec<String> = (join.split.iter())
            .map(
                |(d, commune)| match camcount::external::code_key(&d.code) == commune.as_str() {
                    true => format!("{} ({})", d.code, d.cameras),
                    false => format!("{} ({}, now {commune})", d.code, d.cameras),
                },
            )
            .collect();
        notes.push(Note {
            en: format!(
                "Declared figures of communes merged since, which the boundaries hold in parts, or of codes two zones share, are set beside none: {}.",
                codes.join(", ")
            ),
            fr: format!(
                "Les nombres déclarés de communes fusionnées depuis, que les limites découpent en plusieurs zones, ou de codes que deux zones partagent, ne sont placés nulle part : {}.",
                codes.join(", ")
            ),
        });
    }
    let shared = shared_codes(&count.rows);
    if let Some(en) = shared_warning(&shared) {
        notes.push(Note {
            en: sentence(&en),
            fr: format!(
                "Des zones d'un même niveau partagent un code : {}. Les tableaux les listent chacune, et un regroupement compte chacune comme une commune, avec sa population ; vérifiez ces limites (deux relations OSM pour une commune ?).",
                shared_list(&shared, "et autres :")
            ),
        });
    }
    // A file of no camera at all gives a table of zeros that reads as a
    // finding; a file filtered down to its boundaries does the same
    // (found 2026-12-05): said with the figures.
    if count.totals.cameras == 0 {
        notes.push(Note {
            en: "The file holds no object tagged man_made=surveillance: every count is 0. If it was filtered (osmium tags-filter), count the unfiltered extract.".to_string(),
            fr: "Le fichier ne contient aucun objet man_made=surveillance : tous les comptes sont à 0. S'il a été filtré (osmium tags-filter), comptez l'extrait complet.".to_string(),
        });
    }
    // Cameras without a position are in no zone's count: the zones that
    // hold them read short of them, `ok` (found 2026-12-05).
    let unplaced = count.totals.levels.first().map_or(0, |l| l.unplaced);
    if unplaced > 0 {
        let n = unplaced;
        notes.push(Note {
            en: format!(
                "{n} {} no position (a relation, or a way whose nodes the extract lacks): in no zone's count, so the zones that hold {} read short of {}.",
                if n == 1 { "camera has" } else { "cameras have" },
                if n == 1 { "it" } else { "them" },
                if n == 1 { "it" } else { "them" },
            ),
            fr: format!(
                "{n} {} sans position (une relation, ou un chemin dont l'extrait n'a pas les nœuds) : dans aucun compte de zone, et les zones qui {} contiennent en comptent moins.",
                if n == 1 { "caméra" } else { "caméras" },
                if n == 1 { "la" } else { "les" },
            ),
        });
    }
    // Level 9 without an OSM id: arrondissements of a boundary file set
    // apart from their city (the warning alone was on stderr).
    let apart = (count.rows.iter())
        .filter(|r| r.admin_level == "9" && r.osm_id.is_none())
        .count();
    if apart > 0 {
        notes.push(Note {
            en: format!(
                "The boundary file holds cities and {apart} of their arrondissements municipaux, which overlap them: the arrondissements are counted as a level of their own (admin_level 9, as in OSM), apart from the communes, and the rollups are over the communes."
            ),
            fr: format!(
                "Le fichier de limites contient des villes et {apart} de leurs arrondissements municipaux, qui les recouvrent : les arrondissements sont comptés comme un niveau à part (admin_level 9, comme dans OSM), séparément des communes, et les regroupements portent sur les communes."
            ),
        });
    }
    if !count.overlaps.is_empty() {
        let pairs: Vec<String> = (count.overlaps.iter())
            .map(|o| format!("{} in {} ({})", o.left_out, o.counted_in, o.cameras))
            .collect();
        notes.push(Note {
            en: format!(
                "Zones of one level overlap, and the cameras inside both count in the first only: {}. Check these boundaries (a relation missing its inner members covers its neighbour's exclave).",
                pairs.join(", ")
            ),
            fr: format!(
                "Des zones d'un même niveau se chevauchent, et les caméras dans les deux ne comptent que dans la première : {}. Vérifiez ces limites (une relation privée de ses membres inner couvre l'enclave de sa voisine).",
                pairs.join(", ")
            ),
        });
    }
    let people = &count.population;
    if population_file {
        notes.extend(osm_population_note(count, true));
    }
    let unmatched: BTreeSet<&str> = people.unmatched.iter().map(String::as_str).collect();
    let without = (count.rows.iter())
        .filter(|r| r.population.is_none())
        .filter(|r| {
            r.reference
                .as_deref()
                .is_some_and(|c| unmatched.contains(c))
        })
        .count();
    if population_file && without > 0 {
        let n = without;
        notes.push(Note {
            en: format!(
                "{n} {} not found in the population file (or without a usable figure) and {} no population: no rate.",
                if n == 1 { "zone is" } else { "zones are" },
                if n == 1 { "has" } else { "have" },
            ),
            fr: format!(
                "{n} {} du fichier de population (ou sans chiffre utilisable) et sans population : pas de taux.",
                if n == 1 { "zone est absente" } else { "zones sont absentes" },
            ),
        });
    }
    if !join.partial.is_empty() {
        let codes: Vec<String> = (join.partial.iter())
            .map(|(d, commune)| format!("{} ({}, now part of {commune})", d.code, d.cameras))
            .collect();
        notes.push(Note {
            en: format!(
                "Declared figures of former communes that cover only part of the commune they merged into are set beside none (they are not the commune's figure): {}.",
                codes.join(", ")
            ),
            fr: format!(
                "Les nombres déclarés d'anciennes communes qui ne couvrent qu'une partie de la commune issue de leur fusion ne sont placés nulle part (ce n'est pas le nombre de la commune) : {}.",
                codes.join(", ")
            ),
        });
    }
    if !join.superseded.is_empty() {
        let codes: Vec<String> = (join.superseded.iter())
            .map(|(d, commune)| format!("{} ({}, now {commune})", d.code, d.cameras))
            .collect();
        notes.push(Note {
            en: format!(
                "Declared figures under former codes of communes that declare under their own code too are set beside none (the commune's own figure covers them): {}.",
                codes.join(", ")
            ),
            fr: format!(
                "Les nombres déclarés sous d'anciens codes de communes qui déclarent aussi sous leur propre code ne sont placés nulle part (le nombre de la commune les couvre) : {}.",
                codes.join(", ")
            ),
        });
    }
    notes.extend(join_notes(people));
    notes
}

/// Zones of one level that share a code, as (level, code, their labels):
/// two OSM relations tagged `ref:INSEE=09122` were two communes in the
/// rollup, Foix's population added twice, with no word beside the
/// département's figure (found 2026-12-06). A boundary file's features
/// sharing a code are one zone already.
fn shared_codes(rows: &[CommuneRow]) -> Vec<(String, String, Vec<String>)> {
    let mut by_code: std::collections::BTreeMap<(&str, String), Vec<String>> = Default::default();
    for row in rows {
        if let Some(code) = row.reference.as_deref().filter(|c| !c.trim().is_empty()) {
            let key = (
                row.admin_level.as_str(),
                camcount::external::code_key(code).into_owned(),
            );
            by_code.entry(key).or_default().push(row.label());
        }
    }
    (by_code.into_iter())
        .filter(|(_, labels)| labels.len() > 1)
        .map(|((level, code), labels)| (level.to_string(), code, labels))
        .collect()
}

/// "09122 (admin_level 8: Foix (09122), Foix (09122))", up to five codes.
fn shared_list(shared: &[(String, String, Vec<String>)], and: &str) -> String {
    let mut listed: Vec<String> = (shared.iter().take(5))
        .map(|(level, code, labels)| match level.as_str() {
            "" => format!("{code} ({})", labels.join(", ")),
            level => format!("{code} (admin_level {level}: {})", labels.join(", ")),
        })
        .collect();
    if shared.len() > 5 {
        listed.push(format!("{and} {}", shared.len() - 5));
    }
    listed.join("; ")
}

/// The warning on zones that share a code, for stderr.
pub(crate) fn shared_codes_warning(rows: &[CommuneRow]) -> Option<String> {
    shared_warning(&shared_codes(rows))
}

/// The warning on zones that share a code, for stderr and the notes.
fn shared_warning(shared: &[(String, String, Vec<String>)]) -> Option<String> {
    (!shared.is_empty()).then(|| {
        format!(
            "zones of one level share a code: {}. The tables list each, and a rollup counts each as a commune, with its population; check these boundaries (two OSM relations for one commune?)",
            shared_list(shared, "and more:")
        )
    })
}

/// The communes a rollup by a level could not place, and why, as a
/// warning (English) and a note: the rollup put 152 communes under "(not
/// placed: …)" without naming the département relation the extract
/// could not build (found 2026-12-06).
pub(crate) fn unplaced_note(count: &Count, zones: &Zones) -> Option<(String, Note)> {
    let groups = zones.rollup.as_ref()?;
    let unplaced = (count.rollup.iter())
        .find(|g| g.group.is_empty() && g.name.as_deref() == Some(UNPLACED_GROUP))?;
    let n = unplaced.communes;
    let level = groups.first().map_or("", |g| g.admin_level.as_str());
    let mut unbuilt: Vec<String> = (groups.iter())
        .filter(|g| g.geometry.is_none())
        .map(|g| {
            let name = g.name.as_deref().unwrap_or("(no name)");
            match g.osm_id {
                Some(id) => format!("{name} (relation {id}, {})", g.status),
                None => format!("{name} ({})", g.status),
            }
        })
        .collect();
    if unbuilt.len() > 5 {
        let more = unbuilt.len() - 5;
        unbuilt.truncate(5);
        unbuilt.push(format!("… ({more} more)"));
    }
    let (why_en, why_fr) = match unbuilt.len() {
        0 => (
            "no built zone of that level holds them (or they were not built themselves)".to_string(),
            "aucune zone construite de ce niveau ne les contient (ou elles-mêmes n'ont pu être construites)".to_string(),
        ),
        _ => (
            format!(
                "the zones of that level that could not be built hold them, or none does: {}",
                unbuilt.join(", ")
            ),
            format!(
                "les zones de ce niveau qui n'ont pu être construites les contiennent, ou aucune : {}",
                unbuilt.join(", ")
            ),
        ),
    };
    let en = format!(
        "{n} {} in no built admin_level {level} zone, so the rollup puts {} under \"{UNPLACED_GROUP}\": {why_en}",
        if n == 1 { "commune is" } else { "communes are" },
        if n == 1 { "it" } else { "them" },
    );
    let note = Note {
        en: format!("{en}."),
        fr: format!(
            "{n} {} dans aucune zone construite de niveau admin_level {level}, et le regroupement {} place sous \"{UNPLACED_GROUP}\" : {why_fr}.",
            if n == 1 { "commune n'est" } else { "communes ne sont" },
            if n == 1 { "la" } else { "les" },
        ),
    };
    Some((en, note))
}

/// The note on `partial` zones (counted, partly beyond the data: their
/// figures are floors); `history` gives the zones partial at any date.
pub(crate) fn partial_note(partial: usize) -> Option<Note> {
    (partial > 0).then(|| Note {
        en: format!(
            "{partial} {} partly beyond the extract's data: {} cameras and rates are floors (status partial).",
            if partial == 1 { "zone lies" } else { "zones lie" },
            if partial == 1 { "its" } else { "their" },
        ),
        fr: format!(
            "{partial} {} en partie hors des données de l'extrait : {} caméras et taux sont des minimums (statut partial).",
            if partial == 1 { "zone est" } else { "zones sont" },
            if partial == 1 { "ses" } else { "leurs" },
        ),
    })
}
