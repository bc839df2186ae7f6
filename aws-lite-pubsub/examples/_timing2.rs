//! temp
use aws_lite_pubsub::filter::*;
fn main() {
    let ev = r#"{"account":"123456789012","detail":{"count":13,"customer":"cust-1404","description":"An instance changed state; this text is long enough to be skipped.","flags":{"vip":true},"ip":"10.0.13.50","price":405.42,"state":"stopped","tags":["a","b","c"]},"detail-type":"type-2-42","id":"9c29a128fd9ef57c-1636f8e20698e92d","region":"ap-south-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"],"source":"svc-19","time":"2024-05-15T14:39:23Z","version":"0"}"#;
    let mut set = FilterSet::new(Dialect::EventBridge);
    let pats = [r#"{"source":["svc-1","svc-19"]}"#, r#"{"detail":{"state":["stopped"],"count":[{"numeric":[">",10,"<=",20]}]}}"#, r#"{"detail-type":[{"prefix":"type-2"}]}"#, r#"{"detail":{"customer":[{"suffix":"4"}]}}"#];
    for (i,p) in pats.iter().enumerate() { set.insert(i, Policy::parse(p, Dialect::EventBridge).unwrap()).unwrap(); }
    let mut x = 0; for _ in 0..5_000_000 { x += set.matches_str(std::hint::black_box(ev)).len(); }
    println!("{x}");
}
