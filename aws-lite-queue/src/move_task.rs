//! Message move tasks (StartMessageMoveTask / CancelMessageMoveTask / ListMessageMoveTasks): the
//! per-service registry and the background mover.
//!
//! # Semantics
//!
//! - A task moves the messages of a dead-letter queue (the *source*) either to one destination
//!   queue or, without `DestinationArn`, each back to the queue it was dead-lettered from (its
//!   `DeadLetterQueueSourceArn`).
//! - Messages go oldest first, in the order a receive would hand them out (so FIFO groups keep
//!   their order). Only visible messages move: in-flight and delayed ones stay. The task
//!   completes as soon as the source has no visible message left, so messages that arrive while
//!   it runs are moved too.
//! - A moved message is a new message in the destination, as the SQS developer guide says of
//!   redrive ("all redriven messages are considered new messages with a new messageID and
//!   enqueueTime"): new `MessageId`, new `SentTimestamp`, receive count 0, retention counted from
//!   the move, no `DeadLetterQueueSourceArn`, the destination's `DelaySeconds`. Body, message
//!   attributes, `AWSTraceHeader`, `SenderId` and the FIFO group and deduplication ids are kept;
//!   the destination's deduplication window does not drop a moved message.
//! - The rate is `MaxNumberOfMessagesPerSecond` (1–500); without it aws-lite moves at the
//!   largest allowed rate, [`Limits::max_move_task_rate`](crate::limits::Limits) (500 messages
//!   per second), where AWS "optimizes the rate based on the backlog". Message *k* (from 0) of a
//!   task moves no earlier than `k / rate` seconds after the start, on the service's clock: with
//!   paused time 100 messages at 10 per second take 9.9 seconds of virtual time and no real time.
//! - Status: `RUNNING`, then `COMPLETED`; `CANCELLED` after CancelMessageMoveTask (cancellation
//!   takes effect at once, between two moves, so `CANCELLING` is never observed); `FAILED` with a
//!   `FailureReason` when the source or a destination queue disappears
//!   (`AWS.SimpleQueueService.NonExistentQueue`, as AWS reports it) or, without a destination, a
//!   message carries no `DeadLetterQueueSourceArn` (`CouldNotDetermineMessageSource`). The message
//!   that could not be moved stays in the source (its receive count went up by one).
//! - One active task per source queue. ListMessageMoveTasks keeps the ten most recent tasks of
//!   each source.
//!
//! # Runtime
//!
//! The mover runs as a tokio task (`tokio::spawn`), so StartMessageMoveTask must be called from
//! within a tokio runtime (outside one it answers `UnsupportedOperation`). The task holds only a
//! `Weak` reference to the service: it stops when the last [`Sqs`](crate::Sqs) handle is
//! dropped, and dropping the service aborts it.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::Duration;

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, Error, Instant, SharedClock};
use base64::Engine as _;
use tokio::sync::Notify;
use tokio::task::AbortHandle;

use crate::engine::message::MessageData;
use crate::engine::{NoFaults, ReceiveParams};
use crate::error;
use crate::operation::list_message_move_tasks::{
    ListMessageMoveTasksResultEntry, MessageMoveTaskStatus,
};
use crate::queue::QueueShared;
use crate::service::SqsInner;

/// Finished tasks kept per source queue (ListMessageMoveTasks returns at most 10).
const HISTORY: usize = 10;
/// Messages moved in one step at most (one receive batch).
const MAX_STEP: u64 = 10;
/// How long the mover hides the messages it is moving in the source queue. They are deleted
/// or made visible again within the same step; this only bounds a step that never finishes.
const MOVE_VISIBILITY: Duration = Duration::from_secs(3600);

/// `FailureReason` when a queue of the task no longer exists.
pub(crate) const FAILURE_NON_EXISTENT_QUEUE: &str = "AWS.SimpleQueueService.NonExistentQueue";
/// `FailureReason` when a message has no original source to go back to.
pub(crate) const FAILURE_NO_SOURCE: &str = "CouldNotDetermineMessageSource";

/// The message move tasks of one service.
#[derive(Debug, Default)]
pub(crate) struct MoveTasks {
    /// Tasks per source ARN, oldest first; only the newest may be running.
    by_source: HashMap<String, VecDeque<Arc<TaskRecord>>>,
    /// The running movers, aborted when the service is dropped.
    movers: Vec<AbortHandle>,
}

impl Drop for MoveTasks {
    fn drop(&mut self) {
        for mover in self.movers.drain(..) {
            mover.abort();
        }
    }
}

/// What changes while a task runs, behind the task's lock.
#[derive(Debug)]
struct Progress {
    status: MessageMoveTaskStatus,
    moved: u64,
    failure_reason: Option<String>,
}

