import * as api from '../api.js';
import {h, problem, show} from '../dom.js';
import {scheme} from './nodes.js';
import {batchInputs} from '../batch-input.js';

/**
 * Build and start a pipeline: steps picked from the available procedures, an output selector per
 * step, and an input form generated from the first step's input scheme. The runner checks the
 * whole request as for any client (schemes at every link, files, selectors); its 422 is shown with
 * every field path. While the steps change, POST /Pipelines/Validate answers the same checks without
 * running anything, and each link says whether the previous step's output fits.
 * Runs start in the background, awaited (the page waits for the result), or as a batch over the
 * inputs of a CSV or JSON file.
 */
export async function buildPage() {
  let nodes;
  let files;
  try {
    nodes = (await api.get('Nodes?pageSize=100')).items;
    files = (await api.get('Files?pageSize=100')).items;
  } catch (e) {
    show(h('h1', {}, 'New run'), problem(e));
    return;
  }
  const procedures = nodes.flatMap(node => node.procedures.map(procedure => ({node, procedure})));
  const steps = h('ol', {id: 'steps'});
  const inputArea = h('div', {id: 'input-form'});
  const message = h('div');
  const inputCheck = h('div', {id: 'input-check', 'aria-live': 'polite'});
  let readInput = () => null;
  let firstInputScheme = null;

  function addStep() {
    const index = steps.children.length;
    const select = h('select', {id: `step-${index}`, 'aria-label': `Step ${index + 1} procedure`,
      onchange: () => {
        refreshInput();
        check();
      }},
      procedures.map(({node, procedure}) => h('option', {value: `${node.id}\u0000${procedure.id}`},
        `${node.id} / ${procedure.id}${node.available ? '' : ' (unavailable)'}`)));
    const selector = h('input', {id: `selector-${index}`, placeholder: 'output selector (optional)',
      'aria-label': `Step ${index + 1} output selector`, oninput: check});
    const fit = h('span', {id: `fit-${index}`, class: 'link-fit', 'aria-live': 'polite'});
    steps.append(h('li', {}, fit, select, ' ', selector));
    refreshInput();
    check();
  }

  // Asks the runner whether the chain would run (debounced: one request per pause in typing) and
  // shows, above each step after the first, whether the previous step's output fits its input.
  let checkTimer = null;
  let checkNumber = 0;
  function check() {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(async () => {
      const mine = ++checkNumber;
      let errors = [];
      try {
        await api.post('Pipelines/Validate', request());
      } catch (e) {
        errors = e.errors || [];
      }
      if (mine === checkNumber) {
        showFit(errors);
      }
    }, 250);
  }

  function showFit(errors) {
    [...steps.children].forEach((item, index) => {
      const fit = item.querySelector('.link-fit');
      const mine = errors.filter(e => e.field === `steps[${index}]` || e.field.startsWith(`steps[${index}].`));
      if (mine.length) {
        fit.className = 'link-fit fit-bad';
        fit.replaceChildren(h('ul', {}, mine.map(e => h('li', {}, `${e.field}: ${e.message}`))));
      } else if (index > 0 && !errors.some(e => e.field.startsWith(`steps[${index - 1}]`))) {
        fit.className = 'link-fit fit-ok';
        fit.replaceChildren(`\u2713 the output of step ${index} fits this step's input`);
      } else {
        fit.className = 'link-fit';
        fit.replaceChildren();
      }
    });
    const inputErrors = errors.filter(e => e.field === 'input' || e.field.startsWith('input.') || e.field.startsWith('input['));
    inputCheck.replaceChildren(inputErrors.length
      ? h('ul', {class: 'fit-bad'}, inputErrors.map(e => h('li', {}, `${e.field}: ${e.message}`))) : '');
  }

  function refreshInput() {
    const first = steps.querySelector('select');
    const found = first && procedures.find(({node, procedure}) => `${node.id}\u0000${procedure.id}` === first.value);
    if (!found) {
      inputArea.replaceChildren(h('p', {class: 'muted'}, 'No procedure has been advertised yet.'));
      readInput = () => null;
      firstInputScheme = null;
      return;
    }
    firstInputScheme = found.procedure.input;
    const form = field(found.procedure.input, 'input', files);
    form.element.addEventListener('input', check);
    form.element.addEventListener('change', check);
    readInput = form.read;
    inputArea.replaceChildren(h('h2', {}, 'Input'), h('pre', {class: 'muted'}, scheme(found.procedure.input)), form.element,
      inputCheck);
  }

  function request() {
    return {
      input: readInput(),
      steps: [...steps.children].map((item, index) => {
        const [nodeId, procedureId] = item.querySelector('select').value.split('\u0000');
        const selector = item.querySelector('input').value.trim();
        return selector ? {nodeId, procedureId, outputValueSelector: selector} : {nodeId, procedureId};
      }),
    };
  }

  const modes = h('fieldset', {class: 'modes'}, h('legend', {}, 'How to run'),
    ['background', 'awaited', 'batch'].map(mode => h('span', {},
      h('input', {type: 'radio', name: 'mode', id: `mode-${mode}`, value: mode, checked: mode === 'background',
        onchange: showMode}),
      h('label', {for: `mode-${mode}`}, {background: 'In the background', awaited: 'Awaited (wait for the result)',
        batch: 'As a batch (CSV or JSON file of inputs)'}[mode]))));
  const timeout = h('input', {id: 'timeout', type: 'number', min: 1, max: 3600, value: 60});
  const awaitedOptions = h('div', {hidden: true}, h('label', {for: 'timeout'}, 'Wait at most (seconds)'), timeout);
  const batchFile = h('input', {id: 'batch-file', type: 'file', accept: '.csv,.json,text/csv,application/json'});
  const batchOptions = h('div', {hidden: true},
    h('label', {for: 'batch-file'}, 'Inputs file'), batchFile,
    h('p', {class: 'muted'}, 'CSV: a header row naming the input\'s fields (one column for a scalar input), one run per row. ',
      'JSON: an array, one run per item: ApScheme values ({"type": ...}) or plain values read by the input scheme.'));

  function mode() {
    return modes.querySelector('input[name=mode]:checked').value;
  }

  function showMode() {
    awaitedOptions.hidden = mode() !== 'awaited';
    batchOptions.hidden = mode() !== 'batch';
    inputArea.hidden = mode() === 'batch';
  }

  async function run() {
    message.replaceChildren();
    const button = document.getElementById('run');
    button.disabled = true;
    try {
      if (mode() === 'batch') {
        if (!batchFile.files.length) {
          throw new api.Problem(400, {detail: 'Pick a CSV or JSON file of inputs first'});
        }
        const file = batchFile.files[0];
        const inputs = batchInputs(file.name, await file.text(), firstInputScheme, files);
        const {input, ...rest} = request();
        const answer = await api.post('Pipelines/Batch', {...rest, inputs});
        location.hash = `#/batches/${answer.batch.pipelineBatchId}`;
      } else if (mode() === 'awaited') {
        message.replaceChildren(h('p', {class: 'muted'}, 'Running, waiting for the result\u2026'));
        const answer = await api.post('Pipelines/Awaited', {...request(), timeoutSeconds: Number(timeout.value)});
        location.hash = `#/runs/${answer.result.pipelineId}`;
      } else {
        const answer = await api.post('Pipelines', request());
        location.hash = `#/runs/${answer.pipeline.id}`;
      }
    } catch (e) {
      message.replaceChildren(problem(e));
      if (e.status === 408 && e.pipelineId) {
        message.append(h('p', {}, 'It goes on running: ', h('a', {href: `#/runs/${e.pipelineId}`}, 'follow the run')));
      }
    } finally {
      button.disabled = false;
    }
  }

  show(h('h1', {}, 'New run'), h('h2', {}, 'Steps'), steps,
    h('button', {type: 'button', class: 'secondary', onclick: addStep}, 'Add step'),
    h('button', {type: 'button', class: 'secondary', onclick: () => {
      if (steps.children.length > 1) {
        steps.lastChild.remove();
      }
    }}, 'Remove last step'),
    inputArea, modes, awaitedOptions, batchOptions, h('button', {type: 'button', id: 'run', onclick: run}, 'Run'), message);
  addStep();
}

