//! Backoff schedules against hand-computed tables.

use std::time::Duration;

use aws_lite_core::Rand;
use aws_lite_core::retry::{
    Backoff, BackoffFunction, Jitter, Phase, PhasedBackoff, RetryPolicy, Schedule,
};

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn ms(m: u64) -> Duration {
    Duration::from_millis(m)
}

fn rand() -> Rand {
    Rand::seeded(0)
}

fn table(policy: impl RetryPolicy) -> Vec<Duration> {
    Schedule::new(policy, &rand()).collect()
}

// ---------------------------------------------------------------- Step Functions (exponential)

#[test]
fn step_functions_interval_3_rate_2_attempts_4() {
    let b = Backoff::new(secs(3), 2.0, 4);
    assert_eq!(table(b), [secs(3), secs(6), secs(12), secs(24)]);
    assert_eq!(
        b.delay(0, &rand()),
        None,
        "the initial attempt is not a retry"
    );
    assert_eq!(b.delay(4, &rand()), Some(secs(24)));
    assert_eq!(b.delay(5, &rand()), None);
    assert_eq!(b.delay(u32::MAX, &rand()), None);
}

#[test]
fn step_functions_max_delay_caps() {
    let b = Backoff::new(secs(3), 2.0, 4).max_delay(secs(10));
    assert_eq!(table(b), [secs(3), secs(6), secs(10), secs(10)]);
    assert_eq!(
        table(b.max_delay(None)),
        [secs(3), secs(6), secs(12), secs(24)]
    );
}

#[test]
fn step_functions_max_attempts_0_never_retries() {
    let b = Backoff::new(secs(3), 2.0, 0);
    assert_eq!(table(b), []);
    assert_eq!(b.delay(1, &rand()), None);
    assert_eq!(table(Backoff::never()), []);
}

#[test]
fn step_functions_defaults() {
    // IntervalSeconds 1, BackoffRate 2.0, MaxAttempts 3.
    assert_eq!(table(Backoff::default()), [secs(1), secs(2), secs(4)]);
    let b = Backoff::default();
    assert_eq!((b.initial, b.rate, b.max_attempts), (secs(1), 2.0, 3));
    assert_eq!((b.max_delay, b.jitter), (None, Jitter::None));
}

#[test]
fn fractional_rates_and_fixed_delays() {
    // IntervalSeconds 2, BackoffRate 1.5: 2, 3, 4.5, 6.75.
    assert_eq!(
        table(Backoff::new(secs(2), 1.5, 4)),
        [secs(2), secs(3), ms(4_500), ms(6_750)]
    );
    assert_eq!(table(Backoff::fixed(ms(250), 3)), [ms(250); 3]);
    // Setters replace each field.
    let b = Backoff::default()
        .initial(secs(5))
        .rate(3.0)
        .max_attempts(3);
    assert_eq!(table(b), [secs(5), secs(15), secs(45)]);
}

#[test]
fn bad_rates_and_huge_attempts_saturate() {
    // NaN and negative rates behave as 1.0.
    assert_eq!(table(Backoff::new(secs(2), f64::NAN, 3)), [secs(2); 3]);
    assert_eq!(table(Backoff::new(secs(2), -4.0, 3)), [secs(2); 3]);
    // An infinite rate saturates after the first retry, and the cap still applies.
    let inf = Backoff::new(secs(2), f64::INFINITY, u32::MAX);
    assert_eq!(inf.delay(1, &rand()), Some(secs(2)));
    assert_eq!(inf.delay(2, &rand()), Some(Duration::MAX));
    assert_eq!(
        inf.max_delay(secs(60)).delay(u32::MAX, &rand()),
        Some(secs(60))
    );
    // Rate 2 at attempt 4 billion overflows f64 and saturates.
    let big = Backoff::new(secs(1), 2.0, u32::MAX);
    assert_eq!(big.delay(u32::MAX, &rand()), Some(Duration::MAX));
    assert_eq!(
        big.max_delay(secs(900)).delay(u32::MAX, &rand()),
        Some(secs(900))
    );
    // A zero interval stays zero whatever the rate.
    assert_eq!(
        Backoff::new(Duration::ZERO, f64::INFINITY, 3).delay(3, &rand()),
        Some(Duration::ZERO)
    );
    // Full jitter on a saturated delay stays finite and below it.
    let d = inf.jitter(Jitter::Full).delay(9, &rand()).unwrap();
    assert!(d < Duration::MAX);
}

