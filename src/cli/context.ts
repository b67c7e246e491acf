/**
 * What most commands need first: the repository root, the loaded repository, and the target the
 * operator named with `--app-name` / `--environment` / `--profile`. Errors say which
 * names exist, so a typo is fixed in one go.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Application, Repository, Target } from '../model/types.ts';
import { CliError, type CliIO, EXIT, type ParsedArgs } from './command.ts';

/** `FLAGOPS_ROOT`, else the nearest directory upwards that holds `flags/`, else the cwd. */
export function findRepoRoot(cwd: string, env: NodeJS.ProcessEnv): string {
  const explicit = env['FLAGOPS_ROOT'];
  if (explicit) return resolve(cwd, explicit);
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'flags')) && statSync(join(dir, 'flags')).isDirectory()) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(cwd);
    dir = parent;
  }
}

export interface TargetSelector {
  appName?: string | undefined;
  environment: string;
  profile?: string | undefined;
}

/** `--app-name` may be omitted when `flags/` holds one application. */
export function selectApplication(repo: Repository, appName: string | undefined): Application {
  const names = Object.keys(repo.applications);
  if (appName === undefined) {
    if (names.length === 1) return repo.applications[names[0]!]!;
    if (names.length === 0)
      throw new CliError('no application found under flags/ (expected flags/<app>/app.yaml)');
    throw new CliError(
      `several applications under flags/ (${names.join(', ')}): choose one with --app-name`,
      EXIT.usage,
    );
  }
  const app = repo.applications[appName];
  if (!app)
    throw new CliError(
      `no application "${appName}" under flags/; known: ${names.join(', ') || 'none'}`,
      EXIT.usage,
    );
  return app;
}

export function selectTarget(
  repo: Repository,
  selector: TargetSelector,
): { app: Application; target: Target } {
  const app = selectApplication(repo, selector.appName);
  const profile = selector.profile ?? 'feature-flags';
  const envNames = app.environments.map((e) => e.name);
  if (!envNames.includes(selector.environment)) {
    throw new CliError(
      `application ${app.name} has no environment "${selector.environment}"; known: ${envNames.join(', ')}`,
      EXIT.usage,
    );
  }
  if (!app.profiles[profile]) {
    throw new CliError(
      `application ${app.name} has no profile "${profile}"; known: ${Object.keys(app.profiles).join(', ')}`,
      EXIT.usage,
    );
  }
  const target = repo.targets.find(
    (t) => t.application === app.name && t.environment === selector.environment && t.profile === profile,
  );
  if (!target)
    throw new CliError(`${app.dir}/${selector.environment}/${profile}.yaml is missing or could not be read`);
  return { app, target };
}

/** Common options shared by target-oriented commands. */
export const TARGET_OPTIONS = {
  'app-name': {
    type: 'string',
    description: 'Application (may be omitted when flags/ has one)',
    placeholder: 'NAME',
  },
  environment: {
    type: 'string',
    description: 'Environment, e.g. production',
    placeholder: 'ENV',
    required: true,
  },
  profile: {
    type: 'string',
    description: 'Configuration profile',
    placeholder: 'PROFILE',
    default: 'feature-flags',
  },
} as const;

/** The repository root and the target named by `--app-name` / `--environment` / `--profile`. */
export function targetFromArgs(
  args: ParsedArgs,
  io: Pick<CliIO, 'cwd' | 'env'>,
  load: (root: string) => Repository,
): { root: string; repo: Repository; app: Application; target: Target } {
  const root = findRepoRoot(io.cwd, io.env);
  const repo = load(root);
  const { app, target } = selectTarget(repo, {
    appName: args.options['app-name'] as string | undefined,
    environment: args.options['environment'] as string,
    profile: args.options['profile'] as string | undefined,
  });
  return { root, repo, app, target };
}
