//! The `daftar` binary: parse the command line, run it, exit non-zero with a one-line reason.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than glibc's allocator: building the exchange matrix and the copies a
/// command makes are mostly small allocations, freed as often on another thread as on the
/// one that made them (BENCHMARKS.md, "Building the exchange matrix").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    daftar::telemetry::init();
    let cli = daftar::cli::Cli::parse();
    match cli.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
