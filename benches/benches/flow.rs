//! Benches of `aws-lite-flow`, the Step Functions engine.
//!
//! - `flow/transitions`: one execution of a Standard machine that is a chain of 1,000 Pass
//!   states, from StartExecution to the execution's end (`wait_for_execution`), history
//!   recorded as GetExecutionHistory shows it (2,002 events). The throughput is state
//!   transitions per second (1,000 per execution). The input is a small order document
//!   (`{"order": {"id": "o-1", "items": [1, 2, 3], "total": 42.5}}`), which every Pass state
//!   passes through unchanged. Beside it, for context, `plain Rust`: the same 1,000
//!   pass-through steps as boxed closures over a `serde_json::Value`, what a hand-written
//!   pipeline with no interpreter, no history and no data-flow paths costs. The issue's target
//!   is 1M transitions per second on one core.
//! - `flow/map`: an inline Map over 10,000 items (the numbers 0 to 9,999) whose iteration is
//!   one Pass state, with `MaxConcurrency` 0 (all at once) and 40 (AWS's inline limit); the
//!   throughput is items per second. The machine is Express: each item records four history
//!   events (`MapIterationStarted`, `PassStateEntered`, `PassStateExited`,
//!   `MapIterationSucceeded`), and a Standard execution would fail at its 25,000-event limit,
//!   as it would on AWS.
//! - `flow/start`: the latency of StartSyncExecution of a one-Pass-state Express machine, from
//!   the call to its output. Beside it, for context, `tokio spawn`: spawning a task that
//!   returns a value and awaiting its `JoinHandle`, the floor of any engine that runs each
//!   execution as a task (as this one does).
//!
//! # Runtimes and measuring
//!
//! Everything runs on a current-thread tokio runtime (one core) on real time (the default
//! `TokioClock`; no state waits). Criterion's `iter_custom` times batches of executions on a
//! fresh `Sfn` per batch: creating the service and its machine, and dropping it with the
//! executions it keeps (Step Functions keeps every execution and its history), happen outside
//! the timed section, so memory stays bounded however many iterations criterion asks for.
//!
//! Run with `cargo bench -p aws-lite-benches --bench flow`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_lite_flow::{ExecutionStatus, Sfn, StateMachineType};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use tokio::runtime::Runtime;

/// Pass states in the `flow/transitions` chain.
const CHAIN: usize = 1_000;
/// Items of the `flow/map` Map.
const ITEMS: usize = 10_000;

/// Reads the real clock. Criterion's `iter_custom` needs real elapsed time: here time is the
/// measurement, not something the code under test may read.
#[allow(clippy::disallowed_methods)] // real time is what a bench measures
fn now() -> Instant {
    Instant::now()
}

/// One core: a current-thread runtime on real time.
fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
}

/// The input every `flow/transitions` execution passes along.
fn order() -> Value {
    json!({"order": {"id": "o-1", "items": [1, 2, 3], "total": 42.5}})
}

/// A chain of `n` Pass states.
fn chain(n: usize) -> String {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let state = if i + 1 == n {
            json!({"Type": "Pass", "End": true})
        } else {
            json!({"Type": "Pass", "Next": format!("S{}", i + 1)})
        };
        states.insert(format!("S{i}"), state);
    }
    json!({"StartAt": "S0", "States": states}).to_string()
}

/// An inline Map over `$.items` whose iteration is one Pass state.
fn map(max_concurrency: u32) -> String {
    json!({
        "StartAt": "M",
        "States": {"M": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": max_concurrency,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "P",
                "States": {"P": {"Type": "Pass", "End": true}}
            },
            "End": true
        }}
    })
    .to_string()
}

/// A fresh service with one machine; returns it and the machine's ARN.
fn service(rt: &Runtime, definition: &str, machine_type: StateMachineType) -> (Sfn, String) {
    rt.block_on(async {
        let sfn = Sfn::new();
        let arn = sfn
            .create_state_machine()
            .name("bench")
            .definition(definition)
            .r#type(machine_type)
            .send()
            .await
            .expect("CreateStateMachine")
            .state_machine_arn;
        (sfn, arn)
    })
}

/// Runs one Standard execution of `arn` on `input` to its end and returns its output.
async fn run(sfn: &Sfn, arn: &str, input: &str) -> Option<String> {
    let started = sfn
        .start_execution()
        .state_machine_arn(arn)
        .input(input)
        .send()
        .await
        .expect("StartExecution");
    let done = sfn
        .wait_for_execution(&started.execution_arn)
        .await
        .expect("DescribeExecution");
    assert_eq!(done.status, ExecutionStatus::Succeeded, "{done:?}");
    done.output
}

