//! `vigie codebook check|test`: write a codebook, check it, run its examples.

use crate::{EXIT_FATAL, EXIT_OK, EXIT_SKIPPED};
use clap::Subcommand;
use std::path::PathBuf;
use std::sync::Arc;
use vigie_core::{Document, Meta, Origin};
use vigie_nlp::codebook::{Codebook, BUILTIN};
use vigie_nlp::{Options, Pipeline, Resources};

/// `vigie codebook …`
#[derive(Subcommand, Debug)]
pub enum CodebookCommand {
    /// Check a codebook (syntax, rules, ids); errors are given with their line and column.
    Check {
        /// The codebook file (TOML), or `builtin`.
        file: PathBuf,
    },
    /// Run every example of a codebook and say which fail and why.
    Test {
        /// The codebook file (TOML), or `builtin`.
        file: PathBuf,
    },
    /// Print the built-in codebook (a starting point for your own).
    Builtin,
}

/// Reads and compiles a codebook file (`builtin` is the embedded one).
pub fn load(path: &std::path::Path, res: &Resources) -> Result<Codebook, String> {
    let (name, src) = if path.as_os_str() == "builtin" {
        ("builtin".to_string(), BUILTIN.to_string())
    } else {
        let src = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        (path.display().to_string(), src)
    };
    Codebook::parse(&src, &res.stemmers).map_err(|e| format!("{name}: {e}"))
}

/// The codebooks `vigie analyze --codebook` names: files, `builtin` (the default), `none`.
pub fn load_all(paths: &[PathBuf], res: &Resources) -> Result<Vec<Arc<Codebook>>, String> {
    if paths.iter().any(|p| p.as_os_str() == "none") {
        return Ok(Vec::new());
    }
    let builtin = [PathBuf::from("builtin")];
    let paths = if paths.is_empty() {
        &builtin[..]
    } else {
        paths
    };
    let mut seen = std::collections::HashSet::new();
    paths
        .iter()
        .filter(|p| seen.insert(p.as_os_str().to_owned()))
        .map(|p| load(p, res).map(Arc::new))
        .collect()
}

/// Runs `vigie codebook …`; returns the exit code.
pub fn run(cmd: CodebookCommand) -> u8 {
    let res = Resources::embedded();
    match cmd {
        CodebookCommand::Builtin => {
            print!("{BUILTIN}");
            EXIT_OK
        }
        CodebookCommand::Check { file } => match load(&file, &res) {
            Ok(cb) => {
                let rules: usize = cb.narratives.iter().map(|n| n.rules.len()).sum();
                let examples: usize = cb.narratives.iter().map(|n| n.examples.len()).sum();
                println!(
                    "{}: ok: codebook {:?}, {} narratives, {rules} rules, {examples} examples",
                    file.display(),
                    cb.name,
                    cb.narratives.len()
                );
                EXIT_OK
            }
            Err(e) => {
                eprintln!("vigie: error: {e}");
                EXIT_FATAL
            }
        },
        CodebookCommand::Test { file } => match load(&file, &res) {
            Ok(cb) => test(cb, res),
            Err(e) => {
                eprintln!("vigie: error: {e}");
                EXIT_FATAL
            }
        },
    }
}

/// Analyses every example with the codebook and compares with what it expects.
fn test(cb: Codebook, res: Resources) -> u8 {
    let cb = Arc::new(cb);
    let pipeline = Pipeline::new(res, Options::default()).with_codebooks(vec![cb.clone()]);
    let (mut passed, mut failed) = (0, 0);
    for n in &cb.narratives {
        for (i, ex) in n.examples.iter().enumerate() {
            let doc = Document {
                id: format!("{}#{}", n.id, i + 1),
                text: ex.text.clone(),
                meta: Meta::default(),
                origin: Origin::default(),
            };
            let a = pipeline.analyze(&doc);
            let hit = a.narratives.iter().find(|m| m.id == n.id);
            if let Some(lang) = &ex.lang {
                if &a.language.code != lang {
                    println!(
                        "FAIL {}#{}: the example was read as {:?}, not {lang:?}",
                        n.id,
                        i + 1,
                        a.language.code
                    );
                    failed += 1;
                    continue;
                }
            }
            if hit.is_some() == ex.matches {
                passed += 1;
                continue;
            }
            failed += 1;
            let expect = if ex.matches {
                "should match"
            } else {
                "should not match"
            };
            println!("FAIL {}#{} {expect}: {}", n.id, i + 1, ex.text);
            match hit {
                Some(m) => {
                    for e in &m.evidence {
                        let words: Vec<&str> = e.spans.iter().map(|s| s.text.as_str()).collect();
                        println!(
                            "  rule {} fired on {:?}: {}",
                            e.rule + 1,
                            words,
                            n.rules[e.rule].source
                        );
                    }
                }
                None => {
                    println!(
                        "  no match: no rule fired, or their score stayed below the threshold {} (language {:?})",
                        n.threshold, a.language.code
                    );
                    let actors: Vec<String> = a
                        .actors
                        .iter()
                        .map(|x| format!("{} ({})", x.name, x.id))
                        .collect();
                    println!("  actors found: {}", actors.join(", "));
                    for s in &a.stances {
                        println!(
                            "  stance of {} toward {}: {:+.2}",
                            s.holder, s.target_name, s.score
                        );
                    }
                }
            }
            if let Some(note) = &ex.note {
                println!("  note: {note}");
            }
        }
    }
    println!("{}: {passed} examples passed, {failed} failed", cb.name);
    if failed == 0 {
        EXIT_OK
    } else {
        EXIT_SKIPPED
    }
}