/** A form for one ApElement of the scheme: answers its element and a function reading the value back. */
function field(element, path, files) {
  const id = path.replace(/[^a-zA-Z0-9]/g, '-');
  switch (element.type) {
    case 'ApString':
    case 'ApInt':
    case 'ApDecimal': {
      const input = h('input', {id, type: element.type === 'ApString' ? 'text' : 'number',
        step: element.type === 'ApDecimal' ? 'any' : '1', 'aria-label': path});
      return {element: input, read: () => ({type: element.type,
        value: element.type === 'ApString' ? input.value : Number(input.value)})};
    }
    case 'ApBool': {
      const input = h('input', {id, type: 'checkbox', 'aria-label': path});
      return {element: input, read: () => ({type: 'ApBool', value: input.checked})};
    }
    case 'ApDateTime': {
      const input = h('input', {id, type: 'datetime-local', 'aria-label': path});
      return {element: input, read: () => ({type: 'ApDateTime',
        value: input.value ? new Date(input.value).toISOString() : new Date().toISOString()})};
    }
    case 'ApEnum': {
      const select = h('select', {id, 'aria-label': path},
        (element.supportedCases || []).map(value => h('option', {value}, value)));
      return {element: select, read: () => ({type: 'ApEnum', value: select.value,
        supportedCases: element.supportedCases || []})};
    }
    case 'ApFile': {
      const select = h('select', {id, 'aria-label': path},
        files.map(file => h('option', {value: file.id}, `${file.fileName || file.id} (${file.contentType})`)));
      return {element: h('span', {}, select, files.length ? '' : ' upload a file first (Files)'), read: () => {
        const file = files.find(f => f.id === select.value);
        return {type: 'ApFile', id: select.value, contentType: file ? file.contentType : '',
          supportedContentTypes: element.supportedContentTypes || []};
      }};
    }
    case 'ApList': {
      const template = (element.items || [])[0];
      const items = h('ol');
      const readers = [];
      const add = h('button', {type: 'button', class: 'secondary', onclick: () => {
        const item = field(template, `${path}.items[${readers.length}]`, files);
        readers.push(item.read);
        items.append(h('li', {}, item.element));
      }}, 'Add item');
      return {element: h('div', {}, items, template ? add : null),
        read: () => ({type: 'ApList', items: readers.map(read => read())})};
    }
    case 'ApObject': {
      const optional = new Set(element.nonRequiredProperties || []);
      const parts = Object.entries(element.properties || {}).map(([name, property]) => {
        const part = field(property, `${path}.${name}`, files);
        const include = optional.has(name) ? h('input', {type: 'checkbox', 'aria-label': `include ${name}`}) : null;
        return {name, part, include};
      });
      return {
        element: h('fieldset', {}, h('legend', {}, path),
          parts.map(({name, part, include}) => h('div', {},
            h('label', {for: part.element.id || undefined}, name, include ? ' (optional) ' : ''), include, part.element))),
        read: () => ({type: 'ApObject', nonRequiredProperties: [],
          properties: Object.fromEntries(parts.filter(p => !p.include || p.include.checked)
            .map(({name, part}) => [name, part.read()]))}),
      };
    }
    default:
      return {element: h('span', {class: 'muted'}, `unsupported type ${element.type}`), read: () => null};
  }
}
