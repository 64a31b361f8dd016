//! Whether the extract covers each zone given from outside
//! (`--boundaries`): a commune polygon where the file holds no data would
//! print 0 cameras for a town nobody looked at.
//!
//! Two tests, the cheap one first:
//! - the header's bounding box, the extract's own statement of where its
//!   data lies (osmium and Geofabrik write it). A zone beyond it certainly
//!   has no data; one it cuts is `partial`, with the share inside.
//! - the grid cells that hold the file's nodes ([`crate::cells`]). An
//!   extract is cut along a region's outline, so its box also holds the
//!   neighbours' land: a zone with no node in it (to the cell) is beyond
//!   the data. In a file dense enough to judge by (a hundred nodes a cell
//!   or more, as real extracts hold), a zone with data in under half its
//!   cells is `partial`. A file of little but cameras tells nothing of where it has
//!   no data; the box alone judges it (the caller passes no cells).
//!
//! OSM boundaries: a relation the extract cut is already `incomplete`,
//! but one it kept whole (Geofabrik completes boundary relations) may
//! reach beyond its data. The count asks the box for them, not the cells,
//! which would cost a decode of every node.
//!
//! In: the zones, the box and the cells. Out: zones marked
//! `outside_extract` (not counted) or `partial` (counted, a floor), and
//! how many of each.

use geo::{BoundingRect, Intersects, MultiPolygon, Validation};

use crate::boundary::Status;
use crate::cells::{cell_of, data_share, DataCells, DataShare};
use crate::pbf::header::BBox;
use crate::zone::Zone;

mod clip;
use clip::share_inside;

/// Where a file holds data: its bounding box, and the grid cells that
/// hold its nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct DataCover {
    pub bbox: BBox,
    /// `None` when the cells cannot tell land without data from land
    /// without cameras: a file filtered down to its cameras.
    pub cells: Option<DataCells>,
    /// How many nodes fall in the cells (0 when not known).
    pub nodes: u64,
    /// Positions known to hold data (the cameras found), sorted: a zone
    /// holding one is never beyond the data, whatever its cell centres
    /// say. A commune too small to hold a cell centre with data was put
    /// `outside_extract` with its camera inside it (found 2026-12-05).
    pub held: Vec<(f64, f64)>,
}

impl DataCover {
    /// The same cover, knowing that these positions hold data.
    pub fn holding(mut self, points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        self.held.extend(points);
        self.held
            .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        self
    }

    /// Whether one of the positions known to hold data lies in the zone.
    fn holds_a_point_in(&self, geometry: &MultiPolygon<f64>) -> bool {
        let Some(rect) = geometry.bounding_rect() else {
            return false;
        };
        let from = self.held.partition_point(|p| p.0 < rect.min().x);
        (self.held[from..].iter())
            .take_while(|p| p.0 <= rect.max().x)
            .filter(|p| (rect.min().y..=rect.max().y).contains(&p.1))
            .any(|&p| geometry.intersects(&geo::Point::from(p)))
    }

    /// Whether the file holds data at a position: inside its box, with a
    /// node in its cell. A cell that held only the object looked at, now
    /// gone, says "no data": the cautious side for a camera said removed.
    pub fn near(&self, point: (f64, f64)) -> bool {
        let held = |cells: &DataCells| cells.holds(cell_of(point));
        self.bbox.contains(point) && self.cells.as_ref().is_none_or(held)
    }
}

/// How many zones the data leaves out or cuts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub outside: usize,
    pub partial: usize,
}

/// Below this share of a zone's cells with data, in a file dense enough
/// to judge by (see [`MIN_DENSE_NODES_PER_CELL`]), the extract stops
/// inside it.
const PARTIAL_BELOW: f64 = 0.5;

