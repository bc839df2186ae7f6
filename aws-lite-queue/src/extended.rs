//! The extended (large-payload) client: message bodies above a threshold travel through an
//! object store, in the format the AWS extended client libraries write, so producers and
//! consumers built on aws-lite and on those libraries read each other's messages.
//!
//! [`ExtendedClient`] wraps a [`Queue`], an [`ObjectStore`] standing for one S3 bucket and that
//! bucket's name. Its operations are the queue's own fluent builders with the same setters; only
//! `send()` differs.
//!
//! ```
//! use std::sync::Arc;
//!
//! use aws_lite_queue::Sqs;
//! use aws_lite_queue::extended::ExtendedClient;
//! use aws_lite_queue::extended::object_store::memory::InMemory;
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), aws_lite_core::Error> {
//! let sqs = Sqs::new();
//! let queue = sqs.create_queue().queue_name("reports").send().await?.queue();
//! let store = Arc::new(InMemory::new());
//! let client = ExtendedClient::new(queue.clone(), store, "report-payloads");
//!
//! // 2 MiB: twice what SQS takes, so the body goes to the store and a pointer to the queue.
//! let report = "x".repeat(2 * 1024 * 1024);
//! client.send_message().message_body(report.as_str()).send().await?;
//!
//! // A plain consumer sees the pointer and the size attribute …
//! let raw = queue.receive_message().message_attribute_names("All").visibility_timeout(0).send().await?;
//! assert!(raw.messages()[0].body().starts_with(r#"["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"report-payloads","s3Key":""#));
//! let size = &raw.messages()[0].message_attributes().unwrap()["ExtendedPayloadSize"];
//! assert_eq!(size.string_value.as_deref(), Some("2097152"));
//!
//! // … the extended client sees the report; deleting through it also deletes the payload.
//! let got = client.receive_message().send().await?;
//! let message = &got.messages()[0];
//! assert_eq!(message.body(), report);
//! assert!(message.receipt_handle().starts_with("-..s3BucketName..-report-payloads-..s3BucketName..-"));
//! client.delete_message().receipt_handle(message.receipt_handle()).send().await?;
//! # Ok(()) }
//! ```
//!
//! # Interoperability
//!
//! The wire format is the one shared by the AWS extended client libraries
//! (`amazon-sqs-java-extended-client-lib` 2.x and `amazon-sqs-extended-client` 1.0.1 for Python):
//!
//! - **When a body is offloaded.** When the body's UTF-8 length plus the message attributes'
//!   size (each attribute's name, `DataType`, and string or binary value, in bytes) is strictly
//!   greater than the threshold, [`DEFAULT_PAYLOAD_SIZE_THRESHOLD`] = 262,144 bytes by default;
//!   or always, with [`ExtendedClient::always_through_s3`]. The released libraries kept the
//!   256 KiB default after SQS's 2025 raise to 1 MiB.
//! - **The object.** The original body, as UTF-8 bytes, under the key given by the message's
//!   `S3Key` string attribute if it has one (the Python library's rule; the attribute is sent
//!   along), else a new version-4 UUID drawn from the service's seeded randomness.
//! - **The message.** The body becomes the pointer JSON, exactly as the Java library writes it
//!   (the Python library's `json.dumps` adds a space after each `,` and `:`):
//!   `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"B","s3Key":"K"}]`;
//!   the attribute `ExtendedPayloadSize` (`DataType` `Number`) is added, holding the original
//!   body's UTF-8 length. With [`ExtendedClient::use_legacy_reserved_attribute_name`] the
//!   attribute is `SQSLargePayloadSize` and the pointer class
//!   `com.amazon.sqs.javamessaging.MessageS3Pointer`, as the Python library's legacy mode
//!   writes them for old readers.
//! - **Reading.** A message carrying `ExtendedPayloadSize` or `SQSLargePayloadSize` must have a
//!   pointer body (either class name; whitespace and extra fields are accepted, so the Python
//!   library's spacing reads too). Its payload replaces the body, the reserved
//!   attribute is removed, and the receipt handle becomes
//!   `-..s3BucketName..-B-..s3BucketName..--..s3Key..-K-..s3Key..-<handle>`.
//! - **Handles.** The client's delete and change-visibility operations (single and batch) accept
//!   such a handle: the queue's handle is what follows the second `-..s3Key..-`, as the Java
//!   library reads it. [`original_receipt_handle`] extracts it for the plain [`Queue`].
//!
//! # Sending
//!
//! A message attribute named `ExtendedPayloadSize` or `SQSLargePayloadSize` is refused on every
//! send, as the Java library refuses it (it would make the message look offloaded). A message to
//! offload may carry at most [`MAX_ALLOWED_ATTRIBUTES`] = 9 attributes of its own (SQS allows 10,
//! and the size attribute takes one), and their size must not exceed the threshold. These two
//! rules apply only when offloading, as in the Python library (the Java library applies them to
//! every send, so a small message with 10 attributes fails there and goes through here). Each
//! refusal is `InvalidParameterValue`, with the Java library's message, before anything is
//! stored. If SQS then refuses the message, the stored payload is deleted again (the libraries
//! leave it behind).
//!
//! # Receiving
//!
//! The receive asks for both reserved attributes in addition to the `MessageAttributeNames`
//! given. The reserved attribute is hidden from the result unless one of those names is exactly
//! its name (`All`, `.*` and prefixes do not count): the libraries always hide it.
//!
//! A pointer to a missing object fails the whole receive with `NoSuchKey`, as both libraries
//! fail (the messages received with it stay in flight until their visibility timeout ends). With
//! [`ExtendedClient::ignore_payload_not_found`] (the Java library's switch, off by default) such
//! a message is deleted from the queue and left out instead. A pointer to another bucket than
//! the client's is `NoSuchBucket`; a reserved attribute on a body that is not a pointer is
//! `InvalidPayloadPointer`.
//!
//! # Deleting
//!
//! Delete removes the message with the real handle, then the payload object (a missing object
//! is not an error, as S3's DeleteObject answers). [`ExtendedClient::cleanup_s3_payload`] turns
//! the second step off; it is on by default, as in the Java library (the Python library's
//! `delete_payload_from_s3` defaults to off). Messages that expire, are purged or are moved to a
//! dead-letter queue leave their payloads behind, as with the libraries.
//!
//! # Stores
//!
//! Any [`ObjectStore`] serves: `object_store::memory::InMemory` for tests,
//! `object_store::local::LocalFileSystem` for a directory, a real S3 bucket through
//! `object_store`'s `aws` feature. The key becomes an `object_store` [`Path`] by
//! [`Path::from`], which splits it at `/`. The crate's version of `object_store` is re-exported
//! as [`object_store`].
//!
//! On FIFO queues, content-based deduplication sees the pointer, which names a fresh key on each
//! send: give a `MessageDeduplicationId` to deduplicate offloaded messages.

use std::fmt;
use std::sync::Arc;

use aws_lite_core::Error;
use bytes::Bytes;
pub use object_store;
use object_store::ObjectStore;
use object_store::path::Path;
use serde::Serialize;

use crate::error::codes::INVALID_PARAMETER_VALUE;
use crate::operation::change_message_visibility::{
    ChangeMessageVisibilityFluentBuilder, ChangeMessageVisibilityInput,
    ChangeMessageVisibilityOutput,
};
use crate::operation::change_message_visibility_batch::{
    ChangeMessageVisibilityBatchFluentBuilder, ChangeMessageVisibilityBatchInput,
    ChangeMessageVisibilityBatchOutput, ChangeMessageVisibilityBatchRequestEntry,
};
use crate::operation::delete_message::{
    DeleteMessageFluentBuilder, DeleteMessageInput, DeleteMessageOutput,
};
use crate::operation::delete_message_batch::{
    DeleteMessageBatchFluentBuilder, DeleteMessageBatchInput, DeleteMessageBatchOutput,
    DeleteMessageBatchRequestEntry,
};
use crate::operation::receive_message::{
    Message, ReceiveMessageFluentBuilder, ReceiveMessageInput, ReceiveMessageOutput,
};
use crate::operation::send_message::{
    SendMessageFluentBuilder, SendMessageInput, SendMessageOutput,
};
use crate::operation::send_message_batch::{
    SendMessageBatchFluentBuilder, SendMessageBatchInput, SendMessageBatchOutput,
    SendMessageBatchRequestEntry,
};
use crate::queue::Queue;
use crate::types::{MessageAttributeValue, MessageAttributes};

/// The attribute an offloaded message carries: the original body's UTF-8 length.
pub const RESERVED_ATTRIBUTE_NAME: &str = "ExtendedPayloadSize";
/// The older name of [`RESERVED_ATTRIBUTE_NAME`], still written by the Java library by default.
pub const LEGACY_RESERVED_ATTRIBUTE_NAME: &str = "SQSLargePayloadSize";
/// The class name in the pointer JSON.
pub const MESSAGE_POINTER_CLASS: &str = "software.amazon.payloadoffloading.PayloadS3Pointer";
/// The class name in pointers written by old Java library versions.
pub const LEGACY_MESSAGE_POINTER_CLASS: &str = "com.amazon.sqs.javamessaging.MessageS3Pointer";
/// A string message attribute whose value, when present, is the object key of the payload.
pub const S3_KEY_ATTRIBUTE_NAME: &str = "S3Key";
/// Bodies plus attributes above this many bytes are offloaded (256 KiB).
pub const DEFAULT_PAYLOAD_SIZE_THRESHOLD: usize = 262_144;
/// The most message attributes of its own an offloaded message may carry.
pub const MAX_ALLOWED_ATTRIBUTES: usize = 9;
/// Brackets the bucket name in an extended receipt handle.
pub const S3_BUCKET_NAME_MARKER: &str = "-..s3BucketName..-";
/// Brackets the object key in an extended receipt handle.
pub const S3_KEY_MARKER: &str = "-..s3Key..-";

/// The codes of the errors only the extended client raises (it also raises
/// [`crate::codes::INVALID_PARAMETER_VALUE`] for messages it refuses to
/// offload).
pub mod codes {
    /// The payload object is missing (S3's code; HTTP 404).
    pub const NO_SUCH_KEY: &str = "NoSuchKey";
    /// The pointer names a bucket this client has no store for (S3's code; HTTP 404).
    pub const NO_SUCH_BUCKET: &str = "NoSuchBucket";
    /// A message carries a reserved attribute but its body is not a payload pointer.
    pub const INVALID_PAYLOAD_POINTER: &str = "InvalidPayloadPointer";
    /// The store failed, or a payload is not UTF-8 text (HTTP 500, retryable).
    pub const PAYLOAD_STORE_FAILURE: &str = "PayloadStoreFailure";
}

/// Where an offloaded payload is: the body of an offloaded message, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PayloadS3Pointer {
    /// The bucket.
    pub s3_bucket_name: String,
    /// The object key.
    pub s3_key: String,
}

