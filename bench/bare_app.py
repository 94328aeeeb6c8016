"""The yardstick for bench/family_pages.py: a bare Flask app whose POST does one INSERT and
redirects, as a family answer does, with nothing else (no templates, sessions or checks)."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, redirect, request

app = Flask(__name__)
engine = sa.create_engine(os.environ["DATABASE_URL"], pool_size=5)
rows = sa.table("bench_row", sa.column("body"))


@app.post("/insert")
def insert():  # noqa: ANN201 - a yardstick, kept as bare as the benchmark says
    with engine.begin() as connection:
        connection.execute(sa.insert(rows).values(body=request.form.get("text", "")))
    return redirect("/insert", code=302)
