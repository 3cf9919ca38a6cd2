"""The API test kit: declare an endpoint once and inherit its standard tests (netbox
``utilities/testing/api.py`` and ``query_counts.py``; CONVENTIONS "Tests": anonymous, another organisation,
wrong role, illegal transition, success, query-count bound).

A scoped viewset (``ScopedModelViewSet``/``ScopedReadOnlyViewSet``) gets a ``ScopedApiTests`` subclass::

    class TestWidgetApi(ScopedApiTests):
        url = "/api/v1/widgets/"                       # the list; the viewset is found by resolving it
        fields = {"id", "name", "status"}              # every key of a row and of the detail
        readers = (Role.CUSTOMS_OFFICER,)              # besides the owner's role, who sees it
        hidden_from = (Role.TAX_OFFICER,)              # besides another organisation, who must not (404)
        actions = (
            Action("send", roles=(Role.ENTERPRISE_ADMIN,), forbidden=(Role.CUSTOMS_OFFICER,),
                   illegal=sent, expect={"status": "SENT"}),
            Action("history", method="get", many=True, shape={"at", "verb"}),
        )

        def make(self, owner):                         # one object of owner's organisation, as users make it
            return services.widget_create(owner=owner.organisation, by=owner, name="w")

and, for every route of the viewset (list, detail, each declared action), the tests below; any other view
under ``/api/v1/`` (not scoped: ``me``, reference data) gets an ``EndpointTests`` subclass. Every route of
the viewset must be declared (``test_every_route_is_declared``), and ``tests/kit/test_coverage.py`` fails
while a viewset under ``/api/v1/`` has no kit test.

Objects are made in the owner's organisation by ``make(owner)`` (the owner holds ``owner_role``); an action's
``prepare(kit, obj)`` returns the object (or another one) in a state where the action is legal, ``illegal``
one where it is not (409). Users of other roles come from ``self.user(role)``: enterprise roles are staff of
the owner's organisation, other roles work for a government body of their kind.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pytest
from django.urls import resolve, reverse

from portal.choices import Role
from tests.kit.support import (
    ALL_ROLES,
    BAD_TOKEN,
    UNAUTHENTICATED,
    Cast,
    assert_error,
    assert_keys,
    assert_same_queries,
    body_of,
    client_as,
    footprint,
    queries,
    rows_of,
    token_client,
)

__all__ = ["ALL_ROLES", "Action", "EndpointTests", "ScopedApiTests"]

# The viewset methods DRF routes without an @action: (HTTP method, on the detail URL).
STANDARD = {
    "create": ("post", False),
    "update": ("put", True),
    "partial_update": ("patch", True),
    "destroy": ("delete", True),
}


@dataclass(frozen=True, eq=False)
class Action:
    """One route of a viewset besides list and detail: an ``@action`` (by its method name, e.g.
    ``return_for_correction``; a GET+POST action is declared once per method) or ``create``/``update``/
    ``partial_update``/``destroy``.

    ``roles`` succeed (default: the owner's role), ``forbidden`` roles see the object and get 403. ``data``:
    the input, a dict or ``callable(kit, obj)``. ``prepare(kit, obj)`` / ``illegal(kit, obj)``: the object
    (or another one) where the action is legal / not legal (409); a write with no illegal state says why in
    ``always_legal``. The answer: ``status``; ``content_type`` for a file; else ``shape`` (keys; default the
    object's detail keys), of each row when ``many``; ``expect``: values it must hold. ``kwargs(kit, obj)``:
    further URL parameters of an action whose path has them.
    """

    name: str
    method: str = "post"
    roles: tuple = ()
    forbidden: tuple = ()
    data: object = None
    format: str = "json"
    prepare: Callable | None = None
    illegal: Callable | None = None
    always_legal: str = ""
    status: int = 200
    shape: frozenset | None = None
    many: bool = False
    content_type: str = ""
    expect: dict = field(default_factory=dict)
    kwargs: Callable | None = None

    @property
    def writes(self) -> bool:
        return self.method != "get"


LIST = Action("list", method="get")
RETRIEVE = Action("retrieve", method="get")


def _ids(actions) -> list[str]:
    names = [a.name for a in actions]
    return [a.name if names.count(a.name) == 1 else f"{a.name}-{a.method}" for a in actions]


class _Kit:
    """Fixture and parametrisation shared by both bases (pytest calls a class's ``pytest_generate_tests``)."""

    urlconf: str | None = None  # a test-only URL configuration (the kit's own tests); default: the portal's
    owner_role = Role.ENTERPRISE_ADMIN

    @pytest.fixture(autouse=True)
    def _kit_cast(self, db, settings):
        if self.urlconf:
            settings.ROOT_URLCONF = self.urlconf
        self.cast = Cast(self.owner_role)

    @property
    def owner(self):
        return self.cast.owner

    def user(self, role):
        return self.cast.user(role)

    def pytest_generate_tests(self, metafunc):
        cases = self.cases().get(metafunc.function.__name__)
        if cases is not None:
            argnames, values, ids = cases
            metafunc.parametrize(argnames, values, ids=ids)

    def cases(self) -> dict:
        return {}


class ScopedApiTests(_Kit):
    """The standard tests of a scoped viewset; see the module's docstring."""

    url: str = ""
    fields: frozenset = frozenset()  # keys of a list row and of the detail
    detail_fields: frozenset | None = None  # when the detail says more than a row
    id_field = "id"  # the key carrying the object's lookup value
    readers: tuple = ()  # roles besides ``owner_role`` that list and read the object
    hidden_from: tuple = ()  # roles that must not find the object as ``make`` returns it (404 on every route)
    actions: tuple[Action, ...] = ()  # every route besides list and detail
    # Query counts: the list and the detail with N then 5N objects must run the same number of queries
    # (``query_slack`` more at most: document why where it is not 0), never more than ``max_queries``.
    query_rows = 2
    query_role = None  # who lists in the query-count tests (default: the owner)
    query_slack = 0
    max_queries = 10

    def make(self, owner):
        raise NotImplementedError("make(owner): one object owned by owner.organisation")

    def make_read(self, owner):
        """One object the ``readers`` see: ``make``'s unless they only see it later in its life (customs'
        officers see what was sent to customs, not an enterprise's drafts)."""
        return self.make(owner)

    def make_rows(self, n: int) -> list:
        """``n`` more objects that ``query_role`` sees (override when one owner cannot hold several)."""
        return [self.make(self.owner) for _ in range(n)]

    # --- the viewset, found from the URL ------------------------------------------------------------------
    @classmethod
    def resolved(cls):
        match = resolve(cls.url, urlconf=cls.urlconf)
        assert match.url_name.endswith("-list"), f"{cls.url} is not a router's list URL ({match.url_name})"
        return match.func.cls, match.namespace, match.url_name.removesuffix("-list")

    @classmethod
    def viewset(cls):
        return cls.resolved()[0]

    @classmethod
    def extra_actions(cls) -> dict:
        return {extra.__name__: extra for extra in cls.viewset().get_extra_actions()}

    @classmethod
    def is_detail(cls, action: Action) -> bool:
        if action.name in (LIST.name, RETRIEVE.name):
            return action is RETRIEVE
        if action.name in STANDARD:
            return STANDARD[action.name][1]
        return cls.extra_actions()[action.name].detail

    def cases(self) -> dict:
        labels = dict(zip(map(id, self.actions), _ids(self.actions), strict=True))
        label = lambda action: labels.get(id(action), action.name)  # noqa: E731
        pairs = lambda cases: [f"{label(a)}-{r}" for a, r in cases]  # noqa: E731
        routes = [LIST, RETRIEVE, *self.actions]
        on_object = [RETRIEVE, *(a for a in self.actions if self.is_detail(a))]
        succeed = [(a, str(r)) for a in self.actions for r in (a.roles or (self.owner_role,))]
        refused = [(a, str(r)) for a in self.actions for r in a.forbidden]
        illegal = [a for a in self.actions if a.illegal]
        readers = [str(r) for r in (self.owner_role, *self.readers)]
        return {
            "test_anonymous_is_refused": ("route", routes, [label(a) for a in routes]),
            "test_another_organisation_does_not_find_it": ("route", on_object, [label(a) for a in on_object]),
            "test_hidden_from_these_roles": ("role", [str(r) for r in self.hidden_from], None),
            "test_readers_list_and_read_it": ("role", readers, None),
            "test_action_succeeds": (("action", "role"), succeed, pairs(succeed)),
            "test_wrong_role_is_refused": (("action", "role"), refused, pairs(refused)),
            "test_illegal_transition_is_409": ("action", illegal, [label(a) for a in illegal]),
        }

    # --- requests -----------------------------------------------------------------------------------------
    @cached_property
    def lookup(self) -> str:
        return self.viewset().lookup_field

    def ident(self, obj):
        return getattr(obj, self.lookup)

    def detail_url(self, obj) -> str:
        return f"{self.url}{self.ident(obj)}/"

    def url_of(self, action: Action, obj) -> str:
        if action.name in ("list", "create"):
            return self.url
        if action.name in ("retrieve", *STANDARD):
            return self.detail_url(obj)
        viewset, namespace, basename = self.resolved()
        extra = self.extra_actions()[action.name]
        kwargs = action.kwargs(self, obj) if action.kwargs else {}
        if extra.detail:
            kwargs[viewset.lookup_url_kwarg or viewset.lookup_field] = self.ident(obj)
        name = f"{namespace}:{basename}-{extra.url_name}" if namespace else f"{basename}-{extra.url_name}"
        return reverse(name, kwargs=kwargs, urlconf=self.urlconf)

    def send(self, client, action: Action, obj):
        url = self.url_of(action, obj)
        if action.method == "get":
            return client.get(url)
        data = action.data(self, obj) if callable(action.data) else (action.data or {})
        return getattr(client, action.method)(url, data, format=action.format)

    def prepared(self, action: Action, role=None):
        """The object ``action`` is tried on: ``prepare``'s, else one that ``role`` sees."""
        if action.prepare:
            return action.prepare(self, self.make(self.owner))
        reader = role is not None and str(role) != str(self.owner_role) and role in map(str, self.readers)
        return self.make_read(self.owner) if reader else self.make(self.owner)

    def row_of(self, rows, obj):
        found = [row for row in rows if str(row.get(self.id_field)) == str(self.ident(obj))]
        return found[0] if found else None

    # --- the generated tests ------------------------------------------------------------------------------
    def test_every_route_is_declared(self):
        viewset = self.viewset()
        found = {(name, method) for name, (method, _) in STANDARD.items() if hasattr(viewset, name)}
        for extra in self.extra_actions().values():
            found |= {(extra.__name__, method) for method in extra.mapping}
        declared = [(a.name, a.method) for a in self.actions]
        assert len(set(declared)) == len(declared), f"declared twice: {declared}"
        assert set(declared) == found, (
            f"{viewset.__name__}: routes without a declared Action: {sorted(found - set(declared))}; "
            f"declared but not routed: {sorted(set(declared) - found)}"
        )
        for action in self.actions:
            assert not action.writes or action.illegal or action.always_legal, (
                f"{action.name}: a write declares illegal= (a state where it answers 409) or always_legal="
            )
        assert self.fields, "declare fields: the keys of a row and of the detail"

    def test_anonymous_is_refused(self, route):
        obj = self.make(self.owner)
        before = footprint(obj)
        response = self.send(client_as(None), route, obj)
        assert_error(response, (401, 403), UNAUTHENTICATED)
        assert footprint(obj) == before

    def test_a_made_up_token_is_refused(self):
        obj = self.make(self.owner)
        for url in (self.url, self.detail_url(obj)):
            assert_error(client_as(credentials=BAD_TOKEN).get(url), 401, "authentication_failed")

    def test_an_api_token_reaches_it(self):
        obj = self.make(self.owner)
        client = token_client(self.owner)
        assert self.row_of(rows_of(client.get(self.url).json()), obj) is not None, "not listed with a token"
        detail = client.get(self.detail_url(obj))
        assert detail.status_code == 200, f"detail with a token: {detail.status_code} {body_of(detail)}"

    def test_another_organisation_does_not_find_it(self, route):
        obj = self.prepared(route)
        before = footprint(obj)
        response = self.send(client_as(self.cast.stranger()), route, obj)
        assert_error(response, 404, "not_found")
        assert footprint(obj) == before, "a request that was not found changed something"

    def test_another_organisation_lists_and_counts_without_it(self):
        obj = self.make(self.owner)
        body = client_as(self.cast.stranger()).get(self.url, {"page_size": 500}).json()
        assert self.row_of(rows_of(body), obj) is None, "another organisation's list shows the object"
        assert body["count"] == len(body["results"]), "the count includes rows the caller cannot see"

    def test_a_user_of_no_organisation_finds_nothing(self):
        obj = self.make(self.owner)
        client = client_as(self.cast.loner())
        body = client.get(self.url).json()
        assert rows_of(body) == [] and body["count"] == 0, f"a user of no organisation sees {body['count']}"
        detail = client.get(self.detail_url(obj))
        assert detail.status_code == 404, f"a user of no organisation: {detail.status_code} on the detail"

    def test_hidden_from_these_roles(self, role):
        obj = self.make(self.owner)
        client = client_as(self.user(role))
        listed = rows_of(client.get(self.url, {"page_size": 500}).json())
        assert self.row_of(listed, obj) is None, f"{role} finds the object in the list"
        before = footprint(obj)
        for route in (RETRIEVE, *(a for a in self.actions if self.is_detail(a))):
            response = self.send(client, route, obj)
            assert response.status_code == 404, f"{route.name}: {response.status_code} {body_of(response)}"
        assert footprint(obj) == before

    def test_readers_list_and_read_it(self, role):
        obj = self.make_read(self.owner) if role != str(self.owner_role) else self.make(self.owner)
        client = client_as(self.user(role))
        listed = client.get(self.url, {"page_size": 500})
        assert listed.status_code == 200, body_of(listed)
        row = self.row_of(rows_of(listed.json()), obj)
        assert row is not None, f"{role} does not find the object in the list"
        assert_keys(row, self.fields, "list row")
        detail = client.get(self.detail_url(obj))
        assert detail.status_code == 200, body_of(detail)
        assert_keys(detail.json(), self.detail_fields or self.fields, "detail")
        assert str(detail.json()[self.id_field]) == str(self.ident(obj))

    def test_action_succeeds(self, action, role):
        obj = self.prepared(action, role)
        response = self.send(client_as(self.user(role)), action, obj)
        assert response.status_code == action.status, f"{response.status_code}: {body_of(response)}"
        if action.content_type:
            assert response["Content-Type"].startswith(action.content_type), response["Content-Type"]
            return
        body = response.json()
        shape = action.shape if action.shape is not None else (self.detail_fields or self.fields)
        if action.many:
            rows = rows_of(body)
            assert rows, f"{action.name}: no rows to check; let prepare= give the object some"
            for row in rows:
                assert_keys(row, shape, f"{action.name} row")
        else:
            assert_keys(body, shape, action.name)
        for key, value in action.expect.items():
            assert body[key] == value, f"{action.name}: {key} is {body[key]!r}, expected {value!r}"

    def test_wrong_role_is_refused(self, action, role):
        obj = self.prepared(action, role)
        before = footprint(obj)
        response = self.send(client_as(self.user(role)), action, obj)
        assert_error(response, 403, "permission_denied")
        assert footprint(obj) == before, "a refused request changed something"

    def test_illegal_transition_is_409(self, action):
        obj = action.illegal(self, self.make(self.owner))
        before = footprint(obj)
        response = self.send(client_as(self.user((action.roles or (self.owner_role,))[0])), action, obj)
        assert_error(response, 409, "transition_not_allowed")
        assert footprint(obj) == before, "a refused transition changed something"

    def test_list_queries_do_not_grow_with_rows(self):
        client = client_as(self.user(self.query_role or self.owner_role))
        n = self.query_rows
        self.make_rows(n)
        few, response = queries(client, self.url)
        assert response.json()["count"] == n, f"{n} rows made, {response.json()['count']} listed"
        self.make_rows(4 * n)
        many, response = queries(client, self.url)
        assert response.json()["count"] == 5 * n, f"{5 * n} rows made, {response.json()['count']} listed"
        assert_same_queries(few, many, slack=self.query_slack, ceiling=self.max_queries, what="list")

    def test_detail_queries_do_not_grow_with_rows(self):
        client = client_as(self.user(self.query_role or self.owner_role))
        target = self.make_rows(self.query_rows)[0]
        few, _ = queries(client, self.detail_url(target))
        self.make_rows(4 * self.query_rows)
        many, _ = queries(client, self.detail_url(target))
        assert_same_queries(few, many, slack=self.query_slack, ceiling=self.max_queries, what="detail")


class EndpointTests(_Kit):
    """The standard tests of an API view that is not scoped to an organisation (the caller's own profile,
    public reference data): anonymous and made-up tokens refused, each role's answer and its shape, roles
    refused with 403, an API token accepted, and queries that do not grow with the rows answered."""

    url: str = ""
    roles: tuple = ALL_ROLES
    forbidden: tuple = ()
    shape: frozenset = frozenset()  # keys of the answer, or of each row when the answer is a page
    query_rows = 2
    query_slack = 0
    max_queries = 10

    def make_rows(self, n: int) -> dict:
        """Add ``n`` rows the endpoint answers; return the query parameters that ask for them."""
        return {}

    def cases(self) -> dict:
        return {
            "test_each_role_gets_the_answer": ("role", [str(r) for r in self.roles], None),
            "test_wrong_role_is_refused": ("role", [str(r) for r in self.forbidden], None),
        }

    def check_answer(self, response) -> None:
        assert response.status_code == 200, f"{response.status_code}: {body_of(response)}"
        body = response.json()
        if isinstance(body, dict) and "results" in body:
            rows = rows_of(body)
            assert rows, "no rows to check the shape of: let make_rows add some"
            for row in rows:
                assert_keys(row, self.shape, "row")
        else:
            assert_keys(body, self.shape, "answer")

    def test_anonymous_is_refused(self):
        assert_error(client_as(None).get(self.url), (401, 403), UNAUTHENTICATED)

    def test_a_made_up_token_is_refused(self):
        assert_error(client_as(credentials=BAD_TOKEN).get(self.url), 401, "authentication_failed")

    def test_an_api_token_reaches_it(self):
        self.check_answer(token_client(self.owner).get(self.url, self.make_rows(1)))

    def test_each_role_gets_the_answer(self, role):
        self.check_answer(client_as(self.user(role)).get(self.url, self.make_rows(1)))

    def test_wrong_role_is_refused(self, role):
        assert_error(client_as(self.user(role)).get(self.url), 403, "permission_denied")

    def test_queries_do_not_grow_with_rows(self):
        client = client_as(self.owner)
        n = self.query_rows
        few, response = queries(client, self.url, self.make_rows(n))
        paged = "count" in response.json()
        assert not paged or response.json()["count"] == n
        many, response = queries(client, self.url, self.make_rows(4 * n))
        assert not paged or response.json()["count"] == 5 * n
        assert_same_queries(few, many, slack=self.query_slack, ceiling=self.max_queries, what=self.url)
