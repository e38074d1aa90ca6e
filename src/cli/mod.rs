//! The command line: arguments as typed (clap), and one thin module per command that
//! calls the pipeline and turns its result into output and an exit status.

mod build;
mod check;
mod fix_links;
mod forms;
mod init;
mod new;
pub mod report;
mod search;
mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{self, Diagnostic};

/// Build curated digital-ethics collections into accessible, searchable static sites.
#[derive(Debug, Parser)]
#[command(name = "almanac", version, about)]
pub struct Args {
    /// Print nothing but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: site/).
    Build {
        /// The collection's folder (where almanac.yaml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Write the site here instead of the `output` of almanac.yaml.
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish at this address instead of `base_url` (e.g. https://example.org/ethics/).
        #[arg(long)]
        base_url: Option<String>,
        /// Include entries marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Print how long each stage took.
        #[arg(long)]
        timings: bool,
    },
    /// Serve the site on this computer while you edit, rebuilding and reloading on every save.
    Serve {
        /// The collection's folder (where almanac.yaml is).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0: any free port; the address is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Only this computer can connect to the default.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Include entries marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each step of every rebuild takes.
        #[arg(long)]
        timings: bool,
    },
    /// Check the collection and report every problem, without writing anything.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Include entries marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also request every external address and report those that fail.
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external address.
        #[arg(long, default_value_t = 15)]
        timeout: u64,
        /// Exit with status 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Count overdue reviews as of this day (YYYY-MM-DD; default: ALMANAC_TODAY, else today).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// With --external: skip addresses that answered within this time (e.g. 7d, 12h).
        #[arg(long, value_name = "AGE", requires = "external")]
        max_age: Option<humantime::Duration>,
    },
    /// Search the collection with the same index and ranking as the search page.
    Search {
        /// The words to look for; put phrases in quotes.
        query: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only results with this term, e.g. `principles=transparency` (repeatable).
        #[arg(long = "filter", value_name = "TAXONOMY=TERM")]
        filters: Vec<String>,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Search this language's index (a collection in several languages).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Create a new entry from an archetype: `almanac new guidance/my-entry`.
    New {
        /// SECTION/SLUG, e.g. `guidance/data-ethics-framework`.
        #[arg(required_unless_present = "from_issue")]
        path: Option<String>,
        /// The entry's title.
        #[arg(long, conflicts_with = "from_issue")]
        title: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Start a translation of the entry (or section: SECTION/_index) into this
        /// language, from its source.
        #[arg(long)]
        lang: Option<String>,
        /// Make the entry from a proposal filed with the form of `almanac forms`: the
        /// Markdown body of the issue, saved to FILE.
        #[arg(long, value_name = "FILE", conflicts_with = "lang")]
        from_issue: Option<PathBuf>,
        /// With --from-issue: who proposed it (their name on the forge), recorded
        /// in `proposed:` for the curator's report.
        #[arg(long, value_name = "WHO", requires = "from_issue")]
        by: Option<String>,
        /// With --from-issue: where it was proposed (the issue's address or number).
        #[arg(long, value_name = "ISSUE", requires = "from_issue")]
        issue: Option<String>,
    },
    /// Create a new collection in DIR.
    Init {
        /// Where to create it (must not exist, or be empty).
        dir: PathBuf,
    },
    /// The state of the collection for its curators: reviews due, missing fields,
    /// unused terms, empty matrix cells, links to superseded entries.
    Report {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to write the report.
        #[arg(long, value_enum, default_value_t = report::ReportFormat::Text)]
        format: report::ReportFormat,
        /// Write the report to this file instead of standard output (never inside the site's output folder).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Count reviews as of this day (YYYY-MM-DD; default: ALMANAC_TODAY, else today).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Rewrite the `url:` of resources whose address moved permanently (as the last
    /// `check --external` found) to the new address, changing nothing else.
    FixLinks {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Show what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write issue forms (GitHub's .github/ISSUE_TEMPLATE format) for proposing a
    /// resource, made from the collection's fields and vocabularies.
    Forms {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write them (default: .github/ISSUE_TEMPLATE in the collection).
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// Exit status 1: problems in the collection (2 is clap's, for usage errors).
pub const CONTENT_ERROR: u8 = 1;

/// Loads the collection a command works on; when it cannot be loaded, prints why
/// and gives the exit status.
fn load_or_exit(options: &crate::BuildOptions) -> Result<crate::Loaded, ExitCode> {
    crate::load(options).map_err(|error| {
        use crate::diagnostics::AsDiagnostics;
        print_diagnostics(&error.diagnostics());
        ExitCode::from(CONTENT_ERROR)
    })
}

/// The day reviews are counted on (`--today`, else ALMANAC_TODAY, else today);
/// a day that cannot be read is a usage error, printed.
fn today_or_exit(today: Option<&str>) -> Result<time::Date, ExitCode> {
    crate::model::review::today(today).map_err(|message| {
        print_diagnostics(&[Diagnostic::error("usage", message)
            .help("pass the day as YYYY-MM-DD, e.g. --today 2026-03-03")]);
        ExitCode::from(2)
    })
}

/// Runs a command and gives the process's exit status.
pub fn run(args: Args) -> ExitCode {
    let quiet = args.quiet;
    match args.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            deny_warnings,
            timings,
        } => build::run(
            crate::BuildOptions {
                root,
                output,
                base_url,
                drafts,
            },
            deny_warnings,
            timings,
            quiet,
        ),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            timings,
        } => serve::run(root, bind, port, drafts, timings, quiet),
        Command::Check {
            root,
            format,
            drafts,
            external,
            timeout,
            deny_warnings,
            today,
            max_age,
        } => check::run(
            check::CheckArgs {
                root,
                format,
                drafts,
                external: external.then(|| std::time::Duration::from_secs(timeout)),
                deny_warnings,
                today,
                max_age: max_age.map(Into::into),
            },
            quiet,
        ),
        Command::Search {
            query,
            root,
            filters,
            limit,
            json,
            lang,
        } => search::run(search::SearchArgs {
            root,
            query,
            filters,
            limit,
            json,
            lang,
        }),
        Command::New {
            path,
            title,
            root,
            lang,
            from_issue,
            by,
            issue,
        } => match from_issue {
            Some(file) => forms::from_issue(
                &root,
                &file,
                path.as_deref(),
                &forms::Provenance { by, issue },
                quiet,
            ),
            None => new::run(
                &root,
                path.as_deref().unwrap_or_default(),
                title.as_deref(),
                lang.as_deref(),
                quiet,
            ),
        },
        Command::Init { dir } => init::run(&dir, quiet),
        Command::Report {
            root,
            format,
            output,
            today,
        } => report::run(report::ReportArgs {
            root,
            format,
            output,
            today,
        }),
        Command::FixLinks { root, dry_run } => fix_links::run(&root, dry_run, quiet),
        Command::Forms { root, output } => forms::run(&root, output.as_deref(), quiet),
    }
}

/// Prints diagnostics to standard error for people, in colour on a terminal.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diagnostics::render_human(diagnostics, color));
}

/// "2 errors, 1 warning".
pub fn count_line(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}
