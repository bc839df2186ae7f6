//! Model-based property test of a FIFO queue: random sends (with explicit, content-based and
//! duplicate deduplication ids), receives, deletes, visibility changes and clock advances drive the
//! real queue (through its public API, on a `ManualClock`) side by side with a small reference
//! model of every message's state and of the message groups, checked after each step.
//!
//! Which groups a FIFO receive serves first is the queue's choice, so the model cannot predict a
//! receive's answer exactly, only what it may be: within a group, messages come out in order and
//! only while no message of the group is in flight; a group is served as far as it can be (its
//! visible messages in order, those due for the dead-letter queue moved there instead) before the
//! next one; only the last group served may be cut short by `MaxNumberOfMessages`. The model
//! therefore lives next to the queue in the system under test: each answer is checked against
//! what the model allows and then applied to it. The [`ReferenceStateMachine`] only draws the
//! queue's configuration and the steps.
//!
//! Every message is, at every moment, exactly one of: delayed, visible, in flight, deleted,
//! expired (retention), or in the dead-letter queue. After each step the queue's metrics (and
//! the dead-letter queue's) must equal the counts and counters the model derives.

mod model_support;

use std::collections::HashMap;
use std::time::Duration;

use aws_lite_core::time::ManualClock;
use aws_lite_core::{Error, Instant, Rand, SharedClock};
use aws_lite_queue::{MessageSystemAttributeName as Attr, Queue, Sqs, codes};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence};
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use tokio::runtime::Runtime;

use model_support::{Counters, assert_metrics};

/// Bodies are drawn from this alphabet (repeats on purpose: content-based deduplication).
const BODIES: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
/// Message groups.
const GROUPS: [&str; 3] = ["g0", "g1", "g2"];
/// Explicit deduplication ids.
const DEDUP_IDS: [&str; 3] = ["d0", "d1", "d2"];
/// The deduplication window.
const DEDUP_WINDOW: u64 = 300;
/// At most this many steps per case.
const MAX_STEPS: usize = 40;
/// The longest a single step moves the clock (deadlines further away are not jumped to).
const MAX_JUMP: u64 = 600;
/// Dead-lettered messages are received from the DLQ with this timeout, longer than any run, and
/// deleted there.
const DLQ_HOLD: i32 = 43_200;
const _: () = assert!((MAX_STEPS as u64) * MAX_JUMP < DLQ_HOLD as u64);

prop_state_machine! {
    #![proptest_config(Config {
        cases: 1024,
        // Integration tests have no `lib.rs` beside them, so name the file outright (relative to
        // the package root, where cargo runs tests).
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/model_fifo.txt",
        ))),
        .. Config::default()
    })]

    #[test]
    fn fifo_queue_matches_model(sequential 1..=MAX_STEPS => FifoQueue);
}

// ---------------------------------------------------------------------------------------------
// Generation: the queue's configuration and the steps.
// ---------------------------------------------------------------------------------------------

/// How the queue under test is created.
#[derive(Clone, Debug)]
struct Setup {
    /// `VisibilityTimeout`.
    visibility_timeout: u64,
    /// `DelaySeconds` (queue level; FIFO queues have no per-message delay).
    delay_seconds: u64,
    /// `MessageRetentionPeriod` (`None`: the 4-day default, never reached).
    retention: Option<u64>,
    /// `maxReceiveCount` of the `RedrivePolicy` (`None`: no dead-letter queue).
    max_receive_count: Option<u32>,
    /// `ContentBasedDeduplication`.
    content_based: bool,
    /// `DeduplicationScope=messageGroup` (else `queue`).
    group_scope: bool,
    /// Seed of the service's ids.
    seed: u64,
}

