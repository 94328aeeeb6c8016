"""Polish, in the informal "ty" of the Polish family pages.

AWAITING REVIEW by a qualified translator (English-Polish, UK public services) before families
are sent it: written by the development team, December 2026.
"""

from __future__ import annotations

from portal.messaging.default_wording.shape import DefaultWording
from portal.models import MessageKind

_SCALE = "od 1 (źle) do 5 (dobrze)"
_LINK_LINES = (
    "Twój link: {link}\n\nTen link jest tylko dla ciebie. Prosimy nie przesyłać tego e-maila dalej."
)
_HELPER_LINK_LINES = (
    "Link dziecka: {link}\n\nTen link jest tylko dla ciebie i dziecka. Prosimy nie przesyłać "
    "tego e-maila dalej."
)
_HELPED = "dziecko, któremu pomagasz"

WORDING = DefaultWording(
    sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: prosimy, powiedz nam przed spotkaniem, co myślisz. To zajmie 5 minut. "
            "Twój link: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            "{council}: wciąż możesz nam powiedzieć przed spotkaniem, co myślisz: {link}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"{{council}}: jak minęło dla ciebie spotkanie? Napisz nam: {{link}} "
            f"albo odpowiedz {_SCALE}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"{{council}}: wciąż możesz nam napisać, jak minęło spotkanie: {{link}} "
            f"albo odpowiedz {_SCALE}"
        ),
        MessageKind.RATING_THANKS: (
            "{council}: dziękujemy za odpowiedź. Pomaga nam ona działać lepiej."
        ),
        MessageKind.CHECK_CODE: "{council}: twój kod to {code}. Działa przez 15 minut.",
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: masz notatkę ze spotkania. Przeczytaj ją tutaj: {link}"
        ),
    },
    email={
        MessageKind.VIEWS_INVITATION: (
            "Twoje zdanie przed spotkaniem",
            "Chcemy poznać twoje zdanie przed spotkaniem, żeby mogło być jego częścią.\n\n"
            "To zajmie około 5 minut. Możesz zapisać odpowiedzi i wrócić do nich później.\n\n"
            + _LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            "Przypomnienie: twoje zdanie przed spotkaniem",
            "Wciąż jest czas, żeby przed spotkaniem powiedzieć nam, co myślisz. To zajmie około "
            "5 minut.\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "Jak minęło dla ciebie spotkanie?",
            "Prosimy, napisz nam, jak minęło dla ciebie spotkanie. To pomaga nam ulepszać "
            "spotkania. To zajmie około 2 minut.\n\n" + _LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "Przypomnienie: jak minęło dla ciebie spotkanie?",
            "Wciąż możesz nam napisać, jak minęło dla ciebie spotkanie. To zajmie około "
            "2 minut.\n\n" + _LINK_LINES,
        ),
        MessageKind.RATING_THANKS: (
            "Dziękujemy za odpowiedź",
            "Dziękujemy za odpowiedź. Pomaga nam ona działać lepiej.",
        ),
        MessageKind.CHECK_CODE: ("Twój kod", "Twój kod to {code}. Działa przez 15 minut."),
        MessageKind.YOU_SAID_WE_DID: (
            "Notatka ze spotkania dla ciebie",
            "Po spotkaniu napisano do ciebie notatkę. Możesz ją przeczytać, używając swojego "
            "linku.\n\n" + _LINK_LINES,
        ),
    },
    helper_sms={
        MessageKind.VIEWS_INVITATION: (
            "{council}: ten link jest dla dziecka, któremu pomagasz. Prosimy, wypełnij z nim "
            "formularz przed spotkaniem, jego słowami: {link}"
        ),
        MessageKind.VIEWS_REMINDER: (
            "{council}: wciąż jest czas, żeby wypełnić formularz z dzieckiem, któremu pomagasz: "
            "{link}"
        ),
        MessageKind.FEEDBACK_INVITATION: (
            f"{{council}}: prosimy, zapytaj {_HELPED}, jak minęło dla niego spotkanie: {{link}}"
        ),
        MessageKind.FEEDBACK_REMINDER: (
            f"{{council}}: wciąż możesz zapytać {_HELPED}, jak minęło spotkanie: {{link}}"
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "{council}: jest notatka ze spotkania dla dziecka, któremu pomagasz. Prosimy, "
            "przeczytaj ją z nim: {link}"
        ),
    },
    helper_email={
        MessageKind.VIEWS_INVITATION: (
            "Formularz dla dziecka, któremu pomagasz",
            "Ten formularz jest dla dziecka, któremu pomagasz, nie dla ciebie. Prosimy, wypełnij "
            "go z nim przed spotkaniem, jego własnymi słowami: co jest dobre, co martwi i czego "
            "chce.\n\nTo zajmie około 10 minut. Możesz zapisać odpowiedzi i wrócić do nich "
            "później.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.VIEWS_REMINDER: (
            "Przypomnienie: formularz dla dziecka, któremu pomagasz",
            "Wciąż jest czas, żeby przed spotkaniem wypełnić formularz z dzieckiem, któremu "
            "pomagasz.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_INVITATION: (
            "Jak minęło spotkanie dla dziecka, któremu pomagasz?",
            f"Prosimy, zapytaj {_HELPED}, jak minęło dla niego spotkanie, i wpisz jego "
            "odpowiedzi. To zajmie około 2 minut.\n\n" + _HELPER_LINK_LINES,
        ),
        MessageKind.FEEDBACK_REMINDER: (
            "Przypomnienie: jak minęło spotkanie dla dziecka, któremu pomagasz?",
            f"Wciąż możesz zapytać {_HELPED}, jak minęło dla niego spotkanie.\n\n"
            + _HELPER_LINK_LINES,
        ),
        MessageKind.YOU_SAID_WE_DID: (
            "Notatka dla dziecka, któremu pomagasz",
            "Po spotkaniu napisano notatkę do dziecka, któremu pomagasz. Prosimy, przeczytaj ją "
            "z nim. Możesz ją też wydrukować.\n\n" + _HELPER_LINK_LINES,
        ),
    },
    footer=(
        "Od: {council}. Jeśli ten e-mail cię zaskoczył albo potrzebujesz pomocy, zadzwoń pod "
        "numer {phone}."
    ),
    # Polish words decline: a stem with its endings (ochrona, ochrony, ochronie), and "sprawa"
    # only with a noun's endings, so "sprawdź" (check) is allowed.
    forbidden_words={
        "ochrona": r"\bochron\w*",
        "konferencja": r"\bkonferencj\w*",
        "pracownik socjalny": r"\bpracowni\w*\s+socjaln\w*",
        "opieka społeczna": r"\bopie\w*\s+społeczn\w*",
        "sprawa": r"\bspraw(?:a|y|ie|ę|ą|o|om|ach|ami)?\b",
        "przemoc": r"\bprzemoc\w*",
        "krzywda": r"\bkrzywd\w*",
        "zaniedbanie": r"\bzaniedb\w*",
        "policja": r"\bpolicj\w*",
    },
)
