//! Delivery retries: each of SNS's four phases on the Clock, and dead-letter redrive.

mod support;

use std::time::Duration;

use aws_lite_core::fault::{FaultPlan, FaultRule};
use aws_lite_core::{Clock, Error, PhasedBackoff, Rand};
use aws_lite_pubsub::{DeliveryError, SNS_DELIVERY_ERROR, Sns};
use aws_lite_queue::Sqs;
use support::{ScriptedFunction, drain, queue, subscribe_queue};

const FUNCTION: &str = "arn:aws:lambda:us-east-1:000000000000:function:handler";

fn with_function(
    results: Vec<Result<(), DeliveryError>>,
) -> (Sqs, Sns, std::sync::Arc<ScriptedFunction>) {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let f = ScriptedFunction::new(sqs.clock().clone(), results);
    let sns = Sns::builder()
        .sqs(sqs.clone())
        .functions(f.clone())
        .rand(Rand::seeded(2))
        .build();
    (sqs, sns, f)
}

fn server() -> Result<(), DeliveryError> {
    Err(DeliveryError::Server("throttled".into()))
}

#[tokio::test(start_paused = true)]
async fn lambda_retries_follow_the_four_phases_on_the_clock() {
    let (_sqs, sns, f) = with_function(vec![server()]);
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(FUNCTION)
        .send()
        .await
        .unwrap();
    let t0 = sns.clock().now();
    topic.publish().message("m").send().await.unwrap();
    // 1 attempt + 3 immediate + 2 pre-backoff + 10 backoff + 5 post-backoff.
    let backoff_total: Duration = (6..=15)
        .map(|n| PhasedBackoff::sns_aws_managed().base_delay(n).unwrap())
        .sum();
    let horizon = Duration::from_secs(2) + backoff_total + Duration::from_secs(5 * 20);
    // Tokio's timers have millisecond resolution: each wake may be up to 1 ms late.
    sns.clock().sleep(horizon + Duration::from_millis(50)).await;
    let times: Vec<Duration> = f.call_times().iter().map(|t| *t - t0).collect();
    assert_eq!(times.len(), 21, "{times:?}");
    let gaps: Vec<Duration> = times.windows(2).map(|w| w[1] - w[0]).collect();
    // Immediate phase: 3 retries with no delay.
    assert_eq!(&times[..4], &[Duration::ZERO; 4]);
    // Pre-backoff: 2 retries 1 s apart.
    assert_eq!(&gaps[3..5], &[Duration::from_secs(1); 2]);
    // Backoff: 10 retries growing exponentially from 1 s to 20 s.
    let backoff = &gaps[5..15];
    assert_eq!(backoff[0], Duration::from_secs(1));
    assert_eq!(backoff[9], Duration::from_secs(20));
    assert!(backoff.windows(2).all(|w| w[0] <= w[1]), "{backoff:?}");
    assert!(
        backoff[5] < Duration::from_secs(5),
        "exponential, not linear: {backoff:?}"
    );
    for (i, gap) in backoff.iter().enumerate() {
        let want = PhasedBackoff::sns_aws_managed()
            .base_delay(6 + i as u32)
            .unwrap();
        let diff = gap.abs_diff(want);
        assert!(
            diff <= Duration::from_millis(1),
            "retry {}: {gap:?} vs {want:?}",
            6 + i
        );
    }
    // Post-backoff: 20 s apart.
    assert_eq!(&gaps[15..], &[Duration::from_secs(20); 5]);
    // Each retry carried the same message id.
    let calls = f.calls.lock().unwrap();
    let ids: std::collections::HashSet<String> = calls
        .iter()
        .map(|(_, _, e)| {
            let v: serde_json::Value = serde_json::from_str(e).unwrap();
            v["Records"][0]["Sns"]["MessageId"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn lambda_event_has_the_sns_record_shape() {
    let (_sqs, sns, f) = with_function(vec![Ok(())]);
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    let sub = topic
        .subscribe()
        .protocol("lambda")
        .endpoint(FUNCTION)
        .send()
        .await
        .unwrap();
    topic.publish().message("m").send().await.unwrap();
    sns.clock().sleep(Duration::from_millis(1)).await;
    let calls = f.calls.lock().unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].1, FUNCTION);
    let v: serde_json::Value = serde_json::from_str(&calls[0].2).unwrap();
    let r = &v["Records"][0];
    assert_eq!(r["EventSource"], "aws:sns");
    assert_eq!(r["EventVersion"], "1.0");
    assert_eq!(r["EventSubscriptionArn"], sub.subscription_arn());
    assert_eq!(r["Sns"]["Type"], "Notification");
    assert_eq!(r["Sns"]["Message"], "m");
    assert!(r["Sns"]["Subject"].is_null());
    assert!(r["Sns"]["SigningCertUrl"].is_string());
    assert!(r["Sns"]["UnsubscribeUrl"].is_string());
    assert_eq!(r["Sns"]["MessageAttributes"], serde_json::json!({}));
    assert_eq!(topic.metrics().number_of_notifications_delivered, 1);
}

#[tokio::test(start_paused = true)]
async fn a_retry_that_succeeds_stops_the_schedule() {
    let (_sqs, sns, f) = with_function(vec![
        server(),
        server(),
        server(),
        server(),
        server(),
        Ok(()),
    ]);
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(FUNCTION)
        .send()
        .await
        .unwrap();
    topic.publish().message("m").send().await.unwrap();
    sns.clock().sleep(Duration::from_secs(3600)).await;
    assert_eq!(f.count(), 6);
    let m = topic.metrics();
    assert_eq!(m.number_of_notifications_delivered, 1);
    assert_eq!(m.number_of_notifications_failed, 0);
}

#[tokio::test(start_paused = true)]
async fn sqs_server_errors_are_retried_on_the_clock() {
    let sqs = Sqs::builder().rand(Rand::seeded(1)).build();
    let faults = FaultPlan::new(Rand::seeded(9)).with(
        SNS_DELIVERY_ERROR,
        FaultRule::next_calls(5).error(Error::internal("boom")),
    );
    let sns = Sns::builder().sqs(sqs.clone()).fault_plan(faults).build();
    let q = queue(&sqs, "q").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    subscribe_queue(&topic, &q, false).await;
    topic.publish().message("m").send().await.unwrap();
    // Inline attempt + 3 immediate retries fail at 0 s; the retry at 1 s fails; at 2 s it lands.
    sns.clock().sleep(Duration::from_millis(1500)).await;
    assert!(drain(&q).await.is_empty());
    sns.clock().sleep(Duration::from_millis(600)).await;
    assert_eq!(drain(&q).await.len(), 1);
    assert_eq!(topic.metrics().number_of_notifications_delivered, 1);
}

#[tokio::test(start_paused = true)]
async fn client_errors_go_to_the_dead_letter_queue_at_once() {
    let (sqs, sns, f) = with_function(vec![Err(DeliveryError::Client("no such function".into()))]);
    let dlq = queue(&sqs, "dlq").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(FUNCTION)
        .attributes(
            "RedrivePolicy",
            format!("{{\"deadLetterTargetArn\":\"{}\"}}", dlq.arn()),
        )
        .send()
        .await
        .unwrap();
    topic.publish().message("m").send().await.unwrap();
    sns.clock().sleep(Duration::from_millis(1)).await;
    assert_eq!(f.count(), 1);
    let dead = drain(&dlq).await;
    assert_eq!(dead.len(), 1);
    let v: serde_json::Value = serde_json::from_str(dead[0].body()).unwrap();
    assert_eq!(v["Message"], "m");
    sns.clock().sleep(Duration::from_secs(600)).await;
    assert_eq!(f.count(), 1, "client errors are not retried");
    let m = topic.metrics();
    assert_eq!(m.number_of_notifications_failed, 1);
    assert_eq!(m.number_of_notifications_redriven_to_dlq, 1);
}

#[tokio::test(start_paused = true)]
async fn a_missing_queue_is_a_client_error() {
    let (sqs, sns) = support::services();
    let q = queue(&sqs, "gone").await;
    let dlq = queue(&sqs, "dlq").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("sqs")
        .endpoint(q.arn())
        .attributes(
            "RedrivePolicy",
            format!("{{\"deadLetterTargetArn\":\"{}\"}}", dlq.arn()),
        )
        .send()
        .await
        .unwrap();
    q.delete_queue().send().await.unwrap();
    topic.publish().message("m").send().await.unwrap();
    assert_eq!(drain(&dlq).await.len(), 1);
}

#[tokio::test(start_paused = true)]
async fn server_errors_go_to_the_dead_letter_queue_after_every_retry() {
    let (sqs, sns, f) = with_function(vec![server()]);
    let dlq = queue(&sqs, "dlq").await;
    let topic = sns.create_topic().name("t").send().await.unwrap().topic();
    topic
        .subscribe()
        .protocol("lambda")
        .endpoint(FUNCTION)
        .attributes(
            "RedrivePolicy",
            format!("{{\"deadLetterTargetArn\":\"{}\"}}", dlq.arn()),
        )
        .send()
        .await
        .unwrap();
    topic.publish().message("m").send().await.unwrap();
    // 22 days in: still retrying, nothing dead-lettered.
    sns.clock().sleep(Duration::from_secs(22 * 86_400)).await;
    assert!(drain(&dlq).await.is_empty());
    // The policy ends after 100,015 retries (about 23.1 days).
    sns.clock().sleep(Duration::from_secs(2 * 86_400)).await;
    assert_eq!(f.count(), 100_016);
    assert_eq!(drain(&dlq).await.len(), 1);
    assert_eq!(topic.metrics().number_of_notifications_failed, 1);
}
