//! Batch operations: the errors that fail a whole batch, and batches where some entries succeed
//! and others fail (SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch).

use std::time::Duration;

use aws_lite_core::Error;
use aws_lite_queue::operation::batch::BatchResultErrorEntry;
use aws_lite_queue::operation::change_message_visibility_batch::ChangeMessageVisibilityBatchRequestEntry;
use aws_lite_queue::operation::delete_message_batch::DeleteMessageBatchRequestEntry;
use aws_lite_queue::operation::receive_message::Message;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;
use aws_lite_queue::{MessageAttributeValue, Queue, Sqs};

async fn queue(sqs: &Sqs, name: &str, attrs: &[(&str, &str)]) -> Queue {
    let mut create = sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        create = create.attributes(*k, *v);
    }
    create.send().await.unwrap().queue()
}

async fn receive_all(q: &Queue) -> Vec<Message> {
    q.receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap()
        .into_messages()
}

fn entry(i: usize) -> SendMessageBatchRequestEntry {
    SendMessageBatchRequestEntry::new(format!("e{i}"), format!("body {i}"))
}

fn assert_error(err: &Error, code: &str, message: &str) {
    assert_eq!(err.code(), code);
    assert_eq!(err.message(), message);
}

fn assert_failed(f: &BatchResultErrorEntry, id: &str, code: &str, message: &str) {
    assert_eq!(f.id(), id);
    assert!(f.sender_fault(), "{id}");
    assert_eq!(f.code(), code, "{id}");
    assert_eq!(f.message(), message, "{id}");
}

fn stored(q: &Queue) -> u64 {
    let m = q.metrics();
    m.approximate_number_of_messages_visible
        + m.approximate_number_of_messages_not_visible
        + m.approximate_number_of_messages_delayed
}

#[tokio::test(start_paused = true)]
async fn whole_batch_errors_of_send_message_batch() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "errors", &[]).await;

    let err = q.send_message_batch().send().await.unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.EmptyBatchRequest",
        "There should be at least one SendMessageBatchRequestEntry in the request.",
    );
    assert_eq!(err.shape(), "EmptyBatchRequest");

    let err = q
        .send_message_batch()
        .set_entries(Some((0..11).map(entry).collect()))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "Maximum number of entries per request are 10. You have sent 11.",
    );

    let too_long_id = "x".repeat(81);
    for bad in ["message:1", "", too_long_id.as_str()] {
        let err = q
            .send_message_batch()
            .entries(entry(0))
            .entries(SendMessageBatchRequestEntry::new(bad, "b"))
            .send()
            .await
            .unwrap_err();
        assert_error(
            &err,
            "AWS.SimpleQueueService.InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
        );
    }
    // 80 characters of [A-Za-z0-9_-] is fine.
    let ok_id = format!("{}-_", "a".repeat(78));
    q.send_message_batch()
        .entries(SendMessageBatchRequestEntry::new(ok_id, "b"))
        .send()
        .await
        .unwrap();

    let err = q
        .send_message_batch()
        .entries(entry(0))
        .entries(entry(1))
        .entries(entry(0))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "Id e0 repeated.",
    );

    // Total payload: bodies and attributes of every entry together, at most 1 MiB.
    let half = "a".repeat(512 * 1024);
    let err = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", half.clone()))
        .entries(
            SendMessageBatchRequestEntry::new("b", half.clone())
                .message_attributes("k", MessageAttributeValue::string("v")),
        )
        .send()
        .await
        .unwrap_err();
    // "k" + "String" + "v" = 8 bytes over.
    assert_error(
        &err,
        "AWS.SimpleQueueService.BatchRequestTooLong",
        "Batch requests cannot be longer than 1048576 bytes. You have sent 1048584 bytes.",
    );
    assert_eq!(err.shape(), "BatchRequestTooLong");
    // Exactly 1 MiB in total is accepted.
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", half.clone()))
        .entries(SendMessageBatchRequestEntry::new("b", half))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 2);
    // Only the two accepted batches were sent.
    assert_eq!(stored(&q), 3);
}

