//! The [`Sqs`] service handle: account, region, clock, randomness, limits and the queue registry.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use aws_lite_core::id::{AccountId, Region};
use aws_lite_core::sync::Mutex;
use aws_lite_core::{Error, Instant, Rand, SharedClock};

use crate::error;
use crate::limits::Limits;
use crate::queue::{Queue, QueueShared};

/// An in-process SQS: one account in one region.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`, like an SDK client. Every operation is a
/// fluent builder named like the SQS operation (`sqs.create_queue()`, `sqs.send_message()` …);
/// [`Queue`] handles offer the per-queue operations without the URL lookup.
///
/// ```
/// use aws_lite_queue::Sqs;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), aws_lite_core::Error> {
/// let sqs = Sqs::new();
/// let queue = sqs.create_queue().queue_name("orders").send().await?.queue();
/// queue.send_message().message_body("hello").send().await?;
/// let got = queue.receive_message().send().await?;
/// assert_eq!(got.messages()[0].body(), "hello");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Sqs {
    pub(crate) inner: Arc<SqsInner>,
}

pub(crate) struct SqsInner {
    pub(crate) account: AccountId,
    pub(crate) region: Region,
    /// Base of queue URLs, without a trailing slash.
    pub(crate) endpoint: String,
    pub(crate) clock: SharedClock,
    pub(crate) rand: Rand,
    pub(crate) limits: Limits,
    pub(crate) faults: aws_lite_core::fault::FaultPlan,
    /// `SenderId` stamped on sent messages.
    pub(crate) sender_id: Arc<str>,
    pub(crate) queues: RwLock<HashMap<String, Arc<QueueShared>>>,
    /// Names deleted recently, with the deletion time.
    pub(crate) deleted_names: Mutex<HashMap<String, Instant>>,
    pub(crate) move_tasks: Mutex<crate::move_task::MoveTasks>,
}

impl fmt::Debug for Sqs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sqs")
            .field("account", &self.inner.account)
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint)
            .finish_non_exhaustive()
    }
}

impl Default for Sqs {
    fn default() -> Sqs {
        Sqs::new()
    }
}

/// Configures an [`Sqs`]: account, region, endpoint, clock, randomness, limits and faults.
#[derive(Debug, Default)]
pub struct SqsBuilder {
    account: Option<AccountId>,
    region: Option<Region>,
    endpoint: Option<String>,
    clock: Option<SharedClock>,
    rand: Option<Rand>,
    limits: Option<Limits>,
    faults: Option<aws_lite_core::fault::FaultPlan>,
}

impl SqsBuilder {
    /// The account (default `000000000000`).
    pub fn account(mut self, account: AccountId) -> SqsBuilder {
        self.account = Some(account);
        self
    }

    /// The region (default `us-east-1`).
    pub fn region(mut self, region: Region) -> SqsBuilder {
        self.region = Some(region);
        self
    }

    /// The base of queue URLs (default `https://sqs.{region}.amazonaws.com`), e.g. the address of
    /// a local endpoint. A trailing slash is ignored.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> SqsBuilder {
        let mut url = url.into();
        while url.ends_with('/') {
            url.pop();
        }
        self.endpoint = Some(url);
        self
    }

    /// The clock (default: a new `TokioClock`).
    pub fn clock(mut self, clock: SharedClock) -> SqsBuilder {
        self.clock = Some(clock);
        self
    }

    /// The randomness source (default: seeded from entropy). Give a seeded one to replay ids.
    pub fn rand(mut self, rand: Rand) -> SqsBuilder {
        self.rand = Some(rand);
        self
    }

    /// The limits (default: today's AWS limits, [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> SqsBuilder {
        self.limits = Some(limits);
        self
    }

    /// The fault plan (default: off).
    pub fn fault_plan(mut self, faults: aws_lite_core::fault::FaultPlan) -> SqsBuilder {
        self.faults = Some(faults);
        self
    }

    /// Builds the service.
    pub fn build(self) -> Sqs {
        let account = self.account.unwrap_or_default();
        let region = self.region.unwrap_or_default();
        let endpoint = self
            .endpoint
            .unwrap_or_else(|| format!("https://sqs.{}.amazonaws.com", region.as_str()));
        let rand = self.rand.unwrap_or_default();
        let faults = self
            .faults
            .unwrap_or_else(aws_lite_core::fault::FaultPlan::off);
        Sqs {
            inner: Arc::new(SqsInner {
                sender_id: Arc::from(account.as_str()),
                account,
                region,
                endpoint,
                clock: self.clock.unwrap_or_default(),
                rand,
                limits: self.limits.unwrap_or_default(),
                faults,
                queues: RwLock::new(HashMap::new()),
                deleted_names: Mutex::new(HashMap::new()),
                move_tasks: Mutex::new(crate::move_task::MoveTasks::default()),
            }),
        }
    }
}

