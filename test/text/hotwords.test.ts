/**
 * Hotword lists (lines and JSON, merge), tokenization against a symbol table, and text post-correction
 * measured on FunASR's and wenet's hotword examples (/work/shared/conformance/hotwords, see SOURCES.md).
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  applyReplacementsToTokens,
  compileHotwords,
  correctHomophones,
  emptyHotwordList,
  HotwordTokenizer,
  MAX_HOTWORD_WEIGHT,
  mergeHotwordLists,
  parseHotwords,
  pinyinSimilarity,
  type HotwordList,
} from '../../engine/src/text/hotwords/index.ts';
import { TingxieError } from '../../engine/src/errors.ts';

const CONFORMANCE = '/work/shared/conformance';
const HOTWORDS = join(CONFORMANCE, 'hotwords');

function tsvRows(file: string): string[][] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}

function listOf(hotwords: string[], replacements: Array<[string, string]> = []): HotwordList {
  return { hotwords: hotwords.map((phrase) => ({ phrase, weight: null })), replacements: replacements.map(([from, to]) => ({ from, to })) };
}

describe('parseHotwords', () => {
  it('reads FunASR lines: weights, => replacements, comments; sherpa-onnx :score', () => {
    const list = parseHotwords('# names\n陈露\n科大讯飞 20\n\nHELLO WORLD :2.5\n撒贝你=>撒贝宁\n陈露 3\nRe:Zero\n');
    assert.deepEqual(list.hotwords, [
      { phrase: '陈露', weight: 3 },
      { phrase: '科大讯飞', weight: 20 },
      { phrase: 'HELLO WORLD', weight: 2.5 },
      { phrase: 'Re:Zero', weight: null },
    ]);
    assert.deepEqual(list.replacements, [{ from: '撒贝你', to: '撒贝宁' }]);
  });

  it('reads the JSON forms (array of strings/objects, FunASR dict)', () => {
    const fromArray = parseHotwords('["陈露", {"phrase": "康辉", "weight": 2}, {"from": "康灰", "to": "康辉"}]');
    assert.deepEqual(fromArray.hotwords, [
      { phrase: '陈露', weight: null },
      { phrase: '康辉', weight: 2 },
    ]);
    assert.deepEqual(fromArray.replacements, [{ from: '康灰', to: '康辉' }]);
    const fromDict = parseHotwords('{"平昌": 4, "金陵": null}', 'json');
    assert.deepEqual(fromDict.hotwords, [
      { phrase: '平昌', weight: 4 },
      { phrase: '金陵', weight: null },
    ]);
  });

  it('names the bad line or entry', () => {
    const cases: Array<[string, RegExp, Record<string, unknown>]> = [
      ['陈露\n科大讯飞 -2\n', /line 2: weight must be a positive number/, { line: 2 }],
      ['陈露\n\n=>撒贝宁\n', /line 3: empty phrase/, { line: 3 }],
      ['a=>b=>c', /line 1: more than one "=>"/, { line: 1 }],
      ['["ok", 5]', /entry 1: expected a string/, { entry: 1 }],
      ['{"x": true}', /key "x": value must be a weight/, { key: 'x' }],
      ['[1,', /invalid JSON/, {}],
      [`${'长'.repeat(65)}`, /line 1: phrase longer than 64/, { line: 1 }],
    ];
    for (const [text, message, detail] of cases) {
      assert.throws(
        () => parseHotwords(text),
        (error: unknown) => {
          assert.ok(error instanceof TingxieError);
          assert.equal(error.code, 'CONFIG_INVALID');
          assert.match(error.message, message);
          for (const [key, value] of Object.entries(detail)) assert.equal(error.detail?.[key], value);
          return true;
        },
        text,
      );
    }
  });

  it("reproduces FunASR's hotword spec parsing cases", () => {
    const rows = tsvRows(join(HOTWORDS, 'funasr/hotword_spec_parsing.tsv'));
    assert.equal(rows.length, 7);
    for (const [input, expected] of rows) {
      const dict = / \(dict input\)$/.test(input!);
      const list = parseHotwords(input!.replace(/ \(dict input\)$/, ''), dict ? 'json' : 'lines');
      const want = emptyHotwordList();
      for (const part of expected!.replace(/\s*\([^)]*\)\s*$/, '').split(' ; ')) {
        const fuzzy = /^fuzzy:(.+)$/.exec(part.trim());
        const explicit = /^explicit:(.+)=>(.+)$/.exec(part.trim());
        if (fuzzy) want.hotwords.push({ phrase: fuzzy[1]!, weight: null });
        if (explicit) want.replacements.push({ from: explicit[1]!, to: explicit[2]! });
      }
      assert.deepEqual(list, want, input);
    }
  });

  it('reads wenet AISHELL-1 hotwords.yaml (185 unique of 187 lines, weights 100 kept as given)', () => {
    const list = parseHotwords(readFileSync(join(HOTWORDS, 'wenet/aishell1_hotwords_yaml.tsv'), 'utf8'));
    assert.equal(list.hotwords.length, 185);
    assert.ok(list.hotwords.every((h) => h.weight === 100));
  });
});

describe('mergeHotwordLists', () => {
  it('request entries win; global order first; a hotword and a replacement of one phrase do not coexist', () => {
    const global = parseHotwords('陈露 2\n康辉\n撒贝你=>撒贝宁\n康灰=>康辉\n');
    const request = parseHotwords('陈露 4\n佟健\n撒贝你=>撒贝宁!\n康灰\n');
    const merged = mergeHotwordLists(global, request);
    assert.deepEqual(merged.hotwords, [
      { phrase: '陈露', weight: 4 },
      { phrase: '康辉', weight: null },
      { phrase: '佟健', weight: null },
      { phrase: '康灰', weight: null },
    ]);
    assert.deepEqual(merged.replacements, [{ from: '撒贝你', to: '撒贝宁!' }]);
    // Inputs untouched.
    assert.equal(global.hotwords[0]!.weight, 2);
  });
});

describe('hotword tokenization (greedy longest match against the symbol table)', () => {
  const symbols = ['<unk>', '<s>', '</s>', '陈', '露', '陈露', '▁hello', '▁hel', 'lo', '▁world', '▁', 'x', '<|zh|>'];
  const tokenizer = new HotwordTokenizer({ symbols }, [0]);

  it('prefers the longest piece, adds ▁ at word starts, drops ▁ before CJK', () => {
    assert.deepEqual(tokenizer.tokenize('陈露'), { tokens: [5] });
    assert.deepEqual(tokenizer.tokenize('露陈'), { tokens: [4, 3] });
    assert.deepEqual(tokenizer.tokenize('hello world'), { tokens: [6, 9] });
    assert.deepEqual(tokenizer.tokenize('Hello'), { tokens: [6] }, 'retried lower-cased');
    assert.deepEqual(tokenizer.tokenize('hello 陈'), { tokens: [6, 3] });
  });

  it('reports what cannot be tokenized, with the failing character; specials never match', () => {
    assert.deepEqual(tokenizer.tokenize('陈鹭'), { reason: 'no token for "鹭" at character 2' });
    assert.deepEqual(tokenizer.tokenize('<|zh|>'), { reason: 'no token for "<" at character 1' });
    const compiled = compileHotwords(parseHotwords('陈露 100\n陈鹭\nhello\n'), tokenizer);
    assert.deepEqual(
      compiled.phrases.map((p) => [p.phrase, p.tokens, p.weight]),
      [
        ['陈露', [5], MAX_HOTWORD_WEIGHT],
        ['hello', [6], 1.5],
      ],
    );
    assert.deepEqual(compiled.skipped, [{ phrase: '陈鹭', reason: 'no token for "鹭" at character 2' }]);
    assert.ok(compiled.graph);
    assert.equal(compileHotwords(parseHotwords('鹭'), tokenizer).graph, null);
  });
});

/** FunASR's config column: explicit={a:b,…} / postprocess_hotwords={…} / fuzzy_targets=[…]; threshold; enable_fuzzy; assertIn. */
function funasrConfig(config: string): { list: HotwordList; threshold?: number; fuzzy: boolean; substring: boolean } {
  const list = emptyHotwordList();
  const dict = /(?:explicit|postprocess_hotwords)=\{([^}]*)\}/.exec(config);
  for (const pair of dict ? dict[1]!.split(',') : []) {
    const [from, to] = pair.split(':');
    list.replacements.push({ from: from!, to: to! });
  }
  const targets = /fuzzy_targets=\[([^\]]*)\]/.exec(config);
  for (const phrase of targets ? targets[1]!.split(',') : []) list.hotwords.push({ phrase, weight: null });
  const threshold = /threshold=([\d.]+)/.exec(config);
  return { list, threshold: threshold ? Number(threshold[1]) : undefined, fuzzy: !/enable_fuzzy=False/.test(config), substring: /assertIn/.test(config) };
}

