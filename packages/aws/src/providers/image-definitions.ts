/**
 * The artifact files of ECS deployments, as CodePipeline documents them:
 *
 * - `imagedefinitions.json` (standard ECS deploy): `[{ "name": "<container>", "imageUri": "<image>" }, …]`;
 * - `imageDetail.json` (blue/green, and the ECR source's output): `{ "ImageURI": "<image>" }`
 *   (other keys such as `ImageSizeInBytes`, `ImageTags` are ignored).
 *
 * Both parsers fail with a ConfigurationError that names the file and says what it must hold.
 *
 * @example
 * ```ts
 * parseImageDefinitions('[{"name":"web","imageUri":"1234.dkr.ecr.eu-west-1.amazonaws.com/web:v2"}]', 'imagedefinitions.json');
 * // [{ name: 'web', imageUri: '1234.dkr.ecr.eu-west-1.amazonaws.com/web:v2' }]
 * ```
 */
import { configurationError } from './checked-configuration.ts';

/** One container's new image. @example `{ name: 'web', imageUri: 'nginx:1.27' }` */
export interface ImageDefinition {
  name: string;
  imageUri: string;
}

/**
 * Parses `imagedefinitions.json`: a non-empty JSON array of `{ name, imageUri }`, names unique.
 *
 * @example
 * ```ts
 * parseImageDefinitions('[{"name":"web","imageUri":"nginx:1.27"}]', 'Build::imagedefinitions.json').length; // 1
 * ```
 */
export function parseImageDefinitions(text: string, file: string): ImageDefinition[] {
  const shape = `a JSON array of {"name": "<container name>", "imageUri": "<image URI>"}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return configurationError(`${file} is not valid JSON; it must be ${shape}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    return configurationError(`${file} must be ${shape}, with at least one entry`);
  const seen = new Set<string>();
  return parsed.map((entry: unknown, i) => {
    const e = entry as { name?: unknown; imageUri?: unknown } | null;
    if (typeof e?.name !== 'string' || e.name === '' || typeof e.imageUri !== 'string' || e.imageUri === '') {
      return configurationError(
        `${file}[${i}] must be {"name": "<container name>", "imageUri": "<image URI>"}`,
      );
    }
    if (seen.has(e.name)) return configurationError(`${file}[${i}]: container ${e.name} is named twice`);
    seen.add(e.name);
    return { name: e.name, imageUri: e.imageUri };
  });
}

/**
 * The image URI of an `imageDetail.json`.
 *
 * @example
 * ```ts
 * parseImageDetail('{"ImageURI":"1234.dkr.ecr.eu-west-1.amazonaws.com/web@sha256:ab12"}', 'Image::imageDetail.json'); // '1234.dkr…@sha256:ab12'
 * ```
 */
export function parseImageDetail(text: string, file: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return configurationError(`${file} is not valid JSON; it must be {"ImageURI": "<image URI>"}`);
  }
  const uri = (parsed as { ImageURI?: unknown } | null)?.ImageURI;
  if (typeof uri !== 'string' || uri === '')
    return configurationError(`${file} must be {"ImageURI": "<image URI>"}`);
  return uri;
}