#[derive(Serialize)]
struct PointerFields<'a> {
    #[serde(rename = "s3BucketName")]
    bucket: &'a str,
    #[serde(rename = "s3Key")]
    key: &'a str,
}

impl PayloadS3Pointer {
    /// A pointer to `key` in `bucket`.
    pub fn new(s3_bucket_name: impl Into<String>, s3_key: impl Into<String>) -> PayloadS3Pointer {
        PayloadS3Pointer {
            s3_bucket_name: s3_bucket_name.into(),
            s3_key: s3_key.into(),
        }
    }

    /// The pointer JSON the libraries write:
    /// `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"B","s3Key":"K"}]`.
    pub fn to_json(&self) -> String {
        self.to_json_with_class(MESSAGE_POINTER_CLASS)
    }

    /// The same JSON with the legacy class name `com.amazon.sqs.javamessaging.MessageS3Pointer`.
    pub fn to_legacy_json(&self) -> String {
        self.to_json_with_class(LEGACY_MESSAGE_POINTER_CLASS)
    }

    fn to_json_with_class(&self, class: &str) -> String {
        let fields = PointerFields {
            bucket: &self.s3_bucket_name,
            key: &self.s3_key,
        };
        // A tuple of a string and a struct of two strings always serializes.
        serde_json::to_string(&(class, fields)).unwrap_or_default()
    }

