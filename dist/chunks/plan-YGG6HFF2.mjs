import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  buildPlan,
  changeSubject,
  formatAfter,
  formatBefore
} from "./chunk-XNWI2L7O.mjs";
import {
  policyNow
} from "./chunk-IMSBEPII.mjs";
import "./chunk-CJGDFX3A.mjs";
import "./chunk-MKBKQ2QT.mjs";
import {
  mdCode,
  mdCodeBlock,
  mdProse,
  mdTableCode
} from "./chunk-PX4VJDWW.mjs";
import {
  loadRevision,
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import "./chunk-KAJDPQA3.mjs";
import {
  findRepoRoot
} from "./chunk-SLK3YAOL.mjs";
import "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/plan/render-json.ts
function renderJson(plan) {
  const ordered = {
    version: plan.version,
    baseLabel: plan.baseLabel,
    checkedAt: plan.checkedAt,
    verdict: plan.verdict,
    summary: {
      targets: plan.summary.targets,
      errors: plan.summary.errors,
      warnings: plan.summary.warnings,
      notes: plan.summary.notes
    },
    targets: plan.targets.map(orderTarget),
    approvals: plan.approvals.map(orderApprovals),
    otherFindings: plan.otherFindings.map(orderFinding),
    diagnostics: plan.diagnostics.map(orderDiagnostic)
  };
  return `${JSON.stringify(ordered, null, 2)}
`;
}
function orderTarget(t) {
  return {
    id: t.id,
    application: t.application,
    environment: t.environment,
    profile: t.profile,
    profileType: t.profileType,
    file: t.file,
    status: t.status,
    changes: t.changes.map(orderChange),
    findings: t.findings.map(orderFinding),
    rollout: t.rollout ? orderRollout(t.rollout) : null,
    onBreach: t.onBreach
  };
}
function orderChange(c) {
  return {
    kind: c.kind,
    flag: c.flag ?? null,
    attribute: c.attribute ?? null,
    path: c.path ?? null,
    before: Object.hasOwn(c, "before") ? c.before : null,
    after: Object.hasOwn(c, "after") ? c.after : null,
    present: { before: Object.hasOwn(c, "before"), after: Object.hasOwn(c, "after") },
    direction: c.direction
  };
}
function orderFinding(f) {
  return {
    rule: f.rule,
    severity: f.severity,
    targets: [...f.targets],
    flag: f.flag ?? null,
    attribute: f.attribute ?? null,
    message: f.message,
    position: { file: f.position.file, line: f.position.line, column: f.position.column }
  };
}
function orderRollout(r) {
  const s = r.strategy;
  return {
    strategy: {
      name: s.name,
      known: s.known,
      growthType: s.growthType ?? null,
      growthFactor: s.growthFactor ?? null,
      durationMinutes: s.durationMinutes ?? null,
      finalBakeMinutes: s.finalBakeMinutes ?? null
    },
    bakeMinutes: r.bakeMinutes,
    totalMinutes: r.totalMinutes ?? null,
    guards: r.guards.map((g) => ({
      name: g.name,
      description: g.description ?? null,
      breachWhen: g.breachWhen,
      consecutive: g.consecutive,
      periodSeconds: g.periodSeconds
    })),
    unknownGuards: [...r.unknownGuards],
    alarms: [...r.alarms]
  };
}
function orderApprovals(a) {
  return {
    application: a.application,
    approvals: a.approvals,
    environment: a.environment ?? null,
    reason: a.reason,
    dismissStale: a.dismissStale,
    reviewers: a.reviewers ? [...a.reviewers] : null
  };
}
function orderDiagnostic(d) {
  return {
    severity: d.severity,
    code: d.code,
    message: d.message,
    position: { file: d.position.file, line: d.position.line, column: d.position.column }
  };
}

// src/plan/render-text.ts
var RED = "31";
var GREEN = "32";
var YELLOW = "33";
var DIM = "2";
var BOLD = "1";
function renderText(plan, options) {
  const paint = options.color ? (code, text) => `\x1B[${code}m${text}\x1B[0m` : (_code, text) => text;
  const lines = [];
  const verdict = plan.verdict === "pass" ? paint(GREEN, "PASS") : paint(RED, "FAIL");
  const { errors, warnings, notes, targets } = plan.summary;
  lines.push(
    `${paint(BOLD, "flagops plan")}: ${verdict} — ${count(errors, "error")}, ${count(warnings, "warning")}, ${count(notes, "note")}; ${count(targets, "target")} changed (compared with ${plan.baseLabel}, checked at ${plan.checkedAt})`
  );
  if (plan.targets.length === 0) lines.push("", "No target changes.");
  for (const target of plan.targets) lines.push("", ...targetLines(target, paint));
  if (plan.otherFindings.length > 0) {
    lines.push("", paint(BOLD, "Elsewhere in the repository"));
    for (const f of plan.otherFindings) lines.push(`  ${findingLine(f, paint)}`);
  }
  if (plan.diagnostics.length > 0) {
    lines.push("", paint(BOLD, "Problems in the repository"));
    for (const d of plan.diagnostics) {
      const where = `${d.position.file}:${d.position.line}:${d.position.column}`;
      lines.push(`  ${where}: ${paint(d.severity === "error" ? RED : YELLOW, d.severity)}: ${d.message}`);
    }
  }
  for (const p of plan.policyChanges) {
    lines.push(
      "",
      paint(BOLD, `Policy changes in ${p.application} (judged by the base's rules until merged)`)
    );
    for (const c of p.changes) lines.push(`  ${c}`);
  }
  if (plan.approvals.length > 0) {
    lines.push("", paint(BOLD, "Approvals"));
    for (const a of plan.approvals) {
      const stale = a.dismissStale ? "; approvals on older commits do not count" : "";
      const who = a.reviewers ? `; only ${a.reviewers.join(", ")} count` : "";
      lines.push(`  ${a.application}: ${count(a.approvals, "approval")} (${a.reason}${stale}${who})`);
    }
  }
  return `${lines.join("\n")}
`;
}
function targetLines(target, paint) {
  const lines = [`${paint(BOLD, target.id)} (${target.status}) ${paint(DIM, target.file)}`];
  for (const change of target.changes) lines.push(`  ${changeLine(change, paint)}`);
  for (const f of target.findings) lines.push(`  ${findingLine(f, paint)}`);
  if (target.rollout) lines.push(...rolloutLines(target.rollout).map((l) => `  ${l}`));
  lines.push(`  ${target.onBreach}`);
  return lines;
}
function changeLine(change, paint) {
  const arrow2 = change.direction === "up" ? paint(YELLOW, "↑") : change.direction === "down" ? paint(GREEN, "↓") : " ";
  const label = change.kind === "flag-added" ? " (new flag)" : change.kind === "flag-removed" ? " (flag removed)" : "";
  return `${arrow2} ${changeSubject(change)}: ${formatBefore(change)} → ${formatAfter(change)}${label}`;
}
function findingLine(f, paint) {
  const colour = f.severity === "error" ? RED : f.severity === "warning" ? YELLOW : DIM;
  const label = f.severity === "info" ? "note" : f.severity;
  const where = `${f.position.file}:${f.position.line}:${f.position.column}`;
  return `${paint(colour, `${label} [${f.rule}]`)} ${f.message} ${paint(DIM, `(${where})`)}`;
}
function rolloutLines(rollout) {
  const lines = [describeRollout(rollout)];
  for (const g of rollout.guards) {
    lines.push(`guard ${g.name}: breach when ${g.breachWhen} for ${g.consecutive} × ${g.periodSeconds} s`);
  }
  for (const name of rollout.unknownGuards)
    lines.push(`guard ${name}: not defined in guards: (will not be watched)`);
  if (rollout.alarms.length > 0) lines.push(`alarms: ${rollout.alarms.join(", ")}`);
  return lines;
}
function describeRollout(rollout) {
  const s = rollout.strategy;
  if (!s.known) {
    return `strategy ${s.name} (not defined in strategies: and not a predefined AppConfig strategy), then bake ${rollout.bakeMinutes} min`;
  }
  const total = rollout.totalMinutes !== void 0 ? ` — about ${rollout.totalMinutes} min in all` : "";
  return `strategy ${s.name}: ${s.growthType} ${s.growthFactor}% over ${s.durationMinutes} min, final bake ${s.finalBakeMinutes} min; then flagops bakes ${rollout.bakeMinutes} min${total}`;
}
function count(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

// src/plan/render-markdown.ts
var MARKDOWN_LIMIT = 65e3;
var MAX_ROWS = 100;
var MAX_DIAGNOSTICS = 50;
function renderMarkdown(plan, limit = MARKDOWN_LIMIT) {
  const head = headerSection(plan);
  const tail = [
    policyChangesSection(plan),
    otherFindingsSection(plan),
    diagnosticsSection(plan),
    approvalsSection(plan)
  ].filter(Boolean).join("\n");
  const parts = [head];
  let used = head.length + tail.length + 2;
  let left = 0;
  for (const [i, target] of plan.targets.entries()) {
    const section = targetSection(target);
    if (used + section.length + 300 > limit) {
      left = plan.targets.length - i;
      break;
    }
    parts.push(section);
    used += section.length + 1;
  }
  if (left > 0) {
    parts.push(
      `> **${left} more changed target${left === 1 ? "" : "s"} not shown** — the comment would exceed GitHub's size limit. Run \`flagops plan\` locally or see the job log for the full plan.
`
    );
  }
  if (tail) parts.push(tail);
  return parts.join("\n");
}
function headerSection(plan) {
  const icon = plan.verdict === "pass" ? "✅" : "❌";
  const { errors, warnings, notes, targets } = plan.summary;
  return `## ${icon} flagops plan: **${plan.verdict}**

${count2(errors, "error")}, ${count2(warnings, "warning")}, ${count2(notes, "note")} · ${count2(targets, "target")} changed · compared with ${mdCode(plan.baseLabel)} · checked at ${plan.checkedAt}
` + (targets === 0 ? "\nNo target changes.\n" : "");
}
function targetSection(target) {
  const lines = [`### ${mdCode(target.id)} (${target.status})`, "", `File: ${mdCode(target.file)}`, ""];
  lines.push(...changeTable(target));
  if (target.findings.length > 0) {
    lines.push("", "**Policy**", "");
    for (const f of target.findings) lines.push(findingItem(f));
  } else {
    lines.push("", "**Policy:** all rules pass.");
  }
  if (target.rollout) {
    const r = target.rollout;
    lines.push("", `**Rollout:** ${mdProse(describeRollout(r))}`);
    if (r.guards.length > 0 || r.unknownGuards.length > 0) {
      lines.push("", "**Guards watched**", "");
      for (const g of r.guards) {
        const about = g.description ? ` — ${mdProse(g.description)}` : "";
        lines.push(
          `- ${mdCode(g.name)}: breach when ${mdCode(g.breachWhen)} for ${g.consecutive} consecutive period${g.consecutive === 1 ? "" : "s"} of ${g.periodSeconds} s${about}`
        );
      }
      for (const name of r.unknownGuards)
        lines.push(`- ${mdCode(name)}: ⚠️ not defined in \`guards:\`, will not be watched`);
    }
    if (r.alarms.length > 0) lines.push("", `**Alarms watched:** ${r.alarms.map(mdCode).join(", ")}`);
  }
  lines.push(
    "",
    `**${target.onBreach.startsWith("on breach") ? "On breach" : "Note"}:** ${mdProse(stripPrefix(target.onBreach))}`,
    ""
  );
  return lines.join("\n");
}
function changeTable(target) {
  const freeform = target.profileType === "AWS.Freeform";
  const rows = target.changes.slice(0, MAX_ROWS).map((c) => freeform ? pathRow(c) : flagRow(c));
  const header = freeform ? ["| Path | Before | After |", "|---|---|---|"] : ["| Flag | Attribute | Before | After |", "|---|---|---|---|"];
  const more = target.changes.length - MAX_ROWS;
  return [
    ...header,
    ...rows,
    ...more > 0 ? ["", `… and ${more} more changed value${more === 1 ? "" : "s"}.`] : []
  ];
}
function flagRow(c) {
  const note = c.kind === "flag-added" ? " (new flag)" : c.kind === "flag-removed" ? " (removed)" : "";
  return `| ${mdTableCode(c.flag ?? "")}${note} | ${mdTableCode(c.attribute ?? "")} | ${valueCell(formatBefore(c))} | ${valueCell(formatAfter(c))}${arrow(c)} |`;
}
function pathRow(c) {
  return `| ${mdTableCode(c.path ?? "")} | ${valueCell(formatBefore(c))} | ${valueCell(formatAfter(c))} |`;
}
function arrow(c) {
  return c.direction === "up" ? " ⬆️" : c.direction === "down" ? " ⬇️" : "";
}
function findingItem(f) {
  const icon = f.severity === "error" ? "❌" : f.severity === "warning" ? "⚠️" : "ℹ️";
  const where = `${f.position.file}:${f.position.line}`;
  return `- ${icon} **${f.rule}** — ${mdProse(f.message)} (${mdCode(where)})`;
}
function policyChangesSection(plan) {
  if (plan.policyChanges.length === 0) return "";
  const lines = [
    "### Policy changes",
    "",
    "This pull request changes the rules. It is judged by the base branch's rules; the new ones apply after it merges.",
    ""
  ];
  for (const p of plan.policyChanges) {
    lines.push(`**${mdProse(p.application)}**`, "", mdCodeBlock(p.changes.join("\n"), "diff"), "");
  }
  return lines.join("\n");
}
function otherFindingsSection(plan) {
  if (plan.otherFindings.length === 0) return "";
  return ["### Elsewhere in the repository", "", ...plan.otherFindings.map(findingItem), ""].join("\n");
}
function diagnosticsSection(plan) {
  if (plan.diagnostics.length === 0) return "";
  const shown = plan.diagnostics.slice(0, MAX_DIAGNOSTICS).map((d) => {
    const icon = d.severity === "error" ? "❌" : "⚠️";
    return `- ${icon} ${mdCode(`${d.position.file}:${d.position.line}:${d.position.column}`)} ${mdProse(d.message)}`;
  });
  const more = plan.diagnostics.length - shown.length;
  const tail = more > 0 ? [`- … and ${more} more; run \`flagops validate\` for all of them.`] : [];
  return ["### Problems in the repository", "", ...shown, ...tail, ""].join("\n");
}
function approvalsSection(plan) {
  if (plan.approvals.length === 0) return "";
  const items = plan.approvals.map((a) => {
    const stale = a.dismissStale ? " Approvals given before the latest commit do not count." : "";
    const who = a.reviewers ? ` Only ${a.reviewers.map(mdCode).join(", ")} count.` : "";
    return `- ${mdCode(a.application)}: **${count2(a.approvals, "approval")}** — ${mdProse(a.reason)}.${stale}${who}`;
  });
  return ["### Approvals", "", ...items, ""].join("\n");
}
function stripPrefix(text) {
  return text.replace(/^on breach: /, "");
}
function valueCell(text) {
  return text === "—" ? text : mdTableCode(text);
}
function count2(n, noun) {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

// src/cli/commands/plan.ts
var command = {
  name: "plan",
  summary: "Show what a change does per target, with policy verdicts and approvals",
  description: "Compares the working tree with --base (default: the pull request base in GitHub Actions,\nelse HEAD). Exit 1 when the change breaks policy or does not validate.",
  options: {
    base: { type: "string", description: "Git revision to compare with", placeholder: "REF" },
    format: {
      type: "string",
      description: "Output format",
      choices: ["text", "markdown", "json"],
      default: "text"
    }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const baseRef = args.options["base"] ?? defaultBase(io.env);
    const plan = buildPlan(loadRevision(root, baseRef), loadWorkingTree(root), {
      now: policyNow(io.env),
      baseLabel: baseRef
    });
    const format = args.options["format"];
    const out = format === "json" ? renderJson(plan) : format === "markdown" ? renderMarkdown(plan) : renderText(plan, { color: io.isTTY && !io.env["NO_COLOR"] });
    io.stdout(out.endsWith("\n") ? out : `${out}
`);
    return plan.verdict === "fail" ? EXIT.failed : EXIT.ok;
  }
};
function defaultBase(env) {
  const prBase = env["GITHUB_BASE_REF"];
  return prBase ? `origin/${prBase}` : "HEAD";
}
export {
  command
};
