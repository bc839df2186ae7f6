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
//!    A batch also stops where its event would pass 6 MB (Lambda's synchronous payload limit,
//!    [`Limits::sync_payload_bytes`](crate::Limits::sync_payload_bytes), as compact JSON); one
//!    message always fits. The messages received that did not fit start the next batch: a
//!    standard queue's poller keeps them (they are not received again), a FIFO queue's returns
//!    them to the queue (`ChangeMessageVisibility` 0, so their group's order holds them behind
//!    the batch in flight; their receive count goes up by one). How Lambda's pollers hold such
//!    messages is not documented; this is aws-lite's choice.
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
//!
//! # Filtering
//!
//! `FilterCriteria` ([`FilterCriteria`]) holds at most 5 filters (Lambda's default quota,
//! [`Limits::event_source_mapping_filters`](crate::Limits::event_source_mapping_filters); AWS
//! raises it to 10 on request), each a `Pattern` in the EventBridge pattern dialect, compiled
//! and matched by [`aws_lite_pubsub::filter`]. A pattern that is not valid is
//! `InvalidParameterValueException`, `Invalid filter pattern definition.`; a pattern longer
//! than 4,096 characters a `ValidationException`. As the Lambda developer guide describes for
//! SQS (*Control which events Lambda sends to your function*):
//!
//! - each message is matched as its record of the SQS event (`messageId`, `body`,
//!   `attributes`, `messageAttributes`, `md5OfBody`, `eventSource`, …); the filters are ORed;
//! - Lambda compares the format of the `body` with the format of the pattern's `body`: a
//!   pattern whose `body` is an object (`{"body": {"RequestCode": ["BBBB"]}}`) matches only
//!   bodies that are valid JSON, parsed; a pattern whose `body` is a list of rules
//!   (`{"body": [{"prefix": "Result: "}]}`) matches only bodies that are not valid JSON, as
//!   plain strings; a mismatch drops the message. A pattern without `body` filters on the
//!   other fields only (with the body parsed when it is JSON);
//! - a message that matches no filter is deleted from the queue as it is received: it is not
//!   delivered, not retried and never reaches the dead-letter queue. Filtering happens before
//!   batching, so `BatchSize` counts matching messages only.
//!
//! "Valid JSON" is whatever `serde_json` parses, scalars included (`"42"` is a JSON body).
//!
//! # Scaling
//!
//! A standard queue's mapping scales as the Lambda developer guide describes (*Configuring
//! scaling behavior for SQS event source mappings*, current figures): when messages are
//! available it starts with 5 concurrent batches and, while messages remain, adds up to 300
//! concurrent invocations per minute, up to 1,250. Here the ramp is linear on the clock — one
//! more batch every 200 ms from the first message of a backlog — and it falls back to 5 as
//! soon as a receive finds the queue empty. The number of batches in flight never exceeds, at
//! any instant, the least of the ramp, `ScalingConfig.MaximumConcurrency`, the function's
//! reserved concurrency (when it has one) and otherwise the account's unreserved concurrency.
//! Lambda's cost optimization down to 2 pollers on an idle queue is not reproduced (it is
//! invisible to the function). FIFO queues do not ramp: a FIFO mapping runs a batch for each
//! message group with messages, up to the same caps, as Lambda scales FIFO sources to the
//! number of active message groups.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::sync::{AtomicBool, AtomicUsize, Mutex, Ordering};
use aws_lite_core::{Clock, Error, Instant};
use aws_lite_pubsub::filter::{Dialect, Policy};
use aws_lite_queue::Queue;
use aws_lite_queue::operation::receive_message::Message;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::config::Limits;
use crate::error;
use crate::invoke::{execute, resolve};
use crate::names::Target;
use crate::service::LambdaInner;
use crate::state::NO_RESERVATION;

