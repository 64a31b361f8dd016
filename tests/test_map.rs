//! The HTML report and its SVG map: self-contained, well-formed, one path
//! per commune with the right class, and drawn by a real browser (Debian's
//! Chromium, installed by `.ci/run`) with the network blocked.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{camcount, data_dir, extract, stdout_of, Workdir};

fn alpes_maritimes() -> PathBuf {
    data_dir().join("communes/france-geojson-2018/departements/06-alpes-maritimes/communes-06-alpes-maritimes.geojson")
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/sample.osm.pbf")
}

/// Monaco's cameras in the IGN communes of the Alpes-Maritimes.
fn monaco_map(format: &str, extra: &[&str]) -> String {
    let monaco = extract("monaco-2026-07-10");
    let communes = alpes_maritimes();
    let population = data_dir().join("population/communes-2026-pmun2023.csv");
    let mut args: Vec<&OsStr> = vec![
        monaco.as_os_str(),
        OsStr::new("--boundaries"),
        communes.as_os_str(),
        OsStr::new("--population"),
        population.as_os_str(),
        OsStr::new("-f"),
        OsStr::new(format),
        OsStr::new("-q"),
    ];
    args.extend(extra.iter().map(OsStr::new));
    stdout_of(&args)
}

/// `data-ref` → class of every commune path of an SVG.
fn path_classes(svg: &str) -> BTreeMap<String, String> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-ref").is_some())
        .map(|n| {
            (
                n.attribute("data-ref").unwrap().to_string(),
                n.attribute("class").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn the_svg_is_well_formed_with_one_path_per_commune_and_known_classes() {
    let svg = monaco_map("svg", &[]);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let classes = path_classes(&svg);
    assert_eq!(classes.len(), 163, "one path per Alpes-Maritimes commune");
    // IGN's polygons put one of Monaco's cameras in Beausoleil and one in
    // Cap-d'Ail (PROVENANCE.md): both above zero; the rest are zero.
    for code in ["06012", "06032"] {
        let class = &classes[code];
        assert!(class.starts_with('c') && class != "c0", "{code}: {class}");
    }
    // Nice and 158 others lie beyond the extract's bounding box: not
    // counted, hatched, never drawn as zero.
    assert_eq!(classes["06088"], "nc", "Nice: beyond this extract");
    assert_eq!(classes.values().filter(|c| *c == "nc").count(), 159);
    // Partly inside the box, their counts are floors: dashed in their
    // class, or, with no camera in the part held, in a pattern of their
    // own, never zero (regression, 2026-12-05: Roquebrune was "c0").
    assert_eq!(classes["06012"], "c1 pt", "Beausoleil: at least 1");
    assert_eq!(classes["06104"], "fz", "Roquebrune: partly inside, none");
    assert_eq!(classes["06150"], "fz", "La Turbie: partly inside, none");
    assert_eq!(classes.values().filter(|c| c.starts_with('c')).count(), 2);
    assert!(
        !classes.values().any(|c| c == "c0"),
        "no commune reads zero"
    );
    assert!(svg.contains("partly beyond the extract, none in the part it holds"));
    // Every path has a tooltip and geometry; the credit dates the picture.
    for path in doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-ref").is_some())
    {
        assert!(path.attribute("d").unwrap().starts_with('M'));
        assert!(path.children().any(|c| c.has_tag_name("title")));
    }
    assert!(svg.contains("OpenStreetMap data as of 2026-07-10"));
    assert!(svg.contains("ODbL"));
    // The tooltip of a floor says so, in the right number (regression,
    // 2026-12-05: "Beausoleil (06012): 1 cameras, …, partial").
    let tooltip = |svg: &str, code: &str| {
        let doc = roxmltree::Document::parse(svg).unwrap();
        let path = doc
            .descendants()
            .find(|n| n.attribute("data-ref") == Some(code))
            .unwrap();
        let title = path.children().find(|c| c.has_tag_name("title")).unwrap();
        title.text().unwrap().to_string()
    };
    let beausoleil = tooltip(&svg, "06012");
    assert!(
        // The table's 4 decimals: rounded to 2, a rate read as one of
        // the class above the one it is painted in (regression,
        // 2026-12-05).
        beausoleil.starts_with("Beausoleil (06012): at least 1 camera, ≥ 0.0838 per 1,000"),
        "{beausoleil}"
    );
    let french = monaco_map("svg", &["--locale", "fr"]);
    let beausoleil = tooltip(&french, "06012");
    assert!(
        beausoleil.starts_with("Beausoleil (06012) : au moins 1 caméra, "),
        "{beausoleil}"
    );
    // The legend states the bounds of the classes drawn.
    assert!(
        svg.contains("&gt; 0 – "),
        "{}",
        &svg[svg.len().saturating_sub(3000)..]
    );
}

#[test]
fn the_html_loads_nothing_from_anywhere() {
    let html = monaco_map("html", &[]);
    for needle in ["src=", "href=", "@import", "url(http", "url(//", "<link"] {
        assert!(
            !html.contains(needle),
            "the page refers outside itself: {needle}"
        );
    }
    assert!(!html
        .replace("url(#hatch)", "")
        .replace("url(#floor)", "")
        .contains("url("));
    assert!(html.contains("OpenStreetMap data as of 2026-07-10"));
}

#[test]
fn metric_and_points_options() {
    let without = monaco_map("svg", &["--map-no-points"]);
    assert!(!without.contains("class=\"cameras\""));
    // The legend says what a dot is, when there are dots.
    assert!(!without.contains("camera-key"));
    // One dot (a zero-length segment) per camera: Monaco's 32 lie within
    // the map of the Alpes-Maritimes.
    let with = monaco_map("svg", &[]);
    let dots = with
        .lines()
        .find(|l| l.contains("class=\"cameras\""))
        .unwrap();
    assert_eq!(dots.matches("h0").count(), 32);
    assert!(with.contains("class=\"camera-key\""));
    assert!(with.contains(">a camera (OSM)</text>"));
    let by_count = monaco_map("svg", &["--map-metric", "cameras"]);
    assert!(by_count.contains("<title>Cameras</title>"));
    camcount()
        .arg(sample())
        .args(["--map-metric", "cameras"])
        .assert()
        .code(2);
}

#[test]
fn html_snapshot_of_the_sample() {
    let html = stdout_of(&[
        sample().as_os_str(),
        OsStr::new("-f"),
        OsStr::new("html"),
        OsStr::new("-q"),
    ]);
    insta::assert_snapshot!(html);
}

fn chromium() -> Command {
    let mut command = Command::new("chromium");
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Every host name fails to resolve and every connection goes to a
        // closed port: a page that needs the network breaks here.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=http://127.0.0.1:9",
    ]);
    command
}

#[test]
fn chromium_draws_the_map_with_the_legend_colours_and_the_dom_is_whole() {
    let wd = Workdir::new();
    let page = wd.write("alpes-maritimes.html", monaco_map("html", &[]).as_bytes());
    let url = format!("file://{}", page.display());
    // The DOM after the page's script ran, with the network blocked.
    let dom = chromium()
        .arg(format!(
            "--user-data-dir={}",
            wd.path("profile-dom").display()
        ))
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(&url)
        .output()
        .expect("chromium (Debian's chromium) must be installed");
    assert!(dom.status.success());
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert_eq!(
        dom.matches("data-ref=").count(),
        163,
        "one path per commune"
    );
    assert!(dom.contains("data-ref=\"06012\""));
    let body = &dom[dom.find("<tbody>").unwrap()..dom.find("</tbody>").unwrap()];
    assert_eq!(
        body.matches("<tr>").count(),
        163,
        "the script drew every row"
    );
    assert!(body.contains("<td>06012</td>"), "codes keep their zero");
    // A screenshot: not blank, and the map holds the legend's colours.
    let png = wd.path("shot.png");
    let status = chromium()
        .arg(format!(
            "--user-data-dir={}",
            wd.path("profile-shot").display()
        ))
        .args(["--window-size=1100,1400", "--hide-scrollbars"])
        .arg(format!("--screenshot={}", png.display()))
        .arg(&url)
        .status()
        .unwrap();
    assert!(status.success());
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let channels = frame.color_type.samples();
    let count = |rgb: [u8; 3]| {
        pixels[..frame.buffer_size()]
            .chunks(channels)
            .filter(|p| p[..3] == rgb)
            .count()
    };
    let zero = count([0xff, 0xff, 0xb2]);
    let white = count([0xff, 0xff, 0xff]);
    let total = (frame.width * frame.height) as usize;
    assert!(white < total * 9 / 10, "the screenshot is not blank");
    // The legend states the zero class (Roquebrune and La Turbie, partly
    // in the extract with no camera in the part held, have a pattern of
    // their own); the communes beyond it, most of the map, are hatched.
    assert!(zero > 0, "the zero class is in the legend");
    let hatched = count([0xe0, 0xe0, 0xe0]);
    assert!(
        hatched > total / 20,
        "the hatch fills much of the map: {hatched} of {total}"
    );
    let positive = count([0xfe, 0xd9, 0x76]) + count([0xfe, 0xb2, 0x4c]);
    assert!(
        positive > 0,
        "Beausoleil and Cap-d'Ail are drawn above zero"
    );
    if let Some(folder) = std::env::var_os("CAMCOUNT_SCREENSHOT_DIR") {
        std::fs::copy(&png, Path::new(&folder).join("map-alpes-maritimes.png")).unwrap();
    }
}

#[test]
fn chromium_draws_the_history_page_with_both_charts_and_the_map() {
    let wd = Workdir::new();
    let page = wd.path("history.html");
    let communes = alpes_maritimes();
    camcount()
        .arg("history")
        .arg(data_dir().join("history/monaco-2021-2026.osh.pbf"))
        .arg("--at=2019-01-01,2021-04-22,2024-01-01,2026-07-11")
        .arg("--boundaries")
        .arg(&communes)
        .args(["--format=html", "--quiet", "--output"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    for needle in ["src=", "href=", "@import", "<link"] {
        assert!(
            !html.contains(needle),
            "the page refers outside itself: {needle}"
        );
    }
    let dom = chromium()
        .arg(format!("--user-data-dir={}", wd.path("profile").display()))
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (Debian's chromium) must be installed");
    assert!(dom.status.success());
    let dom = String::from_utf8_lossy(&dom.stdout);
    // Each chart as the browser parsed it: its points and their values.
    let chart = |id: &str| -> Vec<String> {
        let start = dom
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("{id} in the DOM"));
        let end = start + dom[start..].find("</svg>").unwrap();
        dom[start..end]
            .split("class=\"point\"")
            .skip(1)
            .map(|p| {
                let v = &p[p.find("data-value=\"").unwrap() + 12..];
                v[..v.find('"').unwrap()].to_string()
            })
            .collect()
    };
    assert_eq!(chart("chart-total"), ["0", "11", "16", "32"]);
    assert_eq!(
        chart("chart-growth").len(),
        8,
        "Beausoleil and Cap-d'Ail, 4 dates each"
    );
    assert_eq!(
        dom.matches("data-ref=").count(),
        163,
        "the map of the last date"
    );
    let body = &dom[dom.find("<tbody>").unwrap()..dom.find("</tbody>").unwrap()];
    assert_eq!(
        body.matches("<tr>").count(),
        163,
        "the script drew the wide table"
    );
    assert!(dom.contains("<th>cameras_2026-07-11</th>"));
}

/// Regression (2026-12-05): with no commune level counted (Andorra's
/// parishes, level 7), the map drew nothing, its legend a single class,
/// exit 0. It draws the finest level counted; and with communes among
/// other levels, the communes only.
#[test]
fn the_map_draws_the_finest_level_when_no_level_is_communes() {
    let andorra = extract("andorra-2025-01-18");
    let svg = stdout_of(&[
        andorra.as_os_str(),
        OsStr::new("--admin-level"),
        OsStr::new("7"),
        OsStr::new("-f"),
        OsStr::new("svg"),
        OsStr::new("-q"),
    ]);
    let csv = stdout_of(&[
        andorra.as_os_str(),
        OsStr::new("--admin-level"),
        OsStr::new("7"),
        OsStr::new("-q"),
    ]);
    let built = (csv.lines())
        .filter(|l| l.contains(",ok,") || l.contains(",partial,"))
        .count();
    assert!(built >= 7, "{csv}");
    assert_eq!(path_classes(&svg).len(), built, "{svg}");
    // Monaco with levels 8, 6, 4 and 2: the commune alone is drawn.
    let monaco = stdout_of(&[
        extract("monaco-2026-07-10").as_os_str(),
        OsStr::new("--admin-level"),
        OsStr::new("8,6,4,2"),
        OsStr::new("-f"),
        OsStr::new("svg"),
        OsStr::new("-q"),
    ]);
    let refs: Vec<String> = path_classes(&monaco).into_keys().collect();
    assert_eq!(refs.len(), 1, "{refs:?}");
}

/// Regression (2026-12-05): with `--admin-level 8,6,4,2` the report ranked
/// the country Monaco (79.8 km², sea included) beside the commune among
/// "Top communes", and listed France, the région and the département as
/// communes that could not be counted.
#[test]
fn the_report_ranks_communes_only() {
    let md = stdout_of(&[
        extract("monaco-2026-07-10").as_os_str(),
        OsStr::new("--admin-level"),
        OsStr::new("8,6,4,2"),
        OsStr::new("-f"),
        OsStr::new("md"),
        OsStr::new("-q"),
    ]);
    let top = md.split("## Top communes by cameras\n").nth(1).unwrap();
    let table: Vec<&str> = top
        .lines()
        .skip(3)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        table,
        ["| Monaco | 29 | 39,050 | 0.74 | 1,347 | 12.13 |"],
        "{md}"
    );
    assert!(!md.contains("| France |"), "{md}");
}

/// Regression (2026-12-05): `-f svg` left off the communes it could not
/// draw (unbuilt; on a France map, the 129 of the overseas départements)
/// in silence, where the HTML page lists them under its map. It warns.
#[test]
fn the_svg_says_what_it_leaves_off() {
    let output = camcount()
        .arg(extract("monaco-2026-07-10"))
        .args(["-f", "svg"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "warning: 4 communes could not be built from the extract and are not on the map: \
             Beausoleil (06012)"
        ),
        "{stderr}"
    );
}

/// Squares around Monaco's cameras, coded as French codes look: with a
/// leading zero, a letter, or neither.
fn mixed_code_communes() -> String {
    let square = |code: &str, name: &str, lon: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"code":"{code}","nom":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon},43.72],[{e},43.72],[{e},43.75],[{lon},43.75],[{lon},43.72]]]}}}}"#,
            e = lon + 0.01
        )
    };
    format!(
        r#"{{"type":"FeatureCollection","features":[{},{},{},{}]}}"#,
        square("75056", "Paris", 7.40),
        square("06012", "Beausoleil", 7.41),
        square("2A004", "Ajaccio", 7.42),
        square("9", "Neuf", 7.43),
    )
}

