//! The extended (large-payload) client: offloading, the wire format the AWS extended client
//! libraries share, receipt handles, cleanup, legacy names and both `object_store` stores.
#![cfg(feature = "extended")]

use std::sync::Arc;
use std::time::Duration;

use aws_lite_core::{ErrorKind, Rand};
use aws_lite_queue::extended::object_store::local::LocalFileSystem;
use aws_lite_queue::extended::object_store::memory::InMemory;
use aws_lite_queue::extended::object_store::path::Path;
use aws_lite_queue::extended::object_store::{self, ObjectStore};
use aws_lite_queue::extended::{
    self, ExtendedClient, ExtendedReceiptHandle, PayloadS3Pointer, codes,
};
use aws_lite_queue::limits::Limits;
use aws_lite_queue::operation::change_message_visibility_batch::ChangeMessageVisibilityBatchRequestEntry;
use aws_lite_queue::operation::delete_message_batch::DeleteMessageBatchRequestEntry;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{MessageAttributeValue, Queue, Sqs};

const BUCKET: &str = "payloads";

async fn queue_of(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue()
}

/// A queue, an in-memory store and an extended client over both.
async fn setup() -> (Queue, Arc<InMemory>, ExtendedClient) {
    let sqs = Sqs::new();
    let queue = queue_of(&sqs, "q").await;
    let store = Arc::new(InMemory::new());
    let client = ExtendedClient::new(queue.clone(), store.clone(), BUCKET);
    (queue, store, client)
}

/// How many objects the store holds (at any depth).
async fn object_count(store: &dyn ObjectStore) -> usize {
    let mut count = 0;
    let mut dirs = vec![None::<Path>];
    while let Some(dir) = dirs.pop() {
        let listed = store.list_with_delimiter(dir.as_ref()).await.unwrap();
        count += listed.objects.len();
        dirs.extend(listed.common_prefixes.into_iter().map(Some));
    }
    count
}

async fn exists(store: &dyn ObjectStore, key: &str) -> bool {
    match store.head(&Path::from(key)).await {
        Ok(_) => true,
        Err(object_store::Error::NotFound { .. }) => false,
        Err(e) => panic!("head {key}: {e}"),
    }
}

/// A body of `len` UTF-8 bytes with multi-byte characters, so bytes and characters differ.
fn big_body(len: usize) -> String {
    let mut s = String::with_capacity(len);
    while s.len() + 2 <= len {
        s.push(if s.len() % 7 == 0 { 'é' } else { 'a' });
        if s.len() % 7 == 0 {
            s.push('b');
        }
    }
    while s.len() < len {
        s.push('z');
    }
    assert_eq!(s.len(), len);
    s
}

/// What a plain SQS consumer sees: one message with every attribute, left visible.
async fn raw_receive(queue: &Queue) -> aws_lite_queue::operation::receive_message::Message {
    let got = queue
        .receive_message()
        .message_attribute_names("All")
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1, "expected one message in the queue");
    got.messages()[0].clone()
}

async fn queue_is_empty(queue: &Queue) -> bool {
    queue
        .receive_message()
        .visibility_timeout(0)
        .send()
        .await
        .unwrap()
        .messages()
        .is_empty()
}

#[tokio::test(start_paused = true)]
async fn small_bodies_go_inline() {
    let (queue, store, client) = setup().await;
    client
        .send_message()
        .message_body("hello")
        .message_attributes("kind", MessageAttributeValue::string("greeting"))
        .send()
        .await
        .unwrap();
    let raw = raw_receive(&queue).await;
    assert_eq!(raw.body(), "hello");
    let attrs = raw.message_attributes().unwrap();
    assert_eq!(attrs.len(), 1);
    assert!(!attrs.contains_key(extended::RESERVED_ATTRIBUTE_NAME));
    assert_eq!(object_count(&*store).await, 0);

    let got = client
        .receive_message()
        .message_attribute_names("kind")
        .send()
        .await
        .unwrap();
    let m = &got.messages()[0];
    assert_eq!(m.body(), "hello");
    assert!(ExtendedReceiptHandle::parse(m.receipt_handle()).is_none());
    assert_eq!(
        m.message_attributes().unwrap()["kind"],
        MessageAttributeValue::string("greeting")
    );
    client
        .delete_message()
        .receipt_handle(m.receipt_handle())
        .send()
        .await
        .unwrap();
    assert!(queue_is_empty(&queue).await);
}

