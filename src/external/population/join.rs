//! The population file joined to the zones of one level, on their code.
//!
//! Why a rule for merged communes: a file of 2026 holds the populations
//! of 2026 communes, and boundaries of an older year (IGN 2018) hold the
//! communes merged since as separate polygons, one of which often kept the
//! merged commune's code. Joined on the code alone, that polygon got the
//! whole merged commune's population (49080 Châteauneuf-sur-Sarthe,
//! 14.6 km², got the 8,751 inhabitants of Les Hauts-d'Anjou) and a rate far
//! too low, with exit 0.
//!
//! The rule, over the zones of one level: a current commune's codes are
//! its own code and its `anciens_codes`; the zones whose code is one of
//! them *hold* it. When the only zone holding a commune has the commune's
//! own code, it is that commune (boundaries of the file's year) and gets
//! its population. When two or more zones hold it, or one zone holds it
//! under a former code, the population cannot be split among them, or is
//! not that zone's alone: none of them gets one from the file, and the join
//! reports them ([`PopulationJoin::merged`]). One exception: a zone that
//! is the whole commune under the code it had before a change of code
//! (the IGN 2018 polygon 12076 "Conques-en-Rouergue", now 12218). It is
//! the only zone holding the commune, it bears the commune's name, and the
//! file names its former code otherwise (12076 "Conques", a commune
//! déléguée): the polygon was drawn after the merger, so it is the
//! commune, and gets its population ([`PopulationJoin::renumbered`]).
//! Without the former code's own name, a zone named as the commune may
//! still be the former commune whose name the merged one took. A code the file lists as a current
//! commune is that commune's, whatever other commune lists it among its
//! former codes (a commune re-created after a merger); a commune listing
//! its own code among its former codes is held by that code once.
//!
//! A zone the file gives nothing keeps what it had (its OSM `population`
//! tag, if any): that figure is its own.
//!
//! In: a [`PopulationTable`] and zones. Out: each zone's population from
//! the file, and a [`PopulationJoin`] for the summary.

use std::collections::BTreeMap;

use super::PopulationTable;
use crate::departements::departement_of;
use crate::external::code_key;
use crate::zone::Zone;

/// What a population file gave the zones of one level, for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PopulationJoin {
    pub matched: usize,
    /// Zone codes the file does not list (or lists without a value).
    pub unmatched: Vec<String>,
    /// Zones left without a population because they hold a commune merged
    /// since with other zones, or under a former code; sorted by code.
    pub merged: Vec<MergedPart>,
    /// Current communes of the file (code, name) that no zone holds, in a
    /// département where zones hold others; sorted by code. Boundaries
    /// older than the file lack the communes re-created since, and the
    /// zone holding their land takes its own code's population without
    /// theirs (a 2018 polygon of Neussargues en Pinatelle got the 824
    /// inhabitants of Neussargues-Moissac, not the 1,555 of the five
    /// communes it covers, found 2026-12-06).
    pub unheld: Vec<(String, Option<String>)>,
    /// Zones that are a current commune under the code it had before a
    /// change of code (zone code, the commune's code and name), given the
    /// commune's population; sorted by code.
    pub renumbered: Vec<(String, String, Option<String>)>,
    /// Zones the file names otherwise under their code (zone code, zone
    /// name, the file's name), given none: the file lists no former
    /// communes, so a commune renamed cannot be told from one merged
    /// since; sorted by code.
    pub named_otherwise: Vec<(String, Option<String>, String)>,
    /// The file lists no former communes: a commune merged since that kept
    /// its code and name cannot be told.
    pub blind_to_mergers: bool,
}

/// A zone that is a former commune of a commune merged since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedPart {
    pub code: String,
    pub name: Option<String>,
    /// The current commune's code and name, from the file.
    pub commune: String,
    pub commune_name: Option<String>,
}

