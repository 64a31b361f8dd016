//! The `reason` of a commune not counted, or counted as a floor, in the
//! report's language.
//!
//! Why a table of sentences rather than reasons built in each language:
//! the `reason` column of CSV, JSON and xlsx is data, one English text
//! that scripts match on, made where the fact is found (ring assembly,
//! coverage, a GeoJSON reader, the join). Only the French report reads it
//! to a person: its "Raison" column said "1 of 8 member ways missing from
//! the extract (clipped at the extract's edge?)" in a page otherwise in
//! French (found 2026-12-06). Each English sentence those stages write
//! has its French one here; a test holds every stage's sentences to it.
//! A sentence the table lacks stays as written, never dropped.
//!
//! In: a reason (sentences joined by "; "). Out: the same in French.

use std::borrow::Cow;

/// English sentence → French. `{n}` holds a number (digits, a decimal
/// point), `{}` any text; the French takes them in order.
const SENTENCES: &[(&str, &str)] = &[
    (
        "{n} of {n} member ways missing from the extract, {n} nodes of member ways missing from the extract (clipped at the extract's edge?)",
        "{} des {} chemins membres absents de l'extrait, {} nœuds de chemins membres absents de l'extrait (coupée au bord de l'extrait ?)",
    ),
    (
        "{n} of {n} member ways missing from the extract (clipped at the extract's edge?)",
        "{} des {} chemins membres absents de l'extrait (coupée au bord de l'extrait ?)",
    ),
    (
        "{n} nodes of member ways missing from the extract (clipped at the extract's edge?)",
        "{} nœuds de chemins membres absents de l'extrait (coupée au bord de l'extrait ?)",
    ),
    ("relation has no way members", "la relation n'a aucun chemin membre"),
    (
        "no rings: the member ways enclose no area",
        "aucun anneau : les chemins membres n'enferment aucune surface",
    ),
    (
        "touching rings: a hole near {n} {n} lies in no outer ring",
        "anneaux qui se touchent : un trou près de {} {} n'est dans aucun anneau extérieur",
    ),
    (
        "touching rings: cannot tell the side of the area near {n} {n}",
        "anneaux qui se touchent : impossible de dire de quel côté est la surface près de {} {}",
    ),
    ("self-intersection near {n} {n}", "auto-intersection près de {} {}"),
    (
        "open ring: ends at {n} {n} with no way to close it",
        "anneau ouvert : il s'arrête en {} {} sans chemin pour le fermer",
    ),
    (
        "way {n} has role {} but forms an inner ring",
        "le chemin {} a le rôle {} mais forme un anneau intérieur",
    ),
    (
        "way {n} has role {} but forms an outer ring",
        "le chemin {} a le rôle {} mais forme un anneau extérieur",
    ),
    (
        "{n} way members listed more than once (each used once)",
        "{} chemins membres listés plusieurs fois (chacun pris une fois)",
    ),
    (
        "relation lists itself as a member (ignored)",
        "la relation se compte parmi ses membres (ignoré)",
    ),
    (
        "outside the extract: no node of the file lies in this polygon (to 0.01°), so the file holds no data there",
        "hors de l'extrait : aucun nœud du fichier n'est dans ce polygone (à 0,01° près), le fichier n'y a donc aucune donnée",
    ),
    (
        "outside the extract: its bounding box does not reach this polygon, so the file holds no data there",
        "hors de l'extrait : son emprise n'atteint pas ce polygone, le fichier n'y a donc aucune donnée",
    ),
    (
        "only about {n} % of its area holds data of the file (nodes, to 0.01°): the extract stops inside it, so the count is a floor",
        "environ {} % seulement de sa surface porte des données du fichier (nœuds, à 0,01° près) : l'extrait s'arrête en son sein, le compte est donc un minimum",
    ),
    (
        "less than 1 % of its area holds data of the file (nodes, to 0.01°): the extract stops inside it, so the count is a floor",
        "moins de 1 % de sa surface porte des données du fichier (nœuds, à 0,01° près) : l'extrait s'arrête en son sein, le compte est donc un minimum",
    ),
    (
        "the file holds a camera in it but no node at the centres of its 0.01° cells: the extract may stop inside it, so the count is a floor",
        "le fichier y a une caméra mais aucun nœud au centre de ses cellules de 0,01° : l'extrait s'arrête peut-être en son sein, le compte est donc un minimum",
    ),
    (
        "only {n} % of its area lies in the extract's bounding box: cameras beyond it are not in the file, so the count is a floor",
        "seulement {} % de sa surface est dans l'emprise de l'extrait : les caméras au-delà ne sont pas dans le fichier, le compte est donc un minimum",
    ),
    (
        "less than 1 % of its area lies in the extract's bounding box: cameras beyond it are not in the file, so the count is a floor",
        "moins de 1 % de sa surface est dans l'emprise de l'extrait : les caméras au-delà ne sont pas dans le fichier, le compte est donc un minimum",
    ),
    (
        "joined from {n} features that share the code",
        "réunie à partir de {} objets qui partagent le code",
    ),
    ("the polygon encloses no area", "le polygone n'enferme aucune surface"),
    (
        "invalid polygon: its rings cross or overlap, so neither its area nor its cameras are given; repair it (`ogr2ogr -makevalid OUT.geojson IN.geojson`) and count again",
        "polygone invalide : ses anneaux se croisent ou se chevauchent, ni sa surface ni ses caméras ne sont donc données ; réparez-le (`ogr2ogr -makevalid SORTIE.geojson ENTREE.geojson`) et comptez à nouveau",
    ),
    (
        "ring {n} of its polygon reaches beyond the first ring, which GeoJSON takes for the exterior: give the exterior ring first, then its holes",
        "l'anneau {} de son polygone dépasse le premier anneau, que GeoJSON prend pour l'extérieur : donnez d'abord l'anneau extérieur, puis ses trous",
    ),
    (
        "overlaps {}: 1 camera inside both is counted there, not here",
        "chevauche {} : 1 caméra à l'intérieur des deux y est comptée, pas ici",
    ),
    (
        "overlaps {}: {n} cameras inside both are counted there, not here",
        "chevauche {} : {} caméras à l'intérieur des deux y sont comptées, pas ici",
    ),
];

