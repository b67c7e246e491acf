/**
 * Workflow commands in a step's output, applied as the runner does
 * (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/workflow-commands-for-github-actions):
 * `::add-mask::` hides a value from every later line, `::error`/`::warning`/`::notice` become
 * annotations, `::group::`/`::endgroup::` fold the log, `::stop-commands::` suspends processing.
 * The env files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE) are parsed here too.
 */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
}

export class Masker {
  private readonly secrets = new Set<string>();
  add(value: string): void {
    for (const line of value.split(/\r?\n/)) if (line.trim().length > 0) this.secrets.add(line);
  }
  mask(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is hidden whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
    return out;
  }
}

function unescapeData(s: string): string {
  return s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}

function unescapeProperty(s: string): string {
  return unescapeData(s).replaceAll('%3A', ':').replaceAll('%2C', ',');
}

export class CommandProcessor {
  private stopToken: string | undefined;
  readonly annotations: Annotation[] = [];

  constructor(
    private readonly masker: Masker,
    private readonly log: (line: string) => void,
  ) {}

  line(raw: string): void {
    const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(raw);
    if (!match) {
      this.log(this.masker.mask(raw));
      return;
    }
    const [, command = '', props = '', rest = ''] = match;
    if (this.stopToken !== undefined) {
      if (command === this.stopToken) this.stopToken = undefined;
      this.log(this.masker.mask(raw));
      return;
    }
    const data = unescapeData(rest);
    const properties = Object.fromEntries(
      props
        .split(',')
        .filter((p) => p.includes('='))
        .map((p) => [p.slice(0, p.indexOf('=')).trim(), unescapeProperty(p.slice(p.indexOf('=') + 1))]),
    );
    switch (command) {
      case 'add-mask':
        this.masker.add(data);
        return;
      case 'stop-commands':
        this.stopToken = data;
        return;
      case 'group':
        this.log(`##[group]${this.masker.mask(data)}`);
        return;
      case 'endgroup':
        this.log('##[endgroup]');
        return;
      case 'debug':
        return;
      case 'error':
      case 'warning':
      case 'notice': {
        const message = this.masker.mask(data);
        const title = properties['title'] !== undefined ? this.masker.mask(properties['title']) : undefined;
        this.annotations.push({ level: command, message, ...(title !== undefined ? { title } : {}) });
        this.log(`##[${command}]${message}`);
        return;
      }
      default:
        this.log(this.masker.mask(raw));
    }
  }
}

/** `NAME=value` lines and `NAME<<DELIMITER … DELIMITER` blocks, as the runner reads env files. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter = ''] = heredoc;
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) body.push(lines[i]!);
      if (i >= lines.length) throw new Error(`Matching delimiter not found '${delimiter}'`);
      out[name] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Invalid format '${line}'`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
