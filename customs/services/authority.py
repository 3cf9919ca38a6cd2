"""Who may file a customs document for whom (issue 11, "Documents and who files them").

The owner (the seller; the logistics enterprise for waybills and parcel reports) files its own documents
when it has an ACTIVE filing with a customs registration code (``registration.standing``). Another
enterprise files for it only while the owner's ``SellerAuthorisation`` for that kind of document is in
force (a customs broker, a comprehensive service enterprise…), or as the document's natural party: the
platform named on an order (``ebpCode``), the payment enterprise named on a payment receipt (``payCode``).
The filer needs a customs code too, and a China E-Port DXP id to send (CEB ``BaseTransfer.dxpId``).

Every service asks here on every write, so an agent is refused the moment its authorisation is revoked or
expires — as ``CustomsQuerySet.visible_to`` stops showing it the documents at that moment.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from customs.choices import DocumentType
from customs.models import SellerAuthorisation
from registration.standing import Standing, standings_of

OWNER, AGENT, PARTY = "owner", "agent", "party"


@dataclass(frozen=True)
class Parties:
    """The owner and the filer of a document, with their standing, and in what capacity the filer acts."""

    owner: object
    filer: object
    owner_standing: Standing
    filer_standing: Standing
    acting_as: str

    @property
    def owner_code(self) -> str:
        return self.owner_standing.customs_code

    @property
    def owner_name(self) -> str:
        return self.owner.name_cn

    @property
    def filer_code(self) -> str:
        return self.filer_standing.customs_code

    @property
    def filer_name(self) -> str:
        return self.filer.name_cn

    def owner_codes(self) -> set[str]:
        return codes_of(self.owner, self.owner_standing)

    def filer_codes(self) -> set[str]:
        return codes_of(self.filer, self.filer_standing)

    @property
    def dxp_id(self) -> str:
        return self.filer_standing.dxp_id


def codes_of(organisation, standing: Standing) -> set[str]:
    """The codes a CEB party field may name the organisation by: its customs code and its USCC."""
    return {c for c in (standing.customs_code, getattr(organisation, "code", "")) if c}


def _label(document_type: str) -> str:
    return str(DocumentType(document_type).label) if document_type in DocumentType.values else document_type


def parties_for(*, owner, filer, document_type: str, party_code: str = "", at=None) -> Parties:
    """The parties of a document ``owner`` files through ``filer``, or ``PermissionDenied`` saying why.

    ``party_code``: the code the document names its natural party by (an order's ``ebp_code``, a payment
    receipt's ``pay_code``); a filer known by that code files without an authorisation.
    """
    if owner is None or filer is None:
        raise PermissionDenied(_("Only an enterprise can file customs documents."))
    standings = standings_of([owner.pk, filer.pk])
    owner_standing, filer_standing = standings[owner.pk], standings[filer.pk]
    if not owner_standing.may_declare_to_customs:
        raise PermissionDenied(
            _(
                "%(name)s has no active filing with a customs registration code, so it cannot declare to "
                "customs yet. Complete its entity filing first."
            )
            % {"name": owner.name_cn}
        )
    if filer.pk == owner.pk:
        return Parties(owner, filer, owner_standing, filer_standing, OWNER)
    if not filer_standing.may_declare_to_customs:
        raise PermissionDenied(
            _("%(name)s has no active filing with a customs registration code, so it cannot file for others.")
            % {"name": filer.name_cn}
        )
    if party_code and party_code.strip().upper() in codes_of(filer, filer_standing):
        return Parties(owner, filer, owner_standing, filer_standing, PARTY)
    authorised = (
        SellerAuthorisation.objects.in_force(at)
        .filter(seller_id=owner.pk, agent_id=filer.pk, document_type=document_type)
        .exists()
    )
    if not authorised:
        raise PermissionDenied(
            _(
                "%(seller)s has not authorised %(agent)s to file %(documents)s for it, or the authorisation "
                "ended."
            )
            % {"seller": owner.name_cn, "agent": filer.name_cn, "documents": _label(document_type)}
        )
    return Parties(owner, filer, owner_standing, filer_standing, AGENT)


def require_sender(parties: Parties) -> str:
    """The filer's DXP id, needed to send anything to customs; ``PermissionDenied`` without one."""
    if not parties.dxp_id:
        raise PermissionDenied(
            _(
                "%(name)s has no China E-Port card (DXP id) yet, so nothing can be sent to customs in its "
                "name. Apply for it with the entity filing."
            )
            % {"name": parties.filer.name_cn}
        )
    return parties.dxp_id


def acting_organisation(by, filer=None):
    """The organisation a user acts for: ``filer`` if given (it must be the user's own), else the user's."""
    own = getattr(by, "organisation", None)
    if filer is not None and own is not None and filer.pk != own.pk:
        raise PermissionDenied(_("You can only file in the name of your own enterprise."))
    return filer or own
