//! A human report in Markdown, in English or French: sources, totals, the
//! top communes, what towns declare against what OSM maps, rollup
//! sentences, and the communes that could not be counted, with the reason.
//!
//! Why sentences: journalists quote them ("Aveyron: 13 of 285 communes have
//! cameras"), so they are written out in full, with the date and sources at
//! the top, and French numbers in the French report (`1 347`, `0,74`).
//!
//! In: sorted rows, the rollup, the totals and the metadata. Out: Markdown.

pub mod reasons;
mod rows;
mod sentences;
pub mod through;

pub use rows::write_rows;
pub use sentences::{
    declared_sentence, declared_sentences, rollup_sentence, title, totals_sentences,
};

use std::io::{self, Write};

use crate::aggregate::{CommuneRow, RollupRow, Totals};
use crate::boundary::Status;
pub use crate::output::lang::Lang;
use crate::output::metadata::{Metadata, Source, LICENSE, LICENSE_FR};

/// How many communes each "top" list shows.
const TOP: usize = 10;

/// Writes the whole report.
pub fn write_report<W: Write>(
    rows: &[CommuneRow],
    rollup: &[RollupRow],
    totals: &Totals,
    metadata: &Metadata,
    lang: Lang,
    mut out: W,
) -> io::Result<()> {
    let l = lang;
    writeln!(out, "# {}\n", title(rows, l))?;
    write_sources(&mut out, metadata, l)?;
    write_totals(&mut out, totals, l)?;
    // The rankings are of communes only (or of the finest level counted
    // when none is communes), never of départements beside them.
    let shown = crate::aggregate::shown_rows(rows);
    let zones = shown.first().filter(|r| !r.is_commune()).map(|r| match l {
        Lang::En => format!("zones of admin_level {}", r.admin_level),
        Lang::Fr => format!("zones de niveau admin_level {}", r.admin_level),
    });
    let titled = |en: &str, fr: &str| match (&zones, l) {
        (None, Lang::En) => en.replace("{}", "communes"),
        (None, Lang::Fr) => fr.replace("{}", "Communes"),
        (Some(z), Lang::En) => en.replace("{}", z),
        (Some(z), Lang::Fr) => {
            let mut z = z.clone();
            z[..1].make_ascii_uppercase();
            fr.replace("{}", &z)
        }
    };
    write_top(
        &mut out,
        &titled("Top {} by cameras", "{} qui comptent le plus de caméras"),
        &shown,
        |r| r.cameras().map(|c| c as f64),
        l.pick(
            "No commune with cameras.",
            "Aucune commune avec des caméras.",
        ),
        l,
        Ranking::Count,
    )?;
    write_top(
        &mut out,
        &titled(
            "Top {} by cameras per 1,000 inhabitants",
            "{} qui comptent le plus de caméras pour 1 000 habitants",
        ),
        &shown,
        CommuneRow::cameras_per_1000,
        l.pick(
            "No commune with cameras and a known population.",
            "Aucune commune avec des caméras et une population connue.",
        ),
        l,
        Ranking::Rate,
    )?;
    write_declared(&mut out, rows, l)?;
    if !rollup.is_empty() {
        writeln!(out, "## {}\n", l.pick("By group", "Par groupe"))?;
        for group in rollup {
            writeln!(out, "- {}", rollup_sentence(group, l))?;
        }
        writeln!(out)?;
    }
    write_uncounted(&mut out, &shown, l)?;
    out.flush()
}

pub(super) fn write_sources(out: &mut impl Write, m: &Metadata, l: Lang) -> io::Result<()> {
    writeln!(out, "## Sources\n")?;
    let (data, file, licence) = match l {
        Lang::En => (
            "OpenStreetMap data",
            "file",
            format!("{LICENSE}; this report is ODbL too"),
        ),
        Lang::Fr => (
            "Données OpenStreetMap",
            "fichier",
            format!("{LICENSE_FR} ; ce rapport l'est aussi"),
        ),
    };
    writeln!(
        out,
        "- {data} {} ({file} `{}`), {}.",
        l.as_of(&m.data_date.day()),
        m.input,
        m.objects.described(l)
    )?;
    writeln!(out, "- {licence}.")?;
    let colon = l.colon();
    let code = |name: &str| format!("`{name}`");
    if m.boundaries != Source::Unused {
        writeln!(
            out,
            "- {}{colon} {}.",
            l.pick("Boundaries", "Limites"),
            m.boundaries_source(l, code)
        )?;
    }
    if m.population != Source::Unused {
        writeln!(
            out,
            "- {}{colon} {}.",
            l.pick("Population", "Population"),
            m.population_source(l, code)
        )?;
    }
    if let Some(declared) = &m.declared {
        writeln!(
            out,
            "- {}{colon} `{declared}`.",
            l.pick("Declared counts", "Nombres déclarés")
        )?;
    }
    for note in &m.notes {
        writeln!(out, "- {}{colon} {}", l.pick("Note", "Note"), note.text(l))?;
    }
    writeln!(
        out,
        "- {} {}.\n",
        l.pick("Made with", "Produit avec"),
        Metadata::generator()
    )
}

