// Each step of the browser engine against Python's output on the same inputs
// (tests/vectors/normalisation.json, written by tools/gen_vectors.py), so a
// difference shows where it starts: words, masks, codes, log records, signals,
// fuzzy ratios, typo corrections, code decoding.
import assert from "node:assert/strict";
import test from "node:test";
import { engine, KbSearch, vectors } from "./site.mjs";

const fx = vectors("normalisation.json");
const kb = engine();

function mismatches(rows, compute) {
  const wrong = [];
  for (const [input, ...expected] of rows) {
    const got = compute(input, ...expected);
    const want = expected.length === 1 ? expected[0] : expected;
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      wrong.push({ input: input.length > 200 ? input.slice(0, 200) + "..." : input, got, want });
    }
  }
  return wrong.slice(0, 5);
}

const sorted = (set) => [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const sortedNumbers = (set) => [...set].sort((a, b) => a - b);

test("terms (kb.textnorm.terms)", () => {
  assert.deepEqual(mismatches(fx.terms, (t) => kb.words.terms(t)), []);
});

test("stems (kb.textnorm.stem)", () => {
  assert.deepEqual(mismatches(fx.stems, (w) => KbSearch.stem(w)), []);
});

test("masks, anchors and boilerplate (kb.masking)", () => {
  const wrong = mismatches(fx.masks, (line) => {
    const t = kb.masker.mask(line);
    return [t.text, sortedNumbers(t.codes), sorted(t.anchors), kb.masker.isBoilerplate(line)];
  });
  assert.deepEqual(wrong, []);
});

test("code extraction with positions (kb.codes.extract_codes)", () => {
  const wrong = mismatches(fx.extract, (text) => {
    // Python counts code points, JavaScript UTF-16 units: compare in code points.
    const cp = (i) => Array.from(text.slice(0, i)).length;
    return kb.codes.extractCodes(text).map((f) => [f.value, cp(f.start), cp(f.end)]);
  });
  assert.deepEqual(wrong, []);
});

test("code parsing (kb.codes.parse_code)", () => {
  const wrong = mismatches(fx.parse_code, (text) => {
    try {
      return kb.codes.parseCode(text);
    } catch (e) {
      if (e instanceof KbSearch.CodeError) return null;
      throw e;
    }
  });
  assert.deepEqual(wrong, []);
});

test("log records (kb.logs.parse_text)", () => {
  const wrong = mismatches(fx.records, (text) =>
    kb.logs.parseText(text).map((r) => [r.line, r.message, r.component, r.format, r.severity]));
  assert.deepEqual(wrong, []);
});

test("signals (kb.signals.read_signals)", () => {
  const wrong = mismatches(fx.signals, (text) => {
    let s;
    try {
      s = kb.readSignals(text);
    } catch (e) {
      if (e instanceof KbSearch.QueryError) return null;
      throw e;
    }
    return {
      question: s.question,
      codes: s.codes,
      terms: s.terms,
      lines: s.lines.map((l) => [l.number, l.text, l.template.text, sortedNumbers(l.template.codes),
        sorted(l.template.anchors), l.error, l.component]),
      components: s.components,
      in_scope: kb.inScope(s),
      failed_action: s.failedAction,
      format: s.format,
    };
  });
  assert.deepEqual(wrong, []);
});

test("fuzzy ratios (rapidfuzz fuzz.ratio)", () => {
  const wrong = mismatches(fx.ratios, (a, b) => [b, KbSearch.ratio(a, b, 0), KbSearch.ratio(a, b, 78.0)]);
  assert.deepEqual(wrong, []);
});

test("typo corrections (Engine._correct)", () => {
  assert.deepEqual(mismatches(fx.corrections, (t) => kb.correct(t)), []);
});

test("code decoding (kb.codes.decode)", () => {
  assert.deepEqual(mismatches(fx.decode, (v) => kb.codes.decode(v)), []);
});

test("code classes (kb.ranking.code_class of decode)", () => {
  const letter = { generic: "g", common: "c", specific: "s" };
  const wrong = mismatches(fx.classes, (v) => {
    const info = kb.codes.decode(v);
    if (info.generic) return letter.generic;
    return info.win32 !== null && info.win32 < kb.params.common_win32_below ? letter.common : letter.specific;
  });
  assert.deepEqual(wrong, []);
});

test("Python's round(x, 4): ties to even on the exact binary value", () => {
  assert.equal(KbSearch.pyRound(0.03125, 4), 0.0312);
  assert.equal(KbSearch.pyRound(0.09375, 4), 0.0938);
  assert.equal(KbSearch.pyRound(0.00005, 4), 0.0001);
  assert.equal(KbSearch.pyRound(0.28112249047462323, 4), 0.2811);
  assert.equal(KbSearch.pyRound(96.55172413793103, 1), 96.6);
});
