//! Visibility timeouts: the queue's, a receive's override, and ChangeMessageVisibility (extend,
//! 0, expired handles, deleted messages, the 12-hour rule), on virtual time.

use std::time::Duration;

use aws_lite_queue::operation::receive_message::Message;
use aws_lite_queue::{MessageSystemAttributeName, Queue, Sqs};

async fn queue(sqs: &Sqs, name: &str, attrs: &[(&str, &str)]) -> Queue {
    let mut create = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        create = create.attributes(*k, *v);
    }
    create.send().await.unwrap().queue()
}

async fn receive(q: &Queue) -> Vec<Message> {
    q.receive_message()
        .max_number_of_messages(10)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap()
        .into_messages()
}

async fn advance(secs: u64) {
    tokio::time::advance(Duration::from_secs(secs)).await;
}

fn receive_count(m: &Message) -> &str {
    m.attribute(MessageSystemAttributeName::ApproximateReceiveCount)
        .unwrap()
}

const NOT_AVAILABLE: &str =
    "Reason: Message does not exist or is not available for visibility timeout change.";

#[tokio::test(start_paused = true)]
async fn the_queue_visibility_timeout_hides_a_received_message() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "vt", &[("VisibilityTimeout", "20")]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let first = receive(&q).await;
    assert_eq!(first.len(), 1);
    assert_eq!(receive_count(&first[0]), "1");
    assert!(receive(&q).await.is_empty());
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 1);
    advance(19).await;
    assert!(receive(&q).await.is_empty());
    advance(1).await;
    let again = receive(&q).await;
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].message_id(), first[0].message_id());
    assert_eq!(receive_count(&again[0]), "2");
    assert_ne!(again[0].receipt_handle(), first[0].receipt_handle());
}

#[tokio::test(start_paused = true)]
async fn a_receive_override_applies_to_that_receive_only() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "override", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let got = q
        .receive_message()
        .visibility_timeout(5)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1);
    advance(4).await;
    assert!(receive(&q).await.is_empty());
    advance(1).await;
    // Visible after 5 s; this receive uses the queue's 30 s again.
    assert_eq!(receive(&q).await.len(), 1);
    advance(29).await;
    assert!(receive(&q).await.is_empty());
    advance(1).await;
    assert_eq!(receive(&q).await.len(), 1);
    // Receive-level range check.
    let err = q
        .receive_message()
        .visibility_timeout(43_201)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided."
    );
}

#[tokio::test(start_paused = true)]
async fn change_visibility_extends_from_the_call_not_the_receive() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "extend", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = q
        .receive_message()
        .visibility_timeout(10)
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    advance(5).await;
    q.change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(20)
        .send()
        .await
        .unwrap();
    // Would have been visible at 10 s; now at 5 + 20 = 25 s.
    advance(5).await;
    assert!(receive(&q).await.is_empty());
    advance(14).await;
    assert!(receive(&q).await.is_empty());
    advance(1).await;
    assert_eq!(receive(&q).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn change_visibility_zero_makes_the_message_visible_at_once() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "zero", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = receive(&q).await.remove(0);
    assert!(receive(&q).await.is_empty());
    q.change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 1);
    let again = receive(&q).await;
    assert_eq!(again.len(), 1);
    assert_eq!(receive_count(&again[0]), "2");
}

#[tokio::test(start_paused = true)]
async fn an_expired_handle_still_changes_visibility_until_the_next_receive() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "expired", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = q
        .receive_message()
        .visibility_timeout(5)
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    advance(6).await;
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 1);
    // The timeout has expired but nobody received the message again: the handle still works and
    // hides the message anew.
    q.change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(30)
        .send()
        .await
        .unwrap();
    assert_eq!(q.metrics().approximate_number_of_messages_visible, 0);
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 1);
    assert!(receive(&q).await.is_empty());
    advance(30).await;
    let again = receive(&q).await;
    assert_eq!(receive_count(&again[0]), "2");
    // Received again: the first handle is no longer the message's.
    let err = q
        .change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(30)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        format!(
            "Value {} for parameter ReceiptHandle is invalid. {NOT_AVAILABLE}",
            m.receipt_handle()
        )
    );
    // The current handle works.
    q.change_message_visibility()
        .receipt_handle(again[0].receipt_handle())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_eq!(receive(&q).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn change_visibility_of_a_deleted_message_is_rejected() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "deleted", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = receive(&q).await.remove(0);
    q.delete_message()
        .receipt_handle(m.receipt_handle())
        .send()
        .await
        .unwrap();
    let err = q
        .change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(err.shape(), "InvalidParameterValueException");
    assert_eq!(
        err.message(),
        format!(
            "Value {} for parameter ReceiptHandle is invalid. {NOT_AVAILABLE}",
            m.receipt_handle()
        )
    );
    assert_ne!(err.code(), aws_lite_queue::codes::MESSAGE_NOT_INFLIGHT);
}