/// `reason` in French: each of its sentences (joined by "; ") the table
/// knows, translated; the others as written.
pub fn in_french(reason: &str) -> Cow<'_, str> {
    match reason.is_empty() {
        true => Cow::Borrowed(reason),
        false => Cow::Owned(sentences_in_french(reason).0.join(" ; ")),
    }
}

/// The sentences of `reason` the table lacks (for the tests that hold
/// each stage's reasons to it).
pub fn untranslated(reason: &str) -> Vec<String> {
    sentences_in_french(reason).1
}

/// Each sentence in French or as written, and those left as written.
fn sentences_in_french(reason: &str) -> (Vec<String>, Vec<String>) {
    let parts: Vec<&str> = reason.split("; ").filter(|p| !p.is_empty()).collect();
    let (mut out, mut left): (Vec<String>, Vec<String>) = Default::default();
    let mut i = 0;
    while i < parts.len() {
        // The longest run of parts that is one sentence: a sentence may
        // hold "; " itself.
        let found = (i + 1..=parts.len()).rev().find_map(|j| {
            let sentence = parts[i..j].join("; ");
            translated(&sentence).map(|fr| (j, fr))
        });
        match found {
            Some((j, fr)) => {
                out.push(fr);
                i = j;
            }
            None => {
                out.push(parts[i].to_string());
                left.push(parts[i].to_string());
                i += 1;
            }
        }
    }
    (out, left)
}

/// One sentence in French, when the table has it.
fn translated(sentence: &str) -> Option<String> {
    SENTENCES.iter().find_map(|(en, fr)| {
        let holes = captures(en, sentence)?;
        let mut pieces = fr.split("{}");
        let mut text = pieces.next().unwrap_or_default().to_string();
        for (hole, piece) in holes.iter().zip(pieces) {
            text.push_str(hole);
            text.push_str(piece);
        }
        Some(text)
    })
}

