//! Activities: the registry of activities and the queue of scheduled tasks each keeps for its
//! workers (the SWF worker model).
//!
//! An activity Task state puts `{taskToken, input}` on its activity's queue; a worker's
//! GetActivityTask takes the oldest (waking on the Clock for up to 60 s), which starts the task;
//! the worker completes it with SendTaskSuccess / SendTaskFailure and keeps it alive with
//! SendTaskHeartbeat. A task whose state timed out before a worker took it is skipped.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::SystemTime;

use aws_lite_core::Error;
use aws_lite_core::sync::Mutex;
use tokio::sync::{Notify, oneshot};

/// A scheduled activity task, waiting for a worker.
pub(crate) struct QueuedTask {
    pub(crate) token: String,
    /// The task's input, as JSON text.
    pub(crate) input: String,
    /// Told the worker's name (if it gave one) when a worker takes the task.
    pub(crate) started: oneshot::Sender<Option<String>>,
}

/// One activity.
pub(crate) struct ActivityRecord {
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) creation_date: SystemTime,
    pub(crate) queue: Mutex<VecDeque<QueuedTask>>,
    pub(crate) ready: Notify,
}

impl ActivityRecord {
    /// Queues a task and wakes a waiting worker.
    pub(crate) fn schedule(&self, task: QueuedTask) {
        self.queue.lock().push_back(task);
        self.ready.notify_one();
    }

    /// Takes the oldest task still waiting for a worker, telling it the worker's name.
    pub(crate) fn take(&self, worker: Option<&str>) -> Option<(String, String)> {
        let mut q = self.queue.lock();
        while let Some(t) = q.pop_front() {
            if t.started.send(worker.map(str::to_string)).is_ok() {
                return Some((t.token, t.input));
            }
        }
        None
    }
}

/// Every activity of one [`Sfn`](crate::Sfn), by ARN.
#[derive(Clone, Default)]
pub(crate) struct ActivityRegistry {
    pub(crate) activities: Arc<Mutex<BTreeMap<String, Arc<ActivityRecord>>>>,
}

impl ActivityRegistry {
    /// The activity `arn`, or `ActivityDoesNotExist`.
    pub(crate) fn get(&self, arn: &str) -> Result<Arc<ActivityRecord>, Error> {
        self.activities.lock().get(arn).cloned().ok_or_else(|| {
            Error::validation(
                "ActivityDoesNotExist",
                format!("Activity Does Not Exist: '{arn}'"),
            )
        })
    }
}

/// Whether `resource` is an activity ARN (`arn:aws:states:<region>:<account>:activity:<name>`).
pub(crate) fn is_activity(resource: &str) -> bool {
    resource.starts_with("arn:") && resource.split(':').nth(5) == Some("activity")
}