    /// Reads a pointer body: a two-element JSON array of a known class name (either) and an
    /// object with string `s3BucketName` and `s3Key`; whitespace and extra fields are allowed.
    pub fn from_json(body: &str) -> Result<PayloadS3Pointer, Error> {
        let invalid = || {
            Error::validation(
                codes::INVALID_PAYLOAD_POINTER,
                format!(
                    "The message carries a reserved extended-client attribute but its body is not a payload pointer \
                     ([\"{MESSAGE_POINTER_CLASS}\",{{\"s3BucketName\":…,\"s3Key\":…}}]): {}",
                    excerpt(body)
                ),
            )
        };
        let value: serde_json::Value = serde_json::from_str(body).map_err(|_| invalid())?;
        let [class, fields] = value.as_array().map(Vec::as_slice).ok_or_else(invalid)? else {
            return Err(invalid());
        };
        let class = class.as_str().ok_or_else(invalid)?;
        if class != MESSAGE_POINTER_CLASS && class != LEGACY_MESSAGE_POINTER_CLASS {
            return Err(invalid());
        }
        let field = |name: &str| {
            fields
                .get(name)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
                .ok_or_else(invalid)
        };
        Ok(PayloadS3Pointer {
            s3_bucket_name: field("s3BucketName")?,
            s3_key: field("s3Key")?,
        })
    }
}

/// The first 100 characters of `text`, for error messages.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(100) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A receipt handle of an offloaded message, as the extended client hands it out:
/// `-..s3BucketName..-B-..s3BucketName..--..s3Key..-K-..s3Key..-<handle>`.
///
/// ```
/// use aws_lite_queue::extended::ExtendedReceiptHandle;
///
/// let text = "-..s3BucketName..-b-..s3BucketName..--..s3Key..-k-..s3Key..-AQID";
/// let handle = ExtendedReceiptHandle::parse(text).unwrap();
/// assert_eq!((handle.s3_bucket_name, handle.s3_key, handle.receipt_handle), ("b", "k", "AQID"));
/// assert_eq!(handle.to_string(), text);
/// assert_eq!(ExtendedReceiptHandle::parse("AQID"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtendedReceiptHandle<'a> {
    /// The payload's bucket.
    pub s3_bucket_name: &'a str,
    /// The payload's key.
    pub s3_key: &'a str,
    /// The queue's own receipt handle.
    pub receipt_handle: &'a str,
}

impl<'a> ExtendedReceiptHandle<'a> {
    /// Splits an extended handle as the Java library does: the bucket lies between the first
    /// two bucket markers, the key between the first two key markers, and the queue's handle
    /// follows the second key marker. `None` for text without both pairs of markers (a plain
    /// handle).
    pub fn parse(text: &'a str) -> Option<ExtendedReceiptHandle<'a>> {
        let (s3_bucket_name, _) = between(text, S3_BUCKET_NAME_MARKER)?;
        let (s3_key, rest) = between(text, S3_KEY_MARKER)?;
        Some(ExtendedReceiptHandle {
            s3_bucket_name,
            s3_key,
            receipt_handle: rest,
        })
    }
}

/// The text between the first two occurrences of `marker`, and the text after the second.
fn between<'a>(text: &'a str, marker: &str) -> Option<(&'a str, &'a str)> {
    let start = text.find(marker)? + marker.len();
    let len = text[start..].find(marker)?;
    Some((
        &text[start..start + len],
        &text[start + len + marker.len()..],
    ))
}

impl fmt::Display for ExtendedReceiptHandle<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{S3_BUCKET_NAME_MARKER}{}{S3_BUCKET_NAME_MARKER}{S3_KEY_MARKER}{}{S3_KEY_MARKER}{}",
            self.s3_bucket_name, self.s3_key, self.receipt_handle
        )
    }
}

/// The queue's own receipt handle inside `handle`: the part after the second `-..s3Key..-` of an
/// extended handle, or `handle` itself. Use it to call an operation of the plain [`Queue`] with
/// a handle the extended client handed out.
pub fn original_receipt_handle(handle: &str) -> &str {
    ExtendedReceiptHandle::parse(handle).map_or(handle, |h| h.receipt_handle)
}

fn is_reserved(name: &str) -> bool {
    name == RESERVED_ATTRIBUTE_NAME || name == LEGACY_RESERVED_ATTRIBUTE_NAME
}

