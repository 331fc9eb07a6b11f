//! Configuration: `[tool.blastradius]` in the root's `pyproject.toml`, or a
//! `blastradius.toml` beside it (same keys, at top level).
//!
//! Owns reading and validating those files, including the rules of `check`
//! (their globs compile, every `ignore` entry says why); command-line options
//! are merged on top by the CLI (they add to lists, they never silently drop
//! what the file says). It never walks the tree and never looks at modules:
//! whether a configured module exists is decided by `check`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::discover::is_identifier;
use crate::error::{Error, Result};
use crate::extract::ImportKind;

/// Settings a repository can keep in its configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Extra source roots, relative to the root.
    #[serde(default)]
    pub src: Vec<PathBuf>,
    /// Extra exclude globs.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Analyse Jupyter notebooks as importers (default true).
    #[serde(default)]
    pub notebooks: Option<bool>,
    /// Glob patterns over module names that mark critical ("golden path") modules.
    #[serde(default)]
    pub critical: Vec<String>,
    /// Import kinds every command follows when `--kinds` does not say (a
    /// `check` rule's own `kinds` still wins); each command's default when
    /// absent.
    #[serde(default)]
    pub kinds: Option<Vec<ImportKind>>,
    /// Dotted names of the project's own import functions (a wrapper of
    /// `importlib.import_module`): their calls with a literal, or a literal
    /// prefix, as first argument are `dynamic` imports.
    #[serde(default)]
    pub import_functions: Vec<String>,
    /// `check`: name → the one module allowed to define it and to be imported
    /// for it.
    #[serde(default)]
    pub canonical: BTreeMap<String, String>,
    /// `check`: import contracts that must not be broken.
    #[serde(default)]
    pub forbidden: Vec<ForbiddenImport>,
    /// `check`: glob patterns over names that may have only one class or
    /// function definition.
    #[serde(default)]
    pub no_duplicates: Vec<String>,
    /// `check`: fail on import cycles.
    #[serde(default)]
    pub no_cycles: Option<NoCycles>,
    /// `check`: module prefixes from the highest layer to the lowest; a lower
    /// layer must not import a higher one.
    #[serde(default)]
    pub layers: Vec<String>,
    /// `check`: violations that are allowed, each with its reason.
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
    /// `check`: the baseline file used when `--baseline` is not given,
    /// relative to the root.
    #[serde(default)]
    pub baseline: Option<PathBuf>,
    /// `broken`: imports known to fail that are not to be reported, each
    /// with its reason.
    #[serde(default)]
    pub broken_ignore: Vec<BrokenIgnore>,
    /// The file the configuration was read from (`None` for the defaults).
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// Where the keys sit in that file: `tool.blastradius.` in a
    /// `pyproject.toml`, empty in a `blastradius.toml`.
    #[serde(skip)]
    pub key_prefix: String,
}

impl Config {
    /// True when at least one `check` rule is configured.
    pub fn has_check_rules(&self) -> bool {
        !self.canonical.is_empty()
            || !self.forbidden.is_empty()
            || !self.no_duplicates.is_empty()
            || self.no_cycles.as_ref().is_some_and(NoCycles::enabled)
            || !self.layers.is_empty()
    }

    /// A configuration error about `key` (given without the file's prefix,
    /// e.g. `ignore[0].reason`), naming the file.
    pub fn error(&self, key: &str, message: impl fmt::Display) -> Error {
        Error::Config {
            path: self
                .file
                .clone()
                .unwrap_or_else(|| PathBuf::from("the configuration")),
            message: format!("{}{key}: {message}", self.key_prefix),
        }
    }
}

