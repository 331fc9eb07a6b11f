//! The radius picture: lays out a blast radius as rings around the target
//! for the HTML report's inline SVG.
//!
//! Pure geometry over a radius of the report's model: one ring per depth, one dot per affected
//! module coloured by top-level package, test files hollow, critical modules
//! ringed, the shortest-chain edge from each dot to its parent. Rings with
//! more dots than fit are summarised as one arc per package. Produces plain
//! numbers and strings; the template escapes and renders them.

use std::collections::BTreeMap;
use std::f64::consts::PI;

use crate::report::AffectedRow;
use crate::resolve::ModuleId;

/// Side of the square picture, in SVG user units.
const SIZE: f64 = 640.0;
/// Deepest ring drawn; deeper modules share the outermost ring.
const MAX_RINGS: u32 = 8;
/// More dots than this on one ring and the ring becomes per-package arcs.
const DOTS_PER_RING: usize = 150;
/// More dots than this in total and chain edges are not drawn.
const MAX_EDGES: usize = 400;

/// Colours for top-level packages, in order of package size.
const PALETTE: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#e15759",
    "#ff9da7", "#bab0ac",
];
/// Colour for packages beyond the palette.
const OTHER_COLOUR: &str = "#8c8c8c";

/// One circle on a ring.
#[derive(Debug, Clone)]
pub struct Dot {
    /// Centre x.
    pub x: String,
    /// Centre y.
    pub y: String,
    /// Radius.
    pub r: String,
    /// Fill or stroke colour.
    pub colour: &'static str,
    /// Hover text: module, depth, chain.
    pub title: String,
    /// CSS classes: `dot`, plus `test` and/or `critical`.
    pub class: String,
    /// Ring (depth) it sits on, for tests and filters.
    pub ring: u32,
}

/// A chain edge from a dot to its parent.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Start x.
    pub x1: String,
    /// Start y.
    pub y1: String,
    /// End x.
    pub x2: String,
    /// End y.
    pub y2: String,
}

/// A per-package arc summarising a crowded ring.
#[derive(Debug, Clone)]
pub struct Arc {
    /// SVG path data.
    pub d: String,
    /// Stroke colour.
    pub colour: &'static str,
    /// Hover text.
    pub title: String,
    /// Ring (depth).
    pub ring: u32,
}

/// A depth ring.
#[derive(Debug, Clone)]
pub struct Ring {
    /// Radius.
    pub r: String,
    /// Label position (y, above the centre).
    pub label_y: String,
    /// `depth 2 · 17`.
    pub label: String,
}

/// A legend entry.
#[derive(Debug, Clone)]
pub struct LegendEntry {
    /// Colour.
    pub colour: &'static str,
    /// Package name and count.
    pub label: String,
}

/// The finished picture.
#[derive(Debug, Clone)]
pub struct Radius {
    /// Side length.
    pub size: String,
    /// Centre coordinate.
    pub centre: String,
    /// Rings, inner first.
    pub rings: Vec<Ring>,
    /// Dots.
    pub dots: Vec<Dot>,
    /// Chain edges.
    pub edges: Vec<Edge>,
    /// Summary arcs of crowded rings.
    pub arcs: Vec<Arc>,
    /// Package colours.
    pub legend: Vec<LegendEntry>,
    /// The target label, shown at the centre.
    pub label: String,
    /// True when some ring was summarised or edges were left out.
    pub summarised: bool,
}

fn num(v: f64) -> String {
    format!("{v:.1}")
}

