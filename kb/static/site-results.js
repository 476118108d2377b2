/* kb/static/site-results.js: the static site's results, in the markup of kbserver/templates.
 *
 * The same rules and words as kbserver/explain.py (tiers, readable reasons) and
 * the same elements and classes as _result.html, _code.html and search.html, so
 * kb.css styles both. site.js calls KbSiteResults.render(engine, query, answer).
 */
(function (root) {
  "use strict";

  var engine = null;
  var MAX_PASTE_LINES = 2000;

  // ---- small DOM helpers ------------------------------------------------------

  // Bidi overrides and isolates shown as U+FFFD (kbserver.templating.without_bidi_overrides):
  // a pasted U+202E would show a line's codes reversed.
  var BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
  function txt(s) { return document.createTextNode(String(s).replace(BIDI, "\ufffd")); }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" ? txt(c) : c);
    });
    return node;
  }

  function plural(n, word, many) {
    return n.toLocaleString("en-US") + " " + (n === 1 ? word : many || word + "s");
  }
  function codeHref(hex) {
    return engine.hasCodePage(parseInt(hex, 16)) ? "codes/" + hex + ".html" : "#q=" + encodeURIComponent(hex);
  }

  function codeLink(hex, text) {
    return el("a", { class: "code-link", href: codeHref(hex) }, [text === undefined ? el("code", null, [hex]) : text]);
  }

  // ---- how results read (kbserver/explain.py: the same rules and words) ------------

  var FALLBACK_STRONG_SCORE = 0.5;
  var MAX_WORDS = 4;
  var TIERS = {
    strong: { label: "Explains this error", help: "Lines or codes you gave match what this article describes." },
    possible: { label: "Possibly related", help: "Some words or a common code match; check its symptoms against your log." },
  };
  var CODE_NOTES = {
    specific: "few failures print it",
    common: "weak: an everyday Windows error that many failures print",
    generic: "weak: a catch-all code that many failures print",
  };

  function codeKind(c) {
    if (c.generic) return "generic";
    if (c.win32 !== null && c.win32 !== undefined && c.win32 < engine.params.common_win32_below) return "common";
    return "specific";
  }

  function tierOf(r, kinds) {
    if (TIERS[r.confidence]) return r.confidence;
    var specific = r.reasons.some(function (x) { return x.type === "code" && (kinds[x.code] || "specific") === "specific"; });
    var lines = r.reasons.some(function (x) { return x.type === "line"; });
    return (specific || lines) && r.score >= FALLBACK_STRONG_SCORE ? "strong" : "possible";
  }

  function rareWords(reason) {
    var common = new Set(window.KB_INDEX.common_terms || []);
    var out = [];
    (reason.words || reason.terms || []).forEach(function (w) {
      if (!common.has(KbSearch.stem(w.toLowerCase())) && out.indexOf(w) < 0) out.push(w);
    });
    return out.slice(0, MAX_WORDS);
  }

  function codeAlone(hex, kind) {
    if (kind === "generic") return "It cites " + hex + ", a catch-all code that many unrelated failures print: the code alone does not say which problem you have.";
    if (kind === "common") return "It cites " + hex + ", an everyday Windows error that many unrelated failures print: the code alone does not say which problem you have.";
    return "It cites " + hex + "; compare its symptoms with your log.";
  }

  function fixed(x) {
    return Number(x).toFixed(2);
  }

  // ---- the markup of kbserver/templates (_result.html, _code.html, search.html) ----

  function tierLine(label, help, draft) {
    return el("p", { class: "tier" }, [
      el("span", { class: "tier-label" }, [label]),
      draft ? " " : null, draft ? el("span", { class: "badge badge-draft" }, ["Draft"]) : null,
      " ", el("span", { class: "tier-help" }, [help]),
    ]);
  }

  function resultCard(r, rank, kinds) {
    var article = engine.article(r.id) || { url: "articles/" + r.id + ".html", tags: [], first_step_html: "" };
    var tier = tierOf(r, kinds);
    var reasons = el("ul", { class: "reasons" });
    r.reasons.filter(function (x) { return x.type === "code"; })
      .map(function (c) { return { c: c, kind: kinds[c.code] || "specific" }; })
      .sort(function (a, b) { return (a.kind !== "specific") - (b.kind !== "specific"); })
      .forEach(function (x) {
        var c = x.c;
        reasons.appendChild(el("li", { class: "reason reason-code reason-" + x.kind }, [
          el("span", { class: "label" }, ["code"]), codeLink(c.code),
          c.names.length ? " " : null, c.names.length ? el("span", { class: "muted" }, [c.names[0]]) : null,
          " ", el("span", { class: "reason-note" }, [CODE_NOTES[x.kind]]),
        ]));
      });
    var lineReasons = r.reasons.filter(function (x) { return x.type === "line"; })
      .sort(function (a, b) { return a.line - b.line; });
    lineReasons.slice(0, 3).forEach(function (l) {
      var rows = l.similarity >= 99.5
        ? [el("span", { class: "pair-row" }, [el("span", { class: "pair-key" }, ["same as"]), el("q", null, [l.matched])])]
        : [el("span", { class: "pair-row" }, [el("span", { class: "pair-key" }, ["yours"]), el("q", null, [l.text])]),
           el("span", { class: "pair-row" }, [el("span", { class: "pair-key" }, ["article"]), el("q", null, [l.matched])])];
      reasons.appendChild(el("li", { class: "reason reason-line" }, [
        el("span", { class: "label" }, [el("a", { href: "#L" + l.line }, ["line " + l.line])]),
        el("span", { class: "pair" }, rows),
      ]));
    });
    if (lineReasons.length > 3) {
      var more = lineReasons.length - 3;
      reasons.appendChild(el("li", { class: "reason reason-more" }, [
        "and " + plural(more, "more line matches", "more lines match") + " the article's lines",
      ]));
    }
    // Words a matched line already shows say nothing more.
    var shown = r.reasons.filter(function (x) { return x.type === "line"; }).map(function (l) { return l.text; }).join(" ").toLowerCase();
    var words = [];
    r.reasons.filter(function (x) { return x.type === "text"; }).forEach(function (t) {
      words = words.concat(rareWords(t).filter(function (w) { return shown.indexOf(w.toLowerCase()) < 0; }));
    });
    if (words.length) {
      reasons.appendChild(el("li", { class: "reason reason-text" }, [el("span", { class: "label" }, ["words"]), words.join(", ")]));
    }
    r.reasons.filter(function (x) { return x.type === "penalty"; }).forEach(function (p) {
      reasons.appendChild(el("li", { class: "reason reason-penalty" }, [
        el("span", { class: "label" }, ["but"]), "the article does not cite " + p.codes.join(", "),
      ]));
    });
    r.reasons.filter(function (x) { return x.type === "scope"; }).forEach(function (s) {
      reasons.appendChild(el("li", { class: "reason reason-penalty" }, [el("span", { class: "label" }, ["but"]), s.reason]));
    });
    r.reasons.filter(function (x) { return x.type === "component"; }).forEach(function (f) {
      reasons.appendChild(el("li", { class: "reason reason-penalty" }, [
        el("span", { class: "label" }, ["but"]), "written by " + f.components.join(", ") + ", not a component this article lists",
      ]));
    });
    var firstStep = null;
    if (r.first_step) {
      firstStep = el("div", { class: "first-step" }, [el("span", { class: "label" }, ["First step"]), " "]);
      // Rendered from the article's Markdown at build time (kb.corpus.render: no raw HTML).
      firstStep.insertAdjacentHTML("beforeend", article.first_step_html);
    }
    var foot = " · " + r.id + (article.tags || []).slice(0, 4).map(function (t) { return " · " + t; }).join("");
    var footer = el("footer", { class: "result-foot" }, [el("a", { href: article.url }, ["Read the article"])]);
    if (r.first_step) {
      footer.appendChild(txt(" · "));
      footer.appendChild(el("a", { href: article.url + "#resolution" }, ["Go to the fix"]));
    }
    footer.appendChild(txt(" "));
    footer.appendChild(el("span", { class: "muted" }, [foot]));
    return el("article", { class: "result tier-" + tier, id: "r" + rank }, [
      el("header", { class: "result-head" }, [
        el("span", { class: "rank" }, [el("span", { class: "visually-hidden" }, ["Result "]), String(rank)]),
        el("h3", { class: "result-title" }, [el("a", { href: article.url }, [r.title])]),
      ]),
      tierLine(TIERS[tier].label, TIERS[tier].help, r.draft),
      el("p", { class: "summary" }, [r.summary]),
      firstStep,
      el("section", { class: "why", "aria-labelledby": "why-" + rank }, [
        el("h4", { class: "why-title", id: "why-" + rank }, ["Why this article"]),
        reasons,
        el("details", { class: "score-details" }, [
          el("summary", null, ["Score details"]),
          el("p", null, ["Score " + fixed(r.score) + " of 1 (codes " + fixed(r.parts.codes) + ", lines " + fixed(r.parts.lines) +
            ", words " + fixed(r.parts.text) + "). The score ranks articles against each other; it is not a probability."]),
        ]),
      ]),
      footer,
    ]);
  }

  function citedCard(a) {
    var ref = engine.article(a.id);
    return el("div", { class: "card article-ref possible-ref" }, [
      el("h3", null, [el("a", { href: ref ? ref.url : "articles/" + a.id + ".html" }, [a.title])]),
      tierLine("Possibly related", a.why, false),
      el("p", null, [a.summary]),
    ]);
  }

  function nextSteps() {
    var tpl = document.getElementById("tpl-next-steps");
    return tpl ? tpl.content.cloneNode(true) : null;
  }

  function codeCard(c) {
    var kind = codeKind(c);
    var notes = {
      generic: "Generic code: many unrelated failures print it. The lines just before it say what failed.",
      common: "Everyday Windows error: many unrelated failures print it. The lines just before it say what failed.",
    };
    var card = el("div", { class: "code-card code-" + kind + (c.generic ? " generic" : "") }, [
      el("div", { class: "code-head" }, [
        el("a", { class: "code-hex", href: codeHref(c.hex) }, [el("code", null, [c.hex])]),
        c.names.length ? " " : null,
        c.names.length ? el("span", { class: "code-names" }, [c.names.join(", ")]) : null,
      ]),
      el("p", { class: "code-desc" }, [c.description]),
      c.source && c.source.kind === "configmgr" ? el("p", { class: "code-source" }, [
        el("span", { class: "label" }, ["source"]), " ",
        c.source.url ? el("a", { href: c.source.url }, [c.source.name]) : c.source.name,
      ]) : null,
    ].concat((c.readings || []).map(function (r) {
      return el("p", { class: "code-reading" }, [
        el("span", { class: "label" }, ["also"]), " ", codeLink(r.hex),
        r.names.length ? " " + r.names.join(", ") : "", ": " + r.why,
      ]);
    })).concat([
      c.hint ? el("p", { class: "code-hint" }, [c.hint]) : null,
      notes[kind] ? el("p", { class: "code-note" }, [notes[kind]]) : null,
    ]));
    if (c.articles.length) {
      var cited = el("p", { class: "code-cited" }, [el("span", { class: "label" }, [kind === "specific" ? "cited by" : "possibly related"]), " "]);
      c.articles.forEach(function (a, i) {
        var ref = engine.article(a.id);
        cited.appendChild(el("a", { href: ref ? ref.url : "articles/" + a.id + ".html" }, [a.title]));
        if (i < c.articles.length - 1) cited.appendChild(txt("; "));
      });
      card.appendChild(cited);
    }
    return card;
  }

  function pasteLine(number, text, hits, codeRanks) {
    var code = el("code", { class: "text" });
    var pos = 0;
    var all = hits.slice();
    var ranks = hits.map(function (h) { return h.rank; });
    engine.codes.extractCodes(text).forEach(function (f) {
      if (f.start < pos) return;
      if (f.start > pos) code.appendChild(txt(text.slice(pos, f.start)));
      var hex = KbSearch.formatHex(f.value);
      code.appendChild(codeLink(hex, text.slice(f.start, f.end)));
      (codeRanks[hex] || []).forEach(function (h) {
        if (ranks.indexOf(h.rank) < 0) { ranks.push(h.rank); all.push({ id: h.id, rank: h.rank, why: "code " + hex }); }
      });
      pos = f.end;
    });
    if (pos < text.length || !code.childNodes.length) code.appendChild(txt(text.slice(pos)));
    all.sort(function (a, b) { return a.rank - b.rank; });
    var tags = null;
    if (all.length) {
      tags = el("span", { class: "hit-tags" }, all.map(function (h) {
        return el("a", { class: "hit-tag", href: "#r" + h.rank, title: "result " + h.rank + ", " + h.id + ": " + h.why }, ["#" + h.rank]);
      }));
    }
    var line = el("div", { class: "ln" + (all.length ? " hit" : ""), id: "L" + number }, [
      el("a", { class: "no", href: "#L" + number }, [String(number)]), code, tags,
    ]);
    line.matched = all.length > 0;
    return line;
  }

  function pastePanel(query, results, what) {
    var hits = {};
    var codeRanks = {};
    results.forEach(function (r, i) {
      r.reasons.forEach(function (x) {
        if (x.type === "line") {
          (hits[x.line] = hits[x.line] || []).push({ id: r.id, rank: i + 1, why: KbSearch.pyRound(x.similarity, 0) + "% alike" });
        } else if (x.type === "code") {
          (codeRanks[x.code] = codeRanks[x.code] || []).push({ id: r.id, rank: i + 1 });
        }
      });
    });
    var lines = KbSearch.textLines(query);
    var box = el("div", { class: "paste", tabindex: "0", "aria-label": "Your " + what + ", line by line" });
    var matched = 0;
    lines.slice(0, MAX_PASTE_LINES).forEach(function (text, i) {
      var line = pasteLine(i + 1, text, hits[i + 1] || [], codeRanks);
      if (line.matched) matched++;
      box.appendChild(line);
    });
    var count = plural(Math.min(lines.length, MAX_PASTE_LINES), "line") + (results.length ? ", " + matched + " matched" : "");
    var legend = null;
    if (matched) {
      legend = el("p", { class: "legend" }, ["Highlighted lines matched an article; ", el("span", { class: "hit-tag" }, ["#1"]),
        " is the number of the result they matched."]);
    }
    return el("section", { class: "panel" }, [
      el("h2", { class: "panel-title" }, ["Your " + what + " ", el("span", { class: "muted" }, [count])]),
      legend,
      box,
      lines.length > MAX_PASTE_LINES ? el("p", { class: "muted" }, ["Only the first " + MAX_PASTE_LINES.toLocaleString("en-US") + " lines are shown."]) : null,
    ]);
  }

  function render(query, answer) {
    var results = answer.results;
    var what = KbSearch.textLines(query).length > 1 ? "paste" : "query";
    var kinds = {};
    answer.codes.forEach(function (c) { kinds[c.hex] = codeKind(c); });
    var strong = [], possible = [];
    results.forEach(function (r, i) { (tierOf(r, kinds) === "strong" ? strong : possible).push([r, i + 1]); });
    var cited = [];
    if (!strong.length) {
      var shown = new Set(results.map(function (r) { return r.id; }));
      answer.codes.forEach(function (c) {
        c.articles.forEach(function (a) {
          if (shown.has(a.id)) return;
          shown.add(a.id);
          cited.push({ id: a.id, title: a.title, summary: a.summary, why: codeAlone(c.hex, kinds[c.hex]) });
        });
      });
    }
    var section = el("section", { class: "results", "aria-labelledby": "results-title" });
    var heading = strong.length
      ? plural(strong.length, "article explains", "articles explain") + " this " + what
      : possible.length || cited.length ? "No article explains this " + what + " for sure" : "No article matches";
    section.appendChild(el("h1", { id: "results-title", class: "section-title" }, [heading]));
    if (strong.length) {
      section.appendChild(el("h2", { class: "visually-hidden" }, ["Explains this error"]));
      strong.forEach(function (x) { section.appendChild(resultCard(x[0], x[1], kinds)); });
    }
    if (possible.length || cited.length) {
      section.appendChild(el("h2", { class: "tier-title" }, ["Possibly related"]));
      section.appendChild(el("p", { class: "tier-intro muted" }, ["These share something with your " + what +
        ", but not enough to be sure: read their symptoms before following a fix."]));
      possible.forEach(function (x) { section.appendChild(resultCard(x[0], x[1], kinds)); });
      cited.forEach(function (a) { section.appendChild(citedCard(a)); });
    }
    if (!strong.length) {
      var steps = nextSteps();
      if (steps) section.appendChild(steps);
    }
    if (answer.codes.length && !results.length) {
      section.appendChild(el("h2", { class: "section-title" }, ["Codes in the " + what]));
      section.appendChild(el("div", { class: "code-list" }, answer.codes.map(codeCard)));
    }
    var side = el("aside", { class: "side", "aria-label": "Your paste" }, [pastePanel(query, results, what)]);
    if (results.length && answer.codes.length) {
      side.appendChild(el("section", { class: "panel" }, [
        el("h2", { class: "panel-title" }, ["Codes in the " + what]),
        el("div", { class: "code-list compact" }, answer.codes.map(codeCard)),
      ]));
    }
    return el("div", { class: "results-layout" }, [section, side]);
  }

  root.KbSiteResults = {
    render: function (searchEngine, query, answer) {
      engine = searchEngine;
      return render(query, answer);
    },
  };
})(typeof globalThis !== "undefined" ? globalThis : this);