impl Sqs {
    /// An SQS with every default: account `000000000000`, region `us-east-1`, a `TokioClock`,
    /// entropy-seeded ids, today's limits, no faults.
    pub fn new() -> Sqs {
        SqsBuilder::default().build()
    }

    /// Configures an SQS.
    pub fn builder() -> SqsBuilder {
        SqsBuilder::default()
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.inner.account
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The clock every queue of this service reads.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// The randomness source.
    pub fn rand(&self) -> &Rand {
        &self.inner.rand
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// A handle to the queue named `name`, or `QueueDoesNotExist`.
    pub fn queue(&self, name: &str) -> Result<Queue, Error> {
        let shared = self.inner.lookup_name(name)?;
        Ok(self.handle(shared))
    }

    /// A handle to the queue at `url`, or `QueueDoesNotExist` / `InvalidAddress`.
    pub fn queue_by_url(&self, url: &str) -> Result<Queue, Error> {
        let shared = self.inner.resolve_url(url)?;
        Ok(self.handle(shared))
    }

    /// A handle to the queue with ARN `arn`, or `QueueDoesNotExist`.
    pub fn queue_by_arn(&self, arn: &str) -> Result<Queue, Error> {
        let shared = self
            .inner
            .lookup_arn(arn)
            .ok_or_else(error::queue_does_not_exist)?;
        Ok(self.handle(shared))
    }

    pub(crate) fn handle(&self, shared: Arc<QueueShared>) -> Queue {
        Queue {
            sqs: self.clone(),
            shared,
        }
    }
}

impl SqsInner {
    /// Epoch milliseconds at `at`.
    pub(crate) fn epoch_ms(&self, at: Instant) -> u64 {
        self.clock.epoch_millis(at)
    }

    pub(crate) fn queue_url(&self, name: &str) -> String {
        format!("{}/{}/{}", self.endpoint, self.account.as_str(), name)
    }

    pub(crate) fn queue_arn(&self, name: &str) -> String {
        format!(
            "arn:{}:sqs:{}:{}:{}",
            self.region.partition(),
            self.region.as_str(),
            self.account.as_str(),
            name
        )
    }

    pub(crate) fn lookup_name(&self, name: &str) -> Result<Arc<QueueShared>, Error> {
        let queues = self.queues.read().unwrap_or_else(|p| p.into_inner());
        queues
            .get(name)
            .cloned()
            .ok_or_else(error::queue_does_not_exist)
    }

    /// The live queue with this ARN, if any.
    pub(crate) fn lookup_arn(&self, arn: &str) -> Option<Arc<QueueShared>> {
        let name = arn.rsplit(':').next()?;
        let q = self.lookup_name(name).ok()?;
        (q.arn == arn).then_some(q)
    }

    /// Resolves a `QueueUrl` as SQS does: the last two path segments name the account and the
    /// queue; the host is not checked (SDKs send requests to the endpoint, not the queue's host).
    pub(crate) fn resolve_url(&self, url: &str) -> Result<Arc<QueueShared>, Error> {
        let (account, name) = parse_queue_url(url).ok_or_else(|| {
            error::invalid_address(format!("The address {url} is not valid for this endpoint."))
        })?;
        if account != self.account.as_str() {
            return Err(error::queue_does_not_exist());
        }
        self.lookup_name(name)
    }
}

/// `(account, name)` from `scheme://host[:port]/account/name` (a trailing slash tolerated).
pub(crate) fn parse_queue_url(url: &str) -> Option<(&str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (_host, path) = rest.split_once('/')?;
    let path = path.strip_suffix('/').unwrap_or(path);
    let (account, name) = path.rsplit_once('/')?;
    let account = account.rsplit('/').next()?;
    if account.is_empty() || name.is_empty() {
        return None;
    }
    Some((account, name))
}

#[cfg(test)]
mod tests {
    use super::parse_queue_url;

    #[test]
    fn queue_urls_parse_by_path() {
        assert_eq!(
            parse_queue_url("https://sqs.us-east-1.amazonaws.com/000000000000/q"),
            Some(("000000000000", "q"))
        );
        assert_eq!(
            parse_queue_url("http://localhost:4566/000000000000/q.fifo/"),
            Some(("000000000000", "q.fifo"))
        );
        assert_eq!(parse_queue_url("q"), None);
        assert_eq!(parse_queue_url("https://host/q"), None);
    }
}
