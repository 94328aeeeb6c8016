"""The annual report laid out once, as headed sections of tables and paragraphs, in the order
such a report uses: the page, the PDF (made from the page) and the Word document all show
these, so they hold the same numbers. No section names a child or family: every figure is a
count, and the feedback comments are left out."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.models import AnnualText, Comparator
from portal.reports.activity import COLUMNS, Figure, Section
from portal.reports.activity_chart import CHART_SIZE
from portal.reports.activity_counts import RateByQuarter
from portal.reports.annual.measures import YEAR_COLUMN, measure_label, per_children, season
from portal.reports.annual.report import AnnualReport, comparator_value
from portal.reports.annual.words import SECTIONS
from portal.reports.participation import COLUMNS as PARTICIPATION_COLUMNS
from portal.reports.quarters import EMPTY, Rate, year_label
from portal.templating import format_date


@dataclass(frozen=True)
class DocTable:
    key: str
    caption: str
    header: list[str]
    rows: list[list[str]]  # each row's first cell is its heading
    text_last: bool = False  # the last column is words (a source), not a figure


@dataclass(frozen=True)
class DocSection:
    key: str
    title: str
    intro: str = ""
    tables: list[DocTable] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # the manager's words, as written
    chart: bool = False  # the four years' chart goes here


def _rate(rate: Rate) -> str:
    return f"{rate.percent} ({rate.numerator} of {rate.denominator})" if rate.denominator else EMPTY


def _cells(figure: Figure) -> list[str]:
    if isinstance(figure, RateByQuarter):
        return [_rate(rate) for rate in figure.rates()]
    return [str(value) for value in figure.values]


def _activity_table(section: Section) -> DocTable:
    return DocTable(
        section.key,
        section.title,
        [section.label, *COLUMNS],
        [[figure.label, *_cells(figure)] for figure in section.rows],
    )


def _paragraphs(text: AnnualText | None) -> list[str]:
    body = text.body if text else ""
    return [part.strip() for part in body.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _words(report: AnnualReport, keys: tuple[str, ...]) -> list[DocSection]:
    return [
        DocSection(f"words-{s.key}", str(s.title), paragraphs=_paragraphs(report.words[s.key]))
        for s in SECTIONS
        if s.key in keys and _paragraphs(report.words[s.key])
    ]


def _plans(report: AnnualReport) -> DocSection:
    activity = report.current.activity
    tables = [
        _activity_table(activity.section(key)) for key in ("held", "new-plans", "plans-at-end")
    ]
    population = report.population
    if population:
        at_end = activity.figure("plans_at_end").values[YEAR_COLUMN]  # type: ignore[union-attr]
        tables.append(
            DocTable(
                "per-10000",
                _("Children subject to a plan at year end, per 10,000 children aged 0–17"),
                [_("Measure"), _("Year")],
                [
                    [
                        _(
                            "Children aged 0–17 (%(source)s, %(day)s)",
                            source=population.source,
                            day=format_date(population.source_date),
                        ),
                        str(population.children),
                    ],
                    [_("Per 10,000 children"), per_children(at_end, population.children)],
                ],
            )
        )
    return DocSection(
        "plans",
        _("Plans and conferences"),
        _(
            "Conferences held, plans started "
            "and plans open at the end of each quarter (the year's on 31 March)."
        ),
        tables,
    )


def _trend(report: AnnualReport) -> DocSection:
    trend = report.trend
    header = [_("Measure"), *[season(y) for y in trend.years]]
    rows = [[label, *[f.text for f in figures]] for _key, label, figures in trend.rows]
    return DocSection(
        "trends",
        _("Four years"),
        _(
            "The headline measures over the last four financial years, from the same reports "
            "(imported history included). \u201c–\u201d: no conference on record that year."
        ),
        [DocTable("trend", _("Headline measures by financial year"), header, rows)],
        chart=True,
    )


def _comparators(report: AnnualReport) -> DocSection:
    """A row per measure and area, a column per year of the trend, and where each came from."""
    years = report.trend.years
    grouped: dict[tuple[str, str], list[Comparator]] = {}
    for row in report.comparators:
        grouped.setdefault((row.measure, row.area), []).append(row)
    rows = []
    for (measure, area), found in grouped.items():
        by_year = {row.year: comparator_value(row) for row in found}
        sources: dict[str, list[str]] = {}
        for row in found:
            sources.setdefault(row.source, []).append(format_date(row.source_date))
        rows.append(
            [
                f"{measure_label(measure)}: {area}",
                *[by_year.get(year, EMPTY) for year in years],
                "; ".join(
                    _("%(source)s, published %(days)s", source=source, days=", ".join(days))
                    for source, days in sources.items()
                ),
            ]
        )
    header = [_("Measure and area"), *[season(year) for year in years], _("Source")]
    intro = _(
        "Other areas' published figures, as entered or imported with their source. They are "
        "not the council's figures, which are in the tables above."
    )
    if not rows:
        intro = _("No other areas' figures are entered for these years.")
    tables = [DocTable("comparators", _("Other areas"), header, rows, True)] if rows else []
    return DocSection("comparators", _("Other areas"), intro, tables)


def _participation(report: AnnualReport) -> DocSection:
    table = report.current.participation
    rows = [
        [row.label, *[_rate(Rate("", c.numerator, c.denominator)) for c in row.cells.values()]]
        for row in table.rows
    ]
    header = [_("Measure"), *PARTICIPATION_COLUMNS[:4], _("Year")]
    return DocSection(
        "participation",
        _("Participation"),
        _(
            "Attendance and participation by "
            "quarter: children coded CP1–CP7, and mothers and fathers invited."
        ),
        [DocTable("participation", _("Participation by quarter"), header, rows)],
    )


def _feedback(report: AnnualReport) -> DocSection:
    feedback = report.feedback

    def rates(key: str, caption: str, first: str, found: list[Rate]) -> DocTable:
        header = [first, _("Number"), _("Share")]
        return DocTable(
            key, caption, header, [[r.label, str(r.numerator), _rate(r)] for r in found]
        )

    return DocSection(
        "feedback",
        _("Feedback and response rates"),
        _(
            "Forms sent to families by text or email, and how many came back. Comments are not "
            "included in this report."
        ),
        [
            rates("funnel", _("Response funnel"), _("Stage"), feedback.funnel.stages()),
            rates("by-form", _("Response rate by form"), _("Form"), feedback.by_form),
            rates("by-quarter", _("Response rate by quarter"), _("Quarter"), feedback.by_quarter),
            rates("ratings", _("Quick ratings"), _("Rating"), feedback.ratings),
        ],
    )


def document_sections(report: AnnualReport) -> list[DocSection]:
    activity = report.current.activity
    timeliness = [_activity_table(activity.section(k)) for k in ("initial", "reviews", "delays")]
    advocacy = [_activity_table(activity.section(k)) for k in ("advocacy", "advocacy-rates")]
    return [
        *_words(report, ("introduction",)),
        _plans(report),
        _trend(report),
        _comparators(report),
        DocSection("timeliness", _("Timeliness"), "", timeliness),
        DocSection(
            "outcomes",
            _("Outcomes and durations"),
            "",
            [_activity_table(activity.section("plans-ended"))],
        ),
        _participation(report),
        _feedback(report),
        DocSection("advocacy", _("Advocacy"), "", advocacy),
        *_words(report, ("worked_well", "worried_about", "objectives")),
    ]


def document_title(report: AnnualReport) -> str:
    return _("Child protection conferences: annual report, %(year)s", year=year_label(report.year))


def page_values(report: AnnualReport) -> dict[str, object]:
    """What the page and the PDF's template need."""
    return {
        "report": report,
        "title": document_title(report),
        "sections": document_sections(report),
        "chart": report.trend.chart,
        "chart_size": CHART_SIZE,
        "years_shown": f"{report.trend.years[0]} to {report.trend.years[-1] + 1}",
    }