/// An SQS client over one queue that offloads large bodies to an object store, interoperable
/// with the AWS extended client libraries. See the [module docs](self).
///
/// Cheap to clone. The settings are builder methods:
///
/// | setting | default | Java / Python name |
/// |---|---|---|
/// | [`payload_size_threshold`](Self::payload_size_threshold) | 262,144 bytes | `payloadSizeThreshold` / — |
/// | [`always_through_s3`](Self::always_through_s3) | off | `alwaysThroughS3` / `always_through_s3` |
/// | [`cleanup_s3_payload`](Self::cleanup_s3_payload) | on | `cleanupS3Payload` / `delete_payload_from_s3` (off there) |
/// | [`ignore_payload_not_found`](Self::ignore_payload_not_found) | off | `ignorePayloadNotFound` / — |
/// | [`use_legacy_reserved_attribute_name`](Self::use_legacy_reserved_attribute_name) | off | `useLegacyReservedAttributeName` (on there) / `use_legacy_attribute` |
#[derive(Debug, Clone)]
pub struct ExtendedClient {
    queue: Queue,
    store: Arc<dyn ObjectStore>,
    bucket: Arc<str>,
    threshold: usize,
    always_through_s3: bool,
    cleanup: bool,
    ignore_not_found: bool,
    legacy_names: bool,
}

impl ExtendedClient {
    /// A client for `queue` storing payloads in `store`, which stands for the S3 bucket named
    /// `bucket` (the name written into pointers).
    pub fn new(
        queue: Queue,
        store: Arc<dyn ObjectStore>,
        bucket: impl Into<String>,
    ) -> ExtendedClient {
        ExtendedClient {
            queue,
            store,
            bucket: Arc::from(bucket.into()),
            threshold: DEFAULT_PAYLOAD_SIZE_THRESHOLD,
            always_through_s3: false,
            cleanup: true,
            ignore_not_found: false,
            legacy_names: false,
        }
    }

    /// Offload messages whose body plus attributes exceed this many bytes (default 262,144).
    pub fn payload_size_threshold(mut self, bytes: usize) -> ExtendedClient {
        self.threshold = bytes;
        self
    }

    /// Offload every message, whatever its size (default off).
    pub fn always_through_s3(mut self, on: bool) -> ExtendedClient {
        self.always_through_s3 = on;
        self
    }

    /// Delete the payload object when the message is deleted (default on).
    pub fn cleanup_s3_payload(mut self, on: bool) -> ExtendedClient {
        self.cleanup = on;
        self
    }

    /// On receive, delete and leave out a message whose payload object is missing, instead of
    /// failing with `NoSuchKey` (default off).
    pub fn ignore_payload_not_found(mut self, on: bool) -> ExtendedClient {
        self.ignore_not_found = on;
        self
    }

    /// Write `SQSLargePayloadSize` and the `com.amazon.sqs.javamessaging.MessageS3Pointer`
    /// class, for readers that know only those (default off). Reading accepts both always.
    pub fn use_legacy_reserved_attribute_name(mut self, on: bool) -> ExtendedClient {
        self.legacy_names = on;
        self
    }

    /// The queue.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// The bucket name written into pointers.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The offload threshold, in bytes.
    pub fn threshold(&self) -> usize {
        self.threshold
    }

    /// SendMessage, offloading the body when it is large.
    pub fn send_message(&self) -> ExtendedSendMessageFluentBuilder {
        ExtendedSendMessageFluentBuilder {
            client: self.clone(),
            inner: self.queue.send_message(),
        }
    }

    /// ReceiveMessage, restoring offloaded bodies.
    pub fn receive_message(&self) -> ExtendedReceiveMessageFluentBuilder {
        ExtendedReceiveMessageFluentBuilder {
            client: self.clone(),
            inner: self.queue.receive_message(),
        }
    }

    /// DeleteMessage, accepting extended handles and deleting their payloads.
    pub fn delete_message(&self) -> ExtendedDeleteMessageFluentBuilder {
        ExtendedDeleteMessageFluentBuilder {
            client: self.clone(),
            inner: self.queue.delete_message(),
        }
    }

    /// ChangeMessageVisibility, accepting extended handles.
    pub fn change_message_visibility(&self) -> ExtendedChangeMessageVisibilityFluentBuilder {
        ExtendedChangeMessageVisibilityFluentBuilder {
            inner: self.queue.change_message_visibility(),
        }
    }

    /// SendMessageBatch, offloading every large body.
    pub fn send_message_batch(&self) -> ExtendedSendMessageBatchFluentBuilder {
        ExtendedSendMessageBatchFluentBuilder {
            client: self.clone(),
            inner: self.queue.send_message_batch(),
        }
    }

    /// DeleteMessageBatch, accepting extended handles and deleting their payloads.
    pub fn delete_message_batch(&self) -> ExtendedDeleteMessageBatchFluentBuilder {
        ExtendedDeleteMessageBatchFluentBuilder {
            client: self.clone(),
            inner: self.queue.delete_message_batch(),
        }
    }

    /// ChangeMessageVisibilityBatch, accepting extended handles.
    pub fn change_message_visibility_batch(
        &self,
    ) -> ExtendedChangeMessageVisibilityBatchFluentBuilder {
        ExtendedChangeMessageVisibilityBatchFluentBuilder {
            inner: self.queue.change_message_visibility_batch(),
        }
    }

    fn store_for(&self, bucket: &str) -> Result<&Arc<dyn ObjectStore>, Error> {
        if bucket == &*self.bucket {
            Ok(&self.store)
        } else {
            Err(Error::not_found(
                codes::NO_SUCH_BUCKET,
                format!(
                    "The specified bucket does not exist: the payload is in bucket {bucket}, \
                     and this extended client has a store only for bucket {}.",
                    self.bucket
                ),
            ))
        }
    }

