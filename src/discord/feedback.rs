//! 👍 / 👎 on answered replies: one vote per member per reply, counted per
//! entry without keeping who voted.
//!
//! Two short-lived, bounded, in-memory tables, never written anywhere:
//! - the votes already cast, as keyed hashes of (reply message id, member id)
//!   with a key drawn at start-up, so a second press by the same member on the
//!   same reply is not counted (a day, at most [`MAX_VOTES`]);
//! - the question each recent reply answered (an hour, at most
//!   [`MAX_QUESTIONS`]), so a thumbs-down can record the words that were not
//!   answered well (scrubbed by the gap store before they reach the disk).
//!
//! Votes on replies older than [`VOTE_WINDOW`] (the message id tells when the
//! reply was sent) are not counted, so the one-vote rule holds for as long as
//! a vote can be cast.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long the votes cast are remembered, and how old a reply may be to be
/// voted on.
pub const VOTE_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);
/// Votes remembered at most (the oldest are forgotten first).
pub const MAX_VOTES: usize = 10_000;
/// How long the question of a reply is remembered for a thumbs-down.
pub const QUESTION_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Questions remembered at most (the oldest are forgotten first).
pub const MAX_QUESTIONS: usize = 10_000;
/// Longest question remembered, in characters (the input cap is larger only
/// when an operator raises it).
const MAX_QUESTION_CHARS: usize = 1000;

/// What a member is told after pressing 👍 or 👎.
pub mod notice {
    /// A 👍 counted.
    pub const THANKS_UP: &str = "Thanks for the feedback: glad it helped.";
    /// A 👎 counted.
    pub const THANKS_DOWN: &str = "Thanks for the feedback: moderators will see that this answer did not help, without anything about who said so.";
    /// A second vote on the same reply.
    pub const ALREADY: &str = "You already voted on this answer: only your first vote counts.";
    /// A vote on a reply older than the vote window.
    pub const CLOSED: &str = "Voting on this answer has closed. Ask again to get a fresh answer.";
}

/// A map from `u64` keys whose entries expire after `ttl` and of which at
/// most `cap` are kept (the oldest are dropped first).
#[derive(Debug)]
struct Expiring<V> {
    ttl: Duration,
    cap: usize,
    entries: HashMap<u64, (Instant, V)>,
    /// Insertion order, for expiry and eviction.
    order: VecDeque<(Instant, u64)>,
}

impl<V> Expiring<V> {
    fn new(ttl: Duration, cap: usize) -> Self {
        Expiring {
            ttl,
            cap: cap.max(1),
            entries: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    /// Drops what has expired at `now`, and the oldest beyond room for one more.
    fn prune(&mut self, now: Instant) {
        while let Some(&(at, key)) = self.order.front() {
            let expired = now.saturating_duration_since(at) >= self.ttl;
            if !expired && self.entries.len() < self.cap {
                break;
            }
            self.order.pop_front();
            // Only when the entry is the one this order slot stands for.
            if self.entries.get(&key).is_some_and(|(t, _)| *t == at) {
                self.entries.remove(&key);
            }
        }
    }

    fn get(&mut self, key: u64, now: Instant) -> Option<&V> {
        self.prune_expired(now);
        self.entries.get(&key).map(|(_, v)| v)
    }

    fn prune_expired(&mut self, now: Instant) {
        while let Some(&(at, key)) = self.order.front() {
            if now.saturating_duration_since(at) < self.ttl {
                break;
            }
            self.order.pop_front();
            if self.entries.get(&key).is_some_and(|(t, _)| *t == at) {
                self.entries.remove(&key);
            }
        }
    }

    /// Inserts (or replaces) `key`; returns whether it was new.
    fn insert(&mut self, key: u64, value: V, now: Instant) -> bool {
        self.prune(now);
        let new = self.entries.insert(key, (now, value)).is_none();
        self.order.push_back((now, key));
        new
    }

    fn contains(&mut self, key: u64, now: Instant) -> bool {
        self.get(key, now).is_some()
    }

    fn len(&self) -> usize {
        self.entries.len()
    }
}

/// The question a reply answered, for a thumbs-down.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// The member's words (not yet scrubbed; never written as they are).
    pub question: String,
    /// The answer's confidence.
    pub score: f32,
}

/// How a vote went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ballot {
    /// Counted.
    Counted,
    /// This member already voted on this reply.
    Already,
    /// The reply is older than [`VOTE_WINDOW`].
    Closed,
}

/// The feedback state of the bot (in memory only).
#[derive(Debug)]
pub struct Feedback {
    /// Keyed hashes of (reply, member) that voted.
    votes: Mutex<Expiring<()>>,
    /// Reply id (message or interaction) → the question it answered.
    questions: Mutex<Expiring<Asked>>,
    /// The key of the member hash, drawn at start-up and never stored.
    hasher: RandomState,
}

