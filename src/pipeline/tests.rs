//! The count over zones of several levels, side files and rollups.

use super::*;
use crate::boundary::Status;
use crate::camera::CameraTags;
use crate::external::population::tests::table as population_table;
use crate::pbf::block::ElementType;
use geo::{polygon, MultiPolygon};

/// A 1°×1° square zone with its south-west corner at (x, y).
fn square(level: &str, code: &str, x: f64, y: f64, built: bool) -> Zone {
    let geometry = MultiPolygon(vec![polygon![
        (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)
    ]]);
    Zone {
        admin_level: level.into(),
        osm_id: Some(code.len() as i64 * 1000 + (x * 10.0) as i64),
        reference: Some(code.into()),
        name: Some(format!("zone {code}")),
        population: Some(1000),
        area_km2: Some(1.0),
        status: if built {
            Status::Ok
        } else {
            Status::Incomplete
        },
        reason: String::new(),
        geometry: built.then_some(geometry),
        footprint: None,
    }
}

fn camera(id: i64, lon: f64, lat: f64) -> Camera {
    Camera {
        osm_type: ElementType::Node,
        osm_id: id,
        position: Some((lon, lat)),
        tags: CameraTags::default(),
        edit: Default::default(),
    }
}

/// Two communes of département 12 and one unbuilt, under one level-6 zone.
fn zones(levels: &[&str]) -> Zones {
    let mut table = Vec::new();
    for level in levels {
        match *level {
            "6" => table.push(square("6", "12", 0.0, 0.0, true)),
            _ => {
                table.push(square("8", "12001", 0.0, 0.0, true));
                table.push(square("8", "12002", 0.5, 0.5, false));
                table.push(square("8", "46001", 2.0, 0.0, true));
            }
        }
    }
    Zones {
        table,
        ..Zones::default()
    }
}

/// A declared table read from `text`, as `--declared` reads a file.
fn declared_table(text: &str) -> crate::external::declared::DeclaredTable {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("declared.csv");
    std::fs::write(&path, text).unwrap();
    crate::external::declared::read_declared(&path, "code", "cameras").unwrap()
}

fn cameras() -> Vec<Camera> {
    vec![
        camera(1, 0.2, 0.2),
        camera(2, 0.3, 0.3),
        camera(3, 2.5, 0.5),
        camera(4, 9.0, 9.0),
    ]
}

#[test]
fn each_level_is_counted_on_its_own_and_rows_point_at_their_zones() {
    let zones = zones(&["6", "8"]);
    let count = count(&cameras(), &zones, None, None, None);
    assert_eq!(count.totals.levels.len(), 2);
    assert_eq!(count.totals.levels[0].inside, 2, "level 6: cameras 1, 2");
    assert_eq!(count.totals.levels[1].inside, 3, "level 8: cameras 1, 2, 3");
    for row in &count.rows {
        assert_eq!(zones.table[row.zone].reference, row.reference);
    }
}

#[test]
fn a_rollup_is_over_communes_whatever_else_is_counted() {
    let only_communes = count(
        &cameras(),
        &zones(&["8"]),
        None,
        None,
        Some(Rollup::Departement),
    );
    let with_six = count(
        &cameras(),
        &zones(&["6", "8"]),
        None,
        None,
        Some(Rollup::Departement),
    );
    assert_eq!(only_communes.rollup, with_six.rollup);
    let aveyron = &with_six.rollup[0];
    assert_eq!(
        (aveyron.group.as_str(), aveyron.communes, aveyron.cameras),
        ("12", 2, 2)
    );
    // The unbuilt commune's population is not the rate's denominator.
    assert_eq!(aveyron.population, Some(1000));
    assert_eq!(aveyron.population_not_counted, Some(1000));
    assert_eq!(aveyron.cameras_per_1000(), Some(2.0));
}

/// Every commune of a group counted: the population left out is a
/// true 0, where an empty cell read as unknown (regression,
/// 2026-12-05).
#[test]
fn a_group_with_every_commune_counted_leaves_no_population_out() {
    let count = count(
        &cameras(),
        &zones(&["8"]),
        None,
        None,
        Some(Rollup::Departement),
    );
    let left_out: Vec<(&str, Option<u64>)> = (count.rollup.iter())
        .map(|g| (g.group.as_str(), g.population_not_counted))
        .collect();
    // 12002 is not built; 46001, alone in its group, is counted.
    assert_eq!(left_out, [("12", Some(1000)), ("46", Some(0))]);
}

