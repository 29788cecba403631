"""Text pools of the SYNTHETIC sample pipeline (scripts/sample_pipeline.py): company brands,
project words, messages, next actions, notes, problems and their lead departments.

Every company, person and problem here is invented; company names all start with 示例 (or
"Sample" in English), so nobody can mistake them for real firms.
"""

# Land-use code prefixes of the parcels each industry looks for (sample parcels' codes).
LAND_USES = {
    "intelligent_equipment": ("1001",), "advanced_manufacturing": ("1001",),
    "new_materials": ("1001",), "electronics": ("1001",), "new_energy": ("1001",),
    "biomedicine": ("1001", "0802"), "software": ("0802", "0902"), "logistics": ("1101",),
    "commerce": ("0901", "0904"), "culture_tourism": ("0901", "0902"),
    "other": ("0904", "0902"),
}
# How often each industry comes up (花山区 style: equipment, materials, electronics, software).
INDUSTRY_WEIGHTS = {
    "intelligent_equipment": 5, "advanced_manufacturing": 4, "new_materials": 3,
    "electronics": 3, "software": 3, "new_energy": 2, "biomedicine": 1, "logistics": 3,
    "commerce": 2, "culture_tourism": 1, "other": 1,
}
# Median planned investment per industry, 万元 (log-normal around it).
MEDIAN_INVESTMENT_WAN = {
    "intelligent_equipment": 9000, "advanced_manufacturing": 9000, "new_materials": 8000,
    "electronics": 8000, "new_energy": 12000, "biomedicine": 7000, "software": 3000,
    "logistics": 5000, "commerce": 4000, "culture_tourism": 3000, "other": 1500,
}
# (company word, project words) per industry.
INDUSTRY_WORDS = {
    "intelligent_equipment": ("智能装备", "智能装备生产基地"),
    "advanced_manufacturing": ("精密制造", "高端零部件制造"),
    "new_materials": ("新材料", "新型合金材料"),
    "electronics": ("电子科技", "电子元器件"),
    "new_energy": ("新能源科技", "储能电池组件"),
    "biomedicine": ("生物医药", "医疗器械生产"),
    "software": ("软件技术", "软件研发中心"),
    "logistics": ("供应链管理", "智慧物流园"),
    "commerce": ("商业管理", "商业综合体"),
    "culture_tourism": ("文化旅游", "文旅街区"),
    "other": ("实业", "综合服务"),
}
ENGLISH_WORDS = {
    "intelligent_equipment": "Intelligent Equipment", "advanced_manufacturing": "Precision Parts",
    "new_materials": "New Materials", "electronics": "Electronics", "new_energy": "Energy Storage",
    "biomedicine": "Medical Devices", "software": "Software", "logistics": "Supply Chain",
    "commerce": "Retail", "culture_tourism": "Culture and Tourism", "other": "Industrial",
}
BRANDS = ("鼎新", "恒远", "博川", "星衡", "启航", "云岚", "安澜", "拓海", "晟泰", "联拓",
          "易达", "华跃", "泓润", "景曜", "明峰", "同舟", "睿驰", "宏图", "汇川", "青禾",
          "澄远", "广德", "长恒", "金桥", "嘉禾", "乐成", "融创", "中衡", "东曦", "锦程",
          "远帆", "思源", "瑞丰", "合力", "天钺", "润泽", "信达", "凯越", "和盛", "百川",
          "祥瑞", "新程", "昊天", "英杰", "卓越", "智远", "永泰", "弘毅",
          "海岳", "云帆", "朗泰", "精诚", "华盛", "北辰", "盛元", "立德")
ENGLISH_BRANDS = ("Northstar", "Riverbend", "Bluepeak", "Greenway", "Silverline")
ORIGINS = ("苏州", "无锡", "常州", "南京", "上海", "杭州", "宁波", "合肥", "芜湖", "马鞍山")
ENGLISH_ORIGINS = ("Suzhou", "Shanghai", "Ningbo", "Hangzhou", "Wuxi")
SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱")
ENGLISH_NAMES = ("Sample Contact Lee", "Sample Contact Chen", "Sample Contact Wang",
                 "Sample Contact Zhou", "Sample Contact Xu")
TITLES = ("先生", "女士")
OWNERS = ("sample.wang", "sample.chen", "sample.zhao", "sample.liu")  # staff account names

