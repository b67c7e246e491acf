import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  gitHubVerificationStore
} from "./chunk-UNCDWQFU.mjs";
import {
  compare,
  evaluateGuards
} from "./chunk-PWFSMMBW.mjs";
import {
  PipelineError
} from "./chunk-LZ5O73OD.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  TARGET_OPTIONS,
  findRepoRoot,
  selectApplication
} from "./chunk-SLK3YAOL.mjs";
import {
  buildGuardQuery
} from "./chunk-S5U7UAL3.mjs";
import {
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/acceptance/criteria.ts
function acceptanceWindow(def, now) {
  const length = def.windowMinutes * 6e4;
  const to = Math.floor(now / length) * length;
  return { from: to - length, to };
}
function asPeriod(def, c) {
  return {
    name: c.name,
    metrics: c.metrics,
    value: c.value,
    ...c.unit !== void 0 ? { unit: c.unit } : {},
    periodSeconds: def.windowMinutes * 60,
    breachWhen: c.passWhen,
    consecutive: 1,
    ...c.minSamples ? { minSamples: c.minSamples } : {}
  };
}
function acceptanceQuery(def, window) {
  const criteria = Object.values(def.criteria).map((c) => asPeriod(def, c));
  return buildGuardQuery(criteria, { from: window.from, now: window.to });
}
function judgeAcceptance(def, query, series, window) {
  const reports = evaluateGuards(query, series, { from: window.from, now: window.to });
  const rows = Object.values(def.criteria).map((c, i) => {
    const period = reports[i]?.periods[0];
    const value = period?.value;
    const usable = period !== void 0 && period.outcome !== "no-data" && value !== void 0;
    const passes = usable && compare(value, c.passWhen.op, c.passWhen.threshold);
    const outcome = usable ? passes ? "pass" : "fail" : c.required ? "no-data" : "n/a";
    return {
      criterion: c.name,
      ...c.description !== void 0 ? { description: c.description } : {},
      ...c.backend !== void 0 ? { backend: c.backend } : {},
      rule: `${c.passWhen.op} ${c.passWhen.threshold}${c.unit ? ` ${c.unit}` : ""}`,
      ...c.unit !== void 0 ? { unit: c.unit } : {},
      ...value !== void 0 && Number.isFinite(value) ? { value } : {},
      ...period?.samples !== void 0 ? { samples: period.samples } : {},
      outcome
    };
  });
  const passed = rows.every((r) => r.outcome === "pass" || r.outcome === "n/a");
  return { passed, window, rows };
}
var OUTCOME_TEXT = {
  pass: "PASS",
  fail: "FAIL",
  "n/a": "n/a",
  "no-data": "FAIL (no data)"
};
function renderAcceptance(result, environment) {
  const header = ["criterion", "backend", "value", "must be", "result"];
  const body = result.rows.map((r) => [
    r.criterion,
    r.backend ?? "—",
    r.value === void 0 ? "—" : `${Math.round(r.value * 1e3) / 1e3}${r.unit ? ` ${r.unit}` : ""}`,
    r.rule,
    OUTCOME_TEXT[r.outcome]
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  const from = new Date(result.window.from).toISOString();
  const to = new Date(result.window.to).toISOString();
  return [
    `${environment}: acceptance criteria over ${from} → ${to}`,
    "",
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...body.map(line),
    "",
    result.passed ? "verification PASSED" : "verification FAILED"
  ].join("\n");
}

// src/acceptance/verify.ts
async function verifyEnvironment(input) {
  const def = input.app.acceptance;
  if (!def)
    throw new PipelineError(
      `${input.app.dir}/app.yaml declares no \`acceptance:\` criteria; add them (window_minutes, max_age_minutes, required_for, criteria) to verify`,
      1
    );
  if (!input.app.environments.some((e) => e.name === input.environment))
    throw new PipelineError(
      `environment ${input.environment} is not declared in ${input.app.dir}/app.yaml`,
      2
    );
  const window = acceptanceWindow(def, input.now);
  const query = acceptanceQuery(def, window);
  const series = await input.cloudwatch.getMetricData(query);
  const result = judgeAcceptance(def, query, series, window);
  if (!input.store) return { result };
  const record = await input.store.record(input.environment, result, input.ref ?? "main");
  return { result, record };
}

// src/cli/commands/verify.ts
var command = {
  name: "verify",
  summary: "Check the guide's acceptance criteria from CloudWatch and record the result",
  description: "Judges every criterion under `acceptance:` in app.yaml over the last complete window and prints a\ntable. Exit 0 when all pass, 1 when any fails or has no data. The result is recorded as a GitHub\ndeployment (task flagops:verify) when GITHUB_TOKEN and GITHUB_REPOSITORY are set.",
  options: {
    "app-name": TARGET_OPTIONS["app-name"],
    environment: TARGET_OPTIONS.environment,
    json: { type: "boolean", description: "Print the result as JSON", default: false },
    record: {
      type: "boolean",
      description: "Record the result on GitHub (--no-record: only print)",
      default: true
    }
  },
  async run(args, io) {
    const root = findRepoRoot(io.cwd, io.env);
    const app = selectApplication(loadWorkingTree(root), args.options["app-name"]);
    const environment = args.options["environment"];
    const wantRecord = args.options["record"] !== false;
    const canRecord = Boolean((io.env["GITHUB_TOKEN"] || io.env["GH_TOKEN"]) && io.env["GITHUB_REPOSITORY"]);
    const runtime = await runtimeFromEnvironment(io.env);
    const store = wantRecord && canRecord ? gitHubVerificationStore(gitHubFromEnv(io.env).octokit, gitHubFromEnv(io.env).api.repo) : void 0;
    const outcome = await verifyEnvironment({
      app,
      environment,
      cloudwatch: runtime.aws.cloudwatch,
      now: runtime.clock.now(),
      ...store ? { store } : {},
      ref: io.env["FLAGOPS_BASE_BRANCH"] || "main"
    });
    if (args.options["json"] === true) {
      io.stdout(`${JSON.stringify({ environment, ...outcome }, null, 2)}
`);
    } else {
      io.stdout(`${renderAcceptance(outcome.result, environment)}
`);
      if (outcome.record)
        io.stdout(`recorded: ${outcome.record.url ?? `GitHub deployment ${outcome.record.id}`}
`);
      else if (wantRecord)
        io.stdout("not recorded: set GITHUB_TOKEN and GITHUB_REPOSITORY so the gate can see this result\n");
    }
    return outcome.result.passed ? EXIT.ok : EXIT.failed;
  }
};
export {
  command
};
