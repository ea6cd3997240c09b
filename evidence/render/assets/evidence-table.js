/* What the All claims table's two scripts share: evidence.js enhances a table that fits on
 * one page, evidence-rows.js a paged one (list_page_size). Loaded before both, on every
 * page, as window.EvidenceTable. No dependencies, no network.
 *
 * - words(row): the row's own words for the text filter (data-ev-text: title, id,
 *   statement, number and population), not its source's title.
 * - criteria(form, dateError): reads the filter form once and returns a test for a row;
 *   a review date it cannot read is said so under the box (and hides nothing).
 * - order(entries, ascending): sorts [value, index, item] by a column's value ("Number as
 *   stated": unit, then value), empty cells last either way, ties in the table's order.
 * - cellValue(row, index, type): that value; dateMessage(input): the message under the box.
 * - controls(table, tools, form, empty, filter, sortBy): the column heads become sort
 *   buttons (sortBy(th, index, ascending)), the form filters as it is typed in, "Show all
 *   claims" resets it, and the controls appear.
 * - onEveryPage(init): runs init on this page and again on each page Material's instant
 *   navigation brings (both scripts start this way).
 */
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell.hasAttribute("data-ev-value") ? cell.getAttribute("data-ev-value") : cell.textContent;
    if (type === "measure") {
      var value = parseFloat(raw);
      return isNaN(value) ? null : [parseInt(cell.getAttribute("data-ev-group"), 10), value];
    }
    if (type === "number") {
      var number = parseFloat(raw);
      return isNaN(number) ? null : number;
    }
    return (raw || "").trim().toLowerCase();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === null) return 1;   // empty cells sort last either way
    if (b === null) return -1;
    if (Array.isArray(a)) return a[0] !== b[0] ? a[0] - b[0] : compare(a[1], b[1]);
    return a < b ? -1 : 1;
  }

  function order(entries, ascending) {
    entries.sort(function (a, b) {
      var c = compare(a[0], b[0]);
      if (a[0] !== null && b[0] !== null && !ascending) c = -c;
      return c || a[1] - b[1];  // stable: ties keep the table's order
    });
    return entries.map(function (entry) { return entry[2]; });
  }

  function words(row) {
    var own = row.getAttribute("data-ev-text");
    return (own === null ? row.textContent || "" : own).replace(/\s+/g, " ").trim().toLowerCase();
  }

  // The message under the review-date box, tied to it (aria-describedby) and announced.
  function dateMessage(input) {
    var id = input.id + "-error";
    var message = document.getElementById(id);
    if (!message) {
      message = document.createElement("span");
      message.id = id;
      message.className = "ev-filter__error";
      message.setAttribute("aria-live", "polite");
      message.hidden = true;
      input.parentNode.appendChild(message);
      input.setAttribute("aria-describedby", id);
    }
    return message;
  }

  function criteria(form, dateError) {
    var q = (form.elements.text.value || "").trim().toLowerCase().split(/\s+/).filter(Boolean);
    var topic = form.elements.topic.value;
    var kind = form.elements.kind.value;
    var certainty = form.elements.certainty ? form.elements.certainty.value : "";
    var source = form.elements.source.value;
    var date = form.elements.reviewed;
    var reviewed = date.value.trim();
    if (reviewed && !/^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$/.test(reviewed)) {
      date.setAttribute("aria-invalid", "true");
      dateError.textContent = "\u201c" + reviewed + "\u201d is not a date this filter can read: write it as " +
        "YYYY-MM-DD, e.g. 2026-11-24. No rows are hidden by date until then.";
      dateError.hidden = false;
      reviewed = "";
    } else {
      date.removeAttribute("aria-invalid");
      dateError.textContent = "";
      dateError.hidden = true;
    }
    return function (row, rowWords) {
      return (!topic || row.getAttribute("data-topic") === topic) &&
        (!kind || row.getAttribute("data-kind") === kind) &&
        (!certainty || row.getAttribute("data-certainty") === certainty) &&
        (!source || row.getAttribute("data-sources").split(" ").indexOf(source) >= 0) &&
        (!reviewed || row.getAttribute("data-reviewed") >= reviewed) &&
        q.every(function (word) { return rowWords.indexOf(word) >= 0; });
    };
  }

  function controls(table, tools, form, empty, filter, sortBy) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      if (!th.hasAttribute("data-ev-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ev-sort";
      button.textContent = th.textContent;
      button.addEventListener("click", function () {
        sortBy(th, index, th.getAttribute("aria-sort") !== "ascending");
      });
      th.textContent = "";
      th.appendChild(button);
    });
    form.addEventListener("input", filter);
    form.addEventListener("change", filter);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
    if (empty) {
      var again = empty.querySelector("[data-ev-reset]");
      if (again) again.addEventListener("click", function () { form.reset(); });
    }
    tools.hidden = false;
    table.classList.add("ev-table--enhanced");
    filter();
  }

  // Material re-renders the page content on instant navigation: document$ fires each time.
  function onEveryPage(init) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(init);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }

  window.EvidenceTable = {
    cellValue: cellValue, compare: compare, order: order, words: words,
    dateMessage: dateMessage, criteria: criteria, controls: controls, onEveryPage: onEveryPage
  };
})();
