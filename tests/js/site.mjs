// Shared by the node suites: the built site's search data and the engine over it.
//
// KB_SITE_DIR names a site built by `python build.py --out DIR` (tests/test_site_js.py
// sets it); without it the site is built into a temporary folder first, with
// $PYTHON, else .venv/bin/python, else python3.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
// The engine from its source parts (kb/static/engine/), not from a built static/search.js.
export const KbSearch = require(path.join(REPO, "kb", "static", "engine", "node.cjs"));

function python() {
  if (process.env.PYTHON) return process.env.PYTHON;
  const venv = path.join(REPO, ".venv", "bin", "python");
  return fs.existsSync(venv) ? venv : "python3";
}

let built = null;

/** Return the folder of a built site, building one when KB_SITE_DIR is not set. */
export function siteDir() {
  if (process.env.KB_SITE_DIR) return process.env.KB_SITE_DIR;
  if (built) return built;
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kb-js-")), "site");
  const run = spawnSync(python(), [path.join(REPO, "build.py"), "--out", dir], { cwd: REPO, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`build.py failed (${run.status}): ${run.stderr}`);
  built = dir;
  return dir;
}

/** Load a data script (globalThis.NAME = {...}) and return the value it assigns. */
export function loadData(file, name) {
  delete globalThis[name];
  delete require.cache[require.resolve(file)];
  require(file);
  const value = globalThis[name];
  if (!value) throw new Error(`${file} did not define ${name}`);
  return value;
}

/** The engine over the built site's data. */
export function engine(dir = siteDir()) {
  const index = loadData(path.join(dir, "data", "search-index.js"), "KB_INDEX");
  const codes = loadData(path.join(dir, "data", "codes.js"), "KB_CODES");
  return KbSearch.createEngine(index, codes);
}

/** Read a JSON file of tests/vectors. */
export function vectors(name) {
  return JSON.parse(fs.readFileSync(path.join(REPO, "tests", "vectors", name), "utf8"));
}
