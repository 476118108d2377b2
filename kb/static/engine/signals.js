/* kb/static/engine/signals.js: query signals, what a paste says (codes, masked lines,
 * terms, components, failed action, format); must stay equal to kb/search/signals.py.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { S, W, strip, cpLen, CodeError, QueryError, TOKEN_RE } = K;

  const FAILED_ACTION_RE = new RegExp(
    `Failed to run the action: ([^\\n]+?)\\.?(?:[${S}]+Error(?![${W}])[^\\n]*)?$`, "iu");
  // kb.search.signals._QUESTION_RE
  const QUESTION_RE = /^[ \t\n\r\f\v]*(?:where|how|what|why|which)(?![A-Za-z0-9_])/i;
  const ERRORISH_RE = new RegExp(
    `(?<![${W}])(?:fail(?:ed|ure|s)?|error|unable|cannot|could not)(?![${W}])`, "iu");

  function makeSignals(words, codes, masker, logs, limits, rewrite) {
    function checkQuery(text) {
      if (text === null || text === undefined || !strip(text)) {
        throw new QueryError("the query is empty: paste an error code, log lines or a question");
      }
      const n = cpLen(text);
      if (n > limits.max_query_chars) {
        throw new QueryError(`the query is ${n.toLocaleString("en-US")} characters; the limit is ` +
          `${limits.max_query_chars.toLocaleString("en-US")} (use kb analyze for a whole log file)`);
      }
      return text.replace(/\x00/g, " ");
    }

    /** What a paste says: codes, masked lines, terms, components, failed action, format. */
    function readSignals(text) {
      text = checkQuery(text);
      const records = logs.parseText(text);
      const sig = {
        text, codes: [], lines: [], terms: [], components: [], failedAction: null, format: "plain", words: new Map(),
        question: false, sequence: [],
      };
      const formats = new Map();
      const seenCodes = new Set();
      const seenTemplates = new Set();
      const seenTerms = new Set();
      const seenComponents = new Set();
      for (const rec of records) {
        formats.set(rec.format, (formats.get(rec.format) || 0) + 1);
        if (rec.component) seenComponents.add(rec.component);
        for (const v of codes.codeValues(rec.message)) seenCodes.add(v);
        // The failure tail's words are not search terms (kb.search.signals); its codes still count.
        let said = rec.message.split("\n").filter((x) => !masker.isBoilerplate(x)).join("\n");
        if (rewrite) said = rewrite(said); // the domain vocabulary (kb.search.vocabulary)
        said += " " + rec.component;
        TOKEN_RE.lastIndex = 0;
        let tok;
        while ((tok = TOKEN_RE.exec(said)) !== null) {
          for (const t of words.forms(tok[0])) {
            sig.sequence.push(t); // every term in order, repeats kept (Signals.sequence)
            seenTerms.add(t);
            if (!sig.words.has(t)) sig.words.set(t, tok[0]); // the word the paste used
          }
        }
        const parts = rec.message.split("\n");
        for (let offset = 0; offset < parts.length; offset++) {
          const raw = strip(parts[offset]);
          if (!raw) continue;
          if (sig.failedAction === null) {
            const m = FAILED_ACTION_RE.exec(raw);
            if (m) sig.failedAction = strip(m[1]);
          }
          if (sig.lines.length >= limits.max_lines || masker.isBoilerplate(raw)) continue;
          const tpl = masker.mask(raw);
          if (!tpl.anchors.size || seenTemplates.has(tpl.text)) continue;
          seenTemplates.add(tpl.text);
          const error = rec.severity === 3 || ERRORISH_RE.test(raw) || tpl.codes.size > 0;
          sig.lines.push({ number: rec.line + offset, text: raw, template: tpl, error, component: rec.component });
        }
      }
      if (!seenCodes.size && cpLen(text) <= 80 && !strip(text).includes("\n")) {
        // One code typed alone, in a form free text does not allow ("80070002").
        try {
          seenCodes.add(codes.parseCode(text));
        } catch (e) {
          if (!(e instanceof CodeError)) throw e;
        }
      }
      sig.question = QUESTION_RE.test(text);
      sig.codes = [...seenCodes];
      sig.terms = [...seenTerms];
      sig.components = [...seenComponents];
      let best = null;
      for (const [name, count] of formats) {
        if (best === null || count > best[1] || (count === best[1] && name > best[0])) best = [name, count];
      }
      if (best !== null) sig.format = best[0];
      return sig;
    }

    return { readSignals, checkQuery };
  }

  Object.assign(K, { makeSignals });
})(typeof globalThis !== "undefined" ? globalThis : this);
