//! Memory: glibc's malloc tuned (big allocations mapped apart at a fixed
//! threshold, arenas capped under an address-space limit), and an
//! allocation failure that ends as one error line, not an abort.
//!
//! Why: under `ulimit -v 262144` a run with three or more threads aborted
//! with "memory allocation of 5 bytes failed" (exit 134) at 56 MB resident,
//! and left its temporary output behind (seen 2026-12-04). glibc gives
//! each thread that meets a locked arena its own, and reserves 64 MiB of
//! address space for each: the limit was spent on reservations, not data.
//! Under a finite `RLIMIT_AS` we cap the arenas at one per 256 MiB of the
//! limit (at least one), so the run fits its true footprint; without a
//! limit glibc keeps its arenas. Allocations of 1 MiB or more are mapped
//! apart whatever the limit, so that tables freed between stages leave
//! the process ([`tune_malloc`]).
//!
//! An allocation that still fails goes through [`CleanFailure`]: it removes
//! the live temporary outputs (`temp_files::remove_on_failure`),
//! prints one line and exits 1, like any other resource error. std's own
//! hook for this (`set_alloc_error_hook`) is unstable, hence the wrapper;
//! it adds one null test to each allocation.
//!
//! The one place the binary uses `unsafe`: FFI to `getrlimit`, `mallopt`
//! and `write`, and the `GlobalAlloc` contract, which forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use camcount::temp_files;

/// Address space glibc may reserve per arena, counted against the limit.
const ADDRESS_SPACE_PER_ARENA: u64 = 256 << 20;

/// From this size on, glibc maps each allocation apart and returns it to
/// the system when freed.
const MAP_FROM: libc::c_int = 1 << 20;

/// Tunes glibc's malloc: big allocations always mapped apart, and arenas
/// capped when the address space is limited. Call first thing in `main`,
/// before any thread starts.
///
/// Why a fixed threshold: glibc raises it each time a mapped block is
/// freed, so after the scan's big tables are freed the boundaries' came
/// from the heap, whose freed pages stay resident: a national count with
/// borders every 30 m peaked at 310 MiB, 291 MiB with the threshold fixed
/// at 1 MiB (8 MiB gave 309). The mappings cost the 100 MiB tiled corpus's
/// count about 5 ms of 210 (2026-12-05).
pub fn tune_malloc() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets a tuning parameter of glibc malloc.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MAP_FROM) };
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct we own.
        let known = unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } == 0;
        if known && limit.rlim_cur != libc::RLIM_INFINITY {
            LIMITED.store(true, Ordering::Relaxed);
            let arenas = (limit.rlim_cur / ADDRESS_SPACE_PER_ARENA).max(1);
            let arenas = libc::c_int::try_from(arenas).unwrap_or(libc::c_int::MAX);
            // SAFETY: mallopt only sets a tuning parameter of glibc malloc.
            unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
        }
    }
}

/// Set when the address space is limited (`ulimit -v`).
static LIMITED: AtomicBool = AtomicBool::new(false);

/// Whether the address space is limited: a thread started late in a run
/// can then fail in ways std cannot report (its signal stack refused, an
/// abort), so work is not handed to new threads.
pub fn address_space_limited() -> bool {
    LIMITED.load(Ordering::Relaxed)
}

/// The system allocator, ending the run cleanly when it returns null.
pub struct CleanFailure;

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// contract; on null we never return (the process exits).
unsafe impl GlobalAlloc for CleanFailure {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let block = System.alloc(layout);
        if block.is_null() {
            out_of_memory(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let block = System.alloc_zeroed(layout);
        if block.is_null() {
            out_of_memory(layout.size());
        }
        block
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(block, layout, new_size);
        if moved.is_null() {
            out_of_memory(new_size);
        }
        moved
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        System.dealloc(block, layout)
    }
}

static FAILING: AtomicBool = AtomicBool::new(false);

/// Removes the temporary outputs, prints one line and exits 1, all without
/// allocating. A second thread failing meanwhile waits for the first.
fn out_of_memory(size: usize) -> ! {
    if FAILING.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        }
    }
    temp_files::remove_on_failure();
    let mut line = [0u8; 256];
    let mut cursor = &mut line[..];
    let _ = writeln!(
        cursor,
        "camcount: error: out of memory (an allocation of {size} bytes failed); \
         raise the memory limit (ulimit -v) or use fewer --threads"
    );
    let written = 256 - cursor.len();
    // SAFETY: writes bytes we own to stderr; nothing allocates.
    unsafe {
        libc::write(2, line.as_ptr().cast(), written);
        libc::_exit(1)
    }
}
