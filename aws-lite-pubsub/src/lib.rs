#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod api;
pub mod delivery;
pub mod error;
pub mod filter;
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
