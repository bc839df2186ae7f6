//! The [`Sns`] service handle: account, region, clock, randomness, limits, faults, the queues
//! and functions it delivers to, and the topic and subscription registries.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, RwLock};

use aws_lite_core::fault::FaultPlan;
use aws_lite_core::id::{AccountId, Region};
use aws_lite_core::sync::Mutex;
use aws_lite_core::{Error, Rand, SharedClock};
use aws_lite_queue::Sqs;

use crate::delivery::{FunctionEndpoint, Notification};
use crate::error;
use crate::limits::Limits;
use crate::subscription::SubscriptionShared;
use crate::topic::{Topic, TopicShared};

/// An in-process SNS: the topics of one account in one region.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`, like an SDK client. Every operation is a
/// fluent builder named like the SNS operation (`sns.create_topic()`, `sns.publish()` …);
/// [`Topic`] handles offer the per-topic operations without the ARN lookup.
///
/// # Callers and accounts
///
/// Every request is made by a *caller account*: the topics' owner (the service's
/// [`account`](Sns::account)) unless the builder's [`caller_account`](SnsBuilder::caller_account)
/// or [`Sns::as_caller`] says otherwise (the wire endpoint maps access keys to callers the same
/// way). The owner may do anything; another account may only do what the topic's `Policy`
/// allows it (see [`AddPermission`](crate::operation::add_permission)), and is refused with
/// `AuthorizationError` otherwise.
///
/// ```
/// use aws_lite_pubsub::Sns;
/// use aws_lite_queue::Sqs;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), aws_lite_core::Error> {
/// let sqs = Sqs::new();
/// let sns = Sns::builder().sqs(sqs.clone()).build();
/// let queue = sqs.create_queue().queue_name("orders").send().await?.queue();
/// let topic = sns.create_topic().name("events").send().await?.topic();
/// topic.subscribe().protocol("sqs").endpoint(queue.arn()).send().await?;
/// topic.publish().message("hello").send().await?;
/// let got = queue.receive_message().send().await?;
/// let envelope: serde_json::Value = serde_json::from_str(got.messages()[0].body()).unwrap();
/// assert_eq!(envelope["Message"], "hello");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Sns {
    pub(crate) inner: Arc<SnsInner>,
    pub(crate) caller: AccountId,
}

pub(crate) struct SnsInner {
    pub(crate) account: AccountId,
    pub(crate) region: Region,
    pub(crate) clock: SharedClock,
    pub(crate) rand: Rand,
    pub(crate) limits: Limits,
    pub(crate) faults: FaultPlan,
    pub(crate) sqs: Option<Sqs>,
    pub(crate) functions: Option<Arc<dyn FunctionEndpoint>>,
    /// Topics by ARN.
    pub(crate) topics: RwLock<BTreeMap<String, Arc<TopicShared>>>,
    /// Subscriptions by ARN.
    pub(crate) subscriptions: RwLock<BTreeMap<String, Arc<SubscriptionShared>>>,
    /// Confirmation tokens → (subscription ARN, issued at).
    pub(crate) tokens: Mutex<HashMap<String, (String, aws_lite_core::Instant)>>,
    /// In-process stream endpoints by endpoint ARN.
    pub(crate) streams: Mutex<HashMap<String, tokio::sync::mpsc::UnboundedSender<Notification>>>,
    pub(crate) next_id: AtomicU64,
    /// The HTTPS client and its trust.
    #[cfg(feature = "http")]
    pub(crate) https: crate::http::Https,
}

impl fmt::Debug for Sns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sns")
            .field("account", &self.inner.account)
            .field("region", &self.inner.region)
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

impl Default for Sns {
    fn default() -> Sns {
        Sns::new()
    }
}

/// Configures an [`Sns`]: account, region, clock, randomness, limits, faults, the SQS it
/// delivers to, the function endpoint and the caller account.
#[derive(Default)]
pub struct SnsBuilder {
    account: Option<AccountId>,
    region: Option<Region>,
    clock: Option<SharedClock>,
    rand: Option<Rand>,
    limits: Option<Limits>,
    faults: Option<FaultPlan>,
    sqs: Option<Sqs>,
    functions: Option<Arc<dyn FunctionEndpoint>>,
    caller: Option<AccountId>,
    #[cfg(feature = "http")]
    https_trust: crate::http::HttpsTrust,
}