fn write_totals(out: &mut impl Write, t: &Totals, l: Lang) -> io::Result<()> {
    writeln!(out, "## {}\n", l.pick("Totals", "Totaux"))?;
    for line in totals_sentences(t, l) {
        writeln!(out, "- {line}")?;
    }
    writeln!(out)
}

fn label(row: &CommuneRow) -> String {
    let name = row.name.as_deref().unwrap_or("(no name)");
    match &row.reference {
        Some(code) => format!("{} ({code})", escape(name)),
        None => escape(name),
    }
}

/// A cell's text inside a table: a line break as a space, `|` and every
/// other character Markdown would read as markup escaped: a camera tagged
/// `camera:mount=<script>…` or `**bold** [l](http://x)` rendered as HTML
/// or a link, and `x\|y` lost a backslash (found 2026-12-05).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => escaped.push(' '),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' => {
                escaped.push('\\');
                escaped.push(c);
            }
            _ => escaped.push(c),
        }
    }
    escaped
}

/// What a top table ranks by: a count, or a rate per inhabitant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ranking {
    Count,
    Rate,
}

/// Below this population one camera moves the rate by more than one per
/// 1,000 inhabitants.
const SMALL_COMMUNE: u64 = 1_000;

fn write_top(
    out: &mut impl Write,
    title: &str,
    rows: &[&CommuneRow],
    key: impl Fn(&CommuneRow) -> Option<f64>,
    empty: &str,
    l: Lang,
    ranking: Ranking,
) -> io::Result<()> {
    let mut ranked: Vec<(&CommuneRow, f64)> = rows
        .iter()
        .filter_map(|&r| key(r).filter(|&v| v > 0.0).map(|v| (r, v)))
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.reference.cmp(&b.0.reference)));
    writeln!(out, "## {title}\n")?;
    if ranked.is_empty() {
        return writeln!(out, "{empty}\n");
    }
    let noun = match rows.first().is_none_or(|r| r.is_commune()) {
        true => "Commune",
        false => "Zone",
    };
    match l {
        Lang::En => writeln!(out, "| {noun} | Cameras | Population | Per 1,000 inhabitants | Inhabitants per camera | Per km² |")?,
        Lang::Fr => writeln!(out, "| {noun} | Caméras | Population | Pour 1 000 habitants | Habitants par caméra | Par km² |")?,
    }
    writeln!(out, "|---|---:|---:|---:|---:|---:|")?;
    // Ties past the last row shown were cut without a word: Nice and
    // Tende, with as many cameras as Grasse, were not "top" (found
    // 2026-12-05).
    let tied_beyond = match ranked.get(TOP - 1) {
        Some(&(_, last)) => (ranked[TOP..].iter())
            .take_while(|(_, v)| *v == last)
            .count(),
        None => 0,
    };
    let last_shown = ranked.get(TOP - 1).map(|&(_, v)| v);
    let top: Vec<&CommuneRow> = ranked.into_iter().take(TOP).map(|(r, _)| r).collect();
    for &row in &top {
        // A partial commune's count is a floor, its inhabitants per camera
        // a ceiling: the extract holds only part of it.
        let (at_least, at_most) = match row.status == Status::Partial {
            true => ("≥ ", "≤ "),
            false => ("", ""),
        };
        let opt = |v: Option<f64>, d: usize, bound: &str| {
            v.map_or(String::new(), |v| format!("{bound}{}", l.dec(v, d)))
        };
        writeln!(
            out,
            "| {} | {at_least}{} | {} | {} | {} | {} |",
            label(row),
            l.int(row.cameras().unwrap_or(0)),
            row.population.map_or(String::new(), |p| l.int(p)),
            opt(row.cameras_per_1000(), 2, at_least),
            opt(row.inhabitants_per_camera(), 0, at_most),
            opt(row.cameras_per_km2(), 2, at_least),
        )?;
    }
    if let (true, Some(value)) = (tied_beyond > 0, last_shown) {
        let value = l.dec(value, if value.fract() == 0.0 { 0 } else { 4 });
        let n = tied_beyond;
        writeln!(
            out,
            "\n{}",
            match l {
                Lang::En => format!(
                    "{n} more {} as many as the last row ({value}) and {} not shown: ties are listed by code.",
                    if n == 1 { "has" } else { "have" },
                    if n == 1 { "is" } else { "are" },
                ),
                Lang::Fr => format!(
                    "{n} {} autant que la dernière ligne ({value}) et {} pas {} : les ex æquo sont rangés par code.",
                    if n == 1 { "autre en a" } else { "autres en ont" },
                    if n == 1 { "n'est" } else { "ne sont" },
                    if n == 1 { "montrée" } else { "montrées" },
                ),
            }
        )?;
    }
    // The national ranking per 1,000 was led by Rochefourchat, 2 cameras
    // for 2 inhabitants ("1000.00"), and nine more villages of 2 to 27,
    // without a word (found 2026-12-06).
    let small = (top.iter())
        .filter(|r| r.population.is_some_and(|p| p < SMALL_COMMUNE))
        .count();
    if ranking == Ranking::Rate && small > 0 {
        let k = top.len();
        writeln!(
            out,
            "\n{}",
            match l {
                Lang::En => format!(
                    "{small} of these {k} {} under 1,000 inhabitants: there one camera moves the rate by more than 1 per 1,000, so small communes lead a ranking by rate.",
                    if small == 1 { "has" } else { "have" }
                ),
                Lang::Fr => format!(
                    "{small} de ces {k} {} moins de 1 000 habitants : une caméra y change le taux de plus de 1 pour 1 000, et les petites communes mènent un classement par taux.",
                    if small == 1 { "a" } else { "ont" }
                ),
            }
        )?;
    }
    if top.iter().any(|r| r.status == Status::Partial) {
        writeln!(
            out,
            "\n{}",
            l.pick(
                "≥, ≤: the extract holds only part of the commune (status `partial`), so its count is a floor.",
                "≥, ≤ : l'extrait ne couvre qu'une partie de la commune (statut `partial`), son compte est un minimum.",
            )
        )?;
    }
    writeln!(out)
}

