//! SetSubscriptionAttributes: changes one subscription attribute.
//!
//! # Semantics
//!
//! - `FilterPolicy` is validated by the [filter engine](crate::filter) in the subscription's
//!   scope; an invalid policy is rejected with AWS's message prefixed `Invalid parameter:
//!   FilterPolicy: ` and the subscription keeps its previous policy. An empty value removes
//!   the policy. The change applies to the next publish.
//! - `FilterPolicyScope` re-validates the current policy in the new scope (a nested policy
//!   cannot move to `MessageAttributes`).
//! - `RawMessageDelivery` (`true`/`false`, not for `lambda`), `RedrivePolicy`
//!   (`{"deadLetterTargetArn": …}`, a FIFO queue for FIFO topics), `DeliveryPolicy` (JSON
//!   within SNS's bounds, see [`delivery`](crate::delivery#http-and-https-endpoints); rejected
//!   with `Invalid parameter: DeliveryPolicy: <reason>`; empty removes it),
//!   `SubscriptionRoleArn`, `ReplayPolicy`. Other names: `Invalid parameter: AttributeName`.

use std::sync::atomic::Ordering;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::filter::PolicyOperation;
use crate::operation::get_subscription_attributes::authorize_subscription;
use crate::service::Sns;
use crate::subscription::apply_attributes;

/// The input of SetSubscriptionAttributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SetSubscriptionAttributesInput {
    /// The subscription's ARN.
    #[serde(default)]
    pub subscription_arn: Option<String>,
    /// The attribute's name.
    #[serde(default)]
    pub attribute_name: Option<String>,
    /// The new value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute_value: Option<String>,
}

/// The output of SetSubscriptionAttributes (empty).
#[derive(Debug, Clone, Default, Serialize)]
#[non_exhaustive]
pub struct SetSubscriptionAttributesOutput {}

/// Builds and sends a SetSubscriptionAttributes request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct SetSubscriptionAttributesFluentBuilder {
    sns: Sns,
    input: SetSubscriptionAttributesInput,
}

impl SetSubscriptionAttributesFluentBuilder {
    setters! {
        /// The subscription's ARN.
        subscription_arn / set_subscription_arn: String,
        /// The attribute's name.
        attribute_name / set_attribute_name: String,
        /// The new value.
        attribute_value / set_attribute_value: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<SetSubscriptionAttributesOutput, Error> {
        set_subscription_attributes(&self.sns, self.input)
    }
}

impl Sns {
    /// SetSubscriptionAttributes.
    pub fn set_subscription_attributes(&self) -> SetSubscriptionAttributesFluentBuilder {
        SetSubscriptionAttributesFluentBuilder {
            sns: self.clone(),
            input: SetSubscriptionAttributesInput::default(),
        }
    }
}

pub(crate) fn set_subscription_attributes(
    sns: &Sns,
    input: SetSubscriptionAttributesInput,
) -> Result<SetSubscriptionAttributesOutput, Error> {
    let svc = &sns.inner;
    let arn = input.subscription_arn.unwrap_or_default();
    let _span =
        tracing::debug_span!("sns.SetSubscriptionAttributes", subscription = %arn).entered();
    crate::operation::unsubscribe::check_subscription_arn(&arn)?;
    let sub = svc.lookup_subscription(&arn)?;
    authorize_subscription(sns, &sub, "SetSubscriptionAttributes")?;
    let Some(name) = input.attribute_name.filter(|n| !n.is_empty()) else {
        return Err(error::invalid_parameter(
            "Invalid parameter: AttributeName Reason: no value for required parameter",
        ));
    };
    let value = input.attribute_value.unwrap_or_default();
    let topic = svc.lookup_topic(&sub.topic_arn)?;
    let mut topic_state = topic.write();
    let mut st = sub.state.lock();
    let (new_state, policy) = apply_attributes(
        &st,
        &[(name, value)],
        PolicyOperation::SetSubscriptionAttributes,
        sub.protocol,
        sub.topic_fifo,
    )?;
    match policy {
        Some(p) => topic_state.filter.insert(sub.id, p)?,
        None => {
            topic_state.filter.remove(&sub.id);
        }
    }
    sub.has_filter
        .store(new_state.filter_policy.is_some(), Ordering::Release);
    *st = new_state;
    Ok(SetSubscriptionAttributesOutput {})
}
