/**
 * The templates of a CodeDeployToECS action, filled as CodePipeline fills them: each
 * `<PLACEHOLDER>` of the task definition named by an `Image<N>ContainerName` becomes the
 * `ImageURI` of that image's `imageDetail.json`, and `<TASK_DEFINITION>` in the AppSpec
 * becomes the ARN of the registered task definition. A placeholder the template lacks is a
 * ConfigurationError naming it.
 *
 * @example
 * ```ts
 * renderTaskDefinition('{"containerDefinitions":[{"name":"web","image":"<IMAGE1_NAME>"}]}', [{ placeholder: 'IMAGE1_NAME', imageUri: 'web@sha256:ab' }], 'taskdef.json');
 * renderAppSpec('TaskDefinition: <TASK_DEFINITION>', 'arn:aws:ecs:…:task-definition/web:7', 'appspec.yaml');
 * ```
 */
import { configurationError } from './checked-configuration.ts';

/** The AppSpec's placeholder for the new task definition. */
export const TASK_DEFINITION_PLACEHOLDER = '<TASK_DEFINITION>';

/** One image to put in the task definition. @example `{ placeholder: 'IMAGE1_NAME', imageUri: '1234.dkr.ecr…/web@sha256:ab' }` */
export interface TemplateImage {
  placeholder: string;
  imageUri: string;
}

/**
 * The task definition template with its image placeholders filled; it must then be a JSON object.
 *
 * @example
 * ```ts
 * JSON.parse(renderTaskDefinition(template, images, 'Source::taskdef.json')).family; // 'web'
 * ```
 */
export function renderTaskDefinition(
  template: string,
  images: readonly TemplateImage[],
  file: string,
): string {
  let text = template;
  for (const image of images) {
    const token = `<${image.placeholder}>`;
    if (!text.includes(token)) {
      configurationError(`${file} has no ${token}; write "image": "${token}" in the container it names`);
    }
    // The URI goes inside a JSON string: escape it as JSON does.
    text = text.split(token).join(JSON.stringify(image.imageUri).slice(1, -1));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return configurationError(`${file} is not valid JSON once its images are filled in`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return configurationError(
      `${file} must be a task definition: a JSON object with family and containerDefinitions`,
    );
  }
  return text;
}

/**
 * The AppSpec template with `<TASK_DEFINITION>` filled.
 *
 * @example
 * ```ts
 * renderAppSpec(template, 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7', 'Source::appspec.yaml');
 * ```
 */
export function renderAppSpec(template: string, taskDefinitionArn: string, file: string): string {
  if (!template.includes(TASK_DEFINITION_PLACEHOLDER)) {
    configurationError(
      `${file} has no ${TASK_DEFINITION_PLACEHOLDER}; write TaskDefinition: ${TASK_DEFINITION_PLACEHOLDER} in its target service`,
    );
  }
  return template.split(TASK_DEFINITION_PLACEHOLDER).join(taskDefinitionArn);
}
