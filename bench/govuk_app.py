"""The fair yardstick for bench/family_pages.py: a bare Flask app that renders the same GOV.UK
question page as the portal, with the same govuk-frontend-jinja macros (the page template, back
link, radios, character count and button), and does one INSERT per POST before redirecting back.

It has what any GOV.UK page costs and nothing of the portal's own: no sessions, CSRF, sign-in,
family visit, audit, translations or compression.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, redirect, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

app = Flask(__name__)
app.jinja_loader = ChoiceLoader(
    [
        FileSystemLoader(Path(__file__).with_name("templates")),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ]
)
engine = sa.create_engine(os.environ["DATABASE_URL"], pool_size=5)
rows = sa.table("bench_row", sa.column("body"))

ITEMS = [
    {"value": value, "text": text}
    for value, text in (
        ("yes", "Yes"),
        ("partly", "Partly"),
        ("no", "No"),
        ("not_sure", "Not sure"),
    )
]


@app.get("/q")
def question():  # noqa: ANN201 - a yardstick, kept as bare as the benchmark says
    return render_template("govuk_question.html", items=ITEMS)


@app.post("/q")
def answer():  # noqa: ANN201
    with engine.begin() as connection:
        connection.execute(sa.insert(rows).values(body=request.form.get("text", "")))
    return redirect("/q", code=303)