/// Times `iters` runs of `once` in batches of at most `batch`, each batch on a fresh service
/// made (untimed) by `setup`.
fn batched<S, F>(rt: &Runtime, iters: u64, batch: u64, setup: S, once: F) -> Duration
where
    S: Fn() -> (Sfn, String),
    F: AsyncFn(&Sfn, &str),
{
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iters {
        let n = batch.min(iters - done);
        let (sfn, arn) = setup();
        total += rt.block_on(async {
            let t0 = now();
            for _ in 0..n {
                once(&sfn, &arn).await;
            }
            t0.elapsed()
        });
        drop(sfn);
        done += n;
    }
    total
}

fn transitions(c: &mut Criterion) {
    let rt = runtime();
    let definition = chain(CHAIN);
    let input = order().to_string();
    // The output is the input: every Pass state passes it on.
    let (sfn, arn) = service(&rt, &definition, StateMachineType::Standard);
    let out = rt.block_on(run(&sfn, &arn, &input));
    assert_eq!(out.as_deref(), Some(&*input));
    let history = rt.block_on(async {
        let runs = sfn
            .list_executions()
            .state_machine_arn(&arn)
            .send()
            .await
            .expect("ListExecutions");
        sfn.get_execution_history()
            .execution_arn(&runs.executions[0].execution_arn)
            .max_results(1000)
            .send()
            .await
            .expect("GetExecutionHistory")
    });
    assert_eq!(
        history.events.len(),
        1000,
        "a full first page of the 2,002 events"
    );
    drop(sfn);

    let mut group = c.benchmark_group("flow/transitions");
    group.throughput(Throughput::Elements(CHAIN as u64));
    group.bench_function("aws-lite (standard, history)", |b| {
        b.iter_custom(|iters| {
            batched(
                &rt,
                iters,
                8,
                || service(&rt, &definition, StateMachineType::Standard),
                async |sfn, arn| {
                    black_box(run(sfn, arn, &input).await);
                },
            )
        })
    });

    // The same 1,000 pass-through steps, with no interpreter.
    let steps: Vec<Box<dyn Fn(Value) -> Value>> = (0..CHAIN)
        .map(|_| Box::new(|v: Value| black_box(v)) as Box<dyn Fn(Value) -> Value>)
        .collect();
    group.bench_function("plain Rust (1,000 boxed steps)", |b| {
        b.iter(|| {
            let mut v = order();
            for step in &steps {
                v = step(v);
            }
            v
        })
    });
    group.finish();
}

fn map_state(c: &mut Criterion) {
    let rt = runtime();
    let items: Vec<usize> = (0..ITEMS).collect();
    let input = json!({"items": items}).to_string();
    let expected = serde_json::to_string(&items).expect("JSON");

    let mut group = c.benchmark_group("flow/map");
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.sample_size(20);
    for max_concurrency in [0u32, 40] {
        let definition = map(max_concurrency);
        let (sfn, arn) = service(&rt, &definition, StateMachineType::Express);
        let out = rt.block_on(run(&sfn, &arn, &input));
        assert_eq!(out.as_deref(), Some(&*expected));
        drop(sfn);
        group.bench_function(
            BenchmarkId::new(
                "aws-lite inline Map",
                format!("MaxConcurrency {max_concurrency}"),
            ),
            |b| {
                b.iter_custom(|iters| {
                    batched(
                        &rt,
                        iters,
                        1,
                        || service(&rt, &definition, StateMachineType::Express),
                        async |sfn, arn| {
                            black_box(run(sfn, arn, &input).await);
                        },
                    )
                })
            },
        );
    }
    group.finish();
}

fn start(c: &mut Criterion) {
    let rt = runtime();
    let definition = r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#;
    let mut group = c.benchmark_group("flow/start");
    group.bench_function("aws-lite StartSyncExecution (express, 1 Pass state)", |b| {
        b.iter_custom(|iters| {
            batched(
                &rt,
                iters,
                1_000,
                || service(&rt, definition, StateMachineType::Express),
                async |sfn, arn| {
                    let done = sfn
                        .start_sync_execution()
                        .state_machine_arn(arn)
                        .input(r#"{"id": 1}"#)
                        .send()
                        .await
                        .expect("StartSyncExecution");
                    debug_assert_eq!(done.status, ExecutionStatus::Succeeded);
                    black_box(done);
                },
            )
        })
    });
    group.bench_function("tokio spawn + await", |b| {
        b.to_async(&rt).iter(|| async {
            let v = tokio::spawn(async { black_box(json!({"id": 1})) })
                .await
                .expect("the task");
            black_box(v)
        })
    });
    group.finish();
}

criterion_group!(benches, transitions, map_state, start);
criterion_main!(benches);
