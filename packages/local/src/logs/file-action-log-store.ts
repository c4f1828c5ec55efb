/**
 * Action logs as files: `<root>/<execution>/<stage>/<action>/<stageAttempt>-<attempt>.log`
 * (by default `root` is `.pipewright/logs`). Every write goes straight to the file, so a log
 * survives a crash of the process up to its last line. A log's file is made on its first
 * write, and the folders this store made are remembered, so writing a log costs one `open`.
 * An attempt that wrote nothing gets no file when the store has an {@link EmptyLogIndex} (the
 * local runtime keeps it in the event database, written with its next transaction): making an
 * empty file and its folders costs more than the no-op action it logs.
 *
 * @example
 * ```ts
 * const logs = new FileActionLogStore('.pipewright/logs', { emptyLogs: store.emptyLogs });
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

/** How many folders the store remembers having made (one per action of recent executions). */
const MADE_FOLDERS = 4096;

/**
 * Where a {@link FileActionLogStore} records the attempts that wrote nothing, instead of an
 * empty file each. Keys are log paths relative to the store's root, with `/` between parts.
 */
export interface EmptyLogIndex {
  /** Records that the log at `key` is empty. */
  add(key: string): void;
  /** Whether the log at `key` was recorded empty. */
  has(key: string): boolean;
}

/** Options of {@link FileActionLogStore}. */
export interface FileActionLogStoreOptions {
  /** Where empty logs are recorded (default: none; an empty log is an empty file). */
  emptyLogs?: EmptyLogIndex;
}
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
  readonly #emptyLogs: EmptyLogIndex | undefined;
  /** Folders made (or found) by this store; cleared when it holds {@link MADE_FOLDERS}. */
  readonly #folders = new Set<string>();

  constructor(root: string, options: FileActionLogStoreOptions = {}) {
    this.root = root;
    this.#emptyLogs = options.emptyLogs;
  }

  /** The file holding one attempt's log. */
  fileOf(ref: ActionLogRef): string {
    return this.#locate(ref).file;
  }

  async open(ref: ActionLogRef): Promise<ActionLogWriter> {
    const { file, key } = this.#locate(ref);
    let fd: number | undefined;
    let closed = false;
    /** The first failure to store the log: reported by close(), never to the action writing. */
    let failure: unknown;
    return {
      write: (stream, text) => {
        if (closed || text.length === 0 || failure !== undefined) return;
        try {
          fd ??= this.#openFile(file);
          writeSync(fd, stream === 'system' ? prefixSystemLines(text) : text);
        } catch (e) {
          failure = e;
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        if (fd !== undefined) closeSync(fd);
        else if (failure !== undefined) throw failure;
        else if (this.#emptyLogs !== undefined) this.#emptyLogs.add(key);
        else closeSync(this.#openFile(file));
        if (failure !== undefined) throw failure;
      },
    };
  }

  async read(ref: ActionLogRef): Promise<string | undefined> {
    const { file, key } = this.#locate(ref);
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.#emptyLogs?.has(key) ? '' : undefined;
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
    const { file, key } = this.#locate(ref);
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return this.#emptyLogs?.has(key) ? new Uint8Array(0) : undefined;
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

  /** The attempt's file, and its key in the {@link EmptyLogIndex} (the path below the root). */
  #locate(ref: ActionLogRef): { file: string; key: string } {
    const key = [
      safe(ref.executionId),
      safe(ref.stageName),
      safe(ref.actionName),
      `${Number(ref.stageAttempt)}-${Number(ref.attempt)}.log`,
    ].join('/');
    const file = join(this.root, key);
    const inside = relative(resolve(this.root), resolve(file));
    if (inside.startsWith('..') || isAbsolute(inside))
      throw new LocalStoreError(
        `the log of ${ref.stageName}/${ref.actionName} would lie outside ${this.root}`,
      );
    return { file, key };
  }

  /** Opens `file` to append, making its folder unless this store made it already. */
  #openFile(file: string): number {
    const folder = dirname(file);
    if (this.#folders.has(folder)) {
      try {
        return openSync(file, 'a');
      } catch (e) {
        // The folder went away (logs removed while running): make it again below.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    mkdirSync(folder, { recursive: true });
    if (this.#folders.size >= MADE_FOLDERS) this.#folders.clear();
    this.#folders.add(folder);
    return openSync(file, 'a');
  }
}
