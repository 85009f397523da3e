//! Files of the models trained here (`train muc4`, `train ner`): where they are cached, and
//! reading and writing them with errors that name the file.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// `$XDG_CACHE_HOME/wirecoder/NAME`, else `~/.cache/wirecoder/NAME`.
pub(crate) fn cache_path(name: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("wirecoder").join(name))
}

/// Reads a model from `path` with `read`.
pub(crate) fn load<M, E>(
    path: &Path,
    read: impl FnOnce(&mut BufReader<File>) -> std::result::Result<M, E>,
) -> Result<M>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let f = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    read(&mut BufReader::new(f)).with_context(|| format!("cannot read model {}", path.display()))
}

/// Writes a model to `path` with `write`, creating its folder.
pub(crate) fn save<E>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::result::Result<(), E>,
) -> Result<()>
where
    E: std::error::Error + Send + Sync + 'static,
{
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let f = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut w = BufWriter::new(f);
    write(&mut w).with_context(|| format!("cannot write {}", path.display()))?;
    w.flush()
        .with_context(|| format!("cannot write {}", path.display()))
}
