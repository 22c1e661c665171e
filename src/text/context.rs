//! Context for pattern matches: is a symptom negated, in the past, someone
//! else's, or only imagined?
//!
//! This is NegEx (Chapman et al. 2001) and its successor ConText (Harkema et
//! al. 2009), as negspacy and medspaCy implement them, over the bot's own
//! words: trigger phrases open a *scope* that runs forward ("no fever") or
//! backward ("fever: gone") within the clause, for a bounded number of words,
//! and ends early at a termination phrase ("but", "now") or at a word that
//! ends that kind of scope ("I" ends someone else's). Pseudo-triggers ("not
//! sure", "can't stop", "not getting better") look like negations but are not,
//! so they open nothing. Two more roles reach past a clause: a clause that
//! only says it is over ("but it's fine now") covers what was just told, and
//! a phrase anywhere in the message can cancel a kind ("today" makes someone
//! else's story recent, not past). The trigger lists live in
//! `knowledge/context.toml`, where moderators tune them.
//!
//! Each word of a message gets a bit set of the kinds whose scope covers it;
//! the red flags then ignore a symptom under negation, history or a
//! hypothetical, and someone else's symptom only when it is also in the past
//! (a parent describing a child's fever now is still urgent), but never one
//! the speaker is only "not worried about". Not-covered subjects ignore
//! negation, history and that unconcern ("not worried about complications,
//! when will I see results?").

use super::words;
use rustc_hash::FxHashMap as HashMap;

/// The word is negated ("no fever").
pub const NEGATED: u8 = 1;
/// The word is about the speaker's past ("I used to get cold sores").
pub const HISTORY: u8 = 2;
/// The word is imagined or asked about ("what if I get an infection").
pub const HYPOTHETICAL: u8 = 4;
/// The word is about someone else ("my friend", "she").
pub const OTHER: u8 = 8;
/// The word is in a past-tense telling ("had", "got"), which matters for
/// someone else's symptoms only.
pub const PAST: u8 = 16;
/// The word is something the speaker says they do not worry about ("not too
/// worried about the pus"): a subject so mentioned is not what is asked,
/// but a symptom so mentioned is still there, so red flags ignore this.
pub const UNCONCERNED: u8 = 32;

/// The kinds a moderator can write, with their bits, in file order.
pub const KINDS: &[(&str, u8)] = &[
    ("negation", NEGATED),
    ("history", HISTORY),
    ("hypothetical", HYPOTHETICAL),
    ("other", OTHER),
    ("past", PAST),
    ("unconcerned", UNCONCERNED),
];

/// Whether a symptom with these context bits should *not* raise a red flag.
pub fn dismisses_symptom(bits: u8) -> bool {
    bits & (NEGATED | HISTORY | HYPOTHETICAL) != 0 || bits & (OTHER | PAST) == OTHER | PAST
}

/// The triggers of one kind, as written in `context.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KindTriggers {
    /// Phrases whose scope runs forward ("no …").
    pub before: Vec<String>,
    /// Phrases whose scope runs backward ("… is gone").
    pub after: Vec<String>,
    /// Words that end this kind's scope ("i" ends someone else's).
    pub until: Vec<String>,
    /// Phrases anywhere in the message that cancel this kind's scopes: a
    /// story dated to the last day or two ("3 days after her needling… she's
    /// had chills all night") is not someone else's past.
    pub unless: Vec<String>,
    /// Phrases that, when they are a whole clause, reach back over what was
    /// just told: the clauses before them in their sentence ("hot for a few
    /// hours, but it's fine now"), or the whole sentence before when they
    /// start one ("fever, pus, blisters? nope").
    pub after_clause: Vec<String>,
    /// Phrases whose scope runs backward like `after`, but only where they
    /// end their clause: "I had hives from a face mask once" tells a past
    /// occasion, while "hives once I got home" dates nothing.
    pub closing: Vec<String>,
    /// How many words a scope reaches.
    pub reach: usize,
}

