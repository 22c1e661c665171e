//! Words that say nothing about which entry a message asks for: function
//! words, question words, chat filler. They are dropped before scoring (but
//! kept for red flags and patterns, where "no" and "won't" matter).

/// Cleaned forms (lowercase, no apostrophes).
pub const STOPWORDS: &[&str] = &[
    // function words
    "a", "an", "the", "i", "im", "ive", "id", "ill", "me", "my", "mine", "myself", "you", "your",
    "youre", "youve", "yours", "u", "ur", "we", "our", "us", "they", "them", "their", "theyre",
    "he", "she", "him", "her", "his", "hers", "it", "its", "itself", "is", "are", "am", "was",
    "were", "be", "been", "being", "do", "does", "did", "doing", "done", "have", "has", "had",
    "having", "will", "would", "should", "could", "can", "may", "might", "must", "shall", "to",
    "of", "in", "on", "at", "for", "with", "about", "as", "by", "from", "into", "onto", "or",
    "and", "if", "so", "that", "thats", "this", "these", "those", "there", "theres", "here",
    "then", "than", "what", "whats", "which", "who", "whom", "whose", "when", "where", "why",
    "how", "hows", "whats", "up", "out", "off", "over", "under", "again", "further", "once",
    "only", "own", "same", "other", "such", "both", "each", "few", "any", "some", "all", "every",
    "most", "more", "very", "too", "also", "just", "even", "ever", "still", "yet", "already",
    "now", "no", "not", "nor", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent",
    "cant", "cannot", "wont", "wouldnt", "shouldnt", "couldnt", "havent", "hasnt", "yes",
    "whether", "because", "cause", "cuz", "coz", "bc", "while", "until", "till", "via", "per",
    "one", "ones", "thing", "things", "stuff", "something", "anything", "everything", "lot",
    "lots", "bit", "little", "much", "many", "way", "kind", "sort", "kinda", "sorta", "gonna",
    "wanna", "gotta", "tryna", "lemme", "let", "get", "gets", "got", "getting", "go", "goes",
    "going", "gone", "make", "makes", "made", "know", "think", "thought", "want", "need", "needs",
    "like", "say", "said", "tell", "told", "ask", "asking", "question", "questions", "wondering",
    "wonder", "curious", "someone", "somebody", "anyone", "anybody", "everyone", "people", "guys",
    "guy", "yall", "folks", "please", "pls", "plz", "thanks", "thank", "thx", "ty", "hi", "hey",
    "hello", "yo", "hiya", "ok", "okay", "k", "yeah", "yea", "yep", "oh", "ah", "um", "uh", "hmm",
    "lol", "lmao", "omg", "ngl", "tbh", "idk", "imo", "fr", "rn", "btw", "pretty", "quite",
    "really", "actually", "basically", "literally", "honestly", "genuinely", "seriously",
    "totally", "definitely", "probably", "maybe", "perhaps", "usually", "generally", "typically",
    "exactly", "right", "well", "good", "bad", "true", "real", "sure", "etc", "else", "anyway",
    "though", "s", "t", "d", "ll", "re", "ve", "m",
];
