//! ListTopics: the account's topics, 100 per page.
//!
//! # Semantics
//!
//! - Topics are listed in ARN order; `NextToken` continues after the previous page and is
//!   absent on the last page. A token this service did not issue is `InvalidParameter`.
//! - A caller from another account sees none of this account's topics.

use aws_lite_core::Error;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::service::Sns;
use crate::types::TopicEntry;

/// The input of ListTopics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ListTopicsInput {
    /// The token of the page to return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// The output of ListTopics.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTopicsOutput {
    topics: Vec<TopicEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

impl ListTopicsOutput {
    /// The topics of this page.
    pub fn topics(&self) -> &[TopicEntry] {
        &self.topics
    }

    /// The token of the next page, if any.
    pub fn next_token(&self) -> Option<&str> {
        self.next_token.as_deref()
    }
}

/// Builds and sends a ListTopics request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ListTopicsFluentBuilder {
    sns: Sns,
    input: ListTopicsInput,
}

impl ListTopicsFluentBuilder {
    setters! {
        /// The token of the page to return.
        next_token / set_next_token: String,
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ListTopicsOutput, Error> {
        list_topics(&self.sns, self.input)
    }
}

impl Sns {
    /// ListTopics.
    pub fn list_topics(&self) -> ListTopicsFluentBuilder {
        ListTopicsFluentBuilder {
            sns: self.clone(),
            input: ListTopicsInput::default(),
        }
    }
}

/// Encodes the key a page starts at.
pub(crate) fn encode_token(key: &str) -> String {
    STANDARD.encode(key.as_bytes())
}

/// Decodes a page token.
pub(crate) fn decode_token(token: &str) -> Result<String, Error> {
    STANDARD
        .decode(token.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| error::invalid_parameter("Invalid parameter: NextToken"))
}

pub(crate) fn list_topics(sns: &Sns, input: ListTopicsInput) -> Result<ListTopicsOutput, Error> {
    let svc = &sns.inner;
    let _span = tracing::debug_span!("sns.ListTopics").entered();
    let start = match &input.next_token {
        Some(t) => Some(decode_token(t)?),
        None => None,
    };
    if !sns.is_owner() {
        return Ok(ListTopicsOutput::default());
    }
    let topics = svc.topics.read().unwrap_or_else(|p| p.into_inner());
    let page = svc.limits.list_page_size.max(1);
    let mut iter: Box<dyn Iterator<Item = &String>> = match &start {
        Some(s) => Box::new(topics.range::<String, _>(s.clone()..).map(|(k, _)| k)),
        None => Box::new(topics.keys()),
    };
    let items: Vec<TopicEntry> = iter
        .by_ref()
        .take(page)
        .map(|arn| TopicEntry {
            topic_arn: arn.clone(),
        })
        .collect();
    let next_token = iter.next().map(|k| encode_token(k));
    Ok(ListTopicsOutput {
        topics: items,
        next_token,
    })
}
