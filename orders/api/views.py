"""Public JSON helpers of the order form: birth-place suggestions from the offline gazetteer."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from engine.places import suggest_places
from lumira.api import error_responses, limited_per_ip

SUGGESTIONS_LIMIT = 8


class PlaceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=100, allow_blank=True, help_text="What the client typed (2 letters or more).")


class PlaceSuggestionsSerializer(serializers.Serializer):
    places = serializers.ListField(
        child=serializers.CharField(), help_text='Labels to offer, e.g. "Saint-Denis (La Réunion)".'
    )


class PlaceSuggestView(APIView):
    """No sign-in (the order page is public); rate-limited per IP, answers from memory (no database)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[PlaceQuerySerializer],
        responses={
            200: PlaceSuggestionsSerializer,
            **error_responses({400: None, 429: "Too many requests from this address (PLACES_SUGGEST_RATE)."}),
        },
        summary="Birth places whose name starts with what the client typed (offline gazetteer).",
    )
    @limited_per_ip(
        group="orders:places", rate_setting="PLACES_SUGGEST_RATE", message=_("Too many requests: try again in a minute.")
    )
    def get(self, request: Request) -> Response:
        query = PlaceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text = " ".join(query.validated_data["q"].split())
        places = suggest_places(text, limit=SUGGESTIONS_LIMIT) if len(text) >= 2 else []
        response = Response(PlaceSuggestionsSerializer({"places": places}).data)
        response["Cache-Control"] = "public, max-age=3600"  # the gazetteer only changes with a release
        return response
