/**
 * The slices of Obsidian's API that the services use, as structural types. Services take these injected
 * (the real `app.vault`, `app.metadataCache`, `requestUrl` in the plugin; a mock in tests), so no service
 * imports `obsidian` at run time.
 */

/** A file in the vault (Obsidian's TFile has these fields). */
export interface VaultFile {
  /** Vault-relative path, e.g. `meetings/2025-03-12.m4a`. */
  path: string;
  /** File name with extension. */
  name: string;
  /** File name without extension. */
  basename: string;
  /** Extension without the dot, e.g. `m4a`. */
  extension: string;
  parent: { path: string } | null;
}

export interface VaultPort {
  readBinary(file: VaultFile): Promise<ArrayBuffer>;
  read(file: VaultFile): Promise<string>;
  /** Atomically rewrites a note from its current text (Obsidian ≥ 1.1). */
  process(file: VaultFile, fn: (data: string) => string): Promise<string>;
  create(path: string, data: string): Promise<VaultFile>;
  modify(file: VaultFile, data: string): Promise<void>;
  getAbstractFileByPath(path: string): unknown;
}

export interface MetadataCachePort {
  /** The file a link points to, resolved the way Obsidian does from `sourcePath`; null when none. */
  getFirstLinkpathDest(linkpath: string, sourcePath: string): VaultFile | null;
}

export interface RequestUrlParams {
  url: string;
  method?: string;
  contentType?: string;
  body?: string | ArrayBuffer;
  headers?: Record<string, string>;
  throw?: boolean;
}

export interface RequestUrlResult {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

/** Obsidian's `requestUrl` (no CORS in the renderer); in tests, Node's fetch behind the same shape. */
export type RequestUrlFn = (params: RequestUrlParams) => Promise<RequestUrlResult>;

/** A notice that can be updated and dismissed (Obsidian's Notice). */
export interface NoticeHandle {
  setMessage(message: string): void;
  hide(): void;
}

/** Shows a notice; `timeoutMs` 0 keeps it until hidden. */
export type Notify = (message: string, timeoutMs?: number) => NoticeHandle;

/** The cursor-side of Obsidian's Editor that the services write through. */
export interface EditorPort {
  replaceSelection(text: string): void;
  getCursor(): { line: number; ch: number };
  getLine(line: number): string;
}
