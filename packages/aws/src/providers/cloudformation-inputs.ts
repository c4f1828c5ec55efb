/**
 * What a CloudFormation action sends besides names: the template (inline, or uploaded to the
 * artifact bucket when over 51,200 bytes), parameters and tags from `TemplateConfiguration`
 * and `ParameterOverrides`, and `Capabilities`.
 *
 * @example
 * ```ts
 * const input = { ...(await templateInput(run, options)), ...(await parametersAndTags(run, config)) };
 * ```
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import type {
  Capability,
  CloudFormationClient,
  CreateChangeSetInput,
  Parameter,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ActionRun } from '@pipewright/engine';
import { awsFailure } from './aws-failure.ts';
import { configurationError } from './checked-configuration.ts';
import { artifactPrefix } from './runner-build.ts';

/** Largest template CloudFormation accepts as `TemplateBody`. */
const MAX_TEMPLATE_BODY = 51_200;

type Config = Readonly<Record<string, string | undefined>>;

/** Where large templates go. @example `{ cloudformation, s3, artifactBucket: 'pw-artifacts' }` */
export interface TemplateUpload {
  cloudformation: CloudFormationClient;
  s3: S3Client;
  artifactBucket: string;
}

/**
 * `TemplateBody`, or `TemplateURL` of the template uploaded under the attempt's artifact prefix.
 *
 * @example
 * ```ts
 * await templateInput(run, config, upload); // { TemplateBody: 'Resources: …' }
 * ```
 */
export async function templateInput(
  run: ActionRun,
  config: Config,
  upload: TemplateUpload,
): Promise<Pick<CreateChangeSetInput, 'TemplateBody' | 'TemplateURL'>> {
  const ref = config.TemplatePath;
  if (ref === undefined) return configurationError('TemplatePath is required to create a change set');
  const { text, path } = await artifactFile(run, ref, 'TemplatePath');
  if (Buffer.byteLength(text) <= MAX_TEMPLATE_BODY) return { TemplateBody: text };
  const key = `${artifactPrefix(run)}/templates/${basename(path)}`;
  const bucket = upload.artifactBucket;
  await upload.s3
    .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }), { abortSignal: run.signal })
    .catch((error: unknown) => {
      throw awsFailure(error, `uploading the template to s3://${bucket}/${key}`);
    });
  const region = await upload.cloudformation.config.region();
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  return { TemplateURL: `https://${bucket}.s3.${region}.amazonaws.com/${encodedKey}` };
}

/**
 * Parameters (template configuration's, then `ParameterOverrides`) and tags.
 *
 * @example
 * ```ts
 * await parametersAndTags(run, { ParameterOverrides: '{"Env":"prod"}' }); // { Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod' }] }
 * ```
 */
export async function parametersAndTags(
  run: ActionRun,
  config: Config,
): Promise<Pick<CreateChangeSetInput, 'Parameters' | 'Tags'>> {
  const values: Record<string, unknown> = {};
  let tags: Record<string, unknown> = {};
  if (config.TemplateConfiguration !== undefined) {
    const { text } = await artifactFile(run, config.TemplateConfiguration, 'TemplateConfiguration');
    const parsed = parseJson(text, 'TemplateConfiguration');
    if (!isRecord(parsed))
      configurationError('TemplateConfiguration must be a JSON object with Parameters, Tags');
    if (parsed.Parameters !== undefined && !isRecord(parsed.Parameters)) {
      configurationError('TemplateConfiguration Parameters must be an object of names to values');
    }
    if (parsed.Tags !== undefined && !isRecord(parsed.Tags)) {
      configurationError('TemplateConfiguration Tags must be an object of keys to values');
    }
    if (parsed.StackPolicy !== undefined) {
      run.log.write('system', 'TemplateConfiguration StackPolicy is not applied through change sets\n');
    }
    Object.assign(values, parsed.Parameters ?? {});
    tags = (parsed.Tags as Record<string, unknown> | undefined) ?? {};
  }
  if (config.ParameterOverrides !== undefined) {
    Object.assign(values, parseJson(config.ParameterOverrides, 'ParameterOverrides'));
  }
  const text = (where: string, key: string, value: unknown): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return configurationError(
      `${where} ${key} must be a string; Fn::GetParam and Fn::GetArtifactAtt are not supported, use #{Namespace.Variable} references`,
    );
  };
  const parameters: Parameter[] = Object.entries(values).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: text('parameter', key, value),
  }));
  const tagList = Object.entries(tags).map(([key, value]) => ({ Key: key, Value: text('tag', key, value) }));
  return {
    ...(parameters.length === 0 ? {} : { Parameters: parameters }),
    ...(tagList.length === 0 ? {} : { Tags: tagList }),
  };
}

/**
 * `Capabilities` as a list (absent when empty).
 *
 * @example
 * ```ts
 * capabilities({ Capabilities: 'CAPABILITY_IAM, CAPABILITY_AUTO_EXPAND' }); // { Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_AUTO_EXPAND'] }
 * ```
 */
export function capabilities(config: Config): Pick<CreateChangeSetInput, 'Capabilities'> {
  const list = (config.Capabilities ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean) as Capability[];
  return list.length === 0 ? {} : { Capabilities: list };
}

/**
 * The text of `ArtifactName::path` from an input artifact (ConfigurationError when it is not there).
 *
 * @example
 * ```ts
 * await artifactFile(run, 'Build::taskdef.json', 'TaskDefinitionTemplatePath'); // { text: '{…}', path: 'taskdef.json' }
 * ```
 */
export async function artifactFile(
  run: ActionRun,
  ref: string,
  key: string,
): Promise<{ text: string; path: string }> {
  const at = ref.indexOf('::');
  const name = at > 0 ? ref.slice(0, at) : '';
  const path = at > 0 ? ref.slice(at + 2) : '';
  if (!name || !path)
    configurationError(`${key} ${JSON.stringify(ref)} must be "ArtifactName::path/in/artifact"`);
  const input = run.inputs.find((i) => i.name === name);
  if (input === undefined) {
    return configurationError(
      `${key} names artifact ${name}, which is not an input of the action (inputs: ${run.inputs.map((i) => i.name).join(', ') || 'none'})`,
    );
  }
  const file = resolve(input.dir, path);
  if (!file.startsWith(`${input.dir}${sep}`))
    configurationError(`${key} ${JSON.stringify(ref)} points outside artifact ${name}`);
  const text = await readFile(file, 'utf8').catch(() =>
    configurationError(`${key}: artifact ${name} has no file ${path}`),
  );
  return { text, path };
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return configurationError(`${key} is not valid JSON`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
