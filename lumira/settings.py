"""Lumira settings: one module, read from the environment (see .env.example).

LUMIRA_ENV selects the safety level: "prod" (the default, so nothing insecure leaks into
production by omission), "dev" (demo and local work) or "test" (pytest sets it).
"""

import datetime
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

LUMIRA_ENV = env.str("LUMIRA_ENV", default="prod")
if LUMIRA_ENV not in {"prod", "dev", "test"}:
    raise ImproperlyConfigured("LUMIRA_ENV must be one of prod, dev, test.")
IS_PRODUCTION = LUMIRA_ENV == "prod"

DEBUG = env.bool("DJANGO_DEBUG", default=LUMIRA_ENV == "dev")

_DEV_SECRET_KEY = "dev-only-secret-key-never-used-in-production-0123456789abcdef"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if IS_PRODUCTION else _DEV_SECRET_KEY)
if IS_PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_SECRET_KEY or "insecure" in SECRET_KEY):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a real secret (50+ random characters) in production.")
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG cannot be on in production.")
# Previous secret keys, newest first: signed values made with them (sessions, magic links, password reset
# tokens) stay valid while a new DJANGO_SECRET_KEY rolls out.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "djstripe",
    "accounts",
    "orders",
    "experts",
    "payments",
    "sanctuaire",
    "demo",  # manage.py load_demo_data (a tool, not an app of the site)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware following only the visitor's choice (the footer's switch), French otherwise.
    "lumira.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "lumira.urls"
WSGI_APPLICATION = "lumira.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# PostgreSQL everywhere; the demo script may point DATABASE_URL at SQLite when PostgreSQL is down.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/lumira")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# A connection that died (PostgreSQL restarted) is replaced on the next request instead of failing it.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default="test_lumira")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if LUMIRA_ENV == "test":
    # Hashing cost is not what the tests measure.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Shared between processes in production (sessions, rate limits and replay guards must not live in one process).
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1" if IS_PRODUCTION else "locmemcache://lumira")}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Private uploads (client photos) live outside any public URL and are served by permission-checked views.
MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private")))

# Personal data at rest (lumira/encryption.py): Fernet keys, newest first. The first encrypts, every one
# decrypts; `manage.py reencrypt_fields` moves old rows to the first. Independent of SECRET_KEY.
_DEV_FIELD_ENCRYPTION_KEY = "bHVtaXJhLWRldi1vbmx5LWZpZWxkLWtleS0wMDAwMDA="
# An empty value (as in .env.example) counts as unset.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[]) or ([] if IS_PRODUCTION else [_DEV_FIELD_ENCRYPTION_KEY])
if IS_PRODUCTION and (not FIELD_ENCRYPTION_KEYS or _DEV_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set in production (Fernet keys, newest first).")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key (make one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`)."
        ) from None
# Before FIELD_ENCRYPTION_KEYS, the key was derived from SECRET_KEY (and its fallbacks) with these salts:
# still accepted for decryption only, so a database written then stays readable until re-encrypted.
FIELD_ENCRYPTION_LEGACY_SALTS = env.list("FIELD_ENCRYPTION_SALT", default=[]) or (
    [] if IS_PRODUCTION else ["dev-only-field-salt"]
)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend" if IS_PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lumira <bonjour@lumira.local>")

# Celery: configured from these CELERY_* settings (see lumira/celery.py).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {}
# The queue tasks are sent to and the worker consumes: a second `make demo` on another port uses its own
# (scripts/demo_env.py), so that two demos sharing one Redis database never run each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lumira.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lumira API",
    "DESCRIPTION": "Commandes, paiements, desk expert et Sanctuaire.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files (no CDN: strict CSP, and works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Stripe through dj-stripe. Development, demo and tests talk to localstripe at STRIPE_API_BASE.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com" if IS_PRODUCTION else "http://127.0.0.1:8420")
