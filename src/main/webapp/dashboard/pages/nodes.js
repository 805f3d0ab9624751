import * as api from '../api.js';
import {h, problem, show, time} from '../dom.js';

let poll = null;

/**
 * Every node with its procedures and their schemes. Availability and the last advert stay live:
 * the page re-reads the nodes every 5 seconds while it is on screen and updates those lines in place
 * (no re-render, so focus and scrolling stay where the user left them); a new or vanished node
 * redraws the page.
 */
export async function nodesPage() {
  clearTimeout(poll);
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
      h('h2', {}, node.id, ' ', h('span', {'data-available': node.id}, '')),
      h('p', {class: 'muted', 'data-advertised': node.id}, ''),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Procedure'), h('th', {}, 'Input'), h('th', {}, 'Output'))),
        h('tbody', {}, node.procedures.map(procedure => h('tr', {},
          h('td', {}, procedure.id),
          h('td', {class: 'wrap'}, h('pre', {}, scheme(procedure.input))),
          h('td', {class: 'wrap'}, h('pre', {}, scheme(procedure.output))))))))));
  liven(page.items);
  const shown = page.items.map(node => node.id).join('\u0000');
  const again = async () => {
    if (location.hash !== '#/nodes' || !api.loggedIn()) {
      return;
    }
    try {
      const fresh = (await api.get('Nodes?pageSize=100')).items;
      if (fresh.map(node => node.id).join('\u0000') !== shown) {
        nodesPage();
        return;
      }
      liven(fresh);
    } catch (e) {
      // a missed refresh is retried at the next tick
    }
    poll = setTimeout(again, 5000);
  };
  poll = setTimeout(again, 5000);
}

function liven(nodes) {
  for (const node of nodes) {
    const state = document.querySelector(`[data-available="${CSS.escape(node.id)}"]`);
    if (state) {
      state.className = node.available ? 'status-Succeeded' : 'status-Failed';
      state.textContent = node.available ? 'available' : 'unavailable';
    }
    const advertised = document.querySelector(`[data-advertised="${CSS.escape(node.id)}"]`);
    if (advertised) {
      advertised.textContent = `last advertised ${time(node.lastAdvertisedAt)}`;
    }
  }
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
