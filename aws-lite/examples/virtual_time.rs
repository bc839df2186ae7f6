//! Virtual time and seeded ids: the foundation every aws-lite service runs on.
//!
//! Run it with `cargo run -p aws-lite --example virtual_time`. It sleeps through sixteen hours of
//! AWS timers (a 12-hour visibility timeout, retries backing off by the hour, a 30-second receive
//! wait) and prints epoch timestamps that follow the virtual clock, all within a few
//! milliseconds of real time. The ids it prints come from a seeded [`Rand`], so they are the same
//! on every run and every machine.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lite::core::Rand;
use aws_lite::core::id::token;
use aws_lite::core::time::{Clock, Elapsed, Instant, SharedClock, TokioClock, epoch_millis};

/// 2026-01-01T00:00:00Z: a fixed wall origin, so the printed timestamps are reproducible too.
const WALL_ORIGIN_SECS: u64 = 1_767_225_600;

// A paused current-thread runtime: when every task is waiting on a timer, tokio jumps straight to
// the earliest one instead of waiting for it.
#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    // The one real-time reading in this program, to show how little real time passes.
    #[allow(clippy::disallowed_methods)] // measuring the real cost of virtual time is the point
    let real_start = std::time::Instant::now();

    let clock = SharedClock::new(TokioClock::with_wall_origin(
        UNIX_EPOCH + Duration::from_secs(WALL_ORIGIN_SECS),
    ));
    let rand = Rand::seeded(42);

    println!("aws-lite: virtual time and seeded ids");
    println!();
    println!(
        "seed {}, clock starts at {}",
        rand.seed(),
        stamp(&clock, clock.now())
    );

    // Ids: a message id (UUID v4) and a receipt handle (opaque token), both from the seed.
    let message_id = rand.uuid();
    let receipt_handle = token(&rand, 24);
    println!("  message id      {message_id}");
    println!("  receipt handle  {receipt_handle}");

    // A 12-hour visibility timeout passes instantly.
    let sent = clock.now();
    clock.sleep(Duration::from_secs(12 * 3600)).await;
    println!(
        "after a 12 h visibility timeout: {} (epoch millis {})",
        stamp(&clock, clock.now()),
        clock.epoch_millis(clock.now()),
    );
    assert_eq!(clock.now() - sent, Duration::from_secs(12 * 3600));

    // Concurrent timers fire in deadline order, each at its exact virtual instant.
    let start = clock.now();
    let mut retries = Vec::new();
    for attempt in 1..=3u64 {
        let clock = clock.clone();
        retries.push(tokio::spawn(async move {
            // Backoff of one, two and four hours.
            clock
                .sleep(Duration::from_secs(3600 << (attempt - 1)))
                .await;
            (attempt, clock.now())
        }));
    }
    for retry in retries {
        let (attempt, at) = retry.await.expect("the retry task completes");
        println!(
            "  retry {attempt} fired at {} (+{} s)",
            stamp(&clock, at),
            (at - start).as_secs()
        );
    }

    // A long-poll receive that finds nothing gives up after its 30-second wait.
    let waited: Result<(), Elapsed> = clock
        .timeout(Duration::from_secs(30), std::future::pending::<()>())
        .await;
    println!(
        "a 30 s long poll on an empty queue: {} at {}",
        match waited {
            Ok(()) => "got a message",
            Err(_) => "timed out",
        },
        stamp(&clock, clock.now()),
    );

    // The same seed replays the same ids.
    let replay = Rand::seeded(42);
    assert_eq!(replay.uuid(), message_id);
    assert_eq!(token(&replay, 24), receipt_handle);
    println!("Rand::seeded(42) again gives the same ids: {message_id}, {receipt_handle}");

    let virtual_elapsed = clock.now() - Instant::ZERO;
    #[allow(clippy::disallowed_methods)] // see `real_start`
    let real_elapsed = real_start.elapsed();
    println!();
    println!(
        "{:.2} h of virtual time in {:.3} ms of real time",
        virtual_elapsed.as_secs_f64() / 3600.0,
        real_elapsed.as_secs_f64() * 1000.0,
    );
}

/// `at` on `clock`'s timeline as an ISO 8601 UTC timestamp with milliseconds.
fn stamp(clock: &SharedClock, at: Instant) -> String {
    iso8601(clock.wall(at))
}

/// Formats a system time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (times before 1970 print as the epoch).
fn iso8601(t: SystemTime) -> String {
    let millis = epoch_millis(t);
    let secs = millis / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        millis % 1000
    )
}

/// The proleptic Gregorian date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}
