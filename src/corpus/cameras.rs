//! Where the cameras go, and the objects that must not count.
//!
//! Why these rules: real cameras crowd into a few hundred towns, so three
//! quarters go to the 1 % most populous communes (in proportion to their
//! population) and the rest to communes drawn at random; 1 % fall at sea,
//! outside every commune; 2 % are small closed ways, counted at their
//! centre. A camera is kept only when the generated geometry puts it inside
//! its commune, at least 30 m from every border segment of it, and inside
//! no other commune, so the expected counts do not depend on how a reader
//! treats points on a border. Decoys carry tags that look like a camera
//! but are not `man_made=surveillance`.
//!
//! In: communes, their member chains, a seeded [`SplitMix64`]. Out:
//! [`PlacedCamera`]s, each with the commune it was placed in.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use super::input::Commune;
use super::topology::{Member, Point, Topology};

/// The splitmix64 generator: small, seeded, the same on every platform.
///
/// # Examples
///
/// ```
/// use camcount::corpus::SplitMix64;
///
/// let (mut a, mut b) = (SplitMix64::new(7), SplitMix64::new(7));
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!((0.0..1.0).contains(&a.unit()));
/// assert!(a.below(10) < 10);
/// ```
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
}

/// What a placed object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraKind {
    /// A `man_made=surveillance` node.
    Node,
    /// A `man_made=surveillance` closed way around the position.
    Way,
    /// `highway=speed_camera`: not a surveillance camera.
    SpeedCamera,
    /// `disused:man_made=surveillance`: removed.
    Disused,
    /// `surveillance:type=camera` without `man_made`: not counted.
    TypeOnly,
}

impl CameraKind {
    /// Whether camcount must count it.
    pub fn counts(self) -> bool {
        matches!(self, CameraKind::Node | CameraKind::Way)
    }
}

/// One camera or decoy.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedCamera {
    pub position: Point,
    pub kind: CameraKind,
    /// The commune it was placed in (index); `None` at sea and for decoys.
    pub commune: Option<u32>,
    /// `surveillance:type` and `surveillance` values, from the seed.
    pub surveillance_type: Option<&'static str>,
    pub surveillance: &'static str,
}

/// Kept distance to every border segment of the commune. 32 m on the flat
/// approximation of [`super::topology::metres`] is at least 30 m on the
/// ellipsoid.
const MARGIN_M: f64 = 32.0;
const TRIES: usize = 60;

struct Shapes<'a> {
    topology: &'a Topology,
    members: &'a [Vec<Member>],
    bboxes: Vec<(Point, Point)>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

impl<'a> Shapes<'a> {
    fn new(topology: &'a Topology, members: &'a [Vec<Member>]) -> Shapes<'a> {
        let bboxes: Vec<(Point, Point)> = members
            .iter()
            .map(|list| {
                let mut low = (i32::MAX, i32::MAX);
                let mut high = (i32::MIN, i32::MIN);
                for p in segments_points(topology, list) {
                    low = (low.0.min(p.0), low.1.min(p.1));
                    high = (high.0.max(p.0), high.1.max(p.1));
                }
                (low, high)
            })
            .collect();
        let boxes = bboxes
            .iter()
            .enumerate()
            .filter(|(_, (low, high))| low.0 <= high.0)
            .map(|(i, (low, high))| {
                let corner = |p: &Point| [p.0 as f64, p.1 as f64];
                GeomWithData::new(Rectangle::from_corners(corner(low), corner(high)), i)
            })
            .collect();
        Shapes {
            topology,
            members,
            bboxes,
            tree: RTree::bulk_load(boxes),
        }
    }

    fn segments(&self, commune: usize) -> impl Iterator<Item = (Point, Point)> + '_ {
        let points = &self.topology.points;
        self.members[commune].iter().flat_map(move |m| {
            self.topology.chains[m.chain as usize]
                .nodes
                .windows(2)
                .map(move |w| (points[w[0] as usize], points[w[1] as usize]))
        })
    }

    /// Even-odd test over the commune's segments, exact on the grid.
    fn inside(&self, commune: usize, p: Point) -> bool {
        let mut inside = false;
        for (a, b) in self.segments(commune) {
            if (a.1 > p.1) != (b.1 > p.1) {
                let t = (b.0 as i128 - a.0 as i128) * (p.1 as i128 - a.1 as i128)
                    - (p.0 as i128 - a.0 as i128) * (b.1 as i128 - a.1 as i128);
                if (t > 0) == (b.1 > a.1) {
                    inside = !inside;
                }
            }
        }
        inside
    }

    fn clear_of_border(&self, commune: usize, p: Point) -> bool {
        self.segments(commune)
            .all(|(a, b)| segment_metres(p, a, b) >= MARGIN_M)
    }

    /// Communes whose box holds the point, widened by `pad` grid units.
    fn near(&self, p: Point, pad: f64) -> Vec<usize> {
        let (x, y) = (p.0 as f64, p.1 as f64);
        let envelope = AABB::from_corners([x - pad, y - pad], [x + pad, y + pad]);
        self.tree
            .locate_in_envelope_intersecting(envelope)
            .map(|g| g.data)
            .collect()
    }

    /// Inside `commune`, clear of its border, and in no other commune.
    fn fits(&self, commune: usize, p: Point) -> bool {
        self.inside(commune, p)
            && self.clear_of_border(commune, p)
            && self
                .near(p, 0.0)
                .into_iter()
                .all(|other| other == commune || !self.inside(other, p))
    }

    /// Outside every commune and clear of their borders.
    fn at_sea(&self, p: Point) -> bool {
        // 0.001° is more than 32 m in both directions.
        self.near(p, 10_000.0)
            .into_iter()
            .all(|c| !self.inside(c, p) && self.clear_of_border(c, p))
    }

    fn random_in_box(&self, commune: usize, pad: i32, rng: &mut SplitMix64) -> Point {
        let (low, high) = self.bboxes[commune];
        let pick = |lo: i32, hi: i32, rng: &mut SplitMix64| {
            let (lo, hi) = (lo as f64 - pad as f64, hi as f64 + pad as f64);
            (lo + rng.unit() * (hi - lo)).round() as i32
        };
        let x = pick(low.0, high.0, rng);
        (x, pick(low.1, high.1, rng))
    }
}

