//! Publish and PublishBatch validation: SNS's codes and messages; bad input changes nothing.

mod support;

use aws_lite_pubsub::operation::publish_batch::PublishBatchRequestEntry;
use aws_lite_pubsub::{MessageAttributeValue, Sns};
use support::{drain, queue, services, subscribe_queue};

fn attr(data_type: &str, s: Option<&str>) -> MessageAttributeValue {
    MessageAttributeValue {
        data_type: data_type.into(),
        string_value: s.map(String::from),
        binary_value: None,
    }
}

#[tokio::test(start_paused = true)]
async fn publish_errors() {
    let sns = Sns::new();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let cases: Vec<(
        aws_lite_pubsub::operation::publish::PublishFluentBuilder,
        &str,
        &str,
    )> = vec![
        (
            topic.publish().message(""),
            "InvalidParameter",
            "Invalid parameter: Empty message",
        ),
        (
            topic.publish().message("m").subject(""),
            "InvalidParameter",
            "Invalid parameter: Subject",
        ),
        (
            topic.publish().message("m").subject("a\nb"),
            "InvalidParameter",
            "Invalid parameter: Subject",
        ),
        (
            topic.publish().message("x".repeat(262_145)),
            "InvalidParameter",
            "Invalid parameter: Message too long",
        ),
        (
            topic.publish().message("{}").message_structure("json"),
            "InvalidParameter",
            "Invalid parameter: Message Structure - No default entry in JSON message body",
        ),
        (
            topic.publish().message("nope").message_structure("json"),
            "InvalidParameter",
            "Invalid parameter: Message Structure - JSON message body failed to parse",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes("a", attr("Strin", Some("x"))),
            "ParameterValueInvalid",
            "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes("a", attr("String", Some(""))),
            "ParameterValueInvalid",
            "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes("a", attr("Number", Some("abc"))),
            "ParameterValueInvalid",
            "Could not cast message attribute 'a' value to number.",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes("a", attr("Binary", Some("x"))),
            "ParameterValueInvalid",
            "The message attribute 'a' with type 'Binary' must use field 'Binary'.",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes(".a", attr("String", Some("x"))),
            "ParameterValueInvalid",
            "Invalid message attribute name starting with character '.' was found.",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes("a..b", attr("String", Some("x"))),
            "ParameterValueInvalid",
            "Message attribute name can not have successive '.' character.",
        ),
        (
            topic
                .publish()
                .message("m")
                .message_attributes("a b", attr("String", Some("x"))),
            "ParameterValueInvalid",
            "Invalid non-alphanumeric character '#x20' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.",
        ),
        (
            sns.publish()
                .topic_arn("arn:aws:sns:us-east-1:000000000000:nope")
                .message("m"),
            "NotFound",
            "Topic does not exist",
        ),
        (
            sns.publish().topic_arn("nope").message("m"),
            "InvalidParameter",
            "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1",
        ),
        (
            sns.publish().message("m"),
            "InvalidParameter",
            "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
        ),
    ];
    for (builder, code, message) in cases {
        let e = builder.send().await.unwrap_err();
        assert_eq!((e.code(), e.message()), (code, message));
    }
    assert_eq!(topic.metrics().number_of_messages_published, 0);
    // The size limit counts attributes, and MaximumMessageSize moves it.
    let e = topic
        .publish()
        .message("x".repeat(262_140))
        .message_attributes("k", attr("String", Some("vv")))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: Message too long");
    topic
        .set_topic_attributes()
        .attribute_name("MaximumMessageSize")
        .attribute_value("1048576")
        .send()
        .await
        .unwrap();
    topic
        .publish()
        .message("x".repeat(300_000))
        .send()
        .await
        .unwrap();
    // TargetArn works like TopicArn.
    sns.publish()
        .target_arn(topic.arn())
        .message("m")
        .send()
        .await
        .unwrap();
    assert_eq!(topic.metrics().number_of_messages_published, 2);
}

#[tokio::test(start_paused = true)]
async fn batch_errors_fail_the_whole_request() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, false).await;
    let e = topic.publish_batch().send().await.unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "EmptyBatchRequest",
            "The batch request doesn't contain any entries."
        )
    );
    let mut b = topic.publish_batch();
    for i in 0..11 {
        b = b.publish_batch_request_entries(PublishBatchRequestEntry::new(format!("e{i}"), "m"));
    }
    let e = b.send().await.unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "TooManyEntriesInBatchRequest",
            "The batch request contains more entries than permissible."
        )
    );
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("x", "m"))
        .publish_batch_request_entries(PublishBatchRequestEntry::new("x", "m"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "BatchEntryIdsNotDistinct",
            "Two or more batch entries in the request have the same Id."
        )
    );
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("bad id", "m"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "InvalidBatchEntryId",
            "The Id of a batch entry in the batch request contains an impermissible character: bad id"
        )
    );
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("a".repeat(81), "m"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidBatchEntryId");
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("a", "x".repeat(200_000)))
        .publish_batch_request_entries(PublishBatchRequestEntry::new("b", "x".repeat(62_145)))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            "BatchRequestTooLong",
            "The length of all the messages put together is more than the limit."
        )
    );
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("ok", "m"))
        .publish_batch_request_entries(
            PublishBatchRequestEntry::new("bad", "m")
                .message_attributes("a", attr("Foo", Some("x"))),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "ParameterValueInvalid");
    // Nothing of the rejected batches was published.
    assert!(drain(&q).await.is_empty());
    assert_eq!(topic.metrics().number_of_messages_published, 0);
}

#[tokio::test(start_paused = true)]
async fn batch_reports_each_entry() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, false).await;
    let out = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("one", "first"))
        .publish_batch_request_entries(PublishBatchRequestEntry::new("two", ""))
        .publish_batch_request_entries(PublishBatchRequestEntry::new("three", "third").subject("s"))
        .send()
        .await
        .unwrap();
    let ok: Vec<&str> = out.successful().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ok, ["one", "three"]);
    assert_eq!(out.failed().len(), 1);
    let f = &out.failed()[0];
    assert_eq!(
        (
            f.id.as_str(),
            f.code.as_str(),
            f.message.as_str(),
            f.sender_fault
        ),
        (
            "two",
            "InvalidParameter",
            "Invalid parameter: Empty message",
            true
        )
    );
    assert_eq!(drain(&q).await.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn fifo_batch_has_sequence_numbers_in_order() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q.fifo").await;
    let topic = sns
        .create_topic()
        .name("t.fifo")
        .attributes("FifoTopic", "true")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap()
        .topic();
    subscribe_queue(&topic, &q, false).await;
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(PublishBatchRequestEntry::new("a", "m"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: The MessageGroupId parameter is required for FIFO topics"
    );
    let out = topic
        .publish_batch()
        .publish_batch_request_entries(
            PublishBatchRequestEntry::new("a", "m1").message_group_id("g"),
        )
        .publish_batch_request_entries(
            PublishBatchRequestEntry::new("b", "m2").message_group_id("g"),
        )
        .send()
        .await
        .unwrap();
    let seqs: Vec<u128> = out
        .successful()
        .iter()
        .map(|s| s.sequence_number.as_deref().unwrap().parse().unwrap())
        .collect();
    assert!(seqs[0] < seqs[1]);
    let bodies: Vec<String> = drain(&q)
        .await
        .iter()
        .map(|m| {
            serde_json::from_str::<serde_json::Value>(m.body()).unwrap()["Message"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(bodies, ["m1", "m2"]);
}
