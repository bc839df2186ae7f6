//! The pure core of a queue: messages, visibility, delay, retention, FIFO groups and
//! deduplication, driven by `now` passed in by the caller.
//!
//! Nothing here reads a clock, sleeps, locks or allocates ids: the async shell
//! ([`crate::queue`]) does that and calls in with the current [`Instant`]. State is derived from
//! stored deadlines compared with `now`: a message is delayed or in flight while its `visible_at`
//! is later than `now`, and [`QueueCore::tick`] brings counters and indexes up to date before
//! every operation. Because the core is pure, proptest drives it directly against a model.
//!
//! # Flavors
//!
//! One core serves both queue types (an internal flavor, as crossbeam does for channel kinds):
//!
//! - **Standard**: a deque of visible messages; best-effort order.
//! - **FIFO**: one deque per message group; a group with a message in flight is blocked, other
//!   groups flow; a receive takes as many messages of one group as it can, then moves to the next
//!   available group. Deduplication lives in [`dedup`].

pub(crate) mod dedup;
pub(crate) mod message;
pub(crate) mod receipt;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::{Error, Instant};

use self::message::MessageData;
use self::receipt::Receipt;
use crate::error;

/// Where a stored message is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Sent with a delay that has not passed yet; never received.
    Delayed,
    /// Available to a receive.
    Visible,
    /// Received; hidden until `visible_at`.
    InFlight,
}

#[derive(Debug)]
struct Stored {
    data: Arc<MessageData>,
    state: State,
    visible_at: Instant,
    /// Incremented whenever `visible_at` or the state changes, so that index entries pointing at
    /// an older version are recognised as stale.
    version: u32,
    /// Retention is counted from here (the original enqueue time; kept by standard redrive).
    enqueued_at: Instant,
    receive_count: u32,
    /// FIFO sequence number (assigned by this queue).
    sequence: Option<u128>,
    first_receive_ms: Option<u64>,
    /// When the latest receive happened (the 12-hour visibility rule counts from it).
    received_at: Instant,
    group: Option<u32>,
}

#[derive(Debug)]
struct Slot {
    epoch: u32,
    msg: Option<Stored>,
}

#[derive(Debug)]
struct Group {
    key: Arc<str>,
    /// Messages of the group in order (in-flight ones included, until deleted).
    messages: VecDeque<(u32, u32)>,
    in_flight: u32,
    /// Whether the group sits in `available`.
    queued: bool,
}

/// The two flavors of queue.
#[derive(Debug)]
enum Flavor {
    Standard {
        /// Visible messages, `(slot, epoch, version)`; stale entries are skipped on pop.
        ready: VecDeque<(u32, u32, u32)>,
    },
    Fifo {
        groups: Vec<Option<Group>>,
        free_groups: Vec<u32>,
        by_key: HashMap<Arc<str>, u32>,
        /// Groups that may have a message to hand out (validated on pop).
        available: VecDeque<u32>,
        next_sequence: u128,
    },
}

/// What a receive is allowed to do.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReceiveParams {
    pub(crate) max_messages: usize,
    pub(crate) visibility: Duration,
    /// `maxReceiveCount` of the redrive policy, if the queue has one.
    pub(crate) max_receive_count: Option<u32>,
    /// Standard queues answer `OverLimit` once this many messages are in flight; FIFO queues
    /// hand out no more messages.
    pub(crate) in_flight_limit: Option<usize>,
    /// Epoch milliseconds now, for `ApproximateFirstReceiveTimestamp`.
    pub(crate) now_ms: u64,
}

/// One message handed out by a receive.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) data: Arc<MessageData>,
    pub(crate) receipt: Receipt,
    pub(crate) receive_count: u32,
    pub(crate) first_receive_ms: u64,
    pub(crate) sequence: Option<u128>,
}

/// A message a redrive takes out of this queue, for the dead-letter queue.
#[derive(Debug, Clone)]
pub(crate) struct Evicted {
    pub(crate) data: Arc<MessageData>,
    pub(crate) enqueued_at: Instant,
    pub(crate) receive_count: u32,
}

/// The result of a receive.
#[derive(Debug, Default)]
pub(crate) struct ReceiveOutcome {
    pub(crate) messages: Vec<Received>,
    /// Messages whose receive count reached `maxReceiveCount`: the caller moves them to the
    /// dead-letter queue.
    pub(crate) dead_lettered: Vec<Evicted>,
}

