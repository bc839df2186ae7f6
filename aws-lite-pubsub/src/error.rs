//! SNS's errors: the awsQuery codes SDKs match on and AWS's messages.
//!
//! Every failure is an [`aws_lite_core::Error`] whose [`code`](aws_lite_core::Error::code) is
//! the query-protocol code SNS sends (`NotFound`, `InvalidParameter`, …). Match on the
//! constants in [`codes`].
//!
//! ```
//! use aws_lite_pubsub::{Sns, codes};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! let sns = Sns::new();
//! let err = sns
//!     .publish()
//!     .topic_arn("arn:aws:sns:us-east-1:000000000000:missing")
//!     .message("hi")
//!     .send()
//!     .await
//!     .unwrap_err();
//! assert_eq!(err.code(), codes::NOT_FOUND);
//! assert_eq!(err.message(), "Topic does not exist");
//! assert_eq!(err.status(), 404);
//! # }
//! ```

use aws_lite_core::Error;

/// The error codes SNS returns, as [`Error::code`] reports them.
pub mod codes {
    /// A parameter is missing or not valid (400).
    pub const INVALID_PARAMETER: &str = "InvalidParameter";
    /// A message attribute is not valid (400; the `InvalidParameterValue` shape).
    pub const PARAMETER_VALUE_INVALID: &str = "ParameterValueInvalid";
    /// The topic, subscription or endpoint does not exist (404).
    pub const NOT_FOUND: &str = "NotFound";
    /// A tagged resource does not exist (404).
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFound";
    /// The caller is not allowed to do this (403).
    pub const AUTHORIZATION_ERROR: &str = "AuthorizationError";
    /// Two entries of a batch share an id (400).
    pub const BATCH_ENTRY_IDS_NOT_DISTINCT: &str = "BatchEntryIdsNotDistinct";
    /// More than 10 entries in a batch (400).
    pub const TOO_MANY_ENTRIES_IN_BATCH_REQUEST: &str = "TooManyEntriesInBatchRequest";
    /// A batch with no entries (400).
    pub const EMPTY_BATCH_REQUEST: &str = "EmptyBatchRequest";
    /// The messages of a batch together exceed the size limit (400).
    pub const BATCH_REQUEST_TOO_LONG: &str = "BatchRequestTooLong";
    /// A batch entry id is not `[A-Za-z0-9_-]{1,80}` (400).
    pub const INVALID_BATCH_ENTRY_ID: &str = "InvalidBatchEntryId";
    /// More than 50 tags on a resource (400).
    pub const TAG_LIMIT_EXCEEDED: &str = "TagLimitExceeded";
    /// The account's topic quota is reached (403).
    pub const TOPIC_LIMIT_EXCEEDED: &str = "TopicLimitExceeded";
    /// An internal error (500).
    pub const INTERNAL_ERROR: &str = "InternalError";
}

use codes::*;

/// `InvalidParameter` with `message`.
pub(crate) fn invalid_parameter(message: impl Into<String>) -> Error {
    Error::validation(INVALID_PARAMETER, message)
}

/// `ParameterValueInvalid` with `message` (message attribute errors).
pub(crate) fn parameter_value_invalid(message: impl Into<String>) -> Error {
    Error::validation(PARAMETER_VALUE_INVALID, message).with_shape("InvalidParameterValue")
}

/// `NotFound` with `message` (404).
pub(crate) fn not_found(message: impl Into<String>) -> Error {
    Error::not_found(NOT_FOUND, message)
}

/// `NotFound: Topic does not exist`.
pub(crate) fn topic_not_found() -> Error {
    not_found("Topic does not exist")
}

/// `NotFound: Subscription does not exist`.
pub(crate) fn subscription_not_found() -> Error {
    not_found("Subscription does not exist")
}

/// `ResourceNotFound: Resource does not exist` (tag operations).
pub(crate) fn resource_not_found() -> Error {
    Error::not_found(RESOURCE_NOT_FOUND, "Resource does not exist")
}

/// `AuthorizationError` for `caller` doing `action` on `resource`.
pub(crate) fn authorization_error(caller: &str, action: &str, resource: &str) -> Error {
    Error::access_denied(
        AUTHORIZATION_ERROR,
        format!(
            "User: arn:aws:iam::{caller}:root is not authorized to perform: SNS:{action} on \
             resource: {resource} because no resource-based policy allows the SNS:{action} action"
        ),
    )
}

/// A batch-level error (400, sender).
pub(crate) fn batch(code: &'static str, message: &str) -> Error {
    Error::validation(code, message)
}