STRIPE_JS_URL = env.str(
    "STRIPE_JS_URL", default="https://js.stripe.com/v3/" if IS_PRODUCTION else "http://127.0.0.1:8420/js.stripe.com/v3/"
)
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
# dj-stripe only accepts keys shaped like Stripe's (sk_test_ + 24 or more letters/digits); localstripe accepts any sk_ key.
STRIPE_TEST_SECRET_KEY = env.str(
    "STRIPE_TEST_SECRET_KEY", default="" if IS_PRODUCTION else "sk_test_lumiraLocalDevelopmentKey000000"
)
STRIPE_LIVE_SECRET_KEY = env.str("STRIPE_LIVE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="" if IS_PRODUCTION else "pk_test_lumira_local")
if DEBUG and STRIPE_LIVE_MODE:
    raise ImproperlyConfigured("DEBUG must never be on with live Stripe keys.")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
DJSTRIPE_USE_NATIVE_JSONFIELD = True

# Who writes the readings (SPEC §11): n8n (a workflow with an LLM node), openai (any OpenAI-compatible API
# called directly) or local (the offline writer of the demo and the tests).
GENERATION_BACKEND = env.str("GENERATION_BACKEND", default="n8n" if IS_PRODUCTION else "local")
N8N_WEBHOOK_URL = env.str("N8N_WEBHOOK_URL", default="")
N8N_WEBHOOK_SECRET = env.str("N8N_WEBHOOK_SECRET", default="" if IS_PRODUCTION else "dev-n8n-webhook-secret")
N8N_CALLBACK_SECRET = env.str("N8N_CALLBACK_SECRET", default="" if IS_PRODUCTION else "dev-n8n-callback-secret")

LOGIN_URL = "sanctuaire:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"redact": {"()": "lumira.logging.RedactingFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if IS_PRODUCTION else "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # runserver's request lines (the demo) go through the redacting handler too: no `?sesame=` token in them.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# The admin lives under its own prefix, set per deployment.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

# `make bench` only: routes the ceiling view (lumira/bench_views.py). Never on in a real deployment.
LUMIRA_BENCH = env.bool("LUMIRA_BENCH", default=False)

# Content Security Policy (django-csp): our own scripts, plus Stripe.js and its frames.
_STRIPE_ORIGINS = sorted({
    "/".join(STRIPE_JS_URL.split("/")[:3]),
    "/".join(STRIPE_API_BASE.split("/")[:3]),
    # Production talks to Stripe; dev and tests to localstripe, whose port tests pick at random.
    *(["https://js.stripe.com", "https://hooks.stripe.com", "https://api.stripe.com"] if IS_PRODUCTION
      else ["http://127.0.0.1:*", "http://localhost:*"]),
})
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_STRIPE_ORIGINS],
        "connect-src": ["'self'", *_STRIPE_ORIGINS],
        "frame-src": ["'self'", *_STRIPE_ORIGINS],
        # htmx and Stripe.js set inline styles on the elements they manage.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# --- Sanctuaire (client space) ---
