//! Smoke tests of the send → receive → delete path, long polling and FIFO groups.

use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_queue::{MessageSystemAttributeName, Sqs};

#[tokio::test(start_paused = true)]
async fn send_receive_delete_and_visibility() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("q")
        .send()
        .await
        .unwrap()
        .queue();
    let sent = q.send_message().message_body("hello").send().await.unwrap();
    assert_eq!(
        sent.md5_of_message_body(),
        "5d41402abc4b2a76b9719d911017c592"
    );
    let got = q
        .receive_message()
        .visibility_timeout(10)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1);
    let m = &got.messages()[0];
    assert_eq!(m.body(), "hello");
    assert_eq!(m.message_id(), sent.message_id());
    assert_eq!(
        m.attribute(MessageSystemAttributeName::ApproximateReceiveCount),
        Some("1")
    );
    // Invisible for 10 s.
    assert!(
        q.receive_message()
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );
    tokio::time::advance(Duration::from_secs(10)).await;
    let again = q.receive_message().send().await.unwrap();
    assert_eq!(again.messages().len(), 1);
    // The stale handle does not delete on a standard queue; the new one does.
    q.delete_message()
        .receipt_handle(m.receipt_handle())
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 1);
    q.delete_message()
        .receipt_handle(again.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 0);
    let err = q
        .delete_message()
        .receipt_handle("bogus")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ReceiptHandleIsInvalid");
}

#[tokio::test(start_paused = true)]
async fn long_poll_returns_when_a_message_arrives() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("lp")
        .send()
        .await
        .unwrap()
        .queue();
    let q2 = q.clone();
    let clock = sqs.clock().clone();
    let start = clock.now();
    let waiter =
        tokio::spawn(async move { q2.receive_message().wait_time_seconds(20).send().await });
    clock.sleep(Duration::from_secs(3)).await;
    q.send_message().message_body("x").send().await.unwrap();
    let got = waiter.await.unwrap().unwrap();
    assert_eq!(got.messages().len(), 1);
    assert_eq!(clock.now() - start, Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn fifo_groups_block_while_in_flight() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("f.fifo")
        .attributes("FifoQueue", "true")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap()
        .queue();
    for (g, b) in [("a", "a1"), ("a", "a2"), ("b", "b1")] {
        q.send_message()
            .message_body(b)
            .message_group_id(g)
            .send()
            .await
            .unwrap();
    }
    let dup = q
        .send_message()
        .message_body("a1")
        .message_group_id("a")
        .send()
        .await
        .unwrap();
    let first = q.receive_message().send().await.unwrap();
    assert_eq!(first.messages()[0].body(), "a1");
    assert_eq!(first.messages()[0].message_id(), dup.message_id());
    let second = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let bodies: Vec<_> = second
        .messages()
        .iter()
        .map(|m| m.body().to_string())
        .collect();
    assert_eq!(bodies, vec!["b1"]);
    q.delete_message()
        .receipt_handle(first.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    let third = q.receive_message().send().await.unwrap();
    assert_eq!(third.messages()[0].body(), "a2");
}
