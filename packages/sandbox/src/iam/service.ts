/**
 * The sandbox's IAM and STS, as far as the workflows meet them: the roles the repository declares
 * (`aws/iam-roles.json`, what `flagops bootstrap --print-roles` prints, created as the README's
 * set-up says), AssumeRoleWithWebIdentity against each role's trust policy, and the temporary
 * credentials it hands out, which carry the role's permissions: every AWS request made with them
 * is checked against the role's policies, and refused with AccessDeniedException in the
 * service's own error shape when they do not allow the action.
 *
 * Credentials the sandbox prints for people (`AWS_ACCESS_KEY_ID=sandbox`) are the account's
 * administrator's: not a role session, so not restricted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SandboxRequest, type Service, ServiceError } from '../core.ts';
import { OIDC_ISSUER, OidcIssuer } from './oidc.ts';
import { conditionHolds, decide, type PolicyDocument, statements } from './policy.ts';

/** Where the repository declares its roles (relative to its root). */
export const ROLES_FILE = 'aws/iam-roles.json';
export const SANDBOX_ACCOUNT = '000000000000';
const PROVIDER = OIDC_ISSUER.replace(/^https:\/\//, '');

export interface RoleRecord {
  RoleName: string;
  AssumeRolePolicyDocument: PolicyDocument;
  Policies: Array<{ PolicyName: string; PolicyDocument: PolicyDocument }>;
}

interface SessionRecord {
  accessKeyId: string;
  roleName: string;
  sessionName: string;
}

/** IAM's action prefix for each emulated AWS service (AppConfigData's actions are appconfig's). */
const ACTION_PREFIX: Record<string, string> = {
  appconfig: 'appconfig',
  appconfigdata: 'appconfig',
  cloudwatch: 'cloudwatch',
};

export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SandboxIam implements Service {
  readonly name = 'iam';
  readonly oidc = new OidcIssuer();
  roles: RoleRecord[] = [];
  private sessions: SessionRecord[] = [];
  private declared: RoleRecord[] = [];

  /** The roles a repository checkout declares (none when it has no roles file). */
  static declaredIn(dir: string): RoleRecord[] {
    const path = join(dir, ROLES_FILE);
    if (!existsSync(path)) return [];
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { roles?: RoleRecord[] };
    return (parsed.roles ?? []).map((r) => ({
      RoleName: r.RoleName,
      AssumeRolePolicyDocument: r.AssumeRolePolicyDocument,
      Policies: r.Policies ?? [],
    }));
  }

  constructor(declared: RoleRecord[]) {
    this.declared = declared;
    this.roles = structuredClone(declared);
  }

  roleArn(roleName: string): string {
    return `arn:aws:iam::${SANDBOX_ACCOUNT}:role/${roleName}`;
  }

  role(arn: string): RoleRecord | undefined {
    const name = /^arn:aws:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
    return this.roles.find((r) => r.RoleName === name);
  }

  /**
   * STS AssumeRoleWithWebIdentity: the token must be one GitHub's provider (this sandbox) signed
   * and the role's trust policy must allow it, its conditions over the token's claims as
   * `token.actions.githubusercontent.com:<claim>` keys. AWS answers a mismatch with AccessDenied
   * "Not authorized to perform sts:AssumeRoleWithWebIdentity".
   */
  assumeRoleWithWebIdentity(
    roleArn: string,
    webIdentityToken: string,
    sessionName: string,
    nowMs: number,
  ): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    const claims = this.oidc.verify(webIdentityToken, nowMs);
    if (!claims)
      throw new StsError(
        'InvalidIdentityToken',
        'Couldn\u2019t retrieve verification key from your identity provider',
      );
    const role = this.role(roleArn);
    const context = Object.fromEntries(
      Object.entries(claims).map(([k, v]) => [`${PROVIDER}:${k}`, String(v)]),
    );
    const trusted =
      role !== undefined &&
      statements(role.AssumeRolePolicyDocument).some(
        (s) =>
          s.Effect === 'Allow' &&
          [s.Action ?? []].flat().includes('sts:AssumeRoleWithWebIdentity') &&
          federatedBy(s.Principal) &&
          conditionHolds(s.Condition, context),
      ) &&
      !statements(role.AssumeRolePolicyDocument).some(
        (s) => s.Effect === 'Deny' && conditionHolds(s.Condition, context),
      );
    if (!trusted)
      throw new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    const session: SessionRecord = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      roleName: role.RoleName,
      sessionName,
    };
    this.sessions.push(session);
    return {
      accessKeyId: session.accessKeyId,
      secretAccessKey: randomBytes(20).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
    };
  }

  /**
   * Whether the credentials a request is signed with may perform `operation` of `service`: the
   * error to answer with when not, undefined when allowed. Requests not signed with a role
   * session's key (the administrator's) are not restricted.
   */
  authorize(service: string, operation: string, req: SandboxRequest): ServiceError | undefined {
    const prefix = ACTION_PREFIX[service];
    if (!prefix) return undefined;
    const key = accessKeyOf(req);
    const session = this.sessions.find((s) => s.accessKeyId === key);
    if (!session) return undefined;
    const role = this.roles.find((r) => r.RoleName === session.roleName);
    const action = `${prefix}:${operation}`;
    const verdict = decide(role?.Policies.map((p) => p.PolicyDocument) ?? [], action);
    if (verdict === 'allow') return undefined;
    const who = `arn:aws:sts::${SANDBOX_ACCOUNT}:assumed-role/${session.roleName}/${session.sessionName}`;
    const why =
      verdict === 'deny'
        ? 'with an explicit deny in an identity-based policy'
        : 'because no identity-based policy allows the ' + action + ' action';
    // CloudWatch's Query-compatible code is AccessDenied; the restJson1 services say AccessDeniedException.
    return new ServiceError(
      403,
      service === 'cloudwatch' ? 'AccessDenied' : 'AccessDeniedException',
      `User: ${who} is not authorized to perform: ${action} ${why}`,
    );
  }

  resolve(): undefined {
    return undefined;
  }

  encodeError(err: ServiceError) {
    return { status: err.status, body: { message: err.message } };
  }

  throttleError(): ServiceError {
    return new ServiceError(400, 'Throttling', 'Rate exceeded');
  }

  dump(): unknown {
    return { roles: this.roles, sessions: this.sessions };
  }

  load(data: unknown): void {
    const d = data as { roles?: RoleRecord[]; sessions?: SessionRecord[] };
    this.roles = d.roles ?? structuredClone(this.declared);
    this.sessions = d.sessions ?? [];
  }

  reset(): void {
    this.roles = structuredClone(this.declared);
    this.sessions = [];
  }
}

function federatedBy(principal: unknown): boolean {
  const federated = (principal as { Federated?: string | string[] } | undefined)?.Federated;
  return [federated ?? []].flat().some((p) => p.endsWith(`:oidc-provider/${PROVIDER}`));
}

/** The access key id of a SigV4-signed request (header or presigned query). */
function accessKeyOf(req: SandboxRequest): string | undefined {
  const header = req.headers['authorization'] ?? '';
  const fromHeader = /Credential=([^/,\s]+)\//.exec(header)?.[1];
  return fromHeader ?? req.query.get('X-Amz-Credential')?.split('/')[0];
}
