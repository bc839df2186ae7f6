//! Fault plans: rates, scripts, targets, reproducibility, counters.

use std::time::Duration;

use aws_lite_core::fault::{FaultPlan, FaultPoint, FaultRule, InjectedFault};
use aws_lite_core::{Error, Rand};

const P: FaultPoint = FaultPoint::THROTTLE;

/// Which of `n` checks of `point` at `target` fired (1-based call numbers).
fn fired_calls(plan: &FaultPlan, point: FaultPoint, target: &str, n: u64) -> Vec<u64> {
    (1..=n)
        .filter(|_| plan.check(point, target).is_some())
        .collect()
}

fn pattern(seed: u64, p: f64, n: usize) -> Vec<bool> {
    let plan = FaultPlan::new(Rand::seeded(seed)).with(P, FaultRule::probability(p));
    (0..n).map(|_| plan.check(P, "q").is_some()).collect()
}

#[test]
fn probability_fires_at_about_the_rate() {
    for (p, lo, hi) in [(0.1, 900, 1100), (0.3, 2800, 3200), (0.5, 4800, 5200)] {
        let fired = pattern(7, p, 10_000).iter().filter(|f| **f).count();
        assert!((lo..=hi).contains(&fired), "p={p}: {fired}");
    }
    assert!(pattern(7, 0.0, 1000).iter().all(|f| !f));
    assert!(pattern(7, 1.0, 1000).iter().all(|f| *f));
    assert!(pattern(7, f64::NAN, 1000).iter().all(|f| !f));
    assert!(pattern(7, 7.5, 100).iter().all(|f| *f), "clamped to 1");
}

#[test]
fn probability_reproduces_for_a_seed_and_differs_for_another() {
    assert_eq!(pattern(42, 0.3, 2000), pattern(42, 0.3, 2000));
    assert_ne!(pattern(42, 0.3, 2000), pattern(43, 0.3, 2000));
}

#[test]
fn draws_on_one_point_do_not_shift_another() {
    let quiet = FaultPlan::new(Rand::seeded(9))
        .with(P, FaultRule::probability(0.5))
        .with(FaultPoint::DELAY, FaultRule::probability(0.5));
    let twin = FaultPlan::new(Rand::seeded(9))
        .with(P, FaultRule::probability(0.5))
        .with(FaultPoint::DELAY, FaultRule::probability(0.5));
    // The twin checks DELAY 500 times in between; THROTTLE's pattern is unchanged.
    let a: Vec<bool> = (0..200).map(|_| quiet.check(P, "q").is_some()).collect();
    let b: Vec<bool> = (0..200)
        .map(|i| {
            if i % 2 == 0 {
                for _ in 0..5 {
                    twin.check(FaultPoint::DELAY, "q");
                }
            }
            twin.check(P, "q").is_some()
        })
        .collect();
    assert_eq!(a, b);
    // And the same plan's other draws (the Rand handed in) do not shift it either.
    let rand = Rand::seeded(9);
    let plan = FaultPlan::new(rand.clone()).with(P, FaultRule::probability(0.5));
    for _ in 0..100 {
        rand.next_u64();
    }
    let c: Vec<bool> = (0..200).map(|_| plan.check(P, "q").is_some()).collect();
    assert_eq!(a, c);
}

#[test]
fn scripted_calls_fire_exactly() {
    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::on_calls([9, 3, 5, 3]));
    assert_eq!(fired_calls(&plan, P, "q", 20), [3, 5, 9]);

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::next_calls(3));
    assert_eq!(fired_calls(&plan, P, "q", 10), [1, 2, 3]);

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::every(4));
    assert_eq!(fired_calls(&plan, P, "q", 13), [4, 8, 12]);

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::every(0));
    assert_eq!(fired_calls(&plan, P, "q", 10), []);

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::always().times(2));
    assert_eq!(fired_calls(&plan, P, "q", 10), [1, 2]);

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::every(2).times(2));
    assert_eq!(fired_calls(&plan, P, "q", 10), [2, 4]);

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::on_calls([0]));
    assert_eq!(fired_calls(&plan, P, "q", 10), []);
}

