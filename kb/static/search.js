/* kb/static/search.js: the kb search engine, in the browser and in node.
 *
 * A second implementation of kb.search (Python) that ranks exactly alike: the
 * same paste reading (kb.logs, kb.signals), word normalisation (kb.textnorm),
 * masking (kb.masking), code extraction and decoding (kb.codes), fuzzy line
 * matching (rapidfuzz's ratio), BM25F text scoring (Whoosh) and formulas
 * (kb.ranking). Every parameter, word list and statistic comes from the data
 * the site build writes (search-index.js, codes.js), never from this file;
 * tests/vectors/search_vectors.json proves both engines agree.
 *
 * No DOM here: site.js renders. Plain ES2020, no modules, so a <script src>
 * works from file:// too.
 *
 * Sections: 1 Python string semantics, 2 words, 3 error codes, 4 masking,
 * 5 log reading, 6 signals, 7 fuzzy matching, 8 ranking formulas, 9 engine.
 */
(function (root) {
  "use strict";

  // ===== 1. Python string semantics ===========================================
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

  // ===== 2. Words (kb.textnorm) ===============================================

  const TOKEN_RE = /[A-Za-z0-9_]+/g;
  const PART_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
  const MIXED_RE = /[a-z].*[A-Z]|[A-Z].*[a-z]/;
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

  /** Strip a common English suffix (kb.textnorm.stem). */
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
      return stem(token);
    }

    function forms(token) {
      const out = [];
      const lower = token.toLowerCase();
      const whole = keep(lower);
      if (whole !== null) out.push(whole);
      if (NUMERIC_RE.test(lower)) return out; // 0x06D0 is a number, not camelCase
      const inner = stripChar(token, "_");
      if (inner.length >= 10 && (inner.includes("_") || MIXED_RE.test(inner))) {
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

  // ===== 3. Error codes (kb.codes: extract, parse, decode) ====================

  const STRONG = new Set(["exitcode", "returncode", "errorcode", "resultcode", "code", "error",
    "err", "errorlevel", "gle", "lasterror", "hresult", "hr"]);
  const LAST_HKEY = 0x80000006;
  const SETUP_ID = /^0x[0-9a-f]{6}$/;
  const HAS_DIGIT = /[0-9]/;
  // The scan runs on a lower-cased copy with one space in front; every
  // alternative consumes the separator before the code (see kb/codes/extract.py).
  const SCAN = new RegExp(
    "[ \\t\\r\\n(\\[,;:=>|'\"`]" +
    "(?:" +
      "(?<kw>e(?:xit ?code|rror(?:level| ?code)?|rr)" +
        "|r(?:eturn ?code|esult ?code|eturned|eturning|esult|eceived)" +
        "|code|status(?: ?code)?|gle|last error|hr(?:esult)?|failed(?: with)?)" +
      `[ \\t]*(?:==?|[:#;]|(?:is|was|of)(?![${W}]))?[ \\t]*[\\[(]?[ \\t]*` +
      "(?<v>" +
        "0x\\((?<ph>[0-9a-f]{1,8})\\)" +
        "|0x(?<h>[0-9a-f]{1,8})(?![0-9a-z_])" +
        `|(?<b>[0-9a-f]{8})(?![${W}])` +
        `|(?<d>-?[0-9]{1,10})(?![${W}]|[.:/-][0-9])` +
      ")" +
    `|0x(?<u>[89cd][0-9a-f]{7})(?![${W}])` +
    `|(?<=\\()(?<![${W}$\\\\/.{}+-]\\()(?<p>[89cd][0-9a-f]{7})\\)` +
    `|(?<n>-?[1-4][0-9]{9})(?![${W}]|[.:/-][0-9])` +
    ")",
    "gu"
  );
  // Python's $ also matches before a final newline: (?=\n?$).
  const ADDRESS_BEFORE = new RegExp(
    `(?:(?<![${W}])at|address|addr|base|offset|ptr|pointer|flags?|attrib[${W}]*|mask|signature` +
    `|handle|(?<![${W}])id)[ \\t]*[:=]?[ \\t]*[\\[(]?[ \\t]*(?=\\n?$)`,
    "gu"
  );
  const NUMBER_RE = new RegExp(
    `^(?:0[xX]\\((?<ph>[0-9a-fA-F]+)\\)|0[xX](?<h>[${W}]*)|(?<d>[-+]?[0-9]+)|(?<b>[${W}]+))$`, "u");
  const WORD_RE = new RegExp(
    `(?<![${W}.:/\\\\-])(?:0[xX]\\([0-9a-fA-F]+\\)|[-+]?[${W}]+)(?![${W}.:/\\\\-][${W}]|[${W}])`, "gu");
  const HEX_ONLY = /^[0-9a-fA-F]+$/;
  const ALPHA_ONLY = /^\p{L}+$/u;
  const BRACKETS = { "(": ")", "[": "]" };
  const N_BIT = 0x10000000;
  const NT_KEY = 0x1000;
  const NT_SEVERITY = ["success", "informational", "warning", "error"];
  const NAME_PREFIX = /^(?:[A-Z0-9]+_)*?[ESWIFX]_|^(?:ERROR|STATUS|NERR|DBG)_|^WSA/;
  const CAMEL = /(?<=[a-z0-9])(?=[A-Z])/g;

  function formatHex(value) {
    return "0x" + (value >>> 0).toString(16).toUpperCase().padStart(8, "0");
  }

  function asciiLower(text) {
    return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  }

  function hexMap(obj) {
    const m = new Map();
    for (const k of Object.keys(obj || {})) m.set(parseInt(k, 16), obj[k]);
    return m;
  }

  function makeCodes(table) {
    const win32 = hexMap(table.win32);
    const hresult = hexMap(table.hresult);
    const ntstatus = hexMap(table.ntstatus);
    const facilityNames = hexMap(table.facilities);
    const ntFacilityNames = hexMap(table.nt_facilities);
    const written = hexMap(table.written);
    const cache = new Map();

    /** Whether the header table names a value of 0x10000 and up (or its wrapped code). */
    function named(value) {
      if (value < 0x10000) return false;
      if (hresult.has(value) || ntstatus.has(value)) return true;
      return (value >>> 16) === 0x8007 && win32.has(value & 0xffff);
    }

    function addressBefore(scan, start) {
      ADDRESS_BEFORE.lastIndex = Math.max(0, start - 23);
      return ADDRESS_BEFORE.test(scan.slice(0, start + 1));
    }

    function accept(m, scan) {
      const g = m.groups;
      const end = m.index + m[0].length;
      if (g.kw !== undefined) {
        const digits = g.h !== undefined ? g.h : g.ph;
        let value;
        if (digits !== undefined) {
          const start = end - g.v.length;
          if (digits.length === 6 && SETUP_ID.test(g.v) && scan[start - 1] === "[" && scan[end] === "]") {
            return null;
          }
          value = parseInt(digits, 16);
        } else if (g.b !== undefined) {
          value = parseInt(g.b, 16);
        } else {
          value = Number(g.d);
          if (!(value >= -0x80000000 && value <= 0xffffffff)) return null;
          value = value >>> 0;
        }
        if (value === 0) return null;
        if (STRONG.has(g.kw.replace(/ /g, ""))) {
          return value < 0x10000 || value >= 0x80000000 || named(value) ? value : null;
        }
        return value >= 0x80000000 || named(value) ? value : null;
      }
      if (g.u !== undefined) {
        const value = parseInt(g.u, 16);
        if (value <= LAST_HKEY || addressBefore(scan, m.index)) return null;
        return value;
      }
      if (g.p !== undefined) {
        const value = parseInt(g.p, 16);
        return (value >>> 16) === 0x8007 || named(value) ? value : null;
      }
      const value = Number(g.n) >>> 0;
      return value >= 0x80000000 && named(value) ? value : null;
    }

    function valueSpan(m) {
      const g = m.groups;
      const end = m.index + m[0].length;
      if (g.kw !== undefined) return [end - g.v.length, end];
      if (g.u !== undefined) return [end - 10, end];
      if (g.p !== undefined) return [end - 9, end - 1];
      return [end - g.n.length, end];
    }

    /** Every error code written in the text, in order, duplicates kept. */
    function extractCodes(text) {
      if (!text || !HAS_DIGIT.test(text)) return [];
      let scan = " " + text.toLowerCase();
      if (scan.length !== text.length + 1) scan = " " + asciiLower(text);
      const found = [];
      const re = SCAN;
      re.lastIndex = 0;
      let m;
      while ((m = re.exec(scan)) !== null) {
        const value = accept(m, scan);
        if (value !== null) {
          const [start, end] = valueSpan(m);
          found.push({ value, start: start - 1, end: end - 1, text: text.slice(start - 1, end - 1) });
        }
        re.lastIndex = m.index + m[0].length; // accept() may have run other regexes
      }
      return found;
    }

    function codeValues(text) {
      const seen = new Set();
      for (const f of extractCodes(text)) seen.add(f.value);
      return [...seen];
    }

    function checked(value, token) {
      if (!(value >= -0x80000000 && value <= 0xffffffff)) {
        throw new CodeError(`'${token}' is outside the 32-bit range`);
      }
      return value >>> 0;
    }

    function number(token, inText) {
      const m = NUMBER_RE.exec(token);
      if (m === null) return null;
      const g = m.groups;
      if (g.ph !== undefined) return checked(parseInt(g.ph, 16), token);
      if (g.h !== undefined) {
        if (!g.h || !HEX_ONLY.test(g.h)) throw new CodeError(`malformed hex number '${token}'`);
        return checked(parseInt(g.h, 16), token);
      }
      if (g.d !== undefined) {
        const digits = g.d;
        if (digits.length === 8 && /^[0-9]+$/.test(digits)) return parseInt(digits, 16);
        if (inText && digits.replace(/^[-+]+/, "").length < 10) return null;
        return checked(Number(digits), token);
      }
      const word = g.b;
      if (cpLen(word) === 8 && HEX_ONLY.test(word) && (!inText || !ALPHA_ONLY.test(word))) {
        return parseInt(word, 16);
      }
      return null;
    }

    function looseValues(text) {
      const seen = new Set();
      WORD_RE.lastIndex = 0;
      let m;
      while ((m = WORD_RE.exec(text)) !== null) {
        const value = number(m[0], true);
        if (value !== null) seen.add(value);
      }
      return [...seen];
    }

    /** Read one code from user input (kb.codes.parse_code); throws CodeError. */
    function parseCode(text) {
      const stripped = strip(text);
      if (!stripped) throw new CodeError("empty input: expected an error code such as 0x80070002");
      let inner = stripped;
      if (cpLen(inner) > 2 && BRACKETS[inner[0]] === inner[inner.length - 1]) {
        inner = strip(inner.slice(1, -1));
      }
      if (inner && !inner.includes(" ")) {
        const value = number(inner, false);
        if (value !== null) return value;
      }
      let values = codeValues(stripped);
      if (!values.length) values = looseValues(stripped);
      if (!values.length) throw new CodeError("no error code found");
      if (values.length > 1) {
        throw new CodeError("more than one error code: " + values.map(formatHex).join(", "));
      }
      return values[0];
    }

    function facility(key) {
      const code = key & 0xfff;
      const names = key & NT_KEY ? ntFacilityNames : facilityNames;
      return { code, name: names.get(code) || "" };
    }

    function unnamedKind(value) {
      const top = value >>> 30;
      if ((top === 1 || top === 3) && !(value & N_BIT)) {
        const code = (value >>> 16) & 0xfff;
        if (code === 0 || ntFacilityNames.has(code)) return "ntstatus";
      }
      return "hresult";
    }

    function phrase(name) {
      const words = name.replace(NAME_PREFIX, "") || name;
      return strip(words.replace(CAMEL, " ").replace(/_/g, " ").toLowerCase());
    }

    function lowerFirst(text) {
      if (text.length > 1 && /\p{Lu}/u.test(text[0]) && /\p{Ll}/u.test(text[1])) {
        return text[0].toLowerCase() + text.slice(1);
      }
      return text;
    }

    function writtenOf(value) {
      const w = written.get(value);
      return w === undefined ? null : { description: w[0], hint: w[1], generic: w[2] };
    }

    function built(value, hex, kind, names, fac) {
      const label = kind === "win32" ? `Win32 error ${value}` : kind === "ntstatus" ? `NTSTATUS ${hex}` : `HRESULT ${hex}`;
      if (names.length) return `${label} (${names[0]}): ${phrase(names[0])}.`;
      const code = (value & 0xffff).toString(16).toUpperCase().padStart(4, "0");
      if ((value >>> 20) === 0x87d) {
        const f = ((value >>> 16) & 0xfff).toString(16).toUpperCase().padStart(3, "0");
        return `Configuration Manager client error (facility 0x${f}, code 0x${code}); the Windows headers do not name it.`;
      }
      if (fac === null) return `${label}; the Windows headers do not name it.`;
      const where = fac.name ? `facility ${fac.name}` : `facility 0x${fac.code.toString(16).toUpperCase().padStart(3, "0")}`;
      return `${label} (${where}, code 0x${code}); the Windows headers do not name it.`;
    }

    function meaning(value, hex, kind, names, fac, wrapped, wrappedNames) {
      if (wrapped !== null) {
        const what = kind === "hresult-win32" ? `Win32 error ${wrapped}` : `NTSTATUS ${formatHex(wrapped)}`;
        const label = wrappedNames.length ? `${what} (${wrappedNames[0]})` : what;
        const inner = writtenOf(wrapped);
        if (inner !== null) {
          return [`${label} returned as an HRESULT: ${lowerFirst(inner.description)}`, inner.hint, inner.generic];
        }
        if (wrappedNames.length) return [`${label} returned as an HRESULT: ${phrase(wrappedNames[0])}.`, null, false];
        return [`${label} returned as an HRESULT; the Windows headers do not name it.`, null, false];
      }
      return [built(value, hex, kind, names, fac), null, false];
    }

    /** Decode a 32-bit code as kb.codes.decode does; returns the lookup fields. */
    function decode(value) {
      value = value >>> 0;
      const hit = cache.get(value);
      if (hit !== undefined) return hit;
      let wrapped = null;
      let wrappedNames = [];
      let fac = null;
      let w32 = null;
      let kind;
      let severity;
      let names;
      const hex = formatHex(value);
      if (value < 0x10000) {
        kind = "win32";
        severity = value === 0 ? "success" : "error";
        names = win32.get(value) || [];
        w32 = value;
      } else {
        names = hresult.get(value) || [];
        if (names.length) {
          kind = "hresult";
          if (ntstatus.has(value)) names = names.concat(ntstatus.get(value));
        } else {
          names = ntstatus.get(value) || [];
          kind = names.length ? "ntstatus" : unnamedKind(value);
        }
        let key = (value >>> 16) & 0xfff;
        if (kind === "ntstatus") {
          severity = NT_SEVERITY[value >>> 30];
          key |= NT_KEY;
        } else {
          severity = value & 0x80000000 ? "error" : "success";
        }
        fac = facility(key);
        if (kind !== "ntstatus") {
          if ((value >>> 16) === 0x8007) {
            kind = "hresult-win32";
            wrapped = w32 = value & 0xffff;
            wrappedNames = win32.get(wrapped) || [];
          } else if (!names.length && value & N_BIT) {
            const innerValue = (value & ~N_BIT) >>> 0;
            const inner = ntstatus.get(innerValue) || [];
            if (inner.length) {
              wrapped = innerValue;
              wrappedNames = inner;
            }
          }
        }
      }
      const own = writtenOf(value);
      const [description, hint, generic] = own !== null
        ? [own.description, own.hint, own.generic]
        : meaning(value, hex, kind, names, fac, wrapped, wrappedNames);
      if (wrappedNames.length) names = [...new Set(names.concat(wrappedNames))];
      const info = {
        hex,
        unsigned: value,
        signed: value >= 0x80000000 ? value - 0x100000000 : value,
        kind,
        severity,
        facility: fac,
        win32: w32,
        names: names.slice(),
        description,
        hint,
        generic,
      };
      if (names.length || own !== null) cache.set(value, info);
      return info;
    }

    return { extractCodes, codeValues, parseCode, decode, formatHex, named };
  }

  // ===== 4. Masking (kb.masking) ==============================================

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

  // ===== 5. Log reading (kb.logs, kb.logformats, kb.logtext) ==================
  // Only what ranking reads is kept of a record: line, message, component,
  // severity and format (times and dates are not needed to search).

  const BREAK_RE = /\r\n|\r|\n/;
  const OPEN = "<![LOG[";
  const TRAILER_AT = "]LOG]!><time=";
  const TRAILER_END = new RegExp(`<time="[^"]*"(?:[${S}]+[${W}-]+="[^"]*")*[${S}]*>?`, "uy");
  const ATTR_RE = new RegExp(`([${W}-]+)="([^"]*)"`, "gu");
  // The attribute order CMTrace writers use (kb.logformats._STANDARD).
  const STANDARD_RE = new RegExp(
    `time="[^"]*"[${S}]+date="[^"]*"[${S}]+component="([^"]*)"[${S}]+context="[^"]*"[${S}]+` +
    `type="([^"]*)"[${S}]+thread="[^"]*"`, "u");
  const COPY_RE = new RegExp(
    `^([^\\n]*?)[\\t ]+${D}{1,4}[/.-]${D}{1,2}[/.-]${D}{1,4}[\\t ]+` +
    `${D}{1,2}:${D}{2}:${D}{2}(?:[.,]${D}+)?(?:[\\t ]*[AaPp]\\.?[Mm]\\.?)?` +
    `[\\t ]+${D}+[\\t ]*\\(0x[0-9A-Fa-f]+\\)$`, "u");
  const LAST_WORD_RE = new RegExp(`^([^\\n]*?)[\\t ]+([^${S}]+)$`, "u");
  const SETUPACT_RE = new RegExp(
    `^(?:${D}{4}-${D}{2}-${D}{2}|<[^<>]*[Dd][Aa][Tt][Ee][^<>]*>) ` +
    `(?:${D}{2}:${D}{2}:${D}{2}|<[^<>]*[Tt][Ii][Mm][Ee][^<>]*>), ` +
    `([A-Za-z]+)(?![${W}])[\\t ]*(?:\\[0x[0-9A-Fa-f]+\\][\\t ]*)?([^\\n]*)$`, "u");
  const SETUP_COMPONENT_RE = new RegExp(`^(?:([A-Z][A-Z0-9]{1,9})|\\[([${W}.-]+)\\])[\\t ]+([^\\n]*)$`, "u");
  const SETUP_LEVELS = { info: 1, perf: 1, warning: 2, error: 3, fatalerror: 3, fatal: 3, trace: 0, debug: 0, verbose: 0 };
  const IIS_DIRECTIVE_RE = /^#(?:Fields|Software|Version|Date|Remark|Start-Date|End-Date):/;
  const IIS_RE = new RegExp(
    `^(?:${D}{4}-${D}{2}-${D}{2}|<[^<>${S}]+>) (?:${D}{2}:${D}{2}:${D}{2}(?:\\.${D}+)?|<[^<>${S}]+>) ` +
    `(?:[^${S}]+ )*?[A-Z][A-Z_]{2,19} /[^${S}]*`, "u");
  const BITS_RE = new RegExp(
    `^(?:GUID: \\{[0-9A-Fa-f-]+\\}|DISPLAY: |TYPE: (?:DOWNLOAD|UPLOAD|UPLOAD[-_]REPLY)(?![${W}])` +
    `|STATE: [A-Z_]+(?![${W}])|PRIORITY: [A-Z]+(?![${W}])|FILES: ${D}|BYTES: ${D}|(?:CREATION|MODIFICATION` +
    `|COMPLETION) TIME: |ACL FLAGS:|NOTIFY INTERFACE: |NOTIFICATION FLAGS: |RETRY DELAY: ${D}` +
    `|NO PROGRESS TIMEOUT: ${D}|ERROR COUNT: ${D}|PROXY (?:USAGE|LIST|BYPASS LIST): ` +
    `|ERROR (?:FILE|CODE|CONTEXT):|DESCRIPTION:|JOB FILES:|NOTIFICATION COMMAND LINE:` +
    `|PEERCACHING FLAGS:|OWNER MIC INTEGRITY LEVEL:|OWNER ELEVATED \\?|CUSTOM HEADERS:` +
    `|Listed ${D}+ job\\(s\\)\\.|BITSADMIN version |BITS administration utility` +
    `|\\{[0-9A-Fa-f-]{36}\\} '[^\\n]*' [A-Z_]+ ${D}+ / )`, "u");
  const BITS_STATE_ERROR_RE = new RegExp(`(?<![${W}])STATE: (?:TRANSIENT_)?ERROR(?![${W}])`, "u");
  const BITS_LIST_ERROR_RE = /' (?:TRANSIENT_)?ERROR /;
  const SPACES_RE = new RegExp(`[${S}]+`, "u");
  const MAX_RECORD = 1 << 20;

  /** Split pasted text into lines on CRLF, LF or CR (kb.logtext.text_lines). */
  function textLines(text) {
    if (text.startsWith("\ufeff")) text = text.slice(1);
    const lines = text.split(BREAK_RE);
    if (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  function record(line, message, component, format, severity) {
    return { line, message, component: component || "", format: format || "plain", severity: severity === undefined ? null : severity };
  }

  function findTrailer(text) {
    const start = text.indexOf(TRAILER_AT);
    if (start < 0) return null;
    TRAILER_END.lastIndex = start + 7;
    const m = TRAILER_END.exec(text);
    return [start, m ? m.index + m[0].length : text.length];
  }

  function cmtraceFields(trailer) {
    const std = STANDARD_RE.exec(trailer);
    if (std !== null) {
      return { component: std[1], severity: ["0", "1", "2", "3"].includes(std[2]) ? Number(std[2]) : null };
    }
    const attrs = new Map();
    ATTR_RE.lastIndex = 0;
    let m;
    while ((m = ATTR_RE.exec(trailer)) !== null) attrs.set(m[1], m[2]);
    const sev = attrs.get("type") || "";
    return {
      component: attrs.get("component") || "",
      severity: ["0", "1", "2", "3"].includes(sev) ? Number(sev) : null,
    };
  }

  function matchSetupact(line) {
    const m = SETUPACT_RE.exec(line);
    if (m === null) return null;
    const rest = m[2];
    const c = SETUP_COMPONENT_RE.exec(rest);
    const level = m[1].toLowerCase();
    return {
      message: c ? c[3] : rest,
      component: c ? (c[1] !== undefined ? c[1] : c[2]) : "",
      severity: Object.prototype.hasOwnProperty.call(SETUP_LEVELS, level) ? SETUP_LEVELS[level] : null,
    };
  }

  function iisSeverity(line, fields) {
    const tokens = line.split(" ");
    let status = null;
    if (fields && tokens.length === fields.length && fields.includes("sc-status")) {
      status = tokens[fields.indexOf("sc-status")];
    } else {
      for (const back of [4, 3]) {
        const tail = tokens.slice(-back);
        if (tokens.length > back && tail.every((t) => /^[0-9]+$/.test(t)) && Number(tail[0]) >= 100 && Number(tail[0]) <= 599) {
          status = tail[0];
          break;
        }
      }
    }
    if (!status || !/^[0-9]+$/.test(status)) return null;
    return Number(status) >= 400 ? 3 : 1;
  }

  function bitsSeverity(line) {
    const text = lstrip(line);
    if (!BITS_RE.test(text)) return undefined;
    if (text.startsWith("ERROR CODE:")) return 3;
    if (BITS_STATE_ERROR_RE.test(text) || BITS_LIST_ERROR_RE.test(text)) return 2;
    return null;
  }

  function copyParts(rest) {
    const tab = rest.lastIndexOf("\t");
    if (tab >= 0) return [rstrip(rest.slice(0, tab)), strip(rest.slice(tab + 1))];
    const m = LAST_WORD_RE.exec(rest);
    if (m) return [rstrip(m[1]), m[2]];
    return ["", strip(rest)];
  }

  function makeLogReader(knownComponents) {
    const COMPONENTS = new Set(knownComponents);

    function splitComponent(text) {
      const cut = Math.max(text.lastIndexOf(" "), text.lastIndexOf("\t"));
      if (cut > 0 && COMPONENTS.has(text.slice(cut + 1)) && strip(text.slice(0, cut))) {
        return [rstrip(text.slice(0, cut)), text.slice(cut + 1)];
      }
      return [text, ""];
    }

    /** The line-at-a-time state machine of kb.logs._Parser. */
    function parseText(text) {
      const out = [];
      let n = 0;
      let cmLines = [];
      let cmStart = 0;
      let cmSize = 0;
      let setup = null;
      let setupLines = [];
      let setupSize = 0;
      let iisFields = null;

      function closeSetup() {
        if (setup === null) return;
        out.push(record(setup.line, rstrip(setupLines.join("\n")), setup.component, "setupact", setup.severity));
        setup = null;
        setupLines = [];
      }

      function finishCmtrace(parts, line, trailer) {
        const [start, end] = trailer;
        const fields = cmtraceFields(line.slice(start, end));
        out.push(record(cmStart, rstrip(parts.join("\n")), fields.component, "cmtrace", fields.severity));
        cmLines = [];
        const rest = line.slice(end);
        return strip(rest) ? rest : null;
      }

      function startCmtrace(line, at) {
        cmLines = [line];
        cmStart = at;
        cmSize = line.length;
        const body = line.slice(line.indexOf(OPEN) + OPEN.length);
        const trailer = findTrailer(body);
        if (trailer === null) return null;
        return finishCmtrace([body.slice(0, trailer[0])], body, trailer);
      }

      function continueCmtrace(line) {
        const trailer = findTrailer(line);
        if (trailer !== null) {
          const first = cmLines[0];
          const body = [first.slice(first.indexOf(OPEN) + OPEN.length), ...cmLines.slice(1)];
          return finishCmtrace([...body, line.slice(0, trailer[0])], line, trailer);
        }
        cmLines.push(line);
        cmSize += line.length + 1;
        if (cmSize > MAX_RECORD) abandonCmtrace();
        return null;
      }

      function abandonCmtrace() {
        const lines = cmLines;
        const start = cmStart;
        cmLines = [];
        out.push(record(start, strip(lines[0])));
        for (let i = 1; i < lines.length; i++) handle(lines[i], start + i);
      }

      function shape(line, at) {
        if (IIS_DIRECTIVE_RE.test(line)) {
          if (line.startsWith("#Fields:")) iisFields = line.slice(line.indexOf(":") + 1).split(SPACES_RE).filter(Boolean);
          return record(at, line, "", "iis");
        }
        if (IIS_RE.test(line)) return record(at, line, "", "iis", iisSeverity(line, iisFields));
        const bits = bitsSeverity(line);
        if (bits !== undefined) return record(at, strip(line), "", "bitsadmin", bits);
        if (!line.endsWith(")") || !line.includes("(0x")) return null;
        const m = COPY_RE.exec(line);
        if (m === null) return null;
        const [message, component] = copyParts(m[1]);
        return record(at, message, component, "cmtrace-copy");
      }

      function handleOnce(line, at) {
        if (!strip(line)) {
          closeSetup();
          return null;
        }
        if (lstrip(line).startsWith(OPEN)) {
          closeSetup();
          return startCmtrace(line, at);
        }
        const s = matchSetupact(line);
        if (s !== null) {
          closeSetup();
          setup = { line: at, component: s.component, severity: s.severity };
          setupLines = [s.message];
          setupSize = line.length;
          return null;
        }
        let rec = shape(line, at);
        const fits = setupSize + line.length <= MAX_RECORD;
        if (rec === null && setup !== null && fits) {
          setupLines.push(line);
          setupSize += line.length;
          return null;
        }
        closeSetup();
        if (rec === null) {
          const [message, component] = splitComponent(strip(line));
          rec = record(at, message, component);
        }
        out.push(rec);
        return null;
      }

      function handle(line, at) {
        while (line !== null) line = handleOnce(line, at);
      }

      for (const raw of textLines(text)) {
        n += 1;
        const line = rstrip(raw);
        if (cmLines.length) {
          if (lstrip(line).startsWith(OPEN)) {
            abandonCmtrace();
          } else {
            handle(continueCmtrace(line), n);
            continue;
          }
        }
        handle(line, n);
      }
      if (cmLines.length) abandonCmtrace();
      closeSetup();
      return out;
    }

    return { parseText, splitComponent, textLines };
  }

  // ===== 6. Signals (kb.signals) ==============================================

  const FAILED_ACTION_RE = new RegExp(
    `Failed to run the action: ([^\\n]+?)\\.?(?:[${S}]+Error(?![${W}])[^\\n]*)?$`, "iu");
  const ERRORISH_RE = new RegExp(
    `(?<![${W}])(?:fail(?:ed|ure|s)?|error|unable|cannot|could not)(?![${W}])`, "iu");

  function makeSignals(words, codes, masker, logs, limits) {
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
        // The failure tail's words are not search terms (kb.signals); its codes still count.
        const said = rec.message.split("\n").filter((x) => !masker.isBoilerplate(x)).join("\n") + " " + rec.component;
        TOKEN_RE.lastIndex = 0;
        let tok;
        while ((tok = TOKEN_RE.exec(said)) !== null) {
          for (const t of words.forms(tok[0])) {
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
          sig.lines.push({ number: rec.line + offset, text: raw, template: tpl, error });
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

  // ===== 7. Fuzzy matching (rapidfuzz ratio, OSA distance) ====================

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

  // ===== 8. Ranking formulas (kb.ranking) =====================================

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

    function lineWeight(similarity, letters, df, codesCited) {
      const closeness = (similarity - P.line_floor) / (100.0 - P.line_floor);
      const info = Math.min(1.0, letters / P.line_full_letters);
      const weight = (P.line_gain * closeness * info) / Math.max(df, 1);
      return codesCited ? weight : weight * P.uncited_code_line_weight;
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

    return { combine, articleScore, codeClass, codeWeight, lengthBound, lineWeight, termCoverage, textPart };
  }

  // ===== 9. The engine (kb.search.Engine) =====================================
  // Scores are computed for every article with evidence in flat typed arrays;
  // the result objects (with reasons) are built only for the articles shown.
  // Every sum and product runs in Python's order, so scores agree to the bit.

  const CLASS_NAMES = { g: "generic", c: "common", s: "specific" };

  function disjoint(a, b) {
    for (const x of a) if (b.has(x)) return false;
    return true;
  }

  function clamp01(p) {
    return Math.min(Math.max(p, 0.0), 1.0);
  }

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

    return { has: (t) => termTable.has(t), totalDf, byRarity, correct, queryTerms, coverage, logFull: bm.log_full };
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
          const w = R.lineWeight(sim, sl.letters, sl.df, cited);
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

  /** Build the engine from the site's search index and code table. */
  function createEngine(index, codeTable) {
    const P = index.params;
    const limits = index.limits;
    const words = makeWords(index.stop_words);
    const COMMON = new Set(index.common_terms);
    const codes = makeCodes(codeTable || {});
    const masker = makeMasker(words, codes, index.boilerplate, limits.mask_max_line);
    const logs = makeLogReader(index.components);
    const signals = makeSignals(words, codes, masker, logs, limits);
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
    const text = makeTextIndex(index, P, COMMON, R);
    const lines = makeLineMatcher(index, P, COMMON, R, articleCodes);

    function codeKindOf(value) {
      const kind = codeKind.get(value);
      if (kind !== undefined) return kind;
      const info = codes.decode(value);
      return R.codeClass(info.generic, info.win32);
    }

    function isLogLike(sig) {
      if (sig.failedAction || sig.format !== "plain") return true;
      let withCodes = 0;
      for (const line of sig.lines) if (line.template.codes.size) withCodes++;
      return withCodes >= 2;
    }

    /** The full result of one article, with its reasons (Engine._result). */
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
      reasons.sort((x, y) => y.weight - x.weight);
      return {
        id: a.id,
        title: a.title,
        score: s.rounded,
        parts: { codes: pyRound(s.codes, 4), lines: pyRound(s.lines, 4), text: pyRound(s.text, 4) },
        summary: a.summary,
        first_step: a.first_step,
        reasons,
        raw: { score: s.score, codes: s.codes, lines: s.lines, text: s.text },
      };
    }

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
      for (const value of sig.codes) {
        const cited = codeArticles.get(value);
        if (cited === undefined) continue;
        const kind = codeKind.get(value);
        for (const [i, inSig] of cited) {
          codeMiss[i] *= 1.0 - clamp01(R.codeWeight(cited.length, kind, inSig));
          mark(i);
        }
      }
      const lineEv = lines.match(sig);
      for (const i of lineEv.keys()) mark(i);
      const [stats, total] = text.queryTerms(sig.terms);
      const covered = new Float64Array(N);
      const inText = new Uint8Array(N);
      for (const [t, [scale, imp]] of stats) {
        const c = text.coverage(t, scale);
        for (let j = 0; j < c.docs.length; j++) {
          const i = c.docs[j];
          covered[i] += imp * c.cov[j];
          inText[i] = 1;
          mark(i);
        }
      }
      const logLike = isLogLike(sig);
      const specific = new Set(sig.codes.filter((v) => codeKindOf(v) === "specific"));
      const scored = [];
      for (const i of touched) {
        let linePart = 0.0;
        const lev = lineEv.get(i);
        if (lev !== undefined) {
          let miss = 1.0;
          for (const e of lev.values()) miss *= 1.0 - clamp01(e[0]);
          linePart = 1.0 - miss;
        }
        const codePart = 1.0 - codeMiss[i];
        const textPart = inText[i] ? R.textPart(covered[i], total, text.logFull) : 0.0;
        const uncited = specific.size > 0 && disjoint(specific, articleCodes[i]);
        const score = R.articleScore(codePart, linePart, textPart, logLike, uncited);
        // round(score, 4) >= threshold needs score >= threshold - 0.00005.
        if (score < threshold - 1e-4) continue;
        const rounded = pyRound(score, 4);
        if (rounded < threshold) continue;
        scored.push({ i, id: articles[i].id, score, rounded, codes: codePart, lines: linePart, text: textPart, uncited, specific, inText: inText[i] });
      }
      scored.sort((x, y) => y.rounded - x.rounded || cmp(x.id, y.id));
      return scored.slice(0, limit).map((s) => materialize(s, sig, stats, lineEv));
    }

    /** The lookup object of a code: its decoding and the articles citing it. */
    function codeAnswer(value) {
      const info = codes.decode(value);
      const cited = (codeArticles.get(value) || []).map(([i]) => {
        const a = articles[i];
        return { id: a.id, title: a.title, summary: a.summary };
      });
      return { input: info.hex, ...info, facility: info.facility && { ...info.facility }, names: info.names.slice(), articles: cited };
    }

    /** The search answer for a paste, as `kb search --json` (plus raw scores and the lines read). */
    function search(query, limit) {
      const sig = signals.readSignals(query);
      const results = rank(sig, { threshold: P.threshold, limit: Math.max(limit === undefined ? 10 : limit, 0) });
      return {
        query,
        codes: sig.codes.slice(0, limits.max_codes_shown).map(codeAnswer),
        results,
        lines: sig.lines.map((l) => ({ number: l.number, text: l.text })),
      };
    }

    return {
      search,
      rank,
      readSignals: signals.readSignals,
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
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.KbSearch = api;
})(typeof globalThis !== "undefined" ? globalThis : this);
