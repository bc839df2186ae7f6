//! Message move tasks (dead-letter queue redrive): destinations, rate on virtual time,
//! cancellation, one active task per source, failures and errors.

use std::time::Duration;

use aws_lite_core::Clock as _;
use aws_lite_queue::operation::list_message_move_tasks::MessageMoveTaskStatus;
use aws_lite_queue::{MessageAttributeValue, MessageSystemAttributeName, Queue, Sqs};

/// A queue named `name` whose dead-letter queue is `dlq` (maxReceiveCount 1, visibility 0, so
/// the second receive of a message dead-letters it).
async fn source_of(sqs: &Sqs, name: &str, dlq: &Queue) -> Queue {
    let mut create = sqs
        .create_queue()
        .queue_name(name)
        .attributes("VisibilityTimeout", "0");
    if dlq.is_fifo() {
        create = create
            .attributes("FifoQueue", "true")
            .attributes("ContentBasedDeduplication", "true");
    }
    let q = create.send().await.unwrap().queue();
    q.set_queue_attributes()
        .attributes(
            "RedrivePolicy",
            format!(
                r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":1}}"#,
                dlq.arn()
            ),
        )
        .send()
        .await
        .unwrap();
    q
}

async fn queue(sqs: &Sqs, name: &str) -> Queue {
    let mut create = sqs.create_queue().queue_name(name);
    if name.ends_with(".fifo") {
        create = create
            .attributes("FifoQueue", "true")
            .attributes("ContentBasedDeduplication", "true");
    }
    create.send().await.unwrap().queue()
}

/// Sends `bodies` to `source` and receives until they are all in `dlq`.
async fn dead_letter(source: &Queue, dlq: &Queue, bodies: &[String]) {
    let before = dlq.metrics().approximate_number_of_messages_visible;
    for b in bodies {
        let mut send = source.send_message().message_body(b.clone());
        if source.is_fifo() {
            send = send.message_group_id("g");
        }
        send.send().await.unwrap();
    }
    let want = before + bodies.len() as u64;
    for _ in 0..1000 {
        if dlq.metrics().approximate_number_of_messages_visible >= want {
            return;
        }
        source
            .receive_message()
            .max_number_of_messages(10)
            .send()
            .await
            .unwrap();
    }
    panic!("messages did not reach the dead-letter queue");
}

fn bodies(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

fn visible(q: &Queue) -> u64 {
    q.metrics().approximate_number_of_messages_visible
}

async fn pause(sqs: &Sqs, d: Duration) {
    sqs.clock().sleep(d).await;
}

async fn latest(
    dlq: &Queue,
) -> aws_lite_queue::operation::list_message_move_tasks::ListMessageMoveTasksResultEntry {
    dlq.list_message_move_tasks()
        .send()
        .await
        .unwrap()
        .into_results()
        .remove(0)
}

#[tokio::test(start_paused = true)]
async fn redrive_returns_messages_to_their_original_sources() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let a = source_of(&sqs, "a", &dlq).await;
    let b = source_of(&sqs, "b", &dlq).await;
    dead_letter(&a, &dlq, &bodies("a", 3)).await;
    dead_letter(&b, &dlq, &bodies("b", 2)).await;
    assert_eq!(visible(&dlq), 5);
    let in_dlq = dlq
        .receive_message()
        .max_number_of_messages(1)
        .visibility_timeout(0)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap();
    let dead_id = in_dlq.messages()[0].message_id();

    let started_ms = sqs.clock().epoch_millis(sqs.clock().now());
    let out = dlq.start_message_move_task().send().await.unwrap();
    assert!(!out.task_handle().is_empty());
    pause(&sqs, Duration::from_millis(100)).await;

    assert_eq!(visible(&a), 3);
    assert_eq!(visible(&b), 2);
    assert_eq!(visible(&dlq), 0);
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Completed);
    assert_eq!(task.approximate_number_of_messages_moved(), 5);
    assert_eq!(task.approximate_number_of_messages_to_move(), Some(5));
    assert_eq!(task.source_arn(), dlq.arn());
    assert_eq!(task.destination_arn(), None);
    assert_eq!(task.max_number_of_messages_per_second(), None);
    assert_eq!(
        task.task_handle(),
        None,
        "only running tasks show their handle"
    );
    assert_eq!(task.failure_reason(), None);
    assert_eq!(task.started_timestamp(), started_ms as i64);

    // A moved message is a new message: new id, receive count from 0, no DLQ source.
    let back = a
        .receive_message()
        .max_number_of_messages(10)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap();
    let mut got: Vec<&str> = back.messages().iter().map(|m| m.body()).collect();
    got.sort_unstable();
    assert_eq!(got, ["a-0", "a-1", "a-2"]);
    for m in back.messages() {
        assert_ne!(m.message_id(), dead_id);
        assert_eq!(
            m.attribute(MessageSystemAttributeName::ApproximateReceiveCount),
            Some("1")
        );
        assert_eq!(
            m.attribute(MessageSystemAttributeName::DeadLetterQueueSourceArn),
            None
        );
    }
}

