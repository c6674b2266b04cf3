/* evalkit: small offline additions to the HTML book (no libraries, no network).
 *
 * 1. Filter of the reconciliation tables (the page marks itself with a
 *    <div class="evalkit-filter">): by section (document) and by status. The controls are made
 *    here, so without JavaScript the page simply shows every table in full.
 * 2. Search results with a readable snippet: Sphinx takes the text of the page's
 *    [role=main], which in this theme includes the page's buttons and contents list; the
 *    snippet is taken from the article only, with its whitespace collapsed.
 */
(function () {
  "use strict";

  function text(el) {
    return (el.textContent || "").replace(/\s+/g, " ").trim();
  }

  function headingText(h) {
    const copy = h.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
    return text(copy);
  }

  /* The tables with a "Status" column, each with the heading above it. */
  function filterableTables(article) {
    const found = [];
    let heading = null;
    const nodes = article.querySelectorAll("h2, table.evalkit-table");
    nodes.forEach(function (node) {
      if (node.tagName === "H2") { heading = node; return; }
      const headers = Array.from(node.querySelectorAll("thead th")).map(text);
      const column = headers.indexOf("Status");
      if (column < 0 || !heading) return;
      const box = node.closest(".pst-scrollable-table-container") || node;
      found.push({ heading: heading, box: box, table: node, column: column });
    });
    return found;
  }

  function option(select, value, label) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function labelled(form, id, label, select) {
    const wrap = document.createElement("div");
    wrap.className = "evalkit-filter-field";
    const l = document.createElement("label");
    l.htmlFor = id;
    l.textContent = label;
    select.id = id;
    wrap.appendChild(l);
    wrap.appendChild(select);
    form.appendChild(wrap);
  }

  function setUpFilter(marker) {
    const article = marker.closest("article") || document.body;
    const tables = filterableTables(article);
    if (!tables.length) return;
    const sections = [];
    const statuses = [];
    tables.forEach(function (t) {
      const name = headingText(t.heading);
      if (sections.indexOf(name) < 0) sections.push(name);
      t.name = name;
      t.rows = Array.from(t.table.querySelectorAll("tbody tr")).map(function (tr) {
        const status = text(tr.children[t.column]);
        if (statuses.indexOf(status) < 0) statuses.push(status);
        return { tr: tr, status: status };
      });
    });

    const form = document.createElement("form");
    form.className = "evalkit-filter-form";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Claims filteren");
    const section = document.createElement("select");
    option(section, "", "alle onderdelen");
    sections.forEach(function (s) { option(section, s, s); });
    labelled(form, "evalkit-filter-onderdeel", "Onderdeel", section);
    const status = document.createElement("select");
    option(status, "", "alle statussen");
    statuses.forEach(function (s) { option(status, s, s); });
    labelled(form, "evalkit-filter-status", "Status", status);
    const count = document.createElement("p");
    count.className = "evalkit-filter-count";
    count.setAttribute("aria-live", "polite");
    form.appendChild(count);
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    const total = tables.reduce(function (n, t) { return n + t.rows.length; }, 0);
    function apply() {
      let shown = 0;
      tables.forEach(function (t) {
        let visible = 0;
        const inSection = !section.value || section.value === t.name;
        t.rows.forEach(function (r) {
          const on = inSection && (!status.value || status.value === r.status);
          r.tr.hidden = !on;
          if (on) visible += 1;
        });
        t.heading.hidden = visible === 0;
        t.box.hidden = visible === 0;
        shown += visible;
      });
      count.textContent = shown + " van " + total + " claims zichtbaar";
    }
    section.addEventListener("change", apply);
    status.addEventListener("change", apply);
    marker.appendChild(form);
    marker.hidden = false;
    apply();
  }

  function patchSearch() {
    if (typeof Search === "undefined" || !Search.htmlToText) return;
    const original = Search.htmlToText;
    Search.htmlToText = function (htmlString, anchor) {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      const article = doc.querySelector("article.bd-article");
      if (!article) return original(htmlString, anchor);
      article.querySelectorAll(".headerlink, script, style, .evalkit-params, .cell_input")
        .forEach(function (el) { el.remove(); });
      const part = anchor ? article.querySelector(anchor) : null;
      return text(part || article);
    };
    /* Sphinx looks for the stemmed words (Dutch "hoofdvraag" becomes "hoofdvrag") and, when
       they are not in the text, shows the page's first lines; look for the words as typed. */
    Search.makeSearchSummary = function (htmlText, keywords, anchor) {
      const page = Search.htmlToText(htmlText, anchor);
      if (!page) return null;
      const query = new URLSearchParams(window.location.search).get("q") || "";
      const words = query.toLowerCase().split(/\s+/).filter(Boolean)
        .concat(Array.from(keywords || []).map(function (k) { return k.toLowerCase(); }));
      const lower = page.toLowerCase();
      const found = words.map(function (w) { return lower.indexOf(w); })
        .filter(function (i) { return i > -1; });
      const start = Math.max((found.length ? Math.min.apply(null, found) : 0) - 100, 0);
      const summary = document.createElement("p");
      summary.classList.add("context");
      summary.textContent = (start > 0 ? "… " : "") + page.substr(start, 240).trim()
        + (start + 240 < page.length ? " …" : "");
      return summary;
    };
  }

  function init() {
    document.querySelectorAll(".evalkit-filter").forEach(setUpFilter);
    patchSearch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
