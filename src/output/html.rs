//! A self-contained HTML report: title and sources, the key sentences,
//! the choropleth map, and the commune table, sortable by a click and
//! shown a page of 500 rows at a time (or all).
//!
//! Why one file with nothing outside it: a journalist opens it from disk,
//! mails it, prints it; it must load no font, tile, script or style from
//! anywhere. CSS, SVG and a few lines of script are inline. The body holds
//! no time of the run, and rows keep the table's order, so the same input
//! gives the same bytes. The print stylesheet puts the map and the key
//! sentences on the first page.
//!
//! In: the count's rows, rollup, totals, zones, cameras and metadata. Out:
//! one HTML document.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::aggregate::{CommuneRow, RollupRow, Totals};
use crate::camera::Camera;
use crate::output::cell::{Cell, Table};
use crate::output::csv::DATE_COLUMN;
use crate::output::lang::Lang;
use crate::output::map::{self, MapOptions};
use crate::output::markdown::{declared_sentences, rollup_sentence, totals_sentences};
use crate::output::metadata::{Metadata, Source, LICENSE, LICENSE_FR};
use crate::zone::Zone;

/// What the page is made from.
pub struct Report<'a> {
    pub rows: &'a [CommuneRow],
    pub rollup: &'a [RollupRow],
    pub totals: &'a Totals,
    pub zones: &'a [Zone],
    pub cameras: &'a [Camera],
    pub metadata: &'a Metadata,
}

/// Text for HTML and SVG: markup escaped, and the control characters XML
/// forbids dropped. A name holding U+0001 (a third-party GeoJSON's) made
/// the standalone SVG map ill-formed, and a viewer drew it without its
/// legend or date (found 2026-12-06).
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if c.is_control() && (c as u32) < 0x20 => {}
            c => escaped.push(c),
        }
    }
    escaped
}

const STYLE: &str = "\
body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}
.sources{color:#555;font-size:.9em}
figure{margin:1em 0}
figure svg{max-width:100%;height:auto}
.note{color:#555;font-size:.9em}
table{border-collapse:collapse;font-size:.8em;width:100%}
th,td{border:1px solid #ddd;padding:2px 4px;text-align:right;white-space:nowrap}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}
th[aria-sort=ascending]::after{content:' ▲'}
th[aria-sort=descending]::after{content:' ▼'}
@media print{body{max-width:none;display:flex;flex-direction:column}header{order:-2}\
figure.map{order:-1;break-inside:avoid}figure.map svg{max-height:150mm;width:auto}\
.table{break-before:page;page:wide}th{position:static;overflow-wrap:anywhere;white-space:normal;min-width:3.5em}\
table{font-size:5.5pt}th,td{padding:1px}}
@page wide{size:A4 landscape}
";

/// Draws the table from the rows' data, a page at a time (a browser that
/// lays out a national table of static rows keeps the reader waiting; a
/// page of 500 opens at once), and sorts it by a clicked column: numbers as numbers,
/// the columns marked `data-text` (names, codes) as text, empty cells last,
/// a second click reverses. A printed page holds every row: the page of
/// 500 on screen was all a PDF of 891 communes held, without a word
/// (found 2026-12-06), so printing draws them all, and the screen's page
/// comes back after.
const SCRIPT: &str = "\
(function(){
var rows=JSON.parse(document.getElementById('rows').textContent);
var t=document.getElementById('communes'),b=t.tBodies[0],hs=t.tHead.rows[0].cells;
var size=500,page=0,all=false,pager=document.getElementById('pager');
function esc(s){return s.replace(/&/g,'&amp;').replace(/</g,'&lt;')}
function draw(){var n=rows.length,from=all?0:page*size,to=all?n:Math.min(n,from+size),h=[];
 for(var i=from;i<to;i++){h.push('<tr><td>'+rows[i].map(esc).join('<td>'))}
 b.innerHTML=h.join('');
 document.getElementById('shown').textContent=(n?from+1:0)+'-'+to+' / '+n;}
function key(s,text){if(s==='')return null;if(text)return s;var n=Number(s.replace(',','.'));return isNaN(n)?s:n}
Array.prototype.forEach.call(hs,function(h,i){h.addEventListener('click',function(){
 var asc=h.getAttribute('aria-sort')!=='ascending';
 Array.prototype.forEach.call(hs,function(o){o.removeAttribute('aria-sort')});
 h.setAttribute('aria-sort',asc?'ascending':'descending');
 rows.sort(function(a,c){var text=h.hasAttribute('data-text'),x=key(a[i],text),y=key(c[i],text);if(x===null)return y===null?0:1;if(y===null)return -1;
  var r=(typeof x===typeof y)?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1);return asc?r:-r});
 page=0;draw();})});
document.getElementById('prev').onclick=function(){if(page>0){page--;draw()}};
document.getElementById('next').onclick=function(){if((page+1)*size<rows.length){page++;draw()}};
document.getElementById('all').onclick=function(){all=!all;draw()};
if(rows.length<=size)pager.style.display='none';
var shown=null;
window.addEventListener('beforeprint',function(){if(!all){shown=page;all=true;draw()}});
window.addEventListener('afterprint',function(){if(shown!==null){all=false;page=shown;shown=null;draw()}});
draw();
})();
";