#[derive(Clone, Debug)]
enum Step {
    /// SendMessage of `BODIES[body]` to `GROUPS[group]`, with `DEDUP_IDS[dedup]` or no
    /// deduplication id, and optionally a per-message `DelaySeconds` (only 0 is accepted).
    Send {
        group: usize,
        body: usize,
        dedup: Option<usize>,
        delay: Option<i32>,
    },
    /// ReceiveMessage (`WaitTimeSeconds=0`), optionally overriding the visibility timeout.
    Receive { max: i32, visibility: Option<i32> },
    /// DeleteMessage with a handle from an earlier receive (current, stale or expired).
    Delete { handle: Index },
    /// ChangeMessageVisibility with a handle from an earlier receive (current or stale).
    ChangeVisibility { handle: Index, timeout: i32 },
    /// DeleteMessage (or ChangeMessageVisibility) with a handle minted by the dead-letter queue,
    /// or a malformed one.
    ForeignHandle { change: bool },
    /// Moves the clock.
    Advance { secs: u64 },
    /// Moves the clock to the model's next deadline (a delay or visibility timeout ending, a
    /// message expiring, a deduplication id leaving the window), or to one second before it.
    AdvanceToDeadline { early: bool },
}

struct Reference;

/// A receive's `VisibilityTimeout`: mostly the queue's, often 0 (visible again at once).
fn visibility_override() -> impl Strategy<Value = Option<i32>> {
    prop_oneof![2 => Just(None), 1 => Just(Some(0)), 2 => (1i32..=60).prop_map(Some)]
}

impl ReferenceStateMachine for Reference {
    type State = Setup;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Setup> {
        (
            prop_oneof![Just(0u64), Just(5), Just(30)],
            prop_oneof![3 => Just(0u64), 1 => Just(10)],
            prop_oneof![Just(None), (60u64..=300).prop_map(Some)],
            prop_oneof![1 => Just(None), 2 => (1u32..=3).prop_map(Some)],
            any::<bool>(),
            any::<bool>(),
            any::<u64>(),
        )
            .prop_map(
                |(
                    visibility_timeout,
                    delay_seconds,
                    retention,
                    max_receive_count,
                    content_based,
                    group_scope,
                    seed,
                )| Setup {
                    visibility_timeout,
                    delay_seconds,
                    retention,
                    max_receive_count,
                    content_based,
                    group_scope,
                    seed,
                },
            )
            .boxed()
    }

    fn transitions(_: &Setup) -> BoxedStrategy<Step> {
        prop_oneof![
            5 => (
                0..GROUPS.len(),
                0..BODIES.len(),
                prop_oneof![Just(None), (0..DEDUP_IDS.len()).prop_map(Some)],
                prop_oneof![8 => Just(None), 1 => Just(Some(0)), 1 => (1i32..=60).prop_map(Some)],
            )
                .prop_map(|(group, body, dedup, delay)| Step::Send { group, body, dedup, delay }),
            3 => (1i32..=10, visibility_override())
                .prop_map(|(max, visibility)| Step::Receive { max, visibility }),
            3 => any::<Index>().prop_map(|handle| Step::Delete { handle }),
            2 => (any::<Index>(), prop_oneof![1 => Just(0i32), 3 => 1i32..=60])
                .prop_map(|(handle, timeout)| Step::ChangeVisibility { handle, timeout }),
            1 => any::<bool>().prop_map(|change| Step::ForeignHandle { change }),
            2 => (0u64..=90).prop_map(|secs| Step::Advance { secs }),
            1 => any::<bool>().prop_map(|early| Step::AdvanceToDeadline { early }),
        ]
        .boxed()
    }

    fn apply(setup: Setup, _: &Step) -> Setup {
        // The configuration never changes; the model of the messages is advanced by what the
        // queue answers (see the module docs).
        setup
    }
}

// ---------------------------------------------------------------------------------------------
// The reference model.
// ---------------------------------------------------------------------------------------------

/// Where a message is, as the model says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Delayed,
    Visible,
    InFlight,
    Deleted,
    Expired,
    /// Moved to the dead-letter queue (and deleted there by the test).
    DeadLettered,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    /// Stored in the source queue.
    Queued,
    Deleted,
    Expired,
    DeadLettered,
}

