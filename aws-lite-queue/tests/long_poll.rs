//! Long polling: a waiting receive returns as soon as a message is available (a send, an ended
//! delay, an expired or changed visibility timeout, a FIFO group unblocked by a delete), or
//! empty when the wait ends; the queue's `ReceiveMessageWaitTimeSeconds`; cancellation, on
//! virtual time.

use std::time::Duration;

use aws_lite_core::Clock;
use aws_lite_queue::operation::receive_message::ReceiveMessageOutput;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{Queue, Sqs};
use tokio::task::JoinHandle;

async fn queue(sqs: &Sqs, name: &str, attrs: &[(&str, &str)]) -> Queue {
    let mut create = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        create = create.attributes(*k, *v);
    }
    create.send().await.unwrap().queue()
}

/// Starts a long poll of `wait` seconds (`None`: the queue's default) and lets it reach its wait.
/// The task answers the receive's output and how long it took.
async fn poll(q: &Queue, wait: Option<i32>) -> JoinHandle<(ReceiveMessageOutput, Duration)> {
    let q = q.clone();
    let handle = tokio::spawn(async move {
        let clock = q.sqs().clock().clone();
        let start = clock.now();
        let mut receive = q.receive_message().max_number_of_messages(10);
        if let Some(w) = wait {
            receive = receive.wait_time_seconds(w);
        }
        let out = receive.send().await.unwrap();
        (out, clock.now() - start)
    });
    for _ in 0..4 {
        tokio::task::yield_now().await;
    }
    handle
}

async fn advance(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

fn bodies(out: &ReceiveMessageOutput) -> Vec<&str> {
    out.messages().iter().map(|m| m.body()).collect()
}

#[tokio::test(start_paused = true)]
async fn returns_as_soon_as_a_message_is_sent() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "sent", &[]).await;
    let waiting = poll(&q, Some(20)).await;
    advance(3).await;
    assert!(!waiting.is_finished());
    q.send_message().message_body("x").send().await.unwrap();
    let (out, took) = waiting.await.unwrap();
    assert_eq!(bodies(&out), ["x"]);
    assert_eq!(took, Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn a_batch_send_wakes_the_poll_once_with_every_message() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "batch", &[]).await;
    let waiting = poll(&q, Some(20)).await;
    advance(2).await;
    q.send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", "a"))
        .entries(SendMessageBatchRequestEntry::new("b", "b"))
        .send()
        .await
        .unwrap();
    let (out, took) = waiting.await.unwrap();
    assert_eq!(bodies(&out), ["a", "b"]);
    assert_eq!(took, Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn returns_when_a_delayed_message_becomes_visible() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "delayed", &[]).await;
    q.send_message()
        .message_body("later")
        .delay_seconds(5)
        .send()
        .await
        .unwrap();
    let (out, took) = poll(&q, Some(20)).await.await.unwrap();
    assert_eq!(bodies(&out), ["later"]);
    assert_eq!(took, Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn returns_when_a_visibility_timeout_expires() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "expires", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let got = q
        .receive_message()
        .visibility_timeout(4)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1);
    let (out, took) = poll(&q, Some(20)).await.await.unwrap();
    assert_eq!(bodies(&out), ["m"]);
    assert_eq!(took, Duration::from_secs(4));
}

