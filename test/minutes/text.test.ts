import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMinutesMarkdown, segmentTopics, splitSentences, splitSentenceTexts, type Minutes } from '../../engine/src/minutes/index.ts';

describe('sentence splitting', () => {
  it('splits at Chinese and Latin sentence ends, keeping decimals and abbreviations whole', () => {
    assert.deepEqual(splitSentenceTexts('好的。我们开始吧！今天讨论什么？'), ['好的。', '我们开始吧！', '今天讨论什么？']);
    assert.deepEqual(splitSentenceTexts('Version 3.5 is out. Dr. Smith agreed! OK'), ['Version 3.5 is out.', 'Dr. Smith agreed!', 'OK']);
    assert.deepEqual(splitSentenceTexts('没有标点的一句话'), ['没有标点的一句话']);
    assert.deepEqual(splitSentenceTexts('。。'), []);
  });

  it('ends a sentence at every segment boundary and interpolates times by characters', () => {
    const sentences = splitSentences([
      { start: 0, end: 4, text: '第一句。第二句话长', speaker: 'A' },
      { start: 5, end: 6, text: '第三句。' },
    ]);
    assert.deepEqual(
      sentences.map((s) => [s.text, s.start, s.end, s.speaker, s.segmentIndex]),
      [
        ['第一句。', 0, 1.778, 'A', 0],
        ['第二句话长', 1.778, 4, 'A', 0],
        ['第三句。', 5, 6, null, 1],
      ],
    );
  });
});

describe('topic segmentation', () => {
  it('finds the boundary of a synthetic two-topic transcript', () => {
    const budget = ['预算今年超支了百分之十。', '预算超支主要是展会费用。', '明年的预算需要压缩。', '展会预算砍掉一半。', '预算表下周更新。', '预算的审批流程也要简化。'];
    const hiring = ['招聘方面我们缺三个前端工程师。', '前端工程师的面试安排在下周。', '招聘渠道要增加校园招聘。', '前端面试题需要更新。', '招聘进度每周同步。', '校园招聘九月开始。'];
    const segments = [...budget, ...hiring].map((text, i) => ({ start: i * 4, end: i * 4 + 3, text }));
    const topics = segmentTopics(splitSentences(segments));
    assert.equal(topics.length, 2);
    assert.equal(topics[0]!.lastSentence, 5);
    assert.equal(topics[1]!.firstSentence, 6);
    assert.equal(topics[1]!.start, 24);
    assert.ok(topics[0]!.keywords.includes('预算'), topics[0]!.keywords.join(','));
    assert.ok(topics[1]!.keywords.some((k) => k.includes('招聘') || k.includes('前端')), topics[1]!.keywords.join(','));
  });

  it('keeps a short single-subject meeting as one topic', () => {
    const segments = ['预算超支了。', '预算要压缩。', '预算下周更新。'].map((text, i) => ({ start: i, end: i + 0.5, text }));
    assert.equal(segmentTopics(splitSentences(segments)).length, 1);
  });
});

describe('Markdown rendering', () => {
  const minutes: Minutes = {
    title: '后端组站会',
    date: '2025-03-12',
    duration: 75.4,
    language: 'zh',
    topics: [{ keywords: ['压测', '上线'], start: 0, end: 75, firstSentence: 0, lastSentence: 2 }],
    summary: [{ text: '上线时间定在下周五。', start: 12 }],
    decisions: [{ text: '上线时间定在下周五。', start: 12, end: 15, speaker: '王磊', sentenceIndex: 1 }],
    actionItems: [
      { text: '李娜负责写上线文档，下周三之前给我。', owner: '李娜', due: { date: '2025-03-19', text: '下周三' }, start: 20.5, end: 25, speaker: '王磊', sentenceIndex: 2 },
      { text: '有人跟进一下*监控*。', owner: null, due: null, start: 61, end: 64, speaker: null, sentenceIndex: 3 },
    ],
    transcript: [
      { start: 12, end: 15, speaker: '王磊', text: '上线时间定在下周五。' },
      { start: 61, end: 64, speaker: null, text: '有人跟进一下*监控*。' },
    ],
    generatedBy: { summary: 'extractive' },
    warnings: [],
  };

  it('renders the exact Chinese document', () => {
    const expected = [
      '# 后端组站会',
      '',
      '- **日期:** 2025-03-12',
      '- **时长:** 01:15',
      '',
      '## 摘要',
      '',
      '- 上线时间定在下周五。 [00:12]',
      '',
      '## 议题',
      '',
      '1. 压测，上线 [00:00–01:15]',
      '',
      '## 决定',
      '',
      '- 上线时间定在下周五。 [00:12]',
      '',
      '## 待办事项',
      '',
      '- [ ] 李娜负责写上线文档，下周三之前给我。 — 负责人: 李娜，截止: 2025-03-19 (下周三) [00:20]',
      '- [ ] 有人跟进一下\\*监控\\*。 [01:01]',
      '',
      '## 会议记录',
      '',
      '- [00:12] **王磊:** 上线时间定在下周五。',
      '- [01:01] 有人跟进一下\\*监控\\*。',
      '',
    ].join('\n');
    assert.equal(renderMinutesMarkdown(minutes, { language: 'zh' }), expected);
  });

  it('renders English headings, empty sections and the model note', () => {
    const md = renderMinutesMarkdown(
      { ...minutes, title: 'Standup', date: null, decisions: [], actionItems: [], summary: [{ text: 'Shipping next week.', start: null }], generatedBy: { summary: 'llm:qwen' } },
      { language: 'en' },
    );
    assert.match(md, /^# Standup\n\n- \*\*Date:\*\* unknown\n- \*\*Duration:\*\* 01:15\n/);
    assert.match(md, /## Summary\n\n_\(summary written by the model qwen\)_\n\n- Shipping next week\.\n/);
    assert.match(md, /## Decisions\n\n- None\n/);
    assert.match(md, /## Action items\n\n- None\n/);
  });
});
