// The REST API as the dashboard uses it. Tokens live in memory only (never localStorage): a reload
// asks to log in again. The access token is refreshed (the refresh token rotates) before it expires.

const BASE = 'api/v1/';
let session = null; // {id, username, accessToken, refreshToken}
let refreshTimer = null;

export class Problem extends Error {
  constructor(status, body) {
    super(body && (body.detail || body.title) ? (body.detail || body.title) : `HTTP ${status}`);
    this.status = status;
    this.errors = body && body.errors ? body.errors : [];
    this.pipelineId = body && body.pipelineId ? body.pipelineId : null; // a 408's run, which goes on
  }
}

export function loggedIn() {
  return session !== null;
}

export function username() {
  return session ? session.username : null;
}

export function userId() {
  return session ? session.id : null;
}

async function call(method, path, body, authenticated = true) {
  const headers = {};
  if (body !== undefined && !(body instanceof FormData)) {
    headers['Content-Type'] = 'application/json';
  }
  if (authenticated && session) {
    headers.Authorization = `Bearer ${session.accessToken}`;
  }
  const response = await fetch(BASE + path, {
    method, headers,
    body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
  });
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && authenticated) {
      logout();
    }
    throw new Problem(response.status, json);
  }
  return json;
}

function remember(loggedInUser) {
  const pair = loggedInUser.accessRefreshTokenPair;
  session = {id: loggedInUser.id, username: loggedInUser.username,
    accessToken: pair.accessToken, refreshToken: pair.refreshToken};
  clearTimeout(refreshTimer);
  // Access tokens live 15 minutes by default: refresh well before, reading the token's own expiry.
  const expiresAt = JSON.parse(atob(pair.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
  refreshTimer = setTimeout(refresh, Math.max(5000, expiresAt - Date.now() - 60000));
}

async function refresh() {
  if (!session) {
    return;
  }
  try {
    const answer = await call('POST', 'Auth/Refresh',
      {accessToken: session.accessToken, refreshToken: session.refreshToken}, false);
    remember(answer.loggedInUser);
  } catch (e) {
    logout();
  }
}

export async function login(name, password) {
  const answer = await call('POST', 'Auth/Login', {username: name, password}, false);
  remember(answer.loggedInUser);
}

export async function register(name, password) {
  await call('POST', 'Auth/Register', {username: name, password}, false);
  await login(name, password);
}

export function logout() {
  session = null;
  clearTimeout(refreshTimer);
  window.dispatchEvent(new Event('runner-logout'));
}

export const get = path => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const del = path => call('DELETE', path);

/** A file's bytes with the bearer token (a plain link could not send it), saved under its name. */
export async function download(fileId, fileName) {
  const response = await fetch(`${BASE}Files/${fileId}/Download`,
    {headers: {Authorization: `Bearer ${session.accessToken}`}});
  if (!response.ok) {
    throw new Problem(response.status, null);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {href: url, download: fileName || fileId});
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/**
 * Opens the event stream at `path` (…/Events) with a fresh 60-second stream token, since
 * EventSource cannot send Authorization; `listeners` maps event names to handlers of the parsed
 * data. The server closes a finished stream: the browser must not reconnect with a spent token.
 */
async function openStream(path, listeners) {
  const {token} = await post(`${path}Token`);
  const source = new EventSource(`${BASE}${path}?token=${encodeURIComponent(token)}`);
  for (const [name, handle] of Object.entries(listeners)) {
    source.addEventListener(name, event => handle(JSON.parse(event.data)));
  }
  source.addEventListener('finished', () => source.close());
  source.onerror = () => source.close();
  return source;
}

/** Live events of a run: each event by name, with its data. */
export function runEvents(pipelineId, onEvent) {
  const names = ['dispatched', 'retrying', 'step-succeeded', 'step-failed', 'finished'];
  return openStream(`PipelineResults/${pipelineId}/Events`,
    Object.fromEntries(names.map(name => [name, data => onEvent(name, data)])));
}
/**
 * Uploads one file as multipart (field "file"), reporting progress: fetch cannot report upload
 * progress, so this one call uses XMLHttpRequest. Resolves with the stored file's metadata.
 */
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${BASE}Files/Upload`);
    request.setRequestHeader('Authorization', `Bearer ${session.accessToken}`);
    request.upload.addEventListener('progress', event => {
      if (event.lengthComputable) {
        onProgress(event.loaded, event.total);
      }
    });
    request.addEventListener('load', () => {
      const json = request.responseText ? JSON.parse(request.responseText) : null;
      if (request.status >= 200 && request.status < 300) {
        resolve(json);
      } else {
        reject(new Problem(request.status, json));
      }
    });
    request.addEventListener('error', () => reject(new Problem(0, {detail: 'The upload was interrupted'})));
    const form = new FormData();
    form.append('file', file);
    request.send(form);
  });
}

/** Live progress of a batch ({total, succeeded, failed, running}) until it finished. */
export function batchEvents(batchId, onProgress, onFinished) {
  return openStream(`PipelineResults/Batch/${batchId}/Events`, {progress: onProgress, finished: onFinished});
}
