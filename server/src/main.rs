//! The `tao-nguon` binary: reads the configuration, then serves, migrates or seeds.
//!
//! `tao-nguon --help` lists the subcommands; the README lists every environment variable.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    keep_large_allocations_out_of_the_heap();
    let cli = server::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("Lỗi: không khởi động được bộ chạy bất đồng bộ: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(server::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Tracing may not be initialised yet (a configuration error), so print directly.
            eprintln!("Lỗi: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Each password check allocates Argon2's 19 MiB. glibc's malloc raises its mmap threshold after
/// the first such block is freed, so later ones come from per-thread heaps and stay resident:
/// twenty logins left the process at 350 MB. A fixed threshold keeps big blocks mmapped and
/// returned on free (55 MB for the same logins; see docs/BENCHMARKS.md).
fn keep_large_allocations_out_of_the_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator tunable; it is called before any other thread
    // exists and takes no pointers.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
