//! Every public handle is `Send + Sync` (and the builders `Send`).

fn send_sync<T: Send + Sync>() {}

#[test]
fn handles() {
    send_sync::<aws_lite_flow::Sfn>();
    send_sync::<aws_lite_flow::operation::start_execution::StartExecutionFluentBuilder>();
    send_sync::<aws_lite_flow::HistoryEvent>();
    send_sync::<aws_lite_flow::TaskError>();
    send_sync::<aws_lite_flow::objects::Objects>();
    send_sync::<aws_lite_flow::operation::describe_map_run::DescribeMapRunFluentBuilder>();
}
