/** Tiny DOM helpers: element creation without a framework. */

type Child = Node | string | number | null | undefined | false;
export type Props = Record<string, string | number | boolean | EventListener | null | undefined>;

/**
 * Creates `<tag>` with attributes and children. `on*` props with a function become listeners; `true`
 * booleans become empty attributes; `false`/null/undefined are left out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'value' && (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) el.value = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Seconds → `m:ss.s` (or `h:mm:ss.s`). */
export function clock(seconds: number): string {
  const s = Math.max(0, seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(1).padStart(4, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Offers `data` to the user as a downloaded file. */
export function download(name: string, data: Blob | string, type = 'text/plain;charset=utf-8'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: name });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A labelled `<progress>`-like bar that also shows its percentage as text. */
export function progressBar(label: string): { el: HTMLElement; set: (fraction: number, state?: string) => void } {
  const bar = h('div', { class: 'bar-fill' });
  const text = h('span', { class: 'bar-text' }, '0%');
  const el = h('div', { class: 'bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0 }, bar, text);
  return {
    el,
    set: (fraction, state) => {
      const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
      bar.style.width = `${pct}%`;
      text.textContent = `${pct}%`;
      el.setAttribute('aria-valuenow', String(pct));
      if (state) el.dataset.state = state;
    },
  };
}
