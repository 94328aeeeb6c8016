from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pack", __name__)
