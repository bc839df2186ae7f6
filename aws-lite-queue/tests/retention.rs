//! Message retention: messages are deleted `MessageRetentionPeriod` after they were enqueued,
//! whatever their state (visible, in flight, delayed), on virtual time.

use std::time::Duration;

use aws_lite_queue::{Queue, Sqs};

async fn queue(sqs: &Sqs, name: &str, retention: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .attributes("MessageRetentionPeriod", retention)
        .send()
        .await
        .unwrap()
        .queue()
}

async fn advance(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

fn stored(q: &Queue) -> u64 {
    let m = q.metrics();
    m.approximate_number_of_messages_visible
        + m.approximate_number_of_messages_not_visible
        + m.approximate_number_of_messages_delayed
}

#[tokio::test(start_paused = true)]
async fn messages_expire_counting_from_their_enqueue_time() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "ret", "60").await;
    q.send_message().message_body("first").send().await.unwrap();
    advance(30).await;
    q.send_message()
        .message_body("second")
        .send()
        .await
        .unwrap();
    advance(29).await;
    assert_eq!(stored(&q), 2);
    assert_eq!(
        q.metrics().approximate_age_of_oldest_message,
        Duration::from_secs(59)
    );
    advance(1).await;
    assert_eq!(stored(&q), 1);
    assert_eq!(
        q.metrics().approximate_age_of_oldest_message,
        Duration::from_secs(30)
    );
    let got = q.receive_message().send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "second");
    advance(30).await;
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
async fn receives_do_not_extend_retention() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "rereceived", "60").await;
    q.send_message().message_body("m").send().await.unwrap();
    for _ in 0..5 {
        advance(11).await;
        let got = q
            .receive_message()
            .visibility_timeout(0)
            .send()
            .await
            .unwrap();
        assert_eq!(got.messages().len(), 1);
    }
    // 55 s after the send.
    advance(5).await;
    assert!(
        q.receive_message()
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );
    assert_eq!(stored(&q), 0);
}

#[tokio::test(start_paused = true)]
async fn in_flight_messages_expire_too() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "inflight", "60").await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = q
        .receive_message()
        .visibility_timeout(3600)
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    advance(59).await;
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 1);
    advance(1).await;
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 0);
    assert_eq!(stored(&q), 0);
    // The message is gone: deleting it is a no-op, changing its visibility is refused.
    q.delete_message()
        .receipt_handle(m.receipt_handle())
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().number_of_messages_deleted, 0);
    let err = q
        .change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        format!(
            "Value {} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.",
            m.receipt_handle()
        )
    );
    // And it never comes back when its visibility timeout would have ended.
    advance(3600).await;
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
async fn delayed_messages_expire_before_they_are_ever_visible() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "delayed", "60").await;
    q.send_message()
        .message_body("m")
        .delay_seconds(120)
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 1);
    advance(60).await;
    assert_eq!(q.metrics().approximate_number_of_messages_delayed, 0);
    advance(60).await;
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
async fn fifo_messages_expire_and_unblock_their_group() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("ret.fifo")
        .attributes("FifoQueue", "true")
        .attributes("ContentBasedDeduplication", "true")
        .attributes("MessageRetentionPeriod", "60")
        .send()
        .await
        .unwrap()
        .queue();
    q.send_message()
        .message_body("a1")
        .message_group_id("a")
        .send()
        .await
        .unwrap();
    advance(30).await;
    q.send_message()
        .message_body("a2")
        .message_group_id("a")
        .send()
        .await
        .unwrap();
    // a1 in flight for an hour blocks a2 ...
    let got = q
        .receive_message()
        .visibility_timeout(3600)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages()[0].body(), "a1");
    assert!(
        q.receive_message()
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );
    // ... until a1 expires 60 s after its send.
    advance(30).await;
    let got = q.receive_message().send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "a2");
}
