//! Amazon Resource Names: parsing, validation, formatting, a structured view of the resource
//! and typed constructors.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
// A shared immutable string, not synchronization: std's Arc even under `aws_lite_loom`.
use std::sync::Arc;

use super::{AccountId, Region};
use crate::Error;

/// The code of every error this module returns; services re-map it (see [`Arn::parse_with_code`]).
const CODE: &str = "ValidationException";

fn invalid(message: String) -> Error {
    Error::validation(CODE, message)
}

/// `s`, cut to its first 64 characters (followed by `…`) so that error messages stay short
/// whatever the input.
pub(super) fn elide(s: &str) -> Cow<'_, str> {
    const MAX_CHARS: usize = 64;
    match s.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => Cow::Owned(format!("{}…", s.get(..end).unwrap_or_default())),
        None => Cow::Borrowed(s),
    }
}

/// An Amazon Resource Name: `arn:partition:service:region:account:resource`.
///
/// An `Arn` is always valid: it can only be made by [`Arn::parse`] (or [`FromStr`], `TryFrom`,
/// serde) or by a constructor that validates its parts. It keeps the text it was parsed from,
/// so formatting gives back exactly that text, and cloning it is one reference-count increment.
/// Equality, ordering and hashing are those of the text, and an `Arn` [borrows](Borrow) as a
/// `str`, so a `HashMap<Arn, _>` can be looked up with a `&str`.
///
/// # Parts
///
/// | part | rule | example |
/// |---|---|---|
/// | partition | `aws(-[a-z]+)*` | `aws`, `aws-cn`, `aws-us-gov`, `aws-iso-b` |
/// | service | one or more of `[a-z0-9-]` | `sqs`, `states`, `iot` |
/// | region | empty (global services such as `iam`, `s3`) or a [`Region`] | `us-east-1` |
/// | account | empty, twelve digits, or `aws` (AWS-managed resources) | `123456789012` |
/// | resource | everything after the fifth colon, non-empty, kept verbatim | `function:f:live` |
///
/// A malformed ARN is rejected with a `ValidationException` whose message names the problem,
/// such as `Invalid ARN: account '12345' must be 12 digits`.
///
/// # Resource
///
/// [`Arn::resource_parts`] splits the resource into a type, a separator, a parent, an id and a
/// qualifier, knowing the shapes of the services aws-lite reproduces:
///
/// | service | resource | type | parent | id | qualifier |
/// |---|---|---|---|---|---|
/// | sqs | `q.fifo` | – | – | `q.fifo` | – |
/// | sns | `topic` | – | – | `topic` | – |
/// | sns | `topic:uuid` (subscription) | – | – | `topic` | `uuid` |
/// | lambda | `function:f` | `function` | – | `f` | – |
/// | lambda | `function:f:7`, `function:f:live`, `function:f:$LATEST` | `function` | – | `f` | `7`, `live`, `$LATEST` |
/// | lambda | `layer:l:3` | `layer` | – | `l` | `3` |
/// | states | `stateMachine:sm`, `stateMachine:sm:1`, `stateMachine:sm:prod` | `stateMachine` | – | `sm` | –, `1`, `prod` |
/// | states | `activity:a` | `activity` | – | `a` | – |
/// | states | `execution:sm:e` | `execution` | `sm` | `e` | – |
/// | states | `express:sm:e:uuid` | `express` | `sm` | `e` | `uuid` |
/// | states | `mapRun:sm/label:uuid` | `mapRun` | `sm` | `label` | `uuid` |
/// | iot | `thing/t`, `topic/a/b`, `rule/r` | `thing`, `topic`, `rule` | – | `t`, `a/b`, `r` | – |
/// | any other | `type/id`, `type:id` or `id` | `type` | – | `id` | – |
///
/// The separator is whichever of `:` or `/` follows the type. The qualifier always ends the
/// resource and follows a colon, so [`Arn::unqualified`] gives a function's or state machine's
/// ARN from a version's or alias's, and a topic's ARN from a subscription's.
///
/// ```
/// use aws_lite_core::id::{AccountId, Arn, Region, Separator};
///
/// let arn: Arn = "arn:aws:lambda:us-east-1:123456789012:function:my-fn:live".parse()?;
/// assert_eq!(arn.partition(), "aws");
/// assert_eq!(arn.service(), "lambda");
/// assert_eq!(arn.region(), "us-east-1");
/// assert_eq!(arn.account(), "123456789012");
/// assert_eq!(arn.resource(), "function:my-fn:live");
/// assert_eq!(arn.resource_type(), Some("function"));
/// assert_eq!(arn.resource_name(), "my-fn");
/// assert_eq!(arn.qualifier(), Some("live"));
/// assert_eq!(arn.resource_parts().separator, Some(Separator::Colon));
/// assert_eq!(arn.unqualified(), "arn:aws:lambda:us-east-1:123456789012:function:my-fn");
/// assert_eq!(arn.to_string(), "arn:aws:lambda:us-east-1:123456789012:function:my-fn:live");
///
/// let region = Region::parse("us-east-1")?;
/// let account = AccountId::parse("123456789012")?;
/// assert_eq!(Arn::lambda_function(&region, &account, "my-fn", Some("live"))?, arn);
///
/// let err = Arn::parse("arn:aws:sqs").unwrap_err();
/// assert_eq!(err.code(), "ValidationException");
/// assert_eq!(err.message(), "Invalid ARN: expected 6 colon-separated parts, found 3");
/// # Ok::<(), aws_lite_core::Error>(())
/// ```
#[derive(Clone)]
pub struct Arn {
    text: Arc<str>,
    /// Byte offsets of the colons that end the partition, service, region and account. The
    /// colon ending the `arn` prefix is always at 3. Colons are ASCII, so every offset is a
    /// char boundary of `text`.
    colons: [usize; 4],
}