#[tokio::test(start_paused = true)]
async fn large_bodies_are_offloaded_and_come_back_intact() {
    let (queue, store, client) = setup().await;
    let body = big_body(600_000);
    client
        .send_message()
        .message_body(body.as_str())
        .message_attributes("kind", MessageAttributeValue::string("report"))
        .send()
        .await
        .unwrap();
    assert_eq!(object_count(&*store).await, 1);
    assert!(raw_receive(&queue).await.body().len() < 200);

    let got = client
        .receive_message()
        .message_attribute_names("All")
        .send()
        .await
        .unwrap();
    let m = &got.messages()[0];
    assert!(
        m.body() == body,
        "the restored body differs from the one sent"
    );
    assert_eq!(m.md5_of_body(), aws_lite_queue::md5::md5_of_body(&body));
    let attrs = m.message_attributes().unwrap();
    assert_eq!(attrs.keys().collect::<Vec<_>>(), ["kind"]);
    assert_eq!(
        m.md5_of_message_attributes().as_deref(),
        aws_lite_queue::md5::md5_of_attributes(attrs).as_deref()
    );
}

#[tokio::test(start_paused = true)]
async fn a_plain_consumer_sees_the_pointer_and_the_size_attribute() {
    let (queue, store, client) = setup().await;
    let body = big_body(300_001);
    assert!(body.chars().count() < body.len());
    client
        .send_message()
        .message_body(body.as_str())
        .message_attributes("kind", MessageAttributeValue::string("report"))
        .send()
        .await
        .unwrap();
    let raw = raw_receive(&queue).await;
    let pointer = PayloadS3Pointer::from_json(raw.body()).unwrap();
    assert_eq!(pointer.s3_bucket_name, BUCKET);
    assert_eq!(
        raw.body(),
        format!(
            r#"["software.amazon.payloadoffloading.PayloadS3Pointer",{{"s3BucketName":"payloads","s3Key":"{}"}}]"#,
            pointer.s3_key
        )
    );
    let attrs = raw.message_attributes().unwrap();
    assert_eq!(attrs.len(), 2);
    assert_eq!(
        attrs["ExtendedPayloadSize"],
        MessageAttributeValue::number(300_001)
    );
    assert_eq!(attrs["kind"], MessageAttributeValue::string("report"));
    let stored = store
        .get(&Path::from(pointer.s3_key.as_str()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(
        stored == body.as_bytes(),
        "the stored object is not the body"
    );
}

#[tokio::test(start_paused = true)]
async fn keys_are_uuids_from_the_seeded_randomness() {
    async fn first_pointer(seed: u64) -> PayloadS3Pointer {
        let sqs = Sqs::builder().rand(Rand::seeded(seed)).build();
        let queue = queue_of(&sqs, "q").await;
        let client = ExtendedClient::new(queue.clone(), Arc::new(InMemory::new()), BUCKET)
            .always_through_s3(true);
        client
            .send_message()
            .message_body("x")
            .send()
            .await
            .unwrap();
        PayloadS3Pointer::from_json(raw_receive(&queue).await.body()).unwrap()
    }
    let a = first_pointer(7).await;
    let key = a.s3_key.as_bytes();
    assert_eq!(key.len(), 36, "{}", a.s3_key);
    assert_eq!(
        [key[8], key[13], key[14], key[18], key[23]],
        *b"--4--",
        "not a version-4 UUID: {}",
        a.s3_key
    );
    assert_eq!(first_pointer(7).await, a);
    assert_ne!(first_pointer(8).await, a);
}

#[tokio::test(start_paused = true)]
async fn the_threshold_counts_body_and_attributes_and_is_exclusive() {
    let (queue, store, client) = setup().await;
    // "kind" + "String" + "x" = 11 bytes of attributes.
    let attr = MessageAttributeValue::string("x");
    let at_threshold = "a".repeat(262_144 - 11);
    client
        .send_message()
        .message_body(at_threshold.as_str())
        .message_attributes("kind", attr.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(raw_receive(&queue).await.body(), at_threshold);
    assert_eq!(object_count(&*store).await, 0);

    let (queue, store, client) = setup().await;
    let over = "a".repeat(262_144 - 10);
    client
        .send_message()
        .message_body(over.as_str())
        .message_attributes("kind", attr)
        .send()
        .await
        .unwrap();
    assert!(raw_receive(&queue).await.body().starts_with('['));
    assert_eq!(object_count(&*store).await, 1);

    let (queue, store, client) = setup().await;
    let client = client.payload_size_threshold(10);
    client
        .send_message()
        .message_body("eleven byte")
        .send()
        .await
        .unwrap();
    assert!(raw_receive(&queue).await.body().starts_with('['));
    assert_eq!(object_count(&*store).await, 1);
}

#[tokio::test(start_paused = true)]
async fn always_through_s3_offloads_small_bodies() {
    let (queue, store, client) = setup().await;
    let client = client.always_through_s3(true);
    client
        .send_message()
        .message_body("tiny")
        .send()
        .await
        .unwrap();
    let raw = raw_receive(&queue).await;
    assert!(raw.body().contains("PayloadS3Pointer"), "{}", raw.body());
    assert_eq!(
        raw.message_attributes().unwrap()["ExtendedPayloadSize"],
        MessageAttributeValue::number(4)
    );
    assert_eq!(object_count(&*store).await, 1);
    let got = client.receive_message().send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "tiny");
}

#[tokio::test(start_paused = true)]
async fn the_s3key_attribute_names_the_object() {
    let (queue, store, client) = setup().await;
    let client = client.always_through_s3(true);
    client
        .send_message()
        .message_body("payload")
        .message_attributes(
            "S3Key",
            MessageAttributeValue::string("reports/2024/r1.json"),
        )
        .send()
        .await
        .unwrap();
    assert!(exists(&*store, "reports/2024/r1.json").await);
    let raw = raw_receive(&queue).await;
    assert_eq!(
        raw.body(),
        r#"["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"payloads","s3Key":"reports/2024/r1.json"}]"#
    );
    assert_eq!(
        raw.message_attributes().unwrap()["S3Key"],
        MessageAttributeValue::string("reports/2024/r1.json")
    );
}

#[tokio::test(start_paused = true)]
async fn the_receipt_handle_embeds_bucket_and_key_exactly() {
    let (queue, _store, client) = setup().await;
    let client = client.always_through_s3(true);
    client
        .send_message()
        .message_body("payload")
        .message_attributes("S3Key", MessageAttributeValue::string("k1"))
        .send()
        .await
        .unwrap();
    let got = client.receive_message().send().await.unwrap();
    let handle = got.messages()[0].receipt_handle();
    let prefix = "-..s3BucketName..-payloads-..s3BucketName..--..s3Key..-k1-..s3Key..-";
    let Some(tail) = handle.strip_prefix(prefix) else {
        panic!("{handle} does not start with {prefix}");
    };
    assert!(!tail.is_empty());
    assert_eq!(extended::original_receipt_handle(handle), tail);
    // The tail is the queue's own handle: a plain delete with it removes the message.
    queue
        .delete_message()
        .receipt_handle(tail)
        .send()
        .await
        .unwrap();
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(queue_is_empty(&queue).await);
    // The full handle is not one the plain queue accepts.
    let err = queue
        .delete_message()
        .receipt_handle(handle)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), aws_lite_queue::codes::RECEIPT_HANDLE_IS_INVALID);
}