impl PopulationTable {
    /// Each zone's population from the file, in zone order, and what the
    /// join matched: the rule for merged communes is in the module header.
    pub fn join(&self, zones: &[Zone]) -> (Vec<Option<u64>>, PopulationJoin) {
        let holders = self.holders(
            (zones.iter()).filter_map(|z| Some((z.reference.as_deref()?, z.name.as_deref()))),
        );
        let (merged, renumbered) = self.parts(&holders);
        let mut coverage = PopulationJoin {
            unheld: self.unheld(&holders),
            blind_to_mergers: !self.lists_mergers,
            ..PopulationJoin::default()
        };
        let values = (zones.iter())
            .map(|zone| {
                let code = zone.reference.as_deref()?.trim();
                if let Some(&commune) = merged.get(code) {
                    coverage.merged.push(MergedPart {
                        code: code.to_string(),
                        name: zone.name.clone(),
                        commune: commune.to_string(),
                        commune_name: self.values.get(commune).and_then(|e| e.name.clone()),
                    });
                    return None;
                }
                // A zone under its commune's former code takes the
                // commune's figure.
                let own = match renumbered.get(code) {
                    Some(&commune) => {
                        let name = self.values.get(commune).and_then(|e| e.name.clone());
                        (coverage.renumbered).push((code.to_string(), commune.to_string(), name));
                        commune
                    }
                    None => code,
                };
                // Without former communes in the file, a zone named
                // otherwise may be a commune merged since, under the
                // code the merged one kept: the IGN 2018 polygon of
                // Vicdessos (09334) took Val-de-Sos's 599 inhabitants,
                // with Goulier's, Sem's and Suc's land elsewhere, exit 0
                // (found 2026-12-06).
                if own == code {
                    if let Some(file_name) = self.names_otherwise(code, zone.name.as_deref()) {
                        (coverage.named_otherwise).push((
                            code.to_string(),
                            zone.name.clone(),
                            file_name.to_string(),
                        ));
                        return None;
                    }
                }
                let value = self.get(own);
                match value {
                    Some(_) => coverage.matched += 1,
                    None => coverage.unmatched.push(code.to_string()),
                }
                value
            })
            .collect();
        coverage.unmatched.sort();
        coverage.merged.sort_by(|a, b| a.code.cmp(&b.code));
        coverage.renumbered.sort();
        coverage.named_otherwise.sort();
        (values, coverage)
    }

    /// Zone code → the current commune it holds, for the zones (code and
    /// name) whose population the file cannot give: two or more of them
    /// hold one commune, or one holds it under a former code; and for the
    /// zones that are a commune under its former code (the module header).
    pub fn merged_parts<'a>(
        &self,
        zones: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Parts<'_, 'a> {
        self.parts(&self.holders(zones))
    }

    /// [`PopulationTable::merged_parts`] from the holders.
    fn parts<'t, 'z>(&'t self, holders: &Holders<'t, 'z>) -> Parts<'t, 'z> {
        let (mut parts, mut renumbered) = (BTreeMap::new(), BTreeMap::new());
        for (&commune, zones) in holders {
            match &zones[..] {
                [(key, _, _)] if key == commune => {}
                [(key, zone, name)] if self.renamed_from(commune, key, *name) => {
                    renumbered.insert(*zone, commune);
                }
                _ => parts.extend(zones.iter().map(|&(_, zone, _)| (zone, commune))),
            }
        }
        (parts, renumbered)
    }

    /// True when a zone named `name` under the former code `former` of
    /// `commune` is that commune: it bears the commune's name, and the
    /// file names the former code otherwise.
    fn renamed_from(&self, commune: &str, former: &str, name: Option<&str>) -> bool {
        let named = |code: &str| self.values.get(code).and_then(|e| e.name.as_deref());
        let (Some(name), Some(current), Some(was)) = (name, named(commune), named(former)) else {
            return false;
        };
        same_name(name, current) && !same_name(name, was)
    }

    /// Current communes no zone holds, in the départements where zones
    /// hold some ([`PopulationJoin::unheld`]).
    fn unheld(&self, holders: &Holders<'_, '_>) -> Vec<(String, Option<String>)> {
        let covered: std::collections::BTreeSet<&str> =
            holders.keys().filter_map(|c| departement_of(c)).collect();
        let mut unheld: Vec<(String, Option<String>)> = (self.values.iter())
            .filter(|(code, entry)| entry.current && !holders.contains_key(code.as_str()))
            .filter(|(code, _)| departement_of(code).is_some_and(|d| covered.contains(d)))
            .map(|(code, entry)| (code.clone(), entry.name.clone()))
            .collect();
        unheld.sort();
        unheld
    }

