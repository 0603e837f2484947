from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from lumira.jwt_keys import install

        install()  # API tokens verified with SECRET_KEY_FALLBACKS too (a key rotation keeps sessions alive)
