//! A queue's life: create, look up, list, tag, share, find its dead-letter sources, delete, and
//! reuse the name after 60 seconds of virtual time.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::time::Duration;

use aws_lite_core::{Clock, Error};
use aws_lite_queue::attributes::QueueAttributeName as N;
use aws_lite_queue::{Queue, Sqs};

const NON_EXISTENT: &str = "AWS.SimpleQueueService.NonExistentQueue";
const NO_QUEUE: &str = "The specified queue does not exist.";

#[track_caller]
fn assert_err<T: Debug>(result: Result<T, Error>, code: &str, message: &str) {
    let err = result.expect_err("expected an error");
    assert_eq!((err.code(), err.message()), (code, message));
}

async fn queue(sqs: &Sqs, name: &str) -> Queue {
    sqs.create_queue()
        .queue_name(name)
        .send()
        .await
        .unwrap()
        .queue()
}

fn url(name: &str) -> String {
    format!("https://sqs.us-east-1.amazonaws.com/000000000000/{name}")
}

async fn policy(q: &Queue) -> Option<String> {
    q.get_queue_attributes()
        .attribute_names(N::Policy)
        .send()
        .await
        .unwrap()
        .attribute(N::Policy)
        .map(str::to_owned)
}

// ----- CreateQueue on an existing name -----

#[tokio::test(start_paused = true)]
async fn create_is_idempotent_for_the_same_attributes() {
    let sqs = Sqs::new();
    let first = sqs
        .create_queue()
        .queue_name("idem")
        .attributes("VisibilityTimeout", "40")
        .send()
        .await
        .unwrap();
    assert_eq!(first.queue_url(), url("idem"));
    let again = sqs
        .create_queue()
        .queue_name("idem")
        .attributes("VisibilityTimeout", "40")
        .send()
        .await
        .unwrap();
    assert_eq!(again.queue_url(), first.queue_url());
    // The same queue: a message sent through one handle is seen through the other.
    first
        .queue()
        .send_message()
        .message_body("x")
        .send()
        .await
        .unwrap();
    let got = again.queue().receive_message().send().await.unwrap();
    assert_eq!(got.messages().len(), 1);
    assert_err(
        sqs.create_queue()
            .queue_name("idem")
            .attributes("VisibilityTimeout", "41")
            .send()
            .await,
        "QueueAlreadyExists",
        "A queue already exists with the same name and a different value for attribute VisibilityTimeout",
    );
}

// ----- DeleteQueue -----

