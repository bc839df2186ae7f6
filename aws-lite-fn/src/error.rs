//! Lambda's errors: the exception names SDKs match on, AWS's HTTP statuses and messages.
//!
//! Every failure is an [`aws_lite_core::Error`] whose [`code`](aws_lite_core::Error::code) is
//! the restJson1 exception name; match on the constants in [`codes`]. Messages follow what
//! Lambda answers (gathered from the Lambda API reference and from AWS-validated test snapshots
//! of LocalStack and moto); where Lambda's text could not be confirmed the message says plainly
//! what was wrong, and the crate's CHANGELOG lists it.
//!
//! A function error is not one of these: an invocation whose handler failed succeeds at the
//! API level and reports `FunctionError: Unhandled` with the error in its payload.
//!
//! # Throttles
//!
//! `TooManyRequestsException` (429, `Rate Exceeded.`) carries, as Lambda's does, the members
//! `Type` (`User`) and `Reason` (one of [`reasons`]) as [`Error::field`]s, and a
//! [`retry_after`](Error::retry_after) of [`THROTTLE_RETRY_AFTER`] (the `Retry-After` header
//! that Lambda's `retryAfterSeconds` is bound to). Lambda does not document the value it sends;
//! one second is aws-lite's choice, the first step of its asynchronous throttle backoff.
//!
//! ```
//! use aws_lite_fn::error::{codes, reasons, throttle_reason};
//! use aws_lite_fn::{service_fn, Code, Event, Lambda};
//! use serde_json::Value;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let lambda = Lambda::new();
//! let code = Code::from_service(service_fn(|e: Event<Value>| async move {
//!     Ok::<_, std::convert::Infallible>(e.payload)
//! }));
//! lambda.create_function().function_name("f").code(code).send().await?;
//! // Reserved concurrency 0 throttles every synchronous call.
//! lambda.put_function_concurrency().function_name("f").reserved_concurrent_executions(0).send().await?;
//! let err = lambda.invoke().function_name("f").send().await.unwrap_err();
//! assert_eq!(err.code(), codes::TOO_MANY_REQUESTS);
//! assert_eq!(throttle_reason(&err), Some(reasons::RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED));
//! assert_eq!(err.field("Type"), Some("User"));
//! assert_eq!(err.retry_after_secs(), Some(1));
//! # Ok(()) }
//! ```

use std::time::Duration;

use aws_lite_core::{Error, ErrorKind};

/// The exception names Lambda returns, as [`Error::code`] reports them.
pub mod codes {
    /// A parameter is out of range or not allowed here (400).
    pub const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValueException";
    /// A parameter failed the API's own constraints (length, pattern, range) (400).
    pub const VALIDATION: &str = "ValidationException";
    /// The function, version or alias does not exist (404).
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFoundException";
    /// The resource exists already, or is in use (409).
    pub const RESOURCE_CONFLICT: &str = "ResourceConflictException";
    /// The payload is over the invocation type's limit (413).
    pub const REQUEST_ENTITY_TOO_LARGE: &str = "RequestEntityTooLargeException";
    /// A concurrency limit was reached (429).
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequestsException";
    /// GetProvisionedConcurrencyConfig found no configuration (404).
    pub const PROVISIONED_CONCURRENCY_CONFIG_NOT_FOUND: &str =
        "ProvisionedConcurrencyConfigNotFoundException";
    /// A `RevisionId` precondition did not hold (412).
    pub const PRECONDITION_FAILED: &str = "PreconditionFailedException";
}

/// The `Reason` values of `TooManyRequestsException` (Lambda's `ThrottleReason` enum), as
/// [`throttle_reason`] returns them. aws-lite raises the two concurrency reasons; the others
/// are listed for callers matching on every value Lambda sends.
pub mod reasons {
    /// The account's unreserved concurrency is exhausted (also what an injected
    /// [`THROTTLE`](aws_lite_core::FaultPoint::THROTTLE) fault reports).
    pub const CONCURRENT_INVOCATION_LIMIT_EXCEEDED: &str = "ConcurrentInvocationLimitExceeded";
    /// The function's invocation rate limit was reached (not raised by aws-lite).
    pub const FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED: &str = "FunctionInvocationRateLimitExceeded";
    /// The function's reserved concurrency is exhausted (or is 0).
    pub const RESERVED_FUNCTION_CONCURRENT_INVOCATION_LIMIT_EXCEEDED: &str =
        "ReservedFunctionConcurrentInvocationLimitExceeded";
    /// The invocation rate limit of a function with reserved concurrency was reached (not
    /// raised by aws-lite).
    pub const RESERVED_FUNCTION_INVOCATION_RATE_LIMIT_EXCEEDED: &str =
        "ReservedFunctionInvocationRateLimitExceeded";
    /// The caller's request rate limit was reached (not raised by aws-lite).
    pub const CALLER_RATE_LIMIT_EXCEEDED: &str = "CallerRateLimitExceeded";
    /// Too many SnapStart snapshots are being created (not raised by aws-lite).
    pub const CONCURRENT_SNAPSHOT_CREATE_LIMIT_EXCEEDED: &str =
        "ConcurrentSnapshotCreateLimitExceeded";
}