/// Hooks the fault plan uses to perturb a receive (standard queues only).
pub(crate) trait ReceiveFaults {
    /// Index (below `len`) of the visible message to hand out next, instead of the first.
    fn reorder(&mut self, len: usize) -> usize;
    /// Whether the message just handed out should also stay visible (a duplicate delivery).
    fn duplicate(&mut self) -> bool;
}

/// No faults.
#[derive(Debug)]
pub(crate) struct NoFaults;

impl ReceiveFaults for NoFaults {
    fn reorder(&mut self, _len: usize) -> usize {
        0
    }
    fn duplicate(&mut self) -> bool {
        false
    }
}

/// Message counts as `GetQueueAttributes` reports them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) visible: usize,
    pub(crate) in_flight: usize,
    pub(crate) delayed: usize,
}

/// What `delete_message` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeleteOutcome {
    /// The message was deleted.
    Deleted,
    /// The handle was valid but the message was already gone (or, on a standard queue, the
    /// handle was stale): SQS answers success.
    NoOp,
}

/// The state of one queue.
#[derive(Debug)]
pub(crate) struct QueueCore {
    flavor: Flavor,
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// When delayed or in-flight messages become visible: `(visible_at, slot, epoch, version)`.
    wake: BinaryHeap<Reverse<(Instant, u32, u32, u32)>>,
    /// Every message in arrival order, `(arrived_at, slot, epoch)`; `now` never goes back, so
    /// this is sorted. Entries of removed messages are skipped (and compacted away).
    arrivals: VecDeque<(Instant, u32, u32)>,
    /// Retention order of messages whose enqueue time predates their arrival (standard redrive
    /// keeps the original enqueue time): `(enqueued_at, slot, epoch)`.
    moved_expiry: BinaryHeap<Reverse<(Instant, u32, u32)>>,
    counts: Counts,
    len: usize,
}

impl QueueCore {
    /// An empty standard or FIFO queue.
    pub(crate) fn new(fifo: bool) -> QueueCore {
        let flavor = if fifo {
            Flavor::Fifo {
                groups: Vec::new(),
                free_groups: Vec::new(),
                by_key: HashMap::new(),
                available: VecDeque::new(),
                next_sequence: 18_000_000_000_000_000_000,
            }
        } else {
            Flavor::Standard {
                ready: VecDeque::new(),
            }
        };
        QueueCore {
            flavor,
            slots: Vec::new(),
            free: Vec::new(),
            wake: BinaryHeap::new(),
            arrivals: VecDeque::new(),
            moved_expiry: BinaryHeap::new(),
            counts: Counts::default(),
            len: 0,
        }
    }

    /// Whether this is a FIFO queue.
    pub(crate) fn is_fifo(&self) -> bool {
        matches!(self.flavor, Flavor::Fifo { .. })
    }

    /// Message counts (exact as of the last [`tick`](QueueCore::tick)).
    pub(crate) fn counts(&self) -> Counts {
        self.counts
    }

    /// The next FIFO sequence number; `None` on a standard queue.
    fn take_sequence_number(&mut self) -> Option<u128> {
        match &mut self.flavor {
            Flavor::Fifo { next_sequence, .. } => {
                let s = *next_sequence;
                *next_sequence += 1;
                Some(s)
            }
            Flavor::Standard { .. } => None,
        }
    }

    /// The earliest instant at which a delayed or in-flight message may become visible. May be
    /// stale (a message that was since deleted): a spurious wake-up only re-checks.
    pub(crate) fn next_wake(&self) -> Option<Instant> {
        self.wake.peek().map(|Reverse((t, ..))| *t)
    }

    /// Brings the core up to `now`: messages whose delay or visibility timeout has passed become
    /// visible, and messages older than `retention` (from their enqueue time) are deleted.
    pub(crate) fn tick(&mut self, now: Instant, retention: Duration) {
        self.expire(now, retention);
        while let Some(Reverse((t, slot, epoch, version))) = self.wake.peek().copied() {
            if t > now {
                break;
            }
            self.wake.pop();
            let Some(m) = self.live_mut(slot, epoch) else {
                continue;
            };
            if m.version != version || m.state == State::Visible {
                continue;
            }
            let was = m.state;
            m.state = State::Visible;
            m.version = m.version.wrapping_add(1);
            let version = m.version;
            let group = m.group;
            match was {
                State::Delayed => self.counts.delayed -= 1,
                State::InFlight => self.counts.in_flight -= 1,
                State::Visible => {}
            }
            self.counts.visible += 1;
            self.on_visible(slot, epoch, version, group, was == State::InFlight);
        }
    }

