//! Shared helpers for the aws-lite criterion benches (see `benches/`).
