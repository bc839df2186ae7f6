//! Every public handle is `Send + Sync`.

use aws_lite_fn::Lambda;
use aws_lite_fn::api::LambdaApi;

fn is_send_sync<T: Send + Sync>() {}

#[test]
fn handles_are_send_and_sync() {
    is_send_sync::<Lambda>();
    is_send_sync::<aws_lite_fn::Code>();
    is_send_sync::<aws_lite_fn::Context>();
    is_send_sync::<aws_lite_fn::operation::invoke::InvokeFluentBuilder>();
    is_send_sync::<std::sync::Arc<dyn LambdaApi>>();
}
