/**
 * Test-only: the API and event-bus rows of the bad-input table (see `bad-input.test.ts`).
 *
 * @example
 * ```ts
 * const res = await API_CASES[0].send(world);
 * ```
 */
import { type BadInputCase, call, EVENT, OVER_1_MIB, START } from './bad-input-cases.test-helper.ts';
import { PIPELINE } from './web-harness.test-helper.ts';

/** The API: Bearer token (401 with WWW-Authenticate), strict JSON bodies (400 naming the field), 404 for what is not there. */
export const API_CASES: BadInputCase[] = [
  {
    name: 'API without token',
    status: 401,
    why: 'no credential',
    kind: 'json',
    code: 'Unauthorized',
    says: 'this API needs "Authorization: Bearer <token>": your own token (pipewright users token <name>), or the one pipewright serve keeps in <state-dir>/api-token',
    send: (w) => call(w, START, { body: '{}', token: null }),
  },
  {
    name: 'API with a wrong token',
    status: 401,
    why: 'credential does not verify',
    kind: 'json',
    code: 'Unauthorized',
    says: 'the API token is not valid; send your own token',
    send: (w) => call(w, START, { body: '{}', token: 'wrong-token' }),
  },
  {
    name: 'API with another scheme',
    status: 401,
    why: 'credential does not verify',
    kind: 'json',
    code: 'Unauthorized',
    says: 'the API token is not valid',
    send: (w) => call(w, START, { body: '{}', token: null, headers: { Authorization: `Basic ${w.token}` } }),
  },
  {
    name: 'API start with malformed JSON',
    status: 400,
    why: 'not JSON',
    kind: 'json',
    code: 'BadRequest',
    says: 'the body is not valid JSON; send a JSON object',
    send: (w) => call(w, START, { body: '{"variables":' }),
  },
  {
    name: 'API start with an array body',
    status: 400,
    why: 'not an object',
    kind: 'json',
    code: 'ValidationError',
    says: 'body: Invalid input: expected object, received array',
    send: (w) => call(w, START, { body: '[]' }),
  },
  {
    name: 'API start with a null body',
    status: 400,
    why: 'not an object',
    kind: 'json',
    code: 'ValidationError',
    says: 'body: Invalid input: expected object, received null',
    send: (w) => call(w, START, { body: 'null' }),
  },
  {
    name: 'API start with an unknown field',
    status: 400,
    why: 'strict schema',
    kind: 'json',
    code: 'ValidationError',
    says: 'body: Unrecognized key: "variablez"',
    send: (w) => call(w, START, { body: JSON.stringify({ variablez: {} }) }),
  },
  {
    name: 'API start with a variable that is not a string',
    status: 400,
    why: 'a field of the wrong type',
    kind: 'json',
    code: 'ValidationError',
    says: 'body.variables.DEPLOY_ENV: Invalid input: expected string, received number',
    send: (w) => call(w, START, { body: JSON.stringify({ variables: { DEPLOY_ENV: 7 } }) }),
  },
  {
    name: 'API start with an undeclared variable',
    status: 400,
    why: 'the pipeline declares no such variable',
    kind: 'json',
    code: 'ValidationError',
    says: 'variable "NOPE" is not declared by the pipeline; declared: DEPLOY_ENV. Declare it under "variables" or drop the override',
    send: (w) => call(w, START, { body: JSON.stringify({ variables: { NOPE: 'x' } }) }),
  },
  {
    name: 'API start of an unknown pipeline',
    status: 404,
    why: 'no such resource',
    kind: 'json',
    code: 'NotFound',
    says: 'no pipeline named "nope" is served here; GET /api/pipelines lists them',
    send: (w) => call(w, '/api/pipelines/nope/executions', { body: '{}' }),
  },
  {
    name: 'API view of an unknown execution',
    status: 404,
    why: 'no such resource',
    kind: 'json',
    code: 'NotFound',
    says: 'no execution nope in the event log; list executions with',
    send: (w) => call(w, '/api/executions/nope'),
  },
  {
    name: 'API stop of an unknown execution',
    status: 404,
    why: 'no such resource',
    kind: 'json',
    code: 'NotFound',
    says: 'no execution nope in the event log',
    send: (w) => call(w, '/api/executions/nope/stop', { body: '{}' }),
  },
  {
    name: 'API decision on an unknown execution',
    status: 404,
    why: 'no such resource',
    kind: 'json',
    code: 'NotFound',
    says: 'no execution nope in the event log',
    send: (w) => call(w, '/api/executions/nope/approvals', { body: JSON.stringify({ status: 'Approved' }) }),
  },
  {
    name: 'API decision with a bad status',
    status: 400,
    why: 'a field out of range',
    kind: 'json',
    code: 'ValidationError',
    says: 'body.status: Invalid option: expected one of "Approved"|"Rejected"',
    send: (w) =>
      call(w, `/api/executions/${w.executionId}/approvals`, { body: JSON.stringify({ status: 'Maybe' }) }),
  },
  {
    name: 'API stop with malformed JSON',
    status: 400,
    why: 'not JSON',
    kind: 'json',
    code: 'BadRequest',
    says: 'not valid JSON',
    send: (w) => call(w, `/api/executions/${w.executionId}/stop`, { body: '{abandon' }),
  },
  {
    name: 'API stop with an unknown field',
    status: 400,
    why: 'strict schema',
    kind: 'json',
    code: 'ValidationError',
    says: 'body: Unrecognized key: "force"',
    send: (w) => call(w, `/api/executions/${w.executionId}/stop`, { body: JSON.stringify({ force: true }) }),
  },
  {
    name: 'API call naming a user that is too long',
    status: 400,
    why: 'a header out of range',
    kind: 'json',
    code: 'ValidationError',
    says: 'header X-Pipewright-User: a user name of 1 to 128 printable characters',
    send: (w) =>
      call(w, `/api/executions/${w.executionId}/stop`, {
        body: '{}',
        headers: { 'X-Pipewright-User': 'u'.repeat(129) },
      }),
  },
  {
    name: 'API transition of an unknown stage',
    status: 404,
    why: 'no such resource',
    kind: 'json',
    code: 'NotFound',
    says: 'pipeline web-app has no stage "Nope"; its stages: Source, Build, Approve, Deploy',
    send: (w) =>
      call(w, `/api/pipelines/${PIPELINE}/transitions/Nope/disable`, {
        body: JSON.stringify({ reason: 'freeze' }),
      }),
  },
  {
    name: 'API query out of range',
    status: 400,
    why: 'a query field out of range',
    kind: 'json',
    code: 'ValidationError',
    says: 'query.limit: Too small: expected number to be >=1',
    send: (w) => call(w, `${START}?limit=0`),
  },
  {
    name: 'API route that does not exist',
    status: 404,
    why: 'no such resource',
    kind: 'json',
    code: 'NotFound',
    says: 'there is nothing at GET /api/nothing; see GET /api/pipelines',
    send: (w) => call(w, '/api/nothing'),
  },
  {
    name: 'API start over 1 MiB',
    status: 413,
    why: 'the body limit',
    kind: 'json',
    code: 'PayloadTooLarge',
    says: 'larger than 1048576 bytes (1 MiB)',
    send: (w) => call(w, START, { body: JSON.stringify({ variables: { DEPLOY_ENV: OVER_1_MIB } }) }),
  },
  {
    name: 'API start over 1 MiB with its Content-Length',
    status: 413,
    why: 'the body limit, refused from the header',
    kind: 'json',
    code: 'PayloadTooLarge',
    says: 'larger than 1048576 bytes (1 MiB)',
    send: (w) => {
      const body = JSON.stringify({ variables: { DEPLOY_ENV: OVER_1_MIB } });
      return call(w, START, { body, headers: { 'Content-Length': String(Buffer.byteLength(body)) } });
    },
  },
];