# Clients sign in by magic link (django-sesame); staff and experts keep their passwords (ModelBackend).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "sanctuaire.backends.ClientMagicLinkBackend",
]
LOGIN_REDIRECT_URL = "sanctuaire:home"
# A link works once (signing in revokes it), for SESAME_MAX_AGE seconds, and not after the email changes.
SESAME_MAX_AGE = env.int("SESAME_MAX_AGE", default=15 * 60)
SESAME_ONE_TIME = True
SESAME_INVALIDATE_ON_EMAIL_CHANGE = True
# Requests for a magic link, per client IP and per email address (django-ratelimit, counted in CACHES).
# The browser that paid may enter the account its checkout created once, this long after payment (SPEC §5).
SANCTUAIRE_DIRECT_ENTRY_SECONDS = 30 * 60
SANCTUAIRE_LINK_RATE_PER_IP = env.str("SANCTUAIRE_LINK_RATE_PER_IP", default="20/h")
SANCTUAIRE_LINK_RATE_PER_EMAIL = env.str("SANCTUAIRE_LINK_RATE_PER_EMAIL", default="5/h")
SANCTUAIRE_TOKEN_RATE_PER_IP = env.str("SANCTUAIRE_TOKEN_RATE_PER_IP", default="30/h")
# How many proxies in front of Lumira append to X-Forwarded-For (0: none, the TCP peer is the client). Every
# per-address limit (django-ratelimit, DRF throttles, axes) reads the client's IP through lumira.client_ip.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "lumira.client_ip.client_ip"
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT  # DRF's own reading, should a plain DRF throttle appear
INSTALLED_APPS += ["django_ratelimit"]
# django-ratelimit refuses a per-process cache; production must use a shared one (CACHE_URL=redis://...).
# Django's own Redis backend works (atomic incr) but is not on the library's list, hence W001 silenced.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + ([] if IS_PRODUCTION else ["django_ratelimit.E003"])
# Client photos: largest accepted upload, in bytes.
SANCTUAIRE_PHOTO_MAX_BYTES = env.int("SANCTUAIRE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
# Folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf for PDFs (full Unicode); without it, a built-in font.
SANCTUAIRE_PDF_FONT_DIR = env.str("SANCTUAIRE_PDF_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
# fontTools (used by fpdf2 to embed fonts in reading PDFs) logs every subsetting step at INFO.
LOGGING.setdefault("loggers", {})["fontTools"] = {"level": "WARNING"}
# fpdf2 warns at every PDF that it skips the <title>/<desc> of Lumira's SVGs (kept for the page's accessibility).
LOGGING["loggers"]["fpdf.svg"] = {"level": "ERROR"}

# Payments (payments app). A pending order is checked against Stripe after this many minutes (a missed
# webhook heals itself), and canceled after this many hours without payment.
PENDING_ORDER_RECONCILE_MINUTES = env.int("PENDING_ORDER_RECONCILE_MINUTES", default=10)
PENDING_ORDER_EXPIRY_HOURS = env.int("PENDING_ORDER_EXPIRY_HOURS", default=24)
# Orders a single IP address may start (create-payment-intent), django-ratelimit syntax.
PAYMENTS_CREATE_RATE = env.str("PAYMENTS_CREATE_RATE", default="10/m")
# Birth-place suggestions (GET /api/places) one IP address may ask for: one per keystroke or so.
PLACES_SUGGEST_RATE = env.str("PLACES_SUGGEST_RATE", default="120/m")
CELERY_BEAT_SCHEDULE["payments-reconcile-pending"] = {
    "task": "payments.tasks.reconcile_pending_payments",
    "schedule": 60.0 * env.int("PAYMENTS_RECONCILE_EVERY_MINUTES", default=5),
}
CELERY_BEAT_SCHEDULE["payments-expire-pending"] = {
    "task": "payments.tasks.expire_pending_orders",
    "schedule": 60.0 * 60,
}

# --- Experts: desk, expert API, generation through n8n (experts app) ---
# Tries of one generation request to n8n (the first send included) before it becomes a dead letter.
GENERATION_MAX_ATTEMPTS = env.int("GENERATION_MAX_ATTEMPTS", default=5)
# Backoff between tries on timeouts and 5xx: BASE * 2**retry seconds, capped at MAX, with jitter.
GENERATION_RETRY_BACKOFF_SECONDS = env.float("GENERATION_RETRY_BACKOFF_SECONDS", default=10.0)
GENERATION_RETRY_BACKOFF_MAX_SECONDS = env.float("GENERATION_RETRY_BACKOFF_MAX_SECONDS", default=300.0)
# How long Lumira waits for n8n to accept a request (n8n answers at once and calls back later).
N8N_TIMEOUT_SECONDS = env.float("N8N_TIMEOUT_SECONDS", default=10.0)
# A callback signed longer ago than this (or this far in the future) is refused.
N8N_CALLBACK_MAX_AGE_SECONDS = env.int("N8N_CALLBACK_MAX_AGE_SECONDS", default=300)
# An order still `processing` this long after its request is resent by the sweep, at most
# GENERATION_SWEEP_MAX_RESENDS times, then dead-lettered and put back in the queue.
GENERATION_DEADLINE_MINUTES = env.int("GENERATION_DEADLINE_MINUTES", default=30)
GENERATION_SWEEP_MAX_RESENDS = env.int("GENERATION_SWEEP_MAX_RESENDS", default=2)
GENERATION_SWEEP_EVERY_SECONDS = env.int("GENERATION_SWEEP_EVERY_SECONDS", default=300)
# An attempt still unanswered this long after it started is "overdue": the desk offers to relaunch it (a new
# attempt) without waiting for the sweep. EXPERT_RELAUNCH_RATE: relaunches per expert (django-ratelimit syntax).
GENERATION_OVERDUE_SECONDS = env.int("GENERATION_OVERDUE_SECONDS", default=300)
EXPERT_RELAUNCH_RATE = env.str("EXPERT_RELAUNCH_RATE", default="6/m")
CELERY_BEAT_SCHEDULE["experts-sweep-stuck-generations"] = {
    "task": "experts.sweep_stuck_generations",
    "schedule": float(GENERATION_SWEEP_EVERY_SECONDS),
}
# Expert sign-in attempts (desk and API) per client IP, counted in CACHES (django-ratelimit syntax).
EXPERT_LOGIN_RATE = env.str("EXPERT_LOGIN_RATE", default="10/m")
# Orders per page in the desk queues.
EXPERT_DESK_PAGE_SIZE = env.int("EXPERT_DESK_PAGE_SIZE", default=20)
if IS_PRODUCTION and GENERATION_BACKEND == "n8n" and not (N8N_WEBHOOK_URL and N8N_WEBHOOK_SECRET and N8N_CALLBACK_SECRET):
    raise ImproperlyConfigured(
        "N8N_WEBHOOK_URL, N8N_WEBHOOK_SECRET and N8N_CALLBACK_SECRET are required with GENERATION_BACKEND=n8n."
    )
if GENERATION_BACKEND not in {"local", "n8n", "openai"}:
    raise ImproperlyConfigured("GENERATION_BACKEND must be local, n8n or openai.")
# GENERATION_BACKEND=openai: any OpenAI-compatible chat-completions API (OpenAI, Mistral, Ollama, vLLM…).
LLM_BASE_URL = env.str("LLM_BASE_URL", default="https://api.openai.com/v1")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
# One request to the model; a VIP reading (~2,250 words) takes a minute or two on a hosted model.
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=180.0)
# Estimated cost of an AI run: EUR per million (prompt, completion) tokens, by model name. A model missing
# here costs 0 in the stats (its tokens are still recorded). Approximate list prices, converted to EUR.
LLM_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.14, 0.55),
    "gpt-4o": (2.30, 9.20),
    "gpt-4.1-mini": (0.37, 1.47),
    "mistral-small-latest": (0.09, 0.28),
    "mistral-large-latest": (1.84, 5.52),
    "local": (0.0, 0.0),
}
if IS_PRODUCTION and GENERATION_BACKEND == "openai" and not LLM_API_KEY:
    raise ImproperlyConfigured("LLM_API_KEY is required with GENERATION_BACKEND=openai.")

