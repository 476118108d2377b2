/* kb/static/engine/textindex.js: the text channel, BM25F postings, typo correction and
 * query terms; must stay equal to kb/search/engine.py (Engine.query_terms, known,
 * _correct, _bm25, _term_coverage), which reads the same statistics from Whoosh.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { cmp, withinOneEdit } = K;

  /** The text channel: BM25F postings, typo correction, query terms (Engine.query_terms, _bm25). */
  function makeTextIndex(index, P, COMMON, R) {
    const bm = index.bm25;
    const FIELDS = index.fields;
    const N = index.articles.length;
    const boosted = Object.keys(P.field_boosts)
      .map((f) => [FIELDS.indexOf(f), P.field_boosts[f]])
      .filter(([k]) => k >= 0);
    const idfByDf = new Map(Object.keys(bm.idf).map((k) => [Number(k), bm.idf[k]]));
    const importanceByDf = new Map(Object.keys(bm.importance).map((k) => [Number(k), bm.importance[k]]));
    const termTable = new Map(Object.entries(bm.terms));
    const decoded = new Map();
    const coverCache = new Map();
    const corrections = new Map();
    const acc = new Float64Array(N);
    const seen = new Uint8Array(N);
    let vocabularyByFirst = null;

    function decodeField(flat) {
      if (!flat) return { docs: new Int32Array(0), tfs: new Float64Array(0) };
      let n = 0;
      for (let i = 0; i < flat.length; i++) if (flat[i] <= 0) i++, n++; else n++;
      const docs = new Int32Array(n);
      const tfs = new Float64Array(n);
      let last = -1;
      for (let i = 0, j = 0; i < flat.length; i++, j++) {
        const x = flat[i];
        if (x > 0) {
          last += x;
          tfs[j] = 1;
        } else {
          last -= x;
          tfs[j] = flat[++i];
        }
        docs[j] = last;
      }
      return { docs, tfs };
    }

    function postings(t) {
      let hit = decoded.get(t);
      if (hit === undefined) {
        const entry = termTable.get(t);
        hit = { totalDf: entry[0], dfAny: entry[1], fields: FIELDS.map((_, k) => decodeField(entry[2 + k])) };
        decoded.set(t, hit);
      }
      return hit;
    }

    function totalDf(t) {
      return termTable.get(t)[0];
    }

    function byRarity(a, b) {
      return totalDf(a) - totalDf(b) || cmp(a, b);
    }

    /** The known term one edit away, most frequent first (Engine._correct). */
    function correct(term) {
      if (corrections.has(term)) return corrections.get(term);
      if (vocabularyByFirst === null) {
        vocabularyByFirst = new Map();
        for (const t of termTable.keys()) {
          if (t.length < 4) continue;
          if (!vocabularyByFirst.has(t[0])) vocabularyByFirst.set(t[0], []);
          vocabularyByFirst.get(t[0]).push(t);
        }
      }
      let best = null;
      let bestDf = -1;
      for (const t of vocabularyByFirst.get(term[0]) || []) {
        if (t.length - term.length > 1 || term.length - t.length > 1 || !withinOneEdit(term, t)) continue;
        const df = totalDf(t);
        if (df > bestDf || (df === bestDf && t < best)) {
          best = t;
          bestDf = df;
        }
      }
      if (corrections.size > 100000) corrections.clear(); // pastes can hold endless junk words
      corrections.set(term, best);
      return best;
    }

    function importance(dfAny, common) {
      const value = importanceByDf.get(dfAny);
      return common ? value * P.common_word_weight : value;
    }

    /** Correct typos, keep the rarest known terms: [Map term -> [scale, importance], total]. */
    function queryTerms(terms) {
      const chosen = new Set();
      let unknown = 0;
      for (let t of terms) {
        if (!termTable.has(t) && t.length >= P.typo_min_len) t = correct(t) || t;
        if (termTable.has(t)) chosen.add(t);
        else unknown += 1;
      }
      const known = [...chosen].sort(byRarity).slice(0, P.max_terms);
      const stats = new Map();
      let total = 0;
      for (const t of known) {
        const p = postings(t);
        let weight = -Infinity;
        for (const f of p.fields) if (f.docs.length > 0) weight = Math.max(weight, idfByDf.get(f.docs.length));
        if (weight === -Infinity) weight = idfByDf.get(0);
        const imp = importance(p.dfAny, COMMON.has(t));
        stats.set(t, [weight, imp]);
        total += imp;
      }
      total += Math.min(unknown, P.max_terms) * importance(0, false);
      return [stats, total];
    }

    /** How fully each article covers one term: {docs, cov} (Engine._term_coverage, cached). */
    function coverage(t, scale) {
      let hit = coverCache.get(t);
      if (hit !== undefined) return hit;
      const B = P.bm25_B;
      const K1 = P.bm25_K1;
      const p = postings(t);
      const touched = [];
      for (const [k, boost] of boosted) {
        const f = p.fields[k];
        if (!f.docs.length) continue;
        const idf = idfByDf.get(f.docs.length);
        const avgfl = bm.avgfl[k];
        const lengths = bm.lengths[k];
        for (let j = 0; j < f.docs.length; j++) {
          const doc = f.docs[j];
          const tf = f.tfs[j];
          // Whoosh's bm25(), then the Term's boost, summed over fields in boost order.
          const s = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + (B * lengths[doc]) / avgfl))) * boost;
          if (!seen[doc]) {
            seen[doc] = 1;
            acc[doc] = 0;
            touched.push(doc);
          }
          acc[doc] += s;
        }
      }
      const docs = Int32Array.from(touched);
      const cov = new Float64Array(docs.length);
      for (let j = 0; j < docs.length; j++) {
        cov[j] = R.termCoverage(acc[docs[j]], scale);
        seen[docs[j]] = 0;
      }
      hit = { docs, cov };
      if (coverCache.size > 20000) coverCache.clear();
      coverCache.set(t, hit);
      return hit;
    }

    const curatedFields = index.curated_fields;
    const curated = (t) => curatedFields.some((k) => postings(t).fields[k].docs.length > 0);
    /** A term as the corpus knows it: corrected when it is a typo of a known one (Engine.known). */
    const known = (t) => (!termTable.has(t) && t.length >= P.typo_min_len ? correct(t) || t : t);
    return { has: (t) => termTable.has(t), known, dfAny: (t) => postings(t).dfAny, curated, totalDf, byRarity, correct, queryTerms, coverage, logFull: bm.log_full };
  }

  Object.assign(K, { makeTextIndex });
})(typeof globalThis !== "undefined" ? globalThis : this);