#[tokio::test(start_paused = true)]
async fn redrive_to_an_explicit_destination_keeps_body_and_attributes() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    let dest = queue(&sqs, "dest").await;
    src.send_message()
        .message_body("with-attrs")
        .message_attributes("color", MessageAttributeValue::string("blue"))
        .send()
        .await
        .unwrap();
    dead_letter(&src, &dlq, &bodies("m", 4)).await;
    assert_eq!(visible(&dlq), 5);

    dlq.start_message_move_task()
        .destination_arn(dest.arn())
        .max_number_of_messages_per_second(100)
        .send()
        .await
        .unwrap();
    pause(&sqs, Duration::from_secs(1)).await;

    assert_eq!(visible(&dest), 5);
    assert_eq!(visible(&src), 0);
    assert_eq!(visible(&dlq), 0);
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Completed);
    assert_eq!(task.destination_arn(), Some(dest.arn()));
    assert_eq!(task.max_number_of_messages_per_second(), Some(100));
    let got = dest
        .receive_message()
        .max_number_of_messages(10)
        .message_attribute_names("All")
        .send()
        .await
        .unwrap();
    let tagged: Vec<_> = got
        .messages()
        .iter()
        .filter(|m| m.body() == "with-attrs")
        .collect();
    assert_eq!(tagged.len(), 1);
    let attrs = tagged[0].message_attributes().unwrap();
    assert_eq!(attrs["color"].string_value.as_deref(), Some("blue"));
}

#[tokio::test(start_paused = true)]
async fn rate_is_kept_on_virtual_time() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    let dest = queue(&sqs, "dest").await;
    dead_letter(&src, &dlq, &bodies("m", 100)).await;

    let t0 = sqs.clock().now();
    dlq.start_message_move_task()
        .destination_arn(dest.arn())
        .max_number_of_messages_per_second(10)
        .send()
        .await
        .unwrap();
    // Message k moves at k/10 s: by 5.05 s, messages 0..=50 have moved.
    pause(&sqs, Duration::from_millis(5_050)).await;
    assert_eq!(visible(&dest), 51);
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Running);
    assert_eq!(task.approximate_number_of_messages_moved(), 51);
    assert_eq!(task.approximate_number_of_messages_to_move(), Some(100));
    assert!(task.task_handle().is_some());

    // The last one moves at 9.9 s, and the task completes with it.
    sqs.clock()
        .sleep_until(t0 + Duration::from_millis(9_850))
        .await;
    assert_eq!(latest(&dlq).await.status(), MessageMoveTaskStatus::Running);
    assert_eq!(visible(&dest), 99);
    sqs.clock()
        .sleep_until(t0 + Duration::from_millis(9_950))
        .await;
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Completed);
    assert_eq!(task.approximate_number_of_messages_moved(), 100);
    assert_eq!(visible(&dest), 100);
    assert_eq!(visible(&dlq), 0);
}

#[tokio::test(start_paused = true)]
async fn default_rate_is_the_maximum_rate() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    dead_letter(&src, &dlq, &bodies("m", 1000)).await;
    let t0 = sqs.clock().now();
    dlq.start_message_move_task().send().await.unwrap();
    // 500 per second: message 999 moves at 1.998 s.
    sqs.clock()
        .sleep_until(t0 + Duration::from_millis(1_010))
        .await;
    let moved = latest(&dlq).await.approximate_number_of_messages_moved();
    assert!(
        (500..=510).contains(&moved),
        "moved {moved} in the first second"
    );
    sqs.clock()
        .sleep_until(t0 + Duration::from_millis(2_000))
        .await;
    assert_eq!(
        latest(&dlq).await.status(),
        MessageMoveTaskStatus::Completed
    );
    assert_eq!(visible(&src), 1000);
}

