/* kb/static/engine/ranking.js: ranking formulas; must stay equal to kb/search/ranking.py.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;

  function makeRanking(P) {
    function combine(parts) {
      let miss = 1.0;
      for (const p of parts) miss *= 1.0 - Math.min(Math.max(p, 0.0), 1.0);
      return 1.0 - miss;
    }

    function articleScore(code, line, text, logLike, uncited) {
      if (logLike) text *= P.log_text_weight;
      const score = combine([code, line, text]);
      return uncited ? score * P.uncited_code_factor : score;
    }

    function codeClass(generic, win32) {
      if (generic) return "generic";
      if (win32 !== null && win32 < P.common_win32_below) return "common";
      return "specific";
    }

    function codeWeight(df, kind, inSignatures) {
      let w = P.code_gain / Math.max(df, 1);
      if (kind === "generic") w *= P.generic_code_weight;
      else if (kind === "common") w *= P.common_code_weight;
      if (!inSignatures) w *= P.body_code_weight;
      return w;
    }

    function lengthBound(a, b) {
      const total = a + b;
      return total === 0 ? 100.0 : (200.0 * Math.min(a, b)) / total;
    }

    function lineWeight(similarity, letters, df, codesCited, ownComponent) {
      const closeness = (similarity - P.line_floor) / (100.0 - P.line_floor);
      const info = Math.min(1.0, letters / P.line_full_letters);
      let weight = (P.line_gain * closeness * info) / Math.max(df, 1);
      if (!codesCited) weight *= P.uncited_code_line_weight;
      if (ownComponent === false) weight *= P.foreign_component_line_weight;
      return weight;
    }

    /** May this component have written the article's line? (declared: lower case, as exported) */
    function ownComponent(component, declared) {
      return !component || !declared.length || declared.includes(component.toLowerCase());
    }

    function termCoverage(score, weight) {
      if (weight <= 0.0) return 0.0;
      return Math.min(1.0, score / (P.term_saturation * weight));
    }

    function textPart(covered, total, logFull) {
      if (total <= 0.0 || covered <= 0.0) return 0.0;
      const full = P.text_full_terms * logFull;
      const confidence = Math.min(1.0, covered / full);
      return Math.min(1.0, P.text_scale * (covered / total) * confidence);
    }

    function solidCode(df, kind, inSignatures) {
      return df === 1 && kind === "specific" && inSignatures;
    }

    // kb.search.ranking.CODE_MESSAGE_RE: a line that only spells out its code.
    const CODE_MESSAGE_RE = /\(Error: [0-9A-Fa-f]{8}; Source: [A-Za-z]+\)[ \t]*$/;

    function lineDecides(kinds, text) {
      if (kinds.length === 0 || kinds.includes("specific")) return true;
      return !CODE_MESSAGE_RE.test(text);
    }

    function rareTerm(dfAny, common, coverage, curated) {
      return dfAny === 1 && curated && !common && coverage >= P.rare_term_coverage;
    }

    function rarePart(count) {
      if (count < 2) return 0.0;
      let miss = 1.0;
      for (let k = 0; k < count; k++) miss *= 1.0 - P.rare_term_gain;
      return 1.0 - miss;
    }

    function overlap(asked, declared) {
      let inter = 0;
      for (const t of declared) if (asked.has(t)) inter++;
      const union = asked.size + declared.length - inter;
      return union ? inter / union : 0.0;
    }

    function exactLine(pasted, signature, letters, cited) {
      return cited && letters >= P.exact_line_letters && pasted.includes(signature);
    }

    function confidence(score, solid, bestLine, textShare, unexplained, text, margin, exact, wordsDecide) {
      if (exact && score >= P.threshold) return "strong";
      if (score < P.strong_threshold) return "possible";
      if (bestLine >= P.strong_line_weight) return "strong";
      if (solid && textShare >= P.strong_code_share && unexplained === 0) return "strong";
      if (wordsDecide && text >= P.strong_text && textShare >= P.strong_text_share && margin >= P.strong_margin) return "strong";
      return "possible";
    }

    function margin(raw, raws) {
      if (raw < raws[0]) return raw - raws[0];
      if (raws.length > 1 && raws[1] === raw) return 0.0;
      return raw - (raws.length > 1 ? raws[1] : 0.0);
    }

    return { ownComponent, solidCode, lineDecides, exactLine, rareTerm, rarePart, overlap, confidence, margin, combine, articleScore, codeClass, codeWeight, lengthBound, lineWeight, termCoverage, textPart };
  }

  Object.assign(K, { makeRanking });
})(typeof globalThis !== "undefined" ? globalThis : this);
