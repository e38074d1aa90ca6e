//! The `crc32fast` API (CRC-32/ISO-HDLC, the checksum of zlib, gzip and
//! tantivy's file footers) as tantivy and flate2 use it.
//!
//! Natively the checksum is computed eight bytes at a time from tables built
//! at compile time (8 kB). The browser module never computes one (it only
//! reads an index), so there it is computed a bit at a time and the module
//! carries no table; the tests check that both give the same checksums.

use std::fmt;
use std::hash;

/// The reflected CRC-32 polynomial.
const POLY: u32 = 0xedb8_8320;

/// `TABLES[k][b]`: the CRC of byte `b` followed by `k` zero bytes.
#[cfg(not(target_arch = "wasm32"))]
static TABLES: [[u32; 256]; 8] = tables();

#[cfg(not(target_arch = "wasm32"))]
const fn tables() -> [[u32; 256]; 8] {
    let mut tables = [[0u32; 256]; 8];
    let mut b = 0;
    while b < 256 {
        let mut crc = b as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = (crc >> 1) ^ ((crc & 1).wrapping_neg() & POLY);
            bit += 1;
        }
        tables[0][b] = crc;
        b += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut b = 0;
        while b < 256 {
            let previous = tables[k - 1][b];
            tables[k][b] = (previous >> 8) ^ tables[0][(previous & 0xff) as usize];
            b += 1;
        }
        k += 1;
    }
    tables
}

/// `crc` (inverted, as the register holds it) after `bytes`, a bit at a time.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn update_bitwise(mut crc: u32, bytes: &[u8]) -> u32 {
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ ((crc & 1).wrapping_neg() & POLY);
        }
    }
    crc
}

/// `crc` (inverted, as the register holds it) after `bytes`, eight at a time.
#[cfg(not(target_arch = "wasm32"))]
fn update_sliced(mut crc: u32, bytes: &[u8]) -> u32 {
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        let low = crc ^ u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        crc = TABLES[7][(low & 0xff) as usize]
            ^ TABLES[6][((low >> 8) & 0xff) as usize]
            ^ TABLES[5][((low >> 16) & 0xff) as usize]
            ^ TABLES[4][(low >> 24) as usize]
            ^ TABLES[3][block[4] as usize]
            ^ TABLES[2][block[5] as usize]
            ^ TABLES[1][block[6] as usize]
            ^ TABLES[0][block[7] as usize];
    }
    for &byte in blocks.remainder() {
        crc = (crc >> 8) ^ TABLES[0][((crc ^ u32::from(byte)) & 0xff) as usize];
    }
    crc
}

fn update(checksum: u32, bytes: &[u8]) -> u32 {
    #[cfg(target_arch = "wasm32")]
    let crc = update_bitwise(!checksum, bytes);
    #[cfg(not(target_arch = "wasm32"))]
    let crc = update_sliced(!checksum, bytes);
    !crc
}

/// `a(x) * b(x)` modulo the polynomial, reflected.
fn multiply(a: u32, mut b: u32) -> u32 {
    let mut product = 0u32;
    for i in 0..32 {
        product ^= b & ((a >> (31 - i)) & 1).wrapping_neg();
        b = (b >> 1) ^ ((b & 1).wrapping_neg() & POLY);
    }
    product
}

/// `x^(8 * len)` modulo the polynomial, reflected: multiplying a checksum by
/// it appends `len` zero bytes.
fn zeros(mut len: u64) -> u32 {
    let mut power = 0x8000_0000; // x^0
    let mut square = 0x0080_0000; // x^8
    while len != 0 {
        if len & 1 != 0 {
            power = multiply(square, power);
        }
        square = multiply(square, square);
        len >>= 1;
    }
    power
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

    /// The checksum of this one's bytes followed by `other`'s.
    pub fn combine(&mut self, other: &Self) {
        self.amount += other.amount;
        self.state = multiply(zeros(other.amount), self.state) ^ other.state;
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
        (0..len).map(|i| (i * 7919 % 251) as u8 ^ (i >> 8) as u8).collect()
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
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099] {
            let data = bytes(len);
            assert_eq!(!update_bitwise(!0, &data), hash(&data), "{len} bytes");
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
