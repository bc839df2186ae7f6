//! Fault plans: seeded, scriptable injection of what AWS may do and tests rarely see.
//!
//! Real AWS delivers a standard-queue message twice, returns messages out of order, throttles,
//! fails and times out function invocations, makes the first invocation of a function slow, and
//! loses links. A consumer that is correct only when none of that happens is not correct. A
//! [`FaultPlan`] lets a test make those things happen, reproducibly.
//!
//! # How services consult a plan
//!
//! Services hold a [`FaultPlan`] (off by default) and, at each named [`FaultPoint`], ask it
//! [`check(point, target)`](FaultPlan::check) with the resource concerned (a queue URL, a
//! function ARN, …). The answer is `None` (behave normally) or an [`InjectedFault`] telling the
//! service what to inject: an error to return, a delay to add, or simply "do it" for points such
//! as [`FaultPoint::QUEUE_RECEIVE_DUPLICATE`]. What a point means is up to the service that
//! checks it; the names below are the shared vocabulary.
//!
//! A plan that is off costs one branch on a `None` ([`FaultPlan::off`], the [`Default`]); a plan
//! with no rules, or switched off with [`set_enabled(false)`](FaultPlan::set_enabled), costs one
//! relaxed atomic load. Services may therefore check on every hot path.
//!
//! # Rules
//!
//! Each point has rules, tried in the order they were added; the first that fires wins. A
//! [`FaultRule`] fires
//!
//! - with a probability ([`FaultRule::probability`]), drawn from the plan's seeded [`Rand`], or
//! - on a script of call numbers: [`on_calls([3, 5, 9])`](FaultRule::on_calls),
//!   [`next_calls(n)`](FaultRule::next_calls) (the next `n` calls),
//!   [`every(k)`](FaultRule::every) (every k-th call), [`always`](FaultRule::always);
//!
//! optionally only for one [`target`](FaultRule::target), at most [`times(n)`](FaultRule::times)
//! times, and carrying a payload: an [`error`](FaultRule::error) or a
//! [`delay`](FaultRule::delay).
//!
//! A rule numbers the calls it sees from 1, counting only calls whose target it matches, from the
//! moment it was added. Every matching rule counts every call, even one an earlier rule fired on,
//! so a rule's script does not depend on the others.
//!
//! # Reproducibility
//!
//! Each rule draws from its own stream, forked from the plan's [`Rand`] by point name and rule
//! position, so the same seed fires on the same calls however busy other points are. Scripted
//! rules draw nothing. Under concurrency, "the n-th call" is the n-th to take the plan's lock.
//!
//! # Counters
//!
//! [`fired(point)`](FaultPlan::fired) and [`calls(point)`](FaultPlan::calls) count, per point,
//! the faults injected and the checks made while the plan was enabled, for a test to assert on.
//!
//! ```
//! use std::time::Duration;
//! use aws_lite_core::{Error, Rand};
//! use aws_lite_core::fault::{FaultPlan, FaultPoint, FaultRule};
//!
//! let plan = FaultPlan::new(Rand::seeded(42))
//!     // The 2nd and 3rd receives from "orders" return a message twice.
//!     .with(FaultPoint::QUEUE_RECEIVE_DUPLICATE, FaultRule::on_calls([2, 3]).target("orders"))
//!     // One invocation in ten of any function fails.
//!     .with(
//!         FaultPoint::FN_INVOKE_ERROR,
//!         FaultRule::probability(0.1).error(Error::internal("injected")),
//!     );
//! assert!(plan.is_enabled());
//!
//! let url = "http://localhost/000000000000/orders";
//! let dup: Vec<bool> = (0..4)
//!     .map(|_| plan.check(FaultPoint::QUEUE_RECEIVE_DUPLICATE, url).is_some())
//!     .collect();
//! assert_eq!(dup, [false, true, true, false]);
//! assert!(plan.check(FaultPoint::QUEUE_RECEIVE_DUPLICATE, "payments").is_none());
//! assert_eq!(plan.fired(FaultPoint::QUEUE_RECEIVE_DUPLICATE), 2);
//! assert_eq!(plan.calls(FaultPoint::QUEUE_RECEIVE_DUPLICATE), 5);
//!
//! // A service's hot path:
//! if let Some(fault) = plan.check(FaultPoint::FN_INVOKE_ERROR, "arn:aws:lambda:us-east-1:000000000000:function:f") {
//!     let err = fault.into_error_or_else(|| Error::internal("injected"));
//!     assert_eq!(err.code(), "InternalFailure");
//! }
//!
//! // Off by default, and then never fires.
//! let off = FaultPlan::default();
//! assert!(!off.is_enabled());
//! assert!(off.check(FaultPoint::THROTTLE, "anything").is_none());
//! ```

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::rand::Rand;
use crate::sync::{Arc, AtomicBool, Mutex, Ordering};