    /// Checks a message to send as the Java library does and decides whether to offload it:
    /// `Some(key)` names the object to store the body under.
    fn plan(
        &self,
        body: &str,
        attributes: Option<&MessageAttributes>,
    ) -> Result<Option<String>, Error> {
        let empty = MessageAttributes::new();
        let attributes = attributes.unwrap_or(&empty);
        if let Some(name) = [RESERVED_ATTRIBUTE_NAME, LEGACY_RESERVED_ATTRIBUTE_NAME]
            .into_iter()
            .find(|n| attributes.contains_key(*n))
        {
            return Err(Error::validation(
                INVALID_PARAMETER_VALUE,
                format!(
                    "Message attribute name {name} is reserved for use by SQS extended client."
                ),
            ));
        }
        let attributes_size = crate::validate::message_size("", attributes);
        let large = attributes_size + body.len() > self.threshold;
        if body.is_empty() || !(self.always_through_s3 || large) {
            return Ok(None);
        }
        if attributes_size > self.threshold {
            return Err(Error::validation(
                INVALID_PARAMETER_VALUE,
                format!(
                    "Total size of Message attributes is {attributes_size} bytes which is larger than the threshold of {} Bytes. \
                     Consider including the payload in the message body instead of message attributes.",
                    self.threshold
                ),
            ));
        }
        if attributes.len() > MAX_ALLOWED_ATTRIBUTES {
            return Err(Error::validation(
                INVALID_PARAMETER_VALUE,
                format!(
                    "Number of message attributes [{}] exceeds the maximum allowed for large-payload messages [{MAX_ALLOWED_ATTRIBUTES}].",
                    attributes.len()
                ),
            ));
        }
        let key = match attributes
            .get(S3_KEY_ATTRIBUTE_NAME)
            .and_then(|v| v.string_value.as_deref())
        {
            Some(k) if !k.is_empty() => k.to_string(),
            _ => self.queue.sqs().rand().uuid().to_string(),
        };
        Ok(Some(key))
    }

    /// Stores `body` under `key` and returns the pointer message to send in its place.
    async fn offload(
        &self,
        body: &str,
        attributes: Option<&MessageAttributes>,
        key: String,
    ) -> Result<Offloaded, Error> {
        let path = Path::from(key.as_str());
        self.store
            .put(&path, Bytes::from(body.to_string()).into())
            .await
            .map_err(|e| store_failure("store", &self.bucket, &key, &e))?;
        let pointer = PayloadS3Pointer::new(&*self.bucket, key);
        let (attribute, pointer_body) = if self.legacy_names {
            (LEGACY_RESERVED_ATTRIBUTE_NAME, pointer.to_legacy_json())
        } else {
            (RESERVED_ATTRIBUTE_NAME, pointer.to_json())
        };
        let mut attributes = attributes.cloned().unwrap_or_default();
        attributes.insert(
            attribute.to_string(),
            MessageAttributeValue::number(body.len()),
        );
        Ok(Offloaded {
            body: pointer_body,
            attributes,
            path,
        })
    }

    /// Deletes stored payloads again after SQS refused their messages. Best effort: the error
    /// to report is SQS's.
    async fn discard(&self, paths: impl IntoIterator<Item = &Path>) {
        for path in paths {
            let _ = self.store.delete(path).await;
        }
    }

    /// Deletes a payload object; a missing object is not an error (S3's DeleteObject answers
    /// 204 for a missing key).
    async fn delete_payload(&self, bucket: &str, key: &str) -> Result<(), Error> {
        let store = self.store_for(bucket)?;
        match store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(store_failure("delete", bucket, key, &e)),
        }
    }

    /// The extended view of a received message, or `None` when it is to be left out.
    async fn restore(&self, message: Message, shown: &[&str]) -> Result<Option<Message>, Error> {
        let Some(attributes) = message.message_attributes() else {
            return Ok(Some(message));
        };
        if !attributes.keys().any(|k| is_reserved(k)) {
            return Ok(Some(message));
        }
        let pointer = PayloadS3Pointer::from_json(message.body())?;
        let (bucket, key) = (&pointer.s3_bucket_name, &pointer.s3_key);
        let store = self.store_for(bucket)?;
        let payload = match store.get(&Path::from(key.as_str())).await {
            Ok(got) => got
                .bytes()
                .await
                .map_err(|e| store_failure("read", bucket, key, &e))?,
            Err(object_store::Error::NotFound { .. }) if self.ignore_not_found => {
                self.queue
                    .delete_message()
                    .receipt_handle(message.receipt_handle())
                    .send()
                    .await?;
                return Ok(None);
            }
            Err(object_store::Error::NotFound { .. }) => {
                return Err(Error::not_found(
                    codes::NO_SUCH_KEY,
                    format!(
                        "The specified key does not exist: the payload of message {} (bucket {bucket}, key {key}) \
                         is missing from the store.",
                        message.message_id()
                    ),
                ));
            }
            Err(e) => return Err(store_failure("read", bucket, key, &e)),
        };
        let body = String::from_utf8(payload.into()).map_err(|_| {
            payload_store_failure(format!(
                "The payload in bucket {bucket} under key {key} is not UTF-8 text."
            ))
        })?;
        let kept: MessageAttributes = attributes
            .iter()
            .filter(|(k, _)| !is_reserved(k) || shown.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let handle = ExtendedReceiptHandle {
            s3_bucket_name: bucket,
            s3_key: key,
            receipt_handle: message.receipt_handle(),
        }
        .to_string();
        Ok(Some(message.with_payload(
            body,
            handle,
            (!kept.is_empty()).then_some(kept),
        )))
    }
}

/// A message about to be sent in place of an offloaded one.
struct Offloaded {
    body: String,
    attributes: MessageAttributes,
    /// Where the payload was stored, to delete it again if the send fails.
    path: Path,
}

