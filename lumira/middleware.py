"""Request guards that must run before anything reads the body."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation

TOO_LARGE = translation.gettext_lazy("Request too large.")


class RequestSizeLimitMiddleware:
    """Refuse a body larger than MAX_REQUEST_BODY_BYTES from its Content-Length, before it is read.

    Django caps form and JSON bodies (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams file uploads to disk whatever
    their size, and only then do the forms refuse a photo that is too big. This keeps a multi-gigabyte upload
    from ever being read: 413, JSON for the API, a French page otherwise. (The proxy in front should cap it
    too; this holds when it does not.)
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {"code": "too_large", "message": str(TOO_LARGE)}}, status=413)
            return HttpResponse(render_to_string("413.html", request=request), status=413)
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, French unless the visitor chose another language with the footer's switch.

    The browser's Accept-Language is not followed: the site, its readings and its e-mails are French first, and
    English is what a visitor asks for (the `django_language` cookie set by `set_language`).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