/// A file is dense enough to judge a zone by the share of its cells with
/// data when its cells hold this many nodes each, on average: a real
/// extract holds hundreds (Monaco 224, Andorra 532, Liechtenstein 684),
/// where mapped land has a node in nearly every cell of a square
/// kilometre; a file of boundaries alone holds tens (Luxembourg's, 45),
/// and only along borders. The file alone decides, not the set of zones.
const MIN_DENSE_NODES_PER_CELL: u64 = 100;

/// Marks the counted zones the data does not hold whole: those it does not
/// reach become `outside_extract`, those it cuts `partial`, with the share
/// of their area inside it in the reason.
pub fn mark_coverage(zones: &mut [Zone], data: &DataCover) -> Coverage {
    let mut coverage = Coverage::default();
    let judged: Vec<bool> = zones.iter().map(|z| z.status == Status::Ok).collect();
    let verdicts = verdicts(zones, &judged, data);
    for (zone, verdict) in zones.iter_mut().zip(verdicts) {
        let Some((status, share, why)) = verdict else {
            continue;
        };
        match status {
            Status::OutsideExtract => {
                zone.status = status;
                let noted = std::mem::take(&mut zone.reason);
                zone.reason = match why {
                    // A zone holding a camera is never judged outside
                    // (`Edge` is partial); it reads as the cells' verdict.
                    Beyond::Cells | Beyond::Edge => "outside the extract: no node of the file \
                                                     lies in this polygon (to 0.01°), so the \
                                                     file holds no data there"
                        .to_string(),
                    _ => "outside the extract: its bounding box does not reach this \
                          polygon, so the file holds no data there"
                        .to_string(),
                };
                keep_note(&mut zone.reason, noted);
                coverage.outside += 1;
            }
            Status::Partial => {
                zone.status = status;
                let noted = std::mem::take(&mut zone.reason);
                zone.reason = match why {
                    Beyond::Cells => format!(
                        "{} of its area holds data of the file (nodes, to 0.01°): \
                         the extract stops inside it, so the count is a floor",
                        only(share, "only about")
                    ),
                    Beyond::Edge => "the file holds a camera in it but no node at the centres \
                                     of its 0.01° cells: the extract may stop inside it, so \
                                     the count is a floor"
                        .to_string(),
                    _ => format!(
                        "{} of its area lies in the extract's bounding box: \
                         cameras beyond it are not in the file, so the count is a floor",
                        only(share, "only")
                    ),
                };
                keep_note(&mut zone.reason, noted);
                coverage.partial += 1;
            }
            _ => {}
        }
    }
    coverage
}

/// Appends what the zone's reason said before (an invalid polygon's
/// note) to its new reason.
fn keep_note(reason: &mut String, noted: String) {
    if !noted.is_empty() {
        reason.push_str("; ");
        reason.push_str(&noted);
    }
}

/// How each zone stands against another file's data, as [`mark_coverage`]
/// would mark it (an unbuilt zone keeps its status), the zones left as
/// they are: `compare` counts both snapshots in the same zones.
pub fn statuses_in(zones: &[Zone], data: &DataCover) -> Vec<Status> {
    let judged: Vec<bool> = (zones.iter())
        .map(|z| {
            z.geometry.is_some()
                && matches!(
                    z.status,
                    Status::Ok | Status::Partial | Status::OutsideExtract
                )
        })
        .collect();
    let verdicts = verdicts(zones, &judged, data);
    (zones.iter().zip(verdicts))
        .map(|(zone, verdict)| verdict.map_or(zone.status, |(status, _, _)| status))
        .collect()
}

/// What put a zone beyond the data, wholly or in part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Beyond {
    /// Nothing: the data holds it.
    Not,
    /// The file's bounding box.
    Box,
    /// The cells that hold the file's nodes.
    Cells,
    /// The cells, though a camera lies inside: data at most at its edge.
    Edge,
}

