//! The readable `--format text` view of an analysis.

use std::fmt::Write;
use vigie_core::Analysis;

/// Slices `text` by code-point offsets.
fn slice(text: &str, start: usize, end: usize) -> &str {
    let mut it = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let s = it.nth(start).unwrap_or(text.len());
    let e = if end > start {
        it.nth(end - start - 1).unwrap_or(text.len())
    } else {
        s
    };
    &text[s..e]
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Renders one analysis for a person at a terminal.
pub fn render(a: &Analysis, text: &str) -> String {
    let mut o = String::new();
    let rule = "═".repeat(72);
    let _ = writeln!(o, "{rule}");
    let _ = writeln!(o, "{}  ({})", a.id, a.origin);
    let m = &a.meta;
    let mut facts = Vec::new();
    if let Some(t) = &m.title {
        facts.push(format!("title: {t}"));
    }
    if let Some(d) = &m.date {
        facts.push(format!("date: {d} ({:?} precision)", d.precision()).to_lowercase());
    }
    if let Some(x) = &m.outlet {
        facts.push(format!("outlet: {x}"));
    }
    if let Some(x) = &m.url {
        facts.push(format!("url: {x}"));
    }
    let lang = match &a.language.detected {
        Some(d) => format!("{} ({d}, {:.2})", a.language.code, a.language.score),
        None => format!("{} ({:.2})", a.language.code, a.language.score),
    };
    facts.push(format!("language: {lang}"));
    facts.push(format!(
                "{} chars, {} words, {} paragraphs, {} sentences, {} quote marks, {} entities, {} actors, {} quotes, {} stances, {} narratives",
        a.stats.chars,
        a.stats.words,
        a.paragraphs.len(),
        a.sentences.len(),
        a.quote_marks.len(),
                a.entities.len(),
        a.actors.len(),
        a.quotes.len(),
        a.stances.len(),
        a.narratives.len()
    ));
    for f in facts {
        let _ = writeln!(o, "  {f}");
    }
    let _ = writeln!(o, "{}", "─".repeat(72));
    let mut para = usize::MAX;
    for (i, s) in a.sentences.iter().enumerate() {
        if s.paragraph != para {
            para = s.paragraph;
            let _ = writeln!(o, "¶{}", para + 1);
        }
        let _ = writeln!(o, "  [{}] {}", i + 1, one_line(slice(text, s.start, s.end)));
    }
    if !a.quote_marks.is_empty() {
        let _ = writeln!(o, "Quote marks");
        for (i, q) in a.quote_marks.iter().enumerate() {
            let close = q.close.as_deref().unwrap_or("(unclosed)");
            let extra = if q.paragraphs > 1 {
                format!(", over {} paragraphs", q.paragraphs)
            } else {
                String::new()
            };
            let _ = writeln!(
                o,
                "  {}. {}…{} [{}..{}]{extra}{}: {}",
                i + 1,
                q.open,
                close,
                q.content.start,
                q.content.end,
                if q.depth > 0 {
                    format!(", nested {}", q.depth)
                } else {
                    String::new()
                },
                one_line(&q.content.text)
            );
        }
    }
    if !a.quotes.is_empty() {
        let _ = writeln!(o, "Quotes by speaker");
        let mut speakers: Vec<&str> = Vec::new();
        for q in &a.quotes {
            let s = q.speaker.as_ref().map_or("(unknown)", |s| s.name.as_str());
            if !speakers.contains(&s) {
                speakers.push(s);
            }
        }
        for s in speakers {
            let first = a
                .quotes
                .iter()
                .find_map(|q| q.speaker.as_ref().filter(|x| x.name == s));
            let extra = first.map_or(String::new(), |f| {
                let role = f
                    .role
                    .as_deref()
                    .map_or(String::new(), |r| format!(", {r}"));
                format!("{}{role}", if f.named { "" } else { " (unnamed)" })
            });
            let _ = writeln!(o, "  {s}{extra}");
            for q in a
                .quotes
                .iter()
                .filter(|q| q.speaker.as_ref().map_or("(unknown)", |x| x.name.as_str()) == s)
            {
                let cue = q
                    .cue
                    .as_ref()
                    .map_or(String::new(), |c| format!(" [{}]", c.text));
                let _ = writeln!(
                    o,
                    "    {} {}..{}{cue}: {}",
                    q.kind,
                    q.content.start,
                    q.content.end,
                    one_line(&q.content.text)
                );
            }
        }
    }
    if !a.narratives.is_empty() {
        let _ = writeln!(o, "Narratives (evidence in ⟦ ⟧)");
        for n in &a.narratives {
            let _ = writeln!(
                o,
                "  {} ({}, score {:.1}): {}",
                n.id, n.codebook, n.score, n.label
            );
            for e in &n.evidence {
                let _ = writeln!(
                    o,
                    "    rule {}: {}",
                    e.rule + 1,
                    highlight(text, e.unit.start, e.unit.end, &e.spans)
                );
            }
        }
    }
    if !a.stances.is_empty() {
        let _ = writeln!(
            o,
            "Stances (held by → toward, from -1 to +1; evidence in ⟦ ⟧)"
        );
        for st in &a.stances {
            let _ = writeln!(o, "  {} → {}: {:+.2}", st.holder, st.target_name, st.score);
            for e in &st.evidence {
                let sentence = a
                    .sentences
                    .iter()
                    .find(|s| s.start <= e.text.start && e.text.end <= s.end)
                    .map_or((e.text.start, e.text.end), |s| (s.start, s.end));
                let mods = if e.modifiers.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", e.modifiers.join(", "))
                };
                let _ = writeln!(
                    o,
                    "    {:+.1}{mods} «{}» on «{}»: {}",
                    e.value,
                    e.text.text,
                    e.mention.text,
                    highlight(text, sentence.0, sentence.1, std::slice::from_ref(&e.text))
                );
            }
        }
    }
    if let Some(p) = &a.outlets.publisher {
        let _ = writeln!(
            o,
            "Publisher\n  {} ({}, {}) from {}",
            p.name, p.country, p.state_affiliation, p.found_in
        );
    }
    if !a.outlets.credited.is_empty() {
        let _ = writeln!(o, "Credited outlets");
        for c in &a.outlets.credited {
            let ev = c.evidence.as_ref().map_or(String::new(), |e| {
                format!(" [{}..{}] «{}»", e.start, e.end, e.text)
            });
            let _ = writeln!(
                o,
                "  {} ({}, {}){ev}",
                c.name, c.country, c.state_affiliation
            );
        }
    }
    if !a.actors.is_empty() {
        let _ = writeln!(o, "Actors");
        for act in &a.actors {
            let country = act
                .country
                .as_deref()
                .map_or(String::new(), |c| format!(", {c}"));
            let _ = writeln!(o, "  {} ({}{country}) {}", act.name, act.kind, act.id);
            for r in &act.roles {
                let rc = r
                    .country
                    .as_deref()
                    .map_or(String::new(), |c| format!(" ({c})"));
                let _ = writeln!(o, "    role: {}{rc}  ← «{}»", r.title, r.evidence.text);
            }
            let mentions: Vec<String> = act
                .mentions
                .iter()
                .map(|m| {
                    let meto = if m.metonymy { ", metonymy" } else { "" };
                    format!("{} [{}{meto}]", one_line(&m.text), m.kind)
                })
                .collect();
            let _ = writeln!(o, "    mentions: {}", mentions.join(" · "));
        }
    }
    let untied: Vec<String> = a
        .entities
        .iter()
        .filter(|e| e.actor.is_none())
        .map(|e| format!("{} [{}]", e.text, e.label))
        .collect();
    if !untied.is_empty() {
        let _ = writeln!(o, "Other entities\n  {}", untied.join(" · "));
    }
    if !a.warnings.is_empty() {
        let _ = writeln!(o, "Warnings");
        for w in &a.warnings {
            let _ = writeln!(
                o,
                "  {} at {}..{}: {}",
                w.kind, w.span.start, w.span.end, w.message
            );
        }
    }
    o
}

/// The text from `start` to `end` on one line, with `spans` between ⟦ ⟧.
fn highlight(text: &str, start: usize, end: usize, spans: &[vigie_core::TextSpan]) -> String {
    let mut marks: Vec<(usize, usize)> = spans
        .iter()
        .map(|s| (s.start.max(start), s.end.min(end)))
        .filter(|(a, b)| a < b)
        .collect();
    marks.sort_unstable();
    let mut out = String::new();
    let mut at = start;
    for (a, b) in marks {
        if a < at {
            continue;
        }
        out.push_str(slice(text, at, a));
        out.push('⟦');
        out.push_str(slice(text, a, b));
        out.push('⟧');
        at = b;
    }
    out.push_str(slice(text, at, end));
    one_line(&out)
}

#[cfg(test)]
mod tests {
    use super::slice;

    #[test]
    fn slices_by_code_points() {
        assert_eq!(slice("d’”engranger”", 3, 12), "engranger");
        assert_eq!(slice("abc", 1, 1), "");
        assert_eq!(slice("abc", 2, 9), "c");
    }
}
