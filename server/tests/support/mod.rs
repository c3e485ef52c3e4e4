//! Helpers shared by the binary tests: a `stoa` command with a clean `STOA_*` environment, and a
//! free local port.

use std::path::Path;
use std::process::Command;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_stoa");

/// `stoa` run in `dir`, without any `STOA_*` variable of the calling environment.
pub fn stoa(dir: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir);
    for (k, _) in std::env::vars() {
        if k.starts_with("STOA_") {
            c.env_remove(k);
        }
    }
    c
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}
