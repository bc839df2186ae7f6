#![doc = include_str!("../README.md")]
//!
//! # Feature flags
#![doc = document_features::document_features!()]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod delivery;
pub(crate) mod delivery_policy;
pub mod error;
pub mod filter;
#[cfg(feature = "http")]
pub(crate) mod http;
pub mod limits;
pub mod message;
pub mod operation;
pub(crate) mod policy;
pub(crate) mod service;
pub(crate) mod subscription;
pub(crate) mod topic;
pub mod types;

pub use delivery::{
    DeliveryError, FunctionEndpoint, Notification, NotificationStream, SNS_DELIVERY_ERROR,
};
pub use error::codes;
pub use message::{MessageAttributeValue, MessageAttributes};
pub use service::{Sns, SnsBuilder};
pub use topic::{Topic, TopicMetrics};

/// The `rustls` this crate links (feature `http`), for the types that
/// [`SnsBuilder::https_root_certificates`] and [`SnsBuilder::https_client_config`] take:
/// `rustls::pki_types::CertificateDer`, `rustls::ClientConfig`.
#[cfg(feature = "http")]
#[cfg_attr(docsrs, doc(cfg(feature = "http")))]
pub use rustls;
