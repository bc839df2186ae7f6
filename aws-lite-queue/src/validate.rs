//! SQS's input validation, with the codes and messages AWS returns.
//!
//! Each check returns the [`Error`] SQS answers with for the first rule the input breaks, so an
//! operation can `?` them in turn. A send runs [`body`], [`check_size`] of [`message_size`],
//! [`message_attributes`], [`message_system_attributes`], then the FIFO ids — LocalStack's order
//! (its SQS errors are snapshot-tested against AWS), except that LocalStack checks the size
//! between an empty body and a body with bad characters. A batch runs [`batch_entry_ids`] before
//! looking at any entry.
//!
//! # Sources of the messages
//!
//! Messages are quoted from, in order of preference: AWS responses recorded by LocalStack's
//! snapshot tests or quoted in public bug reports; Inqnuam/local-aws-sqs, whose messages agree
//! with every AWS capture we could check them against; LocalStack's provider; ElasticMQ. Where
//! no source gives a wording, the message is ours and is marked *unsourced* below.

// The operations that call these are being written alongside; until they land, only the tests
// use some of them.
#![cfg_attr(not(test), allow(dead_code))]

use std::fmt;

use aws_lite_core::Error;

use crate::error::{
    empty_batch, invalid_batch_entry_id, invalid_message_contents, invalid_parameter,
    invalid_parameter_value, missing_parameter, too_many_entries,
};
use crate::types::{MessageAttributeValue, MessageAttributes};

/// At most this many message attributes per message.
pub(crate) const MAX_MESSAGE_ATTRIBUTES: usize = 10;
/// An attribute name has at most this many characters.
pub(crate) const MAX_ATTRIBUTE_NAME_CHARS: usize = 256;
/// An attribute data type has at most this many characters.
pub(crate) const MAX_ATTRIBUTE_TYPE_CHARS: usize = 256;
/// A Number attribute has at most this many significant digits.
pub(crate) const MAX_NUMBER_DIGITS: usize = 38;
/// A batch holds at most this many entries.
pub(crate) const MAX_BATCH_ENTRIES: usize = 10;
/// A batch entry id has at most this many characters.
pub(crate) const MAX_BATCH_ENTRY_ID_CHARS: usize = 80;
/// Group, deduplication and receive-attempt ids have at most this many characters.
pub(crate) const MAX_FIFO_ID_CHARS: usize = 128;
/// The one message system attribute a sender may set.
pub(crate) const AWS_TRACE_HEADER: &str = "AWSTraceHeader";

// ---------------------------------------------------------------------------------------------
// Body and characters
// ---------------------------------------------------------------------------------------------

/// A message body: present (non-empty), and only the characters SQS allows.
///
/// - empty: `MissingParameter` "The request must contain the parameter MessageBody." (LocalStack,
///   Inqnuam and ElasticMQ agree on code and text);
/// - bad characters: `InvalidMessageContents` (see [`crate::error`]).
pub(crate) fn body(body: &str) -> Result<(), Error> {
    if body.is_empty() {
        return Err(missing_parameter(
            "The request must contain the parameter MessageBody.",
        ));
    }
    if !is_valid_message_text(body) {
        return Err(invalid_message_contents());
    }
    Ok(())
}

/// Whether every character of `text` is one SQS accepts in a body or a String attribute value:
/// `#x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF`.
///
/// A `&str` is valid UTF-8 and so holds no surrogates (`#xD800-#xDFFF`); the characters left to
/// reject are the C0 controls other than tab, line feed and carriage return, and U+FFFE and
/// U+FFFF, whose UTF-8 forms are `EF BF BE` and `EF BF BF`. So this is a byte scan that never
/// decodes: eight bytes at a time while they are all printable ASCII, byte by byte otherwise.
pub(crate) fn is_valid_message_text(text: &str) -> bool {
    const LOW: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let x = u64::from_ne_bytes(word);
            // A high bit here flags a byte below 0x20 or at or above 0x80 (a borrow can raise a
            // false alarm, never hide a hit); such a chunk takes the byte path.
            if (x.wrapping_sub(LOW * 0x20) & !x | x) & HIGH == 0 {
                i += 8;
                continue;
            }
        }
        let byte = bytes[i];
        match byte {
            0x09 | 0x0a | 0x0d | 0x20..=0x7f => i += 1,
            0x00..=0x1f => return false,
            0xef => {
                if bytes.get(i + 1) == Some(&0xbf) && matches!(bytes.get(i + 2), Some(0xbe | 0xbf))
                {
                    return false;
                }
                i += 3;
            }
            // Any other lead byte starts an allowed character; continuation bytes are skipped
            // one at a time.
            _ => i += 1,
        }
    }
    true
}

// ---------------------------------------------------------------------------------------------
// Message attributes
// ---------------------------------------------------------------------------------------------