#[tokio::test(start_paused = true)]
async fn deleting_removes_the_message_and_the_object() {
    let (queue, store, client) = setup().await;
    let body = big_body(400_000);
    client
        .send_message()
        .message_body(body.as_str())
        .send()
        .await
        .unwrap();
    let got = client.receive_message().send().await.unwrap();
    let handle = got.messages()[0].receipt_handle().to_string();
    let key = ExtendedReceiptHandle::parse(&handle)
        .unwrap()
        .s3_key
        .to_string();
    assert!(exists(&*store, &key).await);
    client
        .delete_message()
        .receipt_handle(handle.as_str())
        .send()
        .await
        .unwrap();
    assert!(!exists(&*store, &key).await);
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(queue_is_empty(&queue).await);
    // Deleting again is idempotent, like SQS and S3.
    client
        .delete_message()
        .receipt_handle(handle.as_str())
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn cleanup_off_keeps_the_object() {
    let (queue, store, client) = setup().await;
    let client = client.cleanup_s3_payload(false).always_through_s3(true);
    client
        .send_message()
        .message_body("keep me")
        .message_attributes("S3Key", MessageAttributeValue::string("kept"))
        .send()
        .await
        .unwrap();
    let got = client.receive_message().send().await.unwrap();
    client
        .delete_message()
        .receipt_handle(got.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    assert!(exists(&*store, "kept").await);
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(queue_is_empty(&queue).await);
}

#[tokio::test(start_paused = true)]
async fn legacy_pointer_class_and_attribute_name_are_read() {
    let (queue, store, client) = setup().await;
    store
        .put(&Path::from("legacy-key"), "from an old producer".into())
        .await
        .unwrap();
    store
        .put(&Path::from("python-key"), "from python".into())
        .await
        .unwrap();
    queue
        .send_message()
        .message_body(
            r#"["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"payloads","s3Key":"legacy-key"}]"#,
        )
        .message_attributes("SQSLargePayloadSize", MessageAttributeValue::number(20))
        .send()
        .await
        .unwrap();
    // The Python library writes with `json.dumps` spacing.
    queue
        .send_message()
        .message_body(
            r#"["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "payloads", "s3Key": "python-key"}]"#,
        )
        .message_attributes("ExtendedPayloadSize", MessageAttributeValue::number(11))
        .send()
        .await
        .unwrap();
    let got = client
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let mut bodies: Vec<&str> = got.messages().iter().map(|m| m.body()).collect();
    bodies.sort_unstable();
    assert_eq!(bodies, ["from an old producer", "from python"]);
    for m in got.messages() {
        assert!(
            m.message_attributes().is_none(),
            "{:?}",
            m.message_attributes()
        );
        let h = ExtendedReceiptHandle::parse(m.receipt_handle()).unwrap();
        assert_eq!(h.s3_bucket_name, "payloads");
        assert!(h.s3_key == "legacy-key" || h.s3_key == "python-key");
    }
}

#[tokio::test(start_paused = true)]
async fn legacy_mode_writes_the_legacy_names() {
    let (queue, _store, client) = setup().await;
    let client = client
        .use_legacy_reserved_attribute_name(true)
        .always_through_s3(true);
    client
        .send_message()
        .message_body("old style")
        .message_attributes("S3Key", MessageAttributeValue::string("k"))
        .send()
        .await
        .unwrap();
    let raw = raw_receive(&queue).await;
    assert_eq!(
        raw.body(),
        r#"["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"payloads","s3Key":"k"}]"#
    );
    let attrs = raw.message_attributes().unwrap();
    assert_eq!(
        attrs["SQSLargePayloadSize"],
        MessageAttributeValue::number(9)
    );
    assert!(!attrs.contains_key("ExtendedPayloadSize"));
    let got = client.receive_message().send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "old style");
}

#[tokio::test(start_paused = true)]
async fn the_size_attribute_shows_only_when_named() {
    let (_queue, _store, client) = setup().await;
    let client = client.always_through_s3(true);
    client
        .send_message()
        .message_body("12345")
        .send()
        .await
        .unwrap();
    let hidden = client
        .receive_message()
        .message_attribute_names("All")
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert!(hidden.messages()[0].message_attributes().is_none());
    let shown = client
        .receive_message()
        .message_attribute_names("ExtendedPayloadSize")
        .send()
        .await
        .unwrap();
    let attrs = shown.messages()[0].message_attributes().unwrap();
    assert_eq!(
        attrs["ExtendedPayloadSize"],
        MessageAttributeValue::number(5)
    );
}

#[tokio::test(start_paused = true)]
async fn ten_attributes_are_refused_only_when_offloading() {
    let (queue, store, client) = setup().await;
    let with_attrs = |n: usize, body: &str| {
        (0..n).fold(client.send_message().message_body(body), |b, i| {
            b.message_attributes(format!("a{i}"), MessageAttributeValue::string("v"))
        })
    };
    let large = "x".repeat(300_000);
    let err = with_attrs(10, &large).send().await.unwrap_err();
    assert_eq!(err.code(), aws_lite_queue::codes::INVALID_PARAMETER_VALUE);
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(
        err.message(),
        "Number of message attributes [10] exceeds the maximum allowed for large-payload messages [9]."
    );
    assert_eq!(object_count(&*store).await, 0);
    assert!(queue_is_empty(&queue).await);

    with_attrs(9, &large).send().await.unwrap();
    assert_eq!(
        raw_receive(&queue)
            .await
            .message_attributes()
            .unwrap()
            .len(),
        10
    );
    assert_eq!(object_count(&*store).await, 1);

    let (queue, _store, client) = setup().await;
    (0..10)
        .fold(client.send_message().message_body("small"), |b, i| {
            b.message_attributes(format!("a{i}"), MessageAttributeValue::string("v"))
        })
        .send()
        .await
        .unwrap();
    assert_eq!(raw_receive(&queue).await.body(), "small");
}

#[tokio::test(start_paused = true)]
async fn reserved_attribute_names_are_refused() {
    let (queue, _store, client) = setup().await;
    for name in ["ExtendedPayloadSize", "SQSLargePayloadSize"] {
        let err = client
            .send_message()
            .message_body("small")
            .message_attributes(name, MessageAttributeValue::number(5))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), aws_lite_queue::codes::INVALID_PARAMETER_VALUE);
        assert_eq!(
            err.message(),
            format!("Message attribute name {name} is reserved for use by SQS extended client.")
        );
    }
    assert!(queue_is_empty(&queue).await);
}

