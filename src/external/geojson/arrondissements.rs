//! Arrondissements municipaux beside their own commune: a level apart.
//!
//! Why: Paris, Marseille and Lyon are communes divided into
//! arrondissements municipaux, which INSEE codes as communes are coded
//! (75101–75120, 13201–13216, 69381–69389). A file holding a city and its
//! arrondissements (IGN Admin Express's COMMUNE and
//! ARRONDISSEMENT_MUNICIPAL layers put in one file) drew them as one level
//! of overlapping zones: each camera counted in the first zone drawn only,
//! and a rollup added Paris's 2.1 million inhabitants twice and counted 21
//! communes for one (found 2026-12-06). OSM keeps the arrondissements at
//! admin_level 9, below the communes; they are set there, so that each
//! level is counted on its own and the rollups are over the communes. A
//! file of arrondissements without their city keeps them as communes:
//! they tile it, and are what the file gives.
//!
//! In: the zones of a file, in file order. Out: the same zones, the
//! arrondissements of a city the file also holds moved after the communes
//! at level 9, and a warning naming them.

use crate::external::code_key;
use crate::zone::Zone;

/// The admin level OSM gives arrondissements municipaux.
const LEVEL: &str = "9";

/// The commune an arrondissement municipal's code belongs to.
fn city_of(code: &str) -> Option<(&'static str, &'static str)> {
    let number: u32 = code_key(code).parse().ok()?;
    match number {
        75101..=75120 => Some(("75056", "Paris")),
        13201..=13216 => Some(("13055", "Marseille")),
        69381..=69389 => Some(("69123", "Lyon")),
        _ => None,
    }
}

/// Moves the arrondissements whose city is a zone too to level 9, after
/// the communes (levels are counted apart, in order); the warning says
/// which, or `None` when there are none.
pub(super) fn set_apart(zones: &mut Vec<Zone>) -> Option<String> {
    let codes: std::collections::BTreeSet<String> = (zones.iter())
        .filter_map(|z| z.reference.as_deref())
        .map(|c| code_key(c).into_owned())
        .collect();
    let city_held = |zone: &Zone| {
        let city = zone.reference.as_deref().and_then(city_of);
        city.filter(|(code, _)| codes.contains(*code))
    };
    let mut cities: std::collections::BTreeMap<&str, (&str, usize)> = Default::default();
    let mut apart = Vec::new();
    let mut kept = Vec::with_capacity(zones.len());
    for mut zone in zones.drain(..) {
        match city_held(&zone) {
            Some((code, name)) => {
                cities.entry(code).or_insert((name, 0)).1 += 1;
                zone.admin_level = LEVEL.to_string();
                apart.push(zone);
            }
            None => kept.push(zone),
        }
    }
    kept.append(&mut apart);
    *zones = kept;
    if cities.is_empty() {
        return None;
    }
    let held: Vec<String> = (cities.iter())
        .map(|(code, (name, n))| {
            format!("{name} ({code}) and {n} of its arrondissements municipaux")
        })
        .collect();
    Some(format!(
        "the file holds {}: a city and its arrondissements overlap, so the arrondissements are \
         counted as a level of their own (admin_level {LEVEL}, as in OSM), apart from the \
         communes, and the rollups are over the communes; give the communes only, or the \
         arrondissements only, to count them as one level",
        held.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(code: &str) -> Zone {
        Zone::named(code, &format!("zone {code}"))
    }

    fn levels(zones: &[Zone]) -> Vec<(String, String)> {
        (zones.iter())
            .map(|z| (z.admin_level.clone(), z.reference.clone().unwrap()))
            .collect()
    }

    #[test]
    fn arrondissements_beside_their_city_go_to_a_level_of_their_own() {
        let mut zones = vec![zone("75101"), zone("75056"), zone("75120"), zone("92044")];
        let warning = set_apart(&mut zones).expect("a warning");
        let expected = [("", "75056"), ("", "92044"), ("9", "75101"), ("9", "75120")];
        let expected: Vec<_> = (expected.iter())
            .map(|(l, c)| (l.to_string(), c.to_string()))
            .collect();
        assert_eq!(levels(&zones), expected);
        assert!(
            warning.contains("Paris (75056) and 2 of its arrondissements municipaux"),
            "{warning}"
        );
    }

    #[test]
    fn arrondissements_without_their_city_stay_communes() {
        let mut zones = vec![zone("13201"), zone("13216"), zone("75056"), zone("6900")];
        let before = levels(&zones);
        assert_eq!(set_apart(&mut zones), None);
        assert_eq!(levels(&zones), before);
    }

    #[test]
    fn codes_are_matched_by_their_key_and_each_city_is_named_once() {
        // 69123 written as a number lost nothing; 6938x are five digits.
        let mut zones = vec![zone("69123"), zone("69381"), zone("13055"), zone("13201")];
        let warning = set_apart(&mut zones).unwrap();
        assert!(warning.contains("Marseille (13055) and 1 of its arrondissements municipaux"));
        assert!(warning.contains("Lyon (69123) and 1 of its"));
        assert_eq!(zones.iter().filter(|z| z.admin_level == LEVEL).count(), 2);
        assert_eq!(city_of("75121"), None);
        assert_eq!(city_of("75100"), None);
    }
}
