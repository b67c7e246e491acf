/**
 * GitHub's OIDC tokens as the sandbox's runner issues them: a JWT whose claims are the ones GitHub
 * documents (docs.github.com, "OpenID Connect reference": `iss`, `aud`, `sub`, `environment`,
 * `ref`, `sha`, `repository`, `job_workflow_ref`, `event_name`, …), signed with a key only this
 * sandbox knows (HS256, where GitHub signs RS256 with keys published at its JWKS URL), so a token
 * a job makes up itself is refused as AWS refuses a token its provider did not sign.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export const OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

export interface OidcClaims {
  iss: string;
  aud: string;
  sub: string;
  iat: number;
  nbf: number;
  exp: number;
  jti: string;
  [claim: string]: string | number;
}

/** What the runner knows of a job when it asks for a token. */
export interface JobIdentity {
  repository: string;
  repositoryOwner: string;
  /** The job's environment (as the workflow names it), or null. */
  environment: string | null;
  eventName: string;
  ref: string;
  sha: string;
  /** `.github/workflows/<file>` of the run. */
  workflowPath: string;
  actor: string;
  runId: number;
  headRef: string;
  baseRef: string;
}

/**
 * The default subject (GitHub's "Example subject claims"): the environment when the job has one,
 * else `pull_request` for pull request events, else the ref.
 */
export function subjectOf(job: JobIdentity): string {
  const repo = `repo:${job.repository}`;
  if (job.environment) return `${repo}:environment:${job.environment}`;
  if (job.eventName === 'pull_request' || job.eventName === 'pull_request_target')
    return `${repo}:pull_request`;
  return `${repo}:ref:${job.ref}`;
}

export function claimsFor(job: JobIdentity, audience: string, nowMs: number): OidcClaims {
  const iat = Math.floor(nowMs / 1000);
  const workflowRef = `${job.repository}/${job.workflowPath}@${job.ref}`;
  return {
    iss: OIDC_ISSUER,
    aud: audience,
    sub: subjectOf(job),
    ...(job.environment ? { environment: job.environment } : {}),
    ref: job.ref,
    ref_type: job.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    sha: job.sha,
    repository: job.repository,
    repository_owner: job.repositoryOwner,
    actor: job.actor,
    event_name: job.eventName,
    head_ref: job.headRef,
    base_ref: job.baseRef,
    run_id: String(job.runId),
    workflow_ref: workflowRef,
    job_workflow_ref: workflowRef,
    runner_environment: 'github-hosted',
    iat,
    nbf: iat - 5,
    // GitHub's tokens live a few minutes: long enough to exchange, not to keep.
    exp: iat + 300,
    jti: randomUUID(),
  };
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class OidcIssuer {
  private readonly key = randomBytes(32);

  sign(claims: OidcClaims): string {
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sandbox' }))}.${b64url(JSON.stringify(claims))}`;
    return `${head}.${b64url(createHmac('sha256', this.key).update(head).digest())}`;
  }

  /** The claims of a token this issuer signed and that has not expired, else undefined. */
  verify(token: string, nowMs: number): OidcClaims | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const expected = createHmac('sha256', this.key).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as OidcClaims;
    const now = nowMs / 1000;
    return now <= claims.exp && now >= claims.nbf ? claims : undefined;
  }
}
