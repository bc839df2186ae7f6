//! The shared state of one topic, its attributes, its counters and the cheap [`Topic`] handle.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use aws_lite_core::id::AccountId;
use aws_lite_core::{Error, Instant};
use serde_json::Value;

use crate::error;
use crate::filter::TopicFilter;
use crate::limits::Limits;
use crate::service::Sns;
use crate::subscription::SubscriptionShared;

/// The topic attributes SetTopicAttributes and CreateTopic accept.
const FEEDBACK_PROTOCOLS: &[&str] = &["HTTP", "Lambda", "SQS", "Firehose", "Application"];
const FEEDBACK_SUFFIXES: &[&str] = &[
    "SuccessFeedbackRoleArn",
    "FailureFeedbackRoleArn",
    "SuccessFeedbackSampleRate",
];

/// The default `EffectiveDeliveryPolicy` (SNS's HTTP defaults).
pub(crate) const DEFAULT_EFFECTIVE_DELIVERY_POLICY: &str = r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,"numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},"disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}}"#;

/// A topic's configurable attributes: the ones set explicitly, as text, and what they mean.
#[derive(Debug, Clone)]
pub(crate) struct TopicConfig {
    /// Attributes set by CreateTopic / SetTopicAttributes (canonical text), except `Policy`.
    pub(crate) raw: BTreeMap<String, String>,
    pub(crate) policy: Value,
    pub(crate) content_based_deduplication: bool,
    /// `FifoThroughputScope=MessageGroup`: deduplication per message group.
    pub(crate) dedup_per_group: bool,
    pub(crate) maximum_message_size: Option<usize>,
}

fn bool_value(name: &str, value: &str) -> Result<bool, Error> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(error::invalid_parameter(format!(
            "Invalid parameter: Attributes Reason: {name}: Invalid value [{value}]. Must be true or false."
        ))),
    }
}

impl TopicConfig {
    pub(crate) fn new(policy: Value) -> TopicConfig {
        TopicConfig {
            raw: BTreeMap::new(),
            policy,
            content_based_deduplication: false,
            dedup_per_group: false,
            maximum_message_size: None,
        }
    }

    /// Sets one attribute, validated (`creating`: inside CreateTopic, where `FifoTopic` is
    /// allowed).
    pub(crate) fn set(
        &mut self,
        name: &str,
        value: &str,
        fifo: bool,
        limits: &Limits,
        creating: bool,
    ) -> Result<(), Error> {
        let invalid = || error::invalid_parameter(format!("Invalid parameter: {name}"));
        match name {
            "FifoTopic" if creating => {
                bool_value(name, value)?;
                return Ok(());
            }
            "DisplayName" | "KmsMasterKeyId" | "DeliveryPolicy" | "ArchivePolicy" => {
                if name == "DeliveryPolicy" && !value.is_empty() {
                    crate::delivery_policy::validate_topic_policy(value).map_err(|reason| {
                        error::invalid_parameter(format!(
                            "Invalid parameter: DeliveryPolicy: {reason}"
                        ))
                    })?;
                }
                if name == "ArchivePolicy" && !fifo {
                    return Err(invalid());
                }
            }
            "Policy" => {
                let v: Value = serde_json::from_str(value).map_err(|_| {
                    error::invalid_parameter("Invalid parameter: Policy Error: null")
                })?;
                if !v.is_object() {
                    return Err(error::invalid_parameter(
                        "Invalid parameter: Policy Error: null",
                    ));
                }
                self.policy = v;
                return Ok(());
            }
            "SignatureVersion" => {
                if value != "1" && value != "2" {
                    return Err(invalid());
                }
            }
            "TracingConfig" => {
                if value != "PassThrough" && value != "Active" {
                    return Err(invalid());
                }
            }
            "ContentBasedDeduplication" => {
                let b = bool_value(name, value)?;
                if !fifo {
                    return Err(error::invalid_parameter(
                        "Invalid parameter: ContentBasedDeduplication Reason: Content based \
                         deduplication can only be set for FIFO topics",
                    ));
                }
                self.content_based_deduplication = b;
                self.raw.insert(name.into(), b.to_string());
                return Ok(());
            }
            "FifoThroughputScope" => {
                if !fifo || (value != "Topic" && value != "MessageGroup") {
                    return Err(invalid());
                }
                self.dedup_per_group = value == "MessageGroup";
            }
            "MaximumMessageSize" => {
                let n: usize = value.parse().map_err(|_| invalid())?;
                if n < limits.min_maximum_message_size || n > limits.max_maximum_message_size {
                    return Err(invalid());
                }
                self.maximum_message_size = Some(n);
            }
            other
                if FEEDBACK_PROTOCOLS.iter().any(|p| {
                    other
                        .strip_prefix(p)
                        .is_some_and(|s| FEEDBACK_SUFFIXES.contains(&s))
                }) => {}
            _ => {
                return Err(error::invalid_parameter("Invalid parameter: AttributeName"));
            }
        }
        self.raw.insert(name.into(), value.into());
        Ok(())
    }

    /// The largest message (with attributes) or batch the topic accepts.
    pub(crate) fn max_size(&self, limits: &Limits) -> usize {
        self.maximum_message_size
            .unwrap_or(limits.default_maximum_message_size)
    }

    pub(crate) fn signature_version(&self) -> String {
        self.raw
            .get("SignatureVersion")
            .cloned()
            .unwrap_or_else(|| "1".into())
    }
}

/// Everything of a topic that changes, behind its lock.
#[derive(Debug)]
pub(crate) struct TopicState {
    pub(crate) config: TopicConfig,
    pub(crate) tags: BTreeMap<String, String>,
    /// Subscriptions by id, in creation order.
    pub(crate) subs: BTreeMap<u64, Arc<SubscriptionShared>>,
    /// The filter policies of the subscriptions that have one, by subscription id.
    pub(crate) filter: TopicFilter<u64>,
    pub(crate) subscriptions_deleted: u64,
}

