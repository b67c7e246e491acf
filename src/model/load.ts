/**
 * The repository loader: every application and every values file under flags/, parsed, validated
 * against the schemas and against each other. It reports every problem it finds and never throws
 * on bad input, so one run shows a pull request's author everything to fix.
 */

import { ROLLOUT_KEY } from '../core/names.ts';
import { buildApplication } from './application.ts';
import { checkApplication } from './application-checks.ts';
import { checkFlagValues, flagValues } from './definitions.ts';
import { compareDiagnostics, diagnostic, fileStart } from './diagnostics.ts';
import { didYouMean } from './did-you-mean.ts';
import { type AppFiles, FLAGS_DIR, readLayout } from './layout.ts';
import { schemaDiagnostics } from './schema-errors.ts';
import {
  appValidator,
  BUNDLED_SCHEMAS,
  featureFlagsValidator,
  userSchemaValidator,
  type ValidateFunction,
} from './schemas.ts';
import type { RepoSource } from './source.ts';
import { excerpt } from './text.ts';
import type { Application, Diagnostic, ProfileDefinition, Repository, RolloutPlan, Target } from './types.ts';
import { isRecord, optionalNumber, optionalString } from './values.ts';
import { type ParsedYaml, parseYamlFile } from './yaml.ts';

/** A schema file name in schemas/: no directories, so it can never point elsewhere. */
const SCHEMAS_DIR = 'schemas';

const SCHEMA_FILE = /^[a-zA-Z0-9][a-zA-Z0-9_-]*(\.[a-zA-Z0-9_-]+)*\.json$/;

export function loadRepository(source: RepoSource): Repository {
  const diagnostics: Diagnostic[] = [];
  const applications: Record<string, Application> = {};
  const targets: Target[] = [];
  diagnostics.push(...irregularFiles(source));
  const layout = readLayout(source.list(FLAGS_DIR));
  diagnostics.push(...layout.diagnostics);
  for (const files of layout.apps.values()) {
    const loaded = loadApplication(source, files, diagnostics);
    if (loaded) applications[files.name] = loaded;
    targets.push(...loadTargets(source, files, loaded, diagnostics));
  }
  diagnostics.sort(compareDiagnostics);
  return { root: source.root, applications, targets, diagnostics };
}

/**
 * Symbolic links, submodules and special files under flags/ and schemas/ are refused, never read:
 * the tree of a pull request is data, and a link could point at anything on the runner.
 */
function irregularFiles(source: RepoSource): Diagnostic[] {
  return [FLAGS_DIR, SCHEMAS_DIR].flatMap((dir) =>
    source
      .irregular(dir)
      .map((e) =>
        diagnostic(
          'not-a-regular-file',
          fileStart(e.path),
          `${e.path} is a ${e.kind}; flagops reads only regular files under ${FLAGS_DIR}/ and ${SCHEMAS_DIR}/ and never follows links. Commit the file's content instead.`,
        ),
      ),
  );
}

function parse(source: RepoSource, path: string, diagnostics: Diagnostic[]): ParsedYaml | undefined {
  const bytes = source.read(path);
  if (bytes === undefined) {
    diagnostics.push(diagnostic('missing-file', fileStart(path), 'file could not be read.'));
    return undefined;
  }
  const parsed = parseYamlFile(path, bytes);
  diagnostics.push(...parsed.diagnostics);
  return parsed;
}