/// A counted commune of unknown population is on neither side of its
/// group's rate: 2 cameras of 12001 per its 1,000 inhabitants, not the
/// 3 cameras of 12001 and 12003.
#[test]
fn a_commune_without_population_is_out_of_the_rollup_rate() {
    let mut zones = zones(&["8"]);
    let mut unpopulated = square("8", "12003", 4.0, 0.0, true);
    unpopulated.population = None;
    zones.table.push(unpopulated);
    let mut cameras = cameras();
    cameras.push(camera(5, 4.5, 0.5));
    let count = count(&cameras, &zones, None, None, Some(Rollup::Departement));
    let aveyron = &count.rollup[0];
    assert_eq!((aveyron.group.as_str(), aveyron.cameras), ("12", 3));
    assert_eq!(aveyron.population, Some(1000));
    assert_eq!(aveyron.communes_without_population, 1);
    assert_eq!(aveyron.cameras_per_1000(), Some(2.0));
}

/// A commune not counted whose population is unknown too: the sum of
/// the others' read as the group's whole, its own taken as 0
/// (regression, 2026-12-05). Unknown, not a floor.
#[test]
fn population_not_counted_is_unknown_when_one_left_out_has_none() {
    let mut zones = zones(&["8"]);
    let mut unknown = square("8", "12004", 6.0, 0.0, false);
    unknown.population = None;
    zones.table.push(unknown);
    let count = count(&cameras(), &zones, None, None, Some(Rollup::Departement));
    let aveyron = &count.rollup[0];
    assert_eq!(
        (aveyron.group.as_str(), aveyron.communes_unknown),
        ("12", 2)
    );
    assert_eq!(aveyron.population_not_counted, None);
    assert_eq!(aveyron.population, Some(1000));
    let lot = &count.rollup[1];
    assert_eq!(lot.population_not_counted, Some(0));
}

#[test]
fn communes_without_a_code_have_their_own_group() {
    let mut zones = zones(&["8"]);
    zones.table[2].reference = None;
    let count = count(&cameras(), &zones, None, None, Some(Rollup::Departement));
    let groups: Vec<_> = count.rollup.iter().map(|g| g.name.clone()).collect();
    assert!(
        groups.contains(&Some(aggregate::NO_CODE_GROUP.to_string())),
        "{groups:?}"
    );
    assert!(!groups.contains(&Some(aggregate::UNPLACED_GROUP.to_string())));
}

#[test]
fn a_figure_declared_under_a_former_code_reaches_the_merged_commune() {
    // 12999 and 12998 are the communes déléguées: the figures of both are
    // the commune's.
    let population = population_table(
        "code,type,population,chef_lieu_ou_commune_parente,anciens_codes\n\
         12001,commune-actuelle,1000,,12999;12998\n\
         12999,commune-deleguee,,12001,\n\
         12998,commune-deleguee,,12001,\n",
    );
    let declared = declared_table("code,cameras\n12999,7\n12998,3\n77777,1\n");
    let count = count(
        &cameras(),
        &zones(&["8"]),
        Some(&population),
        Some(&declared),
        Some(Rollup::Departement),
    );
    let merged = count
        .rows
        .iter()
        .find(|r| r.reference.as_deref() == Some("12001"))
        .unwrap();
    assert_eq!(merged.declared.as_ref().map(|d| d.cameras), Some(10));
    assert_eq!(merged.osm_share_of_declared(), Some(20.0));
    let unmatched: Vec<_> = count
        .declared
        .unmatched
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(unmatched, [("77777", 4)]);
    assert_eq!(
        (count.rollup[0].declared, count.rollup[0].communes_declared),
        (10, 1)
    );
}