/// The user message attributes of one message, checked in name order (so a message breaking
/// two rules always reports the same one). All failures are `InvalidParameterValue`:
///
/// | rule | message | source |
/// |---|---|---|
/// | ≤ 10 attributes | `Number of message attributes [11] exceeds the allowed maximum [10].` | AWS capture (SDK for Java trace in open-telemetry-java-instrumentation#13799) |
/// | name non-empty | `The request must contain non-empty message (user) attribute names.` | Inqnuam |
/// | name ≤ 256 chars | `Message (user) attribute names must be shorter than 256 Bytes` | LocalStack |
/// | name characters | `Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ` | LocalStack (verbatim, trailing space) |
/// | no `AWS.`/`Amazon.` prefix, any case | `You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.` | Inqnuam |
/// | no leading `.` | `Message (user) attribute name must not begin with character '.'.` | Inqnuam |
/// | no trailing `.` | `Message (user) attribute name must not end with character '.'.` | Inqnuam |
/// | no `..` | `Message (user) attribute name must not have successive '.' characters.` | Inqnuam |
/// | type non-empty | `The message (user) attribute 'n' must contain a non-empty message attribute type.` | Inqnuam |
/// | type prefix | `The type of message (user) attribute 'n' is invalid. You must use only the following supported type prefixes: Binary, Number, String.` | AWS capture (grafana/k6-jslib-aws#65) |
/// | type ≤ 256 chars | `Message (user) attribute types must be shorter than 256 Bytes` | LocalStack |
/// | a value | `Message (user) attribute 'n' must contain a non-empty value of type 'String'.` | AWS, LocalStack snapshot |
/// | one value | `Message (user) attribute 'n' must have a single value.` | Inqnuam |
/// | right field | `Message (user) attribute 'n' with type 'Binary' must use field 'Binary'.` | Inqnuam |
/// | string characters | the `InvalidMessageContents` text, as `InvalidParameterValue` | LocalStack |
/// | Number syntax | `Can't cast the value of message (user) attribute 'n' to a number.` | AWS capture (quoted in BlackbirdWorks/gopherstack), Inqnuam |
/// | Number range | `Number attribute value v should be in range (-10**128..10**126)` | ElasticMQ |
/// | Number precision | `Number attribute value v should have at most 38 significant digits` | *unsourced* |
///
/// Name characters: AWS documents `[A-Za-z0-9_.-]`, but accepts `attr.1øßä` (LocalStack test
/// validated against AWS), so the Latin-1 and Latin Extended-A letters U+00C0..=U+017F (but `×`
/// and `÷`) are accepted too, as LocalStack does.
pub(crate) fn message_attributes(attrs: &MessageAttributes) -> Result<(), Error> {
    if attrs.len() > MAX_MESSAGE_ATTRIBUTES {
        return Err(invalid_parameter_value(format!(
            "Number of message attributes [{}] exceeds the allowed maximum [{MAX_MESSAGE_ATTRIBUTES}].",
            attrs.len()
        )));
    }
    for (name, value) in attrs {
        attribute_name(name)?;
        attribute_value(name, value, AttributeKind::User)?;
    }
    Ok(())
}

/// The message system attributes of one message: only `AWSTraceHeader` may be set, with type
/// `String` and an X-Ray header (`Root=…`) as its value. Returns that attribute, if present.
/// All failures are `InvalidParameterValue`:
///
/// - other name: `Message system attribute name 'n' is invalid.` (Inqnuam);
/// - other type: `The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace
///   header. The type must be 'String'.` (Inqnuam);
/// - no value: `Message system attribute 'AWSTraceHeader' must contain a non-empty value of type
///   'String'.` (the user-attribute wording, with "system" as Inqnuam writes it);
/// - a value that is not a trace header (no `=`): `The message system attribute 'AWSTraceHeader'
///   is reserved for AWS X-Ray trace header. Value 'v' is invalid.` (Inqnuam).
pub(crate) fn message_system_attributes(
    attrs: &MessageAttributes,
) -> Result<Option<MessageAttributeValue>, Error> {
    for (name, value) in attrs {
        if name != AWS_TRACE_HEADER {
            return Err(invalid_parameter_value(format!(
                "Message system attribute name '{name}' is invalid."
            )));
        }
        if value.data_type != "String" {
            return Err(invalid_parameter_value(
                "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace header. The type must be 'String'.",
            ));
        }
        attribute_value(name, value, AttributeKind::System)?;
        if let Some(header) = &value.string_value {
            if !header.contains('=') {
                return Err(invalid_parameter_value(format!(
                    "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace header. Value '{header}' is invalid."
                )));
            }
        }
    }
    Ok(attrs.get(AWS_TRACE_HEADER).cloned())
}

/// Whose attribute a message speaks of: "(user)" or "system".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttributeKind {
    User,
    System,
}

impl fmt::Display for AttributeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AttributeKind::User => "(user)",
            AttributeKind::System => "system",
        })
    }
}

/// The base of a data type: the text before the first `.`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BaseType {
    String,
    Number,
    Binary,
}

fn base_type(data_type: &str) -> Option<BaseType> {
    let base = data_type
        .split_once('.')
        .map_or(data_type, |(base, _)| base);
    match base {
        "String" => Some(BaseType::String),
        "Number" => Some(BaseType::Number),
        "Binary" => Some(BaseType::Binary),
        _ => None,
    }
}

fn attribute_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(invalid_parameter_value(
            "The request must contain non-empty message (user) attribute names.",
        ));
    }
    if name.chars().count() > MAX_ATTRIBUTE_NAME_CHARS {
        return Err(invalid_parameter_value(
            "Message (user) attribute names must be shorter than 256 Bytes",
        ));
    }
    if !name.chars().all(is_attribute_name_char) {
        return Err(invalid_parameter_value(
            "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ",
        ));
    }
    if starts_with_ignore_ascii_case(name, "aws.") || starts_with_ignore_ascii_case(name, "amazon.")
    {
        return Err(invalid_parameter_value(
            "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
        ));
    }
    if name.starts_with('.') {
        return Err(invalid_parameter_value(
            "Message (user) attribute name must not begin with character '.'.",
        ));
    }
    if name.ends_with('.') {
        return Err(invalid_parameter_value(
            "Message (user) attribute name must not end with character '.'.",
        ));
    }
    if name.contains("..") {
        return Err(invalid_parameter_value(
            "Message (user) attribute name must not have successive '.' characters.",
        ));
    }
    Ok(())
}

fn is_attribute_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '_' | '-' | '.')
        || (matches!(c, '\u{C0}'..='\u{17F}') && c != '\u{D7}' && c != '\u{F7}')
}

