//! The sentences journalists quote, shared by the Markdown and HTML
//! reports: the totals, what a town declares beside what OSM maps, and a
//! rollup group's ("Aveyron: 13 of 285 communes have cameras").
//!
//! In: totals, rows, rollup groups and a language. Out: plain sentences,
//! Markdown-free, that each report marks up its own way.

use crate::aggregate::{CommuneRow, RollupRow, Totals};
use crate::boundary::Status;
use crate::output::lang::{french_could_not, Lang};

/// The report's title: per commune, or per zone of the finest level
/// counted when no zone is a commune (a run of régions was titled "per
/// commune", found 2026-12-05).
pub fn title(rows: &[CommuneRow], l: Lang) -> String {
    let shown = crate::aggregate::shown_rows(rows);
    match shown.iter().any(|r| r.is_commune()) || shown.is_empty() {
        true => l
            .pick(
                "Surveillance cameras per commune",
                "Caméras de surveillance par commune",
            )
            .to_string(),
        false => {
            let level = &shown[0].admin_level;
            match l {
                Lang::En => format!("Surveillance cameras per admin_level {level} zone"),
                Lang::Fr => {
                    format!("Caméras de surveillance par zone de niveau admin_level {level}")
                }
            }
        }
    }
}

/// The totals, one sentence per line: the cameras in the extract, then
/// where they fell at each level.
pub fn totals_sentences(t: &Totals, l: Lang) -> Vec<String> {
    // Singular for one ("1 cameras inside", "1 of 1 counted have", found
    // 2026-12-06); French takes it for 0 too.
    let cameras = |n: u64| l.count(n, ["camera", "cameras"], ["caméra", "caméras"]);
    let mut lines = vec![format!(
        "{} {}.",
        cameras(t.cameras),
        l.pick("in the extract", "dans l'extrait")
    )];
    for level in &t.levels {
        let zones = match (level.admin_level.as_str(), l) {
            ("" | "8", _) => "Communes".to_string(),
            (n, Lang::En) => format!("admin_level {n} zones"),
            (n, Lang::Fr) => format!("Zones de niveau admin_level {n}"),
        };
        let (inside, outside, unplaced) = (
            cameras(level.inside),
            l.int(level.outside),
            l.int(level.unplaced),
        );
        let unbuilt_count = level.zones - level.zones_ok - level.zones_beyond;
        let (with, ok, unbuilt) = (
            l.int(level.zones_with_cameras as u64),
            l.int(level.zones_ok as u64),
            l.int(unbuilt_count as u64),
        );
        // What was not counted: unbuilt boundaries, zones beyond the extract.
        let mut not_counted = Vec::new();
        if unbuilt_count > 0 || level.zones_beyond == 0 {
            not_counted.push(match l {
                Lang::En => format!("{unbuilt} could not be built from the extract"),
                Lang::Fr => format!(
                    "{unbuilt} {} depuis l'extrait",
                    french_could_not(unbuilt_count, "construite")
                ),
            });
        }
        if level.zones_beyond > 0 {
            let n = l.int(level.zones_beyond as u64);
            not_counted.push(match l {
                Lang::En => format!("{n} beyond the extract"),
                Lang::Fr => format!("{n} hors de l'extrait"),
            });
        }
        let not_counted = not_counted.join(", ");
        // The verb agrees with the zones that have cameras, as in the
        // rollup sentences; after "0 of 1", with the one.
        let en_have = match (level.zones_with_cameras, level.zones_ok) {
            (1, _) | (0, 1) => "has",
            _ => "have",
        };
        let (fr_counted, fr_have) = (
            if level.zones_ok < 2 {
                "comptée"
            } else {
                "comptées"
            },
            if level.zones_with_cameras < 2 {
                "a"
            } else {
                "ont"
            },
        );
        lines.push(match l {
            Lang::En => format!(
                "{zones}: {inside} inside, {outside} outside every one counted, {unplaced} without a position; \
                 {with} of {ok} counted {en_have} cameras ({not_counted})."
            ),
            Lang::Fr => format!(
                "{zones} : {inside} à l'intérieur, {outside} hors de toutes celles comptées, {unplaced} sans position ; \
                 {with} sur {ok} {fr_counted} {fr_have} des caméras ({not_counted})."
            ),
        });
    }
    lines
}

