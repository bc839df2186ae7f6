//! GetQueueAttributes and SetQueueAttributes: every attribute, `All`, message counts on
//! virtual time, all-or-nothing updates and epoch-second timestamps.

use std::collections::BTreeMap;
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

async fn standard(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue()
}

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

fn epoch_secs(sqs: &Sqs) -> u64 {
    sqs.clock().epoch_millis(sqs.clock().now()) / 1000
}

async fn all(q: &Queue) -> BTreeMap<N, String> {
    q.get_queue_attributes()
        .attribute_names(N::All)
        .send()
        .await
        .unwrap()
        .attributes()
        .clone()
}

/// `(visible, not visible, delayed)` as GetQueueAttributes reports them.
async fn counts(q: &Queue) -> (String, String, String) {
    let out = q
        .get_queue_attributes()
        .attribute_names("ApproximateNumberOfMessages")
        .attribute_names("ApproximateNumberOfMessagesNotVisible")
        .attribute_names("ApproximateNumberOfMessagesDelayed")
        .send()
        .await
        .unwrap();
    assert_eq!(out.attributes().len(), 3);
    let get = |n| out.attribute(n).unwrap().to_owned();
    (
        get(N::ApproximateNumberOfMessages),
        get(N::ApproximateNumberOfMessagesNotVisible),
        get(N::ApproximateNumberOfMessagesDelayed),
    )
}

fn c(visible: u32, not_visible: u32, delayed: u32) -> (String, String, String) {
    (
        visible.to_string(),
        not_visible.to_string(),
        delayed.to_string(),
    )
}

fn expected(pairs: &[(N, String)]) -> BTreeMap<N, String> {
    pairs.iter().cloned().collect()
}

#[tokio::test(start_paused = true)]
async fn all_on_a_standard_queue() {
    let sqs = Sqs::new();
    let created = epoch_secs(&sqs);
    let q = standard(&sqs, "std").await;
    let s = |v: &str| v.to_owned();
    assert_eq!(
        all(&q).await,
        expected(&[
            (N::ApproximateNumberOfMessages, s("0")),
            (N::ApproximateNumberOfMessagesDelayed, s("0")),
            (N::ApproximateNumberOfMessagesNotVisible, s("0")),
            (N::CreatedTimestamp, created.to_string()),
            (N::DelaySeconds, s("0")),
            (N::LastModifiedTimestamp, created.to_string()),
            (N::MaximumMessageSize, s("1048576")),
            (N::MessageRetentionPeriod, s("345600")),
            (N::QueueArn, s("arn:aws:sqs:us-east-1:000000000000:std")),
            (N::ReceiveMessageWaitTimeSeconds, s("0")),
            (N::VisibilityTimeout, s("30")),
            (N::SqsManagedSseEnabled, s("true")),
        ])
    );
    // Through the service, by URL, too.
    let by_url = sqs
        .get_queue_attributes()
        .queue_url(q.url())
        .attribute_names("All")
        .send()
        .await
        .unwrap();
    assert_eq!(by_url.attributes(), &all(&q).await);
}

#[tokio::test(start_paused = true)]
async fn all_on_a_fifo_queue() {
    let sqs = Sqs::new();
    let created = epoch_secs(&sqs);
    let q = fifo(&sqs, "f.fifo").await;
    let s = |v: &str| v.to_owned();
    assert_eq!(
        all(&q).await,
        expected(&[
            (N::ApproximateNumberOfMessages, s("0")),
            (N::ApproximateNumberOfMessagesDelayed, s("0")),
            (N::ApproximateNumberOfMessagesNotVisible, s("0")),
            (N::CreatedTimestamp, created.to_string()),
            (N::DelaySeconds, s("0")),
            (N::LastModifiedTimestamp, created.to_string()),
            (N::MaximumMessageSize, s("1048576")),
            (N::MessageRetentionPeriod, s("345600")),
            (N::QueueArn, s("arn:aws:sqs:us-east-1:000000000000:f.fifo")),
            (N::ReceiveMessageWaitTimeSeconds, s("0")),
            (N::VisibilityTimeout, s("30")),
            (N::SqsManagedSseEnabled, s("true")),
            (N::FifoQueue, s("true")),
            (N::ContentBasedDeduplication, s("true")),
            (N::DeduplicationScope, s("queue")),
            (N::FifoThroughputLimit, s("perQueue")),
        ])
    );
}

