// Latency of the browser search engine (kb/static/engine/, loaded from its source parts) in
// node, on a built site.
//
//   node benchmarks/js_latency.mjs SITE_DIR PASTES.json
//
// PASTES.json maps a kind ("one-line", "ten-line") to a list of pastes. Prints JSON:
// the time to load the data and build the engine, then per kind the first search and
// p50/p99 over every paste searched 5 times (after one warm-up pass).
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KbSearch = require(path.join(REPO, "kb", "static", "engine", "node.cjs"));
const [site, pastesFile] = process.argv.slice(2);
const pastes = JSON.parse(fs.readFileSync(pastesFile, "utf8"));

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const started = performance.now();
for (const name of ["search-index.js", "codes.js"]) {
  // What a <script src> does: run the file, which assigns a global.
  vm.runInThisContext(fs.readFileSync(path.join(site, "data", name), "utf8"), { filename: name });
}
const engine = KbSearch.createEngine(globalThis.KB_INDEX, globalThis.KB_CODES);
const loadMs = performance.now() - started;

const out = { load_ms: loadMs, search: {} };
for (const [kind, list] of Object.entries(pastes)) {
  const t0 = performance.now();
  engine.search(list[0]);
  const first = performance.now() - t0;
  for (const q of list) engine.search(q); // warm-up: the JIT, decoded postings
  const times = [];
  for (let round = 0; round < 5; round++) {
    for (const q of list) {
      const t = performance.now();
      engine.search(q);
      times.push(performance.now() - t);
    }
  }
  times.sort((a, b) => a - b);
  out.search[kind] = { n: times.length, first, p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}
console.log(JSON.stringify(out));
