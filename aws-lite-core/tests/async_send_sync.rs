//! Every public handle of aws-lite-core is `Send + Sync` (and `'static` where it is shared).

#![allow(dead_code)]

fn send_sync<T: Send + Sync + 'static>() {}
fn send<T: Send + 'static>() {}

#[test]
fn handles_are_send_and_sync() {
    send_sync::<aws_lite_core::Error>();
    send_sync::<aws_lite_core::Rand>();
    send_sync::<aws_lite_core::SharedClock>();
    send_sync::<aws_lite_core::time::TokioClock>();
    send_sync::<aws_lite_core::time::ManualClock>();
    // Futures are polled by one task at a time: `Send` is what an executor needs.
    send::<aws_lite_core::time::Sleep>();
    send::<aws_lite_core::time::Timeout<aws_lite_core::time::Sleep>>();
    send_sync::<aws_lite_core::time::DeadlineHeap<u64>>();
    send_sync::<aws_lite_core::sync::AtomicInstant>();
    send_sync::<aws_lite_core::sync::Mutex<Vec<u8>>>();
    send_sync::<aws_lite_core::fault::FaultPlan>();
    send_sync::<aws_lite_core::retry::Backoff>();
    send_sync::<aws_lite_core::retry::PhasedBackoff>();
    send_sync::<aws_lite_core::id::Arn>();
    send_sync::<aws_lite_core::id::AccountId>();
    send_sync::<aws_lite_core::id::Region>();
}
