/**
 * Regenerates `pipeline.schema.json` (the JSON Schema of the native pipeline format) from the
 * zod schema in `src/loaders/native-schema.ts`. Run from the repository root:
 *
 *     node packages/core/schema/generate.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nativePipelineJsonSchema } from '../src/loaders/native-schema.ts';

const target = join(import.meta.dirname, 'pipeline.schema.json');
writeFileSync(target, `${JSON.stringify(nativePipelineJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
