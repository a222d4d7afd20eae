"""Named personas for the rights tests, and the records they meet.

- **anna_biom_manager** manages BioM (organisation A), in the "Cluster managers" group;
- **kenji_osaka_manager** manages Osaka Bio Headquarters (B), BioM's partner on a signed but
  unpublished agreement;
- **stranger_manager** manages an unrelated organisation (C): BioM's and Osaka's draft work is
  none of his business;
- **tomoko_biom_translator** translates for BioM: in the "Translators" group, linked to BioM
  like a manager, she may change the texts of BioM's records and nothing else (core/access.py
  ``may_change_field``);
- **lena_biom_no_group** is linked to BioM but holds no permission (not in the group);
- **nopermission_staff** is staff without any permission or organisation;
- **admin_administrator** is a portal administrator (the group, not a superuser);
- **anonymous** is not logged in.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.access import ADMINISTRATORS_GROUP, MANAGERS_GROUP, TRANSLATORS_GROUP
from core.models import UserPreference
from organizations.models import ClusterManager, Visibility
from partnerships.models import Agreement, Reminder
from portal.roles import setup_roles
from tests import factories
from tests.uploads import PDF

MANAGERS = ("anna_biom_manager", "kenji_osaka_manager", "stranger_manager")
PERSONAS = (
    "anonymous",
    "nopermission_staff",
    "lena_biom_no_group",
    *MANAGERS,
    "tomoko_biom_translator",
    "admin_administrator",
)


@dataclass
class Cast:
    users: dict
    records: dict


def build_cast() -> Cast:
    setup_roles()
    managers = Group.objects.get(name=MANAGERS_GROUP)
    administrators = Group.objects.get(name=ADMINISTRATORS_GROUP)
    translators = Group.objects.get(name=TRANSLATORS_GROUP)
    biom = factories.OrganizationFactory(name="BioM Test", short_name="BioM")
    osaka = factories.OrganizationFactory(name="Osaka Bio Test", short_name="OBHQ")
    other = factories.OrganizationFactory(name="Stranger Cluster")

    User = get_user_model()
    users: dict = {"anonymous": None}
    for name, groups, organization in (
        ("anna_biom_manager", [managers], biom),
        ("kenji_osaka_manager", [managers], osaka),
        ("stranger_manager", [managers], other),
        ("tomoko_biom_translator", [translators], biom),
        ("lena_biom_no_group", [], biom),
        ("nopermission_staff", [], None),
        ("admin_administrator", [administrators], None),
    ):
        user = User.objects.create_user(name, is_staff=True)
        user.groups.set(groups)
        if organization is not None:
            ClusterManager.objects.create(user=user, organization=organization)
        users[name] = user

    # BioM's own person and non-public contact point.
    person = factories.PersonFactory(given_name="Anna", family_name="Signer")
    affiliation = factories.AffiliationFactory(
        person=person, organization=biom, visibility=Visibility.HIDDEN
    )
    event = factories.EventFactory(name="BioM partnering day", organizer=biom)
    # Signed by BioM and Osaka, not published.
    agreement = factories.AgreementFactory(title="BioM–Osaka draft", publication="draft")
    party = factories.AgreementPartyFactory(agreement=agreement, organization=biom)
    factories.AgreementPartyFactory(agreement=agreement, organization=osaka)
    signing = factories.SigningEventFactory(agreement=agreement, occasion=event)
    document = factories.DocumentFactory(
        agreement=agreement, is_public=False, url="", file=ContentFile(PDF, name="draft.pdf")
    )
    # BioM's own partners-only activity under the agreement, with an uploaded evidence file.
    commitment = factories.CommitmentFactory(agreement=agreement)
    activity = factories.ActivityFactory(
        agreement=agreement,
        visibility="partners",
        evidence_file=ContentFile(PDF, name="evidence.pdf"),
    )
    activity.parties.set([party])
    activity.commitments.set([commitment])
    records = {
        "organizations.region": biom.region,
        "organizations.focusarea": factories.FocusAreaFactory(),
        "organizations.organization": biom,
        "organizations.person": person,
        "organizations.affiliation": affiliation,
        "organizations.clustermanager": ClusterManager.objects.get(user=users["anna_biom_manager"]),
        "partnerships.event": event,
        "partnerships.agreement": agreement,
        "partnerships.agreementparty": party,
        "partnerships.cooperationarea": factories.CooperationAreaFactory(agreement=agreement),
        "partnerships.signingevent": signing,
        "partnerships.signature": factories.SignatureFactory(
            signing_event=signing, person=person, party=party
        ),
        "partnerships.attendance": factories.AttendanceFactory(signing_event=signing),
        "partnerships.statement": factories.StatementFactory(
            agreement=agreement, person=person, organization=biom
        ),
        "partnerships.agreementcontact": factories.AgreementContactFactory(
            agreement=agreement, party=party, affiliation=affiliation
        ),
        "partnerships.document": document,
        "partnerships.commitment": commitment,
        "partnerships.activity": activity,
        # A renewal reminder Anna was sent about the BioM–Osaka agreement.
        "partnerships.reminder": Reminder.objects.create(
            agreement=cast(Agreement, agreement),
            kind=Reminder.Kind.NOTICE_DEADLINE,
            deadline=datetime.date(2030, 5, 1),
            lead_months=6,
            recipient=users["anna_biom_manager"],
            email="anna@example.org",
            language="de",
            subject="Kündigungsfrist in 6 Monaten",
            status=Reminder.Status.SENT,
            run=uuid.uuid4(),
        ),
        "core.userpreference": UserPreference.objects.create(
            user=users["kenji_osaka_manager"], language="ja"
        ),
        "auth.user": users["anna_biom_manager"],
        "auth.group": managers,
        "otp_totp.totpdevice": TOTPDevice.objects.create(
            user=users["admin_administrator"], name="app", confirmed=False
        ),
        "organizations": {"biom": biom, "osaka": osaka, "other": other},
    }
    return Cast(users=users, records=records)
