"""A few orders around the one a test walks, made through the services with past times, so that the queues,
the board and the screenshots look like a working day: some waiting for dispatch (one special-urgent), some
overdue at units (one of them supervised), one waiting for its callback.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from hotline.directory.seed import City
from hotline.orders import services
from hotline.orders.models import Order

CALLS = [
    # (category, appeal type, content, address)
    ("environment", "complaint", "楼下餐馆油烟直排，晚上六点到十点窗户都不能开，已经持续一个多月。", "西城区金桥街道滨河路8号"),
    ("traffic", "suggestion", "建议在学府路小学门口增设上下学时段的临时停车位，接送孩子的车辆常常堵塞路口。", "南湖区南湖街道学府路12号"),
    ("labour", "complaint", "某装饰工程公司拖欠我和工友三个月工资共计24000元，多次讨要无果。", "东城区文昌街道建设路66号"),
    ("utilities", "help", "小区已经停水两天，物业说是自来水公司管网维修，不知道什么时候恢复。", "北山县城关镇人民路3号锦绣花园"),
    ("urban", "complaint", "工地夜间施工到凌晨两点，噪音很大，影响周边居民休息。", "东城区朝阳街道幸福路20号"),
    ("urban", "report", "人行道井盖缺失，晚上很危险，已有老人差点摔倒。", "西城区柳湖街道光明街5号"),
    ("market", "complaint", "在某商贸公司购买的电饭煲三天就坏了，商家拒绝退换。", "南湖区湖滨街道中山路88号"),
]


def _intake(city: City, index: int, at: datetime, **extra: object) -> Order:
    category, appeal_type, content, address = CALLS[index % len(CALLS)]
    arguments: dict[str, object] = {
        "channel": "phone", "appeal_type": appeal_type, "content": content, "category": category,
        "address": address, "requester_phone": f"1380000{index:04d}", "requester_name": "市民", "at": at}
    arguments.update(extra)
    return services.appeal_intake(user=city.users["operator"], **arguments).orders[0]  # type: ignore[arg-type]


def working_day(city: City) -> list[Order]:
    """Orders in the queues of every workbench; returns them, oldest first."""
    now = timezone.now()
    made: list[Order] = []
    # waiting for dispatch, one of them special-urgent
    made.append(_intake(city, 0, now - timedelta(hours=3)))
    made.append(_intake(city, 1, now - timedelta(hours=1)))
    made.append(_intake(city, 3, now - timedelta(minutes=20), urgency="special-urgent"))
    # at units: one never signed, one signed long ago, one signed recently
    late_sign = _intake(city, 4, now - timedelta(days=12))
    services.order_dispatch(order=late_sign.pk, user=city.users["dispatcher"], unit="D01",
                            at=now - timedelta(days=12, minutes=-30))
    made.append(late_sign)
    late_reply = _intake(city, 5, now - timedelta(days=20))
    services.order_dispatch(order=late_reply.pk, user=city.users["dispatcher"], unit="D01",
                            at=now - timedelta(days=20, minutes=-30))
    services.order_sign(order=late_reply.pk, user=city.staff("D01"), at=now - timedelta(days=20, minutes=-60))
    services.order_supervise(order=late_reply.pk, user=city.users["supervisor"], trigger="overdue",
                             note="超期未办结，请三日内书面说明并加快办理。", at=now - timedelta(hours=2))
    made.append(late_reply)
    wages = _intake(city, 2, now - timedelta(days=16))
    services.order_dispatch(order=wages.pk, user=city.users["dispatcher"], unit="D04",
                            at=now - timedelta(days=16, minutes=-30))
    services.order_sign(order=wages.pk, user=city.staff("D04"), at=now - timedelta(days=16, minutes=-60))
    made.append(wages)
    # replied: waiting for its callback
    shop = _intake(city, 6, now - timedelta(days=4))
    services.order_dispatch(order=shop.pk, user=city.users["dispatcher"], unit="D07",
                            at=now - timedelta(days=4, minutes=-30))
    services.order_sign(order=shop.pk, user=city.staff("D07"), at=now - timedelta(days=4, minutes=-60))
    services.order_reply(order=shop.pk, user=city.staff("D07"), at=now - timedelta(days=1),
                         reply={"result": "经核查，商家同意为诉求人更换新的电饭煲。", "contact": "已电话告知诉求人，诉求人表示认可。"})
    made.append(shop)
    return list(Order.objects.filter(pk__in=[o.pk for o in made]).order_by("received_at"))