/// `PayloadStoreFailure`: HTTP 500, receiver fault, retryable.
fn payload_store_failure(message: String) -> Error {
    Error::new(codes::PAYLOAD_STORE_FAILURE, message)
        .with_status(500)
        .with_retryable(true)
        .with_kind(aws_lite_core::ErrorKind::Internal)
}

fn store_failure(action: &str, bucket: &str, key: &str, e: &object_store::Error) -> Error {
    payload_store_failure(format!(
        "Could not {action} the payload in bucket {bucket} under key {key}: {e}"
    ))
}

/// Builds and sends a SendMessage request through an [`ExtendedClient`]: the setters of
/// [`SendMessageFluentBuilder`]; `send` offloads a large body first.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedSendMessageFluentBuilder {
    client: ExtendedClient,
    inner: SendMessageFluentBuilder,
}

impl ExtendedSendMessageFluentBuilder {
    /// The message body.
    pub fn message_body(mut self, body: impl Into<String>) -> Self {
        self.inner = self.inner.message_body(body);
        self
    }

    /// Sets or clears the body.
    pub fn set_message_body(mut self, body: Option<String>) -> Self {
        self.inner = self.inner.set_message_body(body);
        self
    }

    /// Seconds to hide the message (0–900).
    pub fn delay_seconds(mut self, seconds: i32) -> Self {
        self.inner = self.inner.delay_seconds(seconds);
        self
    }

    /// Sets or clears the delay.
    pub fn set_delay_seconds(mut self, seconds: Option<i32>) -> Self {
        self.inner = self.inner.set_delay_seconds(seconds);
        self
    }

    /// Adds one message attribute. A string `S3Key` attribute names the payload's object key.
    pub fn message_attributes(
        mut self,
        name: impl Into<String>,
        value: MessageAttributeValue,
    ) -> Self {
        self.inner = self.inner.message_attributes(name, value);
        self
    }

    /// Sets or clears all message attributes.
    pub fn set_message_attributes(mut self, attributes: Option<MessageAttributes>) -> Self {
        self.inner = self.inner.set_message_attributes(attributes);
        self
    }

    /// Adds one message system attribute (`AWSTraceHeader`).
    pub fn message_system_attributes(
        mut self,
        name: impl Into<String>,
        value: MessageAttributeValue,
    ) -> Self {
        self.inner = self.inner.message_system_attributes(name, value);
        self
    }

    /// Sets or clears the message system attributes.
    pub fn set_message_system_attributes(mut self, attributes: Option<MessageAttributes>) -> Self {
        self.inner = self.inner.set_message_system_attributes(attributes);
        self
    }

    /// FIFO: the deduplication id.
    pub fn message_deduplication_id(mut self, id: impl Into<String>) -> Self {
        self.inner = self.inner.message_deduplication_id(id);
        self
    }

    /// Sets or clears the deduplication id.
    pub fn set_message_deduplication_id(mut self, id: Option<String>) -> Self {
        self.inner = self.inner.set_message_deduplication_id(id);
        self
    }

    /// FIFO: the message group.
    pub fn message_group_id(mut self, id: impl Into<String>) -> Self {
        self.inner = self.inner.message_group_id(id);
        self
    }

    /// Sets or clears the message group.
    pub fn set_message_group_id(mut self, id: Option<String>) -> Self {
        self.inner = self.inner.set_message_group_id(id);
        self
    }

    /// The request as built so far (before offloading).
    pub fn as_input(&self) -> &SendMessageInput {
        self.inner.as_input()
    }

    /// Offloads the body if it is large, then sends. The output is SQS's answer to what was
    /// sent: for an offloaded message, `MD5OfMessageBody` is the digest of the pointer.
    pub async fn send(self) -> Result<SendMessageOutput, Error> {
        let Self { client, inner } = self;
        let input = inner.as_input();
        let Some(body) = input.message_body.as_deref() else {
            return inner.send().await;
        };
        let Some(key) = client.plan(body, input.message_attributes.as_ref())? else {
            return inner.send().await;
        };
        let offloaded = client
            .offload(body, input.message_attributes.as_ref(), key)
            .await?;
        let sent = inner
            .set_message_body(Some(offloaded.body))
            .set_message_attributes(Some(offloaded.attributes))
            .send()
            .await;
        if sent.is_err() {
            client.discard([&offloaded.path]).await;
        }
        sent
    }
}

/// Builds and sends a ReceiveMessage request through an [`ExtendedClient`]: the setters of
/// [`ReceiveMessageFluentBuilder`]; `send` restores offloaded bodies.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedReceiveMessageFluentBuilder {
    client: ExtendedClient,
    inner: ReceiveMessageFluentBuilder,
}

impl ExtendedReceiveMessageFluentBuilder {
    /// Adds a system attribute to return (deprecated spelling).
    pub fn attribute_names(mut self, name: impl Into<String>) -> Self {
        self.inner = self.inner.attribute_names(name);
        self
    }

    /// Adds a system attribute to return (`All`, `SentTimestamp`, …).
    pub fn message_system_attribute_names(mut self, name: impl Into<String>) -> Self {
        self.inner = self.inner.message_system_attribute_names(name);
        self
    }

    /// Sets or clears the system attributes to return.
    pub fn set_message_system_attribute_names(mut self, names: Option<Vec<String>>) -> Self {
        self.inner = self.inner.set_message_system_attribute_names(names);
        self
    }

    /// Adds a message attribute name, `All`, `.*` or `prefix.*` to return. Name a reserved
    /// attribute (`ExtendedPayloadSize`) exactly to see it on offloaded messages.
    pub fn message_attribute_names(mut self, name: impl Into<String>) -> Self {
        self.inner = self.inner.message_attribute_names(name);
        self
    }

