//! The `almanac` binary: parse the arguments, run the command, exit with its status
//! (0 success, 1 problems in the collection, 2 usage errors).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    hand_back_freed_memory();
    almanac::cli::run(almanac::cli::Args::parse())
}

// Rendering allocates many short-lived strings and values on every thread;
// mimalloc handles that pattern markedly better than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own settings (`mi_option_t` in its mimalloc.h), which the crate does not
// wrap: setting an option only changes a value mimalloc reads. The numbers are the
// enum's in mimalloc 3 (libmimalloc-sys 0.1.49, pinned in Cargo.lock): check them
// when it is upgraded.
unsafe extern "C" {
    safe fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}
const MI_OPTION_ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// A build holds a large collection at once, and between its stages (reading,
/// Markdown, pages, index) the memory of one is freed as the next grows. By default
/// mimalloc keeps freed pages a second or more before giving them back and commits
/// its arenas whole, so the peaks of neighbouring stages added up. Set before the
/// build allocates much (an arena made before `main` keeps its eager commit).
///
/// Freed pages wait 10 ms rather than none: handing each back at once cost
/// kernel time in page faults and in other cores' TLBs being flushed (a third
/// of a 10k build's kernel time). With 10 ms, a 10k build took 2.93–2.94 s
/// against 3.21–3.31 s (kernel 1.06–1.09 s against 1.23–1.51 s) for 4–8 % more
/// memory (138–144 MB); a 100k realistic build kept its peak (1.33 GB) and
/// spent 13.2–13.7 s in the kernel against 15.1–15.6 s.
fn hand_back_freed_memory() {
    mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    mi_option_set(MI_OPTION_PURGE_DELAY, 10);
    no_huge_pages();
}

/// mimalloc asks the kernel to back its arenas with transparent huge pages (2 MiB):
/// a huge page counts whole in memory as soon as one of its bytes is used, and a
/// freed 64 KiB page inside one is not given back. Without them the peak of a
/// 20,000-resource realistic build fell from 458 to 392 MB (at 100,000: 1.56 to
/// 1.54 GB), times within the noise. This is what mimalloc does itself when
/// `MIMALLOC_ALLOW_THP=0` is set at its start (over by `main`); the flag covers
/// the arena made before `main` too.
#[cfg(target_os = "linux")]
fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes an integer and changes a flag of this process
    // only; on failure (an old kernel) the build runs as before.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            1 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn no_huge_pages() {}
