/* kb/static/engine/textnorm.js: word normalisation; must stay equal to
 * kb/search/textnorm.py (and kb/search/vocabulary.py, kb/search/scope.py: makeRewrite, makeScope).
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { stripChar } = K;

  const TOKEN_RE = /[A-Za-z0-9_]+/g;
  const PART_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
  // Mixed case: a lower and an upper letter, two linear tests (see textnorm.py).
  const LOWER_RE = /[a-z]/;
  const UPPER_RE = /[A-Z]/;
  const NUMERIC_RE = /^(?:0x[0-9a-f]+|[0-9a-f]*[0-9][0-9a-f]*)$/;
  const MANY_DIGITS_RE = /[0-9].*[0-9].*[0-9]/;
  const KB_NUMBER_RE = /^kb[0-9]+$/;
  const BARE_KB_RE = /^[0-9]{6,7}$/;
  const TWO_DIGITS_RE = /^[0-9]{2}$/;

  function undouble(w) {
    const n = w.length;
    if (n > 3 && w[n - 1] === w[n - 2] && !"lsz".includes(w[n - 1])) return w.slice(0, -1);
    return w;
  }

  /** Strip a common English suffix (kb.search.textnorm.stem). */
  function stem(word) {
    let w = word;
    const n = w.length;
    if (n > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
    else if (n > 5 && w.endsWith("ing")) w = undouble(w.slice(0, -3));
    else if (n > 4 && w.endsWith("ed") && !w.endsWith("eed")) w = undouble(w.slice(0, -2));
    else if (n > 4 && w.endsWith("es") && "sxzh".includes(w[n - 3])) w = w.slice(0, -2);
    else if (n > 3 && w.endsWith("s") && !"su".includes(w[n - 2]) && !w.endsWith("is")) w = w.slice(0, -1);
    if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
    return w;
  }

  function makeWords(stopWords) {
    const STOP = new Set(stopWords);

    function keep(token) {
      token = stripChar(token, "_");
      if (TWO_DIGITS_RE.test(token)) return token;
      if (BARE_KB_RE.test(token)) return "kb" + token;
      if (token.length < 2 || STOP.has(token) || NUMERIC_RE.test(token)) return null;
      if (KB_NUMBER_RE.test(token)) return token;
      if (MANY_DIGITS_RE.test(token)) return null;
      const stemmed = stem(token);
      // A word can stem to a stop word ("nore" -> "nor"); such a term says as little.
      return STOP.has(stemmed) ? null : stemmed;
    }

    function forms(token) {
      const out = [];
      const lower = token.toLowerCase();
      const whole = keep(lower);
      if (whole !== null) out.push(whole);
      if (NUMERIC_RE.test(lower)) return out; // 0x06D0 is a number, not camelCase
      const inner = stripChar(token, "_");
      if (inner.length >= 10 && (inner.includes("_") || (LOWER_RE.test(inner) && UPPER_RE.test(inner)))) {
        const parts = [];
        for (const piece of inner.split("_")) {
          const found = piece.match(PART_RE);
          if (found) parts.push(...found);
        }
        if (parts.length > 1) {
          for (const part of parts) {
            const kept = part.length >= 3 ? keep(part.toLowerCase()) : null;
            if (kept !== null) out.push(kept);
          }
        }
      }
      return out;
    }

    function terms(text) {
      const out = [];
      TOKEN_RE.lastIndex = 0;
      let m;
      while ((m = TOKEN_RE.exec(text)) !== null) {
        for (const f of forms(m[0])) out.push(f);
      }
      return out;
    }

    return { stem, keep, forms, terms, stopWords: STOP };
  }

  /** The domain vocabulary's rewrite (kb.search.vocabulary.make_rewrite), or null when empty. */
  function makeRewrite(vocabulary) {
    if (!vocabulary || !vocabulary.pattern) return null;
    // Python compiles it with re.IGNORECASE | re.ASCII: ASCII case folding, as "i" here.
    const re = new RegExp(vocabulary.pattern, "gi");
    const canon = vocabulary.canon;
    return (text) => text.replace(re, (m) => " " + canon[m.toLowerCase().replace(/[ \t_-]+/g, "")] + " ");
  }

  /** The product's words: holds(sequence) tells whether a paste names ConfigMgr (scope.Scope). */
  function makeScope(scope) {
    const entries = scope ? scope.entries : [];
    const prefixes = scope ? scope.prefixes : [];
    const GAP = 3; // vocabulary.SCOPE_GAP
    function holds(terms) {
      if (!entries.length && !prefixes.length) return true;
      const at = new Map();
      terms.forEach((t, n) => {
        if (!at.has(t)) at.set(t, []);
        at.get(t).push(n);
      });
      for (const entry of entries) {
        let ends = at.get(entry[0]) || [];
        for (const t of entry.slice(1)) {
          const prev = ends;
          ends = (at.get(t) || []).filter((n) => prev.some((e) => n - e > 0 && n - e <= GAP));
        }
        if (ends.length) return true;
      }
      for (const t of at.keys()) for (const p of prefixes) if (t.startsWith(p)) return true;
      return false;
    }
    return { holds };
  }

  Object.assign(K, { TOKEN_RE, stem, makeWords, makeRewrite, makeScope });
})(typeof globalThis !== "undefined" ? globalThis : this);
