//! SNS subscription filter policies and EventBridge event patterns: the compiler and the
//! matcher, usable without SNS.
//!
//! A [`Policy`] is one validated pattern; a [`FilterSet`] holds many and matches an event
//! against all of them at once; a [`TopicFilter`] holds an SNS topic's policies of both scopes.
//!
//! ```
//! use aws_lite_pubsub::filter::{AttributeValue, Dialect, FilterPolicyScope, Policy};
//!
//! let policy = Policy::parse(
//!     r#"{"customer_interests": ["rugby", "football", "baseball"]}"#,
//!     Dialect::Sns(FilterPolicyScope::MessageAttributes),
//! )?;
//! let attrs = [(
//!     "customer_interests",
//!     AttributeValue::StringArray(r#"["soccer", "rugby", "hockey"]"#),
//! )];
//! assert!(policy.matches_attributes(attrs));
//! # Ok::<(), aws_lite_core::Error>(())
//! ```
//!
//! # Dialects and scopes
//!
//! - [`Dialect::Sns`] with [`FilterPolicyScope::MessageAttributes`] (SNS's default): the event
//!   is the message's attributes. Policies are flat (nesting is rejected). `String` attributes
//!   are strings, `Number` attributes numbers, each element of a `String.Array` attribute (a
//!   JSON array in text) is matched on its own; `Binary` attributes are ignored.
//! - [`Dialect::Sns`] with [`FilterPolicyScope::MessageBody`]: the event is the message body,
//!   which must be a JSON object (any other body matches nothing). Policies may nest.
//! - [`Dialect::EventBridge`]: the event is the whole event. Adds `wildcard`, `prefix` and
//!   `suffix` with `equals-ignore-case`, and the `anything-but` forms `suffix`, `wildcard` and
//!   `equals-ignore-case` (and lists under `prefix`); no key or combination limits; values
//!   matched inside objects in an array must come from the same array element.
//! - [`Dialect::Quamina`]: EventBridge plus quamina's `regexp` (I-Regexp with `~` escapes).
//!
//! Keys in the event that no field names are ignored. Paths join keys with dots, on both sides:
//! `{"a": {"b": ["x"]}}` and `{"a.b": ["x"]}` both match `{"a": {"b": "x"}}` and
//! `{"a.b": "x"}`.
//!
//! # Logic
//!
//! Fields are ANDed; the values in a field's array are ORed; `"$or": [{…}, {…}]` (two or more
//! objects, nestable) ORs groups of fields. A field whose event value is an array matches when
//! any element does.
//!
//! ```
//! use aws_lite_pubsub::filter::{Dialect, FilterPolicyScope, Policy};
//!
//! let policy = Policy::parse(
//!     r#"{"source": ["aws.cloudwatch"],
//!         "$or": [{"metricName": ["CPUUtilization"]}, {"namespace": ["AWS/EC2"]}]}"#,
//!     Dialect::Sns(FilterPolicyScope::MessageBody),
//! )?;
//! assert!(policy.matches_str(r#"{"source": "aws.cloudwatch", "namespace": "AWS/EC2"}"#));
//! assert!(!policy.matches_str(r#"{"source": "aws.cloudwatch", "namespace": "AWS/ES"}"#));
//! # Ok::<(), aws_lite_core::Error>(())
//! ```
//!
//! # Operators
//!
//! | operator | example | matches |
//! |---|---|---|
//! | exact | `["rugby", 301.5, true, null]` | equal strings (case-sensitive), numbers equal by value (`301.5` matches `3.015e2`), `true`/`false`/`null` |
//! | `prefix`, `suffix` | `[{"prefix": "bas"}]` | strings starting (ending) with the text |
//! | `equals-ignore-case` | `[{"equals-ignore-case": "RUGBY"}]` | strings equal ignoring case |
//! | `anything-but` | `[{"anything-but": ["rugby", "tennis"]}]`, `[{"anything-but": 100}]`, `[{"anything-but": {"prefix": "order-"}}]` | a present value that is none of those (missing fields never match) |
//! | `numeric` | `[{"numeric": [">", 0, "<=", 150]}]`, `[{"numeric": ["=", 301.5]}]` | numbers in the range (bounds: lower first) |
//! | `exists` | `[{"exists": true}]` | the key is present (`false`: absent) |
//! | `cidr` | `[{"cidr": "10.0.0.0/24"}]`, `[{"cidr": "2001:db8::/32"}]` | IPv4/IPv6 addresses in the block |
//!
//! `anything-but` may share a field's list with `{"exists": false}` (present and not listed, or
//! absent). On a `String.Array` attribute it matches when none of the elements is listed. In
//! the SNS attribute scope `exists: false` matches only when the message has at least one
//! attribute.
//!
//! ```
//! use aws_lite_pubsub::filter::{AttributeValue, Dialect, FilterPolicyScope, Policy};
//!
//! let attrs_policy = |text: &str| {
//!     Policy::parse(text, Dialect::Sns(FilterPolicyScope::MessageAttributes)).unwrap()
//! };
//! let p = attrs_policy(r#"{"price": [{"numeric": ["=", 301.5]}]}"#);
//! assert!(p.matches_attributes([("price", AttributeValue::Number("3.015e2"))]));
//!
//! let p = attrs_policy(r#"{"source_ip": [{"cidr": "10.0.0.0/24"}]}"#);
//! assert!(p.matches_attributes([("source_ip", AttributeValue::String("10.0.0.255"))]));
//! assert!(!p.matches_attributes([("source_ip", AttributeValue::String("10.1.1.0"))]));
//!
//! let p = attrs_policy(r#"{"store": [{"exists": false}]}"#);
//! assert!(p.matches_attributes([("other", AttributeValue::String("x"))]));
//! assert!(!p.matches_attributes([]));
//! ```
//!
//! # Numbers
//!
//! Numbers compare by value. SNS compares with six decimals within ±1e9 (its documented range
//! and "five digits of accuracy"): numbers in `numeric` and numeric `anything-but` must lie
//! within ±1e9, and event values outside it match no range. EventBridge compares doubles.
//!
//! # Validation
//!
//! [`Policy::parse`] rejects what AWS rejects, with AWS's messages, including the JSON
//! position AWS appends (`"\n at [Source: (String)\"…\"; line: 1, column: 10]"`; SNS counts the
//! column in the policy re-serialized without whitespace, EventBridge in the text as sent).
//! SNS adds: at most 5 top-level keys ("Filter policy can not have more than 5 keys"); at most
//! 150 combinations, counted as the sum over `$or` branches of the product of each field's
//! value count times its nesting depth ("Filter policy is too complex"); no nesting in the
//! `MessageAttributes` scope; no bare values (`{"key": "value"}`); and `anything-but` only with
//! a value, a list or `{"prefix": …}`.
//!
//! ```
//! use aws_lite_pubsub::filter::{
//!     Dialect, FilterPolicyScope, Policy, PolicyOperation, with_operation_prefix,
//! };
//!
//! let err = Policy::parse(
//!     r#"{"key": [{"anything-but": {"suffix": "test"}}]}"#,
//!     Dialect::Sns(FilterPolicyScope::MessageAttributes),
//! )
//! .unwrap_err();
//! let err = with_operation_prefix(err, PolicyOperation::Subscribe);
//! assert_eq!(
//!     err.message(),
//!     "Invalid parameter: Attributes Reason: FilterPolicy: Unsupported anything-but pattern: \
//!      suffix\n at [Source: (String)\"{\"key\":[{\"anything-but\":{\"suffix\":\"test\"}}]}\"; \
//!      line: 1, column: 36]"
//! );
//! ```
//!
//! # Matching many policies
//!
//! [`FilterSet`] indexes each branch under its most selective condition, by path and value, so
//! matching costs about the same for a hundred policies or ten thousand; JSON text is scanned
//! in place for the paths its policies use, without building a tree. See its docs. Its results
//! equal [`Policy`]'s for every policy it holds, on parsed events and on JSON text spelled in
//! several ways (a property test checks this).

