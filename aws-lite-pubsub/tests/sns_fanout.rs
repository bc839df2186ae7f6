//! Fan-out from a topic to SQS queues, with and without raw delivery: the exact envelope.

mod support;

use aws_lite_core::Clock;
use aws_lite_pubsub::{MessageAttributeValue, MessageAttributes};
use aws_lite_queue::MessageAttributeValue as SqsValue;
use serde_json::Value;
use support::{drain, queue, services, subscribe_queue};

#[tokio::test(start_paused = true)]
async fn envelope_has_every_field_exactly() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let sub = topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .send()
        .await
        .unwrap();
    let out = topic
        .publish()
        .message("hello \"world\"")
        .subject("greeting")
        .message_attributes("color", MessageAttributeValue::string("red"))
        .message_attributes("n", MessageAttributeValue::number(42))
        .message_attributes("blob", MessageAttributeValue::binary(vec![1u8, 2, 3]))
        .send()
        .await
        .unwrap();
    let msgs = drain(&q).await;
    assert_eq!(msgs.len(), 1);
    // Non-raw deliveries carry no SQS message attributes.
    assert!(msgs[0].message_attributes().is_none_or(|a| a.is_empty()));
    let body = msgs[0].body();
    // Keys in AWS's order.
    let order = [
        "\"Type\"",
        "\"MessageId\"",
        "\"TopicArn\"",
        "\"Subject\"",
        "\"Message\"",
        "\"Timestamp\"",
        "\"SignatureVersion\"",
        "\"Signature\"",
        "\"SigningCertURL\"",
        "\"UnsubscribeURL\"",
        "\"MessageAttributes\"",
    ];
    let positions: Vec<usize> = order.iter().map(|k| body.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{body}");
    let v: Value = serde_json::from_str(body).unwrap();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 11);
    assert_eq!(v["Type"], "Notification");
    assert_eq!(v["MessageId"], out.message_id());
    assert_eq!(v["TopicArn"], topic.arn());
    assert_eq!(v["Subject"], "greeting");
    assert_eq!(v["Message"], "hello \"world\"");
    let wall = sns.clock().epoch_millis(sns.clock().now());
    let ts = v["Timestamp"].as_str().unwrap();
    assert_eq!(ts.len(), 24);
    assert!(ts.ends_with('Z') && ts.as_bytes()[10] == b'T');
    // The clock's wall time, to the second (nothing advanced the clock).
    assert_eq!(&ts[17..19], &format!("{:02}", (wall / 1000) % 60));
    assert_eq!(v["SignatureVersion"], "1");
    assert!(!v["Signature"].as_str().unwrap().is_empty());
    assert_eq!(
        v["SigningCertURL"],
        "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-aws-lite.pem"
    );
    assert_eq!(
        v["UnsubscribeURL"],
        format!(
            "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={}",
            sub.subscription_arn()
        )
    );
    assert_eq!(
        v["MessageAttributes"],
        serde_json::json!({
            "blob": {"Type": "Binary", "Value": "AQID"},
            "color": {"Type": "String", "Value": "red"},
            "n": {"Type": "Number", "Value": "42"},
        })
    );
}

#[tokio::test(start_paused = true)]
async fn envelope_omits_subject_and_attributes_when_absent() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, false).await;
    topic.publish().message("m").send().await.unwrap();
    let v: Value = serde_json::from_str(drain(&q).await[0].body()).unwrap();
    assert!(v.get("Subject").is_none());
    assert!(v.get("MessageAttributes").is_none());
    assert_eq!(v.as_object().unwrap().len(), 9);
}

#[tokio::test(start_paused = true)]
async fn fan_out_reaches_every_queue_once() {
    let (sqs, sns) = services();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let mut queues = Vec::new();
    for i in 0..5 {
        let q = queue(&sqs, &format!("q{i}")).await;
        subscribe_queue(&topic, &q, false).await;
        queues.push(q);
    }
    for i in 0..3 {
        topic
            .publish()
            .message(format!("m{i}"))
            .send()
            .await
            .unwrap();
    }
    for q in &queues {
        let mut got: Vec<String> = drain(q)
            .await
            .iter()
            .map(|m| {
                let v: Value = serde_json::from_str(m.body()).unwrap();
                v["Message"].as_str().unwrap().to_string()
            })
            .collect();
        got.sort();
        assert_eq!(got, ["m0", "m1", "m2"]);
    }
    let m = topic.metrics();
    assert_eq!(m.number_of_messages_published, 3);
    assert_eq!(m.number_of_notifications_delivered, 15);
    assert_eq!(m.number_of_notifications_failed, 0);
}