#[test]
fn backoff_round_trips_through_serde() {
    let b = Backoff::new(secs(3), 2.0, 4)
        .max_delay(secs(10))
        .jitter(Jitter::Full);
    let json = serde_json::to_string(&b).unwrap();
    assert_eq!(serde_json::from_str::<Backoff>(&json).unwrap(), b);
    // Missing fields take the ASL defaults; JitterStrategy is spelled as in ASL.
    let partial: Backoff = serde_json::from_str(r#"{"jitter":"FULL"}"#).unwrap();
    assert_eq!(partial, Backoff::default().jitter(Jitter::Full));
}

// ---------------------------------------------------------------- Full jitter

#[test]
fn full_jitter_stays_within_zero_and_the_delay() {
    let b = Backoff::new(secs(3), 2.0, 6)
        .max_delay(secs(40))
        .jitter(Jitter::Full);
    let bounds = [3, 6, 12, 24, 40, 40].map(secs);
    let r = Rand::seeded(11);
    let mut below_half = 0;
    for _ in 0..500 {
        let got: Vec<Duration> = b.schedule(&r).collect();
        assert_eq!(got.len(), 6);
        for (d, bound) in got.iter().zip(bounds) {
            assert!(*d < bound, "{d:?} >= {bound:?}");
            if *d < bound / 2 {
                below_half += 1;
            }
        }
    }
    // Uniform on [0, d): about half the draws fall in the lower half.
    assert!((1300..1700).contains(&below_half), "{below_half}");
}

#[test]
fn full_jitter_repeats_for_a_seed_and_differs_for_another() {
    let b = Backoff::new(secs(3), 2.0, 8).jitter(Jitter::Full);
    let run = |seed| b.schedule(&Rand::seeded(seed)).collect::<Vec<_>>();
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));

    let p = PhasedBackoff::sns_customer_managed().jitter(Jitter::Full);
    let prun = |seed| p.schedule(&Rand::seeded(seed)).collect::<Vec<_>>();
    assert_eq!(prun(5), prun(5));
    assert_ne!(prun(5), prun(6));
}

#[test]
fn jitter_keeps_zero_delays_zero() {
    let p = PhasedBackoff::sns_aws_managed().jitter(Jitter::Full);
    for k in 1..=3 {
        assert_eq!(p.delay(k, &rand()), Some(Duration::ZERO));
    }
    assert!(p.delay(4, &rand()).unwrap() < secs(1));
    assert_eq!(Jitter::None.apply(secs(4), &rand()), secs(4));
}

// ---------------------------------------------------------------- SNS delivery policies

#[test]
fn sns_http_default_is_three_retries_twenty_seconds_apart() {
    let p = PhasedBackoff::sns_http_default();
    assert_eq!(p, PhasedBackoff::default());
    assert_eq!(p.phase_counts(), [0, 0, 3, 0]);
    assert_eq!(table(p), [secs(20); 3]);
    assert_eq!(p.delay(4, &rand()), None);
}

#[test]
fn sns_documented_max_40_example() {
    // SNS docs: max delay 40, other settings default -> 20, 30, 40.
    assert_eq!(
        table(PhasedBackoff::sns_http_default().max_delay(secs(40))),
        [secs(20), secs(30), secs(40)]
    );
}

