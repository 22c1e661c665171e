//! Scenario tests of the answering engine: triage order, sourced replies,
//! several questions at once, odd input, and the accuracy floors.

use crate::support;

use microneedling_bot::eval::{evaluate, parse_cases, Kind};
use microneedling_bot::Status;
use proptest::prelude::*;
use std::sync::OnceLock;

fn engine() -> &'static microneedling_bot::Engine {
    static ENGINE: OnceLock<microneedling_bot::Engine> = OnceLock::new();
    ENGINE.get_or_init(support::engine)
}

#[test]
fn redness_question_is_answered_with_a_cited_quote_and_the_disclaimer() {
    let a = engine().answer("how long will my face be red?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.sources.iter().any(|s| s.quote.contains("24-48 hours")));
    let s = &a.sources[0];
    assert!(s.title.starts_with("Microneedling for Skin Renewal"));
    assert!(s.location.starts_with("paragraph "));
    assert!(a.disclaimer.contains("dermatologist"));
}

#[test]
fn a_complication_is_urgent_and_carries_no_article_snippet() {
    for q in [
        "my cheek is hot and there's pus, I feel feverish",
        "HELP my lips and tongue are swelling after my session",
        "it's been bleeding for 2 hours and won't stop",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}");
        assert!(a.sources.is_empty() && a.entry.is_none(), "{q}");
        assert!(a.answer.to_lowercase().contains("medical attention"), "{q}");
    }
}

