//! `--lang fr`, `--map-metric` and `--map-no-points` on `history` and
//! `compare`: French sentences and numbers in the Markdown, the page and
//! the charts (a snapshot on the fixture, figures on Monaco's real
//! history and snapshots), the map of a rate with and without
//! populations, and the formats these options do not apply to.

use std::ffi::{OsStr, OsString};

use super::common::{data_dir, stdout_of, Workdir};
use super::{
    chart_points, compare, history_case, history_refused, life, monaco_args, snapshots,
    usage_error, LIFE_DATES,
};

/// `camcount ARGS` on Monaco's history in IGN's communes of the
/// Alpes-Maritimes (see [`monaco_args`]), more `extra`: stdout.
fn monaco(extra: &[&OsStr]) -> String {
    let mut args = monaco_args();
    args.extend(extra.iter().map(OsString::from));
    let args: Vec<&OsStr> = args.iter().map(OsString::as_os_str).collect();
    stdout_of(&args)
}

fn os(text: &str) -> &OsStr {
    OsStr::new(text)
}

#[test]
fn history_markdown_in_french_snapshot_of_a_fixture() {
    let md = life(&["--rollup", "departement", "-f", "md", "--lang", "fr"]);
    assert!(md.starts_with("# Caméras de surveillance au fil du temps\n"));
    assert!(md.contains("Caméras comptées dans history-camera-life.osh.pbf à 7 dates : "));
    // French singular for 0 and 1; the colon spaced as the count's report
    // writes it.
    assert!(md.contains("- 2019-06-01 : 0 caméra ("), "{md}");
    assert!(md.contains("- 2020-03-01 : 1 caméra ("), "{md}");
    assert!(md.contains("## Par groupe au fil du temps"));
    assert!(md.contains("Données © les contributeurs d'OpenStreetMap"));
    for english in ["Totals", "cameras", "Counted from", "Input:"] {
        assert!(!md.contains(english), "English left: {english}\n{md}");
    }
    insta::assert_snapshot!(md);
}

#[test]
fn history_svg_in_french_names_its_charts_lines_and_points_in_french() {
    let svg = life(&["-f", "svg", "--lang", "fr"]);
    assert_eq!(
        chart_points(&svg, "chart-total"),
        [("Toutes les caméras".to_string(), vec![0, 1, 1, 1, 0, 0, 1])]
    );
    assert!(svg.contains(">Caméras de surveillance dans le fichier, 2019-06-01 → 2023-01-01<"));
    assert!(svg.contains(">La commune qui a gagné le plus de caméras, 2019-06-01 → 2023-01-01<"));
    assert!(svg.contains("<title>A (00001) — 2020-03-01 : 1 caméra</title>"));
    assert!(svg.contains(">Caméras</text>"));
    assert!(svg.contains("Données OpenStreetMap au"));
    // The same figures as in English: only the words change.
    let english = life(&["-f", "svg"]);
    assert_eq!(
        svg.matches("data-value=").count(),
        english.matches("data-value=").count()
    );
}

#[test]
fn history_page_in_french_has_french_chrome_and_map() {
    let html = life(&["-f", "html", "--lang", "fr"]);
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("<h1>Caméras de surveillance au fil du temps</h1>"));
    assert!(html.contains("<h2>La carte au 2023-01-01</h2>"));
    assert!(html.contains("Limites: OpenStreetMap"));
    assert!(html.contains("<li>0 caméra dans le fichier au 2019-06-01, 1 au 2023-01-01 (+1).</li>"));
    // The default map of a history: the counts, in French.
    assert!(
        html.contains("y=\"14\" font-weight=\"bold\">Caméras</text>"),
        "the map's legend"
    );
    // The table's columns stay machine-readable.
    assert!(html.contains("<th>cameras_2019-06-01"));
}

#[test]
fn monaco_history_markdown_in_french_every_year() {
    let input = data_dir().join("history/monaco-2021-2026.osh.pbf");
    let communes = data_dir().join(
        "communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson",
    );
    let md = stdout_of(&[
        os("history"),
        input.as_os_str(),
        os("--every"),
        os("year"),
        os("--from"),
        os("2015-01-01"),
        os("--boundaries"),
        communes.as_os_str(),
        os("-f"),
        os("md"),
        os("--lang"),
        os("fr"),
        os("-q"),
    ]);
    assert!(md.contains(
        "Chaque date est comptée dans les zones de communes-06-alpes-maritimes.geojson."
    ));
    assert!(
        md.contains("- 2015-01-01 : 0 caméra (0 dans une zone, 0 hors zone)"),
        "{md}"
    );
    assert!(
        md.contains("- 2024-01-01 : 16 caméras (2 dans une zone, 14 hors zone)"),
        "{md}"
    );
    assert!(md.contains("## Zones avec des caméras"));
    assert!(md.contains("- Limites : `communes-06-alpes-maritimes.geojson`"));
}

