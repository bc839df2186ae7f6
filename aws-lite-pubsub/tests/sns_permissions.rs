//! Topic policies: cross-account Publish and Subscribe need a statement; confirmation.

mod support;

use aws_lite_core::id::AccountId;
use aws_lite_pubsub::Sns;
use aws_lite_queue::Sqs;
use support::{drain, queue};

fn acct(s: &str) -> AccountId {
    AccountId::parse(s).unwrap()
}

#[tokio::test(start_paused = true)]
async fn cross_account_publish_and_subscribe_follow_the_policy() {
    let sqs = Sqs::new();
    let sns = Sns::builder().sqs(sqs.clone()).build();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let other = sns.as_caller(acct("222222222222"));
    let e = other
        .publish()
        .topic_arn(topic.arn())
        .message("m")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "AuthorizationError");
    assert_eq!(e.status(), 403);
    assert_eq!(
        e.message(),
        format!(
            "User: arn:aws:iam::222222222222:root is not authorized to perform: SNS:Publish on resource: {} because no resource-based policy allows the SNS:Publish action",
            topic.arn()
        )
    );
    let e = other
        .subscribe()
        .topic_arn(topic.arn())
        .protocol("sqs")
        .endpoint(q.arn())
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "AuthorizationError");

    topic
        .add_permission()
        .label("pub")
        .aws_account_id("222222222222")
        .action_name("Publish")
        .send()
        .await
        .unwrap();
    let e = topic
        .add_permission()
        .label("pub")
        .aws_account_id("333333333333")
        .action_name("Publish")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: Statement already exists");
    let e = topic
        .add_permission()
        .label("bad")
        .aws_account_id("333333333333")
        .action_name("Fly")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.code(), "InvalidParameter");
    let policy = topic.get_topic_attributes().send().await.unwrap();
    assert!(
        policy
            .attribute("Policy")
            .unwrap()
            .contains("\"Sid\":\"pub\"")
    );

    other
        .publish()
        .topic_arn(topic.arn())
        .message("m")
        .send()
        .await
        .unwrap();
    // Publish was granted, not Subscribe; and a third account still has nothing.
    assert_eq!(
        other
            .subscribe()
            .topic_arn(topic.arn())
            .protocol("sqs")
            .endpoint(q.arn())
            .send()
            .await
            .unwrap_err()
            .code(),
        "AuthorizationError"
    );
    let third = sns.as_caller(acct("333333333333"));
    assert!(
        third
            .publish()
            .topic_arn(topic.arn())
            .message("m")
            .send()
            .await
            .is_err()
    );
    // Other actions stay the owner's.
    assert_eq!(
        other
            .delete_topic()
            .topic_arn(topic.arn())
            .send()
            .await
            .unwrap_err()
            .code(),
        "AuthorizationError"
    );

    topic.remove_permission().label("pub").send().await.unwrap();
    assert!(
        other
            .publish()
            .topic_arn(topic.arn())
            .message("m")
            .send()
            .await
            .is_err()
    );
}

#[tokio::test(start_paused = true)]
async fn a_foreign_queue_needs_confirmation() {
    // The queue belongs to 111111111111, the topic to 000000000000.
    let sqs = Sqs::builder().account(acct("111111111111")).build();
    let sns = Sns::builder().sqs(sqs.clone()).build();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let out = topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(out.subscription_arn(), "pending confirmation");
    let listed = topic.list_subscriptions_by_topic().send().await.unwrap();
    assert_eq!(
        listed.subscriptions()[0].subscription_arn,
        "PendingConfirmation"
    );
    let attrs = topic.get_topic_attributes().send().await.unwrap();
    assert_eq!(attrs.attribute("SubscriptionsPending"), Some("1"));
    // Pending subscriptions receive nothing.
    topic.publish().message("early").send().await.unwrap();
    let confirmation = drain(&q).await;
    assert_eq!(confirmation.len(), 1);
    let v: serde_json::Value = serde_json::from_str(confirmation[0].body()).unwrap();
    assert_eq!(v["Type"], "SubscriptionConfirmation");
    let token = v["Token"].as_str().unwrap().to_string();
    assert!(v["SubscribeURL"].as_str().unwrap().contains(&token));

    let e = sns
        .confirm_subscription()
        .topic_arn(topic.arn())
        .token("wrong")
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.message(), "Invalid parameter: Token");
    let confirmed = sns
        .confirm_subscription()
        .topic_arn(topic.arn())
        .token(&token)
        .send()
        .await
        .unwrap();
    assert!(confirmed.subscription_arn().starts_with(topic.arn()));
    topic.publish().message("late").send().await.unwrap();
    let got = drain(&q).await;
    assert_eq!(got.len(), 1);
    let v: serde_json::Value = serde_json::from_str(got[0].body()).unwrap();
    assert_eq!(v["Message"], "late");

    // The queue's owner subscribing its own queue (with permission) is confirmed at once.
    topic
        .add_permission()
        .label("sub")
        .aws_account_id("111111111111")
        .action_name("Subscribe")
        .send()
        .await
        .unwrap();
    let q2 = queue(&sqs, "q2").await;
    let owner = sns.as_caller(acct("111111111111"));
    let out = owner
        .subscribe()
        .topic_arn(topic.arn())
        .protocol("sqs")
        .endpoint(q2.arn())
        .send()
        .await
        .unwrap();
    assert_ne!(out.subscription_arn(), "pending confirmation");
    let mine = owner.list_subscriptions().send().await.unwrap();
    assert_eq!(mine.subscriptions().len(), 1);
    assert_eq!(mine.subscriptions()[0].owner, "111111111111");
}
