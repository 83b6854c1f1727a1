//! `vigie export`: the store as tidy tables.

use crate::store_cmd::StoreArg;
use crate::{EXIT_FATAL, EXIT_OK};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use vigie_store::export::{table, Format, TABLES};

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per row.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// Apache Parquet (readable by DuckDB, pandas, Spark).
    Parquet,
}

/// Arguments of `vigie export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value = "jsonl")]
    pub format: FormatArg,
    /// Table(s) to export: documents, quotes, entities, actors, stances, narratives (default:
    /// all).
    #[arg(short, long, value_delimiter = ',')]
    pub table: Vec<String>,
    /// Output: a directory (one TABLE.EXT file per table), or a file when one table is
    /// exported. Without it, one table in JSON Lines or CSV goes to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArg,
}

/// Runs `vigie export`.
pub fn run(args: ExportArgs) -> u8 {
    let go =
        || -> Result<(), String> {
            let format = match args.format {
                FormatArg::Jsonl => Format::Jsonl,
                FormatArg::Csv => Format::Csv,
                FormatArg::Parquet => Format::Parquet,
            };
            let tables = if args.table.is_empty() {
                TABLES.to_vec()
            } else {
                args.table
                    .iter()
                    .map(|n| {
                        table(n).ok_or_else(|| {
                            let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
                            format!("no table {n:?} (tables: {})", names.join(", "))
                        })
                    })
                    .collect::<Result<_, _>>()?
            };
            let store = args.store.open()?;
            let single = tables.len() == 1;
            match &args.output {
                None if single && format != Format::Parquet => {
                    let out = std::io::stdout();
                    store
                        .export(&tables[0], format, out)
                        .map_err(|e| e.to_string())?;
                }
                None => return Err(
                    "give an output with -o (a directory for several tables, a file for Parquet)"
                        .into(),
                ),
                Some(path) => {
                    let as_file = single && (path.extension().is_some() && !path.is_dir());
                    if !as_file {
                        std::fs::create_dir_all(path)
                            .map_err(|e| format!("creating {}: {e}", path.display()))?;
                    }
                    for t in &tables {
                        let file = if as_file {
                            path.clone()
                        } else {
                            path.join(format!("{}.{}", t.name, format.extension()))
                        };
                        // Write beside the target and rename: an interrupted export leaves no
                        // truncated file behind.
                        let tmp = file.with_extension(format!("{}.part", format.extension()));
                        let f = std::fs::File::create(&tmp)
                            .map_err(|e| format!("creating {}: {e}", tmp.display()))?;
                        let n = store.export(t, format, f).map_err(|e| e.to_string())?;
                        std::fs::rename(&tmp, &file)
                            .map_err(|e| format!("writing {}: {e}", file.display()))?;
                        eprintln!(
                            "vigie export: {} rows of {} to {}",
                            n,
                            t.name,
                            file.display()
                        );
                    }
                }
            }
            Ok(())
        };
    match go() {
        Ok(()) => EXIT_OK,
        Err(e) if e.contains("Broken pipe") => EXIT_OK,
        Err(e) => {
            eprintln!("vigie: error: {e}");
            EXIT_FATAL
        }
    }
}
