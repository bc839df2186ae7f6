//! One error shape for every aws-lite service: the AWS error code, message, HTTP status, fault
//! side and retryability.
//!
//! # Wire fidelity
//!
//! An [`Error`] carries everything a wire layer needs to serialize it exactly as AWS does:
//!
//! - [`code`](Error::code): the code SDKs match on. For SQS this is the legacy query code sent in
//!   `x-amzn-query-error` (`AWS.SimpleQueueService.NonExistentQueue`), for SNS the query code
//!   (`NotFound`), for Lambda and Step Functions the exception name
//!   (`ResourceNotFoundException`).
//! - [`shape`](Error::shape): the JSON `__type` where it differs from the code (SQS's
//!   `QueueDoesNotExist`).
//! - [`message`](Error::message): AWS's message, word for word where known.
//! - [`status`](Error::status) and [`fault`](Error::fault): HTTP status and `Sender`/`Receiver`.
//! - [`is_retryable`](Error::is_retryable): whether a well-behaved client retries it.
//! - [`fields`](Error::fields): the other members of the error shape, and
//!   [`retry_after`](Error::retry_after): how long the client should wait (see below).
//!
//! ```
//! use aws_lite_core::{Error, ErrorKind, Fault};
//!
//! let e = Error::validation(
//!     "InvalidParameterValue",
//!     "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
//! );
//! assert_eq!(e.code(), "InvalidParameterValue");
//! assert_eq!(e.status(), 400);
//! assert_eq!(e.fault(), Fault::Sender);
//! assert_eq!(e.kind(), ErrorKind::Validation);
//! assert!(!e.is_retryable());
//! assert_eq!(e.to_string(), format!("InvalidParameterValue: {}", e.message()));
//! ```
//!
//! # Extra fields and `Retry-After`
//!
//! Some error shapes carry members besides the code and the message: Lambda's
//! `TooManyRequestsException` has `Type` and `Reason`, Step Functions' errors name the
//! resource. [`with_field`](Error::with_field) sets such a member, a top-level field of the
//! JSON error body, and [`field`](Error::field) / [`fields`](Error::fields) read them back, in
//! the order they were first set. The names are the shape's member names as AWS spells them;
//! the wire layer writes the code (`__type` / `Code`) and the message itself, so a field must
//! not be named after either. Values are strings, as the members of the error shapes aws-lite
//! reproduces are (a wire layer writes them as JSON strings, or as XML text).
//!
//! [`with_retry_after`](Error::with_retry_after) says how long the client should wait before
//! retrying: a wire layer sends it as the `Retry-After` HTTP header, in whole seconds rounded
//! up ([`retry_after_secs`](Error::retry_after_secs)), and error members bound to that header
//! (Lambda's `retryAfterSeconds`) come from it. Neither affects [`Display`](std::fmt::Display),
//! [`code`](Error::code) or [`is`](Error::is).
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::Error;
//!
//! let e = Error::throttled("TooManyRequestsException", "Rate Exceeded.")
//!     .with_field("Type", "User")
//!     .with_field("Reason", "ConcurrentInvocationLimitExceeded")
//!     .with_retry_after(Duration::from_millis(1500));
//! assert_eq!(e.field("Reason"), Some("ConcurrentInvocationLimitExceeded"));
//! let names: Vec<&str> = e.fields().map(|(name, _)| name).collect();
//! assert_eq!(names, ["Type", "Reason"]);
//! assert_eq!(e.retry_after(), Some(Duration::from_millis(1500)));
//! assert_eq!(e.retry_after_secs(), Some(2));
//! assert_eq!(e.to_string(), "TooManyRequestsException: Rate Exceeded.");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// Which side AWS blames for an error (the `Type` of a query-protocol error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The caller's request was at fault (4xx).
    Sender,
    /// The service failed (5xx).
    Receiver,
}