    fn expire(&mut self, now: Instant, retention: Duration) {
        // A message is expired once `enqueued_at + retention <= now`. For most messages the
        // enqueue time is the arrival time, so the arrival deque's front is the oldest; a
        // redriven standard message may be older than its arrival and sits in `moved_expiry` too.
        while let Some(&(arrived, slot, epoch)) = self.arrivals.front() {
            if self.live(slot, epoch).is_none() {
                self.arrivals.pop_front();
                continue;
            }
            if arrived + retention > now {
                break;
            }
            self.arrivals.pop_front();
            self.remove(slot, epoch);
        }
        while let Some(Reverse((enqueued, slot, epoch))) = self.moved_expiry.peek().copied() {
            if self.live(slot, epoch).is_some() && enqueued + retention > now {
                break;
            }
            self.moved_expiry.pop();
            self.remove(slot, epoch);
        }
        self.compact();
    }

    /// Drops index entries of removed messages once they outnumber the live ones, so a message
    /// stuck at the front (or a long visibility timeout) cannot make the indexes grow without
    /// bound.
    fn compact(&mut self) {
        let live = self.len;
        if self.arrivals.len() > 2 * live + 1024 {
            let slots = &self.slots;
            self.arrivals.retain(|&(_, slot, epoch)| {
                slots
                    .get(slot as usize)
                    .is_some_and(|s| s.epoch == epoch && s.msg.is_some())
            });
        }
        let waiting = self.counts.in_flight + self.counts.delayed;
        if self.wake.len() > 2 * waiting + 1024 {
            let slots = &self.slots;
            let entries = std::mem::take(&mut self.wake).into_vec();
            self.wake = entries
                .into_iter()
                .filter(|Reverse((_, slot, epoch, version))| {
                    slots.get(*slot as usize).is_some_and(|s| {
                        s.epoch == *epoch
                            && s.msg
                                .as_ref()
                                .is_some_and(|m| m.version == *version && m.state != State::Visible)
                    })
                })
                .collect();
        }
        if let Flavor::Standard { ready } = &mut self.flavor {
            if ready.len() > 2 * self.counts.visible + 1024 {
                let slots = &self.slots;
                ready.retain(|&(slot, epoch, version)| {
                    slots.get(slot as usize).is_some_and(|s| {
                        s.epoch == epoch
                            && s.msg
                                .as_ref()
                                .is_some_and(|m| m.version == version && m.state == State::Visible)
                    })
                });
            }
        }
    }

    /// When the oldest message still in the queue arrived (for `ApproximateAgeOfOldestMessage`);
    /// exact after a [`tick`](QueueCore::tick).
    pub(crate) fn oldest_arrival(&self) -> Option<Instant> {
        self.arrivals
            .iter()
            .find(|&&(_, slot, epoch)| self.live(slot, epoch).is_some())
            .map(|&(t, ..)| t)
    }

