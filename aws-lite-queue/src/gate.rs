//! The long-poll wake-up gate: lets senders skip waking receivers when none waits, without ever
//! losing a wake-up.
//!
//! # Protocol
//!
//! A long-polling receiver (1) [`enter`](WaiterGate::enter)s the gate, (2) registers for a
//! wake-up (enables its `Notified` future), (3) takes the queue lock, finds nothing, releases
//! it, and (4) sleeps. A sender (a) takes the queue lock, enqueues, releases it, then (b) wakes
//! receivers only if [`has_waiters`](WaiterGate::has_waiters).
//!
//! Critical sections on the queue lock are totally ordered. If the receiver's check comes
//! after the sender's enqueue, the receiver sees the message. Otherwise the receiver's unlock
//! happens before the sender's lock, so the receiver's `enter` (earlier in its thread) happens
//! before the sender's `has_waiters` load, which therefore sees it and wakes the receiver,
//! already registered at step 2. The `loom_*` test below checks this under every interleaving.

use crate::queue_sync::{AtomicUsize, Ordering};

/// Counts receivers waiting in a long poll.
#[derive(Debug, Default)]
pub(crate) struct WaiterGate {
    waiters: AtomicUsize,
}

impl WaiterGate {
    /// Registers a waiter; undone by [`leave`](WaiterGate::leave).
    pub(crate) fn enter(&self) {
        self.waiters.fetch_add(1, Ordering::Relaxed);
    }

    /// Unregisters a waiter.
    pub(crate) fn leave(&self) {
        self.waiters.fetch_sub(1, Ordering::Relaxed);
    }

    /// Whether any receiver may be waiting (read after releasing the queue lock).
    pub(crate) fn has_waiters(&self) -> bool {
        self.waiters.load(Ordering::Relaxed) > 0
    }
}

#[cfg(all(test, aws_lite_loom))]
mod loom_tests {
    use super::*;
    use crate::queue_sync::{Arc, AtomicBool, Mutex};

    /// A receiver that found the queue empty is always woken by a concurrent send.
    #[test]
    fn loom_long_poll_gate_never_loses_a_wakeup() {
        loom::model(|| {
            let gate = Arc::new(WaiterGate::default());
            let queue = Arc::new(Mutex::new(Vec::<u32>::new()));
            let registered = Arc::new(AtomicBool::new(false));
            let woken = Arc::new(AtomicBool::new(false));

            let sender = {
                let (gate, queue, registered, woken) = (
                    gate.clone(),
                    queue.clone(),
                    registered.clone(),
                    woken.clone(),
                );
                loom::thread::spawn(move || {
                    queue.lock().push(1);
                    if gate.has_waiters() && registered.load(Ordering::Acquire) {
                        woken.store(true, Ordering::Release);
                    }
                })
            };

            gate.enter();
            registered.store(true, Ordering::Release);
            let found = !queue.lock().is_empty();
            sender.join().unwrap();
            if !found {
                assert!(
                    woken.load(Ordering::Acquire),
                    "a send was missed by a waiting receiver"
                );
            }
            gate.leave();
        });
    }
}
