"""Enterprise administrators manage their own organisation's users and invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from portal.choices import Role
from portal.forms import AcceptInvitationForm, InvitationForm, RoleForm
from portal.models import Invitation, User
from portal.permissions import RoleRequiredMixin
from portal.services import users as user_services


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class TeamView(RoleRequiredMixin, View):
    required_roles = (Role.ENTERPRISE_ADMIN,)

    def get(self, request, form=None):
        org = request.user.organisation
        return render(
            request,
            "portal/team.html",
            {
                "members": User.objects.visible_to(request.user)
                .filter(organisation=org)
                .prefetch_related("groups")
                .order_by("username"),
                "invitations": Invitation.objects.visible_to(request.user).filter(
                    accepted_at__isnull=True, revoked_at__isnull=True
                ),
                "form": form or InvitationForm(organisation=org),
                "role_form": RoleForm(organisation=org),
            },
        )

    def post(self, request):
        org = request.user.organisation
        form = InvitationForm(request.POST, organisation=org)
        if form.is_valid():
            try:
                user_services.invitation_create(organisation=org, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
                return redirect("portal:team")
        return self.get(request, form=form)


@method_decorator(require_POST, name="dispatch")
class TeamMemberView(RoleRequiredMixin, View):
    required_roles = (Role.ENTERPRISE_ADMIN,)

    def post(self, request, pk: int, action: str):
        member = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
        try:
            if action == "role":
                form = RoleForm(request.POST, organisation=request.user.organisation)
                if not form.is_valid():
                    raise ValidationError(_("Choose a role."))
                user_services.user_set_role(user=member, role=form.cleaned_data["role"], by=request.user)
            elif action in ("deactivate", "reactivate"):
                user_services.user_set_active(user=member, active=action == "reactivate", by=request.user)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("%(user)s updated.") % {"user": member.display_name})
        return redirect("portal:team")


@method_decorator(require_POST, name="dispatch")
class InvitationRevokeView(RoleRequiredMixin, View):
    required_roles = (Role.ENTERPRISE_ADMIN,)

    def post(self, request, pk: int):
        invitation = get_object_or_404(Invitation.objects.visible_to(request.user), pk=pk)
        user_services.invitation_revoke(invitation=invitation, by=request.user)
        messages.success(request, _("Invitation withdrawn."))
        return redirect("portal:team")


def invitation_accept(request, token: str):
    invitation = user_services.invitation_by_token(token)
    if invitation is None:
        return render(request, "portal/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user_services.invitation_accept(
                invitation=invitation,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your account is ready. Please log in."))
            return redirect("portal:login")
    return render(request, "portal/invitation_accept.html", {"form": form, "invitation": invitation})
