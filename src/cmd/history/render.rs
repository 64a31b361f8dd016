//! The formats of `camcount history`: what each one is made from and how
//! it is written.
//!
//! Why apart from the run: the run reads and counts; this picks, per
//! `--format`, the rows, the wide table, the charts, the map of the last
//! date or the sheets, all from one [`Rendered`], so that every format
//! tells the same story.
//!
//! In: [`Rendered`] and the options. Out: the bytes of the output.

use camcount::history::through::{DateCount, HistoryRow};
use camcount::output::cell::{Cell, Table};
use camcount::output::history_rows::{self, DateTotals, HistorySources};
use camcount::output::map::{self, MapOptions};
use camcount::output::through::{self as history_report, report, Through};
use camcount::output::{chart, csv, geojson, html, json, markdown, xlsx};
use camcount::pipeline::Zones;

use crate::cli::{HistoryArgs, HistoryFormat};

/// What the formats of `history` are made from.
pub struct Rendered<'a> {
    pub rows: &'a [HistoryRow],
    pub totals: &'a [DateTotals],
    /// The rollup through time, when asked.
    pub rollup: Option<&'a [(String, &'a camcount::aggregate::RollupRow)]>,
    pub through: &'a Through<'a>,
    pub sources: &'a HistorySources<'a>,
    /// The count whose zones are `zones`, and its date: the map's. The
    /// last date's; with each date's own zones, the newest date that has
    /// any (a last date of none drew an empty map, found 2026-12-07).
    pub mapped: Option<(&'a DateCount, &'a str)>,
    /// The zones of that date.
    pub zones: &'a Zones,
}

/// Writes the output of `--format`; `shown` is the report's language and
/// what its map shows.
pub fn render(
    args: &HistoryArgs,
    csv_options: &csv::CsvOptions,
    shown: &MapOptions,
    r: &Rendered<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let metadata = r.sources.metadata;
    let dated = r.rollup.unwrap_or(&[]);
    let l = shown.lang;
    let charts = || vec![r.through.total_chart(l), r.through.growth_chart(l)];
    match (args.format, args.wide) {
        (HistoryFormat::Csv, false) => csv::write_with(r.rows, &[], csv_options, out),
        (HistoryFormat::Csv, true) => csv::write_table(&r.through.wide(), csv_options, out),
        (HistoryFormat::Json, _) => json::write_history(
            r.rows,
            r.totals,
            r.rollup.map(json::dated_json),
            r.sources,
            out,
        ),
        (HistoryFormat::Md, _) => {
            markdown::through::write_history(r.through, r.totals, dated, r.sources, l, out)
        }
        (HistoryFormat::Svg, _) => chart::write_svg(&charts(), &map::credit(metadata, l), out),
        (HistoryFormat::Html, _) => {
            let mut sentences = history_report::totals_sentences(r.totals, l);
            sentences.extend(r.through.key_sentences(l));
            sentences.extend(history_report::rollup_sentences(dated, l));
            let map = r.mapped.map(|(count, date)| {
                let drawn = map::render(
                    &count.count.rows,
                    &r.zones.table,
                    &count.cameras,
                    shown,
                    &map::credit_on(metadata, l, date),
                );
                (
                    drawn,
                    format!("{} {date}", l.pick("The map on", "La carte au")),
                )
            });
            let page = report::Page {
                title: history_rows::title(l),
                metadata,
                sources: format!(
                    "{} · Dates: {} · {}",
                    html::sources_line(metadata, l),
                    html::escape(&r.sources.dates.join(", ")),
                    html::escape(&r.sources.zones.sentence(l))
                ),
                sentences,
                charts: charts(),
                map,
                table: r.through.wide(),
                lang: l,
            };
            report::write_page(&page, out)
        }
        (HistoryFormat::Xlsx, _) => {
            let totals = Table {
                columns: vec!["date".into(), "cameras".into()],
                rows: (r.totals.iter())
                    .map(|t| {
                        vec![
                            Cell::Date(t.date.as_str().into()),
                            Cell::count(Some(t.cameras)),
                        ]
                    })
                    .collect(),
            };
            let mut sheets = vec![
                xlsx::Sheet::table("Communes", r.through.wide()),
                xlsx::Sheet::table("Long", Table::of(r.rows)),
                xlsx::Sheet::table("Totals", totals),
            ];
            if r.rollup.is_some() {
                sheets.push(xlsx::Sheet::table(
                    "Rollup",
                    history_report::dated_table(dated),
                ));
            }
            xlsx::write_with(&sheets, metadata, &r.sources.lines(r.totals), out)
        }
        (HistoryFormat::Geojson, _) => {
            let wide = r.through.wide();
            let features = (wide.rows.into_iter().zip(&r.through.lines)).map(|(cells, line)| {
                let zone = r.zones.table.iter().find(|z| {
                    z.admin_level == line.admin_level
                        && z.osm_id == line.osm_id
                        && z.reference.as_deref() == line.reference
                });
                let shape = geojson::Shape {
                    id: None,
                    geometry: geojson::multipolygon(zone.and_then(|z| z.geometry.as_ref())),
                };
                (shape, cells)
            });
            let mut meta = json::sources_json(r.sources);
            let last = r.sources.dates.last().map_or("", String::as_str);
            let zoned = r.mapped.map_or(last, |(_, date)| date);
            meta["geometry"] = match (args.zones_each_date, zoned == last) {
                (true, true) => format!(
                    "the zones of the last date, {last}; earlier dates were counted in their own"
                ),
                (true, false) => format!(
                    "the zones of {zoned}, the newest date that has any ({last} has none); each date was counted in its own"
                ),
                (false, _) => "the zones every date was counted in".to_string(),
            }
            .into();
            let day = r.sources.metadata.data_date.day();
            let dates = [(csv::DATE_COLUMN, day.as_str())];
            geojson::write_features(&wide.columns, features, &dates, &meta, out)
        }
    }
}
