"""Lumira settings, read from the environment (.env.example documents every variable), each defined once.

LUMIRA_ENV selects the safety level: "prod" (the default, so nothing insecure leaks into production by
omission), "dev" (demo and local work) or "test" (pytest sets it). The module reads top to bottom in groups,
each headed by what it is about; tests/ops/test_settings.py fails if a name is assigned twice.
"""

import datetime
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

# --- Environment and secrets ---------------------------------------------------------------------------
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
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])  # previous keys, newest first (a rotation)
# Personal data at rest (lumira/encryption.py): Fernet keys, newest first (the first encrypts); empty is unset.
_DEV_FIELD_ENCRYPTION_KEY = "bHVtaXJhLWRldi1vbmx5LWZpZWxkLWtleS0wMDAwMDA="
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
# Keys once derived from SECRET_KEY (and its fallbacks) with these salts: decryption only, until re-encrypted.
_dev_salts = [] if IS_PRODUCTION else ["dev-only-field-salt"]
FIELD_ENCRYPTION_LEGACY_SALTS = env.list("FIELD_ENCRYPTION_SALT", default=[]) or _dev_salts
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Apps, middleware, URLs and templates ---------------------------------------------------------------
# In this order (templates and static files are looked up in it); health_check's app holds /health/'s template.
INSTALLED_APPS = [
    *("django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"),
    *("django.contrib.messages", "whitenoise.runserver_nostatic", "django.contrib.staticfiles", "django.contrib.humanize"),
    *("rest_framework", "rest_framework_simplejwt", "drf_spectacular", "drf_spectacular_sidecar", "django_htmx", "csp"),
    *("djstripe", "accounts", "orders", "experts", "payments", "sanctuaire", "django_ratelimit"),
    *("health_check", "axes", "django_prometheus", "storefront"),
    "demo",  # manage.py load_demo_data: a tool, not a part of the site
]
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lumira.middleware.RequestSizeLimitMiddleware",  # 413 above MAX_REQUEST_BODY_BYTES, before anything reads the body
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lumira.middleware.ChosenLanguageMiddleware",  # the visitor's choice (the footer's switch), French otherwise
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
ROOT_URLCONF = "lumira.urls"
WSGI_APPLICATION = "lumira.wsgi.application"
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")  # the admin's own prefix, set per deployment
LUMIRA_BENCH = env.bool("LUMIRA_BENCH", default=False)  # `make bench` only (routes bench/views.py), never in a deployment
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
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit knows not Django's own Redis backend, which works (atomic incr); dev and tests count per process.
    "django_ratelimit.W001",
    *([] if IS_PRODUCTION else ["django_ratelimit.E003"]),
    "axes.W006",  # axes locks per account only: per address, django-ratelimit throttles the sign-in views
]

