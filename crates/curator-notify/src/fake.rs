//! A fake SMTP server for tests (feature `fake`): it speaks enough SMTP for
//! a client to deliver a message (greeting, `EHLO` with `AUTH PLAIN`,
//! `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`, `DATA` ended by a lone `.`,
//! `QUIT`; RFC 5321 and RFC 4954) and keeps what it was given.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One delivered message, as the server saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    /// The `EHLO` argument.
    pub ehlo: String,
    /// The `AUTH PLAIN` initial response, base64 as sent.
    pub auth: Option<String>,
    /// The `MAIL FROM` address.
    pub from: String,
    /// The `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message (headers and body) as sent between `DATA` and `.`.
    pub data: String,
}

/// A fake SMTP server on 127.0.0.1, serving until dropped.
#[derive(Debug)]
pub struct FakeSmtp {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeSmtp {
    /// Starts it on a free port.
    ///
    /// # Panics
    /// When no port can be bound.
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a port for the fake SMTP server");
        let port = listener.local_addr().expect("its address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let keep = Arc::clone(&received);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let keep = Arc::clone(&keep);
                tokio::spawn(async move {
                    if let Ok(Some(mail)) = session(socket).await {
                        keep.lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(mail);
                    }
                });
            }
        });
        Self {
            port,
            received,
            task,
        }
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every message delivered so far.
    pub fn received(&self) -> Vec<Received> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FakeSmtp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One connection; the message once `DATA` ended.
async fn session(socket: tokio::net::TcpStream) -> std::io::Result<Option<Received>> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 fake.smtp ESMTP ready\r\n").await?;
    let mut mail = Received::default();
    let mut done = None;
    while let Some(line) = lines.next_line().await? {
        let upper = line.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            mail.ehlo = line[4..].trim().to_owned();
            b"250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("AUTH PLAIN") {
            mail.auth = Some(line[10..].trim().to_owned());
            b"235 2.7.0 accepted\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            mail.from = address(&line[10..]);
            b"250 2.1.0 ok\r\n"
        } else if upper.starts_with("RCPT TO:") {
            mail.to.push(address(&line[8..]));
            b"250 2.1.5 ok\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            while let Some(data) = lines.next_line().await? {
                if data == "." {
                    break;
                }
                mail.data.push_str(data.strip_prefix('.').unwrap_or(&data));
                mail.data.push('\n');
            }
            done = Some(mail.clone());
            b"250 2.0.0 queued\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 2.0.0 bye\r\n").await?;
            break;
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 ok\r\n"
        } else {
            b"502 5.5.2 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
    Ok(done)
}

/// `<a@b> SIZE=10` -> `a@b`.
fn address(rest: &str) -> String {
    let rest = rest.trim();
    let inner = rest
        .strip_prefix('<')
        .and_then(|r| r.split_once('>'))
        .map_or(rest, |(a, _)| a);
    inner.to_owned()
}