/// A deduplication id: explicit (`DEDUP_IDS[i]`) or the SHA-256 of `BODIES[i]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum DedupId {
    Explicit(usize),
    Content(usize),
}

#[derive(Debug)]
struct Msg {
    id: String,
    body: &'static str,
    group: usize,
    dedup: DedupId,
    sequence: u128,
    sent_at: u64,
    /// Delayed (never received) or in flight (received) until then.
    visible_at: u64,
    receives: u32,
    first_receive: Option<u64>,
    fate: Fate,
}

#[derive(Debug)]
struct Model {
    setup: Setup,
    /// Seconds since the clock's origin.
    now: u64,
    /// Every message accepted (duplicates excluded), in send order.
    msgs: Vec<Msg>,
    by_id: HashMap<String, usize>,
    /// The first send of each deduplication key (`(group if scoped, id)`): when, and which
    /// message.
    dedup: HashMap<(Option<usize>, DedupId), (u64, usize)>,
    /// Every handle a receive returned: `(text, message, receive number it came from)`.
    handles: Vec<(String, usize, u32)>,
    /// A handle the dead-letter queue minted.
    dlq_handle: Option<String>,
    counters: Counters,
    dlq_counters: Counters,
}

impl Model {
    fn retention(&self) -> u64 {
        self.setup.retention.unwrap_or(345_600)
    }

    fn status(&self, m: &Msg) -> Status {
        match m.fate {
            Fate::Queued if self.now < m.visible_at && m.receives == 0 => Status::Delayed,
            Fate::Queued if self.now < m.visible_at => Status::InFlight,
            Fate::Queued => Status::Visible,
            Fate::Deleted => Status::Deleted,
            Fate::Expired => Status::Expired,
            Fate::DeadLettered => Status::DeadLettered,
        }
    }

    fn due(&self, i: usize) -> bool {
        self.setup
            .max_receive_count
            .is_some_and(|max| self.msgs[i].receives >= max)
    }

    fn count(&self, status: Status) -> u64 {
        self.msgs
            .iter()
            .filter(|m| self.status(m) == status)
            .count() as u64
    }

    /// The messages of group `g` still in the queue, in order.
    fn group(&self, g: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.msgs.len())
            .filter(move |&i| self.msgs[i].group == g && self.msgs[i].fate == Fate::Queued)
    }

    /// The messages a receive may take from group `g`, in order: none while a message of the
    /// group is in flight, else its leading visible messages.
    fn deliverable(&self, g: usize) -> Vec<usize> {
        if self
            .group(g)
            .any(|i| self.status(&self.msgs[i]) == Status::InFlight)
        {
            return Vec::new();
        }
        self.group(g)
            .take_while(|&i| self.status(&self.msgs[i]) == Status::Visible)
            .collect()
    }

    /// Retention: a message is gone once `sent_at + retention` has passed, whatever its state.
    fn expire(&mut self) {
        let horizon = self.retention();
        for m in &mut self.msgs {
            if m.fate == Fate::Queued && self.now >= m.sent_at + horizon {
                m.fate = Fate::Expired;
            }
        }
    }

    /// The earliest moment after `now` (and at most `MAX_JUMP` later) at which some message
    /// changes state or a deduplication id leaves the window.
    fn next_deadline(&self) -> Option<u64> {
        let retention = self.retention();
        let messages = self
            .msgs
            .iter()
            .filter(|m| m.fate == Fate::Queued)
            .flat_map(|m| [m.visible_at, m.sent_at + retention]);
        let windows = self.dedup.values().map(|(at, _)| at + DEDUP_WINDOW);
        messages
            .chain(windows)
            .filter(|&t| t > self.now && t - self.now <= MAX_JUMP)
            .min()
    }

    /// `ApproximateAgeOfOldestMessage` of the source queue.
    fn age_of_oldest(&self) -> Duration {
        let oldest = self
            .msgs
            .iter()
            .filter(|m| m.fate == Fate::Queued)
            .map(|m| m.sent_at)
            .min();
        Duration::from_secs(oldest.map_or(0, |t| self.now - t))
    }
}

