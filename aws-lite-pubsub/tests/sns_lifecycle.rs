//! Topic and subscription lifecycle: create, attributes, list paging, tags, delete.

mod support;

use aws_lite_pubsub::Sns;
use aws_lite_pubsub::limits::Limits;
use aws_lite_pubsub::types::Tag;
use support::{queue, services};

#[tokio::test(start_paused = true)]
async fn create_is_idempotent_on_same_attributes() {
    let sns = Sns::new();
    let a = sns
        .create_topic()
        .name("t")
        .attributes("DisplayName", "x")
        .send()
        .await
        .unwrap();
    let b = sns
        .create_topic()
        .name("t")
        .attributes("DisplayName", "x")
        .send()
        .await
        .unwrap();
    assert_eq!(a.topic_arn(), b.topic_arn());
    assert_eq!(a.topic_arn(), "arn:aws:sns:us-east-1:000000000000:t");
    let e = sns
        .create_topic()
        .name("t")
        .attributes("DisplayName", "y")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Attributes Reason: Topic already exists with different attributes"
    );
    let e = sns
        .create_topic()
        .name("t")
        .tags(Tag::new("k", "v"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Tags Reason: Topic already exists with different tags"
    );
    for bad in ["", "a b", "x.fifo", &"a".repeat(257)] {
        let e = sns.create_topic().name(bad).send().await.unwrap_err();
        assert_eq!(
            (e.code(), e.message()),
            ("InvalidParameter", "Invalid parameter: Topic Name")
        );
    }
    let e = sns
        .create_topic()
        .name("u")
        .attributes("Bogus", "1")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: AttributeName");
    let e = sns
        .create_topic()
        .name("u")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidParameter");
    assert_eq!(sns.list_topics().send().await.unwrap().topics().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn topic_attributes_read_and_write() {
    let sns = Sns::new();
    let t = sns
        .create_topic()
        .name("t.fifo")
        .attributes("FifoTopic", "true")
        .send()
        .await
        .unwrap()
        .topic();
    let a = t.get_topic_attributes().send().await.unwrap();
    assert_eq!(a.attribute("TopicArn"), Some(t.arn()));
    assert_eq!(a.attribute("Owner"), Some("000000000000"));
    assert_eq!(a.attribute("FifoTopic"), Some("true"));
    assert_eq!(a.attribute("ContentBasedDeduplication"), Some("false"));
    assert_eq!(a.attribute("SubscriptionsConfirmed"), Some("0"));
    assert_eq!(a.attribute("DisplayName"), Some(""));
    let policy: serde_json::Value = serde_json::from_str(a.attribute("Policy").unwrap()).unwrap();
    assert_eq!(policy["Statement"][0]["Resource"], t.arn());
    t.set_topic_attributes()
        .attribute_name("ContentBasedDeduplication")
        .attribute_value("true")
        .send()
        .await
        .unwrap();
    t.set_topic_attributes()
        .attribute_name("DisplayName")
        .attribute_value("Orders")
        .send()
        .await
        .unwrap();
    let e = t
        .set_topic_attributes()
        .attribute_name("FifoTopic")
        .attribute_value("false")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: AttributeName");
    let e = t
        .set_topic_attributes()
        .attribute_name("MaximumMessageSize")
        .attribute_value("10")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidParameter");
    let a = t.get_topic_attributes().send().await.unwrap();
    assert_eq!(a.attribute("ContentBasedDeduplication"), Some("true"));
    assert_eq!(a.attribute("DisplayName"), Some("Orders"));
    assert!(a.attribute("MaximumMessageSize").is_none());
}

#[tokio::test(start_paused = true)]
async fn list_topics_pages_by_the_limit() {
    let mut limits = Limits::default();
    limits.list_page_size = 3;
    let sns = Sns::builder().limits(limits).build();
    for i in 0..7 {
        sns.create_topic()
            .name(format!("t{i}"))
            .send()
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = sns
            .list_topics()
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.topics().len() <= 3);
        seen.extend(page.topics().iter().map(|t| t.topic_arn.clone()));
        token = page.next_token().map(String::from);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen.len(), 7);
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, seen);
    let e = sns.list_topics().next_token("!!").send().await.unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: NextToken");
}

