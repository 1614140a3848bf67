import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { FakeRegistry, buildStoreApp, fakeResult } from './helpers/store-app.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let app: FastifyInstance;
const ids: Record<string, number> = {};

interface Summary {
  id: number;
  filename: string;
  raw_text: string;
  itn_text: string;
  hotwords: string[];
  duration_s: number;
}

before(async () => {
  temp = await makeTempDir('history');
  app = await buildStoreApp({ dataDir: temp.dir, registry: new FakeRegistry() });
  await app.ready();
  const add = (filename: string, raw: string[], written: string[], hotwords: string[] = []): void => {
    const result = fakeResult(filename, raw);
    result.text = written.join('');
    result.segments.forEach((segment, i) => (segment.text = written[i]!));
    ids[filename] = app.history.add({ filename, result, hotwords, source: 'api' });
  };
  add('meeting.wav', ['二零二五年三月十二号下午三点', '开会'], ['2025年3月12日下午3点', '开会'], ['开会', 'Tingxie']);
  add('morning.mp3', ['上午十点半'], ['上午10点半']);
  add('english, "quoted".wav', ['hello world'], ['Hello world.']);
  add('空.wav', [''], ['']);
});

after(async () => {
  await app.close();
  await temp.cleanup();
});

async function search(q: string, extra = ''): Promise<{ total: number; items: Summary[] }> {
  const res = await app.inject({ method: 'GET', url: `/api/history?q=${encodeURIComponent(q)}${extra}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

test('search finds Chinese substrings in raw and written text, newest first', async () => {
  assert.deepEqual((await search('三月十二')).items.map((i) => i.filename), ['meeting.wav']);
  assert.deepEqual((await search('3月12日')).items.map((i) => i.filename), ['meeting.wav']);
  assert.deepEqual((await search('十点半')).items.map((i) => i.filename), ['morning.mp3']);
  // Both entries have 点 in their text: a one-character query (LIKE fallback).
  assert.deepEqual((await search('点')).items.map((i) => i.filename), ['morning.mp3', 'meeting.wav']);
  // Two characters, also below the trigram length.
  assert.deepEqual((await search('开会')).items.map((i) => i.filename), ['meeting.wav']);
  // Case-insensitive, several terms must all match.
  assert.deepEqual((await search('HELLO wor')).items.map((i) => i.filename), ['english, "quoted".wav']);
  assert.equal((await search('hello 十点')).total, 0);
  // FTS syntax in a query is just text.
  assert.equal((await search('"OR* NEAR(')).total, 0);
  assert.equal((await search('%')).total, 0);
  const all = await search('');
  assert.equal(all.total, 4);
  assert.deepEqual(all.items.map((i) => i.id), [ids['空.wav'], ids['english, "quoted".wav'], ids['morning.mp3'], ids['meeting.wav']]);
});

test('limit and offset page through the results; total counts them all', async () => {
  const page = await search('', '&limit=2&offset=1');
  assert.equal(page.total, 4);
  assert.deepEqual(page.items.map((i) => i.id), [ids['english, "quoted".wav'], ids['morning.mp3']]);
});

test('wrong query types are 400 VALIDATION_FAILED', async () => {
  for (const url of ['/api/history?limit=abc', '/api/history?limit=-1', '/api/history?offset=x', '/api/history/export?format=xml', '/api/history/1/export?format=docx']) {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, 400, url);
    assert.equal(res.json().error.code, 'VALIDATION_FAILED', url);
  }
});

test('an entry is read with its segments, and rebuilt into SRT, VTT, TXT and JSON', async () => {
  const id = ids['meeting.wav']!;
  const res = await app.inject({ method: 'GET', url: `/api/history/${id}` });
  assert.equal(res.statusCode, 200);
  const entry = res.json();
  assert.equal(entry.raw_text, '二零二五年三月十二号下午三点开会');
  assert.equal(entry.itn_text, '2025年3月12日下午3点开会');
  assert.deepEqual(entry.hotwords, ['开会', 'Tingxie']);
  assert.deepEqual(entry.segments.map((s: { text: string }) => s.text), ['2025年3月12日下午3点', '开会']);
  assert.equal(entry.source, 'api');

  const srt = await app.inject({ method: 'GET', url: `/api/history/${id}/export?format=srt` });
  assert.equal(srt.statusCode, 200);
  assert.match(srt.headers['content-type'] as string, /subrip/);
  assert.match(srt.headers['content-disposition'] as string, /filename="meeting\.srt"/);
  assert.equal(srt.body, '1\n00:00:00,000 --> 00:00:00,900\n2025年3月12日下午3点\n\n2\n00:00:01,000 --> 00:00:01,900\n开会\n');
  const vtt = await app.inject({ method: 'GET', url: `/api/history/${id}/export?format=vtt` });
  assert.equal(vtt.body, 'WEBVTT\n\n00:00:00.000 --> 00:00:00.900\n2025年3月12日下午3点\n\n00:00:01.000 --> 00:00:01.900\n开会\n');
  const txt = await app.inject({ method: 'GET', url: `/api/history/${id}/export?format=txt` });
  assert.equal(txt.body, '2025年3月12日下午3点开会\n');
  const json = await app.inject({ method: 'GET', url: `/api/history/${id}/export?format=json` });
  const parsed = JSON.parse(json.body);
  assert.equal(parsed.file, 'meeting.wav');
  assert.equal(parsed.raw_text, '二零二五年三月十二号下午三点开会');
  assert.deepEqual(parsed.segments.map((s: { end: number }) => s.end), [0.9, 1.9]);
});

test('export of all entries as CSV and JSON has the documented fields', async () => {
  const json = await app.inject({ method: 'GET', url: '/api/history/export?format=json' });
  assert.equal(json.statusCode, 200);
  const rows = JSON.parse(json.body) as Record<string, unknown>[];
  assert.equal(rows.length, 4);
  for (const row of rows) assert.deepEqual(Object.keys(row), ['id', 'created_at', 'filename', 'language', 'duration_s', 'raw_text', 'itn_text', 'hotwords']);
  const meeting = rows.find((r) => r.filename === 'meeting.wav')!;
  assert.deepEqual(meeting.hotwords, ['开会', 'Tingxie']);
  assert.equal(meeting.duration_s, 2);

  const csv = await app.inject({ method: 'GET', url: '/api/history/export?format=csv&q=hello' });
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  const lines = csv.body.replace(/^\ufeff/, '').split('\r\n');
  assert.equal(lines[0], 'id,created_at,filename,language,duration_s,raw_text,itn_text,hotwords');
  assert.equal(lines.length, 3); // header, one row, trailing empty
  assert.match(lines[1]!, new RegExp(`^${ids['english, "quoted".wav']},[^,]+,"english, ""quoted"".wav",zh,1,hello world,Hello world\\.,$`));
});

test('delete removes an entry from reads and search; unknown ids are 404 HISTORY_NOT_FOUND', async () => {
  const id = ids['morning.mp3']!;
  const del = await app.inject({ method: 'DELETE', url: `/api/history/${id}` });
  assert.equal(del.statusCode, 204);
  assert.equal((await search('十点半')).total, 0);
  for (const [method, url] of [
    ['GET', `/api/history/${id}`],
    ['DELETE', `/api/history/${id}`],
    ['GET', `/api/history/${id}/export?format=txt`],
    ['GET', '/api/history/999999'],
    ['GET', '/api/history/not-a-number'],
  ] as const) {
    const res = await app.inject({ method, url });
    assert.equal(res.statusCode, 404, `${method} ${url}`);
    assert.deepEqual(Object.keys(res.json().error).sort(), ['code', 'detail', 'message', 'type']);
    assert.equal(res.json().error.code, 'HISTORY_NOT_FOUND');
  }
});
