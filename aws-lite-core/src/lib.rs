#![doc = include_str!("../README.md")]
//!
//! # Feature flags
#![doc = document_features::document_features!()]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod error;
pub mod fault;
pub mod id;
pub mod limits;
pub mod rand;
pub mod retry;
pub mod sync;
pub mod time;

pub use error::{Error, ErrorKind, Fault, Result};
pub use fault::{FaultPlan, FaultPoint, FaultRule, InjectedFault};
pub use limits::{ByteSize, Profile, Quota};
pub use rand::Rand;
pub use retry::{Backoff, BackoffFunction, Jitter, PhasedBackoff, RetryPolicy};
pub use time::{Clock, Instant, SharedClock};
