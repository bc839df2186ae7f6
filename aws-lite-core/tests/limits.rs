//! Limits: AWS's range message, word for word, and the profile pattern.

use aws_lite_core::limits::{ByteSize, INVALID_PARAMETER_VALUE, Limits, Profile, Quota};
use aws_lite_core::{ErrorKind, Fault};

#[test]
fn range_message_is_aws_text_exactly() {
    let delay = Quota::new(0u32, 900, 0);
    let err = delay.check(901, "DelaySeconds").unwrap_err();
    assert_eq!(
        err.message(),
        "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."
    );
    assert_eq!(err.code(), INVALID_PARAMETER_VALUE);
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!((err.status(), err.fault()), (400, Fault::Sender));
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "InvalidParameterValue: Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."
    );
}

#[test]
fn range_message_for_signed_and_byte_quotas() {
    let visibility = Quota::new(0i64, 43_200, 30);
    assert_eq!(
        visibility.range_message(-1, "VisibilityTimeout"),
        "Value -1 for parameter VisibilityTimeout is invalid. Reason: VisibilityTimeout must be >= 0 and <= 43200."
    );
    let size = Quota::new(ByteSize::kib(1), ByteSize::mib(1), ByteSize::mib(1));
    assert_eq!(
        size.check(ByteSize::bytes(2_000_000), "MaximumMessageSize")
            .unwrap_err()
            .message(),
        "Value 2000000 for parameter MaximumMessageSize is invalid. Reason: MaximumMessageSize must be >= 1024 and <= 1048576."
    );
}

#[test]
fn bounds_are_inclusive_and_defaults_fill_in() {
    let q = Quota::new(1u32, 10, 4);
    assert_eq!(q.check(1, "MaxNumberOfMessages"), Ok(1));
    assert_eq!(q.check(10, "MaxNumberOfMessages"), Ok(10));
    assert!(q.check(0, "MaxNumberOfMessages").is_err());
    assert!(q.check(11, "MaxNumberOfMessages").is_err());
    assert_eq!(q.check_or_default(None, "MaxNumberOfMessages"), Ok(4));
    assert_eq!(q.check_or_default(Some(7), "MaxNumberOfMessages"), Ok(7));
    assert!(q.check_or_default(Some(70), "MaxNumberOfMessages").is_err());
    assert!(q.contains(&5) && !q.contains(&11));
}

/// A service's limits, as a service crate declares them.
#[derive(Debug, Clone, PartialEq)]
struct TopicLimits {
    profile: Profile,
    message_size: ByteSize,
    subscriptions_per_topic: Quota<u32>,
}

impl Default for TopicLimits {
    fn default() -> TopicLimits {
        TopicLimits {
            profile: Profile::DEFAULT,
            message_size: ByteSize::kib(256),
            subscriptions_per_topic: Quota::new(0, 12_500_000, 0),
        }
    }
}

impl TopicLimits {
    fn tiny() -> TopicLimits {
        TopicLimits {
            profile: Profile::new("tiny"),
            message_size: ByteSize::bytes(64),
            ..TopicLimits::default()
        }
    }
}

impl Limits for TopicLimits {
    fn profile(&self) -> &Profile {
        &self.profile
    }
    fn profiles() -> Vec<TopicLimits> {
        vec![TopicLimits::default(), TopicLimits::tiny()]
    }
}

#[test]
fn profiles_are_found_by_name() {
    assert_eq!(
        TopicLimits::from_profile("default"),
        Some(TopicLimits::default())
    );
    assert_eq!(
        TopicLimits::from_profile("tiny")
            .unwrap()
            .message_size
            .as_u64(),
        64
    );
    assert_eq!(TopicLimits::from_profile("huge"), None);
    assert_eq!(TopicLimits::profile_names(), ["default", "tiny"]);
    assert!(TopicLimits::default().profile().is_default());
    assert_eq!(Profile::named(String::from("tiny")), Profile::new("tiny"));
    assert_eq!(Profile::default(), Profile::DEFAULT);
    assert_eq!(Profile::new("legacy_256k").to_string(), "legacy_256k");
}

#[test]
fn quotas_and_sizes_round_trip_through_serde() {
    let q = Quota::new(ByteSize::kib(1), ByteSize::kib(256), ByteSize::kib(256));
    let json = serde_json::to_string(&q).unwrap();
    assert_eq!(json, r#"{"min":1024,"max":262144,"default":262144}"#);
    assert_eq!(serde_json::from_str::<Quota<ByteSize>>(&json).unwrap(), q);
    let p: Profile = serde_json::from_str(r#""legacy_256k""#).unwrap();
    assert_eq!(p, "legacy_256k");
}