#[tokio::test(start_paused = true)]
async fn returns_when_change_visibility_shows_the_message() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "changed", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = q
        .receive_message()
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    let waiting = poll(&q, Some(20)).await;
    advance(2).await;
    // Shortening the timeout (not only to 0) must make the poll look again.
    q.change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(3)
        .send()
        .await
        .unwrap();
    let (out, took) = waiting.await.unwrap();
    assert_eq!(bodies(&out), ["m"]);
    assert_eq!(took, Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn returns_when_a_fifo_delete_unblocks_the_group() {
    let sqs = Sqs::new();
    let q = queue(
        &sqs,
        "unblock.fifo",
        &[("FifoQueue", "true"), ("ContentBasedDeduplication", "true")],
    )
    .await;
    for b in ["a1", "a2"] {
        q.send_message()
            .message_body(b)
            .message_group_id("a")
            .send()
            .await
            .unwrap();
    }
    let head = q
        .receive_message()
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    let waiting = poll(&q, Some(20)).await;
    advance(2).await;
    q.delete_message()
        .receipt_handle(head.receipt_handle())
        .send()
        .await
        .unwrap();
    let (out, took) = waiting.await.unwrap();
    assert_eq!(bodies(&out), ["a2"]);
    assert_eq!(took, Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn returns_empty_when_the_wait_ends() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "empty", &[]).await;
    let (out, took) = poll(&q, Some(20)).await.await.unwrap();
    assert!(out.messages().is_empty());
    assert_eq!(took, Duration::from_secs(20));
    assert_eq!(q.metrics().number_of_empty_receives, 1);
    // A message delayed past the wait does not end it early.
    q.send_message()
        .message_body("late")
        .delay_seconds(30)
        .send()
        .await
        .unwrap();
    let (out, took) = poll(&q, Some(7)).await.await.unwrap();
    assert!(out.messages().is_empty());
    assert_eq!(took, Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn the_queue_wait_time_is_the_default() {
    let sqs = Sqs::new();
    let q = queue(
        &sqs,
        "queuewait",
        &[("ReceiveMessageWaitTimeSeconds", "10")],
    )
    .await;
    let (out, took) = poll(&q, None).await.await.unwrap();
    assert!(out.messages().is_empty());
    assert_eq!(took, Duration::from_secs(10));
    // A request's WaitTimeSeconds overrides it, 0 included.
    let (_, took) = poll(&q, Some(0)).await.await.unwrap();
    assert_eq!(took, Duration::ZERO);
    let (_, took) = poll(&q, Some(2)).await.await.unwrap();
    assert_eq!(took, Duration::from_secs(2));
    // And the default wait returns early for a send too.
    let waiting = poll(&q, None).await;
    advance(4).await;
    q.send_message().message_body("m").send().await.unwrap();
    let (out, took) = waiting.await.unwrap();
    assert_eq!(bodies(&out), ["m"]);
    assert_eq!(took, Duration::from_secs(4));
    // Out of range.
    let err = q
        .receive_message()
        .wait_time_seconds(21)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."
    );
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_long_poll_leaves_no_waiter_behind() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "cancel", &[]).await;
    // Two polls are cancelled mid-wait: one aborted, one dropped by a select.
    let aborted = poll(&q, Some(20)).await;
    aborted.abort();
    assert!(aborted.await.unwrap_err().is_cancelled());
    let clock = sqs.clock().clone();
    tokio::select! {
        _ = q.receive_message().wait_time_seconds(20).send() => panic!("nothing was sent"),
        _ = clock.sleep(Duration::from_secs(1)) => {}
    }
    // A poll started now is still woken by a send, at once.
    let waiting = poll(&q, Some(20)).await;
    advance(3).await;
    q.send_message().message_body("x").send().await.unwrap();
    let (out, took) = waiting.await.unwrap();
    assert_eq!(bodies(&out), ["x"]);
    assert_eq!(took, Duration::from_secs(3));
    // Several concurrent polls: each send wakes them, one gets the message.
    let first = poll(&q, Some(20)).await;
    let second = poll(&q, Some(20)).await;
    advance(1).await;
    q.send_message().message_body("y").send().await.unwrap();
    advance(1).await;
    q.send_message().message_body("z").send().await.unwrap();
    let (a, _) = first.await.unwrap();
    let (b, _) = second.await.unwrap();
    let mut got: Vec<&str> = bodies(&a).into_iter().chain(bodies(&b)).collect();
    got.sort_unstable();
    assert_eq!(got, ["y", "z"]);
}
