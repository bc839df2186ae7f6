//! temp
use aws_lite_pubsub::filter::*;
fn main() {
    let ev = r#"{"employees": [[{"firstName": "John", "lastName": "Doe", "ids": [1234, 1000, 9999]}, {"firstName": "Anna", "lastName": "Smith"}], [{"firstName": "Peter", "lastName": "Jones", "ids": []}]]}"#;
    let mut set = FilterSet::new(Dialect::EventBridge);
    set.insert(0, Policy::parse(r#"{"employees": {"firstName": ["Anna"]}}"#, Dialect::EventBridge).unwrap()).unwrap();
    println!("{:?} {}", set.matches_str(ev), set.flatten_only(ev));
    let ev2 = r#"{"employees": [{"firstName": "Anna"}]}"#;
    println!("{:?} {}", set.matches_str(ev2), set.flatten_only(ev2));
    let ev3 = r#"{"employees":[[{"firstName":"John","ids":[1234,1000,9999]},{"firstName":"Anna","lastName":"Smith"}],[{"firstName":"Peter","lastName":"Jones","ids":[]}]]}"#;
    println!("{:?} {}", set.matches_str(ev3), set.flatten_only(ev3));
}
