import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

/** Every node with its procedures and their schemes. */
export async function nodesPage() {
  let page;
  try {
    page = await api.get('Nodes?pageSize=100');
  } catch (e) {
    show(h('h1', {}, 'Nodes'), problem(e));
    return;
  }
  show(h('h1', {}, 'Nodes'),
    page.items.length ? null : h('p', {class: 'muted'}, 'No node has advertised itself yet.'),
    page.items.map(node => h('section', {},
      h('h2', {}, node.id, ' ', h('span', {class: node.available ? 'status-Succeeded' : 'status-Failed'},
        node.available ? 'available' : 'unavailable')),
      h('p', {class: 'muted'}, `last advertised ${time(node.lastAdvertisedAt)}`),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Procedure'), h('th', {}, 'Input'), h('th', {}, 'Output'))),
        h('tbody', {}, node.procedures.map(procedure => h('tr', {},
          h('td', {}, procedure.id),
          h('td', {class: 'wrap'}, h('pre', {}, scheme(procedure.input))),
          h('td', {class: 'wrap'}, h('pre', {}, scheme(procedure.output))))))))));
}

/** An ApScheme element as a readable tree: one line per property, indented. */
export function scheme(element, indent = '') {
  if (!element) {
    return '';
  }
  if (element.type === 'ApObject') {
    const optional = new Set(element.nonRequiredProperties || []);
    return 'object\n' + Object.entries(element.properties || {}).map(([name, value]) =>
      `${indent}  ${name}${optional.has(name) ? '?' : ''}: ${scheme(value, indent + '  ')}`).join('\n');
  }
  if (element.type === 'ApList') {
    return `list of ${scheme((element.items || [])[0], indent)}`;
  }
  if (element.type === 'ApEnum') {
    return `one of ${(element.supportedCases || []).join(', ')}`;
  }
  if (element.type === 'ApFile') {
    const types = element.supportedContentTypes || [];
    return `file${types.length ? ' (' + types.join(', ') + ')' : ''}`;
  }
  return element.type.replace(/^Ap/, '').toLowerCase();
}
