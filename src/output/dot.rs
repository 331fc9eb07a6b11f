//! Graphviz DOT for `graph --format dot`, written by a small quoting writer.
//!
//! Owns the drawing conventions of the DOT export: one `cluster_<package>`
//! box per top-level package, node fill by depth from the focus, edge style by
//! the strongest import kind, counts on collapsed edges (as `xlabel`s, which
//! unlike `label`s add no ranks to the layout). Every identifier and label is
//! double-quoted and escaped here, because module names come from file names
//! and a file name may hold quotes, backslashes, newlines, control characters
//! or markup. It renders a finished [`Subgraph`] in its order and must not
//! select, sort or fold anything itself.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::extract::ImportKind;
use crate::queries::subgraph::{Node, Subgraph};

/// Fill of nodes without a depth (no focus).
const PLAIN_FILL: &str = "#eef2f7";

/// Fill by depth from the focus: depth 0 (the focus) first, then lighter
/// shades; deeper nodes take the last one.
const DEPTH_FILL: [&str; 5] = ["#f26b3a", "#f9a66c", "#fcc99a", "#fde3c4", "#fff4e6"];

/// Colour of dynamic-import edges (also drawn bold).
const DYNAMIC_COLOR: &str = "#7b3294";
/// Colour of implicit (`parent`, `conftest`) edges.
const IMPLICIT_COLOR: &str = "#8c8c8c";

/// Writes `sub` as a `digraph`.
pub fn write(out: &mut dyn Write, sub: &Subgraph) -> io::Result<()> {
    writeln!(out, "digraph blastradius {{")?;
    writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"{PLAIN_FILL}\", fontname=\"Helvetica\", fontsize=10];"
    )?;
    writeln!(
        out,
        "  edge [color=\"#555555\", arrowsize=0.7, fontname=\"Helvetica\", fontsize=9];"
    )?;
    let packages = sub.packages();
    for (package, members) in &packages.groups {
        writeln!(out, "  subgraph {} {{", id(&format!("cluster_{package}")))?;
        writeln!(
            out,
            "    label={}; style=\"rounded\"; color=\"#9aa5b1\";",
            label(package)
        )?;
        for &i in members {
            if let Some(node) = sub.nodes.get(i) {
                write_node(out, "    ", node)?;
            }
        }
        writeln!(out, "  }}")?;
    }
    for &i in &packages.loose {
        if let Some(node) = sub.nodes.get(i) {
            write_node(out, "  ", node)?;
        }
    }
    for edge in &sub.edges {
        let (Some(from), Some(to)) = (sub.nodes.get(edge.from), sub.nodes.get(edge.to)) else {
            continue;
        };
        let mut attrs: Vec<String> = match edge.strongest {
            ImportKind::Module => Vec::new(),
            ImportKind::Dynamic => vec![
                "style=bold".to_string(),
                format!("color=\"{DYNAMIC_COLOR}\""),
            ],
            ImportKind::Lazy => vec!["style=dashed".to_string()],
            ImportKind::TypeChecking => vec!["style=dotted".to_string()],
            // Implicit edges: grey, with an open arrowhead.
            ImportKind::Parent | ImportKind::Conftest => vec![
                "style=dotted".to_string(),
                "arrowhead=empty".to_string(),
                format!("color=\"{IMPLICIT_COLOR}\""),
            ],
        };
        // An external label: a plain `label` turns every edge into two
        // ranks, which on dense graphs makes dot minutes slower and can
        // trip its ranking ("trouble in init_rank").
        if sub.collapsed && edge.count > 1 {
            attrs.push(format!("xlabel=\"{}\"", edge.count));
        }
        writeln!(
            out,
            "  {} -> {}{};",
            id(&from.name),
            id(&to.name),
            attr_list(&attrs)
        )?;
    }
    writeln!(out, "}}")
}

fn write_node(out: &mut dyn Write, indent: &str, node: &Node) -> io::Result<()> {
    let mut attrs = Vec::new();
    if needs_label(&node.name) {
        attrs.push(format!("label={}", label(&node.name)));
    }
    if let Some(depth) = node.depth {
        let fill = DEPTH_FILL[(depth as usize).min(DEPTH_FILL.len() - 1)];
        attrs.push(format!("fillcolor=\"{fill}\""));
        if depth == 0 {
            attrs.push("penwidth=2".to_string());
        }
    }
    writeln!(out, "{indent}{}{};", id(&node.name), attr_list(&attrs))
}

fn attr_list(attrs: &[String]) -> String {
    if attrs.is_empty() {
        String::new()
    } else {
        format!(" [{}]", attrs.join(", "))
    }
}

/// A node's default label is its ID; an explicit label is needed when the
/// name would display differently (entities, control characters).
fn needs_label(name: &str) -> bool {
    name.chars()
        .any(|c| c == '&' || (c.is_control() && c != '\n'))
}

/// `s` as a double-quoted DOT ID. `"` and `\` are escaped, a newline becomes
/// `\n` and any other control character `\u{hex}`, so the output holds no raw
/// control characters and distinct names stay distinct IDs.
pub fn id(s: &str) -> String {
    quoted(s, false)
}

/// `s` as a double-quoted DOT label (an escString) that displays as `s`:
/// like [`id`], with `&` written as `&amp;` (Graphviz reads entities in
/// labels) and control characters shown as the text `\u{hex}`.
pub fn label(s: &str) -> String {
    quoted(s, true)
}

fn quoted(s: &str, for_label: bool) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '&' if for_label => q.push_str("&amp;"),
            c if c.is_control() => {
                let escape = if for_label { "\\\\" } else { "\\" };
                let _ = write!(q, "{escape}u{{{:x}}}", u32::from(c));
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

#[cfg(test)]
mod tests {
    use super::{id, label};

    #[test]
    fn ids_escape_quotes_backslashes_newlines_and_control_characters() {
        assert_eq!(id("app.core"), "\"app.core\"");
        assert_eq!(id("a\"b\\c\nd</script>é"), "\"a\\\"b\\\\c\\nd</script>é\"");
        assert_eq!(id("tab\there\r"), "\"tab\\u{9}here\\u{d}\"");
        assert_eq!(id("x&y"), "\"x&y\"");
    }

    #[test]
    fn labels_also_escape_entities_and_show_control_characters_as_text() {
        assert_eq!(label("x&lt;y"), "\"x&amp;lt;y\"");
        assert_eq!(label("a\tb\\"), "\"a\\\\u{9}b\\\\\"");
    }
}
