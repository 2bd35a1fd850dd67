from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse


class User(AbstractUser):
    """An account. Pending until approved: only approved members read what is
    *Collective only*."""

    organisation = models.CharField(max_length=200, blank=True)
    is_approved = models.BooleanField(
        "approved member",
        default=False,
        help_text="Approved members can read Collective-only stories.",
    )

    @property
    def is_collective_member(self):
        return self.is_active and self.is_approved


class State(models.TextChoices):
    ACT = "ACT", "Australian Capital Territory"
    NSW = "NSW", "New South Wales"
    NT = "NT", "Northern Territory"
    QLD = "QLD", "Queensland"
    SA = "SA", "South Australia"
    TAS = "TAS", "Tasmania"
    VIC = "VIC", "Victoria"
    WA = "WA", "Western Australia"
    OUTSIDE = "OS", "Outside Australia"


class Community(models.Model):
    """A place-based collaboration with its own backbone team."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(
        "state or territory", max_length=3, choices=State, db_index=True
    )
    place = models.CharField(max_length=150, help_text="Town, suburb or region.")
    backbone_organisation = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    is_demo = models.BooleanField(
        "demo content", default=False, help_text="Made up for the demo; not real."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "communities"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="community_state_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", kwargs={"slug": self.slug})
