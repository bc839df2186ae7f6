//! The crate's sync facade: aws-lite-core's std/loom types (style: one facade per crate).

#[cfg(all(test, aws_lite_loom))]
pub(crate) use aws_lite_core::sync::{Arc, AtomicBool, Mutex};
pub(crate) use aws_lite_core::sync::{AtomicUsize, Ordering};