impl Arn {
    /// Parses and validates an ARN.
    ///
    /// # Errors
    ///
    /// A `ValidationException` whose message names what is wrong: an empty string, fewer than
    /// six colon-separated parts, a prefix other than `arn`, or an invalid partition, service,
    /// region, account or an empty resource.
    pub fn parse(s: &str) -> Result<Arn, Error> {
        if s.is_empty() {
            return Err(invalid("Invalid ARN: the ARN is empty".to_owned()));
        }
        let mut fields = [""; 6];
        let mut found = 0;
        for (slot, field) in fields.iter_mut().zip(s.splitn(6, ':')) {
            *slot = field;
            found += 1;
        }
        if found < 6 {
            return Err(invalid(format!(
                "Invalid ARN: expected 6 colon-separated parts, found {found}"
            )));
        }
        let [prefix, partition, service, region, account, resource] = fields;
        if prefix != "arn" {
            return Err(invalid(format!(
                "Invalid ARN: must begin with 'arn:', found '{}:'",
                elide(prefix)
            )));
        }
        Arn::check_parts(partition, service, region, account, resource)?;
        Ok(Arn {
            text: Arc::from(s),
            colons: colons_for(partition, service, region, account),
        })
    }

    /// [`Arn::parse`], with the error's code replaced by the caller's (SQS `InvalidAddress`,
    /// Step Functions `InvalidArn`, …) and its message kept.
    ///
    /// ```
    /// use aws_lite_core::id::Arn;
    ///
    /// let err = Arn::parse_with_code("arn:aws:states:us-east-1:12345:activity:a", "InvalidArn")
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "InvalidArn");
    /// assert_eq!(err.message(), "Invalid ARN: account '12345' must be 12 digits");
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Arn::parse`], with code `code`.
    pub fn parse_with_code(s: &str, code: impl Into<Cow<'static, str>>) -> Result<Arn, Error> {
        Arn::parse(s).map_err(|e| Error::validation(code, e.message()))
    }

    /// An ARN from its five parts, each validated as [`Arn::parse`] does.
    ///
    /// ```
    /// use aws_lite_core::id::Arn;
    ///
    /// let arn = Arn::new("aws", "iam", "", "aws", "policy/AdministratorAccess")?;
    /// assert_eq!(arn, "arn:aws:iam::aws:policy/AdministratorAccess");
    /// assert!(Arn::new("aws", "sqs", "us-east-1:x", "123456789012", "q").is_err());
    /// # Ok::<(), aws_lite_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A `ValidationException` naming the first invalid part.
    pub fn new(
        partition: &str,
        service: &str,
        region: &str,
        account: &str,
        resource: &str,
    ) -> Result<Arn, Error> {
        Arn::check_parts(partition, service, region, account, resource)?;
        Ok(Arn::assemble(partition, service, region, account, resource))
    }

    fn check_parts(
        partition: &str,
        service: &str,
        region: &str,
        account: &str,
        resource: &str,
    ) -> Result<(), Error> {
        if partition.is_empty() {
            return Err(invalid("Invalid ARN: partition is empty".to_owned()));
        }
        if !is_partition(partition) {
            return Err(invalid(format!(
                "Invalid ARN: partition '{}' is not valid",
                elide(partition)
            )));
        }
        if service.is_empty() {
            return Err(invalid("Invalid ARN: service is empty".to_owned()));
        }
        if !service
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(format!(
                "Invalid ARN: service '{}' is not valid",
                elide(service)
            )));
        }
        if !region.is_empty() && !Region::is_valid(region) {
            return Err(invalid(format!(
                "Invalid ARN: region '{}' is not valid",
                elide(region)
            )));
        }
        if !(account.is_empty() || account == "aws" || AccountId::is_valid(account)) {
            return Err(invalid(format!(
                "Invalid ARN: account '{}' must be 12 digits",
                elide(account)
            )));
        }
        if resource.is_empty() {
            return Err(invalid("Invalid ARN: resource is empty".to_owned()));
        }
        Ok(())
    }

    /// Joins parts already known to be valid.
    fn assemble(
        partition: &str,
        service: &str,
        region: &str,
        account: &str,
        resource: &str,
    ) -> Arn {
        let text = format!("arn:{partition}:{service}:{region}:{account}:{resource}");
        Arn {
            text: Arc::from(text),
            colons: colons_for(partition, service, region, account),
        }
    }

    /// An ARN in `region`'s partition for `resource` of `service` in `account`; the parts are
    /// valid by construction and `resource` is never empty (the callers put a type or a
    /// checked non-empty name in it).
    fn regional(service: &str, region: &Region, account: &AccountId, resource: &str) -> Arn {
        Arn::assemble(
            region.partition(),
            service,
            region.as_str(),
            account.as_str(),
            resource,
        )
    }

    /// An SQS queue's ARN: `arn:aws:sqs:{region}:{account}:{name}`.
    ///
    /// ```
    /// use aws_lite_core::id::{AccountId, Arn, Region};
    ///
    /// let arn = Arn::sqs(&Region::DEFAULT, &AccountId::DEFAULT, "jobs.fifo")?;
    /// assert_eq!(arn, "arn:aws:sqs:us-east-1:000000000000:jobs.fifo");
    /// assert_eq!(arn.resource_name(), "jobs.fifo");
    /// # Ok::<(), aws_lite_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` is empty or contains `:` or `/` (the full queue name
    /// rules are [`NameRule::SQS_QUEUE`](super::NameRule::SQS_QUEUE)'s).
    pub fn sqs(region: &Region, account: &AccountId, name: &str) -> Result<Arn, Error> {
        let name = component(name, "queue name", &[':', '/'])?;
        Ok(Arn::regional("sqs", region, account, name))
    }

    /// An SNS topic's ARN: `arn:aws:sns:{region}:{account}:{name}`.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` is empty or contains `:` or `/`.
    pub fn sns_topic(region: &Region, account: &AccountId, name: &str) -> Result<Arn, Error> {
        let name = component(name, "topic name", &[':', '/'])?;
        Ok(Arn::regional("sns", region, account, name))
    }

    /// An SNS subscription's ARN: `arn:aws:sns:{region}:{account}:{topic}:{subscription_id}`,
    /// the subscription id being a UUID.
    ///
    /// ```
    /// use aws_lite_core::id::{AccountId, Arn, Region};
    ///
    /// let id = "4e5d0e42-0f54-4d6c-9b2a-2f7c1c1d2e3f";
    /// let arn = Arn::sns_subscription(&Region::DEFAULT, &AccountId::DEFAULT, "orders", id)?;
    /// assert_eq!(arn.resource_name(), "orders");
    /// assert_eq!(arn.qualifier(), Some(id));
    /// assert_eq!(arn.unqualified(), Arn::sns_topic(&Region::DEFAULT, &AccountId::DEFAULT, "orders")?);
    /// # Ok::<(), aws_lite_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A `ValidationException` if either part is empty or contains `:` or `/`.
    pub fn sns_subscription(
        region: &Region,
        account: &AccountId,
        topic: &str,
        subscription_id: &str,
    ) -> Result<Arn, Error> {
        let topic = component(topic, "topic name", &[':', '/'])?;
        let id = component(subscription_id, "subscription id", &[':', '/'])?;
        Ok(Arn::regional(
            "sns",
            region,
            account,
            &format!("{topic}:{id}"),
        ))
    }

    /// A Lambda function's ARN, unqualified (`…:function:{name}`) or qualified with a version,
    /// an alias or `$LATEST` (`…:function:{name}:{qualifier}`).
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` or `qualifier` is empty or contains `:` or `/`.
    pub fn lambda_function(
        region: &Region,
        account: &AccountId,
        name: &str,
        qualifier: Option<&str>,
    ) -> Result<Arn, Error> {
        let name = component(name, "function name", &[':', '/'])?;
        let resource = match qualifier {
            Some(q) => format!(
                "function:{name}:{}",
                component(q, "qualifier", &[':', '/'])?
            ),
            None => format!("function:{name}"),
        };
        Ok(Arn::regional("lambda", region, account, &resource))
    }

    /// A Lambda layer version's ARN: `…:layer:{name}:{version}`.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` is empty or contains `:` or `/`.
    pub fn lambda_layer_version(
        region: &Region,
        account: &AccountId,
        name: &str,
        version: u64,
    ) -> Result<Arn, Error> {
        let name = component(name, "layer name", &[':', '/'])?;
        Ok(Arn::regional(
            "lambda",
            region,
            account,
            &format!("layer:{name}:{version}"),
        ))
    }

    /// A Step Functions state machine's ARN, unqualified (`…:stateMachine:{name}`) or of a
    /// version or alias (`…:stateMachine:{name}:{qualifier}`).
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` or `qualifier` is empty or contains `:` or `/`.
    pub fn state_machine(
        region: &Region,
        account: &AccountId,
        name: &str,
        qualifier: Option<&str>,
    ) -> Result<Arn, Error> {
        let name = component(name, "state machine name", &[':', '/'])?;
        let resource = match qualifier {
            Some(q) => format!(
                "stateMachine:{name}:{}",
                component(q, "qualifier", &[':', '/'])?
            ),
            None => format!("stateMachine:{name}"),
        };
        Ok(Arn::regional("states", region, account, &resource))
    }

    /// A standard execution's ARN: `…:execution:{state_machine}:{name}`. The state machine
    /// part may be `{state_machine}/{map_run_label}` for a Distributed Map child execution.
    ///
    /// ```
    /// use aws_lite_core::id::{AccountId, Arn, Region};
    ///
    /// let arn = Arn::execution(&Region::DEFAULT, &AccountId::DEFAULT, "orders", "run-1")?;
    /// assert_eq!(arn, "arn:aws:states:us-east-1:000000000000:execution:orders:run-1");
    /// assert_eq!(arn.resource_name(), "run-1");
    /// assert_eq!(arn.state_machine_name(), Some("orders"));
    /// # Ok::<(), aws_lite_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A `ValidationException` if either part is empty or contains `:`, or `name` contains `/`.
    pub fn execution(
        region: &Region,
        account: &AccountId,
        state_machine: &str,
        name: &str,
    ) -> Result<Arn, Error> {
        let sm = component(state_machine, "state machine name", &[':'])?;
        let name = component(name, "execution name", &[':', '/'])?;
        Ok(Arn::regional(
            "states",
            region,
            account,
            &format!("execution:{sm}:{name}"),
        ))
    }

    /// An Express execution's ARN: `…:express:{state_machine}:{name}:{run_id}`.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if any part is empty or contains `:` or `/`.
    pub fn express_execution(
        region: &Region,
        account: &AccountId,
        state_machine: &str,
        name: &str,
        run_id: &str,
    ) -> Result<Arn, Error> {
        let sm = component(state_machine, "state machine name", &[':', '/'])?;
        let name = component(name, "execution name", &[':', '/'])?;
        let run = component(run_id, "run id", &[':', '/'])?;
        Ok(Arn::regional(
            "states",
            region,
            account,
            &format!("express:{sm}:{name}:{run}"),
        ))
    }

    /// A Distributed Map run's ARN: `…:mapRun:{state_machine}/{label}:{run_id}`.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if any part is empty or contains `:` or `/`.
    pub fn map_run(
        region: &Region,
        account: &AccountId,
        state_machine: &str,
        label: &str,
        run_id: &str,
    ) -> Result<Arn, Error> {
        let sm = component(state_machine, "state machine name", &[':', '/'])?;
        let label = component(label, "map run label", &[':', '/'])?;
        let run = component(run_id, "run id", &[':', '/'])?;
        Ok(Arn::regional(
            "states",
            region,
            account,
            &format!("mapRun:{sm}/{label}:{run}"),
        ))
    }

    /// A Step Functions activity's ARN: `…:activity:{name}`.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` is empty or contains `:` or `/`.
    pub fn activity(region: &Region, account: &AccountId, name: &str) -> Result<Arn, Error> {
        let name = component(name, "activity name", &[':', '/'])?;
        Ok(Arn::regional(
            "states",
            region,
            account,
            &format!("activity:{name}"),
        ))
    }

    /// An IoT thing's ARN: `arn:aws:iot:{region}:{account}:thing/{name}`.
    ///
    /// ```
    /// use aws_lite_core::id::{AccountId, Arn, Region};
    ///
    /// let arn = Arn::iot_thing(&Region::DEFAULT, &AccountId::DEFAULT, "sensor-1")?;
    /// assert_eq!(arn, "arn:aws:iot:us-east-1:000000000000:thing/sensor-1");
    /// assert_eq!(arn.resource_type(), Some("thing"));
    /// assert_eq!(arn.resource_name(), "sensor-1");
    /// # Ok::<(), aws_lite_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` is empty or contains `/`.
    pub fn iot_thing(region: &Region, account: &AccountId, name: &str) -> Result<Arn, Error> {
        let name = component(name, "thing name", &['/'])?;
        Ok(Arn::regional(
            "iot",
            region,
            account,
            &format!("thing/{name}"),
        ))
    }

    /// An IoT MQTT topic's ARN: `arn:aws:iot:{region}:{account}:topic/{topic}`, the topic
    /// (`a/b/c`) kept as is.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `topic` is empty.
    pub fn iot_topic(region: &Region, account: &AccountId, topic: &str) -> Result<Arn, Error> {
        let topic = component(topic, "topic", &[])?;
        Ok(Arn::regional(
            "iot",
            region,
            account,
            &format!("topic/{topic}"),
        ))
    }

    /// An IoT rule's ARN: `arn:aws:iot:{region}:{account}:rule/{name}`.
    ///
    /// # Errors
    ///
    /// A `ValidationException` if `name` is empty or contains `/`.
    pub fn iot_rule(region: &Region, account: &AccountId, name: &str) -> Result<Arn, Error> {
        let name = component(name, "rule name", &['/'])?;
        Ok(Arn::regional(
            "iot",
            region,
            account,
            &format!("rule/{name}"),
        ))
    }

    /// The whole ARN.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text between two byte offsets. The offsets are colon positions (char boundaries)
    /// or the ends of the text, so the range is always valid; `get` keeps this panic-free.
    fn between(&self, start: usize, end: usize) -> &str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// The partition: `aws`, `aws-cn`, `aws-us-gov`, …
    pub fn partition(&self) -> &str {
        self.between(4, self.colons[0])
    }

    /// The service namespace: `sqs`, `sns`, `lambda`, `states`, `iot`, …
    pub fn service(&self) -> &str {
        self.between(self.colons[0] + 1, self.colons[1])
    }

    /// The region; empty for global resources (`iam`, `s3`, Step Functions service
    /// integrations).
    pub fn region(&self) -> &str {
        self.between(self.colons[1] + 1, self.colons[2])
    }

    /// The account: twelve digits, `aws` for AWS-managed resources, or empty.
    pub fn account(&self) -> &str {
        self.between(self.colons[2] + 1, self.colons[3])
    }

    /// Everything after the fifth colon, exactly as written.
    pub fn resource(&self) -> &str {
        self.between(self.colons[3] + 1, self.text.len())
    }

    /// The region as a [`Region`], or `None` when it is empty.
    pub fn to_region(&self) -> Option<Region> {
        Region::parse(self.region()).ok()
    }

    /// The account as an [`AccountId`], or `None` when it is empty or `aws`.
    pub fn to_account_id(&self) -> Option<AccountId> {
        AccountId::parse(self.account()).ok()
    }

    /// The resource split into type, separator, parent, id and qualifier, following the
    /// service's conventions (see the table in the type's docs).
    pub fn resource_parts(&self) -> ResourceParts<'_> {
        ResourceParts::of(self.service(), self.resource())
    }

    /// The resource type: `function`, `stateMachine`, `thing`, …; `None` for resources that
    /// are a bare name (SQS queues, SNS topics and subscriptions).
    pub fn resource_type(&self) -> Option<&str> {
        self.resource_parts().resource_type
    }

    /// The resource's own name or id, without type, parent or qualifier: the queue, topic,
    /// function, layer, state machine, activity, execution or thing name. For an SNS
    /// subscription it is the topic's name (the subscription id is the
    /// [`qualifier`](Arn::qualifier)).
    pub fn resource_name(&self) -> &str {
        self.resource_parts().id
    }

    /// The qualifier: a Lambda function's or state machine's version or alias (`7`, `live`,
    /// `$LATEST`), a layer's version, an SNS subscription's id, an Express execution's or a
    /// Map Run's run id; `None` when there is none.
    pub fn qualifier(&self) -> Option<&str> {
        self.resource_parts().qualifier
    }

    /// The name of the state machine a Step Functions ARN belongs to: the state machine
    /// itself, or the one an execution, Express execution or Map Run belongs to. `None` for
    /// other services and for activities.
    pub fn state_machine_name(&self) -> Option<&str> {
        if self.service() != "states" {
            return None;
        }
        let parts = self.resource_parts();
        match parts.resource_type {
            Some("stateMachine") => Some(parts.id),
            Some("execution" | "express" | "mapRun") => parts
                .parent
                .map(|p| p.split_once('/').map_or(p, |(sm, _)| sm)),
            _ => None,
        }
    }

    /// This ARN without its `:qualifier`: a function's or state machine's ARN from one of its
    /// versions or aliases, a topic's ARN from one of its subscriptions. An ARN without a
    /// qualifier is returned as is.
    pub fn unqualified(&self) -> Arn {
        match self.qualifier() {
            // The qualifier always ends the resource and follows a `:` inside it (see
            // `ResourceParts::of`), so cutting it keeps the colon offsets; the guard keeps the
            // resource non-empty.
            Some(q) => {
                let end = self.text.len().saturating_sub(q.len() + 1);
                match self.text.get(..end) {
                    Some(text) if end > self.colons[3] + 1 => Arn {
                        text: Arc::from(text),
                        colons: self.colons,
                    },
                    _ => self.clone(),
                }
            }
            None => self.clone(),
        }
    }
}

