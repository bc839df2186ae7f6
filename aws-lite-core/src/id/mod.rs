//! Identifiers: ARNs, accounts, regions, name validators, UUIDs and opaque tokens.
//!
//! Every generated id (message ids, receipt handles, request ids, execution names) is drawn from
//! the seeded [`Rand`](crate::Rand), so the same seed gives the same ids.
//!
//! # ARNs
//!
//! An [`Arn`] is `arn:partition:service:region:account:resource`. Parsing validates every part
//! (the partition is `aws` or `aws-…`, the region is empty for global services or shaped like
//! `us-east-1`, the account is empty, twelve digits or `aws`, the resource is non-empty) and
//! keeps the text, so an `Arn` formats back to exactly what was parsed.
//! [`Arn::resource_parts`] reads the resource the way SQS, SNS, Lambda, Step Functions and IoT
//! write it (type, id, version or alias qualifier, owning state machine), and typed
//! constructors ([`Arn::sqs`], [`Arn::lambda_function`], [`Arn::execution`], …) build the ARNs
//! those services hand out. A malformed ARN is a `ValidationException` whose message names the
//! problem; services answering with another code (SQS `InvalidAddress`, Step Functions
//! `InvalidArn`) use [`Arn::parse_with_code`].
//!
//! ```
//! use aws_lite_core::id::{AccountId, Arn, Region};
//!
//! let account = AccountId::from_access_key("test"); // any non-numeric key: 000000000000
//! let arn = Arn::state_machine(&Region::DEFAULT, &account, "orders", Some("prod"))?;
//! assert_eq!(arn, "arn:aws:states:us-east-1:000000000000:stateMachine:orders:prod");
//! assert_eq!(arn.as_str().parse::<Arn>()?, arn);
//! assert_eq!(arn.qualifier(), Some("prod"));
//!
//! let err = Arn::parse("arn:xyz:states:us-east-1:000000000000:activity:a").unwrap_err();
//! assert_eq!(err.message(), "Invalid ARN: partition 'xyz' is not valid");
//! # Ok::<(), aws_lite_core::Error>(())
//! ```
//!
//! # Names
//!
//! [`validate_name`] checks a name against a [`NameRule`] (length and characters) under the
//! caller's error code; the rules of SQS queues, SNS topics, Lambda functions, Step Functions
//! and IoT things are associated constants of [`NameRule`]. [`parse_function_name`] takes
//! apart Lambda's `FunctionName` parameter, which may be a name, a partial ARN or an ARN.

mod account;
mod arn;
mod names;
mod region;
mod uuid;

pub use self::account::AccountId;
pub use self::arn::{Arn, ResourceParts, Separator};
pub use self::names::{CharClass, FunctionName, NameRule, parse_function_name, validate_name};
pub use self::region::Region;
pub use self::uuid::{Uuid, token};
