import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { zipDirectory } from './s3/zip-directory.ts';
import { s3DeployProvider } from './s3-deploy.ts';
import { makeRun, type TestRun } from './testing/make-run.ts';

let t: TestRun | undefined;
afterEach(async () => {
  await t?.cleanup();
  t = undefined;
});

const SITE = { 'index.html': '<h1>hi</h1>', 'assets/app.js': 'console.log(1)' };

async function deployRun(configuration: Record<string, string>) {
  t = await makeRun({
    action: {
      actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'S3', version: '1' },
      configuration,
    },
    inputs: { Site: SITE },
  });
  return t;
}

describe('s3DeployProvider to a directory', () => {
  it('copies the files under the ObjectKey prefix when Extract is true', async () => {
    const run = await deployRun({ BucketName: 'public/site', Extract: 'true', ObjectKey: 'v1' });
    await chmod(join(run.run.workspace, 'index.html'), 0o755);
    expect(await s3DeployProvider({}).run(run.run)).toMatchObject({ status: 'Succeeded' });
    const root = join(run.run.projectDir, 'public', 'site', 'v1');
    expect(await readFile(join(root, 'assets', 'app.js'), 'utf8')).toBe('console.log(1)');
    expect((await stat(join(root, 'index.html'))).mode & 0o777).toBe(0o755);
  });

  it('writes one zip at ObjectKey when Extract is false', async () => {
    const run = await deployRun({ BucketName: 'out', Extract: 'false', ObjectKey: 'site.zip' });
    expect(await s3DeployProvider({}).run(run.run)).toMatchObject({ status: 'Succeeded' });
    const zip = join(run.run.projectDir, 'out', 'site.zip');
    const listing = execFileSync(
      'python3',
      [
        '-c',
        'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);print(z.testzip());print(sorted(z.namelist()));print(z.read("assets/app.js").decode())',
        zip,
      ],
      { encoding: 'utf8' },
    );
    expect(listing).toBe("None\n['assets/app.js', 'index.html']\nconsole.log(1)\n");
  });

  it('refuses ObjectKey with ".." and a missing ObjectKey for Extract false', async () => {
    const run = await deployRun({ BucketName: 'out', Extract: 'true', ObjectKey: '../../etc' });
    expect(await s3DeployProvider({}).run(run.run)).toMatchObject({ error: { type: 'ConfigurationError' } });
    run.run.action.configuration = { BucketName: 'out', Extract: 'false' };
    expect(await s3DeployProvider({}).run(run.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('ObjectKey is required') },
    });
  });
});

describe('s3DeployProvider to an S3-compatible endpoint', () => {
  let server: S3rver;
  let endpoint: string;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pw-s3rver-'));
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'site' }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('puts every file as an object with CacheControl and a content type', async () => {
    const run = await deployRun({ BucketName: 'site', Extract: 'true', CacheControl: 'max-age=60' });
    expect(await s3DeployProvider({ s3: { endpoint } }).run(run.run)).toMatchObject({ status: 'Succeeded' });
    const client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const object = await client.send(new GetObjectCommand({ Bucket: 'site', Key: 'index.html' }));
    expect(await object.Body?.transformToString()).toBe('<h1>hi</h1>');
    expect(object.CacheControl).toBe('max-age=60');
    expect(object.ContentType).toBe('text/html; charset=utf-8');
    client.destroy();
  });

  it('fails when the bucket does not exist', async () => {
    const run = await deployRun({ BucketName: 'nope', Extract: 'true' });
    expect(await s3DeployProvider({ s3: { endpoint } }).run(run.run)).toMatchObject({
      status: 'Failed',
      error: { type: 'JobFailed' },
    });
  });

  it('refuses an s3 option without an explicit endpoint', async () => {
    const run = await deployRun({ BucketName: 'site', Extract: 'true' });
    expect(await s3DeployProvider({ s3: { endpoint: '' } }).run(run.run)).toMatchObject({
      error: { type: 'ConfigurationError', message: expect.stringContaining('explicit endpoint') },
    });
  });
});

describe('zipDirectory', () => {
  it('gives the same bytes for the same files', async () => {
    const a = await mkdtemp(join(tmpdir(), 'pw-zip-'));
    await writeFile(join(a, 'x.txt'), 'x');
    expect((await zipDirectory(a)).equals(await zipDirectory(a))).toBe(true);
    expect(await readdir(a)).toEqual(['x.txt']);
    await rm(a, { recursive: true, force: true });
  });
});
