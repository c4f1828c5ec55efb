/**
 * Action logs as files: `<root>/<execution>/<stage>/<action>/<stageAttempt>-<attempt>.log`
 * (by default `root` is `.pipewright/logs`). Every write goes straight to the file, so a log
 * survives a crash of the process up to its last line.
 *
 * @example
 * ```ts
 * const logs = new FileActionLogStore('.pipewright/logs');
 * const log = await logs.open(ref); log.write('stdout', 'hi\n'); await log.close();
 * ```
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  type ActionLogRef,
  type ActionLogStore,
  type ActionLogWriter,
  prefixSystemLines,
} from '@pipewright/engine';
import { LocalStoreError } from '../errors.ts';

/** Largest slice {@link FileActionLogStore.readFrom} returns at once (the rest comes on the next call). */
const MAX_READ_BYTES = 1024 * 1024;

/**
 * One folder name from a name: encoded, and never `.`, `..` or empty (names may be all dots,
 * and `~` is in no name, so `~..` stands for `..` without meeting another name).
 */
function safe(part: string): string {
  const encoded = encodeURIComponent(part).replaceAll('%', '_');
  return /^\.*$/.test(encoded) ? `~${encoded}` : encoded;
}

/** {@link ActionLogStore} on the filesystem. */
export class FileActionLogStore implements ActionLogStore {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** The file holding one attempt's log. */
  fileOf(ref: ActionLogRef): string {
    const file = join(
      this.root,
      safe(ref.executionId),
      safe(ref.stageName),
      safe(ref.actionName),
      `${Number(ref.stageAttempt)}-${Number(ref.attempt)}.log`,
    );
    const inside = relative(resolve(this.root), resolve(file));
    if (inside.startsWith('..') || isAbsolute(inside))
      throw new LocalStoreError(
        `the log of ${ref.stageName}/${ref.actionName} would lie outside ${this.root}`,
      );
    return file;
  }

  async open(ref: ActionLogRef): Promise<ActionLogWriter> {
    const file = this.fileOf(ref);
    mkdirSync(dirname(file), { recursive: true });
    let fd: number | undefined = openSync(file, 'a');
    return {
      write(stream, text) {
        if (fd === undefined || text.length === 0) return;
        writeSync(fd, stream === 'system' ? prefixSystemLines(text) : text);
      },
      async close() {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      },
    };
  }

  async read(ref: ActionLogRef): Promise<string | undefined> {
    try {
      return await readFile(this.fileOf(ref), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /**
   * The log's bytes from `offset` to its current end (at most {@link MAX_READ_BYTES} at once),
   * or `undefined` when the attempt has no log file (yet).
   *
   * @example
   * ```ts
   * const more = await logs.readFrom(ref, seen); // new bytes since `seen`
   * ```
   */
  async readFrom(ref: ActionLogRef, offset: number): Promise<Uint8Array | undefined> {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new LocalStoreError(
        `log offset ${offset} is not a byte position; pass a non-negative integer (the bytes already read)`,
      );
    }
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.fileOf(ref), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.min(Math.max(0, size - offset), MAX_READ_BYTES);
      if (length === 0) return new Uint8Array(0);
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