/// Regression (2026-12-06): a polygon that is a commune under the code
/// it had before a change of code (IGN 2018's 12076
/// "Conques-en-Rouergue", now 12218) had neither its population nor
/// the figure declared under its code of today.
#[test]
fn a_commune_under_its_former_code_gets_its_population_and_declared_figure() {
    let population = population_table(
        "code,nom,type,population,anciens_codes\n\
         12218,Conques-en-Rouergue,commune-actuelle,1540,12076;12114\n\
         12076,Conques,commune-deleguee,,\n",
    );
    let mut zone = square("8", "12076", 0.0, 0.0, true);
    zone.name = Some("Conques-en-Rouergue".into());
    let zones = Zones {
        table: vec![zone],
        ..Zones::default()
    };
    let counted = |declared: &str| {
        let declared = declared_table(declared);
        count(&cameras(), &zones, Some(&population), Some(&declared), None)
    };
    let count = counted("code,cameras\n12218,10\n");
    let row = &count.rows[0];
    assert_eq!(row.population, Some(1540));
    assert_eq!(row.declared.as_ref().map(|d| d.cameras), Some(10));
    assert!(count.declared.unmatched.is_empty() && count.declared.split.is_empty());
    assert_eq!(count.population.renumbered.len(), 1);
    // The figure under the zone's own code is Conques's, a former
    // commune's: the commune's own covers it ("14" until 2026-12-06),
    // and alone it is no figure of the whole commune.
    let count = counted("code,cameras\n12218,10\n12076,4\n");
    assert_eq!(count.rows[0].declared.as_ref().map(|d| d.cameras), Some(10));
    assert_eq!(count.declared.superseded.len(), 1);
    for former in ["12076", "12114"] {
        let count = counted(&format!("code,cameras\n{former},4\n"));
        assert_eq!(count.rows[0].declared, None, "{former}");
        assert!(
            count.declared.unmatched.is_empty(),
            "{former}: it reaches the zone"
        );
        assert_eq!(count.declared.partial.len(), 1, "{former}");
    }
}

/// Regression (2026-12-05): a commune that declares under its own code
/// (12001's 10, 2024) and one of its former communes' older figure
/// (12999's 4, 2015) read "14": the commune's figure covers the former
/// commune. The former figure is set beside none and listed.
#[test]
fn a_commune_declaring_under_its_own_code_is_not_given_its_former_figures() {
    let population = population_table(
        "code,type,population,anciens_codes\n12001,commune-actuelle,1000,12999;12998\n",
    );
    let declared = declared_table("code,cameras\n12001,10\n12999,4\n");
    let count = count(
        &cameras(),
        &zones(&["8"]),
        Some(&population),
        Some(&declared),
        Some(Rollup::Departement),
    );
    let commune = (count.rows.iter())
        .find(|r| r.reference.as_deref() == Some("12001"))
        .unwrap();
    assert_eq!(commune.declared.as_ref().map(|d| d.cameras), Some(10));
    let superseded: Vec<(&str, &str)> = (count.declared.superseded.iter())
        .map(|(d, commune)| (d.code.as_str(), commune.as_str()))
        .collect();
    assert_eq!(superseded, [("12999", "12001")]);
    assert!(count.declared.unmatched.is_empty() && count.declared.split.is_empty());
    assert_eq!(count.rollup[0].declared, 10);
}

/// Regression (2026-12-05): older boundaries hold Les Hauts-d'Anjou
/// (49080, merged 2019) as two polygons, one of which kept the code.
/// The commune's figure stood beside that polygon's cameras alone, and
/// so did a figure under another former code (49051). Both are now set
/// beside none and reported; a figure under a zone's own former code
/// (49065, that former commune's) is still set.
#[test]
fn a_figure_of_a_commune_the_zones_hold_in_parts_is_set_beside_none() {
    let population = population_table(
        "code,type,population,anciens_codes\n\
         49080,commune-actuelle,8751,49051;49065\n\
         12001,commune-actuelle,1000,\n",
    );
    let zones = Zones {
        table: vec![
            square("8", "49080", 0.0, 0.0, true),
            square("8", "49065", 2.0, 0.0, true),
            square("8", "12001", 4.0, 0.0, true),
        ],
        ..Zones::default()
    };
    let cameras = [
        camera(1, 0.5, 0.5),
        camera(2, 2.5, 0.5),
        camera(3, 2.6, 0.5),
    ];
    let dir = tempfile::tempdir().unwrap();
    let declared = dir.path().join("declared.csv");
    let declared_count = |lines: &str| {
        std::fs::write(&declared, format!("code,cameras\n{lines}")).unwrap();
        let table = crate::external::declared::read_declared(&declared, "code", "cameras").unwrap();
        count(&cameras, &zones, Some(&population), Some(&table), None)
    };
    let figures = |count: &Count| -> Vec<(String, Option<u64>)> {
        (count.rows.iter())
            .map(|r| {
                (
                    r.reference.clone().unwrap(),
                    r.declared.as_ref().map(|d| d.cameras),
                )
            })
            .collect()
    };
    let count = declared_count("49080,20\n49051,4\n12001,9\n");
    assert_eq!(
        figures(&count),
        [
            ("12001".into(), Some(9)),
            ("49065".into(), None),
            ("49080".into(), None)
        ]
    );
    let split: Vec<(&str, usize, &str)> = (count.declared.split.iter())
        .map(|(d, commune)| (d.code.as_str(), d.line, commune.as_str()))
        .collect();
    assert_eq!(split, [("49080", 2, "49080"), ("49051", 3, "49080")]);
    assert!(count.declared.unmatched.is_empty());
    let count = declared_count("49065,6\n");
    assert_eq!(figures(&count)[1], ("49065".into(), Some(6)));
    assert!(count.declared.split.is_empty());
}

