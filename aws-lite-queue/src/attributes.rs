//! Queue attributes: every attribute SQS has, the values it accepts, its defaults and the errors
//! it answers with, word for word.
//!
//! # Attributes
//!
//! | attribute | values | default | settable |
//! |---|---|---|---|
//! | `DelaySeconds` | 0–900 | 0 | yes |
//! | `MaximumMessageSize` | 1,024–1,048,576 bytes (262,144 under `legacy_256k`) | the maximum | yes |
//! | `MessageRetentionPeriod` | 60–1,209,600 s | 345,600 (4 days) | yes |
//! | `ReceiveMessageWaitTimeSeconds` | 0–20 | 0 | yes |
//! | `VisibilityTimeout` | 0–43,200 s | 30 | yes |
//! | `Policy` | an IAM policy (a JSON object) | none | yes; `""` removes it |
//! | `RedrivePolicy` | [`RedrivePolicy`] JSON | none | yes; `""` removes it |
//! | `RedriveAllowPolicy` | [`RedriveAllowPolicy`] JSON | none (everyone may redrive) | yes; `""` removes it |
//! | `KmsMasterKeyId` | a KMS key id, ARN or alias (kept, not checked) | none | yes; `""` removes it |
//! | `KmsDataKeyReusePeriodSeconds` | 60–86,400 | 300 | yes |
//! | `SqsManagedSseEnabled` | `true`, `false` | `true` | yes |
//! | `FifoQueue` | `true` (FIFO queues only) | — | at creation only |
//! | `ContentBasedDeduplication` | `true`, `false` (FIFO only) | `false` | yes |
//! | `DeduplicationScope` | `queue`, `messageGroup` (FIFO only) | `queue` | yes |
//! | `FifoThroughputLimit` | `perQueue`, `perMessageGroupId` (FIFO only) | `perQueue` | yes |
//! | `ApproximateNumberOfMessages`, `…Delayed`, `…NotVisible`, `CreatedTimestamp`, `LastModifiedTimestamp`, `QueueArn` | computed | — | no |
//!
//! Numbers are decimal digits only (`" 6"`, `"-1"`, `"1.5"` and `""` are rejected); booleans are
//! exactly `true` or `false`. Out-of-range and malformed values answer `InvalidAttributeValue`
//! with `Invalid value for the parameter {Name}.`, the message SQS gives for `CreateQueue` and
//! `SetQueueAttributes` (the `Value … is invalid. Reason: …` form belongs to operation
//! parameters such as `SendMessage`'s `DelaySeconds`).
//!
//! # Queue names and FIFO
//!
//! A queue is FIFO when `CreateQueue` carries `FifoQueue=true`; its name must then end in
//! `.fifo`. Any other queue is standard, and its name may not contain a dot. Names are 1 to 80
//! characters of `[A-Za-z0-9_-]`, the `.fifo` suffix included. The name is checked before the
//! attributes, so `x.fifo` without `FifoQueue=true` (or with `FifoQueue=false`) is a bad
//! standard-queue name, and `x` with `FifoQueue=true` a bad FIFO name.
//!
//! A standard queue does not know the FIFO attributes: `FifoQueue` (even `false`) and
//! `ContentBasedDeduplication` answer `InvalidAttributeName` `Unknown Attribute {Name}.`, and
//! `DeduplicationScope` and `FifoThroughputLimit` answer `InvalidAttributeName` `You can specify
//! the {Name} only when FifoQueue is set to true.` — in `CreateQueue`, `SetQueueAttributes` and
//! `GetQueueAttributes` alike. High-throughput FIFO (`FifoThroughputLimit=perMessageGroupId`)
//! requires `DeduplicationScope=messageGroup`.
//!
//! # CreateQueue on an existing name
//!
//! SQS compares only the attributes the second `CreateQueue` names, against the queue's
//! **current** values (after any `SetQueueAttributes`): an attribute the request leaves out never
//! conflicts, so `CreateQueue` with no attributes always returns the existing URL. Values are
//! compared after parsing (`"010"` equals `10`, a `RedrivePolicy` with `"maxReceiveCount":"5"`
//! equals one with `5`); `Policy` is compared as text.
//!
//! # SetQueueAttributes
//!
//! A call is all or nothing: the new configuration is computed from the old one and swapped in
//! by the caller, so a rejected call changes nothing. `FifoQueue=true` on a FIFO queue is
//! accepted and changes nothing; `FifoQueue=false` answers `Invalid value for the parameter
//! FifoQueue. Reason: Modifying queue type is not supported.`. Computed attributes answer
//! `Unknown Attribute {Name}.`.
//!
//! # Encryption
//!
//! A queue uses SQS-managed encryption (`SqsManagedSseEnabled=true`, the default) or a KMS key,
//! never both. Setting `KmsMasterKeyId` turns SQS-managed encryption off; setting
//! `SqsManagedSseEnabled=true` removes the key; asking for both in one call answers
//! `InvalidAttributeName` `You can use one type of server-side encryption (SSE) at one time. You
//! can either enable KMS SSE or SQS SSE.`. `KmsMasterKeyId` and `KmsDataKeyReusePeriodSeconds`
//! are reported only while a key is set.
//!
//! # Dead-letter queues
//!
//! [`RedrivePolicy`] and [`RedriveAllowPolicy`] are checked here for shape and ranges; whether
//! the target queue exists, has the same type and allows the source is the service's check.
//!
//! # Sources
//!
//! Messages were taken from responses recorded against AWS (LocalStack's AWS-validated SQS
//! tests and snapshots), from error logs of real AWS calls quoted in public issues, and from
//! the SQS API reference; where AWS's behaviour could not be confirmed the choice is marked
//! "inferred" in the code.

// `QueueConfig` and its helpers are consumed by the service layer, which is written in
// parallel; drop this once it is wired in.
#![allow(
    dead_code,
    reason = "QueueConfig is used by the service layer, wired in separately"
)]

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use aws_lite_core::Error;
use aws_lite_core::limits::{ByteSize, Quota};
use serde_json::Value;

use crate::error::{invalid_attribute_name, invalid_attribute_value, invalid_parameter_value};
use crate::limits::Limits;

/// The longest queue name, `.fifo` suffix included.
const MAX_QUEUE_NAME_LEN: usize = 80;

const STANDARD_NAME_MESSAGE: &str =
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
const FIFO_NAME_MESSAGE: &str = "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.";
const SSE_CONFLICT_MESSAGE: &str = "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.";
const THROUGHPUT_MESSAGE: &str = "Invalid value for the parameter FifoThroughputLimit. Reason: To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.";
const MODIFY_TYPE_MESSAGE: &str =
    "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.";
const REDRIVE_NOT_A_MAP_MESSAGE: &str = "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.";
const REDRIVE_ALLOW_FORMAT_MESSAGE: &str = "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u{2019}s in an unsupported format.";

// ---------------------------------------------------------------------------------------------
// Attribute names
// ---------------------------------------------------------------------------------------------

/// The name of a queue attribute, as `CreateQueue`, `SetQueueAttributes` and
/// `GetQueueAttributes` spell it. Names are case-sensitive.
///
/// ```
/// use aws_lite_queue::attributes::QueueAttributeName;
///
/// let name: QueueAttributeName = "VisibilityTimeout".parse().unwrap();
/// assert_eq!(name, QueueAttributeName::VisibilityTimeout);
/// assert_eq!(name.to_string(), "VisibilityTimeout");
///
/// let err = "visibilityTimeout".parse::<QueueAttributeName>().unwrap_err();
/// assert_eq!(err.code(), "InvalidAttributeName");
/// assert_eq!(err.message(), "Unknown Attribute visibilityTimeout.");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum QueueAttributeName {
    /// Every attribute (`GetQueueAttributes` only).
    All,
    /// Messages available for retrieval (computed).
    ApproximateNumberOfMessages,
    /// Messages waiting out their delay (computed).
    ApproximateNumberOfMessagesDelayed,
    /// Messages in flight (computed).
    ApproximateNumberOfMessagesNotVisible,
    /// When the queue was created, in epoch seconds (computed).
    CreatedTimestamp,
    /// The queue's default delay, in seconds.
    DelaySeconds,
    /// When the queue's attributes last changed, in epoch seconds (computed).
    LastModifiedTimestamp,
    /// The largest message the queue accepts, in bytes.
    MaximumMessageSize,
    /// How long a message is kept, in seconds.
    MessageRetentionPeriod,
    /// The queue's access policy (JSON).
    Policy,
    /// The queue's ARN (computed).
    QueueArn,
    /// The default long-poll wait of `ReceiveMessage`, in seconds.
    ReceiveMessageWaitTimeSeconds,
    /// The default visibility timeout, in seconds.
    VisibilityTimeout,
    /// The dead-letter queue and receive count (JSON).
    RedrivePolicy,
    /// Which source queues may use this queue as their dead-letter queue (JSON).
    RedriveAllowPolicy,
    /// The KMS key of KMS server-side encryption.
    KmsMasterKeyId,
    /// How long a KMS data key is reused, in seconds.
    KmsDataKeyReusePeriodSeconds,
    /// Whether SQS-managed server-side encryption is on.
    SqsManagedSseEnabled,
    /// Whether the queue is FIFO (FIFO queues only).
    FifoQueue,
    /// Whether the deduplication id defaults to the body's SHA-256 (FIFO queues only).
    ContentBasedDeduplication,
    /// Whether deduplication is per queue or per message group (FIFO queues only).
    DeduplicationScope,
    /// Whether the throughput quota is per queue or per message group (FIFO queues only).
    FifoThroughputLimit,
}

impl QueueAttributeName {
    /// Every name, in the order SQS's API reference lists them (`All` first).
    pub const VARIANTS: [QueueAttributeName; 22] = [
        QueueAttributeName::All,
        QueueAttributeName::ApproximateNumberOfMessages,
        QueueAttributeName::ApproximateNumberOfMessagesDelayed,
        QueueAttributeName::ApproximateNumberOfMessagesNotVisible,
        QueueAttributeName::CreatedTimestamp,
        QueueAttributeName::DelaySeconds,
        QueueAttributeName::LastModifiedTimestamp,
        QueueAttributeName::MaximumMessageSize,
        QueueAttributeName::MessageRetentionPeriod,
        QueueAttributeName::Policy,
        QueueAttributeName::QueueArn,
        QueueAttributeName::ReceiveMessageWaitTimeSeconds,
        QueueAttributeName::VisibilityTimeout,
        QueueAttributeName::RedrivePolicy,
        QueueAttributeName::RedriveAllowPolicy,
        QueueAttributeName::KmsMasterKeyId,
        QueueAttributeName::KmsDataKeyReusePeriodSeconds,
        QueueAttributeName::SqsManagedSseEnabled,
        QueueAttributeName::FifoQueue,
        QueueAttributeName::ContentBasedDeduplication,
        QueueAttributeName::DeduplicationScope,
        QueueAttributeName::FifoThroughputLimit,
    ];

