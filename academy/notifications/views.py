"""GOV.UK Notify's delivery receipts: the one endpoint without a session or CSRF token.

Notify POSTs a JSON receipt with the bearer token set in its "Callbacks" page; anything without that
token (compared in constant time) is refused, and with no token configured every call is refused.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from academy.notifications.services import delivery_receipt_record


def bearer_token_valid(request: HttpRequest) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not token:
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


# CSRF-exempt on purpose and only here: the caller is Notify's server, authenticated by its bearer token.
@method_decorator(csrf_exempt, name="dispatch")
class NotifyCallbackView(View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if not bearer_token_valid(request):
            return HttpResponseForbidden("Not allowed.")
        try:
            receipt = json.loads(request.body)
            reference, status = str(receipt["id"]), str(receipt["status"])
        except (ValueError, KeyError, TypeError):
            return JsonResponse({"error": "A receipt needs an id and a status."}, status=400)
        recorded = delivery_receipt_record(reference=reference, status=status)
        # 200 either way: a receipt for a message we no longer hold must not make Notify retry it.
        return JsonResponse({"recorded": recorded})
