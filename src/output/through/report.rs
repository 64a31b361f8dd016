//! The human outputs of counts through time: the HTML page of `history`
//! and `compare` (sources, key sentences, the two charts, the map of the
//! last date, the table), the charts alone as one SVG, and `compare`'s
//! Markdown.
//!
//! Why the count's page skeleton: the same style, sources line and
//! sortable table (from [`crate::output::html`]) make the pages read
//! alike, and there is one table script to keep right. Like the count's
//! page, nothing is loaded from anywhere and the body holds no time of
//! the run.
//!
//! Their text is in the report's [`Lang`]: French with French numbers, as
//! the count's French report, its vocabulary and its dates (ISO days).
//!
//! In: a [`Page`] (or charts, or compare rows), the metadata and the
//! language. Out: bytes.

use std::io::{self, Write};

use crate::boundary::Status;
use crate::history::through::CompareRow;
use crate::output::cell::Table;
use crate::output::chart::{self, Chart};
use crate::output::html::{self, escape};
use crate::output::lang::Lang;
use crate::output::map;
use crate::output::metadata::Metadata;

use super::{cameras, known, Through};

/// What a page is made from.
pub struct Page<'a> {
    pub title: &'a str,
    pub metadata: &'a Metadata,
    /// The sources line, HTML.
    pub sources: String,
    pub sentences: Vec<String>,
    pub charts: Vec<Chart>,
    /// The map of the last date, and what it shows.
    pub map: Option<(map::Map, String)>,
    pub table: Table<'a>,
    /// The language of its text, its charts and its map's notes.
    pub lang: Lang,
}

/// Writes the page.
pub fn write_page<W: Write>(page: &Page<'_>, mut out: W) -> io::Result<()> {
    let l = page.lang;
    html::write_head(&mut out, l, page.title, page.metadata, &page.sources)?;
    html::write_sentences(&mut out, &page.sentences)?;
    writeln!(
        out,
        "<style>figure.chart{{page-break-inside:avoid}}</style>"
    )?;
    for chart in &page.charts {
        writeln!(
            out,
            "<figure class=\"chart\">\n{}</figure>",
            chart::render(chart, None)
        )?;
    }
    if let Some((drawn, caption)) = &page.map {
        writeln!(out, "<h2>{}</h2>", escape(caption))?;
        html::write_map(&mut out, drawn, l)?;
    }
    html::write_table(&mut out, &page.table, l)?;
    html::write_end(&mut out)
}

/// The two snapshots of `compare`, as its outputs name them.
pub struct Snapshots<'a> {
    pub old_input: &'a str,
    pub old_date: &'a str,
    pub new_input: &'a str,
    pub new_date: &'a str,
    /// Cameras of NEW not in OLD, and of OLD not in NEW, whatever their
    /// zone.
    pub added: usize,
    /// Of `added`, the cameras last edited before OLD's data date: not new.
    pub added_before_old: usize,
    /// Of `added`, the cameras beyond OLD's data: OLD cannot hold them,
    /// so they are not known to be new.
    pub added_beyond_old: usize,
    pub removed: usize,
    /// Of `removed`, the cameras beyond NEW's data: NEW cannot
    /// hold them, so they are not known to be gone.
    pub removed_beyond_new: usize,
    /// Zones partly beyond NEW's data: their new count is a floor.
    pub new_partial: usize,
    /// Zones partly beyond OLD's data (their old count is a
    /// floor), and wholly beyond it (not compared).
    pub old_partial: usize,
    pub old_beyond: usize,
    /// The `--boundaries` file both were counted in, else NEW's own zones.
    pub zones_file: Option<&'a str>,
}

/// The older snapshot, for the sources line of `compare`'s page (the
/// metadata is NEW's).
pub fn older_source(s: &Snapshots<'_>, l: Lang) -> String {
    format!(
        "{} {} (<code>{}</code>)",
        l.pick(
            "Older snapshot: OpenStreetMap data",
            "Instantané le plus ancien : données OpenStreetMap"
        ),
        escape(&l.as_of(s.old_date)),
        escape(s.old_input)
    )
}

