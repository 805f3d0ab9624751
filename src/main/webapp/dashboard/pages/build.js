import * as api from '../api.js';
import {h, problem, show} from '../dom.js';
import {scheme} from './nodes.js';

/**
 * Build and start a pipeline: steps picked from the available procedures, an output selector per
 * step, and an input form generated from the first step's input scheme. The runner checks the
 * whole request as for any client (schemes at every link, files, selectors); its 422 is shown with
 * every field path.
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
  let readInput = () => null;

  function addStep() {
    const index = steps.children.length;
    const select = h('select', {id: `step-${index}`, 'aria-label': `Step ${index + 1} procedure`, onchange: refreshInput},
      procedures.map(({node, procedure}) => h('option', {value: `${node.id}\u0000${procedure.id}`},
        `${node.id} / ${procedure.id}${node.available ? '' : ' (unavailable)'}`)));
    const selector = h('input', {id: `selector-${index}`, placeholder: 'output selector (optional)',
      'aria-label': `Step ${index + 1} output selector`});
    steps.append(h('li', {}, select, ' ', selector));
    refreshInput();
  }

  function refreshInput() {
    const first = steps.querySelector('select');
    const found = first && procedures.find(({node, procedure}) => `${node.id}\u0000${procedure.id}` === first.value);
    if (!found) {
      inputArea.replaceChildren(h('p', {class: 'muted'}, 'No procedure has been advertised yet.'));
      readInput = () => null;
      return;
    }
    const form = field(found.procedure.input, 'input', files);
    readInput = form.read;
    inputArea.replaceChildren(h('h2', {}, 'Input'), h('pre', {class: 'muted'}, scheme(found.procedure.input)), form.element);
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

  async function run() {
    message.replaceChildren();
    try {
      const answer = await api.post('Pipelines', request());
      location.hash = `#/runs/${answer.pipeline.id}`;
    } catch (e) {
      message.replaceChildren(problem(e));
    }
  }

  show(h('h1', {}, 'New run'), h('h2', {}, 'Steps'), steps,
    h('button', {type: 'button', class: 'secondary', onclick: addStep}, 'Add step'),
    h('button', {type: 'button', class: 'secondary', onclick: () => {
      if (steps.children.length > 1) {
        steps.lastChild.remove();
      }
    }}, 'Remove last step'),
    inputArea, h('button', {type: 'button', id: 'run', onclick: run}, 'Run'), message);
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
