"""The multi-step filing form. Every field is optional here (a draft may be incomplete); the services check
formats on every save and completeness on submission, so the page and the API say the same things."""

from dataclasses import dataclass

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.accessible import AccessibleForm
from registration import matrix
from registration.choices import (
    SUBTYPES_OF,
    AttachmentKind,
    EconomicType,
    EntityType,
    IdType,
    Qualification,
    ServiceScope,
    Subtype,
)


def _live(kind: str, **attrs) -> forms.TextInput:
    url = reverse_lazy("registration:validate", args=[kind])
    return forms.TextInput(
        attrs={"data-validate-url": url, "autocomplete": "off", "spellcheck": "false", **attrs}
    )


class SubtypeSelect(forms.Select):
    """Each subtype says which entity types it belongs to (``data-for``); portal.js offers only those of
    the chosen type (``data-filter-by``). Without script every subtype is listed; the server checks the pair.
    """

    def __init__(self, attrs=None):
        super().__init__({"data-filter-by": "entity_type", **(attrs or {})})

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        types = [str(t) for t, subtypes in SUBTYPES_OF.items() if (value or "") in subtypes]
        option["attrs"]["data-for"] = " ".join(types)
        return option


class TypeForm(AccessibleForm):
    entity_type = forms.ChoiceField(
        label=_("Entity type"), choices=EntityType.choices, widget=forms.RadioSelect
    )
    subtype = forms.ChoiceField(
        label=_("Subtype"),
        required=False,
        choices=[("", _("None (self-built platform)")), *Subtype.choices],
        widget=SubtypeSelect,
        help_text=_("Application enterprises and service enterprises choose the kind that fits them."),
    )

    def clean(self):
        data = super().clean()
        entity_type, subtype = data.get("entity_type"), data.get("subtype") or ""
        if entity_type and subtype not in SUBTYPES_OF[EntityType(entity_type)]:
            self.add_error("subtype", _("Choose a subtype that belongs to the entity type."))
        return data


class _StepForm(AccessibleForm):
    def __init__(self, *args, filing, **kwargs):
        self.filing = filing
        super().__init__(*args, **kwargs)
        self.adapt(filing)
        self.mark_needed(filing)

    def mark_needed(self, filing) -> None:
        """Mark what submission will need (a draft is saved without it): an asterisk and aria-required."""
        from registration.validation import needed_to_submit

        needed = needed_to_submit(filing)
        if filing.legal_rep_id_masked:
            needed.discard("legal_rep_id_no")  # on file; the input stays empty unless it is replaced
        for name in needed:
            field = self.fields.get(name)
            if field is not None and not field.disabled:
                field.needed = True
                field.widget.attrs["aria-required"] = "true"

    def adapt(self, filing) -> None:
        """Drop the fields this entity type does not have."""

    def drop(self, *names: str) -> None:
        for name in names:
            self.fields.pop(name, None)


