/**
 * Who the token acts as, for matching our own comments. `GET /user` works for personal and
 * emulated users' tokens; the Actions `GITHUB_TOKEN` and App installation tokens get 403 there, and then
 * the bot's login is the best answer (`github-actions[bot]` unless the caller knows better).
 */
import type { Octokit } from './octokit.ts';

export const ACTIONS_BOT = 'github-actions[bot]';

export async function tokenLogin(octokit: Octokit, fallback: string = ACTIONS_BOT): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    return data.login;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401 || status === 403 || status === 404) return fallback;
    throw error;
  }
}
