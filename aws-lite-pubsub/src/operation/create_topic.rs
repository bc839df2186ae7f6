//! CreateTopic: creates a standard or FIFO topic, or returns the ARN of an identical one.
//!
//! # Semantics
//!
//! - Names are 1–256 characters of `[A-Za-z0-9_-]`; FIFO topics need `FifoTopic=true` and a
//!   name ending in `.fifo` (the suffix not counted in the 256).
//! - Attributes: `DisplayName`, `Policy`, `DeliveryPolicy`, `KmsMasterKeyId`,
//!   `SignatureVersion` (1 or 2), `TracingConfig`, `MaximumMessageSize` (1,024–1,048,576;
//!   default 262,144), the delivery-status feedback attributes, and for FIFO topics
//!   `ContentBasedDeduplication`, `FifoThroughputScope` (`Topic` or `MessageGroup`) and
//!   `ArchivePolicy`. Anything else is `InvalidParameter` and creates nothing. A
//!   `DeliveryPolicy` must be JSON within SNS's bounds for its `http` section (see
//!   [`delivery`](crate::delivery#http-and-https-endpoints)), else `Invalid parameter:
//!   DeliveryPolicy: <reason>`.
//! - Creating an existing name returns its ARN when the given attributes and tags match the
//!   topic's; otherwise `InvalidParameter` ("Topic already exists with different
//!   attributes" / "… tags").
//! - A caller from another account cannot create topics in this account (`AuthorizationError`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::AtomicBool;

use aws_lite_core::Error;
use serde::{Deserialize, Serialize};

use crate::error;
use crate::filter::TopicFilter;
use crate::policy;
use crate::service::Sns;
use crate::topic::{Topic, TopicConfig, TopicCounters, TopicShared, TopicState};
use crate::types::Tag;

/// The input of CreateTopic, with the field names of the SNS API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CreateTopicInput {
    /// The topic's name.
    #[serde(default)]
    pub name: Option<String>,
    /// Topic attributes by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<HashMap<String, String>>,
    /// Tags for a new topic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    /// A data protection policy (stored as the `DataProtectionPolicy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_protection_policy: Option<String>,
}

/// The output of CreateTopic.
#[derive(Debug, Clone, Serialize)]
pub struct CreateTopicOutput {
    #[serde(rename = "TopicArn")]
    topic_arn: String,
    #[serde(skip)]
    topic: Topic,
}

impl CreateTopicOutput {
    /// The topic's ARN.
    pub fn topic_arn(&self) -> &str {
        &self.topic_arn
    }

    /// A handle to the topic.
    pub fn topic(&self) -> Topic {
        self.topic.clone()
    }
}

/// Builds and sends a CreateTopic request.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until `.send()` is awaited"]
pub struct CreateTopicFluentBuilder {
    sns: Sns,
    input: CreateTopicInput,
}

impl CreateTopicFluentBuilder {
    setters! {
        /// The topic's name.
        name / set_name: String,
        /// A data protection policy.
        data_protection_policy / set_data_protection_policy: String,
    }

    /// Sets one attribute (`DisplayName`, `FifoTopic`, …).
    pub fn attributes(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.input
            .attributes
            .get_or_insert_with(HashMap::new)
            .insert(name.into(), value.into());
        self
    }

    /// Sets or clears all attributes.
    pub fn set_attributes(mut self, attributes: Option<HashMap<String, String>>) -> Self {
        self.input.attributes = attributes;
        self
    }

    /// Adds one tag.
    pub fn tags(mut self, tag: Tag) -> Self {
        self.input.tags.get_or_insert_with(Vec::new).push(tag);
        self
    }

    /// Sets or clears all tags.
    pub fn set_tags(mut self, tags: Option<Vec<Tag>>) -> Self {
        self.input.tags = tags;
        self
    }

    /// The request as built so far.
    pub fn as_input(&self) -> &CreateTopicInput {
        &self.input
    }

    /// Sends the request.
    pub async fn send(self) -> Result<CreateTopicOutput, Error> {
        create_topic(&self.sns, self.input)
    }
}

impl Sns {
    /// CreateTopic.
    pub fn create_topic(&self) -> CreateTopicFluentBuilder {
        CreateTopicFluentBuilder {
            sns: self.clone(),
            input: CreateTopicInput::default(),
        }
    }
}

