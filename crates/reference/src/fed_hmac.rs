//! HMAC-SHA1 (§3.4.2, RFC 2104) for a signer that hashes the base string while it writes it:
//! each 64-octet block once half a block more is written after it ([`FEED_LAG`]), in place in
//! the signer's buffer, and the rest at the end.
//!
//! Why not the `hmac` crate, which [`crate::signature::hmac_signature`] uses: SHA-1's rounds
//! are one chain of dependent instructions that leaves most of the core idle. Hashed between
//! the writes of the base string, they can run beside the writing; hashed after it, they wait for
//! it. That needs the hash state left where the block function keeps it. Measured on the
//! §3.4.1 request (AMD EPYC with SHA-NI): the crate's buffered `update`, given the base string
//! in the pieces it is written in, copies each piece into a block of its own first and made a
//! signature about 100 ns slower; its core (`HmacCore`), blocks straight from the buffer, moves
//! the states between calls and was slower too (about 85 ns); this module took the interleaved
//! signature ÷ floor from 2.09–2.10 to 2.06–2.08, and the header's from 2.30–2.33 to 2.20–2.22
//! (the middle of 8 runs, in three batches). The block function is the `sha1` crate's own; only
//! RFC 2104's two passes and FIPS 180-4's padding are written here, and the tests hold them to
//! RFC 2202 and to the `hmac` crate.
//!
//! HMAC-SHA256 and -SHA512, which RFC 5849 does not define, hash the finished base string.

use hmac::digest::generic_array::GenericArray;
use sha1::Digest as _;

use crate::signature::Base64Mac;

/// SHA-1's block size in octets (RFC 2104's B).
const BLOCK: usize = 64;

/// SHA-1's initial hash value (FIPS 180-4 §5.3.1).
const INITIAL: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];

/// How many of the octets written last [`Sha1WhileWritten::feed`] leaves for a later call:
/// a block is hashed once half a block more has been written after it, not as soon as it is
/// whole. Measured on the §3.4.1 request (AMD EPYC with SHA-NI, interleaved, the middle of 8
/// runs of 5 passes, in three batches against hashing each block as soon as it is whole):
/// signature ÷ floor 2.10 → 1.98, 2.10 → 1.98 and 2.05 → 1.99, header 2.32 → 2.25, 2.34 → 2.18
/// and 2.29 → 2.20; in 5 runs of 3 passes, the `typical` request's signature 2.21 → 2.11,
/// `large-form`'s 3.00 → 2.95, `tiny`'s and `unicode`'s within 0.02. A lag of a quarter block
/// measured 2.02, three quarters 1.98, a block 2.02–2.05 and two blocks 2.12. Why is not
/// established: this machine has no performance counters to show it.
const FEED_LAG: usize = BLOCK / 2;

/// RFC 2104 §2: the inner and outer pads' octets.
const IPAD: u8 = 0x36;
const OPAD: u8 = 0x5C;

/// HMAC-SHA1 in progress: the state after the inner padded key, how many octets of the message
/// it has hashed since, and the outer padded key's block.
///
/// The outer padded key is hashed by [`Self::finish`], not when the key is given: there its
/// block runs beside the inner hash's last one, which it does not depend on. Measured on the
/// §3.4.1 request against hashing it right after the inner padded key (interleaved, the middle
/// of 8 runs of 5 passes): signature ÷ floor 2.03 → 2.01, header 2.28 → 2.24; hashed between
/// the query and the body, or before the parameters are sorted, it measured slower than both.
pub(crate) struct Sha1WhileWritten {
    inner: [u32; 5],
    hashed: usize,
    outer_block: [u8; BLOCK],
}

impl Sha1WhileWritten {
    /// Keyed with `key`.
    pub(crate) fn new(key: &[u8]) -> Self {
        // RFC 2104 §2 step 1: a key longer than a block is hashed first, and the key is padded
        // with zeros to a block.
        let mut padded = [0; BLOCK];
        match padded.get_mut(..key.len()) {
            Some(start) => start.copy_from_slice(key),
            None => {
                if let Some(start) = padded.get_mut(..20) {
                    start.copy_from_slice(&sha1::Sha1::digest(key));
                }
            }
        }
        let mut inner = INITIAL;
        compress(&mut inner, &padded.map(|octet| octet ^ IPAD));
        Self { inner, hashed: 0, outer_block: padded.map(|octet| octet ^ OPAD) }
    }

    /// Hashes the whole blocks of `written`, the message so far, that are not hashed yet and
    /// lie at least [`FEED_LAG`] octets before its end.
    pub(crate) fn feed(&mut self, written: &[u8]) {
        let ready = written.len().saturating_sub(FEED_LAG);
        let whole = ready - ready % BLOCK;
        if whole > self.hashed {
            for block in written.get(self.hashed..whole).unwrap_or_default().chunks_exact(BLOCK) {
                compress(&mut self.inner, block);
            }
            self.hashed = whole;
        }
    }

