//! Replies being worked on, so a shutdown can let them finish.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

/// Counts replies in progress.
#[derive(Debug, Default)]
pub struct InFlight {
    count: AtomicUsize,
    idle: Notify,
}

/// One reply in progress; dropping it marks the reply done.
#[derive(Debug)]
pub struct Work<'a>(&'a InFlight);

impl Drop for Work<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl InFlight {
    /// Marks a reply in progress until the returned guard is dropped.
    pub fn enter(&self) -> Work<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        Work(self)
    }

    /// Replies in progress now.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Waits until no reply is in progress, at most `limit`; true if none is.
    pub async fn wait_idle(&self, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.count() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.count() == 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn waits_for_work_in_progress_and_is_bounded() {
        let f = Arc::new(InFlight::default());
        assert!(f.wait_idle(Duration::from_millis(10)).await);
        let g = Arc::clone(&f);
        let worker = tokio::spawn(async move {
            let _w = g.enter();
            tokio::time::sleep(Duration::from_millis(100)).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(f.count(), 1);
        assert!(!f.wait_idle(Duration::from_millis(10)).await);
        assert!(f.wait_idle(Duration::from_secs(5)).await);
        worker.await.unwrap();
        assert_eq!(f.count(), 0);
    }
}