/// Each judged zone's standing (`None` for the others): first against the
/// box; then, for a zone the box reaches, against the cells: no node in
/// it puts it beyond the data, and in a dense file (see
/// [`MIN_DENSE_NODES_PER_CELL`]) data in less than half its cells makes it
/// partial.
fn verdicts(
    zones: &[Zone],
    judged: &[bool],
    data: &DataCover,
) -> Vec<Option<(Status, f64, Beyond)>> {
    let boxed: Vec<Option<(Status, f64)>> = (zones.iter().zip(judged))
        .map(|(zone, &judged)| match &zone.geometry {
            Some(geometry) if judged => Some(boxed(geometry, &data.bbox)),
            _ => None,
        })
        .collect();
    let Some(cells) = &data.cells else {
        return (boxed.into_iter())
            .map(|b| b.map(|(status, share)| (status, share, beyond_box(status))))
            .collect();
    };
    let shares: Vec<Option<DataShare>> = (zones.iter().zip(&boxed))
        .map(|(zone, b)| match (&zone.geometry, b) {
            (Some(geometry), Some((status, _))) if *status != Status::OutsideExtract => {
                Some(data_share(geometry, cells))
            }
            _ => None,
        })
        .collect();
    let dense = data.nodes >= MIN_DENSE_NODES_PER_CELL * cells.len() as u64;
    (boxed.into_iter().zip(shares).zip(zones))
        .map(|((b, share), zone)| {
            let (status, box_share) = b?;
            let Some(share) = share else {
                return Some((status, box_share, beyond_box(status)));
            };
            if !share.any {
                let held = (zone.geometry.as_ref()).is_some_and(|g| data.holds_a_point_in(g));
                return Some(match held {
                    true => (Status::Partial, 0.0, Beyond::Edge),
                    false => (Status::OutsideExtract, 0.0, Beyond::Cells),
                });
            }
            let held = share.held as f64 / share.sampled.max(1) as f64;
            if dense && share.sampled > 0 && held < PARTIAL_BELOW && held < box_share {
                return Some((Status::Partial, held, Beyond::Cells));
            }
            Some((status, box_share, beyond_box(status)))
        })
        .collect()
}

fn beyond_box(status: Status) -> Beyond {
    match status {
        Status::Ok => Beyond::Not,
        _ => Beyond::Box,
    }
}

/// Whether the box holds the polygon whole (an empty polygon counts as
/// held): the box check has nothing to say of it, whatever the cells say.
pub fn box_holds(bbox: &BBox, geometry: &MultiPolygon<f64>) -> bool {
    geometry
        .bounding_rect()
        .is_none_or(|rect| bbox.contains(rect.min().x_y()) && bbox.contains(rect.max().x_y()))
}

/// `Ok` when the box holds the polygon whole, else `Partial` or
/// `OutsideExtract`, with the share of its area inside the box.
fn boxed(geometry: &MultiPolygon<f64>, bbox: &BBox) -> (Status, f64) {
    if box_holds(bbox, geometry) {
        return (Status::Ok, 1.0);
    }
    // An invalid polygon's rings do not sum to its area (a bowtie's lobes
    // cancel): its share is measured on the region it encloses.
    let share = match geometry.is_valid() {
        true => share_inside(geometry, bbox),
        false => share_inside(&crate::external::normalised(geometry), bbox),
    };
    // A polygon joined from parts (features sharing a code, overlapping
    // parts) comes back from the union a rounding error beyond an edge it
    // shares with the box: "only 99 %" and `partial` for a zone wholly in
    // it (found 2026-12-05). A billionth of its area is no share.
    let status = match share {
        s if s <= 0.0 => Status::OutsideExtract,
        s if s < 1.0 - 1e-9 => Status::Partial,
        _ => return (Status::Ok, 1.0),
    };
    (status, share)
}

