//! End-to-end tests: fixture collections under tests/fixtures built with the real
//! binary, and the written site, feeds, exports and diagnostics checked.

mod bad_input;
mod browser;
mod build;
mod catalog_coverage;
mod citations;
mod commands;
mod exports;
mod forms;
mod fuzz;
mod hardening;
mod hardening_places;
mod hardening_reads;
mod hostile;
mod hostile_outputs;
mod i18n;
mod languages;
mod languages_search;
mod lifecycle;
mod lifecycle_search;
mod links;
mod loopback;
mod outputs;
mod positions;
mod references;
mod report;
mod serve;
mod static_files;
mod support;
