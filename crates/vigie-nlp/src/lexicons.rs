//! Word lists read from resources/lexicons and resources/outlets: reporting verbs, role nouns,
//! metonymy cues, outlet credit cues. Each file documents its own format and provenance.

use crate::resources::data_lines;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};

/// One reporting verb lemma.
#[derive(Debug, Clone)]
pub struct Verb {
    /// Infinitive (`déclarer`, `say`).
    pub lemma: String,
    /// Language (`fr`, `en`).
    pub lang: String,
    /// Semantic class (`speech`, `assert`, `opinion`, ...).
    pub class: String,
    /// Complement frames (`que`, `inf`, `np`, `inv`, `colon`, `de`, `a`, `about`, `raise`).
    pub frames: Vec<String>,
    /// The same frames as bits ([`frame_bit`]).
    pub frame_mask: u16,
}

/// The bit of a complement frame in [`Verb::frame_mask`].
pub fn frame_bit(frame: &str) -> u16 {
    match frame {
        "que" => 1,
        "inf" => 2,
        "np" => 4,
        "inv" => 8,
        "colon" => 16,
        "de" => 32,
        "a" => 64,
        "about" => 256,
        "raise" => 512,
        _ => 0,
    }
}

/// Reporting verbs of both languages, with every inflected form.
#[derive(Debug, Clone, Default)]
pub struct ReportingVerbs {
    /// Lemmas.
    pub verbs: Vec<Verb>,
    /// Lower-case form → indices into `verbs`.
    pub forms: FxHashMap<String, Vec<u32>>,
    /// First words of the forms of several words (`fait` for `fait état`).
    pub multi_first: FxHashSet<String>,
}

impl ReportingVerbs {
    fn add(&mut self, file: &str, name: &str, lang: &str) -> Result<(), String> {
        for (n, line) in data_lines(file).enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() != 4 {
                return Err(format!(
                    "{name}: data line {} has {} columns, 4 expected",
                    n + 1,
                    c.len()
                ));
            }
            let id = self.verbs.len() as u32;
            self.verbs.push(Verb {
                lemma: c[0].into(),
                lang: lang.into(),
                class: c[1].into(),
                frames: c[2].split(',').map(str::to_string).collect(),
                frame_mask: c[2].split(',').map(frame_bit).fold(0, |a, b| a | b),
            });
            for f in c[3].split(',').map(str::trim).filter(|f| !f.is_empty()) {
                if let Some((first, _)) = f.split_once(' ') {
                    self.multi_first.insert(first.to_lowercase());
                    // Present in `forms` (maybe with no lemma), so one look-up tells whether a
                    // word can start a cue.
                    self.forms.entry(first.to_lowercase()).or_default();
                }
                self.forms.entry(f.to_lowercase()).or_default().push(id);
            }
        }
        Ok(())
    }

    /// The lemmas a (lower-case) form belongs to.
    pub fn lookup(&self, form: &str) -> &[u32] {
        self.forms.get(form).map_or(&[], Vec::as_slice)
    }

    /// The frame bits of `lemmas` that belong to language `lang`, with bit 128 set when there
    /// is one (0: no lemma of that language).
    pub fn frames(&self, lemmas: &[u32], lang: &str) -> u16 {
        lemmas
            .iter()
            .map(|&v| &self.verbs[v as usize])
            .filter(|v| v.lang == lang)
            .fold(0, |m, v| m | v.frame_mask | 128)
    }

    /// `None` when the form can start no cue; else its lemmas (maybe none: the first word of
    /// a multiword cue, `fait` of `fait état`). One hash look-up.
    pub fn cue_entry(&self, form: &str) -> Option<&[u32]> {
        self.forms.get(form).map(Vec::as_slice)
    }
}

/// A role noun (`ministre`, `colonel`, `spokesman`).
#[derive(Debug, Clone)]
pub struct RoleNoun {
    /// Language.
    pub lang: String,
    /// Canonical form (the first listed).
    pub noun: String,
    /// Class (`government`, `military`, `interview`, ...).
    pub class: String,
    /// Nouns that may refer back to a holder of this role.
    pub hypernyms: Vec<String>,
}

