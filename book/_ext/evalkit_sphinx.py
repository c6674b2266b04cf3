"""Sphinx extension of the evalkit book: fixes to the HTML the theme produces."""

from __future__ import annotations


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


def _keep_dutch_contents_name(app) -> None:
    """Let the PDF's table of contents be called "Inhoudsopgave".

    Sphinx names it after the first caption of the root toctree, which is a part of the book
    ("Inleiding"); without a name, LaTeX's Dutch language settings give the right one.
    """
    if app.builder.name == "latex":
        app.builder.get_contentsname = lambda indexfile: ""


def setup(app):
    """Register the hooks."""
    app.connect("builder-inited", _keep_dutch_contents_name)
    # Late (priority 900), after the theme and the other extensions added their scripts.
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

