/**
 * A minimal hand-written stand-in for the `obsidian` module, covering only what the Tingxie plugin uses: an
 * in-memory vault, link resolution, a workspace with one active note/editor, commands, menus, notices, the
 * settings UI as no-op builders, and `requestUrl` on Node's fetch. Tests bundle the plugin with `obsidian`
 * pointing here.
 */

export interface EventRef {
  name: string;
  callback: (...args: never[]) => unknown;
}

export class TAbstractFile {
  parent: TFolder | null = null;
  constructor(
    public path: string,
    public name: string,
  ) {}
}

export class TFolder extends TAbstractFile {}

export class TFile extends TAbstractFile {
  basename: string;
  extension: string;
  constructor(path: string) {
    const name = path.split('/').pop()!;
    super(path, name);
    const dot = name.lastIndexOf('.');
    this.basename = dot > 0 ? name.slice(0, dot) : name;
    this.extension = dot > 0 ? name.slice(dot + 1) : '';
  }
}

export function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+/g, '/').replace(/^\/|\/$/g, '') || '/';
}

/** In-memory vault: notes as strings, attachments as bytes. */
export class Vault {
  private readonly contents = new Map<string, string | Uint8Array>();
  private readonly files = new Map<string, TFile>();
  private readonly folders = new Map<string, TFolder>([['/', new TFolder('/', '')]]);

  private folder(path: string): TFolder {
    if (path === '' || path === '/') return this.folders.get('/')!;
    let folder = this.folders.get(path);
    if (!folder) {
      folder = new TFolder(path, path.split('/').pop()!);
      folder.parent = this.folder(path.split('/').slice(0, -1).join('/'));
      this.folders.set(path, folder);
    }
    return folder;
  }

  private put(path: string, data: string | Uint8Array): TFile {
    const normalized = normalizePath(path);
    let file = this.files.get(normalized);
    if (!file) {
      file = new TFile(normalized);
      file.parent = this.folder(normalized.split('/').slice(0, -1).join('/'));
      this.files.set(normalized, file);
    }
    this.contents.set(normalized, data);
    return file;
  }

  /** Test setup: adds or replaces a file. */
  addFile(path: string, data: string | Uint8Array): TFile {
    return this.put(path, data);
  }

  getFiles(): TFile[] {
    return [...this.files.values()];
  }

  getAbstractFileByPath(path: string): TAbstractFile | null {
    const normalized = normalizePath(path);
    return this.files.get(normalized) ?? this.folders.get(normalized) ?? null;
  }

  async read(file: TFile): Promise<string> {
    const data = this.contents.get(file.path);
    if (typeof data !== 'string') throw new Error(`not a text file: ${file.path}`);
    return data;
  }

  async cachedRead(file: TFile): Promise<string> {
    return this.read(file);
  }

  async readBinary(file: TFile): Promise<ArrayBuffer> {
    const data = this.contents.get(file.path);
    if (data === undefined) throw new Error(`ENOENT: ${file.path}`);
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async modify(file: TFile, data: string): Promise<void> {
    if (!this.files.has(file.path)) throw new Error(`ENOENT: ${file.path}`);
    this.contents.set(file.path, data);
  }

  async process(file: TFile, fn: (data: string) => string): Promise<string> {
    const next = fn(await this.read(file));
    this.contents.set(file.path, next);
    return next;
  }

  async create(path: string, data: string): Promise<TFile> {
    if (this.getAbstractFileByPath(path)) throw new Error(`File already exists: ${path}`);
    return this.put(path, data);
  }

  /** Test helper: the text of a note. */
  text(path: string): string {
    const data = this.contents.get(normalizePath(path));
    if (typeof data !== 'string') throw new Error(`no note at ${path}`);
    return data;
  }
}

/** Link resolution the way Obsidian does it: exact path, then relative to the note, then by name (nearest, shortest). */
export class MetadataCache {
  constructor(private readonly vault: Vault) {}

  getFirstLinkpathDest(linkpath: string, sourcePath: string): TFile | null {
    const path = linkpath.split('#')[0]!.trim();
    const sourceFolder = sourcePath.split('/').slice(0, -1).join('/');
    const candidates = [normalizePath(path), `${path}.md`, normalizePath(sourceFolder === '' ? path : `${sourceFolder}/${path}`)];
    for (const candidate of candidates) {
      const file = this.vault.getAbstractFileByPath(candidate);
      if (file instanceof TFile) return file;
    }
    const matches = this.vault.getFiles().filter((f) => f.path === path || f.path.endsWith(`/${path}`));
    matches.sort((a, b) => Number(b.parent?.path === sourceFolder) - Number(a.parent?.path === sourceFolder) || a.path.length - b.path.length);
    return matches[0] ?? null;
  }
}

export interface EditorPosition {
  line: number;
  ch: number;
}

/** An editor over one note in the vault (its text is the file's text). */
export class Editor {
  cursor: EditorPosition = { line: 0, ch: 0 };
  constructor(
    private readonly vault: Vault,
    private readonly file: TFile,
  ) {}

