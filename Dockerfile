FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# DejaVu fonts: full Unicode in the reading PDFs (SANCTUAIRE_PDF_FONT_DIR); espeak-ng and ffmpeg: the reading
# read aloud (TTS_BACKEND=espeak), same list as scripts/ensure_media_tools.sh.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core espeak-ng ffmpeg gettext \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings but no secrets of the real deployment.
# The translations are compiled here, by the script make test / make demo run (.mo files are never committed).
RUN LUMIRA_ENV=dev python manage.py collectstatic --noinput \
    && LUMIRA_ENV=dev PYTHON=python bash scripts/compile_messages.sh \
    && useradd --create-home --uid 1000 lumira \
    && mkdir -p /app/var/private && chown -R lumira /app/var

USER lumira
EXPOSE 8000
# The same script the Makefile runs (make migrate / serve / worker / beat): migrate, stripe-bootstrap, web, worker, beat.
ENTRYPOINT ["bash", "/app/scripts/entrypoint.sh"]
CMD ["web"]