/// Role nouns, by form.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    /// Nouns.
    pub nouns: Vec<RoleNoun>,
    /// Lower-case form (words joined by single spaces) → index into `nouns`.
    pub by_form: FxHashMap<String, usize>,
    /// Most words in a form.
    pub max_words: usize,
    /// First word of every form (before a space, or up to an apostrophe: `chef`, `l'`).
    pub first_words: FxHashSet<String>,
}

impl Roles {
    /// Does a holder of role `held` (a noun index) fit the anaphoric noun `form`?
    pub fn fits(&self, held: usize, form: &str) -> bool {
        let n = &self.nouns[held];
        self.by_form.get(form) == Some(&held) || n.hypernyms.iter().any(|h| h == form) || {
            // `le ministre` fits a `premier ministre`: the anaphor names the head of the role.
            n.noun.ends_with(&format!(" {form}"))
        }
    }
}

/// Cues that a capital or seat stands for its government.
#[derive(Debug, Clone, Default)]
pub struct MetonymyCues {
    /// Prepositions of relation (`avec`, `entre`).
    pub relation: FxHashSet<String>,
    /// Verb forms taking a party before `à` (`permettait`).
    pub dative: FxHashSet<String>,
    /// Auxiliaries and verbs after which the name is an agent (`a`, `accuse`).
    pub agent: FxHashSet<String>,
}

/// Class nouns of non-person anaphora (`l'ONG`, `le communiqué`), by language.
#[derive(Debug, Clone, Default)]
pub struct AnaphoraNouns {
    /// Nouns that refer back to an organisation: (language, noun).
    pub organization: FxHashSet<(String, String)>,
    /// Nouns of documents that stand for their issuer: (language, noun).
    pub document: FxHashSet<(String, String)>,
}

impl AnaphoraNouns {
    /// The kind of a noun of language `lang` (singular or plural in -s/-x): `organization` or
    /// `document`.
    pub fn kind(&self, lang: &str, noun: &str) -> Option<&'static str> {
        let singular = noun.strip_suffix(['s', 'x']).unwrap_or(noun);
        if noun.len() > 16 || self.organization.is_empty() && self.document.is_empty() {
            return None; // (class nouns are short)
        }
        [noun, singular].iter().find_map(|n| {
            let key = (lang.to_string(), n.to_string());
            if self.organization.contains(&key) {
                Some("organization")
            } else if self.document.contains(&key) {
                Some("document")
            } else {
                None
            }
        })
    }
}

/// Regular expressions for in-text outlet credits.
#[derive(Debug, Clone)]
pub struct CreditCues {
    /// Matched against the lower-cased text before an outlet name, anchored at its end.
    pub before: Regex,
    /// Matched against the text after the name, anchored at its start.
    pub after: Regex,
    /// After the name when it is in parentheses: `(Reuters) -`.
    pub paren: Regex,
}

/// All lexicons.
#[derive(Debug, Clone)]
pub struct Lexicons {
    /// Reporting verbs (fr, en).
    pub verbs: ReportingVerbs,
    /// Role nouns (fr, en).
    pub roles: Roles,
    /// Metonymy cues (both languages together).
    pub metonymy: MetonymyCues,
    /// Outlet credit cues.
    pub credits: CreditCues,
    /// Class nouns of organisation and document anaphora.
    pub anaphora: AnaphoraNouns,
}