#[tokio::test(start_paused = true)]
async fn each_attribute_alone_matches_all() {
    let sqs = Sqs::new();
    let dlq = standard(&sqs, "dlq").await;
    let policy = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
        dlq.arn()
    );
    let std_q = sqs
        .create_queue()
        .queue_name("configured")
        .attributes("RedriveAllowPolicy", r#"{"redrivePermission":"denyAll"}"#)
        .attributes("Policy", r#"{"Version":"2012-10-17","Statement":[]}"#)
        .attributes("KmsMasterKeyId", "alias/aws/sqs")
        .send()
        .await
        .unwrap()
        .queue();
    std_q
        .set_queue_attributes()
        .attributes("RedrivePolicy", &policy)
        .send()
        .await
        .unwrap();
    let fifo_q = fifo(&sqs, "each.fifo").await;
    for q in [&std_q, &fifo_q] {
        let everything = all(q).await;
        for name in N::VARIANTS.into_iter().filter(|n| *n != N::All) {
            let got = q.get_queue_attributes().attribute_names(name).send().await;
            if !q.is_fifo() && name.is_fifo_only() {
                assert_err(
                    got,
                    "InvalidAttributeName",
                    &format!("Unknown Attribute {name}."),
                );
                continue;
            }
            let got = got.unwrap();
            let want: BTreeMap<N, String> = everything
                .get(&name)
                .map(|v| (name, v.clone()))
                .into_iter()
                .collect();
            assert_eq!(got.attributes(), &want, "{name} on {}", q.name());
        }
    }
    // The configured queue reports its optional attributes; the plain one leaves them out.
    let configured = all(&std_q).await;
    assert_eq!(configured[&N::RedrivePolicy], policy);
    assert_eq!(
        configured[&N::RedriveAllowPolicy],
        r#"{"redrivePermission":"denyAll"}"#
    );
    assert_eq!(
        configured[&N::Policy],
        r#"{"Version":"2012-10-17","Statement":[]}"#
    );
    assert_eq!(configured[&N::KmsMasterKeyId], "alias/aws/sqs");
    assert_eq!(configured[&N::KmsDataKeyReusePeriodSeconds], "300");
    assert_eq!(configured[&N::SqsManagedSseEnabled], "false");
    let plain = all(&fifo_q).await;
    for unset in [
        N::Policy,
        N::RedrivePolicy,
        N::RedriveAllowPolicy,
        N::KmsMasterKeyId,
        N::KmsDataKeyReusePeriodSeconds,
    ] {
        assert!(!plain.contains_key(&unset), "{unset}");
    }
}

#[tokio::test(start_paused = true)]
async fn names_are_checked() {
    let sqs = Sqs::new();
    let q = standard(&sqs, "names").await;
    for bad in ["Bogus", "visibilityTimeout", "all", ""] {
        assert_err(
            q.get_queue_attributes().attribute_names(bad).send().await,
            "InvalidAttributeName",
            &format!("Unknown Attribute {bad}."),
        );
    }
    // One bad name fails the whole call.
    assert_err(
        q.get_queue_attributes()
            .attribute_names("VisibilityTimeout")
            .attribute_names("FifoQueue")
            .send()
            .await,
        "InvalidAttributeName",
        "Unknown Attribute FifoQueue.",
    );
    // No names: no attributes.
    let none = q.get_queue_attributes().send().await.unwrap();
    assert!(none.attributes().is_empty());
    let empty = q
        .get_queue_attributes()
        .set_attribute_names(Some(Vec::new()))
        .send()
        .await
        .unwrap();
    assert!(empty.attributes().is_empty());
    // Repeats and `All` alongside names are harmless.
    let repeated = q
        .get_queue_attributes()
        .attribute_names("QueueArn")
        .attribute_names("QueueArn")
        .send()
        .await
        .unwrap();
    assert_eq!(repeated.attributes().len(), 1);
    let with_all = q
        .get_queue_attributes()
        .attribute_names("QueueArn")
        .attribute_names("All")
        .send()
        .await
        .unwrap();
    assert_eq!(with_all.attributes(), &all(&q).await);
}

#[tokio::test(start_paused = true)]
async fn counts_follow_send_receive_delay_and_visibility() {
    let sqs = Sqs::new();
    let q = standard(&sqs, "counts").await;
    assert_eq!(counts(&q).await, c(0, 0, 0));
    q.send_message().message_body("a").send().await.unwrap();
    q.send_message().message_body("b").send().await.unwrap();
    q.send_message()
        .message_body("late")
        .delay_seconds(10)
        .send()
        .await
        .unwrap();
    assert_eq!(counts(&q).await, c(2, 0, 1));
    let got = q
        .receive_message()
        .visibility_timeout(20)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 1);
    assert_eq!(counts(&q).await, c(1, 1, 1));
    // The delay ends.
    tokio::time::advance(Duration::from_secs(10)).await;
    assert_eq!(counts(&q).await, c(2, 1, 0));
    // One second before the visibility timeout ends, then at its end.
    tokio::time::advance(Duration::from_secs(9)).await;
    assert_eq!(counts(&q).await, c(2, 1, 0));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(counts(&q).await, c(3, 0, 0));
    // Receive everything and delete one.
    let batch = q
        .receive_message()
        .max_number_of_messages(10)
        .send()
        .await
        .unwrap();
    assert_eq!(batch.messages().len(), 3);
    assert_eq!(counts(&q).await, c(0, 3, 0));
    q.delete_message()
        .receipt_handle(batch.messages()[0].receipt_handle())
        .send()
        .await
        .unwrap();
    assert_eq!(counts(&q).await, c(0, 2, 0));
}

