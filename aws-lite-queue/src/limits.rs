//! SQS's quotas as data: today's AWS defaults and named profiles.
//!
//! Every bound the queue enforces (message sizes, batch sizes, attribute ranges, time windows)
//! is a field of [`Limits`], so a test can reproduce an older quota or a tighter one without
//! touching the engine. The type follows the pattern of [`aws_lite_core::limits`]: bounded
//! parameters are [`Quota`]s (`min`, `max`, `default`), sizes are [`ByteSize`]s, and each set of
//! values carries the [`Profile`] it was made from.
//!
//! # Profiles
//!
//! | profile | what it reproduces |
//! |---|---|
//! | `default` ([`Limits::aws`], [`Default`]) | SQS today: 1 MiB messages and batches (raised from 256 KiB in 2025), 120,000 in-flight messages for both queue types. |
//! | `legacy_256k` ([`Limits::legacy_256k`]) | Code written against the 256 KiB limit SQS had until 2025: `MaximumMessageSize` defaults to and stops at 262,144 bytes, and a batch may carry 262,144 bytes. |
//!
//! ```
//! use aws_lite_core::limits::{ByteSize, Limits as _};
//! use aws_lite_queue::limits::Limits;
//!
//! let today = Limits::default();
//! assert_eq!(today.maximum_message_size.max, ByteSize::mib(1));
//! assert_eq!(today.visibility_timeout.max, 43_200);
//!
//! let legacy = Limits::from_profile("legacy_256k").unwrap();
//! assert_eq!(legacy.maximum_message_size.default, ByteSize::kib(256));
//! assert_eq!(legacy.max_batch_payload, ByteSize::kib(256));
//!
//! // Any other set: start from a profile and change fields.
//! let mut tight = Limits::aws();
//! tight.max_batch_entries = 5;
//! assert_eq!(tight.max_batch_entries, 5);
//! ```
//!
//! `Limits` is `#[non_exhaustive]` so new quotas can be added without breaking callers: build
//! one from a profile and assign fields, as above, rather than with a struct literal.
//!
//! # Units
//!
//! Quotas that mirror an SQS parameter counted in seconds (`VisibilityTimeout`, `DelaySeconds`,
//! …) are `Quota<u32>` of seconds, exactly as the parameter is written. Windows that are not
//! parameters (deduplication, purge, name reuse) are [`Duration`]s.

use std::time::Duration;

use aws_lite_core::limits::{ByteSize, Profile, Quota};

