import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { type ArtifactZipEntry, readArtifactZip, zipArtifact } from './artifact-zip.ts';
import { AwsAdapterError } from './errors.ts';
import { handmadeZip } from './testing/handmade-zip.ts';

const text = (s: string) => new TextEncoder().encode(s);
const SOURCE = 's3://bucket/some.zip';
const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pipewright-zip-'));
  dirs.push(dir);
  return dir;
}

function errorOf(fn: () => unknown): AwsAdapterError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AwsAdapterError);
    return error as AwsAdapterError;
  }
  throw new Error('expected an AwsAdapterError');
}

const sample: ArtifactZipEntry[] = [
  { path: 'dist/app.js', type: 'file', executable: false, data: text('console.log("hi");\n'.repeat(50)) },
  { path: 'bin/run.sh', type: 'file', executable: true, data: text('#!/bin/sh\necho run\n') },
  { path: 'empty', type: 'file', executable: false, data: new Uint8Array(0) },
  { path: 'dist/current', type: 'symlink', target: 'app.js' },
  {
    path: 'data/bytes.bin',
    type: 'file',
    executable: false,
    data: Uint8Array.from({ length: 256 }, (_, i) => i),
  },
  { path: 'ünïcode/naïve.txt', type: 'file', executable: false, data: text('é') },
];

describe('zipArtifact', () => {
  it('gives the same bytes for the same entries in any order', () => {
    const a = zipArtifact(sample);
    const b = zipArtifact([...sample].reverse());
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const changed = zipArtifact(sample.map((e) => (e.path === 'empty' ? { ...e, executable: true } : e)));
    expect(Buffer.from(changed).equals(Buffer.from(a))).toBe(false);
  });

  it('round-trips files, modes and symlinks through readArtifactZip, sorted by path', () => {
    const read = readArtifactZip(zipArtifact(sample), SOURCE);
    const sorted = [...sample].sort((x, y) => (x.path < y.path ? -1 : 1));
    expect(read.map((e) => e.path)).toEqual(sorted.map((e) => e.path));
    for (const entry of sorted) {
      const got = read.find((e) => e.path === entry.path);
      if (entry.type === 'file') {
        expect(got).toMatchObject({ type: 'file', executable: entry.executable });
        expect(Buffer.from((got as { data: Uint8Array }).data).equals(Buffer.from(entry.data))).toBe(true);
      } else {
        expect(got).toEqual(entry);
      }
    }
  });

  it('writes a zip Info-ZIP unzip extracts with the same bytes, modes and links', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.zip'), zipArtifact(sample));
    const listing = execFileSync('unzip', ['-Z', '-T', join(dir, 'a.zip')], { encoding: 'utf8' });
    expect(listing).toMatch(/-rwxr-xr-x .* 19800101\.000000 bin\/run\.sh/);
    execFileSync('unzip', ['-q', join(dir, 'a.zip'), '-d', join(dir, 'out')]);
    expect(await readFile(join(dir, 'out/dist/app.js'), 'utf8')).toBe('console.log("hi");\n'.repeat(50));
    expect((await lstat(join(dir, 'out/bin/run.sh'))).mode & 0o777).toBe(0o755);
    expect(await readlink(join(dir, 'out/dist/current'))).toBe('app.js');
    expect([...(await readFile(join(dir, 'out/data/bytes.bin')))]).toEqual([...Array(256).keys()]);
    expect(await readFile(join(dir, 'out/ünïcode/naïve.txt'), 'utf8')).toBe('é');
  });
});

