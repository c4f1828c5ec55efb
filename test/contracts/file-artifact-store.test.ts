import { FileArtifactStore } from '@pipewright/local';
import { afterAll } from 'vitest';
import { cleanupsAfter } from '../support/cleanups.ts';
import { tempDir } from '../support/temp-dirs.ts';
import { runArtifactStoreContract } from './artifact-store.contract.ts';

const cleanups = cleanupsAfter(afterAll);

runArtifactStoreContract(
  'files',
  async () => new FileArtifactStore({ root: await tempDir(cleanups, 'pw-artifacts-') }),
);
