//! `Error`'s extra members of the error shape and its `Retry-After`.

use std::time::Duration;

use aws_lite_core::{Error, ErrorKind};

fn throttle() -> Error {
    Error::throttled("TooManyRequestsException", "Rate Exceeded.")
}

#[test]
fn errors_start_without_fields_or_retry_after() {
    for e in [
        Error::new("X", "m"),
        Error::validation("ValidationException", "m"),
        Error::not_found("ResourceNotFoundException", "m"),
        throttle(),
        Error::internal("boom"),
    ] {
        assert_eq!(e.fields().len(), 0, "{e:?}");
        assert_eq!(e.field("Reason"), None);
        assert_eq!(e.retry_after(), None);
        assert_eq!(e.retry_after_secs(), None);
    }
    assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
}

#[test]
fn fields_keep_the_order_first_set_and_a_second_set_replaces_in_place() {
    let e = throttle()
        .with_field("Type", "User")
        .with_field("Reason", "ConcurrentInvocationLimitExceeded")
        .with_field("Count", 3.to_string())
        .with_field(
            "Reason",
            "ReservedFunctionConcurrentInvocationLimitExceeded",
        );
    let fields: Vec<(&str, &str)> = e.fields().collect();
    assert_eq!(
        fields,
        [
            ("Type", "User"),
            (
                "Reason",
                "ReservedFunctionConcurrentInvocationLimitExceeded"
            ),
            ("Count", "3"),
        ]
    );
    assert_eq!(e.field("Count"), Some("3"));
    assert_eq!(e.field("reason"), None, "names are case-sensitive");
    let owned = Error::new("X", "m").with_field(String::from("Detail"), String::from("d"));
    assert_eq!(owned.field("Detail"), Some("d"));
}

#[test]
fn retry_after_rounds_up_to_whole_seconds_for_the_header() {
    let cases = [
        (Duration::ZERO, 0),
        (Duration::from_nanos(1), 1),
        (Duration::from_millis(999), 1),
        (Duration::from_secs(1), 1),
        (Duration::from_millis(1500), 2),
        (Duration::from_secs(300), 300),
    ];
    for (after, secs) in cases {
        let e = throttle().with_retry_after(after);
        assert_eq!(e.retry_after(), Some(after));
        assert_eq!(e.retry_after_secs(), Some(secs), "{after:?}");
    }
    let last = throttle()
        .with_retry_after(Duration::from_secs(5))
        .with_retry_after(Duration::from_secs(1));
    assert_eq!(last.retry_after_secs(), Some(1));
}

#[test]
fn extras_leave_code_message_display_and_family_alone() {
    let plain = throttle();
    let rich = throttle()
        .with_field("Reason", "ConcurrentInvocationLimitExceeded")
        .with_retry_after(Duration::from_secs(1));
    assert_eq!(rich.code(), plain.code());
    assert_eq!(rich.message(), plain.message());
    assert_eq!(rich.to_string(), plain.to_string());
    assert_eq!(
        (rich.status(), rich.is_retryable(), rich.kind()),
        (429, true, ErrorKind::Throttled)
    );
    assert!(rich.is("TooManyRequestsException"));
    // Equality sees the extras; clones keep them.
    assert_ne!(rich, plain);
    assert_eq!(rich.clone(), rich);
    assert_ne!(
        rich.clone().with_field("Reason", "CallerRateLimitExceeded"),
        rich
    );
}

#[test]
fn debug_shows_extras_only_when_set() {
    let plain = format!("{:?}", throttle());
    assert!(
        !plain.contains("fields") && !plain.contains("retry_after"),
        "{plain}"
    );
    let rich = format!(
        "{:?}",
        throttle()
            .with_field("Reason", "ConcurrentInvocationLimitExceeded")
            .with_retry_after(Duration::from_secs(2))
    );
    assert!(
        rich.contains("fields") && rich.contains("ConcurrentInvocationLimitExceeded"),
        "{rich}"
    );
    assert!(rich.contains("retry_after: 2s"), "{rich}");
}
