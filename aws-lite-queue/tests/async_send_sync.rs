//! Every public handle and output of aws-lite-queue is `Send + Sync`, and the operation futures
//! are `Send`, so they can be spawned on a multi-thread runtime.

use std::future::Future;

use aws_lite_queue::api::SqsApi;
use aws_lite_queue::{Queue, Sqs};

fn send_sync<T: Send + Sync + 'static>() {}
fn send_future<F: Future + Send>(_: F) {}

#[test]
fn handles_and_outputs_are_send_and_sync() {
    send_sync::<Sqs>();
    send_sync::<Queue>();
    send_sync::<std::sync::Arc<dyn SqsApi>>();
    send_sync::<aws_lite_queue::QueueMetrics>();
    send_sync::<aws_lite_queue::operation::receive_message::Message>();
    send_sync::<aws_lite_queue::operation::receive_message::ReceiveMessageOutput>();
    send_sync::<aws_lite_queue::operation::send_message::SendMessageOutput>();
    send_sync::<aws_lite_queue::operation::send_message_batch::SendMessageBatchOutput>();
    send_sync::<aws_lite_queue::operation::create_queue::CreateQueueOutput>();
    send_sync::<aws_lite_queue::consumer::WorkerStats>();
}

#[test]
fn operation_futures_are_send() {
    let sqs = Sqs::new();
    send_future(sqs.create_queue().queue_name("q").send());
    send_future(sqs.send_message().queue_url("u").message_body("b").send());
    send_future(
        sqs.receive_message()
            .queue_url("u")
            .wait_time_seconds(20)
            .send(),
    );
    send_future(
        sqs.delete_message()
            .queue_url("u")
            .receipt_handle("h")
            .send(),
    );
    send_future(sqs.purge_queue().queue_url("u").send());
}
