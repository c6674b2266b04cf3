"""Altair charts: each function takes a frame and returns a chart, without side effects."""

from __future__ import annotations

import altair as alt
import pandas as pd

# Okabe-Ito blue: ≥ 4.5:1 against white. Bars use one colour; categories are told by their
# position and label, never by colour alone.
BAR_COLOUR = "#0072B2"
TEXT_COLOUR = "#1a1a1a"
#: The two kinds of bar when a chart shows what the publications establish.
FIXED = "vast volgens de publicaties"
NOT_FIXED = "niet vast: keuze van het synthetische register"
FONT = "DejaVu Sans"


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _base_config(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    return (
        chart.configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor=TEXT_COLOUR)
        .configure_title(fontSize=14, anchor="start", color=TEXT_COLOUR, subtitleColor="#444")
    )


def _finish(
    layered: alt.LayerChart,
    *,
    title: str,
    subtitle: str | None,
    description: str,
    width: int,
    step: int,
) -> alt.LayerChart:
    """Heading (the finding), alternative text, size, and the shared look."""
    return _base_config(
        layered.properties(
            title=alt.TitleParams(text=title, subtitle=subtitle or ""),
            description=description,
            width=width,
            height=alt.Step(step),
        )
    )


def bar_chart(
    frame: pd.DataFrame,
    category: str,
    value: str,
    *,
    title: str,
    description: str,
    category_title: str,
    value_title: str,
    subtitle: str | None = None,
    sort: list[str] | None = None,
    label: str | None = None,
    status: str | None = None,
) -> alt.LayerChart:
    """Horizontal bar chart with the value printed at the end of each bar.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per bar.
    category, value : str
        Column with the bar labels and column with the bar lengths.
    title : str
        The finding, in words (it is the chart's heading).
    description : str
        Alternative text for screen readers (becomes the SVG's ``aria-label``).
    category_title, value_title : str
        Axis titles.
    subtitle : str, optional
        Second heading line (for example the source).
    sort : list of str, optional
        Bar order; default: as in ``frame``.
    label : str, optional
        Column with the text printed at the bar end (default: ``value``).
    status : str, optional
        Column saying whether the publications fix each bar (:data:`FIXED`) or not
        (:data:`NOT_FIXED`); bars that are the register's choice are drawn open, with a legend.

    Returns
    -------
    altair.LayerChart

    """
    order = sort if sort is not None else list(frame[category])
    y = alt.Y(f"{category}:N", sort=order, title=category_title, axis=alt.Axis(labelLimit=230))
    x = alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1, format="d"))
    tooltip = [
        alt.Tooltip(f"{category}:N", title=category_title),
        alt.Tooltip(f"{label or value}:N" if label else f"{value}:Q", title=value_title),
    ]
    bars = alt.Chart(frame).mark_bar(color=BAR_COLOUR).encode(y=y, x=x, tooltip=tooltip)
    if status is not None:
        bars = (
            alt.Chart(frame)
            .mark_bar(stroke=BAR_COLOUR, strokeWidth=1.5)
            .encode(
                y=y,
                x=x,
                tooltip=[*tooltip, alt.Tooltip(f"{status}:N", title="Volgens de publicaties")],
                fill=alt.Fill(
                    f"{status}:N",
                    scale=alt.Scale(domain=[FIXED, NOT_FIXED], range=[BAR_COLOUR, "#ffffff"]),
                    legend=alt.Legend(
                        title=None,
                        orient="bottom",
                        direction="vertical",
                        symbolStrokeColor=BAR_COLOUR,
                        labelLimit=400,
                    ),
                ),
            )
        )
    text = (
        alt.Chart(frame)
        .mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=12)
        .encode(y=y, x=x, text=alt.Text(f"{label}:N" if label else f"{value}:Q"))
    )
    return _finish(
        alt.layer(bars, text),
        title=title,
        subtitle=subtitle,
        description=description,
        width=340,
        step=26,
    )


# Two blues with ≥ 3:1 contrast against each other and against white (WCAG 1.4.11): navy
# #08306b and #4292c6. Each bar also carries its year in its label, so colour is never the
# only cue.
YEAR_COLOURS = ("#08306b", "#4292c6")


