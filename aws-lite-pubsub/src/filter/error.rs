//! Validation errors as AWS words them.

use aws_lite_core::Error;

use super::Dialect;
use super::compile::{NESTED_MESSAGE, PatternError};

/// The error code of an invalid SNS filter policy.
pub const INVALID_PARAMETER: &str = "InvalidParameter";

/// The error code of an invalid EventBridge event pattern.
pub const INVALID_EVENT_PATTERN: &str = "InvalidEventPatternException";

/// The SNS operation a filter policy arrived with; each words its errors with its own prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PolicyOperation {
    /// `Subscribe` with a `FilterPolicy` attribute:
    /// `"Invalid parameter: Attributes Reason: FilterPolicy: …"`.
    Subscribe,
    /// `SetSubscriptionAttributes` with `AttributeName=FilterPolicy`:
    /// `"Invalid parameter: FilterPolicy: …"`.
    SetSubscriptionAttributes,
}

/// Adds the prefix SNS puts before a filter-policy error for `operation`.
///
/// [`Policy::parse`](super::Policy::parse) returns SNS errors without it, because the prefix
/// depends on the operation. The nested-scope error ("Filter policy scope MessageAttributes does
/// not support nested filter policy") has no `FilterPolicy: ` part: it becomes
/// `"Invalid parameter: Filter policy scope …"` for `SetSubscriptionAttributes` and
/// `"Invalid parameter: Attributes Reason: Filter policy scope …"` for `Subscribe`. Errors with
/// another code are returned unchanged.
///
/// ```
/// use aws_lite_pubsub::filter::{
///     Dialect, FilterPolicyScope, Policy, PolicyOperation, with_operation_prefix,
/// };
///
/// let err = Policy::parse(
///     r#"{"a": "b"}"#,
///     Dialect::Sns(FilterPolicyScope::MessageAttributes),
/// )
/// .unwrap_err();
/// assert_eq!(err.code(), "InvalidParameter");
/// assert!(err.message().starts_with("\"a\" must be an object or an array\n at [Source: "));
/// let err = with_operation_prefix(err, PolicyOperation::SetSubscriptionAttributes);
/// assert!(err.message().starts_with("Invalid parameter: FilterPolicy: \"a\" must be"));
/// ```
pub fn with_operation_prefix(error: Error, operation: PolicyOperation) -> Error {
    if error.code() != INVALID_PARAMETER {
        return error;
    }
    let head = match operation {
        PolicyOperation::Subscribe => "Invalid parameter: Attributes Reason: ",
        PolicyOperation::SetSubscriptionAttributes => "Invalid parameter: ",
    };
    let message = if error.message() == NESTED_MESSAGE {
        format!("{head}{}", error.message())
    } else {
        format!("{head}FilterPolicy: {}", error.message())
    };
    Error::validation(INVALID_PARAMETER, message)
}

pub(crate) fn to_error(e: &PatternError, dialect: Dialect) -> Error {
    let body = e.full_message();
    if dialect.is_sns() {
        let message = if e.syntax {
            format!("failed to parse JSON. {body}")
        } else {
            body
        };
        Error::validation(INVALID_PARAMETER, message)
    } else {
        Error::validation(
            INVALID_EVENT_PATTERN,
            format!("Event pattern is not valid. Reason: {body}"),
        )
    }
}
