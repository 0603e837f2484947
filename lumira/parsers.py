"""Request parsers for the API (kept apart from lumira/api.py, which imports DRF views: no import cycle)."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, plus: a document nested thousands of levels deep is a 400, not a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON invalide : imbrication trop profonde.") from error