#[tokio::test(start_paused = true)]
async fn raw_delivery_sends_body_and_attributes_as_sqs_attributes() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "raw").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, true).await;
    topic
        .publish()
        .message("{\"plain\": true}")
        .subject("ignored in raw")
        .message_attributes("color", MessageAttributeValue::string("red"))
        .message_attributes(
            "tags",
            MessageAttributeValue {
                data_type: "String.Array".into(),
                string_value: Some("[\"a\",\"b\"]".into()),
                binary_value: None,
            },
        )
        .send()
        .await
        .unwrap();
    let msgs = drain(&q).await;
    assert_eq!(msgs[0].body(), "{\"plain\": true}");
    let attrs = msgs[0].message_attributes().unwrap();
    assert_eq!(attrs.get("color"), Some(&SqsValue::string("red")));
    assert_eq!(attrs.get("tags").unwrap().data_type, "String.Array");
    assert_eq!(attrs.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn raw_delivery_with_more_than_ten_attributes_is_a_client_error_to_the_dlq() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "raw").await;
    let dlq = queue(&sqs, "dlq").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes("RawMessageDelivery", "true")
        .attributes(
            "RedrivePolicy",
            format!("{{\"deadLetterTargetArn\":\"{}\"}}", dlq.arn()),
        )
        .send()
        .await
        .unwrap();
    let mut attrs = MessageAttributes::new();
    for i in 0..11 {
        attrs.insert(format!("a{i}"), MessageAttributeValue::string("v"));
    }
    topic
        .publish()
        .message("too many")
        .set_message_attributes(Some(attrs.clone()))
        .send()
        .await
        .unwrap();
    assert!(drain(&q).await.is_empty());
    let dead = drain(&dlq).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body(), "too many");
    let m = topic.metrics();
    assert_eq!(m.number_of_notifications_failed, 1);
    assert_eq!(m.number_of_notifications_redriven_to_dlq, 1);
    // Ten attributes are fine.
    attrs.remove("a0");
    topic
        .publish()
        .message("ten")
        .set_message_attributes(Some(attrs))
        .send()
        .await
        .unwrap();
    let got = drain(&q).await;
    assert_eq!(got[0].message_attributes().unwrap().len(), 10);
}

#[tokio::test(start_paused = true)]
async fn message_structure_json_sends_each_protocol_its_message() {
    let (sqs, sns) = services();
    let raw = queue(&sqs, "raw").await;
    let wrapped = queue(&sqs, "wrapped").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &raw, true).await;
    subscribe_queue(&topic, &wrapped, false).await;
    let mut stream = sns.create_stream_endpoint();
    topic
        .subscribe()
        .protocol("application")
        .endpoint(stream.endpoint_arn())
        .send()
        .await
        .unwrap();
    topic
        .publish()
        .message(r#"{"default": "for everyone", "sqs": "for queues"}"#)
        .message_structure("json")
        .message_attributes("a", MessageAttributeValue::string("x"))
        .send()
        .await
        .unwrap();
    let r = drain(&raw).await;
    assert_eq!(r[0].body(), "for queues");
    // Attributes are not sent with MessageStructure=json.
    assert!(r[0].message_attributes().is_none_or(|a| a.is_empty()));
    let v: Value = serde_json::from_str(drain(&wrapped).await[0].body()).unwrap();
    assert_eq!(v["Message"], "for queues");
    assert!(v.get("MessageAttributes").is_none());
    assert_eq!(stream.try_recv().unwrap().message, "for everyone");
}

#[tokio::test(start_paused = true)]
async fn stream_endpoint_receives_envelope_and_fields() {
    let (_, sns) = services();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let mut stream = sns.create_stream_endpoint();
    let sub = topic
        .subscribe()
        .protocol("application")
        .endpoint(stream.endpoint_arn())
        .send()
        .await
        .unwrap();
    let out = topic
        .publish()
        .message("hi")
        .message_attributes("k", MessageAttributeValue::string("v"))
        .send()
        .await
        .unwrap();
    let n = stream.recv().await.unwrap();
    assert_eq!(n.message_id, out.message_id());
    assert_eq!(n.subscription_arn, sub.subscription_arn());
    assert_eq!(n.message_attributes.len(), 1);
    let v: Value = serde_json::from_str(&n.body).unwrap();
    assert_eq!(v["Message"], "hi");
    assert_eq!(v["Timestamp"], n.timestamp);
    // A dropped stream is a client error: counted as failed.
    drop(stream);
    topic.publish().message("lost").send().await.unwrap();
    assert_eq!(topic.metrics().number_of_notifications_failed, 1);
}