    /// Sets or clears the message attributes to return.
    pub fn set_message_attribute_names(mut self, names: Option<Vec<String>>) -> Self {
        self.inner = self.inner.set_message_attribute_names(names);
        self
    }

    /// At most this many messages (1–10).
    pub fn max_number_of_messages(mut self, n: i32) -> Self {
        self.inner = self.inner.max_number_of_messages(n);
        self
    }

    /// Visibility timeout for the received messages, in seconds.
    pub fn visibility_timeout(mut self, seconds: i32) -> Self {
        self.inner = self.inner.visibility_timeout(seconds);
        self
    }

    /// Long-poll wait, in seconds (0–20).
    pub fn wait_time_seconds(mut self, seconds: i32) -> Self {
        self.inner = self.inner.wait_time_seconds(seconds);
        self
    }

    /// FIFO: the receive request attempt id.
    pub fn receive_request_attempt_id(mut self, id: impl Into<String>) -> Self {
        self.inner = self.inner.receive_request_attempt_id(id);
        self
    }

    /// The request as built so far (before the reserved attribute names are added).
    pub fn as_input(&self) -> &ReceiveMessageInput {
        self.inner.as_input()
    }

    /// Receives (and waits, when long polling), then fetches the payload of every offloaded
    /// message.
    pub async fn send(self) -> Result<ReceiveMessageOutput, Error> {
        let Self { client, inner } = self;
        let asked = inner
            .as_input()
            .message_attribute_names
            .clone()
            .unwrap_or_default();
        let shown: Vec<&str> = [RESERVED_ATTRIBUTE_NAME, LEGACY_RESERVED_ATTRIBUTE_NAME]
            .into_iter()
            .filter(|r| asked.iter().any(|n| n == r))
            .collect();
        let mut names: Vec<String> = asked.iter().filter(|n| !is_reserved(n)).cloned().collect();
        names.push(RESERVED_ATTRIBUTE_NAME.to_string());
        names.push(LEGACY_RESERVED_ATTRIBUTE_NAME.to_string());
        let received = inner
            .set_message_attribute_names(Some(names))
            .send()
            .await?;
        let mut messages = Vec::with_capacity(received.messages().len());
        for message in received.into_messages() {
            if let Some(m) = client.restore(message, &shown).await? {
                messages.push(m);
            }
        }
        Ok(ReceiveMessageOutput::from_messages(messages))
    }
}

/// Builds and sends a DeleteMessage request through an [`ExtendedClient`]: `send` accepts an
/// extended handle, deletes the message with the queue's handle inside it, then the payload.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedDeleteMessageFluentBuilder {
    client: ExtendedClient,
    inner: DeleteMessageFluentBuilder,
}

impl ExtendedDeleteMessageFluentBuilder {
    /// The receipt handle: extended or plain.
    pub fn receipt_handle(mut self, handle: impl Into<String>) -> Self {
        self.inner = self.inner.receipt_handle(handle);
        self
    }

    /// The request as built so far (with the handle as given).
    pub fn as_input(&self) -> &DeleteMessageInput {
        self.inner.as_input()
    }

    /// Deletes the message, then (unless cleanup is off) its payload object.
    pub async fn send(self) -> Result<DeleteMessageOutput, Error> {
        let Self { client, inner } = self;
        let given = inner.as_input().receipt_handle.clone();
        let Some(handle) = ExtendedReceiptHandle::parse(&given) else {
            return inner.send().await;
        };
        let out = inner.receipt_handle(handle.receipt_handle).send().await?;
        if client.cleanup {
            client
                .delete_payload(handle.s3_bucket_name, handle.s3_key)
                .await?;
        }
        Ok(out)
    }
}

/// Builds and sends a ChangeMessageVisibility request through an [`ExtendedClient`]: `send`
/// accepts an extended handle.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedChangeMessageVisibilityFluentBuilder {
    inner: ChangeMessageVisibilityFluentBuilder,
}

impl ExtendedChangeMessageVisibilityFluentBuilder {
    /// The receipt handle: extended or plain.
    pub fn receipt_handle(mut self, handle: impl Into<String>) -> Self {
        self.inner = self.inner.receipt_handle(handle);
        self
    }

    /// The new visibility timeout, in seconds from now (0–43,200).
    pub fn visibility_timeout(mut self, seconds: i32) -> Self {
        self.inner = self.inner.visibility_timeout(seconds);
        self
    }

    /// Sets or clears the visibility timeout.
    pub fn set_visibility_timeout(mut self, seconds: Option<i32>) -> Self {
        self.inner = self.inner.set_visibility_timeout(seconds);
        self
    }

    /// The request as built so far (with the handle as given).
    pub fn as_input(&self) -> &ChangeMessageVisibilityInput {
        self.inner.as_input()
    }

    /// Changes the visibility of the message with the queue's handle inside the one given.
    pub async fn send(self) -> Result<ChangeMessageVisibilityOutput, Error> {
        let given = self.inner.as_input().receipt_handle.clone();
        let handle = original_receipt_handle(&given);
        self.inner.receipt_handle(handle).send().await
    }
}

/// Builds and sends a SendMessageBatch request through an [`ExtendedClient`]: `send` offloads
/// every large entry's body first.
///
/// Every entry is checked before anything is stored; an entry the extended client refuses
/// (see [Sending](self#sending)) fails the whole call, as in the Java library. The payloads of
/// entries SQS then lists as failed are deleted again.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedSendMessageBatchFluentBuilder {
    client: ExtendedClient,
    inner: SendMessageBatchFluentBuilder,
}

