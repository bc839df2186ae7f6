//! FIFO deduplication: explicit ids, content-based ids (SHA-256 of the body), the 5-minute
//! window from the first send, surviving deletion, `DeduplicationScope=messageGroup`, and the
//! error without an id, on virtual time.

use std::time::Duration;

use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{MessageSystemAttributeName, Queue, Sqs};

async fn fifo(sqs: &Sqs, name: &str, attrs: &[(&str, &str)]) -> Queue {
    let mut create = sqs
        .create_queue()
        .queue_name(name)
        .attributes("FifoQueue", "true");
    for (k, v) in attrs {
        create = create.attributes(*k, *v);
    }
    create.send().await.unwrap().queue()
}

async fn advance(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

fn stored(q: &Queue) -> u64 {
    let m = q.metrics();
    m.approximate_number_of_messages_visible + m.approximate_number_of_messages_not_visible
}

#[tokio::test(start_paused = true)]
async fn an_explicit_id_deduplicates_within_the_window() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "explicit.fifo", &[]).await;
    let send = |body: &'static str, id: &'static str| {
        let q = q.clone();
        async move {
            q.send_message()
                .message_body(body)
                .message_group_id("g")
                .message_deduplication_id(id)
                .send()
                .await
                .unwrap()
        }
    };
    let first = send("one", "id-1").await;
    // Same id, even another body: accepted, answered with the first message, not enqueued.
    let dup = send("two", "id-1").await;
    assert_eq!(dup.message_id(), first.message_id());
    assert_eq!(dup.sequence_number(), first.sequence_number());
    assert_eq!(stored(&q), 1);
    // A duplicate is not counted as sent.
    assert_eq!(q.metrics().number_of_messages_sent, 1);
    // Another id is another message.
    let other = send("one", "id-2").await;
    assert_ne!(other.message_id(), first.message_id());
    assert_eq!(stored(&q), 2);
}

#[tokio::test(start_paused = true)]
async fn content_based_ids_are_the_sha256_of_the_body() {
    let sqs = Sqs::new();
    let q = fifo(
        &sqs,
        "content.fifo",
        &[("ContentBasedDeduplication", "true")],
    )
    .await;
    let a = q
        .send_message()
        .message_body("hello")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    let dup = q
        .send_message()
        .message_body("hello")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    assert_eq!(dup.message_id(), a.message_id());
    assert_eq!(stored(&q), 1);
    // An explicit id wins over the content hash.
    let explicit = q
        .send_message()
        .message_body("hello")
        .message_group_id("g")
        .message_deduplication_id("mine")
        .send()
        .await
        .unwrap();
    assert_ne!(explicit.message_id(), a.message_id());
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .message_system_attribute_names("MessageDeduplicationId")
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = got
        .messages()
        .iter()
        .map(|m| {
            m.attribute(MessageSystemAttributeName::MessageDeduplicationId)
                .unwrap()
        })
        .collect();
    assert_eq!(
        ids,
        [
            // sha256("hello")
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            "mine"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn the_window_is_five_minutes_from_the_first_send() {
    let sqs = Sqs::new();
    let q = fifo(
        &sqs,
        "window.fifo",
        &[("ContentBasedDeduplication", "true")],
    )
    .await;
    let send = || {
        let q = q.clone();
        async move {
            q.send_message()
                .message_body("same")
                .message_group_id("g")
                .send()
                .await
                .unwrap()
        }
    };
    let first = send().await;
    advance(200).await;
    // A duplicate does not extend the window.
    assert_eq!(send().await.message_id(), first.message_id());
    advance(99).await;
    assert_eq!(send().await.message_id(), first.message_id());
    assert_eq!(stored(&q), 1);
    // 300 s after the first send, the id is forgotten.
    advance(1).await;
    let later = send().await;
    assert_ne!(later.message_id(), first.message_id());
    assert_eq!(stored(&q), 2);
}

#[tokio::test(start_paused = true)]
async fn deduplication_survives_deletion() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "deleted.fifo", &[]).await;
    let send = || {
        let q = q.clone();
        async move {
            q.send_message()
                .message_body("m")
                .message_group_id("g")
                .message_deduplication_id("d")
                .send()
                .await
                .unwrap()
        }
    };
    let first = send().await;
    let got = q.receive_message().send().await.unwrap().into_messages();
    q.delete_message()
        .receipt_handle(got[0].receipt_handle())
        .send()
        .await
        .unwrap();
    assert_eq!(stored(&q), 0);
    advance(60).await;
    assert_eq!(send().await.message_id(), first.message_id());
    assert_eq!(stored(&q), 0);
    assert!(
        q.receive_message()
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn message_group_scope_deduplicates_per_group() {
    let sqs = Sqs::new();
    let scoped = fifo(
        &sqs,
        "scoped.fifo",
        &[
            ("DeduplicationScope", "messageGroup"),
            ("FifoThroughputLimit", "perMessageGroupId"),
        ],
    )
    .await;
    let plain = fifo(&sqs, "plain.fifo", &[]).await;
    for q in [&scoped, &plain] {
        for group in ["a", "b", "a"] {
            q.send_message()
                .message_body("m")
                .message_group_id(group)
                .message_deduplication_id("same")
                .send()
                .await
                .unwrap();
        }
    }
    // Per group: a and b each keep one; per queue: only the first is kept.
    assert_eq!(stored(&scoped), 2);
    assert_eq!(stored(&plain), 1);
}

#[tokio::test(start_paused = true)]
async fn without_an_id_or_content_based_deduplication_a_send_fails() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "noid.fifo", &[]).await;
    let err = q
        .send_message()
        .message_body("m")
        .message_group_id("g")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
    );
    assert_eq!(stored(&q), 0);
    // A standard queue refuses a deduplication id.
    let std_q = sqs
        .create_queue()
        .queue_name("standard")
        .send()
        .await
        .unwrap()
        .queue();
    let err = std_q
        .send_message()
        .message_body("m")
        .message_deduplication_id("d")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type."
    );
}

#[tokio::test(start_paused = true)]
async fn entries_of_one_batch_deduplicate_each_other() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "batch.fifo", &[("ContentBasedDeduplication", "true")]).await;
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", "same").message_group_id("g"))
        .entries(SendMessageBatchRequestEntry::new("b", "same").message_group_id("g"))
        .entries(SendMessageBatchRequestEntry::new("c", "other").message_group_id("g"))
        .send()
        .await
        .unwrap();
    assert!(out.failed().is_empty());
    let ok = out.successful();
    assert_eq!(ok.len(), 3);
    assert_eq!(ok[0].message_id(), ok[1].message_id());
    assert_eq!(ok[0].sequence_number(), ok[1].sequence_number());
    assert_ne!(ok[0].message_id(), ok[2].message_id());
    assert_eq!(stored(&q), 2);
    assert_eq!(q.metrics().number_of_messages_sent, 2);
}
