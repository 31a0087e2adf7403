//! A tiny reverse proxy serving a server under a sub-path, as nginx
//! `location /curator/ { proxy_pass http://curator:7979/; }` and Traefik's
//! StripPrefix middleware do: a request for `/curator/live` reaches the
//! server as `/live`, with its `Host` as it came (Traefik's default);
//! anything outside the prefix gets 404 from the proxy itself. One request
//! per connection (`Connection: close` both ways), which is all a test
//! needs.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running proxy; it stops with the test's runtime.
pub(crate) struct StripPrefix {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub(crate) base: String,
    /// Every request line the server received, as the proxy sent it.
    pub(crate) forwarded: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl StripPrefix {
    /// Serves `upstream` (`127.0.0.1:PORT`) under `prefix` (`/curator`).
    pub(crate) async fn start(upstream: String, prefix: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let forwarded = std::sync::Arc::default();
        let log = std::sync::Arc::clone(&forwarded);
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let log = std::sync::Arc::clone(&log);
                tokio::spawn(async move {
                    let _ = forward(client, &upstream, prefix, &log).await;
                });
            }
        });
        Self { base, forwarded }
    }
}

/// One request: its head rewritten (the prefix taken off the path,
/// `Connection: close`), its body as it came, the answer as it came.
async fn forward(
    mut client: TcpStream,
    upstream: &str,
    prefix: &str,
    log: &std::sync::Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).await? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.splitn(3, ' ');
    let (method, target, version) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let stripped = match target.strip_prefix(prefix) {
        Some(rest) if rest.is_empty() || rest.starts_with('?') => format!("/{rest}"),
        Some(rest) if rest.starts_with('/') => rest.to_owned(),
        _ => {
            client
                .write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n",
                )
                .await?;
            return Ok(());
        }
    };
    let mut length = 0usize;
    let mut out = format!("{method} {stripped} {version}\r\n");
    log.lock().unwrap().push(format!("{method} {stripped}"));
    for line in lines.filter(|l| !l.is_empty()) {
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if name == "connection" {
            continue;
        }
        if name == "content-length" {
            length = line[line.find(':').unwrap() + 1..]
                .trim()
                .parse()
                .unwrap_or(0);
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut body = vec![0u8; length];
    client.read_exact(&mut body).await?;
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(out.as_bytes()).await?;
    server.write_all(&body).await?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer).await?;
    client.write_all(&answer).await?;
    client.shutdown().await
}