#[tokio::test(start_paused = true)]
async fn a_missing_object_fails_the_receive_with_no_such_key() {
    let (queue, store, client) = setup().await;
    let client = client.always_through_s3(true);
    client
        .send_message()
        .message_body("gone soon")
        .message_attributes("S3Key", MessageAttributeValue::string("gone"))
        .send()
        .await
        .unwrap();
    store.delete(&Path::from("gone")).await.unwrap();
    let err = client.receive_message().send().await.unwrap_err();
    assert_eq!(err.code(), codes::NO_SUCH_KEY);
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.message().contains("key gone"), "{}", err.message());
    assert!(
        err.message().contains("bucket payloads"),
        "{}",
        err.message()
    );

    // Ignoring missing payloads deletes the message and leaves it out.
    let client = client.ignore_payload_not_found(true);
    tokio::time::advance(Duration::from_secs(30)).await;
    let got = client.receive_message().send().await.unwrap();
    assert!(got.messages().is_empty());
    tokio::time::advance(Duration::from_secs(60)).await;
    assert!(queue_is_empty(&queue).await);
}

#[tokio::test(start_paused = true)]
async fn bad_pointers_and_foreign_buckets_are_clear_errors() {
    let (queue, _store, client) = setup().await;
    queue
        .send_message()
        .message_body("not a pointer")
        .message_attributes("ExtendedPayloadSize", MessageAttributeValue::number(3))
        .send()
        .await
        .unwrap();
    let err = client
        .receive_message()
        .visibility_timeout(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::INVALID_PAYLOAD_POINTER);
    assert!(err.message().contains("not a pointer"), "{}", err.message());

    let (queue, _store, client) = setup().await;
    queue
        .send_message()
        .message_body(PayloadS3Pointer::new("elsewhere", "k").to_json())
        .message_attributes("ExtendedPayloadSize", MessageAttributeValue::number(3))
        .send()
        .await
        .unwrap();
    let err = client.receive_message().send().await.unwrap_err();
    assert_eq!(err.code(), codes::NO_SUCH_BUCKET);
    assert!(err.message().contains("elsewhere"), "{}", err.message());
}

