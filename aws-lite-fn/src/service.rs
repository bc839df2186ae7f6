//! The [`Lambda`] service handle: account, region, clock, randomness, limits, faults and the
//! function registry.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, RwLock, Weak};

use aws_lite_core::fault::FaultPlan;
use aws_lite_core::id::{AccountId, Region};
use aws_lite_core::sync::{AtomicU64, AtomicUsize, Mutex, Ordering};
use aws_lite_core::{Clock, Error, Rand, SharedClock};

use crate::config::Limits;
use crate::env::EnvironmentCounts;
use crate::error;
use crate::metrics::{FunctionMetrics, bump};
use crate::names::{NameUse, parse_target};
use crate::state::{FunctionShared, NO_RESERVATION, VersionShared};

/// An in-process Lambda: one account in one region.
///
/// Cheap to clone (an `Arc` inside), `Send + Sync`, like an SDK client. Every operation is a
/// fluent builder named like the Lambda operation (`lambda.create_function()`,
/// `lambda.invoke()` …); [`LambdaApi`](crate::api::LambdaApi) offers the same operations as an
/// object-safe trait.
///
/// ```
/// use aws_lite_fn::handler::{service_fn, Code, Event};
/// use aws_lite_fn::Lambda;
/// use serde_json::{json, Value};
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> Result<(), aws_lite_core::Error> {
/// let lambda = Lambda::new();
/// let code = Code::from_service(service_fn(|e: Event<Value>| async move {
///     Ok::<_, std::convert::Infallible>(json!({ "echo": e.payload }))
/// }));
/// lambda.create_function().function_name("echo").code(code).send().await?;
/// let out = lambda.invoke().function_name("echo").payload(json!(1)).send().await?;
/// assert_eq!(out.payload(), &json!({ "echo": 1 }));
/// assert_eq!(out.executed_version(), "$LATEST");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Lambda {
    pub(crate) inner: Arc<LambdaInner>,
}

pub(crate) struct LambdaInner {
    pub(crate) account: AccountId,
    pub(crate) region: Region,
    pub(crate) clock: SharedClock,
    pub(crate) rand: Rand,
    /// Alias routing draws, forked so that id draws do not shift them.
    pub(crate) routing_rand: Rand,
    pub(crate) limits: Limits,
    pub(crate) faults: FaultPlan,
    pub(crate) functions: RwLock<BTreeMap<String, Arc<FunctionShared>>>,
    /// The sum of reserved concurrency; changed only under `admin`.
    pub(crate) reserved_sum: AtomicU64,
    /// Invocations running in the unreserved pool.
    pub(crate) unreserved_in_flight: AtomicUsize,
    /// Serializes concurrency configuration changes.
    pub(crate) admin: Mutex<()>,
    /// Codes handed out, for `CodeSha256`.
    pub(crate) code_counter: AtomicU64,
    /// Layers and their versions.
    pub(crate) layers: crate::layer::Registry,
    /// The queue service event source mappings read.
    #[cfg(feature = "queue")]
    pub(crate) sqs: Option<aws_lite_queue::Sqs>,
    /// The SNS that topic destinations and SNS dead-letter targets publish to.
    #[cfg(feature = "pubsub")]
    pub(crate) sns: Option<aws_lite_pubsub::Sns>,
    /// Event source mappings by UUID.
    #[cfg(feature = "queue")]
    pub(crate) mappings: Mutex<BTreeMap<String, Arc<crate::esm::Mapping>>>,
}

impl fmt::Debug for Lambda {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lambda")
            .field("account", &self.inner.account)
            .field("region", &self.inner.region)
            .finish_non_exhaustive()
    }
}

impl Default for Lambda {
    fn default() -> Lambda {
        Lambda::new()
    }
}

