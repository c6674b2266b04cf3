"""Sphinx extension of the evalkit book: fixes to the HTML the theme produces."""

from __future__ import annotations

import string

from docutils import nodes

#: The part of ``_toc.yml`` whose chapters are the appendices, lettered in their order.
APPENDIX_PART = "Bijlagen"


def appendix_letters(site_map) -> dict[str, str]:
    """``{docname: "Bijlage A"}`` for every chapter of the part :data:`APPENDIX_PART`.

    Parameters
    ----------
    site_map : sphinx_external_toc.api.SiteMap
        The book's ``_toc.yml`` as sphinx-external-toc parsed it.

    Returns
    -------
    dict of str to str
        The letters follow the order of the part: a chapter added to it (or moved) is
        lettered without a change to any page.

    """
    if site_map is None:
        return {}
    for tree in site_map[site_map.root.docname].subtrees:
        if tree.caption == APPENDIX_PART:
            return {
                doc: f"Bijlage {string.ascii_uppercase[i]}" for i, doc in enumerate(tree.files())
            }
    return {}


def _letter_appendix(app, doctree) -> None:
    """Prefix an appendix's title with its letter (``Bijlage A. Verantwoording per getal``).

    Runs before Sphinx collects the titles, so that the navigation, the page and the PDF's
    contents list (which takes each page's ``h1``) all show the same name.
    """
    letter = appendix_letters(getattr(app.config, "external_site_map", None)).get(app.env.docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if not letter or section is None or not section.children:
        return
    title = section.children[0]
    if isinstance(title, nodes.title) and not title.astext().startswith(letter):
        title.insert(0, nodes.Text(f"{letter}. "))


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    """Drop repeated inline scripts (sphinx-thebe registers its settings twice).

    A second ``const THEBE_JS_URL = ...`` is a JavaScript error on every page.
    """
    seen = set()
    unique = []
    for script in context.get("script_files", []):
        # The same inline script is registered once with filename None and once with "".
        name = getattr(script, "filename", script) or ""
        key = (str(name), getattr(script, "attributes", {}).get("body", ""))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


#: The search field's placeholder (the theme's default is English).
SEARCH_BAR_TEXT = "Zoeken in dit rapport…"


def _dutch_theme_options(app, config) -> None:
    """Dutch text for the theme options jupyter-book fills in English."""
    options = dict(config.html_theme_options or {})
    options["search_bar_text"] = SEARCH_BAR_TEXT
    config.html_theme_options = options


def setup(app):
    """Register the hooks."""
    app.connect("config-inited", _dutch_theme_options)
    # Before Sphinx's title collector (priority 500) reads the page's title.
    app.connect("doctree-read", _letter_appendix, priority=400)
    # Late (priority 900), after the theme and the other extensions added their scripts.
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
