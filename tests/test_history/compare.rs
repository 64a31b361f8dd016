//! `camcount compare OLD NEW`: the added and removed cameras are those
//! `osmium derive-changes` finds, and the per-commune table adds up in the
//! new file's zones.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command as Process;

use crate::common::{extract, read_csv, stdout_of, Workdir};
use crate::{camera_ids, history_file};

/// Added and removed cameras per `osmium derive-changes OLD NEW`: created
/// or modified objects tagged as cameras in NEW that were not cameras in
/// OLD; deleted or modified objects that were cameras in OLD and are not
/// in NEW.
fn osmium_camera_changes(old: &Path, new: &Path, wd: &Workdir) -> (Vec<String>, Vec<String>) {
    let change = wd.path("changes.osc");
    let status = Process::new("osmium")
        .arg("derive-changes")
        .arg(old)
        .arg(new)
        .arg("-o")
        .arg(&change)
        .arg("--overwrite")
        .status()
        .expect("osmium-tool is installed");
    assert!(status.success());
    let text = std::fs::read_to_string(&change).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let old_cameras = camera_ids(&stdout_of(&[OsStr::new("cameras"), old.as_os_str()]));
    let (mut added, mut removed) = (BTreeSet::new(), BTreeSet::new());
    for section in document
        .root_element()
        .children()
        .filter(|n| n.is_element())
    {
        for object in section.children().filter(|n| n.is_element()) {
            let id = format!(
                "{}/{}",
                object.tag_name().name(),
                object.attribute("id").unwrap()
            );
            let camera = object.children().any(|t| {
                t.tag_name().name() == "tag"
                    && t.attribute("k") == Some("man_made")
                    && t.attribute("v") == Some("surveillance")
            });
            let is_delete = section.tag_name().name() == "delete";
            let was = old_cameras.contains(&id);
            if !is_delete && camera && !was {
                added.insert(id);
            } else if was && (is_delete || !camera) {
                removed.insert(id);
            }
        }
    }
    (added.into_iter().collect(), removed.into_iter().collect())
}

fn sorted_ids(text: &str) -> Vec<String> {
    let set: BTreeSet<String> = text.split_whitespace().map(str::to_string).collect();
    set.into_iter().collect()
}

#[test]
fn compare_finds_the_cameras_osmium_derive_changes_finds() {
    let wd = Workdir::new();
    let pairs = [
        (extract("monaco-2021-04-21"), extract("monaco-2026-07-10")),
        (
            history_file("monaco-2015-07-07.osm.pbf"),
            extract("monaco-2026-07-10"),
        ),
    ];
    for (old, new) in &pairs {
        let json = stdout_of(&[
            OsStr::new("compare"),
            old.as_os_str(),
            new.as_os_str(),
            OsStr::new("-f"),
            OsStr::new("json"),
        ]);
        let document: serde_json::Value = serde_json::from_str(&json).unwrap();
        let ours = (
            sorted_ids(document["totals"]["added"].as_str().unwrap()),
            sorted_ids(document["totals"]["removed"].as_str().unwrap()),
        );
        let theirs = osmium_camera_changes(old, new, &wd);
        assert_eq!(ours, theirs, "{} → {}", old.display(), new.display());
        assert!(!ours.0.is_empty());
        // Each side's data date is shown.
        let metadata = &document["metadata"];
        assert_ne!(metadata["old_data_date"], metadata["new_data_date"]);
    }
}

#[test]
fn compare_per_commune_adds_up_and_uses_the_new_zones() {
    let old = extract("monaco-2021-04-21");
    let new = extract("monaco-2026-07-10");
    let out = stdout_of(&[OsStr::new("compare"), old.as_os_str(), new.as_os_str()]);
    let rows = read_csv(&out);
    let monaco = rows.iter().find(|r| r["name"] == "Monaco").unwrap();
    let n = |k: &str| monaco[k].parse::<i64>().unwrap();
    assert_eq!(n("cameras_new") - n("cameras_old"), n("change"));
    assert_eq!(n("change"), n("added") - n("removed"));
    assert_eq!(n("cameras_new"), 29, "the plain count of 2026 in Monaco");
    assert_eq!(monaco["old_data_date"], "2021-04-21");
    assert_eq!(monaco["new_data_date"], "2026-07-10");
}
