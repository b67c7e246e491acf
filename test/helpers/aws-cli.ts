/**
 * Debian's AWS CLI (`apt-get install awscli`, 2.9: CloudWatch over awsQuery, no AWS_ENDPOINT_URL
 * support), run as a user would run it against the sandbox. `.ci/run` installs it; a missing CLI
 * fails the tests that need it rather than skipping them.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const AWS_CLI = '/usr/bin/aws';

export interface AwsRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON, when it is. */
  json: unknown;
}

export function assertAwsCli(): void {
  if (!existsSync(AWS_CLI))
    throw new Error(
      `${AWS_CLI} is missing: install Debian's awscli (apt-get install -y awscli), as .ci/run does`,
    );
}

/** An environment holding nothing of the user's: no profiles, no pager, dummy keys. */
export function awsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'flagops-awscli-'));
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: 'sandbox',
    AWS_SECRET_ACCESS_KEY: 'sandbox',
    AWS_DEFAULT_REGION: 'eu-west-2',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

export function awsCli(endpoint: string, args: string[], env: NodeJS.ProcessEnv = awsEnv()): Promise<AwsRun> {
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      ['--endpoint-url', endpoint, '--output', 'json', ...args],
      { env, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        let json: unknown;
        try {
          json = stdout.trim() === '' ? undefined : JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
