/** Transcription history: one row per finished transcription, searchable by raw and written text. */
import type Database from 'better-sqlite3';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import type { ModelDescription, TranscriptionResult, TranscriptSegment } from '../../pipeline/types.ts';
import type { VadStats } from '../../vad/segmenter.ts';

/** What produced a history entry, e.g. 'api' (HTTP transcription), 'job' (batch), 'stream'. */
export type HistorySource = string;

export interface HistoryInput {
  /** The uploaded file's display name (no server paths). */
  filename: string;
  result: TranscriptionResult;
  hotwords?: readonly string[] | null;
  source: HistorySource;
}

/** One entry as listed and exported: the fields of `GET /api/history/export`, plus `source`. */
export interface HistorySummary {
  id: number;
  created_at: string;
  filename: string;
  source: string;
  language: string | null;
  duration_s: number;
  raw_text: string;
  itn_text: string;
  hotwords: string[];
}

export interface HistoryEntry extends HistorySummary {
  segments: TranscriptSegment[];
  vad: VadStats | null;
  model: ModelDescription;
}

export interface HistorySearch {
  /** Words to find (all of them) in the raw or written text; empty = everything. */
  q?: string;
  limit?: number;
  offset?: number;
}

export interface HistoryPage {
  total: number;
  items: HistorySummary[];
}

export const MAX_HISTORY_PAGE = 500;
/** The trigram tokenizer indexes three characters at a time; shorter terms use LIKE. */
const TRIGRAM = 3;

interface HistoryRow {
  id: number;
  created_at: string;
  filename: string;
  source: string;
  language: string | null;
  duration_s: number;
  raw_text: string;
  itn_text: string;
  hotwords: string;
  segments?: string;
  vad?: string | null;
  model?: string;
}

const SUMMARY_COLUMNS = 'h.id, h.created_at, h.filename, h.source, h.language, h.duration_s, h.raw_text, h.itn_text, h.hotwords';

export class HistoryStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement;
  readonly #get: Database.Statement;
  readonly #delete: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO history
      (created_at, filename, source, language, duration_s, raw_text, itn_text, hotwords, segments, vad, model)
      VALUES (@created_at, @filename, @source, @language, @duration_s, @raw_text, @itn_text, @hotwords, @segments, @vad, @model)`);
    this.#get = db.prepare(`SELECT ${SUMMARY_COLUMNS}, h.segments, h.vad, h.model FROM history h WHERE h.id = ?`);
    this.#delete = db.prepare('DELETE FROM history WHERE id = ?');
  }

  /** Stores a finished transcription; returns its id. Joins the caller's transaction when there is one. */
  add(input: HistoryInput): number {
    const { result } = input;
    const info = this.#insert.run({
      created_at: new Date().toISOString(),
      filename: input.filename,
      source: input.source,
      language: result.language,
      duration_s: result.durationS,
      raw_text: result.rawText,
      itn_text: result.text,
      hotwords: JSON.stringify(input.hotwords ?? []),
      segments: JSON.stringify(result.segments),
      vad: result.vad ? JSON.stringify(result.vad) : null,
      model: JSON.stringify(result.model),
    });
    return Number(info.lastInsertRowid);
  }

  /** The entry, or null when there is none with this id. */
  find(id: number): HistoryEntry | null {
    const row = this.#get.get(id) as HistoryRow | undefined;
    if (!row) return null;
    return {
      ...toSummary(row),
      segments: JSON.parse(row.segments ?? '[]') as TranscriptSegment[],
      vad: row.vad ? (JSON.parse(row.vad) as VadStats) : null,
      model: JSON.parse(row.model ?? '{}') as ModelDescription,
    };
  }

  /** Like `find`, but HISTORY_NOT_FOUND when missing. */
  get(id: number): HistoryEntry {
    const entry = this.find(id);
    if (!entry) throw historyNotFound(id);
    return entry;
  }

  /** Deletes the entry; HISTORY_NOT_FOUND when missing. */
  delete(id: number): void {
    if (this.#delete.run(id).changes === 0) throw historyNotFound(id);
  }

  /** Newest first. Every whitespace-separated term must occur in the raw or the written text. */
  search(search: HistorySearch = {}): HistoryPage {
    const limit = Math.min(Math.max(Math.trunc(search.limit ?? 50), 0), MAX_HISTORY_PAGE);
    const offset = Math.max(Math.trunc(search.offset ?? 0), 0);
    const { where, params } = searchCondition(search.q ?? '');
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM history h ${where}`).get(params) as { n: number }).n;
    const rows = this.#db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM history h ${where} ORDER BY h.created_at DESC, h.id DESC LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit, offset }) as HistoryRow[];
    return { total, items: rows.map(toSummary) };
  }

  /** Every matching entry, newest first, for export. */
  *iterate(q = ''): Generator<HistorySummary> {
    const { where, params } = searchCondition(q);
    const statement = this.#db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM history h ${where} ORDER BY h.created_at DESC, h.id DESC`);
    for (const row of statement.iterate(params) as IterableIterator<HistoryRow>) yield toSummary(row);
  }
}

/** Rebuilds the TranscriptionResult a history entry was stored from (for SRT/VTT/TXT/JSON export). */
export function entryToResult(entry: HistoryEntry): TranscriptionResult {
  return {
    file: entry.filename,
    durationS: entry.duration_s,
    language: entry.language,
    text: entry.itn_text,
    rawText: entry.raw_text,
    segments: entry.segments,
    vad: entry.vad,
    model: entry.model,
  };
}

function historyNotFound(id: number): TingxieError {
  return new TingxieError(ErrorCodes.HISTORY_NOT_FOUND, `No history entry with id ${id}.`, { id });
}

function toSummary(row: HistoryRow): HistorySummary {
  return {
    id: row.id,
    created_at: row.created_at,
    filename: row.filename,
    source: row.source,
    language: row.language,
    duration_s: row.duration_s,
    raw_text: row.raw_text,
    itn_text: row.itn_text,
    hotwords: JSON.parse(row.hotwords) as string[],
  };
}

/**
 * The WHERE clause for a search: terms of three or more characters go through the trigram
 * FTS index as quoted phrases (substring match); shorter ones fall back to LIKE.
 */
function searchCondition(q: string): { where: string; params: Record<string, string> } {
  const terms = q.trim().split(/\s+/u).filter((term) => term.length > 0);
  if (terms.length === 0) return { where: '', params: {} };
  const params: Record<string, string> = {};
  const clauses: string[] = [];
  const phrases: string[] = [];
  terms.forEach((term, i) => {
    if ([...term].length >= TRIGRAM) {
      phrases.push(`"${term.replace(/"/g, '""')}"`);
    } else {
      params[`like${i}`] = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      clauses.push(`(h.raw_text LIKE @like${i} ESCAPE '\\' OR h.itn_text LIKE @like${i} ESCAPE '\\')`);
    }
  });
  if (phrases.length > 0) {
    params.match = phrases.join(' AND ');
    clauses.unshift('h.id IN (SELECT rowid FROM history_fts WHERE history_fts MATCH @match)');
  }
  return { where: `WHERE ${clauses.join(' AND ')}`, params };
}