/// "only 15 %"; "less than 1 %" rather than "only 0 %", and never
/// "100 %", for a share below 1.
fn only(share: f64, only: &str) -> String {
    match (share * 100.0).round() {
        p if p < 1.0 => "less than 1 %".to_string(),
        p => format!("{only} {} %", p.min(99.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn zone(x: f64, y: f64) -> Zone {
        let square = polygon![
            (x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)
        ];
        Zone {
            admin_level: "8".into(),
            osm_id: None,
            reference: Some(format!("{x}")),
            name: None,
            population: None,
            area_km2: None,
            status: Status::Ok,
            reason: String::new(),
            geometry: Some(MultiPolygon(vec![square])),
            footprint: None,
        }
    }

    pub(super) const BOX: BBox = BBox {
        min_lon: 0.0,
        min_lat: 0.0,
        max_lon: 2.0,
        max_lat: 1.0,
    };

    #[test]
    fn zones_are_inside_cut_or_outside_the_box() {
        let mut zones = vec![zone(0.5, 0.0), zone(1.75, 0.0), zone(5.0, 5.0)];
        let coverage = mark_coverage(&mut zones, &box_only(BOX));
        assert_eq!(
            coverage,
            Coverage {
                outside: 1,
                partial: 1
            }
        );
        let status: Vec<_> = zones.iter().map(|z| z.status).collect();
        assert_eq!(
            status,
            [Status::Ok, Status::Partial, Status::OutsideExtract]
        );
        assert!(zones[1].reason.contains("only 25 %"), "{}", zones[1].reason);
    }

    fn box_only(bbox: BBox) -> DataCover {
        DataCover {
            held: Vec::new(),
            bbox,
            cells: None,
            nodes: 0,
        }
    }

    /// A node at every 0.01° from `(x0, y0)` to `(x1, y1)`.
    fn nodes(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<(f64, f64)> {
        let steps = |a: f64, b: f64| ((b - a) / 0.01).round() as i32;
        (0..steps(x0, x1))
            .flat_map(|i| {
                (0..steps(y0, y1)).map(move |j| {
                    (
                        x0 + 0.005 + f64::from(i) * 0.01,
                        y0 + 0.005 + f64::from(j) * 0.01,
                    )
                })
            })
            .collect()
    }

    /// The cells of [`nodes`].
    fn data(x0: f64, y0: f64, x1: f64, y1: f64) -> DataCells {
        DataCells::of_points(nodes(x0, y0, x1, y1))
    }

    const WIDE: BBox = BBox {
        min_lon: 0.0,
        min_lat: 0.0,
        max_lon: 4.0,
        max_lat: 1.0,
    };

    /// Regression: an extract cut along a region's outline has its
    /// neighbours' land in its box. A commune there read "0 cameras, ok"
    /// (Luxembourg's extract with the Moselle communes: 23 of them).
    #[test]
    fn zones_in_the_box_with_no_data_are_beyond_it_and_cut_ones_partial() {
        // Data over [0, 2.2] × [0, 1] (and one stray node at (3.5, 0.5)):
        // zone 0 and 1 full, zone 2 a fifth, zone 3 none.
        let stray = nodes(3.5, 0.5, 3.51, 0.51);
        let cells = DataCells::of_points(nodes(0.0, 0.0, 2.2, 1.0).into_iter().chain(stray));
        let cover = DataCover {
            held: Vec::new(),
            bbox: WIDE,
            nodes: 100 * cells.len() as u64,
            cells: Some(cells),
        };
        let mut zones = vec![
            zone(0.0, 0.0),
            zone(1.0, 0.0),
            zone(2.0, 0.0),
            zone(2.9, 0.0),
        ];
        zones[3].geometry = Some(MultiPolygon(vec![polygon![
            (x: 2.9, y: 0.0), (x: 3.4, y: 0.0), (x: 3.4, y: 1.0), (x: 2.9, y: 1.0)
        ]]));
        let coverage = mark_coverage(&mut zones, &cover);
        let status: Vec<_> = zones.iter().map(|z| z.status).collect();
        assert_eq!(
            status,
            [
                Status::Ok,
                Status::Ok,
                Status::Partial,
                Status::OutsideExtract
            ]
        );
        assert_eq!(
            coverage,
            Coverage {
                outside: 1,
                partial: 1
            }
        );
        assert!(
            zones[2].reason.contains("only about 20 %"),
            "{}",
            zones[2].reason
        );
        assert!(
            zones[3].reason.contains("no node of the file"),
            "{}",
            zones[3].reason
        );
        // OLD's side of `compare` reads the same.
        let again = statuses_in(&zones, &cover);
        assert_eq!(again, status);
    }

    #[test]
    fn a_file_with_data_only_along_borders_judges_no_share() {
        // Nodes only on the zones' edges (a file of boundaries): each zone
        // has data, none in most of its cells; none is partial for it.
        let edges = [
            nodes(0.0, 0.0, 3.0, 0.01),
            nodes(0.0, 0.99, 3.0, 1.0),
            nodes(0.0, 0.0, 0.01, 1.0),
            nodes(0.99, 0.0, 1.01, 1.0),
        ];
        let cells = DataCells::of_points(edges.into_iter().flatten());
        let cover = DataCover {
            held: Vec::new(),
            bbox: WIDE,
            cells: Some(cells),
            nodes: 0,
        };
        let mut zones = vec![zone(0.0, 0.0), zone(1.0, 0.0), zone(3.0, 0.0)];
        mark_coverage(&mut zones, &cover);
        let status: Vec<_> = zones.iter().map(|z| z.status).collect();
        assert_eq!(status, [Status::Ok, Status::Ok, Status::OutsideExtract]);
    }

    #[test]
    fn without_cells_the_box_alone_judges() {
        let mut zones = vec![zone(2.9, 0.0)];
        mark_coverage(&mut zones, &box_only(WIDE));
        assert_eq!(zones[0].status, Status::Ok);
    }

    #[test]
    fn near_asks_the_cell() {
        let cover = DataCover {
            held: Vec::new(),
            bbox: WIDE,
            cells: Some(data(1.0, 0.5, 1.01, 0.51)),
            nodes: 0,
        };
        assert!(cover.near((1.005, 0.505)));
        assert!(!cover.near((1.015, 0.505)));
        assert!(!cover.near((5.0, 0.5)));
        assert!(box_only(WIDE).near((1.5, 0.5)));
    }

    /// A square zone `[x0, x1] × [y0, y1]`.
    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)
        ]])
    }

    /// Regression: a zone of many cells, sampled on a coarser lattice, with
    /// data in one cell off the lattice (an extract of a few streets, in a
    /// département's polygon) was `outside_extract` with a camera in it.
    #[test]
    fn data_between_the_sampled_cells_is_seen() {
        let zone = rect(6.0, 43.0, 9.0, 45.0);
        let cells = data(7.41, 43.73, 7.42, 43.74);
        let share = data_share(&zone, &cells);
        assert!(share.sampled < 300 * 200, "{share:?}");
        assert!(share.any, "{share:?}");
    }

    /// Regression: a node in the cell at a zone's corner, a kilometre away
    /// in a neighbour, made the zone hold data (Èze against Monaco's
    /// history file: no node in it, "0 cameras, ok"). A zone smaller than
    /// a cell still asks the cells of its corners.
    #[test]
    fn only_cells_centred_in_the_zone_hold_its_data_unless_it_is_tiny() {
        let neighbour = data(1.0, 1.0, 1.01, 1.01);
        // Cell (100, 100) covers [1.0, 1.01]²: its centre (1.005, 1.005) is
        // outside this zone, whose corner (1.008, 1.008) lies in the cell.
        let zone = rect(1.008, 1.008, 1.05, 1.05);
        assert!(!data_share(&zone, &neighbour).any);
        let tiny = rect(1.006, 1.006, 1.008, 1.008);
        let share = data_share(&tiny, &neighbour);
        assert_eq!(share.sampled, 0);
        assert!(share.any);
    }
}
