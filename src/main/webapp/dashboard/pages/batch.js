import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

let source = null; // the open event stream of the batch on screen

/** One batch: a progress bar and per-status counts that move live, its runs, and cancel. */
export async function batchPage(batchId) {
  if (source) {
    source.close();
    source = null;
  }
  let batch;
  try {
    batch = (await api.get(`PipelineResults/Batch/${batchId}?pageSize=50`)).batch;
  } catch (e) {
    show(h('h1', {}, 'Batch'), problem(e));
    return;
  }
  const bar = h('progress', {id: 'batch-progress', max: batch.totalPipelineCount, value: 0, 'aria-label': 'Finished runs'});
  const counts = h('p', {id: 'batch-counts'});
  const runs = h('div');
  const actions = h('div');

  function progress(total, succeeded, failed) {
    const running = total - succeeded - failed;
    bar.max = total;
    bar.value = succeeded + failed;
    counts.replaceChildren(
      h('span', {class: 'status-Succeeded'}, `${succeeded} succeeded`), ' · ',
      h('span', {class: 'status-Failed'}, `${failed} failed or cancelled`), ' · ',
      `${running} running`, ` · ${total} in all`);
  }

  async function reload() {
    const fresh = (await api.get(`PipelineResults/Batch/${batchId}?pageSize=50`)).batch;
    progress(fresh.totalPipelineCount, fresh.successfullyCompletedPipelineCount, fresh.failedPipelineCount);
    runs.replaceChildren(runList(fresh));
    return fresh;
  }

  progress(batch.totalPipelineCount, batch.successfullyCompletedPipelineCount, batch.failedPipelineCount);
  runs.replaceChildren(runList(batch));
  actions.append(h('button', {type: 'button', class: 'secondary', hidden: Boolean(batch.finishedAt), onclick: async () => {
    try {
      await api.post(`Pipelines/Batch/${batchId}/Cancel`);
      await reload();
    } catch (e) {
      actions.append(problem(e));
    }
  }}, 'Cancel the batch'));

  const heading = h('h1', {}, 'Batch ', h('code', {}, batchId.slice(0, 8)), ' ',
    h('span', {id: 'batch-state'}, batch.finishedAt ? 'finished' : 'running'));
  show(heading, bar, counts, actions, h('h2', {}, 'Runs'), runs);
  if (!batch.finishedAt) {
    source = await api.batchEvents(batchId,
      event => progress(event.total, event.succeeded, event.failed),
      async () => {
        const fresh = await reload();
        heading.querySelector('#batch-state').textContent = fresh.finishedAt ? `finished ${time(fresh.finishedAt)}` : 'finished';
        actions.replaceChildren();
      });
  }
}

function runList(batch) {
  const results = batch.pipelineResults || [];
  return h('div', {},
    h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Run'), h('th', {}, 'Status'), h('th', {class: 'optional'}, 'Created'))),
      h('tbody', {}, results.map(result => h('tr', {},
        h('td', {}, h('a', {href: `#/runs/${result.pipelineId}`}, result.pipelineId.slice(0, 8))),
        h('td', {class: `status-${result.status}`}, result.status),
        h('td', {class: 'optional'}, time(result.createdAt)))))),
    batch.totalPipelineCount > results.length
      ? h('p', {class: 'muted'}, `the first ${results.length} of ${batch.totalPipelineCount} runs`) : null);
}
