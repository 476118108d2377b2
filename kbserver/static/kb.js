// kb: small progressive enhancements; every form works without this file.
// - the search box grows with its content (up to the CSS max-height);
// - Enter searches, Shift+Enter adds a line;
// - "/" focuses the search box from anywhere, except while typing in a field;
// - "Copy link" buttons copy their link (made absolute) to the clipboard;
// - the articles page filters its list by kind or topic.
// The "js" class on <html> reveals the hints and buttons that need this file.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function searchBox() {
    return document.querySelector("textarea[data-search]");
  }

  function grow(box) {
    if (!box.hasAttribute("data-autogrow")) return;
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return el.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  document.querySelectorAll("textarea[data-search]").forEach(function (box) {
    grow(box);
    box.addEventListener("input", function () { grow(box); });
    box.addEventListener("keydown", function (event) {
      // isComposing: Enter that confirms an IME composition must not submit.
      if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      if (!box.value.trim()) return;
      var form = box.form;
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(document.activeElement)) return;
    var box = searchBox();
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  });

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var url = new URL(button.getAttribute("data-copy"), window.location.href).href;
      var status = button.parentNode.querySelector(".copy-status");
      function say(text) { if (status) status.textContent = text; }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () { say("Copied."); }, function () { say(url); });
        return;
      }
      // Plain http on an intranet has no clipboard API: copy through a selection.
      var area = document.createElement("textarea");
      area.value = url;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      document.body.removeChild(area);
      say(copied ? "Copied." : url); // else show the link, to copy by hand
    });
  });

  var filters = document.querySelectorAll("button[data-filter]");
  function applyFilter(value) {
    var shown = 0;
    document.querySelectorAll(".article-item").forEach(function (item) {
      var keep = !value ||
        (value.indexOf("kind:") === 0 && item.getAttribute("data-kind") === value.slice(5)) ||
        (value.indexOf("tag:") === 0 && (" " + item.getAttribute("data-tags") + " ").indexOf(" " + value.slice(4) + " ") >= 0);
      item.hidden = !keep;
      if (keep) shown++;
    });
    filters.forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === value)); });
    var empty = document.querySelector(".filter-empty");
    if (empty) empty.hidden = shown > 0;
  }
  filters.forEach(function (button) {
    button.addEventListener("click", function () { applyFilter(button.getAttribute("data-filter")); });
  });
  // A topic link (articles#tag-winpe, from the home page) shows that topic's articles;
  // without JavaScript it lands on the tag index instead.
  function filterFromHash() {
    var m = /^#tag-(.+)$/.exec(window.location.hash);
    if (!m || !filters.length) return;
    var tag = decodeURIComponent(m[1]);
    var button = Array.prototype.filter.call(filters, function (b) {
      return b.getAttribute("data-filter") === "tag:" + tag;
    })[0];
    if (!button) return;
    applyFilter("tag:" + tag);
    // After the browser's own jump to the #tag- anchor, which comes with "load".
    var show = function () { button.scrollIntoView({ block: "center" }); };
    if (document.readyState === "complete") show();
    else window.addEventListener("load", function () { setTimeout(show, 0); });
  }
  filterFromHash();
  window.addEventListener("hashchange", filterFromHash);
})();