/// The `check` rules, by their names in the configuration and in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// `canonical`: a name is defined in, and imported from, one module only.
    Canonical,
    /// `forbidden`: an import contract.
    Forbidden,
    /// `no-duplicates`: one definition per matching name.
    NoDuplicates,
    /// `no-cycles`: no import cycles.
    NoCycles,
    /// `layers`: lower layers do not import higher ones.
    Layers,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 5] = [
        Rule::Canonical,
        Rule::Forbidden,
        Rule::NoDuplicates,
        Rule::NoCycles,
        Rule::Layers,
    ];

    /// The kebab-case name, as in the configuration key.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Canonical => "canonical",
            Rule::Forbidden => "forbidden",
            Rule::NoDuplicates => "no-duplicates",
            Rule::NoCycles => "no-cycles",
            Rule::Layers => "layers",
        }
    }

    /// A one-sentence description (SARIF `shortDescription`).
    pub fn description(self) -> &'static str {
        match self {
            Rule::Canonical => {
                "A name is defined only in its canonical module and imported only from there."
            }
            Rule::Forbidden => "An import that a `forbidden` contract rules out.",
            Rule::NoDuplicates => "A name that may have only one class or function definition.",
            Rule::NoCycles => "An import cycle.",
            Rule::Layers => "A lower layer imports a higher one.",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `forbidden` contract: no module matching `from` may import a module
/// matching `to` (optionally only imports of `kinds`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ForbiddenImport {
    /// The contract's name in reports and baselines (default
    /// `forbidden[i]`).
    #[serde(default)]
    pub name: Option<String>,
    /// Glob over importing module names (`*` matches dots too).
    pub from: String,
    /// Glob over imported module names.
    pub to: String,
    /// Why, shown with each violation.
    #[serde(default)]
    pub reason: Option<String>,
    /// Only imports of these kinds; the project's default kinds when absent.
    #[serde(default)]
    pub kinds: Option<Vec<ImportKind>>,
    /// Only direct imports (one violation per import); by default chains
    /// through other modules count too, like import-linter.
    #[serde(default)]
    pub direct: bool,
}

/// `no-cycles = true | false | { kinds = [...] }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoCycles {
    /// `no-cycles = false`.
    Off,
    /// `no-cycles = true` (`kinds: None`: the project's default kinds) or a
    /// table with `kinds`.
    On {
        /// Only cycles made of imports of these kinds.
        kinds: Option<Vec<ImportKind>>,
    },
}

impl NoCycles {
    /// True unless `no-cycles = false`.
    pub fn enabled(&self) -> bool {
        match self {
            NoCycles::Off => false,
            NoCycles::On { .. } => true,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NoCyclesTable {
    #[serde(default)]
    kinds: Option<Vec<ImportKind>>,
}

impl<'de> Deserialize<'de> for NoCycles {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct NoCyclesVisitor;

        impl<'de> Visitor<'de> for NoCyclesVisitor {
            type Value = NoCycles;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("true, false or a table such as { kinds = [\"module\"] }")
            }

            fn visit_bool<E: de::Error>(self, on: bool) -> std::result::Result<NoCycles, E> {
                Ok(if on {
                    NoCycles::On { kinds: None }
                } else {
                    NoCycles::Off
                })
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<NoCycles, A::Error> {
                let table = NoCyclesTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(NoCycles::On { kinds: table.kinds })
            }
        }

        deserializer.deserialize_any(NoCyclesVisitor)
    }
}

/// One allowed exception to a `check` rule. The selectors that are given
/// must all match; at least one is required, and so is `reason`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct IgnoreEntry {
    /// The rule the exception is for.
    pub rule: Rule,
    /// Glob over the violation's file path under the root (`*` stays within
    /// one directory, `**` crosses them).
    #[serde(default)]
    pub path: Option<String>,
    /// Glob over the violating module's name (`*` matches dots).
    #[serde(default)]
    pub module: Option<String>,
    /// Glob over what the violation is about: the imported module, the
    /// qualified name (`pkg.mod.Name`), or a cycle's members joined by `,`.
    #[serde(default)]
    pub target: Option<String>,
    /// Why the exception is allowed (mandatory, not empty).
    pub reason: String,
}

/// One import `broken` leaves out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BrokenIgnore {
    /// Glob over the dotted name that is missing: the module
    /// (`app.legacy.engine`), or the module and name (`app.core.Engine`).
    pub import: String,
    /// Why the failing import is kept (mandatory, not empty).
    pub reason: String,
}

