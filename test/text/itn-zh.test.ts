import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inverseNormalize, inverseNormalizeZh } from '../../engine/src/text/itn/index.ts';
import { formatCardinal, parseCardinal } from '../../engine/src/text/itn/zh/numbers.ts';

function check(cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [spoken, written] of cases) assert.equal(inverseNormalizeZh(spoken), written, `input ${spoken}`);
}

test('the product example: 二零二五年三月十二号下午三点 → 2025年3月12日下午3点', () => {
  assert.equal(inverseNormalizeZh('二零二五年三月十二号下午三点'), '2025年3月12日下午3点');
  assert.equal(inverseNormalize('二零二五年三月十二号下午三点', { language: 'auto' }), '2025年3月12日下午3点');
});

test('strict cardinal grammar: values and rejections', () => {
  const good: Array<[string, bigint]> = [
    ['零', 0n], ['十', 10n], ['十一', 11n], ['一十一', 11n], ['两百', 200n], ['一百零一', 101n], ['一千零一十', 1010n],
    ['一千零十', 1010n], ['一万零一', 10001n], ['十万零十', 100010n], ['一亿零一万一千', 100011000n], ['廿二', 22n],
    ['壹佰壹拾壹', 111n], ['一千一百一十一万一千一百一十一亿', 1111111100000000n],
  ];
  for (const [s, v] of good) assert.equal(parseCardinal(s), v, s);
  for (const bad of ['一百二', '三万五', '十万零一千', '一一', '一百十一', '一千一十', '两十', '二十两', '零一', '一百零', '百', '万一']) {
    assert.equal(parseCardinal(bad), null, bad);
  }
});

test('written cardinals keep 万/亿 only for round multiples', () => {
  assert.equal(formatCardinal(10000n, '一万'), '1万');
  assert.equal(formatCardinal(100000000n, '一億'), '1億');
  assert.equal(formatCardinal(110000000n, '一亿一千万'), '110000000');
  assert.equal(formatCardinal(905825n, '九十万五千八百二十五'), '905825');
  assert.equal(formatCardinal(9999n, '九千九百九十九'), '9999');
});

test('cardinals inside sentences; lone digits before ordinary measure words stay as spoken', () => {
  check([
    ['我有三个苹果和十五个梨', '我有三个苹果和15个梨'],
    ['一共有一百二十三人', '一共有123人'],
    ['他跑了五公里', '他跑了5公里'],
    ['两千万人', '2000万人'],
    ['共计六点四二万人', '共计6.42万人'],
    ['一个人', '一个人'],
    ['十几万和几十万', '十几万和几十万'],
    ['二十多岁', '20多岁'],
    ['十个人', '10个人'],
    ['三十八度五', '38.5度'],
  ]);
});

test('a lone digit said as the whole utterance is written in digits, except 〇', () => {
  check([['一', '1'], ['零', '0'], ['壹', '1'], ['十', '10'], ['〇', '〇']]);
});

test('decimals, negatives, fractions and percentages', () => {
  check([
    ['三点一四一五', '3.1415'],
    ['一点零', '1.0'],
    ['负十点五', '-10.5'],
    ['負九十九點九五', '-99.95'],
    ['伍拾壹点肆', '51.4'],
    ['二十点一万', '20.1万'],
    ['三分之二', '2/3'],
    ['三又五分之一', '3又1/5'],
    ['负十二分之七', '-7/12'],
    ['百分之五十', '50%'],
    ['百分之二点一五', '2.15%'],
    ['百分百', '100%'],
    ['百分之负三点八', '-3.8%'],
    ['负的百分之二十', '-20%'],
    ['正负二', '±2'],
    ['百分之三十到四十一', '30~41%'],
  ]);
});

test('ordinals: 第 + a number beyond a lone digit', () => {
  check([
    ['第一百', '第100'],
    ['第十一届', '第11届'],
    ['第两万', '第2万'],
    ['第一次', '第一次'],
    ['第三天', '第三天'],
  ]);
});

test('dates: digit-by-digit years, months, days, 号 → 日', () => {
  check([
    ['一七九八年五月三十日', '1798年5月30日'],
    ['二零零八年八月', '2008年8月'],
    ['八月', '8月'],
    ['十九日', '19日'],
    ['八月十六号的十二点之前', '8月16日的12点之前'],
    ['两千零五年八月五号', '2005年8月5日'],
    ['八五年二月二十七日', '85年2月27日'],
    ['公元前二八零九年', '公元前2809年'],
    ['公元一六三年', '公元163年'],
    ['纪元前一九三四年一月二日', '公元前1934年1月2日'],
    ['三个月', '三个月'],
    ['中关村一百零一号', '中关村101号'],
  ]);
});