    /// Adds a message. `delay` hides it until `now + delay`. `enqueued_at` is the retention
    /// origin (`now` for a new message; the original time for a standard redrive). Returns the
    /// FIFO sequence number assigned to it.
    pub(crate) fn enqueue(
        &mut self,
        now: Instant,
        data: Arc<MessageData>,
        delay: Duration,
        enqueued_at: Instant,
        receive_count: u32,
    ) -> Option<u128> {
        let sequence = self.take_sequence_number();
        let visible_at = now + delay;
        let state = if visible_at > now {
            State::Delayed
        } else {
            State::Visible
        };
        let group = match &mut self.flavor {
            Flavor::Fifo {
                groups,
                free_groups,
                by_key,
                ..
            } => {
                let key: Arc<str> = data.group_id.clone().unwrap_or_else(|| Arc::from(""));
                let idx = match by_key.get(&key) {
                    Some(i) => *i,
                    None => {
                        let g = Group {
                            key: key.clone(),
                            messages: VecDeque::new(),
                            in_flight: 0,
                            queued: false,
                        };
                        let i = match free_groups.pop() {
                            Some(i) => {
                                groups[i as usize] = Some(g);
                                i
                            }
                            None => {
                                groups.push(Some(g));
                                (groups.len() - 1) as u32
                            }
                        };
                        by_key.insert(key, i);
                        i
                    }
                };
                Some(idx)
            }
            Flavor::Standard { .. } => None,
        };
        let stored = Stored {
            data,
            state,
            visible_at,
            version: 0,
            enqueued_at,
            receive_count,
            sequence,
            first_receive_ms: None,
            received_at: now,
            group,
        };
        let (slot, epoch) = self.insert(stored);
        self.arrivals.push_back((now, slot, epoch));
        if enqueued_at < now {
            self.moved_expiry.push(Reverse((enqueued_at, slot, epoch)));
        }
        self.len += 1;
        match state {
            State::Delayed => {
                self.counts.delayed += 1;
                self.wake.push(Reverse((visible_at, slot, epoch, 0)));
            }
            _ => self.counts.visible += 1,
        }
        match &mut self.flavor {
            Flavor::Standard { ready } => {
                if state == State::Visible {
                    ready.push_back((slot, epoch, 0));
                }
            }
            Flavor::Fifo { groups, .. } => {
                if let Some(g) = group.and_then(|g| groups[g as usize].as_mut()) {
                    g.messages.push_back((slot, epoch));
                }
                if let Some(g) = group {
                    self.maybe_make_available(g);
                }
            }
        }
        sequence
    }

    /// Hands out up to `params.max_messages` visible messages, making them in flight for
    /// `params.visibility`. Messages whose receive count already reached the redrive limit are
    /// removed and returned in `dead_lettered` instead.
    pub(crate) fn receive(
        &mut self,
        now: Instant,
        params: ReceiveParams,
        faults: &mut dyn ReceiveFaults,
    ) -> Result<ReceiveOutcome, Error> {
        let mut out = ReceiveOutcome::default();
        if params.max_messages == 0 {
            return Ok(out);
        }
        if let (Flavor::Standard { .. }, Some(limit)) = (&self.flavor, params.in_flight_limit) {
            if self.counts.in_flight >= limit && self.counts.visible > 0 {
                // AWS's text (a recorded response, Cbsoftware/pressureNET-server#74), line
                // break included.
                return Err(error::over_limit(
                    "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.",
                ));
            }
        }
        if self.is_fifo() {
            self.receive_fifo(now, params, &mut out);
        } else {
            self.receive_standard(now, params, faults, &mut out);
        }
        Ok(out)
    }

    fn receive_standard(
        &mut self,
        now: Instant,
        params: ReceiveParams,
        faults: &mut dyn ReceiveFaults,
        out: &mut ReceiveOutcome,
    ) {
        while out.messages.len() < params.max_messages {
            if let Some(limit) = params.in_flight_limit {
                if self.counts.in_flight >= limit {
                    break;
                }
            }
            let Flavor::Standard { ready } = &mut self.flavor else {
                return;
            };
            if ready.is_empty() {
                break;
            }
            let pick = faults.reorder(ready.len().min(16)).min(ready.len() - 1);
            if pick > 0 {
                ready.swap(0, pick);
            }
            let Some((slot, epoch, version)) = ready.pop_front() else {
                break;
            };
            let valid = self
                .live(slot, epoch)
                .is_some_and(|m| m.version == version && m.state == State::Visible);
            if !valid {
                continue;
            }
            if self.redrive_due(slot, epoch, params.max_receive_count) {
                if let Some(e) = self.evict(slot, epoch) {
                    out.dead_lettered.push(e);
                }
                continue;
            }
            let Some(received) = self.mark_in_flight(now, slot, epoch, params) else {
                continue;
            };
            if faults.duplicate() {
                // At-least-once delivery: another copy of the message (same id, body and
                // enqueue time) stays in the queue, visible, and is delivered again later with a
                // handle of its own; deleting the copy just handed out does not delete it.
                let enqueued_at = self.live(slot, epoch).map_or(now, |m| m.enqueued_at);
                self.enqueue(
                    now,
                    received.data.clone(),
                    Duration::ZERO,
                    enqueued_at,
                    received.receive_count,
                );
            }
            out.messages.push(received);
        }
    }

