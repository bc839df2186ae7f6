//! `String.Array` message attributes: Publish and PublishBatch accept only a JSON array of
//! strings, numbers, booleans and nulls (anything else is `ParameterValueInvalid` and changes
//! nothing), and filter policies match such an attribute element by element.

mod support;

use aws_lite_pubsub::operation::publish_batch::PublishBatchRequestEntry;
use aws_lite_pubsub::{MessageAttributeValue, codes};
use support::{drain, queue, services, subscribe_queue};

fn array(value: &str) -> MessageAttributeValue {
    MessageAttributeValue {
        data_type: "String.Array".into(),
        string_value: Some(value.into()),
        binary_value: None,
    }
}

fn invalid_message(name: &str) -> String {
    format!(
        "The message attribute '{name}' with type 'String.Array' has an invalid value: a \
         String.Array must be a JSON array of strings, numbers, true, false or null."
    )
}

#[tokio::test(start_paused = true)]
async fn publish_accepts_only_json_arrays_of_scalars() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, true).await;

    let valid = [
        r#"["a", "b"]"#,
        r#"["a", 1, -2.5e3, true, false, null]"#,
        "[]",
        " [ 1 ] ",
    ];
    for v in valid {
        topic
            .publish()
            .message(v)
            .message_attributes("list", array(v))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{v}: {e}"));
    }
    let got = drain(&q).await;
    assert_eq!(got.len(), valid.len());
    for m in &got {
        let attrs = m.message_attributes().unwrap();
        let a = &attrs["list"];
        assert_eq!(a.data_type, "String.Array");
        // Delivered as sent.
        assert_eq!(a.string_value.as_deref(), Some(m.body()));
    }

    let invalid = [
        "red",
        r#""red""#,
        "1",
        r#"{"a": 1}"#,
        r#"[["nested"]]"#,
        r#"[{"a": 1}]"#,
        r#"["unterminated""#,
        "['single quotes']",
        "[1,]",
    ];
    for v in invalid {
        let e = topic
            .publish()
            .message("m")
            .message_attributes("list", array(v))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            (e.code(), e.message(), e.status()),
            (
                codes::PARAMETER_VALUE_INVALID,
                invalid_message("list").as_str(),
                400
            ),
            "{v}"
        );
    }
    // Nothing was published or delivered.
    assert_eq!(
        topic.metrics().number_of_messages_published,
        valid.len() as u64
    );
    assert!(drain(&q).await.is_empty());

    // A custom String type is not a String.Array: its value is not checked.
    topic
        .publish()
        .message("m")
        .message_attributes(
            "label",
            MessageAttributeValue::string("not [an array").with_custom_type("Array2"),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn an_invalid_string_array_fails_the_whole_batch() {
    let (sqs, sns) = services();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, false).await;
    let e = topic
        .publish_batch()
        .publish_batch_request_entries(
            PublishBatchRequestEntry::new("ok", "m1").message_attributes("tags", array(r#"["a"]"#)),
        )
        .publish_batch_request_entries(
            PublishBatchRequestEntry::new("bad", "m2").message_attributes("tags", array("a")),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (e.code(), e.message()),
        (
            codes::PARAMETER_VALUE_INVALID,
            invalid_message("tags").as_str()
        )
    );
    assert_eq!(topic.metrics().number_of_messages_published, 0);
    assert!(drain(&q).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn filter_policies_match_string_arrays_element_by_element() {
    let (sqs, sns) = services();
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let policies = [
        ("exact", r#"{"color": ["red"]}"#),
        ("anything_but", r#"{"color": [{"anything-but": ["red"]}]}"#),
        ("prefix", r#"{"color": [{"prefix": "gr"}]}"#),
        ("number", r#"{"color": [{"numeric": [">", 5]}]}"#),
        ("boolean", r#"{"color": [true]}"#),
    ];
    let mut queues = Vec::new();
    for (name, policy) in policies {
        let q = queue(&sqs, name).await;
        topic
            .subscribe()
            .protocol("sqs")
            .endpoint(q.arn())
            .attributes("FilterPolicy", policy)
            .attributes("RawMessageDelivery", "true")
            .send()
            .await
            .unwrap();
        queues.push(q);
    }
    let messages = [
        r#"["blue", "red"]"#,
        r#"["blue"]"#,
        r#"["green", "blue"]"#,
        r#"[1, 10]"#,
        r#"[true, "red"]"#,
    ];
    for m in messages {
        topic
            .publish()
            .message(m)
            .message_attributes("color", array(m))
            .send()
            .await
            .unwrap();
    }
    let mut got = Vec::new();
    for q in &queues {
        let mut bodies: Vec<String> = drain(q)
            .await
            .iter()
            .map(|m| m.body().to_string())
            .collect();
        bodies.sort();
        got.push(bodies);
    }
    let sorted = |v: &[&str]| {
        let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    };
    // Exact: any element equal. anything-but: present, and no element listed (numbers and
    // booleans are not "red"). prefix: an element starting "gr". numeric: a number element
    // above 5. true: a boolean element.
    assert_eq!(got[0], sorted(&[r#"["blue", "red"]"#, r#"[true, "red"]"#]));
    assert_eq!(
        got[1],
        sorted(&[r#"["blue"]"#, r#"["green", "blue"]"#, r#"[1, 10]"#])
    );
    assert_eq!(got[2], sorted(&[r#"["green", "blue"]"#]));
    assert_eq!(got[3], sorted(&[r#"[1, 10]"#]));
    assert_eq!(got[4], sorted(&[r#"[true, "red"]"#]));
}
