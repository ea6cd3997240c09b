/* Progressive enhancements for readers. Needs evidence-table.js (loaded first); no network.
 *
 * 1. The all-claims table (templates/claims_table.html), with evidence-table.js (what this
 *    and evidence-rows.js, the paged table's script, share): without this script the
 *    page shows the complete plain table and no controls. With it, the filter form
 *    appears, column headers become sort buttons and a live count says how many match.
 *    "Number as stated" sorts by unit, then value (durations in days: 4 weeks before 3
 *    months); the review-date filter takes YYYY-MM-DD, as the site writes dates (a
 *    browser's date picker shows the reader's locale, mm/dd/yyyy in the US); a date it
 *    cannot read is said so, under the box.
 * 2. Material's search dialog has role="dialog" but no name; screen readers announce it
 *    as "dialog" only (axe: aria-dialog-name). It gets the name of its input's label.
 * 3. The earlier-edition banner links to the latest edition's home; when the same page
 *    exists in the latest edition (a HEAD request on this site), it links there instead.
 * 4. Site search (evidence/pages/search_index.py): Pagefind's UI, from the site's own
 *    pagefind/ folder, moved into the header where Material puts its search box. `/` or
 *    `s` focuses it, Escape clears and leaves it. Without this script there is no search.
 * 5. Readers' aids: Markdown tables get column labels for phones, Material's edition
 *    button a name that starts with what it shows, tooltips a place inside <main>.
 * The table's word filter reads the claim's own words (data-ev-text: title, id,
 * statement, number and population), not its source's title.
 */
