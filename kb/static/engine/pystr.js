/* kb/static/engine/pystr.js: Python string semantics; no Python module (a JS-only
 * shim).
 *
 * Python's \s, \w, \d, str.strip(), len(), round() and $ are Unicode-aware or differ
 * from JavaScript's; every other part uses these instead of the JavaScript ones.
 * Also set.isdisjoint and the error types of kb/errors.py (KbError, CodeError,
 * QueryError). First of the parts: it creates the shared namespace KbEngineParts.
 */
(function (root) {
  "use strict";
  const K = (root.KbEngineParts = root.KbEngineParts || {});

  // Python's \s, \w, \d, str.strip() and $ are Unicode-aware or differ from
  // JavaScript's; the patterns below spell out Python's character sets.

  const S = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  const W = "\\p{L}\\p{N}_";
  const D = "\\p{Nd}";
  const SURROGATE = /[\uD800-\uDFFF]/;

  function isSpace(c) {
    return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20) || c === 0x85 || c === 0xa0 ||
      c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
      c === 0x202f || c === 0x205f || c === 0x3000;
  }

  function strip(s) {
    let a = 0;
    let b = s.length;
    while (a < b && isSpace(s.charCodeAt(a))) a++;
    while (b > a && isSpace(s.charCodeAt(b - 1))) b--;
    return a === 0 && b === s.length ? s : s.slice(a, b);
  }

  function rstrip(s) {
    let b = s.length;
    while (b > 0 && isSpace(s.charCodeAt(b - 1))) b--;
    return b === s.length ? s : s.slice(0, b);
  }

  function lstrip(s) {
    let a = 0;
    while (a < s.length && isSpace(s.charCodeAt(a))) a++;
    return a === 0 ? s : s.slice(a);
  }

  function stripChar(s, ch) {
    let a = 0;
    let b = s.length;
    while (a < b && s[a] === ch) a++;
    while (b > a && s[b - 1] === ch) b--;
    return s.slice(a, b);
  }

  /** Length in code points, as Python's len(). */
  function cpLen(s) {
    if (!SURROGATE.test(s)) return s.length;
    let n = 0;
    for (const _ of s) n++; // eslint-disable-line no-unused-vars
    return n;
  }

  /** The first n code points, as Python's s[:n]. */
  function cpHead(s, n) {
    if (s.length <= n) return s;
    if (!SURROGATE.test(s)) return s.slice(0, n);
    let out = "";
    let i = 0;
    for (const ch of s) {
      if (i++ >= n) break;
      out += ch;
    }
    return out;
  }

  /** Python's round(x, digits): correctly rounded, ties to even. */
  function pyRound(x, digits) {
    const twice = x * Math.pow(2, digits + 1);
    // x * 10^d ends in exactly .5 only when x * 2^(d+1) is an odd integer.
    if (Number.isInteger(twice) && Math.abs(twice % 2) === 1) {
      const scaled = (twice * Math.pow(5, digits)) / 2; // n + 0.5, exact
      const lower = Math.floor(scaled);
      const even = lower % 2 === 0 ? lower : lower + 1;
      return parseFloat((even / Math.pow(10, digits)).toFixed(digits));
    }
    return parseFloat(x.toFixed(digits));
  }

  /** Compare strings by code unit (Python compares ASCII strings alike). */
  function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  class KbError extends Error {}
  class CodeError extends KbError {}
  class QueryError extends KbError {}

  /** Whether two sets share no element (Python's a.isdisjoint(b)). */
  function disjoint(a, b) {
    for (const x of a) if (b.has(x)) return false;
    return true;
  }

  Object.assign(K, {
    S, W, D, SURROGATE, isSpace, strip, rstrip, lstrip, stripChar, cpLen, cpHead, pyRound, cmp,
    disjoint, KbError, CodeError, QueryError,
  });
})(typeof globalThis !== "undefined" ? globalThis : this);