/// One task, shared by the registry and its mover.
pub(crate) struct TaskRecord {
    id: String,
    handle: String,
    source_arn: String,
    destination_arn: Option<String>,
    /// `MaxNumberOfMessagesPerSecond` as requested.
    requested_rate: Option<u32>,
    /// The rate the mover keeps.
    rate: u32,
    to_move: u64,
    started_at: Instant,
    started_ms: u64,
    progress: Mutex<Progress>,
    /// Wakes a sleeping mover when the task is cancelled.
    cancel: Notify,
}

impl fmt::Debug for TaskRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskRecord")
            .field("id", &self.id)
            .field("source_arn", &self.source_arn)
            .field("destination_arn", &self.destination_arn)
            .finish_non_exhaustive()
    }
}

impl TaskRecord {
    fn entry(&self) -> ListMessageMoveTasksResultEntry {
        let p = self.progress.lock();
        ListMessageMoveTasksResultEntry {
            approximate_number_of_messages_moved: to_i64(p.moved),
            approximate_number_of_messages_to_move: Some(to_i64(self.to_move)),
            destination_arn: self.destination_arn.clone(),
            failure_reason: p.failure_reason.clone(),
            max_number_of_messages_per_second: self.requested_rate.map(|r| r as i32),
            source_arn: self.source_arn.clone(),
            started_timestamp: to_i64(self.started_ms),
            status: p.status,
            task_handle: (p.status == MessageMoveTaskStatus::Running).then(|| self.handle.clone()),
        }
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A validated StartMessageMoveTask request.
#[derive(Debug)]
pub(crate) struct StartRequest {
    pub(crate) source: Arc<QueueShared>,
    pub(crate) destination_arn: Option<String>,
    pub(crate) requested_rate: Option<u32>,
}

/// The task handle AWS hands out: base64 of `{"taskId":"<uuid>","sourceArn":"<arn>"}`.
fn encode_handle(task_id: &str, source_arn: &str) -> String {
    let doc = serde_json::json!({ "taskId": task_id, "sourceArn": source_arn });
    base64::engine::general_purpose::STANDARD.encode(doc.to_string())
}

/// `(task id, source ARN)` of a task handle, or `None` if it is not one.
pub(crate) fn decode_handle(handle: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(handle.trim())
        .ok()?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let id = doc.get("taskId")?.as_str()?.to_string();
    let arn = doc.get("sourceArn")?.as_str()?.to_string();
    Some((id, arn))
}

/// Registers a task and spawns its mover; returns the task handle.
pub(crate) fn start(svc: &Arc<SqsInner>, request: StartRequest) -> Result<String, Error> {
    if tokio::runtime::Handle::try_current().is_err() {
        return Err(error::unsupported_operation(
            "StartMessageMoveTask runs the move on a tokio task: call it from within a tokio runtime.",
        ));
    }
    let now = svc.clock.now();
    let to_move = {
        let mut state = request.source.state.lock();
        state.tick(now);
        state.core.counts().visible as u64
    };
    let source_arn = request.source.arn.clone();
    let mut tasks = svc.move_tasks.lock();
    let history = tasks.by_source.entry(source_arn.clone()).or_default();
    let active = history.iter().any(|t| {
        matches!(
            t.progress.lock().status,
            MessageMoveTaskStatus::Running | MessageMoveTaskStatus::Cancelling
        )
    });
    if active {
        return Err(error::invalid_parameter_value(
            "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
        ));
    }
    let id = svc.rand.uuid().to_string();
    let handle = encode_handle(&id, &source_arn);
    let rate = request
        .requested_rate
        .unwrap_or(svc.limits.max_move_task_rate)
        .max(1);
    let record = Arc::new(TaskRecord {
        id,
        handle: handle.clone(),
        source_arn,
        destination_arn: request.destination_arn,
        requested_rate: request.requested_rate,
        rate,
        to_move,
        started_at: now,
        started_ms: svc.epoch_ms(now),
        progress: Mutex::new(Progress {
            status: MessageMoveTaskStatus::Running,
            moved: 0,
            failure_reason: None,
        }),
        cancel: Notify::new(),
    });
    history.push_back(record.clone());
    while history.len() > HISTORY {
        history.pop_front();
    }
    tracing::debug!(
        source = %record.source_arn,
        destination = ?record.destination_arn,
        rate,
        to_move,
        "message move task started"
    );
    let mover = tokio::spawn(run(Arc::downgrade(svc), svc.clock.clone(), record));
    tasks.movers.retain(|m| !m.is_finished());
    tasks.movers.push(mover.abort_handle());
    Ok(handle)
}

/// Cancels the task `handle` names; returns the messages moved so far.
pub(crate) fn cancel(svc: &SqsInner, handle: &str) -> Result<u64, Error> {
    let (id, source_arn) = decode_handle(handle).ok_or_else(|| {
        error::invalid_parameter_value("Value for parameter TaskHandle is invalid.")
    })?;
    if svc.lookup_arn(&source_arn).is_none() {
        return Err(error::move_task_not_found(
            "The resource that you specified for the SourceArn parameter doesn't exist.",
        ));
    }
    let record = {
        let tasks = svc.move_tasks.lock();
        tasks
            .by_source
            .get(&source_arn)
            .and_then(|h| h.iter().find(|t| t.id == id).cloned())
    }
    .ok_or_else(|| error::move_task_not_found("Task does not exist."))?;
    let moved = {
        let mut p = record.progress.lock();
        if p.status != MessageMoveTaskStatus::Running {
            return Err(error::move_task_not_running(p.status.as_str()));
        }
        p.status = MessageMoveTaskStatus::Cancelled;
        p.moved
    };
    record.cancel.notify_one();
    tracing::debug!(source = %record.source_arn, moved, "message move task cancelled");
    Ok(moved)
}

/// The most recent `max` tasks of `source_arn`, newest first.
pub(crate) fn list(
    svc: &SqsInner,
    source_arn: &str,
    max: usize,
) -> Vec<ListMessageMoveTasksResultEntry> {
    let records: Vec<Arc<TaskRecord>> = {
        let tasks = svc.move_tasks.lock();
        tasks
            .by_source
            .get(source_arn)
            .map(|h| h.iter().rev().take(max).cloned().collect())
            .unwrap_or_default()
    };
    records.iter().map(|r| r.entry()).collect()
}

/// The time message `index` (from 0) of a task at `rate` per second may move.
fn slot(start: Instant, index: u64, rate: u32) -> Instant {
    let nanos = (u128::from(index) * 1_000_000_000).div_ceil(u128::from(rate.max(1)));
    start.saturating_add(Duration::from_nanos(
        u64::try_from(nanos).unwrap_or(u64::MAX),
    ))
}

/// How many messages a task at `rate` may have moved by `now`.
fn allowed(start: Instant, now: Instant, rate: u32) -> u64 {
    let elapsed = now.saturating_duration_since(start).as_nanos();
    let n = elapsed * u128::from(rate) / 1_000_000_000 + 1;
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The mover: moves messages at the task's rate until the source is empty, the task is
/// cancelled or fails, or the service is gone.
async fn run(svc: Weak<SqsInner>, clock: SharedClock, task: Arc<TaskRecord>) {
    // Wake up for this many messages at a time (1 at 10/s, 10 at 500/s).
    let chunk = u64::from(task.rate / 50).clamp(1, MAX_STEP);
    // Visible messages left in the source after the last step.
    let mut left = u64::MAX;
    loop {
        let next = {
            let Some(svc) = svc.upgrade() else {
                return;
            };
            let mut progress = task.progress.lock();
            if progress.status != MessageMoveTaskStatus::Running {
                return;
            }
            let now = svc.clock.now();
            let budget = allowed(task.started_at, now, task.rate)
                .saturating_sub(progress.moved)
                .min(MAX_STEP);
            if budget > 0 {
                let outcome = step(&svc, &task, budget as usize);
                progress.moved += outcome.moved;
                left = outcome.left;
                match outcome.end {
                    StepEnd::More => {}
                    StepEnd::Empty => {
                        progress.status = MessageMoveTaskStatus::Completed;
                        tracing::debug!(source = %task.source_arn, moved = progress.moved, "message move task completed");
                        return;
                    }
                    StepEnd::Failed(reason) => {
                        tracing::debug!(source = %task.source_arn, moved = progress.moved, %reason, "message move task failed");
                        progress.status = MessageMoveTaskStatus::Failed;
                        progress.failure_reason = Some(reason.to_string());
                        return;
                    }
                }
            }
            // Wake when the next chunk may move (or the last messages, if fewer are left).
            slot(
                task.started_at,
                progress.moved + chunk.min(left).max(1) - 1,
                task.rate,
            )
        };
        if next <= clock.now() {
            tokio::task::yield_now().await;
            continue;
        }
        tokio::select! {
            _ = clock.sleep_until(next) => {}
            _ = task.cancel.notified() => {}
        }
    }
}

/// How a step ended.
#[derive(Debug)]
enum StepEnd {
    /// Visible messages remain.
    More,
    /// The source has no visible message left.
    Empty,
    /// The task cannot go on.
    Failed(&'static str),
}

#[derive(Debug)]
struct StepOutcome {
    moved: u64,
    /// Visible messages left in the source.
    left: u64,
    end: StepEnd,
}

fn live(svc: &SqsInner, arn: &str) -> Option<Arc<QueueShared>> {
    svc.lookup_arn(arn).filter(|q| q.check_live().is_ok())
}

/// Moves up to `budget` messages. Called with the task's lock held (so a cancel waits for a
/// step to finish); takes queue locks one at a time and never awaits.
fn step(svc: &SqsInner, task: &TaskRecord, budget: usize) -> StepOutcome {
    let failed = |moved, reason| StepOutcome {
        moved,
        left: 0,
        end: StepEnd::Failed(reason),
    };
    let Some(source) = live(svc, &task.source_arn) else {
        return failed(0, FAILURE_NON_EXISTENT_QUEUE);
    };
    let fixed = match &task.destination_arn {
        Some(arn) => match live(svc, arn) {
            Some(q) => Some(q),
            None => return failed(0, FAILURE_NON_EXISTENT_QUEUE),
        },
        None => None,
    };
    let now = svc.clock.now();
    // Take the oldest visible messages, as a receive would hand them out.
    let taken = {
        let mut state = source.state.lock();
        state.tick(now);
        let params = ReceiveParams {
            max_messages: budget,
            visibility: MOVE_VISIBILITY,
            max_receive_count: None,
            in_flight_limit: None,
            now_ms: svc.epoch_ms(now),
        };
        match state.core.receive(now, params, &mut NoFaults) {
            Ok(outcome) => outcome.messages,
            Err(_) => Vec::new(),
        }
    };
    if taken.is_empty() {
        return StepOutcome {
            moved: 0,
            left: 0,
            end: StepEnd::Empty,
        };
    }
    // Where each message goes; the first one without a destination stops the task.
    let mut routes = Vec::with_capacity(taken.len());
    let mut failure = None;
    for r in &taken {
        let dest = match &fixed {
            Some(q) => Ok(q.clone()),
            None => match &r.data.dead_letter_source_arn {
                Some(arn) => live(svc, arn).ok_or(FAILURE_NON_EXISTENT_QUEUE),
                None => Err(FAILURE_NO_SOURCE),
            },
        };
        match dest {
            Ok(q) => routes.push(q),
            Err(reason) => {
                failure = Some(reason);
                break;
            }
        }
    }
    let movable = routes.len();
    let remaining = {
        let mut state = source.state.lock();
        for (i, r) in taken.iter().enumerate() {
            if i < movable {
                // Cannot fail: the message is in flight under this very receipt.
                let _ = state.core.delete(now, r.receipt, "");
            } else {
                let _ = state.core.change_visibility(
                    now,
                    r.receipt,
                    "",
                    Duration::ZERO,
                    MOVE_VISIBILITY,
                );
            }
        }
        state.core.counts().visible
    };
    if movable < taken.len() {
        source.wake_receivers();
    }
    let now_ms = svc.epoch_ms(now);
    for (r, dest) in taken.iter().zip(&routes) {
        let d = &r.data;
        let data = Arc::new(MessageData::new(
            svc.rand.uuid(),
            d.body.clone(),
            d.attributes.clone(),
            d.trace_header.clone(),
            now_ms,
            d.sender_id.clone(),
            d.group_id.clone(),
            d.dedup_id.clone(),
        ));
        {
            let mut state = dest.state.lock();
            state.tick(now);
            let delay = Duration::from_secs(u64::from(state.config.delay_seconds));
            state.core.enqueue(now, data, delay, now, 0);
        }
        dest.counters.sent.fetch_add(1, Ordering::Relaxed);
        dest.wake_receivers();
    }
    let moved = movable as u64;
    let end = match failure {
        Some(reason) => StepEnd::Failed(reason),
        None if remaining == 0 => StepEnd::Empty,
        None => StepEnd::More,
    };
    StepOutcome {
        moved,
        left: remaining as u64,
        end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_round_trip() {
        let h = encode_handle(
            "10f57157-fc38-4da9-a113-4de7e12d05dd",
            "arn:aws:sqs:us-east-1:000000000000:dlq",
        );
        assert_eq!(
            decode_handle(&h),
            Some((
                "10f57157-fc38-4da9-a113-4de7e12d05dd".to_string(),
                "arn:aws:sqs:us-east-1:000000000000:dlq".to_string()
            ))
        );
        assert_eq!(decode_handle("foobared"), None);
    }

    #[test]
    fn pacing() {
        let t0 = Instant::from_secs(100);
        assert_eq!(allowed(t0, t0, 10), 1);
        assert_eq!(allowed(t0, t0 + Duration::from_millis(99), 10), 1);
        assert_eq!(allowed(t0, t0 + Duration::from_millis(100), 10), 2);
        assert_eq!(slot(t0, 99, 10), t0 + Duration::from_millis(9_900));
        assert_eq!(slot(t0, 1, 3), t0 + Duration::from_nanos(333_333_334));
        assert_eq!(allowed(t0, slot(t0, 1, 3), 3), 2);
    }
}
