"""Surname list and helpers for the name-near-PII heuristic."""

# ~300 most frequent single-character surnames (covers well over 95% of the population)
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯"
    "纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪"
    "简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎"
    "甄丛仲虞敖巩明佘池查麻苑迟邝洪冀郜鞠衣郁蔺宣邰仝位历来占谈晋战揭琚黄"
)

COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒", "夏侯",
    "长孙", "宇文", "轩辕", "端木", "西门", "南宫", "独孤", "澹台", "呼延", "万俟", "钟离", "闻人",
    "赫连", "申屠", "东郭", "拓跋", "完颜",
})

# characters that never occur in a given name in running text (function words, units...)
NOT_GIVEN_NAME = frozenset("的了是在和与及或等为于对从向把被将这那个们有无不也都就而且某＊*元年月日号时分")

# words before a name that introduce it ("户主张三", "申请人：李四")
NAME_LABELS = ("姓名", "户主", "申请人", "联系人", "收款人", "持卡人", "户名", "开户名", "救助对象",
               "村民", "居民", "经办人", "负责人", "领取人", "监护人", "家属", "本人", "对象", "群众",
               "低保户", "贫困户", "五保户", "特困人员", "残疾人", "老人", "患者", "学生", "儿童", "职工",
               "农户", "住户", "业主", "当事人", "被申请人", "代理人")

# words after a name that introduce its personal data ("张三身份证号…", "李四电话…")
NAME_FOLLOWERS = ("身份证", "公民身份", "证件", "电话", "手机", "联系", "号码", "银行", "卡号", "账号",
                  "帐号", "住址", "家住", "先生", "女士", "同志", "的")

# spreadsheet / Word table headers whose column holds personal names
NAME_HEADERS = frozenset({
    "姓名", "户主", "户主姓名", "申请人", "申请人姓名", "联系人", "收款人", "持卡人", "户名", "开户名",
    "救助对象", "被救助人", "对象姓名", "领取人", "监护人", "家庭成员", "成员姓名", "补助对象",
    "享受人", "享受对象", "保障对象", "困难群众", "贫困户", "贫困户姓名", "户主名", "名字", "病人",
    "患者", "学生姓名", "家长姓名", "代理人", "受益人",
})

# a cell value ending with one of these is a place, not a person ("张庄村", "王集镇")
PLACE_SUFFIXES = ("村", "镇", "乡", "区", "县", "市", "街道", "社区", "组", "庄", "屯", "寨", "湾")


def is_name_header(header: str) -> bool:
    h = header.strip().replace(" ", "").replace("\u3000", "")
    return h in NAME_HEADERS or (h.endswith("姓名") and len(h) <= 8)