# --- Database -------------------------------------------------------------------------------------------
_database = env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/lumira")
DATABASES = {
    "default": {
        **_database,
        "CONN_MAX_AGE": env.int("DATABASE_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,  # a connection that died (PostgreSQL restarted) is replaced, not failed on
        "TEST": {**_database.get("TEST", {}), "NAME": env.str("TEST_DATABASE_NAME", default="test_lumira")},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions and Celery -------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# Shared between processes in production (sessions, rate limits and replay guards must not live in one process).
_cache = env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1" if IS_PRODUCTION else "locmemcache://lumira")
if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    _cache["BACKEND"] = "lumira.redis_cache.RedisCache"  # Django's, reusing its Redis client between calls
CACHES = {"default": _cache}
# Cached reads (lumira/view_cache.py), retired when a write commits: this bounds only raw SQL writes. 0: no cache.
VIEW_CACHE_SECONDS = env.int("VIEW_CACHE_SECONDS", default=300)
# Production reads sessions from the cache and writes them through to PostgreSQL: one query less per page.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if IS_PRODUCTION else "django.contrib.sessions.backends.db"
# Celery reads the CELERY_* settings (lumira/celery.py); its schedule is under "Periodic tasks".
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
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")  # one per demo port (a shared Redis)

# --- Sign-in: accounts, passwords, magic links, lockout -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "lumira.lockout.LockoutBackend",  # refuses a locked-out account before any password is checked (axes)
    "django.contrib.auth.backends.ModelBackend",  # staff and experts: password
    "sanctuaire.backends.ClientMagicLinkBackend",  # clients: magic link (django-sesame)
    "experts.auth.ExpertSessionBackend",  # a desk session loads the user with their Expert row in one query
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if LUMIRA_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # hashing cost is not what tests measure
LOGIN_URL = "sanctuaire:login"
LOGIN_REDIRECT_URL = "sanctuaire:home"
# A magic link works once (signing in revokes it), for SESAME_MAX_AGE seconds, and not after the email changes.
SESAME_MAX_AGE = env.int("SESAME_MAX_AGE", default=15 * 60)
SESAME_ONE_TIME = True
SESAME_INVALIDATE_ON_EMAIL_CHANGE = True
SANCTUAIRE_DIRECT_ENTRY_SECONDS = 30 * 60  # the paying browser enters its new account once, this long after (SPEC §5)
# Password sign-ins (desk, expert API, admin) locked per account from any address: a distributed guess is stopped too.
AXES_FAILURE_LIMIT = env.int("LOGIN_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "lumira.lockout.username_for"
AXES_CLIENT_IP_CALLABLE = "lumira.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "lumira.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True

# --- Client address and rate limits ---------------------------------------------------------------------
# Proxies appending to X-Forwarded-For (0: the peer is the client), read by every per-address limit (lumira.client_ip).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "lumira.client_ip.client_ip"
# django-ratelimit rates, counted in CACHES, per client IP unless said otherwise.
PAYMENTS_CREATE_RATE = env.str("PAYMENTS_CREATE_RATE", default="10/m")  # orders started (create-payment-intent)
PLACES_SUGGEST_RATE = env.str("PLACES_SUGGEST_RATE", default="120/m")  # birth-place suggestions, ~one per keystroke
SANCTUAIRE_LINK_RATE_PER_IP = env.str("SANCTUAIRE_LINK_RATE_PER_IP", default="20/h")  # magic-link requests
SANCTUAIRE_LINK_RATE_PER_EMAIL = env.str("SANCTUAIRE_LINK_RATE_PER_EMAIL", default="5/h")  # ... per email address
SANCTUAIRE_TOKEN_RATE_PER_IP = env.str("SANCTUAIRE_TOKEN_RATE_PER_IP", default="30/h")
EXPERT_LOGIN_RATE = env.str("EXPERT_LOGIN_RATE", default="10/m")  # expert sign-in attempts (desk and API)
EXPERT_RELAUNCH_RATE = env.str("EXPERT_RELAUNCH_RATE", default="6/m")  # generation relaunches, per expert
CONTACT_RATE = env.str("CONTACT_RATE", default="5/h")  # contact form messages

# --- API (Django REST framework, OpenAPI) ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework_simplejwt.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["lumira.parsers.JSONParser"],  # a document nested thousands deep is a 400, not a 500
    # Also documents the error answers each view implies (400/401/403/404/429), as lumira.api.ErrorSerializer.
    "DEFAULT_SCHEMA_CLASS": "lumira.api.LumiraAutoSchema",
    "EXCEPTION_HANDLER": "lumira.api.exception_handler",
    # `page` is a page number or absent (DRF's own class also takes `page=` and `page=last`).
    "DEFAULT_PAGINATION_CLASS": "lumira.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # DRF's own reading, should a plain DRF throttle appear
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
    # Request components apart from responses: non-blank strings get minLength 1, read-only fields stay out.
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Email ----------------------------------------------------------------------------------------------
_email_backend = "smtp" if IS_PRODUCTION else "console"
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=f"django.core.mail.backends.{_email_backend}.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lumira <bonjour@lumira.local>")

# --- Stripe and payments --------------------------------------------------------------------------------
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com" if IS_PRODUCTION else "http://127.0.0.1:8420")
_stripe_js = "https://js.stripe.com/v3/" if IS_PRODUCTION else "http://127.0.0.1:8420/js.stripe.com/v3/"
STRIPE_JS_URL = env.str("STRIPE_JS_URL", default=_stripe_js)
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
_dev_stripe_key = "sk_test_lumiraLocalDevelopmentKey000000"
STRIPE_TEST_SECRET_KEY = env.str("STRIPE_TEST_SECRET_KEY", default="" if IS_PRODUCTION else _dev_stripe_key)
STRIPE_LIVE_SECRET_KEY = env.str("STRIPE_LIVE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env.str("STRIPE_PUBLISHABLE_KEY", default="" if IS_PRODUCTION else "pk_test_lumira_local")
# DEBUG never with live Stripe keys: live mode on, or a live key in any slot (one pasted into a dev .env counts).
_stripe_keys = (STRIPE_LIVE_SECRET_KEY, STRIPE_TEST_SECRET_KEY, STRIPE_PUBLISHABLE_KEY)
if DEBUG and (STRIPE_LIVE_MODE or any(key.startswith(("sk_live_", "rk_live_", "pk_live_")) for key in _stripe_keys)):
    raise ImproperlyConfigured("DEBUG must never be on with live Stripe keys (live mode, or a sk_live_/rk_live_/pk_live_ key).")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
PENDING_ORDER_RECONCILE_MINUTES = env.int("PENDING_ORDER_RECONCILE_MINUTES", default=10)
PENDING_ORDER_EXPIRY_HOURS = env.int("PENDING_ORDER_EXPIRY_HOURS", default=24)

# --- Security headers and HTTPS -------------------------------------------------------------------------
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
# Calls between services of one host (each authenticated by a signature or a token) stay on plain HTTP: Stripe
# webhooks, the n8n callback, Prometheus' scrape (/health/ still redirects; compose's healthcheck says https).
SECURE_REDIRECT_EXEMPT = [r"^stripe/webhook/", r"^api/expert/n8n-callback$", r"^metrics$"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Largest request body read at all, uploads included (above: 413 before reading); two photos fit below it.
MAX_REQUEST_BODY_BYTES = env.int("MAX_REQUEST_BODY_BYTES", default=12 * 1024 * 1024)
# Content Security Policy (django-csp): our own scripts, plus Stripe's (dev and tests: localstripe, any port).
_localstripe = ["http://127.0.0.1:*", "http://localhost:*"]
_stripe_hosts = [f"https://{name}.stripe.com" for name in ("js", "hooks", "api")] if IS_PRODUCTION else _localstripe
_STRIPE_ORIGINS = sorted({"/".join(url.split("/")[:3]) for url in (STRIPE_JS_URL, STRIPE_API_BASE)}.union(_stripe_hosts))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_STRIPE_ORIGINS],
        "connect-src": ["'self'", *_STRIPE_ORIGINS],
        "frame-src": ["'self'", *_STRIPE_ORIGINS],
        "style-src": ["'self'", "'unsafe-inline'"],  # htmx and Stripe.js set inline styles on their elements
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Generation: who writes the readings (SPEC §11) -----------------------------------------------------
# n8n (a workflow with an LLM node), openai (any OpenAI-compatible API) or local (offline: demo and tests).
GENERATION_BACKEND = env.str("GENERATION_BACKEND", default="n8n" if IS_PRODUCTION else "local")
if GENERATION_BACKEND not in {"local", "n8n", "openai"}:
    raise ImproperlyConfigured("GENERATION_BACKEND must be local, n8n or openai.")
N8N_WEBHOOK_URL = env.str("N8N_WEBHOOK_URL", default="")
N8N_WEBHOOK_SECRET = env.str("N8N_WEBHOOK_SECRET", default="" if IS_PRODUCTION else "dev-n8n-webhook-secret")
N8N_CALLBACK_SECRET = env.str("N8N_CALLBACK_SECRET", default="" if IS_PRODUCTION else "dev-n8n-callback-secret")
if IS_PRODUCTION and GENERATION_BACKEND == "n8n" and not (N8N_WEBHOOK_URL and N8N_WEBHOOK_SECRET and N8N_CALLBACK_SECRET):
    raise ImproperlyConfigured(
        "N8N_WEBHOOK_URL, N8N_WEBHOOK_SECRET and N8N_CALLBACK_SECRET are required with GENERATION_BACKEND=n8n."
    )
N8N_CALLBACK_BASE_URL = env.str("N8N_CALLBACK_BASE_URL", default=SITE_URL).rstrip("/")  # where n8n calls back (compose: web)
N8N_TIMEOUT_SECONDS = env.float("N8N_TIMEOUT_SECONDS", default=10.0)  # n8n accepts at once and calls back later
N8N_CALLBACK_MAX_AGE_SECONDS = env.int("N8N_CALLBACK_MAX_AGE_SECONDS", default=300)  # older (or future) is refused
# Retries with backoff, then a dead letter; the sweep resends what is stuck; the desk may relaunch an overdue attempt.
GENERATION_MAX_ATTEMPTS = env.int("GENERATION_MAX_ATTEMPTS", default=5)
GENERATION_RETRY_BACKOFF_SECONDS = env.float("GENERATION_RETRY_BACKOFF_SECONDS", default=10.0)
GENERATION_RETRY_BACKOFF_MAX_SECONDS = env.float("GENERATION_RETRY_BACKOFF_MAX_SECONDS", default=300.0)
GENERATION_DEADLINE_MINUTES = env.int("GENERATION_DEADLINE_MINUTES", default=30)
GENERATION_SWEEP_MAX_RESENDS = env.int("GENERATION_SWEEP_MAX_RESENDS", default=2)
GENERATION_SWEEP_EVERY_SECONDS = env.int("GENERATION_SWEEP_EVERY_SECONDS", default=300)
GENERATION_OVERDUE_SECONDS = env.int("GENERATION_OVERDUE_SECONDS", default=300)
LLM_BASE_URL = env.str("LLM_BASE_URL", default="https://api.openai.com/v1")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
if IS_PRODUCTION and GENERATION_BACKEND == "openai" and not LLM_API_KEY:
    raise ImproperlyConfigured("LLM_API_KEY is required with GENERATION_BACKEND=openai.")
LLM_MODEL = env.str("LLM_MODEL", default="gpt-4o-mini")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=180.0)
# An AI run's estimated cost: EUR per million (prompt, completion) tokens by model (list prices); missing: 0, tokens kept.
LLM_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.14, 0.55),
    "gpt-4o": (2.30, 9.20),
    "gpt-4.1-mini": (0.37, 1.47),
    "mistral-small-latest": (0.09, 0.28),
    "mistral-large-latest": (1.84, 5.52),
    "local": (0.0, 0.0),
}

# --- Static files, media and deliverables (PDF, audio) --------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_ROOT = BASE_DIR / "static" / "root"  # served at the site's root: favicon.ico, favicon.svg, robots.txt
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
SANCTUAIRE_PHOTO_MAX_BYTES = env.int("SANCTUAIRE_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)
SANCTUAIRE_PDF_FONT_DIR = env.str("SANCTUAIRE_PDF_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
# The reading read aloud (level ≥ 2, SPEC §11): espeak (offline, to Opus by ffmpeg) or openai (at LLM_BASE_URL).
TTS_BACKEND = env.str("TTS_BACKEND", default="espeak")
if TTS_BACKEND not in {"espeak", "openai"}:
    raise ImproperlyConfigured("TTS_BACKEND must be espeak or openai.")
if IS_PRODUCTION and TTS_BACKEND == "openai" and not LLM_API_KEY:
    raise ImproperlyConfigured("LLM_API_KEY is required with TTS_BACKEND=openai.")
TTS_ESPEAK_VOICE = env.str("TTS_ESPEAK_VOICE", default="fr-fr")
TTS_ESPEAK_SPEED = env.int("TTS_ESPEAK_SPEED", default=150)  # words per minute (espeak's 175 is hurried for a reading)
TTS_MODEL = env.str("TTS_MODEL", default="gpt-4o-mini-tts")
TTS_VOICE = env.str("TTS_VOICE", default="nova")
TTS_TIMEOUT_SECONDS = env.float("TTS_TIMEOUT_SECONDS", default=300.0)  # one speech request or espeak+ffmpeg run

# --- Language and time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = USE_TZ = True

# --- Logging and metrics --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"redact": {"()": "lumira.logging.RedactingFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if IS_PRODUCTION else "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # runserver's request lines (the demo) go through the redacting handler too: no `?sesame=` token in them.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "fontTools": {"level": "WARNING"},  # fpdf2's font subsetting logs every step at INFO
        "fpdf.svg": {"level": "ERROR"},  # warns at every PDF that it skips our SVGs' <title>/<desc>
        # Stripe logs whole answers at DEBUG (client secrets, names, emails): never that, whatever LOG_LEVEL says.
        "stripe": {"level": "INFO"},
    },
}
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")  # /metrics opens to staff and to `Authorization: Bearer <METRICS_TOKEN>`

# --- Periodic tasks (Celery beat) -----------------------------------------------------------------------
_sweep_every = float(GENERATION_SWEEP_EVERY_SECONDS)
_reconcile_every = 60.0 * env.int("PAYMENTS_RECONCILE_EVERY_MINUTES", default=5)
CELERY_BEAT_SCHEDULE: dict = {
    "payments-reconcile-pending": {"task": "payments.tasks.reconcile_pending_payments", "schedule": _reconcile_every},
    "payments-expire-pending": {"task": "payments.tasks.expire_pending_orders", "schedule": 60.0 * 60},
    "experts-sweep-stuck-generations": {"task": "experts.sweep_stuck_generations", "schedule": _sweep_every},
}

# --- Business rules: desk, delivery promise, legal pages, contact ---------------------------------------
EXPERT_DESK_PAGE_SIZE = env.int("EXPERT_DESK_PAGE_SIZE", default=20)  # orders per page in the desk queues
# Hours from payment to delivery promised per service; past it an order is late (gauge, alert, desk).
DELIVERY_TARGET_HOURS = {"basic": 48, "premium": 24, "vip": 12}
# The publisher's identity in the legal pages; unset or empty, a default bracketed where something is missing.
LEGAL_COMPANY_NAME = env.str("LEGAL_COMPANY_NAME", default="") or "Lumira SAS"
LEGAL_COMPANY_FORM = env.str("LEGAL_COMPANY_FORM", default="") or "société par actions simplifiée au capital de [capital] €"
LEGAL_ADDRESS = env.str("LEGAL_ADDRESS", default="") or "[adresse du siège social]"
LEGAL_REGISTRATION = env.str("LEGAL_REGISTRATION", default="") or "RCS [ville] [numéro SIREN]"
LEGAL_VAT_NUMBER = env.str("LEGAL_VAT_NUMBER", default="") or "[numéro de TVA intracommunautaire]"
LEGAL_PUBLICATION_DIRECTOR = env.str("LEGAL_PUBLICATION_DIRECTOR", default="") or "[nom du directeur de la publication]"
LEGAL_CONTACT_EMAIL = env.str("LEGAL_CONTACT_EMAIL", default="") or "bonjour@lumira.local"
LEGAL_HOST = env.str("LEGAL_HOST", default="") or "[nom, adresse et téléphone de l'hébergeur]"
LEGAL_MEDIATOR = env.str("LEGAL_MEDIATOR", default="") or "[nom et site web du médiateur de la consommation]"
CONTACT_EMAIL_TO = env.list("CONTACT_EMAIL_TO", default=[]) or [LEGAL_CONTACT_EMAIL]  # who gets the contact form
