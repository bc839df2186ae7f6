//! The `aws-lite` binary: help, version and usage errors.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aws-lite"))
        .args(args)
        .output()
        .expect("the aws-lite binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

#[test]
fn help_prints_usage_and_succeeds() {
    for flag in ["--help", "-h"] {
        let out = run(&[flag]);
        assert!(out.status.success(), "{flag}: {:?}", out.status);
        let stdout = text(&out.stdout);
        assert!(stdout.contains("Usage: aws-lite"), "{flag}: {stdout}");
        assert!(stdout.contains("AWS services in one process"), "{stdout}");
        assert!(stdout.contains("--version"), "{stdout}");
        assert!(stdout.contains("serve"), "{stdout}");
        assert!(stdout.contains("wire work"), "{stdout}");
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    }
}

#[test]
fn version_prints_name_and_crate_version() {
    for flag in ["--version", "-V"] {
        let out = run(&[flag]);
        assert!(out.status.success(), "{flag}: {:?}", out.status);
        assert_eq!(
            text(&out.stdout),
            format!("aws-lite {}\n", env!("CARGO_PKG_VERSION"))
        );
        assert!(out.stderr.is_empty());
    }
}

#[test]
fn unknown_arguments_print_error_and_usage_to_stderr_and_exit_2() {
    for bad in ["--bogus", "frobnicate", "serve"] {
        let out = run(&[bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(out.stdout.is_empty(), "{bad}: {}", text(&out.stdout));
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("error: "), "{bad}: {stderr}");
        assert!(stderr.contains("Usage: aws-lite"), "{bad}: {stderr}");
    }
    let stderr = text(&run(&["--bogus"]).stderr);
    assert!(stderr.contains("`--bogus`"), "{stderr}");
}
