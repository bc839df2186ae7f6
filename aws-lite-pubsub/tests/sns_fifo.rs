//! FIFO topics to FIFO queues: order per group, sequence numbers, deduplication.

mod support;

use std::time::Duration;

use aws_lite_core::fault::{FaultPlan, FaultRule};
use aws_lite_core::{Error, Rand};
use aws_lite_pubsub::{SNS_DELIVERY_ERROR, Sns, Topic};
use aws_lite_queue::MessageSystemAttributeName;
use aws_lite_queue::Sqs;
use serde_json::Value;
use support::{drain, queue, services, subscribe_queue};

async fn fifo_topic(sns: &Sns, content_dedup: bool) -> Topic {
    sns.create_topic()
        .name("orders.fifo")
        .attributes("FifoTopic", "true")
        .attributes("ContentBasedDeduplication", content_dedup.to_string())
        .send()
        .await
        .unwrap()
        .topic()
}

#[tokio::test(start_paused = true)]
async fn groups_arrive_in_order_with_ids_and_sequence_numbers() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "orders.fifo").await;
    let topic = fifo_topic(&sns, false).await;
    subscribe_queue(&topic, &q, false).await;
    let mut seqs = Vec::new();
    for i in 0..6 {
        let out = topic
            .publish()
            .message(format!("m{i}"))
            .message_group_id(if i % 2 == 0 { "a" } else { "b" })
            .message_deduplication_id(format!("d{i}"))
            .send()
            .await
            .unwrap();
        seqs.push(out.sequence_number().unwrap().parse::<u128>().unwrap());
    }
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let msgs = drain(&q).await;
    let mut by_group: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for m in &msgs {
        let group = m
            .attribute(MessageSystemAttributeName::MessageGroupId)
            .unwrap()
            .to_string();
        let dedup = m
            .attribute(MessageSystemAttributeName::MessageDeduplicationId)
            .unwrap()
            .to_string();
        let v: Value = serde_json::from_str(m.body()).unwrap();
        let body = v["Message"].as_str().unwrap().to_string();
        assert_eq!(dedup, format!("d{}", &body[1..]));
        by_group.entry(group).or_default().push(body);
    }
    assert_eq!(by_group["a"], ["m0", "m2", "m4"]);
    assert_eq!(by_group["b"], ["m1", "m3", "m5"]);
}

#[tokio::test(start_paused = true)]
async fn fifo_envelope_has_sequence_number_and_no_signature() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q.fifo").await;
    let topic = fifo_topic(&sns, true).await;
    subscribe_queue(&topic, &q, false).await;
    let out = topic
        .publish()
        .message("m")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(drain(&q).await[0].body()).unwrap();
    assert_eq!(v["SequenceNumber"], out.sequence_number().unwrap());
    assert_eq!(out.sequence_number().unwrap().len(), 20);
    for absent in ["Signature", "SignatureVersion", "SigningCertURL"] {
        assert!(v.get(absent).is_none(), "{absent}");
    }
    assert!(v["UnsubscribeURL"].is_string());
    assert_eq!(v.as_object().unwrap().len(), 7);
}

#[tokio::test(start_paused = true)]
async fn duplicates_within_five_minutes_are_accepted_not_delivered() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q.fifo").await;
    let topic = fifo_topic(&sns, true).await;
    subscribe_queue(&topic, &q, false).await;
    let first = topic
        .publish()
        .message("same")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    let dup = topic
        .publish()
        .message("same")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    assert_eq!(dup.message_id(), first.message_id());
    assert_eq!(dup.sequence_number(), first.sequence_number());
    assert_eq!(drain(&q).await.len(), 1);
    assert_eq!(topic.metrics().number_of_messages_published, 1);
    // After the window the same content is new again (and the queue's own window too).
    sns.clock().sleep(Duration::from_secs(301)).await;
    let again = topic
        .publish()
        .message("same")
        .message_group_id("g")
        .send()
        .await
        .unwrap();
    assert_ne!(again.message_id(), first.message_id());
    assert_eq!(drain(&q).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn dedup_scope_message_group_keeps_groups_apart() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q.fifo").await;
    let topic_scope = sns
        .create_topic()
        .name("topic-scope.fifo")
        .attributes("FifoTopic", "true")
        .send()
        .await
        .unwrap()
        .topic();
    let group_scope = sns
        .create_topic()
        .name("group-scope.fifo")
        .attributes("FifoTopic", "true")
        .attributes("FifoThroughputScope", "MessageGroup")
        .send()
        .await
        .unwrap()
        .topic();
    for t in [&topic_scope, &group_scope] {
        let a = t
            .publish()
            .message("x")
            .message_group_id("a")
            .message_deduplication_id("same")
            .send()
            .await
            .unwrap();
        let b = t
            .publish()
            .message("x")
            .message_group_id("b")
            .message_deduplication_id("same")
            .send()
            .await
            .unwrap();
        let deduped = a.message_id() == b.message_id();
        assert_eq!(deduped, t.name() == "topic-scope.fifo");
    }
    let _ = q;
}

#[tokio::test(start_paused = true)]
async fn a_retried_message_holds_back_its_group() {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let q = queue(&sqs, "q.fifo").await;
    let faults = FaultPlan::new(Rand::seeded(3)).with(
        SNS_DELIVERY_ERROR,
        FaultRule::next_calls(1).error(Error::internal("boom")),
    );
    let sns = Sns::builder().sqs(sqs.clone()).fault_plan(faults).build();
    let topic = fifo_topic(&sns, true).await;
    subscribe_queue(&topic, &q, false).await;
    for i in 0..3 {
        topic
            .publish()
            .message(format!("m{i}"))
            .message_group_id("g")
            .send()
            .await
            .unwrap();
    }
    sns.clock().sleep(Duration::from_millis(10)).await;
    let bodies: Vec<String> = drain(&q)
        .await
        .iter()
        .map(|m| {
            let v: Value = serde_json::from_str(m.body()).unwrap();
            v["Message"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(bodies, ["m0", "m1", "m2"]);
}

#[tokio::test(start_paused = true)]
async fn fifo_rules_on_publish_and_subscribe() {
    let (sqs, sns) = services();
    let topic = fifo_topic(&sns, false).await;
    let e = topic.publish().message("m").send().await.unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "InvalidParameter",
            "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
        )
    );
    let e = topic
        .publish()
        .message("m")
        .message_group_id("g")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
    );
    let standard = sns.create_topic().name("std").send().await.unwrap().topic();
    let fq = queue(&sqs, "f.fifo").await;
    let e = standard
        .subscribe()
        .protocol("sqs")
        .endpoint(fq.arn())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics"
    );
    let e = standard
        .publish()
        .message("m")
        .message_deduplication_id("d")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type"
    );
    let e = sns
        .create_topic()
        .name("nofifo")
        .attributes("FifoTopic", "true")
        .send()
        .await
        .unwrap_err();
    assert!(
        e.message()
            .starts_with("Invalid parameter: Fifo Topic names must end with .fifo")
    );
    // A standard queue may subscribe to a FIFO topic; it gets no group id.
    let sq = queue(&sqs, "plain").await;
    subscribe_queue(&topic, &sq, false).await;
    topic
        .publish()
        .message("m")
        .message_group_id("g")
        .message_deduplication_id("d")
        .send()
        .await
        .unwrap();
    let got = drain(&sq).await;
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .attribute(MessageSystemAttributeName::MessageGroupId)
            .is_none()
    );
}
