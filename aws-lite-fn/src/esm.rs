//! Event source mappings from aws-lite queues (feature `queue`): the mapping's configuration
//! and the poller that feeds a function from an [`aws_lite_queue`] queue.
//!
//! # How a mapping runs
//!
//! Each enabled mapping has one poller, a tokio task on the service's clock:
//!
//! 1. It long-polls the queue (ReceiveMessage, 20 s waits, every system and message
//!    attribute), gathering up to `BatchSize` messages. With `MaximumBatchingWindowInSeconds`
//!    0 it invokes with what one receive returned (at most 10); with a window it keeps
//!    receiving until the batch is full or the window, counted from the first message, ends.
//! 2. It invokes the function synchronously with the SQS event
//!    (`{"Records":[{"messageId","receiptHandle","body","attributes","messageAttributes",
//!    "md5OfBody","eventSource":"aws:sqs","eventSourceARN","awsRegion"}]}`), on its own task,
//!    at most `ScalingConfig.MaximumConcurrency` batches at once (1,250 without it).
//! 3. On success it deletes the batch. On a function error, a timeout or a throttle it deletes
//!    nothing: the messages come back when their visibility timeout ends, and the queue's
//!    redrive policy moves them to its dead-letter queue after `maxReceiveCount` receives.
//! 4. With `FunctionResponseTypes: ["ReportBatchItemFailures"]` the response
//!    `{"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}` names the messages that
//!    failed; the others are deleted. A `null` response, `{}`, a missing, `null` or empty
//!    `batchItemFailures` mean the whole batch succeeded. A malformed response (not an object,
//!    `batchItemFailures` not a list, an item without a string `itemIdentifier`, an empty one,
//!    or one that is not a message id of the batch) fails the whole batch.
//!
//! FIFO queues keep their order: a message group with messages in flight is not received
//! again until they are deleted or visible again, so a group has at most one batch in flight.
//! Deleted messages are exactly those the response did not name, as in Lambda: return the
//! failed message *and every later one of its group* to keep the group's order.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::sync::{AtomicBool, AtomicUsize, Mutex, Ordering};
use aws_lite_core::{Clock, Error};
use aws_lite_queue::Queue;
use aws_lite_queue::operation::receive_message::Message;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::invoke::{execute, resolve};
use crate::names::Target;
use crate::service::LambdaInner;

/// Concurrent batches of a mapping without `ScalingConfig` (Lambda's scaling ceiling for SQS).
pub(crate) const DEFAULT_CONCURRENCY: u32 = 1_250;
/// Long-poll wait of the poller, in seconds.
const WAIT_SECONDS: u64 = 20;
/// Pause after the function is gone or a receive failed.
const BACKOFF: Duration = Duration::from_secs(10);
/// `ReportBatchItemFailures`.
pub const REPORT_BATCH_ITEM_FAILURES: &str = "ReportBatchItemFailures";

/// `ScalingConfig`: the most batches a mapping invokes at once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ScalingConfig {
    /// `MaximumConcurrency` (2–1,000). `None` removes the limit on update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_concurrency: Option<i64>,
}

impl ScalingConfig {
    /// A scaling configuration with `MaximumConcurrency` `n`.
    pub fn maximum_concurrency(n: i64) -> ScalingConfig {
        ScalingConfig {
            maximum_concurrency: Some(n),
        }
    }
}

/// `EventSourceMappingConfiguration`: what Create/Update/Delete/GetEventSourceMapping and
/// ListEventSourceMappings return.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct EventSourceMappingConfiguration {
    #[serde(rename = "UUID")]
    uuid: String,
    batch_size: u32,
    maximum_batching_window_in_seconds: u32,
    event_source_arn: String,
    function_arn: String,
    last_modified: f64,
    state: String,
    state_transition_reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    function_response_types: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scaling_config: Option<ScalingConfig>,
}