fn valid_base_name(name: &str) -> bool {
    (1..=256).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub(crate) fn create_topic(sns: &Sns, input: CreateTopicInput) -> Result<CreateTopicOutput, Error> {
    let svc = &sns.inner;
    let name = input.name.unwrap_or_default();
    let _span = tracing::debug_span!("sns.CreateTopic", topic = %name).entered();
    let arn = svc.topic_arn(&name);
    if !sns.is_owner() {
        return Err(error::authorization_error(
            sns.caller.as_str(),
            "CreateTopic",
            &arn,
        ));
    }
    let attrs = input.attributes.unwrap_or_default();
    let fifo_requested = attrs
        .get("FifoTopic")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let fifo = if fifo_requested {
        match name.strip_suffix(".fifo") {
            Some(base) if valid_base_name(base) => true,
            _ => {
                return Err(error::invalid_parameter(
                    "Invalid parameter: Fifo Topic names must end with .fifo and must be made up \
                     of only uppercase and lowercase ASCII letters, numbers, underscores, and \
                     hyphens, and must be between 1 and 256 characters long.",
                ));
            }
        }
    } else {
        if !valid_base_name(&name) {
            return Err(error::invalid_parameter("Invalid parameter: Topic Name"));
        }
        false
    };
    let mut config = TopicConfig::new(policy::default_policy(&arn, svc.account.as_str()));
    // Sorted, so validation errors do not depend on hash order.
    let sorted: BTreeMap<&String, &String> = attrs.iter().collect();
    for (k, v) in &sorted {
        config.set(k, v, fifo, &svc.limits, true)?;
    }
    if let Some(p) = &input.data_protection_policy {
        serde_json::from_str::<serde_json::Value>(p)
            .map_err(|_| error::invalid_parameter("Invalid parameter: DataProtectionPolicy"))?;
        config.raw.insert("DataProtectionPolicy".into(), p.clone());
    }
    let tags: BTreeMap<String, String> = input
        .tags
        .unwrap_or_default()
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect();
    if tags.len() > svc.limits.max_tags {
        return Err(Error::validation(
            crate::codes::TAG_LIMIT_EXCEEDED,
            "Could not complete request: tag quota of per resource exceeded",
        ));
    }
    let mut topics = svc.topics.write().unwrap_or_else(|p| p.into_inner());
    if let Some(existing) = topics.get(&arn) {
        let st = existing.read();
        for (k, v) in &sorted {
            if k.as_str() == "FifoTopic" {
                if v.eq_ignore_ascii_case("true") != existing.fifo {
                    return Err(error::invalid_parameter(
                        "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
                    ));
                }
                continue;
            }
            let same = if k.as_str() == "Policy" {
                serde_json::from_str::<serde_json::Value>(v).ok().as_ref()
                    == Some(&st.config.policy)
            } else {
                st.config.raw.get(k.as_str()) == config.raw.get(k.as_str())
            };
            if !same {
                return Err(error::invalid_parameter(
                    "Invalid parameter: Attributes Reason: Topic already exists with different attributes",
                ));
            }
        }
        if tags.iter().any(|(k, v)| st.tags.get(k) != Some(v)) {
            return Err(error::invalid_parameter(
                "Invalid parameter: Tags Reason: Topic already exists with different tags",
            ));
        }
        drop(st);
        return Ok(CreateTopicOutput {
            topic_arn: arn,
            topic: sns.topic_handle(existing.clone()),
        });
    }
    if topics.len() >= svc.limits.max_topics {
        return Err(Error::access_denied(
            crate::codes::TOPIC_LIMIT_EXCEEDED,
            "Topic limit exceeded",
        )
        .with_status(403));
    }
    let shared = Arc::new(TopicShared {
        arn: arn.clone(),
        name,
        fifo,
        owner: svc.account,
        state: RwLock::new(TopicState {
            config,
            tags,
            subs: BTreeMap::new(),
            filter: TopicFilter::new(),
            subscriptions_deleted: 0,
        }),
        counters: Arc::new(TopicCounters::default()),
        deleted: AtomicBool::new(false),
        fifo_state: tokio::sync::Mutex::new(Default::default()),
    });
    topics.insert(arn.clone(), shared.clone());
    drop(topics);
    Ok(CreateTopicOutput {
        topic_arn: arn,
        topic: sns.topic_handle(shared),
    })
}
