//! One HTTP/1.1 exchange per connection with the operators' endpoint (`/metrics`,
//! `/healthz`), bounded by [`WAIT`], and the samples of a Prometheus scrape.

use super::WAIT;
use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

/// One HTTP/1.1 response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
}

/// Sends `method path` on a new connection (`Connection: close`) and reads the whole
/// response. `None` when nothing listens, nothing comes back within [`WAIT`] or the
/// response does not parse.
pub async fn try_request(addr: SocketAddr, method: &str, path: &str) -> Option<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.ok()?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).await.ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.ok()?;
        Some(raw)
    };
    parse(&timeout(WAIT, exchange).await.ok()??)
}

/// [`try_request`] that must succeed.
pub async fn request(addr: SocketAddr, method: &str, path: &str) -> Reply {
    try_request(addr, method, path)
        .await
        .unwrap_or_else(|| panic!("no HTTP reply to {method} {path} from {addr} within {WAIT:?}"))
}

fn parse(raw: &[u8]) -> Option<Reply> {
    let text = std::str::from_utf8(raw).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.lines();
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let mut content_type = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.trim().to_string()),
            "transfer-encoding" => chunked = value.trim().eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_string()
    };
    Some(Reply {
        status,
        content_type,
        body,
    })
}

fn dechunk(mut rest: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(after.get(..size)?);
        rest = after.get(size + 2..)?;
    }
}

/// The value of the sample `series` (name and labels exactly as exposed).
pub fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}
