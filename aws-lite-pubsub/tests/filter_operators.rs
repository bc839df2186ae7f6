//! Filter operators one by one, with the examples of the SNS and EventBridge guides.

use aws_lite_pubsub::filter::{
    AttributeValue, Dialect, Event, FilterPolicyScope, FilterSet, Policy, TopicFilter,
};
use serde_json::{Value, json};

const ATTRS: Dialect = Dialect::Sns(FilterPolicyScope::MessageAttributes);
const BODY: Dialect = Dialect::Sns(FilterPolicyScope::MessageBody);
const EB: Dialect = Dialect::EventBridge;

fn policy(dialect: Dialect, p: Value) -> Policy {
    Policy::parse(&p.to_string(), dialect).expect("valid policy")
}

/// Matches one attribute, by the policy and by a set holding it (they must agree).
fn attr(p: &Policy, name: &str, data_type: &str, value: &str) -> bool {
    attrs(p, &[(name, data_type, value)])
}

fn attrs(p: &Policy, list: &[(&str, &str, &str)]) -> bool {
    let pairs: Vec<(&str, AttributeValue<'_>)> = list
        .iter()
        .map(|(n, t, v)| (*n, AttributeValue::new(t, v)))
        .collect();
    let by_policy = p.matches(Event::Attributes(&pairs));
    let mut set = FilterSet::new(p.dialect());
    set.insert((), p.clone()).expect("same dialect");
    let by_set = !set.matches(Event::Attributes(&pairs)).is_empty();
    assert_eq!(by_policy, by_set, "policy and set disagree");
    by_policy
}

/// Matches a JSON document three ways (policy, set on the value, set on the text).
fn doc(p: &Policy, d: Value) -> bool {
    let text = d.to_string();
    let by_policy = p.matches(Event::Json(&d));
    let mut set = FilterSet::new(p.dialect());
    set.insert((), p.clone()).expect("same dialect");
    assert_eq!(
        by_policy,
        !set.matches(Event::Json(&d)).is_empty(),
        "set (value) disagrees"
    );
    assert_eq!(
        by_policy,
        !set.matches(Event::Text(&text)).is_empty(),
        "set (text) disagrees"
    );
    by_policy
}

#[test]
fn exact_string_matching() {
    let p = policy(ATTRS, json!({"customer_interests": ["rugby", "tennis"]}));
    assert!(attr(&p, "customer_interests", "String", "rugby"));
    assert!(attr(&p, "customer_interests", "String", "tennis"));
    assert!(attr(
        &p,
        "customer_interests",
        "String.Array",
        r#"["rugby", "tennis"]"#
    ));
    assert!(!attr(&p, "customer_interests", "String", "baseball"));
    assert!(!attr(
        &p,
        "customer_interests",
        "String.Array",
        r#"["baseball"]"#
    ));
    assert!(
        !attr(&p, "customer_interests", "String", "Rugby"),
        "case-sensitive"
    );
    let p = policy(BODY, json!({"customer_interests": ["rugby", "tennis"]}));
    assert!(doc(&p, json!({"customer_interests": "rugby"})));
    assert!(!doc(&p, json!({"customer_interests": "baseball"})));
}

#[test]
fn the_guides_example_policies() {
    let message = [
        (
            "customer_interests",
            "String.Array",
            r#"["soccer", "rugby", "hockey"]"#,
        ),
        ("store", "String", "example_corp"),
        ("event", "String", "order_placed"),
        ("price_usd", "Number", "210.75"),
    ];
    let accepts = policy(
        ATTRS,
        json!({
            "store": ["example_corp"],
            "event": [{"anything-but": "order_cancelled"}],
            "customer_interests": ["rugby", "football", "baseball"],
            "price_usd": [{"numeric": [">=", 100]}]
        }),
    );
    assert!(attrs(&accepts, &message));
    let rejects = policy(
        ATTRS,
        json!({
            "store": ["example_corp"],
            "event": ["order_cancelled"],
            "encrypted": [false],
            "customer_interests": ["basketball", "baseball"]
        }),
    );
    assert!(!attrs(&rejects, &message));
}

#[test]
fn anything_but() {
    let p = policy(
        ATTRS,
        json!({"customer_interests": [{"anything-but": ["rugby", "tennis"]}]}),
    );
    assert!(attr(&p, "customer_interests", "String", "baseball"));
    assert!(attr(&p, "customer_interests", "String", "football"));
    assert!(!attr(&p, "customer_interests", "String", "rugby"));
    // On a String.Array attribute it matches when none of the elements is listed.
    assert!(!attr(
        &p,
        "customer_interests",
        "String.Array",
        r#"["rugby", "baseball"]"#
    ));
    assert!(attr(
        &p,
        "customer_interests",
        "String.Array",
        r#"["golf", "baseball"]"#
    ));
    // A missing key never matches anything-but.
    assert!(!attr(&p, "other", "String", "x"));

    let p = policy(ATTRS, json!({"price": [{"anything-but": [100, 500]}]}));
    assert!(attr(&p, "price", "Number", "101"));
    assert!(attr(&p, "price", "Number", "100.1"));
    assert!(!attr(&p, "price", "Number", "100"));
    assert!(!attr(&p, "price", "Number", "1e2"));

    let p = policy(
        ATTRS,
        json!({"event": [{"anything-but": {"prefix": "order-"}}]}),
    );
    assert!(attr(&p, "event", "String", "data-entry"));
    assert!(attr(&p, "event", "String", "order_number"));
    assert!(!attr(&p, "event", "String", "order-cancelled"));

    // Combined with exists: false in the same list.
    let p = policy(
        BODY,
        json!({"state": [{"anything-but": ["roses"]}, {"exists": false}]}),
    );
    assert!(doc(&p, json!({"state": "tulips"})));
    assert!(doc(&p, json!({"other": 1})));
    assert!(!doc(&p, json!({"state": "roses"})));

    // In a body array, one element that is not listed is enough.
    let p = policy(BODY, json!({"sport": [{"anything-but": "rugby"}]}));
    assert!(doc(&p, json!({"sport": ["rugby", "golf"]})));
    assert!(!doc(&p, json!({"sport": ["rugby"]})));
}

#[test]
fn prefix_suffix_and_equals_ignore_case() {
    let p = policy(ATTRS, json!({"customer_interests": [{"prefix": "bas"}]}));
    assert!(attr(&p, "customer_interests", "String", "baseball"));
    assert!(attr(&p, "customer_interests", "String", "basketball"));
    assert!(!attr(&p, "customer_interests", "String", "rugby"));
    let p = policy(BODY, json!({"customer_interests": [{"suffix": "ball"}]}));
    assert!(doc(&p, json!({"customer_interests": "baseball"})));
    assert!(!doc(&p, json!({"customer_interests": "rugby"})));
    let p = policy(
        ATTRS,
        json!({"customer_interests": [{"equals-ignore-case": "tennis"}]}),
    );
    assert!(attr(&p, "customer_interests", "String", "TeNnis"));
    assert!(!attr(&p, "customer_interests", "String", "tenniss"));
    // Strings only: a Number attribute does not match a prefix.
    let p = policy(ATTRS, json!({"code": [{"prefix": "1"}]}));
    assert!(!attr(&p, "code", "Number", "12"));
}

#[test]
fn numeric_matching() {
    let p = policy(ATTRS, json!({"price_usd": [{"numeric": ["=", 301.5]}]}));
    assert!(attr(&p, "price_usd", "Number", "301.5"));
    assert!(attr(&p, "price_usd", "Number", "3.015e2"));
    assert!(
        !attr(&p, "price_usd", "String", "301.5"),
        "a String attribute is not a number"
    );
    let p = policy(ATTRS, json!({"price_usd": [{"numeric": ["<", 0]}]}));
    assert!(attr(&p, "price_usd", "Number", "-1"));
    assert!(!attr(&p, "price_usd", "Number", "0"));
    let p = policy(
        ATTRS,
        json!({"price_usd": [{"numeric": [">", 0, "<=", 150]}]}),
    );
    assert!(attr(&p, "price_usd", "Number", "150"));
    assert!(attr(&p, "price_usd", "Number", "0.5"));
    assert!(!attr(&p, "price_usd", "Number", "0"));
    assert!(!attr(&p, "price_usd", "Number", "150.1"));
    let p = policy(BODY, json!({"n": [{"numeric": [">=", 10, "<", 20]}]}));
    assert!(doc(&p, json!({"n": 10})));
    assert!(!doc(&p, json!({"n": 20})));
    assert!(!doc(&p, json!({"n": "15"})), "a string is not a number");
    // SNS compares six decimals: these are equal.
    let p = policy(BODY, json!({"n": [{"numeric": ["=", 1.0000001]}]}));
    assert!(doc(&p, json!({"n": 1.0000002})));
}

#[test]
fn numbers_compare_by_value() {
    for d in [BODY, EB] {
        let p = policy(d, json!({"x": [35.0]}));
        assert!(doc(&p, json!({"x": 35})));
        assert!(doc(&p, serde_json::from_str(r#"{"x": 3.5e1}"#).unwrap()));
        assert!(!doc(&p, json!({"x": "35"})));
    }
    let p = policy(ATTRS, json!({"x": [35]}));
    assert!(attr(&p, "x", "Number", "35.0"));
    assert!(attr(&p, "x", "String.Array", "[1, 3.5e1]"));
}

#[test]
fn booleans_and_null() {
    let p = policy(BODY, json!({"flag": [true], "gone": [null]}));
    assert!(doc(&p, json!({"flag": true, "gone": null})));
    assert!(!doc(&p, json!({"flag": "true", "gone": null})));
    assert!(!doc(&p, json!({"flag": true})));
    let p = policy(ATTRS, json!({"field": [true]}));
    assert!(attr(&p, "field", "String.Array", "[true]"));
    assert!(!attr(&p, "field", "String.Array", "['anything']"));
}

#[test]
fn exists() {
    let p = policy(ATTRS, json!({"store": [{"exists": true}]}));
    assert!(attrs(
        &p,
        &[("store", "String", "fans"), ("x", "String", "y")]
    ));
    assert!(!attr(&p, "customer_interests", "String", "baseball"));
    let p = policy(ATTRS, json!({"store": [{"exists": false}]}));
    assert!(attr(&p, "def", "Number", "99"));
    assert!(!attr(&p, "store", "Number", "99"));
    // Only when the message has at least one attribute.
    assert!(!attrs(&p, &[]));
    // Binary attributes are ignored, as if not sent.
    assert!(!attr(&p, "blob", "Binary", "AAEC"));
    let p = policy(ATTRS, json!({"blob": [{"exists": true}]}));
    assert!(!attr(&p, "blob", "Binary", "AAEC"));

    // In the body, exists looks at leaf values.
    let p = policy(BODY, json!({"a": {"b": [{"exists": true}]}}));
    assert!(doc(&p, json!({"a": {"b": null}})));
    assert!(!doc(&p, json!({"a": {"b": {"c": 1}}})));
    assert!(!doc(&p, json!({"a": {"b": []}})));
    let p = policy(BODY, json!({"a": {"b": [{"exists": false}]}}));
    assert!(doc(&p, json!({"a": {"c": 1}})));
    assert!(doc(&p, json!({})));
}

#[test]
fn cidr_v4_and_v6() {
    let p = policy(ATTRS, json!({"source_ip": [{"cidr": "10.0.0.0/24"}]}));
    assert!(attr(&p, "source_ip", "String", "10.0.0.0"));
    assert!(attr(&p, "source_ip", "String", "10.0.0.255"));
    assert!(!attr(&p, "source_ip", "String", "10.1.1.0"));
    assert!(!attr(&p, "source_ip", "String", "10.0.0.256"));
    let p = policy(BODY, json!({"ip": [{"cidr": "2001:db8:1234:1a00::/64"}]}));
    assert!(doc(
        &p,
        json!({"ip": "2001:0db8:1234:1a00:0000:0000:0000:0001"})
    ));
    assert!(!doc(&p, json!({"ip": "2001:db8:123f:1a01::"})));
    assert!(!doc(&p, json!({"ip": "10.0.0.1"})));
}

#[test]
fn or_and_and() {
    let p = policy(
        ATTRS,
        json!({"customer_interests": ["rugby"], "price_usd": [{"numeric": [">", 100]}]}),
    );
    assert!(attrs(
        &p,
        &[
            ("customer_interests", "String", "rugby"),
            ("price_usd", "Number", "101")
        ]
    ));
    assert!(!attrs(
        &p,
        &[
            ("customer_interests", "String", "rugby"),
            ("price_usd", "Number", "99")
        ]
    ));
    let p = policy(
        ATTRS,
        json!({"source": ["aws.cloudwatch"], "$or": [
            {"metricName": ["CPUUtilization", "ReadLatency"]},
            {"metricType": ["MetricType"], "$or": [{"metricId": [1234, 4321]}, {"spaceId": [1000]}]}
        ]}),
    );
    assert_eq!(p.branch_count(), 3);
    let base = ("source", "String", "aws.cloudwatch");
    assert!(attrs(&p, &[base, ("metricName", "String", "ReadLatency")]));
    assert!(attrs(
        &p,
        &[
            base,
            ("metricType", "String", "MetricType"),
            ("spaceId", "Number", "1000")
        ]
    ));
    assert!(!attrs(&p, &[base, ("metricType", "String", "MetricType")]));
    assert!(!attrs(&p, &[("metricName", "String", "ReadLatency")]));
}

#[test]
fn nested_body_and_dotted_keys() {
    let p = policy(BODY, json!({"object": {"key": [{"prefix": "auto-"}]}}));
    assert!(doc(&p, json!({"object": {"key": "auto-test"}})));
    assert!(doc(&p, json!({"object.key": "auto-test"})));
    assert!(doc(
        &p,
        json!({"object": [{"key": "x"}, {"key": "auto-y"}]})
    ));
    assert!(!doc(&p, json!({"object": {"key": "test-auto"}})));
    let p = policy(BODY, json!({"object.nested": ["string.value"]}));
    assert!(doc(&p, json!({"object": {"nested": "string.value"}})));
    assert!(doc(&p, json!({"object.nested": "string.value"})));
    // A body that is not a JSON object matches nothing.
    let p = policy(BODY, json!({}));
    assert!(p.matches_str("{}"));
    assert!(!p.matches_str("Regular string message"));
    assert!(!p.matches_str(r#""a json string""#));
}

#[test]
fn eventbridge_extras() {
    let p = policy(EB, json!({"FileName": [{"wildcard": "/Users/*/doc.txt"}]}));
    assert!(doc(&p, json!({"FileName": "/Users/ana/doc.txt"})));
    assert!(!doc(&p, json!({"FileName": "/Users/ana/doc.txt.bak"})));
    let p = policy(EB, json!({"x": [{"anything-but": {"suffix": ".txt"}}]}));
    assert!(doc(&p, json!({"x": "a.jpg"})));
    assert!(!doc(&p, json!({"x": "a.txt"})));
    assert!(doc(&p, json!({"x": null})));
    let p = policy(
        EB,
        json!({"x": [{"anything-but": {"equals-ignore-case": ["Stopped"]}}]}),
    );
    assert!(!doc(&p, json!({"x": "STOPPED"})));
    assert!(doc(&p, json!({"x": "running"})));
    let p = policy(
        EB,
        json!({"x": [{"anything-but": {"wildcard": "*/init/*"}}]}),
    );
    assert!(!doc(&p, json!({"x": "dir/init/file"})));
    let p = policy(
        EB,
        json!({"x": [{"prefix": {"equals-ignore-case": "EventB"}}]}),
    );
    assert!(doc(&p, json!({"x": "eventbridge"})));
    let p = policy(
        EB,
        json!({"x": [{"suffix": {"equals-ignore-case": ".PNG"}}]}),
    );
    assert!(doc(&p, json!({"x": "a.png"})));
    // SNS does not know these.
    assert!(Policy::parse(r#"{"x": [{"wildcard": "a*"}]}"#, BODY).is_err());
    assert!(Policy::parse(r#"{"x": [{"anything-but": {"suffix": "a"}}]}"#, BODY).is_err());
}

#[test]
fn eventbridge_arrays_are_consistent() {
    let p = policy(
        EB,
        json!({"bands": {"members": {"given": ["Wata"], "role": ["guitar"]}}}),
    );
    let boris = json!({"bands": [
        {"name": "The Clash", "members": [{"given": "Joe", "role": ["guitar"]}]},
        {"name": "Boris", "members": [{"given": "Wata", "role": ["guitar", "vocals"]}]}
    ]});
    assert!(doc(&p, boris));
    let mixed = json!({"bands": [
        {"members": [{"given": "Wata", "role": ["bass"]}, {"given": "Joe", "role": ["guitar"]}]}
    ]});
    assert!(!doc(&p, mixed.clone()));
    // SNS evaluates each field on its own.
    let p = policy(
        BODY,
        json!({"bands": {"members": {"given": ["Wata"], "role": ["guitar"]}}}),
    );
    assert!(doc(&p, mixed));
}

#[test]
fn sets_insert_replace_remove() {
    let mut set = FilterSet::new(ATTRS);
    set.insert("a", policy(ATTRS, json!({"k": ["1"]}))).unwrap();
    set.insert("b", policy(ATTRS, json!({"k": ["1", "2"]})))
        .unwrap();
    let one = [("k", AttributeValue::String("1"))];
    assert_eq!(set.matches_attributes(one), vec!["a", "b"]);
    set.insert("a", policy(ATTRS, json!({"k": ["3"]}))).unwrap();
    assert_eq!(set.matches_attributes(one), vec!["b"]);
    assert!(set.remove(&"b").is_some());
    assert!(set.matches_attributes(one).is_empty());
    assert_eq!(set.len(), 1);
    assert!(set.insert("c", policy(BODY, json!({"k": ["1"]}))).is_err());
    // Many removals trigger a rebuild; results stay right.
    for i in 0..200 {
        set.insert("tmp", policy(ATTRS, json!({"k": [format!("{i}")]})))
            .unwrap();
        set.remove(&"tmp");
    }
    assert_eq!(
        set.matches_attributes([("k", AttributeValue::String("3"))]),
        vec!["a"]
    );
}

#[test]
fn topic_filter_routes_by_scope() {
    let mut t = TopicFilter::new();
    t.insert(1u32, policy(ATTRS, json!({"kind": ["order"]})))
        .unwrap();
    t.insert(2, policy(BODY, json!({"total": [{"numeric": [">", 100]}]})))
        .unwrap();
    t.insert(3, policy(BODY, json!({"total": [{"numeric": ["<", 100]}]})))
        .unwrap();
    let attrs = [("kind", AttributeValue::String("order"))];
    assert_eq!(t.matches(attrs, r#"{"total": 250}"#), vec![1, 2]);
    t.insert(2, policy(ATTRS, json!({"kind": ["refund"]})))
        .unwrap();
    assert_eq!(t.matches(attrs, r#"{"total": 50}"#), vec![1, 3]);
    assert_eq!(t.len(), 3);
    assert!(t.insert(9, policy(EB, json!({"a": ["b"]}))).is_err());
}

#[test]
fn handles_are_send_and_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Policy>();
    assert_send_sync::<FilterSet<String>>();
    assert_send_sync::<TopicFilter<String>>();
    assert_send_sync::<Dialect>();
}