#[test]
fn monaco_history_markdown_in_french_at_dates() {
    let md = monaco(&[os("-f"), os("md"), os("--lang"), os("fr")]);
    // PROVENANCE.md's counts: 0, 11, 16, 32.
    assert!(md.contains("à 4 dates : 2019-01-01, 2021-04-22, 2024-01-01, 2026-07-11."));
    assert!(
        md.contains("- 2021-04-22 : 11 caméras (1 dans une zone, 10 hors zone)"),
        "{md}"
    );
    assert!(
        md.contains("- 2026-07-11 : 32 caméras (2 dans une zone, 30 hors zone)"),
        "{md}"
    );
    assert!(md.contains(
        "- Cap-d'Ail : 0 (2019-01-01) → 1 (2021-04-22) → 1 (2024-01-01) → 1 (2026-07-11)"
    ));
}

#[test]
fn monaco_compare_markdown_in_french() {
    let old = data_dir().join("history/monaco-2015-07-07.osm.pbf");
    let new = data_dir().join("pbf/monaco-2026-07-10.osm.pbf");
    let md = compare(&old, &new, &["-f", "md", "--lang", "fr"]);
    assert!(md.starts_with("# Caméras de surveillance : 2015-07-07 → 2026-07-10\n"));
    assert!(
        md.contains(
            "- 0 caméra dans monaco-2015-07-07.osm.pbf (données OSM au 2015-07-07) → 32 dans \
         monaco-2026-07-10.osm.pbf (au 2026-07-10) : 32 ajoutées, 0 supprimée."
        ),
        "{md}"
    );
    assert!(
        md.contains("- 1 zone a gagné des caméras, 0 zone en a perdu, 0 en a autant"),
        "{md}"
    );
    assert!(
        md.contains("- Monaco : 0 → 29 (+29 : 29 ajoutées, 0 supprimée, ancien compte minimal)"),
        "{md}"
    );
    assert!(md.contains(
        "- Instantané le plus récent : monaco-2026-07-10.osm.pbf (données OSM au 2026-07-10)"
    ));
}

#[test]
fn compare_page_in_french_on_the_fixture() {
    let wd = Workdir::new();
    let (old, new) = snapshots(&wd);
    let out = wd.path("compare.html");
    compare(
        &old,
        &new,
        &["-f", "html", "--lang", "fr", "-o", out.to_str().unwrap()],
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("<h1>Caméras de surveillance : deux instantanés comparés</h1>"));
    assert!(html.contains("Instantané le plus ancien : données OpenStreetMap au 2020-03-01"));
    assert!(
        html.contains("<li>B (00002) : 0 → 1 (+1 : 1 ajoutée (dont 1 déplacée : l'ancien fichier la plaçait ailleurs), 0 supprimée)</li>"),
        "{html}"
    );
    assert!(html.contains("<h2>La carte au 2020-09-01 (instantané le plus récent)</h2>"));
}

/// The map of the page of `history ARGS -f html`, Monaco in IGN's
/// communes: the class of each commune, and the legend's texts.
fn monaco_map(extra: &[&str]) -> (Vec<String>, Vec<String>) {
    let wd = Workdir::new();
    let out = wd.path("monaco.html");
    let mut args: Vec<&OsStr> = vec![os("-f"), os("html"), os("-o"), out.as_os_str()];
    args.extend(extra.iter().map(|a| os(a)));
    monaco(&args);
    let html = std::fs::read_to_string(&out).unwrap();
    let start =
        html.find("<figure class=\"map\">").expect("a map") + "<figure class=\"map\">".len();
    let svg = &html[start..start + html[start..].find("</svg>").unwrap() + "</svg>".len()];
    let doc = roxmltree::Document::parse(svg).expect("the map is well-formed XML");
    let classes = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-ref").is_some())
        .map(|n| n.attribute("class").unwrap().to_string())
        .collect();
    let legend = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("legend"))
        .expect("a legend")
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    (classes, legend)
}

