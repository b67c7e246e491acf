/**
 * Collaborators and teams: who has which role on the repository. The permission endpoint is what
 * change control asks ("does this reviewer have write access?"); people who are not collaborators
 * read as `read`, since the sandbox's repository is public.
 */
import type { Call } from '../context.ts';
import { renderRepository, renderUser } from '../render.ts';
import type { Route } from '../router.ts';
import { isCollaborator, type RepoRole, roleOf, simplePermission } from '../settings.ts';
import {
  bodyOf,
  isoTime,
  json,
  noContent,
  nodeId,
  notFound,
  optionalString,
  page,
  sameLogin,
  validationFailed,
} from '../wire.ts';

const COLLABORATOR = '/repos/:owner/:repo/collaborators/:username';

export const collaboratorRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/:owner/:repo/collaborators',
    operation: 'repos.listCollaborators',
    handle: listCollaborators,
  },
  {
    method: 'GET',
    path: `${COLLABORATOR}/permission`,
    operation: 'repos.getCollaboratorPermissionLevel',
    handle: permissionLevel,
  },
  { method: 'GET', path: COLLABORATOR, operation: 'repos.checkCollaborator', handle: checkCollaborator },
  { method: 'PUT', path: COLLABORATOR, operation: 'repos.addCollaborator', handle: addCollaborator },
  { method: 'DELETE', path: COLLABORATOR, operation: 'repos.removeCollaborator', handle: removeCollaborator },
  { method: 'GET', path: '/repos/:owner/:repo/teams', operation: 'repos.listTeams', handle: listTeams },
  {
    method: 'GET',
    path: '/orgs/:org/teams/:team_slug/members',
    operation: 'teams.listMembersInOrg',
    handle: listTeamMembers,
  },
  {
    method: 'GET',
    path: '/orgs/:org/teams/:team_slug/memberships/:username',
    operation: 'teams.getMembershipForUserInOrg',
    handle: teamMembership,
  },
];

const ROLES: readonly RepoRole[] = ['admin', 'maintain', 'write', 'triage', 'read'];

/** GitHub's `permissions` object for a role: each level implies the ones below it. */
function permissionFlags(role: RepoRole): Record<string, boolean> {
  const rank = ROLES.length - ROLES.indexOf(role);
  return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: rank >= 1 };
}

function renderCollaborator(call: Call, login: string): Record<string, unknown> {
  const role = roleOf(call.world.state.settings, login);
  return { ...renderUser(call.urls, login), permissions: permissionFlags(role), role_name: role };
}

function collaboratorLogins(call: Call): string[] {
  const settings = call.world.state.settings;
  const logins = new Set(Object.keys(settings.collaborators));
  for (const team of settings.teams) for (const m of team.members) logins.add(m);
  return [...logins].sort();
}

function listCollaborators(call: Call) {
  const affiliation = call.req.query.get('affiliation') ?? 'all';
  const settings = call.world.state.settings;
  const logins = collaboratorLogins(call).filter(
    (l) => affiliation !== 'direct' || Object.keys(settings.collaborators).includes(l),
  );
  return page(call.req, logins, (login) => renderCollaborator(call, login));
}

function permissionLevel(call: Call) {
  const login = call.params['username'] ?? '';
  const settings = call.world.state.settings;
  const role = roleOf(settings, login);
  return json({
    permission: simplePermission(role),
    role_name: role,
    user: renderCollaborator(call, login),
  });
}

function checkCollaborator(call: Call) {
  if (!isCollaborator(call.world.state.settings, call.params['username'] ?? '')) throw notFound();
  return noContent();
}

/** Invitations are accepted at once in the sandbox, so the person is a collaborator right away. */
function addCollaborator(call: Call) {
  const login = call.params['username'] ?? '';
  const body = bodyOf(call.req);
  const permission = optionalString(body, 'permission', 'Collaborator') ?? 'push';
  const role = ({ pull: 'read', push: 'write' } as Record<string, RepoRole>)[permission] ?? permission;
  if (!(ROLES as readonly string[]).includes(role))
    throw validationFailed({
      resource: 'Collaborator',
      code: 'invalid',
      field: 'permission',
      message: `permission must be one of pull, triage, push, maintain, admin; got ${permission}`,
    });
  const settings = call.world.state.settings;
  // One entry per account whatever the case it is named in (logins are case-insensitive).
  const existing = Object.keys(settings.collaborators).find((k) => sameLogin(k, login));
  const existed = existing !== undefined;
  settings.collaborators[existing ?? login] = role as RepoRole;
  call.world.changed();
  if (existed) return noContent();
  const id = call.world.nextId();
  return json(
    {
      id,
      node_id: nodeId('RepositoryInvitation', id),
      repository: renderRepository(call),
      invitee: renderUser(call.urls, login),
      inviter: renderUser(call.urls, call.actor.login),
      // The invitation names the role (`write`), not the permission asked for (`push`).
      permissions: role,
      created_at: isoTime(call.world.now()),
      url: `${call.urls.api}/user/repository_invitations/${id}`,
      html_url: `${call.urls.repoWeb}/invitations`,
    },
    201,
  );
}

function removeCollaborator(call: Call) {
  const login = call.params['username'] ?? '';
  delete call.world.state.settings.collaborators[login];
  call.world.changed();
  return noContent();
}

export function renderTeam(call: Call, slug: string) {
  const team = call.world.state.settings.teams.find((t) => t.slug === slug);
  if (!team) throw notFound();
  const url = `${call.urls.api}/orgs/${call.world.owner}/teams/${team.slug}`;
  return {
    id: team.id,
    node_id: Buffer.from(`Team:${team.id}`).toString('base64'),
    url,
    html_url: `${call.urls.web}/orgs/${call.world.owner}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: simplePermission(team.permission) === 'write' ? 'push' : simplePermission(team.permission),
    members_url: `${url}/members{/member}`,
    repositories_url: `${url}/repos`,
    parent: null,
    type: 'organization',
  };
}

function listTeams(call: Call) {
  return page(call.req, call.world.state.settings.teams, (t) => renderTeam(call, t.slug));
}

function findTeam(call: Call) {
  const org = call.params['org'] ?? '';
  const team = call.world.state.settings.teams.find((t) => t.slug === call.params['team_slug']);
  if (org.toLowerCase() !== call.world.owner.toLowerCase() || !team) throw notFound();
  return team;
}

function listTeamMembers(call: Call) {
  return page(call.req, findTeam(call).members, (login) => renderUser(call.urls, login));
}

function teamMembership(call: Call) {
  const team = findTeam(call);
  const login = call.params['username'] ?? '';
  if (!team.members.some((m) => m.toLowerCase() === login.toLowerCase())) throw notFound();
  return json({
    url: `${call.urls.api}/orgs/${call.world.owner}/teams/${team.slug}/memberships/${login}`,
    role: 'member',
    state: 'active',
  });
}
