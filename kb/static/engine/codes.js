/* kb/static/engine/codes.js: error codes (extraction, parsing); must stay equal to
 * kb/codes/extract.py and kb/codes/parse.py. Decoding is decode.js.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { W, strip, cpLen, CodeError, formatHex, makeDecoder } = K;

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

  function asciiLower(text) {
    return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
  }

  function makeCodes(table) {
    const { decode, named } = makeDecoder(table);

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

    // kb.codes.extract._EXIT_BEFORE: "exit code 31" is a process's own result.
    const EXIT_BEFORE = /(?:exit|return)[ _]?code[ \t]*(?:==?|[:#;]|is|was|of)?[ \t]*[\[(]?[ \t]*$/i;

    /** The codes the text writes only as a process's decimal exit code (kb.codes.exit_code_values). */
    function exitCodeValues(text) {
      const exits = new Set();
      const others = new Set();
      for (const f of extractCodes(text)) {
        const decimal = /^-?[0-9]+$/.test(f.text);
        if (decimal && f.value < 0x10000 && EXIT_BEFORE.test(text.slice(Math.max(0, f.start - 40), f.start))) exits.add(f.value);
        else others.add(f.value);
      }
      for (const v of others) exits.delete(v);
      return exits;
    }

    function codeValues(text) {
      const seen = new Set();
      for (const f of extractCodes(text)) seen.add(f.value);
      return [...seen];
    }

    function checked(value, token) {
      if (!(value >= -0x80000000 && value <= 0xffffffff)) {
        // kb.codes.parse._shown: at most 40 characters of the token.
        const shown = token.length <= 40 ? token : token.slice(0, 40) + "…";
        throw new CodeError(`'${shown}' is outside the 32-bit range`);
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

    return { extractCodes, exitCodeValues, codeValues, parseCode, decode, formatHex, named };
  }


  Object.assign(K, { makeCodes });
})(typeof globalThis !== "undefined" ? globalThis : this);