function loadApplication(
  source: RepoSource,
  files: AppFiles,
  diagnostics: Diagnostic[],
): Application | undefined {
  if (files.appFile === undefined) {
    const first = [...files.values.values()].flatMap((m) => [...m.values()])[0] ?? `${files.dir}/app.yaml`;
    diagnostics.push(
      diagnostic(
        'missing-app-file',
        fileStart(first),
        `${files.dir}/ has values files but no app.yaml; create ${files.dir}/app.yaml declaring its profiles and environments.`,
      ),
    );
    return undefined;
  }
  const parsed = parse(source, files.appFile, diagnostics);
  if (!parsed || !isRecord(parsed.value)) return undefined;
  const data = parsed.value;
  diagnostics.push(...validate(appValidator(), data, parsed));
  const locations = parsed.index.locations((p) => parsed.scalarPaths.has(p));
  const app = buildApplication(data, files.name, files.dir, locations);
  diagnostics.push(...checkApplication(app, data['application'], parsed.index));
  return app;
}

function validate(validator: ValidateFunction, data: unknown, parsed: ParsedYaml): Diagnostic[] {
  if (validator(data)) return [];
  return schemaDiagnostics(validator.errors ?? [], parsed.index);
}

function loadTargets(
  source: RepoSource,
  files: AppFiles,
  app: Application | undefined,
  diagnostics: Diagnostic[],
): Target[] {
  if (!app) {
    // Without a usable app.yaml the values cannot be judged, but their YAML still can.
    for (const byProfile of files.values.values())
      for (const path of byProfile.values()) parse(source, path, diagnostics);
    return [];
  }
  reportUndeclared(files, app, diagnostics);
  const targets: Target[] = [];
  const schemas = new Map<string, ValidateFunction | undefined>();
  for (const env of app.environments) {
    for (const profile of Object.values(app.profiles)) {
      const path = files.values.get(env.name)?.get(profile.name);
      if (path === undefined) {
        const expected = `${files.dir}/${env.name}/${profile.name}.yaml`;
        diagnostics.push(
          diagnostic(
            'missing-values-file',
            app.locations[`environments.${env.name}`] ?? fileStart(`${files.dir}/app.yaml`),
            `${expected} is missing: profile \`${profile.name}\` needs a values file in every environment; create it.`,
          ),
        );
        continue;
      }
      const parsed = parse(source, path, diagnostics);
      if (!parsed || !isRecord(parsed.value)) continue;
      const base = {
        application: app.name,
        environment: env.name,
        profile: profile.name,
        file: path,
        profileType: profile.type,
        locations: parsed.index.locations((p) => parsed.scalarPaths.has(p)),
      };
      if (profile.type === 'AWS.Freeform') {
        if (!schemas.has(profile.name))
          schemas.set(profile.name, freeformSchema(source, app, profile, diagnostics));
        const validator = schemas.get(profile.name);
        if (validator) diagnostics.push(...validate(validator, parsed.value, parsed));
        targets.push({ ...base, data: parsed.value });
      } else {
        diagnostics.push(...featureFlagDiagnostics(parsed.value, app, parsed));
        const rollout = rolloutPlan(parsed.value[ROLLOUT_KEY]);
        targets.push({ ...base, flags: flagValues(parsed.value), ...(rollout && { rollout }) });
      }
    }
  }
  return targets;
}

function featureFlagDiagnostics(
  data: Record<string, unknown>,
  app: Application,
  parsed: ParsedYaml,
): Diagnostic[] {
  const fromSchema = validate(featureFlagsValidator(), data, parsed);
  // The generic schema and the definitions can both object to one value; say it once.
  const reported = new Set(fromSchema.map((d) => `${d.position.line}:${d.position.column}`));
  const fromDefinitions = checkFlagValues(data, app, parsed.index).filter(
    (d) => !reported.has(`${d.position.line}:${d.position.column}`),
  );
  return [...fromSchema, ...fromDefinitions, ...rolloutDiagnostics(data, app, parsed)];
}

