/**
 * Artifacts as zip archives, the format CodePipeline and CodeBuild use on S3. Writing is
 * deterministic (entries sorted by path, a fixed 1980-01-01 timestamp, Unix modes, DEFLATE
 * level 6 with fflate), so the same files give the same bytes and the same sha256. Reading
 * accepts any plain zip (stored or deflated entries, zip64, data descriptors) and checks every
 * entry before anything is written: no path may leave the artifact (zip-slip), no symlink may
 * point outside it, and every entry must match its CRC-32.
 *
 * Everything happens in memory: fine for Lambda-sized artifacts, not for multi-gigabyte ones.
 *
 * @example
 * ```ts
 * const bytes = zipArtifact([{ path: 'dist/app.js', type: 'file', executable: false, data }]);
 * readArtifactZip(bytes, 's3://bucket/key.zip').map((e) => e.path); // ['dist/app.js']
 * ```
 */
import { crc32 } from 'node:zlib';
import { unsafeArtifactLink } from '@pipewright/engine';
import { inflateSync, type ZipOptions, zipSync } from 'fflate';
import { AwsAdapterError } from './errors.ts';

/** One entry of an artifact zip; directories only come from zips written by others. @example `{ path: 'bin/run', type: 'file', executable: true, data }` */
export type ArtifactZipEntry =
  | { path: string; type: 'file'; executable: boolean; data: Uint8Array }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'directory' };

/**
 * The timestamp of every entry Pipewright writes (the earliest a zip can hold), so equal files
 * give equal bytes. Built from local-time parts because zip stores local time.
 *
 * @example
 * ```ts
 * ZIP_ENTRY_TIME.getFullYear(); // 1980
 * ```
 */
export const ZIP_ENTRY_TIME = new Date(1980, 0, 1, 0, 0, 0);

const UNIX = 3;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** DEFLATE cannot expand more than about 1032:1; a larger declared size is a lie (or a bomb). */
const MAX_DEFLATE_RATIO = 1032;
const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/**
 * Zips artifact entries deterministically: sorted by path (byte order), fixed time, Unix modes
 * (`0644`, `0755`, symlinks `0777` holding their target). Directory entries are not written.
 *
 * @example
 * ```ts
 * const zip = zipArtifact([{ path: 'run.sh', type: 'file', executable: true, data: encoder.encode('echo hi\n') }]);
 * ```
 */
export function zipArtifact(entries: readonly ArtifactZipEntry[]): Uint8Array {
  const sorted = entries
    .filter((e) => e.type !== 'directory')
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: Record<string, [Uint8Array, ZipOptions]> = {};
  for (const entry of sorted) {
    // Names that are array indices ('0', '42') come first in any JS object; still deterministic.
    if (entry.type === 'symlink') {
      files[entry.path] = [
        encoder.encode(entry.target),
        { level: 0, os: UNIX, attrs: unixAttrs(S_IFLNK | 0o777), mtime: ZIP_ENTRY_TIME },
      ];
    } else if (entry.type === 'file') {
      const mode = S_IFREG | (entry.executable ? 0o755 : 0o644);
      files[entry.path] = [entry.data, { level: 6, os: UNIX, attrs: unixAttrs(mode), mtime: ZIP_ENTRY_TIME }];
    }
  }
  return zipSync(files);
}

/**
 * Reads and checks a zip: every entry's path is made safe or rejected, symlinks must stay inside
 * the artifact, sizes and CRC-32s must match. `source` (e.g. the S3 uri) names the zip in errors.
 * Throws `AwsAdapterError` `PW6204` for an unreadable zip and `PW6205` for an unsafe entry.
 *
 * @example
 * ```ts
 * for (const entry of readArtifactZip(bytes, uri)) if (entry.type === 'file') console.log(entry.path, entry.data.length);
 * ```
 */
export function readArtifactZip(bytes: Uint8Array, source: string): ArtifactZipEntry[] {
  const zip = new ZipBytes(bytes, source);
  const { count, cdOffset } = centralDirectory(zip);
  const entries: ArtifactZipEntry[] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    const header = centralHeader(zip, at, i);
    at = header.next;
    const unixMode = header.madeBy === UNIX ? header.external >>> 16 : 0;
    const isDirectory =
      header.rawName.endsWith('/') ||
      (unixMode & S_IFMT) === S_IFDIR ||
      (header.madeBy !== UNIX && (header.external & 0x10) !== 0);
    const path = safeEntryPath(header.rawName, source, isDirectory);
    if (path === undefined) continue;
    if (isDirectory) {
      entries.push({ path, type: 'directory' });
      continue;
    }
    const data = entryData(zip, header);
    if ((unixMode & S_IFMT) === S_IFLNK) {
      entries.push({ path, type: 'symlink', target: decoder.decode(data) });
    } else {
      entries.push({ path, type: 'file', executable: (unixMode & 0o111) !== 0, data });
    }
  }
  return checkEntries(entries, source);
}

