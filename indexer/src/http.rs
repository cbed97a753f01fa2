//! A minimal HTTP/1.1 GET over a plain TCP connection, for the API on this machine (the CLI's
//! `history --api`, the tests): no TLS, no redirects; the body read to the end of the connection.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// An answer: the status code, the headers (lowercase names) and the body.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// The first header named `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Splits `http://HOST:PORT/PATH` into `HOST:PORT` and the path prefix.
fn split_url(base: &str) -> Result<(String, String), String> {
    let rest = base.strip_prefix("http://").ok_or_else(|| format!("InvalidApiUrl: {base} (expected http://HOST:PORT)"))?;
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, String::new()));
    let host = if host.contains(':') { host.to_string() } else { format!("{host}:80") };
    Ok((host, path.trim_end_matches('/').to_string()))
}

/// Decodes a chunked body.
fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else { break };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].strip_prefix("\r\n").unwrap_or(&rest[size..]);
    }
    out
}

/// `GET base + path` (for example `http://127.0.0.1:8787` and `/health`).
pub fn get(base: &str, path: &str) -> Result<Answer, String> {
    let (host, prefix) = split_url(base)?;
    let mut stream = TcpStream::connect(&host).map_err(|e| format!("ApiUnreachable: {base}: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).ok();
    write!(stream, "GET {prefix}{path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\nConnection: close\r\n\r\n")
        .map_err(|e| format!("ApiUnreachable: {e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| format!("ApiUnreachable: {e}"))?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").ok_or_else(|| format!("BadApiAnswer: {base}{path}"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| format!("BadApiAnswer: {base}{path}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    let chunked = headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked { unchunk(body) } else { body.to_string() };
    Ok(Answer { status, headers, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// URLs with and without a path prefix; a chunked body read back whole.
    #[test]
    fn urls_and_chunks_are_read() {
        assert_eq!(split_url("http://127.0.0.1:8787").unwrap(), ("127.0.0.1:8787".into(), String::new()));
        assert_eq!(split_url("http://localhost/api/").unwrap(), ("localhost:80".into(), "/api".into()));
        assert!(split_url("https://x").unwrap_err().starts_with("InvalidApiUrl"));
        assert_eq!(unchunk("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"), "hello world");
    }
}