impl EventSourceMappingConfiguration {
    /// `UUID`: the mapping's identifier.
    pub fn uuid(&self) -> &str {
        &self.uuid
    }
    /// `BatchSize`.
    pub fn batch_size(&self) -> u32 {
        self.batch_size
    }
    /// `MaximumBatchingWindowInSeconds`.
    pub fn maximum_batching_window_in_seconds(&self) -> u32 {
        self.maximum_batching_window_in_seconds
    }
    /// `EventSourceArn`: the queue's ARN.
    pub fn event_source_arn(&self) -> &str {
        &self.event_source_arn
    }
    /// `FunctionArn`: qualified when the mapping names a version or alias.
    pub fn function_arn(&self) -> &str {
        &self.function_arn
    }
    /// `LastModified`, epoch seconds on the service's clock.
    pub fn last_modified(&self) -> f64 {
        self.last_modified
    }
    /// `State`: `Creating`, `Enabled`, `Disabled`, `Enabling`, `Disabling`, `Updating` or
    /// `Deleting`. Transitions are immediate in aws-lite: the answer of a change names the
    /// transition, a later Get its end.
    pub fn state(&self) -> &str {
        &self.state
    }
    /// `StateTransitionReason` (`USER_INITIATED`).
    pub fn state_transition_reason(&self) -> &str {
        &self.state_transition_reason
    }
    /// `FunctionResponseTypes`.
    pub fn function_response_types(&self) -> &[String] {
        &self.function_response_types
    }
    /// `ScalingConfig`.
    pub fn scaling_config(&self) -> Option<&ScalingConfig> {
        self.scaling_config.as_ref()
    }
}

/// The changeable part of a mapping.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) target: Target,
    pub(crate) function_arn: String,
    pub(crate) batch_size: u32,
    pub(crate) window: u32,
    pub(crate) response_types: Vec<String>,
    pub(crate) max_concurrency: Option<u32>,
    pub(crate) enabled: bool,
    pub(crate) last_modified_ms: u64,
}

impl Settings {
    fn report_failures(&self) -> bool {
        self.response_types
            .iter()
            .any(|t| t == REPORT_BATCH_ITEM_FAILURES)
    }
}

/// One event source mapping.
pub(crate) struct Mapping {
    pub(crate) uuid: String,
    pub(crate) event_source_arn: String,
    pub(crate) queue: Queue,
    pub(crate) settings: Mutex<Settings>,
    pub(crate) deleted: AtomicBool,
    /// Wakes the poller: a setting changed, a batch finished, the mapping was deleted.
    pub(crate) wake: tokio::sync::Notify,
    in_flight: AtomicUsize,
}

impl Mapping {
    pub(crate) fn new(
        uuid: String,
        event_source_arn: String,
        queue: Queue,
        s: Settings,
    ) -> Mapping {
        Mapping {
            uuid,
            event_source_arn,
            queue,
            settings: Mutex::new(s),
            deleted: AtomicBool::new(false),
            wake: tokio::sync::Notify::new(),
            in_flight: AtomicUsize::new(0),
        }
    }

    /// The mapping as the API shows it, with `state` (or the steady state when `None`).
    pub(crate) fn describe(&self, state: Option<&str>) -> EventSourceMappingConfiguration {
        let s = self.settings.lock();
        let steady = if s.enabled { "Enabled" } else { "Disabled" };
        EventSourceMappingConfiguration {
            uuid: self.uuid.clone(),
            batch_size: s.batch_size,
            maximum_batching_window_in_seconds: s.window,
            event_source_arn: self.event_source_arn.clone(),
            function_arn: s.function_arn.clone(),
            last_modified: s.last_modified_ms as f64 / 1000.0,
            state: state.unwrap_or(steady).to_owned(),
            state_transition_reason: "USER_INITIATED".to_owned(),
            function_response_types: s.response_types.clone(),
            scaling_config: s
                .max_concurrency
                .map(|n| ScalingConfig::maximum_concurrency(i64::from(n))),
        }
    }
}

/// Starts the poller of `m`; it ends when the mapping is deleted.
pub(crate) fn spawn_poller(svc: Arc<LambdaInner>, m: Arc<Mapping>) {
    tokio::spawn(poll_loop(svc, m));
}

