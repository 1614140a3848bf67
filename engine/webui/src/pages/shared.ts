/** Controls several pages share: the drop zone and the language picker. */
import { type AppContext, LANGUAGES, tr } from '../context.ts';
import { h } from '../dom.ts';

/** A drop target that is also a keyboard-reachable file picker. */
export function dropZone(ctx: AppContext, opts: { id: string; multiple: boolean; accept: string }, onFiles: (files: File[]) => void): HTMLElement {
  const input = h('input', { type: 'file', id: opts.id, class: 'visually-hidden', accept: opts.accept, multiple: opts.multiple });
  input.addEventListener('change', () => {
    onFiles([...(input.files ?? [])]);
    input.value = '';
  });
  const zone = h(
    'label',
    { class: 'drop', for: opts.id },
    input,
    h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⤓'),
    h('strong', {}, tr(ctx, opts.multiple ? 'drop.many' : 'drop.one')),
    h('span', { class: 'muted' }, tr(ctx, 'drop.hint')),
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) onFiles(opts.multiple ? files : files.slice(0, 1));
  });
  return zone;
}

export function languageSelect(ctx: AppContext, id: string): HTMLSelectElement {
  return h(
    'select',
    { id },
    LANGUAGES.map((code) => {
      const option = h('option', { value: code, 'data-i18n': `lang.${code}` }, ctx.i18n.t(`lang.${code}`));
      return option;
    }),
  );
}
