/**
 * Where files belong under flags/: `<app>/app.yaml` and `<app>/<environment>/<profile>.yaml`.
 * Names become directory and AppConfig resource names, so they must be safe and simple.
 */
import { diagnostic, fileStart } from './diagnostics.ts';
import type { Diagnostic } from './types.ts';

export const FLAGS_DIR = 'flags';
export const APP_FILE = 'app.yaml';
export const SAFE_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface AppFiles {
  name: string;
  dir: string;
  /** `flags/<app>/app.yaml` when present. */
  appFile?: string;
  /** Values files: environment → profile → path. */
  values: Map<string, Map<string, string>>;
}

export interface Layout {
  apps: Map<string, AppFiles>;
  diagnostics: Diagnostic[];
}

/** Sorts the listing of flags/ into applications, reporting files that have no place. */
export function readLayout(paths: readonly string[]): Layout {
  const apps = new Map<string, AppFiles>();
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const parts = path.split('/');
    // Only YAML is configuration; READMEs and other notes may sit anywhere.
    const isYaml = /\.ya?ml$/.test(path);
    if (parts[0] !== FLAGS_DIR || !isYaml) continue;
    if (parts.length < 3) {
      diagnostics.push(
        misplaced(
          path,
          `${FLAGS_DIR}/ holds one directory per application: ${FLAGS_DIR}/<application>/${APP_FILE}`,
        ),
      );
      continue;
    }
    const [, appName = '', second = '', third] = parts;
    if (!SAFE_NAME.test(appName)) {
      diagnostics.push(unsafeName(path, 'application', appName));
      continue;
    }
    const dir = `${FLAGS_DIR}/${appName}`;
    let app = apps.get(appName);
    if (!app) {
      app = { name: appName, dir, values: new Map() };
      apps.set(appName, app);
    }
    if (parts.length === 3) {
      if (second === APP_FILE) app.appFile = path;
      else
        diagnostics.push(
          misplaced(
            path,
            `only ${APP_FILE} belongs directly in ${dir}/; values go in <environment>/<profile>.yaml`,
          ),
        );
      continue;
    }
    if (parts.length > 4 || third === undefined) {
      diagnostics.push(
        misplaced(path, `values files sit one level down: ${dir}/<environment>/<profile>.yaml`),
      );
      continue;
    }
    if (!SAFE_NAME.test(second)) {
      diagnostics.push(unsafeName(path, 'environment', second));
      continue;
    }
    if (!third.endsWith('.yaml')) {
      diagnostics.push(
        misplaced(path, `values files end in .yaml; rename it to ${third.replace(/\.yml$/, '.yaml')}`),
      );
      continue;
    }
    const profile = third.slice(0, -'.yaml'.length);
    if (!SAFE_NAME.test(profile)) {
      diagnostics.push(unsafeName(path, 'profile', profile));
      continue;
    }
    let byProfile = app.values.get(second);
    if (!byProfile) {
      byProfile = new Map();
      app.values.set(second, byProfile);
    }
    byProfile.set(profile, path);
  }
  return { apps, diagnostics };
}

function unsafeName(path: string, kind: string, name: string): Diagnostic {
  return diagnostic(
    'unsafe-name',
    fileStart(path),
    `${kind} name \`${name}\` is not allowed: use lowercase letters, digits and '-' (start with a letter or digit, at most 64 characters).`,
  );
}

function misplaced(path: string, hint: string): Diagnostic {
  return diagnostic('unexpected-file', fileStart(path), `unexpected file: ${hint}.`);
}
