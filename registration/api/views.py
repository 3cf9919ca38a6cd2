"""``/api/v1/registration/``: the same actions as the pages, through the same services.

Illegal transitions answer 409 (``TransitionNotAllowed``), refused actors 403, another organisation's filing
404, invalid input 400 with field-level errors in the caller's language.
"""

from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.viewsets import ScopedModelViewSet, ServiceActionMixin
from portal.timeline import timeline_for
from registration import clock, history, services, validation
from registration.api import serializers as s
from registration.api.filtersets import FilingFilter
from registration.models import EntityFiling
from registration.services.qualifications import qualification_retry

CONFLICT = OpenApiResponse(description="transition not allowed in the filing's current status")


def _action(request_serializer, response=s.FilingSerializer, **extra):
    return extend_schema(request=request_serializer, responses={200: response, 409: CONFLICT}, **extra)


@extend_schema_view(
    create=extend_schema(request=s.FilingWriteSerializer, responses={201: s.FilingSerializer}),
    update=extend_schema(request=s.FilingWriteSerializer, responses={200: s.FilingSerializer, 409: CONFLICT}),
    partial_update=extend_schema(
        request=s.FilingWriteSerializer, responses={200: s.FilingSerializer, 409: CONFLICT}
    ),
)
class FilingViewSet(ServiceActionMixin, ScopedModelViewSet):
    """Entity filings: the applicant's drafts and submissions, the bureau's review, and what follows."""

    queryset = EntityFiling.objects.none()
    queryset_model = EntityFiling
    serializer_class = s.FilingSerializer
    filterset_class = FilingFilter
    ordering_fields = ["submitted_at", "created_at", "updated_at", "clock_due_on"]
    ordering = ["-created_at"]
    select_related = ("owner", "assigned_to")
    prefetch_related = ("qualifications__message",)
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "calendar": clock.WorkingCalendar()}

    def create(self, request, *args, **kwargs):
        data = dict(self.action_input(s.FilingWriteSerializer))
        entity_type, subtype = data.pop("entity_type"), data.pop("subtype", "")
        if request.user.organisation is None:
            raise exceptions.PermissionDenied()
        filing = services.filing_create_draft(
            owner=request.user.organisation,
            by=request.user,
            entity_type=entity_type,
            subtype=subtype,
            data=data,
        )
        return self.answer(filing, code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        filing = self.get_object()
        data = s.FilingWriteSerializer(instance=filing, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        filing = services.filing_update_draft(filing=filing, by=request.user, data=dict(data.validated_data))
        return self.answer(filing)

    @_action(None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.answer(services.filing_submit(filing=self.get_object(), by=request.user))

    @_action(s.NoteInput)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        filing = self.get_object()
        note = self.action_input(s.NoteInput)["note"]
        return self.answer(services.filing_withdraw(filing=filing, by=request.user, reason=note))

    @_action(None, description="A reviewer claims a submitted filing (SUBMITTED → UNDER_REVIEW).")
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self.answer(services.filing_accept(filing=self.get_object(), by=request.user))

    @_action(s.AssignInput)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        filing = self.get_object()
        reviewer = self.action_input(s.AssignInput)["reviewer"]
        return self.answer(services.filing_assign(filing=filing, by=request.user, reviewer=reviewer))

    @_action(s.NoteInput)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        filing = self.get_object()
        note = self.action_input(s.NoteInput)["note"]
        return self.answer(services.filing_approve(filing=filing, by=request.user, note=note))

    @_action(s.ReturnInput)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_correction(self, request, pk=None):
        filing = self.get_object()
        data = self.action_input(s.ReturnInput)
        return self.answer(
            services.filing_return(
                filing=filing,
                by=request.user,
                reason_codes=data["reason_codes"],
                note=data["note"],
                comments=[dict(c) for c in data["comments"]],
            )
        )

    @_action(s.ReasonInput, description="Propose rejection; a supervisor must countersign.")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        filing = self.get_object()
        reason = self.action_input(s.ReasonInput)["reason"]
        return self.answer(services.filing_reject_request(filing=filing, by=request.user, reason=reason))

    @_action(s.CountersignInput)
    @action(detail=True, methods=["post"])
    def countersign(self, request, pk=None):
        filing = self.get_object()
        data = self.action_input(s.CountersignInput)
        return self.answer(
            services.filing_reject_countersign(
                filing=filing,
                by=request.user,
                confirm=data["decision"] == "confirm",
                note=data["note"],
            )
        )

    def _lifecycle(self, service):
        filing = self.get_object()
        reason = self.action_input(s.ReasonInput)["reason"]
        return self.answer(service(filing=filing, by=self.request.user, reason=reason))

    @_action(s.ReasonInput)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        return self._lifecycle(services.filing_suspend)

    @_action(s.ReasonInput)
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        return self._lifecycle(services.filing_reinstate)

    @_action(
        s.ReasonInput,
        description="Supervisors: close a RETURNED filing left with its applicant, so that the identity's "
        "slot it holds is free for another filing.",
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._lifecycle(services.filing_release)

    @_action(s.ReasonInput)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._lifecycle(services.filing_revoke)

    @_action(None, description="Open a change of an ACTIVE filing: a new DRAFT version.")
    @action(detail=True, methods=["post"])
    def change(self, request, pk=None):
        return self.answer(
            services.filing_change(filing=self.get_object(), by=request.user), code=status.HTTP_201_CREATED
        )

    @extend_schema(responses=s.ProblemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def completeness(self, request, pk=None):
        problems = validation.completeness(self.get_object())
        return Response(s.ProblemSerializer(problems, many=True).data)

    @extend_schema(methods=["get"], responses=s.CommentSerializer(many=True))
    @extend_schema(
        methods=["post"], request=s.CommentInput, responses={201: s.CommentSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        filing = self.get_object()
        if request.method == "POST":
            data = self.action_input(s.CommentInput)
            comment = services.comment_add(filing=filing, by=request.user, **data)
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        rows = filing.field_comments.select_related("author").order_by("review_round", "created_at")
        return Response(s.CommentSerializer(rows, many=True).data)

    @extend_schema(
        responses=s.SubmissionSerializer(many=True),
        description="Every submission round, newest first, with the differences from the round before.",
    )
    @action(detail=True, methods=["get"])
    def submissions(self, request, pk=None):
        return Response(s.SubmissionSerializer(history.rounds(self.get_object()), many=True).data)

    @extend_schema(responses=s.TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        return Response(
            s.TimelineEntrySerializer(timeline_for(self.get_object(), request.user), many=True).data
        )

    @extend_schema(methods=["get"], responses=s.AttachmentSerializer(many=True))
    @extend_schema(methods=["post"], request=s.AttachmentUploadInput, responses={201: s.AttachmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def attachments(self, request, pk=None):
        filing = self.get_object()
        if request.method == "POST":
            data = self.action_input(s.AttachmentUploadInput)
            upload = data["file"]
            added = services.attachment_add(
                filing=filing,
                by=request.user,
                kind=data["kind"],
                upload=upload,
                name=upload.name,
            )
            return Response(s.AttachmentSerializer(added).data, status=status.HTTP_201_CREATED)
        return Response(s.AttachmentSerializer(filing.attachments.current(), many=True).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(description="the stored file")}
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"attachments/(?P<attachment_pk>\d+)/download",
        url_name="attachment-download",
    )
    def attachment_download(self, request, pk=None, attachment_pk=None):
        attachment = self.get_object().attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise Http404
        handle = services.attachment_open(attachment=attachment, by=request.user)
        response = FileResponse(
            handle,
            content_type=attachment.content_type,
            as_attachment=True,
            filename=f"{attachment.kind.lower()}-{attachment.pk}.{attachment.file.name.rsplit('.', 1)[-1]}",
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(responses=s.QualificationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def qualifications(self, request, pk=None):
        rows = self.get_object().qualifications.select_related("message").order_by("id")
        return Response(s.QualificationSerializer(rows, many=True).data)

    @extend_schema(request=None, responses={200: s.QualificationSerializer, 409: CONFLICT})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"qualifications/(?P<code>[A-Z_]+)/retry",
        url_name="qualification-retry",
    )
    def qualification_retry(self, request, pk=None, code=None):
        task = self.get_object().qualifications.filter(code=code).first()
        if task is None:
            raise Http404
        task = qualification_retry(task=task, by=request.user)
        return Response(s.QualificationSerializer(task).data)
