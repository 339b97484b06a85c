"""Language selection: Dutch unless the user chose otherwise with the language switch."""

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but ignores the browser's Accept-Language header.

    Samenspel's users work in Dutch organisations whose browsers are often set to English;
    the interface starts in Dutch and switches only when the user picks a language.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
