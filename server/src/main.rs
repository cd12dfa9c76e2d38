//! The `tao-nguon` binary: reads the configuration, then serves, migrates or seeds.
//!
//! `tao-nguon --help` lists the subcommands; the README lists every environment variable.

use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = server::cli::Cli::parse();
    match server::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Tracing may not be initialised yet (a configuration error), so print directly.
            eprintln!("Lỗi: {err}");
            ExitCode::FAILURE
        }
    }
}