async fn poll_loop(svc: Arc<LambdaInner>, m: Arc<Mapping>) {
    loop {
        if m.deleted.load(Ordering::Acquire) {
            return;
        }
        let s = m.settings.lock().clone();
        let cap = s.max_concurrency.unwrap_or(DEFAULT_CONCURRENCY) as usize;
        if !s.enabled || m.in_flight.load(Ordering::Acquire) >= cap {
            m.wake.notified().await;
            continue;
        }
        if svc.lookup(&s.target.name).is_err() {
            tracing::warn!(uuid = %m.uuid, function = %s.target.name, "event source mapping: the function does not exist");
            svc.clock.sleep(BACKOFF).await;
            continue;
        }
        let batch = match gather(&svc, &m, &s).await {
            Ok(batch) => batch,
            Err(e) => {
                tracing::warn!(uuid = %m.uuid, error = %e, "event source mapping: ReceiveMessage failed");
                svc.clock.sleep(BACKOFF).await;
                continue;
            }
        };
        if batch.is_empty() || m.deleted.load(Ordering::Acquire) {
            continue;
        }
        m.in_flight.fetch_add(1, Ordering::AcqRel);
        tokio::spawn(process(svc.clone(), m.clone(), s, batch));
    }
}

/// Receives one batch: up to `BatchSize` messages within the batching window.
async fn gather(svc: &LambdaInner, m: &Mapping, s: &Settings) -> Result<Vec<Message>, Error> {
    let mut batch: Vec<Message> = Vec::new();
    let window = Duration::from_secs(u64::from(s.window));
    let mut deadline = None;
    loop {
        let remaining = (s.batch_size as usize).saturating_sub(batch.len());
        if remaining == 0 {
            break;
        }
        let wait = match deadline {
            None => WAIT_SECONDS,
            Some(d) => {
                let now = svc.clock.now();
                if now >= d {
                    break;
                }
                (d - now).as_nanos().div_ceil(1_000_000_000).min(20) as u64
            }
        };
        let got = m
            .queue
            .receive_message()
            .max_number_of_messages(remaining.min(10) as i32)
            .wait_time_seconds(wait as i32)
            .message_system_attribute_names("All")
            .message_attribute_names("All")
            .send()
            .await?
            .into_messages();
        if got.is_empty() && deadline.is_none() {
            // Nothing arrived in a whole long poll: look at the settings again.
            return Ok(batch);
        }
        if !got.is_empty() && deadline.is_none() {
            deadline = Some(svc.clock.now() + window);
        }
        batch.extend(got);
        if s.window == 0 || m.deleted.load(Ordering::Acquire) {
            break;
        }
    }
    Ok(batch)
}

/// Invokes the function with one batch and deletes what succeeded.
async fn process(svc: Arc<LambdaInner>, m: Arc<Mapping>, s: Settings, batch: Vec<Message>) {
    let event = sqs_event(&m.event_source_arn, &batch);
    let ids: BTreeSet<&str> = batch.iter().map(Message::message_id).collect();
    let failed: BTreeSet<String> = match invoke_batch(&svc, &s, event).await {
        Some(response) if s.report_failures() => match batch_item_failures(&response, &ids) {
            Some(failed) => failed,
            None => {
                tracing::warn!(uuid = %m.uuid, "malformed batchItemFailures response: the whole batch failed");
                ids.iter().map(|id| (*id).to_owned()).collect()
            }
        },
        Some(_) => BTreeSet::new(),
        None => ids.iter().map(|id| (*id).to_owned()).collect(),
    };
    for message in &batch {
        if failed.contains(message.message_id()) {
            continue;
        }
        if let Err(e) = m
            .queue
            .delete_message()
            .receipt_handle(message.receipt_handle())
            .send()
            .await
        {
            tracing::warn!(uuid = %m.uuid, error = %e, "event source mapping: DeleteMessage failed");
        }
    }
    m.in_flight.fetch_sub(1, Ordering::AcqRel);
    m.wake.notify_one();
}

