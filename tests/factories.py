"""Factories for tests: objects in a valid state, built without fixture files."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from partnerops.core.models import User
from partnerops.crm.models import Contact, Engagement, Organization, OrganizationKind
from partnerops.crm.states import Phase, Status

TEST_PASSWORD = "correct horse battery staple"
# Hashing with Argon2 is deliberately slow; hash the shared test password once.
_TEST_PASSWORD_HASH = make_password(TEST_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = _TEST_PASSWORD_HASH

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for role in extracted or ():
            group, _ = Group.objects.get_or_create(name=str(role))
            self.groups.add(group)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Community {n}")
    kind = OrganizationKind.COMMUNITY
    country = "US"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.edu")


class EngagementFactory(factory.django.DjangoModelFactory):
    """An engagement row as stored; use the services to get its milestones too."""

    class Meta:
        model = Engagement

    organization = factory.SubFactory(OrganizationFactory)
    title = "Managed hub service"
    phase = Phase.LEAD
    status = Status.ACTIVE_LEAD
    phase_since = factory.LazyFunction(timezone.now)
    status_since = factory.LazyFunction(timezone.now)


def prospect(actor: Any, name: str = "Pacific Islands Climate School") -> Engagement:
    """An engagement moved, through the services, to Prospect (after a verbal close)."""
    from partnerops.crm import services

    organization = services.organization_create(actor=actor, name=name)
    services.contact_create(
        actor=actor,
        organization=organization,
        name="Rep",
        email=f"rep@{name.split()[0].lower()}.example.edu",
        is_community_representative=True,
        is_billing_contact=True,
    )
    engagement = services.engagement_create(actor=actor, organization=organization, owner=actor)
    services.engagement_move(actor=actor, engagement=engagement, phase=Phase.QUALIFIED_LEAD)
    services.engagement_move(actor=actor, engagement=engagement, phase=Phase.PROSPECT)
    return engagement