#[tokio::test(start_paused = true)]
async fn a_send_batch_mixes_successes_and_failures() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "mixed", &[("MaximumMessageSize", "1024")]).await;
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("ok1", "first"))
        .entries(SendMessageBatchRequestEntry::new("delay", "x").delay_seconds(901))
        .entries(SendMessageBatchRequestEntry::default().id("nobody"))
        .entries(SendMessageBatchRequestEntry::new("big", "b".repeat(1025)))
        .entries(SendMessageBatchRequestEntry::new("chars", "bad \u{1} char"))
        .entries(
            SendMessageBatchRequestEntry::new("attr", "x")
                .message_attributes("AWS.reserved", MessageAttributeValue::string("v")),
        )
        .entries(SendMessageBatchRequestEntry::new("dedup", "x").message_deduplication_id("d"))
        .entries(
            SendMessageBatchRequestEntry::new("ok2", "second")
                .message_attributes("k", MessageAttributeValue::string("v")),
        )
        .send()
        .await
        .unwrap();
    let ok: Vec<&str> = out.successful().iter().map(|s| s.id()).collect();
    assert_eq!(ok, ["ok1", "ok2"]);
    let ok2 = &out.successful()[1];
    assert_eq!(
        out.successful()[0].md5_of_message_body(),
        "8b04d5e3775d298e78455efc5ca404d5"
    );
    assert!(ok2.md5_of_message_attributes().is_some());
    assert_eq!(out.successful()[0].md5_of_message_attributes(), None);
    assert_eq!(ok2.sequence_number(), None);

    let failed = out.failed();
    assert_eq!(failed.len(), 6);
    assert_failed(
        &failed[0],
        "delay",
        "InvalidParameterValue",
        "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.",
    );
    assert_failed(
        &failed[1],
        "nobody",
        "MissingParameter",
        "The request must contain the parameter MessageBody.",
    );
    assert_failed(
        &failed[2],
        "big",
        "InvalidParameterValue",
        "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.",
    );
    assert_failed(
        &failed[3],
        "chars",
        "InvalidMessageContents",
        "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF",
    );
    assert_failed(
        &failed[4],
        "attr",
        "InvalidParameterValue",
        "You can't use message attribute names beginning with 'AWS.' or 'Amazon'. These strings are reserved for internal use.",
    );
    assert_failed(
        &failed[5],
        "dedup",
        "InvalidParameterValue",
        "Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.",
    );

    // The good entries are in the queue, in order; the others are not.
    let got = receive_all(&q).await;
    let bodies: Vec<&str> = got.iter().map(Message::body).collect();
    assert_eq!(bodies, ["first", "second"]);
    assert_eq!(got[0].message_id(), out.successful()[0].message_id());
    assert_eq!(q.metrics().number_of_messages_sent, 2);
}

#[tokio::test(start_paused = true)]
async fn a_batch_where_every_entry_fails_still_succeeds() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "allfail", &[]).await;
    let out = q
        .send_message_batch()
        .entries(SendMessageBatchRequestEntry::new("a", "x").delay_seconds(-1))
        .entries(SendMessageBatchRequestEntry::default().id("b"))
        .send()
        .await
        .unwrap();
    assert!(out.successful().is_empty());
    assert_eq!(out.failed().len(), 2);
    assert_eq!(stored(&q), 0);
}

#[tokio::test(start_paused = true)]
async fn fifo_batches_fail_whole_without_group_or_dedup_id() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "b.fifo", &[("FifoQueue", "true")]).await;
    let err = q
        .send_message_batch()
        .entries(
            SendMessageBatchRequestEntry::new("a", "x")
                .message_group_id("g")
                .message_deduplication_id("d1"),
        )
        .entries(SendMessageBatchRequestEntry::new("b", "y").message_group_id("g"))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "InvalidParameterValue",
        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    );
    let err = q
        .send_message_batch()
        .entries(
            SendMessageBatchRequestEntry::new("a", "x")
                .message_group_id("g")
                .message_deduplication_id("d1"),
        )
        .entries(SendMessageBatchRequestEntry::new("b", "y").message_deduplication_id("d2"))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "InvalidParameterValue",
        "The request must contain the parameter MessageGroupId.",
    );
    // Nothing of either batch was sent (not even the valid first entries).
    assert_eq!(stored(&q), 0);
    // With both ids, entries go through, each group in order.
    let out = q
        .send_message_batch()
        .entries(
            SendMessageBatchRequestEntry::new("a", "x")
                .message_group_id("g")
                .message_deduplication_id("d1"),
        )
        .entries(
            SendMessageBatchRequestEntry::new("b", "y")
                .message_group_id("g")
                .message_deduplication_id("d2"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 2);
    let (s0, s1) = (&out.successful()[0], &out.successful()[1]);
    let n0: u128 = s0.sequence_number().unwrap().parse().unwrap();
    let n1: u128 = s1.sequence_number().unwrap().parse().unwrap();
    assert!(n0 < n1);
    let bodies: Vec<String> = receive_all(&q)
        .await
        .iter()
        .map(|m| m.body().to_string())
        .collect();
    assert_eq!(bodies, ["x", "y"]);
}