    /// The name as SQS spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            QueueAttributeName::All => "All",
            QueueAttributeName::ApproximateNumberOfMessages => "ApproximateNumberOfMessages",
            QueueAttributeName::ApproximateNumberOfMessagesDelayed => {
                "ApproximateNumberOfMessagesDelayed"
            }
            QueueAttributeName::ApproximateNumberOfMessagesNotVisible => {
                "ApproximateNumberOfMessagesNotVisible"
            }
            QueueAttributeName::CreatedTimestamp => "CreatedTimestamp",
            QueueAttributeName::DelaySeconds => "DelaySeconds",
            QueueAttributeName::LastModifiedTimestamp => "LastModifiedTimestamp",
            QueueAttributeName::MaximumMessageSize => "MaximumMessageSize",
            QueueAttributeName::MessageRetentionPeriod => "MessageRetentionPeriod",
            QueueAttributeName::Policy => "Policy",
            QueueAttributeName::QueueArn => "QueueArn",
            QueueAttributeName::ReceiveMessageWaitTimeSeconds => "ReceiveMessageWaitTimeSeconds",
            QueueAttributeName::VisibilityTimeout => "VisibilityTimeout",
            QueueAttributeName::RedrivePolicy => "RedrivePolicy",
            QueueAttributeName::RedriveAllowPolicy => "RedriveAllowPolicy",
            QueueAttributeName::KmsMasterKeyId => "KmsMasterKeyId",
            QueueAttributeName::KmsDataKeyReusePeriodSeconds => "KmsDataKeyReusePeriodSeconds",
            QueueAttributeName::SqsManagedSseEnabled => "SqsManagedSseEnabled",
            QueueAttributeName::FifoQueue => "FifoQueue",
            QueueAttributeName::ContentBasedDeduplication => "ContentBasedDeduplication",
            QueueAttributeName::DeduplicationScope => "DeduplicationScope",
            QueueAttributeName::FifoThroughputLimit => "FifoThroughputLimit",
        }
    }

    /// Whether SQS computes the value (message counts, timestamps, the ARN): such attributes are
    /// reported by `GetQueueAttributes` but `CreateQueue` and `SetQueueAttributes` reject them.
    pub const fn is_computed(self) -> bool {
        matches!(
            self,
            QueueAttributeName::ApproximateNumberOfMessages
                | QueueAttributeName::ApproximateNumberOfMessagesDelayed
                | QueueAttributeName::ApproximateNumberOfMessagesNotVisible
                | QueueAttributeName::CreatedTimestamp
                | QueueAttributeName::LastModifiedTimestamp
                | QueueAttributeName::QueueArn
        )
    }

    /// Whether only FIFO queues have this attribute.
    pub const fn is_fifo_only(self) -> bool {
        matches!(
            self,
            QueueAttributeName::FifoQueue
                | QueueAttributeName::ContentBasedDeduplication
                | QueueAttributeName::DeduplicationScope
                | QueueAttributeName::FifoThroughputLimit
        )
    }
}

impl FromStr for QueueAttributeName {
    type Err = Error;

    /// The attribute named `s` (case-sensitive), or `InvalidAttributeName`
    /// `Unknown Attribute {s}.`.
    fn from_str(s: &str) -> Result<QueueAttributeName, Error> {
        QueueAttributeName::VARIANTS
            .into_iter()
            .find(|n| n.as_str() == s)
            .ok_or_else(|| unknown_attribute(s))
    }
}

impl fmt::Display for QueueAttributeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// FIFO enums
// ---------------------------------------------------------------------------------------------

/// `DeduplicationScope` of a FIFO queue: which messages a deduplication id is unique among.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum DeduplicationScope {
    /// `queue`: the whole queue (the default).
    #[default]
    Queue,
    /// `messageGroup`: each message group (needed for high-throughput FIFO).
    MessageGroup,
}

impl DeduplicationScope {
    /// The value as SQS spells it: `queue` or `messageGroup`.
    pub const fn as_str(self) -> &'static str {
        match self {
            DeduplicationScope::Queue => "queue",
            DeduplicationScope::MessageGroup => "messageGroup",
        }
    }
}

impl FromStr for DeduplicationScope {
    type Err = Error;

    /// `queue` or `messageGroup`; anything else answers `InvalidAttributeValue`
    /// `Invalid value for the parameter DeduplicationScope.`.
    fn from_str(s: &str) -> Result<DeduplicationScope, Error> {
        match s {
            "queue" => Ok(DeduplicationScope::Queue),
            "messageGroup" => Ok(DeduplicationScope::MessageGroup),
            _ => Err(invalid_value("DeduplicationScope")),
        }
    }
}

impl fmt::Display for DeduplicationScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `FifoThroughputLimit` of a FIFO queue: whether the throughput quota applies to the queue or
/// to each message group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum FifoThroughputLimit {
    /// `perQueue`: one quota for the queue (the default).
    #[default]
    PerQueue,
    /// `perMessageGroupId`: high-throughput FIFO; requires
    /// [`DeduplicationScope::MessageGroup`].
    PerMessageGroupId,
}

impl FifoThroughputLimit {
    /// The value as SQS spells it: `perQueue` or `perMessageGroupId`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FifoThroughputLimit::PerQueue => "perQueue",
            FifoThroughputLimit::PerMessageGroupId => "perMessageGroupId",
        }
    }
}

impl FromStr for FifoThroughputLimit {
    type Err = Error;

    /// `perQueue` or `perMessageGroupId`; anything else answers `InvalidAttributeValue`
    /// `Invalid value for the parameter FifoThroughputLimit.`.
    fn from_str(s: &str) -> Result<FifoThroughputLimit, Error> {
        match s {
            "perQueue" => Ok(FifoThroughputLimit::PerQueue),
            "perMessageGroupId" => Ok(FifoThroughputLimit::PerMessageGroupId),
            _ => Err(invalid_value("FifoThroughputLimit")),
        }
    }
}

impl fmt::Display for FifoThroughputLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// RedrivePolicy
// ---------------------------------------------------------------------------------------------

/// A queue's `RedrivePolicy`: after `max_receive_count` receives, a message moves to the queue
/// `dead_letter_target_arn` names.
///
/// SQS takes it as JSON text, `maxReceiveCount` as a number or a string, and reports it
/// normalized, the count as a number:
///
/// ```
/// use aws_lite_queue::attributes::RedrivePolicy;
/// use aws_lite_queue::limits::Limits;
///
/// let text = r#"{"maxReceiveCount":"5","deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq"}"#;
/// let policy = RedrivePolicy::parse(text, &Limits::default()).unwrap();
/// assert_eq!(policy.max_receive_count, 5);
/// assert_eq!(
///     policy.to_json(),
///     r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":5}"#
/// );
///
/// let err = RedrivePolicy::parse(
///     r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":0}"#,
///     &Limits::default(),
/// )
/// .unwrap_err();
/// assert_eq!(err.code(), "InvalidParameterValue");
/// assert!(err.message().ends_with(
///     "Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive."
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RedrivePolicy {
    /// The ARN of the dead-letter queue.
    pub dead_letter_target_arn: String,
    /// How many receives a message gets before it moves (1 to 1,000).
    pub max_receive_count: u32,
}

impl RedrivePolicy {
    /// A policy moving messages to `dead_letter_target_arn` after `max_receive_count` receives.
    pub fn new(dead_letter_target_arn: impl Into<String>, max_receive_count: u32) -> RedrivePolicy {
        RedrivePolicy {
            dead_letter_target_arn: dead_letter_target_arn.into(),
            max_receive_count,
        }
    }

    /// Parses the JSON text SQS takes, checking it as SQS does, in this order:
    ///
    /// - not a JSON object: `InvalidAttributeValue` `Invalid value for the parameter
    ///   RedrivePolicy. Reason: Redrive policy is not a valid JSON map.`;
    /// - otherwise `InvalidParameterValue` `Value {text} for parameter RedrivePolicy is invalid.
    ///   Reason: …` with the reason `Redrive policy does not contain mandatory attribute:
    ///   maxReceiveCount.` (then `deadLetterTargetArn.`), `Invalid value for maxReceiveCount: {n},
    ///   valid values are from 1 to 1000 both inclusive.`, `Invalid value for
    ///   deadLetterTargetArn.` (not an ARN), `Only SQS queues are valid resources for
    ///   deadLetterTargetArn.` (an ARN of another service), or `Only following attributes are
    ///   supported: [maxReceiveCount, deadLetterTargetArn].`.
    ///
    /// The range of `maxReceiveCount` is [`Limits::max_receive_count`].
    pub fn parse(text: &str, limits: &Limits) -> Result<RedrivePolicy, Error> {
        let reject = |reason: &str| {
            invalid_parameter_value(format!(
                "Value {text} for parameter RedrivePolicy is invalid. Reason: {reason}"
            ))
        };
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
            return Err(invalid_attribute_value(REDRIVE_NOT_A_MAP_MESSAGE));
        };
        let Some(count) = map.get("maxReceiveCount") else {
            return Err(reject(
                "Redrive policy does not contain mandatory attribute: maxReceiveCount.",
            ));
        };
        let Some(arn) = map.get("deadLetterTargetArn") else {
            return Err(reject(
                "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.",
            ));
        };
        let quota = &limits.max_receive_count;
        let max_receive_count = match count {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => parse_digits(s),
            _ => None,
        }
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| quota.contains(n));
        let Some(max_receive_count) = max_receive_count else {
            let shown = match count {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            return Err(reject(&format!(
                "Invalid value for maxReceiveCount: {shown}, valid values are from {} to {} both inclusive.",
                quota.min, quota.max
            )));
        };
        let Some(arn) = arn.as_str().filter(|a| arn_service(a).is_some()) else {
            return Err(reject("Invalid value for deadLetterTargetArn."));
        };
        if arn_service(arn) != Some("sqs") {
            return Err(reject(
                "Only SQS queues are valid resources for deadLetterTargetArn.",
            ));
        }
        if map.len() > 2 {
            return Err(reject(
                "Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].",
            ));
        }
        Ok(RedrivePolicy::new(arn, max_receive_count))
    }

    /// The JSON text `GetQueueAttributes` reports:
    /// `{"deadLetterTargetArn":"…","maxReceiveCount":5}`.
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"deadLetterTargetArn":{},"maxReceiveCount":{}}}"#,
            json_string(&self.dead_letter_target_arn),
            self.max_receive_count
        )
    }
}

