import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';
import {valueTree} from '../tree.js';

let source = null; // the open event stream of the run on screen

/** One run: its steps as they happen (live events), why a waiting step waits, cancel and re-run. */
export async function runPage(pipelineId) {
  if (source) {
    source.close();
    source = null;
  }
  let result;
  try {
    result = (await api.get(`PipelineResults/${pipelineId}`)).result;
  } catch (e) {
    show(h('h1', {}, 'Run'), problem(e));
    return;
  }
  const status = h('span', {class: `status-${result.status}`}, result.status);
  const timeline = h('ol', {class: 'timeline', 'aria-label': 'Events'});
  const diagnosis = h('div');
  const actions = h('div');
  const steps = h('div', {}, stepsTable(result.stepResults));

  async function reload() {
    const fresh = (await api.get(`PipelineResults/${pipelineId}`)).result;
    status.className = `status-${fresh.status}`;
    status.textContent = fresh.status;
    steps.replaceChildren(stepsTable(fresh.stepResults));
    await explain(fresh);
  }

  async function explain(run) {
    if (run.status !== 'Running') {
      diagnosis.replaceChildren();
      return;
    }
    try {
      const answer = (await api.get(`PipelineResults/${pipelineId}/Diagnosis`)).diagnosis;
      diagnosis.replaceChildren(h('h2', {}, 'Why it waits'), h('p', {}, answer.summary));
    } catch (e) {
      diagnosis.replaceChildren(problem(e));
    }
  }

  actions.append(
    h('button', {type: 'button', class: 'secondary', onclick: async () => {
      try {
        await api.post(`Pipelines/${pipelineId}/Cancel`);
        await reload();
      } catch (e) {
        actions.append(problem(e));
      }
    }}, 'Cancel'),
    h('button', {type: 'button', class: 'secondary', onclick: () => rerun(pipelineId, actions, true)}, 'Preview re-run'),
    h('button', {type: 'button', class: 'secondary', onclick: () => rerun(pipelineId, actions, false)}, 'Re-run'));

  show(h('h1', {}, 'Run ', h('code', {}, pipelineId.slice(0, 8)), ' ', status),
    h('p', {class: 'muted'}, `created ${time(result.createdAt)}`, result.rerunOf ? ` · re-run of ${result.rerunOf}` : ''),
    steps, result.initialInput ? h('details', {}, h('summary', {}, 'Input'), valueTree(result.initialInput, 'input')) : null,
    diagnosis, h('h2', {}, 'Live'), timeline, actions);
  await explain(result);
  if (result.status === 'Running') {
    source = await api.runEvents(pipelineId, (name, data) => {
      timeline.append(h('li', {class: name.startsWith('step-') ? name : ''}, describe(name, data)));
      reload();
    });
  }
}

function describe(name, data) {
  switch (name) {
    case 'dispatched': return `step ${data.order} sent to ${data.nodeId}/${data.procedureId}`;
    case 'step-succeeded': return `step ${data.order} succeeded`;
    case 'step-failed': return `step ${data.order} failed: ${data.failureReason ? data.failureReason.reason : ''}`;
    case 'retrying': return `step ${data.order}: attempt ${data.failedAttempts} failed, retrying`;
    case 'finished': return `finished: ${data.status}`;
    default: return name;
  }
}

function stepsTable(stepResults) {
  if (!stepResults.length) {
    return h('p', {class: 'muted'}, 'No step has reported yet.');
  }
  return h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'Procedure'), h('th', {}, 'Outcome'),
    h('th', {class: 'optional'}, 'Attempts'), h('th', {}, 'Result'))),
  h('tbody', {}, stepResults.map(step => h('tr', {},
    h('td', {}, step.order),
    h('td', {}, `${step.nodeId}/${step.nodeProcedureId}`),
    h('td', {class: step.wasSuccessful ? 'step-succeeded' : 'step-failed'},
      step.wasSuccessful ? (step.reused ? 'reused' : 'succeeded') : (step.failureReason ? step.failureReason.reason : 'failed')),
    h('td', {class: 'optional'}, step.attempts),
    h('td', {class: 'wrap'}, step.result ? valueTree(step.result, `step ${step.order}`) : '')))));
}

async function rerun(pipelineId, actions, dryRun) {
  try {
    const answer = await api.post(`PipelineResults/${pipelineId}/Rerun`, {dryRun});
    if (!dryRun) {
      location.hash = `#/runs/${answer.pipeline.id}`;
      return;
    }
    actions.append(h('h2', {}, 'Re-run preview'), h('ul', {}, answer.steps.map(step => h('li', {},
      `step ${step.order} ${step.nodeId}/${step.procedureId}: ${step.action}`,
      step.action === 'run' ? (step.nodeAvailable ? ' (node available)' : ' (node NOT available)') : ''))),
    answer.valid ? h('p', {}, 'The re-run can start.') : problem({message: 'The re-run cannot start', errors: answer.errors}));
  } catch (e) {
    actions.append(problem(e));
  }
}