fn starts_with_ignore_ascii_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Type and value checks, shared by user and system attributes.
fn attribute_value(
    name: &str,
    value: &MessageAttributeValue,
    kind: AttributeKind,
) -> Result<(), Error> {
    let data_type = value.data_type.as_str();
    if data_type.is_empty() {
        return Err(invalid_parameter_value(format!(
            "The message {kind} attribute '{name}' must contain a non-empty message attribute type."
        )));
    }
    let Some(base) = base_type(data_type) else {
        return Err(invalid_parameter_value(format!(
            "The type of message {kind} attribute '{name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
        )));
    };
    if data_type.chars().count() > MAX_ATTRIBUTE_TYPE_CHARS {
        return Err(invalid_parameter_value(format!(
            "Message {kind} attribute types must be shorter than 256 Bytes"
        )));
    }

    let empty = || {
        invalid_parameter_value(format!(
            "Message {kind} attribute '{name}' must contain a non-empty value of type '{data_type}'."
        ))
    };
    let string = value.string_value.as_deref();
    let binary = value.binary_value.as_deref();
    if string.is_some_and(str::is_empty) || binary.is_some_and(<[u8]>::is_empty) {
        return Err(empty());
    }
    match (string, binary) {
        (None, None) => return Err(empty()),
        (Some(_), Some(_)) => {
            return Err(invalid_parameter_value(format!(
                "Message {kind} attribute '{name}' must have a single value."
            )));
        }
        _ => {}
    }

    match base {
        BaseType::Binary => {
            if binary.is_none() {
                return Err(invalid_parameter_value(format!(
                    "Message {kind} attribute '{name}' with type '{data_type}' must use field 'Binary'."
                )));
            }
        }
        BaseType::String | BaseType::Number => {
            let Some(text) = string else {
                return Err(invalid_parameter_value(format!(
                    "Message {kind} attribute '{name}' with type '{data_type}' must use field 'String'."
                )));
            };
            if !is_valid_message_text(text) {
                // AWS answers InvalidParameterValue here, with the body's text (LocalStack).
                return Err(invalid_parameter_value(
                    invalid_message_contents().message().to_owned(),
                ));
            }
            if base == BaseType::Number {
                number_value(name, text, kind)?;
            }
        }
    }
    Ok(())
}

fn number_value(name: &str, text: &str, kind: AttributeKind) -> Result<(), Error> {
    match check_number(text) {
        Ok(()) => Ok(()),
        Err(NumberProblem::NotANumber) => Err(invalid_parameter_value(format!(
            "Can't cast the value of message {kind} attribute '{name}' to a number."
        ))),
        Err(NumberProblem::TooManyDigits) => Err(invalid_parameter_value(format!(
            "Number attribute value {text} should have at most {MAX_NUMBER_DIGITS} significant digits"
        ))),
        Err(NumberProblem::OutOfRange) => Err(invalid_parameter_value(format!(
            "Number attribute value {text} should be in range (-10**128..10**126)"
        ))),
    }
}

/// Why a Number attribute's text is not a Number SQS stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumberProblem {
    /// Not decimal notation.
    NotANumber,
    /// More than 38 significant digits.
    TooManyDigits,
    /// Below −10^128 or above 10^126.
    OutOfRange,
}

