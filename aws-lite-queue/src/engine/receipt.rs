//! Receipt handles: opaque text that names one receive of one message.
//!
//! A handle encodes the queue's incarnation, the message's slot and generation, and the receive it
//! came from, sealed with a keyed checksum so that text not minted by this queue (a typo, a handle
//! of another queue, a handle of a deleted-and-recreated queue) is recognised as invalid, as SQS
//! answers `ReceiptHandleIsInvalid`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The decoded parts of a receipt handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Receipt {
    pub(crate) slot: u32,
    pub(crate) epoch: u32,
    /// Which receive of the message minted this handle (its receive count at the time).
    pub(crate) nonce: u32,
}

const VERSION: u8 = 1;
const LEN: usize = 1 + 8 + 4 + 4 + 4 + 8;

#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn seal(secret: u64, body: &[u8]) -> u64 {
    let mut h = mix(secret ^ 0x5153_5f52_4543_4549);
    for chunk in body.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = mix(h ^ u64::from_le_bytes(word));
    }
    h
}

/// Mints handles for one queue incarnation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HandleCodec {
    pub(crate) queue_key: u64,
    pub(crate) secret: u64,
}

impl HandleCodec {
    pub(crate) fn encode(&self, r: Receipt) -> String {
        let mut buf = [0u8; LEN];
        buf[0] = VERSION;
        buf[1..9].copy_from_slice(&self.queue_key.to_le_bytes());
        buf[9..13].copy_from_slice(&r.slot.to_le_bytes());
        buf[13..17].copy_from_slice(&r.epoch.to_le_bytes());
        buf[17..21].copy_from_slice(&r.nonce.to_le_bytes());
        let tag = seal(self.secret, &buf[..21]);
        buf[21..29].copy_from_slice(&tag.to_le_bytes());
        URL_SAFE_NO_PAD.encode(buf)
    }

    /// `None` when the text is not a handle this queue minted.
    pub(crate) fn decode(&self, text: &str) -> Option<Receipt> {
        let mut buf = [0u8; LEN + 2];
        let n = URL_SAFE_NO_PAD
            .decode_slice(text.as_bytes(), &mut buf)
            .ok()?;
        if n != LEN || buf[0] != VERSION {
            return None;
        }
        let word =
            |a: usize| -> u32 { u32::from_le_bytes([buf[a], buf[a + 1], buf[a + 2], buf[a + 3]]) };
        let mut key = [0u8; 8];
        key.copy_from_slice(&buf[1..9]);
        if u64::from_le_bytes(key) != self.queue_key {
            return None;
        }
        let mut tag = [0u8; 8];
        tag.copy_from_slice(&buf[21..29]);
        if u64::from_le_bytes(tag) != seal(self.secret, &buf[..21]) {
            return None;
        }
        Some(Receipt {
            slot: word(9),
            epoch: word(13),
            nonce: word(17),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejections() {
        let c = HandleCodec {
            queue_key: 7,
            secret: 99,
        };
        let r = Receipt {
            slot: 3,
            epoch: 4,
            nonce: 5,
        };
        let h = c.encode(r);
        assert_eq!(c.decode(&h), Some(r));
        let other = HandleCodec {
            queue_key: 8,
            secret: 99,
        };
        assert_eq!(other.decode(&h), None);
        let resealed = HandleCodec {
            queue_key: 7,
            secret: 100,
        };
        assert_eq!(resealed.decode(&h), None);
        assert_eq!(c.decode("garbage"), None);
        assert_eq!(c.decode(""), None);
        let mut tampered = h.clone().into_bytes();
        tampered[12] = if tampered[12] == b'A' { b'B' } else { b'A' };
        assert_eq!(c.decode(std::str::from_utf8(&tampered).unwrap()), None);
    }
}
