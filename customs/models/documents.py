"""The 9610 export documents (DOMAIN §3.2–3.5): who files them, what they hold, where they stand.

Each document is owned by the enterprise whose declaration it is (``owner``: the seller/consignor for orders,
payment receipts, inventory lists, cancellations and summaries; the logistics enterprise for waybills and its
parcel reports) and filed by ``filer``: the owner itself, or a service enterprise acting for it (a customs
broker, a comprehensive service enterprise, the platform, the payment enterprise). Who sees what is decided
once, in ``CustomsQuerySet.visible_to``: the owner; a ``party`` named on the document (the platform of an
order, the payment enterprise of a receipt, the seller of a waybill); and a filer while the owner's
authorisation for that kind of document is in force — not a moment longer. Customs officers see everything.

CEB field names are kept in the column comments; amounts are ``Decimal`` (CEB ``N19,5``), weights in kg.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from customs.choices import (
    UNSENT,
    AppType,
    CheckSeverity,
    DocStatus,
    DocumentType,
    StatisticsFlag,
    SummaryFlag,
    SummaryStatus,
)
from portal.models import ScopedQuerySet, TimeStampedModel

MONEY = {"max_digits": 19, "decimal_places": 5}
QTY = {"max_digits": 19, "decimal_places": 5}
WEIGHT = {"max_digits": 14, "decimal_places": 5}


# --- who may file for whom ---------------------------------------------------------------------------------
class AuthorisationQuerySet(ScopedQuerySet):
    def in_force(self, at=None):
        at = at or timezone.now()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=at), valid_from__lte=at, revoked_at__isnull=True
        )

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.has_perm("customs.view_all_sellerauthorisation"):
            return self
        if user.organisation_id is None:
            return self.none()
        return self.filter(Q(seller_id=user.organisation_id) | Q(agent_id=user.organisation_id))


class SellerAuthorisation(TimeStampedModel):
    """A seller lets a service enterprise file one kind of document for it (代理申报, "统一办理").

    One row per (seller, agent, document type, period); in force from ``valid_from`` until ``valid_until``
    (open if empty) unless ``revoked_at`` is set. The agent files and sees that kind of document of this
    seller only while a row is in force."""

    seller = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    agent = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)

    owner_field = "seller"
    objects = AuthorisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("seller authorisation")
        verbose_name_plural = _("seller authorisations")
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["agent", "document_type", "seller"])]
        permissions = [("view_all_sellerauthorisation", _("Can view every seller authorisation"))]

    def __str__(self):
        return f"{self.seller_id} → {self.agent_id} {self.document_type}"


def authorising_sellers(agent_id: int, document_type: str, at=None):
    """The sellers whose authorisation for ``document_type`` lets ``agent_id`` act now (a subquery)."""
    return (
        SellerAuthorisation.objects.in_force(at)
        .filter(agent_id=agent_id, document_type=document_type)
        .values("seller_id")
    )


class CustomsQuerySet(ScopedQuerySet):
    """The owner, a party named on the document, and a filer while authorised; officers everything that was
    sent to customs — an enterprise's drafts, discarded drafts and unsent previews are its own business."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        model = self.model
        if user.is_superuser:
            return self
        if user.has_perm(model.view_all_permission):
            unsent = getattr(model, "unsent_statuses", ())
            return self.exclude(status__in=unsent) if unsent else self
        org = user.organisation_id
        if org is None:
            return self.none()
        q = Q(owner_id=org)
        if hasattr(model, "party"):
            q |= Q(party_id=org)
        if model.document_type:
            q |= Q(filer_id=org, owner_id__in=authorising_sellers(org, model.document_type))
        return self.filter(q)


