//! Receipt handles: opaque text that names one receive of one message.
//!
//! A handle encodes the queue's incarnation, the message's slot and generation, and the receive it
//! came from, sealed with a keyed checksum so that text not minted by this queue (a typo, a handle
//! of another queue, a handle of a deleted-and-recreated queue) is recognised as invalid, as SQS
//! answers `ReceiptHandleIsInvalid`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

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

/// A keyed checksum over the handle's fields (three rounds of SplitMix64's finaliser): not
/// cryptographic, but no typo or handle of another queue incarnation passes it.
fn seal(secret: u64, queue_key: u64, slot: u32, epoch: u32, nonce: u32) -> u64 {
    let h = mix(secret ^ queue_key);
    let h = mix(h ^ ((u64::from(slot) << 32) | u64::from(epoch)));
    mix(h ^ u64::from(nonce) ^ secret.rotate_left(29))
}

/// Length of a minted handle's text: 29 bytes in padded base64.
pub(crate) const TEXT_LEN: usize = LEN.div_ceil(3) * 4;

/// The text of a receipt handle, kept inline (a receive allocates nothing per handle), or any
/// other text (the extended client's longer handles).
#[derive(Debug, Clone)]
pub(crate) enum HandleText {
    Minted([u8; TEXT_LEN]),
    Other(String),
}

impl HandleText {
    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Minted text is base64 output: ASCII, so always UTF-8.
            HandleText::Minted(b) => std::str::from_utf8(b).unwrap_or_default(),
            HandleText::Other(s) => s,
        }
    }
}

/// Mints handles for one queue incarnation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HandleCodec {
    pub(crate) queue_key: u64,
    pub(crate) secret: u64,
}

impl HandleCodec {
    #[cfg(test)]
    pub(crate) fn encode(&self, r: Receipt) -> String {
        self.encode_inline(r).as_str().to_string()
    }

    /// [`encode`](HandleCodec::encode) without allocating.
    pub(crate) fn encode_inline(&self, r: Receipt) -> HandleText {
        let mut buf = [0u8; LEN];
        buf[0] = VERSION;
        buf[1..9].copy_from_slice(&self.queue_key.to_le_bytes());
        buf[9..13].copy_from_slice(&r.slot.to_le_bytes());
        buf[13..17].copy_from_slice(&r.epoch.to_le_bytes());
        buf[17..21].copy_from_slice(&r.nonce.to_le_bytes());
        let tag = seal(self.secret, self.queue_key, r.slot, r.epoch, r.nonce);
        buf[21..29].copy_from_slice(&tag.to_le_bytes());
        // Standard base64, as SQS's own handles: no `-`, which the extended client libraries use
        // as a separator.
        let mut text = [0u8; TEXT_LEN];
        match STANDARD.encode_slice(buf, &mut text) {
            Ok(_) => HandleText::Minted(text),
            // Unreachable: TEXT_LEN is exactly the padded length of LEN bytes.
            Err(_) => HandleText::Other(STANDARD.encode(buf)),
        }
    }

    /// `None` when the text is not a handle this queue minted.
    pub(crate) fn decode(&self, text: &str) -> Option<Receipt> {
        let mut buf = [0u8; LEN + 2];
        let n = STANDARD.decode_slice(text.as_bytes(), &mut buf).ok()?;
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
        let r = Receipt {
            slot: word(9),
            epoch: word(13),
            nonce: word(17),
        };
        if u64::from_le_bytes(tag) != seal(self.secret, self.queue_key, r.slot, r.epoch, r.nonce) {
            return None;
        }
        Some(r)
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
