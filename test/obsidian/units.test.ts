/** Pure parts of the plugin: link finding, transcript placement, formatting, minutes Markdown, multipart, resampling, settings. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Minutes } from '../../engine/src/minutes/types.ts';
import { scanNote } from '../../plugins/obsidian/src/audio-links.ts';
import { Pcm16Resampler, insertDictated } from '../../plugins/obsidian/src/dictation.ts';
import { EngineClient, EngineError, buildMultipart } from '../../plugins/obsidian/src/engine-client.ts';
import { frontmatterDate, renderMinutes } from '../../plugins/obsidian/src/minutes.ts';
import { placeTranscript } from '../../plugins/obsidian/src/note-editing.ts';
import type { RequestUrlParams } from '../../plugins/obsidian/src/ports.ts';
import { DEFAULT_SETTINGS, hotwordList, mergeSettings } from '../../plugins/obsidian/src/settings.ts';
import { formatTimestamp, renderTemplate, transcriptCallout } from '../../plugins/obsidian/src/transcript-format.ts';
import { App } from './obsidian-mock.ts';

test('scanNote: embeds, wiki-links, Markdown links; not in frontmatter, code, URLs, or non-audio links', () => {
  const note = [
    '---',
    'audio: "[[fm.m4a]]"',
    '---',
    '![[a.m4a]] [[b.MP3|alias]] [[c.wav#t=5]] [[notes.md]] ![[pic.png]]',
    '[x](d%20e.ogg) ![y](<f g.flac>) [web](https://example.com/h.mp3) [md](note.md)',
    '`![[code.m4a]]` after ![[i.webm]]',
    '```',
    '![[fenced.m4a]]',
    '```',
    '~~~~',
    '```',
    '![[tilde.m4a]]',
    '~~~~',
    '> [!transcript]- a.m4a',
    '> [00:00] ![[inside.m4a]]',
    '![[j.opus]]',
  ].join('\n');
  const { links, blocks } = scanNote(note, 'transcript');
  assert.deepEqual(
    links.map((l) => [l.linkpath, l.line]),
    [['a.m4a', 3], ['b.MP3', 3], ['c.wav', 3], ['d e.ogg', 4], ['f g.flac', 4], ['i.webm', 5], ['j.opus', 15]],
  );
  assert.deepEqual(links.map((l) => l.original).slice(0, 4), ['![[a.m4a]]', '[[b.MP3|alias]]', '[[c.wav#t=5]]', '[x](d%20e.ogg)']);
  assert.deepEqual(blocks, [{ title: 'a.m4a', startLine: 13, endLine: 14 }]);
});

test('placeTranscript: at the end of a note without a final newline, before a blank line, and replacing in place', () => {
  const block = ['> [!transcript]- a.m4a', '> [00:01] hi'];
  const placement = { title: 'a.m4a', block, matches: (l: { linkpath: string }) => l.linkpath === 'a.m4a' };
  assert.deepEqual(placeTranscript('![[a.m4a]]', 'transcript', placement), { text: '![[a.m4a]]\n> [!transcript]- a.m4a\n> [00:01] hi', action: 'inserted' });
  assert.deepEqual(placeTranscript('![[a.m4a]]\n\nNext', 'transcript', placement), { text: '![[a.m4a]]\n> [!transcript]- a.m4a\n> [00:01] hi\n\nNext', action: 'inserted' });
  const replaced = placeTranscript('![[a.m4a]]\n> [!transcript]- a.m4a\n> [00:00] old\n> more old\n\nNext', 'transcript', placement);
  assert.deepEqual(replaced, { text: '![[a.m4a]]\n> [!transcript]- a.m4a\n> [00:01] hi\n\nNext', action: 'replaced' });
  assert.deepEqual(placeTranscript('the link was deleted', 'transcript', placement), { text: 'the link was deleted', action: 'link-gone' });
});

test('placeTranscript: a link in a list item gets the callout nested under the item; redo keeps the indentation', () => {
  const placement = (text: string) => ({ title: 'a.m4a', block: ['> [!transcript]- a.m4a', `> ${text}`], matches: (l: { linkpath: string }) => l.linkpath === 'a.m4a' });
  const note = '- 09:00 standup\n  1. 10:30 ![[a.m4a]]\n- 11:00 lunch';
  const once = placeTranscript(note, 'transcript', placement('[00:01] hi')).text;
  assert.equal(once, '- 09:00 standup\n  1. 10:30 ![[a.m4a]]\n     > [!transcript]- a.m4a\n     > [00:01] hi\n\n- 11:00 lunch');
  assert.deepEqual(scanNote(once, 'transcript').blocks, [{ title: 'a.m4a', startLine: 2, endLine: 3 }]);
  assert.equal(placeTranscript(once, 'transcript', placement('[00:02] again')).text, once.replace('[00:01] hi', '[00:02] again'));
  assert.equal(placeTranscript('- [ ] call ![[a.m4a]]', 'transcript', placement('x')).text, '- [ ] call ![[a.m4a]]\n  > [!transcript]- a.m4a\n  > x');
});

test('formatting: timestamps, callouts (fold, no speech), templates fill once', () => {
  assert.equal(formatTimestamp(754.9, 'mm:ss'), '12:34');
  assert.equal(formatTimestamp(3725, 'mm:ss'), '62:05');
  assert.equal(formatTimestamp(3725, 'hh:mm:ss'), '01:02:05');
  assert.equal(formatTimestamp(754.9, 'seconds'), '754s');
  const empty = { text: '', segments: [], duration: 3, historyId: null };
  assert.deepEqual(transcriptCallout('x.m4a', empty, { calloutType: 'quote', calloutFold: '+', timestampFormat: 'mm:ss' }), ['> [!quote]+ x.m4a', '> *(no speech detected)*']);
  assert.equal(renderTemplate('{{file}}: {{text}} {{ date }} {{other}}', { text: '{{file}}', segments: '', file: 'a.m4a', date: '2025-03-12' }), 'a.m4a: {{file}} 2025-03-12 {{other}}');
});

test('renderMinutes: headings by language, decisions, action items as tasks with owner and 📅 due date, timestamp links', () => {
  const minutes: Minutes = {
    title: 'Weekly sync',
    date: '2025-03-10',
    duration: 900,
    language: 'en',
    topics: [{ keywords: ['budget', 'launch'], start: 12, end: 400, firstSentence: 0, lastSentence: 3 }, { keywords: [], start: 400, end: 900, firstSentence: 4, lastSentence: 9 }],
    summary: [{ text: 'Budget approved.', start: 12.5 }, { text: 'Written by a model.', start: null }],
    decisions: [{ text: 'We ship on Friday.', start: 754.2, end: 760, speaker: null, sentenceIndex: 5 }],
    actionItems: [
      { text: 'Alice will send the report by Friday.', owner: 'Alice', due: { date: '2025-03-14', text: 'by Friday' }, start: 800, end: 805, speaker: null, sentenceIndex: 7 },
      { text: 'Someone should check the logs.', owner: null, due: null, start: 3700, end: 3705, speaker: null, sentenceIndex: 8 },
    ],
    transcript: [],
    generatedBy: { summary: 'extractive' },
    warnings: [],
  };
  assert.equal(
    renderMinutes(minutes, 'rec/sync.m4a', 'mm:ss'),
    [
      '## Weekly sync',
      '',
      'Date: 2025-03-10 · Duration: 15:00 · Recording: [[rec/sync.m4a]]',
      '',
      '### Summary',
      '- Budget approved. [[rec/sync.m4a#t=12|00:12]]',
      '- Written by a model.',
      '',
      '### Topics',
      '- budget, launch [[rec/sync.m4a#t=12|00:12]]',
      '',
      '### Decisions',
      '- We ship on Friday. [[rec/sync.m4a#t=754|12:34]]',
      '',
      '### Action items',
      '- [ ] **Alice**: Alice will send the report by Friday. [[rec/sync.m4a#t=800|13:20]] 📅 2025-03-14',
      '- [ ] Someone should check the logs. [[rec/sync.m4a#t=3700|61:40]]',
      '',
    ].join('\n'),
  );
  assert.match(renderMinutes({ ...minutes, language: 'zh' }, 'a.m4a', 'mm:ss'), /\n### 决定\n[^]*\n### 待办事项\n/);
  assert.equal(frontmatterDate('---\ntitle: x\ndate: "2025-03-10"\n---\nbody'), '2025-03-10');
  assert.equal(frontmatterDate('date: 2025-03-10\n'), null);
});

test('buildMultipart: fields then the file, byte for byte; UTF-8 file name with quotes escaped as browsers do', () => {
  const data = new Uint8Array([0, 1, 2, 255, 13, 10]);
  const { body, contentType } = buildMultipart({ language: 'zh', itn: 'true' }, { name: '会议 "1".m4a', contentType: 'audio/mp4', data }, 'BOUNDARY123');
  assert.equal(contentType, 'multipart/form-data; boundary=BOUNDARY123');
  const expected = Buffer.concat([
    Buffer.from(
      '--BOUNDARY123\r\nContent-Disposition: form-data; name="language"\r\n\r\nzh\r\n' +
        '--BOUNDARY123\r\nContent-Disposition: form-data; name="itn"\r\n\r\ntrue\r\n' +
        '--BOUNDARY123\r\nContent-Disposition: form-data; name="file"; filename="会议 %221%22.m4a"\r\nContent-Type: audio/mp4\r\n\r\n',
    ),
    Buffer.from(data),
    Buffer.from('\r\n--BOUNDARY123--\r\n'),
  ]);
  assert.deepEqual(Buffer.from(body), expected);
});

test('EngineClient: token header, engine error codes become advice, a non-JSON answer is a clear error', async () => {
  const calls: RequestUrlParams[] = [];
  let answer = { status: 401, text: JSON.stringify({ error: { code: 'AUTH_INVALID', message: 'Invalid token.', type: 'auth' } }) };
  const client = new EngineClient(
    async (params) => {
      calls.push(params);
      return { ...answer, headers: {}, json: null };
    },
    () => ({ ...DEFAULT_SETTINGS, engineUrl: 'http://127.0.0.1:9/', token: 'secret', hotwords: '张三\n李四' }),
    () => 'B',
  );
  await assert.rejects(client.transcribe(new ArrayBuffer(4), 'a.wav'), (error: unknown) => {
    assert.ok(error instanceof EngineError);
    assert.equal(error.code, 'AUTH_INVALID');
    assert.equal(error.status, 401);
    assert.equal(error.message, 'Invalid token. Check the token in Settings → Tingxie (the engine\'s data folder has it in the file "token").');
    return true;
  });
  assert.equal(calls[0]!.url, 'http://127.0.0.1:9/v1/audio/transcriptions');
  assert.deepEqual(calls[0]!.headers, { Authorization: 'Bearer secret' });
  assert.match(new TextDecoder().decode(calls[0]!.body as ArrayBuffer), /name="hotwords"\r\n\r\n\["张三","李四"\]\r\n/);

  answer = { status: 503, text: JSON.stringify({ error: { code: 'MODEL_NOT_LOADED', message: 'No model is loaded.', type: 'x' } }) };
  await assert.rejects(client.minutes({ historyId: 3 }), /^EngineError: No model is loaded\. Install a model with "tingxie models pull", then restart "tingxie serve"\.$/);
  assert.equal(calls[1]!.body, '{"historyId":3}');
  answer = { status: 200, text: '<html>' };
  await assert.rejects(client.transcribe(new ArrayBuffer(4), 'a.wav'), /not JSON; is the engine URL a Tingxie server/);
  assert.equal(client.streamUrl(), 'ws://127.0.0.1:9/api/stream?token=secret');
});

test('Pcm16Resampler: 48 kHz → 16 kHz keeps every third sample, and block boundaries change nothing', () => {
  const input = Float32Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 48000) * 0.5);
  const whole = new Pcm16Resampler(48000).push(input);
  assert.equal(whole.length, 1600);
  for (const i of [0, 1, 123, 1599]) assert.equal(whole[i], Math.round(input[i * 3]! * 32767));
  const blocked = new Pcm16Resampler(48000);
  const parts = [0, 1000, 1001, 3333, 4800].slice(1).map((end, k, ends) => blocked.push(input.subarray(k === 0 ? 0 : ends[k - 1]!, end)));
  assert.deepEqual(Array.from(parts.flatMap((p) => Array.from(p))), Array.from(whole));
  // 44.1 kHz: interpolated, about rate-ratio as many samples, clipped to PCM16.
  const loud = new Pcm16Resampler(44100).push(new Float32Array(44100).fill(2));
  assert.ok(Math.abs(loud.length - 16000) <= 1, String(loud.length));
  assert.ok(loud.every((v) => v === 32767));
});

test('insertDictated: a space between Latin words, none next to Han characters', () => {
  const app = new App();
  const editor = app.workspace.open(app.vault.addFile('n.md', 'Hello'))!.editor;
  editor.setCursor({ line: 0, ch: 5 });
  insertDictated(editor, 'world.');
  insertDictated(editor, '你好');
  insertDictated(editor, '再见');
  assert.equal(editor.getValue(), 'Hello world.你好再见');
});

test('settings: saved data merges over defaults, wrong types and unknown values are dropped; hotwords split', () => {
  assert.deepEqual(mergeSettings(null), DEFAULT_SETTINGS);
  const merged = mergeSettings({ engineUrl: 'http://10.0.0.2:8765', itn: false, language: 'xx', timestampFormat: 'hh:mm:ss', calloutType: 'bad type!', calloutFold: '', extra: 1 });
  assert.deepEqual(merged, { ...DEFAULT_SETTINGS, engineUrl: 'http://10.0.0.2:8765', itn: false, timestampFormat: 'hh:mm:ss', calloutFold: '' });
  assert.deepEqual(hotwordList('张三, 李四\n\nTingxie，听写'), ['张三', '李四', 'Tingxie', '听写']);
});
