/**
 * A small, strict argument parser: `--name value`, `--name=value`, `--flag`, `--no-flag`.
 * Unknown options and missing values are usage errors (exit 2) that say what was expected.
 */
import { CliError, type Command, EXIT, type OptionSpec, type ParsedArgs } from './command.ts';

export function parseArgs(command: Command, argv: string[]): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    let inline: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    let spec: OptionSpec | undefined = command.options[name];
    if (!spec && name.startsWith('no-') && command.options[name.slice(3)]?.type === 'boolean') {
      name = name.slice(3);
      spec = command.options[name];
      if (inline !== undefined) throw usage(command, `--no-${name} takes no value`);
      inline = 'false';
    }
    if (!spec) throw usage(command, `unknown option --${name}${suggest(name, Object.keys(command.options))}`);
    if (spec.type === 'boolean') {
      if (inline === undefined) options[name] = true;
      else if (inline === 'true' || inline === 'false') options[name] = inline === 'true';
      else throw usage(command, `--${name} is a switch: use --${name} or --no-${name}`);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) {
      throw usage(command, `--${name} needs a value${spec.placeholder ? ` (${spec.placeholder})` : ''}`);
    }
    if (spec.type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n))
        throw usage(command, `--${name} must be a number, not "${value}"`);
      options[name] = n;
    } else {
      if (spec.choices && !spec.choices.includes(value)) {
        throw usage(command, `--${name} must be one of ${spec.choices.join(', ')}, not "${value}"`);
      }
      options[name] = value;
    }
  }
  for (const [name, spec] of Object.entries(command.options)) {
    if (options[name] === undefined && spec.default !== undefined) options[name] = spec.default;
    if (options[name] === undefined && spec.required) throw usage(command, `--${name} is required`);
  }
  return { options, positionals };
}

function usage(command: Command, message: string): CliError {
  return new CliError(
    `flagops ${command.name}: ${message}\nRun 'flagops ${command.name} --help' for usage.`,
    EXIT.usage,
  );
}

function suggest(name: string, known: string[]): string {
  const close = known.find((k) => k.startsWith(name) || name.startsWith(k) || distance(k, name) <= 2);
  return close ? ` (did you mean --${close}?)` : '';
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

export function renderHelp(command: Command): string {
  const lines = [
    `Usage: flagops ${command.name}${Object.keys(command.options).length ? ' [options]' : ''}`,
    '',
    command.summary,
  ];
  if (command.description) lines.push('', command.description);
  const entries = Object.entries(command.options);
  if (entries.length) {
    lines.push('', 'Options:');
    const labels = entries.map(([name, spec]) =>
      spec.type === 'boolean'
        ? `--${name}`
        : `--${name} ${spec.placeholder ?? spec.choices?.join('|') ?? 'VALUE'}`,
    );
    const width = Math.max(...labels.map((l) => l.length)) + 2;
    entries.forEach(([, spec], i) => {
      const extra = [
        spec.required ? 'required' : '',
        spec.default !== undefined ? `default: ${spec.default}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${labels[i]!.padEnd(width)}${spec.description}${extra ? ` (${extra})` : ''}`);
    });
  }
  lines.push('', 'Run without arguments for the list of commands.');
  return `${lines.join('\n')}\n`;
}
