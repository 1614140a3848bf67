import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findDueDate, resolveDueExpression } from '../../engine/src/minutes/index.ts';

// 2025-03-12 is a Wednesday.
const WED = '2025-03-12';

describe('due date resolution', () => {
  it('resolves Chinese relative days and weeks against a Wednesday meeting', () => {
    const cases: Array<[string, string]> = [
      ['今天下班前', '2025-03-12'],
      ['明天', '2025-03-13'],
      ['后天', '2025-03-14'],
      ['大后天', '2025-03-15'],
      ['周五', '2025-03-14'],
      ['本周五', '2025-03-14'],
      ['下周五', '2025-03-21'],
      ['下下周一', '2025-03-24'],
      ['本周内', '2025-03-14'],
      ['下周', '2025-03-21'],
      ['月底前', '2025-03-31'],
      ['3月15日前', '2025-03-15'],
      ['三月十五号之前', '2025-03-15'],
      ['两周之内', '2025-03-26'],
      ['三天内', '2025-03-15'],
      ['下个月10号', '2025-04-10'],
    ];
    for (const [words, date] of cases) assert.equal(resolveDueExpression(words, WED), date, words);
  });

  it('resolves English expressions', () => {
    const cases: Array<[string, string]> = [
      ['by Friday', '2025-03-14'],
      ['next Monday', '2025-03-17'],
      ['this Friday', '2025-03-14'],
      ['Friday next week', '2025-03-21'],
      ['tomorrow', '2025-03-13'],
      ['EOD', '2025-03-12'],
      ['end of month', '2025-03-31'],
      ['by the end of the week', '2025-03-14'],
      ['by march fifteenth', '2025-03-15'],
      ['by the 21st', '2025-03-21'],
      ['within 3 business days', '2025-03-17'],
    ];
    for (const [words, date] of cases) assert.equal(resolveDueExpression(words, WED), date, words);
  });

  it('handles week boundaries: a bare weekday on that weekday means the next one', () => {
    // 2025-03-14 is a Friday; 2025-03-16 a Sunday (last day of its ISO week).
    assert.equal(resolveDueExpression('by Friday', '2025-03-14'), '2025-03-21');
    assert.equal(resolveDueExpression('本周五', '2025-03-14'), '2025-03-14');
    assert.equal(resolveDueExpression('下周一', '2025-03-16'), '2025-03-17');
    assert.equal(resolveDueExpression('下周一', '2025-03-17'), '2025-03-24');
    assert.equal(resolveDueExpression('next Monday', '2025-03-16'), '2025-03-17');
  });

  it('handles month ends and leap years', () => {
    assert.equal(resolveDueExpression('月底', '2025-02-10'), '2025-02-28');
    assert.equal(resolveDueExpression('月底', '2024-02-10'), '2024-02-29');
    assert.equal(resolveDueExpression('end of month', '2025-04-30'), '2025-04-30');
    assert.equal(resolveDueExpression('明天', '2025-01-31'), '2025-02-01');
    assert.equal(resolveDueExpression('下个月底', '2025-01-15'), '2025-02-28');
    assert.equal(resolveDueExpression('15号', '2025-03-20'), '2025-04-15');
  });

  it('rolls over the year', () => {
    assert.equal(resolveDueExpression('1月5号前', '2025-12-29'), '2026-01-05');
    assert.equal(resolveDueExpression('下周五', '2025-12-29'), '2026-01-09');
    assert.equal(resolveDueExpression('by January 9', '2025-12-19'), '2026-01-09');
    assert.equal(resolveDueExpression('明天', '2025-12-31'), '2026-01-01');
    assert.equal(resolveDueExpression('2026年1月3日', '2025-12-29'), '2026-01-03');
  });

  it('keeps the words, prefers the deadline-marked expression and leaves the date null without a meeting date', () => {
    assert.deepEqual(findDueDate('李娜负责写上线文档，下周五之前给我。', WED), { date: '2025-03-21', text: '下周五' });
    assert.deepEqual(findDueDate('我们明天开会，周五前完成。', WED), { date: '2025-03-14', text: '周五' });
    assert.deepEqual(findDueDate('下周五之前完成', null), { date: null, text: '下周五' });
    assert.equal(findDueDate('这个功能很重要。', WED), null);
    assert.equal(resolveDueExpression('2月30日', WED), null);
  });
});
