/**
 * Typed readers for an ONNX model's custom metadata (sherpa-onnx exports keep their config there as strings).
 * Every problem is MODEL_INVALID with the message "<file>: metadata <field> <problem>" and detail { file, field }.
 */
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { OnnxModelInfo } from './onnx-metadata.ts';

export interface MetadataFields {
  /** The MODEL_INVALID error for a bad metadata field. */
  invalid(field: string, problem: string): TingxieError;
  /** A field's raw text; missing is an error. */
  required(field: string): string;
  /** An integer field; `fallback` when absent, else missing is an error. */
  integer(field: string, fallback?: number): number;
  /** An integer field that must be > 0. */
  positiveInteger(field: string): number;
  /** A comma-separated list of exactly `expected` finite numbers; `explain` says where `expected` comes from. */
  floats(field: string, expected: number, explain: string): Float32Array;
}

/** Readers over `info.metadata`; `exportName` ("Paraformer", "SenseVoice", …) goes into the missing-field hint. */
export function metadataFields(info: OnnxModelInfo, exportName: string): MetadataFields {
  const file = info.file;
  const invalid = (field: string, problem: string): TingxieError => new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: metadata ${field} ${problem}`, { file, field });
  const required = (field: string): string => {
    const raw = info.metadata.get(field);
    if (raw === undefined) throw invalid(field, `is missing (not a ${exportName} export for sherpa-onnx?)`);
    return raw;
  };
  const integer = (field: string, fallback?: number): number => {
    if (fallback !== undefined && !info.metadata.has(field)) return fallback;
    const raw = required(field);
    if (!/^\s*-?\d+\s*$/.test(raw)) throw invalid(field, `is not an integer: ${JSON.stringify(raw.slice(0, 40))}`);
    return Number(raw);
  };
  return {
    invalid,
    required,
    integer,
    positiveInteger(field) {
      const value = integer(field);
      if (value <= 0) throw invalid(field, `must be positive, got ${value}`);
      return value;
    },
    floats(field, expected, explain) {
      const parts = required(field).split(',').filter((p) => p.trim() !== '');
      const values = new Float32Array(parts.length);
      parts.forEach((p, i) => {
        const v = Number(p);
        if (!Number.isFinite(v)) throw invalid(field, `value ${i} is not a finite number: ${JSON.stringify(p.slice(0, 40))}`);
        values[i] = v;
      });
      if (values.length !== expected) throw invalid(field, `has ${values.length} values, expected ${expected} (${explain})`);
      return values;
    },
  };
}
