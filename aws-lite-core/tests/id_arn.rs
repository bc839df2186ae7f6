//! ARNs, account ids and regions: round trips, structured resources, typed constructors and
//! the rejection of every malformed form.

use aws_lite_core::ErrorKind;
use aws_lite_core::id::{AccountId, Arn, Region, Separator};

const ACCOUNT: &str = "123456789012";

fn region() -> Region {
    Region::parse("us-east-1").unwrap()
}

fn account() -> AccountId {
    AccountId::parse(ACCOUNT).unwrap()
}

/// Parses `s`, checks it formats back to exactly `s` (through `Display`, `FromStr` and
/// `TryFrom` alike), and returns it.
#[track_caller]
fn round_trip(s: &str) -> Arn {
    let arn = Arn::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
    assert_eq!(arn.to_string(), s);
    assert_eq!(arn.as_str(), s);
    assert_eq!(s.parse::<Arn>().unwrap(), arn);
    assert_eq!(Arn::try_from(s.to_owned()).unwrap(), arn);
    arn
}

/// Parses `s`, expecting a `ValidationException` whose message is `message`.
#[track_caller]
fn rejected(s: &str, message: &str) {
    let err = Arn::parse(s).expect_err(s);
    assert_eq!(err.code(), "ValidationException", "{s}");
    assert_eq!(err.kind(), ErrorKind::Validation, "{s}");
    assert_eq!(err.status(), 400, "{s}");
    assert_eq!(err.message(), message, "{s}");
}

#[test]
fn sqs_queues() {
    let arn = round_trip("arn:aws:sqs:us-east-1:123456789012:my-queue");
    assert_eq!(arn.partition(), "aws");
    assert_eq!(arn.service(), "sqs");
    assert_eq!(arn.region(), "us-east-1");
    assert_eq!(arn.account(), ACCOUNT);
    assert_eq!(arn.resource(), "my-queue");
    assert_eq!(arn.resource_type(), None);
    assert_eq!(arn.resource_parts().separator, None);
    assert_eq!(arn.resource_name(), "my-queue");
    assert_eq!(arn.qualifier(), None);
    assert_eq!(arn.to_region(), Some(region()));
    assert_eq!(arn.to_account_id(), Some(account()));
    assert_eq!(Arn::sqs(&region(), &account(), "my-queue").unwrap(), arn);

    let fifo = round_trip("arn:aws:sqs:eu-west-2:123456789012:orders.fifo");
    assert_eq!(fifo.resource_name(), "orders.fifo");
    let eu = Region::parse("eu-west-2").unwrap();
    assert_eq!(Arn::sqs(&eu, &account(), "orders.fifo").unwrap(), fifo);
}

#[test]
fn sns_topics_and_subscriptions() {
    let topic = round_trip("arn:aws:sns:us-east-1:123456789012:orders");
    assert_eq!(topic.resource_type(), None);
    assert_eq!(topic.resource_name(), "orders");
    assert_eq!(topic.qualifier(), None);
    assert_eq!(
        Arn::sns_topic(&region(), &account(), "orders").unwrap(),
        topic
    );

    let fifo = round_trip("arn:aws:sns:us-east-1:123456789012:orders.fifo");
    assert_eq!(fifo.resource_name(), "orders.fifo");

    let id = "0f9a5b1c-2d3e-4f50-8a6b-7c8d9e0f1a2b";
    let sub = round_trip(&format!("arn:aws:sns:us-east-1:123456789012:orders:{id}"));
    assert_eq!(sub.resource_type(), None);
    assert_eq!(sub.resource_name(), "orders");
    assert_eq!(sub.qualifier(), Some(id));
    assert_eq!(sub.unqualified(), topic);
    assert_eq!(
        Arn::sns_subscription(&region(), &account(), "orders", id).unwrap(),
        sub
    );
}