#[test]
fn chromium_sorts_the_code_column_as_text() {
    // Regression (2026-12-05): the table sorted each cell by its look, so
    // 75056 (a number) came before 01001 and 2A004 (text) in one column.
    let wd = Workdir::new();
    let communes = wd.write("mixed.geojson", mixed_code_communes().as_bytes());
    let page = wd.path("mixed.html");
    camcount()
        .arg(extract("monaco-2026-07-10"))
        .arg("--boundaries")
        .arg(&communes)
        .args(["-f", "html", "-q", "-o"])
        .arg(&page)
        .assert()
        .success();
    // Click the `ref` header once, then the `cameras` header once, as a
    // reader would, and read the DOM.
    let html = std::fs::read_to_string(&page).unwrap();
    let clicked = html.replace(
        "</body>",
        "<script>var hs=document.getElementById('communes').tHead.rows[0].cells;\
         function by(n){for(var i=0;i<hs.length;i++)if(hs[i].textContent===n)return hs[i]}\
         by('ref').click();var a=[];for(var r of document.getElementById('communes').tBodies[0].rows)a.push(r.cells[2].textContent);\
         document.body.setAttribute('data-by-ref',a.join(' '));\
         by('cameras').click();var c=[];for(var r of document.getElementById('communes').tBodies[0].rows)c.push(r.cells[by('cameras').cellIndex].textContent);\
         document.body.setAttribute('data-by-cameras',c.join(' '));</script></body>",
    );
    assert_ne!(clicked, html, "the page ends its body");
    let page = wd.write("clicked.html", clicked.as_bytes());
    let dom = chromium()
        .arg(format!("--user-data-dir={}", wd.path("profile").display()))
        .args(["--virtual-time-budget=5000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium (Debian's chromium) must be installed");
    assert!(dom.status.success());
    let dom = String::from_utf8_lossy(&dom.stdout);
    let attribute = |name: &str| {
        let start = dom.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        dom[start..start + dom[start..].find('"').unwrap()].to_string()
    };
    assert_eq!(attribute("data-by-ref"), "06012 2A004 75056 9");
    // Counts still sort as numbers.
    let cameras: Vec<u64> = attribute("data-by-cameras")
        .split(' ')
        .map(|c| c.parse().unwrap())
        .collect();
    assert!(cameras.windows(2).all(|w| w[0] <= w[1]), "{cameras:?}");
}

/// Headless Chromium prints `page` as `NAME.pdf` in `wd`, with a profile
/// of its own.
fn print_to_pdf(wd: &Workdir, page: &Path, name: &str) -> PathBuf {
    let pdf = wd.path(&format!("{name}.pdf"));
    let status = chromium()
        .arg(format!(
            "--user-data-dir={}",
            wd.path(&format!("profile-{name}")).display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("file://{}", page.display()))
        .status()
        .expect("chromium (Debian's chromium) must be installed");
    assert!(status.success());
    pdf
}

/// Printed, the page put the map and key sentences first but cut the
/// commune table at the page's edge: `status` never printed, and
/// Roquebrune's floor of 0 read as a figure (found 2026-12-05). The map
/// and the key sentences are on page 1, the table on landscape pages
/// with every column, and codes whole.
#[test]
fn the_printed_page_keeps_the_map_first_and_every_column_of_the_table() {
    let wd = Workdir::new();
    let page = wd.write("print.html", monaco_map("html", &[]).as_bytes());
    let pdf = print_to_pdf(&wd, &page, "print");
    let text = |first: u32, last: u32| {
        let output = Command::new("pdftotext")
            .args(["-layout", "-f", &first.to_string(), "-l", &last.to_string()])
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (Debian poppler-utils) must be installed");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let first = text(1, 1);
    assert!(first.contains("Cameras per 1,000 inhabitants"), "{first}");
    assert!(first.contains("32 cameras in the extract."), "{first}");
    let table = text(2, 99);
    for needle in [
        "06104",
        "Roquebrune",
        "partial",
        "outside_extract",
        "2026-07-10",
    ] {
        assert!(table.contains(needle), "{needle} not printed: {table}");
    }
}

/// Regression (2026-12-05): the map classed communes on hidden digits.
/// Two communes the tooltips and the table both give "0.1400 per 1,000"
/// (1 camera for 7,143 and for 7,142 inhabitants) were painted in two
/// classes either side of the legend's bound 0.14. Ten squares, one
/// camera each, with populations that put a class bound there.
#[test]
fn communes_shown_alike_are_classed_alike() {
    use camcount::fixtures::{node, write_elements};
    use camcount::pbf::writer::WriterOptions;
    use camcount::pbf::BBox;
    let wd = Workdir::new();
    let populations = [
        20000, 12500, 10000, 8333, 7692, 7143, 7142, 3333, 2000, 1000,
    ];
    let mut features = Vec::new();
    let mut elements = Vec::new();
    let mut table = String::from("code,population\n");
    for (i, population) in populations.iter().enumerate() {
        let x0 = i as f64 * 0.01;
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"code": format!("990{i:02}"), "nom": format!("zone {i}")},
            "geometry": {"type": "Polygon", "coordinates": [[
                [x0, 0.0], [x0 + 0.01, 0.0], [x0 + 0.01, 0.01], [x0, 0.01], [x0, 0.0]
            ]]}
        }));
        elements.push(node(
            i as i64 + 1,
            x0 + 0.005,
            0.005,
            &[("man_made", "surveillance")],
        ));
        table.push_str(&format!("990{i:02},{population}\n"));
    }
    let geojson = wd.path("zones.geojson");
    std::fs::write(
        &geojson,
        serde_json::json!({"type": "FeatureCollection", "features": features}).to_string(),
    )
    .unwrap();
    let population = wd.write("population.csv", table.as_bytes());
    let input = wd.path("cameras.osm.pbf");
    let options = WriterOptions {
        bbox: Some(BBox {
            min_lon: 0.0,
            min_lat: 0.0,
            max_lon: 0.1,
            max_lat: 0.01,
        }),
        ..WriterOptions::default()
    };
    write_elements(&elements, &input, options).unwrap();
    let svg = stdout_of(&[
        input.as_os_str(),
        OsStr::new("--boundaries"),
        geojson.as_os_str(),
        OsStr::new("--population"),
        population.as_os_str(),
        OsStr::new("-f"),
        OsStr::new("svg"),
        OsStr::new("-q"),
    ]);
    assert!(svg.contains("0.1400 per 1,000"), "{svg}");
    let classes = path_classes(&svg);
    assert_eq!(classes.len(), 10, "{classes:?}");
    assert_eq!(classes["99005"], classes["99006"], "{classes:?}");
    assert_ne!(classes["99004"], classes["99007"], "{classes:?}");
}

