//! Configuration: `[tool.blastradius]` in the root's `pyproject.toml`, or a
//! `blastradius.toml` beside it (same keys, at top level).
//!
//! Owns reading and validating those files; command-line options are merged
//! on top by the CLI (they add to lists, they never silently drop what the
//! file says). It never walks the tree.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

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
    /// Glob patterns over module names that mark critical ("golden path") modules.
    #[serde(default)]
    pub critical: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct PyProject {
    #[serde(default)]
    tool: Tools,
}

#[derive(Debug, Default, Deserialize)]
struct Tools {
    blastradius: Option<toml::Value>,
}

/// Loads the configuration of `root`: `blastradius.toml` when present,
/// otherwise `[tool.blastradius]` of `pyproject.toml`, otherwise defaults.
pub fn load(root: &Path) -> Result<Config> {
    let dedicated = root.join("blastradius.toml");
    if dedicated.is_file() {
        let text = read(&dedicated)?;
        return toml::from_str(&text).map_err(|err| bad(&dedicated, &err));
    }
    let pyproject = root.join("pyproject.toml");
    if !pyproject.is_file() {
        return Ok(Config::default());
    }
    let text = read(&pyproject)?;
    let parsed: PyProject = toml::from_str(&text).map_err(|err| bad(&pyproject, &err))?;
    match parsed.tool.blastradius {
        None => Ok(Config::default()),
        Some(section) => section.try_into().map_err(|err| bad(&pyproject, &err)),
    }
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn bad(path: &Path, err: &toml::de::Error) -> Error {
    Error::Config {
        path: path.to_path_buf(),
        message: err.message().to_string(),
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
    fn missing_files_give_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), Config::default());
    }
}