/// A named place in a service where a fault may be injected.
///
/// The associated constants are the shared vocabulary; [`FaultPoint::new`] names any other.
/// Points compare by name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaultPoint(&'static str);

impl FaultPoint {
    /// A standard queue returns a received message again (at-least-once delivery).
    pub const QUEUE_RECEIVE_DUPLICATE: FaultPoint = FaultPoint::new("queue.receive.duplicate");
    /// A standard queue returns messages out of send order (best-effort ordering).
    pub const QUEUE_RECEIVE_REORDER: FaultPoint = FaultPoint::new("queue.receive.reorder");
    /// An operation is throttled (`ThrottlingException`, `TooManyRequestsException`, …).
    pub const THROTTLE: FaultPoint = FaultPoint::new("throttle");
    /// A function invocation fails (aws-lite-fn: a function error named after the rule's error,
    /// arriving after the rule's delay).
    pub const FN_INVOKE_ERROR: FaultPoint = FaultPoint::new("fn.invoke.error");
    /// A function invocation times out (aws-lite-fn: after the function's timeout).
    pub const FN_INVOKE_TIMEOUT: FaultPoint = FaultPoint::new("fn.invoke.timeout");
    /// A function invocation starts a new execution environment (a cold start; aws-lite-fn
    /// makes its INIT the rule's delay slower).
    pub const FN_INVOKE_COLD_START: FaultPoint = FaultPoint::new("fn.invoke.cold_start");
    /// An operation or delivery is delayed by the rule's [`delay`](FaultRule::delay).
    pub const DELAY: FaultPoint = FaultPoint::new("delay");
    /// A connection (an MQTT client, an edge node's link) drops.
    pub const LINK_DOWN: FaultPoint = FaultPoint::new("link.down");

    /// A point named `name` (by convention `service.operation.fault`, dot-separated).
    pub const fn new(name: &'static str) -> FaultPoint {
        FaultPoint(name)
    }

    /// The point's name.
    pub const fn name(self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for FaultPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FaultPoint").field(&self.0).finish()
    }
}

impl fmt::Display for FaultPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// When a rule fires, in terms of the calls it has seen (numbered from 1).
#[derive(Debug, Clone, PartialEq)]
enum Trigger {
    Always,
    Probability(f64),
    /// Sorted, deduplicated call numbers.
    Calls(Vec<u64>),
    NextCalls(u64),
    Every(u64),
}

/// When and how a [`FaultPoint`] fires. See the [module docs](self#rules).
#[derive(Debug, Clone)]
pub struct FaultRule {
    trigger: Trigger,
    target: Option<String>,
    limit: Option<u64>,
    error: Option<Error>,
    delay: Option<Duration>,
}

impl FaultRule {
    fn with_trigger(trigger: Trigger) -> FaultRule {
        FaultRule {
            trigger,
            target: None,
            limit: None,
            error: None,
            delay: None,
        }
    }

    /// Fires on every call.
    pub fn always() -> FaultRule {
        FaultRule::with_trigger(Trigger::Always)
    }

    /// Fires on each call with probability `p`, clamped to `[0, 1]` (NaN never fires).
    pub fn probability(p: f64) -> FaultRule {
        let p = if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        FaultRule::with_trigger(Trigger::Probability(p))
    }