/// What `sentence` holds at the holes of `pattern`, when it has its
/// shape.
fn captures<'s>(pattern: &str, sentence: &'s str) -> Option<Vec<&'s str>> {
    // Literal pieces, and after each but the last, the kind of hole.
    let mut pieces: Vec<(&str, Option<bool>)> = Vec::new();
    let mut rest = pattern;
    while let Some(at) = rest.find('{') {
        let (number, len) = match &rest[at..] {
            r if r.starts_with("{n}") => (true, 3),
            r if r.starts_with("{}") => (false, 2),
            _ => return None,
        };
        pieces.push((&rest[..at], Some(number)));
        rest = &rest[at + len..];
    }
    pieces.push((rest, None));
    let mut holes = Vec::new();
    let mut text = sentence.strip_prefix(pieces[0].0)?;
    for window in pieces.windows(2) {
        let (number, next) = (window[0].1?, window[1].0);
        // The hole ends where the next literal starts: the last such
        // place for the final hole, the first otherwise.
        let end = match (next.is_empty(), window[1].1.is_none()) {
            (_, true) if text.ends_with(next) => text.len() - next.len(),
            (_, true) => return None,
            (true, false) => return None,
            (false, false) => text.find(next)?,
        };
        let hole = &text[..end];
        let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | '-');
        if hole.is_empty() || (number && !hole.chars().all(numeric)) {
            return None;
        }
        holes.push(hole);
        text = &text[end + next.len()..];
    }
    text.is_empty().then_some(holes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_their_numbers_are_translated_in_order() {
        assert_eq!(
            in_french(
                "1 of 8 member ways missing from the extract (clipped at the extract's edge?)"
            ),
            "1 des 8 chemins membres absents de l'extrait (coupée au bord de l'extrait ?)"
        );
        assert_eq!(
            in_french("3 of 10 member ways missing from the extract, 5 nodes of member ways missing from the extract (clipped at the extract's edge?)"),
            "3 des 10 chemins membres absents de l'extrait, 5 nœuds de chemins membres absents de l'extrait (coupée au bord de l'extrait ?)"
        );
        assert_eq!(
            in_french("self-intersection near 7.4123456 -43.7000000"),
            "auto-intersection près de 7.4123456 -43.7000000"
        );
        assert_eq!(
            in_french("overlaps Paris (75056): 3 cameras inside both are counted there, not here"),
            "chevauche Paris (75056) : 3 caméras à l'intérieur des deux y sont comptées, pas ici"
        );
    }

    #[test]
    fn joined_sentences_each_translate_and_unknown_ones_stay() {
        let reason = "only 8 % of its area lies in the extract's bounding box: cameras beyond it \
                      are not in the file, so the count is a floor; invalid polygon: its rings \
                      cross or overlap, so neither its area nor its cameras are given; repair it \
                      (`ogr2ogr -makevalid OUT.geojson IN.geojson`) and count again; something \
                      new";
        assert_eq!(
            in_french(reason),
            "seulement 8 % de sa surface est dans l'emprise de l'extrait : les caméras au-delà ne \
             sont pas dans le fichier, le compte est donc un minimum ; polygone invalide : ses \
             anneaux se croisent ou se chevauchent, ni sa surface ni ses caméras ne sont donc \
             données ; réparez-le (`ogr2ogr -makevalid SORTIE.geojson ENTREE.geojson`) et \
             comptez à nouveau ; something new"
        );
        assert_eq!(in_french(""), "");
        assert_eq!(untranslated(reason), ["something new"]);
        assert!(untranslated("").is_empty());
    }

    #[test]
    fn a_number_hole_takes_only_a_number() {
        assert_eq!(captures("{n} way members", "many way members"), None);
        assert_eq!(
            captures("way {n} has role {} but", "way 12 has role outer but"),
            Some(vec!["12", "outer"])
        );
        assert_eq!(captures("ends", "ends here"), None);
    }

    /// Every French sentence has as many holes as its English one.
    #[test]
    fn each_french_sentence_takes_every_hole() {
        for (en, fr) in SENTENCES {
            let holes = en.matches("{n}").count() + en.matches("{}").count();
            assert_eq!(fr.matches("{}").count(), holes, "{en}");
        }
    }
}