#[tokio::test(start_paused = true)]
async fn the_twelve_hour_rule_counts_from_the_latest_receive() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "twelve", &[]).await;
    q.send_message().message_body("m").send().await.unwrap();
    let m = receive(&q).await.remove(0);
    let change = |handle: String, seconds: i32| {
        let q = q.clone();
        async move {
            q.change_message_visibility()
                .receipt_handle(handle)
                .visibility_timeout(seconds)
                .send()
                .await
        }
    };
    // Right at the receive, the whole 12 hours are available.
    change(m.receipt_handle().to_string(), 43_200)
        .await
        .unwrap();
    advance(100).await;
    let err = change(m.receipt_handle().to_string(), 43_200)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]"
    );
    let err = change(m.receipt_handle().to_string(), 43_101)
        .await
        .unwrap_err();
    assert!(err.message().starts_with("Value 43101 for parameter"));
    // Exactly up to 12 hours after the receive is allowed.
    change(m.receipt_handle().to_string(), 43_100)
        .await
        .unwrap();
    // Heartbeats near the end: the remaining budget shrinks.
    advance(43_000).await;
    change(m.receipt_handle().to_string(), 100).await.unwrap();
    let err = change(m.receipt_handle().to_string(), 101)
        .await
        .unwrap_err();
    assert!(err.message().contains("beyond the limit [43200 seconds]"));
    // A new receive starts a new 12 hours.
    change(m.receipt_handle().to_string(), 0).await.unwrap();
    let again = receive(&q).await.remove(0);
    change(again.receipt_handle().to_string(), 43_200)
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn bad_handles_and_timeouts_are_rejected_before_anything_changes() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "bad", &[]).await;
    let other = queue(&sqs, "other", &[]).await;
    other.send_message().message_body("o").send().await.unwrap();
    let foreign = receive(&other).await.remove(0);
    q.send_message().message_body("m").send().await.unwrap();
    let m = receive(&q).await.remove(0);

    let err = q
        .change_message_visibility()
        .receipt_handle("bogus")
        .visibility_timeout(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ReceiptHandleIsInvalid");
    assert_eq!(
        err.message(),
        "The input receipt handle \"bogus\" is not a valid receipt handle."
    );
    let err = q
        .change_message_visibility()
        .receipt_handle(foreign.receipt_handle())
        .visibility_timeout(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ReceiptHandleIsInvalid");

    for bad in [-1, 43_201] {
        let err = q
            .change_message_visibility()
            .receipt_handle(m.receipt_handle())
            .visibility_timeout(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidParameterValue");
        assert_eq!(
            err.message(),
            format!(
                "Value {bad} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200."
            )
        );
    }
    let err = q
        .change_message_visibility()
        .receipt_handle(m.receipt_handle())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "MissingParameter");
    assert_eq!(
        err.message(),
        "The request must contain the parameter VisibilityTimeout."
    );
    let err = q
        .change_message_visibility()
        .visibility_timeout(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "MissingParameter");
    assert_eq!(
        err.message(),
        "The request must contain the parameter ReceiptHandle."
    );
    // Nothing changed: the message is still hidden for its 30 s.
    assert_eq!(q.metrics().approximate_number_of_messages_not_visible, 1);
    advance(29).await;
    assert!(receive(&q).await.is_empty());

    // Through the service handle, by URL.
    let err = sqs
        .change_message_visibility()
        .queue_url(format!("{}-nope", q.url()))
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AWS.SimpleQueueService.NonExistentQueue");
    sqs.change_message_visibility()
        .queue_url(q.url())
        .receipt_handle(m.receipt_handle())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    assert_eq!(receive(&q).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn fifo_change_visibility_zero_redelivers_the_head_first() {
    let sqs = Sqs::new();
    let q = queue(
        &sqs,
        "v.fifo",
        &[("FifoQueue", "true"), ("ContentBasedDeduplication", "true")],
    )
    .await;
    for body in ["a1", "a2"] {
        q.send_message()
            .message_body(body)
            .message_group_id("a")
            .send()
            .await
            .unwrap();
    }
    let first = q.receive_message().send().await.unwrap().into_messages();
    assert_eq!(first[0].body(), "a1");
    // The group is blocked while a1 is in flight.
    assert!(receive(&q).await.is_empty());
    q.change_message_visibility()
        .receipt_handle(first[0].receipt_handle())
        .visibility_timeout(0)
        .send()
        .await
        .unwrap();
    let bodies: Vec<String> = receive(&q)
        .await
        .iter()
        .map(|m| m.body().to_string())
        .collect();
    assert_eq!(bodies, ["a1", "a2"]);
}
