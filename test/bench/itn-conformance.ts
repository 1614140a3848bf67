/**
 * ITN conformance and speed against the peers' suites (../shared/conformance). Not a test: prints
 * pass rates per suite and category, the documented house-style differences, every other failure,
 * and sentences per second on one thread.
 *
 *   node --import tsx test/bench/itn-conformance.ts [--failures] [--style] [--filter zh|en|<suite>]
 */
import { inverseNormalize } from '../../engine/src/text/itn/index.ts';
import { houseRate, loadSuites, runCase, tally, CONFORMANCE_DIR, type CaseResult } from '../text/itn-suites.ts';
import { STYLE_DIFFERENCES } from '../text/itn-style-differences.ts';

const args = process.argv.slice(2);
const showFailures = args.includes('--failures');
const showStyle = args.includes('--style');
const filterAt = args.indexOf('--filter');
const filter = filterAt >= 0 ? args[filterAt + 1] : undefined;

const all = loadSuites();
if (all.length === 0) {
  console.error(`no conformance data under ${CONFORMANCE_DIR}`);
  process.exit(1);
}
const cases = filter === undefined ? all : all.filter((c) => c.language === filter || c.suite.startsWith(filter));
const results: CaseResult[] = cases.map(runCase);

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(6);
console.log(`ITN conformance (${cases.length} cases from ${CONFORMANCE_DIR})`);
console.log('suite category'.padEnd(40), 'cases'.padStart(5), 'exact'.padStart(6), 'style'.padStart(6), 'fail'.padStart(5), ' exact%', ' house%');
for (const [key, t] of [...tally(results)].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(key.padEnd(40), String(t.total).padStart(5), String(t.pass).padStart(6), String(t.style).padStart(6), String(t.fail).padStart(5), pct(t.pass / t.total), pct(houseRate(t)));
}

const styleUsed = new Map<string, number>();
for (const r of results) if (r.verdict === 'style') styleUsed.set(r.styleId!, (styleUsed.get(r.styleId!) ?? 0) + 1);
console.log('\nDocumented house-style differences (cases explained):');
const reasons = new Map<string, string>();
for (const d of STYLE_DIFFERENCES) if (!reasons.has(d.id)) reasons.set(d.id, d.reason);
for (const [id, reason] of reasons) {
  const n = [...styleUsed].filter(([used]) => used.split('+').includes(id)).reduce((sum, [, k]) => sum + k, 0);
  console.log(`  ${id} (${n}): ${reason.replace(/^[a-z0-9-]+: /, '')}`);
  if (showStyle) {
    for (const r of results) if (r.verdict === 'style' && r.styleId!.split('+').includes(id)) console.log(`      [${r.case.suite} ${r.case.file}] ${r.case.input} → ${r.actual} (peer: ${r.case.expected})`);
  }
}

// cn2an's lenient modes convert the very inputs its strict mode must reject; the house sides with strict.
const conflicts = results.filter((r) => r.verdict === 'fail' && r.case.category === 'lenient-vs-must-fail');
const failures = results.filter((r) => r.verdict === 'fail' && r.case.category !== 'lenient-vs-must-fail');
console.log(`\ncn2an lenient-mode cases that are must-fail inputs (left unchanged by design): ${conflicts.length}`);
console.log(`Failures outside the documented differences: ${failures.length}`);
if (showFailures) {
  for (const r of failures) {
    console.log(`  [${r.case.suite} ${r.case.file}] ${JSON.stringify(r.case.input)}\n      want ${JSON.stringify(r.case.expected)}\n      got  ${JSON.stringify(r.actual)}`);
  }
} else {
  console.log('  (run with --failures to list them)');
}

// Speed: all inputs, repeated, one thread.
const inputs = cases.map((c) => [c.input, c.language] as const);
let sink = 0;
for (const [text, language] of inputs) sink += inverseNormalize(text, { language }).length;
const rounds = Math.max(1, Math.ceil(200_000 / inputs.length));
const start = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) {
  for (const [text, language] of inputs) sink += inverseNormalize(text, { language }).length;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const sentences = rounds * inputs.length;
console.log(`\nSpeed: ${sentences} sentences in ${seconds.toFixed(2)} s = ${Math.round(sentences / seconds)} sentences/s on one thread (checksum ${sink % 1000})`);
