"""The bench's ceiling: the least a Django JSON view on this stack can do (one indexed primary-key lookup).

Routed only when LUMIRA_BENCH is on (lumira/urls.py includes bench/urls.py); `make bench` compares every endpoint to it.
"""

from django.http import Http404, JsonResponse

from orders.models import Order


def ceiling(request, order_id):
    row = Order.objects.filter(pk=order_id).values("id", "status").first()
    if row is None:
        raise Http404
    return JsonResponse({"id": str(row["id"]), "status": row["status"]})
