"""Demo people: names, citizen ID numbers, phones, shop and farm names, drawn from one seeded generator."""

from __future__ import annotations

import datetime as dt
import random

from server.demo_data.org import Hall

# Common surnames with rough frequencies in per mille (Zhejiang flavour: 沈, 俞, 应, 邬, 鲍 …).
_SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 55), ("杨", 31), ("黄", 22), ("赵", 20), ("吴", 22),
    ("周", 19), ("徐", 17), ("孙", 14), ("马", 13), ("朱", 13), ("胡", 13), ("郭", 11), ("何", 10), ("高", 10),
    ("林", 11), ("罗", 9), ("郑", 10), ("梁", 7), ("谢", 6), ("宋", 6), ("唐", 6), ("许", 7), ("韩", 5), ("冯", 5),
    ("邓", 5), ("曹", 5), ("彭", 5), ("曾", 4), ("肖", 4), ("田", 4), ("董", 4), ("袁", 4), ("潘", 5), ("于", 4),
    ("蒋", 5), ("蔡", 4), ("余", 4), ("杜", 3), ("叶", 5), ("程", 3), ("苏", 3), ("魏", 3), ("吕", 3), ("丁", 3),
    ("任", 3), ("沈", 6), ("姚", 3), ("卢", 3), ("姜", 2), ("崔", 2), ("钟", 2), ("谭", 2), ("陆", 4), ("汪", 3),
    ("范", 2), ("金", 3), ("石", 2), ("廖", 2), ("贾", 2), ("夏", 2), ("方", 3), ("邵", 2), ("钱", 2), ("顾", 2),
    ("毛", 2), ("孔", 1), ("戴", 2), ("严", 1), ("俞", 2), ("应", 1), ("邬", 1), ("鲍", 1), ("楼", 1), ("童", 1),
    ("欧阳", 1), ("诸葛", 1), ("上官", 1), ("司马", 1),
)


def _names(words: str) -> tuple[str, ...]:
    """A table of names written as one space-separated string (long lists stay readable)."""
    return tuple(words.split())


# Given names by generation: (born before 1965, 1965-1985, after 1985), male then female.
_GIVEN = {
    (0, "m"): _names(
        "建国 建华 国强 国庆 建军 志强 德明 永刚 卫东 国华 振华 洪涛 文斌 金根 阿根 水根 福根 荣华 宝林 "
        "炳坤 志明 明华 庆丰 根宝 军 强 华 明 平 刚 林 忠 福 海"
    ),
    (0, "f"): _names(
        "秀英 桂英 秀兰 玉兰 桂兰 秀珍 凤英 玉梅 淑珍 丽华 美华 月英 彩娥 雪芬 美娟 秀芳 爱华 菊芬 金娣 "
        "阿娣 英 兰 珍 芳 华 梅 萍 琴"
    ),
    (1, "m"): _names(
        "伟 磊 勇 杰 涛 斌 军 鹏 辉 峰 波 健 东 亮 刚 强 志刚 海波 建平 晓东 晓明 立新 永强 文杰 海涛 "
        "伟民 俊杰 建伟 小平 剑锋 国栋"
    ),
    (1, "f"): _names(
        "芳 敏 静 丽 艳 娟 霞 燕 玲 红 琴 洁 丽娟 海燕 晓燕 春梅 红梅 丽萍 晓红 雪梅 美玲 丽丽 亚萍 巧玲 "
        "婷婷 琳琳 晓霞"
    ),
    (2, "m"): _names(
        "浩 宇 鑫 凯 帅 超 阳 杰 浩然 宇轩 子轩 俊杰 家豪 文博 思远 一鸣 天宇 子豪 博文 宇航 晨阳 嘉豪 "
        "明轩 昊天 梓豪 睿 航 晨 哲 逸"
    ),
    (2, "f"): _names(
        "婷 雪 琳 颖 倩 佳 悦 璐 欣怡 子涵 梓涵 雨涵 诗涵 佳怡 嘉怡 思琪 雨欣 一诺 欣妍 可馨 梦瑶 佳琪 "
        "晓彤 心怡 雨婷 紫萱 静怡 婧 瑶 妍"
    ),
}
_GIVEN_CHARS = {
    "m": "建国志明伟强文军华平海东俊杰涛斌鹏宇浩晓永立金德家子天振学新荣成勇辉飞军峰",
    "f": "秀丽美玉红晓静婷雪燕芳佳欣雨梦思慧敏琳颖晶霞兰萍月春桂秋诗怡娟丹玲洁",
}
_SHOP_BRANDS = ("鑫源", "恒达", "华联", "永盛", "天成", "瑞丰", "金鼎", "宏达", "兴旺", "祥和", "同福", "万家",
                "佳和", "顺发", "聚福", "嘉禾", "百味", "新风", "大丰", "隆兴", "开元", "四季", "阿明", "老张")