class CustomsDocument(TimeStampedModel):
    """What every CEB document of the portal carries: owner, filer, state, customs' last word, the checks."""

    owner = models.ForeignKey(
        "portal.Organisation", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    filer = models.ForeignKey(
        "portal.Organisation", verbose_name=_("filed by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=DocStatus.choices, default=DocStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    app_type = models.CharField(_("declaration type"), max_length=1, choices=AppType.choices, default="1")
    cop_no = models.CharField(_("enterprise reference (copNo)"), max_length=30)
    submitted_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Customs' last word: the receipt's returnStatus, returnInfo and time.
    customs_status = models.CharField(_("customs status code"), max_length=20, blank=True)
    customs_info = models.TextField(_("customs information"), blank=True)
    customs_at = models.DateTimeField(_("customs answered at"), null=True, blank=True)
    # The portal's pre-flight checks (V1–V14, C1–C7): [{"code", "severity", "field", "params"}, ...].
    checks = models.JSONField(_("checks"), default=list, blank=True)
    check_state = models.CharField(_("checks"), max_length=10, choices=CheckSeverity.choices, blank=True)
    message = models.ForeignKey(
        "exchange.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)

    document_type = ""
    owner_field = "owner"
    view_all_permission = "customs.view_all_documents"
    unsent_statuses = UNSENT  # officers do not see these (CustomsQuerySet.visible_to)
    # customs.timeline explains each receipt in plain words; the exchange's timeline shows the messages only.
    exchange_timeline_receipts = False
    objects = CustomsQuerySet.as_manager()

    class Meta:
        abstract = True


# --- CEB303 order ------------------------------------------------------------------------------------------
class Order(CustomsDocument):
    """电子订单 (CEB303 ``OrderHead``): filed by the platform (``ebp``) or the seller (``ebc``)."""

    party = models.ForeignKey(  # the platform enterprise, when it is registered on the portal
        "portal.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order_no = models.CharField(_("order number"), max_length=60)  # orderNo
    order_type = models.CharField(max_length=1, default="E")  # orderType
    ebp_code = models.CharField(_("platform code"), max_length=18)
    ebp_name = models.CharField(_("platform name"), max_length=100)
    ebc_code = models.CharField(_("seller code"), max_length=18)
    ebc_name = models.CharField(_("seller name"), max_length=100)
    goods_value = models.DecimalField(_("goods value"), **MONEY)  # goodsValue: FOB, excl. freight
    freight = models.DecimalField(_("freight"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3)  # customs 3-digit code

    document_type = DocumentType.ORDER

    class Meta:
        verbose_name = pgettext_lazy("customs document", "order")
        verbose_name_plural = _("orders")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ebp_code", "order_no"], name="customs_order_unique_per_platform"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-id"]), models.Index(fields=["ebc_code", "order_no"])]
        permissions = [("view_all_documents", _("Can view every customs document"))]

    def __str__(self):
        return self.order_no


class OrderItem(models.Model):
    """CEB303 ``OrderList``: one line of an order."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    gnum = models.PositiveIntegerField(_("line"))
    item_no = models.CharField(_("SKU"), max_length=60)
    item_name = models.CharField(_("item name"), max_length=250)
    item_describe = models.CharField(_("description"), max_length=1000, blank=True)
    bar_code = models.CharField(_("bar code"), max_length=50, blank=True)
    unit = models.CharField(_("unit"), max_length=3)
    currency = models.CharField(_("currency"), max_length=3)
    qty = models.DecimalField(_("quantity"), **QTY)
    price = models.DecimalField(_("unit price"), **MONEY)
    total_price = models.DecimalField(_("total"), **MONEY)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["order", "gnum"]
        constraints = [models.UniqueConstraint(fields=["order", "gnum"], name="customs_order_item_line")]

    def __str__(self):
        return f"{self.order_id}:{self.gnum}"


# --- CEB403 payment receipt (收款单) ------------------------------------------------------------------------
class Payment(CustomsDocument):
    """收款单 (CEB403 ``Receipts``): the seller's receipt of payment for an order, filed by the seller or its
    payment enterprise."""

    party = models.ForeignKey(  # the payment enterprise, when it is registered on the portal
        "portal.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order_no = models.CharField(_("order number"), max_length=60)
    ebp_code = models.CharField(_("platform code"), max_length=18)
    ebp_name = models.CharField(_("platform name"), max_length=100)
    ebc_code = models.CharField(_("seller code"), max_length=18)
    ebc_name = models.CharField(_("seller name"), max_length=100)
    pay_code = models.CharField(_("payment enterprise code"), max_length=18, blank=True)
    pay_name = models.CharField(_("payment enterprise"), max_length=100)
    pay_no = models.CharField(_("payment transaction number"), max_length=60, blank=True)
    charge = models.DecimalField(_("amount received"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    accounting_date = models.DateTimeField(_("funds arrived"))  # accountingDate

    document_type = DocumentType.PAYMENT

    class Meta:
        verbose_name = _("payment receipt")
        verbose_name_plural = _("payment receipts")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ebc_code", "order_no", "pay_no"], name="customs_payment_unique_per_order"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-id"]), models.Index(fields=["ebc_code", "order_no"])]

    def __str__(self):
        return f"{self.order_no}/{self.pay_no}"


# --- CEB505 waybill -----------------------------------------------------------------------------------------
class Waybill(CustomsDocument):
    """运单 (CEB505 ``Logistics``): filed by the logistics enterprise, its owner; the seller is a party."""

    party = models.ForeignKey(  # the seller, when the waybill names one registered on the portal
        "portal.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    logistics_code = models.CharField(_("logistics enterprise code"), max_length=18)
    logistics_name = models.CharField(_("logistics enterprise"), max_length=100)
    logistics_no = models.CharField(_("waybill number"), max_length=80)
    freight = models.DecimalField(_("freight"), **MONEY, default=0)
    insured_fee = models.DecimalField(_("insurance"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3)
    gross_weight = models.DecimalField(_("gross weight (kg)"), **WEIGHT)
    pack_no = models.PositiveIntegerField(_("parcels"), default=1)
    goods_info = models.CharField(_("goods description"), max_length=200)
    ebc_code = models.CharField(_("seller code"), max_length=18, blank=True)
    ebc_name = models.CharField(_("seller name"), max_length=100, blank=True)
    ebc_telephone = models.CharField(_("seller telephone"), max_length=50, blank=True)

    document_type = DocumentType.WAYBILL

    class Meta:
        verbose_name = _("waybill")
        verbose_name_plural = _("waybills")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["logistics_code", "logistics_no"], name="customs_waybill_unique_per_carrier"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-id"])]

    def __str__(self):
        return self.logistics_no


# --- CEB603 inventory list ----------------------------------------------------------------------------------
class InventoryList(CustomsDocument):
    """申报清单 (CEB603 ``InventoryHead``): one parcel, released by customs on its own (清单核放) and later
    merged into a monthly summary declaration (汇总申报) or counted for statistics only (DOMAIN §3.5,
    §3.9)."""

    pre_no = models.CharField(_("E-Port pre-entry number"), max_length=18, blank=True)  # preNo (returned)
    invt_no = models.CharField(_("inventory list number"), max_length=18, blank=True)  # invtNo (returned)
    order_no = models.CharField(_("order number"), max_length=60)
    ebp_code = models.CharField(_("platform code"), max_length=18)
    ebp_name = models.CharField(_("platform name"), max_length=100)
    ebc_code = models.CharField(_("consignor code"), max_length=18)  # the seller (收发货人)
    ebc_name = models.CharField(_("consignor name"), max_length=100)
    logistics_code = models.CharField(_("logistics enterprise code"), max_length=18)
    logistics_name = models.CharField(_("logistics enterprise"), max_length=100)
    logistics_no = models.CharField(_("waybill number"), max_length=80)
    agent_code = models.CharField(_("declaring enterprise code"), max_length=18)  # 申报企业
    agent_name = models.CharField(_("declaring enterprise"), max_length=100)
    owner_code = models.CharField(_("producer/seller code"), max_length=18)  # 生产销售单位
    owner_name = models.CharField(_("producer/seller"), max_length=100)
    customs_code = models.CharField(_("declaring customs"), max_length=4)  # 申报地海关
    port_code = models.CharField(_("exit customs"), max_length=4)  # 出境关别
    ie_date = models.DateField(_("export date"))
    trade_mode = models.CharField(_("trade mode"), max_length=4, default="9610")
    traf_mode = models.CharField(_("transport mode"), max_length=1)
    traf_name = models.CharField(_("conveyance"), max_length=100, blank=True)
    voyage_no = models.CharField(_("voyage / flight"), max_length=32, blank=True)
    bill_no = models.CharField(_("master bill"), max_length=37, blank=True)
    total_package_no = models.CharField(_("pallet / bag number"), max_length=50, blank=True)
    loct_no = models.CharField(_("supervised site"), max_length=6, blank=True)
    license_no = models.CharField(_("export licence"), max_length=19, blank=True)
    country = models.CharField(_("destination country"), max_length=3)  # 运抵国
    pod = models.CharField(_("port of destination"), max_length=100)  # POD 指运港
    freight = models.DecimalField(_("freight"), **MONEY, default=0)
    f_currency = models.CharField(_("freight currency"), max_length=3)
    f_flag = models.CharField(_("freight mark"), max_length=1, default="3")
    insured_fee = models.DecimalField(_("insurance"), **MONEY, default=0)
    i_currency = models.CharField(_("insurance currency"), max_length=3)
    i_flag = models.CharField(_("insurance mark"), max_length=1, default="3")
    wrap_type = models.CharField(_("package type"), max_length=2)
    pack_no = models.PositiveIntegerField(_("packages"), default=1)
    gross_weight = models.DecimalField(_("gross weight (kg)"), **WEIGHT)
    net_weight = models.DecimalField(_("net weight (kg)"), **WEIGHT)
    statistics_flag = models.CharField(
        _("summary path"), max_length=1, choices=StatisticsFlag.choices, default=StatisticsFlag.B
    )
    ems_no = models.CharField(_("bonded account number"), max_length=30, blank=True)  # 1210 only
    iac_code = models.CharField(_("area warehouse enterprise code"), max_length=18, blank=True)
    iac_name = models.CharField(_("area warehouse enterprise"), max_length=100, blank=True)
    # Totals of the lines, kept with the head for pages, checks and the summary (Σ totalPrice, Σ lines).
    total_value = models.DecimalField(_("total value"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    line_count = models.PositiveSmallIntegerField(_("lines"), default=0)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    summary = models.ForeignKey(
        "customs.SummaryDeclaration",
        verbose_name=_("summary declaration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lists",
    )
    # The export declaration customs formed from it (CEB792 ``SummaryResultList``).
    declaration = models.ForeignKey(
        "customs.ExportDeclaration",
        verbose_name=_("export declaration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lists",
    )

    document_type = DocumentType.INVENTORY

    class Meta:
        verbose_name = _("inventory list")
        verbose_name_plural = _("inventory lists")
        ordering = ["-id"]
        constraints = [
            # copNo is the enterprise's own reference: the key that makes a retried batch create nothing
            # twice.
            models.UniqueConstraint(fields=["owner", "cop_no"], name="customs_list_unique_cop_no"),
        ]
        indexes = [
            models.Index(fields=["owner", "-id"], name="customs_list_owner_id"),
            models.Index(fields=["owner", "status", "-id"], name="customs_list_owner_status"),
            models.Index(fields=["status", "-id"], name="customs_list_status"),
            models.Index(fields=["ebc_code", "order_no"], name="customs_list_order"),
            models.Index(fields=["logistics_code", "logistics_no"], name="customs_list_waybill"),
            models.Index(fields=["owner", "closed_at"], name="customs_list_closed"),
            models.Index(fields=["invt_no"], name="customs_list_invt_no"),
        ]

    def __str__(self):
        return self.invt_no or self.cop_no


class InventoryItem(models.Model):
    """CEB603 ``InventoryList``: one line of a list, in declared and legal units."""

    inventory = models.ForeignKey(InventoryList, on_delete=models.CASCADE, related_name="items")
    gnum = models.PositiveSmallIntegerField(_("line"))
    item_no = models.CharField(_("SKU"), max_length=60)
    item_record_no = models.CharField(_("item record number"), max_length=30, blank=True)
    item_name = models.CharField(_("item name"), max_length=250, blank=True)
    gcode = models.CharField(_("HS code"), max_length=10)
    gname = models.CharField(_("goods name"), max_length=250)
    gmodel = models.CharField(_("specification"), max_length=250)
    bar_code = models.CharField(_("bar code"), max_length=50, default="无")
    country = models.CharField(_("final destination"), max_length=3)  # 最终目的国
    currency = models.CharField(_("currency"), max_length=3)
    qty = models.DecimalField(_("quantity"), **QTY)
    unit = models.CharField(_("unit"), max_length=3)
    qty1 = models.DecimalField(_("first legal quantity"), **QTY)
    unit1 = models.CharField(_("first legal unit"), max_length=3)
    qty2 = models.DecimalField(_("second legal quantity"), **QTY, null=True, blank=True)
    unit2 = models.CharField(_("second legal unit"), max_length=3, blank=True)
    price = models.DecimalField(_("unit price"), **MONEY)
    total_price = models.DecimalField(_("total"), **MONEY)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["inventory", "gnum"]
        constraints = [models.UniqueConstraint(fields=["inventory", "gnum"], name="customs_list_item_line")]

    def __str__(self):
        return f"{self.inventory_id}:{self.gnum}"


# --- CEB605 cancellation ------------------------------------------------------------------------------------
class Cancellation(CustomsDocument):
    """撤销申请单 (CEB605 ``InvtCancel``): withdraw a list customs has accepted, with the reason."""

    inventory = models.ForeignKey(InventoryList, on_delete=models.PROTECT, related_name="cancellations")
    reason = models.CharField(_("reason"), max_length=1000)

    document_type = DocumentType.CANCELLATION

    class Meta:
        verbose_name = _("list cancellation")
        verbose_name_plural = _("list cancellations")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.inventory_id} {self.status}"


# --- CEB607 / CEB507 / CEB509: the logistics enterprise's parcel reports ------------------------------------
class ParcelReportKind(models.TextChoices):
    MASTER_BILL = "MASTER_BILL", _("Master bill (CEB607)")
    ARRIVAL = "ARRIVAL", _("Arrival at the supervised site (CEB507)")
    DEPARTURE = "DEPARTURE", _("Departure (CEB509)")


class ParcelReport(CustomsDocument):
    """清单总分单 (CEB607), 运抵单 (CEB507) or 离境单 (CEB509): a logistics enterprise reports parcels (by
    waybill number) on a master bill, arrived at the supervised site, or gone. Arrival lets customs release
    the lists (800), departure close them (899)."""

    kind = models.CharField(_("report"), max_length=12, choices=ParcelReportKind.choices)
    customs_code = models.CharField(_("customs"), max_length=4)
    logistics_code = models.CharField(_("logistics enterprise code"), max_length=18)
    logistics_name = models.CharField(_("logistics enterprise"), max_length=100)
    operator_code = models.CharField(_("site operator code"), max_length=18, blank=True)  # CEB507
    operator_name = models.CharField(_("site operator"), max_length=100, blank=True)
    agent_code = models.CharField(_("declaring enterprise code"), max_length=18, blank=True)  # CEB607
    agent_name = models.CharField(_("declaring enterprise"), max_length=100, blank=True)
    loct_no = models.CharField(_("supervised site"), max_length=6, blank=True)
    traf_mode = models.CharField(_("transport mode"), max_length=1)
    traf_name = models.CharField(_("conveyance"), max_length=100, blank=True)
    voyage_no = models.CharField(_("voyage / flight"), max_length=32, blank=True)
    bill_no = models.CharField(_("master bill"), max_length=37, blank=True)
    domestic_traf_no = models.CharField(_("truck plate"), max_length=32, blank=True)
    gross_weight = models.DecimalField(_("gross weight (kg)"), **WEIGHT, null=True, blank=True)
    leave_time = models.DateTimeField(_("left at"), null=True, blank=True)  # CEB509
    pre_no = models.CharField(_("E-Port pre-entry number"), max_length=18, blank=True)

    document_type = DocumentType.WAYBILL  # filed by the logistics enterprise, or an agent it authorised

    class Meta:
        verbose_name = _("parcel report")
        verbose_name_plural = _("parcel reports")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "kind", "cop_no"], name="customs_parcel_report_cop_no"),
        ]

    def __str__(self):
        return f"{self.kind} {self.cop_no}"


class ParcelReportLine(models.Model):
    report = models.ForeignKey(ParcelReport, on_delete=models.CASCADE, related_name="lines")
    gnum = models.PositiveIntegerField(_("line"))
    logistics_no = models.CharField(_("waybill number"), max_length=80)
    total_package_no = models.CharField(_("pallet / bag number"), max_length=50, blank=True)
    invt_no = models.CharField(_("inventory list number"), max_length=18, blank=True)  # CEB607
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["report", "gnum"]
        indexes = [models.Index(fields=["logistics_no"])]

    def __str__(self):
        return f"{self.report_id}:{self.logistics_no}"


# --- CEB701 summary application and CEB792 export declarations ----------------------------------------------
class SummaryDeclaration(TimeStampedModel):
    """汇总申请单 (CEB701): one consignor's lists closed in one month, grouped into export declarations by
    the header and item keys of DOMAIN §3.9; customs answers with the declarations it formed (CEB792)."""

    owner = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    filer = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    period = models.DateField(_("month"))  # the first day of the month whose closed lists it summarises
    status = models.CharField(
        _("status"), max_length=12, choices=SummaryStatus.choices, default=SummaryStatus.PREVIEW
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    cop_no = models.CharField(_("enterprise reference (copNo)"), max_length=30)
    sum_no = models.CharField(_("summary number"), max_length=30, blank=True)  # sumNo (returned)
    customs_code = models.CharField(_("customs"), max_length=4)
    summary_flag = models.CharField(
        _("grouping"), max_length=1, choices=SummaryFlag.choices, default=SummaryFlag.CONSIGNOR_OWNER
    )
    item_name_flag = models.BooleanField(_("keep item names"), default=True)
    decl_agent_code = models.CharField(_("customs broker code"), max_length=18)
    decl_agent_name = models.CharField(_("customs broker"), max_length=100)
    item_limit = models.PositiveSmallIntegerField(_("items per declaration"), default=50)
    list_count = models.PositiveIntegerField(_("lists"), default=0)
    declaration_count = models.PositiveIntegerField(_("declarations"), default=0)
    total_value = models.DecimalField(_("total value"), **MONEY, default=0)
    deadline = models.DateField(_("deadline"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    customs_status = models.CharField(max_length=20, blank=True)
    customs_info = models.TextField(blank=True)
    message = models.ForeignKey(
        "exchange.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    document_type = DocumentType.SUMMARY
    owner_field = "owner"
    view_all_permission = "customs.view_all_documents"
    unsent_statuses = (SummaryStatus.PREVIEW, SummaryStatus.DISCARDED)
    objects = CustomsQuerySet.as_manager()

    class Meta:
        verbose_name = _("summary declaration")
        verbose_name_plural = _("summary declarations")
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "cop_no"], name="customs_summary_cop_no"),
            # One preview per consignor and month: previewing again refreshes it.
            models.UniqueConstraint(
                fields=["owner", "period"],
                condition=Q(status="PREVIEW"),
                name="customs_summary_one_preview",
            ),
        ]
        indexes = [models.Index(fields=["owner", "period"])]

    def __str__(self):
        return f"{self.owner_id} {self.period:%Y-%m} {self.status}"


class ExportDeclaration(TimeStampedModel):
    """出口货物报关单 formed by customs from a summary (CEB792): its 18-digit ``entryId`` and the items it
    covers. Its certificate copy (报关单证明联, DOMAIN §3.11) is what forex settlement and tax refund rely
    on."""

    owner = models.ForeignKey("portal.Organisation", on_delete=models.PROTECT, related_name="+")
    summary = models.ForeignKey(SummaryDeclaration, on_delete=models.PROTECT, related_name="declarations")
    entry_id = models.CharField(_("declaration number"), max_length=18, unique=True)  # entryId
    seq = models.PositiveSmallIntegerField(_("declaration in the summary"), default=1)  # msgSeqNo
    decl_seq_no = models.CharField(_("summary serial number"), max_length=30, blank=True)
    dec_state = models.CharField(_("declaration status"), max_length=20, blank=True)
    customs_code = models.CharField(_("customs"), max_length=4)
    port_code = models.CharField(_("exit customs"), max_length=4)
    traf_mode = models.CharField(_("transport mode"), max_length=1)
    country = models.CharField(_("destination country"), max_length=3)
    ebc_code = models.CharField(_("consignor code"), max_length=18)
    owner_code = models.CharField(_("producer/seller code"), max_length=18)
    gross_weight = models.DecimalField(_("gross weight (kg)"), **WEIGHT, default=0)
    net_weight = models.DecimalField(_("net weight (kg)"), **WEIGHT, default=0)
    pack_no = models.PositiveIntegerField(_("packages"), default=0)
    total_value = models.DecimalField(_("total value"), **MONEY, default=0)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    declared_on = models.DateField(_("declared on"), null=True, blank=True)
    exported_on = models.DateField(_("exported on"), null=True, blank=True)  # the last departure of its lists
    certificate_issued_at = models.DateTimeField(_("certificate issued at"), null=True, blank=True)
    pushed_to_tax_at = models.DateTimeField(_("sent to the tax bureau at"), null=True, blank=True)

    owner_field = "owner"
    view_all_permission = "customs.view_all_documents"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("export declaration")
        verbose_name_plural = _("export declarations")
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "-id"]), models.Index(fields=["declared_on"])]

    def __str__(self):
        return self.entry_id


class ExportDeclarationItem(models.Model):
    """One item of an export declaration: lists' lines grouped by destination, HS code, currency (and
    name)."""

    declaration = models.ForeignKey(ExportDeclaration, on_delete=models.CASCADE, related_name="items")
    gnum = models.PositiveSmallIntegerField(_("item"))
    gcode = models.CharField(_("HS code"), max_length=10)
    gname = models.CharField(_("goods name"), max_length=250)
    country = models.CharField(_("final destination"), max_length=3)
    currency = models.CharField(_("currency"), max_length=3)
    qty1 = models.DecimalField(_("first legal quantity"), **QTY)
    unit1 = models.CharField(_("first legal unit"), max_length=3)
    qty2 = models.DecimalField(_("second legal quantity"), **QTY, null=True, blank=True)
    unit2 = models.CharField(_("second legal unit"), max_length=3, blank=True)
    total_price = models.DecimalField(_("total"), **MONEY)
    list_lines = models.PositiveIntegerField(_("list lines"), default=0)

    class Meta:
        ordering = ["declaration", "gnum"]
        constraints = [models.UniqueConstraint(fields=["declaration", "gnum"], name="customs_decl_item")]

    def __str__(self):
        return f"{self.declaration_id}:{self.gnum}"


class SummaryReminder(models.Model):
    """A deadline reminder sent for one consignor and month (``kind``: 5 days, 1 day before, overdue): the
    row makes the beat task's reminders idempotent — each is sent once."""

    owner = models.ForeignKey("portal.Organisation", on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("month"))
    kind = models.CharField(max_length=10)
    deadline = models.DateField(_("deadline"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "period", "kind"], name="customs_summary_reminder_once")
        ]

    def __str__(self):
        return f"{self.owner_id} {self.period:%Y-%m} {self.kind}"
