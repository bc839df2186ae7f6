//! SQS's digests through the public `aws_lite_queue::md5` API: the published vectors, digests
//! AWS returned in recorded responses, and body digests computed independently with Python's
//! `hashlib`.

use aws_lite_queue::md5::{
    hex, md5_hex_of_attributes, md5_hex_of_body, md5_hex_of_sorted_attributes, md5_of_attributes,
    md5_of_body,
};
use aws_lite_queue::{MessageAttributeValue, MessageAttributes};
use bytes::Bytes;

fn attrs(entries: Vec<(&str, MessageAttributeValue)>) -> MessageAttributes {
    entries
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect()
}

fn string_attr() -> (&'static str, MessageAttributeValue) {
    (
        "attribName1",
        MessageAttributeValue::string("attribValue 1"),
    )
}

fn binary_attr() -> (&'static str, MessageAttributeValue) {
    (
        "binaryAttribute",
        MessageAttributeValue::binary(Bytes::from_static(b"Hello binary world!")),
    )
}

fn number_attr() -> (&'static str, MessageAttributeValue) {
    (
        "customNumberTypeAttrib",
        MessageAttributeValue {
            data_type: "Number.float".to_owned(),
            string_value: Some("4563442423554324324264524243.32543234".to_owned()),
            binary_value: None,
        },
    )
}

#[test]
fn published_vector_string_attribute() {
    let map = attrs(vec![string_attr()]);
    assert_eq!(
        md5_of_attributes(&map).as_deref(),
        Some("19e27d4e946b072f3f58da80d94fd778")
    );
}

#[test]
fn published_vector_binary_attribute() {
    let map = attrs(vec![binary_attr()]);
    assert_eq!(
        md5_of_attributes(&map).as_deref(),
        Some("31a92b15d92f8db860eda32aceb656c3")
    );
}

#[test]
fn published_vector_three_attributes() {
    let map = attrs(vec![string_attr(), binary_attr(), number_attr()]);
    assert_eq!(
        md5_of_attributes(&map).as_deref(),
        Some("c932db14a896c663f83c260297d594ff")
    );
    assert_eq!(
        md5_hex_of_attributes(&map)
            .map(|h| h.to_string())
            .as_deref(),
        Some("c932db14a896c663f83c260297d594ff")
    );
}

#[test]
fn no_attributes_no_digest() {
    assert_eq!(md5_of_attributes(&MessageAttributes::new()), None);
    assert_eq!(md5_hex_of_attributes(&MessageAttributes::new()), None);
}

#[test]
fn digests_aws_returned() {
    // MD5OfMessageAttributes values from responses AWS sent (LocalStack's recorded snapshots).
    let general = ("General", MessageAttributeValue::string("Kenobi"));
    let hello = ("Hello", MessageAttributeValue::string("There"));
    let help = ("Help.Me", MessageAttributeValue::string("Me"));
    let all = attrs(vec![help, hello.clone(), general.clone()]);
    assert_eq!(
        md5_of_attributes(&all).as_deref(),
        Some("4c360f3fdafd970e05fae2f149d997f5")
    );
    assert_eq!(
        md5_of_attributes(&attrs(vec![hello.clone(), general])).as_deref(),
        Some("fca026605781cb4126a1e9044df24232")
    );
    assert_eq!(
        md5_of_attributes(&attrs(vec![hello])).as_deref(),
        Some("a311262e065454b75da111d535b8dacd")
    );
    assert_eq!(
        md5_of_attributes(&attrs(vec![("Foo", MessageAttributeValue::string("Bar"))])).as_deref(),
        Some("ae7155c6026991b6d54b11589678bf9c")
    );
    let traceparent = MessageAttributeValue::binary(Bytes::from_static(
        b"traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01",
    ));
    assert_eq!(
        md5_of_attributes(&attrs(vec![("attr1", traceparent)])).as_deref(),
        Some("8cbe4db156db8a94db8b801b7addb984")
    );
}

#[test]
fn subset_digest_over_a_filtered_iteration() {
    // ReceiveMessage digests only the attributes it returns; filtering the sorted map gives the
    // same digest as a map of just those attributes.
    let all = attrs(vec![
        ("General", MessageAttributeValue::string("Kenobi")),
        ("Hello", MessageAttributeValue::string("There")),
        ("Help.Me", MessageAttributeValue::string("Me")),
    ]);
    let picked = md5_hex_of_sorted_attributes(
        all.iter()
            .filter(|(name, _)| name.as_str() != "Help.Me")
            .map(|(name, value)| (name.as_str(), value)),
    );
    assert_eq!(
        picked.map(String::from).as_deref(),
        Some("fca026605781cb4126a1e9044df24232")
    );
}

#[test]
fn system_attributes_use_the_same_digest() {
    let trace = attrs(vec![(
        "AWSTraceHeader",
        MessageAttributeValue::string("some-trace-id"),
    )]);
    assert_eq!(
        md5_of_attributes(&trace).as_deref(),
        Some("fdce4f2818803f2f73becc09a54792c0")
    );
}

#[test]
fn body_digests() {
    // python3 -c 'import hashlib; print(hashlib.md5(s.encode()).hexdigest())'
    assert_eq!(md5_of_body(""), "d41d8cd98f00b204e9800998ecf8427e");
    assert_eq!(md5_of_body("hello"), "5d41402abc4b2a76b9719d911017c592");
    assert_eq!(
        md5_of_body("Test Message"),
        "d1d4180b7e411c4be86b00fb2ee103eb"
    );
    assert_eq!(
        md5_of_body("héllo wörld ✓ 𝄞"),
        "2ad9ec7d8e130da7f04945789c94d380"
    );
    // MD5OfBody values AWS returned.
    assert_eq!(md5_of_body("msg"), "6e2baaf3b97dbeef01c0043275f9a0e7");
    assert_eq!(md5_of_body("test"), "098f6bcd4621d373cade4e832627b4f6");
    assert_eq!(md5_hex_of_body("hello"), "5d41402abc4b2a76b9719d911017c592");
    assert_eq!(md5_hex_of_body("hello").as_str(), md5_of_body("hello"));
}

#[test]
fn hex_is_lowercase_two_digits_per_byte() {
    assert_eq!(hex(&[]), "");
    assert_eq!(hex(&[0x00, 0x09, 0xab, 0xff]), "0009abff");
}
