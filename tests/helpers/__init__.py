"""Helpers more than one test module uses. A test module imports shared helpers from here,
tests/factories.py, tests/pages.py or tests/proof.py, never from another test module; shared
fixtures are in conftest.py."""
