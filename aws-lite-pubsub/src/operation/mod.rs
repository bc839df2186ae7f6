//! One module per SNS operation: its input, its output, its fluent builder and its semantics.
//!
//! Each builder is reached from [`Sns`] (topic given by ARN) and, for per-topic
//! operations, from [`Topic`](crate::Topic) (no lookup).

/// Generates `x(impl Into<T>)` / `set_x(Option<T>)` pairs over `self.input.x: Option<T>`.
macro_rules! setters {
    ($( $(#[doc = $doc:literal])* $field:ident / $set:ident : $ty:ty ),* $(,)?) => { $(
        $(#[doc = $doc])*
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.input.$field = Some(value.into());
            self
        }
        #[doc = concat!("Sets or clears `", stringify!($field), "`.")]
        pub fn $set(mut self, value: Option<$ty>) -> Self {
            self.input.$field = value;
            self
        }
    )* };
}

pub mod add_permission;
pub mod confirm_subscription;
pub mod create_topic;
pub mod delete_topic;
pub mod get_subscription_attributes;
pub mod get_topic_attributes;
pub mod list_subscriptions;
pub mod list_subscriptions_by_topic;
pub mod list_tags_for_resource;
pub mod list_topics;
pub mod publish;
pub mod publish_batch;
pub mod remove_permission;
pub mod set_subscription_attributes;
pub mod set_topic_attributes;
pub mod subscribe;
pub mod tag_resource;
pub mod unsubscribe;
pub mod untag_resource;

use std::sync::Arc;

use aws_lite_core::Error;

use crate::error;
use crate::service::Sns;
use crate::topic::TopicShared;

/// The topic a request names: the handle's when it still names it, else looked up.
pub(crate) fn resolve_topic(
    sns: &Sns,
    handle: &Option<Arc<TopicShared>>,
    arn: Option<&str>,
) -> Result<Arc<TopicShared>, Error> {
    let arn = arn.unwrap_or_default();
    if let Some(t) = handle {
        if t.arn == arn {
            t.check_live()?;
            return Ok(t.clone());
        }
    }
    if arn.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: TopicArn Reason: no value for required parameter",
        ));
    }
    sns.inner.lookup_topic(arn)
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