/** The local event bus: the API token, a strict event schema. */
export const EVENT_CASES: BadInputCase[] = [
  {
    name: 'event without token',
    status: 401,
    why: 'no credential',
    kind: 'json',
    code: 'Unauthorized',
    says: 'needs "Authorization: Bearer <token>"',
    send: (w) => call(w, '/events', { body: EVENT, token: null }),
  },
  {
    name: 'event with a wrong token',
    status: 401,
    why: 'credential does not verify',
    kind: 'json',
    code: 'Unauthorized',
    says: 'the API token is not valid',
    send: (w) => call(w, '/events', { body: EVENT, token: 'wrong-token' }),
  },
  {
    name: 'event with malformed JSON',
    status: 400,
    why: 'not JSON',
    kind: 'json',
    code: 'BadRequest',
    says: 'the body is not valid JSON; send a JSON object',
    send: (w) => call(w, '/events', { body: '{"source":' }),
  },
  {
    name: 'event that is not an object',
    status: 400,
    why: 'not an object',
    kind: 'json',
    code: 'ValidationError',
    says: 'body: Invalid input: expected object, received string',
    send: (w) => call(w, '/events', { body: '"release"' }),
  },
  {
    name: 'event without source and detail-type',
    status: 400,
    why: 'fields missing',
    kind: 'json',
    code: 'ValidationError',
    says: 'body.source: Invalid input: expected string, received undefined; body.detail-type: ',
    send: (w) => call(w, '/events', { body: JSON.stringify({ detail: {} }) }),
  },
  {
    name: 'event with a detail that is not an object',
    status: 400,
    why: 'a field of the wrong type',
    kind: 'json',
    code: 'ValidationError',
    says: 'body.detail: expected an object (the event detail)',
    send: (w) =>
      call(w, '/events', { body: JSON.stringify({ source: 'a', 'detail-type': 'b', detail: 'c' }) }),
  },
  {
    name: 'event with an unknown field',
    status: 400,
    why: 'strict schema',
    kind: 'json',
    code: 'ValidationError',
    says: 'body: Unrecognized key: "Detail"',
    send: (w) =>
      call(w, '/events', {
        body: JSON.stringify({ source: 'a', 'detail-type': 'b', detail: {}, Detail: {} }),
      }),
  },
  {
    name: 'event over 1 MiB',
    status: 413,
    why: 'the body limit',
    kind: 'json',
    code: 'PayloadTooLarge',
    says: 'larger than 1048576 bytes (1 MiB)',
    send: (w) =>
      call(w, '/events', {
        body: JSON.stringify({ source: 'a', 'detail-type': 'b', detail: { x: OVER_1_MIB } }),
      }),
  },
];
