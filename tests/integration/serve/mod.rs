//! `almanac serve` end to end: the real binary serving a temporary copy of a
//! fixture under tests/fixtures/serve (published under `/ethics/`), asked over
//! raw HTTP. The harness starts and asks the server; the other files are the
//! tests, by theme.

mod guard;
mod harness;
mod incremental;
mod languages;
mod live_reload;
mod search;
mod special_files;
mod static_host;