#[test]
fn lambda_functions_and_layers() {
    let base = "arn:aws:lambda:us-east-1:123456789012:function:my-function";
    let f = round_trip(base);
    let parts = f.resource_parts();
    assert_eq!(parts.resource_type, Some("function"));
    assert_eq!(parts.separator, Some(Separator::Colon));
    assert_eq!(parts.separator.map(Separator::as_char), Some(':'));
    assert_eq!(parts.parent, None);
    assert_eq!(parts.id, "my-function");
    assert_eq!(parts.qualifier, None);
    assert_eq!(f.resource_name(), "my-function");
    assert_eq!(f.unqualified(), f);
    assert_eq!(
        Arn::lambda_function(&region(), &account(), "my-function", None).unwrap(),
        f
    );

    for qualifier in ["3", "live", "$LATEST"] {
        let q = round_trip(&format!("{base}:{qualifier}"));
        assert_eq!(q.resource_type(), Some("function"));
        assert_eq!(q.resource_name(), "my-function");
        assert_eq!(q.qualifier(), Some(qualifier));
        assert_eq!(q.unqualified(), f);
        assert_eq!(
            Arn::lambda_function(&region(), &account(), "my-function", Some(qualifier)).unwrap(),
            q
        );
    }

    let layer = round_trip("arn:aws:lambda:us-east-1:123456789012:layer:my-layer:1");
    assert_eq!(layer.resource_type(), Some("layer"));
    assert_eq!(layer.resource_name(), "my-layer");
    assert_eq!(layer.qualifier(), Some("1"));
    assert_eq!(
        Arn::lambda_layer_version(&region(), &account(), "my-layer", 1).unwrap(),
        layer
    );
}

#[test]
fn step_functions() {
    let sm = round_trip("arn:aws:states:us-east-1:123456789012:stateMachine:orders");
    assert_eq!(sm.resource_type(), Some("stateMachine"));
    assert_eq!(sm.resource_name(), "orders");
    assert_eq!(sm.qualifier(), None);
    assert_eq!(sm.state_machine_name(), Some("orders"));
    assert_eq!(
        Arn::state_machine(&region(), &account(), "orders", None).unwrap(),
        sm
    );

    for qualifier in ["1", "prod"] {
        let q = round_trip(&format!(
            "arn:aws:states:us-east-1:123456789012:stateMachine:orders:{qualifier}"
        ));
        assert_eq!(q.resource_name(), "orders");
        assert_eq!(q.qualifier(), Some(qualifier));
        assert_eq!(q.state_machine_name(), Some("orders"));
        assert_eq!(q.unqualified(), sm);
        assert_eq!(
            Arn::state_machine(&region(), &account(), "orders", Some(qualifier)).unwrap(),
            q
        );
    }

    let exec = round_trip("arn:aws:states:us-east-1:123456789012:execution:orders:exec-1");
    let parts = exec.resource_parts();
    assert_eq!(parts.resource_type, Some("execution"));
    assert_eq!(parts.parent, Some("orders"));
    assert_eq!(parts.id, "exec-1");
    assert_eq!(parts.qualifier, None);
    assert_eq!(exec.state_machine_name(), Some("orders"));
    assert_eq!(
        Arn::execution(&region(), &account(), "orders", "exec-1").unwrap(),
        exec
    );

    let run = "4d1f6c1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f";
    let express = round_trip(&format!(
        "arn:aws:states:us-east-1:123456789012:express:orders:exec-1:{run}"
    ));
    let parts = express.resource_parts();
    assert_eq!(parts.resource_type, Some("express"));
    assert_eq!(parts.parent, Some("orders"));
    assert_eq!(parts.id, "exec-1");
    assert_eq!(parts.qualifier, Some(run));
    assert_eq!(express.state_machine_name(), Some("orders"));
    assert_eq!(
        Arn::express_execution(&region(), &account(), "orders", "exec-1", run).unwrap(),
        express
    );

    let activity = round_trip("arn:aws:states:us-east-1:123456789012:activity:approve");
    assert_eq!(activity.resource_type(), Some("activity"));
    assert_eq!(activity.resource_name(), "approve");
    assert_eq!(activity.state_machine_name(), None);
    assert_eq!(
        Arn::activity(&region(), &account(), "approve").unwrap(),
        activity
    );

    let map_run = round_trip(&format!(
        "arn:aws:states:us-east-1:123456789012:mapRun:orders/fan-out:{run}"
    ));
    let parts = map_run.resource_parts();
    assert_eq!(parts.resource_type, Some("mapRun"));
    assert_eq!(parts.parent, Some("orders"));
    assert_eq!(parts.id, "fan-out");
    assert_eq!(parts.qualifier, Some(run));
    assert_eq!(map_run.state_machine_name(), Some("orders"));
    assert_eq!(
        Arn::map_run(&region(), &account(), "orders", "fan-out", run).unwrap(),
        map_run
    );

    // A Distributed Map child execution names its Map Run under the state machine.
    let child = round_trip(&format!(
        "arn:aws:states:us-east-1:123456789012:execution:orders/fan-out:{run}"
    ));
    assert_eq!(child.resource_parts().parent, Some("orders/fan-out"));
    assert_eq!(child.resource_name(), run);
    assert_eq!(child.state_machine_name(), Some("orders"));

    // Service integrations have neither region nor account.
    let task = round_trip("arn:aws:states:::lambda:invoke.waitForTaskToken");
    assert_eq!((task.region(), task.account()), ("", ""));
    assert_eq!(task.resource_type(), Some("lambda"));
    assert_eq!(task.resource_name(), "invoke.waitForTaskToken");
    assert_eq!((task.to_region(), task.to_account_id()), (None, None));
}