/// What `compare` says first: the totals, cameras added and removed, and
/// how many communes gained or lost.
pub fn compare_sentences(through: &Through<'_>, s: &Snapshots<'_>, l: Lang) -> Vec<String> {
    let mut sentences = totals_sentences(through, s, l);
    sentences.extend(older_coverage(s, l));
    if s.new_partial > 0 {
        let n = l.count(s.new_partial as u64, ["zone", "zones"], ["zone", "zones"]);
        sentences.push(match l {
            Lang::En => format!(
                "{n} {} partly beyond the data of {}: the count there is a floor (`status` partial).",
                if s.new_partial == 1 { "lies" } else { "lie" },
                s.new_input
            ),
            Lang::Fr => format!(
                "{n} {} en partie hors des données de {} : le compte y est un minimum (`status` partial).",
                if s.new_partial == 1 { "est" } else { "sont" },
                s.new_input
            ),
        });
    }
    sentences
}

/// What the older file does not cover: zones whose old count is a floor
/// or unknown.
fn older_coverage(s: &Snapshots<'_>, l: Lang) -> Option<String> {
    let zones = |n: usize| l.count(n as u64, ["zone", "zones"], ["zone", "zones"]);
    let (partial, beyond) = (zones(s.old_partial), zones(s.old_beyond));
    let (lie, lies_fr) = match s.old_partial + s.old_beyond {
        1 => ("lies", "est"),
        _ => ("lie", "sont"),
    };
    let text = match (s.old_partial, s.old_beyond, l) {
        (0, 0, _) => return None,
        (_, 0, Lang::En) => format!("{partial} {lie} partly beyond the data of {}: the count there is a floor (`status_old` partial).", s.old_input),
        (0, _, Lang::En) => format!("{beyond} {lie} beyond the data of {}: not compared (`status_old` outside_extract).", s.old_input),
        (_, _, Lang::En) => format!("{partial} partly beyond the data of {}, the count there a floor (`status_old` partial); {beyond} beyond it, not compared (outside_extract).", s.old_input),
        (_, 0, Lang::Fr) => format!("{partial} {lies_fr} en partie hors des données de {} : le compte y est un minimum (`status_old` partial).", s.old_input),
        (0, _, Lang::Fr) => format!("{beyond} {lies_fr} hors des données de {} : non comparée(s) (`status_old` outside_extract).", s.old_input),
        (_, _, Lang::Fr) => format!("{partial} en partie hors des données de {}, le compte y est un minimum (`status_old` partial) ; {beyond} hors de ces données, non comparées (outside_extract).", s.old_input),
    };
    Some(text)
}

/// " (…)" after a count of which `n` need a word; nothing when none do.
fn aside(n: usize, l: Lang, en: String, fr: String) -> String {
    asides(l, vec![(n, en, fr)])
}

/// " (…; …)": the words of each part with its `n` above 0, in one aside.
fn asides(l: Lang, parts: Vec<(usize, String, String)>) -> String {
    let said: Vec<String> = (parts.into_iter())
        .filter(|(n, _, _)| *n > 0)
        .map(|(_, en, fr)| match l {
            Lang::En => en,
            Lang::Fr => fr,
        })
        .collect();
    match said.is_empty() {
        true => String::new(),
        false => format!(" ({})", said.join("; ")),
    }
}

