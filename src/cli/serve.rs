//! `almanac serve`: the development server. Content problems are shown while it runs
//! and never stop it; only a server that cannot start exits with an error.

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::serve::{self, ServeOptions};

pub fn run(
    root: PathBuf,
    bind: IpAddr,
    port: u16,
    drafts: bool,
    timings: bool,
    quiet: bool,
) -> ExitCode {
    if !bind.is_loopback() && !quiet {
        eprintln!(
            "warning: listening on {bind}: other computers on the network can see the preview"
        );
    }
    let options = ServeOptions {
        root,
        bind,
        port,
        drafts,
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        quiet,
        timings,
    };
    match serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(super::CONTENT_ERROR)
        }
    }
}
