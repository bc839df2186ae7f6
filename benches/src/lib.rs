//! Shared helpers for the aws-lite criterion benches (see `benches/`).

use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::Notify;

/// Counts work done by handlers on other tasks and wakes the bench's waiter once a target is
/// reached: how a throughput bench knows its batch of events has been handled.
#[derive(Debug, Default)]
pub struct Done {
    count: AtomicUsize,
    target: AtomicUsize,
    notify: Notify,
}

impl Done {
    /// Counts `n` more done, waking the waiter if that reaches the armed target.
    pub fn add(&self, n: usize) {
        let before = self.count.fetch_add(n, Ordering::SeqCst);
        let target = self.target.load(Ordering::SeqCst);
        if before < target && before + n >= target {
            self.notify.notify_one();
        }
    }

    /// Arms the counter for `more` (every earlier one being done) and returns the count to
    /// wait for.
    pub fn arm(&self, more: usize) -> usize {
        let target = self.count.load(Ordering::SeqCst) + more;
        self.target.store(target, Ordering::SeqCst);
        target
    }

    /// Waits until `target` are done.
    pub async fn wait(&self, target: usize) {
        loop {
            let notified = self.notify.notified();
            if self.count.load(Ordering::SeqCst) >= target {
                return;
            }
            notified.await;
        }
    }
}
