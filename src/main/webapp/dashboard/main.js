import * as api from './api.js';
import {loginPage} from './pages/login.js';
import {runsPage} from './pages/runs.js';
import {runPage} from './pages/run.js';
import {nodesPage} from './pages/nodes.js';
import {filesPage} from './pages/files.js';
import {buildPage} from './pages/build.js';
import {keysPage} from './pages/keys.js';
import {batchPage} from './pages/batch.js';

// Hash routes: #/runs, #/runs/<pipelineId>, #/batches/<batchId>, #/new, #/nodes, #/files, #/keys; everything needs a login first.
const routes = [
  [/^#\/runs\/([0-9a-f-]{36})$/, match => runPage(match[1])],
  [/^#\/batches\/([0-9a-f-]{36})$/, match => batchPage(match[1])],
  [/^#\/nodes$/, () => nodesPage()],
  [/^#\/new$/, () => buildPage()],
  [/^#\/keys$/, () => keysPage()],
  [/^#\/files$/, () => filesPage()],
  [/^#\/runs$/, () => runsPage()],
];

function route() {
  document.getElementById('logout').hidden = !api.loggedIn();
  if (!api.loggedIn()) {
    loginPage(() => route());
    return;
  }
  for (const [pattern, page] of routes) {
    const match = location.hash.match(pattern);
    if (match) {
      page(match);
      return;
    }
  }
  location.hash = '#/runs';
}

window.addEventListener('hashchange', route);
window.addEventListener('runner-logout', route);
document.getElementById('logout').addEventListener('click', () => api.logout());
route();