/// Checks a Number attribute's text without converting it to a float: the decimal notation Java's
/// `BigDecimal` reads (`[+-]digits[.digits][(e|E)[+-]digits]`, with digits on at least one side
/// of the point), at most 38 significant digits once leading and trailing zeros are trimmed, and
/// a value within −10^128..=10^126.
fn check_number(text: &str) -> Result<(), NumberProblem> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i = 1;
            true
        }
        Some(b'+') => {
            i = 1;
            false
        }
        _ => false,
    };
    let digits_from = |start: usize| {
        bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| start + n)
    };
    let int_start = i;
    let int_end = digits_from(int_start);
    let (frac_start, frac_end) = if bytes.get(int_end) == Some(&b'.') {
        (int_end + 1, digits_from(int_end + 1))
    } else {
        (int_end, int_end)
    };
    if int_end == int_start && frac_end == frac_start {
        return Err(NumberProblem::NotANumber);
    }
    let mut exponent: i64 = 0;
    let mut end = frac_end;
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let mut j = end + 1;
        let exp_negative = match bytes.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let exp_end = digits_from(j);
        if exp_end == j {
            return Err(NumberProblem::NotANumber);
        }
        for &digit in &bytes[j..exp_end] {
            // Saturate far beyond any exponent that could matter; the range check rejects it.
            exponent = (exponent * 10 + i64::from(digit - b'0')).min(1 << 40);
        }
        if exp_negative {
            exponent = -exponent;
        }
        end = exp_end;
    }
    if end != bytes.len() {
        return Err(NumberProblem::NotANumber);
    }

    // The significant digits: integer and fraction digits, leading and trailing zeros trimmed.
    let digits = bytes[int_start..int_end]
        .iter()
        .chain(&bytes[frac_start..frac_end]);
    let mut first_nonzero = None;
    let mut last_nonzero = 0;
    for (index, &digit) in digits.enumerate() {
        if digit != b'0' {
            first_nonzero.get_or_insert(index);
            last_nonzero = index;
        }
    }
    let Some(first_nonzero) = first_nonzero else {
        return Ok(()); // zero
    };
    let significant = last_nonzero - first_nonzero + 1;
    if significant > MAX_NUMBER_DIGITS {
        return Err(NumberProblem::TooManyDigits);
    }

    // value = d.ddd × 10^adjusted, with d the first significant digit.
    let int_len = i64::try_from(int_end - int_start).unwrap_or(i64::MAX);
    let leading_zeros = i64::try_from(first_nonzero).unwrap_or(i64::MAX);
    let adjusted = int_len
        .saturating_sub(1)
        .saturating_sub(leading_zeros)
        .saturating_add(exponent);
    // The bounds themselves are allowed: 10^126 and −10^128 have adjusted exponent 126 and 128
    // and a single significant digit, 1.
    let limit = if negative { 128 } else { 126 };
    let is_power_of_ten = significant == 1
        && bytes[int_start..int_end]
            .iter()
            .chain(&bytes[frac_start..frac_end])
            .nth(first_nonzero)
            == Some(&b'1');
    if adjusted > limit || (adjusted == limit && !is_power_of_ten) {
        return Err(NumberProblem::OutOfRange);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

/// The size SQS counts against `MaximumMessageSize`: the body's UTF-8 bytes plus, for each
/// message attribute, its name, its data type and its value (UTF-8 text or raw bytes). System
/// attributes do not count.
pub(crate) fn message_size(body: &str, attrs: &MessageAttributes) -> usize {
    attrs.iter().fold(body.len(), |size, (name, value)| {
        size + name.len()
            + value.data_type.len()
            + value.string_value.as_ref().map_or(0, String::len)
            + value.binary_value.as_ref().map_or(0, |b| b.len())
    })
}

/// A message of `size` bytes (see [`message_size`]) against the queue's `max`:
/// `InvalidParameterValue` "One or more parameters are invalid. Reason: Message must be shorter
/// than {max} bytes." (AWS, LocalStack snapshot). A message of exactly `max` bytes is accepted.
pub(crate) fn check_size(size: usize, max: usize) -> Result<(), Error> {
    if size > max {
        return Err(message_too_long(max));
    }
    Ok(())
}

/// The error [`check_size`] returns for a message over `max` bytes.
pub(crate) fn message_too_long(max: usize) -> Error {
    invalid_parameter_value(format!(
        "One or more parameters are invalid. Reason: Message must be shorter than {max} bytes."
    ))
}

// ---------------------------------------------------------------------------------------------
// Batches
// ---------------------------------------------------------------------------------------------

/// The entry ids of a batch request, in request order. Checks, in this order:
///
/// 1. no entries: `AWS.SimpleQueueService.EmptyBatchRequest` "There should be at least one
///    {entry_shape} in the request." (`entry_shape` is e.g. `SendMessageBatchRequestEntry`);
/// 2. more than `max_entries`: `AWS.SimpleQueueService.TooManyEntriesInBatchRequest` "Maximum
///    number of entries per request are 10. You have sent 20." (AWS, LocalStack snapshot);
/// 3. each id, in order, `[A-Za-z0-9_-]{1,80}`: `AWS.SimpleQueueService.InvalidBatchEntryId`
///    (AWS, LocalStack snapshot);
/// 4. distinct: `AWS.SimpleQueueService.BatchEntryIdsNotDistinct` "Id {id} repeated." naming the
///    first id met a second time.
///
/// The order of 3 and 4 is Inqnuam's (all ids are checked before any repeat); no AWS capture
/// settles it.
pub(crate) fn batch_entry_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    max_entries: usize,
    entry_shape: &str,
) -> Result<(), Error> {
    let ids: Vec<&str> = ids.collect();
    if ids.is_empty() {
        return Err(empty_batch(entry_shape));
    }
    if ids.len() > max_entries {
        return Err(too_many_entries(ids.len(), max_entries));
    }
    if !ids.iter().all(|id| is_batch_entry_id(id)) {
        return Err(invalid_batch_entry_id());
    }
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            return Err(crate::error::batch_ids_not_distinct(id));
        }
    }
    Ok(())
}

