"""Seller authorisations: the services (grant, revoke, audited, periods), the page for the seller and the
agent, the API (kit tests), and revocation taking effect at once."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from customs import services
from customs.choices import DocumentType
from customs.models import InventoryList, SellerAuthorisation
from customs.services.authorisations import authorisation_grant, authorisation_revoke, state_of
from portal.choices import Role
from portal.models import AuditEvent
from portal.statemachine import TransitionNotAllowed
from registration.choices import EntityType, Subtype
from tests.customs.builders import item, list_head
from tests.customs.parties import enterprise, user_of
from tests.kit.api import Action, ScopedApiTests

pytestmark = pytest.mark.django_db
_codes = itertools.count(1)


def agent_enterprise():
    return enterprise(
        f"33019{next(_codes):05d}",
        entity_type=EntityType.SERVICE,
        subtype=Subtype.CUSTOMS_BROKER,
        name="代理",
    )


# --- services -----
def test_grant_writes_one_audited_row_per_kind(seller_user, broker):
    made = authorisation_grant(
        seller=seller_user.organisation,
        by=seller_user,
        agent_code=broker.code,
        document_types=[DocumentType.INVENTORY, DocumentType.CANCELLATION],
        valid_until=date(2099, 12, 31),
    )
    assert sorted(a.document_type for a in made) == ["CANCELLATION", "INVENTORY"]
    assert all(state_of(a) == "in_force" for a in made)
    assert made[0].valid_until.date() == date(2100, 1, 1)  # through the end of the day given
    for a in made:
        assert AuditEvent.objects.for_object(a).filter(verb="create").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"agent_code": ""}, "agent_code"),
        ({"agent_code": "91330100MA2XXXXX0X"}, "agent_code"),
        ({"document_types": []}, "document_types"),
        ({"document_types": ["NOPE"]}, "document_types"),
        ({"valid_from": date(2099, 5, 1), "valid_until": date(2099, 4, 1)}, "valid_until"),
    ],
)
def test_bad_grants_are_refused_by_field_and_save_nothing(seller_user, broker, change, field):
    args = {"agent_code": broker.code, "document_types": [DocumentType.INVENTORY], **change}
    with pytest.raises(ValidationError) as excinfo:
        authorisation_grant(seller=seller_user.organisation, by=seller_user, **args)
    assert field in excinfo.value.error_dict
    assert not SellerAuthorisation.objects.exists()


def test_the_seller_itself_an_unqualified_enterprise_and_a_second_grant_are_refused(seller_user, broker):
    seller = seller_user.organisation
    plain = enterprise("3301960055")  # an application enterprise, not a service enterprise
    for code in (seller.code, plain.code):
        with pytest.raises(ValidationError):
            authorisation_grant(seller=seller, by=seller_user, agent_code=code, document_types=["ORDER"])
    authorisation_grant(seller=seller, by=seller_user, agent_code=broker.code, document_types=["ORDER"])
    with pytest.raises(ValidationError) as excinfo:
        authorisation_grant(seller=seller, by=seller_user, agent_code=broker.code, document_types=["ORDER"])
    assert "document_types" in excinfo.value.error_dict
    assert SellerAuthorisation.objects.count() == 1


def test_only_the_sellers_people_grant_and_revoke(seller_user, broker):
    outsider = user_of(broker)
    with pytest.raises(PermissionDenied):
        authorisation_grant(
            seller=seller_user.organisation, by=outsider, agent_code=broker.code, document_types=["ORDER"]
        )
    (made,) = authorisation_grant(
        seller=seller_user.organisation, by=seller_user, agent_code=broker.code, document_types=["ORDER"]
    )
    with pytest.raises(PermissionDenied):
        authorisation_revoke(authorisation=made, by=outsider)


def test_revocation_takes_effect_at_once(seller, seller_user, broker):
    agent_user = user_of(broker)
    (made,) = authorisation_grant(
        seller=seller, by=seller_user, agent_code=broker.code, document_types=[DocumentType.INVENTORY]
    )
    first = services.list_create(
        owner=seller, by=agent_user, head=list_head(agent_code="", agent_name=""), items=[item()]
    )
    assert InventoryList.objects.visible_to(agent_user).filter(pk=first.pk).exists()
    authorisation_revoke(authorisation=made, by=seller_user, reason="合同到期")
    assert state_of(made) == "revoked"
    event = AuditEvent.objects.for_object(made).get(verb="transition")
    assert (event.from_state, event.to_state, event.reason) == ("in_force", "revoked", "合同到期")
    with pytest.raises(PermissionDenied):
        services.list_create(
            owner=seller,
            by=agent_user,
            head=list_head(cop_no="COP-2", order_no="SO-2", agent_code=""),
            items=[item()],
        )
    assert not InventoryList.objects.visible_to(agent_user).exists()
    with pytest.raises(TransitionNotAllowed):
        authorisation_revoke(authorisation=made, by=seller_user)


def test_an_expired_authorisation_cannot_be_revoked_and_lets_nothing_through(
    seller, seller_user, broker, clock
):
    clock("2026-03-02 10:00")
    (made,) = authorisation_grant(
        seller=seller,
        by=seller_user,
        agent_code=broker.code,
        document_types=[DocumentType.INVENTORY],
        valid_until=date(2026, 3, 10),
    )
    clock("2026-03-11 00:00")
    assert state_of(made) == "expired"
    with pytest.raises(TransitionNotAllowed):
        authorisation_revoke(authorisation=made, by=seller_user)
    with pytest.raises(PermissionDenied):
        services.list_create(
            owner=seller, by=user_of(broker), head=list_head(agent_code="", agent_name=""), items=[item()]
        )


# --- pages -----
def test_the_seller_grants_and_revokes_on_the_page_and_the_agent_sees_it(client, seller, seller_user, broker):
    client.force_login(seller_user)
    url = reverse("customs:authorisations")
    response = client.post(url, {"agent_code": broker.code, "document_types": ["INVENTORY", "ORDER"]})
    assert response.status_code == 302
    assert SellerAuthorisation.objects.filter(seller=seller, agent=broker).count() == 2
    response = client.post(url, {"agent_code": "", "document_types": ["INVENTORY"]})
    assert response.status_code == 200 and response.context["form"].errors["agent_code"]
    agent_client = client_class_for(broker)
    page = agent_client.get(url)
    assert [a.seller_id for a, *_ in page.context["received"]] == [seller.pk, seller.pk]
    made = SellerAuthorisation.objects.filter(document_type="INVENTORY").get()
    client.post(reverse("customs:authorisation-revoke", args=[made.pk]), {"reason": "停止合作"})
    made.refresh_from_db()
    assert made.revoked_at is not None and made.revoke_reason == "停止合作"
    states = {a.document_type: s for a, s, _label in agent_client.get(url).context["received"]}
    assert states == {"INVENTORY": "revoked", "ORDER": "in_force"}


def client_class_for(org):
    from django.test import Client

    c = Client()
    c.force_login(user_of(org))
    return c


def test_operators_read_but_do_not_grant_and_strangers_cannot_revoke(client, seller, seller_user, broker):
    operator = user_of(seller, role=Role.ENTERPRISE_OPERATOR)
    client.force_login(operator)
    url = reverse("customs:authorisations")
    assert client.get(url).status_code == 200
    assert client.post(url, {"agent_code": broker.code, "document_types": ["ORDER"]}).status_code == 403
    (made,) = authorisation_grant(
        seller=seller, by=seller_user, agent_code=broker.code, document_types=["ORDER"]
    )
    client.force_login(user_of(enterprise("3301960044")))
    assert client.post(reverse("customs:authorisation-revoke", args=[made.pk])).status_code == 404
    made.refresh_from_db()
    assert made.revoked_at is None


# --- API -----
FIELDS = frozenset(
    {
        "id",
        "seller",
        "seller_name",
        "seller_code",
        "agent",
        "agent_name",
        "agent_code",
        "document_type",
        "document_type_label",
        "valid_from",
        "valid_until",
        "revoked_at",
        "revoke_reason",
        "state",
        "state_label",
    }
)


def revoked(kit, authorisation):
    return authorisation_revoke(authorisation=authorisation, by=kit.owner)


class TestAuthorisationsApi(ScopedApiTests):
    url = "/api/v1/customs/authorisations/"
    fields = FIELDS
    readers = (Role.ENTERPRISE_OPERATOR, Role.CUSTOMS_OFFICER)
    hidden_from = (Role.TAX_OFFICER,)
    actions = (
        Action(
            "create",
            data=lambda kit, obj: {
                "agent_code": agent_enterprise().code,
                "document_types": ["ORDER", "PAYMENT"],
            },
            status=201,
            many=True,
            roles=(Role.ENTERPRISE_ADMIN,),
            forbidden=(Role.ENTERPRISE_OPERATOR, Role.CUSTOMS_OFFICER),
            always_legal="a new authorisation has no state before it",
        ),
        Action(
            "revoke",
            data={"reason": "合同到期"},
            roles=(Role.ENTERPRISE_ADMIN,),
            forbidden=(Role.ENTERPRISE_OPERATOR, Role.CUSTOMS_OFFICER),
            illegal=revoked,
            expect={"state": "revoked", "revoke_reason": "合同到期"},
        ),
    )

    def make(self, owner):
        (made,) = authorisation_grant(
            seller=owner.organisation,
            by=owner,
            agent_code=agent_enterprise().code,
            document_types=[DocumentType.INVENTORY],
            valid_from=timezone.now() - timedelta(minutes=1),
        )
        return made


def test_the_api_refuses_a_bad_grant_by_field(api_as, seller_user):
    response = api_as(seller_user).post(
        "/api/v1/customs/authorisations/", {"agent_code": "", "document_types": ["ORDER"]}, format="json"
    )
    assert response.status_code == 400
    assert not SellerAuthorisation.objects.exists()


def test_the_agent_lists_the_authorisations_it_holds(api_as, seller, seller_user, broker):
    authorisation_grant(seller=seller, by=seller_user, agent_code=broker.code, document_types=["INVENTORY"])
    body = api_as(user_of(broker)).get("/api/v1/customs/authorisations/").json()
    assert [(r["seller"], r["state"]) for r in body["results"]] == [(seller.pk, "in_force")]