impl Lexicons {
    /// Parses the lexicon files.
    pub fn from_sources(
        verbs_fr: &str,
        verbs_en: &str,
        roles: &str,
        metonymy: &str,
        credits: &str,
        anaphora: &str,
    ) -> Result<Self, String> {
        let mut verbs = ReportingVerbs::default();
        verbs.add(verbs_fr, "lexicons/reporting-verbs.fr.tsv", "fr")?;
        verbs.add(verbs_en, "lexicons/reporting-verbs.en.tsv", "en")?;

        let mut r = Roles::default();
        for (n, line) in data_lines(roles).enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() < 3 {
                return Err(format!(
                    "lexicons/roles.tsv: data line {} has {} columns, 4 expected",
                    n + 1,
                    c.len()
                ));
            }
            let forms: Vec<String> = c[1]
                .split('|')
                .map(|f| f.trim().to_lowercase())
                .filter(|f| !f.is_empty())
                .collect();
            let id = r.nouns.len();
            r.nouns.push(RoleNoun {
                lang: c[0].into(),
                noun: forms[0].clone(),
                class: c[2].into(),
                hypernyms: c.get(3).map_or(Vec::new(), |h| {
                    h.split('|')
                        .map(|x| x.trim().to_lowercase())
                        .filter(|x| !x.is_empty())
                        .collect()
                }),
            });
            for f in forms {
                let plural = if f.ends_with('s') || f.ends_with('x') || f.contains(' ') {
                    None
                } else {
                    Some(format!("{f}s"))
                };
                r.max_words = r.max_words.max(f.split(' ').count());
                for form in std::iter::once(f).chain(plural) {
                    let first = form.split([' ', '-']).next().unwrap_or(&form);
                    let first = first.split_inclusive('\'').next().unwrap_or(first);
                    r.first_words.insert(first.to_string());
                    r.by_form.entry(form).or_insert(id);
                }
            }
        }

        let mut m = MetonymyCues::default();
        for (n, line) in data_lines(metonymy).enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() != 3 {
                return Err(format!(
                    "lexicons/metonymy-cues.tsv: data line {} has {} columns, 3 expected",
                    n + 1,
                    c.len()
                ));
            }
            let set = match c[1] {
                "relation" => &mut m.relation,
                "dative" => &mut m.dative,
                "agent-verb" => &mut m.agent,
                other => {
                    return Err(format!(
                        "lexicons/metonymy-cues.tsv: unknown kind {other:?}"
                    ))
                }
            };
            set.extend(c[2].split_whitespace().map(str::to_string));
        }

        let (mut before, mut after, mut paren) = (Vec::new(), Vec::new(), Vec::new());
        for (n, line) in data_lines(credits).enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            if c.len() != 3 {
                return Err(format!(
                    "outlets/credit-cues.tsv: data line {} has {} columns, 3 expected",
                    n + 1,
                    c.len()
                ));
            }
            Regex::new(c[2])
                .map_err(|e| format!("outlets/credit-cues.tsv: data line {}: {e}", n + 1))?;
            match c[1] {
                "before" => before.push(format!("(?:{})", c[2])),
                "after" => after.push(format!("(?:{})", c[2])),
                "paren" => paren.push(format!("(?:{})", c[2])),
                other => return Err(format!("outlets/credit-cues.tsv: unknown side {other:?}")),
            }
        }
        let build = |parts: &[String], pre: &str, post: &str| {
            let alt = if parts.is_empty() {
                "[^\\s\\S]".to_string()
            } else {
                parts.join("|")
            };
            Regex::new(&format!("{pre}(?:{alt}){post}"))
                .map_err(|e| format!("outlets/credit-cues.tsv: {e}"))
        };
        let credits = CreditCues {
            before: build(&before, "", "$")?,
            after: build(&after, "^", "")?,
            paren: build(&paren, "^", "")?,
        };
        let mut anaphora_nouns = AnaphoraNouns::default();
        for (n, line) in data_lines(anaphora).enumerate() {
            let c: Vec<&str> = line.split('\t').collect();
            let set = match c.get(1).copied() {
                Some("organization") if c.len() == 3 => &mut anaphora_nouns.organization,
                Some("document") if c.len() == 3 => &mut anaphora_nouns.document,
                _ => {
                    return Err(format!(
                        "lexicons/anaphora-nouns.tsv: data line {}: expected lang, organization|document, nouns",
                        n + 1
                    ))
                }
            };
            let lang = c[0].trim();
            set.extend(
                c[2].split_whitespace()
                    .map(|n| (lang.to_string(), n.to_string())),
            );
        }
        Ok(Lexicons {
            verbs,
            roles: r,
            metonymy: m,
            credits,
            anaphora: anaphora_nouns,
        })
    }
}
