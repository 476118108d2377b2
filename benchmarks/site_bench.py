"""Static site benchmark: build time, search data size and in-browser search latency.

Not a test: it prints medians and the machine. It measures

* ``build_site`` on the bundled articles and on 5,000 generated ones (the real
  articles varied: other ids, titles, codes, log lines and body text);
* the size of the search data per article (data/search-index.js; data/codes.js
  is the same for every corpus);
* the JavaScript engine's latency in node (benchmarks/js_latency.mjs) on both
  sites, for one-line and ten-line pastes (target: p50 < 20 ms for ten lines on
  5,000 articles).

    .venv/bin/python benchmarks/site_bench.py [--articles 5000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.site import BuildOptions, build_site  # noqa: E402

ARTICLES = REPO / "articles"
_CONTEXTS = [
    "on Windows XP SP3", "in a branch office", "after the SP2 upgrade", "from USB boot media",
    "with a secondary site", "on Hyper-V guests", "during a refresh", "on HP laptops",
    "in a disconnected lab", "after a hotfix rollup", "with BitLocker enabled", "on 64-bit Vista",
]  # fmt: skip
_WORD_RE = re.compile(r"\b[A-Za-z]{4,}\b")
_HEX_RE = re.compile(r"0x[0-9A-Fa-f]{8}|\b[0-9A-Fa-f]{8}\b")


def machine() -> str:
    """Describe the machine the numbers come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, node {node}"
    )


# -- generated articles ------------------------------------------------------------


def _split(text: str) -> tuple[dict, str]:
    """Split an article into its front matter (parsed) and body."""
    import yaml

    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def _front_matter(meta: dict) -> str:
    """Write front matter as YAML with every string double-quoted (JSON scalars)."""
    lines = ["---"]
    for key, value in meta.items():
        if key == "signatures":
            lines.append("signatures:")
            for k, v in value.items():
                lines.append(f"  {k}: {json.dumps(v, ensure_ascii=False)}")
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n---\n"


def _perturb(line: str, rng: random.Random, vocab: list[str]) -> str:
    """Change a log line the way another site's log differs: a word or two, the numbers."""
    words = _WORD_RE.findall(line)
    for w in rng.sample(words, min(len(words), rng.randint(0, 2))):
        line = line.replace(w, rng.choice(vocab), 1)
    return re.sub(
        r"(?<![0-9A-Fa-fx])[0-9]{2,5}(?![0-9A-Fa-f])", lambda m: str(rng.randrange(10, 99999)), line
    )


def generate_articles(out: Path, count: int, seed: int = 5000) -> Path:
    """Write ``count`` articles varied from the bundled ones into ``out``; return it."""
    from kb.codes.descriptions import descriptions
    from kb.codes.table import table

    rng = random.Random(seed)
    sources = [
        _split(p.read_text(encoding="utf-8"))
        for p in sorted(ARTICLES.glob("*.md"))
        if p.name != "README.md"
    ]
    vocab = sorted({w.lower() for _, body in sources for w in _WORD_RE.findall(body)})
    sentences = [
        s.strip()
        for _, body in sources
        for s in re.split(r"(?<=\.)\s+", body)
        if 40 < len(s) < 240
        and "\n" not in s.strip()
        and not s.lstrip().startswith(("#", "-", "|", "`", "1"))
    ]
    written = set(descriptions())
    pool = [v for v in table().hresult if v >= 0x80000000 and v not in written]
    out.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        meta, body = sources[n % len(sources)]
        meta = json.loads(json.dumps(meta))  # a deep copy
        text_codes = {c.upper() for c in _HEX_RE.findall(json.dumps(meta) + body)}
        mapping = {c: f"{rng.choice(pool):08X}" for c in {c[-8:] for c in text_codes}}

        def recode(text: str, mapping: dict[str, str] = mapping) -> str:
            return _HEX_RE.sub(
                lambda m: m.group()[:-8] + mapping.get(m.group()[-8:].upper(), m.group()[-8:]), text
            )

        meta["id"] = f"{meta['id']}-g{n:04d}"
        meta["title"] = recode(f"{meta['title']} {rng.choice(_CONTEXTS)}")
        meta["summary"] = recode(meta["summary"] + " " + rng.choice(sentences))
        sig = meta["signatures"]
        sig["codes"] = [recode(c) for c in sig.get("codes", [])]
        sig["lines"] = [recode(_perturb(line, rng, vocab)) for line in sig.get("lines", [])]
        meta["related"] = []
        meta["examples"] = [recode(e) for e in meta.get("examples", [])][:3]
        parts = []
        in_fence = False
        for line in body.split("\n"):
            if line.startswith("```"):
                in_fence = not in_fence
            elif in_fence and line.strip():
                line = _perturb(line, rng, vocab)
            parts.append(line)
            if line.startswith("## ") and rng.random() < 0.7:
                parts.append("")
                parts.append(" ".join(rng.sample(sentences, 2)))
        path = out / f"{meta['id']}.md"
        path.write_text(_front_matter(meta) + recode("\n".join(parts)), encoding="utf-8")
    return out