#[tokio::test(start_paused = true)]
async fn a_deleted_name_is_reserved_for_60_seconds() {
    let sqs = Sqs::new();
    let old = queue(&sqs, "reuse").await;
    old.send_message().message_body("old").send().await.unwrap();
    sqs.delete_queue()
        .queue_url(old.url())
        .send()
        .await
        .unwrap();
    let recently = "You must wait 60 seconds after deleting a queue before you can create another with the same name.";
    assert_err(
        sqs.create_queue().queue_name("reuse").send().await,
        "AWS.SimpleQueueService.QueueDeletedRecently",
        recently,
    );
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_err(
        sqs.create_queue().queue_name("reuse").send().await,
        "AWS.SimpleQueueService.QueueDeletedRecently",
        recently,
    );
    // Other names are free meanwhile.
    queue(&sqs, "reuse2").await;
    tokio::time::advance(Duration::from_secs(1)).await;
    let new = queue(&sqs, "reuse").await;
    assert_eq!(new.url(), old.url());
    // A new, empty queue; the old handle still names the deleted one.
    let got = new.receive_message().send().await.unwrap();
    assert!(got.messages().is_empty());
    assert_err(
        old.send_message().message_body("x").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    // Deleting through the old handle must not delete the new queue.
    assert_err(old.delete_queue().send().await, NON_EXISTENT, NO_QUEUE);
    new.send_message().message_body("new").send().await.unwrap();
    let got = sqs
        .receive_message()
        .queue_url(url("reuse"))
        .send()
        .await
        .unwrap();
    assert_eq!(got.messages()[0].body(), "new");
}

#[tokio::test(start_paused = true)]
async fn a_deleted_queue_answers_queue_does_not_exist() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "doomed").await;
    q.send_message().message_body("m").send().await.unwrap();
    q.delete_queue().send().await.unwrap();
    assert_err(
        q.send_message().message_body("x").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(q.receive_message().send().await, NON_EXISTENT, NO_QUEUE);
    assert_err(
        q.receive_message().wait_time_seconds(20).send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(q.purge_queue().send().await, NON_EXISTENT, NO_QUEUE);
    assert_err(q.list_queue_tags().send().await, NON_EXISTENT, NO_QUEUE);
    assert_err(
        q.tag_queue().tags("k", "v").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        q.untag_queue().tag_keys("k").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        q.add_permission()
            .label("l")
            .aws_account_ids("111122223333")
            .actions("SendMessage")
            .send()
            .await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        q.remove_permission().label("l").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        q.list_dead_letter_source_queues().send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(q.delete_queue().send().await, NON_EXISTENT, NO_QUEUE);
    // By URL and by name.
    assert_err(
        sqs.delete_queue().queue_url(url("doomed")).send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        sqs.get_queue_url().queue_name("doomed").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert!(
        sqs.list_queues()
            .send()
            .await
            .unwrap()
            .queue_urls()
            .is_empty()
    );
    let err = sqs.queue("doomed").unwrap_err();
    assert_eq!(err.code(), NON_EXISTENT);
    assert_eq!(err.shape(), "QueueDoesNotExist");
}

#[tokio::test(start_paused = true)]
async fn deleting_a_queue_ends_its_long_polls() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "polled").await;
    let clock = sqs.clock().clone();
    let start = clock.now();
    let pollers: Vec<_> = (0..3)
        .map(|_| {
            let q = q.clone();
            tokio::spawn(async move { q.receive_message().wait_time_seconds(20).send().await })
        })
        .collect();
    tokio::task::yield_now().await;
    tokio::time::advance(Duration::from_secs(3)).await;
    q.delete_queue().send().await.unwrap();
    for poller in pollers {
        assert_err(poller.await.unwrap(), NON_EXISTENT, NO_QUEUE);
    }
    // At once, not when the 20-second wait ran out.
    assert_eq!(clock.now() - start, Duration::from_secs(3));
}

// ----- GetQueueUrl -----

#[tokio::test(start_paused = true)]
async fn get_queue_url_by_name() {
    let sqs = Sqs::new();
    queue(&sqs, "lookup").await;
    sqs.create_queue()
        .queue_name("lookup.fifo")
        .attributes("FifoQueue", "true")
        .send()
        .await
        .unwrap();
    let got = sqs
        .get_queue_url()
        .queue_name("lookup")
        .send()
        .await
        .unwrap();
    assert_eq!(got.queue_url(), url("lookup"));
    let fifo = sqs
        .get_queue_url()
        .queue_name("lookup.fifo")
        .send()
        .await
        .unwrap();
    assert_eq!(fifo.queue_url(), url("lookup.fifo"));
    // The owner, named explicitly.
    let owned = sqs
        .get_queue_url()
        .queue_name("lookup")
        .queue_owner_aws_account_id("000000000000")
        .send()
        .await
        .unwrap();
    assert_eq!(owned.queue_url(), url("lookup"));
    // Another account, another case, another name.
    assert_err(
        sqs.get_queue_url()
            .queue_name("lookup")
            .queue_owner_aws_account_id("111122223333")
            .send()
            .await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        sqs.get_queue_url().queue_name("Lookup").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        sqs.get_queue_url().queue_name("missing").send().await,
        NON_EXISTENT,
        NO_QUEUE,
    );
    assert_err(
        sqs.get_queue_url().send().await,
        "MissingParameter",
        "The request must contain the parameter QueueName.",
    );
}

// ----- ListQueues -----

#[tokio::test(start_paused = true)]
async fn list_queues_by_prefix_sorted_by_name() {
    let sqs = Sqs::new();
    assert!(
        sqs.list_queues()
            .send()
            .await
            .unwrap()
            .queue_urls()
            .is_empty()
    );
    for name in ["orders-b", "billing", "orders-a", "Orders-c", "orders"] {
        queue(&sqs, name).await;
    }
    let everything = sqs.list_queues().send().await.unwrap();
    assert_eq!(
        everything.queue_urls(),
        ["Orders-c", "billing", "orders", "orders-a", "orders-b"].map(url)
    );
    assert_eq!(everything.next_token(), None);
    let orders = sqs
        .list_queues()
        .queue_name_prefix("orders")
        .send()
        .await
        .unwrap();
    assert_eq!(
        orders.queue_urls(),
        ["orders", "orders-a", "orders-b"].map(url)
    );
    let dash = sqs
        .list_queues()
        .queue_name_prefix("orders-")
        .send()
        .await
        .unwrap();
    assert_eq!(dash.queue_urls(), ["orders-a", "orders-b"].map(url));
    let none = sqs
        .list_queues()
        .queue_name_prefix("x")
        .send()
        .await
        .unwrap();
    assert!(none.queue_urls().is_empty());
    // The wire shape omits empty lists.
    assert_eq!(serde_json::to_string(&none).unwrap(), "{}");
    // Deleted queues vanish.
    sqs.delete_queue()
        .queue_url(url("orders-a"))
        .send()
        .await
        .unwrap();
    let after = sqs
        .list_queues()
        .queue_name_prefix("orders")
        .send()
        .await
        .unwrap();
    assert_eq!(after.queue_urls(), ["orders", "orders-b"].map(url));
}

#[tokio::test(start_paused = true)]
async fn list_queues_pages_with_max_results() {
    let sqs = Sqs::new();
    for i in 0..5 {
        queue(&sqs, &format!("q{i}")).await;
    }
    let first = sqs.list_queues().max_results(2).send().await.unwrap();
    assert_eq!(first.queue_urls(), ["q0", "q1"].map(url));
    let token = first.next_token().expect("a token while more remain");
    let second = sqs
        .list_queues()
        .max_results(2)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.queue_urls(), ["q2", "q3"].map(url));
    // A queue created behind the cursor is not seen; one ahead is.
    queue(&sqs, "q00").await;
    queue(&sqs, "q5").await;
    let third = sqs
        .list_queues()
        .max_results(2)
        .next_token(second.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(third.queue_urls(), ["q4", "q5"].map(url));
    assert_eq!(third.next_token(), None);
    // An exact fit: no token.
    let exact = sqs
        .list_queues()
        .queue_name_prefix("q0")
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(exact.queue_urls(), ["q0", "q00"].map(url));
    assert_eq!(exact.next_token(), None);
    let json = serde_json::to_value(&first).unwrap();
    assert_eq!(json["QueueUrls"][1], url("q1"));
    assert_eq!(json["NextToken"], token);

    let bad_max = "Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.";
    for max in [0, -1, 1001] {
        assert_err(
            sqs.list_queues().max_results(max).send().await,
            "InvalidParameterValue",
            bad_max,
        );
    }
    assert_err(
        sqs.list_queues()
            .max_results(1)
            .next_token("%%%")
            .send()
            .await,
        "InvalidParameterValue",
        "Invalid NextToken value.",
    );
}

#[tokio::test(start_paused = true)]
async fn list_queues_stops_at_1000_without_max_results() {
    let sqs = Sqs::new();
    for i in 0..1001 {
        queue(&sqs, &format!("bulk-{i:04}")).await;
    }
    let page = sqs.list_queues().send().await.unwrap();
    assert_eq!(page.queue_urls().len(), 1000);
    assert_eq!(page.queue_urls()[999], url("bulk-0999"));
    assert_eq!(page.next_token(), None);
    let paged = sqs.list_queues().max_results(1000).send().await.unwrap();
    assert_eq!(paged.queue_urls().len(), 1000);
    let rest = sqs
        .list_queues()
        .max_results(1000)
        .next_token(paged.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.queue_urls(), [url("bulk-1000")]);
    assert_eq!(rest.next_token(), None);
}

// ----- Tags -----

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test(start_paused = true)]
async fn tag_untag_and_list() {
    let sqs = Sqs::new();
    let q = sqs
        .create_queue()
        .queue_name("tagged")
        .tags("team", "core")
        .send()
        .await
        .unwrap()
        .queue();
    assert_eq!(
        q.list_queue_tags().send().await.unwrap().tags(),
        &tags(&[("team", "core")])
    );
    q.tag_queue()
        .tags("team", "edge")
        .tags("env", "prod")
        .tags("empty", "")
        .send()
        .await
        .unwrap();
    let listed = sqs
        .list_queue_tags()
        .queue_url(q.url())
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.tags(),
        &tags(&[("team", "edge"), ("env", "prod"), ("empty", "")])
    );
    assert_eq!(listed.tag("env"), Some("prod"));
    // Keys are case-sensitive.
    q.tag_queue().tags("Env", "dev").send().await.unwrap();
    assert_eq!(q.list_queue_tags().send().await.unwrap().tags().len(), 4);
    // Unknown keys are ignored.
    q.untag_queue()
        .tag_keys("env")
        .tag_keys("Env")
        .tag_keys("never-set")
        .send()
        .await
        .unwrap();
    assert_eq!(
        q.list_queue_tags().send().await.unwrap().tags(),
        &tags(&[("team", "edge"), ("empty", "")])
    );
    q.untag_queue()
        .tag_keys("team")
        .tag_keys("empty")
        .send()
        .await
        .unwrap();
    let none = q.list_queue_tags().send().await.unwrap();
    assert!(none.tags().is_empty());
    assert_eq!(serde_json::to_string(&none).unwrap(), "{}");
    // Tags do not modify the queue's attributes.
    let attrs = q
        .get_queue_attributes()
        .attribute_names("All")
        .send()
        .await
        .unwrap();
    assert_eq!(
        attrs.attribute(N::LastModifiedTimestamp),
        attrs.attribute(N::CreatedTimestamp)
    );
}

