/**
 * Reads what Tingxie needs from an ONNX file without loading it: the custom metadata map
 * (ModelProto.metadata_props) and the graph's input/output names, element types and shapes.
 *
 * onnxruntime-node 1.30 does not expose custom metadata to JavaScript, so this is a small protobuf
 * scanner. It walks the top-level ModelProto fields and the GraphProto fields through a file handle,
 * reading only field headers and the small messages it needs; large fields (initializers, nodes) are
 * skipped by their length, so a 900 MB model costs a few reads, not 900 MB of memory.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { ErrorCodes, TingxieError } from '../errors.ts';

export interface OnnxValueSummary {
  name: string;
  /** 'float32', 'int32', 'int64', ... ('unknown(N)' for types Tingxie does not name). */
  elemType: string;
  /** Fixed sizes as numbers, symbolic (dynamic) axes as their names, unknown axes as null. */
  shape: Array<number | string | null>;
}

export interface OnnxModelInfo {
  file: string;
  irVersion: number | null;
  producerName: string | null;
  /** Custom metadata, key → value, in file order (a repeated key keeps its last value). */
  metadata: Map<string, string>;
  inputs: OnnxValueSummary[];
  outputs: OnnxValueSummary[];
}

const ELEM_TYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** Protobuf wire types. */
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

// ModelProto / GraphProto field numbers (onnx.proto).
const MODEL_IR_VERSION = 1;
const MODEL_PRODUCER_NAME = 2;
const MODEL_GRAPH = 7;
const MODEL_METADATA_PROPS = 14;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;

/** Thrown inside the scanner; turned into MODEL_INVALID naming the file. */
class MalformedOnnx extends Error {}

/** Sequential reader over a byte range of an open file, with a read-ahead window. */
class FileCursor {
  readonly #handle: FileHandle;
  #windowStart = 0;
  #window = new Uint8Array(0);
  position: number;
  readonly end: number;

  constructor(handle: FileHandle, start: number, end: number) {
    this.#handle = handle;
    this.position = start;
    this.end = end;
  }

  /** Makes sure `count` bytes at the current position are in the window (fewer only at end of range). */
  async #fill(count: number): Promise<void> {
    const offset = this.position - this.#windowStart;
    if (offset >= 0 && offset + count <= this.#window.length) return;
    const size = Math.min(Math.max(count, 64 * 1024), this.end - this.position);
    const buffer = new Uint8Array(size);
    const { bytesRead } = await this.#handle.read(buffer, 0, size, this.position);
    this.#windowStart = this.position;
    this.#window = buffer.subarray(0, bytesRead);
  }

  async readVarint(): Promise<number> {
    await this.#fill(10);
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      const index = this.position - this.#windowStart;
      if (index >= this.#window.length || this.position >= this.end) throw new MalformedOnnx('truncated varint');
      const byte = this.#window[index];
      this.position++;
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
    }
    throw new MalformedOnnx('varint longer than 10 bytes');
  }

  async readBytes(length: number): Promise<Uint8Array> {
    if (this.position + length > this.end) throw new MalformedOnnx('field runs past the end of its message');
    await this.#fill(length);
    const index = this.position - this.#windowStart;
    if (index + length > this.#window.length) throw new MalformedOnnx('file is truncated');
    this.position += length;
    return this.#window.slice(index, index + length);
  }

  skip(length: number): void {
    if (this.position + length > this.end) throw new MalformedOnnx('field runs past the end of its message');
    this.position += length;
  }

  /** Skips the value of a field with the given wire type (the tag has been read). */
  async skipValue(wireType: number): Promise<void> {
    switch (wireType) {
      case WIRE_VARINT:
        await this.readVarint();
        return;
      case WIRE_FIXED64:
        this.skip(8);
        return;
      case WIRE_LEN:
        this.skip(await this.readVarint());
        return;
      case WIRE_FIXED32:
        this.skip(4);
        return;
      default:
        throw new MalformedOnnx(`unsupported protobuf wire type ${wireType}`);
    }
  }
}

/** Iterates over the fields of an in-memory protobuf message. */
function* memoryFields(bytes: Uint8Array): Generator<{ field: number; wireType: number; value: number | Uint8Array }> {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= bytes.length) throw new MalformedOnnx('truncated varint');
      const byte = bytes[pos++];
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
    }
    throw new MalformedOnnx('varint longer than 10 bytes');
  };
  while (pos < bytes.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (wireType === WIRE_VARINT) {
      yield { field, wireType, value: varint() };
    } else if (wireType === WIRE_LEN) {
      const length = varint();
      if (pos + length > bytes.length) throw new MalformedOnnx('field runs past the end of its message');
      yield { field, wireType, value: bytes.subarray(pos, pos + length) };
      pos += length;
    } else if (wireType === WIRE_FIXED64) {
      pos += 8;
    } else if (wireType === WIRE_FIXED32) {
      pos += 4;
    } else {
      throw new MalformedOnnx(`unsupported protobuf wire type ${wireType}`);
    }
    if (pos > bytes.length) throw new MalformedOnnx('field runs past the end of its message');
  }
}

