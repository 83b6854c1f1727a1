//! Quotations and their speakers (see ../shared/gold/QUOTES-GUIDELINES.md for what counts).
//!
//! Rules, in order of trust, each one a construction a linguist would write down:
//! 1. a quote in marks followed by an incise: `« … », a déclaré X`, `“…”, souligne-t-il`,
//!    `"…," Smith said` (and `« X », dit-il, « Y »`: two quotes, one speaker);
//! 2. a reporting verb with a `que`/`that` clause: `X a expliqué que …` (direct when the clause
//!    is all in marks, mixed when it holds a quoted fragment, else indirect);
//! 3. a colon: `Il a déclaré : « … »`;
//! 4. `selon X, …`, `d'après X, …`, `…, selon X`, `according to X, …`, `pour X, …` (X an actor);
//! 5. an incise without marks: `…, assure l'interlocuteur de l'agence`, `…, he said`;
//! 6. a noun-phrase or infinitive complement: `X a dénoncé un empoisonnement`;
//! 7. a participle continuing a speaker's sentence: `…, saluant le soutien …`;
//! 8. a quote in marks that continues the previous speaker's quote (no cue).
//!
//! Scare quotes and titles in marks (short, with no cue) are not quotes. Speakers resolve
//! through the actor chains of [`crate::actors`].

use crate::actors::{ActorFound, ActorKind, ActorLayer, Mention};
use crate::lexicons::Lexicons;
use crate::quotemarks::QuotePair;
use crate::tokenize::TokenKind;
use crate::Prepared;
use vigie_core::ByteSpan;

/// Quote types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteType {
    /// Verbatim, in quote marks.
    Direct,
    /// Reported without marks.
    Indirect,
    /// Reported, holding a quoted fragment.
    Mixed,
}

impl QuoteType {
    /// Name in the output.
    pub fn name(self) -> &'static str {
        match self {
            QuoteType::Direct => "direct",
            QuoteType::Indirect => "indirect",
            QuoteType::Mixed => "mixed",
        }
    }
}

/// A resolved speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerFound {
    /// Canonical name or unnamed description.
    pub name: String,
    /// Named in the text.
    pub named: bool,
    /// Role, if known.
    pub role: Option<String>,
    /// Index into the actor layer.
    pub actor: Option<usize>,
}

/// A quote found (bytes of the normalised text).
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteFound {
    /// Type.
    pub kind: QuoteType,
    /// Content.
    pub content: ByteSpan,
    /// Cue.
    pub cue: Option<ByteSpan>,
    /// Speaker mention.
    pub mention: Option<ByteSpan>,
    /// Resolved speaker.
    pub speaker: Option<SpeakerFound>,
    /// Confidence.
    pub confidence: f32,
}

/// Quotes indexed for overlap queries: their contents sorted by start, with the furthest end
/// reached so far, so that a scan back from a position stops as soon as no earlier quote can
/// reach it (nested and long quotes included, without a pass over all of them).
#[derive(Debug, Clone, Default)]
pub struct QuoteIndex {
    /// (content start, content end, index in the quotes given), sorted.
    items: Vec<(usize, usize, usize)>,
    reach: Vec<usize>,
}

impl QuoteIndex {
    /// Indexes `quotes`.
    pub fn new(quotes: &[QuoteFound]) -> Self {
        let mut items: Vec<(usize, usize, usize)> = quotes
            .iter()
            .enumerate()
            .map(|(i, q)| (q.content.start, q.content.end, i))
            .collect();
        items.sort_unstable();
        let reach = items
            .iter()
            .scan(0, |m, q| {
                *m = (*m).max(q.1);
                Some(*m)
            })
            .collect();
        QuoteIndex { items, reach }
    }

    /// The indices of the quotes whose content overlaps bytes `lo..hi`, latest start first.
    pub fn overlapping(&self, lo: usize, hi: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.items.partition_point(|q| q.0 < hi);
        (0..end)
            .rev()
            .take_while(move |&k| self.reach[k] > lo)
            .filter(move |&k| self.items[k].1 > lo)
            .map(move |k| self.items[k].2)
    }
}

const AUX: &[&str] = &[
    "a", "ont", "avait", "avaient", "aura", "aurait", "auraient", "est", "sont", "était",
    "étaient", "has", "have", "had", "is", "are", "was", "were", "will", "would", "could", "can",
    "may", "might", "should", "did", "does", "do",
];
const CLITICS: &[&str] = &[
    "ne",
    "n'",
    "lui",
    "leur",
    "se",
    "s'",
    "l'",
    "y",
    "en",
    "nous",
    "vous",
    "me",
    "m'",
    "pas",
    "également",
    "aussi",
    "encore",
    "déjà",
    "ensuite",
    "alors",
    "lui-même",
    "elle-même",
    "also",
    "not",
    "then",
    "later",
    "long",
    "again",
    "just",
    "still",
    "never",
    "already",
    "often",
    "repeatedly",
    "previously",
    "publicly",
    "reportedly",
    "recently",
];
/// Openers of a sentence-initial subordinate clause that frames, rather than belongs to, the
/// reported content (lower case; two-word openers joined by a space).
const FRAMING_STARTS: &[&str] = &[
    "alors qu'",
    "alors que",
    "tandis que",
    "tandis qu'",
    "lorsque",
    "lorsqu'",
    "bien que",
    "bien qu'",
    "même si",
    "while",
    "although",
    "though",
    "whereas",
];
/// Plural determiners (`les`, `des`, `ces`, `plusieurs`, `the`).
const PLURAL_DETS: &[&str] = &[
    "les",
    "des",
    "ces",
    "leurs",
    "plusieurs",
    "certains",
    "certaines",
    "nombreux",
    "quelques",
    "the",
    "these",
    "those",
    "many",
    "several",
    "some",
];
/// Quantifiers that open a noun phrase like a determiner.
const QUANTIFIERS: &[&str] = &[
    "plusieurs",
    "certains",
    "certaines",
    "quelques",
    "nombreux",
    "nombreuses",
    "deux",
    "trois",
    "many",
    "some",
    "several",
    "two",
    "three",
    "those",
    "these",
    "most",
    "all",
    "few",
    "both",
];
/// Auxiliaries of the French passive (`sont maintenus`).
const PASSIVE_AUX: &[&str] = &["est", "sont", "était", "étaient"];
/// French sentence adverbs between an auxiliary and its participle (`a cependant réfuté`).
const ADVERBS: &[&str] = &[
    "abord",
    "d'",
    "cependant",
    "toutefois",
    "néanmoins",
    "pourtant",
    "donc",
    "ainsi",
    "enfin",
    "notamment",
    "même",
    "d'ailleurs",
    "surtout",
    "aussitôt",
    "bien",
    "mieux",
    "plutôt",
    "quant",
    "d'abord",
    "longtemps",
    "souvent",
    "toujours",
    "déjà",
    "encore",
    "aussi",
    "ailleurs",
    "alors",
    "ensuite",
];
/// English object pronouns and bare plurals that an addressee of `tell` can be.
const EN_OBJECTS: &[&str] = &[
    "me",
    "him",
    "her",
    "us",
    "them",
    "you",
    "reporters",
    "journalists",
    "supporters",
    "voters",
    "lawmakers",
    "viewers",
    "listeners",
    "attendees",
    "students",
    "residents",
];
/// English verbs whose addressee comes before the reported clause (`told CNN that …`).
const EN_ADDRESSEE_VERBS: &[&str] = &[
    "tell",
    "tells",
    "told",
    "telling",
    "warn",
    "warns",
    "warned",
    "warning",
    "assure",
    "assures",
    "assured",
    "remind",
    "reminds",
    "reminded",
    "inform",
    "informs",
    "informed",
    "urge",
    "urges",
    "urged",
    "promise",
    "promises",
    "promised",
    "convince",
    "convinced",
    "advise",
    "advised",
    "ask",
    "asks",
    "asked",
];
/// English words that open a clause complement without `that` (`said he would`, `says
/// there is`, `said many …`).
const EN_CLAUSE_STARTS: &[&str] = &[
    "i", "he", "she", "it", "we", "they", "you", "there", "this", "these", "those", "many", "some",
    "most", "all", "no", "several", "both", "none", "few", "his", "her", "its", "their", "our",
    "my", "the", "a", "an", "if", "whether", "what", "how", "why", "when",
];
/// English finite auxiliaries and copulas: a clause follows a verb without `that` when one
/// comes soon (`believe bigotry is …`).
const EN_FINITE: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should",
    "may", "might", "must", "does", "do", "did", "isn't", "aren't", "wasn't", "won't",
];
/// English words that open a noun phrase besides articles and possessives (`another
/// slide`, `twelve percent`, `many voters`).
const EN_NP_STARTS: &[&str] = &[
    "another",
    "each",
    "every",
    "some",
    "many",
    "most",
    "several",
    "few",
    "both",
    "all",
    "no",
    "these",
    "those",
    "this",
    "its",
    "our",
    "my",
    "your",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "twenty",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
];
/// English words between a coordinating `and` and its verb (`and has said`, `and also told`).
const COORD_FILLERS: &[&str] = &["has", "have", "had", "also", "then"];
const PRONOUNS: &[&str] = &[
    "il", "elle", "ils", "elles", "on", "he", "she", "they", "we", "i",
];
const DETS: &[&str] = &[
    "le", "la", "l'", "les", "un", "une", "des", "son", "sa", "ses", "leur", "leurs", "ce",
    "cette", "ces", "the", "a", "an", "his", "her", "their",
];

/// Whether a lowercase French word looks like a past participle (`réuni`, `réunis`, `élue`,
/// `venus`, `dit`), and is not one of the function words with the same endings.
fn past_participle(w: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "é", "ée", "és", "ées", "is", "ie", "ies", "us", "ue", "ues", "it", "its", "ite", "ites",
    ];
    const NOT: &[&str] = &[
        "mais", "puis", "depuis", "jamais", "parfois", "soit", "tandis", "plus", "sous", "tous",
        "nous", "vous", "avis", "pays", "fois", "mois", "dessus", "dessous", "souris",
    ];
    ENDINGS.iter().any(|e| w.ends_with(e)) && !NOT.contains(&w)
}

/// Time words an adjunct may hold between a verb and its complement or subject (`a évoqué
/// mardi soir …`).
const TIME_WORDS: &[&str] = &[
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "soir",
    "matin",
    "midi",
    "après-midi",
    "hier",
    "aujourd'hui",
    "récemment",
    "dernier",
    "dernière",
    "prochain",
    "tôt",
    "tard",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "earlier",
    "recently",
    "night",
    "morning",
    "evening",
    "afternoon",
    "last",
    "week",
    "month",
];
/// Prepositions that open an adjunct (place, medium, occasion) rather than a complement.
const ADJUNCT_PREPS: &[&str] = &[
    "sur", "dans", "lors", "devant", "auprès", "via", "depuis", "pendant", "durant", "en", "on",
    "in", "at", "during", "before", "after",
];
/// Prepositions and partitives after which a determiner continues a phrase.
const PREPS: &[&str] = &[
    "de", "d'", "du", "des", "à", "au", "aux", "sur", "dans", "lors", "devant", "auprès", "via",
    "depuis", "pendant", "durant", "en", "par", "pour", "avec", "contre", "chez", "vers", "of",
    "on", "in", "at", "to", "by", "for", "with", "during",
];

struct Ctx<'a> {
    p: &'a Prepared<'a>,
    text: &'a str,
    layer: &'a ActorLayer<'a>,
    /// Named entities (an organisation the gazetteer does not know is still an antecedent).
    ents: &'a [crate::ner::EntitySpan],
    /// Each token in lower case, computed once.
    lower: Vec<std::borrow::Cow<'a, str>>,
    /// Each token's reporting-verb frames as a single word in this language (0: no cue).
    single: Vec<u16>,
    /// Whether each token may start a multiword cue (`fait` of `fait état`).
    multi: Vec<bool>,
    /// Actor mentions as (actor, mention) indices, sorted by start.
    by_start: Vec<(u32, u32)>,
    /// The same, sorted by end.
    by_end: Vec<(u32, u32)>,
    /// The contents of the closed outermost quotes in marks, merged, sorted.
    in_marks: Vec<ByteSpan>,
    /// The start of every closing mark, sorted.
    all_closes: Vec<usize>,
    /// The quotes' content starts: (start, index in `p.quotes`), sorted.
    by_content: Vec<(usize, usize)>,
    /// The closing marks of the outermost closed quotes: (start, index in `p.quotes`), sorted.
    closes: Vec<(usize, usize)>,
    /// Role evidence of the persons, sorted by start: (evidence, actor).
    roles: Vec<(ByteSpan, usize)>,
    /// The last word of every person's full-name mention.
    surnames: rustc_hash::FxHashSet<&'a str>,
    /// How many quotes signed with a dash lead `out` (found first, for the whole text, in text
    /// order, never removed): those out of the window of [`RECENT_QUOTES`] are still looked
    /// at, by binary search.
    dashed: std::cell::Cell<usize>,
    /// The last quote with a cue (its cue and content end) among `out[..scanned]`, and
    /// `scanned`.
    last_cue: std::cell::Cell<(usize, Option<(ByteSpan, usize)>)>,
    /// The expansion of each acronym asked for so far (`expand_acronym`).
    expansions: std::cell::RefCell<rustc_hash::FxHashMap<String, Option<String>>>,
    /// The persons by the initials of their names, made when first needed.
    initials: std::cell::OnceCell<rustc_hash::FxHashMap<String, Vec<usize>>>,
    /// Where the text defines acronyms, found in one pass when first needed.
    definitions: std::cell::OnceCell<Definitions>,
    lex: &'a Lexicons,
    lang: &'a str,
}

/// Where acronyms are defined: `… (EMA)` (the first one) and `BEA, le …` (every one).
#[derive(Default)]
struct Definitions {
    parenthesised: rustc_hash::FxHashMap<Box<str>, usize>,
    apposed: rustc_hash::FxHashMap<Box<str>, Vec<usize>>,
}

impl Definitions {
    /// One pass over `text`: every `(WORD)` and every `WORD, ` of at most 16 bytes.
    fn new(text: &str) -> Self {
        let mut d = Definitions::default();
        for (i, _) in text.match_indices('(') {
            let rest = &text[i + 1..];
            let near = &rest.as_bytes()[..rest.len().min(18)];
            if let Some(j) = near.iter().position(|&b| b == b')') {
                d.parenthesised.entry(rest[..j].into()).or_insert(i);
            }
        }
        for (i, _) in text.match_indices(", ") {
            let head = &text[..i];
            let w = head
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
                .next()
                .unwrap_or(head);
            if !w.is_empty() && w.len() <= 16 {
                d.apposed.entry(w.into()).or_default().push(i - w.len());
            }
        }
        d
    }
}

/// The quotes found last that a new quote is checked against (overlap, nesting, the last
/// cue): a quote further back lies in an earlier sentence (docs/limits.md).
pub const RECENT_QUOTES: usize = 64;

/// Actor mentions and entities looked back over, latest first, for the antecedent of a
/// nominal speaker (`l'ONG`, `ce responsable`): about ten pages of news.
pub const LOOK_BACK: usize = 1024;

/// Whole quotes (with their cues) that one quote may hold.
pub const MAX_HELD: usize = 2;

/// The longest actor mention looked back for, in bytes, when a span must lie inside one.
const MENTION_REACH: usize = 256;

struct Cue {
    /// First token of the verb group, inverted auxiliary included (`a-t-il ajouté`).
    lead: usize,
    /// First token of the cue span (per the guidelines, an inverted auxiliary is left out).
    start: usize,
    verb: usize,
    end: usize,
    frames: u16,
    pronoun: Option<ByteSpan>,
}

impl Cue {
    fn has(&self, frame: &str) -> bool {
        self.frames & crate::lexicons::frame_bit(frame) != 0
    }
}