/// `[A-Za-z0-9_-]{1,80}`.
pub(crate) fn is_batch_entry_id(id: &str) -> bool {
    (1..=MAX_BATCH_ENTRY_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

// ---------------------------------------------------------------------------------------------
// FIFO ids
// ---------------------------------------------------------------------------------------------

/// `MessageGroupId`: 1 to 128 ASCII alphanumeric or punctuation characters
/// (``!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~``), else `InvalidParameterValue` "Value {id} for parameter
/// MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and
/// punctuation characters. 1 to 128 in length." (AWS, quoted in serverless-next.js#1616 and
/// LeanerCloud/AutoSpotting#470).
pub(crate) fn message_group_id(id: &str) -> Result<(), Error> {
    fifo_id("MessageGroupId", id)
}

/// `MessageDeduplicationId`: as [`message_group_id`], naming `MessageDeduplicationId`.
pub(crate) fn message_deduplication_id(id: &str) -> Result<(), Error> {
    fifo_id("MessageDeduplicationId", id)
}

/// `ReceiveRequestAttemptId`: as [`message_group_id`], naming `ReceiveRequestAttemptId` (same
/// documented rule; the wording follows the other two).
pub(crate) fn receive_request_attempt_id(id: &str) -> Result<(), Error> {
    fifo_id("ReceiveRequestAttemptId", id)
}

fn fifo_id(parameter: &str, id: &str) -> Result<(), Error> {
    let valid = (1..=MAX_FIFO_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b.is_ascii_punctuation());
    if valid {
        return Ok(());
    }
    Err(invalid_parameter(
        parameter,
        id,
        &format!(
            "{parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length."
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// ReceiveMessage's MessageAttributeNames
// ---------------------------------------------------------------------------------------------

/// Which message attributes a `ReceiveMessage` returns, from its `MessageAttributeNames`:
/// `All`, `.*` or `*` select every attribute; `prefix.*` selects the names starting with
/// `prefix` (the text before the first `.*`: `Hel.*` selects `Hello` and `Help.Me`); any other
/// entry selects the attribute of exactly that name. No names select none.
///
/// The names are not validated: AWS answers a request for `AWS.` or `..foo` with the message and
/// no attributes (LocalStack snapshot `test_receive_message_message_attribute_names_filters`,
/// recorded against AWS), which is what this filter does too. The digest of the selected
/// attributes is `md5::md5_hex_of_sorted_attributes` over a filtered iteration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AttributeNameFilter {
    all: bool,
    exact: Vec<String>,
    prefixes: Vec<String>,
}

impl AttributeNameFilter {
    /// The filter for the requested names.
    pub(crate) fn new<S: AsRef<str>>(requested: &[S]) -> AttributeNameFilter {
        let mut filter = AttributeNameFilter::default();
        for name in requested {
            let name = name.as_ref();
            if matches!(name, "All" | ".*" | "*") {
                filter.all = true;
            } else if let Some(star) = name.find(".*") {
                filter.prefixes.push(name[..star].to_owned());
            } else {
                filter.exact.push(name.to_owned());
            }
        }
        filter
    }

    /// Whether the attribute called `name` is returned.
    pub(crate) fn matches(&self, name: &str) -> bool {
        self.all
            || self.exact.iter().any(|exact| exact == name)
            || self
                .prefixes
                .iter()
                .any(|prefix| name.starts_with(prefix.as_str()))
    }

    /// Whether every attribute is returned.
    pub(crate) fn selects_all(&self) -> bool {
        self.all
    }

    /// Whether no attribute can be returned (no names were requested).
    pub(crate) fn selects_none(&self) -> bool {
        !self.all && self.exact.is_empty() && self.prefixes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use aws_lite_core::ErrorKind;
    use bytes::Bytes;

    use super::*;
    use crate::error::codes;

    const IPV: &str = codes::INVALID_PARAMETER_VALUE;
    const BAD_CHARS: &str = "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF";

    #[track_caller]
    fn assert_err<T: fmt::Debug>(result: Result<T, Error>, code: &str, message: &str) {
        let err = result.expect_err("expected a validation error");
        assert_eq!(err.code(), code, "code of {err:?}");
        assert_eq!(err.message(), message, "message of {err:?}");
        assert_eq!(err.status(), 400);
        assert_eq!(err.kind(), ErrorKind::Validation);
    }

    fn one(name: &str, value: MessageAttributeValue) -> MessageAttributes {
        MessageAttributes::from([(name.to_owned(), value)])
    }

    fn typed(
        data_type: &str,
        string: Option<&str>,
        binary: Option<&[u8]>,
    ) -> MessageAttributeValue {
        MessageAttributeValue {
            data_type: data_type.to_owned(),
            string_value: string.map(str::to_owned),
            binary_value: binary.map(Bytes::copy_from_slice),
        }
    }

    // --- body -----------------------------------------------------------------------------

    #[test]
    fn body_accepts_allowed_text() {
        for text in [
            "x",
            "hello world",
            "tab\tnewline\ncr\r",
            "\u{7f}",
            "\u{80}\u{d7ff}\u{e000}\u{fffd}\u{10000}\u{10ffff}",
            "héllo wörld ✓ 𝄞 😀",
            "exactly eight bytes!",
            &"long ascii ".repeat(100),
        ] {
            assert!(body(text).is_ok(), "{text:?}");
        }
    }

    #[test]
    fn body_rejects_empty() {
        let err = body("").unwrap_err();
        assert_eq!(err.code(), codes::MISSING_PARAMETER);
        assert_eq!(
            err.message(),
            "The request must contain the parameter MessageBody."
        );
        assert_eq!(err.shape(), "MissingRequiredParameterException");
    }

    #[test]
    fn body_rejects_disallowed_characters() {
        for text in [
            "\u{0}",
            "a\u{8}b",
            "\u{b}",
            "\u{c}",
            "\u{13}",
            "\u{1f}",
            "\u{fffe}",
            "\u{ffff}",
            "Invalid-\u{0}-\u{8}-\u{13}-\u{ffff}",
            // A bad character deep inside an otherwise fast-path ASCII body, and at the end.
            &format!("{}\u{1}{}", "a".repeat(37), "b".repeat(40)),
            &format!("{}\u{ffff}", "a".repeat(64)),
        ] {
            assert_err(body(text), codes::INVALID_MESSAGE_CONTENTS, BAD_CHARS);
        }
    }

    #[test]
    fn char_rule_matches_the_spec_for_every_char() {
        let allowed = |c: char| {
            matches!(c, '\u{9}' | '\u{a}' | '\u{d}')
                || ('\u{20}'..='\u{d7ff}').contains(&c)
                || ('\u{e000}'..='\u{fffd}').contains(&c)
                || ('\u{10000}'..='\u{10ffff}').contains(&c)
        };
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let text = c.encode_utf8(&mut buf);
            assert_eq!(
                is_valid_message_text(text),
                allowed(c),
                "U+{:04X}",
                c as u32
            );
        }
        // And inside a fast-path word.
        for c in ['\u{0}', '\u{1f}', '\u{fffe}', '\u{ffff}', 'é', '\u{7f}'] {
            let text = format!("abcdefgh{c}ijklmnopqrstuvwx");
            assert_eq!(is_valid_message_text(&text), allowed(c), "{text:?}");
        }
    }

    // --- message attributes ---------------------------------------------------------------

    #[test]
    fn attributes_accept_valid_ones() {
        let mut attrs = MessageAttributes::new();
        attrs.insert(
            "attribName1".into(),
            MessageAttributeValue::string("attribValue 1"),
        );
        attrs.insert(
            "binaryAttribute".into(),
            MessageAttributeValue::binary(Bytes::from_static(b"Hello binary world!")),
        );
        attrs.insert(
            "customNumberTypeAttrib".into(),
            MessageAttributeValue::number("4563442423554324324264524243.32543234")
                .with_custom_type("float"),
        );
        attrs.insert("attr.1øßä".into(), MessageAttributeValue::string("Valida"));
        attrs.insert("a-b_c.D9".into(), typed("String.json", Some("{}"), None));
        attrs.insert("gif".into(), typed("Binary.gif", None, Some(b"GIF89a")));
        attrs.insert("L".repeat(256), MessageAttributeValue::string("v"));
        attrs.insert(
            "t".into(),
            typed(&format!("Number.{}", "x".repeat(249)), Some("1"), None),
        );
        assert_eq!(attrs.len(), 8);
        assert!(message_attributes(&attrs).is_ok());
        assert!(message_attributes(&MessageAttributes::new()).is_ok());
    }

    #[test]
    fn attributes_at_most_ten() {
        let attrs: MessageAttributes = (0..10)
            .map(|i| (format!("a{i}"), MessageAttributeValue::string("v")))
            .collect();
        assert!(message_attributes(&attrs).is_ok());
        let attrs: MessageAttributes = (0..11)
            .map(|i| (format!("a{i}"), MessageAttributeValue::string("v")))
            .collect();
        assert_err(
            message_attributes(&attrs),
            IPV,
            "Number of message attributes [11] exceeds the allowed maximum [10].",
        );
    }

    #[test]
    fn attribute_name_rules() {
        let check = |name: &str| message_attributes(&one(name, MessageAttributeValue::string("v")));
        assert_err(
            check(""),
            IPV,
            "The request must contain non-empty message (user) attribute names.",
        );
        assert_err(
            check(&"L".repeat(257)),
            IPV,
            "Message (user) attribute names must be shorter than 256 Bytes",
        );
        for bad in [
            "Invalid-!-attr",
            "a\"b",
            "a§b",
            "a(b",
            "a?b",
            "a b",
            "a×b",
            "日本",
        ] {
            assert_err(
                check(bad),
                IPV,
                "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ",
            );
        }
        for reserved in [
            "AWS.x",
            "aWs.-Invalid-attr",
            "AMAZON.-Invalid-attr",
            "amazon.x",
        ] {
            assert_err(
                check(reserved),
                IPV,
                "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
            );
        }
        assert!(check("AWSx").is_ok());
        assert!(check("Amazonia.x").is_ok());
        assert_err(
            check(".-Invalid-attr"),
            IPV,
            "Message (user) attribute name must not begin with character '.'.",
        );
        assert_err(
            check("Invalid."),
            IPV,
            "Message (user) attribute name must not end with character '.'.",
        );
        assert_err(
            check("Invalid..Name"),
            IPV,
            "Message (user) attribute name must not have successive '.' characters.",
        );
    }

    #[test]
    fn attribute_type_rules() {
        let check = |value: MessageAttributeValue| message_attributes(&one("n", value));
        assert_err(
            check(typed("", Some("v"), None)),
            IPV,
            "The message (user) attribute 'n' must contain a non-empty message attribute type.",
        );
        for bad in [
            "string",
            "Invalid",
            "Str",
            "StringX",
            ".String",
            "Bool.String",
        ] {
            assert_err(
                check(typed(bad, Some("v"), None)),
                IPV,
                "The type of message (user) attribute 'n' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
            );
        }
        assert_err(
            check(typed(
                &format!("Number.{}", "L".repeat(256)),
                Some("1"),
                None,
            )),
            IPV,
            "Message (user) attribute types must be shorter than 256 Bytes",
        );
        assert!(
            check(typed(
                &format!("Number.{}", "L".repeat(249)),
                Some("1"),
                None
            ))
            .is_ok()
        );
        assert!(check(typed("String.", Some("v"), None)).is_ok());
    }

    #[test]
    fn attribute_value_rules() {
        let check = |value: MessageAttributeValue| message_attributes(&one("ErrorDetails", value));
        assert_err(
            check(typed("String", Some(""), None)),
            IPV,
            "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
        );
        assert_err(
            check(typed("String", None, None)),
            IPV,
            "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
        );
        assert_err(
            check(typed("Number.int", None, None)),
            IPV,
            "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'Number.int'.",
        );
        assert_err(
            check(typed("Binary", None, Some(b""))),
            IPV,
            "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'Binary'.",
        );
        assert_err(
            check(typed("String", Some("a"), Some(b"b"))),
            IPV,
            "Message (user) attribute 'ErrorDetails' must have a single value.",
        );
        assert_err(
            check(typed("Binary", Some("a"), None)),
            IPV,
            "Message (user) attribute 'ErrorDetails' with type 'Binary' must use field 'Binary'.",
        );
        assert_err(
            check(typed("String", None, Some(b"a"))),
            IPV,
            "Message (user) attribute 'ErrorDetails' with type 'String' must use field 'String'.",
        );
        assert_err(
            check(typed("Number", None, Some(b"1"))),
            IPV,
            "Message (user) attribute 'ErrorDetails' with type 'Number' must use field 'String'.",
        );
        // Any bytes are fine in a binary value.
        assert!(check(typed("Binary", None, Some(b"\x00\xff\xfe"))).is_ok());
    }

    #[test]
    fn string_values_follow_the_body_rule() {
        for bad in ["Invalid-\u{8},\u{b}", "\u{ffff}", "\u{0}"] {
            let attrs = one("attr1", MessageAttributeValue::string(bad));
            assert_err(message_attributes(&attrs), IPV, BAD_CHARS);
        }
        let attrs = one("attr1", MessageAttributeValue::string("tab\tok ✓"));
        assert!(message_attributes(&attrs).is_ok());
    }

    #[test]
    fn first_failure_in_name_order_wins() {
        let mut attrs = MessageAttributes::new();
        attrs.insert("b".into(), typed("String", Some(""), None));
        attrs.insert("a".into(), typed("Bogus", Some("v"), None));
        assert_err(
            message_attributes(&attrs),
            IPV,
            "The type of message (user) attribute 'a' is invalid. You must use only the following supported type prefixes: Binary, Number, String.",
        );
    }

    // --- numbers --------------------------------------------------------------------------

    #[test]
    fn number_values_accepted() {
        let max = format!("1{}", "0".repeat(126));
        let min = format!("-1{}", "0".repeat(128));
        let digits38 = "1".repeat(38);
        let padded = format!("000{}.000", "9".repeat(38));
        let tiny = format!("0.{}1", "0".repeat(300));
        for text in [
            "0",
            "-0",
            "+0",
            "00",
            "0.0",
            "1",
            "-1",
            "+1",
            "1.5",
            ".5",
            "5.",
            "-.5",
            "1e5",
            "1E5",
            "1e+5",
            "1e-5",
            "-1.25E-3",
            "4563442423554324324264524243.32543234",
            "1e126",
            "10e125",
            "0.1e127",
            "-1e128",
            "-9.99e127",
            "1e-400",
            &max,
            &min,
            &digits38,
            &padded,
            &tiny,
        ] {
            assert_eq!(check_number(text), Ok(()), "{text}");
        }
    }

    #[test]
    fn number_values_rejected() {
        for text in [
            "", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", "1,5", " 1", "1 ", "abc", "0x10",
            "NaN", "Infinity", "1_000", "--1", "١",
        ] {
            assert_eq!(
                check_number(text),
                Err(NumberProblem::NotANumber),
                "{text:?}"
            );
        }
        for text in [
            "1.0000001e126",
            "2e126",
            "1e127",
            "-1.1e128",
            "-1e129",
            "1e99999999999999999999",
        ] {
            assert_eq!(check_number(text), Err(NumberProblem::OutOfRange), "{text}");
        }
        let digits39 = "1".repeat(39);
        let spread = format!("1{}.{}1", "0".repeat(20), "0".repeat(17));
        // Precision is checked before range.
        let both = format!("1{}1", "0".repeat(126));
        for text in [digits39.as_str(), spread.as_str(), both.as_str()] {
            assert_eq!(
                check_number(text),
                Err(NumberProblem::TooManyDigits),
                "{text}"
            );
        }
    }

    #[test]
    fn number_attribute_messages() {
        let check =
            |text: &str| message_attributes(&one("Age", MessageAttributeValue::number(text)));
        assert_err(
            check("Hello"),
            IPV,
            "Can't cast the value of message (user) attribute 'Age' to a number.",
        );
        assert_err(
            check("1e127"),
            IPV,
            "Number attribute value 1e127 should be in range (-10**128..10**126)",
        );
        let digits39 = "1".repeat(39);
        assert_err(
            check(&digits39),
            IPV,
            &format!("Number attribute value {digits39} should have at most 38 significant digits"),
        );
        // Custom Number types are Numbers too.
        let attrs = one("n", typed("Number.float", Some("x"), None));
        assert_err(
            message_attributes(&attrs),
            IPV,
            "Can't cast the value of message (user) attribute 'n' to a number.",
        );
    }

    // --- system attributes ----------------------------------------------------------------

    #[test]
    fn system_attributes_accept_trace_header() {
        let attrs = one(
            "AWSTraceHeader",
            MessageAttributeValue::string(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
            ),
        );
        assert_eq!(
            message_system_attributes(&attrs).unwrap().as_ref(),
            attrs.get("AWSTraceHeader")
        );
        assert_eq!(
            message_system_attributes(&MessageAttributes::new()).unwrap(),
            None
        );
    }

    #[test]
    fn system_attribute_rules() {
        assert_err(
            message_system_attributes(&one("Hello", MessageAttributeValue::string("Root=1"))),
            IPV,
            "Message system attribute name 'Hello' is invalid.",
        );
        assert_err(
            message_system_attributes(&one("awstraceheader", MessageAttributeValue::string("a=b"))),
            IPV,
            "Message system attribute name 'awstraceheader' is invalid.",
        );
        for data_type in ["Binary", "Number", "String.custom"] {
            assert_err(
                message_system_attributes(&one(
                    "AWSTraceHeader",
                    typed(data_type, Some("a=b"), None),
                )),
                IPV,
                "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace header. The type must be 'String'.",
            );
        }
        assert_err(
            message_system_attributes(&one("AWSTraceHeader", typed("String", Some(""), None))),
            IPV,
            "Message system attribute 'AWSTraceHeader' must contain a non-empty value of type 'String'.",
        );
        assert_err(
            message_system_attributes(&one(
                "AWSTraceHeader",
                MessageAttributeValue::string("some-trace-id"),
            )),
            IPV,
            "The message system attribute 'AWSTraceHeader' is reserved for AWS X-Ray trace header. Value 'some-trace-id' is invalid.",
        );
    }

    // --- size -----------------------------------------------------------------------------

    #[test]
    fn size_counts_body_and_attribute_parts() {
        assert_eq!(message_size("", &MessageAttributes::new()), 0);
        assert_eq!(message_size("héllo", &MessageAttributes::new()), 6);
        let mut attrs = MessageAttributes::new();
        attrs.insert("name".into(), MessageAttributeValue::string("vålue")); // 4 + 6 + 6
        attrs.insert(
            "bin".into(),
            MessageAttributeValue::binary(Bytes::from_static(b"\x00\x01\x02")), // 3 + 6 + 3
        );
        assert_eq!(message_size("body", &attrs), 4 + 16 + 12);
    }

    #[test]
    fn size_limit_is_inclusive() {
        assert!(check_size(1_048_576, 1_048_576).is_ok());
        assert!(check_size(0, 1024).is_ok());
        assert_err(
            check_size(1_048_577, 1_048_576),
            IPV,
            "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
        );
        assert_err(
            check_size(1025, 1024),
            IPV,
            "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
        );
        assert_eq!(
            message_too_long(262_144).message(),
            "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes."
        );
    }

    // --- batches --------------------------------------------------------------------------

    #[test]
    fn batch_accepts_valid_ids() {
        let long = "a".repeat(80);
        let ids = ["1", "a-b_C", long.as_str()];
        assert!(batch_entry_ids(ids.into_iter(), MAX_BATCH_ENTRIES, "X").is_ok());
        let ten: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert!(batch_entry_ids(ten.iter().map(String::as_str), 10, "X").is_ok());
    }

    #[test]
    fn batch_rejects_empty() {
        let err =
            batch_entry_ids(std::iter::empty(), 10, "SendMessageBatchRequestEntry").unwrap_err();
        assert_eq!(err.code(), codes::EMPTY_BATCH_REQUEST);
        assert_eq!(err.shape(), "EmptyBatchRequest");
        assert_eq!(
            err.message(),
            "There should be at least one SendMessageBatchRequestEntry in the request."
        );
    }

    #[test]
    fn batch_rejects_too_many_before_bad_ids() {
        let ids: Vec<String> = (0..20).map(|i| format!("bad:{i}")).collect();
        let err = batch_entry_ids(ids.iter().map(String::as_str), 10, "X").unwrap_err();
        assert_eq!(err.code(), codes::TOO_MANY_ENTRIES_IN_BATCH_REQUEST);
        assert_eq!(
            err.message(),
            "Maximum number of entries per request are 10. You have sent 20."
        );
    }

    #[test]
    fn batch_rejects_invalid_ids() {
        let long = "testLongId".repeat(9);
        for bad in ["", "invalid:id", long.as_str(), "a b", "é", "a.b"] {
            let err = batch_entry_ids(["ok", bad].into_iter(), 10, "X").unwrap_err();
            assert_eq!(err.code(), codes::INVALID_BATCH_ENTRY_ID, "{bad:?}");
            assert_eq!(
                err.message(),
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long."
            );
        }
    }

    #[test]
    fn batch_rejects_repeated_ids() {
        let err = batch_entry_ids(["a", "b", "b", "a"].into_iter(), 10, "X").unwrap_err();
        assert_eq!(err.code(), codes::BATCH_ENTRY_IDS_NOT_DISTINCT);
        assert_eq!(err.shape(), "BatchEntryIdsNotDistinct");
        assert_eq!(err.message(), "Id b repeated.");
        // Ids are checked for form before repeats.
        let err = batch_entry_ids(["a", "a", "b!"].into_iter(), 10, "X").unwrap_err();
        assert_eq!(err.code(), codes::INVALID_BATCH_ENTRY_ID);
        // Ids are case-sensitive.
        assert!(batch_entry_ids(["a", "A"].into_iter(), 10, "X").is_ok());
    }

    // --- FIFO ids -------------------------------------------------------------------------

    #[test]
    fn fifo_ids_accept_alphanumerics_and_punctuation() {
        let punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
        let max = "g".repeat(128);
        for id in [
            "1",
            "group-1",
            punctuation,
            max.as_str(),
            "2bdf9987-fab8-4e9c-a0d6-e6360a85e7a8",
        ] {
            assert!(message_group_id(id).is_ok(), "{id}");
            assert!(message_deduplication_id(id).is_ok(), "{id}");
            assert!(receive_request_attempt_id(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn fifo_ids_reject_other_text() {
        let long = "g".repeat(129);
        for id in ["", "a b", "tab\t", "é", "Invalid-\u{8}", long.as_str()] {
            for (check, parameter) in [
                (
                    message_group_id as fn(&str) -> Result<(), Error>,
                    "MessageGroupId",
                ),
                (message_deduplication_id, "MessageDeduplicationId"),
                (receive_request_attempt_id, "ReceiveRequestAttemptId"),
            ] {
                assert_err(
                    check(id),
                    IPV,
                    &format!(
                        "Value {id} for parameter {parameter} is invalid. Reason: {parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length."
                    ),
                );
            }
        }
    }

    // --- attribute name filter ------------------------------------------------------------

    #[test]
    fn filter_all_forms() {
        for all in ["All", ".*", "*"] {
            let names = vec![all.to_owned()];
            let filter = AttributeNameFilter::new(&names);
            assert!(filter.selects_all());
            assert!(filter.matches("anything"));
            assert!(filter.matches("Help.Me"));
        }
    }

    #[test]
    fn filter_names_and_prefixes() {
        // The AWS-recorded cases from LocalStack's snapshot.
        let attrs = ["General", "Hello", "Help.Me"];
        let selected = |names: &[&str]| -> Vec<&str> {
            let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
            let filter = AttributeNameFilter::new(&names);
            attrs.into_iter().filter(|a| filter.matches(a)).collect()
        };
        assert_eq!(selected(&["Foo", "Help"]), Vec::<&str>::new());
        assert_eq!(selected(&["Hello", "General"]), ["General", "Hello"]);
        assert_eq!(selected(&["Foo", "Hello"]), ["Hello"]);
        assert_eq!(selected(&["Hel.*"]), ["Hello", "Help.Me"]);
        assert_eq!(selected(&["Help.*"]), ["Help.Me"]);
        assert_eq!(selected(&["AWS."]), Vec::<&str>::new());
        assert_eq!(selected(&["..foo"]), Vec::<&str>::new());
        assert_eq!(selected(&["all"]), Vec::<&str>::new());
        assert_eq!(selected(&["hello"]), Vec::<&str>::new());
    }

    #[test]
    fn filter_without_names_selects_none() {
        let names: [&str; 0] = [];
        let filter = AttributeNameFilter::new(&names);
        assert!(filter.selects_none());
        assert_eq!(filter, AttributeNameFilter::default());
        assert!(!filter.selects_all());
        assert!(!filter.matches("Hello"));
    }
}
