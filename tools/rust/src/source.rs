// Deterministic incompressible bytes for the measurement tools (store_attachment_memory,
// vault_rekey_bench), generated as they are read: the source itself holds nothing, like a file
// streamed from disk.

use std::io::{self, Read};

pub struct Source {
    /// Bytes still to give.
    pub left: u64,
    /// xorshift64* state.
    pub state: u64,
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = (buf.len() as u64).min(self.left) as usize;
        for chunk in buf[..n].chunks_mut(8) {
            self.state ^= self.state >> 12;
            self.state ^= self.state << 25;
            self.state ^= self.state >> 27;
            let v = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        self.left -= n as u64;
        Ok(n)
    }
}
