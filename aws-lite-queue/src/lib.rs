#![doc = include_str!("../README.md")]
//!
//! # Feature flags
#![doc = document_features::document_features!()]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod attributes;
pub mod consumer;
pub(crate) mod engine;
pub mod error;
#[cfg(feature = "extended")]
pub mod extended;
pub(crate) mod gate;
pub mod limits;
pub mod md5;
pub mod metrics;
pub(crate) mod move_task;
pub mod operation;
pub(crate) mod queue;
pub(crate) mod queue_sync;
pub(crate) mod redrive;
pub(crate) mod service;
pub mod system_attributes;
pub mod types;
pub(crate) mod validate;

pub use consumer::{MessageStream, Worker, WorkerStats};
pub use error::codes;
pub use metrics::QueueMetrics;
pub use queue::Queue;
pub use service::{Sqs, SqsBuilder};
pub use system_attributes::MessageSystemAttributeName;
pub use types::{MessageAttributeValue, MessageAttributes};