_SHOP_KINDS = ("便利店", "超市", "面馆", "餐厅", "理发店", "五金店", "药房", "水果店", "服装店", "烟酒店", "茶楼",
               "干洗店", "汽修厂", "快递驿站", "培训中心", "小吃店", "早餐店", "农资店")
_TRADES = ("贸易", "科技", "电子", "机械", "服饰", "食品", "建材", "物流", "文化传媒", "餐饮管理", "五金制品", "包装")
_PHONE_PREFIXES = tuple(
    f"{p}" for p in (*range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 173, 175, 176, 177, 178,
                     *range(180, 190), 191, 198, 199)
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_BIRTH_FIRST = dt.date(1940, 1, 1).toordinal()
_BIRTH_LAST = dt.date(2005, 12, 31).toordinal()


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a citizen ID number."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


class People:
    """Names, phones, ID numbers and addresses drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._surnames = [s for s, _ in _SURNAMES]
        self._cum_weights: list[int] = []
        total = 0
        for _, weight in _SURNAMES:
            total += weight
            self._cum_weights.append(total)

    def person(self, hall: Hall) -> tuple[str, str]:
        """(name, ID number) of someone registered in the hall's city."""
        rng = self._rng
        male = rng.random() < 0.5
        birth = dt.date.fromordinal(rng.randint(_BIRTH_FIRST, _BIRTH_LAST))
        era = 0 if birth.year < 1965 else 1 if birth.year <= 1985 else 2
        gender = "m" if male else "f"
        surname = rng.choices(self._surnames, cum_weights=self._cum_weights)[0]
        if rng.random() < 0.55:
            given = rng.choice(_GIVEN[era, gender])
        else:
            chars = _GIVEN_CHARS[gender]
            given = rng.choice(chars) if rng.random() < 0.3 else rng.choice(chars) + rng.choice(chars)
        order = rng.randrange(0, 500) * 2 + (1 if male else 0)  # odd for men, even for women
        first17 = f"{rng.choice(hall.id_regions)}{birth:%Y%m%d}{order:03d}"
        return surname + given, first17 + id_check_digit(first17)

    def business(self, hall: Hall) -> str:
        """A shop or company name."""
        rng = self._rng
        if rng.random() < 0.6:
            return rng.choice(_SHOP_BRANDS) + rng.choice(_SHOP_KINDS)
        return f"{hall.city[:-1]}{rng.choice(_SHOP_BRANDS)}{rng.choice(_TRADES)}有限公司"

    def farm(self, hall: Hall) -> str:
        """A cooperative or family farm."""
        rng = self._rng
        town, villages = rng.choice(hall.towns)
        if rng.random() < 0.5:
            return f"{town}{rng.choice(villages)}股份经济合作社"
        return f"{rng.choice(self._surnames[:30])}{rng.choice(_SHOP_BRANDS)}家庭农场"

    def phone(self) -> str:
        """A mobile number ``1[3-9]`` followed by nine digits."""
        return f"{self._rng.choice(_PHONE_PREFIXES)}{self._rng.randrange(10**8):08d}"