# -- measurements ------------------------------------------------------------------


def time_builds(articles: Path, out: Path, runs: int) -> tuple[list[float], object]:
    """Build the site ``runs`` times; return the wall times and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = build_site(BuildOptions(out=out, articles_dir=articles))
        times.append(time.perf_counter() - started)
    return times, result


def queries(count: int = 40) -> dict[str, list[str]]:
    """Return one-line and ten-line pastes made of the labeled queries' log lines."""
    from tests.logfactory import wrap_in_noise
    from tests.quality import load_queries

    rng = random.Random(10)
    lines = [
        line
        for q in load_queries()
        if q.form in ("log-line", "log-lines", "cmtrace-copy", "cmtrace-spaces", "code-in-text")
        for line in q.text.splitlines()
        if line.strip()
    ]
    one = [rng.choice(lines) for _ in range(count)]
    ten = []
    for i in range(count):
        real = rng.sample(lines, 3)
        paste = wrap_in_noise(real, 7, seed=i, form=rng.choice(["cmtrace", "copy", "plain"]))
        ten.append("\n".join(paste.splitlines()[-10:]))
    return {"one-line": one, "ten-line": ten}


def js_latency(site: Path, pastes: dict[str, list[str]]) -> dict:
    """Run benchmarks/js_latency.mjs on a built site."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(pastes, f)
    try:
        proc = subprocess.run(
            ["node", str(REPO / "benchmarks" / "js_latency.mjs"), str(site), f.name],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        os.unlink(f.name)
    return json.loads(proc.stdout)


def report(label: str, times: list[float], result, site: Path, latency: dict) -> None:
    """Print one corpus's figures."""
    per_article = result.search_bytes / result.articles
    print(
        f"\n{label}: {result.articles:,} articles, {result.code_pages} code pages, {result.pages:,} pages"
    )
    print(
        f"  build            median {statistics.median(times):.2f} s over {len(times)} run(s) ({', '.join(f'{t:.2f}' for t in times)})"
    )
    print(
        f"  search data      {result.search_bytes / 1024:,.0f} KB = {per_article / 1024:.2f} KB per article (+ codes.js {result.codes_bytes / 1024:,.0f} KB, fixed)"
    )
    print(f"  JS engine load   {latency['load_ms']:.0f} ms (parse the data and build the engine)")
    for kind, s in latency["search"].items():
        print(
            f"  JS {kind:<13} p50 {s['p50']:.2f} ms  p99 {s['p99']:.2f} ms  (first search {s['first']:.1f} ms, {s['n']} searches)"
        )


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, default=5000, help="generated articles (default 5000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="builds of the bundled corpus (default 3)"
    )
    parser.add_argument(
        "--big-runs", type=int, default=1, help="builds of the generated corpus (default 1)"
    )
    args = parser.parse_args()
    print(f"machine: {machine()}")
    pastes = queries()
    work = Path(tempfile.mkdtemp(prefix="kb-site-bench-"))
    try:
        site = work / "site"
        times, result = time_builds(ARTICLES, site, args.runs)
        report("bundled corpus", times, result, site, js_latency(site, pastes))
        started = time.perf_counter()
        generated = generate_articles(work / "articles", args.articles)
        print(f"\n(generated {args.articles:,} articles in {time.perf_counter() - started:.1f} s)")
        big = work / "big"
        times, result = time_builds(generated, big, args.big_runs)
        report("generated corpus", times, result, big, js_latency(big, pastes))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