#[test]
fn iot_resources() {
    let thing = round_trip("arn:aws:iot:us-east-1:123456789012:thing/sensor-1");
    let parts = thing.resource_parts();
    assert_eq!(parts.resource_type, Some("thing"));
    assert_eq!(parts.separator, Some(Separator::Slash));
    assert_eq!(parts.id, "sensor-1");
    assert_eq!(
        Arn::iot_thing(&region(), &account(), "sensor-1").unwrap(),
        thing
    );

    let topic = round_trip("arn:aws:iot:us-east-1:123456789012:topic/home/kitchen/temp");
    assert_eq!(topic.resource_type(), Some("topic"));
    assert_eq!(topic.resource_name(), "home/kitchen/temp");
    assert_eq!(
        Arn::iot_topic(&region(), &account(), "home/kitchen/temp").unwrap(),
        topic
    );

    let rule = round_trip("arn:aws:iot:us-east-1:123456789012:rule/forward_temps");
    assert_eq!(rule.resource_type(), Some("rule"));
    assert_eq!(rule.resource_name(), "forward_temps");
    assert_eq!(
        Arn::iot_rule(&region(), &account(), "forward_temps").unwrap(),
        rule
    );
}

#[test]
fn global_services_and_other_partitions() {
    let role = round_trip("arn:aws:iam::123456789012:role/service-role/my-role");
    assert_eq!(role.region(), "");
    assert_eq!(role.to_region(), None);
    assert_eq!(role.resource_type(), Some("role"));
    assert_eq!(role.resource_name(), "service-role/my-role");

    let managed = round_trip("arn:aws:iam::aws:policy/AdministratorAccess");
    assert_eq!(managed.account(), "aws");
    assert_eq!(managed.to_account_id(), None);
    assert_eq!(managed.resource_type(), Some("policy"));
    assert_eq!(managed.resource_name(), "AdministratorAccess");

    let bucket = round_trip("arn:aws:s3:::my-bucket");
    assert_eq!((bucket.region(), bucket.account()), ("", ""));

    for (partition, region) in [
        ("aws-cn", "cn-north-1"),
        ("aws-us-gov", "us-gov-west-1"),
        ("aws-iso", "us-iso-east-1"),
        ("aws-iso-b", "us-isob-east-1"),
    ] {
        let arn = round_trip(&format!("arn:{partition}:sqs:{region}:123456789012:q"));
        assert_eq!(arn.partition(), partition);
        let r = Region::parse(region).unwrap();
        assert_eq!(r.partition(), partition);
        assert_eq!(Arn::sqs(&r, &account(), "q").unwrap(), arn);
    }

    // The resource is kept verbatim, colons, slashes, spaces and all.
    let odd = round_trip("arn:aws:s3:::bucket/a key/with:colons/ünïcode");
    assert_eq!(odd.resource(), "bucket/a key/with:colons/ünïcode");
}