class EntityForm(_StepForm):
    name_cn = forms.CharField(
        label=_("Name (Chinese)"),
        max_length=100,
        required=False,
        help_text=_("Exactly as on the business licence."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        required=False,
        help_text=_("18 characters, checked as you type."),
        widget=_live("uscc"),
    )
    org_code = forms.CharField(
        label=_("Organisation code"),
        max_length=12,
        required=False,
        help_text=_(
            "Legacy record: your enterprise has no credit code yet and files with its organisation code "
            "(9 characters, e.g. 12345678-8), checked as you type."
        ),
        widget=_live("org_code"),
    )
    customs_code = forms.CharField(
        label=_("Customs registration code, if you already hold one"),
        max_length=12,
        required=False,
        help_text=_("10 characters starting with 33. The customs registration confirms or replaces it."),
        widget=_live("customs_code"),
    )
    division_code = forms.CharField(
        label=_("Administrative division code of the registered address"),
        max_length=6,
        required=False,
        help_text=_("6 digits starting with 33; by default characters 3–8 of the credit code."),
        widget=_live("division_code", inputmode="numeric"),
    )
    division_note = forms.CharField(
        label=_("Why the division differs from the credit code"),
        max_length=200,
        required=False,
        help_text=_("Only when the division code is not characters 3–8 of the credit code."),
    )
    address = forms.CharField(label=_("Registered address"), max_length=200, required=False)
    registered_capital_cny = forms.DecimalField(
        label=_("Registered capital (CNY)"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    economic_type = forms.ChoiceField(label=_("Economic type"), choices=EconomicType.choices, required=False)
    is_vat_general_taxpayer = forms.BooleanField(label=_("VAT general taxpayer"), required=False)

    def adapt(self, filing):
        if filing.is_legacy_record:
            self.drop("uscc")  # no credit code yet: the organisation code identifies the enterprise
        else:
            self.drop("org_code")  # derived from the credit code (characters 9–17), never typed
        if filing.is_legacy_record and filing.is_change:
            self.fields["org_code"].disabled = True
            self.fields["org_code"].help_text = _("A change keeps the organisation code of the filing.")
        if filing.is_natural_person:
            self.drop("uscc", "customs_code", "division_note", "registered_capital_cny", "economic_type")
            self.drop("is_vat_general_taxpayer", "name_en")
            self.fields["name_cn"].label = _("Seller's name")
            self.fields["name_cn"].help_text = _("As on the seller's identity document.")
            self.fields["address"].label = _("Residential address")
        if filing.subtype == Subtype.INDIVIDUAL_BUSINESS:
            self.drop("economic_type")
        if filing.is_change and filing.is_natural_person:
            self.fields["name_cn"].disabled = True
            self.fields["name_cn"].help_text = _("A change keeps the seller's identity.")
        if filing.is_change and "uscc" in self.fields:
            self.fields["uscc"].disabled = True
            self.fields["uscc"].help_text = _("A change keeps the credit code of the filing.")
        if "uscc" in self.fields:
            subtype = filing.subtype or ""
            self.fields["uscc"].widget.attrs["data-validate-url"] = (
                f"{reverse_lazy('registration:validate', args=['uscc'])}"
                f"?entity_type={filing.entity_type}&subtype={subtype}"
            )


class RepresentativeForm(_StepForm):
    legal_rep_name = forms.CharField(label=_("Legal representative"), max_length=50, required=False)
    legal_rep_id_type = forms.ChoiceField(label=_("ID document type"), choices=IdType.choices, required=False)
    legal_rep_id_no = forms.CharField(
        label=_("ID document number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=50,
        required=False,
        help_text=_("If this is not the legal representative, attach an authorisation letter."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=_live("contact_phone", inputmode="tel"),
    )
    contact_email = forms.EmailField(label=_("Contact email"), required=False)

    def adapt(self, filing):
        if filing.is_natural_person:
            self.fields["legal_rep_name"].label = _("Seller's name (as on the ID document)")
            if filing.is_change:
                for name in ("legal_rep_name", "legal_rep_id_type", "legal_rep_id_no"):
                    self.fields[name].disabled = True
                self.fields["legal_rep_name"].help_text = _("A change keeps the seller's identity.")
        masked = filing.legal_rep_id_masked
        self.fields["legal_rep_id_no"].help_text = (
            _("On file: %(masked)s. Leave empty to keep it; type a new number to replace it.")
            % {"masked": masked}
            if masked
            else _("A resident identity card number has 18 characters; it is checked when you save.")
        )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("legal_rep_id_no"):
            data.pop("legal_rep_id_no", None)
        return data


class _UrlListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value


class BusinessForm(_StepForm):
    platform_urls = _UrlListField(
        label=_("Platform or store addresses"),
        required=False,
        help_text=_("One address per line, starting with https:// or http://."),
    )
    service_scopes = forms.MultipleChoiceField(
        label=_("Service scopes"),
        choices=ServiceScope.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    payment_licence_no = forms.CharField(
        label=_("Payment business licence number"),
        max_length=30,
        required=False,
        help_text=_("Issued by the People's Bank of China, e.g. Z2007933000010."),
    )
    optional_qualifications = forms.MultipleChoiceField(
        label=_("Optional qualifications to apply for"),
        choices=Qualification.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mandatory qualifications are always applied for after approval."),
    )

    def adapt(self, filing):
        if filing.entity_type == EntityType.SELF_PLATFORM:
            self.fields["platform_urls"].label = _("Platform addresses (at least one)")
        elif filing.entity_type == EntityType.APPLICATION:
            self.fields["platform_urls"].label = _("Store addresses on third-party platforms")
        elif filing.subtype != Subtype.PLATFORM:
            self.drop("platform_urls")
        if filing.entity_type != EntityType.SERVICE:
            self.drop("service_scopes")
        if filing.subtype != Subtype.PAYMENT:
            self.drop("payment_licence_no")
        optional = matrix.optional_codes(filing.entity_type, filing.subtype)
        if optional:
            self.fields["optional_qualifications"].choices = [
                (code, Qualification(code).label) for code in optional
            ]
        else:
            self.drop("optional_qualifications")


class AttachmentForm(AccessibleForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB. The content is checked, not only the name."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )


@dataclass(frozen=True)
class Step:
    slug: str
    label: object
    form_class: type | None


STEPS = (
    Step("entity", _("Entity"), EntityForm),
    Step("representative", _("Representative and contact"), RepresentativeForm),
    Step("business", _("Business details"), BusinessForm),
    Step("attachments", _("Attachments"), None),
    Step("submit", _("Check and submit"), None),
)
STEP_SLUGS = [s.slug for s in STEPS]


def step(slug: str) -> Step | None:
    return next((s for s in STEPS if s.slug == slug), None)


def next_step(slug: str) -> str | None:
    index = STEP_SLUGS.index(slug)
    return STEP_SLUGS[index + 1] if index + 1 < len(STEP_SLUGS) else None


def initial_for(form_class, filing) -> dict:
    initial = {}
    for name in form_class.base_fields:
        if name == "legal_rep_id_no":
            continue
        value = getattr(filing, name, None)
        initial[name] = "" if value is None else value
    return initial
