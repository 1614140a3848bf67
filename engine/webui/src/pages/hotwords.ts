/** The saved hotword list (`/api/hotwords`): phrases with weights, replacements, FunASR-style text import/export. */
import { type AppContext, type Page, tr } from '../context.ts';
import { clear, download, h } from '../dom.ts';

interface HotwordList {
  hotwords: { phrase: string; weight: number | null }[];
  replacements: { from: string; to: string }[];
  text: string;
}

export function hotwordsPage(ctx: AppContext): Page {
  const { i18n, api } = ctx;
  const phraseBody = h('tbody', { id: 'hotwords-rows' });
  const replacementBody = h('tbody', { id: 'replacement-rows' });
  const importInput = h('input', { type: 'file', id: 'hotwords-import', accept: '.txt,text/plain', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
  const status = h('p', { class: 'status', role: 'status', id: 'hotwords-status' });

  function phraseRow(phrase = '', weight: number | null = null): HTMLTableRowElement {
    const n = phraseBody.childElementCount + 1;
    const row = h(
      'tr',
      {},
      h('td', {}, h('input', { type: 'text', class: 'hw-phrase', value: phrase, 'aria-label': `${i18n.t('hotwords.phrase')} ${n}` })),
      h('td', {}, h('input', { type: 'number', class: 'hw-weight', min: 0, max: 100, step: 'any', value: weight ?? '', 'aria-label': `${i18n.t('hotwords.weight')} ${n}` })),
      h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => row.remove() }, tr(ctx, 'hotwords.remove'))),
    );
    return row;
  }

  function replacementRow(from = '', to = ''): HTMLTableRowElement {
    const n = replacementBody.childElementCount + 1;
    const row = h(
      'tr',
      {},
      h('td', {}, h('input', { type: 'text', class: 'rp-from', value: from, 'aria-label': `${i18n.t('hotwords.from')} ${n}` })),
      h('td', {}, h('input', { type: 'text', class: 'rp-to', value: to, 'aria-label': `${i18n.t('hotwords.to')} ${n}` })),
      h('td', {}, h('button', { type: 'button', class: 'danger', onclick: () => row.remove() }, tr(ctx, 'hotwords.remove'))),
    );
    return row;
  }

  function show(list: HotwordList): void {
    clear(phraseBody);
    clear(replacementBody);
    for (const item of list.hotwords) phraseBody.append(phraseRow(item.phrase, item.weight));
    for (const item of list.replacements) replacementBody.append(replacementRow(item.from, item.to));
  }

  function collect(): Omit<HotwordList, 'text'> {
    const hotwords = [...phraseBody.rows]
      .map((row) => {
        const phrase = row.querySelector<HTMLInputElement>('.hw-phrase')!.value.trim();
        const weightText = row.querySelector<HTMLInputElement>('.hw-weight')!.value.trim();
        return { phrase, weight: weightText === '' ? null : Number(weightText) };
      })
      .filter((item) => item.phrase !== '');
    const replacements = [...replacementBody.rows]
      .map((row) => ({ from: row.querySelector<HTMLInputElement>('.rp-from')!.value.trim(), to: row.querySelector<HTMLInputElement>('.rp-to')!.value.trim() }))
      .filter((item) => item.from !== '');
    return { hotwords, replacements };
  }

  async function load(): Promise<void> {
    try {
      show(await api.json<HotwordList>('/api/hotwords'));
    } catch (error) {
      status.textContent = ctx.describeError(error);
      status.dataset.kind = 'error';
    }
  }

  async function save(body: unknown): Promise<void> {
    try {
      const list = await api.sendJson<HotwordList>('PUT', '/api/hotwords', body);
      show(list);
      status.textContent = i18n.t('hotwords.saved', { count: list.hotwords.length + list.replacements.length });
      status.dataset.kind = 'success';
    } catch (error) {
      status.textContent = ctx.describeError(error);
      status.dataset.kind = 'error';
    }
  }

  importInput.addEventListener('change', () => {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    // The engine parses the FunASR lines (and reports a bad line by number); saving is one step.
    void file.text().then((text) => save({ text }));
  });

  const el = h(
    'section',
    { class: 'page', 'aria-labelledby': 'hotwords-title' },
    h('h1', { id: 'hotwords-title' }, tr(ctx, 'hotwords.title')),
    h('p', { class: 'muted' }, tr(ctx, 'hotwords.intro')),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'primary', id: 'hotwords-save', onclick: () => void save(collect()) }, tr(ctx, 'common.save')),
      importInput,
      h('button', { type: 'button', id: 'hotwords-import-button', onclick: () => importInput.click() }, tr(ctx, 'hotwords.import')),
      h(
        'button',
        {
          type: 'button',
          id: 'hotwords-export',
          onclick: async () => {
            try {
              download('hotwords.txt', await (await api.request('/api/hotwords/export')).blob());
            } catch (error) {
              ctx.notify(ctx.describeError(error), 'error');
            }
          },
        },
        tr(ctx, 'hotwords.export'),
      ),
    ),
    status,
    h(
      'div',
      { class: 'columns' },
      h(
        'div',
        {},
        h('table', {}, h('caption', {}, tr(ctx, 'hotwords.phrases')), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr(ctx, 'hotwords.phrase')), h('th', { scope: 'col' }, tr(ctx, 'hotwords.weight')), h('th', {}))), phraseBody),
        h('div', { class: 'row' }, h('button', { type: 'button', id: 'hotwords-add', onclick: () => phraseBody.append(phraseRow()) }, '+ ', tr(ctx, 'hotwords.add'))),
      ),
      h(
        'div',
        {},
        h('table', {}, h('caption', {}, tr(ctx, 'hotwords.replacements')), h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr(ctx, 'hotwords.from')), h('th', { scope: 'col' }, tr(ctx, 'hotwords.to')), h('th', {}))), replacementBody),
        h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => replacementBody.append(replacementRow()) }, '+ ', tr(ctx, 'hotwords.addReplacement'))),
      ),
    ),
  );
  return { el, onShow: () => void load() };
}
