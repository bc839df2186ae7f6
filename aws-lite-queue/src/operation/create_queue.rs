//! CreateQueue: creates a standard or FIFO queue, or returns the URL of an identical one.
//!
//! # Semantics
//!
//! - Names are 1–80 characters of `[A-Za-z0-9_-]`; FIFO names end in `.fifo` (counted in the 80)
//!   and need `FifoQueue=true`, and vice versa.
//! - Every attribute is validated against its range; a rejected call creates nothing.
//! - Creating a name that exists with the same attributes returns its URL; with different ones,
//!   `QueueAlreadyExists` (shape `QueueNameExists`).
//! - A name deleted less than 60 seconds ago cannot be reused: `QueueDeletedRecently`.
//! - A `RedrivePolicy` must name an existing dead-letter queue of the same type whose
//!   `RedriveAllowPolicy` admits this queue.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use aws_lite_core::sync::Mutex;
use aws_lite_core::{Clock, Error};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::attributes::QueueConfig;
use crate::engine::QueueCore;
use crate::engine::dedup::Dedup;
use crate::engine::receipt::HandleCodec;
use crate::error;
use crate::queue::{Counters, Queue, QueueShared, QueueState};
use crate::service::{Sqs, SqsInner};

/// The input of CreateQueue, with the field names of the SQS JSON protocol.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateQueueInput {
    /// The queue's name.
    #[serde(default)]
    pub queue_name: String,
    /// Queue attributes by name (`VisibilityTimeout`, `FifoQueue`, …), values as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<HashMap<String, String>>,
    /// Tags to put on a new queue.
    #[serde(default, rename = "tags", skip_serializing_if = "Option::is_none")]
    pub tags: Option<HashMap<String, String>>,
}

/// The output of CreateQueue.
#[derive(Debug, Clone, Serialize)]
pub struct CreateQueueOutput {
    #[serde(rename = "QueueUrl")]
    queue_url: String,
    #[serde(skip)]
    queue: Queue,
}

impl CreateQueueOutput {
    /// The queue's URL.
    pub fn queue_url(&self) -> &str {
        &self.queue_url
    }

    /// A handle to the queue.
    pub fn queue(&self) -> Queue {
        self.queue.clone()
    }
}

/// Builds and sends a CreateQueue request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateQueueFluentBuilder {
    sqs: Sqs,
    input: CreateQueueInput,
}

impl CreateQueueFluentBuilder {
    /// The queue's name.
    pub fn queue_name(mut self, name: impl Into<String>) -> Self {
        self.input.queue_name = name.into();
        self
    }

    /// Sets one attribute (`VisibilityTimeout`, `FifoQueue`, …).
    pub fn attributes(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.input
            .attributes
            .get_or_insert_with(HashMap::new)
            .insert(name.into(), value.into());
        self
    }

    /// Sets or clears all attributes.
    pub fn set_attributes(mut self, attributes: Option<HashMap<String, String>>) -> Self {
        self.input.attributes = attributes;
        self
    }

    /// Adds one tag.
    pub fn tags(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.input
            .tags
            .get_or_insert_with(HashMap::new)
            .insert(key.into(), value.into());
        self
    }