/// Compiles a glob over module names: `*` matches any characters, dots included.
pub fn module_glob(pattern: &str) -> std::result::Result<GlobMatcher, globset::Error> {
    Glob::new(pattern).map(|glob| glob.compile_matcher())
}

/// Compiles a glob over file paths: `*` stays within one directory, `**`
/// crosses directories.
pub fn path_glob(pattern: &str) -> std::result::Result<GlobMatcher, globset::Error> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .map(|glob| glob.compile_matcher())
}

#[derive(Debug, Default, Deserialize)]
struct PyProject {
    #[serde(default)]
    tool: Tools,
}

#[derive(Debug, Default, Deserialize)]
struct Tools {
    blastradius: Option<Config>,
}

/// Loads the configuration of `root`: `blastradius.toml` when present,
/// otherwise `[tool.blastradius]` of `pyproject.toml`, otherwise defaults.
/// The result is validated: a bad glob, an empty list of kinds or an
/// `ignore` entry without a reason is an error naming the file and the key.
pub fn load(root: &Path) -> Result<Config> {
    let dedicated = root.join("blastradius.toml");
    let (mut config, file, prefix) = if dedicated.is_file() {
        let text = read(&dedicated)?;
        let config: Config = toml::from_str(&text).map_err(|err| bad(&dedicated, &text, &err))?;
        (config, dedicated, "")
    } else {
        let pyproject = root.join("pyproject.toml");
        if !pyproject.is_file() {
            return Ok(Config::default());
        }
        let text = read(&pyproject)?;
        let parsed: PyProject =
            toml::from_str(&text).map_err(|err| bad(&pyproject, &text, &err))?;
        match parsed.tool.blastradius {
            None => return Ok(Config::default()),
            Some(config) => (config, pyproject, "tool.blastradius."),
        }
    };
    config.file = Some(file);
    config.key_prefix = prefix.to_string();
    validate(&config)?;
    Ok(config)
}

/// Parses and validates a configuration given as text, as [`load`] would
/// read it from `file`: a `pyproject.toml` (keys under
/// `[tool.blastradius]`) or a `blastradius.toml` (keys at the top level).
/// For `init`, which checks what it is about to write.
pub fn from_text(text: &str, file: &Path) -> Result<Config> {
    let pyproject = file.file_name().is_some_and(|n| n == "pyproject.toml");
    let (mut config, prefix) = if pyproject {
        let parsed: PyProject = toml::from_str(text).map_err(|err| bad(file, text, &err))?;
        (
            parsed.tool.blastradius.unwrap_or_default(),
            "tool.blastradius.",
        )
    } else {
        let config: Config = toml::from_str(text).map_err(|err| bad(file, text, &err))?;
        (config, "")
    };
    config.file = Some(file.to_path_buf());
    config.key_prefix = prefix.to_string();
    validate(&config)?;
    Ok(config)
}