    /// Writes the MAC of `message`, of which [`Self::feed`] was given prefixes only, into `mac`
    /// in base64.
    pub(crate) fn finish(mut self, message: &[u8], mac: &mut Base64Mac) {
        let mut outer = INITIAL;
        compress(&mut outer, &self.outer_block);
        let rest = message.get(self.hashed..).unwrap_or_default();
        hash_last(&mut self.inner, rest, BLOCK + message.len());
        let inner = digest(&self.inner);
        hash_last(&mut outer, &inner, BLOCK + inner.len());
        mac.set_base64_of(&digest(&outer));
    }
}

/// SHA-1's block function on one block of [`BLOCK`] octets.
fn compress(state: &mut [u32; 5], block: &[u8]) {
    sha1::compress(state, core::slice::from_ref(GenericArray::from_slice(block)));
}

/// The state's words, big-endian: the hash (FIPS 180-4 §6.1.2).
fn digest(state: &[u32; 5]) -> [u8; 20] {
    let mut octets = [0; 20];
    for (word, octets) in state.iter().zip(octets.chunks_exact_mut(4)) {
        octets.copy_from_slice(&word.to_be_bytes());
    }
    octets
}

/// Hashes `rest`, the end of a message of `total` octets, into `state`, and the padding of
/// FIPS 180-4 §5.1.1: `0x80`, zeros, and the length in bits in 64 bits, to a whole block.
fn hash_last(state: &mut [u32; 5], rest: &[u8], total: usize) {
    let blocks = rest.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    blocks.for_each(|block| compress(state, block));
    let mut last = [0; 2 * BLOCK];
    // The length takes the last 8 octets: after more than 55 octets, in a block of its own.
    let len = if tail.len() < BLOCK - 8 { BLOCK } else { 2 * BLOCK };
    let last = last.get_mut(..len).unwrap_or_default();
    if let Some(start) = last.get_mut(..tail.len()) {
        start.copy_from_slice(tail);
    }
    if let Some(marker) = last.get_mut(tail.len()) {
        *marker = 0x80;
    }
    let bits = (total as u64).wrapping_mul(8);
    if let Some(length) = last.get_mut(len - 8..) {
        length.copy_from_slice(&bits.to_be_bytes());
    }
    last.chunks_exact(BLOCK).for_each(|block| compress(state, block));
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    use proptest::prelude::*;

    /// The MAC of `message` under `key`, fed prefixes `steps` octets longer each time.
    fn fed(key: &[u8], message: &[u8], steps: &[usize]) -> Vec<u8> {
        let mut hmac = Sha1WhileWritten::new(key);
        let mut written = 0;
        for step in steps {
            written = (written + step).min(message.len());
            hmac.feed(message.get(..written).unwrap_or_default());
        }
        let mut mac = Base64Mac::new();
        hmac.finish(message, &mut mac);
        BASE64.decode(mac.as_bytes()).unwrap()
    }

    fn hex(octets: &[u8]) -> String {
        octets.iter().map(|octet| format!("{octet:02x}")).collect()
    }

    /// RFC 2202 §3 test cases 1, 2, 6 and 7 (6 and 7 have a key longer than a block), the
    /// message fed in every step size.
    #[test]
    fn rfc2202_test_cases() {
        let long_key = [0xaa; 80];
        let cases: [(&[u8], &[u8], &str); 4] = [
            (&[0x0b; 20], b"Hi There", "b617318655057264e28bc0b6fb378c8ef146be00"),
            (b"Jefe", b"what do ya want for nothing?", "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
            (
                &long_key,
                b"Test Using Larger Than Block-Size Key - Hash Key First",
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            ),
            (
                &long_key,
                b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data",
                "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
            ),
        ];
        for (key, message, expected) in cases {
            for step in 0..=80 {
                assert_eq!(hex(&fed(key, message, &[step; 100])), expected, "step {step}");
            }
        }
    }

    proptest! {
        /// Every key and message length around the block and padding boundaries, fed in any
        /// pieces, gives the `hmac` crate's MAC.
        #[test]
        fn agrees_with_the_hmac_crate(
            key in proptest::collection::vec(any::<u8>(), 0..200),
            message in proptest::collection::vec(any::<u8>(), 0..400),
            steps in proptest::collection::vec(0usize..150, 0..12),
        ) {
            let mut library = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
            library.update(&message);
            prop_assert_eq!(fed(&key, &message, &steps), library.finalize().into_bytes().to_vec());
        }
    }
}
