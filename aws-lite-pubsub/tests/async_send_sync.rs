//! Every public handle and builder is `Send + Sync`, and their futures are `Send`.

use aws_lite_pubsub::api::SnsApi;
use aws_lite_pubsub::{NotificationStream, Sns, Topic};

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>(_: &T) {}

#[test]
fn handles_are_send_and_sync() {
    send_sync::<Sns>();
    send_sync::<Topic>();
    send_sync::<NotificationStream>();
    send_sync::<std::sync::Arc<dyn SnsApi>>();
}

#[tokio::test(start_paused = true)]
async fn operation_futures_are_send() {
    let sns = Sns::new();
    send(&sns.publish().message("m").send());
    send(&sns.publish_batch().send());
    send(&sns.subscribe().send());
    send(&sns.create_topic().name("t").send());
}