#[tokio::test(start_paused = true)]
async fn tag_errors_change_nothing() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "strict").await;
    q.tag_queue().tags("keep", "me").send().await.unwrap();
    let before = q.list_queue_tags().send().await.unwrap().tags().clone();
    assert_err(
        q.tag_queue().send().await,
        "MissingParameter",
        "The request must contain the parameter Tags.",
    );
    // 50 tags fit, counted with the ones already there; 51 do not.
    let mut request = q.tag_queue();
    for i in 0..50 {
        request = request.tags(format!("k{i:02}"), "v");
    }
    assert_err(
        request.send().await,
        "InvalidParameterValue",
        "Too many tags added for queue strict.",
    );
    let mut request = q.tag_queue().tags("keep", "overwritten");
    for i in 0..49 {
        request = request.tags(format!("k{i:02}"), "v");
    }
    request.send().await.unwrap();
    let full = q.list_queue_tags().send().await.unwrap();
    assert_eq!(full.tags().len(), 50);
    assert_eq!(full.tag("keep"), Some("overwritten"));
    assert_err(
        q.tag_queue().tags("one-more", "v").send().await,
        "InvalidParameterValue",
        "Too many tags added for queue strict.",
    );
    // Overwriting at the limit is fine.
    q.tag_queue().tags("keep", "me").send().await.unwrap();
    q.untag_queue()
        .set_tag_keys(Some((0..49).map(|i| format!("k{i:02}")).collect()))
        .send()
        .await
        .unwrap();
    assert_eq!(q.list_queue_tags().send().await.unwrap().tags(), &before);

    // A bad tag rejects the whole call.
    let key_len = "Tag keys must be between 1 and 128 characters in length.";
    for (key, value, message) in [
        ("", "v", key_len),
        (&*"k".repeat(129), "v", key_len),
        (
            "k",
            &*"v".repeat(257),
            "Tag values must be between 0 and 256 characters in length.",
        ),
        (
            "a*b",
            "v",
            "Tag keys and values can only contain Unicode letters, digits, white space, and any of the following: _ . : / = + - @",
        ),
        (
            "aws:owner",
            "v",
            "Tag keys and values must not begin with the reserved prefix aws:.",
        ),
    ] {
        assert_err(
            q.tag_queue()
                .tags("fine", "yes")
                .tags(key, value)
                .send()
                .await,
            "InvalidParameterValue",
            message,
        );
    }
    assert_eq!(q.list_queue_tags().send().await.unwrap().tags(), &before);
    assert_err(
        q.untag_queue().send().await,
        "InvalidParameterValue",
        key_len,
    );
    assert_err(
        q.untag_queue().tag_keys("keep").tag_keys("").send().await,
        "InvalidParameterValue",
        key_len,
    );
    assert_eq!(q.list_queue_tags().send().await.unwrap().tags(), &before);
}

