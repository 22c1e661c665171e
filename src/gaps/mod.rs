//! Learning from use, privately: what members asked that the knowledge could
//! not answer, which answers did not help, and how often each outcome occurs.
//!
//! Moderators improve the knowledge from this record, so it keeps the words of
//! unanswered questions, but nothing that identifies who asked or where: no
//! user, guild, channel or message id, no mention, e-mail address, phone
//! number or link (see [`scrub()`]), and no time finer than the day. Rows older
//! than the retention are deleted at start-up and daily.
//!
//! - [`GapStore`]: the SQLite file (WAL, `synchronous=FULL`): an `Ok` from a
//!   write means the row survives a crash. The default.
//! - [`PgStore`]: a shared PostgreSQL database (`recording.url`), for several
//!   processes (shards) recording into one place; same rows, same promises.
//! - [`RecordStore`]: what both are to the recorder, `gaps` and `/kb gaps`.
//! - [`Recorder`]: what the bot holds: writes from a dedicated thread, so a
//!   slow or full disk never delays a member's reply; a no-op when recording
//!   is switched off.
//!
//! This module has no Discord dependency: the console and tests use it too.

mod backend;
mod group;
pub mod postgres;
mod recorder;
pub mod scrub;
mod store;

pub use backend::{describe, open_existing, open_store, postgres_url, RecordRow, RecordStore};
pub use group::{group_questions, GapGroup, QuestionCount};
pub use postgres::PgStore;
pub use recorder::{Recorder, RecorderStats, QUEUE_CAPACITY};
pub use scrub::scrub;
pub use store::{
    FeedbackCount, GapError, GapOutcome, GapRecord, GapStore, OutcomeCount, Purged, Vote,
    SCHEMA_VERSION,
};

use std::time::{SystemTime, UNIX_EPOCH};

/// A day, counted from 1970-01-01 (UTC). The record keeps no finer time.
pub type Day = i64;

/// The day (UTC) of a point in time.
pub fn day_of(time: SystemTime) -> Day {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => (d.as_secs() / 86_400) as Day,
        Err(e) => -((e.duration().as_secs() / 86_400) as Day) - 1,
    }
}

/// Today (UTC).
pub fn today() -> Day {
    day_of(SystemTime::now())
}

/// The first day kept when keeping `retention_days` days up to `today`
/// (today included): rows of earlier days are purged.
pub fn retention_start(today: Day, retention_days: u32) -> Day {
    today - Day::from(retention_days.max(1)) + 1
}

/// A day as a calendar date, `YYYY-MM-DD` (proleptic Gregorian, UTC).
pub fn format_day(day: Day) -> String {
    // Howard Hinnant's civil_from_days.
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn days_and_dates() {
        assert_eq!(day_of(UNIX_EPOCH), 0);
        assert_eq!(day_of(UNIX_EPOCH + Duration::from_secs(86_399)), 0);
        assert_eq!(day_of(UNIX_EPOCH + Duration::from_secs(86_400)), 1);
        assert_eq!(format_day(0), "1970-01-01");
        assert_eq!(format_day(19_723), "2024-01-01");
        assert_eq!(format_day(19_782), "2024-02-29");
        assert_eq!(format_day(-1), "1969-12-31");
    }

    #[test]
    fn retention_keeps_today_and_the_days_before() {
        assert_eq!(retention_start(100, 1), 100);
        assert_eq!(retention_start(100, 30), 71);
        assert_eq!(retention_start(100, 0), 100);
    }
}
