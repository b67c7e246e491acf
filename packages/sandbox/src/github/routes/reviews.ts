/**
 * Pull request reviews: listed oldest first, submitted with an event, dismissed by a maintainer.
 * Authors cannot approve or request changes on their own pull request (422, as on GitHub).
 */
import type { Call } from '../context.ts';
import { headSha, renderReview } from '../render.ts';
import type { Route } from '../router.ts';
import type { ReviewRecord, ReviewState } from '../state.ts';
import {
  bodyOf,
  json,
  notFound,
  optionalString,
  page,
  sameLogin,
  unprocessable,
  validationFailed,
} from '../wire.ts';
import { findPull } from './pulls.ts';

const REVIEWS = '/repos/:owner/:repo/pulls/:pull_number/reviews';

export const reviewRoutes: Route[] = [
  { method: 'GET', path: REVIEWS, operation: 'pulls.listReviews', handle: listReviews },
  { method: 'POST', path: REVIEWS, operation: 'pulls.createReview', handle: createReview },
  { method: 'GET', path: `${REVIEWS}/:review_id`, operation: 'pulls.getReview', handle: getReview },
  {
    method: 'POST',
    path: `${REVIEWS}/:review_id/events`,
    operation: 'pulls.submitReview',
    handle: submitReview,
  },
  {
    method: 'PUT',
    path: `${REVIEWS}/:review_id/dismissals`,
    operation: 'pulls.dismissReview',
    handle: dismissReview,
  },
];

const EVENT_STATES: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

function findReview(call: Call): ReviewRecord {
  const pull = findPull(call);
  const id = Number(call.params['review_id']);
  const review = call.world.state.reviews.find((r) => r.id === id && r.pull === pull.number);
  if (!review) throw notFound();
  return review;
}

function listReviews(call: Call) {
  const pull = findPull(call);
  // Pending reviews are private to their author until submitted.
  const reviews = call.world.state.reviews
    .filter((r) => r.pull === pull.number && (r.state !== 'PENDING' || sameLogin(r.user, call.actor.login)))
    .sort((a, b) => a.id - b.id);
  return page(call.req, reviews, (r) => renderReview(call.urls, r));
}

function getReview(call: Call) {
  return json(renderReview(call.urls, findReview(call)));
}

/** The state an event moves a review to, refusing what GitHub refuses. */
function stateForEvent(call: Call, event: string | undefined, body: string, author: string): ReviewState {
  if (event === undefined) return 'PENDING';
  const state = EVENT_STATES[event];
  if (!state)
    throw validationFailed({
      resource: 'PullRequestReview',
      code: 'invalid',
      field: 'event',
      message: `event must be one of APPROVE, REQUEST_CHANGES, COMMENT; got ${event}`,
    });
  if (sameLogin(call.actor.login, author) && state === 'APPROVED')
    throw unprocessable('Can not approve your own pull request');
  if (sameLogin(call.actor.login, author) && state === 'CHANGES_REQUESTED')
    throw unprocessable('Can not request changes on your own pull request');
  if (state !== 'APPROVED' && body.trim() === '')
    throw unprocessable(`Review Comment is missing: a ${event} review needs a body`);
  return state;
}

function submitted(call: Call, review: ReviewRecord, pullRequested: string[]): void {
  review.submittedAt = call.world.now();
  // Reviewing fulfils a review request, as on GitHub.
  const i = pullRequested.findIndex((login) => sameLogin(login, review.user));
  if (i >= 0) pullRequested.splice(i, 1);
}

function createReview(call: Call) {
  const { world } = call;
  const pull = findPull(call);
  const body = bodyOf(call.req);
  const text = optionalString(body, 'body', 'PullRequestReview') ?? '';
  const event = optionalString(body, 'event', 'PullRequestReview');
  const state = stateForEvent(call, event, text, pull.user);
  const commitId = optionalString(body, 'commit_id', 'PullRequestReview') ?? headSha(call, pull);
  if (world.git.resolveCommit(commitId) === undefined)
    throw unprocessable(`Commit ${commitId} does not exist in this repository`);
  if (
    state === 'PENDING' &&
    world.state.reviews.some(
      (r) => r.pull === pull.number && sameLogin(r.user, call.actor.login) && r.state === 'PENDING',
    )
  )
    throw unprocessable('User can only have one pending review per pull request');
  const review: ReviewRecord = {
    id: world.nextId(),
    pull: pull.number,
    user: call.actor.login,
    body: text,
    state,
    commitId,
    submittedAt: null,
  };
  if (state !== 'PENDING') submitted(call, review, pull.requestedReviewers);
  world.state.reviews.push(review);
  world.changed();
  if (state !== 'PENDING')
    world.emit({
      name: 'pull_request_review',
      action: 'submitted',
      pull: pull.number,
      review: review.id,
      actor: call.actor,
    });
  return json(renderReview(call.urls, review));
}

function submitReview(call: Call) {
  const pull = findPull(call);
  const review = findReview(call);
  if (review.state !== 'PENDING')
    throw unprocessable('Can not submit a review that has already been submitted');
  const body = bodyOf(call.req);
  const text = optionalString(body, 'body', 'PullRequestReview') ?? review.body;
  const event = optionalString(body, 'event', 'PullRequestReview');
  if (event === undefined)
    throw validationFailed({ resource: 'PullRequestReview', code: 'missing_field', field: 'event' });
  review.state = stateForEvent(call, event, text, pull.user);
  review.body = text;
  submitted(call, review, pull.requestedReviewers);
  call.world.changed();
  call.world.emit({
    name: 'pull_request_review',
    action: 'submitted',
    pull: pull.number,
    review: review.id,
    actor: call.actor,
  });
  return json(renderReview(call.urls, review));
}

function dismissReview(call: Call) {
  const review = findReview(call);
  const body = bodyOf(call.req);
  const message = optionalString(body, 'message', 'PullRequestReview');
  if (message === undefined || message === '')
    throw validationFailed({ resource: 'PullRequestReview', code: 'missing_field', field: 'message' });
  if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED')
    throw unprocessable(`Can not dismiss a ${review.state.toLowerCase()} pull request review`);
  review.state = 'DISMISSED';
  call.world.changed();
  call.world.emit({
    name: 'pull_request_review',
    action: 'dismissed',
    pull: review.pull,
    review: review.id,
    actor: call.actor,
  });
  return json(renderReview(call.urls, review));
}
