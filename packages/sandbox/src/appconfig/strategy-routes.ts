/** Deployment strategies: the predefined `AppConfig.*` ones (read-only) plus the account's own. */
import type { ServiceContext } from '../core.ts';
import { badRequest, quotaExceeded } from './errors.ts';
import {
  defined,
  jsonBody,
  optionalEnum,
  optionalNumber,
  optionalString,
  requiredNumber,
  requiredString,
  tags,
} from './input.ts';
import { paginate } from './pagination.ts';
import type { Router } from './router.ts';
import type { DeploymentStrategy } from './state.ts';
import type { AppConfigStore } from './store.ts';
import { isPredefinedStrategyId } from './strategies.ts';

const MAX_STRATEGIES = 20;
const GROWTH_TYPES = ['LINEAR', 'EXPONENTIAL'] as const;

function view(s: DeploymentStrategy): Record<string, unknown> {
  return defined({
    Id: s.Id,
    Name: s.Name,
    Description: s.Description,
    DeploymentDurationInMinutes: s.DeploymentDurationInMinutes,
    GrowthType: s.GrowthType,
    GrowthFactor: s.GrowthFactor,
    FinalBakeTimeInMinutes: s.FinalBakeTimeInMinutes,
    ReplicateTo: s.ReplicateTo,
  });
}

function ownStrategy(store: AppConfigStore, id: string): DeploymentStrategy {
  if (isPredefinedStrategyId(id))
    throw badRequest(`${id} is a predefined strategy and cannot be changed or deleted`);
  return store.strategy(id);
}

export function registerStrategyRoutes(router: Router, store: AppConfigStore, ctx: ServiceContext): void {
  router
    .add('POST', '/deploymentstrategies', 'CreateDeploymentStrategy', (req) => {
      const body = jsonBody(req.body);
      if (store.state.strategies.length >= MAX_STRATEGIES)
        throw quotaExceeded(`an account may have at most ${MAX_STRATEGIES} deployment strategies`);
      const strategy: DeploymentStrategy = defined({
        Id: store.newId(),
        Name: requiredString(body, 'Name', 1, 64),
        Description: optionalString(body, 'Description', 0, 1024),
        DeploymentDurationInMinutes: requiredNumber(body, 'DeploymentDurationInMinutes', 0, 1440, true),
        GrowthFactor: requiredNumber(body, 'GrowthFactor', 1, 100, false),
        GrowthType: optionalEnum(body, 'GrowthType', GROWTH_TYPES) ?? 'LINEAR',
        FinalBakeTimeInMinutes: optionalNumber(body, 'FinalBakeTimeInMinutes', 0, 1440, true) ?? 0,
        ReplicateTo: optionalEnum(body, 'ReplicateTo', ['NONE', 'SSM_DOCUMENT'] as const) ?? 'NONE',
        Tags: tags(body),
      });
      store.state.strategies.push(strategy);
      ctx.changed();
      return { status: 201, body: view(strategy) };
    })
    .add('GET', '/deploymentstrategies', 'ListDeploymentStrategies', (req) => ({
      status: 200,
      body: paginate(store.allStrategies().map(view), req.query),
    }))
    .add('GET', '/deploymentstrategies/{DeploymentStrategyId}', 'GetDeploymentStrategy', (_req, p) => ({
      status: 200,
      body: view(store.strategy(p['DeploymentStrategyId']!)),
    }))
    .add('PATCH', '/deploymentstrategies/{DeploymentStrategyId}', 'UpdateDeploymentStrategy', (req, p) => {
      const strategy = ownStrategy(store, p['DeploymentStrategyId']!);
      const body = jsonBody(req.body);
      const description = optionalString(body, 'Description', 0, 1024);
      const duration = optionalNumber(body, 'DeploymentDurationInMinutes', 0, 1440, true);
      const bake = optionalNumber(body, 'FinalBakeTimeInMinutes', 0, 1440, true);
      const factor = optionalNumber(body, 'GrowthFactor', 1, 100, false);
      const growthType = optionalEnum(body, 'GrowthType', GROWTH_TYPES);
      if (description !== undefined) strategy.Description = description;
      if (duration !== undefined) strategy.DeploymentDurationInMinutes = duration;
      if (bake !== undefined) strategy.FinalBakeTimeInMinutes = bake;
      if (factor !== undefined) strategy.GrowthFactor = factor;
      if (growthType !== undefined) strategy.GrowthType = growthType;
      ctx.changed();
      return { status: 200, body: view(strategy) };
    })
    // The model really spells this path "deployementstrategies".
    .add('DELETE', '/deployementstrategies/{DeploymentStrategyId}', 'DeleteDeploymentStrategy', (_req, p) => {
      const strategy = ownStrategy(store, p['DeploymentStrategyId']!);
      store.state.strategies = store.state.strategies.filter((s) => s !== strategy);
      ctx.changed();
      return { status: 204 };
    });
}