#[tokio::test(start_paused = true)]
async fn cancel_stops_a_running_task() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    let dest = queue(&sqs, "dest").await;
    dead_letter(&src, &dlq, &bodies("m", 10)).await;
    let handle = dlq
        .start_message_move_task()
        .destination_arn(dest.arn())
        .max_number_of_messages_per_second(1)
        .send()
        .await
        .unwrap()
        .task_handle()
        .to_string();
    assert_eq!(latest(&dlq).await.task_handle(), Some(handle.as_str()));
    pause(&sqs, Duration::from_millis(2_500)).await; // moves at 0, 1 and 2 s
    let cancelled = sqs
        .cancel_message_move_task()
        .task_handle(&handle)
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.approximate_number_of_messages_moved(), 3);
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Cancelled);
    assert_eq!(task.approximate_number_of_messages_moved(), 3);
    assert_eq!(task.task_handle(), None);

    pause(&sqs, Duration::from_secs(20)).await;
    assert_eq!(visible(&dest), 3, "nothing moves after the cancel");
    assert_eq!(visible(&dlq), 7);

    // Only a running task can be cancelled.
    let err = sqs
        .cancel_message_move_task()
        .task_handle(&handle)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");

    // The source is free for a new task.
    dlq.start_message_move_task()
        .destination_arn(dest.arn())
        .send()
        .await
        .unwrap();
    pause(&sqs, Duration::from_secs(1)).await;
    assert_eq!(visible(&dest), 10);
}

#[tokio::test(start_paused = true)]
async fn one_active_task_per_source() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    dead_letter(&src, &dlq, &bodies("m", 5)).await;
    dlq.start_message_move_task()
        .max_number_of_messages_per_second(1)
        .send()
        .await
        .unwrap();
    let err = dlq.start_message_move_task().send().await.unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "There is already a task running. Only one active task is allowed for a source queue arn at a given time."
    );
    // Once it has completed, another may start; the list keeps both, newest first.
    pause(&sqs, Duration::from_secs(5)).await;
    assert_eq!(
        latest(&dlq).await.status(),
        MessageMoveTaskStatus::Completed
    );
    dlq.start_message_move_task().send().await.unwrap();
    pause(&sqs, Duration::from_secs(1)).await;
    let all = dlq
        .list_message_move_tasks()
        .max_results(10)
        .send()
        .await
        .unwrap();
    assert_eq!(all.results().len(), 2);
    assert_eq!(all.results()[0].max_number_of_messages_per_second(), None);
    assert_eq!(
        all.results()[1].max_number_of_messages_per_second(),
        Some(1)
    );
    assert!(all.results()[0].started_timestamp() > all.results()[1].started_timestamp());
    assert_eq!(
        dlq.list_message_move_tasks()
            .send()
            .await
            .unwrap()
            .results()
            .len(),
        1,
        "MaxResults defaults to 1"
    );
}

#[tokio::test(start_paused = true)]
async fn fifo_redrive_keeps_group_order() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq.fifo").await;
    let src = source_of(&sqs, "src.fifo", &dlq).await;
    dead_letter(&src, &dlq, &bodies("m", 5)).await;
    dlq.start_message_move_task().send().await.unwrap();
    pause(&sqs, Duration::from_secs(1)).await;
    let got = src
        .receive_message()
        .max_number_of_messages(10)
        .message_system_attribute_names("All")
        .send()
        .await
        .unwrap();
    let order: Vec<&str> = got.messages().iter().map(|m| m.body()).collect();
    assert_eq!(order, ["m-0", "m-1", "m-2", "m-3", "m-4"]);
    assert!(
        got.messages()
            .iter()
            .all(|m| { m.attribute(MessageSystemAttributeName::MessageGroupId) == Some("g") })
    );
}

#[tokio::test(start_paused = true)]
async fn a_message_without_a_source_fails_the_task() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    dead_letter(&src, &dlq, &bodies("m", 2)).await;
    // Sent straight to the DLQ: it has no DeadLetterQueueSourceArn.
    dlq.send_message()
        .message_body("orphan")
        .send()
        .await
        .unwrap();
    dlq.start_message_move_task().send().await.unwrap();
    pause(&sqs, Duration::from_secs(1)).await;
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Failed);
    assert_eq!(
        task.failure_reason(),
        Some("CouldNotDetermineMessageSource")
    );
    assert_eq!(task.approximate_number_of_messages_moved(), 2);
    assert_eq!(visible(&src), 2);
    assert_eq!(
        visible(&dlq),
        1,
        "the orphan stays in the dead-letter queue"
    );
}

