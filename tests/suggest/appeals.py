"""Invented appeals (示例市) for the suggestion tests: text, category, appeal type, the unit that handled it.

Every text is made up for these tests. The handling units follow this city's practice rather than
the duty table (street lights go to the city management bureau D08, bus matters to the bus company
C04, medical insurance to D12), so a model trained on the archive can beat the cold start.
"""

from __future__ import annotations

#: (text, category, appeal_type, unit)
APPEALS: list[tuple[str, str, str, str]] = [
    ("投诉幸福路小区门口路灯坏了一个月无人修，晚上行人摔倒", "urban", "complaint", "D08"),
    ("投诉朝阳街道路灯不亮，夜里一片漆黑，多次反映没人管", "urban", "complaint", "D08"),
    ("投诉小区旁工地夜间施工噪音太大，凌晨还在打桩", "urban", "complaint", "D08"),
    ("投诉井盖缺失好几天了，路口很危险，孩子差点掉下去", "urban", "complaint", "D08"),
    ("请问老旧小区加装电梯需要哪些手续，业主怎么申请", "urban", "consult", "D01"),
    ("请问房屋装修需要向物业报备吗，违建怎么认定", "urban", "consult", "D01"),
    ("建议在文昌街道增设路灯和减速带，方便居民夜间出行", "urban", "suggestion", "D08"),
    ("举报邻居在楼顶私自加盖违建房屋，存在安全隐患", "urban", "report", "D01"),
    ("投诉河道里有人排污，水面发黑发臭，鱼都死了", "environment", "complaint", "D02"),
    ("投诉楼下饭店油烟直排，家里窗户都不敢开", "environment", "complaint", "D02"),
    ("举报化工厂夜里偷排废气，气味刺鼻，附近居民头疼", "environment", "report", "D02"),
    ("举报有人在河边倾倒建筑垃圾和废油，污染河道", "environment", "report", "D02"),
    ("投诉垃圾站臭味很大，夏天苍蝇成群，长期没有清运", "environment", "complaint", "D02"),
    ("请问家里装修产生的垃圾应该怎么处理，环保有什么规定", "environment", "consult", "D02"),
    ("建议在湖滨公园增加垃圾分类投放点，减少扬尘", "environment", "suggestion", "D02"),
    ("投诉工地扬尘严重，车辆带泥上路，空气很差", "environment", "complaint", "D02"),
    ("投诉3路公交车经常不按站点停靠，司机态度恶劣", "traffic", "complaint", "C04"),
    ("投诉公交班次太少，早高峰等车四十分钟", "traffic", "complaint", "C04"),
    ("建议增开到白鹭镇的公交线路，村民出行不便", "traffic", "suggestion", "C04"),
    ("建议在火车站增设出租车停靠点，网约车乱停", "traffic", "suggestion", "D03"),
    ("请问公交卡老人优惠怎么办理，需要带什么材料", "traffic", "consult", "C04"),
    ("请问网约车驾驶员证去哪里考，需要什么条件", "traffic", "consult", "D03"),
    ("投诉出租车拒载绕路，多收车费不给发票", "traffic", "complaint", "D03"),
    ("求助：在公交车上丢了钱包，里面有证件，请帮忙找回", "traffic", "help", "C04"),
    ("投诉公司拖欠工资三个月，老板一直推脱不发", "labour", "complaint", "D04"),
    ("投诉工地老板拖欠农民工工资，过年回不了家", "labour", "complaint", "D04"),
    ("请问养老保险断缴了怎么补缴，退休年龄怎么算", "labour", "consult", "D04"),
    ("请问失业金怎么申领，需要在社保局办理吗", "labour", "consult", "D04"),
    ("请问医保卡丢了怎么补办，医保报销比例是多少", "labour", "consult", "D12"),
    ("请问异地就医医保备案怎么办理，住院能报销吗", "labour", "consult", "D12"),
    ("投诉单位不签劳动合同也不交社保，辞退不给补偿", "labour", "complaint", "D04"),
    ("求助：被公司辞退后工资不结，家里困难急需用钱", "labour", "help", "D04"),
    ("请问孩子小学入学需要哪些材料，学位怎么分配", "education", "consult", "D05"),
    ("请问幼儿园报名时间是什么时候，户口不在本地能上吗", "education", "consult", "D05"),
    ("投诉培训机构收了学费跑路，家长要求退款无门", "education", "complaint", "D05"),
    ("投诉学校老师体罚学生，孩子不敢上学", "education", "complaint", "D05"),
    ("举报教师违规在校外开办补习班收费", "education", "report", "D05"),
    ("建议图书馆延长开放时间，周末学生没地方自习", "education", "suggestion", "D05"),
    ("建议学校周边增加体育场地，孩子放学没处运动", "education", "suggestion", "D05"),
    ("求助：孩子被学校劝退，家长不知道找谁，请帮忙协调", "education", "help", "D05"),
    ("投诉医院挂号难，排队三个小时看不上医生", "health", "complaint", "D06"),
    ("投诉诊所医生态度差，乱开药多收费", "health", "complaint", "D06"),
    ("请问新生儿疫苗在哪里打，需要预约吗", "health", "consult", "D06"),
    ("请问生育登记怎么办理，网上能办吗", "health", "consult", "D06"),
    ("举报无证诊所非法行医，给老人打吊针", "health", "report", "D06"),
    ("建议社区卫生服务中心增加夜间门诊", "health", "suggestion", "D06"),
    ("求助：孩子半夜高烧，附近诊所都关门了怎么办", "health", "help", "D06"),
    ("求助：家中老人突发疾病，行动不便需要上门医疗", "health", "help", "D06"),
]
