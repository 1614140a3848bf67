/**
 * The Word add-in's document operations against office-addin-mock objects: every queued call, property
 * assignment and sync is recorded, and the tests assert the exact sequence (what goes where, with which
 * style, and that each user action syncs a fixed number of times, never once per line).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OfficeMockObject } from 'office-addin-mock';
import type { Minutes } from '../../engine/src/minutes/types.ts';
import { formatDuration, formatTimestamp, transcriptTableValues } from '../../addins/word/src/format.ts';
import { finishDictation, insertDictation, insertMinutes, insertTranscript, newDictationTracker } from '../../addins/word/src/word-ops.ts';

type Method = (...args: unknown[]) => unknown;

/** A recording fake of the Word object model built from OfficeMockObjects. */
class MockWord {
  readonly ops: string[] = [];
  private counter = 0;
  /** Content controls by tag (what getByTag finds); a deleted one is gone. */
  readonly controls = new Map<string, OfficeMockObject>();

  private describe(value: unknown): string {
    if (Array.isArray(value)) return JSON.stringify(value);
    if (typeof value === 'object' && value !== null && 'mockId' in value) return String((value as { mockId: unknown }).mockId);
    return JSON.stringify(value);
  }

  /** An OfficeMockObject whose methods and property assignments are logged as `id.name(args)` / `id.prop=value`. */
  object(kind: string, methods: Record<string, Method> = {}): OfficeMockObject {
    const id = `${kind}${this.counter++}`;
    const logged: Record<string, Method> = {};
    for (const [name, method] of Object.entries(methods)) {
      logged[name] = (...args: unknown[]) => {
        const result = method(...args);
        this.ops.push(`${id}.${name}(${args.map((a) => this.describe(a)).join(', ')})${result === undefined ? '' : ` -> ${this.describe(result)}`}`);
        return result;
      };
    }
    const mock = new OfficeMockObject(logged as never);
    mock.mockId = id;
    const ops = this.ops;
    return new Proxy(mock, {
      set(target, key, value) {
        if (key !== 'mockId') ops.push(`${id}.${String(key)}=${JSON.stringify(value)}`);
        Reflect.set(target, key, value);
        return true;
      },
    });
  }

  range(kind = 'range'): OfficeMockObject {
    return this.object(kind, {
      insertParagraph: () => this.paragraph(),
      insertTable: () => this.table(),
      insertText: () => this.range(),
      insertContentControl: () => this.contentControl(),
      getRange: () => this.range(),
      select: () => undefined,
    });
  }

  paragraph(): OfficeMockObject {
    return this.object('paragraph', {
      insertParagraph: () => this.paragraph(),
      insertTable: () => this.table(),
      getRange: () => this.range(),
      startNewList: () => this.object('list', { setLevelBullet: () => undefined, insertParagraph: () => this.paragraph() }),
    });
  }

  table(): OfficeMockObject {
    return this.object('table', { insertParagraph: () => this.paragraph(), getRange: () => this.range() });
  }

  contentControl(): OfficeMockObject {
    const control = this.object('control', {
      insertText: () => this.range(),
      delete: () => {
        for (const [tag, c] of this.controls) if (c === control) this.controls.delete(tag);
        return undefined;
      },
    });
    // Registered under its tag once the add-in assigns one.
    return new Proxy(control, {
      set: (target, key, value) => {
        Reflect.set(target, key, value);
        if (key === 'tag') this.controls.set(String(value), control);
        return true;
      },
    });
  }

  context(): Word.RequestContext {
    const selection = this.range('selection');
    const context = new OfficeMockObject({
      document: {
        getSelection: () => {
          this.ops.push('document.getSelection()');
          return selection;
        },
        contentControls: {
          getByTag: (tag: string) => {
            this.ops.push(`contentControls.getByTag(${JSON.stringify(tag)})`);
            return {
              getFirstOrNullObject: () => {
                const found = this.controls.get(tag);
                if (found) return found;
                const missing = new OfficeMockObject({});
                missing.isNullObject = true;
                return missing;
              },
            };
          },
        },
      },
      sync: async () => {
        this.ops.push('sync');
      },
    });
    return context as unknown as Word.RequestContext;
  }
}

const RESULT = {
  text: '2025年3月12日下午3点上午10点半',
  segments: [
    { start: 0.52, end: 3.1, text: '2025年3月12日下午3点' },
    { start: 4.0, end: 5.2, text: ' ' },
    { start: 65.9, end: 67.5, text: '上午10点半' },
  ],
};

