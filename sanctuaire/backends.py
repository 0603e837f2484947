from sesame.backends import ModelBackend


class ClientMagicLinkBackend(ModelBackend):
    """django-sesame's backend, limited to clients.

    Staff and experts sign in with a password; a magic link (only as safe as a mailbox) must never open
    the admin or the desk.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not user.is_staff