// ----- AddPermission / RemovePermission -----

#[tokio::test(start_paused = true)]
async fn permissions_write_the_policy_sqs_writes() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "shared").await;
    let arn = "arn:aws:sqs:us-east-1:000000000000:shared";
    assert_eq!(policy(&q).await, None);
    tokio::time::advance(Duration::from_secs(10)).await;
    q.add_permission()
        .label("SendFromPartner")
        .aws_account_ids("111122223333")
        .actions("SendMessage")
        .send()
        .await
        .unwrap();
    let one = format!(
        r#"{{"Version":"2008-10-17","Id":"{arn}/SQSDefaultPolicy","Statement":[{{"Sid":"SendFromPartner","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"SQS:SendMessage","Resource":"{arn}"}}]}}"#
    );
    assert_eq!(policy(&q).await.as_deref(), Some(one.as_str()));
    // The change is a modification of the queue.
    let attrs = q
        .get_queue_attributes()
        .attribute_names("All")
        .send()
        .await
        .unwrap();
    let secs = |n| attrs.attribute(n).unwrap().parse::<u64>().unwrap();
    assert_eq!(
        secs(N::LastModifiedTimestamp),
        secs(N::CreatedTimestamp) + 10
    );

    // Several accounts and actions are arrays, in the order given.
    sqs.add_permission()
        .queue_url(q.url())
        .label("Consumers")
        .aws_account_ids("444455556666")
        .aws_account_ids("777788889999")
        .actions("ReceiveMessage")
        .actions("DeleteMessage")
        .actions("*")
        .send()
        .await
        .unwrap();
    let consumers = format!(
        r#"{{"Sid":"Consumers","Effect":"Allow","Principal":{{"AWS":["arn:aws:iam::444455556666:root","arn:aws:iam::777788889999:root"]}},"Action":["SQS:ReceiveMessage","SQS:DeleteMessage","SQS:*"],"Resource":"{arn}"}}"#
    );
    let two = format!(
        r#"{{"Version":"2008-10-17","Id":"{arn}/SQSDefaultPolicy","Statement":[{{"Sid":"SendFromPartner","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"SQS:SendMessage","Resource":"{arn}"}},{consumers}]}}"#
    );
    assert_eq!(policy(&q).await.as_deref(), Some(two.as_str()));

    // Labels are unique.
    assert_err(
        q.add_permission()
            .label("Consumers")
            .aws_account_ids("111122223333")
            .actions("GetQueueUrl")
            .send()
            .await,
        "InvalidParameterValue",
        "Value Consumers for parameter Label is invalid. Reason: Already exists.",
    );
    assert_eq!(policy(&q).await.as_deref(), Some(two.as_str()));

    // RemovePermission takes out the statement by label.
    q.remove_permission()
        .label("SendFromPartner")
        .send()
        .await
        .unwrap();
    let remaining = format!(
        r#"{{"Version":"2008-10-17","Id":"{arn}/SQSDefaultPolicy","Statement":[{consumers}]}}"#
    );
    assert_eq!(policy(&q).await.as_deref(), Some(remaining.as_str()));
    assert_err(
        q.remove_permission().label("SendFromPartner").send().await,
        "InvalidParameterValue",
        "Value SendFromPartner for parameter Label is invalid. Reason: can't find label on existing policy.",
    );
    // The last one takes the policy with it.
    sqs.remove_permission()
        .queue_url(q.url())
        .label("Consumers")
        .send()
        .await
        .unwrap();
    assert_eq!(policy(&q).await, None);
    assert_err(
        q.remove_permission().label("Consumers").send().await,
        "InvalidParameterValue",
        "Value Consumers for parameter Label is invalid. Reason: can't find label on existing policy.",
    );
}