/// Runs the function; `Some(response)` when it succeeded, `None` on a function error, a
/// throttle or a missing function.
async fn invoke_batch(svc: &Arc<LambdaInner>, s: &Settings, event: Value) -> Option<Value> {
    let resolved = resolve(svc, &s.target).ok()?;
    match execute(svc, &resolved, event, None).await {
        Ok(exec) => exec.outcome.ok(),
        Err(e) => {
            tracing::warn!(function = %s.target.name, error = %e, "event source mapping: the invocation was refused");
            None
        }
    }
}

/// The message ids a `ReportBatchItemFailures` response names, or `None` when it is malformed.
pub(crate) fn batch_item_failures(
    response: &Value,
    ids: &BTreeSet<&str>,
) -> Option<BTreeSet<String>> {
    let object = match response {
        Value::Null => return Some(BTreeSet::new()),
        Value::Object(o) => o,
        _ => return None,
    };
    let items = match object.get("batchItemFailures") {
        None | Some(Value::Null) => return Some(BTreeSet::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return None,
    };
    let mut failed = BTreeSet::new();
    for item in items {
        let id = item.as_object()?.get("itemIdentifier")?.as_str()?;
        if id.is_empty() || !ids.contains(id) {
            return None;
        }
        failed.insert(id.to_owned());
    }
    Some(failed)
}

/// The SQS event of a batch, with the field names of the Lambda developer guide.
pub(crate) fn sqs_event(event_source_arn: &str, batch: &[Message]) -> Value {
    let region = event_source_arn.split(':').nth(3).unwrap_or_default();
    let records: Vec<Value> = batch
        .iter()
        .map(|m| {
            let attributes: BTreeMap<&str, &str> = m
                .attributes()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let mut message_attributes = Map::new();
            for (name, value) in m.message_attributes().into_iter().flatten() {
                let mut a = Map::new();
                if let Some(text) = &value.string_value {
                    a.insert("stringValue".into(), Value::String(text.clone()));
                }
                if let Some(bytes) = &value.binary_value {
                    use base64::Engine as _;
                    let text = base64::engine::general_purpose::STANDARD.encode(&bytes[..]);
                    a.insert("binaryValue".into(), Value::String(text));
                }
                a.insert("stringListValues".into(), json!([]));
                a.insert("binaryListValues".into(), json!([]));
                a.insert("dataType".into(), Value::String(value.data_type.clone()));
                message_attributes.insert(name.clone(), Value::Object(a));
            }
            json!({
                "messageId": m.message_id(),
                "receiptHandle": m.receipt_handle(),
                "body": m.body(),
                "attributes": attributes,
                "messageAttributes": message_attributes,
                "md5OfBody": m.md5_of_body(),
                "eventSource": "aws:sqs",
                "eventSourceARN": event_source_arn,
                "awsRegion": region,
            })
        })
        .collect();
    json!({ "Records": records })
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;

    fn ids() -> BTreeSet<&'static str> {
        ["a", "b"].into_iter().collect()
    }

    #[test]
    fn success_shapes() {
        for v in [
            Value::Null,
            json!({}),
            json!({"batchItemFailures": null}),
            json!({"batchItemFailures": []}),
        ] {
            assert_eq!(
                batch_item_failures(&v, &ids()),
                Some(BTreeSet::new()),
                "{v}"
            );
        }
        let one = batch_item_failures(
            &json!({"batchItemFailures": [{"itemIdentifier": "b"}]}),
            &ids(),
        );
        assert_eq!(one, Some(["b".to_owned()].into_iter().collect()));
    }

    #[test]
    fn malformed_shapes() {
        for v in [
            json!("ok"),
            json!([]),
            json!({"batchItemFailures": {}}),
            json!({"batchItemFailures": ["a"]}),
            json!({"batchItemFailures": [{"itemIdentifier": ""}]}),
            json!({"batchItemFailures": [{"itemIdentifier": null}]}),
            json!({"batchItemFailures": [{"itemId": "a"}]}),
            json!({"batchItemFailures": [{"itemIdentifier": "zzz"}]}),
        ] {
            assert_eq!(batch_item_failures(&v, &ids()), None, "{v}");
        }
    }
}
