//! Unsubscribe: deletes a subscription.
//!
//! # Semantics
//!
//! - Unsubscribing a subscription that no longer exists succeeds (idempotent); a malformed
//!   ARN is `InvalidParameter`.
//! - The subscription's owner or the topic's owner may unsubscribe; anyone else gets
//!   `AuthorizationError`.
//! - Deliveries being retried for it stop; the topic's `SubscriptionsDeleted` counts it.
//! - An HTTP/S endpoint is sent an `UnsubscribeConfirmation` (feature `http`).

use std::sync::atomic::Ordering;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::Sns;

/// The input of Unsubscribe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct UnsubscribeInput {
    /// The subscription's ARN.
    #[serde(default)]
    pub subscription_arn: Option<String>,
}

/// The output of Unsubscribe (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct UnsubscribeOutput {}

/// Builds and sends an Unsubscribe request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct UnsubscribeFluentBuilder {
    sns: Sns,
    input: UnsubscribeInput,
}

impl UnsubscribeFluentBuilder {
    setters! {
        /// The subscription's ARN.
        subscription_arn / set_subscription_arn: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<UnsubscribeOutput, Error> {
        unsubscribe(&self.sns, self.input)
    }
}

impl Sns {
    /// Unsubscribe.
    pub fn unsubscribe(&self) -> UnsubscribeFluentBuilder {
        UnsubscribeFluentBuilder {
            sns: self.clone(),
            input: UnsubscribeInput::default(),
        }
    }
}

/// Checks a subscription ARN's shape as SNS does.
pub(crate) fn check_subscription_arn(arn: &str) -> Result<(), Error> {
    let count = arn.split(':').count();
    if arn.is_empty() {
        return Err(error::invalid_parameter(
            "Invalid parameter: SubscriptionArn Reason: no value for required parameter",
        ));
    }
    if count < 6 || !arn.starts_with("arn:") {
        return Err(error::invalid_parameter(format!(
            "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not {count}"
        )));
    }
    if count == 6 {
        return Err(error::invalid_parameter(
            "Invalid parameter: SubscriptionId",
        ));
    }
    Ok(())
}

pub(crate) fn unsubscribe(sns: &Sns, input: UnsubscribeInput) -> Result<UnsubscribeOutput, Error> {
    let svc = &sns.inner;
    let arn = input.subscription_arn.unwrap_or_default();
    let _span = tracing::debug_span!("sns.Unsubscribe", subscription = %arn).entered();
    check_subscription_arn(&arn)?;
    let Ok(sub) = svc.lookup_subscription(&arn) else {
        return Ok(UnsubscribeOutput {});
    };
    let topic = svc.lookup_topic(&sub.topic_arn).ok();
    let topic_owner = topic.as_ref().is_some_and(|t| t.owner == sns.caller);
    if sub.owner != sns.caller && !topic_owner {
        return Err(error::authorization_error(
            sns.caller.as_str(),
            "Unsubscribe",
            &arn,
        ));
    }
    if let Some(topic) = topic {
        let mut st = topic.write();
        if st.subs.remove(&sub.id).is_some() {
            st.subscriptions_deleted += 1;
        }
        st.filter.remove(&sub.id);
    }
    sub.deleted.store(true, Ordering::Release);
    svc.subscriptions
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .remove(&arn);
    svc.tokens.lock().retain(|_, (a, _)| *a != arn);
    crate::delivery::send_unsubscribe_confirmation(svc, &sub);
    Ok(UnsubscribeOutput {})
}