#[tokio::test(start_paused = true)]
async fn whole_batch_errors_of_delete_and_change_visibility_batches() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "others", &[]).await;
    let err = q.delete_message_batch().send().await.unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.EmptyBatchRequest",
        "There should be at least one DeleteMessageBatchRequestEntry in the request.",
    );
    let err = q
        .change_message_visibility_batch()
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.EmptyBatchRequest",
        "There should be at least one ChangeMessageVisibilityBatchRequestEntry in the request.",
    );
    let eleven: Vec<_> = (0..11)
        .map(|i| DeleteMessageBatchRequestEntry::new(format!("d{i}"), "h"))
        .collect();
    let err = q
        .delete_message_batch()
        .set_entries(Some(eleven))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
        "Maximum number of entries per request are 10. You have sent 11.",
    );
    let err = q
        .delete_message_batch()
        .entries(DeleteMessageBatchRequestEntry::new("invalid:id", "h"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "AWS.SimpleQueueService.InvalidBatchEntryId");
    let err = q
        .change_message_visibility_batch()
        .entries(ChangeMessageVisibilityBatchRequestEntry::new("x", "h", 1))
        .entries(ChangeMessageVisibilityBatchRequestEntry::new("x", "h", 1))
        .send()
        .await
        .unwrap_err();
    assert_error(
        &err,
        "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
        "Id x repeated.",
    );
    let twelve: Vec<_> = (0..12)
        .map(|i| ChangeMessageVisibilityBatchRequestEntry::new(format!("c{i}"), "h", 1))
        .collect();
    let err = q
        .change_message_visibility_batch()
        .set_entries(Some(twelve))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "Maximum number of entries per request are 10. You have sent 12."
    );
}

