//! Hostile inputs: texts built to make an analysis pipeline superlinear in time or memory.
//!
//! Each generator writes a text of about `n` bytes from one pattern (unclosed quote marks,
//! elision chains, runs of abbreviations, pronoun chains, nested marks…). The suite in
//! `tests/hostile.rs` analyses every one of them at two sizes and checks that time and memory
//! grow linearly, within the budgets of docs/limits.md. Generators are deterministic (a fixed-seed generator for the random ones), so a
//! failure is reproducible from its name and size alone: nothing large is stored in the
//! repository.

/// A named generator of hostile texts.
pub struct Hostile {
    /// Short name, used in reports.
    pub name: &'static str,
    /// What the pattern attacks.
    pub about: &'static str,
    /// Writes a text of about `n` bytes.
    pub make: fn(usize) -> String,
}

/// Repeats `unit` until the text holds about `n` bytes.
fn repeat(unit: &str, n: usize) -> String {
    unit.repeat(n.div_ceil(unit.len().max(1)))
}

/// Repeats units produced by `f(i)` until the text holds about `n` bytes.
fn build(n: usize, mut f: impl FnMut(usize, &mut String)) -> String {
    let mut s = String::with_capacity(n + 64);
    let mut i = 0;
    while s.len() < n {
        f(i, &mut s);
        i += 1;
    }
    s
}

/// A small deterministic generator (xorshift64*), for the random patterns.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Random picks from `alphabet` (strings), deterministic for a given seed.
fn random(n: usize, seed: u64, alphabet: &[&str]) -> String {
    let mut rng = Rng(seed);
    build(n, |_, s| s.push_str(rng.pick(alphabet)))
}

const NAMES: &[&str] = &[
    "Emmanuel Macron",
    "Sadio Camara",
    "Angela Merkel",
    "Olivier Dussopt",
    "Marine Le Pen",
    "Donald Trump",
    "Vladimir Poutine",
    "Assimi Goïta",
];