/// Regression (2026-12-05): two OSM relations carrying one code each
/// took the commune's whole population and declared figure, and the
/// rollup added both twice. Neither is that commune: they get none,
/// and the rollup counts each once.
#[test]
fn two_zones_sharing_a_code_share_neither_population_nor_declared_figure() {
    let population = population_table(
        "code,population
30007,7310
30243,46125
",
    );
    let zones = Zones {
        table: vec![
            square("8", "30007", 0.0, 0.0, true),
            square("8", "30243", 2.0, 0.0, true),
            square("8", "30243", 4.0, 0.0, true),
        ],
        ..Zones::default()
    };
    let cameras = [camera(1, 0.5, 0.5), camera(2, 2.5, 0.5)];
    let table = declared_table("code,cameras\n30243,100\n30007,3\n");
    let count = count(
        &cameras,
        &zones,
        Some(&population),
        Some(&table),
        Some(Rollup::Departement),
    );
    // The file gives the two none; each keeps its own OSM tag (1,000
    // in these squares), as the rule for OSM boundaries says.
    let rows: Vec<(Option<u64>, Option<&str>, Option<u64>)> = (count.rows.iter())
        .map(|r| {
            let source = r.population_source.as_deref();
            (r.population, source, r.declared.as_ref().map(|d| d.cameras))
        })
        .collect();
    let file = Some("pop.csv");
    assert_eq!(
        rows,
        [
            (Some(7310), file, Some(3)),
            (Some(1000), Some("osm"), None),
            (Some(1000), Some("osm"), None)
        ]
    );
    assert_eq!(count.population.merged.len(), 2);
    let split: Vec<&str> = (count.declared.split.iter())
        .map(|(d, _)| d.code.as_str())
        .collect();
    assert_eq!(split, ["30243"]);
    let gard = &count.rollup[0];
    assert_eq!((gard.population, gard.declared), (Some(9310), 3));
}

/// Regression (2026-12-05): a group's declared figure summed communes
/// not counted, and stood beside the cameras of those counted.
#[test]
fn a_rollup_sets_declared_figures_beside_counted_cameras_only() {
    // 12001 is counted (2 cameras); 12002 could not be built.
    let declared = declared_table("code,cameras\n12001,5\n12002,4000\n");
    let count = count(
        &cameras(),
        &zones(&["8"]),
        None,
        Some(&declared),
        Some(Rollup::Departement),
    );
    let aveyron = &count.rollup[0];
    assert_eq!(
        (
            aveyron.cameras,
            aveyron.declared,
            aveyron.communes_declared,
            aveyron.declared_not_counted
        ),
        (2, 5, 1, 4000)
    );
}

/// Regression (2026-12-05): the rollup set `declared` beside the
/// cameras of every commune; a share read from them was of no
/// commune. The cameras of the communes that declared are given.
#[test]
fn a_rollup_gives_the_cameras_of_the_communes_that_declared() {
    let mut zones = zones(&["8"]);
    zones.table.push(square("8", "12003", 4.0, 0.0, true));
    let mut cameras = cameras();
    cameras.push(camera(5, 4.5, 0.5));
    // 12001 holds 2 cameras and declares none; 12003 holds 1 of 4.
    let declared = declared_table("code,cameras\n12003,4\n");
    let count = count(
        &cameras,
        &zones,
        None,
        Some(&declared),
        Some(Rollup::Departement),
    );
    let aveyron = &count.rollup[0];
    assert_eq!(
        (
            aveyron.cameras,
            aveyron.declared,
            aveyron.cameras_where_declared
        ),
        (3, 4, 1)
    );
    assert_eq!(aveyron.osm_share_of_declared(), Some(25.0));
    assert_eq!(
        count.rollup[1].osm_share_of_declared(),
        None,
        "46 declares none"
    );
}