/// Writes the page.
pub fn write<W: Write>(report: &Report<'_>, options: &MapOptions, mut out: W) -> io::Result<()> {
    let l = options.lang;
    let m = report.metadata;
    let title = crate::output::markdown::title(report.rows, l);
    write_head(&mut out, l, &title, m, &sources_line(m, l))?;
    let mut sentences = totals_sentences(report.totals, l);
    sentences.extend(report.rollup.iter().map(|g| rollup_sentence(g, l)));
    sentences.extend(declared_sentences(report.rows, l));
    write_sentences(&mut out, &sentences)?;
    let drawn = map::render(
        report.rows,
        report.zones,
        report.cameras,
        options,
        &map::credit(m, l),
    );
    write_map(&mut out, &drawn, l)?;
    let date = m.data_date.day();
    write_table(
        &mut out,
        &Table::of(report.rows).with_date(DATE_COLUMN, &date),
        l,
    )?;
    write_end(&mut out)
}

/// The page up to its key sentences: the document head with the inline
/// style, the title, and the sources line (HTML).
pub fn write_head(
    out: &mut impl Write,
    l: Lang,
    title: &str,
    m: &Metadata,
    sources: &str,
) -> io::Result<()> {
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>",
        l.pick("en", "fr"),
        escape(title),
        escape(&format!(
            "{} {}",
            l.pick("OSM data", "données OSM"),
            l.as_of(&m.data_date.day())
        )),
    )?;
    writeln!(out, "<header><h1>{}</h1>", escape(title))?;
    writeln!(out, "<p class=\"sources\">{sources}</p>")?;
    if !m.notes.is_empty() {
        writeln!(out, "<ul class=\"notes\">")?;
        for note in &m.notes {
            let label = l.pick("Note", "Note");
            writeln!(
                out,
                "<li>{label}{} {}</li>",
                l.colon(),
                escape(note.text(l))
            )?;
        }
        writeln!(out, "</ul>")?;
    }
    writeln!(out, "</header>")
}

/// The key sentences, as a list.
pub fn write_sentences(out: &mut impl Write, sentences: &[String]) -> io::Result<()> {
    writeln!(out, "<section class=\"key\"><ul>")?;
    for sentence in sentences {
        writeln!(out, "<li>{}</li>", code_spans(&escape(sentence)))?;
    }
    writeln!(out, "</ul></section>")
}

/// Markdown's `code` spans of a sentence shared with the Markdown report
/// as `<code>`: the page read "(`status_old` partial)" (found
/// 2026-12-05). A lone backtick stays as it is.
fn code_spans(escaped: &str) -> String {
    let parts: Vec<&str> = escaped.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escaped.to_string();
    }
    let mut html = String::with_capacity(escaped.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            html.push_str("<code>");
            html.push_str(part);
            html.push_str("</code>");
        } else {
            html.push_str(part);
        }
    }
    html
}