/// The `Retry-After` of every `TooManyRequestsException` aws-lite raises: one second (an
/// aws-lite choice; Lambda does not document its value).
pub const THROTTLE_RETRY_AFTER: Duration = Duration::from_secs(1);

/// The `Reason` of a `TooManyRequestsException` (one of [`reasons`]), or `None` for any
/// other error.
pub fn throttle_reason(e: &Error) -> Option<&str> {
    if !e.is(codes::TOO_MANY_REQUESTS) {
        return None;
    }
    e.field("Reason")
}

/// `InvalidParameterValueException` (400).
pub(crate) fn invalid_parameter(message: impl Into<String>) -> Error {
    Error::validation(codes::INVALID_PARAMETER_VALUE, message)
}

/// `ValidationException` (400) in the API's constraint format:
/// `1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}`.
pub(crate) fn validation(value: impl std::fmt::Display, field: &str, constraint: &str) -> Error {
    Error::validation(
        codes::VALIDATION,
        format!(
            "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: {constraint}"
        ),
    )
}

/// `ResourceNotFoundException` (404): `Function not found: {arn}`.
pub(crate) fn function_not_found(arn: &str) -> Error {
    Error::not_found(
        codes::RESOURCE_NOT_FOUND,
        format!("Function not found: {arn}"),
    )
}

/// `ResourceNotFoundException` (404): `Cannot find alias arn: {arn}`.
pub(crate) fn alias_not_found(arn: &str) -> Error {
    Error::not_found(
        codes::RESOURCE_NOT_FOUND,
        format!("Cannot find alias arn: {arn}"),
    )
}

/// `ResourceConflictException` (409).
pub(crate) fn conflict(message: impl Into<String>) -> Error {
    Error::conflict(codes::RESOURCE_CONFLICT, message)
}

/// `RequestEntityTooLargeException` (413).
pub(crate) fn too_large(limit: usize) -> Error {
    Error::new(
        codes::REQUEST_ENTITY_TOO_LARGE,
        format!("Request must be smaller than {limit} bytes for the InvokeFunction operation"),
    )
    .with_status(413)
    .with_kind(ErrorKind::LimitExceeded)
}

/// `TooManyRequestsException` (429): `Rate Exceeded.`, with `Type` `User`, the `Reason` and
/// the `Retry-After`.
pub(crate) fn throttled(reason: &'static str) -> Error {
    Error::throttled(codes::TOO_MANY_REQUESTS, "Rate Exceeded.")
        .with_field("Type", "User")
        .with_field("Reason", reason)
        .with_retry_after(THROTTLE_RETRY_AFTER)
}

/// `ProvisionedConcurrencyConfigNotFoundException` (404).
pub(crate) fn pc_not_found() -> Error {
    Error::not_found(
        codes::PROVISIONED_CONCURRENCY_CONFIG_NOT_FOUND,
        "No Provisioned Concurrency Config found for this function",
    )
}

/// `PreconditionFailedException` (412).
pub(crate) fn precondition_failed(what: &str) -> Error {
    Error::new(
        codes::PRECONDITION_FAILED,
        format!(
            "The Revision Id provided does not match the latest Revision Id. Call the {what} API to retrieve the latest Revision Id"
        ),
    )
    .with_status(412)
    .with_kind(ErrorKind::Conflict)
}

/// `ResourceNotFoundException` (404): `The resource you requested does not exist.`
#[cfg(feature = "queue")]
pub(crate) fn resource_not_found() -> Error {
    Error::not_found(
        codes::RESOURCE_NOT_FOUND,
        "The resource you requested does not exist.",
    )
}
