"""The shell's own API through the kit (tests/kit/api.py): the inbox, the caller, import jobs."""

from portal.choices import Role
from portal.services.notifications import notify
from tests import factories
from tests.intake.helpers import good_rows, run, start, xlsx
from tests.kit.api import Action, EndpointTests, ScopedApiTests

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TestNotificationsApi(ScopedApiTests):
    url = "/api/v1/notifications/"
    fields = {"id", "verb", "title", "body", "count", "url", "created_at", "read_at"}
    # The inbox is the recipient's own: a colleague in the same organisation does not find it either.
    hidden_from = (Role.ENTERPRISE_OPERATOR, Role.SYSTEM_ADMIN)
    max_queries = 6  # count, page and the caller's permissions: nothing per row
    actions = (
        Action(
            "mark_read",
            shape={"marked"},
            expect={"marked": 1},
            always_legal="marking a read notification again marks nothing (marked: 0)",
        ),
    )

    def make(self, owner):
        (row,) = notify(recipients=[owner], verb="kit.test", title="A notice", url="/inbox/", email=False)
        return row


class TestMeApi(EndpointTests):
    url = "/api/v1/me/"
    shape = {"username", "full_name", "email", "language", "roles", "organisation"}

    def make_rows(self, n):
        """Colleagues: the answer is the caller alone, however many people share the organisation."""
        for _ in range(n):
            factories.UserFactory(organisation=self.owner.organisation, role=Role.ENTERPRISE_OPERATOR)
        return {}


def _rejected(owner):
    """A job refused whole: one bad cell, so it has problems and an error workbook."""
    rows = good_rows(2)
    rows[0][1] = "x"
    return run(owner, xlsx(rows))


def _queued(kit, job):
    return start(kit.owner, xlsx(good_rows(1)))


class TestImportJobsApi(ScopedApiTests):
    url = "/api/v1/imports/"
    fields = {
        "id", "kind", "on_behalf_of", "file_name", "file_format", "size", "sha256", "status",
        "status_display", "progress", "counts", "problem_count", "message", "created_at", "started_at",
        "finished_at", "links",
    }  # fmt: skip
    readers = (Role.ENTERPRISE_OPERATOR, Role.SYSTEM_ADMIN)
    hidden_from = (Role.CUSTOMS_OFFICER,)
    max_queries = 6  # count, page and the caller's permissions: progress is read from the cache
    actions = (
        Action(
            "problems",
            method="get",
            many=True,
            shape={"row", "column", "column_header", "code", "message", "params"},
            roles=(Role.ENTERPRISE_ADMIN, Role.SYSTEM_ADMIN),
        ),
        Action("error_workbook", method="get", content_type=XLSX),
        Action(
            "cancel",
            roles=(Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR),
            # The operator sees every organisation's imports; cancelling one is the organisation's to do.
            forbidden=(Role.SYSTEM_ADMIN,),
            prepare=_queued,
            illegal=lambda kit, job: job,  # refused already: nothing left to cancel
            expect={"status": "CANCELLED"},
        ),
    )

    def make(self, owner):
        return _rejected(owner)
