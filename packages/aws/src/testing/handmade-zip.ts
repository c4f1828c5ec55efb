/**
 * Test support (not exported from the package): a small zip writer independent of fflate, built
 * on `node:zlib`, that writes whatever it is told — `../` names, absolute paths, symlinks out,
 * data descriptors, zip64 extra fields, lying sizes — so tests can feed the reader zips that
 * Pipewright itself would never write.
 *
 * @example
 * ```ts
 * const zip = handmadeZip([{ name: '../evil.txt', data: 'pwned' }]);
 * ```
 */
import { crc32, deflateRawSync } from 'node:zlib';

/** One entry as it goes into the zip, unchecked. @example `{ name: '../evil', data: 'x', method: 0 }` */
export interface HandmadeEntry {
  /** The name exactly as stored (may be unsafe). */
  name: string;
  data?: string | Uint8Array;
  /** Unix mode with type bits (default `0o100644`; `0o120777` for a symlink, `0o040755` for a directory). */
  mode?: number;
  /** 0 stored, 8 deflated (default 8). */
  method?: number;
  /** Write sizes and CRC after the data (flag bit 3), zeros in the local header. */
  dataDescriptor?: boolean;
  /** Store sizes and offset in a zip64 extra field (0xffffffff in the 32-bit fields). */
  zip64?: boolean;
  /** Override the uncompressed size written in the central directory. */
  claimedSize?: number;
  /** Override the CRC-32 written in the central directory. */
  claimedCrc?: number;
}

/**
 * Writes the entries into a zip (made by "Unix", version 4.5).
 *
 * @example
 * ```ts
 * handmadeZip([{ name: 'link', data: '../../etc/passwd', mode: 0o120777 }]);
 * ```
 */
export function handmadeZip(entries: readonly HandmadeEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : Buffer.from(entry.data ?? []);
    const method = entry.method ?? 8;
    const stored = method === 8 ? deflateRawSync(data) : data;
    const crc = entry.claimedCrc ?? crc32(data);
    const size = entry.claimedSize ?? data.length;
    const flags = 0x0800 | (entry.dataDescriptor ? 0x0008 : 0);
    const zip64 = entry.zip64 === true;
    const extra = zip64 ? Buffer.alloc(4 + 24) : Buffer.alloc(0);
    if (zip64) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(stored.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(zip64 ? 45 : 20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
    if (!entry.dataDescriptor) {
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(stored.length, 18);
      local.writeUInt32LE(size, 22);
    }
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(entry.dataDescriptor ? 16 : 0);
    if (entry.dataDescriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc >>> 0, 4);
      descriptor.writeUInt32LE(stored.length, 8);
      descriptor.writeUInt32LE(size, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 45, 4);
    central.writeUInt16LE(zip64 ? 45 : 20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0x00210000, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(zip64 ? 0xffffffff : stored.length, 20);
    central.writeUInt32LE(zip64 ? 0xffffffff : size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    const localPart = Buffer.concat([local, name, stored, descriptor]);
    locals.push(localPart);
    centrals.push(Buffer.concat([central, name, extra]));
    offset += localPart.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}