#[tokio::test(start_paused = true)]
async fn fifo_counts_follow_groups_and_queue_delay() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("counts.fifo")
        .attributes("FifoQueue", "true")
        .attributes("ContentBasedDeduplication", "true")
        .attributes("DelaySeconds", "5")
        .send()
        .await
        .unwrap()
        .queue();
    for (group, body) in [("g1", "1"), ("g1", "2"), ("g2", "3")] {
        q.send_message()
            .message_body(body)
            .message_group_id(group)
            .send()
            .await
            .unwrap();
    }
    // A duplicate is not counted.
    q.send_message()
        .message_body("1")
        .message_group_id("g1")
        .send()
        .await
        .unwrap();
    assert_eq!(counts(&q).await, c(0, 0, 3));
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(counts(&q).await, c(3, 0, 0));
    let got = q
        .receive_message()
        .max_number_of_messages(10)
        .visibility_timeout(60)
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages().len(), 3);
    assert_eq!(counts(&q).await, c(0, 3, 0));
    tokio::time::advance(Duration::from_secs(60)).await;
    assert_eq!(counts(&q).await, c(3, 0, 0));
}

#[tokio::test(start_paused = true)]
async fn set_queue_attributes_takes_effect() {
    let sqs = Sqs::new();
    let q = standard(&sqs, "set").await;
    q.set_queue_attributes()
        .attributes(N::VisibilityTimeout, "5")
        .attributes("DelaySeconds", "7")
        .attributes("MaximumMessageSize", "2048")
        .attributes("MessageRetentionPeriod", "600")
        .attributes("ReceiveMessageWaitTimeSeconds", "2")
        .send()
        .await
        .unwrap();
    let now = all(&q).await;
    for (name, value) in [
        (N::VisibilityTimeout, "5"),
        (N::DelaySeconds, "7"),
        (N::MaximumMessageSize, "2048"),
        (N::MessageRetentionPeriod, "600"),
        (N::ReceiveMessageWaitTimeSeconds, "2"),
    ] {
        assert_eq!(now[&name], value, "{name}");
    }

    // DelaySeconds applies to the next send.
    q.send_message().message_body("m").send().await.unwrap();
    assert_eq!(counts(&q).await, c(0, 0, 1));
    // ReceiveMessageWaitTimeSeconds: a receive without WaitTimeSeconds waits 2 s, in vain.
    let clock = sqs.clock().clone();
    let start = clock.now();
    let empty = q.receive_message().send().await.unwrap();
    assert!(empty.messages().is_empty());
    assert_eq!(clock.now() - start, Duration::from_secs(2));
    tokio::time::advance(Duration::from_secs(5)).await;
    // VisibilityTimeout: the received message is hidden for 5 s.
    let got = q.receive_message().send().await.unwrap();
    assert_eq!(got.messages().len(), 1);
    tokio::time::advance(Duration::from_secs(4)).await;
    assert_eq!(counts(&q).await, c(0, 1, 0));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(counts(&q).await, c(1, 0, 0));
    // MaximumMessageSize: 2,048 bytes.
    assert_err(
        q.send_message().message_body("x".repeat(2049)).send().await,
        "InvalidParameterValue",
        "One or more parameters are invalid. Reason: Message must be shorter than 2048 bytes.",
    );
    // MessageRetentionPeriod: the message expires 600 s after it was sent.
    tokio::time::advance(Duration::from_secs(600 - 12)).await;
    assert_eq!(counts(&q).await, c(0, 0, 0));
}

