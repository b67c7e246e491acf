/**
 * The release guard: an AppConfig extension at PRE_START_DEPLOYMENT that lets a deployment start
 * only when flagops started it from `main` (README, "Threat model": deployments behind git's back).
 *
 * flagops' deploy, rollback and revert sign each StartDeployment with a key only the deploy jobs
 * of `main` hold (`FLAGOPS_RELEASE_KEY`, a secret of the main-only deploy environments and of the
 * guard's Lambda): an HMAC-SHA256 over the application, environment and profile ids and the
 * version's flagops label (`flagops.<commit>.<sha256 16>`). The signature and label travel as the
 * deployment's dynamic extension parameters. The guard recomputes the HMAC and checks that the
 * content AppConfig is about to deploy hashes to the label's content hash, so a signature cannot
 * be reused for other content, another environment or another profile.
 *
 * Break glass: a deployment with the dynamic parameter `break_glass` set to a reason (at least
 * BREAK_GLASS_MIN characters) starts without a signature; the guard records it in the Lambda's log,
 * and `flagops drift` reports it as drift afterwards.
 *
 * Pure apart from node:crypto: the Lambda entry (`lambda.ts`) runs it in AWS; an emulator may run
 * it in-process.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { normaliseDeployedContent } from '../model/compile-decompile.ts';

export const EXTENSION_NAME = 'flagops-release-guard';
export const SIGNATURE_PARAMETER = 'flagops_signature';
export const LABEL_PARAMETER = 'flagops_label';
export const BREAK_GLASS_PARAMETER = 'break_glass';
export const BREAK_GLASS_MIN = 10;

const LABEL = /^flagops\.[A-Za-z0-9-]{1,20}\.([0-9a-f]{16})$/;

export interface ReleaseClaim {
  applicationId: string;
  environmentId: string;
  profileId: string;
  /** The version's flagops label. */
  label: string;
}

/** The HMAC of one release: hex, 64 characters (AppConfig allows 2048 per parameter value). */
export function releaseSignature(key: string, claim: ReleaseClaim): string {
  const message = [claim.applicationId, claim.environmentId, claim.profileId, claim.label].join('\n');
  return createHmac('sha256', key).update(message).digest('hex');
}

/**
 * The dynamic extension parameters flagops sends with a StartDeployment it signs: StartDeployment
 * names each `<extension>#<parameter>`; the action receives them by parameter name.
 */
export function releaseParameters(key: string, claim: ReleaseClaim): Record<string, string> {
  return {
    [`${EXTENSION_NAME}#${LABEL_PARAMETER}`]: claim.label,
    [`${EXTENSION_NAME}#${SIGNATURE_PARAMETER}`]: releaseSignature(key, claim),
  };
}

/**
 * What AppConfig hands a PRE_START_DEPLOYMENT action (the fields the guard reads): ids of the
 * application, environment and profile, the content base64-encoded, and the parameters (the
 * association's and the deployment's dynamic ones).
 */
export interface PreStartDeploymentEvent {
  Application?: { Id?: string; Name?: string };
  Environment?: { Id?: string; Name?: string };
  ConfigurationProfile?: { Id?: string; Name?: string };
  DeploymentNumber?: number;
  ConfigurationVersion?: string;
  Content?: string;
  Parameters?: Record<string, string | undefined>;
}

export type Decision =
  | { allow: true; kind: 'signed'; label: string }
  | { allow: true; kind: 'break-glass'; reason: string }
  | { allow: false; reason: string };

const HOW =
  'deployments of this environment start only from flagops deploy, rollback or revert on main; in an emergency, set the dynamic extension parameter break_glass to a reason';

/** Whether the deployment may start, and why not. `key` undefined fails closed. */
export function decide(event: PreStartDeploymentEvent, key: string | undefined): Decision {
  const params = event.Parameters ?? {};
  const breakGlass = params[BREAK_GLASS_PARAMETER]?.trim();
  if (breakGlass) {
    if (breakGlass.length < BREAK_GLASS_MIN)
      return { allow: false, reason: `break_glass needs a reason of at least ${BREAK_GLASS_MIN} characters` };
    return { allow: true, kind: 'break-glass', reason: breakGlass };
  }
  const label = params[LABEL_PARAMETER];
  const signature = params[SIGNATURE_PARAMETER];
  if (!label || !signature) return { allow: false, reason: `not signed by flagops: ${HOW}` };
  const hash = LABEL.exec(label)?.[1];
  if (!hash)
    return { allow: false, reason: `${JSON.stringify(label)} is not a flagops version label: ${HOW}` };
  if (!key)
    return {
      allow: false,
      reason: 'the release guard has no key (FLAGOPS_RELEASE_KEY): refusing every signed deployment',
    };
  const ids = {
    applicationId: event.Application?.Id ?? '',
    environmentId: event.Environment?.Id ?? '',
    profileId: event.ConfigurationProfile?.Id ?? '',
  };
  if (!sameHex(signature, releaseSignature(key, { ...ids, label })))
    return {
      allow: false,
      reason: `the signature does not match this environment and version label: ${HOW}`,
    };
  const actual = contentHashes(Buffer.from(event.Content ?? '', 'base64'));
  if (!actual.some((h) => h.startsWith(hash)))
    return {
      allow: false,
      reason: `the content (sha256 ${actual[0]?.slice(0, 16)}) is not what label ${label} names: ${HOW}`,
    };
  return { allow: true, kind: 'signed', label };
}

/**
 * The hashes the content may have had when flagops compiled it: its bytes, or, for a feature-flag
 * document, the bytes without the `_createdAt`/`_updatedAt` AppConfig stamps into stored versions.
 */
function contentHashes(content: Buffer): string[] {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const normalised = normaliseDeployedContent(content, 'AWS.AppConfig.FeatureFlags');
  return [sha(content), ...(normalised ? [sha(normalised)] : [])];
}

/** Constant-time comparison, so the answer's timing tells nothing about the right signature. */
function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The Lambda's contract with AppConfig: return to let the deployment start, throw to stop it (the
 * error's message is the reason AppConfig reports). `record` receives one line per decision.
 */
export function preStartDeployment(
  event: PreStartDeploymentEvent,
  key: string | undefined,
  record: (line: string) => void,
): { statusCode: 200 } {
  const decision = decide(event, key);
  record(
    JSON.stringify({
      flagops: 'release-guard',
      application: event.Application?.Id,
      environment: event.Environment?.Id,
      profile: event.ConfigurationProfile?.Id,
      version: event.ConfigurationVersion,
      ...decision,
    }),
  );
  if (!decision.allow) throw new Error(`flagops release guard: ${decision.reason}`);
  return { statusCode: 200 };
}