// ---------------------------------------------------------------------------------------------
// The system under test: the real queue, its dead-letter queue, the clock, and the model.
// ---------------------------------------------------------------------------------------------

struct FifoQueue {
    rt: Runtime,
    clock: ManualClock,
    sqs: Sqs,
    queue: Queue,
    dlq: Option<Queue>,
    model: Model,
}

impl std::fmt::Debug for FifoQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FifoQueue")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl FifoQueue {
    fn epoch_ms(&self, secs: u64) -> u64 {
        self.sqs.clock().epoch_millis(Instant::from_secs(secs))
    }

    fn send(&mut self, group: usize, body: usize, dedup: Option<usize>, delay: Option<i32>) {
        let mut req = self
            .queue
            .send_message()
            .message_body(BODIES[body])
            .message_group_id(GROUPS[group]);
        if let Some(d) = dedup {
            req = req.message_deduplication_id(DEDUP_IDS[d]);
        }
        if let Some(d) = delay {
            req = req.delay_seconds(d);
        }
        let result = self.rt.block_on(req.send());

        if delay.is_some_and(|d| d != 0) {
            let err: Error = result.expect_err("a per-message delay on a FIFO queue must fail");
            assert_eq!(err.code(), codes::INVALID_PARAMETER_VALUE, "{err}");
            return;
        }
        if dedup.is_none() && !self.model.setup.content_based {
            let err: Error =
                result.expect_err("a FIFO send without deduplication id must fail without CBD");
            assert_eq!(err.code(), codes::INVALID_PARAMETER_VALUE, "{err}");
            assert_eq!(
                err.message(),
                "The queue should either have ContentBasedDeduplication enabled or \
                 MessageDeduplicationId provided explicitly"
            );
            return;
        }
        let out = result.expect("SendMessage");
        let now = self.model.now;
        let id = dedup.map_or(DedupId::Content(body), DedupId::Explicit);
        let key = (self.model.setup.group_scope.then_some(group), id);
        if let Some(&(first_at, first)) = self.model.dedup.get(&key) {
            if now < first_at + DEDUP_WINDOW {
                // A duplicate: accepted, answered with the first message's id and sequence
                // number, not enqueued again, not counted in NumberOfMessagesSent (metrics.rs).
                let m = &self.model.msgs[first];
                assert_eq!(out.message_id(), m.id, "duplicate of message #{first}");
                assert_eq!(
                    out.sequence_number(),
                    Some(m.sequence.to_string()),
                    "SequenceNumber of a duplicate of message #{first}"
                );
                return;
            }
        }
        let message_id = out.message_id().to_string();
        assert!(
            !self.model.by_id.contains_key(&message_id),
            "SendMessage returned the id {message_id} of an earlier message"
        );
        let sequence: u128 = out
            .sequence_number()
            .expect("a FIFO send has a sequence number")
            .parse()
            .expect("SequenceNumber is a decimal number");
        if let Some(last) = self.model.group(group).last() {
            assert!(
                sequence > self.model.msgs[last].sequence,
                "SequenceNumber {sequence} not above that of message #{last} of the same group"
            );
        }
        let idx = self.model.msgs.len();
        self.model.by_id.insert(message_id.clone(), idx);
        self.model.dedup.insert(key, (now, idx));
        self.model.msgs.push(Msg {
            id: message_id,
            body: BODIES[body],
            group,
            dedup: id,
            sequence,
            sent_at: now,
            // The queue's delay applies (send_message.rs: FIFO queues have no per-message delay).
            visible_at: now + self.model.setup.delay_seconds,
            receives: 0,
            first_receive: None,
            fate: Fate::Queued,
        });
        // NumberOfMessagesSent does not count duplicates (metrics.rs).
        self.model.counters.sent += 1;
    }

    fn receive(&mut self, max: i32, visibility: Option<i32>) {
        let deliverable: Vec<Vec<usize>> = (0..GROUPS.len())
            .map(|g| self.model.deliverable(g))
            .collect();
        let blocked: Vec<bool> = (0..GROUPS.len())
            .map(|g| {
                self.model
                    .group(g)
                    .any(|i| self.model.status(&self.model.msgs[i]) == Status::InFlight)
            })
            .collect();

        let mut req = self
            .queue
            .receive_message()
            .max_number_of_messages(max)
            .wait_time_seconds(0)
            .message_system_attribute_names("All");
        if let Some(v) = visibility {
            req = req.visibility_timeout(v);
        }
        let got = self
            .rt
            .block_on(req.send())
            .expect("ReceiveMessage")
            .into_messages();
        let mut returned: Vec<usize> = Vec::new();
        for m in &got {
            let idx = *self
                .model
                .by_id
                .get(m.message_id())
                .unwrap_or_else(|| panic!("received unknown message {}", m.message_id()));
            assert!(
                !returned.contains(&idx),
                "message #{idx} returned twice by one receive"
            );
            assert_eq!(
                m.body(),
                self.model.msgs[idx].body,
                "body of message #{idx}"
            );
            returned.push(idx);
        }
        let moved = self.drain_dlq();
        self.check_receive(max as usize, &deliverable, &blocked, &returned, &moved);

        // Apply to the model, then check what the receive reported.
        let now = self.model.now;
        let timeout = visibility.map_or(self.model.setup.visibility_timeout, |v| v as u64);
        for (m, &idx) in got.iter().zip(&returned) {
            let msg = &mut self.model.msgs[idx];
            msg.receives += 1;
            msg.visible_at = now + timeout;
            let first = *msg.first_receive.get_or_insert(now);
            let nonce = msg.receives;
            self.model
                .handles
                .push((m.receipt_handle().to_string(), idx, nonce));
            let msg = &self.model.msgs[idx];
            let expect = [
                (Attr::ApproximateReceiveCount, msg.receives.to_string()),
                (Attr::SequenceNumber, msg.sequence.to_string()),
                (Attr::MessageGroupId, GROUPS[msg.group].to_string()),
                (Attr::SentTimestamp, self.epoch_ms(msg.sent_at).to_string()),
                (
                    Attr::ApproximateFirstReceiveTimestamp,
                    self.epoch_ms(first).to_string(),
                ),
            ];
            for (name, value) in expect {
                assert_eq!(
                    m.attribute(name),
                    Some(value.as_str()),
                    "{name} of message #{idx}"
                );
            }
            let dedup_id = m
                .attribute(Attr::MessageDeduplicationId)
                .expect("MessageDeduplicationId");
            match msg.dedup {
                DedupId::Explicit(d) => assert_eq!(dedup_id, DEDUP_IDS[d]),
                DedupId::Content(_) => assert!(
                    dedup_id.len() == 64 && dedup_id.bytes().all(|b| b.is_ascii_hexdigit()),
                    "content-based MessageDeduplicationId {dedup_id} is not a SHA-256 in hex"
                ),
            }
        }
        for &idx in &moved {
            self.model.msgs[idx].fate = Fate::DeadLettered;
        }
        self.model.counters.received += returned.len() as u64;
        if returned.is_empty() {
            self.model.counters.empty_receives += 1;
        }
    }

    /// Checks a receive's answer (`returned`, in order) and its dead-letter moves (`moved`, in
    /// the order the DLQ gave them back) against what the model allowed before it.
    fn check_receive(
        &self,
        max: usize,
        deliverable: &[Vec<usize>],
        blocked: &[bool],
        returned: &[usize],
        moved: &[usize],
    ) {
        let model = &self.model;
        let group_of = |i: usize| model.msgs[i].group;
        // A group's messages come out together.
        let mut served: Vec<usize> = Vec::new();
        for &i in returned {
            let g = group_of(i);
            if served.last() != Some(&g) {
                assert!(
                    !served.contains(&g),
                    "group {g} served twice in one receive: {returned:?}"
                );
                served.push(g);
            }
        }
        let mut cut_short = Vec::new();
        for (g, walk) in deliverable.iter().enumerate() {
            let r: Vec<usize> = returned
                .iter()
                .copied()
                .filter(|&i| group_of(i) == g)
                .collect();
            let mv: Vec<usize> = moved
                .iter()
                .copied()
                .filter(|&i| group_of(i) == g)
                .collect();
            if blocked[g] {
                assert!(
                    r.is_empty() && mv.is_empty(),
                    "group {g} has a message in flight, yet the receive returned {r:?} and \
                     dead-lettered {mv:?}"
                );
                continue;
            }
            // What was taken from the group must be a prefix of its deliverable messages, in
            // order: those due for the DLQ moved there, the others returned.
            let (mut ri, mut mi, mut k) = (0, 0, 0);
            for &i in walk {
                let next = if model.due(i) { mv.get(mi) } else { r.get(ri) };
                if next != Some(&i) {
                    break;
                }
                if model.due(i) {
                    mi += 1;
                } else {
                    ri += 1;
                }
                k += 1;
            }
            assert!(
                ri == r.len() && mi == mv.len(),
                "group {g}: returned {r:?} and dead-lettered {mv:?} are not, in order, a prefix \
                 of its deliverable messages {walk:?} (due for the DLQ: {:?})",
                walk.iter().filter(|&&i| model.due(i)).collect::<Vec<_>>()
            );
            if k < walk.len() {
                // A group not served to the end: the receive must have filled up, and stopped
                // right after returning a message of this group (or never reached it).
                assert_eq!(
                    returned.len(),
                    max,
                    "group {g} still has deliverable messages {:?}, yet the receive returned \
                     only {returned:?} of up to {max}",
                    &walk[k..]
                );
                if k > 0 {
                    assert!(
                        !model.due(walk[k - 1]),
                        "group {g} stopped after a dead-letter move"
                    );
                    cut_short.push(g);
                }
            }
        }
        assert!(
            cut_short.len() <= 1,
            "several groups cut short in one receive: {cut_short:?}"
        );
        if let Some(&g) = cut_short.first() {
            assert_eq!(
                served.last(),
                Some(&g),
                "group {g} was cut short but is not the last group served: {returned:?}"
            );
        }
    }

    /// Receives (and deletes) every message newly moved to the dead-letter queue; returns the
    /// messages in the order received.
    fn drain_dlq(&mut self) -> Vec<usize> {
        let Some(dlq) = self.dlq.clone() else {
            return Vec::new();
        };
        let max = self.model.setup.max_receive_count.unwrap_or(0);
        let mut moved = Vec::new();
        loop {
            let batch = self
                .rt
                .block_on(
                    dlq.receive_message()
                        .max_number_of_messages(10)
                        .visibility_timeout(DLQ_HOLD)
                        .wait_time_seconds(0)
                        .message_system_attribute_names("All")
                        .send(),
                )
                .expect("ReceiveMessage on the DLQ")
                .into_messages();
            if batch.is_empty() {
                self.model.dlq_counters.empty_receives += 1;
                return moved;
            }
            let n = batch.len() as u64;
            self.model.dlq_counters.sent += n;
            self.model.dlq_counters.received += n;
            self.model.dlq_counters.deleted += n;
            for m in &batch {
                let idx = *self
                    .model
                    .by_id
                    .get(m.message_id())
                    .unwrap_or_else(|| panic!("unknown message {} in the DLQ", m.message_id()));
                let msg = &self.model.msgs[idx];
                assert_eq!(
                    msg.fate,
                    Fate::Queued,
                    "message #{idx} appeared in the DLQ again"
                );
                assert!(!moved.contains(&idx), "message #{idx} moved twice");
                assert_eq!(m.body(), msg.body, "body of dead-lettered message #{idx}");
                // The receive count is carried over (module docs of `redrive.rs`), then this
                // receive adds one.
                let expect = [
                    (Attr::ApproximateReceiveCount, (max + 1).to_string()),
                    (Attr::DeadLetterQueueSourceArn, self.queue.arn().to_string()),
                    (Attr::MessageGroupId, GROUPS[msg.group].to_string()),
                    (Attr::SentTimestamp, self.epoch_ms(msg.sent_at).to_string()),
                ];
                for (name, value) in expect {
                    assert_eq!(
                        m.attribute(name),
                        Some(value.as_str()),
                        "{name} of dead-lettered message #{idx}"
                    );
                }
                self.rt
                    .block_on(
                        dlq.delete_message()
                            .receipt_handle(m.receipt_handle())
                            .send(),
                    )
                    .expect("DeleteMessage on the DLQ");
                self.model.dlq_handle = Some(m.receipt_handle().to_string());
                moved.push(idx);
            }
        }
    }

    fn delete(&mut self, handle: Index) {
        if self.model.handles.is_empty() {
            return;
        }
        let (text, idx, nonce) = handle.get(&self.model.handles).clone();
        let result = self
            .rt
            .block_on(self.queue.delete_message().receipt_handle(text).send());
        // FIFO queues: only the latest handle of a message still in flight deletes; any other
        // handle of a stored message has expired; a message already gone is a no-op
        // (delete_message.rs).
        let now = self.model.now;
        let msg = &mut self.model.msgs[idx];
        if msg.fate != Fate::Queued {
            result.unwrap_or_else(|e| panic!("deleting gone message #{idx} must succeed: {e}"));
        } else if msg.receives == nonce && now < msg.visible_at {
            result.unwrap_or_else(|e| panic!("DeleteMessage of message #{idx}: {e}"));
            msg.fate = Fate::Deleted;
            self.model.counters.deleted += 1;
        } else {
            let err: Error = result.expect_err("an expired FIFO receipt handle must be rejected");
            assert_eq!(err.code(), codes::INVALID_PARAMETER_VALUE, "{err}");
            assert!(
                err.message()
                    .ends_with("Reason: The receipt handle has expired."),
                "{err}"
            );
        }
    }

    fn change_visibility(&mut self, handle: Index, timeout: i32) {
        if self.model.handles.is_empty() {
            return;
        }
        let (text, idx, nonce) = handle.get(&self.model.handles).clone();
        let result = self.rt.block_on(
            self.queue
                .change_message_visibility()
                .receipt_handle(text)
                .visibility_timeout(timeout)
                .send(),
        );
        // The latest handle of a stored message works, even after its timeout expired, and
        // hides the message for `timeout` from now (0: visible at once); a message gone or an
        // older handle is rejected (change_message_visibility.rs).
        let now = self.model.now;
        let msg = &mut self.model.msgs[idx];
        if msg.fate == Fate::Queued && msg.receives == nonce {
            result.unwrap_or_else(|e| panic!("ChangeMessageVisibility of message #{idx}: {e}"));
            msg.visible_at = now + timeout as u64;
        } else {
            let err: Error = result.expect_err(
                "ChangeMessageVisibility of a message gone or with an older handle must fail",
            );
            assert_eq!(err.code(), codes::INVALID_PARAMETER_VALUE, "{err}");
            assert!(
                err.message().ends_with(
                    "Reason: Message does not exist or is not available for visibility \
                     timeout change."
                ),
                "{err}"
            );
        }
    }

    fn foreign_handle(&mut self, change: bool) {
        let text = self
            .model
            .dlq_handle
            .clone()
            .unwrap_or_else(|| "AQEBnot-a-receipt-handle".to_string());
        let result = if change {
            self.rt.block_on(async {
                self.queue
                    .change_message_visibility()
                    .receipt_handle(text)
                    .visibility_timeout(0)
                    .send()
                    .await
                    .map(drop)
            })
        } else {
            self.rt
                .block_on(self.queue.delete_message().receipt_handle(text).send())
                .map(drop)
        };
        let err: Error = result.expect_err("a handle of another queue must be rejected");
        assert_eq!(err.code(), codes::RECEIPT_HANDLE_IS_INVALID, "{err}");
    }

    fn advance_to_deadline(&mut self, early: bool) {
        if let Some(t) = self.model.next_deadline() {
            let secs = t - self.model.now - u64::from(early);
            self.advance(secs);
        }
    }

    fn advance(&mut self, secs: u64) {
        self.clock.advance(Duration::from_secs(secs));
        self.model.now += secs;
        self.model.expire();
    }
}

