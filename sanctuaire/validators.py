import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone


def birth_date_validate(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise ValidationError("La date de naissance ne peut pas être dans le futur.", code="future")
    if value.year < 1900:
        raise ValidationError("Vérifiez l'année de naissance.", code="too_old")
    return value
