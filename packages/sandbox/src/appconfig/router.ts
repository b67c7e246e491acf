/** Maps `METHOD /path/{Label}` templates to operations, the way the Smithy model's http traits do. */
import type { Reply, SandboxRequest } from '../core.ts';

export type Params = Record<string, string>;
export type Handler = (req: SandboxRequest, params: Params) => Reply;

interface Route {
  method: string;
  pattern: RegExp;
  labels: string[];
  operation: string;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, operation: string, handler: Handler): this {
    const labels: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      labels.push(name);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), labels, operation, handler });
    return this;
  }

  match(req: SandboxRequest): { operation: string; handle: () => Reply } | undefined {
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const m = route.pattern.exec(req.path);
      if (!m) continue;
      const params: Params = {};
      route.labels.forEach((label, i) => {
        params[label] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { operation: route.operation, handle: () => route.handler(req, params) };
    }
    return undefined;
  }
}