#[tokio::test(start_paused = true)]
async fn changes_apply_to_later_receives_only() {
    let sqs = Sqs::new();
    let q = standard(&sqs, "later").await;
    q.send_message().message_body("m").send().await.unwrap();
    // Received with the queue's 30 s.
    let got = q.receive_message().send().await.unwrap();
    assert_eq!(got.messages().len(), 1);
    q.set_queue_attributes()
        .attributes("VisibilityTimeout", "5")
        .send()
        .await
        .unwrap();
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(counts(&q).await, c(0, 1, 0));
    tokio::time::advance(Duration::from_secs(25)).await;
    assert_eq!(counts(&q).await, c(1, 0, 0));
    // The next receive uses 5 s.
    q.receive_message().send().await.unwrap();
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(counts(&q).await, c(1, 0, 0));

    // A long poll already waiting keeps its wait time.
    q.set_queue_attributes()
        .attributes("ReceiveMessageWaitTimeSeconds", "20")
        .send()
        .await
        .unwrap();
    q.receive_message().send().await.unwrap();
    let clock = sqs.clock().clone();
    let start = clock.now();
    let q2 = q.clone();
    let waiting = tokio::spawn(async move { q2.receive_message().send().await });
    tokio::task::yield_now().await;
    tokio::time::advance(Duration::from_secs(1)).await;
    q.set_queue_attributes()
        .attributes("ReceiveMessageWaitTimeSeconds", "0")
        .send()
        .await
        .unwrap();
    let out = waiting.await.unwrap().unwrap();
    // The in-flight message became visible 5 s in and was returned to the waiting receive.
    assert_eq!(out.messages().len(), 1);
    assert_eq!(clock.now() - start, Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn a_rejected_set_changes_nothing() {
    let sqs = Sqs::new();
    let q = standard(&sqs, "rejected").await;
    let before = all(&q).await;
    tokio::time::advance(Duration::from_secs(30)).await;
    assert_err(
        q.set_queue_attributes()
            .attributes("VisibilityTimeout", "10")
            .attributes("DelaySeconds", "901")
            .send()
            .await,
        "InvalidAttributeValue",
        "Invalid value for the parameter DelaySeconds.",
    );
    assert_err(
        q.set_queue_attributes()
            .attributes("VisibilityTimeout", "10")
            .attributes("QueueArn", "x")
            .send()
            .await,
        "InvalidAttributeName",
        "Unknown Attribute QueueArn.",
    );
    assert_err(
        q.set_queue_attributes()
            .attributes("VisibilityTimeout", "10")
            .attributes("FifoQueue", "true")
            .send()
            .await,
        "InvalidAttributeName",
        "Unknown Attribute FifoQueue.",
    );
    let missing_dlq =
        r#"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":2}"#;
    assert_err(
        q.set_queue_attributes()
            .attributes("VisibilityTimeout", "10")
            .attributes("RedrivePolicy", missing_dlq)
            .send()
            .await,
        "InvalidParameterValue",
        &format!(
            "Value {missing_dlq} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist."
        ),
    );
    let fifo_dlq = fifo(&sqs, "dlq.fifo").await;
    let wrong_type = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":2}}"#,
        fifo_dlq.arn()
    );
    assert_err(
        q.set_queue_attributes()
            .attributes("VisibilityTimeout", "10")
            .attributes("RedrivePolicy", &wrong_type)
            .send()
            .await,
        "InvalidParameterValue",
        &format!(
            "Value {wrong_type} for parameter RedrivePolicy is invalid. Reason: Dead-letter target queue must be the same type as the source queue."
        ),
    );
    // Nothing changed, LastModifiedTimestamp included.
    let after = all(&q).await;
    assert_eq!(after, before);
    // A FIFO queue cannot become standard.
    assert_err(
        fifo_dlq
            .set_queue_attributes()
            .attributes("FifoQueue", "false")
            .send()
            .await,
        "InvalidAttributeValue",
        "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.",
    );
    // An empty call succeeds and changes nothing either.
    q.set_queue_attributes().send().await.unwrap();
    assert_eq!(all(&q).await, before);
}

#[tokio::test(start_paused = true)]
async fn redrive_and_policy_attributes_round_trip() {
    let sqs = Sqs::new();
    let dlq = standard(&sqs, "rt-dlq").await;
    let q = standard(&sqs, "rt").await;
    let policy = format!(
        r#"{{"maxReceiveCount":"4","deadLetterTargetArn":"{}"}}"#,
        dlq.arn()
    );
    q.set_queue_attributes()
        .attributes("RedrivePolicy", &policy)
        .attributes("Policy", r#"{"Statement":[]}"#)
        .send()
        .await
        .unwrap();
    let got = all(&q).await;
    assert_eq!(
        got[&N::RedrivePolicy],
        format!(
            r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":4}}"#,
            dlq.arn()
        )
    );
    assert_eq!(got[&N::Policy], r#"{"Statement":[]}"#);
    // An empty value removes them.
    q.set_queue_attributes()
        .attributes("RedrivePolicy", "")
        .attributes("Policy", "")
        .send()
        .await
        .unwrap();
    let got = all(&q).await;
    assert!(!got.contains_key(&N::RedrivePolicy));
    assert!(!got.contains_key(&N::Policy));
    // A dead-letter queue that denies every source.
    dlq.set_queue_attributes()
        .attributes("RedriveAllowPolicy", r#"{"redrivePermission":"denyAll"}"#)
        .send()
        .await
        .unwrap();
    let normalized = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":4}}"#,
        dlq.arn()
    );
    assert_err(
        q.set_queue_attributes()
            .attributes("RedrivePolicy", &normalized)
            .send()
            .await,
        "InvalidParameterValue",
        &format!(
            "Value {normalized} for parameter RedrivePolicy is invalid. Reason: The dead-letter target queue's RedriveAllowPolicy does not allow this queue as a source."
        ),
    );
    assert!(!all(&q).await.contains_key(&N::RedrivePolicy));
    // A queue may name itself.
    let itself = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":1}}"#,
        q.arn()
    );
    q.set_queue_attributes()
        .attributes("RedrivePolicy", &itself)
        .send()
        .await
        .unwrap();
    assert_eq!(all(&q).await[&N::RedrivePolicy], itself);
}

#[tokio::test(start_paused = true)]
async fn timestamps_are_epoch_seconds_on_virtual_time() {
    let sqs = Sqs::new();
    let t0 = epoch_secs(&sqs);
    let first = standard(&sqs, "ts1").await;
    tokio::time::advance(Duration::from_secs(50)).await;
    let second = standard(&sqs, "ts2").await;
    let created = |m: &BTreeMap<N, String>| m[&N::CreatedTimestamp].parse::<u64>().unwrap();
    let modified = |m: &BTreeMap<N, String>| m[&N::LastModifiedTimestamp].parse::<u64>().unwrap();
    let a = all(&first).await;
    let b = all(&second).await;
    assert_eq!(created(&a), t0);
    assert_eq!(modified(&a), t0);
    assert_eq!(created(&b), t0 + 50);
    // Seconds, not milliseconds: within a day of now.
    assert!(created(&a) > 1_600_000_000 && created(&a) < 10_000_000_000);

    tokio::time::advance(Duration::from_secs(3_600)).await;
    first
        .set_queue_attributes()
        .attributes("DelaySeconds", "1")
        .send()
        .await
        .unwrap();
    let a = all(&first).await;
    assert_eq!(created(&a), t0);
    assert_eq!(modified(&a), t0 + 3_650);
    assert_eq!(modified(&a), epoch_secs(&sqs));
    // Reading or using the queue does not modify it.
    tokio::time::advance(Duration::from_secs(10)).await;
    first.send_message().message_body("x").send().await.unwrap();
    assert_eq!(modified(&all(&first).await), t0 + 3_650);
}

#[tokio::test(start_paused = true)]
async fn deleted_queues_have_no_attributes() {
    let sqs = Sqs::new();
    let q = standard(&sqs, "gone").await;
    q.delete_queue().send().await.unwrap();
    assert_err(
        q.get_queue_attributes().attribute_names("All").send().await,
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    );
    assert_err(
        q.set_queue_attributes()
            .attributes("DelaySeconds", "1")
            .send()
            .await,
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    );
    assert_err(
        sqs.get_queue_attributes()
            .queue_url(q.url())
            .attribute_names("All")
            .send()
            .await,
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
    );
}