/// Everything `context.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextTriggers {
    /// Per kind (see [`KINDS`]), its triggers.
    pub kinds: Vec<(u8, KindTriggers)>,
    /// Phrases that look like triggers but open nothing.
    pub pseudo: Vec<String>,
    /// Phrases that end every scope.
    pub termination: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Before(u8),
    After(u8),
    AfterClause(u8),
    Closing(u8),
    Unless(u8),
    Until(u8),
    Pseudo,
    Terminate,
}

/// The triggers compiled for scanning: phrases indexed by first word.
#[derive(Debug, Clone, Default)]
pub struct ContextRules {
    phrases: Vec<(Vec<String>, Role)>,
    by_first: HashMap<String, Starting>,
    reach: [usize; 8],
}

/// The phrases that start with one word. "my" starts over a hundred
/// triggers ("my friend", "my mum's"…), so longer phrases are found through
/// their second word rather than by trying each in turn.
#[derive(Debug, Clone, Default)]
struct Starting {
    /// One-word phrases.
    alone: Vec<usize>,
    /// Second word -> the longer phrases, longest first.
    by_second: HashMap<String, Vec<usize>>,
}

fn bit_index(bit: u8) -> usize {
    bit.trailing_zeros() as usize
}

impl ContextRules {
    /// Compiles the triggers; phrases are cleaned as messages are.
    pub fn new(t: &ContextTriggers) -> ContextRules {
        let mut rules = ContextRules::default();
        for (bit, k) in &t.kinds {
            rules.reach[bit_index(*bit)] = k.reach;
            for p in &k.before {
                rules.add(p, Role::Before(*bit));
            }
            for p in &k.after {
                rules.add(p, Role::After(*bit));
            }
            for p in &k.until {
                rules.add(p, Role::Until(*bit));
            }
            for p in &k.after_clause {
                rules.add(p, Role::AfterClause(*bit));
            }
            for p in &k.unless {
                rules.add(p, Role::Unless(*bit));
            }
            for p in &k.closing {
                rules.add(p, Role::Closing(*bit));
            }
        }
        for p in &t.pseudo {
            rules.add(p, Role::Pseudo);
        }
        for p in &t.termination {
            rules.add(p, Role::Terminate);
        }
        // Longest phrase first among those sharing a second word; one-word
        // phrases are tried only when no longer one matches, so "not sure"
        // (pseudo) wins over "not".
        for starting in rules.by_first.values_mut() {
            for list in starting.by_second.values_mut() {
                list.sort_by_key(|&i| std::cmp::Reverse(rules.phrases[i].0.len()));
            }
        }
        rules
    }

    fn add(&mut self, phrase: &str, role: Role) {
        let ws: Vec<String> = words(phrase).into_iter().map(|w| w.text).collect();
        let Some(first) = ws.first().cloned() else {
            return;
        };
        let starting = self.by_first.entry(first).or_default();
        match ws.get(1) {
            Some(second) => starting
                .by_second
                .entry(second.clone())
                .or_default()
                .push(self.phrases.len()),
            None => starting.alone.push(self.phrases.len()),
        }
        self.phrases.push((ws, role));
    }

