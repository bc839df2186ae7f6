//! Policy validation: AWS's messages word for word, positions included, and SNS's limits.

use aws_lite_pubsub::filter::{
    Dialect, FilterPolicyScope, INVALID_EVENT_PATTERN, INVALID_PARAMETER, Policy, PolicyOperation,
    with_operation_prefix,
};
use serde_json::json;

const ATTRS: Dialect = Dialect::Sns(FilterPolicyScope::MessageAttributes);
const BODY: Dialect = Dialect::Sns(FilterPolicyScope::MessageBody);

fn sns_error(policy: &str, dialect: Dialect, op: PolicyOperation) -> String {
    let err = Policy::parse(policy, dialect).expect_err("must be rejected");
    assert_eq!(err.code(), INVALID_PARAMETER);
    assert_eq!(err.status(), 400);
    with_operation_prefix(err, op).message().to_owned()
}

/// The cases AWS answered in LocalStack's recorded snapshot (2024-05): policy (as SNS compiles
/// it, without whitespace), message, and the column Jackson reported.
const RECORDED: &[(&str, &str, usize)] = &[
    (
        r#"{"key":[["value"]]}"#,
        "Match value must be String, number, true, false, or null",
        10,
    ),
    (
        r#"{"key":[{"wrong-operator":true}]}"#,
        "Unrecognized match type wrong-operator",
        31,
    ),
    (
        r#"{"key":[{"suffix":"value","prefix":"value2"}]}"#,
        "Only one key allowed in match expression",
        37,
    ),
    (
        r#"{"key":[{"suffix":100}]}"#,
        "suffix match pattern must be a string",
        22,
    ),
    (
        r#"{"key":[{"suffix":null}]}"#,
        "suffix match pattern must be a string",
        23,
    ),
    (
        r#"{"key":{"suffix":"value"}}"#,
        "\"suffix\" must be an object or an array",
        19,
    ),
    (
        r#"{"key":[{"suffix":[]}]}"#,
        "suffix match pattern must be a string",
        20,
    ),
    (
        r#"{"key":[{"suffix":["test","test2"]}]}"#,
        "suffix match pattern must be a string",
        20,
    ),
    (
        r#"{"key":{"suffix":"value","prefix":"value"}}"#,
        "\"suffix\" must be an object or an array",
        19,
    ),
    (
        r#"{"key":{"not-an-operator":"value"}}"#,
        "\"not-an-operator\" must be an object or an array",
        28,
    ),
    (
        r#"{"key":[{"numeric":[]}]}"#,
        "Invalid member in numeric match: ]",
        22,
    ),
    (
        r#"{"key":[{"numeric":["operator"]}]}"#,
        "Unrecognized numeric range operator: operator",
        32,
    ),
    (
        r#"{"key":[{"numeric":[1,"<="]}]}"#,
        "Invalid member in numeric match: 1",
        22,
    ),
    (
        r#"{"key":[{"numeric":["=","000"]}]}"#,
        "Value of equals must be numeric",
        26,
    ),
    (
        r#"{"key":[{"numeric":[">="]}]}"#,
        "Value of >= must be numeric",
        26,
    ),
    (
        r#"{"key":[{"numeric":["<",100,">",10]}]}"#,
        "Too many elements in numeric expression",
        30,
    ),
    (
        r#"{"key":[{"numeric":[">=",1,">",2]}]}"#,
        "Bad numeric range operator: >",
        31,
    ),
    (
        r#"{"key":[{"numeric":[">",3,"<",1]}]}"#,
        "Bottom must be less than top",
        33,
    ),
    (
        r#"{"key":[{"numeric":[">",20,"<="]}]}"#,
        "Value of <= must be numeric",
        33,
    ),
    (
        r#"{"key":[{"numeric":[">",20,30]}]}"#,
        "Bad value in numeric range: 30",
        30,
    ),
    (
        r#"{"key":[{"numeric":[">",20,"test"]}]}"#,
        "Bad numeric range operator: test",
        34,
    ),
    (
        r#"{"key":[{"numeric":[">","20","<","30"]}]}"#,
        "Value of > must be numeric",
        26,
    ),
    (
        r#"{"key":[{"numeric":[">",20,"<","30"]}]}"#,
        "Value of < must be numeric",
        33,
    ),
    (
        r#"{"key":[{"numeric":[">",20,"<",30,"<",50]}]}"#,
        "Too many terms in numeric range expression",
        36,
    ),
    (
        r#"{"key":[{"exists":null}]}"#,
        "exists match pattern must be either true or false.",
        23,
    ),
    (
        r#"{"key":[{"exists":"no"}]}"#,
        "exists match pattern must be either true or false.",
        20,
    ),
    (
        r#"{"key":[{"anything-but":{"wrong-operator":null}}]}"#,
        "Unsupported anything-but pattern: wrong-operator",
        47,
    ),
    (
        r#"{"key":[{"anything-but":{"suffix":"test"}}]}"#,
        "Unsupported anything-but pattern: suffix",
        36,
    ),
    (
        r#"{"key":[{"anything-but":{"exists":false}}]}"#,
        "Unsupported anything-but pattern: exists",
        40,
    ),
    (
        r#"{"key":[{"anything-but":{"prefix":false}}]}"#,
        "prefix match pattern must be a string",
        40,
    ),
];