/// FIFO topics: deduplication and sequence numbers, behind an async lock held across delivery
/// so each message group is delivered in publish order.
#[derive(Debug, Default)]
pub(crate) struct FifoState {
    /// (group when scoped per group, dedup id) → (first seen, message id, sequence number).
    pub(crate) dedup: HashMap<(Option<String>, String), (Instant, String, String)>,
    /// Expiry order of `dedup`.
    pub(crate) dedup_order: VecDeque<(Instant, (Option<String>, String))>,
    pub(crate) next_sequence: u64,
}

/// CloudWatch-style delivery counters of one topic.
#[derive(Debug, Default)]
pub(crate) struct TopicCounters {
    pub(crate) published: AtomicU64,
    pub(crate) publish_size: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) failed: AtomicU64,
    pub(crate) filtered_out: AtomicU64,
    pub(crate) redriven: AtomicU64,
    pub(crate) redrive_failed: AtomicU64,
}

impl TopicCounters {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}

/// A topic's CloudWatch metrics, as of when they were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TopicMetrics {
    /// `NumberOfMessagesPublished` (duplicates on FIFO topics not counted).
    pub number_of_messages_published: u64,
    /// `PublishSize`: total bytes published.
    pub publish_size: u64,
    /// `NumberOfNotificationsDelivered`.
    pub number_of_notifications_delivered: u64,
    /// `NumberOfNotificationsFailed`: deliveries given up (client errors, exhausted retries).
    pub number_of_notifications_failed: u64,
    /// `NumberOfNotificationsFilteredOut`: subscriptions whose filter policy rejected a message.
    pub number_of_notifications_filtered_out: u64,
    /// `NumberOfNotificationsRedrivenToDlq`.
    pub number_of_notifications_redriven_to_dlq: u64,
    /// `NumberOfNotificationsFailedToRedriveToDlq`.
    pub number_of_notifications_failed_to_redrive_to_dlq: u64,
}

/// One topic, shared by the registry, its subscriptions' deliveries and every [`Topic`] handle.
pub(crate) struct TopicShared {
    pub(crate) arn: String,
    pub(crate) name: String,
    pub(crate) fifo: bool,
    pub(crate) owner: AccountId,
    pub(crate) state: RwLock<TopicState>,
    pub(crate) counters: Arc<TopicCounters>,
    pub(crate) deleted: AtomicBool,
    pub(crate) fifo_state: tokio::sync::Mutex<FifoState>,
}

impl fmt::Debug for TopicShared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TopicShared")
            .field("arn", &self.arn)
            .field("fifo", &self.fifo)
            .finish_non_exhaustive()
    }
}

impl TopicShared {
    pub(crate) fn read(&self) -> std::sync::RwLockReadGuard<'_, TopicState> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn write(&self) -> std::sync::RwLockWriteGuard<'_, TopicState> {
        self.state.write().unwrap_or_else(|p| p.into_inner())
    }

    /// `NotFound` once the topic was deleted.
    pub(crate) fn check_live(&self) -> Result<(), Error> {
        if self.deleted.load(Ordering::Acquire) {
            Err(error::topic_not_found())
        } else {
            Ok(())
        }
    }

    /// `AuthorizationError` unless `sns`'s caller may perform `action` on this topic.
    pub(crate) fn authorize(&self, sns: &Sns, action: &str) -> Result<(), Error> {
        if sns.caller == self.owner {
            return Ok(());
        }
        let allowed =
            crate::policy::allows(&self.read().config.policy, sns.caller.as_str(), action);
        if allowed {
            Ok(())
        } else {
            Err(error::authorization_error(
                sns.caller.as_str(),
                action,
                &self.arn,
            ))
        }
    }

    pub(crate) fn metrics(&self) -> TopicMetrics {
        let c = &self.counters;
        let r = |a: &AtomicU64| a.load(Ordering::Relaxed);
        TopicMetrics {
            number_of_messages_published: r(&c.published),
            publish_size: r(&c.publish_size),
            number_of_notifications_delivered: r(&c.delivered),
            number_of_notifications_failed: r(&c.failed),
            number_of_notifications_filtered_out: r(&c.filtered_out),
            number_of_notifications_redriven_to_dlq: r(&c.redriven),
            number_of_notifications_failed_to_redrive_to_dlq: r(&c.redrive_failed),
        }
    }
}

/// A cheap handle to one topic (an `Arc` inside): the fast path for every per-topic operation,
/// skipping the ARN lookup.
///
/// Get one from [`Sns::topic`] or
/// [`CreateTopicOutput::topic`](crate::operation::create_topic::CreateTopicOutput::topic). After
/// DeleteTopic every operation through it answers `NotFound`, even if a topic of the same name
/// is created again.
#[derive(Clone)]
pub struct Topic {
    pub(crate) sns: Sns,
    pub(crate) shared: Arc<TopicShared>,
}

impl Topic {
    /// The topic's ARN.
    pub fn arn(&self) -> &str {
        &self.shared.arn
    }

    /// The topic's name.
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// Whether this is a FIFO topic.
    pub fn is_fifo(&self) -> bool {
        self.shared.fifo
    }

    /// The service this topic belongs to.
    pub fn sns(&self) -> &Sns {
        &self.sns
    }

    /// The topic's delivery metrics, as of now.
    pub fn metrics(&self) -> TopicMetrics {
        self.shared.metrics()
    }
}

impl fmt::Debug for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Topic")
            .field("arn", &self.shared.arn)
            .finish_non_exhaustive()
    }
}
