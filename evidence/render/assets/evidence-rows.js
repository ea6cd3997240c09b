/* The All claims table of a site with more claims than a page holds (list_page_size;
 * evidence/pages/list_pages.py). Needs evidence-table.js (loaded first); fetches only the
 * site's own files.
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

  function item(row, index) {
    return { row: row, index: index, words: window.EvidenceTable.words(row) };
  }

  function setup(table) {
    var T = window.EvidenceTable;  // evidence-table.js: what this and evidence.js share
    if (!T || table.getAttribute("data-ev-ready") || !window.fetch || !window.Promise) return;
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
    var dateError = T.dateMessage(form.elements.reviewed);

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
      var matches = T.criteria(form, dateError);
      matched = items.filter(function (it) { return matches(it.row, it.words); });
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
      var entries = items.map(function (it) { return [T.cellValue(it.row, index, type), it.index, it]; });
      items = T.order(entries, ascending);
      filter();
    }

    moreButton.addEventListener("click", function () { limit += step; show(); });
    T.controls(table, tools, form, empty, filter, sortBy);

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

  window.EvidenceTable.onEveryPage(init);
})();
