//! Triage: what a message is before any entry is matched. Safety first: a
//! crisis, then a possible complication, win over everything else.

use super::split::RUN_ON_WORDS;
use super::Engine;
use crate::knowledge::Chat;
use crate::matching::Analyzed;
use crate::text::context::{
    dismisses_symptom, HISTORY, HYPOTHETICAL, NEGATED, OTHER, PAST, UNCONCERNED,
};
use crate::text::pattern::{Pattern, PatternToken};
use crate::text::pattern_set::{Matches, Owner, PatternSet, WordSymbols};
use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

/// What triage decided; `None` from [`Engine::triage`] means "match entries".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Triage {
    /// Self-harm or suicide: the crisis reply.
    Crisis,
    /// A red flag (its index): the urgent reply.
    Flag(usize),
    /// A greeting or a question about the bot.
    Help,
    /// Small talk (the kind's index): its short reply.
    SmallTalk(usize),
    /// A subject the knowledge does not cover (its index).
    Gap(usize),
    /// A symptom put down to something other than the treatment, and no
    /// subject named ("my dog's paw is oozing"): not a question the article
    /// answers.
    Elsewhere,
}

/// A message without sentence stops of [`RUN_ON_WORDS`] words or more is
/// read in spans of [`RUN_ON_SPAN`] words, [`RUN_ON_STEP`] apart, for the
/// subjects it names.
const RUN_ON_SPAN: usize = 15;
const RUN_ON_STEP: usize = 5;

/// How many sentences in a row a red flag's words must lie within
/// ([`Engine::told_together`]).
const FLAG_SPAN: usize = 2;
/// … and at least this many words.
const FLAG_WORDS: usize = 30;

/// The kinds of triage patterns ([`crate::text::pattern_set::Owner::kind`]).
pub(super) const CRISIS: u8 = 0;
pub(super) const FLAG: u8 = 1;
pub(super) const GAP: u8 = 2;
/// Crisis warning signs, kept in a set of their own ([`Engine::crisis_signs`]).
pub(super) const SIGN: u8 = 3;
/// A cause other than the treatment, and a word for the treatment, in a set
/// of their own ([`Engine::other_cause`]).
pub(super) const CAUSE: u8 = 0;
pub(super) const TREATMENT: u8 = 1;
/// The treatment told as done ("after my session"), or still to come.
pub(super) const TREATED: u8 = 2;
pub(super) const UPCOMING: u8 = 3;

impl Engine {
    /// Triage in order of safety.
    pub(super) fn triage(&self, analyzed: &Analyzed) -> Option<Triage> {
        self.triage_tokens(analyzed, &analyzed.pattern_tokens(&self.context))
    }