#[tokio::test(start_paused = true)]
async fn a_payload_is_deleted_again_when_sqs_refuses_the_message() {
    let sqs = Sqs::new();
    let fifo = sqs
        .create_queue()
        .queue_name("q.fifo")
        .attributes("FifoQueue", "true")
        .send()
        .await
        .unwrap()
        .queue();
    let store = Arc::new(InMemory::new());
    let client = ExtendedClient::new(fifo.clone(), store.clone(), BUCKET);
    let body = big_body(300_000);
    // No MessageGroupId: SQS refuses the message after the payload was stored.
    let err = client
        .send_message()
        .message_body(body.as_str())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), aws_lite_queue::codes::MISSING_PARAMETER);
    assert_eq!(object_count(&*store).await, 0);

    client
        .send_message()
        .message_body(body.as_str())
        .message_group_id("g")
        .message_deduplication_id("d1")
        .send()
        .await
        .unwrap();
    let got = client.receive_message().send().await.unwrap();
    assert!(got.messages()[0].body() == body);
}

#[tokio::test(start_paused = true)]
async fn a_local_file_store_works() {
    struct TempDir(std::path::PathBuf);
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let dir = TempDir(std::env::temp_dir().join(format!(
        "aws-lite-extended-{}-{}",
        std::process::id(),
        Rand::from_entropy().next_u64()
    )));
    std::fs::create_dir_all(&dir.0).unwrap();
    let store = Arc::new(LocalFileSystem::new_with_prefix(&dir.0).unwrap());

    let sqs = Sqs::new();
    let queue = queue_of(&sqs, "q").await;
    let client = ExtendedClient::new(queue.clone(), store, BUCKET);
    let body = big_body(500_000);
    client
        .send_message()
        .message_body(body.as_str())
        .message_attributes("S3Key", MessageAttributeValue::string("big/one"))
        .send()
        .await
        .unwrap();
    let file = dir.0.join("big").join("one");
    assert!(std::fs::read(&file).unwrap() == body.as_bytes());

    let got = client.receive_message().send().await.unwrap();
    assert!(got.messages()[0].body() == body);
    client
        .delete_message()
        .receipt_handle(got.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    assert!(!file.exists());
    // Deleting again finds no file, which S3 semantics make no error.
    client
        .delete_message()
        .receipt_handle(got.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    drop(dir);
}

#[tokio::test(start_paused = true)]
async fn legacy_256k_limits_still_carry_a_300_kib_body() {
    let sqs = Sqs::builder().limits(Limits::legacy_256k()).build();
    let queue = queue_of(&sqs, "q").await;
    let body = big_body(300 * 1024);
    let err = queue
        .send_message()
        .message_body(body.as_str())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), aws_lite_queue::codes::INVALID_PARAMETER_VALUE);

    let client = ExtendedClient::new(queue.clone(), Arc::new(InMemory::new()), BUCKET);
    client
        .send_message()
        .message_body(body.as_str())
        .send()
        .await
        .unwrap();
    let got = client.receive_message().send().await.unwrap();
    assert!(got.messages()[0].body() == body);
}