/// Concurrent batches of a mapping without `ScalingConfig` (Lambda's scaling ceiling for SQS:
/// 1,250 concurrent invokes).
pub(crate) const DEFAULT_CONCURRENCY: u32 = 1_250;
/// Concurrent batches of a standard queue's mapping when messages start to arrive (Lambda: 5).
pub const INITIAL_CONCURRENCY: u32 = 5;
/// Concurrent batches a standard queue's mapping adds per minute while messages remain
/// (Lambda: up to 300).
pub const SCALE_UP_PER_MINUTE: u32 = 300;
/// The longest filter `Pattern`, in characters.
pub const MAX_PATTERN_LENGTH: usize = 4096;
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

/// `FilterCriteria`: the filters of a mapping; a message is delivered when it matches one.
///
/// ```
/// use aws_lite_fn::esm::FilterCriteria;
///
/// let c = FilterCriteria::new([r#"{"body": {"RequestCode": ["BBBB"]}}"#]);
/// assert_eq!(c.filters().len(), 1);
/// assert_eq!(c.filters()[0].pattern(), Some(r#"{"body": {"RequestCode": ["BBBB"]}}"#));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FilterCriteria {
    /// `Filters`. Empty (or absent) on UpdateEventSourceMapping removes the filtering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<Filter>>,
}

impl FilterCriteria {
    /// Criteria with one filter per pattern.
    pub fn new<P: Into<String>>(patterns: impl IntoIterator<Item = P>) -> FilterCriteria {
        FilterCriteria {
            filters: Some(patterns.into_iter().map(Filter::new).collect()),
        }
    }

    /// The filters.
    pub fn filters(&self) -> &[Filter] {
        self.filters.as_deref().unwrap_or_default()
    }
}

/// `Filter`: one event pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Filter {
    /// `Pattern`: an EventBridge event pattern, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl Filter {
    /// A filter with this pattern.
    pub fn new(pattern: impl Into<String>) -> Filter {
        Filter {
            pattern: Some(pattern.into()),
        }
    }

    /// `Pattern`.
    pub fn pattern(&self) -> Option<&str> {
        self.pattern.as_deref()
    }
}

/// What a pattern's `body` asks of a message body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyFormat {
    /// `"body": {…}`: the body must be valid JSON.
    Json,
    /// `"body": […]`: the body must be a plain string (not valid JSON).
    Plain,
    /// No `body` key: either.
    Any,
}

#[derive(Debug, Clone)]
struct CompiledFilter {
    policy: Policy,
    body: BodyFormat,
}

/// A mapping's validated filters.
#[derive(Debug)]
pub(crate) struct Filters {
    criteria: FilterCriteria,
    compiled: Vec<CompiledFilter>,
}

fn invalid_pattern() -> Error {
    error::invalid_parameter("Invalid filter pattern definition.")
}

/// Validates `FilterCriteria`; `None` when it holds no filter (no filtering).
pub(crate) fn compile_filters(
    criteria: &FilterCriteria,
    limits: &Limits,
) -> Result<Option<Arc<Filters>>, Error> {
    let filters = criteria.filters();
    for (i, f) in filters.iter().enumerate() {
        if let Some(p) = &f.pattern {
            if p.chars().count() > MAX_PATTERN_LENGTH {
                return Err(error::validation(
                    p,
                    &format!("filterCriteria.filters.{}.member.pattern", i + 1),
                    "Member must have length less than or equal to 4096",
                ));
            }
        }
    }
    if filters.len() > limits.event_source_mapping_filters {
        return Err(error::invalid_parameter(format!(
            "The number of filters in FilterCriteria ({}) exceeds the limit of {} filters per event source mapping.",
            filters.len(),
            limits.event_source_mapping_filters
        )));
    }
    if filters.is_empty() {
        return Ok(None);
    }
    let mut compiled = Vec::with_capacity(filters.len());
    for f in filters {
        let text = f.pattern.as_deref().ok_or_else(invalid_pattern)?;
        let policy = Policy::parse(text, Dialect::EventBridge).map_err(|_| invalid_pattern())?;
        let value: Value = serde_json::from_str(text).map_err(|_| invalid_pattern())?;
        let body = match value.get("body") {
            Some(Value::Object(_)) => BodyFormat::Json,
            Some(_) => BodyFormat::Plain,
            None => BodyFormat::Any,
        };
        compiled.push(CompiledFilter { policy, body });
    }
    Ok(Some(Arc::new(Filters {
        criteria: criteria.clone(),
        compiled,
    })))
}

