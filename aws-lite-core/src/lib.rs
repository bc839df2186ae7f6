#![doc = include_str!("../README.md")]
//!
//! # Feature flags
#![doc = document_features::document_features!()]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod error;
pub mod id;
pub mod rand;
pub mod sync;
pub mod time;

pub use error::{Error, ErrorKind, Fault, Result};
pub use rand::Rand;
pub use time::{Clock, Instant, SharedClock};
