//! Sending to Discord again when it answers with a server error.
//!
//! With its ratelimiter off (as when `api_base` is set) serenity does not
//! retry, and even with it on it does not retry a 5xx. A reply is worth a
//! couple more tries: at most [`ATTEMPTS`] in all, with a short backoff, then
//! the error is returned (and the bot carries on with the next message).

use serenity::http::HttpError;
use std::future::Future;
use std::time::Duration;

/// Tries in all, the first included.
pub const ATTEMPTS: u32 = 3;
/// The wait before the second try; doubled before each later one.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// An error that may be worth another try.
pub trait Retryable {
    /// Whether trying again may succeed.
    fn retryable(&self) -> bool;
    /// The error for the log, without secrets.
    fn describe(&self) -> String;
}

impl Retryable for serenity::Error {
    /// A 5xx, or a connection that could not be made (so nothing was sent).
    fn retryable(&self) -> bool {
        match self {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
                r.status_code.is_server_error()
            }
            serenity::Error::Http(HttpError::Request(r)) => r.is_connect(),
            _ => false,
        }
    }

    /// Without the request URL: interaction URLs carry a token.
    fn describe(&self) -> String {
        match self {
            serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => format!(
                "HTTP {} from Discord: {} (code {})",
                r.status_code.as_u16(),
                r.error.message,
                r.error.code
            ),
            serenity::Error::Http(HttpError::Request(r)) => {
                let kind = if r.is_connect() {
                    "could not connect"
                } else if r.is_timeout() {
                    "timed out"
                } else if r.is_decode() {
                    "could not read the answer"
                } else {
                    "transport error"
                };
                format!("request to Discord failed: {kind}")
            }
            other => other.to_string(),
        }
    }
}

/// Runs `op` until it succeeds, fails with an error not worth retrying, or has
/// been tried [`ATTEMPTS`] times. `what` names the operation in logs.
pub async fn send<T, E, F, Fut>(what: &'static str, mut op: F) -> Result<T, E>
where
    E: Retryable,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut backoff = FIRST_BACKOFF;
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(v) => return Ok(v),
            Err(e) if attempt < ATTEMPTS && e.retryable() => {
                tracing::warn!(
                    what,
                    attempt,
                    error = %e.describe(),
                    "Discord failed; retrying in {} ms",
                    backoff.as_millis()
                );
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                attempt += 1;
            }
            Err(e) => {
                tracing::warn!(what, attempts = attempt, error = %e.describe(), "sending to Discord failed");
                return Err(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug)]
    struct Status(u16);

    impl Retryable for Status {
        fn retryable(&self) -> bool {
            self.0 >= 500
        }
        fn describe(&self) -> String {
            format!("HTTP {}", self.0)
        }
    }

    #[tokio::test]
    async fn retries_5xx_a_bounded_number_of_times() {
        let calls = AtomicU32::new(0);
        let started = std::time::Instant::now();
        let r: Result<(), _> = send("test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(Status(500)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), ATTEMPTS);
        assert!(started.elapsed() >= FIRST_BACKOFF * 3);

        let calls = AtomicU32::new(0);
        let r = send("test", || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if n == 0 {
                    Err(Status(503))
                } else {
                    Ok(n)
                }
            }
        })
        .await;
        assert_eq!(r.unwrap(), 1);
    }

    #[tokio::test]
    async fn client_errors_are_not_retried() {
        let calls = AtomicU32::new(0);
        let r: Result<(), _> = send("test", || {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(Status(403)) }
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}
