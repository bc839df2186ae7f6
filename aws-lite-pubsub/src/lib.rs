#![doc = include_str!("../README.md")]
//!
//! # What exists today
//!
//! - [`filter`]: SNS subscription filter policies (both scopes) and EventBridge event patterns:
//!   validation with AWS's messages, a per-policy matcher ([`filter::Policy`]), and a compiled
//!   index that matches one event against thousands of policies at once
//!   ([`filter::FilterSet`], [`filter::TopicFilter`]). It needs no SNS: use it for EventBridge
//!   rules or any JSON routing.
//!
//! ```
//! use aws_lite_pubsub::filter::{Dialect, FilterPolicyScope, FilterSet, Policy};
//!
//! let body = Dialect::Sns(FilterPolicyScope::MessageBody);
//! let mut set = FilterSet::new(body);
//! set.insert("eu", Policy::parse(r#"{"region": [{"prefix": "eu-"}]}"#, body)?)?;
//! set.insert("big", Policy::parse(r#"{"total": [{"numeric": [">=", 1000]}]}"#, body)?)?;
//! assert_eq!(set.matches_str(r#"{"region": "eu-west-1", "total": 1500}"#), ["eu", "big"]);
//! # Ok::<(), aws_lite_core::Error>(())
//! ```
//!
//! Topics, subscriptions and delivery are still to come.
#![forbid(unsafe_code)]

pub mod filter;