    /// Fires on exactly the listed calls (numbered from 1; 0 never matches).
    pub fn on_calls(calls: impl IntoIterator<Item = u64>) -> FaultRule {
        let mut calls: Vec<u64> = calls.into_iter().collect();
        calls.sort_unstable();
        calls.dedup();
        FaultRule::with_trigger(Trigger::Calls(calls))
    }

    /// Fires on the next `n` calls, then never.
    pub fn next_calls(n: u64) -> FaultRule {
        FaultRule::with_trigger(Trigger::NextCalls(n))
    }

    /// Fires on every `k`-th call: calls `k`, `2k`, `3k`, … (`k` = 0 never fires).
    pub fn every(k: u64) -> FaultRule {
        FaultRule::with_trigger(Trigger::Every(k))
    }

    /// Applies the rule only to calls whose target is `target`, or ends with `target` right after
    /// a `:` or `/`; so a queue name matches its URL and ARN, and a function name its unqualified
    /// ARN, while `orders` does not match `orders-dlq`.
    pub fn target(mut self, target: impl Into<String>) -> FaultRule {
        self.target = Some(target.into());
        self
    }

    /// Fires at most `n` times.
    pub fn times(mut self, n: u64) -> FaultRule {
        self.limit = Some(n);
        self
    }

    /// The error to inject when the rule fires.
    pub fn error(mut self, error: Error) -> FaultRule {
        self.error = Some(error);
        self
    }

    /// The delay to inject when the rule fires.
    pub fn delay(mut self, delay: Duration) -> FaultRule {
        self.delay = Some(delay);
        self
    }

    fn matches(&self, target: &str) -> bool {
        match &self.target {
            None => true,
            Some(want) => target_matches(want, target),
        }
    }
}

fn target_matches(want: &str, target: &str) -> bool {
    if target == want {
        return true;
    }
    match target.strip_suffix(want) {
        Some(head) => head.ends_with([':', '/']),
        None => false,
    }
}

/// What to inject: the answer of [`FaultPlan::check`] when a rule fires.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InjectedFault {
    /// The point that fired.
    pub point: FaultPoint,
    /// The firing rule's call number (from 1).
    pub call: u64,
    /// The rule's error, if it carries one.
    pub error: Option<Error>,
    /// The rule's delay, if it carries one.
    pub delay: Option<Duration>,
}

impl InjectedFault {
    /// The rule's error, or `default()` when it carries none (the service's own error for the
    /// point, such as its throttling error).
    pub fn into_error_or_else(self, default: impl FnOnce() -> Error) -> Error {
        self.error.unwrap_or_else(default)
    }

    /// The rule's delay, or zero.
    pub fn delay_or_zero(&self) -> Duration {
        self.delay.unwrap_or(Duration::ZERO)
    }
}

/// A seeded, shareable set of fault rules; off by default. See the [module docs](self).
///
/// Clones share rules and counters (an `Arc` inside).
#[derive(Clone, Default)]
pub struct FaultPlan {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    /// `switched_on && any rule installed`; read without the lock on every check.
    armed: AtomicBool,
    rand: Rand,
    state: Mutex<State>,
}

struct State {
    switched_on: bool,
    points: HashMap<&'static str, PointState>,
}

#[derive(Default)]
struct PointState {
    rules: Vec<RuleState>,
    calls: u64,
    fired: u64,
}

struct RuleState {
    rule: FaultRule,
    rand: Rand,
    calls: u64,
    fired: u64,
}

impl RuleState {
    /// Counts a matching call and decides whether the rule fires on it (`evaluate` false: count
    /// only).
    fn observe(&mut self, evaluate: bool) -> bool {
        self.calls = self.calls.saturating_add(1);
        if !evaluate || self.rule.limit.is_some_and(|n| self.fired >= n) {
            return false;
        }
        let call = self.calls;
        let fires = match &self.rule.trigger {
            Trigger::Always => true,
            Trigger::Probability(p) => self.rand.chance(*p),
            Trigger::Calls(calls) => calls.binary_search(&call).is_ok(),
            Trigger::NextCalls(n) => call <= *n,
            Trigger::Every(k) => *k != 0 && call % *k == 0,
        };
        if fires {
            self.fired += 1;
        }
        fires
    }
}

