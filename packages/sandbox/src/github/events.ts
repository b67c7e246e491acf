/**
 * The events the emulated GitHub raises for the workflow runner: what happened, to which pull
 * request, run or ref, and who did it. Handlers raise them through `GitHubWorld.emit`; the runner
 * (actions/) turns them into webhook payloads and runs, so the GitHub side never imports the runner.
 */
import type { Caller } from './identity.ts';

export type RaisedEvent =
  | {
      name: 'pull_request' | 'pull_request_target';
      action: string;
      pull: number;
      actor: Caller;
      label?: string;
      /** `edited`: the previous values, as the webhook's `changes` carries them. */
      changes?: Record<string, unknown>;
    }
  | { name: 'pull_request_review'; action: string; pull: number; review: number; actor: Caller }
  | { name: 'push'; ref: string; before: string; after: string; actor: Caller }
  | {
      name: 'workflow_dispatch';
      workflowPath: string;
      ref: string;
      inputs: Record<string, string>;
      actor: Caller;
    }
  | { name: 'schedule'; cron: string; workflowPath: string; actor: Caller }
  | { name: 'workflow_run'; action: string; runId: number; actor: Caller };