impl Filters {
    /// Whether a message's record matches one of the filters.
    fn matches(&self, event_source_arn: &str, message: &Message) -> bool {
        let record = sqs_record(event_source_arn, message);
        let parsed: Option<Value> = serde_json::from_str(message.body()).ok();
        let json_record = parsed.map(|body| {
            let mut r = record.clone();
            if let Some(o) = r.as_object_mut() {
                o.insert("body".to_owned(), body);
            }
            r
        });
        self.compiled.iter().any(|f| match (f.body, &json_record) {
            (BodyFormat::Json, Some(r)) | (BodyFormat::Any, Some(r)) => f.policy.matches_json(r),
            (BodyFormat::Plain, None) | (BodyFormat::Any, None) => f.policy.matches_json(&record),
            (BodyFormat::Json, None) | (BodyFormat::Plain, Some(_)) => false,
        })
    }
}

/// The scale-up ramp of a standard queue's mapping: a pure core on the clock's instants.
///
/// From the first message of a backlog (`since`), the mapping may run
/// `INITIAL_CONCURRENCY + elapsed × SCALE_UP_PER_MINUTE / 1 min` batches; a receive that finds
/// the queue empty ends the backlog.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ramp {
    since: Option<Instant>,
}

impl Ramp {
    /// The batches allowed at `now`, at most `cap`.
    pub(crate) fn allowed(&self, now: Instant, cap: usize) -> usize {
        let grown = self.since.map_or(0, |t| {
            let ms = (now - t).as_millis();
            ms * u128::from(SCALE_UP_PER_MINUTE) / 60_000
        });
        let grown = usize::try_from(grown).unwrap_or(usize::MAX);
        (INITIAL_CONCURRENCY as usize)
            .saturating_add(grown)
            .min(cap)
    }

    /// When the allowance next grows by one, if a backlog is being ramped.
    pub(crate) fn next_step(&self, now: Instant) -> Option<Instant> {
        let t = self.since?;
        let per_minute = u128::from(SCALE_UP_PER_MINUTE);
        let steps = (now - t).as_millis() * per_minute / 60_000;
        let at_ms = ((steps + 1) * 60_000).div_ceil(per_minute);
        Some(t + Duration::from_millis(u64::try_from(at_ms).unwrap_or(u64::MAX)))
    }

    /// Messages were received at `now`: the backlog starts (or goes on).
    pub(crate) fn messages(&mut self, now: Instant) {
        self.since.get_or_insert(now);
    }

    /// A receive found the queue empty: back to the initial concurrency.
    pub(crate) fn drained(&mut self) {
        self.since = None;
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
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_criteria: Option<FilterCriteria>,
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
    /// `FilterCriteria`, when the mapping filters.
    pub fn filter_criteria(&self) -> Option<&FilterCriteria> {
        self.filter_criteria.as_ref()
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
    /// `FilterCriteria`, validated; `None`: every message is delivered.
    pub(crate) filters: Option<Arc<Filters>>,
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
            filter_criteria: s.filters.as_ref().map(|f| f.criteria.clone()),
        }
    }
}

/// Starts the poller of `m`; it ends when the mapping is deleted.
pub(crate) fn spawn_poller(svc: Arc<LambdaInner>, m: Arc<Mapping>) {
    tokio::spawn(poll_loop(svc, m));
}

