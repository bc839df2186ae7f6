//! What a publish carries and what subscribers receive: message attributes and their
//! validation, sizes, `MessageStructure=json`, the JSON envelope and the Lambda event.
//!
//! # Message attributes
//!
//! Attributes are [`MessageAttributeValue`]s (the same `DataType` / `StringValue` /
//! `BinaryValue` shape as SQS's). SNS checks each one and answers `ParameterValueInvalid`:
//!
//! - names: at most 256 bytes of `[A-Za-z0-9_.-]`, not starting or ending with `.`, no `..`;
//! - the type is `String`, `Number`, `Binary` or one of those followed by `.label`
//!   (`String.Array` is a JSON array in text);
//! - the value is present and non-empty, in `BinaryValue` for Binary types and `StringValue`
//!   otherwise; a Number must parse as a number;
//! - a `String.Array` must be a JSON array whose elements are strings, numbers, `true`, `false`
//!   or `null` (SNS's guide: "An array, formatted as a string, that can contain multiple values.
//!   The values can be strings, numbers, or the keywords true, false, and null"); `["a", 1,
//!   true, null]` and `[]` pass, `red`, `{"a": 1}` and `[["a"]]` do not. The code is SNS's
//!   `ParameterValueInvalid`; the message's wording is aws-lite's (AWS's exact text could not
//!   be confirmed).
//!
//! Filter policies match a `String.Array` attribute element by element (see
//! [`filter`](crate::filter)): `{"color": ["red"]}` matches `["blue", "red"]`.
//!
//! # Size
//!
//! A message's size is the bytes of its body plus, for each attribute, its name, its type and
//! its value. It must not exceed the topic's `MaximumMessageSize` (262,144 bytes by default);
//! a batch's entries together must not either.
//!
//! # Envelope
//!
//! Non-raw deliveries to SQS queues and in-process streams receive the JSON envelope SNS sends
//! (keys in AWS's order):
//!
//! ```json
//! {"Type":"Notification","MessageId":"…","TopicArn":"…","Subject":"…","Message":"…",
//!  "Timestamp":"2024-01-01T00:00:00.000Z","SignatureVersion":"1","Signature":"…",
//!  "SigningCertURL":"https://sns.us-east-1.amazonaws.com/SimpleNotificationService-….pem",
//!  "UnsubscribeURL":"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=…",
//!  "MessageAttributes":{"name":{"Type":"String","Value":"…"}}}
//! ```
//!
//! `Subject` and `MessageAttributes` are omitted when absent. FIFO topics omit the three
//! signature fields and add `SequenceNumber` after `MessageId`. `Timestamp` is the clock's wall
//! time at publish, in ISO-8601 UTC with milliseconds. The `Signature` is the base64 SHA-256 of
//! the canonical string SNS signs (`Message`, `MessageId`, `Subject`, `Timestamp`, `TopicArn`,
//! `Type`, each as `name\nvalue\n`) — stable and checkable, but not an RSA signature.
//! Binary attribute values appear base64-encoded.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_lite_core::Error;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use sha2::Digest as _;

pub use aws_lite_queue::MessageAttributeValue;

use crate::error;

/// Message attributes by name (sorted).
pub type MessageAttributes = BTreeMap<String, MessageAttributeValue>;

/// Checks publish message attributes as SNS does.
///
/// # Errors
///
/// `ParameterValueInvalid` with SNS's message for the first bad attribute.
pub fn validate_attributes(attributes: &MessageAttributes) -> Result<(), Error> {
    for (name, value) in attributes {
        validate_name(name)?;
        let ty = value.data_type.as_str();
        let base = value.base_type();
        let type_ok = matches!(ty, "String" | "Number" | "Binary")
            || (matches!(base, "String" | "Number" | "Binary")
                && ty.len() > base.len() + 1
                && ty.as_bytes().get(base.len()) == Some(&b'.'));
        if !type_ok {
            return Err(error::parameter_value_invalid(format!(
                "The message attribute '{name}' has an invalid message attribute type, the set \
                 of supported type prefixes is Binary, Number, and String."
            )));
        }
        let empty = || {
            error::parameter_value_invalid(format!(
                "The message attribute '{name}' must contain non-empty message attribute value \
                 for message attribute type '{ty}'."
            ))
        };
        if base == "Binary" {
            match (&value.binary_value, &value.string_value) {
                (Some(b), _) if !b.is_empty() => {}
                (None, Some(_)) => {
                    return Err(error::parameter_value_invalid(format!(
                        "The message attribute '{name}' with type '{ty}' must use field 'Binary'."
                    )));
                }
                _ => return Err(empty()),
            }
        } else {
            match (&value.string_value, &value.binary_value) {
                (Some(s), _) if !s.is_empty() => {
                    if base == "Number" && s.trim().parse::<f64>().is_err() {
                        return Err(error::parameter_value_invalid(format!(
                            "Could not cast message attribute '{name}' value to number."
                        )));
                    }
                    if ty == "String.Array" && !is_string_array(s) {
                        // SNS rejects a String.Array that is not a JSON array of strings,
                        // numbers, booleans and nulls; this wording is aws-lite's (AWS's exact
                        // text could not be confirmed).
                        return Err(error::parameter_value_invalid(format!(
                            "The message attribute '{name}' with type 'String.Array' has an \
                             invalid value: a String.Array must be a JSON array of strings, \
                             numbers, true, false or null."
                        )));
                    }
                }
                (None, Some(_)) => {
                    return Err(error::parameter_value_invalid(format!(
                        "The message attribute '{name}' with type '{ty}' must use field 'String'."
                    )));
                }
                _ => return Err(empty()),
            }
        }
    }
    Ok(())
}

