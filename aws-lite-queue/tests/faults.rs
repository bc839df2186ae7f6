//! Fault injection on standard queues: duplicate and reordered delivery (off by default), so a
//! consumer can be proven idempotent.

use std::collections::HashSet;

use aws_lite_core::Rand;
use aws_lite_core::fault::{FaultPlan, FaultPoint, FaultRule};
use aws_lite_queue::{Queue, Sqs};

const MESSAGES: usize = 100;

async fn queue_with(plan: FaultPlan) -> Queue {
    let sqs = Sqs::builder()
        .rand(Rand::seeded(11))
        .fault_plan(plan)
        .build();
    let queue = sqs
        .create_queue()
        .queue_name("orders")
        .send()
        .await
        .unwrap()
        .queue();
    for i in 0..MESSAGES {
        queue
            .send_message()
            .message_body(format!("order-{i}"))
            .send()
            .await
            .unwrap();
    }
    queue
}

/// Drains the queue, receiving ten at a time and deleting every message after handling it.
/// Returns the bodies in the order they were handled, duplicates included.
async fn drain(queue: &Queue) -> Vec<(String, String)> {
    let mut handled = Vec::new();
    loop {
        let got = queue
            .receive_message()
            .max_number_of_messages(10)
            .send()
            .await
            .unwrap();
        if got.messages().is_empty() {
            return handled;
        }
        for m in got.messages() {
            handled.push((m.message_id().to_string(), m.body().to_string()));
            queue
                .delete_message()
                .receipt_handle(m.receipt_handle())
                .send()
                .await
                .unwrap();
        }
    }
}

#[tokio::test(start_paused = true)]
async fn without_faults_every_message_is_delivered_once() {
    let queue = queue_with(FaultPlan::off()).await;
    let handled = drain(&queue).await;
    assert_eq!(handled.len(), MESSAGES);
    let bodies: Vec<String> = handled.into_iter().map(|(_, b)| b).collect();
    let sent: Vec<String> = (0..MESSAGES).map(|i| format!("order-{i}")).collect();
    assert_eq!(
        bodies, sent,
        "with no faults a standard queue hands messages out in send order"
    );
}

#[tokio::test(start_paused = true)]
async fn duplicates_catch_a_naive_consumer_and_spare_an_idempotent_one() {
    let plan = FaultPlan::new(Rand::seeded(3)).with(
        FaultPoint::QUEUE_RECEIVE_DUPLICATE,
        FaultRule::probability(0.2).target("orders"),
    );
    let queue = queue_with(plan.clone()).await;
    let handled = drain(&queue).await;

    // A naive consumer counts every delivery: it processed some orders twice.
    let duplicates = plan.fired(FaultPoint::QUEUE_RECEIVE_DUPLICATE) as usize;
    assert!(duplicates > 0, "the plan fired");
    assert_eq!(handled.len(), MESSAGES + duplicates);
    assert!(handled.len() > MESSAGES, "the naive consumer is caught");

    // An idempotent consumer keyed on the message id processes each order exactly once: a
    // duplicate carries the same id and body.
    let mut seen = HashSet::new();
    let mut effects = Vec::new();
    for (id, body) in &handled {
        if seen.insert(id.clone()) {
            effects.push(body.clone());
        }
    }
    effects.sort();
    let mut sent: Vec<String> = (0..MESSAGES).map(|i| format!("order-{i}")).collect();
    sent.sort();
    assert_eq!(effects, sent);
    // Nothing is left behind once every copy was deleted.
    assert_eq!(queue.metrics().approximate_number_of_messages_visible, 0);
    assert_eq!(
        queue.metrics().approximate_number_of_messages_not_visible,
        0
    );
}

#[tokio::test(start_paused = true)]
async fn reordering_changes_the_delivery_order_but_loses_nothing() {
    let plan = FaultPlan::new(Rand::seeded(5)).with(
        FaultPoint::QUEUE_RECEIVE_REORDER,
        FaultRule::probability(0.5),
    );
    let queue = queue_with(plan.clone()).await;
    let handled = drain(&queue).await;
    assert!(plan.fired(FaultPoint::QUEUE_RECEIVE_REORDER) > 0);
    let bodies: Vec<String> = handled.into_iter().map(|(_, b)| b).collect();
    let sent: Vec<String> = (0..MESSAGES).map(|i| format!("order-{i}")).collect();
    assert_ne!(bodies, sent, "the order changed");
    let mut sorted = bodies.clone();
    sorted.sort();
    let mut expected = sent.clone();
    expected.sort();
    assert_eq!(sorted, expected, "every message delivered exactly once");
}

#[tokio::test(start_paused = true)]
async fn faults_target_one_queue_and_spare_fifo_queues() {
    let plan = FaultPlan::new(Rand::seeded(9)).with(
        FaultPoint::QUEUE_RECEIVE_DUPLICATE,
        FaultRule::always().target("other"),
    );
    let queue = queue_with(plan.clone()).await;
    assert_eq!(
        drain(&queue).await.len(),
        MESSAGES,
        "a rule for another queue does nothing"
    );

    let plan = FaultPlan::new(Rand::seeded(9))
        .with(FaultPoint::QUEUE_RECEIVE_DUPLICATE, FaultRule::always());
    let sqs = Sqs::builder().fault_plan(plan).build();
    let fifo = sqs
        .create_queue()
        .queue_name("orders.fifo")
        .attributes("FifoQueue", "true")
        .attributes("ContentBasedDeduplication", "true")
        .send()
        .await
        .unwrap()
        .queue();
    for i in 0..10 {
        fifo.send_message()
            .message_body(format!("{i}"))
            .message_group_id("g")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        drain(&fifo).await.len(),
        10,
        "FIFO queues deliver exactly once"
    );
}
