/**
 * `flagops verify --environment E`: the acceptance criteria of app.yaml from CloudWatch, as a table
 * with pass/fail, recorded on GitHub (when GITHUB_TOKEN and GITHUB_REPOSITORY are set) for the gate
 * that a change to `acceptance.required_for` needs.
 */
import { renderAcceptance } from '../../acceptance/criteria.ts';
import { gitHubVerificationStore } from '../../acceptance/record.ts';
import { verifyEnvironment } from '../../acceptance/verify.ts';
import { gitHubFromEnv } from '../../github/from-env.ts';
import { loadWorkingTree } from '../../model/revision.ts';
import { runtimeFromEnvironment } from '../../runtime/env.ts';
import { type Command, EXIT } from '../command.ts';
import { findRepoRoot, selectApplication, TARGET_OPTIONS } from '../context.ts';

export const command: Command = {
  name: 'verify',
  summary: "Check app.yaml's acceptance criteria from CloudWatch and record the result",
  description:
    'Judges every criterion under `acceptance:` in app.yaml over the last complete window and prints a\n' +
    'table. Exit 0 when all pass, 1 when any fails or has no data. The result is recorded as a GitHub\n' +
    'deployment (task flagops:verify) when GITHUB_TOKEN and GITHUB_REPOSITORY are set.',
  options: {
    'app-name': TARGET_OPTIONS['app-name'],
    environment: TARGET_OPTIONS.environment,
    json: { type: 'boolean', description: 'Print the result as JSON', default: false },
    record: {
      type: 'boolean',
      description: 'Record the result on GitHub (--no-record: only print)',
      default: true,
    },
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const app = selectApplication(loadWorkingTree(root), args.options['app-name'] as string | undefined);
    const environment = args.options['environment'] as string;
    const wantRecord = args.options['record'] !== false;
    const canRecord = Boolean((io.env['GITHUB_TOKEN'] || io.env['GH_TOKEN']) && io.env['GITHUB_REPOSITORY']);
    const runtime = await runtimeFromEnvironment(io.env);
    const store =
      wantRecord && canRecord
        ? gitHubVerificationStore(gitHubFromEnv(io.env).octokit, gitHubFromEnv(io.env).api.repo)
        : undefined;
    const outcome = await verifyEnvironment({
      app,
      environment,
      cloudwatch: runtime.aws.cloudwatch,
      now: runtime.clock.now(),
      ...(store ? { store } : {}),
      ref: io.env['FLAGOPS_BASE_BRANCH'] || 'main',
    });
    if (args.options['json'] === true) {
      io.stdout(`${JSON.stringify({ environment, ...outcome }, null, 2)}\n`);
    } else {
      io.stdout(`${renderAcceptance(outcome.result, environment)}\n`);
      if (outcome.record)
        io.stdout(`recorded: ${outcome.record.url ?? `GitHub deployment ${outcome.record.id}`}\n`);
      else if (wantRecord)
        io.stdout('not recorded: set GITHUB_TOKEN and GITHUB_REPOSITORY so the gate can see this result\n');
    }
    return outcome.result.passed ? EXIT.ok : EXIT.failed;
  },
};
