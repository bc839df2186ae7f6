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

use std::borrow::Cow;
use std::fmt;

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
            .field("kind", &self.0.kind)
            .finish()
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
