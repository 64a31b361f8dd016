//! Which relations are boundary candidates.
//!
//! An admin boundary in OSM is a relation tagged `boundary=administrative`
//! and `admin_level=N`, of `type=boundary` (or, in older data,
//! `type=multipolygon`): <https://wiki.openstreetmap.org/wiki/Tag:boundary=administrative>.
//! `--all-areas` takes every `type=multipolygon|boundary` relation instead,
//! for conformance tests and other kinds of area.
//!
//! In: a relation's tags. Out: keep it or not.

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

    /// True when a relation with these tags is a candidate.
    ///
    /// # Examples
    /// ```
    /// use camcount::boundary::select::BoundarySelector;
    /// let tags = [("type", "boundary"), ("boundary", "administrative"), ("admin_level", "8")];
    /// assert!(BoundarySelector::communes().matches(|k| tags.iter().find(|t| t.0 == k).map(|t| t.1)));
    /// ```
    pub fn matches<'a>(&self, tag: impl Fn(&str) -> Option<&'a str>) -> bool {
        if !matches!(tag("type"), Some("boundary" | "multipolygon")) {
            return false;
        }
        if self.all_areas {
            return true;
        }
        tag("boundary") == Some("administrative")
            && tag("admin_level")
                .is_some_and(|level| self.admin_levels.iter().any(|l| l == level.trim()))
    }
}
