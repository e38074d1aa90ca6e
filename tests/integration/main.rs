//! End-to-end tests: fixture collections under tests/fixtures built with the real
//! binary and library, and the written site checked.