/// Every hostile pattern of the suite.
pub const ALL: &[Hostile] = &[
    Hostile {
        name: "unclosed_guillemets",
        about: "opening guillemets never closed, in one sentence",
        make: |n| repeat("« ", n),
    },
    Hostile {
        name: "curly_open_run",
        about: "20,000 “ in a row (defect 1 of issue 16)",
        make: |n| repeat("“", n),
    },
    Hostile {
        name: "straight_quote_run",
        about: "straight double quotes, ambiguous in both directions",
        make: |n| repeat("\"", n),
    },
    Hostile {
        name: "nested_guillemets",
        about: "quotes nested as deep as the text allows",
        make: |n| {
            let k = n / 6;
            format!("{}mot{}", "« ".repeat(k), " »".repeat(k))
        },
    },
    Hostile {
        name: "nested_mixed_marks",
        about: "the three families nested in turn",
        make: |n| {
            let k = n / 18;
            format!("{}x{}", "« “ ‘".repeat(k), "’ ” »".repeat(k))
        },
    },
    Hostile {
        name: "unclosed_per_sentence",
        about: "an unclosed quote in every sentence",
        make: |n| repeat("Il a dit « que tout va bien. ", n),
    },
    Hostile {
        name: "random_marks",
        about: "quote marks, apostrophes, spaces and words at random",
        make: |n| {
            random(
                n,
                7,
                &[
                    "«", "»", "“", "”", "„", "\"", "'", "‘", "’", " ", " ", "a", "Il", ".", "\n",
                    "dit", ",",
                ],
            )
        },
    },
    Hostile {
        name: "pronoun_quotes",
        about: "a named speaker, then a pronoun quote, repeated (defect 2)",
        make: |n| {
            repeat(
                "Emmanuel Macron a déclaré que « la France restera ». Il a ajouté : « non ». ",
                n,
            )
        },
    },
    Hostile {
        name: "many_speakers",
        about: "many distinct names, each quoted, then pronouns and nominal anaphora",
        make: |n| {
            build(n, |i, s| {
                let first = ["Jean", "Marie", "Paul", "Claire", "Ali", "Fatou"][i % 6];
                s.push_str(&format!(
                    "{first} Martin{i}, ministre de la Défense, a déclaré : « nous avancons ». \
                     Le ministre a ajouté qu'il partait. Elle a répondu : « non ». "
                ))
            })
        },
    },
    Hostile {
        name: "english_incises",
        about: "English incises and `according to`, repeated",
        make: |n| {
            repeat(
                "\"We will win,\" he said. According to Donald Trump, the deal is done. \
                 She told reporters that it was over. ",
                n,
            )
        },
    },
    Hostile {
        name: "one_long_sentence",
        about: "one sentence of names and commas, never ended",
        make: |n| {
            let mut rng = Rng(3);
            build(n, |_, s| {
                s.push_str(rng.pick(NAMES));
                s.push_str(", selon qui ");
            })
        },
    },
    Hostile {
        name: "elision_chain",
        about: "l'l'l'… (defect 3)",
        make: |n| repeat("l'", n),
    },
    Hostile {
        name: "hyphen_chain",
        about: "a-a-a-… one word of inner hyphens",
        make: |n| repeat("a-", n),
    },
    Hostile {
        name: "abbreviation_run",
        about: "M.M.M.… without spaces (defect 4)",
        make: |n| repeat("M.", n),
    },
    Hostile {
        name: "dotted_acronym_run",
        about: "U.S.U.S.… a dotted acronym that never ends",
        make: |n| repeat("U.S.", n),
    },
    Hostile {
        name: "long_word",
        about: "one word without spaces",
        make: |n| repeat("a", n),
    },
    Hostile {
        name: "long_number",
        about: "digits with separators, one number",
        make: |n| repeat("1.000,5", n),
    },
    Hostile {
        name: "capitalised_run",
        about: "capitalised words without punctuation (one huge name?)",
        make: |n| repeat("Jean ", n),
    },
    Hostile {
        name: "acronym_run",
        about: "upper-case words, organisation acronyms",
        make: |n| repeat("ONU UE OTAN FMI ", n),
    },
    Hostile {
        name: "names_and_countries",
        about: "gazetteer names, countries and their adjectives",
        make: |n| {
            repeat(
                "La Russie et le Mali, Moscou et Bamako, l'armée russe et les forces maliennes. ",
                n,
            )
        },
    },
    Hostile {
        name: "stance_words",
        about: "evaluative words next to actors, for the stance layer",
        make: |n| {
            repeat(
                "La Russie, partenaire stratégique constant et sincère, dénonce les \
                 manipulations de la France. ",
                n,
            )
        },
    },
    Hostile {
        name: "codebook_terms",
        about: "one codebook term repeated (NEAR windows)",
        make: |n| repeat("partenaire coopération souveraineté Russie ", n),
    },
    Hostile {
        name: "speaker_labels",
        about: "speaker labels and dash signatures",
        make: |n| repeat("WALLACE: yes.\n— Jean Dupont\n", n),
    },
    Hostile {
        name: "colons",
        about: "colon after colon",
        make: |n| repeat("Il a dit : ", n),
    },
    Hostile {
        name: "selon_chain",
        about: "selon after selon",
        make: |n| repeat("selon M. Dupont ", n),
    },
    Hostile {
        name: "parentheses",
        about: "parentheses opened and never closed",
        make: |n| repeat("(", n),
    },
    Hostile {
        name: "newlines",
        about: "empty paragraphs",
        make: |n| repeat("\n", n),
    },
    Hostile {
        name: "one_word_paragraphs",
        about: "a paragraph per word",
        make: |n| repeat("Mot\n\n", n),
    },
    Hostile {
        name: "punctuation_run",
        about: "sentence punctuation only",
        make: |n| repeat(".!?…", n),
    },
    Hostile {
        name: "combining_marks",
        about: "letters with combining accents (normalisation)",
        make: |n| repeat("e\u{301}", n),
    },
    Hostile {
        name: "emoji_and_scripts",
        about: "emoji, CJK and Arabic between French words",
        make: |n| repeat("le 😀 ministre 中国 قال « دعم » ", n),
    },
    Hostile {
        name: "control_characters",
        about: "NUL, BOM and other control characters",
        make: |n| repeat("\u{0}\u{feff}\u{1}a\u{7f}\r", n),
    },
    Hostile {
        name: "unclosed_inside_closed",
        about: "a mark left open inside each closed quote",
        make: |n| repeat("« “ x » ", n),
    },
    Hostile {
        name: "marks_then_cue",
        about: "a quote in marks, then its cue without a comma, repeated",
        make: |n| repeat("« Non » a dit Emmanuel Macron. ", n),
    },
    Hostile {
        name: "label_transcript",
        about: "one speaker's labels, line after line, no cue",
        make: |n| repeat("Emmanuel Macron : oui.\n", n),
    },
    Hostile {
        name: "nominal_anaphora",
        about: "a named minister, then `le ministre` and `il`, repeated",
        make: |n| {
            repeat(
                "Le ministre de la Défense, Sadio Camara, est arrivé. Le ministre a déclaré \
                 que tout allait bien. L'officier a ajouté qu'il restait. ",
                n,
            )
        },
    },
    Hostile {
        name: "english_capitals",
        about: "English capitalised runs and gazetteer names",
        make: |n| {
            repeat(
                "The United Nations And The European Union Met In New York. Donald Trump said \
                 so. ",
                n,
            )
        },
    },
    Hostile {
        name: "apostrophe_marks",
        about: "straight apostrophes between words and marks",
        make: |n| repeat("l'« a' » 'b' d'' ", n),
    },
    Hostile {
        name: "random_french",
        about: "French words, names, cues and punctuation at random",
        make: |n| {
            random(
                n,
                11,
                &[
                    "Macron ",
                    "il ",
                    "elle ",
                    "a déclaré ",
                    "que ",
                    "« ",
                    "» ",
                    ". ",
                    ", ",
                    "selon ",
                    "le ministre ",
                    "Russie ",
                    "France ",
                    ": ",
                    "l'",
                    "M. ",
                    "\n",
                    "a ajouté ",
                    "qu'",
                    "dénonce ",
                    "partenaire ",
                ],
            )
        },
    },
];