#[test]
fn a_negated_symptom_is_not_a_red_flag() {
    let a = engine()
        .answer("no fever or pus, just red and a bit swollen today. normal after microneedling?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_symptom_told_as_over_or_checked_off_is_answered_but_a_recent_one_is_not() {
    all_answered(&[
        // a clause that only says it is over, about the clauses before it
        "my skin felt hot and stingy for a few hours after but it's fine now. can I go to the beach tomorrow?",
        // a checklist answered "nope"
        "swollen? check. red? check. feels sunburnt? check. fever, pus, blisters? nope. so how long till the swelling goes down",
    ]);
    // the same "fine now" is no help to a symptom told after it
    let a =
        engine().answer("it was fine now and then, but today there's pus coming out of my cheek");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    // someone else's symptom dated to today is not an old story
    let a = engine().answer(
        "One of my clients came in today, 3 days after her needling, and her skin had open weeping sores. What should she do?",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    let a = engine().answer(
        "my friend had an infection after hers years ago, how long is the redness usually?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_question_in_a_sentence_of_its_own_is_answered_beside_chatter() {
    all_answered(&["how long does the redness last?? wedding planning brain is in overdrive"]);
    // but not when the message is set in another field
    all_declined(&[
        "this organic chem exam will be the death of me. what's a good way to memorise reaction mechanisms",
    ]);
}

#[test]
fn whom_to_consult_is_answered_beside_an_uncovered_condition() {
    for q in [
        "I'm on accutane, should I see a derm first?",
        "what if I turn out to be allergic to something, who should I check with before booking?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert_eq!(
            a.entry.as_deref(),
            Some("safety-consult-dermatologist"),
            "{q}"
        );
    }
    // the uncovered part is named beside the answer
    let a = engine().answer(
        "what if I turn out to be allergic to something, who should I check with before booking?",
    );
    assert_eq!(a.gap.as_deref(), Some("medical"), "{a:?}");
    // asking whether it suits the condition is asking about the condition
    all_declined(&[
        "I've got rosacea. Would microneedling suit me?",
        "I'm on accutane, can I still do it?",
    ]);
}

/// Each message is declined, with no article content.
fn all_declined(messages: &[&str]) {
    for q in messages {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
        assert!(a.sources.is_empty(), "{q}");
    }
}

/// Asserts that none of `words` was typo-corrected in the answer `a`.
fn kept_as_written(a: &microneedling_bot::Answer, words: &[&str]) {
    assert!(
        a.corrected
            .iter()
            .all(|(from, _)| !words.contains(&from.as_str())),
        "{words:?} corrected: {a:?}"
    );
}

/// Asserts that every message is answered, first by `entry`.
fn all_answered_by(entry: &str, messages: &[&str]) {
    for q in messages {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert_eq!(
            a.entries.first().map(String::as_str),
            Some(entry),
            "{q}: {a:?}"
        );
    }
}

fn all_answered(messages: &[&str]) {
    for q in messages {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
}

/// Asserts that every message is escalated as urgent.
fn all_urgent(messages: &[&str]) {
    for q in messages {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn uncovered_subjects_are_declined_not_guessed() {
    all_declined(&[
        "how do I treat a sunburn?",
        "are collagen supplements worth it?",
        "what causes acne?",
        "what SPF do I need after microneedling",
        // The article says collagen builds "over time", never when it peaks.
        "which week after treatment does new collagen peak?",
        "how many days does collagen take to form after needling",
        // A sunburn's own healing is not the treatment's redness.
        "how long does a sunburn take to heal",
    ]);
    let a = engine().answer("what's the capital of peru");
    assert_eq!(a.status, Status::NoMatch);
    assert!(a.answer.contains("knowledge base"));
}

#[test]
fn a_subject_told_in_passing_does_not_stop_the_covered_question() {
    // The uncovered subject is a detail of the story; the question is covered.
    for (q, entry, subject) in [
        (
            "Our wedding is in the spring. Is redness after microneedling normal?",
            "downtime-redness",
            "timing",
        ),
        (
            "Off to the gym later today. How long does the redness last?",
            "downtime-redness",
            "exercise",
        ),
        (
            "Pilates teacher here, does microneedling hurt?",
            "procedure-pain",
            "exercise",
        ),
        // A part ending in a colon announces the question.
        (
            "gym bro q: does microneedling hurt much",
            "procedure-pain",
            "exercise",
        ),
        // An interjection or an emoji can stand where a full stop would.
        (
            "student budget here 🥲 how many sessions would i realistically need",
            "results-sessions",
            "cost",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert_eq!(a.entry.as_deref(), Some(entry), "{q}");
        assert_eq!(a.fired.as_deref(), Some(subject), "{q}");
        assert!(
            a.answer.contains("doesn't cover"),
            "{q}: the uncovered part is named"
        );
    }
    // Company at the gym is no subject at all: the question is answered
    // and nothing uncovered is named.
    let a =
        engine().answer("yo what even is microneedling bro, my gym buddy keeps talking about it");
    assert_eq!(a.entry.as_deref(), Some("procedure-what-is-it"), "{a:?}");
    assert_eq!(a.fired, None, "{a:?}");
    // A part triaged alone keeps the exclusions the rest of the message
    // gives: a past acne regimen, listed before asking what the acne left
    // behind, is not a question about medication.
    let a = engine().answer(
        "had bad acne for years, tried all the creams and pills, finally clear. my wedding is next spring. does microneedling work on acne scarring?",
    );
    assert_eq!(a.entry.as_deref(), Some("scars-acne"), "{a:?}");
    // A story's doubt about the evidence is an aside too, when another
    // sentence asks a covered question.
    let a = engine().answer(
        "My husband thinks the whole thing is a placebo. What does the body actually do in response to the needles?",
    );
    assert_eq!(a.entry.as_deref(), Some("procedure-how-it-works"), "{a:?}");
    assert_eq!(a.fired.as_deref(), Some("evidence"), "{a:?}");
    // A question may start after "but" inside a sentence that tells.
    let a = engine().answer("gym bro here, been at it for years lol but does microneedling hurt");
    assert_eq!(a.entry.as_deref(), Some("procedure-pain"), "{a:?}");
    // Still declined: the subject is asked about, or it changes the answer.
    all_declined(&[
        "How long do results last? I've had three sessions.",
        // "back in" is a place here, not a past story
        "how soon can I get back in the gym after?",
        "I have rosacea. Is microneedling a good idea for me?",
        "Can I swim after? Also does it hurt?",
        "gym rat here, when can i lift again after microneedling",
        "I'm so nervous, what can I take to calm down before microneedling?",
        "my dog chewed the sofa, how do i fix it",
    ]);
}

#[test]
fn a_long_storys_passing_words_raise_no_red_flag() {
    // Red-flag words are read over the whole message, so a story's idioms
    // and other people's jobs must not add up to a complication.
    all_answered(&[
        "I'm 70 and on a couple of tablets for blood pressure, nothing dramatic, and I keep fairly well. My niece suggested microneedling before her wedding. Would it be advisable to consult a dermatologist first?",
        "Things I bought this year: a serum, a jade roller, and an ampoule that smells faintly of feet. None of them did anything. Does microneedling make serums and creams absorb better?",
        "At 70 I have made my peace with most of my wrinkles, but my son wants to treat me to microneedling. Would it actually do anything for the fine lines around my mouth?",
        "My mother-in-law calls it witchcraft and I've been burned by a pricey eye cream before. Can someone explain why making tiny wounds in your skin would make it look better?",
    ]);
    // A faint is still urgent, even when a bump from the fall is told too.
    all_urgent(&[
        "Did microneedling this afternoon. Then I stood up from the sofa, everything went black, and I woke up on the floor. I think I hit my head on the coffee table.",
        "my cheek is puffy and warm 4 days after my microneedling",
        // "has not stopped bleeding" is still bleeding, not a denial.
        "Needled my own forehead with a pen tonight and one spot has not stopped bleeding for an hour, even pressing on it.",
        // Found on the floor, in a learner's English; the floor is no cause of the swelling.
        "today i make microneedling. at night i lose consciousness short time, my sister find me on the floor, now my face is swelling",
    ]);
}

#[test]
fn a_storys_asides_idioms_and_other_clauses_are_not_a_complication_now() {
    all_answered(&[
        // A parenthesised aside is still the past it follows.
        "My aunt had a facelift years back and a rough recovery (an infection and two weeks off work), which put us all off. Is microneedling a way to improve skin without surgery?",
        // Money that bleeds, the flag pieced together across sentences.
        "I keep buying serums that promise everything. Honestly my bank account is bleeding at this point. Does microneedling help products soak in better afterwards?",
        // A comma between "hurt" and "so" is no "hurts so".
        "Bonjour, I read that the needles make the skin hurt, so how it gets better after? I want to understand what happens.",
    ]);
}

#[test]
fn an_unpunctuated_story_is_answered_when_the_whole_clearly_asks_one_thing() {
    // Voice-to-text: one clause of many words, the asked ones drowned.
    all_answered_by(
        "procedure-pain",
        &["does microneedling hurt like properly hurt I did my ankle skiing in austria two winters ago and that was agony so I know pain my cousin reckons needling is nothing but she also reckoned the slopes were easy that day so I don't trust her plus my brother is driving me and he goes green at the sight of a needle so tell me if it's awful"],
    );
}

#[test]
fn a_run_on_message_names_a_subject_only_where_its_words_stand_together() {
    // No stops at all: "after" at the start and "a drink" at the end are
    // no question about drinking after the treatment.
    let q = "ok so I am walking home after a long shift and dictating this so sorry about no full stops my brother keeps telling me that microneedling is just stabbing your face and calling it skincare and I genuinely do not know enough to argue with him so can someone explain how the tiny needles actually make the skin better I want to win this one when we go for a drink on friday";
    let a = engine().answer(q);
    assert_eq!(a.gap, None, "{a:?}");
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    // Written together, the subject is still named.
    all_declined(&["ok so I am walking home from work dictating this with no full stops at all my sister asked me earlier today whether you can have a drink after microneedling the same night and I had no idea what to tell her"]);
}

#[test]
fn a_long_story_is_answered_when_its_question_only_makes_sense_whole() {
    // The subject not covered (nail work) is only told, and the asking
    // sentence alone ("Is one enough or does it take several?") names no
    // entry: the whole message clearly asks how many sessions.
    all_answered_by(
        "results-sessions",
        &[
            "I run a small nail bar and I'm always busy doing gel and acrylic sets. A regular client asked me how many microneedling sessions she would need before she notices a change. I had no idea what to say to her. Is one enough or does it take several?",
            "My cousin runs a nail bar doing gel and acrylic sets all week. One of her regulars asked how many microneedling sessions it takes before you see a difference. Neither of us knew. Is one enough or do you need a few?",
        ],
    );
    // A courtesy asks nothing: "please be patient" does not make the
    // sentence naming the server a question about it.
    all_answered_by(
        "results-vary",
        &["I'm 71 and my grandson set up this Discord server for me, so please be patient if I reply slowly. Will microneedling work as well for me as for young people? Does age change the results?"],
    );
    // A story that asks about the subject itself is still declined, also
    // when the question only refers back to it (a subject's `asked_by`).
    all_declined(&[
        "I finished a six month course of isotretinoin a couple of months ago and my skin is finally clear, though there is some scarring left. I'm a student and money is tight. How long should I wait after isotretinoin before having microneedling?",
        "My microneedling is booked for the 3rd and I've also got a chemical peel voucher from my sister that runs out this month, both at the same salon. Could I have them done back to back in one visit, or would that be too much for my skin?",
        "I've had psoriasis on my elbows and scalp for about ten years, it comes and goes with stress. My face is mostly fine but I've got some acne scarring on my jaw from my twenties. Is it safe for me to go ahead with needling on the jaw?",
    ]);
    // A wish or a denied "tell" asks nothing: the question is elsewhere.
    all_answered_by(
        "collagen-elastin",
        &["Some clinics say collagen induction therapy and others say microneedling, and I honestly can't tell if it's one thing with two price lists. I'm 50 and things are heading south. Does microneedling get my skin to make more of its own collagen? Would love to sort this before my daughter's graduation."],
    );
}

#[test]
fn a_reply_to_a_member_is_read_without_the_handle_and_names_are_not_typos() {
    let a = engine().answer("@Mod does microneedling hurt?");
    assert_eq!(a.entry.as_deref(), Some("procedure-pain"), "{a:?}");
    assert_eq!(a.fired, None);
    // An emoji still names the subject of a question.
    let a = engine().answer("☀️ straight after microneedling = bad?");
    assert_eq!(a.entry.as_deref(), Some("aftercare-sunlight"), "{a:?}");
    let a = engine().answer("my wedding is in june, does microneedling hurt?");
    kept_as_written(&a, &["june"]);
}

#[test]
fn greetings_get_the_help_reply() {
    for q in [
        "hi",
        "hello bot!",
        "what can you do?",
        "",
        "   ",
        "🙂🙂",
        "<@123456789>",
        "who built you? are you a real person",
        "is this a bot",
    ] {
        assert_eq!(engine().answer(q).status, Status::Help, "{q:?}");
    }
}

#[test]
fn two_questions_in_one_message_are_both_answered() {
    let a = engine().answer("does it hurt and how long is the redness?");
    assert_eq!(a.status, Status::Answered);
    assert!(a.entries.len() >= 2, "{:?}", a.entries);
    let text = a.answer.to_lowercase();
    assert!(
        text.contains("tolerated") && text.contains("24-48"),
        "{text}"
    );
}

#[test]
fn typos_and_chat_spelling_still_match() {
    for (q, want) in [
        ("wat r atrophic scarz", "atroph"),
        ("does microneedeling help wrinkels", "wrinkle"),
        ("how long does the rednesss last", "24-48"),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        let all = format!("{} {:?}", a.answer, a.sources).to_lowercase();
        assert!(all.contains(want), "{q}: {all}");
    }
}

#[test]
fn a_number_is_never_corrected_into_an_emergency_line() {
    // "$99" is a price, not a typo of the "999" a member rings.
    let a = engine().answer("should i talk to someone before booking? found a deal for $99");
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    kept_as_written(&a, &["99"]);
    // Written as it is, the number still counts.
    let a = engine().answer("my face swelled up after microneedling so i rang 999");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_dropped_final_g_is_read_as_the_ing_word() {
    // "cuttin" is "cutting": told of oneself, it is a crisis.
    let a = engine().answer("im cuttin myself again");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    assert!(
        a.corrected
            .iter()
            .any(|(from, to)| from == "cuttin" && to == "cutting"),
        "{a:?}"
    );
    // A real word ending in "in" stays as written.
    let a = engine().answer("does microneedling begin to work within a month?");
    kept_as_written(&a, &["begin", "within"]);
}

#[test]
fn a_pattern_word_that_is_a_chat_spelling_still_matches() {
    // vocabulary.toml reads "needled" as "microneedled"; the colour-change
    // flag is written with "where she needled".
    let a = engine().answer("white patches on my chin where she needled me last week");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn english_words_contractions_and_short_swaps_are_read_right() {
    // "here's" is English, not a typo of "herpes" (it raised the cold-sore flag).
    let a = engine().answer("So here's the thing, I'm 45 and smoked for years. Would I get the same results as my neighbour?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    kept_as_written(&a, &["heres"]);
    // A doubled letter in an English word is not a stretched typo.
    let a = engine().answer("after my microneedling I tried to fix the squeaky door, any tips?");
    kept_as_written(&a, &["door"]);
    // Three letters swapped are corrected; "hwo" is "how".
    let a = engine().answer("hwo does microneedling wrok");
    assert_eq!(a.entry.as_deref(), Some("procedure-how-it-works"), "{a:?}");
}

#[test]
fn a_question_about_something_else_is_declined_though_the_story_names_the_domain() {
    all_declined(&[
        "while I wait for my microneedling appointment, anyone know a decent pizza place nearby?",
        "Microneedling aside, can anyone recommend a good plumber for a leaking boiler?",
        "has anyone seen the new series everyone is talking about?",
        // Only a patient's word for the sun, among words of something else.
        "anyone know a good sushi restaurant near the beach in Brighton",
    ]);
    // The question is terse, but about what the story tells.
    for q in [
        "Day one post-microneedling with mild erythema, no fever. Expected timeline for resolution?",
        "I've got deep acne scars. What would you suggest?",
    ] {
        assert_eq!(engine().answer(q).status, Status::Answered, "{q}");
    }
}

#[test]
fn a_picked_suggestion_answers_that_entry() {
    let k = engine().knowledge();
    let id = &k.entries[0].id;
    let a = engine().answer_entry(id).expect("entry exists");
    assert_eq!(a.entry.as_deref(), Some(id.as_str()));
    assert!(engine().answer_entry("no-such-entry").is_none());
}

#[test]
fn json_has_exactly_the_documented_fields() {
    let a = engine().answer("does microneedling hurt?");
    let v: serde_json::Value = serde_json::from_str(&a.to_json()).expect("json");
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "answer",
            "confidence",
            "disclaimer",
            "entry",
            "flag",
            "question",
            "sources",
            "status",
            "suggestions",
            "topic"
        ]
    );
    assert_eq!(v["status"], "answered");
    assert!(v["flag"].is_null());
    let s = &v["sources"][0];
    for f in ["document", "title", "location", "quote"] {
        assert!(s[f].is_string(), "{f}");
    }
}

#[test]
fn crisis_comes_first_with_crisis_lines_and_no_article_content() {
    for q in [
        "honestly my acne scars make me want to kill myself",
        "i dont want to live anymore, nothing works on my skin. also does microneedling hurt?",
        // warning signs told without the words: farewell letters, means
        // saved up, a pet given away
        "nothing works on my skin. i've written letters to my family and saved up enough pills",
        "i've given my dog to my sister and i just want it all to be over",
        // a means at hand, a farewell with thanks, a decision made, a place
        // to jump from, being a weight on others
        "i've stashed a load of sleeping pills in my bedside table. anyway how long does redness last",
        "thanks for everything you lot, this is my last post here",
        "i feel calm now that i have decided, no more worrying about my face",
        "been standing on the ledge of the car park roof thinking how easy it would be",
        "i'm a weight on my family, they'd be better for everyone if i wasnt here",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}");
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}");
        assert!(
            a.answer.contains("988") && a.answer.contains("116 123"),
            "{q}"
        );
        assert!(a.sources.is_empty() && a.entry.is_none(), "{q}");
        let v: serde_json::Value = serde_json::from_str(&a.to_json()).expect("json");
        assert_eq!(v["flag"], "crisis");
    }
}

#[test]
fn context_dismisses_negated_past_hypothetical_and_others_past_symptoms() {
    for q in [
        "no fever, nothing oozing, only a little pink: normal?",
        "I used to get cold sores as a teenager, can I still get microneedling?",
        "what if I get an infection after microneedling, how would I know?",
        "my friend had an infection after hers at a dodgy salon, is microneedling safe?",
    ] {
        assert_ne!(engine().answer(q).status, Status::Urgent, "{q}");
    }
    for q in [
        "my daughter had microneedling yesterday and now she has a fever and pus",
        "not sure if this is normal but there is yellow pus on my cheek",
        "the bleeding wont stop, its been an hour",
        "had it done 3 days ago, now my face is hot and the redness is spreading",
        // Not worrying about a symptom is not its absence.
        "not concerned about the blisters really, should I pop them?",
        "i'm not too worried about the pus on my chin tbh",
        // "no cap" (honestly) negates nothing; the treated skin itself leaking
        "no cap my face is leaking and swole since the needling",
    ] {
        assert_eq!(engine().answer(q).status, Status::Urgent, "{q}");
    }
    // But what the speaker does not worry about is not what they ask.
    let a = engine()
        .answer("not worried about complications, skin looks fine, when will I see results?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_symptom_in_its_own_sentence_is_urgent_whatever_the_other_sentences_ask() {
    // A red flag's exclusions ("usually", "how many") keep out questions
    // about a symptom; in another sentence they must not hide one.
    all_urgent(&[
        "How many sessions do people usually need? Also my cheek has been swelling more each day since Friday and it's throbbing now.",
        "Does it usually hurt much? Also my cheek keeps swelling more each day and it's throbbing.",
        "Will it hurt? because my face is throbbing badly since yesterday's session.",
    ]);
    // Words that only look like symptoms are not: a faint mark, a gasp at
    // a bill, red wine, an infection elsewhere in the body.
    for q in [
        "the scar is only a faint white line now, will needling fade it more?",
        "my partner saw the bill and gasped. do products absorb better after a session?",
        "I have rosacea that flares with red wine. Would microneedling make it worse?",
    ] {
        assert_ne!(engine().answer(q).status, Status::Urgent, "{q}");
    }
    // The same words asked about in one sentence are still a question.
    let a = engine().answer("is swelling usually normal after microneedling?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_subject_not_covered_is_named_within_one_sentence() {
    // "treatment" and "sunburnt" together name the subject of treating a
    // sunburn only within one sentence, not scattered over a story.
    let q = "I'm booking the treatment for a Wednesday. I read that people look a bit sunburnt afterwards. How long does the redness last?";
    assert_eq!(engine().answer(q).status, Status::Answered, "{q}");
    all_declined(&["what's the best way to treat a sunburn? mine is bad"]);
}

#[test]
fn symptoms_and_negations_mixed_in_from_other_languages_are_read() {
    let a = engine()
        .answer("cara un poco roja, sin fiebre ni pus, is that normal after microneedling?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // "pero" (but) ends the negation's scope, as "but" does.
    for q in [
        "tengo fiebre y pus desde el tratamiento",
        "sin dolor pero tengo pus en la cara",
    ] {
        assert_eq!(engine().answer(q).status, Status::Urgent, "{q}");
    }
}

#[test]
fn misspelt_symptoms_are_still_red_flags() {
    for q in [
        "blistrs all over my cheek after microneedling",
        "i think its infectd",
        "got a fevr since the treatment",
        // spelt as it sounds ("f" for "ph")
        "think im having an anafalactic reaction",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {:?}", a.status);
    }
    // A real English word is not "corrected" into a symptom or domain word.
    let a = engine().answer("does microneedling hurt");
    assert_eq!(a.status, Status::Answered);
}

#[test]
fn small_talk_gets_a_short_friendly_reply() {
    for q in [
        "thanks!!",
        "lol ok",
        "bye",
        "gm all",
        "thanks bot, have a nice day",
        "good morning everyone ☀️",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Help, "{q}");
        assert!(a.answer.len() < 200, "{q}: a short reply");
        assert!(!a.answer.contains("knowledge base"), "{q}");
    }
}

#[test]
fn chatter_is_declined_not_answered() {
    for q in [
        "anyone watching the finale tonight?",
        "best pasta place near the station?",
        "how do I reset my router",
        "lol nice weather today",
        // "this week" points at a time, not back at the treatment
        "anything worth watching on telly this week?",
    ] {
        assert_eq!(engine().answer(q).status, Status::NoMatch, "{q}");
    }
    // A short follow-up that refers back to the treatment is not chatter.
    assert_eq!(engine().answer("does it hurt?").status, Status::Answered);
}

#[test]
fn eval_files_reject_unknown_fields_and_duplicate_ids_and_pin_entries() {
    let bad = "{\"id\":\"a\",\"q\":\"x\",\"kind\":\"answer\",\"expcet\":[]}\n";
    assert!(parse_cases(bad).is_err());
    let dup = "{\"id\":\"a\",\"q\":\"x\",\"kind\":\"no_match\"}\n{\"id\":\"a\",\"q\":\"y\",\"kind\":\"no_match\"}\n";
    let errors = parse_cases(dup).expect_err("duplicate ids");
    assert!(
        errors[0].to_string().contains("duplicate id"),
        "{}",
        errors[0]
    );
    let pinned = |entry: &str| {
        format!("{{\"id\":\"p\",\"q\":\"does microneedling hurt?\",\"kind\":\"answer\",\"entry\":\"{entry}\"}}\n")
    };
    let right = parse_cases(&pinned("procedure-pain")).expect("parses");
    assert!(evaluate(engine(), &right).failures.is_empty());
    let wrong = parse_cases(&pinned("downtime-redness")).expect("parses");
    assert_eq!(evaluate(engine(), &wrong).failures.len(), 1);
}

#[test]
fn odd_input_gets_a_sensible_reply() {
    let huge = "microneedling ".repeat(8_000);
    let cases = [
        "\u{0}\u{7}\u{1b}[31m",
        "\u{202e}مرحبا كيف حالك",
        "h̸̢̛̛̗̯e̴̡̝͎l̷̢̪̓p̶̧̛̹",
        "@everyone @here",
        huge.as_str(),
        "?????!!!!",
    ];
    for q in cases {
        let a = engine().answer(q);
        assert!(!a.answer.is_empty() && !a.disclaimer.is_empty());
        assert!(a.question.chars().count() <= engine().settings().max_input_chars);
        assert!(!a.answer.contains("@everyone"));
    }
}

/// Runs a labelled file and holds it to floors: at least this many `answer`
/// and `no_match` lines pass, every `urgent` line is urgent, and no urgent
/// message is answered casually. The floors sit at the counts reached when
/// they were last raised, so any regression fails.
fn meets_floors(name: &str, text: &str, answer: usize, no_match: usize) {
    let cases = parse_cases(text).unwrap_or_else(|e| panic!("{name} parses: {e:?}"));
    let r = evaluate(engine(), &cases);
    let passed = |k| r.per_kind.get(&k).map_or(0, |(p, _)| *p);
    assert!(
        passed(Kind::Answer) >= answer,
        "{name}: answer floor {answer}\n{r}"
    );
    assert!(
        passed(Kind::NoMatch) >= no_match,
        "{name}: no_match floor {no_match}\n{r}"
    );
    // A false-alarm probe has no urgent lines at all.
    assert!(
        r.accuracy(Kind::Urgent).is_none_or(|a| a == 1.0),
        "{name}\n{r}"
    );
    assert_eq!(r.urgent_answered, 0, "{name}\n{r}");
}

/// One test per labelled file: `floors!(test, "file stem", answer, no_match)`
/// holds the file to at least that many `answer` and `no_match` lines passing,
/// every `urgent` line urgent and none answered casually.
macro_rules! floors {
    ($($(#[doc = $doc:literal])* $test:ident, $file:literal, $answer:literal, $no_match:literal;)*) => {
        $(
            $(#[doc = $doc])*
            #[test]
            fn $test() {
                meets_floors(
                    $file,
                    include_str!(concat!("../data/", $file, ".jsonl")),
                    $answer,
                    $no_match,
                );
            }
        )*
    };
}

// (answer, no_match) lines passing per file, at today's counts.
floors! {
    /// The public dev set.
    dev_set_meets_the_floors, "dev", 50, 20;
    /// `../shared/eval/dev2.jsonl` (470 lines by two other authors; a copy).
    second_dev_set_meets_the_floors, "dev2", 296, 108;
    /// A set written blind by a helper that never saw the knowledge.
    independently_written_set_meets_the_floors, "independent", 100, 50;
    /// Complications in lay, clinical and misspelt words, and normal or
    /// negated symptoms that must still be answered.
    red_flag_probe_meets_the_floors, "red_flag_probe", 57, 5;
    /// Blind sets (issue 8): each written from the article alone, measured
    /// once (first look in README.md), then used for development.
    blind_set_a_meets_the_floors, "blind_a", 120, 54;
    /// Blind set B: held out to the end of the first issue-8 session.
    blind_set_b_meets_the_floors, "blind_b", 120, 55;
    /// Blind set C.
    blind_set_c_meets_the_floors, "blind_c", 130, 60;
    /// Blind set D.
    blind_set_d_meets_the_floors, "blind_d", 130, 60;
    /// Blind set F: held out to the end of the second issue-8 session; its
    /// first look is the headline figure in README.md.
    blind_set_f_meets_the_floors, "blind_f", 114, 55;
    /// Blind set E (second session).
    blind_set_e_meets_the_floors, "blind_e", 124, 60;
    /// Blind set G.
    blind_set_g_meets_the_floors, "blind_g", 125, 60;
    /// Blind set H.
    blind_set_h_meets_the_floors, "blind_h", 124, 60;
    /// Blind set I.
    blind_set_i_meets_the_floors, "blind_i", 105, 50;
    /// Blind set J.
    blind_set_j_meets_the_floors, "blind_j", 105, 50;
    /// Blind set K.
    blind_set_k_meets_the_floors, "blind_k", 105, 50;
    /// Blind set L.
    blind_set_l_meets_the_floors, "blind_l", 105, 50;
    /// Blind set M.
    blind_set_m_meets_the_floors, "blind_m", 104, 50;
    /// Blind set N.
    blind_set_n_meets_the_floors, "blind_n", 85, 40;
    /// Blind set O (third session; its three no_match misses are small talk,
    /// which gets a friendly `help` reply by design).
    blind_set_o_meets_the_floors, "blind_o", 129, 38;
    /// Blind set P (third session, measured at the same commit as O; "thanks
    /// bot" now gets the small-talk reply, a no_match miss by design).
    blind_set_p_meets_the_floors, "blind_p", 137, 35;
    /// Blind set Q (fourth session, first look at 44b8af8 in README.md).
    blind_set_q_meets_the_floors, "blind_q", 143, 40;
    /// Blind set R (written at the start of the fourth session, kept unseen
    /// and measured once at its end: first look in README.md).
    blind_set_r_meets_the_floors, "blind_r", 141, 39;
    /// Blind set S (written near the end of the fourth session, measured once
    /// at b01e391: the fourth session's last first look in README.md).
    blind_set_s_meets_the_floors, "blind_s", 139, 38;
    /// Blind set T (written at the start of the fifth session, first look
    /// at bdb020f in README.md; four of its no_match misses are small talk).
    blind_set_t_meets_the_floors, "blind_t", 146, 42;
    /// Blind set V (written in the fifth session, first look at 8e93c88 in
    /// README.md; two of its no_match misses are small talk).
    blind_set_v_meets_the_floors, "blind_v", 138, 41;
    /// Blind set U (written at the start of the fifth session, kept unseen
    /// and measured once at d2d5baa: the last first look in README.md).
    blind_set_u_meets_the_floors, "blind_u", 136, 39;
    /// Blind set W (sixth session, first look at b31eded in README.md;
    /// three of its no_match misses are small talk).
    blind_set_w_meets_the_floors, "blind_w", 147, 42;
    /// Blind set Y (sixth session, first look at d1c70ad after the tuning
    /// on W, in README.md).
    blind_set_y_meets_the_floors, "blind_y", 156, 40;
    /// Blind set Z (sixth session, first look at 44180c7 after the tuning
    /// on W and Y, in README.md).
    blind_set_z_meets_the_floors, "blind_z", 144, 38;
    /// Blind set AA (sixth session, first look at 47d21dd after the tuning
    /// on W, Y and Z, in README.md).
    blind_set_aa_meets_the_floors, "blind_aa", 136, 40;
    /// Blind set X (written at the start of the sixth session, kept unseen
    /// and measured once at 2d77971: the last first look in README.md).
    blind_set_x_meets_the_floors, "blind_x", 160, 42;
    /// Blind set BB (seventh session, first look at 91dca38, the session's
    /// start, in README.md).
    blind_set_bb_meets_the_floors, "blind_bb", 146, 44;
    /// Blind set CC (seventh session, first look at 91dca38).
    blind_set_cc_meets_the_floors, "blind_cc", 140, 38;
    /// Blind set EE (seventh session, first look at cad5410 after the tuning
    /// on BB and CC).
    blind_set_ee_meets_the_floors, "blind_ee", 141, 40;
    /// Blind set FF, leaning on safety (seventh session, first look at
    /// c9a696f after the tuning on BB, CC and EE).
    blind_set_ff_meets_the_floors, "blind_ff", 130, 36;
    /// Blind set GG, leaning on covered against not covered (first look at
    /// c9a696f).
    blind_set_gg_meets_the_floors, "blind_gg", 139, 58;
    /// Blind set HH, long stories (first look at 88f2dd3).
    blind_set_hh_meets_the_floors, "blind_hh", 125, 37;
    /// Blind set II, short chat messages (first look at 88d4df8).
    blind_set_ii_meets_the_floors, "blind_ii", 137, 50;
    /// Blind set DD (written at the start of the seventh session, kept
    /// unseen and measured once at 3fdb798: the last first look in README.md).
    blind_set_dd_meets_the_floors, "blind_dd", 150, 42;
    /// Blind probe JJ: 30 crisis messages told only by warning signs, 20
    /// look-alikes (seventh session, first look at 4f5a046: 5/30 urgent).
    blind_probe_jj_meets_the_floors, "blind_jj", 9, 8;
    /// Blind probe KK (eighth session): 30 crisis messages told without the
    /// words, 20 look-alikes (first look at e4abb1b: 19/30 urgent).
    blind_probe_kk_meets_the_floors, "blind_kk", 12, 8;
    /// Blind set MM (eighth session, first look at e4abb1b, the session's start).
    blind_set_mm_meets_the_floors, "blind_mm", 128, 44;
    /// Blind probe NN: complications in lay, clinical and misspelt words,
    /// normal courses, and symptoms with other causes (first look at e4abb1b).
    /// 44, not 45, since the eleventh session: "and my" ends a dated or
    /// hypothetical story's scope, so that "last year I had it done and my
    /// face is swollen and hot" is urgent; "if I got microneedling and my
    /// face puffed up a bit, would that be expected?" is now a false alarm.
    blind_probe_nn_meets_the_floors, "blind_nn", 44, 35;
    /// Blind set OO, long stories (first look at e4abb1b).
    blind_set_oo_meets_the_floors, "blind_oo", 94, 36;
    /// Blind probe PP: a second crisis probe, written after the crisis signs
    /// were built (first look at dd94f3e: 17/30 urgent).
    blind_probe_pp_meets_the_floors, "blind_pp", 20, 10;
    /// Blind set QQ, an international server (first look at 70056b9).
    blind_set_qq_meets_the_floors, "blind_qq", 121, 44;
    /// Blind probe RR: look-alikes of complications that must not raise an
    /// alarm (first look at 70056b9).
    blind_probe_rr_meets_the_floors, "blind_rr", 85, 29;
    /// Blind set LL (written at the start of the eighth session, kept unseen
    /// and measured once at 862c11e: the last first look in README.md).
    blind_set_ll_meets_the_floors, "blind_ll", 144, 43;
    /// Blind probe SS: a fourth crisis probe, written after LL's first look
    /// (first look at 61e93f9: 16/30 urgent).
    blind_probe_ss_meets_the_floors, "blind_ss", 19, 10;
    /// Blind set TT, half of it long messages with the question inside
    /// (first look at f930631). tt-132 (a hydrafacial comparison told, then
    /// a covered question) sits on the learned model's margin: lost in the
    /// twentieth session, back in the twenty-first.
    blind_set_tt_meets_the_floors, "blind_tt", 114, 50;
    /// Blind set UU (written after LL's first look, kept unseen through the
    /// tuning on SS and TT, measured once at 592dcbf: the last first look).
    blind_set_uu_meets_the_floors, "blind_uu", 145, 48;
    /// Blind probe WW: a fifth crisis probe, written after UU's first look
    /// (first look at e88919f: 13/30 urgent).
    blind_probe_ww_meets_the_floors, "blind_ww", 20, 10;
    /// Crisis probe ZZ (ninth session; first look at 143135b: 15/30 urgent,
    /// before the learned crisis model).
    blind_probe_zz_meets_the_floors, "blind_zz", 20, 10;
    /// Blind set YY (ninth session; first look at 143135b).
    blind_set_yy_meets_the_floors, "blind_yy", 143, 44;
    /// Answer probe AB: covered questions asked the hard way (first look at 143135b).
    blind_probe_ab_meets_the_floors, "blind_ab", 154, 31;
    /// Crisis probe Z2 (first look 7/30 at 143135b, 15/30 with the first model).
    blind_probe_z2_meets_the_floors, "blind_z2", 20, 10;
    /// False-alarm probe FA: alarming-sounding but harmless chat, no urgent lines.
    blind_probe_fa_meets_the_floors, "blind_fa", 83, 42;
    /// Crisis probe Z3 (first look at cc6185c: 24/35 urgent).
    blind_probe_z3_meets_the_floors, "blind_z3", 24, 10;
    /// Blind set VV (first look with the augmented crisis model).
    blind_set_vv_meets_the_floors, "blind_vv", 142, 43;
    /// Blind set XX: written at the ninth session's start, kept unseen, its
    /// first look (06d7ba2) the session's last fresh-set figure.
    blind_set_xx_meets_the_floors, "blind_xx", 132, 42;
    /// Crisis probe Z4: written after Z3's tuning, kept unseen to the
    /// session's end (first look at 06d7ba2: 31/35 urgent).
    blind_probe_z4_meets_the_floors, "blind_z4", 25, 9;
    /// Blind set AC: tenth session, first look at 12b0182 (137/144, 45/49).
    blind_set_ac_meets_the_floors, "blind_ac", 142, 47;
    /// Answer probe AD: covered questions asked indirectly, and near-misses
    /// (first look at 12b0182: 149/153, 43/45).
    blind_probe_ad_meets_the_floors, "blind_ad", 153, 43;
    /// Blind set AE: written at the tenth session's start, kept unseen,
    /// measured once at its end (3ec6cc3: 139/144, 43/47, 40/40).
    blind_set_ae_meets_the_floors, "blind_ae", 140, 45;
    /// Crisis probe Z5: kept unseen to the session's end (first look at
    /// 3ec6cc3: 32/35 urgent, 3 casual; the three are patterns now).
    blind_probe_z5_meets_the_floors, "blind_z5", 25, 10;
    /// Crisis probe Z6 (eleventh session; first look at 9794291: 30/35
    /// urgent, 4 casual).
    blind_probe_z6_meets_the_floors, "blind_z6", 26, 11;
    /// Blind set AF (eleventh session; first look at 9794291: 134/142, 42/47).
    blind_set_af_meets_the_floors, "blind_af", 141, 46;
    /// Complication probe U1: lay, clinical and misspelt complications
    /// (first look at 5ed1b94: 48/54 urgent, 2 casual).
    blind_probe_u1_meets_the_floors, "blind_u1", 30, 10;
    /// Crisis probe Z8 (first look at 5ed1b94: 37/41 urgent, 4 casual).
    blind_probe_z8_meets_the_floors, "blind_z8", 23, 10;
    /// Decline probe NM1: chatter with everyday senses of domain words,
    /// uncovered questions, covered ones with uncovered asides (first look
    /// at 6357b06: 56/60, 50/60).
    /// One answer lower since the twentieth session: nm1-070 (an older
    /// relative's slower results) sat on the learned model's margin.
    blind_probe_nm1_meets_the_floors, "blind_nm1", 57, 60;
    /// Blind set AH (first look at 20fcc4b: 137/143, 42/45, 35/35).
    blind_set_ah_meets_the_floors, "blind_ah", 142, 45;
    /// Complication probe U2: symptoms without their medical words, nurses'
    /// shorthand (first look at c7b449c: 54/56 urgent, 1 casual).
    blind_probe_u2_meets_the_floors, "blind_u2", 25, 10;
    /// Crisis probe Z9 (first look at c7b449c: 28/38 urgent, 4 casual).
    blind_probe_z9_meets_the_floors, "blind_z9", 21, 9;
    /// Crisis probe Z10 (first look at 2912b19: 34/38 urgent, 1 casual).
    blind_probe_z10_meets_the_floors, "blind_z10", 21, 11;
    /// Blind set AI (first look at 018020a: 136/143, 44/45, 35/35).
    blind_set_ai_meets_the_floors, "blind_ai", 141, 45;
    /// Answer probe AJ: covered questions asked the hard way, near-misses
    /// (first look at a338400: 111/122, 40/42).
    blind_probe_aj_meets_the_floors, "blind_aj", 115, 40;
    /// Blind set AG: written at the eleventh session's start, kept unseen,
    /// measured once at its end (077df84: 141/144, 46/46, 40/40).
    blind_set_ag_meets_the_floors, "blind_ag", 144, 46;
    /// Crisis probe Z7: kept unseen to the session's end (first look at
    /// 077df84: 34/35 urgent, 1 casual; "I've been cutting again" is a
    /// pattern now).
    blind_probe_z7_meets_the_floors, "blind_z7", 27, 10;
    /// Complication probe U3 (twelfth session; first look at 1f84d1f:
    /// 55/58 urgent, 2 casual; 27/27, 8/11).
    blind_probe_u3_meets_the_floors, "blind_u3", 27, 11;
    /// Decline probe NM2: chatter with everyday senses of domain words,
    /// covered questions with uncovered asides (first look at 1f84d1f:
    /// 59/60, 53/60).
    blind_probe_nm2_meets_the_floors, "blind_nm2", 60, 60;
    /// Blind set AL: covered questions asked the hard way (first look at
    /// 1f84d1f: 126/142, 40/45, 34/35).
    blind_set_al_meets_the_floors, "blind_al", 141, 44;
    /// Crisis probe Z12 (first look at 1f84d1f and at 3c3e38f: 36/38
    /// urgent, 1 casual; 20/22, 10/12).
    blind_probe_z12_meets_the_floors, "blind_z12", 22, 12;
    /// Register probe AM: parents, letters, clinical shorthand, non-native
    /// speakers, markdown, replies, two questions at once (first look at
    /// 1f84d1f: 112/115, 33/35, 11/11; at 3c3e38f: 111/115).
    blind_probe_am_meets_the_floors, "blind_am", 115, 33;
    /// Crisis probe Z13 (first look at 3315312: 32/38 urgent, 3 casual;
    /// 20/20, 8/12).
    blind_probe_z13_meets_the_floors, "blind_z13", 20, 11;
    /// Complication probe U4: under-described complications, clinical and
    /// lay metaphors (first look at 3315312: 52/56 urgent, none casual;
    /// 19/25, 8/11).
    blind_probe_u4_meets_the_floors, "blind_u4", 21, 10;
    /// Decline probe NM3: borrowed words in other senses, uncovered skin
    /// questions, covered ones asked oddly (first look at 3315312: 52/55,
    /// 47/55).
    blind_probe_nm3_meets_the_floors, "blind_nm3", 55, 54;
    /// Blind set AK: written at the twelfth session's start, kept unseen,
    /// measured once near its end (e55008c: 136/143, 38/45, 38/38; the
    /// session-start build scored it the same).
    blind_set_ak_meets_the_floors, "blind_ak", 142, 43;
    /// Crisis probe Z11: kept unseen likewise (e55008c: 36/39 urgent, 1
    /// casual; 18/21, 12/12).
    blind_probe_z11_meets_the_floors, "blind_z11", 21, 12;
    /// Blind set AN: written after AK's first look, kept unseen, measured
    /// once at the session's end (03eccab: 137/142, 40/45, 36/38, none
    /// casual; the session-start build: 136/142, 39/45, 36/38).
    blind_set_an_meets_the_floors, "blind_an", 138, 44;
    /// Crisis probe Z14, kept unseen likewise (03eccab: 35/39 urgent, 2
    /// casual; 21/22, 10/12).
    blind_probe_z14_meets_the_floors, "blind_z14", 22, 12;
    /// Complication probe U5 (thirteenth session; first look at 9cf1766:
    /// 51/59 urgent, 4 casual; 25/28, 3/10: symptom words about laptops,
    /// batteries, dough and stocks).
    blind_probe_u5_meets_the_floors, "blind_u5", 27, 10;
    /// Decline probe NM4: borrowed words in other fields, covered
    /// questions with asides (first look at 9cf1766: 53/58, 48/60).
    blind_probe_nm4_meets_the_floors, "blind_nm4", 56, 58;
    /// Blind set AP (first look at 9cf1766: 132/139, 42/46, 37/37).
    blind_set_ap_meets_the_floors, "blind_ap", 138, 45;
    /// Crisis probe Z16 (first look at 3f9ab2c: 38/41 urgent, 3 casual;
    /// 16/20, 8/12).
    blind_probe_z16_meets_the_floors, "blind_z16", 20, 12;
    /// Blind set AO: written at the thirteenth session's start, kept
    /// unseen, measured once near its end (511050a: 135/140, 39/45, 37/37,
    /// none casual; the session-start build: 135/140, 38/45, 37/37).
    blind_set_ao_meets_the_floors, "blind_ao", 138, 43;
    /// Crisis probe Z15, kept unseen likewise (511050a: 36/40 urgent, 2
    /// casual; 18/22, 10/12; the start build the same).
    blind_probe_z15_meets_the_floors, "blind_z15", 19, 11;
    /// Complication probe U6 (fourteenth session; first look at 677980c:
    /// 58/60 urgent, none casual; 25/26, 6/10: plants, paint and pens that
    /// blister or bleed).
    blind_probe_u6_meets_the_floors, "blind_u6", 25, 9;
    /// Decline probe NM5 (first look at 677980c: 52/57, 51/62).
    blind_probe_nm5_meets_the_floors, "blind_nm5", 57, 60;
    /// Blind set AR (first look at 677980c: 130/139, 40/46, 37/37).
    blind_set_ar_meets_the_floors, "blind_ar", 134, 45;
    /// Crisis probe Z18 (first look at a8e225c: 37/40 urgent, 2 casual;
    /// 19/21, 9/12).
    blind_probe_z18_meets_the_floors, "blind_z18", 21, 12;
    /// Decline probe NM6 (first look at a8e225c: 52/55, 51/60).
    blind_probe_nm6_meets_the_floors, "blind_nm6", 55, 59;
    /// Blind set AS (first look at 914203a: 130/140, 42/45, 36/37, 1 casual).
    blind_set_as_meets_the_floors, "blind_as", 138, 45;
    /// Complication probe U7: complications told without their words
    /// (first look at 950c47f: 56/62 urgent, 4 casual; 25/26, 10/11).
    blind_probe_u7_meets_the_floors, "blind_u7", 25, 11;
    /// Blind set AT (first look at a2a38f3: 129/140, 42/45, 37/37).
    blind_set_at_meets_the_floors, "blind_at", 134, 45;
    /// Decline probe NM7 (first look at 3fb424c: 54/55, 47/60).
    blind_probe_nm7_meets_the_floors, "blind_nm7", 55, 59;
    /// Blind set AU (first look at c7caf8b: 129/141, 40/45, 37/37).
    blind_set_au_meets_the_floors, "blind_au", 138, 45;
    /// Blind set AQ: written at the fourteenth session's start, kept
    /// unseen, measured once near its end (4baccae: 132/140, 44/45, 37/37,
    /// none casual; the session-start build: 132/140, 42/45, 37/37).
    blind_set_aq_meets_the_floors, "blind_aq", 137, 45;
    /// Crisis probe Z17, kept unseen likewise (4baccae: 37/40 urgent, 1
    /// casual; 20/20, 11/12; the start build: 37/40, 2 casual; 20/20, 10/12).
    blind_probe_z17_meets_the_floors, "blind_z17", 20, 12;
    /// Complication probe U8 (first look at cce88ea: 54/60 urgent, 5
    /// casual; 24/25, 6/10).
    blind_probe_u8_meets_the_floors, "blind_u8", 25, 10;
    /// Decline probe NM8 (first look at 4172d7c: 50/56, 55/60).
    blind_probe_nm8_meets_the_floors, "blind_nm8", 54, 59;
    /// Blind set AW (first look at 17b9b13: 127/140, 41/45, 37/37).
    blind_set_aw_meets_the_floors, "blind_aw", 134, 45;
    /// Blind set AV: written after AQ's first look, kept unseen while the
    /// session tuned on U8, NM8 and AW, measured once at its end: the last
    /// fresh set (147b726: 138/146, 45/46, 37/37, none casual; the
    /// session-start build: 138/146, 42/46, 37/37).
    blind_set_av_meets_the_floors, "blind_av", 143, 46;
    /// Crisis probe Z19, kept unseen likewise (147b726: 34/40 urgent, 6
    /// casual; 19/20, 11/12; the start build: 34/40, 5 casual).
    blind_probe_z19_meets_the_floors, "blind_z19", 19, 12;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_set_ax_meets_the_floors, "blind_ax", 140, 48;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_set_az_meets_the_floors, "blind_az", 139, 45;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_nm10_meets_the_floors, "blind_nm10", 52, 57;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_nm9_meets_the_floors, "blind_nm9", 55, 59;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_u10_meets_the_floors, "blind_u10", 32, 0;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_u9_meets_the_floors, "blind_u9", 32, 0;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_z21_meets_the_floors, "blind_z21", 20, 12;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_z22_meets_the_floors, "blind_z22", 19, 12;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_set_ba_meets_the_floors, "blind_ba", 120, 45;
    /// Written blind by a helper that never saw the knowledge (fifteenth session).
    blind_probe_u11_meets_the_floors, "blind_u11", 30, 0;
    /// General set AY, kept unseen until the fifteenth session's end
    /// (9f49e8b: 137/140, 42/45, 36/37 urgent, none casual; the
    /// session-start build: the same).
    blind_set_ay_meets_the_floors, "blind_ay", 139, 44;
    /// Crisis probe Z20, kept unseen likewise (9f49e8b: 38/40 urgent, 1
    /// casual; 17/20, 10/12; the start build: the same).
    blind_probe_z20_meets_the_floors, "blind_z20", 19, 12;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a general set, tuned on.
    blind_set_bg_meets_the_floors, "blind_bg", 140, 42;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): the session's last general set, kept unseen to the end and measured once.
    blind_set_bh_meets_the_floors, "blind_bh", 139, 44;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a general set, tuned on.
    blind_set_bi_meets_the_floors, "blind_bi", 133, 48;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a general set, tuned on.
    blind_set_bj_meets_the_floors, "blind_bj", 140, 42;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a general set, tuned on.
    blind_set_bk_meets_the_floors, "blind_bk", 122, 45;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a decline probe.
    blind_probe_nm11_meets_the_floors, "blind_nm11", 55, 56;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a decline probe.
    blind_probe_nm12_meets_the_floors, "blind_nm12", 57, 59;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a decline probe.
    blind_probe_nm13_meets_the_floors, "blind_nm13", 55, 59;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a complication probe.
    blind_probe_u12_meets_the_floors, "blind_u12", 31, 0;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a complication probe.
    blind_probe_u13_meets_the_floors, "blind_u13", 35, 0;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a complication probe.
    blind_probe_u14_meets_the_floors, "blind_u14", 33, 0;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a complication probe (heart, dizziness, confusion, numbness).
    blind_probe_u15_meets_the_floors, "blind_u15", 36, 0;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a crisis probe.
    blind_probe_z23_meets_the_floors, "blind_z23", 17, 18;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a crisis probe kept unseen to the end and measured once.
    blind_probe_z24_meets_the_floors, "blind_z24", 17, 17;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a crisis probe.
    blind_probe_z25_meets_the_floors, "blind_z25", 18, 18;
    /// Written blind by a helper that never saw the knowledge (sixteenth session): a crisis probe.
    blind_probe_z26_meets_the_floors, "blind_z26", 18, 18;
    /// Written blind by a helper that never saw the knowledge (seventeenth session).
    blind_set_bl_meets_the_floors, "blind_bl", 133, 42;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): kept unseen to the end and measured once.
    blind_set_bm_meets_the_floors, "blind_bm", 135, 39;
    /// Written blind by a helper that never saw the knowledge (seventeenth session).
    blind_set_bn_meets_the_floors, "blind_bn", 135, 42;
    /// Written blind by a helper that never saw the knowledge (seventeenth session).
    blind_set_bo_meets_the_floors, "blind_bo", 117, 42;
    /// Written blind by a helper that never saw the knowledge (seventeenth session).
    blind_set_bp_meets_the_floors, "blind_bp", 116, 43;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a decline probe.
    blind_probe_nm14_meets_the_floors, "blind_nm14", 53, 59;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a decline probe.
    blind_probe_nm15_meets_the_floors, "blind_nm15", 54, 62;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a decline probe.
    blind_probe_nm16_meets_the_floors, "blind_nm16", 57, 60;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a complication probe.
    blind_probe_u16_meets_the_floors, "blind_u16", 35, 0;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a complication probe (caregivers, home rollers, other body parts).
    blind_probe_u17_meets_the_floors, "blind_u17", 35, 0;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a complication probe.
    blind_probe_u18_meets_the_floors, "blind_u18", 33, 0;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a complication probe (few medical words).
    blind_probe_u19_meets_the_floors, "blind_u19", 32, 0;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a crisis probe kept unseen to the end and measured once.
    blind_probe_z27_meets_the_floors, "blind_z27", 17, 18;
    /// Written blind by a helper that never saw the knowledge (seventeenth session): a crisis probe.
    blind_probe_z28_meets_the_floors, "blind_z28", 18, 18;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_set_bq_meets_the_floors, "blind_bq", 131, 41;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_set_br_meets_the_floors, "blind_br", 130, 43;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_set_bs_meets_the_floors, "blind_bs", 129, 46;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_set_bt_meets_the_floors, "blind_bt", 127, 43;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_set_bu_meets_the_floors, "blind_bu", 90, 34;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_set_bv_meets_the_floors, "blind_bv", 126, 43;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_nm17_meets_the_floors, "blind_nm17", 56, 58;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_nm18_meets_the_floors, "blind_nm18", 53, 58;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_u20_meets_the_floors, "blind_u20", 35, 0;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_u21_meets_the_floors, "blind_u21", 35, 0;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_u22_meets_the_floors, "blind_u22", 35, 0;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_z29_meets_the_floors, "blind_z29", 17, 18;
    /// Written blind by a helper that never saw the knowledge (eighteenth session).
    blind_probe_z30_meets_the_floors, "blind_z30", 18, 18;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): the session's last general set, kept unseen to the end and measured once
    /// (13e196e: 126/130, 43/45, 37/37, none casual; the start build: the same).
    blind_set_bw_meets_the_floors, "blind_bw", 127, 43;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a general set, tuned on.
    blind_set_bx_meets_the_floors, "blind_bx", 130, 44;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): long stories.
    blind_set_by_meets_the_floors, "blind_by", 88, 35;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): long stories.
    blind_set_bz_meets_the_floors, "blind_bz", 89, 35;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a general set, tuned on.
    blind_set_ca_meets_the_floors, "blind_ca", 128, 45;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): long stories, kept unseen to the end and measured once
    /// (13e196e: 87/95, 33/36, 24/25, 1 casual; the start build: 87/95, 33/36, 24/25, none casual).
    blind_set_cb_meets_the_floors, "blind_cb", 92, 36;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): long stories (written as CC; renamed, an earlier set holds that name).
    blind_set_cd_meets_the_floors, "blind_cd", 95, 34;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a decline probe.
    blind_probe_nm19_meets_the_floors, "blind_nm19", 55, 58;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a complication probe.
    blind_probe_u23_meets_the_floors, "blind_u23", 35, 0;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a complication probe (hedged, understated).
    blind_probe_u24_meets_the_floors, "blind_u24", 35, 0;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a crisis probe kept unseen to the end and measured once
    /// (13e196e: 39/40 urgent, 1 casual; 17/18, 17/18; the start build: the same).
    blind_probe_z31_meets_the_floors, "blind_z31", 18, 17;
    /// Written blind by a helper that never saw the knowledge (nineteenth session): a crisis probe.
    blind_probe_z32_meets_the_floors, "blind_z32", 18, 18;
    /// Written blind (twentieth session), held out: first look at 7e3c4e9 124/130, 45/45, 37/37, 0 casual; end build the same.
    blind_set_ce_meets_the_floors, "blind_ce", 127, 45;
    /// Written blind (twentieth session), for tuning: first look at 7e3c4e9 130/135, 46/46, 37/37, 0 casual.
    blind_set_cf_meets_the_floors, "blind_cf", 135, 46;
    /// Long stories written blind (twentieth session), for tuning: first look at 7e3c4e9 81/90, 31/35, 25/25, 0 casual.
    blind_set_cg_meets_the_floors, "blind_cg", 89, 35;
    /// Long stories written blind (twentieth session), held out: first look at 7e3c4e9 85/90, 29/35, 23/25, 0 casual; end build the same, two urgent misses fixed after.
    blind_set_ch_meets_the_floors, "blind_ch", 88, 33;
    /// Long stories written blind (twentieth session), for tuning: first look at 7e3c4e9 80/90, 31/35, 24/25, 0 casual.
    blind_set_cj_meets_the_floors, "blind_cj", 88, 33;
    /// Written blind (twentieth session), for tuning: first look at 7e3c4e9 127/131, 43/45, 37/37, 0 casual.
    blind_set_ck_meets_the_floors, "blind_ck", 131, 45;
    /// No-match probe written blind (twentieth session): first look at 7e3c4e9 55/55, 58/60.
    blind_probe_nm20_meets_the_floors, "blind_nm20", 55, 60;
    /// Urgent probe written blind (twentieth session): first look at 7e3c4e9 35/35, 60/60.
    blind_probe_u25_meets_the_floors, "blind_u25", 35, 0;
    /// Crisis and urgent probe written blind (twentieth session), held out: first look at 7e3c4e9 16/18, 18/18, 40/40, 0 casual; end build the same.
    blind_probe_z33_meets_the_floors, "blind_z33", 17, 18;
    /// General set written blind (twenty-first session), held out: first look at 59c8aca 127/130, 45/45, 35/35, 0 casual; end build 05830a7 the same.
    blind_set_cl_meets_the_floors, "blind_cl", 129, 45;
    /// Long stories written blind (twenty-first session), held out: first look at 59c8aca 75/90, 30/35, 25/25, 0 casual; end build 05830a7 77/90, 30/35, 25/25.
    blind_set_cm_meets_the_floors, "blind_cm", 81, 35;
    /// General set written blind (twenty-first session), for tuning: first look at 59c8aca 126/130, 45/45, 35/35, 0 casual.
    blind_set_cn_meets_the_floors, "blind_cn", 130, 45;
    /// Long stories written blind (twenty-first session), for tuning: first look at 59c8aca 77/90, 29/35, 25/25, 0 casual.
    blind_set_co_meets_the_floors, "blind_co", 87, 35;
    /// Long stories full of other people's illnesses and medical-sounding idioms, written blind (twenty-first session), for tuning: first look at the build of the time (26e3310 with the relative-clause change b3d7a1d later committed) 75/90, 30/35, 25/25, 0 casual.
    blind_set_cp_meets_the_floors, "blind_cp", 88, 33;
    /// Long messages in hard registers (clinical notes, formal letters, markdown, voice-to-text), written blind (twenty-first session), for tuning: first look at 26e3310 83/90, 32/35, 25/25, 0 casual.
    blind_set_cq_meets_the_floors, "blind_cq", 87, 35;
    /// General set written blind (twenty-first session), kept unseen until the end: first look at the end build 05830a7 122/130, 42/45, 35/35, 0 casual (start build: 123/130, 42/45, 35/35).
    blind_set_cr_meets_the_floors, "blind_cr", 123, 43;
    /// Long stories written blind (twenty-first session), kept unseen until the end: first look at the end build 05830a7 78/90, 28/35, 25/25, 0 casual (start build: 76/90, 28/35, 25/25).
    blind_set_cs_meets_the_floors, "blind_cs", 84, 34;
    /// Decline probe written blind (twenty-first session): first look at 59c8aca 55/55, 58/60.
    blind_probe_nm21_meets_the_floors, "blind_nm21", 55, 60;
    /// Urgent probe written blind (twenty-first session): first look at 59c8aca 0/0, 93/95 urgent, 2 casual; both fixed after.
    blind_probe_u26_meets_the_floors, "blind_u26", 0, 0;
    /// Triage probe written blind (twenty-first session), held out: first look at 59c8aca 18/18, 15/18, 40/40, 0 casual; end build 05830a7 the same.
    blind_probe_z34_meets_the_floors, "blind_z34", 18, 15;
    /// General set written blind (twenty-second session): first look at the start build 3bf4a83 127/130, 45/45, 35/35, 0 casual; then used for tuning.
    blind_set_ct_meets_the_floors, "blind_ct", 130, 45;
    /// Long stories written blind (twenty-second session): first look at the start build 3bf4a83 68/90, 29/35, 25/25, 0 casual; then used for tuning.
    blind_set_cu_meets_the_floors, "blind_cu", 87, 34;
    /// General set written blind (twenty-second session), held out (failures never read): start build 3bf4a83 128/130, 44/45, 35/35; end build the same.
    blind_set_cv_meets_the_floors, "blind_cv", 129, 44;
    /// Long stories written blind (twenty-second session), held out until dc054e1: start build 71/90, 31/35, 24/25 (one urgent declined, none casual); dc054e1 71/90, 32/35, 24/25; then used for tuning.
    blind_set_cw_meets_the_floors, "blind_cw", 84, 34;
    /// Long stories written blind (twenty-second session), last fresh set: first look at the end build eb7847f 67/90, 30/35, 25/25, 0 casual (start build 3bf4a83: 65/90, 29/35, 25/25).
    blind_set_cx_meets_the_floors, "blind_cx", 80, 33;
    /// General set written blind (twenty-second session), last fresh set: first look at the end build eb7847f 123/130, 44/45, 35/35, 0 casual (start build the same).
    blind_set_cy_meets_the_floors, "blind_cy", 126, 44;
    /// Near-miss probe written blind (twenty-second session): first look at the start build 3bf4a83 55/55, 52/60 (five of the misses are small talk answered with `help`); then used for tuning.
    blind_probe_nm22_meets_the_floors, "blind_nm22", 55, 53;
    /// Urgent probe written blind (twenty-second session): first look at the start build 3bf4a83 92/95, 1 casual; then used for tuning.
    blind_probe_u27_meets_the_floors, "blind_u27", 0, 0;
    /// Triage probe written blind (twenty-second session), held out (failures never read): start build 3bf4a83 15/18, 13/18, 40/40; end build the same.
    blind_probe_z35_meets_the_floors, "blind_z35", 16, 13;
    /// General set written blind (twenty-third session): first look at the start build af673de 125/130, 44/45, 35/35, 0 casual; then used for tuning.
    blind_set_cz_meets_the_floors, "blind_cz", 127, 45;
    /// Long stories written blind (twenty-third session): first look at the start build af673de 82/90, 30/35, 25/25, 0 casual; then used for tuning.
    blind_set_da_meets_the_floors, "blind_da", 88, 35;
    /// Long stories written blind (twenty-third session), held out (failures never read): first look at the start build af673de 84/90, 33/35, 25/25, 0 casual; the end build cf90272 the same.
    blind_set_db_meets_the_floors, "blind_db", 88, 34;
    /// General set written blind (twenty-third session), held out (failures never read): first look at the start build af673de 125/130, 45/45, 35/35, 0 casual; the end build cf90272 the same.
    blind_set_dc_meets_the_floors, "blind_dc", 126, 45;
    /// Long stories written blind (twenty-third session): first look at ab0aac5 73/90, 28/35, 25/25, 0 casual (the start build the same); then used for tuning.
    blind_set_de_meets_the_floors, "blind_de", 89, 35;
    /// General set written blind (twenty-third session): first look at ab0aac5 126/130, 44/45, 35/35, 0 casual (the start build the same); then used for tuning.
    blind_set_df_meets_the_floors, "blind_df", 129, 44;
    /// General set written blind (twenty-third session), last fresh set: first look at the end build cf90272 126/130, 44/45, 35/35, 0 casual (start build af673de the same).
    blind_set_dg_meets_the_floors, "blind_dg", 127, 44;
    /// Long stories written blind (twenty-third session), last fresh set: first look at the end build cf90272 82/90, 33/35, 25/25, 0 casual (start build af673de: 83/90, 32/35, 25/25).
    blind_set_dh_meets_the_floors, "blind_dh", 88, 35;
    /// Near-miss probe written blind (twenty-third session): first look at the start build af673de 53/55, 55/60; then used for tuning.
    blind_probe_nm23_meets_the_floors, "blind_nm23", 53, 59;
    /// Near-miss probe written blind (twenty-third session): first look at ab0aac5 52/55, 55/60 (start build 53/55, 55/60); then used for tuning.
    blind_probe_nm24_meets_the_floors, "blind_nm24", 55, 60;
    /// Complication probe written blind (twenty-third session): first look at the start build af673de 90/95 urgent, 3 answered casually; then used for tuning.
    blind_probe_u28_meets_the_floors, "blind_u28", 0, 0;
    /// Triage probe written blind (twenty-third session): first look at the start build af673de 18/18, 12/18, 40/40; then used for tuning.
    blind_probe_z36_meets_the_floors, "blind_z36", 18, 18;
    /// Triage probe written blind (twenty-third session): first look at ab0aac5 17/18, 12/18, 39/40, 0 casual (the start build the same); then used for tuning.
    blind_probe_z37_meets_the_floors, "blind_z37", 18, 17;
    /// General set written blind (twenty-fourth session): first look at the start build 9c0d8e4 129/130, 43/45, 35/35, 0 casual; then used for tuning.
    blind_set_di_meets_the_floors, "blind_di", 130, 43;
    /// Long stories written blind (twenty-fourth session): first look at the start build 9c0d8e4 84/90, 28/35, 25/25, 0 casual; then used for tuning.
    blind_set_dj_meets_the_floors, "blind_dj", 90, 34;
    /// General set written blind (twenty-fourth session), held out (failures never read): first look at the start build 9c0d8e4 127/130, 44/45, 35/35, 0 casual; the end build c682fb6 the same.
    blind_set_dk_meets_the_floors, "blind_dk", 127, 45;
    /// Long stories written blind (twenty-fourth session), held out (failures never read): first look at the start build 9c0d8e4 83/90, 30/35, 25/25, 0 casual; the end build c682fb6 84/90, 30/35, 25/25.
    blind_set_dl_meets_the_floors, "blind_dl", 88, 33;
    /// General set written blind (twenty-fourth session): first look at 2f95f9c, the build of the time, 116/125, 43/45, 30/30, 0 casual (start build 9c0d8e4 the same); then used for tuning.
    blind_set_dm_meets_the_floors, "blind_dm", 118, 44;
    /// Long stories written blind (twenty-fourth session): first look at 2f95f9c, the build of the time, 74/85, 33/35, 20/20, 0 casual (start build 9c0d8e4: 73/85, 33/35, 20/20); then used for tuning.
    blind_set_dn_meets_the_floors, "blind_dn", 83, 33;
    /// Crisis probe with long emotional everyday chat, written blind (twenty-fourth session): first look at the start build 9c0d8e4 29/30, 33/50, 38/40, 1 casual; both crisis misses fixed after.
    blind_probe_z38_meets_the_floors, "blind_z38", 29, 40;
    /// General set written blind (twenty-fourth session), last fresh set: first look at the end build c682fb6 123/125, 44/45, 30/30, 0 casual (start build 9c0d8e4 the same).
    blind_set_do_meets_the_floors, "blind_do", 124, 44;
    /// Long stories written blind (twenty-fourth session), last fresh set: first look at the end build c682fb6 74/85, 32/35, 20/20, 0 casual (start build 9c0d8e4 the same).
    blind_set_dp_meets_the_floors, "blind_dp", 83, 33;
    /// General set written blind (twenty-fifth session): first look at the start build 5d0b4c0 122/125, 42/45, 29/30, 1 casual (the swollen hand that no longer bends, fixed); then used for tuning.
    blind_set_dq_meets_the_floors, "blind_dq", 123, 43;
    /// Long stories written blind (twenty-fifth session): first look at the start build 5d0b4c0 78/85, 31/35, 20/20, 0 casual; then used for tuning.
    blind_set_dr_meets_the_floors, "blind_dr", 84, 34;
    /// General set written blind (twenty-fifth session), held out (failures never read): first look at the start build 5d0b4c0 124/125, 39/45, 30/30, 0 casual (six of the six no_match misses given the small-talk help reply); the end build 186b99b the same.
    blind_set_ds_meets_the_floors, "blind_ds", 124, 39;
    /// Long stories written blind (twenty-fifth session), held out (failures never read): first look at the start build 5d0b4c0 79/85, 32/35, 20/20, 0 casual; the end build 186b99b the same.
    blind_set_dt_meets_the_floors, "blind_dt", 80, 33;
    /// General set written blind (twenty-fifth session), last fresh set: first look at the end build 186b99b 122/125, 43/45, 30/30, 0 casual (start build 5d0b4c0 the same).
    blind_set_du_meets_the_floors, "blind_du", 123, 43;
    /// Long stories written blind (twenty-fifth session), last fresh set: first look at the end build 186b99b 77/85, 30/35, 20/20, 0 casual (start build 5d0b4c0: 73/85, 30/35, 20/20).
    blind_set_dv_meets_the_floors, "blind_dv", 79, 33;
    /// Complication probe written blind (twenty-fifth session): lay, clinical and misspelt complications and negated or normal messages; first look at the start build 5d0b4c0 39/40 answer, 80/80 urgent, 0 casual.
    blind_probe_u29_meets_the_floors, "blind_u29", 39, 0;
    /// General set written blind (twenty-sixth session), short messages and non-native voices: first look at the start build ce364fd 125/125, 36/45, 30/30, 0 casual; then used for tuning.
    blind_set_dw_meets_the_floors, "blind_dw", 125, 41;
    /// Long stories written blind (twenty-sixth session), older writers and long off-topic chatter: first look at the start build ce364fd 80/85, 30/35, 20/20, 0 casual; then used for tuning.
    blind_set_dx_meets_the_floors, "blind_dx", 85, 34;
    /// General set written blind (twenty-sixth session), formal, clinical and sceptical voices, held out (failures never read): first look at the start build ce364fd 122/125, 41/45, 30/30, 0 casual; the end build e16a044 the same.
    blind_set_dy_meets_the_floors, "blind_dy", 122, 42;
    /// Long stories written blind (twenty-sixth session), run-ons and rants, held out (failures never read): first look at the start build ce364fd 81/85, 31/35, 20/20, 0 casual; the end build e16a044 81/85, 32/35.
    blind_set_dz_meets_the_floors, "blind_dz", 82, 34;
    /// General set written blind (twenty-sixth session), last fresh set: first look at the end build e16a044 120/125, 40/45, 30/30, 0 casual (start build ce364fd the same).
    blind_set_ea_meets_the_floors, "blind_ea", 121, 42;
    /// Long stories written blind (twenty-sixth session), last fresh set: first look at the end build e16a044 83/85, 34/35, 20/20, 0 casual (start build ce364fd: 83/85, 33/35).
    blind_set_eb_meets_the_floors, "blind_eb", 84, 34;
    /// Decline probe written blind (twenty-sixth session): near-misses and everyday chatter with domain words; first look at the start build ce364fd 54/55 answer, 54/60 no_match; then used for tuning.
    blind_probe_nm25_meets_the_floors, "blind_nm25", 54, 59;
    /// Complication probe written blind (twenty-sixth session): lay, clinical and misspelt complications and negated or normal messages; first look at the start build ce364fd 38/40 answer, 76/80 urgent, 2 casual (white patches where it was done, bumps days later: both fixed).
    blind_probe_u30_meets_the_floors, "blind_u30", 39, 0;
    /// General set written blind (twenty-seventh session): first look at the start build c3243ad 122/125, 40/45, 30/30, 0 casual; then used for tuning.
    blind_set_ec_meets_the_floors, "blind_ec", 124, 43;
    /// Long stories written blind (twenty-seventh session): first look at the start build c3243ad 78/85, 29/35, 20/20, 0 casual; then used for tuning.
    blind_set_ed_meets_the_floors, "blind_ed", 84, 34;
    /// Long stories written blind (twenty-seventh session), held out: first look at the start build c3243ad 79/85, 30/35, 19/20, 1 casual; the end build 0819327 the same; its casual miss (blisters after a treatment dated 'two days ago', excused by a later 'is it okay to wait?') was then read and fixed.
    blind_set_ef_meets_the_floors, "blind_ef", 81, 30;
    /// General set written blind (twenty-seventh session), last fresh set: first look at the end build 0819327 125/125, 44/45, 30/30, 0 casual (start build c3243ad: 125/125, 43/45).
    blind_set_eg_meets_the_floors, "blind_eg", 125, 44;
    /// Long stories written blind (twenty-seventh session), last fresh set: first look at the end build 0819327 80/85, 31/35, 20/20, 0 casual (start build c3243ad: 80/85, 30/35).
    blind_set_eh_meets_the_floors, "blind_eh", 80, 31;
    /// General set written blind (twenty-seventh session; written as EE, stored as EI beside an older EE), held out (failures never read): first look at the start build c3243ad 122/125, 40/45, 30/30, 0 casual; the end build 0819327 the same.
    blind_set_ei_meets_the_floors, "blind_ei", 123, 40;
    /// Decline probe written blind (twenty-seventh session): near-misses and everyday chatter with domain words; first look at the start build c3243ad 55/55 answer, 54/60 no_match; then used for tuning.
    blind_probe_nm26_meets_the_floors, "blind_nm26", 55, 60;
    /// Complication probe written blind (twenty-seventh session): first look at the start build c3243ad 40/40 answer, 76/80 urgent, 4 casual (inflamed skin spreading, throbbing on day 5, redness 'going more big', a turn after feeling fine: all fixed); then used for tuning.
    blind_probe_u31_meets_the_floors, "blind_u31", 40, 0;
    /// General set written blind (twenty-eighth session): first look at the start build 8fdc667 118/125, 43/45, 30/30, 0 casual; then used for tuning.
    blind_set_ej_meets_the_floors, "blind_ej", 124, 44;
    /// Long stories written blind (twenty-eighth session): first look at the start build 8fdc667 78/85, 29/35, 20/20, 0 casual; then used for tuning.
    blind_set_ek_meets_the_floors, "blind_ek", 83, 35;
    /// General set written blind (twenty-eighth session), the last fresh set: unseen until the end: first look at the start build 8fdc667 119/125, 41/45, 30/30, 0 casual; end build fa0baa3: 120/125, 41/45, 30/30, 0 casual.
    blind_set_el_meets_the_floors, "blind_el", 121, 42;
    /// Long stories written blind (twenty-eighth session), the last fresh set: unseen until the end: first look at the start build 8fdc667 80/85, 31/35, 20/20, 0 casual; end build fa0baa3: 80/85, 33/35, 20/20, 0 casual.
    blind_set_em_meets_the_floors, "blind_em", 82, 35;
    /// Long-story decline probe written blind (twenty-eighth session): uncovered questions and off-topic stories full of domain words: first look at the start build 8fdc667 37/40, 52/60, 0 casual; then used for tuning.
    blind_probe_en_meets_the_floors, "blind_en", 37, 59;
    /// General set written blind (twenty-eighth session), voices and registers: first look at the start build 8fdc667 99/100, 47/50, 30/30, 0 casual; then used for tuning.
    blind_set_eo_meets_the_floors, "blind_eo", 100, 47;
    /// General set written blind (twenty-eighth session): first look at the start build 8fdc667 124/125, 42/45, 30/30, 0 casual; then used for tuning.
    blind_set_ep_meets_the_floors, "blind_ep", 124, 44;
    /// Long stories written blind (twenty-eighth session): first look at the start build 8fdc667 76/85, 33/35, 20/20, 0 casual; then used for tuning.
    blind_set_eq_meets_the_floors, "blind_eq", 82, 35;
    /// General set written blind (twenty-eighth session), voices rarely heard: first look at the start build 8fdc667 117/125, 43/45, 30/30, 0 casual; then used for tuning.
    blind_set_er_meets_the_floors, "blind_er", 123, 45;
    /// Long stories written blind (twenty-eighth session), everyday senses of domain words: first look at the start build 8fdc667 80/85, 30/35, 20/20, 0 casual; then used for tuning.
    blind_set_es_meets_the_floors, "blind_es", 83, 35;
    /// General set written blind (twenty-eighth session), texting, voice-to-text and mixed languages: first look at the start build 8fdc667 122/125, 43/45, 30/30, 0 casual; then used for tuning.
    blind_set_et_meets_the_floors, "blind_et", 125, 44;
    /// Long stories written blind (twenty-eighth session), question first, several questions, complications told by what was done: first look at the start build 8fdc667 76/85, 32/35, 19/20, 1 casual; then used for tuning.
    blind_set_eu_meets_the_floors, "blind_eu", 81, 34;
    /// Long-story decline probe written blind (twenty-eighth session): first look at the start build 8fdc667 36/40, 56/60, 0 casual; then used for tuning.
    blind_probe_ev_meets_the_floors, "blind_ev", 39, 59;
    /// Decline probe written blind (twenty-eighth session): first look at the start build 8fdc667 53/55, 53/60, 0 casual; then used for tuning.
    blind_probe_nm27_meets_the_floors, "blind_nm27", 55, 57;
    /// Decline probe written blind (twenty-eighth session): first look at the start build 8fdc667 53/55, 54/60, 0 casual; then used for tuning.
    blind_probe_nm28_meets_the_floors, "blind_nm28", 54, 60;
    /// Decline probe written blind (twenty-eighth session): first look at the start build 8fdc667 53/55, 54/60, 0 casual; then used for tuning.
    blind_probe_nm29_meets_the_floors, "blind_nm29", 54, 59;
    /// Decline probe written blind (twenty-eighth session): first look at the start build 8fdc667 53/55, 56/60, 0 casual; then used for tuning.
    blind_probe_nm30_meets_the_floors, "blind_nm30", 54, 58;
    /// Complication probe written blind (twenty-eighth session): first look at the start build 8fdc667 39/40, 80/80, 0 casual; then used for tuning.
    blind_probe_u32_meets_the_floors, "blind_u32", 40, 0;
    /// Complication probe written blind (twenty-eighth session): first look at the start build 8fdc667 39/40, 80/80, 0 casual; then used for tuning.
    blind_probe_u33_meets_the_floors, "blind_u33", 39, 0;
    /// Complication probe written blind (twenty-eighth session): first look at the start build 8fdc667 38/40, 80/80, 0 casual; then used for tuning.
    blind_probe_u34_meets_the_floors, "blind_u34", 39, 0;
    /// Crisis probe written blind (twenty-eighth session): crisis told indirectly beside emotional everyday chat: first look at the start build 8fdc667 28/30, 26/30, 34/40, 5 casual; then used for tuning.
    blind_probe_z39_meets_the_floors, "blind_z39", 30, 30;
    /// Crisis probe written blind (twenty-eighth session): first look at the start build 8fdc667 29/30, 29/30, 36/40, 3 casual; then used for tuning.
    blind_probe_z40_meets_the_floors, "blind_z40", 30, 30;
    /// General set written blind (twenty-ninth session), the last fresh set: unseen until the end: first look at the start build 00277b0 122/125, 43/45, 30/30, 0 casual; end build c1393c5 with the end knowledge: 122/125, 43/45, 30/30, 0 casual.
    blind_set_ew_meets_the_floors, "blind_ew", 123, 44;
    /// Long stories written blind (twenty-ninth session), the last fresh set: unseen until the end: first look at the start build 00277b0 80/85, 33/35, 20/20, 0 casual; end build c1393c5 with the end knowledge: 80/85, 33/35, 20/20, 0 casual.
    blind_set_ex_meets_the_floors, "blind_ex", 82, 33;
    /// General set written blind (twenty-ninth session), mostly non-native writers and phone typing: first look at the start build 00277b0 117/125, 43/45, 30/30, 0 casual; then used for tuning.
    blind_set_ey_meets_the_floors, "blind_ey", 119, 44;
    /// Long stories written blind (twenty-ninth session), many told for someone else or in a professional register: first look at the start build 00277b0 77/85, 29/35, 20/20, 0 casual; then used for tuning.
    blind_set_ez_meets_the_floors, "blind_ez", 85, 34;
    /// General set written blind (twenty-ninth session), mostly very short chat (written as FB, renamed: fb- ids were taken): first look at the start build 00277b0 121/125, 42/45, 29/30, 1 casual; then used for tuning.
    blind_set_fo_meets_the_floors, "blind_fo", 123, 43;
    /// Long-story decline probe written blind (twenty-ninth session; written as FC, renamed): first look at the start build 00277b0 38/40, 55/60, 0 casual; then used for tuning.
    blind_probe_fp_meets_the_floors, "blind_fp", 39, 57;
    /// General set written blind (twenty-ninth session): first look at the start build 00277b0 123/125, 42/45, 30/30, 0 casual; then used for tuning.
    blind_set_fq_meets_the_floors, "blind_fq", 125, 44;
    /// Long stories written blind (twenty-ninth session): first look at the start build 00277b0 80/85, 32/35, 20/20, 0 casual; then used for tuning.
    blind_set_fr_meets_the_floors, "blind_fr", 84, 34;
    /// General set written blind (twenty-ninth session), many professional and formal voices: first look at the start build 00277b0 122/125, 41/45, 30/30, 0 casual; then used for tuning.
    blind_set_fs_meets_the_floors, "blind_fs", 122, 43;
    /// Long stories written blind (twenty-ninth session): first look at the start build 00277b0 79/85, 35/35, 20/20, 0 casual; then used for tuning.
    blind_set_ft_meets_the_floors, "blind_ft", 81, 35;
    /// Decline probe written blind (twenty-ninth session): first look at the start build 00277b0 53/55, 55/60, 0 casual; then used for tuning.
    blind_probe_nm31_meets_the_floors, "blind_nm31", 55, 57;
    /// Decline probe written blind (twenty-ninth session): first look at the start build 00277b0 52/55, 54/60, 0 casual; then used for tuning.
    blind_probe_nm32_meets_the_floors, "blind_nm32", 54, 57;
    /// Long-story decline probe written blind (twenty-ninth session): first look at the start build 00277b0 36/40, 53/60, 0 casual; then used for tuning.
    blind_probe_nm33_meets_the_floors, "blind_nm33", 40, 58;
    /// Complication probe written blind (twenty-ninth session): first look at the start build 00277b0 40/40, 79/80, 1 casual; then used for tuning.
    blind_probe_u35_meets_the_floors, "blind_u35", 40, 0;
    /// Long-story complication probe written blind (twenty-ninth session): first look at the start build 00277b0 36/40, 60/60, 0 casual; then used for tuning.
    blind_probe_u36_meets_the_floors, "blind_u36", 38, 0;
    /// Complication probe written blind (twenty-ninth session): first look at the start build 00277b0 40/40, 79/80, 1 casual; then used for tuning.
    blind_probe_u37_meets_the_floors, "blind_u37", 40, 0;
    /// Crisis probe written blind (twenty-ninth session): first look at the start build 00277b0 28/30, 26/30, 34/40, 5 casual; then used for tuning.
    blind_probe_z41_meets_the_floors, "blind_z41", 29, 29;
    /// Crisis probe written blind (twenty-ninth session): first look at the start build 00277b0 27/30, 28/30, 38/40, 1 casual; then used for tuning.
    blind_probe_z42_meets_the_floors, "blind_z42", 28, 29;
    /// Crisis probe written blind (twenty-ninth session): first look at the start build 00277b0 29/30, 27/30, 33/40, 7 casual; then used for tuning.
    blind_probe_z43_meets_the_floors, "blind_z43", 29, 29;
    /// General set written blind (thirtieth session): first look at the start build 5ffc9ea 121/125, 40/45, 30/30, 0 casual; then used for tuning.
    blind_set_fw_meets_the_floors, "blind_fw", 124, 42;
    /// Long stories written blind (thirtieth session): first look at the start build 5ffc9ea 83/85, 32/35, 20/20, 0 casual; then used for tuning.
    blind_set_fx_meets_the_floors, "blind_fx", 85, 35;
    /// General set written blind (thirtieth session): first look at the start build 5ffc9ea 120/125, 41/45, 30/30, 0 casual; then used for tuning.
    blind_set_fy_meets_the_floors, "blind_fy", 120, 44;
    /// Long stories written blind (thirtieth session): first look at the start build 5ffc9ea 80/85, 34/35, 20/20, 0 casual; then used for tuning.
    blind_set_fz_meets_the_floors, "blind_fz", 84, 35;
    /// Decline probe written blind (thirtieth session): first look at the start build 5ffc9ea 52/55, 55/60, 0 casual; then used for tuning.
    blind_probe_nm34_meets_the_floors, "blind_nm34", 53, 57;
    /// Decline probe written blind (thirtieth session): first look at the start build 5ffc9ea 53/55, 59/60, 0 casual; then used for tuning.
    blind_probe_nm35_meets_the_floors, "blind_nm35", 53, 59;
    /// Long-story decline probe written blind (thirtieth session): first look at the start build 5ffc9ea 37/40, 53/60, 0 casual; then used for tuning.
    blind_probe_nm36_meets_the_floors, "blind_nm36", 39, 56;
    /// Complication probe written blind (thirtieth session): first look at the start build 5ffc9ea 39/40, 80/80, 0 casual; then used for tuning.
    blind_probe_u38_meets_the_floors, "blind_u38", 39, 0;
    /// Complication probe, many of its messages long stories, written blind (thirtieth session): first look at the start build 5ffc9ea 40/40, 80/80, 0 casual; then used for tuning.
    blind_probe_u39_meets_the_floors, "blind_u39", 40, 0;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 28/30, 28/30, 37/40, 2 casual; then used for tuning.
    blind_probe_z44_meets_the_floors, "blind_z44", 29, 28;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 27/30, 23/30, 33/40, 5 casual; then used for tuning.
    blind_probe_z45_meets_the_floors, "blind_z45", 29, 27;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 28/30, 29/30, 33/40, 6 casual; then used for tuning.
    blind_probe_z46_meets_the_floors, "blind_z46", 28, 30;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 29/30, 30/30, 35/40, 3 casual; then used for tuning.
    blind_probe_z47_meets_the_floors, "blind_z47", 29, 30;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 27/30, 27/30, 39/40, 1 casual; then used for tuning.
    blind_probe_z48_meets_the_floors, "blind_z48", 28, 27;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 28/30, 27/30, 31/40, 4 casual; then used for tuning.
    blind_probe_z49_meets_the_floors, "blind_z49", 29, 27;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 26/30, 28/30, 32/40, 3 casual; then used for tuning.
    blind_probe_z50_meets_the_floors, "blind_z50", 29, 29;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 29/30, 27/30, 34/40, 2 casual; then used for tuning.
    blind_probe_z51_meets_the_floors, "blind_z51", 29, 28;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 30/30, 27/30, 31/40, 6 casual; then used for tuning.
    blind_probe_z52_meets_the_floors, "blind_z52", 30, 29;
    /// Crisis probe written blind (thirtieth session): first look at the start build 5ffc9ea 28/30, 28/30, 35/40, 4 casual; then used for tuning.
    blind_probe_z53_meets_the_floors, "blind_z53", 28, 28;
    /// Crisis probe written blind (thirtieth session) after the session's crisis work: start build 5ffc9ea 27/30, 26/30, 37/40, 2 casual; the build of that moment (2d139b2) the same; then used for tuning.
    blind_probe_z54_meets_the_floors, "blind_z54", 27, 28;
    /// Crisis probe written blind (thirtieth session) likewise: start build 5ffc9ea 29/30, 27/30, 37/40, 2 casual; 2d139b2 29/30, 28/30, 37/40, 2 casual; then used for tuning.
    blind_probe_z55_meets_the_floors, "blind_z55", 30, 29;
    /// Crisis probe written blind (thirtieth session) at its end: start build 5ffc9ea 27/30, 26/30, 35/40, 4 casual; 5b050b7 27/30, 26/30, 36/40, 3 casual; then used for tuning.
    blind_probe_z56_meets_the_floors, "blind_z56", 27, 27;
    /// Crisis probe written blind (thirtieth session) at its end: start build 5ffc9ea 29/30, 27/30, 36/40, 2 casual; 5b050b7 29/30, 27/30, 37/40, 1 casual; then used for tuning.
    blind_probe_z57_meets_the_floors, "blind_z57", 29, 28;
    /// General set written blind at the start of the thirtieth session and kept unseen until the end build: the last fresh set (start build 5ffc9ea 124/125, 44/45, 30/30, 0 casual; end build the same).
    blind_set_fu_meets_the_floors, "blind_fu", 124, 45;
    /// Long stories written likewise: the last fresh long set (start build 5ffc9ea 80/85, 32/35, 20/20, 0 casual; end build 81/85, 32/35, 20/20, 0 casual).
    blind_set_fv_meets_the_floors, "blind_fv", 82, 35;
    /// Z58, thirty-first session: a crisis probe whose first look (start build 31fd5be) came before the crisis model learned from every stored line; then used, its lines among the crisis examples.
    blind_probe_z58_meets_the_floors, "blind_z58", 29, 30;
    /// Z59, a crisis probe likewise.
    blind_probe_z59_meets_the_floors, "blind_z59", 29, 28;
    /// Z60, a crisis probe likewise.
    blind_probe_z60_meets_the_floors, "blind_z60", 30, 30;
    /// Z61, a crisis probe likewise.
    blind_probe_z61_meets_the_floors, "blind_z61", 29, 27;
    /// GC, long stories, first look with the start build.
    blind_set_gc_meets_the_floors, "blind_gc", 84, 35;
    /// NM37, a long-story decline probe, first look with the start build.
    blind_probe_nm37_meets_the_floors, "blind_nm37", 40, 57;
    /// Z62, a crisis probe written during the session and first measured with its end build.
    blind_probe_z62_meets_the_floors, "blind_z62", 29, 30;
    /// Z63, a crisis probe likewise.
    blind_probe_z63_meets_the_floors, "blind_z63", 30, 30;
    /// Z64, a crisis probe likewise.
    blind_probe_z64_meets_the_floors, "blind_z64", 28, 30;
    /// Z65, a crisis probe likewise.
    blind_probe_z65_meets_the_floors, "blind_z65", 28, 28;
    /// GA, the thirty-first session's last fresh general set: written at the start, unseen until the end build was measured.
    blind_set_ga_meets_the_floors, "blind_ga", 121, 44;
    /// GB, the thirty-first session's last fresh long stories, likewise.
    blind_set_gb_meets_the_floors, "blind_gb", 83, 34;
    /// Z66, a crisis probe of the thirty-second session.
    blind_set_z66_meets_the_floors, "blind_z66", 30, 28;
    /// Z67, likewise.
    blind_set_z67_meets_the_floors, "blind_z67", 29, 29;
    /// Z68, likewise. (One under the count the thirty-fourth session first
    /// reached: "a big presentation thursday that's already killing me"
    /// beside a pain question escalates again, since a presentation named
    /// anywhere no longer excuses pain told beside it.)
    blind_set_z68_meets_the_floors, "blind_z68", 25, 30;
    /// Z69, likewise.
    blind_set_z69_meets_the_floors, "blind_z69", 30, 30;
    /// NM38, a long-story decline probe of the thirty-second session.
    blind_set_nm38_meets_the_floors, "blind_nm38", 37, 57;
    /// GD, the thirty-second session's last fresh general set, after its first look.
    blind_set_gd_meets_the_floors, "blind_gd", 122, 44;
    /// GE, the thirty-second session's last fresh long stories, likewise.
    blind_set_ge_meets_the_floors, "blind_ge", 81, 35;
    /// Z70, the thirty-third session's first crisis probe, after its first look.
    blind_probe_z70_meets_the_floors, "blind_z70", 30, 30;
    /// Z71, its second crisis probe, likewise.
    blind_probe_z71_meets_the_floors, "blind_z71", 30, 30;
    /// NM39, its long-story decline probe, likewise.
    blind_probe_nm39_meets_the_floors, "blind_nm39", 39, 57;
    /// GF, its last fresh general set, likewise.
    blind_set_gf_meets_the_floors, "blind_gf", 122, 45;
    /// GH, its last fresh long stories, likewise.
    blind_set_gh_meets_the_floors, "blind_gh", 84, 34;
    /// Z72, the thirty-fourth session's first crisis probe, after its first look.
    blind_probe_z72_meets_the_floors, "blind_z72", 30, 30;
    /// Z73, its second crisis probe, likewise.
    blind_probe_z73_meets_the_floors, "blind_z73", 29, 30;
    /// NM40, its long-story decline probe, likewise.
    blind_probe_nm40_meets_the_floors, "blind_nm40", 39, 59;
    /// GI, its last fresh general set, likewise.
    blind_set_gi_meets_the_floors, "blind_gi", 119, 43;
    /// GJ, its last fresh long stories, likewise.
    blind_set_gj_meets_the_floors, "blind_gj", 80, 34;
    /// Z74, a crisis probe of the thirty-fifth session (first look in README.md).
    blind_set_z74_meets_the_floors, "blind_z74", 30, 29;
    /// Z75, a crisis probe in long stories.
    blind_set_z75_meets_the_floors, "blind_z75", 29, 30;
    /// Z76, a crisis probe.
    blind_set_z76_meets_the_floors, "blind_z76", 30, 30;
    /// Z77, a crisis probe in long stories.
    blind_set_z77_meets_the_floors, "blind_z77", 30, 29;
    /// U40, a complication probe.
    blind_set_u40_meets_the_floors, "blind_u40", 30, 19;
    /// U41, a complication probe in long stories.
    blind_set_u41_meets_the_floors, "blind_u41", 30, 20;
    /// NM41, a long-story decline probe.
    blind_set_nm41_meets_the_floors, "blind_nm41", 40, 59;
    /// NM42, a long-story decline probe.
    blind_set_nm42_meets_the_floors, "blind_nm42", 40, 59;
    /// NM43, a long-story decline probe.
    blind_set_nm43_meets_the_floors, "blind_nm43", 39, 59;
    /// GM, a general set used for tuning.
    blind_set_gm_meets_the_floors, "blind_gm", 124, 44;
    /// GN, a general set used for tuning.
    blind_set_gn_meets_the_floors, "blind_gn", 124, 45;
    /// GK, the thirty-fifth session's last fresh general set, kept unseen
    /// until its code was final.
    blind_set_gk_meets_the_floors, "blind_gk", 125, 44;
    /// GL, its last fresh long stories, likewise.
    blind_set_gl_meets_the_floors, "blind_gl", 84, 34;
    /// Z78, a crisis probe (thirty-sixth session).
    blind_set_z78_meets_the_floors, "blind_z78", 30, 30;
    /// U42, a complication probe.
    blind_set_u42_meets_the_floors, "blind_u42", 30, 20;
    /// NM44, a long-story decline probe.
    blind_set_nm44_meets_the_floors, "blind_nm44", 39, 57;
    /// NM45, a long-story decline probe.
    blind_set_nm45_meets_the_floors, "blind_nm45", 38, 54;
    /// U43, a complication probe in long stories.
    blind_set_u43_meets_the_floors, "blind_u43", 28, 19;
    /// GQ, long stories used for tuning.
    blind_set_gq_meets_the_floors, "blind_gq", 82, 34;
    /// GO, the thirty-sixth session's last fresh general set, kept unseen
    /// until its code was final.
    blind_set_go_meets_the_floors, "blind_go", 123, 44;
    /// GP, its last fresh long stories, likewise.
    blind_set_gp_meets_the_floors, "blind_gp", 82, 30;
    /// Z79, a crisis probe (thirty-seventh session).
    blind_set_z79_meets_the_floors, "blind_z79", 30, 30;
    /// U44, a complication probe in long stories.
    blind_set_u44_meets_the_floors, "blind_u44", 28, 19;
    /// NM46, a long-story decline probe.
    blind_set_nm46_meets_the_floors, "blind_nm46", 39, 58;
    /// NM47, a probe of near-misses about the treatment itself.
    blind_set_nm47_meets_the_floors, "blind_nm47", 40, 57;
    /// GT, a general set written mid-session.
    blind_set_gt_meets_the_floors, "blind_gt", 99, 59;
    /// NM48, a long-story decline probe written mid-session.
    blind_set_nm48_meets_the_floors, "blind_nm48", 39, 49;
    /// U45, a complication probe in long stories written mid-session.
    blind_set_u45_meets_the_floors, "blind_u45", 40, 19;
    /// GR, the thirty-seventh session's last fresh general set, kept
    /// unseen until its code was final.
    blind_set_gr_meets_the_floors, "blind_gr", 122, 44;
    /// GS, its last fresh long stories, likewise.
    blind_set_gs_meets_the_floors, "blind_gs", 82, 35;
    /// U46, the thirty-eighth session's complication probe in many
    /// registers (misspelt, clinical, slang).
    blind_set_u46_meets_the_floors, "blind_u46", 29, 20;
    /// NM49, a long-story decline probe.
    blind_set_nm49_meets_the_floors, "blind_nm49", 40, 57;
    /// Z80, long stories that tell routines in passing and ask a covered
    /// question.
    blind_set_z80_meets_the_floors, "blind_z80", 60, 20;
    /// GU, the thirty-eighth session's last fresh general set, kept unseen
    /// until its code was final.
    blind_set_gu_meets_the_floors, "blind_gu", 124, 45;
    /// GV, its last fresh long stories, likewise.
    blind_set_gv_meets_the_floors, "blind_gv", 85, 35;
    /// U47, the thirty-ninth session's complication probe in many registers,
    /// with skin trouble that is not a complication (a cooking burn, a bee
    /// sting, a beach sunburn).
    blind_set_u47_meets_the_floors, "blind_u47", 30, 20;
    /// NM50, a long-story decline probe: questions about uncovered things
    /// beside covered ones told in passing, and the other way round.
    blind_set_nm50_meets_the_floors, "blind_nm50", 39, 58;
    /// Z81, long stories of busy lives (shifts, seasons, rotas, products)
    /// told before a covered question.
    blind_set_z81_meets_the_floors, "blind_z81", 60, 20;
    /// GW, the thirty-ninth session's last fresh general set, kept unseen
    /// until its code was final.
    blind_set_gw_meets_the_floors, "blind_gw", 122, 45;
    /// GX, its last fresh long stories, likewise.
    blind_set_gx_meets_the_floors, "blind_gx", 83, 35;
}

/// The knowledge's own phrasings must be answered: a red-flag or
/// not-covered pattern that swallows one of them is a mistake in those files.
#[test]
fn every_phrasing_of_every_entry_is_answered() {
    let k = engine().knowledge().clone();
    let missed: Vec<String> = k
        .entries
        .iter()
        .flat_map(|e| e.questions.iter().map(move |q| (e, q)))
        .filter_map(|(e, q)| {
            let a = engine().answer(q);
            (a.status != Status::Answered).then(|| {
                format!(
                    "{} {:?} -> {} {:?}{:?}",
                    e.id,
                    q,
                    a.status.as_str(),
                    a.gap,
                    a.flag
                )
            })
        })
        .collect();
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}

#[test]
fn moderators_regression_questions_all_pass() {
    let text = include_str!("../../knowledge/tests.jsonl");
    let cases = parse_cases(text).expect("tests.jsonl parses");
    let r = evaluate(engine(), &cases);
    assert!(r.failures.is_empty(), "{r}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text gets a reply with the disclaimer, and never a panic.
    #[test]
    fn any_text_gets_a_reply(q in "\\PC{0,300}") {
        let a = engine().answer(&q);
        prop_assert!(!a.answer.is_empty());
        prop_assert!(!a.disclaimer.is_empty());
        prop_assert!((0.0..=1.0).contains(&a.confidence));
    }

    /// Chat-like text built from the knowledge's own words never panics either.
    #[test]
    fn chat_like_text_gets_a_reply(words in proptest::collection::vec("(microneedling|no|not|red|pus|fever|scar|acne|sun|and|how|long|\\?|,|😩|<@1>|dermatologist|hurt)", 0..30)) {
        let q = words.join(" ");
        let a = engine().answer(&q);
        prop_assert!(!a.answer.is_empty());
        if a.status == Status::Answered {
            prop_assert!(!a.sources.is_empty());
        }
    }
}

#[test]
fn thanks_and_everyday_pills_are_not_a_crisis() {
    // The crisis warning signs need their context: thanks with a farewell,
    // pills saved up. Everyday thanks and the contraceptive pill are not.
    for q in [
        "thanks for everything, really helpful! last question, does it hurt?",
        "I have been on the pill for years, does microneedling help acne scars?",
        "giving away my old serums to my sister, will products absorb better after needling?",
    ] {
        assert_ne!(engine().answer(q).flag.as_deref(), Some("crisis"), "{q}");
    }
}

#[test]
fn two_kinds_of_crisis_warning_sign_together_get_the_crisis_reply() {
    // None of these holds a listed crisis phrase; each shows two different
    // kinds of sign (a decision and a farewell, hopelessness and ease, a
    // height and a place, not eating and disappearing).
    for q in [
        "I finally feel at peace now. Wanted to say goodbye to you all, you were kind to me",
        "nothing will ever get better with this face, and honestly nobody would even notice",
        "been looking up the tallest car park in town, the one by the motorway",
        "i havent eaten in days and i think i could disappear for good and thats fine",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
        assert!(a.sources.is_empty(), "{q}");
    }
    // One kind of sign alone is everyday chat.
    for q in [
        "I feel at peace now that the redness has gone, how long until results show?",
        "goodbye everyone, I'm moving to another server! how long does the redness last?",
        "I have a plan for my aftercare, is sun protection part of it?",
    ] {
        assert_ne!(engine().answer(q).flag.as_deref(), Some("crisis"), "{q}");
    }
}

#[test]
fn the_crisis_model_learns_from_the_examples_file() {
    // A made-up word stands for wording no pattern lists: the model learns
    // it from `crisis_examples.jsonl` alone, and forgets it with the file.
    let dir = support::knowledge_copy();
    let mut lines = String::new();
    for (i, q) in [
        "the zorblax feeling is back tonight",
        "zorblax again, i cant shake it",
        "everything is zorblax and grey",
        "i feel zorblax, like nobody would notice",
        "zorblax all week, sorry for being a downer",
        "so zorblax lately",
    ]
    .iter()
    .cycle()
    .take(30)
    .enumerate()
    {
        lines.push_str(&format!("{{\"q\": \"{q} {i}\", \"crisis\": true}}\n"));
    }
    for q in [
        "how long does the redness last",
        "does microneedling hurt",
        "can i go in the sun after",
        "what does collagen do",
        "is it good for acne scars",
        "how many sessions will i need",
    ] {
        lines.push_str(&format!("{{\"q\": \"{q}\", \"crisis\": false}}\n"));
    }
    let path = dir.path().join("crisis_examples.jsonl");
    std::fs::write(&path, lines).expect("write examples");
    let engine = |dir: &std::path::Path| {
        let k = microneedling_bot::knowledge::load(dir).expect("loads");
        microneedling_bot::Engine::new(std::sync::Arc::new(k), Default::default())
    };
    let q = "feeling zorblax again tonight";
    let with = engine(dir.path());
    assert_eq!(
        with.answer(q).flag.as_deref(),
        Some("crisis"),
        "{:?}",
        with.crisis_score(q)
    );
    let (score, heaviest) = with.crisis_score(q).expect("a model");
    assert!(
        score > 0.0 && heaviest.iter().any(|(w, _)| w == "zorblax"),
        "{heaviest:?}"
    );
    let why = microneedling_bot::teach::explain(&with, q);
    assert!(
        why.fired
            .as_deref()
            .is_some_and(|f| f.contains("learned crisis model")),
        "{why}"
    );
    assert_ne!(
        with.answer("how long does the redness last?")
            .flag
            .as_deref(),
        Some("crisis")
    );
    std::fs::remove_file(&path).expect("rm");
    let without = engine(dir.path());
    assert_ne!(without.answer(q).flag.as_deref(), Some("crisis"));
    assert!(without.crisis_score(q).is_none());
}

#[test]
fn a_symptom_put_down_to_something_else_is_not_a_complication() {
    // An animal, an illness, an injury or another procedure as the cause,
    // and no word for the treatment: declined, not escalated.
    for q in [
        "my rabbit's ear is swollen and there's yellow goo, any tips?",
        "got my nose pierced last week and it's crusty and oozing, how do I clean it",
        "twisted my ankle playing netball and it's really swollen, ice or heat?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // The cause told in the symptom's own sentence, beside a question about
    // the treatment: the question is answered.
    let a = engine().answer(
        "walked into a door yesterday and there's a huge purple bruise on my shin. \
         which body areas can be microneedled?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // A symptom before the treatment: whether to go ahead is not covered.
    let a = engine()
        .answer("I've got the flu and a fever, my appointment is tomorrow, should I still go?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    // The treatment told as done, a cause only wondered about, or trouble
    // breathing: escalated whatever else the message blames.
    for q in [
        "had my session yesterday and then bumped my cheek on a door, now it's swelling and hot and there's pus",
        "my appointment is next week but right now my cheek is oozing yellow pus after my last session",
        "had microneedling on monday, then got the flu, and now there's pus on my cheek",
        "there's pus on my cheek and I'm feverish, could it be the flu?",
        "got lip filler this morning and now my throat feels tight and I can't breathe",
    ] {
        assert_eq!(engine().answer(q).status, Status::Urgent, "{q}");
    }
}

#[test]
fn a_long_story_that_mentions_an_uncovered_subject_in_passing_is_answered() {
    // Thirty words or more: the medication and the laser clinic are the
    // story, the question is about body areas.
    let story = "My brother was on antidepressants for a while in college and my aunt swears by \
                 some laser clinic downtown, but I just want the basics before deciding anything \
                 for myself. Which areas of the body can microneedling be used on?";
    let a = engine().answer(story);
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.gap.is_some(), "the uncovered part is still named: {a:?}");
    // A short message that hangs on the subject is still declined.
    let short = "I take antidepressants. Can I still get microneedling?";
    assert_eq!(engine().answer(short).status, Status::NoMatch);
}

#[test]
fn a_near_tie_goes_to_the_entry_the_learned_model_clearly_prefers() {
    // Whichever of two near-tied entries from different topics the
    // learned entry model clearly prefers is answered, whether the words
    // put it first or a hair behind ("does it reach deeper than normal
    // skincare products do?": absorption 0.810, deeper layers 0.809).
    let e = engine();
    let knowledge = e.knowledge();
    let settings = e.settings();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut seen = 0;
    for file in std::fs::read_dir(&dir).expect("tests/data") {
        let text = std::fs::read_to_string(file.expect("entry").path()).expect("read");
        for case in parse_cases(&text).expect("cases") {
            let ranked = e.candidates(&case.q);
            let Some(top) = ranked.first() else { continue };
            let topic = &knowledge.entries[top.entry].topic;
            let Some(rival) = ranked
                .iter()
                .find(|c| &knowledge.entries[c.entry].topic != topic)
            else {
                continue;
            };
            let tie = top.confidence - rival.confidence < settings.min_margin;
            if !(tie
                && rival.learned - top.learned >= microneedling_bot::engine::LEARNED_MARGIN
                && rival.confidence >= settings.answer_threshold)
            {
                continue;
            }
            let a = e.answer(&case.q);
            if a.status != Status::Answered || a.entries.len() != 1 {
                continue;
            }
            // An uncovered subject named in passing: the covered part that
            // asks was answered on its own ("prepping for my first session
            // … 1) how long does the redness last?"), not the whole
            // message's tie.
            if a.gap.is_some() {
                continue;
            }
            // A third entry was answered from one part of the message (the
            // question after "but …", an asked clause): the whole message's
            // tie did not decide it.
            let answered = a.entry.as_deref();
            let id =
                |c: &microneedling_bot::matching::Candidate| knowledge.entries[c.entry].id.as_str();
            if answered != Some(id(top)) && answered != Some(id(rival)) {
                continue;
            }
            seen += 1;
            assert_eq!(
                a.entry.as_deref(),
                Some(knowledge.entries[rival.entry].id.as_str()),
                "{}: {a:?}",
                case.q
            );
        }
    }
    assert!(
        seen >= 1,
        "no near tie the learned model settles in tests/data"
    );
}

#[test]
fn chatter_naming_only_everyday_senses_of_domain_words_is_declined() {
    // "results", "layers" and "pen" are domain words with an everyday sense
    // (`ambiguous` in chat.toml): among words no entry explains they do not
    // make a message about microneedling, nor does an "it" that stands for
    // the thing the message names.
    all_declined(&[
        "the council election results were announced late, anyone following the recount",
        "merged the layers in my drawing software and lost the shading, any way back",
        "my router keeps dropping out every evening, should i reset it or replace the whole thing",
    ]);
    // The same words in a question about the treatment are answered.
    all_answered(&[
        "how long does the red last?",
        "which layers of skin does it reach?",
    ]);
}

#[test]
fn chatter_set_in_another_field_is_declined_even_with_strong_domain_words() {
    // "healing", "renewal" and "layer" are domain words, but a word that
    // names another field (`elsewhere` in chat.toml: a game, paperwork,
    // baking) puts them in their everyday sense.
    all_declined(&[
        "should i brew healing potions in skyrim or buy them",
        "how long does a lease renewal take, my landlord is slow",
        "my 3 layer sponge cake keeps sinking in the middle",
        // A phrase of another field (`elsewhere_phrases`).
        "how long is my recovery after leg day supposed to take, legs are wrecked",
    ]);
    // A word that keeps the message about the skin (`anchors`) wins.
    all_answered(&[
        "gaming all night gives me acne scars, would microneedling help them?",
        "can microneedling help the scars my puppy left when she scratched me?",
    ]);
    // Unless the phrase of another field is the anchor word's own: the
    // "skin" of a game or of a sourdough starter is no skin.
    all_declined(&[
        "the new fortnite skin drop is mid, worth the vbucks or skip?",
        "my sourdough has a skin on top after a week in the fridge, is it still ok?",
        "he says he has no skin in the game since his team is out, how do I get him to come",
        // "scar" alone is no anchor: a car's is no one's skin.
        "deep scar on my car's bumper from a trolley, any scratch remover that works?",
    ]);
    // A skincare idiom with a word of another field (`anchor_phrases`) is
    // about the skin: "a long game" names no game.
    all_answered(&[
        "do people see a difference after the first go or is it a long game",
        "nothing works on my mum's skin, she's tried every potion going. would it work for her?",
    ]);
}

#[test]
fn a_report_of_denied_symptoms_does_not_steer_the_question() {
    // "no bleeding and no swelling" reports what is fine: the question is
    // about results, not about swelling after the session.
    let q =
        "no bleeding and no swelling at all, all fine. so how many sessions before I see results?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert_eq!(
        a.entries.first().map(String::as_str),
        Some("results-sessions"),
        "{a:?}"
    );
    // One denied word can be what is asked.
    let a = engine().answer("it didnt really hurt at all during the session, is that normal?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn another_persons_other_treatment_told_in_passing_does_not_decline() {
    // Someone else's filler or facelift is the story; the question is about
    // microneedling. A comparison is still declined.
    let a = engine().answer("my mum thinks its like a facelift, is microneedling surgery?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    all_declined(&["my friend got fillers, is botox better than microneedling?"]);
}

#[test]
fn someone_elses_uncovered_condition_told_in_passing_does_not_decline_the_members_question() {
    // The pregnancy, the diabetes and the medication are someone else's and
    // only told; the member's own clause asks about the treatment.
    for (q, entry) in [
        (
            "my pregnant cousin won't shut up about microneedling at family dinners. what even is it, in plain english?",
            "procedure-what-is-it",
        ),
        ("my sister who's pregnant says it hurts, does it?", "procedure-pain"),
        (
            "my mum has diabetes and keeps talking about microneedling. how does it work?",
            "procedure-how-it-works",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert_eq!(a.entries.first().map(String::as_str), Some(entry), "{q}: {a:?}");
    }
    // Still declined: the question is about that person, whether it suits
    // them, what was just told, or the subject itself; or it is the member's own.
    all_declined(&[
        "My sister is pregnant. Can she get microneedling?",
        "my pregnant sister wants microneedling, is it safe for her?",
        "my sister is pregnant, is microneedling safe?",
        "my friend said it clears rosacea, is that true?",
        "can someone with rosacea get microneedling?",
        "I'm pregnant, does it hurt?",
    ]);
}

#[test]
fn asking_whether_a_told_symptom_is_normal_still_escalates_it() {
    // Patterns compare stems: an exclusion "normally" or "normal" used to
    // cancel on the member's own "is this normal?" after a complication.
    // General questions ("is it normal for…", "does it normally…") still
    // step aside.
    all_urgent(&[
        "burning and swelling and its been 4 days, is this normal?",
        "my face is swelling more every hour since the treatment, is this normal??",
        "swelling more each day since tuesday, is that expected?",
    ]);
    all_answered(&[
        "is it normal for it to be a bit swollen on day 1?",
        "bit puffy under the eyes the morning after, no pain really, no fever. is swelling a normal thing?",
    ]);
}

#[test]
fn a_recent_course_of_medication_is_still_the_question() {
    // "months ago" or "weeks ago" is recent: a course finished then still
    // decides whether the member may be treated, so it is declined like a
    // current one. Long ago ("years ago") stays a passing story.
    all_declined(&[
        "finished accutane 3 months ago, can i do microneedling yet",
        "came off isotretinoin a few weeks ago, can I book microneedling now?",
    ]);
    all_answered(&["I had a fever 3 months ago with the flu, does microneedling hurt?"]);
}

#[test]
fn a_how_question_with_a_word_the_knowledge_lacks_is_still_a_question() {
    // "how" is no term (its stem is the stopword "hows"), so the rule that
    // declines "is microneedling halal?" used to decline these too.
    all_answered_by(
        "procedure-how-it-works",
        &[
            "how does this needling malarkey work",
            "how does this microneedling hoopla work?",
        ],
    );
    all_declined(&[
        "How do you say 'microneedling' in Spanish?",
        "is microneedling halal?",
    ]);
}

#[test]
fn late_and_lay_complications_escalate() {
    all_urgent(&[
        "10 days post and there are spots where the skin keeps reopening, they won't heal",
        "it's been 2 weeks and the treated area has raised hard ridges that keep getting thicker",
        "first two days were totally fine, just pink. Today it's suddenly way redder, swollen and it throbs",
        "3 days after my session my face has many small balls with yellow inside",
        "my mum had hers done on her neck monday and now she says it's hard to turn her head and swallow",
        "cheek numb with pins and needles that's spreading to my nose, day 1 after microneedling",
        "nicked myself with my dermaroller and it's bleeding through the third plaster now",
        "5 days in, it was getting better but now its way redder and theres bumps w white stuff in them",
    ]);
    // A question about raised scars one already has is no complication.
    all_declined(&["does it help keloid scars? mine are raised and thick"]);
}

#[test]
fn a_question_about_a_symptom_in_general_is_not_a_complication() {
    // Another member's own treatment, answered in a thread, is theirs.
    all_answered(&["@sam you said yours was agony?? is it usually painful during the treatment"]);
    // Comparing with another treatment, or an allergy told to ask whether
    // one may be treated, asks about something the article does not cover.
    all_declined(&[
        "is the redness after microneedling worse than after IPL?",
        "I'm allergic to nickel, can i get microneedling?",
        "do i have to avoid the sun for exactly 7 days or 14 after microneedling?",
    ]);
    all_answered(&["how long should I avoid the sun after microneedling?"]);
    // Told as happening now, they still escalate.
    all_urgent(&[
        "my cheeks are redder than they were on day 1, it's day 5 now, is the redness usually like this?",
        "i think i'm allergic to something they used, my whole face is itchy bumps, is it ok?",
    ]);
}

#[test]
fn complications_told_in_metaphor_and_sensation_escalate() {
    all_urgent(&[
        "one spot on my cheek feels squelchy like a wet sponge and it's tender, day 5",
        "my face is throbbing like a bass drum, had it done 2 days ago, took 4 ibuprofen and nothing helps",
        "like someone's stabbing me in the jaw every time my heart beats. day 4 post microneedling",
        "did the backs of my hands on Monday, now my fingers are so puffy I can't get my ring off",
        "my back was microneedled last week and one patch is like a boil, throbbing and red",
        "there's a dark greyish patch on my cheek since the treatment and it's really painful",
        // "has gone from" is a change on a scale, not a symptom gone
        "ok so i'm not one to complain but the pain has gone from a 2 to an 8 since yesterday",
    ]);
    // Weather, a habit told with how often, a description of one's skin type.
    all_answered(&[
        "Can I hit the beach the arvo after? It's stinking hot here",
        "my face looks like a boiled lobster rn, just had microneedling, no pain no fever. how long till it calms down?",
    ]);
    all_declined(&[
        "I get cold sores around my lips three or four times a year, usually when I'm stressed. Should I take antiviral tablets before my session?",
        "I'm very pale and I burn fast. What SPF number should I use after a session?",
    ]);
}

#[test]
fn choosing_between_options_told_elsewhere_and_a_rant_closed_before_the_question() {
    all_declined(&[
        "I've got rolling acne scars and I'm torn between microneedling and a CO2 laser. The laser clinic says one laser session equals five microneedling ones. Which one is better for acne scars?",
        "this heat is killing me today, any tips for staying cool",
    ]);
    all_answered_by(
        "aftercare-sunlight",
        &["the neighbours are doing construction AGAIN at 7am, kill me. anyway unrelated — gardening after microneedling, ok or do i stay indoors cause of the sun"],
    );
}

#[test]
fn plain_crisis_wordings_do_not_rest_on_the_learned_model_alone() {
    // The learned crisis model moves when examples are added (twelve
    // non-crisis lines once cost fourteen stored crisis lines), so the
    // plainest wordings are patterns too: with the model switched off
    // they still get the crisis reply.
    let dir = support::knowledge_copy();
    let path = dir.path().join("red_flags.toml");
    let text = std::fs::read_to_string(&path).expect("red_flags.toml");
    let line = text
        .lines()
        .find(|l| l.starts_with("learned_threshold ="))
        .expect("the threshold is set in red_flags.toml");
    let text = text.replace(line, "learned_threshold = 1000.0");
    std::fs::write(&path, text).expect("write");
    let k = microneedling_bot::knowledge::load(dir.path()).expect("loads");
    let engine = microneedling_bot::Engine::new(std::sync::Arc::new(k), Default::default());
    for q in [
        "i dont wanna wake up tomorrow. been feeling that way every night since this breakout started",
        "I just want to be switched off. To not exist for anyone.",
        "Sorry my english. I am not want to live more.",
        "I keep thinking everyone would have an easier time if I just stopped being a burden to them",
        "Please tell the lady I'm sorry I won't make it on Thursday. I've made my decision and I'm at peace with it.",
        "wrote my will today at 23. anyway can someone else take over my booking on friday",
    ] {
        let a = engine.answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    // …and a lie-in or a decision to book is no crisis.
    for q in [
        "don't want to wake up at 5am for my appointment, can I book a later one?",
        "I've made up my mind to book microneedling, does it hurt?",
    ] {
        let a = engine.answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn a_past_complication_told_with_who_cleared_it_is_over() {
    // The trigger "cleared up with" still reaches back when the whole-clause
    // "cleared up with antibiotics" cannot stand, because a doctor stands
    // between it and the infection.
    let a = engine().answer(
        "I got a small infection that my GP cleared up with antibiotics, so I'm cautious. \
         How does microneedling actually work on the skin?",
    );
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    // An infection now is still one.
    let a = engine().answer("an infection after my session that the antibiotics haven't touched");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_scene_on_a_screen_is_not_the_members_complication() {
    for q in [
        "watched a horror movie last night, so much blood I almost passed out haha. which areas can microneedling treat?",
        "binge watching a hospital show, a patient went into anaphylactic shock and I cried. does microneedling hurt much?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Watching something while one's own face swells is still urgent.
    let a = engine().answer(
        "was watching netflix after my microneedling this afternoon and now my lips are swelling up",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn new_marks_a_temp_and_darkening_skin_after_treatment_escalate() {
    for q in [
        "my son rolled my derma roller over his cheek and now he has a temp and a red rash",
        "there are little dents in my skin that weren't there before my microneedling",
        "a month after needling I have thick raised lines on my jaw that are firm and not fading",
        "my forehead is purple and blotchy and it's getting worse since my microneedling on monday",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Asked as a fear, or about dark circles, it is not.
    for q in [
        "will microneedling leave scars that weren't there before?",
        "my purple dark circles under my eyes keep getting worse, can microneedling help?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn a_treatment_got_booked_is_still_to_come() {
    // "got microneedling booked" is not "got microneedling": spots before
    // the appointment are a question about having it, not a complication.
    let a = engine().answer(
        "I have a few inflamed spots spreading over my chin from stress. I've got microneedling \
         booked for Saturday, can I still have it with active acne?",
    );
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    let a = engine()
        .answer("got microneedling on friday and now the spots are spreading and full of pus");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_reported_question_in_a_long_story_is_answered() {
    // "find out whether …" asks, though it has no question mark; the
    // holiday is only the story.
    let a = engine().answer(
        "My husband is 58 and far too proud to post here himself. He has rough pitted acne scars \
         on his back from his twenties and always keeps a shirt on at the pool, even on our \
         holidays abroad. He asked me to find out whether microneedling can be used on the back \
         or only on the face.",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_red_flags_words_scattered_over_a_long_story_raise_nothing() {
    // "freezing at night" and, four sentences on, "boiling water": a broken
    // boiler, not a fever; dark patches years ago, far from "Black".
    for q in [
        "The landlord says the boiler part is on order and keeps promising it's coming tomorrow. Meanwhile it is freezing in the flat at night and I'm sleeping in two jumpers. My flatmate has gone to stay at her mum's place and the cat won't leave my lap. We've had takeaway four nights running because the kitchen is so cold. At least the kettle still works, so I've been boiling water to wash my hair. How do I get a landlord to fix a boiler faster?",
        "I'm Black, and I have always been careful with anything cosmetic. My cousin has been having facials for years and keeps telling me to join her at her spa, which is a two hour drive away. We usually make a day of it with lunch and shopping. Last time I tried a peel I ended up with dark patches that took months to fade. Is microneedling suitable for darker skin tones?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Told in a sentence and the next, or in terse fragments, it escalates.
    for q in [
        "my cheek went red and hot after microneedling yesterday. I thought it would calm down overnight. It's way worse today.",
        "it stings. not like before. like it's raw. two days now and it's getting worse",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn not_affording_to_look_red_asks_about_downtime_not_price() {
    let a = engine().answer(
        "I'm a wedding planner and I cannot afford to look like a lobster in front of clients. I'm thinking about microneedling in the quiet season. How much downtime should I expect?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert_eq!(a.gap, None, "{a:?}");
    let a = engine().answer("can I afford microneedling on a student budget, how much is it?");
    assert_eq!(a.gap.as_deref(), Some("cost"), "{a:?}");
}

#[test]
fn a_place_told_as_a_way_out_and_no_plan_to_age_are_a_crisis() {
    for q in [
        "walked over the railway bridge after my session and for once it looked like a way out. my skin is the final straw",
        "when does collagen start dropping off? not that it matters, I'm not planning on getting any older",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    // Ageing fought against is a question about wrinkles.
    let a = engine().answer(
        "I'm not planning on getting any older without a fight lol, does microneedling help with wrinkles?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_young_person_compared_with_is_age_and_skin_calming_down_is_not_nerves() {
    // Measured against a young girl, an older member asks whether results
    // vary, not about women and men (the price told is an aside).
    let a = engine().answer(
        "I am 70 and my granddaughter wants to pay for microneedling for my birthday. Will it work the same on an old face like mine as on a young girl, or are the results different for each person?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert_eq!(a.entry.as_deref(), Some("results-vary"), "{a:?}");
    // Women against men is still the uncovered subject.
    let a = engine().answer("is it just for young women or can men get it too?");
    assert_eq!(a.gap.as_deref(), Some("gender"), "{a:?}");
    // Redness calming down is downtime; something to calm one's nerves is not covered.
    let a = engine().answer(
        "Had microneedling yesterday and my cheeks are pink and a little puffy, no pain, no fever. Is this normal, and how long does it normally take to calm down?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    let a = engine().answer(
        "I get so anxious before appointments, is there anything I can take to calm down beforehand?",
    );
    assert_eq!(a.gap.as_deref(), Some("nerves"), "{a:?}");
}

#[test]
fn confusion_makeup_and_a_fear_of_fainting_in_a_story_are_no_complication() {
    for q in [
        "I'm a twin, which makes this extra confusing. My sister got great results from microneedling and we share the same DNA, but she sleeps eight hours and I work night shifts. Do lifestyle differences change how well it works?",
        "I'm a makeup artist and no amount of foundation covers my indented acne scars, it only makes them look worse under the lights. How does microneedling deal with scars like these?",
        "I'm terrified of surgery and the thought of a facelift makes me feel faint. Is microneedling a less drastic, non-surgical way to improve my skin texture?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
    // Fainting at one's own session, and scars worse since it, still escalate.
    for q in [
        "I passed out during my own microneedling session and still feel faint",
        "my scars look worse since microneedling, raised and shiny",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn a_close_up_photo_of_the_eyes_is_no_eye_closing_up() {
    let a = engine().answer(
        "someone took a close-up photo that showed every line around my eyes. Does microneedling help with fine lines?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    let a = engine().answer("my eyes are swollen and closing up since microneedling this morning");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_relative_that_stands_for_its_noun_and_hearsay_pain_is_a_question() {
    // "ideas that aren't socks": "that" is the ideas, not the treatment.
    let a = engine().answer(
        "Wife here - our anniversary is next week, any gift ideas for my husband that aren't socks?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    let a = engine().answer("is that normal after microneedling?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // Pain heard or read about is asked about, not felt.
    for q in [
        "I heard that it hurts a lot, is that true?",
        "I read that it hurts really bad, is that right?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
    let a = engine().answer(
        "I heard it hurts a lot but mine is so painful since my session yesterday and keeps getting worse",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_run_on_story_is_answered_from_the_question_at_its_end() {
    // Told without stops, the story's subjects (diet, a clinic near the
    // office, a budget) stand in the one clause that also asks.
    for (q, entry) in [
        (
            "my brother in law runs marathons and eats nothing but protein bars and my aunt keeps \
             telling everyone at family lunch that her derm did wonders with needles so now the \
             whole family is arguing about it and i just want to know does microneedling actually \
             help with acne scars or is it just hype",
            "scars-acne",
        ),
        (
            "honestly i have been saving up for months and the clinic near my office is the only one \
             i trust and my mum thinks im wasting my money but whatever i just want to understand how \
             many sessions would someone usually need to see a difference because i have a tight \
             budget this year",
            "results-sessions",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
    // The question itself about the subject is still declined.
    let a = engine().answer(
        "my sister is getting married in june and the bridesmaids all want to get microneedling \
         together before the big day at the clinic near her flat so i want to know how much does \
         microneedling cost per session because i have a tight budget",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn swelling_with_a_part_that_no_longer_works_is_urgent_and_other_peoples_meals_are_not() {
    let a = engine().answer(
        "my dad had it done on his hands on monday and now his left hand is swollen and really \
         painful and he cant bend his fingers",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    // A gym ache beside a question is not.
    let a = engine()
        .answer("does microneedling hurt? asking because my leg is so sore after the gym that i cant bend my knee lol");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // Raw food is not raw skin; food gone down the wrong way at a table is no breathing trouble.
    for q in [
        "my flatmate lives on raw eggs and protein shakes and says it's good for his skin, but how \
         does microneedling itself actually work on the skin?",
        "my grandad nearly choked on his roast potatoes at sunday lunch when I told him I was getting \
         microneedling lol, anyway does it hurt much?",
        // a dog named by its breed
        "my labrador has come up in an itchy red rash on his belly and keeps scratching, poor boy. \
         separate question, does microneedling help acne scars?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
    // Guards: raw skin and choking after a session stay urgent.
    for q in [
        "day 4 after microneedling, the skin on my cheek is raw and open and weeping",
        "after my session my throat feels tight and i keep choking and can't get air in",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn skin_calming_down_proteins_the_skin_makes_and_a_sleepy_greeting_are_not_declined() {
    for (q, entry) in [
        (
            "day 1, bit red and puffy but no pus, no fever. how long does this usually take to calm down?",
            "downtime-redness",
        ),
        (
            "so microneedling makes the skin produce more proteins? which ones are they?",
            "collagen-elastin",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
    // The sun emoji decorates a greeting; it asks nothing about the sun.
    let a = engine().answer("good morning all ☀️ hope everyone slept well");
    assert_eq!(a.status, Status::Help, "{a:?}");
}

#[test]
fn a_question_after_a_story_is_read_apart_from_the_story_and_its_reason() {
    for (q, entry) in [
        // the story told without stops, then "curious … what even is it"
        (
            "so at my sisters hen do two women at the next table were talking about microneedling \
             and one said it's like stabbing your face and the other said it's gentle and they went \
             on and on about it and now im genuinely curious who was right what even is microneedling",
            "procedure-what-is-it",
        ),
        // a reason told after the request ("curious because … went fishing")
        (
            "My cousin had microneedling last spring and we had a laugh about it at the barbecue. But \
             now I'm weirdly curious because her skin looked great when we went fishing in August. So \
             what is it exactly, just tiny holes in your face on purpose?",
            "procedure-what-is-it",
        ),
        // a formal request without a question word
        (
            "Good evening. My son has booked me a session at a skin clinic near his home for my \
             birthday, which was kind of him. Before I go I would welcome a clear description of \
             what the procedure actually consists of. Thank you kindly.",
            "procedure-what-is-it",
        ),
        // "stabbing your own face" says what the treatment does, not doing it at home
        (
            "My skin looks tired since the twins arrived. A friend at baby group says microneedling \
             wakes your skin up. Honest question: what does stabbing your own face with tiny needles \
             actually trigger inside the skin?",
            "procedure-how-it-works",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
    // A story that ends asking about an uncovered subject is still declined.
    let a = engine().answer(
        "my aunt had microneedling at a spa last month and loved it and my cousin wants to try it \
         too and now im curious how much does microneedling cost per session in london",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_run_on_story_with_no_uncovered_subject_is_answered_from_its_question() {
    // No subject fired, but the story's words drown the asked ones: the
    // question at the end of the run-on is read on its own.
    let a = engine().answer(
        "been sleeping eight hours and cut out takeaways and my skin finally cleared up after years \
         of breakouts but the pitted marks are still there every time i look in the mirror does \
         microneedling actually help old acne scars or is it a waste of money",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "scars-acne"), "{a:?}");
}

#[test]
fn a_treat_to_oneself_is_no_home_treatment() {
    let a = engine().answer(
        "scale of 1-10 how much does microneedling hurt, my first one is a treat to myself for finishing exams",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "procedure-pain"), "{a:?}");
    // Guard: needling oneself at home is still the uncovered subject.
    let a = engine().answer("can i do microneedling on myself at home with a roller?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_list_denied_by_a_negated_verb_is_denied_to_its_last_item() {
    // "haven't got" opens the list as "no" does, and the denial reaches its
    // last item however many words the list has.
    let a = engine().answer(
        "I haven't got a temperature, swelling, blisters or anything oozing, just red after the session, normal?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "downtime-redness"), "{a:?}");
    // Guard: a list closed by "and" may add what is there.
    let a = engine().answer("I don't have a fever, chills and pus after the session");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn everyday_idioms_with_red_flag_words_are_not_complications() {
    for (q, entry) in [
        // "have a fit" is anger, not a seizure
        (
            "my boss would have a fit if he saw how much I spend on serums, does microneedling help products absorb better?",
            "aftercare-product-absorption",
        ),
        // "can't see a mechanism" is doubt, not sight
        (
            "my husband doesn't trust anything he can't see a mechanism for and I couldn't explain it properly, how does microneedling work?",
            "procedure-how-it-works",
        ),
        // "confused so can someone explain" is puzzled, not delirious
        (
            "my sister is a nurse and she said my scars are the atrophic kind and that microneedling breaks them down, now im home and confused so can someone explain what makes a scar atrophic",
            "scars-atrophic",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
    // Guards: the real signs still escalate.
    for q in [
        "he's having a seizure right now, he had microneedling an hour ago",
        "my mum is drowsy and confused since the session",
        "I can't see properly out of my left eye since the microneedling",
    ] {
        assert_eq!(engine().answer(q).status, Status::Urgent, "{q}");
    }
}

#[test]
fn late_eruptions_pigment_where_it_was_done_and_acid_stinging_are_urgent() {
    for q in [
        "little red bumps showed up 5 days later, I thought it was healing",
        "white patches on my forehead where they did the needling",
        "my skin stings like acid since the session",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Guard: a question about dark spots before any treatment is not one.
    let a = engine().answer("will microneedling help the dark spots on my cheeks?");
    assert_ne!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn they_after_everyone_speaks_of_those_people_not_the_treatment() {
    let a = engine().answer(
        "First week of retirement after forty years in the office and the days feel very long already. What hobbies did everyone else take up once they retired?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    // Guard: "they" with nobody before it still refers back.
    let a = engine().answer("got microneedling booked for friday, do they hurt?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "procedure-pain"), "{a:?}");
}

#[test]
fn everyday_pain_is_chatter_and_asides_about_paying_or_greasy_pillowcases_decline_nothing() {
    for q in [
        "my commute is such a pain, two buses and a train every morning",
        // hiccups are another field, however "fast" they go
        "best trick to stop hiccups fast?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Answered, "{q}: {a:?}");
    }
    // Guard: "fast" alone still asks how soon results show.
    let a = engine().answer("how fast do microneedling results show up?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    for q in [
        "how much pain is microneedling?",
        // a pain threshold is of the domain, whatever else the message tells
        "my pain threshold is rubbish, I cry at eyebrow waxing, is this a bad idea for me?",
        // the dentist is another field, but a pain threshold is the member's own
        "my pain threshold is rubbish, I even cry at the dentist, is this a bad idea for me?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(
            a.entries.iter().any(|e| e == "procedure-pain"),
            "{q}: {a:?}"
        );
    }
    for (q, entry) in [
        (
            "creams just leave my pillowcase greasy and never sink in, does microneedling get products deeper into the skin?",
            "aftercare-product-absorption",
        ),
        (
            "before my wife books it I want to know what I'm paying for, what does microneedling actually involve?",
            "procedure-what-is-it",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
        assert!(a.gap.is_none(), "{q}: no uncovered subject was asked: {a:?}");
    }
    // Guards: the subjects themselves still decline.
    for q in [
        "how much will I be paying for microneedling?",
        "is greasy food bad for my skin after microneedling?",
    ] {
        assert_eq!(engine().answer(q).status, Status::NoMatch, "{q}");
    }
}

#[test]
fn a_remark_with_only_everyday_senses_of_domain_words_is_not_clarified() {
    // Nothing is asked and "line" is a queue: no "did you mean…?".
    let a = engine().answer("the queue at the chemist was a mile long, the line went out the door");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    // Guard: a question still gets its answer.
    let a = engine().answer("can microneedling soften the lines on my forehead?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_long_story_that_never_mentions_the_treatment_asks_about_its_own_subject() {
    // One word no entry explains ("roast") is enough in the question of a
    // long story with no word for the treatment, done or to come.
    let a = engine().answer(
        "Burnt my thumb on the baking tray on Saturday, ran it under the cold tap and it's fine \
         now, just a bit tender. What's everyone's favourite Sunday roast? I need new ideas for \
         the family.",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    // Guard: "had it done" tells the treatment, so its question is answered.
    let a = engine().answer(
        "my mum had it done yesterday. she's a bit red but no fever, no swelling apart from slight \
         puffiness, chatting away fine. how long till she looks like herself again?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn inflamed_skin_that_spreads_throbbing_days_later_and_a_turn_after_feeling_fine_escalate() {
    for q in [
        // lay words for spreading redness, and a non-native speaker's "more big"
        "my cheek is really inflamed and it's spreading towards my jaw",
        "the redness is getting more big and moving to my neck",
        // throbbing or pounding days after, when the first soreness should have eased
        "pounding pain on day 4 after microneedling",
        // "felt fine" before a turn for the worse, told "than ever"
        "i felt fine yesterday but now my face is hotter and redder than ever",
        // light-headed after the session, told as woozy
        "felt woozy after my microneedling yesterday",
        // the treatment dated days back, so "is it okay to wait?" asks about the blisters,
        // not whether the treatment may go ahead
        "I do microneedling three days ago at a salon. First day only red like sunburn, the nurse \
         said normal. Today there are small blisters full of water on my cheek. Is it okay to wait?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Guard: normal day-one redness told with a denial is still answered.
    let a = engine().answer("my face is a bit red and warm on day 1, no fever, is that normal?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_faint_put_down_to_an_empty_stomach_or_everyday_confusion_is_no_complication() {
    let a = engine().answer(
        "I nearly fainted at work because I skipped breakfast, how do people cope with long shifts?",
    );
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    // "keep asking" is what people do about a glow, not confusion that repeats itself
    let a = engine().answer(
        "people keep asking her what she's done and I'm a bit confused, why do results differ between people?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "results-vary"), "{a:?}");
    // a knife that slipped years ago left a scar: no crisis
    let a = engine().answer(
        "the knife slipped in my hand at work years ago and left a thick scar, can microneedling help scars like that?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // Guard: a faint after the session still escalates.
    let a = engine().answer("I fainted after my microneedling session this morning");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn paying_as_an_attitude_and_a_taste_for_natural_products_name_no_subject() {
    for (q, entry) in [
        (
            "when I pay for something I expect results. how many sessions does it usually take?",
            "results-sessions",
        ),
        (
            "my aunt hates anything unnatural in her skincare routine, would she be ok with microneedling or is it full of chemicals?",
            "safety-natural-option",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
}

#[test]
fn treatment_alone_anchors_nothing_and_queues_reptiles_diets_and_idioms_are_chatter() {
    for q in [
        "what's the best treatment for moss in a lawn?",
        "my pet lizard is shedding skin in patches, should I help?",
        "doing intermittent fasting, day 3 and feeling good",
        "what a pain in the neck the council is, any tips for complaining?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // Guards: the treatment, and the time around it, are still the domain.
    for q in [
        "is the treatment painful?",
        "asking for pre-procedure counselling: do patients generally tolerate it?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
}

#[test]
fn sweating_judged_as_an_idea_and_spreading_bacteria_are_no_signs_of_infection() {
    for q in [
        "I run every day. Sweating buckets on fresh skin doesn't sound ideal. When can I exercise after microneedling?",
        "I'm worried about spreading bacteria over my spots, are my red spots spreading bacteria when they're needled?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Guard: sweats and shivers since the session are a fever.
    let a = engine().answer("I'm sweating buckets and shivering since my microneedling yesterday");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn everyday_senses_of_symptom_and_crisis_words_raise_no_flag() {
    for q in [
        // light that "hits my face" is no blow, "lighter than that" no lighter
        "when the sunlight hits my cheeks you can see every bump, can microneedling smooth texture?",
        "is microneedling a big procedure with cutting or something lighter than that?",
        // bubble tea is no bubble of fluid; a mild warmth on the day, told with denials, is normal
        "got microneedled this morning, had bubble tea after, face is pink but no fever or pus, normal?",
        "my face is a bit warm to the touch this evening after my session today, no fever, is that normal?",
        // a needle phobia's faint, and pain told as what people say
        "I nearly faint just thinking about injections, does microneedling hurt much?",
        "everyone online says it hurts like hell, true?",
        // "die a little inside" is a laugh
        "the thought of tiny needles makes me want to die a little inside lol, how long is the redness?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
    for q in [
        // peace made with stretch marks, tattoo linework, another activity's session, a habit of cold sores
        "I've made my peace with them mostly, but can microneedling fade stretch marks?",
        "my tattoo artist went deep and now the linework looks blurry",
        "eight hour gaming session last night and my eyes are sore and red, best monitor settings?",
        "I get cold sores a few times a year, do I need antivirals before microneedling?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // Guards: the same words told of the treatment still escalate.
    for q in [
        "my face is warm to the touch and the redness is spreading 3 days after microneedling",
        "blisters full of fluid bubbled up on my cheek after microneedling",
        "my eyes are sore and red since my microneedling session last night",
        "gaming session last night, then microneedling this morning, now my eyes are sore and red",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn someone_elses_treatment_dated_days_back_is_recent_not_a_story() {
    let a = engine().answer("my husband had it done 4 days ago and the pain is getting worse");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    // Guard: a story years old is still someone else's past.
    let a =
        engine().answer("my sister had an infection after hers 3 years ago, how common is that?");
    assert_ne!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn crisis_told_without_the_listed_words_gets_the_crisis_reply() {
    for q in [
        "probably no point booking more sessions, I don't think I'll still be around by the time it heals",
        "sat on the bridge for hours last night again. anyway, how long does redness last?",
        "honestly I know which pills would do it. is microneedling safe?",
        "need to hide the marks on my wrists before anyone notices, they're fresh",
        "overdosed last spring and I keep thinking about doing it again. can I still get microneedling?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
}

#[test]
fn chatter_from_kitchens_walls_gyms_and_other_needles_is_declined() {
    for q in [
        "roller marks on my matte emulsion, should I do a second coat?",
        "the skin on my roast chicken never crisps in the air fryer",
        "sunburnt at the beach today, what's good to put on it?",
        "my flu jab is tomorrow, does that needle hurt?",
        "do I need a patch test first?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // Guard: the treatment's sunburn-like redness is still answered.
    let a =
        engine().answer("my face looks like a sunburn after microneedling, how long will it last?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn covered_questions_beside_words_of_uncovered_subjects_are_answered() {
    for (q, entry) in [
        (
            "creams can't get deep enough for me, is that the gap needling fills?",
            "procedure-deeper-dermis",
        ),
        (
            "can I book it on a thursday and look presentable by monday? how long does the redness last?",
            "downtime-redness",
        ),
        (
            "will the hyaluronic serum be more effective after microneedling?",
            "aftercare-product-absorption",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
}

#[test]
fn a_short_question_about_two_things_answers_both() {
    let a = engine().answer("does microneedling help acne scars AND wrinkles?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    for entry in ["scars-acne", "uses-wrinkles-fine-lines"] {
        assert!(a.entries.iter().any(|e| e == entry), "{entry}: {a:?}");
    }
    // Guard: two everyday things joined are not two questions of the domain.
    let a = engine().answer("my kitten's nose is dry and warm, is she ill");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_gun_within_reach_a_needle_weighed_as_a_blade_and_a_bridge_right_now_are_a_crisis() {
    for q in [
        "i know where my dad keeps his gun. anyway how long is the redness",
        "would the needles on a dermaroller be good for cutting? asking for reasons",
        "im standing on the bridge right now, my session was meant to be at 4",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    // Guards: a glue gun and a blade for fabric are crafts.
    for q in [
        "my glue gun burnt my finger, is that like the redness after microneedling?",
        "are these scissors good for cutting fabric?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
}

#[test]
fn a_towel_beside_the_symptom_excuses_nothing_and_cannot_see_how_is_no_eye_symptom() {
    // The towel was there because of the oozing; "off" (earrings taken off) is
    // no towel gone off, and "the treatment was four days ago" tells it done.
    let a = engine().answer(
        "Put a towel over my pillow because my cheek kept oozing yellow stuff, and I had to take my \
         earrings off. The treatment was four days ago. What should I put on it?",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    let a = engine().answer(
        "I cannot see how poking tiny holes would make skin better, what does the body do in response?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_two_thing_question_beside_a_short_remark_answers_both() {
    let a = engine().answer("does it help acne scars and wrinkles? those are my two worries");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    for entry in ["scars-acne", "uses-wrinkles-fine-lines"] {
        assert!(a.entries.iter().any(|e| e == entry), "{entry}: {a:?}");
    }
    // Guard: "or" beside a remark is one question put two ways.
    let a = engine()
        .answer("had bad spots as a teen. will it help my acne scars or am I wasting money?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "scars-acne"), "{a:?}");
}

#[test]
fn crisis_told_by_a_deadline_a_dose_a_blade_kept_or_a_wall_punched() {
    for q in [
        "gave myself until friday, if nothing changes i'm out. for good.",
        "I keep a blade in my makeup bag in case. the case got closer today. is the redness normal?",
        "punched the wall till my knuckles bled, can I microneedle my hands later?",
        "if i'm still around by then, which i'm hoping i'm not, i'll book a second session",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    // Guards: a deadline for a choice, and a boxer's knuckles.
    for q in [
        "gave myself until friday to pick a clinic, any tips?",
        "I punch the heavy bag at boxing until my knuckles are raw, can I still get microneedling?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
}

#[test]
fn complications_told_formally_or_misspelt_escalate_and_a_condition_asked_about_does_not() {
    for q in [
        "Following my treatment I have persistent bleeding from several puncture sites and increasing swelling.",
        "sevear pain after my session, cant touch my face",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // A condition's symptoms told to ask whether it suits people with it,
    // and an old injury's A&E visit, are no complication.
    for q in [
        "I'm diabetic and I know we get more infections from cuts. Is microneedling safe for people with diabetes?",
        "Years ago I fell off a wall. Six stitches at A&E and a scar that's still raised. Does microneedling help injury scars?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Guards: the treatment told as had still escalates, and a risk asked about is declined.
    let a = engine().answer(
        "Had microneedling 3 days ago, is it risky for people with rosacea? my cheeks are hot, swollen and the red is spreading",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    let a = engine().answer("Is persistent bleeding a risk of microneedling?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_cut_told_deep_and_again_on_the_same_spot_is_a_crisis_but_a_gate_accident_is_not() {
    // A place on the body ("on the same spot") excuses nothing; an object
    // cut on is an accident.
    for q in [
        "cut again on the same spot last night, really deep this time, probably should have had stitches",
        "I cut myself on the inside of my arm again, deeper than before",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    let a = engine().answer(
        "caught my hand on a rusty gate, cut really deep and needed stitches. will microneedling help the scar?",
    );
    assert_ne!(a.flag.as_deref(), Some("crisis"), "{a:?}");
}

#[test]
fn pain_asked_about_in_general_or_as_someone_elses_is_answered_but_told_as_now_escalates() {
    for q in [
        "Is this treatment hurting a lot? my husband is scared of needles",
        "my aunt says it hurt a lot for her. in general is microneedling painful?",
        "on a scale from a pinch to agony, how painful is microneedling?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert_eq!(
            a.entries.first().map(String::as_str),
            Some("procedure-pain"),
            "{q}: {a:?}"
        );
    }
    // Guards: pain told of one's own treatment still escalates.
    for q in [
        "had microneedling yesterday and my face hurts a lot, is that normal?",
        "my face hurts a lot since the treatment. Is microneedling supposed to do this?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn a_subject_the_member_sets_aside_does_not_decline_the_covered_question() {
    for q in [
        "never mind the price, does it actually help old acne scars?",
        "I know fillers are their own question so leave those aside. does microneedling help acne scars?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(
            a.entries.iter().any(|e| e == "scars-acne" || e == "scars-atrophic"),
            "{q}: {a:?}"
        );
    }
    // Guard: the subject asked about is still declined.
    let a = engine().answer("how much does microneedling cost?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_lasting_condition_told_as_flaring_declines_the_question_about_it() {
    // "since I was a child" excuses a finished acne course, not eczema that
    // still flares; whom to consult is still answered.
    let a = engine().answer(
        "I've had psoriasis since I was a child and it flares every winter. Is microneedling okay for people with psoriasis?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    let a = engine().answer(
        "I've had psoriasis since I was a child, currently calm. Who should I talk to before deciding on microneedling?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(
        a.entries
            .iter()
            .any(|e| e == "safety-consult-dermatologist"),
        "{a:?}"
    );
}

#[test]
fn help_or_make_worse_and_pores_beside_texture_ask_the_covered_thing() {
    for (q, entry) in [
        (
            "got pitted acne scars on my cheeks, will needling smooth them or make them worse?",
            "scars-",
        ),
        (
            "will it help my rough texture? my pores are big too but it's mostly the texture",
            "uses-skin-texture",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e.starts_with(entry)), "{q}: {a:?}");
    }
    // Guards: a risk asked on its own, and pores asked about, are declined.
    for q in [
        "can microneedling make acne scars worse?",
        "will microneedling shrink my pores?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
}

#[test]
fn a_question_that_lists_its_options_after_a_colon_is_read_as_asked() {
    // The colon opens the options of the question, not the question of an
    // announcement: sunburn care is asked about, and declined.
    let a = engine().answer(
        "Back from a festival with peeling shoulders. What's the best way to soothe a bad sunburn at home: aloe vera, after-sun, cold showers?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_question_after_a_storys_anyway_is_answered_and_chat_after_it_is_not() {
    let a = engine().answer(
        "my dog chewed my favourite trainers this morning, ugh. anyway does microneedling help acne scars",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e.starts_with("scars-")), "{a:?}");
    // Guard: what follows "anyway" names nothing of the domain but an
    // everyday "day", so the story's meeting still makes it chat.
    let a = engine().answer(
        "our team meeting overran again, so annoying. anyway how do you lot unwind after a long day",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_work_meeting_talked_about_is_chat_but_one_beside_the_treatment_is_not() {
    let a = engine().answer(
        "the staff meeting was pure pain again, two hours of slides. how do you keep meetings short?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    let a = engine().answer(
        "had microneedling yesterday and I have a team meeting tomorrow, how long will the redness last?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "downtime-redness"), "{a:?}");
}

#[test]
fn a_pets_skin_and_a_tan_from_a_bottle_are_not_the_treatments_questions() {
    for q in [
        "my ferret's fur is thinning and his skin looks flaky, what should I put on it?",
        "how soon after microneedling can I use fake tan, or will it sting?",
        "what's the difference between nanoneedling and microneedling?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // Guard: a pet beside the member's own question.
    let a = engine().answer(
        "how long does the redness last after microneedling? my cat keeps staring at my red face lol",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_fear_of_harm_asked_a_shop_shelf_and_a_read_risk_are_no_alarm() {
    for q in [
        "am I going to wreck my face if I use a roller at home?",
        "which moisturiser after microneedling, the shelf at the chemist is killing me",
        "I've read online that it can make dark patches worse, does it help pigmentation?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Guards: an intent told, and pain told of one's own face, still escalate.
    let a = engine().answer("I want to wreck my face tonight");
    assert_eq!(a.flag.as_deref(), Some("crisis"), "{a:?}");
    let a = engine().answer("my face is killing me since the session yesterday");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_mix_up_with_another_treatment_asks_what_microneedling_is() {
    let a = engine()
        .answer("is microneedling the one with tiny needles or am I mixing it up with botox?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(
        a.entries.iter().any(|e| e == "procedure-what-is-it"),
        "{a:?}"
    );
}

#[test]
fn answers_carry_the_articles_mechanism_for_scars_and_for_what_it_is() {
    // How it helps scars: the article says it breaks down old scar tissue.
    let a = engine().answer("how does microneedling help acne scars?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.answer.to_lowercase().contains("scar tissue"), "{a:?}");
    // What it is: tiny needles, and the collagen the healing produces.
    let a = engine().answer("what is microneedling?");
    let text = a.answer.to_lowercase();
    assert!(
        text.contains("needles") && text.contains("collagen"),
        "{a:?}"
    );
}

#[test]
fn two_confident_answers_level_with_each_other_both_answer() {
    // Texture and the deeper layers tie on the words: both are answered
    // rather than the member being asked to pick.
    let a = engine().answer("what makes microneedling work so well on rough texture?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.len() >= 2, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "uses-skin-texture"), "{a:?}");
}

#[test]
fn a_skincare_active_asked_back_and_paint_on_the_skin_are_declined() {
    for q in [
        "I've been on adapalene for a year. Do I have to stop it before microneedling, and when can I go back on it?",
        "best way to get hair dye off my skin?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
}

#[test]
fn whether_microneedling_is_invasive_is_asked_beside_a_feared_surgery() {
    let a = engine().answer(
        "scared of lasers and surgery since my uncle's facelift went wrong. is microneedling invasive or not?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(
        a.entries.iter().any(|e| e == "procedure-what-is-it"),
        "{a:?}"
    );
    // Guard: a comparison with the other treatment is still declined.
    let a = engine().answer("which is better for acne scars, a laser or microneedling?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn shouted_run_together_and_formal_wordings_of_covered_questions_are_answered() {
    for (q, entry) in [
        ("NUMBER OF SESSIONS NEEDED???", "results-sessions"),
        ("howdoes it actually work", "procedure-how-it-works"),
        (
            "I would appreciate a short account of what the procedure entails.",
            "procedure-what-is-it",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
        assert!(a.entries.iter().any(|e| e == entry), "{q}: {a:?}");
    }
}

#[test]
fn pain_or_an_intent_told_beside_a_busy_week_or_a_scar_question_still_escalates() {
    // The hyperbole excused by a shelf, research or a presentation is the
    // one said of them ("this research is killing me"), not pain told
    // beside them.
    for q in [
        "my face is killing me since the session yesterday, I did so much research before booking",
        "my cheeks are killing me after microneedling and I have a presentation tomorrow",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    let a = engine().answer("i want to wreck my face, could i scar it badly");
    assert_eq!(a.flag.as_deref(), Some("crisis"), "{a:?}");
}

#[test]
fn the_face_said_to_be_killing_me_escalates_whatever_else_the_story_tells() {
    // The wider "killing me" pattern excuses hyperbole named anywhere in
    // the message (a queue, a husband, a price); the face said to be
    // killing is pain however the rest reads.
    for q in [
        "my face is killing me after my session, waited in a queue at the bank for ages",
        "cheeks are killing me since the treatment, my husband thinks it's nothing",
        "forehead has been killing me since microneedling, was the price even worth it",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Guards: the lines around the eyes, or the thought of needles, are
    // hyperbole; a busy week's prep is no pain.
    for q in [
        "the wrinkles around my eyes are killing me, can microneedling smooth them?",
        "the thought of needles in my face is killing me, is it bearable?",
        "the prep for my exams is killing me, how long is the redness after microneedling?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
}

#[test]
fn a_wish_to_vanish_in_textspeak_or_to_burn_oneself_is_a_crisis() {
    for q in [
        "i wana dissapear permantly",
        "thinking of burning my forehead with the hair straightener",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    // A fear of ruining one's skin by accident is no crisis.
    let a = engine().answer(
        "I'm terrified of wrecking my skin by accident, who should I check with before microneedling?",
    );
    assert_ne!(a.flag.as_deref(), Some("crisis"), "{a:?}");
}

#[test]
fn fainting_told_in_lay_words_escalates_and_a_visit_does_not() {
    let a = engine().answer(
        "got up off the couch after my session, went dizzy and dropped, came round on the floor",
    );
    assert_eq!(a.flag.as_deref(), Some("fainting"), "{a:?}");
    let a = engine().answer(
        "my mates came round on Sunday to see my skin after microneedling, how long does the redness last?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_long_story_that_tells_the_treatment_in_passing_and_asks_something_else_is_declined() {
    // The clinic is one clause of a long story about something else, and
    // the question names nothing of the domain by a word with no everyday
    // sense: it is asked of the wedding.
    let q = "I'm doing the seating plan for my son's wedding and it's chaos: his dad's new partner, two cousins who haven't spoken since a row over a will, and my brother who argues with everyone. My other daughter cares more about her facial appointment at the clinic than helping me. How do I seat relatives who don't get on without a scene on the day?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    // A story about the treatment itself is still answered, however it
    // words its question.
    let a = engine().answer(
        "Right, update from the sofa. Had microneedling at lunchtime and I'm the colour of a boiled lobster, feels like a mild sunburn, no oozing, nothing weird. My flatmate keeps calling me Sebastian from The Little Mermaid and I'm not sure she's joking. How long until I stop looking like a crustacean?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_debate_told_with_whether_asks_nothing_and_the_question_after_it_is_answered() {
    let a = engine().answer(
        "My brother and I argued for an hour about whether the oven timer actually does anything. Anyway, can you explain why making tiny holes in the skin is supposed to improve it?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(
        a.entries.iter().any(|e| e == "procedure-how-it-works"),
        "{a:?}"
    );
}

#[test]
fn a_risk_heard_from_someone_and_idioms_of_a_story_are_not_read_as_symptoms() {
    // Hearsay about what the treatment can do is a question, not a symptom.
    let a = engine().answer(
        "someone told me microneedling can make dark patches worse on brown skin, is that true?",
    );
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    // "the whole plan fell apart" is no injury; "looked after my nan" is
    // care, not a treatment done.
    let a = engine().answer(
        "I said collagen, then the whole argument fell apart over dessert. Which proteins does microneedling boost?",
    );
    assert!(a.entries.iter().any(|e| e == "collagen-elastin"), "{a:?}");
}

#[test]
fn a_members_previous_post_is_no_farewell_and_a_last_post_still_is() {
    let a = engine().answer(
        "are ice pick scars the atrophic kind? my last post about this got ignored so trying again",
    );
    assert_ne!(a.flag.as_deref(), Some("crisis"), "{a:?}");
    for q in [
        "this will probably be my last message. thanks for everything, goodbye",
        "thanks for all the tips everyone, this is my last post here",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
}

#[test]
fn an_overdose_in_textspeak_and_a_pull_to_cut_again_are_a_crisis() {
    for q in [
        "thinking of oding tonight, every1 would be better off",
        "took scissors to my chin to cut off the rough bits, it felt good in a bad way",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.flag.as_deref(), Some("crisis"), "{q}: {a:?}");
    }
    // Years free of self-harm, asking about the old scars, is no crisis.
    let a = engine()
        .answer("I'm 8 years free of self-harm now, can microneedling soften my old scars?");
    assert_ne!(a.flag.as_deref(), Some("crisis"), "{a:?}");
}

#[test]
fn what_a_treatment_can_be_used_to_do_is_no_history() {
    // "used to" dates a story ("I used to get cold sores"); "can be used
    // to" asks what the treatment does, and the condition is still asked.
    let a = engine().answer("can microneedling be used to treat rosacea?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    assert_eq!(a.gap.as_deref(), Some("medical"), "{a:?}");
}

#[test]
fn a_verb_going_on_after_and_is_told_and_the_question_after_it_answered() {
    let a = engine().answer(
        "My sister found a cancellation slot for microneedling this Friday and is offering it to me at a discount. If I take it, how long will my face stay red?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    assert!(a.entries.iter().any(|e| e == "downtime-redness"), "{a:?}");
}

#[test]
fn a_long_story_asking_of_something_else_is_declined_even_with_a_word_that_opens_a_red_flag() {
    // "tax return" opens no symptom ("returned + spreading" is a pattern's
    // head, not a symptom), so the treatment is told in passing.
    let q = "I've just started as a freelance illustrator and treated myself to microneedling after my first big contract. Now I've got to file my first tax return and I'm lost, the forms make no sense and my accountant friend is on holiday until March. How do I register as self-employed, and can I claim my drawing tablet as an expense?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    // After a question of something else, "it" stands for that thing.
    let q = "Got my microneedling on Friday so the clinic says keep it easy all weekend, which suits me, I'm planning to lie on the sofa with snacks like a lazy cat. My brother keeps telling me to watch Severance and I've only seen one series. Is the second series any good, or does it drag?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    // A story told before a question of the domain is still answered.
    let q = "So my cousin is getting married in June, I'm a bridesmaid, we've been sorting the hen weekend in Lisbon for months and the fittings are soon. I've got acne scars I'm shy about. Would one session be enough to see a difference or should I start now?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
}

#[test]
fn symptoms_with_an_everyday_cause_or_sense_do_not_escalate_and_a_wound_told_plainly_does() {
    for q in [
        "got a stinking cold and my nose is red raw from the tissues, what helps?",
        "my pepper plants have gone red and purple on the leaves and some are curling, what causes that?",
        "my old laptop has been wheezing for weeks, should I get a new one or a new fan?",
        "my gp wrote cachexia on my notes, the internet says it means wasting away, what does that mean for me?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    let a = engine().answer(
        "day 2 after microneedling, no blisters, feeling fine, but it's supposed to be boiling tomorrow at my son's match. anything to watch with sun exposure?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // Skin that "has peeled off" is a symptom, not a habit of peels.
    let a = engine().answer(
        "day 3 after microneedling and big patches on my cheeks have peeled off leaving raw shiny skin that's weeping, it stings like mad",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn another_treatment_that_should_look_natural_is_still_another_treatment() {
    let a = engine().answer(
        "Getting married in May and my bridesmaid says get Botox for my frown lines first. How long before the wedding should I have Botox so it looks natural?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    assert_eq!(a.gap.as_deref(), Some("other_treatments"), "{a:?}");
}

#[test]
fn a_manager_is_no_pain_and_the_main_thing_after_a_colon_is_asked() {
    let a = engine().answer(
        "I run a café and work long shifts, my manager moaned that I took the afternoon off for my appointment and I forgot to ask the main thing: how long will the redness hang around?",
    );
    assert!(a.entries.iter().any(|e| e == "downtime-redness"), "{a:?}");
}

#[test]
fn a_part_told_as_fine_after_and_my_leaves_the_swelling_before_it() {
    // "totally fine" denies what comes before it in its clause, but not
    // past a new subject after "and": the lips are still swollen.
    for q in [
        "my lips are swollen and my eyes are totally fine",
        "my lips are swollen and my tongue feels totally fine",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    let a = engine().answer(
        "day after microneedling, cheeks a bit puffy, no trouble breathing, no hives, lips and eyes are totally fine. is mild swelling normal?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // A part that was fine and then got worse still counts.
    let a = engine().answer(
        "the swelling was totally fine on day 1 but now on day 4 it's much worse and spreading to my neck",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn who_opening_a_question_after_a_story_asks_of_something_else() {
    let q = "Absolute nightmare of a weekend, my team lost at home and my bike got a puncture on the way back from the pub. My partner is at the clinic getting microneedling done so I've got the flat to myself and I'm sulking. Who do you reckon will win the league this season, is it worth a fiver on Villa?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
}

#[test]
fn a_long_storys_question_cut_by_and_is_read_whole_and_a_likeness_refers_to_nothing() {
    // "What temperature" alone says too little; the rest of the question
    // ("and how long should I bake…") is about the pie.
    for q in [
        "Had my second microneedling session yesterday, a bit pink, nothing to report. Tonight the whole family is coming over and I've promised a fish pie, which I have never made before. What temperature and how long should I bake a fish pie for eight people?",
        // "like that" points at the noise told, not at the treatment.
        "Drove home from my microneedling appointment and could hear the washing machine from the drive, banging away during the spin, though the treatment itself was fine. What makes a washing machine bang like that during a spin cycle?",
        // "quickly" names nothing of the domain.
        "My clinic is run by a lovely French dermatologist who chats away in French during my microneedling sessions while I just smile and nod along like a tourist. I'd love to be able to reply properly one day, even just a few sentences. How can I learn French quickly as an adult with two kids and a job?",
        // nor does a question word ("why" keys an entry).
        "My skin has been lovely since my microneedling in the spring, so I've moved on to a new hobby, my allotment. My courgettes started well but the new ones keep rotting at the tip before they grow. Why do my courgettes keep going soft at the end?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // A story about the treatment asking about it is still answered.
    let a = engine().answer(
        "Had microneedling on Tuesday. I'm still a bit puffy but otherwise fine, nothing oozing. I'd like to know roughly when the puffiness settles so I can plan a dinner out on Saturday.",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn when_to_stop_an_active_is_not_covered_whatever_its_history() {
    // The history ("prescribed years ago") keeps an acne story's products
    // from declining a question about scars; a question about when to stop
    // the product is still about the product.
    let a = engine().answer(
        "My dermatologist prescribed tretinoin years ago for my acne and I still use it most nights. How many days before a microneedling session should I stop using tretinoin?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    assert_eq!(a.gap.as_deref(), Some("actives"), "{a:?}");
}

#[test]
fn a_member_introducing_themselves_is_no_one_else_and_weight_or_a_pimple_overnight_is_not_covered()
{
    let a = engine().answer("breastfeeding mum here, can I get it done or should I wait?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    assert_eq!(a.gap.as_deref(), Some("pregnancy"), "{a:?}");
    for q in [
        "how do I lose belly fat fast",
        "how to shrink a zit overnight before a party tomorrow",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    }
    // Loose skin after weight loss is still the domain's.
    let a = engine()
        .answer("lost a lot of weight and my tummy skin is loose, can microneedling tighten it?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn a_ferment_that_bubbles_and_a_concealer_that_only_does_so_much_are_no_symptoms() {
    for q in [
        "Been doing microneedling every couple of months for my skin. My sourdough starter has gone bubbly and frothy on top, is that what it should do?",
        "I'm 40 with dark circles and puffy bags under my eyes from a toddler who wakes at 5. Concealer only does so much. Does microneedling help under-eye bags?",
    ] {
        let a = engine().answer(q);
        assert_ne!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Skin that bubbles after the treatment is still a blister.
    let a = engine().answer(
        "had microneedling two days ago and my cheek has gone bubbly with little clear fluid bumps",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_question_set_in_another_field_borrows_the_domains_words_in_each_clause() {
    // The sentence names a recipe: its second clause's "first" and
    // "layer" are the cook's, not the treatment's.
    let q = "Had my microneedling on Monday, all calm now, so I'm cooking for friends on Saturday to celebrate. What's a good vegetarian lasagne recipe, and do I need to boil the sheets first or can I layer them dry?";
    let a = engine().answer(q);
    assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
    // A sentence that names the treatment is its own, whatever else it names.
    let a = engine().answer(
        "I'm making a lasagne for my mum's birthday on Saturday, and my microneedling was on Thursday. Will my face still be red by the party?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn an_alarm_raised_once_long_ago_is_history() {
    let a = engine().answer(
        "My mum had microneedling this morning and her face is pink like a mild sunburn, no fever, no pus, breathing fine. She's a worrier, she once called an ambulance for a wasp sting. How long does the redness usually last?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    let a = engine().answer(
        "I once ended up in A&E after a bee sting. Now after microneedling my lips are swelling fast",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn bumps_spread_with_a_burning_or_swelling_are_hives_and_forehead_lines_travel_nowhere() {
    for q in [
        "MY FACE IS BURNING AND SWELLING AND I HAVE RED BUMPS EVERYWHERE AFTER THE TREATMENT",
        "day after microneedling, itchy bumps spreading down my neck and my cheeks feel hot",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    // Bumps to come, asked about, are a question.
    let a = engine().answer("will I get bumps all over and some swelling after microneedling?");
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    // "Going to my …" with forehead lines is a wedding, not a red line
    // travelling up the skin.
    let a = engine().answer(
        "Going to my cousin's christening in June and my forehead lines are bugging me. Can microneedling soften lines like that?",
    );
    assert_ne!(a.status, Status::Urgent, "{a:?}");
    let a = engine().answer(
        "day 3 after microneedling and there's a red line running down my neck from my cheek",
    );
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn skin_gone_from_red_to_purple_and_hurting_is_urgent() {
    for q in [
        "had microneedling on monday, it was pink at first but now a patch on my cheek has gone purple and it's throbbing",
        "it was only red yesterday but now its purple and really sore to touch",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
    }
    let a = engine().answer("I dyed my hair purple, will microneedling hurt more on my scalp?");
    assert_ne!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn everyday_words_near_alarm_words_raise_no_alarm() {
    for q in [
        // a pet in the car is not a pet given away
        "My neighbour gave me a lift home after my session but my dog had chewed the seatbelt in the car, so I'm going to my brother's tomorrow. How long until the redness fades?",
        // A&E as a workplace, not a visit
        "My sister is a nurse in A&E and she brought up microneedling over dinner. Does it help with acne scars?",
        // worse on camera is the camera
        "Day one after microneedling, pink and a little swollen, no fever. The ring light on my laptop makes it look worse on camera. How long does the redness last?",
        // collapsing on the sofa is the end of a week
        "Thursdays we collapse in front of the telly with a curry. Anyway how does microneedling actually work?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
    // Giving a pet away is still a warning sign, and A&E visited still urgent.
    let a =
        engine().answer("I've given my dogs to my sister, she'll look after them better than me");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
    let a = engine().answer("I'm in A&E now, my face swelled up after microneedling");
    assert_eq!(a.status, Status::Urgent, "{a:?}");
}

#[test]
fn a_young_pets_care_is_another_field() {
    let a = engine().answer(
        "Had my first microneedling last week and I'm healing nicely. Random one for you clever lot: we just brought home a spaniel puppy who chews everything. What should I feed a spaniel puppy and how many times a day?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_story_of_routines_leaves_its_covered_question_answered() {
    for q in [
        // a time told ("when I was twelve"), and "do" with its object, ask nothing
        "When I was twelve I came off a scooter and scraped my knee and it left a shiny scar. I cycle to work every day now and do a spin class on Saturdays. Can microneedling help scars from injuries, not only acne?",
        // a question quoted from someone else asks nothing
        "'why would u pay to get stabbed in the face' my bf said at his mates bbq for like 20 mins while everyone ate burgers. his mum took my side lol. i dont actually know the science. like how does it even work?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
}

#[test]
fn serums_getting_into_the_skin_is_absorption_not_a_brand() {
    let a = engine().answer("What does microneedling do for how well creams get into the skin?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
    let a = engine().answer("which serum is best to use after microneedling?");
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
}

#[test]
fn a_storys_last_question_names_a_subject_its_telling_sentences_cancel() {
    // "red" told in the story keeps sleeping out of the whole message, and
    // "painful" keeps a tattoo out; the last question asks about them.
    for (q, gap) in [
        (
            "I'm booked in for microneedling on my acne scars next week and I know my face will \
             be red for a day or two afterwards. My partner snores so I usually sleep in the spare \
             room with the window open and a fan going all night long. Can I sleep on my side the \
             first night after the treatment?",
            "activities",
        ),
        (
            "I have a faded tattoo of a dolphin on my ankle from a holiday in Crete when I was \
             twenty. The laser clinic quoted me a fortune and said it would be painful. My new job \
             means my ankles are on show in the summer uniform. Can microneedling get rid of an \
             old tattoo like that?",
            "other_concerns",
        ),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::NoMatch, "{q}: {a:?}");
        assert_eq!(a.gap.as_deref(), Some(gap), "{q}: {a:?}");
    }
    // A short message is read whole: the exclusion beside the question counts.
    let a = engine().answer("the tattoo hurt less than I thought, does microneedling hurt?");
    assert_eq!(a.status, Status::Answered, "{a:?}");
}

#[test]
fn an_order_a_relative_clause_a_reported_question_and_taking_forever_ask_nothing_uncovered() {
    for q in [
        // "do not underestimate her" orders, "asked me … whether" is someone
        // else's question before the member's own; the summer is the party's
        "My nan (ninety next year, still does the crossword in pen, do not underestimate her) \
         asked me over Sunday lunch whether microneedling would be too harsh on her thin skin at \
         her age before the family reunion in the summer. I said I would find out for her. Is it \
         something older people with thinner skin can have done safely?",
        // "which are sleeveless this season" tells about the outfits
        "My sister is a ballet teacher and her arms are on show because of the recital outfits, \
         which are sleeveless this season. Can microneedling be done on the upper arms or is it \
         only for the face?",
        // taking forever is how soon results show, not how long they last
        "does the improvement come after one session or does it take forever to see anything?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
}

#[test]
fn a_faint_scar_a_kitchen_cut_a_grey_complexion_and_water_drunk_raise_no_alarm() {
    for q in [
        "There's a faint, slightly raised scar on my chin from a fall off a climbing wall years \
         ago. Can microneedling help with that kind of scar?",
        "I cut myself in the kitchen last week and it healed with a thin white line on my thumb. \
         Does microneedling help older scars like that?",
        "my skin looks grey and flat whatever I put on it, would microneedling help the texture?",
        "I drink loads of water but the fine lines around my eyes are getting worse, does \
         microneedling help wrinkles?",
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Answered, "{q}: {a:?}");
    }
    // Guards: fainting, cutting again and watering red eyes still escalate.
    for (q, flag) in [
        (
            "I fainted at home the evening after my microneedling session",
            "fainting",
        ),
        (
            "I cut myself again last night and it was deeper than before",
            "crisis",
        ),
        (
            "my eyes are watering and red since microneedling near them yesterday",
            "eyes",
        ),
        ("👁️🔴😖💧 since the needling near my eye", "eyes"),
    ] {
        let a = engine().answer(q);
        assert_eq!(a.status, Status::Urgent, "{q}: {a:?}");
        assert_eq!(a.flag.as_deref(), Some(flag), "{q}: {a:?}");
    }
}

#[test]
fn an_idiom_of_allergy_a_sunburn_with_no_treatment_and_what_it_is_beside_botox() {
    // "allergic to not having a plan" is a figure of speech
    let a = engine().answer(
        "I'm an accountant so I'm basically allergic to not having a plan. How many sessions of \
         microneedling does it usually take to see a difference?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
    // a sunburn with the treatment denied asks how to soothe it
    let a = engine().answer(
        "got properly sunburnt on my nose at the lake on sunday (havent had any treatment btw), \
         what helps, aloe or after sun?",
    );
    assert_eq!(a.status, Status::NoMatch, "{a:?}");
    assert_eq!(a.gap.as_deref(), Some("soothing"), "{a:?}");
    // what it is, asked beside a likeness to Botox, is what it is
    let a = engine().answer(
        "My cousin keeps saying she got 'needled' before her hen do and I just nodded along. So \
         what actually is microneedling? Is it like botox or something totally different?",
    );
    assert_eq!(a.status, Status::Answered, "{a:?}");
}