/// The most batches `s` may run at once: `MaximumConcurrency` (1,250 without it), the
/// function's reserved concurrency, or else the account's unreserved concurrency.
fn concurrency_cap(svc: &LambdaInner, s: &Settings) -> usize {
    let mut cap = u64::from(s.max_concurrency.unwrap_or(DEFAULT_CONCURRENCY));
    if let Ok(f) = svc.lookup(&s.target.name) {
        let reserved = f.reserved.load(Ordering::Acquire);
        let limit = if reserved == NO_RESERVATION {
            u64::from(svc.limits.concurrent_executions)
                .saturating_sub(svc.reserved_sum.load(Ordering::Acquire))
        } else {
            reserved
        };
        cap = cap.min(limit);
    }
    usize::try_from(cap).unwrap_or(usize::MAX)
}

/// Waits until the mapping is woken (a batch finished, a setting changed) or `until`.
async fn wake_or(svc: &LambdaInner, m: &Mapping, until: Instant) {
    let woken = std::pin::pin!(m.wake.notified());
    let timer = std::pin::pin!(svc.clock.sleep_until(until));
    futures_util::future::select(woken, timer).await;
}

async fn poll_loop(svc: Arc<LambdaInner>, m: Arc<Mapping>) {
    let fifo = m.event_source_arn.ends_with(".fifo");
    let mut ramp = Ramp::default();
    // Messages of a standard queue received but left out of a full batch: the next one's.
    let mut carried: Vec<Message> = Vec::new();
    loop {
        if m.deleted.load(Ordering::Acquire) {
            release(&m, carried).await;
            return;
        }
        let s = m.settings.lock().clone();
        if !s.enabled {
            release(&m, std::mem::take(&mut carried)).await;
            ramp.drained();
            m.wake.notified().await;
            continue;
        }
        if svc.lookup(&s.target.name).is_err() {
            release(&m, std::mem::take(&mut carried)).await;
            tracing::warn!(uuid = %m.uuid, function = %s.target.name, "event source mapping: the function does not exist");
            svc.clock.sleep(BACKOFF).await;
            continue;
        }
        let cap = concurrency_cap(&svc, &s);
        let now = svc.clock.now();
        let allowed = if fifo { cap } else { ramp.allowed(now, cap) };
        if m.in_flight.load(Ordering::Acquire) >= allowed {
            if cap == 0 {
                // Reserved concurrency 0: nothing may run; look again later.
                wake_or(&svc, &m, now + BACKOFF).await;
            } else {
                match ramp.next_step(now).filter(|_| !fifo && allowed < cap) {
                    Some(at) => wake_or(&svc, &m, at).await,
                    None => m.wake.notified().await,
                }
            }
            continue;
        }
        let limit = svc.limits.sync_payload_bytes;
        let gathered = match gather(&svc, &m, &s, std::mem::take(&mut carried), limit).await {
            Ok(g) => g,
            Err(e) => {
                tracing::warn!(uuid = %m.uuid, error = %e, "event source mapping: ReceiveMessage failed");
                svc.clock.sleep(BACKOFF).await;
                continue;
            }
        };
        if gathered.received {
            ramp.messages(svc.clock.now());
        } else {
            ramp.drained();
        }
        let Gathered {
            batch, overflow, ..
        } = gathered;
        if fifo {
            // Back to the queue, where their group's order holds them behind this batch.
            release(&m, overflow).await;
        } else {
            carried = overflow;
        }
        if batch.messages.is_empty() || m.deleted.load(Ordering::Acquire) {
            continue;
        }
        m.in_flight.fetch_add(1, Ordering::AcqRel);
        tokio::spawn(process(svc.clone(), m.clone(), s, batch));
    }
}

/// Makes `messages` visible again at once (`ChangeMessageVisibility` 0).
async fn release(m: &Mapping, messages: Vec<Message>) {
    for message in messages {
        if let Err(e) = m
            .queue
            .change_message_visibility()
            .receipt_handle(message.receipt_handle())
            .visibility_timeout(0)
            .send()
            .await
        {
            tracing::warn!(uuid = %m.uuid, error = %e, "event source mapping: ChangeMessageVisibility of a message left out of a full batch failed");
        }
    }
}