impl Default for Feedback {
    fn default() -> Self {
        Feedback::new(VOTE_WINDOW, MAX_VOTES, QUESTION_WINDOW, MAX_QUESTIONS)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Feedback {
    /// Feedback state with the given windows and bounds (tests use small ones).
    pub fn new(
        vote_window: Duration,
        max_votes: usize,
        question_window: Duration,
        max_questions: usize,
    ) -> Feedback {
        Feedback {
            votes: Mutex::new(Expiring::new(vote_window, max_votes)),
            questions: Mutex::new(Expiring::new(question_window, max_questions)),
            hasher: RandomState::new(),
        }
    }

    /// Remembers the question `reply` (a message id, or the id of the
    /// interaction that was answered) answered.
    pub fn remember(&self, reply: u64, question: &str, score: f32, now: Instant) {
        let question: String = question.chars().take(MAX_QUESTION_CHARS).collect();
        lock(&self.questions).insert(reply, Asked { question, score }, now);
    }

    /// The question of the first of `replies` still remembered.
    pub fn question(&self, replies: &[u64], now: Instant) -> Option<Asked> {
        let mut q = lock(&self.questions);
        replies.iter().find_map(|r| q.get(*r, now).cloned())
    }

    /// Casts `member`'s vote on `reply`, sent `reply_age` ago: counted only
    /// once per member and reply, and only within the vote window.
    pub fn vote(&self, reply: u64, member: u64, reply_age: Duration, now: Instant) -> Ballot {
        let mut votes = lock(&self.votes);
        if reply_age >= votes.ttl {
            return Ballot::Closed;
        }
        let key = self.hasher.hash_one((reply, member));
        if votes.contains(key, now) {
            return Ballot::Already;
        }
        votes.insert(key, (), now);
        Ballot::Counted
    }

    /// (votes remembered, questions remembered): for tests and logs.
    pub fn sizes(&self) -> (usize, usize) {
        (lock(&self.votes).len(), lock(&self.questions).len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRESH: Duration = Duration::from_secs(1);

    #[test]
    fn one_vote_per_member_and_reply() {
        let f = Feedback::default();
        let now = Instant::now();
        assert_eq!(f.vote(1, 10, FRESH, now), Ballot::Counted);
        assert_eq!(f.vote(1, 10, FRESH, now), Ballot::Already);
        assert_eq!(f.vote(1, 11, FRESH, now), Ballot::Counted);
        assert_eq!(f.vote(2, 10, FRESH, now), Ballot::Counted);
        assert_eq!(f.sizes().0, 3);
    }

    #[test]
    fn old_replies_cannot_be_voted_on() {
        let f = Feedback::default();
        let now = Instant::now();
        assert_eq!(f.vote(1, 10, VOTE_WINDOW, now), Ballot::Closed);
        assert_eq!(f.sizes().0, 0, "a refused vote is not remembered");
    }

    #[test]
    fn votes_and_questions_expire_and_are_bounded() {
        let f = Feedback::new(Duration::from_secs(60), 3, Duration::from_secs(10), 2);
        let t0 = Instant::now();
        for reply in 0..5 {
            assert_eq!(f.vote(reply, 1, FRESH, t0), Ballot::Counted);
        }
        assert_eq!(f.sizes().0, 3, "bounded");
        // The oldest were forgotten, the newest are kept.
        assert_eq!(f.vote(4, 1, FRESH, t0), Ballot::Already);
        assert_eq!(f.vote(0, 1, FRESH, t0), Ballot::Counted);
        let later = t0 + Duration::from_secs(61);
        assert_eq!(f.vote(4, 1, FRESH, later), Ballot::Counted, "expired");

        f.remember(7, "is it halal?", 0.2, t0);
        f.remember(8, "does it hurt?", 0.9, t0);
        f.remember(9, "how much?", 0.1, t0);
        assert_eq!(f.sizes().1, 2);
        assert_eq!(f.question(&[7], t0), None, "the oldest went first");
        assert_eq!(
            f.question(&[1, 8], t0),
            Some(Asked {
                question: "does it hurt?".into(),
                score: 0.9
            })
        );
        assert_eq!(f.question(&[8], t0 + Duration::from_secs(10)), None);
        assert_eq!(f.sizes().1, 0);
    }

    #[test]
    fn replacing_a_key_keeps_it_until_its_new_expiry() {
        let mut m: Expiring<u8> = Expiring::new(Duration::from_secs(10), 10);
        let t0 = Instant::now();
        m.insert(1, 1, t0);
        m.insert(1, 2, t0 + Duration::from_secs(5));
        assert_eq!(m.get(1, t0 + Duration::from_secs(12)), Some(&2));
        assert_eq!(m.get(1, t0 + Duration::from_secs(15)), None);
    }

    #[test]
    fn long_questions_are_cut() {
        let f = Feedback::default();
        let now = Instant::now();
        f.remember(1, &"a".repeat(5000), 0.5, now);
        assert_eq!(
            f.question(&[1], now).unwrap().question.chars().count(),
            MAX_QUESTION_CHARS
        );
    }
}
