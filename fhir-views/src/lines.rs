//! Splitting a byte stream into lines that borrow from one reused buffer, so a line is not
//! copied on its way to the decoder (`BufRead::read_until` copies every line once more).

use std::io::{self, Read};

/// Size of the buffer; a longer line grows it (to that line's length, then it stays).
const CHUNK: usize = 256 * 1024;

/// The lines of a reader, each with its `\n` (the last one without, when the input does not
/// end with one).
pub struct Lines<R> {
    reader: R,
    buf: Vec<u8>,
    /// The unread bytes are `buf[start..end]`.
    start: usize,
    end: usize,
    /// Bytes after `start` already known to hold no `\n`.
    scanned: usize,
    eof: bool,
}

impl<R: Read> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            buf: vec![0; CHUNK],
            start: 0,
            end: 0,
            scanned: 0,
            eof: false,
        }
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<&[u8]>> {
        loop {
            let from = self.start + self.scanned;
            if let Some(at) = memchr::memchr(b'\n', &self.buf[from..self.end]) {
                let line = self.start..from + at + 1;
                self.start = line.end;
                self.scanned = 0;
                return Ok(Some(&self.buf[line]));
            }
            self.scanned = self.end - self.start;
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let line = self.start..self.end;
                self.start = self.end;
                self.scanned = 0;
                return Ok(Some(&self.buf[line]));
            }
            self.refill()?;
        }
    }

    /// Moves the partial line to the front (growing the buffer when it fills it) and reads
    /// more after it.
    fn refill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its input a few bytes at a time, as a slow pipe or a gzip stream may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(out.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn all(input: &[u8], step: usize) -> Vec<Vec<u8>> {
        let mut lines = Lines::new(Trickle(input, step));
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().expect("in-memory input") {
            out.push(line.to_vec());
        }
        out
    }

    #[test]
    fn splits_like_read_until() {
        let long = "x".repeat(3 * CHUNK + 17);
        let input = format!("a\n\nbc\r\n{long}\nlast");
        let expected: Vec<Vec<u8>> = {
            let mut v = Vec::new();
            let mut rest = input.as_bytes();
            while !rest.is_empty() {
                let n = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(rest.len(), |i| i + 1);
                v.push(rest[..n].to_vec());
                rest = &rest[n..];
            }
            v
        };
        for step in [1, 3, 4096, CHUNK, usize::MAX] {
            assert_eq!(all(input.as_bytes(), step), expected, "step {step}");
        }
        assert!(all(b"", 7).is_empty());
        assert_eq!(all(b"\n", 7), vec![b"\n".to_vec()]);
    }
}