/// Whether `text` is what a `String.Array` attribute must hold: a JSON array whose elements
/// are strings, numbers, `true`, `false` or `null` (no nested arrays or objects).
pub(crate) fn is_string_array(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items
            .iter()
            .all(|v| !matches!(v, Value::Array(_) | Value::Object(_))),
        _ => false,
    }
}

fn validate_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.len() > 256 {
        return Err(error::parameter_value_invalid(
            "Length of message attribute name must be less than 256 bytes.",
        ));
    }
    if name.starts_with('.') {
        return Err(error::parameter_value_invalid(
            "Invalid message attribute name starting with character '.' was found.",
        ));
    }
    if name.ends_with('.') {
        return Err(error::parameter_value_invalid(
            "Invalid message attribute name ending with character '.' was found.",
        ));
    }
    let mut prev = '\0';
    for c in name.chars() {
        if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            return Err(error::parameter_value_invalid(format!(
                "Invalid non-alphanumeric character '#x{:X}' was found in the message attribute \
                 name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
                c as u32
            )));
        }
        if c == '.' && prev == '.' {
            return Err(error::parameter_value_invalid(
                "Message attribute name can not have successive '.' character.",
            ));
        }
        prev = c;
    }
    Ok(())
}

/// The size SNS counts for a message: body bytes plus each attribute's name, type and value.
pub fn message_size(message: &str, attributes: &MessageAttributes) -> usize {
    message.len()
        + attributes
            .iter()
            .map(|(k, v)| {
                k.len()
                    + v.data_type.len()
                    + v.string_value.as_ref().map_or(0, String::len)
                    + v.binary_value.as_ref().map_or(0, |b| b.len())
            })
            .sum::<usize>()
}

/// The text value of an attribute as the envelope and filter policies see it (Binary: base64).
pub(crate) fn attribute_text(v: &MessageAttributeValue) -> String {
    match (&v.string_value, &v.binary_value) {
        (Some(s), _) => s.clone(),
        (None, Some(b)) => STANDARD.encode(b),
        (None, None) => String::new(),
    }
}

/// `MessageStructure=json`: the message per protocol, with the required `default`.
pub(crate) fn parse_structure(message: &str) -> Result<BTreeMap<String, String>, Error> {
    let value: Value = serde_json::from_str(message).map_err(|_| {
        error::invalid_parameter(
            "Invalid parameter: Message Structure - JSON message body failed to parse",
        )
    })?;
    let Value::Object(map) = value else {
        return Err(error::invalid_parameter(
            "Invalid parameter: Message Structure - JSON message body failed to parse",
        ));
    };
    // Keys whose values are not strings are ignored.
    let out: BTreeMap<String, String> = map
        .into_iter()
        .filter_map(|(k, v)| match v {
            Value::String(s) => Some((k, s)),
            _ => None,
        })
        .collect();
    if !out.contains_key("default") {
        return Err(error::invalid_parameter(
            "Invalid parameter: Message Structure - No default entry in JSON message body",
        ));
    }
    Ok(out)
}

/// ISO-8601 UTC with milliseconds (`2024-01-01T00:00:00.000Z`) for epoch milliseconds.
pub(crate) fn iso8601(epoch_ms: u64) -> String {
    let secs = epoch_ms / 1000;
    let ms = epoch_ms % 1000;
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, (rem % 3600) / 60, rem % 60);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
}

/// One published message, shared by every delivery of it.
#[derive(Debug)]
pub(crate) struct Published {
    pub(crate) message_id: String,
    pub(crate) topic_arn: Arc<str>,
    pub(crate) region: Arc<str>,
    pub(crate) subject: Option<String>,
    pub(crate) message: String,
    /// `MessageStructure=json`: the message per protocol (with `default`).
    pub(crate) structure: Option<BTreeMap<String, String>>,
    pub(crate) attributes: MessageAttributes,
    pub(crate) timestamp: String,
    pub(crate) fifo: bool,
    pub(crate) sequence_number: Option<String>,
    pub(crate) group_id: Option<String>,
    pub(crate) dedup_id: Option<String>,
    pub(crate) signature_version: String,
}

impl Published {
    /// The message text for `protocol` (its entry of a JSON structure, else `default`).
    pub(crate) fn message_for(&self, protocol: &str) -> &str {
        match &self.structure {
            Some(map) => map
                .get(protocol)
                .or_else(|| map.get("default"))
                .map_or(self.message.as_str(), String::as_str),
            None => &self.message,
        }
    }