/** A zip's bytes with bounds-checked little-endian reads; every failure is `PW6204`. */
class ZipBytes {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly #source: string;

  constructor(bytes: Uint8Array, source: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#source = source;
  }

  corrupt(why: string): never {
    throw new AwsAdapterError(
      'PW6204',
      `${this.#source} is not a readable zip archive (${why}); artifacts must be plain ZIP files (CodeBuild: packaging ZIP) — rebuild the artifact`,
    );
  }

  u16(at: number): number {
    return at + 2 <= this.bytes.length ? this.view.getUint16(at, true) : this.corrupt('truncated');
  }

  u32(at: number): number {
    return at + 4 <= this.bytes.length ? this.view.getUint32(at, true) : this.corrupt('truncated');
  }

  u64(at: number): number {
    const value = at + 8 <= this.bytes.length ? this.view.getBigUint64(at, true) : this.corrupt('truncated');
    return value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : this.corrupt('a zip64 size is too large');
  }
}

/** Where the central directory is and how many entries it lists (zip64 records included). */
function centralDirectory(zip: ZipBytes): { count: number; cdOffset: number } {
  const eocd =
    findEndOfCentralDirectory(zip.bytes, zip.view) ?? zip.corrupt('no end of central directory record');
  let count = zip.u16(eocd + 10);
  let cdSize = zip.u32(eocd + 12);
  let cdOffset = zip.u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || zip.u32(locator) !== 0x07064b50) zip.corrupt('zip64 sizes without a zip64 locator');
    const record = zip.u64(locator + 8);
    if (zip.u32(record) !== 0x06064b50) zip.corrupt('no zip64 end of central directory record');
    count = zip.u64(record + 32);
    cdSize = zip.u64(record + 40);
    cdOffset = zip.u64(record + 48);
  }
  if (cdOffset + cdSize > zip.bytes.length)
    zip.corrupt('the central directory lies beyond the end of the file');
  return { count, cdOffset };
}

/** One central directory entry's fields; `next` is where the following entry starts. */
interface CentralHeader {
  madeBy: number;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  external: number;
  localOffset: number;
  rawName: string;
  next: number;
}

function centralHeader(zip: ZipBytes, at: number, index: number): CentralHeader {
  if (zip.u32(at) !== 0x02014b50) zip.corrupt(`central directory entry ${index + 1} has a bad signature`);
  // Read in the order of the record, so a truncated one fails at the same field as always.
  const madeBy = zip.u16(at + 4) >> 8;
  const flags = zip.u16(at + 8);
  const method = zip.u16(at + 10);
  const crc = zip.u32(at + 16);
  const compressedSize = zip.u32(at + 20);
  const size = zip.u32(at + 24);
  const nameLength = zip.u16(at + 28);
  const extraLength = zip.u16(at + 30);
  const commentLength = zip.u16(at + 32);
  const external = zip.u32(at + 38);
  const localOffset = zip.u32(at + 42);
  const nameStart = at + 46;
  if (nameStart + nameLength + extraLength > zip.bytes.length)
    zip.corrupt('a central directory entry is truncated');
  const header: CentralHeader = {
    madeBy,
    flags,
    method,
    crc,
    compressedSize,
    size,
    external,
    localOffset,
    rawName: decoder.decode(zip.bytes.subarray(nameStart, nameStart + nameLength)),
    next: nameStart + nameLength + extraLength + commentLength,
  };
  readZip64Extra(zip, header, nameStart + nameLength, extraLength);
  return header;
}

