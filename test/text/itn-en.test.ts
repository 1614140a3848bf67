import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inverseNormalize, inverseNormalizeEn } from '../../engine/src/text/itn/index.ts';
import { parseCardinalWords } from '../../engine/src/text/itn/en/numbers.ts';

function check(cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [spoken, written] of cases) assert.equal(inverseNormalizeEn(spoken), written, `input "${spoken}"`);
}

test('cardinal word parser: values, "and", scales, and where a number stops', () => {
  const parse = (s: string): bigint | undefined => parseCardinalWords(s.split(' '), 0)?.value;
  assert.equal(parse('two hundred and fifty four'), 254n);
  assert.equal(parse('twenty one hundred and eleven'), 2111n);
  assert.equal(parse('twenty one crore ninety eight lakh thirty six thousand five hundred and ninety three'), 219836593n);
  assert.equal(parse('seventeen sextillion one'), 17n * 10n ** 21n + 1n);
  assert.equal(parseCardinalWords('one two'.split(' '), 0)?.end, 1);
  assert.equal(parseCardinalWords('twenty thirty'.split(' '), 0)?.end, 1);
  assert.equal(parseCardinalWords('thousand'.split(' '), 0), null);
});

test('cardinals, negatives and decimals', () => {
  check([
    ['one hundred twenty three', '123'],
    ['minus twenty five thousand thirty seven', '-25037'],
    ['two million three', '2000003'],
    ['eleven hundred twenty one', '1121'],
    ['four hundred million', '400 million'],
    ['five point two million', '5.2 million'],
    ['three point five', '3.5'],
    ['point zero two', '.02'],
    ['eighteen point o five', '18.05'],
    ['zero', 'zero'],
    ['i have one apple', 'i have one apple'],
    ['she is twenty one years old', 'she is 21 years old'],
    ['twenty!', '20!'],
    ['It costs five dollars.', 'It costs $5.'],
    ['It was July twenty fifth, twenty twelve.', 'It was July 25, 2012.'],
    ['at two p.m., we left', 'at 02:00 p.m., we left'],
    ['(five dollars)', '($5)'],
  ]);
});

test('ordinals; first to ninth stay inside sentences', () => {
  check([
    ['twenty first', '21st'],
    ['one hundredth', '100th'],
    ['twenty five thousand one hundred eleventh', '25111th'],
    ['eleventh', '11th'],
    ['second', '2nd'],
    ['the first time', 'the first time'],
    ['wait a second', 'wait a second'],
    ['the twenty first century', 'the 21st century'],
  ]);
});

test('money', () => {
  check([
    ['five dollars', '$5'],
    ['one cent', '$0.01'],
    ['twenty nine dollars fifty cents', '$29.50'],
    ['four united states dollars and sixty nine cents', '$4.69'],
    ['seventy five dollars sixty three', '$75.63'],
    ['two point five billion dollars', '$2.5 billion'],
    ['thirty billion yen', '¥30 billion'],
    ['four million yuan', '4 million yuan'],
    ['one fifty five dollars', '$155'],
    ['one dollars', 'one dollars'],
  ]);
});

test('measures', () => {
  check([
    ['five kilograms', '5 kg'],
    ['two hundred kilometers per hour', '200 km/h'],
    ['fifty six point three per square kilometer', '56.3 /km²'],
    ['minus sixty six kilograms', '-66 kg'],
    ['eighteen point one four percent', '18.14 %'],
    ['two kilo watt hours', '2 kWh'],
    ['thirty one thousand four hundred eighty square feet', '31480 sq ft'],
  ]);
});

test('times', () => {
  check([
    ['two thirty p m', '02:30 p.m.'],
    ['two p m', '02:00 p.m.'],
    ['two thirty', '02:30'],
    ['quarter to one', '12:45'],
    ['half past three', '03:30'],
    ['set alarm at ten to eleven pm', 'set alarm at 10:50 p.m.'],
    ['one min to one am', '12:59 a.m.'],
    ['eight o six', '08:06'],
    ['seven a m e s t', '07:00 a.m. est'],
    ['three o\'clock', '03:00'],
  ]);
});

test('an hour and minutes inside a sentence is not a time without a.m./p.m. or a time preposition', () => {
  assert.ok(!inverseNormalizeEn('seven eleven stores').includes(':'));
  assert.ok(!inverseNormalizeEn('l g a eleven fifty').includes(':'));
  assert.equal(inverseNormalizeEn('meet me at nine thirty'), 'meet me at 09:30');
});

test('dates and years', () => {
  check([
    ['july twenty fifth twenty twelve', 'july 25 2012'],
    ['the twenty fifth of july twenty twelve', '25 july 2012'],
    ['january first', 'january 1'],
    ['june thirty', 'june 30'],
    ['march sixteen sixty five', 'march 1665'],
    ['october nineteen oh five', 'october 1905'],
    ['nineteen seventeen', '1917'],
    ['two thousand and nine', '2009'],
    ['nineteen eighties', '1980s'],
    ['seven fifty b c', '750BC'],
    ['second quarter of twenty twenty two', 'Q2 2022'],
    ['may i help you', 'may i help you'],
  ]);
});

test('telephone numbers, IP addresses and spelled codes', () => {
  check([
    ['one two three one two three five six seven eight', '123-123-5678'],
    ['plus forty four one two three one two three five six seven eight', '+44 123-123-5678'],
    ['double oh three one two three five six seven eight', '003-123-5678'],
    ['ssn is seven double nine one two three double one three', 'ssn is 799-12-3113'],
    ['one two three dot one two three dot o dot four o', '123.123.0.40'],
    ['a b nine', 'ab9'],
    ['a b c', 'a b c'],
    ['oh no', 'oh no'],
  ]);
});

test('emails and URLs', () => {
  check([
    ['a b c at g mail dot com', 'abc@gmail.com'],
    ['a dot b c at nvidia dot com', 'a.bc@nvidia.com'],
    ['abc at gmail dot com', 'abc@gmail.com'],
    ['h t t p colon slash slash w w w dot o u r d a i l y n e w s dot com dot s m', 'http://www.ourdailynews.com.sm'],
    ['kore dot ai', 'kore.ai'],
    ['i am at home', 'i am at home'],
    ['look at this dot', 'look at this dot'],
  ]);
});

test('titles before names, not after determiners', () => {
  check([
    ['mister dao', 'mr. dao'],
    ['Doctor dao', 'Dr. dao'],
    ['see the doctor today', 'see the doctor today'],
  ]);
});

test('case-insensitive matching keeps the case of what is not rewritten', () => {
  check([
    ['One Billion five hundred ninety three Million seventy two thousand nine hundred sixty one', '1593072961'],
    ['One point eight four Billion', '1.84 Billion'],
    ['Seven A M E S T', '07:00 A.M. EST'],
    ['Hello World', 'Hello World'],
  ]);
});

test('language option routes to the right rules', () => {
  assert.equal(inverseNormalize('twenty one', { language: 'en' }), '21');
  assert.equal(inverseNormalize('twenty one', { language: 'zh' }), 'twenty one');
  assert.equal(inverseNormalize('twenty one', { language: 'auto' }), '21');
  assert.equal(inverseNormalize('二十一', { language: 'en' }), '二十一');
});
