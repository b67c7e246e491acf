import { createRequire as __flagopsCreateRequire } from 'node:module';
const require = __flagopsCreateRequire(import.meta.url);
import {
  gitOutput
} from "./chunk-PV334CNP.mjs";
import {
  EXIT,
  Failure
} from "./chunk-XMGGJPA5.mjs";

// src/git/remote.ts
function gitRemote(root, env) {
  const url = env["FLAGOPS_GIT_REMOTE"] || gitOutput(root, ["remote", "get-url", "origin"], env) || "";
  if (!url)
    throw new Failure(
      `no git remote to push to: set FLAGOPS_GIT_REMOTE or run in a checkout with an "origin" remote (${root})`,
      EXIT.usage
    );
  const token = env["GITHUB_TOKEN"];
  if (!token || !/^https:\/\//.test(url)) return { url, env };
  const host = new URL(url).origin;
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    url,
    env: {
      ...env,
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `http.${host}/.extraheader`,
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`
    }
  };
}

export {
  gitRemote
};
