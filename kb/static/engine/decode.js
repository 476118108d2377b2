/* kb/static/engine/decode.js: decoding an error code (names, facility, severity,
 * description, source); must stay equal to kb/codes/decode.py.
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { strip } = K;

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

  function hexMap(obj) {
    const m = new Map();
    for (const k of Object.keys(obj || {})) m.set(parseInt(k, 16), obj[k]);
    return m;
  }

  /** Build the decoder of a code table: { decode, named } (kb.codes.decode). */
  function makeDecoder(table) {
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

    return { decode, named };
  }

  Object.assign(K, { formatHex, makeDecoder });
})(typeof globalThis !== "undefined" ? globalThis : this);