/// One gathered batch, and whether the queue gave any message at all (matching or not).
struct Gathered {
    batch: Batch,
    received: bool,
    /// Messages received that did not fit in the batch's payload limit.
    overflow: Vec<Message>,
}

/// A batch: its messages, with the length of its event as JSON.
#[derive(Default)]
struct Batch {
    messages: Vec<Message>,
    /// The length of `{"Records":[…]}` with these messages' records, as compact JSON.
    event_len: usize,
}

/// The length of `{"Records":[]}`.
const EMPTY_EVENT_LEN: usize = 14;

impl Batch {
    /// Adds the messages of `got` in order while the batch has fewer than `batch_size` records
    /// and its event stays within `limit` bytes (the first message always goes in); from the
    /// first that does not fit, they go to `overflow`.
    fn extend(
        &mut self,
        arn: &str,
        got: Vec<Message>,
        batch_size: usize,
        limit: usize,
        overflow: &mut Vec<Message>,
    ) {
        for message in got {
            if !overflow.is_empty() || self.messages.len() >= batch_size {
                overflow.push(message);
                continue;
            }
            let len = record_len(arn, &message);
            let event_len = match self.messages.len() {
                0 => EMPTY_EVENT_LEN + len,
                _ => self.event_len + 1 + len,
            };
            if event_len > limit && !self.messages.is_empty() {
                overflow.push(message);
                continue;
            }
            self.event_len = event_len;
            self.messages.push(message);
        }
    }
}

/// Receives one batch: up to `BatchSize` matching messages within the batching window, as
/// long as its event stays within `limit` bytes. It starts with `carried`, messages received
/// before that did not fit in the previous batch; the messages that do not fit in this one are
/// its [`overflow`](Gathered::overflow).
async fn gather(
    svc: &LambdaInner,
    m: &Mapping,
    s: &Settings,
    carried: Vec<Message>,
    limit: usize,
) -> Result<Gathered, Error> {
    let arn = m.event_source_arn.as_str();
    let mut batch = Batch::default();
    let mut overflow = Vec::new();
    let mut received = false;
    let window = Duration::from_secs(u64::from(s.window));
    let mut deadline = None;
    let batch_size = s.batch_size as usize;
    if !carried.is_empty() {
        batch.extend(arn, carried, batch_size, limit, &mut overflow);
        deadline = Some(svc.clock.now() + window);
    }
    loop {
        let remaining = batch_size.saturating_sub(batch.messages.len());
        if remaining == 0 || !overflow.is_empty() {
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
            return Ok(Gathered {
                batch,
                received,
                overflow,
            });
        }
        received |= !got.is_empty();
        // The filters in force when the messages arrive (an update applies from the next
        // receive, even one that was already waiting).
        let filters = m.settings.lock().filters.clone();
        let got = match filters {
            Some(filters) => drop_filtered(m, &filters, got).await,
            None => got,
        };
        if !got.is_empty() && deadline.is_none() {
            deadline = Some(svc.clock.now() + window);
        }
        batch.extend(arn, got, batch_size, limit, &mut overflow);
        if s.window == 0 || m.deleted.load(Ordering::Acquire) {
            break;
        }
    }
    Ok(Gathered {
        batch,
        received,
        overflow,
    })
}

/// Keeps the messages that match a filter and deletes the others from the queue, as Lambda
/// does with messages that match no filter.
async fn drop_filtered(m: &Mapping, filters: &Filters, got: Vec<Message>) -> Vec<Message> {
    let mut keep = Vec::with_capacity(got.len());
    for message in got {
        if filters.matches(&m.event_source_arn, &message) {
            keep.push(message);
            continue;
        }
        tracing::debug!(uuid = %m.uuid, message_id = message.message_id(), "event source mapping: the message matches no filter; deleted");
        if let Err(e) = m
            .queue
            .delete_message()
            .receipt_handle(message.receipt_handle())
            .send()
            .await
        {
            tracing::warn!(uuid = %m.uuid, error = %e, "event source mapping: DeleteMessage of a filtered message failed");
        }
    }
    keep
}

