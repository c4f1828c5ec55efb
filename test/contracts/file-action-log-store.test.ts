import { FileActionLogStore } from '@pipewright/local';
import { afterAll } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { tempDir } from '../support/temp-dirs.ts';
import { runActionLogStoreContract } from './action-log-store.contract.ts';

const cleanups = cleanupsAfter(afterAll);

runActionLogStoreContract('files', async () => new FileActionLogStore(await tempDir(cleanups, 'pw-logs-')));
