//! Where a file holds data, to a grid of 0.01° cells (about 1.1 km by
//! 0.8 km in France): the cells that hold at least one node.
//!
//! Why a grid and not only the header's box: an extract is cut along a
//! region's outline, and its box also holds the neighbours' land, where the
//! file has no data. A commune there must not read as a commune without
//! cameras. A cell of about a square kilometre is small enough to tell a
//! neighbour from the extract, and large enough that mapped land always has
//! a node in most of its cells.
//!
//! In: node positions (the scan of [`crate::scan::extent`]). Out: a sorted
//! set of occupied cells, asked cell by cell by [`crate::external::coverage`].

use geo::{BoundingRect, Coord, MultiPolygon};

/// The side of a cell, in degrees of longitude and of latitude.
pub const CELL_DEGREES: f64 = 0.01;

/// A cell: its column (longitude) and row (latitude) on the grid.
pub type Cell = (i32, i32);

/// The cell that holds a position (lon, lat in degrees).
pub fn cell_of((lon, lat): (f64, f64)) -> Cell {
    // `floor` without the library call the baseline x86-64 target makes
    // of it: this runs for every node of a file.
    let index = |v: f64| {
        let scaled = v / CELL_DEGREES;
        let truncated = scaled as i32;
        truncated - i32::from(f64::from(truncated) > scaled)
    };
    (index(lon), index(lat))
}

/// The centre of a cell, in degrees.
pub fn centre((x, y): Cell) -> (f64, f64) {
    (
        (f64::from(x) + 0.5) * CELL_DEGREES,
        (f64::from(y) + 0.5) * CELL_DEGREES,
    )
}

fn unkey(k: u64) -> Cell {
    let back = |v: u64| (v as i64 - (1 << 31)) as i32;
    (back(k >> 32), back(k & 0xffff_ffff))
}

fn key((x, y): Cell) -> u64 {
    // Offset so that the order of keys is the order of (x, y).
    let offset = |v: i32| u64::from((i64::from(v) + (1 << 31)) as u32);
    (offset(x) << 32) | offset(y)
}

/// The cells that hold data: sorted, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataCells {
    keys: Vec<u64>,
}

impl DataCells {
    /// The cells of these positions, in any order.
    pub fn of_points(points: impl IntoIterator<Item = (f64, f64)>) -> Self {
        Self::from_cells(points.into_iter().map(cell_of))
    }

    /// These cells, in any order, repeats allowed.
    pub fn from_cells(cells: impl IntoIterator<Item = Cell>) -> Self {
        let mut keys: Vec<u64> = cells.into_iter().map(key).collect();
        keys.sort_unstable();
        keys.dedup();
        Self { keys }
    }

    /// Whether a node lies in the cell.
    pub fn holds(&self, cell: Cell) -> bool {
        self.keys.binary_search(&key(cell)).is_ok()
    }

    /// The cells holding data in columns `x0..=x1` and rows `y0..=y1`.
    pub fn within(&self, (x0, y0): Cell, (x1, y1): Cell) -> impl Iterator<Item = Cell> + '_ {
        (x0..=x1).flat_map(move |x| {
            let start = self.keys.partition_point(|&k| k < key((x, y0)));
            let end = self.keys.partition_point(|&k| k <= key((x, y1)));
            self.keys[start..end].iter().map(|&k| unkey(k))
        })
    }

    /// How many cells hold data.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The most cells of one zone looked at: a département or a country is
/// sampled on a coarser lattice of the grid, a commune cell by cell.
const MAX_SAMPLES: i64 = 4096;

/// How a zone's land stands against the cells that hold data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataShare {
    /// Grid cells whose centre lies in the zone (sampled for a large zone).
    pub sampled: usize,
    /// Of those, how many hold a node of the file.
    pub held: usize,
    /// Whether any cell whose centre lies in the zone holds a node (every
    /// such cell, not only the sampled ones); for a zone too small or thin
    /// to hold a cell centre, any cell of its vertices. A node in a cell at
    /// a corner of the zone may lie a kilometre from it, in a neighbour.
    pub any: bool,
}

