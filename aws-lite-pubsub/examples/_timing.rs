//! temp
use aws_lite_pubsub::filter::*;
#[allow(clippy::disallowed_methods)]
fn main() {
    let ev = r#"{"account":"123456789012","detail":{"count":13,"customer":"cust-1404","description":"An instance changed state; this text is long enough to be skipped.","flags":{"vip":true},"ip":"10.0.13.50","price":405.42,"state":"stopped","tags":["a","b","c"]},"detail-type":"type-2-42","id":"9c29a128fd9ef57c-1636f8e20698e92d","region":"ap-south-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"],"source":"svc-19","time":"2024-05-15T14:39:23Z","version":"0"}"#;
    let mut set = FilterSet::new(Dialect::EventBridge);
    let pats = [r#"{"source":["svc-1","svc-19"]}"#, r#"{"detail":{"state":["stopped"],"count":[{"numeric":[">",10,"<=",20]}]}}"#, r#"{"detail-type":[{"prefix":"type-2"}]}"#, r#"{"detail":{"customer":[{"suffix":"4"}]}}"#];
    for (i,p) in pats.iter().enumerate() { set.insert(i, Policy::parse(p, Dialect::EventBridge).unwrap()).unwrap(); }
    let n = 2_000_000;
    let t = std::time::Instant::now();
    let mut x = 0; for _ in 0..n { x += set.flatten_only(std::hint::black_box(ev)); }
    println!("flatten {:?}/iter {x}", t.elapsed()/n);
    let t = std::time::Instant::now();
    let mut x = 0; for _ in 0..n { x += set.matches_str(std::hint::black_box(ev)).len(); }
    println!("match {:?}/iter {x}", t.elapsed()/n);
    let t = std::time::Instant::now();
    let mut x = 0; for _ in 0..n { x += serde_json::from_str::<serde_json::Value>(std::hint::black_box(ev)).map(|v| v.as_object().map(|o| o.len()).unwrap_or(0)).unwrap_or(0); }
    println!("serde_json parse {:?}/iter {x}", t.elapsed()/n);
    let empty: FilterSet<usize> = FilterSet::new(Dialect::EventBridge);
    let t = std::time::Instant::now();
    let mut x = 0; for _ in 0..n { x += empty.flatten_only(std::hint::black_box(ev)); }
    println!("flatten empty trie {:?}/iter {x}", t.elapsed()/n);
    let mut q = quamina::Quamina::<usize>::new();
    for (i,p) in pats.iter().enumerate() { q.add_pattern(i, p).unwrap(); }
    let t = std::time::Instant::now();
    let mut x = 0; for _ in 0..n { x += q.flatten_only(std::hint::black_box(ev.as_bytes())).unwrap(); }
    println!("quamina flatten {:?}/iter {x}", t.elapsed()/n);
    let t = std::time::Instant::now();
    let mut x = 0; for _ in 0..n { x += q.matches_for_event(std::hint::black_box(ev.as_bytes())).unwrap().len(); }
    println!("quamina match {:?}/iter {x}", t.elapsed()/n);
}
fn quamina_stub() {}
