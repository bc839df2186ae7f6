//! ChangeMessageVisibility: hides a received message for a new timeout, or shows it at once.
//!
//! # Semantics
//!
//! - `VisibilityTimeout` (0–43,200 s) runs from the call, not from the receive, and is not kept
//!   for later receives. `0` makes the message visible at once (long-polling receivers are
//!   woken).
//! - The 12-hour rule: a message may stay hidden at most 12 hours
//!   ([`Limits::visibility_timeout`](crate::limits::Limits::visibility_timeout)`.max`) counted
//!   from its **latest** receive; a timeout that would end later is rejected with
//!   `InvalidParameterValue` "Value {t} for parameter VisibilityTimeout is invalid. Reason: Total
//!   VisibilityTimeout for the message is beyond the limit [43200 seconds]" (AWS, quoted in
//!   localstack#3956). A new receive starts a new 12 hours.
//! - A handle whose visibility timeout has already expired still works as long as the message
//!   was not received again: the call succeeds and hides the message anew (AWS recordings).
//! - A handle of a message that was deleted (or expired, purged, moved to a dead-letter queue),
//!   or an older handle of a message received again since, is rejected with
//!   `InvalidParameterValue` "Value {handle} for parameter ReceiptHandle is invalid. Reason:
//!   Message does not exist or is not available for visibility timeout change." (AWS
//!   recordings; SQS never answers `MessageNotInflight`).
//! - A malformed handle, or one minted by another queue: `ReceiptHandleIsInvalid`.
//! - Checked first, before the handle: an empty handle (`MissingParameter` "The request must
//!   contain the parameter ReceiptHandle."), no timeout (`MissingParameter` "The request must
//!   contain the parameter VisibilityTimeout."), a timeout outside 0–43,200
//!   (`InvalidParameterValue` "Value {t} for parameter VisibilityTimeout is invalid. Reason: Must
//!   be between 0 and 43200.", Inqnuam/local-aws-sqs).

use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::{Clock, Error, Instant};
use serde::{Deserialize, Serialize};

use crate::error;
use crate::queue::{Queue, QueueShared, QueueState};
use crate::service::{Sqs, SqsInner};

/// The input of ChangeMessageVisibility, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ChangeMessageVisibilityInput {
    /// The queue's URL.
    #[serde(default)]
    pub queue_url: String,
    /// The handle from the receive.
    #[serde(default)]
    pub receipt_handle: String,
    /// The new visibility timeout, in seconds from now (0–43,200). Required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility_timeout: Option<i32>,
}

/// The output of ChangeMessageVisibility (empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ChangeMessageVisibilityOutput {}

/// Builds and sends a ChangeMessageVisibility request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ChangeMessageVisibilityFluentBuilder {
    sqs: Sqs,
    queue: Option<Arc<QueueShared>>,
    input: ChangeMessageVisibilityInput,
}

impl ChangeMessageVisibilityFluentBuilder {
    pub(crate) fn new(
        sqs: Sqs,
        queue: Option<Arc<QueueShared>>,
    ) -> ChangeMessageVisibilityFluentBuilder {
        let queue_url = queue.as_ref().map(|q| q.url.clone()).unwrap_or_default();
        ChangeMessageVisibilityFluentBuilder {
            sqs,
            queue,
            input: ChangeMessageVisibilityInput {
                queue_url,
                ..ChangeMessageVisibilityInput::default()
            },
        }
    }

    /// The queue's URL.
    pub fn queue_url(mut self, url: impl Into<String>) -> Self {
        self.input.queue_url = url.into();
        self.queue = None;
        self
    }

    /// The receipt handle.
    pub fn receipt_handle(mut self, handle: impl Into<String>) -> Self {
        self.input.receipt_handle = handle.into();
        self
    }

    /// The new visibility timeout, in seconds from now (0–43,200).
    pub fn visibility_timeout(mut self, seconds: i32) -> Self {
        self.input.visibility_timeout = Some(seconds);
        self
    }

    /// Sets or clears the visibility timeout.
    pub fn set_visibility_timeout(mut self, seconds: Option<i32>) -> Self {
        self.input.visibility_timeout = seconds;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &ChangeMessageVisibilityInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<ChangeMessageVisibilityOutput, Error> {
        let queue = match self.queue {
            Some(q) => q,
            None => self.sqs.inner.resolve_url(&self.input.queue_url)?,
        };
        change_message_visibility(&self.sqs.inner, &queue, self.input)
    }
}

impl Sqs {
    /// ChangeMessageVisibility of a message of the queue at `.queue_url(…)`.
    pub fn change_message_visibility(&self) -> ChangeMessageVisibilityFluentBuilder {
        ChangeMessageVisibilityFluentBuilder::new(self.clone(), None)
    }
}

impl Queue {
    /// ChangeMessageVisibility of a message of this queue.
    pub fn change_message_visibility(&self) -> ChangeMessageVisibilityFluentBuilder {
        ChangeMessageVisibilityFluentBuilder::new(self.sqs.clone(), Some(self.shared.clone()))
    }
}

/// The 12-hour limit on a message's visibility after a receive.
pub(crate) fn max_total_visibility(svc: &SqsInner) -> Duration {
    Duration::from_secs(u64::from(svc.limits.visibility_timeout.max))
}

/// Changes one message's visibility under the queue lock (shared with
/// ChangeMessageVisibilityBatch). The handle must be non-empty and `timeout` in range.
pub(crate) fn change_locked(
    state: &mut QueueState,
    queue: &QueueShared,
    now: Instant,
    handle: &str,
    timeout: Duration,
    max_total: Duration,
) -> Result<(), Error> {
    let receipt = queue
        .codec
        .decode(handle)
        .ok_or_else(|| error::receipt_handle_is_invalid(handle))?;
    state
        .core
        .change_visibility(now, receipt, handle, timeout, max_total)
}

pub(crate) fn change_message_visibility(
    svc: &SqsInner,
    queue: &Arc<QueueShared>,
    input: ChangeMessageVisibilityInput,
) -> Result<ChangeMessageVisibilityOutput, Error> {
    let _span = tracing::debug_span!("sqs.ChangeMessageVisibility", queue = %queue.name).entered();
    queue.check_live()?;
    if input.receipt_handle.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter ReceiptHandle.",
        ));
    }
    let Some(seconds) = input.visibility_timeout else {
        return Err(error::missing_parameter(
            "The request must contain the parameter VisibilityTimeout.",
        ));
    };
    let max = svc.limits.visibility_timeout.max;
    let timeout = u32::try_from(seconds)
        .ok()
        .filter(|s| *s <= max)
        .ok_or_else(|| {
            error::invalid_parameter(
                "VisibilityTimeout",
                seconds,
                &format!("Must be between 0 and {max}."),
            )
        })?;
    let now = svc.clock.now();
    {
        let mut state = queue.state.lock();
        state.tick(now);
        change_locked(
            &mut state,
            queue,
            now,
            &input.receipt_handle,
            Duration::from_secs(u64::from(timeout)),
            max_total_visibility(svc),
        )?;
    }
    // The message may now become visible sooner than a long-polling receiver planned to look
    // (at once, for 0): let it recompute.
    queue.wake_receivers();
    Ok(ChangeMessageVisibilityOutput {})
}
