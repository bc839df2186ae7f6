//! Dead-letter redrive: after `maxReceiveCount` receives the next receive moves the message to
//! the dead-letter queue; standard keeps the enqueue time for retention, FIFO resets it;
//! RedrivePolicy validation at CreateQueue, on virtual time.

use std::time::Duration;

use aws_lite_queue::operation::receive_message::Message;
use aws_lite_queue::{MessageSystemAttributeName, Queue, Sqs};

async fn create(sqs: &Sqs, name: &str, attrs: &[(&str, String)]) -> Queue {
    let mut c = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        c = c.attributes(*k, v.clone());
    }
    c.send().await.unwrap().queue()
}

fn policy(dlq: &Queue, max_receive_count: u32) -> String {
    format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":{max_receive_count}}}"#,
        dlq.arn()
    )
}

async fn receive(q: &Queue) -> Vec<Message> {
    q.receive_message()
        .max_number_of_messages(10)
        .visibility_timeout(0)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap()
        .into_messages()
}

async fn advance(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

/// Sends one message to `src`, receives it `max` times 100 s later, and returns it after the
/// next receive has moved it to `dlq`.
async fn drive_to_dlq(src: &Queue, dlq: &Queue, max: u32, group: Option<&str>) -> Message {
    let sent = src
        .send_message()
        .message_body("poison")
        .set_message_group_id(group.map(str::to_string))
        .set_message_deduplication_id(group.map(|_| "d".to_string()))
        .send()
        .await
        .unwrap();
    advance(100).await;
    let mut sent_timestamp = String::new();
    for i in 1..=max {
        let got = receive(src).await;
        assert_eq!(got.len(), 1, "receive {i}");
        sent_timestamp = got[0]
            .attribute(MessageSystemAttributeName::SentTimestamp)
            .unwrap()
            .to_string();
        assert_eq!(
            got[0].attribute(MessageSystemAttributeName::ApproximateReceiveCount),
            Some(i.to_string().as_str())
        );
    }
    // The next receive moves it instead of returning it.
    assert!(receive(src).await.is_empty());
    let m = src.metrics();
    assert_eq!(
        m.approximate_number_of_messages_visible + m.approximate_number_of_messages_not_visible,
        0
    );
    assert_eq!(dlq.metrics().number_of_messages_sent, 1);
    let moved = receive(dlq).await.remove(0);
    assert_eq!(moved.message_id(), sent.message_id());
    assert_eq!(moved.body(), "poison");
    assert_eq!(
        moved.attribute(MessageSystemAttributeName::DeadLetterQueueSourceArn),
        Some(src.arn())
    );
    // SentTimestamp is the original send's.
    assert_eq!(
        moved.attribute(MessageSystemAttributeName::SentTimestamp),
        Some(sent_timestamp.as_str())
    );
    moved
}

#[tokio::test(start_paused = true)]
async fn standard_redrive_keeps_the_enqueue_time_for_retention() {
    let sqs = Sqs::new();
    let dlq = create(&sqs, "dlq", &[("MessageRetentionPeriod", "300".into())]).await;
    let src = create(&sqs, "src", &[("RedrivePolicy", policy(&dlq, 2))]).await;
    drive_to_dlq(&src, &dlq, 2, None).await;
    // Moved at t = 100 s, but the DLQ's 300 s retention counts from the send at t = 0.
    advance(199).await;
    assert_eq!(receive(&dlq).await.len(), 1);
    advance(1).await;
    assert!(receive(&dlq).await.is_empty());
    assert_eq!(dlq.metrics().approximate_number_of_messages_visible, 0);
}

#[tokio::test(start_paused = true)]
async fn fifo_redrive_resets_the_enqueue_time() {
    let sqs = Sqs::new();
    let dlq = create(
        &sqs,
        "dlq.fifo",
        &[
            ("FifoQueue", "true".into()),
            ("MessageRetentionPeriod", "300".into()),
        ],
    )
    .await;
    let src = create(
        &sqs,
        "src.fifo",
        &[
            ("FifoQueue", "true".into()),
            ("RedrivePolicy", policy(&dlq, 3)),
        ],
    )
    .await;
    let moved = drive_to_dlq(&src, &dlq, 3, Some("g")).await;
    assert_eq!(
        moved.attribute(MessageSystemAttributeName::MessageGroupId),
        Some("g")
    );
    // Moved at t = 100 s: retention counts from the move, so it outlives t = 300 s ...
    advance(200).await;
    assert_eq!(receive(&dlq).await.len(), 1);
    advance(99).await;
    assert_eq!(receive(&dlq).await.len(), 1);
    // ... and ends at t = 400 s.
    advance(1).await;
    assert!(receive(&dlq).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn other_messages_keep_flowing_while_one_is_redriven() {
    let sqs = Sqs::new();
    let dlq = create(&sqs, "dlq2", &[]).await;
    let src = create(&sqs, "src2", &[("RedrivePolicy", policy(&dlq, 1))]).await;
    src.send_message().message_body("bad").send().await.unwrap();
    let first = receive(&src).await;
    assert_eq!(first.len(), 1);
    src.send_message()
        .message_body("good")
        .send()
        .await
        .unwrap();
    // "bad" has had its one receive: this receive moves it and still returns "good".
    let got = receive(&src).await;
    let bodies: Vec<&str> = got.iter().map(Message::body).collect();
    assert_eq!(bodies, ["good"]);
    let dead = receive(&dlq).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body(), "bad");
}

#[tokio::test(start_paused = true)]
async fn a_deleted_message_is_never_redriven() {
    let sqs = Sqs::new();
    let dlq = create(&sqs, "dlq3", &[]).await;
    let src = create(&sqs, "src3", &[("RedrivePolicy", policy(&dlq, 1))]).await;
    src.send_message().message_body("ok").send().await.unwrap();
    let got = receive(&src).await;
    src.delete_message()
        .receipt_handle(got[0].receipt_handle())
        .send()
        .await
        .unwrap();
    assert!(receive(&src).await.is_empty());
    assert!(receive(&dlq).await.is_empty());
    assert_eq!(dlq.metrics().number_of_messages_sent, 0);
}

#[tokio::test(start_paused = true)]
async fn create_queue_validates_the_dead_letter_target() {
    let sqs = Sqs::new();
    let missing =
        r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":2}"#;
    let err = sqs
        .create_queue()
        .queue_name("src")
        .attributes("RedrivePolicy", missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        format!(
            "Value {missing} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist."
        )
    );
    // Nothing was created.
    assert_eq!(
        sqs.queue("src").unwrap_err().code(),
        "AWS.SimpleQueueService.NonExistentQueue"
    );

    let fifo_dlq = create(&sqs, "dead.fifo", &[("FifoQueue", "true".into())]).await;
    let text = policy(&fifo_dlq, 2);
    let err = sqs
        .create_queue()
        .queue_name("standard-src")
        .attributes("RedrivePolicy", text.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        format!(
            "Value {text} for parameter RedrivePolicy is invalid. Reason: Dead-letter target queue must be the same type as the source queue."
        )
    );

    let err = sqs
        .create_queue()
        .queue_name("zero")
        .attributes(
            "RedrivePolicy",
            r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dead.fifo","maxReceiveCount":0}"#,
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert!(
        err.message()
            .ends_with("Reason: Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive."),
        "{}",
        err.message()
    );
}
