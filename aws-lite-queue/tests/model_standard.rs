//! Model-based property test of a standard queue: random sends, receives, deletes, visibility
//! changes and clock advances drive the real queue (through its public API, on a `ManualClock`)
//! side by side with a small reference model of every message's state, checked after each step.
//!
//! A standard queue hands out visible messages in best-effort order, so the model cannot predict
//! *which* messages a receive returns, only which it may return and how many it must. The model
//! therefore lives next to the queue in the system under test: each answer is first checked
//! against what the model allows (visible, not due for the dead-letter queue, distinct, as many
//! as asked and available) and then applied to the model. The [`ReferenceStateMachine`] only
//! draws the queue's configuration and the steps.
//!
//! Every message is, at every moment, exactly one of: delayed, visible, in flight, deleted,
//! expired (retention), or in the dead-letter queue. After each step the queue's metrics (and
//! the dead-letter queue's) must equal the counts and counters the model derives.

mod model_support;

use std::collections::{BTreeSet, HashMap};
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

/// Bodies are drawn from this alphabet (repeats on purpose: identity is the message id).
const BODIES: [&str; 4] = ["alpha", "beta", "gamma", "delta"];
/// At most this many steps per case.
const MAX_STEPS: usize = 40;
/// The longest a single step moves the clock (deadlines further away are not jumped to).
const MAX_JUMP: u64 = 600;
/// Dead-lettered messages are received from the DLQ with this timeout, longer than any run, so
/// they stay in flight there until retention removes them.
const DLQ_HOLD: i32 = 43_200;
const _: () = assert!((MAX_STEPS as u64) * MAX_JUMP < DLQ_HOLD as u64);

prop_state_machine! {
    #![proptest_config(Config {
        cases: 1024,
        // Integration tests have no `lib.rs` beside them, so name the file outright (relative to
        // the package root, where cargo runs tests).
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/model_standard.txt",
        ))),
        .. Config::default()
    })]

    #[test]
    fn standard_queue_matches_model(sequential 1..=MAX_STEPS => StandardQueue);
}

// ---------------------------------------------------------------------------------------------
// Generation: the queue's configuration and the steps.
// ---------------------------------------------------------------------------------------------

/// How the queue under test is created.
#[derive(Clone, Debug)]
struct Setup {
    /// `VisibilityTimeout`.
    visibility_timeout: u64,
    /// `DelaySeconds`.
    delay_seconds: u64,
    /// `MessageRetentionPeriod` of both queues (`None`: the 4-day default, never reached).
    retention: Option<u64>,
    /// `maxReceiveCount` of the `RedrivePolicy` (`None`: no dead-letter queue).
    max_receive_count: Option<u32>,
    /// Seed of the service's ids.
    seed: u64,
}