/// The limits an SQS queue enforces. [`Default`] is today's AWS quotas; see the
/// [module docs](self) for the profiles.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The profile these limits were made from.
    pub profile: Profile,

    // ----- messages and batches -----
    /// The `MaximumMessageSize` queue attribute: 1,024 bytes to 1 MiB (1,048,576), default
    /// 1 MiB. Its `max` is also the largest message (body plus attributes) SQS accepts.
    pub maximum_message_size: Quota<ByteSize>,
    /// Entries in one batch request: 10.
    pub max_batch_entries: usize,
    /// The bodies and attributes of one `SendMessageBatch` together: 1 MiB (1,048,576 bytes).
    pub max_batch_payload: ByteSize,
    /// Message attributes on one message: 10.
    pub max_message_attributes: usize,

    // ----- in flight -----
    /// In-flight (received, not yet deleted) messages on a standard queue before `ReceiveMessage`
    /// answers `OverLimit`: 120,000.
    pub max_in_flight_standard: usize,
    /// In-flight messages on a FIFO queue: 120,000 (20,000 until November 2024). A FIFO queue
    /// over the limit returns no messages rather than an error.
    pub max_in_flight_fifo: usize,

    // ----- windows -----
    /// How long a FIFO deduplication id is remembered: 5 minutes.
    pub deduplication_window: Duration,
    /// How often `PurgeQueue` may run on one queue: once per 60 seconds.
    pub purge_interval: Duration,
    /// How long a deleted queue's name stays reserved (`QueueDeletedRecently`): 60 seconds.
    pub deleted_name_reuse: Duration,
    /// How long a FIFO `ReceiveRequestAttemptId` replays its answer: 5 minutes.
    pub receive_request_attempt_id_window: Duration,

    // ----- queue attributes and receive parameters (seconds) -----
    /// `VisibilityTimeout`, in seconds: 0 to 43,200 (12 hours), default 30. The `max` also caps
    /// a message's total visibility after a receive.
    pub visibility_timeout: Quota<u32>,
    /// `DelaySeconds`: 0 to 900 (15 minutes), default 0.
    pub delay_seconds: Quota<u32>,
    /// `MessageRetentionPeriod`, in seconds: 60 to 1,209,600 (14 days), default 345,600 (4 days).
    pub message_retention_period: Quota<u32>,
    /// `ReceiveMessageWaitTimeSeconds` and `WaitTimeSeconds`: 0 to 20, default 0.
    pub receive_message_wait_time_seconds: Quota<u32>,
    /// `KmsDataKeyReusePeriodSeconds`: 60 to 86,400 (24 hours), default 300.
    pub kms_data_key_reuse_period_seconds: Quota<u32>,
    /// `MaxNumberOfMessages` of `ReceiveMessage`: 1 to 10, default 1.
    pub max_number_of_messages: Quota<u32>,

    // ----- dead-letter queues and redrive -----
    /// `maxReceiveCount` of a `RedrivePolicy`: 1 to 1,000, default 10.
    pub max_receive_count: Quota<u32>,
    /// `sourceQueueArns` in a `byQueue` `RedriveAllowPolicy`: at most 10.
    pub max_redrive_allow_source_arns: usize,
    /// `MaxNumberOfMessagesPerSecond` of `StartMessageMoveTask`: at most 500.
    pub max_move_task_rate: u32,

    // ----- control plane -----
    /// `MaxResults` of `ListQueues` (and `ListDeadLetterSourceQueues`): 1 to 1,000; without it
    /// a page holds up to 1,000 URLs.
    pub list_queues_max_results: Quota<u32>,
    /// Tags on one queue: 50.
    pub max_tags: usize,
}

impl Limits {
    /// The name of the [`legacy_256k`](Limits::legacy_256k) profile.
    pub const LEGACY_256K: Profile = Profile::new("legacy_256k");

    /// Today's SQS quotas (the `default` profile); the same as [`Limits::default`].
    pub fn aws() -> Limits {
        Limits {
            profile: Profile::DEFAULT,
            maximum_message_size: Quota::new(ByteSize::kib(1), ByteSize::mib(1), ByteSize::mib(1)),
            max_batch_entries: 10,
            max_batch_payload: ByteSize::mib(1),
            max_message_attributes: 10,
            max_in_flight_standard: 120_000,
            max_in_flight_fifo: 120_000,
            deduplication_window: Duration::from_secs(5 * 60),
            purge_interval: Duration::from_secs(60),
            deleted_name_reuse: Duration::from_secs(60),
            receive_request_attempt_id_window: Duration::from_secs(5 * 60),
            visibility_timeout: Quota::new(0, 43_200, 30),
            delay_seconds: Quota::new(0, 900, 0),
            message_retention_period: Quota::new(60, 1_209_600, 345_600),
            receive_message_wait_time_seconds: Quota::new(0, 20, 0),
            kms_data_key_reuse_period_seconds: Quota::new(60, 86_400, 300),
            max_number_of_messages: Quota::new(1, 10, 1),
            max_receive_count: Quota::new(1, 1_000, 10),
            max_redrive_allow_source_arns: 10,
            max_move_task_rate: 500,
            list_queues_max_results: Quota::new(1, 1_000, 1_000),
            max_tags: 50,
        }
    }

    /// The 256 KiB message limit SQS had until 2025 (profile `legacy_256k`): `MaximumMessageSize`
    /// defaults to and stops at 262,144 bytes, and a batch may carry 262,144 bytes. Everything
    /// else is as in [`Limits::aws`].
    pub fn legacy_256k() -> Limits {
        let mut limits = Limits::aws();
        limits.profile = Limits::LEGACY_256K;
        limits.maximum_message_size = limits
            .maximum_message_size
            .with_max(ByteSize::kib(256))
            .with_default(ByteSize::kib(256));
        limits.max_batch_payload = ByteSize::kib(256);
        limits
    }