impl fmt::Debug for SnsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SnsBuilder")
            .field("account", &self.account)
            .field("region", &self.region)
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

impl SnsBuilder {
    /// The account owning the topics (default `000000000000`).
    pub fn account(mut self, account: AccountId) -> SnsBuilder {
        self.account = Some(account);
        self
    }

    /// The region (default `us-east-1`).
    pub fn region(mut self, region: Region) -> SnsBuilder {
        self.region = Some(region);
        self
    }

    /// The clock (default: the SQS's clock if one is given, else a new `TokioClock`).
    pub fn clock(mut self, clock: SharedClock) -> SnsBuilder {
        self.clock = Some(clock);
        self
    }

    /// The randomness source (default: seeded from entropy). Give a seeded one to replay ids.
    pub fn rand(mut self, rand: Rand) -> SnsBuilder {
        self.rand = Some(rand);
        self
    }

    /// The limits (default: today's AWS limits).
    pub fn limits(mut self, limits: Limits) -> SnsBuilder {
        self.limits = Some(limits);
        self
    }

    /// The fault plan (default: off). [`SNS_DELIVERY_ERROR`](crate::SNS_DELIVERY_ERROR) fails
    /// delivery attempts (target: the subscription ARN); `THROTTLE` throttles Publish.
    pub fn fault_plan(mut self, faults: FaultPlan) -> SnsBuilder {
        self.faults = Some(faults);
        self
    }

    /// The SQS whose queues `sqs` subscriptions and dead-letter queues name by ARN.
    pub fn sqs(mut self, sqs: Sqs) -> SnsBuilder {
        self.sqs = Some(sqs);
        self
    }

    /// The function endpoint `lambda` subscriptions invoke.
    pub fn functions(mut self, functions: Arc<dyn FunctionEndpoint>) -> SnsBuilder {
        self.functions = Some(functions);
        self
    }

    /// The account requests are made as (default: the owning account).
    pub fn caller_account(mut self, caller: AccountId) -> SnsBuilder {
        self.caller = Some(caller);
        self
    }

    /// Trust only these root certificates (DER) for `https` endpoints, instead of the default
    /// Mozilla roots from `webpki-roots` (feature `http`).
    ///
    /// Use it for an endpoint whose certificate is self-signed or issued by a private CA: give
    /// the certificate or the CA's. An endpoint presenting any other certificate fails its
    /// handshake, a server error (retried, then counted failed). An empty list trusts nothing.
    /// A certificate that is not a usable trust anchor makes every HTTPS attempt fail with
    /// that reason. The last of this and [`https_client_config`](SnsBuilder::https_client_config)
    /// wins.
    ///
    /// ```
    /// use aws_lite_pubsub::Sns;
    /// use aws_lite_pubsub::rustls::pki_types::CertificateDer;
    ///
    /// # fn ca_certificate_der() -> Vec<u8> { Vec::new() }
    /// let ca = CertificateDer::from(ca_certificate_der());
    /// let sns = Sns::builder().https_root_certificates([ca]).build();
    /// # drop(sns);
    /// ```
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn https_root_certificates(
        mut self,
        roots: impl IntoIterator<Item = rustls::pki_types::CertificateDer<'static>>,
    ) -> SnsBuilder {
        self.https_trust = crate::http::HttpsTrust::Roots(roots.into_iter().collect());
        self
    }

    /// The whole TLS client configuration for `https` endpoints (feature `http`): roots,
    /// verifier, client certificates, protocol versions, crypto provider.
    ///
    /// Its ALPN protocols are replaced (the client speaks HTTP/1.1 without ALPN). Unlike the
    /// configurations aws-lite builds, it checks certificate validity with its own time
    /// provider (rustls's default: the system clock), not at the service Clock's wall time.
    /// The last of this and [`https_root_certificates`](SnsBuilder::https_root_certificates)
    /// wins.
    #[cfg(feature = "http")]
    #[cfg_attr(docsrs, doc(cfg(feature = "http")))]
    pub fn https_client_config(mut self, config: rustls::ClientConfig) -> SnsBuilder {
        self.https_trust = crate::http::HttpsTrust::Config(Box::new(config));
        self
    }