function rolloutDiagnostics(
  data: Record<string, unknown>,
  app: Application,
  parsed: ParsedYaml,
): Diagnostic[] {
  const plan = rolloutPlan(data[ROLLOUT_KEY]);
  if (!plan) return [];
  const flag = app.flags[plan.flag];
  if (!flag) {
    return [
      diagnostic(
        'unknown-flag',
        parsed.index.value(`${ROLLOUT_KEY}.flag`),
        `\`_rollout.flag\` names \`${plan.flag}\`, which is not declared in ${app.dir}/app.yaml.${didYouMean(plan.flag, Object.keys(app.flags))}`,
      ),
    ];
  }
  if (flag.attributes[plan.attribute]?.type !== 'number') {
    return [
      diagnostic(
        'unknown-attribute',
        parsed.index.value(`${ROLLOUT_KEY}.attribute`),
        `\`_rollout.attribute\` names \`${plan.attribute}\`, which is not a number attribute of \`${plan.flag}\`.${didYouMean(plan.attribute, Object.keys(flag.attributes))}`,
      ),
    ];
  }
  return [];
}

function rolloutPlan(value: unknown): RolloutPlan | undefined {
  if (!isRecord(value)) return undefined;
  const flag = optionalString(value['flag']);
  const attribute = optionalString(value['attribute']);
  const target = optionalNumber(value['target']);
  const step = optionalNumber(value['step']);
  const waitMinutes = optionalNumber(value['wait_minutes']);
  if (flag === undefined || attribute === undefined || target === undefined || step === undefined)
    return undefined;
  if (waitMinutes === undefined) return undefined;
  return { flag, attribute, target, step, waitMinutes };
}

/** The validator for a freeform profile: the repository's schemas/<file>, else the bundled copy. */
function freeformSchema(
  source: RepoSource,
  app: Application,
  profile: ProfileDefinition,
  diagnostics: Diagnostic[],
): ValidateFunction | undefined {
  const name = profile.schema;
  if (name === undefined) return undefined;
  const at = app.locations[`profiles.${profile.name}.schema`] ?? fileStart(`${app.dir}/app.yaml`);
  if (!SCHEMA_FILE.test(name)) {
    // The schema already rejects it; this guard keeps the read itself inside schemas/.
    return undefined;
  }
  const bytes = source.read(`schemas/${name}`);
  const bundled = BUNDLED_SCHEMAS[name];
  const text = bytes !== undefined ? bytes.toString('utf8') : bundled ? JSON.stringify(bundled) : undefined;
  if (text === undefined) {
    diagnostics.push(
      diagnostic(
        'missing-schema',
        at,
        `schema file schemas/${name} does not exist; add it or correct the name.${didYouMean(name, Object.keys(BUNDLED_SCHEMAS))}`,
      ),
    );
    return undefined;
  }
  const compiled = userSchemaValidator(text);
  if (!compiled.ok) {
    diagnostics.push(
      diagnostic(
        'schema',
        at,
        `schemas/${name} is not a usable JSON Schema: ${excerpt(compiled.message, 160)}.`,
      ),
    );
    return undefined;
  }
  return compiled.validate;
}

/** Values files for environments or profiles that app.yaml does not declare. */
function reportUndeclared(files: AppFiles, app: Application, diagnostics: Diagnostic[]): void {
  const envNames = app.environments.map((e) => e.name);
  const profileNames = Object.keys(app.profiles);
  for (const [env, byProfile] of files.values) {
    for (const [profile, path] of byProfile) {
      if (!envNames.includes(env)) {
        diagnostics.push(
          diagnostic(
            'unknown-environment',
            fileStart(path),
            `environment \`${env}\` is not declared under \`environments:\` in ${app.dir}/app.yaml (${envNames.join(', ')}); declare it or move the file.${didYouMean(env, envNames)}`,
          ),
        );
      } else if (!profileNames.includes(profile)) {
        diagnostics.push(
          diagnostic(
            'unknown-profile',
            fileStart(path),
            `profile \`${profile}\` is not declared under \`profiles:\` in ${app.dir}/app.yaml (${profileNames.join(', ')}); declare it or rename the file.${didYouMean(profile, profileNames)}`,
          ),
        );
      }
    }
  }
}