impl<'a> Ctx<'a> {
    fn raw(&self, i: usize) -> &'a str {
        let t = &self.p.tokens[i];
        &self.text[t.span.start..t.span.end]
    }
    fn lw(&self, i: usize) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.lower[i].as_ref())
    }
    /// The actor mentions (with their actor) that start at byte `pos`.
    fn mentions_starting(&self, pos: usize) -> impl Iterator<Item = (&ActorFound, &Mention)> {
        self.mentions_at(&self.by_start, pos, |s| s.start)
    }
    /// The actor mentions (actor index, actor, mention) that lie inside `span`.
    fn mentions_within(
        &self,
        span: ByteSpan,
    ) -> impl Iterator<Item = (usize, &ActorFound, &Mention)> + '_ {
        let i = self.by_start.partition_point(|&(a, m)| {
            self.layer.actors[a as usize].mentions[m as usize]
                .span
                .start
                < span.start
        });
        self.by_start[i..]
            .iter()
            .map(|&(a, m)| {
                let actor = &self.layer.actors[a as usize];
                (a as usize, actor, &actor.mentions[m as usize])
            })
            .take_while(move |(_, _, m)| m.span.start < span.end)
            .filter(move |(_, _, m)| m.span.end <= span.end)
    }
    /// The actor mentions that hold all of `span` (mentions are at most [`MENTION_REACH`]
    /// bytes long).
    fn mentions_holding(&self, span: ByteSpan) -> impl Iterator<Item = &Mention> + '_ {
        let from = span.start.saturating_sub(MENTION_REACH);
        let i = self.by_start.partition_point(|&(a, m)| {
            self.layer.actors[a as usize].mentions[m as usize]
                .span
                .start
                < from
        });
        self.by_start[i..]
            .iter()
            .map(|&(a, m)| &self.layer.actors[a as usize].mentions[m as usize])
            .take_while(move |m| m.span.start <= span.start)
            .filter(move |m| span.end <= m.span.end)
    }
    /// The actor mentions (with their actor) that end at byte `pos`.
    fn mentions_ending(&self, pos: usize) -> impl Iterator<Item = (&ActorFound, &Mention)> {
        self.mentions_at(&self.by_end, pos, |s| s.end)
    }
    /// The mentions of `index` (sorted by `key`) whose `key` is `pos`.
    fn mentions_at<'s>(
        &'s self,
        index: &'s [(u32, u32)],
        pos: usize,
        key: fn(ByteSpan) -> usize,
    ) -> impl Iterator<Item = (&'s ActorFound, &'s Mention)> {
        let get = move |&(a, m): &(u32, u32)| {
            let a = &self.layer.actors[a as usize];
            (a, &a.mentions[m as usize])
        };
        let i = index.partition_point(|x| key(get(x).1.span) < pos);
        index[i..]
            .iter()
            .map(get)
            .take_while(move |(_, m)| key(m.span) == pos)
    }
    fn span(&self, a: usize, b: usize) -> ByteSpan {
        ByteSpan::new(self.p.tokens[a].span.start, self.p.tokens[b - 1].span.end)
    }
    fn is_punct(&self, i: usize, s: &str) -> bool {
        self.p.tokens[i].kind == TokenKind::Punct && self.raw(i) == s
    }
    fn is_mark(&self, i: usize) -> bool {
        matches!(self.raw(i), "«" | "»" | "“" | "”" | "\"" | "„") || {
            // Other marks the pairing found (`''` in LDC text).
            let pos = self.p.tokens[i].span.start;
            self.raw(i) == "'" && {
                let k = self.p.quotes.partition_point(|q| q.open.start < pos);
                self.p.quotes.get(k).is_some_and(|q| q.open.start == pos) || self.closes_at(pos)
            }
        }
    }

    /// A reporting verb at token `i` (with its auxiliary before it).
    fn cue_at(&self, i: usize, lo: usize, hi: usize) -> Option<Cue> {
        let w = self.lw(i);
        let verbs = &self.lex.verbs;
        // Most words are no cue: one look-up per document decides (see `find`).
        if self.single[i] == 0 && !self.multi[i] {
            return None;
        }
        // The frames of the lemmas of this language that have `form` among their forms.
        let frames_of = |form: &str| verbs.frames(verbs.lookup(form), self.lang);
        // Multiword cues first: `fait état`, `rend hommage`, `met en garde`.
        let mut width = 1;
        let mut frames = 0u16;
        for n in [3, 2] {
            if i + n <= hi && self.multi[i] {
                // (From the text, so that elisions stay glued: `mis l'accent`.)
                let (a, b) = (
                    self.p.tokens[i].span.start,
                    self.p.tokens[i + n - 1].span.end,
                );
                let phrase = crate::tokenize::lower(&self.text[a..b]);
                let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
                frames = frames_of(&phrase);
                if frames != 0 {
                    width = n;
                    break;
                }
            }
        }
        if frames == 0 {
            frames = self.single[i];
        }
        if frames == 0 {
            return None;
        }
        // A verb, not a noun or a name: `the show`, `a post`, `United States`.
        let w_prev = |i: usize| self.lw(i - 1).into_owned();
        // (French `a` is the auxiliary of `a déclaré`, `leur` and `l'` may be object clitics:
        // `le Kremlin leur reproche`.) Nor an infinitive governed by a preposition: `pour
        // soutenir`, `de conclure`.
        let article = |p: &str| match self.lang {
            "fr" => [
                "le", "la", "les", "un", "une", "des", "ce", "cette", "ces", "son", "sa", "ses",
            ]
            .contains(&p),
            _ => DETS.contains(&p),
        };
        // (`comme le précise X`, `qui la dénonce`, `il les accuse`: object clitics.)
        let clitic_object = i > lo + 1
            && [
                "comme", "qui", "il", "elle", "ils", "elles", "on", "ne", "n'",
            ]
            .contains(&self.lw(i - 2).as_ref());
        if i > lo
            && ((article(&w_prev(i)) && !clitic_object)
                || self.raw(i).starts_with(char::is_uppercase)
                || (self.lang == "fr"
                    && ["de", "d'", "à", "pour", "sans", "afin", "par"]
                        .contains(&w_prev(i).as_str())
                    && (w.ends_with("er") || w.ends_with("ir") || w.ends_with("re"))))
        {
            return None;
        }
        // English: an -ed form after `be` or before `by` is a passive (`has been endorsed
        // by`), and after an article and an adverb an adjective (`a highly anticipated treaty`).
        // (-ing modifiers stay: PolNeAR counts `groups calling for …`.)
        if self.lang == "en" && i > lo {
            let prev = self.lw(i - 1);
            let next = (i + 1 < hi).then(|| self.lw(i + 1));
            // Nor `compared with` (a preposition).
            if w == "compared" && matches!(next.as_deref(), Some("with" | "to")) {
                return None;
            }
            if w.ends_with("ed")
                && (["be", "been", "being", "is", "are", "was", "were"].contains(&prev.as_ref())
                    || next.as_deref() == Some("by")
                    || (prev.ends_with("ly")
                        && i > lo + 1
                        && DETS.contains(&self.lw(i - 2).as_ref())))
            {
                return None;
            }
        }
        // A nickname, not speech: `Amadou Toumani Touré dit ATT`.
        if self.lang == "fr"
            && (w == "dit" || w == "dite")
            && i > lo
            && i + 1 < hi
            && self.raw(i - 1).starts_with(char::is_uppercase)
            && self.raw(i + 1).starts_with(char::is_uppercase)
        {
            return None;
        }
        let t = self.p.tokens[i].span;
        let mut pronoun = None;
        for suffix in ["-t-il", "-t-elle", "-il", "-elle", "-ils", "-elles", "-on"] {
            if w.ends_with(suffix) {
                let p = suffix.trim_start_matches("-t").trim_start_matches('-');
                pronoun = Some(ByteSpan::new(t.end - p.len(), t.end));
                break;
            }
        }
        let mut start = i;
        // The auxiliary, maybe before an adverb: `a déclaré`, `a cependant réfuté`,
        // `a-t-il récemment affirmé`, `has long said`.
        let adverb = |w: &str| {
            w.ends_with("ment") || w.ends_with("ly") || CLITICS.contains(&w) || ADVERBS.contains(&w)
        };
        let mut a = i;
        let mut inverted_at = None;
        while a > lo && i - a < 6 && (a == i || adverb(&self.lw(a))) {
            a -= 1;
            // `a de son côté déclaré`, `a pour sa part estimé`, `a quant à lui dénoncé`: an
            // adverbial phrase.
            if a >= lo + 3
                && ((["côté", "part"].contains(&self.lw(a).as_ref())
                    && ["son", "leur", "sa", "notre"].contains(&self.lw(a - 1).as_ref())
                    && ["de", "pour"].contains(&self.lw(a - 2).as_ref()))
                    || (["lui", "elle", "eux", "elles"].contains(&self.lw(a).as_ref())
                        && self.lw(a - 1) == "à"
                        && self.lw(a - 2) == "quant"))
            {
                a -= 3;
            }
            let prev = self.lw(a);
            // (`Un membre de la junte à confirmé`: a common typo for the auxiliary; no
            // preposition comes before a past participle.)
            let typo_aux = self.lang == "fr" && prev == "à" && a + 1 == i && past_participle(&w);
            if AUX.contains(&prev.as_ref()) || typo_aux {
                // A passive is no reporting act: `les prisonniers sont maintenus`, `was
                // described` (but `s'est dit`, `est revenu sur`).
                // (English passives are left to the -ed test above: after `be`, before `by`.)
                let passive = self.lang == "fr"
                    && PASSIVE_AUX.contains(&prev.as_ref())
                    && !(a > lo
                        && ["s'", "se", "m'", "t'", "nous", "vous"]
                            .contains(&self.lw(a - 1).as_ref()))
                    && ![
                        "revenu",
                        "revenue",
                        "revenus",
                        "intervenu",
                        "intervenue",
                        "intervenus",
                    ]
                    .contains(&w.as_ref());
                if passive {
                    return None;
                }
                start = a;
                break;
            }
            if let Some(v) = [
                "a-t-il",
                "a-t-elle",
                "avait-il",
                "avait-elle",
                "ont-ils",
                "ont-elles",
            ]
            .iter()
            .find(|x| **x == prev)
            {
                let p = v.rsplit('-').next().unwrap_or("il");
                let pt = self.p.tokens[a].span;
                pronoun = Some(ByteSpan::new(pt.end - p.len(), pt.end));
                inverted_at = Some(a);
                break;
            }
        }
        // A reflexive clitic makes another verb (`se trouvait`, `s'ajoute`, `s'assure`, `se
        // sont lancés`), unless the lexicon lists the pronominal lemma (`s'est félicité`).
        if self.lang == "fr"
            && width == 1
            && start > lo
            && ["se", "s'"].contains(&self.lw(start - 1).as_ref())
            && !verbs.lookup(&w).iter().any(|&v| {
                let l = &verbs.verbs[v as usize].lemma;
                l.starts_with("se ") || l.starts_with("s'")
            })
        {
            return None;
        }
        let lead = inverted_at.unwrap_or(start);
        Some(Cue {
            lead,
            start,
            verb: i,
            end: i + width,
            frames,
            pronoun,
        })
    }

    /// The first token after adverbs, time words and adjunct phrases that start at `k`
    /// (`mardi soir`, `sur Twitter`, `dans un communiqué`, `lors d'une conférence de presse`);
    /// with `addressee`, also an addressee (`à l'AFP`, `au Monde`, `to reporters`).
    fn skip_adjuncts(&self, mut k: usize, hi: usize, addressee: bool) -> usize {
        while k < hi {
            let w = self.lw(k);
            let w = w.as_ref();
            let word = self.p.tokens[k].kind == TokenKind::Word;
            // `this week`, `last month`, `ce mardi`, `plus tôt`.
            if word
                && ["this", "last", "next", "ce", "cette", "plus"].contains(&w)
                && k + 1 < hi
                && TIME_WORDS.contains(&self.lw(k + 1).as_ref())
            {
                k += 2;
                continue;
            }
            if word
                && ((CLITICS.contains(&w) && w != "l'" && w != "leur" && w != "en")
                    || TIME_WORDS.contains(&w)
                    || (w.ends_with("ment")
                        && w.len() > 6
                        && !self.raw(k).starts_with(char::is_uppercase)))
            {
                k += 1;
                continue;
            }
            let prep =
                ADJUNCT_PREPS.contains(&w) || (addressee && ["à", "au", "aux", "to"].contains(&w));
            if !word || !prep || k + 1 >= hi {
                return k;
            }
            // The adjunct's noun phrase: up to punctuation, a quote mark, `que`, a complement
            // preposition, or a determiner that opens a new phrase.
            let mut e = k + 1;
            while e < hi && e - k < 9 {
                let x = self.lw(e);
                let x = x.as_ref();
                if self.p.tokens[e].kind == TokenKind::Punct && x != "'" && x != "-" {
                    break;
                }
                if ["que", "qu'", "that", "à", "au", "aux"].contains(&x) && e > k + 1 {
                    break;
                }
                if DETS.contains(&x) && e > k + 1 && !PREPS.contains(&self.lw(e - 1).as_ref()) {
                    break;
                }
                // `a dénoncé sur BFMTV François Kalfon`: a person's name after the medium's
                // opens the subject.
                if self.lang == "fr"
                    && e > k + 1
                    && self.raw(e - 1).starts_with(char::is_uppercase)
                    && self
                        .mentions_starting(self.p.tokens[e].span.start)
                        .any(|(a, m)| a.kind == ActorKind::Person && m.kind == "name")
                {
                    break;
                }
                e += 1;
            }
            k = e;
        }
        k
    }

    /// The actor mention, entity or noun phrase that ends at token `j` (inclusive).
    fn mention_ending(&self, j: usize, lo: usize) -> Option<ByteSpan> {
        let end = self.p.tokens[j].span.end;
        // (A nationality adjective ends a noun phrase, not a name: `les médecins allemands`.)
        if let Some((_, m)) = self
            .mentions_ending(end)
            .filter(|(_, m)| m.kind != "adjective")
            .max_by_key(|(_, m)| m.span.len())
        {
            return Some(m.span);
        }
        let w = self.lw(j);
        // A phrase does not end with a preposition or a conjunction: `… pour la rentrée pour`.
        if self.lang == "fr"
            && (PREPS.contains(&w.as_ref())
                || ["que", "qu'", "qui", "et", "ou"].contains(&w.as_ref()))
        {
            return None;
        }
        if PRONOUNS.contains(&w.as_ref()) || ["lui", "eux"].contains(&w.as_ref()) {
            return Some(self.p.tokens[j].span);
        }
        if self.raw(j).starts_with(char::is_uppercase) && self.p.tokens[j].kind == TokenKind::Word {
            let mut s = j;
            while s > lo
                && self.raw(s - 1).starts_with(char::is_uppercase)
                && self.p.tokens[s - 1].kind == TokenKind::Word
            {
                s -= 1;
            }
            return Some(self.span(s, j + 1));
        }
        // An English bare plural: `sources said`, `Republican officials say`.
        if self.lang == "en" && w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
            let mut s = j;
            while s > lo && j - s < 3 {
                let x = self.lw(s - 1);
                if self.p.tokens[s - 1].kind != TokenKind::Word
                    || PREPS.contains(&x.as_ref())
                    || AUX.contains(&x.as_ref())
                    || ["and", "or", "but", "that", "who", "which"].contains(&x.as_ref())
                {
                    break;
                }
                s -= 1;
            }
            return Some(self.span(s, j + 1));
        }
        // A noun phrase back to its determiner: `Son entourage`, `une source policière`,
        // `plusieurs associations croates` (French `a` is an auxiliary).
        for s in (lo..=j).rev().take(8) {
            let d = self.lw(s);
            if ((DETS.contains(&d.as_ref()) && !(self.lang == "fr" && d == "a"))
                || QUANTIFIERS.contains(&d.as_ref())
                || d.starts_with(|c: char| c.is_ascii_digit())
                || (self.lang == "en" && EN_NP_STARTS.contains(&d.as_ref())))
                && !(s > lo
                    && ["de", "d'", "du", "des", "à", "of"].contains(&self.lw(s - 1).as_ref()))
            {
                return Some(self.span(s, j + 1));
            }
            // An English possessive opens the phrase: `Clinton's team`, `the bank’s CEO`.
            if self.lang == "en" && s < j && (d.ends_with("'s") || d.ends_with("’s")) {
                let mut f = s;
                while f > lo && self.raw(f - 1).starts_with(char::is_uppercase) {
                    f -= 1;
                }
                return Some(self.span(f, j + 1));
            }
            if self.p.tokens[s].kind == TokenKind::Punct {
                return None;
            }
        }
        None
    }

    /// The subject before a cue starting at token `start`.
    fn subject_before(&self, start: usize, lo: usize) -> Option<ByteSpan> {
        let mut j = start;
        let mut commas = 0;
        while j > lo {
            let w = self.lw(j - 1);
            if CLITICS.contains(&w.as_ref()) || (w == "," && commas == 0 && j - 1 > lo) {
                commas += (w == ",") as usize;
                j -= 1;
                continue;
            }
            break;
        }
        if j == lo {
            return None;
        }
        // `Gov. Pat McCrory (R) said`: the name before a parenthesis.
        if self.is_punct(j - 1, ")") {
            if let Some(o) = (lo..j - 1).rev().take(8).find(|&o| self.is_punct(o, "(")) {
                if o > lo {
                    j = o;
                }
            }
        }
        // `Yannick Jadot qui précisait`, `X, qui a précisé que`: the antecedent of the relative.
        if ["qui", "who"].contains(&self.lw(j - 1).as_ref()) && j - 1 > lo {
            let mut a = if self.is_punct(j - 2, ",") && j - 2 > lo {
                j - 3
            } else {
                j - 2
            };
            // `le groupe État islamique au Grand Sahara (EIGS), qui revendique`: before the
            // acronym in parentheses.
            if self.is_punct(a, ")") {
                if let Some(o) = (lo..a).rev().take(6).find(|&o| self.is_punct(o, "(")) {
                    if o > lo {
                        a = o - 1;
                    }
                }
            }
            // (A common noun phrase stops at a preposition other than `de`: `confronté à un
            // mouvement d'opposition hétéroclite qui réclamait`.)
            let named = self
                .mentions_ending(self.p.tokens[a].span.end)
                .any(|(_, m)| m.kind != "adjective");
            if named {
                // (A name after a preposition other than `de` is the antecedent itself:
                // `opposant le GNA au maréchal Haftar, qui dit …`.)
                let m = self.mention_ending(a, lo)?;
                let mut f = self.p.tokens.partition_point(|t| t.span.start < m.start);
                if f > lo && DETS.contains(&self.lw(f - 1).as_ref()) {
                    f -= 1;
                }
                if f > lo && !["de", "d'", "du", "des"].contains(&self.lw(f - 1).as_ref()) {
                    return Some(m);
                }
            } else {
                for s in (lo..=a).rev().take(10) {
                    if self.p.tokens[s].kind == TokenKind::Punct && self.lw(s) != "'" {
                        break;
                    }
                    let d = self.lw(s);
                    if DETS.contains(&d.as_ref()) && d != "a" {
                        if s > lo && ["de", "d'", "du", "des"].contains(&self.lw(s - 1).as_ref()) {
                            continue;
                        }
                        return Some(self.span(s, a + 1));
                    }
                    // (`opposant le GNA au maréchal Haftar qui dit …`.)
                    if s < a && ["à", "au", "aux"].contains(&d.as_ref()) {
                        return Some(self.span(s + 1, a + 1));
                    }
                }
            }
            return self.phrase_ending(a, lo);
        }
        // `M. Peskov, qui ne prononce jamais son nom, a affirmé`: jump over a relative clause;
        // `Nadim Houry, responsable de l'organisation et spécialiste de la Syrie, précise`: over
        // an apposition, to the name it describes.
        if commas == 1 {
            if let Some(c) = (lo..j).rev().take(20).find(|&c| self.is_punct(c, ",")) {
                if c + 1 < j
                    && ["qui", "dont", "who", "which"].contains(&self.lw(c + 1).as_ref())
                    && c > lo
                {
                    return self.mention_ending(c - 1, lo);
                }
                let end = self.p.tokens[c.saturating_sub(1)].span.end;
                let named = c > lo
                    && self.mentions_ending(end).any(|(a, m)| {
                        matches!(a.kind, ActorKind::Person | ActorKind::Organization)
                            && (m.kind == "name" || m.kind == "short_name")
                    });
                if named {
                    return self.mention_ending(c - 1, lo);
                }
                // `un homme d'affaires controversé, réputé proche de Vladimir Poutine et en
                // conflit avec M. Navalny, a promis`: an apposition opened by a participle or
                // an adjective describes the noun phrase before it, the subject.
                let a = self.lw(c + 1);
                let descriptive = c + 1 < j
                    && !self.raw(c + 1).starts_with(char::is_uppercase)
                    && (past_participle(&a)
                        || [
                            "proche",
                            "âgé",
                            "âgée",
                            "ancien",
                            "ancienne",
                            "lui-même",
                            "elle-même",
                        ]
                        .contains(&a.as_ref()));
                if descriptive && c > lo {
                    if let Some(m) = self.phrase_ending(c - 1, lo) {
                        return Some(m);
                    }
                }
            }
        }
        self.phrase_ending(j - 1, lo)
    }

    /// The subject of a finite cue: its inverted pronoun, the subject of the quote before it
    /// in the sentence when the verb is coordinated (`X said A and said B`, `X a dénoncé …
    /// et a réclamé …`), or the phrase before it.
    fn subject(&self, cue: &Cue, lo: usize, out: &[QuoteFound]) -> Option<ByteSpan> {
        if let Some(p) = cue.pronoun {
            return Some(p);
        }
        let mut j = cue.start;
        while j > lo + 1 && COORD_FILLERS.contains(&self.lw(j - 1).as_ref()) {
            j -= 1;
        }
        if j > lo && ["and", "et"].contains(&self.lw(j - 1).as_ref()) {
            if let Some(m) = self.earlier_in_sentence(lo, cue.start, out) {
                return Some(m);
            }
        }
        self.subject_before(cue.start, lo)
    }

    /// The subject of the first reporting verb in tokens `lo..end` (the sentence's main
    /// verb, for a participle after it: `The GOP nominee complained …, even suggesting …`,
    /// `un expert … estime qu'…, rejetant …`).
    fn main_subject(
        &self,
        lo: usize,
        end: usize,
        hi: usize,
        out: &[QuoteFound],
    ) -> Option<ByteSpan> {
        // (Not a participle: `ayant analysé`, `saying`.)
        (lo + 1..end)
            .filter(|&v| {
                !self.lw(v).ends_with("ant")
                    && !self.lw(v).ends_with("ing")
                    && !["ayant", "étant", "having", "being"].contains(&self.lw(v - 1).as_ref())
            })
            .find_map(|v| self.cue_at(v, lo, hi))
            .and_then(|main| self.subject(&main, lo, out))
    }

    /// The quotes found so far that a new one at `span` is checked against, latest first: the
    /// last [`RECENT_QUOTES`], then the quotes signed with a dash before them that overlap
    /// `span`.
    fn recent<'o>(
        &self,
        out: &'o [QuoteFound],
        span: ByteSpan,
    ) -> impl Iterator<Item = &'o QuoteFound> + 'o {
        let window = out.len().saturating_sub(RECENT_QUOTES);
        let dashed = &out[..self.dashed.get().min(window)];
        // (Their contents are disjoint and in text order.)
        let a = dashed.partition_point(|q| q.content.end <= span.start);
        let b = dashed.partition_point(|q| q.content.start < span.end.max(span.start + 1));
        out[window..]
            .iter()
            .rev()
            .chain(dashed[a..b.max(a)].iter().rev())
    }

    /// Whether a quote's closing mark starts at byte `pos`.
    fn closes_at(&self, pos: usize) -> bool {
        self.all_closes.binary_search(&pos).is_ok()
    }

    /// The last quote found with a cue: its cue and the end of its content.
    fn last_cue(&self, out: &[QuoteFound]) -> Option<(ByteSpan, usize)> {
        let (scanned, mut last) = self.last_cue.get();
        for q in &out[scanned.min(out.len())..] {
            if let Some(c) = q.cue {
                last = Some((c, q.content.end));
            }
        }
        self.last_cue.set((out.len(), last));
        last
    }

    /// The speaker mention of the last quote whose cue lies in tokens `lo..end`.
    fn earlier_in_sentence(&self, lo: usize, end: usize, out: &[QuoteFound]) -> Option<ByteSpan> {
        let (from, to) = (self.p.tokens[lo].span.start, self.p.tokens[end].span.start);
        let window = out.len().saturating_sub(RECENT_QUOTES);
        let dashed = &out[..self.dashed.get().min(window)];
        // (A dash cue follows its quote: in text order too.)
        let cue_at = |q: &QuoteFound| q.cue.map_or(0, |c| c.start);
        let a = dashed.partition_point(|q| cue_at(q) < from);
        let b = dashed.partition_point(|q| cue_at(q) < to);
        out[window..]
            .iter()
            .rev()
            .chain(dashed[a..b.max(a)].iter().rev())
            .find(|q| q.cue.is_some_and(|c| from <= c.start && c.end <= to))
            .and_then(|q| q.mention)
    }

    /// The subject phrase that ends at token `e` (inclusive): the mention there, or, when that
    /// mention follows a preposition, the whole phrase from the clause start (`Les médecins
    /// allemands soignant l'opposant à Berlin ont …`, `le leader de La France insoumise qui …`).
    fn phrase_ending(&self, e: usize, lo: usize) -> Option<ByteSpan> {
        let j = e + 1;
        let m = self.mention_ending(e, lo)?;
        let first = self.p.tokens.partition_point(|t| t.span.start < m.start);
        let mut f = first;
        if f > lo && DETS.contains(&self.lw(f - 1).as_ref()) {
            f -= 1;
        }
        if f > lo && PREPS.contains(&self.lw(f - 1).as_ref()) {
            let mut s = f - 1;
            while s > lo
                && !self.is_punct(s - 1, ",")
                && !self.is_punct(s - 1, ";")
                && !self.is_punct(s - 1, ":")
                && f - s < 20
            {
                s -= 1;
            }
            if s < f - 1
                && (DETS.contains(&self.lw(s).as_ref())
                    || self.raw(s).starts_with(char::is_uppercase))
            {
                return Some(self.span(s, j));
            }
        }
        Some(m)
    }

    /// The subject after a cue ending at token `end` (inverted): a pronoun in the cue, or the
    /// noun phrase that follows.
    /// The period of a title abbreviation before a name (`M. Retailleau`, `Mme Borne` has none).
    fn is_title_dot(&self, e: usize) -> bool {
        e > 0
            && self.is_punct(e, ".")
            && self.p.tokens[e - 1].span.end == self.p.tokens[e].span.start
            && ["m", "mm", "mme", "mlle", "mgr", "dr", "pr", "me"]
                .contains(&self.lw(e - 1).as_ref())
            && self.p.tokens.get(e + 1).is_some_and(|t| {
                self.text[t.span.start..t.span.end].starts_with(char::is_uppercase)
            })
    }

    fn subject_after(&self, cue: &Cue, hi: usize) -> Option<ByteSpan> {
        if let Some(p) = cue.pronoun {
            return Some(p);
        }
        // `a estimé dans un communiqué Ivan Jdanov`, `a affirmé à l'AFP une porte-parole`: skip
        // adverbs, time words, adjuncts and the addressee.
        let k = self.skip_adjuncts(cue.end, hi, true);
        if k >= hi {
            return None;
        }
        let at_k = self
            .mentions_starting(self.p.tokens[k].span.start)
            .max_by_key(|(_, m)| m.span.len())
            .map(|(_, m)| m);
        if let Some(m) = at_k.filter(|m| m.kind != "nominal") {
            return Some(m.span);
        }
        let first = self.lw(k);
        // `le ministre malien de la Défense, le colonel Sadio Camara`, `a estimé dans un
        // communiqué le directeur du Fonds, Ivan Jdanov`: the name ahead is the mention.
        let name_ahead = (k..hi.min(k + 14))
            .take_while(|&e| !self.is_punct(e, ".") || self.is_title_dot(e))
            .find_map(|e| {
                self.mentions_starting(self.p.tokens[e].span.start)
                    .find(|(a, m)| {
                        a.kind == ActorKind::Person && m.kind != "pronoun" && m.kind != "nominal"
                    })
                    .map(|(_, m)| m.span)
            });
        if let Some(n) = name_ahead {
            return Some(n);
        }
        if let Some(m) = at_k {
            return Some(m.span);
        }
        if !(DETS.contains(&first.as_ref()) || self.raw(k).starts_with(char::is_uppercase)) {
            return None;
        }
        let mut e = k + 1;
        while e < hi && e - k < 10 {
            let w = self.lw(e);
            if self.p.tokens[e].kind == TokenKind::Punct
                && w != "'"
                && w != "-"
                && !self.is_title_dot(e)
            {
                break;
            }
            if [
                "dans", "sur", "lors", "à", "au", "lundi", "mardi", "mercredi", "jeudi",
                "vendredi", "samedi", "dimanche", "on", "in", "at",
            ]
            .contains(&w.as_ref())
                // (A reporting participle opens its own quote: `un ancien responsable …
                // faisant état d'…`.)
                || ((self.single[e] != 0 || self.multi[e]) && (w.ends_with("ant") || w.ends_with("ing")))
            {
                break;
            }
            e += 1;
        }
        Some(self.span(k, e))
    }

    /// Resolves a mention to a speaker through the actor chains.
    fn speaker(
        &self,
        mention: ByteSpan,
        last: Option<&SpeakerFound>,
        earlier: &[QuoteFound],
    ) -> Option<SpeakerFound> {
        let layer = self.layer;
        let text = &self.text[mention.start..mention.end];
        // A reporting pronoun resolves through its chain (the actor layer links it to the
        // person it takes up); failing that, it continues the previous speaker.
        let lower_text = text.to_lowercase();
        // The head of the mention: after a determiner and a title (`le Fonds …`, `M. Peskov`).
        let head = {
            let mut h = mention.start;
            for w in text.split_inclusive([' ', '\'']) {
                let lw = w.trim().to_lowercase();
                if DETS.contains(&lw.as_str()) || ["m.", "mme", "mgr", "dr"].contains(&lw.as_str())
                {
                    h += w.len();
                } else {
                    break;
                }
            }
            h
        };
        // A title or apposition that gave a person a role names that person: `le leader de La
        // France insoumise qui a dit` after `Jean-Luc Mélenchon, le leader de La France
        // insoumise`.
        // (Not when the mention names someone else: `Vladimir Poutine` inside `porte-parole
        // du président Vladimir Poutine`.)
        let names_other = |i: usize| {
            self.mentions_within(mention)
                .any(|(j, b, m)| j != i && b.kind == ActorKind::Person && m.kind == "name")
        };
        // The first person (in actor order) with a role overlapping the mention: roles are
        // short, so the ones that may overlap start at most MENTION_REACH bytes before it.
        let from = mention.start.saturating_sub(MENTION_REACH);
        let k = self.roles.partition_point(|(r, _)| r.start < from);
        let fitting = self.roles[k..]
            .iter()
            .take_while(|(r, _)| r.start < mention.end)
            .filter(|(r, _)| mention.start < r.end && r.len() * 2 >= mention.len())
            .map(|&(_, i)| i)
            .filter(|&i| !names_other(i))
            .min();
        if let Some(i) = fitting {
            return Some(self.actor_speaker(i));
        }
        // `ONG` alone (its article split off): a class noun, not a name.
        if self.lex.anaphora.kind(self.lang, &lower_text).is_some() {
            if let Some(s) = self.nominal_antecedent("l'", &lower_text, mention, earlier) {
                return Some(s);
            }
        }
        // The first actor (in layer order) with a mention inside, at the head.
        let first_in = self.by_start.partition_point(|&(a, m)| {
            layer.actors[a as usize].mentions[m as usize].span.start < mention.start
        });
        let hit = self.by_start[first_in..]
            .iter()
            .map(|&(a, m)| (a as usize, &layer.actors[a as usize].mentions[m as usize]))
            .take_while(|(_, m)| m.span.start <= head.max(mention.start))
            .filter(|(_, m)| {
                m.kind != "adjective"
                    && m.span.end <= mention.end
                    && (m.span.start <= head || m.span == mention)
            })
            .map(|(a, _)| a)
            .min()
            .map(|i| (i, &layer.actors[i]));
        if let Some((i, a)) = hit {
            // (Mentions are sorted by start.)
            let k = a.mentions.partition_point(|m| m.span.start < mention.start);
            let m = a.mentions[k..]
                .iter()
                .take_while(|m| m.span.start < mention.end.max(mention.start + 1))
                .find(|m| m.span.end <= mention.end);
            let written = m.map(|m| &self.text[m.span.start..m.span.end]);
            let acronym = written.is_some_and(|w| {
                let w = w.rsplit(['\'', '’']).next().unwrap_or(w);
                !w.is_empty() && w.chars().all(|c| c.is_uppercase() || c == '-')
            });
            let name = match a.kind {
                // (`ATT` → `Amadou Toumani Touré` when the text defines it.)
                // (Or by the initials of a person the text names in full: `ATT`.)
                ActorKind::Person => self
                    .expand_acronym(&a.name)
                    .or_else(|| {
                        self.person_by_initials(&a.name)
                            .map(|j| layer.actors[j].name.clone())
                    })
                    .unwrap_or_else(|| a.name.clone()),
                // An organisation's acronym by its full name (`l'EMA` → `État-major des armées`).
                ActorKind::Organization
                    if acronym && a.name.len() > written.map_or(0, str::len) =>
                {
                    a.name.clone()
                }
                // A capital or seat speaking is named as written (`Washington`, `le Kremlin`).
                _ => m.map_or(a.name.clone(), |m| {
                    self.text[m.span.start..m.span.end].to_string()
                }),
            };
            return Some(SpeakerFound {
                name,
                named: true,
                role: a.roles.first().map(|r| r.title.clone()),
                actor: Some(i),
            });
        }
        let lower = &lower_text;
        // `ils`, `they`: the latest plural noun phrase (`des voisins ouest-africains. Ils …`).
        if ["ils", "elles", "eux", "they"].contains(&lower.as_str()) {
            if let Some(np) = self.plural_antecedent(mention.start) {
                return self.speaker(np, None, earlier);
            }
        }
        if PRONOUNS.contains(&lower.as_str()) || ["lui", "eux"].contains(&lower.as_str()) {
            if last.is_some() {
                return last.cloned();
            }
            // No earlier speaker: the person mentioned last before the pronoun.
            let (i, a) = layer
                .actors
                .iter()
                .enumerate()
                .filter(|(_, a)| a.kind == ActorKind::Person)
                .filter_map(|(i, a)| {
                    a.mentions
                        .iter()
                        .filter(|m| m.span.end <= mention.start)
                        .map(|m| m.span.start)
                        .max()
                        .map(|p| (p, i, a))
                })
                .max_by_key(|x| x.0)
                .map(|(_, i, a)| (i, a))?;
            return Some(SpeakerFound {
                name: a.name.clone(),
                named: true,
                role: a.roles.first().map(|r| r.title.clone()),
                actor: Some(i),
            });
        }
        let raw_first = text.split([' ', '\'']).next().unwrap_or("");
        let first = raw_first.to_lowercase();
        if DETS.contains(&first.as_ref()) || DETS.contains(&format!("{first}'").as_str()) {
            let rest = text[raw_first.len()..].trim_start_matches('\'').trim();
            if rest.is_empty() {
                return None;
            }
            if let Some(s) = self.nominal_antecedent(&first, rest, mention, earlier) {
                return Some(s);
            }
            if rest.starts_with(char::is_uppercase) {
                // `Le Parisien`, `la BBC`: a name with its article.
                let name = self
                    .expand_acronym(rest)
                    .unwrap_or_else(|| rest.to_string());
                return Some(SpeakerFound {
                    name,
                    named: true,
                    role: None,
                    actor: None,
                });
            }
            return Some(SpeakerFound {
                name: rest.to_string(),
                named: false,
                role: None,
                actor: None,
            });
        }
        // (`ATT` → Amadou Toumani Touré, named in full elsewhere.)
        if let Some(i) = self.person_by_initials(text) {
            return Some(self.actor_speaker(i));
        }
        let name = self
            .expand_acronym(text)
            .unwrap_or_else(|| text.to_string());
        Some(SpeakerFound {
            named: name.starts_with(char::is_uppercase),
            name,
            role: None,
            actor: None,
        })
    }

    /// The speaker an actor of the layer makes: its canonical name, first role and index.
    fn actor_speaker(&self, i: usize) -> SpeakerFound {
        let a = &self.layer.actors[i];
        SpeakerFound {
            name: a.name.clone(),
            named: true,
            role: a.roles.first().map(|r| r.title.clone()),
            actor: Some(i),
        }
    }

    /// The named antecedent of a description without a name (determiner `det`, words `rest`):
    /// `l'ONG` and `le communiqué` → the latest organisation; `la même source` → the earlier
    /// speaker described with that noun; `ce chauffeur routier` → the latest person named
    /// outside quotes.
    fn nominal_antecedent(
        &self,
        det: &str,
        rest: &str,
        mention: ByteSpan,
        earlier: &[QuoteFound],
    ) -> Option<SpeakerFound> {
        let layer = self.layer;
        let words: Vec<String> = rest.split_whitespace().map(|w| w.to_lowercase()).collect();
        let head = words.first()?;
        let found = |i: usize| self.actor_speaker(i);
        // The actor of `kind` mentioned last before the mention (of equal starts, the last in
        // actor order): the mentions before it, latest first, at most LOOK_BACK of them.
        let latest = |kind: ActorKind| {
            let k = self.by_start.partition_point(|&(a, m)| {
                layer.actors[a as usize].mentions[m as usize].span.start < mention.start
            });
            self.by_start[..k]
                .iter()
                .rev()
                .take(LOOK_BACK)
                .map(|&(a, m)| (a as usize, &layer.actors[a as usize].mentions[m as usize]))
                .filter(|(a, m)| {
                    layer.actors[*a].kind == kind
                        && m.span.end <= mention.start
                        && m.kind != "adjective"
                        && m.kind != "pronoun"
                        && (kind != ActorKind::Person || m.kind != "nominal")
                        && !self.in_marks(m.span.start)
                        && !self.in_parens(m.span.start)
                })
                .map(|(a, m)| (m.span.start, a))
                .max()
                .map(|(_, i)| i)
        };
        // `la même source de la Cédéao`: the earlier speaker with that noun.
        if head == "même" || head == "same" {
            let noun = words.get(1)?;
            return earlier
                .iter()
                .filter(|q| q.content.start < mention.start)
                .rev()
                .filter_map(|q| q.speaker.as_ref())
                .find(|s| s.name.to_lowercase().split_whitespace().any(|w| w == noun))
                .cloned();
        }
        // (A class noun with its own `de` complement names a body of its own: `le collectif
        // de défense des droits des femmes`.)
        let defined = words.get(1).is_some_and(|w| {
            ["de", "du", "des", "of"].contains(&w.as_str()) || w.starts_with("d'")
        });
        let kind = self.lex.anaphora.kind(self.lang, head);
        // `Le rapport final du BEA … conclut … Selon le rapport, …`: the earlier source
        // described with the same noun.
        if kind.is_some() && !defined {
            let same = earlier
                .iter()
                .filter(|q| q.content.start < mention.start)
                .rev()
                .find(|q| {
                    q.mention.is_some_and(|m| {
                        let t = self.text[m.start..m.end].to_lowercase();
                        let mut w = t.split([' ', '\'', '’']).filter(|w| !w.is_empty());
                        let first = w.next();
                        let second = w.next();
                        first == Some(head.as_str())
                            || (first.is_some_and(|f| DETS.contains(&f))
                                && second == Some(head.as_str()))
                    })
                })
                .and_then(|q| q.speaker.clone())
                .filter(|s| s.named);
            if same.is_some() {
                return same;
            }
        }
        if kind.is_some() && !(defined && kind == Some("organization")) {
            // An organisation already quoted is the most salient (`Human Rights Watch …
            // dévoile … la Cour pénale internationale … L'ONG appelle`); else the latest
            // organisation of the gazetteer, or else the latest ORG entity (`L'Oréal … Le
            // groupe souhaite`).
            let quoted = earlier
                .iter()
                .filter(|q| q.content.start < mention.start)
                .rev()
                .filter_map(|q| q.speaker.as_ref())
                .find(|s| {
                    s.actor
                        .is_some_and(|a| layer.actors[a].kind == ActorKind::Organization)
                });
            if let Some(s) = quoted {
                return Some(s.clone());
            }
            let actor = latest(ActorKind::Organization);
            let before = self.ents.partition_point(|e| e.span.start < mention.start);
            let entity = self.ents[before.saturating_sub(LOOK_BACK)..before]
                .iter()
                .filter(|e| {
                    crate::ner::LABELS[e.label] == "ORG"
                        && e.span.end <= mention.start
                        && !self.in_parens(e.span.start)
                })
                .rfind(|e| {
                    let t = &self.text[e.span.start..e.span.end];
                    self.lex
                        .anaphora
                        .kind(self.lang, &t.to_lowercase())
                        .is_none()
                });
            return match (actor, entity) {
                (None, Some(e)) => {
                    let t = &self.text[e.span.start..e.span.end];
                    Some(SpeakerFound {
                        name: self.expand_acronym(t).unwrap_or_else(|| t.to_string()),
                        named: true,
                        role: None,
                        actor: None,
                    })
                }
                (Some(i), _) => Some(found(i)),
                _ => None,
            };
        }
        if ["ce", "cet", "cette", "this"].contains(&det) {
            // The current speaker, quoted within the two sentences before, is the most salient
            // (`…, a-t-elle précisé. … « … », a ajouté ce responsable`), except for `ce
            // dernier` (the latter: the person named last).
            let here = self.sentence_at(mention.start);
            let speaking = earlier
                .iter()
                .filter(|q| q.content.start < mention.start && q.speaker.is_some())
                .max_by_key(|q| q.content.start)
                .filter(|q| here.saturating_sub(self.sentence_at(q.content.start)) <= 2)
                .and_then(|q| q.speaker.as_ref());
            if let (false, Some(s)) = (
                ["dernier", "dernière", "latter"].contains(&head.as_str()),
                speaking,
            ) {
                return Some(s.clone());
            }
            let i = latest(ActorKind::Person)?;
            // Not too far back: within the three sentences before.
            let last_pos = layer.actors[i]
                .mentions
                .iter()
                .filter(|m| m.span.end <= mention.start)
                .map(|m| m.span.start)
                .max()?;
            return (self
                .sentence_at(mention.start)
                .saturating_sub(self.sentence_at(last_pos))
                <= 3)
                .then(|| found(i));
        }
        // An epithet takes up the person the previous sentence names, when its article agrees
        // with that person's gender: `C'est la remarque de Kareyce Fotso. La médaillée
        // d'argent des jeux de Beyrouth se plaint …`.
        // (A noun of a person by its suffix: `médaillée`, `élu`, `chercheuse`, `militante`,
        // `politicien`, `juriste`, `signataire`; not `le droit`.)
        let human = [
            "é", "ée", "eur", "euse", "rice", "iste", "ien", "ienne", "ant", "ante", "aire",
        ]
        .iter()
        .any(|s| head.ends_with(s));
        if ["le", "la"].contains(&det) && human {
            let i = latest(ActorKind::Person)?;
            let a = &layer.actors[i];
            let last_pos = a
                .mentions
                .iter()
                .filter(|m| m.span.end <= mention.start && m.kind == "name")
                .map(|m| m.span.start)
                .max()?;
            let near = self
                .sentence_at(mention.start)
                .saturating_sub(self.sentence_at(last_pos))
                <= 1;
            let agrees = a.feminine.is_none_or(|f| f == (det == "la"));
            return (near && agrees).then(|| found(i));
        }
        None
    }

    /// The latest plural noun phrase before `pos`, outside quotes, in the same or the previous
    /// sentence: a plural determiner or a number, then a plural noun and its adjectives.
    fn plural_antecedent(&self, pos: usize) -> Option<ByteSpan> {
        let toks = &self.p.tokens;
        let t = toks.partition_point(|x| x.span.start < pos);
        let sent = toks.get(t).map_or(0, |x| x.sentence);
        let plural = |w: &str| w.len() > 2 && (w.ends_with('s') || w.ends_with('x'));
        (0..t)
            .rev()
            .take_while(|&k| toks[k].sentence + 1 >= sent)
            .filter(|&k| k + 1 < t && !self.inside_quote(k))
            .find_map(|k| {
                let d = self.lw(k);
                let det = PLURAL_DETS.contains(&d.as_ref())
                    || (self.raw(k).chars().all(|c| c.is_ascii_digit()) && self.lang == "fr");
                let noun = self.lw(k + 1);
                if !det
                    || !plural(&noun)
                    || toks[k + 1].kind != TokenKind::Word
                    || self.raw(k + 1).starts_with(char::is_uppercase)
                {
                    return None;
                }
                let mut e = k + 2;
                while e < t
                    && toks[e].kind == TokenKind::Word
                    && !self.raw(e).starts_with(char::is_uppercase)
                    && plural(&self.lw(e))
                    && self.lex.verbs.lookup(&self.lw(e)).is_empty()
                {
                    e += 1;
                }
                Some(self.span(k, e))
            })
    }

    /// The sentence of the token at (or after) byte `pos`; the last one past the end.
    fn sentence_at(&self, pos: usize) -> u32 {
        let t = self.p.tokens.partition_point(|t| t.span.start < pos);
        self.p
            .tokens
            .get(t.min(self.p.tokens.len().saturating_sub(1)))
            .map_or(0, |t| t.sentence)
    }

    /// The actor of the person the document names whose initials are `acr` (`ATT` for
    /// Amadou Toumani Touré), when exactly one does.
    fn person_by_initials(&self, acr: &str) -> Option<usize> {
        if !(2..=5).contains(&acr.chars().count()) || !acr.chars().all(char::is_uppercase) {
            return None;
        }
        let by_initials = self.initials.get_or_init(|| {
            let mut m: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
            for (i, a) in self.layer.actors.iter().enumerate() {
                if a.kind == ActorKind::Person {
                    let initials: String = a
                        .name
                        .split_whitespace()
                        .filter_map(|w| w.chars().next())
                        .flat_map(char::to_uppercase)
                        .collect();
                    m.entry(initials).or_default().push(i);
                }
            }
            m
        });
        // (A name of as many words as the acronym has letters: `to_uppercase` of one initial
        // may give two letters, which the word count rules out, as before.)
        let mut found = by_initials.get(acr)?.iter().copied().filter(|&i| {
            self.layer.actors[i].name.split_whitespace().count() == acr.chars().count()
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// The full name an acronym stands for when the text defines it in parentheses:
    /// `l'Etat-major des Armées françaises (EMA)` makes `EMA` → `Etat-major des Armées françaises`.
    fn expand_acronym(&self, acr: &str) -> Option<String> {
        let acr = acr.trim_start_matches("l'").trim_start_matches("L'");
        if acr.chars().count() < 2 || !acr.chars().all(|c| c.is_uppercase() || c == '-') {
            return None;
        }
        if let Some(hit) = self.expansions.borrow().get(acr) {
            return hit.clone();
        }
        let hit = self.expand_acronym_uncached(acr);
        self.expansions
            .borrow_mut()
            .insert(acr.to_string(), hit.clone());
        hit
    }

    fn defs(&self) -> &Definitions {
        self.definitions.get_or_init(|| Definitions::new(self.text))
    }

    fn expand_acronym_uncached(&self, acr: &str) -> Option<String> {
        let Some(&def) = self.defs().parenthesised.get(acr) else {
            return self.acronym_in_apposition(acr);
        };
        // (The name before it: a few words, within a bounded look back.)
        let mut from = def.saturating_sub(512);
        while !self.text.is_char_boundary(from) {
            from -= 1;
        }
        let before = self.text[from..def].trim_end();
        // Back to the determiner that opens the name, within a few words.
        let words: Vec<(usize, &str)> = before.match_indices([' ', '\'']).collect();
        // (When the look back starts inside the text, the word before its first separator
        // may be cut: it is not read.)
        let first = usize::from(from > 0).min(words.len());
        for &(i, sep) in words[first..].iter().rev().take(8) {
            // The word that ends at this separator (`l` before `'Etat-major`, `par` before ` l'`).
            let det = before[..i]
                .rsplit([' ', '\''])
                .next()
                .unwrap_or("")
                .to_lowercase();
            let det_full = if sep == "'" {
                format!("{det}'")
            } else {
                det.clone()
            };
            // A definite article opens the name (`des` inside it does not: `des Armées`).
            if ["l'", "le", "la", "les", "the"].contains(&det_full.as_str())
                || ["le", "la", "les", "the"].contains(&det.as_str())
            {
                let name = before[i + sep.len()..].trim();
                if name.starts_with(char::is_uppercase) {
                    return Some(name.to_string());
                }
            }
        }
        None
    }

    /// The name an acronym stands for in an apposition after it, whose significant words
    /// begin with its letters: `du BEA, le Bureau d'enquêtes et d'analyses de la DGAC`.
    fn acronym_in_apposition(&self, acr: &str) -> Option<String> {
        let letters: Vec<char> = acr.chars().filter(|c| c.is_alphabetic()).collect();
        let at_list = self.defs().apposed.get(acr).map_or(&[][..], |v| &v[..]);
        for &at in at_list {
            let mut end = (at + acr.len() + 2 + 512).min(self.text.len());
            while !self.text.is_char_boundary(end) {
                end -= 1;
            }
            let rest = &self.text[at + acr.len() + 2..end];
            let Some(body) = ["le ", "la ", "les ", "l'", "l’", "the "]
                .iter()
                .find_map(|d| rest.strip_prefix(d))
            else {
                continue;
            };
            let body = &body[..body.find([',', '.', ';', '(', '\n']).unwrap_or(body.len())];
            let mut matched = 0;
            let mut offset = 0;
            for (i, word) in body.split(' ').enumerate() {
                let end = offset + word.len();
                offset = end + 1;
                let w = word.rsplit(['\'', '’']).next().unwrap_or(word);
                let stop = [
                    "de", "du", "des", "et", "la", "le", "les", "of", "the", "and", "for",
                ]
                .contains(&w.to_lowercase().as_str());
                if w.is_empty() || stop {
                    continue;
                }
                let first = w.chars().next()?.to_uppercase().next()?;
                if (i == 0 && !w.starts_with(char::is_uppercase))
                    || letters.get(matched) != Some(&first)
                {
                    break;
                }
                matched += 1;
                if matched == letters.len() {
                    return Some(body[..end].to_string());
                }
            }
        }
        None
    }

    /// Quote type of `content` given the quote marks.
    fn classify(&self, content: ByteSpan) -> (QuoteType, ByteSpan) {
        let quotes = &self.p.quotes;
        let k = self.by_content.partition_point(|&(s, _)| s < content.start);
        if self.by_content[k..]
            .iter()
            .take_while(|&&(s, _)| s == content.start)
            .any(|&(_, i)| content.end <= quotes[i].content.end)
        {
            return (QuoteType::Direct, content);
        }
        // The outermost quotes opening inside the content (two are as many as matter here).
        let first = quotes.partition_point(|q| q.open.start < content.start);
        let inner: Vec<&QuotePair> = quotes[first..]
            .iter()
            .take_while(|q| q.open.start < content.end)
            .filter(|q| q.depth == 0 && q.open.end <= content.end)
            .take(2)
            .collect();
        if let [q] = inner.as_slice() {
            if let Some(c) = q.close.filter(|c| c.end <= content.end) {
                let before = self.text[content.start..q.open.start].trim();
                let after = self.text[c.end..content.end]
                    .trim_matches(|ch: char| ch.is_whitespace() || ".!?".contains(ch));
                if before.is_empty() && after.is_empty() {
                    return (QuoteType::Direct, q.content);
                }
            }
        }
        if inner.is_empty() {
            (QuoteType::Indirect, content)
        } else {
            (QuoteType::Mixed, content)
        }
    }

    /// A French passive of a reporting verb at token `k` (`a été revendiquée`, `est dénoncé`)
    /// whose agent follows (`par le GSIM`): (the subject from the sentence start, the agent,
    /// the first token of the auxiliary).
    fn passive_with_agent(
        &self,
        k: usize,
        lo: usize,
        hi: usize,
    ) -> Option<(ByteSpan, ByteSpan, usize)> {
        let w = self.lw(k);
        if !["é", "ée", "és", "ées"].iter().any(|e| w.ends_with(e)) {
            return None;
        }
        // The auxiliary: `été` after `a`/`ont`/`avait`, or a form of `être`.
        let mut a = k - 1;
        while a > lo && (ADVERBS.contains(&self.lw(a).as_ref()) || self.lw(a).ends_with("ment")) {
            a -= 1;
        }
        let aux = if self.lw(a) == "été" && a > lo && AUX.contains(&self.lw(a - 1).as_ref()) {
            a - 1
        } else if PASSIVE_AUX.contains(&self.lw(a).as_ref()) {
            a
        } else {
            return None;
        };
        // The agent: `par` + a phrase, after adjuncts.
        let at = self.skip_adjuncts(k + 1, hi, false);
        if at + 1 >= hi || self.lw(at) != "par" {
            return None;
        }
        let mut e = at + 1;
        while e < hi
            && !(self.p.tokens[e].kind == TokenKind::Punct
                && self.raw(e) != "'"
                && self.raw(e) != "-")
            && !["qui", "que", "qu'", "pour", "afin", "dans", "lors"].contains(&self.lw(e).as_ref())
        {
            e += 1;
        }
        if e == at + 1 || aux <= lo {
            return None;
        }
        let content = self.sentence_span(self.after_framing_clause(lo, aux), aux)?;
        Some((content, self.span(at + 1, e), aux))
    }

    /// Where the reported content of a sentence starting at `lo` begins when it opens with a
    /// framing clause of the author's (`Alors qu'à la fin de la Guerre froide …, la
    /// redynamisation … « intervient … », constate le ministre`): after that clause's comma.
    fn after_framing_clause(&self, lo: usize, end: usize) -> usize {
        let first = self.lw(lo);
        let second = (lo + 1 < end).then(|| self.lw(lo + 1));
        let framing = FRAMING_STARTS.contains(&first.as_ref())
            || second.is_some_and(|s| FRAMING_STARTS.contains(&format!("{first} {s}").as_str()));
        if !framing {
            return lo;
        }
        (lo + 1..end)
            .find(|&k| self.is_punct(k, ",") && !self.inside_quote(k))
            .map_or(lo, |k| k + 1)
    }

    /// An English attribution without a source at token `k`: a raising verb (`seems`,
    /// `appeared`) or a passive of a reporting verb (`is expected`, `have been accused`,
    /// `were rated`), not followed by its agent. Returns the cue's last token.
    fn en_sourceless(&self, k: usize, hi: usize) -> Option<usize> {
        let w = self.lw(k);
        if self.single[k] & crate::lexicons::frame_bit("raise") != 0 {
            let word = self.raw(k);
            return (!w.ends_with("ing") && !word.starts_with(char::is_uppercase)).then_some(k);
        }
        if !["is", "are", "was", "were", "be", "been", "being"].contains(&w.as_ref()) {
            return None;
        }
        let mut v = k + 1;
        while v < hi
            && v - k <= 3
            && (self.lw(v).ends_with("ly")
                || [
                    "not",
                    "also",
                    "often",
                    "once",
                    "widely",
                    "sometimes",
                    "still",
                    "long",
                    "now",
                    "already",
                    "been",
                ]
                .contains(&self.lw(v).as_ref()))
        {
            v += 1;
        }
        if v >= hi || self.single[v] == 0 || self.p.tokens[v].kind != TokenKind::Word {
            return None;
        }
        let p = self.lw(v);
        let participle = p.ends_with("ed")
            || [
                "thought",
                "said",
                "told",
                "known",
                "seen",
                "shown",
                "written",
                "understood",
                "held",
            ]
            .contains(&p.as_ref());
        let agent = v + 1 < hi && self.lw(v + 1) == "by";
        (participle && !agent).then_some(v)
    }

    /// Where the clause of a cue at token `k` starts: after a sentence-initial conjunction
    /// (`But`, `Although`) and a fronted adjunct closed by a comma (`On Thursday,`).
    fn clause_start(&self, lo: usize, k: usize) -> usize {
        let mut s = self.after_framing_clause(lo, k);
        if s < k
            && [
                "but", "and", "so", "yet", "still", "although", "though", "while", "whereas", "if",
                "because", "now",
            ]
            .contains(&self.lw(s).as_ref())
        {
            s += 1;
            if s < k && self.is_punct(s, ",") {
                s += 1;
            }
        }
        let fronted = s < k
            && (ADJUNCT_PREPS.contains(&self.lw(s).as_ref())
                || ["for", "with", "since", "over", "after", "in"].contains(&self.lw(s).as_ref())
                || self.lw(s).ends_with("ly"));
        if fronted {
            if let Some(c) = (s + 1..k.min(s + 8)).find(|&c| self.is_punct(c, ",")) {
                s = c + 1;
            }
        }
        s
    }

    /// The subject that opens a sentence (tokens `lo..end`): the first person or
    /// organisation named outside quotes and not after a preposition.
    fn sentence_subject(&self, lo: usize, end: usize) -> Option<ByteSpan> {
        let from = self.p.tokens.get(lo)?.span.start;
        let to = self
            .p
            .tokens
            .get(end)
            .map_or(self.text.len(), |t| t.span.start);
        self.layer
            .actors
            .iter()
            .filter(|a| matches!(a.kind, ActorKind::Person | ActorKind::Organization))
            .flat_map(|a| &a.mentions)
            .filter(|m| {
                let t = self
                    .p
                    .tokens
                    .partition_point(|x| x.span.start < m.span.start);
                m.span.start >= from
                    && m.span.end <= to
                    && m.kind != "pronoun"
                    && !self.inside_quote(t)
                    && !(t > lo && PREPS.contains(&self.lw(t - 1).as_ref()))
            })
            .min_by_key(|m| m.span.start)
            .map(|m| m.span)
    }

    /// Whether byte `pos` lies inside parentheses (`(un Airbus A330)`): an aside, not a
    /// salient antecedent.
    fn in_parens(&self, pos: usize) -> bool {
        let mut from = pos.saturating_sub(200);
        while !self.text.is_char_boundary(from) {
            from += 1;
        }
        let before = &self.text[from..pos];
        match (before.rfind('('), before.rfind(')')) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// The quote-mark pair whose opening mark is token `k`, if any.
    fn quote_opening_at(&self, k: usize) -> Option<&'a QuotePair> {
        let pos = self.p.tokens.get(k)?.span.start;
        let i = self.p.quotes.partition_point(|q| q.open.start < pos);
        self.p.quotes.get(i).filter(|q| q.open.start == pos)
    }

    /// Is token `k` inside a closed quote in marks?
    fn inside_quote(&self, k: usize) -> bool {
        self.in_marks(self.p.tokens[k].span.start)
    }

    /// Is byte `pos` inside a closed quote in marks?
    fn in_marks(&self, pos: usize) -> bool {
        let k = self.in_marks.partition_point(|s| s.end <= pos);
        self.in_marks.get(k).is_some_and(|s| s.start <= pos)
    }

    /// Content from token `a` to the end of its paragraph, without the final punctuation.
    fn to_paragraph_end(&self, a: usize) -> Option<ByteSpan> {
        let par = self.p.sentences.get(self.p.tokens[a].sentence as usize)?.1;
        let end = self.p.paragraphs.get(par)?.end;
        let e = self.p.tokens.partition_point(|t| t.span.start < end);
        self.to_sentence_end(a, e)
    }

    /// A speaker label opening a paragraph at token `lo` (sentence `lo..hi`): an optional
    /// opening mark, one to five capitalised words without digits, a colon, and at least
    /// three words. Returns the label and the content (to the end of the paragraph).
    fn label_at(&self, lo: usize, hi: usize) -> Option<(ByteSpan, ByteSpan)> {
        let toks = &self.p.tokens;
        let sent = self.p.sentences.get(toks[lo].sentence as usize)?;
        let par = self.p.paragraphs.get(sent.1)?;
        if par.start != sent.0.start && self.text[par.start..sent.0.start].trim().len() > 1 {
            return None;
        }
        let first = lo + usize::from(self.is_mark(lo));
        let colon = (first..hi.min(first + 6)).find(|&k| self.is_punct(k, ":"))?;
        if colon == first {
            return None;
        }
        let label_ok = colon > first
            && (first..colon).all(|k| {
                let r = self.raw(k);
                toks[k].kind == TokenKind::Word
                    && r.starts_with(char::is_uppercase)
                    && !r.contains(|c: char| c.is_ascii_digit())
            });
        // The label names someone: an actor, a person or organisation entity, or a transcript
        // name in capitals (`WALLACE:`), not a headline (`Stealth Over Health:`).
        let (ls, le) = (toks[first].span.start, toks[colon - 1].span.end);
        let names = |s: ByteSpan| s.start <= ls && le <= s.end;
        let someone = self.mentions_holding(ByteSpan::new(ls, le)).next().is_some()
            || {
                let from = ls.saturating_sub(MENTION_REACH);
                let k = self.ents.partition_point(|e| e.span.start < from);
                self.ents[k..]
                    .iter()
                    .take_while(|e| e.span.start <= ls)
                    .any(|e| crate::ner::LABELS[e.label] != "LOC" && names(e.span))
            }
            || (colon == first + 1 && self.raw(first).chars().all(|c| !c.is_lowercase()))
            // (A surname the document names in full elsewhere: `Pence: Gennifer Flowers …`.)
            || (colon == first + 1 && {
                self.surnames.contains(self.raw(first))
            });
        if !label_ok || !someone || !self.lex.verbs.lookup(&self.lw(colon - 1)).is_empty() {
            return None;
        }
        let e = toks.partition_point(|t| t.span.start < par.end);
        let words = (colon + 1..e)
            .filter(|&k| toks[k].kind == TokenKind::Word)
            .count();
        if words < 3 {
            return None;
        }
        let q = (colon + 1 < e)
            .then(|| self.quote_opening_at(colon + 1))
            .flatten()
            .filter(|q| q.depth == 0);
        let content = match q {
            Some(q) if q.close.is_some() => q.content,
            _ => self.to_sentence_end(colon + 1, e)?,
        };
        Some((self.span(first, colon), content))
    }

    /// Content from token `a` to the end of its sentence (`hi` exclusive), without the final
    /// punctuation.
    fn to_sentence_end(&self, a: usize, hi: usize) -> Option<ByteSpan> {
        if a >= hi {
            return None;
        }
        // After a comma, a reporting participle opens a new quote (`a évoqué un complot,
        // évoquant une possible « provocation »`, `said X, adding that …`), and a finite cue
        // closes a relative clause or opens an incise (`X, qui espère « … », a souligné …`,
        // `…, ajoute-t-il`, `…, selon l'AFP`).
        // A coordinated reporting verb opens a new quote too (`said Machado promised … and
        // said she would …`, `… et a dénoncé …`), and in English a clause after `, but`
        // (`said A, but he has also …`).
        let coordinated = |k: usize| {
            let w = self.lw(k);
            (w == "and" || w == "et" || w == "but") && !self.inside_quote(k) && {
                let mut v = k + 1;
                while v + 1 < hi
                    && (AUX.contains(&self.lw(v).as_ref())
                        || ADVERBS.contains(&self.lw(v).as_ref())
                        || COORD_FILLERS.contains(&self.lw(v).as_ref()))
                    && v - k <= 2
                {
                    v += 1;
                }
                // (A bare form must be a past or `says`: `les actes et menaces` is a noun.)
                let form = self.lw(v);
                // (`and tells the crowd he …`: a present before its object or clause.)
                let object_next = v + 1 < hi && {
                    let n = self.lw(v + 1);
                    PRONOUNS.contains(&n.as_ref())
                        || DETS.contains(&n.as_ref())
                        || EN_OBJECTS.contains(&n.as_ref())
                        || n == "that"
                };
                let finite = v > k + 1
                    || (self.lang == "en"
                        && (form.ends_with("ed")
                            || ["said", "says", "told", "wrote"].contains(&form.as_ref())
                            || (form.ends_with('s') && object_next)));
                v < hi && finite && self.cue_at(v, k + 1, hi).is_some()
            }
        };
        // A relative clause (`le ministre X, qui a précisé que …, a mis l'accent sur …`) ends
        // where the main clause resumes with its auxiliary and participle.
        let in_relative = self.lang == "fr"
            && (a.saturating_sub(12)..a)
                .rev()
                .take_while(|&k| !self.is_punct(k, ".") && !self.is_punct(k, ","))
                .any(|k| k > 0 && self.lw(k) == "qui" && self.is_punct(k - 1, ","));
        let main_clause = |k: usize| {
            in_relative
                && k + 2 < hi
                && AUX.contains(&self.lw(k + 1).as_ref())
                && past_participle(&self.lw(k + 2))
        };
        let end = (a + 1..hi.saturating_sub(1))
            .find(|&k| {
                // A semicolon joins another clause, the author's; a French reporting
                // participle before its own colon or `que` opens another quote (`l'idée d'un prêt
                // affirmant : « … »`).
                if coordinated(k) || (self.is_punct(k, ";") && !self.inside_quote(k)) {
                    return true;
                }
                if self.lang == "fr"
                    && self.single[k] != 0
                    && !self.inside_quote(k)
                    && self.lw(k).ends_with("ant")
                    && k + 1 < hi
                    && [":", "que", "qu'"].contains(&self.lw(k + 1).as_ref())
                {
                    return true;
                }
                self.is_punct(k, ",") && !self.inside_quote(k) && {
                    // (An adverb may come first: `…, even suggesting …`.)
                    let p = if self.lang == "en"
                        && k + 2 < hi
                        && ["even", "also", "later", "then"].contains(&self.lw(k + 1).as_ref())
                    {
                        k + 2
                    } else {
                        k + 1
                    };
                    let w = self.lw(p);
                    let participle = (w.ends_with("ant") || w.ends_with("ing"))
                        && self.cue_at(p, p, hi).is_some();
                    let but = self.lang == "en"
                        && w == "but"
                        && p + 1 < hi
                        && (PRONOUNS.contains(&self.lw(p + 1).as_ref())
                            || DETS.contains(&self.lw(p + 1).as_ref()));
                    // An incise that closes the sentence: `…, relate l'Équipe.`, `…, said
                    // Smith.`
                    let incise = || {
                        self.cue_at(k + 1, k + 1, hi).is_some_and(|c| {
                            c.has("inv")
                                && c.start == k + 1
                                && hi - c.end <= 8
                                && (c.end..hi).all(|x| !self.is_punct(x, ","))
                        })
                    };
                    if participle || but || incise() {
                        return true;
                    }
                    // A clause with its own source: `…, la baisse … pouvant selon Moscou avoir …`.
                    let own_source = self.lang == "fr"
                        && (k + 2..hi.min(k + 25))
                            .take_while(|&x| !self.is_punct(x, ",") || self.inside_quote(x))
                            .any(|x| self.lw(x) == "selon" && !self.inside_quote(x));
                    if main_clause(k) || own_source {
                        return true;
                    }
                    let w = self.lw(k + 1);
                    let finite = self.lang == "fr"
                        && (w == "selon"
                            || (k + 2 < hi
                                && (AUX.contains(&w.as_ref()) || w.contains("-t-"))
                                && self.cue_at(k + 2, k + 1, hi).is_some())
                            || self
                                .cue_at(k + 1, k + 1, hi)
                                .is_some_and(|c| c.pronoun.is_some()));
                    finite
                }
            })
            .unwrap_or(hi);
        self.sentence_span(a, end)
    }

    /// Tokens `a..hi` without the final punctuation (closing marks and parentheses kept).
    fn sentence_span(&self, a: usize, hi: usize) -> Option<ByteSpan> {
        if a >= hi {
            return None;
        }
        let mut e = hi;
        while e > a
            && self.p.tokens[e - 1].kind == TokenKind::Punct
            && !self.is_mark(e - 1)
            && self.raw(e - 1) != ")"
        {
            e -= 1;
        }
        (e > a).then(|| self.span(a, e))
    }
}

/// Finds the quotes of a prepared document, given its actor layer, its named entities (an
/// organisation the gazetteer lacks is still an antecedent) and the lexicons.
pub fn find(
    p: &Prepared,
    layer: &ActorLayer,
    ents: &[crate::ner::EntitySpan],
    lex: &Lexicons,
) -> Vec<QuoteFound> {
    let lang = if p.language.code == "en" { "en" } else { "fr" };
    let text: &str = &p.norm.text;
    let lower: Vec<std::borrow::Cow<str>> = p
        .tokens
        .iter()
        .map(|t| crate::tokenize::lower(&text[t.span.start..t.span.end]))
        .collect();
    let (single, multi): (Vec<u16>, Vec<bool>) = lower
        .iter()
        .zip(&p.tokens)
        .map(|(w, t)| {
            let entry = (t.kind == TokenKind::Word)
                .then(|| lex.verbs.cue_entry(w))
                .flatten();
            let Some(lemmas) = entry else {
                return (0, false);
            };
            let frames = lex.verbs.frames(lemmas, lang);
            (frames, lex.verbs.multi_first.contains(w.as_ref()))
        })
        .unzip();
    let mut by_start: Vec<(u32, u32)> = layer
        .actors
        .iter()
        .enumerate()
        .flat_map(|(a, x)| (0..x.mentions.len()).map(move |m| (a as u32, m as u32)))
        .collect();
    let mut by_end = by_start.clone();
    let span_of = |&(a, m): &(u32, u32)| layer.actors[a as usize].mentions[m as usize].span;
    by_start.sort_by_key(|x| span_of(x).start);
    by_end.sort_by_key(|x| span_of(x).end);
    let mut in_marks: Vec<ByteSpan> = p
        .quotes
        .iter()
        .filter(|q| q.depth == 0 && q.close.is_some() && q.content.start < q.content.end)
        .map(|q| q.content)
        .collect();
    in_marks.sort_unstable_by_key(|s| s.start);
    in_marks.dedup_by(|b, a| {
        let merge = b.start <= a.end;
        if merge {
            a.end = a.end.max(b.end);
        }
        merge
    });
    let mut roles: Vec<(ByteSpan, usize)> = layer
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind == ActorKind::Person)
        .flat_map(|(i, a)| a.roles.iter().map(move |r| (r.evidence, i)))
        .collect();
    roles.sort_unstable_by_key(|&(r, i)| (r.start, i));
    let surnames = layer
        .actors
        .iter()
        .filter(|a| a.kind == ActorKind::Person)
        .flat_map(|a| &a.mentions)
        .filter(|m| m.kind == "name")
        .filter_map(|m| text[m.span.start..m.span.end].rsplit(' ').next())
        .collect();
    let mut closes: Vec<(usize, usize)> = p
        .quotes
        .iter()
        .enumerate()
        .filter(|(_, q)| q.depth == 0)
        .filter_map(|(i, q)| q.close.map(|c| (c.start, i)))
        .collect();
    closes.sort_unstable();
    let mut by_content: Vec<(usize, usize)> = p
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| (q.content.start, i))
        .collect();
    by_content.sort_unstable();
    let mut all_closes: Vec<usize> = p
        .quotes
        .iter()
        .filter_map(|q| q.close.map(|c| c.start))
        .collect();
    all_closes.sort_unstable();
    let cx = Ctx {
        all_closes,
        closes,
        by_content,
        p,
        text,
        by_start,
        by_end,
        in_marks,
        roles,
        surnames,
        expansions: Default::default(),
        initials: Default::default(),
        dashed: Default::default(),
        last_cue: Default::default(),
        definitions: Default::default(),
        layer,
        ents,
        lower,
        single,
        multi,
        lex,
        lang,
    };
    let toks = &p.tokens;
    let mut out: Vec<QuoteFound> = Vec::new();
    // The speaker and sentence of the last quote.
    let mut last: Option<(SpeakerFound, usize)> = None;
    // A new quote may not overlap one already found, except to hold a whole quote with its
    // cue: `Selon l'armée, ils … contre l'EIGS, qui revendique l'attaque` reports both.
    // (At most MAX_HELD whole quotes: `X, selon qui Y, selon qui Z, …` does not nest without
    // end, each quote copying the last.)
    let covered = |out: &[QuoteFound], s: ByteSpan| {
        let mut held = 0;
        cx.recent(out, s).any(|q| {
            let overlap = q.content.start < s.end && s.start < q.content.end;
            let nested = s.start <= q.content.start
                && q.content.end <= s.end
                && q.cue.is_some_and(|c| s.start <= c.start && c.end <= s.end);
            held += nested as usize;
            overlap && (!nested || held > MAX_HELD)
        })
    };
    // 0. A quote signed with a dash: `“…” ― Jane Doe, 45, of Ohio` (vox pops, epigraphs).
    for q in p.quotes.iter().filter(|q| q.depth == 0) {
        let Some(close) = q.close else { continue };
        let rest = &cx.text[close.end..];
        let after = rest.trim_start_matches([' ', '\u{a0}']);
        let Some(dash) = after
            .chars()
            .next()
            .filter(|c| matches!(c, '―' | '—' | '–'))
        else {
            continue;
        };
        let dash_at = close.end + (rest.len() - after.len());
        let name_at = dash_at + dash.len_utf8();
        let line = &cx.text[name_at..];
        let line = &line[..line.find(['\n', ',', '(', '.']).unwrap_or(line.len())];
        let name = line.trim_start();
        let start = name_at + (line.len() - name.len());
        let name = name.trim_end();
        let words = name.split_whitespace().count();
        if !name.starts_with(char::is_uppercase) || !(1..=6).contains(&words) {
            continue;
        }
        let mention = ByteSpan::new(start, start + name.len());
        if let Some(speaker) = cx.speaker(mention, None, &out) {
            out.push(QuoteFound {
                kind: QuoteType::Direct,
                content: q.content,
                cue: Some(ByteSpan::new(dash_at, name_at)),
                mention: Some(mention),
                speaker: Some(speaker),
                confidence: 0.7,
            });
        }
    }
    cx.dashed.set(out.len());
    let mut i = 0;
    while i < toks.len() {
        let sent = toks[i].sentence;
        let lo = i;
        let mut hi = i;
        while hi < toks.len() && toks[hi].sentence == sent {
            hi += 1;
        }
        let push = |out: &mut Vec<QuoteFound>,
                    last: &mut Option<(SpeakerFound, usize)>,
                    content: ByteSpan,
                    cue: Option<ByteSpan>,
                    mention: Option<ByteSpan>,
                    conf: f32| {
            // A quote reported inside an indirect one stands too (`Selon une source, X … où il
            // avait appelé ses sympathisants à …`).
            let inside_indirect = lang == "fr"
                && cx.recent(out, content).any(|q| {
                    q.kind != QuoteType::Direct
                        && q.content.start <= content.start
                        && content.end <= q.content.end
                        && cue.is_some_and(|c| q.content.start <= c.start && c.end <= q.content.end)
                })
                && !cx.recent(out, content).any(|q| q.content == content);
            if content.is_empty() || (covered(out, content) && !inside_indirect) {
                return;
            }
            let (kind, content) = cx.classify(content);
            // `« … », a relevé Dmitri Peskov, porte-parole du président Vladimir Poutine. « … »,
            // a-t-il ajouté`: a singular pronoun right after a person's quote continues it.
            // (Unless another person is named outside quotes in between: `… », a dénoncé
            // Florian Philippot. Steve Briois a ironisé. « … », a-t-il écrit`.)
            // (Names in the last quote's own sentence do not count: `…, a relevé Dmitri
            // Peskov, porte-parole du président Vladimir Poutine. « … », a-t-il ajouté`.)
            // (Counted from the last quote with a cue: a continuation guess may yet give way
            // to the incise that follows it.)
            let since = cx.last_cue(out).map_or(0, |(c, end)| {
                let s = p.sentences.partition_point(|s| s.0.end <= c.start);
                p.sentences.get(s).map_or(0, |s| s.0.end).max(end)
            });
            let other_named = |a: usize| {
                mention.is_some_and(|m| {
                    since < m.start
                        && cx
                            .mentions_within(ByteSpan::new(since, m.start))
                            .any(|(b, actor, x)| {
                                b != a
                                    && actor.kind == ActorKind::Person
                                    && x.kind == "name"
                                    && !cx.in_marks(x.span.start)
                            })
                })
            };
            let recent_person = last.as_ref().filter(|l| {
                (sent as usize).saturating_sub(l.1) <= 2
                    && l.0.actor.is_some_and(|a| {
                        cx.layer.actors[a].kind == ActorKind::Person && !other_named(a)
                    })
            });
            // (`elle`/`she` do not continue a man's quote, nor `il`/`he` a woman's.)
            let feminine =
                mention.and_then(|m| match cx.text[m.start..m.end].to_lowercase().as_str() {
                    "il" | "he" => Some(false),
                    "elle" | "she" => Some(true),
                    _ => None,
                });
            let agrees = |l: &(SpeakerFound, usize)| {
                l.0.actor
                    .and_then(|a| cx.layer.actors[a].feminine)
                    .zip(feminine)
                    .is_none_or(|(a, b)| a == b)
            };
            let speaker = match (feminine.is_some(), recent_person.filter(|l| agrees(l))) {
                (true, Some(l)) => Some(l.0.clone()),
                _ => mention.and_then(|m| cx.speaker(m, last.as_ref().map(|l| &l.0), out)),
            };
            // A personal pronoun with no antecedent in the document still reports speech:
            // the quote stands, its speaker unknown.
            let bare_pronoun = mention.is_some_and(|m| {
                PRONOUNS.contains(&cx.text[m.start..m.end].to_lowercase().as_str())
            });
            // A pronoun the chains leave open takes up the subject named earlier in its own
            // sentence: `Human Rights Watch vient de publier un rapport dans lequel elle
            // dévoile que …`.
            let speaker = match (speaker, mention) {
                (None, Some(m)) if bare_pronoun => {
                    // (The token holding the pronoun: `ajoute-t-il` ends the text.)
                    let at = toks.partition_point(|t| t.span.end <= m.start);
                    (at > lo && at < hi)
                        .then(|| cx.sentence_subject(lo, at))
                        .flatten()
                        .and_then(|s| cx.speaker(s, None, out))
                }
                (s, _) => s,
            };
            if speaker.is_none() && !bare_pronoun {
                return;
            }
            if let Some(s) = &speaker {
                *last = Some((s.clone(), sent as usize));
            }
            out.push(QuoteFound {
                kind,
                content,
                cue,
                mention,
                speaker,
                confidence: conf,
            });
        };
        // 0. A speaker label that opens a paragraph: `Pat Caddell: Democrat voters worried …`,
        // `WALLACE: Let's start …`, `Sadio Camara : « … »` (headlines and transcripts).
        if let Some((mention, content)) = cx.label_at(lo, hi) {
            push(&mut out, &mut last, content, None, Some(mention), 0.6);
        }
        // An incise that closes the sentence (`…, a source said.`) outranks the verbs inside
        // the content it reports: look at the words after the last comma first.
        let tail = (lo..hi)
            .rev()
            .find(|&c| cx.is_punct(c, ","))
            .filter(|&c| hi - c <= 12)
            .map_or(hi, |c| c + 1);
        for k in (tail..hi).chain(lo..tail) {
            // Cues are words: skip punctuation and numbers without a look-up.
            if toks[k].kind != TokenKind::Word {
                continue;
            }
            let w = cx.lw(k);
            // 4. selon X, … / …, selon X / according to X
            let after_selon = if w == "selon" || w == "d'après" {
                Some(k + 1)
            } else if (w == "d'" && k + 1 < hi && cx.lw(k + 1) == "après")
                || (w == "according" && k + 1 < hi && cx.lw(k + 1) == "to")
            {
                Some(k + 2)
            } else if (w == "pour" || w == "for") && k == lo {
                Some(k + 1)
            } else if w == "de"
                && k == lo
                && k + 3 < hi
                && cx.lw(k + 1) == "l'"
                && cx.lw(k + 2) == "avis"
                && ["de", "d'", "du", "des"].contains(&cx.lw(k + 3).as_ref())
            {
                // `De l'avis de l'Américain Pete Selleck, …` (`du`, `des` keep their article).
                Some(if ["du", "des"].contains(&cx.lw(k + 3).as_ref()) {
                    k + 3
                } else {
                    k + 4
                })
            } else {
                None
            };
            if let Some(m0) = after_selon {
                let mut m1 = m0;
                while m1 < hi
                    && !cx.is_punct(m1, ",")
                    && (!cx.is_punct(m1, ".") || cx.is_title_dot(m1))
                    && m1 - m0 < 14
                {
                    m1 += 1;
                }
                if m1 > m0 {
                    // `selon sa porte-parole, Kira Yarmysh`: the name in apposition; else the
                    // whole noun phrase (`une source policière`, `le Fonds de lutte … d'Alexeï Navalny`).
                    let apposition = (m1 + 1 < hi && cx.is_punct(m1, ","))
                        .then(|| {
                            cx.mentions_starting(toks[m1 + 1].span.start)
                                .filter(|(a, _)| a.kind == ActorKind::Person)
                                .map(|(_, m)| m)
                                .find(|m| {
                                    m.kind == "name" && {
                                        let e =
                                            cx.p.tokens
                                                .partition_point(|t| t.span.start < m.span.end);
                                        e < hi && (cx.is_punct(e, ",") || cx.is_punct(e, "."))
                                    }
                                })
                        })
                        .flatten()
                        .map(|m| m.span);
                    // A French source inside its clause, with no commas around it.
                    let inline_source = (lang == "fr"
                        && k > lo + 1
                        && w != "pour"
                        && !cx.is_punct(k - 1, ",")
                        && !cx.inside_quote(k))
                    .then(|| {
                        let m = cx
                            .mentions_starting(toks[m0].span.start)
                            .max_by_key(|(_, m)| m.span.len())?
                            .1
                            .span;
                        let e = toks.partition_point(|t| t.span.start < m.end);
                        (e < hi && toks[e].kind == TokenKind::Word).then_some(m)
                    })
                    .flatten();
                    let np = DETS.contains(&cx.lw(m0).as_ref()).then(|| cx.span(m0, m1));
                    let mention = inline_source.or(apposition).or(np).or_else(|| {
                        cx.mention_ending(m1 - 1, m0)
                            .filter(|s| s.start >= toks[m0].span.start)
                    });
                    let m1 = match apposition {
                        Some(a) => cx.p.tokens.partition_point(|t| t.span.start < a.end),
                        None => m1,
                    };
                    let is_pour = w == "pour" || w == "for";
                    // (`Pour X,` needs an actor, or a noun that takes one up: `Pour
                    // l'organisation militant pour les droits de l'Homme, …`.)
                    let actor_ok = mention.is_some_and(|m| cx.mentions_within(m).next().is_some())
                        || (m0 + 1 < m1
                            && DETS.contains(&cx.lw(m0).as_ref())
                            && lex.anaphora.kind(lang, &cx.lw(m0 + 1)).is_some());
                    // Mid-sentence, the content is what comes before `, selon X` when that
                    // is a clause (from the last `;` or `:`), else what follows `selon X,`
                    // (`il est bon de rappeler que, d'après le droit international, les
                    // responsables …`).
                    let seg = (lo..k)
                        .rev()
                        .find(|&x| {
                            (cx.is_punct(x, ";") || cx.is_punct(x, ":")) && !cx.inside_quote(x)
                        })
                        .map_or(lo, |x| x + 1);
                    let before_words = (seg..k.saturating_sub(1))
                        .filter(|&x| toks[x].kind == TokenKind::Word)
                        .count();
                    let before_is_clause = k >= 2
                        && before_words >= 4
                        && !["que", "qu'", "that"].contains(&cx.lw(k - 2).as_ref());
                    let comma_after = m1 < hi && cx.is_punct(m1, ",");
                    if mention.is_some() && (!is_pour || actor_ok) {
                        let cue = Some(cx.span(k, m0));
                        if k == lo {
                            if m1 < hi && cx.is_punct(m1, ",") {
                                if let Some(c) = cx.to_sentence_end(m1 + 1, hi) {
                                    push(&mut out, &mut last, c, cue, mention, 0.8);
                                }
                            }
                        } else if k > lo + 1
                            && cx.is_punct(k - 1, ",")
                            && !is_pour
                            && (before_is_clause || !comma_after)
                        {
                            let c = cx.span(seg, k - 1);
                            push(&mut out, &mut last, c, cue, mention, 0.75);
                        } else if let Some(inline) = inline_source {
                            // `la baisse … pouvant selon Moscou avoir « … »`, `des pièces selon
                            // elle toujours pas transmises`: the clause around the source.
                            let from = (seg..k)
                                .rev()
                                .find(|&x| cx.is_punct(x, ",") && !cx.inside_quote(x))
                                .map_or(seg, |x| x + 1);
                            if let Some(c) = cx.to_sentence_end(from, hi) {
                                push(&mut out, &mut last, c, cue, Some(inline), 0.6);
                            }
                        } else if lang == "en" && k > lo + 2 && !is_pour {
                            // `Clinton leads Sanders by 271 delegates according to a count
                            // by The Associated Press, but …`: what comes before.
                            let c = cx.span(cx.after_framing_clause(lo, k), k);
                            push(&mut out, &mut last, c, cue, mention, 0.7);
                        } else if !is_pour && m1 < hi && cx.is_punct(m1, ",") {
                            if let Some(c) = cx.to_sentence_end(m1 + 1, hi) {
                                push(&mut out, &mut last, c, cue, mention, 0.7);
                            }
                        }
                    }
                }
                continue;
            }
            // 10. English attributions without a source: a passive (`Obama's veto is expected
            // to come …`, `peacekeepers have been blamed for …`) or a raising verb (`Melania
            // seems to have vanished …`): the whole clause, subject included, is the content.
            if lang == "en" && !cx.inside_quote(k) {
                if let Some(v) = cx.en_sourceless(k, hi) {
                    let from = cx.clause_start(lo, k);
                    if let Some(c) = cx.to_sentence_end(from, hi) {
                        if c.end > toks[v].span.end && !covered(&out, c) {
                            out.push(QuoteFound {
                                kind: QuoteType::Indirect,
                                content: c,
                                cue: Some(cx.span(k, v + 1)),
                                mention: None,
                                speaker: None,
                                confidence: 0.5,
                            });
                        }
                    }
                    continue;
                }
            }
            // 9. A French passive with its agent: `Cette attaque a été revendiquée par le GSIM`,
            // `L'incapacité de l'État … a été dénoncée pendant des mois par les opposants`: the
            // subject is the content, the agent the speaker.
            if lang == "fr" && k > lo + 1 && cx.single[k] != 0 && !cx.inside_quote(k) {
                if let Some((content, agent, aux)) = cx.passive_with_agent(k, lo, hi) {
                    let cue_span = Some(cx.span(aux, k + 1));
                    push(&mut out, &mut last, content, cue_span, Some(agent), 0.6);
                    continue;
                }
            }
            let Some(cue) = cx.cue_at(k, lo, hi) else {
                continue;
            };
            // Speech reported inside a direct quote belongs to that quote.
            if cx.inside_quote(k) {
                continue;
            }
            let cue_span = Some(cx.span(cue.start, cue.end));
            // A cleft points back at what was just said: `Le pays va mal. C'est ce
            // qu'affirment les experts.`, `…, c'est ce qu'elle affirme`: the sentence before
            // (or the clause before the comma) is the content.
            if lang == "fr" {
                // (Not `ce qu'on appelle`: the verb takes a `que` clause, the subject is no
                // generic `on`.)
                let pronoun = (cue.start > lo && PRONOUNS.contains(&cx.lw(cue.start - 1).as_ref()))
                    .then(|| cue.start - 1);
                let generic = pronoun.is_some_and(|x| cx.lw(x) == "on") || !cue.has("que");
                let q = pronoun.unwrap_or(cue.start);
                let cleft = q >= lo + 4
                    && ["qu'", "que"].contains(&cx.lw(q - 1).as_ref())
                    && cx.lw(q - 2) == "ce"
                    && ["est", "était"].contains(&cx.lw(q - 3).as_ref())
                    && cx.lw(q - 4) == "c'";
                let cleft_at_start = q >= lo + 3
                    && q - 3 == lo
                    && ["qu'", "que"].contains(&cx.lw(q - 1).as_ref())
                    && cx.lw(q - 2) == "ce"
                    && ["c'est", "c'était"].contains(&cx.lw(lo).as_ref());
                if (cleft || cleft_at_start) && !generic {
                    let c_at = if cleft { q - 4 } else { lo };
                    // (A clause before the comma needs some words: `En effet, c'est ce que
                    // révèle …` points back at the sentence before.)
                    let before_words = (lo..c_at)
                        .filter(|&x| toks[x].kind == TokenKind::Word)
                        .count();
                    let content = if c_at == lo || before_words < 3 {
                        // The previous sentence, in the same paragraph.
                        let s = toks[lo].sentence as usize;
                        (s > 0)
                            .then(|| &p.sentences[s - 1])
                            .filter(|prev| prev.1 == p.sentences[s].1)
                            .and_then(|prev| {
                                let first = toks.partition_point(|t| t.span.start < prev.0.start);
                                cx.sentence_span(first, lo)
                            })
                    } else if cx.is_punct(c_at - 1, ",") && c_at - 1 > lo {
                        Some(cx.span(cx.after_framing_clause(lo, c_at - 1), c_at - 1))
                    } else {
                        None
                    };
                    let mention = pronoun
                        .map(|x| toks[x].span)
                        .or_else(|| cx.subject_after(&cue, hi));
                    if let (Some(c), Some(_)) = (content, mention) {
                        push(&mut out, &mut last, c, cue_span, mention, 0.7);
                    }
                    continue;
                }
            }
            // `Mais comme le précise Le Parisien, Vladimir Poutine compte …`: the content
            // follows the comma after the inverted subject.
            if lang == "fr"
                && cue.start >= lo + 2
                && ["le", "l'"].contains(&cx.lw(cue.start - 1).as_ref())
                && cx.lw(cue.start - 2) == "comme"
            {
                if let Some(m) = cx.subject_after(&cue, hi) {
                    let after = toks.partition_point(|t| t.span.start < m.end);
                    if after + 1 < hi && cx.is_punct(after, ",") {
                        if let Some(c) = cx.to_sentence_end(after + 1, hi) {
                            push(&mut out, &mut last, c, cue_span, Some(m), 0.75);
                        }
                    } else if cue.start - 2 > lo + 1 {
                        // `… ne réveille pas que de bons souvenirs comme le rappelle un
                        // ancien responsable …`: the content comes before `comme`.
                        let mut from = cx.clause_start(lo, cue.start - 2);
                        if from < cue.start - 2
                            && ["mais", "et", "or"].contains(&cx.lw(from).as_ref())
                        {
                            from += 1;
                        }
                        let end = if cx.is_punct(cue.start - 3, ",") {
                            cue.start - 3
                        } else {
                            cue.start - 2
                        };
                        if from < end {
                            let c = cx.span(from, end);
                            push(&mut out, &mut last, c, cue_span, Some(m), 0.7);
                        }
                    }
                }
                continue;
            }
            let inv = cue.has("inv");
            // 1 and 5: an incise after a comma (and maybe a closing mark).
            let before_cue = cue.lead;
            // (A question or an exclamation closes without a comma: `“Did you?” Trump said`,
            // `« Pourquoi ? » a demandé X`: the closing mark stands for it.)
            // (French needs no comma after a closing mark at all: `« … » a indiqué X`.)
            let question = |c: usize| {
                c > 0
                    && cx.is_mark(c)
                    && (cx.is_punct(c - 1, "?") || cx.is_punct(c - 1, "!") || lang == "fr")
                    && cx.closes_at(toks[c].span.start)
            };
            let comma = (before_cue > lo
                && (cx.is_punct(before_cue - 1, ",") || question(before_cue - 1)))
            .then(|| before_cue - 1)
            .or_else(|| {
                // English: `"…," Smith said` / `…, Smith said`: the subject sits between.
                (lang == "en")
                    .then(|| {
                        (lo..before_cue)
                            .rev()
                            .take(8)
                            .find(|&c| cx.is_punct(c, ",") || question(c))
                            .or_else(|| {
                                // A longer name with titles and a party in parentheses:
                                // `…, Sen. Lindsey Graham (R-S.C.) told …`.
                                let c = (lo..before_cue)
                                    .rev()
                                    .take(16)
                                    .find(|&c| cx.is_punct(c, ","))?;
                                (c + 1..before_cue)
                                    .all(|x| {
                                        cx.raw(x).starts_with(char::is_uppercase)
                                            || [".", "(", ")", "-", "'s", "’s"].contains(&cx.raw(x))
                                    })
                                    .then_some(c)
                            })
                    })
                    .flatten()
            })
            .or_else(|| {
                // `“Did you?” Trump said.`: the question ended the previous sentence.
                (lo > 0 && before_cue - lo <= 5 && question(lo - 1)).then(|| lo - 1)
            });
            // In French, a comma that closes a relative clause or an apposition opened by
            // `dont` / `qui` is followed by the main verb, not by an incise: `60 députés européens, dont
            // l'écologiste Yannick Jadot, avaient demandé le boycott`.
            // Nor is the comma that closes a participle apposition to a sentence-initial noun
            // phrase: `Les pays voisins du Mali, réunis en sommet, avaient réclamé …`.
            let comma = comma.filter(|&c| {
                let Some(p) = (lo..c)
                    .rev()
                    .find(|&p| cx.is_punct(p, ",") && !cx.inside_quote(p))
                else {
                    return true;
                };
                let next = cx.lw(p + 1);
                let relative = ["dont", "qui"].contains(&next.as_ref());
                let participle_apposition = lang == "fr"
                    && p > lo
                    && toks[p + 1].kind == TokenKind::Word
                    && !cx.raw(p + 1).starts_with(char::is_uppercase)
                    && past_participle(&next)
                    && (DETS.contains(&cx.lw(lo).as_ref())
                        || cx.raw(lo).starts_with(char::is_uppercase))
                    && (lo..p).all(|x| !cx.is_mark(x) && !cx.is_punct(x, ","));
                !(relative || participle_apposition)
            });
            let participle = lang == "fr" && cx.lw(cue.verb).ends_with("ant");
            // `…, X said` / `…, assure X` only when the cue clause closes the sentence (`…,
            // sources said.`, `…, he said in a statement`, `…, a-t-il ajouté, soulignant …`) or
            // follows a closing mark: `However, CNS reported that …` and `Le secrétaire général,
            // Jens Stoltenberg, appelle Moscou à …` are no incises.
            // (An English subject between the comma and the cue leaves no inverted subject
            // to skip after it: `In a speech, Trump laid out plans` is no incise.)
            let subject_between = lang == "en"
                && comma.is_some_and(|c| {
                    c + 1 < before_cue && cx.mention_ending(before_cue - 1, c + 1).is_some()
                });
            let tail_ok = {
                let mut k = cx.skip_adjuncts(cue.end, hi, true);
                let mut inverted_noun = false;
                if k < hi && !cx.is_punct(k, ",") && !cx.is_punct(k, ".") && !subject_between {
                    if let Some(m) = cx.subject_after(&cue, hi) {
                        inverted_noun = cue.pronoun.is_none();
                        k = cx.skip_adjuncts(
                            toks.partition_point(|t| t.span.start < m.end),
                            hi,
                            true,
                        );
                    }
                }
                let rest_punct = (k..hi).all(|x| toks[x].kind == TokenKind::Punct);
                // `…, said Jeffrey N. Trimble, a senior official with …`: an apposition to
                // the inverted subject closes the sentence too.
                let apposition = inverted_noun
                    && k + 1 < hi
                    && cx.is_punct(k, ",")
                    && ["a", "an", "the", "un", "une", "le", "la", "l'"]
                        .contains(&cx.lw(k + 1).as_ref());
                let adding = k + 1 < hi && cx.is_punct(k, ",") && {
                    let n = cx.lw(k + 1);
                    n.ends_with("ing") || n.ends_with("ant") || n == "et"
                };
                let after_mark = comma.is_some_and(|c| c > lo && cx.is_mark(c - 1) || question(c))
                    || comma.is_some_and(|c| c + 1 < hi && cx.is_mark(c + 1));
                rest_punct || adding || after_mark || apposition
            };
            // English mid-sentence incise: `Acts of protest, Mr. Obama said, are acts of
            // patriotism`: the whole sentence is the content (PolNeAR).
            // French, with an inverted pronoun: `Le tout, assure-t-il, dans un esprit …`.
            if let (false, Some(c)) = (tail_ok || participle, comma) {
                let k = cx.skip_adjuncts(cue.end, hi, true);
                let subject = match lang {
                    "en" => (c + 1 < before_cue)
                        .then(|| cx.mention_ending(before_cue - 1, c + 1))
                        .flatten()
                        // (Maybe after a title: `Mr. Clarke`, `Sen. Tester`.)
                        .filter(|m| {
                            let gap = &cx.text
                                [toks[c + 1].span.start..m.start.max(toks[c + 1].span.start)];
                            gap.split_whitespace()
                                .all(|w| w.starts_with(char::is_uppercase) && w.ends_with('.'))
                        }),
                    _ => cue.pronoun.filter(|_| c + 1 == before_cue),
                };
                let rest_words = (k + 1..hi)
                    .filter(|&x| toks[x].kind == TokenKind::Word)
                    .count();
                if subject.is_some() && k < hi && cx.is_punct(k, ",") && rest_words >= 2 && c > lo {
                    if let Some(content) = cx.sentence_span(lo, hi) {
                        push(&mut out, &mut last, content, cue_span, subject, 0.6);
                        continue;
                    }
                }
            }
            if let (true, Some(c)) = (!participle && (inv || lang == "en") && tail_ok, comma) {
                // (In `…, police said.` the words between the comma and the verb are its
                // subject, whatever they are.)
                let en_subject = (lang == "en" && c + 1 < before_cue)
                    .then(|| {
                        cx.mention_ending(before_cue - 1, c + 1)
                            .or_else(|| {
                                // (Before a party in parentheses: `Sen. Lindsey Graham
                                // (R-S.C.) told`.)
                                let o = (c + 1..before_cue)
                                    .rev()
                                    .find(|&o| cx.is_punct(o, "("))
                                    .filter(|_| cx.is_punct(before_cue - 1, ")"))?;
                                (o > c + 1)
                                    .then(|| cx.mention_ending(o - 1, c + 1))
                                    .flatten()
                            })
                            .or_else(|| {
                                (before_cue - c <= 4
                                    && (c + 1..before_cue).all(|x| toks[x].kind == TokenKind::Word))
                                .then(|| cx.span(c + 1, before_cue))
                            })
                    })
                    .flatten();
                // English inverts only verbs of saying (`…, said Smith`, `…, added the
                // senator`), never before a possessive (`…, stressed her support`), and never
                // after a name in apposition (`Another host, Abby Martin, had denounced …`).
                let en_inversion_ok = || {
                    let says = lex.verbs.lookup(&cx.lw(cue.verb)).iter().any(|&v| {
                        let v = &lex.verbs.verbs[v as usize];
                        v.lang == "en"
                            && [
                                "speech", "add", "explain", "assert", "write", "ask", "report",
                            ]
                            .contains(&v.class.as_str())
                    });
                    let possessive = cue.end < hi
                        && ["her", "his", "their", "its", "our", "my"]
                            .contains(&cx.lw(cue.end).as_ref());
                    let end = toks[c.saturating_sub(1)].span.end;
                    let apposition = cx.mentions_ending(end).any(|(a, m)| {
                        a.kind == ActorKind::Person && (m.kind == "name" || m.kind == "short_name")
                    });
                    says && !possessive && !apposition
                };
                let mention = if lang == "en" {
                    en_subject.or_else(|| {
                        en_inversion_ok()
                            .then(|| cx.subject_after(&cue, hi))
                            .flatten()
                    })
                } else {
                    cx.subject_after(&cue, hi)
                };
                if mention.is_some() {
                    // The closing mark right before the comma: a direct quote (maybe begun earlier).
                    let close_at = toks[c].span.start;
                    // The closing mark before the comma (`»,`), or right after it (`,"`).
                    let comma_end = toks[c].span.end;
                    let near = |at: usize| {
                        let k = cx.closes.partition_point(|&(c, _)| c < at);
                        cx.closes[k..]
                            .iter()
                            .take_while(move |&&(c, _)| c <= at + 8)
                    };
                    let pair = near(close_at.saturating_sub(8))
                        .chain(near(comma_end))
                        .map(|&(_, i)| i)
                        .filter(|&i| {
                            p.quotes[i].close.is_some_and(|cl| {
                                (cl.end <= close_at && close_at - cl.end <= 2)
                                    || (cl.start >= comma_end && cl.start - comma_end <= 1)
                                    || cl.start == close_at
                            })
                        })
                        .min()
                        .map(|i| &p.quotes[i]);
                    // A continuation guess (no cue) gives way to the quote's own incise.
                    if let Some(q) = pair {
                        let mut x = out.len().saturating_sub(RECENT_QUOTES);
                        while x < out.len() {
                            if out[x].cue.is_none() && out[x].content == q.content {
                                out.remove(x);
                                // (Cue-less, so the last cue stands; what was scanned shifts.)
                                let (scanned, last) = cx.last_cue.get();
                                if x < scanned {
                                    cx.last_cue.set((scanned - 1, last));
                                }
                            } else {
                                x += 1;
                            }
                        }
                    }
                    match pair.filter(|q| !covered(&out, q.content)) {
                        Some(q) => {
                            let whole = q.open.start <= toks[lo].span.start
                                || cx.text[toks[lo].span.start..q.open.start].trim().is_empty();
                            // `"A", et "B", a-t-elle tweeté`: quotes joined by `et` or a comma
                            // are so many direct quotes of the same cue.
                            let from = toks[lo].span.start;
                            let first = p.quotes.partition_point(|x| x.open.start < from);
                            let before: Vec<&QuotePair> = p.quotes[first..]
                                .iter()
                                .take_while(|x| x.open.start < q.open.start)
                                .filter(|x| {
                                    x.depth == 0 && x.close.is_some_and(|cl| cl.end <= q.open.start)
                                })
                                .collect();
                            let joined = !whole && !before.is_empty() && {
                                let mut rest = cx.text[from..q.open.start].to_string();
                                for x in before.iter().rev() {
                                    let cl = x.close.expect("closed");
                                    rest.replace_range(x.open.start - from..cl.end - from, " ");
                                }
                                rest.split(|c: char| c.is_whitespace() || c == ',')
                                    .all(|w| ["", "et", "and", "puis", "ou", "or"].contains(&w))
                            };
                            if joined {
                                for x in &before {
                                    push(&mut out, &mut last, x.content, cue_span, mention, 0.85);
                                }
                                let t = cx.text[q.content.start..q.content.end]
                                    .trim_end_matches([',', ' ']);
                                let c = ByteSpan::new(q.content.start, q.content.start + t.len());
                                push(&mut out, &mut last, c, cue_span, mention, 0.85);
                                continue;
                            }
                            let content = if whole {
                                let c = q.content;
                                let t = cx.text[c.start..c.end].trim_end_matches([',', ' ']);
                                ByteSpan::new(c.start, c.start + t.len())
                            } else {
                                let from = cx.after_framing_clause(lo, c);
                                ByteSpan::new(toks[from].span.start, toks[c].span.start)
                            };
                            push(&mut out, &mut last, content, cue_span, mention, 0.9);
                            // `« X », dit-il, « Y »`: the second part.
                            let mut e = cue.end;
                            while e < hi && !cx.is_punct(e, ",") && e - cue.end < 8 {
                                e += 1;
                            }
                            if e + 1 < hi && cx.is_mark(e + 1) {
                                if let Some(q2) =
                                    cx.quote_opening_at(e + 1).filter(|q2| q2.depth == 0)
                                {
                                    push(&mut out, &mut last, q2.content, cue_span, mention, 0.85);
                                }
                            }
                        }
                        _ => {
                            if c > lo {
                                let content = cx.span(cx.after_framing_clause(lo, c), c);
                                push(&mut out, &mut last, content, cue_span, mention, 0.75);
                            }
                        }
                    }
                    continue;
                }
            }
            let next = (cue.end < hi).then(|| cx.lw(cue.end));
            // 7. a participle: `…, saluant le soutien …` (the sentence's speaker), or
            // `Jeremy Corbyn a réagi sur Twitter, estimant qu'« … »` (the sentence's subject).
            // (A gerund too: `…, précise l'EMA, en précisant que …`, `en appelant sur BFMTV à …`.)
            let gerund = participle && cue.verb > lo && cx.lw(cue.verb - 1) == "en";
            // (Or right after the speaker of the sentence's quote: `comme le rappelle un ancien
            // responsable d'un syndicat faisant état d'« arrestations … »`.)
            let after_speaker = cue.verb > lo
                && out.last().is_some_and(|q| {
                    q.mention
                        .is_some_and(|m| m.end == toks[cue.verb - 1].span.end)
                        && last.as_ref().is_some_and(|l| l.1 == sent as usize)
                });
            if participle
                && cue.verb > lo
                && (cx.is_punct(cue.verb - 1, ",") || gerund || after_speaker)
            {
                let at = cx.skip_adjuncts(cue.end, hi, false);
                let next = (at < hi).then(|| cx.lw(at));
                let speaker = last
                    .clone()
                    .filter(|l| l.1 == sent as usize)
                    .map(|l| l.0)
                    .or_else(|| {
                        cx.sentence_subject(lo, cue.verb)
                            .and_then(|m| cx.speaker(m, None, &out))
                    })
                    .or_else(|| {
                        cx.main_subject(lo, cue.verb, hi, &out)
                            .and_then(|m| cx.speaker(m, None, &out))
                    })
                    .or_else(|| {
                        // (A subject pronoun opening the sentence: `Il avait également suscité
                        // une controverse en appelant à …`.)
                        PRONOUNS
                            .contains(&cx.lw(lo).as_ref())
                            .then(|| cx.speaker(cx.span(lo, lo + 1), None, &out))
                            .flatten()
                    });
                if let Some(s) = speaker {
                    if next.as_deref().is_some_and(|n| {
                        DETS.contains(&n)
                            || ["de", "d'", "à", "que", "qu'", "ne", "n'"].contains(&n)
                    }) {
                        // (`que`, and the preposition before a quoted complement, stay out:
                        // `en appelant à « rentrer » …`, `faisant état d'« arrestations »`.)
                        let marker = next.as_deref().is_some_and(|n| {
                            ["que", "qu'"].contains(&n)
                                || (["à", "de", "d'"].contains(&n)
                                    && at + 1 < hi
                                    && cx.is_mark(at + 1))
                        });
                        let from = if marker { at + 1 } else { at };
                        if let Some(c) = cx.to_sentence_end(from, hi) {
                            if !c.is_empty() && !covered(&out, c) {
                                let (kind, content) = cx.classify(c);
                                out.push(QuoteFound {
                                    kind,
                                    content,
                                    cue: cue_span,
                                    mention: None,
                                    speaker: Some(s),
                                    confidence: 0.6,
                                });
                            }
                        }
                    }
                }
                continue;
            }
            // 7b. `en ajoutant : « … »`
            if participle {
                if let (Some(":"), Some((s, _))) = (next.as_deref(), last.clone()) {
                    if cue.end + 1 < hi && cx.is_mark(cue.end + 1) {
                        if let Some(q) = cx
                            .quote_opening_at(cue.end + 1)
                            .filter(|q| !covered(&out, q.content))
                        {
                            out.push(QuoteFound {
                                kind: QuoteType::Direct,
                                content: q.content,
                                cue: cue_span,
                                mention: None,
                                speaker: Some(s),
                                confidence: 0.7,
                            });
                        }
                    }
                }
                continue;
            }
            // `a déclaré mardi à l'AFP que …`: adjuncts and the addressee come first.
            let mut at = cx.skip_adjuncts(cue.end, hi, true);
            // `told CNN that …`, `warned reporters he …`: the addressee comes first.
            if lang == "en" && at < hi && EN_ADDRESSEE_VERBS.contains(&cx.lw(cue.verb).as_ref()) {
                let mut k = at;
                if EN_OBJECTS.contains(&cx.lw(k).as_ref()) {
                    k += 1;
                } else {
                    while k < hi
                        && k - at < 5
                        && cx.p.tokens[k].kind == TokenKind::Word
                        && (cx.raw(k).starts_with(char::is_uppercase)
                            || (k == at && DETS.contains(&cx.lw(k).as_ref())))
                    {
                        k += 1;
                    }
                }
                at = cx.skip_adjuncts(k, hi, true);
            }
            // 2. a que / that clause.
            if let Some(n) = (at < hi).then(|| cx.lw(at)) {
                if ["que", "qu'", "that"].contains(&n.as_ref()) && cue.has("que") {
                    let mention = cx.subject(&cue, lo, &out);
                    // English annotations (PolNeAR) keep `that` in the content; French ones
                    // leave `que` out.
                    let from = if lang == "en" { at } else { at + 1 };
                    if let Some(c) = cx.to_sentence_end(from, hi) {
                        push(&mut out, &mut last, c, cue_span, mention, 0.85);
                    }
                    continue;
                }
                // 3. a colon and a quote (English also takes a comma: `added, “…”`).
                if (n == ":" || (n == "," && lang == "en")) && at + 1 < hi && cx.is_mark(at + 1) {
                    if let Some(q) = cx.quote_opening_at(at + 1) {
                        let mention = cx.subject(&cue, lo, &out);
                        push(&mut out, &mut last, q.content, cue_span, mention, 0.85);
                    }
                    continue;
                }
                // 3b. a colon that ends the sentence: what follows (a quote, or the next
                // paragraph) is the content (`He said:` ⏎ `"We have a situation …"`).
                if n == ":" && at + 1 == hi && cue.has("colon") && hi < toks.len() {
                    let q = cx
                        .quote_opening_at(hi)
                        .filter(|q| q.depth == 0 && q.close.is_some());
                    let content = match q {
                        Some(q) => Some(q.content),
                        None => cx.to_paragraph_end(hi),
                    };
                    let mention = cx.subject(&cue, lo, &out);
                    if let (Some(c), Some(_)) = (content, mention) {
                        push(&mut out, &mut last, c, cue_span, mention, 0.7);
                    }
                    continue;
                }
                // 2b. English: a clause without `that` (`said he would`, `says there is`,
                // `told CNN the plan …`), after a subject.
                let head = n.split(['\'', '’']).next().unwrap_or(&n);
                // (A bare noun opens one too when a finite verb follows soon: `believe
                // bigotry and xenophobia are acceptable`.)
                let finite_soon = || {
                    (at + 1..hi.min(at + 8))
                        .take_while(|&x| toks[x].kind != TokenKind::Punct)
                        .any(|x| EN_FINITE.contains(&cx.lw(x).as_ref()))
                };
                let clause_start = EN_CLAUSE_STARTS.contains(&head)
                    || cx
                        .raw(at)
                        .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
                    || (toks[at].kind == TokenKind::Word
                        && !PREPS.contains(&head)
                        && !["and", "but", "or", "as", "than", "about"].contains(&head)
                        && finite_soon());
                // 2c. English: a topic after `about` / `of` (`spoke about her deep ties`,
                // `complained about his mic`).
                if lang == "en" && cue.has("about") && (n == "about" || n == "of") {
                    let mention = cx.subject(&cue, lo, &out);
                    if mention.is_some() {
                        if let Some(c) = cx.to_sentence_end(at + 1, hi) {
                            push(&mut out, &mut last, c, cue_span, mention, 0.6);
                        }
                        continue;
                    }
                }
                if lang == "en" && cue.has("que") && clause_start && !n.ends_with("ing") {
                    let ing = cx.lw(cue.verb).ends_with("ing");
                    let mention = if ing {
                        // `…, saying he would …`: the speaker of the sentence's quote, or the
                        // subject that opens the sentence.
                        cx.earlier_in_sentence(lo, cue.start, &out)
                            .or_else(|| cx.sentence_subject(lo, cue.verb))
                            .or_else(|| cx.main_subject(lo, cue.start, hi, &out))
                            .or_else(|| cx.mention_ending(lo, lo))
                    } else {
                        cx.subject(&cue, lo, &out)
                    };
                    if mention.is_some() {
                        if let Some(c) = cx.to_sentence_end(at, hi) {
                            push(&mut out, &mut last, c, cue_span, mention, 0.7);
                        }
                        continue;
                    }
                }
            }
            // 6. a noun-phrase or infinitive complement after a finite verb with a subject:
            // `Son entourage dénonce un empoisonnement`, `Merkel presse Moscou de …`,
            // `le Kremlin affirme ne voir …`.
            // French: a bare past participle (`la fermeture annoncée`, `ayant analysé`) or an
            // infinitive (`annonce vouloir interroger`) is no reporting act of its own.
            let verb_form = cx.lw(cue.verb);
            let bare = lang == "fr"
                && cue.start == cue.verb
                && cue.pronoun.is_none()
                && (["é", "ée", "és", "ées"]
                    .iter()
                    .any(|e| verb_form.ends_with(e))
                    || lex
                        .verbs
                        .lookup(&verb_form)
                        .iter()
                        .any(|&v| lex.verbs.verbs[v as usize].lemma == verb_form));
            let takes = !bare && ["np", "inf", "de", "a"].iter().any(|f| cue.has(f));
            let complement_at = |k: usize| {
                k < hi && {
                    let n = cx.lw(k);
                    let n = n.as_ref();
                    // English complements open with almost any word (`called for female
                    // contestants to …`, `derided the deal`), not with a conjunction, a time
                    // word (`said Tuesday`) or a particle (`backed out`, `showed up`).
                    !TIME_WORDS.contains(&n)
                        && ((lang == "en"
                            && toks[k].kind == TokenKind::Word
                            && ![
                                "and", "but", "or", "which", "who", "as", "than", "that", "if",
                                "up", "out", "off", "down", "away", "back",
                            ]
                            .contains(&n)
                            && !ADJUNCT_PREPS.contains(&n))
                            || DETS.contains(&n)
                            || ["de", "d'", "à", "aux", "au", "ne", "n'"].contains(&n)
                            || n.ends_with("er")
                            || n.ends_with("ir")
                            || cx.raw(k).starts_with(char::is_uppercase)
                            || cx.is_mark(k))
                }
            };
            // `a évoqué mardi soir un complot`, `a appelé sur Twitter « à un retour … »`.
            // (An outlet addressed comes first: `a confirmé à l'AFP « … »`.)
            let to_outlet = cue.end + 1 < hi
                && ["à", "au", "aux", "to"].contains(&cx.lw(cue.end).as_ref())
                && (cue.end + 1..(cue.end + 3).min(hi)).any(|k| {
                    cx.mentions_starting(toks[k].span.start)
                        .any(|(a, _)| a.kind == ActorKind::Outlet)
                });
            let c0 = [
                (!to_outlet).then_some(cue.end),
                Some(cx.skip_adjuncts(cue.end, hi, to_outlet)),
            ]
            .into_iter()
            .flatten()
            .find(|&k| complement_at(k));
            if let (true, Some(c0)) = (takes, c0) {
                if let Some(mention) = cx.subject(&cue, lo, &out) {
                    let named = cx.mentions_within(mention).next().is_some();
                    // (Or the antecedent of a relative: `un mouvement … qui réclamait`.)
                    let adjacent = mention.end <= toks[cue.start].span.start && {
                        let between = cx.text[mention.end..toks[cue.start].span.start]
                            .trim_matches(|c: char| c == ',' || c.is_whitespace());
                        between.is_empty() || between == "qui"
                    };
                    // A named subject, a compound tense (`a immédiatement dénoncé`), or a
                    // subject right before the verb (`Son entourage dénonce`).
                    if named || cue.start < cue.verb || adjacent {
                        // `a rendu hommage aux militaires tués, à l'occasion de …: « Toutes
                        // nos pensées … »`: a quote after a colon is what the cue reports.
                        // (Unless another reporting verb introduces it: `a réfuté l'idée
                        // d'un prêt affirmant : « … »`.)
                        let colon_quote = (c0..hi.saturating_sub(1))
                            .take_while(|&k| cx.single[k] == 0 || k == c0)
                            .find(|&k| cx.is_punct(k, ":") && cx.is_mark(k + 1))
                            .and_then(|k| {
                                cx.quote_opening_at(k + 1)
                                    .filter(|q| q.depth == 0 && q.close.is_some())
                            });
                        let content = match colon_quote {
                            Some(q) => Some(q.content),
                            None => cx.to_sentence_end(c0, hi),
                        };
                        if let Some(c) = content {
                            push(&mut out, &mut last, c, cue_span, Some(mention), 0.6);
                        }
                    }
                }
            }
        }
        // 8. quotes in marks continuing the last speaker's quote.
        let (from, to) = (toks[lo].span.start, toks[hi - 1].span.end);
        let first = p.quotes.partition_point(|q| q.open.start < from);
        for q in p.quotes[first..]
            .iter()
            .take_while(|q| q.open.start < to)
            .filter(|q| q.depth == 0 && q.close.is_some())
        {
            if covered(&out, q.content) {
                continue;
            }
            let words = cx.text[q.content.start..q.content.end]
                .split_whitespace()
                .count();
            // A scare quote or a title is short; a short sentence of speech (`“I would,
            // Donald.”`) opens with a capital and closes with its own stop.
            let inner = cx.text[q.content.start..q.content.end].trim_end_matches([',', ' ']);
            let sentence =
                inner.starts_with(char::is_uppercase) && inner.ends_with(['.', '!', '?', '…']);
            if words < 4 && !(sentence && words >= 2) {
                continue;
            }
            if let Some((s, sent_of)) = &last {
                if (sent as usize).saturating_sub(*sent_of) <= 2 {
                    let s = s.clone();
                    out.push(QuoteFound {
                        kind: QuoteType::Direct,
                        content: q.content,
                        cue: None,
                        mention: None,
                        speaker: Some(s),
                        confidence: 0.6,
                    });
                    last = Some((
                        out.last()
                            .and_then(|x| x.speaker.clone())
                            .expect("just pushed"),
                        sent as usize,
                    ));
                }
            }
        }
        i = hi;
    }
    out.sort_by_key(|q| q.content.start);
    if lang == "en" {
        merge_interrupted(&mut out, p);
    }
    out
}

