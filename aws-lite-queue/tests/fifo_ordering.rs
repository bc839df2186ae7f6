//! FIFO ordering: strict order within a message group, an in-flight message blocking only its
//! group, receives taking one group's run, sequence numbers, and in-order redelivery after a
//! visibility timeout, on virtual time.

use std::time::Duration;

use aws_lite_queue::operation::receive_message::Message;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{MessageSystemAttributeName, Queue, Sqs};

async fn fifo(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .attributes("FifoQueue", "true")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap()
        .queue()
}

async fn send(q: &Queue, group: &str, body: &str) -> String {
    q.send_message()
        .message_body(body)
        .message_group_id(group)
        .send()
        .await
        .unwrap()
        .sequence_number()
        .unwrap()
}

async fn receive(q: &Queue, max: i32) -> Vec<Message> {
    q.receive_message()
        .max_number_of_messages(max)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap()
        .into_messages()
}

fn bodies(messages: &[Message]) -> Vec<&str> {
    messages.iter().map(Message::body).collect()
}

async fn delete(q: &Queue, messages: &[Message]) {
    for m in messages {
        q.delete_message()
            .receipt_handle(m.receipt_handle())
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn messages_of_a_group_come_out_in_send_order() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "order.fifo").await;
    for i in 0..20 {
        send(&q, "g", &format!("m{i:02}")).await;
    }
    let mut seen = Vec::new();
    loop {
        let got = receive(&q, 3).await;
        if got.is_empty() {
            break;
        }
        seen.extend(got.iter().map(|m| m.body().to_string()));
        delete(&q, &got).await;
    }
    let expected: Vec<String> = (0..20).map(|i| format!("m{i:02}")).collect();
    assert_eq!(seen, expected);
}

#[tokio::test(start_paused = true)]
async fn an_in_flight_message_blocks_its_group_while_other_groups_flow() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "block.fifo").await;
    send(&q, "a", "a1").await;
    send(&q, "a", "a2").await;
    send(&q, "b", "b1").await;
    send(&q, "b", "b2").await;
    let first = receive(&q, 1).await;
    assert_eq!(bodies(&first), ["a1"]);
    // Group a is blocked by a1; group b flows.
    let second = receive(&q, 10).await;
    assert_eq!(bodies(&second), ["b1", "b2"]);
    assert!(receive(&q, 10).await.is_empty());
    // Deleting b's messages does not unblock a.
    delete(&q, &second).await;
    send(&q, "b", "b3").await;
    assert_eq!(bodies(&receive(&q, 10).await), ["b3"]);
    // Deleting a1 does.
    delete(&q, &first).await;
    assert_eq!(bodies(&receive(&q, 10).await), ["a2"]);
}

#[tokio::test(start_paused = true)]
async fn a_batch_receive_takes_one_groups_run_first() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "run.fifo").await;
    // Interleaved sends: a1 b1 a2 b2 a3.
    for (g, b) in [
        ("a", "a1"),
        ("b", "b1"),
        ("a", "a2"),
        ("b", "b2"),
        ("a", "a3"),
    ] {
        send(&q, g, b).await;
    }
    let got = receive(&q, 3).await;
    assert_eq!(bodies(&got), ["a1", "a2", "a3"]);
    let got = receive(&q, 3).await;
    assert_eq!(bodies(&got), ["b1", "b2"]);
}

#[tokio::test(start_paused = true)]
async fn sequence_numbers_increase_within_a_group() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "seq.fifo").await;
    let mut by_group: std::collections::HashMap<&str, Vec<u128>> = Default::default();
    for (g, b) in [("a", "1"), ("b", "2"), ("a", "3"), ("a", "4"), ("b", "5")] {
        let s = send(&q, g, b).await;
        assert!(s.len() >= 20, "a 128-bit decimal: {s}");
        by_group.entry(g).or_default().push(s.parse().unwrap());
    }
    // A batch continues the sequence.
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("x", "6").message_group_id("a"))
        .entries(SendMessageBatchRequestEntry::new("y", "7").message_group_id("a"))
        .send()
        .await
        .unwrap();
    for e in out.successful() {
        by_group
            .entry("a")
            .or_default()
            .push(e.sequence_number().unwrap().parse().unwrap());
    }
    for (group, seqs) in &by_group {
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "group {group}: {seqs:?}"
        );
    }
    // Receives report the same numbers.
    let got = receive(&q, 10).await;
    let received: Vec<u128> = got
        .iter()
        .map(|m| {
            m.attribute(MessageSystemAttributeName::SequenceNumber)
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    // Group a's run, then group b's.
    let expected: Vec<u128> = by_group["a"]
        .iter()
        .chain(&by_group["b"])
        .copied()
        .collect();
    assert_eq!(received, expected);
}

#[tokio::test(start_paused = true)]
async fn an_expired_visibility_timeout_redelivers_from_the_head_in_order() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "redeliver.fifo").await;
    for b in ["a1", "a2", "a3"] {
        send(&q, "a", b).await;
    }
    let first = q
        .receive_message()
        .max_number_of_messages(2)
        .visibility_timeout(10)
        .send()
        .await
        .unwrap()
        .into_messages();
    assert_eq!(bodies(&first), ["a1", "a2"]);
    // a3 waits behind the in-flight messages.
    assert!(receive(&q, 10).await.is_empty());
    // Only a2 is deleted; a1 times out and comes back before a3.
    delete(&q, &first[1..]).await;
    tokio::time::advance(Duration::from_secs(9)).await;
    assert!(receive(&q, 10).await.is_empty());
    tokio::time::advance(Duration::from_secs(1)).await;
    let again = receive(&q, 10).await;
    assert_eq!(bodies(&again), ["a1", "a3"]);
    assert_eq!(
        again[0].attribute(MessageSystemAttributeName::ApproximateReceiveCount),
        Some("2")
    );
    assert_eq!(again[0].message_id(), first[0].message_id());
    // The old handle of a1 has expired: FIFO refuses it.
    let err = q
        .delete_message()
        .receipt_handle(first[0].receipt_handle())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        format!(
            "Value {} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.",
            first[0].receipt_handle()
        )
    );
}

#[tokio::test(start_paused = true)]
async fn group_ids_and_dedup_ids_are_reported() {
    let sqs = Sqs::new();
    let q = fifo(&sqs, "attrs.fifo").await;
    q.send_message()
        .message_body("x")
        .message_group_id("g-1")
        .message_deduplication_id("d-1")
        .send()
        .await
        .unwrap();
    let got = receive(&q, 1).await;
    assert_eq!(
        got[0].attribute(MessageSystemAttributeName::MessageGroupId),
        Some("g-1")
    );
    assert_eq!(
        got[0].attribute(MessageSystemAttributeName::MessageDeduplicationId),
        Some("d-1")
    );
    // Without a group: MissingParameter.
    let err = q.send_message().message_body("y").send().await.unwrap_err();
    assert_eq!(err.code(), "MissingParameter");
    assert_eq!(
        err.message(),
        "The request must contain the parameter MessageGroupId."
    );
}