/// Configures a [`Lambda`]: account, region, clock, randomness, limits and faults.
#[derive(Debug, Default)]
pub struct LambdaBuilder {
    account: Option<AccountId>,
    region: Option<Region>,
    clock: Option<SharedClock>,
    rand: Option<Rand>,
    limits: Option<Limits>,
    faults: Option<FaultPlan>,
    #[cfg(feature = "queue")]
    sqs: Option<aws_lite_queue::Sqs>,
    /// Set in `crate::pubsub`.
    #[cfg(feature = "pubsub")]
    pub(crate) sns: crate::pubsub::SnsSlot,
}

impl LambdaBuilder {
    /// The account (default `000000000000`).
    pub fn account(mut self, account: AccountId) -> LambdaBuilder {
        self.account = Some(account);
        self
    }

    /// The region (default `us-east-1`).
    pub fn region(mut self, region: Region) -> LambdaBuilder {
        self.region = Some(region);
        self
    }

    /// The clock (default: a new `TokioClock`).
    pub fn clock(mut self, clock: SharedClock) -> LambdaBuilder {
        self.clock = Some(clock);
        self
    }

    /// The randomness source (default: seeded from entropy). Give a seeded one to replay
    /// request ids and alias routing.
    pub fn rand(mut self, rand: Rand) -> LambdaBuilder {
        self.rand = Some(rand);
        self
    }

    /// The limits (default: today's AWS limits, [`Limits::default`]).
    pub fn limits(mut self, limits: Limits) -> LambdaBuilder {
        self.limits = Some(limits);
        self
    }

    /// The fault plan (default: off). Every invocation (synchronous, asynchronous, from an
    /// event source mapping or an SNS subscription) checks, with the function's unqualified
    /// ARN as the target: `THROTTLE` (refused with `TooManyRequestsException`, Reason
    /// `ConcurrentInvocationLimitExceeded`, or the rule's error), `FN_INVOKE_COLD_START` (a
    /// new execution environment even if one is warm; the rule's delay slows its INIT),
    /// `FN_INVOKE_TIMEOUT` (the handler does not run; the invocation lasts the function's
    /// timeout and ends in `Sandbox.Timedout`, discarding the environment) and
    /// `FN_INVOKE_ERROR` (the handler does not run; a function error typed and worded after
    /// the rule's error code and message, else `InjectedFault`, arriving after the rule's delay,
    /// or a timeout if that delay reaches the function's timeout).
    pub fn fault_plan(mut self, faults: FaultPlan) -> LambdaBuilder {
        self.faults = Some(faults);
        self
    }

    /// The queue service whose queues event source mappings read (feature `queue`). Give it
    /// the same clock as this Lambda.
    #[cfg(feature = "queue")]
    pub fn sqs(mut self, sqs: aws_lite_queue::Sqs) -> LambdaBuilder {
        self.sqs = Some(sqs);
        self
    }

    /// Builds the service.
    pub fn build(self) -> Lambda {
        Lambda {
            inner: Arc::new_cyclic(|weak| self.into_inner(weak)),
        }
    }

    /// The service's state; `weak` is the `Arc` it will live in.
    fn into_inner(self, weak: &Weak<LambdaInner>) -> LambdaInner {
        #[cfg(not(feature = "pubsub"))]
        let _ = weak;
        let rand = self.rand.unwrap_or_default();
        LambdaInner {
            account: self.account.unwrap_or_default(),
            region: self.region.unwrap_or_default(),
            clock: self.clock.unwrap_or_default(),
            routing_rand: rand.fork("aws-lite-fn/routing"),
            rand,
            limits: self.limits.unwrap_or_default(),
            faults: self.faults.unwrap_or_else(FaultPlan::off),
            functions: RwLock::new(BTreeMap::new()),
            reserved_sum: AtomicU64::new(0),
            unreserved_in_flight: AtomicUsize::new(0),
            admin: Mutex::new(()),
            code_counter: AtomicU64::new(0),
            layers: Default::default(),
            #[cfg(feature = "queue")]
            sqs: self.sqs,
            #[cfg(feature = "pubsub")]
            sns: self.sns.resolve(weak),
            #[cfg(feature = "queue")]
            mappings: Mutex::new(BTreeMap::new()),
        }
    }
}

