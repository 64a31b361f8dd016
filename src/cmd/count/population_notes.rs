//! The notes on the population file's join that the outputs carry: zones
//! of communes merged since, renumbered, named otherwise, communes no zone
//! holds, a file blind to mergers, and zones whose population is their OSM
//! tag. The count, `history` and `compare` share them.
//!
//! In: a [`PopulationJoin`] or a count. Out: notes, English and French.

use std::collections::BTreeSet;

use camcount::aggregate::CommuneRow;
use camcount::external::population::PopulationJoin;
use camcount::output::metadata::Note;
use camcount::pipeline::Count;

/// A warning as printed on stderr (no capital, no full stop) as a note's
/// sentence.
pub(super) fn sentence(warning: &str) -> String {
    let mut chars = warning.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// What the population join left out or changed, a note each: zones of
/// communes merged since, renumbered, named otherwise, communes no zone
/// holds, and a file blind to mergers. `history` and `compare` carry them
/// too: they were on their stderr alone (found 2026-12-06).
pub(crate) fn join_notes(people: &PopulationJoin) -> Vec<Note> {
    let mut notes = Vec::new();
    if let Some(warning) = people.merged_warning() {
        let n = people.merged.len();
        notes.push(Note {
            en: format!("{warning}."),
            fr: format!(
                "{n} {} d'une commune fusionnée depuis, ou {} un code : le fichier de population ne {} donne pas la population de la commune (une limite OSM garde son étiquette population, voir population_source) ; utilisez les limites de l'année du fichier de population.",
                if n == 1 { "zone est une ancienne commune" } else { "zones sont d'anciennes communes" },
                if n == 1 { "partage" } else { "partagent" },
                if n == 1 { "lui" } else { "leur" },
            ),
        });
    }
    if let (Some(note), Some((zone, commune))) =
        (people.renumbered_note(), people.renumbered_example())
    {
        notes.push(Note {
            en: sentence(&note),
            fr: match people.renumbered.len() {
                1 => format!(
                    "La zone {zone} est {commune}, sous le code qu'elle avait avant un changement de code : elle porte le nom de la commune, et le fichier donne un autre nom à ce code ; elle reçoit donc la population de la commune."
                ),
                n => format!(
                    "{n} zones sont une commune sous le code qu'elle avait avant un changement de code (par ex. {zone}, qui est {commune}) : chacune porte le nom de sa commune, et le fichier donne un autre nom à ce code ; chacune reçoit donc la population de sa commune."
                ),
            },
        });
    }
    if let (Some(warning), Some((code, zone, file))) = (
        people.named_otherwise_warning(),
        people.named_otherwise.first(),
    ) {
        let example = match zone {
            Some(zone) => format!("{code} {zone} (le fichier : {file})"),
            None => format!("{code} (le fichier : {file})"),
        };
        let advice = "le fichier de population ne liste pas les anciennes communes (pas de colonne anciens_codes) pour distinguer une commune renommée d'une commune fusionnée depuis, dont la population n'est pas celle de la zone seule ; utilisez un fichier qui les liste (decoupage-administratif d'etalab), ou les limites de l'année du fichier de population";
        notes.push(Note {
            en: sentence(&warning),
            fr: match people.named_otherwise.len() {
                1 => format!(
                    "{example} porte un autre nom dans le fichier de population, qui ne lui donne donc pas de population : {advice}."
                ),
                n => format!(
                    "{n} zones portent un autre nom dans le fichier de population que le leur (par ex. {example}), qui ne leur donne donc pas de population : {advice}."
                ),
            },
        });
    }
    if let (Some(warning), Some(example)) = (people.unheld_warning(), people.unheld_example()) {
        let n = people.unheld.len();
        notes.push(Note {
            en: format!("{warning}."),
            fr: match n {
                1 => format!(
                    "{example}, commune du fichier de population, n'a aucune zone, alors que d'autres communes de son département en ont : si les limites couvrent ce département en entier, elles sont antérieures à cette commune (rétablie ou créée depuis), et la zone qui couvre son territoire n'a que la population de son propre code ; utilisez les limites de l'année du fichier de population."
                ),
                n => format!(
                    "{n} communes du fichier de population n'ont aucune zone, alors que d'autres communes de leurs départements en ont (par ex. {example}) : si les limites couvrent ces départements en entier, elles sont antérieures à ces communes (rétablies ou créées depuis), et la zone qui couvre leur territoire n'a que la population de son propre code ; utilisez les limites de l'année du fichier de population."
                ),
            },
        });
    }
    if let Some(warning) = people.blind_to_mergers_warning() {
        let n = people.missing_insee_codes().len();
        notes.push(Note {
            en: sentence(&warning),
            fr: format!(
                "{n} {} des zones {} du fichier de population : les limites sont peut-être antérieures au fichier, et le fichier ne liste pas les anciennes communes (pas de colonne anciens_codes) pour reconnaître une commune fusionnée depuis sous son propre code et son nom, qui prendrait la population de la commune fusionnée ; utilisez un fichier qui les liste (decoupage-administratif d'etalab), ou les limites de l'année du fichier de population.",
                if n == 1 { "code INSEE" } else { "codes INSEE" },
                if n == 1 { "est absent" } else { "sont absents" },
            ),
        });
    }
    notes
}

/// The zones whose population is their OSM tag though a population file
/// was given, in a note: the file did not list them, cannot split them
/// (former communes), or gave no usable figure. `history` and `compare`
/// credited those rates to the file (found 2026-12-06), and take this
/// note too. With `column`, the note points at the `population_source` column;
/// without (the tables through time have none), it names the zones.
pub(crate) fn osm_population_note(count: &Count, column: bool) -> Option<Note> {
    let people = &count.population;
    // From the rows, not from the codes the join missed: a zone without a
    // code (Monaco) kept its OSM tag with no note beside the population
    // file's name, and an IGN polygon the file misses has no tag at all
    // (found 2026-12-05).
    let from_osm: Vec<&CommuneRow> = (count.rows.iter())
        .filter(|r| r.population_source.as_deref() == Some("osm"))
        .collect();
    if from_osm.is_empty() {
        return None;
    }
    let (which_en, which_fr) = match column {
        true => (
            ", as the population_source column says".to_string(),
            ", comme l'indique la colonne population_source".to_string(),
        ),
        false => {
            let mut labels: Vec<String> = from_osm.iter().take(10).map(|r| r.label()).collect();
            if from_osm.len() > 10 {
                labels.push("…".into());
            }
            (
                format!(": {}", labels.join(", ")),
                format!(" : {}", labels.join(", ")),
            )
        }
    };
    let n = from_osm.len();
    // Most are former communes of a commune merged since, which the
    // file lists but cannot split; the note gave only "not found in
    // it, without a code, or without a usable figure", where the file
    // listed all 316 of the national run's (found 2026-12-06).
    let merged: BTreeSet<&str> = (people.merged.iter()).map(|m| m.code.as_str()).collect();
    let parts = (from_osm.iter())
        .filter(|r| {
            r.reference
                .as_deref()
                .is_some_and(|c| merged.contains(c.trim()))
        })
        .count();
    // Zones the file names otherwise are neither merged nor missing.
    let named: BTreeSet<&str> = (people.named_otherwise.iter())
        .map(|(code, ..)| code.as_str())
        .collect();
    let named = (from_osm.iter())
        .filter(|r| (r.reference.as_deref()).is_some_and(|c| named.contains(c.trim())))
        .count();
    // The zones neither named otherwise nor merged: missing from the file.
    let rest = n - named - parts;
    let (named_en, named_fr) = match (named, parts + rest) {
        (0, _) => (String::new(), String::new()),
        (k, 0) => (
            format!("named otherwise in the file: {k}"),
            format!("nommées autrement dans le fichier : {k}"),
        ),
        (k, _) => (
            format!("; named otherwise in the file: {k}"),
            format!(" ; nommées autrement dans le fichier : {k}"),
        ),
    };
    let why_en = match (parts, rest) {
        (0, 0) => String::new(),
        (0, _) => "not found in it, without a code, or without a usable figure".to_string(),
        (p, 0) => format!("{}: its population cannot be split", merged_en(p)),
        (p, rest) => format!(
            "{}, whose population cannot be split; {rest} not found in it, without a code, or without a usable figure",
            merged_en(p)
        ),
    };
    let why_fr = match (parts, rest) {
        (0, 0) => String::new(),
        (0, _) => format!(
            "absente{} du fichier, sans code ou sans chiffre utilisable",
            if rest == 1 { "" } else { "s" }
        ),
        (p, 0) => format!("{} : sa population ne se partage pas", merged_fr(p)),
        (p, rest) => format!(
            "{}, dont la population ne se partage pas ; {rest} absente{} du fichier, sans code ou sans chiffre utilisable",
            merged_fr(p),
            if rest == 1 { "" } else { "s" }
        ),
    };
    let (why_en, why_fr) = (why_en + &named_en, why_fr + &named_fr);
    Some(Note {
        en: format!(
            "{n} {} {} population from the OSM tag, not from the population file ({why_en}){which_en}.",
            if n == 1 { "zone takes" } else { "zones take" },
            if n == 1 { "its" } else { "their" }
        ),
        fr: format!(
            "{n} {} {} population de l'étiquette OSM, non du fichier de population ({why_fr}){which_fr}.",
            if n == 1 { "zone tient" } else { "zones tiennent" },
            if n == 1 { "sa" } else { "leur" },
        ),
    })
}

/// "316 former communes of a commune merged since".
fn merged_en(n: usize) -> String {
    match n {
        1 => "1 former commune of a commune merged since".to_string(),
        n => format!("{n} former communes of communes merged since"),
    }
}

/// "316 anciennes communes d'une commune fusionnée depuis".
fn merged_fr(n: usize) -> String {
    match n {
        1 => "1 ancienne commune d'une commune fusionnée depuis".to_string(),
        n => format!("{n} anciennes communes de communes fusionnées depuis"),
    }
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn a_warning_becomes_a_sentence_whatever_its_first_letter() {
        assert_eq!(sentence("2 zones share a code"), "2 zones share a code.");
        assert_eq!(sentence("zones share a code"), "Zones share a code.");
        assert_eq!(sentence("élue sans code"), "Élue sans code.");
        assert_eq!(sentence(""), "");
    }
}
