//! Model-based property test of the SNS service state: random sequences of CreateTopic
//! (standard and FIFO, idempotent re-creates, attribute and tag conflicts), DeleteTopic,
//! Subscribe (SQS queues, a FIFO queue and in-process `NotificationStream`s), Unsubscribe,
//! Set/GetSubscriptionAttributes (valid and invalid `FilterPolicy`, `FilterPolicyScope`,
//! `RawMessageDelivery`, `DeliveryPolicy`), Set/GetTopicAttributes, tags, Publish and
//! PublishBatch (with bad input: oversize messages and batches, duplicate and invalid entry ids,
//! FIFO publishes without a group or deduplication id, invalid `String.Array` and `Number`
//! attributes) and clock advances drive the real `Sns` (through its public API, on a runtime
//! whose time is paused) side by side with a small plain model.
//!
//! The model holds the topics (attributes, tags, subscriptions, FIFO deduplication ids and
//! sequence numbers, counters), the subscriptions (raw delivery, filter policy and scope,
//! delivery policy) and, for every endpoint, the deliveries it must receive. It evaluates the
//! few filter policies the test uses by hand, from their documented meaning. Each step's answer
//! (result, error code and message) is compared with the model's; after each step every
//! listing, every topic's and subscription's attributes, every topic's tags and metrics and
//! every endpoint's deliveries must equal what the model says.
//!
//! Each case starts with a setup (every topic created, a few subscriptions) so that most later
//! steps find something to act on, then runs up to 40 random steps. The steps are a plain
//! `Vec` drawn by proptest and applied in order (so they shrink like any vector); the crate
//! does not depend on `proptest-state-machine`, which `aws-lite-queue`'s model tests use.

mod support;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use aws_lite_core::{Error, Rand};
use aws_lite_pubsub::operation::publish_batch::PublishBatchRequestEntry;
use aws_lite_pubsub::types::Tag;
use aws_lite_pubsub::{MessageAttributeValue, MessageAttributes, NotificationStream, Sns, Topic};
use aws_lite_queue::{MessageSystemAttributeName as Attr, Queue, Sqs};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::Value;
use sha2::Digest as _;
use tokio::runtime::Runtime;

/// At most this many steps per case.
const MAX_STEPS: usize = 40;
/// The account every resource belongs to.
const ACCOUNT: &str = "000000000000";

proptest! {
    #![proptest_config(Config {
        cases: 256,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/model_sns.txt",
        ))),
        .. Config::default()
    })]

    #[test]
    fn sns_matches_model(
        seed in any::<u64>(),
        setup in setup(),
        steps in prop::collection::vec(step(), 1..=MAX_STEPS),
    ) {
        let mut sut = Sut::new(seed);
        for (i, step) in setup.iter().chain(&steps).enumerate() {
            sut.apply(step);
            sut.check(i, step);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The fixed pools the steps draw from.
// ---------------------------------------------------------------------------------------------

/// The topics: name and whether it is FIFO.
const TOPICS: [(&str, bool); 3] = [("t0", false), ("t1", false), ("f0.fifo", true)];

/// The endpoints: three queues (the last FIFO) and two in-process streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Ep {
    Q0,
    Q1,
    QF,
    S0,
    S1,
}

const ENDPOINTS: [Ep; 5] = [Ep::Q0, Ep::Q1, Ep::QF, Ep::S0, Ep::S1];

impl Ep {
    fn is_queue(self) -> bool {
        matches!(self, Ep::Q0 | Ep::Q1 | Ep::QF)
    }

    fn protocol(self) -> &'static str {
        if self.is_queue() {
            "sqs"
        } else {
            "application"
        }
    }
}

/// Filter policies. 0–4 are flat and valid in both scopes, 5 is nested (valid only in the
/// `MessageBody` scope), 6–9 are invalid in both.
const POLICIES: [&str; 10] = [
    r#"{"color":["red"]}"#,
    r#"{"n":[{"numeric":[">",5]}]}"#,
    r#"{"color":[{"anything-but":["red"]}]}"#,
    r#"{"color":[{"exists":false}]}"#,
    r#"{"kind":["order"]}"#,
    r#"{"detail":{"kind":["order"]}}"#,
    r#"{"color":"red"}"#,
    "not json",
    r#"{"a":[{"anything-but":{"suffix":"x"}}]}"#,
    r#"{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}"#,
];
const NESTED: usize = 5;
const NESTED_MESSAGE: &str =
    "Filter policy scope MessageAttributes does not support nested filter policy";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Attributes,
    Body,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Attributes => "MessageAttributes",
            Scope::Body => "MessageBody",
        }
    }
}

fn policy_valid(p: usize, scope: Scope) -> bool {
    p < NESTED || (p == NESTED && scope == Scope::Body)
}