/// Invokes the function with one batch and deletes what succeeded.
async fn process(svc: Arc<LambdaInner>, m: Arc<Mapping>, s: Settings, batch: Batch) {
    let batch = batch.messages;
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
    let resolved = resolve(svc, s.target.as_ref()).ok()?;
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

/// One message's record in the SQS event, with the field names of the Lambda developer guide.
pub(crate) fn sqs_record(event_source_arn: &str, m: &Message) -> Value {
    let region = event_source_arn.split(':').nth(3).unwrap_or_default();
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
}

/// The SQS event of a batch, with the field names of the Lambda developer guide.
pub(crate) fn sqs_event(event_source_arn: &str, batch: &[Message]) -> Value {
    let records: Vec<Value> = batch
        .iter()
        .map(|m| sqs_record(event_source_arn, m))
        .collect();
    json!({ "Records": records })
}

/// The length of `s` as a JSON string the way `serde_json` writes it: the quotes, and a
/// two-byte escape for `"`, `\` and `\b \f \n \r \t`, six bytes (`\u00XX`) for the other
/// control characters.
fn json_str_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    // Most text escapes nothing: one branch-free pass (it vectorizes) settles that.
    let escaped = bytes
        .iter()
        .filter(|&&b| b < 0x20 || b == b'"' || b == b'\\')
        .count();
    if escaped == 0 {
        return 2 + bytes.len();
    }
    let extra: usize = bytes
        .iter()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x09 | 0x0A | 0x0C | 0x0D => 1,
            0x00..=0x1F => 5,
            _ => 0,
        })
        .sum();
    2 + bytes.len() + extra
}

/// The length of a JSON object whose members' lengths (key, colon and value) are `members`.
fn json_object_len(members: impl IntoIterator<Item = usize>) -> usize {
    let (count, sum) = members
        .into_iter()
        .fold((0usize, 0usize), |(n, sum), len| (n + 1, sum + len));
    2 + sum + count.saturating_sub(1)
}

/// The length of one member, `"key":value`, whose value is `value_len` long.
fn json_member_len(key: &str, value_len: usize) -> usize {
    json_str_len(key) + 1 + value_len
}