/** zip64 extended information: the fields whose 32-bit value is 0xffffffff, in this order. */
function readZip64Extra(zip: ZipBytes, header: CentralHeader, extraStart: number, extraLength: number): void {
  for (let x = extraStart; x + 4 <= extraStart + extraLength; ) {
    const id = zip.u16(x);
    const length = zip.u16(x + 2);
    if (id === 0x0001) {
      let field = x + 4;
      if (header.size === 0xffffffff) {
        header.size = zip.u64(field);
        field += 8;
      }
      if (header.compressedSize === 0xffffffff) {
        header.compressedSize = zip.u64(field);
        field += 8;
      }
      if (header.localOffset === 0xffffffff) header.localOffset = zip.u64(field);
    }
    x += 4 + length;
  }
}

/** The entry's uncompressed bytes, checked against its size and CRC-32. */
function entryData(zip: ZipBytes, header: CentralHeader): Uint8Array {
  const { rawName, compressedSize, size, localOffset, method } = header;
  if ((header.flags & 0x1) !== 0) zip.corrupt(`${rawName} is encrypted`);
  if (zip.u32(localOffset) !== 0x04034b50) zip.corrupt(`the local header of ${rawName} is missing`);
  const dataStart = localOffset + 30 + zip.u16(localOffset + 26) + zip.u16(localOffset + 28);
  if (dataStart + compressedSize > zip.bytes.length) zip.corrupt(`the data of ${rawName} is truncated`);
  const stored = zip.bytes.subarray(dataStart, dataStart + compressedSize);
  let data: Uint8Array;
  if (method === 0) {
    data = stored;
  } else if (method === 8) {
    if (size > compressedSize * MAX_DEFLATE_RATIO + 1024) zip.corrupt(`${rawName} claims an impossible size`);
    try {
      data = inflateSync(stored, { out: new Uint8Array(size) });
    } catch {
      return zip.corrupt(`the data of ${rawName} does not inflate`);
    }
  } else {
    return zip.corrupt(
      `${rawName} uses compression method ${method}; only stored and deflated entries are read`,
    );
  }
  if (data.length !== size || crc32(data) !== header.crc)
    zip.corrupt(`${rawName} does not match its size and CRC-32`);
  return data;
}

function unixAttrs(mode: number): number {
  return (mode << 16) >>> 0;
}

/** The entry's path with `.` and empty segments dropped; `undefined` for the root directory itself. */
function safeEntryPath(name: string, source: string, isDirectory: boolean): string | undefined {
  const unsafe = (why: string): never => {
    throw new AwsAdapterError(
      'PW6205',
      `zip entry ${JSON.stringify(name)} of ${source} ${why}, so extracting it could write outside the target directory (zip-slip); the artifact was tampered with or made by a broken tool — rebuild it`,
    );
  };
  if (name.includes('\0')) unsafe('holds a NUL character');
  if (name.includes('\\')) unsafe('holds a backslash (zip paths use "/")');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) unsafe('is an absolute path');
  const segments = name.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) unsafe('climbs out with ".."');
  if (segments.length === 0) {
    if (isDirectory) return undefined;
    unsafe('has no file name');
  }
  return segments.join('/');
}

function checkEntries(entries: ArtifactZipEntry[], source: string): ArtifactZipEntry[] {
  const byPath = new Map<string, ArtifactZipEntry>();
  const kept: ArtifactZipEntry[] = [];
  for (const entry of entries) {
    const other = byPath.get(entry.path);
    if (other === undefined) {
      byPath.set(entry.path, entry);
      kept.push(entry);
    } else if (other.type !== 'directory' || entry.type !== 'directory') {
      throw new AwsAdapterError(
        'PW6204',
        `${source} holds ${entry.path} twice; a zip entry may appear once — rebuild the artifact`,
      );
    }
  }
  for (const entry of kept) {
    const segments = entry.path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const parent = byPath.get(segments.slice(0, i).join('/'));
      if (parent !== undefined && parent.type === 'file') {
        throw new AwsAdapterError(
          'PW6204',
          `${source} holds ${entry.path} below the file ${parent.path}; rebuild the artifact`,
        );
      }
    }
  }
  const unsafe = unsafeArtifactLink(kept);
  if (unsafe !== undefined) {
    throw new AwsAdapterError(
      'PW6205',
      `symlink ${unsafe.reason} in ${source}; extracting it could write or read outside the target directory — rebuild the artifact without such links`,
    );
  }
  return kept;
}

function findEndOfCentralDirectory(bytes: Uint8Array, view: DataView): number | undefined {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) === 0x06054b50 && at + 22 + view.getUint16(at + 20, true) <= bytes.length) {
      return at;
    }
  }
  return undefined;
}