# --- Reliability and security (issue 8) ---
# /health/ answers browsers and load balancers (Accept: */*) with django-health-check's own page: its template
# is found only with the package installed as an app (without it, a 500 TemplateDoesNotExist).
INSTALLED_APPS += ["health_check"]
# JSON bodies through Lumira's parser (a document nested thousands deep is a 400, not a 500).
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["lumira.parsers.JSONParser"]
# Largest request body read at all (bytes): above it, 413 before the body is read (file uploads included:
# Django streams those to disk whatever their size). Two photos of SANCTUAIRE_PHOTO_MAX_BYTES fit below it.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)
# First, so that nothing (CSRF's form parsing included) reads an oversized body.
MIDDLEWARE.insert(1, "lumira.middleware.RequestSizeLimitMiddleware")
# Sign-in lockout for password accounts (desk, expert API, admin) with django-axes: see lumira/lockout.py.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["lumira.lockout.LockoutBackend", *AUTHENTICATION_BACKENDS]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AXES_FAILURE_LIMIT = env.int("LOGIN_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
# Per account, from any address (a distributed guess at one expert's password is stopped too); per address,
# django-ratelimit already throttles these views (EXPERT_LOGIN_RATE), hence axes.W006 silenced.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS += ["axes.W006"]
AXES_USERNAME_CALLABLE = "lumira.lockout.username_for"
AXES_CLIENT_IP_CALLABLE = "lumira.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "lumira.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# DEBUG never with live Stripe keys, whatever STRIPE_LIVE_MODE says (a live key pasted into a dev .env counts).
if DEBUG and any(
    key.startswith(("sk_live_", "rk_live_", "pk_live_"))
    for key in (STRIPE_LIVE_SECRET_KEY, STRIPE_TEST_SECRET_KEY, STRIPE_PUBLISHABLE_KEY)
):
    raise ImproperlyConfigured("DEBUG must never be on with live Stripe keys (sk_live_/rk_live_/pk_live_).")
