//! Gazetteers: countries (names, adjectives, capitals), seats of power, organisations and
//! outlets, matched in one pass with an Aho-Corasick automaton over the normalised text.
//!
//! Data: resources/gazetteers/*.tsv and resources/outlets.toml (each with its provenance).
//! Matching is case-sensitive (news capitalises names; lower-case `russe` is an adjective,
//! listed as such) and keeps whole words only.

use aho_corasick::{
    AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, Anchored, Input, MatchKind, StartKind,
};
use serde::Deserialize;
use vigie_core::ByteSpan;

/// What a gazetteer entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    /// A country's name (`Russie`, `Fédération de Russie`).
    CountryName,
    /// A demonym or adjective (`russe`, `Maliens`, `Russian`).
    CountryAdjective,
    /// A capital city, which may stand for the government (`Moscou`).
    Capital,
    /// A seat of power standing for a government or body (`Kremlin`, `Élysée`).
    Seat,
    /// An organisation, mission, armed force or group (`ONU`, `Barkhane`, `Wagner`).
    Organization,
    /// A news outlet (`Sputnik`, `AFP`).
    Outlet,
}

impl EntryKind {
    /// The entity label that a mention of this kind carries, if any.
    pub fn label(self) -> Option<&'static str> {
        match self {
            EntryKind::CountryName | EntryKind::Capital | EntryKind::Seat => Some("LOC"),
            EntryKind::Organization | EntryKind::Outlet => Some("ORG"),
            EntryKind::CountryAdjective => None,
        }
    }
}

/// A country.
#[derive(Debug, Clone, Default)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub iso2: String,
    /// English short name.
    pub name_en: String,
    /// Usual French name.
    pub name_fr: String,
}

/// An organisation.
#[derive(Debug, Clone, Default)]
pub struct Organization {
    /// Stable id (`UN`, `WAGNER`).
    pub id: String,
    /// Type (`igo`, `mission`, `pmc`, ...).
    pub kind: String,
    /// Usual French name.
    pub name_fr: String,
    /// Usual English name.
    pub name_en: String,
    /// ISO2 of the state it belongs to, if any.
    pub country: Option<String>,
}

/// The name to show for an organisation: its first full name (with a space), as a reader
/// expects `Human Rights Watch` rather than `HRW`; else its first form.
fn display_name(names: &str) -> Option<&str> {
    variants(names)
        .find(|v| v.contains(' '))
        .or_else(|| variants(names).next())
}

/// A news outlet of the registry.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Outlet {
    /// Slug (`sputnik`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Names under which it is credited in text.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Web host names.
    #[serde(default)]
    pub domains: Vec<String>,
    /// ISO2 of its state.
    #[serde(default)]
    pub country: String,
    /// Owner.
    #[serde(default)]
    pub owner: String,
    /// `state-controlled`, `state-funded-independent`, `private` or `cooperative`.
    #[serde(default)]
    pub state_affiliation: String,
    /// `agency`, `broadcaster`, `newspaper`, `online`.
    #[serde(default)]
    pub kind: String,
    /// Public source documenting the affiliation.
    #[serde(default)]
    pub affiliation_source: String,
}

#[derive(Deserialize)]
struct OutletFile {
    outlet: Vec<Outlet>,
}

/// One pattern of the automaton.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it names.
    pub kind: EntryKind,
    /// Actor id: `country:RU`, `org:UN`, `outlet:sputnik`.
    pub actor: String,
}

/// A gazetteer hit in the normalised text.
#[derive(Debug, Clone)]
pub struct GazMatch {
    /// Where.
    pub span: ByteSpan,
    /// Index into [`Gazetteer::entries`].
    pub entry: usize,
}

/// All gazetteers, compiled.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Countries by ISO2.
    pub countries: Vec<Country>,
    /// Organisations.
    pub organizations: Vec<Organization>,
    /// Outlets.
    pub outlets: Vec<Outlet>,
    /// One entry per pattern.
    pub entries: Vec<Entry>,
    automaton: AhoCorasick,
    /// First word of every pattern: a token not in here starts no match.
    first_words: rustc_hash::FxHashSet<String>,
}

fn cols(line: &str) -> Vec<&str> {
    line.split('\t').collect()
}

