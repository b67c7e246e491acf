/**
 * A target is one values file: an application, one of its environments and a configuration profile
 * (`flags/<app>/<env>/<profile>.yaml`). Every layer names targets; this is the one spelling.
 */

/** The three names that identify a target (what app.yaml and the values file path say). */
export interface TargetRef {
  application: string;
  environment: string;
  profile: string;
}

/** `application/environment/profile`: how logs, plans, comments and errors name a target. */
export function targetId(t: TargetRef): string {
  return `${t.application}/${t.environment}/${t.profile}`;
}

/** Whether two references name the same target. */
export function sameTarget(a: TargetRef, b: TargetRef): boolean {
  return a.application === b.application && a.environment === b.environment && a.profile === b.profile;
}