fn totals_sentences(through: &Through<'_>, s: &Snapshots<'_>, l: Lang) -> Vec<String> {
    let total = |i: usize| through.totals.get(i).copied().unwrap_or(0);
    let changes: Vec<i64> = through.lines.iter().filter_map(|l| l.change()).collect();
    let zones = |keep: fn(i64) -> bool| {
        let n = changes.iter().filter(|&&c| keep(c)).count() as u64;
        (
            l.count(n, ["zone", "zones"], ["zone", "zones"]),
            l.int(n),
            n < 2,
        )
    };
    let (old, new) = (cameras(total(0), l), l.int(total(1)));
    let (n, one) = (l.int(s.added_before_old as u64), s.added_before_old == 1);
    let (beyond, one_beyond) = (l.int(s.added_beyond_old as u64), s.added_beyond_old == 1);
    let not_new = asides(l, vec![(
        s.added_before_old,
        format!(
            "{n} of them last edited before {}: OSM had {} then, the older file did not, so {} not new",
            s.old_date,
            if one { "it" } else { "them" },
            if one { "it is" } else { "they are" }
        ),
        format!(
            "dont {n} modifiée{} pour la dernière fois avant le {} : OSM {}avait déjà, pas l'ancien fichier, {}",
            if one { "" } else { "s" },
            s.old_date,
            if one { "l'" } else { "les " },
            // "ce n'est donc pas une nouvelle" read "not a piece of news"
            // (found 2026-12-06).
            if one { "elle n'est donc pas nouvelle" } else { "elles ne sont donc pas nouvelles" }
        ),
    ), (
        s.added_beyond_old,
        format!(
            "{beyond} of them beyond the data of {}: not known to be new",
            s.old_input
        ),
        format!(
            "dont {beyond} hors des données de {} : rien ne dit qu'elle{} nouvelle{}",
            s.old_input,
            if one_beyond { " soit" } else { "s soient" },
            if one_beyond { "" } else { "s" }
        ),
    )]);
    let (n, one) = (
        l.int(s.removed_beyond_new as u64),
        s.removed_beyond_new == 1,
    );
    let not_gone = aside(
        s.removed_beyond_new,
        l,
        format!(
            "{n} of them beyond the data of {}: not known to be gone",
            s.new_input
        ),
        format!(
            "dont {n} hors des données de {} : rien ne dit qu'elle{} disparu",
            s.new_input,
            if one { " ait" } else { "s aient" }
        ),
    );
    let (added, removed) = (
        l.count(s.added as u64, ["added"; 2], ["ajoutée", "ajoutées"]) + &not_new,
        l.count(
            s.removed as u64,
            ["removed"; 2],
            ["supprimée", "supprimées"],
        ) + &not_gone,
    );
    let ((gained, _, one_gained), (lost, _, one_lost)) = (zones(|c| c > 0), zones(|c| c < 0));
    let (_, same, one_same) = zones(|c| c == 0);
    let mut sentences = match l {
        Lang::En => vec![
            format!(
                "{old} in {} (OSM data {}) → {new} in {} ({}): {added}, {removed}.",
                s.old_input, l.as_of(s.old_date), s.new_input, l.as_of(s.new_date)
            ),
            format!(
                "{gained} gained cameras, {lost} lost some, {same} kept as many (all counted in {})."
            , s.zones_file.map_or_else(|| "the zones of the newer snapshot".to_string(), |f| format!("the zones of {f}"))),
        ],
        Lang::Fr => {
            let verb = |one: bool| if one { "a" } else { "ont" };
            vec![
                format!(
                    "{old} dans {} (données OSM {}) → {new} dans {} ({}) : {added}, {removed}.",
                    s.old_input, l.as_of(s.old_date), s.new_input, l.as_of(s.new_date)
                ),
                format!(
                    "{gained} {} gagné des caméras, {lost} en {} perdu, {same} en {} autant (toutes comptées dans {}).",
                    verb(one_gained),
                    verb(one_lost),
                    verb(one_same),
                    s.zones_file.map_or_else(|| "les zones de l'instantané le plus récent".to_string(), |f| format!("les zones de {f}"))
                ),
            ]
        }
    };
    // Zones whose boundary could not be built hold cameras neither figure
    // has: Monaco's "22 added" beside "Monaco: +20" never said where the
    // other two were (found 2026-12-06).
    let unbuilt: Vec<String> = (through.lines.iter())
        .filter(|x| !x.status.is_counted() && x.status != Status::OutsideExtract)
        .map(|x| x.label())
        .collect();
    if !unbuilt.is_empty() {
        let n = unbuilt.len();
        let shown = match n > 10 {
            true => format!("{}…", unbuilt[..10].join(", ")),
            false => unbuilt.join(", "),
        };
        sentences.push(match l {
            Lang::En => format!(
                "{} could not be built from the newer file, so their cameras are in no zone's figure: {shown}.",
                l.count(n as u64, ["zone", "zones"], ["zone", "zones"])
            ),
            Lang::Fr => format!(
                "{} pas pu être {} depuis le fichier le plus récent, et leurs caméras ne comptent dans aucune zone : {shown}.",
                match n {
                    1 => "1 zone n'a".to_string(),
                    n => format!("{} zones n'ont", l.int(n as u64)),
                },
                if n == 1 { "construite" } else { "construites" }
            ),
        });
    }
    sentences
}

