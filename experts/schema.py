"""OpenAPI (drf-spectacular): the expert API's JWT scheme is simplejwt's bearer scheme."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class ExpertJWTScheme(SimpleJWTScheme):
    target_class = "experts.auth.ExpertJWTAuthentication"