#[test]
fn recorded_messages_with_positions() {
    for (policy, message, column) in RECORDED {
        let expected = format!(
            "Invalid parameter: Attributes Reason: FilterPolicy: {message}\n at [Source: (String)\"{policy}\"; line: 1, column: {column}]"
        );
        assert_eq!(
            sns_error(policy, ATTRS, PolicyOperation::Subscribe),
            expected
        );
    }
}

#[test]
fn positions_count_in_the_compact_form() {
    // The policy as sent, with spaces: SNS reports the column in its re-serialized form.
    let spaced = r#"{ "key" : [ { "numeric" : [ ">" , 20 , 30 ] } ] }"#;
    assert_eq!(
        sns_error(spaced, ATTRS, PolicyOperation::SetSubscriptionAttributes),
        "Invalid parameter: FilterPolicy: Bad value in numeric range: 30\n at [Source: (String)\"{\"key\":[{\"numeric\":[\">\",20,30]}]}\"; line: 1, column: 30]"
    );
}

#[test]
fn bare_values_are_rejected() {
    assert_eq!(
        sns_error(
            r#"{"key_a": "value_one"}"#,
            BODY,
            PolicyOperation::SetSubscriptionAttributes
        ),
        "Invalid parameter: FilterPolicy: \"key_a\" must be an object or an array\n at [Source: (String)\"{\"key_a\":\"value_one\"}\"; line: 1, column: 11]"
    );
    assert!(Policy::parse(r#"{"filter": "type1"}"#, ATTRS).is_err());
    assert!(Policy::parse(r#"{"int": 42}"#, Dialect::EventBridge).is_err());
}

#[test]
fn key_limit() {
    let six = json!({"key1": ["v"], "key2": ["v"], "key3": ["v"], "key4": ["v"], "key5": ["v"],
                     "key6": ["v"]});
    assert_eq!(
        sns_error(&six.to_string(), ATTRS, PolicyOperation::Subscribe),
        "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys"
    );
    assert_eq!(
        sns_error(
            &six.to_string(),
            BODY,
            PolicyOperation::SetSubscriptionAttributes
        ),
        "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys"
    );
    let five = json!({"key1": ["v"], "key2": ["v"], "key3": ["v"], "key4": ["v"], "key5": ["v"]});
    assert!(Policy::parse(&five.to_string(), ATTRS).is_ok());
    // In the body scope only top-level keys count.
    let nested = json!({"a": {"b": ["v"], "c": ["v"], "d": ["v"]}, "e": {"f": ["v"], "g": ["v"]}});
    assert!(Policy::parse(&nested.to_string(), BODY).is_ok());
    // EventBridge has no key limit.
    assert!(Policy::parse(&six.to_string(), Dialect::EventBridge).is_ok());
}

#[test]
fn combination_limit() {
    let values = |n: usize| (0..n).map(|i| format!("value{i}")).collect::<Vec<_>>();
    let too_complex =
        "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex";
    let p = json!({"key": values(151)});
    assert_eq!(
        sns_error(&p.to_string(), ATTRS, PolicyOperation::Subscribe),
        too_complex
    );
    let p = json!({"key1": values(100), "key2": values(51)});
    assert_eq!(
        sns_error(&p.to_string(), ATTRS, PolicyOperation::Subscribe),
        too_complex
    );
    assert!(Policy::parse(&json!({"key": values(150)}).to_string(), ATTRS).is_ok());

    // With $or: the branches add up. (4*6) + (4*4*4) + (4*4*4) = 152.
    let p = json!({
        "source": ["aws.cloudwatch", "aws.events", "aws.test", "aws.test2"],
        "$or": [
            {"metricName": ["CPUUtilization", "ReadLatency", "t1", "t2", "t3", "t4"]},
            {"metricType": ["MetricType", "TestType", "TestType2", "TestType3"],
             "$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4]}]}
        ]
    });
    assert_eq!(
        sns_error(&p.to_string(), ATTRS, PolicyOperation::Subscribe),
        too_complex
    );
    // (3*6) + (3*4*4) + (3*4*7) = 150 passes.
    let p = json!({
        "source": ["aws.cloudwatch", "aws.events", "aws.test"],
        "$or": [
            {"metricName": ["CPUUtilization", "ReadLatency", "TestVal", "TestVal2", "TestVal3",
                            "TestVal4"]},
            {"metricType": ["MetricType", "TestType", "TestType2", "TestType3"],
             "$or": [{"metricId": [1234, 4321, 5678, 9012]}, {"spaceId": [1, 2, 3, 4, 5, 6, 7]}]}
        ]
    });
    assert!(Policy::parse(&p.to_string(), ATTRS).is_ok());

    // Nesting multiplies by depth: (4*3) * (3*2) * (3*1) = 216.
    let p = json!({
        "key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}},
        "key_d": {"key_e": ["value_one", "value_two", "value_three"]},
        "key_f": ["value_one", "value_two", "value_three"]
    });
    assert_eq!(
        sns_error(
            &p.to_string(),
            BODY,
            PolicyOperation::SetSubscriptionAttributes
        ),
        "Invalid parameter: FilterPolicy: Filter policy is too complex"
    );
    // (3*2*2) + (3*2*6) + (2*2*2) + (2*2*6) with 2 values of scope: 160 > 150.
    let p = json!({
        "$or": [{"metricName": ["CPUUtilization", "ReadLatency", "TestValue"]},
                 {"namespace": ["AWS/EC2", "AWS/ES"]}],
        "detail": {"scope": ["Service", "Test"],
                   "$or": [{"source": ["aws.cloudwatch"]},
                           {"type": ["CloudWatch Alarm State Change", "TestValue", "TestValue2"]}]}
    });
    assert!(Policy::parse(&p.to_string(), BODY).is_err());
}

#[test]
fn nesting_in_the_attribute_scope() {
    let p = r#"{"object": {"key": [{"prefix": "auto-"}]}}"#;
    let err = Policy::parse(p, ATTRS).unwrap_err();
    assert_eq!(
        err.message(),
        "Filter policy scope MessageAttributes does not support nested filter policy"
    );
    assert_eq!(
        with_operation_prefix(err.clone(), PolicyOperation::SetSubscriptionAttributes).message(),
        "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy"
    );
    assert_eq!(
        with_operation_prefix(err, PolicyOperation::Subscribe).message(),
        "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy"
    );
    assert!(Policy::parse(p, BODY).is_ok());
}

#[test]
fn numbers_outside_the_sns_range() {
    assert_eq!(
        sns_error(
            r#"{"a":[{"numeric":[">",2e9]}]}"#,
            ATTRS,
            PolicyOperation::SetSubscriptionAttributes
        ),
        "Invalid parameter: FilterPolicy: Value must be between -1.0E9 and 1.0E9, inclusive\n at [Source: (String)\"{\"a\":[{\"numeric\":[\">\",2.0E9]}]}\"; line: 1, column: 29]"
    );
    assert!(Policy::parse(r#"{"a":[{"anything-but":[1e10]}]}"#, ATTRS).is_err());
    // Exact numbers are not range-checked, and EventBridge compares doubles.
    assert!(Policy::parse(r#"{"a":[1e10]}"#, ATTRS).is_ok());
    assert!(Policy::parse(r#"{"a":[{"numeric":[">",2e9]}]}"#, Dialect::EventBridge).is_ok());
}

#[test]
fn cidr_errors() {
    let msg = |c: &str| {
        sns_error(
            &json!({"ip": [{"cidr": c}]}).to_string(),
            ATTRS,
            PolicyOperation::Subscribe,
        )
    };
    let head = "Invalid parameter: Attributes Reason: FilterPolicy: ";
    assert_eq!(
        msg("bad-filter"),
        format!("{head}Malformed CIDR, one '/' required")
    );
    assert_eq!(
        msg("10.0.0.0/x"),
        format!("{head}Malformed CIDR, mask bits must be an integer")
    );
    assert_eq!(
        msg("xxxx::/64"),
        format!("{head}Nonstandard IP address: xxxx::")
    );
    assert_eq!(
        msg("10.0.0.0/32"),
        format!("{head}IPv4 mask bits must be < 32")
    );
}

#[test]
fn json_syntax_errors() {
    assert_eq!(
        sns_error(
            "{invalidjson}",
            ATTRS,
            PolicyOperation::SetSubscriptionAttributes
        ),
        "Invalid parameter: FilterPolicy: failed to parse JSON. Unexpected character ('i' (code 105)): was expecting double-quote to start field name\n at [Source: (String)\"{invalidjson}\"; line: 1, column: 3]"
    );
    let err = Policy::parse(r#"{"a": [1,}"#, ATTRS).unwrap_err();
    assert!(
        err.message()
            .starts_with("failed to parse JSON. Unexpected character ('}'")
    );
    assert!(Policy::parse("", ATTRS).is_err());
    assert!(Policy::parse("[]", ATTRS).is_err());
}

#[test]
fn or_rules() {
    let err = |p: &str| {
        Policy::parse(p, ATTRS)
            .unwrap_err()
            .message()
            .lines()
            .next()
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(
        err(r#"{"$or": [{"a": ["b"]}]}"#),
        "There must have at least 2 Objects in $or relationship."
    );
    assert_eq!(
        err(r#"{"$or": {"a": ["b"]}}"#),
        "It must be an Array followed with $or."
    );
    assert_eq!(
        err(r#"{"$or": [{"a": ["b"]}, "c"]}"#),
        "Only JSON object is allowed in array of $or relationship."
    );
    assert_eq!(
        err(r#"{"$or": [{"numeric": ["b"]}, {"c": ["d"]}]}"#),
        "numeric is Ruler reserved fieldName which cannot be used inside $or."
    );
}

#[test]
fn eventbridge_messages() {
    let err = |p: serde_json::Value| {
        let e = Policy::parse(&p.to_string(), Dialect::EventBridge).unwrap_err();
        assert_eq!(e.code(), INVALID_EVENT_PATTERN);
        e.message().lines().next().unwrap_or("").to_owned()
    };
    let head = "Event pattern is not valid. Reason: ";
    assert_eq!(
        err(json!({"resources": []})),
        format!("{head}Empty arrays are not allowed")
    );
    assert_eq!(
        err(json!({"x": [{"wildcard": "a**"}]})),
        format!("{head}Consecutive wildcard characters at pos 1")
    );
    assert_eq!(
        err(json!({"x": [{"anything-but": {"prefix": ""}}]})),
        format!("{head}Null prefix/suffix not allowed")
    );
    assert_eq!(
        err(json!({"x": [{"anything-but": null}]})),
        format!("{head}Value of anything-but must be an array or single string/number value.")
    );
    assert_eq!(
        err(json!({"x": [{"anything-but": ["a", 1]}]})),
        format!(
            "{head}Inside anything but list, either all values are number or string, mixed type is not supported"
        )
    );
    assert_eq!(
        err(json!({})),
        format!("{head}Empty objects are not allowed")
    );
}

#[test]
fn filter_policy_scope_values() {
    assert_eq!(
        FilterPolicyScope::parse("MessageBody").unwrap(),
        FilterPolicyScope::MessageBody
    );
    assert_eq!(
        FilterPolicyScope::parse("RandomValue")
            .unwrap_err()
            .message(),
        "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes"
    );
}
