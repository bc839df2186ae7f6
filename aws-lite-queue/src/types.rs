//! Value types shared by every operation: message attributes and attribute maps.

use std::collections::BTreeMap;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

/// A message attribute (or message system attribute) value, as SQS spells it on the wire.
///
/// `DataType` is `String`, `Number` or `Binary`, optionally followed by `.` and a custom label
/// (`Number.float`, `Binary.gif`). String and Number types carry `StringValue`; Binary types carry
/// `BinaryValue` (base64 on the JSON wire).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MessageAttributeValue {
    /// `String`, `Number`, `Binary`, or one of those with a `.custom` suffix.
    pub data_type: String,
    /// The value of a String or Number attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string_value: Option<String>,
    /// The value of a Binary attribute.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::types::base64_opt"
    )]
    pub binary_value: Option<Bytes>,
}

impl MessageAttributeValue {
    /// A `String` attribute.
    pub fn string(value: impl Into<String>) -> MessageAttributeValue {
        MessageAttributeValue {
            data_type: "String".into(),
            string_value: Some(value.into()),
            binary_value: None,
        }
    }

    /// A `Number` attribute; `value` is its decimal text.
    pub fn number(value: impl ToString) -> MessageAttributeValue {
        MessageAttributeValue {
            data_type: "Number".into(),
            string_value: Some(value.to_string()),
            binary_value: None,
        }
    }

    /// A `Binary` attribute.
    pub fn binary(value: impl Into<Bytes>) -> MessageAttributeValue {
        MessageAttributeValue {
            data_type: "Binary".into(),
            string_value: None,
            binary_value: Some(value.into()),
        }
    }

    /// The same value with a custom type label: `String.label`, `Number.label`, `Binary.label`.
    pub fn with_custom_type(mut self, label: &str) -> MessageAttributeValue {
        let base = self.base_type().to_string();
        self.data_type = format!("{base}.{label}");
        self
    }

    /// The data type without its custom label: `String`, `Number`, `Binary` (or the whole text if
    /// it has no dot).
    pub fn base_type(&self) -> &str {
        self.data_type
            .split_once('.')
            .map_or(self.data_type.as_str(), |(b, _)| b)
    }
}

/// Message attributes by name. A `BTreeMap`, so names iterate sorted, as the MD5 digest needs.
pub type MessageAttributes = BTreeMap<String, MessageAttributeValue>;

/// Serde helper: `Option<Bytes>` as base64 text.
pub(crate) mod base64_opt {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use bytes::Bytes;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(v: &Option<Bytes>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.serialize_str(&STANDARD.encode(b)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Bytes>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        match text {
            None => Ok(None),
            Some(t) => STANDARD
                .decode(t.as_bytes())
                .map(|v| Some(Bytes::from(v)))
                .map_err(serde::de::Error::custom),
        }
    }
}