    /// Sets or clears all tags.
    pub fn set_tags(mut self, tags: Option<HashMap<String, String>>) -> Self {
        self.input.tags = tags;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &CreateQueueInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<CreateQueueOutput, Error> {
        create_queue(&self.sqs, self.input)
    }
}

impl Sqs {
    /// CreateQueue.
    pub fn create_queue(&self) -> CreateQueueFluentBuilder {
        CreateQueueFluentBuilder {
            sqs: self.clone(),
            input: CreateQueueInput::default(),
        }
    }
}

/// Checks that a configured redrive policy names a live dead-letter queue of the same type
/// that admits `source_arn` (shared with SetQueueAttributes).
pub(crate) fn check_redrive_target(
    svc: &SqsInner,
    config: &QueueConfig,
    source_arn: &str,
) -> Result<(), Error> {
    check_redrive_target_in(config, source_arn, |arn| svc.lookup_arn(arn))
}

/// [`check_redrive_target`] with the queues looked up by `lookup_arn` (CreateQueue holds the
/// registry's write lock, so it looks in the map it holds).
fn check_redrive_target_in(
    config: &QueueConfig,
    source_arn: &str,
    lookup_arn: impl FnOnce(&str) -> Option<Arc<QueueShared>>,
) -> Result<(), Error> {
    let Some(policy) = &config.redrive_policy else {
        return Ok(());
    };
    let invalid =
        |reason: &str| error::invalid_parameter("RedrivePolicy", policy.to_json(), reason);
    let Some(dlq) = lookup_arn(&policy.dead_letter_target_arn) else {
        return Err(invalid("Dead letter target does not exist."));
    };
    if dlq.fifo != config.fifo {
        return Err(invalid(
            "Dead-letter target queue must be the same type as the source queue.",
        ));
    }
    let allow = dlq.state.lock().config.redrive_allow_policy.clone();
    if let Some(allow) = allow {
        if !allow.allows(source_arn) {
            return Err(invalid(
                "The dead-letter target queue's RedriveAllowPolicy does not allow this queue as a source.",
            ));
        }
    }
    Ok(())
}

pub(crate) fn create_queue(sqs: &Sqs, input: CreateQueueInput) -> Result<CreateQueueOutput, Error> {
    let svc = &sqs.inner;
    let _span = tracing::debug_span!("sqs.CreateQueue", queue = %input.queue_name).entered();
    let name = input.queue_name;
    if name.is_empty() {
        return Err(error::missing_parameter(
            "The request must contain the parameter QueueName.",
        ));
    }
    let attrs = input.attributes.unwrap_or_default();
    let config = QueueConfig::for_create(&name, &attrs, &svc.limits)?;
    let tags = input.tags.unwrap_or_default();
    let arn = svc.queue_arn(&name);
    let now = svc.clock.now();
    let mut queues = svc.queues.write().unwrap_or_else(|p| p.into_inner());
    if let Some(existing) = queues.get(&name) {
        let conflicts = existing
            .state
            .lock()
            .config
            .create_conflicts(&attrs, &svc.limits);
        if conflicts.is_empty() {
            return Ok(CreateQueueOutput {
                queue_url: existing.url.clone(),
                queue: sqs.handle(existing.clone()),
            });
        }
        return Err(error::queue_name_exists(conflicts[0]));
    }
    {
        let mut deleted = svc.deleted_names.lock();
        deleted.retain(|_, at| *at + svc.limits.deleted_name_reuse > now);
        if deleted.contains_key(&name) {
            return Err(error::queue_deleted_recently());
        }
    }
    // Not `svc.lookup_arn`: it would take the registry's read lock while this holds the write
    // lock, a deadlock.
    check_redrive_target_in(&config, &arn, |target| {
        let name = target.rsplit(':').next()?;
        queues.get(name).filter(|q| q.arn == target).cloned()
    })?;
    let created_secs = svc.epoch_ms(now) / 1000;
    let fifo = config.fifo;
    let dedup = fifo.then(|| Dedup::new(svc.limits.deduplication_window));
    let shared = Arc::new(QueueShared {
        url: svc.queue_url(&name),
        arn,
        fifo,
        codec: HandleCodec {
            queue_key: svc.rand.next_u64(),
            secret: svc.rand.next_u64(),
        },
        created_secs,
        state: Mutex::new(QueueState {
            core: QueueCore::new(fifo),
            config,
            dedup,
            attempts: HashMap::new(),
            last_modified_secs: created_secs,
            last_purge: None,
            tags: tags.into_iter().collect::<BTreeMap<_, _>>(),
        }),
        notify: Notify::new(),
        gate: crate::gate::WaiterGate::default(),
        deleted: AtomicBool::new(false),
        counters: Counters::default(),
        name: name.clone(),
    });
    queues.insert(name, shared.clone());
    drop(queues);
    Ok(CreateQueueOutput {
        queue_url: shared.url.clone(),
        queue: sqs.handle(shared),
    })
}