impl ExtendedSendMessageBatchFluentBuilder {
    /// Adds one entry.
    pub fn entries(mut self, entry: SendMessageBatchRequestEntry) -> Self {
        self.inner = self.inner.entries(entry);
        self
    }

    /// Sets (or, with `None`, clears) all entries.
    pub fn set_entries(mut self, entries: Option<Vec<SendMessageBatchRequestEntry>>) -> Self {
        self.inner = self.inner.set_entries(entries);
        self
    }

    /// The request as built so far (before offloading).
    pub fn as_input(&self) -> &SendMessageBatchInput {
        self.inner.as_input()
    }

    /// Offloads the large entries, then sends the batch.
    pub async fn send(self) -> Result<SendMessageBatchOutput, Error> {
        let Self { client, inner } = self;
        let mut entries = inner.as_input().entries.clone();
        let mut keys = Vec::with_capacity(entries.len());
        for entry in &entries {
            keys.push(match entry.message_body.as_deref() {
                Some(body) => client.plan(body, entry.message_attributes.as_ref())?,
                None => None,
            });
        }
        if keys.iter().all(Option::is_none) {
            return inner.send().await;
        }
        let mut stored: Vec<(String, Path)> = Vec::new();
        for (entry, key) in entries.iter_mut().zip(keys) {
            let (Some(key), Some(body)) = (key, entry.message_body.as_deref()) else {
                continue;
            };
            let offloaded = match client
                .offload(body, entry.message_attributes.as_ref(), key)
                .await
            {
                Ok(o) => o,
                Err(e) => {
                    client.discard(stored.iter().map(|(_, p)| p)).await;
                    return Err(e);
                }
            };
            stored.push((entry.id.clone(), offloaded.path));
            entry.message_body = Some(offloaded.body);
            entry.message_attributes = Some(offloaded.attributes);
        }
        let sent = inner.set_entries(Some(entries)).send().await;
        match &sent {
            Ok(out) => {
                let failed = stored
                    .iter()
                    .filter(|(id, _)| out.failed().iter().any(|f| f.id() == id))
                    .map(|(_, p)| p);
                client.discard(failed).await;
            }
            Err(_) => client.discard(stored.iter().map(|(_, p)| p)).await,
        }
        sent
    }
}

/// Builds and sends a DeleteMessageBatch request through an [`ExtendedClient`]: `send` accepts
/// extended handles, then deletes the payloads of the entries that were deleted.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedDeleteMessageBatchFluentBuilder {
    client: ExtendedClient,
    inner: DeleteMessageBatchFluentBuilder,
}

impl ExtendedDeleteMessageBatchFluentBuilder {
    /// Adds one entry; its handle may be extended or plain.
    pub fn entries(mut self, entry: DeleteMessageBatchRequestEntry) -> Self {
        self.inner = self.inner.entries(entry);
        self
    }

    /// Sets (or, with `None`, clears) all entries.
    pub fn set_entries(mut self, entries: Option<Vec<DeleteMessageBatchRequestEntry>>) -> Self {
        self.inner = self.inner.set_entries(entries);
        self
    }

    /// The request as built so far (with the handles as given).
    pub fn as_input(&self) -> &DeleteMessageBatchInput {
        self.inner.as_input()
    }

    /// Deletes the messages, then (unless cleanup is off) the payloads of those deleted. A
    /// payload that cannot be deleted makes the call fail after every other was tried.
    pub async fn send(self) -> Result<DeleteMessageBatchOutput, Error> {
        let Self { client, inner } = self;
        let given = inner.as_input().entries.clone();
        let entries = given
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.receipt_handle = original_receipt_handle(&e.receipt_handle).to_string();
                e
            })
            .collect();
        let out = inner.set_entries(Some(entries)).send().await?;
        if client.cleanup {
            let mut first_error = None;
            for entry in &given {
                let Some(handle) = ExtendedReceiptHandle::parse(&entry.receipt_handle) else {
                    continue;
                };
                if !out.successful().iter().any(|s| s.id() == entry.id) {
                    continue;
                }
                if let Err(e) = client
                    .delete_payload(handle.s3_bucket_name, handle.s3_key)
                    .await
                {
                    first_error.get_or_insert(e);
                }
            }
            if let Some(e) = first_error {
                return Err(e);
            }
        }
        Ok(out)
    }
}

/// Builds and sends a ChangeMessageVisibilityBatch request through an [`ExtendedClient`]:
/// `send` accepts extended handles.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct ExtendedChangeMessageVisibilityBatchFluentBuilder {
    inner: ChangeMessageVisibilityBatchFluentBuilder,
}

impl ExtendedChangeMessageVisibilityBatchFluentBuilder {
    /// Adds one entry; its handle may be extended or plain.
    pub fn entries(mut self, entry: ChangeMessageVisibilityBatchRequestEntry) -> Self {
        self.inner = self.inner.entries(entry);
        self
    }

    /// Sets (or, with `None`, clears) all entries.
    pub fn set_entries(
        mut self,
        entries: Option<Vec<ChangeMessageVisibilityBatchRequestEntry>>,
    ) -> Self {
        self.inner = self.inner.set_entries(entries);
        self
    }

    /// The request as built so far (with the handles as given).
    pub fn as_input(&self) -> &ChangeMessageVisibilityBatchInput {
        self.inner.as_input()
    }

    /// Changes the visibility of each message with the queue's handle inside the one given.
    pub async fn send(self) -> Result<ChangeMessageVisibilityBatchOutput, Error> {
        let entries = self
            .inner
            .as_input()
            .entries
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.receipt_handle = original_receipt_handle(&e.receipt_handle).to_string();
                e
            })
            .collect();
        self.inner.set_entries(Some(entries)).send().await
    }
}
