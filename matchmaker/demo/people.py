"""Name parts for the demo world: contact persons and company 字号 with their pinyin.

Everything here is fictional; the 字号 are two-character combinations chosen so that the
generated company names do not copy real, well-known enterprises.
"""

from __future__ import annotations

SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
    ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("萧", "xiao"), ("田", "tian"), ("董", "dong"), ("潘", "pan"),
    ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"), ("杜", "du"), ("叶", "ye"),
    ("程", "cheng"), ("魏", "wei"), ("苏", "su"), ("吕", "lyu"), ("丁", "ding"), ("任", "ren"),
    ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"), ("钟", "zhong"),
)

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("静", "jing"), ("敏", "min"), ("强", "qiang"), ("磊", "lei"),
    ("洋", "yang"), ("艳", "yan"), ("勇", "yong"), ("军", "jun"), ("杰", "jie"), ("娟", "juan"),
    ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀兰", "xiulan"), ("海涛", "haitao"),
    ("晓东", "xiaodong"), ("建华", "jianhua"), ("志强", "zhiqiang"), ("文博", "wenbo"),
    ("雪梅", "xuemei"), ("国栋", "guodong"), ("丽娜", "lina"), ("子涵", "zihan"), ("浩然", "haoran"),
    ("思远", "siyuan"), ("雨桐", "yutong"), ("佳怡", "jiayi"), ("俊杰", "junjie"), ("晨曦", "chenxi"),
    ("永刚", "yonggang"), ("红霞", "hongxia"), ("立新", "lixin"), ("春燕", "chunyan"), ("德明", "deming"),
    ("鹏飞", "pengfei"), ("婉清", "wanqing"), ("宏伟", "hongwei"), ("振华", "zhenhua"), ("一鸣", "yiming"),
    ("嘉欣", "jiaxin"), ("少峰", "shaofeng"), ("凯", "kai"), ("琳", "lin"), ("博文", "bowen"),
)

# First and second characters of company 字号 (trade names).
BRAND_FIRST: tuple[tuple[str, str], ...] = (
    ("恒", "heng"), ("瑞", "rui"), ("鼎", "ding"), ("嘉", "jia"), ("弘", "hong"), ("晟", "sheng"),
    ("泓", "hong"), ("卓", "zhuo"), ("铭", "ming"), ("翔", "xiang"), ("锦", "jin"), ("博", "bo"),
    ("凯", "kai"), ("润", "run"), ("昊", "hao"), ("拓", "tuo"), ("峰", "feng"), ("科", "ke"),
    ("迈", "mai"), ("睿", "rui"), ("众", "zhong"), ("越", "yue"), ("德", "de"), ("立", "li"),
    ("永", "yong"), ("启", "qi"), ("天", "tian"), ("易", "yi"), ("精", "jing"), ("联", "lian"),
    ("朗", "lang"), ("祺", "qi"), ("骏", "jun"), ("沃", "wo"), ("昕", "xin"), ("奥", "ao"),
)
BRAND_SECOND: tuple[tuple[str, str], ...] = (
    ("锐", "rui"), ("泰", "tai"), ("诚", "cheng"), ("达", "da"), ("辉", "hui"), ("宇", "yu"),
    ("源", "yuan"), ("通", "tong"), ("盛", "sheng"), ("远", "yuan"), ("川", "chuan"), ("恩", "en"),
    ("创", "chuang"), ("升", "sheng"), ("科", "ke"), ("驰", "chi"), ("峻", "jun"), ("煜", "yu"),
    ("捷", "jie"), ("航", "hang"), ("尔", "er"), ("力", "li"), ("华", "hua"), ("芯", "xin"),
    ("邦", "bang"), ("信", "xin"), ("昇", "sheng"), ("禾", "he"), ("澜", "lan"), ("钧", "jun"),
)
