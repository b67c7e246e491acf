/**
 * Text from outside (alarm reasons, messages quoting data, API errors) on a runner's log, where a
 * line starting with `::` is a workflow command (`::add-mask::`, `::warning::`, `::stop-commands::`)
 * and a newline starts a new line. GitHub's documented escapes for command data are `%25`, `%0D`
 * and `%0A`; properties also escape `:` and `,`
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
 */

/** A command's message: `%`, CR and LF escaped, so the data stays on its command's line. */
export function escapeCommandData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A command's property value (`file=`, `title=`): `:` ends the list and `,` separates, so both too. */
export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * One plain log line that can never be a command: escaped like command data (so it stays one
 * line), and a leading `::` (after any whitespace, which the runner skips) has its first colon
 * written as `%3A`.
 */
export function logLine(text: string): string {
  return escapeCommandData(text).replace(/^(\s*):/, '$1%3A');
}
