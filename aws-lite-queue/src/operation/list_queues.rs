//! ListQueues: the URLs of the account's queues, optionally by name prefix, page by page.
//!
//! # Semantics
//!
//! - `QueueNamePrefix` keeps the queues whose name starts with it (case-sensitive); an empty
//!   prefix keeps every queue.
//! - Without `MaxResults`, up to 1,000 URLs come back and never a `NextToken`, as the API
//!   reference says ("You must set MaxResults to receive a value for NextToken").
//! - With `MaxResults` (1–1,000), a page holds at most that many URLs, and `NextToken` is set
//!   when more remain. Pass it back (with the same prefix) for the next page.
//!
//! # Order and tokens
//!
//! SQS documents no order. aws-lite lists queues **sorted by name** (byte order), so pages are
//! stable. A `NextToken` is opaque: it names the last queue of the page, so queues created or
//! deleted between pages neither repeat nor shift the listing; it stays valid indefinitely.
//!
//! # Errors
//!
//! The messages below could not be confirmed against AWS; they follow what other SQS
//! emulators answer, and are marked *inferred*:
//!
//! - `MaxResults` outside 1–1,000: `InvalidParameterValue` "Value for parameter MaxResults is
//!   invalid. Reason: MaxResults must be an integer between 1 and 1000." (inferred);
//! - a `NextToken` this service did not issue: `InvalidParameterValue` "Invalid NextToken
//!   value." (inferred).

use std::sync::Arc;

use aws_lite_core::Error;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::limits::Limits;
use crate::queue::QueueShared;
use crate::service::Sqs;

/// The input of ListQueues, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListQueuesInput {
    /// Only queues whose name starts with this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_name_prefix: Option<String>,
    /// The token of the previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    /// At most this many URLs per page (1–1,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i32>,
}

/// The output of ListQueues.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ListQueuesOutput {
    #[serde(rename = "QueueUrls", skip_serializing_if = "Vec::is_empty")]
    queue_urls: Vec<String>,
    #[serde(rename = "NextToken", skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

impl ListQueuesOutput {
    /// The queue URLs of this page, sorted by queue name.
    pub fn queue_urls(&self) -> &[String] {
        &self.queue_urls
    }

    /// The token for the next page, when `MaxResults` was given and more queues remain.
    pub fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
}

/// Builds and sends a ListQueues request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListQueuesFluentBuilder {
    sqs: Sqs,
    input: ListQueuesInput,
}

impl ListQueuesFluentBuilder {
    /// Only queues whose name starts with `prefix`.
    pub fn queue_name_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.input.queue_name_prefix = Some(prefix.into());
        self
    }

    /// Sets or clears the prefix.
    pub fn set_queue_name_prefix(mut self, prefix: Option<String>) -> Self {
        self.input.queue_name_prefix = prefix;
        self
    }

    /// The token of the previous page.
    pub fn next_token(mut self, token: impl Into<String>) -> Self {
        self.input.next_token = Some(token.into());
        self
    }

    /// Sets or clears the token.
    pub fn set_next_token(mut self, token: Option<String>) -> Self {
        self.input.next_token = token;
        self
    }

    /// At most this many URLs per page (1–1,000).
    pub fn max_results(mut self, max: i32) -> Self {
        self.input.max_results = Some(max);
        self
    }

    /// Sets or clears the page size.
    pub fn set_max_results(mut self, max: Option<i32>) -> Self {
        self.input.max_results = max;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ListQueuesInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListQueuesOutput, Error> {
        list_queues(&self.sqs, self.input)
    }
}

impl Sqs {
    /// ListQueues.
    pub fn list_queues(&self) -> ListQueuesFluentBuilder {
        ListQueuesFluentBuilder {
            sqs: self.clone(),
            input: ListQueuesInput::default(),
        }
    }
}

/// One page of queue URLs (shared with ListDeadLetterSourceQueues).
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) urls: Vec<String>,
    pub(crate) next_token: Option<String>,
}

/// Pages `queues` (any order) by name: checks `MaxResults` and `NextToken` as described in the
/// [module docs](self). Without `max_results`, at most the quota's maximum and no token.
pub(crate) fn paginate(
    limits: &Limits,
    queues: &[Arc<QueueShared>],
    max_results: Option<i32>,
    next_token: Option<&str>,
) -> Result<Page, Error> {
    let quota = &limits.list_queues_max_results;
    let page_size = match max_results {
        None => None,
        Some(n) => match u32::try_from(n) {
            Ok(n) if quota.contains(&n) => Some(n as usize),
            _ => {
                return Err(error::invalid_parameter_value(format!(
                    "Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between {} and {}.",
                    quota.min, quota.max
                )));
            }
        },
    };
    let after = match next_token.filter(|t| !t.is_empty()) {
        None => None,
        Some(token) => Some(decode_token(token)?),
    };
    let mut named: Vec<(&str, &str)> = queues
        .iter()
        .map(|q| (q.name.as_str(), q.url.as_str()))
        .filter(|(name, _)| after.as_deref().is_none_or(|a| *name > a))
        .collect();
    named.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let limit = page_size.unwrap_or(quota.max as usize);
    let more = named.len() > limit;
    named.truncate(limit);
    let next_token = match (page_size, more, named.last()) {
        (Some(_), true, Some((last, _))) => Some(encode_token(last)),
        _ => None,
    };
    Ok(Page {
        urls: named.into_iter().map(|(_, url)| url.to_owned()).collect(),
        next_token,
    })
}

fn encode_token(last_name: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last_name.as_bytes())
}

fn decode_token(token: &str) -> Result<String, Error> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .filter(|name| !name.is_empty())
        .ok_or_else(|| error::invalid_parameter_value("Invalid NextToken value."))
}

/// The live queues, copied out of the registry so no queue lock is taken under it.
pub(crate) fn snapshot(sqs: &Sqs) -> Vec<Arc<QueueShared>> {
    let queues = sqs.inner.queues.read().unwrap_or_else(|p| p.into_inner());
    queues.values().cloned().collect()
}

pub(crate) fn list_queues(sqs: &Sqs, input: ListQueuesInput) -> Result<ListQueuesOutput, Error> {
    let _span = tracing::debug_span!("sqs.ListQueues").entered();
    let prefix = input.queue_name_prefix.unwrap_or_default();
    let mut queues = snapshot(sqs);
    queues.retain(|q| q.name.starts_with(&prefix));
    let page = paginate(
        &sqs.inner.limits,
        &queues,
        input.max_results,
        input.next_token.as_deref(),
    )?;
    Ok(ListQueuesOutput {
        queue_urls: page.urls,
        next_token: page.next_token,
    })
}

#[cfg(test)]
mod tests {
    use super::{decode_token, encode_token};

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        for name in ["a", "queue-1", "q.fifo", "Z_9"] {
            assert_eq!(decode_token(&encode_token(name)).unwrap(), name);
        }
        for bad in ["!!", "%", "", "_w"] {
            let err = decode_token(bad).unwrap_err();
            assert_eq!(
                (err.code(), err.message()),
                ("InvalidParameterValue", "Invalid NextToken value.")
            );
        }
    }
}
