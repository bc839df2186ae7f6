//! The `aws-lite` command.
fn main() {}