#[test]
fn sns_all_four_phases_in_order() {
    // numRetries 10: 2 immediate, 2 at min 5 s, 3 linear 5 -> 25 s, 3 at max 25 s.
    let p = PhasedBackoff::new(secs(5), secs(25), 10)
        .no_delay_retries(2)
        .min_delay_retries(2)
        .max_delay_retries(3);
    assert_eq!(p.phase_counts(), [2, 2, 3, 3]);
    assert_eq!(table(p), [0, 0, 5, 5, 5, 15, 25, 25, 25, 25].map(secs));
    let phases: Vec<Phase> = (1..=10).filter_map(|k| p.phase(k)).collect();
    assert_eq!(
        phases,
        [
            Phase::Immediate,
            Phase::Immediate,
            Phase::PreBackoff,
            Phase::PreBackoff,
            Phase::Backoff,
            Phase::Backoff,
            Phase::Backoff,
            Phase::PostBackoff,
            Phase::PostBackoff,
            Phase::PostBackoff,
        ]
    );
    assert_eq!((p.phase(0), p.phase(11)), (None, None));
}

#[test]
fn sns_aws_managed_policy() {
    let p = PhasedBackoff::sns_aws_managed();
    assert_eq!(p.phase_counts(), [3, 2, 10, 100_000]);
    assert_eq!(p.max_retries(), 100_015);
    let first: Vec<Duration> = p.schedule(&rand()).take(15).collect();
    // Exponential 1 -> 20 s over 10 retries: 1 + 19 (2^i - 1) / 511.
    let backoff: Vec<Duration> = (0..10u32)
        .map(|i| Duration::from_secs_f64(1.0 + 19.0 * f64::from((1u32 << i) - 1) / 511.0))
        .collect();
    let mut want = vec![Duration::ZERO; 3];
    want.extend([secs(1); 2]);
    want.extend(backoff);
    assert_eq!(first.len(), want.len());
    for (got, want) in first.iter().zip(&want) {
        let diff = got.abs_diff(*want);
        assert!(diff <= Duration::from_nanos(1), "{got:?} vs {want:?}");
    }
    assert_eq!(first[5], secs(1), "the backoff phase starts at the minimum");
    assert_eq!(first[14], secs(20), "and ends at the maximum");
    assert_eq!(p.schedule(&rand()).count(), 100_015);
    assert_eq!(p.delay(100_015, &rand()), Some(secs(20)));
    assert_eq!(p.delay(100_016, &rand()), None);
}

#[test]
fn sns_customer_managed_policy() {
    let p = PhasedBackoff::sns_customer_managed();
    assert_eq!(p.phase_counts(), [0, 2, 10, 38]);
    let all: Vec<Duration> = p.schedule(&rand()).collect();
    assert_eq!(all.len(), 50);
    assert_eq!(&all[..3], [secs(10); 3]);
    assert_eq!(all[11], secs(600));
    assert!(all[12..].iter().all(|d| *d == secs(600)));
    // Over six hours in total, as SNS documents.
    let total: Duration = all.iter().sum();
    assert!(total > secs(6 * 3600), "{total:?}");
}

#[test]
fn sns_oversubscribed_counts_keep_the_total() {
    // 2 + 2 + 5 > 6: phases fill in order and the backoff phase is empty.
    let p = PhasedBackoff::new(secs(1), secs(9), 6)
        .no_delay_retries(2)
        .min_delay_retries(2)
        .max_delay_retries(5);
    assert_eq!(p.phase_counts(), [2, 2, 0, 2]);
    assert_eq!(table(p), [0, 0, 1, 1, 9, 9].map(secs));
    let p = PhasedBackoff::new(secs(1), secs(9), 3).no_delay_retries(7);
    assert_eq!(table(p), [Duration::ZERO; 3]);
    assert_eq!(table(PhasedBackoff::new(secs(1), secs(9), 0)), []);
}