    fn receive_fifo(&mut self, now: Instant, params: ReceiveParams, out: &mut ReceiveOutcome) {
        // A FIFO queue at its in-flight limit hands out nothing more, without an error. (The
        // limit can only be reached inside a group's run after taking one of its messages, so
        // the group, having one in flight, is queued again when that one leaves.)
        let at_limit = |core: &QueueCore| {
            params
                .in_flight_limit
                .is_some_and(|l| core.counts.in_flight >= l)
        };
        while out.messages.len() < params.max_messages && !at_limit(self) {
            let Flavor::Fifo {
                groups, available, ..
            } = &mut self.flavor
            else {
                return;
            };
            let Some(g) = available.pop_front() else {
                break;
            };
            let Some(group) = groups[g as usize].as_mut() else {
                continue;
            };
            group.queued = false;
            if group.in_flight > 0 {
                continue;
            }
            let mut index = 0usize;
            while out.messages.len() < params.max_messages && !at_limit(self) {
                let Flavor::Fifo { groups, .. } = &mut self.flavor else {
                    return;
                };
                let Some(group) = groups[g as usize].as_mut() else {
                    break;
                };
                let Some(&(slot, epoch)) = group.messages.get(index) else {
                    break;
                };
                let Some(m) = self.live(slot, epoch) else {
                    // Cannot happen (removal keeps group lists exact); skip defensively.
                    index += 1;
                    continue;
                };
                if m.state != State::Visible {
                    break;
                }
                if self.redrive_due(slot, epoch, params.max_receive_count) {
                    if let Some(e) = self.evict(slot, epoch) {
                        out.dead_lettered.push(e);
                    }
                    continue;
                }
                let Some(received) = self.mark_in_flight(now, slot, epoch, params) else {
                    break;
                };
                out.messages.push(received);
                index += 1;
            }
            self.release_group_if_empty(g);
        }
    }

    fn redrive_due(&self, slot: u32, epoch: u32, max_receive_count: Option<u32>) -> bool {
        match (max_receive_count, self.live(slot, epoch)) {
            (Some(max), Some(m)) => m.receive_count >= max,
            _ => false,
        }
    }

    /// Hands out a visible message. `None` only if `(slot, epoch)` is not live, which callers
    /// have just checked.
    fn mark_in_flight(
        &mut self,
        now: Instant,
        slot: u32,
        epoch: u32,
        params: ReceiveParams,
    ) -> Option<Received> {
        let visible_at = now + params.visibility;
        let m = self.live_mut(slot, epoch)?;
        m.receive_count = m.receive_count.saturating_add(1);
        m.state = State::InFlight;
        m.visible_at = visible_at;
        m.received_at = now;
        m.version = m.version.wrapping_add(1);
        let first = *m.first_receive_ms.get_or_insert(params.now_ms);
        let received = Received {
            data: m.data.clone(),
            receipt: Receipt {
                slot,
                epoch,
                nonce: m.receive_count,
            },
            receive_count: m.receive_count,
            first_receive_ms: first,
            sequence: m.sequence,
        };
        let (version, group) = (m.version, m.group);
        self.wake.push(Reverse((visible_at, slot, epoch, version)));
        self.counts.visible -= 1;
        self.counts.in_flight += 1;
        if let (Some(g), Flavor::Fifo { groups, .. }) = (group, &mut self.flavor) {
            if let Some(group) = groups[g as usize].as_mut() {
                group.in_flight += 1;
            }
        }
        Some(received)
    }

    /// Makes an in-flight message visible at once (visibility timeout 0).
    fn make_visible_now(&mut self, now: Instant, slot: u32, epoch: u32) {
        let (version, group) = {
            let Some(m) = self.live_mut(slot, epoch) else {
                return;
            };
            if m.state != State::InFlight {
                return;
            }
            m.state = State::Visible;
            m.visible_at = now;
            m.version = m.version.wrapping_add(1);
            (m.version, m.group)
        };
        self.counts.in_flight -= 1;
        self.counts.visible += 1;
        self.on_visible(slot, epoch, version, group, true);
    }

