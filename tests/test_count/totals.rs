//! Every camera is counted once: inside, outside and unplaced cameras add
//! up to the total at every admin level of the real extracts, and on seeded
//! random cameras set on the sample's borders and corners.

use std::ffi::OsStr;

use camcount::fixtures::Seeded;
use serde_json::Value;

use crate::common::{extract, stdout_of};
use crate::sample;

fn json_totals(args: &[&OsStr]) -> Value {
    let mut all = args.to_vec();
    all.extend([OsStr::new("--format"), OsStr::new("json"), OsStr::new("-q")]);
    let doc: Value = serde_json::from_str(&stdout_of(&all)).unwrap();
    doc["totals"].clone()
}

#[test]
fn inside_plus_outside_plus_unplaced_is_the_total_at_every_level() {
    for (input, levels) in [
        (extract("monaco-2026-07-10"), "8,6,2"),
        (extract("andorra-2025-01-18"), "8,7,2"),
        (extract("liechtenstein-2024-03-04"), "8,6"),
        (sample(), "8"),
    ] {
        let totals = json_totals(&[
            input.as_os_str(),
            OsStr::new("--admin-level"),
            OsStr::new(levels),
        ]);
        let cameras = totals["cameras"].as_u64().unwrap();
        assert!(!totals["levels"].as_array().unwrap().is_empty());
        for level in totals["levels"].as_array().unwrap() {
            let sum = [
                "cameras_in_communes",
                "cameras_outside_communes",
                "cameras_without_position",
            ]
            .iter()
            .map(|k| level[k].as_u64().unwrap())
            .sum::<u64>();
            assert_eq!(
                sum,
                cameras,
                "{} level {}",
                input.display(),
                level["admin_level"]
            );
        }
    }
}

/// Seeded random cameras around the sample, many exactly on borders and
/// corners: at every level, inside + outside + unplaced is the total, and
/// each camera is counted in at most one zone.
#[test]
fn property_every_camera_is_counted_once_at_every_level() {
    use camcount::aggregate::join_cameras;
    use camcount::boundary::assemble_boundaries;
    use camcount::camera::{Camera, CameraTags};
    use camcount::pbf::block::ElementType;
    use camcount::zone::Zone;
    let selector = camcount::candidates::BoundarySelector::communes();
    let scan = camcount::scan::scan(&sample(), Some(&selector), &|_| {}).unwrap();
    let zones: Vec<Zone> = assemble_boundaries(&scan.relations, &scan)
        .into_iter()
        .map(Zone::from)
        .collect();
    for seed in 1..=50u64 {
        let mut rng = Seeded::new(seed * 0x9e37_79b9);
        let cameras: Vec<Camera> = (0..200)
            .map(|i| {
                // A third of the cameras snap to the 0.01° grid the borders lie on.
                let snap = |v: f64| {
                    if i % 3 == 0 {
                        (v * 100.0).round() / 100.0
                    } else {
                        v
                    }
                };
                Camera {
                    osm_type: ElementType::Node,
                    osm_id: i,
                    position: (i % 50 != 0).then(|| {
                        (
                            snap(-30.02 + rng.next_f64() * 0.1),
                            snap(39.98 + rng.next_f64() * 0.1),
                        )
                    }),
                    tags: CameraTags::default(),
                    edit: Default::default(),
                }
            })
            .collect();
        let join = join_cameras(&cameras, &zones);
        assert_eq!(
            join.inside() + join.outside + join.unplaced,
            cameras.len() as u64,
            "seed {seed}"
        );
        assert_eq!(join.unplaced, 4, "seed {seed}");
    }
}
