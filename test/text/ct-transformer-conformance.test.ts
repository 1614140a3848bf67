/**
 * CT-Transformer punctuation: Tingxie's output equals sherpa-onnx-node's OfflinePunctuation (the
 * reference) on the punctuation FIXTURE for Chinese, English and mixed text, short and long (the
 * 20-token pieces, carried tails and the 200-token comma rule); tokenization rules; typed errors for bad
 * models; and the transcriber's opt-in post-step.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { loadAsrModel, type AsrModel, type RecognitionResult } from '../../engine/src/models/asr-model.ts';
import { Transcriber, needsPunctuation } from '../../engine/src/pipeline/transcriber.ts';
import {
  CT_MAX_PIECE_TOKENS,
  loadCtTransformerPunctuator,
  lowerCaseToken,
  markTokens,
  splitPunctuationTokens,
  type CtTransformerPunctuator,
} from '../../engine/src/text/punctuation/ct-transformer.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { CT_TRANSFORMER_FIXTURE_NAME, buildCtTransformerFixture, type CtTransformerFixtureOptions } from '../../models/fixtures/ct-transformer-fixtures.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { PARAFORMER_FIXTURE_NAME } from '../../models/fixtures/paraformer-fixtures.ts';
import { SeededRandom } from '../../models/fixtures/prng.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { sherpaPunctuation } from '../models/sherpa-reference.ts';

const CHINESE = '我们今天来到这里看见的很高兴你好吗大家平安谢谢是不了和但在有一个人中国会说要去上下时间因为所以如果就也都还没能可以问题工作现在已经开始';
const ENGLISH = 'hello world the is a to and of in it we you this that iphone model test speech good very time'.split(' ');

/** A seeded text of `count` tokens drawn from the fixture's vocabulary (plus unknown ones), mixing scripts. */
function randomText(count: number, seed: number, opts: { exclude?: string } = {}): string {
  const rng = new SeededRandom(seed);
  const chars = [...CHINESE].filter((c) => !(opts.exclude ?? '').includes(c));
  let text = '';
  for (let i = 0; i < count; i++) {
    const r = rng.next();
    if (r < 0.75) text += chars[Math.floor(rng.next() * chars.length)];
    else if (r < 0.93) text += ` ${ENGLISH[Math.floor(rng.next() * ENGLISH.length)]} `;
    else text += '龘'; // not in the vocabulary: <unk>
  }
  return text;
}

/** The text without whitespace and the marks the model adds: the words, in order. */
const words = (text: string): string => text.replace(/[\s，。？、]/g, '');

/**
 * Ours equals sherpa-onnx's output, except where sherpa-onnx drops the tail after its final round's
 * sentence end: there ours starts with sherpa-onnx's output and keeps every word.
 * @returns whether the outputs were identical
 */
function assertLikeSherpa(ours: string, theirs: string, input: string, label: string): boolean {
  assert.equal(words(ours), words(input), `${label}: Tingxie keeps every word`);
  if (words(theirs) === words(input)) {
    assert.equal(ours, theirs, label);
    return true;
  }
  assert.ok(ours.startsWith(theirs), `${label}: sherpa-onnx dropped the tail; ours must extend its output\n  ours   ${ours}\n  sherpa ${theirs}`);
  return false;
}

let temp: { dir: string; cleanup: () => Promise<void> };
let counter = 0;

async function writeVariant(opts: CtTransformerFixtureOptions): Promise<string> {
  const dir = join(temp.dir, `punct-${counter++}`);
  await mkdir(dir, { recursive: true });
  for (const [name, contents] of Object.entries(buildCtTransformerFixture(undefined, opts).files)) await writeFile(join(dir, name), contents);
  return dir;
}

before(async () => {
  temp = await makeTempDir('ct-transformer');
});
after(async () => {
  await temp?.cleanup();
});