impl Lambda {
    /// A Lambda with every default: account `000000000000`, region `us-east-1`, a
    /// `TokioClock`, entropy-seeded ids, today's limits, no faults.
    pub fn new() -> Lambda {
        LambdaBuilder::default().build()
    }

    /// Configures a Lambda.
    pub fn builder() -> LambdaBuilder {
        LambdaBuilder::default()
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.inner.account
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.inner.region
    }

    /// The clock every function of this service reads.
    pub fn clock(&self) -> &SharedClock {
        &self.inner.clock
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The counters of the function named by `function_name` (a name or an ARN), or
    /// `ResourceNotFoundException`.
    pub fn metrics(&self, function_name: &str) -> Result<FunctionMetrics, Error> {
        let target = parse_target(function_name, None, NameUse::Qualified)?;
        let f = self.inner.lookup(&target.name)?;
        Ok(f.counters.snapshot())
    }

    /// The account's `ConcurrentExecutions`: invocations running now, in every function.
    pub fn concurrent_executions(&self) -> u64 {
        let functions = self.inner.read_functions();
        functions
            .values()
            .map(|f| f.counters.in_flight.load(Ordering::Relaxed) as u64)
            .sum()
    }

    /// The execution environments of one version (`$LATEST` when `qualifier` is `None`; an
    /// alias counts for the version it points to) at the clock's current instant, after idle
    /// environments past the idle timeout are reclaimed.
    pub fn environments(
        &self,
        function_name: &str,
        qualifier: Option<&str>,
    ) -> Result<EnvironmentCounts, Error> {
        let target = parse_target(function_name, qualifier, NameUse::Qualified)?;
        let f = self.inner.lookup(&target.name)?;
        let version = {
            let state = f.state.lock();
            match target.qualifier.as_deref() {
                None | Some("$LATEST") => state.latest.clone(),
                Some(q) => crate::invoke::resolve_static(&f, &state, q)?,
            }
        };
        let now = self.inner.clock.now();
        let mut pool = version.pool.lock();
        pool.reap(now, self.inner.limits.idle_timeout);
        Ok(EnvironmentCounts {
            idle: pool.idle.len(),
            busy: pool.busy,
            provisioned: pool.provisioned_live,
            started: pool.started,
        })
    }
}

/// Why an invocation was throttled (the `Reason` of `TooManyRequestsException`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ThrottleReason {
    /// `ReservedFunctionConcurrentInvocationLimitExceeded`.
    Reserved,
    /// `ConcurrentInvocationLimitExceeded`.
    Account,
}

impl ThrottleReason {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ThrottleReason::Reserved => "ReservedFunctionConcurrentInvocationLimitExceeded",
            ThrottleReason::Account => "ConcurrentInvocationLimitExceeded",
        }
    }
}

/// A concurrency slot, given back on drop.
pub(crate) struct Permit<'a> {
    svc: &'a LambdaInner,
    func: &'a FunctionShared,
    unreserved: bool,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        release(self.svc, self.func, self.unreserved);
    }
}

impl Permit<'_> {
    /// The same slot, holding the service and the function itself: for an invocation that
    /// continues in a future of its own.
    pub(crate) fn into_owned(
        self,
        svc: &Arc<LambdaInner>,
        func: &Arc<FunctionShared>,
    ) -> OwnedPermit {
        let unreserved = self.unreserved;
        // The slot now belongs to the owned permit, which gives it back on drop.
        std::mem::forget(self);
        OwnedPermit {
            svc: svc.clone(),
            func: func.clone(),
            unreserved,
        }
    }
}

/// A concurrency slot that owns its service and function, given back on drop.
pub(crate) struct OwnedPermit {
    svc: Arc<LambdaInner>,
    func: Arc<FunctionShared>,
    unreserved: bool,
}

impl Drop for OwnedPermit {
    fn drop(&mut self) {
        release(&self.svc, &self.func, self.unreserved);
    }
}

