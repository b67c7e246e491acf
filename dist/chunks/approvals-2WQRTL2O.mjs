import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  CODEOWNERS_PATHS,
  runChangeControl
} from "./chunk-JO4V5KJI.mjs";
import "./chunk-YWRZMMGV.mjs";
import "./chunk-XNWI2L7O.mjs";
import {
  policyNow
} from "./chunk-IMSBEPII.mjs";
import "./chunk-5PF2FZBE.mjs";
import {
  dwellFromEnv
} from "./chunk-DKJJ2XPZ.mjs";
import {
  verificationFromEnv
} from "./chunk-UNCDWQFU.mjs";
import "./chunk-CJGDFX3A.mjs";
import "./chunk-MKBKQ2QT.mjs";
import {
  resolveTarget
} from "./chunk-4FJUIIKQ.mjs";
import "./chunk-NAC7TEFE.mjs";
import "./chunk-PWFSMMBW.mjs";
import "./chunk-LZ5O73OD.mjs";
import {
  runtimeFromEnvironment
} from "./chunk-BEQOJOJR.mjs";
import "./chunk-DOYWIERC.mjs";
import {
  runningDeployment
} from "./chunk-RGNUHZZM.mjs";
import {
  gitHubFromEnv
} from "./chunk-VJ6H3ZYA.mjs";
import "./chunk-5ASYAPI3.mjs";
import "./chunk-PX4VJDWW.mjs";
import {
  loadWorkingTree
} from "./chunk-7GHZ77ZE.mjs";
import {
  decompileFeatureFlags
} from "./chunk-KAJDPQA3.mjs";
import {
  findRepoRoot
} from "./chunk-SLK3YAOL.mjs";
import {
  WorkingTreeSource,
  loadRepository
} from "./chunk-S5U7UAL3.mjs";
import {
  CliError,
  EXIT
} from "./chunk-QKVV5EAQ.mjs";
import "./chunk-OUNM63CZ.mjs";
import "./chunk-UMADLKRQ.mjs";

// src/plan-comment/deployed.ts
async function readDeployed(aws, ref) {
  try {
    const t = await resolveTarget(aws, ref);
    const running = runningDeployment(
      await aws.appconfig.listDeployments(t.application.id, t.environment.id),
      t.profile.name
    );
    if (!running) return { status: "not-deployed" };
    const hosted = await aws.appconfig.getHostedVersion(
      t.application.id,
      t.profile.id,
      Number(running.version)
    );
    const content = Buffer.from(hosted.content);
    const decoded = decompileFeatureFlags(content);
    return {
      status: "deployed",
      version: Number(running.version),
      content,
      ...running.versionLabel ? { label: running.versionLabel } : {},
      ...decoded.ok ? { flags: decoded.flags } : {}
    };
  } catch (error) {
    return {
      status: "unreadable",
      message: error instanceof Error ? error.message.split("\n")[0] : String(error)
    };
  }
}

// src/runtime/gate-inputs.ts
function hasAwsCredentials(env) {
  return !!(env["AWS_ACCESS_KEY_ID"] || env["AWS_WEB_IDENTITY_TOKEN_FILE"] || env["AWS_PROFILE"] || env["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
}
async function gateInputs(root, env, extra = {}) {
  const source = new WorkingTreeSource(root);
  const repository = loadRepository(source);
  const codeOwners = CODEOWNERS_PATHS.map((p) => source.read(p)).find((b) => b !== void 0);
  let deployed;
  if (hasAwsCredentials(env)) {
    const { aws } = await runtimeFromEnvironment(env);
    deployed = async (ref) => {
      const view = await readDeployed(aws, ref);
      return view.status === "deployed" ? view.content : void 0;
    };
  }
  const policy = {
    now: policyNow(env),
    evidence: async (head) => {
      const [dwell, verification] = await Promise.all([
        dwellFromEnv(env, repository),
        verificationFromEnv(env, head)
      ]);
      return { ...dwell ? { dwell } : {}, ...verification ? { verification } : {} };
    }
  };
  return {
    repository,
    options: {
      source,
      policy,
      ...codeOwners !== void 0 ? { codeOwners: codeOwners.toString("utf8") } : {},
      ...deployed ? { deployed } : {},
      ...extra.appLogin ? { appLogin: extra.appLogin } : {},
      ...extra.targetUrl ? { targetUrl: extra.targetUrl } : {}
    }
  };
}

// src/cli/commands/approvals.ts
var command = {
  name: "approvals",
  summary: "Count approvals on a pull request and post the flagops/change-control status",
  description: "Needs GITHUB_TOKEN and GITHUB_REPOSITORY (and GITHUB_API_URL off github.com). Exit 0 when the\npull request has the approvals its environments require, 1 when not, 3 when GitHub fails.",
  options: {
    pr: { type: "number", description: "Pull request number", placeholder: "N", required: true },
    "app-login": {
      type: "string",
      description: "The flagops App's bot login (<slug>[bot]): only its pull requests can be reverts",
      placeholder: "LOGIN"
    }
  },
  async run(args, io) {
    const pr = args.options["pr"];
    if (typeof pr !== "number" || !Number.isInteger(pr) || pr < 1)
      throw new CliError(`--pr must be a pull request number, got ${String(pr)}`, EXIT.usage);
    const root = findRepoRoot(io.cwd, io.env);
    loadWorkingTree(root);
    const login = args.options["app-login"];
    const { api } = gitHubFromEnv(io.env);
    const { repository, options } = await gateInputs(
      root,
      io.env,
      typeof login === "string" ? { appLogin: login } : {}
    );
    const result = await runChangeControl(api, repository, pr, options);
    for (const rule of result.verdict.rules) {
      const who = rule.approvedBy.length > 0 ? rule.approvedBy.join(", ") : "nobody";
      io.stdout(
        `${rule.rule.environment}: ${rule.approvedBy.length}/${rule.rule.required} approvals (${who})
`
      );
    }
    for (const error of result.policy?.errors ?? []) io.stdout(`policy: ${error}
`);
    io.stdout(`${result.satisfied ? "approved" : "not approved"}: ${result.description}
`);
    return result.satisfied ? EXIT.ok : EXIT.failed;
  }
};
export {
  command
};
