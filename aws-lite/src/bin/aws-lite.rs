//! The `aws-lite` command.
//!
//! Today it answers `--help` and `--version`; the `serve` subcommand (the local AWS endpoint on
//! loopback) arrives with the wire work. Arguments are parsed by hand so the binary adds no
//! dependency to the facade.

use std::process::ExitCode;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Exit status for a command line we do not understand (2, as clap and getopt-style tools use).
const USAGE_ERROR: u8 = 2;

fn usage() -> String {
    format!(
        "\
aws-lite {VERSION}
AWS services in one process: SQS, SNS, Lambda, Step Functions, IoT and EKS-style scheduling,
on virtual time, for applications that embed them and for tests of code that talks to AWS.

Usage: aws-lite [OPTIONS] [COMMAND]

Options:
  -h, --help       Print this help and exit
  -V, --version    Print the version and exit

Commands:
  help             Print this help and exit

Coming with the wire work:
  serve            Run the local AWS endpoint on loopback, so the official AWS SDKs and CLI
                   can talk to aws-lite (not available yet in this version)

Embed the services as a library instead: `cargo add aws-lite --features full`.
"
    )
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Version,
}

/// Parses the arguments after the program name. An empty command line prints the help.
fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Command, String> {
    let mut command = None;
    for arg in args {
        let next = match arg.as_str() {
            "-h" | "--help" | "help" => Command::Help,
            "-V" | "--version" => Command::Version,
            "serve" => {
                return Err(
                    "the `serve` subcommand is not available yet: it arrives with the wire work"
                        .to_owned(),
                );
            }
            other if other.starts_with('-') => {
                return Err(format!("unexpected option `{other}`"));
            }
            other => return Err(format!("unrecognized subcommand `{other}`")),
        };
        // The first recognized flag wins, as `--help --version` prints help in most CLIs.
        command.get_or_insert(next);
    }
    Ok(command.unwrap_or(Command::Help))
}

fn main() -> ExitCode {
    match parse(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            print!("{}", usage());
            ExitCode::SUCCESS
        }
        Ok(Command::Version) => {
            println!("aws-lite {VERSION}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}\n");
            eprint!("{}", usage());
            ExitCode::from(USAGE_ERROR)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_flags() {
        assert_eq!(parse(args(&[])), Ok(Command::Help));
        assert_eq!(parse(args(&["--help"])), Ok(Command::Help));
        assert_eq!(parse(args(&["-h"])), Ok(Command::Help));
        assert_eq!(parse(args(&["help"])), Ok(Command::Help));
        assert_eq!(parse(args(&["--version"])), Ok(Command::Version));
        assert_eq!(parse(args(&["-V"])), Ok(Command::Version));
        assert_eq!(parse(args(&["--help", "--version"])), Ok(Command::Help));
    }

    #[test]
    fn rejects_unknown_arguments() {
        assert!(parse(args(&["--bogus"])).unwrap_err().contains("--bogus"));
        assert!(
            parse(args(&["frobnicate"]))
                .unwrap_err()
                .contains("frobnicate")
        );
        assert!(parse(args(&["serve"])).unwrap_err().contains("wire work"));
        assert!(parse(args(&["--version", "extra"])).is_err());
    }
}
