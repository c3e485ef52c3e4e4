//! The `stoa` binary.

// See `lib.rs`: the schema's async types need a deeper layout recursion in release builds.
#![recursion_limit = "256"]

use clap::Parser;

/// mimalloc: the request path allocates many small short-lived values (GraphQL values, JSON);
/// it is markedly cheaper there than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = stoa_server::cli::Cli::parse();
    match stoa_server::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