impl StateMachineTest for FifoQueue {
    type SystemUnderTest = Self;
    type Reference = Reference;

    fn init_test(setup: &Setup) -> Self {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let clock = ManualClock::new();
        let sqs = Sqs::builder()
            .clock(SharedClock::new(clock.clone()))
            .rand(Rand::seeded(setup.seed))
            .build();
        let dlq = setup.max_receive_count.map(|_| {
            let req = sqs
                .create_queue()
                .queue_name("dead-letters.fifo")
                .attributes("FifoQueue", "true");
            rt.block_on(req.send()).expect("CreateQueue (DLQ)").queue()
        });
        let mut req = sqs
            .create_queue()
            .queue_name("work.fifo")
            .attributes("FifoQueue", "true")
            .attributes("VisibilityTimeout", setup.visibility_timeout.to_string())
            .attributes("DelaySeconds", setup.delay_seconds.to_string())
            .attributes("ContentBasedDeduplication", setup.content_based.to_string())
            .attributes(
                "DeduplicationScope",
                if setup.group_scope {
                    "messageGroup"
                } else {
                    "queue"
                },
            );
        if let Some(r) = setup.retention {
            req = req.attributes("MessageRetentionPeriod", r.to_string());
        }
        if let (Some(max), Some(dlq)) = (setup.max_receive_count, &dlq) {
            req = req.attributes(
                "RedrivePolicy",
                format!(
                    r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":{max}}}"#,
                    dlq.arn()
                ),
            );
        }
        let queue = rt.block_on(req.send()).expect("CreateQueue").queue();
        FifoQueue {
            rt,
            clock,
            sqs,
            queue,
            dlq,
            model: Model {
                setup: setup.clone(),
                now: 0,
                msgs: Vec::new(),
                by_id: HashMap::new(),
                dedup: HashMap::new(),
                handles: Vec::new(),
                dlq_handle: None,
                counters: Counters::default(),
                dlq_counters: Counters::default(),
            },
        }
    }