#[derive(Clone, Debug)]
enum Step {
    /// SendMessage with `BODIES[body]`, optionally overriding the queue's delay.
    Send { body: usize, delay: Option<u32> },
    /// ReceiveMessage (`WaitTimeSeconds=0`), optionally overriding the visibility timeout.
    Receive { max: i32, visibility: Option<i32> },
    /// DeleteMessage with a handle from an earlier receive (current or stale).
    Delete { handle: Index },
    /// ChangeMessageVisibility with a handle from an earlier receive (current or stale).
    ChangeVisibility { handle: Index, timeout: i32 },
    /// DeleteMessage (or ChangeMessageVisibility) with a handle minted by the dead-letter queue,
    /// or a malformed one.
    ForeignHandle { change: bool },
    /// Moves the clock.
    Advance { secs: u64 },
    /// Moves the clock to the model's next deadline (a delay or visibility timeout ending, a
    /// message expiring), or to one second before it, to probe the boundaries.
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
            any::<u64>(),
        )
            .prop_map(
                |(visibility_timeout, delay_seconds, retention, max_receive_count, seed)| Setup {
                    visibility_timeout,
                    delay_seconds,
                    retention,
                    max_receive_count,
                    seed,
                },
            )
            .boxed()
    }

    fn transitions(_: &Setup) -> BoxedStrategy<Step> {
        prop_oneof![
            4 => (0..BODIES.len(), prop_oneof![3 => Just(None), 1 => (0u32..=60).prop_map(Some)])
                .prop_map(|(body, delay)| Step::Send { body, delay }),
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
    /// Moved to the dead-letter queue (and held in flight there).
    DeadLettered,
    /// Moved, then removed from the dead-letter queue by retention (counted from the original
    /// send: standard redrive keeps the enqueue time).
    DeadLetteredExpired,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Fate {
    /// Stored in the source queue.
    Queued,
    Deleted,
    Expired,
    DeadLettered {
        at: u64,
    },
}

#[derive(Debug)]
struct Msg {
    body: &'static str,
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
    /// Every message accepted, in send order.
    msgs: Vec<Msg>,
    by_id: HashMap<String, usize>,
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
            Fate::DeadLettered { .. } if self.now >= m.sent_at + self.retention() => {
                Status::DeadLetteredExpired
            }
            Fate::DeadLettered { .. } => Status::DeadLettered,
        }
    }

    fn due(&self, m: &Msg) -> bool {
        self.setup
            .max_receive_count
            .is_some_and(|max| m.receives >= max)
    }

    fn count(&self, status: Status) -> u64 {
        self.msgs
            .iter()
            .filter(|m| self.status(m) == status)
            .count() as u64
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
    /// changes state.
    fn next_deadline(&self) -> Option<u64> {
        let retention = self.retention();
        self.msgs
            .iter()
            .flat_map(|m| match m.fate {
                Fate::Queued => [Some(m.visible_at), Some(m.sent_at + retention)],
                Fate::DeadLettered { .. } => [None, Some(m.sent_at + retention)],
                Fate::Deleted | Fate::Expired => [None, None],
            })
            .flatten()
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

    /// `ApproximateAgeOfOldestMessage` of the dead-letter queue (counted from the move).
    fn dlq_age_of_oldest(&self) -> Duration {
        let oldest = self
            .msgs
            .iter()
            .filter(|m| self.status(m) == Status::DeadLettered)
            .filter_map(|m| match m.fate {
                Fate::DeadLettered { at } => Some(at),
                _ => None,
            })
            .min();
        Duration::from_secs(oldest.map_or(0, |t| self.now - t))
    }
}

// ---------------------------------------------------------------------------------------------
// The system under test: the real queue, its dead-letter queue, the clock, and the model.
// ---------------------------------------------------------------------------------------------

struct StandardQueue {
    rt: Runtime,
    clock: ManualClock,
    sqs: Sqs,
    queue: Queue,
    dlq: Option<Queue>,
    model: Model,
}

impl std::fmt::Debug for StandardQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandardQueue")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl StandardQueue {
    fn epoch_ms(&self, secs: u64) -> u64 {
        self.sqs.clock().epoch_millis(Instant::from_secs(secs))
    }

    fn send(&mut self, body: usize, delay: Option<u32>) {
        let body = BODIES[body];
        let mut req = self.queue.send_message().message_body(body);
        if let Some(d) = delay {
            req = req.delay_seconds(d as i32);
        }
        let out = self.rt.block_on(req.send()).expect("SendMessage");
        let id = out.message_id().to_string();
        let now = self.model.now;
        let idx = self.model.msgs.len();
        assert!(
            !self.model.by_id.contains_key(&id),
            "SendMessage returned the id {id} of an earlier message"
        );
        self.model.by_id.insert(id, idx);
        self.model.msgs.push(Msg {
            body,
            sent_at: now,
            visible_at: now + delay.map_or(self.model.setup.delay_seconds, u64::from),
            receives: 0,
            first_receive: None,
            fate: Fate::Queued,
        });
        self.model.counters.sent += 1;
    }

    fn receive(&mut self, max: i32, visibility: Option<i32>) {
        let model = &self.model;
        let visible: Vec<usize> = (0..model.msgs.len())
            .filter(|&i| model.status(&model.msgs[i]) == Status::Visible)
            .collect();
        let (due, ready): (BTreeSet<usize>, BTreeSet<usize>) =
            visible.iter().partition(|&&i| model.due(&model.msgs[i]));

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

        // Which messages: only visible ones not due for redrive, each once, as many as asked
        // for and available.
        let mut returned = Vec::new();
        for m in &got {
            let idx = *self
                .model
                .by_id
                .get(m.message_id())
                .unwrap_or_else(|| panic!("received unknown message {}", m.message_id()));
            let status = self.model.status(&self.model.msgs[idx]);
            assert!(
                ready.contains(&idx),
                "received message #{idx} ({status:?}, {} receives) that the model says is not \
                 deliverable (visible: {visible:?}, due for the DLQ: {due:?})",
                self.model.msgs[idx].receives
            );
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
        let expected = (max as usize).min(ready.len());
        assert_eq!(
            returned.len(),
            expected,
            "receive of up to {max} returned {returned:?} with {ready:?} deliverable"
        );

        // Dead-letter moves: only messages due, and all of them when the receive did not fill
        // up (it then went through every visible message).
        let moved = self.drain_dlq();
        for idx in &moved {
            assert!(
                due.contains(idx),
                "message #{idx} moved to the DLQ though not due (receives {}, due: {due:?})",
                self.model.msgs[*idx].receives
            );
        }
        let moved_set: BTreeSet<usize> = moved.iter().copied().collect();
        assert_eq!(
            moved_set.len(),
            moved.len(),
            "a message moved twice: {moved:?}"
        );
        if returned.len() < max as usize {
            assert_eq!(
                moved_set, due,
                "a receive that did not fill up must move every due message"
            );
        }

        // Apply to the model, then check what the receive reported.
        let now = self.model.now;
        let timeout = visibility.map_or(self.model.setup.visibility_timeout, |v| v as u64);
        for (m, &idx) in got.iter().zip(&returned) {
            let msg = &mut self.model.msgs[idx];
            msg.receives += 1;
            msg.visible_at = now + timeout;
            let first = *msg.first_receive.get_or_insert(now);
            let nonce = msg.receives;
            let (receives, sent_at) = (msg.receives, msg.sent_at);
            self.model
                .handles
                .push((m.receipt_handle().to_string(), idx, nonce));
            assert_eq!(
                m.attribute(Attr::ApproximateReceiveCount),
                Some(receives.to_string().as_str()),
                "ApproximateReceiveCount of message #{idx}"
            );
            assert_eq!(
                m.attribute(Attr::SentTimestamp),
                Some(self.epoch_ms(sent_at).to_string().as_str()),
                "SentTimestamp of message #{idx}"
            );
            assert_eq!(
                m.attribute(Attr::ApproximateFirstReceiveTimestamp),
                Some(self.epoch_ms(first).to_string().as_str()),
                "ApproximateFirstReceiveTimestamp of message #{idx}"
            );
        }
        for &idx in &moved {
            self.model.msgs[idx].fate = Fate::DeadLettered { at: now };
        }
        self.model.counters.received += returned.len() as u64;
        if returned.is_empty() {
            self.model.counters.empty_receives += 1;
        }
    }

    /// Receives every message newly moved to the dead-letter queue and holds it in flight there;
    /// returns the messages in the order received.
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
            self.model.dlq_counters.received += batch.len() as u64;
            self.model.dlq_counters.sent += batch.len() as u64;
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
                assert_eq!(m.body(), msg.body, "body of dead-lettered message #{idx}");
                // The receive count is carried over (module docs of `redrive.rs`), then this
                // receive adds one.
                assert_eq!(
                    m.attribute(Attr::ApproximateReceiveCount),
                    Some((max + 1).to_string().as_str()),
                    "ApproximateReceiveCount of dead-lettered message #{idx}"
                );
                assert_eq!(
                    m.attribute(Attr::DeadLetterQueueSourceArn),
                    Some(self.queue.arn()),
                    "DeadLetterQueueSourceArn of message #{idx}"
                );
                assert_eq!(
                    m.attribute(Attr::SentTimestamp),
                    Some(self.epoch_ms(msg.sent_at).to_string().as_str()),
                    "SentTimestamp of dead-lettered message #{idx}"
                );
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
        self.rt
            .block_on(self.queue.delete_message().receipt_handle(text).send())
            .unwrap_or_else(|e| panic!("DeleteMessage with a handle of message #{idx}: {e}"));
        // Standard queues: the latest handle deletes, even after its timeout; an older one
        // succeeds without deleting; a message already gone is a no-op (delete_message.rs).
        let msg = &mut self.model.msgs[idx];
        if msg.fate == Fate::Queued && msg.receives == nonce {
            msg.fate = Fate::Deleted;
            self.model.counters.deleted += 1;
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

impl StateMachineTest for StandardQueue {
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
        let retention = setup.retention.map(|r| r.to_string());
        let dlq = setup.max_receive_count.map(|_| {
            let mut req = sqs.create_queue().queue_name("dead-letters");
            if let Some(r) = &retention {
                req = req.attributes("MessageRetentionPeriod", r.clone());
            }
            rt.block_on(req.send()).expect("CreateQueue (DLQ)").queue()
        });
        let mut req = sqs
            .create_queue()
            .queue_name("work")
            .attributes("VisibilityTimeout", setup.visibility_timeout.to_string())
            .attributes("DelaySeconds", setup.delay_seconds.to_string());
        if let Some(r) = &retention {
            req = req.attributes("MessageRetentionPeriod", r.clone());
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
        StandardQueue {
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
                handles: Vec::new(),
                dlq_handle: None,
                counters: Counters::default(),
                dlq_counters: Counters::default(),
            },
        }
    }

    fn apply(mut sut: Self, _: &Setup, step: Step) -> Self {
        match step {
            Step::Send { body, delay } => sut.send(body, delay),
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
            assert_metrics(
                "dead-letter queue",
                dlq.metrics(),
                model.dlq_counters,
                (0, model.count(Status::DeadLettered), 0),
                model.dlq_age_of_oldest(),
            );
        }
    }
}