/// The length of [`sqs_record`]`(event_source_arn, m)` as compact JSON, counted without
/// building it (the poller sizes every message it batches).
fn record_len(event_source_arn: &str, m: &Message) -> usize {
    let region = event_source_arn.split(':').nth(3).unwrap_or_default();
    let attributes = json_object_len(
        m.attributes()
            .iter()
            .map(|(k, v)| json_member_len(k.as_str(), json_str_len(v))),
    );
    let message_attributes = json_object_len(m.message_attributes().into_iter().flatten().map(
        |(name, value)| {
            let mut members = Vec::with_capacity(5);
            if let Some(text) = &value.string_value {
                members.push(json_member_len("stringValue", json_str_len(text)));
            }
            if let Some(bytes) = &value.binary_value {
                // Standard base64 with padding: 4 characters for every 3 bytes begun.
                members.push(json_member_len(
                    "binaryValue",
                    2 + bytes.len().div_ceil(3) * 4,
                ));
            }
            members.push(json_member_len("stringListValues", 2));
            members.push(json_member_len("binaryListValues", 2));
            members.push(json_member_len("dataType", json_str_len(&value.data_type)));
            json_member_len(name, json_object_len(members))
        },
    ));
    json_object_len([
        json_member_len("messageId", json_str_len(m.message_id())),
        json_member_len("receiptHandle", json_str_len(m.receipt_handle())),
        json_member_len("body", json_str_len(m.body())),
        json_member_len("attributes", attributes),
        json_member_len("messageAttributes", message_attributes),
        json_member_len("md5OfBody", json_str_len(m.md5_of_body())),
        json_member_len("eventSource", json_str_len("aws:sqs")),
        json_member_len("eventSourceARN", json_str_len(event_source_arn)),
        json_member_len("awsRegion", json_str_len(region)),
    ])
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;
    use aws_lite_queue::Sqs;
    use aws_lite_queue::types::MessageAttributeValue;

    #[tokio::test(start_paused = true)]
    async fn record_len_is_the_records_json_length() {
        let sqs = Sqs::new();
        let q = sqs
            .create_queue()
            .queue_name("sizes")
            .send()
            .await
            .unwrap()
            .queue();
        let bodies = [
            "plain",
            "quote \" backslash \\ slash /",
            "controls \t \n \r \u{7f}",
            "unicode é 漢字 🦀",
            "{\"json\": [1, \"two\"]}",
        ];
        for (i, body) in bodies.iter().enumerate() {
            let mut send = q.send_message().message_body(*body);
            for n in 0..i {
                let bytes: Vec<u8> = (0..n as u8 * 2 + 1).collect();
                send = send
                    .message_attributes(format!("b{n}"), MessageAttributeValue::binary(bytes))
                    .message_attributes(
                        format!("s{n}"),
                        MessageAttributeValue::string(format!("v\"\n{n}")),
                    );
            }
            send.send().await.unwrap();
        }
        let arn = q.arn().to_owned();
        let mut seen = 0;
        while seen < bodies.len() {
            let got = q
                .receive_message()
                .max_number_of_messages(10)
                .message_system_attribute_names("All")
                .message_attribute_names("All")
                .send()
                .await
                .unwrap()
                .into_messages();
            for m in &got {
                let exact = crate::operation::invoke::json_len(&sqs_record(&arn, m));
                assert_eq!(record_len(&arn, m), exact, "{:?}", m.body());
            }
            seen += got.len();
        }
        // The control characters SQS refuses in bodies, directly.
        for text in ["a\"\\\u{0}\n", "\u{1}\u{8}\u{b}\u{c}\u{1f}\u{7f}é"] {
            assert_eq!(
                json_str_len(text),
                serde_json::to_string(text).unwrap().len()
            );
        }
        let batch: Vec<Value> = Vec::new();
        assert_eq!(
            json!({ "Records": batch }).to_string().len(),
            EMPTY_EVENT_LEN
        );
    }

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
    fn ramp_starts_at_five_and_adds_300_a_minute() {
        let t0 = Instant::from_secs(100);
        let mut r = Ramp::default();
        assert_eq!(r.allowed(t0, 1_250), 5);
        assert_eq!(r.next_step(t0), None, "no backlog, no ramp");
        r.messages(t0);
        assert_eq!(r.allowed(t0, 1_250), 5);
        assert_eq!(r.allowed(t0 + Duration::from_millis(199), 1_250), 5);
        assert_eq!(r.allowed(t0 + Duration::from_millis(200), 1_250), 6);
        assert_eq!(r.allowed(t0 + Duration::from_secs(60), 1_250), 305);
        assert_eq!(r.allowed(t0 + Duration::from_secs(120), 1_250), 605);
        assert_eq!(r.allowed(t0 + Duration::from_secs(3_600), 1_250), 1_250);
        assert_eq!(r.allowed(t0 + Duration::from_secs(60), 50), 50);
        assert_eq!(r.allowed(t0, 2), 2);
        assert_eq!(
            r.next_step(t0 + Duration::from_millis(450)),
            Some(t0 + Duration::from_millis(600))
        );
        // A later receive does not restart the backlog.
        r.messages(t0 + Duration::from_secs(30));
        assert_eq!(r.allowed(t0 + Duration::from_secs(60), 1_250), 305);
        r.drained();
        assert_eq!(r.allowed(t0 + Duration::from_secs(60), 1_250), 5);
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