# The Stripe client logs whole API answers at DEBUG (client secrets, customers' names and emails): never
# below INFO (request lines only), whatever LOG_LEVEL says. The redaction filter stays as a second net.
LOGGING["loggers"]["stripe"] = {"level": "INFO"}

# --- The whole API in OpenAPI (issue 6) ---
# Every operation also documents the error answers its view implies (400/401/403/404/429), in the shape
# of lumira/api.py's ErrorSerializer.
REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"] = "lumira.api.LumiraAutoSchema"
# Separate request and response components: request strings that may not be blank get minLength 1,
# read-only fields stay out of requests.
SPECTACULAR_SETTINGS["COMPONENT_SPLIT_REQUEST"] = True
# `page` is a page number or absent (DRF's own class also takes `page=` and `page=last`).
REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"] = "lumira.pagination.PageNumberPagination"

# --- Cached reads (lumira/view_cache.py): the desk's queues and the Sanctuaire dashboard ---
# Seconds a cached page part may be kept; entries are retired as soon as the data they show changes, so
# this only bounds a write that bypasses the ORM. 0 turns the cache off.
VIEW_CACHE_SECONDS = env.int("VIEW_CACHE_SECONDS", default=300)
# Sessions in production: read from the cache (Redis), written through to PostgreSQL (Django's cached_db
# engine), which saves a query on every signed-in page. Development and tests keep the database engine.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if IS_PRODUCTION else "django.contrib.sessions.backends.db"
# Django's Redis cache backend, but reusing its Redis client between calls (lumira/redis_cache.py).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "lumira.redis_cache.RedisCache"
# A desk session loads the user with their Expert row in one query (experts/auth.py).
AUTHENTICATION_BACKENDS += ["experts.auth.ExpertSessionBackend"]

# --- Deliverables: the reading read aloud (level ≥ 2), SPEC §11 "Audio" ---
# TTS_BACKEND: espeak (offline: espeak-ng's French voice, encoded by ffmpeg to Opus in Ogg) or openai (the
# provider's speech API through the `openai` SDK, at LLM_BASE_URL with LLM_API_KEY).
TTS_BACKEND = env.str("TTS_BACKEND", default="espeak")
if TTS_BACKEND not in {"espeak", "openai"}:
    raise ImproperlyConfigured("TTS_BACKEND must be espeak or openai.")
