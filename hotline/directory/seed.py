"""A made-up city for demos, tests and benchmarks: regions, units with duties, categories, users.

Every name is invented (示例市); nothing here comes from a real hotline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from hotline.directory.models import Category, Region, Unit, User

DEMO_PASSWORD = "demo12345"

DISTRICTS = [("01", "东城区", ["朝阳街道", "文昌街道", "新华街道"]), ("02", "西城区", ["金桥街道", "柳湖街道", "长乐街道"]),
             ("03", "南湖区", ["南湖街道", "湖滨街道", "白鹭镇"]), ("04", "北山县", ["城关镇", "青石镇", "松林乡"])]

#: category code, name, open311 code, keywords, the department whose duty it is
CATEGORIES = [
    ("urban", "城乡建设", "001", "小区 物业 房屋 装修 违建 道路 施工 噪音 工地 路灯 井盖", "D01"),
    ("environment", "环境保护", "002", "污染 排污 油烟 垃圾 臭味 河道 废气 环保 扬尘", "D02"),
    ("traffic", "交通运输", "003", "公交 出租车 线路 站点 停车 道路 网约车 班次", "D03"),
    ("labour", "劳动和社会保障", "004", "工资 拖欠 社保 养老 医保 失业 劳动合同 退休", "D04"),
    ("education", "教育文体", "005", "学校 入学 学位 培训 教师 幼儿园 体育 图书馆", "D05"),
    ("health", "卫生计生", "006", "医院 医生 挂号 疫苗 诊所 药品 卫生 生育", "D06"),
    ("market", "商贸旅游", "007", "商家 消费 退款 价格 虚假 景区 食品 商品 投诉", "D07"),
    ("utilities", "水电气暖", "008", "停水 停电 燃气 水压 电费 供暖 水费 抄表", "C01"),
]

DEPARTMENTS = [("D01", "市住房和城乡建设局"), ("D02", "市生态环境局"), ("D03", "市交通运输局"),
               ("D04", "市人力资源和社会保障局"), ("D05", "市教育局"), ("D06", "市卫生健康委员会"),
               ("D07", "市市场监督管理局"), ("D08", "市城市管理局"), ("D09", "市公安局"), ("D10", "市民政局"),
               ("D11", "市自然资源和规划局"), ("D12", "市医疗保障局")]
COMPANIES = [("C01", "示例市自来水有限公司"), ("C02", "示例供电公司"), ("C03", "示例燃气有限公司"), ("C04", "示例公交集团")]


@dataclass
class City:
    office: Unit
    units: dict[str, Unit] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def staff(self, unit_code: str, leader: bool = False) -> User:
        return self.users[f"{unit_code.lower()}-{'leader' if leader else 'handler'}"]


def _user(username: str, role: str, name: str, unit: Unit | None, password: str) -> User:
    user, _ = User.objects.update_or_create(
        username=username, defaults={"role": role, "display_name": name, "unit": unit, "password": password,
                                     "is_staff": role == User.Role.ADMINISTRATOR,
                                     "is_superuser": role == User.Role.ADMINISTRATOR})
    return user


@transaction.atomic
def seed_city(*, password: str = DEMO_PASSWORD, streets: bool = True) -> City:
    """Create (or complete) the demo city; idempotent."""
    hashed = make_password(password)
    city_region, _ = Region.objects.get_or_create(code="990000", defaults={"name": "示例市", "level": Region.Level.CITY})
    office, _ = Unit.objects.get_or_create(code="HOTLINE", defaults={"name": "示例市12345热线管理中心",
                                                                       "kind": Unit.Kind.HOTLINE_OFFICE, "region": city_region})
    city = City(office=office, regions={"990000": city_region})
    government, _ = Unit.objects.get_or_create(code="GOV", defaults={"name": "示例市人民政府", "kind": Unit.Kind.GOVERNMENT,
                                                                      "region": city_region})
    for code, name in DEPARTMENTS:
        city.units[code], _ = Unit.objects.get_or_create(code=code, defaults={
            "name": name, "kind": Unit.Kind.DEPARTMENT, "parent": government, "region": city_region})
    for code, name in COMPANIES:
        city.units[code], _ = Unit.objects.get_or_create(code=code, defaults={
            "name": name, "kind": Unit.Kind.COMPANY, "region": city_region})
    for number, district_name, street_names in DISTRICTS:
        region, _ = Region.objects.get_or_create(code=f"99{number}00", defaults={
            "name": district_name, "level": Region.Level.DISTRICT, "parent": city_region})
        city.regions[region.code] = region
        district, _ = Unit.objects.get_or_create(code=f"R{number}", defaults={
            "name": f"{district_name}人民政府", "kind": Unit.Kind.GOVERNMENT, "parent": government, "region": region})
        city.units[district.code] = district
        if not streets:
            continue
        for index, street_name in enumerate(street_names, start=1):
            street_region, _ = Region.objects.get_or_create(code=f"99{number}{index:02d}", defaults={
                "name": street_name, "level": Region.Level.STREET, "parent": region})
            city.regions[street_region.code] = street_region
            city.units[f"R{number}S{index}"], _ = Unit.objects.get_or_create(code=f"R{number}S{index}", defaults={
                "name": f"{district_name}{street_name}", "kind": Unit.Kind.STREET, "parent": district,
                "region": street_region})
    for code, name, open311, keywords, owner in CATEGORIES:
        category, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "open311_code": open311,
                                                                          "keywords": keywords})
        city.categories[code] = category
        city.units[owner].duties.add(category)
    for username, role, name in [("operator", User.Role.OPERATOR, "话务员小王"), ("dispatcher", User.Role.DISPATCHER, "派单员小李"),
                                 ("supervisor", User.Role.SUPERVISOR, "督办员老张"), ("analyst", User.Role.ANALYST, "分析员小陈"),
                                 ("admin", User.Role.ADMINISTRATOR, "系统管理员")]:
        city.users[username] = _user(username, role, name, office if role != User.Role.ADMINISTRATOR else None, hashed)
    for code, unit in city.units.items():
        for suffix, role, label in [("handler", User.Role.UNIT_HANDLER, "经办人"), ("leader", User.Role.UNIT_LEADER, "负责人")]:
            city.users[f"{code.lower()}-{suffix}"] = _user(f"{code.lower()}-{suffix}", role, f"{unit.name}{label}", unit, hashed)
    return city