/// Subscription `DeliveryPolicy` values and, for the invalid ones, the reason SNS gives.
const SUB_DELIVERY: [(&str, Option<&str>); 6] = [
    (
        r#"{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":5,"numRetries":3}}"#,
        None,
    ),
    (r#"{"throttlePolicy":{"maxReceivesPerSecond":5}}"#, None),
    (
        r#"{"healthyRetryPolicy":{"minDelayTarget":1,"maxDelayTarget":5,"numRetries":101}}"#,
        Some("healthyRetryPolicy.numRetries must be less than or equal to 100"),
    ),
    (
        r#"{"healthyRetryPolicy":{"minDelayTarget":9,"maxDelayTarget":5,"numRetries":3}}"#,
        Some("healthyRetryPolicy.maxDelayTarget must be greater than or equal to minDelayTarget"),
    ),
    (
        r#"{"healthyRetryPolicy":{"minDelayTarget":0,"maxDelayTarget":5,"numRetries":3}}"#,
        Some("healthyRetryPolicy.minDelayTarget must be greater than or equal to 1"),
    ),
    (
        r#"{"throttlePolicy":{"maxReceivesPerSecond":0}}"#,
        Some("throttlePolicy.maxReceivesPerSecond must be greater than or equal to 1"),
    ),
];

/// Topic `DeliveryPolicy` values and, for the invalid ones, the reason SNS gives.
const TOPIC_DELIVERY: [(&str, Option<&str>); 3] = [
    (
        r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":2,"maxDelayTarget":4,"numRetries":2}}}"#,
        None,
    ),
    (
        r#"{"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":3599,"maxDelayTarget":3600,"numRetries":3}}}"#,
        Some(
            "http.defaultHealthyRetryPolicy: Total policy retry time cannot be greater than 3600 \
             seconds",
        ),
    ),
    (
        r#"{"http":{"defaultThrottlePolicy":{"maxReceivesPerSecond":0}}}"#,
        Some("http.defaultThrottlePolicy.maxReceivesPerSecond must be greater than or equal to 1"),
    ),
];

/// Message bodies: 0–4 ordinary, 5 empty (rejected), 6 over a 1,024-byte `MaximumMessageSize`,
/// 7 over the default 262,144 bytes.
const BODY_COUNT: usize = 8;

fn body(i: usize) -> String {
    match i {
        0 => "hello".into(),
        1 => r#"{"kind":"order","color":"red"}"#.into(),
        2 => r#"{"kind":"refund","n":10}"#.into(),
        3 => r#"{"detail":{"kind":"order"}}"#.into(),
        4 => r#"{"color":"blue"}"#.into(),
        5 => String::new(),
        6 => "m".repeat(1_100),
        _ => "x".repeat(262_145),
    }
}

/// The `color` attribute: absent, or (type, value); the last three are invalid String.Arrays.
const COLORS: [Option<(&str, &str)>; 8] = [
    None,
    Some(("String", "red")),
    Some(("String", "blue")),
    Some(("String.Array", r#"["red","green"]"#)),
    Some(("String.Array", r#"["blue"]"#)),
    Some(("String.Array", "red")),
    Some(("String.Array", r#"{"a":1}"#)),
    Some(("String.Array", r#"[["red"]]"#)),
];
const FIRST_BAD_COLOR: usize = 5;

/// The `n` attribute: absent, a Number, or (last) a Number that is not one.
const NS: [Option<&str>; 4] = [None, Some("3"), Some("10"), Some("ten")];

const GROUPS: [&str; 2] = ["g0", "g1"];
const DEDUP_IDS: [&str; 2] = ["d0", "d1"];

// ---------------------------------------------------------------------------------------------
// Steps.
// ---------------------------------------------------------------------------------------------

/// One message as a Publish or a batch entry gives it.
#[derive(Debug, Clone)]
struct MsgChoice {
    body: usize,
    subject: bool,
    color: usize,
    n: usize,
    group: Option<usize>,
    dedup: Option<usize>,
}

#[derive(Debug, Clone)]
enum TopicAttr {
    DisplayName(&'static str),
    MaximumMessageSize(&'static str),
    ContentBasedDeduplication(&'static str),
    FifoThroughputScope(&'static str),
    DeliveryPolicy(usize),
    FifoTopic,
}

#[derive(Debug, Clone)]
enum SubAttr {
    Raw(&'static str),
    /// A policy of [`POLICIES`], or `None` for the empty value (removes the policy).
    Filter(Option<usize>),
    Scope(&'static str),
    /// A policy of [`SUB_DELIVERY`], or `None` for the empty value.
    Delivery(Option<usize>),
}

#[derive(Debug, Clone)]
enum Step {
    CreateTopic {
        topic: usize,
        /// Ask for the other kind of topic than the name says (rejected).
        wrong_kind: bool,
        /// `None`, `DisplayName` alpha/beta, `ContentBasedDeduplication` true/false.
        attr: Option<(&'static str, &'static str)>,
        tag: Option<&'static str>,
    },
    DeleteTopic {
        topic: usize,
        via_handle: Via,
    },
    Subscribe {
        topic: usize,
        via_handle: Via,
        endpoint: usize,
        raw: Option<&'static str>,
        filter: Option<(usize, Option<&'static str>)>,
        delivery: Option<usize>,
    },
    Unsubscribe {
        sub: Index,
        malformed: bool,
    },
    SetSubscriptionAttributes {
        sub: Index,
        attr: SubAttr,
    },
    SetTopicAttributes {
        topic: usize,
        via_handle: Via,
        attr: TopicAttr,
    },
    GetTopicAttributes {
        topic: usize,
    },
    TagResource {
        topic: usize,
        key: &'static str,
        value: &'static str,
    },
    UntagResource {
        topic: usize,
        key: &'static str,
    },
    Publish {
        topic: usize,
        via_handle: Via,
        msg: MsgChoice,
    },
    PublishBatch {
        topic: usize,
        via_handle: Via,
        entries: Vec<MsgChoice>,
        /// Give entry `.1` the id of entry `.0`.
        duplicate: Option<(Index, Index)>,
        /// Give this entry an id with a forbidden character.
        bad_id: Option<Index>,
    },
    Advance {
        secs: u64,
    },
}

/// A message for a topic: FIFO topics mostly get deduplication ids, standard ones rarely
/// (where they are an error).
fn msg_choice(fifo: bool) -> impl Strategy<Value = MsgChoice> {
    message(fifo, 1)
}

/// A message whose attributes and ids are bad with weight `bad` (against 12).
fn message(fifo: bool, bad: u32) -> impl Strategy<Value = MsgChoice> {
    let dedup_weight = if fifo { 6 } else { bad };
    (
        prop_oneof![12 => 0..5usize, 1 => 5..BODY_COUNT],
        any::<bool>(),
        prop_oneof![12 => 0..FIRST_BAD_COLOR, bad => FIRST_BAD_COLOR..COLORS.len()],
        prop_oneof![12 => 0..3usize, bad => Just(3usize)],
        prop_oneof![1 => Just(None), 12 => (0..GROUPS.len()).prop_map(Some)],
        prop_oneof![
            3 => Just(None),
            dedup_weight => (0..DEDUP_IDS.len()).prop_map(Some),
        ],
    )
        .prop_map(|(body, subject, color, n, group, dedup)| MsgChoice {
            body,
            subject,
            color,
            n,
            group,
            dedup,
        })
}

/// The steps every case starts with, so that most later steps find topics and subscribers:
/// each topic created (with random attributes and tags), then a few subscriptions.
fn setup() -> impl Strategy<Value = Vec<Step>> {
    (
        create_attr(),
        create_attr(),
        create_attr(),
        prop::collection::vec(subscribe(), 2..=6),
    )
        .prop_map(|(a0, a1, a2, subs)| {
            let mut steps: Vec<Step> = [a0, a1, a2]
                .into_iter()
                .enumerate()
                .map(|(topic, (attr, tag))| Step::CreateTopic {
                    topic,
                    wrong_kind: false,
                    // Standard topics refuse ContentBasedDeduplication: the setup creates them.
                    attr: attr
                        .filter(|(k, _)| TOPICS[topic].1 || *k != "ContentBasedDeduplication"),
                    tag,
                })
                .collect();
            steps.extend(subs);
            steps
        })
}

/// CreateTopic's optional attribute and tag.
fn create_attr()
-> impl Strategy<Value = (Option<(&'static str, &'static str)>, Option<&'static str>)> {
    (
        prop_oneof![
            3 => Just(None),
            1 => Just(Some(("DisplayName", "alpha"))),
            1 => Just(Some(("DisplayName", "beta"))),
            1 => Just(Some(("ContentBasedDeduplication", "true"))),
            1 => Just(Some(("ContentBasedDeduplication", "false"))),
        ],
        prop_oneof![3 => Just(None), 1 => Just(Some("a")), 1 => Just(Some("b"))],
    )
}

fn subscribe() -> impl Strategy<Value = Step> {
    (
        0..TOPICS.len(),
        via(),
        0..ENDPOINTS.len(),
        prop_oneof![
            4 => Just(None),
            2 => Just(Some("true")),
            1 => Just(Some("false")),
            1 => Just(Some("yes")),
        ],
        prop_oneof![
            2 => Just(None),
            3 => (
                prop_oneof![8 => 0..=NESTED, 1 => NESTED + 1..POLICIES.len()],
                prop_oneof![2 => Just(None), 2 => scope_value().prop_map(Some)],
            )
                .prop_map(Some),
        ],
        prop_oneof![4 => Just(None), 1 => (0..SUB_DELIVERY.len()).prop_map(Some)],
    )
        .prop_map(
            |(topic, via_handle, endpoint, raw, filter, delivery)| Step::Subscribe {
                topic,
                via_handle,
                endpoint,
                raw,
                filter,
                delivery,
            },
        )
}

/// How a request names its topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// By ARN.
    Arn,
    /// Through the handle of the topic's latest creation.
    Latest,
    /// Through the handle of the topic's first creation (stale once it was deleted, even when
    /// a topic of the same name exists again).
    Oldest,
}

fn via() -> impl Strategy<Value = Via> {
    prop_oneof![3 => Just(Via::Arn), 2 => Just(Via::Latest), 1 => Just(Via::Oldest)]
}

fn scope_value() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => Just("MessageAttributes"), 4 => Just("MessageBody"), 1 => Just("Everything")]
}

fn step() -> impl Strategy<Value = Step> {
    let topic = || 0..TOPICS.len();
    prop_oneof![
        2 => (topic(), prop::bool::weighted(0.1), create_attr())
            .prop_map(|(topic, wrong_kind, (attr, tag))| Step::CreateTopic {
                topic,
                wrong_kind,
                attr,
                tag,
            }),
        1 => (topic(), via())
            .prop_map(|(topic, via_handle)| Step::DeleteTopic { topic, via_handle }),
        4 => subscribe(),
        2 => (any::<Index>(), prop::bool::weighted(0.1))
            .prop_map(|(sub, malformed)| Step::Unsubscribe { sub, malformed }),
        4 => (
            any::<Index>(),
            prop_oneof![
                2 => prop_oneof![Just("true"), Just("false"), Just("TRUE"), Just("yes")]
                    .prop_map(SubAttr::Raw),
                3 => prop_oneof![
                    2 => Just(None),
                    8 => (0..=NESTED).prop_map(Some),
                    1 => (NESTED + 1..POLICIES.len()).prop_map(Some),
                ]
                    .prop_map(SubAttr::Filter),
                2 => scope_value().prop_map(SubAttr::Scope),
                1 => prop_oneof![
                    1 => Just(None),
                    4 => (0..SUB_DELIVERY.len()).prop_map(Some),
                ]
                    .prop_map(SubAttr::Delivery),
            ],
        )
            .prop_map(|(sub, attr)| Step::SetSubscriptionAttributes { sub, attr }),
        3 => (
            topic(),
            via(),
            prop_oneof![
                prop_oneof![Just("alpha"), Just("beta")].prop_map(TopicAttr::DisplayName),
                prop_oneof![Just("1024"), Just("262144"), Just("100")]
                    .prop_map(TopicAttr::MaximumMessageSize),
                prop_oneof![Just("true"), Just("false")]
                    .prop_map(TopicAttr::ContentBasedDeduplication),
                prop_oneof![Just("Topic"), Just("MessageGroup")]
                    .prop_map(TopicAttr::FifoThroughputScope),
                (0..TOPIC_DELIVERY.len()).prop_map(TopicAttr::DeliveryPolicy),
                Just(TopicAttr::FifoTopic),
            ],
        )
            .prop_map(|(topic, via_handle, attr)| Step::SetTopicAttributes {
                topic,
                via_handle,
                attr,
            }),
        1 => topic().prop_map(|topic| Step::GetTopicAttributes { topic }),
        1 => (topic(), prop_oneof![Just("env"), Just("team")], prop_oneof![Just("a"), Just("b")])
            .prop_map(|(topic, key, value)| Step::TagResource { topic, key, value }),
        1 => (topic(), prop_oneof![Just("env"), Just("team")])
            .prop_map(|(topic, key)| Step::UntagResource { topic, key }),
        12 => (topic(), via())
            .prop_flat_map(|(topic, via_handle)| {
                msg_choice(TOPICS[topic].1).prop_map(move |msg| Step::Publish {
                    topic,
                    via_handle,
                    msg,
                })
            }),
        4 => (topic(), via())
            .prop_flat_map(|(topic, via_handle)| {
                let fifo = TOPICS[topic].1;
                (
                    prop_oneof![1 => Just(0usize), 12 => 1..=10usize, 1 => Just(11usize)]
                        .prop_flat_map(move |n| prop::collection::vec(message(fifo, 0), n)),
                    // Now and then one entry that may be bad in any way.
                    prop_oneof![
                        3 => Just(None),
                        1 => (any::<Index>(), msg_choice(fifo)).prop_map(Some),
                    ],
                    prop_oneof![6 => Just(None), 1 => any::<(Index, Index)>().prop_map(Some)],
                    prop_oneof![8 => Just(None), 1 => any::<Index>().prop_map(Some)],
                )
                    .prop_map(move |(mut entries, odd, duplicate, bad_id)| {
                        if let (Some((at, m)), false) = (odd, entries.is_empty()) {
                            let at = at.index(entries.len());
                            entries[at] = m;
                        }
                        Step::PublishBatch {
                            topic,
                            via_handle,
                            entries,
                            duplicate,
                            bad_id,
                        }
                    })
            }),
        2 => prop_oneof![Just(1u64), Just(60), Just(299), Just(301)]
            .prop_map(|secs| Step::Advance { secs }),
    ]
}

// ---------------------------------------------------------------------------------------------
// The model.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct ModelSub {
    arn: String,
    topic: usize,
    endpoint: Ep,
    raw: bool,
    filter: Option<usize>,
    scope: Scope,
    delivery: Option<usize>,
}

impl ModelSub {
    fn new(arn: String, topic: usize, endpoint: Ep) -> ModelSub {
        ModelSub {
            arn,
            topic,
            endpoint,
            raw: false,
            filter: None,
            scope: Scope::Attributes,
            delivery: None,
        }
    }

    /// What GetSubscriptionAttributes reports of the attributes a request can set.
    fn settable(&self) -> BTreeMap<&'static str, String> {
        let mut m = BTreeMap::new();
        m.insert("RawMessageDelivery", self.raw.to_string());
        if let Some(p) = self.filter {
            m.insert("FilterPolicy", POLICIES[p].to_string());
            m.insert("FilterPolicyScope", self.scope.as_str().to_string());
        }
        if let Some(d) = self.delivery {
            m.insert("DeliveryPolicy", SUB_DELIVERY[d].0.to_string());
        }
        m
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Counters {
    published: u64,
    publish_size: u64,
    delivered: u64,
    filtered_out: u64,
}

#[derive(Debug, Clone)]
struct FirstPublish {
    at: u64,
    message_id: String,
    sequence_number: String,
}

#[derive(Debug, Clone)]
struct ModelTopic {
    fifo: bool,
    arn: String,
    /// Which creation of the name this is (handles are bound to one).
    generation: u64,
    /// Attributes set by CreateTopic / SetTopicAttributes, as reported.
    attrs: BTreeMap<&'static str, String>,
    tags: BTreeMap<&'static str, &'static str>,
    subs: Vec<String>,
    subscriptions_deleted: u64,
    dedup: HashMap<(Option<String>, String), FirstPublish>,
    last_sequence: Option<u128>,
    counters: Counters,
}

impl ModelTopic {
    fn cbd(&self) -> bool {
        self.attrs
            .get("ContentBasedDeduplication")
            .map(String::as_str)
            == Some("true")
    }

    fn per_group(&self) -> bool {
        self.attrs.get("FifoThroughputScope").map(String::as_str) == Some("MessageGroup")
    }

    fn max_size(&self) -> usize {
        self.attrs
            .get("MaximumMessageSize")
            .map_or(262_144, |s| s.parse().unwrap())
    }
}

/// A message attribute as the model holds it: name, type, value.
type AttrTriple = (String, String, String);

/// One delivery an endpoint must receive (or, for a queue, the canonical form of one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Delivery {
    /// Raw delivery (the message as sent) rather than the JSON envelope.
    raw: bool,
    /// `None` for raw deliveries to queues (nothing in a raw SQS message names it).
    message_id: Option<String>,
    topic_arn: Option<String>,
    subscription_arn: Option<String>,
    message: String,
    subject: Option<String>,
    attrs: Vec<AttrTriple>,
    sequence_number: Option<String>,
    /// FIFO queue only: the message group and deduplication id SQS reports.
    group: Option<String>,
    dedup_id: Option<String>,
}

/// A message accepted by the model, ready for fan-out.
#[derive(Debug, Clone)]
struct Accepted {
    message: String,
    subject: Option<String>,
    attrs: Vec<AttrTriple>,
    group: Option<String>,
    dedup_id: Option<String>,
    size: usize,
}

#[derive(Debug, Default)]
struct Model {
    now: u64,
    topics: [Option<ModelTopic>; 3],
    generations: [u64; 3],
    subs: BTreeMap<String, ModelSub>,
    /// Every subscription ARN ever returned (live or not), for steps that name one.
    known_subs: Vec<String>,
    /// Every message id returned, so each must be new.
    message_ids: HashSet<String>,
    /// Deliveries each endpoint must still receive.
    pending: BTreeMap<Ep, Vec<Delivery>>,
    /// The FIFO queue's deduplication window (scope `messageGroup`): (group, id) → first send.
    queue_dedup: HashMap<(String, String), u64>,
}

impl Model {
    fn topic_arn(i: usize) -> String {
        format!("arn:aws:sns:us-east-1:{ACCOUNT}:{}", TOPICS[i].0)
    }

    /// The live topic a request names (through the handle of creation `handle_gen`, if any).
    fn resolve(&self, topic: usize, handle_gen: Option<u64>) -> Option<&ModelTopic> {
        let t = self.topics[topic].as_ref()?;
        match handle_gen {
            Some(g) if g != t.generation => None,
            _ => Some(t),
        }
    }
}

/// Whether policy `p` in `scope` lets the message through.
fn policy_matches(p: usize, scope: Scope, message: &str, attrs: &[AttrTriple]) -> bool {
    match scope {
        Scope::Attributes => {
            let get = |name: &str| attrs.iter().find(|(n, _, _)| n == name);
            let color = get("color");
            let array = |v: &str| -> Vec<String> {
                serde_json::from_str::<Vec<String>>(v)
                    .expect("the model only sends arrays of strings")
            };
            match p {
                0 => color.is_some_and(|(_, t, v)| match t.as_str() {
                    "String.Array" => array(v).iter().any(|e| e == "red"),
                    _ => v == "red",
                }),
                1 => get("n")
                    .is_some_and(|(_, t, v)| t == "Number" && v.parse::<f64>().unwrap() > 5.0),
                // anything-but on a String.Array: none of the elements is listed.
                2 => color.is_some_and(|(_, t, v)| match t.as_str() {
                    "String.Array" => array(v).iter().all(|e| e != "red"),
                    _ => v != "red",
                }),
                // exists:false in the attribute scope needs at least one attribute.
                3 => color.is_none() && !attrs.is_empty(),
                4 => get("kind").is_some_and(|(_, _, v)| v == "order"),
                _ => unreachable!("policy {p} is not valid in the attribute scope"),
            }
        }
        Scope::Body => {
            let Ok(Value::Object(body)) = serde_json::from_str::<Value>(message) else {
                return false;
            };
            match p {
                0 => body.get("color").and_then(Value::as_str) == Some("red"),
                1 => body
                    .get("n")
                    .and_then(Value::as_f64)
                    .is_some_and(|n| n > 5.0),
                2 => body
                    .get("color")
                    .and_then(Value::as_str)
                    .is_some_and(|c| c != "red"),
                3 => !body.contains_key("color"),
                4 => body.get("kind").and_then(Value::as_str) == Some("order"),
                5 => {
                    body.get("detail")
                        .and_then(|d| d.get("kind"))
                        .and_then(Value::as_str)
                        == Some("order")
                }
                _ => unreachable!("policy {p} is not valid"),
            }
        }
    }
}

/// The outcome the model expects of a request: `Ok` or (code, message).
type Expect<T> = Result<T, (&'static str, String)>;

fn invalid(message: impl Into<String>) -> (&'static str, String) {
    ("InvalidParameter", message.into())
}

fn topic_not_found() -> (&'static str, String) {
    ("NotFound", "Topic does not exist".into())
}

fn assert_err(got: &Error, want: &(&'static str, String), what: &str) {
    assert_eq!(
        (got.code(), got.message()),
        (want.0, want.1.as_str()),
        "{what}: error"
    );
}

/// The attributes of a message choice, and the error SNS gives for a bad one (checked in name
/// order: `color`, then `n`).
fn attributes_of(m: &MsgChoice) -> Expect<Vec<AttrTriple>> {
    let mut out = Vec::new();
    if let Some((ty, v)) = COLORS[m.color] {
        if m.color >= FIRST_BAD_COLOR {
            return Err((
                "ParameterValueInvalid",
                "The message attribute 'color' with type 'String.Array' has an invalid value: a \
                 String.Array must be a JSON array of strings, numbers, true, false or null."
                    .into(),
            ));
        }
        out.push(("color".to_string(), ty.to_string(), v.to_string()));
    }
    if let Some(v) = NS[m.n] {
        if v.parse::<f64>().is_err() {
            return Err((
                "ParameterValueInvalid",
                "Could not cast message attribute 'n' value to number.".into(),
            ));
        }
        out.push(("n".to_string(), "Number".to_string(), v.to_string()));
    }
    Ok(out)
}

fn size_of(message: &str, attrs: &[AttrTriple]) -> usize {
    message.len()
        + attrs
            .iter()
            .map(|(n, t, v)| n.len() + t.len() + v.len())
            .sum::<usize>()
}

impl Model {
    /// The request-level checks of Publish and of each batch entry (attributes, FIFO ids).
    fn check_request(&self, t: &ModelTopic, m: &MsgChoice) -> Expect<Vec<AttrTriple>> {
        let attrs = attributes_of(m)?;
        if t.fifo {
            if m.group.is_none() {
                return Err(invalid(
                    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
                ));
            }
            if m.dedup.is_none() && !t.cbd() {
                return Err(invalid(
                    "Invalid parameter: The topic should either have ContentBasedDeduplication \
                     enabled or MessageDeduplicationId provided explicitly",
                ));
            }
        } else if m.dedup.is_some() {
            return Err(invalid(
                "Invalid parameter: MessageDeduplicationId Reason: The request includes \
                 MessageDeduplicationId parameter that is not valid for this topic type",
            ));
        }
        Ok(attrs)
    }

    /// The message-level checks (empty body, size).
    fn prepare(&self, t: &ModelTopic, m: &MsgChoice, attrs: Vec<AttrTriple>) -> Expect<Accepted> {
        let message = body(m.body);
        if message.is_empty() {
            return Err(invalid("Invalid parameter: Empty message"));
        }
        let size = size_of(&message, &attrs);
        if size > t.max_size() {
            return Err(invalid("Invalid parameter: Message too long"));
        }
        let dedup_id = if t.fifo {
            Some(match m.dedup {
                Some(d) => DEDUP_IDS[d].to_string(),
                None => hex(&sha2::Sha256::digest(message.as_bytes())),
            })
        } else {
            None
        };
        Ok(Accepted {
            message,
            subject: m.subject.then(|| "subj".to_string()),
            attrs,
            group: m.group.map(|g| GROUPS[g].to_string()),
            dedup_id,
            size,
        })
    }

    /// Publishes an accepted message the system answered with (`message_id`, `sequence`):
    /// checks the answer against FIFO deduplication and sequencing, then fans out.
    fn publish(
        &mut self,
        topic: usize,
        a: Accepted,
        message_id: &str,
        sequence: Option<&str>,
        what: &str,
    ) {
        let now = self.now;
        let t = self.topics[topic].as_mut().unwrap();
        let mut sequence_number = None;
        if t.fifo {
            let group_key = t.per_group().then(|| a.group.clone().unwrap());
            let key = (group_key, a.dedup_id.clone().unwrap());
            t.dedup.retain(|_, first| first.at + 300 > now);
            if let Some(first) = t.dedup.get(&key) {
                assert_eq!(
                    (message_id, sequence),
                    (
                        first.message_id.as_str(),
                        Some(first.sequence_number.as_str())
                    ),
                    "{what}: a duplicate is answered with the first message's id and sequence number"
                );
                return;
            }
            let seq = sequence.unwrap_or_else(|| panic!("{what}: no sequence number"));
            assert_eq!(seq.len(), 20, "{what}: sequence number {seq}");
            let n: u128 = seq.parse().unwrap();
            assert!(
                t.last_sequence.is_none_or(|last| n > last),
                "{what}: sequence number {n} after {:?}",
                t.last_sequence
            );
            t.last_sequence = Some(n);
            t.dedup.insert(
                key,
                FirstPublish {
                    at: now,
                    message_id: message_id.to_string(),
                    sequence_number: seq.to_string(),
                },
            );
            sequence_number = Some(seq.to_string());
        } else {
            assert_eq!(
                sequence, None,
                "{what}: a standard topic has no sequence numbers"
            );
        }
        assert!(
            self.message_ids.insert(message_id.to_string()),
            "{what}: message id {message_id} was returned before"
        );
        t.counters.published += 1;
        t.counters.publish_size += a.size as u64;
        let arn = t.arn.clone();
        let subs: Vec<String> = t.subs.clone();
        let mut delivered = 0;
        let mut filtered = 0;
        for sub_arn in subs {
            let s = &self.subs[&sub_arn];
            if let Some(p) = s.filter {
                if !policy_matches(p, s.scope, &a.message, &a.attrs) {
                    filtered += 1;
                    continue;
                }
            }
            delivered += 1;
            let fifo_queue = s.endpoint == Ep::QF;
            if fifo_queue {
                let key = (a.group.clone().unwrap(), a.dedup_id.clone().unwrap());
                self.queue_dedup.retain(|_, at| *at + 300 > now);
                if self.queue_dedup.contains_key(&key) {
                    // Accepted by the queue as a duplicate: SNS counts it delivered.
                    continue;
                }
                self.queue_dedup.insert(key, now);
            }
            let raw_queue = s.raw && s.endpoint.is_queue();
            let d = Delivery {
                raw: s.raw,
                message_id: (!raw_queue).then(|| message_id.to_string()),
                topic_arn: (!raw_queue).then(|| arn.clone()),
                subscription_arn: (!raw_queue).then(|| sub_arn.clone()),
                message: a.message.clone(),
                subject: if raw_queue { None } else { a.subject.clone() },
                attrs: a.attrs.clone(),
                sequence_number: if raw_queue {
                    None
                } else {
                    sequence_number.clone()
                },
                group: if fifo_queue || !s.endpoint.is_queue() {
                    a.group.clone()
                } else {
                    None
                },
                dedup_id: if fifo_queue { a.dedup_id.clone() } else { None },
            };
            self.pending.entry(s.endpoint).or_default().push(d);
        }
        let t = self.topics[topic].as_mut().unwrap();
        t.counters.delivered += delivered;
        t.counters.filtered_out += filtered;
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// The system under test.
// ---------------------------------------------------------------------------------------------

struct Sut {
    rt: Runtime,
    sns: Sns,
    queues: [Queue; 3],
    streams: [NotificationStream; 2],
    /// The handle of each creation of each topic, with that creation's generation.
    handles: [Vec<(Topic, u64)>; 3],
    model: Model,
}

impl Sut {
    fn new(seed: u64) -> Sut {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("runtime");
        let (sns, queues, streams) = rt.block_on(async {
            let sqs = Sqs::builder().rand(Rand::seeded(seed)).build();
            let sns = Sns::builder()
                .sqs(sqs.clone())
                .rand(Rand::seeded(seed.wrapping_add(1)))
                .build();
            let q0 = support::queue(&sqs, "q0").await;
            let q1 = support::queue(&sqs, "q1").await;
            let qf = sqs
                .create_queue()
                .queue_name("qf.fifo")
                .attributes("FifoQueue", "true")
                .attributes("DeduplicationScope", "messageGroup")
                .attributes("FifoThroughputLimit", "perMessageGroupId")
                .send()
                .await
                .expect("CreateQueue qf.fifo")
                .queue();
            let streams = [sns.create_stream_endpoint(), sns.create_stream_endpoint()];
            (sns, [q0, q1, qf], streams)
        });
        Sut {
            rt,
            sns,
            queues,
            streams,
            handles: Default::default(),
            model: Model::default(),
        }
    }

    fn endpoint_arn(&self, ep: Ep) -> String {
        match ep {
            Ep::Q0 => self.queues[0].arn().to_string(),
            Ep::Q1 => self.queues[1].arn().to_string(),
            Ep::QF => self.queues[2].arn().to_string(),
            Ep::S0 => self.streams[0].endpoint_arn().to_string(),
            Ep::S1 => self.streams[1].endpoint_arn().to_string(),
        }
    }

    /// The handle to use (and its generation), when the step goes through one.
    fn handle(&self, topic: usize, via_handle: Via) -> Option<(Topic, u64)> {
        match via_handle {
            Via::Arn => None,
            Via::Latest => self.handles[topic].last().cloned(),
            Via::Oldest => self.handles[topic].first().cloned(),
        }
    }

    fn apply(&mut self, step: &Step) {
        let what = format!("{step:?}");
        match step.clone() {
            Step::CreateTopic {
                topic,
                wrong_kind,
                attr,
                tag,
            } => self.create_topic(topic, wrong_kind, attr, tag, &what),
            Step::DeleteTopic { topic, via_handle } => self.delete_topic(topic, via_handle, &what),
            Step::Subscribe {
                topic,
                via_handle,
                endpoint,
                raw,
                filter,
                delivery,
            } => self.subscribe(
                topic,
                via_handle,
                ENDPOINTS[endpoint],
                raw,
                filter,
                delivery,
                &what,
            ),
            Step::Unsubscribe { sub, malformed } => self.unsubscribe(sub, malformed, &what),
            Step::SetSubscriptionAttributes { sub, attr } => {
                self.set_subscription_attributes(sub, attr, &what)
            }
            Step::SetTopicAttributes {
                topic,
                via_handle,
                attr,
            } => self.set_topic_attributes(topic, via_handle, attr, &what),
            Step::GetTopicAttributes { topic } => {
                let got = self.rt.block_on(
                    self.sns
                        .get_topic_attributes()
                        .topic_arn(Model::topic_arn(topic))
                        .send(),
                );
                match (&self.model.topics[topic], got) {
                    (Some(_), Ok(_)) => {}
                    (None, Err(e)) => assert_err(&e, &topic_not_found(), &what),
                    (m, g) => panic!("{what}: model {m:?}, got {g:?}"),
                }
            }
            Step::TagResource { topic, key, value } => {
                let got = self.rt.block_on(
                    self.sns
                        .tag_resource()
                        .resource_arn(Model::topic_arn(topic))
                        .tags(Tag::new(key, value))
                        .send(),
                );
                match (&mut self.model.topics[topic], got) {
                    (Some(t), Ok(_)) => {
                        t.tags.insert(key, value);
                    }
                    (None, Err(e)) => assert_err(
                        &e,
                        &("ResourceNotFound", "Resource does not exist".into()),
                        &what,
                    ),
                    (m, g) => panic!("{what}: model {m:?}, got {g:?}"),
                }
            }
            Step::UntagResource { topic, key } => {
                let got = self.rt.block_on(
                    self.sns
                        .untag_resource()
                        .resource_arn(Model::topic_arn(topic))
                        .tag_keys(key)
                        .send(),
                );
                match (&mut self.model.topics[topic], got) {
                    (Some(t), Ok(_)) => {
                        t.tags.remove(key);
                    }
                    (None, Err(e)) => assert_err(
                        &e,
                        &("ResourceNotFound", "Resource does not exist".into()),
                        &what,
                    ),
                    (m, g) => panic!("{what}: model {m:?}, got {g:?}"),
                }
            }
            Step::Publish {
                topic,
                via_handle,
                msg,
            } => self.publish(topic, via_handle, &msg, &what),
            Step::PublishBatch {
                topic,
                via_handle,
                entries,
                duplicate,
                bad_id,
            } => self.publish_batch(topic, via_handle, entries, duplicate, bad_id, &what),
            Step::Advance { secs } => {
                self.rt
                    .block_on(tokio::time::advance(Duration::from_secs(secs)));
                self.model.now += secs;
            }
        }
    }

    fn create_topic(
        &mut self,
        topic: usize,
        wrong_kind: bool,
        attr: Option<(&'static str, &'static str)>,
        tag: Option<&'static str>,
        what: &str,
    ) {
        let (name, fifo) = TOPICS[topic];
        let ask_fifo = fifo != wrong_kind;
        let mut req = self.sns.create_topic().name(name);
        if ask_fifo {
            req = req.attributes("FifoTopic", "true");
        }
        if let Some((k, v)) = attr {
            req = req.attributes(k, v);
        }
        if let Some(v) = tag {
            req = req.tags(Tag::new("env", v));
        }
        let got = self.rt.block_on(req.send());

        let expect: Expect<()> = (|| {
            if ask_fifo && !fifo {
                return Err(invalid(
                    "Invalid parameter: Fifo Topic names must end with .fifo and must be made up \
                     of only uppercase and lowercase ASCII letters, numbers, underscores, and \
                     hyphens, and must be between 1 and 256 characters long.",
                ));
            }
            if !ask_fifo && fifo {
                return Err(invalid("Invalid parameter: Topic Name"));
            }
            if let Some(("ContentBasedDeduplication", _)) = attr {
                if !fifo {
                    return Err(invalid(
                        "Invalid parameter: ContentBasedDeduplication Reason: Content based \
                         deduplication can only be set for FIFO topics",
                    ));
                }
            }
            if let Some(t) = &self.model.topics[topic] {
                if let Some((k, v)) = attr {
                    if t.attrs.get(k).map(String::as_str) != Some(v) {
                        return Err(invalid(
                            "Invalid parameter: Attributes Reason: Topic already exists with \
                             different attributes",
                        ));
                    }
                }
                if let Some(v) = tag {
                    if t.tags.get("env") != Some(&v) {
                        return Err(invalid(
                            "Invalid parameter: Tags Reason: Topic already exists with different \
                             tags",
                        ));
                    }
                }
            }
            Ok(())
        })();
        match (expect, got) {
            (Ok(()), Ok(out)) => {
                assert_eq!(out.topic_arn(), Model::topic_arn(topic), "{what}");
                if self.model.topics[topic].is_none() {
                    self.model.generations[topic] += 1;
                    let generation = self.model.generations[topic];
                    let mut attrs = BTreeMap::new();
                    if let Some((k, v)) = attr {
                        attrs.insert(k, v.to_string());
                    }
                    let mut tags = BTreeMap::new();
                    if let Some(v) = tag {
                        tags.insert("env", v);
                    }
                    self.model.topics[topic] = Some(ModelTopic {
                        fifo,
                        arn: Model::topic_arn(topic),
                        generation,
                        attrs,
                        tags,
                        subs: Vec::new(),
                        subscriptions_deleted: 0,
                        dedup: HashMap::new(),
                        last_sequence: None,
                        counters: Counters::default(),
                    });
                    self.handles[topic].push((out.topic(), generation));
                } else {
                    // The handle an idempotent create returns names the same topic.
                    let (latest, _) = self.handles[topic].last().unwrap();
                    assert_eq!(out.topic().arn(), latest.arn(), "{what}");
                    let m = (out.topic().metrics(), latest.metrics());
                    assert_eq!(m.0, m.1, "{what}: the same topic's metrics");
                }
            }
            (Err(want), Err(e)) => assert_err(&e, &want, what),
            (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
        }
    }

    fn delete_topic(&mut self, topic: usize, via_handle: Via, what: &str) {
        let handle = self.handle(topic, via_handle);
        let got = self.rt.block_on(match &handle {
            Some((h, _)) => h.delete_topic().send(),
            None => self
                .sns
                .delete_topic()
                .topic_arn(Model::topic_arn(topic))
                .send(),
        });
        got.unwrap_or_else(|e| panic!("{what}: DeleteTopic is idempotent, got {e}"));
        if self
            .model
            .resolve(topic, handle.as_ref().map(|(_, g)| *g))
            .is_some()
        {
            let t = self.model.topics[topic].take().unwrap();
            for arn in t.subs {
                self.model.subs.remove(&arn);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn subscribe(
        &mut self,
        topic: usize,
        via_handle: Via,
        ep: Ep,
        raw: Option<&'static str>,
        filter: Option<(usize, Option<&'static str>)>,
        delivery: Option<usize>,
        what: &str,
    ) {
        let handle = self.handle(topic, via_handle);
        let endpoint = self.endpoint_arn(ep);
        let mut req = match &handle {
            Some((h, _)) => h.subscribe(),
            None => self.sns.subscribe().topic_arn(Model::topic_arn(topic)),
        }
        .protocol(ep.protocol())
        .endpoint(endpoint.clone());
        if let Some(r) = raw {
            req = req.attributes("RawMessageDelivery", r);
        }
        if let Some((p, scope)) = filter {
            req = req.attributes("FilterPolicy", POLICIES[p]);
            if let Some(s) = scope {
                req = req.attributes("FilterPolicyScope", s);
            }
        }
        if let Some(d) = delivery {
            req = req.attributes("DeliveryPolicy", SUB_DELIVERY[d].0);
        }
        let got = self.rt.block_on(req.send());

        let head = "Invalid parameter: Attributes Reason: ";
        let expect: Expect<Result<String, ModelSub>> = (|| {
            let Some(t) = self.model.resolve(topic, handle.as_ref().map(|(_, g)| *g)) else {
                return Err(topic_not_found());
            };
            if ep == Ep::QF && !t.fifo {
                return Err(invalid(
                    "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can \
                     not be subscribed to standard SNS topics",
                ));
            }
            // The attributes, FilterPolicyScope first, then by name; the policy last.
            let mut new = ModelSub::new(String::new(), topic, ep);
            if let Some((_, Some(s))) = filter {
                new.scope = match s {
                    "MessageAttributes" => Scope::Attributes,
                    "MessageBody" => Scope::Body,
                    other => {
                        return Err(invalid(format!(
                            "{head}FilterPolicyScope: Invalid value [{other}]. Please use either \
                             MessageBody or MessageAttributes"
                        )));
                    }
                };
            }
            if let Some(d) = delivery {
                if let Some(reason) = SUB_DELIVERY[d].1 {
                    return Err(invalid(format!("{head}DeliveryPolicy: {reason}")));
                }
                new.delivery = Some(d);
            }
            if let Some(r) = raw {
                new.raw = match r {
                    "true" => true,
                    "false" => false,
                    other => {
                        return Err(invalid(format!(
                            "{head}RawMessageDelivery: Invalid value [{other}]. Must be true or \
                             false."
                        )));
                    }
                };
            }
            if let Some((p, _)) = filter {
                if !policy_valid(p, new.scope) {
                    return Err(("InvalidParameter", format!("{head}FilterPolicy: ")));
                }
                new.filter = Some(p);
            }
            // An endpoint subscribes once; asking again with different attributes is an error.
            let existing = t
                .subs
                .iter()
                .map(|a| &self.model.subs[a])
                .find(|s| s.endpoint == ep);
            if let Some(s) = existing {
                let (mine, theirs) = (s.settable(), new.settable());
                let mut given = Vec::new();
                if raw.is_some() {
                    given.push("RawMessageDelivery");
                }
                if let Some((_, scope)) = filter {
                    given.push("FilterPolicy");
                    if scope.is_some() {
                        given.push("FilterPolicyScope");
                    }
                }
                if delivery.is_some() {
                    given.push("DeliveryPolicy");
                }
                if given.iter().any(|k| mine.get(k) != theirs.get(k)) {
                    return Err(invalid(format!(
                        "{head}Subscription already exists with different attributes"
                    )));
                }
                return Ok(Ok(s.arn.clone()));
            }
            Ok(Err(new))
        })();
        match (expect, got) {
            (Ok(Ok(existing)), Ok(out)) => {
                assert_eq!(
                    out.subscription_arn(),
                    existing,
                    "{what}: the existing subscription"
                );
            }
            (Ok(Err(mut s)), Ok(out)) => {
                let arn = out.subscription_arn().to_string();
                let topic_arn = Model::topic_arn(topic);
                assert!(
                    arn.starts_with(&format!("{topic_arn}:")),
                    "{what}: subscription ARN {arn}"
                );
                assert!(!self.model.subs.contains_key(&arn), "{what}: ARN reused");
                s.arn = arn.clone();
                self.model.subs.insert(arn.clone(), s);
                self.model.known_subs.push(arn.clone());
                self.model.topics[topic].as_mut().unwrap().subs.push(arn);
            }
            (Err(want), Err(e)) => {
                if want.1.ends_with("FilterPolicy: ") {
                    // The filter engine's own message follows; its text is tested elsewhere.
                    let (p, scope) = filter.unwrap();
                    let nested = p == NESTED && scope != Some("MessageBody");
                    assert_eq!(e.code(), "InvalidParameter", "{what}: {e}");
                    if nested {
                        assert_eq!(e.message(), format!("{head}{NESTED_MESSAGE}"), "{what}");
                    } else {
                        assert!(e.message().starts_with(&want.1), "{what}: {e}");
                    }
                } else {
                    assert_err(&e, &want, what);
                }
            }
            (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
        }
    }

    fn pick_sub(&self, sub: Index) -> Option<String> {
        if self.model.known_subs.is_empty() {
            None
        } else {
            Some(sub.get(&self.model.known_subs).clone())
        }
    }

    fn unsubscribe(&mut self, sub: Index, malformed: bool, what: &str) {
        if malformed {
            let e = self
                .rt
                .block_on(
                    self.sns
                        .unsubscribe()
                        .subscription_arn(Model::topic_arn(0))
                        .send(),
                )
                .expect_err("a topic ARN is not a subscription ARN");
            assert_err(&e, &invalid("Invalid parameter: SubscriptionId"), what);
            return;
        }
        let Some(arn) = self.pick_sub(sub) else {
            return;
        };
        self.rt
            .block_on(self.sns.unsubscribe().subscription_arn(&arn).send())
            .unwrap_or_else(|e| panic!("{what}: Unsubscribe is idempotent, got {e}"));
        if let Some(s) = self.model.subs.remove(&arn) {
            let t = self.model.topics[s.topic].as_mut().unwrap();
            t.subs.retain(|a| *a != arn);
            t.subscriptions_deleted += 1;
        }
    }

    fn set_subscription_attributes(&mut self, sub: Index, attr: SubAttr, what: &str) {
        let Some(arn) = self.pick_sub(sub) else {
            return;
        };
        let (name, value) = match attr {
            SubAttr::Raw(v) => ("RawMessageDelivery", v.to_string()),
            SubAttr::Filter(p) => ("FilterPolicy", p.map_or("", |p| POLICIES[p]).to_string()),
            SubAttr::Scope(s) => ("FilterPolicyScope", s.to_string()),
            SubAttr::Delivery(d) => (
                "DeliveryPolicy",
                d.map_or("", |d| SUB_DELIVERY[d].0).to_string(),
            ),
        };
        let got = self.rt.block_on(
            self.sns
                .set_subscription_attributes()
                .subscription_arn(&arn)
                .attribute_name(name)
                .attribute_value(value.clone())
                .send(),
        );
        let head = "Invalid parameter: ";
        let expect: Expect<ModelSub> = (|| {
            let Some(s) = self.model.subs.get(&arn) else {
                return Err(("NotFound", "Subscription does not exist".into()));
            };
            let mut new = s.clone();
            match attr {
                SubAttr::Raw(v) => {
                    new.raw = match v.to_ascii_lowercase().as_str() {
                        "true" => true,
                        "false" => false,
                        _ => {
                            return Err(invalid(format!(
                                "{head}RawMessageDelivery: Invalid value [{v}]. Must be true or \
                                 false."
                            )));
                        }
                    }
                }
                SubAttr::Filter(p) => new.filter = p,
                SubAttr::Scope(v) => {
                    new.scope = match v {
                        "MessageAttributes" => Scope::Attributes,
                        "MessageBody" => Scope::Body,
                        other => {
                            return Err(invalid(format!(
                                "{head}FilterPolicyScope: Invalid value [{other}]. Please use \
                                 either MessageBody or MessageAttributes"
                            )));
                        }
                    }
                }
                SubAttr::Delivery(d) => {
                    if let Some(reason) = d.and_then(|d| SUB_DELIVERY[d].1) {
                        return Err(invalid(format!("{head}DeliveryPolicy: {reason}")));
                    }
                    new.delivery = d;
                }
            }
            // The policy (new or current) is validated in the (new or current) scope.
            if let Some(p) = new.filter {
                if !policy_valid(p, new.scope) {
                    return Err(("InvalidParameter", format!("{head}FilterPolicy: ")));
                }
            }
            Ok(new)
        })();
        match (expect, got) {
            (Ok(new), Ok(_)) => {
                self.model.subs.insert(arn, new);
            }
            (Err(want), Err(e)) => {
                if want.1.ends_with("FilterPolicy: ") {
                    let s = &self.model.subs[&arn];
                    let p = match attr {
                        SubAttr::Filter(p) => p.unwrap(),
                        _ => s.filter.unwrap(),
                    };
                    let scope = match attr {
                        SubAttr::Scope("MessageBody") => Scope::Body,
                        SubAttr::Scope(_) => Scope::Attributes,
                        _ => s.scope,
                    };
                    assert_eq!(e.code(), "InvalidParameter", "{what}: {e}");
                    if p == NESTED && scope == Scope::Attributes {
                        assert_eq!(e.message(), format!("{head}{NESTED_MESSAGE}"), "{what}");
                    } else {
                        assert!(e.message().starts_with(&want.1), "{what}: {e}");
                    }
                } else {
                    assert_err(&e, &want, what);
                }
            }
            (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
        }
    }

    fn set_topic_attributes(&mut self, topic: usize, via_handle: Via, attr: TopicAttr, what: &str) {
        let handle = self.handle(topic, via_handle);
        let (name, value): (&'static str, String) = match &attr {
            TopicAttr::DisplayName(v) => ("DisplayName", v.to_string()),
            TopicAttr::MaximumMessageSize(v) => ("MaximumMessageSize", v.to_string()),
            TopicAttr::ContentBasedDeduplication(v) => ("ContentBasedDeduplication", v.to_string()),
            TopicAttr::FifoThroughputScope(v) => ("FifoThroughputScope", v.to_string()),
            TopicAttr::DeliveryPolicy(d) => ("DeliveryPolicy", TOPIC_DELIVERY[*d].0.to_string()),
            TopicAttr::FifoTopic => ("FifoTopic", "true".to_string()),
        };
        let req = match &handle {
            Some((h, _)) => h.set_topic_attributes(),
            None => self
                .sns
                .set_topic_attributes()
                .topic_arn(Model::topic_arn(topic)),
        };
        let got = self.rt.block_on(
            req.attribute_name(name)
                .attribute_value(value.clone())
                .send(),
        );
        let expect: Expect<()> = (|| {
            let Some(t) = self.model.resolve(topic, handle.as_ref().map(|(_, g)| *g)) else {
                return Err(topic_not_found());
            };
            match &attr {
                TopicAttr::MaximumMessageSize("100") => {
                    Err(invalid("Invalid parameter: MaximumMessageSize"))
                }
                TopicAttr::ContentBasedDeduplication(_) if !t.fifo => Err(invalid(
                    "Invalid parameter: ContentBasedDeduplication Reason: Content based \
                     deduplication can only be set for FIFO topics",
                )),
                TopicAttr::FifoThroughputScope(_) if !t.fifo => {
                    Err(invalid("Invalid parameter: FifoThroughputScope"))
                }
                TopicAttr::DeliveryPolicy(d) => match TOPIC_DELIVERY[*d].1 {
                    Some(reason) => Err(invalid(format!(
                        "Invalid parameter: DeliveryPolicy: {reason}"
                    ))),
                    None => Ok(()),
                },
                TopicAttr::FifoTopic => Err(invalid("Invalid parameter: AttributeName")),
                _ => Ok(()),
            }
        })();
        match (expect, got) {
            (Ok(()), Ok(_)) => {
                self.model.topics[topic]
                    .as_mut()
                    .unwrap()
                    .attrs
                    .insert(name, value);
            }
            (Err(want), Err(e)) => assert_err(&e, &want, what),
            (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
        }
    }

    fn publish(&mut self, topic: usize, via_handle: Via, m: &MsgChoice, what: &str) {
        let handle = self.handle(topic, via_handle);
        let mut req = match &handle {
            Some((h, _)) => h.publish(),
            None => self.sns.publish().topic_arn(Model::topic_arn(topic)),
        }
        .message(body(m.body));
        if m.subject {
            req = req.subject("subj");
        }
        req = req.set_message_attributes(request_attributes(m));
        if let Some(g) = m.group {
            req = req.message_group_id(GROUPS[g]);
        }
        if let Some(d) = m.dedup {
            req = req.message_deduplication_id(DEDUP_IDS[d]);
        }
        let got = self.rt.block_on(req.send());
        let expect: Expect<Accepted> = (|| {
            let Some(t) = self.model.resolve(topic, handle.as_ref().map(|(_, g)| *g)) else {
                return Err(topic_not_found());
            };
            let attrs = self.model.check_request(t, m)?;
            self.model.prepare(t, m, attrs)
        })();
        match (expect, got) {
            (Ok(accepted), Ok(out)) => {
                self.model.publish(
                    topic,
                    accepted,
                    out.message_id(),
                    out.sequence_number(),
                    what,
                );
            }
            (Err(want), Err(e)) => assert_err(&e, &want, what),
            (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
        }
    }

    fn publish_batch(
        &mut self,
        topic: usize,
        via_handle: Via,
        entries: Vec<MsgChoice>,
        duplicate: Option<(Index, Index)>,
        bad_id: Option<Index>,
        what: &str,
    ) {
        let handle = self.handle(topic, via_handle);
        let mut ids: Vec<String> = (0..entries.len()).map(|i| format!("e{i}")).collect();
        if !ids.is_empty() {
            if let Some((from, to)) = duplicate {
                let (from, to) = (from.index(ids.len()), to.index(ids.len()));
                ids[to] = ids[from].clone();
            }
            if let Some(i) = bad_id {
                ids[i.index(entries.len())] = "bad id!".into();
            }
        }
        let mut req = match &handle {
            Some((h, _)) => h.publish_batch(),
            None => self.sns.publish_batch().topic_arn(Model::topic_arn(topic)),
        };
        for (m, id) in entries.iter().zip(&ids) {
            let mut e = PublishBatchRequestEntry::new(id.clone(), body(m.body));
            if m.subject {
                e = e.subject("subj");
            }
            for (name, v) in request_attributes(m).unwrap_or_default() {
                e = e.message_attributes(name, v);
            }
            if let Some(g) = m.group {
                e = e.message_group_id(GROUPS[g]);
            }
            if let Some(d) = m.dedup {
                e = e.message_deduplication_id(DEDUP_IDS[d]);
            }
            req = req.publish_batch_request_entries(e);
        }
        let got = self.rt.block_on(req.send());

        // Whole-request checks, in the documented order; then each entry.
        type Entry = Result<Accepted, (&'static str, String)>;
        let expect: Expect<Vec<Entry>> = (|| {
            if entries.is_empty() {
                return Err((
                    "EmptyBatchRequest",
                    "The batch request doesn't contain any entries.".into(),
                ));
            }
            if entries.len() > 10 {
                return Err((
                    "TooManyEntriesInBatchRequest",
                    "The batch request contains more entries than permissible.".into(),
                ));
            }
            let Some(t) = self.model.resolve(topic, handle.as_ref().map(|(_, g)| *g)) else {
                return Err(topic_not_found());
            };
            let distinct: HashSet<&String> = ids.iter().collect();
            if distinct.len() != ids.len() {
                return Err((
                    "BatchEntryIdsNotDistinct",
                    "Two or more batch entries in the request have the same Id.".into(),
                ));
            }
            if ids.iter().any(|i| i == "bad id!") {
                return Err((
                    "InvalidBatchEntryId",
                    "The Id of a batch entry in the batch request contains an impermissible \
                     character: bad id!"
                        .into(),
                ));
            }
            let mut total = 0;
            let mut checked = Vec::new();
            for m in &entries {
                let attrs = self.model.check_request(t, m)?;
                total += size_of(&body(m.body), &attrs);
                checked.push(attrs);
            }
            if total > t.max_size() {
                return Err((
                    "BatchRequestTooLong",
                    "The length of all the messages put together is more than the limit.".into(),
                ));
            }
            Ok(entries
                .iter()
                .zip(checked)
                .map(|(m, attrs)| self.model.prepare(t, m, attrs))
                .collect())
        })();
        match (expect, got) {
            (Ok(per_entry), Ok(out)) => {
                let mut ok = out.successful().iter();
                let mut failed = out.failed().iter();
                for ((entry, id), m) in per_entry.into_iter().zip(&ids).zip(&entries) {
                    let entry_what = format!("{what} entry {id} ({m:?})");
                    match entry {
                        Ok(accepted) => {
                            let r = ok
                                .next()
                                .unwrap_or_else(|| panic!("{entry_what}: not published"));
                            assert_eq!(&r.id, id, "{entry_what}");
                            self.model.publish(
                                topic,
                                accepted,
                                &r.message_id,
                                r.sequence_number.as_deref(),
                                &entry_what,
                            );
                        }
                        Err(want) => {
                            let f = failed
                                .next()
                                .unwrap_or_else(|| panic!("{entry_what}: not failed"));
                            assert_eq!(&f.id, id, "{entry_what}");
                            assert_eq!(
                                (f.code.as_str(), f.message.as_str(), f.sender_fault),
                                (want.0, want.1.as_str(), true),
                                "{entry_what}"
                            );
                        }
                    }
                }
                assert!(
                    ok.next().is_none() && failed.next().is_none(),
                    "{what}: extra results"
                );
            }
            (Err(want), Err(e)) => assert_err(&e, &want, what),
            (want, got) => panic!("{what}: expected {want:?}, got {got:?}"),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Invariants.
    // -----------------------------------------------------------------------------------------

    fn check(&mut self, i: usize, step: &Step) {
        let what = format!("after step {i} ({step:?})");
        self.check_listings(&what);
        self.check_topics(&what);
        self.check_subscriptions(&what);
        self.check_deliveries(&what);
    }

    fn check_listings(&self, what: &str) {
        let sns = &self.sns;
        let (topics, subs) = self.rt.block_on(async {
            let mut topics = Vec::new();
            let mut token = None;
            loop {
                let page = sns
                    .list_topics()
                    .set_next_token(token)
                    .send()
                    .await
                    .unwrap();
                topics.extend(page.topics().iter().map(|t| t.topic_arn.clone()));
                token = page.next_token().map(String::from);
                if token.is_none() {
                    break;
                }
            }
            let mut subs = Vec::new();
            let mut token = None;
            loop {
                let page = sns
                    .list_subscriptions()
                    .set_next_token(token)
                    .send()
                    .await
                    .unwrap();
                subs.extend(page.subscriptions().iter().cloned());
                token = page.next_token().map(String::from);
                if token.is_none() {
                    break;
                }
            }
            (topics, subs)
        });
        let mut want_topics: Vec<String> = self
            .model
            .topics
            .iter()
            .flatten()
            .map(|t| t.arn.clone())
            .collect();
        want_topics.sort();
        assert_eq!(topics, want_topics, "{what}: ListTopics");

        let row = |s: &ModelSub| {
            (
                s.arn.clone(),
                ACCOUNT.to_string(),
                s.endpoint.protocol().to_string(),
                self.endpoint_arn(s.endpoint),
                Model::topic_arn(s.topic),
            )
        };
        let got: Vec<_> = subs
            .iter()
            .map(|s| {
                (
                    s.subscription_arn.clone(),
                    s.owner.clone(),
                    s.protocol.clone(),
                    s.endpoint.clone(),
                    s.topic_arn.clone(),
                )
            })
            .collect();
        let want: Vec<_> = self.model.subs.values().map(row).collect();
        assert_eq!(got, want, "{what}: ListSubscriptions");

        for (i, t) in self.model.topics.iter().enumerate() {
            let Some(t) = t else { continue };
            let page = self
                .rt
                .block_on(sns.list_subscriptions_by_topic().topic_arn(&t.arn).send())
                .unwrap();
            let got: Vec<String> = page
                .subscriptions()
                .iter()
                .map(|s| s.subscription_arn.clone())
                .collect();
            let mut want = t.subs.clone();
            want.sort();
            assert_eq!(
                got, want,
                "{what}: ListSubscriptionsByTopic {}",
                TOPICS[i].0
            );
        }
    }

    fn check_topics(&self, what: &str) {
        for (i, t) in self.model.topics.iter().enumerate() {
            let Some(t) = t else { continue };
            let (attrs, tags) = self.rt.block_on(async {
                let attrs = self
                    .sns
                    .get_topic_attributes()
                    .topic_arn(&t.arn)
                    .send()
                    .await
                    .unwrap();
                let tags = self
                    .sns
                    .list_tags_for_resource()
                    .resource_arn(&t.arn)
                    .send()
                    .await
                    .unwrap();
                (attrs, tags)
            });
            let mut got = attrs.attributes().clone();
            assert!(got.remove("Policy").is_some(), "{what}: Policy");
            assert!(
                got.remove("EffectiveDeliveryPolicy").is_some(),
                "{what}: EffectiveDeliveryPolicy"
            );
            let mut want: BTreeMap<String, String> = t
                .attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            want.insert("TopicArn".into(), t.arn.clone());
            want.insert("Owner".into(), ACCOUNT.into());
            want.entry("DisplayName".into()).or_default();
            want.insert("SubscriptionsConfirmed".into(), t.subs.len().to_string());
            want.insert("SubscriptionsPending".into(), "0".into());
            want.insert(
                "SubscriptionsDeleted".into(),
                t.subscriptions_deleted.to_string(),
            );
            if t.fifo {
                want.insert("FifoTopic".into(), "true".into());
                want.insert("ContentBasedDeduplication".into(), t.cbd().to_string());
            }
            assert_eq!(got, want, "{what}: GetTopicAttributes {}", TOPICS[i].0);

            let got: BTreeMap<String, String> = tags
                .tags()
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect();
            let want: BTreeMap<String, String> = t
                .tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(got, want, "{what}: ListTagsForResource {}", TOPICS[i].0);

            let (handle, generation) = self.handles[i].last().unwrap();
            assert_eq!(
                *generation, t.generation,
                "{what}: handle of {}",
                TOPICS[i].0
            );
            let m = handle.metrics();
            let c = &t.counters;
            assert_eq!(
                (
                    m.number_of_messages_published,
                    m.publish_size,
                    m.number_of_notifications_delivered,
                    m.number_of_notifications_filtered_out,
                    m.number_of_notifications_failed,
                ),
                (c.published, c.publish_size, c.delivered, c.filtered_out, 0),
                "{what}: metrics of {} (published, size, delivered, filtered out, failed)",
                TOPICS[i].0
            );
        }
    }

    fn check_subscriptions(&self, what: &str) {
        for s in self.model.subs.values() {
            let got = self
                .rt
                .block_on(
                    self.sns
                        .get_subscription_attributes()
                        .subscription_arn(&s.arn)
                        .send(),
                )
                .unwrap_or_else(|e| panic!("{what}: GetSubscriptionAttributes {}: {e}", s.arn));
            let got = got.attributes().clone();
            let mut want: BTreeMap<String, String> = s
                .settable()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            want.insert("SubscriptionArn".into(), s.arn.clone());
            want.insert("TopicArn".into(), Model::topic_arn(s.topic));
            want.insert("Owner".into(), ACCOUNT.into());
            want.insert("Protocol".into(), s.endpoint.protocol().into());
            want.insert("Endpoint".into(), self.endpoint_arn(s.endpoint));
            want.insert("PendingConfirmation".into(), "false".into());
            want.insert("ConfirmationWasAuthenticated".into(), "true".into());
            want.insert(
                "SubscriptionPrincipal".into(),
                format!("arn:aws:iam::{ACCOUNT}:root"),
            );
            assert_eq!(got, want, "{what}: GetSubscriptionAttributes {}", s.arn);
        }
        for arn in &self.model.known_subs {
            if self.model.subs.contains_key(arn) {
                continue;
            }
            let e = self
                .rt
                .block_on(
                    self.sns
                        .get_subscription_attributes()
                        .subscription_arn(arn)
                        .send(),
                )
                .expect_err("a deleted subscription");
            assert_err(
                &e,
                &("NotFound", "Subscription does not exist".into()),
                what,
            );
        }
    }

    fn check_deliveries(&mut self, what: &str) {
        let mut pending = std::mem::take(&mut self.model.pending);
        for ep in ENDPOINTS {
            let want = pending.remove(&ep).unwrap_or_default();
            match ep {
                Ep::Q0 | Ep::Q1 | Ep::QF => {
                    let q = &self.queues[ep as usize];
                    let got: Vec<Delivery> = self
                        .rt
                        .block_on(support::drain(q))
                        .iter()
                        .map(|m| from_queue(m, ep == Ep::QF, what))
                        .collect();
                    if ep == Ep::QF {
                        // A FIFO queue keeps each group's order.
                        for g in GROUPS {
                            let of = |v: &[Delivery]| -> Vec<Delivery> {
                                v.iter()
                                    .filter(|d| d.group.as_deref() == Some(g))
                                    .cloned()
                                    .collect()
                            };
                            assert_eq!(of(&got), of(&want), "{what}: group {g} of {ep:?}");
                        }
                    }
                    let (mut got, mut want) = (got, want);
                    got.sort();
                    want.sort();
                    assert_eq!(got, want, "{what}: deliveries to {ep:?}");
                }
                Ep::S0 | Ep::S1 => {
                    // A stream receives in delivery order.
                    let stream = &mut self.streams[ep as usize - 3];
                    let mut got = Vec::new();
                    while let Some(n) = stream.try_recv() {
                        got.push(from_stream(&n, what));
                    }
                    assert_eq!(got, want, "{what}: deliveries to {ep:?}");
                }
            }
        }
    }
}

/// The message attributes of a message choice as a request carries them.
fn request_attributes(m: &MsgChoice) -> Option<MessageAttributes> {
    let mut attrs = MessageAttributes::new();
    if let Some((ty, v)) = COLORS[m.color] {
        attrs.insert(
            "color".into(),
            MessageAttributeValue {
                data_type: ty.into(),
                string_value: Some(v.into()),
                binary_value: None,
            },
        );
    }
    if let Some(v) = NS[m.n] {
        attrs.insert(
            "n".into(),
            MessageAttributeValue {
                data_type: "Number".into(),
                string_value: Some(v.into()),
                binary_value: None,
            },
        );
    }
    (!attrs.is_empty()).then_some(attrs)
}

fn triples(attrs: &MessageAttributes) -> Vec<AttrTriple> {
    attrs
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.data_type.clone(),
                v.string_value.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// Reads a JSON envelope into the canonical form (checking its fixed fields).
fn from_envelope(body: &str, what: &str) -> Delivery {
    let v: Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{what}: envelope {body}: {e}"));
    assert_eq!(v["Type"], "Notification", "{what}: {body}");
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    let fifo = v.get("SequenceNumber").is_some();
    // FIFO envelopes carry no signature; standard ones do.
    assert_eq!(
        v.get("Signature").is_some(),
        !fifo,
        "{what}: signature in {body}"
    );
    assert!(s("Timestamp").is_some(), "{what}: {body}");
    let unsubscribe = s("UnsubscribeURL").unwrap_or_default();
    let subscription_arn = unsubscribe
        .split_once("SubscriptionArn=")
        .map(|(_, a)| a.to_string());
    let attrs = match v.get("MessageAttributes") {
        None => Vec::new(),
        Some(Value::Object(m)) => {
            assert!(!m.is_empty(), "{what}: empty MessageAttributes in {body}");
            m.iter()
                .map(|(k, a)| {
                    (
                        k.clone(),
                        a["Type"].as_str().unwrap().to_string(),
                        a["Value"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        }
        Some(other) => panic!("{what}: MessageAttributes {other}"),
    };
    Delivery {
        raw: false,
        message_id: s("MessageId"),
        topic_arn: s("TopicArn"),
        subscription_arn,
        message: s("Message").unwrap_or_default(),
        subject: s("Subject"),
        attrs,
        sequence_number: s("SequenceNumber"),
        group: None,
        dedup_id: None,
    }
}

/// A message received from a queue, in the canonical form.
fn from_queue(
    m: &aws_lite_queue::operation::receive_message::Message,
    fifo: bool,
    what: &str,
) -> Delivery {
    let body = m.body();
    let attrs = m.message_attributes().map(triples).unwrap_or_default();
    let mut d = if body.starts_with(r#"{"Type":"Notification""#) {
        assert!(
            attrs.is_empty(),
            "{what}: an enveloped message carries no SQS attributes"
        );
        from_envelope(body, what)
    } else {
        Delivery {
            raw: true,
            message_id: None,
            topic_arn: None,
            subscription_arn: None,
            message: body.to_string(),
            subject: None,
            attrs,
            sequence_number: None,
            group: None,
            dedup_id: None,
        }
    };
    if fifo {
        d.group = m.attribute(Attr::MessageGroupId).map(String::from);
        d.dedup_id = m.attribute(Attr::MessageDeduplicationId).map(String::from);
    }
    d
}

/// A notification received from a stream, in the canonical form.
fn from_stream(n: &aws_lite_pubsub::Notification, what: &str) -> Delivery {
    let raw = n.body == n.message;
    if !raw {
        let env = from_envelope(&n.body, what);
        assert_eq!(
            env.message_id.as_deref(),
            Some(n.message_id.as_str()),
            "{what}"
        );
        assert_eq!(
            env.topic_arn.as_deref(),
            Some(n.topic_arn.as_str()),
            "{what}"
        );
        assert_eq!(env.message, n.message, "{what}");
        assert_eq!(env.attrs, triples(&n.message_attributes), "{what}");
        assert_eq!(env.sequence_number, n.sequence_number, "{what}");
        assert_eq!(env.subject, n.subject, "{what}");
        assert_eq!(
            env.subscription_arn.as_deref(),
            Some(n.subscription_arn.as_str()),
            "{what}"
        );
    }
    Delivery {
        raw,
        message_id: Some(n.message_id.clone()),
        topic_arn: Some(n.topic_arn.clone()),
        subscription_arn: Some(n.subscription_arn.clone()),
        message: n.message.clone(),
        subject: n.subject.clone(),
        attrs: triples(&n.message_attributes),
        sequence_number: n.sequence_number.clone(),
        group: n.message_group_id.clone(),
        dedup_id: None,
    }
}