/// Checks what serde cannot: globs compile, lists of kinds are not empty,
/// names are identifiers, every `ignore` entry has a selector and a reason.
fn validate(config: &Config) -> Result<()> {
    let glob = |key: String, pattern: &str, compile: fn(&str) -> _| -> Result<()> {
        let compiled: std::result::Result<GlobMatcher, globset::Error> = compile(pattern);
        compiled
            .map(drop)
            .map_err(|err| config.error(&key, format!("invalid glob {pattern:?}: {}", err.kind())))
    };
    let kinds = |key: String, kinds: &Option<Vec<ImportKind>>| -> Result<()> {
        match kinds {
            Some(list) if list.is_empty() => Err(config.error(
                &key,
                "give at least one kind (module, lazy, type-checking, dynamic, parent, conftest) or leave the key out",
            )),
            _ => Ok(()),
        }
    };
    kinds("kinds".to_string(), &config.kinds)?;
    for (i, function) in config.import_functions.iter().enumerate() {
        if !function.contains('.') || !function.split('.').all(is_identifier) {
            return Err(config.error(
                &format!("import-functions[{i}]"),
                format!(
                    "{function:?} is not a dotted function name such as mypkg.loader.import_module"
                ),
            ));
        }
    }
    for (name, module) in &config.canonical {
        if !is_identifier(name) {
            return Err(config.error(
                &format!("canonical.{name}"),
                "the key must be a Python name such as ExecutionEngineFactory",
            ));
        }
        if !module.split('.').all(is_identifier) {
            return Err(config.error(
                &format!("canonical.{name}"),
                format!("{module:?} is not a dotted module name"),
            ));
        }
    }
    for (i, rule) in config.forbidden.iter().enumerate() {
        glob(format!("forbidden[{i}].from"), &rule.from, module_glob)?;
        glob(format!("forbidden[{i}].to"), &rule.to, module_glob)?;
        kinds(format!("forbidden[{i}].kinds"), &rule.kinds)?;
    }
    for (i, pattern) in config.no_duplicates.iter().enumerate() {
        glob(format!("no-duplicates[{i}]"), pattern, module_glob)?;
    }
    if let Some(NoCycles::On { kinds: k }) = &config.no_cycles {
        kinds("no-cycles.kinds".to_string(), k)?;
    }
    for (i, layer) in config.layers.iter().enumerate() {
        if !layer.split('.').all(is_identifier) {
            return Err(config.error(
                &format!("layers[{i}]"),
                format!(
                    "{layer:?} is not a dotted module name (a layer is a module and its submodules)"
                ),
            ));
        }
        if config.layers[..i].contains(layer) {
            return Err(config.error(
                &format!("layers[{i}]"),
                format!("{layer:?} is listed twice"),
            ));
        }
    }
    for (i, entry) in config.broken_ignore.iter().enumerate() {
        glob(
            format!("broken-ignore[{i}].import"),
            &entry.import,
            module_glob,
        )?;
        if entry.reason.trim().is_empty() {
            return Err(config.error(
                &format!("broken-ignore[{i}].reason"),
                "say why this failing import is kept",
            ));
        }
    }
    for (i, entry) in config.ignore.iter().enumerate() {
        if entry.reason.trim().is_empty() {
            return Err(config.error(
                &format!("ignore[{i}].reason"),
                "say why this exception is allowed",
            ));
        }
        if entry.path.is_none() && entry.module.is_none() && entry.target.is_none() {
            return Err(config.error(
                &format!("ignore[{i}]"),
                "give at least one of path, module or target (to switch a rule off, remove it)",
            ));
        }
        if let Some(pattern) = &entry.path {
            glob(format!("ignore[{i}].path"), pattern, path_glob)?;
        }
        if let Some(pattern) = &entry.module {
            glob(format!("ignore[{i}].module"), pattern, module_glob)?;
        }
        if let Some(pattern) = &entry.target {
            glob(format!("ignore[{i}].target"), pattern, module_glob)?;
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A parse error, with toml's location (line, column and the offending line).
/// One line: where in the file, then what the TOML reader said (without
/// its multi-line source excerpt).
fn bad(path: &Path, text: &str, err: &toml::de::Error) -> Error {
    let message = err.message().trim_end().replace('\n', " ");
    let message = match err.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            format!("TOML parse error at line {line}, column {column}: {message}")
        }
        None => format!("TOML parse error: {message}"),
    };
    Error::Config {
        path: path.to_path_buf(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pyproject_section_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = 'x'\n[tool.blastradius]\ncritical = ['*websocket*']\nsrc = ['lib']\n",
        )
        .unwrap();
        let config = load(dir.path()).unwrap();
        assert_eq!(config.critical, vec!["*websocket*".to_string()]);
        assert_eq!(config.src, vec![PathBuf::from("lib")]);
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[tool.blastradius]\ncritcal = ['x']\n",
        )
        .unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("pyproject.toml"), "{err}");
        assert!(err.contains("critcal"), "{err}");
    }

    #[test]
    fn check_rules_parse_with_their_shapes() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| std::fs::write(dir.path().join("blastradius.toml"), text).unwrap();
        write(
            "kinds = ['module', 'lazy']\nno-cycles = { kinds = ['module'] }\nlayers = ['a.api', 'a.core']\n\
             no-duplicates = ['*Factory']\n[canonical]\nEngine = 'a.core.engine'\n\
             [[forbidden]]\nfrom = 'a.*'\nto = 'a.old'\n\
             [[ignore]]\nrule = 'forbidden'\npath = 'a/legacy/**'\nreason = 'moving'\n",
        );
        let config = load(dir.path()).unwrap();
        assert_eq!(
            config.kinds,
            Some(vec![ImportKind::Module, ImportKind::Lazy])
        );
        assert_eq!(
            config.no_cycles,
            Some(NoCycles::On {
                kinds: Some(vec![ImportKind::Module])
            })
        );
        assert_eq!(config.canonical["Engine"], "a.core.engine");
        assert_eq!(config.ignore[0].rule, Rule::Forbidden);
        assert!(config.has_check_rules());
        assert_eq!(config.key_prefix, "");
        write("no-cycles = false\n");
        let config = load(dir.path()).unwrap();
        assert_eq!(config.no_cycles, Some(NoCycles::Off));
        assert!(!config.has_check_rules());
        write("no-cycles = true\n");
        assert_eq!(
            load(dir.path()).unwrap().no_cycles,
            Some(NoCycles::On { kinds: None })
        );
    }

    #[test]
    fn check_rule_errors_name_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let error = |text: &str| {
            std::fs::write(dir.path().join("pyproject.toml"), text).unwrap();
            load(dir.path()).unwrap_err().to_string()
        };
        let err = error("[tool.blastradius]\nforbidden = [{ from = 'a[', to = 'b' }]\n");
        assert!(
            err.contains("tool.blastradius.forbidden[0].from: invalid glob"),
            "{err}"
        );
        let err = error("[tool.blastradius]\nkinds = []\n");
        assert!(
            err.contains("tool.blastradius.kinds: give at least one kind"),
            "{err}"
        );
        let err = error(
            "[tool.blastradius]\n[[tool.blastradius.ignore]]\nrule = 'layers'\nreason = 'x'\n",
        );
        assert!(
            err.contains("tool.blastradius.ignore[0]: give at least one of path"),
            "{err}"
        );
        let err = error("[tool.blastradius]\n[[tool.blastradius.ignore]]\nrule = 'layer'\n");
        assert!(err.contains("unknown variant `layer`"), "{err}");
        assert!(err.contains("line 3"), "toml's location is kept: {err}");
        let err = error("[tool.blastradius.canonical]\nEngine = 'a..b'\n");
        assert!(err.contains("tool.blastradius.canonical.Engine"), "{err}");
    }

    #[test]
    fn missing_files_give_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), Config::default());
    }

    /// What `init` checks before writing: text that would not load is an
    /// error naming the file and the key, in both file forms.
    #[test]
    fn text_is_validated_like_a_file() {
        let dedicated = Path::new("/r/blastradius.toml");
        let ok = from_text(
            "no-cycles = { kinds = [\"module\"] }\nbaseline = \"b.json\"\n",
            dedicated,
        )
        .unwrap();
        assert_eq!(ok.baseline, Some(PathBuf::from("b.json")));
        let err = from_text("[canonical]\nX = \"not a module!\"\n", dedicated).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid configuration in /r/blastradius.toml: canonical.X: \"not a module!\" is not a dotted module name"
        );
        let pyproject = Path::new("/r/pyproject.toml");
        let err = from_text(
            "[tool.blastradius]\nbroken-ignore = [{ import = \"a\", reason = \"\" }]\n",
            pyproject,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("tool.blastradius.broken-ignore[0].reason: say why"),
            "{err}"
        );
    }
}