MESSAGES = (
    "我司计划在长三角新建{word}项目，需用地约{mu}亩，请介绍地块规划条件和供地时间。",
    "看中贵区的地块，想了解土地价格、投资强度要求和相关扶持政策。",
    "公司拟扩大产能，希望约时间来现场踏勘，请安排对接人员。",
    "请问地块周边供电、供水、天然气条件如何？是否可以分期供地？",
    "计划投资约{investment}万元，能否提供代建厂房或租赁过渡方案？",
    "我们关注沿江和205国道附近的地块，请发送可供地块清单。",
)
ENGLISH_MESSAGES = (
    "We plan a {word} plant of about {mu} mu in the Yangtze River Delta. Please send the "
    "planning conditions and the expected supply date.",
    "Could you tell us the land price, the investment intensity required and the incentives?",
    "We would like to visit the site next month. Who should we contact?",
)
# What a /select query string adds to the industry's land uses (a shortlist's requirement).
REQUIREMENT_EXTRAS = ("", "&lease_min=40")

NEXT_ACTIONS = {
    "lead": ("发送可供地块清单和招商政策", "安排企业负责人来区考察", "电话回访了解投资意向"),
    "negotiating": ("约谈企业确定投资协议条款", "报区招商引资联席会议审议", "陪同企业踏勘备选地块",
                    "提供项目评估报告"),
    "signed": ("督促企业办理施工许可", "协调供电公司落实接电方案", "跟进土地出让金缴纳",
               "组织开工前联合审图"),
    "started": ("跟进厂房主体施工进度", "协调设备进场和临时用电", "督促落实扬尘治理措施"),
}
DROP_REASONS = ("企业投资计划调整，暂缓在长三角布局", "用地规模与可供地块不匹配，企业另行选址",
                "环评要求与企业工艺不符，企业放弃", "企业选择外地园区（政策条件差异）")
NOTES = {
    "lead": ("企业通过投资促进中心网站留言，已电话回访。",
             "已发送可供地块清单和招商政策汇编。",
             "企业负责人计划下月来马鞍山考察。"),
    "negotiating": ("陪同企业踏勘地块，企业对交通条件满意。",
                    "就投资强度和亩均税收承诺进行第二轮洽谈。",
                    "企业要求代建标准厂房，需报区招商会研究。",
                    "已提交项目评估报告，等待企业决策层意见。"),
    "signed": ("投资协议已签订，约定签约后6个月内开工。",
               "企业已缴纳土地出让金首期款。",
               "协调办理不动产权证书。"),
    "started": ("项目举行开工仪式，主体结构施工中。",
                "督促施工单位落实扬尘治理措施。",
                "钢结构厂房封顶。"),
    "producing": ("一期设备调试完成，开始试生产。", "项目正式投产，纳入规上企业培育库。"),
    "dropped": ("企业书面告知终止在本区投资。", "与企业再次沟通，确认终止，地块恢复可供。"),
}
STREET = "{street}"  # a problem's department is the project's or parcel's street (街道)
PROJECT_PROBLEMS = (
    ("自然资源和规划局", "规划条件论证未完成（205国道沿线控制带）"),
    ("自然资源和规划局", "用地预审与选址意见书待办理"),
    ("自然资源和规划局", "地块涉及永久基本农田调整，待上级批复"),
    ("住建局", "施工图审查未通过，需补充消防设计"),
    ("住建局", "施工许可证待核发"),
    ("生态环境分局", "环评报告待批复"),
    ("生态环境分局", "排污总量指标待落实"),
    ("供电公司", "专线接电容量不足，需增容改造"),
    ("水务局", "工业用水接入管网未到位"),
    ("发改委", "项目备案信息需变更"),
    (STREET, "地上附着物征迁未完成"),
    (STREET, "周边居民诉求未化解（施工噪声）"),
)
PUBLIC_PARCEL_PROBLEMS = (  # what an investor should know about a parcel
    ("供电公司", "地块内有10kV架空线路，需迁改后方可建设"),
    ("交通运输局", "地块东侧规划道路尚未建成，暂由临时便道进出"),
    (STREET, "地块内有待拆除的旧厂房（历史遗留问题）"),
    ("水务局", "地块西侧有排涝沟渠，需改道后方可平整"),
)
RIVERSIDE_PROBLEM = ("自然资源和规划局", "地块位于沿江1公里范围，不得引进化工等高污染项目")
RIVERSIDE_STREETS = ("金家庄街道", "塘西街道")
INTERNAL_PARCEL_PROBLEMS = (  # staff only
    (STREET, "原土地使用权人补偿争议未了结（历史遗留问题）"),
    ("自然资源和规划局", "测绘面积与不动产登记面积不一致，待复核"),
    (STREET, "征迁补偿款未拨付到位"),
)
PROBLEM_NOTES = ("已召开协调会，明确责任分工。", "牵头单位已出具书面意见。", "列入周调度重点事项。",
                 "企业补充材料后重新提交。")
SOLVED_NOTES = ("已办结，批复文件已送达企业。", "问题已解决，经现场核实。")
