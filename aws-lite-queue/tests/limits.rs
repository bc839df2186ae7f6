//! Limits as data: the 1 MiB message size (and the `legacy_256k` profile), the count of message
//! attributes, batch payloads, and the in-flight limit with a small custom `Limits`.

use aws_lite_core::limits::ByteSize;
use aws_lite_queue::limits::Limits;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{MessageAttributeValue, MessageAttributes, Queue, Sqs};

async fn queue(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue()
}

const MIB: usize = 1_048_576;
const KIB_256: usize = 262_144;

#[tokio::test(start_paused = true)]
async fn messages_up_to_1_mib_are_accepted() {
    let sqs = Sqs::new();
    assert_eq!(sqs.limits().max_message_size(), ByteSize::mib(1));
    let q = queue(&sqs, "big").await;
    q.send_message()
        .message_body("a".repeat(MIB))
        .send()
        .await
        .unwrap();
    let err = q
        .send_message()
        .message_body("a".repeat(MIB + 1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."
    );
    // Attribute names, types and values count: "k" + "String" + "v" = 8 bytes.
    let attr = || MessageAttributeValue::string("v");
    q.send_message()
        .message_body("a".repeat(MIB - 8))
        .message_attributes("k", attr())
        .send()
        .await
        .unwrap();
    let err = q
        .send_message()
        .message_body("a".repeat(MIB - 7))
        .message_attributes("k", attr())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."
    );
    // Bytes, not characters: 'é' is two bytes in UTF-8.
    let err = q
        .send_message()
        .message_body("é".repeat(MIB / 2 + 1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(q.metrics().number_of_messages_sent, 2);
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages()[0].body().len(), MIB);
}

#[tokio::test(start_paused = true)]
async fn the_legacy_256k_profile_restores_the_old_limit() {
    let sqs = Sqs::builder().limits(Limits::legacy_256k()).build();
    let q = queue(&sqs, "legacy").await;
    q.send_message()
        .message_body("a".repeat(KIB_256))
        .send()
        .await
        .unwrap();
    let err = q
        .send_message()
        .message_body("a".repeat(KIB_256 + 1))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes."
    );
    // Batches too: 262,146 bytes in two entries are refused as a whole.
    let half = "a".repeat(KIB_256 / 2 + 1);
    let err = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", half.clone()))
        .entries(SendMessageBatchRequestEntry::new("b", half))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AWS.SimpleQueueService.BatchRequestTooLong");
    assert_eq!(
        err.message(),
        "Batch requests cannot be longer than 262144 bytes. You have sent 262146 bytes."
    );
    // The same message is fine with today's limits.
    let today = queue(&Sqs::new(), "today").await;
    today
        .send_message()
        .message_body("a".repeat(KIB_256 + 1))
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn at_most_10_message_attributes() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "attrs").await;
    let attrs = |n: usize| -> MessageAttributes {
        (0..n)
            .map(|i| (format!("a{i}"), MessageAttributeValue::number(i)))
            .collect()
    };
    q.send_message()
        .message_body("ten")
        .set_message_attributes(Some(attrs(10)))
        .send()
        .await
        .unwrap();
    let err = q
        .send_message()
        .message_body("eleven")
        .set_message_attributes(Some(attrs(11)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Number of message attributes [11] exceeds the allowed maximum [10]."
    );
    // In a batch, the same rule fails only that entry.
    let out = q
        .send_message_batch()
        .entries(
            SendMessageBatchRequestEntry::new("ok", "x").set_message_attributes(Some(attrs(10))),
        )
        .entries(
            SendMessageBatchRequestEntry::new("over", "x").set_message_attributes(Some(attrs(11))),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 1);
    assert_eq!(out.failed()[0].id(), "over");
    assert_eq!(
        out.failed()[0].message(),
        "Number of message attributes [11] exceeds the allowed maximum [10]."
    );
}

#[tokio::test(start_paused = true)]
async fn a_standard_queue_answers_over_limit_at_its_in_flight_limit() {
    let mut limits = Limits::default();
    limits.max_in_flight_standard = 2;
    let sqs = Sqs::builder().limits(limits).build();
    let q = queue(&sqs, "inflight").await;
    for i in 0..3 {
        q.send_message()
            .message_body(format!("m{i}"))
            .send()
            .await
            .unwrap();
    }
    // A receive stops at the limit ...
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 2);
    // ... and the next one is refused while a message is waiting.
    let err = q.receive_message().send().await.unwrap_err();
    assert_eq!(err.code(), "OverLimit");
    assert_eq!(err.status(), 403);
    assert_eq!(
        err.message(),
        "Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more."
    );
    // Deleting one makes room for one.
    q.delete_message()
        .receipt_handle(got.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    let next = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(next.messages().len(), 1);
    // At the limit with nothing visible, a receive is simply empty.
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
async fn a_fifo_queue_at_its_in_flight_limit_returns_nothing_more() {
    let mut limits = Limits::default();
    limits.max_in_flight_fifo = 2;
    let sqs = Sqs::builder().limits(limits).build();
    let q = sqs
        .create_queue()
        .queue_name("inflight.fifo")
        .attributes("FifoQueue", "true")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap()
        .queue();
    for (g, b) in [("a", "a1"), ("a", "a2"), ("a", "a3"), ("b", "b1")] {
        q.send_message()
            .message_body(b)
            .message_group_id(g)
            .send()
            .await
            .unwrap();
    }
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let bodies: Vec<&str> = got.messages().iter().map(|m| m.body()).collect();
    assert_eq!(bodies, ["a1", "a2"]);
    // No error, no message: group b waits for room.
    assert!(
        q.receive_message()
            .send()
            .await
            .unwrap()
            .messages()
            .is_empty()
    );
    q.delete_message()
        .receipt_handle(got.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    let next = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    let bodies: Vec<&str> = next.messages().iter().map(|m| m.body()).collect();
    assert_eq!(bodies, ["b1"]);
}

#[tokio::test(start_paused = true)]
async fn receive_parameters_are_range_checked() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "ranges").await;
    for bad in [0, 11] {
        let err = q
            .receive_message()
            .max_number_of_messages(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidParameterValue");
        assert_eq!(
            err.message(),
            format!(
                "Value {bad} for parameter MaxNumberOfMessages is invalid. Reason: Must be >= 1 and <= 10, if provided."
            )
        );
    }
}