#[tokio::test(start_paused = true)]
async fn batches_offload_restore_and_clean_up() {
    let (queue, store, client) = setup().await;
    let large = big_body(300_000);
    let out = client
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("small", "hello"))
        .entries(SendMessageBatchRequestEntry::new("large", large.as_str()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 2);
    assert!(out.failed().is_empty());
    assert_eq!(object_count(&*store).await, 1);

    let got = client
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 2);
    let (big, small): (Vec<_>, Vec<_>) = got
        .messages()
        .iter()
        .partition(|m| ExtendedReceiptHandle::parse(m.receipt_handle()).is_some());
    assert!(big[0].body() == large);
    assert_eq!(small[0].body(), "hello");

    // Hide both for an hour through extended and plain handles alike.
    let changed = client
        .change_message_visibility_batch()
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "b",
            big[0].receipt_handle(),
            3600,
        ))
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "s",
            small[0].receipt_handle(),
            3600,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.successful().len(), 2, "{:?}", changed.failed());
    tokio::time::advance(Duration::from_secs(1800)).await;
    assert!(queue_is_empty(&queue).await);

    let deleted = client
        .delete_message_batch()
        .entries(DeleteMessageBatchRequestEntry::new(
            "b",
            big[0].receipt_handle(),
        ))
        .entries(DeleteMessageBatchRequestEntry::new(
            "s",
            small[0].receipt_handle(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.successful().len(), 2, "{:?}", deleted.failed());
    assert_eq!(object_count(&*store).await, 0);
    tokio::time::advance(Duration::from_secs(3600)).await;
    assert!(queue_is_empty(&queue).await);
}

#[tokio::test(start_paused = true)]
async fn a_refused_batch_entry_fails_the_batch_before_anything_is_stored() {
    let (queue, store, client) = setup().await;
    let err = client
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("ok", "x".repeat(300_000)))
        .entries(
            SendMessageBatchRequestEntry::new("bad", "small")
                .message_attributes("ExtendedPayloadSize", MessageAttributeValue::number(1)),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), aws_lite_queue::codes::INVALID_PARAMETER_VALUE);
    assert_eq!(object_count(&*store).await, 0);
    assert!(queue_is_empty(&queue).await);
}

