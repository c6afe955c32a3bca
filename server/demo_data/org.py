"""The demo organization: a province, 2 cities, 2 counties, 4 halls with 2 counters each, and its users.

Users of every role, all with one documented password.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from server.models.org import Counter, OrgKind, OrgUnit
from server.models.users import User
from server.security import hash_password
from shared_models.roles import Role

#: The one password of every demo user (docs/demo-users.md). For demonstrations only.
DEMO_PASSWORD = "Demo-2026"  # noqa: S105 - a documented demo password, not a secret


@dataclass(frozen=True)
class Hall:
    """A service hall (营业厅) and the streets, villages and ID regions of the people it serves."""

    code: str
    name: str
    county: str
    city: str  # 杭州市
    district: str  # 西湖区
    streets: tuple[str, ...]
    towns: tuple[tuple[str, tuple[str, ...]], ...]  # (镇, villages)
    id_regions: tuple[str, ...]  # GB/T 2260 codes for ID numbers of people living there


CENTER = ("P33", "省电力公司")
CITIES = (("C01", "杭州供电公司"), ("C02", "宁波供电公司"))
COUNTIES = (("C01K01", "西湖区供电分公司", "C01"), ("C02K01", "鄞州区供电分公司", "C02"))
HALLS = (
    Hall("H01", "文三路营业厅", "C01K01", "杭州市", "西湖区",
         ("文三路", "文二路", "文一路", "教工路", "学院路", "天目山路", "西溪路", "保俶路", "杭大路", "曙光路",
          "黄龙路", "万塘路"),
         (("三墩镇", ("灯塔村", "绕城村", "石祥村")),),
         ("330106", "330106", "330106", "330102", "330105", "330108", "330110")),
    Hall("H02", "三墩营业厅", "C01K01", "杭州市", "西湖区",
         ("古墩路", "紫金港路", "振华路", "西园路", "留祥路", "余杭塘路", "申花路", "三墩路"),
         (("三墩镇", ("兰里村", "方家村", "厚仁村")), ("双浦镇", ("杨家村", "东江嘴村", "新沙村"))),
         ("330106", "330106", "330106", "330105", "330110", "330109")),
    Hall("H03", "首南营业厅", "C02K01", "宁波市", "鄞州区",
         ("天童南路", "鄞州大道", "首南中路", "泰康中路", "惠风东路", "嵩江中路", "宁南南路", "四明中路",
          "钱湖北路", "日丽中路", "天童北路"),
         (("五乡镇", ("宝幢村", "明伦村")), ("东吴镇", ("天童村", "勤勇村"))),
         ("330212", "330212", "330212", "330203", "330205", "330206", "330211")),
    Hall("H04", "姜山营业厅", "C02K01", "宁波市", "鄞州区",
         ("姜山镇景江路", "姜山镇明山路", "姜山镇科技路", "姜山镇望童路", "钱湖南路"),
         (("姜山镇", ("走马塘村", "陈婆渡村", "井亭村", "茅山村", "蔡郎桥村")),
          ("咸祥镇", ("咸一村", "南头村")), ("横溪镇", ("横溪村", "梅岭村"))),
         ("330212", "330212", "330212", "330213", "330203", "330227")),
)

#: (user name, role, org code, display name): admin at the center; per hall two cashiers, a
#: supervisor and a meter reader; per city a billing clerk (at the city) and a business clerk.
DEMO_USERS: tuple[tuple[str, Role, str, str], ...] = (
    ("admin", Role.ADMIN, "P33", "沈建国"),
    ("cashier0101", Role.CASHIER, "H01", "王丽娟"), ("cashier0102", Role.CASHIER, "H01", "陈晓燕"),
    ("supervisor01", Role.SUPERVISOR, "H01", "张海波"), ("reader01", Role.METER_READER, "H01", "李强"),
    ("cashier0201", Role.CASHIER, "H02", "周婷婷"), ("cashier0202", Role.CASHIER, "H02", "徐静"),
    ("supervisor02", Role.SUPERVISOR, "H02", "吴志刚"), ("reader02", Role.METER_READER, "H02", "孙伟"),
    ("cashier0301", Role.CASHIER, "H03", "林雪芬"), ("cashier0302", Role.CASHIER, "H03", "胡佳怡"),
    ("supervisor03", Role.SUPERVISOR, "H03", "郑立新"), ("reader03", Role.METER_READER, "H03", "鲍军"),
    ("cashier0401", Role.CASHIER, "H04", "应美玲"), ("cashier0402", Role.CASHIER, "H04", "邬敏"),
    ("supervisor04", Role.SUPERVISOR, "H04", "俞晓东"), ("reader04", Role.METER_READER, "H04", "汪磊"),
    ("billing01", Role.BILLING_CLERK, "C01", "杨春梅"), ("billing02", Role.BILLING_CLERK, "C02", "蒋海燕"),
    ("business01", Role.BUSINESS_CLERK, "H01", "朱文杰"), ("business02", Role.BUSINESS_CLERK, "H03", "董丽萍"),
)


def load_org(session: Session) -> tuple[dict[str, int], int, dict[str, int]]:
    """The org tree, counters (not enrolled) and users; returns ids by code / user name."""
    org: dict[str, int] = {}

    def unit(code: str, name: str, kind: OrgKind, parent: str | None) -> None:
        row = OrgUnit(code=code, name=name, kind=kind, parent_id=org[parent] if parent else None)
        session.add(row)
        session.flush()
        org[code] = row.id

    unit(*CENTER, OrgKind.CENTER, None)
    for code, name in CITIES:
        unit(code, name, OrgKind.CITY, CENTER[0])
    for code, name, city in COUNTIES:
        unit(code, name, OrgKind.COUNTY, city)
    counters = 0
    for hall in HALLS:
        unit(hall.code, hall.name, OrgKind.HALL, hall.county)
        for n in (1, 2):
            session.add(Counter(hall_id=org[hall.code], code=f"{hall.code}0{n}", name=f"{n}号柜台"))
            counters += 1
    users: dict[str, int] = {}
    for username, role, org_code, display in DEMO_USERS:
        user = User(username=username, display_name=display, role=role, org_unit_id=org[org_code],
                    password_hash=hash_password(DEMO_PASSWORD), must_change_password=False, failed_attempts=0,
                    active=True)
        session.add(user)
        session.flush()
        users[username] = user.id
    return org, counters, users

