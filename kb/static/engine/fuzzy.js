/* kb/static/engine/fuzzy.js: fuzzy line matching; must stay equal to kb/search/lines.py
 * (LineIndex.match) and to the rapidfuzz functions it calls: fuzz.ratio with score_cutoff
 * (normalized Indel similarity, bit-parallel LCS) and OSA.distance <= 1 (used by the
 * typo correction of kb/search/engine.py, Engine._correct).
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { SURROGATE, cpLen, disjoint } = K;

  function codePoints(s) {
    if (!SURROGATE.test(s)) {
      const out = new Int32Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      return out;
    }
    return Int32Array.from(Array.from(s, (ch) => ch.codePointAt(0)));
  }

  /** Bit masks of where each character occurs in a pattern, for the bit-parallel LCS. */
  function patternMasks(cps) {
    const words = Math.max(1, Math.ceil(cps.length / 32));
    const ascii = new Array(128);
    const other = new Map();
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      let m = c < 128 ? ascii[c] : other.get(c);
      if (m === undefined) {
        m = new Uint32Array(words);
        if (c < 128) ascii[c] = m;
        else other.set(c, m);
      }
      m[i >>> 5] |= 1 << (i & 31);
    }
    return { ascii, other, words, length: cps.length };
  }

  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }

  let lcsBuffer = new Uint32Array(16);

  /** Length of the longest common subsequence (Hyyrö's bit-parallel algorithm). */
  function lcsLength(pm, text) {
    const words = pm.words;
    const ascii = pm.ascii;
    const other = pm.other;
    if (words === 1) {
      let v = 0xffffffff;
      for (let j = 0; j < text.length; j++) {
        const c = text[j];
        const m = c < 128 ? ascii[c] : other.get(c);
        if (m === undefined) continue;
        const u = (v & m[0]) >>> 0;
        v = ((v + u) | (v & ~m[0])) >>> 0;
      }
      const used = pm.length === 32 ? 0xffffffff : (1 << pm.length) - 1;
      return popcount((~v & used) >>> 0);
    }
    if (lcsBuffer.length < words) lcsBuffer = new Uint32Array(words * 2);
    const V = lcsBuffer;
    V.fill(0xffffffff, 0, words);
    for (let j = 0; j < text.length; j++) {
      const c = text[j];
      const m = c < 128 ? ascii[c] : other.get(c);
      if (m === undefined) continue;
      let carry = 0;
      for (let k = 0; k < words; k++) {
        const v = V[k];
        const sum = v + ((v & m[k]) >>> 0) + carry;
        carry = sum > 0xffffffff ? 1 : 0;
        V[k] = sum | (v & ~m[k]);
      }
    }
    let lcs = 0;
    const rest = pm.length & 31;
    for (let k = 0; k < words; k++) {
      let x = ~V[k] >>> 0;
      if (k === words - 1 && rest) x = (x & ((1 << rest) - 1)) >>> 0;
      lcs += popcount(x);
    }
    return lcs;
  }

  /** rapidfuzz fuzz.ratio with score_cutoff: normalized Indel similarity * 100, or 0. */
  function ratioFromLcs(lcs, lenA, lenB, cutoff) {
    const maximum = lenA + lenB;
    const dist = maximum - 2 * lcs;
    const normSim = 1.0 - (maximum ? dist / maximum : 0);
    return normSim >= cutoff / 100 ? normSim * 100 : 0;
  }

  function ratio(a, b, cutoff) {
    const ca = codePoints(a);
    const cb = codePoints(b);
    if (!ca.length && !cb.length) return ratioFromLcs(0, 0, 0, cutoff || 0);
    const lcs = ca.length ? lcsLength(patternMasks(ca), cb) : 0;
    return ratioFromLcs(lcs, ca.length, cb.length, cutoff || 0);
  }

  /** Optimal string alignment distance of at most one (rapidfuzz OSA.distance <= 1). */
  function withinOneEdit(a, b) {
    const la = a.length;
    const lb = b.length;
    if (la - lb > 1 || lb - la > 1) return false;
    let i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (i === la) return true;
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return i + 1 < la && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la < lb ? a.slice(i) === b.slice(i + 1) : a.slice(i + 1) === b.slice(i);
  }

  function histogram(cps) {
    const ascii = new Int32Array(128);
    const other = new Map();
    for (const c of cps) {
      if (c < 128) ascii[c]++;
      else other.set(c, (other.get(c) || 0) + 1);
    }
    return { ascii, other };
  }

  /** The line channel: signature lines by anchor word, fuzzy-matched (Engine._match_lines). */
  function makeLineMatcher(index, P, COMMON, R, articleCodes) {
    // Identical templates are compared once per paste line; a group's code points
    // and character counts (a cheap upper bound of the LCS) are made on first use.
    const groups = new Map();
    const groupText = [];
    const groupLen = [];
    const groupCps = [];
    const groupChars = []; // [char, count, char, count, ...]
    const noCodes = new Set();
    const sigLines = index.lines.map(([article, text, tpl, lineCodes, anchors, df]) => {
      let letters = 0;
      for (const w of anchors) if (!COMMON.has(w)) letters += w.length;
      let group = groups.get(tpl);
      if (group === undefined) {
        group = groupText.length;
        groups.set(tpl, group);
        groupText.push(tpl);
        groupLen.push(cpLen(tpl));
      }
      const codeSet = lineCodes.length ? new Set(lineCodes) : noCodes;
      return { article, text, template: tpl, codes: codeSet, anchors, df, letters, group, len: groupLen[group] };
    });
    const anchorIndex = new Map();
    sigLines.forEach((sl, idx) => {
      for (const w of sl.anchors) {
        if (!anchorIndex.has(w)) anchorIndex.set(w, []);
        anchorIndex.get(w).push(idx);
      }
    });
    const lineStamp = new Uint32Array(sigLines.length);
    const groupStamp = new Uint32Array(groupText.length);
    const groupSim = new Float64Array(groupText.length);
    let stamp = 0;

    function prepare(g) {
      const cps = codePoints(groupText[g]);
      const h = histogram(cps);
      const flat = [];
      h.ascii.forEach((n, c) => n && flat.push(c, n));
      h.other.forEach((n, c) => flat.push(c, n));
      groupCps[g] = cps;
      groupChars[g] = Int32Array.from(flat);
    }

    function similarity(g, q, cutoff) {
      if (groupStamp[g] === stamp) return groupSim[g];
      if (groupChars[g] === undefined) prepare(g);
      const chars = groupChars[g];
      let bound = 0;
      for (let k = 0; k < chars.length; k += 2) {
        const c = chars[k];
        bound += Math.min(chars[k + 1], c < 128 ? q.hist.ascii[c] : q.hist.other.get(c) || 0);
      }
      let sim = ratioFromLcs(bound, q.len, groupCps[g].length, cutoff);
      if (sim) {
        if (q.pm === null) q.pm = patternMasks(q.cps);
        sim = ratioFromLcs(lcsLength(q.pm, groupCps[g]), q.len, groupCps[g].length, cutoff);
      }
      groupStamp[g] = stamp;
      groupSim[g] = sim;
      return sim;
    }

    /** Line evidence: Map article -> Map(signature line -> [weight, similarity, line, sigLine]). */
    function match(sig) {
      const cutoff = P.line_cutoff;
      const prefix = P.action_prefix;
      const evidence = new Map();
      for (const line of sig.lines) {
        const qt = line.template;
        stamp = (stamp + 1) >>> 0 || 1;
        const candidates = [];
        for (const w of qt.anchors) {
          const list = anchorIndex.get(w);
          if (list === undefined) continue;
          for (const si of list) {
            if (lineStamp[si] !== stamp) {
              lineStamp[si] = stamp;
              candidates.push(si);
            }
          }
        }
        if (!candidates.length) continue;
        const cps = codePoints(qt.text);
        const q = { cps, len: cps.length, pm: null, hist: histogram(cps) };
        for (const si of Int32Array.from(candidates).sort()) {
          const sl = sigLines[si];
          if (R.lengthBound(q.len, sl.len) < cutoff) continue;
          if (qt.codes.size && sl.codes.size && disjoint(qt.codes, sl.codes)) continue;
          const sim =
            qt.text.startsWith(prefix) && sl.template.startsWith(prefix)
              ? ratio(qt.text.slice(prefix.length), sl.template.slice(prefix.length), cutoff)
              : similarity(sl.group, q, cutoff);
          if (!sim) continue;
          const cited = !qt.codes.size || !disjoint(qt.codes, articleCodes[sl.article]);
          const own = R.ownComponent(line.component, index.articles[sl.article].components);
          const w = R.lineWeight(sim, sl.letters, sl.df, cited, own);
          let lines = evidence.get(sl.article);
          if (lines === undefined) evidence.set(sl.article, (lines = new Map()));
          const best = lines.get(si);
          if (best === undefined || w > best[0]) lines.set(si, [w, sim, line, sl]);
        }
      }
      return evidence;
    }

    return { match, sigLines };
  }

  Object.assign(K, { ratio, withinOneEdit, makeLineMatcher });
})(typeof globalThis !== "undefined" ? globalThis : this);