#[test]
fn sns_policy_deserializes_function_names_as_sns_spells_them() {
    let f: BackoffFunction = serde_json::from_str(r#""geometric""#).unwrap();
    assert_eq!(f, BackoffFunction::Geometric);
    let p: PhasedBackoff =
        serde_json::from_str(r#"{"retries":5,"function":"exponential"}"#).unwrap();
    assert_eq!(
        p,
        PhasedBackoff::sns_http_default()
            .retries(5)
            .function(BackoffFunction::Exponential)
    );
}

// ---------------------------------------------------------------- Backoff functions, by hand

fn backoff_phase(f: BackoffFunction, min: Duration, max: Duration, n: u32) -> Vec<Duration> {
    table(PhasedBackoff::new(min, max, n).function(f))
}

#[test]
fn linear_table() {
    // 10 -> 70 over 4: step 20.
    assert_eq!(
        backoff_phase(BackoffFunction::Linear, secs(10), secs(70), 4),
        [10, 30, 50, 70].map(secs)
    );
    // 0 -> 1 s over 5: step 250 ms.
    assert_eq!(
        backoff_phase(BackoffFunction::Linear, Duration::ZERO, secs(1), 5),
        [0, 250, 500, 750, 1000].map(ms)
    );
}

#[test]
fn arithmetic_table() {
    // 10 -> 70 over 4: steps 1, 2, 3 units of 60/6 = 10 -> 10, 20, 40, 70.
    assert_eq!(
        backoff_phase(BackoffFunction::Arithmetic, secs(10), secs(70), 4),
        [10, 20, 40, 70].map(secs)
    );
    // 0 -> 100 over 5: steps 1, 2, 3, 4 units of 10 -> 0, 10, 30, 60, 100.
    assert_eq!(
        backoff_phase(BackoffFunction::Arithmetic, Duration::ZERO, secs(100), 5),
        [0, 10, 30, 60, 100].map(secs)
    );
}

#[test]
fn geometric_table() {
    // 1 -> 27 over 4: ratio 3.
    assert_eq!(
        backoff_phase(BackoffFunction::Geometric, secs(1), secs(27), 4),
        [1, 3, 9, 27].map(secs)
    );
    // 2 -> 32 over 5: ratio 2.
    assert_eq!(
        backoff_phase(BackoffFunction::Geometric, secs(2), secs(32), 5),
        [2, 4, 8, 16, 32].map(secs)
    );
    // With a zero minimum it follows the exponential shape.
    assert_eq!(
        backoff_phase(BackoffFunction::Geometric, Duration::ZERO, secs(7), 4),
        [0, 1, 3, 7].map(secs)
    );
}

#[test]
fn exponential_table() {
    // 1 -> 31 over 5: steps double, 2, 4, 8, 16.
    assert_eq!(
        backoff_phase(BackoffFunction::Exponential, secs(1), secs(31), 5),
        [1, 3, 7, 15, 31].map(secs)
    );
    // 100 -> 800 over 4: steps 100, 200, 400.
    assert_eq!(
        backoff_phase(BackoffFunction::Exponential, secs(100), secs(800), 4),
        [100, 200, 400, 800].map(secs)
    );
}

#[test]
fn every_function_starts_at_min_ends_at_max_and_never_decreases() {
    for f in [
        BackoffFunction::Linear,
        BackoffFunction::Arithmetic,
        BackoffFunction::Geometric,
        BackoffFunction::Exponential,
    ] {
        for n in [1u32, 2, 3, 10, 100] {
            let got = backoff_phase(f, secs(1), secs(3600), n);
            assert_eq!(got.len(), n as usize);
            assert_eq!(got[0], secs(1), "{f:?} n={n}");
            if n > 1 {
                assert_eq!(got[n as usize - 1], secs(3600), "{f:?} n={n}");
            }
            assert!(got.windows(2).all(|w| w[0] <= w[1]), "{f:?} n={n}");
        }
        // A huge phase neither panics nor produces NaN.
        let d = f.delay(secs(1), secs(20), 1_000_000, u32::MAX);
        assert!((secs(1)..=secs(20)).contains(&d), "{f:?}: {d:?}");
    }
}

#[test]
fn functions_order_from_least_to_most_back_loaded() {
    // Retry 5 of 10 from 5 s to 260 s, as in SNS's graph.
    let at = |f: BackoffFunction| f.delay(secs(5), secs(260), 4, 10);
    let (l, a, g, e) = (
        at(BackoffFunction::Linear),
        at(BackoffFunction::Arithmetic),
        at(BackoffFunction::Geometric),
        at(BackoffFunction::Exponential),
    );
    assert!(l > a && a > g && g > e, "{l:?} {a:?} {g:?} {e:?}");
}
