//! Memory held by an aws-lite queue per queued 100-byte message, beside the same messages in a
//! tokio mpsc channel and in a plain `Vec<String>` (the payload's floor).
//!
//! A counting global allocator (a wrapper around [`System`]) tracks the bytes currently
//! allocated and the number of live allocations. Each scenario records both after its setup
//! (runtime, service, queue), enqueues 1,000,000 messages, records them again, and prints the
//! difference per message and in total, with the peak reached on the way (vectors grow by
//! doubling, so the peak includes the copy made while one grows). Bytes are what the program
//! asked for; the allocator's own overhead (about 8–16 bytes per live allocation with glibc's
//! malloc) comes on top, which is why live allocations per message are printed too.
//!
//! Run with `cargo bench -p aws-lite-benches --bench queue_memory`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_lite_queue::Sqs;
use aws_lite_queue::operation::send_message_batch::SendMessageBatchRequestEntry;

/// Messages enqueued by each scenario.
const MESSAGES: usize = 1_000_000;
/// Bytes in every message body.
const BODY_LEN: usize = 100;
/// Message groups of the FIFO scenario.
const GROUPS: usize = 1_000;

/// Bytes currently allocated.
static BYTES: AtomicUsize = AtomicUsize::new(0);
/// The most bytes allocated at once since the last [`reset_peak`].
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Allocations currently live.
static BLOCKS: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, counting.
struct Counting;

fn grew(by: usize) {
    let now = BYTES.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(by: usize) {
    BYTES.fetch_sub(by, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` with the arguments it was given, so `System`'s
// guarantees are this allocator's; the counting touches only atomics and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which is `System`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
            BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
            BLOCKS.fetch_add(1, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by this allocator, hence by `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
        BLOCKS.fetch_sub(1, Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`; the caller upholds the rest.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocator state at one moment.
#[derive(Clone, Copy)]
struct Snapshot {
    bytes: usize,
    blocks: usize,
}

fn snapshot() -> Snapshot {
    Snapshot {
        bytes: BYTES.load(Ordering::Relaxed),
        blocks: BLOCKS.load(Ordering::Relaxed),
    }
}

fn reset_peak() {
    PEAK.store(BYTES.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// Prints one scenario's line: what `fill` kept allocated, per message and in total.
fn measure(name: &str, fill: impl FnOnce() -> Box<dyn std::any::Any>) {
    let before = snapshot();
    reset_peak();
    let held = fill();
    let after = snapshot();
    let peak = PEAK.load(Ordering::Relaxed) - before.bytes;
    let bytes = after.bytes.saturating_sub(before.bytes);
    let blocks = after.blocks.saturating_sub(before.blocks);
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    println!(
        "{name:<44} {:>9.1} B/msg {:>6.2} allocs/msg {:>9.1} MiB total {:>9.1} MiB peak",
        bytes as f64 / MESSAGES as f64,
        blocks as f64 / MESSAGES as f64,
        mib(bytes),
        mib(peak),
    );
    drop(black_box(held));
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime");
    let body = "m".repeat(BODY_LEN);
    println!(
        "memory held per queued {BODY_LEN}-byte message, {} messages queued (bytes requested from the allocator)",
        MESSAGES
    );

    // aws-lite standard queue, SendMessage one by one.
    let queue = rt.block_on(async {
        Sqs::new()
            .create_queue()
            .queue_name("memory")
            .send()
            .await
            .expect("CreateQueue")
            .queue()
    });
    measure("aws-lite standard (SendMessage)", || {
        rt.block_on(async {
            for _ in 0..MESSAGES {
                queue
                    .send_message()
                    .message_body(body.as_str())
                    .send()
                    .await
                    .expect("SendMessage");
            }
        });
        Box::new(())
    });
    assert_eq!(
        queue.metrics().approximate_number_of_messages_visible,
        MESSAGES as u64
    );
    drop(queue);

    // aws-lite FIFO queue, 1,000 groups, an explicit deduplication id per message (the 5-minute
    // deduplication window remembers every one of them).
    let fifo = rt.block_on(async {
        Sqs::new()
            .create_queue()
            .queue_name("memory.fifo")
            .attributes("FifoQueue", "true")
            .send()
            .await
            .expect("CreateQueue")
            .queue()
    });
    measure("aws-lite fifo, 1000 groups (SendMessageBatch)", || {
        rt.block_on(async {
            for start in (0..MESSAGES).step_by(10) {
                let entries = (start..start + 10)
                    .map(|i| {
                        SendMessageBatchRequestEntry::new(format!("{}", i - start), body.as_str())
                            .message_group_id(format!("g{}", i % GROUPS))
                            .message_deduplication_id(i.to_string())
                    })
                    .collect();
                let out = fifo
                    .send_message_batch()
                    .set_entries(Some(entries))
                    .send()
                    .await
                    .expect("SendMessageBatch");
                assert!(out.failed().is_empty());
            }
        });
        Box::new(())
    });
    assert_eq!(
        fifo.metrics().approximate_number_of_messages_visible,
        MESSAGES as u64
    );
    drop(fifo);

    // tokio mpsc, unbounded, the same bodies as `String`s.
    measure("tokio mpsc unbounded (String)", || {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        for _ in 0..MESSAGES {
            tx.send(body.clone()).expect("send");
        }
        Box::new((tx, rx))
    });

    // The floor: the bodies alone in a vector.
    measure("Vec<String> (payload floor)", || {
        let v: Vec<String> = (0..MESSAGES).map(|_| body.clone()).collect();
        Box::new(v)
    });
}
