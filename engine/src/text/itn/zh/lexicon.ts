/**
 * Word lists for Chinese ITN: words that contain numerals but are not numbers, units that make a
 * lone digit a quantity, currencies, and context words. Lists, not sentences: every entry is a word.
 */

/**
 * Words and idioms written with numerals that must never be converted. Only entries that the
 * number rules would otherwise touch matter (a lone 一 is kept anyway), but common ones are listed
 * so the intent is documented. `exceptBefore`: the word is a number after all when followed by one
 * of these characters (十分钟, 十分之一).
 */
export interface ProtectedWord {
  word: string;
  exceptBefore?: string;
}

export const PROTECTED_WORDS: readonly ProtectedWord[] = [
  // Idioms and set phrases
  { word: '一心一意' }, { word: '三心二意' }, { word: '十全十美' }, { word: '一五一十' }, { word: '七上八下' },
  { word: '乱七八糟' }, { word: '一模一样' }, { word: '十拿九稳' }, { word: '十有八九' }, { word: '十之八九' },
  { word: '八九不离十' }, { word: '十恶不赦' }, { word: '十万火急' }, { word: '三十而立' }, { word: '四十不惑' },
  { word: '五十知天命' }, { word: '五十步笑百步' }, { word: '三十六计' }, { word: '十八般武艺' }, { word: '十八罗汉' },
  { word: '七十二变' }, { word: '二十四节气' }, { word: '九九归一' }, { word: '九九八十一' }, { word: '三七二十一' },
  { word: '一清二楚' }, { word: '一干二净' }, { word: '接二连三' }, { word: '独一无二' }, { word: '数一数二' },
  { word: '三长两短' }, { word: '五花八门' }, { word: '七嘴八舌' }, { word: '七零八落' }, { word: '横七竖八' },
  { word: '四分五裂' }, { word: '五湖四海' }, { word: '九死一生' }, { word: '万无一失' }, { word: '一点一滴' },
  { word: '一点一点' }, { word: '三点一线' }, { word: '两点一线' }, { word: '千方百计' }, { word: '千军万马' },
  { word: '千千万万' }, { word: '成千上万' }, { word: '万水千山' }, { word: '百发百中' }, { word: '百里挑一' },
  { word: '千钧一发' }, { word: '一刀两断' }, { word: '一分为二' }, { word: '一举两得' }, { word: '两全其美' },
  { word: '三番五次' }, { word: '三言两语' }, { word: '五颜六色' }, { word: '四面八方' }, { word: '三三两两' },
  { word: '一石二鸟' }, { word: '一日千里' }, { word: '朝三暮四' }, { word: '丢三落四' }, { word: '颠三倒四' },
  { word: '低三下四' }, { word: '说三道四' }, { word: '不三不四' }, { word: '一年四季' }, { word: '十字路口' },
  { word: '十字架' }, { word: '五月天' }, { word: '十二生肖' }, { word: '十一长假' }, { word: '十一黄金周' }, { word: '十一假期' }, { word: '十一国庆' },
  // Words
  { word: '十分', exceptBefore: '钟之' }, { word: '十足' }, { word: '十字' }, { word: '万一' }, { word: '万万' },
  { word: '千万' }, { word: '一起' }, { word: '统一' }, { word: '一些' }, { word: '一会儿' }, { word: '一会' },
  { word: '一样' }, { word: '一直' }, { word: '一定' }, { word: '一般' }, { word: '唯一' }, { word: '第一时间' },
  { word: '三角形' }, { word: '一点儿' }, { word: '一点点' }, { word: '有点' }, { word: '一切' }, { word: '一旦' },
  { word: '星期一' }, { word: '星期二' }, { word: '星期三' }, { word: '星期四' }, { word: '星期五' },
  { word: '星期六' }, { word: '星期日' }, { word: '星期天' }, { word: '礼拜一' }, { word: '礼拜二' },
  { word: '礼拜三' }, { word: '礼拜四' }, { word: '礼拜五' }, { word: '礼拜六' }, { word: '礼拜天' },
  { word: '一共' }, { word: '一致' }, { word: '一度' }, { word: '一下' }, { word: '零下' }, { word: '万分' },
  { word: '万岁' }, { word: '万物' }, { word: '万事' }, { word: '百姓' }, { word: '百货' },
];

/** Time-of-day words that make 一点零二 a clock time rather than a decimal. */
export const TIME_OF_DAY_WORDS: readonly string[] = [
  '上午', '下午', '早上', '晚上', '凌晨', '中午', '傍晚', '清晨', '早晨', '夜里', '夜间', '半夜', '深夜',
  '午夜', '今早', '明早', '今晚', '明晚', '昨晚', '白天', '黄昏',
];

/** After a bare "N点", these make it a clock time (三点钟, 五点半, 六点的会, 五点起床). */
export const CLOCK_FOLLOWERS = new Set([...'钟半刻整多左前后到至开见起出以之的了再才就准去来吃回睡醒下上集在']);

/** Before a bare "N点", these make it a count of points (这三点, 有两点, 第三点). */
export const CLOCK_BLOCKERS = new Set([...'这那几第哪有两每前后最些']);

/**
 * Units that turn even a lone single digit into a quantity written in digits (五公里 → 5公里).
 * Ordinary measure words (个, 次, 天, 本) are not here: 一个人 stays as spoken.
 */
export const MEASURE_UNITS: readonly string[] = [
  '公里', '千米', '米', '厘米', '毫米', '微米', '纳米', '公斤', '千克', '克', '毫克', '吨', '毫升', '升',
  '摄氏度', '华氏度', '平方米', '平方公里', '平方千米', '立方米', '公顷', '英里', '英尺', '英寸', '海里',
  '小时', '分钟', '秒钟', '秒', '毫秒', '微秒', '赫兹', '千赫', '兆赫', '千瓦时', '千瓦', '瓦', '伏特', '伏', '安培',
  '毫安', '焦耳', '卡路里', '千卡', '兆帕', '千帕', '帕', '分贝', '个百分点', '倍',
];

/**
 * Measure words (量词) and similar that make a bare 十 a count (十个, 十人, 十年); without one, a bare
 * 十 is more often part of a set phrase (五光十色, 闻一知十) and stays as spoken.
 */
export const TEN_FOLLOWERS = new Set([...'个人位名年月日号天周次岁条件本张只头家项届期章节层楼页遍倍分点秒元块毛角斤米里多来余%']);

/** Currency words written after the amount; a number before them is money (三美元 → 3美元). */
export const CURRENCY_WORDS: readonly string[] = [
  '人民币', '美元', '美金', '欧元', '英镑', '日元', '韩元', '港元', '港币', '澳元', '加元', '新台币', '台币',
  '印度卢布', '卢布', '法郎', '马来西亚令吉', '新加坡元', '泰铢', '元', '圆', '块钱',
];

/** Words before a digit-by-digit reading that make it a number string (手机一三五…, 尾号一二三四). */
export const DIGIT_CONTEXT_WORDS: readonly string[] = [
  '电话', '手机', '号码', '尾号', '拨打', '拨', '打给', '致电', '编号', '密码', '验证码', '房间', '工号', '学号',
  '账号', '卡号', '邮编', '单号', '车次', '航班', '分机', '热线', '号是',
];

/** Prefixes of an era-marked year (公元一六三年 may be read with three digits). */
export const ERA_WORDS: readonly string[] = ['公元前', '公元', '纪元前', '纪元'];
