//! Benches of `aws-lite-core` primitives beside the rival a user would otherwise reach for.
//!
//! - `core/clock`: reading the time. `TokioClock::now` (inside a runtime) and `ManualClock::now`
//!   against `std::time::Instant::now`, the ambient clock aws-lite replaces.
//! - `core/ids`: generating ids. `Rand::uuid` and `id::token` against `uuid::Uuid::new_v4`, with
//!   and without formatting to text. The workspace enables only uuid's `v4` feature, so each
//!   `new_v4` asks the operating system for 16 random bytes (`getrandom`), as an application
//!   using uuid's defaults would.
//!
//! Run with `cargo bench -p aws-lite-benches --bench core`.

use std::hint::black_box;

use aws_lite_core::id::token;
use aws_lite_core::time::{Clock, ManualClock, TokioClock};
use aws_lite_core::{Rand, SharedClock};
use criterion::{Criterion, criterion_group, criterion_main};

fn clock(c: &mut Criterion) {
    let mut group = c.benchmark_group("core/clock");

    // TokioClock reads tokio's clock, which needs a runtime context (time enabled, not paused).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime");
    {
        let _guard = rt.enter();
        let tokio_clock = TokioClock::new();
        group.bench_function("TokioClock::now", |b| {
            b.iter(|| black_box(&tokio_clock).now())
        });
        let shared = SharedClock::new(tokio_clock.clone());
        group.bench_function("SharedClock(TokioClock)::now", |b| {
            b.iter(|| black_box(&shared).now())
        });
    }

    let manual = ManualClock::new();
    group.bench_function("ManualClock::now", |b| b.iter(|| black_box(&manual).now()));

    group.bench_function("std::time::Instant::now", |b| {
        // The rival: the ambient clock that aws-lite code may not read.
        #[allow(clippy::disallowed_methods)]
        b.iter(std::time::Instant::now);
    });

    group.finish();
}

fn ids(c: &mut Criterion) {
    let mut group = c.benchmark_group("core/ids");

    let rand = Rand::seeded(42);
    group.bench_function("Rand::uuid", |b| b.iter(|| black_box(&rand).uuid()));
    group.bench_function("Rand::uuid().to_string()", |b| {
        b.iter(|| black_box(&rand).uuid().to_string())
    });
    group.bench_function("id::token(24)", |b| {
        b.iter(|| token(black_box(&rand), black_box(24)))
    });

    group.bench_function("uuid::Uuid::new_v4", |b| b.iter(uuid::Uuid::new_v4));
    group.bench_function("uuid::Uuid::new_v4().to_string()", |b| {
        b.iter(|| uuid::Uuid::new_v4().to_string())
    });

    group.finish();
}

criterion_group!(benches, clock, ids);
criterion_main!(benches);