mod compile;
mod error;
mod event;
mod json;
mod policy;
mod regexp;
mod set;
mod table;
mod value;

use serde_json::Value;

pub use error::{INVALID_EVENT_PATTERN, INVALID_PARAMETER, PolicyOperation, with_operation_prefix};
pub use event::AttributeValue;
pub use policy::Policy;
pub use set::{FilterSet, TopicFilter};

use value::NumberSemantics;

/// What an SNS filter policy is matched against (the subscription's `FilterPolicyScope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FilterPolicyScope {
    /// The message attributes (SNS's default).
    #[default]
    MessageAttributes,
    /// The message body, a JSON object.
    MessageBody,
}

impl FilterPolicyScope {
    /// The scope named by a `FilterPolicyScope` attribute value.
    ///
    /// # Errors
    ///
    /// SNS's `InvalidParameter` for any other value.
    pub fn parse(value: &str) -> Result<FilterPolicyScope, aws_lite_core::Error> {
        match value {
            "MessageAttributes" => Ok(FilterPolicyScope::MessageAttributes),
            "MessageBody" => Ok(FilterPolicyScope::MessageBody),
            other => Err(aws_lite_core::Error::validation(
                INVALID_PARAMETER,
                format!(
                    "Invalid parameter: FilterPolicyScope: Invalid value [{other}]. Please use \
                     either MessageBody or MessageAttributes"
                ),
            )),
        }
    }

    /// The attribute value SNS uses for this scope.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterPolicyScope::MessageAttributes => "MessageAttributes",
            FilterPolicyScope::MessageBody => "MessageBody",
        }
    }
}

/// The rules a pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// An SNS subscription filter policy of the given scope.
    Sns(FilterPolicyScope),
    /// An EventBridge event pattern.
    EventBridge,
    /// An EventBridge pattern that may also use quamina's `regexp` operator.
    Quamina,
}

impl Dialect {
    /// Whether this is an SNS filter policy.
    pub fn is_sns(self) -> bool {
        matches!(self, Dialect::Sns(_))
    }

    /// Whether values matched inside objects in an array must come from the same element.
    pub fn array_consistent(self) -> bool {
        !self.is_sns()
    }

    pub(crate) fn number_semantics(self) -> NumberSemantics {
        if self.is_sns() {
            NumberSemantics::Sns
        } else {
            NumberSemantics::EventBridge
        }
    }
}

/// An event to match.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Event<'a> {
    /// SNS message attributes.
    Attributes(&'a [(&'a str, AttributeValue<'a>)]),
    /// A parsed JSON document: an SNS message body or an EventBridge event.
    Json(&'a Value),
    /// JSON text: an SNS message body or an EventBridge event.
    Text(&'a str),
}

impl Policy {
    /// Whether `event` matches.
    pub fn matches(&self, event: Event<'_>) -> bool {
        match event {
            Event::Attributes(attrs) => self.matches_attributes(attrs.iter().copied()),
            Event::Json(v) => self.matches_json(v),
            Event::Text(t) => self.matches_str(t),
        }
    }
}