    /// Bookkeeping after a message became visible.
    fn on_visible(
        &mut self,
        slot: u32,
        epoch: u32,
        version: u32,
        group: Option<u32>,
        was_in_flight: bool,
    ) {
        match &mut self.flavor {
            Flavor::Standard { ready } => ready.push_back((slot, epoch, version)),
            Flavor::Fifo { groups, .. } => {
                if let Some(g) = group {
                    if was_in_flight {
                        if let Some(group) = groups[g as usize].as_mut() {
                            group.in_flight = group.in_flight.saturating_sub(1);
                        }
                    }
                    self.maybe_make_available(g);
                }
            }
        }
    }

    /// Queues group `g` for receives if it is unblocked and its head is visible.
    fn maybe_make_available(&mut self, g: u32) {
        let head_visible = {
            let Flavor::Fifo { groups, .. } = &self.flavor else {
                return;
            };
            let Some(group) = groups[g as usize].as_ref() else {
                return;
            };
            if group.queued || group.in_flight > 0 {
                return;
            }
            match group.messages.front() {
                Some(&(slot, epoch)) => self
                    .live(slot, epoch)
                    .is_some_and(|m| m.state == State::Visible),
                None => false,
            }
        };
        if head_visible {
            if let Flavor::Fifo {
                groups, available, ..
            } = &mut self.flavor
            {
                if let Some(group) = groups[g as usize].as_mut() {
                    group.queued = true;
                    available.push_back(g);
                }
            }
        }
    }

    fn release_group_if_empty(&mut self, g: u32) {
        if let Flavor::Fifo {
            groups,
            free_groups,
            by_key,
            ..
        } = &mut self.flavor
        {
            let empty = groups[g as usize]
                .as_ref()
                .is_some_and(|gr| gr.messages.is_empty() && !gr.queued);
            if empty {
                if let Some(gr) = groups[g as usize].take() {
                    by_key.remove(&gr.key);
                    free_groups.push(g);
                }
            }
        }
    }

    /// Resolves a receipt to its live message. `Err` when the handle names no live message.
    fn resolve(&self, r: Receipt) -> Option<&Stored> {
        self.live(r.slot, r.epoch)
    }

    /// Whether `r` is the latest receipt of a message still in flight at `now`.
    pub(crate) fn is_current_in_flight(&self, r: Receipt, now: Instant) -> bool {
        self.resolve(r).is_some_and(|m| {
            m.receive_count == r.nonce && m.state == State::InFlight && m.visible_at > now
        })
    }

    /// DeleteMessage. `Ok(NoOp)` for a message already gone or (standard) a stale handle; FIFO
    /// rejects a handle whose visibility timeout has expired.
    pub(crate) fn delete(
        &mut self,
        now: Instant,
        r: Receipt,
        handle_text: &str,
    ) -> Result<DeleteOutcome, Error> {
        let fifo = self.is_fifo();
        let Some(m) = self.resolve(r) else {
            return Ok(DeleteOutcome::NoOp);
        };
        let current = m.receive_count == r.nonce;
        if fifo {
            let unexpired = current && m.state == State::InFlight && m.visible_at > now;
            if !unexpired {
                return Err(error::invalid_parameter(
                    "ReceiptHandle",
                    handle_text,
                    "The receipt handle has expired.",
                ));
            }
        } else if !current {
            return Ok(DeleteOutcome::NoOp);
        }
        self.remove(r.slot, r.epoch);
        Ok(DeleteOutcome::Deleted)
    }

