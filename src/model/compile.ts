/**
 * The compiler: one target (application × environment × profile) → the exact bytes flagops hands to
 * AppConfig's CreateHostedConfigurationVersion.
 *
 * API (others code against this):
 *
 *   compileTarget(app, target): CompileResult
 *     { ok: true,  document: { content: Buffer, contentType: 'application/json', sha256, size } }
 *     { ok: false, diagnostics: Diagnostic[] }            every problem found, never only the first
 *
 *   canonicalJson(value): string                           sorted keys, compact; throws NotJsonError
 *   decompileFeatureFlags(content): DecompileResult        deployed document → flag → {enabled, attributes}
 *   normaliseDeployedContent(content, profileType)         deployed bytes without AppConfig's metadata,
 *                                                          re-canonicalised: equal sha256 ⇔ same content
 *   HOSTED_CONFIGURATION_LIMIT_BYTES                       AppConfig's 1 MB hosted-configuration limit
 *
 * - `AWS.AppConfig.FeatureFlags` profiles compile to `{ version: "1", flags, values }` (see
 *   compile-feature-flags.ts for the rules checked); `AWS.Freeform` profiles compile to their data.
 * - The bytes are canonical JSON (compile-json.ts): the same content in any key order gives the same
 *   bytes and sha256, so the pipeline can tell "already deployed" by hash (README promise 3).
 * - Compact, not pretty: AppConfig's limit counts bytes, and people read documents through
 *   `flagops compile`, which may pretty-print.
 * - Pure: no I/O; diagnostics point at the values file or app.yaml through the loader's locations.
 */
import { createHash } from 'node:crypto';
import { decompileFeatureFlags, normaliseDeployedContent } from './compile-decompile.ts';
import { buildFeatureFlagsDocument } from './compile-feature-flags.ts';
import { canonicalJson, NotJsonError } from './compile-json.ts';
import { error, targetPosition } from './compile-locate.ts';
import { compareDiagnostics } from './diagnostics.ts';
import type { Application, Diagnostic, Repository, Target } from './types.ts';
import { targetId } from './types.ts';

export type { DecompileResult } from './compile-decompile.ts';
export { decompileFeatureFlags, normaliseDeployedContent } from './compile-decompile.ts';
export {
  FEATURE_FLAG_KEY_PATTERN,
  MAX_ATTRIBUTES_PER_FLAG,
} from './compile-feature-flags.ts';
export { canonicalJson, NotJsonError } from './compile-json.ts';

/**
 * AppConfig refuses hosted configurations over 1 MB with PayloadTooLargeException; its error reports
 * the limit as 1024 KILOBYTES, so the limit is counted in binary units.
 */
export const HOSTED_CONFIGURATION_LIMIT_BYTES = 1024 * 1024;

export interface CompiledDocument {
  /** UTF-8 canonical JSON, exactly what is uploaded. */
  content: Buffer;
  contentType: 'application/json';
  /** Hex sha256 of `content`. */
  sha256: string;
  /** `content.length` in bytes. */
  size: number;
}

export type CompileResult =
  | { ok: true; document: CompiledDocument }
  | { ok: false; diagnostics: Diagnostic[] };

export function compileTarget(app: Application, target: Target): CompileResult {
  const diagnostics: Diagnostic[] = [];
  let documentValue: unknown;
  if (target.profileType === 'AWS.AppConfig.FeatureFlags') {
    const built = buildFeatureFlagsDocument(app, target);
    diagnostics.push(...built.diagnostics);
    documentValue = built.document;
  } else {
    if (target.data === undefined) {
      diagnostics.push(
        error(
          'empty-document',
          `${target.file} holds no data; a freeform profile deploys its data as JSON: write at least {}`,
          targetPosition(target, ''),
        ),
      );
    }
    documentValue = target.data;
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics: diagnostics.sort(compareDiagnostics) };

  let text: string;
  try {
    text = canonicalJson(documentValue);
  } catch (cause) {
    if (!(cause instanceof NotJsonError)) throw cause;
    const path = target.profileType === 'AWS.Freeform' ? cause.path : valuesPath(cause.path);
    return {
      ok: false,
      diagnostics: [error('not-json', `"${cause.path}": ${cause.message}`, targetPosition(target, path))],
    };
  }

  const content = Buffer.from(text, 'utf8');
  if (content.length > HOSTED_CONFIGURATION_LIMIT_BYTES) {
    return {
      ok: false,
      diagnostics: [
        error(
          'document-too-large',
          `${targetId(target)} compiles to ${content.length.toLocaleString('en')} bytes; AppConfig hosted configurations are limited to ${HOSTED_CONFIGURATION_LIMIT_BYTES.toLocaleString('en')} bytes (1 MB): split the flags across several profiles or move bulky settings out of this one`,
          targetPosition(target, ''),
        ),
      ],
    };
  }
  return {
    ok: true,
    document: {
      content,
      contentType: 'application/json',
      sha256: createHash('sha256').update(content).digest('hex'),
      size: content.length,
    },
  };
}

/** File order, so a list of problems reads top to bottom like the files. */
/** `values.flag.attr` in the compiled document is `flag.attr` in the values file. */
function valuesPath(documentPath: string): string {
  return documentPath.startsWith('values.') ? documentPath.slice('values.'.length) : '';
}

/** Same bytes, or — for feature flags, whose definitions may have moved on — the same values. */
export function matchesDeployed(app: Application, target: Target, deployed: Buffer): boolean {
  const compiled = compileTarget(app, target);
  if (!compiled.ok) return false;
  const normalised = normaliseDeployedContent(deployed, target.profileType);
  if (normalised?.equals(compiled.document.content)) return true;
  if (target.profileType !== 'AWS.AppConfig.FeatureFlags') return false;
  const a = decompileFeatureFlags(compiled.document.content);
  const b = decompileFeatureFlags(deployed);
  return a.ok && b.ok && canonicalJson(a.flags) === canonicalJson(b.flags);
}

/**
 * Why each target of a loaded repository cannot compile (the document limit included), for
 * validate and the plan alike. A file that failed to load has already said why; compiling it would
 * only repeat that.
 */
export function compileDiagnostics(repo: Repository): Diagnostic[] {
  const broken = new Set(repo.diagnostics.filter((d) => d.severity === 'error').map((d) => d.position.file));
  const out: Diagnostic[] = [];
  for (const target of repo.targets) {
    const app = repo.applications[target.application];
    if (!app || broken.has(target.file)) continue;
    const compiled = compileTarget(app, target);
    if (!compiled.ok) out.push(...compiled.diagnostics);
  }
  return out;
}