#[tokio::test(start_paused = true)]
async fn add_permission_extends_a_policy_set_by_hand() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "custom").await;
    let arn = q.arn().to_owned();
    let own = format!(
        r#"{{"Version":"2012-10-17","Id":"mine","Statement":{{"Sid":"Topic","Effect":"Allow","Principal":{{"Service":"sns.amazonaws.com"}},"Action":"sqs:SendMessage","Resource":"{arn}"}}}}"#
    );
    q.set_queue_attributes()
        .attributes("Policy", &own)
        .send()
        .await
        .unwrap();
    assert_err(
        q.add_permission()
            .label("Topic")
            .aws_account_ids("111122223333")
            .actions("SendMessage")
            .send()
            .await,
        "InvalidParameterValue",
        "Value Topic for parameter Label is invalid. Reason: Already exists.",
    );
    q.add_permission()
        .label("Reader")
        .aws_account_ids("111122223333")
        .actions("ReceiveMessage")
        .send()
        .await
        .unwrap();
    let merged = format!(
        r#"{{"Version":"2012-10-17","Id":"mine","Statement":[{{"Sid":"Topic","Effect":"Allow","Principal":{{"Service":"sns.amazonaws.com"}},"Action":"sqs:SendMessage","Resource":"{arn}"}},{{"Sid":"Reader","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"SQS:ReceiveMessage","Resource":"{arn}"}}]}}"#
    );
    assert_eq!(policy(&q).await.as_deref(), Some(merged.as_str()));
    // A hand-written statement can be removed by its Sid.
    q.remove_permission().label("Topic").send().await.unwrap();
    let left = format!(
        r#"{{"Version":"2012-10-17","Id":"mine","Statement":[{{"Sid":"Reader","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"SQS:ReceiveMessage","Resource":"{arn}"}}]}}"#
    );
    assert_eq!(policy(&q).await.as_deref(), Some(left.as_str()));
}

