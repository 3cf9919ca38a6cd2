"""Pages of the monthly summaries, export declarations and their certificates (``/customs/summaries/``,
``/customs/declarations/``). Thin: reads through selectors and ``visible_to``, writes through services.

Previewing a month and sending a summary run on the worker (``customs.services.summary_jobs``): the page
starts the job and shows its progress (``SummaryJobView``, polled as JSON from ``SummaryJobProgressView``);
the summaries page and a summary's page show the month's unfinished job. Customs' answers arrive later
through the exchange and show on the summary's timeline.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from customs import certificate, summary_job_progress
from customs.forms import SummaryPreviewForm
from customs.models import ACTIVE_JOB, ExportDeclaration, InventoryList, SummaryDeclaration, SummaryJob
from customs.selectors.summaries import deadlines, summary_groups
from customs.services import summaries as services
from customs.services import summary_jobs
from customs.workflows import SUMMARY
from portal.choices import Role
from portal.models import Organisation
from portal.permissions import RoleRequiredMixin
from portal.views.scoped import run_service, scoped_object

ENTERPRISE = (Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_OPERATOR)
READERS = (*ENTERPRISE, Role.CUSTOMS_OFFICER)


def is_officer(user) -> bool:
    return user.is_superuser or user.has_perm("customs.view_all_documents")


def active_jobs(user, **filters) -> list[dict]:
    """The unfinished jobs the user may see (of one summary's month with ``filters``), with their progress."""
    jobs = SummaryJob.objects.visible_to(user).filter(status__in=ACTIVE_JOB, **filters).order_by("pk")
    return [{"job": job, "p": summary_job_progress.snapshot(job)} for job in jobs[:10]]


class DeadlinesView(RoleRequiredMixin, View):
    """Each month with closed lists on path B: how many still wait, the deadline, and whether it is near or
    past. An enterprise sees its own months; customs officers every enterprise's waiting months
    (``?overdue=1``: the overdue ones)."""

    required_roles = READERS

    def get(self, request):
        today = timezone.localdate()
        officer = is_officer(request.user)
        if officer:
            rows = deadlines(today=today, waiting_only=True)
            if request.GET.get("overdue"):
                rows = [r for r in rows if r.overdue(today)]
        else:
            rows = deadlines(owner=request.user.organisation, today=today)
        names = Organisation.objects.in_bulk({r.owner_id for r in rows}) if officer else {}
        shown = [
            {
                "row": r,
                "owner": names.get(r.owner_id),
                "days_left": r.days_left(today),
                "overdue": r.overdue(today),
                "due_soon": r.due_soon(today),
            }
            for r in rows
        ]
        context = {
            "rows": shown,
            "today": today,
            "officer": officer,
            "only_overdue": bool(request.GET.get("overdue")),
        }
        return render(request, "customs/summaries/deadlines.html", context)


class SummariesView(RoleRequiredMixin, View):
    """The enterprise's summaries by month, and the form that previews a month."""

    required_roles = READERS

    def _page(self, request, form):
        summaries = SummaryDeclaration.objects.visible_to(request.user).order_by("-period", "-id")
        page = Paginator(summaries, 25).get_page(request.GET.get("page"))
        return render(
            request,
            "customs/summaries/list.html",
            {
                "page_obj": page,
                "form": form,
                "may_file": not is_officer(request.user),
                "jobs": active_jobs(request.user) if not is_officer(request.user) else [],
            },
        )

    def get(self, request):
        return self._page(request, SummaryPreviewForm(initial={"month": request.GET.get("month", "")}))

    def post(self, request):
        if is_officer(request.user):
            return self._page(request, SummaryPreviewForm())
        form = SummaryPreviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            job = run_service(
                request,
                summary_jobs.summary_preview_start,
                form=form,
                consignor=request.user.organisation,
                month=data["month"],
                by=request.user,
                summary_flag=data["summary_flag"],
                item_name_flag=data["item_name_flag"],
            )
            if job:
                return redirect("customs:summary-job", pk=job.pk)
        return self._page(request, form)


class SummaryView(RoleRequiredMixin, View):
    """One summary: its totals, the declarations its lists form (grouped by the database), customs'
    declarations once formed, the actions its state allows, and its timeline."""

    required_roles = READERS

    def get(self, request, pk):
        summary = scoped_object(request, SummaryDeclaration, pk)
        groups = summary_groups(summary)
        return render(
            request,
            "customs/summaries/detail.html",
            {
                "summary": summary,
                "groups": groups,
                "declarations": summary.declarations.order_by("seq", "pk"),
                "allowed": set(SUMMARY.allowed(summary.status)) if not is_officer(request.user) else set(),
                "jobs": active_jobs(request.user, owner_id=summary.owner_id, period=summary.period),
            },
        )


class SummaryActionView(RoleRequiredMixin, View):
    """``submit`` queues the summary's sending and shows the job; ``discard`` throws the preview away."""

    required_roles = ENTERPRISE

    def post(self, request, pk, verb):
        if verb not in ("submit", "discard"):
            raise Http404
        summary = scoped_object(request, SummaryDeclaration, pk)
        if verb == "discard":
            done = _("The preview was discarded.")
            run_service(request, services.summary_discard, success=done, summary=summary, by=request.user)
            return redirect("customs:summary", pk=summary.pk)
        job = run_service(request, summary_jobs.summary_submit_start, summary=summary, by=request.user)
        if job:
            return redirect("customs:summary-job", pk=job.pk)
        return redirect("customs:summary", pk=summary.pk)


class SummaryJobView(RoleRequiredMixin, View):
    """One preview or submission job: its progress (polled while it runs), its outcome or its failure."""

    required_roles = READERS

    def get(self, request, pk):
        job = scoped_object(request, SummaryJob, pk)
        return render(
            request, "customs/summaries/job.html", {"job": job, "p": summary_job_progress.snapshot(job)}
        )


@method_decorator(never_cache, name="dispatch")
class SummaryJobProgressView(RoleRequiredMixin, View):
    """``{percent, state, phase, message, done, rows_done, rows_total, result_url}`` for the page's progress
    element (portal.js); ``rows_done`` of ``rows_total`` lists within a long step (null otherwise)."""

    required_roles = READERS

    def get(self, request, pk):
        job = scoped_object(request, SummaryJob, pk)
        snap = summary_job_progress.snapshot(job)
        result_url = None
        if job.status == "SUCCEEDED" and job.summary_id:
            result_url = reverse("customs:summary", args=[job.summary_id])
        return JsonResponse(
            {
                "percent": snap["percent"],
                "state": job.status,
                "phase": snap["phase"],
                "message": snap["text"],
                "done": snap["finished"],
                "rows_done": snap["done"],
                "rows_total": snap["total"],
                "result_url": result_url,
            }
        )


class DeclarationsView(RoleRequiredMixin, View):
    """Export declarations customs formed, newest first."""

    required_roles = READERS

    def get(self, request):
        declarations = ExportDeclaration.objects.visible_to(request.user).order_by("-id")
        page = Paginator(declarations, 25).get_page(request.GET.get("page"))
        return render(request, "customs/declarations/list.html", {"page_obj": page})


class DeclarationView(RoleRequiredMixin, View):
    """One export declaration: its data, items and the lists it covers; the certificate when issued."""

    required_roles = READERS

    def get(self, request, pk):
        declaration = scoped_object(request, ExportDeclaration, pk, select_related=("owner", "summary"))
        lists = InventoryList.objects.filter(declaration=declaration).order_by("pk")
        page = Paginator(
            lists.only("pk", "invt_no", "logistics_no", "closed_at", "total_value", "currency"), 50
        )
        return render(
            request,
            "customs/declarations/detail.html",
            {
                "declaration": declaration,
                "items": declaration.items.all(),
                "lists": page.get_page(request.GET.get("page")),
            },
        )


class CertificateView(RoleRequiredMixin, View):
    """The certificate (报关单证明联): the electronic data page, or the printable PDF (``?format=pdf``)."""

    required_roles = READERS

    def get(self, request, pk):
        declaration = scoped_object(request, ExportDeclaration, pk, select_related=("owner", "summary"))
        if declaration.certificate_issued_at is None:
            raise Http404
        if request.GET.get("format") == "pdf":
            response = HttpResponse(certificate.render(declaration), content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="declaration-{declaration.entry_id}.pdf"'
            return response
        return render(
            request,
            "customs/declarations/certificate.html",
            {"declaration": declaration, "items": declaration.items.all()},
        )
