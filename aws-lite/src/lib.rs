#![doc = include_str!("../README.md")]
//!
//! # Feature flags
#![doc = document_features::document_features!()]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use aws_lite_core as core;

#[cfg(feature = "queue")]
pub use aws_lite_queue as queue;

#[cfg(feature = "pubsub")]
pub use aws_lite_pubsub as pubsub;

#[cfg(feature = "fn")]
pub use aws_lite_fn as r#fn;

#[cfg(feature = "flow")]
pub use aws_lite_flow as flow;

#[cfg(feature = "iot")]
pub use aws_lite_iot as iot;

#[cfg(feature = "k8s")]
pub use aws_lite_k8s as k8s;
