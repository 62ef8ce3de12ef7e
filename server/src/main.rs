//! `preau`: parse the command line and hand over to [`preau_server::cli`].

use std::process::ExitCode;

use clap::Parser;

/// Rendering a page allocates many small strings; mimalloc serves them markedly faster than the
/// system allocator under load (measured with `make bench`).
#[cfg(not(feature = "dhat-heap"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `--features dhat-heap`: a heap profile of the whole run, written to `dhat-heap.json` when the
/// process ends normally (SIGTERM lets `preau serve` end normally). Slow; for `bench/heap.sh`.
#[cfg(feature = "dhat-heap")]
#[global_allocator]
static ALLOCATOR: dhat::Alloc = dhat::Alloc;

fn main() -> ExitCode {
    #[cfg(feature = "dhat-heap")]
    let _profiler = dhat::Profiler::new_heap();
    #[cfg(feature = "dhat-heap")]
    std::thread::spawn(|| loop {
        // The live heap over time, to set against RssAnon read from /proc at the same moments.
        std::thread::sleep(std::time::Duration::from_secs(5));
        let stats = dhat::HeapStats::get();
        eprintln!(
            "dhat: live heap {} KiB in {} blocks, peak {} KiB",
            stats.curr_bytes / 1024,
            stats.curr_blocks,
            stats.max_bytes / 1024
        );
    });
    #[cfg(not(feature = "dhat-heap"))]
    preau_server::memory::set_purge_delay();
    let cli = preau_server::cli::Cli::parse();
    match preau_server::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("preau: {error:#}");
            ExitCode::FAILURE
        }
    }
}
