/** Every example in the house-style table (engine/src/text/itn/STYLE.md) is what the code does. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { inverseNormalize } from '../../engine/src/text/itn/index.ts';

const STYLE_MD = fileURLToPath(new URL('../../engine/src/text/itn/STYLE.md', import.meta.url));

interface Example {
  language: 'zh' | 'en';
  spoken: string;
  written: string;
}

/** Table rows "| category | a · b | A · B | notes |"; "unchanged" means the spoken form; rows with … are illustrations. */
function examples(): Example[] {
  const out: Example[] = [];
  let language: 'zh' | 'en' | null = null;
  for (const line of readFileSync(STYLE_MD, 'utf8').split('\n')) {
    if (line.startsWith('## Chinese')) language = 'zh';
    else if (line.startsWith('## English')) language = 'en';
    else if (line.startsWith('## ')) language = null;
    if (language === null || !line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || cells[1] === 'Category' || cells[1]!.startsWith('---')) continue;
    const spoken = cells[2]!.split(' · ');
    const written = cells[3]!.split(' · ');
    spoken.forEach((s, k) => {
      const w = written.length === 1 && written[0] === 'unchanged' ? s : written[k];
      if (s.includes('…') || w === undefined) return;
      out.push({ language: language!, spoken: s, written: w === 'unchanged' ? s : w });
    });
  }
  return out;
}

test('STYLE.md examples match the implementation', () => {
  const all = examples();
  assert.ok(all.length > 100, `only ${all.length} examples parsed from STYLE.md`);
  for (const e of all) assert.equal(inverseNormalize(e.spoken, { language: e.language }), e.written, `${e.language}: ${e.spoken}`);
});