#[test]
fn a_rule_added_later_counts_from_then() {
    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::on_calls([100]));
    fired_calls(&plan, P, "q", 5);
    assert!(plan.add(P, FaultRule::on_calls([2])));
    assert_eq!(fired_calls(&plan, P, "q", 3), [2]);
}

#[test]
fn injected_fault_reports_the_rule_call_number() {
    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::on_calls([3]));
    plan.check(P, "q");
    plan.check(P, "q");
    let fault = plan.check(P, "q").expect("fires on call 3");
    assert_eq!((fault.point, fault.call), (P, 3));
}

#[test]
fn targets_filter_and_count_only_their_calls() {
    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::on_calls([2]).target("orders"));
    let arn = "arn:aws:sqs:us-east-1:000000000000:orders";
    let url = "http://localhost:4566/000000000000/orders";
    assert!(plan.check(P, arn).is_none()); // call 1 for "orders"
    assert!(plan.check(P, "payments").is_none()); // not counted
    assert!(plan.check(P, "orders-dlq").is_none()); // not counted
    assert!(plan.check(P, url).is_some()); // call 2 for "orders"
    assert_eq!(plan.calls(P), 4);
    assert_eq!(plan.fired(P), 1);

    // A rule for one target and a catch-all: the first matching rule that fires wins.
    let plan = FaultPlan::new(Rand::seeded(0))
        .with(
            P,
            FaultRule::always().target("f").error(Error::internal("f")),
        )
        .with(P, FaultRule::always().error(Error::internal("any")));
    let msg = |t: &str| {
        plan.check(P, t)
            .and_then(|f| f.error)
            .map(|e| e.message().to_owned())
    };
    assert_eq!(
        msg("arn:aws:lambda:us-east-1:000000000000:function:f").as_deref(),
        Some("f")
    );
    assert_eq!(msg("g").as_deref(), Some("any"));
}

#[test]
fn every_matching_rule_counts_every_call() {
    // The first rule fires on call 1; the second still counts that call, so it fires on
    // the second call overall.
    let plan = FaultPlan::new(Rand::seeded(0))
        .with(P, FaultRule::on_calls([1]).error(Error::internal("first")))
        .with(P, FaultRule::on_calls([2]).error(Error::internal("second")));
    let got: Vec<String> = (0..3)
        .filter_map(|_| plan.check(P, "q"))
        .filter_map(|f| f.error.map(|e| e.message().to_owned()))
        .collect();
    assert_eq!(got, ["first", "second"]);
}

#[test]
fn payloads_come_back() {
    let plan = FaultPlan::new(Rand::seeded(0))
        .with(
            FaultPoint::DELAY,
            FaultRule::always().delay(Duration::from_millis(250)),
        )
        .with(
            FaultPoint::FN_INVOKE_ERROR,
            FaultRule::always().error(Error::throttled(
                "TooManyRequestsException",
                "Rate exceeded",
            )),
        )
        .with(FaultPoint::FN_INVOKE_COLD_START, FaultRule::always());
    let d = plan.check(FaultPoint::DELAY, "").unwrap();
    assert_eq!(d.delay, Some(Duration::from_millis(250)));
    assert_eq!(d.delay_or_zero(), Duration::from_millis(250));
    assert!(d.error.is_none());
    let e: InjectedFault = plan.check(FaultPoint::FN_INVOKE_ERROR, "fn").unwrap();
    assert_eq!(
        e.into_error_or_else(|| Error::internal("default")).code(),
        "TooManyRequestsException"
    );
    let c = plan.check(FaultPoint::FN_INVOKE_COLD_START, "fn").unwrap();
    assert_eq!(c.delay_or_zero(), Duration::ZERO);
    assert_eq!(
        c.into_error_or_else(|| Error::internal("default"))
            .message(),
        "default"
    );
}