    /// Builds the service.
    pub fn build(self) -> Sns {
        let account = self.account.unwrap_or_default();
        let clock = self
            .clock
            .or_else(|| self.sqs.as_ref().map(|s| s.clock().clone()))
            .unwrap_or_default();
        let caller = self.caller.unwrap_or(account);
        Sns {
            inner: Arc::new(SnsInner {
                account,
                region: self.region.unwrap_or_default(),
                clock,
                rand: self.rand.unwrap_or_default(),
                limits: self.limits.unwrap_or_default(),
                faults: self.faults.unwrap_or_else(FaultPlan::off),
                sqs: self.sqs,
                functions: self.functions,
                topics: RwLock::new(BTreeMap::new()),
                subscriptions: RwLock::new(BTreeMap::new()),
                tokens: Mutex::new(HashMap::new()),
                streams: Mutex::new(HashMap::new()),
                next_id: AtomicU64::new(1),
                #[cfg(feature = "http")]
                https: crate::http::Https::new(self.https_trust),
            }),
            caller,
        }
    }
}

impl Sns {
    /// An SNS with every default: account `000000000000`, region `us-east-1`, a `TokioClock`,
    /// entropy-seeded ids, today's limits, no faults, no SQS and no function endpoint.
    pub fn new() -> Sns {
        SnsBuilder::default().build()
    }

    /// Configures an SNS.
    pub fn builder() -> SnsBuilder {
        SnsBuilder::default()
    }

    /// The same service, with requests made as `caller` (cross-account access).
    pub fn as_caller(&self, caller: AccountId) -> Sns {
        Sns {
            inner: self.inner.clone(),
            caller,
        }
    }

    /// The account owning the topics.
    pub fn account(&self) -> &AccountId {
        &self.inner.account
    }

    /// The account requests are made as.
    pub fn caller_account(&self) -> &AccountId {
        &self.caller
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// A handle to the topic with ARN `arn`, or `NotFound`.
    pub fn topic(&self, arn: &str) -> Result<Topic, Error> {
        let shared = self.inner.lookup_topic(arn)?;
        Ok(self.topic_handle(shared))
    }

    pub(crate) fn topic_handle(&self, shared: Arc<TopicShared>) -> Topic {
        Topic {
            sns: self.clone(),
            shared,
        }
    }

    pub(crate) fn is_owner(&self) -> bool {
        self.caller == self.inner.account
    }
}

impl SnsInner {
    pub(crate) fn topic_arn(&self, name: &str) -> String {
        format!(
            "arn:{}:sns:{}:{}:{}",
            self.region.partition(),
            self.region.as_str(),
            self.account.as_str(),
            name
        )
    }

    /// The live topic with ARN `arn`: `InvalidParameter` for a malformed ARN, `NotFound` for
    /// a missing topic.
    pub(crate) fn lookup_topic(&self, arn: &str) -> Result<Arc<TopicShared>, Error> {
        check_topic_arn(arn, "TopicArn")?;
        let topics = self.topics.read().unwrap_or_else(|p| p.into_inner());
        topics.get(arn).cloned().ok_or_else(error::topic_not_found)
    }

    pub(crate) fn lookup_subscription(&self, arn: &str) -> Result<Arc<SubscriptionShared>, Error> {
        let subs = self.subscriptions.read().unwrap_or_else(|p| p.into_inner());
        subs.get(arn)
            .cloned()
            .ok_or_else(error::subscription_not_found)
    }

    pub(crate) fn next_id(&self) -> u64 {
        self.next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }
}

/// Checks that `arn` has the six parts of an ARN (`param` names it in the message).
pub(crate) fn check_topic_arn(arn: &str, param: &str) -> Result<(), Error> {
    let count = arn.split(':').count();
    if arn.is_empty() || count < 6 || !arn.starts_with("arn:") {
        return Err(error::invalid_parameter(format!(
            "Invalid parameter: {param} Reason: An ARN must have at least 6 elements, not {count}"
        )));
    }
    if count > 6 {
        return Err(error::invalid_parameter("Invalid parameter: Topic Name"));
    }
    Ok(())
}