    /// Attributes delivered with the message (none with `MessageStructure=json`).
    pub(crate) fn delivered_attributes(&self) -> &MessageAttributes {
        static EMPTY: MessageAttributes = BTreeMap::new();
        if self.structure.is_some() {
            &EMPTY
        } else {
            &self.attributes
        }
    }

    pub(crate) fn signing_cert_url(&self) -> String {
        format!(
            "https://sns.{}.amazonaws.com/SimpleNotificationService-aws-lite.pem",
            self.region
        )
    }

    pub(crate) fn unsubscribe_url(&self, subscription_arn: &str) -> String {
        format!(
            "https://sns.{}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}",
            self.region
        )
    }

    /// The signature stand-in: base64 SHA-256 of SNS's canonical signing string.
    pub(crate) fn signature(&self, message: &str) -> String {
        let mut canon = String::new();
        for (k, v) in [
            ("Message", Some(message)),
            ("MessageId", Some(self.message_id.as_str())),
            ("Subject", self.subject.as_deref()),
            ("Timestamp", Some(self.timestamp.as_str())),
            ("TopicArn", Some(&*self.topic_arn)),
            ("Type", Some("Notification")),
        ] {
            if let Some(v) = v {
                canon.push_str(k);
                canon.push('\n');
                canon.push_str(v);
                canon.push('\n');
            }
        }
        STANDARD.encode(sha2::Sha256::digest(canon.as_bytes()))
    }

    /// `{"name":{"Type":…,"Value":…},…}`, or `None` without attributes.
    fn attributes_json(&self) -> Option<String> {
        let attrs = self.delivered_attributes();
        if attrs.is_empty() {
            return None;
        }
        let mut w = ObjectWriter::new();
        for (k, v) in attrs {
            let mut a = ObjectWriter::new();
            a.string("Type", &v.data_type);
            a.string("Value", &attribute_text(v));
            w.raw(k, &a.finish());
        }
        Some(w.finish())
    }

    /// The JSON envelope for a subscription (SQS, streams), keys in AWS's order.
    pub(crate) fn envelope(&self, protocol: &str, subscription_arn: &str) -> String {
        let message = self.message_for(protocol);
        let mut w = ObjectWriter::new();
        w.string("Type", "Notification");
        w.string("MessageId", &self.message_id);
        if let Some(seq) = &self.sequence_number {
            w.string("SequenceNumber", seq);
        }
        w.string("TopicArn", &self.topic_arn);
        if let Some(s) = &self.subject {
            w.string("Subject", s);
        }
        w.string("Message", message);
        w.string("Timestamp", &self.timestamp);
        if !self.fifo {
            w.string("SignatureVersion", &self.signature_version);
            w.string("Signature", &self.signature(message));
            w.string("SigningCertURL", &self.signing_cert_url());
        }
        w.string("UnsubscribeURL", &self.unsubscribe_url(subscription_arn));
        if let Some(a) = self.attributes_json() {
            w.raw("MessageAttributes", &a);
        }
        w.finish()
    }

    /// The event a Lambda function receives (`{"Records":[{"EventSource":"aws:sns",…}]}`).
    pub(crate) fn lambda_event(&self, subscription_arn: &str) -> String {
        let message = self.message_for("lambda");
        let mut sns = ObjectWriter::new();
        sns.string("Type", "Notification");
        sns.string("MessageId", &self.message_id);
        if let Some(seq) = &self.sequence_number {
            sns.string("SequenceNumber", seq);
        }
        sns.string("TopicArn", &self.topic_arn);
        match &self.subject {
            Some(s) => sns.string("Subject", s),
            None => sns.raw("Subject", "null"),
        }
        sns.string("Message", message);
        sns.string("Timestamp", &self.timestamp);
        if !self.fifo {
            sns.string("SignatureVersion", &self.signature_version);
            sns.string("Signature", &self.signature(message));
            sns.string("SigningCertUrl", &self.signing_cert_url());
        }
        sns.string("UnsubscribeUrl", &self.unsubscribe_url(subscription_arn));
        sns.raw(
            "MessageAttributes",
            &self.attributes_json().unwrap_or_else(|| "{}".into()),
        );
        let mut record = ObjectWriter::new();
        record.string("EventSource", "aws:sns");
        record.string("EventVersion", "1.0");
        record.string("EventSubscriptionArn", subscription_arn);
        record.raw("Sns", &sns.finish());
        format!("{{\"Records\":[{}]}}", record.finish())
    }
}

/// Writes a JSON object with keys in insertion order.
pub(crate) struct ObjectWriter {
    out: String,
}

impl ObjectWriter {
    pub(crate) fn new() -> ObjectWriter {
        ObjectWriter {
            out: String::from("{"),
        }
    }

    fn key(&mut self, key: &str) {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        self.out
            .push_str(&Value::String(key.to_string()).to_string());
        self.out.push(':');
    }

    pub(crate) fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        self.out
            .push_str(&Value::String(value.to_string()).to_string());
    }

    pub(crate) fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.out.push_str(json);
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn iso_timestamps() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_335_920_046_655), "2012-05-02T00:54:06.655Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