impl FaultPlan {
    /// A plan that is off for good: [`check`](Self::check) is a branch on a `None`, and
    /// [`add`](Self::add) does nothing. The [`Default`].
    pub fn off() -> FaultPlan {
        FaultPlan { inner: None }
    }

    /// An empty plan drawing from `rand`; it fires once rules are added.
    pub fn new(rand: Rand) -> FaultPlan {
        FaultPlan {
            inner: Some(Arc::new(Inner {
                armed: AtomicBool::new(false),
                rand,
                state: Mutex::new(State {
                    switched_on: true,
                    points: HashMap::new(),
                }),
            })),
        }
    }

    /// Adds `rule` to `point` and returns the plan, for building. On a plan that is
    /// [`off`](Self::off) this first makes a plan seeded with 0.
    pub fn with(self, point: FaultPoint, rule: FaultRule) -> FaultPlan {
        let plan = match self.inner {
            Some(_) => self,
            None => FaultPlan::new(Rand::seeded(0)),
        };
        plan.add(point, rule);
        plan
    }

    /// Adds `rule` after `point`'s existing rules, for every clone of this plan. Returns `false`
    /// (and does nothing) on a plan that is [`off`](Self::off).
    pub fn add(&self, point: FaultPoint, rule: FaultRule) -> bool {
        let Some(inner) = &self.inner else {
            return false;
        };
        let mut state = inner.state.lock();
        let ps = state.points.entry(point.name()).or_default();
        let rand = inner
            .rand
            .fork(&format!("fault:{}#{}", point.name(), ps.rules.len()));
        ps.rules.push(RuleState {
            rule,
            rand,
            calls: 0,
            fired: 0,
        });
        inner.rearm(&state);
        true
    }

    /// Removes every rule of every point; counters are kept.
    pub fn clear(&self) {
        if let Some(inner) = &self.inner {
            let mut state = inner.state.lock();
            for ps in state.points.values_mut() {
                ps.rules.clear();
            }
            inner.rearm(&state);
        }
    }

    /// Switches the whole plan on or off, keeping its rules and counters.
    pub fn set_enabled(&self, on: bool) {
        if let Some(inner) = &self.inner {
            let mut state = inner.state.lock();
            state.switched_on = on;
            inner.rearm(&state);
        }
    }

    /// Whether the plan can fire: it is switched on and has at least one rule.
    pub fn is_enabled(&self) -> bool {
        self.inner
            .as_ref()
            .is_some_and(|i| i.armed.load(Ordering::Relaxed))
    }

    /// What to inject at `point` for `target` (the resource concerned; `""` when none), or
    /// `None` to behave normally.
    #[inline]
    pub fn check(&self, point: FaultPoint, target: &str) -> Option<InjectedFault> {
        let inner = self.inner.as_ref()?;
        if !inner.armed.load(Ordering::Relaxed) {
            return None;
        }
        inner.check(point, target)
    }

    /// How many faults `point` has injected.
    pub fn fired(&self, point: FaultPoint) -> u64 {
        self.stat(point, |ps| ps.fired)
    }

    /// How many checks of `point` the plan has answered while enabled, fired or not.
    pub fn calls(&self, point: FaultPoint) -> u64 {
        self.stat(point, |ps| ps.calls)
    }

    /// How many faults the plan has injected, over all points.
    pub fn total_fired(&self) -> u64 {
        match &self.inner {
            None => 0,
            Some(inner) => inner.state.lock().points.values().map(|ps| ps.fired).sum(),
        }
    }

    fn stat(&self, point: FaultPoint, f: impl FnOnce(&PointState) -> u64) -> u64 {
        let Some(inner) = &self.inner else {
            return 0;
        };
        inner.state.lock().points.get(point.name()).map_or(0, f)
    }
}

impl Inner {
    fn rearm(&self, state: &State) {
        let armed = state.switched_on && state.points.values().any(|ps| !ps.rules.is_empty());
        self.armed.store(armed, Ordering::Relaxed);
    }

