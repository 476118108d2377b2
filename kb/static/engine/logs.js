/* kb/static/engine/logs.js: log reading; must stay equal to kb/logs/reader.py (the
 * parser), kb/logs/formats.py (CMTrace, setupact, IIS, BITSAdmin, copied CMTrace lines)
 * and kb/logs/text.py (text_lines).
 */
(function (root) {
  "use strict";
  const K = root.KbEngineParts;
  const { S, W, D, strip, rstrip, lstrip } = K;

  // Only what ranking reads is kept of a record: line, message, component,
  // severity and format (times and dates are not needed to search).

  const BREAK_RE = /\r\n|\r|\n/;
  const OPEN = "<![LOG[";
  const TRAILER_AT = "]LOG]!><time=";
  const TRAILER_END = new RegExp(`<time="[^"]*"(?:[${S}]+[${W}-]+="[^"]*")*[${S}]*>?`, "uy");
  const ATTR_RE = new RegExp(`([${W}-]+)="([^"]*)"`, "gu");
  // The attribute order CMTrace writers use (kb.logs.formats._STANDARD).
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

  /** Split pasted text into lines on CRLF, LF or CR (kb.logs.text.text_lines). */
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

    /** The line-at-a-time state machine of kb.logs.reader._Parser. */
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

  Object.assign(K, { textLines, makeLogReader });
})(typeof globalThis !== "undefined" ? globalThis : this);
