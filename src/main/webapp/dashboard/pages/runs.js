import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

const STATUSES = ['', 'Running', 'Succeeded', 'Failed', 'Cancelled'];

/** Your runs, newest first, a page at a time, filtered by status. */
export async function runsPage(status = '', after = null) {
  const filter = h('select', {id: 'status', onchange: event => runsPage(event.target.value)},
    STATUSES.map(s => h('option', {value: s, selected: s === status}, s || 'Any')));
  const query = new URLSearchParams({pageSize: '20'});
  if (status) query.set('status', status);
  if (after) query.set('after', after);
  let page;
  try {
    page = await api.get(`PipelineResults?${query}`);
  } catch (e) {
    show(h('h1', {}, 'Runs'), problem(e));
    return;
  }
  const rows = page.items.map(run => h('tr', {},
    h('td', {}, h('a', {href: `#/runs/${run.pipelineId}`}, run.pipelineId.slice(0, 8))),
    h('td', {class: `status-${run.status}`}, run.status),
    h('td', {}, run.stepResults.length ? run.stepResults.map(s => s.nodeProcedureId).join(' → ') : ''),
    h('td', {class: 'optional'}, time(run.createdAt)),
    h('td', {class: 'optional'}, time(run.finishedAt))));
  const next = page.pagination.nextCursor;
  show(h('h1', {}, 'Runs'),
    h('label', {for: 'status'}, 'Status'), filter,
    h('p', {class: 'muted'}, `${page.pagination.totalCount} run(s)`),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Pipeline'), h('th', {}, 'Status'), h('th', {}, 'Steps reported'),
      h('th', {class: 'optional'}, 'Created'), h('th', {class: 'optional'}, 'Finished'))), h('tbody', {}, rows)),
    next ? h('button', {type: 'button', class: 'secondary', onclick: () => runsPage(status, next)}, 'Older runs') : null);
}