    /// The largest message (body plus message attributes) SQS accepts on any queue: the `max`
    /// of [`maximum_message_size`](Limits::maximum_message_size).
    pub fn max_message_size(&self) -> ByteSize {
        self.maximum_message_size.max
    }
}

impl Default for Limits {
    /// Today's SQS quotas: [`Limits::aws`].
    fn default() -> Limits {
        Limits::aws()
    }
}

impl aws_lite_core::limits::Limits for Limits {
    fn profile(&self) -> &Profile {
        &self.profile
    }

    fn profiles() -> Vec<Limits> {
        vec![Limits::aws(), Limits::legacy_256k()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lite_core::limits::Limits as _;

    #[test]
    fn aws_defaults() {
        let l = Limits::default();
        assert_eq!(l, Limits::aws());
        assert!(l.profile.is_default());
        assert_eq!(l.maximum_message_size.min.as_u64(), 1_024);
        assert_eq!(l.maximum_message_size.max.as_u64(), 1_048_576);
        assert_eq!(l.maximum_message_size.default.as_u64(), 1_048_576);
        assert_eq!(l.max_message_size().as_u64(), 1_048_576);
        assert_eq!(l.max_batch_entries, 10);
        assert_eq!(l.max_batch_payload.as_u64(), 1_048_576);
        assert_eq!(l.max_in_flight_standard, 120_000);
        assert_eq!(l.max_in_flight_fifo, 120_000);
        assert_eq!(l.max_message_attributes, 10);
        assert_eq!(l.deduplication_window, Duration::from_secs(300));
        assert_eq!(l.purge_interval, Duration::from_secs(60));
        assert_eq!(l.deleted_name_reuse, Duration::from_secs(60));
        assert_eq!(
            l.receive_request_attempt_id_window,
            Duration::from_secs(300)
        );
        assert_eq!(l.visibility_timeout, Quota::new(0, 43_200, 30));
        assert_eq!(l.delay_seconds, Quota::new(0, 900, 0));
        assert_eq!(
            l.message_retention_period,
            Quota::new(60, 1_209_600, 345_600)
        );
        assert_eq!(l.receive_message_wait_time_seconds, Quota::new(0, 20, 0));
        assert_eq!(
            l.kms_data_key_reuse_period_seconds,
            Quota::new(60, 86_400, 300)
        );
        assert_eq!(l.max_number_of_messages, Quota::new(1, 10, 1));
        assert_eq!(l.max_receive_count, Quota::new(1, 1_000, 10));
        assert_eq!(l.max_redrive_allow_source_arns, 10);
        assert_eq!(l.max_move_task_rate, 500);
        assert_eq!(l.list_queues_max_results.max, 1_000);
        assert_eq!(l.max_tags, 50);
    }

    #[test]
    fn legacy_profile() {
        let l = Limits::legacy_256k();
        assert_eq!(l.profile, "legacy_256k");
        assert_eq!(l.maximum_message_size.min.as_u64(), 1_024);
        assert_eq!(l.maximum_message_size.max.as_u64(), 262_144);
        assert_eq!(l.maximum_message_size.default.as_u64(), 262_144);
        assert_eq!(l.max_batch_payload.as_u64(), 262_144);
        // Everything else is today's.
        let mut same = Limits::aws();
        same.profile = Limits::LEGACY_256K;
        same.maximum_message_size = l.maximum_message_size;
        same.max_batch_payload = l.max_batch_payload;
        assert_eq!(l, same);
    }

    #[test]
    fn profiles_by_name() {
        assert_eq!(
            Limits::profile_names(),
            [Profile::DEFAULT, Limits::LEGACY_256K]
        );
        assert_eq!(Limits::from_profile("default"), Some(Limits::aws()));
        assert_eq!(
            Limits::from_profile("legacy_256k"),
            Some(Limits::legacy_256k())
        );
        assert_eq!(Limits::from_profile("nope"), None);
    }
}
