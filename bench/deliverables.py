"""`make bench`, the deliverables (issue 14): the PDF of a level-4 VIP reading (target ≤ 500 ms) and the CPU
time of a 60-minute offer's audio with espeak-ng + ffmpeg (target ≤ 30 s of CPU, the children's included).

Runs in a process where Django is set up (bench/run.py), or alone: `python -m bench.deliverables`.
Nothing is written to the database: the order is built in memory.
"""

from __future__ import annotations

import importlib.util
import resource
import statistics
import time
from datetime import date

PDF_TARGET_MS = 500
AUDIO_TARGET_CPU_S = 30.0
AUDIO_SCRIPT_WORDS = 1_500  # a 60-minute offer's spoken part, generously
PDF_RUNS = 5

_SENTENCES = (
    "Votre Soleil en Bélier vous donne l’élan des commencements, et votre Lune en Scorpion la profondeur.",
    "Ce mois-ci, la Lune traverse vos maisons d’eau : laissez venir les émotions sans les juger.",
    "Un petit geste tenu chaque jour vaut mieux qu’un grand projet remis à plus tard.",
    "Notez ce qui vous touche au fil des jours ; ces notes dessineront peu à peu votre direction.",
    "Accordez-vous le droit d’essayer, de vous tromper et de recommencer : la confiance grandit ainsi.",
    "Saturne vous demande de la constance, Jupiter vous promet de l’ampleur si vous tenez le cap.",
)


def sample_text(words: int) -> str:
    """About `words` words of reading-like French, in paragraphs of four sentences (also the tests' filler)."""
    sentences, count = [], 0
    while count < words:
        sentences.append(_SENTENCES[len(sentences) % len(_SENTENCES)])
        count += len(sentences[-1].split())
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def _vip_content(chart: dict) -> dict:
    """A level-4 VIP reading: the offline composer's when it is installed, else one of the same size."""
    if importlib.util.find_spec("engine.composer") is not None:
        from engine import composer

        if hasattr(composer, "compose"):
            return composer.compose(composer.CompositionRequest(
                first_name="Camille", level=4, service="vip", duration_minutes=90, chart=chart,
                question="Quelle direction pour ma carrière ?", objective="Retrouver confiance.",
                expert_prompt="Lecture complète, carrière et amour.", expert_instructions="",
                delivery_date=date.today(), seed="bench",
            ))
    titles = ("Votre élan", "Votre chemin professionnel", "Vos liens", "Votre énergie", "Vos cycles",
              "Vos talents", "Le pas suivant", "Votre rythme", "Vos alliés")
    return {
        "title": "La Prêtresse : la lecture de Camille",
        "archetype": {"name": "La Prêtresse", "source": "arcane de naissance"},
        "reading": {"intro": sample_text(80), "sections": [{"title": t, "body": sample_text(240)} for t in titles],
                    "closing": sample_text(40)},
        "ritual": {"title": "Rituel de la nouvelle lune", "moment": "Le soir de la prochaine nouvelle lune",
                   "steps": [sample_text(25) for _ in range(6)], "intention": "Je laisse venir ce qui est juste."},
        "audioScript": sample_text(500),
        "synthesis": sample_text(300),
        "mandala": {"colors": ["#2e1a47", "#c9a227", "#7b5ea7"], "symbols": ["lune", "lotus", "etoile"],
                    "intention": "Accueillir la douceur."},
        "guidance": [{"day": day, "focus": f"Lune en Cancer, jour {day}", "practice": sample_text(30)} for day in range(1, 31)],
    }


def _pdf_ms() -> tuple[float, float, int, int]:
    """(median wall ms, median CPU ms, pages, bytes); on a busy machine the CPU time is the fair figure."""
    from django.utils import timezone

    from engine.chart import BirthData, compute_chart
    from engine.places import resolve_place
    from orders.models import Order
    from sanctuaire.access import Entitlements
    from sanctuaire.pdf import reading_pdf

    chart = compute_chart(BirthData(date(1990, 4, 12), None, resolve_place("Lyon"), "Camille Lune"))
    order = Order(number="LU20261130BENCH", level=4, service="vip", duration=90, client_name="Camille Lune",
                  delivered_at=timezone.now(), generated_content=_vip_content(chart))
    order.chart = chart  # the intake stores it on the order; here, in memory
    build = lambda: reading_pdf(order=order, entitlements=Entitlements(level=4), client_name="Camille Lune",  # noqa: E731
                                first_name="Camille")
    data = build()  # warm-up: fonts parsed once per process
    timings, cpu = [], []
    for _ in range(PDF_RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        build()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    import io

    from pypdf import PdfReader

    return statistics.median(timings), statistics.median(cpu), len(PdfReader(io.BytesIO(data)).pages), len(data)


def _audio_cpu() -> tuple[float, float, int]:
    """(CPU seconds of this process and its children, wall seconds, bytes) for a ~1,500-word script."""
    from django.test import override_settings

    from sanctuaire.audio import audio_synthesize

    script = sample_text(AUDIO_SCRIPT_WORDS)
    before_self, before_children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with override_settings(TTS_BACKEND="espeak"):
        data, _ = audio_synthesize(script)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime - before_children.ru_utime) + (after.ru_stime - before_children.ru_stime)
    return time.process_time() - before_self + children, wall, len(data)


def deliverables_bench() -> list[dict]:
    pdf_ms, pdf_cpu_ms, pages, pdf_bytes = _pdf_ms()
    cpu_s, wall_s, audio_bytes = _audio_cpu()
    return [
        # Judged on CPU time: the same as wall time on an idle machine, and unaffected by other processes.
        {"name": "PDF, level-4 VIP reading", "value": round(pdf_cpu_ms, 1), "unit": "ms CPU (median of 5)",
         "target": f"≤ {PDF_TARGET_MS} ms", "ok": pdf_cpu_ms <= PDF_TARGET_MS,
         "note": f"{round(pdf_ms)} ms wall, {pages} pages, {pdf_bytes // 1024} KiB, fonts embedded"},
        {"name": "audio, 60-min offer (espeak+ffmpeg)", "value": round(cpu_s, 2), "unit": "s CPU",
         "target": f"≤ {AUDIO_TARGET_CPU_S:.0f} s CPU", "ok": cpu_s <= AUDIO_TARGET_CPU_S,
         "note": f"{AUDIO_SCRIPT_WORDS} words, {wall_s:.1f} s wall, {audio_bytes // 1024} KiB Opus"},
    ]


def print_deliverables(lines: list[dict]) -> None:
    print(f"\n{'deliverable':<38} {'value':>8}  {'unit':<20} {'target':<14} result")
    for line in lines:
        print(f"{line['name']:<38} {line['value']:>8}  {line['unit']:<20} {line['target']:<14} "
              f"{'ok' if line['ok'] else 'MISS'}  ({line['note']})")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lumira.settings")
    os.environ.setdefault("LUMIRA_ENV", "dev")
    django.setup()
    print_deliverables(deliverables_bench())