#[test]
fn malformed_arns_are_rejected_with_the_problem_named() {
    rejected("", "Invalid ARN: the ARN is empty");
    rejected(
        "arn:aws:sqs",
        "Invalid ARN: expected 6 colon-separated parts, found 3",
    );
    rejected(
        "my-queue",
        "Invalid ARN: expected 6 colon-separated parts, found 1",
    );
    rejected(
        "arn:aws:sqs:us-east-1:123456789012",
        "Invalid ARN: expected 6 colon-separated parts, found 5",
    );
    rejected(
        "urn:aws:sqs:us-east-1:123456789012:q",
        "Invalid ARN: must begin with 'arn:', found 'urn:'",
    );
    rejected(
        "arn:xyz:sqs:us-east-1:123456789012:q",
        "Invalid ARN: partition 'xyz' is not valid",
    );
    rejected(
        "arn:aws-:sqs:us-east-1:123456789012:q",
        "Invalid ARN: partition 'aws-' is not valid",
    );
    rejected(
        "arn::sqs:us-east-1:123456789012:q",
        "Invalid ARN: partition is empty",
    );
    rejected(
        "arn:aws::us-east-1:123456789012:q",
        "Invalid ARN: service is empty",
    );
    rejected(
        "arn:aws:SQS:us-east-1:123456789012:q",
        "Invalid ARN: service 'SQS' is not valid",
    );
    rejected(
        "arn:aws:sqs:useast1:123456789012:q",
        "Invalid ARN: region 'useast1' is not valid",
    );
    rejected(
        "arn:aws:sqs:US-EAST-1:123456789012:q",
        "Invalid ARN: region 'US-EAST-1' is not valid",
    );
    rejected(
        "arn:aws:sqs:us-east-1:12345678901:q",
        "Invalid ARN: account '12345678901' must be 12 digits",
    );
    rejected(
        "arn:aws:sqs:us-east-1:12345:q",
        "Invalid ARN: account '12345' must be 12 digits",
    );
    rejected(
        "arn:aws:sqs:us-east-1:12345678901x:q",
        "Invalid ARN: account '12345678901x' must be 12 digits",
    );
    rejected(
        "arn:aws:sqs:us-east-1:123456789012:",
        "Invalid ARN: resource is empty",
    );
}

#[test]
fn services_remap_the_code_and_keep_the_message() {
    let err =
        Arn::parse_with_code("arn:aws:sqs:us-east-1:123456789012:", "InvalidAddress").unwrap_err();
    assert_eq!(err.code(), "InvalidAddress");
    assert_eq!(err.message(), "Invalid ARN: resource is empty");
    assert_eq!(err.kind(), ErrorKind::Validation);

    let err = Arn::parse("arn:aws:states").unwrap_err();
    let remapped = aws_lite_core::Error::validation("InvalidArn", err.message());
    assert_eq!(
        remapped.to_string(),
        "InvalidArn: Invalid ARN: expected 6 colon-separated parts, found 3"
    );
}

#[test]
fn constructors_reject_names_that_would_change_the_arn() {
    let (r, a) = (region(), account());
    let msg = |e: aws_lite_core::Error| e.message().to_owned();
    assert_eq!(
        msg(Arn::sqs(&r, &a, "").unwrap_err()),
        "Invalid ARN: queue name is empty"
    );
    assert_eq!(
        msg(Arn::sqs(&r, &a, "a:b").unwrap_err()),
        "Invalid ARN: queue name 'a:b' must not contain ':'"
    );
    assert!(Arn::sns_topic(&r, &a, "a/b").is_err());
    assert!(Arn::lambda_function(&r, &a, "f", Some("")).is_err());
    assert!(Arn::lambda_function(&r, &a, "f", Some("1:2")).is_err());
    assert!(Arn::state_machine(&r, &a, "sm:1", None).is_err());
    assert!(Arn::execution(&r, &a, "sm", "a/b").is_err());
    assert!(Arn::iot_thing(&r, &a, "a/b").is_err());
    assert!(Arn::iot_topic(&r, &a, "").is_err());
    assert!(Arn::new("aws", "sqs", "us-east-1:x", ACCOUNT, "q").is_err());
    assert!(Arn::new("aws", "sqs", "us-east-1", ACCOUNT, "").is_err());
    assert_eq!(
        Arn::new("aws", "sqs", "us-east-1", ACCOUNT, "q").unwrap(),
        "arn:aws:sqs:us-east-1:123456789012:q"
    );
}

