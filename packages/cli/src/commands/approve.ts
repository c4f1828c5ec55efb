/**
 * `pipewright approve|reject <execution-id>`: decides the execution's pending manual
 * approval (CodePipeline's PutApprovalResult). The decision is appended to the event log; the
 * process running the execution (`pipewright run`, `pipewright serve`) sees it and goes on.
 */
import { userInfo } from 'node:os';
import { ExecutionStateError } from '@pipewright/core';
import { recordApprovalDecision, UnknownExecutionError } from '@pipewright/engine';
import type { Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { callServer, findServer, SERVER_HELP, SERVER_OPTIONS } from '../server-client.ts';
import { openExistingStore, STATE_DIR_HELP, stateDirOf, stateDirOption } from '../state-dir.ts';

function decideCommand(status: 'Approved' | 'Rejected'): Command {
  const verb = status === 'Approved' ? 'approve' : 'reject';
  return {
    name: verb,
    summary: `${status === 'Approved' ? 'Approve' : 'Reject'} a manual approval that an execution waits for`,
    usage: `pipewright ${verb} <execution-id> [--comment TEXT] [--action NAME] [--json]`,
    optionHelp: [
      '--comment TEXT       recorded with the decision (at most 512 characters)',
      '--action NAME        which approval (Action or Stage/Action), when several wait',
      '--by NAME            who decides (default: your user name)',
      ...SERVER_HELP,
      STATE_DIR_HELP,
      '--json               print { executionId, stage, action, approvalId, status }',
      '',
      'An approval is decided once; deciding it again, or after it expired, exits 1.',
    ],
    examples: [
      `pipewright ${verb} 30b74c0e-7310-4692-864c-bfb1781d35cc --comment "${status === 'Approved' ? 'looks good' : 'not during the freeze'}"`,
    ],
    options: {
      comment: { type: 'string' },
      action: { type: 'string' },
      by: { type: 'string' },
      ...SERVER_OPTIONS,
      'state-dir': stateDirOption,
      json: { type: 'boolean' },
    },
    async run({ values, positionals }, io) {
      if (positionals.length !== 1) {
        throw new UsageError(`${verb} takes exactly one execution id; got ${positionals.length}`, this.usage);
      }
      const executionId = positionals[0] as string;
      const comment = values.comment as string | undefined;
      if (comment !== undefined && comment.length > 512) {
        throw new UsageError(`--comment is ${comment.length} characters long; the maximum is 512`);
      }
      const by = (values.by as string | undefined) ?? io.env.USER ?? safeUser();
      const server = findServer(values, io);
      if (server !== undefined) {
        // The server holds the waiting task: it records the decision and goes on at once.
        const { approval } = await callServer<{
          approval: { stageName: string; actionName: string; approvalId: string };
        }>(
          server,
          'POST',
          `/api/executions/${encodeURIComponent(executionId)}/approvals`,
          {
            status,
            ...(comment === undefined ? {} : { comment }),
            ...(values.action === undefined ? {} : { action: values.action }),
          },
          { 'x-pipewright-user': by },
        );
        io.stdout.write(
          values.json
            ? `${JSON.stringify({ executionId, stage: approval.stageName, action: approval.actionName, approvalId: approval.approvalId, status })}\n`
            : `${status} ${approval.stageName}/${approval.actionName} of execution ${executionId} as ${by}\n`,
        );
        return EXIT.ok;
      }
      const store = openExistingStore(stateDirOf(values, io));
      try {
        const { ref, approval } = await recordApprovalDecision(
          store,
          {
            executionId,
            status,
            actor: { kind: 'user', id: by },
            ...(comment === undefined ? {} : { summary: comment }),
            ...(values.action === undefined ? {} : { actionName: values.action as string }),
          },
          new Date().toISOString(),
        );
        if (values.json) {
          io.stdout.write(
            `${JSON.stringify({ executionId, stage: ref.stageName, action: ref.actionName, approvalId: approval.approvalId, status })}\n`,
          );
        } else {
          io.stdout.write(
            `${status} ${ref.stageName}/${ref.actionName} of execution ${executionId} as ${by}\n`,
          );
        }
        return EXIT.ok;
      } catch (e) {
        if (e instanceof UnknownExecutionError) throw new UsageError(e.message.replace(/^\[PW\d+\] /, ''));
        if (e instanceof ExecutionStateError) {
          io.stderr.write(`pipewright: ${e.message.replace(/^\[PW\d+\] /, '')}\n`);
          return EXIT.failed;
        }
        throw e;
      } finally {
        await store.close();
      }
    },
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'local-user';
  }
}

/** `pipewright approve`. */
export const approveCommand: Command = decideCommand('Approved');
/** `pipewright reject`. */
export const rejectCommand: Command = decideCommand('Rejected');
