/**
 * Which Node flagops runs on. 22 is the floor: Node 20 reached its end of life in April 2026 and
 * the AWS SDK for JavaScript v3 requires 22 in releases from January 2027
 * (https://github.com/aws/aws-sdk-js-v3#supported-nodejs-versions); the actions run on node24.
 * On an older Node the CLI says so in one line of its own instead of the SDK's eight-line warning.
 */
export const MIN_NODE_MAJOR = 22;

/** The line to print on an unsupported Node, or undefined on a supported one. */
export function nodeSupportNotice(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major) || major >= MIN_NODE_MAJOR) return undefined;
  return `flagops: Node ${version} is not supported; use Node ${MIN_NODE_MAJOR} or newer (carrying on)\n`;
}

/** Silence the SDK's NodeVersionSupportWarning (its documented switch); our notice covers it. */
export function silenceSdkNodeWarning(env: NodeJS.ProcessEnv): void {
  env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
}
