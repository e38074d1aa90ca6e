//! The `crc32fast` API (CRC-32/ISO-HDLC, the checksum of zlib, gzip and
//! tantivy's file footers) as tantivy and flate2 use it.
//!
//! The checksums are the `crc` crate's: natively sixteen bytes at a time from
//! tables built at compile time (16 kB). The browser module never computes one
//! (it only reads an index), so there they are computed a bit at a time and
//! the module carries no table; the tests check that both give the same
//! checksums.

use std::fmt;
use std::hash;

use crc::{Crc, CRC_32_ISO_HDLC};

#[cfg(not(target_arch = "wasm32"))]
type Tables = crc::Table<16>;
#[cfg(target_arch = "wasm32")]
type Tables = crc::NoTable;

static CRC: Crc<u32, Tables> = Crc::<u32, Tables>::new(&CRC_32_ISO_HDLC);

/// The checksum `checksum` continued over `bytes`. The register holds a
/// finished checksum's complement, and the crc crate takes a register's
/// starting value bit-reversed (the algorithm is reflected).
fn update(checksum: u32, bytes: &[u8]) -> u32 {
    let mut digest = CRC.digest_with_initial((!checksum).reverse_bits());
    digest.update(bytes);
    digest.finalize()
}

/// The checksum `checksum` continued over `len` zero bytes.
fn update_zeros(mut checksum: u32, mut len: u64) -> u32 {
    const ZEROS: [u8; 4096] = [0; 4096];
    while len > 0 {
        let n = len.min(ZEROS.len() as u64) as usize;
        checksum = update(checksum, &ZEROS[..n]);
        len -= n as u64;
    }
    checksum
}

/// The checksum of `bytes`.
pub fn hash(bytes: &[u8]) -> u32 {
    let mut hasher = Hasher::new();
    hasher.update(bytes);
    hasher.finalize()
}

/// A running checksum.
#[derive(Clone)]
pub struct Hasher {
    amount: u64,
    state: u32,
}

impl Hasher {
    pub fn new() -> Self {
        Self::new_with_initial(0)
    }

    /// Continues from the checksum `init`.
    pub fn new_with_initial(init: u32) -> Self {
        Self::new_with_initial_len(init, 0)
    }

    /// Continues from the checksum `init` of `amount` bytes.
    pub fn new_with_initial_len(init: u32, amount: u64) -> Self {
        Hasher {
            amount,
            state: init,
        }
    }

    #[doc(hidden)]
    pub fn internal_new_baseline(init: u32, amount: u64) -> Self {
        Self::new_with_initial_len(init, amount)
    }

    #[doc(hidden)]
    pub fn internal_new_specialized(_init: u32, _amount: u64) -> Option<Self> {
        None
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.amount += bytes.len() as u64;
        self.state = update(self.state, bytes);
    }

    /// How many bytes the checksum covers.
    pub fn total_len(&self) -> u64 {
        self.amount
    }

    pub fn finalize(self) -> u32 {
        self.state
    }

    pub fn reset(&mut self) {
        self.state = 0;
        self.amount = 0;
    }

    /// The checksum of this one's bytes followed by `other`'s. A checksum is
    /// linear in its bytes up to a constant for each length, so
    /// `crc(A B) = crc(A 0ⁿ) ^ crc(B) ^ crc(0ⁿ)` for `n` bytes of `B`. Nothing
    /// of ours calls it (flate2 offers it); it feeds the zeros rather than
    /// working the polynomial arithmetic by hand.
    pub fn combine(&mut self, other: &Self) {
        let padded = update_zeros(self.state, other.amount);
        self.state = padded ^ other.state ^ update_zeros(0, other.amount);
        self.amount += other.amount;
    }
}

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("crc32fast::Hasher").finish()
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

impl hash::Hasher for Hasher {
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes)
    }

    fn finish(&self) -> u64 {
        u64::from(self.clone().finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that are not all alike, of any length.
    fn bytes(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i * 7919 % 251) as u8 ^ (i >> 8) as u8)
            .collect()
    }

    #[test]
    fn known_checksums() {
        assert_eq!(hash(b""), 0);
        assert_eq!(hash(b"123456789"), 0xcbf4_3926);
        assert_eq!(hash(b"a"), 0xe8b7_be43);
        assert_eq!(
            hash(b"The quick brown fox jumps over the lazy dog"),
            0x414f_a339
        );
        assert_eq!(hash(&[0u8; 32]), 0x190a_55ad);
        assert_eq!(hash(&[0xffu8; 32]), 0xff6c_ab0b);
    }

    #[test]
    fn a_bit_at_a_time_is_the_same_checksum() {
        // What the browser module computes with, against the tables used natively.
        static BITWISE: Crc<u32, crc::NoTable> = Crc::<u32, crc::NoTable>::new(&CRC_32_ISO_HDLC);
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099] {
            let data = bytes(len);
            assert_eq!(BITWISE.checksum(&data), hash(&data), "{len} bytes");
            let (left, right) = data.split_at(len / 3);
            let mut resumed = BITWISE.digest_with_initial((!hash(left)).reverse_bits());
            resumed.update(right);
            assert_eq!(resumed.finalize(), hash(&data), "{len} bytes, resumed");
        }
    }

    #[test]
    fn pieces_and_combinations_give_the_whole_checksum() {
        let data = bytes(5000);
        let whole = hash(&data);
        for cut in [0, 1, 3, 8, 13, 999, 4096, 5000] {
            let (left, right) = data.split_at(cut);
            let mut running = Hasher::new();
            running.update(left);
            running.update(right);
            assert_eq!(running.clone().finalize(), whole);
            assert_eq!(running.total_len(), 5000);

            let mut first = Hasher::new();
            first.update(left);
            let mut second = Hasher::new();
            second.update(right);
            first.combine(&second);
            assert_eq!(first.finalize(), whole, "cut at {cut}");

            let mut resumed = Hasher::new_with_initial(hash(left));
            resumed.update(right);
            assert_eq!(resumed.finalize(), whole);
        }
        let mut reset = Hasher::new();
        reset.update(b"junk");
        reset.reset();
        reset.update(&data);
        assert_eq!(reset.finalize(), whole);
    }
}
