//! Fairness: a per-member cooldown between questions, a cap on replies per
//! minute in one channel, and a cap on the length of what is read.
//!
//! A setting of 0 turns the corresponding limit off. Only questions that get a
//! reply count; a refused one does not restart the member's cooldown.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window of the per-channel cap.
const WINDOW: Duration = Duration::from_secs(60);
/// Past this many remembered members or channels, stale ones are forgotten.
const PRUNE_AT: usize = 4096;

/// Whether a question may be answered now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Go ahead (and it has been counted).
    Allowed,
    /// The member asked less than the cooldown ago; `wait` until the next one.
    Cooldown { wait: Duration },
    /// The channel had its share of replies this minute.
    ChannelBusy { wait: Duration },
}

impl Verdict {
    /// The short notice a member sees (privately) when refused.
    pub fn notice(&self) -> Option<String> {
        match self {
            Verdict::Allowed => None,
            Verdict::Cooldown { wait } => Some(format!(
                "⏳ You're asking quickly! Please wait {} before your next question.",
                seconds(*wait)
            )),
            Verdict::ChannelBusy { wait } => Some(format!(
                "⏳ I've answered a lot in this channel just now. Please try again in {}, or ask privately with `/ask private:True`.",
                seconds(*wait)
            )),
        }
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs() + u64::from(d.subsec_nanos() > 0);
    let s = s.max(1);
    if s == 1 {
        "1 second".to_string()
    } else {
        format!("{s} seconds")
    }
}

/// Per-member cooldowns and per-channel caps.
#[derive(Debug)]
pub struct Limits {
    cooldown: Duration,
    per_minute: usize,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    users: HashMap<u64, Instant>,
    channels: HashMap<u64, VecDeque<Instant>>,
}

impl Limits {
    /// `cooldown` between two questions of one member; at most `per_minute`
    /// replies in one channel. Zero turns a limit off.
    pub fn new(cooldown: Duration, per_minute: u32) -> Limits {
        Limits {
            cooldown,
            per_minute: per_minute as usize,
            state: Mutex::new(State::default()),
        }
    }

    /// Decides and, when allowed, counts a question by `user`, answered in
    /// `channel` (`None` for replies only the member sees, which do not count
    /// towards the channel's cap). `urgent` replies skip the member's cooldown:
    /// the seek-care text is never withheld from the person who needs it.
    pub fn admit(&self, user: u64, channel: Option<u64>, urgent: bool, now: Instant) -> Verdict {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let state = &mut *state;
        if !self.cooldown.is_zero() && !urgent {
            if let Some(last) = state.users.get(&user) {
                let since = now.saturating_duration_since(*last);
                if since < self.cooldown {
                    return Verdict::Cooldown {
                        wait: self.cooldown - since,
                    };
                }
            }
        }
        if let (Some(channel), true) = (channel, self.per_minute > 0) {
            let sent = state.channels.entry(channel).or_default();
            while sent
                .front()
                .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
            {
                sent.pop_front();
            }
            if sent.len() >= self.per_minute {
                let oldest = sent.front().copied().unwrap_or(now);
                return Verdict::ChannelBusy {
                    wait: WINDOW.saturating_sub(now.saturating_duration_since(oldest)),
                };
            }
            sent.push_back(now);
        }
        if !self.cooldown.is_zero() {
            state.users.insert(user, now);
        }
        self.prune(state, now);
        Verdict::Allowed
    }

    fn prune(&self, state: &mut State, now: Instant) {
        if state.users.len() > PRUNE_AT {
            let cooldown = self.cooldown;
            state
                .users
                .retain(|_, t| now.saturating_duration_since(*t) < cooldown);
        }
        if state.channels.len() > PRUNE_AT {
            state.channels.retain(|_, sent| {
                sent.back()
                    .is_some_and(|t| now.saturating_duration_since(*t) < WINDOW)
            });
        }
    }
}

/// The first `max` characters of a member's text (the engine cuts the same way).
pub fn cap_input(text: &str, max: usize) -> &str {
    crate::engine::cap(text, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn cooldown_per_member() {
        let l = Limits::new(5 * S, 0);
        let t = Instant::now();
        assert_eq!(l.admit(1, Some(10), false, t), Verdict::Allowed);
        assert_eq!(
            l.admit(1, Some(10), false, t + 2 * S),
            Verdict::Cooldown { wait: 3 * S }
        );
        // Another member is not affected; a refused question does not restart the wait.
        assert_eq!(l.admit(2, Some(10), false, t + 2 * S), Verdict::Allowed);
        assert_eq!(l.admit(1, None, false, t + 5 * S), Verdict::Allowed);
        // Urgent replies skip the cooldown.
        assert_eq!(l.admit(1, None, true, t + 5 * S), Verdict::Allowed);
    }

    #[test]
    fn channel_cap_per_minute() {
        let l = Limits::new(Duration::ZERO, 2);
        let t = Instant::now();
        assert_eq!(l.admit(1, Some(10), false, t), Verdict::Allowed);
        assert_eq!(l.admit(2, Some(10), false, t + S), Verdict::Allowed);
        assert_eq!(
            l.admit(3, Some(10), false, t + 10 * S),
            Verdict::ChannelBusy { wait: 50 * S }
        );
        // Another channel, or a private reply, is not capped.
        assert_eq!(l.admit(3, Some(11), false, t + 10 * S), Verdict::Allowed);
        assert_eq!(l.admit(3, None, false, t + 10 * S), Verdict::Allowed);
        // The window slides.
        assert_eq!(l.admit(3, Some(10), false, t + 60 * S), Verdict::Allowed);
    }

    #[test]
    fn zero_turns_limits_off() {
        let l = Limits::new(Duration::ZERO, 0);
        let t = Instant::now();
        for i in 0..1000 {
            assert_eq!(
                l.admit(1, Some(1), false, t + i * S / 1000),
                Verdict::Allowed
            );
        }
    }

    #[test]
    fn stale_members_are_forgotten() {
        let l = Limits::new(S, 1);
        let t = Instant::now();
        for u in 0..(PRUNE_AT as u64 + 10) {
            l.admit(u, Some(u), false, t);
        }
        l.admit(1, Some(1), false, t + 120 * S);
        let state = l.state.lock().unwrap();
        assert!(state.users.len() < 10, "{}", state.users.len());
        assert!(state.channels.len() < 10, "{}", state.channels.len());
    }

    #[test]
    fn notices_are_short_and_say_how_long() {
        let n = Verdict::Cooldown {
            wait: Duration::from_millis(2500),
        }
        .notice()
        .unwrap();
        assert!(n.contains("3 seconds"), "{n}");
        assert!(Verdict::ChannelBusy { wait: S }
            .notice()
            .unwrap()
            .contains("1 second"));
        assert_eq!(Verdict::Allowed.notice(), None);
    }

    #[test]
    fn input_is_capped_on_characters() {
        assert_eq!(cap_input("héllo", 2), "hé");
        assert_eq!(cap_input("hi", 1000), "hi");
    }
}