fn write_declared(out: &mut impl Write, rows: &[CommuneRow], l: Lang) -> io::Result<()> {
    let sentences = declared_sentences(rows, l);
    if sentences.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "## {}\n",
        l.pick("What towns declare", "Ce que déclarent les communes")
    )?;
    for sentence in sentences {
        writeln!(out, "- {sentence}")?;
    }
    writeln!(out)
}

fn write_uncounted(out: &mut impl Write, rows: &[&CommuneRow], l: Lang) -> io::Result<()> {
    let uncounted: Vec<&CommuneRow> = (rows.iter().copied())
        .filter(|r| !r.status.is_counted())
        .collect();
    let partial: Vec<&CommuneRow> = (rows.iter().copied())
        .filter(|r| r.status == Status::Partial)
        .collect();
    let outside = |r: &&&CommuneRow| r.status == Status::OutsideExtract;
    let beyond = uncounted.iter().filter(outside).count();
    if !uncounted.is_empty() {
        let title = l.pick(
            "## Communes that could not be counted",
            "## Communes qui n'ont pas pu être comptées",
        );
        writeln!(out, "{title}\n")?;
        if beyond < uncounted.len() {
            let text = l.pick(
                "Their boundaries could not be built from the extract, so cameras inside them count as outside every commune.",
                "Leurs limites n'ont pas pu être construites depuis l'extrait : les caméras qui s'y trouvent sont comptées hors de toute commune.",
            );
            writeln!(out, "{text}\n")?;
        }
        let (beyond_rows, others): (Vec<&CommuneRow>, Vec<&CommuneRow>) = uncounted
            .iter()
            .partition(|r| r.status == Status::OutsideExtract);
        if !others.is_empty() {
            status_table(out, &others, l)?;
        }
        if beyond > 0 {
            let text = match l {
                Lang::En => format!("{} communes lie beyond the extract (status `outside_extract`): the file holds no data there, so their cameras are unknown, not zero:", l.int(beyond as u64)),
                Lang::Fr => format!("{} communes sont hors de l'extrait (statut `outside_extract`) : le fichier n'a aucune donnée à cet endroit, leurs caméras sont inconnues, pas nulles :", l.int(beyond as u64)),
            };
            let names: Vec<String> = beyond_rows.iter().map(|r| label(r)).collect();
            writeln!(out, "{text} {}.\n", names.join(", "))?;
        }
    }
    if !partial.is_empty() {
        let (title, text) = match l {
            Lang::En => ("## Communes only partly in the extract", "Part of each lies beyond the extract, where the file holds no data: their counts are floors."),
            Lang::Fr => ("## Communes en partie hors de l'extrait", "Une partie de chacune est hors de l'extrait, où le fichier n'a aucune donnée : leurs comptes sont des minimums."),
        };
        writeln!(out, "{title}\n\n{text}\n")?;
        status_table(out, &partial, l)?;
    }
    Ok(())
}