#[test]
fn history_map_of_a_rate_without_populations_draws_no_commune_as_zero() {
    let (classes, legend) = monaco_map(&["--map-metric", "cameras_per_1000"]);
    assert_eq!(legend[0], "Cameras per 1,000 inhabitants");
    // IGN's polygons carry no population: every commune counted has no
    // value, those beyond the file's data (its nodes' box and cells) are
    // not counted (nc); none is
    // drawn as 0 (class c0).
    assert_eq!(classes.len(), 163);
    // A commune partly beyond the data keeps its class, dashed ("pt").
    assert!(
        classes
            .iter()
            .all(|c| c == "nd" || c == "nd pt" || c == "nc"),
        "{classes:?}"
    );
    // Beausoleil, Cap-d'Ail, Roquebrune-Cap-Martin and La Turbie: the
    // communes the file holds data of.
    assert_eq!(classes.iter().filter(|c| c.starts_with("nd")).count(), 4);
    assert!(legend.contains(&"no value (population unknown or 0)".to_string()));
}

#[test]
fn history_map_of_a_rate_with_populations_states_its_classes() {
    let population = data_dir().join("population/communes-2026-pmun2023.csv");
    let population = population.to_str().unwrap();
    let (classes, legend) = monaco_map(&[
        "--map-metric",
        "cameras_per_1000",
        "--population",
        population,
        "--map-no-points",
        "--lang",
        "fr",
    ]);
    assert_eq!(legend[0], "Caméras pour 1 000 habitants");
    // Beausoleil and Cap-d'Ail hold a camera each; the rest counted hold
    // none (a floor of none, "fz", where partly beyond the data: never
    // zero); those beyond the file's data are not counted (nc).
    let beyond = classes.iter().filter(|c| *c == "nc").count();
    let none = (classes.iter())
        .filter(|c| *c == "c0" || *c == "c0 pt" || *c == "fz")
        .count();
    assert!(none == 2 && beyond == 159, "{none} at 0, {beyond} beyond");
    assert!(!classes.iter().any(|c| c == "c0 pt"), "{classes:?}");
    assert_eq!(none + beyond + 2, 163);
    assert!(
        legend.iter().any(|t| t.starts_with("> 0 – 0,")),
        "{legend:?}"
    );
}

#[test]
fn history_map_shows_the_counts_by_default_and_may_leave_the_points_off() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-camera-life");
    let page = |args: &[&str]| {
        let out = wd.path("page.html");
        let mut all = args.to_vec();
        all.extend(["-o", out.to_str().unwrap()]);
        super::history(&input, LIFE_DATES, &all);
        std::fs::read_to_string(&out).unwrap()
    };
    let default = page(&["-f", "html"]);
    assert!(default.contains("font-weight=\"bold\">Cameras</text>"));
    assert!(default.contains("class=\"cameras\""));
    let without = page(&["-f", "html", "--map-no-points"]);
    assert!(!without.contains("class=\"cameras\""));
    let by_area = page(&["-f", "html", "--map-metric", "cameras_per_km2"]);
    assert!(by_area.contains(">Cameras per km²</text>"));
}

#[test]
fn lang_and_map_options_with_a_format_they_do_not_apply_to_are_usage_errors() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-camera-life");
    let history = |args: &[&str]| history_refused(&input, "2020-03-01", args);
    // Machine-readable outputs keep English names, as the count's do.
    for format in ["csv", "json", "geojson"] {
        let stderr = history(&["-f", format, "--lang", "fr"]);
        assert!(stderr.contains("--lang applies to the reports"), "{stderr}");
    }
    let stderr = history(&["-f", "svg", "--map-metric", "cameras_per_1000"]);
    assert!(
        stderr.contains("apply to the map (--format html)"),
        "{stderr}"
    );
    let (old, new) = snapshots(&wd);
    let stderr = usage_error(&[
        os("compare"),
        old.as_os_str(),
        new.as_os_str(),
        os("-f"),
        os("csv"),
        os("--lang"),
        os("fr"),
    ]);
    assert!(stderr.contains("(--format md, html)"), "{stderr}");
}

/// Regression (2026-12-07): one date read "at 1 dates".
#[test]
fn history_markdown_says_one_date_in_the_singular() {
    let wd = Workdir::new();
    let input = history_case(&wd, "history-camera-life");
    let one = super::history_to_file(&wd, &input, "2020-03-01", &["-f", "md"], "one.md");
    assert!(
        one.contains("history-camera-life.osh.pbf at 1 date: 2020-03-01."),
        "{one}"
    );
    let fr = super::history_to_file(
        &wd,
        &input,
        "2020-03-01",
        &["-f", "md", "--lang", "fr"],
        "un.md",
    );
    assert!(fr.contains("à 1 date : 2020-03-01."), "{fr}");
}