/// English annotations (PolNeAR) keep a quote interrupted by its cue as one span:
/// `“A,” X said. “B”` is one quote from A to B when both parts are in marks, in the same
/// paragraph, by the same speaker, with the cue clause between them (at most one sentence
/// and 400 bytes), the second without a cue of its own or with the same one.
fn merge_interrupted(out: &mut Vec<QuoteFound>, p: &Prepared) {
    let paragraph = |pos: usize| p.paragraphs.partition_point(|par| par.end <= pos);
    // The cue clause sits between the parts, and is at most one sentence: the cue's own
    // (`“A,” said Douglas Holtz-Eakin, an economist who served …. “B”`).
    let interrupts = |a: usize, b: usize, cue: Option<ByteSpan>| {
        cue.is_some_and(|c| a <= c.start && c.end <= b)
            && p.sentences
                .iter()
                .filter(|s| a < s.0.start && s.0.start < b)
                .count()
                <= 1
    };
    let mut merged: Vec<QuoteFound> = Vec::with_capacity(out.len());
    for q in out.drain(..) {
        if let Some(prev) = merged.last_mut() {
            let between = &p.norm.text[prev.content.end.min(q.content.start)..q.content.start];
            let same_speaker =
                prev.speaker.as_ref().map(|s| &s.name) == q.speaker.as_ref().map(|s| &s.name);
            if prev.kind == QuoteType::Direct
                && q.kind == QuoteType::Direct
                && same_speaker
                && prev.content.end <= q.content.start
                && between.len() <= 400
                && interrupts(prev.content.end, q.content.start, prev.cue.or(q.cue))
                && paragraph(prev.content.start) == paragraph(q.content.start)
                && (q.cue.is_none() || q.cue == prev.cue || prev.cue.is_none())
            {
                prev.content = ByteSpan::new(prev.content.start, q.content.end);
                if prev.cue.is_none() {
                    prev.cue = q.cue;
                    prev.mention = q.mention;
                }
                continue;
            }
        }
        merged.push(q);
    }
    *out = merged;
}