/// Regression (2026-12-06): the page shows the table 500 rows at a time,
/// and a printed page (or a PDF) held those 500 and no word of the rest:
/// 500 of the Pas-de-Calais' 891 communes. Printing draws every row.
#[test]
fn a_printed_page_holds_every_row_of_the_table() {
    let wd = Workdir::new();
    let communes = data_dir().join(
        "communes/france-geojson-2018/departements/62-pas-de-calais/communes-62-pas-de-calais.geojson",
    );
    let page = wd.path("c62.html");
    camcount()
        .arg(extract("monaco-2026-07-10"))
        .arg("--boundaries")
        .arg(&communes)
        .args(["-q", "-o"])
        .arg(&page)
        .assert()
        .success();
    let pdf = print_to_pdf(&wd, &page, "c62");
    let output = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) must be installed");
    let text = String::from_utf8_lossy(&output.stdout);
    let codes: std::collections::BTreeSet<&str> = text
        .split_whitespace()
        .filter(|w| w.len() == 5 && w.starts_with("62") && w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert_eq!(codes.len(), 891, "{} codes printed", codes.len());
    assert!(text.contains("1-891 / 891"), "{text}");
}

/// Regression (2026-12-06): a commune partly in the extract with no
/// camera in the part held read "at least 0 cameras, ≥ 0.0000 per 1,000
/// inhabitants". The tooltip says where there is none.
#[test]
fn a_partial_commune_without_cameras_says_where_there_is_none() {
    let svg = monaco_map("svg", &[]);
    assert!(
        svg.contains(
            "Roquebrune-Cap-Martin (06104): no camera in the part of it the extract holds, the \
             rest unknown, partial"
        ),
        "{svg}"
    );
    assert!(!svg.contains("at least 0 "), "{svg}");
}
