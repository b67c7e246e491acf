/**
 * The `revert` action: after a breach (the deploy or bake step's `evidence` output) or an AppConfig
 * rollback (read from AppConfig when no evidence is given), open or update the automatic revert
 * pull request. Run it with a GitHub App token: a pull request opened with the workflow token gets
 * no checks (GitHub docs, "Triggering a workflow from a workflow": events made with GITHUB_TOKEN
 * start no new workflow runs).
 */

import { targetId } from '../core/target.ts';
import { mdCode, mdProse, mdText } from '../escape/markdown.ts';
import { gitRemote } from '../git/remote.ts';
import { gitHubFromEnv } from '../github/from-env.ts';
import { tokenLogin } from '../github/identity.ts';
import { evidenceFromAppConfig } from '../revert/detect.ts';
import { evidenceFromJson } from '../revert/evidence.ts';
import { openRevert } from '../revert/open.ts';
import { runtimeFromEnvironment } from '../runtime/env.ts';
import { log, runAction, setOutputs, stringInput, writeSummary } from './kit.ts';
import { targetInputs } from './target-inputs.ts';

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  await runAction(async () => {
    const { root, target } = targetInputs();
    const token = stringInput('token', { required: true });
    const runUrl = env['GITHUB_RUN_ID']
      ? `${env['GITHUB_SERVER_URL'] ?? 'https://github.com'}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`
      : undefined;
    const same = (t: typeof target) =>
      t.application === target.application &&
      t.environment === target.environment &&
      t.profile === target.profile;
    const raw = stringInput('evidence');
    const { aws } = await runtimeFromEnvironment(env);
    const evidence = raw
      ? evidenceFromJson(raw, { ...(runUrl ? { runUrl } : {}), only: same })
      : [await evidenceFromAppConfig(aws, target, runUrl)].filter((e) => e !== undefined);
    if (evidence.length === 0) {
      log.info(`${targetId(target)}: no breach or rollback to revert`);
      setOutputs({ action: 'none', 'pull-request': undefined, url: undefined, branch: undefined });
      return;
    }
    const remote = gitRemote(root, { ...env, GITHUB_TOKEN: token });
    const { octokit, api } = gitHubFromEnv({ ...env, GITHUB_TOKEN: token });
    const login = stringInput('bot-login') ?? (await tokenLogin(octokit));
    for (const e of evidence) {
      const result = await openRevert({
        evidence: e,
        aws,
        github: api,
        login,
        remote: remote.url,
        baseBranch: stringInput('base', { default: 'main' }) ?? 'main',
        env: remote.env,
      });
      const pr = result.pullRequest;
      log.info(
        pr
          ? `revert pull request #${pr.number} ${result.action}: ${pr.url}`
          : (result.message ?? 'no revert needed'),
      );
      setOutputs({
        action: result.action,
        'pull-request': pr?.number,
        url: pr?.url,
        branch: result.branch,
      });
      await writeSummary([
        {
          heading: `Automatic revert of ${targetId(e.target)}`,
          lines: [
            pr
              ? `Pull request [#${pr.number}](${pr.url}) ${result.action}: ${mdText(pr.title)}`
              : mdProse(result.message ?? ''),
            ...result.changes.map((c) => `- ${mdCode(c)}`),
          ],
        },
      ]);
    }
  });
}
