//! ListSubscriptions: the caller's subscriptions, 100 per page.
//!
//! # Semantics
//!
//! - Lists the subscriptions whose owner is the caller, in ARN order; `NextToken` continues.
//! - A subscription awaiting confirmation is listed with `SubscriptionArn` =
//!   `PendingConfirmation`.

use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::operation::list_topics::{decode_token, encode_token};
use crate::service::Sns;
use crate::subscription::SubscriptionShared;
use crate::types::SubscriptionEntry;

/// The input of ListSubscriptions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListSubscriptionsInput {
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The output of ListSubscriptions and ListSubscriptionsByTopic.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListSubscriptionsOutput {
    subscriptions: Vec<SubscriptionEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

impl ListSubscriptionsOutput {
    /// The subscriptions of this page.
    pub fn subscriptions(&self) -> &[SubscriptionEntry] {
        &self.subscriptions
    }

    /// The token of the next page, if any.
    pub fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
}

/// Builds and sends a ListSubscriptions request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListSubscriptionsFluentBuilder {
    sns: Sns,
    input: ListSubscriptionsInput,
}

impl ListSubscriptionsFluentBuilder {
    setters! {
        /// The token of the page to return.
        next_token / set_next_token: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListSubscriptionsOutput, Error> {
        list_subscriptions(&self.sns, self.input)
    }
}

impl Sns {
    /// ListSubscriptions.
    pub fn list_subscriptions(&self) -> ListSubscriptionsFluentBuilder {
        ListSubscriptionsFluentBuilder {
            sns: self.clone(),
            input: ListSubscriptionsInput::default(),
        }
    }
}

pub(crate) fn entry(s: &SubscriptionShared) -> SubscriptionEntry {
    let pending = s.state.lock().pending;
    SubscriptionEntry {
        subscription_arn: if pending {
            "PendingConfirmation".into()
        } else {
            s.arn.clone()
        },
        owner: s.owner.as_str().to_string(),
        protocol: s.protocol.as_str().into(),
        endpoint: s.endpoint.clone(),
        topic_arn: s.topic_arn.to_string(),
    }
}

/// One page of `subs` (sorted by ARN) from `token`.
pub(crate) fn page(
    subs: Vec<Arc<SubscriptionShared>>,
    token: Option<&str>,
    size: usize,
) -> Result<ListSubscriptionsOutput, Error> {
    let start = match token {
        Some(t) => Some(decode_token(t)?),
        None => None,
    };
    let mut iter = subs
        .into_iter()
        .filter(|s| start.as_ref().is_none_or(|st| s.arn >= *st));
    let subscriptions: Vec<SubscriptionEntry> =
        iter.by_ref().take(size.max(1)).map(|s| entry(&s)).collect();
    let next_token = iter.next().map(|s| encode_token(&s.arn));
    Ok(ListSubscriptionsOutput {
        subscriptions,
        next_token,
    })
}

pub(crate) fn list_subscriptions(
    sns: &Sns,
    input: ListSubscriptionsInput,
) -> Result<ListSubscriptionsOutput, Error> {
    let svc = &sns.inner;
    let _span = tracing::debug_span!("sns.ListSubscriptions").entered();
    let subs: Vec<Arc<SubscriptionShared>> = svc
        .subscriptions
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .values()
        .filter(|s| s.owner == sns.caller)
        .cloned()
        .collect();
    page(subs, input.next_token.as_deref(), svc.limits.list_page_size)
}