#[test]
fn disabled_plans_never_fire() {
    let off = FaultPlan::off();
    assert!(!off.is_enabled());
    assert!(!off.add(P, FaultRule::always()), "an off plan stays off");
    assert!(off.check(P, "q").is_none());
    assert_eq!((off.calls(P), off.fired(P), off.total_fired()), (0, 0, 0));
    assert!(FaultPlan::default().check(P, "q").is_none());

    // A new plan with no rules is not enabled.
    let empty = FaultPlan::new(Rand::seeded(0));
    assert!(!empty.is_enabled());
    assert!(empty.check(P, "q").is_none());

    // Switching off keeps rules and counters; switching on resumes.
    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::always());
    assert!(plan.is_enabled());
    plan.check(P, "q");
    plan.set_enabled(false);
    assert!(!plan.is_enabled());
    for _ in 0..10 {
        assert!(plan.check(P, "q").is_none());
    }
    assert_eq!((plan.calls(P), plan.fired(P)), (1, 1));
    plan.set_enabled(true);
    assert!(plan.check(P, "q").is_some());

    // Clearing removes the rules.
    plan.clear();
    assert!(!plan.is_enabled());
    assert!(plan.check(P, "q").is_none());
    assert_eq!(plan.fired(P), 2);

    // Building on an off plan makes a working one.
    let built = FaultPlan::off().with(P, FaultRule::next_calls(1));
    assert!(built.is_enabled());
    assert_eq!(fired_calls(&built, P, "q", 3), [1]);
}

#[test]
fn counters_count_per_point_and_clones_share_them() {
    let plan = FaultPlan::new(Rand::seeded(0))
        .with(P, FaultRule::every(2))
        .with(FaultPoint::QUEUE_RECEIVE_DUPLICATE, FaultRule::always());
    let clone = plan.clone();
    for _ in 0..10 {
        clone.check(P, "q");
    }
    for _ in 0..3 {
        plan.check(FaultPoint::QUEUE_RECEIVE_DUPLICATE, "q");
    }
    // A point with no rules is neither counted nor fired.
    assert!(plan.check(FaultPoint::QUEUE_RECEIVE_REORDER, "q").is_none());
    assert_eq!((plan.calls(P), plan.fired(P)), (10, 5));
    assert_eq!(plan.fired(FaultPoint::QUEUE_RECEIVE_DUPLICATE), 3);
    assert_eq!(plan.calls(FaultPoint::QUEUE_RECEIVE_REORDER), 0);
    assert_eq!(plan.total_fired(), 8);
    // Rules added through one clone apply to all.
    clone.add(FaultPoint::QUEUE_RECEIVE_REORDER, FaultRule::always());
    assert!(plan.check(FaultPoint::QUEUE_RECEIVE_REORDER, "q").is_some());
}

#[test]
fn custom_points_and_names() {
    const LINK: FaultPoint = FaultPoint::new("iot.edge.link_down");
    let plan = FaultPlan::new(Rand::seeded(0)).with(LINK, FaultRule::always());
    assert!(plan.check(LINK, "thing-1").is_some());
    assert!(plan.check(FaultPoint::LINK_DOWN, "thing-1").is_none());
    assert_eq!(LINK.name(), "iot.edge.link_down");
    assert_eq!(
        FaultPoint::FN_INVOKE_TIMEOUT.to_string(),
        "fn.invoke.timeout"
    );
    assert_eq!(FaultPoint::new("throttle"), FaultPoint::THROTTLE);
}

#[test]
fn plans_are_send_sync_and_work_across_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<FaultPlan>();
    assert_send_sync::<FaultRule>();
    assert_send_sync::<InjectedFault>();

    let plan = FaultPlan::new(Rand::seeded(0)).with(P, FaultRule::next_calls(100));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let plan = plan.clone();
            std::thread::spawn(move || (0..50).filter(|_| plan.check(P, "q").is_some()).count())
        })
        .collect();
    let fired: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(fired, 100);
    assert_eq!((plan.calls(P), plan.fired(P)), (200, 100));
}