def grouped_bar_chart(
    frame: pd.DataFrame,
    category: str,
    value: str,
    group: str,
    *,
    title: str,
    description: str,
    subtitle: str | None = None,
    status: str | None = None,
) -> alt.LayerChart:
    """Horizontal bars per category, one bar per group (year), each labelled with its group.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long format: one row per category and group; ``value`` in percent.
    category, value, group : str
        Column names.
    title, description, subtitle : str
        Heading (the finding), alternative text, second heading line.
    status : str, optional
        Column with :data:`FIXED` or :data:`NOT_FIXED` per bar; bars the publications do not
        fix are drawn faded, with a legend.

    Returns
    -------
    altair.LayerChart

    """
    data = frame.assign(
        _group=frame[group].astype(str),
        _label=[f"{g}: {v:.0f}%" for g, v in zip(frame[group], frame[value], strict=True)],
    )
    groups = sorted(data["_group"].unique())
    palette = list(YEAR_COLOURS) * (len(groups) // len(YEAR_COLOURS) + 1)
    y = alt.Y(
        f"{category}:N",
        sort=list(dict.fromkeys(data[category])),
        title=None,
        axis=alt.Axis(labelLimit=260),
    )
    x = alt.X(f"{value}:Q", title="Procent van de gezinnen", scale=alt.Scale(domain=[0, 100]))
    offset = alt.YOffset("_group:N", sort=groups)
    colour = alt.Color(
        "_group:N",
        scale=alt.Scale(domain=groups, range=palette[: len(groups)]),
        legend=alt.Legend(title="Jaar", orient="bottom"),
    )
    faded = {}
    if status is not None:
        faded["opacity"] = alt.Opacity(
            f"{status}:N",
            scale=alt.Scale(domain=[FIXED, NOT_FIXED], range=[1.0, 0.35]),
            legend=alt.Legend(title=None, orient="bottom", direction="vertical", labelLimit=400),
        )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            **faded,
            y=y,
            x=x,
            yOffset=offset,
            color=colour,
            tooltip=[
                alt.Tooltip(f"{category}:N"),
                alt.Tooltip("_label:N", title="Jaar en aandeel"),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, color=TEXT_COLOUR, fontSize=11)
        .encode(y=y, x=x, yOffset=offset, text="_label:N")
    )
    return _finish(
        alt.layer(bars, text),
        title=title,
        subtitle=subtitle,
        description=description,
        width=340,
        step=16,
    )


def timeline_chart(
    frame: pd.DataFrame, *, title: str, description: str, subtitle: str | None = None
) -> alt.LayerChart:
    """One row per event, sorted by date: a dot on the time axis, shape by kind of event.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns ``datum`` (timestamp), ``rij`` (the row label, unique), ``spoor`` and ``soort``.
    title, description, subtitle : str
        Heading (the finding), alternative text, second heading line.

    Returns
    -------
    altair.LayerChart

    """
    order = list(frame.sort_values("datum")["rij"])
    tracks = sorted(frame["spoor"].unique())
    y = alt.Y("rij:N", sort=order, title=None, axis=alt.Axis(labelLimit=300, labelFontSize=10))
    x = alt.X("datum:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"))
    colour = alt.Color(
        "spoor:N",
        title="Spoor",
        scale=alt.Scale(domain=tracks, range=list(YEAR_COLOURS[: len(tracks)])),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )
    shape = alt.Shape(
        "soort:N",
        title="Soort",
        legend=alt.Legend(orient="bottom", direction="vertical", columns=2),
    )
    rule = alt.Chart(frame).mark_rule(color="#bbbbbb").encode(y=y)
    dots = (
        alt.Chart(frame)
        .mark_point(size=90, filled=True, opacity=1)
        .encode(
            y=y,
            x=x,
            color=colour,
            shape=shape,
            tooltip=[
                alt.Tooltip("rij:N", title="Gebeurtenis"),
                alt.Tooltip("soort:N"),
                alt.Tooltip("spoor:N"),
            ],
        )
    )
    return _finish(
        alt.layer(rule, dots),
        title=title,
        subtitle=subtitle,
        description=description,
        width=170,
        step=17,
    )
