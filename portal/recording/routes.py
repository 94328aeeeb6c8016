from __future__ import annotations

from flask import Blueprint

bp = Blueprint("recording", __name__)