const utf8 = new TextDecoder('utf-8');

function decodeStringEntry(bytes: Uint8Array): [string, string] {
  let key = '';
  let value = '';
  for (const f of memoryFields(bytes)) {
    if (f.field === 1 && f.value instanceof Uint8Array) key = utf8.decode(f.value);
    else if (f.field === 2 && f.value instanceof Uint8Array) value = utf8.decode(f.value);
  }
  return [key, value];
}

/** ValueInfoProto{1 name, 2 TypeProto{1 Tensor{1 elem_type, 2 TensorShapeProto{1 Dimension{1 dim_value, 2 dim_param}}}}}. */
function decodeValueInfo(bytes: Uint8Array): OnnxValueSummary {
  const summary: OnnxValueSummary = { name: '', elemType: 'unknown', shape: [] };
  for (const f of memoryFields(bytes)) {
    if (f.field === 1 && f.value instanceof Uint8Array) summary.name = utf8.decode(f.value);
    if (f.field !== 2 || !(f.value instanceof Uint8Array)) continue;
    for (const typeField of memoryFields(f.value)) {
      if (typeField.field !== 1 || !(typeField.value instanceof Uint8Array)) continue;
      for (const tensorField of memoryFields(typeField.value)) {
        if (tensorField.field === 1 && typeof tensorField.value === 'number') {
          summary.elemType = ELEM_TYPE_NAMES[tensorField.value] ?? `unknown(${tensorField.value})`;
        } else if (tensorField.field === 2 && tensorField.value instanceof Uint8Array) {
          for (const dimField of memoryFields(tensorField.value)) {
            if (dimField.field !== 1 || !(dimField.value instanceof Uint8Array)) continue;
            let dim: number | string | null = null;
            for (const d of memoryFields(dimField.value)) {
              if (d.field === 1 && typeof d.value === 'number') dim = d.value;
              else if (d.field === 2 && d.value instanceof Uint8Array) dim = utf8.decode(d.value);
            }
            summary.shape.push(dim);
          }
        }
      }
    }
  }
  return summary;
}

async function scanGraph(cursor: FileCursor, info: OnnxModelInfo): Promise<void> {
  while (cursor.position < cursor.end) {
    const tag = await cursor.readVarint();
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    if ((field === GRAPH_INPUT || field === GRAPH_OUTPUT) && wireType === WIRE_LEN) {
      const value = decodeValueInfo(await cursor.readBytes(await cursor.readVarint()));
      (field === GRAPH_INPUT ? info.inputs : info.outputs).push(value);
    } else {
      await cursor.skipValue(wireType);
    }
  }
}

/**
 * Reads an ONNX file's custom metadata and graph inputs/outputs.
 * @throws TingxieError MODEL_NOT_FOUND when the file does not exist, MODEL_INVALID when it is not a readable ONNX model.
 */
export async function readOnnxModelInfo(file: string): Promise<OnnxModelInfo> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `model file not found: ${file}`, { file });
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `cannot open model file ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  const info: OnnxModelInfo = { file, irVersion: null, producerName: null, metadata: new Map(), inputs: [], outputs: [] };
  try {
    const { size } = await handle.stat();
    if (size === 0) throw new MalformedOnnx('the file is empty');
    const cursor = new FileCursor(handle, 0, size);
    let sawGraph = false;
    while (cursor.position < cursor.end) {
      const tag = await cursor.readVarint();
      const field = Math.floor(tag / 8);
      const wireType = tag & 7;
      if (field === 0) throw new MalformedOnnx('field number 0');
      if (field === MODEL_IR_VERSION && wireType === WIRE_VARINT) {
        info.irVersion = await cursor.readVarint();
      } else if (field === MODEL_PRODUCER_NAME && wireType === WIRE_LEN) {
        info.producerName = utf8.decode(await cursor.readBytes(await cursor.readVarint()));
      } else if (field === MODEL_METADATA_PROPS && wireType === WIRE_LEN) {
        const [key, value] = decodeStringEntry(await cursor.readBytes(await cursor.readVarint()));
        info.metadata.set(key, value);
      } else if (field === MODEL_GRAPH && wireType === WIRE_LEN) {
        const length = await cursor.readVarint();
        const graphEnd = cursor.position + length;
        if (graphEnd > cursor.end) throw new MalformedOnnx('the graph runs past the end of the file (truncated?)');
        await scanGraph(new FileCursor(handle, cursor.position, graphEnd), info);
        cursor.position = graphEnd;
        sawGraph = true;
      } else {
        await cursor.skipValue(wireType);
      }
    }
    if (!sawGraph || info.irVersion === null) throw new MalformedOnnx('no ONNX graph found');
    return info;
  } catch (error) {
    if (error instanceof MalformedOnnx) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file} is not a valid ONNX model: ${error.message}`, { file }, { cause: error });
    }
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `cannot read model file ${file}: ${(error as Error).message}`, { file }, { cause: error });
  } finally {
    await handle.close();
  }
}
