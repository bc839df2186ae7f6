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

/// `TooManyRequestsException` (429): `Rate Exceeded.`
pub(crate) fn throttled() -> Error {
    Error::throttled(codes::TOO_MANY_REQUESTS, "Rate Exceeded.")
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