impl fmt::Display for RedrivePolicy {
    /// [`RedrivePolicy::to_json`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

// ---------------------------------------------------------------------------------------------
// RedriveAllowPolicy
// ---------------------------------------------------------------------------------------------

/// `redrivePermission` of a [`RedriveAllowPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RedrivePermission {
    /// `allowAll`: any source queue may use this queue as its dead-letter queue (the default).
    #[default]
    AllowAll,
    /// `denyAll`: no source queue may.
    DenyAll,
    /// `byQueue`: only the listed source queues may.
    ByQueue,
}

impl RedrivePermission {
    /// The value as SQS spells it: `allowAll`, `denyAll` or `byQueue`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RedrivePermission::AllowAll => "allowAll",
            RedrivePermission::DenyAll => "denyAll",
            RedrivePermission::ByQueue => "byQueue",
        }
    }
}

impl FromStr for RedrivePermission {
    type Err = Error;

    /// `allowAll`, `denyAll` or `byQueue`; anything else answers the "unsupported format" error
    /// of [`RedriveAllowPolicy::parse`].
    fn from_str(s: &str) -> Result<RedrivePermission, Error> {
        match s {
            "allowAll" => Ok(RedrivePermission::AllowAll),
            "denyAll" => Ok(RedrivePermission::DenyAll),
            "byQueue" => Ok(RedrivePermission::ByQueue),
            _ => Err(invalid_attribute_value(REDRIVE_ALLOW_FORMAT_MESSAGE)),
        }
    }
}

impl fmt::Display for RedrivePermission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dead-letter queue's `RedriveAllowPolicy`: which source queues may name it in their
/// [`RedrivePolicy`].
///
/// ```
/// use aws_lite_queue::attributes::{RedriveAllowPolicy, RedrivePermission};
/// use aws_lite_queue::limits::Limits;
///
/// let text = r#"{"redrivePermission":"byQueue","sourceQueueArns":["arn:aws:sqs:us-east-1:123456789012:a"]}"#;
/// let policy = RedriveAllowPolicy::parse(text, &Limits::default()).unwrap();
/// assert_eq!(policy.permission, RedrivePermission::ByQueue);
/// assert!(policy.allows("arn:aws:sqs:us-east-1:123456789012:a"));
/// assert!(!policy.allows("arn:aws:sqs:us-east-1:123456789012:b"));
/// assert_eq!(policy.to_json(), text);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct RedriveAllowPolicy {
    /// Who may use the queue as a dead-letter queue.
    pub permission: RedrivePermission,
    /// The allowed source queues, for [`RedrivePermission::ByQueue`] (1 to 10 ARNs); empty
    /// otherwise.
    pub source_queue_arns: Vec<String>,
}

impl RedriveAllowPolicy {
    /// `allowAll`.
    pub fn allow_all() -> RedriveAllowPolicy {
        RedriveAllowPolicy::default()
    }

    /// `denyAll`.
    pub fn deny_all() -> RedriveAllowPolicy {
        RedriveAllowPolicy {
            permission: RedrivePermission::DenyAll,
            source_queue_arns: Vec::new(),
        }
    }

    /// `byQueue` with these source queues.
    pub fn by_queue<I, S>(source_queue_arns: I) -> RedriveAllowPolicy
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        RedriveAllowPolicy {
            permission: RedrivePermission::ByQueue,
            source_queue_arns: source_queue_arns.into_iter().map(Into::into).collect(),
        }
    }

    /// Parses the JSON text SQS takes, checking it as SQS does:
    ///
    /// - not a JSON object, a missing or unknown `redrivePermission`, a field other than
    ///   `redrivePermission` and `sourceQueueArns`, or `sourceQueueArns` not a list of strings:
    ///   `InvalidAttributeValue` `Invalid value for the parameter RedriveAllowPolicy. Reason:
    ///   Amazon SQS can't create the redrive allow policy, as it’s in an unsupported format.`;
    /// - otherwise `InvalidParameterValue` `Value {text} for parameter RedriveAllowPolicy is
    ///   invalid. Reason: Amazon SQS can't create the redrive allow policy. …` followed by
    ///   `When you specify the byQueue permission type, you must also specify one or more
    ///   sourceQueueArns values.` (`byQueue` without ARNs), `The maximum number of source queue
    ///   ARNs you can specify is 10.` (more than [`Limits::max_redrive_allow_source_arns`]), or
    ///   `To specify one or more source queue ARNs, you must set redrivePermission to byQueue.`
    ///   (`allowAll` or `denyAll` with `sourceQueueArns`).
    pub fn parse(text: &str, limits: &Limits) -> Result<RedriveAllowPolicy, Error> {
        let unsupported = || invalid_attribute_value(REDRIVE_ALLOW_FORMAT_MESSAGE);
        let reject = |reason: &str| {
            invalid_parameter_value(format!(
                "Value {text} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. {reason}"
            ))
        };
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
            return Err(unsupported());
        };
        if map
            .keys()
            .any(|k| k != "redrivePermission" && k != "sourceQueueArns")
        {
            return Err(unsupported());
        }
        let permission: RedrivePermission = match map.get("redrivePermission") {
            Some(Value::String(s)) => s.parse()?,
            _ => return Err(unsupported()),
        };
        let arns: Option<Vec<String>> = match map.get("sourceQueueArns") {
            None => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Option<Vec<String>>>()
                    .ok_or_else(unsupported)?,
            ),
            Some(_) => return Err(unsupported()),
        };
        match permission {
            RedrivePermission::ByQueue => {
                let arns = arns.unwrap_or_default();
                if arns.is_empty() {
                    return Err(reject(
                        "When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.",
                    ));
                }
                let max = limits.max_redrive_allow_source_arns;
                if arns.len() > max {
                    return Err(reject(&format!(
                        "The maximum number of source queue ARNs you can specify is {max}."
                    )));
                }
                Ok(RedriveAllowPolicy::by_queue(arns))
            }
            RedrivePermission::AllowAll | RedrivePermission::DenyAll => {
                if arns.is_some() {
                    return Err(reject(
                        "To specify one or more source queue ARNs, you must set redrivePermission to byQueue.",
                    ));
                }
                Ok(RedriveAllowPolicy {
                    permission,
                    source_queue_arns: Vec::new(),
                })
            }
        }
    }

    /// The JSON text `GetQueueAttributes` reports: `{"redrivePermission":"allowAll"}`, or with
    /// `"sourceQueueArns":[…]` for `byQueue`.
    pub fn to_json(&self) -> String {
        match self.permission {
            RedrivePermission::ByQueue => {
                let arns: Vec<String> = self
                    .source_queue_arns
                    .iter()
                    .map(|a| json_string(a))
                    .collect();
                format!(
                    r#"{{"redrivePermission":"byQueue","sourceQueueArns":[{}]}}"#,
                    arns.join(",")
                )
            }
            other => format!(r#"{{"redrivePermission":"{}"}}"#, other.as_str()),
        }
    }

    /// Whether a queue with ARN `source_arn` may use this queue as its dead-letter queue.
    pub fn allows(&self, source_arn: &str) -> bool {
        match self.permission {
            RedrivePermission::AllowAll => true,
            RedrivePermission::DenyAll => false,
            RedrivePermission::ByQueue => self.source_queue_arns.iter().any(|a| a == source_arn),
        }
    }
}

impl fmt::Display for RedriveAllowPolicy {
    /// [`RedriveAllowPolicy::to_json`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

// ---------------------------------------------------------------------------------------------
// Queue names
// ---------------------------------------------------------------------------------------------

/// Checks a queue name for a standard (`fifo == false`) or FIFO queue, answering
/// `InvalidParameterValue` with SQS's message.
pub(crate) fn validate_queue_name(name: &str, fifo: bool) -> Result<(), Error> {
    let chars_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if fifo {
        match name.strip_suffix(".fifo") {
            Some(stem) if name.len() <= MAX_QUEUE_NAME_LEN && chars_ok(stem) => Ok(()),
            _ => Err(invalid_parameter_value(FIFO_NAME_MESSAGE)),
        }
    } else if name.len() <= MAX_QUEUE_NAME_LEN && chars_ok(name) {
        Ok(())
    } else {
        Err(invalid_parameter_value(STANDARD_NAME_MESSAGE))
    }
}

// ---------------------------------------------------------------------------------------------
// QueueConfig
// ---------------------------------------------------------------------------------------------

/// Every settable attribute of a queue, typed. Computed attributes (counts, timestamps, the ARN)
/// belong to the service layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueueConfig {
    /// Whether the queue is FIFO (fixed at creation).
    pub(crate) fifo: bool,
    /// `DelaySeconds`.
    pub(crate) delay_seconds: u32,
    /// `MaximumMessageSize`.
    pub(crate) maximum_message_size: ByteSize,
    /// `MessageRetentionPeriod`, in seconds.
    pub(crate) message_retention_period: u32,
    /// `ReceiveMessageWaitTimeSeconds`.
    pub(crate) receive_message_wait_time_seconds: u32,
    /// `VisibilityTimeout`, in seconds.
    pub(crate) visibility_timeout: u32,
    /// `Policy`, as the JSON text given.
    pub(crate) policy: Option<String>,
    /// `RedrivePolicy`.
    pub(crate) redrive_policy: Option<RedrivePolicy>,
    /// `RedriveAllowPolicy`; `None` behaves as `allowAll`.
    pub(crate) redrive_allow_policy: Option<RedriveAllowPolicy>,
    /// `KmsMasterKeyId`.
    pub(crate) kms_master_key_id: Option<String>,
    /// `KmsDataKeyReusePeriodSeconds` (kept even while no key is set).
    pub(crate) kms_data_key_reuse_period_seconds: u32,
    /// `SqsManagedSseEnabled`.
    pub(crate) sqs_managed_sse_enabled: bool,
    /// `ContentBasedDeduplication` (FIFO).
    pub(crate) content_based_deduplication: bool,
    /// `DeduplicationScope` (FIFO).
    pub(crate) deduplication_scope: DeduplicationScope,
    /// `FifoThroughputLimit` (FIFO).
    pub(crate) fifo_throughput_limit: FifoThroughputLimit,
}

/// Which operation attributes come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Set,
}

impl QueueConfig {
    /// The attributes of a new queue created without any.
    pub(crate) fn defaults(fifo: bool, limits: &Limits) -> QueueConfig {
        QueueConfig {
            fifo,
            delay_seconds: limits.delay_seconds.default,
            maximum_message_size: limits.maximum_message_size.default,
            message_retention_period: limits.message_retention_period.default,
            receive_message_wait_time_seconds: limits.receive_message_wait_time_seconds.default,
            visibility_timeout: limits.visibility_timeout.default,
            policy: None,
            redrive_policy: None,
            redrive_allow_policy: None,
            kms_master_key_id: None,
            kms_data_key_reuse_period_seconds: limits.kms_data_key_reuse_period_seconds.default,
            sqs_managed_sse_enabled: true,
            content_based_deduplication: false,
            deduplication_scope: DeduplicationScope::Queue,
            fifo_throughput_limit: FifoThroughputLimit::PerQueue,
        }
    }

