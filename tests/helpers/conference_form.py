"""The coordinator's new conference form, filled in right: a test changes only what it checks."""

GOOD = {
    "case_reference": " cp-2026-0142 ",
    "conference_type": "initial",
    "section_47_started_on": ["3", "3", "2026"],
    "date": ["20", "3", "2026"],
    "start_time": "2:30pm",
    "format": "virtual",
    "chair_id": "",
}