#[tokio::test(start_paused = true)]
async fn a_delete_batch_mixes_successes_and_failures() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "del", &[]).await;
    q.send_message_batch()
        .entries(entry(0))
        .entries(entry(1))
        .send()
        .await
        .unwrap();
    let got = receive_all(&q).await;
    assert_eq!(got.len(), 2);
    let out = q
        .delete_message_batch()
        .entries(DeleteMessageBatchRequestEntry::new(
            "good",
            got[0].receipt_handle(),
        ))
        .entries(DeleteMessageBatchRequestEntry::new("bogus", "not-a-handle"))
        .entries(DeleteMessageBatchRequestEntry::new("empty", ""))
        // Deleting the same message twice in one batch: the second is a no-op success.
        .entries(DeleteMessageBatchRequestEntry::new(
            "again",
            got[0].receipt_handle(),
        ))
        .send()
        .await
        .unwrap();
    let ok: Vec<&str> = out.successful().iter().map(|s| s.id()).collect();
    assert_eq!(ok, ["good", "again"]);
    assert_eq!(out.failed().len(), 2);
    assert_failed(
        &out.failed()[0],
        "bogus",
        "ReceiptHandleIsInvalid",
        "The input receipt handle \"not-a-handle\" is not a valid receipt handle.",
    );
    assert_failed(
        &out.failed()[1],
        "empty",
        "MissingParameter",
        "The request must contain the parameter ReceiptHandle.",
    );
    let m = q.metrics();
    assert_eq!(m.number_of_messages_deleted, 1);
    assert_eq!(m.approximate_number_of_messages_not_visible, 1);
    // Through the service handle, by URL.
    let out = sqs
        .delete_message_batch()
        .queue_url(q.url())
        .entries(DeleteMessageBatchRequestEntry::new(
            "last",
            got[1].receipt_handle(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful().len(), 1);
    assert_eq!(stored(&q), 0);
}

#[tokio::test(start_paused = true)]
async fn a_fifo_delete_batch_refuses_expired_handles() {
    let sqs = Sqs::new();
    let q = queue(
        &sqs,
        "del.fifo",
        &[("FifoQueue", "true"), ("ContentBasedDeduplication", "true")],
    )
    .await;
    for (g, b) in [("a", "a1"), ("b", "b1")] {
        q.send_message()
            .message_body(b)
            .message_group_id(g)
            .send()
            .await
            .unwrap();
    }
    let a = q
        .receive_message()
        .visibility_timeout(5)
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    let b = q
        .receive_message()
        .visibility_timeout(60)
        .send()
        .await
        .unwrap()
        .into_messages()
        .remove(0);
    tokio::time::advance(Duration::from_secs(10)).await;
    let out = q
        .delete_message_batch()
        .entries(DeleteMessageBatchRequestEntry::new("a", a.receipt_handle()))
        .entries(DeleteMessageBatchRequestEntry::new("b", b.receipt_handle()))
        .send()
        .await
        .unwrap();
    assert_eq!(out.successful()[0].id(), "b");
    assert_failed(
        &out.failed()[0],
        "a",
        "InvalidParameterValue",
        &format!(
            "Value {} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.",
            a.receipt_handle()
        ),
    );
}

#[tokio::test(start_paused = true)]
async fn a_change_visibility_batch_mixes_successes_and_failures() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "cmv", &[]).await;
    q.send_message_batch()
        .entries(entry(0))
        .entries(entry(1))
        .entries(entry(2))
        .send()
        .await
        .unwrap();
    let got = receive_all(&q).await;
    assert_eq!(got.len(), 3);
    q.delete_message()
        .receipt_handle(got[2].receipt_handle())
        .send()
        .await
        .unwrap();
    let out = q
        .change_message_visibility_batch()
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "show",
            got[0].receipt_handle(),
            0,
        ))
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "extend",
            got[1].receipt_handle(),
            120,
        ))
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "deleted",
            got[2].receipt_handle(),
            10,
        ))
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "bogus", "nope", 10,
        ))
        .entries(ChangeMessageVisibilityBatchRequestEntry::new(
            "range",
            got[1].receipt_handle(),
            43_201,
        ))
        .entries(
            ChangeMessageVisibilityBatchRequestEntry::new("missing", got[1].receipt_handle(), 0)
                .set_visibility_timeout(None),
        )
        .send()
        .await
        .unwrap();
    let ok: Vec<&str> = out.successful().iter().map(|s| s.id()).collect();
    assert_eq!(ok, ["show", "extend"]);
    let failed = out.failed();
    assert_eq!(failed.len(), 4);
    assert_failed(
        &failed[0],
        "deleted",
        "InvalidParameterValue",
        &format!(
            "Value {} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.",
            got[2].receipt_handle()
        ),
    );
    assert_failed(
        &failed[1],
        "bogus",
        "ReceiptHandleIsInvalid",
        "The input receipt handle \"nope\" is not a valid receipt handle.",
    );
    assert_failed(
        &failed[2],
        "range",
        "InvalidParameterValue",
        "Value 43201 for parameter VisibilityTimeout is invalid. Reason: VisibilityTimeout must be an integer between 0 and 43200.",
    );
    assert_failed(
        &failed[3],
        "missing",
        "MissingParameter",
        "The request must contain the parameter ChangeMessageVisibilityBatchRequestEntry.6.VisibilityTimeout.",
    );
    // "show" is visible now; "extend" stays hidden past its original 30 s, until 120 s.
    let now = receive_all(&q).await;
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].message_id(), got[0].message_id());
    tokio::time::advance(Duration::from_secs(119)).await;
    assert!(
        receive_all(&q)
            .await
            .iter()
            .all(|m| m.message_id() != got[1].message_id())
    );
    tokio::time::advance(Duration::from_secs(1)).await;
    assert!(
        receive_all(&q)
            .await
            .iter()
            .any(|m| m.message_id() == got[1].message_id())
    );
}
