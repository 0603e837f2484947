"""The reading read aloud (level ≥ 2, SPEC §11 "Audio"): text → audio file by TTS_BACKEND, kept in private
storage under a random name, its name on the order (encrypted). Served to the owner only, by
`views.reading_audio` with byte ranges.

- `espeak`: Debian's espeak-ng with its French voice writes WAV on stdout, piped into ffmpeg, which encodes
  Opus in Ogg (small, seekable, played by Chromium and Firefox; Safari since 2021).
- `openai`: the provider's speech API through the `openai` SDK (LLM_BASE_URL, LLM_API_KEY, TTS_MODEL,
  TTS_VOICE), asked for MP3, which every browser plays.
"""

import logging
import secrets
import shutil
import subprocess
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .private_files import content_type_for, private_file_delete, private_file_open

logger = logging.getLogger(__name__)

FOLDER = "reading-audio"
CONTENT_TYPES = {"ogg": "audio/ogg", "mp3": "audio/mpeg"}
# The speech API takes at most 4,096 characters per request: longer scripts are spoken in chunks, joined.
OPENAI_CHUNK_CHARS = 4000


class TransientAudioError(Exception):
    """Worth another try later: a timeout, a refused connection, a 5xx or 429 from the provider."""


class AudioError(Exception):
    """Will fail again as is: a missing program, a refused request, empty output."""


def _espeak_ogg(text: str) -> tuple[bytes, str]:
    espeak, ffmpeg = shutil.which("espeak-ng"), shutil.which("ffmpeg")
    if not espeak or not ffmpeg:
        raise AudioError("espeak-ng and ffmpeg are required (scripts/ensure_media_tools.sh).")
    timeout = settings.TTS_TIMEOUT_SECONDS
    # The script goes through a file, never the command line (no length limit, nothing in `ps`).
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as script:
        script.write(text)
        script.flush()
        # Fixed programs and arguments (no shell); the text goes through the file above.
        speak = subprocess.Popen(  # noqa: S603
            [espeak, "-v", settings.TTS_ESPEAK_VOICE, "-s", str(settings.TTS_ESPEAK_SPEED), "--stdout", "-f", script.name],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        try:
            encoded = subprocess.run(  # noqa: S603
                [ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0", "-ac", "1",
                 "-c:a", "libopus", "-b:a", "24k", "-application", "voip", "-f", "ogg", "pipe:1"],
                stdin=speak.stdout, capture_output=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise TransientAudioError("speech synthesis ran out of time") from error
        finally:
            speak.stdout.close()
            if speak.wait(timeout=timeout) != 0:
                logger.warning("espeak-ng ended with an error", extra={"returncode": speak.returncode})
    if encoded.returncode != 0 or not encoded.stdout:
        raise AudioError(f"ffmpeg did not encode the audio (code {encoded.returncode})")
    return encoded.stdout, "ogg"


def _chunks(text: str, limit: int = OPENAI_CHUNK_CHARS) -> list[str]:
    """Paragraphs packed into pieces under the limit (a longer paragraph is cut at sentence ends)."""
    pieces, current = [], ""
    for paragraph in text.split("\n"):
        for sentence in ([paragraph] if len(paragraph) <= limit else paragraph.replace(". ", ".\n").split("\n")):
            sentence = sentence[:limit]
            if current and len(current) + len(sentence) + 1 > limit:
                pieces.append(current)
                current = ""
            current = f"{current}\n{sentence}" if current else sentence
    return [piece for piece in [*pieces, current] if piece.strip()]


def _openai_mp3(text: str) -> tuple[bytes, str]:
    import openai

    client = openai.OpenAI(
        base_url=settings.LLM_BASE_URL, api_key=settings.LLM_API_KEY or "unset",
        timeout=settings.TTS_TIMEOUT_SECONDS, max_retries=0,  # Celery retries, with backoff
    )
    audio = b""
    for piece in _chunks(text):
        try:
            response = client.audio.speech.create(
                model=settings.TTS_MODEL, voice=settings.TTS_VOICE, input=piece, response_format="mp3"
            )
        except (openai.APITimeoutError, openai.APIConnectionError, openai.RateLimitError,
                openai.InternalServerError) as error:
            raise TransientAudioError(f"speech API unavailable ({error.__class__.__name__})") from error
        except openai.APIStatusError as error:
            raise AudioError(f"speech API: request refused ({error.status_code})") from error
        audio += response.content  # MP3 frames concatenate into one playable stream
    if not audio:
        raise AudioError("speech API: empty answer")
    return audio, "mp3"


def audio_synthesize(text: str) -> tuple[bytes, str]:
    """The text spoken in French: (audio bytes, file extension)."""
    if not text.strip():
        raise AudioError("nothing to read")
    if settings.TTS_BACKEND == "openai":
        return _openai_mp3(text)
    return _espeak_ogg(text)


def audio_store(data: bytes, extension: str) -> str:
    """Saved under a random name in private storage (no public URL serves it); returns the storage name."""
    return default_storage.save(f"{FOLDER}/{secrets.token_urlsafe(32)}.{extension}", ContentFile(data))


audio_delete = private_file_delete
audio_open = private_file_open


def audio_content_type(name: str) -> str:
    return content_type_for(name, CONTENT_TYPES)