describe('correctHomophones', () => {
  it("reproduces all 7 of FunASR's post-processing cases", (t) => {
    const rows = tsvRows(join(HOTWORDS, 'funasr/postprocess_hotwords.tsv'));
    let reproduced = 0;
    for (const [input, expected, config] of rows) {
      const { list, threshold, fuzzy, substring } = funasrConfig(config!);
      const got = correctHomophones(input!, list, { threshold, fuzzy }).text;
      if (substring ? got.includes(expected!) : got === expected) reproduced += 1;
      else t.diagnostic(`not reproduced: ${input} → ${got} (expected ${expected})`);
    }
    t.diagnostic(`FunASR: ${reproduced}/${rows.length} reproduced`);
    assert.equal(reproduced, rows.length);
  });

  it("wenet's README examples: 陈鹭→陈露 (1 of 3 sentences); the rest need decoding-time biasing", (t) => {
    const rows = tsvRows(join(HOTWORDS, 'wenet/readme_decoding_examples.tsv'));
    const aishell = parseHotwords(readFileSync(join(HOTWORDS, 'wenet/aishell1_hotwords_yaml.tsv'), 'utf8'));
    const outcomes = rows.map(([pred, label, hotwords]) => {
      const own = correctHomophones(pred!, listOf(hotwords!.split(','))).text;
      const full = correctHomophones(pred!, aishell).text;
      t.diagnostic(`${pred} → ${own} (label ${label}); with all 185 AISHELL hotwords → ${full}`);
      return { own: own === label, full: full === label, text: own };
    });
    assert.deepEqual(
      outcomes.map((o) => o.own),
      [true, false, false],
    );
    assert.deepEqual(
      outcomes.map((o) => o.full),
      [true, false, false],
    );
    // What text correction does get right in the other two: the exact homophones.
    assert.equal(outcomes[1]!.text, '庞清和董建终于可以放心地考虑退役的事情了'); // 庞青→庞清 yes; 董建 (dǒng) ≠ 佟健 (tóng)
    assert.equal(outcomes[2]!.text, '赵继宏老板电器做厨店已经三十多年了'); // 赵继红→赵继宏 yes; 厨店→厨电 is no hotword
  });

  it('leaves unrelated text alone: 1,500 Chinese ITN conformance sentences with the 185 AISHELL hotwords', () => {
    const aishell = parseHotwords(readFileSync(join(HOTWORDS, 'wenet/aishell1_hotwords_yaml.tsv'), 'utf8'));
    let sentences = 0;
    for (const dir of ['wetextprocessing/zh_itn', 'nemo-text-processing/zh_itn', 'cn2an']) {
      for (const file of readdirSync(join(CONFORMANCE, dir))) {
        for (const row of tsvRows(join(CONFORMANCE, dir, file))) {
          for (const text of row.slice(0, 2)) {
            if (!/\p{Script=Han}/u.test(text)) continue;
            sentences += 1;
            assert.deepEqual(correctHomophones(text, aishell).replacements, [], text);
          }
        }
      }
    }
    assert.ok(sentences > 1000, `${sentences} sentences`);
  });

  it('needs closeness: tone-only differences in 2-character words, other syllables, too few shared characters', () => {
    const list = listOf(['平昌', '陈露', '撒贝宁', '科大讯飞']);
    for (const text of ['我觉得很平常', '陈列柜很长', '沉鹭', '撒贝你主持', '可达讯飞']) {
      assert.equal(correctHomophones(text, list).text, text, text);
    }
    assert.equal(correctHomophones('沉鹭', list, { minSharedRatio: 0 }).text, '陈露', 'chén lù = chén lù');
    assert.equal(correctHomophones('撒贝你主持', list, { threshold: 0.6 }).text, '撒贝宁主持');
    assert.ok(pinyinSimilarity('平常', '平昌') < 0.9);
    assert.equal(pinyinSimilarity('陈鹭', '陈露'), 1);
  });

  it('reports UTF-16 starts and applies explicit rules before fuzzy ones, without overlaps', () => {
    const list = listOf(['陈露'], [['陈鹭的', '陈露的']]);
    const result = correctHomophones('😀陈鹭的，陈鹭', list);
    assert.equal(result.text, '😀陈露的，陈露');
    assert.deepEqual(result.replacements, [
      { from: '陈鹭的', to: '陈露的', start: 2 },
      { from: '陈鹭', to: '陈露', start: 6 },
    ]);
  });

  it('rewrites token texts for same-length replacements only', () => {
    const tokens = [' 以', '及', '陈', '鹭', '的'];
    const text = tokens.join('').trim();
    const { replacements } = correctHomophones(text, listOf(['陈露']));
    assert.deepEqual(applyReplacementsToTokens(tokens, replacements, 1), [' 以', '及', '陈', '露', '的']);
    assert.equal(applyReplacementsToTokens(tokens, [{ from: '陈鹭', to: '陈露露', start: 2 }], 1), null);
    assert.equal(applyReplacementsToTokens(tokens, [{ from: '陈鹭', to: '陈露', start: 0 }], 1), null, 'misaligned');
  });
});
