//! GetSubscriptionAttributes: a subscription's attributes.
//!
//! # Semantics
//!
//! Reports `SubscriptionArn`, `TopicArn`, `Owner`, `Protocol`, `Endpoint`,
//! `PendingConfirmation`, `ConfirmationWasAuthenticated`, `RawMessageDelivery`,
//! `SubscriptionPrincipal`, and when set `FilterPolicy` with `FilterPolicyScope`,
//! `RedrivePolicy`, `DeliveryPolicy` and the others. A missing subscription is `NotFound`.

use std::collections::BTreeMap;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::Sns;
use crate::subscription::{SubscriptionShared, attributes_of};

/// The input of GetSubscriptionAttributes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GetSubscriptionAttributesInput {
    /// The subscription's ARN.
    #[serde(default)]
    pub subscription_arn: Option<String>,
}

/// The output of GetSubscriptionAttributes.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetSubscriptionAttributesOutput {
    attributes: BTreeMap<String, String>,
}

impl GetSubscriptionAttributesOutput {
    /// All attributes by name.
    pub fn attributes(&self) -> &BTreeMap<String, String> {
        &self.attributes
    }

    /// One attribute.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }
}

/// Builds and sends a GetSubscriptionAttributes request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct GetSubscriptionAttributesFluentBuilder {
    sns: Sns,
    input: GetSubscriptionAttributesInput,
}

impl GetSubscriptionAttributesFluentBuilder {
    setters! {
        /// The subscription's ARN.
        subscription_arn / set_subscription_arn: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<GetSubscriptionAttributesOutput, Error> {
        get_subscription_attributes(&self.sns, self.input)
    }
}

impl Sns {
    /// GetSubscriptionAttributes.
    pub fn get_subscription_attributes(&self) -> GetSubscriptionAttributesFluentBuilder {
        GetSubscriptionAttributesFluentBuilder {
            sns: self.clone(),
            input: GetSubscriptionAttributesInput::default(),
        }
    }
}

/// `AuthorizationError` unless the caller owns the subscription or its topic.
pub(crate) fn authorize_subscription(
    sns: &Sns,
    sub: &SubscriptionShared,
    action: &str,
) -> Result<(), Error> {
    if sub.owner == sns.caller || sns.is_owner() {
        Ok(())
    } else {
        Err(error::authorization_error(
            sns.caller.as_str(),
            action,
            &sub.arn,
        ))
    }
}

pub(crate) fn get_subscription_attributes(
    sns: &Sns,
    input: GetSubscriptionAttributesInput,
) -> Result<GetSubscriptionAttributesOutput, Error> {
    let arn = input.subscription_arn.unwrap_or_default();
    let _span =
        tracing::debug_span!("sns.GetSubscriptionAttributes", subscription = %arn).entered();
    crate::operation::unsubscribe::check_subscription_arn(&arn)?;
    let sub = sns.inner.lookup_subscription(&arn)?;
    authorize_subscription(sns, &sub, "GetSubscriptionAttributes")?;
    Ok(GetSubscriptionAttributesOutput {
        attributes: attributes_of(&sub),
    })
}
