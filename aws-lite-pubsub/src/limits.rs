//! SNS's quotas as data: today's AWS defaults.
//!
//! ```
//! use aws_lite_pubsub::limits::Limits;
//!
//! let limits = Limits::default();
//! assert_eq!(limits.default_maximum_message_size, 262_144);
//! assert_eq!(limits.max_batch_entries, 10);
//!
//! let mut tight = Limits::default();
//! tight.max_topics = 2;
//! assert_eq!(tight.max_topics, 2);
//! ```

use std::time::Duration;

/// The limits an [`Sns`](crate::Sns) enforces. [`Default`] is today's AWS quotas.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The `MaximumMessageSize` a topic has when the attribute is not set: 262,144 bytes
    /// (256 KiB), for one message with its attributes and for a whole batch.
    pub default_maximum_message_size: usize,
    /// The smallest `MaximumMessageSize` a topic accepts: 1,024 bytes.
    pub min_maximum_message_size: usize,
    /// The largest `MaximumMessageSize` a topic accepts: 1,048,576 bytes.
    pub max_maximum_message_size: usize,
    /// Entries in one PublishBatch: 10.
    pub max_batch_entries: usize,
    /// Topics per account: 100,000 (standard topics' default quota).
    pub max_topics: usize,
    /// Tags per resource: 50.
    pub max_tags: usize,
    /// How long a FIFO topic remembers a deduplication id: 5 minutes.
    pub deduplication_window: Duration,
    /// Message attributes a raw delivery to an SQS queue may carry: 10 (more is a client error).
    pub max_raw_sqs_attributes: usize,
    /// Items per ListTopics / ListSubscriptions page: 100.
    pub list_page_size: usize,
    /// Subject length: 1 to 100 characters.
    pub max_subject_length: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            default_maximum_message_size: 262_144,
            min_maximum_message_size: 1_024,
            max_maximum_message_size: 1_048_576,
            max_batch_entries: 10,
            max_topics: 100_000,
            max_tags: 50,
            deduplication_window: Duration::from_secs(300),
            max_raw_sqs_attributes: 10,
            list_page_size: 100,
            max_subject_length: 100,
        }
    }
}
