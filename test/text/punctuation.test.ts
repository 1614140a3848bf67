import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizePunctuationWidth } from '../../engine/src/text/punctuation.ts';

test('ASCII marks after Chinese become full-width', () => {
  assert.equal(normalizePunctuationWidth('你好,世界.'), '你好，世界。');
  assert.equal(normalizePunctuationWidth('真的吗?好的!'), '真的吗？好的！');
  assert.equal(normalizePunctuationWidth('注意: 明天开会'), '注意：明天开会');
});

test('full-width marks after English become ASCII with a following space', () => {
  assert.equal(normalizePunctuationWidth('Hello，world。'), 'Hello, world.');
  assert.equal(normalizePunctuationWidth('Really？Yes！'), 'Really? Yes!');
});

test('numbers keep their points and separators', () => {
  assert.equal(normalizePunctuationWidth('增长了3.5个百分点'), '增长了3.5个百分点');
  assert.equal(normalizePunctuationWidth('共1,000元'), '共1,000元');
  assert.equal(normalizePunctuationWidth('at 3:30 pm'), 'at 3:30 pm');
});

test('mixed sentences follow the script before each mark', () => {
  assert.equal(normalizePunctuationWidth('我用 Python,你呢?'), '我用 Python，你呢？');
  assert.equal(normalizePunctuationWidth('OK，我们开始吧。'), 'OK，我们开始吧。');
});

test('text without punctuation is unchanged', () => {
  for (const text of ['', '今天天气很好', 'plain words here', '二零二五年三月十二号']) assert.equal(normalizePunctuationWidth(text), text);
});
