//! The MD5 digests SQS returns: `MD5OfMessageBody`, `MD5OfMessageAttributes` and
//! `MD5OfMessageSystemAttributes`.
//!
//! The AWS SDKs for Java and .NET recompute these digests and fail the call when they differ, so
//! they must match what SQS computes bit for bit. The algorithm is the one the SDKs use to check
//! them (Java SDK `MessageMD5ChecksumHandler`, mirrored by moto):
//!
//! - **Body**: MD5 of the body's UTF-8 bytes, as 32 lowercase hex digits.
//! - **Attributes**: visit the attributes sorted by name; for each one append
//!   `u32be(len(name)) ‖ name ‖ u32be(len(type)) ‖ type`, then the transport byte `1` followed by
//!   `u32be(len(value)) ‖ value` for a `StringValue` (String and Number types, custom suffixes
//!   included), or the byte `2` followed by the length and the raw bytes of a `BinaryValue`; the
//!   digest of the whole is the result. An empty map has no digest (SQS omits the field).
//!
//! Message system attributes (`AWSTraceHeader`) use the same shape and the same function.
//!
//! # Ordering
//!
//! [`MessageAttributes`] is a `BTreeMap<String, _>`, which iterates names in byte order. For UTF-8
//! that is code-point order, the order Python's `sorted` gives (moto, botocore). The Java SDK sorts
//! UTF-16 code units instead; the two orders differ only between characters above U+FFFF and
//! characters in U+E000..=U+FFFF, neither of which SQS allows in an attribute name.
//!
//! # Example
//!
//! ```
//! use aws_lite_queue::md5::{md5_of_attributes, md5_of_body};
//! use aws_lite_queue::{MessageAttributeValue, MessageAttributes};
//!
//! assert_eq!(md5_of_body("hello"), "5d41402abc4b2a76b9719d911017c592");
//!
//! let mut attrs = MessageAttributes::new();
//! assert_eq!(md5_of_attributes(&attrs), None);
//! attrs.insert("attribName1".into(), MessageAttributeValue::string("attribValue 1"));
//! assert_eq!(md5_of_attributes(&attrs).as_deref(), Some("19e27d4e946b072f3f58da80d94fd778"));
//! ```

use std::fmt;

use ::md5::{Digest, Md5};

use crate::types::{MessageAttributeValue, MessageAttributes};

/// The transport byte that precedes a `StringValue` in the attribute digest.
const STRING_TRANSPORT: u8 = 1;
/// The transport byte that precedes a `BinaryValue` in the attribute digest.
const BINARY_TRANSPORT: u8 = 2;
/// Lowercase hex digits by value.
const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// A 128-bit MD5 digest as 32 lowercase hex digits, held on the stack.
///
/// The `*_hex` functions return it so a hot path can write the digest (`as_str`, `Display`)
/// without allocating; `String::from` turns it into an owned string.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Md5Hex([u8; 32]);

impl Md5Hex {
    /// Encodes a raw 16-byte digest as lowercase hex.
    pub fn from_digest(digest: [u8; 16]) -> Md5Hex {
        let mut out = [0u8; 32];
        for (pair, byte) in out.chunks_exact_mut(2).zip(digest) {
            pair[0] = HEX_DIGITS[usize::from(byte >> 4)];
            pair[1] = HEX_DIGITS[usize::from(byte & 0x0f)];
        }
        Md5Hex(out)
    }

    /// The 32 hex digits.
    pub fn as_str(&self) -> &str {
        // Invariant: the buffer only ever holds bytes from `HEX_DIGITS`, which are ASCII.
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }
}

