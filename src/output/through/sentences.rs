//! The sentences of counts through time, in English or French: the
//! totals per date, a zone's counts date by date, the key sentences of
//! the pages, the rollup through time.
//!
//! Why written out in full: journalists quote them, as they quote the
//! count's ([`crate::output::markdown`]); the French ones use its
//! vocabulary, French numbers (`1 347`) and French plurals, and keep dates
//! as ISO days, as the count's French report does.
//!
//! In: a [`Through`], [`DateTotals`] or the rollup through time, and a
//! [`Lang`]. Out: sentences.

use crate::aggregate::RollupRow;
use crate::output::history_rows::DateTotals;
use crate::output::lang::Lang;

use super::{Line, Through, GROWERS};

/// "1 camera", "3 cameras"; "0 caméra", "3 caméras".
pub fn cameras(n: u64, l: Lang) -> String {
    l.count(n, ["camera", "cameras"], ["caméra", "caméras"])
}

/// A count that may be unknown (the zone was not built at that date).
pub fn known(n: Option<u64>, l: Lang) -> String {
    n.map_or_else(|| l.pick("unknown", "inconnu").to_string(), |n| l.int(n))
}

impl Through<'_> {
    /// Whether the zones are of more than one level: each sentence then
    /// names its zone's level (Monaco, the commune and the country, read
    /// as the same zone twice, found 2026-12-06).
    pub fn several_levels(&self) -> bool {
        let first = self.lines.first().map(|line| line.admin_level);
        self.lines
            .iter()
            .any(|line| Some(line.admin_level) != first)
    }

    /// "Monaco: 0 (2019-01-01) → 11 (2021-04-22) → 32 (2026-07-11)";
    /// "Monaco (admin_level 2): …" when `levels`.
    pub fn sentence(&self, line: &Line<'_>, levels: bool, l: Lang) -> String {
        let steps: Vec<String> = (line.cameras.iter().zip(&line.present).zip(&self.dates))
            .map(|((n, present), d)| match present {
                true => format!("{} ({d})", known(*n, l)),
                false => format!("{} ({d})", l.pick("no zone", "pas de zone")),
            })
            .collect();
        let floors = match line.is_floor() {
            true => l.pick(
                " (counts are floors: the file holds only part of it)",
                " (comptes minimaux : le fichier n'en couvre qu'une partie)",
            ),
            false => "",
        };
        let level = match (levels, line.admin_level) {
            (false, _) | (true, "") => String::new(),
            (true, level) => format!(" (admin_level {level})"),
        };
        format!(
            "{}{level}{} {}{floors}",
            line.name(),
            l.colon(),
            steps.join(" → ")
        )
    }

    /// The key sentences of the pages: the change of the total, then a
    /// sentence per zone that grew most.
    pub fn key_sentences(&self, l: Lang) -> Vec<String> {
        let mut sentences = Vec::new();
        if let (Some(first), Some(last)) = (self.totals.first(), self.totals.last()) {
            let (from, to) = (&self.dates[0], &self.dates[self.dates.len() - 1]);
            let (count, change) = (cameras(*first, l), l.signed(*last as i64 - *first as i64));
            let last = l.int(*last);
            sentences.push(match l {
                Lang::En => {
                    let on = |day: &str| match day {
                        "unknown" => l.as_of(day),
                        day => format!("on {day}"),
                    };
                    format!(
                        "{count} in the file {}, {last} {} ({change}).",
                        on(from),
                        on(to)
                    )
                }
                Lang::Fr => format!(
                    "{count} dans le fichier {}, {last} {} ({change}).",
                    l.as_of(from),
                    l.as_of(to)
                ),
            });
        }
        let growers = self.growers(GROWERS);
        if !growers.is_empty() {
            sentences.push(format!("{}{}", gainers(growers.len(), l), l.colon()));
        }
        let levels = self.several_levels();
        sentences.extend(
            growers
                .into_iter()
                .map(|line| self.sentence(line, levels, l)),
        );
        sentences
    }
}

/// "The commune that gained the most cameras", "The 3 communes that…":
/// the heading of the key sentences and the title of the growth chart.
pub fn gainers(n: usize, l: Lang) -> String {
    match (n, l) {
        (1, Lang::En) => "The commune that gained the most cameras".to_string(),
        (n, Lang::En) => format!("The {n} communes that gained the most cameras"),
        (1, Lang::Fr) => "La commune qui a gagné le plus de caméras".to_string(),
        (n, Lang::Fr) => format!(
            "Les {} communes qui ont gagné le plus de caméras",
            l.int(n as u64)
        ),
    }
}

