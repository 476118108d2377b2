/* kb/static/engine/declared.js: declared evidence, the patterns and questions an
 * article declares; must stay equal to kb/search/declared.py.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { cmp } = K;

  /** Build matchDeclared(sig) -> Map(article -> [[weight, kind, text, line], ...]) (Declared.match). */
  function makeDeclared(articles, P, R) {
    const patterns = articles.map((a) => a.patterns.map((p) => [p, new RegExp(p)]));
    const questions = articles.map((a) => a.questions);

    /** The declared evidence of each article: [weight, kind, text, line] (Declared.match). */
    function matchDeclared(sig) {
      const found = new Map();
      const add = (i, e) => {
        if (!found.has(i)) found.set(i, []);
        found.get(i).push(e);
      };
      patterns.forEach((list, i) => {
        for (const [source, re] of list) {
          for (const line of sig.lines) {
            if (re.test(line.text)) {
              add(i, [P.pattern_weight, "pattern", source, line]);
              break;
            }
          }
        }
      });
      if (!sig.question) return found;
      const asked = new Set(sig.terms);
      questions.forEach((list, i) => {
        let best = null;
        for (const [text, declared] of list) {
          const o = R.overlap(asked, declared);
          // Python's max() over (overlap, text): ties go to the greater text.
          if (best === null || o > best[0] || (o === best[0] && cmp(text, best[1]) > 0)) best = [o, text];
        }
        if (best !== null && best[0] >= P.question_overlap) add(i, [P.question_weight, "question", best[1], null]);
      });
      return found;
    }

    return matchDeclared;
  }

  Object.assign(K, { makeDeclared });
})(typeof globalThis !== "undefined" ? globalThis : this);