/// The offsets of the colons after each of the first four parts, given `arn:` in front.
fn colons_for(partition: &str, service: &str, region: &str, account: &str) -> [usize; 4] {
    let c0 = 4 + partition.len();
    let c1 = c0 + 1 + service.len();
    let c2 = c1 + 1 + region.len();
    let c3 = c2 + 1 + account.len();
    [c0, c1, c2, c3]
}

/// `aws`, optionally followed by hyphen-prefixed groups of lowercase letters.
fn is_partition(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("aws") else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    let Some(rest) = rest.strip_prefix('-') else {
        return false;
    };
    rest.split('-')
        .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Checks one name that a typed constructor puts into a resource.
fn component<'a>(value: &'a str, what: &str, forbidden: &[char]) -> Result<&'a str, Error> {
    if value.is_empty() {
        return Err(invalid(format!("Invalid ARN: {what} is empty")));
    }
    if let Some(c) = value.chars().find(|c| forbidden.contains(c)) {
        return Err(invalid(format!(
            "Invalid ARN: {what} '{}' must not contain '{c}'",
            elide(value)
        )));
    }
    Ok(value)
}

/// The character between a resource type and the rest of the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Separator {
    /// `:` as in `function:my-fn`.
    Colon,
    /// `/` as in `thing/my-thing`.
    Slash,
}