test('formatTimestamp and formatDuration', () => {
  assert.equal(formatTimestamp(0.52), '0:00');
  assert.equal(formatTimestamp(65.9), '1:05');
  assert.equal(formatTimestamp(3725), '1:02:05');
  assert.equal(formatDuration(3723, 'zh'), '1小时2分3秒');
  assert.equal(formatDuration(125, 'en'), '2 min 5 s');
  assert.equal(formatDuration(0, 'zh'), '0秒');
});

test('insertTranscript: plain paragraphs chained after the cursor, empty segments skipped, one sync', async () => {
  const word = new MockWord();
  await insertTranscript(word.context(), RESULT, 'paragraphs');
  assert.deepEqual(word.ops, [
    'document.getSelection()',
    'selection0.insertParagraph("2025年3月12日下午3点", "After") -> paragraph1',
    'paragraph1.styleBuiltIn="Normal"',
    'paragraph1.insertParagraph("上午10点半", "After") -> paragraph2',
    'paragraph2.styleBuiltIn="Normal"',
    'paragraph2.getRange("End") -> range3',
    'range3.select("End")',
    'sync',
  ]);
});

test('insertTranscript: timestamped paragraphs', async () => {
  const word = new MockWord();
  await insertTranscript(word.context(), RESULT, 'timestamps');
  const inserted = word.ops.filter((op) => op.includes('insertParagraph'));
  assert.deepEqual(inserted, [
    'selection0.insertParagraph("[0:00] 2025年3月12日下午3点", "After") -> paragraph1',
    'paragraph1.insertParagraph("[1:05] 上午10点半", "After") -> paragraph2',
  ]);
  assert.equal(word.ops.filter((op) => op === 'sync').length, 1);
});

test('insertTranscript: a two-column table with a header row', async () => {
  const word = new MockWord();
  await insertTranscript(word.context(), RESULT, 'table', 'en');
  const values = [
    ['Time', 'Text'],
    ['0:00', '2025年3月12日下午3点'],
    ['1:05', '上午10点半'],
  ];
  assert.deepEqual(transcriptTableValues(RESULT, 'en'), values);
  assert.deepEqual(word.ops, [
    'document.getSelection()',
    `selection0.insertTable(3, 2, "After", ${JSON.stringify(values)}) -> table1`,
    'table1.headerRowCount=1',
    'table1.styleBuiltIn="GridTable4_Accent1"',
    'table1.getRange("After") -> range2',
    'range2.select("Start")',
    'sync',
  ]);
});

const MINUTES: Minutes = {
  title: '预算会议',
  date: '2025-03-12',
  duration: 3723,
  language: 'zh',
  topics: [],
  summary: [
    { text: '预算超支百分之十', start: 1 },
    { text: '需要重新排期', start: 5 },
  ],
  decisions: [{ text: '决定推迟上线', start: 7, end: 9, speaker: null, sentenceIndex: 2 }],
  actionItems: [
    { text: '张三下周五前提交报告', owner: '张三', due: { date: '2025-03-21', text: '下周五' }, start: 10, end: 12, speaker: null, sentenceIndex: 3 },
    { text: '整理会议纪要', owner: null, due: null, start: 13, end: 14, speaker: null, sentenceIndex: 4 },
  ],
  transcript: [
    { start: 1, end: 4, speaker: null, text: '预算超支百分之十。' },
    { start: 62, end: 64, speaker: '李四', text: '决定推迟上线。' },
  ],
  generatedBy: { summary: 'extractive' },
  warnings: [],
};

