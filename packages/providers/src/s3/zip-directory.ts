/**
 * Writes the files of a directory as one zip archive (deflate, UTF-8 names, Unix modes), with
 * `node:zlib` only — enough for Deploy S3's `Extract: "false"`. No zip64: archives are limited
 * to 65,535 files and 4 GiB, and larger inputs are refused with a clear error.
 *
 * @example
 * ```ts
 * const zip = await zipDirectory(join(workspace, 'dist'));
 * await writeFile('site.zip', zip);
 * ```
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { configurationError } from '../outcome.ts';

/** The DOS date of 1980-01-01 00:00: fixed so the same files give the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Zips every regular file below `dir` (paths relative to it, sorted).
 *
 * @example
 * ```ts
 * (await zipDirectory(dir)).subarray(0, 4).toString('hex'); // '504b0304'
 * ```
 */
export async function zipDirectory(dir: string): Promise<Buffer> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
  if (entries.length > 0xffff)
    configurationError('the artifact has more than 65,535 files; zip it in a build step');
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const path of entries) {
    const file = join(dir, path);
    const data = await readFile(file);
    const mode = (await stat(file)).mode & 0o777;
    const compressed = deflateRawSync(data);
    const name = Buffer.from(path.split('\\').join('/'), 'utf8');
    const crc = crc32(data);
    if (offset + compressed.length > 0xffffffff)
      configurationError('the artifact is larger than 4 GiB; zip it in a build step');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38); // external attributes: regular file + mode
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