    /// [`Engine::triage`] with the message's tokens in context already
    /// scanned (the answer path reuses them to set aside denied symptoms).
    pub(super) fn triage_tokens(
        &self,
        analyzed: &Analyzed,
        tokens: &[PatternToken<'_>],
    ) -> Option<Triage> {
        self.triage_noting(analyzed, tokens).0
    }

    /// [`Engine::triage_tokens`], and whether a subject's pattern had all
    /// its words in the message (matched, or stopped only by an exclusion):
    /// without one, no sentence of it read alone names a subject either
    /// ([`Engine::asked_alone`] is skipped).
    pub(super) fn triage_noting(
        &self,
        analyzed: &Analyzed,
        tokens: &[PatternToken<'_>],
    ) -> (Option<Triage>, bool) {
        let syms = self.symbols.of(tokens);
        // One pass for all kinds; the first pattern in order that matches is
        // a crisis one if any matches, else a red flag's, else a subject's.
        let found = self.patterns.matches(tokens, &syms, dismissed);
        let subject_words =
            found.first.is_some_and(|o| o.kind == GAP) || found.excluded_kinds & (1 << GAP) != 0;
        (
            self.triage_found(analyzed, tokens, &syms, &found),
            subject_words,
        )
    }

    /// [`Engine::triage_tokens`] past the one pass over the patterns.
    fn triage_found(
        &self,
        analyzed: &Analyzed,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        found: &Matches,
    ) -> Option<Triage> {
        let mut first = found.first;
        // Most messages are one sentence; only longer ones are split.
        let sentences: Vec<Range<usize>> = match analyzed.tokens.first().zip(analyzed.tokens.last())
        {
            Some((a, b)) if a.sentence != b.sentence => sentences(analyzed).collect(),
            _ => Vec::new(),
        };
        // A red flag's exclusions keep out questions about a symptom ("is
        // swelling usually normal?"). An excluded word in another sentence
        // ("how many sessions do people usually need? Also my cheek has been
        // swelling more each day") must not hide a symptom told in a sentence
        // of its own, so each sentence is checked alone.
        if !is_urgent(first)
            && found.excluded_kinds & (1 << CRISIS | 1 << FLAG) != 0
            && sentences.len() > 1
        {
            let alone = sentences.iter().find_map(|r| {
                let o = self
                    .patterns
                    .first_match(&tokens[r.clone()], &syms[r.clone()], dismissed);
                o.filter(|&o| is_urgent(Some(o)))
            });
            first = alone.or(first);
        }
        if matches!(first, Some(Owner { kind: CRISIS, .. })) || self.crisis_signs(tokens, syms) {
            return Some(Triage::Crisis);
        }
        // A flag the whole message matched must be told together too (one
        // found in a sentence alone, past another's exclusion, already is).
        if matches!(first, Some(Owner { kind: FLAG, .. }))
            && first == found.first
            && sentences.len() > FLAG_SPAN
        {
            first = self.told_together(tokens, syms, &sentences);
        }
        if let Some(Owner { kind: FLAG, index }) = first {
            let Some(names_treatment) = self.other_cause(tokens, syms, &sentences, index) else {
                return Some(Triage::Flag(index));
            };
            // The symptom is put down to something else ("my dog's paw is
            // oozing"), unless a flag that no cause excuses is there too.
            let all = self.patterns.all_matches(tokens, syms, dismissed);
            let always = &self.knowledge.red_flags.other_cause.always;
            if let Some(o) = all
                .iter()
                .find(|o| o.kind == FLAG && always.contains(&o.index))
            {
                return Some(Triage::Flag(o.index));
            }
            let gap = all.into_iter().find(|o| o.kind == GAP);
            // A message that asks about the treatment besides ("bumped the
            // coffee table, huge bruise. Which areas can be microneedled?")
            // goes on to be matched; with no word for the treatment, it is
            // about something else: a subject it names, or else a decline.
            return match (gap, names_treatment) {
                (Some(o), _) => Some(Triage::Gap(o.index)),
                (None, true) => None,
                (None, false) => Some(Triage::Elsewhere),
            };
        }
        if let Some(t) = self.small_talk(analyzed) {
            return Some(t);
        }
        // A subject not covered is named within one sentence: words of a
        // pattern scattered over a story ("I'll book the treatment for a
        // Wednesday … people look a bit sunburnt afterwards") name nothing.
        // Its exclusions still count over the whole message ("tried
        // everything, antibiotics, the lot. … acne scars?").
        // A long message told without stops (voice-to-text) is one
        // sentence: its spans of a few words stand in for sentences.
        let spans: Vec<Range<usize>> = if sentences.len() <= 1 && tokens.len() >= RUN_ON_WORDS {
            (0..tokens.len())
                .step_by(RUN_ON_STEP)
                .map(|s| s..tokens.len().min(s + RUN_ON_SPAN))
                .collect()
        } else {
            Vec::new()
        };
        let sentences = if spans.is_empty() { &sentences } else { &spans };
        if first.is_some() && sentences.len() > 1 {
            let whole = self.patterns.all_matches(tokens, syms, dismissed);
            first = sentences.iter().find_map(|r| {
                self.patterns
                    .all_matches(&tokens[r.clone()], &syms[r.clone()], dismissed)
                    .into_iter()
                    .find(|o| whole.contains(o))
            });
        }
        // (An `aside` subject is already set aside where it is only told,
        // and the covered part answered with a note: that path stays.)
        let aside = |o: &Owner| o.kind == GAP && self.knowledge.gaps[o.index].aside;
        if first.is_some_and(|o| !aside(&o))
            && self.someone_elses_in_passing(analyzed, tokens, syms)
        {
            return None;
        }
        first.map(|o| Triage::Gap(o.index))
    }

    /// The first red flag of a long message whose words lie within
    /// [`FLAG_SPAN`] sentences in a row, or else the first subject it
    /// names. A complication is told in a sentence or the next ("my cheek
    /// is swollen. It's getting worse"); a story's words for one scattered
    /// over it are something else ("I'm Black …" and, three sentences on,
    /// "dark patches for months" after a laser; "freezing at night" and
    /// "boiling the kettle" about a broken boiler). Exclusions still count
    /// over the whole message, so this only ever withholds a flag.
    fn told_together(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        sentences: &[Range<usize>],
    ) -> Option<Owner> {
        let whole = self.patterns.all_matches(tokens, syms, dismissed);
        // From each sentence, the next ones until the stretch holds
        // FLAG_SPAN sentences and FLAG_WORDS words: terse fragments
        // ("it burns. like acid. 3 days. worse") are one stretch.
        let spans: Vec<Range<usize>> = (0..sentences.len())
            .map(|i| {
                let start = sentences[i].start;
                let end = sentences[i..]
                    .iter()
                    .enumerate()
                    .find(|(k, r)| k + 1 >= FLAG_SPAN && r.end - start >= FLAG_WORDS)
                    .map_or(tokens.len(), |(_, r)| r.end);
                start..end
            })
            .collect();
        // Each stretch is scanned once, and only until the first flag in
        // order is found told together.
        let mut local: Vec<Option<Vec<Owner>>> = vec![None; spans.len()];
        whole.into_iter().find(|o| {
            o.kind != FLAG
                || spans.iter().zip(&mut local).any(|(r, found)| {
                    found
                        .get_or_insert_with(|| {
                            self.patterns.all_matches(
                                &tokens[r.clone()],
                                &syms[r.clone()],
                                dismissed,
                            )
                        })
                        .contains(o)
                })
        })
    }

    /// Whether the subjects not covered that the message names are only
    /// someone else's, told in passing: with someone else's words set
    /// aside nothing matches, and a clause of the member's own asks,
    /// neither about that person nor whether it suits them ("my pregnant
    /// cousin won't shut up about microneedling. what even is it?", "my
    /// sister who's pregnant says it hurts, does it?"; not "… can she get
    /// it?" nor "… is it safe?").
    fn someone_elses_in_passing(
        &self,
        analyzed: &Analyzed,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
    ) -> bool {
        if !tokens.iter().any(|t| t.context & OTHER != 0) {
            return false;
        }
        let own = self.patterns.matches(tokens, syms, |kind, bits| {
            dismissed(kind, bits) || (kind == GAP && bits & OTHER != 0)
        });
        if own.first.is_some() {
            return false;
        }
        let clauses = || analyzed.tokens.iter().map(|t| t.clause);
        let (Some(low), Some(high)) = (clauses().min(), clauses().max()) else {
            return false;
        };
        // Told, not asked: a clause about someone else that asks ("can
        // someone with rosacea get it?", "do they use numbing cream?")
        // asks about the subject itself.
        let first_word = |clause: u32| analyzed.tokens.iter().find(|t| t.clause == clause);
        let asks_about_them = (low..=high).any(|clause| {
            tokens
                .iter()
                .zip(&analyzed.tokens)
                .any(|(t, a)| a.clause == clause && t.context & OTHER != 0)
                && first_word(clause).is_some_and(|w| super::split::starts_question(&w.text))
        });
        if asks_about_them {
            return false;
        }
        (low..=high).any(|clause| {
            let mut words = analyzed
                .tokens
                .iter()
                .zip(tokens)
                .filter(|(a, _)| a.clause == clause);
            // Two words at least: a lone "which" between commas asks nothing.
            words.clone().nth(1).is_some()
                && words
                    .clone()
                    .all(|(a, t)| t.context & OTHER == 0 && !self.chat.roles(&a.text).for_them)
                && words.any(|(a, _)| self.chat.roles(&a.text).question)
        })
    }

    /// Whether the message shows enough different crisis warning signs
    /// (`[[crisis.sign]]`). A crisis told indirectly ("I feel calm now. Made
    /// my decision. Just wanted to say bye") rarely uses a phrase anyone
    /// listed, but it nearly always shows two kinds of sign; one alone
    /// ("made my decision" about a booking) is everyday chat. Like the crisis
    /// patterns, no context dismisses a sign: a false alarm costs little here.
    fn crisis_signs(&self, tokens: &[PatternToken<'_>], syms: &[WordSymbols]) -> bool {
        let needed = self.knowledge.red_flags.signs_needed;
        if self.knowledge.red_flags.crisis_signs.len() < needed {
            return false;
        }
        // `all_matches` lists each owner once, and a sign's owner is its index.
        self.signs.all_matches(tokens, syms, |_, _| false).len() >= needed
    }

    /// Whether the learned crisis model scores the message above the
    /// knowledge's threshold. Asked of the whole message once, before the
    /// patterns: a part of a story alone says less than the whole.
    pub(super) fn learned_crisis(&self, text: &str) -> bool {
        self.crisis_model.score(text) > self.knowledge.red_flags.learned_threshold
    }

    /// The learned crisis model's score for `text`, with the words that
    /// weigh most toward crisis (for explain). `None` when no model was
    /// trained (no `crisis_examples.jsonl`).
    pub fn crisis_score(&self, text: &str) -> Option<(f32, Vec<(String, f32)>)> {
        let m = &self.crisis_model;
        m.is_trained().then(|| (m.score(text), m.heaviest(text, 6)))
    }

    /// Whether the message's symptoms are not a complication of the
    /// treatment (`[other_cause]`): it never says the treatment happened,
    /// and either the treatment is still to come, or it blames another
    /// cause and names no treatment, or names that cause in the sentence
    /// that tells the symptom. A cause only guessed at ("could it be the
    /// flu?") or denied ("not from the dog") excuses nothing; "no
    /// treatment" names none. `Some(whether the treatment is named)` when
    /// the symptoms are excused.
    fn other_cause(
        &self,
        tokens: &[PatternToken<'_>],
        syms: &[WordSymbols],
        sentences: &[Range<usize>],
        flag: usize,
    ) -> Option<bool> {
        let cause_dismissed = |kind: u8, bits: u8| match kind {
            CAUSE => bits & (NEGATED | HYPOTHETICAL) != 0,
            _ => bits & NEGATED != 0,
        };
        let found = self.causes.all_matches(tokens, syms, cause_dismissed);
        let has = |kind: u8| found.iter().any(|o| o.kind == kind);
        let named = has(TREATMENT);
        if has(TREATED) {
            return None;
        }
        if has(UPCOMING) {
            return Some(named);
        }
        if !has(CAUSE) {
            return None;
        }
        if !named {
            return Some(false);
        }
        // The treatment named, maybe only in a question about it: the cause
        // must stand in each sentence that tells a symptom on its own. A
        // one-sentence message naming both ("got filler and microneedling
        // today, lips swelling") is escalated: when in doubt, escalate.
        let mut flagged: Vec<&Range<usize>> = sentences
            .iter()
            .filter(|r| {
                let o = self.patterns.first_match(
                    &tokens[(*r).clone()],
                    &syms[(*r).clone()],
                    dismissed,
                );
                matches!(o, Some(Owner { kind: FLAG, .. }))
            })
            .collect();
        // A flag pieced together across sentences ("Mum keeps buying
        // collagen drinks. … her bank account is bleeding"): the sentences
        // that name the flag's symptom (a word that starts one of its
        // patterns, not one that only qualifies it, like "keeps"; failing
        // that, one such as `bubbl*` written as a prefix) are where the
        // cause must stand.
        // Heads written as words first; a prefix ("soak*" of a soaked
        // dressing) also starts everyday words ("soak in better"), so
        // prefixes are read only when no sentence has a head word.
        if flagged.is_empty() {
            let heads = &self.symptom_heads[flag];
            let mut by_prefix = Vec::new();
            for r in sentences {
                let told = || {
                    tokens[r.clone()]
                        .iter()
                        .filter(|t| !dismissed(FLAG, t.context))
                };
                if told().any(|t| heads.word(t.stem)) {
                    flagged.push(r);
                } else if flagged.is_empty() && told().any(|t| heads.prefix(t.text)) {
                    by_prefix.push(r);
                }
            }
            if flagged.is_empty() {
                flagged = by_prefix;
            }
        }
        let excused = !flagged.is_empty()
            && flagged.iter().all(|r| {
                self.causes
                    .all_matches(&tokens[(*r).clone()], &syms[(*r).clone()], cause_dismissed)
                    .iter()
                    .any(|o| o.kind == CAUSE)
            });
        excused.then_some(true)
    }

    /// Every triage pattern the whole message matches, each with who owns
    /// it, so a moderator sees which line to mend after a false alarm or a
    /// wrong decline. Builds one small set per pattern: for explanations,
    /// never on the answering path. (Triage itself also looks at sentences
    /// one by one, so a pattern listed here may not be the one that decided.)
    pub fn matching_patterns(&self, message: &str) -> Vec<PatternHit> {
        let text = super::cap(message, self.settings.max_input_chars);
        let analyzed = self.matcher.analyze(text);
        let tokens = analyzed.pattern_tokens(&self.context);
        let k = &self.knowledge;
        let mut symbols = self.symbols.clone();
        let rf = &k.red_flags;
        let other = &rf.other_cause;
        // (kind, owner, patterns) in triage's order. Kinds here only pick the
        // dismissal rule: a cause and a word for the treatment are dismissed
        // like a subject (negated), near enough.
        let mut groups: Vec<(u8, String, &[Pattern])> = vec![(CRISIS, "crisis".into(), &rf.crisis)];
        groups.extend(
            rf.crisis_signs
                .iter()
                .map(|s| (SIGN, format!("crisis sign `{}`", s.id), &s.patterns[..])),
        );
        groups.extend(
            rf.flags
                .iter()
                .map(|f| (FLAG, format!("red flag `{}`", f.id), &f.patterns[..])),
        );
        for (owner, patterns) in [
            ("other cause", &other.causes),
            ("treatment named", &other.treatment),
            ("treatment done", &other.treated),
            ("treatment to come", &other.upcoming),
        ] {
            groups.push((GAP, owner.into(), patterns));
        }
        groups.extend(
            k.gaps
                .iter()
                .map(|g| (GAP, format!("not covered `{}`", g.id), &g.patterns[..])),
        );
        let all = groups.iter().flat_map(|(kind, owner, patterns)| {
            patterns.iter().map(move |p| (*kind, owner.clone(), p))
        });
        // Every pattern word is already numbered, so the message's symbols
        // are looked up once for all the small sets.
        let syms = symbols.of(&tokens);
        let mut hits = Vec::new();
        for (kind, owner, pattern) in all {
            let one = PatternSet::new(&mut symbols, [(Owner { kind, index: 0 }, pattern)]);
            let found = one.first_match(&tokens, &syms, |kind, bits| {
                kind != SIGN && dismissed(kind, bits)
            });
            if found.is_some() {
                hits.push(PatternHit {
                    owner,
                    pattern: pattern.source.clone(),
                });
            }
        }
        hits
    }

    /// Whether the message names the treatment, or tells it as done or to
    /// come ("mum had it done yesterday", "before my appointment").
    pub(super) fn mentions_treatment(&self, tokens: &[PatternToken<'_>]) -> bool {
        self.treatment_told(tokens, &[TREATMENT, TREATED, UPCOMING])
    }

    /// Whether the message writes a word for the treatment ("microneedling",
    /// "dermapen"), however it is told.
    pub(super) fn names_treatment(&self, tokens: &[PatternToken<'_>]) -> bool {
        self.treatment_told(tokens, &[TREATMENT])
    }

    /// Whether a pattern of one of `kinds` (of the other-cause set) matches,
    /// context ignored.
    fn treatment_told(&self, tokens: &[PatternToken<'_>], kinds: &[u8]) -> bool {
        let syms = self.symbols.of(tokens);
        self.causes
            .all_matches(tokens, &syms, |_, _| false)
            .iter()
            .any(|o| kinds.contains(&o.kind))
    }

    /// Every subject not covered that the whole message names, with each
    /// pattern's exclusions counted over the whole message. A part of a
    /// message triaged alone loses the words around it: "did all the creams
    /// and pills" names medication, but not in a message that asks what the
    /// acne left behind.
    pub(super) fn subjects_named(&self, analyzed: &Analyzed) -> Vec<usize> {
        let tokens = analyzed.pattern_tokens(&self.context);
        let syms = self.symbols.of(&tokens);
        self.patterns
            .all_matches(&tokens, &syms, dismissed)
            .into_iter()
            .filter(|o| o.kind == GAP)
            .map(|o| o.index)
            .collect()
    }

    /// The subjects whose `asked_by` patterns `analyzed` (one part of a
    /// message) matches: it asks about them, named or not.
    pub(super) fn asks_after(&self, analyzed: &Analyzed) -> impl Iterator<Item = usize> {
        let tokens = analyzed.pattern_tokens(&self.context);
        let syms = self.symbols.of(&tokens);
        self.asked_by
            .all_matches(&tokens, &syms, dismissed)
            .into_iter()
            .map(|o| o.index)
    }

    /// A greeting, a help request or small talk: only such words and filler.
    /// A message with no words at all (only emoji, only a mention) is a greeting.
    pub(super) fn small_talk(&self, a: &Analyzed) -> Option<Triage> {
        let chat = &self.knowledge.chat;
        if a.tokens.is_empty() {
            return Some(Triage::Help);
        }
        // Greetings and small talk are short; a long message is a question.
        const LONGEST: usize = 12;
        if a.tokens.len() > LONGEST {
            return None;
        }
        // An emoji beside a greeting ("good morning everyone ☀️") decorates it.
        let roles: Vec<ChatRoles> = a
            .tokens
            .iter()
            .map(|t| {
                if t.emoji {
                    ChatRoles {
                        filler: true,
                        ..ChatRoles::default()
                    }
                } else {
                    self.chat.roles(&t.text)
                }
            })
            .collect();
        // Every word is of the kind or filler, and one is of the kind.
        let only = |is: &dyn Fn(&ChatRoles) -> bool| {
            roles.iter().all(|r| is(r) || r.filler) && roles.iter().any(is)
        };
        if only(&|r| r.help) {
            return Some(Triage::Help);
        }
        let asks_what_bot_is = chat.help_phrases.iter().any(|p| {
            a.tokens.len() <= p.len() + 3
                && a.tokens
                    .windows(p.len())
                    .any(|w| w.iter().zip(p).all(|(t, p)| &t.text == p))
        });
        if asks_what_bot_is {
            return Some(Triage::Help);
        }
        if roles.iter().any(|r| r.question) {
            return None;
        }
        // "thanks bot, have a nice day": words that greet or name the bot
        // go with any kind of small talk.
        (0..chat.small_talk.len().min(ChatRoles::KINDS))
            .find(|&i| {
                let kind = |r: &ChatRoles| r.small_talk & (1 << i) != 0;
                roles.iter().all(|r| kind(r) || r.filler || r.help) && roles.iter().any(kind)
            })
            .map(Triage::SmallTalk)
    }
}

/// A triage pattern a message matches ([`Engine::matching_patterns`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternHit {
    /// Who owns it, in words: "red flag `pain`", "crisis sign `farewell`".
    pub owner: String,
    /// The pattern as written in the knowledge file.
    pub pattern: String,
}

/// Whether a pattern term with these context bits does not count for a
/// pattern of this kind.
fn dismissed(kind: u8, bits: u8) -> bool {
    match kind {
        CRISIS => false,
        FLAG => dismisses_symptom(bits),
        // A subject mentioned as negated, as the speaker's past ("I was
        // on accutane years ago"), as someone else's past ("a friend got
        // an infection after a tattoo once") or as no worry ("not worried
        // about complications") is not what the message asks about.
        _ => bits & (NEGATED | HISTORY | UNCONCERNED) != 0 || bits & (OTHER | PAST) == OTHER | PAST,
    }
}

/// A crisis or a red flag.
fn is_urgent(o: Option<Owner>) -> bool {
    matches!(
        o,
        Some(Owner {
            kind: CRISIS | FLAG,
            ..
        })
    )
}

/// The token ranges of a message's sentences, in order.
fn sentences(a: &Analyzed) -> impl Iterator<Item = Range<usize>> + '_ {
    let words = &a.tokens;
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= words.len() {
            return None;
        }
        let sentence = words[start].sentence;
        let end = words[start..]
            .iter()
            .position(|t| t.sentence != sentence)
            .map_or(words.len(), |n| start + n);
        let range = start..end;
        start = end;
        Some(range)
    })
}

/// What one word can be in chat (`chat.toml`), looked up once per word
/// instead of scanning every list.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct ChatRoles {
    help: bool,
    filler: bool,
    question: bool,
    /// Refers back to the treatment ("it", "after").
    pub(super) reference: bool,
    /// Makes a question about someone else, or whether it suits them.
    for_them: bool,
    /// People in general ("anyone"), whom a later "they" may stand for.
    pub(super) people: bool,
    /// Bit i: a word of the i-th small-talk kind.
    small_talk: u64,
}

impl ChatRoles {
    /// As many small-talk kinds as loading accepts.
    pub(super) const KINDS: usize = crate::knowledge::MAX_SMALL_TALK_KINDS;
}

/// The words of `chat.toml`, interned.
#[derive(Debug, Default)]
pub(super) struct ChatIndex {
    words: HashMap<String, ChatRoles>,
}

impl ChatIndex {
    pub(super) fn new(chat: &Chat) -> ChatIndex {
        let mut index = ChatIndex::default();
        let mut mark = |list: &[String], set: &dyn Fn(&mut ChatRoles)| {
            for w in list {
                set(index.words.entry(w.clone()).or_default());
            }
        };
        mark(&chat.help, &|r| r.help = true);
        mark(&chat.filler, &|r| r.filler = true);
        mark(&chat.questions, &|r| r.question = true);
        mark(&chat.references, &|r| r.reference = true);
        mark(&chat.for_them, &|r| r.for_them = true);
        mark(&chat.people, &|r| r.people = true);
        for (i, kind) in chat.small_talk.iter().enumerate().take(ChatRoles::KINDS) {
            mark(&kind.words, &|r| r.small_talk |= 1 << i);
        }
        index
    }

    pub(super) fn roles(&self, word: &str) -> ChatRoles {
        self.words.get(word).copied().unwrap_or_default()
    }
}