#[tokio::test(start_paused = true)]
async fn add_permission_errors_change_nothing() {
    let sqs = Sqs::new();
    let q = queue(&sqs, "guarded").await;
    let ok = || {
        q.add_permission()
            .label("ok")
            .aws_account_ids("111122223333")
            .actions("SendMessage")
    };
    assert_err(
        ok().label("").send().await,
        "MissingParameter",
        "The request must contain the parameter Label.",
    );
    for bad in ["has space", "dot.ted", "x".repeat(81).as_str()] {
        assert_err(
            ok().label(bad).send().await,
            "InvalidParameterValue",
            &format!(
                "Value {bad} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length."
            ),
        );
    }
    assert_err(
        ok().set_actions(None).send().await,
        "MissingParameter",
        "The request must contain the parameter Actions.",
    );
    assert_err(
        ok().set_aws_account_ids(None).send().await,
        "InvalidParameterValue",
        "Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.",
    );
    assert_err(
        ok().aws_account_ids("12345").send().await,
        "InvalidParameterValue",
        "Value [12345] for parameter PrincipalId is invalid. Reason: Unable to verify.",
    );
    let eight = [
        "ChangeMessageVisibility",
        "DeleteMessage",
        "GetQueueAttributes",
        "GetQueueUrl",
        "ListDeadLetterSourceQueues",
        "PurgeQueue",
        "ReceiveMessage",
        "SendMessage",
    ];
    let err = ok()
        .set_actions(Some(eight.map(String::from).to_vec()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.message(), err.status()),
        (
            "OverLimit",
            "8 Actions were found, maximum allowed is 7.",
            403
        )
    );
    for owner_only in [
        "RemovePermission",
        "AddPermission",
        "SetQueueAttributes",
        "DeleteQueue",
    ] {
        assert_err(
            ok().actions(owner_only).send().await,
            "InvalidParameterValue",
            &format!(
                "Value SQS:{owner_only} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action."
            ),
        );
    }
    assert_err(
        ok().actions("Dance").send().await,
        "InvalidParameterValue",
        "Value SQS:Dance for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions. ",
    );
    // Nothing was written.
    assert_eq!(policy(&q).await, None);
    assert_err(
        q.remove_permission().send().await,
        "MissingParameter",
        "The request must contain the parameter Label.",
    );
    // Seven actions are fine.
    ok().set_actions(Some(eight[..7].iter().map(|a| a.to_string()).collect()))
        .send()
        .await
        .unwrap();
    assert!(policy(&q).await.is_some());
}