fn segments_points<'a>(
    topology: &'a Topology,
    list: &'a [Member],
) -> impl Iterator<Item = Point> + 'a {
    list.iter().flat_map(move |m| {
        topology.chains[m.chain as usize]
            .nodes
            .iter()
            .map(move |&n| topology.points[n as usize])
    })
}

/// Distance from `p` to segment `a b`, in metres, on a plane scaled at `p`.
fn segment_metres(p: Point, a: Point, b: Point) -> f64 {
    let kx = 1e-7 * 111_320.0 * (p.1 as f64 * 1e-7).to_radians().cos();
    let ky = 1e-7 * 111_320.0;
    let to = |q: Point| ((q.0 - p.0) as f64 * kx, (q.1 - p.1) as f64 * ky);
    let (a, b) = (to(a), to(b));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

/// Places the cameras, the ones at sea and the decoys.
pub fn place(
    communes: &[Commune],
    topology: &Topology,
    members: &[Vec<Member>],
    per_commune: f64,
    rng: &mut SplitMix64,
) -> Vec<PlacedCamera> {
    let shapes = Shapes::new(topology, members);
    let total = (per_commune * communes.len() as f64).round() as usize;
    let at_sea = total / 100;
    let pick = CommunePicker::new(communes);
    let mut placed = Vec::with_capacity(total + total / 10);
    for i in 0..total - at_sea {
        let mut commune = if i % 4 != 3 {
            pick.hot(rng)
        } else {
            rng.below(communes.len())
        };
        // A commune too small or thin for a point 30 m inside gives way to
        // another one drawn at random.
        'commune: for _ in 0..5 {
            for _ in 0..TRIES {
                let p = shapes.random_in_box(commune, 0, rng);
                if shapes.fits(commune, p) {
                    placed.push(camera(p, Some(commune as u32), rng));
                    break 'commune;
                }
            }
            commune = rng.below(communes.len());
        }
    }
    for _ in 0..at_sea {
        for _ in 0..TRIES {
            let commune = rng.below(communes.len());
            let p = shapes.random_in_box(commune, 500_000, rng);
            if shapes.at_sea(p) {
                placed.push(camera(p, None, rng));
                break;
            }
        }
    }
    let kinds = [
        CameraKind::SpeedCamera,
        CameraKind::Disused,
        CameraKind::TypeOnly,
    ];
    for i in 0..total / 10 {
        let commune = rng.below(communes.len());
        let position = shapes.random_in_box(commune, 0, rng);
        placed.push(PlacedCamera {
            position,
            kind: kinds[i % 3],
            commune: None,
            surveillance_type: Some("camera"),
            surveillance: "public",
        });
    }
    placed
}

fn camera(position: Point, commune: Option<u32>, rng: &mut SplitMix64) -> PlacedCamera {
    let kind = if rng.below(50) == 0 {
        CameraKind::Way
    } else {
        CameraKind::Node
    };
    let surveillance_type = match rng.below(20) {
        0 => Some("ALPR"),
        1 => None,
        _ => Some("camera"),
    };
    let surveillance = ["public", "public", "outdoor", "indoor"][rng.below(4)];
    PlacedCamera {
        position,
        kind,
        commune,
        surveillance_type,
        surveillance,
    }
}

/// Draws communes among the 1 % most populous, in proportion to population.
struct CommunePicker {
    hot: Vec<usize>,
    cumulative: Vec<f64>,
}

impl CommunePicker {
    fn new(communes: &[Commune]) -> CommunePicker {
        let mut order: Vec<usize> = (0..communes.len()).collect();
        order.sort_by_key(|&c| std::cmp::Reverse(communes[c].population.unwrap_or(0)));
        order.truncate((communes.len() / 100).max(1));
        let mut sum = 0.0;
        let cumulative = order
            .iter()
            .map(|&c| {
                sum += communes[c].population.unwrap_or(0).max(1) as f64;
                sum
            })
            .collect();
        CommunePicker {
            hot: order,
            cumulative,
        }
    }

    fn hot(&self, rng: &mut SplitMix64) -> usize {
        let target = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        let i = self.cumulative.partition_point(|&c| c <= target);
        self.hot[i.min(self.hot.len() - 1)]
    }
}
