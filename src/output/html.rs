//! A self-contained HTML report: title and sources, the key sentences,
//! the choropleth map, and the commune table, sortable by a click.
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

use crate::aggregate::{CommuneRow, RollupRow, Totals};
use crate::camera::Camera;
use crate::output::cell::{Cell, Row};
use crate::output::csv::DATE_COLUMN;
use crate::output::lang::Lang;
use crate::output::map::{self, MapOptions};
use crate::output::markdown::{declared_sentences, rollup_sentence, totals_sentences};
use crate::output::metadata::{Metadata, LICENSE};
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

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
td.t,th.t{text-align:left}
th{background:#f3f3f3;cursor:pointer;position:sticky;top:0}
th[aria-sort=ascending]::after{content:' ▲'}
th[aria-sort=descending]::after{content:' ▼'}
@media print{.table{page-break-before:always}th{position:static}body{max-width:none}}
";

/// Sorts the table by a clicked column: numbers as numbers, empty cells
/// last, a second click reverses.
const SCRIPT: &str = "\
document.querySelectorAll('table.sortable').forEach(function(t){
 var hs=t.tHead.rows[0].cells;
 Array.prototype.forEach.call(hs,function(h,i){h.addEventListener('click',function(){
  var asc=h.getAttribute('aria-sort')!=='ascending';
  Array.prototype.forEach.call(hs,function(o){o.removeAttribute('aria-sort')});
  h.setAttribute('aria-sort',asc?'ascending':'descending');
  var b=t.tBodies[0],rs=Array.prototype.slice.call(b.rows);
  var key=function(r){var s=r.cells[i].textContent,n=parseFloat(s.replace(',','.'));return s===''?null:(isNaN(n)||/^0\\d/.test(s)?s:n)};
  rs.sort(function(a,c){var x=key(a),y=key(c);if(x===null)return y===null?0:1;if(y===null)return -1;
   var r=(typeof x===typeof y)?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1);return asc?r:-r});
  var f=document.createDocumentFragment();rs.forEach(function(r){f.appendChild(r)});b.appendChild(f);
 })});
});
";

/// Writes the page.
pub fn write<W: Write>(report: &Report<'_>, options: &MapOptions, mut out: W) -> io::Result<()> {
    let l = options.lang;
    let m = report.metadata;
    let title = l.pick(
        "Surveillance cameras per commune",
        "Caméras de surveillance par commune",
    );
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>",
        l.pick("en", "fr"),
        escape(title),
        escape(&format!(
            "{} {}",
            l.pick("OSM data as of", "données OSM au"),
            m.data_date.day()
        )),
    )?;
    writeln!(out, "<header><h1>{}</h1>", escape(title))?;
    writeln!(
        out,
        "<p class=\"sources\">{}</p></header>",
        sources_line(m, l)
    )?;
    writeln!(out, "<section class=\"key\"><ul>")?;
    let mut sentences = totals_sentences(report.totals, l);
    sentences.extend(report.rollup.iter().map(|g| rollup_sentence(g, l)));
    sentences.extend(declared_sentences(report.rows, l));
    for sentence in sentences {
        writeln!(out, "<li>{}</li>", escape(&sentence))?;
    }
    writeln!(out, "</ul></section>")?;
    let drawn = map::render(
        report.rows,
        report.zones,
        report.cameras,
        options,
        &map::credit(m, l),
    );
    writeln!(out, "<figure class=\"map\">\n{}", drawn.svg)?;
    for (names, en, fr) in [
        (
            &drawn.notes.unbuilt,
            "communes could not be built from the extract and are not on the map",
            "communes n'ont pas pu être construites depuis l'extrait et ne sont pas sur la carte",
        ),
        (
            &drawn.notes.far,
            "communes lie far from the rest and are left off the map (see the table)",
            "communes sont loin des autres et ne sont pas sur la carte (voir le tableau)",
        ),
    ] {
        if !names.is_empty() {
            writeln!(
                out,
                "<p class=\"note\">{} {}: {}</p>",
                l.int(names.len() as u64),
                l.pick(en, fr),
                escape(&names.join(", "))
            )?;
        }
    }
    writeln!(out, "</figure>")?;
    write_table(&mut out, report.rows, &m.data_date.day())?;
    writeln!(out, "<script>\n{SCRIPT}</script>\n</body>\n</html>")?;
    out.flush()
}

fn sources_line(m: &Metadata, l: Lang) -> String {
    let mut parts = vec![
        format!(
            "{} {} (<code>{}</code>)",
            l.pick("OpenStreetMap data as of", "Données OpenStreetMap au"),
            escape(&m.data_date.day()),
            escape(&m.input)
        ),
        escape(LICENSE),
    ];
    let file_or = |value: &str, osm: &str| match value {
        "osm" => osm.to_string(),
        file => format!("<code>{}</code>", escape(file)),
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

/// The commune table with the CSV's columns, text cells left-aligned.
fn write_table(out: &mut impl Write, rows: &[CommuneRow], date: &str) -> io::Result<()> {
    writeln!(
        out,
        "<section class=\"table\"><table class=\"sortable\"><thead><tr>"
    )?;
    for column in CommuneRow::COLUMNS.iter().chain([&DATE_COLUMN]) {
        write!(out, "<th>{column}</th>")?;
    }
    writeln!(out, "</tr></thead><tbody>")?;
    let date = escape(date);
    for row in rows {
        out.write_all(b"<tr>")?;
        for cell in row.cells() {
            match cell {
                Cell::Text(_) | Cell::Code(_) => {
                    write!(out, "<td class=t>{}", escape(&cell.to_text()))?
                }
                _ => write!(out, "<td>{}", cell.to_text())?,
            }
        }
        writeln!(out, "<td class=t>{date}")?;
    }
    writeln!(out, "</tbody></table></section>")
}
