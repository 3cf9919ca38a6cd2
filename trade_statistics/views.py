"""The officials' statistics dashboard and its CSV/XLSX exports (aggregates only)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views import View

from portal.permissions import RoleRequiredMixin
from trade_statistics import exports, report, selectors
from trade_statistics.policies import STATISTICS_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StatisticsView(RoleRequiredMixin, View):
    required_roles = STATISTICS_ROLES

    def build_report(self) -> report.Report:
        return report.build(selectors.dashboard(user=self.request.user))


class DashboardView(StatisticsView):
    def get(self, request):
        data = self.build_report()
        return render(
            request,
            "trade_statistics/dashboard.html",
            {"report": data, "value_data_note": report.VALUE_DATA_NOTE},
        )


class ExportView(StatisticsView):
    """``fmt`` is ``csv`` or ``xlsx`` (the URL pattern admits nothing else)."""

    fmt = "csv"

    def get(self, request):
        data = self.build_report()
        if self.fmt == "xlsx":
            response = HttpResponse(exports.to_xlsx(data), content_type=XLSX)
        else:
            # A byte-order mark, so spreadsheet programs read the Chinese labels as UTF-8.
            response = HttpResponse("\ufeff" + exports.to_csv(data), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime(data.generated_at).strftime("%Y%m%d")
        name = f"zhejiang-cbec-statistics-{stamp}.{self.fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        patch_cache_control(response, private=True, no_store=True)
        return response