/// "Beausoleil (06012): 0 → 1 (+1: 1 added, 0 removed)".
pub fn change_sentence(row: &CompareRow, l: Lang) -> String {
    let n = |v: Option<u64>| known(v, l);
    let (added, removed) = match l {
        Lang::En => (
            format!("{} added", n(row.added)),
            format!("{} removed", n(row.removed)),
        ),
        Lang::Fr => {
            let some = |v: Option<u64>, noun: [&str; 2]| {
                v.map_or_else(|| format!("? {}", noun[1]), |v| l.count(v, noun, noun))
            };
            (
                some(row.added, ["ajoutée", "ajoutées"]),
                some(row.removed, ["supprimée", "supprimées"]),
            )
        }
    };
    let name = row
        .name
        .clone()
        .or_else(|| row.reference.clone())
        .unwrap_or_else(|| format!("relation {}", row.osm_id.unwrap_or(0)));
    let label = match (&row.name, &row.reference) {
        (Some(_), Some(code)) => format!("{name} ({code})"),
        _ => name,
    };
    let colon = l.colon();
    // Which count is a floor: "counts are floors" for Monaco's 9 → 29,
    // where only the older file cut it and 29 is exact, read as if the
    // +20 were at least 20, when it is at most 20 (found 2026-12-06).
    let floors = match (
        row.status_old == Status::Partial,
        row.status == Status::Partial,
    ) {
        (true, true) => l.pick(", both counts are floors", ", deux comptes minimaux"),
        (true, false) => l.pick(", the older count a floor", ", ancien compte minimal"),
        (false, true) => l.pick(", the newer count a floor", ", nouveau compte minimal"),
        (false, false) => "",
    };
    // Cap-d'Ail's "+1: 1 added" read as a new camera where OSM had it
    // before the older file was made; one that the older file held in
    // another zone read "in OSM before the older file" where it moved in
    // (both found 2026-12-05).
    let (moved, earlier) = (row.moved_in, row.added_before_old.unwrap_or(0));
    let mut notes = Vec::new();
    if moved > 0 {
        notes.push(match l {
            Lang::En => format!(
                "{} of them moved in: the older file held {} elsewhere",
                l.int(moved),
                if moved == 1 { "it" } else { "them" }
            ),
            Lang::Fr => format!(
                "dont {} {} : l'ancien fichier {} ailleurs",
                l.int(moved),
                if moved == 1 {
                    "déplacée"
                } else {
                    "déplacées"
                },
                if moved == 1 {
                    "la plaçait"
                } else {
                    "les plaçait"
                }
            ),
        });
    }
    if earlier > 0 {
        notes.push(match l {
            Lang::En => format!(
                "{} of them not new: in OSM before the older file",
                l.int(earlier)
            ),
            Lang::Fr => format!(
                "dont {} pas {} : dans OSM avant l'ancien fichier",
                l.int(earlier),
                if earlier == 1 {
                    "nouvelle"
                } else {
                    "nouvelles"
                }
            ),
        });
    }
    let added = match notes.is_empty() {
        true => added,
        false => format!("{added} ({})", notes.join(l.pick("; ", " ; "))),
    };
    format!(
        "{label}{colon} {} → {} ({}{colon} {added}, {removed}{floors})",
        n(row.cameras_old),
        n(row.cameras_new),
        row.change()
            .map_or_else(|| "?".to_string(), |c| l.signed(c)),
    )
}

/// The rows whose cameras changed (added or removed), largest gain first,
/// then by code and name: the same order whatever order they came in.
pub fn changed(rows: &[CompareRow]) -> Vec<&CompareRow> {
    let mut changed: Vec<&CompareRow> = (rows.iter())
        .filter(|r| r.added.unwrap_or(0) + r.removed.unwrap_or(0) > 0)
        .collect();
    changed.sort_by(|a, b| {
        (b.change().cmp(&a.change()))
            .then(a.reference.cmp(&b.reference))
            .then(a.name.cmp(&b.name))
            .then(a.osm_id.cmp(&b.osm_id))
    });
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status_old: Status, status: Status) -> CompareRow {
        CompareRow {
            admin_level: "8".into(),
            osm_id: Some(1),
            reference: None,
            name: Some("Monaco".into()),
            population: None,
            cameras_old: Some(9),
            cameras_new: Some(29),
            added: Some(20),
            removed: Some(0),
            status,
            status_old,
            added_before_old: Some(0),
            moved_in: 0,
            added_ids: Vec::new(),
            removed_ids: Vec::new(),
        }
    }

    /// Regression (2026-12-06): Monaco's 9 → 29, where only the older
    /// file cut the zone, said "counts are floors": the 29 is exact and the
    /// +20 at most 20, not at least.
    #[test]
    fn the_sentence_names_which_count_is_a_floor() {
        let (ok, partial) = (Status::Ok, Status::Partial);
        let sentence = |old, new| change_sentence(&row(old, new), Lang::En);
        assert_eq!(
            sentence(partial, ok),
            "Monaco: 9 → 29 (+20: 20 added, 0 removed, the older count a floor)"
        );
        assert!(sentence(ok, partial).ends_with(", the newer count a floor)"));
        assert!(sentence(partial, partial).ends_with(", both counts are floors)"));
        assert!(sentence(ok, ok).ends_with("0 removed)"));
    }
}