TTS_ESPEAK_VOICE = env.str("TTS_ESPEAK_VOICE", default="fr-fr")
# Words per minute of the espeak voice (its default, 175, is hurried for a reading).
TTS_ESPEAK_SPEED = env.int("TTS_ESPEAK_SPEED", default=150)
TTS_MODEL = env.str("TTS_MODEL", default="gpt-4o-mini-tts")
TTS_VOICE = env.str("TTS_VOICE", default="nova")
# Longest wait for one speech request or one espeak+ffmpeg run, in seconds.
TTS_TIMEOUT_SECONDS = env.float("TTS_TIMEOUT_SECONDS", default=300.0)
# The provider's address and key are the openai generation writer's (LLM_BASE_URL, LLM_API_KEY above).
if IS_PRODUCTION and TTS_BACKEND == "openai" and not LLM_API_KEY:
    raise ImproperlyConfigured("LLM_API_KEY is required with TTS_BACKEND=openai.")
# --- Operations (issue 16): metrics, delivery targets, compose ---
# Where n8n calls Lumira back (the callback URL carried in each generation request). SITE_URL by default;
# in compose, http://web:8000, the address n8n reaches inside the compose network.
N8N_CALLBACK_BASE_URL = env.str("N8N_CALLBACK_BASE_URL", default=SITE_URL).rstrip("/")
# Calls between services of one host (compose network, plain HTTP, each authenticated by a signature or a
# token) are not sent to HTTPS: Stripe/localstripe webhooks, the n8n callback, Prometheus' scrape. (/health/
# still redirects: compose's healthcheck says X-Forwarded-Proto: https, as the TLS proxy does.)
SECURE_REDIRECT_EXEMPT = [r"^stripe/webhook/", r"^api/expert/n8n-callback$", r"^metrics$"]
# Hours between payment and delivery promised per service (tier); an order past it counts as late
# (the lumira_orders_late gauge, its alert, the desk).
DELIVERY_TARGET_HOURS = {"basic": 48, "premium": 24, "vip": 12}
# /metrics (Prometheus text format): staff sessions, or `Authorization: Bearer <METRICS_TOKEN>` (Prometheus'
# own scrape). Empty: staff only.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Request latency and status by view (django-prometheus); Lumira's own metrics are in lumira/metrics.py.
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# --- Storefront (issue 15): legal pages, contact form, promised delivery time ---
INSTALLED_APPS += ["storefront"]
# The publisher's identity, substituted into the legal pages (staff edit the texts in admin; these values
# differ per deployment; unset or empty → the default). Bracketed defaults say what is missing: no
# company is invented.
LEGAL_COMPANY_NAME = env.str("LEGAL_COMPANY_NAME", default="") or "Lumira SAS"
LEGAL_COMPANY_FORM = env.str("LEGAL_COMPANY_FORM", default="") or "société par actions simplifiée au capital de [capital] €"
LEGAL_ADDRESS = env.str("LEGAL_ADDRESS", default="") or "[adresse du siège social]"
LEGAL_REGISTRATION = env.str("LEGAL_REGISTRATION", default="") or "RCS [ville] [numéro SIREN]"
LEGAL_VAT_NUMBER = env.str("LEGAL_VAT_NUMBER", default="") or "[numéro de TVA intracommunautaire]"
LEGAL_PUBLICATION_DIRECTOR = env.str("LEGAL_PUBLICATION_DIRECTOR", default="") or "[nom du directeur de la publication]"
LEGAL_CONTACT_EMAIL = env.str("LEGAL_CONTACT_EMAIL", default="") or "bonjour@lumira.local"
LEGAL_HOST = env.str("LEGAL_HOST", default="") or "[nom, adresse et téléphone de l'hébergeur]"
LEGAL_MEDIATOR = env.str("LEGAL_MEDIATOR", default="") or "[nom et site web du médiateur de la consommation]"
# Who receives the contact form's messages, and how many messages one IP address may send.
CONTACT_EMAIL_TO = env.list("CONTACT_EMAIL_TO", default=[]) or [LEGAL_CONTACT_EMAIL]
CONTACT_RATE = env.str("CONTACT_RATE", default="5/h")
# Files served at the site's root by whitenoise: favicon.ico, favicon.svg, robots.txt.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
