// The body editor (django-prose-editor) draws its own contenteditable box, which has no accessible name:
// give it the name of the form field it edits (the <label> of the hidden textarea), so screen readers and
// axe-core know what the box is.
(function () {
  function nameEditors() {
    document.querySelectorAll('[contenteditable="true"]:not([aria-label]):not([aria-labelledby])').forEach(function (box) {
      var holder = box.closest("div") || box.parentElement;
      var field = null;
      for (var node = box; node && !field; node = node.parentElement) {
        field = node.querySelector && node.querySelector("textarea[id]");
      }
      var label = field && document.querySelector('label[for="' + field.id + '"]');
      box.setAttribute("aria-label", label ? label.textContent.trim() : "正文");
      box.setAttribute("aria-multiline", "true");
      if (!box.getAttribute("role")) box.setAttribute("role", "textbox");
      void holder;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameEditors();
    new MutationObserver(nameEditors).observe(document.body, { childList: true, subtree: true });
  });
})();