fn status_table(out: &mut impl Write, rows: &[&CommuneRow], l: Lang) -> io::Result<()> {
    let header = l.pick(
        "| Commune | Status | Reason |",
        "| Commune | Statut | Raison |",
    );
    writeln!(out, "{header}\n|---|---|---|")?;
    for row in rows {
        writeln!(
            out,
            "| {} | {} | {} |",
            label(row),
            row.status,
            escape(&match l {
                Lang::En => std::borrow::Cow::Borrowed(row.reason.as_str()),
                Lang::Fr => reasons::in_french(&row.reason),
            })
        )?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_text_is_escaped_as_markdown() {
        assert_eq!(
            escape("<script>**b** [l](h) x\\|y\nz"),
            "\\<script\\>\\*\\*b\\*\\* \\[l\\](h) x\\\\\\|y z"
        );
        assert_eq!(escape("Val-d'Écume (99004)"), "Val-d'Écume (99004)");
    }

    /// Regression (2026-12-05): twelve communes of one camera each; the
    /// table shows ten, and says that two more have as many.
    #[test]
    fn ties_past_the_top_rows_are_said() {
        let rows: Vec<CommuneRow> = (0..12)
            .map(|i| CommuneRow {
                admin_level: "8".into(),
                osm_id: Some(i),
                reference: Some(format!("060{i:02}")),
                name: Some(format!("C{i}")),
                population: None,
                population_source: None,
                area_km2: None,
                counts: Some(crate::aggregate::CameraCounts {
                    total: 1,
                    ..Default::default()
                }),
                status: Status::Ok,
                reason: String::new(),
                zone: i as usize,
                declared: None,
            })
            .collect();
        let shown: Vec<&CommuneRow> = rows.iter().collect();
        let mut out = Vec::new();
        let cameras = |r: &CommuneRow| r.cameras().map(|c| c as f64);
        write_top(
            &mut out,
            "Top",
            &shown,
            cameras,
            "none",
            Lang::En,
            Ranking::Count,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches(" (060").count(), 10, "{text}");
        assert!(
            text.contains("2 more have as many as the last row (1) and are not shown: ties are listed by code."),
            "{text}"
        );
        let mut out = Vec::new();
        write_top(
            &mut out,
            "Top",
            &shown[..10],
            cameras,
            "none",
            Lang::En,
            Ranking::Count,
        )
        .unwrap();
        assert!(!String::from_utf8(out).unwrap().contains("more have"));
    }

    fn group(communes: u64, with: u64, unknown: u64) -> RollupRow {
        RollupRow {
            group: "75".into(),
            name: Some("Paris".into()),
            communes,
            communes_with_cameras: with,
            communes_unknown: unknown,
            ..RollupRow::default()
        }
    }

    /// Regression (2026-12-05): "Paris : 1 communes sur 1 ont des caméras"
    /// and "1 of 1 communes have cameras" went into articles as written.
    #[test]
    fn rollup_sentences_agree_in_number() {
        let cases = [
            ((1, 1, 0), Lang::En, "Paris: 1 of 1 commune has cameras"),
            ((1, 1, 0), Lang::Fr, "Paris : 1 commune sur 1 a des caméras"),
            ((285, 13, 0), Lang::En, "Paris: 13 of 285 communes have cameras"),
            ((285, 13, 0), Lang::Fr, "Paris : 13 communes sur 285 ont des caméras"),
            ((285, 0, 0), Lang::Fr, "Paris : 0 commune sur 285 a des caméras"),
            ((285, 0, 0), Lang::En, "Paris: 0 of 285 communes have cameras"),
            (
                (3, 0, 2),
                Lang::En,
                "Paris: 0 of the 1 commune counted has cameras (2 more could not be counted)",
            ),
            (
                (104, 0, 1),
                Lang::En,
                "Paris: 0 of the 103 communes counted have cameras (1 more could not be counted)",
            ),
            (
                (3, 1, 2),
                Lang::En,
                "Paris: 1 of the 1 commune counted has cameras (2 more could not be counted)",
            ),
            (
                (3, 1, 2),
                Lang::Fr,
                "Paris : 1 commune sur la 1 comptée a des caméras (2 autres n'ont pas pu être comptées)",
            ),
            ((1, 0, 1), Lang::En, "Paris: its 1 commune could not be counted"),
            ((1, 0, 1), Lang::Fr, "Paris : sa commune n'a pas pu être comptée"),
        ];
        for ((communes, with, unknown), l, expected) in cases {
            let sentence = rollup_sentence(&group(communes, with, unknown), l);
            assert_eq!(sentence, expected);
        }
    }
}