fn variants(field: &str) -> impl Iterator<Item = &str> {
    field.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// Drops a leading article from a pattern: `le Kremlin` → `Kremlin`, `l'AFP` → `AFP`.
fn strip_article(s: &str) -> &str {
    for a in ["le ", "la ", "les ", "l'", "l’", "the ", "The "] {
        if let Some(rest) = s.strip_prefix(a) {
            if rest.chars().next().is_some_and(char::is_uppercase) {
                return rest;
            }
        }
    }
    s
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Gazetteer {
    /// Builds the gazetteer from the text of its data files.
    pub fn from_sources(
        countries: &str,
        metonyms: &str,
        organizations: &str,
        outlets: &str,
    ) -> Result<Self, String> {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen = rustc_hash::FxHashSet::default();
        let mut add = |p: &str,
                       kind: EntryKind,
                       actor: &str,
                       patterns: &mut Vec<String>,
                       entries: &mut Vec<Entry>| {
            let p = strip_article(p).replace('’', "'");
            if p.chars().count() < 2 || !seen.insert(p.clone()) {
                return; // the first entry for a surface form wins
            }
            patterns.push(p);
            entries.push(Entry {
                kind,
                actor: actor.to_string(),
            });
        };
        let mut country_list = Vec::new();
        for (n, line) in crate::resources::data_lines(countries).enumerate() {
            let c = cols(line);
            if c.len() < 9 {
                return Err(format!(
                    "gazetteers/countries.tsv: data line {} has {} columns, 9 expected",
                    n + 1,
                    c.len()
                ));
            }
            let actor = format!("country:{}", c[0]);
            country_list.push(Country {
                iso2: c[0].into(),
                name_en: c[2].into(),
                name_fr: variants(c[3]).next().unwrap_or(c[2]).into(),
            });
            for p in variants(c[3])
                .chain(std::iter::once(c[2]))
                .chain(variants(c[4]))
            {
                add(
                    p,
                    EntryKind::CountryName,
                    &actor,
                    &mut patterns,
                    &mut entries,
                );
            }
            for p in variants(c[5]) {
                add(
                    p,
                    EntryKind::CountryAdjective,
                    &actor,
                    &mut patterns,
                    &mut entries,
                );
                add(
                    &capitalize(p),
                    EntryKind::CountryAdjective,
                    &actor,
                    &mut patterns,
                    &mut entries,
                );
            }
            for p in variants(c[6]) {
                add(
                    p,
                    EntryKind::CountryAdjective,
                    &actor,
                    &mut patterns,
                    &mut entries,
                );
            }
            for p in variants(c[7]).chain(variants(c[8])) {
                add(p, EntryKind::Capital, &actor, &mut patterns, &mut entries);
            }
        }
        let mut orgs = Vec::new();
        for (n, line) in crate::resources::data_lines(organizations).enumerate() {
            let c = cols(line);
            if c.len() < 5 {
                return Err(format!(
                    "gazetteers/organizations.tsv: data line {} has {} columns, 6 expected",
                    n + 1,
                    c.len()
                ));
            }
            let actor = format!("org:{}", c[0]);
            orgs.push(Organization {
                id: c[0].into(),
                kind: c[1].into(),
                name_fr: display_name(c[2]).unwrap_or(c[0]).into(),
                name_en: display_name(c[3]).unwrap_or(c[0]).into(),
                country: Some(c[4].trim())
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            });
            for p in variants(c[2]).chain(variants(c[3])) {
                add(
                    p,
                    EntryKind::Organization,
                    &actor,
                    &mut patterns,
                    &mut entries,
                );
            }
        }
        for (n, line) in crate::resources::data_lines(metonyms).enumerate() {
            let c = cols(line);
            if c.len() < 4 {
                return Err(format!(
                    "gazetteers/metonyms.tsv: data line {} has {} columns, 4 expected",
                    n + 1,
                    c.len()
                ));
            }
            let actor = if c[3].trim() == "org" {
                format!("org:{}", c[2].trim())
            } else {
                format!("country:{}", c[2].trim())
            };
            for p in variants(c[0]) {
                add(p, EntryKind::Seat, &actor, &mut patterns, &mut entries);
            }
        }
        let file: OutletFile = toml::from_str(outlets).map_err(|e| format!("outlets.toml: {e}"))?;
        for o in &file.outlet {
            let actor = format!("outlet:{}", o.id);
            for p in std::iter::once(&o.name).chain(&o.aliases) {
                add(p, EntryKind::Outlet, &actor, &mut patterns, &mut entries);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .start_kind(StartKind::Anchored)
            .build(&patterns)
            .map_err(|e| format!("gazetteer automaton: {e}"))?;
        let first_words = patterns
            .iter()
            .filter_map(|p| {
                let toks = crate::tokenize::tokenize(p, &[ByteSpan::new(0, p.len())]);
                toks.first()
                    .map(|t| p[t.span.start..t.span.end].to_string())
            })
            .collect();
        Ok(Gazetteer {
            countries: country_list,
            organizations: orgs,
            outlets: file.outlet,
            entries,
            automaton,
            first_words,
        })
    }

    /// Whole-word hits in `text` starting at one of `tokens` (in order): the
    /// longest one at each start, in order, not overlapping. An anchored search per token
    /// start fails after a byte or two on most words, which is much faster than scanning.
    pub fn find(&self, text: &str, tokens: &[crate::tokenize::Token]) -> Vec<GazMatch> {
        let mut out = Vec::new();
        let mut covered = 0;
        let hit_at = |t: &crate::tokenize::Token| {
            let start = t.span.start;
            if !self.first_words.contains(&text[start..t.span.end]) {
                return None;
            }
            let input = Input::new(text).range(start..).anchored(Anchored::Yes);
            let m = self.automaton.try_find(input).ok()??;
            let after = text[m.end()..].chars().next();
            (!after.is_some_and(|c| crate::is_word_char(c) || c == '-')).then_some(m)
        };
        for (i, t) in tokens.iter().enumerate() {
            if t.span.start < covered {
                continue;
            }
            let Some(m) = hit_at(t) else {
                continue;
            };
            // A longer hit that starts inside this one wins: `groupe État islamique au Grand
            // Sahara` is the Sahel branch, not `groupe État islamique`.
            let longer = tokens[i + 1..]
                .iter()
                .take_while(|u| u.span.start < m.end())
                .filter_map(hit_at)
                .any(|n| n.end() > m.end() && n.len() > m.len());
            if longer {
                continue;
            }
            covered = m.end();
            out.push(GazMatch {
                span: ByteSpan::new(m.start(), m.end()),
                entry: m.pattern().as_usize(),
            });
        }
        out
    }

    /// The country with this ISO2 code.
    pub fn country(&self, iso2: &str) -> Option<&Country> {
        self.countries.iter().find(|c| c.iso2 == iso2)
    }

    /// The organisation with this id.
    pub fn organization(&self, id: &str) -> Option<&Organization> {
        self.organizations.iter().find(|o| o.id == id)
    }

    /// The outlet with this id.
    pub fn outlet(&self, id: &str) -> Option<&Outlet> {
        self.outlets.iter().find(|o| o.id == id)
    }

    /// The outlet whose name or alias is `name` (case-insensitive), or whose domain hosts `url`.
    pub fn outlet_by_name_or_url(&self, name: Option<&str>, url: Option<&str>) -> Option<&Outlet> {
        if let Some(n) = name {
            let n = n.trim().to_lowercase();
            let hit = self.outlets.iter().find(|o| {
                o.id == n
                    || o.name.to_lowercase() == n
                    || o.aliases.iter().any(|a| a.to_lowercase() == n)
            });
            if hit.is_some() {
                return hit;
            }
        }
        let host = url?
            .split("://")
            .nth(1)?
            .split(['/', '?', '#', ':'])
            .next()?
            .to_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        // The longest matching domain wins (`fr.sputniknews.africa` over `sputniknews.africa`).
        self.outlets
            .iter()
            .flat_map(|o| o.domains.iter().map(move |d| (o, d)))
            .filter(|(_, d)| host == d.as_str() || host.ends_with(&format!(".{d}")))
            .max_by_key(|(_, d)| d.len())
            .map(|(o, _)| o)
    }
}
