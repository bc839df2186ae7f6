//! Filter policies per subscription: attribute and body scope, validation, counters.

mod support;

use aws_lite_pubsub::MessageAttributeValue;
use support::{drain, queue, services};

#[tokio::test(start_paused = true)]
async fn each_subscription_gets_what_its_policy_matches() {
    let (sqs, sns) = services();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let sports = queue(&sqs, "sports").await;
    let big = queue(&sqs, "big").await;
    let eu = queue(&sqs, "eu").await;
    let all = queue(&sqs, "all").await;
    let sub = |q: &aws_lite_queue::Queue, policy: Option<(&str, &str)>| {
        let mut b = topic
            .subscribe()
            .protocol("sqs")
            .endpoint(q.arn())
            .attributes("RawMessageDelivery", "true");
        if let Some((scope, p)) = policy {
            b = b
                .attributes("FilterPolicy", p)
                .attributes("FilterPolicyScope", scope);
        }
        b.send()
    };
    sub(
        &sports,
        Some(("MessageAttributes", r#"{"interest": ["rugby", "soccer"]}"#)),
    )
    .await
    .unwrap();
    sub(
        &big,
        Some((
            "MessageAttributes",
            r#"{"total": [{"numeric": [">", 100]}]}"#,
        )),
    )
    .await
    .unwrap();
    sub(
        &eu,
        Some((
            "MessageBody",
            r#"{"order": {"region": [{"prefix": "eu-"}]}}"#,
        )),
    )
    .await
    .unwrap();
    sub(&all, None).await.unwrap();

    let publish = |body: &str, interest: &str, total: i64| {
        topic
            .publish()
            .message(body.to_string())
            .message_attributes("interest", MessageAttributeValue::string(interest))
            .message_attributes("total", MessageAttributeValue::number(total))
            .send()
    };
    publish(r#"{"order": {"region": "eu-west-1"}}"#, "rugby", 5)
        .await
        .unwrap();
    publish(r#"{"order": {"region": "us-east-1"}}"#, "chess", 500)
        .await
        .unwrap();
    publish("not json", "soccer", 101).await.unwrap();

    let bodies = |msgs: Vec<aws_lite_queue::operation::receive_message::Message>| {
        let mut b: Vec<String> = msgs.iter().map(|m| m.body().to_string()).collect();
        b.sort();
        b
    };
    assert_eq!(
        bodies(drain(&sports).await),
        ["not json", r#"{"order": {"region": "eu-west-1"}}"#]
    );
    assert_eq!(
        bodies(drain(&big).await),
        ["not json", r#"{"order": {"region": "us-east-1"}}"#]
    );
    assert_eq!(
        bodies(drain(&eu).await),
        [r#"{"order": {"region": "eu-west-1"}}"#]
    );
    assert_eq!(drain(&all).await.len(), 3);
    let m = topic.metrics();
    assert_eq!(m.number_of_notifications_delivered, 8);
    assert_eq!(m.number_of_notifications_filtered_out, 4);
}

#[tokio::test(start_paused = true)]
async fn invalid_policies_are_rejected_with_aws_messages_and_change_nothing() {
    let (sqs, sns) = services();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let q = queue(&sqs, "q").await;
    // Subscribe: prefixed "Attributes Reason: FilterPolicy:", nothing created.
    let e = topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes("FilterPolicy", r#"{"a": "b"}"#)
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidParameter");
    assert!(
        e.message()
            .starts_with("Invalid parameter: Attributes Reason: FilterPolicy: \"a\" must be an object or an array"),
        "{}",
        e.message()
    );
    assert!(
        topic
            .list_subscriptions_by_topic()
            .send()
            .await
            .unwrap()
            .subscriptions()
            .is_empty()
    );

    let sub = topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes("FilterPolicy", r#"{"kind": ["order"]}"#)
        .attributes("RawMessageDelivery", "true")
        .send()
        .await
        .unwrap();
    let arn = sub.subscription_arn().to_string();
    // SetSubscriptionAttributes: prefixed "FilterPolicy:", the old policy stays.
    let e = sns
        .set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("FilterPolicy")
        .attribute_value(r#"{"kind": [{"anything-but": {"suffix": "x"}}]}"#)
        .send()
        .await
        .unwrap_err();
    assert!(
        e.message().starts_with(
            "Invalid parameter: FilterPolicy: Unsupported anything-but pattern: suffix"
        ),
        "{}",
        e.message()
    );
    let attrs = sns
        .get_subscription_attributes()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        attrs.attribute("FilterPolicy"),
        Some(r#"{"kind": ["order"]}"#)
    );
    assert_eq!(
        attrs.attribute("FilterPolicyScope"),
        Some("MessageAttributes")
    );
    topic
        .publish()
        .message("o")
        .message_attributes("kind", MessageAttributeValue::string("order"))
        .send()
        .await
        .unwrap();
    assert_eq!(drain(&q).await.len(), 1);

    // Nested policies cannot move to the MessageAttributes scope.
    sns.set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("FilterPolicyScope")
        .attribute_value("MessageBody")
        .send()
        .await
        .unwrap();
    sns.set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("FilterPolicy")
        .attribute_value(r#"{"a": {"b": ["c"]}}"#)
        .send()
        .await
        .unwrap();
    let e = sns
        .set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("FilterPolicyScope")
        .attribute_value("MessageAttributes")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"
    );
    let e = sns
        .set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("FilterPolicyScope")
        .attribute_value("Body")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes"
    );
    topic
        .publish()
        .message(r#"{"a": {"b": "c"}}"#)
        .send()
        .await
        .unwrap();
    topic
        .publish()
        .message(r#"{"a": {"b": "d"}}"#)
        .send()
        .await
        .unwrap();
    let got = drain(&q).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body(), r#"{"a": {"b": "c"}}"#);

    // An empty policy removes filtering.
    sns.set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("FilterPolicy")
        .attribute_value("")
        .send()
        .await
        .unwrap();
    topic.publish().message("anything").send().await.unwrap();
    assert_eq!(drain(&q).await.len(), 1);
}
