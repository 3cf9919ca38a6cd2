"""What the kit's generated tests share: users per role, clients, the error body, footprints, query counts."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from exchange.models import Message
from portal.choices import ROLES_OF_KIND, OrganisationKind, Role
from portal.models import AuditEvent, Notification
from portal.services.tokens import token_create
from tests import factories

ERROR_KEYS = {"code", "message", "field", "errors"}
UNAUTHENTICATED = {"not_authenticated", "authentication_failed"}
ENTERPRISE_ROLES = frozenset(ROLES_OF_KIND[OrganisationKind.ENTERPRISE])
KIND_OF_ROLE = {role: kind for kind, roles in ROLES_OF_KIND.items() for role in roles}
ALL_ROLES = tuple(Role)
# A made-up credential: the token authentication must refuse it (401), never fall through to anonymous.
BAD_TOKEN = "Token " + "0" * 40


class Cast:
    """The people of one generated test: the owner's organisation and one user per role, made on demand.

    Enterprise roles are staff of the owner's organisation; every other role works for a government body
    of its kind (one per kind). ``stranger()`` is the owner's counterpart in another organisation.
    """

    def __init__(self, owner_role: str):
        self.owner_role = str(owner_role)
        self.owner = self._make(self.owner_role, organisation=self._organisation(self.owner_role, "OWNER"))
        self._users = {self.owner_role: self.owner}
        self._stranger = None

    def user(self, role: str):
        role = str(role)
        if role not in self._users:
            org = self.owner.organisation if role in ENTERPRISE_ROLES else self._organisation(role, "KIT")
            self._users[role] = self._make(role, organisation=org)
        return self._users[role]

    def stranger(self):
        if self._stranger is None:
            org = self._organisation(self.owner_role, "OTHER")
            self._stranger = self._make(self.owner_role, organisation=org)
        return self._stranger

    def loner(self):
        """A signed-in user of no organisation and no role (an account whose organisation was never set)."""
        return factories.UserFactory(organisation=None)

    @staticmethod
    def _organisation(role: str, tag: str):
        kind = KIND_OF_ROLE[Role(role)]
        if kind == OrganisationKind.ENTERPRISE:
            return factories.EnterpriseFactory()
        return factories.GovernmentFactory(kind=kind, code=f"{tag}-{kind}", name_cn=f"{tag}-{kind}")

    @staticmethod
    def _make(role: str, *, organisation):
        return factories.UserFactory(organisation=organisation, role=role)


def client_as(user=None, *, credentials: str = "") -> APIClient:
    """Forced authentication as ``user`` (session-less), or none; ``credentials`` sets an Authorization."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user=user)
    if credentials:
        client.credentials(HTTP_AUTHORIZATION=credentials)
    return client


def token_client(user) -> APIClient:
    """A client that authenticates as an ERP does: a real API token in the Authorization header."""
    _, raw = token_create(user=user, name="kit")
    return client_as(credentials=f"Token {raw}")


def body_of(response):
    try:
        return response.json()
    except ValueError:
        return response.content[:300]


def assert_error(response, status, codes) -> dict:
    """The portal's error body (``portal.api.errors``) with one of ``codes`` (a str or a set)."""
    codes = {codes} if isinstance(codes, str) else set(codes)
    statuses = {status} if isinstance(status, int) else set(status)
    body = body_of(response)
    assert response.status_code in statuses, f"expected {sorted(statuses)}: {response.status_code} {body}"
    assert isinstance(body, dict) and set(body) == ERROR_KEYS, f"not the error body: {body}"
    assert body["code"] in codes, f"expected code {sorted(codes)}, got {body['code']!r}: {body['message']}"
    return body


def assert_keys(data, keys, what: str) -> None:
    assert isinstance(data, dict), f"{what}: expected an object, got {data!r:.200}"
    missing, extra = set(keys) - set(data), set(data) - set(keys)
    assert not (missing or extra), f"{what}: missing {sorted(missing)}, unexpected {sorted(extra)}"


def rows_of(body) -> list:
    """The rows of a list answer: a page's ``results`` or a plain list."""
    if isinstance(body, dict):
        assert {"count", "next", "previous", "results"} <= set(body), f"not a page: {sorted(body)}"
        return body["results"]
    assert isinstance(body, list), f"expected a list or a page, got {body!r:.200}"
    return body


def footprint(obj=None) -> tuple:
    """What a refused request must leave as it was: the object's row, audit trail, inbox and outbox."""
    row = None
    if obj is not None:
        row = type(obj)._base_manager.filter(pk=obj.pk).values().first()
    return row, AuditEvent.objects.count(), Notification.objects.count(), Message.objects.count()


def queries(client, url, params=None) -> tuple[list[str], object]:
    """The SQL of one GET, after a first one has warmed the per-process caches (permissions, content types)
    as any client's second request finds them."""
    client.get(url, params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, f"GET {url}: {response.status_code} {body_of(response)}"
    return [q["sql"] for q in ctx.captured_queries], response


def assert_same_queries(few: list[str], many: list[str], *, slack: int, ceiling: int, what: str) -> None:
    extra = len(many) - len(few)
    new = "\n".join(sql for sql in many if sql not in few)[:3000]
    assert extra <= slack, f"{what}: {len(few)} queries for few rows, {len(many)} for more:\n{new}"
    assert len(many) <= ceiling, f"{what}: {len(many)} queries (at most {ceiling}):\n" + "\n".join(many)
