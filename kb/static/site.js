/* kb/static/site.js: the static site's page glue (the engine is search.js).
 *
 * - Every search form goes to the home page with the query in the fragment
 *   (index.html#q=...): no server is needed, and the link can be shared.
 * - On the home page, the query in the fragment is searched in the browser and
 *   the results are shown by site-results.js, in the web app's markup.
 * kb.js (the web app's script) still grows the box, searches on Enter and
 * focuses the box on "/".
 */
(function () {
  "use strict";

  var engine = null;
  var resultsBox = document.getElementById("static-results");
  var baseTitle = document.title;

  // The one element this script makes itself; results come from site-results.js.
  function errorAlert(message) {
    var node = document.createElement("p");
    node.className = "alert alert-error";
    node.setAttribute("role", "alert");
    node.textContent = message;
    return node;
  }

  function fragmentQuery(hash) {
    if (!hash || hash.indexOf("#q=") !== 0) return null;
    try {
      return decodeURIComponent(hash.slice(3).replace(/\+/g, "%20"));
    } catch (e) {
      return undefined; // a link cut short or mangled: not text (see onLocation)
    }
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
      showResults([KbSiteResults.render(engine, query, answer)]);
      document.title = firstLine(query) + " · " + baseTitle;
    } catch (e) {
      var message = e instanceof Error ? e.message : String(e);
      if (window.KbSearch && e instanceof KbSearch.QueryError) message = message.charAt(0).toUpperCase() + message.slice(1) + ".";
      showResults([errorAlert(message)]);
    }
  }

  function onLocation() {
    var query = fragmentQuery(window.location.hash);
    if (query === undefined) {
      showResults([errorAlert("This link's search is not valid text (it may have been cut short): paste the lines again.")]);
      return;
    }
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
