/* kb/static/engine/masking.js: line masking (templates, anchor words, boilerplate);
 * must stay equal to kb/search/masking.py.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { S, W, strip, stripChar, cpHead, stem } = K;

  const PLACEHOLDER_RE = /<[A-Za-z][A-Za-z0-9_ .-]{0,80}>/g;
  const GUID_RE = /\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?/g;
  const URL_HOST_RE = new RegExp(`(?<![${W}])(https?:\\/\\/)[^/${S}:]+`, "giu");
  const UNC_HOST_RE = new RegExp(`\\\\\\\\[^\\\\${S}]+`, "gu");
  const DIGITS_RE = /[A-Za-z0-9_]*[0-9][A-Za-z0-9_]*/g;
  const COLLAPSE_RE = /<\*>(?:[^A-Za-z0-9<>]{0,3}<\*>)+/gu;
  const SPACE_RE = new RegExp(`[${S}]+`, "gu");
  const ANCHOR_RE = /[a-z][a-z_]{3,}/g;

  function makeMasker(words, codes, boilerplate, maxLine) {
    // Python's "." matches anything but "\n", and lines never hold one: dotAll.
    const BOILERPLATE_RE = new RegExp(boilerplate.map((p) => `(?:${p})`).join("|"), "ius");

    function isBoilerplate(line) {
      return BOILERPLATE_RE.test(strip(line));
    }

    function anchorWords(template) {
      const out = new Set();
      const found = template.match(ANCHOR_RE);
      if (found === null) return out;
      for (let w of found) {
        w = stripChar(w, "_");
        if (w.length >= 4 && !words.stopWords.has(w)) out.add(stem(w));
      }
      return out;
    }

    /** The masked template of one line: {text, codes (Set), anchors (Set)}. */
    function mask(line) {
      line = cpHead(line, maxLine);
      const found = codes.extractCodes(line);
      const values = new Set();
      if (found.length) {
        const parts = [];
        let pos = 0;
        for (const f of found) {
          values.add(f.value);
          if (f.start < pos) continue;
          parts.push(line.slice(pos, f.start), " <#> ");
          pos = f.end;
        }
        parts.push(line.slice(pos));
        line = parts.join("");
      }
      line = line.replace(PLACEHOLDER_RE, "<*>");
      line = line.replace(GUID_RE, "<*>");
      line = line.replace(URL_HOST_RE, "$1<*>");
      line = line.replace(UNC_HOST_RE, "\\\\<*>");
      line = line.replace(DIGITS_RE, "<*>");
      line = line.replace(COLLAPSE_RE, "<*>");
      const text = strip(line.replace(SPACE_RE, " ")).toLowerCase();
      return { text, codes: values, anchors: anchorWords(text) };
    }

    return { mask, anchorWords, isBoilerplate };
  }

  Object.assign(K, { makeMasker });
})(typeof globalThis !== "undefined" ? globalThis : this);
