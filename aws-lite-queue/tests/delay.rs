//! Delay queues and per-message delays: hidden from receives until the delay ends, counted as
//! delayed, FIFO's refusal of per-message delays, on virtual time.

use std::time::Duration;

use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{Queue, Sqs};

async fn queue(sqs: &Sqs, name: &str, attrs: &[(&str, &str)]) -> Queue {
    let mut create = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        create = create.attributes(*k, *v);
    }
    create.send().await.unwrap().queue()
}

async fn bodies(q: &Queue) -> Vec<String> {
    q.receive_message()
        .max_number_of_messages(10)
        .visibility_timeout(3600)
        .send()
        .await
        .unwrap()
        .messages()
        .iter()
        .map(|m| m.body().to_string())
        .collect()
}

async fn advance(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

#[tokio::test(start_paused = true)]
async fn the_queue_delay_hides_new_messages() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "delayq", &[("DelaySeconds", "10")]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = q.metrics();
    assert_eq!(m.approximate_number_of_messages_delayed, 1);
    assert_eq!(m.approximate_number_of_messages_visible, 0);
    assert!(bodies(&q).await.is_empty());
    advance(9).await;
    assert!(bodies(&q).await.is_empty());
    advance(1).await;
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 0);
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 1);
    assert_eq!(bodies(&q).await, ["m"]);
}

#[tokio::test(start_paused = true)]
async fn a_per_message_delay_overrides_the_queue_delay() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "override", &[("DelaySeconds", "10")]).await;
    q.send_message()
        .message_body("now")
        .delay_seconds(0)
        .send()
        .await
        .unwrap();
    q.send_message()
        .message_body("later")
        .delay_seconds(30)
        .send()
        .await
        .unwrap();
    q.send_message().message_body("queue").send().await.unwrap();
    let m = q.metrics();
    assert_eq!(m.approximate_number_of_messages_delayed, 2);
    assert_eq!(m.approximate_number_of_messages_visible, 1);
    assert_eq!(bodies(&q).await, ["now"]);
    advance(10).await;
    assert_eq!(bodies(&q).await, ["queue"]);
    advance(19).await;
    assert!(bodies(&q).await.is_empty());
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 1);
    advance(1).await;
    assert_eq!(bodies(&q).await, ["later"]);
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 0);
}

#[tokio::test(start_paused = true)]
async fn delays_outside_0_to_900_are_rejected() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "range", &[]).await;
    for bad in [901, -1] {
        let err = q
            .send_message()
            .message_body("m")
            .delay_seconds(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidParameterValue");
        assert_eq!(
            err.message(),
            format!(
                "Value {bad} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."
            )
        );
    }
    q.send_message()
        .message_body("m")
        .delay_seconds(900)
        .send()
        .await
        .unwrap();
    advance(899).await;
    assert!(bodies(&q).await.is_empty());
    advance(1).await;
    assert_eq!(bodies(&q).await, ["m"]);
}

#[tokio::test(start_paused = true)]
async fn fifo_rejects_a_per_message_delay_but_applies_the_queue_delay() {
    let sqs = Sqs::new();
    let q = queue(
        &sqs,
        "d.fifo",
        &[
            ("FifoQueue", "true"),
            ("ContentBasedDeduplication", "true"),
            ("DelaySeconds", "5"),
        ],
    )
    .await;
    let err = q
        .send_message()
        .message_body("m")
        .message_group_id("g")
        .delay_seconds(2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
    );
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 0);
    // 0 is accepted, and the queue's delay still applies.
    q.send_message()
        .message_body("m")
        .message_group_id("g")
        .delay_seconds(0)
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 1);
    advance(4).await;
    assert!(bodies(&q).await.is_empty());
    advance(1).await;
    assert_eq!(bodies(&q).await, ["m"]);

    // In a batch the refusal is per entry.
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("ok", "b1").message_group_id("g"))
        .entries(
            SendMessageBatchRequestEntry::new("delayed", "b2")
                .message_group_id("g")
                .delay_seconds(3),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 1);
    assert_eq!(out.failed()[0].id(), "delayed");
    assert_eq!(out.failed()[0].code(), "InvalidParameterValue");
    assert_eq!(
        out.failed()[0].message(),
        "Value 3 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."
    );
}

#[tokio::test(start_paused = true)]
async fn batch_entries_carry_their_own_delays() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "batchdelay", &[]).await;
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", "a").delay_seconds(5))
        .entries(SendMessageBatchRequestEntry::new("b", "b"))
        .entries(SendMessageBatchRequestEntry::new("c", "c").delay_seconds(10))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 3);
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 2);
    assert_eq!(bodies(&q).await, ["b"]);
    advance(5).await;
    assert_eq!(bodies(&q).await, ["a"]);
    advance(5).await;
    assert_eq!(bodies(&q).await, ["c"]);
}