describe('CT-Transformer punctuation: conformance with sherpa-onnx-node', () => {
  let dir: string;
  let ours: CtTransformerPunctuator;
  let theirs: (text: string) => string;

  before(async () => {
    dir = await fixtureDir(CT_TRANSFORMER_FIXTURE_NAME);
    ours = await loadCtTransformerPunctuator(dir, { threads: 1 });
    theirs = sherpaPunctuation(join(dir, 'model.onnx'));
  });
  after(async () => {
    await ours?.release();
  });

  const texts: Array<[string, string]> = [
    ['Chinese sentence', '我们今天来到这里'],
    ['Chinese with a forced question', '你好吗大家平安谢谢'],
    ['Chinese, whole vocabulary', CHINESE],
    ['English words', 'hello world this is a test'],
    ['English with capitals', 'Hello World THIS is an iPhone Test'],
    ['mixed scripts, digits, ASCII and full-width punctuation', '你好hello world 123，测试！ABC Hello 3.5% (ok) it\'s'],
    ['accented Latin words', 'é à ü ß 漢字 Öffnen Ça'],
    ['whitespace variants', ' 我们\t今天 \n hi  '],
    ['a single CJK token', '了'],
    ['a single ASCII token', 'a'],
    ['a sentence end at the second token', 'x了y'],
    ['only spaces', '   '],
  ];
  for (const [label, text] of texts) {
    it(`${label}: same output`, async () => {
      assert.equal(await ours.addPunctuation(text), theirs(text), label);
    });
  }

  it('empty text stays empty, as in sherpa-onnx', async () => {
    assert.equal(await ours.addPunctuation(''), '');
    assert.equal(theirs(''), '');
  });

  it('long mixed texts (1..420 tokens, several 20-token pieces with carried tails): same output, or sherpa-onnx’s plus the tail it drops', async () => {
    let identical = 0;
    let extended = 0;
    for (const [i, count] of [1, 2, 5, 8, 19, 20, 21, 39, 40, 41, 57, 99, 160, 233, 420].entries()) {
      for (const seed of [1000 + i, 2000 + i]) {
        const text = randomText(count, seed);
        const result = await ours.addPunctuation(text);
        if (assertLikeSherpa(result, theirs(text), text, `${count} tokens, seed ${seed}`)) identical++;
        else extended++;
        assert.match(result, /[。？]$/, 'ends with a sentence mark');
      }
    }
    assert.ok(identical >= 20, `${identical} of 30 identical`);
    assert.equal(identical + extended, 30);
  });

  it('where sherpa-onnx drops the words after its final sentence end, Tingxie keeps them', async () => {
    // Measured on this fixture: the final round (tokens 2..4) ends a sentence after 天 and sherpa-onnx loses "hello".
    const text = '我们今天hello';
    const sherpa = theirs(text);
    assert.equal(words(sherpa), '我们今天', 'sherpa-onnx 1.13.8 drops "hello"');
    const result = await ours.addPunctuation(text);
    assert.ok(result.startsWith(sherpa) && words(result) === '我们今天hello', result);
  });

  it('adds marks to unpunctuated text (the fixture marks 吗 with ？ and 了 with 。)', async () => {
    const result = await ours.addPunctuation('你好吗我们今天来了');
    assert.ok(result.includes('吗？'), result);
    assert.ok(result.endsWith('了。'), result);
  });
});

describe('CT-Transformer punctuation: the 200-token rule', () => {
  it('a piece of 200+ tokens with no sentence end ends at its last comma (same as sherpa-onnx)', async () => {
    // No marks at all except the fixture's forced ones; 但 → ，. No 了/吗, so no sentence end is ever found.
    const dir = await writeVariant({ noMarkBias: 10 });
    const ours = await loadCtTransformerPunctuator(join(dir, 'model.onnx'), { threads: 1 });
    try {
      const body = randomText(260, 77, { exclude: '了吗但和' });
      const tokens = splitPunctuationTokens(body);
      const text = `${tokens.slice(0, 150).join(' ')} 但 ${tokens.slice(150).join(' ')}`;
      const result = await ours.addPunctuation(text);
      assertLikeSherpa(result, sherpaPunctuation(join(dir, 'model.onnx'))(text), text, '260 tokens');
      assert.ok(result.includes('但。'), 'the comma after 但 became a full stop');
      assert.ok(!result.includes('，'), 'no comma left');
      assert.ok(splitPunctuationTokens(text).length > CT_MAX_PIECE_TOKENS);
    } finally {
      await ours.release();
    }
  });

  it('markTokens: the last piece is kept whole, earlier ones up to their last sentence end', async () => {
    const config = { dotId: 3, questionId: 4, commaId: 2 };
    const calls: number[][] = [];
    // Every token's class is its own value (so the marks are predictable); 3 = 。 at ids 3.
    const ids = Int32Array.from([1, 1, 1, 3, 1, ...Array(30).fill(1)]);
    const marks = await markTokens(ids, config, async (piece) => {
      calls.push(Array.from(piece));
      return Int32Array.from(piece);
    });
    assert.deepEqual(marks, Array.from(ids));
    // 35 tokens → ⌈54/20⌉ = 3 rounds. Round 1: tokens 0..19, kept up to the 。 at 3; rounds 2 and 3
    // both cover the carried tokens 4..34 (no sentence end), the last one keeping them.
    assert.deepEqual(calls.map((c) => c.length), [20, 31, 31]);
  });
});