/// How many of the grid cells a zone covers hold a node of the file: a
/// scanline through each row's cell centres, even–odd over every ring.
pub fn data_share(geometry: &MultiPolygon<f64>, cells: &DataCells) -> DataShare {
    let mut share = DataShare::default();
    let Some(rect) = geometry.bounding_rect() else {
        return share;
    };
    let ((x0, y0), (x1, y1)) = (cell_of(rect.min().x_y()), cell_of(rect.max().x_y()));
    let span = (i64::from(x1 - x0) + 1) * (i64::from(y1 - y0) + 1);
    let stride = ((span as f64 / MAX_SAMPLES as f64).sqrt().ceil() as i32).max(1);
    let rings = (geometry.iter()).flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    let edges: Vec<(Coord, Coord)> = rings
        .flat_map(|r| r.lines().map(|l| (l.start, l.end)))
        .collect();
    let mut crossings = Vec::new();
    for y in (y0..=y1).step_by(stride as usize) {
        let lat = centre((x0, y)).1;
        crossings.clear();
        crossings.extend(
            (edges.iter())
                .filter(|(p, q)| (p.y > lat) != (q.y > lat))
                .map(|(p, q)| p.x + (lat - p.y) / (q.y - p.y) * (q.x - p.x)),
        );
        crossings.sort_unstable_by(f64::total_cmp);
        for pair in crossings.chunks_exact(2) {
            let first = (pair[0] / CELL_DEGREES - 0.5).ceil() as i32;
            let last = (pair[1] / CELL_DEGREES - 0.5).floor() as i32;
            // On the sampling lattice: columns x0, x0 + stride, …
            let start = first + (x0 - first).rem_euclid(stride);
            for x in (start..=last).step_by(stride as usize) {
                share.sampled += 1;
                share.held += usize::from(cells.holds((x, y)));
            }
        }
    }
    share.any = share.held > 0
        || (cells.within((x0, y0), (x1, y1))).any(|cell| inside(&edges, centre(cell)))
        || (share.sampled == 0 && (edges.iter()).any(|(p, _)| cells.holds(cell_of(p.x_y()))));
    share
}

/// Whether a point lies inside the rings, even–odd, the rule of the
/// scanline above.
fn inside(edges: &[(Coord, Coord)], (x, y): (f64, f64)) -> bool {
    let crossings = (edges.iter())
        .filter(|(p, q)| (p.y > y) != (q.y > y))
        .filter(|(p, q)| x < p.x + (y - p.y) / (q.y - p.y) * (q.x - p.x))
        .count();
    crossings % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_below_zero_and_at_edges_are_their_own() {
        assert_eq!(cell_of((7.415, 43.735)), (741, 4373));
        assert_eq!(cell_of((-0.005, -0.005)), (-1, -1));
        assert_eq!(cell_of((0.0, 0.0)), (0, 0));
        let (lon, lat) = centre((-1, 4373));
        assert!((lon + 0.005).abs() < 1e-12 && (lat - 43.735).abs() < 1e-9);
    }

    #[test]
    fn cells_are_kept_once_and_found_by_column_and_row() {
        let a = DataCells::of_points([(0.001, 0.001), (0.5, 0.5), (0.001, 0.002)]);
        assert_eq!(a.len(), 2);
        let both = DataCells::of_points([(0.5, 0.5), (-0.5, 0.5), (0.001, 0.001), (0.5, 0.5)]);
        assert_eq!(both.len(), 3);
        for cell in [(0, 0), (50, 50), (-50, 50)] {
            assert!(both.holds(cell), "{cell:?}");
        }
        assert!(!both.holds((1, 0)));
        let within: Vec<Cell> = both.within((-60, 0), (60, 50)).collect();
        assert_eq!(within, [(-50, 50), (0, 0), (50, 50)]);
        assert_eq!(both.within((0, 0), (50, 49)).count(), 1);
    }
}