    /// The configuration `CreateQueue(queue_name, attrs)` makes: checks the name (FIFO when
    /// `FifoQueue` is `true`), then every attribute name, then every value, then the
    /// combinations (encryption, high-throughput FIFO). See the [module docs](self).
    pub(crate) fn for_create(
        queue_name: &str,
        attrs: &HashMap<String, String>,
        limits: &Limits,
    ) -> Result<QueueConfig, Error> {
        let fifo = attrs.get("FifoQueue").map(String::as_str) == Some("true");
        validate_queue_name(queue_name, fifo)?;
        QueueConfig::defaults(fifo, limits).apply(attrs, limits, Mode::Create)
    }

    /// The configuration after `SetQueueAttributes(attrs)`: a new value, so a rejected call
    /// changes nothing. An empty string removes `Policy`, `RedrivePolicy`, `RedriveAllowPolicy`
    /// and `KmsMasterKeyId`.
    pub(crate) fn apply_set(
        &self,
        attrs: &HashMap<String, String>,
        limits: &Limits,
    ) -> Result<QueueConfig, Error> {
        self.clone().apply(attrs, limits, Mode::Set)
    }

    /// For `CreateQueue` on a name that exists: the attributes in `attrs` whose values differ
    /// from this queue's current ones, in [`QueueAttributeName::VARIANTS`] order. Empty means
    /// `CreateQueue` returns the existing URL. Attributes `attrs` leaves out never differ (SQS
    /// answers the existing URL to a `CreateQueue` without attributes even after
    /// `SetQueueAttributes` changed them). Check `attrs` with [`QueueConfig::for_create`] first:
    /// values that do not parse count as different.
    pub(crate) fn create_conflicts(
        &self,
        attrs: &HashMap<String, String>,
        limits: &Limits,
    ) -> Vec<&'static str> {
        let mut requested: Vec<(QueueAttributeName, &str)> = attrs
            .iter()
            .filter_map(|(k, v)| k.parse().ok().map(|n| (n, v.as_str())))
            .collect();
        requested.sort_by_key(|(n, _)| *n);
        requested
            .into_iter()
            .filter(|(name, value)| self.differs(*name, value, limits))
            .map(|(name, _)| name.as_str())
            .collect()
    }

    /// The values `GetQueueAttributes` reports for the configured attributes, in
    /// [`QueueAttributeName::VARIANTS`] order: numbers in decimal, booleans as `true`/`false`,
    /// policies as JSON text. Unset optional attributes are left out, as are the FIFO
    /// attributes of a standard queue and the KMS attributes of a queue without a key. The
    /// computed attributes are the service layer's.
    pub(crate) fn static_attributes(&self) -> Vec<(QueueAttributeName, String)> {
        QueueAttributeName::VARIANTS
            .into_iter()
            .filter_map(|n| self.value_of(n).map(|v| (n, v)))
            .collect()
    }

    /// The value `GetQueueAttributes` reports for `name`, or `None` when it reports nothing
    /// (unset, not applicable, or computed).
    pub(crate) fn value_of(&self, name: QueueAttributeName) -> Option<String> {
        use QueueAttributeName as N;
        match name {
            N::DelaySeconds => Some(self.delay_seconds.to_string()),
            N::MaximumMessageSize => Some(self.maximum_message_size.to_string()),
            N::MessageRetentionPeriod => Some(self.message_retention_period.to_string()),
            N::ReceiveMessageWaitTimeSeconds => {
                Some(self.receive_message_wait_time_seconds.to_string())
            }
            N::VisibilityTimeout => Some(self.visibility_timeout.to_string()),
            N::Policy => self.policy.clone(),
            N::RedrivePolicy => self.redrive_policy.as_ref().map(RedrivePolicy::to_json),
            N::RedriveAllowPolicy => self
                .redrive_allow_policy
                .as_ref()
                .map(RedriveAllowPolicy::to_json),
            N::KmsMasterKeyId => self.kms_master_key_id.clone(),
            N::KmsDataKeyReusePeriodSeconds => self
                .kms_master_key_id
                .as_ref()
                .map(|_| self.kms_data_key_reuse_period_seconds.to_string()),
            N::SqsManagedSseEnabled => Some(bool_str(self.sqs_managed_sse_enabled).to_owned()),
            N::FifoQueue => self.fifo.then(|| "true".to_owned()),
            N::ContentBasedDeduplication => self
                .fifo
                .then(|| bool_str(self.content_based_deduplication).to_owned()),
            N::DeduplicationScope => self
                .fifo
                .then(|| self.deduplication_scope.as_str().to_owned()),
            N::FifoThroughputLimit => self
                .fifo
                .then(|| self.fifo_throughput_limit.as_str().to_owned()),
            N::All
            | N::ApproximateNumberOfMessages
            | N::ApproximateNumberOfMessagesDelayed
            | N::ApproximateNumberOfMessagesNotVisible
            | N::CreatedTimestamp
            | N::LastModifiedTimestamp
            | N::QueueArn => None,
        }
    }

    /// The attributes `GetQueueAttributes(names)` asks for on this queue, in request order
    /// without repeats, `All` expanded to every attribute the queue type has. An unknown name
    /// answers `Unknown Attribute {name}.`; so does a FIFO-only name on a standard queue
    /// (confirmed for `FifoQueue` and `ContentBasedDeduplication`, inferred for
    /// `DeduplicationScope` and `FifoThroughputLimit`).
    pub(crate) fn resolve_names(&self, names: &[String]) -> Result<Vec<QueueAttributeName>, Error> {
        let mut out: Vec<QueueAttributeName> = Vec::new();
        let mut push = |n: QueueAttributeName| {
            if !out.contains(&n) {
                out.push(n);
            }
        };
        for raw in names {
            let name: QueueAttributeName = raw.parse()?;
            if name == QueueAttributeName::All {
                QueueAttributeName::VARIANTS
                    .into_iter()
                    .filter(|n| *n != QueueAttributeName::All)
                    .filter(|n| self.fifo || !n.is_fifo_only())
                    .for_each(&mut push);
            } else if !self.fifo && name.is_fifo_only() {
                return Err(unknown_attribute(raw));
            } else {
                push(name);
            }
        }
        Ok(out)
    }

    /// Applies `attrs` (names first, then values, then combinations) to `self`.
    fn apply(
        mut self,
        attrs: &HashMap<String, String>,
        limits: &Limits,
        mode: Mode,
    ) -> Result<QueueConfig, Error> {
        // Deterministic order: errors name the same attribute on every run.
        let mut entries: Vec<(&str, &str)> = attrs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        entries.sort_unstable();

        let mut named = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let name: QueueAttributeName = key.parse()?;
            self.check_name(name, key)?;
            named.push((name, key, value));
        }
        for &(name, key, value) in &named {
            self.set_value(name, key, value, limits, mode)?;
        }

        // Encryption: SQS-managed or KMS, never both.
        let sse_requested = attrs.get("SqsManagedSseEnabled").map(String::as_str) == Some("true");
        let kms_requested = attrs.get("KmsMasterKeyId").is_some_and(|k| !k.is_empty());
        if sse_requested && kms_requested {
            return Err(invalid_attribute_name(SSE_CONFLICT_MESSAGE));
        }
        if kms_requested {
            self.sqs_managed_sse_enabled = false;
        }
        if sse_requested {
            self.kms_master_key_id = None;
        }

        if self.fifo_throughput_limit == FifoThroughputLimit::PerMessageGroupId
            && self.deduplication_scope != DeduplicationScope::MessageGroup
        {
            return Err(invalid_attribute_value(THROUGHPUT_MESSAGE));
        }
        Ok(self)
    }

    /// Whether `name` may appear in `CreateQueue`/`SetQueueAttributes` for this queue type.
    fn check_name(&self, name: QueueAttributeName, key: &str) -> Result<(), Error> {
        if name == QueueAttributeName::All || name.is_computed() {
            return Err(unknown_attribute(key));
        }
        if !self.fifo {
            match name {
                QueueAttributeName::FifoQueue | QueueAttributeName::ContentBasedDeduplication => {
                    return Err(unknown_attribute(key));
                }
                QueueAttributeName::DeduplicationScope
                | QueueAttributeName::FifoThroughputLimit => {
                    return Err(invalid_attribute_name(format!(
                        "You can specify the {key} only when FifoQueue is set to true."
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Parses and stores one value.
    fn set_value(
        &mut self,
        name: QueueAttributeName,
        key: &str,
        value: &str,
        limits: &Limits,
        mode: Mode,
    ) -> Result<(), Error> {
        use QueueAttributeName as N;
        match name {
            N::DelaySeconds => self.delay_seconds = seconds(key, value, &limits.delay_seconds)?,
            N::MaximumMessageSize => {
                self.maximum_message_size = parse_digits(value)
                    .map(ByteSize::bytes)
                    .filter(|b| limits.maximum_message_size.contains(b))
                    .ok_or_else(|| invalid_value(key))?;
            }
            N::MessageRetentionPeriod => {
                self.message_retention_period =
                    seconds(key, value, &limits.message_retention_period)?;
            }
            N::ReceiveMessageWaitTimeSeconds => {
                self.receive_message_wait_time_seconds =
                    seconds(key, value, &limits.receive_message_wait_time_seconds)?;
            }
            N::VisibilityTimeout => {
                self.visibility_timeout = seconds(key, value, &limits.visibility_timeout)?;
            }
            N::KmsDataKeyReusePeriodSeconds => {
                self.kms_data_key_reuse_period_seconds =
                    seconds(key, value, &limits.kms_data_key_reuse_period_seconds)?;
            }
            N::Policy => self.policy = parse_policy(value)?,
            N::RedrivePolicy => {
                self.redrive_policy = if value.is_empty() {
                    None
                } else {
                    Some(RedrivePolicy::parse(value, limits)?)
                };
            }
            N::RedriveAllowPolicy => {
                self.redrive_allow_policy = if value.is_empty() {
                    None
                } else {
                    Some(RedriveAllowPolicy::parse(value, limits)?)
                };
            }
            N::KmsMasterKeyId => {
                self.kms_master_key_id = (!value.is_empty()).then(|| value.to_owned());
            }
            N::SqsManagedSseEnabled => {
                self.sqs_managed_sse_enabled =
                    parse_bool(value).ok_or_else(|| invalid_value(key))?;
            }
            N::FifoQueue => match value {
                // Creating a FIFO queue, or restating the type of one.
                "true" => {}
                "false" if mode == Mode::Set => {
                    return Err(invalid_attribute_value(MODIFY_TYPE_MESSAGE));
                }
                _ => return Err(invalid_value(key)),
            },
            N::ContentBasedDeduplication => {
                self.content_based_deduplication =
                    parse_bool(value).ok_or_else(|| invalid_value(key))?;
            }
            N::DeduplicationScope => self.deduplication_scope = value.parse()?,
            N::FifoThroughputLimit => self.fifo_throughput_limit = value.parse()?,
            N::All
            | N::ApproximateNumberOfMessages
            | N::ApproximateNumberOfMessagesDelayed
            | N::ApproximateNumberOfMessagesNotVisible
            | N::CreatedTimestamp
            | N::LastModifiedTimestamp
            | N::QueueArn => return Err(unknown_attribute(key)),
        }
        Ok(())
    }

    /// Whether the requested `value` of `name` differs from the current one.
    fn differs(&self, name: QueueAttributeName, value: &str, limits: &Limits) -> bool {
        use QueueAttributeName as N;
        let number = parse_digits(value);
        match name {
            N::DelaySeconds => number != Some(u64::from(self.delay_seconds)),
            N::MaximumMessageSize => number != Some(self.maximum_message_size.as_u64()),
            N::MessageRetentionPeriod => number != Some(u64::from(self.message_retention_period)),
            N::ReceiveMessageWaitTimeSeconds => {
                number != Some(u64::from(self.receive_message_wait_time_seconds))
            }
            N::VisibilityTimeout => number != Some(u64::from(self.visibility_timeout)),
            N::KmsDataKeyReusePeriodSeconds => {
                number != Some(u64::from(self.kms_data_key_reuse_period_seconds))
            }
            N::Policy => value != self.policy.as_deref().unwrap_or(""),
            N::RedrivePolicy => match value {
                "" => self.redrive_policy.is_some(),
                text => RedrivePolicy::parse(text, limits).ok() != self.redrive_policy,
            },
            N::RedriveAllowPolicy => match value {
                "" => self.redrive_allow_policy.is_some(),
                text => RedriveAllowPolicy::parse(text, limits).ok() != self.redrive_allow_policy,
            },
            N::KmsMasterKeyId => value != self.kms_master_key_id.as_deref().unwrap_or(""),
            N::SqsManagedSseEnabled => parse_bool(value) != Some(self.sqs_managed_sse_enabled),
            N::FifoQueue => parse_bool(value) != Some(self.fifo),
            N::ContentBasedDeduplication => {
                parse_bool(value) != Some(self.content_based_deduplication)
            }
            N::DeduplicationScope => value.parse().ok() != Some(self.deduplication_scope),
            N::FifoThroughputLimit => value.parse().ok() != Some(self.fifo_throughput_limit),
            // Rejected by validation before any comparison.
            N::All
            | N::ApproximateNumberOfMessages
            | N::ApproximateNumberOfMessagesDelayed
            | N::ApproximateNumberOfMessagesNotVisible
            | N::CreatedTimestamp
            | N::LastModifiedTimestamp
            | N::QueueArn => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `InvalidAttributeName` `Unknown Attribute {name}.`
fn unknown_attribute(name: &str) -> Error {
    invalid_attribute_name(format!("Unknown Attribute {name}."))
}

/// `InvalidAttributeValue` `Invalid value for the parameter {name}.`
fn invalid_value(name: &str) -> Error {
    invalid_attribute_value(format!("Invalid value for the parameter {name}."))
}

/// A non-negative decimal made of ASCII digits only.
fn parse_digits(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Exactly `true` or `false`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn bool_str(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// A seconds-valued attribute within `quota`.
fn seconds(name: &str, value: &str, quota: &Quota<u32>) -> Result<u32, Error> {
    parse_digits(value)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|n| quota.contains(n))
        .ok_or_else(|| invalid_value(name))
}

/// `Policy`: empty removes it; otherwise a JSON object, kept as given.
fn parse_policy(value: &str) -> Result<Option<String>, Error> {
    if value.is_empty() {
        return Ok(None);
    }
    match serde_json::from_str::<Value>(value) {
        Ok(Value::Object(_)) => Ok(Some(value.to_owned())),
        _ => Err(invalid_value("Policy")),
    }
}

/// The service of `arn:partition:service:region:account:resource`, if `arn` has that shape.
fn arn_service(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", partition, service, region, account, resource]
            if [partition, service, region, account, resource]
                .iter()
                .all(|p| !p.is_empty()) =>
        {
            Some(service)
        }
        _ => None,
    }
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::codes;

    const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:dlq";

    fn limits() -> Limits {
        Limits::default()
    }

    fn attrs(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn create(name: &str, pairs: &[(&str, &str)]) -> Result<QueueConfig, Error> {
        QueueConfig::for_create(name, &attrs(pairs), &limits())
    }

    fn set(config: &QueueConfig, pairs: &[(&str, &str)]) -> Result<QueueConfig, Error> {
        config.apply_set(&attrs(pairs), &limits())
    }

    fn standard() -> QueueConfig {
        QueueConfig::defaults(false, &limits())
    }

    fn fifo() -> QueueConfig {
        QueueConfig::defaults(true, &limits())
    }

    #[track_caller]
    fn assert_err<T: fmt::Debug>(result: Result<T, Error>, code: &str, message: &str) {
        let err = result.expect_err("expected an error");
        assert_eq!((err.code(), err.message()), (code, message));
        assert_eq!(err.status(), 400);
    }

    #[track_caller]
    fn value_of(config: &QueueConfig, name: QueueAttributeName) -> String {
        config.value_of(name).expect("attribute reported")
    }

    // ----- names -----

    #[test]
    fn names_round_trip() {
        assert_eq!(QueueAttributeName::VARIANTS.len(), 22);
        for name in QueueAttributeName::VARIANTS {
            assert_eq!(name.as_str().parse::<QueueAttributeName>().unwrap(), name);
            assert_eq!(name.to_string(), name.as_str());
        }
        let computed: Vec<_> = QueueAttributeName::VARIANTS
            .into_iter()
            .filter(|n| n.is_computed())
            .collect();
        assert_eq!(computed.len(), 6);
        let fifo_only: Vec<_> = QueueAttributeName::VARIANTS
            .into_iter()
            .filter(|n| n.is_fifo_only())
            .map(QueueAttributeName::as_str)
            .collect();
        assert_eq!(
            fifo_only,
            [
                "FifoQueue",
                "ContentBasedDeduplication",
                "DeduplicationScope",
                "FifoThroughputLimit"
            ]
        );
    }

    #[test]
    fn unknown_names_are_rejected_case_sensitively() {
        for bad in ["delaySeconds", "VisibilityTimeoutSeconds", "", "all"] {
            assert_err(
                bad.parse::<QueueAttributeName>(),
                codes::INVALID_ATTRIBUTE_NAME,
                &format!("Unknown Attribute {bad}."),
            );
        }
        assert_err(
            create("q", &[("Foo", "1")]),
            codes::INVALID_ATTRIBUTE_NAME,
            "Unknown Attribute Foo.",
        );
        assert_err(
            set(&standard(), &[("Foo", "1")]),
            codes::INVALID_ATTRIBUTE_NAME,
            "Unknown Attribute Foo.",
        );
    }

    #[test]
    fn computed_attributes_and_all_cannot_be_set() {
        for name in QueueAttributeName::VARIANTS
            .into_iter()
            .filter(|n| n.is_computed() || *n == QueueAttributeName::All)
        {
            let msg = format!("Unknown Attribute {name}.");
            assert_err(
                create("q", &[(name.as_str(), "1")]),
                codes::INVALID_ATTRIBUTE_NAME,
                &msg,
            );
            assert_err(
                set(&standard(), &[(name.as_str(), "1")]),
                codes::INVALID_ATTRIBUTE_NAME,
                &msg,
            );
            assert_err(
                set(&fifo(), &[(name.as_str(), "1")]),
                codes::INVALID_ATTRIBUTE_NAME,
                &msg,
            );
        }
    }

    // ----- defaults -----

    #[test]
    fn standard_defaults_as_get_queue_attributes_reports_them() {
        let config = create("q", &[]).unwrap();
        assert_eq!(config, standard());
        let reported: Vec<(&str, String)> = config
            .static_attributes()
            .into_iter()
            .map(|(n, v)| (n.as_str(), v))
            .collect();
        assert_eq!(
            reported,
            [
                ("DelaySeconds", "0".to_owned()),
                ("MaximumMessageSize", "1048576".to_owned()),
                ("MessageRetentionPeriod", "345600".to_owned()),
                ("ReceiveMessageWaitTimeSeconds", "0".to_owned()),
                ("VisibilityTimeout", "30".to_owned()),
                ("SqsManagedSseEnabled", "true".to_owned()),
            ]
        );
    }

    #[test]
    fn fifo_defaults_as_get_queue_attributes_reports_them() {
        let config = create("q.fifo", &[("FifoQueue", "true")]).unwrap();
        assert_eq!(config, fifo());
        let reported: Vec<(&str, String)> = config
            .static_attributes()
            .into_iter()
            .map(|(n, v)| (n.as_str(), v))
            .collect();
        assert_eq!(
            reported,
            [
                ("DelaySeconds", "0".to_owned()),
                ("MaximumMessageSize", "1048576".to_owned()),
                ("MessageRetentionPeriod", "345600".to_owned()),
                ("ReceiveMessageWaitTimeSeconds", "0".to_owned()),
                ("VisibilityTimeout", "30".to_owned()),
                ("SqsManagedSseEnabled", "true".to_owned()),
                ("FifoQueue", "true".to_owned()),
                ("ContentBasedDeduplication", "false".to_owned()),
                ("DeduplicationScope", "queue".to_owned()),
                ("FifoThroughputLimit", "perQueue".to_owned()),
            ]
        );
    }

    #[test]
    fn legacy_profile_defaults_and_caps_maximum_message_size() {
        let legacy = Limits::legacy_256k();
        let config = QueueConfig::for_create("q", &attrs(&[]), &legacy).unwrap();
        assert_eq!(
            value_of(&config, QueueAttributeName::MaximumMessageSize),
            "262144"
        );
        let ok = QueueConfig::for_create("q", &attrs(&[("MaximumMessageSize", "262144")]), &legacy);
        assert_eq!(ok.unwrap().maximum_message_size, ByteSize::kib(256));
        assert_err(
            QueueConfig::for_create("q", &attrs(&[("MaximumMessageSize", "262145")]), &legacy),
            codes::INVALID_ATTRIBUTE_VALUE,
            "Invalid value for the parameter MaximumMessageSize.",
        );
        // Today's profile takes it.
        assert!(create("q", &[("MaximumMessageSize", "262145")]).is_ok());
    }

    // ----- numeric attributes -----

    struct Numeric {
        name: &'static str,
        min: u64,
        max: u64,
        default: u64,
        get: fn(&QueueConfig) -> u64,
    }

    const NUMERIC: [Numeric; 6] = [
        Numeric {
            name: "DelaySeconds",
            min: 0,
            max: 900,
            default: 0,
            get: |c| u64::from(c.delay_seconds),
        },
        Numeric {
            name: "MaximumMessageSize",
            min: 1_024,
            max: 1_048_576,
            default: 1_048_576,
            get: |c| c.maximum_message_size.as_u64(),
        },
        Numeric {
            name: "MessageRetentionPeriod",
            min: 60,
            max: 1_209_600,
            default: 345_600,
            get: |c| u64::from(c.message_retention_period),
        },
        Numeric {
            name: "ReceiveMessageWaitTimeSeconds",
            min: 0,
            max: 20,
            default: 0,
            get: |c| u64::from(c.receive_message_wait_time_seconds),
        },
        Numeric {
            name: "VisibilityTimeout",
            min: 0,
            max: 43_200,
            default: 30,
            get: |c| u64::from(c.visibility_timeout),
        },
        Numeric {
            name: "KmsDataKeyReusePeriodSeconds",
            min: 60,
            max: 86_400,
            default: 300,
            get: |c| u64::from(c.kms_data_key_reuse_period_seconds),
        },
    ];

    #[test]
    fn numeric_defaults() {
        for n in &NUMERIC {
            assert_eq!((n.get)(&standard()), n.default, "{}", n.name);
            assert_eq!((n.get)(&fifo()), n.default, "{}", n.name);
        }
    }

    #[test]
    fn numeric_range_ends_are_accepted() {
        for n in &NUMERIC {
            for v in [n.min, n.max] {
                let text = v.to_string();
                let created = create("q", &[(n.name, &text)]).unwrap();
                assert_eq!((n.get)(&created), v, "{} = {v} on create", n.name);
                let updated = set(&fifo(), &[(n.name, &text)]).unwrap();
                assert_eq!((n.get)(&updated), v, "{} = {v} on set", n.name);
                let name: QueueAttributeName = n.name.parse().unwrap();
                if name != QueueAttributeName::KmsDataKeyReusePeriodSeconds {
                    assert_eq!(value_of(&updated, name), text);
                }
            }
        }
    }

    #[test]
    fn numeric_one_past_each_end_is_rejected() {
        for n in &NUMERIC {
            let msg = format!("Invalid value for the parameter {}.", n.name);
            let below = n
                .min
                .checked_sub(1)
                .map_or("-1".to_owned(), |v| v.to_string());
            let above = (n.max + 1).to_string();
            for bad in [below.as_str(), above.as_str()] {
                assert_err(
                    create("q", &[(n.name, bad)]),
                    codes::INVALID_ATTRIBUTE_VALUE,
                    &msg,
                );
                assert_err(
                    set(&standard(), &[(n.name, bad)]),
                    codes::INVALID_ATTRIBUTE_VALUE,
                    &msg,
                );
            }
        }
    }

    #[test]
    fn numeric_malformed_values_are_rejected() {
        for n in &NUMERIC {
            let msg = format!("Invalid value for the parameter {}.", n.name);
            for bad in [
                "",
                " 100",
                "100 ",
                "+100",
                "100.0",
                "1e3",
                "abc",
                "true",
                "99999999999999999999",
            ] {
                assert_err(
                    create("q", &[(n.name, bad)]),
                    codes::INVALID_ATTRIBUTE_VALUE,
                    &msg,
                );
            }
        }
        // Leading zeros are a number like any other, reported in canonical form.
        let config = create("q", &[("VisibilityTimeout", "0045")]).unwrap();
        assert_eq!(
            value_of(&config, QueueAttributeName::VisibilityTimeout),
            "45"
        );
    }

    // ----- booleans and enums -----

    #[test]
    fn sqs_managed_sse_enabled() {
        assert!(standard().sqs_managed_sse_enabled);
        let off = create("q", &[("SqsManagedSseEnabled", "false")]).unwrap();
        assert_eq!(
            value_of(&off, QueueAttributeName::SqsManagedSseEnabled),
            "false"
        );
        let on = set(&off, &[("SqsManagedSseEnabled", "true")]).unwrap();
        assert_eq!(
            value_of(&on, QueueAttributeName::SqsManagedSseEnabled),
            "true"
        );
        for bad in ["True", "FALSE", "1", "yes", ""] {
            assert_err(
                create("q", &[("SqsManagedSseEnabled", bad)]),
                codes::INVALID_ATTRIBUTE_VALUE,
                "Invalid value for the parameter SqsManagedSseEnabled.",
            );
        }
    }

    #[test]
    fn content_based_deduplication() {
        assert!(!fifo().content_based_deduplication);
        let on = create(
            "q.fifo",
            &[("FifoQueue", "true"), ("ContentBasedDeduplication", "true")],
        )
        .unwrap();
        assert!(on.content_based_deduplication);
        let off = set(&on, &[("ContentBasedDeduplication", "false")]).unwrap();
        assert_eq!(
            value_of(&off, QueueAttributeName::ContentBasedDeduplication),
            "false"
        );
        assert_err(
            set(&on, &[("ContentBasedDeduplication", "maybe")]),
            codes::INVALID_ATTRIBUTE_VALUE,
            "Invalid value for the parameter ContentBasedDeduplication.",
        );
    }

    #[test]
    fn deduplication_scope_and_throughput_limit() {
        assert_eq!(fifo().deduplication_scope, DeduplicationScope::Queue);
        assert_eq!(fifo().fifo_throughput_limit, FifoThroughputLimit::PerQueue);
        let high = create(
            "q.fifo",
            &[
                ("FifoQueue", "true"),
                ("DeduplicationScope", "messageGroup"),
                ("FifoThroughputLimit", "perMessageGroupId"),
            ],
        )
        .unwrap();
        assert_eq!(
            value_of(&high, QueueAttributeName::DeduplicationScope),
            "messageGroup"
        );
        assert_eq!(
            value_of(&high, QueueAttributeName::FifoThroughputLimit),
            "perMessageGroupId"
        );
        // Per-group deduplication with the normal quota is allowed.
        let back = set(&high, &[("FifoThroughputLimit", "perQueue")]).unwrap();
        assert_eq!(back.fifo_throughput_limit, FifoThroughputLimit::PerQueue);
        assert_eq!(back.deduplication_scope, DeduplicationScope::MessageGroup);
        // High throughput needs per-group deduplication, on create and on set.
        let msg = "Invalid value for the parameter FifoThroughputLimit. Reason: To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.";
        assert_err(
            create(
                "q.fifo",
                &[
                    ("FifoQueue", "true"),
                    ("FifoThroughputLimit", "perMessageGroupId"),
                ],
            ),
            codes::INVALID_ATTRIBUTE_VALUE,
            msg,
        );
        assert_err(
            set(&high, &[("DeduplicationScope", "queue")]),
            codes::INVALID_ATTRIBUTE_VALUE,
            msg,
        );
        assert_err(
            set(&fifo(), &[("DeduplicationScope", "group")]),
            codes::INVALID_ATTRIBUTE_VALUE,
            "Invalid value for the parameter DeduplicationScope.",
        );
        assert_err(
            set(&fifo(), &[("FifoThroughputLimit", "PerQueue")]),
            codes::INVALID_ATTRIBUTE_VALUE,
            "Invalid value for the parameter FifoThroughputLimit.",
        );
        for v in [DeduplicationScope::Queue, DeduplicationScope::MessageGroup] {
            assert_eq!(v.to_string().parse::<DeduplicationScope>().unwrap(), v);
        }
        for v in [
            FifoThroughputLimit::PerQueue,
            FifoThroughputLimit::PerMessageGroupId,
        ] {
            assert_eq!(v.to_string().parse::<FifoThroughputLimit>().unwrap(), v);
        }
    }

    // ----- Policy -----

    #[test]
    fn policy_is_kept_as_given_and_cleared_by_empty_string() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}"#;
        assert_eq!(standard().value_of(QueueAttributeName::Policy), None);
        let config = create("q", &[("Policy", text)]).unwrap();
        assert_eq!(value_of(&config, QueueAttributeName::Policy), text);
        let cleared = set(&config, &[("Policy", "")]).unwrap();
        assert_eq!(cleared.policy, None);
        assert!(create("q", &[("Policy", "")]).unwrap().policy.is_none());
        for bad in ["badjson", "[]", "\"string\"", "533", "null"] {
            assert_err(
                set(&standard(), &[("Policy", bad)]),
                codes::INVALID_ATTRIBUTE_VALUE,
                "Invalid value for the parameter Policy.",
            );
        }
    }

    // ----- KMS and SQS-managed encryption -----

    #[test]
    fn kms_key_turns_sqs_managed_encryption_off() {
        assert_eq!(
            standard().value_of(QueueAttributeName::KmsMasterKeyId),
            None
        );
        assert_eq!(
            standard().value_of(QueueAttributeName::KmsDataKeyReusePeriodSeconds),
            None
        );
        let kms = set(
            &standard(),
            &[
                ("KmsMasterKeyId", "testKeyId"),
                ("KmsDataKeyReusePeriodSeconds", "6000"),
                ("SqsManagedSseEnabled", "false"),
            ],
        )
        .unwrap();
        let wanted = [
            ("KmsMasterKeyId", "testKeyId"),
            ("KmsDataKeyReusePeriodSeconds", "6000"),
            ("SqsManagedSseEnabled", "false"),
        ];
        for (name, v) in wanted {
            assert_eq!(value_of(&kms, name.parse().unwrap()), v);
        }
        // A key alone also switches SQS-managed encryption off, with the default reuse period.
        let key_only = create("q", &[("KmsMasterKeyId", "alias/aws/sqs")]).unwrap();
        assert!(!key_only.sqs_managed_sse_enabled);
        assert_eq!(
            value_of(&key_only, QueueAttributeName::KmsDataKeyReusePeriodSeconds),
            "300"
        );
        // SQS-managed encryption removes the key.
        let sqs = set(&kms, &[("SqsManagedSseEnabled", "true")]).unwrap();
        assert_eq!(sqs.kms_master_key_id, None);
        assert_eq!(
            sqs.value_of(QueueAttributeName::KmsDataKeyReusePeriodSeconds),
            None
        );
        // An empty key removes it.
        assert_eq!(
            set(&kms, &[("KmsMasterKeyId", "")])
                .unwrap()
                .kms_master_key_id,
            None
        );
    }

    #[test]
    fn kms_and_sqs_managed_encryption_are_mutually_exclusive() {
        let msg = "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.";
        let both = [
            ("KmsMasterKeyId", "testKeyId"),
            ("SqsManagedSseEnabled", "true"),
        ];
        assert_err(set(&standard(), &both), codes::INVALID_ATTRIBUTE_NAME, msg);
        assert_err(create("q", &both), codes::INVALID_ATTRIBUTE_NAME, msg);
    }

    // ----- FIFO names and FIFO-only attributes -----

    #[test]
    fn queue_names() {
        let standard_msg =
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
        let fifo_msg = "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.";
        let max = "a".repeat(80);
        let max_fifo = format!("{}.fifo", "a".repeat(75));
        assert!(create(&max, &[]).is_ok());
        assert!(create("Az09-_", &[]).is_ok());
        assert!(create(&max_fifo, &[("FifoQueue", "true")]).is_ok());
        assert!(create("a.fifo", &[("FifoQueue", "true")]).unwrap().fifo);
        for bad in [
            "a".repeat(81),
            String::new(),
            "in.fo".to_owned(),
            "a b".to_owned(),
            "q/x".to_owned(),
            "ééwwà".to_owned(),
            // A FIFO name without FifoQueue=true is a bad standard name.
            "a.fifo".to_owned(),
        ] {
            assert_err(
                create(&bad, &[]),
                codes::INVALID_PARAMETER_VALUE,
                standard_msg,
            );
        }
        // The name is checked before the attributes.
        assert_err(
            create("a.fifo", &[("FifoQueue", "false")]),
            codes::INVALID_PARAMETER_VALUE,
            standard_msg,
        );
        assert_err(
            create("a.fifo", &[("FifoQueue", "TRUE")]),
            codes::INVALID_PARAMETER_VALUE,
            standard_msg,
        );
        for bad in [
            "a".to_owned(),
            "a.ifo".to_owned(),
            ".fifo".to_owned(),
            "a.b.fifo".to_owned(),
            format!("{}.fifo", "a".repeat(76)),
        ] {
            assert_err(
                create(&bad, &[("FifoQueue", "true")]),
                codes::INVALID_PARAMETER_VALUE,
                fifo_msg,
            );
        }
    }

    #[test]
    fn fifo_attributes_on_a_standard_queue() {
        for (name, value, msg) in [
            ("FifoQueue", "false", "Unknown Attribute FifoQueue."),
            (
                "ContentBasedDeduplication",
                "false",
                "Unknown Attribute ContentBasedDeduplication.",
            ),
            (
                "DeduplicationScope",
                "queue",
                "You can specify the DeduplicationScope only when FifoQueue is set to true.",
            ),
            (
                "FifoThroughputLimit",
                "perQueue",
                "You can specify the FifoThroughputLimit only when FifoQueue is set to true.",
            ),
        ] {
            assert_err(
                create("q", &[(name, value)]),
                codes::INVALID_ATTRIBUTE_NAME,
                msg,
            );
            assert_err(
                set(&standard(), &[(name, value)]),
                codes::INVALID_ATTRIBUTE_NAME,
                msg,
            );
        }
        // FifoQueue=true on a standard name is a bad FIFO name, not an unknown attribute.
        assert_err(
            create("q", &[("FifoQueue", "true")]),
            codes::INVALID_PARAMETER_VALUE,
            "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
        );
        // Set on a standard queue: FifoQueue=true is unknown too.
        assert_err(
            set(&standard(), &[("FifoQueue", "true")]),
            codes::INVALID_ATTRIBUTE_NAME,
            "Unknown Attribute FifoQueue.",
        );
    }

    #[test]
    fn fifo_queue_type_cannot_change() {
        assert_eq!(set(&fifo(), &[("FifoQueue", "true")]).unwrap(), fifo());
        assert_err(
            set(&fifo(), &[("FifoQueue", "false")]),
            codes::INVALID_ATTRIBUTE_VALUE,
            "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
        );
        assert_err(
            set(&fifo(), &[("FifoQueue", "yes")]),
            codes::INVALID_ATTRIBUTE_VALUE,
            "Invalid value for the parameter FifoQueue.",
        );
    }

    #[test]
    fn errors_name_the_same_attribute_every_time() {
        // Two bad names: the alphabetically first is reported.
        for _ in 0..20 {
            assert_err(
                create("q", &[("Zed", "1"), ("Alpha", "1"), ("Middle", "1")]),
                codes::INVALID_ATTRIBUTE_NAME,
                "Unknown Attribute Alpha.",
            );
        }
        // A bad name is reported before a bad value.
        assert_err(
            create("q", &[("DelaySeconds", "901"), ("Zed", "1")]),
            codes::INVALID_ATTRIBUTE_NAME,
            "Unknown Attribute Zed.",
        );
        assert_err(
            create(
                "q",
                &[
                    ("DeduplicationScope", "queue"),
                    ("FifoThroughputLimit", "perQueue"),
                ],
            ),
            codes::INVALID_ATTRIBUTE_NAME,
            "You can specify the DeduplicationScope only when FifoQueue is set to true.",
        );
    }

    // ----- SetQueueAttributes -----

    #[test]
    fn set_returns_a_new_config_and_a_rejected_call_changes_nothing() {
        let before = standard();
        let after = set(
            &before,
            &[("VisibilityTimeout", "60"), ("DelaySeconds", "5")],
        )
        .unwrap();
        assert_eq!((after.visibility_timeout, after.delay_seconds), (60, 5));
        // All or nothing: the valid VisibilityTimeout is not applied either.
        assert!(
            set(
                &after,
                &[("VisibilityTimeout", "90"), ("DelaySeconds", "901")]
            )
            .is_err()
        );
        assert_eq!(after.visibility_timeout, 60);
        assert_eq!(set(&after, &[]).unwrap(), after);
    }

    #[test]
    fn empty_strings_remove_policies() {
        let with = create(
            "q",
            &[
                ("Policy", "{}"),
                (
                    "RedrivePolicy",
                    &format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":3}}"#),
                ),
                ("RedriveAllowPolicy", r#"{"redrivePermission":"denyAll"}"#),
            ],
        )
        .unwrap();
        assert!(with.policy.is_some() && with.redrive_policy.is_some());
        assert!(with.redrive_allow_policy.is_some());
        let without = set(
            &with,
            &[
                ("Policy", ""),
                ("RedrivePolicy", ""),
                ("RedriveAllowPolicy", ""),
            ],
        )
        .unwrap();
        assert_eq!(without, standard());
    }

    // ----- RedrivePolicy -----

    fn redrive(text: &str) -> Result<RedrivePolicy, Error> {
        RedrivePolicy::parse(text, &limits())
    }

    #[test]
    fn redrive_policy_parse_and_print() {
        let canonical = format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":5}}"#);
        for text in [
            canonical.clone(),
            format!(r#"{{"maxReceiveCount":"5","deadLetterTargetArn":"{DLQ}"}}"#),
            format!(r#"{{ "deadLetterTargetArn": "{DLQ}", "maxReceiveCount": 5 }}"#),
        ] {
            let policy = redrive(&text).unwrap();
            assert_eq!(policy, RedrivePolicy::new(DLQ, 5));
            assert_eq!(policy.to_json(), canonical);
            assert_eq!(policy.to_string(), canonical);
            assert_eq!(redrive(&policy.to_json()).unwrap(), policy);
        }
        for count in [1, 1000] {
            let text = format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":{count}}}"#);
            assert_eq!(redrive(&text).unwrap().max_receive_count, count);
        }
        // Reported through the queue.
        let config = create(
            "q",
            &[(
                "RedrivePolicy",
                &format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":"7"}}"#),
            )],
        )
        .unwrap();
        assert_eq!(
            value_of(&config, QueueAttributeName::RedrivePolicy),
            format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":7}}"#)
        );
    }

    #[test]
    fn redrive_policy_max_receive_count_range() {
        for count in ["0", "1001", "-36", "\"0\"", "\"abc\"", "2.5", "null"] {
            let text = format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":{count}}}"#);
            let shown = count.trim_matches('"');
            assert_err(
                redrive(&text),
                codes::INVALID_PARAMETER_VALUE,
                &format!(
                    "Value {text} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: {shown}, valid values are from 1 to 1000 both inclusive."
                ),
            );
            assert_err(
                create("q", &[("RedrivePolicy", &text)]),
                codes::INVALID_PARAMETER_VALUE,
                &format!(
                    "Value {text} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: {shown}, valid values are from 1 to 1000 both inclusive."
                ),
            );
        }
    }

    #[test]
    fn redrive_policy_shape_errors() {
        assert_err(
            redrive("{}"),
            codes::INVALID_PARAMETER_VALUE,
            "Value {} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: maxReceiveCount.",
        );
        assert_err(
            redrive(r#"{"maxReceiveCount":5}"#),
            codes::INVALID_PARAMETER_VALUE,
            r#"Value {"maxReceiveCount":5} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn."#,
        );
        // Recorded against AWS.
        assert_err(
            redrive(r#"{"deadLetterTargetArn": "dummy", "maxReceiveCount": 42}"#),
            codes::INVALID_PARAMETER_VALUE,
            r#"Value {"deadLetterTargetArn": "dummy", "maxReceiveCount": 42} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn."#,
        );
        assert_err(
            redrive(
                r#"{"deadLetterTargetArn":"arn:aws:sns:us-east-1:123456789012:MyTopic","maxReceiveCount":5}"#,
            ),
            codes::INVALID_PARAMETER_VALUE,
            r#"Value {"deadLetterTargetArn":"arn:aws:sns:us-east-1:123456789012:MyTopic","maxReceiveCount":5} for parameter RedrivePolicy is invalid. Reason: Only SQS queues are valid resources for deadLetterTargetArn."#,
        );
        let extra =
            format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":5,"dummyField":"x"}}"#);
        assert_err(
            redrive(&extra),
            codes::INVALID_PARAMETER_VALUE,
            &format!(
                "Value {extra} for parameter RedrivePolicy is invalid. Reason: Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn]."
            ),
        );
        for bad in [" ", "4", "[]", "not json"] {
            assert_err(
                redrive(bad),
                codes::INVALID_ATTRIBUTE_VALUE,
                "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.",
            );
        }
    }

    #[test]
    fn redrive_policy_range_follows_limits() {
        let mut tight = Limits::aws();
        tight.max_receive_count = Quota::new(1, 3, 1);
        let text = format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":4}}"#);
        assert_err(
            RedrivePolicy::parse(&text, &tight),
            codes::INVALID_PARAMETER_VALUE,
            &format!(
                "Value {text} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 4, valid values are from 1 to 3 both inclusive."
            ),
        );
    }

    // ----- RedriveAllowPolicy -----

    fn allow(text: &str) -> Result<RedriveAllowPolicy, Error> {
        RedriveAllowPolicy::parse(text, &limits())
    }

    fn arns(n: usize) -> Vec<String> {
        (1..=n)
            .map(|i| format!("arn:aws:sqs:us-east-1:123456789012:x{i}"))
            .collect()
    }

    #[test]
    fn redrive_allow_policy_parse_and_print() {
        for (text, policy) in [
            (
                r#"{"redrivePermission":"allowAll"}"#.to_owned(),
                RedriveAllowPolicy::allow_all(),
            ),
            (
                r#"{"redrivePermission":"denyAll"}"#.to_owned(),
                RedriveAllowPolicy::deny_all(),
            ),
            (
                format!(
                    r#"{{"redrivePermission":"byQueue","sourceQueueArns":["{}","{}"]}}"#,
                    arns(2)[0],
                    arns(2)[1]
                ),
                RedriveAllowPolicy::by_queue(arns(2)),
            ),
        ] {
            assert_eq!(allow(&text).unwrap(), policy);
            assert_eq!(policy.to_json(), text);
            assert_eq!(policy.to_string(), text);
            let config = create("q", &[("RedriveAllowPolicy", &text)]).unwrap();
            assert_eq!(
                value_of(&config, QueueAttributeName::RedriveAllowPolicy),
                text
            );
        }
        let ten = RedriveAllowPolicy::by_queue(arns(10));
        assert_eq!(allow(&ten.to_json()).unwrap(), ten);
        // Key order and spacing do not matter.
        let spaced = format!(
            r#"{{ "sourceQueueArns": ["{}"], "redrivePermission": "byQueue" }}"#,
            arns(1)[0]
        );
        assert_eq!(
            allow(&spaced).unwrap(),
            RedriveAllowPolicy::by_queue(arns(1))
        );
    }

    #[test]
    fn redrive_allow_policy_allows() {
        let a = &arns(2)[0];
        let b = &arns(2)[1];
        assert!(RedriveAllowPolicy::allow_all().allows(a));
        assert!(!RedriveAllowPolicy::deny_all().allows(a));
        let by = RedriveAllowPolicy::by_queue([a.clone()]);
        assert!(by.allows(a) && !by.allows(b));
    }

    #[test]
    fn redrive_allow_policy_errors() {
        let reject = |text: &str, reason: &str| {
            assert_err(
                allow(text),
                codes::INVALID_PARAMETER_VALUE,
                &format!(
                    "Value {text} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. {reason}"
                ),
            );
        };
        let need_arns = "When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.";
        reject(r#"{"redrivePermission":"byQueue"}"#, need_arns);
        reject(
            r#"{"redrivePermission":"byQueue","sourceQueueArns":[]}"#,
            need_arns,
        );
        let eleven =
            serde_json::json!({"redrivePermission": "byQueue", "sourceQueueArns": arns(11)})
                .to_string();
        reject(
            &eleven,
            "The maximum number of source queue ARNs you can specify is 10.",
        );
        for permission in ["allowAll", "denyAll"] {
            reject(
                &format!(
                    r#"{{"redrivePermission":"{permission}","sourceQueueArns":["{}"]}}"#,
                    arns(1)[0]
                ),
                "To specify one or more source queue ARNs, you must set redrivePermission to byQueue.",
            );
        }
        for bad in [
            "badjson",
            "[]",
            "444",
            "{}",
            r#"{"redrivePermission":"dummy"}"#,
            r#"{"redrivePermission":"allowAll","dummy":"value"}"#,
            r#"{"redrivePermission":"byQueue","sourceQueueArns":"arn:aws:sqs"}"#,
            r#"{"redrivePermission":"byQueue","sourceQueueArns":[{"dummy":"value"}]}"#,
        ] {
            assert_err(
                allow(bad),
                codes::INVALID_ATTRIBUTE_VALUE,
                "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't create the redrive allow policy, as it\u{2019}s in an unsupported format.",
            );
        }
        for v in [
            RedrivePermission::AllowAll,
            RedrivePermission::DenyAll,
            RedrivePermission::ByQueue,
        ] {
            assert_eq!(v.to_string().parse::<RedrivePermission>().unwrap(), v);
        }
    }

    // ----- CreateQueue on an existing name -----

    #[test]
    fn create_conflicts_compare_only_requested_attributes() {
        let l = limits();
        let existing = create(
            "q",
            &[
                ("ReceiveMessageWaitTimeSeconds", "1"),
                ("DelaySeconds", "1"),
            ],
        )
        .unwrap();
        // No attributes, or the same ones: the existing URL.
        assert!(existing.create_conflicts(&attrs(&[]), &l).is_empty());
        assert!(
            existing
                .create_conflicts(&attrs(&[("DelaySeconds", "1")]), &l)
                .is_empty()
        );
        // A different value.
        assert_eq!(
            existing.create_conflicts(
                &attrs(&[
                    ("ReceiveMessageWaitTimeSeconds", "1"),
                    ("DelaySeconds", "2")
                ]),
                &l
            ),
            ["DelaySeconds"]
        );
        // An omitted attribute set to a non-default value never conflicts...
        let modified = set(&standard(), &[("VisibilityTimeout", "2")]).unwrap();
        assert!(modified.create_conflicts(&attrs(&[]), &l).is_empty());
        assert!(
            modified
                .create_conflicts(&attrs(&[("DelaySeconds", "0")]), &l)
                .is_empty()
        );
        // ...but naming it with its old (or default) value does: comparison is with current values.
        assert_eq!(
            modified.create_conflicts(&attrs(&[("VisibilityTimeout", "30")]), &l),
            ["VisibilityTimeout"]
        );
        assert!(
            modified
                .create_conflicts(&attrs(&[("VisibilityTimeout", "2")]), &l)
                .is_empty()
        );
        // Several differences come back in canonical order.
        assert_eq!(
            existing.create_conflicts(
                &attrs(&[
                    ("VisibilityTimeout", "9"),
                    ("DelaySeconds", "9"),
                    ("MessageRetentionPeriod", "345600")
                ]),
                &l
            ),
            ["DelaySeconds", "VisibilityTimeout"]
        );
    }

    #[test]
    fn create_conflicts_compare_parsed_values() {
        let l = limits();
        let rp_number = format!(r#"{{"deadLetterTargetArn":"{DLQ}","maxReceiveCount":5}}"#);
        let rp_string = format!(r#"{{"maxReceiveCount":"5","deadLetterTargetArn":"{DLQ}"}}"#);
        let existing = create(
            "q",
            &[("RedrivePolicy", &rp_number), ("DelaySeconds", "10")],
        )
        .unwrap();
        assert!(
            existing
                .create_conflicts(
                    &attrs(&[("RedrivePolicy", &rp_string), ("DelaySeconds", "010")]),
                    &l
                )
                .is_empty()
        );
        assert_eq!(
            existing.create_conflicts(&attrs(&[("RedrivePolicy", "")]), &l),
            ["RedrivePolicy"]
        );
        // Empty strings equal "unset".
        assert!(
            standard()
                .create_conflicts(
                    &attrs(&[
                        ("Policy", ""),
                        ("RedrivePolicy", ""),
                        ("KmsMasterKeyId", "")
                    ]),
                    &l
                )
                .is_empty()
        );
        // FIFO attributes.
        let f = create(
            "q.fifo",
            &[("FifoQueue", "true"), ("ContentBasedDeduplication", "true")],
        )
        .unwrap();
        assert!(
            f.create_conflicts(&attrs(&[("FifoQueue", "true")]), &l)
                .is_empty()
        );
        assert_eq!(
            f.create_conflicts(
                &attrs(&[
                    ("FifoQueue", "true"),
                    ("ContentBasedDeduplication", "false")
                ]),
                &l
            ),
            ["ContentBasedDeduplication"]
        );
        assert_eq!(
            f.create_conflicts(&attrs(&[("DeduplicationScope", "messageGroup")]), &l),
            ["DeduplicationScope"]
        );
        // Unparsable values count as different.
        assert_eq!(
            standard().create_conflicts(&attrs(&[("SqsManagedSseEnabled", "TRUE")]), &l),
            ["SqsManagedSseEnabled"]
        );
    }

    // ----- GetQueueAttributes -----

    #[test]
    fn resolve_names_expands_all_per_queue_type() {
        let all = [String::from("All")];
        let std_names = standard().resolve_names(&all).unwrap();
        assert_eq!(std_names.len(), 17);
        assert!(!std_names.iter().any(|n| n.is_fifo_only()));
        assert!(!std_names.contains(&QueueAttributeName::All));
        assert!(std_names.contains(&QueueAttributeName::QueueArn));
        let fifo_names = fifo().resolve_names(&all).unwrap();
        assert_eq!(fifo_names.len(), 21);
        assert_eq!(fifo_names[..], QueueAttributeName::VARIANTS[1..]);
        assert!(standard().resolve_names(&[]).unwrap().is_empty());
    }

    #[test]
    fn resolve_names_keeps_request_order_without_repeats() {
        let names: Vec<String> = ["VisibilityTimeout", "QueueArn", "VisibilityTimeout"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            standard().resolve_names(&names).unwrap(),
            [
                QueueAttributeName::VisibilityTimeout,
                QueueAttributeName::QueueArn
            ]
        );
        let mut with_all = names.clone();
        with_all.push("All".into());
        let resolved = standard().resolve_names(&with_all).unwrap();
        assert_eq!(resolved.len(), 17);
        assert_eq!(resolved[0], QueueAttributeName::VisibilityTimeout);
    }

    #[test]
    fn resolve_names_rejects_unknown_and_fifo_only_names_on_standard_queues() {
        assert_err(
            standard().resolve_names(&["Bogus".to_owned()]),
            codes::INVALID_ATTRIBUTE_NAME,
            "Unknown Attribute Bogus.",
        );
        for name in [
            "FifoQueue",
            "ContentBasedDeduplication",
            "DeduplicationScope",
            "FifoThroughputLimit",
        ] {
            assert_err(
                standard().resolve_names(&[name.to_owned()]),
                codes::INVALID_ATTRIBUTE_NAME,
                &format!("Unknown Attribute {name}."),
            );
            assert_eq!(
                fifo().resolve_names(&[name.to_owned()]).unwrap(),
                [name.parse().unwrap()]
            );
        }
    }

    #[test]
    fn value_of_leaves_computed_attributes_to_the_service() {
        for name in QueueAttributeName::VARIANTS
            .into_iter()
            .filter(|n| n.is_computed() || *n == QueueAttributeName::All)
        {
            assert_eq!(fifo().value_of(name), None);
        }
    }
}
