/* kb/static/engine/results.js: one article's evidence turned into a result with its
 * reasons; must stay equal to kb/search/results.py (build_result).
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { cmp, pyRound, formatHex } = K;

  // kb.search.results.OUT_OF_SCOPE
  const OUT_OF_SCOPE = "the paste never says it is about ConfigMgr (no product word, code or log line)";

  /** Build materialize(s, sig, stats, lineEv) -> the result object of one scored article. */
  function makeMaterialize(articles, codes, codeArticles, codeKind, R, text) {
    /** The full result of one article, with its reasons (kb.search.results.build_result). */
    function materialize(s, sig, stats, lineEv) {
      const i = s.i;
      const a = articles[i];
      const reasons = [];
      for (const value of sig.codes) {
        const cited = codeArticles.get(value) || [];
        for (const [j, inSig] of cited) {
          if (j !== i) continue;
          const w = R.codeWeight(cited.length, codeKind.get(value), inSig);
          const names = codes.decode(value).names.slice();
          const hex = formatHex(value);
          const label = hex + (names.length ? ` (${names[0]})` : "");
          reasons.push({ type: "code", code: hex, names, weight: pyRound(w, 4), reason: `matched ${label}` });
        }
      }
      for (const [w, kind, text, line] of s.declared) {
        if (kind === "pattern") {
          reasons.push({
            type: "pattern", line: line.number, text: line.text, pattern: text,
            weight: pyRound(w, 4), reason: "the line has what the article describes",
          });
        } else {
          reasons.push({ type: "question", question: text, weight: pyRound(w, 4), reason: `asks what the article answers: '${text}'` });
        }
      }
      for (const [w, sim, line, sl] of (lineEv.get(i) || new Map()).values()) {
        reasons.push({
          type: "line", line: line.number, text: line.text, matched: sl.text,
          similarity: pyRound(sim, 1), weight: pyRound(w, 4), reason: `matched the line '${sl.text}'`,
        });
      }
      if (s.inText) {
        const matched = [];
        for (const [t, [scale]] of stats) {
          if (text.coverage(t, scale).docs.includes(i)) matched.push(t);
        }
        if (matched.length) {
          const shown = matched.sort(cmp).sort(text.byRarity).slice(0, 8);
          const said = [...new Set(shown.map((t) => (sig.words.has(t) ? sig.words.get(t) : t)))];
          reasons.push({
            type: "text", terms: shown, words: said, weight: pyRound(s.text, 4), reason: "words: " + said.join(", "),
          });
        }
      }
      if (s.uncited) {
        const sorted = [...s.specific].sort((x, y) => x - y).map(formatHex);
        reasons.push({
          type: "penalty", codes: sorted.slice().sort(), weight: 0.0,
          reason: `the article does not cite ${sorted.join(", ")} from the query`,
        });
      }
      // Lines another component wrote (ranking.own_component): the same text, another failure.
      const foreign = new Set();
      for (const [, , line] of (lineEv.get(i) || new Map()).values()) {
        if (!R.ownComponent(line.component, a.components)) foreign.add(line.component);
      }
      if (foreign.size) {
        const names = [...foreign].sort(cmp);
        reasons.push({
          type: "component", components: names, weight: 0.0,
          reason: `written by ${names.join(", ")}, not a component this article lists`,
        });
      }
      // A strong answer shows the paste is ConfigMgr's: no scope caveat (Engine.rank).
      if (!s.inScope && s.tier !== "strong") reasons.push({ type: "scope", weight: 0.0, reason: OUT_OF_SCOPE });
      reasons.sort((x, y) => y.weight - x.weight);
      return {
        id: a.id,
        title: a.title,
        score: s.rounded,
        confidence: s.tier,
        parts: { codes: pyRound(s.codes, 4), lines: pyRound(s.lines, 4), text: pyRound(s.text, 4) },
        summary: a.summary,
        first_step: a.first_step,
        reasons,
        ...(a.draft ? { draft: true } : {}),
        raw: { score: s.score, codes: s.codes, lines: s.lines, text: s.text },
      };
    }

    return materialize;
  }

  Object.assign(K, { makeMaterialize });
})(typeof globalThis !== "undefined" ? globalThis : this);
