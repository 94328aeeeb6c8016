"""Urdu, in the polite "آپ". Written right to left: an email in Urdu says dir="rtl".

AWAITING REVIEW by a qualified translator (English-Urdu, UK public services) before families are
sent it: written by the development team, December 2026. "Meeting" (میٹنگ), "form" (فارم),
"link" (لنک) and "code" (کوڈ) are the English words British Urdu speakers use.
"""

from __future__ import annotations

from portal.messaging.default_wording.shape import DefaultWording
from portal.models import MessageKind

_SCALE = "جواب میں 1 (برا) سے 5 (اچھا) تک کوئی نمبر بھیجیں"
_LINK_LINES = (
    "آپ کا اپنا لنک: {link}\n\nیہ لنک صرف آپ کے لیے ہے۔ براہ کرم یہ ای میل کسی کو آگے نہ بھیجیں۔"
)
_HELPER_LINK_LINES = (
    "بچے کا اپنا لنک: {link}\n\nیہ لنک صرف آپ اور بچے کے لیے ہے۔ براہ کرم یہ ای میل کسی کو آگے "
    "نہ بھیجیں۔"
)
_HELPED = "جس بچے کی آپ مدد کرتے ہیں"

WORDING = DefaultWording(
    sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: براہ کرم میٹنگ سے پہلے ہمیں اپنی رائے بتائیں۔ اس میں 5 منٹ لگتے ہیں۔ "
            "آپ کا اپنا لنک: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            "{council}: میٹنگ سے پہلے ہمیں اپنی رائے بتانے کے لیے ابھی وقت ہے: {link}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"{{council}}: آپ کے لیے میٹنگ کیسی رہی؟ ہمیں بتائیں: {{link}} یا {_SCALE}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"{{council}}: آپ اب بھی ہمیں بتا سکتے ہیں کہ میٹنگ کیسی رہی: {{link}} یا {_SCALE}"
        ),
        MessageKind.RATING_THANKS: (
            "{council}: آپ کے جواب کا شکریہ۔ اس سے ہمیں بہتر کام کرنے میں مدد ملتی ہے۔"
        ),
        MessageKind.CHECK_CODE: "{council}: آپ کا کوڈ {code} ہے۔ یہ 15 منٹ تک کام کرے گا۔",
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: میٹنگ کی طرف سے آپ کے لیے ایک نوٹ ہے۔ اسے یہاں پڑھیں: {link}"
        ),
    },
    email={
        MessageKind.VIEWS_INVITATION: (
            "میٹنگ سے پہلے آپ کی رائے",
            "ہم میٹنگ سے پہلے آپ کی رائے سننا چاہتے ہیں، تاکہ وہ میٹنگ کا حصہ بن سکے۔\n\n"
            "اس میں تقریباً 5 منٹ لگتے ہیں۔ آپ اپنے جوابات محفوظ کر کے بعد میں ان پر واپس آ "
            "سکتے ہیں۔\n\n" + _LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            "یاد دہانی: میٹنگ سے پہلے آپ کی رائے",
            "میٹنگ سے پہلے ہمیں اپنی رائے بتانے کے لیے ابھی وقت ہے۔ اس میں تقریباً 5 منٹ لگتے "
            "ہیں۔\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "آپ کے لیے میٹنگ کیسی رہی؟",
            "براہ کرم ہمیں بتائیں کہ آپ کے لیے میٹنگ کیسی رہی۔ اس سے ہمیں میٹنگز بہتر بنانے "
            "میں مدد ملتی ہے۔ اس میں تقریباً 2 منٹ لگتے ہیں۔\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "یاد دہانی: آپ کے لیے میٹنگ کیسی رہی؟",
            "آپ اب بھی ہمیں بتا سکتے ہیں کہ آپ کے لیے میٹنگ کیسی رہی۔ اس میں تقریباً 2 منٹ "
            "لگتے ہیں۔\n\n" + _LINK_LINES,
        ),
        MessageKind.RATING_THANKS: (
            "آپ کے جواب کا شکریہ",
            "آپ کے جواب کا شکریہ۔ اس سے ہمیں بہتر کام کرنے میں مدد ملتی ہے۔",
        ),
        MessageKind.CHECK_CODE: ("آپ کا کوڈ", "آپ کا کوڈ {code} ہے۔ یہ 15 منٹ تک کام کرے گا۔"),
        MessageKind.YOU_SAID_WE_DID: (
            "میٹنگ کی طرف سے آپ کے لیے ایک نوٹ",
            "میٹنگ کے بعد آپ کے لیے ایک نوٹ لکھا گیا ہے۔ آپ اسے اپنے لنک سے پڑھ سکتے ہیں۔"
            "\n\n" + _LINK_LINES,
        ),
    },
    helper_sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: یہ لنک اس بچے کے لیے ہے جس کی آپ مدد کرتے ہیں۔ براہ کرم میٹنگ سے پہلے "
            "اس کے ساتھ مل کر، اسی کے الفاظ میں، فارم بھریں: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            f"{{council}}: {_HELPED}، اس کے ساتھ فارم بھرنے کے لیے ابھی وقت ہے: {{link}}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"{{council}}: براہ کرم {_HELPED}، اس سے پوچھیں کہ اس کے لیے میٹنگ کیسی رہی: {{link}}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"{{council}}: {_HELPED}، آپ اب بھی اس سے پوچھ سکتے ہیں کہ میٹنگ کیسی رہی: {{link}}"
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: میٹنگ کی طرف سے اس بچے کے لیے ایک نوٹ ہے جس کی آپ مدد کرتے ہیں۔ براہ "
            "کرم اسے بچے کے ساتھ مل کر پڑھیں: {link}"
        ),
    },
    helper_email={
        MessageKind.VIEWS_INVITATION: (
            "اس بچے کے لیے فارم جس کی آپ مدد کرتے ہیں",
            "یہ فارم اس بچے کے لیے ہے جس کی آپ مدد کرتے ہیں، آپ کے لیے نہیں۔ براہ کرم میٹنگ سے "
            "پہلے اس کے ساتھ مل کر اسی کے اپنے الفاظ میں بھریں: اچھی باتیں، پریشانیاں اور "
            "خواہشیں۔\n\nاس میں تقریباً 10 منٹ لگتے ہیں۔ آپ جوابات محفوظ کر کے بعد میں ان پر "
            "واپس آ سکتے ہیں۔\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            "یاد دہانی: اس بچے کے لیے فارم جس کی آپ مدد کرتے ہیں",
            f"{_HELPED}، میٹنگ سے پہلے اس کے ساتھ فارم بھرنے کے لیے ابھی وقت ہے۔\n\n"
            + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"{_HELPED}، اس کے لیے میٹنگ کیسی رہی؟",
            f"براہ کرم {_HELPED}، اس سے پوچھیں کہ اس کے لیے میٹنگ کیسی رہی، اور اس کے جوابات "
            "بھریں۔ اس میں تقریباً 2 منٹ لگتے ہیں۔\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"یاد دہانی: {_HELPED}، اس کے لیے میٹنگ کیسی رہی؟",
            f"{_HELPED}، آپ اب بھی اس سے پوچھ سکتے ہیں کہ اس کے لیے میٹنگ کیسی رہی۔\n\n"
            + _HELPER_LINK_LINES,
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "اس بچے کے لیے ایک نوٹ جس کی آپ مدد کرتے ہیں",
            "میٹنگ کے بعد اس بچے کے لیے ایک نوٹ لکھا گیا ہے جس کی آپ مدد کرتے ہیں۔ براہ کرم اسے "
            "بچے کے ساتھ مل کر پڑھیں۔ آپ اسے پرنٹ بھی کر سکتے ہیں۔\n\n" + _HELPER_LINK_LINES,
        ),
    },
    footer=(
        "{council} کی طرف سے۔ اگر آپ کو اس ای میل کی توقع نہیں تھی، یا آپ کو مدد چاہیے، تو "
        "{phone} پر کال کریں۔"
    ),
    # Urdu adds most endings as separate words, so a word is found inside a longer one; but
    # "کیس" (case) only as a whole word (or its plural), since "کیسی" and "کیسے" mean "how".
    forbidden_words={
        "تحفظ": r"تحفظ",
        "حفاظت": r"حفاظت",
        "سوشل ورکر": r"سوشل\s*ورکر",
        "سماجی کارکن": r"سماجی\s*کارکن",
        "سوشل سروسز": r"سوشل\s*(?:سروس|کیئر|کیر)",
        "سماجی خدمات": r"سماجی\s*(?:خدمات|بہبود)",
        "کیس": r"\bکیس(?:ز|وں)?\b",
        "مقدمہ": r"\bمقدم(?:ہ|ے|وں|ات)\b",
        "زیادتی": r"زیادتی",
        "بدسلوکی": r"بد\s*سلوکی",
        "تشدد": r"تشدد",
        "نقصان": r"نقصان",
        "غفلت": r"غفلت",
        "لاپرواہی": r"لاپرو(?:اہی|ائی)",
        "کانفرنس": r"کانفرنس",
        "پولیس": r"پولیس",
    },
)