impl Separator {
    /// `':'` or `'/'`.
    pub fn as_char(self) -> char {
        match self {
            Separator::Colon => ':',
            Separator::Slash => '/',
        }
    }
}

/// A structured view of an ARN's resource, borrowed from the [`Arn`]; see the table in
/// [`Arn`]'s docs for how each service's resources split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ResourceParts<'a> {
    /// The resource type (`function`, `stateMachine`, `execution`, `thing`, …), `None` for
    /// resources that are a bare name.
    pub resource_type: Option<&'a str>,
    /// The separator after the type; `None` when there is no type.
    pub separator: Option<Separator>,
    /// The resource this one belongs to, where the ARN names it: the state machine of a
    /// Step Functions execution, Express execution or Map Run.
    pub parent: Option<&'a str>,
    /// The resource's own name or id.
    pub id: &'a str,
    /// A version, alias, subscription id or run id after the id.
    pub qualifier: Option<&'a str>,
}

impl<'a> ResourceParts<'a> {
    /// Splits `resource` following `service`'s conventions.
    fn of(service: &str, resource: &'a str) -> ResourceParts<'a> {
        match service {
            "sqs" => ResourceParts::bare(resource, None),
            "sns" if !resource.contains('/') => match resource.split_once(':') {
                Some((topic, subscription)) => ResourceParts::bare(topic, Some(subscription)),
                None => ResourceParts::bare(resource, None),
            },
            "lambda" => match resource.split_once(':') {
                Some((ty, rest)) => {
                    let (id, qualifier) = split_qualifier(rest);
                    ResourceParts::typed(ty, Separator::Colon, None, id, qualifier)
                }
                None => ResourceParts::generic(resource),
            },
            "states" => ResourceParts::states(resource),
            _ => ResourceParts::generic(resource),
        }
    }

    fn bare(id: &'a str, qualifier: Option<&'a str>) -> ResourceParts<'a> {
        ResourceParts {
            resource_type: None,
            separator: None,
            parent: None,
            id,
            qualifier,
        }
    }