test('insertMinutes: headings, lists and the action-item table with built-in styles, one sync', async () => {
  const word = new MockWord();
  await insertMinutes(word.context(), MINUTES);
  const actionValues = [
    ['事项', '负责人', '截止'],
    ['张三下周五前提交报告', '张三', '2025-03-21'],
    ['整理会议纪要', '', ''],
  ];
  assert.deepEqual(word.ops, [
    'document.getSelection()',
    'selection0.insertParagraph("预算会议", "After") -> paragraph1',
    'paragraph1.styleBuiltIn="Heading1"',
    'paragraph1.insertParagraph("日期：2025-03-12　时长：1小时2分3秒", "After") -> paragraph2',
    'paragraph2.styleBuiltIn="Normal"',
    'paragraph2.insertParagraph("摘要", "After") -> paragraph3',
    'paragraph3.styleBuiltIn="Heading2"',
    'paragraph3.insertParagraph("预算超支百分之十", "After") -> paragraph4',
    'paragraph4.styleBuiltIn="Normal"',
    'paragraph4.styleBuiltIn="ListParagraph"',
    'paragraph4.startNewList() -> list5',
    'list5.setLevelBullet(0, "Solid")',
    'list5.insertParagraph("需要重新排期", "End") -> paragraph6',
    'paragraph6.insertParagraph("决定", "After") -> paragraph7',
    'paragraph7.styleBuiltIn="Heading2"',
    'paragraph7.insertParagraph("决定推迟上线", "After") -> paragraph8',
    'paragraph8.styleBuiltIn="Normal"',
    'paragraph8.styleBuiltIn="ListParagraph"',
    'paragraph8.startNewList() -> list9',
    'list9.setLevelBullet(0, "Solid")',
    'paragraph8.insertParagraph("待办事项", "After") -> paragraph10',
    'paragraph10.styleBuiltIn="Heading2"',
    `paragraph10.insertTable(3, 3, "After", ${JSON.stringify(actionValues)}) -> table11`,
    'table11.headerRowCount=1',
    'table11.styleBuiltIn="GridTable4_Accent1"',
    'table11.insertParagraph("完整记录", "After") -> paragraph12',
    'paragraph12.styleBuiltIn="Heading2"',
    'paragraph12.insertParagraph("[0:01] 预算超支百分之十。", "After") -> paragraph13',
    'paragraph13.styleBuiltIn="Normal"',
    'paragraph13.insertParagraph("[1:02] 李四：决定推迟上线。", "After") -> paragraph14',
    'paragraph14.styleBuiltIn="Normal"',
    'paragraph14.getRange("End") -> range15',
    'range15.select("End")',
    'sync',
  ]);
});

test('insertMinutes: English headings and "None" for empty sections', async () => {
  const word = new MockWord();
  await insertMinutes(word.context(), { ...MINUTES, language: 'en', date: null, title: 'Budget', summary: [], decisions: [], actionItems: [], transcript: [] });
  const texts = word.ops.filter((op) => op.includes('insertParagraph')).map((op) => /insertParagraph\("([^"]*)"/.exec(op)![1]);
  assert.deepEqual(texts, ['Budget', 'Duration: 1 h 2 min 3 s', 'Summary', 'None', 'Decisions', 'None', 'Action items', 'None', 'Transcript']);
  assert.ok(!word.ops.some((op) => op.includes('insertTable')));
});

test('insertDictation: the first segment opens a hidden tracking control at the cursor, later ones continue inside it', async () => {
  const word = new MockWord();
  const tracker = newDictationTracker('t1');
  await insertDictation(word.context(), tracker, '2025年3月12日下午3点');
  assert.deepEqual(word.ops, [
    'document.getSelection()',
    'selection0.getRange("End") -> range1',
    'range1.insertContentControl() -> control2',
    'control2.tag="tingxie-dictation-t1"',
    'control2.title="Tingxie"',
    'control2.appearance="Hidden"',
    'control2.insertText("2025年3月12日下午3点", "End") -> range3',
    'range3.select("End")',
    'sync',
  ]);
  word.ops.length = 0;
  await insertDictation(word.context(), tracker, '上午10点半');
  assert.deepEqual(word.ops, [
    'contentControls.getByTag("tingxie-dictation-t1")',
    'sync',
    'control2.insertText("上午10点半", "End") -> range5',
    'range5.select("End")',
    'sync',
  ]);
  assert.equal(tracker.inserted, 2);
  word.ops.length = 0;
  await finishDictation(word.context(), tracker);
  assert.deepEqual(word.ops, ['contentControls.getByTag("tingxie-dictation-t1")', 'sync', 'control2.delete(true)', 'sync']);
});

test('insertDictation: when the user deleted the dictated text, it starts again at the cursor', async () => {
  const word = new MockWord();
  const tracker = newDictationTracker('t2');
  await insertDictation(word.context(), tracker, '一');
  word.controls.clear();
  word.ops.length = 0;
  await insertDictation(word.context(), tracker, '二');
  assert.deepEqual(word.ops.slice(0, 4), ['contentControls.getByTag("tingxie-dictation-t2")', 'sync', 'document.getSelection()', 'selection4.getRange("End") -> range5']);
  assert.ok(word.ops.includes('control6.insertText("二", "End") -> range7'));
  word.ops.length = 0;
  await insertDictation(word.context(), tracker, '');
  assert.deepEqual(word.ops, [], 'empty text inserts nothing');
});