/// The map, with a note naming what is not on it.
pub fn write_map(out: &mut impl Write, drawn: &map::Map, l: Lang) -> io::Result<()> {
    writeln!(out, "<figure class=\"map\">\n{}", drawn.svg)?;
    let notes = [
        (
            &drawn.notes.unbuilt,
            [
                l.pick(
                    "could not be built from the extract and is not on the map",
                    "n'a pas pu être construite depuis l'extrait et n'est pas sur la carte",
                ),
                l.pick(
                    "could not be built from the extract and are not on the map",
                    "n'ont pas pu être construites depuis l'extrait et ne sont pas sur la carte",
                ),
            ],
            drawn.notes.unbuilt.join(", "),
        ),
        (
            &drawn.notes.far,
            [
                l.pick(
                    "lies far from the rest and is left off the map (it is in the table)",
                    "est loin des autres et n'est pas sur la carte (elle est dans le tableau)",
                ),
                l.pick(
                    "lie far from the rest and are left off the map (they are in the table)",
                    "sont loin des autres et ne sont pas sur la carte (elles sont dans le tableau)",
                ),
            ],
            map::far_summary(&drawn.notes.far),
        ),
    ];
    for (listed, [one, many], names) in notes.iter().filter(|(listed, ..)| !listed.is_empty()) {
        let n = listed.len();
        writeln!(
            out,
            "<p class=\"note\">{} {} {}: {}</p>",
            l.int(n as u64),
            drawn.notes.noun(n),
            if n == 1 { one } else { many },
            escape(names)
        )?;
    }
    writeln!(out, "</figure>")
}

/// The table's script, and the end of the page.
pub fn write_end(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>")?;
    out.flush()
}

/// Where the figures come from, as HTML: data date and input, licence,
/// boundary and population files, declared counts, generator.
pub fn sources_line(m: &Metadata, l: Lang) -> String {
    let mut parts = vec![
        format!(
            "{} {} (<code>{}</code>)",
            l.pick("OpenStreetMap data", "Données OpenStreetMap"),
            escape(&l.as_of(&m.data_date.day())),
            escape(&m.input)
        ),
        escape(l.pick(LICENSE, LICENSE_FR)),
    ];
    let file_or = |value: &Source, osm: &str| match value {
        Source::Osm => osm.to_string(),
        Source::None | Source::Unused => l.pick("none", "aucune").to_string(),
        Source::File(file) => format!("<code>{}</code>", escape(file)),
    };
    parts.push(format!(
        "{}: {}",
        l.pick("Boundaries", "Limites"),
        file_or(&m.boundaries, "OpenStreetMap")
    ));
    parts.push(format!(
        "{}: {}",
        l.pick("Population", "Population"),
        file_or(&m.population, "OpenStreetMap")
    ));
    if let Some(declared) = &m.declared {
        parts.push(format!(
            "{}: <code>{}</code>",
            l.pick("Declared counts", "Nombres déclarés"),
            escape(declared)
        ));
    }
    parts.push(escape(Metadata::generator()));
    parts.join(" · ")
}