    fn typed(
        ty: &'a str,
        separator: Separator,
        parent: Option<&'a str>,
        id: &'a str,
        qualifier: Option<&'a str>,
    ) -> ResourceParts<'a> {
        ResourceParts {
            resource_type: Some(ty),
            separator: Some(separator),
            parent,
            id,
            qualifier,
        }
    }

    /// `type/id`, `type:id` (whichever separator comes first) or a bare `id`.
    fn generic(resource: &'a str) -> ResourceParts<'a> {
        match resource.find([':', '/']) {
            Some(at) => {
                let ty = resource.get(..at).unwrap_or_default();
                let id = resource.get(at + 1..).unwrap_or_default();
                let sep = if resource.as_bytes().get(at) == Some(&b'/') {
                    Separator::Slash
                } else {
                    Separator::Colon
                };
                ResourceParts::typed(ty, sep, None, id, None)
            }
            None => ResourceParts::bare(resource, None),
        }
    }

    fn states(resource: &'a str) -> ResourceParts<'a> {
        let Some((ty, rest)) = resource.split_once(':') else {
            return ResourceParts::generic(resource);
        };
        let colon = Separator::Colon;
        match ty {
            "stateMachine" => {
                let (id, qualifier) = split_qualifier(rest);
                ResourceParts::typed(ty, colon, None, id, qualifier)
            }
            "execution" => match rest.split_once(':') {
                Some((sm, name)) => ResourceParts::typed(ty, colon, Some(sm), name, None),
                None => ResourceParts::typed(ty, colon, None, rest, None),
            },
            "express" => match rest.split_once(':') {
                Some((sm, more)) => {
                    let (name, run) = split_qualifier(more);
                    ResourceParts::typed(ty, colon, Some(sm), name, run)
                }
                None => ResourceParts::typed(ty, colon, None, rest, None),
            },
            "mapRun" => {
                let (path, run) = match rest.rsplit_once(':') {
                    Some((path, run)) => (path, Some(run)),
                    None => (rest, None),
                };
                match path.split_once('/') {
                    Some((sm, label)) => ResourceParts::typed(ty, colon, Some(sm), label, run),
                    None => ResourceParts::typed(ty, colon, None, path, run),
                }
            }
            _ => ResourceParts::typed(ty, colon, None, rest, None),
        }
    }
}

/// `id` or `id:qualifier`.
fn split_qualifier(rest: &str) -> (&str, Option<&str>) {
    match rest.split_once(':') {
        Some((id, qualifier)) => (id, Some(qualifier)),
        None => (rest, None),
    }
}

impl FromStr for Arn {
    type Err = Error;
    fn from_str(s: &str) -> Result<Arn, Error> {
        Arn::parse(s)
    }
}

impl TryFrom<&str> for Arn {
    type Error = Error;
    fn try_from(s: &str) -> Result<Arn, Error> {
        Arn::parse(s)
    }
}

impl TryFrom<String> for Arn {
    type Error = Error;
    fn try_from(s: String) -> Result<Arn, Error> {
        Arn::parse(&s)
    }
}

impl From<Arn> for String {
    fn from(arn: Arn) -> String {
        arn.as_str().to_owned()
    }
}

impl AsRef<str> for Arn {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Arn {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Arn {
    fn eq(&self, other: &Arn) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Arn {}

impl PartialEq<str> for Arn {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Arn {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Arn {
    fn partial_cmp(&self, other: &Arn) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Arn {
    fn cmp(&self, other: &Arn) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Arn {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Hash as the text alone, as `Borrow<str>` requires.
        self.as_str().hash(state);
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Arn").field(&self.as_str()).finish()
    }
}

impl serde::Serialize for Arn {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Arn {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Arn, D::Error> {
        let s = <Cow<'de, str>>::deserialize(deserializer)?;
        Arn::parse(&s).map_err(|e| serde::de::Error::custom(e.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn offsets_match_the_parts() {
        let arn =
            Arn::parse("arn:aws-us-gov:execute-api:us-gov-west-1:123456789012:a/b/GET/c").unwrap();
        assert_eq!(arn.partition(), "aws-us-gov");
        assert_eq!(arn.service(), "execute-api");
        assert_eq!(arn.region(), "us-gov-west-1");
        assert_eq!(arn.account(), "123456789012");
        assert_eq!(arn.resource(), "a/b/GET/c");
        let built = Arn::new(
            "aws-us-gov",
            "execute-api",
            "us-gov-west-1",
            "123456789012",
            "a/b/GET/c",
        )
        .unwrap();
        assert_eq!(built.colons, arn.colons);
    }

    #[test]
    fn partitions() {
        for ok in [
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-eusc",
        ] {
            assert!(is_partition(ok), "{ok}");
        }
        for bad in [
            "", "aw", "awss", "aws-", "aws--cn", "aws-CN", "aws-1", "xyz", "AWS",
        ] {
            assert!(!is_partition(bad), "{bad}");
        }
    }

    #[test]
    fn borrows_as_str_in_maps() {
        let arn = Arn::parse("arn:aws:sqs:us-east-1:123456789012:q").unwrap();
        let mut map = HashMap::new();
        map.insert(arn.clone(), 1);
        assert_eq!(map.get("arn:aws:sqs:us-east-1:123456789012:q"), Some(&1));
        assert_eq!(
            format!("{arn:?}"),
            "Arn(\"arn:aws:sqs:us-east-1:123456789012:q\")"
        );
    }

    #[test]
    fn messages_are_elided() {
        let long = "x".repeat(1000);
        let err = Arn::parse(&format!("arn:{long}:sqs:us-east-1:123456789012:q")).unwrap_err();
        assert!(err.message().len() < 120, "{}", err.message());
        assert!(err.message().ends_with("…' is not valid"));
        assert_eq!(elide("héllo"), "héllo");
    }

    #[test]
    fn unqualified_keeps_unqualified_arns() {
        let arn = Arn::parse("arn:aws:lambda:us-east-1:123456789012:function:f").unwrap();
        assert_eq!(arn.unqualified(), arn);
        let arn = Arn::parse("arn:aws:sns:us-east-1:123456789012:t:").unwrap();
        assert_eq!(arn.qualifier(), Some(""));
        assert_eq!(arn.unqualified(), "arn:aws:sns:us-east-1:123456789012:t");
        // A resource that is only `:q` would lose everything: returned unchanged.
        let arn = Arn::parse("arn:aws:sns:us-east-1:123456789012::q").unwrap();
        assert_eq!(arn.unqualified(), arn);
    }

    #[test]
    fn generic_resources() {
        let arn =
            Arn::parse("arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/f:*").unwrap();
        let p = arn.resource_parts();
        assert_eq!(p.resource_type, Some("log-group"));
        assert_eq!(p.separator, Some(Separator::Colon));
        assert_eq!(p.id, "/aws/lambda/f:*");
        let arn = Arn::parse("arn:aws:s3:::my-bucket").unwrap();
        assert_eq!(arn.resource_type(), None);
        assert_eq!(arn.resource_name(), "my-bucket");
        let arn = Arn::parse("arn:aws:states:::aws-sdk:s3:getObject").unwrap();
        assert_eq!(arn.resource_type(), Some("aws-sdk"));
        assert_eq!(arn.resource_name(), "s3:getObject");
        assert_eq!(arn.state_machine_name(), None);
    }
}