impl Fault {
    /// `"Sender"` or `"Receiver"`, as AWS spells it on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Sender => "Sender",
            Fault::Receiver => "Receiver",
        }
    }
}

/// The family an error belongs to, for callers that branch on the kind rather than the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request was malformed or a parameter was out of range.
    Validation,
    /// The named resource does not exist.
    NotFound,
    /// The request conflicts with the resource's current state.
    Conflict,
    /// The request was throttled; retry later.
    Throttled,
    /// An account or resource limit was reached.
    LimitExceeded,
    /// The caller is not allowed to do this.
    AccessDenied,
    /// The service failed.
    Internal,
    /// Anything else; see the code.
    Other,
}

/// An AWS-shaped error: what the real service would have answered.
///
/// Cheap to move (one pointer), `Clone`, `Send + Sync + 'static`.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    code: Cow<'static, str>,
    shape: Option<Cow<'static, str>>,
    message: String,
    status: u16,
    fault: Fault,
    retryable: bool,
    kind: ErrorKind,
    /// Extra members of the error shape, in the order they were first set.
    fields: Vec<(Cow<'static, str>, Cow<'static, str>)>,
    /// How long the client should wait before retrying (`Retry-After`).
    retry_after: Option<Duration>,
}

impl Error {
    /// An error with `code` and `message`: HTTP 400, sender fault, not retryable, kind
    /// [`ErrorKind::Other`]. Refine it with the `with_*` methods.
    pub fn new(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            code: code.into(),
            shape: None,
            message: message.into(),
            status: 400,
            fault: Fault::Sender,
            retryable: false,
            kind: ErrorKind::Other,
            fields: Vec::new(),
            retry_after: None,
        }))
    }

    /// A validation error (400, sender): `ValidationException`, `InvalidParameterValue`, …
    pub fn validation(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error::new(code, message).with_kind(ErrorKind::Validation)
    }

    /// A missing resource (404, sender): `ResourceNotFoundException`, `NotFound`, …
    /// Services whose protocol answers 400 (SQS, Step Functions) override the status.
    pub fn not_found(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error::new(code, message)
            .with_status(404)
            .with_kind(ErrorKind::NotFound)
    }

    /// A conflict with the current state (409, sender): `ResourceConflictException`, …
    pub fn conflict(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error::new(code, message)
            .with_status(409)
            .with_kind(ErrorKind::Conflict)
    }

    /// Throttling (429, sender, retryable): `TooManyRequestsException`, `RequestThrottled`, …
    pub fn throttled(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error::new(code, message)
            .with_status(429)
            .with_retryable(true)
            .with_kind(ErrorKind::Throttled)
    }

    /// A limit reached (400, sender): `OverLimit`, `ResourceLimitExceeded`, …
    pub fn limit_exceeded(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error::new(code, message).with_kind(ErrorKind::LimitExceeded)
    }

    /// Not permitted (403, sender): `AccessDenied`, `AuthorizationError`, …
    pub fn access_denied(code: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        Error::new(code, message)
            .with_status(403)
            .with_kind(ErrorKind::AccessDenied)
    }

    /// A service failure (500, receiver, retryable) with code `InternalFailure`.
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new("InternalFailure", message)
            .with_status(500)
            .with_fault(Fault::Receiver)
            .with_retryable(true)
            .with_kind(ErrorKind::Internal)
    }

    /// Sets the HTTP status; 5xx also makes the fault [`Fault::Receiver`].
    pub fn with_status(mut self, status: u16) -> Error {
        self.0.status = status;
        if status >= 500 {
            self.0.fault = Fault::Receiver;
        }
        self
    }

    /// Sets the fault side.
    pub fn with_fault(mut self, fault: Fault) -> Error {
        self.0.fault = fault;
        self
    }

    /// Sets whether clients should retry.
    pub fn with_retryable(mut self, retryable: bool) -> Error {
        self.0.retryable = retryable;
        self
    }

    /// Sets the JSON `__type` shape name, where it differs from the code.
    pub fn with_shape(mut self, shape: impl Into<Cow<'static, str>>) -> Error {
        self.0.shape = Some(shape.into());
        self
    }

    /// Sets the error family.
    pub fn with_kind(mut self, kind: ErrorKind) -> Error {
        self.0.kind = kind;
        self
    }

    /// Sets the member `name` of the error shape to the string `value`: a top-level field of
    /// the JSON error body besides the code and the message (Lambda's `Reason`, `Type`).
    /// Setting a name again replaces its value and keeps its place. See the
    /// [module docs](self#extra-fields-and-retry-after).
    pub fn with_field(
        mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Error {
        let name = name.into();
        let value = value.into();
        match self.0.fields.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.fields.push((name, value)),
        }
        self
    }

    /// Sets how long the client should wait before retrying: the `Retry-After` header.
    pub fn with_retry_after(mut self, after: Duration) -> Error {
        self.0.retry_after = Some(after);
        self
    }

    /// The AWS error code SDKs match on.
    pub fn code(&self) -> &str {
        &self.0.code
    }

    /// The JSON `__type` shape name: [`with_shape`](Error::with_shape)'s value, else the code.
    pub fn shape(&self) -> &str {
        self.0.shape.as_deref().unwrap_or(&self.0.code)
    }

    /// AWS's message.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// Who is at fault.
    pub fn fault(&self) -> Fault {
        self.0.fault
    }

    /// Whether clients should retry.
    pub fn is_retryable(&self) -> bool {
        self.0.retryable
    }

    /// The error family.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// Whether the code is `code`.
    pub fn is(&self, code: &str) -> bool {
        self.code() == code || self.shape() == code
    }

    /// The member `name` set with [`with_field`](Error::with_field), if any.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0
            .fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// Every member set with [`with_field`](Error::with_field), in the order first set.
    pub fn fields(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.0.fields.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    /// How long the client should wait before retrying, if the error says.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// [`retry_after`](Error::retry_after) in whole seconds, rounded up: the value of the
    /// `Retry-After` header.
    pub fn retry_after_secs(&self) -> Option<u64> {
        self.0
            .retry_after
            .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.code, self.0.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("code", &self.0.code);
        if let Some(shape) = &self.0.shape {
            d.field("shape", shape);
        }
        d.field("message", &self.0.message)
            .field("status", &self.0.status)
            .field("fault", &self.0.fault)
            .field("retryable", &self.0.retryable)
            .field("kind", &self.0.kind);
        if !self.0.fields.is_empty() {
            d.field("fields", &self.0.fields);
        }
        if let Some(after) = &self.0.retry_after {
            d.field("retry_after", after);
        }
        d.finish()
    }
}

impl std::error::Error for Error {}

/// `Result<T, aws_lite_core::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn families_have_aws_defaults() {
        assert_send_sync::<Error>();
        let e = Error::throttled("TooManyRequestsException", "Rate exceeded");
        assert_eq!(
            (e.status(), e.is_retryable(), e.kind()),
            (429, true, ErrorKind::Throttled)
        );
        let e = Error::internal("boom");
        assert_eq!(
            (e.code(), e.status(), e.fault()),
            ("InternalFailure", 500, Fault::Receiver)
        );
        let e = Error::not_found(
            "AWS.SimpleQueueService.NonExistentQueue",
            "The specified queue does not exist.",
        )
        .with_shape("QueueDoesNotExist")
        .with_status(400);
        assert_eq!(e.shape(), "QueueDoesNotExist");
        assert!(e.is("QueueDoesNotExist") && e.is("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(e.status(), 400);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
        assert_eq!(Error::conflict("C", "m").status(), 409);
        assert_eq!(Error::access_denied("AccessDenied", "m").status(), 403);
        assert_eq!(
            Error::new("X", "m").with_status(503).fault(),
            Fault::Receiver
        );
    }
}
