//! Mermaid `flowchart LR` for `graph --format mermaid`, as GitHub renders it.
//!
//! Owns the Mermaid drawing conventions: generated node IDs (`n0`, `n1`, ...
//! in the subgraph's name order) so that no module name is ever parsed as
//! syntax, names only inside `["..."]` labels escaped with Mermaid's `#...;`
//! entity codes, one `subgraph` per top-level package, `-->` for module
//! imports and `-.->` with a kind label for the others, and fills by depth
//! from the focus. It renders a finished [`Subgraph`] in its order and must
//! not select, sort or fold anything itself.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::extract::ImportKind;
use crate::queries::subgraph::Subgraph;

/// Class definitions by depth from the focus, depth 0 (the focus) first;
/// deeper nodes take the last one. No trailing `;`: Mermaid strips one from
/// any `classDef` line holding a `#`.
const DEPTH_CLASSES: [&str; 5] = [
    "fill:#f26b3a,stroke:#333,stroke-width:2px",
    "fill:#f9a66c",
    "fill:#fcc99a",
    "fill:#fde3c4",
    "fill:#fff4e6",
];

/// Writes `sub` as a Mermaid flowchart.
pub fn write(out: &mut dyn Write, sub: &Subgraph) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let packages = sub.packages();
    for (p, (package, members)) in packages.groups.iter().enumerate() {
        writeln!(out, "  subgraph p{p} [\"{}\"]", text(package))?;
        for &i in members {
            if let Some(node) = sub.nodes.get(i) {
                writeln!(out, "    n{i}[\"{}\"]", text(&node.name))?;
            }
        }
        writeln!(out, "  end")?;
    }
    for &i in &packages.loose {
        if let Some(node) = sub.nodes.get(i) {
            writeln!(out, "  n{i}[\"{}\"]", text(&node.name))?;
        }
    }
    for edge in &sub.edges {
        let count = (sub.collapsed && edge.count > 1).then_some(edge.count);
        let (arrow, kind) = match edge.strongest {
            ImportKind::Module => ("-->", None),
            ImportKind::Lazy => ("-.->", Some("lazy")),
            ImportKind::TypeChecking => ("-.->", Some("type-checking")),
            ImportKind::Dynamic => ("-.->", Some("dynamic")),
            ImportKind::Parent => ("-.->", Some("parent")),
            ImportKind::Conftest => ("-.->", Some("conftest")),
        };
        let label = match (kind, count) {
            (None, None) => String::new(),
            (Some(kind), None) => format!("|{kind}|"),
            (None, Some(count)) => format!("|{count}|"),
            (Some(kind), Some(count)) => format!("|{kind}, {count}|"),
        };
        writeln!(out, "  n{} {arrow}{label} n{}", edge.from, edge.to)?;
    }
    write_depth_classes(out, sub)
}

/// `classDef depthK ...` and `class n.. depthK` for every depth present.
fn write_depth_classes(out: &mut dyn Write, sub: &Subgraph) -> io::Result<()> {
    let mut by_class: [Vec<String>; DEPTH_CLASSES.len()] = Default::default();
    for (i, node) in sub.nodes.iter().enumerate() {
        if let Some(depth) = node.depth {
            by_class[(depth as usize).min(DEPTH_CLASSES.len() - 1)].push(format!("n{i}"));
        }
    }
    for (k, members) in by_class.iter().enumerate() {
        if !members.is_empty() {
            writeln!(out, "  classDef depth{k} {}", DEPTH_CLASSES[k])?;
            writeln!(out, "  class {} depth{k}", members.join(","))?;
        }
    }
    Ok(())
}

/// `s` escaped for the inside of a Mermaid `["..."]` label: `"` `<` `>` `&`
/// as `#quot;` `#lt;` `#gt;` `#amp;`; `#` itself (so a name cannot spell an
/// entity), `:` (so Mermaid's `style`/`classDef` pre-pass cannot match a
/// label) and the backtick (which would start a Markdown string) as numeric
/// codes; newlines and other control characters as numeric codes too, so a
/// label never spans lines.
pub fn text(s: &str) -> String {
    let mut t = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => t.push_str("#quot;"),
            '<' => t.push_str("#lt;"),
            '>' => t.push_str("#gt;"),
            '&' => t.push_str("#amp;"),
            '#' | ':' | '`' => {
                let _ = write!(t, "#{};", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(t, "#{};", u32::from(c));
            }
            c => t.push(c),
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn labels_use_entity_codes_and_never_span_lines() {
        assert_eq!(text("app.core"), "app.core");
        assert_eq!(
            text("a\"b\\c</script>&#x"),
            "a#quot;b\\c#lt;/script#gt;#amp;#35;x"
        );
        assert_eq!(text("line\nbreak\t`x`:y"), "line#10;break#9;#96;x#96;#58;y");
        assert_eq!(text("é€"), "é€");
    }
}
