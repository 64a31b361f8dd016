//! Which relations are boundary candidates, which of their tags are
//! kept, and what boundary building reads of their member ways.
//!
//! Why a module of its own: the scan chooses and keeps candidates, and
//! boundary building assembles them; both depend on these rules, and
//! neither on the other.
//!
//! An admin boundary in OSM is a relation tagged `boundary=administrative`
//! and `admin_level=N`, of `type=boundary` (or, in older data,
//! `type=multipolygon`): <https://wiki.openstreetmap.org/wiki/Tag:boundary=administrative>.
//! `--all-areas` takes every `type=multipolygon|boundary` relation instead,
//! for conformance tests and other kinds of area.
//!
//! In: a relation's tags. Out: keep it or not; and, before any tag is
//! read, the values no candidate lacks, so the scan can pass over most
//! relations of a country without resolving their tags. [`MemberGeometry`]
//! is what the scan hands boundary building.

/// The tags that boundary building reads, all that the scan keeps of a
/// candidate relation's tags: the rest (names in tens of languages,
/// sources, notes) would be copied out of every block only to be dropped.
pub const TAGS_READ: [&str; 7] = [
    "admin_level",
    "name",
    "ref:INSEE",
    "ref",
    "wikidata",
    "population",
    "population:date",
];

/// The member ways of the candidates, as the scan found them: each way's
/// node slots, and each slot's position on the file's 1e-7° grid.
pub trait MemberGeometry: Sync {
    /// The node slots of a way, in order, when the extract holds the way.
    fn way_slots(&self, way: i64) -> Option<&[u32]>;
    /// The position of a node slot, when the extract holds the node.
    fn slot_position(&self, slot: u32) -> Option<(i32, i32)>;
}

/// `type` values of an area relation.
const AREA_TYPES: [&str; 2] = ["boundary", "multipolygon"];
/// The `boundary` value of an administrative boundary.
const ADMINISTRATIVE: [&str; 1] = ["administrative"];

/// The rule choosing candidate relations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoundarySelector {
    /// `admin_level` values to keep, as written in OSM ("8", "6").
    pub admin_levels: Vec<String>,
    /// Keep every multipolygon and boundary relation, whatever its tags.
    pub all_areas: bool,
}

impl BoundarySelector {
    /// Communes: `admin_level=8`.
    pub fn communes() -> Self {
        BoundarySelector {
            admin_levels: vec!["8".into()],
            all_areas: false,
        }
    }

    /// Values of which every candidate carries at least one, whatever its
    /// other tags (see [`BoundarySelector::matches`]): a relation without
    /// any of them is passed over without reading its tags, which most
    /// relations of a country are.
    pub fn necessary_values(&self) -> &'static [&'static str] {
        match self.all_areas {
            true => &AREA_TYPES,
            false => &ADMINISTRATIVE,
        }
    }

    /// True when a relation with these tags is a candidate.
    ///
    /// # Examples
    /// ```
    /// use camcount::candidates::BoundarySelector;
    /// let tags = [("type", "boundary"), ("boundary", "administrative"), ("admin_level", "8")];
    /// assert!(BoundarySelector::communes().matches(|k| tags.iter().find(|t| t.0 == k).map(|t| t.1)));
    /// ```
    pub fn matches<'a>(&self, tag: impl Fn(&str) -> Option<&'a str>) -> bool {
        if !tag("type").is_some_and(|t| AREA_TYPES.contains(&t)) {
            return false;
        }
        if self.all_areas {
            return true;
        }
        tag("boundary").is_some_and(|b| ADMINISTRATIVE.contains(&b))
            && tag("admin_level")
                .is_some_and(|level| self.admin_levels.iter().any(|l| l == level.trim()))
    }

    /// [`BoundarySelector::matches`] on tags borrowed from a block's string
    /// table (a value that is not UTF-8 matches nothing): most relations
    /// with a necessary value are still no candidate (another
    /// `admin_level`), and only a candidate's tags are worth owning.
    pub fn matches_borrowed(&self, tags: &[(&[u8], &[u8])]) -> bool {
        self.matches(|key| {
            (tags.iter())
                .find(|(k, _)| *k == key.as_bytes())
                .and_then(|(_, v)| std::str::from_utf8(v).ok())
        })
    }

    /// [`BoundarySelector::matches`] on owned tags, as a relation read in
    /// full carries them.
    pub fn matches_tags(&self, tags: &[(String, String)]) -> bool {
        self.matches(|key| {
            (tags.iter())
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every candidate, among all tag sets drawn from a vocabulary of the
    /// keys and values `matches` reads, carries a necessary value; and the
    /// owned and borrowed forms choose as `matches` does.
    #[test]
    fn every_candidate_carries_a_necessary_value() {
        let keys = ["type", "boundary", "admin_level"];
        let values = [
            None,
            Some("boundary"),
            Some("multipolygon"),
            Some("administrative"),
            Some("8"),
            Some(" 8 "),
            Some("6"),
        ];
        let selectors = [
            BoundarySelector::communes(),
            BoundarySelector {
                admin_levels: vec!["6".into(), "8".into()],
                all_areas: false,
            },
            BoundarySelector {
                admin_levels: Vec::new(),
                all_areas: true,
            },
        ];
        let mut candidates = 0;
        for selector in &selectors {
            for a in values {
                for b in values {
                    for c in values {
                        let tags: Vec<(&str, &str)> = keys
                            .iter()
                            .zip([a, b, c])
                            .filter_map(|(k, v)| v.map(|v| (*k, v)))
                            .collect();
                        let tag = |key: &str| tags.iter().find(|t| t.0 == key).map(|t| t.1);
                        let owned: Vec<(String, String)> = (tags.iter())
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect();
                        let borrowed: Vec<(&[u8], &[u8])> = (tags.iter())
                            .map(|(k, v)| (k.as_bytes(), v.as_bytes()))
                            .collect();
                        assert_eq!(selector.matches_tags(&owned), selector.matches(tag));
                        assert_eq!(selector.matches_borrowed(&borrowed), selector.matches(tag));
                        if selector.matches(tag) {
                            candidates += 1;
                            let necessary = selector.necessary_values();
                            assert!(
                                tags.iter().any(|(_, v)| necessary.contains(v)),
                                "{tags:?} matches without a necessary value"
                            );
                        }
                    }
                }
            }
        }
        assert!(candidates > 10, "the vocabulary yields candidates");
    }
}
