//! The clocks: paused tokio time moves `TokioClock`'s `now` and `wall` together; sleeps wake at
//! their deadline and not before; `ManualClock` drives sleepers on a multi-thread runtime.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use aws_lite_core::time::{Clock, DeadlineHeap, Instant, ManualClock, SharedClock, TokioClock};

#[tokio::test(start_paused = true)]
async fn advance_moves_now_and_wall_by_exactly_the_same_amount() {
    let clock = SharedClock::tokio();
    let t0 = clock.now();
    let w0 = clock.wall(t0);
    tokio::time::advance(Duration::from_secs(30)).await;
    let t1 = clock.now();
    assert_eq!(t1 - t0, Duration::from_secs(30));
    assert_eq!(
        clock.wall(t1).duration_since(w0).unwrap(),
        Duration::from_secs(30)
    );
    assert_eq!(
        clock.epoch_millis(t1) - clock.epoch_millis(t0),
        30_000,
        "epoch timestamps advance with virtual time"
    );
}

#[tokio::test(start_paused = true)]
async fn wall_origin_can_be_fixed_for_reproducible_timestamps() {
    let origin = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let clock = SharedClock::new(TokioClock::with_wall_origin(origin));
    tokio::time::advance(Duration::from_millis(1500)).await;
    assert_eq!(clock.epoch_millis(clock.now()), 1_700_000_001_500);
}

#[tokio::test(start_paused = true)]
async fn epoch_millis_agrees_with_the_wall_time_on_every_clock() {
    let origins = [
        UNIX_EPOCH + Duration::from_nanos(1_700_000_000_123_456_789),
        UNIX_EPOCH,
        // Before the epoch: 0 until the clock passes it.
        UNIX_EPOCH - Duration::from_millis(2_500),
    ];
    let instants = [
        0,
        1,
        999_999,
        1_000_000,
        876_543_210,
        3_000_000_000,
        86_400_000_000_123,
    ];
    for origin in origins {
        let clocks = [
            SharedClock::new(TokioClock::with_wall_origin(origin)),
            SharedClock::new(ManualClock::with_wall_origin(origin)),
        ];
        for clock in clocks {
            for nanos in instants {
                let at = Instant::from_nanos(nanos);
                assert_eq!(
                    clock.epoch_millis(at),
                    aws_lite_core::time::epoch_millis(clock.wall(at)),
                    "{clock:?} at {nanos} ns"
                );
            }
        }
    }
}

#[tokio::test(start_paused = true)]
async fn sleep_until_wakes_at_the_deadline_and_not_before() {
    let clock = SharedClock::tokio();
    let deadline = clock.now() + Duration::from_secs(10);
    let woke = Arc::new(AtomicBool::new(false));
    let task = {
        let (clock, woke) = (clock.clone(), woke.clone());
        tokio::spawn(async move {
            clock.sleep_until(deadline).await;
            woke.store(true, Ordering::SeqCst);
            clock.now()
        })
    };
    tokio::time::advance(Duration::from_millis(9_999)).await;
    tokio::task::yield_now().await;
    assert!(!woke.load(Ordering::SeqCst), "woke before the deadline");
    tokio::time::advance(Duration::from_millis(1)).await;
    let at = task.await.unwrap();
    assert!(woke.load(Ordering::SeqCst));
    assert_eq!(at, deadline);
}

#[tokio::test(start_paused = true)]
async fn a_year_passes_at_once_and_timeouts_follow_the_clock() {
    let clock = SharedClock::tokio();
    let start = clock.now();
    clock.sleep(Duration::from_secs(365 * 86_400)).await;
    assert_eq!(clock.now() - start, Duration::from_secs(365 * 86_400));

    let slow = clock.sleep(Duration::from_secs(60));
    let r = clock.timeout(Duration::from_secs(5), slow).await;
    assert!(r.is_err(), "the 60 s sleep is cut at 5 s");
    let fast = clock.timeout(Duration::from_secs(5), async { 7 }).await;
    assert_eq!(fast, Ok(7));
    // A deadline of Instant::MAX never fires.
    let never = clock
        .timeout(Duration::from_secs(1), clock.sleep_until(Instant::MAX))
        .await;
    assert!(never.is_err());
}

#[test]
fn manual_clock_works_on_a_multi_thread_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let manual = ManualClock::new();
    let clock = SharedClock::new(manual.clone());
    let mut tasks: Vec<_> = (1..=4u64)
        .map(|i| {
            let clock = clock.clone();
            rt.spawn(async move {
                clock.sleep_until(Instant::from_secs(i * 10)).await;
                clock.now()
            })
        })
        .collect();
    // The workers poll the tasks on their own threads; wait until all four sleeps registered.
    while manual.sleepers() < 4 {
        std::thread::yield_now();
    }
    assert_eq!(manual.next_deadline(), Some(Instant::from_secs(10)));

    manual.advance(Duration::from_secs(25));
    let later = tasks.split_off(2);
    for task in tasks {
        assert_eq!(
            rt.block_on(task).unwrap(),
            Instant::from_secs(25),
            "woken by advance"
        );
    }
    assert_eq!(manual.sleepers(), 2, "the 30 s and 40 s sleeps still wait");
    assert_eq!(manual.next_deadline(), Some(Instant::from_secs(30)));

    assert_eq!(manual.advance_to_next(), Some(Instant::from_secs(30)));
    manual.advance(Duration::from_secs(100));
    let woke: Vec<Instant> = later.into_iter().map(|t| rt.block_on(t).unwrap()).collect();
    assert!(woke[0] >= Instant::from_secs(30) && woke[1] >= Instant::from_secs(40));
    assert_eq!(manual.now(), Instant::from_secs(130));
    assert_eq!(manual.sleepers(), 0);
}

#[test]
fn deadline_heap_orders_by_deadline_then_insertion() {
    let mut heap = DeadlineHeap::new();
    heap.push(Instant::from_secs(5), "b");
    heap.push(Instant::from_secs(1), "a");
    let k = heap.push(Instant::from_secs(5), "c");
    assert_eq!(heap.next_deadline(), Some(Instant::from_secs(1)));
    assert_eq!(heap.remove(k), Some("c"));
    let due: Vec<_> = heap
        .drain_expired(Instant::from_secs(5))
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(due, vec!["a", "b"]);
}