impl fmt::Display for Md5Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Md5Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl AsRef<str> for Md5Hex {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<Md5Hex> for String {
    fn from(hex: Md5Hex) -> String {
        hex.as_str().to_owned()
    }
}

impl PartialEq<str> for Md5Hex {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Md5Hex {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Lowercase hex of any byte string, two digits per byte (e.g. the SHA-256 of a body that
/// content-based deduplication uses as the deduplication id).
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// `MD5OfMessageBody`, without allocating: MD5 of the body's UTF-8 bytes.
pub fn md5_hex_of_body(body: &str) -> Md5Hex {
    Md5Hex::from_digest(Md5::digest(body.as_bytes()).into())
}

/// `MD5OfMessageBody`: lowercase hex MD5 of the body's UTF-8 bytes.
pub fn md5_of_body(body: &str) -> String {
    md5_hex_of_body(body).into()
}

/// `MD5OfMessageAttributes` (or `MD5OfMessageSystemAttributes`) without allocating; `None` for an
/// empty map.
pub fn md5_hex_of_attributes(attrs: &MessageAttributes) -> Option<Md5Hex> {
    md5_hex_of_sorted_attributes(attrs.iter().map(|(name, value)| (name.as_str(), value)))
}

/// `MD5OfMessageAttributes` (or `MD5OfMessageSystemAttributes`); `None` for an empty map.
pub fn md5_of_attributes(attrs: &MessageAttributes) -> Option<String> {
    md5_hex_of_attributes(attrs).map(String::from)
}

/// The attribute digest of `(name, value)` pairs that the caller yields **sorted by name**, such
/// as a filtered iteration of a [`MessageAttributes`] map (ReceiveMessage digests only the
/// attributes it returns). `None` when there are no pairs.
///
/// A value with a `StringValue` is encoded with transport byte 1, else one with a `BinaryValue`
/// with byte 2 (the SDKs decide by the value present, which for a valid attribute is the one its
/// type calls for); a value with neither contributes only its name and type.
pub fn md5_hex_of_sorted_attributes<'a>(
    attrs: impl IntoIterator<Item = (&'a str, &'a MessageAttributeValue)>,
) -> Option<Md5Hex> {
    let mut hasher = Md5::new();
    let mut any = false;
    for (name, value) in attrs {
        any = true;
        update_length_prefixed(&mut hasher, name.as_bytes());
        update_length_prefixed(&mut hasher, value.data_type.as_bytes());
        if let Some(text) = &value.string_value {
            hasher.update([STRING_TRANSPORT]);
            update_length_prefixed(&mut hasher, text.as_bytes());
        } else if let Some(bytes) = &value.binary_value {
            hasher.update([BINARY_TRANSPORT]);
            update_length_prefixed(&mut hasher, bytes);
        }
    }
    any.then(|| Md5Hex::from_digest(hasher.finalize().into()))
}

/// Appends `u32be(len(bytes)) ‖ bytes`.
fn update_length_prefixed(hasher: &mut Md5, bytes: &[u8]) {
    // Attribute parts are bounded far below 4 GiB by the message size limit; saturate rather
    // than wrap should a caller hash something larger.
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    hasher.update(len.to_be_bytes());
    hasher.update(bytes);
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;

    fn attrs(entries: &[(&str, MessageAttributeValue)]) -> MessageAttributes {
        entries
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    fn published_string() -> (&'static str, MessageAttributeValue) {
        (
            "attribName1",
            MessageAttributeValue::string("attribValue 1"),
        )
    }

    fn published_binary() -> (&'static str, MessageAttributeValue) {
        (
            "binaryAttribute",
            MessageAttributeValue::binary(Bytes::from_static(b"Hello binary world!")),
        )
    }

    fn published_number() -> (&'static str, MessageAttributeValue) {
        (
            "customNumberTypeAttrib",
            MessageAttributeValue::number("4563442423554324324264524243.32543234")
                .with_custom_type("float"),
        )
    }

    #[test]
    fn body_vectors() {
        // Computed independently with python3 hashlib.md5(s.encode()).hexdigest().
        assert_eq!(md5_of_body(""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_of_body("hello"), "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(
            md5_of_body("héllo wörld ✓ 𝄞"),
            "2ad9ec7d8e130da7f04945789c94d380"
        );
        // Recorded from AWS (LocalStack snapshots, 2023-11-14).
        assert_eq!(md5_of_body("msg"), "6e2baaf3b97dbeef01c0043275f9a0e7");
        assert_eq!(md5_of_body("test"), "098f6bcd4621d373cade4e832627b4f6");
    }

    #[test]
    fn hex_body_matches_string_body() {
        let hex = md5_hex_of_body("hello");
        assert_eq!(hex, "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(hex.to_string(), md5_of_body("hello"));
        assert_eq!(format!("{hex:?}"), "\"5d41402abc4b2a76b9719d911017c592\"");
    }

    #[test]
    fn hex_helpers() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        let digest = [
            0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8,
            0x42, 0x7e,
        ];
        assert_eq!(
            Md5Hex::from_digest(digest).as_str(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert_eq!(Md5Hex::from_digest(digest).as_str(), hex(&digest));
    }

    #[test]
    fn empty_attributes_have_no_digest() {
        assert_eq!(md5_of_attributes(&MessageAttributes::new()), None);
        assert_eq!(md5_hex_of_sorted_attributes([]), None);
    }

    #[test]
    fn published_string_vector() {
        let map = attrs(&[published_string()]);
        assert_eq!(
            md5_of_attributes(&map).as_deref(),
            Some("19e27d4e946b072f3f58da80d94fd778")
        );
    }

    #[test]
    fn published_binary_vector() {
        let map = attrs(&[published_binary()]);
        assert_eq!(
            md5_of_attributes(&map).as_deref(),
            Some("31a92b15d92f8db860eda32aceb656c3")
        );
    }

    #[test]
    fn published_mixed_vector() {
        let map = attrs(&[published_number(), published_binary(), published_string()]);
        assert_eq!(
            md5_of_attributes(&map).as_deref(),
            Some("c932db14a896c663f83c260297d594ff")
        );
    }

    #[test]
    fn aws_recorded_vectors() {
        // MD5OfMessageAttributes values SQS returned in LocalStack's AWS-recorded snapshots.
        let general = ("General", MessageAttributeValue::string("Kenobi"));
        let hello = ("Hello", MessageAttributeValue::string("There"));
        let help = ("Help.Me", MessageAttributeValue::string("Me"));
        let all = attrs(&[general.clone(), hello.clone(), help]);
        assert_eq!(
            md5_of_attributes(&all).as_deref(),
            Some("4c360f3fdafd970e05fae2f149d997f5")
        );
        assert_eq!(
            md5_of_attributes(&attrs(&[general, hello.clone()])).as_deref(),
            Some("fca026605781cb4126a1e9044df24232")
        );
        assert_eq!(
            md5_of_attributes(&attrs(&[hello])).as_deref(),
            Some("a311262e065454b75da111d535b8dacd")
        );
        let binary = MessageAttributeValue::binary(Bytes::from_static(
            b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01",
        ));
        assert_eq!(
            md5_of_attributes(&attrs(&[("attr1", binary)])).as_deref(),
            Some("8cbe4db156db8a94db8b801b7addb984")
        );
    }

    #[test]
    fn system_attribute_vector() {
        // python3 over the same byte layout; equals Inqnuam/local-aws-sqs's expectation.
        let trace = MessageAttributeValue::string("some-trace-id");
        assert_eq!(
            md5_of_attributes(&attrs(&[("AWSTraceHeader", trace)])).as_deref(),
            Some("fdce4f2818803f2f73becc09a54792c0")
        );
    }

    #[test]
    fn filtered_iteration_matches_submap() {
        let all = attrs(&[published_number(), published_binary(), published_string()]);
        let filtered = md5_hex_of_sorted_attributes(
            all.iter()
                .filter(|(name, _)| name.starts_with('b'))
                .map(|(name, value)| (name.as_str(), value)),
        );
        assert_eq!(
            filtered.map(String::from).as_deref(),
            Some("31a92b15d92f8db860eda32aceb656c3")
        );
    }

    #[test]
    fn insertion_order_does_not_matter() {
        let a = attrs(&[published_string(), published_binary(), published_number()]);
        let b = attrs(&[published_number(), published_string(), published_binary()]);
        assert_eq!(md5_of_attributes(&a), md5_of_attributes(&b));
    }
}
