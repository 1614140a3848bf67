import type { Minutes, MinutesLanguage } from './types.ts';

export interface RenderOptions {
  /** Language of the headings; 'mixed' meetings get the Chinese headings. */
  language: 'zh' | 'en' | MinutesLanguage;
}

interface Labels {
  date: string;
  duration: string;
  summary: string;
  topics: string;
  decisions: string;
  actions: string;
  owner: string;
  due: string;
  transcript: string;
  none: string;
  unknown: string;
  modelNote: (model: string) => string;
}

const ZH: Labels = {
  date: '日期',
  duration: '时长',
  summary: '摘要',
  topics: '议题',
  decisions: '决定',
  actions: '待办事项',
  owner: '负责人',
  due: '截止',
  transcript: '会议记录',
  none: '无',
  unknown: '未知',
  modelNote: (model) => `（摘要由模型 ${model} 生成）`,
};

const EN: Labels = {
  date: 'Date',
  duration: 'Duration',
  summary: 'Summary',
  topics: 'Topics',
  decisions: 'Decisions',
  actions: 'Action items',
  owner: 'Owner',
  due: 'Due',
  transcript: 'Transcript',
  none: 'None',
  unknown: 'unknown',
  modelNote: (model) => `(summary written by the model ${model})`,
};

/** `[MM:SS]`, or `[H:MM:SS]` from an hour on. */
export function clock(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Markdown control characters in transcript text would change the layout; escape them. */
function escapeMd(text: string): string {
  return text.replace(/([\\`*_[\]#|<>])/g, '\\$1');
}

/** Minutes as a Markdown document: header, summary, topics, decisions, action items (checkboxes), transcript. */
export function renderMinutesMarkdown(minutes: Minutes, opts: RenderOptions): string {
  const L = opts.language === 'en' ? EN : ZH;
  const sep = opts.language === 'en' ? ', ' : '，';
  const lines: string[] = [];
  lines.push(`# ${escapeMd(minutes.title)}`, '');
  lines.push(`- **${L.date}:** ${minutes.date ?? L.unknown}`);
  lines.push(`- **${L.duration}:** ${clock(minutes.duration)}`, '');

  lines.push(`## ${L.summary}`, '');
  if (minutes.generatedBy.summary !== 'extractive') lines.push(`_${L.modelNote(minutes.generatedBy.summary.slice(4))}_`, '');
  if (minutes.summary.length === 0) lines.push(`- ${L.none}`);
  for (const point of minutes.summary) lines.push(`- ${escapeMd(point.text)}${point.start !== null ? ` [${clock(point.start)}]` : ''}`);
  lines.push('');

  lines.push(`## ${L.topics}`, '');
  minutes.topics.forEach((topic, i) => {
    const name = topic.keywords.length > 0 ? topic.keywords.map(escapeMd).join(sep) : `${i + 1}`;
    lines.push(`${i + 1}. ${name} [${clock(topic.start)}–${clock(topic.end)}]`);
  });
  if (minutes.topics.length === 0) lines.push(`- ${L.none}`);
  lines.push('');

  lines.push(`## ${L.decisions}`, '');
  if (minutes.decisions.length === 0) lines.push(`- ${L.none}`);
  for (const d of minutes.decisions) lines.push(`- ${escapeMd(d.text)} [${clock(d.start)}]`);
  lines.push('');

  lines.push(`## ${L.actions}`, '');
  if (minutes.actionItems.length === 0) lines.push(`- ${L.none}`);
  for (const a of minutes.actionItems) {
    const details: string[] = [];
    if (a.owner !== null) details.push(`${L.owner}: ${escapeMd(a.owner)}`);
    if (a.due !== null) details.push(`${L.due}: ${a.due.date !== null ? `${a.due.date} (${escapeMd(a.due.text)})` : escapeMd(a.due.text)}`);
    lines.push(`- [ ] ${escapeMd(a.text)}${details.length > 0 ? ` — ${details.join(sep)}` : ''} [${clock(a.start)}]`);
  }
  lines.push('');

  lines.push(`## ${L.transcript}`, '');
  for (const line of minutes.transcript) {
    const who = line.speaker !== null ? ` **${escapeMd(line.speaker)}:**` : '';
    lines.push(`- [${clock(line.start)}]${who} ${escapeMd(line.text)}`);
  }
  if (minutes.transcript.length === 0) lines.push(`- ${L.none}`);
  return `${lines.join('\n')}\n`;
}