    fn apply(mut sut: Self, _: &Setup, step: Step) -> Self {
        match step {
            Step::Send {
                group,
                body,
                dedup,
                delay,
            } => sut.send(group, body, dedup, delay),
            Step::Receive { max, visibility } => sut.receive(max, visibility),
            Step::Delete { handle } => sut.delete(handle),
            Step::ChangeVisibility { handle, timeout } => sut.change_visibility(handle, timeout),
            Step::ForeignHandle { change } => sut.foreign_handle(change),
            Step::Advance { secs } => sut.advance(secs),
            Step::AdvanceToDeadline { early } => sut.advance_to_deadline(early),
        }
        sut
    }

    fn check_invariants(sut: &Self, _: &Setup) {
        let model = &sut.model;
        // Each message is in exactly one state by construction of `Model::status`; the queue's
        // gauges must agree on how many are in each, so none is lost or duplicated.
        assert_metrics(
            "source queue",
            sut.queue.metrics(),
            model.counters,
            (
                model.count(Status::Visible),
                model.count(Status::InFlight),
                model.count(Status::Delayed),
            ),
            model.age_of_oldest(),
        );
        if let Some(dlq) = &sut.dlq {
            // Everything moved there was received and deleted by `drain_dlq`.
            assert_metrics(
                "dead-letter queue",
                dlq.metrics(),
                model.dlq_counters,
                (0, 0, 0),
                Duration::ZERO,
            );
        }
    }
}
