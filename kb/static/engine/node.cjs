// Load the browser search engine in node from its source parts, in the order of ORDER
// (as the site's static/search.js runs them): exports what that file exports in node,
// the KbSearch object (createEngine, textLines, pyRound, ...).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const names = fs
  .readFileSync(path.join(__dirname, "ORDER"), "utf8")
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));
let api = null;
for (const name of names) api = require(path.join(__dirname, name)); // the last part exports
if (!api || typeof api.createEngine !== "function") {
  throw new Error("kb/static/engine/ORDER must end with engine.js");
}
module.exports = api;