(function () {
  "use strict";

  function setup(table) {
    var T = window.EvidenceTable;  // evidence-table.js: what this and evidence-rows.js share
    if (!T || table.getAttribute("data-ev-ready")) return;
    table.setAttribute("data-ev-ready", "true");
    var tools = document.querySelector('[data-ev-table-tools="' + table.id + '"]');
    var form = tools && tools.querySelector("[data-ev-filters]");
    var count = tools && tools.querySelector("[data-ev-count]");
    var empty = document.querySelector("[data-ev-empty]");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var total = rows.length;
    var words = rows.map(T.words);
    if (!form || !count) return;
    var dateError = T.dateMessage(form.elements.reviewed);

    function filter() {
      var matches = T.criteria(form, dateError);
      var shown = 0;
      rows.forEach(function (row, i) {
        var ok = matches(row, words[i]);
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = shown === total
        ? "Showing all " + total + " claims"
        : "Showing " + shown + " of " + total + " claims";
      if (empty) empty.hidden = shown !== 0;
    }

    function sortBy(th, index, ascending) {
      var type = th.getAttribute("data-ev-sort");
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) {
        other.removeAttribute("aria-sort");
      });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var entries = rows.map(function (row, i) { return [T.cellValue(row, index, type), i, row]; });
      T.order(entries, ascending).forEach(function (row) { body.appendChild(row); });
    }

    T.controls(table, tools, form, empty, filter, sortBy);
  }

  // Tables written in Markdown (e.g. methodology): each cell gets its column's name, so on
  // a phone the rows stack as labelled cards (evidence.css), as the generated tables do.
  function labelMarkdownTables() {
    var tables = document.querySelectorAll(".md-typeset table:not(.ev-table):not([data-ev-labelled])");
    Array.prototype.forEach.call(tables, function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, function (th) {
        return (th.textContent || "").replace(/\s+/g, " ").trim();
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", names[i]);
          });
        });
      });
      table.setAttribute("data-ev-labelled", "true");
      table.classList.add("ev-md-table");
    });
  }

  // Material's edition button is named "Select version" whatever it shows; its name now
  // starts with what it shows (axe: label-content-name-mismatch). Material draws the
  // selector once versions.json has loaded, so this waits for it.
  function nameVersionButton() {
    var topic = document.querySelector(".md-header__topic");
    if (!topic) return;
    function name() {
      var button = topic.querySelector(".md-version__current");
      if (!button || button.getAttribute("data-ev-named")) return !!button;
      // the edition and mike's alias are drawn apart ("v1.1 latest") by a margin only: its
      // text ran them together ("v1.1latest", one word to a screen reader), so a space now
      // parts them in the text too, and the name holds the words as they read
      var alias = button.querySelector(".md-version__alias");
      var before = alias && alias.previousSibling;
      if (before && !/\s$/.test(before.textContent || "")) {
        button.insertBefore(document.createTextNode(" "), alias);
        button.classList.add("ev-version--spaced");
      }
      var shown = (button.textContent || "").replace(/\s+/g, " ").trim();
      button.setAttribute("aria-label", shown + " (choose another edition)");
      button.setAttribute("data-ev-named", "true");
      return true;
    }
    if (name() || !window.MutationObserver) return;
    var watch = new MutationObserver(function () { if (name()) watch.disconnect(); });
    watch.observe(topic, { childList: true, subtree: true });
  }

  // Material puts each tooltip at the end of <body>, outside every landmark (axe:
  // region); the citations' tooltips are moved into <main>, beside what they describe.
  function keepTooltipsInMain() {
    var main = document.querySelector("main");
    if (!main || !window.MutationObserver || document.body.getAttribute("data-ev-tooltips")) return;
    document.body.setAttribute("data-ev-tooltips", "true");
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        Array.prototype.forEach.call(record.addedNodes, function (node) {
          if (node.nodeType === 1 && node.classList.contains("md-tooltip2")) main.appendChild(node);
        });
      });
    }).observe(document.body, { childList: true });
  }

  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    if (dialog) dialog.setAttribute("aria-label", "Search");
  }

  function latestSamePage() {
    var banner = document.querySelector('[data-md-component="outdated"]');
    var link = banner && banner.querySelector("a[data-ev-same]");
    if (!link || !window.fetch) return;
    if (banner.hidden) {  // only on an earlier edition, once Material shows the banner
      if (!window.MutationObserver) return;
      var watch = new MutationObserver(function () {
        if (!banner.hidden) { watch.disconnect(); latestSamePage(); }
      });
      watch.observe(banner, { attributes: true, attributeFilter: ["hidden"] });
      return;
    }
    var same = link.getAttribute("data-ev-same");
    link.removeAttribute("data-ev-same");
    window.fetch(same, { method: "HEAD" }).then(function (response) {
      if (!response.ok) return;
      link.setAttribute("href", same);
      link.setAttribute("data-ev-latest", "same");
      var strong = link.querySelector("strong") || link;
      strong.textContent = "Read this page in the latest edition.";
    }).catch(function () { /* offline or missing: the latest home it is */ });
  }

  function typing(target) {
    var name = target && target.tagName;
    return name === "INPUT" || name === "TEXTAREA" || name === "SELECT" || (target && target.isContentEditable);
  }

  function setupSearch() {
    var box = document.querySelector("[data-ev-search]");
    if (!box || box.getAttribute("data-ev-ready") || typeof window.PagefindUI !== "function") return;
    box.setAttribute("data-ev-ready", "true");
    var header = document.querySelector(".md-header__inner");
    if (header) header.insertBefore(box, header.querySelector(".md-header__source"));
    new window.PagefindUI({
      element: "#" + box.id,
      showSubResults: false,
      showImages: false,
      resetStyles: false,
      pageSize: 5,
      excerptLength: 18,
      translations: { placeholder: "Search" }
    });
    box.hidden = false;
    var input = box.querySelector("input");
    if (!input) return;
    input.setAttribute("aria-label", "Search this site");
    input.setAttribute("aria-keyshortcuts", "/ s");
    function clear() {
      if (input.value) {
        input.value = "";
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
      input.blur();
    }
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "Escape" && box.contains(document.activeElement)) {
        event.preventDefault();
        clear();
      } else if ((event.key === "/" || event.key === "s") && !typing(event.target)) {
        event.preventDefault();
        event.stopPropagation();
        input.focus();
      }
    }, true);
  }

  function init() {
    setupSearch();
    nameSearchDialog();
    latestSamePage();
    labelMarkdownTables();
    nameVersionButton();
    keepTooltipsInMain();
    Array.prototype.forEach.call(document.querySelectorAll("table[data-ev-table]"), setup);
  }

  window.EvidenceTable.onEveryPage(init);
})();