    /// The context bits of each word. `texts[i]` is the i-th word, `clauses[i]`
    /// its clause and `sentences[i]` its sentence; scopes never cross a
    /// clause, except a whole-clause `after_clause` trigger's.
    /// `asides` marks the words inside parentheses, `listed` the items of a
    /// denied list ([`crate::text::Word::listed`]), which a negation before
    /// them reaches past its `reach`.
    pub fn scan(
        &self,
        texts: &[&str],
        clauses: &[u32],
        sentences: &[u32],
        asides: &[bool],
        listed: &[bool],
    ) -> Vec<u8> {
        let n = texts.len();
        let mut bits = vec![0u8; n];
        if self.phrases.is_empty() {
            return bits;
        }
        // Every trigger found, left to right, longest at each position; words
        // inside a found phrase start nothing else.
        let mut found: Vec<(usize, usize, Role)> = Vec::new();
        let mut i = 0;
        while i < n {
            // The longest phrases starting here; one phrase may play several
            // roles ("today" ends a past scope and a history scope).
            let matches = |p: usize| {
                let (ws, _) = &self.phrases[p];
                let end = i + ws.len();
                end <= n
                    && clauses[i..end].iter().all(|&c| c == clauses[i])
                    && ws.iter().zip(&texts[i..end]).all(|(a, b)| a == b)
            };
            let Some(starting) = self.by_first.get(texts[i]) else {
                i += 1;
                continue;
            };
            let longer = texts
                .get(i + 1)
                .and_then(|next| starting.by_second.get(*next))
                .map_or(&[][..], Vec::as_slice);
            // A phrase that must stand in a certain place and does not
            // (a whole-clause "cleared up with antibiotics" inside "an
            // infection my GP cleared up with antibiotics") gives way to a
            // shorter one that may stand anywhere ("cleared up with").
            let placed = |p: usize| {
                let end = i + self.phrases[p].0.len();
                let ends_clause = end == n || clauses[end] != clauses[i];
                match self.phrases[p].1 {
                    Role::AfterClause(_) => i > 0 && clauses[i - 1] != clauses[i] && ends_clause,
                    Role::Closing(_) => ends_clause,
                    _ => true,
                }
            };
            let candidates = || longer.iter().chain(&starting.alone).copied();
            match candidates().find(|&p| matches(p) && placed(p)) {
                Some(longest) => {
                    let len = self.phrases[longest].0.len();
                    for p in candidates() {
                        if self.phrases[p].0.len() == len && matches(p) && placed(p) {
                            found.push((i, i + len, self.phrases[p].1));
                        }
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        let stops = |at: usize, bit: u8| {
            found
                .iter()
                .any(|&(s, _, r)| s == at && (r == Role::Terminate || r == Role::Until(bit)))
        };
        for &(start, end, role) in &found {
            match role {
                Role::Before(bit) => {
                    let reach = self.reach[bit_index(bit)];
                    let in_list =
                        |j: usize| bit == NEGATED && listed.get(j).copied().unwrap_or(false);
                    for j in end..n {
                        if (j >= end + reach && !in_list(j))
                            || clauses[j] != clauses[start]
                            || stops(j, bit)
                        {
                            break;
                        }
                        bits[j] |= bit;
                    }
                }
                // (a closing trigger was only found where it ends its clause)
                Role::After(bit) | Role::Closing(bit) => {
                    let reach = self.reach[bit_index(bit)];
                    for j in (start.saturating_sub(reach)..start).rev() {
                        if clauses[j] != clauses[start] || stops(j, bit) {
                            break;
                        }
                        bits[j] |= bit;
                    }
                }
                Role::AfterClause(bit) => {
                    // Found only as a whole clause, with a clause before it
                    // to reach. Not `reach` words: "it" is everything just told, the
                    // clauses before it in its sentence ("hot and red for an
                    // hour, but it's fine now"), or, when it starts a
                    // sentence, the whole sentence before ("fever, pus,
                    // blisters? nope").
                    let told = if sentences[start - 1] == sentences[start] {
                        sentences[start]
                    } else {
                        sentences[start - 1]
                    };
                    for j in (0..start).rev() {
                        if sentences[j] != told || stops(j, bit) {
                            break;
                        }
                        bits[j] |= bit;
                    }
                }
                Role::Unless(_) | Role::Until(_) | Role::Pseudo | Role::Terminate => {}
            }
        }
        // A parenthesised aside says more about what it follows: "my aunt
        // had a rough recovery (an infection and two weeks off work)" is
        // still the aunt's past, "a blood draw when I was eight (fainted…)"
        // still history. It takes the word before it's history, someone
        // else's, past and imagined bits, or those of a trigger reaching
        // back that ends there ("when I was eight"), never a negation ("no
        // pain (just stinging)" is not about the stinging).
        const CARRIED: u8 = HISTORY | HYPOTHETICAL | OTHER | PAST;
        let ending_trigger = |at: usize| {
            found
                .iter()
                .filter(|&&(_, end, _)| end == at + 1)
                .fold(0, |acc, &(_, _, role)| match role {
                    Role::After(bit) | Role::Closing(bit) => acc | bit,
                    _ => acc,
                })
        };
        let mut carried = 0;
        for j in 0..n {
            if asides.get(j).copied().unwrap_or(false) {
                if j == 0 || sentences[j - 1] != sentences[j] {
                    carried = 0;
                } else if !asides[j - 1] {
                    carried = (bits[j - 1] | ending_trigger(j - 1)) & CARRIED;
                }
                bits[j] |= carried;
            }
        }
        // An `unless` phrase holds for its own sentence: "a client came in
        // today and her skin had weeping sores" is now, but in a long story
        // "My sister had an allergic reaction once. … Had my session
        // yesterday" the sister's reaction is still her past.
        for &(start, _, role) in &found {
            if let Role::Unless(bit) = role {
                for (b, _) in bits
                    .iter_mut()
                    .zip(sentences)
                    .filter(|(_, &s)| s == sentences[start])
                {
                    *b &= !bit;
                }
            }
        }
        bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ContextRules {
        let kind = |before: &[&str], after: &[&str], until: &[&str], reach| KindTriggers {
            before: before.iter().map(|s| s.to_string()).collect(),
            after: after.iter().map(|s| s.to_string()).collect(),
            until: until.iter().map(|s| s.to_string()).collect(),
            after_clause: vec![],
            unless: vec![],
            closing: vec![],
            reach,
        };
        ContextRules::new(&ContextTriggers {
            kinds: vec![
                (
                    NEGATED,
                    KindTriggers {
                        after_clause: vec!["its fine now".into()],
                        ..kind(&["no", "not", "without"], &["is gone"], &[], 4)
                    },
                ),
                (
                    HISTORY,
                    KindTriggers {
                        closing: vec!["once".into()],
                        ..kind(&["used to"], &["years ago"], &[], 8)
                    },
                ),
                (HYPOTHETICAL, kind(&["what if"], &[], &[], 8)),
                (OTHER, kind(&["my friend", "she"], &[], &["i", "my"], 12)),
                (HISTORY, kind(&[], &[], &["today"], 8)),
                (
                    PAST,
                    KindTriggers {
                        unless: vec!["last night".into()],
                        ..kind(&["had"], &[], &["now", "today"], 8)
                    },
                ),
            ],
            pseudo: vec!["not sure".into(), "not getting better".into()],
            termination: vec!["now".into(), "and now".into()],
        })
    }

    /// The bits of the word `target` in `message`.
    fn bits_of(message: &str, target: &str) -> u8 {
        let w = words(message);
        let texts: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        let clauses: Vec<u32> = w.iter().map(|w| w.clause).collect();
        let sentences: Vec<u32> = w.iter().map(|w| w.sentence).collect();
        let asides: Vec<bool> = w.iter().map(|w| w.aside).collect();
        let listed: Vec<bool> = w.iter().map(|w| w.listed).collect();
        let bits = rules().scan(&texts, &clauses, &sentences, &asides, &listed);
        let at = texts.iter().position(|t| *t == target).unwrap();
        bits[at]
    }

    #[test]
    fn negation_reaches_forward_within_its_clause() {
        assert_eq!(bits_of("no fever or pus", "pus"), NEGATED);
        assert_eq!(bits_of("no fever, pus", "pus"), 0);
        assert_eq!(bits_of("no this that other thing pus", "pus"), 0);
        // A denied list is reached to its last item, past the reach.
        assert_eq!(
            bits_of("no fever, chills, swelling or any pus", "pus"),
            NEGATED
        );
    }

    #[test]
    fn a_clause_that_only_says_it_is_over_reaches_the_clause_before() {
        assert_eq!(
            bits_of("hot for an hour, but it's fine now", "hot"),
            NEGATED
        );
        // only as a whole clause, and only one clause back
        assert_eq!(
            bits_of("hot for an hour, but it's fine now and red", "hot"),
            0
        );
        assert_eq!(bits_of("it's fine now, hot", "hot"), 0);
        // the clauses before it in its sentence, or the sentence before
        assert_eq!(bits_of("hot, red, but it's fine now", "hot"), NEGATED);
        assert_eq!(bits_of("hot, pus? it's fine now", "hot"), NEGATED);
        assert_eq!(bits_of("hot. swollen lip. it's fine now", "hot"), 0);
        assert_eq!(bits_of("hot. swollen lip, it's fine now", "hot"), 0);
    }

    #[test]
    fn a_recent_date_cancels_someone_elses_past() {
        assert_eq!(bits_of("my friend had a fever", "fever"), OTHER | PAST);
        assert_eq!(bits_of("my friend had a fever last night", "fever"), OTHER);
        // Only in its own sentence: a story's past stays past.
        assert_eq!(
            bits_of("my friend had a fever. I had mine last night", "fever"),
            OTHER | PAST
        );
    }

    #[test]
    fn a_whole_clause_phrase_out_of_place_gives_way_to_a_shorter_trigger() {
        // "is gone now" is only a whole-clause trigger; inside a clause the
        // shorter "is gone" still reaches back.
        let r = ContextRules::new(&ContextTriggers {
            kinds: vec![(
                NEGATED,
                KindTriggers {
                    after: vec!["is gone".into()],
                    after_clause: vec!["is gone now".into()],
                    reach: 4,
                    ..KindTriggers::default()
                },
            )],
            ..ContextTriggers::default()
        });
        let w = words("the pus is gone now and i am happy");
        let texts: Vec<&str> = w.iter().map(|w| w.text.as_str()).collect();
        let zeros = vec![0u32; texts.len()];
        let none = vec![false; texts.len()];
        let bits = r.scan(&texts, &zeros, &zeros, &none, &none);
        assert_eq!(bits[1], NEGATED);
    }

    #[test]
    fn a_closing_trigger_reaches_back_only_from_its_clause_end() {
        assert_eq!(bits_of("I got hives from a mask once", "hives"), HISTORY);
        assert_eq!(bits_of("I got hives once, now pus", "hives"), HISTORY);
        assert_eq!(bits_of("hives once I got home", "hives"), 0);
    }

    #[test]
    fn following_triggers_reach_backward() {
        assert_eq!(bits_of("the swelling is gone", "swelling"), NEGATED);
        assert_eq!(bits_of("I used to get cold sores", "sores"), HISTORY);
        assert_eq!(
            bits_of("I got an infection years ago", "infection"),
            HISTORY
        );
    }

    #[test]
    fn a_parenthesised_aside_takes_the_context_of_what_it_follows() {
        // The word before the aside, or a trigger reaching back that ends there.
        assert_eq!(
            bits_of(
                "my friend had a rough recovery (an infection, weeks off)",
                "infection"
            ),
            OTHER | PAST
        );
        assert_eq!(
            bits_of(
                "a blood draw years ago (fainted, woke up on the floor)",
                "fainted"
            ),
            HISTORY
        );
        // Never a negation; and nothing once the sentence or the aside ends.
        assert_eq!(bits_of("no pain (stinging)", "stinging"), 0);
        assert_eq!(bits_of("years ago (fine) and blisters", "blisters"), 0);
        assert_eq!(bits_of("my friend had it. (blisters)", "blisters"), 0);
    }

    #[test]
    fn pseudo_triggers_open_nothing() {
        assert_eq!(bits_of("not sure if that is pus", "pus"), 0);
        assert_eq!(bits_of("not getting better and pus", "pus"), 0);
    }

    #[test]
    fn terminations_and_until_words_end_a_scope() {
        assert_eq!(bits_of("what if I get pus", "pus"), HYPOTHETICAL);
        assert_eq!(bits_of("I had it done and now pus", "pus"), 0);
        assert_eq!(bits_of("my friend had pus", "pus"), OTHER | PAST);
        assert_eq!(bits_of("my friend did it and my face has pus", "pus"), 0);
        // "today" ends both the history and the past scopes: both roles apply.
        assert_eq!(bits_of("she had it today pus", "pus"), OTHER);
    }

    #[test]
    fn someone_elses_symptom_is_dismissed_only_in_the_past() {
        assert!(dismisses_symptom(OTHER | PAST));
        assert!(!dismisses_symptom(OTHER));
        assert!(!dismisses_symptom(PAST));
        assert!(dismisses_symptom(NEGATED));
        assert!(dismisses_symptom(HYPOTHETICAL | OTHER));
    }
}
