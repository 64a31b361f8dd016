//! What a scan says of the file it read, on stderr and in the outputs:
//! its counts and stage times under `-v`, a file with no date, a stale
//! header, a file of nodes only (a download cut short), copies dropped.
//!
//! In: the scan's output and stats. Out: warnings and stage lines through
//! the reporter; notes for the outputs.

use camcount::scan::ScanOutput;

use crate::progress::Reporter;

/// A file cut at a block boundary reads as a whole one: what it lacks is
/// what comes last, ways and relations (found 2026-12-05: a history file
/// cut so counted 16 cameras of 32, exit 0). The counts are of the nodes,
/// ways and relations read.
pub fn warn_nodes_only(reporter: &Reporter, counts: [u64; 3]) {
    if nodes_only(counts) {
        reporter.warn(
            "the file holds nodes only, no way and no relation: a download cut short looks \
             so (its counts are too low); a complete extract holds both, so compare its size \
             with the source's, or `osmium fileinfo -e` it",
        );
    }
}

/// A header older than the objects read (see
/// [`camcount::dates::DateSource::PastHeader`]): said on stderr too.
pub fn warn_stale_header(reporter: &Reporter, date: &camcount::dates::DataDate) {
    if let camcount::dates::DateSource::PastHeader { header, by } = date.source {
        reporter.warn(&format!(
            "the file's header dates its data {}, but it holds {}: it was \
             changed after it was cut (merged, or edited and saved); every output dates its \
             figures {} and says why; `osmium fileinfo -e` shows both dates",
            camcount::dates::iso_day(header),
            by.holding(&date.day()),
            date.day(),
        ));
    }
}

fn nodes_only([nodes, ways, relations]: [u64; 3]) -> bool {
    nodes > 0 && ways == 0 && relations == 0
}

/// [`warn_nodes_only`]'s caveat, for the outputs: a file cut between two
/// blobs counted 18 cameras of 32 with only stderr saying so (found
/// 2026-12-05).
pub fn nodes_only_note(counts: [u64; 3]) -> Option<camcount::output::metadata::Note> {
    nodes_only(counts).then(|| camcount::output::metadata::Note {
        en: "The file holds nodes only, no way and no relation, as a download cut short does: \
             its counts may be too low."
            .into(),
        fr: "Le fichier ne contient que des nœuds, aucun chemin ni relation, comme un \
             téléchargement interrompu : ses comptes peuvent être trop bas."
            .into(),
    })
}

/// Logs the scan's counts and stage times under `-v`.
pub fn log_scan(reporter: &Reporter, found: &ScanOutput) {
    let s = &found.stats;
    // Every output says "unknown" then; a figure without its date must not
    // leave without a word.
    if found.data_date.timestamp.is_none() {
        reporter.warn(
            "the file states no date (no header timestamp, no object timestamp): every output \
             dates its figures 'unknown'; take the date from where the file came from (a \
             Geofabrik extract's date, `osmium fileinfo -e`)",
        );
    }
    warn_stale_header(reporter, &found.data_date);
    warn_nodes_only(reporter, [s.nodes, s.ways, s.relations]);
    // A history file's copies are its versions, and `note_history` says
    // which state is counted.
    if s.duplicates > 0 && !found.history {
        reporter.warn(&format!(
            "dropped {} copies of the cameras and boundary objects read that the file holds \
             more than once (same type and id; other objects are not looked at), keeping the \
             highest version of each (on a tie, the copy read last); `osmium \
             merge` of sorted inputs writes each version once, `osmium time-filter IN -o \
             OUT.osm.pbf` keeps only the latest",
            s.duplicates
        ));
    }
    let reads = match (
        s.sorted,
        s.duplicates > 0,
        s.blob_reads.saturating_sub(s.blobs),
    ) {
        (_, true, _) => "read twice: the file holds objects more than once".to_string(),
        (true, false, 0) => "sorted: each blob read once".to_string(),
        (true, false, extra) => {
            format!("sorted: each blob read once, plus {extra} section probes")
        }
        (false, false, _) => "unsorted: member ways and nodes re-read where needed".to_string(),
    };
    let detail = format!(
        "{} blobs, {} blob reads ({reads}), {} elements, {:.1} MB; data date {} ({})",
        s.blobs,
        s.blob_reads,
        s.elements(),
        s.bytes as f64 / 1e6,
        found.data_date.day(),
        found.data_date.source.as_str(),
    );
    let times = &s.stage_times;
    reporter.stage("scan", times.nodes + times.ways + times.relations, &detail);
    reporter.stage(
        "scan index",
        s.index_time,
        "frame headers and section probes",
    );
    reporter.detail(&format!(
        "delta decoders (node ids, coordinates): {}",
        camcount::pbf::delta::delta_decoders()
    ));
    let refs = found.ways.node_refs();
    reporter.detail(&format!(
        "kept {} boundary relations, {} member ways ({refs} node refs), {} of {} wanted nodes found",
        found.relations.len(),
        found.ways.len(),
        found.nodes.found(),
        found.nodes.len()
    ));
    for (name, time) in [
        ("relations", times.relations),
        ("ways", times.ways),
        ("nodes", times.nodes),
    ] {
        reporter.stage(&format!("scan {name}"), time, "stage");
    }
    reporter.stage(
        "scan node table",
        s.node_table_time,
        &format!("{} wanted nodes", found.nodes.len()),
    );
}