  getValue(): string {
    return this.vault.text(this.file.path);
  }
  setValue(text: string): void {
    void this.vault.modify(this.file, text);
  }
  getLine(line: number): string {
    return this.getValue().split('\n')[line] ?? '';
  }
  getCursor(): EditorPosition {
    return { ...this.cursor };
  }
  setCursor(pos: EditorPosition): void {
    this.cursor = { ...pos };
  }
  /** Inserts at the cursor (no selection in this mock) and moves the cursor past the text. */
  replaceSelection(text: string): void {
    const lines = this.getValue().split('\n');
    const line = lines[this.cursor.line] ?? '';
    const inserted = (line.slice(0, this.cursor.ch) + text + line.slice(this.cursor.ch)).split('\n');
    lines.splice(this.cursor.line, 1, ...inserted);
    this.setValue(lines.join('\n'));
    const last = text.split('\n');
    this.cursor = last.length === 1 ? { line: this.cursor.line, ch: this.cursor.ch + text.length } : { line: this.cursor.line + last.length - 1, ch: last[last.length - 1]!.length };
  }
}

export class MarkdownView {
  constructor(
    public file: TFile,
    public editor: Editor,
  ) {}
}

export class Workspace {
  activeFile: TFile | null = null;
  activeView: MarkdownView | null = null;
  private readonly handlers: EventRef[] = [];

  constructor(private readonly vault: Vault) {}

  /** Test helper: opens `file` as the active file (with an editor for notes). */
  open(file: TFile): MarkdownView | null {
    this.activeFile = file;
    this.activeView = file.extension === 'md' ? new MarkdownView(file, new Editor(this.vault, file)) : null;
    return this.activeView;
  }

  getActiveFile(): TFile | null {
    return this.activeFile;
  }

  getActiveViewOfType<T>(type: abstract new (...args: never[]) => T): T | null {
    return this.activeView instanceof type ? (this.activeView as T) : null;
  }

  on(name: string, callback: (...args: never[]) => unknown): EventRef {
    const ref = { name, callback };
    this.handlers.push(ref);
    return ref;
  }

  offref(ref: EventRef): void {
    const index = this.handlers.indexOf(ref);
    if (index >= 0) this.handlers.splice(index, 1);
  }

  trigger(name: string, ...args: unknown[]): void {
    for (const ref of this.handlers.filter((h) => h.name === name)) (ref.callback as (...a: unknown[]) => unknown)(...args);
  }

  listenerCount(name: string): number {
    return this.handlers.filter((h) => h.name === name).length;
  }
}

export class App {
  vault = new Vault();
  metadataCache = new MetadataCache(this.vault);
  workspace = new Workspace(this.vault);
}

export class MenuItem {
  title = '';
  icon = '';
  handler: (() => unknown) | null = null;
  setTitle(title: string): this {
    this.title = title;
    return this;
  }
  setIcon(icon: string): this {
    this.icon = icon;
    return this;
  }
  onClick(handler: () => unknown): this {
    this.handler = handler;
    return this;
  }
}

export class Menu {
  items: MenuItem[] = [];
  addItem(build: (item: MenuItem) => unknown): this {
    const item = new MenuItem();
    build(item);
    this.items.push(item);
    return this;
  }
}

/** Notices shown, newest last (a test resets it in beforeEach). */
export class Notice {
  static shown: string[] = [];
  constructor(message: string, _timeoutMs?: number) {
    if (message !== '') Notice.shown.push(message);
  }
  setMessage(message: string): this {
    Notice.shown.push(message);
    return this;
  }
  hide(): void {}
}

export interface Command {
  id: string;
  name: string;
  callback?: () => unknown;
  checkCallback?: (checking: boolean) => boolean | void;
  editorCallback?: (editor: Editor, view: MarkdownView) => unknown;
  editorCheckCallback?: (checking: boolean, editor: Editor, view: MarkdownView) => boolean | void;
}

export interface PluginManifest {
  id: string;
  name: string;
  version: string;
}

export class Component {
  private readonly cleanups: (() => void)[] = [];
  register(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }
  /** Test helper: what Obsidian does on unload. */
  runCleanups(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }
}

/** A status-bar element: its text and classes. */
export class StatusBarItem {
  text = '';
  classes = new Set<string>();
  setText(text: string): void {
    this.text = text;
  }
  toggleClass(name: string, on: boolean): void {
    if (on) this.classes.add(name);
    else this.classes.delete(name);
  }
}

export class Plugin extends Component {
  commands: Command[] = [];
  settingTabs: PluginSettingTab[] = [];
  statusBarItems: StatusBarItem[] = [];
  events: EventRef[] = [];
  savedData: unknown = null;
  settings?: unknown;