/// Regression (2026-12-05): a zone that kept the code of the commune
/// it merged into got the whole merged commune's population.
#[test]
fn zones_holding_one_merged_commune_get_no_population_from_the_file() {
    let population = population_table(
        "code,type,population,anciens_codes\n12001,commune-actuelle,5000,12002\n46001,commune-actuelle,300,\n",
    );
    let count = count(&cameras(), &zones(&["8"]), Some(&population), None, None);
    let figures: Vec<_> = (count.rows.iter())
        .map(|r| {
            (
                r.reference.as_deref().unwrap(),
                r.population,
                r.population_source.as_deref(),
            )
        })
        .collect();
    // 12001 and 12002 keep their own OSM tag, never 12001's 5000.
    assert_eq!(
        figures,
        [
            ("12001", Some(1000), Some("osm")),
            ("12002", Some(1000), Some("osm")),
            ("46001", Some(300), Some("pop.csv")),
        ]
    );
    assert_eq!(count.population.matched, 1);
    assert_eq!(count.population.merged.len(), 2);
}

/// Regression (2026-12-06): a figure under the code of one former commune
/// (Châtillon-en-Michaille's 5, 01091) read as the whole merged commune's
/// (Valserhône, 01033), "OSM maps 10 there, 200 %". Figures under former
/// codes reach the commune only when they cover every commune it is made
/// of: its communes déléguées when the file lists them, else its former
/// codes.
#[test]
fn figures_of_some_former_communes_are_not_the_merged_communes() {
    let declared_for = |text: &str, population: &str| {
        let population = population_table(population);
        let declared = declared_table(text);
        let count = count(
            &cameras(),
            &zones(&["8"]),
            Some(&population),
            Some(&declared),
            None,
        );
        let row = (count.rows.iter()).find(|r| r.reference.as_deref() == Some("12001"));
        let figure = row.unwrap().declared.as_ref().map(|d| d.cameras);
        let partial: Vec<(String, String)> = (count.declared.partial.iter())
            .map(|(d, commune)| (d.code.clone(), commune.clone()))
            .collect();
        (figure, partial)
    };
    // 12997 merged long ago; 12999 and 12998 are the communes déléguées.
    let delegated = "code,type,population,chef_lieu_ou_commune_parente,anciens_codes\n\
        12001,commune-actuelle,1000,,12999;12998;12997\n\
        12999,commune-deleguee,,12001,\n\
        12998,commune-deleguee,,12001,\n";
    let one = declared_for("code,cameras\n12999,4\n", delegated);
    assert_eq!(one, (None, vec![("12999".into(), "12001".into())]));
    let both = declared_for("code,cameras\n12999,4\n12998,3\n", delegated);
    assert_eq!(both, (Some(7), vec![]));
    // The commune's own figure is its own, whatever its parts declare.
    let own = declared_for("code,cameras\n12001,9\n12999,4\n", delegated);
    assert_eq!(own.0, Some(9));
    // Without communes déléguées, its parts are its former codes and its
    // own, which it took from the commune it merged around: figures under
    // former codes alone never cover it (Pugieu's 2 read as all
    // Chazey-Bons', found 2026-12-06).
    let listed =
        "code,type,population,anciens_codes\n12001,commune-actuelle,1000,12999;12998;12997\n";
    let two = declared_for("code,cameras\n12999,4\n12998,3\n", listed);
    assert_eq!((two.0, two.1.len()), (None, 2));
    let all = declared_for("code,cameras\n12999,4\n12998,3\n12997,1\n", listed);
    assert_eq!((all.0, all.1.len()), (None, 3));
}

/// Regression (2026-12-06): with a plain population file, the IGN 2018
/// polygon of Vicdessos (09334) stood beside Val-de-Sos's declared 12,
/// the figure of the commune it merged into under its code, though the
/// population join gave it no population. A zone the file names
/// otherwise takes neither; a zone named as the file names it takes both.
#[test]
fn a_zone_named_otherwise_takes_no_declared_figure_of_its_code() {
    let population = population_table("code,nom,population\n09334,Val-de-Sos,599\n");
    let declared = declared_table("code,cameras\n09334,12\n");
    for (name, expected) in [("Vicdessos", None), ("Val de Sos", Some(12))] {
        let mut zone = square("8", "09334", 0.0, 0.0, true);
        zone.name = Some(name.into());
        zone.population = None;
        let zones = Zones {
            table: vec![zone],
            ..Zones::default()
        };
        let count = count(&cameras(), &zones, Some(&population), Some(&declared), None);
        let row = &count.rows[0];
        assert_eq!(row.declared.as_ref().map(|d| d.cameras), expected, "{name}");
        assert_eq!(row.population, expected.map(|_| 599), "{name}");
        assert_eq!(
            count.declared.split.len(),
            usize::from(expected.is_none()),
            "{name}"
        );
    }
}
