/**
 * The release guard's Lambda entry point (AppConfig extension action at PRE_START_DEPLOYMENT).
 * Its key is the function's environment variable FLAGOPS_RELEASE_KEY (set it from Secrets Manager
 * when deploying the function). What it decided goes to the function's log (CloudWatch Logs).
 */
import { type PreStartDeploymentEvent, preStartDeployment } from './release-guard.ts';

export async function handler(event: PreStartDeploymentEvent): Promise<{ statusCode: 200 }> {
  return preStartDeployment(event, process.env.FLAGOPS_RELEASE_KEY, (line) => console.log(line));
}
