/* kb/static/engine/codes.js: error codes (extraction, parsing, decoding); must stay
 * equal to kb/codes/extract.py, kb/codes/parse.py and kb/codes/decode.py.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { W, strip, cpLen, CodeError } = K;

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
  const SUCCESS_WIN32 = new Set([0, 1641, 3010, 3011]);
  const SUCCESS_CODES = new Set([0x87d1076c]);
  const LOW_WORD_FACILITIES = [0x80000000, 0x80040000]; // FACILITY_NULL, FACILITY_ITF
  const PROPER = ["Windows ", "Configuration Manager ", "Microsoft "];
  const KB_SOURCE = { kind: "kb", name: "written for kb", url: null }, HEADERS_SOURCE = { kind: "headers", name: "built from the Windows header names (mingw-w64)", url: null };

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
    const documented = hexMap(table.documented);
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
      if (PROPER.some((p) => text.startsWith(p))) return text;
      if (text.length > 1 && /\p{Lu}/u.test(text[0]) && /\p{Ll}/u.test(text[1])) {
        return text[0].toLowerCase() + text.slice(1);
      }
      return text;
    }

    /** A value's own text and its source: written for kb, else documented (decode.py _own). */
    function ownOf(value) {
      const w = written.get(value);
      const d = documented.get(value);
      if (w !== undefined) {
        return { description: w[0], hint: w[1] === null && d !== undefined ? d[1] : w[1], generic: w[2], source: KB_SOURCE };
      }
      if (d !== undefined) {
        const text = d[0].endsWith(".") ? d[0] : d[0] + ".";
        return { description: text, hint: d[1], generic: false, source: { kind: "configmgr", name: "Configuration Manager documentation (Microsoft)", url: d[2] } };
      }
      return null;
    }

    function readingsOf(value) {
      const found = [];
      for (const base of LOW_WORD_FACILITIES) {
        const full = (base | value) >>> 0;
        const names = hresult.get(full);
        if (names && names.length && ownOf(full) !== null) {
          const low = value.toString(16).toUpperCase().padStart(4, "0");
          const why = `${value} is 0x${low}, the low word of this HRESULT: status messages and reports often show only the low word of an HRESULT, in decimal.`;
          found.push({ hex: formatHex(full), names: names.slice(), why });
        }
      }
      return found;
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
        const inner = ownOf(wrapped);
        if (inner !== null) {
          return [`${label} returned as an HRESULT: ${lowerFirst(inner.description)}`, inner.hint, inner.generic, inner.source];
        }
        if (wrappedNames.length) return [`${label} returned as an HRESULT: ${phrase(wrappedNames[0])}.`, null, false, HEADERS_SOURCE];
        return [`${label} returned as an HRESULT; the Windows headers do not name it.`, null, false, HEADERS_SOURCE];
      }
      return [built(value, hex, kind, names, fac), null, false, HEADERS_SOURCE];
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
        severity = SUCCESS_WIN32.has(value) ? "success" : "error";
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
            if (SUCCESS_WIN32.has(wrapped)) severity = "success";
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
      if (SUCCESS_CODES.has(value)) severity = "success";
      const own = ownOf(value);
      const [description, hint, generic, source] = own !== null
        ? [own.description, own.hint, own.generic, own.source]
        : meaning(value, hex, kind, names, fac, wrapped, wrappedNames);
      const doc = documented.get(value);
      const readings = value >= 0x100 && value <= 0xffff ? readingsOf(value) : [];
      let text = description;
      if (readings.length && !names.length && own === null) {
        const first = readings[0];
        text = `Win32 error ${value}, which the Windows headers do not name; most likely the low word of ${first.hex} (${first.names[0]}), as status messages print it.`;
      }
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
        description: text,
        hint,
        generic,
        message: doc === undefined ? null : doc[0],
        source: { kind: source.kind, name: source.name, url: source.url },
        readings,
      };
      if (names.length || own !== null) cache.set(value, info);
      return info;
    }

    return { extractCodes, exitCodeValues, codeValues, parseCode, decode, formatHex, named };
  }

  Object.assign(K, { formatHex, makeCodes });
})(typeof globalThis !== "undefined" ? globalThis : this);
