/** Transcribe one file: drop or pick it, choose language / ITN / hotwords, see ITN and raw text side by side. */
import { type AppContext, type Page, tr } from '../context.ts';
import { clear, clock, download, formatBytes, h } from '../dom.ts';
import { baseName, toSrt, toTxt, toVtt, type Transcription } from '../formats.ts';
import { dropZone, languageSelect } from './shared.ts';

export function transcribePage(ctx: AppContext): Page {
  const { i18n } = ctx;
  let file: File | null = null;
  let busy = false;

  const fileInfo = h('p', { class: 'file-info', id: 'transcribe-file-info', 'aria-live': 'polite' });
  const zone = dropZone(ctx, { id: 'transcribe-file', multiple: false, accept: 'audio/*,video/*' }, (files) => {
    file = files[0] ?? null;
    fileInfo.textContent = file ? `${file.name} · ${formatBytes(file.size)}` : '';
    startButton.disabled = file === null;
  });
  const language = languageSelect(ctx, 'transcribe-language');
  const itn = h('input', { type: 'checkbox', id: 'transcribe-itn', checked: true });
  const hotwords = h('textarea', { id: 'transcribe-hotwords', rows: 2, 'data-i18n-placeholder': 'transcribe.hotwordsPlaceholder', placeholder: i18n.t('transcribe.hotwordsPlaceholder') });
  const startButton = h('button', { type: 'submit', class: 'primary', id: 'transcribe-start', disabled: true }, tr(ctx, 'transcribe.start'), h('kbd', {}, 'Ctrl+Enter'));
  const status = h('p', { class: 'status', role: 'status', id: 'transcribe-status' });
  const result = h('section', { class: 'result', id: 'transcribe-result', hidden: true, 'aria-labelledby': 'transcribe-result-title' });

  async function run(): Promise<void> {
    if (!file || busy) return;
    busy = true;
    startButton.disabled = true;
    status.textContent = i18n.t('transcribe.working');
    status.dataset.kind = 'info';
    result.hidden = true;
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('response_format', 'verbose_json');
    form.append('language', language.value);
    form.append('itn', itn.checked ? 'true' : 'false');
    if (hotwords.value.trim()) form.append('hotwords', hotwords.value.trim());
    const started = performance.now();
    try {
      const response = await ctx.api.request('/v1/audio/transcriptions', { method: 'POST', body: form });
      const body = (await response.json()) as Transcription;
      const seconds = (performance.now() - started) / 1000;
      status.textContent = i18n.t('transcribe.done', { seconds: seconds.toFixed(1), duration: clock(body.duration) });
      status.dataset.kind = 'success';
      showResult(body, file.name);
    } catch (error) {
      status.textContent = ctx.describeError(error);
      status.dataset.kind = 'error';
    } finally {
      busy = false;
      startButton.disabled = file === null;
    }
  }

  function showResult(body: Transcription, fileName: string): void {
    clear(result);
    const copy = (text: string): HTMLButtonElement =>
      h('button', {
        type: 'button',
        onclick: () => {
          void navigator.clipboard.writeText(text).then(
            () => ctx.notify(i18n.t('common.copied'), 'success'),
            () => ctx.notify(i18n.t('common.copyFailed'), 'error'),
          );
        },
      }, tr(ctx, 'common.copy'));
    const name = baseName(fileName);
    const downloads = h(
      'div',
      { class: 'row', role: 'group', 'aria-label': i18n.t('common.download') },
      tr(ctx, 'common.download'),
      h('button', { type: 'button', onclick: () => download(`${name}.txt`, toTxt(body, true)) }, 'TXT'),
      h('button', { type: 'button', onclick: () => download(`${name}.srt`, toSrt(body, true), 'application/x-subrip;charset=utf-8') }, 'SRT'),
      h('button', { type: 'button', onclick: () => download(`${name}.vtt`, toVtt(body, true), 'text/vtt;charset=utf-8') }, 'VTT'),
      h('button', { type: 'button', onclick: () => download(`${name}.json`, `${JSON.stringify(body, null, 2)}\n`, 'application/json') }, 'JSON'),
    );
    const rows = body.segments.map((seg) =>
      h('tr', {}, h('td', { class: 'time' }, `${clock(seg.start)} – ${clock(seg.end)}`), h('td', {}, seg.text), h('td', { class: 'muted' }, seg.raw_text)),
    );
    result.append(
      h('h2', { id: 'transcribe-result-title' }, tr(ctx, 'transcribe.result'), h('small', {}, ` ${fileName} · ${body.language} · ${clock(body.duration)}`)),
      h(
        'div',
        { class: 'columns' },
        h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h3', {}, tr(ctx, 'transcribe.itnText')), copy(body.text)), h('p', { class: 'transcript', id: 'result-itn' }, body.text)),
        h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h3', {}, tr(ctx, 'transcribe.rawText')), copy(body.raw_text)), h('p', { class: 'transcript', id: 'result-raw' }, body.raw_text)),
      ),
      downloads,
      h(
        'table',
        { class: 'segments', id: 'result-segments' },
        h('caption', {}, tr(ctx, 'transcribe.segments')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr(ctx, 'transcribe.time')), h('th', { scope: 'col' }, tr(ctx, 'transcribe.itnText')), h('th', { scope: 'col' }, tr(ctx, 'transcribe.rawText')))),
        h('tbody', {}, rows),
      ),
    );
    result.hidden = false;
  }

  const form = h(
    'form',
    { class: 'panel', onsubmit: (event: Event) => (event.preventDefault(), void run()) },
    zone,
    fileInfo,
    h(
      'div',
      { class: 'options' },
      h('label', { for: 'transcribe-language' }, tr(ctx, 'common.language'), language),
      h('label', { class: 'check', for: 'transcribe-itn' }, itn, tr(ctx, 'common.itn')),
      h('label', { for: 'transcribe-hotwords', class: 'grow' }, tr(ctx, 'common.hotwords'), hotwords),
    ),
    h('div', { class: 'row' }, startButton),
  );
  const el = h('section', { class: 'page', 'aria-labelledby': 'transcribe-title' }, h('h1', { id: 'transcribe-title' }, tr(ctx, 'nav.transcribe')), form, status, result);
  el.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void run();
    }
  });
  return { el };
}
