//! `wirecoder`: reads the news and writes down what happened.
//!
//! The binary is thin: [`cli`] declares the command line, `cmd/` holds one module per
//! subcommand, [`pipeline`] turns inputs into annotated documents. Exit codes follow the
//! contract: 0 done, 1 the request failed, 2 usage error (clap exits with 2 on its own).

mod cli;
mod cmd;
mod pipeline;
mod render;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cmd::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // A closed pipe (`wirecoder events | head`) is not a failure.
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("wirecoder: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
