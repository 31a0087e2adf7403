//! Building blocks for the stateful fake servers (feature `fake`).
//!
//! Each client crate's fake server is a [`wiremock::MockServer`] with one
//! catch-all responder that keeps state behind a mutex and routes requests
//! itself. What they have in common lives here: request counting (a
//! [`RequestStats`](crate::RequestStats) keyed by operation), fault injection,
//! and helpers to read queries and build JSON answers.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// A failure a fake server can be told to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status and a short text body.
    Status(u16),
    /// Answer with this status and a `Retry-After: <seconds>` header.
    StatusRetryAfter(u16, u64),
    /// Wait this long before answering normally (past a client's timeout,
    /// this looks like a hung server).
    Hang(Duration),
    /// Answer 200 with a body that is not the service's JSON: the page a
    /// proxy, a captive portal or a web server on the wrong port sends.
    Garbage,
}

/// Faults queued per operation: the next N requests to an operation fail.
///
/// Clones share the queue, so a test keeps one clone and the server another.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    queued: Arc<Mutex<HashMap<String, VecDeque<Fault>>>>,
    always: Arc<Mutex<HashMap<String, Fault>>>,
}

impl Faults {
    /// No faults queued.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next `times` requests to `op` get `fault`. Use `"*"` for any
    /// operation.
    pub fn inject(&self, op: &str, fault: Fault, times: usize) {
        let mut queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
        queued
            .entry(op.to_owned())
            .or_default()
            .extend(std::iter::repeat_n(fault, times));
    }

    /// Every request to `op` (`"*"`: any operation) gets `fault` from now
    /// on, after any queued ones, until [`Faults::clear`].
    pub fn always(&self, op: &str, fault: Fault) {
        self.always
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(op.to_owned(), fault);
    }

    /// Takes the fault due for a request to `op`, if any.
    pub fn take(&self, op: &str) -> Option<Fault> {
        {
            let mut queued = self.queued.lock().unwrap_or_else(PoisonError::into_inner);
            for key in [op, "*"] {
                if let Some(fault) = queued.get_mut(key).and_then(VecDeque::pop_front) {
                    return Some(fault);
                }
            }
        }
        let always = self.always.lock().unwrap_or_else(PoisonError::into_inner);
        [op, "*"].iter().find_map(|key| always.get(*key).cloned())
    }

    /// Drops every queued and standing fault.
    pub fn clear(&self) {
        self.queued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        self.always
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}

impl Fault {
    /// Applies the fault: either a complete failing answer, or (for a hang)
    /// the delay to put on the normal answer.
    pub fn apply(&self) -> FaultEffect {
        match self {
            Self::Status(status) => FaultEffect::Respond(
                ResponseTemplate::new(*status).set_body_string(format!("injected fault {status}")),
            ),
            Self::StatusRetryAfter(status, secs) => FaultEffect::Respond(
                ResponseTemplate::new(*status)
                    .insert_header("Retry-After", secs.to_string().as_str())
                    .set_body_string(format!("injected fault {status}")),
            ),
            Self::Hang(delay) => FaultEffect::Delay(*delay),
            Self::Garbage => FaultEffect::Respond(
                ResponseTemplate::new(200)
                    .set_body_raw("<html><body><h1>It works!</h1></body></html>", "text/html"),
            ),
        }
    }
}

/// What an injected fault does to a request.
#[derive(Debug)]
pub enum FaultEffect {
    /// Answer with this instead of the normal answer.
    Respond(ResponseTemplate),
    /// Give the normal answer after this delay.
    Delay(Duration),
}

/// Starts a mock server that hands every request to `responder`.
///
/// Requests are not recorded: the fakes answer from their own state, and
/// benchmarks send tens of thousands of requests.
pub async fn serve(name: &str, responder: impl Respond + 'static) -> MockServer {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(responder)
        .named(name)
        .mount(&server)
        .await;
    server
}

/// The value of query parameter `name`, decoded.
pub fn query(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// The path split on `/`, without empty pieces.
pub fn segments(request: &Request) -> Vec<String> {
    request
        .url
        .path_segments()
        .map(|parts| {
            parts
                .filter(|p| !p.is_empty())
                .map(percent_decode)
                .collect()
        })
        .unwrap_or_default()
}

/// A header's value as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// A JSON answer.
pub fn json(status: u16, body: &serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// A small PNG of one colour, `width` x `height` pixels (each at least 1,
/// at most 2000): the images the fakes serve as posters and thumbnails. The
/// same arguments always give the same bytes. Written by hand (stored,
/// uncompressed deflate blocks) so the fakes need no image library; any PNG
/// decoder (browsers included) reads it.
pub fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let (width, height) = (width.clamp(1, 2000), height.clamp(1, 2000));
    // Each row: filter byte 0, then RGB triples.
    let mut row = Vec::with_capacity(1 + 3 * width as usize);
    row.push(0);
    for _ in 0..width {
        row.extend_from_slice(&rgb);
    }
    let raw = row.repeat(height as usize);
    // zlib: header, stored blocks of at most 65,535 bytes, Adler-32.
    let mut zlib = vec![0x78, 0x01];
    let mut blocks = raw.chunks(0xFFFF).peekable();
    while let Some(block) = blocks.next() {
        zlib.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in &raw {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());

    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits per channel, colour type 2 (RGB), deflate, no filter, no interlace.
    header.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", header), (b"IDAT", zlib), (b"IEND", Vec::new())] {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(&data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    out
}

/// The CRC-32 (IEEE) PNG chunks carry.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn percent_decode(piece: &str) -> String {
    let bytes = piece.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_is_a_valid_png_of_the_asked_size() {
        // The check value of CRC-32/ISO-HDLC, as in the PNG specification's sample code.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        let image = png(3, 2, [10, 20, 30]);
        assert_eq!(&image[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&image[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(image[16..20].try_into().unwrap()), 3);
        assert_eq!(u32::from_be_bytes(image[20..24].try_into().unwrap()), 2);
        assert!(image.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]));
        assert_eq!(image, png(3, 2, [10, 20, 30]));
        assert_ne!(image, png(3, 2, [10, 20, 31]));
    }

    #[test]
    fn faults_are_taken_in_order_then_run_out() {
        let faults = Faults::new();
        faults.inject("plex.move", Fault::Status(503), 2);
        faults.inject("*", Fault::Status(500), 1);
        assert_eq!(faults.take("plex.move"), Some(Fault::Status(503)));
        assert_eq!(faults.take("plex.move"), Some(Fault::Status(503)));
        assert_eq!(faults.take("plex.other"), Some(Fault::Status(500)));
        assert_eq!(faults.take("plex.move"), None);
        faults.always("plex.move", Fault::Garbage);
        faults.inject("plex.move", Fault::Status(401), 1);
        assert_eq!(faults.take("plex.move"), Some(Fault::Status(401)));
        assert_eq!(faults.take("plex.move"), Some(Fault::Garbage));
        assert_eq!(faults.take("plex.move"), Some(Fault::Garbage));
        assert_eq!(faults.take("plex.other"), None);
        faults.clear();
        assert_eq!(faults.take("plex.move"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("%aé"), "%aé");
        assert_eq!(percent_decode("%C3%A9t%C3%A9"), "été");
    }
}
