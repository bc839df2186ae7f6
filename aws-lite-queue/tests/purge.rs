//! PurgeQueue: what a purge deletes, the once-per-60-seconds rule on virtual time, and the FIFO
//! deduplication history a purge keeps.

use std::fmt::Debug;
use std::time::Duration;

use aws_lite_core::{Clock, Error};
use aws_lite_queue::attributes::QueueAttributeName as N;
use aws_lite_queue::{Queue, Sqs};

#[track_caller]
fn assert_err<T: Debug>(result: Result<T, Error>, code: &str, message: &str) {
    let err = result.expect_err("expected an error");
    assert_eq!((err.code(), err.message()), (code, message));
}

async fn queue(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue()
}

/// `(visible, in flight, delayed)`.
async fn counts(q: &Queue) -> (u64, u64, u64) {
    let out = q
        .get_queue_attributes()
        .attribute_names("All")
        .send()
        .await
        .unwrap();
    let n = |name| out.attribute(name).unwrap().parse::<u64>().unwrap();
    (
        n(N::ApproximateNumberOfMessages),
        n(N::ApproximateNumberOfMessagesNotVisible),
        n(N::ApproximateNumberOfMessagesDelayed),
    )
}

async fn purge_in_progress(q: &Queue) {
    let err = q.purge_queue().send().await.unwrap_err();
    assert_eq!(
        (err.code(), err.message()),
        (
            "AWS.SimpleQueueService.PurgeQueueInProgress",
            format!(
                "Only one PurgeQueue operation on {} is allowed every 60 seconds.",
                q.name()
            )
            .as_str()
        )
    );
    assert_eq!(err.shape(), "PurgeQueueInProgress");
    assert_eq!(err.status(), 403);
}

#[tokio::test(start_paused = true)]
async fn purge_deletes_visible_in_flight_and_delayed_messages() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "purge").await;
    for body in ["a", "b", "c"] {
        q.send_message().message_body(body).send().await.unwrap();
    }
    q.send_message()
        .message_body("later")
        .delay_seconds(60)
        .send()
        .await
        .unwrap();
    let in_flight = q
        .receive_message()
        .visibility_timeout(10)
        .send()
        .await
        .unwrap();
    assert_eq!(in_flight.messages().len(), 1);
    assert_eq!(counts(&q).await, (2, 1, 1));

    q.purge_queue().send().await.unwrap();
    assert_eq!(counts(&q).await, (0, 0, 0));
    assert!(
        q.receive_message()
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );
    // Neither the in-flight nor the delayed message comes back.
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(counts(&q).await, (0, 0, 0));
    let after = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert!(after.messages().is_empty());
    // The purged message's handle deletes nothing, and succeeds.
    q.delete_message()
        .receipt_handle(in_flight.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    // Messages sent after the purge are kept.
    q.send_message().message_body("new").send().await.unwrap();
    let got = q.receive_message().send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "new");
}

#[tokio::test(start_paused = true)]
async fn one_purge_per_60_seconds() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "once").await;
    q.purge_queue().send().await.unwrap();
    q.send_message().message_body("kept").send().await.unwrap();
    purge_in_progress(&q).await;
    // The rejected purge deleted nothing.
    assert_eq!(counts(&q).await, (1, 0, 0));
    tokio::time::advance(Duration::from_secs(59)).await;
    purge_in_progress(&q).await;
    // Also through the service, by URL.
    let err = sqs
        .purge_queue()
        .queue_url(q.url())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AWS.SimpleQueueService.PurgeQueueInProgress");
    assert_eq!(
        err.message(),
        "Only one PurgeQueue operation on once is allowed every 60 seconds."
    );
    assert_eq!(counts(&q).await, (1, 0, 0));
    // 60 seconds after the first purge.
    tokio::time::advance(Duration::from_secs(1)).await;
    sqs.purge_queue().queue_url(q.url()).send().await.unwrap();
    assert_eq!(counts(&q).await, (0, 0, 0));
    purge_in_progress(&q).await;
}

#[tokio::test(start_paused = true)]
async fn the_window_counts_from_the_last_successful_purge() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "window").await;
    let clock = sqs.clock().clone();
    let t0 = clock.now();
    q.purge_queue().send().await.unwrap();
    // Rejected attempts at 30 s and 45 s do not restart the window...
    tokio::time::advance(Duration::from_secs(30)).await;
    purge_in_progress(&q).await;
    tokio::time::advance(Duration::from_secs(15)).await;
    purge_in_progress(&q).await;
    // ...so 60 s after the first purge, it is allowed again.
    tokio::time::advance(Duration::from_secs(15)).await;
    assert_eq!(clock.now() - t0, Duration::from_secs(60));
    q.purge_queue().send().await.unwrap();
    // And the window restarts from this purge.
    tokio::time::advance(Duration::from_secs(59)).await;
    purge_in_progress(&q).await;
    tokio::time::advance(Duration::from_secs(1)).await;
    q.purge_queue().send().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn each_queue_has_its_own_window() {
    let sqs = Sqs::new();
    let a = queue(&sqs, "a").await;
    let b = queue(&sqs, "b").await;
    a.purge_queue().send().await.unwrap();
    b.purge_queue().send().await.unwrap();
    purge_in_progress(&a).await;
    purge_in_progress(&b).await;
    // A queue created again under the same name starts afresh.
    a.delete_queue().send().await.unwrap();
    tokio::time::advance(Duration::from_secs(60)).await;
    let a2 = queue(&sqs, "a").await;
    a2.purge_queue().send().await.unwrap();
    purge_in_progress(&a2).await;
}

#[tokio::test(start_paused = true)]
async fn fifo_deduplication_ids_survive_a_purge() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("dedup.fifo")
        .attributes("FifoQueue", "true")
        .send()
        .await
        .unwrap()
        .queue();
    let first = q
        .send_message()
        .message_body("one")
        .message_group_id("g")
        .message_deduplication_id("d1")
        .send()
        .await
        .unwrap();
    q.purge_queue().send().await.unwrap();
    assert_eq!(counts(&q).await, (0, 0, 0));
    // Same deduplication id after the purge: accepted, answered with the first id, dropped.
    let again = q
        .send_message()
        .message_body("one again")
        .message_group_id("g")
        .message_deduplication_id("d1")
        .send()
        .await
        .unwrap();
    assert_eq!(again.message_id(), first.message_id());
    assert_eq!(counts(&q).await, (0, 0, 0));
    // Another id is delivered.
    let other = q
        .send_message()
        .message_body("two")
        .message_group_id("g")
        .message_deduplication_id("d2")
        .send()
        .await
        .unwrap();
    assert_ne!(other.message_id(), first.message_id());
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let bodies: Vec<&str> = got.messages().iter().map(|m| m.body()).collect();
    assert_eq!(bodies, ["two"]);
    q.delete_message()
        .receipt_handle(got.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    // Once the 5-minute window has passed, d1 is new again.
    tokio::time::advance(Duration::from_secs(5 * 60)).await;
    let fresh = q
        .send_message()
        .message_body("one, later")
        .message_group_id("h")
        .message_deduplication_id("d1")
        .send()
        .await
        .unwrap();
    assert_ne!(fresh.message_id(), first.message_id());
    let got = q.receive_message().send().await.unwrap();
    assert_eq!(got.messages()[0].body(), "one, later");
}

#[tokio::test(start_paused = true)]
async fn purging_a_deleted_queue_fails() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "deleted").await;
    q.delete_queue().send().await.unwrap();
    assert_err(
        q.purge_queue().send().await,
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    );
    assert_err(
        sqs.purge_queue().queue_url(q.url()).send().await,
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    );
}