describe('readArtifactZip', () => {
  it('reads a zip written by Info-ZIP zip: directories, modes, stored symlinks', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'src/site/assets'), { recursive: true });
    await writeFile(join(dir, 'src/site/index.html'), '<h1>hi</h1>\n'.repeat(100));
    await writeFile(join(dir, 'src/site/deploy.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await symlink('index.html', join(dir, 'src/site/home.html'));
    execFileSync('zip', ['-q', '-r', '-y', '-X', join(dir, 'out.zip'), 'site'], { cwd: join(dir, 'src') });
    const entries = readArtifactZip(await readFile(join(dir, 'out.zip')), SOURCE);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect([...byPath.keys()].sort()).toEqual([
      'site',
      'site/assets',
      'site/deploy.sh',
      'site/home.html',
      'site/index.html',
    ]);
    expect(byPath.get('site/assets')).toEqual({ path: 'site/assets', type: 'directory' });
    expect(byPath.get('site/deploy.sh')).toMatchObject({ type: 'file', executable: true });
    expect(byPath.get('site/home.html')).toEqual({
      path: 'site/home.html',
      type: 'symlink',
      target: 'index.html',
    });
    const index = byPath.get('site/index.html') as { data: Uint8Array; executable: boolean };
    expect(index.executable).toBe(false);
    expect(Buffer.from(index.data).toString()).toBe('<h1>hi</h1>\n'.repeat(100));
  });

  it('reads stored entries, data descriptors and zip64 extra fields', () => {
    const zip = handmadeZip([
      { name: 'stored.txt', data: 'plain', method: 0 },
      { name: 'described.txt', data: 'after the data', dataDescriptor: true },
      { name: 'big/zip64.txt', data: 'sixty-four', zip64: true },
      { name: './dotted/./path.txt', data: 'normalized' },
    ]);
    const entries = readArtifactZip(zip, SOURCE);
    expect(entries.map((e) => [e.path, e.type === 'file' ? Buffer.from(e.data).toString() : e.type])).toEqual(
      [
        ['stored.txt', 'plain'],
        ['described.txt', 'after the data'],
        ['big/zip64.txt', 'sixty-four'],
        ['dotted/path.txt', 'normalized'],
      ],
    );
  });

  it.each([
    ['../evil.txt', 'climbs out'],
    ['a/../../evil.txt', 'climbs out'],
    ['/etc/cron.d/evil', 'absolute'],
    ['C:/Windows/evil.dll', 'absolute'],
    ['..\\evil.txt', 'backslash'],
  ])('rejects the zip-slip entry %j', (name, why) => {
    const zip = handmadeZip([
      { name: 'fine.txt', data: 'ok' },
      { name, data: 'pwned' },
    ]);
    const error = errorOf(() => readArtifactZip(zip, SOURCE));
    expect(error.code).toBe('PW6205');
    expect(error.message).toContain('zip-slip');
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.message).toContain(why);
    expect(error.message).toContain(SOURCE);
  });

  it('rejects zip-slip names fflate writes as given, too', () => {
    const zip = zipSync({ '../../outside.txt': text('x') });
    expect(errorOf(() => readArtifactZip(zip, SOURCE)).code).toBe('PW6205');
  });

  it('rejects symlinks leading outside the artifact and entries below a symlink', () => {
    const out = handmadeZip([{ name: 'link', data: '../../etc/passwd', mode: 0o120777 }]);
    const outError = errorOf(() => readArtifactZip(out, SOURCE));
    expect(outError.code).toBe('PW6205');
    expect(outError.message).toContain('link -> ../../etc/passwd points outside the artifact');
    const absolute = handmadeZip([{ name: 'link', data: '/etc', mode: 0o120777 }]);
    expect(errorOf(() => readArtifactZip(absolute, SOURCE)).code).toBe('PW6205');
    const through = handmadeZip([
      { name: 'dir', data: '.', mode: 0o120777 },
      { name: 'dir/file.txt', data: 'x' },
    ]);
    expect(errorOf(() => readArtifactZip(through, SOURCE)).message).toContain('lies below the symlink dir');
  });

  it('rejects corrupt zips with PW6204 saying why', () => {
    const cases: [Uint8Array, string][] = [
      [text('not a zip at all'), 'no end of central directory record'],
      [handmadeZip([{ name: 'a.txt', data: 'hello', claimedCrc: 1 }]), 'does not match its size and CRC-32'],
      [handmadeZip([{ name: 'a.txt', data: 'hello', method: 0, claimedSize: 4 }]), 'size and CRC-32'],
      [handmadeZip([{ name: 'a.txt', data: 'hello', claimedSize: 2 ** 31 }]), 'impossible size'],
      [handmadeZip([{ name: 'a.txt', data: 'hello', method: 14 }]), 'compression method 14'],
      [
        handmadeZip([
          { name: 'a.txt', data: 'one' },
          { name: 'a.txt', data: 'two' },
        ]),
        'holds a.txt twice',
      ],
      [
        handmadeZip([
          { name: 'a', data: 'file' },
          { name: 'a/b', data: 'below a file' },
        ]),
        'below the file a',
      ],
    ];
    for (const [zip, why] of cases) {
      const error = errorOf(() => readArtifactZip(zip, SOURCE));
      expect(error.code).toBe('PW6204');
      expect(error.message).toContain(why);
    }
    const whole = zipArtifact(sample);
    expect(errorOf(() => readArtifactZip(whole.subarray(0, whole.length - 30), SOURCE)).code).toBe('PW6204');
  });

  it('accepts the same directory twice', () => {
    const zip = handmadeZip([
      { name: 'd/', mode: 0o040755 },
      { name: 'd/', mode: 0o040755 },
      { name: 'd/x', data: 'x' },
    ]);
    expect(readArtifactZip(zip, SOURCE).map((e) => e.path)).toEqual(['d', 'd/x']);
  });
});