    /// Commune → the zones holding it, each by its key and as given; a
    /// code two zones carry is held twice (two OSM relations with one
    /// `ref:INSEE` each took the commune's whole population, and a rollup
    /// added it twice, found 2026-12-05).
    fn holders<'a>(
        &self,
        zones: impl Iterator<Item = (&'a str, Option<&'a str>)>,
    ) -> Holders<'_, 'a> {
        let mut holders: Holders<'_, 'a> = BTreeMap::new();
        for (code, name) in zones {
            let code = code.trim();
            let key = code_key(code);
            // A current commune's code is its own, even when another
            // commune lists it among its former codes.
            let commune = match self.values.get_key_value(&*key) {
                Some((own, entry)) if entry.current => Some(own.as_str()),
                _ => self.current_code(code),
            };
            if let Some(commune) = commune {
                let zone = (key.into_owned(), code, name);
                holders.entry(commune).or_default().push(zone);
            }
        }
        holders
    }
}

/// Current commune → the zones holding it (each zone's code by its key,
/// as given, and its name).
type Holders<'t, 'z> = BTreeMap<&'t str, Vec<(String, &'z str, Option<&'z str>)>>;

/// Zone code → the commune it holds: for the zones whose population the
/// file cannot give, and for the zones that are a commune under its
/// former code.
pub type Parts<'t, 'z> = (BTreeMap<&'z str, &'t str>, BTreeMap<&'z str, &'t str>);

/// Names equal but for case, accents, hyphens, apostrophes and a leading
/// article ("Orée d’Anjou", "Conques en Rouergue"; IGN's "Aix-d'Angillon"
/// is INSEE's "Les Aix-d'Angillon", its "Sougéal" INSEE's "Sougeal").
pub(super) fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> Vec<String> {
        let folded: String = (s.chars())
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                '-' | '\'' | '\u{2019}' => ' ',
                'à' | 'â' | 'ä' | 'á' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'î' | 'ï' | 'í' => 'i',
                'ô' | 'ö' | 'ó' => 'o',
                'ù' | 'û' | 'ü' | 'ú' => 'u',
                'ç' => 'c',
                'ÿ' => 'y',
                c => c,
            })
            .collect();
        let mut words: Vec<String> = folded
            .replace('œ', "oe")
            .replace('æ', "ae")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if words.len() > 1 && ["le", "la", "les", "l"].contains(&words[0].as_str()) {
            words.remove(0);
        }
        words
    };
    norm(a) == norm(b)
}

