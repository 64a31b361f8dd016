//! The Markdown reports of counts through time: `history` (totals per
//! date, a sentence per zone with cameras, the rollup through time) and
//! `compare` (totals old → new, a sentence per zone that changed).
//!
//! Why beside the count's report: one file per format; the sentences
//! themselves are made in [`crate::output::through`], shared with the
//! pages.
//!
//! In: the rows and sentences of a count through time. Out: Markdown.

use std::io::{self, Write};

use crate::aggregate::RollupRow;
use crate::history::through::CompareRow;
use crate::output::history_rows::{sources_tail, title, DateTotals, HistorySources};
use crate::output::lang::Lang;
use crate::output::metadata::Metadata;
use crate::output::through::report::{change_sentence, changed, compare_sentences, Snapshots};
use crate::output::through::{rollup_sentences, totals_sentences, Through};

/// The Markdown report: sources, totals per date, then one sentence per
/// zone that had a camera at some date:
/// "Monaco: 0 (2019-01-01) → 11 (2021-04-22) → 32 (2026-07-11)", then the
/// rollup through time when there is one.
pub fn write_history<W: Write>(
    through: &Through<'_>,
    totals: &[DateTotals],
    rollup: &[(String, &RollupRow)],
    sources: &HistorySources<'_>,
    l: Lang,
    mut out: W,
) -> io::Result<()> {
    let m = sources.metadata;
    writeln!(out, "# {}\n", title(l))?;
    let n = sources.dates.len() as u64;
    let (dates, zones) = (sources.dates.join(", "), sources.zones.sentence(l));
    match l {
        // "at 1 dates" (found 2026-12-07).
        Lang::En => writeln!(
            out,
            "Counted from {} at {}: {dates}. {zones}\n",
            m.input,
            l.count(n, ["date", "dates"], ["date", "dates"])
        )?,
        Lang::Fr => writeln!(
            out,
            "Caméras comptées dans {} à {} : {dates}. {zones}\n",
            m.input,
            l.count(n, ["date", "dates"], ["date", "dates"])
        )?,
    }
    writeln!(out, "## {}\n", l.pick("Totals", "Totaux"))?;
    for sentence in totals_sentences(totals, l) {
        writeln!(out, "- {sentence}")?;
    }
    writeln!(
        out,
        "\n## {}\n",
        l.pick("Zones with cameras", "Zones avec des caméras")
    )?;
    let mut any = false;
    let levels = through.several_levels();
    for line in &through.lines {
        if !line.cameras.iter().any(|c| c.is_some_and(|n| n > 0)) {
            continue;
        }
        any = true;
        writeln!(out, "- {}", through.sentence(line, levels, l))?;
    }
    if !any {
        writeln!(out, "{}", no_camera_sentence(through, l))?;
    }
    if !rollup.is_empty() {
        let heading = l.pick("By group through time", "Par groupe au fil du temps");
        writeln!(out, "\n## {heading}\n")?;
        for sentence in rollup_sentences(rollup, l) {
            writeln!(out, "- {sentence}")?;
        }
    }
    writeln!(
        out,
        "\n## Sources\n\n- {}{} {} ({} {})\n{}",
        l.pick("Input", "Fichier"),
        l.colon(),
        m.input,
        l.pick("OSM data", "données OSM"),
        l.as_of(&m.data_date.day()),
        sources_tail(m, l)
    )?;
    out.flush()
}

/// Why no zone has a sentence. When none could be counted at any date,
/// "No zone held a camera" read as Monaco having none, where its 5
/// communes could not be built (found 2026-12-05): they are named, with
/// their status.
fn no_camera_sentence(through: &Through<'_>, l: Lang) -> String {
    let never_counted = (through.lines.iter()).all(|line| line.cameras.iter().all(Option::is_none));
    if !never_counted || through.lines.is_empty() {
        let none = l.pick(
            "No zone held a camera at any of these dates.",
            "Aucune zone n'avait de caméra à ces dates.",
        );
        return none.to_string();
    }
    const SHOWN: usize = 10;
    let mut names: Vec<String> = (through.lines.iter().take(SHOWN))
        .map(|line| format!("{} ({})", line.name(), line.status.as_str()))
        .collect();
    let more = through.lines.len().saturating_sub(SHOWN);
    if more > 0 {
        names.push(match l {
            Lang::En => format!("{more} more"),
            Lang::Fr => format!("{more} autres"),
        });
    }
    let n = through.lines.len();
    match l {
        Lang::En => format!(
            "No zone could be counted at any of these dates, so nothing is known of their cameras: {} {}: {}.",
            n,
            if n == 1 { "zone" } else { "zones" },
            names.join(", ")
        ),
        Lang::Fr => format!(
            "Aucune zone n'a pu être comptée à ces dates ; leurs caméras sont inconnues : {} {} : {}.",
            n,
            if n == 1 { "zone" } else { "zones" },
            names.join(", ")
        ),
    }
}

/// `compare`'s Markdown: the totals, then a sentence per zone whose
/// cameras changed, then the sources.
pub fn write_compare<W: Write>(
    rows: &[CompareRow],
    through: &Through<'_>,
    s: &Snapshots<'_>,
    m: &Metadata,
    l: Lang,
    mut out: W,
) -> io::Result<()> {
    let title = l.pick("Surveillance cameras", "Caméras de surveillance");
    let colon = l.colon();
    writeln!(
        out,
        "# {title}{colon} {} → {}\n",
        l.day(s.old_date),
        l.day(s.new_date)
    )?;
    writeln!(out, "## {}\n", l.pick("Totals", "Totaux"))?;
    for sentence in compare_sentences(through, s, l) {
        writeln!(out, "- {sentence}")?;
    }
    let heading = l.pick(
        "Zones whose cameras changed",
        "Zones dont les caméras ont changé",
    );
    writeln!(out, "\n## {heading}\n")?;
    let changed = changed(rows);
    for row in &changed {
        writeln!(out, "- {}", change_sentence(row, l))?;
    }
    if changed.is_empty() {
        let none = l.pick(
            "No zone gained or lost a camera.",
            "Aucune zone n'a gagné ni perdu de caméra.",
        );
        writeln!(out, "{none}")?;
    }
    let (older, newer, as_of, own) = match l {
        Lang::En => (
            "Older snapshot",
            "Newer snapshot",
            "OSM data",
            "; zones are its own",
        ),
        Lang::Fr => (
            "Instantané le plus ancien",
            "Instantané le plus récent",
            "données OSM",
            " ; les zones sont les siennes",
        ),
    };
    writeln!(
        out,
        "\n## Sources\n\n- {older}{colon} {} ({as_of} {})\n- {newer}{colon} {} ({as_of} {}){}\n{}",
        s.old_input,
        l.as_of(s.old_date),
        s.new_input,
        l.as_of(s.new_date),
        if s.zones_file.is_none() { own } else { "" },
        sources_tail(m, l)
    )?;
    out.flush()
}
