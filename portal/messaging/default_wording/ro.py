"""Romanian, in the polite "dumneavoastră" that Romanian public services use.

AWAITING REVIEW by a qualified translator (English-Romanian, UK public services) before families
are sent it: written by the development team, December 2026. Written with the comma-below
letters (ș, ț), not the older cedilla ones (ş, ţ).
"""

from __future__ import annotations

from portal.messaging.default_wording.shape import DefaultWording
from portal.models import MessageKind

_SCALE = "de la 1 (rău) la 5 (bine)"
_YOURS = "dumneavoastră"
_LINK_LINES = (
    f"Linkul {_YOURS}: {{link}}\n\nAcest link este doar pentru {_YOURS}. Vă rugăm să nu "
    "trimiteți acest e-mail mai departe."
)
_HELPER_LINK_LINES = (
    f"Linkul copilului: {{link}}\n\nAcest link este doar pentru {_YOURS} și copil. Vă rugăm "
    "să nu trimiteți acest e-mail mai departe."
)
_HELPED = "copilul pe care îl ajutați"

WORDING = DefaultWording(
    sms={
        MessageKind.VIEWS_INVITATION: (
            f"{{council}}: vă rugăm să ne spuneți părerea {_YOURS} înainte de întâlnire. "
            f"Durează 5 minute. Linkul {_YOURS}: {{link}}"
        ),
        MessageKind.VIEWS_REMINDER: (
            f"{{council}}: mai este timp să ne spuneți părerea {_YOURS} înainte de întâlnire: "
            "{link}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"{{council}}: cum a fost întâlnirea pentru {_YOURS}? Spuneți-ne: {{link}} "
            f"sau răspundeți {_SCALE}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "{council}: ne puteți spune în continuare cum a fost întâlnirea: {link} "
            f"sau răspundeți {_SCALE}"
        ),
        MessageKind.RATING_THANKS: (
            "{council}: vă mulțumim pentru răspuns. Ne ajută să facem lucrurile mai bine."
        ),
        MessageKind.CHECK_CODE: (
            f"{{council}}: codul {_YOURS} este {{code}}. Este valabil 15 minute."
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: aveți o notă de la întâlnire. O puteți citi aici: {link}"
        ),
    },
    email={
        MessageKind.VIEWS_INVITATION: (
            f"Părerea {_YOURS} înainte de întâlnire",
            f"Am dori să aflăm părerea {_YOURS} înainte de întâlnire, ca să poată face parte "
            "din ea.\n\nDurează aproximativ 5 minute. Puteți salva răspunsurile și reveni la "
            "ele mai târziu.\n\n" + _LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            f"Memento: părerea {_YOURS} înainte de întâlnire",
            f"Mai este timp să ne spuneți părerea {_YOURS} înainte de întâlnire. Durează "
            "aproximativ 5 minute.\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"Cum a fost întâlnirea pentru {_YOURS}?",
            f"Vă rugăm să ne spuneți cum a fost întâlnirea pentru {_YOURS}. Ne ajută să facem "
            "întâlnirile mai bune. Durează aproximativ 2 minute.\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"Memento: cum a fost întâlnirea pentru {_YOURS}?",
            f"Ne puteți spune în continuare cum a fost întâlnirea pentru {_YOURS}. Durează "
            "aproximativ 2 minute.\n\n" + _LINK_LINES,
        ),
        MessageKind.RATING_THANKS: (
            "Vă mulțumim pentru răspuns",
            "Vă mulțumim pentru răspuns. Ne ajută să facem lucrurile mai bine.",
        ),
        MessageKind.CHECK_CODE: (
            f"Codul {_YOURS}",
            f"Codul {_YOURS} este {{code}}. Este valabil 15 minute.",
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "O notă pentru dumneavoastră de la întâlnire",
            "După întâlnire, v-a fost scrisă o notă. O puteți citi cu linkul dumneavoastră."
            "\n\n" + _LINK_LINES,
        ),
    },
    helper_sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: acest link este pentru un copil pe care îl ajutați. Vă rugăm să "
            "completați formularul împreună cu el, cu cuvintele lui, înainte de întâlnire: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            f"{{council}}: mai este timp să completați formularul împreună cu {_HELPED}: {{link}}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "{council}: vă rugăm să-l întrebați pe copilul pe care îl ajutați cum a fost "
            "întâlnirea pentru el: {link}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "{council}: îl puteți întreba în continuare pe copilul pe care îl ajutați cum a fost "
            "întâlnirea: {link}"
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: este o notă de la întâlnire pentru copilul pe care îl ajutați. Vă rugăm "
            "să o citiți împreună cu el: {link}"
        ),
    },
    helper_email={
        MessageKind.VIEWS_INVITATION: (
            f"Un formular pentru {_HELPED}",
            f"Acest formular este pentru {_HELPED}, nu pentru {_YOURS}. Vă rugăm să îl "
            "completați împreună cu el înainte de întâlnire, cu propriile lui cuvinte: lucruri "
            "bune, griji și dorințe.\n\nDurează aproximativ 10 minute. Puteți salva răspunsurile "
            "și reveni la ele mai târziu.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            f"Memento: un formular pentru {_HELPED}",
            f"Mai este timp să completați formularul împreună cu {_HELPED}, înainte de "
            "întâlnire.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"Cum a fost întâlnirea pentru {_HELPED}?",
            "Vă rugăm să-l întrebați pe copilul pe care îl ajutați cum a fost întâlnirea pentru "
            "el și să completați răspunsurile lui. Durează aproximativ 2 minute.\n\n"
            + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"Memento: cum a fost întâlnirea pentru {_HELPED}?",
            "Îl puteți întreba în continuare pe copilul pe care îl ajutați cum a fost întâlnirea "
            "pentru el.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "O notă pentru copilul pe care îl ajutați",
            "După întâlnire, i-a fost scrisă o notă copilului pe care îl ajutați. Vă rugăm să o "
            "citiți împreună cu el. O puteți și tipări.\n\n" + _HELPER_LINK_LINES,
        ),
    },
    footer=(
        "De la {council}. Dacă nu vă așteptați la acest e-mail sau aveți nevoie de ajutor, "
        "sunați la {phone}."
    ),
    # Romanian nouns take their article and case as endings (cazul, cazului, cazurile): a stem
    # with its endings; "caz" only with a noun's, and "poliție" not as "politică" (policy).
    forbidden_words={
        "protecție": r"\bprotecți\w*",
        "ocrotire": r"\bocrot\w*",
        "asistent social": r"\basistent\w*\s+social\w*",
        "servicii sociale": r"\bservici\w*\s+social\w*",
        "caz": r"\bcaz(?:ul|ului|uri|urile|urilor)?\b",
        "dosar": r"\bdosar\w*",
        "abuz": r"\babuz\w*",
        "vătămare": r"\bvătăm\w*",
        "violență": r"\bviolenț\w*",
        "neglijare": r"\bneglij\w*",
        "conferință": r"\bconferinț\w*",
        "poliție": r"\bpoliți(?:a|e|ei|i|ile|ilor|st\w*|ai\w*)\b",
    },
)