describe('CT-Transformer tokenization and models', () => {
  it('splits text like sherpa-onnx: CJK characters, ASCII words, ASCII punctuation', () => {
    assert.deepEqual(splitPunctuationTokens('你好hello world 123，测试！ABC'), ['你', '好', 'hello', 'world', '123', '，', '测', '试', '！', 'ABC']);
    assert.deepEqual(splitPunctuationTokens("it's 3.5%"), ["it's", '3', '.', '5', '%']);
    assert.deepEqual(splitPunctuationTokens('Öffnen Ça é'), ['Öffnen', 'Ça', 'é']);
    assert.deepEqual(splitPunctuationTokens(' \t\n'), []);
    assert.equal(lowerCaseToken('iPhone'), 'iphone');
    assert.equal(lowerCaseToken('ÖFFNEN'), 'öffnen');
  });

  async function rejects(path: string, code: string, field: string, fragment: string): Promise<void> {
    let caught: unknown;
    try {
      await (await loadCtTransformerPunctuator(path, { threads: 1 })).release();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof TingxieError, `expected ${code}, got ${String(caught)}`);
    assert.equal(caught.code, code, caught.message);
    assert.equal(caught.detail?.field, field, caught.message);
    assert.ok(caught.message.includes(fragment), caught.message);
  }

  it('bad models and paths give typed errors naming the field', async () => {
    await rejects(join(temp.dir, 'missing'), ErrorCodes.MODEL_NOT_FOUND, 'punctuationModelPath', 'not found');
    await rejects(temp.dir, ErrorCodes.MODEL_NOT_FOUND, 'punctuationModelPath', 'model.int8.onnx or model.onnx');
    await rejects(await writeVariant({ metadataOverrides: { tokens: null } }), ErrorCodes.MODEL_INVALID, 'tokens', 'metadata tokens is missing');
    await rejects(await writeVariant({ metadataOverrides: { vocab_size: '5' } }), ErrorCodes.MODEL_INVALID, 'vocab_size', 'does not match');
    await rejects(await writeVariant({ metadataOverrides: { punctuations: '<unk>|_|，|。|、' } }), ErrorCodes.MODEL_INVALID, 'punctuations', 'question');
    await rejects(await writeVariant({ metadataOverrides: { unk_symbol: '<oov>' } }), ErrorCodes.MODEL_INVALID, 'unk_symbol', '<oov>');
    await rejects(await writeVariant({ metadataOverrides: { model_type: 'paraformer' } }), ErrorCodes.MODEL_INVALID, 'model_type', 'ct_transformer');
  });
});

describe('punctuation post-step in the transcriber', () => {
  it('applies only to text without punctuation', () => {
    assert.equal(needsPunctuation('我们今天来到这里'), true);
    assert.equal(needsPunctuation('hello world'), true);
    assert.equal(needsPunctuation('我们今天，来到这里'), false);
    assert.equal(needsPunctuation('Hello, world'), false);
    assert.equal(needsPunctuation('  '), false);
  });

  it('punctuates Paraformer segments (which have none) when a punctuation model is given, and only then', async () => {
    const model = await loadAsrModel(await fixtureDir(PARAFORMER_FIXTURE_NAME), { threads: 1 });
    const punctuation = await loadCtTransformerPunctuator(await fixtureDir(CT_TRANSFORMER_FIXTURE_NAME), { threads: 1 });
    const file = join(temp.dir, 'noop.wav');
    try {
      const { writeWav16 } = await import('../../models/fixtures/tone.ts');
      const { readWave16k } = await import('../models/sherpa-reference.ts');
      const speech = readWave16k(new URL('../../../shared/audio/wenet/aishell-BAC009S0724W0121.wav', import.meta.url).pathname);
      await writeWav16(file, speech);
      const options = { language: 'auto' as const, useItn: false, vad: false, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS) };
      const plain = await new Transcriber({ model, vad: null }).transcribeFile(file, options);
      const punctuated = await new Transcriber({ model, vad: null, punctuation }).transcribeFile(file, options);
      assert.ok(plain.segments.length === 1 && punctuated.segments.length === 1);
      assert.equal(needsPunctuation(plain.segments[0]!.text), true, 'Paraformer text has no punctuation');
      assert.equal(punctuated.segments[0]!.rawText, plain.segments[0]!.rawText, 'rawText stays the model output');
      assert.deepEqual(punctuated.segments[0]!.tokens, plain.segments[0]!.tokens);
      assert.match(punctuated.segments[0]!.text, /[。？.?]$/);
      assert.equal(punctuated.segments[0]!.text.replace(/[，。？、,.?\s]/g, ''), plain.segments[0]!.text.replace(/\s/g, ''), 'only marks were added');
    } finally {
      await punctuation.release();
      await model.release();
    }
  });

  it('leaves text that already has punctuation alone', async () => {
    const calls: string[] = [];
    const punctuation = {
      addPunctuation: async (text: string) => {
        calls.push(text);
        return `${text}。`;
      },
      release: async () => undefined,
    };
    const result: RecognitionResult = { text: '你好，世界', tokens: ['你', '好', '，', '世', '界'], tokenIds: [1, 2, 3, 4, 5], timestamps: [], language: 'zh', emotion: null, event: null, itn: true, numFrames: 10 };
    const model: AsrModel = {
      family: 'sense_voice',
      dir: temp.dir,
      modelFile: 'model.onnx',
      device: 'cpu',
      isFixture: true,
      recognize: async () => result,
      release: async () => undefined,
    };
    const { writeWav16 } = await import('../../models/fixtures/tone.ts');
    const file = join(temp.dir, 'short.wav');
    await writeWav16(file, new Float32Array(16000));
    const out = await new Transcriber({ model, vad: null, punctuation }).transcribeFile(file, { language: 'auto', useItn: false, vad: false, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS) });
    assert.equal(out.segments[0]!.text, '你好，世界');
    assert.deepEqual(calls, []);
  });
});
