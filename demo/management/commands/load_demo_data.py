import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Expert, ExpertRole
from experts.services import expert_create
from lumira.progress import command_progress
from orders import services
from orders.catalogue import seed_offers
from orders.models import Offer, Order, OrderStatus

DEMO_PASSWORD = "lumira-demo-2026"  # demo data only, printed on purpose
DEMO_EXPERTS = [
    ("admin@lumira.local", "Alma Admin", ExpertRole.ADMIN),
    ("oriane@lumira.local", "Oriane Lune", ExpertRole.EXPERT),
    ("elias@lumira.local", "Elias Soleil", ExpertRole.EXPERT),
]
# What the order form shows next to each name (the seed's expert schema).
DEMO_PROFILES = {
    "admin@lumira.local": (["Supervision"], None),
    "oriane@lumira.local": (["Tarot", "Astrologie"], "4.9"),
    "elias@lumira.local": (["Numérologie", "Rituels"], "4.7"),
}
DEMO_CLIENTS = [("claire@example.com", "Claire Martin"), ("hugo@example.com", "Hugo Bernard")]
DEMO_CONTENT = {
    "archetype": "La Prêtresse",
    "reading": "Une période d'écoute intérieure s'ouvre à vous.",
    "ritual": "Allumez une bougie blanche chaque soir pendant sept jours.",
    "mandalaSvg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>',
    "synthesis": "Confiance et patience.",
    "guidance": "Semaine 1 : observer. Semaine 2 : choisir. Semaines 3 et 4 : agir.",
}


# Birth data and questions for the demo orders (each gets its chart, as a real checkout would).
DEMO_INTAKES = (
    {"birth_date": datetime.date(1988, 4, 12), "birth_time": "07:45", "birth_place": "Lyon (Auvergne-Rhône-Alpes)",
     "question": "Quelle direction donner à ma carrière cette année ?", "objective": "Oser un changement."},
    {"birth_date": datetime.date(1979, 11, 2), "birth_time": "", "birth_place": "Paris (Île-de-France)",
     "question": "Comment apaiser ma relation avec ma sœur ?", "objective": "Retrouver la confiance."},
)


class Command(BaseCommand):
    help = "Load demo data: offers, experts (printed logins), clients and one order in every status."

    def handle(self, *args, **options):
        with transaction.atomic():
            seed_offers(Offer)
            experts = [self._expert(email, name, role) for email, name, role in DEMO_EXPERTS]
            if Order.objects.exists():
                self.stdout.write("Des commandes existent déjà : aucune commande de démo ajoutée.")
            else:
                self._orders(experts)
        self.stdout.write(self.style.SUCCESS("Données de démo chargées."))
        self.stdout.write(f"Connexions de démo (mot de passe : {DEMO_PASSWORD}) :")
        for email, name, role in DEMO_EXPERTS:
            self.stdout.write(f"  {email:<24} {name} ({ExpertRole(role).label})")
        self.stdout.write("Clients de démo (connexion par lien magique) : " + ", ".join(e for e, _ in DEMO_CLIENTS))

    def _expert(self, email: str, name: str, role: str) -> Expert:
        expert = Expert.objects.filter(user__email=email).first()
        expert = expert or expert_create(email=email, name=name, password=DEMO_PASSWORD, role=role)
        expert.specialties, expert.rating = DEMO_PROFILES[email]
        expert.save(update_fields=["specialties", "rating"])
        return expert

    def _orders(self, experts: list[Expert]) -> None:
        User = get_user_model()
        expert = experts[1]
        offers = list(Offer.objects.active().order_by("level", "price_cents"))
        clients = [User.objects.get_or_create_client(email, full_name=name) for email, name in DEMO_CLIENTS]
        # Progress on stderr: stdout carries the logins, which `make demo` captures and prints in its banner.
        with command_progress(self.stderr, label="commandes de démo", total=len(OrderStatus), unit="commandes") as progress:
            for index, status in enumerate(OrderStatus):
                client = clients[index % len(clients)]
                order = services.order_create(
                    offer=offers[index % len(offers)], client=client, client_name=client.get_full_name(),
                    client_email=client.email, client_phone="+33 6 12 34 56 78",
                    intake=DEMO_INTAKES[index % len(DEMO_INTAKES)],
                )
                self._walk_to(order, status, expert)
                progress.advance()

    def _walk_to(self, order: Order, status: str, expert: Expert) -> None:
        S = OrderStatus
        actor = expert.user
        if status == S.PENDING:
            return
        if status == S.FAILED:
            services.order_mark_payment_failed(order_id=order.pk, error="Carte refusée (démo).")
            return
        if status == S.CANCELED:
            services.order_cancel(order_id=order.pk, note="Expirée (démo).")
            return
        services.order_mark_paid(order_id=order.pk, payment_intent_id=f"pi_demo_{order.number}")
        if status == S.PAID:
            return
        result = services.order_start_generation(
            order_id=order.pk, expert=expert, prompt="Lecture de démonstration.", actor=actor
        )
        if status == S.PROCESSING:
            return
        services.order_receive_content(
            order_id=order.pk, attempt_id=result.order.generation_attempt_id, content=DEMO_CONTENT
        )
        if status == S.AWAITING_VALIDATION:
            return
        # The audio of the demo's readings (level ≥ 2) follows from order_approved (sanctuaire.receivers).
        services.order_approve(order_id=order.pk, expert=expert, notes="Belle lecture.", actor=actor)
        if status == S.REFUNDED:
            services.order_refund(order_id=order.pk, note="Remboursement (démo).")
