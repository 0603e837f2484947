"""OpenAPI (drf-spectacular): the expert API's JWT scheme, a bearer token like the Sanctuaire's but its own."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class ExpertJWTScheme(SimpleJWTScheme):
    target_class = "experts.auth.ExpertJWTAuthentication"
    # A distinct name: simplejwt's own scheme (Sanctuaire API) is already "jwtAuth".
    name = "expertJwtAuth"
