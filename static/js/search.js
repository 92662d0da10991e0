/* Instant search: keyboard navigation through the results htmx puts under a search box.
 *
 * ArrowDown from the box moves to the first result, ArrowUp/ArrowDown move between
 * results, ArrowUp from the first result (or Escape) returns to the box, Escape in the
 * box closes the results. Enter on a result opens it (it is a link); Enter in the box
 * submits the form, which opens the full results page. Without JavaScript the form
 * simply submits.
 */
(function () {
  "use strict";

  function resultsFor(input) {
    var form = input.closest("form");
    return form ? form.querySelector("[data-instant-results]") : null;
  }

  function links(results) {
    return Array.prototype.slice.call(results.querySelectorAll("a"));
  }

  function close(results) {
    results.replaceChildren();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.matches("[data-instant-input]")) {
      var results = resultsFor(target);
      if (!results) return;
      if (event.key === "ArrowDown") {
        var first = links(results)[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      } else if (event.key === "Escape") {
        close(results);
      }
      return;
    }
    var box = target.closest("[data-instant-results]");
    if (!box) return;
    var items = links(box);
    var index = items.indexOf(target);
    var input = box.closest("form").querySelector("[data-instant-input]");
    if (event.key === "ArrowDown" && index < items.length - 1) {
      event.preventDefault();
      items[index + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (index > 0) items[index - 1].focus();
      else input.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(box);
      input.focus();
    }
  });

  // A click or focus outside the search form closes its results.
  document.addEventListener("focusin", function (event) {
    document.querySelectorAll("[data-instant-results]").forEach(function (results) {
      var form = results.closest("form");
      if (form && !form.contains(event.target)) close(results);
    });
  });
})();
