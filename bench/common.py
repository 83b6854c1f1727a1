"""What the benchmarks share: the corpus argument and the release binary."""
import os, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpora", "orangesum-fr.jsonl.gz")


def corpus_or_skip(argv):
    """The corpus named in `argv` (default: OrangeSum beside the clone); exits 0 when absent."""
    corpus = argv[0] if argv else DEFAULT_CORPUS
    if not os.path.exists(corpus):
        print(f"skip: {corpus} not found (the shared corpora are not beside this clone)")
        sys.exit(0)
    return corpus


def release_vigie():
    """Builds the release binary and returns its path."""
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "vigie-cli"], cwd=ROOT, check=True)
    return os.path.join(ROOT, "target", "release", "vigie")
