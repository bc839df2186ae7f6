//! TagQueue: adds or overwrites cost-allocation tags on a queue.
//!
//! # Semantics
//!
//! - A tag whose key the queue already has overwrites it; other tags are kept. Keys and values
//!   are case-sensitive text with no meaning to SQS.
//! - A call is all or nothing: any rejected tag leaves the queue's tags as they were.
//!
//! # Rules
//!
//! From the SQS developer guide ("Quotas related to queues"):
//!
//! | rule | error |
//! |---|---|
//! | at least one tag | `MissingParameter` "The request must contain the parameter Tags." |
//! | keys 1–128 characters | `InvalidParameterValue` "Tag keys must be between 1 and 128 characters in length." |
//! | values 0–256 characters | `InvalidParameterValue` "Tag values must be between 0 and 256 characters in length." (inferred) |
//! | Unicode letters and digits, white space and `_ . : / = + - @` | `InvalidParameterValue` "Tag keys and values can only contain Unicode letters, digits, white space, and any of the following: _ . : / = + - @" (inferred) |
//! | no `aws:` prefix (any case) on keys or values | `InvalidParameterValue` "Tag keys and values must not begin with the reserved prefix aws:." (inferred) |
//! | at most 50 tags on the queue, counted after the merge ([`Limits::max_tags`]) | `InvalidParameterValue` "Too many tags added for queue {queue name}." |
//!
//! Lengths count characters (Unicode scalar values), not bytes. The guide only "recommends"
//! 50 tags at most; aws-lite enforces it. The key-length and too-many-tags messages are the
//! ones moto's tests record; the others could not be confirmed against AWS and are marked
//! *inferred*.
//!
//! [`Limits::max_tags`]: crate::limits::Limits::max_tags

use std::collections::HashMap;
use std::sync::Arc;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::queue::{Queue, QueueShared};
use crate::service::{Sqs, SqsInner};

/// The longest tag key, in characters.
const MAX_KEY_CHARS: usize = 128;
/// The longest tag value, in characters.
const MAX_VALUE_CHARS: usize = 256;

/// The input of TagQueue, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TagQueueInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The tags to add, by key.
    #[serde(default)]
    pub tags: HashMap<String, String>,
}

/// The output of TagQueue (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TagQueueOutput {}

/// Builds and sends a TagQueue request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct TagQueueFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: TagQueueInput,
}

impl TagQueueFluentBuilder {
    pub(crate) fn new(sqs: Sqs, queue: Option<Arc<QueueShared>>) -> TagQueueFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        TagQueueFluentBuilder {
            sqs,
            queue,
            input: TagQueueInput {
                queue_url,
                ..TagQueueInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// Adds one tag to the request.
    pub fn tags(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.input.tags.insert(key.into(), value.into());
        self
    }

    /// Sets (or, with `None`, clears) all the tags of the request.
    pub fn set_tags(mut self, tags: Option<HashMap<String, String>>) -> Self {
        self.input.tags = tags.unwrap_or_default();
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &TagQueueInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<TagQueueOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        tag_queue(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// TagQueue of the queue at `.queue_url(…)`.
    pub fn tag_queue(&self) -> TagQueueFluentBuilder {
        TagQueueFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// TagQueue of this queue.
    pub fn tag_queue(&self) -> TagQueueFluentBuilder {
        TagQueueFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

/// `InvalidParameterValue` "Tag keys must be between 1 and 128 characters in length." unless
/// `key` has 1 to 128 characters (shared with UntagQueue).
pub(crate) fn check_key_length(key: &str) -> Result<(), Error> {
    let n = key.chars().count();
    if n == 0 || n > MAX_KEY_CHARS {
        return Err(error::invalid_parameter_value(format!(
            "Tag keys must be between 1 and {MAX_KEY_CHARS} characters in length."
        )));
    }
    Ok(())
}

fn allowed_char(c: char) -> bool {
    c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c)
}

fn reserved(s: &str) -> bool {
    s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// Checks one tag against the rules in the [module docs](self).
fn check_tag(key: &str, value: &str) -> Result<(), Error> {
    check_key_length(key)?;
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(error::invalid_parameter_value(format!(
            "Tag values must be between 0 and {MAX_VALUE_CHARS} characters in length."
        )));
    }
    if !key.chars().chain(value.chars()).all(allowed_char) {
        return Err(error::invalid_parameter_value(
            "Tag keys and values can only contain Unicode letters, digits, white space, and any of the following: _ . : / = + - @",
        ));
    }
    if reserved(key) || reserved(value) {
        return Err(error::invalid_parameter_value(
            "Tag keys and values must not begin with the reserved prefix aws:.",
        ));
    }
    Ok(())
}

pub(crate) fn tag_queue(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: TagQueueInput,
) -> Result<TagQueueOutput, Error> {
    let _span = tracing::debug_span!("sqs.TagQueue", queue = %queue.name).entered();
    queue.check_live()?;
    if input.tags.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter Tags.",
        ));
    }
    // Deterministic order: the same bad tag is named on every run.
    let mut tags: Vec<(String, String)> = input.tags.into_iter().collect();
    tags.sort_unstable();
    for (key, value) in &tags {
        check_tag(key, value)?;
    }
    let mut state = queue.state.lock();
    let added = tags
        .iter()
        .filter(|(k, _)| !state.tags.contains_key(k))
        .count();
    if state.tags.len() + added > svc.limits.max_tags {
        return Err(error::invalid_parameter_value(format!(
            "Too many tags added for queue {}.",
            queue.name
        )));
    }
    state.tags.extend(tags);
    Ok(TagQueueOutput {})
}

#[cfg(test)]
mod tests {
    use super::check_tag;

    #[track_caller]
    fn rejects(key: &str, value: &str, message: &str) {
        let err = check_tag(key, value).unwrap_err();
        assert_eq!(
            (err.code(), err.message()),
            ("InvalidParameterValue", message)
        );
    }

    #[test]
    fn tag_rules() {
        for (k, v) in [
            ("env", "prod"),
            ("a", ""),
            ("Team Name", "x_y.z:w/v=u+t-s@r"),
            ("ключ", "値"),
            ("awsome", "aws"),
        ] {
            assert!(check_tag(k, v).is_ok(), "{k}={v}");
        }
        assert!(check_tag(&"k".repeat(128), &"v".repeat(256)).is_ok());
        assert!(check_tag(&"é".repeat(128), "").is_ok());
        let key_len = "Tag keys must be between 1 and 128 characters in length.";
        rejects("", "v", key_len);
        rejects(&"k".repeat(129), "v", key_len);
        rejects(
            "k",
            &"v".repeat(257),
            "Tag values must be between 0 and 256 characters in length.",
        );
        let chars = "Tag keys and values can only contain Unicode letters, digits, white space, and any of the following: _ . : / = + - @";
        rejects("a*b", "v", chars);
        rejects("k", "v#", chars);
        let prefix = "Tag keys and values must not begin with the reserved prefix aws:.";
        rejects("aws:cost", "v", prefix);
        rejects("AWS:cost", "v", prefix);
        rejects("k", "aws:x", prefix);
    }
}