/// Gives back a concurrency slot of `func`.
fn release(svc: &LambdaInner, func: &FunctionShared, unreserved: bool) {
    func.counters.in_flight.fetch_sub(1, Ordering::AcqRel);
    if unreserved {
        svc.unreserved_in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Increments `counter` if it stays at or below `limit`.
fn try_increment(counter: &AtomicUsize, limit: u64) -> bool {
    let mut cur = counter.load(Ordering::Acquire);
    loop {
        if cur as u64 >= limit {
            return false;
        }
        match counter.compare_exchange_weak(cur, cur + 1, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return true,
            Err(actual) => cur = actual,
        }
    }
}

impl LambdaInner {
    pub(crate) fn read_functions(
        &self,
    ) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Arc<FunctionShared>>> {
        self.functions.read().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn write_functions(
        &self,
    ) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Arc<FunctionShared>>> {
        self.functions.write().unwrap_or_else(|p| p.into_inner())
    }

    /// The unqualified ARN of `name` in this account and region.
    pub(crate) fn function_arn(&self, name: &str) -> String {
        format!(
            "arn:{}:lambda:{}:{}:function:{name}",
            self.region.partition(),
            self.region.as_str(),
            self.account.as_str()
        )
    }

    /// The function named `name`, or `Function not found: {unqualified arn}`.
    pub(crate) fn lookup(&self, name: &str) -> Result<Arc<FunctionShared>, Error> {
        self.read_functions()
            .get(name)
            .cloned()
            .ok_or_else(|| error::function_not_found(&self.function_arn(name)))
    }

    pub(crate) fn now_string(&self) -> String {
        crate::state::lambda_date(self.clock.epoch_millis(self.clock.now()))
    }

    pub(crate) fn new_revision_id(&self) -> String {
        self.rand.uuid().to_string()
    }

    /// Takes a concurrency slot for `func`, or says why not.
    pub(crate) fn try_acquire<'a>(
        &'a self,
        func: &'a FunctionShared,
    ) -> Result<Permit<'a>, ThrottleReason> {
        let reserved = func.reserved.load(Ordering::Acquire);
        let unreserved = reserved == NO_RESERVATION;
        if unreserved {
            let pool = u64::from(self.limits.concurrent_executions)
                .saturating_sub(self.reserved_sum.load(Ordering::Acquire));
            if !try_increment(&self.unreserved_in_flight, pool) {
                bump(&func.counters.throttles_account);
                return Err(ThrottleReason::Account);
            }
            func.counters.in_flight.fetch_add(1, Ordering::AcqRel);
        } else if !try_increment(&func.counters.in_flight, reserved) {
            bump(&func.counters.throttles_reserved);
            return Err(ThrottleReason::Reserved);
        }
        let now = func.counters.in_flight.load(Ordering::Acquire);
        if func.counters.max_in_flight.load(Ordering::Relaxed) < now {
            func.counters.max_in_flight.fetch_max(now, Ordering::AcqRel);
        }
        Ok(Permit {
            svc: self,
            func,
            unreserved,
        })
    }

    /// `CodeSha256` for a new [`Code`](crate::handler::Code) value.
    pub(crate) fn code_sha256(&self) -> String {
        use base64::Engine as _;
        use sha2::Digest as _;
        let n = self.code_counter.fetch_add(1, Ordering::Relaxed);
        let digest = sha2::Sha256::digest(format!("{}:{n}", self.rand.next_u64()).as_bytes());
        base64::engine::general_purpose::STANDARD.encode(digest)
    }
}

/// The version `$LATEST` of a new or updated function whose unqualified ARN is `arn`.
pub(crate) fn latest_version(
    arn: &str,
    config: crate::state::VersionConfig,
    revision: u64,
) -> VersionShared {
    VersionShared {
        version: Arc::from("$LATEST"),
        qualified_arn: Arc::from(format!("{arn}:$LATEST")),
        config,
        source_revision: revision,
        pool: Mutex::new(Default::default()),
    }
}
