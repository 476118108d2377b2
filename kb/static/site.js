/* kb/static/site.js: the static site's page glue (the engine is search.js).
 *
 * - Every search form goes to the home page with the query in the fragment
 *   (index.html#q=...): no server is needed, and the link can be shared.
 * - On the home page, the query in the fragment is searched in the browser and
 *   the results are shown with the web app's markup and CSS classes.
 * kb.js (the web app's script) still grows the box, searches on Enter and
 * focuses the box on "/".
 */
(function () {
  "use strict";

  var engine = null;
  var resultsBox = document.getElementById("static-results");
  var baseTitle = document.title;
  var MAX_PASTE_LINES = 2000;

  // ---- small DOM helpers ------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function plural(n, word, many) {
    return n.toLocaleString("en-US") + " " + (n === 1 ? word : many || word + "s");
  }

  function percent(value) {
    return KbSearch.pyRound(value * 100, 0) + "%";
  }

  function fragmentQuery(hash) {
    if (!hash || hash.indexOf("#q=") !== 0) return null;
    try {
      return decodeURIComponent(hash.slice(3).replace(/\+/g, "%20"));
    } catch (e) {
      return null;
    }
  }

  function codeHref(hex) {
    return engine.hasCodePage(parseInt(hex, 16)) ? "codes/" + hex + ".html" : "#q=" + encodeURIComponent(hex);
  }

  function codeLink(hex, text) {
    return el("a", { class: "code-link", href: codeHref(hex) }, [text === undefined ? el("code", null, [hex]) : text]);
  }

  // ---- the markup of kbserver/templates (_result.html, _code.html, search.html) ----

  function resultCard(r, rank) {
    var article = engine.article(r.id) || { url: "articles/" + r.id + ".html", tags: [], first_step_html: "" };
    var reasons = el("ul", { class: "reasons", "aria-label": "Why it matched" });
    r.reasons.filter(function (x) { return x.type === "code"; }).forEach(function (c) {
      reasons.appendChild(el("li", { class: "reason reason-code" }, [
        el("span", { class: "label" }, ["code"]), codeLink(c.code),
        c.names.length ? " " : null, c.names.length ? el("span", { class: "muted" }, [c.names[0]]) : null,
      ]));
    });
    r.reasons.filter(function (x) { return x.type === "line"; })
      .sort(function (a, b) { return a.line - b.line; })
      .forEach(function (l) {
        reasons.appendChild(el("li", { class: "reason reason-line" }, [
          el("span", { class: "label" }, [el("a", { href: "#L" + l.line }, ["line " + l.line])]),
          KbSearch.pyRound(l.similarity, 0) + "% like ", el("q", null, [l.matched]),
        ]));
      });
    r.reasons.filter(function (x) { return x.type === "text"; }).forEach(function (t) {
      reasons.appendChild(el("li", { class: "reason reason-text" }, [
        el("span", { class: "label" }, ["words"]), (t.words || t.terms).join(", "),
      ]));
    });
    var firstStep = null;
    if (r.first_step) {
      firstStep = el("div", { class: "first-step" }, [el("span", { class: "label" }, ["First step"]), " "]);
      // Rendered from the article's Markdown at build time (kb.corpus.render: no raw HTML).
      firstStep.insertAdjacentHTML("beforeend", article.first_step_html);
    }
    var title = "score " + r.score + " (codes " + r.parts.codes + ", lines " + r.parts.lines + ", words " + r.parts.text + ")";
    var shown = percent(r.score);
    var foot = " · " + r.id + (article.tags || []).slice(0, 4).map(function (t) { return " · " + t; }).join("");
    return el("article", { class: "result", id: "r" + rank }, [
      el("header", { class: "result-head" }, [
        el("span", { class: "rank", "aria-label": "rank" }, [String(rank)]),
        el("h3", { class: "result-title" }, [el("a", { href: article.url }, [r.title])]),
        el("span", { class: "score", title: title }, [
          el("meter", { min: "0", max: "1", low: "0.4", high: "0.7", optimum: "1", value: String(r.score) }, [shown]),
          el("span", { class: "score-num" }, [shown]),
        ]),
      ]),
      el("p", { class: "summary" }, [r.summary]),
      firstStep,
      reasons,
      el("footer", { class: "result-foot" }, [
        el("a", { href: article.url }, ["Read the article"]), " ", el("span", { class: "muted" }, [foot]),
      ]),
    ]);
  }

  function codeCard(c) {
    var card = el("div", { class: "code-card" + (c.generic ? " generic" : "") }, [
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
      c.generic ? el("p", { class: "code-note" }, ["Generic code: many unrelated failures print it. The lines just before it say what failed."]) : null,
    ]));
    if (c.articles.length) {
      var cited = el("p", { class: "code-cited" }, [el("span", { class: "label" }, ["cited by"]), " "]);
      c.articles.forEach(function (a, i) {
        var ref = engine.article(a.id);
        cited.appendChild(el("a", { href: ref ? ref.url : "articles/" + a.id + ".html" }, [a.title]));
        if (i < c.articles.length - 1) cited.appendChild(document.createTextNode("; "));
      });
      card.appendChild(cited);
    }
    return card;
  }

  function pasteLine(number, text, hits) {
    var code = el("code", { class: "text" });
    var pos = 0;
    engine.codes.extractCodes(text).forEach(function (f) {
      if (f.start < pos) return;
      if (f.start > pos) code.appendChild(document.createTextNode(text.slice(pos, f.start)));
      code.appendChild(codeLink(KbSearch.formatHex(f.value), text.slice(f.start, f.end)));
      pos = f.end;
    });
    if (pos < text.length || !code.childNodes.length) code.appendChild(document.createTextNode(text.slice(pos)));
    var tags = null;
    if (hits.length) {
      tags = el("span", { class: "hit-tags" }, hits.map(function (h) {
        return el("a", { class: "hit-tag", href: "#r" + h.rank, title: "matched by " + h.id + " (" + KbSearch.pyRound(h.similarity, 0) + "%)" }, ["#" + h.rank]);
      }));
    }
    return el("div", { class: "ln" + (hits.length ? " hit" : ""), id: "L" + number }, [
      el("a", { class: "no", href: "#L" + number }, [String(number)]), code, tags,
    ]);
  }

  function pastePanel(query, results) {
    var hits = {};
    results.forEach(function (r, i) {
      r.reasons.forEach(function (x) {
        if (x.type !== "line") return;
        (hits[x.line] = hits[x.line] || []).push({ id: r.id, rank: i + 1, similarity: x.similarity });
      });
    });
    var lines = KbSearch.textLines(query);
    var box = el("div", { class: "paste", tabindex: "0" });
    var matched = 0;
    lines.slice(0, MAX_PASTE_LINES).forEach(function (text, i) {
      var h = hits[i + 1] || [];
      if (h.length) matched++;
      box.appendChild(pasteLine(i + 1, text, h));
    });
    var count = plural(Math.min(lines.length, MAX_PASTE_LINES), "line") + (results.length ? ", " + matched + " matched" : "");
    return el("section", { class: "panel" }, [
      el("h2", { class: "panel-title" }, ["Your paste ", el("span", { class: "muted" }, [count])]),
      box,
      lines.length > MAX_PASTE_LINES ? el("p", { class: "muted" }, ["Only the first " + MAX_PASTE_LINES.toLocaleString("en-US") + " lines are shown."]) : null,
    ]);
  }

  function noMatch(lineCount, codes) {
    var what = lineCount > 1 ? "paste" : "query";
    var nodes = [
      el("h1", { id: "results-title", class: "section-title" }, ["No article matches"]),
      el("div", { class: "card no-match" }, [
        el("p", null, ["None of the articles explains this " + what + ". " +
          (codes.length ? "The error codes in it are decoded below: the description often names the missing file, the denied access or the network problem." : "")]),
        el("ul", null, [
          el("li", null, ["Paste the first red lines ", el("em", null, ["before"]), " “Failed to run the action”, not only the last one."]),
          el("li", null, ["Search for the code alone, or describe the problem in a few words."]),
          el("li", null, ["Browse ", el("a", { href: "articles/index.html" }, ["the articles by topic"]), "."]),
        ]),
      ]),
    ];
    if (codes.length) {
      nodes.push(el("h2", { class: "section-title" }, ["Codes in the " + what]));
      nodes.push(el("div", { class: "code-list" }, codes.map(codeCard)));
    }
    return nodes;
  }

  function render(query, answer) {
    var results = answer.results;
    var section = el("section", { class: "results", "aria-labelledby": "results-title" });
    if (results.length) {
      section.appendChild(el("h1", { id: "results-title", class: "section-title" }, [
        plural(results.length, "article matches", "articles match") + " ", el("span", { class: "muted" }, ["best first"]),
      ]));
      results.forEach(function (r, i) { section.appendChild(resultCard(r, i + 1)); });
    } else {
      noMatch(KbSearch.textLines(query).length, answer.codes).forEach(function (n) { section.appendChild(n); });
    }
    var side = el("aside", { class: "side", "aria-label": "Your paste" }, [pastePanel(query, results)]);
    if (results.length && answer.codes.length) {
      side.appendChild(el("section", { class: "panel" }, [
        el("h2", { class: "panel-title" }, ["Codes in the paste"]),
        el("div", { class: "code-list compact" }, answer.codes.map(codeCard)),
      ]));
    }
    return el("div", { class: "results-layout" }, [section, side]);
  }

  // ---- searching ---------------------------------------------------------------

  function showResults(nodes) {
    resultsBox.textContent = "";
    nodes.forEach(function (n) { resultsBox.appendChild(n); });
    resultsBox.hidden = false;
    document.body.classList.add("has-results");
  }

  function clearResults() {
    resultsBox.textContent = "";
    resultsBox.hidden = true;
    document.body.classList.remove("has-results");
    document.title = baseTitle;
  }

  function loadEngine() {
    if (engine) return engine;
    if (!window.KB_INDEX || !window.KbSearch) {
      throw new Error("The search data did not load (data/search-index.js). Rebuild the site, or copy the whole folder.");
    }
    engine = KbSearch.createEngine(window.KB_INDEX, window.KB_CODES || {});
    return engine;
  }

  function firstLine(text) {
    var line = (text.split(/\r\n|\r|\n/).map(function (l) { return l.trim(); }).filter(Boolean)[0]) || "";
    return line.length <= 70 ? line : line.slice(0, 69) + "…";
  }

  function runSearch(query) {
    var box = document.getElementById("q");
    if (box && box.value !== query) {
      box.value = query;
      box.dispatchEvent(new Event("input"));
    }
    try {
      loadEngine();
      var started = performance.now();
      var answer = engine.search(query, 10);
      var took = performance.now() - started;
      resultsBox.setAttribute("data-ms", took.toFixed(1));
      showResults([render(query, answer)]);
      document.title = firstLine(query) + " · " + baseTitle;
    } catch (e) {
      var message = e instanceof Error ? e.message : String(e);
      if (window.KbSearch && e instanceof KbSearch.QueryError) message = message.charAt(0).toUpperCase() + message.slice(1) + ".";
      showResults([el("p", { class: "alert alert-error", role: "alert" }, [message])]);
    }
  }

  function onLocation() {
    var query = fragmentQuery(window.location.hash);
    if (query === null) {
      var params = new URLSearchParams(window.location.search);
      query = params.get("q"); // a form submitted without this script
    }
    if (query !== null && query.trim()) runSearch(query);
    else if (fragmentQuery(window.location.hash) !== null || !window.location.hash) clearResults();
  }

  // Every search form, on every page: go to the home page with #q=<query>.
  document.querySelectorAll("form[role=search]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var box = form.querySelector("textarea[name=q], input[name=q]");
      if (!box || !box.value.trim()) return;
      event.preventDefault();
      var target = new URL(form.getAttribute("action") || "index.html", window.location.href);
      target.search = "";
      target.hash = "q=" + encodeURIComponent(box.value);
      if (resultsBox && target.pathname === window.location.pathname) {
        if (window.location.hash === target.hash) runSearch(box.value);
        else window.location.hash = target.hash;
      } else {
        window.location.href = target.href;
      }
    });
  });

  if (!resultsBox) return;

  // In-page links in the results (#L3, #r1) scroll without replacing #q= in the address.
  resultsBox.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("a[href^='#L'], a[href^='#r']");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    resultsBox.querySelectorAll(".is-target").forEach(function (n) { n.classList.remove("is-target"); });
    target.classList.add("is-target");
    target.scrollIntoView({ block: "center" });
  });

  window.addEventListener("hashchange", onLocation);
  onLocation();
})();
