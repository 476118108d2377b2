/* kb/static/engine/engine.js: the engine; must stay equal to kb/search/engine.py
 * (Engine: search, rank, in_scope, _elsewhere; its text channel is textindex.js) and
 * kb/search/answers.py (code_answer). Last of the parts: it exposes the public object.
 *
 * The kb search engine, in the browser and in node: a second implementation of
 * kb.search (Python) that ranks exactly alike (BM25F text scoring as Whoosh's), split
 * into one classic script per ported concept, loaded in the order of
 * kb/static/engine/ORDER:
 *   pystr.js     Python string semantics (JS-only shim) and the error types
 *   textnorm.js  words (kb/search/textnorm.py)
 *   decode.js    decoding error codes (kb/codes/decode.py)
 *   codes.js     finding and parsing error codes (kb/codes/extract.py, parse.py)
 *   masking.js   masking (kb/search/masking.py)
 *   logs.js      log reading (kb/logs/reader.py, formats.py, text.py)
 *   signals.js   query signals (kb/search/signals.py)
 *   fuzzy.js     fuzzy line matching (kb/search/lines.py, rapidfuzz ratio and OSA)
 *   ranking.js   ranking formulas (kb/search/ranking.py)
 *   declared.js  declared patterns and questions (kb/search/declared.py)
 *   results.js   a result and its reasons (kb/search/results.py)
 *   textindex.js the text channel (kb/search/engine.py: query_terms, _correct, _bm25)
 *   engine.js    this file
 * Each part is an IIFE that reads what it needs from, and adds what it offers to, the
 * internal namespace globalThis.KbEngineParts; this file removes that namespace again.
 * The site build (kb/site/build.py) concatenates the parts in that order into one
 * static/search.js; in node, kb/static/engine/node.cjs loads them.
 *
 * Every parameter, word list and statistic comes from the data the site build writes
 * (search-index.js, codes.js), never from these files; tests/vectors/search_vectors.json
 * proves both engines agree.
 *
 * No DOM here: site.js renders. Plain ES2020, no modules, so a <script src> works from
 * file:// too. Global: KbSearch (in node: module.exports).
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const {
    cmp, pyRound, disjoint, KbError, CodeError, QueryError, stem, makeWords, formatHex, makeCodes,
    makeMasker, textLines, makeLogReader, makeSignals, makeRewrite, makeScope, ratio, withinOneEdit, makeLineMatcher,
    makeRanking, makeDeclared, makeMaterialize, makeTextIndex,
  } = K;

  // Scores are computed for every article with evidence in flat typed arrays;
  // the result objects (with reasons) are built only for the articles shown.
  // Every sum and product runs in Python's order, so scores agree to the bit.

  const CLASS_NAMES = { g: "generic", c: "common", s: "specific" };

  function clamp01(p) {
    return Math.min(Math.max(p, 0.0), 1.0);
  }

  /** Build the engine from the site's search index and code table. */
  function createEngine(index, codeTable) {
    const P = index.params;
    const limits = index.limits;
    const words = makeWords(index.stop_words);
    const COMMON = new Set(index.common_terms);
    const codes = makeCodes(codeTable || {});
    const masker = makeMasker(words, codes, index.boilerplate, limits.mask_max_line);
    const logs = makeLogReader(index.components);
    const signals = makeSignals(words, codes, masker, logs, limits, makeRewrite(index.vocabulary));
    const scope = makeScope(index.scope);
    const R = makeRanking(P);
    const articles = index.articles;
    const N = articles.length;
    const byId = new Map(articles.map((a) => [a.id, a]));

    // Codes: who cites what (kb.search.Engine._build_codes).
    const codeArticles = new Map();
    const articleCodes = articles.map((a) => new Set(a.codes.map((c) => c[0])));
    articles.forEach((a, i) => {
      for (const [value, inSig] of a.codes) {
        if (!codeArticles.has(value)) codeArticles.set(value, []);
        codeArticles.get(value).push([i, inSig === 1]);
      }
    });
    const codeKind = new Map();
    for (const k of Object.keys(index.code_class)) codeKind.set(Number(k), CLASS_NAMES[index.code_class[k]]);
    const codePages = new Set(index.code_pages);
    const matchDeclared = makeDeclared(articles, P, R);
    const text = makeTextIndex(index, P, COMMON, R);
    const lines = makeLineMatcher(index, P, COMMON, R, articleCodes);

    function codeKindOf(value) {
      const kind = codeKind.get(value);
      if (kind !== undefined) return kind;
      const info = codes.decode(value);
      return R.codeClass(info.generic, info.win32);
    }

    function subset(a, b) {
      for (const x of a) if (!b.has(x)) return false;
      return true;
    }

    function isLogLike(sig) {
      if (sig.failedAction || sig.format !== "plain") return true;
      let withCodes = 0;
      for (const line of sig.lines) if (line.template.codes.size) withCodes++;
      return withCodes >= 2;
    }

    /** Does the paste show it is about ConfigMgr? (Engine.in_scope) */
    function saysProduct(sig, logLike) {
      if (sig.codes.length > 0 || sig.components.length > 0 || logLike) return true;
      return scope.holds(sig.sequence.map(text.known));
    }

    const materialize = makeMaterialize(articles, codes, codeArticles, codeKind, R, text);

    /** Score every article with any evidence, best first (Engine.rank).
     *
     * With options.threshold, only results scoring at least that are returned, and
     * with options.limit at most that many: their reasons are built, no others'. */
    function rank(sig, options) {
      const threshold = options && options.threshold !== undefined ? options.threshold : -Infinity;
      const limit = options && options.limit !== undefined ? options.limit : Infinity;
      const has = new Uint8Array(N);
      const touched = [];
      const mark = (i) => {
        if (!has[i]) {
          has[i] = 1;
          touched.push(i);
        }
      };
      const codeMiss = new Float64Array(N).fill(1.0); // ranking.combine, evidence by evidence
      const solid = new Uint8Array(N);
      for (const value of sig.codes) {
        const cited = codeArticles.get(value);
        if (cited === undefined) continue;
        const kind = codeKind.get(value);
        // The lines holding the code, when the paste names who wrote them (Engine._elsewhere).
        const holders = sig.lines.filter((l) => l.template.codes.has(value));
        for (const [i, inSig] of cited) {
          codeMiss[i] *= 1.0 - clamp01(R.codeWeight(cited.length, kind, inSig));
          const comps = articles[i].components;
          const elsewhere = holders.length > 0 && !holders.some((l) => R.ownComponent(l.component, comps));
          if (R.solidCode(cited.length, kind, inSig) && !elsewhere) solid[i] = 1;
          mark(i);
        }
      }
      const lineEv = lines.match(sig);
      for (const i of lineEv.keys()) mark(i);
      const declaredEv = matchDeclared(sig);
      for (const i of declaredEv.keys()) mark(i);
      const [stats, total] = text.queryTerms(sig.terms);
      const covered = new Float64Array(N);
      const inText = new Uint8Array(N);
      const rare = new Int32Array(N);
      for (const [t, [scale, imp]] of stats) {
        const c = text.coverage(t, scale);
        const dfAny = text.dfAny(t);
        const common = COMMON.has(t);
        const curated = dfAny === 1 && text.curated(t);
        for (let j = 0; j < c.docs.length; j++) {
          const i = c.docs[j];
          covered[i] += imp * c.cov[j];
          if (R.rareTerm(dfAny, common, c.cov[j], curated)) rare[i] += 1;
          inText[i] = 1;
          mark(i);
        }
      }
      const errors = sig.lines.filter((l) => l.error && l.template.codes.size > 0);
      const logLike = isLogLike(sig);
      const specific = new Set(sig.codes.filter((v) => codeKindOf(v) === "specific"));
      // A question in words prefers how-to and reference articles (Engine.rank).
      const question = sig.question && !logLike && sig.codes.length === 0;
      const inScope = saysProduct(sig, logLike);
      const scored = [];
      const all = [];
      for (const i of touched) {
        let bestLine = 0.0;
        let exact = false;
        const explained = new Set();
        const lev = lineEv.get(i);
        const declared = declaredEv.get(i) || [];
        let miss = 1.0;
        if (lev !== undefined) {
          for (const e of lev.values()) {
            miss *= 1.0 - clamp01(e[0]);
            explained.add(e[2].number);
            const decides = R.ownComponent(e[2].component, articles[i].components) && R.lineDecides([...e[3].codes].map(codeKindOf), e[3].text);
            if (e[0] > bestLine && decides) bestLine = e[0];
            // The pasted line holds the article's line whole (ranking.exact_line).
            if (decides && R.exactLine(e[2].template.text, e[3].template, e[3].letters, subset(e[2].template.codes, articleCodes[i]))) exact = true;
          }
        }
        for (const e of declared) {
          miss *= 1.0 - clamp01(e[0]);
          // A declared question is words too: it decides only for a paste in scope.
          if (e[0] > bestLine && (e[1] === "pattern" || inScope)) bestLine = e[0];
        }
        const linePart = 1.0 - miss;
        const codePart = 1.0 - codeMiss[i];
        let textPart = inText[i] ? R.combine([R.textPart(covered[i], total, text.logFull), R.rarePart(rare[i])]) : 0.0;
        if (question && articles[i].kind === "troubleshooting") textPart *= P.question_troubleshooting_text;
        const uncited = specific.size > 0 && disjoint(specific, articleCodes[i]);
        const score = R.articleScore(codePart, linePart, textPart, logLike, uncited);
        const share = inText[i] ? (total > 0.0 ? covered[i] / total : 1.0) : stats.size ? 0.0 : 1.0;
        // Error lines with codes that no matched line and no cited code explain.
        let unexplained = 0;
        for (const l of errors) if (!explained.has(l.number) && disjoint(l.template.codes, articleCodes[i])) unexplained++;
        all.push({ i, score, bestLine, exact, share, unexplained, declared, codePart, linePart, textPart, uncited });
      }
      // The tier needs the margin over every other article (Engine.rank, ranking.margin).
      const raws = all.map((x) => x.score).sort((a, b) => b - a);
      for (const x of all) {
        const { i, score } = x;
        // round(score, 4) >= threshold needs score >= threshold - 0.00005.
        if (score < threshold - 1e-4) continue;
        const rounded = pyRound(score, 4);
        if (rounded < threshold) continue;
        const tier = R.confidence(score, solid[i] === 1, x.bestLine, x.share, x.unexplained, x.textPart, R.margin(score, raws), x.exact, inScope && !(logLike && sig.components.length > 0 && !sig.components.some((c) => R.ownComponent(c, articles[i].components))));
        scored.push({ i, id: articles[i].id, score, rounded, tier, declared: x.declared, codes: x.codePart, lines: x.linePart, text: x.textPart, uncited: x.uncited, specific, inText: inText[i], inScope });
      }
      // Strong answers first, then by score (ranking.tier_order).
      scored.sort((x, y) => (x.tier === "strong" ? 0 : 1) - (y.tier === "strong" ? 0 : 1) || y.rounded - x.rounded || cmp(x.id, y.id));
      return scored.slice(0, limit).map((s) => materialize(s, sig, stats, lineEv));
    }

    /** The lookup object of a code: its decoding and the articles citing it. */
    function codeAnswer(value, processExit) {
      const info = codes.decode(value);
      const cited = (codeArticles.get(value) || []).map(([i]) => {
        const a = articles[i];
        return { id: a.id, title: a.title, summary: a.summary };
      });
      const answer = { input: info.hex, ...info, facility: info.facility && { ...info.facility }, names: info.names.slice(), process_exit: !!processExit, articles: cited };
      if (processExit) {
        // kb.search.answers.exit_code_reading: the Win32 reading is offered, not asserted.
        answer.description = `Process exit code ${value}: the program that exited chose this number. If it is a Win32 error: ${answer.description}`;
        if (answer.hint) answer.hint = "If it is a Win32 error: " + answer.hint;
      }
      return answer;
    }

    /** The search answer for a paste, as `kb search --json` (plus raw scores and the lines read). */
    function search(query, limit) {
      const sig = signals.readSignals(query);
      const results = rank(sig, { threshold: P.threshold, limit: Math.max(limit === undefined ? 10 : limit, 0) });
      return {
        query,
        codes: ((exits) => sig.codes.slice(0, limits.max_codes_shown).map((v) => codeAnswer(v, exits.has(v))))(codes.exitCodeValues(query)),
        results,
        strong: results.some((r) => r.confidence === "strong"),
        lines: sig.lines.map((l) => ({ number: l.number, text: l.text })),
      };
    }

    return {
      search,
      rank,
      readSignals: signals.readSignals,
      inScope: (sig) => saysProduct(sig, isLogLike(sig)),
      queryTerms: text.queryTerms,
      correct: text.correct,
      codeAnswer,
      hasCodePage: (value) => codePages.has(value),
      article: (id) => byId.get(id) || null,
      articles,
      params: P,
      words,
      codes,
      masker,
      logs,
    };
  }

  const api = {
    createEngine,
    textLines,
    pyRound,
    ratio,
    withinOneEdit,
    stem,
    formatHex,
    KbError,
    CodeError,
    QueryError,
  };
  delete root.KbEngineParts; // internal to the parts
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.KbSearch = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