test('clock times and durations', () => {
  check([
    ['下午三点', '下午3点'],
    ['五点半', '5点半'],
    ['五点一刻', '5点1刻'],
    ['十三点五分十秒', '13:05:10'],
    ['八点三十', '8:30'],
    ['早上一点零二', '早上1:02'],
    ['零点十分', '00:10'],
    ['上午十点半', '上午10点半'],
    ['五分钟', '5分钟'],
    ['十分钟', '10分钟'],
    ['有两点需要注意', '有两点需要注意'],
    ['一点零二', '1.02'],
  ]);
});

test('money keeps the currency word; 元角分 become a decimal amount', () => {
  check([
    ['三千三百八十元五角八分', '3380.58元'],
    ['一点五万美元', '1.5万美元'],
    ['一百块钱', '100块钱'],
    ['十二块五毛', '12块5毛'],
    ['十二块五', '12块5'],
    ['两块蛋糕', '两块蛋糕'],
    ['价格是十三点五元', '价格是13.5元'],
    ['壹拾壹元整', '11元整'],
    ['壹拾壹元', '壹拾壹元'],
  ]);
});

test('phone numbers and digit strings; short digit runs without context stay', () => {
  check([
    ['可以打我手机幺三五零幺二三四五六七', '可以打我手机13501234567'],
    ['拨打幺二三零六', '拨打12306'],
    ['九幺幺是报警电话', '911是报警电话'],
    ['尾号一二三四', '尾号1234'],
    ['我的身份证号是三四零二零三一九三七零幺零幺零五幺X', '我的身份证号是34020319370101051X'],
    ['一二三', '一二三'],
    ['一七二零', '一七二零'],
  ]);
});

test('ranges and approximate numbers', () => {
  check([
    ['三到五个', '3~5个'],
    ['二十一到一千零一', '21~1001'],
    ['三四十万', '30~40万'],
    ['十七八岁', '17~18岁'],
    ['七八公斤', '7~8公斤'],
    ['三五成群', '三五成群'],
    ['十三五规划', '十三五规划'],
  ]);
});

test('idioms and words with numerals never change', () => {
  const words = [
    '一心一意', '三心二意', '十全十美', '一五一十', '万一', '一起', '统一', '一些', '星期一', '一会儿', '一样', '一直', '一定',
    '一般', '唯一', '第一时间', '十分', '三角形', '七上八下', '乱七八糟', '一模一样', '千万', '万万', '三七二十一', '八九不离十',
    '十之八九', '十拿九稳', '一点一滴', '一点点', '三点一线', '九九八十一', '成千上万', '十字路口', '一共', '二两',
    '五光十色', '闻一知十', '十一国庆', '九牛一毛', '一举一动', '数十万', '五月天',
  ];
  for (const w of words) {
    assert.equal(inverseNormalizeZh(w), w, w);
    const sentence = `他说${w}就好了`;
    assert.equal(inverseNormalizeZh(sentence), sentence, sentence);
  }
  assert.equal(inverseNormalizeZh('他十分高兴'), '他十分高兴');
  assert.equal(inverseNormalizeZh('千万不要迟到'), '千万不要迟到');
});

test('ill-formed numbers are left as spoken, never mangled (cn2an strict rejections)', () => {
  for (const s of ['一一', '十一十二', '零点零', '负零点一零', '三万五', '一百二', '100万三千', '一百点123', '10.1万', '1万600', '一七二零点一', '元整', '负']) {
    assert.equal(inverseNormalizeZh(s), s, s);
  }
});

test('auto mode: Chinese rules for Han text, English rules for Latin spans', () => {
  assert.equal(inverseNormalize('我买了twenty five个apple花了三十块钱', { language: 'auto' }), '我买了25个apple花了30块钱');
  assert.equal(inverseNormalize('call me at two thirty p m', { language: 'auto' }), 'call me at 02:30 p.m.');
  assert.equal(inverseNormalize('会议在 three p m 开始，共十五人', { language: 'auto' }), '会议在 03:00 p.m. 开始，共15人');
  // A lone digit next to English is still inside a sentence, not a whole utterance.
  assert.equal(inverseNormalize('我买了iPhone一', { language: 'auto' }), '我买了iPhone一');
  assert.equal(inverseNormalize('五', { language: 'auto' }), '5');
});

test('text without numerals comes back byte for byte', () => {
  for (const s of ['', '你好', '患难 ', '广州市房地产中介协会分析', 'hello world', '  spaced  out  ']) {
    assert.equal(inverseNormalize(s, { language: 'auto' }), s);
    assert.equal(inverseNormalize(s, { language: 'zh' }), s);
  }
});
