/* The All claims table of a site with more claims than a page holds (list_page_size;
 * evidence/pages/list_pages.py). No dependencies; fetches only the site's own files.
 *
 * Without this script the page lists the first page of claims and links the others
 * (claims/page/2/…), a plain list. With it, the other pages' rows are fetched from
 * claims/rows/<n>.json (each a list of <tr> strings the build rendered for this page, as
 * escaped as the page's own), and the filter form, the sort buttons and the live count
 * work on every claim, as evidence.js does for a table that fits on one page. The first
 * page of matches is listed; "Show more claims" lists the next. Until the rows have
 * loaded, the form works on those already here and the count says the rest is loading.
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

  function item(row, index) {
    var own = row.getAttribute("data-ev-text") || row.textContent || "";
    return { row: row, index: index, words: own.replace(/\s+/g, " ").trim().toLowerCase() };
  }

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

  function setup(table) {
    if (table.getAttribute("data-ev-ready") || !window.fetch || !window.Promise) return;
    var tools = document.querySelector('[data-ev-table-tools="' + table.id + '"]');
    var form = tools && tools.querySelector("[data-ev-filters]");
    var count = tools && tools.querySelector("[data-ev-count]");
    var more = document.querySelector("[data-ev-more]");
    if (!form || !count || !more) return;
    table.setAttribute("data-ev-ready", "true");
    var moreButton = more.querySelector("button");
    var empty = document.querySelector("[data-ev-empty]");
    var body = table.tBodies[0];
    var step = parseInt(table.getAttribute("data-ev-page-size"), 10) || 200;
    var total = parseInt(table.getAttribute("data-ev-total"), 10) || body.rows.length;
    var sources = JSON.parse(table.getAttribute("data-ev-rows") || "[]");
    var items = Array.prototype.map.call(body.rows, item);
    var matched = items;
    var limit = step;
    var loading = true;
    var dateError = dateMessage(form.elements.reviewed);

    function show() {
      var fragment = document.createDocumentFragment();
      matched.slice(0, limit).forEach(function (it) { fragment.appendChild(it.row); });
      body.textContent = "";
      body.appendChild(fragment);
      var left = matched.length - Math.min(limit, matched.length);
      more.hidden = loading || left <= 0;
      moreButton.textContent = "Show " + Math.min(step, left) + " more claims (" +
        Math.min(limit, matched.length) + " of " + matched.length + " listed)";
    }

    function filter() {
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
      matched = items.filter(function (it) {
        var row = it.row;
        return (!topic || row.getAttribute("data-topic") === topic) &&
          (!kind || row.getAttribute("data-kind") === kind) &&
          (!certainty || row.getAttribute("data-certainty") === certainty) &&
          (!source || row.getAttribute("data-sources").split(" ").indexOf(source) >= 0) &&
          (!reviewed || row.getAttribute("data-reviewed") >= reviewed) &&
          q.every(function (word) { return it.words.indexOf(word) >= 0; });
      });
      limit = step;
      var known = loading ? items.length : total;
      count.textContent = (matched.length === known
        ? "Showing all " + known + " claims"
        : "Showing " + matched.length + " of " + known + " claims") +
        (loading ? " (loading the other " + (total - items.length) + "\u2026)" : "");
      if (empty) empty.hidden = matched.length !== 0 || loading;
      show();
    }

    var sorted = null;  // [th, index, ascending] of the last sort, applied again after loading
    function sortBy(th, index, ascending) {
      var type = th.getAttribute("data-ev-sort");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      sorted = [th, index, ascending];
      var keyed = items.map(function (it) { return [cellValue(it.row, index, type), it]; });
      keyed.sort(function (a, b) {
        var c = compare(a[0], b[0]);
        if (a[0] !== null && b[0] !== null && !ascending) c = -c;
        return c || a[1].index - b[1].index;  // stable: ties keep the table's order
      });
      items = keyed.map(function (pair) { return pair[1]; });
      filter();
    }

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
    moreButton.addEventListener("click", function () { limit += step; show(); });
    if (empty) {
      var again = empty.querySelector("[data-ev-reset]");
      if (again) again.addEventListener("click", function () { form.reset(); });
    }
    tools.hidden = false;
    table.classList.add("ev-table--enhanced");
    filter();

    var template = document.createElement("template");
    Promise.all(sources.map(function (src) {
      return window.fetch(src, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(src + ": " + response.status);
        return response.json();
      });
    })).then(function (pages) {
      var order = items.slice().sort(function (a, b) { return a.index - b.index; });
      pages.forEach(function (rows) {
        template.innerHTML = "<table><tbody>" + rows.join("") + "</tbody></table>";
        Array.prototype.forEach.call(template.content.querySelectorAll("tbody > tr"), function (row) {
          order.push(item(document.adoptNode(row), order.length));
        });
      });
      items = order;
      loading = false;
      table.setAttribute("data-ev-loaded", "true");
      Array.prototype.forEach.call(document.querySelectorAll("[data-ev-pager], [data-ev-paged-note]"), function (el) {
        el.hidden = true;  // every claim is in the table now: "Show more" pages it
      });
      if (sorted) sortBy(sorted[0], sorted[1], sorted[2]); else filter();
    }).catch(function () {
      loading = false;
      items = items.slice();
      total = items.length;
      count.textContent = "Only the first " + total + " claims could be loaded here; " +
        "the page links below the table list the others.";
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table[data-ev-paged-table]"), setup);
  }

  // Material re-renders the page content on instant navigation: document$ fires each time.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