/// The table with the CSV's columns: a header, and the rows as data (the
/// CSV's text of each cell) that the page's script draws. Columns holding text
/// are left-aligned by one CSS rule.
/// The commune table, sortable; its decimals written as the page's
/// language writes them: the French page's tooltips read "2,1442" and its
/// table "2.1442" (found 2026-12-05).
pub fn write_table(out: &mut impl Write, table: &Table<'_>, l: Lang) -> io::Result<()> {
    let mut text_columns = vec![false; table.columns.len()];
    // Columns of words (names, reasons) wrap on paper; codes, figures and
    // dates stay whole ("2026-" above "07-10" read as two values).
    let mut prose_columns = vec![false; table.columns.len()];
    for cells in &table.rows {
        for (i, cell) in cells.iter().enumerate() {
            text_columns[i] |= matches!(cell, Cell::Text(_) | Cell::Code(_) | Cell::Date(_));
            prose_columns[i] |= matches!(cell, Cell::Text(t) if t.contains(' '));
        }
    }
    let prose: Vec<String> = (prose_columns.iter().enumerate())
        .filter(|(_, prose)| **prose)
        .map(|(i, _)| format!("#communes td:nth-child({})", i + 1))
        .collect();
    if !prose.is_empty() {
        writeln!(
            out,
            "<style>@media print{{{}{{white-space:normal;min-width:12em}}}}</style>",
            prose.join(",")
        )?;
    }
    let selectors: Vec<String> = (text_columns.iter().enumerate())
        .filter(|(_, text)| **text)
        .map(|(i, _)| {
            format!(
                "#communes td:nth-child({0}),#communes th:nth-child({0})",
                i + 1
            )
        })
        .collect();
    writeln!(
        out,
        "<style>{}{{text-align:left}}</style>",
        selectors.join(",")
    )?;
    writeln!(
        out,
        "<section class=\"table\"><p id=\"pager\"><button id=\"prev\">&lt;</button> \
         <span id=\"shown\"></span> <button id=\"next\">&gt;</button> <button id=\"all\">all / pages</button></p>\n\
         <table class=\"sortable\" id=\"communes\"><thead><tr>"
    )?;
    // A text column (names, codes such as 06012, 2A004 or 75056) sorts as
    // text throughout: sorting each cell by how it looks put 75056 before
    // 01001.
    for (column, text) in table.columns.iter().zip(&text_columns) {
        let kind = if *text { " data-text" } else { "" };
        write!(out, "<th{kind}>{}", escape(column))?;
    }
    writeln!(out, "</tr></thead><tbody></tbody></table></section>")?;
    // JSON holds no `<` outside strings; escaped inside them, no text can
    // close the script element. One row a line, so that the page reads
    // (and diffs) as a table does; a national table's rows are written in
    // parallel, in order.
    let lines: Vec<String> = table
        .rows
        .par_iter()
        .map(|cells| {
            let texts: Vec<_> = (cells.iter())
                .map(|cell| match (cell, l) {
                    (Cell::Decimal(..), Lang::Fr) => cell.to_text().replace('.', ",").into(),
                    _ => cell.to_text(),
                })
                .collect();
            serde_json::to_string(&texts).map(|j| j.replace('<', "\\u003c"))
        })
        .collect::<Result<_, _>>()
        .map_err(io::Error::other)?;
    writeln!(
        out,
        "<script type=\"application/json\" id=\"rows\">[\n{}\n]</script>",
        lines.join(",\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_holds_no_control_character_xml_forbids() {
        assert_eq!(
            escape("a\u{1}b\u{b}c\t<d> & \"e\""),
            "abc\t&lt;d&gt; &amp; &quot;e&quot;"
        );
    }

    #[test]
    fn code_spans_become_code_and_a_lone_backtick_stays() {
        assert_eq!(
            code_spans("a floor (`status_old` partial)"),
            "a floor (<code>status_old</code> partial)"
        );
        assert_eq!(code_spans("it`s"), "it`s");
    }

    /// Regression (2026-12-05): the French page's tooltips read "2,1442"
    /// and its table "2.1442".
    #[test]
    fn the_french_table_writes_decimal_commas() {
        let table = Table {
            columns: vec!["name".into(), "cameras_per_1000".into()],
            rows: vec![vec![Cell::text(Some("Paris")), Cell::Decimal(2.14421, 4)]],
        };
        let written = |l: Lang| {
            let mut out = Vec::new();
            write_table(&mut out, &table, l).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert!(written(Lang::Fr).contains(r#"["Paris","2,1442"]"#));
        assert!(written(Lang::En).contains(r#"["Paris","2.1442"]"#));
    }
}