    /// ChangeMessageVisibility: hides the message for `timeout` from `now` (0 makes it visible at
    /// once). `max_total` is the 12-hour limit counted from the latest receive.
    pub(crate) fn change_visibility(
        &mut self,
        now: Instant,
        r: Receipt,
        handle_text: &str,
        timeout: Duration,
        max_total: Duration,
    ) -> Result<(), Error> {
        let not_available = || {
            error::invalid_parameter(
                "ReceiptHandle",
                handle_text,
                "Message does not exist or is not available for visibility timeout change.",
            )
        };
        let Some(m) = self.resolve(r) else {
            return Err(not_available());
        };
        if m.receive_count != r.nonce {
            return Err(not_available());
        }
        let new_visible_at = now + timeout;
        if new_visible_at > m.received_at + max_total {
            return Err(error::invalid_parameter(
                "VisibilityTimeout",
                timeout.as_secs(),
                &format!(
                    "Total VisibilityTimeout for the message is beyond the limit [{} seconds]",
                    max_total.as_secs()
                ),
            ));
        }
        let was = m.state;
        if was == State::Delayed {
            return Err(not_available());
        }
        if timeout.is_zero() {
            if was == State::InFlight {
                self.make_visible_now(now, r.slot, r.epoch);
            }
            return Ok(());
        }
        let group = {
            let Some(m) = self.live_mut(r.slot, r.epoch) else {
                return Err(not_available());
            };
            m.state = State::InFlight;
            m.visible_at = new_visible_at;
            m.version = m.version.wrapping_add(1);
            let (version, group) = (m.version, m.group);
            self.wake
                .push(Reverse((new_visible_at, r.slot, r.epoch, version)));
            group
        };
        if was == State::Visible {
            // The message had become visible again and is hidden anew (its stale ready entry is
            // skipped by version).
            self.counts.visible -= 1;
            self.counts.in_flight += 1;
            if let (Some(g), Flavor::Fifo { groups, .. }) = (group, &mut self.flavor) {
                if let Some(group) = groups[g as usize].as_mut() {
                    group.in_flight += 1;
                }
            }
        }
        Ok(())
    }

    /// PurgeQueue: deletes every message, visible, delayed or in flight.
    pub(crate) fn purge(&mut self) {
        for i in 0..self.slots.len() {
            if self.slots[i].msg.is_some() {
                let epoch = self.slots[i].epoch;
                self.remove(i as u32, epoch);
            }
        }
        self.wake.clear();
        self.arrivals.clear();
        self.moved_expiry.clear();
        match &mut self.flavor {
            Flavor::Standard { ready } => ready.clear(),
            Flavor::Fifo {
                groups,
                free_groups,
                by_key,
                available,
                ..
            } => {
                groups.clear();
                free_groups.clear();
                by_key.clear();
                available.clear();
            }
        }
    }

    fn evict(&mut self, slot: u32, epoch: u32) -> Option<Evicted> {
        let m = self.remove(slot, epoch)?;
        Some(Evicted {
            data: m.data,
            enqueued_at: m.enqueued_at,
            receive_count: m.receive_count,
        })
    }

    fn insert(&mut self, stored: Stored) -> (u32, u32) {
        match self.free.pop() {
            Some(i) => {
                let s = &mut self.slots[i as usize];
                s.msg = Some(stored);
                (i, s.epoch)
            }
            None => {
                self.slots.push(Slot {
                    epoch: 0,
                    msg: Some(stored),
                });
                ((self.slots.len() - 1) as u32, 0)
            }
        }
    }

    /// Removes a live message from every index (lazily from the heaps and the ready deque).
    fn remove(&mut self, slot: u32, epoch: u32) -> Option<Stored> {
        let s = self.slots.get_mut(slot as usize)?;
        if s.epoch != epoch {
            return None;
        }
        let m = s.msg.take()?;
        s.epoch = s.epoch.wrapping_add(1);
        self.free.push(slot);
        self.len -= 1;
        match m.state {
            State::Delayed => self.counts.delayed -= 1,
            State::Visible => self.counts.visible -= 1,
            State::InFlight => self.counts.in_flight -= 1,
        }
        if let (Some(g), Flavor::Fifo { groups, .. }) = (m.group, &mut self.flavor) {
            if let Some(group) = groups[g as usize].as_mut() {
                if let Some(pos) = group.messages.iter().position(|e| *e == (slot, epoch)) {
                    group.messages.remove(pos);
                }
                if m.state == State::InFlight {
                    group.in_flight = group.in_flight.saturating_sub(1);
                }
            }
            self.maybe_make_available(g);
            self.release_group_if_empty(g);
        }
        Some(m)
    }

    fn live(&self, slot: u32, epoch: u32) -> Option<&Stored> {
        let s = self.slots.get(slot as usize)?;
        if s.epoch != epoch {
            return None;
        }
        s.msg.as_ref()
    }

    fn live_mut(&mut self, slot: u32, epoch: u32) -> Option<&mut Stored> {
        let s = self.slots.get_mut(slot as usize)?;
        if s.epoch != epoch {
            return None;
        }
        s.msg.as_mut()
    }
}