#[test]
fn arns_are_values() {
    let a = Arn::parse("arn:aws:sqs:us-east-1:123456789012:a").unwrap();
    let b = Arn::parse("arn:aws:sqs:us-east-1:123456789012:b").unwrap();
    assert!(a < b);
    assert_eq!(a.clone(), a);
    let set: std::collections::HashSet<Arn> = [a.clone(), b, a.clone()].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains("arn:aws:sqs:us-east-1:123456789012:a"));
    assert_eq!(String::from(a), "arn:aws:sqs:us-east-1:123456789012:a");

    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Arn>();
    assert_send_sync::<AccountId>();
    assert_send_sync::<Region>();
}

#[test]
fn serde_uses_strings() {
    let arn = Arn::parse("arn:aws:sns:us-east-1:123456789012:t").unwrap();
    let json = serde_json::to_string(&arn).unwrap();
    assert_eq!(json, "\"arn:aws:sns:us-east-1:123456789012:t\"");
    assert_eq!(serde_json::from_str::<Arn>(&json).unwrap(), arn);
    let err = serde_json::from_str::<Arn>("\"arn:aws:sns\"").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected 6 colon-separated parts, found 3"),
        "{err}"
    );

    assert_eq!(
        serde_json::to_string(&account()).unwrap(),
        "\"123456789012\""
    );
    assert_eq!(
        serde_json::from_str::<AccountId>("\"123456789012\"").unwrap(),
        account()
    );
    assert!(serde_json::from_str::<AccountId>("\"12345\"").is_err());
    assert_eq!(serde_json::to_string(&region()).unwrap(), "\"us-east-1\"");
    assert_eq!(
        serde_json::from_str::<Region>("\"us-east-1\"").unwrap(),
        region()
    );
    assert!(serde_json::from_str::<Region>("\"nowhere\"").is_err());
}

#[test]
fn account_ids() {
    assert_eq!(AccountId::DEFAULT.as_str(), "000000000000");
    assert_eq!(AccountId::default(), AccountId::DEFAULT);
    let a: AccountId = ACCOUNT.parse().unwrap();
    assert_eq!(a.as_str(), ACCOUNT);
    assert_eq!(a.to_string(), ACCOUNT);
    assert_eq!(a, ACCOUNT);
    assert_eq!(AccountId::try_from(ACCOUNT).unwrap(), a);

    for bad in ["", "12345678901", "1234567890123", "12345678901a", "aws"] {
        let err = AccountId::parse(bad).expect_err(bad);
        assert_eq!(err.code(), "ValidationException");
        assert_eq!(
            err.message(),
            format!("Invalid account id '{bad}': must be 12 digits")
        );
    }
}

#[test]
fn access_keys_map_to_accounts() {
    assert_eq!(
        AccountId::from_access_key("111122223333").as_str(),
        "111122223333"
    );
    assert_eq!(
        AccountId::from_access_key("000000000001").as_str(),
        "000000000001"
    );
    for other in [
        "test",
        "",
        "AKIAIOSFODNN7EXAMPLE",
        "11112222333",
        "1111222233334",
    ] {
        assert_eq!(
            AccountId::from_access_key(other),
            AccountId::DEFAULT,
            "{other}"
        );
    }
}

#[test]
fn regions() {
    assert_eq!(Region::DEFAULT.as_str(), "us-east-1");
    assert_eq!(Region::default(), Region::DEFAULT);
    for (name, partition) in [
        ("us-east-1", "aws"),
        ("eu-west-2", "aws"),
        ("ap-southeast-3", "aws"),
        ("cn-north-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
    ] {
        let r: Region = name.parse().unwrap();
        assert_eq!(r.as_str(), name);
        assert_eq!(r.to_string(), name);
        assert_eq!(r, name);
        assert_eq!(r.partition(), partition, "{name}");
    }
    for bad in [
        "",
        "us-east",
        "east-1",
        "us-east-1a",
        "US-EAST-1",
        "us east 1",
        "local",
    ] {
        let err = Region::parse(bad).expect_err(bad);
        assert_eq!(err.code(), "ValidationException");
        assert_eq!(
            err.message(),
            format!("Invalid region '{bad}': expected a region name such as us-east-1")
        );
    }
}
