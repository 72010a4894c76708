"""
The portal's part of the demo park: the "living in the park" page, in Chinese and English.

Written through the service (audited) as the demo's superuser. The texts
describe a fictitious living quarter of a coal and chemical zone in the
Junggar Basin: cold winters, shift work, shuttle buses to the plants.
"""

from __future__ import annotations

from typing import Any

from iepark.careers.models import LivingSection

from . import services

# (icon, title, title_en, body, body_en)
SECTIONS: list[tuple[str, str, str, str, str]] = [
    (
        "building",
        "学生公寓",
        "Student residences",
        "生活区共有6栋学生公寓，以四人间为主，每间配独立卫生间、淋浴、书桌和衣柜。冬季集中供暖，室温不低于18℃。\n"
        "实习学生住宿费每月200元，多数企业为订单班学生和实习生报销。公寓24小时有宿管值班，刷卡进出，"
        "每层设洗衣房和开水间。",
        "Six residence blocks, mostly four-person rooms with their own bathroom and shower, desks and wardrobes. "
        "Central heating keeps the rooms at 18 °C or more through the winter.\n"
        "Interns pay ¥200 a month, and most enterprises refund it for their order-class students and interns. "
        "Wardens are on duty around the clock, entry is by card, and every floor has a laundry room and hot water.",
    ),
    (
        "cup-hot",
        "食堂",
        "Canteens",
        "两个食堂：早餐6:30—8:30，午餐11:30—13:30，晚餐18:00—20:00；倒班员工另有夜宵窗口（23:30—次日1:00）。"
        "设有清真餐厅。\n一荤两素套餐约12元，可用饭卡或手机支付。多数企业每月发放300—600元餐补，直接充入饭卡。",
        "Two canteens: breakfast 6:30–8:30, lunch 11:30–13:30, dinner 18:00–20:00, and a late-night window "
        "(23:30–1:00) for shift workers. There is a halal dining hall.\n"
        "A set meal with one meat and two vegetable dishes costs about ¥12, paid by canteen card or phone. Most "
        "enterprises add a meal allowance of ¥300–600 a month straight onto the card.",
    ),
    (
        "heart-pulse",
        "卫生服务站",
        "Health station",
        "园区卫生服务站有全科医生和护士，门诊时间8:00—20:00，夜间有值班医生。可诊治常见病、处理轻伤，"
        "并预约入职和职业健康体检。\n急重症由救护车送往开发区医院，车程约25分钟。学生凭医保卡就诊，按规定报销。",
        "The park's health station has a general practitioner and nurses: consultations 8:00–20:00 and a doctor "
        "on call at night. It treats common illnesses and minor injuries and books pre-employment and "
        "occupational health checks.\nEmergencies go by ambulance to the zone hospital, about 25 minutes away. "
        "Students' medical insurance covers visits under the usual rules.",
    ),
    (
        "basket",
        "超市与快递",
        "Supermarket and parcels",
        "生活区超市每天9:00—23:00营业，日用品、水果、零食齐全，价格与县城相当。\n"
        "快递驿站代收代发各家快递，内地寄来的包裹一般5—7天送达。",
        "The supermarket in the living quarter opens 9:00–23:00 with daily necessities, fruit and snacks at "
        "county-town prices.\nThe parcel station receives and sends parcels of every courier; parcels from inland "
        "provinces usually take 5–7 days.",
    ),
    (
        "trophy",
        "运动健身",
        "Sports",
        "室内体育馆有篮球、羽毛球和乒乓球场，健身房对园区学生和员工免费开放（6:30—22:00）。室外有田径场和足球场。\n"
        "每年举办职工篮球联赛、拔河比赛和冬季冰雪运动会。",
        "The indoor sports hall has basketball, badminton and table-tennis courts, and the gym is free for the "
        "park's students and employees (6:30–22:00). Outside there is a running track and a football pitch.\n"
        "Every year brings a basketball league, a tug-of-war contest and winter ice-and-snow games.",
    ),
    (
        "bus-front",
        "通勤",
        "Getting to work",
        "企业班车按倒班时间往返生活区与五彩湾、芨芨湖、将军庙各园区，单程20—50分钟，员工免费乘坐。\n"
        "公交车通往开发区管委会和吉木萨尔县城；周末有往返乌鲁木齐的班车，车程约3小时。",
        "Enterprise shuttle buses run between the living quarter and the Wucaiwan, Jijihu and Jiangjunmiao areas "
        "at every shift change; a trip takes 20–50 minutes and is free for employees.\n"
        "Buses go to the zone's administrative centre and to Jimsar county town, and coaches run to Ürümqi at "
        "weekends (about 3 hours).",
    ),
    (
        "wifi",
        "网络与通信",
        "Internet and phone",
        "公寓和教学楼全覆盖校园网，宿舍100M光纤每月30元；三家运营商的5G信号覆盖生活区和各厂区。\n"
        "运营商营业点每周二、周五在生活区服务中心办理业务。",
        "The campus network covers the residences and teaching buildings, with 100 Mbit/s fibre in the rooms for "
        "¥30 a month; all three mobile operators' 5G covers the living quarter and the plants.\n"
        "The operators' counters open at the service centre on Tuesdays and Fridays.",
    ),
    (
        "scissors",
        "理发与洗衣",
        "Barber and laundry",
        "服务中心有理发店（男士剪发15元，女士25元起），营业至21:00；自助洗衣每次4元，烘干5元。\n"
        "另有裁缝修补和修鞋摊点。",
        "The service centre has a barber shop (men's cut ¥15, women's from ¥25), open until 21:00; the "
        "self-service laundry costs ¥4 a wash and ¥5 a dry.\nA tailor and a shoe-repair stall are there too.",
    ),
    (
        "bank",
        "银行与缴费",
        "Banking and bills",
        "服务中心有两家银行的自助柜员机；每周三银行流动服务车到生活区办理开户、工资卡和社保卡业务。\n"
        "水电费、网费都可以在手机上缴纳。",
        "Two banks' cash machines stand in the service centre, and a bank van comes every Wednesday to open "
        "accounts and issue salary and social-security cards.\nElectricity, water and internet bills can be paid "
        "by phone.",
    ),
    (
        "book",
        "阅览与文化生活",
        "Library and free time",
        "图书阅览室开放至22:00，可借阅专业书籍和职业技能等级证书备考资料。\n"
        "周末放映电影，各学院社团组织书法、舞蹈、摄影和志愿服务活动。",
        "The library and reading room opens until 22:00, with technical books and study material for skills "
        "certificates.\nFilms are shown at weekends, and the colleges' clubs run calligraphy, dance, photography "
        "and volunteering.",
    ),
    (
        "snow",
        "气候与安全",
        "Climate and safety",
        "准东冬季夜间最低气温可达零下30℃，夏季白天炎热、昼夜温差大，请带好棉衣和防晒用品。\n"
        "园区24小时安保巡逻，公共区域有视频监控；新入园的同学第一周参加安全教育和厂区安全培训。",
        "Winter nights in Zhundong can reach −30 °C, and summer days are hot with cool nights: bring a warm coat and "
        "sun protection.\nGuards patrol around the clock and cameras cover the public areas; newcomers take a "
        "safety induction and plant safety training in their first week.",
    ),
]


def build(park: Any, *, actor: Any, rng: Any, say: Any) -> None:
    """Write the demo park's living sections (once: a park that has some keeps them)."""
    if LivingSection.objects.filter(park=park).exists():
        return
    for position, (icon, title, title_en, body, body_en) in enumerate(SECTIONS, start=1):
        services.living_section_create(
            actor=actor,
            park=park,
            order=position * 10,
            icon=icon,
            title=title,
            title_en=title_en,
            body=body,
            body_en=body_en,
        )
    say(f"{len(SECTIONS)} living-in-the-park sections")
