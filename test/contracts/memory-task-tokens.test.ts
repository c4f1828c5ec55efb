import { MemoryTaskTokens } from '@pipewright/engine';
import { runTaskTokensContract } from './task-tokens.contract.ts';

runTaskTokensContract('memory', async () => new MemoryTaskTokens());
