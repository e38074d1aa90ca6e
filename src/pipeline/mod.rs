//! The pipeline that `build` and `serve` both drive, stage after stage:
//! config → content → model → bodies → check → render | search → output.
//! [`load`] runs the stages up to check; a [`Site`] holds what every file is made
//! from and makes them into a sink (on disk for `build`, in memory for `serve`), so
//! the two make the same files by construction.

mod build;
mod load;
mod site;

use std::path::PathBuf;

use crate::config::ConfigError;
use crate::diagnostics::{AsDiagnostics, Diagnostic, Location};
use crate::output::OutputError;
use crate::render::{self, RenderError};
use crate::search;
pub use build::{BuildReport, build, output_dir};
pub use load::{Loaded, assemble, load, load_config, load_strings, load_theme, theme_files};
pub use site::Site;

/// What the user asked of a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `output` of `almanac.yaml` (relative to the current directory).
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// Why a stage stopped. The previous output is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Problems in the collection (every one found, sorted by file and line).
    #[error("the collection has problems")]
    Content(Vec<Diagnostic>),
    #[error(transparent)]
    Theme(#[from] ThemeError),
    #[error("the theme's templates failed to render")]
    Templates(Vec<Diagnostic>),
    #[error(transparent)]
    Export(#[from] render::ExportError),
    #[error(transparent)]
    Index(#[from] search::IndexError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl From<RenderError<OutputError>> for Error {
    fn from(error: RenderError<OutputError>) -> Error {
        match error {
            RenderError::Templates(problems) => Error::Templates(problems),
            RenderError::Export(error) => Error::Export(error),
            RenderError::Output(error) => Error::Output(error),
        }
    }
}

impl AsDiagnostics for Error {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Config(error) => error.diagnostics(),
            Error::Theme(error) => error.diagnostics(),
            Error::Content(problems) | Error::Templates(problems) => problems.clone(),
            Error::Index(error) => error.diagnostics(),
            Error::Export(error) => vec![Diagnostic::error("export", error.to_string())],
            Error::Output(error) => vec![Diagnostic::error("output", error.to_string())],
        }
    }
}

/// Why the theme could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("the theme `{name}` is not in themes/{name}/")]
    Missing { name: String, location: Location },
    /// Files that could not be read, templates that do not compile, a bad theme.yaml.
    #[error("the theme has problems")]
    Problems(Vec<Diagnostic>),
}

impl AsDiagnostics for ThemeError {
    fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            ThemeError::Missing { location, .. } => vec![
                Diagnostic::error("theme", self.to_string())
                    .at(location.clone())
                    .help("put the theme in themes/<name>/, or use `theme: default`"),
            ],
            ThemeError::Problems(problems) => problems.clone(),
        }
    }
}