// ----- ListDeadLetterSourceQueues -----

async fn redrive_to(source: &Queue, dlq: &Queue) {
    source
        .set_queue_attributes()
        .attributes(
            "RedrivePolicy",
            format!(
                r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":3}}"#,
                dlq.arn()
            ),
        )
        .send()
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn dead_letter_sources_are_listed() {
    let sqs = Sqs::new();
    let dlq = queue(&sqs, "dlq").await;
    let other_dlq = queue(&sqs, "other-dlq").await;
    let empty = dlq.list_dead_letter_source_queues().send().await.unwrap();
    assert!(empty.queue_urls().is_empty());
    assert_eq!(
        serde_json::to_string(&empty).unwrap(),
        r#"{"queueUrls":[]}"#
    );
    for name in ["src-c", "src-a", "src-b"] {
        redrive_to(&queue(&sqs, name).await, &dlq).await;
    }
    let unrelated = queue(&sqs, "src-z").await;
    redrive_to(&unrelated, &other_dlq).await;
    queue(&sqs, "plain").await;

    let all = sqs
        .list_dead_letter_source_queues()
        .queue_url(dlq.url())
        .send()
        .await
        .unwrap();
    assert_eq!(all.queue_urls(), ["src-a", "src-b", "src-c"].map(url));
    assert_eq!(all.next_token(), None);
    let json = serde_json::to_value(&all).unwrap();
    assert_eq!(json["queueUrls"][0], url("src-a"));
    assert_eq!(
        other_dlq
            .list_dead_letter_source_queues()
            .send()
            .await
            .unwrap()
            .queue_urls(),
        [url("src-z")]
    );

    // Paging.
    let first = dlq
        .list_dead_letter_source_queues()
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.queue_urls(), ["src-a", "src-b"].map(url));
    let second = dlq
        .list_dead_letter_source_queues()
        .max_results(2)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(second.queue_urls(), [url("src-c")]);
    assert_eq!(second.next_token(), None);
    assert_err(
        dlq.list_dead_letter_source_queues()
            .max_results(0)
            .send()
            .await,
        "InvalidParameterValue",
        "Value for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.",
    );

    // Sources come and go with their RedrivePolicy and their life.
    sqs.queue("src-b")
        .unwrap()
        .set_queue_attributes()
        .attributes("RedrivePolicy", "")
        .send()
        .await
        .unwrap();
    sqs.queue("src-c")
        .unwrap()
        .delete_queue()
        .send()
        .await
        .unwrap();
    redrive_to(&unrelated, &dlq).await;
    let now = dlq.list_dead_letter_source_queues().send().await.unwrap();
    assert_eq!(now.queue_urls(), ["src-a", "src-z"].map(url));

    assert_err(
        sqs.list_dead_letter_source_queues()
            .queue_url(url("missing"))
            .send()
            .await,
        NON_EXISTENT,
        NO_QUEUE,
    );
}
