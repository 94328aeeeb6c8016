"""The WSGI entry point: ``gunicorn wsgi:app``. Flask's CLI also finds the app here."""

from portal import create_app

app = create_app()
