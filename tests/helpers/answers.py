"""A family member's answers, every question answered (question id -> what the form posts):
the parents' views form and the young people's. The family forms tests post them page by page;
the chair's pack and its journey read them back.
"""

VIEWS_ANSWERS = {
    "why_meeting": {"choice": "yes"},
    "report_shared": {"choice": "not_yet"},
    "report_wrong": {"text": ""},
    "going_well": {"text": "The children are back at school"},
    "worries": {"text": "Money, and the housing"},
    "danger_now": {"choice": "no"},
    "would_help": {"text": "My sister could help with school runs"},
    "attending": {"choice": "video"},
    "speak_to_chair": {"choice": "yes"},
    "help_needed": {"choices": ["interpreter", "supporter"], "text": "Polish"},
}

YOUNG_PERSON_ANSWERS = {
    "going_well": {"text": "Football on Saturdays"},
    "worries": {"text": "Shouting at night"},
    "danger_now": {"choice": "no"},
    "needs_to_change": {"text": "I want to stay with Nan at weekends"},
    "safe_at_home": {"choice": "6", "text": "Most days it is fine"},
    "attending": {"choice": "part", "text": "By video, not the whole time"},
    "speaks_for_me": {"choice": "advocate", "text": "Priya"},
    "chair_only": {"text": "Dad drinks more than he says"},
    "help_needed": {"choices": ["breaks"]},
}