/// "Montpellier declares 650 cameras (source, date); OpenStreetMap maps 87
/// there, 13.4 % of that figure."
pub fn declared_sentence(row: &CommuneRow, l: Lang) -> Option<String> {
    let declared = row.declared.as_ref()?;
    // With its code: "Valence declares 30 cameras; OpenStreetMap maps 0
    // there" spoke of Valence (82186), where Valence (26362) maps 121
    // (found 2026-12-05).
    let name = row.label();
    let cited: Vec<&str> = [declared.source.as_deref(), declared.date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let cited = match cited.is_empty() {
        true => String::new(),
        false => format!(" ({})", cited.join(", ")),
    };
    let d = l.int(declared.cameras);
    let beyond = row.status == Status::OutsideExtract;
    let partial = row.status == Status::Partial;
    let at_least = l.at_least(partial);
    let mapped = match (row.cameras(), row.osm_share_of_declared(), l) {
        (None, _, Lang::En) if beyond => {
            "it lies beyond the extract, so OpenStreetMap's count there is unknown".to_string()
        }
        (None, _, Lang::Fr) if beyond => {
            "elle est hors de l'extrait : le nombre de caméras dans OpenStreetMap y est inconnu".to_string()
        }
        (None, _, Lang::En) => {
            "its boundary could not be built, so OpenStreetMap's count there is unknown".to_string()
        }
        (None, _, Lang::Fr) => {
            "sa limite n'a pas pu être construite : le nombre de caméras dans OpenStreetMap y est inconnu".to_string()
        }
        (Some(c), Some(share), Lang::En) if partial => format!(
            "OpenStreetMap maps at least {} there, at least {} % of that figure (the extract holds only part of the commune)",
            l.int(c),
            l.dec(share, 1)
        ),
        (Some(c), Some(share), Lang::Fr) if partial => format!(
            "OpenStreetMap en recense au moins {}, soit au moins {} % de ce chiffre (l'extrait ne couvre qu'une partie de la commune)",
            l.int(c),
            l.dec(share, 1)
        ),
        (Some(c), Some(share), Lang::En) => format!(
            "OpenStreetMap maps {} there, {} % of that figure",
            l.int(c),
            l.dec(share, 1)
        ),
        (Some(c), Some(share), Lang::Fr) => format!(
            "OpenStreetMap en recense {}, soit {} % de ce chiffre",
            l.int(c),
            l.dec(share, 1)
        ),
        (Some(c), None, Lang::En) => format!("OpenStreetMap maps {at_least}{} there", l.int(c)),
        (Some(c), None, Lang::Fr) => format!("OpenStreetMap en recense {at_least}{}", l.int(c)),
    };
    Some(match l {
        // "declares 1 cameras" (found 2026-12-05); French takes 0 and 1
        // as singular.
        Lang::En if declared.cameras == 1 => format!("{name} declares 1 camera{cited}; {mapped}."),
        Lang::En => format!("{name} declares {d} cameras{cited}; {mapped}."),
        Lang::Fr if declared.cameras < 2 => format!("{name} déclare {d} caméra{cited} ; {mapped}."),
        Lang::Fr => format!("{name} déclare {d} caméras{cited} ; {mapped}."),
    })
}

/// A sentence per commune that declared a figure, largest figure first.
pub fn declared_sentences(rows: &[CommuneRow], l: Lang) -> Vec<String> {
    let mut declared: Vec<&CommuneRow> = rows.iter().filter(|r| r.declared.is_some()).collect();
    declared.sort_by(|a, b| {
        let d = |r: &CommuneRow| r.declared.as_ref().map_or(0, |d| d.cameras);
        d(b).cmp(&d(a)).then(a.reference.cmp(&b.reference))
    });
    declared
        .into_iter()
        .filter_map(|row| declared_sentence(row, l))
        .collect()
}

/// The sentence for a rollup group, e.g. "Aveyron: 13 of 285 communes have
/// cameras".
pub fn rollup_sentence(group: &RollupRow, l: Lang) -> String {
    let label = group.name.as_deref().unwrap_or(&group.group);
    let (n, unknown) = (l.int(group.communes), l.int(group.communes_unknown));
    if !group.any_counted() {
        return match (l, group.communes == 1) {
            (Lang::En, true) => format!("{label}: its 1 commune could not be counted"),
            (Lang::En, false) => format!("{label}: {n} communes could not be counted"),
            (Lang::Fr, true) => format!("{label} : sa commune n'a pas pu être comptée"),
            (Lang::Fr, false) => format!("{label} : {n} communes n'ont pas pu être comptées"),
        };
    }
    let with = l.int(group.communes_with_cameras);
    // With communes not counted, "N of M" is of the counted ones: "2 of
    // 163 communes have cameras" read as a figure for all 163, 159 of
    // which the file holds no data for (found 2026-12-05).
    let counted = l.int(group.communes - group.communes_unknown);
    // The verb agrees with the communes that have cameras ("1 of 285
    // communes has", "1 commune sur 285 a"), the noun after "of M" with M.
    // French takes 0 as singular ("0 commune sur 3 a"), English as plural
    // ("0 of 3 communes have"; "has" read wrong, found 2026-12-05).
    let one_with = group.communes_with_cameras < 2;
    // After "0 of", the verb agrees with the noun: "0 of the 1 commune
    // counted has" ("have" read wrong, found 2026-12-05).
    let of_one = match group.communes_unknown > 0 {
        true => group.communes - group.communes_unknown == 1,
        false => group.communes == 1,
    };
    let en_verb = match (group.communes_with_cameras, of_one) {
        (1, _) | (0, true) => "has",
        _ => "have",
    };
    let fr_with = if one_with { "commune" } else { "communes" };
    let fr_verb = if one_with { "a" } else { "ont" };
    let en_noun = |m: u64| if m == 1 { "commune" } else { "communes" };
    let counted_n = group.communes - group.communes_unknown;
    let mut text =
        match (l, group.communes_unknown > 0) {
            (Lang::En, false) => format!(
                "{label}: {with} of {n} {} {en_verb} cameras",
                en_noun(group.communes)
            ),
            (Lang::Fr, false) => {
                format!("{label} : {with} {fr_with} sur {n} {fr_verb} des caméras")
            }
            (Lang::En, true) => format!(
                "{label}: {with} of the {counted} {} counted {en_verb} cameras \
             ({unknown} more could not be counted)",
                en_noun(counted_n)
            ),
            (Lang::Fr, true) => {
                format!(
            "{label} : {with} {fr_with} sur {} {counted} {} {fr_verb} des caméras ({unknown} \
             {} {})",
            if counted_n == 1 { "la" } else { "les" },
            if counted_n == 1 { "comptée" } else { "comptées" },
            if group.communes_unknown == 1 { "autre" } else { "autres" },
            french_could_not(group.communes_unknown as usize, "comptée")
        )
            }
        };
    if group.communes_partial > 0 {
        let partial = l.int(group.communes_partial);
        let one = group.communes_partial == 1;
        text.push_str(&match (l, one) {
            (Lang::En, true) => {
                format!("; {partial} only partly in the extract, its count a floor")
            }
            (Lang::En, false) => {
                format!("; {partial} only partly in the extract, their counts floors")
            }
            (Lang::Fr, true) => {
                format!(" ; {partial} en partie hors de l'extrait, son compte un minimum")
            }
            (Lang::Fr, false) => {
                format!(" ; {partial} en partie hors de l'extrait, leurs comptes des minimums")
            }
        });
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::LevelTotals;

    /// Regression (2026-12-06): "1 cameras inside", "1 of 1 counted have
    /// cameras", and "1 caméras à l'intérieur".
    #[test]
    fn totals_agree_in_number() {
        let totals = |cameras: u64, with: usize, ok: usize| Totals {
            cameras,
            levels: vec![LevelTotals {
                admin_level: "8".into(),
                inside: cameras,
                outside: 0,
                unplaced: 0,
                zones: ok,
                zones_ok: ok,
                zones_beyond: 0,
                zones_with_cameras: with,
            }],
        };
        let en = totals_sentences(&totals(1, 1, 1), Lang::En);
        assert_eq!(en[0], "1 camera in the extract.");
        assert!(
            en[1].starts_with("Communes: 1 camera inside, 0 outside every one counted")
                && en[1].contains("; 1 of 1 counted has cameras"),
            "{en:?}"
        );
        let fr = totals_sentences(&totals(1, 1, 1), Lang::Fr);
        assert_eq!(fr[0], "1 caméra dans l'extrait.");
        assert!(
            fr[1].starts_with("Communes : 1 caméra à l'intérieur")
                && fr[1].contains("1 sur 1 comptée a des caméras"),
            "{fr:?}"
        );
        let many = totals_sentences(&totals(5, 2, 3), Lang::En);
        assert_eq!(many[0], "5 cameras in the extract.");
        assert!(many[1].contains("5 cameras inside") && many[1].contains("2 of 3 counted have"));
        let none = totals_sentences(&totals(0, 0, 1), Lang::En);
        assert!(none[1].contains("0 of 1 counted has cameras"), "{none:?}");
    }

    /// Regression (2026-12-06): "1 only partly in the extract, their
    /// counts floors".
    #[test]
    fn one_partial_commune_is_singular() {
        let group = |partial: u64| RollupRow {
            group: "99".into(),
            communes: 6,
            communes_with_cameras: 5,
            communes_partial: partial,
            ..RollupRow::default()
        };
        assert!(rollup_sentence(&group(1), Lang::En)
            .ends_with("; 1 only partly in the extract, its count a floor"));
        assert!(rollup_sentence(&group(2), Lang::En)
            .ends_with("; 2 only partly in the extract, their counts floors"));
        assert!(rollup_sentence(&group(1), Lang::Fr)
            .ends_with(" ; 1 en partie hors de l'extrait, son compte un minimum"));
    }
}