/// "15031 Celles", or the code alone.
fn code_and_name(code: &str, name: &Option<String>) -> String {
    match name {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

impl PopulationJoin {
    /// Adds another level's join to this one: one field a line, so that a
    /// field added to the join reaches the summary (a merge that named
    /// each field dropped the one it missed).
    pub fn absorb(&mut self, other: PopulationJoin) {
        let PopulationJoin {
            matched,
            unmatched,
            merged,
            unheld,
            renumbered,
            named_otherwise,
            blind_to_mergers,
        } = other;
        self.blind_to_mergers |= blind_to_mergers;
        self.matched += matched;
        self.unmatched.extend(unmatched);
        self.merged.extend(merged);
        self.unheld.extend(unheld);
        self.renumbered.extend(renumbered);
        self.named_otherwise.extend(named_otherwise);
    }

    /// The first of [`PopulationJoin::unheld`], as "15031 Celles".
    pub fn unheld_example(&self) -> Option<String> {
        let (code, name) = self.unheld.first()?;
        Some(code_and_name(code, name))
    }

    /// The first of [`PopulationJoin::renumbered`]: the zone's code, and
    /// the commune as "12218 Conques-en-Rouergue".
    pub fn renumbered_example(&self) -> Option<(&str, String)> {
        let (zone, commune, name) = self.renumbered.first()?;
        Some((zone, code_and_name(commune, name)))
    }

    /// What [`PopulationJoin::renumbered`] did, with an example.
    pub fn renumbered_note(&self) -> Option<String> {
        let (zone, commune) = self.renumbered_example()?;
        let example = format!("{zone} is {commune}");
        Some(match self.renumbered.len() {
            1 => format!(
                "zone {example}, under the code it had before a change of code: it bears the commune's name, and the file names that code otherwise, so it is given the commune's population"
            ),
            n => format!(
                "{n} zones are a commune under the code it had before a change of code (e.g. {example}): each bears its commune's name, and the file names that code otherwise, so each is given its commune's population"
            ),
        })
    }

    /// The warning for [`PopulationJoin::named_otherwise`].
    pub fn named_otherwise_warning(&self) -> Option<String> {
        let (code, zone, file) = self.named_otherwise.first()?;
        let example = format!("{} (the file: {file})", code_and_name(code, zone));
        let advice = "the population file lists no former communes (no anciens_codes column) to tell a commune renamed from one merged since, whose population is not the zone's alone; use a file that lists them (etalab's decoupage-administratif), or boundaries of the population file's year";
        Some(match self.named_otherwise.len() {
            1 => format!(
                "{example} bears another name in the population file, so the file gives it none: {advice}"
            ),
            n => format!(
                "{n} zones bear another name in the population file than their own (e.g. {example}), so the file gives them none: {advice}"
            ),
        })
    }

    /// The zone codes the file does not list that are INSEE codes (a
    /// foreign commune's in an extract across a border is none).
    pub fn missing_insee_codes(&self) -> Vec<&String> {
        (self.unmatched.iter())
            .filter(|code| departement_of(code).is_some())
            .collect()
    }

    /// The warning for a file that lists no former communes, beside
    /// zones with INSEE codes it does not list: the boundaries are then
    /// likely older than the file, and a commune merged since that kept
    /// its code and name (Flize, 08173, in the IGN 2018 polygons) takes
    /// the merged commune's population without a sign (found 2026-12-06).
    pub fn blind_to_mergers_warning(&self) -> Option<String> {
        let missing = self.missing_insee_codes();
        if !self.blind_to_mergers || missing.is_empty() {
            return None;
        }
        Some(format!(
            "{} INSEE {} of the zones {} not in the population file (e.g. {}): the boundaries may be older than the file, and the file lists no former communes (no anciens_codes column) to tell a commune merged since under its own code and name, which would take the merged commune's population; use a file that lists them (etalab's decoupage-administratif), or boundaries of the population file's year",
            missing.len(),
            if missing.len() == 1 { "code" } else { "codes" },
            if missing.len() == 1 { "is" } else { "are" },
            missing[0]
        ))
    }

    /// The warning for [`PopulationJoin::unheld`].
    pub fn unheld_warning(&self) -> Option<String> {
        let example = self.unheld_example()?;
        let advice = "use boundaries of the population file's year";
        Some(match self.unheld.len() {
            1 => format!(
                "{example}, a commune of the population file, has no zone, though other communes of its département have: if the boundaries cover that département whole, they are older than this commune (re-created or created since), and the zone that holds its land has the population of its own code only; {advice}"
            ),
            n => format!(
                "{n} communes of the population file have no zone, though other communes of their départements have (e.g. {example}): if the boundaries cover those départements whole, they are older than these communes (re-created or created since), and the zone that holds their land has the population of its own code only; {advice}"
            ),
        })
    }

    /// The warning for [`PopulationJoin::merged`], with a count and an
    /// example: preferably a zone that kept its commune's code, the one
    /// whose figure looked right.
    pub fn merged_warning(&self) -> Option<String> {
        let example = (self.merged.iter())
            .find(|p| p.code == p.commune)
            .or(self.merged.first())?;
        let zone = code_and_name(&example.code, &example.name);
        let commune = code_and_name(&example.commune, &example.commune_name);
        // What the zone then shows: nothing from the file; an OSM boundary
        // keeps its own tag ("so they have none" was false there, found
        // 2026-12-05).
        let advice = "an OSM boundary keeps its own population tag, if any (see population_source); use boundaries of the population file's year";
        Some(match self.merged.len() {
            1 => format!(
                "{zone} is a former commune of a commune merged since ({commune}): the commune's population is not this zone's alone, so the file gives it none; {advice}"
            ),
            n => format!(
                "{zone} and {} other {} are former communes of a commune merged since, or share a code (e.g. {commune}): a commune's population cannot be split, so the file gives them none; {advice}",
                n - 1,
                if n == 2 { "zone" } else { "zones" },
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::table;
    use super::*;

    fn zones(codes: &[(&str, &str)]) -> Vec<Zone> {
        (codes.iter())
            .map(|&(code, name)| Zone::named(code, name))
            .collect()
    }

    /// Les Hauts-d'Anjou (49080) merged 49080 and the communes of 49065 in
    /// 2019; Conques-en-Rouergue (12218) was 12076; 01033 lists its own
    /// code; 14666 was re-created out of 14011 and is still listed there.
    const MERGERS: &str = "code,nom,type,population,anciens_codes\n\
        49080,Les Hauts-d'Anjou,commune-actuelle,8751,49051;49065\n\
        49080,Châteauneuf-sur-Sarthe,commune-deleguee,,\n\
        49065,Champigné,commune-deleguee,,\n\
        49007,Angers,commune-actuelle,159022,\n\
        12218,Conques-en-Rouergue,commune-actuelle,1540,12076\n\
        01033,Valserhône,commune-actuelle,16712,01033;01126\n\
        14011,Aurseulles,commune-actuelle,2000,14666\n\
        14666,Saint-Vaast,commune-actuelle,100,\n";

    /// Regression (2026-12-05): a file saved from a spreadsheet, its
    /// codes without their leading zero (1033, 6088), matched nothing and
    /// the zones fell back to their OSM tags; a merger read from such a
    /// file still leaves the former commune without the merged figure.
    /// Regression (2026-12-06): a plain file (no former communes) gave
    /// the IGN 2018 polygon of Vicdessos (09334) the 599 inhabitants of
    /// Val-de-Sos, the commune it merged into under its code. A zone the
    /// file names otherwise is given none; names equal but for case,
    /// accents, hyphens and a leading article still match.
    #[test]
    fn a_plain_file_gives_no_population_to_a_zone_it_names_otherwise() {
        let plain = table(
            "code,nom,population\n09334,Val-de-Sos,599\n18003,Les Aix-d'Angillon,1902\n\
             35329,Sougeal,190\n09122,Foix,9934\n",
        );
        let zones = zones(&[
            ("09334", "Vicdessos"),
            ("18003", "Aix-d'Angillon"),
            ("35329", "Sougéal"),
            ("09122", "FOIX"),
        ]);
        let (values, join) = plain.join(&zones);
        assert_eq!(values, [None, Some(1902), Some(190), Some(9934)]);
        assert_eq!(
            join.named_otherwise,
            [(
                "09334".to_string(),
                Some("Vicdessos".to_string()),
                "Val-de-Sos".to_string()
            )]
        );
        assert_eq!(join.matched, 3);
        assert!(join
            .named_otherwise_warning()
            .unwrap()
            .starts_with("09334 Vicdessos (the file: Val-de-Sos) bears another name"));
        // Codes the file lacks beside a file blind to mergers: the
        // boundaries may be older, and a merger that kept its code and
        // name cannot be seen (Flize, 08173): a warning says so.
        let (_, join) = plain.join(&super::tests::zones(&[
            ("08173", "Flize"),
            ("08154", "Élan"),
        ]));
        assert!(join.blind_to_mergers);
        let warning = join.blind_to_mergers_warning().unwrap();
        assert!(
            warning.starts_with(
                "2 INSEE codes of the zones are not in the population file (e.g. 08154)"
            ),
            "{warning}"
        );
        // A parent column lists mergers: its communes déléguées are former
        // communes of their parent, without `anciens_codes` (the file gave
        // Vicdessos Val-de-Sos's figure, found 2026-12-06).
        let parents = table(
            "code,nom,type,population,chef_lieu\n09334,Val-de-Sos,commune-actuelle,599,\n\
             09334,Vicdessos,commune-deleguee,,09334\n09135,Goulier,commune-deleguee,,09334\n",
        );
        let older = [("09334", "Vicdessos"), ("09135", "Goulier")];
        let (values, join) = parents.join(&super::tests::zones(&older));
        assert_eq!(values, [None, None]);
        assert_eq!(join.merged.len(), 2);
        assert!(!join.blind_to_mergers);
        // A file that lists former communes tells a merger by them, and
        // takes a name that changed as a commune renamed.
        let listing =
            table("code,nom,population,anciens_codes\n09334,Val-de-Sos,599,09135;09297;09303\n");
        let (values, join) = listing.join(&zones[..1]);
        assert_eq!(values, [Some(599)]);
        assert!(join.named_otherwise.is_empty());
    }

    #[test]
    fn codes_that_lost_their_leading_zero_still_match() {
        let stripped = MERGERS.replace("01033", "1033").replace("01126", "1126");
        let t = table(&format!("{stripped}6088,Nice,commune-actuelle,357737,\n"));
        let (values, join) = t.join(&zones(&[
            ("01033", "Valserhône"),
            ("01126", "Châtillon-en-Michaille"),
            ("06088", "Nice"),
        ]));
        assert_eq!(values, [None, None, Some(357737)]);
        assert_eq!(join.matched, 1);
        let merged: Vec<&str> = join.merged.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(merged, ["01033", "01126"]);
        assert!(
            t.warnings
                .iter()
                .any(|w| w.starts_with("2 codes of four digits")
                    && w.contains("(line 7: 1033 as 01033)")),
            "{:?}",
            t.warnings
        );
        // A zone whose own code is only four digits long reads the same.
        let (values, _) = t.join(&zones(&[("6088", "Nice")]));
        assert_eq!(values, [Some(357737)]);
    }

    /// Regression (2026-12-05): 2018 polygons joined to 2026 populations
    /// gave Châteauneuf-sur-Sarthe (49080) the 8,751 inhabitants of the
    /// whole Les Hauts-d'Anjou.
    #[test]
    fn a_merged_commune_held_by_several_zones_gives_none_of_them_its_population() {
        let t = table(MERGERS);
        let older = zones(&[
            ("49007", "Angers"),
            ("49065", "Hauts d'Anjou"),
            ("49080", "Châteauneuf-sur-Sarthe"),
        ]);
        let (values, join) = t.join(&older);
        assert_eq!(values, [Some(159022), None, None]);
        assert_eq!((join.matched, join.unmatched.len()), (1, 0));
        let merged: Vec<(&str, &str)> = (join.merged.iter())
            .map(|p| (p.code.as_str(), p.commune.as_str()))
            .collect();
        assert_eq!(merged, [("49065", "49080"), ("49080", "49080")]);
        assert_eq!(
            join.merged_warning().unwrap(),
            "49080 Châteauneuf-sur-Sarthe and 1 other zone are former communes of a commune merged since, or share a code (e.g. 49080 Les Hauts-d'Anjou): a commune's population cannot be split, so the file gives them none; an OSM boundary keeps its own population tag, if any (see population_source); use boundaries of the population file's year"
        );
        // Boundaries of the file's year: the zone is the merged commune.
        let (values, join) = t.join(&zones(&[
            ("49007", "Angers"),
            ("49080", "Les Hauts-d'Anjou"),
        ]));
        assert_eq!(values, [Some(159022), Some(8751)]);
        assert!(join.merged.is_empty() && join.merged_warning().is_none());
    }

    #[test]
    fn one_zone_under_a_former_code_is_not_given_the_merged_population() {
        let t = table(MERGERS);
        let (values, join) = t.join(&zones(&[("12076", "Conques-en-Rouergue")]));
        assert_eq!(values, [None]);
        assert_eq!((join.matched, join.unmatched.len()), (0, 0));
        assert_eq!(
            join.merged_warning().unwrap(),
            "12076 Conques-en-Rouergue is a former commune of a commune merged since (12218 Conques-en-Rouergue): the commune's population is not this zone's alone, so the file gives it none; an OSM boundary keeps its own population tag, if any (see population_source); use boundaries of the population file's year"
        );
    }

    /// Regression (2026-12-06): the IGN 2018 polygons 12076
    /// "Conques-en-Rouergue", 14011 "Aurseulles" and 49069 "Orée d'Anjou"
    /// are those communes whole, drawn under their code before a change
    /// of code, and had no population and a note calling them former
    /// communes of a merger.
    #[test]
    fn a_commune_under_its_former_code_and_its_name_is_given_its_population() {
        let t = table(&format!("{MERGERS}12076,Conques,commune-deleguee,,\n"));
        let (values, join) = t.join(&zones(&[("12076", "Conques-en-Rouergue")]));
        assert_eq!(values, [Some(1540)]);
        assert_eq!((join.matched, join.merged.len()), (1, 0));
        let renumbered = (
            "12076".into(),
            "12218".into(),
            Some("Conques-en-Rouergue".into()),
        );
        assert_eq!(join.renumbered, [renumbered]);
        assert_eq!(
            join.renumbered_note().unwrap(),
            "zone 12076 is 12218 Conques-en-Rouergue, under the code it had before a change of code: it bears the commune's name, and the file names that code otherwise, so it is given the commune's population"
        );
        // Names compare without case, hyphens or the apostrophe's shape.
        let (values, _) = t.join(&zones(&[("12076", "CONQUES EN ROUERGUE")]));
        assert_eq!(values, [Some(1540)]);
        // The former commune under its own name, or a zone named neither,
        // is no more the commune than before.
        for name in ["Conques", "Saint-Cyprien"] {
            let (values, join) = t.join(&zones(&[("12076", name)]));
            assert_eq!((values[0], join.merged.len()), (None, 1), "{name}");
        }
        // Two zones holding it: a merger's parts, whatever their names.
        let (values, join) = t.join(&zones(&[
            ("12076", "Conques-en-Rouergue"),
            ("12218", "Saint-Cyprien-sur-Dourdou"),
        ]));
        assert_eq!((values, join.merged.len()), (vec![None, None], 2));
    }

    #[test]
    fn own_code_among_former_codes_and_re_created_communes() {
        let t = table(MERGERS);
        let (values, join) = t.join(&zones(&[("01033", "Valserhône")]));
        assert_eq!((values, join.merged.len()), (vec![Some(16712)], 0));
        let (values, join) = t.join(&zones(&[("01033", "Bellegarde"), ("01126", "Lancrans")]));
        assert_eq!((values, join.merged.len()), (vec![None, None], 2));
        // 14666 is a current commune: its code is its own, not Aurseulles'.
        let (values, join) = t.join(&zones(&[("14011", "Aurseulles"), ("14666", "Saint-Vaast")]));
        assert_eq!(
            (values, join.merged.len()),
            (vec![Some(2000), Some(100)], 0)
        );
    }

    #[test]
    fn communes_no_zone_holds_are_listed_in_covered_departements_only() {
        let t = table(
            "code,nom,population,anciens_codes\n15141,Neussargues-Moissac,824,\n15031,Celles,217,\n\
             15100,Murat,1900,15200\n12001,Agen-d'Aveyron,1000,\n",
        );
        // 15200 is a former code of Murat: held. 12001 lies in a
        // département no zone covers.
        let (_, join) = t.join(&zones(&[
            ("15141", "Neussargues en Pinatelle"),
            ("15200", "Bredons"),
        ]));
        assert_eq!(
            join.unheld,
            [("15031".to_string(), Some("Celles".to_string()))]
        );
        assert_eq!(
            join.unheld_warning().unwrap(),
            "15031 Celles, a commune of the population file, has no zone, though other communes of \
             its département have: if the boundaries cover that département whole, they are older \
             than this commune (re-created or created since), and the zone that holds its land has \
             the population of its own code only; use boundaries of the population file's year"
        );
        let (_, all) = t.join(&zones(&[("15141", "N"), ("15031", "C"), ("15100", "M")]));
        assert!(all.unheld.is_empty() && all.unheld_warning().is_none());
    }
}