#[tokio::test(start_paused = true)]
async fn default_page_is_one_hundred() {
    let sns = Sns::new();
    for i in 0..101 {
        sns.create_topic()
            .name(format!("t{i:03}"))
            .send()
            .await
            .unwrap();
    }
    let p = sns.list_topics().send().await.unwrap();
    assert_eq!(p.topics().len(), 100);
    let p2 = sns
        .list_topics()
        .next_token(p.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(p2.topics().len(), 1);
    assert!(p2.next_token().is_none());
}

#[tokio::test(start_paused = true)]
async fn subscriptions_lifecycle_and_delete_topic() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let t = sns.create_topic().name("t").send().await.unwrap().topic();
    let s1 = t
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .send()
        .await
        .unwrap();
    // Same endpoint again: the same subscription.
    let s2 = t
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(s1.subscription_arn(), s2.subscription_arn());
    let e = t
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes("RawMessageDelivery", "true")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Attributes Reason: Subscription already exists with different attributes"
    );
    let e = t
        .subscribe()
        .protocol("carrier-pigeon")
        .endpoint("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon"
    );
    let e = t
        .subscribe()
        .protocol("sqs")
        .endpoint("queue")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: SQS endpoint ARN");
    let e = t
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes("Colour", "blue")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Attributes Reason: AttributeName"
    );
    let arn = s1.subscription_arn().to_string();
    let e = sns
        .set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("RawMessageDelivery")
        .attribute_value("maybe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false."
    );
    let e = sns
        .set_subscription_attributes()
        .subscription_arn(&arn)
        .attribute_name("RedrivePolicy")
        .attribute_value(r#"{"deadLetterTargetArn": "nope"}"#)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn"
    );
    let a = sns
        .get_subscription_attributes()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(a.attribute("RawMessageDelivery"), Some("false"));
    assert_eq!(a.attribute("PendingConfirmation"), Some("false"));
    assert_eq!(a.attribute("Protocol"), Some("sqs"));
    assert_eq!(a.attribute("Endpoint"), Some(q.arn()));
    assert!(a.attribute("RedrivePolicy").is_none());
    assert_eq!(
        sns.list_subscriptions()
            .send()
            .await
            .unwrap()
            .subscriptions()
            .len(),
        1
    );

    sns.unsubscribe()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    // Idempotent; malformed ARNs are not.
    sns.unsubscribe()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap();
    let e = sns
        .unsubscribe()
        .subscription_arn("arn:aws:sns:us-east-1:000000000000:t")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: SubscriptionId");
    let e = sns
        .get_subscription_attributes()
        .subscription_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("NotFound", "Subscription does not exist")
    );
    assert!(
        sns.list_subscriptions()
            .send()
            .await
            .unwrap()
            .subscriptions()
            .is_empty()
    );

    let s = t
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .send()
        .await
        .unwrap();
    t.delete_topic().send().await.unwrap();
    // Idempotent.
    sns.delete_topic().topic_arn(t.arn()).send().await.unwrap();
    let e = t.publish().message("m").send().await.unwrap_err();
    assert_eq!(e.code(), "NotFound");
    let e = sns
        .get_subscription_attributes()
        .subscription_arn(s.subscription_arn())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "NotFound");
    assert!(sns.list_topics().send().await.unwrap().topics().is_empty());
    // A new topic of the same name is a new incarnation; the old handle stays dead.
    sns.create_topic().name("t").send().await.unwrap();
    assert_eq!(
        t.publish().message("m").send().await.unwrap_err().code(),
        "NotFound"
    );
}

#[tokio::test(start_paused = true)]
async fn tags() {
    let sns = Sns::new();
    let t = sns
        .create_topic()
        .name("t")
        .tags(Tag::new("team", "a"))
        .send()
        .await
        .unwrap()
        .topic();
    t.tag_resource()
        .tags(Tag::new("env", "prod"))
        .tags(Tag::new("team", "b"))
        .send()
        .await
        .unwrap();
    let tags = t.list_tags_for_resource().send().await.unwrap();
    assert_eq!(
        tags.tags(),
        &[Tag::new("env", "prod"), Tag::new("team", "b")]
    );
    t.untag_resource()
        .tag_keys("env")
        .tag_keys("absent")
        .send()
        .await
        .unwrap();
    assert_eq!(
        t.list_tags_for_resource().send().await.unwrap().tags(),
        &[Tag::new("team", "b")]
    );
    let e = t
        .tag_resource()
        .tags(Tag::new("k", "1"))
        .tags(Tag::new("k", "2"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        e.message(),
        "Invalid parameter: Duplicated keys are not allowed."
    );
    let mut b = t.tag_resource();
    for i in 0..50 {
        b = b.tags(Tag::new(format!("k{i}"), "v"));
    }
    let e = b.send().await.unwrap_err();
    assert_eq!(e.code(), "TagLimitExceeded");
    assert_eq!(
        t.list_tags_for_resource()
            .send()
            .await
            .unwrap()
            .tags()
            .len(),
        1
    );
    let e = sns
        .list_tags_for_resource()
        .resource_arn("arn:aws:sns:us-east-1:000000000000:nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        ("ResourceNotFound", "Resource does not exist")
    );
}