    #[inline(never)]
    fn check(&self, point: FaultPoint, target: &str) -> Option<InjectedFault> {
        let mut state = self.state.lock();
        if !state.switched_on {
            return None;
        }
        let ps = state.points.get_mut(point.name())?;
        ps.calls = ps.calls.saturating_add(1);
        let mut hit = None;
        for rs in ps.rules.iter_mut().filter(|rs| rs.rule.matches(target)) {
            if rs.observe(hit.is_none()) {
                hit = Some(InjectedFault {
                    point,
                    call: rs.calls,
                    error: rs.rule.error.clone(),
                    delay: rs.rule.delay,
                });
            }
        }
        if hit.is_some() {
            ps.fired = ps.fired.saturating_add(1);
        }
        hit
    }
}

impl fmt::Debug for FaultPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FaultPlan");
        match &self.inner {
            None => d.field("enabled", &false).finish(),
            Some(inner) => {
                let state = inner.state.lock();
                let mut points: Vec<(&str, usize, u64)> = state
                    .points
                    .iter()
                    .map(|(name, ps)| (*name, ps.rules.len(), ps.fired))
                    .collect();
                points.sort_unstable();
                d.field("enabled", &inner.armed.load(Ordering::Relaxed))
                    .field("seed", &inner.rand.seed())
                    .field("points (name, rules, fired)", &points)
                    .finish()
            }
        }
    }
}

#[cfg(all(test, not(aws_lite_loom)))]
mod tests {
    use super::*;

    #[test]
    fn target_matching_respects_name_boundaries() {
        assert!(target_matches("orders", "orders"));
        assert!(target_matches(
            "orders",
            "arn:aws:sqs:us-east-1:000000000000:orders"
        ));
        assert!(target_matches("orders", "http://h/000000000000/orders"));
        assert!(!target_matches("orders", "myorders"));
        assert!(!target_matches("orders", "orders-dlq"));
        assert!(!target_matches("orders", ""));
    }

    #[test]
    fn debug_lists_points() {
        let plan = FaultPlan::new(Rand::seeded(1)).with(FaultPoint::THROTTLE, FaultRule::always());
        let s = format!("{plan:?}");
        assert!(s.contains("throttle") && s.contains("seed: 1"), "{s}");
        assert_eq!(
            format!("{:?}", FaultPlan::off()),
            "FaultPlan { enabled: false }"
        );
    }
}

#[cfg(all(test, aws_lite_loom))]
mod loom_tests {
    use super::*;

    /// Two racing checks of a rule that fires once: exactly one fires, and both are counted.
    #[test]
    fn loom_racing_checks_fire_once_and_count_both() {
        loom::model(|| {
            let plan = FaultPlan::new(Rand::seeded(1))
                .with(FaultPoint::THROTTLE, FaultRule::next_calls(1));
            let p2 = plan.clone();
            let t = loom::thread::spawn(move || p2.check(FaultPoint::THROTTLE, "q").is_some());
            let mine = plan.check(FaultPoint::THROTTLE, "q").is_some();
            let theirs = t.join().unwrap();
            assert!(mine ^ theirs);
            assert_eq!(plan.fired(FaultPoint::THROTTLE), 1);
            assert_eq!(plan.calls(FaultPoint::THROTTLE), 2);
        });
    }

    /// Switching a plan off races with a check: the check either fires before the switch or not
    /// at all, and once the switch is seen (after join) nothing fires.
    #[test]
    fn loom_disable_races_with_check() {
        loom::model(|| {
            let plan =
                FaultPlan::new(Rand::seeded(1)).with(FaultPoint::THROTTLE, FaultRule::always());
            let p2 = plan.clone();
            let t = loom::thread::spawn(move || p2.set_enabled(false));
            let fired = plan.check(FaultPoint::THROTTLE, "q").is_some();
            t.join().unwrap();
            assert_eq!(plan.fired(FaultPoint::THROTTLE), u64::from(fired));
            assert!(!plan.is_enabled());
            assert!(plan.check(FaultPoint::THROTTLE, "q").is_none());
        });
    }
}
