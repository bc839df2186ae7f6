//! Per-service limits as data: today's AWS defaults, named profiles, and the range checks that
//! produce AWS's own error messages.
//!
//! # The pattern
//!
//! Each service crate declares one `Limits` struct (SQS's lives in `aws-lite-queue`, SNS's in
//! `aws-lite-pubsub`, …) and implements the [`Limits`] trait for it:
//!
//! - [`Default`] holds **today's** AWS quotas, so `Limits::default()` behaves like the service
//!   does now.
//! - Named constructors hold **profiles**: other sets of quotas a user may want to reproduce,
//!   such as `legacy_256k()` for code written against SQS's 256 KiB message limit (raised to
//!   1 MiB in 2025). Each profile carries its [`Profile`] name, and
//!   [`Limits::from_profile`] finds one by name (for `aws-lite serve --limits legacy_256k`).
//! - Each bounded parameter is a [`Quota`]: its `min`, `max` and `default`. [`Quota::check`]
//!   returns the value or the error AWS answers, word for word:
//!   `Value {v} for parameter {Name} is invalid. Reason: {Name} must be >= {min} and <= {max}.`
//! - Sizes are [`ByteSize`], which displays as a plain byte count, as AWS messages do.
//!
//! Limits are plain values: a test may also build any set it likes with struct-update syntax.
//!
//! ```
//! use aws_lite_core::limits::{ByteSize, Limits, Profile, Quota};
//!
//! /// The limits of a (cut-down) SQS queue.
//! #[derive(Debug, Clone, PartialEq)]
//! pub struct QueueLimits {
//!     /// Which profile this is.
//!     pub profile: Profile,
//!     /// `MaximumMessageSize`, and the largest message accepted.
//!     pub maximum_message_size: Quota<ByteSize>,
//!     /// `DelaySeconds`.
//!     pub delay_seconds: Quota<u32>,
//! }
//!
//! impl QueueLimits {
//!     /// Code written against the 256 KiB message limit SQS had until 2025.
//!     pub fn legacy_256k() -> QueueLimits {
//!         QueueLimits {
//!             profile: Profile::new("legacy_256k"),
//!             maximum_message_size: Quota::new(ByteSize::kib(1), ByteSize::kib(256), ByteSize::kib(256)),
//!             ..QueueLimits::default()
//!         }
//!     }
//! }
//!
//! impl Default for QueueLimits {
//!     /// Today's SQS quotas.
//!     fn default() -> QueueLimits {
//!         QueueLimits {
//!             profile: Profile::DEFAULT,
//!             maximum_message_size: Quota::new(ByteSize::kib(1), ByteSize::mib(1), ByteSize::mib(1)),
//!             delay_seconds: Quota::new(0, 900, 0),
//!         }
//!     }
//! }
//!
//! impl Limits for QueueLimits {
//!     fn profile(&self) -> &Profile {
//!         &self.profile
//!     }
//!     fn profiles() -> Vec<QueueLimits> {
//!         vec![QueueLimits::default(), QueueLimits::legacy_256k()]
//!     }
//! }
//!
//! // A service validates its inputs against its limits...
//! let limits = QueueLimits::default();
//! assert_eq!(limits.delay_seconds.check(30, "DelaySeconds"), Ok(30));
//! let err = limits.delay_seconds.check(901, "DelaySeconds").unwrap_err();
//! assert_eq!(err.code(), "InvalidParameterValue");
//! assert_eq!(
//!     err.message(),
//!     "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."
//! );
//! assert_eq!(limits.delay_seconds.check_or_default(None, "DelaySeconds"), Ok(0));
//!
//! // ...and a user picks a profile by name.
//! let legacy = QueueLimits::from_profile("legacy_256k").unwrap();
//! assert_eq!(legacy.maximum_message_size.max, ByteSize::bytes(262_144));
//! assert!(!legacy.maximum_message_size.max.fits(300_000));
//! assert_eq!(QueueLimits::profile_names(), [Profile::DEFAULT, Profile::new("legacy_256k")]);
//! assert!(QueueLimits::from_profile("nope").is_none());
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The name of a limits profile (`"default"`, `"legacy_256k"`, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Profile(Cow<'static, str>);

impl Profile {
    /// The profile holding today's AWS defaults: `"default"`.
    pub const DEFAULT: Profile = Profile::new("default");

    /// A profile named by a static string.
    pub const fn new(name: &'static str) -> Profile {
        Profile(Cow::Borrowed(name))
    }

    /// A profile named at run time (from a config file or a command line).
    pub fn named(name: impl Into<String>) -> Profile {
        Profile(Cow::Owned(name.into()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is [`Profile::DEFAULT`].
    pub fn is_default(&self) -> bool {
        self.as_str() == Profile::DEFAULT.as_str()
    }
}

impl Default for Profile {
    /// [`Profile::DEFAULT`].
    fn default() -> Profile {
        Profile::DEFAULT
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for Profile {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Profile {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A service's limits: [`Default`] is today's AWS quotas; [`profiles`](Limits::profiles) lists
/// every named set the service offers. See the [module docs](self) for a complete example.
pub trait Limits: Clone + fmt::Debug + Default + Send + Sync + 'static {
    /// The profile this value was made from.
    fn profile(&self) -> &Profile;

    /// Every named profile, the default first.
    fn profiles() -> Vec<Self>;

    /// The profile named `name`, if the service has one.
    fn from_profile(name: &str) -> Option<Self> {
        Self::profiles()
            .into_iter()
            .find(|l| l.profile().as_str() == name)
    }

    /// The names of every profile, the default first.
    fn profile_names() -> Vec<Profile> {
        Self::profiles()
            .iter()
            .map(|l| l.profile().clone())
            .collect()
    }
}

/// The error code [`Quota::check`] answers with, as SQS does for an out-of-range parameter.
pub const INVALID_PARAMETER_VALUE: &str = "InvalidParameterValue";

/// One bounded parameter: the inclusive range AWS accepts and the value it uses when the
/// parameter is absent.
///
/// `min <= default <= max` is expected but not enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quota<T> {
    /// The smallest accepted value.
    pub min: T,
    /// The largest accepted value.
    pub max: T,
    /// The value used when the parameter is absent.
    pub default: T,
}

impl<T> Quota<T> {
    /// A quota accepting `min..=max`, defaulting to `default`.
    pub const fn new(min: T, max: T, default: T) -> Quota<T> {
        Quota { min, max, default }
    }

    /// The same quota with another maximum.
    pub fn with_max(self, max: T) -> Quota<T> {
        Quota { max, ..self }
    }

    /// The same quota with another minimum.
    pub fn with_min(self, min: T) -> Quota<T> {
        Quota { min, ..self }
    }

    /// The same quota with another default.
    pub fn with_default(self, default: T) -> Quota<T> {
        Quota { default, ..self }
    }
}

impl<T: PartialOrd> Quota<T> {
    /// Whether `min <= value <= max` (false for values that do not compare, such as NaN).
    pub fn contains(&self, value: &T) -> bool {
        self.min <= *value && *value <= self.max
    }
}

impl<T: PartialOrd + Copy + fmt::Display> Quota<T> {
    /// `value` if it is within the quota, else AWS's `InvalidParameterValue` error (400, sender)
    /// with [`range_message`](Quota::range_message).
    ///
    /// Services whose protocol uses another code for this message (Lambda's
    /// `InvalidParameterValueException`, SNS's `InvalidParameter`) rebuild the error from
    /// [`range_message`](Quota::range_message).
    pub fn check(&self, value: T, name: &str) -> Result<T, Error> {
        if self.contains(&value) {
            Ok(value)
        } else {
            Err(Error::validation(
                INVALID_PARAMETER_VALUE,
                self.range_message(value, name),
            ))
        }
    }

    /// [`check`](Quota::check) for an optional parameter: the default when it is absent.
    pub fn check_or_default(&self, value: Option<T>, name: &str) -> Result<T, Error> {
        match value {
            Some(v) => self.check(v, name),
            None => Ok(self.default),
        }
    }

    /// AWS's message for an out-of-range value:
    /// `Value {value} for parameter {name} is invalid. Reason: {name} must be >= {min} and <= {max}.`
    pub fn range_message(&self, value: T, name: &str) -> String {
        format!(
            "Value {value} for parameter {name} is invalid. Reason: {name} must be >= {} and <= {}.",
            self.min, self.max
        )
    }
}

/// A size in bytes.
///
/// Displays as the plain byte count (`262144`), as AWS messages print sizes; the alternate form
/// (`{:#}`) prints binary units where exact (`256 KiB`).
///
/// ```
/// use aws_lite_core::limits::ByteSize;
///
/// let legacy = ByteSize::kib(256);
/// assert_eq!(legacy.as_u64(), 262_144);
/// assert_eq!(legacy.to_string(), "262144");
/// assert_eq!(format!("{legacy:#}"), "256 KiB");
/// assert!(legacy.fits(262_144) && !legacy.fits(262_145));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct ByteSize(u64);

impl ByteSize {
    /// Zero bytes.
    pub const ZERO: ByteSize = ByteSize(0);

    /// `n` bytes.
    pub const fn bytes(n: u64) -> ByteSize {
        ByteSize(n)
    }

    /// `n` KiB (1,024 bytes each), saturating.
    pub const fn kib(n: u64) -> ByteSize {
        ByteSize(n.saturating_mul(1 << 10))
    }

    /// `n` MiB (1,048,576 bytes each), saturating.
    pub const fn mib(n: u64) -> ByteSize {
        ByteSize(n.saturating_mul(1 << 20))
    }

    /// `n` GiB, saturating.
    pub const fn gib(n: u64) -> ByteSize {
        ByteSize(n.saturating_mul(1 << 30))
    }

    /// The size of a buffer of `len` bytes.
    pub const fn of_len(len: usize) -> ByteSize {
        ByteSize(len as u64)
    }

    /// The number of bytes.
    pub const fn as_u64(self) -> u64 {
        self.0
    }

    /// The number of bytes as a `usize`, saturating on 32-bit targets.
    pub fn as_usize(self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }

    /// Whether `len` bytes fit: `len <= self`.
    pub const fn fits(self, len: usize) -> bool {
        (len as u64) <= self.0
    }
}

impl From<u64> for ByteSize {
    fn from(n: u64) -> ByteSize {
        ByteSize(n)
    }
}

impl From<ByteSize> for u64 {
    fn from(b: ByteSize) -> u64 {
        b.0
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
                if self.0 != 0 && self.0 % (1 << shift) == 0 {
                    return write!(f, "{} {unit}", self.0 >> shift);
                }
            }
            return write!(f, "{} B", self.0);
        }
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_builders_and_nan() {
        let q = Quota::new(0.0_f64, 1.0, 0.5).with_max(2.0).with_min(-1.0);
        assert!(q.contains(&2.0) && q.contains(&-1.0));
        assert!(q.check(f64::NAN, "Rate").is_err());
        assert_eq!(q.with_default(1.5).default, 1.5);
    }

    #[test]
    fn byte_size_units() {
        assert_eq!(ByteSize::mib(1).as_u64(), 1_048_576);
        assert_eq!(ByteSize::gib(u64::MAX), ByteSize::bytes(u64::MAX));
        assert_eq!(format!("{:#}", ByteSize::mib(1)), "1 MiB");
        assert_eq!(format!("{:#}", ByteSize::bytes(1000)), "1000 B");
        assert_eq!(format!("{:#}", ByteSize::ZERO), "0 B");
        assert_eq!(ByteSize::of_len(12).as_usize(), 12);
    }
}