  constructor(
    public app: App,
    public manifest: PluginManifest,
  ) {
    super();
  }

  async onload(): Promise<void> {}
  onunload(): void {}

  addCommand(command: Command): Command {
    this.commands.push(command);
    return command;
  }

  registerEvent(ref: EventRef): void {
    this.events.push(ref);
    this.register(() => this.app.workspace.offref(ref));
  }

  addSettingTab(tab: PluginSettingTab): void {
    this.settingTabs.push(tab);
  }

  addStatusBarItem(): StatusBarItem {
    const item = new StatusBarItem();
    this.statusBarItems.push(item);
    return item;
  }

  async loadData(): Promise<unknown> {
    return this.savedData;
  }

  async saveData(data: unknown): Promise<void> {
    this.savedData = structuredClone(data);
  }
}

/** A container element: only what settings tabs call. */
export class ElementStub {
  children: unknown[] = [];
  empty(): void {
    this.children = [];
  }
}

export abstract class PluginSettingTab {
  containerEl = new ElementStub();
  constructor(
    public app: App,
    public plugin: Plugin,
  ) {}
  abstract display(): void;
}

type Changer<T> = (value: T) => unknown;

export class ValueComponent<T> {
  value: T;
  changed: Changer<T> | null = null;
  constructor(initial: T) {
    this.value = initial;
  }
  setValue(value: T): this {
    this.value = value;
    return this;
  }
  getValue(): T {
    return this.value;
  }
  setPlaceholder(_text: string): this {
    return this;
  }
  onChange(handler: Changer<T>): this {
    this.changed = handler;
    return this;
  }
  /** Test helper: what typing / toggling does. */
  async change(value: T): Promise<void> {
    this.value = value;
    await this.changed?.(value);
  }
}

export class DropdownComponent extends ValueComponent<string> {
  options: Record<string, string> = {};
  addOption(value: string, display: string): this {
    this.options[value] = display;
    return this;
  }
}

export class ButtonComponent {
  text = '';
  clicked: (() => unknown) | null = null;
  setButtonText(text: string): this {
    this.text = text;
    return this;
  }
  onClick(handler: () => unknown): this {
    this.clicked = handler;
    return this;
  }
}

export class Setting {
  name = '';
  heading = false;
  components: (ValueComponent<string> | ValueComponent<boolean> | ButtonComponent)[] = [];
  constructor(container: ElementStub) {
    container.children.push(this);
  }
  setName(name: string): this {
    this.name = name;
    return this;
  }
  setDesc(_desc: string): this {
    return this;
  }
  setHeading(): this {
    this.heading = true;
    return this;
  }
  addText(build: (text: ValueComponent<string>) => unknown): this {
    const component = new ValueComponent('');
    build(component);
    this.components.push(component);
    return this;
  }
  addTextArea(build: (text: ValueComponent<string>) => unknown): this {
    return this.addText(build);
  }
  addToggle(build: (toggle: ValueComponent<boolean>) => unknown): this {
    const component = new ValueComponent(false);
    build(component);
    this.components.push(component);
    return this;
  }
  addDropdown(build: (dropdown: DropdownComponent) => unknown): this {
    const component = new DropdownComponent('');
    build(component);
    this.components.push(component);
    return this;
  }
  addButton(build: (button: ButtonComponent) => unknown): this {
    const component = new ButtonComponent();
    build(component);
    this.components.push(component);
    return this;
  }
}

export interface RequestUrlParam {
  url: string;
  method?: string;
  contentType?: string;
  body?: string | ArrayBuffer;
  headers?: Record<string, string>;
  throw?: boolean;
}

export interface RequestUrlResponse {
  status: number;
  headers: Record<string, string>;
  arrayBuffer: ArrayBuffer;
  text: string;
  json: unknown;
}

/** Obsidian's requestUrl on Node's fetch: throws on network errors, and on status ≥ 400 unless `throw: false`. */
export async function requestUrl(request: RequestUrlParam | string): Promise<RequestUrlResponse> {
  const params = typeof request === 'string' ? { url: request } : request;
  const headers: Record<string, string> = { ...params.headers };
  if (params.contentType) headers['content-type'] = params.contentType;
  const response = await fetch(params.url, { method: params.method ?? 'GET', headers, ...(params.body !== undefined ? { body: params.body } : {}) });
  const arrayBuffer = await response.arrayBuffer();
  const text = new TextDecoder().decode(arrayBuffer);
  if (response.status >= 400 && params.throw !== false) throw new Error(`Request failed, status ${response.status}`);
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => (responseHeaders[name] = value));
  return {
    status: response.status,
    headers: responseHeaders,
    arrayBuffer,
    text,
    get json(): unknown {
      return JSON.parse(text) as unknown;
    },
  };
}