#[tokio::test(start_paused = true)]
async fn change_message_visibility_accepts_extended_handles() {
    let (queue, _store, client) = setup().await;
    let client = client.always_through_s3(true);
    client
        .send_message()
        .message_body("later")
        .send()
        .await
        .unwrap();
    let got = client
        .receive_message()
        .visibility_timeout(3600)
        .send()
        .await
        .unwrap();
    let handle = got.messages()[0].receipt_handle();
    assert!(ExtendedReceiptHandle::parse(handle).is_some());
    assert!(queue_is_empty(&queue).await);
    client
        .change_message_visibility()
        .receipt_handle(handle)
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    let again = client.receive_message().send().await.unwrap();
    assert_eq!(again.messages()[0].body(), "later");
}

#[tokio::test(start_paused = true)]
async fn payloads_of_batch_entries_sqs_refuses_are_deleted_again() {
    let (_queue, store, client) = setup().await;
    let keyed = |id: &str, key: &str| {
        SendMessageBatchRequestEntry::new(id, big_body(300_000))
            .message_attributes("S3Key", MessageAttributeValue::string(key))
    };
    // Entry "lost" has a delay SQS refuses: it is listed as failed, the other is sent.
    let out = client
        .send_message_batch()
        .entries(keyed("kept", "kept-key"))
        .entries(keyed("lost", "lost-key").delay_seconds(901))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 1);
    assert_eq!(out.failed().len(), 1);
    assert_eq!(out.failed()[0].id(), "lost");
    assert!(exists(&*store, "kept-key").await);
    assert!(!exists(&*store, "lost-key").await);

    // A batch SQS refuses whole (repeated ids) leaves nothing behind.
    let err = client
        .send_message_batch()
        .entries(keyed("same", "a-key"))
        .entries(keyed("same", "b-key"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        aws_lite_queue::codes::BATCH_ENTRY_IDS_NOT_DISTINCT
    );
    assert!(!exists(&*store, "a-key").await);
    assert!(!exists(&*store, "b-key").await);
    assert_eq!(object_count(&*store).await, 1);
}
