from __future__ import annotations

from flask import Blueprint

bp = Blueprint("advocacy", __name__)