/// Lays out the radius of `label` (every affected module is drawn).
pub fn layout(label: &str, affected: &[AffectedRow]) -> Radius {
    let centre = SIZE / 2.0;
    let max_depth = affected
        .iter()
        .map(|a| a.depth.min(MAX_RINGS))
        .max()
        .unwrap_or(0);

    // Package colours by size, then name: stable for the same tree.
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for a in affected {
        *sizes.entry(a.package.as_str()).or_default() += 1;
    }
    let mut by_size: Vec<(&str, usize)> = sizes.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let colour_of = |package: &str| {
        by_size
            .iter()
            .position(|(p, _)| *p == package)
            .and_then(|i| PALETTE.get(i).copied())
            .unwrap_or(OTHER_COLOUR)
    };
    let legend = by_size
        .iter()
        .enumerate()
        .map(|(i, (package, count))| LegendEntry {
            colour: PALETTE.get(i).copied().unwrap_or(OTHER_COLOUR),
            label: format!("{package} ({count})"),
        })
        .take(PALETTE.len() + 1)
        .collect();

    let mut rings_of: BTreeMap<u32, Vec<&AffectedRow>> = BTreeMap::new();
    for a in affected {
        rings_of.entry(a.depth.min(MAX_RINGS)).or_default().push(a);
    }
    // Crowded rings get more room: each ring's share of the radius grows
    // with the square root of its population.
    let outer = centre - 24.0;
    let weights: Vec<(u32, f64)> = (1..=max_depth)
        .map(|ring| {
            let n = rings_of.get(&ring).map_or(0, Vec::len) as f64;
            (ring, n.sqrt().max(1.0))
        })
        .collect();
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut radius_of: BTreeMap<u32, f64> = BTreeMap::new();
    let mut acc = 0.0;
    for (ring, w) in weights {
        acc += w;
        radius_of.insert(ring, outer * acc / total.max(1.0));
    }
    let mut position: BTreeMap<ModuleId, (f64, f64)> = BTreeMap::new();
    let mut dots = Vec::new();
    let mut arcs = Vec::new();
    let mut rings = Vec::new();
    let mut summarised = false;
    for (&ring, members) in &mut rings_of {
        let r = radius_of.get(&ring).copied().unwrap_or(outer);
        let deeper = if ring == MAX_RINGS && members.iter().any(|a| a.depth > MAX_RINGS) {
            "+"
        } else {
            ""
        };
        rings.push(Ring {
            r: num(r),
            label_y: num(centre - r - 3.0),
            label: format!("depth {ring}{deeper} · {}", members.len()),
        });
        members.sort_by(|a, b| {
            (a.package.as_str(), a.name.as_str()).cmp(&(b.package.as_str(), b.name.as_str()))
        });
        if members.len() > DOTS_PER_RING {
            summarised = true;
            arcs.extend(package_arcs(members, ring, centre, r, &colour_of));
            continue;
        }
        let n = members.len() as f64;
        let dot_r = (2.0 * PI * r / n / 2.6).clamp(2.0, 7.0);
        for (i, a) in members.iter().enumerate() {
            // Half a step off the top, where the ring labels sit.
            let angle = -PI / 2.0 + 2.0 * PI * (i as f64 + 0.5) / n;
            let (x, y) = (centre + r * angle.cos(), centre + r * angle.sin());
            position.insert(a.module, (x, y));
            let mut class = String::from("dot");
            if a.test.is_some() {
                class.push_str(" test");
            }
            if a.critical {
                class.push_str(" critical");
            }
            dots.push(Dot {
                x: num(x),
                y: num(y),
                r: num(if a.critical { dot_r + 1.5 } else { dot_r }),
                colour: colour_of(&a.package),
                // The chain is in the table; the title stays short so large
                // radii keep the page small.
                title: format!(
                    "{} (depth {}{}{})",
                    a.name,
                    a.depth,
                    if a.test.is_some() { ", test" } else { "" },
                    if a.critical { ", critical" } else { "" },
                ),
                class,
                ring,
            });
        }
    }
    let mut edges = Vec::new();
    if dots.len() <= MAX_EDGES {
        for a in affected {
            let Some(&(x1, y1)) = position.get(&a.module) else {
                continue;
            };
            let parent = a.parent.as_ref().map(|p| p.module);
            let (x2, y2) = match parent.and_then(|p| position.get(&p)) {
                Some(&p) => p,
                None if a.depth <= 1 || parent.is_none() => (centre, centre),
                None => continue,
            };
            edges.push(Edge {
                x1: num(x1),
                y1: num(y1),
                x2: num(x2),
                y2: num(y2),
            });
        }
    } else {
        summarised = true;
    }
    Radius {
        size: num(SIZE),
        centre: num(centre),
        rings,
        dots,
        edges,
        arcs,
        legend,
        label: label.to_string(),
        summarised,
    }
}

/// One arc per package along a crowded ring, sized by its share.
fn package_arcs(
    members: &[&AffectedRow],
    ring: u32,
    centre: f64,
    r: f64,
    colour_of: &dyn Fn(&str) -> &'static str,
) -> Vec<Arc> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for a in members {
        match counts.last_mut() {
            Some((p, n)) if *p == a.package => *n += 1,
            _ => counts.push((&a.package, 1)),
        }
    }
    let total = members.len() as f64;
    let mut start = -PI / 2.0;
    counts
        .into_iter()
        .map(|(package, count)| {
            let sweep = 2.0 * PI * (count as f64) / total;
            let end = start + sweep - 0.01_f64.min(sweep / 4.0);
            let large = if sweep > PI { 1 } else { 0 };
            let d = format!(
                "M {} {} A {} {} 0 {large} 1 {} {}",
                num(centre + r * start.cos()),
                num(centre + r * start.sin()),
                num(r),
                num(r),
                num(centre + r * end.cos()),
                num(centre + r * end.sin())
            );
            start += sweep;
            Arc {
                d,
                colour: colour_of(package),
                title: format!("{package}: {count} module(s) at depth {ring}"),
                ring,
            }
        })
        .collect()
}