#[tokio::test(start_paused = true)]
async fn deleting_the_destination_fails_the_task() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    let dest = queue(&sqs, "dest").await;
    dead_letter(&src, &dlq, &bodies("m", 10)).await;
    dlq.start_message_move_task()
        .destination_arn(dest.arn())
        .max_number_of_messages_per_second(1)
        .send()
        .await
        .unwrap();
    pause(&sqs, Duration::from_millis(2_500)).await;
    dest.delete_queue().send().await.unwrap();
    pause(&sqs, Duration::from_secs(2)).await;
    let task = latest(&dlq).await;
    assert_eq!(task.status(), MessageMoveTaskStatus::Failed);
    assert_eq!(
        task.failure_reason(),
        Some("AWS.SimpleQueueService.NonExistentQueue")
    );
    assert_eq!(task.approximate_number_of_messages_moved(), 3);
    assert_eq!(visible(&dlq), 7);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_service_stops_the_mover() {
    let metrics = tokio::runtime::Handle::current().metrics();
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let src = source_of(&sqs, "src", &dlq).await;
    dead_letter(&src, &dlq, &bodies("m", 10)).await;
    let before = metrics.num_alive_tasks();
    dlq.start_message_move_task()
        .max_number_of_messages_per_second(1)
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.num_alive_tasks(), before + 1);
    drop((sqs, dlq, src));
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(metrics.num_alive_tasks(), before);
}

#[tokio::test(start_paused = true)]
async fn start_errors() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let _src = source_of(&sqs, "src", &dlq).await;
    let plain = queue(&sqs, "plain").await;
    let fifo = queue(&sqs, "other.fifo").await;

    let err = plain.start_message_move_task().send().await.unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(
        err.message(),
        "Source queue must be configured as a Dead Letter Queue."
    );

    let missing = "arn:aws:sqs:us-east-1:000000000000:missing";
    let err = sqs
        .start_message_move_task()
        .source_arn(missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(err.status(), 404);
    assert_eq!(
        err.message(),
        "The resource that you specified for the SourceArn parameter doesn't exist."
    );

    let err = dlq
        .start_message_move_task()
        .destination_arn(missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(
        err.message(),
        "The resource that you specified for the DestinationArn parameter doesn't exist."
    );

    for rate in [0, 501] {
        let err = dlq
            .start_message_move_task()
            .max_number_of_messages_per_second(rate)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidParameterValue", "rate {rate}");
    }

    let err = dlq
        .start_message_move_task()
        .destination_arn(dlq.arn())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");

    let err = dlq
        .start_message_move_task()
        .destination_arn(fifo.arn())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "The source queue and destination queue must be of the same queue type."
    );

    let err = sqs
        .start_message_move_task()
        .source_arn("not-an-arn")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");

    let err = sqs.start_message_move_task().send().await.unwrap_err();
    assert_eq!(err.code(), "MissingParameter");

    // Nothing was started by the failed calls.
    assert!(
        dlq.list_message_move_tasks()
            .send()
            .await
            .unwrap()
            .results()
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn cancel_and_list_errors() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;

    let err = sqs
        .cancel_message_move_task()
        .task_handle("foobared")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "InvalidParameterValue");
    assert_eq!(err.message(), "Value for parameter TaskHandle is invalid.");

    // A well-formed handle (base64 of the task id and source ARN) naming no task.
    use base64::Engine as _;
    let forged = |arn: &str| {
        base64::engine::general_purpose::STANDARD.encode(format!(
            r#"{{"taskId":"10f57157-fc38-4da9-a113-4de7e12d05aa","sourceArn":"{arn}"}}"#
        ))
    };
    let err = sqs
        .cancel_message_move_task()
        .task_handle(forged(dlq.arn()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(err.message(), "Task does not exist.");
    let err = sqs
        .cancel_message_move_task()
        .task_handle(forged("arn:aws:sqs:us-east-1:000000000000:gone"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.message(),
        "The resource that you specified for the SourceArn parameter doesn't exist."
    );

    for n in [0, 11] {
        let err = dlq
            .list_message_move_tasks()
            .max_results(n)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.code(), "InvalidParameterValue", "MaxResults {n}");
    }
    let err = sqs
        .list_message_move_tasks()
        .source_arn("arn:aws:sqs:us-east-1:000000000000:gone")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), "ResourceNotFoundException");
    assert_eq!(err.status(), 404);
}

#[test]
fn start_outside_a_runtime_is_an_error_not_a_panic() {
    let sqs = Sqs::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let dlq = rt.block_on(async {
        let dlq = queue(&sqs, "dlq").await;
        let src = source_of(&sqs, "src", &dlq).await;
        dead_letter(&src, &dlq, &bodies("m", 1)).await;
        dlq
    });
    let err = futures_util::FutureExt::now_or_never(dlq.start_message_move_task().send())
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code(), "AWS.SimpleQueueService.UnsupportedOperation");
}