/// A sentence per date: "2021-04-22: 11 cameras (9 inside admin_level 8
/// zones, 2 outside)".
pub fn totals_sentences(totals: &[DateTotals], l: Lang) -> Vec<String> {
    totals
        .iter()
        .map(|t| {
            let levels: Vec<String> = (t.levels.iter())
                .map(|level_at| {
                    let (inside, outside) = (l.int(level_at.inside), l.int(level_at.outside));
                    let not_built = match (level_at.not_built, l) {
                        (0, _) => String::new(),
                        (1, Lang::En) => "; 1 zone could not be built: cameras in it count as outside".to_string(),
                        (n, Lang::En) => format!("; {} zones could not be built: cameras in them count as outside", l.int(n)),
                        (1, Lang::Fr) => " ; 1 zone n'a pu être construite : ses caméras comptent hors zone".to_string(),
                        (n, Lang::Fr) => format!(" ; {} zones n'ont pu être construites : leurs caméras comptent hors zone", l.int(n)),
                    };
                    let level = level_at.admin_level.as_str();
                    let text = match (level, l) {
                        // `--boundaries` zones have no level.
                        ("", Lang::En) => format!("{inside} inside a zone, {outside} outside"),
                        ("", Lang::Fr) => format!("{inside} dans une zone, {outside} hors zone"),
                        (level, Lang::En) => format!(
                            "{inside} inside admin_level {level} zones, {outside} outside"
                        ),
                        (level, Lang::Fr) => format!(
                            "{inside} dans les zones de niveau admin_level {level}, {outside} hors de ces zones"
                        ),
                    };
                    // Cameras without a position are in neither figure:
                    // the parts summed short of the total without a word
                    // (found 2026-12-05).
                    let unplaced = match (level_at.unplaced, l) {
                        (0, _) => String::new(),
                        (n, Lang::En) => format!(", {} without a position", l.int(n)),
                        (n, Lang::Fr) => format!(", {} sans position", l.int(n)),
                    };
                    text + &unplaced + &not_built
                })
                .collect();
            let detail = match levels.is_empty() {
                true => String::new(),
                false => format!(" ({})", levels.join(l.pick("; ", " ; "))),
            };
            let after = match (&t.after_data, l) {
                (None, _) => String::new(),
                (Some(day), Lang::En) => {
                    format!(": after the file's data ({day}), so its newest state")
                }
                (Some(day), Lang::Fr) => format!(
                    " : après les données du fichier ({day}), donc son état le plus récent"
                ),
            };
            format!("{}{} {}{detail}{after}", t.date, l.colon(), cameras(t.cameras, l))
        })
        .collect()
}

/// A sentence per rollup group through time: "06 (Alpes-Maritimes): 9
/// cameras in 2 of 163 communes (2021-04-22) → 29 cameras in 3 of 163
/// communes (2026-07-11)".
pub fn rollup_sentences(dated: &[(String, &RollupRow)], l: Lang) -> Vec<String> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for (date, group) in dated {
        let label = match (&group.name, group.group.as_str()) {
            (Some(name), "") => name.clone(),
            (Some(name), code) if name != code => format!("{code} ({name})"),
            (_, "") => l
                .pick(crate::aggregate::NO_CODE_GROUP, "(sans code INSEE)")
                .to_string(),
            (_, code) => code.to_string(),
        };
        let (count, communes) = (cameras(group.cameras, l), l.int(group.communes));
        let with = group.communes_with_cameras;
        let unknown = match (group.communes_unknown, l) {
            (0, _) => String::new(),
            (n, Lang::En) => format!(", {} not counted", l.int(n)),
            (n, Lang::Fr) => format!(
                ", {}",
                l.count(n, ["non comptée"; 2], ["non comptée", "non comptées"])
            ),
        };
        let step = match (group.any_counted(), l) {
            (true, Lang::En) => {
                let noun = if group.communes == 1 {
                    "commune"
                } else {
                    "communes"
                };
                format!("{count} in {with} of {communes} {noun}{unknown} ({date})")
            }
            (true, Lang::Fr) => format!(
                "{count} dans {} sur {communes}{unknown} ({date})",
                l.count(with, ["commune", "communes"], ["commune", "communes"])
            ),
            (false, _) => format!(
                "{} ({date})",
                l.count(
                    group.communes,
                    ["commune not counted", "communes not counted"],
                    ["commune non comptée", "communes non comptées"]
                )
            ),
        };
        match groups.iter_mut().find(|(known, _)| *known == label) {
            Some((_, steps)) => steps.push(step),
            None => groups.push((label, vec![step])),
        }
    }
    groups
        .into_iter()
        .map(|(label, steps)| format!("{label}{} {}", l.colon(), steps.join(" → ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::history_rows::LevelAtDate;

    #[test]
    fn sentences_group_thousands_and_sign_changes() {
        let totals = [DateTotals {
            date: "2026-01-01".into(),
            after_data: None,
            cameras: 1348,
            levels: vec![LevelAtDate {
                admin_level: "8".into(),
                inside: 1200,
                outside: 147,
                unplaced: 1,
                not_built: 2,
            }],
        }];
        // The parts add up to the total: the camera without a position is
        // said (regression, 2026-12-05).
        assert_eq!(
            totals_sentences(&totals, Lang::Fr),
            ["2026-01-01 : 1\u{a0}348 caméras (1\u{a0}200 dans les zones de niveau admin_level 8, 147 hors de ces zones, 1 sans position ; 2 zones n'ont pu être construites : leurs caméras comptent hors zone)"]
        );
        assert_eq!(
            totals_sentences(&totals, Lang::En),
            ["2026-01-01: 1,348 cameras (1,200 inside admin_level 8 zones, 147 outside, 1 without a position; 2 zones could not be built: cameras in them count as outside)"]
        );
        let through = Through {
            dates: vec!["2015-01-01".into(), "2026-01-01".into()],
            instants: vec![None, None],
            totals: vec![1, 1347],
            lines: Vec::new(),
        };
        assert_eq!(
            through.key_sentences(Lang::Fr),
            ["1 caméra dans le fichier au 2015-01-01, 1\u{a0}347 au 2026-01-01 (+1\u{a0}346)."]
        );
        assert_eq!(
            through.key_sentences(Lang::En),
            ["1 camera in the file on 2015-01-01, 1,347 on 2026-01-01 (+1,346)."]
        );
    }
}
