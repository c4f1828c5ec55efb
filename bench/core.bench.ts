/**
 * Validate + compile time: one 50-stage × 10-action pipeline, and 1,000 small pipelines.
 * Prints figures; asserts nothing about time.
 */
import { compilePipeline, loadPipelines, validatePipeline } from '@pipewright/core';

const resources = { actionRunner: 'runner', stageGate: 'gate' };

function nativeYaml(name: string, stages: number, actionsPerStage: number): string {
  const lines = [`name: ${name}`, 'stages:', '  - name: Source', '    actions:', '      - name: Checkout'];
  lines.push(
    '        type: Source/Git',
    '        configuration: { RepositoryUrl: ./repo, BranchName: main }',
  );
  lines.push('        outputs: [Src]');
  for (let s = 1; s < stages; s++) {
    lines.push(`  - name: Stage${s}`, '    actions:');
    for (let a = 0; a < actionsPerStage; a++) {
      lines.push(`      - name: Action${a}`, '        type: Build/Commands', '        inputs: [Src]');
      lines.push(`        runOrder: ${(a % 3) + 1}`, `        commands: [echo ${s}-${a}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function validateAndCompile(text: string): number {
  const { pipelines, diagnostics } = loadPipelines(text, { file: 'bench.yaml' });
  let states = 0;
  for (const loaded of pipelines) {
    const problems = [...diagnostics, ...validatePipeline(loaded)].filter((d) => d.severity === 'error');
    if (problems.length > 0) throw new Error(`benchmark pipeline is invalid: ${problems[0]?.message}`);
    states += Object.keys(compilePipeline(loaded.pipeline, { resources }).States).length;
  }
  return states;
}

function measure(label: string, runs: number, fn: () => void): void {
  fn(); // warm up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.log(`${label}: median ${median.toFixed(1)} ms, min ${times[0]?.toFixed(1)} ms over ${runs} runs`);
}

const big = nativeYaml('big', 50, 10);
const small = Array.from({ length: 1000 }, (_, i) => nativeYaml(`small-${i}`, 3, 2));
measure('validate+compile 50 stages × 10 actions (491 actions)', 10, () => validateAndCompile(big));
measure('validate+compile 1,000 small pipelines (3 stages, 5 actions each)', 3, () => {
  for (const text of small) validateAndCompile(text);
});
const heap = process.memoryUsage().heapUsed / 2 ** 20;
console.log(`heap used after: ${heap.toFixed(0)} MiB`);
