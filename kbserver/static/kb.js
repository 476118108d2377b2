// kb: small progressive enhancements; every form works without this file.
// - the search box grows with its content (up to the CSS max-height);
// - Enter searches, Shift+Enter adds a line;
// - "/" focuses the search box from anywhere, except while typing in a field.
(function () {
  "use strict";

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
})();
