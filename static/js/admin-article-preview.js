// The article editor's live preview in the public site's look. django-markdownx fetches the
// sanitised HTML (faq/editor_views.py) and fires "markdownx.update"; we show that HTML in a
// sandboxed frame (no scripts) that loads only the public stylesheet, so the preview looks like
// the article page and the admin's styles neither leak into it nor it into the admin.
"use strict";

function previewDocument(html, stylesheet, language) {
  return (
    '<!doctype html><html lang="' + language + '"><head><meta charset="utf-8">' +
    '<link rel="stylesheet" href="' + stylesheet + '"></head><body>' +
    '<main><div class="container"><article class="article"><div class="article__body prose">' +
    html + "</div></article></div></main></body></html>"
  );
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".article-editor").forEach(function (editor) {
    var frame = editor.querySelector(".article-editor__frame");
    var inline = editor.querySelector(".markdownx-preview");
    var language = document.getElementById("id_language");
    editor.addEventListener("markdownx.update", function (event) {
      var lang = language && language.value === "en" ? "en" : "zh-Hans";
      frame.srcdoc = previewDocument(event.detail[0], editor.dataset.previewStylesheet, lang);
      frame.hidden = false;
      inline.hidden = true;
    });
    // A refused preview (too long, too complex) shows the server's message in place of the frame.
    editor.addEventListener("markdownx.updateError", function (event) {
      inline.textContent = event.detail[0];
      inline.hidden = false;
      frame.hidden = true;
    });
  });
});
