//! Reading a child's output line by line without trusting it: a line longer than the limit
//! is cut (the rest up to its newline is read and dropped), so an adapter that floods its
//! output costs bounded memory and its line still surfaces as a clear protocol error.

use std::io::{BufRead, ErrorKind};

/// Longest line kept from an adapter's stdout: a verdict is a few hundred bytes, a library
/// message quoting a 400 KB token a little more.
pub const MAX_LINE: usize = 1 << 20;

/// What is kept of a line over the limit: its start, and how long it was.
fn cut(mut kept: Vec<u8>, total: usize) -> String {
    kept.truncate(200);
    format!("{}… (a line of {total} bytes, over the {MAX_LINE}-byte limit)", String::from_utf8_lossy(&kept))
}

/// The next line (without its newline), None at the end of the stream. Invalid UTF-8 is
/// replaced, never an error.
pub fn next_line(reader: &mut impl BufRead, max: usize) -> std::io::Result<Option<String>> {
    let mut line = Vec::new();
    let mut total = 0usize;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok((total > 0).then(|| finish(line, total, max)));
        }
        let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i)),
            None => (buf, None),
        };
        let room = (max + 1).saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        total += chunk.len();
        let used = found.map_or(chunk.len(), |i| i + 1);
        reader.consume(used);
        if found.is_some() {
            return Ok(Some(finish(line, total, max)));
        }
    }
}

fn finish(line: Vec<u8>, total: usize, max: usize) -> String {
    if total > max {
        return cut(line, total);
    }
    let mut s = String::from_utf8_lossy(&line).into_owned();
    if s.ends_with('\r') {
        s.pop();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::next_line;
    use proptest::prelude::*;

    fn all(bytes: &[u8], max: usize) -> Vec<String> {
        let mut r = std::io::BufReader::with_capacity(7, bytes);
        std::iter::from_fn(|| next_line(&mut r, max).unwrap()).collect()
    }

    #[test]
    fn lines_and_cut_lines() {
        assert_eq!(all(b"a\nbc\r\n\nlast", 10), vec!["a", "bc", "", "last"]);
        let long = all(&[b'x'; 50], 10);
        assert_eq!(long.len(), 1);
        assert!(long[0].contains("a line of 50 bytes"), "{}", long[0]);
        let after = all(&[&[b'y'; 30][..], b"\nok\n"].concat(), 10);
        assert_eq!(after[1], "ok", "the rest of a long line is dropped, the next line read whole");
    }

    proptest! {
        // The reader never panics, never keeps more than the limit (plus the note), and
        // gives back every short line as it was.
        #[test]
        fn any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000), max in 1usize..64) {
            for l in all(&bytes, max) {
                prop_assert!(l.len() <= max * 4 + 300);
            }
            let text: String = bytes.iter().map(|b| if *b == b'\n' || b.is_ascii_alphanumeric() { *b as char } else { 'a' }).collect();
            let want: Vec<&str> = text.split('\n').collect();
            let got = all(text.as_bytes(), 4096);
            let want = if text.ends_with('\n') || text.is_empty() { &want[..want.len() - 1] } else { &want[..] };
            prop_assert_eq!(got, want);
        }
    }
}
